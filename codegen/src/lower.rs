//! Stage 3, lower: the checked model to the IR. Every name and type was resolved while
//! checking, so this stage only arranges what emitters need (full path templates,
//! typed path segments, page shapes, deprecation notes) and cannot fail.

use crate::ir;
use std::collections::BTreeSet;

use crate::validate::{
    Checked, CheckedDefinition, CheckedField, CheckedOperation, CheckedParam, CheckedSchema,
    CheckedSchemaKind, CheckedShape, CheckedVariant, PathPart,
};

/// Lowers a checked spec to the IR.
pub(crate) fn lower(checked: &Checked<'_>) -> ir::Api {
    let Checked { api, files } = checked;
    // The schemas that are request bodies: their nullable fields can be sent as null.
    let uploads: BTreeSet<&ir::TypeName> = files
        .iter()
        .filter_map(|file| file.resource.as_ref())
        .flat_map(|resource| &resource.operations)
        .filter_map(|operation| match &operation.body {
            Some((ir::Type::Struct(name), ir::Content::Multipart)) => Some(name),
            _ => None,
        })
        .collect();
    let bodies: BTreeSet<&ir::TypeName> = files
        .iter()
        .filter_map(|file| file.resource.as_ref())
        .flat_map(|resource| &resource.operations)
        .filter_map(|operation| match &operation.body {
            Some((ir::Type::Struct(name), _)) => Some(name),
            Some((ir::Type::List(item), _)) => item.named(),
            _ => None,
        })
        .collect();
    // Every struct's fields, for the options' schema of a field definition.
    let structs: std::collections::BTreeMap<ir::TypeName, &[CheckedField<'_>]> = files
        .iter()
        .filter_map(|file| Some((file.module.as_ref()?, &file.schemas)))
        .flat_map(|(module, schemas)| {
            schemas.iter().filter_map(move |schema| match &schema.kind {
                CheckedSchemaKind::Struct(fields) => Some((
                    ir::TypeName {
                        module: module.clone(),
                        name: schema.name.to_owned(),
                    },
                    fields.as_slice(),
                )),
                _ => None,
            })
        })
        .collect();
    let models_of = |module: &str, schemas: &[CheckedSchema<'_>]| -> Vec<ir::Model> {
        schemas
            .iter()
            .map(|schema| {
                let name = ir::TypeName {
                    module: module.to_owned(),
                    name: schema.name.to_owned(),
                };
                let mut model = model(schema, bodies.contains(&name), uploads.contains(&name));
                if let (ir::Model::Struct(model), Some(marked)) = (&mut model, &schema.definition) {
                    let item = structs.get(&marked.item).copied().unwrap_or_default();
                    model.definition = Some(definition(
                        marked,
                        &model.fields,
                        item,
                        bodies.contains(&marked.item),
                    ));
                }
                model
            })
            .collect()
    };
    let mut resources = Vec::new();
    let mut shared = Vec::new();
    for file in files {
        let Some(module) = &file.module else { continue };
        let models = models_of(module, &file.schemas);
        match &file.resource {
            Some(resource) => {
                let operations: Vec<ir::Operation> =
                    resource.operations.iter().map(operation).collect();
                let requires = requires(module, &operations, &models, files);
                resources.push(ir::Resource {
                    source: file.source.to_owned(),
                    module: resource.module.clone(),
                    handle: resource.handle.clone(),
                    mock: resource.mock.clone(),
                    description: resource.description.to_owned(),
                    operations,
                    models,
                    requires,
                    upstream: ir::Upstream {
                        reasons: Default::default(),
                        left_out: resource.upstream.operations.clone(),
                    },
                });
            }
            None => shared.push(ir::ModelFile {
                source: file.source.to_owned(),
                module: module.clone(),
                models,
            }),
        }
    }
    resources.sort_by(|a, b| a.module.cmp(&b.module));
    shared.sort_by(|a, b| a.module.cmp(&b.module));
    settle_defaults(&mut resources, &mut shared);
    link_replacements(&mut resources);
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
        shared,
    }
}

