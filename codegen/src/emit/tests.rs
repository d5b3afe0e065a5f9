//! The tests every operation gets, derived from the spec rather than written by hand:
//! `tests/tests/operations/<resource>.rs`, one `#[tokio::test]` per operation, and a
//! `mod.rs` that gathers them, which the hand-written `tests/tests/operations.rs`
//! includes as one test binary.
//!
//! Each test calls its operation with every documented parameter and body field set to
//! a sample value, against a loopback server that answers with Pipedrive's example body
//! for the operation; it checks the request on the wire (method, path, every query
//! pair as the spec says it is written, the body's keys) and that the example decodes,
//! with no item of a page lost. Then it answers the same call through the operation's
//! typed mock with what it decoded, and checks that it gets the same back. The expected
//! wire text is worked out here, from the spec, independently of the runtime that
//! writes it. The shared machinery is the tests crate's `tests::operations`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, inner_doc};
use super::example::{Models, value};
use super::ident;
use crate::contract::CRATE;
use crate::ir;

/// The directory, relative to the repository's root, the derived tests are written to.
pub const TESTS_DIR: &str = "tests/tests/operations";

/// `mod.rs` of the derived tests: one module per resource, and the decoder of every
/// operation whose data is a model (or a page of them), for the property tests.
pub(crate) fn emit_tests_main(api: &ir::Api) -> TokenStream {
    let modules = api.resources.iter().map(|resource| ident(&resource.module));
    let krate = format_ident!("{}", CRATE);
    let decoders = api
        .resources
        .iter()
        .flat_map(|resource| &resource.operations)
        .filter_map(|operation| {
            let item = match &operation.response.shape {
                ir::Shape::Page(page) => &page.item,
                ir::Shape::Single { data, .. } | ir::Shape::Plain(data) => data,
            };
            let ir::Type::Struct(name) = item else {
                return None;
            };
            let module = ident(&name.module);
            let type_name = ident(&name.name);
            let id = &operation.id;
            Some(quote!((#id, tests::operations::decode_page::<#krate::#module::#type_name>)))
        });
    let docs = inner_doc(&format!(
        "The tests every operation of `spec/` gets, one module per resource, written by `cargo xtask generate` from the spec (see `codegen/src/emit/tests.rs`): each calls its operation with every parameter and body field set, against a server that answers with Pipedrive's example, checks the request on the wire and the decoded answer, and does the same through the operation's typed mock. {} operations in all.",
        api.resources
            .iter()
            .map(|r| r.operations.len())
            .sum::<usize>()
    ));
    quote! {
        #docs
        #![allow(deprecated, reason = "the deprecated operations are tested like the others")]
        #![allow(missing_docs, reason = "tests")]
        #(mod #modules;)*

        /// The decoder of each operation whose data is a model or a page of them, by
        /// operation id.
        pub(crate) fn decoders() -> Vec<(&'static str, tests::operations::PageDecoder)> {
            vec![#(#decoders),*]
        }
    }
}

/// The tests of one resource's operations.
pub(crate) fn emit_resource_tests(resource: &ir::Resource, models: &Models<'_>) -> TokenStream {
    let ir::Resource {
        module,
        operations,
        source,
        handle: _,
        mock: _,
        description: _,
        models: _,
        requires: _,
        upstream: _,
    } = resource;
    let docs = inner_doc(&format!(
        "The derived tests of the operations of {}.",
        code(source)
    ));
    let tests = operations
        .iter()
        .map(|operation| emit_operation_test(module, operation, models));
    quote! {
        #docs
        use tests::operations::{Body, Expected, round_trip};
        #(#tests)*
    }
}

/// A sample value of a parameter or field: the argument's tokens, and its text on the
/// wire, one per query pair.
struct Sample {
    tokens: TokenStream,
    wire: Vec<String>,
}

/// An integer within `minimum` and `maximum`, 1 when they allow it.
fn integer_within(minimum: Option<i64>, maximum: Option<i64>) -> i64 {
    let low = minimum.map_or(1, |min| min.max(1));
    maximum.map_or(low, |max| low.min(max))
}

/// The sample of a parameter or body field of type `ty`.
fn sample(
    ty: &ir::Type,
    style: ir::QueryStyle,
    minimum: Option<i64>,
    maximum: Option<i64>,
    models: &Models<'_>,
) -> Option<Sample> {
    let krate = format_ident!("{}", CRATE);
    Some(match ty {
        ir::Type::Integer => {
            let n = integer_within(minimum, maximum);
            let literal = proc_macro2::Literal::i64_unsuffixed(n);
            Sample {
                tokens: quote!(#literal),
                wire: vec![n.to_string()],
            }
        }
        ir::Type::Number => {
            let n = match (minimum, maximum) {
                (Some(min), _) if min as f64 > 1.5 => min as f64,
                (_, Some(max)) if (max as f64) < 1.5 => max as f64,
                _ => 1.5,
            };
            let literal = proc_macro2::Literal::f64_unsuffixed(n);
            Sample {
                tokens: quote!(#literal),
                wire: vec![format!("{n}")],
            }
        }
        ir::Type::String => Sample {
            tokens: quote!("example"),
            wire: vec!["example".to_owned()],
        },
        ir::Type::Boolean => Sample {
            tokens: quote!(true),
            wire: vec!["true".to_owned()],
        },
        ir::Type::Flag => Sample {
            tokens: quote!(true),
            wire: vec!["1".to_owned()],
        },
        ir::Type::Timestamp(format) => Sample {
            tokens: quote!(#krate::jiff::Timestamp::UNIX_EPOCH),
            wire: vec![match format {
                ir::TimeFormat::Rfc3339 => "1970-01-01T00:00:00Z".to_owned(),
                ir::TimeFormat::V1 => "1970-01-01 00:00:00".to_owned(),
            }],
        },
        ir::Type::Date => Sample {
            tokens: quote!(#krate::jiff::civil::date(2024, 1, 31)),
            wire: vec!["2024-01-31".to_owned()],
        },
        ir::Type::Id(_, ir::IdKind::Integer) => Sample {
            tokens: quote!(1),
            wire: vec!["1".to_owned()],
        },
        ir::Type::Id(_, ir::IdKind::String) => Sample {
            tokens: quote!("example"),
            wire: vec!["example".to_owned()],
        },
        ir::Type::Enum(name) => {
            let ir::Model::Enum(ir::Enum { variants, .. }) = models.get(name)? else {
                return None;
            };
            let variant = variants.first()?;
            let module = ident(&name.module);
            let type_name = ident(&name.name);
            let rust = ident(&variant.rust);
            Sample {
                tokens: quote!(#krate::#module::#type_name::#rust),
                wire: vec![variant.wire.clone()],
            }
        }
        ir::Type::Union(name) => {
            let ir::Model::Union(ir::Union { variants, .. }) = models.get(name)? else {
                return None;
            };
            let (tokens, wire) = match variants.first()? {
                ir::UnionVariant::Integer => (quote!(1i64), "1"),
                ir::UnionVariant::Number => (quote!(1.5f64), "1.5"),
                ir::UnionVariant::String => (quote!("example"), "example"),
                ir::UnionVariant::Boolean => (quote!(true), "true"),
            };
            Sample {
                tokens,
                wire: vec![wire.to_owned()],
            }
        }
        ir::Type::List(item) => {
            let item = sample(item, ir::QueryStyle::Plain, minimum, maximum, models)?;
            let tokens = item.tokens;
            let wire = match style {
                ir::QueryStyle::Comma => vec![item.wire.join(",")],
                _ => item.wire,
            };
            Sample {
                tokens: quote!([#tokens]),
                wire,
            }
        }
        // No parameter has these types (checking refuses them).
        ir::Type::Json
        | ir::Type::Map(_)
        | ir::Type::Struct(_)
        | ir::Type::File
        | ir::Type::CustomFields => return None,
    })
}

/// A value of exactly a model field's type, within its bounds: what a setter of any kind
/// takes (`impl Into<T>`, `impl Into<Nullable<T>>`, an iterator of items).
fn typed_value(ty: &ir::Type, bounds: &ir::Bounds, models: &Models<'_>) -> Option<TokenStream> {
    let krate = format_ident!("{}", CRATE);
    let path = |name: &ir::TypeName| {
        let module = ident(&name.module);
        let type_name = ident(&name.name);
        quote!(#krate::#module::#type_name)
    };
    Some(match ty {
        ir::Type::Integer => {
            let n =
                proc_macro2::Literal::i64_suffixed(integer_within(bounds.minimum, bounds.maximum));
            quote!(#n)
        }
        ir::Type::Number => {
            let n = match (bounds.minimum, bounds.maximum) {
                (Some(min), _) if min as f64 > 1.5 => min as f64,
                (_, Some(max)) if (max as f64) < 1.5 => max as f64,
                _ => 1.5,
            };
            let n = proc_macro2::Literal::f64_suffixed(n);
            quote!(#n)
        }
        ir::Type::String => quote!(::std::string::String::from("example")),
        ir::Type::Boolean | ir::Type::Flag => quote!(true),
        ir::Type::Json => quote!(::serde_json::Value::Null),
        // One value, so that the body sends the key (an empty map is left out).
        ir::Type::CustomFields => {
            quote!(#krate::CustomFields::from_iter([("example", "example")]))
        }
        ir::Type::Timestamp(_) => {
            quote!(#krate::Timestamp::from(#krate::jiff::Timestamp::UNIX_EPOCH))
        }
        ir::Type::Date => quote!(#krate::Date::from(#krate::jiff::civil::date(2024, 1, 31))),
        ir::Type::Id(name, ir::IdKind::Integer) => {
            let path = path(name);
            quote!(#path::from(1))
        }
        ir::Type::Id(name, ir::IdKind::String) => {
            let path = path(name);
            quote!(#path::from("example"))
        }
        ir::Type::Union(name) => {
            let ir::Model::Union(ir::Union { variants, .. }) = models.get(name)? else {
                return None;
            };
            let path = path(name);
            match variants.first()? {
                ir::UnionVariant::Integer => quote!(#path::from(1i64)),
                ir::UnionVariant::Number => quote!(#path::from(1.5f64)),
                ir::UnionVariant::String => quote!(#path::from("example")),
                ir::UnionVariant::Boolean => quote!(#path::from(true)),
            }
        }
        ir::Type::List(item) => {
            let item = typed_value(item, &ir::Bounds::default(), models)?;
            quote!(::std::vec![#item])
        }
        ir::Type::Enum(_) | ir::Type::Struct(_) | ir::Type::File | ir::Type::Map(_) => {
            value(ty, models, 1)?
        }
    })
}

/// A body value with every field set, and the keys (or parts) it sends.
fn full_body(ty: &ir::Type, models: &Models<'_>) -> Option<(TokenStream, Vec<String>)> {
    let name = ty.named()?;
    let ir::Model::Struct(ir::Struct { fields, .. }) = models.get(name)? else {
        return None;
    };
    let krate = format_ident!("{}", CRATE);
    let module = ident(&name.module);
    let type_name = ident(&name.name);
    let path = quote!(#krate::#module::#type_name);
    let mut required = Vec::new();
    let mut setters = Vec::new();
    for field in fields {
        let value = typed_value(&field.ty, &field.bounds, models)?;
        if field.required {
            required.push(value);
        } else {
            let setter = ident(&field.rust);
            setters.push(quote!(.#setter(#value)));
        }
    }
    let constructor = if required.is_empty() {
        quote!(#path::default())
    } else {
        quote!(#path::new(#(#required),*))
    };
    let keys = fields.iter().map(|field| field.wire.clone()).collect();
    Some((quote!(#constructor #(#setters)*), keys))
}

/// The derived test of one operation; a test that says why, when no sample of some
/// argument can be made.
fn emit_operation_test(
    module: &str,
    operation: &ir::Operation,
    models: &Models<'_>,
) -> TokenStream {
    let ir::Operation {
        id,
        method_name,
        http_method,
        segments,
        deprecated: _,
        params,
        body,
        response,
        builder: _,
        version: _,
        path_template: _,
        summary: _,
        description: _,
        cost: _,
        scopes: _,
        upstream: _,
    } = operation;
    let name = format_ident!("{}", method_name.trim_end_matches('_'));
    let test_name = format_ident!("{}_{}", module, name);
    let accessor = ident(module);
    let method = ident(method_name);
    let Some(parts) = operation_parts(params, body.as_ref(), models) else {
        let message = format!("{id}: the derived test cannot make a sample of every argument");
        return quote! {
            #[test]
            fn #test_name() {
                panic!(#message);
            }
        };
    };
    let OperationParts {
        arguments,
        setters,
        mock_arguments,
        query,
        body,
    } = parts;
    let mut path = String::new();
    for segment in segments {
        path.push('/');
        match segment {
            ir::Segment::Literal(text) => path.push_str(text),
            ir::Segment::Param { rust, ty: _ } => {
                let param = params.iter().find(|param| &param.rust == rust);
                let text = param
                    .and_then(|param| {
                        sample(&param.ty, param.style, param.minimum, param.maximum, models)
                    })
                    .and_then(|sample| sample.wire.into_iter().next())
                    .unwrap_or_default();
                path.push_str(&text);
            }
        }
    }
    let query_pairs = query.iter().map(|(name, value)| quote!((#name, #value)));
    let http = http_method.as_str();
    let status = response.status;
    let all_setters: Vec<&TokenStream> = setters.iter().map(|(_, setter)| setter).collect();
    let call = quote!(client.#accessor().#method(#(#arguments),*)#(#all_setters)*.send());
    // The mock's first page is the request without a position: a page's own position
    // is left out of the second call.
    let position = match &response.shape {
        ir::Shape::Page(page) => Some(page.position.as_str()),
        ir::Shape::Single { .. } | ir::Shape::Plain(_) => None,
    };
    let mock_setters: Vec<&TokenStream> = setters
        .iter()
        .filter(|(rust, _)| Some(rust.as_str()) != position)
        .map(|(_, setter)| setter)
        .collect();
    let mock_call = {
        let refine = (operation.body.is_none() && !mock_setters.is_empty())
            .then(|| quote!(.query(|request| request #(#mock_setters)*)));
        quote!(mock.#accessor().#method(#(#mock_arguments),*) #refine)
    };
    let (check, answer, compare) = match &response.shape {
        ir::Shape::Page(_) => (
            Some(quote! {
                assert!(response.data.failed.is_empty(), "{}: items did not decode: {:?}", #id, response.data.failed);
            }),
            quote!(response.data.items.clone()),
            quote!(assert_eq!(again.data.items, response.data.items, "{}: the mock answers what it was given", #id);),
        ),
        ir::Shape::Single { .. } | ir::Shape::Plain(_) => (
            None,
            quote!(response.data.clone()),
            quote!(assert_eq!(again.data, response.data, "{}: the mock answers what it was given", #id);),
        ),
    };
    let again_call = quote!(client.#accessor().#method(#(#arguments),*)#(#mock_setters)*.send());
    quote! {
        #[tokio::test]
        async fn #test_name() {
            let expected = Expected {
                operation: #id,
                method: #http,
                path: #path,
                query: &[#(#query_pairs),*],
                body: #body,
                status: #status,
            };
            let response = round_trip(expected, |client| #call).await;
            #check
            let mock = pipedrive::mock::MockServer::start().await;
            #mock_call.responds(#answer).await;
            let client = mock.client();
            let again = #again_call.await.unwrap_or_else(|error| panic!("{}: the mock's answer: {error}", #id));
            #compare
        }
    }
}

/// What a derived test calls an operation with, and what it expects on the wire.
struct OperationParts {
    /// The handle method's arguments: required parameters, then the body.
    arguments: Vec<TokenStream>,
    /// A setter per optional parameter, with the parameter's Rust name.
    setters: Vec<(String, TokenStream)>,
    /// The mock method's arguments: the required parameters (with a body, only those
    /// of the path and query).
    mock_arguments: Vec<TokenStream>,
    /// Every query pair the request must carry.
    query: Vec<(String, String)>,
    /// The `Body` expectation, as tokens.
    body: TokenStream,
}

fn operation_parts(
    params: &[ir::Param],
    body: Option<&ir::Body>,
    models: &Models<'_>,
) -> Option<OperationParts> {
    let mut arguments = Vec::new();
    let mut setters = Vec::new();
    let mut mock_arguments = Vec::new();
    let mut query = Vec::new();
    for param in params {
        let Sample { tokens, wire } =
            sample(&param.ty, param.style, param.minimum, param.maximum, models)?;
        if param.location == ir::Location::Query {
            query.extend(wire.into_iter().map(|text| (param.wire.clone(), text)));
        }
        if param.required {
            arguments.push(tokens.clone());
            mock_arguments.push(tokens);
        } else {
            let setter = ident(&param.rust);
            setters.push((param.rust.clone(), quote!(.#setter(#tokens))));
        }
    }
    let body = match body {
        None => quote!(Body::None),
        Some(ir::Body {
            ty,
            content,
            description: _,
        }) => {
            let (tokens, keys, list) = match ty {
                ir::Type::List(item) => {
                    let (tokens, keys) = full_body(item, models)?;
                    (quote!([#tokens]), keys, true)
                }
                other => {
                    let (tokens, keys) = full_body(other, models)?;
                    (tokens, keys, false)
                }
            };
            arguments.push(tokens);
            let keys = keys.iter();
            match (content, list) {
                (ir::Content::Multipart, _) => quote!(Body::Form(&[#(#keys),*])),
                (ir::Content::Json, true) => quote!(Body::List(&[#(#keys),*])),
                (ir::Content::Json, false) => quote!(Body::Object(&[#(#keys),*])),
            }
        }
    };
    Some(OperationParts {
        arguments,
        setters,
        mock_arguments,
        query,
        body,
    })
}
