//! Typed fakes of Pipedrive for tests, behind the `mock` feature.
//!
//! A [`MockServer`] is a real HTTP server on loopback (a [`wiremock`] server), and the
//! client a test points at it runs whole: URL building, authentication, retries,
//! decoding. Each resource adds an accessor to the server (`mock.organizations()`), and
//! each of its operations a method that takes the operation's path arguments and returns
//! an [`Expectation`]: what to match beyond the method and path (the query, through the
//! operation's own request builder, and the body, as the operation's own body type),
//! how often, and what to answer with (the operation's success value, an API error, a
//! 429, or a sequence of pages). A request that no expectation matches gets a `404`.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), pipedrive::Error> {
//! use pipedrive::mock::MockServer;
//! use pipedrive::organizations::{NewOrganization, Organization};
//!
//! let mock = MockServer::start().await;
//! mock.organizations()
//!     .add()
//!     .expect_body(|body: &NewOrganization| body.name == "Acme")
//!     .times(1)
//!     .responds(Organization::new(7).name("Acme"))
//!     .await;
//!
//! // The code under test gets a client pointed at the server.
//! let client = mock.client();
//! let created = client.organizations().add(NewOrganization::new("Acme")).await?;
//! assert_eq!(created.data.id.get(), 7);
//! # Ok(())
//! # }
//! ```
//!
//! Expectations with [`times`](Expectation::times) are checked when the server is
//! dropped, or earlier with [`MockServer::verify`]; a count not met fails the test.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use url::Url;

use super::builder::ClientBuilder;
use super::client::Client;
use super::request::Request;
use super::transport::url;

/// The mock server's library, re-exported for expectations the typed helpers do not
/// cover: mount a [`wiremock::Mock`] on [`MockServer::wiremock`].
pub use wiremock;

/// The API token the clients of [`MockServer::client`] and
/// [`MockServer::client_builder`] send.
pub const MOCK_API_TOKEN: &str = "mock-api-token";

/// A fake Pipedrive on loopback, with typed expectations for every operation.
#[derive(Debug)]
pub struct MockServer {
    server: wiremock::MockServer,
    client: Client,
}

impl MockServer {
    /// Starts a server on a free loopback port.
    ///
    /// # Panics
    ///
    /// When no port can be bound, as a test helper does.
    pub async fn start() -> Self {
        let server = wiremock::MockServer::start().await;
        let client = Self::builder_for(&server.uri())
            .build()
            .expect("a client for a loopback base URL always builds");
        Self { server, client }
    }

    fn builder_for(uri: &str) -> ClientBuilder {
        Client::builder()
            .base_url(format!("{uri}/"))
            .api_token(MOCK_API_TOKEN)
    }

    /// A client pointed at this server, authenticating with [`MOCK_API_TOKEN`], with the
    /// default retry policy. Clones share it.
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// A builder pointed at this server, authenticating with [`MOCK_API_TOKEN`], for a
    /// test that configures retries, limits or OAuth itself.
    pub fn client_builder(&self) -> ClientBuilder {
        Self::builder_for(&self.server.uri())
    }

    /// The server's base URL, for example `http://127.0.0.1:41234`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Fails (panics) when an expectation's [`times`](Expectation::times) is not met.
    pub async fn verify(&self) {
        self.server.verify().await;
    }

    /// The client that generated code builds the request builders of expectations with.
    #[allow(
        dead_code,
        reason = "part of the contract with generated code, which uses what its spec needs"
    )]
    pub(crate) fn prototype(&self) -> &Client {
        &self.client
    }

    /// The underlying server, to mount an untyped [`wiremock::Mock`] or read the
    /// requests it received.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }
}

/// The query an operation with a body is matched on: none beyond its path. (The
/// request builders of operations without a body are their queries.)
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
#[derive(Debug)]
pub struct NoQuery {
    request: Request,
}

#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
impl NoQuery {
    pub(crate) fn new(request: Request) -> Self {
        Self { request }
    }

    pub(crate) fn request(&self) -> Request {
        self.request.head()
    }
}

/// The body of an operation that sends none: [`Expectation::expect_body`] does not apply.
#[derive(Debug, Clone, Copy)]
pub struct NoBody;

/// An operation whose success is one value, answered with
/// [`responds`](Expectation::responds).
#[derive(Debug)]
pub struct Data<T>(PhantomData<fn() -> T>);

/// A list operation, answered with one page (`responds`) or several
/// ([`responds_pages`](Expectation::responds_pages)).
#[derive(Debug)]
pub struct Pages<T>(PhantomData<fn() -> T>);

