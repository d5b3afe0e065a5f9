//! Models: one struct per object schema, one enum per string enum.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc, format_doc, inner_doc, prose};
use super::{MAX_ARGUMENTS, ident, rust_type};
use crate::contract::{FLAG, OPTIONAL_FLAG};
use crate::ir;

/// A model file: every model one spec file defines.
pub(crate) fn emit_model_file(file: &ir::ModelFile) -> TokenStream {
    let ir::ModelFile { source, module: _, models } = file;
    let docs = inner_doc(&format!("Models of {}.", code(source)));
    let items = models.iter().map(emit_model);
    quote! {
        #docs
        #![allow(clippy::type_complexity, reason = "the types are the API's own, however deeply it nests them")]
        #(#items)*
    }
}

fn emit_model(model: &ir::Model) -> TokenStream {
    match model {
        ir::Model::Struct(model) => emit_struct(model),
        ir::Model::Enum(model) => emit_enum(model),
    }
}

fn emit_struct(model: &ir::Struct) -> TokenStream {
    let ir::Struct { name, description, fields, has_default } = model;
    let docs = doc(&prose(description));
    let name = ident(name);
    let field_items = fields.iter().map(emit_field);
    let default = has_default.then(|| quote!(Default,));
    let constructor = emit_constructor(&name, fields);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#field_items)*
            /// Keys the API sent that this model does not list, kept as they came.
            #[serde(flatten)]
            pub extra: ::serde_json::Map<String, ::serde_json::Value>,
        }
        #constructor
    }
}

fn emit_field(field: &ir::Field) -> TokenStream {
    let ir::Field { wire, rust, ty, required, nullable, description, format } = field;
    let mut text = prose(description);
    if let Some(format) = format {
        text = format!("{text} {}", format_doc(*format));
    }
    if *nullable && *required {
        text.push_str(" May be null.");
    }
    let docs = doc(&text);
    let name = ident(rust);
    let rename = (wire != rust).then(|| quote!(rename = #wire,));
    let inner = rust_type(ty);
    if *required {
        let flag = (*ty == ir::Type::Flag).then(|| {
            let path = FLAG.path();
            quote!(#[serde(deserialize_with = #path)])
        });
        let rename = rename.map(|r| quote!(#[serde(#r)]));
        quote! {
            #docs
            #rename
            #flag
            pub #name: #inner,
        }
    } else {
        let flag = (*ty == ir::Type::Flag).then(|| {
            let path = OPTIONAL_FLAG.path();
            quote!(deserialize_with = #path,)
        });
        quote! {
            #docs
            #[serde(#rename default, skip_serializing_if = "Option::is_none", #flag)]
            pub #name: Option<#inner>,
        }
    }
}

/// `new` with the required fields, for structs that have any.
fn emit_constructor(name: &proc_macro2::Ident, fields: &[ir::Field]) -> Option<TokenStream> {
    if !fields.iter().any(|f| f.required) {
        return None;
    }
    let params = fields.iter().filter(|f| f.required).map(|field| {
        let name = ident(&field.rust);
        match &field.ty {
            ir::Type::String => quote!(#name: impl Into<String>),
            ty => {
                let ty = rust_type(ty);
                quote!(#name: #ty)
            }
        }
    });
    let inits = fields.iter().map(|field| {
        let name = ident(&field.rust);
        match (&field.ty, field.required) {
            (ir::Type::String, true) => quote!(#name: #name.into()),
            (_, true) => quote!(#name),
            (_, false) => quote!(#name: None),
        }
    });
    let required: Vec<String> = fields.iter().filter(|f| f.required).map(|f| format!("`{}`", f.rust)).collect();
    let allows = (required.len() > MAX_ARGUMENTS)
        .then(|| quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required field of the API's")]));
    let docs = doc(&format!(
        "Creates a value from its required fields ({}); every other field is left out.",
        required.join(", ")
    ));
    Some(quote! {
        impl #name {
            #docs
            #allows
            pub fn new(#(#params),*) -> Self {
                Self {
                    #(#inits,)*
                    extra: ::serde_json::Map::new(),
                }
            }
        }
    })
}

fn emit_enum(model: &ir::Enum) -> TokenStream {
    let ir::Enum { name, description, variants } = model;
    let docs = doc(&format!(
        "{}\n\nValues this client does not know yet arrive as [`{name}::Other`] with the value as sent.",
        prose(description)
    ));
    let name = ident(name);
    let variant_items = variants.iter().map(|variant| {
        let ir::Variant { rust, wire } = variant;
        let docs = doc(&code(wire));
        let rust = ident(rust);
        quote! { #docs #rust, }
    });
    let as_str_arms = variants.iter().map(|ir::Variant { rust, wire }| {
        let rust = ident(rust);
        quote!(Self::#rust => #wire,)
    });
    let from_arms = variants.iter().map(|ir::Variant { rust, wire }| {
        let rust = ident(rust);
        quote!(#wire => Self::#rust,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum #name {
            #(#variant_items)*
            /// A value this version of the client does not know, as the API sent it.
            Other(String),
        }

        impl #name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms)*
                    Self::Other(value) => value,
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#from_arms)*
                    _ => Self::Other(value),
                }
            }
        }

        impl From<#name> for String {
            fn from(value: #name) -> Self {
                match value {
                    #name::Other(value) => value,
                    known => known.as_str().to_owned(),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}
