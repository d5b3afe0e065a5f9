//! The examples of the docs: each operation's method shows a call with every required
//! argument and one optional setter, awaited; each model shows how a value is made (a
//! struct from its constructor and a setter, an enum, id or union from its plain value).
//! They are built as tokens like the rest of the output, then printed by prettyplease
//! into the doc comment, so rustdoc compiles each as a doctest of the generated crate.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use crate::contract::CRATE;
use crate::ir;

/// How deep example values nest models inside models before giving up on an example.
const MAX_DEPTH: usize = 6;

/// The models of the API by module and name, for example values of their types.
pub(crate) struct Models<'a>(BTreeMap<(&'a str, &'a str), &'a ir::Model>);

impl<'a> Models<'a> {
    pub(crate) fn of(api: &'a ir::Api) -> Self {
        let resources = api
            .resources
            .iter()
            .map(|resource| (resource.module.as_str(), &resource.models));
        let shared = api
            .shared
            .iter()
            .map(|file| (file.module.as_str(), &file.models));
        let models = resources.chain(shared).flat_map(|(module, models)| {
            models.iter().map(move |model| {
                let name = match model {
                    ir::Model::Struct(ir::Struct { name, .. })
                    | ir::Model::Enum(ir::Enum { name, .. })
                    | ir::Model::Id(ir::Id { name, .. })
                    | ir::Model::Union(ir::Union { name, .. }) => name.as_str(),
                };
                ((module, name), model)
            })
        });
        Self(models.collect())
    }

    pub(super) fn get(&self, name: &ir::TypeName) -> Option<&'a ir::Model> {
        self.0
            .get(&(name.module.as_str(), name.name.as_str()))
            .copied()
    }
}

