//! The rules of a resource and its operations: names, method, version, path template,
//! parameters, body and response.

use crate::diagnostic::{Code, closest};
use crate::ir::{Content, Format, HttpMethod, Location, PageKind, QueryStyle, TimeFormat, Type};
use crate::load::spec::{self, EnvelopeKind, ListStyle, ParameterLocation};
use crate::names;

use super::names::{
    Scope, reserved_operation, reserved_parameter, reserved_resource, reserved_type,
};
use super::paths::{self as paths, RawSegment};
use super::{
    CheckedOperation, CheckedParam, CheckedResource, CheckedResponse, CheckedShape, Context,
    PathPart,
};

/// Checks the resource of a file and every operation in it.
pub(super) fn check_resource<'s>(
    cx: &mut Context<'s, '_>,
    resource: &'s spec::Resource,
) -> Option<CheckedResource<'s>> {
    let module = match names::check_explicit(&resource.name, false) {
        Ok(module) => Some(module),
        Err(error) => {
            cx.push(cx.error(Code::InvalidName, "resource.name", error.0));
            None
        }
    };
    if let Some(reason) = module.as_deref().and_then(reserved_resource) {
        cx.push(
            cx.error(
                Code::ReservedName,
                "resource.name",
                format!("resource name `{}` {reason}", resource.name),
            )
            .with_hint("choose another resource name"),
        );
    }
    let handle = module
        .as_deref()
        .and_then(|module| names::handle_type(module).ok());
    // The types of the resource's module: its handle, builders and page wrappers.
    let mut types = Scope::default();
    if let Some(handle) = &handle {
        if let Some(reason) = reserved_type(handle) {
            cx.push(
                cx.error(
                    Code::ReservedName,
                    "resource.name",
                    format!(
                        "resource `{}` would have the handle type `{handle}`, which {reason}",
                        resource.name
                    ),
                )
                .with_hint("choose another resource name"),
            );
        }
        let _ = types.take(
            handle,
            format!("the handle type of resource `{}`", resource.name),
        );
    }
    let mock = module
        .as_deref()
        .and_then(|module| names::mock_type(module).ok());
    if let Some(mock) = &mock {
        let _ = types.take(
            mock,
            format!("the mock type of resource `{}`", resource.name),
        );
    }
    cx.require_text("resource.description", &resource.description);
    if cx.file.spec.operations.is_empty() {
        cx.push(
            cx.error(
                Code::EmptyResource,
                "resource",
                format!("resource `{}` has no operations", resource.name),
            )
            .with_hint("describe its operations under `operations`, or remove the resource"),
        );
    }
    let mut methods = Scope::default();
    let mut operations = Vec::new();
    for (id, operation) in &cx.file.spec.operations {
        if let Some(checked) = check_operation(cx, id, operation, &mut methods, &mut types) {
            operations.push(checked);
        }
    }
    for (key, reason) in &resource.upstream.operations {
        cx.require_text(&format!("resource.upstream.operations.{key}"), reason);
    }
    // The resource's models share its module with the handle, the mock and the builders.
    for name in cx.file.spec.schemas.keys() {
        if let Err(other) = types.take(name, format!("schema `{name}`")) {
            cx.push(
                cx.error(
                    Code::NameCollision,
                    format!("schemas.{name}"),
                    format!("schema `{name}` shares its module with {other}, which has that name"),
                )
                .with_hint("rename the schema"),
            );
        }
    }
    Some(CheckedResource {
        module: module?,
        handle: handle?,
        mock: mock?,
        description: &resource.description,
        operations,
        upstream: &resource.upstream,
    })
}

