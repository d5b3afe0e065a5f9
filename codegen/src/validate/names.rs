//! The names items take, and the names that are already taken at each level of the
//! generated crate. The runtime's names come from [`crate::contract`]; the names the
//! emitted code itself uses are listed here, beside the rule that protects them.

use std::collections::BTreeMap;

use crate::contract;

/// The enum variant that keeps values the spec does not list.
pub(super) const OTHER_VARIANT: &str = "Other";

/// Why a method name is taken by a trait method of a type whose own trait methods are
/// `traits`, if it is: an inherent method of that name would shadow it.
fn trait_method(name: &str, traits: &[&str]) -> Option<String> {
    (contract::BLANKET_METHODS.contains(&name) || traits.contains(&name)).then(|| {
        format!("is taken by the trait method `{name}`, which an inherent method of that name would shadow")
    })
}

/// Why an operation's method name is taken, if it is: by a trait method of the resource
/// handle (and its mock) that the method would shadow.
pub(super) fn reserved_operation(name: &str) -> Option<String> {
    trait_method(name, contract::HANDLE_TRAIT_METHODS)
}

/// Why a resource module name is taken, if it is: by a module of the crate root, a
/// crate it re-exports, or a method of `Client` that its accessor would collide with.
pub(super) fn reserved_resource(module: &str) -> Option<String> {
    if let Some(reason) = trait_method(module, contract::HANDLE_TRAIT_METHODS) {
        return Some(reason);
    }
    if contract::ROOT_MODULES.contains(&module) {
        return Some(format!(
            "is taken by the generated crate's own module `{module}`"
        ));
    }
    if contract::ROOT_EXPORTS.contains(&module) {
        return Some(format!(
            "is taken by the crate `{module}`, which the generated crate re-exports"
        ));
    }
    if contract::CLIENT_METHODS.contains(&module) {
        return Some(format!(
            "is taken by the method `Client::{module}`, which the accessor `client.{module}()` would collide with"
        ));
    }
    if contract::FEATURES.contains(&module) {
        return Some(format!(
            "is taken by the generated crate's own cargo feature `{module}`, which the resource's feature would collide with"
        ));
    }
    if contract::MOCK_SERVER_METHODS.contains(&module) {
        return Some(format!(
            "is taken by the method `MockServer::{module}`, which the mock accessor `mock.{module}()` would collide with"
        ));
    }
    None
}

/// Why a shared file's module name is taken, if it is: by a module of the crate root, a
/// crate it re-exports, or one of the crate's own cargo features.
pub(super) fn reserved_module(module: &str) -> Option<String> {
    if contract::ROOT_MODULES.contains(&module) {
        return Some(format!(
            "is taken by the generated crate's own module `{module}`"
        ));
    }
    if contract::ROOT_EXPORTS.contains(&module) {
        return Some(format!(
            "is taken by `{module}`, which the generated crate re-exports"
        ));
    }
    None
}

/// Why a model field's Rust name is taken, if it is: by the map of unlisted keys, the
/// constructor, or a trait method, which the field's setter would collide with.
pub(super) fn reserved_field(rust: &str) -> Option<String> {
    if contract::MODEL_MEMBERS.contains(&rust) {
        return Some(format!("is taken by the model's own `{rust}`"));
    }
    trait_method(rust, contract::MODEL_TRAIT_METHODS)
}

/// Why a parameter's Rust name is taken, if it is: by the request builder's own members,
/// or by a trait method, which the parameter's setter would shadow.
pub(super) fn reserved_parameter(rust: &str) -> Option<String> {
    if contract::BUILDER_MEMBERS.contains(&rust) {
        return Some(format!("is taken by the request builder's own `{rust}`"));
    }
    trait_method(rust, contract::BUILDER_TRAIT_METHODS)
}

/// Why a type name in a generated module is taken, if it is.
pub(super) fn reserved_type(name: &str) -> Option<String> {
    contract::PRELUDE_TYPES
        .contains(&name)
        .then(|| format!("would shadow the standard `{name}` that generated code uses"))
}

/// Rust names already given in one scope, each with what took it.
#[derive(Debug, Default)]
pub(super) struct Scope {
    taken: BTreeMap<String, String>,
}

impl Scope {
    /// Takes `name` for `holder`; when it was taken already, returns who took it.
    pub(super) fn take(&mut self, name: &str, holder: impl Into<String>) -> Result<(), String> {
        match self.taken.get(name) {
            Some(other) => Err(other.clone()),
            None => {
                self.taken.insert(name.to_owned(), holder.into());
                Ok(())
            }
        }
    }
}
