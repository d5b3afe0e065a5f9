//! The parameters of an operation: types (comma-separated lists from prose, exploded
//! arrays, enums), bounds, defaults and formats, each guess with its review.

use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle};

use super::guess;
use super::names::{camel, reserved, singular_camel};
use super::openapi::{self, Kind, OperationRef, View};
use super::operations::{Hints, Operations, placeholder_name};
use super::schemas::{Ctx, Hint, Role, Typed, bounds, described, node_of};
use super::write::{Entry, Node, raw, text};

impl<'a> Operations<'a> {
    /// The parameters' entries, the query parameters' names, and reviews about those
    /// the dialect has no place for.
    pub(super) fn parameters(
        &mut self,
        op: &OperationRef<'a>,
        hints: &Hints,
    ) -> (Vec<Entry>, Vec<String>, Vec<String>) {
        let mut all: Vec<&'a Parameter> = Vec::new();
        let mut unresolved = 0;
        for p in op.path_parameters.iter().chain(&op.operation.parameters) {
            match openapi::parameter(self.doc, p) {
                Some(p) => {
                    let data = p.parameter_data_ref();
                    let same = |q: &&Parameter| {
                        let d = q.parameter_data_ref();
                        d.name == data.name
                            && std::mem::discriminant(*q) == std::mem::discriminant(p)
                    };
                    all.retain(|q| !same(q));
                    all.push(p);
                }
                None => unresolved += 1,
            }
        }
        let mut entries = Vec::new();
        let mut query = Vec::new();
        let mut left_out = Vec::new();
        if unresolved > 0 {
            left_out.push(format!(
                "{unresolved} parameter reference(s) of Pipedrive's file could not be resolved"
            ));
        }
        for p in all {
            match p {
                Parameter::Query {
                    parameter_data,
                    style,
                    ..
                } => {
                    query.push(parameter_data.name.clone());
                    entries.push(self.parameter(p, hints, "query", Some(style)));
                }
                Parameter::Path { .. } => entries.push(self.parameter(p, hints, "path", None)),
                Parameter::Header { parameter_data, .. }
                | Parameter::Cookie { parameter_data, .. } => {
                    left_out.push(format!(
                        "Pipedrive's file has the header or cookie parameter `{}`, which the dialect cannot say: drop it, or handle it in the runtime",
                        parameter_data.name
                    ));
                }
            }
        }
        (entries, query, left_out)
    }

