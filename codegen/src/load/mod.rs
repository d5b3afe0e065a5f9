//! Stage 1, load: bytes to the spec model of [`spec`], with every problem of every file
//! reported at once.
//!
//! Per file: the bytes must be UTF-8; the first pass (`scan.rs`) indexes positions and
//! rejects what the dialect does not allow; `serde_yaml` parses the text once; then each
//! section, operation and schema is decoded on its own, so a mistake in one entry does
//! not hide the others. What failed is recorded in [`Incomplete`], so that checking the
//! rest does not report what only looks wrong because a definition failed to load.

pub(crate) mod spec;

mod locate;
mod scan;

use std::collections::BTreeSet;

pub(crate) use locate::Locator;

use indexmap::IndexMap;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Position, closest};

/// One spec file as the caller read it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// How diagnostics name the file, for example `spec/organizations.yaml`.
    pub name: String,
    /// The file's bytes, which must be UTF-8.
    pub contents: Vec<u8>,
}

impl SourceFile {
    /// A file named `name` with the given contents.
    pub fn new(name: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        Self {
            name: name.into(),
            contents: contents.into(),
        }
    }
}

/// A parsed spec file with the index that locates its nodes.
#[derive(Debug, Clone)]
pub(crate) struct LoadedFile {
    /// How diagnostics name the file.
    pub name: String,
    /// The entries that loaded.
    pub spec: spec::SpecFile,
    /// YAML path to position.
    pub locator: Locator,
    /// What did not load.
    pub incomplete: Incomplete,
}

/// The parts of a file that failed to load, and were reported.
#[derive(Debug, Clone, Default)]
pub(crate) struct Incomplete {
    /// Nothing of the file loaded: its text is not UTF-8, not YAML, or not a mapping.
    pub whole: bool,
    /// The `api` section failed.
    pub api: bool,
    /// The `resource` section failed.
    pub resource: bool,
    /// Schemas that failed, by name.
    pub schemas: BTreeSet<String>,
}

impl Incomplete {
    fn any(&self) -> bool {
        self.whole || self.api || self.resource || !self.schemas.is_empty()
    }
}

impl LoadedFile {
    /// A diagnostic about the node at `yaml_path` in this file, with its position.
    pub(crate) fn error(
        &self,
        code: Code,
        yaml_path: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let yaml_path = yaml_path.into();
        let position = self
            .locator
            .find(&yaml_path)
            .or(Some(Position { line: 1, column: 1 }));
        Diagnostic::new(code, &self.name, yaml_path, message).at(position)
    }

    /// Whether any part of the file failed to load.
    pub(crate) fn is_incomplete(&self) -> bool {
        self.incomplete.any()
    }
}

/// The top-level keys of a spec file.
const SECTIONS: &[&str] = &["api", "resource", "operations", "schemas"];

/// Loads every file: what loaded, and the diagnostics of what did not. A file that
/// fails entirely is still listed, empty and marked [`Incomplete::whole`].
pub(crate) fn load(files: &[SourceFile]) -> (Vec<LoadedFile>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let loaded = files
        .iter()
        .map(|file| load_file(file, &mut diagnostics))
        .collect();
    (loaded, diagnostics)
}

fn load_file(file: &SourceFile, diagnostics: &mut Diagnostics) -> LoadedFile {
    let mut loaded = LoadedFile {
        name: file.name.clone(),
        spec: spec::SpecFile::default(),
        locator: Locator::default(),
        incomplete: Incomplete {
            whole: true,
            ..Incomplete::default()
        },
    };
    let text = match std::str::from_utf8(&file.contents) {
        Ok(text) => text,
        Err(error) => {
            diagnostics.push(not_utf8(&file.name, &file.contents, error.valid_up_to()));
            return loaded;
        }
    };
    let scan = scan::scan(text);
    loaded.locator = scan.locator;
    for finding in scan.findings {
        let mut diagnostic =
            Diagnostic::new(finding.code, &file.name, finding.yaml_path, finding.message)
                .at(Some(finding.position));
        if let Some(hint) = finding.hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        diagnostics.push(diagnostic);
    }
    if scan.fatal {
        return loaded;
    }
    if scan.empty {
        diagnostics.push(
            Diagnostic::new(Code::EmptyFile, &file.name, "", "the file holds no spec")
                .at(Some(Position { line: 1, column: 1 }))
                .with_hint(
                    "give it an `api`, `resource`, `operations` or `schemas` section, or delete it",
                ),
        );
        return loaded;
    }
    let value = match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(value) => value,
        Err(error) => {
            diagnostics.push(from_serde(&file.name, &error));
            return loaded;
        }
    };
    let mut reader = Reader {
        file: &file.name,
        locator: &loaded.locator,
        diagnostics,
        incomplete: Incomplete::default(),
    };
    let spec = reader.spec_file(value);
    loaded.incomplete = reader.incomplete;
    loaded.spec = spec;
    loaded
}

