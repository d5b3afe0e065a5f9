//! The checked model: what validation hands to lowering. Every name here is already
//! derived, every type expression parsed and resolved, every HTTP method and path
//! template parsed; spec text that needs no checking is borrowed from the spec as is.
//!
//! A value of these types exists only for a spec that passed every rule, so
//! [`crate::lower`] can turn it into the IR without a failure path.

use crate::ir::{
    Bounds, Content, EnumKind, Format, HttpMethod, IdKind, Location, PageKind, QueryStyle, Type,
    TypeName, UnionVariant,
};
use crate::load::spec;

/// The whole API, checked.
#[derive(Debug)]
pub(crate) struct Checked<'s> {
    /// The one `api` section.
    pub api: &'s spec::Api,
    /// Every file, in name order.
    pub files: Vec<CheckedFile<'s>>,
}

/// One spec file, checked.
#[derive(Debug)]
pub(crate) struct CheckedFile<'s> {
    /// How diagnostics name it.
    pub source: &'s str,
    /// Its module: its resource's, or a shared file's own; `None` for a file of neither.
    pub module: Option<String>,
    /// Its resource and operations.
    pub resource: Option<CheckedResource<'s>>,
    /// Its schemas, in spec order.
    pub schemas: Vec<CheckedSchema<'s>>,
}

/// A resource, checked.
#[derive(Debug)]
pub(crate) struct CheckedResource<'s> {
    /// Module and accessor name.
    pub module: String,
    /// Handle type name.
    pub handle: String,
    /// The type name of its mock.
    pub mock: String,
    /// What it is.
    pub description: &'s str,
    /// In spec order.
    pub operations: Vec<CheckedOperation<'s>>,
    /// Its differences from Pipedrive's files.
    pub upstream: &'s spec::ResourceUpstream,
}

/// An operation, checked.
#[derive(Debug)]
pub(crate) struct CheckedOperation<'s> {
    /// The operation id.
    pub id: &'s str,
    /// The spec node, for the text that needs no checking.
    pub spec: &'s spec::Operation,
    /// The method on the resource handle.
    pub method_name: String,
    /// The request builder type.
    pub builder: String,
    /// The parsed HTTP method.
    pub http_method: HttpMethod,
    /// The version's path prefix, as segments.
    pub prefix: Vec<&'s str>,
    /// The path below the prefix, parsed.
    pub path: Vec<PathPart<'s>>,
    /// In spec order.
    pub params: Vec<CheckedParam<'s>>,
    /// The body's resolved type, and how it is sent.
    pub body: Option<(Type, Content)>,
    /// The success response.
    pub response: CheckedResponse,
}

/// A segment of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathPart<'s> {
    /// Fixed text.
    Literal(&'s str),
    /// A `{name}` placeholder: the index of its parameter.
    Param(usize),
}

/// A parameter, checked.
#[derive(Debug)]
pub(crate) struct CheckedParam<'s> {
    /// Wire name.
    pub wire: &'s str,
    /// Rust name.
    pub rust: String,
    /// The spec node.
    pub spec: &'s spec::Parameter,
    /// Path or query.
    pub location: Location,
    /// The resolved type.
    pub ty: Type,
    /// How a query value is written.
    pub style: QueryStyle,
    /// The documented format.
    pub format: Option<Format>,
    /// The server's default as written on the wire.
    pub default: Option<String>,
}

/// A success response, checked.
#[derive(Debug)]
pub(crate) struct CheckedResponse {
    /// HTTP status.
    pub status: u16,
    /// What it decodes into.
    pub shape: CheckedShape,
}

/// How the data is wrapped.
#[derive(Debug)]
pub(crate) enum CheckedShape {
    /// `{"success": true, "data": T}`, where `data` may be null when `nullable`, with
    /// an `additional_data` worth keeping.
    Single {
        data: Type,
        nullable: bool,
        additional: Option<Type>,
    },
    /// The body is the data.
    Plain(Type),
    /// A page of items.
    Page {
        /// Cursor or offset.
        kind: PageKind,
        /// One item's type.
        item: Type,
        /// The index of the parameter that positions a page.
        position: usize,
        /// The key of the item list when `data` is an object.
        items_field: Option<String>,
    },
}

/// A schema, checked.
#[derive(Debug)]
pub(crate) struct CheckedSchema<'s> {
    /// Rust name (also the spec name).
    pub name: &'s str,
    /// The spec node.
    pub spec: &'s spec::Schema,
    /// What it is.
    pub description: &'s str,
    /// Struct or enum.
    pub kind: CheckedSchemaKind<'s>,
    /// For a schema marked as a field definition, the fields a field index reads; set
    /// once every schema is checked, since the options' schema may be another file's.
    pub definition: Option<CheckedDefinition>,
}

/// The fields of a field definition schema that a field index reads, each a checked
/// field of the right type.
#[derive(Debug, Clone)]
pub(crate) struct CheckedDefinition {
    /// The field's code, by index into the schema's fields.
    pub code: usize,
    /// Its name, likewise.
    pub name: usize,
    /// Its type, likewise.
    pub field_type: usize,
    /// Its options, likewise.
    pub options: usize,
    /// The options' schema.
    pub item: TypeName,
    /// An option's id, by index into the options' schema's fields.
    pub option_id: usize,
    /// An option's label, likewise.
    pub option_label: usize,
}

/// What a schema is.
#[derive(Debug)]
pub(crate) enum CheckedSchemaKind<'s> {
    /// An object with fields.
    Struct(Vec<CheckedField<'s>>),
    /// An enum of strings or of integer codes.
    Enum(EnumKind, Vec<CheckedVariant<'s>>),
    /// A typed id.
    Id(IdKind),
    /// A scalar union, its variants in order.
    Union(Vec<UnionVariant>),
}

/// An enum value, checked.
#[derive(Debug)]
pub(crate) struct CheckedVariant<'s> {
    /// The value as text (a code in decimal).
    pub wire: String,
    /// The code, for an integer enum.
    pub code: Option<i64>,
    /// Rust name.
    pub rust: String,
    /// What it means.
    pub description: Option<&'s str>,
}

/// A field, checked.
#[derive(Debug)]
pub(crate) struct CheckedField<'s> {
    /// Wire name.
    pub wire: &'s str,
    /// Rust name.
    pub rust: String,
    /// The spec node.
    pub spec: &'s spec::Field,
    /// The resolved type.
    pub ty: Type,
    /// The documented format.
    pub format: Option<Format>,
    /// What a request body checks before sending, and the server's default.
    pub bounds: Bounds,
}
