//! What a value looks like, on either side of the comparison: read from Pipedrive's
//! OpenAPI files (refs resolved, `allOf` merged) or from the spec's IR.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

use codegen::ir;

/// Deeper than this, schemas are not followed: both sides can be recursive.
pub(crate) const MAX_DEPTH: usize = 12;

/// The shape of a value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Shape {
    /// A string, maybe with a format (`date-time`, `date`) and allowed values.
    String {
        format: Option<String>,
        values: Option<Vec<String>>,
    },
    /// An integer, maybe with allowed values.
    Integer { values: Option<Vec<String>> },
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A boolean the API also writes as `0`/`1` (the spec's `flag`).
    Flag,
    /// A list.
    Array(Box<Shape>),
    /// An object with named fields.
    Object(Object),
    /// An object of any keys whose values have one shape.
    Map(Box<Shape>),
    /// Anything: JSON of any shape, or a schema too loose to compare.
    Any,
}

/// An object's fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Object {
    /// The spec schema it is, when it comes from the spec.
    pub schema: Option<String>,
    /// By wire name, in order.
    pub fields: IndexMap<String, FieldShape>,
}

/// One field of an object.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FieldShape {
    pub shape: Shape,
    pub required: bool,
    pub nullable: bool,
    /// The spec enum its values come from, when it has one.
    pub enum_schema: Option<String>,
}

impl Shape {
    /// How the report names it.
    pub(super) fn describe(&self) -> String {
        match self {
            Self::String {
                format: Some(format),
                ..
            } => format!("string ({format})"),
            Self::String { .. } => "string".to_owned(),
            Self::Integer { .. } => "integer".to_owned(),
            Self::Number => "number".to_owned(),
            Self::Boolean => "boolean".to_owned(),
            Self::Flag => "flag (boolean or 0/1)".to_owned(),
            Self::Array(item) => format!("list of {}", item.describe()),
            Self::Object(_) => "object".to_owned(),
            Self::Map(value) => format!("map of {}", value.describe()),
            Self::Any => "any JSON".to_owned(),
        }
    }

    /// The allowed values, for enums.
    pub(super) fn values(&self) -> Option<&[String]> {
        match self {
            Self::String { values, .. } | Self::Integer { values } => values.as_deref(),
            _ => None,
        }
    }
}

/// Reads shapes from one OpenAPI document. `cargo xtask draft` resolves references
/// with it too ([`Self::resolve_in_doc`]).
pub(crate) struct Upstream<'a> {
    pub doc: &'a OpenAPI,
}

