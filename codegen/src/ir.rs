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
    /// How a list parameter is written (comma-joined or exploded).
    Style,
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
    /// The shared files' models, one module each, sorted by module name.
    pub shared: Vec<ModelFile>,
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

/// The models a shared spec file defines, emitted as one module every resource may use.
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
    /// The models its file defines, in spec order.
    pub models: Vec<Model>,
    /// The other resources whose models it uses, by module name, sorted: its cargo
    /// feature enables theirs.
    pub requires: Vec<String>,
    /// Differences from Pipedrive's files.
    pub upstream: Upstream,
}

/// Where a generated type lives: its module (a resource's or a shared file's) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeName {
    /// The module under the crate root.
    pub module: String,
    /// The type's name.
    pub name: String,
}

/// The type's bare name, as a diagnostic or a doc shows it.
impl std::fmt::Display for TypeName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
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
    /// The replacement's method, when it is an operation of the spec.
    pub link: Option<MethodLink>,
    /// Anything else a caller should know.
    pub note: Option<String>,
}

/// A method of a resource handle, to link to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodLink {
    /// The resource's module (also its feature).
    pub module: String,
    /// The handle type.
    pub handle: String,
    /// The method.
    pub method: String,
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

/// How a path parameter's value is held while the path is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathType {
    /// Copied: an `i64` or an integer id.
    Integer,
    /// Borrowed: a `String` or a string id.
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
    /// The parameter once per item: `ids=1&ids=2`.
    Explode,
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

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Its type: a struct, or a list of them.
    pub ty: Type,
    /// What it carries.
    pub description: String,
    /// How it is sent.
    pub content: Content,
}

/// How a request body is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// `application/json`.
    Json,
    /// `multipart/form-data`, an upload.
    Multipart,
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
        /// The type of an `additional_data` worth keeping.
        additional: Option<Type>,
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
    /// An upload's content, in a multipart body.
    File,
    /// `Vec<T>`.
    List(Box<Type>),
    /// `BTreeMap<String, T>`.
    Map(Box<Type>),
    /// A point in time: `jiff::Timestamp` in parameters, `Timestamp` in models.
    Timestamp(TimeFormat),
    /// A calendar date: `jiff::civil::Date` in parameters, `Date` in models.
    Date,
    /// A generated struct.
    Struct(TypeName),
    /// A generated enum.
    Enum(TypeName),
    /// A generated id newtype.
    Id(TypeName, IdKind),
    /// A generated scalar union.
    Union(TypeName),
    /// An item's custom field values, the runtime's `CustomFields`. A field of this type
    /// is never an `Option`: it is empty when the API leaves it out or sends null, and
    /// left out of a body while empty.
    CustomFields,
}

impl Type {
    /// The generated type this names, if it names one.
    pub fn named(&self) -> Option<&TypeName> {
        match self {
            Self::Struct(name) | Self::Enum(name) | Self::Id(name, _) | Self::Union(name) => {
                Some(name)
            }
            _ => None,
        }
    }
}

/// What an id is on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdKind {
    /// An integer.
    Integer,
    /// A string.
    String,
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
    /// An enum of strings or codes.
    Enum(Enum),
    /// An id newtype.
    Id(Id),
    /// A scalar union.
    Union(Union),
}

/// A typed id: a newtype over an integer or a string, so ids of different kinds do not
/// mix.
#[derive(Debug, Clone)]
pub struct Id {
    /// Rust name.
    pub name: String,
    /// What it identifies.
    pub description: String,
    /// Integer or string.
    pub kind: IdKind,
}

/// A value that is one of a few scalar types.
#[derive(Debug, Clone)]
pub struct Union {
    /// Rust name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// One variant per type, in the order they are tried.
    pub variants: Vec<UnionVariant>,
}

/// A variant of a scalar union.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnionVariant {
    /// `Integer(i64)`.
    Integer,
    /// `Number(f64)`.
    Number,
    /// `String(String)`.
    String,
    /// `Boolean(bool)`.
    Boolean,
}

impl UnionVariant {
    /// The variant's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Integer => "Integer",
            Self::Number => "Number",
            Self::String => "String",
            Self::Boolean => "Boolean",
        }
    }
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
    /// Whether it is a multipart body, sent as a form and never read from JSON.
    pub upload: bool,
    /// Which of its fields a field index reads, when the spec marks it as a field
    /// definition (`field_definition:`).
    pub definition: Option<Definition>,
    /// Differences from Pipedrive's files.
    pub upstream: Upstream,
}

/// The fields of a field definition model that the runtime's `FieldDefinition` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// The field's code: a required string or string id, by Rust name.
    pub code: String,
    /// Its name: a string.
    pub name: Member,
    /// Its type: a string or a string enum.
    pub field_type: Member,
    /// Its options: a list of structs.
    pub options: Member,
    /// An option's id, a required field of the option struct (anything `Display`), by
    /// Rust name.
    pub option_id: String,
    /// An option's label: a string field of the option struct.
    pub option_label: Member,
}

/// A field a generated impl reads, and how the model holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The field's Rust name.
    pub rust: String,
    /// `T`, `Option<T>` or `Nullable<T>`.
    pub presence: Presence,
    /// Whether `T` is `String` (rather than a list, or an enum read with its `as_str`).
    pub string: bool,
}

/// How a model holds a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// `T`: a required field.
    Required,
    /// `Option<T>`.
    Optional,
    /// `Nullable<T>`: a nullable field of a request body.
    Nullable,
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
    /// In a request body, what is checked before a request is sent, and the server's
    /// default; all empty elsewhere.
    pub bounds: Bounds,
    /// Differences from Pipedrive's files.
    pub upstream: Upstream,
}

/// The limits on a value a caller sends, and the server's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bounds {
    /// Smallest accepted value.
    pub minimum: Option<i64>,
    /// Largest accepted value.
    pub maximum: Option<i64>,
    /// Most items a list may have.
    pub max_items: Option<u32>,
    /// The server's default, as it would appear on the wire.
    pub default: Option<String>,
}

impl Bounds {
    /// Whether a value must be checked before it is sent.
    pub fn checks(&self) -> bool {
        self.minimum.is_some() || self.maximum.is_some() || self.max_items.is_some()
    }
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
