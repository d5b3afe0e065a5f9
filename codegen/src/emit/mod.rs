//! Stage 4, emit: the IR to token streams, one small function per kind of item.
//!
//! - `modules.rs`: `api/mod.rs`, one module per resource (behind its feature) and per
//!   shared file;
//! - `models.rs`: structs, enums, ids and unions; a shared file's module, and a
//!   resource's `models.rs`;
//! - `resource.rs`: a resource's `mod.rs`: its handle, its accessor on the client, its
//!   methods;
//! - `builder.rs`: an operation's request builder, its setters and `send`;
//! - `mock.rs`: a resource's typed mock, behind the `mock` feature;
//! - `page.rs`: the page streams of list operations and the wrapper of object pages;
//! - `docs.rs`: doc comments from spec text.
//!
//! Emitters destructure the IR structs they read, so a new IR field fails to compile
//! here until it is handled. Emitted code names the runtime only through
//! [`crate::contract`], and everything else outside the prelude by absolute path
//! (`::serde::Serialize`, `crate::organizations::Organization`).

mod builder;
mod docs;
mod example;
mod mock;
mod models;
mod modules;
mod page;
mod resource;
mod tests;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::contract::{CUSTOM_FIELDS, DATE, FILE, TIMESTAMP};
use crate::ir;

pub(crate) use example::Models;
pub(crate) use models::{emit_models, emit_shared};
pub(crate) use modules::emit_api_mod;
pub(crate) use resource::{emit_resource, emit_resource_mock};
pub(crate) use tests::{TESTS_DIR, emit_resource_tests, emit_tests_main};

/// The Rust type of `ty` in a model or a response: times and dates keep their text
/// when it does not parse.
fn model_type(ty: &ir::Type) -> TokenStream {
    match ty {
        ir::Type::Timestamp(_) => quote!(#TIMESTAMP),
        ir::Type::Date => quote!(#DATE),
        other => common_type(other, model_type),
    }
}

/// The Rust type of `ty` in a parameter, which the caller gives: times and dates are
/// plain `jiff` values.
fn param_type(ty: &ir::Type) -> TokenStream {
    match ty {
        ir::Type::Timestamp(_) => quote!(::jiff::Timestamp),
        ir::Type::Date => quote!(::jiff::civil::Date),
        other => common_type(other, param_type),
    }
}

/// The types models and parameters write the same way; `inner` renders what they hold.
fn common_type(ty: &ir::Type, inner: fn(&ir::Type) -> TokenStream) -> TokenStream {
    match ty {
        ir::Type::String => quote!(String),
        ir::Type::Integer => quote!(i64),
        ir::Type::Number => quote!(f64),
        ir::Type::Boolean | ir::Type::Flag => quote!(bool),
        ir::Type::Json => quote!(::serde_json::Value),
        ir::Type::File => quote!(#FILE),
        ir::Type::CustomFields => quote!(#CUSTOM_FIELDS),
        ir::Type::List(item) => {
            let item = inner(item);
            quote!(Vec<#item>)
        }
        ir::Type::Map(value) => {
            let value = inner(value);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
        ir::Type::Timestamp(_) | ir::Type::Date => inner(ty),
        ir::Type::Struct(name)
        | ir::Type::Enum(name)
        | ir::Type::Id(name, _)
        | ir::Type::Union(name) => type_path(name),
    }
}

/// The path of a generated type: `crate::deals::Deal`.
fn type_path(name: &ir::TypeName) -> TokenStream {
    let ir::TypeName { module, name } = name;
    let module = ident(module);
    let name = ident(name);
    quote!(crate::#module::#name)
}

/// How a generated method takes `self`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Receiver {
    /// `&self`: the handle's methods.
    Ref,
    /// `self`: the builders' setters.
    Value,
}

/// The standard trait methods clippy's `should_implement_trait` compares a method with,
/// as far as a generated method could match one: name, arguments counting `self`, and
/// how `self` is taken.
const TRAIT_METHODS: &[(&str, usize, Receiver)] = &[
    ("add", 2, Receiver::Value),
    ("as_ref", 1, Receiver::Ref),
    ("bitand", 2, Receiver::Value),
    ("bitor", 2, Receiver::Value),
    ("bitxor", 2, Receiver::Value),
    ("borrow", 1, Receiver::Ref),
    ("clone", 1, Receiver::Ref),
    ("cmp", 2, Receiver::Ref),
    ("deref", 1, Receiver::Ref),
    ("div", 2, Receiver::Value),
    ("eq", 2, Receiver::Ref),
    ("hash", 2, Receiver::Ref),
    ("index", 2, Receiver::Ref),
    ("into_iter", 1, Receiver::Value),
    ("mul", 2, Receiver::Value),
    ("neg", 1, Receiver::Value),
    ("not", 1, Receiver::Value),
    ("rem", 2, Receiver::Value),
    ("shl", 2, Receiver::Value),
    ("shr", 2, Receiver::Value),
    ("sub", 2, Receiver::Value),
];

/// Clippy's `too_many_arguments` threshold.
const MAX_ARGUMENTS: usize = 7;

/// The lints a generated method is exempt from, because its name and arguments are the
/// API's: a method that clippy reads as a standard trait's, a `new` that returns a
/// builder, or an operation with more required parameters than clippy likes.
/// `arguments` does not count `self`.
fn method_allows(name: &str, receiver: Receiver, arguments: usize) -> TokenStream {
    let mut lints = Vec::new();
    let with_self = arguments + 1;
    if TRAIT_METHODS.iter().any(|(trait_name, arity, taken)| {
        *trait_name == name && *arity == with_self && *taken == receiver
    }) {
        lints.push(quote!(clippy::should_implement_trait));
    }
    if name == "new" {
        lints.push(quote!(clippy::new_ret_no_self));
    }
    if with_self > MAX_ARGUMENTS {
        lints.push(quote!(clippy::too_many_arguments));
    }
    if lints.is_empty() {
        return TokenStream::new();
    }
    quote!(#[allow(#(#lints),*, reason = "the name and arguments are the API's")])
}

/// An identifier from a name the checked model already made valid.
fn ident(name: &str) -> proc_macro2::Ident {
    format_ident!("{}", name)
}
