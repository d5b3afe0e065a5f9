//! The draft's named schemas: objects, enums and scalar unions, each named (components
//! name, cleaned title, or a name derived from where it is used), deduplicated by
//! content, and reviewed where a name or a field needs a person.

use openapiv3::AdditionalProperties;

use super::guess::{self, Format};
use super::names::{camel, reserved, singular_camel};
use super::openapi::{Kind, View};
use super::schemas::{Ctx, Hint, Role, Schemas, bounds, described, node_of};
use super::write::{Node, raw};

/// A field of a drafted object.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Field {
    pub wire: String,
    pub reviews: Vec<String>,
    pub ty: String,
    pub required: bool,
    pub evidence: Option<String>,
    pub nullable: bool,
    pub format: Option<Format>,
    pub default: Option<Node>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub max_items: Option<i64>,
    pub description: String,
}

/// What a named schema is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Body {
    /// An object's fields.
    Fields(Vec<Field>),
    /// Enum values: strings, or integers with placeholder variant names.
    Enum { values: Vec<Node>, integer: bool },
    /// A scalar union.
    OneOf(Vec<&'static str>),
}

/// A named schema of the draft.
#[derive(Debug, Clone)]
pub(super) struct Named {
    pub name: String,
    /// Reviews of the schema as a whole (its name).
    pub reviews: Vec<String>,
    pub description: String,
    pub description_reviews: Vec<String>,
    pub body: Option<Body>,
    /// Reviews of the enum's values or variant names.
    pub value_reviews: Vec<String>,
}

impl<'a> Schemas<'a> {
    pub(super) fn enumeration(
        &mut self,
        view: &View<'a>,
        values: Vec<Node>,
        integer: bool,
        ctx: &Ctx<'_>,
    ) -> String {
        let key = format!("enum|{values:?}");
        if let Some(name) = self.by_content.get(&key) {
            return name.clone();
        }
        let (name, reviews) = self.pick_name(view, &ctx.hint);
        let mut value_reviews = Vec::new();
        if integer {
            value_reviews
                .push("placeholder variant names: name each code from the docs".to_owned());
            if values == [raw(0), raw(1)] {
                value_reviews.push("the codes are 0 and 1: a `flag`?".to_owned());
            }
        } else if values.iter().any(|v| match v {
            Node::Text(t) => !t.chars().next().is_some_and(char::is_alphabetic),
            _ => false,
        }) {
            value_reviews.push(
                "a value does not start with a letter: give `variant_names` for it".to_owned(),
            );
        } else if values
            .iter()
            .any(|v| matches!(v, Node::Text(t) if camel(t) == "Other"))
        {
            value_reviews.push(
                "a value would be the variant `Other`, which the generator keeps for unknown values: give `variant_names` for it".to_owned(),
            );
        }
        let (description, description_reviews) = schema_description(view, ctx);
        self.push(Named {
            name: name.clone(),
            reviews,
            description,
            description_reviews,
            body: Some(Body::Enum { values, integer }),
            value_reviews,
        });
        self.by_content.insert(key, name.clone());
        name
    }

    pub(super) fn object(
        &mut self,
        view: &View<'a>,
        properties: indexmap::IndexMap<&'a str, &'a openapiv3::ReferenceOr<Box<openapiv3::Schema>>>,
        required: &[&str],
        additional: Option<&AdditionalProperties>,
        ctx: &Ctx<'_>,
    ) -> String {
        let (name, mut reviews) = self.pick_name(view, &ctx.hint);
        // Reserve the name and the place: the schema comes before the ones it uses.
        let at = self.named.len();
        self.push(Named {
            name: name.clone(),
            reviews: Vec::new(),
            description: String::new(),
            description_reviews: Vec::new(),
            body: None,
            value_reviews: Vec::new(),
        });
        let mut fields = Vec::new();
        for (wire, property) in properties {
            let field_view = self.reader.view_boxed(property);
            let field = self.field(&name, wire, field_view, required.contains(&wire), ctx);
            fields.push(field);
        }
        let body = Body::Fields(fields);
        let key = content_key(ctx.role, &body);
        if let Some(existing) = self.by_content.get(&key).cloned() {
            // The same schema again: what it uses is the same too, so nothing was added
            // after it.
            self.named.remove(at);
            self.taken.remove(&name);
            self.first_use.remove(&name);
            return existing;
        }
        match additional {
            Some(AdditionalProperties::Any(true)) | Some(AdditionalProperties::Schema(_)) => reviews.push(
                "Pipedrive's file also allows keys it does not declare (`additionalProperties`): check what they are".to_owned(),
            ),
            _ => {}
        }
        if ctx.role != Role::Response {
            if let Some(same) = self.by_content.get(&content_key(Role::Response, &body)) {
                reviews.push(format!(
                    "the same fields as the response schema `{same}`: one schema for both?"
                ));
            }
        }
        let (description, description_reviews) = schema_description(view, ctx);
        let named = &mut self.named[at];
        named.reviews.extend(reviews);
        named.description = description;
        named.description_reviews = description_reviews;
        named.body = Some(body);
        self.by_content.insert(key, name.clone());
        name
    }

