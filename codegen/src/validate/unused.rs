//! Schemas that no operation uses, directly or through other schemas' fields.
//!
//! An unused schema is an error, not a warning: it would be public API that nothing
//! returns or takes, that callers could come to depend on, and that stops matching the
//! API without anyone noticing. When operations go, their schemas go with them.

use std::collections::BTreeSet;

use indexmap::IndexMap;

use crate::diagnostic::{Code, Diagnostics};
use crate::ir::Type;
use crate::load::LoadedFile;

use super::{CheckedFile, CheckedSchemaKind, CheckedShape};

/// Reports every schema that no parameter, body or response reaches.
pub(super) fn check(
    files: &[LoadedFile],
    checked: &[CheckedFile<'_>],
    diagnostics: &mut Diagnostics,
) {
    // Each schema's file, and the schemas its fields name.
    let mut schemas: IndexMap<&str, (usize, Vec<&str>)> = IndexMap::new();
    for (index, file) in checked.iter().enumerate() {
        for schema in file.models.iter().flat_map(|models| &models.schemas) {
            let mut named = Vec::new();
            if let CheckedSchemaKind::Struct(fields) = &schema.kind {
                for field in fields {
                    names_in(&field.ty, &mut named);
                }
            }
            schemas.insert(schema.name, (index, named));
        }
    }
    let mut used: BTreeSet<&str> = BTreeSet::new();
    let mut pending: Vec<&str> = Vec::new();
    for operation in checked
        .iter()
        .filter_map(|file| file.resource.as_ref())
        .flat_map(|resource| &resource.operations)
    {
        for param in &operation.params {
            names_in(&param.ty, &mut pending);
        }
        if let Some(body) = &operation.body {
            names_in(body, &mut pending);
        }
        match &operation.response.shape {
            CheckedShape::Single { data, .. }
            | CheckedShape::Plain(data)
            | CheckedShape::Page { item: data, .. } => names_in(data, &mut pending),
        }
    }
    while let Some(name) = pending.pop() {
        if used.insert(name) {
            if let Some((_, named)) = schemas.get(name) {
                pending.extend(named.iter().copied());
            }
        }
    }
    for (name, (file, _)) in &schemas {
        if !used.contains(name) {
            diagnostics.push(
                files[*file]
                    .error(Code::UnusedSchema, format!("schemas.{name}"), format!("no operation uses schema `{name}`"))
                    .with_hint("remove it, or use it: a model nothing takes or returns would be dead public API"),
            );
        }
    }
}

/// The schema names a type mentions.
fn names_in<'t>(ty: &'t Type, names: &mut Vec<&'t str>) {
    match ty {
        Type::Struct(name) | Type::Enum(name) => names.push(name),
        Type::List(inner) | Type::Map(inner) => names_in(inner, names),
        _ => {}
    }
}
