//! Where each node of a YAML file is: an index from YAML path to line and column.
//!
//! `serde_yaml` gives positions only for its own errors. Later stages find
//! problems by YAML path, so this index, built from the event stream of
//! `yaml-rust2`'s parser, turns a path back into a position.

use indexmap::IndexMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::Position;

/// YAML path to position, for one file.
///
/// A mapping entry is found at its key (`operations.getOrganization.parameters.id`);
/// a sequence item at its value (`schemas.SortDirection.enum[1]`).
#[derive(Debug, Default, Clone)]
pub struct Locator {
    positions: IndexMap<String, Position>,
}

impl Locator {
    /// Indexes `text`. A file the event parser rejects gets an empty index; `serde_yaml`
    /// reports its syntax error with a position of its own.
    pub fn new(text: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        // An error leaves what was indexed up to it: still useful, never wrong.
        let _ = parser.load(&mut builder, false);
        Self {
            positions: builder.positions,
        }
    }

    /// The position of the node at `path`, or of its nearest ancestor that has one.
    pub fn find(&self, path: &str) -> Option<Position> {
        let mut path = path;
        loop {
            if let Some(position) = self.positions.get(path) {
                return Some(*position);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
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
}

impl Builder {
    /// Called for each node; returns the path of the node when it is a value.
    fn node(&mut self, scalar: Option<&str>, mark: Marker) -> Option<String> {
        let position = Position {
            line: mark.line(),
            column: mark.col() + 1,
        };
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
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                self.node(Some(&value), mark);
            }
            Event::Alias(_) => {
                self.node(None, mark);
            }
            Event::MappingStart(..) => {
                let path = self.node(None, mark).unwrap_or_default();
                self.stack.push(Frame::Mapping { key: None });
                self.paths.push(path);
            }
            Event::SequenceStart(..) => {
                let path = self.node(None, mark).unwrap_or_default();
                self.stack.push(Frame::Sequence { index: 0 });
                self.paths.push(path);
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
        let locator = Locator::new(text);
        assert_eq!(locator.find("a"), Some(Position { line: 1, column: 1 }));
        assert_eq!(locator.find("a.b"), Some(Position { line: 2, column: 3 }));
        assert_eq!(locator.find("a.list[1]"), Some(Position { line: 5, column: 7 }));
        assert_eq!(locator.find("a.list[1].c"), Some(Position { line: 5, column: 8 }));
        // Falls back to the nearest ancestor.
        assert_eq!(locator.find("a.b.missing"), Some(Position { line: 2, column: 3 }));
        assert_eq!(locator.find("zzz"), None);
    }
}
