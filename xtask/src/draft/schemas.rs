//! Types: each OpenAPI schema an operation uses becomes a type expression of the
//! dialect (`named` makes the named schemas objects, enums and scalar unions need).

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::AdditionalProperties;
use serde_json::Value;

pub(super) use super::named::{Body, Field, Named};

use super::guess::{self, Format};
use super::named::schema_description;
use super::names::singular_camel;
use super::openapi::{Kind, Reader, View};
use super::write::{Node, raw, text};
use crate::upstream::shape::MAX_DEPTH;

/// Where a schema is used: the dialect reads `required` differently in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// A JSON request body.
    Request,
    /// A `multipart/form-data` request body.
    Multipart,
    /// A response.
    Response,
}

/// How to name a schema that needs a name and has no title.
#[derive(Debug, Clone)]
pub(super) struct Hint {
    /// `UpperCamelCase`.
    pub name: String,
    /// What the name was derived from, when it is a guess (`the field `location` of
    /// `Activity``); `None` for an obvious name.
    pub derived_from: Option<String>,
}

impl Hint {
    /// An obvious name.
    pub(super) fn obvious(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            derived_from: None,
        }
    }

    /// A derived name.
    pub(super) fn derived(name: impl Into<String>, from: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            derived_from: Some(from.into()),
        }
    }
}

/// Where a type is drafted.
#[derive(Debug, Clone)]
pub(super) struct Ctx<'v> {
    /// Request or response.
    pub role: Role,
    /// The name for a schema it needs.
    pub hint: Hint,
    /// The example value at this place, from the operation's example body.
    pub example: Option<&'v Value>,
    /// Whether it is the response's own item (whose `id` is drafted required).
    pub top: bool,
    /// The description of the place (field, parameter, body), for a schema without one.
    pub description: Option<String>,
    /// What an `id` field here is the id of (`Deal`; `Owner` inside a field `owner`).
    pub noun: String,
}

/// A drafted type: the type expression and what goes with it.
#[derive(Debug, Clone, Default)]
pub(super) struct Typed {
    /// `integer`, `list<Deal>`, `json`.
    pub ty: String,
    /// A string format.
    pub format: Option<Format>,
    /// Whether the file says it may be null.
    pub nullable: bool,
    /// Review comments about it.
    pub reviews: Vec<String>,
}

impl Typed {
    fn new(ty: impl Into<String>) -> Self {
        Self {
            ty: ty.into(),
            ..Self::default()
        }
    }

    fn json(review: String) -> Self {
        Self {
            ty: "json".to_owned(),
            reviews: vec![review],
            ..Self::default()
        }
    }
}

/// The draft's named schemas, and the types of the operations' schemas.
pub(super) struct Schemas<'a> {
    pub(super) reader: Reader<'a>,
    /// `v1`, `v2`.
    version: String,
    /// The operation being drafted, for review comments.
    pub operation: String,
    /// In the order they were drafted.
    pub(super) named: Vec<Named>,
    /// A key of each schema's contents, to its name: the same contents get one name.
    pub(super) by_content: BTreeMap<String, String>,
    /// The operation that drafted each name.
    pub(super) first_use: BTreeMap<String, String>,
    /// Every name given.
    pub(super) taken: BTreeSet<String>,
    depth: usize,
}

/// The placeholder description of something Pipedrive's file does not describe.
pub(super) const NO_DESCRIPTION: &str = "REVIEW: Pipedrive's file does not describe it.";

impl<'a> Schemas<'a> {
    /// No schemas yet.
    pub(super) fn new(reader: Reader<'a>, version: &str) -> Self {
        Self {
            reader,
            version: version.to_owned(),
            operation: String::new(),
            named: Vec::new(),
            by_content: BTreeMap::new(),
            first_use: BTreeMap::new(),
            taken: BTreeSet::new(),
            depth: 0,
        }
    }