/// The diagnostic for bytes that are not UTF-8, at the first bad byte.
fn not_utf8(file: &str, bytes: &[u8], offset: usize) -> Diagnostic {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // Characters, not bytes, since the start of the line (all valid UTF-8 up to here).
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    let byte = bytes.get(offset).copied().unwrap_or_default();
    Diagnostic::new(
        Code::NotUtf8,
        file,
        "",
        format!("the file is not valid UTF-8: byte 0x{byte:02x} at offset {offset}"),
    )
    .at(Some(Position { line, column }))
    .with_hint("save the file as UTF-8")
}

/// Decodes the parts of one file, collecting a diagnostic for each part that fails.
struct Reader<'a> {
    file: &'a str,
    locator: &'a Locator,
    diagnostics: &'a mut Diagnostics,
    incomplete: Incomplete,
}

impl Reader<'_> {
    fn error(&mut self, code: Code, yaml_path: &str, message: String, hint: Option<String>) {
        let position = self
            .locator
            .find(yaml_path)
            .or(Some(Position { line: 1, column: 1 }));
        let mut diagnostic = Diagnostic::new(code, self.file, yaml_path, message).at(position);
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        self.diagnostics.push(diagnostic);
    }

    fn spec_file(&mut self, value: serde_yaml::Value) -> spec::SpecFile {
        let mut spec = spec::SpecFile::default();
        let serde_yaml::Value::Mapping(mapping) = value else {
            self.incomplete.whole = true;
            self.error(
                Code::WrongType,
                "",
                "a spec file must be a mapping of `api`, `resource`, `operations` and `schemas`"
                    .to_owned(),
                None,
            );
            return spec;
        };
        for (key, value) in mapping {
            let Some(key) = key.as_str().map(str::to_owned) else {
                self.incomplete.whole = true;
                self.error(
                    Code::WrongType,
                    "",
                    "top-level keys must be strings".to_owned(),
                    None,
                );
                continue;
            };
            match key.as_str() {
                "api" => {
                    spec.api = self.decode("api", value);
                    self.incomplete.api = spec.api.is_none();
                }
                "resource" => {
                    spec.resource = self.decode("resource", value);
                    self.incomplete.resource = spec.resource.is_none();
                }
                "operations" => spec.operations = self.entries("operations", value, |_, _| {}),
                "schemas" => {
                    spec.schemas = self.entries(
                        "schemas",
                        value,
                        |incomplete: &mut Incomplete, name: &str| {
                            incomplete.schemas.insert(name.to_owned());
                        },
                    )
                }
                other => {
                    let (message, hint) = unknown_key(other, SECTIONS);
                    self.error(Code::UnknownKey, other, message, hint);
                }
            }
        }
        spec
    }

    /// A map whose entries each decode on their own; `failed` records an entry that did not.
    fn entries<T: DeserializeOwned>(
        &mut self,
        path: &str,
        value: serde_yaml::Value,
        failed: impl Fn(&mut Incomplete, &str),
    ) -> IndexMap<String, T> {
        let mut entries = IndexMap::new();
        let mapping = match value {
            serde_yaml::Value::Null => return entries,
            serde_yaml::Value::Mapping(mapping) => mapping,
            _ => {
                self.incomplete.whole = true;
                self.error(
                    Code::WrongType,
                    path,
                    format!("`{path}` must be a mapping from names to definitions"),
                    None,
                );
                return entries;
            }
        };
        for (key, value) in mapping {
            let Some(name) = key.as_str().map(str::to_owned) else {
                self.incomplete.whole = true;
                self.error(
                    Code::WrongType,
                    path,
                    format!("the names under `{path}` must be strings"),
                    None,
                );
                continue;
            };
            let entry_path = format!("{path}.{name}");
            match self.decode(&entry_path, value) {
                Some(entry) => {
                    entries.insert(name, entry);
                }
                None => failed(&mut self.incomplete, &name),
            }
        }
        entries
    }

    fn decode<T: DeserializeOwned>(&mut self, path: &str, value: serde_yaml::Value) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(decoded) => Some(decoded),
            Err(error) => {
                let inner = error.path().to_string();
                // The path reaches the offending key itself, an unknown one included.
                let full = if inner == "." {
                    path.to_owned()
                } else {
                    format!("{path}.{inner}")
                };
                let message = error.into_inner().to_string();
                let (code, message, hint) = classify(&message);
                self.error(code, &full, message, hint);
                None
            }
        }
    }
}

