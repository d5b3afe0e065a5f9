//! Naming: the one place a wire name becomes a Rust identifier.
//!
//! Case conversion is heck's; a name that is a Rust keyword gets a trailing `_`
//! (`type` → `type_`), never `r#`, because `self`, `Self`, `super` and `crate`
//! cannot be raw identifiers; a name that starts with a digit gets a prefix.
//!
//! Every Rust name of the generated crate is derived here, once, while the spec is
//! checked (`validate/`); later stages copy the names the checked model carries.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Every keyword of Rust 2024, strict and reserved.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Why a name cannot become a Rust identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError(pub String);

/// `snake_case` for fields, parameters, methods and modules.
pub fn snake(wire: &str) -> Result<String, NameError> {
    finish(wire, wire.to_snake_case(), "n")
}

/// `UpperCamelCase` for types and enum variants.
pub fn camel(wire: &str) -> Result<String, NameError> {
    finish(wire, wire.to_upper_camel_case(), "V")
}

/// The handle type of a resource module: `organizations` → `Organizations`.
pub fn handle_type(module: &str) -> Result<String, NameError> {
    camel(module)
}

/// The type of a resource's typed mock: `organizations` → `OrganizationsMock`. A
/// keyword's escape does not carry over: `self_` → `SelfMock`.
pub fn mock_type(module: &str) -> Result<String, NameError> {
    finish(module, format!("{}Mock", module.to_upper_camel_case()), "V")
}

/// The request builder of a handle method: `permitted_users` → `PermittedUsersRequest`.
/// A keyword's escape does not carry over: `self_` → `SelfRequest`.
pub fn builder_type(method: &str) -> Result<String, NameError> {
    finish(
        method,
        format!("{}Request", method.to_upper_camel_case()),
        "V",
    )
}

/// Checks that a name a person wrote in the spec is already a usable identifier in the given case.
pub fn check_explicit(name: &str, upper_camel: bool) -> Result<String, NameError> {
    let converted = if upper_camel {
        camel(name)?
    } else {
        snake(name)?
    };
    if converted == name {
        Ok(converted)
    } else {
        Err(NameError(format!(
            "`{name}` is not a {} Rust identifier (it would have to be `{converted}`)",
            if upper_camel {
                "UpperCamelCase"
            } else {
                "snake_case"
            }
        )))
    }
}

fn finish(wire: &str, converted: String, prefix: &str) -> Result<String, NameError> {
    // heck drops everything that is not alphanumeric; what is left must be ASCII to be a
    // portable identifier.
    if converted.is_empty()
        || !converted
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(NameError(format!(
            "`{wire}` cannot become a Rust identifier"
        )));
    }
    let mut name = converted;
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, prefix);
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_cases() {
        let cases = [
            ("type", "type_", "Type"),
            ("self", "self_", "Self_"),
            ("Self", "self_", "Self_"),
            ("gen", "gen_", "Gen"),
            ("crate", "crate_", "Crate"),
            ("async", "async_", "Async"),
            ("from", "from", "From"),
            ("not opened", "not_opened", "NotOpened"),
            ("mailMessages", "mail_messages", "MailMessages"),
            ("plannedActivity", "planned_activity", "PlannedActivity"),
            (
                "admin_area_level_1",
                "admin_area_level_1",
                "AdminAreaLevel1",
            ),
            ("128", "n128", "V128"),
            (
                "getOrganizationsCollection",
                "get_organizations_collection",
                "GetOrganizationsCollection",
            ),
            ("x-api-token", "x_api_token", "XApiToken"),
        ];
        for (wire, snake_name, camel_name) in cases {
            assert_eq!(snake(wire).as_deref(), Ok(snake_name), "snake of {wire:?}");
            assert_eq!(camel(wire).as_deref(), Ok(camel_name), "camel of {wire:?}");
        }
    }

    #[test]
    fn derived_type_names_drop_the_keyword_escape() {
        assert_eq!(builder_type("self_").as_deref(), Ok("SelfRequest"));
        assert_eq!(
            builder_type("permitted_users").as_deref(),
            Ok("PermittedUsersRequest")
        );
        assert_eq!(handle_type("self_").as_deref(), Ok("Self_"));
    }

    /// Every keyword of the Rust Reference (strict, reserved, and the 2024 edition's
    /// `gen`), listed here independently of `KEYWORDS`: leaving one out of that table
    /// fails this test.
    #[test]
    fn every_keyword_is_escaped() {
        const REFERENCE: &[&str] = &[
            "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn",
            "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
            "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
            "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become",
            "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual",
            "yield", "try", "gen",
        ];
        for keyword in REFERENCE {
            assert_eq!(
                snake(keyword).as_deref(),
                Ok(format!("{}_", keyword.to_lowercase()).as_str()),
                "snake of {keyword}"
            );
            assert!(
                check_explicit(keyword, false).is_err(),
                "{keyword} accepted as an explicit name"
            );
        }
        assert_eq!(camel("Self").as_deref(), Ok("Self_"));
        // And the table holds nothing that syn would take as an identifier, but `gen`,
        // which syn reads by the rules of older editions.
        for keyword in KEYWORDS.iter().filter(|k| **k != "gen") {
            assert!(
                syn::parse_str::<syn::Ident>(keyword).is_err(),
                "{keyword} is not a keyword"
            );
        }
        assert_eq!(KEYWORDS.len(), REFERENCE.len());
    }

    #[test]
    fn rejects_what_cannot_be_a_name() {
        assert!(snake("!!!").is_err());
        assert!(camel("").is_err());
        assert!(snake("naïve").is_err());
    }

    #[test]
    fn explicit_names_must_already_be_in_case() {
        assert_eq!(check_explicit("list", false).as_deref(), Ok("list"));
        assert!(check_explicit("List", false).is_err());
        assert!(check_explicit("type", false).is_err());
        assert_eq!(
            check_explicit("NotOpened", true).as_deref(),
            Ok("NotOpened")
        );
    }
}
