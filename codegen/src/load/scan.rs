//! The first pass over a file's YAML: `yaml-rust2`'s event stream, which is linear in
//! the input and stops at a nesting limit with a position. It builds the index from
//! YAML path to position that every later diagnostic uses, and finds what the dialect
//! rejects before `serde_yaml` ever sees the text: syntax errors, several documents,
//! anchors and aliases (so no alias can expand), tags, nesting deeper than a spec needs,
//! and control or bidirectional-override characters.

use indexmap::IndexMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use super::Locator;
use crate::diagnostic::{Code, Position};

/// Deeper YAML than this is rejected; the dialect's deepest node is about six levels down.
pub(crate) const MAX_DEPTH: usize = 32;

/// Something the first pass found wrong.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub code: Code,
    pub position: Position,
    pub yaml_path: String,
    pub message: String,
    pub hint: Option<String>,
}

/// The result of the first pass.
#[derive(Debug)]
pub(crate) struct Scan {
    /// YAML path to position.
    pub locator: Locator,
    /// What the dialect rejects.
    pub findings: Vec<Finding>,
    /// Whether the text must not be handed to `serde_yaml` (a syntax error, several
    /// documents, an alias or too deep a nesting).
    pub fatal: bool,
    /// Whether the file holds no node at all (empty, or only comments).
    pub empty: bool,
}

/// Scans `text`, one event at a time (`yaml-rust2`'s `Parser::load` recurses once per
/// level of nesting, which a deep enough input turns into a stack overflow), stopping
/// at the first error or once nesting goes too deep.
pub(crate) fn scan(text: &str) -> Scan {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    let mut fatal = false;
    loop {
        match parser.next_token() {
            Ok((Event::StreamEnd, _)) => break,
            Ok((event, mark)) => {
                builder.on_event(event, mark);
                if builder.stopped {
                    break;
                }
            }
            Err(error) => {
                let marker = error.marker();
                let position = Position {
                    line: marker.line(),
                    column: marker.col() + 1,
                };
                let finding = match error.info() {
                    "recursion limit exceeded" => too_deep(position, String::new()),
                    info => Finding {
                        code: Code::YamlSyntax,
                        position,
                        yaml_path: String::new(),
                        message: info.to_owned(),
                        hint: None,
                    },
                };
                builder.findings.push(finding);
                fatal = true;
                break;
            }
        }
    }
    fatal |= builder.fatal;
    Scan {
        locator: Locator {
            positions: builder.positions,
        },
        findings: builder.findings,
        fatal,
        empty: !builder.any_node,
    }
}

fn too_deep(position: Position, yaml_path: String) -> Finding {
    Finding {
        code: Code::TooDeep,
        position,
        yaml_path,
        message: format!("the YAML is nested more than {MAX_DEPTH} levels deep"),
        hint: Some(
            "no part of a spec needs that much nesting; look for unbalanced brackets".to_owned(),
        ),
    }
}

enum Frame {
    Mapping { key: Option<String> },
    Sequence { index: usize },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    /// The path of each open container, parallel to `stack`.
    paths: Vec<String>,
    positions: IndexMap<String, Position>,
    findings: Vec<Finding>,
    documents: usize,
    any_node: bool,
    fatal: bool,
    /// Set once nesting went too deep: the rest of the events are ignored.
    stopped: bool,
}

impl Builder {
    /// Called for each node; returns the path of the node when it is a value.
    fn node(&mut self, scalar: Option<&str>, position: Position) -> Option<String> {
        self.any_node = true;
        let parent = self.paths.last().cloned().unwrap_or_default();
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Mapping { key }) => match key.take() {
                None => {
                    // A key. Only scalar keys name a path; others are left unindexed.
                    let name = scalar.unwrap_or_default().to_owned();
                    let path = join(&parent, &name);
                    self.positions.entry(path).or_insert(position);
                    *key = Some(name);
                    None
                }
                Some(name) => Some(join(&parent, &name)),
            },
            Some(Frame::Sequence { index }) => {
                let path = format!("{parent}[{index}]");
                *index += 1;
                self.positions.entry(path.clone()).or_insert(position);
                Some(path)
            }
        }
    }

    fn find(
        &mut self,
        code: Code,
        position: Position,
        yaml_path: &str,
        message: impl Into<String>,
        hint: Option<&str>,
    ) {
        self.findings.push(Finding {
            code,
            position,
            yaml_path: yaml_path.to_owned(),
            message: message.into(),
            hint: hint.map(str::to_owned),
        });
    }

    /// Anchors and tags on a node; `anchor` is 0 when there is none.
    fn properties(
        &mut self,
        anchor: usize,
        tag: Option<&yaml_rust2::parser::Tag>,
        position: Position,
        path: &str,
    ) {
        if anchor != 0 {
            self.fatal = true;
            self.find(
                Code::YamlAlias,
                position,
                path,
                "YAML anchors (`&name`) are not supported",
                Some("write the value out where it is needed"),
            );
        }
        if let Some(tag) = tag {
            self.find(
                Code::YamlTag,
                position,
                path,
                format!(
                    "YAML tags are not supported, and this node has `{}{}`",
                    tag.handle, tag.suffix
                ),
                Some("remove the tag; a spec is plain mappings, lists and scalars"),
            );
        }
    }

    fn open(&mut self, frame: Frame, path: String, position: Position) {
        if self.stack.len() >= MAX_DEPTH {
            self.findings.push(too_deep(position, path));
            self.fatal = true;
            self.stopped = true;
            return;
        }
        self.stack.push(frame);
        self.paths.push(path);
    }
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