/// An operation whose success is one value with an `additional_data`, answered with
/// [`responds`](Expectation::responds) and a [`WithAdditional`](crate::WithAdditional).
#[derive(Debug)]
pub struct DataWithAdditional<T, A>(PhantomData<fn() -> (T, A)>);

/// How a success body is written.
#[derive(Debug, Clone, Copy)]
#[allow(
    dead_code,
    reason = "each is made by a constructor that a spec may not need"
)]
enum Wire {
    /// `{"success": true, "data": …}`.
    Envelope,
    /// The data itself.
    Plain,
    /// A page with `additional_data.next_cursor`; the items inside `data`, or inside
    /// `data.<items_field>`.
    Cursor {
        position: &'static str,
        items_field: Option<&'static str>,
    },
    /// A page with `additional_data.pagination`.
    Offset {
        position: &'static str,
        items_field: Option<&'static str>,
    },
}

type BodyCheck = Arc<dyn Fn(&[u8]) -> bool + Send + Sync>;

/// One operation's expected request and the answer to it; made by the operation's method
/// on the resource's mock (`mock.organizations().get(1)`).
///
/// `Q` is what the query is matched on (the operation's request builder, or
/// [`NoQuery`]), `K` what a success is ([`Data`] or [`Pages`]) and `B` the body type
/// (or [`NoBody`]). Nothing is mounted until one of the answering methods is awaited.
#[must_use = "nothing is mounted until an answer (`responds`, `fails`, …) is awaited"]
pub struct Expectation<'a, Q, K, B> {
    server: &'a MockServer,
    query: Q,
    request: fn(&Q) -> Request,
    status: u16,
    wire: Wire,
    body: Option<BodyCheck>,
    times: Option<u64>,
    up_to: Option<u64>,
    kind: PhantomData<fn() -> (K, B)>,
}

#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
impl<'a, Q, T, B> Expectation<'a, Q, Data<T>, B> {
    /// An operation answering `{"success": true, "data": …}` with `status`.
    pub(crate) fn envelope(
        server: &'a MockServer,
        query: Q,
        request: fn(&Q) -> Request,
        status: u16,
    ) -> Self {
        Self::new(server, query, request, status, Wire::Envelope)
    }

    /// An operation answering the data itself with `status`.
    pub(crate) fn plain(
        server: &'a MockServer,
        query: Q,
        request: fn(&Q) -> Request,
        status: u16,
    ) -> Self {
        Self::new(server, query, request, status, Wire::Plain)
    }
}

#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
impl<'a, Q, T, B> Expectation<'a, Q, Pages<T>, B> {
    /// A cursor-paginated operation whose position parameter is `position`.
    pub(crate) fn cursor(
        server: &'a MockServer,
        query: Q,
        request: fn(&Q) -> Request,
        status: u16,
        position: &'static str,
        items_field: Option<&'static str>,
    ) -> Self {
        let wire = Wire::Cursor {
            position,
            items_field,
        };
        Self::new(server, query, request, status, wire)
    }

    /// An offset-paginated operation whose position parameter is `position`.
    pub(crate) fn offset(
        server: &'a MockServer,
        query: Q,
        request: fn(&Q) -> Request,
        status: u16,
        position: &'static str,
        items_field: Option<&'static str>,
    ) -> Self {
        let wire = Wire::Offset {
            position,
            items_field,
        };
        Self::new(server, query, request, status, wire)
    }
}

impl<'a, Q, K, B> Expectation<'a, Q, K, B> {
    fn new(
        server: &'a MockServer,
        query: Q,
        request: fn(&Q) -> Request,
        status: u16,
        wire: Wire,
    ) -> Self {
        Self {
            server,
            query,
            request,
            status,
            wire,
            body: None,
            times: None,
            up_to: None,
            kind: PhantomData,
        }
    }

    /// Matches only requests that carry the query parameters `refine` sets, given the
    /// operation's own request builder: `.query(|list| list.owner_id(5).limit(100))`.
    /// Parameters it does not set may be anything.
    pub fn query(mut self, refine: impl FnOnce(Q) -> Q) -> Self {
        self.query = refine(self.query);
        self
    }

    /// Expects exactly `count` matching requests, checked by [`MockServer::verify`] or
    /// when the server drops. For a page sequence, each page expects `count`.
    pub fn times(mut self, count: u64) -> Self {
        self.times = Some(count);
        self
    }

