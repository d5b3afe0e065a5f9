//! One operation of the draft: its method name and the names its schemas get, cost,
//! scopes and deprecation; `parameters` and `payloads` draft the rest, each a block of
//! entries with the review comments its guesses need.

use openapiv3::OpenAPI;
use serde_json::Value;

use super::names::{Crud, MethodName, Noun, camel, singular_camel, snake};
use super::openapi::OperationRef;
use super::schemas::{Hint, NO_DESCRIPTION, Schemas, described};
use super::write::{Entry, Node, raw, text};

/// Drafts the operations of one resource.
pub(super) struct Operations<'a> {
    pub doc: &'a OpenAPI,
    pub schemas: Schemas<'a>,
    pub noun: Noun,
    /// `v2`.
    pub version: String,
    /// The server URL's path, `/api/v2`.
    pub prefix: String,
}

/// The names the schemas of one operation get when they have no title.
pub(super) struct Hints {
    pub data: Hint,
    pub body: Hint,
    pub additional: Hint,
    /// What the names of parameters' enums start with: `Deal`, or `DealSearch` for an
    /// operation that is not one of the collection's own.
    pub parameter_prefix: String,
    /// What the `id` of its data and body is the id of: `Deal`, `DealFollower`.
    pub noun: String,
}

impl<'a> Operations<'a> {
    /// The entry of one operation, named `method` (with `name_reviews` above the name).
    pub(super) fn operation(
        &mut self,
        id: &str,
        op: &OperationRef<'a>,
        method: &MethodName,
        name: &str,
        name_reviews: Vec<String>,
    ) -> Entry {
        self.schemas.operation = id.to_owned();
        let operation = op.operation;
        let hints = self.hints(id, method, name);
        let (path, path_reviews) = self.path(op.path);
        let mut entries = vec![
            Entry::new("name", text(name)).reviewed(name_reviews),
            Entry::new("method", raw(&op.method)),
            Entry::new("path", text(path)).reviewed(path_reviews),
            Entry::new("version", text(&self.version)),
        ];
        let summary = operation
            .summary
            .as_deref()
            .map(super::schemas::clean_text)
            .map(|(t, _)| t)
            .filter(|s| !s.is_empty());
        entries.push(match summary {
            Some(summary) => Entry::new("summary", text(summary)),
            None => Entry::new("summary", text(NO_DESCRIPTION)).reviewed(vec![
                "Pipedrive's file gives no summary: write one from the docs".to_owned(),
            ]),
        });
        if let Some(description) = operation.description.as_deref() {
            let (description, reviews) = described(Some(description));
            if description != NO_DESCRIPTION {
                entries.push(Entry::new("description", text(description)).reviewed(reviews));
            }
        }
        entries.push(self.cost(op));
        entries.extend(self.scopes(op));
        if operation.deprecated {
            entries.push(
                Entry::new(
                    "deprecated",
                    Node::Block(vec![Entry::new(
                        "note",
                        text("Pipedrive's file marks it deprecated."),
                    )]),
                )
                .reviewed(vec![
                    "Pipedrive marks it deprecated: name the `replacement` (METHOD /path) from the docs".to_owned(),
                ]),
            );
        }
        let (parameters, query, left_out) = self.parameters(op, &hints);
        if !parameters.is_empty() {
            entries.push(Entry::new("parameters", Node::Block(parameters)).reviewed(left_out));
        } else if !left_out.is_empty() {
            entries[0].reviews.extend(left_out);
        }
        if let Some(body) = self.body(op, &hints) {
            entries.push(body);
        }
        entries.push(self.response(op, &hints, &query));
        let mut entry = Entry::new(id, Node::Block(entries));
        entry.gap = true;
        entry
    }

