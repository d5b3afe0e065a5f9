//! What the operations reach: schemas that no operation uses, directly or through other
//! schemas' fields; the required fields of the models responses reach; and uploads.
//!
//! An unused schema is an error, not a warning: it would be public API that nothing
//! returns or takes, that callers could come to depend on, and that stops matching the
//! API without anyone noticing. When operations go, their schemas go with them. Typed
//! ids are the exception: they name the API's items, whether or not an operation of the
//! spec uses one yet.
//!
//! A required field of a model that a response reaches is a promise that the API always
//! sends it, never null: an item without it fails to decode. Real responses carry far
//! more nulls than Pipedrive's files admit, so such a field must say why it holds
//! (`evidence:`); without it, the field stays an `Option`.
//!
//! A `file` is sent only as a part of a multipart body: a schema with one is a multipart
//! body and nothing else, and a multipart body holds form values (text, numbers, ids,
//! enums) and files only.

use std::collections::BTreeSet;

use indexmap::IndexMap;

use crate::diagnostic::{Code, Diagnostics};
use crate::ir::{Content, Type, TypeName};
use crate::load::LoadedFile;

use super::{CheckedFile, CheckedSchema, CheckedSchemaKind, CheckedShape};

/// Each schema's file and schema, and the schemas its fields name.
type Schemas<'c, 's> = IndexMap<TypeName, (usize, &'c CheckedSchema<'s>, Vec<&'c TypeName>)>;

/// Reports every schema that no parameter, body or response reaches, every required
/// response field without evidence, and every misplaced `file`.
pub(super) fn check(
    files: &[LoadedFile],
    checked: &[CheckedFile<'_>],
    diagnostics: &mut Diagnostics,
) {
    let mut schemas: Schemas<'_, '_> = IndexMap::new();
    for (index, file) in checked.iter().enumerate() {
        let Some(module) = &file.module else { continue };
        for schema in &file.schemas {
            let mut named = Vec::new();
            if let CheckedSchemaKind::Struct(fields) = &schema.kind {
                for field in fields {
                    names_in(&field.ty, &mut named);
                }
            }
            let name = TypeName {
                module: module.clone(),
                name: schema.name.to_owned(),
            };
            schemas.insert(name, (index, schema, named));
        }
    }
    let operations = checked
        .iter()
        .filter_map(|file| file.resource.as_ref())
        .flat_map(|resource| &resource.operations);
    let mut requests = Vec::new();
    let mut uploads = Vec::new();
    let mut responses = Vec::new();
    for operation in operations {
        for param in &operation.params {
            names_in(&param.ty, &mut requests);
        }
        match &operation.body {
            Some((body, Content::Multipart)) => names_in(body, &mut uploads),
            Some((body, Content::Json)) => names_in(body, &mut requests),
            None => {}
        }
        match &operation.response.shape {
            CheckedShape::Single {
                data, additional, ..
            } => {
                names_in(data, &mut responses);
                if let Some(additional) = additional {
                    names_in(additional, &mut responses);
                }
            }
            CheckedShape::Plain(data) | CheckedShape::Page { item: data, .. } => {
                names_in(data, &mut responses)
            }
        }
    }
    let uploaded = closure(&schemas, uploads.clone());
    let returned = closure(&schemas, responses);
    let requested = closure(&schemas, requests);
    for (name, (file, schema, _)) in &schemas {
        let error = |code, path: String, message: String| files[*file].error(code, path, message);
        // A typed id is vocabulary, which a caller may type its own values with, even
        // before an operation of the spec takes or returns one.
        let id = matches!(schema.kind, CheckedSchemaKind::Id(_));
        if !id && !requested.contains(name) && !returned.contains(name) && !uploaded.contains(name)
        {
            diagnostics.push(
                error(Code::UnusedSchema, format!("schemas.{}", schema.name), format!("no operation uses schema `{}`", schema.name))
                    .with_hint("remove it, or use it: a model nothing takes or returns would be dead public API"),
            );
            continue;
        }
        let CheckedSchemaKind::Struct(fields) = &schema.kind else {
            continue;
        };
        if returned.contains(name) {
            for field in fields
                .iter()
                .filter(|f| f.spec.required && f.spec.evidence.is_none())
            {
                diagnostics.push(
                    error(
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
        let is_upload = uploads.contains(&name);
        for field in fields {
            let at = format!("schemas.{}.fields.{}.type", schema.name, field.wire);
            if holds_file(&field.ty)
                && (!is_upload || requested.contains(name) || returned.contains(name))
            {
                diagnostics.push(
                    error(
                        Code::FileOutsideUpload,
                        at.clone(),
                        format!("`{}` is a `file`, which only a multipart body can send, and `{}` is not only one", field.wire, schema.name),
                    )
                    .with_hint("give the upload a schema of its own, used as a body with `content: multipart`"),
                );
            }
            if is_upload && !form_value(&field.ty) {
                diagnostics.push(
                    error(
                        Code::MultipartField,
                        at,
                        format!(
                            "a multipart body's fields are form values, and `{}` is not one",
                            field.wire
                        ),
                    )
                    .with_hint("use text, a number, a boolean, an id, an enum or a `file`"),
                );
            }
        }
    }
}

/// Whether a type is, or holds, a `file`.
fn holds_file(ty: &Type) -> bool {
    match ty {
        Type::File => true,
        Type::List(inner) | Type::Map(inner) => holds_file(inner),
        _ => false,
    }
}

/// Whether a type can be a part of a multipart form.
fn form_value(ty: &Type) -> bool {
    matches!(
        ty,
        Type::File
            | Type::String
            | Type::Integer
            | Type::Number
            | Type::Boolean
            | Type::Flag
            | Type::Enum(_)
            | Type::Id(..)
            | Type::Timestamp(_)
            | Type::Date
    )
}

/// The schemas `pending` names, and every schema their fields name, transitively.
fn closure<'c>(schemas: &Schemas<'c, '_>, mut pending: Vec<&'c TypeName>) -> BTreeSet<TypeName> {
    let mut reached = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if let Some((_, _, named)) = schemas.get(name) {
            if reached.insert(name.clone()) {
                pending.extend(named.iter().copied());
            }
        }
    }
    reached
}

/// The schema names a type mentions.
fn names_in<'t>(ty: &'t Type, names: &mut Vec<&'t TypeName>) {
    match ty {
        Type::List(inner) | Type::Map(inner) => names_in(inner, names),
        other => names.extend(other.named()),
    }
}
