//! Typed fakes of Pipedrive for tests, behind the `mock` feature.
//!
//! A [`MockServer`] is a real HTTP server on loopback (a [`wiremock`] server), and the
//! client a test points at it runs whole: URL building, authentication, retries,
//! decoding. Each resource adds an accessor to the server (`mock.organizations()`), and
//! each of its operations a method that takes the operation's path arguments and returns
//! an [`Expectation`]: what to match beyond the method and path (the query, through the
//! operation's own request builder, and the body, as the operation's own body type),
//! how often, and what to answer with (the operation's success value, an API error, a
//! 429, or a sequence of pages), and with which response headers. A request that no
//! expectation matches gets a `404` whose JSON body, in Pipedrive's error shape, names
//! the request and says that no expectation matched it, so a failing test explains
//! itself.
//!
//! The server's clients authenticate with one credential each: [`MockServer::client`]
//! and [`MockServer::client_builder`] with the API token [`MOCK_API_TOKEN`], and
//! [`MockServer::oauth_client_builder`] with OAuth tokens that the server's own token
//! endpoint ([`MockServer::oauth_token_endpoint`]) refreshes.
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

use std::borrow::Cow;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use url::Url;

use super::auth::{OAuth, OAuthTokens};
use super::builder::ClientBuilder;
use super::client::Client;
use super::request::Request;
use super::response::RateLimit;
use super::transport::url;

/// The mock server's library, re-exported for expectations the typed helpers do not
/// cover: mount a [`wiremock::Mock`] on [`MockServer::wiremock`].
pub use wiremock;

/// The API token the clients of [`MockServer::client`] and
/// [`MockServer::client_builder`] send.
pub const MOCK_API_TOKEN: &str = "mock-api-token";

/// The OAuth client id of the app [`MockServer::oauth`] sets up, which the server's token
/// endpoint expects (with [`MOCK_CLIENT_SECRET`], as HTTP Basic credentials).
pub const MOCK_CLIENT_ID: &str = "mock-client-id";

/// The OAuth client secret of the app [`MockServer::oauth`] sets up.
pub const MOCK_CLIENT_SECRET: &str = "mock-client-secret";

/// Where the mock's OAuth token endpoint is, below its base URL.
const TOKEN_PATH: &str = "/oauth/token";

