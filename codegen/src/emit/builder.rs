//! An operation's request builder: its fields, the `OPERATION` constant, one setter per
//! optional parameter, and `send`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{code, doc, format_doc, lines, prose, wrap};
use super::page::emit_streams;
use super::{Receiver, ident, method_allows, model_type, param_type};
use crate::contract::{
    CALL_OPTIONS, CLIENT, CURSOR_PAGE, CURSOR_PAGE_CALL, ERROR, HTTP_METHOD, OFFSET_PAGE,
    OFFSET_PAGE_CALL, OPERATION, PLAIN, REQUEST, RESPONSE, RETRY_POLICY, SINGLE, SINGLE_ADDITIONAL,
    SINGLE_LIST, SINGLE_OPTIONAL, V1_DATETIME, WITH_ADDITIONAL,
};
use crate::ir;

/// The text every doc of an operation starts with.
pub(super) fn operation_doc(operation: &ir::Operation) -> String {
    let ir::Operation {
        summary,
        description,
        http_method,
        path_template,
        version,
        cost,
        scopes,
        id: _,
        method_name: _,
        builder: _,
        segments: _,
        deprecated: _,
        params: _,
        body: _,
        response: _,
        upstream: _,
    } = operation;
    let mut text = prose(summary);
    if let Some(description) = description {
        text = format!("{text}\n\n{}", prose(description));
    }
    text = format!(
        "{text}\n\n{} (API {}), costs {cost} rate-limit token{}.",
        code(&format!("{} {path_template}", http_method.as_str())),
        code(version),
        if *cost == 1 { "" } else { "s" }
    );
    if !scopes.is_empty() {
        let scopes: Vec<String> = scopes.iter().map(|s| code(s)).collect();
        text = format!("{text} OAuth scopes: {}.", scopes.join(" or "));
    }
    text
}

/// A parameter's description with its bounds, format and default.
pub(super) fn param_doc(param: &ir::Param) -> String {
    let ir::Param {
        description,
        default,
        minimum,
        maximum,
        max_items,
        format,
        wire: _,
        rust: _,
        location: _,
        ty: _,
        style: _,
        required: _,
        upstream: _,
    } = param;
    let mut text = prose(description);
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
        text.push_str(&format!(
            " The server assumes {} when it is not given.",
            code(default)
        ));
    }
    text
}