fn check_operation<'s>(
    cx: &mut Context<'s, '_>,
    id: &'s str,
    operation: &'s spec::Operation,
    methods: &mut Scope,
    types: &mut Scope,
) -> Option<CheckedOperation<'s>> {
    let path = format!("operations.{id}");
    cx.require_text(&format!("{path}.summary"), &operation.summary);
    let acks = &operation.upstream;
    for (key, reason) in [
        ("missing", &acks.missing),
        ("method", &acks.method),
        ("path", &acks.path),
        ("status", &acks.status),
        ("pagination", &acks.pagination),
    ] {
        if let Some(reason) = reason {
            cx.require_text(&format!("{path}.upstream.{key}"), reason);
        }
    }
    for (name, reason) in &acks.parameters {
        cx.require_text(&format!("{path}.upstream.parameters.{name}"), reason);
    }
    if let Some(description) = &operation.description {
        cx.require_text(&format!("{path}.description"), description);
    }
    let method_name = match names::check_explicit(&operation.name, false) {
        Ok(name) => Some(name),
        Err(error) => {
            cx.push(cx.error(Code::InvalidName, format!("{path}.name"), error.0));
            None
        }
    };
    let mut builder = None;
    if let Some(name) = &method_name {
        builder = names::builder_type(name).ok();
        if let Some(reason) = reserved_operation(name) {
            cx.push(
                cx.error(
                    Code::ReservedName,
                    format!("{path}.name"),
                    format!("method name `{name}` {reason}"),
                )
                .with_hint("give the operation another `name`"),
            );
        } else if let Err(other) = methods.take(name, format!("operation `{id}`")) {
            cx.push(
                cx.error(
                    Code::NameCollision,
                    format!("{path}.name"),
                    format!("method name `{name}` is also used by {other}"),
                )
                .with_hint("give one of the operations another `name`"),
            );
        } else if let Some(builder) = &builder {
            if let Err(other) =
                types.take(builder, format!("the request builder of operation `{id}`"))
            {
                cx.push(
                    cx.error(
                        Code::NameCollision,
                        format!("{path}.name"),
                        format!(
                            "the request builder `{builder}` of this operation is also {other}"
                        ),
                    )
                    .with_hint("give the operation another `name`"),
                );
            }
        }
    }
    let http_method = parse_method(&operation.method);
    if http_method.is_none() {
        cx.push(
            cx.error(
                Code::UnsupportedMethod,
                format!("{path}.method"),
                format!("unsupported HTTP method `{}`", operation.method),
            )
            .with_hint("use one of GET, POST, PUT, PATCH, DELETE (upper case)"),
        );
    }
    let prefix = check_version(cx, &path, &operation.version);
    let body = operation
        .body
        .as_ref()
        .and_then(|body| check_body(cx, &path, operation, body));
    let mut rust_names = Scope::default();
    let params: Vec<Option<CheckedParam<'s>>> = operation
        .parameters
        .iter()
        .map(|(wire, parameter)| {
            check_parameter(
                cx,
                &format!("{path}.parameters.{wire}"),
                wire,
                parameter,
                &mut rust_names,
            )
        })
        .collect();
    let path_parts = check_path(cx, &path, operation);
    let response = check_response(cx, &path, operation, &params);
    let params: Vec<CheckedParam<'s>> = params.into_iter().collect::<Option<_>>()?;
    Some(CheckedOperation {
        id,
        spec: operation,
        method_name: method_name?,
        builder: builder?,
        http_method: http_method?,
        prefix: prefix?,
        path: path_parts?,
        params,
        body: match (&operation.body, body) {
            (None, _) => None,
            (Some(_), Some(ty)) => Some(ty),
            (Some(_), None) => return None,
        },
        response: response?,
    })
}

fn parse_method(method: &str) -> Option<HttpMethod> {
    Some(match method {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        "PUT" => HttpMethod::Put,
        "PATCH" => HttpMethod::Patch,
        "DELETE" => HttpMethod::Delete,
        _ => return None,
    })
}

fn check_version<'s>(cx: &mut Context<'s, '_>, path: &str, version: &str) -> Option<Vec<&'s str>> {
    if let Some(prefix) = cx.registry.prefix(version) {
        return Some(prefix.to_vec());
    }
    if !cx.registry.versions_unloaded()
        && cx.registry.api.is_some()
        && !cx.registry.declares_version(version)
    {
        let mut diagnostic = cx.error(
            Code::UnknownVersion,
            format!("{path}.version"),
            format!("unknown API version `{version}`"),
        );
        if let Some(close) = closest(version, cx.registry.version_names()) {
            diagnostic = diagnostic.with_hint(format!("did you mean `{close}`?"));
        }
        cx.push(diagnostic);
    }
    None
}