    /// Stops matching after `count` requests, so that an expectation mounted after this
    /// one answers the next: `.up_to(1).rate_limited(…)`, then `.responds(…)`, is a 429
    /// followed by a success.
    pub fn up_to(mut self, count: u64) -> Self {
        self.up_to = Some(count);
        self
    }

    /// Answers with the API's error body `{"success": false, "error": message}` and
    /// `status`, as Pipedrive reports a documented error (`400`, `403`, `404`, …).
    pub async fn fails(self, status: u16, message: &str) {
        let body = json!({ "success": false, "error": message, "data": null });
        let reply = wiremock::ResponseTemplate::new(status).set_body_json(body);
        self.mount(Position::Any, reply).await;
    }

    /// Answers with `429 Too Many Requests`, `Retry-After` and Pipedrive's rate-limit
    /// headers, as the API does when the burst budget is spent.
    pub async fn rate_limited(self, retry_after: Duration) {
        let seconds = retry_after.as_secs().to_string();
        let body = json!({ "success": false, "error": "Request over limit", "data": null });
        let reply = wiremock::ResponseTemplate::new(429)
            .insert_header("retry-after", seconds.as_str())
            .insert_header("x-ratelimit-limit", "40")
            .insert_header("x-ratelimit-remaining", "0")
            .insert_header("x-ratelimit-reset", seconds.as_str())
            .set_body_json(body);
        self.mount(Position::Any, reply).await;
    }

    async fn mount(&self, position: Position, reply: wiremock::ResponseTemplate) {
        let mut request = (self.request)(&self.query);
        let matcher = Matcher::new(
            &self.server.client,
            &mut request,
            self.body.clone(),
            position,
        );
        let mut mock = wiremock::Mock::given(matcher)
            .respond_with(reply)
            .named(request.operation.id);
        if let Some(times) = self.times {
            mock = mock.expect(times);
        }
        if let Some(count) = self.up_to {
            mock = mock.up_to_n_times(count);
        }
        mock.mount(&self.server.server).await;
    }

    fn success(&self, body: Value) -> wiremock::ResponseTemplate {
        wiremock::ResponseTemplate::new(self.status).set_body_json(body)
    }
}

impl<Q, K, B: DeserializeOwned> Expectation<'_, Q, K, B> {
    /// Matches only requests whose JSON body decodes as the operation's body type and
    /// passes `check`: `.expect_body(|body: &NewOrganization| body.name == "Acme")`.
    pub fn expect_body(mut self, check: impl Fn(&B) -> bool + Send + Sync + 'static) -> Self {
        self.body = Some(Arc::new(move |bytes: &[u8]| {
            serde_json::from_slice::<B>(bytes).is_ok_and(|body| check(&body))
        }));
        self
    }
}

impl<Q, T: Serialize, B> Expectation<'_, Q, Data<T>, B> {
    /// Answers with the operation's success status and `data`, in the envelope the API
    /// wraps it in.
    ///
    /// # Panics
    ///
    /// When `data` cannot be written as JSON (a map with non-string keys).
    pub async fn responds(self, data: T) {
        let data = serde_json::to_value(data).expect("mock data serializes to JSON");
        let body = match self.wire {
            Wire::Plain => data,
            Wire::Envelope | Wire::Cursor { .. } | Wire::Offset { .. } => {
                json!({ "success": true, "data": data })
            }
        };
        let reply = self.success(body);
        self.mount(Position::Any, reply).await;
    }
}

#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
impl<'a, Q, T, A, B> Expectation<'a, Q, DataWithAdditional<T, A>, B> {
    /// An operation answering `{"success": true, "data": …, "additional_data": …}` with
    /// `status`.
    pub(crate) fn envelope_with_additional(
        server: &'a MockServer,
        query: Q,
        request: fn(&Q) -> Request,
        status: u16,
    ) -> Self {
        Self::new(server, query, request, status, Wire::Envelope)
    }
}

impl<Q, T: Serialize, A: Serialize, B> Expectation<'_, Q, DataWithAdditional<T, A>, B> {
    /// Answers with the operation's success status, `data` and `additional_data`, in the
    /// envelope the API wraps them in.
    ///
    /// # Panics
    ///
    /// When the value cannot be written as JSON (a map with non-string keys).
    pub async fn responds(self, value: crate::WithAdditional<T, A>) {
        let data = serde_json::to_value(&value.data).expect("mock data serializes to JSON");
        let additional = serde_json::to_value(&value.additional_data)
            .expect("mock additional data serializes to JSON");
        let body = json!({ "success": true, "data": data, "additional_data": additional });
        let reply = self.success(body);
        self.mount(Position::Any, reply).await;
    }
}

