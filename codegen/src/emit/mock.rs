//! A resource's typed mock, behind the `mock` feature: the accessor on `MockServer`,
//! the mock type, and one method per operation returning that operation's
//! `Expectation`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::builder::{Source, argument, request_expr};
use super::docs::{code, doc, lines, wrap};
use super::{Receiver, ident, method_allows, model_type, param_type};
use crate::contract::{
    EXPECTATION, MOCK_DATA, MOCK_DATA_ADDITIONAL, MOCK_FEATURE, MOCK_PAGES, MOCK_SERVER, NO_BODY,
    NO_QUERY,
};
use crate::ir;

/// The mock type of a resource and its accessor on `MockServer`.
/// `example` is what the mock type's docs show.
pub(super) fn emit_mock(
    module: &str,
    handle: &Ident,
    mock: &str,
    operations: &[ir::Operation],
    example: Option<Vec<String>>,
) -> TokenStream {
    let accessor = ident(module);
    let mock = ident(mock);
    let mut text = wrap(&format!(
        "Expectations on the {module} endpoints of a [`MockServer`]({MOCK_SERVER_LINK}), one method per operation of [`{handle}`]. Get one from [`MockServer::{module}`]({MOCK_SERVER_LINK}::{module})."
    ));
    if let Some(example) = example {
        text.push(String::new());
        text.extend(example.into_iter().map(|line| format!(" {line}")));
    }
    let type_docs = lines(&text);
    let accessor_docs = doc(&format!(
        "Expectations on the {module} endpoints, one method per operation."
    ));
    let methods = operations
        .iter()
        .map(|operation| emit_mock_method(module, handle, operation));
    quote! {
        #type_docs
        #[cfg(feature = #MOCK_FEATURE)]
        #[derive(Debug, Clone, Copy)]
        pub struct #mock<'a> {
            server: &'a #MOCK_SERVER,
        }

        #[cfg(feature = #MOCK_FEATURE)]
        impl #MOCK_SERVER {
            #accessor_docs
            pub fn #accessor(&self) -> #mock<'_> {
                #mock { server: self }
            }
        }

        #[cfg(feature = #MOCK_FEATURE)]
        impl<'a> #mock<'a> {
            #(#methods)*
        }
    }
}

/// The intra-doc link of `MockServer`.
const MOCK_SERVER_LINK: &str = "crate::mock::MockServer";

/// The expectation of one operation. An operation without a body takes the arguments of
/// its handle method and is matched through its request builder, which
/// `Expectation::query` refines; one with a body takes its path and required query
/// arguments, and `Expectation::expect_body` matches the body.
fn emit_mock_method(module: &str, handle: &Ident, operation: &ir::Operation) -> TokenStream {
    let ir::Operation {
        method_name,
        builder,
        http_method,
        path_template,
        segments,
        deprecated,
        params,
        body,
        response,
        id: _,
        version: _,
        summary: _,
        description: _,
        cost: _,
        scopes: _,
        upstream: _,
    } = operation;
    let method = ident(method_name);
    let accessor = ident(module);
    let builder = ident(builder);
    let required: Vec<&ir::Param> = params.iter().filter(|p| p.required).collect();
    let mut args = Vec::new();
    let mut conversions = Vec::new();
    for param in &required {
        let name = ident(&param.rust);
        let (ty, conversion) = argument(&name, &param.ty);
        args.push(quote!(#name: #ty));
        // With a body, the request is built here from the stored types, as the
        // builder would; without, the handle method converts.
        if let (Some(value), Some(_)) = (conversion, body) {
            let stored = param_type(&param.ty);
            conversions.push(quote!(let #name: #stored = #value;));
        }
    }
    let names: Vec<Ident> = required.iter().map(|p| ident(&p.rust)).collect();
    let (query, query_type, request_fn, body_type) = match body {
        None => (
            quote!(self.server.prototype().#accessor().#method(#(#names),*)),
            quote!(#builder),
            quote!(#builder::request),
            quote!(#NO_BODY),
        ),
        Some(ir::Body {
            ty,
            description: _,
            content: _,
        }) => {
            let request = request_expr(
                &quote!(#builder::OPERATION),
                segments,
                required.iter().copied(),
                Source::Locals,
            );
            let ty = model_type(ty);
            (
                quote!(#NO_QUERY::new(#request)),
                quote!(#NO_QUERY),
                quote!(#NO_QUERY::request),
                ty,
            )
        }
    };
    let ir::Response { status, shape } = response;
    let status = proc_macro2::Literal::u16_unsuffixed(*status);
    let (kind, constructor) = match shape {
        ir::Shape::Single {
            data,
            nullable: _,
            additional: Some(additional),
        } => {
            let data = model_type(data);
            let additional = model_type(additional);
            (
                quote!(#MOCK_DATA_ADDITIONAL<#data, #additional>),
                quote!(envelope_with_additional(self.server, query, #request_fn, #status)),
            )
        }
        ir::Shape::Single {
            data,
            nullable,
            additional: None,
        } => {
            // What `send` returns: a list as sent (null as empty), else the value, or
            // an `Option` when the spec lets `data` be null.
            let data = match (data, nullable) {
                (ir::Type::List(item), _) => {
                    let item = model_type(item);
                    quote!(Vec<#item>)
                }
                (data, true) => {
                    let data = model_type(data);
                    quote!(Option<#data>)
                }
                (data, false) => model_type(data),
            };
            (
                quote!(#MOCK_DATA<#data>),
                quote!(envelope(self.server, query, #request_fn, #status)),
            )
        }
        ir::Shape::Plain(ty) => {
            let ty = model_type(ty);
            (
                quote!(#MOCK_DATA<#ty>),
                quote!(plain(self.server, query, #request_fn, #status)),
            )
        }
        ir::Shape::Page(ir::Page {
            kind,
            item,
            position,
            items_field,
        }) => {
            let item = model_type(item);
            // The IR names the position parameter by its Rust name; the wire has its own.
            let position = params
                .iter()
                .find(|param| &param.rust == position)
                .map_or(position.as_str(), |param| param.wire.as_str());
            let items_field = match items_field {
                Some(wire) => quote!(Some(#wire)),
                None => quote!(None),
            };
            let constructor = match kind {
                ir::PageKind::Cursor => quote!(cursor),
                ir::PageKind::Offset => quote!(offset),
            };
            (
                quote!(#MOCK_PAGES<#item>),
                quote!(#constructor(self.server, query, #request_fn, #status, #position, #items_field)),
            )
        }
    };
    let docs = doc(&format!(
        "Expects {} ([`{handle}::{method_name}`]).",
        code(&format!("{} {path_template}", http_method.as_str()))
    ));
    let allows = method_allows(method_name, Receiver::Ref, args.len());
    // The mock of a deprecated operation is not deprecated itself: a test of code that
    // still calls the operation needs it. It does build the operation's request.
    let deprecated = deprecated
        .as_ref()
        .map(|_| quote!(#[allow(deprecated, reason = "it mocks a deprecated operation")]));
    quote! {
        #docs
        #allows
        #deprecated
        pub fn #method(&self, #(#args),*) -> #EXPECTATION<'a, #query_type, #kind, #body_type> {
            #(#conversions)*
            let query = #query;
            #EXPECTATION::#constructor
        }
    }
}