fn from_serde(file: &str, error: &serde_yaml::Error) -> Diagnostic {
    let position = error.location().map(|location| Position {
        line: location.line(),
        column: location.column(),
    });
    // serde_yaml prefixes the message with the YAML path and suffixes the position;
    // split them off so the diagnostic shows each in its place.
    let text = error.to_string();
    let text = match text.rfind(" at line ") {
        Some(cut) => &text[..cut],
        None => &text,
    };
    let (yaml_path, message) = match text.split_once(": ") {
        Some((path, message)) if !path.contains(' ') => (path.to_owned(), message.to_owned()),
        _ => (String::new(), text.to_owned()),
    };
    let (code, message, hint) = if message.starts_with("duplicate entry") {
        (
            Code::DuplicateKey,
            message,
            Some("a key may appear once in a mapping: rename or remove one of them".to_owned()),
        )
    } else {
        let (code, message, hint) = classify(&message);
        (
            if code == Code::WrongType {
                Code::YamlSyntax
            } else {
                code
            },
            message,
            hint,
        )
    };
    let diagnostic = Diagnostic::new(code, file, yaml_path, message)
        .at(position.or(Some(Position { line: 1, column: 1 })));
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// The code, message and hint for one of serde's messages.
fn classify(message: &str) -> (Code, String, Option<String>) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let (_, hint) = unknown_key(field, &candidates);
        return (Code::UnknownKey, message.to_owned(), hint);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint =
            closest(value, candidates.into_iter()).map(|close| format!("did you mean `{close}`?"));
        return (Code::UnknownValue, message.to_owned(), hint);
    }
    if message.starts_with("missing field") {
        return (Code::MissingKey, message.to_owned(), None);
    }
    // serde_yaml reads an integer beyond 64 bits as a u128, which nothing here accepts.
    if let Some(number) = message
        .strip_prefix("invalid type: integer `")
        .and_then(|rest| rest.split_once("` as u128"))
        .map(|(n, _)| n)
    {
        return (
            Code::OutOfRange,
            format!("the number `{number}` is out of range"),
            Some("no number in a spec needs more than 64 bits".to_owned()),
        );
    }
    if message.starts_with("invalid value: integer") {
        return (Code::OutOfRange, message.to_owned(), None);
    }
    (Code::WrongType, message.to_owned(), None)
}

/// The message for a key that is not one of `expected`, and a hint: the likely intended
/// key, or the likely cause when the "key" is the tail of an unquoted text or a merge key.
fn unknown_key(key: &str, expected: &[&str]) -> (String, Option<String>) {
    let list = expected
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let message = format!("unknown key `{key}`, expected one of {list}");
    let hint = if key == "<<" {
        Some("YAML merge keys (`<<`) are not supported: write the keys out".to_owned())
    } else if key.contains(' ') || key.ends_with('.') {
        Some("this looks like the rest of a text: inside `{...}` a comma ends a value, so quote the text".to_owned())
    } else {
        closest(key, expected.iter().copied()).map(|key| format!("did you mean `{key}`?"))
    };
    (message, hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_utf8_is_located_at_the_first_bad_byte() {
        let diagnostic = not_utf8("f.yaml", b"a: 1\nb: \xc3\xa9\xff\n", 10);
        assert_eq!(diagnostic.position, Some(Position { line: 2, column: 5 }));
        assert!(
            diagnostic.message.contains("0xff at offset 10"),
            "{}",
            diagnostic.message
        );
    }
}
