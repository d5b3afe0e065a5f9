//! The type expressions the spec writes as strings: `integer`, `list<string>`,
//! `map<json>`, `Organization`.

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
    /// `list<T>`.
    List(Box<TypeExpr>),
    /// `map<T>`: a JSON object with string keys.
    Map(Box<TypeExpr>),
    /// A schema name.
    Named(String),
}

/// The primitive type names, for hints.
pub const PRIMITIVES: &[&str] = &["string", "integer", "number", "boolean", "flag", "json"];

impl TypeExpr {
    /// Parses `text`; the error says what is wrong in plain words.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let generic = |prefix: &str| {
            text.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('<'))
                .and_then(|rest| rest.strip_suffix('>'))
        };
        if let Some(inner) = generic("list") {
            return Ok(Self::List(Box::new(Self::parse(inner)?)));
        }
        if let Some(inner) = generic("map") {
            return Ok(Self::Map(Box::new(Self::parse(inner)?)));
        }
        Ok(match text {
            "string" => Self::String,
            "integer" => Self::Integer,
            "number" => Self::Number,
            "boolean" => Self::Boolean,
            "flag" => Self::Flag,
            "json" => Self::Json,
            _ if !text.is_empty()
                && text.starts_with(|c: char| c.is_ascii_uppercase())
                && text.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                Self::Named(text.to_owned())
            }
            _ => {
                return Err(format!(
                    "`{text}` is not a type: use one of {}, `list<T>`, `map<T>` or the name of a schema",
                    PRIMITIVES.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
                ));
            }
        })
    }
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
            Self::List(inner) => write!(f, "list<{inner}>"),
            Self::Map(inner) => write!(f, "map<{inner}>"),
            Self::Named(name) => f.write_str(name),
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
            Ok(TypeExpr::List(Box::new(TypeExpr::Map(Box::new(TypeExpr::Named(
                "Organization".into()
            ))))))
        );
        assert_eq!(TypeExpr::parse(" flag "), Ok(TypeExpr::Flag));
        assert_eq!(TypeExpr::parse("list<integer>").unwrap().to_string(), "list<integer>");
    }

    #[test]
    fn rejects_unknown_primitives_and_broken_generics() {
        for bad in ["int", "list<integer", "list<>", "", "organization", "map<str ing>"] {
            assert!(TypeExpr::parse(bad).is_err(), "{bad:?} parsed");
        }
    }
}
