//! Stage 3, lower: the checked model to the IR. Every name and type was resolved while
//! checking, so this stage only arranges what emitters need (full path templates,
//! typed path segments, page shapes, deprecation notes) and cannot fail.

use crate::ir;
use std::collections::BTreeSet;

use crate::validate::{
    Checked, CheckedField, CheckedOperation, CheckedParam, CheckedSchema, CheckedSchemaKind,
    CheckedShape, CheckedVariant, PathPart,
};

/// Lowers a checked spec to the IR.
pub(crate) fn lower(checked: &Checked<'_>) -> ir::Api {
    let Checked { api, files } = checked;
    // The schemas that are request bodies: their nullable fields can be sent as null.
    let bodies: BTreeSet<&str> = files
        .iter()
        .filter_map(|file| file.resource.as_ref())
        .flat_map(|resource| &resource.operations)
        .filter_map(|operation| match &operation.body {
            Some(ir::Type::Struct(name)) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let mut resources = Vec::new();
    let mut model_files = Vec::new();
    for file in files {
        if let Some(resource) = &file.resource {
            resources.push(ir::Resource {
                source: file.source.to_owned(),
                module: resource.module.clone(),
                handle: resource.handle.clone(),
                mock: resource.mock.clone(),
                description: resource.description.to_owned(),
                operations: resource.operations.iter().map(operation).collect(),
                upstream: ir::Upstream {
                    reasons: Default::default(),
                    left_out: resource.upstream.operations.clone(),
                },
            });
        }
        if let Some(models) = &file.models {
            model_files.push(ir::ModelFile {
                source: file.source.to_owned(),
                module: models.module.clone(),
                models: models
                    .schemas
                    .iter()
                    .map(|schema| model(schema, bodies.contains(schema.name)))
                    .collect(),
            });
        }
    }
    resources.sort_by(|a, b| a.module.cmp(&b.module));
    model_files.sort_by(|a, b| a.module.cmp(&b.module));
    settle_defaults(&mut model_files);
    let versions = api
        .versions
        .iter()
        .map(|(name, version)| ir::Version {
            name: name.clone(),
            prefix: version.prefix.clone(),
            description: version.description.clone(),
        })
        .collect();
    ir::Api {
        name: api.name.clone(),
        description: api.description.clone(),
        versions,
        resources,
        model_files,
    }
}

fn operation(operation: &CheckedOperation<'_>) -> ir::Operation {
    let CheckedOperation {
        id,
        spec,
        method_name,
        builder,
        http_method,
        prefix,
        path,
        params,
        body,
        response,
    } = operation;
    let mut segments: Vec<ir::Segment> = prefix
        .iter()
        .map(|text| ir::Segment::Literal((*text).to_owned()))
        .collect();
    let mut template: String = prefix.iter().map(|text| format!("/{text}")).collect();
    for part in path {
        match part {
            PathPart::Literal(text) => {
                segments.push(ir::Segment::Literal((*text).to_owned()));
                template.push('/');
                template.push_str(text);
            }
            PathPart::Param(index) => {
                let param = &params[*index];
                let ty = if param.ty == ir::Type::Integer {
                    ir::PathType::Integer
                } else {
                    ir::PathType::String
                };
                segments.push(ir::Segment::Param {
                    rust: param.rust.clone(),
                    ty,
                });
                template.push_str(&format!("/{{{}}}", param.wire));
            }
        }
    }
    let deprecated = spec.deprecated.as_ref().map(|d| ir::Deprecation {
        replacement: d.replacement.clone(),
        note: d.note.clone(),
    });
    let shape = match &response.shape {
        CheckedShape::Single { data, nullable } => ir::Shape::Single {
            data: data.clone(),
            nullable: *nullable,
        },
        CheckedShape::Plain(ty) => ir::Shape::Plain(ty.clone()),
        CheckedShape::Page {
            kind,
            item,
            position,
            items_field,
        } => ir::Shape::Page(ir::Page {
            kind: *kind,
            item: item.clone(),
            position: params[*position].rust.clone(),
            items_field: items_field.clone(),
        }),
    };
    ir::Operation {
        id: (*id).to_owned(),
        method_name: method_name.clone(),
        builder: builder.clone(),
        http_method: *http_method,
        version: spec.version.clone(),
        path_template: template,
        segments,
        summary: spec.summary.clone(),
        description: spec.description.clone(),
        cost: spec.cost,
        scopes: spec.scopes.clone(),
        deprecated,
        params: params.iter().map(param).collect(),
        body: body
            .as_ref()
            .zip(spec.body.as_ref())
            .map(|(ty, body)| ir::Body {
                ty: ty.clone(),
                description: body.description.clone(),
            }),
        response: ir::Response {
            status: response.status,
            shape,
        },
        upstream: upstream(
            &[
                (ir::Aspect::Missing, &spec.upstream.missing),
                (ir::Aspect::Method, &spec.upstream.method),
                (ir::Aspect::Path, &spec.upstream.path),
                (ir::Aspect::Status, &spec.upstream.status),
                (ir::Aspect::Pagination, &spec.upstream.pagination),
            ],
            &spec.upstream.parameters,
        ),
    }
}

fn param(param: &CheckedParam<'_>) -> ir::Param {
    let CheckedParam {
        wire,
        rust,
        spec,
        location,
        ty,
        style,
        format,
        default,
    } = param;
    ir::Param {
        wire: (*wire).to_owned(),
        rust: rust.clone(),
        location: *location,
        ty: ty.clone(),
        style: *style,
        required: spec.required || *location == ir::Location::Path,
        description: spec.description.clone(),
        default: default.clone(),
        minimum: spec.minimum,
        maximum: spec.maximum,
        max_items: spec.max_items,
        format: *format,
        upstream: upstream(
            &[
                (ir::Aspect::Missing, &spec.upstream.missing),
                (ir::Aspect::Type, &spec.upstream.ty),
                (ir::Aspect::Required, &spec.upstream.required),
                (ir::Aspect::Default, &spec.upstream.default),
            ],
            &Default::default(),
        ),
    }
}

/// The IR's record of what differs from Pipedrive's files on purpose.
fn upstream(
    reasons: &[(ir::Aspect, &Option<String>)],
    left_out: &indexmap::IndexMap<String, String>,
) -> ir::Upstream {
    ir::Upstream {
        reasons: reasons
            .iter()
            .filter_map(|(aspect, reason)| reason.as_ref().map(|r| (*aspect, r.clone())))
            .collect(),
        left_out: left_out.clone(),
    }
}

fn model(schema: &CheckedSchema<'_>, is_body: bool) -> ir::Model {
    let CheckedSchema {
        name,
        spec,
        description,
        kind,
    } = schema;
    let schema_upstream = upstream(
        &[(ir::Aspect::Values, &spec.upstream.values)],
        &spec.upstream.fields,
    );
    match kind {
        CheckedSchemaKind::Enum(kind, variants) => ir::Model::Enum(ir::Enum {
            name: (*name).to_owned(),
            description: (*description).to_owned(),
            kind: *kind,
            variants: variants
                .iter()
                .map(
                    |CheckedVariant {
                         wire,
                         code,
                         rust,
                         description,
                     }| ir::Variant {
                        rust: rust.clone(),
                        wire: wire.clone(),
                        code: *code,
                        description: description.map(str::to_owned),
                    },
                )
                .collect(),
            upstream: schema_upstream,
        }),
        CheckedSchemaKind::Struct(fields) => {
            let fields: Vec<ir::Field> = fields.iter().map(|f| field(f, is_body)).collect();
            // Settled once every struct is known; see `settle_defaults`.
            let has_default = true;
            ir::Model::Struct(ir::Struct {
                name: (*name).to_owned(),
                description: (*description).to_owned(),
                fields,
                has_default,
                upstream: schema_upstream,
            })
        }
    }
}

fn field(field: &CheckedField<'_>, in_body: bool) -> ir::Field {
    let CheckedField {
        wire,
        rust,
        spec,
        ty,
        format,
    } = field;
    ir::Field {
        wire: (*wire).to_owned(),
        rust: rust.clone(),
        ty: ty.clone(),
        required: spec.required,
        nullable: spec.nullable,
        three_state: in_body && spec.nullable && !spec.required,
        upstream: upstream(
            &[
                (ir::Aspect::Missing, &spec.upstream.missing),
                (ir::Aspect::Type, &spec.upstream.ty),
                (ir::Aspect::Required, &spec.upstream.required),
                (ir::Aspect::Nullable, &spec.upstream.nullable),
            ],
            &Default::default(),
        ),
        description: spec.description.clone(),
        format: *format,
    }
}

/// Works out which structs can derive `Default`: those whose required fields all have a
/// type with a default. Enums, timestamps and dates have none, and a struct field has
/// one when its struct does. Struct fields cannot form a cycle (checking rejected those), so repeating the
/// pass until nothing changes ends after at most one pass per level of nesting.
fn settle_defaults(files: &mut [ir::ModelFile]) {
    fn defaultable(ty: &ir::Type, without: &std::collections::BTreeSet<String>) -> bool {
        match ty {
            ir::Type::Enum(_) | ir::Type::Timestamp(_) | ir::Type::Date => false,
            ir::Type::Struct(name) => !without.contains(name),
            _ => true,
        }
    }
    let mut without = std::collections::BTreeSet::new();
    loop {
        let mut changed = false;
        for model in files.iter_mut().flat_map(|file| file.models.iter_mut()) {
            let ir::Model::Struct(model) = model else {
                continue;
            };
            let has_default = model
                .fields
                .iter()
                .all(|f| !f.required || defaultable(&f.ty, &without));
            if model.has_default && !has_default {
                model.has_default = false;
                without.insert(model.name.clone());
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}
