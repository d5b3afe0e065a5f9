//! The request body and the success response of an operation: the body's type and
//! content, and the response's status, envelope, data and `additional_data`.

use openapiv3::StatusCode;
use serde_json::Value;

use super::names::singular_camel;
use super::openapi::{self, Kind, OperationRef, View};
use super::operations::{Hints, Operations};
use super::schemas::{Ctx, Hint, NO_DESCRIPTION, Role, described};
use super::write::{Entry, Node, raw, text};

impl<'a> Operations<'a> {
    /// The `body:` entry, when the operation takes a body.
    pub(super) fn body(&mut self, op: &OperationRef<'a>, hints: &Hints) -> Option<Entry> {
        let body = op.operation.request_body.as_ref()?;
        let mut reviews = Vec::new();
        let Some(body) = openapi::request_body(self.doc, body) else {
            return Some(
                Entry::new(
                    "body",
                    Node::Block(vec![
                        Entry::new("type", raw("json")),
                        Entry::new("description", text(NO_DESCRIPTION)),
                    ]),
                )
                .reviewed(vec![
                    "Pipedrive's file refers to a request body it does not have".to_owned(),
                ]),
            );
        };
        let pick = |want: &dyn Fn(&str) -> bool| body.content.iter().find(|(mime, _)| want(mime));
        let (mime, media) = pick(&|m| m.contains("json"))
            .or_else(|| pick(&|m| m == "multipart/form-data"))
            .or_else(|| body.content.first())?;
        let role = if mime == "multipart/form-data" {
            Role::Multipart
        } else {
            if !mime.contains("json") {
                reviews.push(format!(
                    "Pipedrive's file gives the body as `{mime}`; drafted as JSON: check what the API takes"
                ));
            }
            Role::Request
        };
        if op.method == "GET" {
            reviews.push(
                "a GET with a body, which the dialect does not allow: check the docs".to_owned(),
            );
        }
        let reader = self.schemas.reader();
        let view = media
            .schema
            .as_ref()
            .and_then(|s| reader.resolve(s))
            .map(|s| reader.view(s))
            .unwrap_or_default();
        let given = body.description.as_deref().or(view.description);
        let (description, description_reviews) = described(given);
        let ctx = Ctx {
            role,
            hint: hints.body.clone(),
            example: media.example.as_ref(),
            top: false,
            description: given.map(str::to_owned),
            noun: hints.noun.clone(),
        };
        let typed = self.schemas.ty(view, &ctx);
        reviews.extend(typed.reviews);
        let mut entries = vec![Entry::new("type", text(&typed.ty))];
        if role == Role::Multipart {
            entries.push(Entry::new("content", raw("multipart")));
        }
        entries.push(Entry::new("description", text(description)).reviewed(description_reviews));
        Some(Entry::new("body", Node::Block(entries)).reviewed(reviews))
    }

