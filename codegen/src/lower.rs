//! Stage 3, lower: the validated spec to the IR, with Rust names and types resolved.
//!
//! Runs only after [`crate::validate`] passed, so every lookup here succeeds; a
//! failure is reported as an internal error rather than a panic.

use indexmap::IndexMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir;
use crate::load::LoadedFile;
use crate::load::spec::{self, ParameterLocation};
use crate::names;
use crate::types::TypeExpr;
use crate::validate::{SchemaKind, file_stem, schema_table};

/// Lowers validated files to the IR.
pub fn lower(files: &[LoadedFile]) -> Result<ir::Api, Diagnostics> {
    let mut lowerer = Lowerer { schemas: schema_table(files), diagnostics: Diagnostics::default() };
    let api = lowerer.api(files);
    lowerer.diagnostics.into_result(api)
}

struct Lowerer<'a> {
    schemas: IndexMap<&'a str, (usize, SchemaKind)>,
    diagnostics: Diagnostics,
}

impl Lowerer<'_> {
    fn internal(&mut self, file: &LoadedFile, path: &str, what: String) {
        self.diagnostics.push(Diagnostic::new(&file.name, path, format!("internal error in the generator: {what}")));
    }

    fn api(&mut self, files: &[LoadedFile]) -> ir::Api {
        let api = files.iter().find_map(|f| f.spec.api.as_ref());
        let mut resources = Vec::new();
        let mut model_files = Vec::new();
        for file in files {
            if let Some(resource) = &file.spec.resource {
                resources.push(self.resource(file, resource, api));
            }
            if !file.spec.schemas.is_empty() {
                model_files.push(self.model_file(file));
            }
        }
        resources.sort_by(|a, b| a.module.cmp(&b.module));
        model_files.sort_by(|a, b| a.module.cmp(&b.module));
        ir::Api {
            name: api.map(|a| a.name.clone()).unwrap_or_default(),
            description: api.map(|a| a.description.clone()).unwrap_or_default(),
            resources,
            model_files,
        }
    }

    fn resource(&mut self, file: &LoadedFile, resource: &spec::Resource, api: Option<&spec::Api>) -> ir::Resource {
        let operations = file
            .spec
            .operations
            .iter()
            .map(|(id, operation)| self.operation(file, id, operation, api))
            .collect();
        ir::Resource {
            source: file.name.clone(),
            module: resource.name.clone(),
            handle: self.name(file, "resource.name", &resource.name, true),
            description: resource.description.clone(),
            operations,
        }
    }

    fn name(&mut self, file: &LoadedFile, path: &str, wire: &str, upper_camel: bool) -> String {
        let result = if upper_camel { names::camel(wire) } else { names::snake(wire) };
        result.unwrap_or_else(|error| {
            self.internal(file, path, error.0);
            String::new()
        })
    }

    fn operation(&mut self, file: &LoadedFile, id: &str, operation: &spec::Operation, api: Option<&spec::Api>) -> ir::Operation {
        let path = format!("operations.{id}");
        let prefix = api
            .and_then(|a| a.versions.get(&operation.version))
            .map(|v| v.prefix.clone())
            .unwrap_or_default();
        let path_template = format!("{prefix}{}", operation.path);
        let params: Vec<ir::Param> = operation
            .parameters
            .iter()
            .map(|(wire, parameter)| self.param(file, &format!("{path}.parameters.{wire}"), wire, parameter))
            .collect();
        let segments = path_template
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(placeholder) => ir::Segment::Param(
                    params.iter().find(|p| p.wire == placeholder).map(|p| p.rust.clone()).unwrap_or_default(),
                ),
                None => ir::Segment::Literal(segment.to_owned()),
            })
            .collect();
        let http_method = ir::HttpMethod::parse(&operation.method).unwrap_or_else(|| {
            self.internal(file, &path, format!("method `{}` passed validation", operation.method));
            ir::HttpMethod::Get
        });
        let deprecated = operation.deprecated.as_ref().map(|d| match (&d.replacement, &d.note) {
            (Some(replacement), Some(note)) => format!("use `{replacement}` instead; {note}"),
            (Some(replacement), None) => format!("use `{replacement}` instead"),
            (None, Some(note)) => note.clone(),
            (None, None) => "deprecated by the API".to_owned(),
        });
        ir::Operation {
            id: id.to_owned(),
            method_name: operation.name.clone(),
            builder: format!("{}Request", self.name(file, &path, id, true)),
            http_method,
            version: operation.version.clone(),
            path_template,
            segments,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            cost: operation.cost,
            scopes: operation.scopes.clone(),
            deprecated,
            params,
            body: operation.body.as_ref().map(|body| ir::Body {
                ty: self.ty(file, &format!("{path}.body.type"), &body.ty),
                description: body.description.clone(),
            }),
            response: ir::Response {
                status: operation.response.status,
                envelope: operation.response.envelope,
                data: self.ty(file, &format!("{path}.response.data"), &operation.response.data),
                items_field: operation.response.items_field.clone(),
            },
        }
    }

    fn param(&mut self, file: &LoadedFile, path: &str, wire: &str, parameter: &spec::Parameter) -> ir::Param {
        let rust = match &parameter.rust_name {
            Some(name) => name.clone(),
            None => self.name(file, path, wire, false),
        };
        let default = parameter.default.as_ref().map(|value| match value {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Number(n) => n.to_string(),
            serde_yaml::Value::Bool(b) => b.to_string(),
            _ => String::new(),
        });
        ir::Param {
            wire: wire.to_owned(),
            rust,
            location: parameter.location,
            ty: self.ty(file, &format!("{path}.type"), &parameter.ty),
            required: parameter.required || parameter.location == ParameterLocation::Path,
            description: parameter.description.clone(),
            style: parameter.style,
            default,
            minimum: parameter.minimum,
            maximum: parameter.maximum,
            max_items: parameter.max_items,
            format: parameter.format,
        }
    }

    fn ty(&mut self, file: &LoadedFile, path: &str, text: &str) -> ir::Type {
        match TypeExpr::parse(text) {
            Ok(expr) => self.resolve(file, path, &expr),
            Err(message) => {
                self.internal(file, path, message);
                ir::Type::Json
            }
        }
    }

    fn resolve(&mut self, file: &LoadedFile, path: &str, expr: &TypeExpr) -> ir::Type {
        match expr {
            TypeExpr::String => ir::Type::String,
            TypeExpr::Integer => ir::Type::Integer,
            TypeExpr::Number => ir::Type::Number,
            TypeExpr::Boolean => ir::Type::Boolean,
            TypeExpr::Flag => ir::Type::Flag,
            TypeExpr::Json => ir::Type::Json,
            TypeExpr::List(inner) => ir::Type::List(Box::new(self.resolve(file, path, inner))),
            TypeExpr::Map(inner) => ir::Type::Map(Box::new(self.resolve(file, path, inner))),
            TypeExpr::Named(name) => match self.schemas.get(name.as_str()) {
                Some((_, SchemaKind::Struct)) => ir::Type::Struct(name.clone()),
                Some((_, SchemaKind::Enum)) => ir::Type::Enum(name.clone()),
                None => {
                    self.internal(file, path, format!("schema `{name}` passed validation but does not exist"));
                    ir::Type::Json
                }
            },
        }
    }

    fn model_file(&mut self, file: &LoadedFile) -> ir::ModelFile {
        let stem = file_stem(&file.name);
        let models = file
            .spec
            .schemas
            .iter()
            .map(|(name, schema)| self.model(file, name, schema))
            .collect();
        ir::ModelFile { source: file.name.clone(), module: self.name(file, "", stem, false), models }
    }

    fn model(&mut self, file: &LoadedFile, name: &str, schema: &spec::Schema) -> ir::Model {
        let path = format!("schemas.{name}");
        match (&schema.fields, &schema.values) {
            (_, Some(values)) => ir::Model::Enum(ir::Enum {
                name: name.to_owned(),
                description: schema.description.clone(),
                variants: values
                    .iter()
                    .map(|value| ir::Variant {
                        rust: match schema.variant_names.get(value) {
                            Some(explicit) => explicit.clone(),
                            None => self.name(file, &path, value, true),
                        },
                        wire: value.clone(),
                    })
                    .collect(),
            }),
            (fields, None) => ir::Model::Struct(ir::Struct {
                name: name.to_owned(),
                description: schema.description.clone(),
                fields: fields
                    .iter()
                    .flatten()
                    .map(|(wire, field)| {
                        let field_path = format!("{path}.fields.{wire}");
                        ir::Field {
                            wire: wire.clone(),
                            rust: match &field.rust_name {
                                Some(explicit) => explicit.clone(),
                                None => self.name(file, &field_path, wire, false),
                            },
                            ty: self.ty(file, &format!("{field_path}.type"), &field.ty),
                            required: field.required,
                            nullable: field.nullable,
                            description: field.description.clone(),
                            format: field.format,
                        }
                    })
                    .collect(),
            }),
        }
    }
}
