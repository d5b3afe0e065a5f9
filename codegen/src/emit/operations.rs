//! Resources: the handle type, its accessor on the client, and one request builder
//! per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, format_doc, ident, inner_doc, rust_type, wrap};
use crate::ir;
use crate::load::spec::{EnvelopeKind, ListStyle, ParameterLocation};

/// A resource file: the handle, its accessor and the request builders.
pub fn emit_resource(resource: &ir::Resource) -> TokenStream {
    let ir::Resource { source, module, handle, description, operations } = resource;
    let module_docs = inner_doc(&format!("{description}\n\nGenerated from `{source}`."));
    let handle_docs = doc(&format!(
        "The {module} endpoints. Get one from [`Client::{module}`](crate::Client::{module})."
    ));
    let accessor_docs = doc(&format!("The {module} endpoints."));
    let accessor = ident(module);
    let handle = ident(handle);
    let methods = operations.iter().map(emit_method);
    let builders = operations.iter().map(|operation| emit_builder(&handle, operation));
    quote! {
        #module_docs

        #handle_docs
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            client: &'a crate::Client,
        }

        impl crate::Client {
            #accessor_docs
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { client: self }
            }
        }

        impl<'a> #handle<'a> {
            #(#methods)*
        }

        #(#builders)*
    }
}

/// The text every doc of an operation starts with.
fn operation_doc(operation: &ir::Operation) -> String {
    let ir::Operation { summary, description, http_method, path_template, version, cost, scopes, .. } = operation;
    let mut text = summary.clone();
    if let Some(description) = description {
        text = format!("{text}\n\n{description}");
    }
    text = format!(
        "{text}\n\n`{} {path_template}` (API {version}), costs {cost} rate-limit token{}.",
        http_method.as_str(),
        if *cost == 1 { "" } else { "s" }
    );
    if !scopes.is_empty() {
        let scopes: Vec<String> = scopes.iter().map(|s| format!("`{s}`")).collect();
        text = format!("{text} OAuth scopes: {}.", scopes.join(" or "));
    }
    text
}

fn param_doc(param: &ir::Param) -> String {
    let ir::Param { description, default, minimum, maximum, max_items, format, .. } = param;
    let mut text = description.clone();
    match (minimum, maximum) {
        (Some(min), Some(max)) => text.push_str(&format!(" From {min} to {max}.")),
        (Some(min), None) => text.push_str(&format!(" At least {min}.")),
        (None, Some(max)) => text.push_str(&format!(" At most {max}.")),
        (None, None) => {}
    }
    if let Some(max) = max_items {
        text.push_str(&format!(" At most {max} items."));
    }
    if let Some(format) = format {
        text.push(' ');
        text.push_str(format_doc(*format));
    }
    if let Some(default) = default {
        text.push_str(&format!(" The server assumes `{default}` when it is not given."));
    }
    text
}

/// The parameters the handle method takes: path, required query, then the body.
fn required_params(operation: &ir::Operation) -> impl Iterator<Item = &ir::Param> {
    operation.params.iter().filter(|p| p.required)
}