impl<'a> Upstream<'a> {
    /// The schema a reference names, or the schema itself.
    pub(super) fn resolve<'s>(&'s self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.named(reference, 0),
        }
    }

    /// [`Self::resolve`] for a schema of the document itself, borrowed as long as the
    /// document is.
    pub(crate) fn resolve_in_doc(&self, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.named(reference, 0),
        }
    }

    /// [`Self::resolve_in_doc`] for the boxed schemas of properties and items.
    pub(crate) fn resolve_boxed_in_doc(
        &self,
        schema: &'a ReferenceOr<Box<Schema>>,
    ) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.named(reference, 0),
        }
    }

    fn resolve_boxed<'s>(&'s self, schema: &'s ReferenceOr<Box<Schema>>) -> Option<&'s Schema> {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.named(reference, 0),
        }
    }

    /// The schema `#/components/schemas/<name>` names, following references to references.
    fn named(&self, reference: &str, hops: usize) -> Option<&'a Schema> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        match self.doc.components.as_ref()?.schemas.get(name)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } if hops < MAX_DEPTH => {
                self.named(reference, hops + 1)
            }
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// The shape of a schema, and whether it says it may be null.
    pub(super) fn shape(&self, schema: &Schema, depth: usize) -> (Shape, bool) {
        let nullable = schema.schema_data.nullable;
        if depth > MAX_DEPTH {
            return (Shape::Any, nullable);
        }
        let shape = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => Shape::String {
                format: match &string.format {
                    openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime) => {
                        Some("date-time".to_owned())
                    }
                    openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Date) => {
                        Some("date".to_owned())
                    }
                    _ => None,
                },
                values: values(string.enumeration.iter().flatten().cloned()),
            },
            SchemaKind::Type(Type::Integer(integer)) => Shape::Integer {
                values: values(integer.enumeration.iter().flatten().map(i64::to_string)),
            },
            SchemaKind::Type(Type::Number(_)) => Shape::Number,
            SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
            SchemaKind::Type(Type::Array(array)) => match array
                .items
                .as_ref()
                .and_then(|items| self.resolve_boxed(items))
            {
                Some(items) => Shape::Array(Box::new(self.shape(items, depth + 1).0)),
                None => Shape::Array(Box::new(Shape::Any)),
            },
            SchemaKind::Type(Type::Object(object)) => self.object(
                &object.properties,
                &object.required,
                object.additional_properties.as_ref(),
                depth,
            ),
            SchemaKind::AllOf { all_of } => return self.merged(all_of, nullable, depth),
            SchemaKind::Any(any) if !any.all_of.is_empty() => {
                return self.merged(&any.all_of, nullable, depth);
            }
            SchemaKind::Any(any)
                if !any.properties.is_empty() || any.typ.as_deref() == Some("object") =>
            {
                self.object(
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                    depth,
                )
            }
            SchemaKind::Any(any) if any.items.is_some() => match any
                .items
                .as_ref()
                .and_then(|items| self.resolve_boxed(items))
            {
                Some(items) => Shape::Array(Box::new(self.shape(items, depth + 1).0)),
                None => Shape::Array(Box::new(Shape::Any)),
            },
            SchemaKind::Any(any) => match any.typ.as_deref() {
                Some("string") => Shape::String {
                    format: any
                        .format
                        .clone()
                        .filter(|f| f == "date-time" || f == "date"),
                    values: None,
                },
                Some("integer") => Shape::Integer { values: None },
                Some("number") => Shape::Number,
                Some("boolean") => Shape::Boolean,
                _ => Shape::Any,
            },
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::Not { .. } => {
                Shape::Any
            }
        };
        (shape, nullable)
    }

    fn object(
        &self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&openapiv3::AdditionalProperties>,
        depth: usize,
    ) -> Shape {
        if properties.is_empty() {
            return match additional {
                Some(openapiv3::AdditionalProperties::Schema(schema)) => match self.resolve(schema)
                {
                    Some(schema) => Shape::Map(Box::new(self.shape(schema, depth + 1).0)),
                    None => Shape::Map(Box::new(Shape::Any)),
                },
                _ => Shape::Map(Box::new(Shape::Any)),
            };
        }
        let mut fields = IndexMap::new();
        for (name, property) in properties {
            let Some(schema) = self.resolve_boxed(property) else {
                continue;
            };
            let (shape, nullable) = self.shape(schema, depth + 1);
            fields.insert(
                name.clone(),
                FieldShape {
                    shape,
                    required: required.contains(name),
                    nullable,
                    enum_schema: None,
                },
            );
        }
        Shape::Object(Object {
            schema: None,
            fields,
        })
    }

    /// `allOf`: the parts' fields together.
    fn merged(&self, parts: &[ReferenceOr<Schema>], nullable: bool, depth: usize) -> (Shape, bool) {
        let mut merged = Object::default();
        let mut nullable = nullable;
        let mut other = None;
        for part in parts {
            let Some(schema) = self.resolve(part) else {
                continue;
            };
            let (shape, part_nullable) = self.shape(schema, depth + 1);
            nullable |= part_nullable;
            match shape {
                Shape::Object(object) => merged.fields.extend(object.fields),
                Shape::Map(_) | Shape::Any => {}
                shape => other = Some(shape),
            }
        }
        match other {
            Some(shape) if merged.fields.is_empty() => (shape, nullable),
            _ => (Shape::Object(merged), nullable),
        }
    }
}

fn values(values: impl Iterator<Item = String>) -> Option<Vec<String>> {
    let values: Vec<String> = values.collect();
    (!values.is_empty()).then_some(values)
}

/// Reads shapes from the spec's IR.
pub(super) struct Spec<'a> {
    pub api: &'a ir::Api,
}