    /// The path below the version's prefix, its placeholders named as the dialect takes
    /// them (`{channel-id}` → `{channel_id}`: a path parameter's name is not sent), and
    /// reviews of what the dialect would refuse.
    fn path(&self, path: &str) -> (String, Vec<String>) {
        let path = match path.strip_prefix(self.prefix.as_str()) {
            Some(rest) if !self.prefix.is_empty() && rest.starts_with('/') => rest,
            _ => path,
        };
        let mut reviews = Vec::new();
        let mut out = String::new();
        for (i, segment) in path.split('/').enumerate() {
            if i > 0 {
                out.push('/');
            }
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) if placeholder_name(name) != name => {
                    reviews.push(format!(
                        "the placeholder `{{{name}}}` is drafted `{{{}}}`, the name of its parameter",
                        placeholder_name(name)
                    ));
                    out.push_str(&format!("{{{}}}", placeholder_name(name)));
                }
                _ => out.push_str(segment),
            }
        }
        if out.len() > 1 && out.ends_with('/') {
            reviews.push(
                "the path ends with `/`, which the dialect does not allow: check whether the API needs it".to_owned(),
            );
        }
        (out, reviews)
    }

    fn hints(&self, id: &str, method: &MethodName, name: &str) -> Hints {
        let one = self.noun.singular();
        let from = format!("the operation `{id}`");
        let rest = camel(&method.rest.join(" "));
        let rest = if rest.is_empty() { camel(id) } else { rest };
        let (data, body) = match method.crud {
            Some(Crud::Delete) => (
                Hint::obvious(format!("Deleted{one}")),
                Hint::obvious(format!("Delete{one}")),
            ),
            Some(Crud::Add) => (Hint::obvious(&one), Hint::obvious(format!("New{one}"))),
            Some(Crud::Update) => (Hint::obvious(&one), Hint::obvious(format!("{one}Update"))),
            Some(Crud::List | Crud::Get) => {
                (Hint::obvious(&one), Hint::obvious(format!("{one}Request")))
            }
            None => {
                let data = match method.verb.as_str() {
                    "get" | "add" | "post" | "create" | "update" | "patch" | "put" => rest.clone(),
                    "delete" | "remove" => format!("Deleted{rest}"),
                    "search" => format!("{}SearchResult", singular_camel(&rest)),
                    _ => format!("{}Result", camel(id)),
                };
                let body = match method.verb.as_str() {
                    "add" | "post" | "create" => format!("New{}", singular_camel(&rest)),
                    "update" | "patch" | "put" => format!("{}Update", singular_camel(&rest)),
                    _ => format!("{}Request", camel(id)),
                };
                (Hint::derived(data, &from), Hint::derived(body, &from))
            }
        };
        let noun = match method.crud {
            Some(_) => one.clone(),
            None => {
                let words: Vec<&str> = method
                    .rest
                    .iter()
                    .map(String::as_str)
                    .filter(|w| !matches!(*w, "Many" | "All"))
                    .collect();
                Some(singular_camel(&words.join(" ")))
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| one.clone())
            }
        };
        let parameter_prefix = match method.crud {
            Some(_) => one,
            None => format!("{one}{}", camel(name)),
        };
        Hints {
            data,
            body,
            additional: Hint::derived(format!("{}AdditionalData", camel(id)), from),
            parameter_prefix,
            noun,
        }
    }

    fn cost(&self, op: &OperationRef<'_>) -> Entry {
        match op
            .operation
            .extensions
            .get("x-token-cost")
            .and_then(Value::as_u64)
        {
            Some(cost) => Entry::new("cost", raw(cost)),
            None => Entry::new("cost", raw(0)).reviewed(vec![
                "Pipedrive's file gives no `x-token-cost`: take the cost from the docs".to_owned(),
            ]),
        }
    }

    fn scopes(&self, op: &OperationRef<'_>) -> Option<Entry> {
        let security = op
            .operation
            .security
            .as_ref()
            .or(self.doc.security.as_ref());
        let mut scopes: Vec<&str> = Vec::new();
        for requirement in security.into_iter().flatten() {
            for scope in requirement.get("oauth2").into_iter().flatten() {
                if !scopes.contains(&scope.as_str()) {
                    scopes.push(scope);
                }
            }
        }
        if scopes.is_empty() {
            return Some(
                Entry::new("scopes", Node::FlowList(Vec::new())).reviewed(vec![
                    "Pipedrive's file names no `oauth2` scopes: take them from the docs".to_owned(),
                ]),
            );
        }
        Some(Entry::new(
            "scopes",
            Node::FlowList(scopes.into_iter().map(text).collect()),
        ))
    }
}

/// The name a path parameter is drafted with: its own, or `snake_case` when it holds
/// characters a placeholder cannot (`channel-id` → `channel_id`).
pub(super) fn placeholder_name(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !name.is_empty() {
        name.to_owned()
    } else {
        snake(name)
    }
}
