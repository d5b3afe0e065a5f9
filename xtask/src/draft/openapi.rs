//! Reading Pipedrive's OpenAPI file for a draft: the server's version, a tag's
//! operations in the file's order, parameters and bodies, and each schema as one
//! [`View`] with `allOf` merged (references are resolved with the upstream report's
//! [`Upstream`]).

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, Operation, Parameter, ReferenceOr, RequestBody, Response,
    Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::upstream::shape::{MAX_DEPTH, Upstream};

/// One operation of the tag, where the file has it.
pub(super) struct OperationRef<'a> {
    /// The path as the file writes it.
    pub path: &'a str,
    /// Upper case.
    pub method: String,
    /// The operation.
    pub operation: &'a Operation,
    /// The parameters the path item declares for all its operations.
    pub path_parameters: &'a [ReferenceOr<Parameter>],
}

/// The methods of the file's path items in the order the file writes them, which
/// `openapiv3` does not keep.
pub(super) fn method_order(text: &str) -> IndexMap<String, Vec<String>> {
    // `serde_yaml`'s own mapping keeps the order (a JSON object here would not).
    let Ok(root) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        return IndexMap::new();
    };
    let Some(serde_yaml::Value::Mapping(paths)) = root.get("paths") else {
        return IndexMap::new();
    };
    paths
        .iter()
        .filter_map(|(path, item)| {
            let methods = match item {
                serde_yaml::Value::Mapping(item) => item
                    .keys()
                    .filter_map(|k| Some(k.as_str()?.to_uppercase()))
                    .collect(),
                _ => Vec::new(),
            };
            Some((path.as_str()?.to_owned(), methods))
        })
        .collect()
}

/// Every operation tagged `tag`, in the file's order.
pub(super) fn tagged<'a>(
    doc: &'a OpenAPI,
    order: &IndexMap<String, Vec<String>>,
    tag: &str,
) -> Vec<OperationRef<'a>> {
    let mut found = Vec::new();
    for (path, item) in &doc.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let mut operations: Vec<(String, &Operation)> = item
            .iter()
            .map(|(method, op)| (method.to_uppercase(), op))
            .collect();
        if let Some(methods) = order.get(path) {
            operations.sort_by_key(|(method, _)| methods.iter().position(|m| m == method));
        }
        for (method, operation) in operations {
            if operation.tags.iter().any(|t| t == tag) {
                found.push(OperationRef {
                    path,
                    method,
                    operation,
                    path_parameters: &item.parameters,
                });
            }
        }
    }
    found
}

/// A parameter, following a reference into `components.parameters`.
pub(super) fn parameter<'a>(
    doc: &'a OpenAPI,
    p: &'a ReferenceOr<Parameter>,
) -> Option<&'a Parameter> {
    match p {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            doc.components.as_ref()?.parameters.get(name)?.as_item()
        }
    }
}

/// A request body, following a reference into `components.requestBodies`.
pub(super) fn request_body<'a>(
    doc: &'a OpenAPI,
    body: &'a ReferenceOr<RequestBody>,
) -> Option<&'a RequestBody> {
    match body {
        ReferenceOr::Item(body) => Some(body),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/requestBodies/")?;
            doc.components.as_ref()?.request_bodies.get(name)?.as_item()
        }
    }
}

/// A response, following a reference into `components.responses`.
pub(super) fn response<'a>(doc: &'a OpenAPI, r: &'a ReferenceOr<Response>) -> Option<&'a Response> {
    match r {
        ReferenceOr::Item(r) => Some(r),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/responses/")?;
            doc.components.as_ref()?.responses.get(name)?.as_item()
        }
    }
}

/// A schema as one flat view: `allOf` merged, references followed.
#[derive(Debug, Clone, Default)]
pub(super) struct View<'a> {
    /// `title`, of the schema itself (not of `allOf` parts, which name parts).
    pub title: Option<&'a str>,
    /// `description`: its own, else the first part's.
    pub description: Option<&'a str>,
    /// Whether it, or a part, says `nullable`.
    pub nullable: bool,
    /// Whether it says `deprecated`.
    pub deprecated: bool,
    /// Its `example`.
    pub example: Option<&'a Value>,
    /// Its `default`.
    pub default: Option<&'a Value>,
    /// The components name a reference gave it.
    pub component: Option<&'a str>,
    /// What it is.
    pub kind: Kind<'a>,
}