impl<'a> Spec<'a> {
    pub(super) fn model(&self, name: &ir::TypeName) -> Option<&'a ir::Model> {
        let resources = self
            .api
            .resources
            .iter()
            .map(|resource| (&resource.module, &resource.models));
        let shared = self
            .api
            .shared
            .iter()
            .map(|file| (&file.module, &file.models));
        resources
            .chain(shared)
            .filter(|(module, _)| **module == name.module)
            .flat_map(|(_, models)| models)
            .find(|model| match model {
                ir::Model::Struct(s) => s.name == name.name,
                ir::Model::Enum(e) => e.name == name.name,
                ir::Model::Id(id) => id.name == name.name,
                ir::Model::Union(union) => union.name == name.name,
            })
    }

    /// The shape of a spec type; `format` is the documented format of a string.
    pub(super) fn shape(&self, ty: &ir::Type, format: Option<ir::Format>, depth: usize) -> Shape {
        if depth > MAX_DEPTH {
            return Shape::Any;
        }
        match ty {
            ir::Type::String => Shape::String {
                format: match format {
                    Some(ir::Format::Rfc3339) => Some("date-time".to_owned()),
                    Some(ir::Format::Date) => Some("date".to_owned()),
                    _ => None,
                },
                values: None,
            },
            ir::Type::Timestamp(ir::TimeFormat::Rfc3339) => Shape::String {
                format: Some("date-time".to_owned()),
                values: None,
            },
            // v1 writes `YYYY-MM-DD HH:MM:SS`, which is not RFC 3339's `date-time`.
            ir::Type::Timestamp(ir::TimeFormat::V1) => Shape::String {
                format: None,
                values: None,
            },
            ir::Type::Date => Shape::String {
                format: Some("date".to_owned()),
                values: None,
            },
            ir::Type::Integer => Shape::Integer { values: None },
            ir::Type::Number => Shape::Number,
            ir::Type::Boolean => Shape::Boolean,
            ir::Type::Flag => Shape::Flag,
            ir::Type::Json | ir::Type::Union(_) => Shape::Any,
            // An object of any keys (field codes) whose values are any JSON.
            ir::Type::CustomFields => Shape::Map(Box::new(Shape::Any)),
            ir::Type::File => Shape::String {
                format: Some("binary".to_owned()),
                values: None,
            },
            ir::Type::Id(_, ir::IdKind::Integer) => Shape::Integer { values: None },
            ir::Type::Id(_, ir::IdKind::String) => Shape::String {
                format: None,
                values: None,
            },
            ir::Type::List(item) => Shape::Array(Box::new(self.shape(item, None, depth + 1))),
            ir::Type::Map(value) => Shape::Map(Box::new(self.shape(value, None, depth + 1))),
            ir::Type::Enum(name) => match self.model(name) {
                Some(ir::Model::Enum(model)) => {
                    let values = Some(model.variants.iter().map(|v| v.wire.clone()).collect());
                    match model.kind {
                        ir::EnumKind::String => Shape::String {
                            format: None,
                            values,
                        },
                        ir::EnumKind::Integer => Shape::Integer { values },
                    }
                }
                _ => Shape::Any,
            },
            ir::Type::Struct(name) => match self.model(name) {
                Some(ir::Model::Struct(model)) => Shape::Object(Object {
                    schema: Some(qualified(name)),
                    fields: model
                        .fields
                        .iter()
                        .map(|field| {
                            let shape = self.shape(&field.ty, field.format, depth + 1);
                            let enum_schema = enum_of(&field.ty);
                            (
                                field.wire.clone(),
                                FieldShape {
                                    shape,
                                    required: field.required,
                                    nullable: field.nullable,
                                    enum_schema,
                                },
                            )
                        })
                        .collect(),
                }),
                _ => Shape::Any,
            },
        }
    }
}

/// A schema's name as the report and the acknowledgements key it: `module.Name`.
pub(super) fn qualified(name: &ir::TypeName) -> String {
    format!("{}.{}", name.module, name.name)
}

/// The enum a type's values come from, also inside a list.
pub(super) fn enum_of(ty: &ir::Type) -> Option<String> {
    match ty {
        ir::Type::Enum(name) => Some(qualified(name)),
        ir::Type::List(inner) => enum_of(inner),
        _ => None,
    }
}