fn check_body(
    cx: &mut Context<'_, '_>,
    path: &str,
    operation: &spec::Operation,
    body: &spec::Body,
) -> Option<(Type, Content)> {
    if operation.method == "GET" {
        cx.push(cx.error(
            Code::BodyNotAllowed,
            format!("{path}.body"),
            "a GET request cannot have a body",
        ));
    }
    cx.require_text(&format!("{path}.body.description"), &body.description);
    let body_path = format!("{path}.body.type");
    let ty = cx.resolve_type(&body_path, &body.ty)?;
    let content = match body.content {
        spec::Content::Json => Content::Json,
        spec::Content::Multipart => Content::Multipart,
    };
    let fits = match (&ty, content) {
        (Type::Struct(_), _) => true,
        (Type::List(item), Content::Json) => matches!(**item, Type::Struct(_)),
        _ => false,
    };
    if !fits {
        let what = match content {
            Content::Json => "a body is an object schema or a list of one",
            Content::Multipart => "a multipart body is an object schema of form fields",
        };
        cx.push(cx.error(
            Code::BodyNotObject,
            &body_path,
            format!("{what}, not `{}`", body.ty.trim()),
        ));
        return None;
    }
    Some((ty, content))
}

/// Parses the path template; every placeholder must name a path parameter and every
/// path parameter must appear.
fn check_path<'s>(
    cx: &mut Context<'s, '_>,
    path: &str,
    operation: &'s spec::Operation,
) -> Option<Vec<PathPart<'s>>> {
    let template = &operation.path;
    let at = format!("{path}.path");
    let raw = match paths::parse(template, "path") {
        Ok(raw) => raw,
        Err(error) => {
            let mut diagnostic = cx.error(Code::BadPath, &at, error.message);
            if let Some(hint) = error.hint {
                diagnostic = diagnostic.with_hint(hint);
            }
            cx.push(diagnostic);
            return None;
        }
    };
    let mut ok = true;
    let mut parts = Vec::with_capacity(raw.len());
    let mut placeholders = Vec::new();
    for segment in raw {
        let name = match segment {
            RawSegment::Literal(text) => {
                parts.push(PathPart::Literal(text));
                continue;
            }
            RawSegment::Placeholder(name) => name,
        };
        if placeholders.contains(&name) {
            cx.push(cx.error(
                Code::RepeatedPlaceholder,
                &at,
                format!("placeholder `{{{name}}}` appears twice in the path `{template}`"),
            ));
            ok = false;
        }
        placeholders.push(name);
        match operation.parameters.get_full(name) {
            Some((index, _, parameter)) if parameter.location == ParameterLocation::Path => {
                parts.push(PathPart::Param(index))
            }
            Some(_) => {
                cx.push(cx.error(
                    Code::PlaceholderInQuery,
                    format!("{path}.parameters.{name}"),
                    format!("`{name}` is in the path template but declared `in: query`"),
                ));
                ok = false;
            }
            None => {
                cx.push(
                    cx.error(Code::UndeclaredPlaceholder, &at, format!("path placeholder `{{{name}}}` has no declared path parameter"))
                        .with_hint(format!("add `{name}: {{in: path, type: integer, description: ...}}` under `parameters`")),
                );
                ok = false;
            }
        }
    }
    for (wire, parameter) in &operation.parameters {
        if parameter.location == ParameterLocation::Path && !placeholders.contains(&wire.as_str()) {
            cx.push(cx.error(
                Code::UnusedPathParameter,
                format!("{path}.parameters.{wire}"),
                format!("path parameter `{wire}` does not appear in the path `{template}`"),
            ));
            ok = false;
        }
    }
    ok.then_some(parts)
}