/// A fake Pipedrive on loopback, with typed expectations for every operation.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), pipedrive::Error> {
/// use pipedrive::mock::MockServer;
/// use pipedrive::organizations::Organization;
///
/// let mock = MockServer::start().await;
/// mock.organizations().get(1).responds(Organization::new(1).name("Acme")).await;
/// // The code under test gets `mock.client()` in place of a real client.
/// let organization = mock.client().organizations().get(1).await?;
/// assert_eq!(organization.name.as_deref(), Some("Acme"));
/// # Ok(())
/// # }
/// ```
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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::Organization;
    ///
    /// // One server per test, so tests that run at once do not share expectations.
    /// let mock = MockServer::start().await;
    /// mock.organizations().list().responds(vec![Organization::new(1), Organization::new(2)]).await;
    /// assert_eq!(mock.client().organizations().list().await?.items.len(), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start() -> Self {
        let server = wiremock::MockServer::start().await;
        let client = Self::builder_for(&server.uri())
            .build()
            .expect("a client for a loopback base URL always builds");
        // Last of all: answers what no expectation (and no untyped mock) matched.
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(Unmatched)
            .with_priority(u8::MAX)
            .named("no expectation matched")
            .mount(&server)
            .await;
        Self { server, client }
    }

    fn builder_for(uri: &str) -> ClientBuilder {
        Client::builder()
            .base_url(format!("{uri}/"))
            .api_token(MOCK_API_TOKEN)
    }

    /// A client pointed at this server, authenticating with [`MOCK_API_TOKEN`], with the
    /// default retry policy. Clones share it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::DeletedOrganization;
    ///
    /// # async fn remove_organization(client: &pipedrive::Client, id: i64) -> Result<(), pipedrive::Error> {
    /// #     client.organizations().delete(id).await.map(|_| ())
    /// # }
    /// let mock = MockServer::start().await;
    /// mock.organizations().delete(9).times(1).responds(DeletedOrganization::new(9)).await;
    /// // The code under test takes a `Client`; give it this one.
    /// remove_organization(&mock.client(), 9).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// A builder pointed at this server, authenticating with [`MOCK_API_TOKEN`], for a
    /// test that configures retries, limits or timeouts itself.
    ///
    /// A client uses one credential, so this builder is for API-token clients only:
    /// given [`oauth`](ClientBuilder::oauth) as well, it fails to build. For OAuth use
    /// [`oauth_client_builder`](Self::oauth_client_builder).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::RetryPolicy;
    /// use pipedrive::mock::MockServer;
    ///
    /// let mock = MockServer::start().await;
    /// let client = mock.client_builder().retry_policy(RetryPolicy::none()).build()?;
    /// # let _ = client;
    /// # Ok(())
    /// # }
    /// ```
    pub fn client_builder(&self) -> ClientBuilder {
        Self::builder_for(&self.server.uri())
    }

    /// OAuth credentials for `tokens`, of the app [`MOCK_CLIENT_ID`] /
    /// [`MOCK_CLIENT_SECRET`], refreshed at this server's token endpoint (see
    /// [`oauth_token_endpoint`](Self::oauth_token_endpoint)). Set
    /// [`on_refresh`](OAuth::on_refresh) or a refresh timeout on it as on any `OAuth`,
    /// then hand it to [`oauth_client_builder`](Self::oauth_client_builder).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::OAuthTokens;
    /// use pipedrive::mock::MockServer;
    ///
    /// let mock = MockServer::start().await;
    /// let oauth = mock
    ///     .oauth(OAuthTokens::new("access-1", "refresh-1"))
    ///     .on_refresh(|tokens| async move { println!("store {tokens:?}"); Ok::<(), std::io::Error>(()) });
    /// let client = mock.oauth_client_builder(oauth).build()?;
    /// # let _ = client;
    /// # Ok(())
    /// # }
    /// ```
    pub fn oauth(&self, tokens: OAuthTokens) -> OAuth {
        OAuth::new(MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, tokens)
            .token_url(format!("{}{TOKEN_PATH}", self.server.uri()))
    }

    /// A builder pointed at this server that authenticates with `oauth` (usually from
    /// [`oauth`](Self::oauth)) and no API token: requests carry
    /// `Authorization: Bearer` with its access token, and refreshes go to its token
    /// URL.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::OAuthTokens;
    /// use pipedrive::mock::MockServer;
    ///
    /// let mock = MockServer::start().await;
    /// let client = mock
    ///     .oauth_client_builder(mock.oauth(OAuthTokens::new("access-1", "refresh-1")))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(())
    /// # }
    /// ```
    pub fn oauth_client_builder(&self, oauth: OAuth) -> ClientBuilder {
        Client::builder()
            .base_url(format!("{}/", self.server.uri()))
            .oauth(oauth)
    }

    /// The server's OAuth token endpoint (`POST /oauth/token`), which the credentials of
    /// [`oauth`](Self::oauth) refresh at: expect a refresh and answer it with new tokens
    /// or an error. It matches a refresh (`grant_type=refresh_token`) authenticated as
    /// the app [`MOCK_CLIENT_ID`] / [`MOCK_CLIENT_SECRET`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use std::time::{Duration, SystemTime};
    /// use pipedrive::OAuthTokens;
    /// use pipedrive::mock::MockServer;
    ///
    /// let mock = MockServer::start().await;
    /// let renewed = OAuthTokens::new("access-2", "refresh-2")
    ///     .expires_at(SystemTime::now() + Duration::from_secs(3600));
    /// mock.oauth_token_endpoint()
    ///     .expect_refresh_token("refresh-1")
    ///     .times(1)
    ///     .responds(renewed)
    ///     .await;
    /// mock.organizations().get(1).responds(pipedrive::organizations::Organization::new(1)).await;
    ///
    /// // The access token has expired: the first call refreshes it.
    /// let expired = OAuthTokens::new("access-1", "refresh-1").expires_at(SystemTime::UNIX_EPOCH);
    /// let client = mock.oauth_client_builder(mock.oauth(expired)).build()?;
    /// client.organizations().get(1).await?;
    /// mock.verify().await;
    /// # Ok(())
    /// # }
    /// ```
    pub fn oauth_token_endpoint(&self) -> TokenEndpoint<'_> {
        TokenEndpoint {
            server: self,
            refresh_token: None,
            times: None,
            up_to: None,
        }
    }

    /// The server's base URL, for example `http://127.0.0.1:41234`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::Client;
    /// use pipedrive::mock::{MOCK_API_TOKEN, MockServer};
    ///
    /// let mock = MockServer::start().await;
    /// // For code that builds its own client from a configured URL and token.
    /// let client = Client::builder().base_url(mock.uri()).api_token(MOCK_API_TOKEN).build()?;
    /// # let _ = client;
    /// # Ok(())
    /// # }
    /// ```
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Fails (panics) when an expectation's [`times`](Expectation::times) is not met.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::Organization;
    ///
    /// let mock = MockServer::start().await;
    /// mock.organizations().get(1).times(1).responds(Organization::new(1)).await;
    /// mock.client().organizations().get(1).await?;
    /// // Checked here, before the test goes on; dropping `mock` checks it too.
    /// mock.verify().await;
    /// # Ok(())
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::HttpMethod;
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::mock::wiremock::matchers::{method, path};
    /// use pipedrive::mock::wiremock::{Mock, ResponseTemplate};
    ///
    /// let mock = MockServer::start().await;
    /// // An endpoint the crate does not cover, called with `Client::request`.
    /// Mock::given(method("GET"))
    ///     .and(path("/api/v1/webhooks"))
    ///     .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"success": true, "data": []}"#))
    ///     .mount(mock.wiremock())
    ///     .await;
    /// let webhooks = mock.client().request(HttpMethod::Get, "/api/v1/webhooks").await?;
    /// assert_eq!(webhooks.data, serde_json::json!([]));
    /// # Ok(())
    /// # }
    /// ```
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }
}

