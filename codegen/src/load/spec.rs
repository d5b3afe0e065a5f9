//! The spec exactly as written in YAML: one struct per kind of node, unknown keys rejected.
//!
//! Nothing here is resolved: types are still the strings a person wrote, names are
//! still wire names. [`crate::validate`] checks these nodes and [`crate::lower`] turns
//! them into the IR. Maps keep the order of the file (`IndexMap`).

use indexmap::IndexMap;
use serde::Deserialize;

/// One file under `spec/`. A file may describe the API as a whole (`api`), a resource
/// with its operations, shared schemas, or any mix of these. The loader decodes each
/// section and entry on its own, so that every broken one is reported.
#[derive(Debug, Clone, Default)]
pub struct SpecFile {
    /// What the whole API shares; exactly one file has it.
    pub api: Option<Api>,
    /// The resource this file's operations belong to.
    pub resource: Option<Resource>,
    /// Operations, keyed by their stable operation id.
    pub operations: IndexMap<String, Operation>,
    /// Named schemas, keyed by their Rust type name.
    pub schemas: IndexMap<String, Schema>,
}

/// The API as a whole.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// Display name, used in docs.
    pub name: String,
    /// What the API is.
    pub description: String,
    /// API versions by name, each with the path prefix its operations live under.
    pub versions: IndexMap<String, Version>,
}

/// One API version.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    /// Path prefix, for example `/api/v2`.
    pub prefix: String,
    /// What distinguishes this version.
    pub description: String,
}

/// A resource: a group of operations with one client handle (`client.organizations()`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// Snake-case name: the module and the accessor method.
    pub name: String,
    /// What the resource is.
    pub description: String,
    /// Where the spec departs from Pipedrive's published files, and why.
    #[serde(default)]
    pub upstream: ResourceUpstream,
}

/// One HTTP operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// The Rust method name on the resource handle, for example `list`.
    pub name: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template below the version prefix, with `{name}` placeholders.
    pub path: String,
    /// A key of `api.versions`.
    pub version: String,
    /// One line.
    pub summary: String,
    /// Longer explanation.
    #[serde(default)]
    pub description: Option<String>,
    /// Rate-limit tokens one call costs.
    pub cost: u32,
    /// OAuth scopes, any one of which allows the call.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Set when the operation is deprecated.
    #[serde(default)]
    pub deprecated: Option<Deprecation>,
    /// Path and query parameters, keyed by wire name, in the order the builder lists them.
    #[serde(default)]
    pub parameters: IndexMap<String, Parameter>,
    /// The JSON request body.
    #[serde(default)]
    pub body: Option<Body>,
    /// The successful response.
    pub response: Response,
    /// Where the spec departs from Pipedrive's published files, and why.
    #[serde(default)]
    pub upstream: OperationUpstream,
}

/// Why and in favour of what an operation is deprecated.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// The operation to use instead, as `METHOD /path`.
    #[serde(default)]
    pub replacement: Option<String>,
    /// Anything else a caller should know.
    #[serde(default)]
    pub note: Option<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParameterLocation {
    /// A `{name}` segment of the path.
    Path,
    /// The query string.
    Query,
}

/// How a list parameter is written in the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListStyle {
    /// One parameter whose value joins the items with commas: `ids=1,2,3`.
    Comma,
    /// The parameter once per item: `deal_ids=1&deal_ids=2`.
    Explode,
}

/// The documented wire format of a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `YYYY-MM-DD`.
    Date,
    /// `HH:MM` or `HH:MM:SS`.
    Time,
    /// An RFC 3339 timestamp, as v2 uses.
    Rfc3339,
    /// `YYYY-MM-DD HH:MM:SS` in UTC, as v1 uses.
    V1Datetime,
    /// A UUID.
    Uuid,
}

/// A path or query parameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// Path or query.
    #[serde(rename = "in")]
    pub location: ParameterLocation,
    /// A type expression: `string`, `integer`, `list<integer>`, a schema name, ...
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether a call must give it. Path parameters always must.
    #[serde(default)]
    pub required: bool,
    /// What it does.
    pub description: String,
    /// How a list is written; required for lists, forbidden otherwise.
    #[serde(default)]
    pub style: Option<ListStyle>,
    /// The value the server assumes when the parameter is absent (documented, never sent).
    #[serde(default)]
    pub default: Option<serde_yaml::Value>,
    /// Smallest accepted value.
    #[serde(default)]
    pub minimum: Option<i64>,
    /// Largest accepted value.
    #[serde(default)]
    pub maximum: Option<i64>,
    /// Most items a list may have.
    #[serde(default)]
    pub max_items: Option<u32>,
    /// Documented string format.
    #[serde(default)]
    pub format: Option<Format>,
    /// Rust name, when the one derived from the wire name will not do.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// Where the spec departs from Pipedrive's published files, and why.
    #[serde(default)]
    pub upstream: ParameterUpstream,
}