fn check_parameter<'s>(
    cx: &mut Context<'s, '_>,
    path: &str,
    wire: &'s str,
    parameter: &'s spec::Parameter,
    rust_names: &mut Scope,
) -> Option<CheckedParam<'s>> {
    cx.require_text(&format!("{path}.description"), &parameter.description);
    let acks = &parameter.upstream;
    for (key, reason) in [
        ("missing", &acks.missing),
        ("type", &acks.ty),
        ("required", &acks.required),
        ("default", &acks.default),
        ("style", &acks.style),
    ] {
        if let Some(reason) = reason {
            cx.require_text(&format!("{path}.upstream.{key}"), reason);
        }
    }
    let rust = derived_name(cx, path, wire, parameter.rust_name.as_deref());
    if let Some(name) = &rust {
        if let Some(reason) = reserved_parameter(name) {
            cx.push(
                cx.error(
                    Code::ReservedName,
                    path,
                    format!("parameter name `{name}` {reason}"),
                )
                .with_hint("give another Rust name with `rust_name`"),
            );
        } else if let Err(other) = rust_names.take(name, wire) {
            cx.push(
                cx.error(
                    Code::NameCollision,
                    path,
                    format!("parameters `{other}` and `{wire}` both become the Rust name `{name}`"),
                )
                .with_hint("give one of them another Rust name with `rust_name`"),
            );
        }
    }
    let ty = cx.resolve_type(&format!("{path}.type"), &parameter.ty)?;
    let location = match parameter.location {
        ParameterLocation::Path => Location::Path,
        ParameterLocation::Query => Location::Query,
    };
    let scalar = |t: &Type| {
        matches!(
            t,
            Type::String
                | Type::Integer
                | Type::Number
                | Type::Boolean
                | Type::Flag
                | Type::Enum(_)
                | Type::Id(..)
                | Type::Union(_)
        )
    };
    let allowed = match (&ty, location) {
        (Type::String | Type::Integer | Type::Id(..), Location::Path) => true,
        (_, Location::Path) => false,
        (Type::List(inner), Location::Query) => scalar(inner),
        (other, Location::Query) => scalar(other),
    };
    let written = parameter.ty.trim();
    if !allowed {
        let what = match location {
            Location::Path => "a path parameter must be `string`, `integer` or a typed id",
            Location::Query => "a query parameter must be a primitive, an enum, or a list of them",
        };
        cx.push(cx.error(
            Code::ParameterType,
            format!("{path}.type"),
            format!("{what}, not `{written}`"),
        ));
    }
    let is_list = matches!(ty, Type::List(_));
    let style = match (is_list, parameter.style) {
        (true, None) => {
            cx.push(
                cx.error(
                    Code::MissingStyle,
                    path,
                    "a list parameter needs a `style` saying how it is written",
                )
                .with_hint("`style: comma` for `ids=1,2,3`, `style: explode` for `ids=1&ids=2`"),
            );
            None
        }
        (false, Some(_)) => {
            cx.push(cx.error(
                Code::StyleNotList,
                format!("{path}.style"),
                format!("`style` applies to lists only, and this parameter is `{written}`"),
            ));
            None
        }
        (true, Some(ListStyle::Comma)) => Some(QueryStyle::Comma),
        (true, Some(ListStyle::Explode)) => Some(QueryStyle::Explode),
        (false, None) if ty == Type::Flag => Some(QueryStyle::Flag),
        (false, None) => Some(QueryStyle::Plain),
    };
    let mut ok = allowed && style.is_some();
    if parameter.max_items.is_some() && !is_list {
        cx.push(cx.error(
            Code::MaxItemsNotList,
            format!("{path}.max_items"),
            format!("`max_items` applies to lists only, and this parameter is `{written}`"),
        ));
        ok = false;
    }
    if (parameter.minimum.is_some() || parameter.maximum.is_some())
        && !matches!(ty, Type::Integer | Type::Number)
    {
        cx.push(cx.error(
            Code::BoundsNotNumber,
            path,
            format!(
                "`minimum` and `maximum` apply to numbers only, and this parameter is `{written}`"
            ),
        ));
        ok = false;
    }
    ok &= check_range(cx, path, parameter.minimum, parameter.maximum);
    let format = parameter.format.map(format_of);
    if format.is_some() && ty != Type::String {
        cx.push(cx.error(
            Code::FormatNotString,
            format!("{path}.format"),
            format!("`format` applies to strings only, and this parameter is `{written}`"),
        ));
        ok = false;
    }
    let default = match &parameter.default {
        Some(value) => Some(check_default(
            cx,
            &format!("{path}.default"),
            &ty,
            written,
            value,
            parameter.minimum,
            parameter.maximum,
        )?),
        None => None,
    };
    if !ok {
        return None;
    }
    Some(CheckedParam {
        wire,
        rust: rust?,
        spec: parameter,
        location,
        ty: typed(ty, format),
        style: style?,
        format,
        default,
    })
}

/// Whether `minimum` is not above `maximum`; reports it when it is.
pub(super) fn check_range(
    cx: &mut Context<'_, '_>,
    path: &str,
    minimum: Option<i64>,
    maximum: Option<i64>,
) -> bool {
    match (minimum, maximum) {
        (Some(min), Some(max)) if min > max => {
            cx.push(cx.error(
                Code::InvertedBounds,
                format!("{path}.minimum"),
                format!("`minimum` {min} is above `maximum` {max}"),
            ));
            false
        }
        _ => true,
    }
}