    /// The reader of the document.
    pub(super) fn reader(&self) -> Reader<'a> {
        self.reader
    }

    /// The named schemas, in first-use order.
    pub(super) fn into_named(self) -> Vec<Named> {
        self.named
    }

    /// The type of a schema.
    pub(super) fn ty(&mut self, view: View<'a>, ctx: &Ctx<'_>) -> Typed {
        if self.depth > MAX_DEPTH {
            return Typed::json(format!(
                "nested more than {MAX_DEPTH} levels deep (a recursive schema?); drafted as `json`"
            ));
        }
        self.depth += 1;
        let typed = self.ty_inner(view, ctx);
        self.depth -= 1;
        typed
    }

    fn ty_inner(&mut self, view: View<'a>, ctx: &Ctx<'_>) -> Typed {
        let described = describe_with(&view, ctx);
        match view.kind.clone() {
            Kind::String { values, .. } if values.iter().any(Option::is_some) => {
                let has_null = values.iter().any(Option::is_none);
                let values: Vec<Node> = values.into_iter().flatten().map(text).collect();
                let mut typed = Typed::new(self.enumeration(&view, values, false, ctx));
                typed.nullable = view.nullable || has_null;
                typed
            }
            Kind::Integer { values, .. } if values.iter().any(Option::is_some) => {
                let has_null = values.iter().any(Option::is_none);
                let values: Vec<Node> = values.into_iter().flatten().map(raw).collect();
                let mut typed = Typed::new(self.enumeration(&view, values, true, ctx));
                typed.nullable = view.nullable || has_null;
                typed
            }
            Kind::String { format, .. } => {
                let mut typed = self.string(format.as_deref(), &view, ctx);
                typed.nullable = view.nullable;
                if let Some(values) = described.as_deref().and_then(guess::listed_values) {
                    typed.reviews.push(format!(
                        "the description lists values ({}): an enum?",
                        values.join(", ")
                    ));
                }
                typed
            }
            Kind::Integer { .. } => nullable(Typed::new("integer"), &view),
            Kind::Number { .. } => nullable(Typed::new("number"), &view),
            Kind::Boolean => nullable(Typed::new("boolean"), &view),
            Kind::Array { items: None, .. } => nullable(
                Typed {
                    ty: "list<json>".to_owned(),
                    reviews: vec!["Pipedrive's file gives a list without `items`; drafted as `list<json>`: type the items".to_owned()],
                    ..Typed::default()
                },
                &view,
            ),
            Kind::Array {
                items: Some(items), ..
            } => {
                let item_view = self.reader.view_boxed(items);
                let item_ctx = Ctx {
                    hint: Hint {
                        name: singular_camel(&ctx.hint.name),
                        derived_from: ctx.hint.derived_from.clone(),
                    },
                    example: ctx.example.and_then(|e| e.as_array()?.first()),
                    description: item_view.description.map(str::to_owned).or(described),
                    ..ctx.clone()
                };
                let inner = self.ty(item_view, &item_ctx);
                let mut typed = Typed {
                    ty: format!("list<{}>", inner.ty),
                    format: None,
                    nullable: view.nullable,
                    reviews: inner.reviews,
                };
                if let Some(format) = inner.format {
                    typed.reviews.push(format!(
                        "its items look like `format: {}`, which a list cannot say: check",
                        format.word()
                    ));
                }
                typed
            }
            Kind::Object {
                properties,
                required,
                additional,
            } if !properties.is_empty() => {
                let name = self.object(&view, properties, &required, additional, ctx);
                nullable(Typed::new(name), &view)
            }
            Kind::Object {
                additional: Some(AdditionalProperties::Schema(values)),
                ..
            } => {
                let value_view = match values.as_ref() {
                    openapiv3::ReferenceOr::Item(schema) => self.reader.view(schema),
                    reference => match self.reader.resolve(reference) {
                        Some(schema) => self.reader.view(schema),
                        None => View::default(),
                    },
                };
                let value_ctx = Ctx {
                    hint: Hint {
                        name: format!("{}Value", ctx.hint.name),
                        derived_from: Some(ctx.hint.derived_from.clone().unwrap_or_else(|| format!("`{}`", ctx.hint.name))),
                    },
                    example: None,
                    top: false,
                    description: value_view.description.map(str::to_owned).or(described),
                    ..ctx.clone()
                };
                let inner = self.ty(value_view, &value_ctx);
                let mut typed = nullable(Typed::new(format!("map<{}>", inner.ty)), &view);
                typed.reviews = inner.reviews;
                typed.reviews.push(
                    "Pipedrive's file gives an object of any keys (`additionalProperties`); drafted as a map: check the keys".to_owned(),
                );
                typed
            }
            Kind::Object {
                additional: Some(AdditionalProperties::Any(true)),
                ..
            } => nullable(
                Typed::json(
                    "Pipedrive's file gives an object of any keys and values (`additionalProperties: true`); drafted as `json`: a `map<...>` if the docs say what the values are".to_owned(),
                ),
                &view,
            ),
            Kind::Object { .. } => nullable(
                Typed::json(
                    "Pipedrive's file gives an object without declared properties; drafted as `json`: give it fields or a `map<...>` if the docs say what it holds".to_owned(),
                ),
                &view,
            ),
            Kind::Alternatives { parts, .. } => self.alternatives(&parts, &view, ctx),
            Kind::Untyped => nullable(
                Typed::json("Pipedrive's file gives no type; drafted as `json`: type it from the docs and examples".to_owned()),
                &view,
            ),
            Kind::Unknown => {
                let what = self.reader.describe(&view);
                nullable(
                    Typed::json(format!(
                        "the draft cannot express what Pipedrive's file says ({what}); drafted as `json`"
                    )),
                    &view,
                )
            }
        }
    }

    fn string(&mut self, format: Option<&str>, view: &View<'a>, ctx: &Ctx<'_>) -> Typed {
        let mut typed = Typed::new("string");
        match format {
            Some("date-time") if self.version == "v1" => {
                typed.format = Some(Format::V1Datetime);
                typed.reviews.push(
                    "Pipedrive's file says `date-time`; v1 writes `YYYY-MM-DD HH:MM:SS`, drafted `format: v1_datetime`: check an example".to_owned(),
                );
            }
            Some("date-time") => typed.format = Some(Format::Rfc3339),
            Some("date") => typed.format = Some(Format::Date),
            Some("uuid") => typed.format = Some(Format::Uuid),
            Some("binary") if ctx.role == Role::Multipart => typed.ty = "file".to_owned(),
            Some("binary") => typed.reviews.push(
                "Pipedrive's file says `format: binary` outside a multipart body; drafted as `string`".to_owned(),
            ),
            _ => {
                let example = ctx
                    .example
                    .or(view.example)
                    .and_then(Value::as_str)
                    .and_then(guess::format_of_example);
                let from_text = describe_with(view, ctx)
                    .as_deref()
                    .and_then(guess::format_in_text);
                if let Some((format, source)) = from_text
                    .map(|f| (f, "description"))
                    .or(example.map(|f| (f, "example")))
                {
                    typed.format = Some(format);
                    typed.reviews.push(format!(
                        "`format: {}` guessed from the {source}: check it against an example",
                        format.word()
                    ));
                }
            }
        }
        typed
    }

    /// `oneOf`/`anyOf`: a scalar union when every part is a plain scalar, else `json`.
    fn alternatives(
        &mut self,
        parts: &[&'a openapiv3::Schema],
        view: &View<'a>,
        ctx: &Ctx<'_>,
    ) -> Typed {
        let mut scalars: Vec<&'static str> = Vec::new();
        for part in parts {
            let scalar = match self.reader.view(part).kind {
                Kind::String { values, .. } if values.is_empty() => Some("string"),
                Kind::Integer { values, .. } if values.is_empty() => Some("integer"),
                Kind::Number { .. } => Some("number"),
                Kind::Boolean => Some("boolean"),
                _ => None,
            };
            match scalar {
                Some(s) if !scalars.contains(&s) => scalars.push(s),
                Some(_) => {}
                None => {
                    scalars.clear();
                    break;
                }
            }
        }
        let what = self.reader.describe(view);
        if scalars.len() < 2 {
            return nullable(
                Typed::json(format!(
                    "Pipedrive's file says {what}; drafted as `json`: the dialect has no union of these"
                )),
                view,
            );
        }
        let key = format!("one_of|{scalars:?}");
        let name = match self.by_content.get(&key) {
            Some(name) => name.clone(),
            None => {
                let (name, reviews) = self.pick_name(view, &ctx.hint);
                let description = schema_description(view, ctx);
                self.push(Named {
                    name: name.clone(),
                    reviews,
                    description: description.0,
                    description_reviews: description.1,
                    body: Some(Body::OneOf(scalars.clone())),
                    value_reviews: Vec::new(),
                });
                self.by_content.insert(key, name.clone());
                name
            }
        };
        let mut typed = nullable(Typed::new(name), view);
        typed.reviews.push(format!(
            "Pipedrive's file says {what}; drafted as a scalar union (`one_of: [{}]`): check",
            scalars.join(", ")
        ));
        typed
    }
}

