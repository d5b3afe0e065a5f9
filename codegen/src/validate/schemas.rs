//! The rules of a schema: its name, and its fields or enum values.

use crate::diagnostic::Code;
use crate::ir::{Bounds, EnumKind, IdKind, Type, UnionVariant};
use crate::load::spec::{self, WireValue};
use crate::names;

use super::names::{OTHER_VARIANT, Scope, reserved_field, reserved_type};
use super::operations::{derived_name, format_of, typed};
use super::{CheckedField, CheckedSchema, CheckedSchemaKind, CheckedVariant, Context};

/// Checks one schema.
pub(super) fn check_schema<'s>(
    cx: &mut Context<'s, '_>,
    name: &'s str,
    schema: &'s spec::Schema,
) -> Option<CheckedSchema<'s>> {
    let path = format!("schemas.{name}");
    cx.require_text(&format!("{path}.description"), &schema.description);
    for (field, reason) in &schema.upstream.fields {
        cx.require_text(&format!("{path}.upstream.fields.{field}"), reason);
    }
    if let Some(reason) = &schema.upstream.values {
        cx.require_text(&format!("{path}.upstream.values"), reason);
    }
    let mut ok = match names::check_explicit(name, true) {
        Ok(_) => true,
        Err(error) => {
            cx.push(cx.error(Code::InvalidName, &path, error.0));
            false
        }
    };
    if let Some(reason) = reserved_type(name) {
        cx.push(
            cx.error(
                Code::ReservedName,
                &path,
                format!("schema name `{name}` {reason}"),
            )
            .with_hint(format!(
                "choose a more specific name, for example `Pipedrive{name}`"
            )),
        );
        ok = false;
    }
    let given: Vec<&str> = [
        ("fields", schema.fields.is_some()),
        ("enum", schema.values.is_some()),
        ("id", schema.id.is_some()),
        ("one_of", schema.one_of.is_some()),
    ]
    .into_iter()
    .filter_map(|(key, present)| present.then_some(key))
    .collect();
    if given.len() != 1 {
        let message = if given.is_empty() {
            "a schema needs `fields` (an object), `enum`, `id` (a typed id) or `one_of` (a scalar union)".to_owned()
        } else {
            format!(
                "a schema is one of `fields`, `enum`, `id` or `one_of`, and this one has {}",
                given
                    .iter()
                    .map(|key| format!("`{key}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        };
        cx.push(cx.error(Code::SchemaShape, &path, message));
        return None;
    }
    if schema.values.is_none() {
        for (key, present) in [
            ("variant_names", !schema.variant_names.is_empty()),
            (
                "variant_descriptions",
                !schema.variant_descriptions.is_empty(),
            ),
        ] {
            if present {
                cx.push(cx.error(
                    Code::VariantNamesNotEnum,
                    format!("{path}.{key}"),
                    format!("`{key}` applies to enums only"),
                ));
                ok = false;
            }
        }
    }
    let kind = match (&schema.fields, &schema.values, schema.id, &schema.one_of) {
        (Some(fields), _, _, _) => check_fields(cx, &path, fields).map(CheckedSchemaKind::Struct),
        (_, Some(values), _, _) => check_values(cx, &path, schema, values),
        (_, _, Some(id), _) => Some(CheckedSchemaKind::Id(match id {
            spec::IdKind::Integer => IdKind::Integer,
            spec::IdKind::String => IdKind::String,
        })),
        (_, _, _, Some(types)) => check_union(cx, &path, types),
        (None, None, None, None) => None,
    };
    let kind = kind?;
    ok.then_some(CheckedSchema {
        name,
        spec: schema,
        description: &schema.description,
        kind,
        definition: None,
    })
}

fn check_fields<'s>(
    cx: &mut Context<'s, '_>,
    path: &str,
    fields: &'s indexmap::IndexMap<String, spec::Field>,
) -> Option<Vec<CheckedField<'s>>> {
    let mut rust_names = Scope::default();
    let mut checked = Vec::with_capacity(fields.len());
    let mut ok = true;
    let mut custom_fields: Option<&str> = None;
    for (wire, field) in fields {
        let field_path = format!("{path}.fields.{wire}");
        cx.require_text(&format!("{field_path}.description"), &field.description);
        let acks = &field.upstream;
        for (key, reason) in [
            ("missing", &acks.missing),
            ("type", &acks.ty),
            ("required", &acks.required),
            ("nullable", &acks.nullable),
        ] {
            if let Some(reason) = reason {
                cx.require_text(&format!("{field_path}.upstream.{key}"), reason);
            }
        }
        let rust = derived_name(cx, &field_path, wire, field.rust_name.as_deref());
        if let Some(rust) = &rust {
            if let Some(reason) = reserved_field(rust) {
                cx.push(
                    cx.error(
                        Code::ReservedName,
                        &field_path,
                        format!("field name `{rust}` {reason}"),
                    )
                    .with_hint("give another Rust name with `rust_name`"),
                );
                ok = false;
            } else if let Err(other) = rust_names.take(rust, wire) {
                cx.push(
                    cx.error(
                        Code::NameCollision,
                        &field_path,
                        format!("fields `{other}` and `{wire}` both become the Rust name `{rust}`"),
                    )
                    .with_hint("give one of them another Rust name with `rust_name`"),
                );
                ok = false;
            }
        }
        let ty = cx.resolve_type(&format!("{field_path}.type"), &field.ty);
        let format = field.format.map(format_of);
        if format.is_some() && ty.as_ref().is_some_and(|ty| *ty != Type::String) {
            cx.push(cx.error(
                Code::FormatNotString,
                format!("{field_path}.format"),
                format!(
                    "`format` applies to strings only, and this field is `{}`",
                    field.ty.trim()
                ),
            ));
            ok = false;
        }
        if field.required && field.nullable {
            cx.push(
                cx.error(Code::RequiredNullable, &field_path, "a `required` field is always there and never null, so it cannot be `nullable` too")
                    .with_hint("a field that is always there but may be null is `nullable` without `required`: it stays an `Option`"),
            );
            ok = false;
        }
        if ty == Some(Type::CustomFields) {
            ok &= check_custom_fields(cx, &field_path, wire, field, &mut custom_fields);
        }
        let bounds = ty
            .as_ref()
            .and_then(|ty| check_field_bounds(cx, &field_path, field, ty));
        match (rust, ty, bounds) {
            (Some(rust), Some(ty), Some(bounds)) => checked.push(CheckedField {
                wire,
                rust,
                spec: field,
                ty: typed(ty, format),
                format,
                bounds,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(checked)
}

/// A `custom_fields` field: neither `required` nor `nullable` (it is empty when the API
/// leaves it out or sends null, and a body clears one field by sending its key as null),
/// and the only one of its schema, which the model's `custom_field(code, value)` sets.
fn check_custom_fields<'s>(
    cx: &mut Context<'s, '_>,
    path: &str,
    wire: &'s str,
    field: &spec::Field,
    first: &mut Option<&'s str>,
) -> bool {
    let mut ok = true;
    for (flag, set) in [("required", field.required), ("nullable", field.nullable)] {
        if set {
            cx.push(
                cx.error(
                    Code::CustomFieldsField,
                    format!("{path}.{flag}"),
                    format!("a `custom_fields` field is never `{flag}`: it is empty when the API leaves it out or sends null, and a body clears one custom field by sending its key as null"),
                )
                .with_hint(format!("drop `{flag}`")),
            );
            ok = false;
        }
    }
    match first {
        Some(first) => {
            cx.push(
                cx.error(
                    Code::CustomFieldsField,
                    format!("{path}.type"),
                    format!("`{wire}` is a second `custom_fields` field of this schema, after `{first}`, and the model's one `custom_field(code, value)` setter could not tell them apart"),
                )
                .with_hint("keep one; the other is a `map<json>`"),
            );
            ok = false;
        }
        None => *first = Some(wire),
    }
    ok
}

/// A scalar union: at least two of `integer`, `number`, `string`, `boolean`, each once.
fn check_union<'s>(
    cx: &mut Context<'s, '_>,
    path: &str,
    types: &'s [String],
) -> Option<CheckedSchemaKind<'s>> {
    let mut variants = Vec::with_capacity(types.len());
    let mut ok = true;
    for (index, ty) in types.iter().enumerate() {
        let variant = match ty.trim() {
            "integer" => UnionVariant::Integer,
            "number" => UnionVariant::Number,
            "string" => UnionVariant::String,
            "boolean" => UnionVariant::Boolean,
            other => {
                cx.push(
                    cx.error(
                        Code::UnionMember,
                        format!("{path}.one_of[{index}]"),
                        format!("a union's members are scalar types, and `{other}` is not one"),
                    )
                    .with_hint("use `integer`, `number`, `string` or `boolean`; an object that varies is `json`"),
                );
                ok = false;
                continue;
            }
        };
        if variants.contains(&variant) {
            cx.push(cx.error(
                Code::UnionMember,
                format!("{path}.one_of[{index}]"),
                format!("`{}` is a member of the union twice", ty.trim()),
            ));
            ok = false;
        }
        variants.push(variant);
    }
    if types.len() < 2 {
        cx.push(
            cx.error(
                Code::UnionMember,
                format!("{path}.one_of"),
                "a union needs at least two member types",
            )
            .with_hint("a value of one type is that type, not a union"),
        );
        ok = false;
    }
    ok.then_some(CheckedSchemaKind::Union(variants))
}

fn check_values<'s>(
    cx: &mut Context<'s, '_>,
    path: &str,
    schema: &'s spec::Schema,
    values: &'s [WireValue],
) -> Option<CheckedSchemaKind<'s>> {
    let mut ok = true;
    if values.is_empty() {
        cx.push(cx.error(
            Code::EmptyEnum,
            format!("{path}.enum"),
            "an enum needs at least one value",
        ));
        ok = false;
    }
    let kind = if values.iter().all(|v| matches!(v, WireValue::Integer(_))) && !values.is_empty() {
        EnumKind::Integer
    } else {
        EnumKind::String
    };
    if kind == EnumKind::String {
        if let Some(index) = values
            .iter()
            .position(|v| matches!(v, WireValue::Integer(_)))
        {
            cx.push(
                cx.error(
                    Code::MixedEnum,
                    format!("{path}.enum[{index}]"),
                    "an enum's values are all strings or all integers, and this one mixes them",
                )
                .with_hint("quote the numbers that are strings on the wire"),
            );
            ok = false;
        }
    }
    // Explicit names and descriptions, by the value's text (a YAML key `3` and `"3"` are one).
    let named = |map: &'s indexmap::IndexMap<WireValue, String>, value: &WireValue| {
        map.iter()
            .find(|(key, _)| key.text() == value.text())
            .map(|(_, v)| v.as_str())
    };
    let mut rust_names = Scope::default();
    let mut variants = Vec::with_capacity(values.len());
    let mut seen = std::collections::BTreeMap::new();
    for (index, value) in values.iter().enumerate() {
        let value_path = format!("{path}.enum[{index}]");
        let text = value.text();
        if let Some(first) = seen.insert(text.clone(), index) {
            cx.push(
                cx.error(
                    Code::DuplicateValue,
                    &value_path,
                    format!("the value `{text}` is in the enum twice, here and at `enum[{first}]`"),
                )
                .with_hint("list each value once"),
            );
            ok = false;
            continue;
        }
        let rust = match (named(&schema.variant_names, value), value) {
            (Some(explicit), _) => names::check_explicit(explicit, true).map_err(|error| {
                cx.push(cx.error(
                    Code::InvalidName,
                    format!("{path}.variant_names.{text}"),
                    error.0,
                ))
            }),
            // A mixed enum was reported already; its codes need no names as well.
            (None, WireValue::Integer(_)) if kind == EnumKind::String => {
                ok = false;
                continue;
            }
            (None, WireValue::Integer(code)) => {
                cx.push(
                    cx.error(
                        Code::MissingVariantName,
                        &value_path,
                        format!("the code `{code}` needs a Rust name"),
                    )
                    .with_hint(format!(
                        "name it in `variant_names`, for example `{code}: Everyone`"
                    )),
                );
                Err(())
            }
            (None, WireValue::String(value)) => names::camel(value).map_err(|error| {
                cx.push(
                    cx.error(Code::InvalidName, &value_path, error.0)
                        .with_hint("give the Rust name with `variant_names`"),
                )
            }),
        };
        let Ok(rust) = rust else {
            ok = false;
            continue;
        };
        if rust == OTHER_VARIANT {
            cx.push(
                cx.error(
                    Code::ReservedName,
                    &value_path,
                    format!("variant name `{rust}` is taken by the variant for unknown values"),
                )
                .with_hint(format!(
                    "name it in `variant_names`, for example `{text}: {rust}Value`"
                )),
            );
            ok = false;
        } else if let Err(other) = rust_names.take(&rust, text.as_str()) {
            cx.push(
                cx.error(
                    Code::NameCollision,
                    &value_path,
                    format!("values `{other}` and `{text}` both become the Rust variant `{rust}`"),
                )
                .with_hint(format!(
                    "name one of them in `variant_names`, for example `{text}: {rust}2`"
                )),
            );
            ok = false;
        }
        let description = named(&schema.variant_descriptions, value);
        if let Some(description) = description {
            cx.require_text(&format!("{path}.variant_descriptions.{text}"), description);
        }
        let code = match value {
            WireValue::Integer(code) => Some(*code),
            WireValue::String(_) => None,
        };
        variants.push(CheckedVariant {
            wire: text,
            code,
            rust,
            description,
        });
    }
    for (key, section) in schema
        .variant_names
        .keys()
        .map(|k| (k, "variant_names"))
        .chain(
            schema
                .variant_descriptions
                .keys()
                .map(|k| (k, "variant_descriptions")),
        )
    {
        if !values.iter().any(|value| value.text() == key.text()) {
            let key = key.text();
            cx.push(cx.error(
                Code::UnknownVariantName,
                format!("{path}.{section}.{key}"),
                format!("`{key}` is not a value of this enum"),
            ));
            ok = false;
        }
    }
    ok.then_some(CheckedSchemaKind::Enum(kind, variants))
}