/// Whether an example value is an argument of a method or setter, or a field passed
/// to a model's constructor: both take lists as `impl IntoIterator`.
pub(super) fn value(ty: &ir::Type, models: &Models<'_>, depth: usize) -> Option<TokenStream> {
    let krate = format_ident!("{}", CRATE);
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match ty {
        ir::Type::String => quote!("example"),
        ir::Type::Integer => quote!(1),
        ir::Type::Number => quote!(1.5),
        ir::Type::Boolean | ir::Type::Flag => quote!(true),
        ir::Type::Json => quote!(::serde_json::Value::Null),
        ir::Type::File => {
            quote!(#krate::File::from_bytes("example.png", "image/png", vec![0u8; 4]))
        }
        ir::Type::List(item) => {
            let item = value(item, models, depth + 1)?;
            quote!([#item])
        }
        ir::Type::Map(_) => quote!(::std::collections::BTreeMap::new()),
        ir::Type::CustomFields => quote!(#krate::CustomFields::new()),
        ir::Type::Timestamp(_) => quote!(#krate::jiff::Timestamp::UNIX_EPOCH),
        ir::Type::Date => quote!(#krate::jiff::civil::date(2024, 1, 31)),
        ir::Type::Enum(name)
        | ir::Type::Struct(name)
        | ir::Type::Id(name, _)
        | ir::Type::Union(name) => {
            let path = {
                let module = ident(&name.module);
                let name = ident(&name.name);
                quote!(#krate::#module::#name)
            };
            match models.get(name)? {
                ir::Model::Enum(ir::Enum {
                    name: _,
                    description: _,
                    kind: _,
                    variants,
                    upstream: _,
                }) => {
                    let ir::Variant {
                        rust,
                        wire: _,
                        code: _,
                        description: _,
                    } = variants.first()?;
                    let variant = ident(rust);
                    quote!(#path::#variant)
                }
                // Arguments and fields of ids and unions take what converts into them.
                ir::Model::Id(ir::Id {
                    kind: ir::IdKind::Integer,
                    name: _,
                    description: _,
                }) => quote!(1),
                ir::Model::Id(ir::Id {
                    kind: ir::IdKind::String,
                    name: _,
                    description: _,
                }) => quote!("example"),
                ir::Model::Union(ir::Union {
                    variants,
                    name: _,
                    description: _,
                }) => match variants.first()? {
                    ir::UnionVariant::Integer => quote!(1i64),
                    ir::UnionVariant::Number => quote!(1.5f64),
                    ir::UnionVariant::String => quote!("example"),
                    ir::UnionVariant::Boolean => quote!(true),
                },
                ir::Model::Struct(ir::Struct {
                    name: _,
                    description: _,
                    fields,
                    has_default,
                    upload: _,
                    definition: _,
                    upstream: _,
                }) => {
                    let required: Vec<&ir::Field> =
                        fields.iter().filter(|field| field.required).collect();
                    if required.is_empty() {
                        if !has_default {
                            return None;
                        }
                        quote!(#path::default())
                    } else {
                        let values = required
                            .iter()
                            .map(|field| value(&field.ty, models, depth + 1))
                            .collect::<Option<Vec<_>>>()?;
                        quote!(#path::new(#(#values),*))
                    }
                }
            }
        }
    })
}

/// The example of `operation`, called through `client.{accessor}()`, as the lines of a
/// Markdown code block; `None` when a value of some argument cannot be made up.
pub(crate) fn operation_example(
    accessor: &str,
    operation: &ir::Operation,
    models: &Models<'_>,
) -> Option<Vec<String>> {
    let ir::Operation {
        method_name,
        deprecated,
        params,
        body,
        id: _,
        builder: _,
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
    let krate = format_ident!("{}", CRATE);
    let accessor = ident(accessor);
    let method = ident(method_name);
    let mut args = Vec::new();
    for param in params.iter().filter(|param| param.required) {
        args.push(value(&param.ty, models, 0)?);
    }
    if let Some(ir::Body {
        ty,
        description: _,
        content: _,
    }) = body
    {
        args.push(value(ty, models, 0)?);
    }
    let setter = params
        .iter()
        .find(|param| !param.required)
        .and_then(|param| {
            let name = ident(&param.rust);
            let value = value(&param.ty, models, 0)?;
            Some(quote!(.#name(#value)))
        });
    let allow = deprecated.as_ref().map(|_| quote!(#[allow(deprecated)]));
    let tokens = quote! {
        #allow
        async fn example(client: #krate::Client) -> Result<(), #krate::Error> {
            let response = client.#accessor().#method(#(#args),*)#setter.await?;
            println!("{:?}", response.data);
            Ok(())
        }
    };
    render(tokens, "```no_run")
}

/// The example of a resource's mock: an expectation on `operation` that fails with a
/// 404, and the call it answers. `None` when a value of some argument cannot be made up.
pub(crate) fn mock_example(
    accessor: &str,
    operation: &ir::Operation,
    models: &Models<'_>,
) -> Option<Vec<String>> {
    let ir::Operation {
        method_name,
        deprecated,
        params,
        body,
        id: _,
        builder: _,
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
    let krate = format_ident!("{}", CRATE);
    let accessor = ident(accessor);
    let method = ident(method_name);
    let mut call = Vec::new();
    for param in params.iter().filter(|param| param.required) {
        call.push(value(&param.ty, models, 0)?);
    }
    // The mock of an operation with a body takes its path and required query values;
    // one without takes what the call takes.
    let expected = call.clone();
    if let Some(ir::Body {
        ty,
        description: _,
        content: _,
    }) = body
    {
        call.push(value(ty, models, 0)?);
    }
    let allow = deprecated.as_ref().map(|_| quote!(#[allow(deprecated)]));
    let tokens = quote! {
        #allow
        async fn example() {
            let mock = #krate::mock::MockServer::start().await;
            mock.#accessor().#method(#(#expected),*).fails(404, "not found").await;
            let error = mock.client().#accessor().#method(#(#call),*).await.unwrap_err();
            assert!(error.is_not_found());
        }
    };
    render(tokens, "```no_run")
}

/// The example of a model of `module`: how a value of it is made. `None` when a value of
/// some required field cannot be made up.
pub(crate) fn model_example(
    model: &ir::Model,
    module: &str,
    models: &Models<'_>,
) -> Option<Vec<String>> {
    let krate = format_ident!("{}", CRATE);
    let path = |name: &str| {
        let (module, name) = (ident(module), ident(name));
        quote!(#krate::#module::#name)
    };
    let body = match model {
        ir::Model::Struct(ir::Struct {
            name,
            fields,
            description: _,
            has_default: _,
            upload: _,
            definition: _,
            upstream: _,
        }) => {
            let ty = ir::Type::Struct(ir::TypeName {
                module: module.to_owned(),
                name: name.clone(),
            });
            let made = value(&ty, models, 0)?;
            // A field that can be sent as null takes a `Nullable`, which an id or a
            // union does not convert into in one step: the example sets another.
            let setter = fields
                .iter()
                .find(|field| !field.required && !field.three_state)
                .and_then(|field| {
                    let name = ident(&field.rust);
                    let value = value(&field.ty, models, 1)?;
                    Some(quote!(.#name(#value)))
                });
            quote! {
                let value = #made #setter;
                println!("{value:?}");
            }
        }
        ir::Model::Enum(ir::Enum {
            name,
            variants,
            kind,
            description: _,
            upstream: _,
        }) => {
            let path = path(name);
            let ir::Variant {
                rust,
                wire,
                code,
                description: _,
            } = variants.first()?;
            let variant = ident(rust);
            let plain = match kind {
                ir::EnumKind::String => quote!(#wire),
                ir::EnumKind::Integer => {
                    let code = proc_macro2::Literal::i64_unsuffixed((*code)?);
                    quote!(#code)
                }
            };
            quote! {
                let value = #path::from(#plain);
                assert_eq!(value, #path::#variant);
            }
        }
        ir::Model::Id(ir::Id {
            name,
            kind,
            description: _,
        }) => {
            let path = path(name);
            let plain = match kind {
                ir::IdKind::Integer => quote!(5),
                ir::IdKind::String => quote!("abc"),
            };
            quote! {
                let id = #path::from(#plain);
                assert_eq!(id, #plain);
            }
        }
        ir::Model::Union(ir::Union {
            name,
            variants,
            description: _,
        }) => {
            let path = path(name);
            let plain = match variants.first()? {
                ir::UnionVariant::Integer => quote!(5i64),
                ir::UnionVariant::Number => quote!(1.5f64),
                ir::UnionVariant::String => quote!("abc"),
                ir::UnionVariant::Boolean => quote!(true),
            };
            quote! {
                let value = #path::from(#plain);
                println!("{value}");
            }
        }
    };
    // Printed inside a function for prettyplease, then taken out of it: rustdoc runs the
    // statements as they are, so the assertions run too.
    let lines = render(quote!(fn example() { #body }), "```")?;
    let last = lines.len().checked_sub(2)?;
    Some(
        lines
            .into_iter()
            .enumerate()
            .filter(|(number, _)| *number != 1 && *number != last)
            .map(|(_, line)| line)
            .collect(),
    )
}

/// `tokens`, a function around an example, printed as the lines of a Markdown code block
/// that opens with `fence`; the function itself is scaffolding, shown to the compiler and
/// hidden from the reader.
fn render(tokens: TokenStream, fence: &str) -> Option<Vec<String>> {
    let file = syn::parse2::<syn::File>(tokens).ok()?;
    let text = prettyplease::unparse(&file);
    let body: Vec<&str> = text.lines().collect();
    let last = body.len().checked_sub(1)?;
    let mut lines = vec![fence.to_owned()];
    for (number, line) in body.iter().enumerate() {
        let scaffolding = number == 0
            || number == last
            || line.trim() == "Ok(())"
            || line.starts_with("#[")
            || line.starts_with("async fn example")
            || line.starts_with("fn example");
        let line = line.strip_prefix("    ").unwrap_or(line);
        lines.push(if scaffolding {
            format!("# {line}")
        } else {
            (*line).to_owned()
        });
    }
    lines.push("```".to_owned());
    Some(lines)
}
