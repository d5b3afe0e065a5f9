//! A resource file: the handle type, its accessor on the client, one method per
//! operation, and each operation's request builder.

use proc_macro2::TokenStream;
use quote::quote;

use super::builder::{argument, emit_builder, operation_doc, param_doc};
use super::docs::{code, doc, inline, inner_doc, lines, one_line, prose, wrap};
use super::example::{Models, operation_example};
use super::mock::emit_mock;
use super::{Receiver, ident, method_allows, model_type};
use crate::contract::CLIENT;
use crate::ir;

/// A resource file.
pub(crate) fn emit_resource(resource: &ir::Resource, models: &Models<'_>) -> TokenStream {
    let ir::Resource {
        source,
        module,
        handle,
        mock,
        description,
        operations,
        upstream: _,
    } = resource;
    let module_docs = inner_doc(&format!(
        "{}\n\nGenerated from {}.",
        prose(description),
        code(source)
    ));
    let handle_docs = doc(&format!(
        "The {module} endpoints. Get one from [`Client::{module}`](crate::Client::{module})."
    ));
    let accessor_docs = doc(&format!("The {module} endpoints."));
    let accessor = ident(module);
    let handle = ident(handle);
    let methods = operations
        .iter()
        .map(|operation| emit_method(module, operation, models));
    let builders = operations
        .iter()
        .map(|operation| emit_builder(&handle, operation));
    let mock = emit_mock(module, &handle, mock, operations);
    quote! {
        #module_docs
        #![allow(clippy::type_complexity, reason = "the types are the API's own, however deeply it nests them")]

        #handle_docs
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            client: &'a #CLIENT,
        }

        impl #CLIENT {
            #accessor_docs
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { client: self }
            }
        }

        impl<'a> #handle<'a> {
            #(#methods)*
        }

        #(#builders)*

        #mock
    }
}

/// The text of `#[deprecated(note = ...)]`, which rustdoc renders as Markdown.
fn deprecation_note(deprecation: &ir::Deprecation) -> String {
    let ir::Deprecation { replacement, note } = deprecation;
    match (replacement, note) {
        (Some(replacement), Some(note)) => {
            format!("use {} instead; {}", code(replacement), inline(note))
        }
        (Some(replacement), None) => format!("use {} instead", code(replacement)),
        (None, Some(note)) => inline(note),
        (None, None) => "deprecated by the API".to_owned(),
    }
}

/// The handle's method for an operation: required arguments in, builder out.
fn emit_method(accessor: &str, operation: &ir::Operation, models: &Models<'_>) -> TokenStream {
    let ir::Operation {
        method_name,
        builder,
        deprecated,
        params,
        body,
        id: _,
        http_method: _,
        version: _,
        path_template: _,
        segments: _,
        summary: _,
        description: _,
        cost: _,
        scopes: _,
        response: _,
        upstream: _,
    } = operation;
    let method = ident(method_name);
    let builder = ident(builder);
    let mut text = wrap(&operation_doc(operation));
    let required: Vec<&ir::Param> = params.iter().filter(|p| p.required).collect();
    if !required.is_empty() || body.is_some() {
        // One line per argument, so that each stays a list item.
        text.push(String::new());
        text.push(" Arguments:".to_owned());
        for param in &required {
            text.push(format!(
                " - `{}`: {}",
                param.rust,
                one_line(&param_doc(param))
            ));
        }
        if let Some(ir::Body { description, ty: _ }) = body {
            text.push(format!(" - `body`: {}", inline(description)));
        }
    }
    if let Some(example) = operation_example(accessor, operation, models) {
        text.push(String::new());
        text.push(" # Example".to_owned());
        text.push(String::new());
        text.extend(example.into_iter().map(|line| format!(" {line}")));
    }
    let docs = lines(&text);
    let allows = method_allows(
        method_name,
        Receiver::Ref,
        required.len() + usize::from(body.is_some()),
    );
    let deprecated = deprecated.as_ref().map(|deprecation| {
        let note = deprecation_note(deprecation);
        quote!(#[deprecated(note = #note)])
    });
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for param in params {
        let name = ident(&param.rust);
        if param.required {
            let (ty, conversion) = argument(&name, &param.ty);
            args.push(quote!(#name: #ty));
            inits.push(match conversion {
                Some(value) => quote!(#name: #value),
                None => quote!(#name),
            });
        } else {
            inits.push(quote!(#name: None));
        }
    }
    if let Some(body) = body {
        let ty = model_type(&body.ty);
        args.push(quote!(body: #ty));
        inits.push(quote!(body));
    }
    quote! {
        #docs
        #deprecated
        #allows
        pub fn #method(&self, #(#args),*) -> #builder<'a> {
            #builder {
                client: self.client,
                #(#inits,)*
            }
        }
    }
}
