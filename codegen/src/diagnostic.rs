//! Diagnostics: what the generator tells a maintainer about a spec it cannot compile.
//!
//! Every stage collects all of its problems before it returns, so one run of
//! `cargo xtask generate` reports every mistake of that stage at once.

use std::fmt;

/// A position in a source file, 1-based, as the YAML parser reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// Line, counting from 1.
    pub line: usize,
    /// Column, counting from 1.
    pub column: usize,
}

/// One problem in the spec, with where it is and, when useful, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file, as the caller named it (for example `spec/organizations.yaml`).
    pub file: String,
    /// Line and column, where the parser gives them.
    pub position: Option<Position>,
    /// The YAML path of the offending node, for example `operations.getOrganization.parameters.id`.
    pub yaml_path: String,
    /// What is wrong, in plain words: lower-case, no trailing period.
    pub message: String,
    /// How to fix it, when the generator can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without position or hint; the loader's index of YAML paths fills the position in.
    pub fn new(file: impl Into<String>, yaml_path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            position: None,
            yaml_path: yaml_path.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the position.
    #[must_use]
    pub fn at(mut self, position: Option<Position>) -> Self {
        self.position = position;
        self
    }

    fn sort_key(&self) -> (&str, Option<Position>, &str, &str) {
        (&self.file, self.position, &self.yaml_path, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}\n  --> {}", self.message, self.file)?;
        if let Some(Position { line, column }) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        if !self.yaml_path.is_empty() {
            write!(f, " (at `{}`)", self.yaml_path)?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// All the diagnostics of one stage, sorted by file and position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The diagnostics, in report order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// `Ok(value)` when there are no diagnostics, else the sorted diagnostics.
    pub fn into_result<T>(mut self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            self.0.dedup();
            Err(self)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Self(vec![diagnostic])
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}\n")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{} in the spec; nothing was written", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// The candidate closest to `wanted`, when it is close enough to be a likely typo.
pub fn closest<'c>(wanted: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let wanted = wanted.to_lowercase();
    candidates
        .map(|candidate| (strsim::damerau_levenshtein(&wanted, &candidate.to_lowercase()), candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4))
        .min_by_key(|(distance, candidate)| (*distance, *candidate))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_close_candidates() {
        let candidates = ["description", "fields", "enum"];
        assert_eq!(closest("descripton", candidates.iter().copied()), Some("description"));
        assert_eq!(closest("Fields", candidates.iter().copied()), Some("fields"));
        assert_eq!(closest("banana", candidates.iter().copied()), None);
    }
}
