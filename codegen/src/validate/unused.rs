//! What the operations reach: schemas that no operation uses, directly or through other
//! schemas' fields, and the required fields of the models responses reach.
//!
//! An unused schema is an error, not a warning: it would be public API that nothing
//! returns or takes, that callers could come to depend on, and that stops matching the
//! API without anyone noticing. When operations go, their schemas go with them.
//!
//! A required field of a model that a response reaches is a promise that the API always
//! sends it, never null: an item without it fails to decode. Real responses carry far
//! more nulls than Pipedrive's files admit, so such a field must say why it holds
//! (`evidence:`); without it, the field stays an `Option`.

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
    let operations = checked
        .iter()
        .filter_map(|file| file.resource.as_ref())
        .flat_map(|resource| &resource.operations);
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    for operation in operations {
        for param in &operation.params {
            names_in(&param.ty, &mut requests);
        }
        if let Some(body) = &operation.body {
            names_in(body, &mut requests);
        }
        match &operation.response.shape {
            CheckedShape::Single { data, .. }
            | CheckedShape::Plain(data)
            | CheckedShape::Page { item: data, .. } => names_in(data, &mut responses),
        }
    }
    let returned = closure(&schemas, responses);
    let used: BTreeSet<&str> = closure(&schemas, requests)
        .union(&returned)
        .copied()
        .collect();
    for file in checked {
        for schema in file.models.iter().flat_map(|models| &models.schemas) {
            let CheckedSchemaKind::Struct(fields) = &schema.kind else {
                continue;
            };
            if !returned.contains(schema.name) {
                continue;
            }
            let (index, _) = schemas[schema.name];
            for field in fields
                .iter()
                .filter(|f| f.spec.required && f.spec.evidence.is_none())
            {
                diagnostics.push(
                    files[index]
                        .error(
                            Code::RequiredWithoutEvidence,
                            format!("schemas.{}.fields.{}.required", schema.name, field.wire),
                            format!(
                                "`{}` is required, but a response reaches `{}`, and nothing says the API always sends it",
                                field.wire, schema.name
                            ),
                        )
                        .with_hint("say what guarantees it with `evidence: ...` (the docs, the examples), or drop `required` so that it is an `Option`"),
                );
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

/// The schemas `roots` name, and every schema their fields name, transitively.
fn closure<'s>(
    schemas: &IndexMap<&'s str, (usize, Vec<&'s str>)>,
    mut pending: Vec<&'s str>,
) -> BTreeSet<&'s str> {
    let mut reached = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if reached.insert(name) {
            if let Some((_, named)) = schemas.get(name) {
                pending.extend(named.iter().copied());
            }
        }
    }
    reached
}

/// The schema names a type mentions.
fn names_in<'t>(ty: &'t Type, names: &mut Vec<&'t str>) {
    match ty {
        Type::Struct(name) | Type::Enum(name) => names.push(name),
        Type::List(inner) | Type::Map(inner) => names_in(inner, names),
        _ => {}
    }
}
