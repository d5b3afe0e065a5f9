//! Doc comments from spec text: one `#[doc = " line"]` per line, paragraphs kept,
//! lines wrapped.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Format;

/// The width doc comments are wrapped to.
const DOC_WIDTH: usize = 80;

/// `#[doc = " line"]` attributes for `text`.
pub(super) fn doc(text: &str) -> TokenStream {
    lines(&wrap(text))
}

/// `#[doc = ...]` attributes for lines already wrapped.
pub(super) fn lines(lines: &[String]) -> TokenStream {
    quote! { #(#[doc = #lines])* }
}

/// `#![doc = " line"]` attributes for `text`: the documentation of the enclosing module.
pub(super) fn inner_doc(text: &str) -> TokenStream {
    let lines = wrap(text);
    quote! { #(#![doc = #lines])* }
}

/// Wraps `text` into doc lines, each with its leading space; blank lines separate paragraphs.
pub(super) fn wrap(text: &str) -> Vec<String> {
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

/// How a documented format reads in docs.
pub(super) fn format_doc(format: Format) -> &'static str {
    match format {
        Format::Date => "Format: `YYYY-MM-DD`.",
        Format::Time => "Format: `HH:MM` or `HH:MM:SS`.",
        Format::Rfc3339 => "Format: RFC 3339, e.g. `2025-01-01T10:20:00Z`.",
        Format::V1Datetime => "Format: `YYYY-MM-DD HH:MM:SS`, in UTC.",
        Format::Uuid => "Format: UUID.",
    }
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
