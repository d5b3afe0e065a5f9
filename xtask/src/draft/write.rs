//! The draft's text: a small tree of YAML nodes, each mapping entry with the
//! `# REVIEW:` comments that go on the lines above it, written with scalars quoted
//! wherever plain YAML could read them otherwise.
//!
//! A YAML emitter cannot place comments, so the text is built here; what keeps it safe
//! is [`scalar`], which writes a string plain only when it is plainly a string in the
//! context it is in, and double-quoted, with escapes, otherwise.

use std::fmt::Write as _;

/// A YAML node.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    /// Written as it is: a number, `true`, or a word known to be safe.
    Raw(String),
    /// A string, quoted as its text needs.
    Text(String),
    /// `[a, b]`.
    FlowList(Vec<Node>),
    /// `{a: 1, b: x}`: one line.
    FlowMap(Vec<(Node, Node)>),
    /// An indented block of entries.
    Block(Vec<Entry>),
}

/// One entry of a block mapping.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Entry {
    /// Its key.
    pub key: Node,
    /// `# REVIEW:` comments, one line each, above the entry.
    pub reviews: Vec<String>,
    /// Its value.
    pub value: Node,
    /// Whether a blank line goes before it (and its comments).
    pub gap: bool,
}

impl Entry {
    /// An entry with a plain key.
    pub(super) fn new(key: impl Into<String>, value: Node) -> Self {
        Self {
            key: Node::Text(key.into()),
            reviews: Vec::new(),
            value,
            gap: false,
        }
    }

    /// The same entry with `reviews` above it.
    pub(super) fn reviewed(mut self, reviews: Vec<String>) -> Self {
        self.reviews.extend(reviews);
        self
    }
}

/// A string node.
pub(super) fn text(value: impl Into<String>) -> Node {
    Node::Text(value.into())
}

/// A number or other raw node.
pub(super) fn raw(value: impl ToString) -> Node {
    Node::Raw(value.to_string())
}

/// Writes `entries` as a YAML document after the comment lines of `header`.
pub(super) fn document(header: &[String], entries: &[Entry]) -> String {
    let mut out = String::new();
    for line in header {
        let line = comment_line(line);
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            let _ = writeln!(out, "# {line}");
        }
    }
    block(&mut out, entries, 0);
    out
}

/// How many `# REVIEW:` comments a tree carries.
pub(super) fn count_reviews(entries: &[Entry]) -> usize {
    entries
        .iter()
        .map(|e| {
            e.reviews.len()
                + match &e.value {
                    Node::Block(inner) => count_reviews(inner),
                    _ => 0,
                }
        })
        .sum()
}

fn block(out: &mut String, entries: &[Entry], indent: usize) {
    let pad = " ".repeat(indent);
    for entry in entries {
        if entry.gap {
            out.push('\n');
        }
        for review in &entry.reviews {
            let _ = writeln!(out, "{pad}# REVIEW: {}", comment_line(review));
        }
        let key = node_inline(&entry.key, false);
        match &entry.value {
            Node::Block(inner) if inner.is_empty() => {
                let _ = writeln!(out, "{pad}{key}: {{}}");
            }
            Node::Block(inner) => {
                let _ = writeln!(out, "{pad}{key}:");
                block(out, inner, indent + 2);
            }
            value => {
                let _ = writeln!(out, "{pad}{key}: {}", node_inline(value, false));
            }
        }
    }
}

/// A node on one line; `flow` when it is inside `[...]` or `{...}`.
fn node_inline(node: &Node, flow: bool) -> String {
    match node {
        Node::Raw(raw) => raw.clone(),
        Node::Text(value) => scalar(value, flow),
        Node::FlowList(items) => {
            let items: Vec<String> = items.iter().map(|n| node_inline(n, true)).collect();
            format!("[{}]", items.join(", "))
        }
        Node::FlowMap(pairs) => {
            let pairs: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}: {}", node_inline(k, true), node_inline(v, true)))
                .collect();
            format!("{{{}}}", pairs.join(", "))
        }
        // Not written inline by this module; keep the output valid anyway.
        Node::Block(entries) => {
            let pairs: Vec<(Node, Node)> = entries
                .iter()
                .map(|e| (e.key.clone(), e.value.clone()))
                .collect();
            node_inline(&Node::FlowMap(pairs), flow)
        }
    }
}

