//! The comparison itself: each operation of the spec against the operation of the same
//! id and version in Pipedrive's files, every difference checked against the spec's
//! acknowledgements.

use std::collections::{BTreeMap, BTreeSet};

use codegen::ir::{self, Aspect};
use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr};

use super::shape::{FieldShape, Shape, Spec, Upstream, enum_of};

/// One difference, and the reason the spec gives for it when it acknowledges it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// What differs, in words.
    pub text: String,
    /// The spec's reason, when it acknowledges the difference.
    pub acknowledged: Option<String>,
}

/// The differences of one operation (or of the spec as a whole), under a heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// `getOrganization (v2 GET /organizations/{id})`, say.
    pub heading: String,
    /// In the order they were found.
    pub differences: Vec<Difference>,
}

/// A parameter of Pipedrive's: its name, where it goes, whether it is required, its
/// shape, its default, and whether a list is written once per item.
type TheirParameter = (
    String,
    &'static str,
    bool,
    Shape,
    Option<serde_json::Value>,
    bool,
);

/// Where an acknowledgement sits in the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Operation(String, Aspect),
    LeftOutParameter(String, String),
    Parameter(String, String, Aspect),
    Field(String, String, Aspect),
    LeftOutField(String, String),
    Values(String),
    LeftOutOperation(String, String),
}

/// What a comparison looked at, to tell an acknowledgement nothing needed from one
/// whose subject was never compared (an operation Pipedrive's files no longer have).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Subject {
    Operation(String),
    Parameter(String, String),
    Field(String, String),
    Schema(String),
    Resource(String),
}

impl Place {
    /// What the acknowledgement is about.
    fn subject(&self) -> Subject {
        match self {
            Self::Operation(id, _) | Self::LeftOutParameter(id, _) => {
                Subject::Operation(id.clone())
            }
            Self::Parameter(id, wire, _) => Subject::Parameter(id.clone(), wire.clone()),
            Self::Field(schema, wire, _) => Subject::Field(schema.clone(), wire.clone()),
            Self::LeftOutField(schema, _) | Self::Values(schema) => Subject::Schema(schema.clone()),
            Self::LeftOutOperation(resource, _) => Subject::Resource(resource.clone()),
        }
    }

    /// How the report names it when it is never used.
    fn describe(&self) -> String {
        match self {
            Self::Operation(id, aspect) => {
                format!("operation `{id}`: `upstream.{}`", aspect_key(*aspect))
            }
            Self::LeftOutParameter(id, name) => {
                format!("operation `{id}`: `upstream.parameters.{name}`")
            }
            Self::Parameter(id, wire, aspect) => format!(
                "parameter `{wire}` of `{id}`: `upstream.{}`",
                aspect_key(*aspect)
            ),
            Self::Field(schema, wire, aspect) => format!(
                "field `{wire}` of `{schema}`: `upstream.{}`",
                aspect_key(*aspect)
            ),
            Self::LeftOutField(schema, name) => {
                format!("schema `{schema}`: `upstream.fields.{name}`")
            }
            Self::Values(schema) => format!("schema `{schema}`: `upstream.values`"),
            Self::LeftOutOperation(resource, key) => {
                format!("resource `{resource}`: `upstream.operations.{key}`")
            }
        }
    }
}

fn aspect_key(aspect: Aspect) -> &'static str {
    match aspect {
        Aspect::Missing => "missing",
        Aspect::Method => "method",
        Aspect::Path => "path",
        Aspect::Status => "status",
        Aspect::Pagination => "pagination",
        Aspect::Type => "type",
        Aspect::Required => "required",
        Aspect::Default => "default",
        Aspect::Nullable => "nullable",
        Aspect::Values => "values",
        Aspect::Style => "style",
    }
}

/// Every acknowledgement of the spec, and which of them a difference used.
struct Acknowledgements {
    reasons: BTreeMap<Place, String>,
    used: BTreeSet<Place>,
    compared: BTreeSet<Subject>,
}