    fn parameter(
        &mut self,
        p: &'a Parameter,
        hints: &Hints,
        location: &str,
        style: Option<&QueryStyle>,
    ) -> Entry {
        let data = p.parameter_data_ref();
        let key = if location == "path" {
            placeholder_name(&data.name)
        } else {
            data.name.clone()
        };
        let wire = key.as_str();
        let one = self.noun.singular();
        let view = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => self
                .schemas
                .reader()
                .resolve(schema)
                .map(|s| self.schemas.reader().view(s))
                .unwrap_or_default(),
            ParameterSchemaOrContent::Content(_) => View::default(),
        };
        let given = data.description.as_deref().or(view.description);
        let (description, mut reviews) = described(given);
        let example = data.example.as_ref().or(view.example);
        let hint = |list: bool| {
            let name = format!(
                "{}{}",
                hints.parameter_prefix,
                if list {
                    singular_camel(wire)
                } else {
                    camel(wire)
                }
            );
            Hint::derived(name, format!("the parameter `{wire}`"))
        };
        let ctx = |list: bool| Ctx {
            role: Role::Request,
            hint: hint(list),
            example,
            top: false,
            description: given.map(str::to_owned),
            noun: one.clone(),
        };
        let comma = guess::says_comma_separated(&description);
        let mut entries = vec![Entry::new("in", raw(location))];
        let mut style_word = None;
        let mut upstream = None;
        let mut max_items = None;
        let typed: Typed = match (&view.kind, &data.format) {
            (_, ParameterSchemaOrContent::Content(_)) => Typed {
                ty: "json".to_owned(),
                reviews: vec!["Pipedrive's file gives the parameter as `content`, which the dialect cannot say; drafted as `json`".to_owned()],
                ..Typed::default()
            },
            (Kind::Array { max_items: m, .. }, _) => {
                max_items = m.and_then(|n| i64::try_from(n).ok());
                let explode = data.explode.unwrap_or(true);
                match style {
                    Some(QueryStyle::Form) | None if !explode => {
                        style_word = Some("comma");
                        reviews.push(
                            "Pipedrive's file says `explode: false`: drafted `style: comma` (`a=1,2`); check an example request".to_owned(),
                        );
                    }
                    Some(QueryStyle::Form) | None => style_word = Some("explode"),
                    Some(other) => {
                        style_word = Some("comma");
                        reviews.push(format!(
                            "Pipedrive's file says `style: {other:?}`, which the dialect cannot say; drafted `style: comma`"
                        ));
                    }
                }
                self.schemas.ty(view.clone(), &ctx(true))
            }
            (Kind::String { values, .. }, _) if comma && location == "query" => {
                style_word = Some("comma");
                let item = if values.iter().any(Option::is_some) {
                    upstream = Some(format!(
                        "Pipedrive types `{wire}` as one enum value; its description says it takes a comma-separated list of them."
                    ));
                    // Pipedrive's enums of such lists also list combinations (`a,b`).
                    let (combined, single): (Vec<_>, Vec<_>) = values
                        .iter()
                        .cloned()
                        .partition(|v| v.as_deref().is_some_and(|v| v.contains(',')));
                    let mut item_view = view.clone();
                    if !combined.is_empty() && single.iter().any(Option::is_some) {
                        reviews.push(format!(
                            "Pipedrive's enum also lists {} combination{} of values (`{}`); the draft leaves them out of the item enum",
                            combined.len(),
                            if combined.len() == 1 { "" } else { "s" },
                            combined.first().cloned().flatten().unwrap_or_default()
                        ));
                        if let Kind::String { format, .. } = &view.kind {
                            item_view.kind = Kind::String {
                                format: format.clone(),
                                values: single,
                            };
                        }
                    }
                    self.schemas.ty(item_view, &ctx(true))
                } else {
                    upstream = Some(format!(
                        "Pipedrive types `{wire}` as one string; its description says it is a comma-separated list."
                    ));
                    let ty = if guess::typed_id(wire, &one).is_some() { "integer" } else { "string" };
                    Typed { ty: ty.to_owned(), ..Typed::default() }
                };
                reviews.push(format!(
                    "a comma-separated list by its description, drafted as `list<{}>`: check the item type",
                    item.ty
                ));
                Typed {
                    ty: format!("list<{}>", item.ty),
                    reviews: item.reviews,
                    ..Typed::default()
                }
            }
            _ => self.schemas.ty(view.clone(), &ctx(false)),
        };
        reviews.extend(typed.reviews.iter().cloned());
        let list = typed.ty.starts_with("list<");
        if typed.ty == "integer" || typed.ty == "list<integer>" {
            if let Some(id) = guess::typed_id(wire, &one) {
                reviews.push(format!("typed id? (e.g. {id})"));
            }
        }
        if list && max_items.is_none() {
            if let Some(n) =
                guess::up_to_in_text(&description).or_else(|| guess::maximum_in_text(&description))
            {
                max_items = Some(n);
                reviews.push(format!(
                    "`max_items: {n}` guessed from the description: check"
                ));
            }
        }
        entries.push(Entry::new("type", text(&typed.ty)));
        if data.required && location == "query" {
            entries.push(Entry::new("required", raw(true)));
        }
        if let Some(style) = style_word {
            entries.push(Entry::new("style", raw(style)));
        }
        if let Some(n) = max_items {
            entries.push(Entry::new("max_items", raw(n)));
        }
        match view.default.map(|d| (d, node_of(d))) {
            Some((_, Some(node))) if !list => entries.push(Entry::new("default", node)),
            Some((value, _)) => reviews.push(format!(
                "Pipedrive's file gives the default {value}, which the draft cannot say here"
            )),
            None => {}
        }
        let (minimum, mut maximum) = bounds(&view.kind);
        if maximum.is_none() && matches!(view.kind, Kind::Integer { .. }) {
            if let Some(n) = guess::maximum_in_text(&description) {
                maximum = Some(n);
                reviews.push(format!(
                    "`maximum: {n}` guessed from the description: check"
                ));
            }
        }
        if let Some(n) = minimum {
            entries.push(Entry::new("minimum", raw(n)));
        }
        if let Some(n) = maximum {
            entries.push(Entry::new("maximum", raw(n)));
        }
        if let Some(format) = typed.format {
            entries.push(Entry::new("format", raw(format.word())));
        }
        if data.deprecated == Some(true) || view.deprecated {
            reviews.push("Pipedrive marks it deprecated: keep it?".to_owned());
        }
        if let Some(taken) = reserved(wire, true) {
            reviews.push(format!(
                "its Rust name is taken by {taken}: give `rust_name:`"
            ));
        }
        entries.push(Entry::new("description", text(description)));
        if let Some(reason) = upstream {
            entries.push(Entry::new(
                "upstream",
                Node::FlowMap(vec![(text("type"), text(reason))]),
            ));
        }
        Entry::new(wire, Node::Block(entries)).reviewed(reviews)
    }
}
