//! Doc comments from spec text: one `#[doc = " line"]` per line, paragraphs kept,
//! lines wrapped.
//!
//! Spec text is made inert before it reaches a doc comment, so that no description can
//! change the crate: [`prose`] escapes what Markdown and rustdoc would act on (code
//! fences, which would become doctests; brackets, which would become intra-doc links;
//! HTML; bare URLs, which rustdoc warns about), and [`code`] makes a code span that
//! holds any text. Control and bidirectional-formatting characters never get this far:
//! loading rejects them.

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

/// Spec text as inert Markdown prose.
///
/// Inline code spans of one or two backticks are kept as they are; longer backtick
/// runs and runs of three or more `~` (fences) are escaped. Outside code, `[`, `]`, `<`, `>`, `&` and `\` are escaped,
/// except that a Markdown link to an `http(s)` URL stays a link, and a bare URL becomes
/// an autolink.
pub(super) fn prose(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let run = chars[i..].iter().take_while(|&&c| c == '`').count();
            let close = (run < 3)
                .then(|| closing_run(&chars, i + run, run))
                .flatten();
            match close {
                Some(end) => out.extend(&chars[i..end]),
                None => (0..run).for_each(|_| out.push_str("\\`")),
            }
            i = close.unwrap_or(i + run);
            continue;
        }
        if c == '~' {
            // Three or more open a fence, like backticks.
            let run = chars[i..].iter().take_while(|&&c| c == '~').count();
            let escape = if run >= 3 { "\\~" } else { "~" };
            (0..run).for_each(|_| out.push_str(escape));
            i += run;
            continue;
        }
        if let Some(len) = url_at(&chars, i) {
            out.push('<');
            out.extend(&chars[i..i + len]);
            out.push('>');
            i += len;
            continue;
        }
        if c == '[' {
            if let Some((label, url, len)) = link_at(&chars, i) {
                out.push('[');
                out.push_str(&prose(&label));
                out.push_str("](");
                out.push_str(&url);
                out.push(')');
                i += len;
                continue;
            }
        }
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            other => out.push(other),
        }
        i += 1;
    }
    out
}

/// Spec text as inert Markdown on one line, for a list item or an attribute: [`prose`]
/// with every run of whitespace, line breaks included, made one space, so nothing can
/// start a block (an indented code block, say) of its own.
pub(super) fn inline(text: &str) -> String {
    one_line(&prose(text))
}

/// Text with every run of whitespace made one space.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where the run of exactly `run` backticks that closes a code span ends, searching
/// from `from`.
fn closing_run(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '`' {
            let len = chars[i..].iter().take_while(|&&c| c == '`').count();
            if len == run {
                return Some(i + len);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    None
}

/// The length of an `http://` or `https://` URL starting at `i`, without trailing
/// punctuation that more likely ends the sentence.
fn url_at(chars: &[char], i: usize) -> Option<usize> {
    let starts = |prefix: &str| {
        prefix
            .chars()
            .enumerate()
            .all(|(k, p)| chars.get(i + k) == Some(&p))
    };
    if !(starts("http://") || starts("https://")) {
        return None;
    }
    let mut len = chars[i..]
        .iter()
        .take_while(|c| {
            !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '`' | '[' | ']' | '(' | ')')
        })
        .count();
    while len > 0 && matches!(chars[i + len - 1], '.' | ',' | ';' | ':' | '!' | '?' | '\'') {
        len -= 1;
    }
    (len > "https://".len()).then_some(len)
}

/// A Markdown link `[label](http...)` starting at `i`: its label, URL and length.
fn link_at(chars: &[char], i: usize) -> Option<(String, String, usize)> {
    let close = i + 1 + chars[i + 1..].iter().position(|&c| c == ']' || c == '[')?;
    if chars[close] != ']' || chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let url_len = url_at(chars, close + 2)?;
    let end = close + 2 + url_len;
    if chars.get(end) != Some(&')') {
        return None;
    }
    let label: String = chars[i + 1..close].iter().collect();
    let url: String = chars[close + 2..end].iter().collect();
    Some((label, url, end + 1 - i))
}

/// Any text as a Markdown code span: fenced with one backtick more than the longest
/// run inside it, and padded when it starts or ends with one.
pub(super) fn code(text: &str) -> String {
    let text = text.replace(['\n', '\t'], " ");
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
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

    #[test]
    fn prose_keeps_inline_code_and_links_and_escapes_the_rest() {
        assert_eq!(prose("the `name` field"), "the `name` field");
        assert_eq!(prose("``a ` b``"), "``a ` b``");
        assert_eq!(
            prose("see [broken] and [x][y]"),
            "see \\[broken\\] and \\[x\\]\\[y\\]"
        );
        assert_eq!(
            prose("```rust\nfn main() {}\n```"),
            "\\`\\`\\`rust\nfn main() {}\n\\`\\`\\`"
        );
        assert_eq!(prose("an `unclosed span"), "an \\`unclosed span");
        assert_eq!(
            prose("~~~\nx\n~~~ and ~~struck~~"),
            "\\~\\~\\~\nx\n\\~\\~\\~ and ~~struck~~"
        );
        assert_eq!(
            prose("<b>bold</b> & co"),
            "&lt;b&gt;bold&lt;/b&gt; &amp; co"
        );
        assert_eq!(
            prose("see https://example.com/x."),
            "see <https://example.com/x>."
        );
        assert_eq!(
            prose("[the docs](https://example.com/d)"),
            "[the docs](https://example.com/d)"
        );
        assert_eq!(prose("a \\[ b"), "a \\\\\\[ b");
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("GET /x"), "`GET /x`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("```"), "```` ``` ````");
    }
}