impl Acknowledgements {
    fn collect(api: &ir::Api) -> Self {
        let mut reasons = BTreeMap::new();
        for resource in &api.resources {
            for (key, reason) in &resource.upstream.left_out {
                reasons.insert(
                    Place::LeftOutOperation(resource.module.clone(), key.clone()),
                    reason.clone(),
                );
            }
            for operation in &resource.operations {
                for (aspect, reason) in &operation.upstream.reasons {
                    reasons.insert(
                        Place::Operation(operation.id.clone(), *aspect),
                        reason.clone(),
                    );
                }
                for (name, reason) in &operation.upstream.left_out {
                    reasons.insert(
                        Place::LeftOutParameter(operation.id.clone(), name.clone()),
                        reason.clone(),
                    );
                }
                for param in &operation.params {
                    for (aspect, reason) in &param.upstream.reasons {
                        reasons.insert(
                            Place::Parameter(operation.id.clone(), param.wire.clone(), *aspect),
                            reason.clone(),
                        );
                    }
                }
            }
        }
        let modules = api
            .resources
            .iter()
            .map(|resource| (&resource.module, &resource.models))
            .chain(api.shared.iter().map(|file| (&file.module, &file.models)));
        for (module, model) in
            modules.flat_map(|(module, models)| models.iter().map(move |m| (module, m)))
        {
            let qualified = |name: &str| format!("{module}.{name}");
            match model {
                ir::Model::Struct(model) => {
                    for (name, reason) in &model.upstream.left_out {
                        reasons.insert(
                            Place::LeftOutField(qualified(&model.name), name.clone()),
                            reason.clone(),
                        );
                    }
                    for field in &model.fields {
                        for (aspect, reason) in &field.upstream.reasons {
                            reasons.insert(
                                Place::Field(qualified(&model.name), field.wire.clone(), *aspect),
                                reason.clone(),
                            );
                        }
                    }
                }
                ir::Model::Enum(model) => {
                    if let Some(reason) = model.upstream.reasons.get(&Aspect::Values) {
                        reasons.insert(Place::Values(qualified(&model.name)), reason.clone());
                    }
                }
                ir::Model::Id(_) | ir::Model::Union(_) => {}
            }
        }
        Self {
            reasons,
            used: BTreeSet::new(),
            compared: BTreeSet::new(),
        }
    }

    /// Records that `subject` was compared with Pipedrive's files.
    fn compared(&mut self, subject: Subject) {
        self.compared.insert(subject);
    }

    /// Whether the spec says the item is not in Pipedrive's files.
    fn says_missing(&mut self, place: Place) -> bool {
        self.reasons.contains_key(&place)
    }

    fn find(&mut self, place: Place) -> Option<String> {
        let reason = self.reasons.get(&place).cloned();
        if reason.is_some() {
            self.used.insert(place);
        }
        reason
    }

    /// The acknowledgements of things that were compared and do not differ. That the
    /// spec leaves something of Pipedrive's out stays true when Pipedrive drops it too,
    /// so those never go stale.
    fn unused(&self) -> Vec<(String, String)> {
        let left_out = |place: &Place| {
            matches!(
                place,
                Place::LeftOutParameter(..) | Place::LeftOutField(..) | Place::LeftOutOperation(..)
            )
        };
        self.reasons
            .iter()
            .filter(|(place, _)| {
                !left_out(place)
                    && !self.used.contains(*place)
                    && self.compared.contains(&place.subject())
            })
            .map(|(place, reason)| (place.describe(), reason.clone()))
            .collect()
    }
}

/// One of Pipedrive's files, with the API version it describes.
pub struct UpstreamFile {
    /// Where it was read from, for the report.
    pub name: String,
    /// The spec version whose prefix its server URL ends with.
    pub version: String,
    /// The document.
    pub doc: OpenAPI,
}

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// An operation of an upstream file: its method, path, the operation and the path's
/// own parameters.
struct Found<'a> {
    method: &'static str,
    path: &'a str,
    operation: &'a openapiv3::Operation,
    shared_parameters: &'a [ReferenceOr<Parameter>],
}

