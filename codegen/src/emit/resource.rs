//! A resource's module (`api/<resource>/mod.rs`): the handle type, its accessor on the
//! client, one method per operation, each operation's request builder, and its models
//! and mock, which are files of their own.

use proc_macro2::TokenStream;
use quote::quote;

use super::builder::{argument, emit_builder, operation_doc, param_doc};
use super::docs::{code, doc, inline, inner_doc, lines, one_line, prose, wrap};
use super::example::{Models, mock_example, operation_example};
use super::mock::emit_mock;
use super::{Receiver, ident, method_allows, model_type};
use crate::contract::{CLIENT, MOCK_FEATURE};
use crate::ir;

/// A resource's `mod.rs`.
pub(crate) fn emit_resource(resource: &ir::Resource, all_models: &Models<'_>) -> TokenStream {
    let ir::Resource {
        source,
        module,
        handle,
        mock,
        description,
        operations,
        requires,
        models,
        upstream: _,
    } = resource;
    let models_module = (!models.is_empty()).then(|| {
        quote! {
            mod models;
            pub use self::models::*;
        }
    });
    let mut text = format!("{}\n\nGenerated from {}.", prose(description), code(source));
    if !requires.is_empty() {
        let others: Vec<String> = requires.iter().map(|other| code(other)).collect();
        text.push_str(&format!(
            " Its feature enables {}, whose models it uses.",
            others.join(", ")
        ));
    }
    let module_docs = inner_doc(&text);
    let examples: Vec<Option<Vec<String>>> = operations
        .iter()
        .map(|operation| operation_example(module, operation, all_models))
        .collect();
    let mut handle_text = wrap(&format!(
        "The {module} endpoints. Get one from [`Client::{module}`](crate::Client::{module})."
    ));
    if let Some(example) = examples.iter().flatten().next() {
        handle_text.push(String::new());
        handle_text.extend(example.iter().map(|line| format!(" {line}")));
    }
    let handle_docs = lines(&handle_text);
    let accessor_docs = doc(&format!("The {module} endpoints."));
    let accessor = ident(module);
    let handle = ident(handle);
    let mock = ident(mock);
    let methods = operations
        .iter()
        .zip(&examples)
        .map(|(operation, example)| emit_method(module, operation, example.as_deref()));
    let builders = operations
        .iter()
        .zip(&examples)
        .map(|(operation, example)| emit_builder(&handle, operation, example.as_deref()));
    quote! {
        #module_docs
        #![allow(clippy::type_complexity, reason = "the types are the API's own, however deeply it nests them")]

        #models_module

        #[cfg(feature = #MOCK_FEATURE)]
        mod mock;
        #[cfg(feature = #MOCK_FEATURE)]
        pub use self::mock::#mock;

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

        impl #handle<'_> {
            #(#methods)*
        }

        #(#builders)*
    }
}

/// A resource's `mock.rs`, behind the `mock` feature.
pub(crate) fn emit_resource_mock(resource: &ir::Resource, all_models: &Models<'_>) -> TokenStream {
    let ir::Resource {
        module,
        handle,
        mock,
        operations,
        source: _,
        description: _,
        models: _,
        requires: _,
        upstream: _,
    } = resource;
    let docs = inner_doc(&format!(
        "The typed mock of the {module} endpoints, behind the `mock` feature."
    ));
    let example = operations
        .iter()
        .find_map(|operation| mock_example(module, operation, all_models));
    let mock = emit_mock(module, &ident(handle), mock, operations, example);
    quote! {
        #docs
        #![allow(clippy::type_complexity, reason = "the types are the API's own, however deeply it nests them")]
        #[allow(unused_imports, reason = "the builders of operations without a body are the mock's queries")]
        use super::*;

        #mock
    }
}

/// The text of `#[deprecated(note = ...)]`, which rustdoc renders as Markdown.
fn deprecation_note(deprecation: &ir::Deprecation) -> String {
    let ir::Deprecation {
        replacement,
        note,
        link: _,
    } = deprecation;
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
/// An operation's method on the handle of resource `accessor`; `example` is the call its
/// docs show.
fn emit_method(
    accessor: &str,
    operation: &ir::Operation,
    example: Option<&[String]>,
) -> TokenStream {
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
    let head = lines(&wrap(&operation_doc(operation)));
    let mut text = Vec::new();
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
        if let Some(ir::Body {
            description,
            ty: _,
            content: _,
        }) = body
        {
            text.push(format!(" - `body`: {}", inline(description)));
        }
    }
    if let Some(example) = example {
        text.push(String::new());
        text.push(" # Example".to_owned());
        text.push(String::new());
        text.extend(example.iter().map(|line| format!(" {line}")));
    }
    let tail = lines(&text);
    let allows = method_allows(
        method_name,
        Receiver::Ref,
        required.len() + usize::from(body.is_some()),
    );
    let replacement = deprecated
        .as_ref()
        .and_then(|deprecation| replacement_docs(accessor, deprecation));
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
        let name = ident("body");
        let (ty, conversion) = body_argument(&name, &body.ty);
        args.push(quote!(body: #ty));
        inits.push(match conversion {
            Some(value) => quote!(body: #value),
            None => quote!(body),
        });
    }
    quote! {
        #head
        #replacement
        #tail
        #deprecated
        #allows
        pub fn #method(&self, #(#args),*) -> #builder {
            #builder {
                client: self.client.clone(),
                options: ::std::default::Default::default(),
                #(#inits,)*
            }
        }
    }
}

/// The doc paragraph that links a deprecated operation's method to its replacement's,
/// when the replacement is an operation of the spec. A link into another resource is
/// live only with that resource's feature; without it, the paragraph names the method.
fn replacement_docs(module: &str, deprecation: &ir::Deprecation) -> Option<TokenStream> {
    let ir::Deprecation {
        link,
        replacement: _,
        note: _,
    } = deprecation;
    let ir::MethodLink {
        module: target,
        handle,
        method,
    } = link.as_ref()?;
    let call = format!("client.{target}().{method}()");
    let linked = [
        String::new(),
        format!(" Deprecated: use [`{call}`](crate::{target}::{handle}::{method}) instead."),
    ];
    if target == module {
        return Some(lines(&linked));
    }
    let plain = [
        String::new(),
        format!(" Deprecated: use `{call}` instead (feature `{target}`)."),
    ];
    let feature = target.as_str();
    Some(quote! {
        #(#[cfg_attr(feature = #feature, doc = #linked)])*
        #(#[cfg_attr(not(feature = #feature), doc = #plain)])*
    })
}

/// How a body argument is typed: the model, or any iterator of them for a list body.
fn body_argument(name: &proc_macro2::Ident, ty: &ir::Type) -> (TokenStream, Option<TokenStream>) {
    match ty {
        ir::Type::List(item) => {
            let item = model_type(item);
            (
                quote!(impl IntoIterator<Item = #item>),
                Some(quote!(#name.into_iter().collect())),
            )
        }
        other => (model_type(other), None),
    }
}