/// How a setter or method argument is typed, and the conversion that turns it into the
/// stored value (`None` when it is stored as given).
fn argument(name: &proc_macro2::Ident, ty: &ir::Type) -> (TokenStream, Option<TokenStream>) {
    match ty {
        ir::Type::String => (quote!(impl Into<String>), Some(quote!(#name.into()))),
        ir::Type::List(inner) => {
            let inner = rust_type(inner);
            (quote!(impl IntoIterator<Item = #inner>), Some(quote!(#name.into_iter().collect())))
        }
        other => (rust_type(other), None),
    }
}

fn emit_method(operation: &ir::Operation) -> TokenStream {
    let method = ident(&operation.method_name);
    let builder = ident(&operation.builder);
    let mut lines = wrap(&operation_doc(operation));
    let required: Vec<&ir::Param> = required_params(operation).collect();
    if !required.is_empty() || operation.body.is_some() {
        // One line per argument, so that each stays a list item.
        lines.push(String::new());
        lines.push(" Arguments:".to_owned());
        for param in &required {
            lines.push(format!(" - `{}`: {}", param.rust, param_doc(param)));
        }
        if let Some(body) = &operation.body {
            lines.push(format!(" - `body`: {}", body.description));
        }
    }
    let docs = quote! { #(#[doc = #lines])* };
    let deprecated = operation.deprecated.as_ref().map(|note| quote!(#[deprecated(note = #note)]));
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for param in &operation.params {
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
    if let Some(body) = &operation.body {
        let ty = rust_type(&body.ty);
        args.push(quote!(body: #ty));
        inits.push(quote!(body));
    }
    quote! {
        #docs
        #deprecated
        pub fn #method(&self, #(#args),*) -> #builder<'a> {
            #builder {
                client: self.client,
                #(#inits,)*
            }
        }
    }
}

fn emit_builder(handle: &proc_macro2::Ident, operation: &ir::Operation) -> TokenStream {
    let ir::Operation {
        id,
        method_name,
        builder,
        http_method,
        version,
        path_template,
        segments: _,
        summary: _,
        description: _,
        cost,
        scopes: _,
        deprecated: _,
        params,
        body,
        response: _,
    } = operation;
    let builder = ident(builder);
    let docs = doc(&format!(
        "A `{} {path_template}` request, made by [`{handle}::{method_name}`]. Set optional parameters, then [`send`](Self::send) it.",
        http_method.as_str()
    ));
    let fields = params.iter().map(|param| {
        let name = ident(&param.rust);
        let ty = rust_type(&param.ty);
        if param.required { quote!(#name: #ty,) } else { quote!(#name: Option<#ty>,) }
    });
    let body_field = body.as_ref().map(|body| {
        let ty = rust_type(&body.ty);
        quote!(body: #ty,)
    });
    let setters = params.iter().filter(|p| !p.required).map(emit_setter);
    let method_variant = ident(http_method.variant());
    let cost = proc_macro2::Literal::u32_unsuffixed(*cost);
    let (send, extra_items) = emit_send(operation, &builder);
    let streams = emit_streams(operation);
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder<'a> {
            client: &'a crate::Client,
            #(#fields)*
            #body_field
        }

        impl<'a> #builder<'a> {
            /// What the API description says about this operation.
            pub const OPERATION: crate::Operation = crate::Operation {
                id: #id,
                method: crate::HttpMethod::#method_variant,
                path: #path_template,
                version: #version,
                cost: #cost,
            };

            #(#setters)*

            #send

            #streams
        }

        #extra_items
    }
}

fn emit_setter(param: &ir::Param) -> TokenStream {
    let name = ident(&param.rust);
    let docs = doc(&param_doc(param));
    let (ty, conversion) = argument(&name, &param.ty);
    let value = conversion.unwrap_or_else(|| quote!(#name));
    quote! {
        #docs
        pub fn #name(mut self, #name: #ty) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}

/// The `send` method, and any private item it needs (the wrapper of a page whose items
/// sit inside an object).
fn emit_send(operation: &ir::Operation, builder: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    let path = operation.segments.iter().map(|segment| match segment {
        ir::Segment::Literal(text) => quote!(.segment(#text)),
        ir::Segment::Param(rust) => {
            let name = ident(rust);
            // Integers are `Copy`; strings are borrowed.
            match operation.params.iter().find(|p| &p.rust == rust).map(|p| &p.ty) {
                Some(ir::Type::Integer) => quote!(.segment(self.#name)),
                _ => quote!(.segment(&self.#name)),
            }
        }
    });
    let query = operation.params.iter().filter(|p| p.location == ParameterLocation::Query).map(|param| {
        let wire = &param.wire;
        let name = ident(&param.rust);
        match (&param.ty, param.style, param.required) {
            (ir::Type::List(_), Some(ListStyle::Comma), false) => quote!(.query_comma(#wire, self.#name.as_deref())),
            (ir::Type::List(_), _, true) => quote!(.query_comma(#wire, Some(self.#name.as_slice()))),
            (ir::Type::List(_), None, false) => quote!(.query_comma(#wire, self.#name.as_deref())),
            (ir::Type::Flag, _, false) => quote!(.query_flag(#wire, self.#name)),
            (ir::Type::Flag, _, true) => quote!(.query_flag(#wire, Some(self.#name))),
            (_, _, false) => quote!(.query(#wire, self.#name.as_ref())),
            (_, _, true) => quote!(.query(#wire, Some(&self.#name))),
        }
    });
    let body = operation.body.as_ref().map(|_| quote!(.json(&self.body)));
    let response = &operation.response;
    let item = rust_type(&response.data);
    let mut extra = TokenStream::new();
    let page_data = match &response.items_field {
        Some(field) => {
            let wrapper = format_ident!("{}Items", builder.to_string().trim_end_matches("Request"));
            let field_name = ident(&crate::names::snake(field).unwrap_or_else(|_| "items".to_owned()));
            let rename = (field_name != field.as_str()).then(|| quote!(#[serde(rename = #field)]));
            extra = quote! {
                #[derive(::serde::Deserialize)]
                struct #wrapper {
                    #rename
                    #field_name: Vec<#item>,
                }

                impl crate::page::PageData for #wrapper {
                    type Item = #item;
                    fn into_items(self) -> Vec<#item> {
                        self.#field_name
                    }
                }
            };
            quote!(#wrapper)
        }
        None => quote!(Vec<#item>),
    };
    let (output, call) = match response.envelope {
        EnvelopeKind::Single => (quote!(#item), quote!(single::<#item>)),
        EnvelopeKind::Plain => (quote!(#item), quote!(plain::<#item>)),
        EnvelopeKind::CursorPage => (quote!(crate::CursorPage<#item>), quote!(cursor_page::<#page_data>)),
        EnvelopeKind::OffsetPage => (quote!(crate::OffsetPage<#item>), quote!(offset_page::<#page_data>)),
    };
    let status = response.status;
    let docs = doc(&format!(
        "Sends the request and decodes the `{status}` response; any other status is an [`Error`](crate::Error)."
    ));
    let send = quote! {
        #docs
        pub async fn send(self) -> Result<crate::Response<#output>, crate::Error> {
            let request = crate::request::Request::new(&Self::OPERATION)
                #(#path)*
                #(#query)*
                #body;
            self.client.#call(request).await
        }
    };
    (send, extra)
}

/// `pages` and `items` for operations whose response is a page.
fn emit_streams(operation: &ir::Operation) -> Option<TokenStream> {
    let response = &operation.response;
    let item = rust_type(&response.data);
    let (page, wire) = match response.envelope {
        EnvelopeKind::CursorPage => (quote!(crate::CursorPage<#item>), "cursor"),
        EnvelopeKind::OffsetPage => (quote!(crate::OffsetPage<#item>), "start"),
        EnvelopeKind::Single | EnvelopeKind::Plain => return None,
    };
    let position = ident(&operation.params.iter().find(|p| p.wire == wire)?.rust);
    Some(quote! {
        /// Every page, starting from this request's own position. Lazy: no request is
        /// sent until the stream is polled, and each next page only when it is asked for.
        /// The stream ends after the last page or the first error.
        pub fn pages(self) -> impl ::futures::Stream<Item = Result<crate::Response<#page>, crate::Error>> + 'a {
            crate::page::pages(self, |mut request: Self, next| {
                if let Some(next) = next {
                    request.#position = Some(next);
                }
                request.send()
            })
        }

        /// Every item of every page, in order; see [`pages`](Self::pages).
        pub fn all_items(self) -> impl ::futures::Stream<Item = Result<#item, crate::Error>> + 'a {
            crate::page::items(self.pages())
        }
    })
}