/// How a setter or method argument is typed, and the conversion that turns it into the
/// stored value (`None` when it is stored as given).
pub(super) fn argument(name: &Ident, ty: &ir::Type) -> (TokenStream, Option<TokenStream>) {
    match ty {
        ir::Type::String => (quote!(impl Into<String>), Some(quote!(#name.into()))),
        ir::Type::Id(..) | ir::Type::Union(_) => {
            let ty = param_type(ty);
            (quote!(impl Into<#ty>), Some(quote!(#name.into())))
        }
        ir::Type::List(inner) => {
            let inner = param_type(inner);
            (
                quote!(impl IntoIterator<Item = impl Into<#inner>>),
                Some(quote!(#name.into_iter().map(Into::into).collect())),
            )
        }
        other => (param_type(other), None),
    }
}

/// The builder type of an operation, with everything it implements.
/// The builder type of an operation, with everything it implements; `example` is the
/// call its docs show, as its method's do.
pub(super) fn emit_builder(
    handle: &Ident,
    operation: &ir::Operation,
    example: Option<&[String]>,
) -> TokenStream {
    let ir::Operation {
        id,
        method_name,
        builder,
        http_method,
        version,
        path_template,
        segments,
        summary: _,
        description: _,
        cost,
        scopes: _,
        deprecated: _,
        params,
        body,
        response,
        upstream: _,
    } = operation;
    let builder = ident(builder);
    let mut text = wrap(&format!(
        "A {} request, made by [`{handle}::{method_name}`]. Set optional parameters, then [`send`](Self::send) it or `.await` it.",
        code(&format!("{} {path_template}", http_method.as_str()))
    ));
    if let Some(example) = example {
        text.push(String::new());
        text.extend(example.iter().map(|line| format!(" {line}")));
    }
    let docs = lines(&text);
    let fields = params.iter().map(|param| {
        let name = ident(&param.rust);
        let ty = param_type(&param.ty);
        if param.required {
            quote!(#name: #ty,)
        } else {
            quote!(#name: Option<#ty>,)
        }
    });
    let body_field = body.as_ref().map(
        |ir::Body {
             ty,
             description: _,
             content: _,
         }| {
            let ty = model_type(ty);
            quote!(body: #ty,)
        },
    );
    let setters = params.iter().filter(|p| !p.required).map(emit_setter);
    let method_variant = ident(http_method.variant());
    let cost = proc_macro2::Literal::u32_unsuffixed(*cost);
    let (send, output) = emit_send(segments, params, body.as_ref(), response);
    let streams = match &response.shape {
        ir::Shape::Page(page) => Some(emit_streams(page)),
        ir::Shape::Single { .. } | ir::Shape::Plain(_) => None,
    };
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder {
            client: #CLIENT,
            options: #CALL_OPTIONS,
            #(#fields)*
            #body_field
        }

        impl #builder {
            /// What the API description says about this operation.
            pub const OPERATION: #OPERATION = #OPERATION {
                id: #id,
                method: #HTTP_METHOD::#method_variant,
                path: #path_template,
                version: #version,
                cost: #cost,
            };

            #(#setters)*

            /// Bounds this whole call by `timeout`: retries, their waits and reading the
            /// body included, in place of the client's per-attempt timeout. When it passes,
            /// the call is [`Error::Timeout`](crate::Error::Timeout).
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }

            /// Retries this call as `policy` says, in place of the client's policy; which
            /// failures may be retried does not change.
            pub fn retry_policy(mut self, policy: #RETRY_POLICY) -> Self {
                self.options.retry = Some(policy);
                self
            }

            #send

            #streams
        }

        /// `.await` sends the request, as [`send`](Self::send) does.
        impl ::std::future::IntoFuture for #builder {
            type Output = Result<#RESPONSE<#output>, #ERROR>;
            type IntoFuture = ::std::pin::Pin<Box<dyn ::std::future::Future<Output = Self::Output> + Send + 'static>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    }
}

fn emit_setter(param: &ir::Param) -> TokenStream {
    let name = ident(&param.rust);
    let docs = doc(&param_doc(param));
    let allows = method_allows(&param.rust, Receiver::Value, 1);
    let (ty, conversion) = argument(&name, &param.ty);
    let value = conversion.unwrap_or_else(|| quote!(#name));
    quote! {
        #docs
        #allows
        pub fn #name(mut self, #name: #ty) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}

/// Where the values of a request's parameters are read from.
#[derive(Clone, Copy)]
pub(super) enum Source {
    /// The builder's fields: `self.id`.
    Fields,
    /// Local variables of the same names, holding the stored types: `id`.
    Locals,
}

impl Source {
    fn read(self, name: &Ident) -> TokenStream {
        match self {
            Self::Fields => quote!(self.#name),
            Self::Locals => quote!(#name),
        }
    }
}

/// The `Request` of `operation` (an expression naming its `Operation` constant), from
/// its path values and the query parameters `params` (in order); `source` says where
/// their values are.
pub(super) fn request_expr<'p>(
    operation: &TokenStream,
    segments: &[ir::Segment],
    params: impl IntoIterator<Item = &'p ir::Param>,
    source: Source,
) -> TokenStream {
    let path = segments.iter().map(|segment| match segment {
        ir::Segment::Literal(text) => quote!(.literal(#text)),
        ir::Segment::Param { rust, ty } => {
            let value = source.read(&ident(rust));
            match ty {
                // Integers are `Copy`; strings are borrowed.
                ir::PathType::Integer => quote!(.segment(#value)),
                ir::PathType::String => quote!(.segment(&#value)),
            }
        }
    });
    let query = params
        .into_iter()
        .filter(|p| p.location == ir::Location::Query)
        .map(|param| {
            let ir::Param {
                wire,
                rust,
                style,
                required,
                ty,
                location: _,
                description: _,
                default: _,
                minimum: _,
                maximum: _,
                max_items: _,
                format: _,
                upstream: _,
            } = param;
            let value = source.read(&ident(rust));
            match (style, required, ty) {
                (ir::QueryStyle::Comma, false, _) => {
                    quote!(.query_comma(#wire, #value.as_deref()))
                }
                (ir::QueryStyle::Comma, true, _) => {
                    quote!(.query_comma(#wire, Some(#value.as_slice())))
                }
                (ir::QueryStyle::Explode, false, _) => {
                    quote!(.query_explode(#wire, #value.as_deref()))
                }
                (ir::QueryStyle::Explode, true, _) => {
                    quote!(.query_explode(#wire, Some(#value.as_slice())))
                }
                (ir::QueryStyle::Flag, false, _) => quote!(.query_flag(#wire, #value)),
                (ir::QueryStyle::Flag, true, _) => quote!(.query_flag(#wire, Some(#value))),
                // v1 writes times as `YYYY-MM-DD HH:MM:SS`; everything else is its `Display`.
                (ir::QueryStyle::Plain, false, ir::Type::Timestamp(ir::TimeFormat::V1)) => {
                    quote!(.query(#wire, #value.map(#V1_DATETIME)))
                }
                (ir::QueryStyle::Plain, true, ir::Type::Timestamp(ir::TimeFormat::V1)) => {
                    quote!(.query(#wire, Some(#V1_DATETIME(#value))))
                }
                (ir::QueryStyle::Plain, false, _) => quote!(.query(#wire, #value.as_ref())),
                (ir::QueryStyle::Plain, true, _) => quote!(.query(#wire, Some(&#value))),
            }
        });
    quote! {
        #REQUEST::new(&#operation)
            #(#path)*
            #(#query)*
    }
}

/// `request`, which builds the request from the builder's fields, `send`, which sends
/// it and decodes the response, and the type `send` returns inside `Response`.
fn emit_send(
    segments: &[ir::Segment],
    params: &[ir::Param],
    body: Option<&ir::Body>,
    response: &ir::Response,
) -> (TokenStream, TokenStream) {
    let ir::Response { status, shape } = response;
    let request = request_expr(&quote!(Self::OPERATION), segments, params, Source::Fields);
    let body = body.map(
        |ir::Body {
             content,
             ty: _,
             description: _,
         }| match content {
            ir::Content::Json => quote!(.json(&self.body)),
            ir::Content::Multipart => quote!(.multipart(&self.body)),
        },
    );
    let (output, call, items_field) = match shape {
        ir::Shape::Single {
            data,
            nullable: _,
            additional: Some(additional),
        } => {
            let data = model_type(data);
            let additional = model_type(additional);
            (
                quote!(#WITH_ADDITIONAL<#data, #additional>),
                quote!(#SINGLE_ADDITIONAL::<#data, #additional>),
                None,
            )
        }
        ir::Shape::Single {
            data: ir::Type::List(item),
            nullable: _,
            additional: None,
        } => {
            let item = model_type(item);
            (quote!(Vec<#item>), quote!(#SINGLE_LIST::<#item>), None)
        }
        ir::Shape::Single {
            data,
            nullable: true,
            additional: None,
        } => {
            let data = model_type(data);
            (
                quote!(Option<#data>),
                quote!(#SINGLE_OPTIONAL::<#data>),
                None,
            )
        }
        ir::Shape::Single {
            data,
            nullable: false,
            additional: None,
        } => {
            let data = model_type(data);
            (data.clone(), quote!(#SINGLE::<#data>), None)
        }
        ir::Shape::Plain(ty) => {
            let ty = model_type(ty);
            (ty.clone(), quote!(#PLAIN::<#ty>), None)
        }
        ir::Shape::Page(ir::Page {
            kind,
            item,
            position: _,
            items_field,
        }) => {
            let item = model_type(item);
            let items_field = match items_field {
                Some(wire) => quote!(Some(#wire)),
                None => quote!(None),
            };
            match kind {
                ir::PageKind::Cursor => (
                    quote!(#CURSOR_PAGE<#item>),
                    quote!(#CURSOR_PAGE_CALL::<#item>),
                    Some(items_field),
                ),
                ir::PageKind::Offset => (
                    quote!(#OFFSET_PAGE<#item>),
                    quote!(#OFFSET_PAGE_CALL::<#item>),
                    Some(items_field),
                ),
            }
        }
    };
    let items_field = items_field.iter();
    let docs = doc(&format!(
        "Sends the request and decodes the `{status}` response; any other status is an [`Error`](crate::Error)."
    ));
    let send = quote! {
        /// The request this builder describes; `send` sends it, and a mock matches it.
        pub(crate) fn request(&self) -> #REQUEST {
            #request #body .with_options(self.options)
        }

        #docs
        pub async fn send(self) -> Result<#RESPONSE<#output>, #ERROR> {
            #call(&self.client, self.request() #(, #items_field)*).await
        }
    };
    (send, output)
}