    /// The `response:` entry.
    pub(super) fn response(
        &mut self,
        op: &OperationRef<'a>,
        hints: &Hints,
        query: &[String],
    ) -> Entry {
        let mut reviews = Vec::new();
        let successes: Vec<(u16, &openapiv3::ReferenceOr<openapiv3::Response>)> = op
            .operation
            .responses
            .responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c) if (200..300).contains(c) => Some((*c, r)),
                _ => None,
            })
            .collect();
        if successes.len() > 1 {
            let codes: Vec<String> = successes.iter().map(|(c, _)| c.to_string()).collect();
            reviews.push(format!(
                "Pipedrive's file gives several successes ({}); drafted the first",
                codes.join(", ")
            ));
        }
        let Some(&(status, response)) = successes.first() else {
            reviews.push(
                "Pipedrive's file gives no 2xx response; drafted `200` with a `plain` `json` body"
                    .to_owned(),
            );
            return plain_json(200, reviews);
        };
        let Some(response) = openapi::response(self.doc, response) else {
            reviews.push("Pipedrive's file refers to a response it does not have".to_owned());
            return plain_json(status, reviews);
        };
        let Some((mime, media)) = response
            .content
            .iter()
            .find(|(m, _)| m.contains("json"))
            .or_else(|| response.content.first())
        else {
            reviews.push(
                "Pipedrive's file gives the response no body; drafted a `plain` `json` body"
                    .to_owned(),
            );
            return plain_json(status, reviews);
        };
        if !mime.contains("json") {
            reviews.push(format!(
                "Pipedrive's file gives the response as `{mime}`, which the dialect cannot say; drafted `plain` `json`"
            ));
            return plain_json(status, reviews);
        }
        let reader = self.schemas.reader();
        let view = media
            .schema
            .as_ref()
            .and_then(|s| reader.resolve(s))
            .map(|s| reader.view(s))
            .unwrap_or_default();
        let example = media.example.as_ref().or_else(|| {
            media
                .examples
                .values()
                .find_map(|e| e.as_item()?.value.as_ref())
        });
        let mut entries = vec![Entry::new("status", raw(status))];
        let Kind::Object { properties, .. } = &view.kind else {
            return self.plain(view, example, hints, entries, reviews);
        };
        if !properties.contains_key("data") && !properties.contains_key("success") {
            return self.plain(view.clone(), example, hints, entries, reviews);
        }
        let others: Vec<&str> = properties
            .keys()
            .copied()
            .filter(|k| !matches!(*k, "success" | "data" | "additional_data"))
            .collect();
        if !others.is_empty() {
            reviews.push(format!(
                "the response also has {}, which the envelope drops: keep it?",
                quoted(&others)
            ));
        }
        let data_view = properties
            .get("data")
            .map(|p| reader.view_boxed(p))
            .unwrap_or_default();
        let additional = properties
            .get("additional_data")
            .map(|p| reader.view_boxed(p));
        let additional_keys: Vec<&str> = match additional.as_ref().map(|v| &v.kind) {
            Some(Kind::Object { properties, .. }) => properties.keys().copied().collect(),
            _ => Vec::new(),
        };
        let has = |k: &str| additional_keys.contains(&k);
        let cursor_page = has("next_cursor") && query.iter().any(|q| q == "cursor");
        let flat_offsets = has("start") || has("more_items_in_collection");
        let offset_page = (has("pagination") || flat_offsets) && query.iter().any(|q| q == "start");
        let page = if cursor_page {
            Some("cursor_page")
        } else if offset_page {
            Some("offset_page")
        } else {
            None
        };
        let data_example = example.and_then(|e| e.get("data"));
        // The list of a page: `data` itself, or an array field of it.
        let list = match &data_view.kind {
            Kind::Array {
                items: Some(items), ..
            } => Some((
                None,
                *items,
                data_example.and_then(|d| d.as_array()?.first()),
            )),
            Kind::Object { properties, .. } => {
                let arrays: Vec<(&str, View<'a>)> = properties
                    .iter()
                    .map(|(k, p)| (*k, reader.view_boxed(p)))
                    .filter(|(_, v)| matches!(v.kind, Kind::Array { items: Some(_), .. }))
                    .collect();
                // `items`, or the object's only field.
                let chosen =
                    arrays
                        .iter()
                        .find(|(k, _)| *k == "items")
                        .or(if properties.len() == 1 {
                            arrays.first()
                        } else {
                            None
                        });
                match chosen {
                    Some((
                        field,
                        View {
                            kind:
                                Kind::Array {
                                    items: Some(items), ..
                                },
                            ..
                        },
                    )) => {
                        let rest: Vec<&str> =
                            properties.keys().copied().filter(|k| k != field).collect();
                        if page.is_some() && !rest.is_empty() {
                            reviews.push(format!(
                                "the page's items are `data.{field}`; `data` also has {}, which a page drops: keep it?",
                                quoted(&rest)
                            ));
                        }
                        Some((
                            Some(*field),
                            *items,
                            data_example.and_then(|d| d.get(*field)?.as_array()?.first()),
                        ))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        match (page, list) {
            (Some(envelope), Some((field, items, item_example))) => {
                entries.push(Entry::new("envelope", raw(envelope)));
                if let Some(field) = field {
                    entries.push(Entry::new("items_field", text(field)));
                }
                let item_view = reader.view_boxed(items);
                let item_hint = Hint {
                    name: singular_camel(&hints.data.name),
                    derived_from: hints.data.derived_from.clone(),
                };
                let ctx = self.response_ctx(hints, &item_hint, item_example, data_view.description);
                let typed = self.schemas.ty(item_view, &ctx);
                reviews.extend(typed.reviews);
                entries.push(Entry::new("data", text(typed.ty)));
                let paging = [
                    "next_cursor",
                    "pagination",
                    "start",
                    "limit",
                    "more_items_in_collection",
                    "next_start",
                ];
                let extra: Vec<&str> = additional_keys
                    .iter()
                    .copied()
                    .filter(|k| !paging.contains(k))
                    .collect();
                if !extra.is_empty() {
                    reviews.push(format!(
                        "`additional_data` also has {}, which a page drops: keep it?",
                        quoted(&extra)
                    ));
                }
                if envelope == "offset_page" && flat_offsets && !has("pagination") {
                    reviews.push("Pipedrive's file puts the offsets directly under `additional_data`; the page reads `additional_data.pagination`: check an example".to_owned());
                }
            }
            _ => {
                entries.push(Entry::new("envelope", raw("single")));
                if has("next_cursor") || has("pagination") || flat_offsets {
                    reviews.push(
                        "`additional_data` looks like a page's, but the operation has no `cursor` or `start` parameter (or `data` is not a list): drafted `single`".to_owned(),
                    );
                }
                if data_view.nullable {
                    entries.push(Entry::new("nullable", raw(true)));
                }
                let ctx =
                    self.response_ctx(hints, &hints.data, data_example, data_view.description);
                let typed = self.schemas.ty(data_view.clone(), &ctx);
                reviews.extend(typed.reviews);
                entries.push(Entry::new("data", text(typed.ty)));
                let paging_only = additional_keys.iter().all(|k| {
                    matches!(
                        *k,
                        "next_cursor"
                            | "pagination"
                            | "start"
                            | "limit"
                            | "more_items_in_collection"
                    )
                });
                if let Some(additional) = additional.filter(|_| !paging_only) {
                    let ctx = Ctx {
                        top: false,
                        ..self.response_ctx(
                            hints,
                            &hints.additional,
                            example.and_then(|e| e.get("additional_data")),
                            additional.description,
                        )
                    };
                    let typed = self.schemas.ty(additional, &ctx);
                    entries.push(
                        Entry::new("additional_data", text(typed.ty)).reviewed(typed.reviews),
                    );
                }
            }
        }
        Entry::new("response", Node::Block(entries)).reviewed(reviews)
    }

    fn response_ctx<'e>(
        &self,
        hints: &Hints,
        hint: &Hint,
        example: Option<&'e Value>,
        description: Option<&str>,
    ) -> Ctx<'e> {
        Ctx {
            role: Role::Response,
            hint: hint.clone(),
            example,
            top: true,
            description: description.map(str::to_owned),
            noun: hints.noun.clone(),
        }
    }

    /// A response without the `success`/`data` envelope.
    fn plain(
        &mut self,
        view: View<'a>,
        example: Option<&Value>,
        hints: &Hints,
        mut entries: Vec<Entry>,
        mut reviews: Vec<String>,
    ) -> Entry {
        entries.push(Entry::new("envelope", raw("plain")));
        let ctx = self.response_ctx(hints, &hints.data, example, view.description);
        let typed = self.schemas.ty(view, &ctx);
        reviews.extend(typed.reviews);
        reviews.push(
            "the response has no `success`/`data` envelope; drafted `plain`: check an example"
                .to_owned(),
        );
        entries.push(Entry::new("data", text(typed.ty)));
        Entry::new("response", Node::Block(entries)).reviewed(reviews)
    }
}

fn plain_json(status: u16, reviews: Vec<String>) -> Entry {
    Entry::new(
        "response",
        Node::Block(vec![
            Entry::new("status", raw(status)),
            Entry::new("envelope", raw("plain")),
            Entry::new("data", raw("json")),
        ]),
    )
    .reviewed(reviews)
}

fn quoted(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
