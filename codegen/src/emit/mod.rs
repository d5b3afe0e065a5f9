//! Stage 4, emit: the IR to token streams, one small function per kind of item.
//!
//! - `modules.rs`: `api/mod.rs` and `api/models/mod.rs`;
//! - `models.rs`: structs and enums;
//! - `resource.rs`: a resource's handle, its accessor on the client and its methods;
//! - `builder.rs`: an operation's request builder, its setters and `send`;
//! - `page.rs`: the page streams of list operations and the wrapper of object pages;
//! - `docs.rs`: doc comments from spec text.
//!
//! Emitters destructure the IR structs they read, so a new IR field fails to compile
//! here until it is handled. Emitted code names the runtime only through
//! [`crate::contract`], and everything else outside the prelude by absolute path
//! (`::serde::Serialize`, `crate::models::Organization`).

mod builder;
mod docs;
mod models;
mod modules;
mod page;
mod resource;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir;

pub(crate) use models::emit_model_file;
pub(crate) use modules::{emit_api_mod, emit_models_mod};
pub(crate) use resource::emit_resource;

/// The Rust type of `ty`.
fn rust_type(ty: &ir::Type) -> TokenStream {
    match ty {
        ir::Type::String => quote!(String),
        ir::Type::Integer => quote!(i64),
        ir::Type::Number => quote!(f64),
        ir::Type::Boolean | ir::Type::Flag => quote!(bool),
        ir::Type::Json => quote!(::serde_json::Value),
        ir::Type::List(inner) => {
            let inner = rust_type(inner);
            quote!(Vec<#inner>)
        }
        ir::Type::Map(inner) => {
            let inner = rust_type(inner);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        ir::Type::Struct(name) | ir::Type::Enum(name) => {
            let name = ident(name);
            quote!(crate::models::#name)
        }
    }
}

/// An identifier from a name the checked model already made valid.
fn ident(name: &str) -> proc_macro2::Ident {
    format_ident!("{}", name)
}
