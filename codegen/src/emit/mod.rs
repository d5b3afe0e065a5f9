//! Stage 4, emit: the IR to token streams, one small function per kind of item.
//!
//! Emitters destructure IR structs exhaustively, so a new IR field fails to compile
//! here until it is handled. Emitted code names everything outside the prelude by
//! absolute path (`::serde::Serialize`, `crate::models::Organization`).

mod models;
mod modules;
mod operations;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir;
use crate::load::spec::Format;

pub use models::emit_model_file;
pub use modules::{emit_api_mod, emit_models_mod};
pub use operations::emit_resource;

/// The width doc comments are wrapped to.
const DOC_WIDTH: usize = 80;

/// `#[doc = " line"]` attributes for `text`: paragraphs kept, lines wrapped.
pub fn doc(text: &str) -> TokenStream {
    let lines = wrap(text);
    quote! { #(#[doc = #lines])* }
}

/// `#![doc = " line"]` attributes for `text`: the documentation of the enclosing module.
pub fn inner_doc(text: &str) -> TokenStream {
    let lines = wrap(text);
    quote! { #(#![doc = #lines])* }
}

/// Wraps `text` into doc lines, each with its leading space; blank lines separate paragraphs.
pub fn wrap(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for (index, paragraph) in text.trim().split("\n\n").enumerate() {
        if index > 0 {
            lines.push(String::new());
        }
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > DOC_WIDTH {
                lines.push(format!(" {line}"));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(format!(" {line}"));
        }
    }
    lines
}

/// The Rust type of `ty`.
pub fn rust_type(ty: &ir::Type) -> TokenStream {
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
            let name = format_ident!("{}", name);
            quote!(crate::models::#name)
        }
    }
}

/// How a documented format reads in docs.
pub fn format_doc(format: Format) -> &'static str {
    match format {
        Format::Date => "Format: `YYYY-MM-DD`.",
        Format::Time => "Format: `HH:MM` or `HH:MM:SS`.",
        Format::Rfc3339 => "Format: RFC 3339, e.g. `2025-01-01T10:20:00Z`.",
        Format::V1Datetime => "Format: `YYYY-MM-DD HH:MM:SS`, in UTC.",
        Format::Uuid => "Format: UUID.",
    }
}

/// An identifier from a name the IR already made valid.
pub fn ident(name: &str) -> proc_macro2::Ident {
    format_ident!("{}", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_paragraphs_with_a_leading_space() {
        let text = "one two three\n\nfour";
        assert_eq!(wrap(text), vec![" one two three", "", " four"]);
        let long = "word ".repeat(40);
        assert!(wrap(&long).iter().all(|line| line.len() <= DOC_WIDTH + 1));
    }
}
