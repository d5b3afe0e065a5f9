//! The type expressions the spec writes as strings: `integer`, `list<string>`,
//! `map<json>`, `custom_fields`, `Organization`.

use std::fmt;

/// A parsed type expression; schema names are not resolved yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    /// `string`.
    String,
    /// `integer`: 64-bit signed.
    Integer,
    /// `number`: 64-bit float.
    Number,
    /// `boolean`: JSON `true` or `false`.
    Boolean,
    /// `flag`: a boolean the API writes as `true`/`false` or as `0`/`1`.
    Flag,
    /// `json`: any JSON value.
    Json,
    /// `file`: an upload's content, in a multipart body.
    File,
    /// `custom_fields`: an item's custom field values, keyed by field code.
    CustomFields,
    /// `list<T>`.
    List(Box<TypeExpr>),
    /// `map<T>`: a JSON object with string keys.
    Map(Box<TypeExpr>),
    /// A schema name, `Name`, or one qualified by the module of another file,
    /// `module.Name`.
    Named {
        /// The module, when qualified.
        module: Option<String>,
        /// The schema's name.
        name: String,
    },
}

/// The primitive type names, for hints.
pub const PRIMITIVES: &[&str] = &[
    "string",
    "integer",
    "number",
    "boolean",
    "flag",
    "json",
    "file",
    "custom_fields",
];

/// Type expressions nest at most this deep (`list<map<list<T>>>` is 4): deeper types
/// are no real API's, and would only strain rustc and the pretty-printer.
pub const MAX_DEPTH: usize = 8;

/// Why a type expression does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeError {
    /// It nests deeper than [`MAX_DEPTH`].
    TooDeep,
    /// It is not a type; the text says why in plain words.
    Invalid(String),
}

/// A `list<...>` or `map<...>` around what follows.
enum Wrapper {
    List,
    Map,
}

impl TypeExpr {
    /// Parses `text`, without recursion: the `list<...>`/`map<...>` wrappers are peeled
    /// off first, at most [`MAX_DEPTH`] of them, then the innermost name is read.
    pub fn parse(text: &str) -> Result<Self, TypeError> {
        let mut rest = text.trim();
        let mut wrappers = Vec::new();
        loop {
            let generic = |prefix: &str| {
                rest.strip_prefix(prefix)
                    .and_then(|r| r.strip_prefix('<'))
                    .and_then(|r| r.strip_suffix('>'))
                    .map(str::trim)
            };
            let (wrapper, inner) = match (generic("list"), generic("map")) {
                (Some(inner), _) => (Wrapper::List, inner),
                (None, Some(inner)) => (Wrapper::Map, inner),
                (None, None) => break,
            };
            if wrappers.len() + 1 >= MAX_DEPTH {
                return Err(TypeError::TooDeep);
            }
            wrappers.push(wrapper);
            rest = inner;
        }
        let leaf = match rest {
            "string" => Self::String,
            "integer" => Self::Integer,
            "number" => Self::Number,
            "boolean" => Self::Boolean,
            "flag" => Self::Flag,
            "json" => Self::Json,
            "file" => Self::File,
            "custom_fields" => Self::CustomFields,
            _ if is_schema_name(rest) => Self::Named {
                module: None,
                name: rest.to_owned(),
            },
            _ if rest
                .split_once('.')
                .is_some_and(|(module, name)| is_module_name(module) && is_schema_name(name)) =>
            {
                let (module, name) = rest.split_once('.').unwrap_or_default();
                Self::Named {
                    module: Some(module.to_owned()),
                    name: name.to_owned(),
                }
            }
            _ => {
                let shown: String = text.trim().chars().take(80).collect();
                return Err(TypeError::Invalid(format!(
                    "`{shown}` is not a type: use one of {}, `list<T>`, `map<T>`, the name of a schema, or `module.Name` for another file's",
                    PRIMITIVES
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        };
        Ok(wrappers
            .into_iter()
            .rev()
            .fold(leaf, |inner, wrapper| match wrapper {
                Wrapper::List => Self::List(Box::new(inner)),
                Wrapper::Map => Self::Map(Box::new(inner)),
            }))
    }
}

/// `Name`: an upper-case letter, then letters and digits.
fn is_schema_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_uppercase())
        && text.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `module`: a lower-case letter, then lower-case letters, digits and underscores.
fn is_module_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::String => f.write_str("string"),
            Self::Integer => f.write_str("integer"),
            Self::Number => f.write_str("number"),
            Self::Boolean => f.write_str("boolean"),
            Self::Flag => f.write_str("flag"),
            Self::Json => f.write_str("json"),
            Self::File => f.write_str("file"),
            Self::CustomFields => f.write_str("custom_fields"),
            Self::List(inner) => write!(f, "list<{inner}>"),
            Self::Map(inner) => write!(f, "map<{inner}>"),
            Self::Named {
                module: Some(module),
                name,
            } => write!(f, "{module}.{name}"),
            Self::Named { module: None, name } => f.write_str(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_expressions() {
        assert_eq!(
            TypeExpr::parse("list<map<Organization>>"),
            Ok(TypeExpr::List(Box::new(TypeExpr::Map(Box::new(
                TypeExpr::Named {
                    module: None,
                    name: "Organization".into()
                }
            )))))
        );
        assert_eq!(
            TypeExpr::parse("list<persons.Person>").unwrap().to_string(),
            "list<persons.Person>"
        );
        assert_eq!(TypeExpr::parse("file"), Ok(TypeExpr::File));
        assert_eq!(TypeExpr::parse(" flag "), Ok(TypeExpr::Flag));
        assert_eq!(
            TypeExpr::parse("custom_fields").unwrap().to_string(),
            "custom_fields"
        );
        assert_eq!(
            TypeExpr::parse("list<integer>").unwrap().to_string(),
            "list<integer>"
        );
    }

    #[test]
    fn stops_at_the_depth_limit_without_recursing() {
        let nested = |depth: usize| format!("{}string{}", "list<".repeat(depth), ">".repeat(depth));
        assert!(TypeExpr::parse(&nested(MAX_DEPTH - 1)).is_ok());
        assert_eq!(TypeExpr::parse(&nested(MAX_DEPTH)), Err(TypeError::TooDeep));
        assert_eq!(TypeExpr::parse(&nested(100_000)), Err(TypeError::TooDeep));
    }

    #[test]
    fn rejects_unknown_primitives_and_broken_generics() {
        for bad in [
            "int",
            "list<integer",
            "list<>",
            "",
            "organization",
            "map<str ing>",
            "Persons.Person",
            "persons.person",
            "persons.",
            ".Person",
            "a.b.Person",
        ] {
            assert!(TypeExpr::parse(bad).is_err(), "{bad:?} parsed");
        }
    }
}