/// A character that must not reach generated docs or code: C0 and C1 controls other
/// than tab and line feed, DEL, and the bidirectional formatting characters that can
/// make text read differently from what it is.
pub(crate) fn forbidden_character(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.stopped {
            return;
        }
        let position = Position {
            line: mark.line(),
            column: mark.col() + 1,
        };
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents == 2 {
                    self.fatal = true;
                    self.find(
                        Code::SeveralDocuments,
                        position,
                        "",
                        "a spec file holds one YAML document, and a second one starts here",
                        Some("remove the `---` line, or move the second document to a file of its own"),
                    );
                }
            }
            Event::Scalar(value, _, anchor, tag) => {
                let key_path = self.node(Some(&value), position);
                let path = key_path.clone().unwrap_or_else(|| {
                    let parent = self.paths.last().cloned().unwrap_or_default();
                    join(&parent, &value)
                });
                self.properties(anchor, tag.as_ref(), position, &path);
                if let Some(bad) = forbidden_character(&value) {
                    self.find(
                        Code::ControlCharacter,
                        position,
                        &path,
                        format!("the text holds the control or bidirectional-formatting character U+{:04X}", u32::from(bad)),
                        Some("such characters could change how generated code and docs read; remove it"),
                    );
                }
            }
            Event::Alias(_) => {
                self.node(None, position);
                self.fatal = true;
                let path = self.paths.last().cloned().unwrap_or_default();
                self.find(
                    Code::YamlAlias,
                    position,
                    &path,
                    "YAML aliases (`*name`) are not supported",
                    Some("write the value out where it is needed"),
                );
            }
            Event::MappingStart(anchor, tag) => {
                let path = self.node(None, position).unwrap_or_default();
                self.properties(anchor, tag.as_ref(), position, &path);
                self.open(Frame::Mapping { key: None }, path, position);
            }
            Event::SequenceStart(anchor, tag) => {
                let path = self.node(None, position).unwrap_or_default();
                self.properties(anchor, tag.as_ref(), position, &path);
                self.open(Frame::Sequence { index: 0 }, path, position);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.paths.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_sequence_items() {
        let text = "a:\n  b: 1\n  list:\n    - x\n    - {c: 2}\n";
        let locator = scan(text).locator;
        assert_eq!(locator.find("a"), Some(Position { line: 1, column: 1 }));
        assert_eq!(locator.find("a.b"), Some(Position { line: 2, column: 3 }));
        assert_eq!(
            locator.find("a.list[1]"),
            Some(Position { line: 5, column: 7 })
        );
        assert_eq!(
            locator.find("a.list[1].c"),
            Some(Position { line: 5, column: 8 })
        );
        // Falls back to the nearest ancestor.
        assert_eq!(
            locator.find("a.b.missing"),
            Some(Position { line: 2, column: 3 })
        );
        assert_eq!(locator.find("zzz"), None);
    }

    #[test]
    fn stops_at_the_nesting_limit_in_linear_time() {
        for text in [
            "a: ".to_owned() + &"[".repeat(200_000),
            "a:\n".to_owned()
                + &(1..5000)
                    .map(|n| format!("{}k:\n", " ".repeat(n)))
                    .collect::<String>(),
        ] {
            let scan = scan(&text);
            assert!(scan.fatal);
            assert!(
                scan.findings.iter().any(|f| f.code == Code::TooDeep),
                "{:?}",
                scan.findings
            );
        }
    }

    #[test]
    fn rejects_aliases_tags_documents_and_control_characters() {
        let codes = |text: &str| {
            scan(text)
                .findings
                .iter()
                .map(|f| f.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes("a: &x 1\nb: *x\n"),
            [Code::YamlAlias, Code::YamlAlias]
        );
        assert_eq!(codes("a: !foo 1\n"), [Code::YamlTag]);
        assert_eq!(codes("a: 1\n---\nb: 2\n"), [Code::SeveralDocuments]);
        assert_eq!(codes("a: \"x\\u202Ey\"\n"), [Code::ControlCharacter]);
        assert!(codes("a: \"tab\\tand\\nnewline\"\n").is_empty());
        assert!(scan("# only a comment\n").empty);
    }
}
