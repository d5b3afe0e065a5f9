//! Diagnostics: what the generator tells a maintainer about a spec it cannot compile.
//!
//! Every stage collects all of its problems before it returns, so one run of
//! `cargo xtask generate` reports every mistake of that stage at once. Each diagnostic
//! has a [`Code`] naming its rule; `tests/tests/generator.rs` fails when a code has no
//! invalid fixture that produces it.

use std::fmt;

/// A position in a source file, 1-based, as the YAML parser reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// Line, counting from 1.
    pub line: usize,
    /// Column, counting from 1.
    pub column: usize,
}

/// Defines [`Code`] and its list of every code from one table, so the list cannot miss one.
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal,)*) => {
        /// The rule a diagnostic reports on, shown as `error[name]`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code's name, as reports show it.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    /// A file is not valid UTF-8.
    NotUtf8 => "not-utf8",
    /// A file is not valid YAML.
    YamlSyntax => "yaml-syntax",
    /// A file holds no spec at all.
    EmptyFile => "empty-file",
    /// A file holds more than one YAML document.
    SeveralDocuments => "several-documents",
    /// YAML anchors, aliases and merge keys, which the dialect does not use.
    YamlAlias => "yaml-alias",
    /// A YAML tag such as `!foo`.
    YamlTag => "yaml-tag",
    /// YAML nested deeper than any spec needs.
    TooDeep => "too-deep",
    /// A control or bidirectional-override character in the text.
    ControlCharacter => "control-character",
    /// A key the dialect does not have.
    UnknownKey => "unknown-key",
    /// A value that is not one of the dialect's words.
    UnknownValue => "unknown-value",
    /// A key the dialect requires is missing.
    MissingKey => "missing-key",
    /// A value of the wrong type.
    WrongType => "wrong-type",
    /// A number too large or too small for its key.
    OutOfRange => "out-of-range",
    /// A key given twice in one mapping.
    DuplicateKey => "duplicate-key",
    /// No file has an `api` section.
    NoApi => "no-api",
    /// More than one file has an `api` section.
    DuplicateApi => "duplicate-api",
    /// A version prefix that is not a clean absolute path.
    BadPrefix => "bad-prefix",
    /// Two definitions of one schema, resource or operation id.
    DuplicateDefinition => "duplicate-definition",
    /// A name that cannot become a Rust identifier, or is not in the right case.
    InvalidName => "invalid-name",
    /// Two items that would get the same Rust name.
    NameCollision => "name-collision",
    /// A name the generated crate or its runtime already uses.
    ReservedName => "reserved-name",
    /// Operations in a file without a resource.
    NoResource => "no-resource",
    /// A resource without operations.
    EmptyResource => "empty-resource",
    /// A description or summary with no text, which would leave an item undocumented.
    EmptyText => "empty-text",
    /// An HTTP method the generator does not support.
    UnsupportedMethod => "unsupported-method",
    /// An operation of a version the `api` section does not declare.
    UnknownVersion => "unknown-version",
    /// A body on a method that cannot have one.
    BodyNotAllowed => "body-not-allowed",
    /// A body that is not an object schema.
    BodyNotObject => "body-not-object",
    /// A path template that is not a clean absolute path.
    BadPath => "bad-path",
    /// A path placeholder with no declared path parameter.
    UndeclaredPlaceholder => "undeclared-placeholder",
    /// A placeholder that appears twice in one path.
    RepeatedPlaceholder => "repeated-placeholder",
    /// A placeholder declared as a query parameter.
    PlaceholderInQuery => "placeholder-in-query",
    /// A path parameter that does not appear in the path.
    UnusedPathParameter => "unused-path-parameter",
    /// A parameter of a type it cannot have where it is.
    ParameterType => "parameter-type",
    /// A list parameter without a style.
    MissingStyle => "missing-style",
    /// `style` on a parameter that is not a list.
    StyleNotList => "style-not-list",
    /// `max_items` on a parameter that is not a list.
    MaxItemsNotList => "max-items-not-list",
    /// `minimum` or `maximum` on a parameter that is not a number.
    BoundsNotNumber => "bounds-not-number",
    /// `minimum` above `maximum`.
    InvertedBounds => "inverted-bounds",
    /// `format` on something that is not a string.
    FormatNotString => "format-not-string",
    /// An enum default that is not one of the enum's values.
    DefaultNotValue => "default-not-value",
    /// A default that does not fit the parameter's type.
    DefaultWrongType => "default-wrong-type",
    /// A success status outside 2xx.
    BadStatus => "bad-status",
    /// `items_field` on a response that is not a page.
    ItemsFieldNotPage => "items-field-not-page",
    /// A page envelope without the parameter that positions a page.
    CannotPage => "cannot-page",
    /// A type expression that does not parse.
    BadType => "bad-type",
    /// A type expression nested deeper than the generated code may be.
    TypeTooDeep => "type-too-deep",
    /// A type that names no schema.
    UnknownSchema => "unknown-schema",
    /// A schema that is neither an object nor an enum, or both.
    SchemaShape => "schema-shape",
    /// An enum without values.
    EmptyEnum => "empty-enum",
    /// An enum whose values are neither all strings nor all integers.
    MixedEnum => "mixed-enum",
    /// An integer enum value without a Rust name.
    MissingVariantName => "missing-variant-name",
    /// A field both `required` and `nullable`.
    RequiredNullable => "required-nullable",
    /// `nullable` on a response that is not a `single` envelope.
    NullableNotSingle => "nullable-not-single",
    /// A schema that no operation uses.
    UnusedSchema => "unused-schema",
    /// A required field of a response model without the evidence that it is always sent.
    RequiredWithoutEvidence => "required-without-evidence",
    /// An enum value listed twice.
    DuplicateValue => "duplicate-value",
    /// A member of a `one_of` union that is not a scalar type, or one listed twice.
    UnionMember => "union-member",
    /// A default outside the value's own `minimum` and `maximum`.
    DefaultOutOfBounds => "default-out-of-bounds",
    /// A `file` field in a schema that is not only a multipart body.
    FileOutsideUpload => "file-outside-upload",
    /// A multipart body whose field is not a form value (text, number, id, enum or file).
    MultipartField => "multipart-field",
    /// `additional_data` on a response that is not a `single` envelope.
    AdditionalNotSingle => "additional-not-single",
    /// A shared schema that names a resource's schema, which its module may not have.
    SharedUsesResource => "shared-uses-resource",
    /// `variant_names` on a schema that is not an enum.
    VariantNamesNotEnum => "variant-names-not-enum",
    /// A `variant_names` key that is not a value of its enum.
    UnknownVariantName => "unknown-variant-name",
    /// A struct that contains itself without indirection.
    RecursiveSchema => "recursive-schema",
    /// A `custom_fields` field that is `required` or `nullable`, or a second one in a
    /// schema.
    CustomFieldsField => "custom-fields-field",
    /// A `field_definition` that names a field the schema lacks, or one of a type the
    /// field index cannot read.
    FieldDefinition => "field-definition",
    /// A bug in the generator: emission that does not parse.
    Internal => "internal",
}