fn operations<'a>(doc: &'a OpenAPI) -> Vec<Found<'a>> {
    let mut found = Vec::new();
    for (path, item) in &doc.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let by_method = [&item.get, &item.post, &item.put, &item.patch, &item.delete];
        for (method, operation) in METHODS.iter().zip(by_method) {
            if let Some(operation) = operation {
                found.push(Found {
                    method,
                    path,
                    operation,
                    shared_parameters: &item.parameters,
                });
            }
        }
    }
    found
}

/// Compares the spec with the upstream files; one group per spec operation that has a
/// difference, then Pipedrive's operations the spec does not describe, then the
/// acknowledgements nothing needed.
pub fn compare(api: &ir::Api, files: &[UpstreamFile]) -> Vec<Group> {
    let spec = Spec { api };
    let mut acks = Acknowledgements::collect(api);
    let mut groups = Vec::new();
    let mut described: BTreeSet<(String, String)> = BTreeSet::new();
    for resource in &api.resources {
        for operation in &resource.operations {
            described.insert((operation.version.clone(), operation.id.clone()));
            let mut cx = Context {
                spec: &spec,
                acks: &mut acks,
                differences: Vec::new(),
                operation: &operation.id,
            };
            let found = files
                .iter()
                .filter(|file| file.version == operation.version)
                .find_map(|file| {
                    operations(&file.doc)
                        .into_iter()
                        .find(|f| {
                            f.operation.operation_id.as_deref() == Some(operation.id.as_str())
                        })
                        .map(|found| (Upstream { doc: &file.doc }, found))
                });
            match found {
                None => cx.report(
                    Place::Operation(operation.id.clone(), Aspect::Missing),
                    "Pipedrive's files do not have this operation".to_owned(),
                ),
                Some((upstream, found)) => cx.operation(api, operation, &upstream, &found),
            }
            let heading = format!(
                "{} ({} {} {})",
                operation.id,
                operation.version,
                operation.http_method.as_str(),
                operation.path_template
            );
            if !cx.differences.is_empty() {
                groups.push(Group {
                    heading,
                    differences: cx.differences,
                });
            }
        }
    }
    // Pipedrive's operations on the spec's resources' paths that the spec does not describe.
    let roots: BTreeSet<String> = api
        .resources
        .iter()
        .flat_map(|r| &r.operations)
        .filter_map(|o| below_prefix(api, o).split('/').nth(1).map(str::to_owned))
        .collect();
    let mut undescribed = Vec::new();
    for resource in &api.resources {
        acks.compared(Subject::Resource(resource.module.clone()));
    }
    for file in files {
        for found in operations(&file.doc) {
            let Some(id) = found.operation.operation_id.as_deref() else {
                continue;
            };
            let root = found.path.split('/').nth(1).unwrap_or_default();
            if !roots.contains(root) || described.contains(&(file.version.clone(), id.to_owned())) {
                continue;
            }
            let key = format!("{} {id}", file.version);
            // Whichever resource acknowledges it: the v1 operations below `/deals` belong
            // with deals, though deal_products shares the path root.
            let acknowledged = api
                .resources
                .iter()
                .find_map(|r| acks.find(Place::LeftOutOperation(r.module.clone(), key.clone())));

            undescribed.push(Difference {
                text: format!(
                    "`{key}` ({} {}) is not described by the spec",
                    found.method, found.path
                ),
                acknowledged,
            });
        }
    }
    if !undescribed.is_empty() {
        groups.push(Group {
            heading: "operations of Pipedrive's files on the spec's paths".to_owned(),
            differences: undescribed,
        });
    }
    let unused = acks.unused();
    if !unused.is_empty() {
        groups.push(Group {
            heading: "acknowledgements of differences that are not there".to_owned(),
            differences: unused
                .into_iter()
                .map(|(place, reason)| Difference {
                    text: format!("{place} (\"{reason}\"): nothing differs; remove it"),
                    acknowledged: None,
                })
                .collect(),
        });
    }
    groups
}

/// An operation's path below its version's prefix.
fn below_prefix<'a>(api: &ir::Api, operation: &'a ir::Operation) -> &'a str {
    let prefix = api
        .versions
        .iter()
        .find(|v| v.name == operation.version)
        .map_or("", |v| v.prefix.as_str());
    operation
        .path_template
        .strip_prefix(prefix)
        .unwrap_or(&operation.path_template)
}

