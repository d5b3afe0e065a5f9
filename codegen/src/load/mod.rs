//! Stage 1, load: YAML text to the spec model of [`spec`], with every syntax and
//! shape error of every file reported at once.

pub mod spec;

mod locate;

pub use locate::Locator;

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

/// Parses every file; reports the first shape error of each file (serde stops at one).
pub fn load(files: &[SourceFile]) -> Result<Vec<LoadedFile>, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut loaded = Vec::with_capacity(files.len());
    for file in files {
        match serde_yaml::from_str::<spec::SpecFile>(&file.text) {
            Ok(spec) => loaded.push(LoadedFile {
                name: file.name.clone(),
                spec,
                locator: Locator::new(&file.text),
            }),
            Err(error) => diagnostics.push(from_serde(&file.name, &error)),
        }
    }
    diagnostics.into_result(loaded)
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
    let hint = unknown_key_hint(&message);
    let diagnostic = Diagnostic::new(file, yaml_path, message).at(position);
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": the likely intended key, or
/// the likely cause when the "key" is really the tail of an unquoted text.
fn unknown_key_hint(message: &str) -> Option<String> {
    let (field, expected) = message.strip_prefix("unknown field `")?.split_once('`')?;
    if field.contains(' ') || field.ends_with('.') {
        return Some("this looks like the rest of a text: inside `{...}` a comma ends a value, so quote the text".to_owned());
    }
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    closest(field, candidates.into_iter()).map(|key| format!("did you mean `{key}`?"))
}