/// A field's bounds and default: each on a type it applies to, the minimum not above the
/// maximum, the default of the field's type and within its bounds.
fn check_field_bounds(
    cx: &mut Context<'_, '_>,
    path: &str,
    field: &spec::Field,
    ty: &Type,
) -> Option<Bounds> {
    let written = field.ty.trim();
    let mut ok = true;
    if field.max_items.is_some() && !matches!(ty, Type::List(_)) {
        cx.push(cx.error(
            Code::MaxItemsNotList,
            format!("{path}.max_items"),
            format!("`max_items` applies to lists only, and this field is `{written}`"),
        ));
        ok = false;
    }
    if (field.minimum.is_some() || field.maximum.is_some())
        && !matches!(ty, Type::Integer | Type::Number)
    {
        cx.push(cx.error(
            Code::BoundsNotNumber,
            path,
            format!("`minimum` and `maximum` apply to numbers only, and this field is `{written}`"),
        ));
        ok = false;
    }
    ok &= super::operations::check_range(cx, path, field.minimum, field.maximum);
    let default = match &field.default {
        Some(value) => Some(super::operations::check_default(
            cx,
            &format!("{path}.default"),
            ty,
            written,
            value,
            field.minimum,
            field.maximum,
        )?),
        None => None,
    };
    ok.then_some(Bounds {
        minimum: field.minimum,
        maximum: field.maximum,
        max_items: field.max_items,
        default,
    })
}
