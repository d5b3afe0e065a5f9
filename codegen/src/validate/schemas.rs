//! The rules of a schema: its name, and its fields or enum values.

use crate::diagnostic::Code;
use crate::ir::Type;
use crate::load::spec;
use crate::names;

use super::names::{EXTRA_FIELD, OTHER_VARIANT, Scope, reserved_type};
use super::operations::{derived_name, format_of};
use super::{CheckedField, CheckedSchema, CheckedSchemaKind, Context};

/// Checks one schema.
pub(super) fn check_schema<'s>(cx: &mut Context<'s, '_>, name: &'s str, schema: &'s spec::Schema) -> Option<CheckedSchema<'s>> {
    let path = format!("schemas.{name}");
    cx.require_text(&format!("{path}.description"), &schema.description);
    let mut ok = match names::check_explicit(name, true) {
        Ok(_) => true,
        Err(error) => {
            cx.push(cx.error(Code::InvalidName, &path, error.0));
            false
        }
    };
    if let Some(reason) = reserved_type(name) {
        cx.push(cx.error(Code::ReservedName, &path, format!("schema name `{name}` {reason}")).with_hint(format!("choose a more specific name, for example `Pipedrive{name}`")));
        ok = false;
    }
    let kind = match (&schema.fields, &schema.values) {
        (Some(_), Some(_)) => {
            cx.push(cx.error(Code::SchemaShape, &path, "a schema has either `fields` or `enum`, not both"));
            None
        }
        (None, None) => {
            cx.push(cx.error(Code::SchemaShape, &path, "a schema needs `fields` (an object) or `enum` (a string enum)"));
            None
        }
        (Some(fields), None) => {
            if !schema.variant_names.is_empty() {
                cx.push(cx.error(Code::VariantNamesNotEnum, format!("{path}.variant_names"), "`variant_names` applies to enums only"));
                ok = false;
            }
            check_fields(cx, &path, fields).map(CheckedSchemaKind::Struct)
        }
        (None, Some(values)) => check_values(cx, &path, schema, values).map(CheckedSchemaKind::Enum),
    };
    let kind = kind?;
    ok.then_some(CheckedSchema { name, description: &schema.description, kind })
}

fn check_fields<'s>(cx: &mut Context<'s, '_>, path: &str, fields: &'s indexmap::IndexMap<String, spec::Field>) -> Option<Vec<CheckedField<'s>>> {
    let mut rust_names = Scope::default();
    let mut checked = Vec::with_capacity(fields.len());
    let mut ok = true;
    for (wire, field) in fields {
        let field_path = format!("{path}.fields.{wire}");
        cx.require_text(&format!("{field_path}.description"), &field.description);
        let rust = derived_name(cx, &field_path, wire, field.rust_name.as_deref());
        if let Some(rust) = &rust {
            if rust == EXTRA_FIELD {
                cx.push(cx.error(Code::ReservedName, &field_path, format!("field name `{rust}` is taken by the map of unlisted keys")).with_hint("give another Rust name with `rust_name`"));
                ok = false;
            } else if let Err(other) = rust_names.take(rust, wire) {
                cx.push(
                    cx.error(Code::NameCollision, &field_path, format!("fields `{other}` and `{wire}` both become the Rust name `{rust}`"))
                        .with_hint("give one of them another Rust name with `rust_name`"),
                );
                ok = false;
            }
        }
        let ty = cx.resolve_type(&format!("{field_path}.type"), &field.ty);
        let format = field.format.map(format_of);
        if format.is_some() && ty.as_ref().is_some_and(|ty| *ty != Type::String) {
            cx.push(cx.error(Code::FormatNotString, format!("{field_path}.format"), format!("`format` applies to strings only, and this field is `{}`", field.ty.trim())));
            ok = false;
        }
        match (rust, ty) {
            (Some(rust), Some(ty)) => checked.push(CheckedField { wire, rust, spec: field, ty, format }),
            _ => ok = false,
        }
    }
    ok.then_some(checked)
}

fn check_values<'s>(cx: &mut Context<'s, '_>, path: &str, schema: &'s spec::Schema, values: &'s [String]) -> Option<Vec<(&'s str, String)>> {
    let mut ok = true;
    if values.is_empty() {
        cx.push(cx.error(Code::EmptyEnum, format!("{path}.enum"), "an enum needs at least one value"));
        ok = false;
    }
    let mut rust_names = Scope::default();
    let mut variants = Vec::with_capacity(values.len());
    for (index, value) in values.iter().enumerate() {
        let value_path = format!("{path}.enum[{index}]");
        let rust = match schema.variant_names.get(value) {
            Some(explicit) => names::check_explicit(explicit, true).map_err(|error| cx.push(cx.error(Code::InvalidName, format!("{path}.variant_names.{value}"), error.0))),
            None => names::camel(value).map_err(|error| cx.push(cx.error(Code::InvalidName, &value_path, error.0).with_hint("give the Rust name with `variant_names`"))),
        };
        let Ok(rust) = rust else {
            ok = false;
            continue;
        };
        if rust == OTHER_VARIANT {
            cx.push(
                cx.error(Code::ReservedName, &value_path, format!("variant name `{rust}` is taken by the variant for unknown values"))
                    .with_hint(format!("name it in `variant_names`, for example `{value}: {rust}Value`")),
            );
            ok = false;
        } else if let Err(other) = rust_names.take(&rust, value.as_str()) {
            cx.push(
                cx.error(Code::NameCollision, &value_path, format!("values `{other}` and `{value}` both become the Rust variant `{rust}`"))
                    .with_hint(format!("name one of them in `variant_names`, for example `{value}: {rust}2`")),
            );
            ok = false;
        }
        variants.push((value.as_str(), rust));
    }
    for key in schema.variant_names.keys() {
        if !values.contains(key) {
            cx.push(cx.error(Code::UnknownVariantName, format!("{path}.variant_names.{key}"), format!("`{key}` is not a value of this enum")));
            ok = false;
        }
    }
    ok.then_some(variants)
}