/// The other resources whose models `module`'s operations and models name, sorted.
fn requires(
    module: &str,
    operations: &[ir::Operation],
    models: &[ir::Model],
    files: &[crate::validate::CheckedFile<'_>],
) -> Vec<String> {
    fn collect<'t>(ty: &'t ir::Type, names: &mut Vec<&'t ir::TypeName>) {
        match ty {
            ir::Type::List(inner) | ir::Type::Map(inner) => collect(inner, names),
            other => names.extend(other.named()),
        }
    }
    let mut named = Vec::new();
    for operation in operations {
        for param in &operation.params {
            collect(&param.ty, &mut named);
        }
        if let Some(body) = &operation.body {
            collect(&body.ty, &mut named);
        }
        match &operation.response.shape {
            ir::Shape::Single {
                data, additional, ..
            } => {
                collect(data, &mut named);
                if let Some(additional) = additional {
                    collect(additional, &mut named);
                }
            }
            ir::Shape::Plain(data) => collect(data, &mut named),
            ir::Shape::Page(page) => collect(&page.item, &mut named),
        }
    }
    for model in models {
        if let ir::Model::Struct(model) = model {
            for field in &model.fields {
                collect(&field.ty, &mut named);
            }
        }
    }
    let resource_modules: BTreeSet<&str> = files
        .iter()
        .filter(|file| file.resource.is_some())
        .filter_map(|file| file.module.as_deref())
        .collect();
    named
        .into_iter()
        .map(|name| name.module.as_str())
        .filter(|other| *other != module && resource_modules.contains(other))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// Links each deprecated operation's replacement to the operation of the spec it names,
/// by method and path (placeholders match whatever their names); a replacement that is
/// not in the spec stays text.
fn link_replacements(resources: &mut [ir::Resource]) {
    fn shape(path: &str) -> Vec<&str> {
        path.split('/')
            .map(|segment| {
                if segment.starts_with('{') && segment.ends_with('}') {
                    "{}"
                } else {
                    segment
                }
            })
            .collect()
    }
    let targets: Vec<(String, Vec<String>, ir::MethodLink)> = resources
        .iter()
        .flat_map(|resource| {
            resource.operations.iter().map(move |operation| {
                (
                    operation.http_method.as_str().to_owned(),
                    shape(&operation.path_template)
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                    ir::MethodLink {
                        module: resource.module.clone(),
                        handle: resource.handle.clone(),
                        method: operation.method_name.clone(),
                    },
                )
            })
        })
        .collect();
    for operation in resources.iter_mut().flat_map(|r| r.operations.iter_mut()) {
        let Some(deprecation) = &mut operation.deprecated else {
            continue;
        };
        let Some(replacement) = &deprecation.replacement else {
            continue;
        };
        let Some((method, rest)) = replacement.trim().split_once(' ') else {
            continue;
        };
        let path = rest.trim().split(['?', '#']).next().unwrap_or_default();
        let wanted = shape(path);
        deprecation.link = targets
            .iter()
            .find(|(m, p, _)| {
                m == method && p.iter().map(String::as_str).eq(wanted.iter().copied())
            })
            .map(|(_, _, link)| link.clone());
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
                let ty = match param.ty {
                    ir::Type::Integer | ir::Type::Id(_, ir::IdKind::Integer) => {
                        ir::PathType::Integer
                    }
                    _ => ir::PathType::String,
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
        // Settled once every operation is known; see `link_replacements`.
        link: None,
        note: d.note.clone(),
    });
    let shape = match &response.shape {
        CheckedShape::Single {
            data,
            nullable,
            additional,
        } => ir::Shape::Single {
            data: data.clone(),
            nullable: *nullable,
            additional: additional.clone(),
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
            .map(|((ty, content), body)| ir::Body {
                ty: ty.clone(),
                description: body.description.clone(),
                content: *content,
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
                (ir::Aspect::Style, &spec.upstream.style),
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

fn model(schema: &CheckedSchema<'_>, is_body: bool, upload: bool) -> ir::Model {
    let CheckedSchema {
        name,
        spec,
        description,
        kind,
        definition: _,
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
        CheckedSchemaKind::Id(kind) => ir::Model::Id(ir::Id {
            name: (*name).to_owned(),
            description: (*description).to_owned(),
            kind: *kind,
        }),
        CheckedSchemaKind::Union(variants) => ir::Model::Union(ir::Union {
            name: (*name).to_owned(),
            description: (*description).to_owned(),
            variants: variants.clone(),
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
                upload,
                definition: None,
                upstream: schema_upstream,
            })
        }
    }
}

/// What a field definition's generated impl reads: the struct's fields by the indexes
/// checking recorded, and the option's, from the options' schema (which is a request
/// body when `item_is_body`).
fn definition(
    marked: &CheckedDefinition,
    fields: &[ir::Field],
    item: &[CheckedField<'_>],
    item_is_body: bool,
) -> ir::Definition {
    let CheckedDefinition {
        code,
        name,
        field_type,
        options,
        item: _,
        option_id,
        option_label,
    } = marked;
    let own = |at: &usize| {
        let field = &fields[*at];
        ir::Member {
            rust: field.rust.clone(),
            presence: presence(field.required, field.three_state),
            string: field.ty == ir::Type::String,
        }
    };
    let of_item = |at: &usize| {
        let field = &item[*at];
        ir::Member {
            rust: field.rust.clone(),
            presence: presence(
                field.spec.required,
                item_is_body && field.spec.nullable && !field.spec.required,
            ),
            string: field.ty == ir::Type::String,
        }
    };
    ir::Definition {
        code: fields[*code].rust.clone(),
        name: own(name),
        field_type: own(field_type),
        options: own(options),
        option_id: item[*option_id].rust.clone(),
        option_label: of_item(option_label),
    }
}

fn presence(required: bool, three_state: bool) -> ir::Presence {
    match (required, three_state) {
        (true, _) => ir::Presence::Required,
        (false, true) => ir::Presence::Nullable,
        (false, false) => ir::Presence::Optional,
    }
}

fn field(field: &CheckedField<'_>, in_body: bool) -> ir::Field {
    let CheckedField {
        wire,
        rust,
        spec,
        ty,
        format,
        bounds,
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
        bounds: if in_body {
            bounds.clone()
        } else {
            ir::Bounds::default()
        },
    }
}

/// Works out which structs can derive `Default`: those whose required fields all have a
/// type with a default. Enums, timestamps and dates have none, and a struct field has
/// one when its struct does. Struct fields cannot form a cycle (checking rejected those), so repeating the
/// pass until nothing changes ends after at most one pass per level of nesting.
fn settle_defaults(resources: &mut [ir::Resource], shared: &mut [ir::ModelFile]) {
    fn defaultable(ty: &ir::Type, without: &BTreeSet<(String, String)>) -> bool {
        match ty {
            ir::Type::Enum(_)
            | ir::Type::Id(..)
            | ir::Type::Union(_)
            | ir::Type::File
            | ir::Type::Timestamp(_)
            | ir::Type::Date => false,
            ir::Type::Struct(name) => !without.contains(&(name.module.clone(), name.name.clone())),
            _ => true,
        }
    }
    let mut without = BTreeSet::new();
    loop {
        let mut changed = false;
        let models = resources
            .iter_mut()
            .map(|resource| (&resource.module, &mut resource.models))
            .chain(
                shared
                    .iter_mut()
                    .map(|file| (&file.module, &mut file.models)),
            );
        for (module, models) in models {
            for model in models.iter_mut() {
                let ir::Model::Struct(model) = model else {
                    continue;
                };
                let has_default = model
                    .fields
                    .iter()
                    .all(|f| !f.required || defaultable(&f.ty, &without));
                if model.has_default && !has_default {
                    model.has_default = false;
                    without.insert((module.clone(), model.name.clone()));
                    changed = true;
                }
            }
        }
        if !changed {
            return;
        }
    }
}