/// A description cleaned for the dialect, or the placeholder with its review.
pub(super) fn described(description: Option<&str>) -> (String, Vec<String>) {
    match description.map(clean_text) {
        Some((text, removed)) if !text.is_empty() => (
            text,
            removed
                .then(|| "control characters were removed from the description".to_owned())
                .into_iter()
                .collect(),
        ),
        _ => (
            NO_DESCRIPTION.to_owned(),
            vec!["Pipedrive's file gives no description: write one from the docs".to_owned()],
        ),
    }
}

/// Text as the dialect takes it: trimmed, line breaks as `\n`, without the control and
/// bidirectional-formatting characters the generator refuses; and whether any were removed.
pub(super) fn clean_text(text: &str) -> (String, bool) {
    let text = text.trim().replace("\r\n", "\n").replace('\r', "\n");
    let forbidden = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    let cleaned: String = text.chars().filter(|&c| !forbidden(c)).collect();
    let removed = cleaned.len() != text.len();
    (cleaned, removed)
}

fn describe_with(view: &View<'_>, ctx: &Ctx<'_>) -> Option<String> {
    view.description
        .map(str::to_owned)
        .or_else(|| ctx.description.clone())
}

fn nullable(mut typed: Typed, view: &View<'_>) -> Typed {
    typed.nullable |= view.nullable;
    typed
}

/// Whole-number bounds of a number.
pub(super) fn bounds(kind: &Kind<'_>) -> (Option<i64>, Option<i64>) {
    let whole = |v: Option<f64>| {
        v.filter(|v| v.fract() == 0.0 && v.abs() < 9.0e15)
            .map(|v| v as i64)
    };
    match kind {
        Kind::Integer {
            minimum, maximum, ..
        } => (*minimum, *maximum),
        Kind::Number { minimum, maximum } => (whole(*minimum), whole(*maximum)),
        _ => (None, None),
    }
}

/// A default value as a node, when it is a scalar.
pub(super) fn node_of(value: &Value) -> Option<Node> {
    match value {
        Value::String(s) => Some(text(s.clone())),
        Value::Number(n) => Some(raw(n)),
        Value::Bool(b) => Some(raw(b)),
        _ => None,
    }
}