/// What a schema is.
#[derive(Debug, Clone, Default)]
pub(super) enum Kind<'a> {
    /// A string; `format` as written; enum `values` (`None` for `null`).
    String {
        format: Option<String>,
        values: Vec<Option<String>>,
    },
    /// An integer, its enum values and bounds.
    Integer {
        values: Vec<Option<i64>>,
        minimum: Option<i64>,
        maximum: Option<i64>,
    },
    /// A number and its bounds (kept when whole).
    Number {
        minimum: Option<f64>,
        maximum: Option<f64>,
    },
    /// `true`/`false`.
    Boolean,
    /// A list.
    Array {
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        max_items: Option<usize>,
    },
    /// An object.
    Object {
        properties: IndexMap<&'a str, &'a ReferenceOr<Box<Schema>>>,
        required: Vec<&'a str>,
        additional: Option<&'a AdditionalProperties>,
    },
    /// `oneOf` or `anyOf` alternatives.
    Alternatives {
        keyword: &'static str,
        parts: Vec<&'a Schema>,
    },
    /// Something the draft cannot read; the text says what the file says.
    #[default]
    Unknown,
    /// A schema whose description is all there is: `{}` or only text.
    Untyped,
}

/// Reads views of one document's schemas.
#[derive(Clone, Copy)]
pub(super) struct Reader<'a> {
    doc: &'a OpenAPI,
}

impl<'a> Reader<'a> {
    /// A reader of `doc`.
    pub(super) fn new(doc: &'a OpenAPI) -> Self {
        Self { doc }
    }

    /// The schema a reference names, or the schema itself.
    pub(super) fn resolve(&self, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
        Upstream { doc: self.doc }.resolve_in_doc(schema)
    }

    /// [`Self::resolve`] for boxed schemas.
    pub(super) fn resolve_boxed(&self, schema: &'a ReferenceOr<Box<Schema>>) -> Option<&'a Schema> {
        Upstream { doc: self.doc }.resolve_boxed_in_doc(schema)
    }

    /// The view of a property or item, keeping the components name of a reference.
    pub(super) fn view_boxed(&self, schema: &'a ReferenceOr<Box<Schema>>) -> View<'a> {
        let component = match schema {
            ReferenceOr::Reference { reference } => reference.strip_prefix("#/components/schemas/"),
            ReferenceOr::Item(_) => None,
        };
        match self.resolve_boxed(schema) {
            Some(resolved) => View {
                component,
                ..self.view(resolved)
            },
            None => View::default(),
        }
    }

    /// The view of a schema.
    pub(super) fn view(&self, schema: &'a Schema) -> View<'a> {
        self.view_at(schema, 0)
    }

    fn view_at(&self, schema: &'a Schema, depth: usize) -> View<'a> {
        let data = &schema.schema_data;
        let mut view = View {
            title: data.title.as_deref(),
            description: data.description.as_deref(),
            nullable: data.nullable,
            deprecated: data.deprecated,
            example: data.example.as_ref(),
            default: data.default.as_ref(),
            component: None,
            kind: Kind::Unknown,
        };
        if depth > MAX_DEPTH {
            return view;
        }
        view.kind = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => Kind::String {
                format: match &s.format {
                    VariantOrUnknownOrEmpty::Item(f) => Some(string_format(f).to_owned()),
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                },
                values: s.enumeration.clone(),
            },
            SchemaKind::Type(Type::Integer(i)) => Kind::Integer {
                values: i.enumeration.clone(),
                minimum: i.minimum,
                maximum: i.maximum,
            },
            SchemaKind::Type(Type::Number(n)) => Kind::Number {
                minimum: n.minimum,
                maximum: n.maximum,
            },
            SchemaKind::Type(Type::Boolean(_)) => Kind::Boolean,
            SchemaKind::Type(Type::Array(a)) => Kind::Array {
                items: a.items.as_ref(),
                max_items: a.max_items,
            },
            SchemaKind::Type(Type::Object(o)) => {
                self.object(&o.properties, &o.required, o.additional_properties.as_ref())
            }
            SchemaKind::AllOf { all_of } => return self.merged(view, None, all_of, depth),
            SchemaKind::OneOf { one_of } => self.alternatives("oneOf", one_of),
            SchemaKind::AnyOf { any_of } => self.alternatives("anyOf", any_of),
            SchemaKind::Not { .. } => Kind::Unknown,
            SchemaKind::Any(any) => {
                if !any.all_of.is_empty() {
                    let own = (!any.properties.is_empty()).then(|| {
                        self.object(
                            &any.properties,
                            &any.required,
                            any.additional_properties.as_ref(),
                        )
                    });
                    return self.merged(view, own, &any.all_of, depth);
                }
                if !any.one_of.is_empty() {
                    self.alternatives("oneOf", &any.one_of)
                } else if !any.any_of.is_empty() {
                    self.alternatives("anyOf", &any.any_of)
                } else if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    self.object(
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                    )
                } else if any.items.is_some() || any.typ.as_deref() == Some("array") {
                    Kind::Array {
                        items: any.items.as_ref(),
                        max_items: any.max_items,
                    }
                } else {
                    match (any.typ.as_deref(), any.enumeration.is_empty()) {
                        (Some("string"), true) => Kind::String {
                            format: any.format.clone(),
                            values: Vec::new(),
                        },
                        (Some("boolean"), _) => Kind::Boolean,
                        (Some("integer"), true) => Kind::Integer {
                            values: Vec::new(),
                            minimum: whole(any.minimum),
                            maximum: whole(any.maximum),
                        },
                        (Some("number"), true) => Kind::Number {
                            minimum: any.minimum,
                            maximum: any.maximum,
                        },
                        (None, true) if any.not.is_none() => Kind::Untyped,
                        _ => Kind::Unknown,
                    }
                }
            }
        };
        view
    }

    fn object(
        &self,
        properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'a [String],
        additional: Option<&'a AdditionalProperties>,
    ) -> Kind<'a> {
        Kind::Object {
            properties: properties
                .iter()
                .map(|(name, p)| (name.as_str(), p))
                .collect(),
            required: required.iter().map(String::as_str).collect(),
            additional,
        }
    }

    fn alternatives(&self, keyword: &'static str, parts: &'a [ReferenceOr<Schema>]) -> Kind<'a> {
        Kind::Alternatives {
            keyword,
            parts: parts.iter().filter_map(|p| self.resolve(p)).collect(),
        }
    }