impl<Q, T: Serialize, B> Expectation<'_, Q, Pages<T>, B> {
    /// Answers with one page holding `items`, the last.
    ///
    /// # Panics
    ///
    /// When an item cannot be written as JSON.
    pub async fn responds(self, items: Vec<T>) {
        self.responds_pages(vec![items]).await;
    }

    /// Answers with a sequence of pages: the request without a position gets the first,
    /// and each page points to the next (`next_cursor`, or `pagination.next_start`), so
    /// `pages()` and `all_items()` walk them all. An empty list answers one empty page.
    ///
    /// # Panics
    ///
    /// When an item cannot be written as JSON.
    pub async fn responds_pages(self, pages: Vec<Vec<T>>) {
        let pages = if pages.is_empty() {
            vec![Vec::new()]
        } else {
            pages
        };
        let last = pages.len().saturating_sub(1);
        let mut start: u64 = 0;
        for (index, items) in pages.into_iter().enumerate() {
            let count = u64::try_from(items.len()).unwrap_or(u64::MAX);
            let items = serde_json::to_value(items).expect("mock items serialize to JSON");
            let more = index < last;
            let (position, data, additional) = match self.wire {
                Wire::Cursor {
                    position,
                    items_field,
                } => {
                    let at = (index > 0).then(|| cursor(index));
                    let next = more.then(|| cursor(index.saturating_add(1)));
                    (
                        Position::Exactly(position, at),
                        wrap(items, items_field),
                        json!({ "next_cursor": next }),
                    )
                }
                Wire::Offset {
                    position,
                    items_field,
                } => {
                    let next = start.saturating_add(count);
                    let at = (index > 0).then(|| start.to_string());
                    let pagination = json!({
                        "start": start,
                        "limit": count,
                        "more_items_in_collection": more,
                        "next_start": more.then_some(next),
                    });
                    start = next;
                    (
                        Position::Exactly(position, at),
                        wrap(items, items_field),
                        json!({ "pagination": pagination }),
                    )
                }
                Wire::Envelope | Wire::Plain => (Position::Any, items, Value::Null),
            };
            let body = json!({ "success": true, "data": data, "additional_data": additional });
            let reply = self.success(body);
            self.mount(position, reply).await;
        }
    }
}

/// The cursor the mock hands out for page `index` (counting from 0).
fn cursor(index: usize) -> String {
    format!("mock-page-{index}")
}

/// A page's items, inside `{"<field>": [...]}` when the operation nests them.
fn wrap(items: Value, items_field: Option<&str>) -> Value {
    match items_field {
        Some(field) => json!({ field: items }),
        None => items,
    }
}

/// Which page a request asks for.
#[derive(Debug, Clone)]
enum Position {
    /// Whatever the position parameter says.
    Any,
    /// The parameter named `.0` has the value `.1`, or is absent (or `0` for an offset)
    /// when that is `None`.
    Exactly(&'static str, Option<String>),
}

/// What a request must be to match an expectation.
struct Matcher {
    method: &'static str,
    path: String,
    query: Vec<(String, String)>,
    position: Position,
    body: Option<BodyCheck>,
}

impl Matcher {
    fn new(
        client: &Client,
        request: &mut Request,
        body: Option<BodyCheck>,
        position: Position,
    ) -> Self {
        if let Position::Exactly(name, _) = &position {
            // The page sequence decides the position, not the refined query.
            request.query.retain(|(key, _)| key != name);
        }
        let url = url(client, request)
            .unwrap_or_else(|_| Url::parse("http://mock.invalid/").expect("a literal URL parses"));
        Self {
            method: request.operation.method.as_str(),
            path: url.path().to_owned(),
            query: request
                .query
                .iter()
                .map(|(name, value)| ((*name).to_owned(), value.clone()))
                .collect(),
            position,
            body,
        }
    }
}

impl wiremock::Match for Matcher {
    fn matches(&self, request: &wiremock::Request) -> bool {
        if request.method.as_str() != self.method || request.url.path() != self.path {
            return false;
        }
        let pairs: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        if !self.query.iter().all(|pair| pairs.contains(pair)) {
            return false;
        }
        if let Position::Exactly(name, expected) = &self.position {
            let actual = pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str());
            let fits = match (expected, actual) {
                (Some(expected), Some(actual)) => expected == actual,
                (None, None) => true,
                // An offset of 0 is the first page too.
                (None, Some(actual)) => actual == "0",
                (Some(_), None) => false,
            };
            if !fits {
                return false;
            }
        }
        self.body.as_ref().is_none_or(|check| check(&request.body))
    }
}