    fn field(
        &mut self,
        parent: &str,
        wire: &str,
        view: View<'a>,
        required: bool,
        ctx: &Ctx<'_>,
    ) -> Field {
        let field_ctx = Ctx {
            role: ctx.role,
            hint: Hint::derived(
                format!("{parent}{}", camel(wire)),
                format!("the field `{wire}` of `{parent}`"),
            ),
            example: ctx.example.and_then(|e| e.get(wire)),
            top: false,
            description: view.description.map(str::to_owned),
            noun: singular_camel(wire),
        };
        let deprecated = view.deprecated;
        let default = view.default.and_then(node_of);
        let (minimum, maximum) = bounds(&view.kind);
        let max_items = match &view.kind {
            Kind::Array { max_items, .. } => max_items.and_then(|n| i64::try_from(n).ok()),
            _ => None,
        };
        let (description, mut reviews) = described(view.description);
        let typed = self.ty(view, &field_ctx);
        reviews.extend(typed.reviews);
        if typed.ty == "integer" || typed.ty == "list<integer>" {
            if let Some(id) = guess::typed_id(wire, &ctx.noun) {
                reviews.push(format!("typed id? (e.g. {id})"));
            }
        }
        if deprecated {
            reviews.push("Pipedrive marks it deprecated: keep it?".to_owned());
        }
        if let Some(taken) = reserved(wire, false) {
            reviews.push(format!(
                "its Rust name is taken by {taken}: give `rust_name:`"
            ));
        }
        let mut field = Field {
            wire: wire.to_owned(),
            reviews: Vec::new(),
            ty: typed.ty,
            required: false,
            evidence: None,
            nullable: typed.nullable,
            format: typed.format,
            default: None,
            minimum: None,
            maximum: None,
            max_items: None,
            description,
        };
        match ctx.role {
            Role::Response if ctx.top && wire == "id" => {
                field.required = true;
                field.nullable = false;
                field.evidence = Some("REVIEW: say why the API always sends it (the docs, every example).".to_owned());
                reviews.push(
                    "drafted required as the item's ID: replace the evidence placeholder with what guarantees it, or drop `required`".to_owned(),
                );
            }
            Role::Response if required => reviews.push(
                "Pipedrive marks it required; add required: true with evidence: only if the docs and examples guarantee it".to_owned(),
            ),
            Role::Response => {}
            Role::Request | Role::Multipart => {
                if required && field.nullable {
                    field.nullable = false;
                    reviews.push("Pipedrive marks it both required and nullable; drafted required".to_owned());
                }
                field.required = required;
                field.default = default;
                field.minimum = minimum;
                field.maximum = maximum;
                field.max_items = max_items;
            }
        }
        field.reviews = reviews;
        field
    }

    /// A unique name: the components name, the cleaned title, or the hint.
    pub(super) fn pick_name(&mut self, view: &View<'_>, hint: &Hint) -> (String, Vec<String>) {
        let mut reviews = Vec::new();
        let name = if let Some(component) = view.component {
            camel(component)
        } else if let Some(cleaned) = view.title.and_then(super::names::clean_title) {
            let title = view.title.unwrap_or_default();
            if cleaned != camel(title) || !title.starts_with(|c: char| c.is_uppercase()) {
                reviews.push(format!(
                    "named after Pipedrive's title `{title}`: check the name"
                ));
            }
            cleaned
        } else {
            if let Some(from) = &hint.derived_from {
                reviews.push(format!("name derived from {from}: check the name"));
            }
            hint.name.clone()
        };
        // Generated code names these standard types; the generator refuses them.
        let name = if codegen::contract::PRELUDE_TYPES.contains(&name.as_str()) {
            reviews.push(format!(
                "`{name}` would shadow a standard type; drafted `Pipedrive{name}`: name it"
            ));
            format!("Pipedrive{name}")
        } else {
            name
        };
        let mut unique = name.clone();
        let mut n = 2;
        while self.taken.contains(&unique) {
            unique = format!("{name}{n}");
            n += 1;
        }
        if unique != name {
            let other = self.first_use.get(&name).cloned().unwrap_or_default();
            reviews.push(format!(
                "`{name}` is another schema (of `{other}`) with other contents: merge them, or name this one"
            ));
        }
        (unique, reviews)
    }

    pub(super) fn push(&mut self, named: Named) {
        self.taken.insert(named.name.clone());
        self.first_use
            .entry(named.name.clone())
            .or_insert_with(|| self.operation.clone());
        self.named.push(named);
    }
}

/// A schema's description: its own, else its place's, else a placeholder.
pub(super) fn schema_description(view: &View<'_>, ctx: &Ctx<'_>) -> (String, Vec<String>) {
    let own = view
        .description
        .map(str::to_owned)
        .or_else(|| ctx.description.clone());
    described(own.as_deref())
}

pub(super) fn content_key(role: Role, body: &Body) -> String {
    let mut body = body.clone();
    if let Body::Fields(fields) = &mut body {
        for field in fields {
            field.reviews.clear();
        }
    }
    format!("{role:?}|{body:?}")
}