/// The default's wire text, when it fits the type and lies within `minimum` and
/// `maximum`.
pub(super) fn check_default(
    cx: &mut Context<'_, '_>,
    path: &str,
    ty: &Type,
    written: &str,
    default: &serde_yaml::Value,
    minimum: Option<i64>,
    maximum: Option<i64>,
) -> Option<String> {
    let text = check_default_type(cx, path, ty, written, default)?;
    if let Some(value) = default.as_f64() {
        let below = minimum.filter(|min| value < *min as f64);
        let above = maximum.filter(|max| value > *max as f64);
        if let Some(bound) = below
            .map(|min| format!("below the `minimum` {min}"))
            .or_else(|| above.map(|max| format!("above the `maximum` {max}")))
        {
            cx.push(
                cx.error(
                    Code::DefaultOutOfBounds,
                    path,
                    format!("default `{text}` is {bound}, so the server could not assume it"),
                )
                .with_hint("correct the default or the bounds"),
            );
            return None;
        }
    }
    Some(text)
}

/// The default's wire text, when it fits the type.
fn check_default_type(
    cx: &mut Context<'_, '_>,
    path: &str,
    ty: &Type,
    written: &str,
    default: &serde_yaml::Value,
) -> Option<String> {
    use serde_yaml::Value;
    let text = match (ty, default) {
        (Type::String, Value::String(s)) => Some(s.clone()),
        (Type::Integer, Value::Number(n)) if n.is_i64() => Some(n.to_string()),
        (Type::Number, Value::Number(n)) => Some(n.to_string()),
        (Type::Boolean, Value::Bool(b)) => Some(b.to_string()),
        // A flag is sent as `1` or `0`, and its default may be written either way.
        (Type::Flag, Value::Bool(b)) => Some(if *b { "1" } else { "0" }.to_owned()),
        (Type::Flag, Value::Number(n)) if n.as_u64().is_some_and(|n| n <= 1) => Some(n.to_string()),
        (Type::Enum(name), Value::String(_) | Value::Number(_)) => {
            let value = match default {
                Value::Number(n) => n.to_string(),
                other => other.as_str().unwrap_or_default().to_owned(),
            };
            let values = cx.registry.enum_values(name);
            if values.contains(&value) {
                Some(value)
            } else {
                let mut diagnostic = cx.error(
                    Code::DefaultNotValue,
                    path,
                    format!("default `{value}` is not a value of enum `{name}`"),
                );
                if let Some(close) = closest(&value, values.iter().map(String::as_str)) {
                    diagnostic = diagnostic.with_hint(format!("did you mean `{close}`?"));
                }
                cx.push(diagnostic);
                return None;
            }
        }
        _ => None,
    };
    if text.is_none() {
        let mut diagnostic = cx.error(
            Code::DefaultWrongType,
            path,
            format!(
                "default {} does not fit the type `{written}`",
                describe(default)
            ),
        );
        if *ty == Type::Flag {
            diagnostic =
                diagnostic.with_hint("a flag's default is `0` or `1` (or `false` or `true`)");
        }
        cx.push(diagnostic);
    }
    text
}