/// How a request body is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Content {
    /// `application/json`.
    #[default]
    Json,
    /// `multipart/form-data`: an upload.
    Multipart,
}

/// A request body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// A schema name, or `list<Schema>`.
    #[serde(rename = "type")]
    pub ty: String,
    /// What the body carries.
    pub description: String,
    /// JSON unless it is an upload.
    #[serde(default)]
    pub content: Content,
}

/// How the successful response wraps its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvelopeKind {
    /// `{"success": true, "data": ...}`.
    Single,
    /// `{"success": true, "data": [...], "additional_data": {"next_cursor": ...}}`.
    CursorPage,
    /// `{"success": true, "data": [...], "additional_data": {"pagination": {...}}}`.
    OffsetPage,
    /// The body is the data itself.
    Plain,
}

/// The successful response of an operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// HTTP status of success.
    pub status: u16,
    /// How the data is wrapped.
    pub envelope: EnvelopeKind,
    /// The data's type; for pages, the type of one item.
    pub data: String,
    /// For pages whose `data` is an object: the key of the item list inside it.
    #[serde(default)]
    pub items_field: Option<String>,
    /// For `single`: whether `data` may be null, so the call returns an `Option`.
    #[serde(default)]
    pub nullable: bool,
    /// For `single`: the schema of an `additional_data` worth keeping.
    #[serde(default)]
    pub additional_data: Option<String>,
}

/// A named schema: a struct (`fields`) or an enum (`enum`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// What it is.
    pub description: String,
    /// The fields of an object, keyed by wire name.
    #[serde(default)]
    pub fields: Option<IndexMap<String, Field>>,
    /// The wire values of an enum: all strings, or all integers.
    #[serde(default, rename = "enum")]
    pub values: Option<Vec<WireValue>>,
    /// A typed id: what the id is on the wire.
    #[serde(default)]
    pub id: Option<IdKind>,
    /// A scalar union: the types a value may have, in the order they are tried.
    #[serde(default)]
    pub one_of: Option<Vec<String>>,
    /// Rust names for enum values, keyed by wire value: needed for integer values, and
    /// for string values whose derived name will not do.
    #[serde(default)]
    pub variant_names: IndexMap<WireValue, String>,
    /// What each enum value means, keyed by wire value.
    #[serde(default)]
    pub variant_descriptions: IndexMap<WireValue, String>,
    /// Marks an object as the definition of a field (of deals, persons, ...), which a
    /// field index reads: the names of the fields that hold what it reads.
    #[serde(default)]
    pub field_definition: Option<DefinitionFields>,
    /// Where the spec departs from Pipedrive's published files, and why.
    #[serde(default)]
    pub upstream: SchemaUpstream,
}

/// Which fields of a field definition schema hold what a field index reads, by wire
/// name: the field's code, name, type and options, and each option's id and label (fields
/// of the options' schema).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefinitionFields {
    /// The field's code, the key of its value in an item: a required string or string id.
    pub code: String,
    /// The name users know the field by: a string.
    pub name: String,
    /// The field's type: a string or a string enum.
    #[serde(rename = "type")]
    pub ty: String,
    /// The options of an option field: a list of an object schema.
    pub options: String,
    /// An option's id, a required field of the options' schema.
    pub option_id: String,
    /// An option's label, a string field of the options' schema.
    pub option_label: String,
}

/// What a typed id is on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// An integer.
    Integer,
    /// A string, such as a UUID.
    String,
}

/// An enum value as written: a string, or an integer code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum WireValue {
    /// `open`, `not opened`.
    String(String),
    /// `3`.
    Integer(i64),
}

impl WireValue {
    /// The value as text: a string as it is, an integer in decimal.
    pub fn text(&self) -> String {
        match self {
            Self::String(text) => text.clone(),
            Self::Integer(code) => code.to_string(),
        }
    }
}