    /// `allOf`: the parts' properties together (and the schema's own, `own`); one
    /// part that is not an object stands for the whole.
    fn merged(
        &self,
        mut view: View<'a>,
        own: Option<Kind<'a>>,
        parts: &'a [ReferenceOr<Schema>],
        depth: usize,
    ) -> View<'a> {
        let mut properties = IndexMap::new();
        let mut required = Vec::new();
        let mut additional = None;
        let mut other = None;
        let mut objects = 0;
        let kinds = own.into_iter().chain(parts.iter().filter_map(|part| {
            let part = self.view_at(self.resolve(part)?, depth + 1);
            view.nullable |= part.nullable;
            view.description = view.description.or(part.description);
            view.example = view.example.or(part.example);
            Some(part.kind)
        }));
        for kind in kinds.collect::<Vec<_>>() {
            match kind {
                Kind::Object {
                    properties: p,
                    required: r,
                    additional: a,
                } => {
                    objects += 1;
                    properties.extend(p);
                    required.extend(r);
                    additional = additional.or(a);
                }
                Kind::Untyped => {}
                kind => other = Some(kind),
            }
        }
        view.kind = match other {
            Some(kind) if objects == 0 => kind,
            Some(_) => Kind::Unknown,
            None => Kind::Object {
                properties,
                required,
                additional,
            },
        };
        view
    }

    /// A short account of what the file says a schema is, for a review comment.
    pub(super) fn describe(&self, view: &View<'a>) -> String {
        match &view.kind {
            Kind::Alternatives { keyword, parts } => {
                let parts: Vec<String> =
                    parts.iter().map(|p| self.describe(&self.view(p))).collect();
                format!("{keyword} of {}", parts.join(", "))
            }
            Kind::String { values, .. } if !values.is_empty() => "a string enum".to_owned(),
            Kind::String { .. } => "string".to_owned(),
            Kind::Integer { .. } => "integer".to_owned(),
            Kind::Number { .. } => "number".to_owned(),
            Kind::Boolean => "boolean".to_owned(),
            Kind::Array { .. } => "array".to_owned(),
            Kind::Object { properties, .. } if properties.is_empty() => {
                "an object without properties".to_owned()
            }
            Kind::Object { .. } => "object".to_owned(),
            Kind::Untyped => "a schema without a type".to_owned(),
            Kind::Unknown => {
                "a schema the draft cannot read (`not`, mixed `allOf`, or an enum of another type)"
                    .to_owned()
            }
        }
    }
}

fn whole(value: Option<f64>) -> Option<i64> {
    // Only exact whole numbers well inside i64 are bounds the dialect can take.
    value
        .filter(|v| v.fract() == 0.0 && v.abs() < 9.0e15)
        .map(|v| v as i64)
}

fn string_format(format: &StringFormat) -> &'static str {
    match format {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    }
}
