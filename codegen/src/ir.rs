//! The intermediate representation: the API with every name resolved, every type
//! parsed and every fact an emitter needs already worked out.
//!
//! Emitters see only these types, never YAML strings or spec nodes, and destructure
//! every struct they read, so a field added here fails to compile there until it is
//! handled. Every collection is ordered: resources and model files by module name,
//! everything inside them in spec order. Each item keeps its wire name beside its
//! Rust name.

/// Differences from Pipedrive's published files that the spec makes on purpose, with
/// their reasons, for `cargo xtask upstream`. Emitters ignore them.
#[derive(Debug, Clone, Default)]
pub struct Upstream {
    /// A reason per aspect that differs.
    pub reasons: std::collections::BTreeMap<Aspect, String>,
    /// A reason per name of Pipedrive's files that the spec leaves out: an operation's
    /// parameters, a schema's fields, a resource's operations (`<version> <id>`).
    pub left_out: indexmap::IndexMap<String, String>,
}

/// What can differ from Pipedrive's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Aspect {
    /// The item is not in Pipedrive's files.
    Missing,
    /// An operation's HTTP method.
    Method,
    /// An operation's path.
    Path,
    /// An operation's success status.
    Status,
    /// How a page lays out `additional_data`.
    Pagination,
    /// A parameter's or field's type.
    Type,
    /// Whether a parameter or field is required.
    Required,
    /// A parameter's default.
    Default,
    /// Whether a field may be null.
    Nullable,
    /// An enum's values.
    Values,
}

/// The whole API.
#[derive(Debug, Clone)]
pub struct Api {
    /// Display name.
    pub name: String,
    /// What the API is.
    pub description: String,
    /// The API versions, in spec order.
    pub versions: Vec<Version>,
    /// Resources, sorted by module name.
    pub resources: Vec<Resource>,
    /// Model files, sorted by module name.
    pub model_files: Vec<ModelFile>,
}

/// One API version.
#[derive(Debug, Clone)]
pub struct Version {
    /// Its name, for example `v2`.
    pub name: String,
    /// The path prefix its operations live under.
    pub prefix: String,
    /// What distinguishes it.
    pub description: String,
}

/// The models one spec file defines, emitted as one module.
#[derive(Debug, Clone)]
pub struct ModelFile {
    /// The spec file they come from.
    pub source: String,
    /// Module name.
    pub module: String,
    /// In spec order.
    pub models: Vec<Model>,
}

/// A group of operations behind one handle type.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The spec file it comes from.
    pub source: String,
    /// Module name, also the accessor method on the client (`organizations`).
    pub module: String,
    /// Handle type name (`Organizations`).
    pub handle: String,
    /// The type name of its mock (`OrganizationsMock`), on `MockServer` behind the
    /// `mock` feature.
    pub mock: String,
    /// What the resource is.
    pub description: String,
    /// In spec order.
    pub operations: Vec<Operation>,
    /// Differences from Pipedrive's files.
    pub upstream: Upstream,
}

/// HTTP methods the generator supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
}

impl HttpMethod {
    /// The upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// The variant name of the runtime's `HttpMethod`.
    pub fn variant(self) -> &'static str {
        match self {
            Self::Get => "Get",
            Self::Post => "Post",
            Self::Put => "Put",
            Self::Patch => "Patch",
            Self::Delete => "Delete",
        }
    }
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Stable operation id (`getOrganization`).
    pub id: String,
    /// Method on the resource handle (`get`).
    pub method_name: String,
    /// Request builder type, named after the method (`GetRequest`).
    pub builder: String,
    /// HTTP method.
    pub http_method: HttpMethod,
    /// API version name.
    pub version: String,
    /// The full path template, prefix included (`/api/v2/organizations/{id}`).
    pub path_template: String,
    /// The path, prefix included, as the segments a request is built from.
    pub segments: Vec<Segment>,
    /// One line.
    pub summary: String,
    /// Longer explanation.
    pub description: Option<String>,
    /// Rate-limit tokens.
    pub cost: u32,
    /// OAuth scopes.
    pub scopes: Vec<String>,
    /// Set when the operation is deprecated.
    pub deprecated: Option<Deprecation>,
    /// Path and query parameters, in spec order.
    pub params: Vec<Param>,
    /// The JSON body.
    pub body: Option<Body>,
    /// What a successful call returns.
    pub response: Response,
    /// Differences from Pipedrive's files.
    pub upstream: Upstream,
}

/// Why and in favour of what an operation is deprecated.
#[derive(Debug, Clone)]
pub struct Deprecation {
    /// The operation to use instead, as `METHOD /path`.
    pub replacement: Option<String>,
    /// Anything else a caller should know.
    pub note: Option<String>,
}

/// A path segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Fixed text.
    Literal(String),
    /// A path parameter's value.
    Param {
        /// The parameter's Rust name.
        rust: String,
        /// How the value is held.
        ty: PathType,
    },
}

/// The types a path parameter can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathType {
    /// `i64`, copied.
    Integer,
    /// `String`, borrowed.
    String,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A segment of the path.
    Path,
    /// The query string.
    Query,
}