/// A comment's text on one line: line breaks and control characters become spaces.
fn comment_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_line_break(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A string as a YAML scalar: plain when that reads back as the same string, in a flow
/// collection (`flow`) or a block, else double-quoted.
pub(super) fn scalar(value: &str, flow: bool) -> String {
    if plain_is_safe(value, flow) {
        value.to_owned()
    } else {
        double_quoted(value)
    }
}

fn plain_is_safe(value: &str, flow: bool) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    if !(first.is_alphanumeric() || matches!(first, '/' | '_' | '(' | '$')) {
        return false;
    }
    if value.ends_with([' ', ':']) || value.contains(": ") || value.contains('#') {
        return false;
    }
    let allowed = |c: char| {
        c.is_alphanumeric()
            || matches!(
                c,
                ' ' | '_'
                    | '-'
                    | '.'
                    | '/'
                    | '('
                    | ')'
                    | '\''
                    | '`'
                    | ';'
                    | '='
                    | '+'
                    | '?'
                    | '!'
                    | '%'
                    | '&'
                    | '*'
                    | '<'
                    | '>'
                    | '$'
                    | '@'
                    | '~'
                    | '^'
                    | '|'
            )
            || (!flow && matches!(c, ',' | ':' | '[' | ']' | '{' | '}'))
    };
    if !value.chars().all(allowed) || value.contains("  ") {
        return false;
    }
    !reads_as_other_type(value)
}

/// Whether plain YAML (1.1 or 1.2) could read the text as null, a boolean or a number.
fn reads_as_other_type(value: &str) -> bool {
    let lower = value.to_lowercase();
    if matches!(
        lower.as_str(),
        "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) {
        return true;
    }
    let unsigned = lower.trim_start_matches(['+', '-']);
    unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned.chars().all(|c| {
            c.is_ascii_hexdigit() || matches!(c, '.' | '_' | 'x' | 'o' | 'e' | '+' | '-' | ':')
        })
        || matches!(unsigned, ".inf" | ".nan")
}

fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || is_line_break(c)
                || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}') =>
            {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &[&str] = &[
        "plain words",
        "key: value",
        "a:b",
        "ends with colon:",
        "# not a comment",
        "a # comment",
        "a#b",
        "\"quoted\"",
        "'single'",
        "it's",
        "multi\nline\n\ntext",
        "{braces}",
        "a {b, c} d",
        "[list]",
        "- leading dash",
        "-1",
        "1.5",
        "0x1F",
        "1e3",
        "1_000",
        "12:30",
        "true",
        "No",
        "null",
        "~",
        "",
        " leading space",
        "trailing space ",
        "tab\there",
        "back\\slash",
        "* star",
        "& amp",
        "! bang",
        "| pipe",
        "> fold",
        "% percent",
        "@ at",
        "` tick",
        "?",
        "a, b, c",
        "<a href=\"x\">link</a>",
        "\u{2028}separator",
        "bell\u{7}",
        "ünïcödé — text",
        ".inf",
        "two  spaces",
    ];

    #[test]
    fn every_scalar_reads_back_as_the_same_string_in_blocks_and_flows() {
        for &value in HOSTILE {
            let block = format!("key: {}\n", scalar(value, false));
            let read: serde_yaml::Value = serde_yaml::from_str(&block)
                .unwrap_or_else(|e| panic!("{value:?} as {block:?}: {e}"));
            assert_eq!(read["key"].as_str(), Some(value), "block {block:?}");

            let flow = format!(
                "key: {{a: {}, b: [{}, x]}}\n",
                scalar(value, true),
                scalar(value, true)
            );
            let read: serde_yaml::Value = serde_yaml::from_str(&flow)
                .unwrap_or_else(|e| panic!("{value:?} as {flow:?}: {e}"));
            assert_eq!(read["key"]["a"].as_str(), Some(value), "flow {flow:?}");
            assert_eq!(read["key"]["b"][0].as_str(), Some(value), "flow {flow:?}");
        }
    }

    #[test]
    fn ordinary_text_stays_plain() {
        assert_eq!(scalar("The ID of the deal", true), "The ID of the deal");
        assert_eq!(scalar("If set, only deals", false), "If set, only deals");
        assert_eq!(scalar("If set, only deals", true), "\"If set, only deals\"");
        assert_eq!(scalar("/deals/{id}", false), "/deals/{id}");
    }

    #[test]
    fn comments_go_above_their_entries_and_stay_on_one_line() {
        let entries = vec![
            Entry::new("a", raw(1)).reviewed(vec!["check\nthis".to_owned()]),
            Entry::new(
                "b",
                Node::Block(vec![Entry::new(
                    "c",
                    Node::FlowList(vec![text("x, y"), raw(2)]),
                )]),
            ),
        ];
        let out = document(&["head".to_owned()], &entries);
        assert_eq!(
            out,
            "# head\n# REVIEW: check this\na: 1\nb:\n  c: [\"x, y\", 2]\n"
        );
        assert_eq!(count_reviews(&entries), 1);
    }
}
