//! The intermediate representation: the spec with every name and type resolved.
//!
//! Emitters see only these types, never YAML strings. Every collection is ordered:
//! resources and model files by module name, everything inside them in spec order.
//! Each item keeps its wire name beside its Rust name.

use crate::load::spec::{EnvelopeKind, Format, ListStyle, ParameterLocation};

/// The whole API.
#[derive(Debug, Clone)]
pub struct Api {
    /// Display name.
    pub name: String,
    /// What the API is.
    pub description: String,
    /// Resources, sorted by module name.
    pub resources: Vec<Resource>,
    /// Model files, sorted by module name.
    pub model_files: Vec<ModelFile>,
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
    /// What the resource is.
    pub description: String,
    /// In spec order.
    pub operations: Vec<Operation>,
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
    /// Parses an upper-case method name.
    pub fn parse(method: &str) -> Option<Self> {
        Some(match method {
            "GET" => Self::Get,
            "POST" => Self::Post,
            "PUT" => Self::Put,
            "PATCH" => Self::Patch,
            "DELETE" => Self::Delete,
            _ => return None,
        })
    }

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
    /// Request builder type (`GetOrganizationRequest`).
    pub builder: String,
    /// HTTP method.
    pub http_method: HttpMethod,
    /// API version name.
    pub version: String,
    /// The full path template, prefix included (`/api/v2/organizations/{id}`).
    pub path_template: String,
    /// The path, split into segments, prefix included.
    pub segments: Vec<Segment>,
    /// One line.
    pub summary: String,
    /// Longer explanation.
    pub description: Option<String>,
    /// Rate-limit tokens.
    pub cost: u32,
    /// OAuth scopes.
    pub scopes: Vec<String>,
    /// The deprecation note, when deprecated.
    pub deprecated: Option<String>,
    /// Path and query parameters, in spec order.
    pub params: Vec<Param>,
    /// The JSON body.
    pub body: Option<Body>,
    /// The successful response.
    pub response: Response,
}

/// A path segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Fixed text.
    Literal(String),
    /// The Rust name of a path parameter.
    Param(String),
}

/// A path or query parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Wire name.
    pub wire: String,
    /// Rust name.
    pub rust: String,
    /// Path or query.
    pub location: ParameterLocation,
    /// Type.
    pub ty: Type,
    /// Whether a call must give it; path parameters always are.
    pub required: bool,
    /// What it does.
    pub description: String,
    /// List encoding, for lists.
    pub style: Option<ListStyle>,
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
}

/// A JSON request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Its type.
    pub ty: Type,
    /// What it carries.
    pub description: String,
}

/// The successful response.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// How the data is wrapped.
    pub envelope: EnvelopeKind,
    /// The data's type; for pages, one item's.
    pub data: Type,
    /// For pages whose `data` is an object: the key of the item list.
    pub items_field: Option<String>,
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
    /// A generated struct, by Rust name.
    Struct(String),
    /// A generated enum, by Rust name.
    Enum(String),
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
    /// What it holds.
    pub description: String,
    /// Documented string format.
    pub format: Option<Format>,
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Rust name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// In spec order.
    pub variants: Vec<Variant>,
}

/// One value of a string enum.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Rust name.
    pub rust: String,
    /// Wire value.
    pub wire: String,
}