/// How a parameter's value is written in the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// The value's `Display`.
    Plain,
    /// `1` or `0`.
    Flag,
    /// The items joined with commas: `ids=1,2,3`.
    Comma,
}

/// The documented wire format of a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone)]
pub struct Param {
    /// Wire name.
    pub wire: String,
    /// Rust name.
    pub rust: String,
    /// Path or query.
    pub location: Location,
    /// Type.
    pub ty: Type,
    /// How a query value is written; `Plain` for path parameters.
    pub style: QueryStyle,
    /// Whether a call must give it; path parameters always must.
    pub required: bool,
    /// What it does.
    pub description: String,
    /// The server's default, as it would appear on the wire.
    pub default: Option<String>,
    /// Smallest accepted value.
    pub minimum: Option<i64>,
    /// Largest accepted value.
    pub maximum: Option<i64>,
    /// Most items a list may have.
    pub max_items: Option<u32>,
    /// Documented string format.
    pub format: Option<Format>,
    /// Differences from Pipedrive's files.
    pub upstream: Upstream,
}

/// A JSON request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Its type.
    pub ty: Type,
    /// What it carries.
    pub description: String,
}

/// What a successful call returns.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status of success.
    pub status: u16,
    /// How the data is wrapped, and what it is.
    pub shape: Shape,
}

/// How a response wraps its data.
#[derive(Debug, Clone)]
pub enum Shape {
    /// `{"success": true, "data": T}`; a list when `data` is a list (null then decodes
    /// as empty), or an `Option` when the spec says `data` may be null.
    Single {
        /// What `data` is.
        data: Type,
        /// Whether `data` may be null.
        nullable: bool,
    },
    /// The body is the data itself.
    Plain(Type),
    /// A page of a list.
    Page(Page),
}

/// A page of a list endpoint.
#[derive(Debug, Clone)]
pub struct Page {
    /// Cursor or offset.
    pub kind: PageKind,
    /// The type of one item.
    pub item: Type,
    /// The query parameter that says where a page starts (`cursor` or `start`), by Rust name.
    pub position: String,
    /// Set when the items sit inside an object rather than directly in `data`.
    pub items_field: Option<String>,
}

/// How a list pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `additional_data.next_cursor`.
    Cursor,
    /// `additional_data.pagination.next_start`.
    Offset,
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// `String`.
    String,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`, JSON `true`/`false`.
    Boolean,
    /// `bool`, JSON `true`/`false` or `0`/`1`.
    Flag,
    /// `serde_json::Value`.
    Json,
    /// `Vec<T>`.
    List(Box<Type>),
    /// `BTreeMap<String, T>`.
    Map(Box<Type>),
    /// A point in time: `jiff::Timestamp` in parameters, `Timestamp` in models.
    Timestamp(TimeFormat),
    /// A calendar date: `jiff::civil::Date` in parameters, `Date` in models.
    Date,
    /// A generated struct, by Rust name.
    Struct(String),
    /// A generated enum, by Rust name.
    Enum(String),
}

/// How a timestamp is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFormat {
    /// RFC 3339, as v2 writes it.
    Rfc3339,
    /// `YYYY-MM-DD HH:MM:SS` in UTC, as v1 writes it.
    V1,
}

/// A generated model.
#[derive(Debug, Clone)]
pub enum Model {
    /// An object.
    Struct(Struct),
    /// A string enum.
    Enum(Enum),
}

/// An object model.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Rust name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// In spec order.
    pub fields: Vec<Field>,
    /// Whether every field's type has a `Default`, so the struct can derive one.
    pub has_default: bool,
    /// Differences from Pipedrive's files.
    pub upstream: Upstream,
}

/// A field of an object model.
#[derive(Debug, Clone)]
pub struct Field {
    /// Wire name.
    pub wire: String,
    /// Rust name.
    pub rust: String,
    /// Type, without the `Option` of a field that is not required.
    pub ty: Type,
    /// Required fields are not `Option`.
    pub required: bool,
    /// Whether the API may send null (documented).
    pub nullable: bool,
    /// Whether the field is absent, null or a value (`Nullable`): a nullable field of a
    /// request body, which can be sent as null to clear it.
    pub three_state: bool,
    /// What it holds.
    pub description: String,
    /// Documented string format.
    pub format: Option<Format>,
    /// Differences from Pipedrive's files.
    pub upstream: Upstream,
}

/// An enum of strings or of integer codes.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Rust name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// Strings or codes.
    pub kind: EnumKind,
    /// In spec order.
    pub variants: Vec<Variant>,
    /// Differences from Pipedrive's files.
    pub upstream: Upstream,
}

/// What an enum's values are on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumKind {
    /// Strings.
    String,
    /// Integer codes, which v1 also writes as strings (`"3"`).
    Integer,
}

/// One value of an enum.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Rust name.
    pub rust: String,
    /// The value as text (a code in decimal).
    pub wire: String,
    /// The code, for an integer enum.
    pub code: Option<i64>,
    /// What the value means, when the spec says.
    pub description: Option<String>,
}