/// The query an operation with a body is matched on: none beyond its path. (The
/// request builders of operations without a body are their queries.)
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use pipedrive::mock::{Data, Expectation, MockServer, NoQuery};
/// use pipedrive::organizations::{NewOrganization, Organization};
///
/// let mock = MockServer::start().await;
/// // `add` sends a body: it is matched on its path and body, not on a query.
/// let add: Expectation<'_, NoQuery, Data<Organization>, NewOrganization> = mock.organizations().add();
/// add.expect_body(|new| new.name == "Acme").responds(Organization::new(7)).await;
/// # }
/// ```
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
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use pipedrive::mock::{Data, Expectation, MockServer, NoBody};
/// use pipedrive::organizations::{GetRequest, Organization};
///
/// let mock = MockServer::start().await;
/// // A `GET` sends no body, so there is no `expect_body` to call.
/// let get: Expectation<'_, GetRequest, Data<Organization>, NoBody> = mock.organizations().get(1);
/// get.responds(Organization::new(1)).await;
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct NoBody;

/// An operation whose success is one value, answered with
/// [`responds`](Expectation::responds).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), pipedrive::Error> {
/// use pipedrive::mock::{Data, Expectation, MockServer};
/// use pipedrive::organizations::Organization;
///
/// /// A test helper for any operation that answers one organization.
/// async fn answers_acme<Q, B>(expectation: Expectation<'_, Q, Data<Organization>, B>) {
///     expectation.responds(Organization::new(1).name("Acme")).await;
/// }
///
/// let mock = MockServer::start().await;
/// answers_acme(mock.organizations().get(1)).await;
/// answers_acme(mock.organizations().update(1)).await;
/// assert_eq!(mock.client().organizations().get(1).await?.name.as_deref(), Some("Acme"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Data<T>(PhantomData<fn() -> T>);

/// A list operation, answered with one page (`responds`) or several
/// ([`responds_pages`](Expectation::responds_pages)).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), pipedrive::Error> {
/// use futures::TryStreamExt;
/// use pipedrive::mock::{Expectation, MockServer, Pages};
/// use pipedrive::organizations::Organization;
///
/// /// A test helper for any list of organizations: serves them two to a page.
/// async fn paged<Q, B>(list: Expectation<'_, Q, Pages<Organization>, B>, all: &[Organization]) {
///     list.responds_pages(all.chunks(2).map(<[_]>::to_vec).collect()).await;
/// }
///
/// let mock = MockServer::start().await;
/// paged(mock.organizations().list(), &[Organization::new(1), Organization::new(2), Organization::new(3)]).await;
/// let all: Vec<_> = mock.client().organizations().list().all_items().try_collect().await?;
/// assert_eq!(all.len(), 3);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Pages<T>(PhantomData<fn() -> T>);