/// One problem in the spec, with where it is and, when useful, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule it reports on.
    pub code: Code,
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
    /// An error without position or hint; the loader's index of YAML paths fills the
    /// position in.
    pub fn new(
        code: Code,
        file: impl Into<String>,
        yaml_path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            code,
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
        write!(
            f,
            "error[{}]: {}\n  --> {}",
            self.code.name(),
            self.message,
            self.file
        )?;
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
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.sorted())
        }
    }

    /// The diagnostics in report order, each once.
    pub(crate) fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.0.dedup();
        self
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
        write!(
            f,
            "{n} error{} in the spec; nothing was written",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

/// The candidate closest to `wanted`, when it is close enough to be a likely typo.
pub fn closest<'c>(wanted: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let wanted = wanted.to_lowercase();
    candidates
        .map(|candidate| {
            (
                strsim::damerau_levenshtein(&wanted, &candidate.to_lowercase()),
                candidate,
            )
        })
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
        assert_eq!(
            closest("descripton", candidates.iter().copied()),
            Some("description")
        );
        assert_eq!(
            closest("Fields", candidates.iter().copied()),
            Some("fields")
        );
        assert_eq!(closest("banana", candidates.iter().copied()), None);
    }

    #[test]
    fn code_names_are_unique_and_kebab_case() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|code| code.name()).collect();
        assert!(names.iter().all(|name| {
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        }));
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "two codes share a name");
    }
}