fn check_response(
    cx: &mut Context<'_, '_>,
    path: &str,
    operation: &spec::Operation,
    params: &[Option<CheckedParam<'_>>],
) -> Option<CheckedResponse> {
    let response = &operation.response;
    let at = format!("{path}.response");
    let mut ok = true;
    if !(200..300).contains(&response.status) {
        cx.push(cx.error(
            Code::BadStatus,
            format!("{at}.status"),
            format!("success status {} is not a 2xx status", response.status),
        ));
        ok = false;
    }
    let data = cx.resolve_type(&format!("{at}.data"), &response.data);
    let page = match response.envelope {
        EnvelopeKind::CursorPage => Some((
            PageKind::Cursor,
            "cursor",
            Type::String,
            "string",
            "cursor_page",
        )),
        EnvelopeKind::OffsetPage => Some((
            PageKind::Offset,
            "start",
            Type::Integer,
            "integer",
            "offset_page",
        )),
        EnvelopeKind::Single | EnvelopeKind::Plain => None,
    };
    let mut items_field = None;
    if let Some(field) = &response.items_field {
        if page.is_none() {
            cx.push(cx.error(
                Code::ItemsFieldNotPage,
                format!("{at}.items_field"),
                "`items_field` applies to page envelopes only",
            ));
            ok = false;
        }
        items_field = Some(field.clone());
    }
    if response.nullable && response.envelope != EnvelopeKind::Single {
        cx.push(
            cx.error(
                Code::NullableNotSingle,
                format!("{at}.nullable"),
                "`nullable` applies to the `single` envelope only",
            )
            .with_hint("a page's `data` of null is an empty page already"),
        );
        ok = false;
    }
    let additional = match &response.additional_data {
        Some(_) if response.envelope != EnvelopeKind::Single => {
            cx.push(
                cx.error(
                    Code::AdditionalNotSingle,
                    format!("{at}.additional_data"),
                    "`additional_data` applies to the `single` envelope only",
                )
                .with_hint("a page keeps its `additional_data` already"),
            );
            ok = false;
            None
        }
        Some(written) => {
            let ty = cx.resolve_type(&format!("{at}.additional_data"), written);
            match ty {
                Some(Type::Struct(name)) => Some(Type::Struct(name)),
                Some(_) => {
                    cx.push(cx.error(
                        Code::BodyNotObject,
                        format!("{at}.additional_data"),
                        format!(
                            "`additional_data` is an object schema, not `{}`",
                            written.trim()
                        ),
                    ));
                    ok = false;
                    None
                }
                None => {
                    ok = false;
                    None
                }
            }
        }
        None => None,
    };
    let shape = match page {
        None => match response.envelope {
            EnvelopeKind::Plain => CheckedShape::Plain(data?),
            _ => CheckedShape::Single {
                data: data?,
                nullable: response.nullable,
                additional,
            },
        },
        Some((kind, name, ty, ty_name, envelope)) => {
            let declared = operation
                .parameters
                .get_index_of(name)
                .map(|index| (index, params.get(index).and_then(Option::as_ref)));
            let position = match declared {
                Some((index, Some(param)))
                    if param.location == Location::Query && param.ty == ty =>
                {
                    index
                }
                // The parameter failed its own checks, and they reported it.
                Some((_, None)) => return None,
                _ => {
                    cx.push(
                        cx.error(Code::CannotPage, format!("{at}.envelope"), format!("envelope `{envelope}` needs a `{name}` query parameter of type `{ty_name}` to page with"))
                            .with_hint(format!("declare `{name}: {{in: query, type: {ty_name}, description: ...}}`, or use envelope `single`")),
                    );
                    return None;
                }
            };
            CheckedShape::Page {
                kind,
                item: data?,
                position,
                items_field,
            }
        }
    };
    ok.then_some(CheckedResponse {
        status: response.status,
        shape,
    })
}

/// The Rust name of `wire`: `explicit` when the spec gives one, else derived.
pub(super) fn derived_name(
    cx: &mut Context<'_, '_>,
    path: &str,
    wire: &str,
    explicit: Option<&str>,
) -> Option<String> {
    match explicit {
        Some(name) => match names::check_explicit(name, false) {
            Ok(name) => Some(name),
            Err(error) => {
                cx.push(cx.error(Code::InvalidName, format!("{path}.rust_name"), error.0));
                None
            }
        },
        None => match names::snake(wire) {
            Ok(name) => Some(name),
            Err(error) => {
                cx.push(
                    cx.error(Code::InvalidName, path, error.0)
                        .with_hint("give the Rust name with `rust_name`"),
                );
                None
            }
        },
    }
}

/// The type a string of a documented format is: a timestamp or a date for the formats
/// the client parses; anything else stays as it is.
pub(super) fn typed(ty: Type, format: Option<Format>) -> Type {
    match (ty, format) {
        (Type::String, Some(Format::Rfc3339)) => Type::Timestamp(TimeFormat::Rfc3339),
        (Type::String, Some(Format::V1Datetime)) => Type::Timestamp(TimeFormat::V1),
        (Type::String, Some(Format::Date)) => Type::Date,
        (ty, _) => ty,
    }
}

pub(super) fn format_of(format: spec::Format) -> Format {
    match format {
        spec::Format::Date => Format::Date,
        spec::Format::Time => Format::Time,
        spec::Format::Rfc3339 => Format::Rfc3339,
        spec::Format::V1Datetime => Format::V1Datetime,
        spec::Format::Uuid => Format::Uuid,
    }
}

fn describe(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::String(s) => format!("`{s}` (a string)"),
        serde_yaml::Value::Number(n) => format!("`{n}` (a number)"),
        serde_yaml::Value::Bool(b) => format!("`{b}` (a boolean)"),
        serde_yaml::Value::Null => "`null`".to_owned(),
        _ => "a collection".to_owned(),
    }
}
