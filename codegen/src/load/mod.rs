//! Stage 1, load: YAML text to the spec model of [`spec`], with every syntax and
//! shape error of every file reported at once.

pub mod spec;

mod locate;

pub use locate::Locator;

use indexmap::IndexMap;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Diagnostics, Position, closest};

/// One spec file as the caller read it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// How diagnostics name the file, for example `spec/organizations.yaml`.
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// A parsed spec file with the index that locates its nodes.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// How diagnostics name the file.
    pub name: String,
    /// The file's contents.
    pub spec: spec::SpecFile,
    /// YAML path to position.
    pub locator: Locator,
}

impl LoadedFile {
    /// A diagnostic about the node at `yaml_path` in this file, with its position.
    pub fn error(&self, yaml_path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        let yaml_path = yaml_path.into();
        let position = self.locator.find(&yaml_path);
        Diagnostic::new(&self.name, yaml_path, message).at(position)
    }
}

/// The top-level keys of a spec file.
const SECTIONS: &[&str] = &["api", "resource", "operations", "schemas"];

/// Parses every file. Each section, operation and schema is decoded on its own, so one
/// run reports a mistake in every one of them, not only the first of a file.
pub fn load(files: &[SourceFile]) -> Result<Vec<LoadedFile>, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut loaded = Vec::with_capacity(files.len());
    for file in files {
        let value = match serde_yaml::from_str::<serde_yaml::Value>(&file.text) {
            Ok(value) => value,
            Err(error) => {
                diagnostics.push(from_serde(&file.name, &error));
                continue;
            }
        };
        let locator = Locator::new(&file.text);
        let mut reader = Reader { file: &file.name, locator: &locator, diagnostics: &mut diagnostics, failed: false };
        let spec = reader.spec_file(value);
        if !reader.failed {
            loaded.push(LoadedFile { name: file.name.clone(), spec, locator });
        }
    }
    diagnostics.into_result(loaded)
}

/// Decodes the parts of one file, collecting a diagnostic for each part that fails.
struct Reader<'a> {
    file: &'a str,
    locator: &'a Locator,
    diagnostics: &'a mut Diagnostics,
    failed: bool,
}

impl Reader<'_> {
    fn error(&mut self, yaml_path: &str, message: String, hint: Option<String>) {
        self.failed = true;
        let mut diagnostic = Diagnostic::new(self.file, yaml_path, message).at(self.locator.find(yaml_path));
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        self.diagnostics.push(diagnostic);
    }

    fn spec_file(&mut self, value: serde_yaml::Value) -> spec::SpecFile {
        let mut spec = spec::SpecFile::default();
        let mapping = match value {
            serde_yaml::Value::Null => return spec,
            serde_yaml::Value::Mapping(mapping) => mapping,
            _ => {
                self.error("", "a spec file must be a mapping of `api`, `resource`, `operations` and `schemas`".to_owned(), None);
                return spec;
            }
        };
        for (key, value) in mapping {
            let Some(key) = key.as_str().map(str::to_owned) else {
                self.error("", "top-level keys must be strings".to_owned(), None);
                continue;
            };
            match key.as_str() {
                "api" => spec.api = self.decode("api", value),
                "resource" => spec.resource = self.decode("resource", value),
                "operations" => spec.operations = self.entries("operations", value),
                "schemas" => spec.schemas = self.entries("schemas", value),
                other => {
                    let hint = closest(other, SECTIONS.iter().copied()).map(|s| format!("did you mean `{s}`?"));
                    let expected = SECTIONS.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
                    self.error(other, format!("unknown key `{other}`, expected one of {expected}"), hint);
                }
            }
        }
        spec
    }

    /// A map whose entries each decode on their own.
    fn entries<T: DeserializeOwned>(&mut self, path: &str, value: serde_yaml::Value) -> IndexMap<String, T> {
        let mut entries = IndexMap::new();
        let mapping = match value {
            serde_yaml::Value::Null => return entries,
            serde_yaml::Value::Mapping(mapping) => mapping,
            _ => {
                self.error(path, format!("`{path}` must be a mapping from names to definitions"), None);
                return entries;
            }
        };
        for (key, value) in mapping {
            let Some(name) = key.as_str().map(str::to_owned) else {
                self.error(path, format!("the names under `{path}` must be strings"), None);
                continue;
            };
            let entry_path = format!("{path}.{name}");
            if let Some(entry) = self.decode(&entry_path, value) {
                entries.insert(name, entry);
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
                let full = if inner == "." { path.to_owned() } else { format!("{path}.{inner}") };
                let message = error.into_inner().to_string();
                let hint = unknown_key_hint(&message);
                self.error(&full, message, hint);
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
    let hint = unknown_key_hint(&message).or_else(|| {
        message
            .starts_with("duplicate entry")
            .then(|| "a key may appear once in a mapping: rename or remove one of them".to_owned())
    });
    let diagnostic = Diagnostic::new(file, yaml_path, message).at(position);
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant"): the
/// likely intended word, or the likely cause when the "key" is really the tail of an
/// unquoted text.
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `").or_else(|| message.strip_prefix("unknown variant `"))?;
    let (field, expected) = rest.split_once('`')?;
    if field.contains(' ') || field.ends_with('.') {
        return Some("this looks like the rest of a text: inside `{...}` a comma ends a value, so quote the text".to_owned());
    }
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    closest(field, candidates.into_iter()).map(|key| format!("did you mean `{key}`?"))
}