impl<'de> Deserialize<'de> for WireValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WireVisitor;

        impl serde::de::Visitor<'_> for WireVisitor {
            type Value = WireValue;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or an integer")
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<WireValue, E> {
                Ok(WireValue::String(value.to_owned()))
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<WireValue, E> {
                Ok(WireValue::Integer(value))
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<WireValue, E> {
                i64::try_from(value)
                    .map(WireValue::Integer)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(value), &self))
            }

            fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<WireValue, E> {
                // YAML reads an unquoted `yes`, `no`, `true` or `false` as a boolean.
                Ok(WireValue::String(value.to_string()))
            }
        }

        deserializer.deserialize_any(WireVisitor)
    }
}

/// A field of an object schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// A type expression.
    #[serde(rename = "type")]
    pub ty: String,
    /// What it holds.
    pub description: String,
    /// Whether it is always present and never null. Required fields are not `Option`.
    #[serde(default)]
    pub required: bool,
    /// Why a required field of a response is always there: what Pipedrive documents
    /// and the examples confirm. A response field is an `Option` unless it has this.
    #[serde(default)]
    pub evidence: Option<String>,
    /// Whether the API may send `null` and, in a request body, accepts it to clear the
    /// field. Every field that is not required is an `Option` (or, in a body, a
    /// `Nullable`); `required` and `nullable` together are a contradiction.
    #[serde(default)]
    pub nullable: bool,
    /// Documented string format.
    #[serde(default)]
    pub format: Option<Format>,
    /// In a request body: the value the server assumes when the field is left out
    /// (documented, never sent).
    #[serde(default)]
    pub default: Option<serde_yaml::Value>,
    /// In a request body: the smallest value the API accepts, checked before sending.
    #[serde(default)]
    pub minimum: Option<i64>,
    /// In a request body: the largest value the API accepts, checked before sending.
    #[serde(default)]
    pub maximum: Option<i64>,
    /// In a request body: the most items a list may have, checked before sending.
    #[serde(default)]
    pub max_items: Option<u32>,
    /// Rust name, when the one derived from the wire name will not do.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// Where the spec departs from Pipedrive's published files, and why.
    #[serde(default)]
    pub upstream: FieldUpstream,
}

/// What `cargo xtask upstream` is told about an operation: the differences from
/// Pipedrive's published files that the spec makes on purpose, each with its reason.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationUpstream {
    /// Pipedrive's files do not have the operation.
    #[serde(default)]
    pub missing: Option<String>,
    /// The HTTP method differs.
    #[serde(default)]
    pub method: Option<String>,
    /// The path differs.
    #[serde(default)]
    pub path: Option<String>,
    /// The success status differs.
    #[serde(default)]
    pub status: Option<String>,
    /// The page's `additional_data` is laid out differently.
    #[serde(default)]
    pub pagination: Option<String>,
    /// Parameters Pipedrive's files have that the spec leaves out, by wire name.
    #[serde(default)]
    pub parameters: IndexMap<String, String>,
}

/// Differences of a parameter from Pipedrive's files, each with its reason.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterUpstream {
    /// Pipedrive's files do not have the parameter.
    #[serde(default)]
    pub missing: Option<String>,
    /// Its type differs.
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    /// Whether it is required differs.
    #[serde(default)]
    pub required: Option<String>,
    /// Its default differs.
    #[serde(default)]
    pub default: Option<String>,
    /// How a list is written differs (comma-joined or exploded).
    #[serde(default)]
    pub style: Option<String>,
}

/// Differences of a schema from Pipedrive's files, each with its reason.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaUpstream {
    /// Fields Pipedrive's files have that the spec leaves out, by wire name.
    #[serde(default)]
    pub fields: IndexMap<String, String>,
    /// An enum's values differ.
    #[serde(default)]
    pub values: Option<String>,
}

/// Differences of a field from Pipedrive's files, each with its reason.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldUpstream {
    /// Pipedrive's files do not have the field.
    #[serde(default)]
    pub missing: Option<String>,
    /// Its type differs.
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    /// Whether it is required differs.
    #[serde(default)]
    pub required: Option<String>,
    /// Whether it may be null differs.
    #[serde(default)]
    pub nullable: Option<String>,
}

/// What `cargo xtask upstream` is told about a resource.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceUpstream {
    /// Operations of Pipedrive's files on the resource's paths that the spec does not
    /// describe, keyed `<version> <operationId>`, with the reason.
    #[serde(default)]
    pub operations: IndexMap<String, String>,
}