/// Whether a field is read from a request body or a response: bodies compare whether a
/// field is required and may be null both ways; responses only report fields that
/// Pipedrive says may be null and the spec does not (the spec marks many more nullable
/// than Pipedrive's files do, because real responses carry nulls there).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The top level of a request body, whose nullable fields can be sent as null.
    Body,
    /// An object inside a request body: a nullable field there is a plain `Option`,
    /// so nullability is compared as in responses.
    NestedBody,
    /// A response.
    Response,
}

impl Side {
    fn word(self) -> &'static str {
        match self {
            Self::Body | Self::NestedBody => "body",
            Self::Response => "response",
        }
    }
}

struct Context<'a, 'b> {
    spec: &'a Spec<'a>,
    acks: &'b mut Acknowledgements,
    differences: Vec<Difference>,
    operation: &'a str,
}

impl Context<'_, '_> {
    fn report(&mut self, place: Place, text: String) {
        let acknowledged = self.acks.find(place);
        self.differences.push(Difference { text, acknowledged });
    }

    /// An item is in Pipedrive's files: if the spec says it is not, that is a difference.
    fn present(&mut self, missing: Place, what: &str) {
        if self.acks.says_missing(missing.clone()) {
            self.acks.used.insert(missing);
            self.differences.push(Difference {
                text: format!(
                    "the spec says Pipedrive's files do not have this {what}, and they do"
                ),
                acknowledged: None,
            });
        }
    }

    fn operation(
        &mut self,
        api: &ir::Api,
        operation: &ir::Operation,
        upstream: &Upstream<'_>,
        found: &Found<'_>,
    ) {
        let id = operation.id.clone();
        self.acks.compared(Subject::Operation(id.clone()));
        self.present(Place::Operation(id.clone(), Aspect::Missing), "operation");
        if found.method != operation.http_method.as_str() {
            self.report(
                Place::Operation(id.clone(), Aspect::Method),
                format!(
                    "method is {} here, {} upstream",
                    operation.http_method.as_str(),
                    found.method
                ),
            );
        }
        let path = below_prefix(api, operation);
        if found.path != path {
            self.report(
                Place::Operation(id.clone(), Aspect::Path),
                format!("path is `{path}` here, `{}` upstream", found.path),
            );
        }
        self.parameters(operation, upstream, found);
        if let Some(body) = &operation.body {
            let spec_shape = self.spec.shape(&body.ty, None, 0);
            let (media, sends) = match body.content {
                ir::Content::Json => ("application/json", "a JSON body"),
                ir::Content::Multipart => ("multipart/form-data", "a multipart body"),
            };
            let upstream_shape = found
                .operation
                .request_body
                .as_ref()
                .and_then(|body| match body {
                    ReferenceOr::Item(body) => {
                        body.content.get(media).and_then(|m| m.schema.as_ref())
                    }
                    ReferenceOr::Reference { .. } => None,
                })
                .and_then(|schema| upstream.resolve(schema))
                .map(|schema| upstream.shape(schema, 0).0);
            match upstream_shape {
                Some(upstream_shape) => {
                    self.shapes("", &spec_shape, &upstream_shape, Side::Body, None)
                }
                None => self.report(
                    Place::Operation(id.clone(), Aspect::Missing),
                    format!("the spec sends {sends}, and Pipedrive's files none of that kind"),
                ),
            }
        }
        self.response(operation, upstream, found);
    }