/// An operation whose success is one value with an `additional_data`, answered with
/// [`responds`](Expectation::responds) and a [`WithAdditional`](crate::WithAdditional).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), pipedrive::Error> {
/// use pipedrive::WithAdditional;
/// use pipedrive::deal_products::{DeletedDealProducts, DeletedDealProductsInfo};
/// use pipedrive::mock::{DataWithAdditional, Expectation, MockServer};
///
/// let mock = MockServer::start().await;
/// // Removing a deal's products answers the IDs removed, and whether more are left.
/// let delete: Expectation<'_, _, DataWithAdditional<DeletedDealProducts, DeletedDealProductsInfo>, _> =
///     mock.deal_products().delete_many(5);
/// let more_left = DeletedDealProductsInfo::default().more_items_in_collection(true);
/// delete.responds(WithAdditional::new(DeletedDealProducts::default().ids([1, 2]), Some(more_left))).await;
///
/// let deleted = mock.client().deal_products().delete_many(5).await?;
/// assert_eq!(deleted.additional_data.as_ref().and_then(|info| info.more_items_in_collection), Some(true));
/// # Ok(())
/// # }
/// ```
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
/// [`NoQuery`]), `K` what a success is ([`Data`], [`DataWithAdditional`] or [`Pages`])
/// and `B` the body type (or [`NoBody`]). Nothing is mounted until one of the answering
/// methods is awaited.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), pipedrive::Error> {
/// use pipedrive::mock::MockServer;
/// use pipedrive::organizations::Organization;
///
/// let mock = MockServer::start().await;
/// mock.organizations()
///     .list()
///     .query(|list| list.owner_id(5)) // what to match
///     .times(1) // how often
///     .responds(vec![Organization::new(1)]) // what to answer
///     .await;
/// assert_eq!(mock.client().organizations().list().owner_id(5).await?.items.len(), 1);
/// # Ok(())
/// # }
/// ```
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
    /// Response headers every answer carries, after its own (so they win).
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Parameter segments of the path match any value.
    any_path_values: bool,
    /// Query parameters that must not be sent.
    absent: Vec<String>,
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
            headers: Vec::new(),
            any_path_values: false,
            absent: Vec::new(),
            kind: PhantomData,
        }
    }

    /// Matches only requests that carry the query parameters `refine` sets, given the
    /// operation's own request builder: `.query(|list| list.owner_id(5).limit(100))`.
    /// Parameters it does not set may be anything.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::Organization;
    ///
    /// let mock = MockServer::start().await;
    /// mock.organizations().list().query(|list| list.owner_id(5)).responds(vec![Organization::new(1)]).await;
    /// let client = mock.client();
    /// assert_eq!(client.organizations().list().owner_id(5).limit(100).await?.items.len(), 1);
    /// // Another owner matches no expectation: a 404.
    /// assert!(client.organizations().list().owner_id(6).await.unwrap_err().is_not_found());
    /// # Ok(())
    /// # }
    /// ```
    pub fn query(mut self, refine: impl FnOnce(Q) -> Q) -> Self {
        self.query = refine(self.query);
        self
    }

    /// Expects exactly `count` matching requests, checked by [`MockServer::verify`] or
    /// when the server drops. For a page sequence, each page expects `count`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::DeletedOrganization;
    ///
    /// let mock = MockServer::start().await;
    /// // Deleted once: not twice, and not forgotten.
    /// mock.organizations().delete(9).times(1).responds(DeletedOrganization::new(9)).await;
    /// mock.client().organizations().delete(9).await?;
    /// mock.verify().await;
    /// # Ok(())
    /// # }
    /// ```
    pub fn times(mut self, count: u64) -> Self {
        self.times = Some(count);
        self
    }

    /// Stops matching after `count` requests, so that an expectation mounted after this
    /// one answers the next: `.up_to(1).rate_limited(…)`, then `.responds(…)`, is a 429
    /// followed by a success.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::RetryPolicy;
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::Organization;
    ///
    /// let mock = MockServer::start().await;
    /// // Down once, then back.
    /// mock.organizations().get(1).up_to(1).fails(503, "Service unavailable").await;
    /// mock.organizations().get(1).responds(Organization::new(1)).await;
    /// let client = mock.client_builder().retry_policy(RetryPolicy::none()).build()?;
    /// assert_eq!(client.organizations().get(1).await.unwrap_err().status(), Some(503));
    /// assert_eq!(client.organizations().get(1).await?.id, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn up_to(mut self, count: u64) -> Self {
        self.up_to = Some(count);
        self
    }

    /// Matches any value in the path's parameter segments (the operation's path
    /// arguments, whatever was given for them), so that one expectation answers
    /// `GET /api/v2/…/{any id}`. Each segment must still be there and not be empty; the
    /// literal segments must be as the operation's path has them.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::Organization;
    ///
    /// let mock = MockServer::start().await;
    /// // The 0 stands for any id.
    /// mock.organizations().get(0).any_path_values().responds(Organization::new(1)).await;
    /// let client = mock.client();
    /// assert_eq!(client.organizations().get(41).await?.id, 1);
    /// assert_eq!(client.organizations().get(42).await?.id, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn any_path_values(mut self) -> Self {
        self.any_path_values = true;
        self
    }

    /// Matches only requests that do not send the query parameter `name` at all.
    /// (A name that [`query`](Self::query) also sets is never matched.)
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::Organization;
    ///
    /// let mock = MockServer::start().await;
    /// mock.organizations().list().query_absent("owner_id").responds(vec![Organization::new(1)]).await;
    /// let client = mock.client();
    /// assert_eq!(client.organizations().list().await?.items.len(), 1);
    /// assert!(client.organizations().list().owner_id(5).await.unwrap_err().is_not_found());
    /// # Ok(())
    /// # }
    /// ```
    pub fn query_absent(mut self, name: impl Into<String>) -> Self {
        self.absent.push(name.into());
        self
    }

    /// Adds the response header `name: value` to the answer, whatever it is (a success,
    /// each page of a sequence, an error, a 429), replacing a header of that name the
    /// answer would carry anyway: an `x-request-id`, the rate-limit headers, anything.
    ///
    /// # Panics
    ///
    /// When `name` is not a valid header name or `value` not a valid header value.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::Organization;
    ///
    /// let mock = MockServer::start().await;
    /// mock.organizations().get(1).header("x-request-id", "req-7").responds(Organization::new(1)).await;
    /// let got = mock.client().organizations().get(1).await?;
    /// assert_eq!(got.meta.request_id(), Some("req-7"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::from_bytes(name.as_bytes())
            .unwrap_or_else(|_| panic!("`{}` is not a header name", name.escape_debug()));
        let value = HeaderValue::from_str(value)
            .unwrap_or_else(|_| panic!("`{}` is not a header value", value.escape_debug()));
        self.headers.push((name, value));
        self
    }

    /// Adds Pipedrive's rate-limit headers for each field of `rate_limit` that is set
    /// (`x-ratelimit-limit`, `x-ratelimit-remaining`, `x-ratelimit-reset`,
    /// `x-daily-requests-left`, `retry-after`), as [`header`](Self::header) does: the
    /// client reads them back into `meta.rate_limit` and
    /// [`Client::rate_limit`](crate::Client::rate_limit).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::RateLimit;
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::Organization;
    ///
    /// let mut budget = RateLimit::default();
    /// budget.remaining = Some(39);
    /// budget.daily_requests_left = Some(9_000);
    /// let mock = MockServer::start().await;
    /// mock.organizations().get(1).rate_limit_headers(budget).responds(Organization::new(1)).await;
    /// let client = mock.client();
    /// let got = client.organizations().get(1).await?;
    /// assert_eq!(got.meta.rate_limit, budget);
    /// assert_eq!(client.rate_limit(), Some(budget));
    /// # Ok(())
    /// # }
    /// ```
    pub fn rate_limit_headers(mut self, rate_limit: RateLimit) -> Self {
        let RateLimit {
            limit,
            remaining,
            reset,
            daily_requests_left,
            retry_after,
        } = rate_limit;
        for (name, value) in [
            ("x-ratelimit-limit", limit),
            ("x-ratelimit-remaining", remaining),
            ("x-ratelimit-reset", reset),
            ("x-daily-requests-left", daily_requests_left),
            ("retry-after", retry_after),
        ] {
            if let Some(value) = value {
                self = self.header(name, &value.to_string());
            }
        }
        self
    }

    /// Answers with the API's error body `{"success": false, "error": message}` and
    /// `status`, as Pipedrive reports a documented error (`400`, `403`, `404`, …). For
    /// `error_info` and a code, use [`fails_with`](Self::fails_with).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use pipedrive::mock::MockServer;
    ///
    /// let mock = MockServer::start().await;
    /// mock.organizations().delete(9).fails(403, "You do not have permission").await;
    /// let error = mock.client().organizations().delete(9).await.unwrap_err();
    /// assert_eq!(error.status(), Some(403));
    /// # }
    /// ```
    pub async fn fails(self, status: u16, message: &str) {
        self.fails_with(status, ErrorBody::new(message)).await;
    }

    /// Answers with `status` and the error body `body`: `error`, and `error_info`,
    /// `code` and `errorCode` when set.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use pipedrive::Error;
    /// use pipedrive::mock::{ErrorBody, MockServer};
    ///
    /// let mock = MockServer::start().await;
    /// let body = ErrorBody::new("Validation failed")
    ///     .error_info("The name is required")
    ///     .code("ERR_SCHEMA_VALIDATION_FAILED");
    /// mock.organizations().delete(5).fails_with(400, body).await;
    /// let Err(Error::Api(error)) = mock.client().organizations().delete(5).await else {
    ///     panic!("a 400 is an API error");
    /// };
    /// assert_eq!(error.error_info.as_deref(), Some("The name is required"));
    /// assert_eq!(error.code.as_deref(), Some("ERR_SCHEMA_VALIDATION_FAILED"));
    /// # }
    /// ```
    pub async fn fails_with(self, status: u16, body: ErrorBody) {
        let reply = wiremock::ResponseTemplate::new(status).set_body_json(body.to_json());
        self.mount(Position::Any, reply).await;
    }

    /// Answers as Pipedrive does when the company's daily request budget is spent:
    /// `429` with `x-daily-requests-left: 0` and
    /// `{"success": false, "error": "daily request budget exceeded", "errorCode": 429}`.
    /// The client tells it from a burst 429 by the documented header, so the error is
    /// [`RateLimited`](crate::Error::RateLimited) with
    /// [`RateLimitScope::Daily`](crate::RateLimitScope::Daily), and it is not retried.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::{Error, RateLimitScope};
    ///
    /// let mock = MockServer::start().await;
    /// mock.organizations().get(1).times(1).daily_budget_exceeded().await;
    /// let Err(Error::RateLimited(limited)) = mock.client().organizations().get(1).await else {
    ///     panic!("a 429 is a rate-limit error");
    /// };
    /// assert_eq!(limited.scope, RateLimitScope::Daily);
    /// # }
    /// ```
    pub async fn daily_budget_exceeded(self) {
        let body = ErrorBody::new("daily request budget exceeded").error_code(429);
        let reply = wiremock::ResponseTemplate::new(429)
            .insert_header("x-daily-requests-left", "0")
            .set_body_json(body.to_json());
        self.mount(Position::Any, reply).await;
    }

    /// Answers with `429 Too Many Requests`, `Retry-After` and Pipedrive's rate-limit
    /// headers, as the API does when the burst budget is spent. The headers count whole
    /// seconds, so `retry_after` is rounded up to the next second: the wait they ask
    /// for is never shorter than the one given (`1.2 s` is sent as `2`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use std::time::Duration;
    /// use pipedrive::RetryPolicy;
    /// use pipedrive::mock::MockServer;
    ///
    /// let mock = MockServer::start().await;
    /// mock.organizations().get(1).rate_limited(Duration::from_millis(1200)).await;
    /// let client = mock.client_builder().retry_policy(RetryPolicy::none()).build().unwrap();
    /// let error = client.organizations().get(1).await.unwrap_err();
    /// assert_eq!(error.retry_after(), Some(Duration::from_secs(2)));
    /// # }
    /// ```
    pub async fn rate_limited(self, retry_after: Duration) {
        let whole = retry_after
            .as_secs()
            .saturating_add(u64::from(retry_after.subsec_nanos() > 0));
        let seconds = whole.to_string();
        let body = json!({ "success": false, "error": "Request over limit", "data": null });
        let reply = wiremock::ResponseTemplate::new(429)
            .insert_header("retry-after", seconds.as_str())
            .insert_header("x-ratelimit-limit", "40")
            .insert_header("x-ratelimit-remaining", "0")
            .insert_header("x-ratelimit-reset", seconds.as_str())
            .set_body_json(body);
        self.mount(Position::Any, reply).await;
    }

    async fn mount(&self, position: Position, mut reply: wiremock::ResponseTemplate) {
        for (name, value) in &self.headers {
            reply = reply.insert_header(name.clone(), value.clone());
        }
        let mut request = (self.request)(&self.query);
        let matcher = Matcher::new(
            &self.server.client,
            &mut request,
            Refinements {
                body: self.body.clone(),
                position,
                any_path_values: self.any_path_values,
                absent: self.absent.clone(),
            },
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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::{Organization, OrganizationUpdate};
    ///
    /// let mock = MockServer::start().await;
    /// mock.organizations()
    ///     .update(7)
    ///     .expect_body(|update: &OrganizationUpdate| update.name.as_deref() == Some("Acme Limited"))
    ///     .responds(Organization::new(7).name("Acme Limited"))
    ///     .await;
    /// let rename = OrganizationUpdate::default().name("Acme Limited");
    /// mock.client().organizations().update(7, rename).await?;
    /// # Ok(())
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::Organization;
    ///
    /// let mock = MockServer::start().await;
    /// mock.organizations().get(1).responds(Organization::new(1).name("Acme").owner_id(5)).await;
    /// let organization = mock.client().organizations().get(1).await?;
    /// assert_eq!(organization.owner_id.map(|id| id.get()), Some(5));
    /// # Ok(())
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::WithAdditional;
    /// use pipedrive::deal_products::{DeletedDealProducts, DeletedDealProductsInfo};
    /// use pipedrive::mock::MockServer;
    ///
    /// let mock = MockServer::start().await;
    /// let done = DeletedDealProductsInfo::default().more_items_in_collection(false);
    /// mock.deal_products().delete_many(5).responds(WithAdditional::new(DeletedDealProducts::default().ids([1]), Some(done))).await;
    /// let deleted = mock.client().deal_products().delete_many(5).await?.into_data();
    /// assert_eq!(deleted.data.ids.as_ref().map(Vec::len), Some(1));
    /// # Ok(())
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::Organization;
    ///
    /// let mock = MockServer::start().await;
    /// mock.organizations().list().responds(vec![Organization::new(1), Organization::new(2)]).await;
    /// let page = mock.client().organizations().list().await?;
    /// assert_eq!((page.items.len(), page.next_cursor.as_deref()), (2, None));
    /// # Ok(())
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use futures::TryStreamExt;
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::Organization;
    ///
    /// let mock = MockServer::start().await;
    /// let pages = vec![vec![Organization::new(1), Organization::new(2)], vec![Organization::new(3)]];
    /// mock.organizations().list().responds_pages(pages).await;
    /// let all: Vec<_> = mock.client().organizations().list().all_items().try_collect().await?;
    /// assert_eq!(all.iter().map(|o| o.id.get()).collect::<Vec<_>>(), [1, 2, 3]);
    /// # Ok(())
    /// # }
    /// ```
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

/// What an expectation adds to the request's method, path and query.
struct Refinements {
    body: Option<BodyCheck>,
    position: Position,
    any_path_values: bool,
    absent: Vec<String>,
}

/// What a request must be to match an expectation.
struct Matcher {
    method: &'static str,
    /// The path's segments as sent (percent-encoded); `None` where any value matches.
    segments: Vec<Option<String>>,
    query: Vec<(String, String)>,
    /// Query parameters that must not be there.
    absent: Vec<String>,
    position: Position,
    body: Option<BodyCheck>,
}

impl Matcher {
    fn new(client: &Client, request: &mut Request, refinements: Refinements) -> Self {
        let Refinements {
            body,
            position,
            any_path_values,
            absent,
        } = refinements;
        if let Position::Exactly(name, _) = &position {
            // The page sequence decides the position, not the refined query.
            request.query.retain(|(key, _)| key != name);
        }
        let url = url(client, request)
            .unwrap_or_else(|_| Url::parse("http://mock.invalid/").expect("a literal URL parses"));
        let sent: Vec<String> = url
            .path_segments()
            .map(|segments| segments.map(str::to_owned).collect())
            .unwrap_or_default();
        // The request's segments are the last ones; any before them are the base URL's.
        let base = sent.len().saturating_sub(request.segments.len());
        let segments = sent
            .into_iter()
            .enumerate()
            .map(|(index, segment)| {
                let value = index
                    .checked_sub(base)
                    .and_then(|index| request.segments.get(index))
                    .is_some_and(|segment| matches!(segment, Cow::Owned(_)));
                (!(any_path_values && value)).then_some(segment)
            })
            .collect();
        Self {
            method: request.operation.method.as_str(),
            segments,
            query: request
                .query
                .iter()
                .map(|(name, value)| (name.clone().into_owned(), value.clone()))
                .collect(),
            absent,
            position,
            body,
        }
    }

    fn path_matches(&self, url: &Url) -> bool {
        let Some(mut sent) = url.path_segments() else {
            return false;
        };
        let mut expected = self.segments.iter();
        loop {
            match (expected.next(), sent.next()) {
                (None, None) => return true,
                (Some(Some(expected)), Some(sent)) if expected == sent => {}
                (Some(None), Some(sent)) if !sent.is_empty() => {}
                _ => return false,
            }
        }
    }
}

impl wiremock::Match for Matcher {
    fn matches(&self, request: &wiremock::Request) -> bool {
        if request.method.as_str() != self.method || !self.path_matches(&request.url) {
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
        if pairs.iter().any(|(name, _)| self.absent.contains(name)) {
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

/// The answer to a request no expectation matched: a `404` in Pipedrive's error shape
/// that names the request, so the test that sent it says what was missing.
struct Unmatched;

impl wiremock::Respond for Unmatched {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let mut target = format!("{} {}", request.method, request.url.path());
        if let Some(query) = request.url.query() {
            target.push('?');
            target.push_str(query);
        }
        let body = ErrorBody::new(format!("no expectation matched {target}"))
            .error_info(
                "the mock server has no expectation for this request: mount one for its \
                 operation, or check the expected path, query and body against the request",
            )
            .error_code(404);
        wiremock::ResponseTemplate::new(404).set_body_json(body.to_json())
    }
}

/// An error body as Pipedrive sends it, for [`Expectation::fails_with`]:
/// `{"success": false, "error": …}`, with `error_info`, `code` and `errorCode` when set.
/// The client reads `error` and `error_info` into [`ApiError`](crate::ApiError)'s fields
/// of those names, and `errorCode` (else `code`) into its `code`, as text.
///
/// ```
/// use pipedrive::mock::ErrorBody;
///
/// let body = ErrorBody::new("Organization not found")
///     .error_info("Please check developers.pipedrive.com")
///     .error_code(404);
/// # let _ = body;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorBody {
    error: String,
    error_info: Option<String>,
    code: Option<String>,
    error_code: Option<i64>,
}

impl ErrorBody {
    /// A body whose `error` is `error`: what [`Expectation::fails`] sends.
    ///
    /// ```
    /// let body = pipedrive::mock::ErrorBody::new("You do not have permission");
    /// # let _ = body;
    /// ```
    pub fn new(error: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            error_info: None,
            code: None,
            error_code: None,
        }
    }

    /// Sets `error_info`, the hint Pipedrive adds to some errors.
    ///
    /// ```
    /// let body = pipedrive::mock::ErrorBody::new("Bad request")
    ///     .error_info("Please check developers.pipedrive.com");
    /// # let _ = body;
    /// ```
    pub fn error_info(mut self, info: impl Into<String>) -> Self {
        self.error_info = Some(info.into());
        self
    }

    /// Sets `code`, a textual code as v2 endpoints send it. The client prefers
    /// `errorCode` when both are set.
    ///
    /// ```
    /// let body = pipedrive::mock::ErrorBody::new("Validation failed").code("ERR_SCHEMA_VALIDATION_FAILED");
    /// # let _ = body;
    /// ```
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Sets `errorCode`, a number as v1 endpoints and the rate limiter send it.
    ///
    /// ```
    /// let body = pipedrive::mock::ErrorBody::new("Organization not found").error_code(404);
    /// # let _ = body;
    /// ```
    pub fn error_code(mut self, code: i64) -> Self {
        self.error_code = Some(code);
        self
    }

    fn to_json(&self) -> Value {
        let mut body = Map::new();
        body.insert("success".to_owned(), Value::Bool(false));
        body.insert("error".to_owned(), Value::from(self.error.as_str()));
        if let Some(info) = &self.error_info {
            body.insert("error_info".to_owned(), Value::from(info.as_str()));
        }
        if let Some(code) = &self.code {
            body.insert("code".to_owned(), Value::from(code.as_str()));
        }
        if let Some(code) = self.error_code {
            body.insert("errorCode".to_owned(), Value::from(code));
        }
        body.insert("data".to_owned(), Value::Null);
        Value::Object(body)
    }
}

/// The mock's OAuth token endpoint, made by [`MockServer::oauth_token_endpoint`]: which
/// refresh to expect, how often, and what to answer. Nothing is mounted until an answer
/// is awaited.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use pipedrive::OAuthTokens;
/// use pipedrive::mock::MockServer;
///
/// let mock = MockServer::start().await;
/// // A refresh of `refresh-1` is answered with a new pair.
/// mock.oauth_token_endpoint()
///     .expect_refresh_token("refresh-1")
///     .responds(OAuthTokens::new("access-2", "refresh-2"))
///     .await;
/// # }
/// ```
#[must_use = "nothing is mounted until an answer (`responds`, `fails`) is awaited"]
#[derive(Debug)]
pub struct TokenEndpoint<'a> {
    server: &'a MockServer,
    refresh_token: Option<String>,
    times: Option<u64>,
    up_to: Option<u64>,
}

impl TokenEndpoint<'_> {
    /// Matches only a refresh of this refresh token; any other refresh is not answered
    /// here (and, unmatched, gets a 404).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use pipedrive::OAuthTokens;
    /// use pipedrive::mock::MockServer;
    ///
    /// let mock = MockServer::start().await;
    /// mock.oauth_token_endpoint()
    ///     .expect_refresh_token("refresh-1")
    ///     .responds(OAuthTokens::new("access-2", "refresh-2"))
    ///     .await;
    /// # }
    /// ```
    pub fn expect_refresh_token(mut self, token: impl Into<String>) -> Self {
        self.refresh_token = Some(token.into());
        self
    }

    /// Expects exactly `count` matching refreshes, checked by [`MockServer::verify`] or
    /// when the server drops.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use pipedrive::OAuthTokens;
    /// use pipedrive::mock::MockServer;
    ///
    /// let mock = MockServer::start().await;
    /// // No refresh at all: the test fails if the client refreshes.
    /// mock.oauth_token_endpoint().times(0).responds(OAuthTokens::new("a", "r")).await;
    /// mock.verify().await;
    /// # }
    /// ```
    pub fn times(mut self, count: u64) -> Self {
        self.times = Some(count);
        self
    }

    /// Stops matching after `count` refreshes, so that an answer mounted after this one
    /// answers the next.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use pipedrive::OAuthTokens;
    /// use pipedrive::mock::MockServer;
    ///
    /// let mock = MockServer::start().await;
    /// // The first refresh fails, the next one succeeds.
    /// mock.oauth_token_endpoint().up_to(1).fails(503, "temporarily_unavailable").await;
    /// mock.oauth_token_endpoint().responds(OAuthTokens::new("access-2", "refresh-2")).await;
    /// # }
    /// ```
    pub fn up_to(mut self, count: u64) -> Self {
        self.up_to = Some(count);
        self
    }

    /// Answers a refresh with `tokens`, as Pipedrive's token endpoint does:
    /// `access_token`, `refresh_token`, `token_type`, and `expires_in` (the seconds from
    /// now, when this is mounted, until `tokens.expires_at`; left out without one, so the
    /// client refreshes only after a 401) and `api_domain` when set.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use std::time::{Duration, SystemTime};
    /// use pipedrive::OAuthTokens;
    /// use pipedrive::mock::MockServer;
    /// use pipedrive::organizations::Organization;
    ///
    /// let mock = MockServer::start().await;
    /// mock.oauth_token_endpoint().responds(OAuthTokens::new("access-2", "refresh-2")).await;
    /// mock.organizations().get(1).responds(Organization::new(1)).await;
    /// // The access token expired a minute ago: the client refreshes it first.
    /// let expired = OAuthTokens::new("access-1", "refresh-1")
    ///     .expires_at(SystemTime::now() - Duration::from_secs(60));
    /// let client = mock.oauth_client_builder(mock.oauth(expired)).build()?;
    /// client.organizations().get(1).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn responds(self, tokens: OAuthTokens) {
        let mut body = Map::new();
        body.insert(
            "access_token".to_owned(),
            Value::from(tokens.access_token.as_str()),
        );
        body.insert(
            "refresh_token".to_owned(),
            Value::from(tokens.refresh_token.as_str()),
        );
        body.insert("token_type".to_owned(), Value::from("Bearer"));
        body.insert("scope".to_owned(), Value::from("base"));
        if let Some(expires_at) = tokens.expires_at {
            let seconds = expires_at
                .duration_since(SystemTime::now())
                .map_or(0, |left| left.as_secs());
            body.insert("expires_in".to_owned(), Value::from(seconds));
        }
        if let Some(domain) = &tokens.api_domain {
            body.insert("api_domain".to_owned(), Value::from(domain.as_str()));
        }
        let reply = wiremock::ResponseTemplate::new(200).set_body_json(Value::Object(body));
        self.mount(reply).await;
    }

    /// Answers a refresh with `status` and an OAuth error body,
    /// `{"error": error}` (`invalid_grant`, say). The call that needed the refresh gets
    /// the error, with the operation `oauthRefresh`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use pipedrive::OAuthTokens;
    /// use pipedrive::mock::MockServer;
    ///
    /// let mock = MockServer::start().await;
    /// mock.oauth_token_endpoint().fails(400, "invalid_grant").await;
    /// mock.organizations().get(1).fails(401, "unauthorized access").await;
    /// let client = mock
    ///     .oauth_client_builder(mock.oauth(OAuthTokens::new("revoked", "refresh-1")))
    ///     .build()
    ///     .unwrap();
    /// let error = client.organizations().get(1).await.unwrap_err();
    /// assert_eq!(error.status(), Some(400));
    /// # }
    /// ```
    pub async fn fails(self, status: u16, error: &str) {
        let reply =
            wiremock::ResponseTemplate::new(status).set_body_json(json!({ "error": error }));
        self.mount(reply).await;
    }

    async fn mount(self, reply: wiremock::ResponseTemplate) {
        // The header the mock's app sends, as the client writes it.
        let app = self
            .server
            .client
            .inner
            .http
            .post(format!("{}{TOKEN_PATH}", self.server.uri()))
            .basic_auth(MOCK_CLIENT_ID, Some(MOCK_CLIENT_SECRET))
            .build()
            .ok()
            .and_then(|request| request.headers().get(AUTHORIZATION).cloned());
        let matcher = RefreshMatcher {
            app,
            refresh_token: self.refresh_token,
        };
        let mut mock = wiremock::Mock::given(matcher)
            .respond_with(reply)
            .named("oauthRefresh");
        if let Some(times) = self.times {
            mock = mock.expect(times);
        }
        if let Some(count) = self.up_to {
            mock = mock.up_to_n_times(count);
        }
        mock.mount(&self.server.server).await;
    }
}

/// What a refresh must be to match the token endpoint.
struct RefreshMatcher {
    /// The mock app's `Authorization: Basic` value.
    app: Option<HeaderValue>,
    refresh_token: Option<String>,
}

impl wiremock::Match for RefreshMatcher {
    fn matches(&self, request: &wiremock::Request) -> bool {
        if request.method.as_str() != "POST"
            || request.url.path() != TOKEN_PATH
            || request.headers.get(AUTHORIZATION) != self.app.as_ref()
        {
            return false;
        }
        let form: Vec<(Cow<'_, str>, Cow<'_, str>)> =
            url::form_urlencoded::parse(&request.body).collect();
        let field = |name: &str| {
            form.iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_ref())
        };
        field("grant_type") == Some("refresh_token")
            && self
                .refresh_token
                .as_deref()
                .is_none_or(|expected| field("refresh_token") == Some(expected))
    }
}