    fn parameters(
        &mut self,
        operation: &ir::Operation,
        upstream: &Upstream<'_>,
        found: &Found<'_>,
    ) {
        let id = operation.id.clone();
        let mut theirs: Vec<TheirParameter> = Vec::new();
        for parameter in found
            .shared_parameters
            .iter()
            .chain(&found.operation.parameters)
        {
            let parameter = match parameter {
                ReferenceOr::Item(parameter) => Some(parameter),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|name| upstream.doc.components.as_ref()?.parameters.get(name))
                    .and_then(|p| match p {
                        ReferenceOr::Item(p) => Some(p),
                        ReferenceOr::Reference { .. } => None,
                    }),
            };
            let (data, location) = match parameter {
                Some(Parameter::Query { parameter_data, .. }) => (parameter_data, "query"),
                Some(Parameter::Path { parameter_data, .. }) => (parameter_data, "path"),
                _ => continue,
            };
            let (shape, default) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => match upstream.resolve(schema) {
                    Some(schema) => (
                        upstream.shape(schema, 0).0,
                        schema.schema_data.default.clone(),
                    ),
                    None => (Shape::Any, None),
                },
                ParameterSchemaOrContent::Content(_) => (Shape::Any, None),
            };
            // A query array is `form` style, exploded unless the file says otherwise.
            let exploded = data.explode.unwrap_or(true);
            theirs.push((
                data.name.clone(),
                location,
                data.required,
                shape,
                default,
                exploded,
            ));
        }
        for (name, location, ..) in &theirs {
            if !operation.params.iter().any(|p| &p.wire == name) {
                self.report(
                    Place::LeftOutParameter(id.clone(), name.clone()),
                    format!("{location} parameter `{name}` is upstream, not in the spec"),
                );
            }
        }
        for param in &operation.params {
            let location = match param.location {
                ir::Location::Path => "path",
                ir::Location::Query => "query",
            };
            let Some((_, _, required, shape, default, exploded)) =
                theirs.iter().find(|(name, ..)| *name == param.wire)
            else {
                self.report(
                    Place::Parameter(id.clone(), param.wire.clone(), Aspect::Missing),
                    format!(
                        "{location} parameter `{}` is in the spec, not upstream",
                        param.wire
                    ),
                );
                continue;
            };
            let subject = format!("{location} parameter `{}`", param.wire);
            self.acks
                .compared(Subject::Parameter(id.clone(), param.wire.clone()));
            if self.acks.says_missing(Place::Parameter(
                id.clone(),
                param.wire.clone(),
                Aspect::Missing,
            )) {
                self.acks.used.insert(Place::Parameter(
                    id.clone(),
                    param.wire.clone(),
                    Aspect::Missing,
                ));
                self.differences.push(Difference {
                    text: format!(
                        "{subject}: the spec says Pipedrive's files do not have it, and they do"
                    ),
                    acknowledged: None,
                });
            }
            let mine = self.spec.shape(&param.ty, param.format, 0);
            let type_place = Place::Parameter(id.clone(), param.wire.clone(), Aspect::Type);
            if let Some(text) = mismatch(&mine, shape) {
                self.report(type_place.clone(), format!("{subject}: {text}"));
                // A list the spec joins with commas is one string upstream: its items'
                // values still compare with the string's.
                if let (Shape::Array(item), Shape::String { .. }) = (&mine, shape) {
                    self.values(&subject, item, shape, enum_of(&param.ty), Some(type_place));
                }
            } else {
                self.values(&subject, &mine, shape, enum_of(&param.ty), Some(type_place));
            }
            if let (Shape::Array(_), Shape::Array(_)) = (&mine, shape) {
                let mine_exploded = param.style == ir::QueryStyle::Explode;
                if mine_exploded != *exploded {
                    let written = |exploded: bool| {
                        if exploded {
                            "once per item (`a=1&a=2`)"
                        } else {
                            "comma-joined (`a=1,2`)"
                        }
                    };
                    self.report(
                        Place::Parameter(id.clone(), param.wire.clone(), Aspect::Style),
                        format!(
                            "{subject} is written {} here, {} upstream",
                            written(mine_exploded),
                            written(*exploded)
                        ),
                    );
                }
            }
            if *required != param.required {
                self.report(
                    Place::Parameter(id.clone(), param.wire.clone(), Aspect::Required),
                    format!(
                        "{subject} is {} here, {} upstream",
                        required_word(param.required),
                        required_word(*required)
                    ),
                );
            }
            let theirs = default.as_ref().map(|value| default_text(value, &param.ty));
            if theirs != param.default {
                let show = |value: &Option<String>| {
                    value
                        .as_ref()
                        .map_or_else(|| "none".to_owned(), |v| format!("`{v}`"))
                };
                self.report(
                    Place::Parameter(id.clone(), param.wire.clone(), Aspect::Default),
                    format!(
                        "{subject}: default is {} here, {} upstream",
                        show(&param.default),
                        show(&theirs)
                    ),
                );
            }
        }
    }

    fn response(&mut self, operation: &ir::Operation, upstream: &Upstream<'_>, found: &Found<'_>) {
        let id = operation.id.clone();
        let success =
            found.operation.responses.responses.iter().find_map(
                |(status, response)| match status {
                    openapiv3::StatusCode::Code(code) if (200..300).contains(code) => {
                        Some((*code, response))
                    }
                    _ => None,
                },
            );
        let Some((status, response)) = success else {
            self.report(
                Place::Operation(id, Aspect::Status),
                "Pipedrive's files give no success response".to_owned(),
            );
            return;
        };
        if status != operation.response.status {
            self.report(
                Place::Operation(id.clone(), Aspect::Status),
                format!(
                    "success status is {} here, {status} upstream",
                    operation.response.status
                ),
            );
        }
        let body = match response {
            ReferenceOr::Item(response) => response
                .content
                .get("application/json")
                .and_then(|m| m.schema.as_ref())
                .and_then(|s| upstream.resolve(s)),
            ReferenceOr::Reference { .. } => None,
        };
        let Some(body) = body else { return };
        let (body, _) = upstream.shape(body, 0);
        let field = |shape: &Shape, name: &str| match shape {
            Shape::Object(object) => object.fields.get(name).map(|f| f.shape.clone()),
            _ => None,
        };
        match &operation.response.shape {
            ir::Shape::Plain(ty) => {
                let mine = self.spec.shape(ty, None, 0);
                self.shapes("", &mine, &body, Side::Response, None);
            }
            ir::Shape::Single {
                data,
                nullable: _,
                additional,
            } => {
                let mine = self.spec.shape(data, None, 0);
                if let Some(theirs) = field(&body, "data") {
                    self.shapes("data", &mine, &theirs, Side::Response, None);
                }
                if let (Some(additional), Some(theirs)) =
                    (additional, field(&body, "additional_data"))
                {
                    let mine = self.spec.shape(additional, None, 0);
                    self.shapes("additional_data", &mine, &theirs, Side::Response, None);
                }
            }
            ir::Shape::Page(page) => {
                let mine = self.spec.shape(&page.item, None, 0);
                let data = field(&body, "data");
                let items = match (&page.items_field, data) {
                    (Some(items_field), Some(data)) => field(&data, items_field),
                    (None, data) => data,
                    (Some(_), None) => None,
                };
                if let Some(Shape::Array(theirs)) = &items {
                    self.shapes("data[]", &mine, theirs, Side::Response, None);
                } else if let Some(items) = &items {
                    self.report(
                        Place::Operation(id.clone(), Aspect::Pagination),
                        format!(
                            "a page's items are a list here, {} upstream",
                            items.describe()
                        ),
                    );
                }
                let additional = field(&body, "additional_data");
                self.pagination(&id, page.kind, additional.as_ref());
            }
        }
    }

    /// Where a page's position is: `additional_data.next_cursor`, or
    /// `additional_data.pagination` for offsets.
    fn pagination(&mut self, id: &str, kind: ir::PageKind, additional: Option<&Shape>) {
        let Some(Shape::Object(additional)) = additional else {
            return;
        };
        match kind {
            ir::PageKind::Cursor if !additional.fields.contains_key("next_cursor") => {
                self.report(
                    Place::Operation(id.to_owned(), Aspect::Pagination),
                    "upstream `additional_data` has no `next_cursor`".to_owned(),
                );
            }
            ir::PageKind::Offset if !additional.fields.contains_key("pagination") => {
                let flat = ["start", "limit", "more_items_in_collection"]
                    .iter()
                    .all(|k| additional.fields.contains_key(*k));
                let text = if flat {
                    "upstream puts `start`, `limit` and `more_items_in_collection` directly under `additional_data`; the spec reads them from `additional_data.pagination`"
                } else {
                    "upstream `additional_data` has no `pagination`"
                };
                self.report(
                    Place::Operation(id.to_owned(), Aspect::Pagination),
                    text.to_owned(),
                );
            }
            _ => {}
        }
    }

    /// Compares two shapes at `path` (`data[].address`, say; empty for a whole body),
    /// fields of objects one by one, items of lists and values of maps in turn. `field`
    /// is the spec field the shapes belong to, whose type acknowledgement covers a type
    /// difference here.
    fn shapes(
        &mut self,
        path: &str,
        mine: &Shape,
        theirs: &Shape,
        side: Side,
        field: Option<Place>,
    ) {
        let noun = if field.is_some() { " field" } else { "" };
        let subject = |path: &str| {
            if path.is_empty() {
                side.word().to_owned()
            } else {
                format!("{}{noun} `{path}`", side.word())
            }
        };
        if let Some(text) = mismatch(mine, theirs) {
            let place =
                field.unwrap_or_else(|| Place::Operation(self.operation.to_owned(), Aspect::Type));
            self.report(place, format!("{}: {text}", subject(path)));
            return;
        }
        let nested = if side == Side::Response {
            Side::Response
        } else {
            Side::NestedBody
        };
        match (mine, theirs) {
            (Shape::Array(mine), Shape::Array(theirs)) => {
                self.shapes(&format!("{path}[]"), mine, theirs, nested, field)
            }
            (Shape::Map(mine), Shape::Map(theirs)) => {
                self.shapes(&format!("{path}{{}}"), mine, theirs, nested, field)
            }
            (Shape::Object(mine), Shape::Object(theirs)) => {
                let schema = mine.schema.clone().unwrap_or_default();
                let join = |name: &str| {
                    if path.is_empty() {
                        name.to_owned()
                    } else {
                        format!("{path}.{name}")
                    }
                };
                for name in theirs.fields.keys() {
                    if !mine.fields.contains_key(name) {
                        let at = join(name);
                        self.report(
                            Place::LeftOutField(schema.clone(), name.clone()),
                            format!(
                                "{} field `{at}` is upstream, not in the spec (`{schema}`)",
                                side.word()
                            ),
                        );
                    }
                }
                self.acks.compared(Subject::Schema(schema.clone()));
                for (name, field) in &mine.fields {
                    let at = join(name);
                    let place = |aspect| Place::Field(schema.clone(), name.clone(), aspect);
                    self.acks
                        .compared(Subject::Field(schema.clone(), name.clone()));
                    match theirs.fields.get(name) {
                        None => self.report(
                            place(Aspect::Missing),
                            format!(
                                "{} field `{at}` is in the spec (`{schema}`), not upstream",
                                side.word()
                            ),
                        ),
                        Some(other) => {
                            if self.acks.says_missing(place(Aspect::Missing)) {
                                self.acks.used.insert(place(Aspect::Missing));
                                self.differences.push(Difference {
                                    text: format!("{} field `{at}`: the spec says Pipedrive's files do not have it, and they do", side.word()),
                                    acknowledged: None,
                                });
                            }
                            self.field(&at, field, other, side, &place)
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn field(
        &mut self,
        at: &str,
        mine: &FieldShape,
        theirs: &FieldShape,
        side: Side,
        place: &dyn Fn(Aspect) -> Place,
    ) {
        let subject = format!("{} field `{at}`", side.word());
        if side != Side::Response && mine.required != theirs.required {
            self.report(
                place(Aspect::Required),
                format!(
                    "{subject} is {} here, {} upstream",
                    required_word(mine.required),
                    required_word(theirs.required)
                ),
            );
        }
        // A `json` value holds null as it holds anything else.
        let mine_nullable = mine.nullable || mine.shape == Shape::Any;
        let nullable_differs = match side {
            Side::Body => mine_nullable != theirs.nullable,
            Side::NestedBody | Side::Response => {
                theirs.nullable && !mine_nullable && !mine.required
            }
        };
        if nullable_differs {
            let word = |nullable| if nullable { "nullable" } else { "not nullable" };
            self.report(
                place(Aspect::Nullable),
                format!(
                    "{subject} is {} here, {} upstream",
                    word(mine_nullable),
                    word(theirs.nullable)
                ),
            );
        }
        if mismatch(&mine.shape, &theirs.shape).is_none() {
            self.values(
                &subject,
                &mine.shape,
                &theirs.shape,
                mine.enum_schema.clone(),
                Some(place(Aspect::Type)),
            );
        }
        // The field's own shape: a type difference here is the field's.
        let inner = if side == Side::Response {
            Side::Response
        } else {
            Side::NestedBody
        };
        self.shapes(
            at,
            &mine.shape,
            &theirs.shape,
            inner,
            Some(place(Aspect::Type)),
        );
    }

    /// Compares allowed values. `schema` is the spec enum they come from, whose `values`
    /// acknowledgement covers the difference; without one, `fallback` does.
    fn values(
        &mut self,
        subject: &str,
        mine: &Shape,
        theirs: &Shape,
        schema: Option<String>,
        fallback: Option<Place>,
    ) {
        let place = schema
            .map(Place::Values)
            .or(fallback)
            .unwrap_or_else(|| Place::Operation(self.operation.to_owned(), Aspect::Type));
        let (mine_values, their_values) = (mine.values(), theirs.values());
        let text = match (mine_values, their_values) {
            (Some(mine), Some(theirs)) => {
                let added: Vec<&String> = theirs.iter().filter(|v| !mine.contains(v)).collect();
                let removed: Vec<&String> = mine.iter().filter(|v| !theirs.contains(v)).collect();
                if added.is_empty() && removed.is_empty() {
                    return;
                }
                let list = |values: &[&String]| {
                    values
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                match (added.is_empty(), removed.is_empty()) {
                    (false, true) => {
                        format!("{subject}: upstream adds the values {}", list(&added))
                    }
                    (true, false) => {
                        format!("{subject}: upstream lacks the values {}", list(&removed))
                    }
                    _ => format!(
                        "{subject}: upstream adds the values {} and lacks {}",
                        list(&added),
                        list(&removed)
                    ),
                }
            }
            (Some(_), None) => {
                format!("{subject}: the spec lists its values, and Pipedrive's files do not")
            }
            (None, Some(theirs)) => format!(
                "{subject}: upstream allows only {}, and the spec takes any",
                theirs
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (None, None) => return,
        };
        self.report(place, text);
    }
}

fn required_word(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

/// An upstream default as the spec writes one on the wire.
fn default_text(value: &serde_json::Value, ty: &ir::Type) -> String {
    match (value, ty) {
        (serde_json::Value::Bool(b), ir::Type::Flag) => if *b { "1" } else { "0" }.to_owned(),
        (serde_json::Value::String(s), _) => s.clone(),
        (other, _) => other.to_string(),
    }
}

/// Why two shapes do not match, or `None` when they do (fields, items and values are
/// compared apart). Looser than equality where Pipedrive's files are loose: a flag is
/// a boolean or a number, an integer a number, and a string without a format may hold
/// any format.
fn mismatch(mine: &Shape, theirs: &Shape) -> Option<String> {
    let matches = match (mine, theirs) {
        (_, Shape::Any) | (Shape::Any, _) => true,
        (Shape::Flag, Shape::Boolean | Shape::Integer { .. } | Shape::Number | Shape::Flag) => true,
        (Shape::String { format: mine, .. }, Shape::String { format: theirs, .. }) => {
            theirs.is_none() || mine == theirs
        }
        (Shape::Integer { .. }, Shape::Integer { .. })
        | (Shape::Number, Shape::Number)
        | (Shape::Boolean, Shape::Boolean) => true,
        // Pipedrive's files write `number` for IDs and counts alike.
        (Shape::Integer { .. }, Shape::Number) | (Shape::Number, Shape::Integer { .. }) => true,
        (Shape::Array(_), Shape::Array(_)) | (Shape::Object(_), Shape::Object(_)) => true,
        (Shape::Map(_), Shape::Map(_)) => true,
        (Shape::Map(_), Shape::Object(object)) => object.fields.is_empty(),
        // An object whose fields Pipedrive's files leave open says nothing to compare.
        (Shape::Object(_), Shape::Map(value)) => **value == Shape::Any,
        _ => false,
    };
    (!matches).then(|| {
        format!(
            "type is {} here, {} upstream",
            mine.describe(),
            theirs.describe()
        )
    })
}
