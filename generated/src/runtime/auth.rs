//! Credentials: an API token, or OAuth 2 tokens that refresh themselves.
//!
//! An OAuth refresh is a *single flight*: the first call that needs one starts it as a
//! task of its own, and every call that needs one while it runs waits for that same task
//! and shares its outcome, success or failure. Because the task is not the caller's
//! future, a caller that gives up (a timeout, a dropped future) does not cancel it: tokens
//! the server has rotated are always stored and handed to `on_refresh`. A refresh that
//! failed is not repeated for the same tokens for [`FAILURE_COOL_DOWN`], so a burst of
//! 401s against a broken token endpoint costs it one request, not one per call.
//!
//! The in-flight marker is cleared on every way a refresh can end, by a [`FlightGuard`]
//! the task owns: an answer, an error, a panic in `on_refresh` (while it is called or
//! while its future runs), a task that is aborted or never runs, a runtime dropped under
//! it. A refresh that ended without an answer is not a failure that cools down: the next
//! call that needs one starts a new one.

use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue, LOCATION};
use serde::Deserialize;
use tokio::sync::oneshot;
use tokio::time::Instant;
use url::Url;

use super::body;
use super::error::{ApiError, DecodeError, Error};
use super::origin::{credential_url, is_pipedrive, redacted_location};
use super::response::RateLimit;
use super::trace;

/// Pipedrive's OAuth token endpoint.
pub const DEFAULT_TOKEN_URL: &str = "https://oauth.pipedrive.com/oauth/token";
/// Refresh this long before the access token expires, so no request carries a token
/// that expires in flight.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);
/// How long a refresh may take, token endpoint and `on_refresh` each, unless set.
const DEFAULT_REFRESH_TIMEOUT: Duration = Duration::from_secs(15);
/// After a refresh failed, calls that need one get its error for this long.
const FAILURE_COOL_DOWN: Duration = Duration::from_secs(2);
/// A token response is a few hundred bytes.
const TOKEN_RESPONSE_LIMIT: u64 = 64 * 1024;
/// The operation name errors of a refresh carry.
const REFRESH: &str = "oauthRefresh";

/// A credential, kept out of `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// OAuth 2 tokens, as the caller stores them between runs. `Debug` never shows the tokens.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use pipedrive::OAuthTokens;
///
/// let tokens = OAuthTokens::new("access", "refresh")
///     .expires_at(SystemTime::now() + Duration::from_secs(3600))
///     .api_domain("https://acme.pipedrive.com");
/// assert_eq!(tokens.api_domain.as_deref(), Some("https://acme.pipedrive.com"));
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OAuthTokens {
    /// Sent as `Authorization: Bearer`.
    pub access_token: String,
    /// Exchanged for a new access token when it expires.
    pub refresh_token: String,
    /// When the access token expires; `None` when unknown (it is then refreshed only
    /// after a 401).
    pub expires_at: Option<SystemTime>,
    /// The company's API host from the last token response (`https://acme.pipedrive.com`).
    pub api_domain: Option<String>,
}

impl OAuthTokens {
    /// Tokens with no known expiry and no `api_domain`.
    pub fn new(access_token: impl Into<String>, refresh_token: impl Into<String>) -> Self {
        Self {
            access_token: access_token.into(),
            refresh_token: refresh_token.into(),
            expires_at: None,
            api_domain: None,
        }
    }

    /// Sets [`expires_at`](Self::expires_at).
    pub fn expires_at(mut self, at: SystemTime) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// Sets [`api_domain`](Self::api_domain).
    pub fn api_domain(mut self, domain: impl Into<String>) -> Self {
        self.api_domain = Some(domain.into());
        self
    }
}

impl fmt::Debug for OAuthTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthTokens")
            .field("access_token", &"[redacted]")
            .field("refresh_token", &"[redacted]")
            .field("expires_at", &self.expires_at)
            .field("api_domain", &self.api_domain)
            .finish()
    }
}

/// What `on_refresh` returns when it fails.
pub(crate) type PersistError = Box<dyn std::error::Error + Send + Sync>;
type RefreshCallback =
    Arc<dyn Fn(OAuthTokens) -> BoxFuture<'static, Result<(), PersistError>> + Send + Sync>;

/// OAuth 2 credentials of an app: its client id and secret, and the user's tokens.
///
/// The client refreshes the access token shortly before it expires, and once after a
/// 401 (then repeats the request once). Each refresh hands the new tokens to the
/// [`on_refresh`](Self::on_refresh) callback so the caller can persist them, and the
/// token response's `api_domain` becomes the client's base URL unless one was set with
/// [`ClientBuilder::base_url`](crate::ClientBuilder::base_url).
///
/// ```no_run
/// use pipedrive::{Client, OAuth, OAuthTokens};
///
/// # async fn save(_: &OAuthTokens) -> std::io::Result<()> { Ok(()) }
/// # fn run(stored: OAuthTokens) -> Result<(), pipedrive::Error> {
/// let oauth = OAuth::new("client-id", "client-secret", stored)
///     // Persist every new pair; a failure reaches the call as `Error::PersistTokens`.
///     .on_refresh(|tokens| async move { save(&tokens).await });
/// let client = Client::builder().oauth(oauth).build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct OAuth {
    client_id: String,
    client_secret: Secret,
    tokens: OAuthTokens,
    token_url: String,
    refresh_timeout: Duration,
    on_refresh: Option<RefreshCallback>,
}

impl fmt::Debug for OAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("tokens", &self.tokens)
            .field("token_url", &self.token_url)
            .field("refresh_timeout", &self.refresh_timeout)
            .finish_non_exhaustive()
    }
}

impl OAuth {
    /// Credentials of the app `client_id`/`client_secret` for a user's `tokens`.
    ///
    /// ```
    /// use pipedrive::{Client, OAuth, OAuthTokens};
    ///
    /// // The tokens stored when the user authorized the app.
    /// let stored = OAuthTokens::new("access-token", "refresh-token");
    /// let oauth = OAuth::new("client-id", "client-secret", stored);
    /// let client = Client::builder().oauth(oauth).build()?;
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        tokens: OAuthTokens,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: Secret(client_secret.into()),
            tokens,
            token_url: DEFAULT_TOKEN_URL.to_owned(),
            refresh_timeout: DEFAULT_REFRESH_TIMEOUT,
            on_refresh: None,
        }
    }

    /// Refreshes at this URL instead of Pipedrive's (for tests and proxies). It must be
    /// `https`, or `http` to a loopback address; the client follows no redirect from it.
    ///
    /// ```
    /// use pipedrive::{Client, OAuth, OAuthTokens};
    ///
    /// let oauth = OAuth::new("client-id", "client-secret", OAuthTokens::new("access", "refresh"))
    ///     .token_url("https://oauth-proxy.internal.example/oauth/token");
    /// let client = Client::builder().oauth(oauth).build()?;
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// How long the token endpoint may take to answer, and `on_refresh` to persist the
    /// answer; 15 seconds each unless set. A refresh that takes longer is
    /// [`Error::Timeout`] with the operation `oauthRefresh`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pipedrive::{OAuth, OAuthTokens};
    ///
    /// let oauth = OAuth::new("client-id", "client-secret", OAuthTokens::new("access", "refresh"))
    ///     .refresh_timeout(Duration::from_secs(5));
    /// # let _ = oauth;
    /// ```
    pub fn refresh_timeout(mut self, timeout: Duration) -> Self {
        self.refresh_timeout = timeout;
        self
    }

    /// Called with the tokens after each refresh that stored them, in order, to persist
    /// them; the client waits for it before the next refresh can start. When it fails
    /// the client keeps the new tokens and the call that waited for the refresh returns
    /// [`Error::PersistTokens`].
    ///
    /// ```
    /// use pipedrive::{Client, OAuth, OAuthTokens};
    ///
    /// # async fn save(_user: u64, _tokens: &OAuthTokens) -> std::io::Result<()> { Ok(()) }
    /// # let (user, stored) = (7, OAuthTokens::new("access", "refresh"));
    /// let oauth = OAuth::new("client-id", "client-secret", stored)
    ///     // Store every new pair with the user: the refresh token may have changed too.
    ///     .on_refresh(move |tokens| async move { save(user, &tokens).await });
    /// let client = Client::builder().oauth(oauth).build()?;
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn on_refresh<F, Fut, E>(mut self, callback: F) -> Self
    where
        F: Fn(OAuthTokens) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<PersistError>,
    {
        self.on_refresh = Some(Arc::new(move |tokens| {
            let persisted = callback(tokens);
            async move { persisted.await.map_err(Into::into) }.boxed()
        }));
        self
    }
}

/// How the client authenticates.
#[derive(Debug)]
pub(crate) enum Auth {
    /// Sent as the `x-api-token` header, never in the URL.
    ApiToken(HeaderValue),
    /// Bearer tokens that refresh themselves.
    OAuth(Arc<OAuthShared>),
}

/// The header a request carries, and which token generation it is.
pub(crate) struct Credential {
    pub name: HeaderName,
    pub value: HeaderValue,
    pub generation: u64,
}

/// The OAuth app, and the user's tokens behind a lock that is never held across an
/// `await`.
pub(crate) struct OAuthShared {
    client_id: String,
    client_secret: Secret,
    token_url: Url,
    refresh_timeout: Duration,
    on_refresh: Option<RefreshCallback>,
    /// Where requests go when no token response named an `api_domain`.
    fallback_base: Url,
    state: Mutex<State>,
}

impl fmt::Debug for OAuthShared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("token_url", &self.token_url.as_str())
            .finish_non_exhaustive()
    }
}

/// A refresh in progress, shared by everyone waiting for it.
type Flight = Shared<BoxFuture<'static, Result<(), Error>>>;

/// The refresh in progress, and which one it is: a guard clears only its own.
struct InFlight {
    id: u64,
    flight: Flight,
}

struct State {
    tokens: OAuthTokens,
    /// `Bearer {access_token}`, checked when the tokens were stored.
    bearer: HeaderValue,
    api_domain: Option<Url>,
    /// Counts refreshes, so a 401 answered to an old token does not refresh twice.
    generation: u64,
    flight: Option<InFlight>,
    /// Numbers the refreshes, so that the guard of one that ended late does not clear
    /// the marker of the next.
    flights: u64,
    /// The last refresh failed: for which generation, when, and how.
    failure: Option<(u64, Instant, Error)>,
}

/// Tokens from a token response, checked.
pub(crate) struct Checked {
    access_token: String,
    bearer: HeaderValue,
    refresh_token: Option<String>,
    expires_at: Option<SystemTime>,
    api_domain: Option<(String, Url)>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    api_domain: Option<String>,
}

impl Auth {
    pub(crate) fn api_token(token: &str) -> Result<Self, Error> {
        sensitive(token).map(Self::ApiToken).ok_or_else(|| {
            Error::Config("the API token is empty or cannot be sent as a header".to_owned())
        })
    }

    /// Checks the app's settings and the caller's tokens. `fallback_base` is where
    /// requests go until a token response names an `api_domain`.
    pub(crate) fn oauth(oauth: OAuth, fallback_base: Url) -> Result<Self, Error> {
        let OAuth {
            client_id,
            client_secret,
            tokens,
            token_url,
            refresh_timeout,
            on_refresh,
        } = oauth;
        let token_url = credential_url("token URL", &token_url).map_err(Error::Config)?;
        let bearer = bearer(&tokens.access_token).ok_or_else(|| {
            Error::Config(
                "the OAuth access token is empty or cannot be sent as a header".to_owned(),
            )
        })?;
        let api_domain = tokens
            .api_domain
            .as_deref()
            .map(|domain| api_domain(domain, None))
            .transpose()
            .map_err(Error::Config)?;
        let state = State {
            tokens,
            bearer,
            api_domain,
            generation: 0,
            flight: None,
            flights: 0,
            failure: None,
        };
        Ok(Self::OAuth(Arc::new(OAuthShared {
            client_id,
            client_secret,
            token_url,
            refresh_timeout,
            on_refresh,
            fallback_base,
            state: Mutex::new(state),
        })))
    }

    pub(crate) fn is_oauth(&self) -> bool {
        matches!(self, Self::OAuth(_))
    }

    /// The `api_domain` of the tokens, when they named one.
    pub(crate) fn api_domain(&self) -> Option<Url> {
        match self {
            Self::ApiToken(_) => None,
            Self::OAuth(shared) => shared.lock().api_domain.clone(),
        }
    }

    /// The header for the next request, refreshing first when the token is about to expire.
    pub(crate) async fn credential(&self, http: &reqwest::Client) -> Result<Credential, Error> {
        match self {
            Self::ApiToken(token) => Ok(Credential {
                name: HeaderName::from_static("x-api-token"),
                value: token.clone(),
                generation: 0,
            }),
            Self::OAuth(shared) => shared.credential(http).await,
        }
    }

    /// After a 401 to a request made with token `generation`: refreshes unless another
    /// call already did.
    pub(crate) async fn refresh_after_unauthorized(
        &self,
        http: &reqwest::Client,
        generation: u64,
    ) -> Result<(), Error> {
        match self {
            Self::ApiToken(_) => Ok(()),
            Self::OAuth(shared) => {
                let joined = {
                    let mut state = shared.lock();
                    if state.generation != generation {
                        return Ok(());
                    }
                    shared.join_or_start(&mut state, http)?
                };
                joined.launch()?.await
            }
        }
    }
}

impl OAuthShared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding the lock; if something did, the tokens are whole.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn credential(self: &Arc<Self>, http: &reqwest::Client) -> Result<Credential, Error> {
        let (joined, generation) = {
            let mut state = self.lock();
            if !state.expires_within(EXPIRY_MARGIN) {
                return Ok(state.credential());
            }
            let generation = state.generation;
            match self.join_or_start(&mut state, http) {
                Ok(joined) => (joined, generation),
                // The token still works for a little while: use it rather than fail.
                Err(_) if !state.expires_within(Duration::ZERO) => return Ok(state.credential()),
                Err(error) => return Err(error),
            }
        };
        let outcome = joined.launch()?.await;
        let state = self.lock();
        match outcome {
            Ok(()) => Ok(state.credential()),
            // The refresh failed, but the token it was to replace has not expired yet.
            Err(error)
                if state.generation == generation && !state.expires_within(Duration::ZERO) =>
            {
                trace::warning!(%error, "the OAuth refresh failed; using the access token until it expires");
                drop(error);
                Ok(state.credential())
            }
            Err(error) => Err(error),
        }
    }

    /// The refresh in progress, a new one, or the error of one that failed a moment ago.
    /// A new one is marked in flight here, under the lock, and started by
    /// [`Joined::launch`] once the lock is released.
    fn join_or_start(
        self: &Arc<Self>,
        state: &mut State,
        http: &reqwest::Client,
    ) -> Result<Joined, Error> {
        if let Some(in_flight) = &state.flight {
            return Ok(Joined {
                flight: in_flight.flight.clone(),
                launch: None,
            });
        }
        if let Some((generation, at, error)) = &state.failure {
            if *generation == state.generation && at.elapsed() < FAILURE_COOL_DOWN {
                return Err(error.clone());
            }
        }
        let id = state.flights;
        state.flights = state.flights.wrapping_add(1);
        let (answer, answered) = tokio::sync::oneshot::channel();
        // The task sends its outcome; a task that ends without one (a panic, an abort, a
        // runtime dropped under it) drops the sender, and every waiting call learns it.
        let flight = async move {
            answered.await.unwrap_or_else(|_| {
                Err(Error::TokenResponse {
                    operation: REFRESH,
                    reason: "the refresh task ended without an answer".to_owned(),
                })
            })
        }
        .boxed()
        .shared();
        state.flight = Some(InFlight {
            id,
            flight: flight.clone(),
        });
        let launch = Launch {
            guard: FlightGuard {
                shared: Arc::clone(self),
                id,
                generation: state.generation,
            },
            answer,
            http: http.clone(),
            refresh_token: state.tokens.refresh_token.clone(),
        };
        Ok(Joined {
            flight,
            launch: Some(launch),
        })
    }

    /// One refresh, from the request to the token endpoint to `on_refresh`: runs as a
    /// task of its own, so it finishes whoever waits for it. `guard` clears the
    /// in-flight marker when the refresh is over, however it ends.
    async fn refresh(
        &self,
        http: reqwest::Client,
        refresh_token: String,
        guard: FlightGuard,
    ) -> Result<(), Error> {
        let exchanged =
            tokio::time::timeout(self.refresh_timeout, self.exchange(&http, &refresh_token))
                .await
                .unwrap_or(Err(Error::Timeout { operation: REFRESH }));
        let checked = match exchanged {
            Ok(checked) => checked,
            Err(error) => {
                trace::debug!(%error, "the OAuth refresh failed");
                // Both at once, so that no call sees neither a flight nor its failure.
                let mut state = self.lock();
                state.failure = Some((guard.generation, Instant::now(), error.clone()));
                guard.clear(&mut state);
                drop(state);
                return Err(error);
            }
        };
        let stored = {
            let mut state = self.lock();
            state.store(checked);
            state.tokens.clone()
        };
        let persisted = match &self.on_refresh {
            Some(callback) => persist(callback, stored, self.refresh_timeout).await,
            None => Ok(()),
        };
        // Only now may the next refresh start: `on_refresh` sees the pairs in order.
        drop(guard);
        persisted
    }

    /// Exchanges the refresh token for new tokens (`grant_type=refresh_token`, HTTP
    /// Basic with the app's id and secret) and checks them.
    async fn exchange(
        &self,
        http: &reqwest::Client,
        refresh_token: &str,
    ) -> Result<Checked, Error> {
        trace::debug!(token_url = %self.token_url, "refreshing the OAuth access token");
        let app = App {
            client_id: &self.client_id,
            client_secret: &self.client_secret,
        };
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ];
        let (status, body) = post_form(http, &app, &self.token_url, &form, REFRESH).await?;
        let current = self
            .lock()
            .api_domain
            .clone()
            .unwrap_or_else(|| self.fallback_base.clone());
        tokens_from(status, &body, &current, REFRESH)
    }
}

/// What a call that needs a refresh waits for: the flight, and, when this call is the
/// one that marked it in flight, what starts its task.
struct Joined {
    flight: Flight,
    launch: Option<Launch>,
}

impl Joined {
    /// Starts the refresh task when this call marked it in flight, and returns the
    /// flight to wait for. Called with the state's lock released: a task that is dropped
    /// at once clears its marker, which takes the lock.
    fn launch(self) -> Result<Flight, Error> {
        if let Some(launch) = self.launch {
            launch.spawn()?;
        }
        Ok(self.flight)
    }
}

/// A refresh marked in flight whose task has not started yet.
struct Launch {
    guard: FlightGuard,
    answer: oneshot::Sender<Result<(), Error>>,
    http: reqwest::Client,
    refresh_token: String,
}

impl Launch {
    /// The body of the refresh task: the refresh, then its outcome to every waiting call.
    async fn run(self) {
        let Launch {
            guard,
            answer,
            http,
            refresh_token,
        } = self;
        let shared = Arc::clone(&guard.shared);
        let outcome = shared.refresh(http, refresh_token, guard).await;
        // The callers may all have given up; the tokens are stored all the same.
        let _ = answer.send(outcome);
    }

    /// Runs the refresh as a task of its own on the current runtime.
    fn spawn(self) -> Result<(), Error> {
        // `tokio::spawn` would panic without a runtime; dropping `self` clears the marker.
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| {
            Error::Config(
                "an OAuth refresh runs on a Tokio runtime, and none is running".to_owned(),
            )
        })?;
        // Detached: the flight learns the outcome through `answer`.
        drop(runtime.spawn(self.run()));
        Ok(())
    }
}

/// Clears the in-flight marker of one refresh when dropped: at the end of the refresh,
/// and on every other way out of it (a panic, an abort, a runtime dropped under the
/// task, a task that never ran), so that the next call that needs a refresh starts one
/// instead of waiting for a task that is gone.
struct FlightGuard {
    shared: Arc<OAuthShared>,
    /// Which refresh: a guard that drops late must not clear a newer one's marker.
    id: u64,
    /// The token generation the refresh replaces.
    generation: u64,
}

impl FlightGuard {
    /// Clears the marker in `state`, already locked, if it is still this refresh's.
    fn clear(&self, state: &mut State) {
        if state
            .flight
            .as_ref()
            .is_some_and(|in_flight| in_flight.id == self.id)
        {
            state.flight = None;
        }
    }
}

impl Drop for FlightGuard {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        self.clear(&mut state);
    }
}

/// Hands `tokens` to `on_refresh` and waits for it, at most `timeout`. A panic, while
/// the callback is called or while the future it returned runs, is a failure to
/// persist like any other.
async fn persist(
    callback: &RefreshCallback,
    tokens: OAuthTokens,
    timeout: Duration,
) -> Result<(), Error> {
    let Ok(persisting) = std::panic::catch_unwind(AssertUnwindSafe(|| callback(tokens))) else {
        return Err(persist_error("on_refresh panicked"));
    };
    match tokio::time::timeout(timeout, AssertUnwindSafe(persisting).catch_unwind()).await {
        Ok(Ok(Ok(()))) => Ok(()),
        Ok(Ok(Err(source))) => Err(Error::PersistTokens {
            source: Arc::from(source),
        }),
        Ok(Err(_panic)) => Err(persist_error("on_refresh panicked")),
        Err(_elapsed) => Err(persist_error(
            "on_refresh did not finish within the refresh timeout",
        )),
    }
}

/// What a request to an OAuth endpoint authenticates with.
pub(crate) struct App<'a> {
    pub(crate) client_id: &'a str,
    pub(crate) client_secret: &'a Secret,
}

/// Posts `form` to `url` with HTTP Basic auth of the app, following no redirect, and
/// returns the status and body of a 2xx answer; any other is an error of `operation`.
pub(crate) async fn post_form(
    http: &reqwest::Client,
    app: &App<'_>,
    url: &Url,
    form: &[(&str, &str)],
    operation: &'static str,
) -> Result<(u16, bytes::Bytes), Error> {
    let form = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let transport = |source: reqwest::Error| {
        if source.is_timeout() {
            Error::Timeout { operation }
        } else {
            Error::transport(operation, source)
        }
    };
    let response = http
        .post(url.clone())
        .basic_auth(app.client_id, Some(&app.client_secret.0))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .map_err(transport)?;
    let status = response.status().as_u16();
    if response.status().is_redirection() {
        let location = response
            .headers()
            .get(LOCATION)
            .map(|value| redacted_location(url, &String::from_utf8_lossy(value.as_bytes())));
        return Err(Error::Redirect {
            operation,
            status,
            location,
        });
    }
    let rate_limit = RateLimit::from_headers(response.headers());
    let body = body::read(response, TOKEN_RESPONSE_LIMIT)
        .await
        .map_err(|error| match error {
            body::BodyError::TooLarge => Error::TooLarge {
                operation,
                limit: TOKEN_RESPONSE_LIMIT,
            },
            body::BodyError::Transport(source) => transport(source),
        })?;
    if !(200..300).contains(&status) {
        return Err(Error::Api(Box::new(ApiError::new(
            operation, status, &body, rate_limit,
        ))));
    }
    Ok((status, body))
}

/// Decodes and checks a token response. `current` is the base URL requests go to now.
pub(crate) fn tokens_from(
    status: u16,
    body: &[u8],
    current: &Url,
    operation: &'static str,
) -> Result<Checked, Error> {
    let token: TokenResponse = serde_json::from_slice(body).map_err(|error| {
        Error::Decode(Box::new(DecodeError::new(
            operation,
            status,
            ".".to_owned(),
            error.to_string(),
            b"[token response withheld]",
        )))
    })?;
    check(token, current).map_err(|reason| Error::TokenResponse { operation, reason })
}

impl Checked {
    /// The tokens as a caller stores them; `None` without a refresh token.
    pub(crate) fn into_tokens(self) -> Option<OAuthTokens> {
        let Checked {
            access_token,
            bearer: _,
            refresh_token,
            expires_at,
            api_domain,
        } = self;
        Some(OAuthTokens {
            access_token,
            refresh_token: refresh_token?,
            expires_at,
            api_domain: api_domain.map(|(text, _)| text),
        })
    }
}

impl State {
    /// Whether the access token expires within `margin` from now.
    fn expires_within(&self, margin: Duration) -> bool {
        let Some(expires_at) = self.tokens.expires_at else {
            return false;
        };
        // A clock so far in the future that it overflows: treat the token as expiring.
        SystemTime::now()
            .checked_add(margin)
            .is_none_or(|deadline| expires_at <= deadline)
    }

    fn credential(&self) -> Credential {
        Credential {
            name: AUTHORIZATION,
            value: self.bearer.clone(),
            generation: self.generation,
        }
    }

    fn store(&mut self, checked: Checked) {
        let Checked {
            access_token,
            bearer,
            refresh_token,
            expires_at,
            api_domain,
        } = checked;
        self.tokens.access_token = access_token;
        self.bearer = bearer;
        if let Some(refresh_token) = refresh_token {
            self.tokens.refresh_token = refresh_token;
        }
        self.tokens.expires_at = expires_at;
        if let Some((text, url)) = api_domain {
            trace::debug!(base_url = %url, "the OAuth token response named an API domain");
            self.tokens.api_domain = Some(text);
            self.api_domain = Some(url);
        }
        self.generation = self.generation.wrapping_add(1);
        self.failure = None;
    }
}

/// Checks a token response before anything of it is stored. `current` is the base URL
/// requests go to now.
fn check(token: TokenResponse, current: &Url) -> Result<Checked, String> {
    let TokenResponse {
        access_token,
        refresh_token,
        expires_in,
        api_domain: domain,
    } = token;
    let bearer =
        bearer(&access_token).ok_or("the access token is empty or cannot be sent as a header")?;
    let refresh_token = match refresh_token {
        Some(token) if token.is_empty() || token.chars().any(char::is_control) => {
            return Err("the refresh token is empty or holds control characters".to_owned());
        }
        other => other,
    };
    // An `expires_in` too large to add to the clock is as good as no expiry.
    let expires_at =
        expires_in.and_then(|seconds| SystemTime::now().checked_add(Duration::from_secs(seconds)));
    let api_domain = match domain {
        Some(text) => {
            let url = api_domain(&text, Some(current))?;
            Some((text, url))
        }
        None => None,
    };
    Ok(Checked {
        access_token,
        bearer,
        refresh_token,
        expires_at,
        api_domain,
    })
}

/// Checks an `api_domain`: an https origin (or http to loopback), and a Pipedrive host
/// when the client is talking to Pipedrive, `current` being where it talks to now. The
/// domain receives every later bearer token, so a token response must not be able to
/// send them anywhere else; Pipedrive only ever names its own company hosts.
fn api_domain(text: &str, current: Option<&Url>) -> Result<Url, String> {
    let url = credential_url("api_domain", text)?;
    if url.path() != "/" {
        return Err(format!(
            "api_domain `{text}` must be an origin such as https://acme.pipedrive.com, with no path"
        ));
    }
    if current.is_some_and(is_pipedrive) && !is_pipedrive(&url) {
        return Err(format!("api_domain `{text}` is not a pipedrive.com host"));
    }
    Ok(url)
}

fn sensitive(text: &str) -> Option<HeaderValue> {
    if text.is_empty() {
        return None;
    }
    let mut value = HeaderValue::from_str(text).ok()?;
    value.set_sensitive(true);
    Some(value)
}

fn bearer(access_token: &str) -> Option<HeaderValue> {
    if access_token.is_empty() || access_token.chars().any(char::is_control) {
        return None;
    }
    sensitive(&format!("Bearer {access_token}"))
}

fn persist_error(message: &'static str) -> Error {
    Error::PersistTokens {
        source: Arc::from(PersistError::from(message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(json: serde_json::Value) -> TokenResponse {
        serde_json::from_value(json).unwrap()
    }

    fn pipedrive() -> Url {
        Url::parse("https://api.pipedrive.com").unwrap()
    }

    #[test]
    fn token_responses_are_checked_before_they_are_stored() {
        let ok = check(response(serde_json::json!({"access_token": "a", "expires_in": 3600, "api_domain": "https://acme.pipedrive.com"})), &pipedrive()).unwrap();
        assert_eq!(
            ok.api_domain.unwrap().1.as_str(),
            "https://acme.pipedrive.com/"
        );
        for (json, reason) in [
            (
                serde_json::json!({"access_token": "a\r\nx-evil: 1"}),
                "access token",
            ),
            (serde_json::json!({"access_token": ""}), "access token"),
            (
                serde_json::json!({"access_token": "a", "refresh_token": ""}),
                "refresh token",
            ),
            (
                serde_json::json!({"access_token": "a", "api_domain": "http://acme.pipedrive.com"}),
                "plain http",
            ),
            (
                serde_json::json!({"access_token": "a", "api_domain": "https://evil.example"}),
                "not a pipedrive.com host",
            ),
            (
                serde_json::json!({"access_token": "a", "api_domain": "https://acme.pipedrive.com/x"}),
                "no path",
            ),
        ] {
            let error = check(response(json.clone()), &pipedrive())
                .err()
                .unwrap_or_else(|| panic!("{json} accepted"));
            assert!(error.contains(reason), "{json}: {error}");
        }
    }

    #[test]
    fn debug_output_names_what_it_holds_but_no_secret() {
        let tokens = OAuthTokens {
            access_token: "a-secret".into(),
            refresh_token: "r-secret".into(),
            expires_at: None,
            api_domain: Some("https://acme.pipedrive.com".into()),
        };
        let oauth = OAuth::new("app-id", "app-secret", tokens.clone());
        let Auth::OAuth(shared) = Auth::oauth(oauth.clone(), pipedrive()).unwrap() else {
            panic!("OAuth")
        };
        // Each value on its own: one's output must not stand in for another's.
        let outputs = [
            (
                format!("{tokens:?}"),
                &[
                    "OAuthTokens",
                    "api_domain",
                    "acme.pipedrive.com",
                    "[redacted]",
                ][..],
            ),
            (
                format!("{oauth:?}"),
                &["OAuth", "app-id", "[redacted]", "oauth.pipedrive.com"][..],
            ),
            (
                format!("{shared:?}"),
                &["OAuth", "app-id", "[redacted]", "oauth.pipedrive.com"][..],
            ),
        ];
        for (debug, shown) in outputs {
            for shown in shown {
                assert!(debug.contains(shown), "`{shown}` missing from {debug}");
            }
            for secret in ["a-secret", "r-secret", "app-secret"] {
                assert!(!debug.contains(secret), "`{secret}` in {debug}");
            }
        }
    }

    #[test]
    fn an_absurd_expires_in_does_not_overflow_the_clock() {
        let checked = check(
            response(serde_json::json!({"access_token": "a", "expires_in": u64::MAX})),
            &pipedrive(),
        )
        .unwrap();
        assert_eq!(checked.expires_at, None);
    }

    #[test]
    fn a_test_server_may_name_a_loopback_api_domain() {
        let local = Url::parse("http://127.0.0.1:1").unwrap();
        assert!(api_domain("http://127.0.0.1:2", Some(&local)).is_ok());
        assert!(
            api_domain("http://127.0.0.1:2", Some(&pipedrive())).is_err(),
            "not from Pipedrive to loopback"
        );
    }

    #[test]
    fn expiry_counts_the_margin() {
        let state = |expires_at| State {
            tokens: OAuthTokens {
                access_token: "a".into(),
                refresh_token: "r".into(),
                expires_at,
                api_domain: None,
            },
            bearer: bearer("a").unwrap(),
            api_domain: None,
            generation: 0,
            flight: None,
            flights: 0,
            failure: None,
        };
        let now = SystemTime::now();
        assert!(
            state(Some(now + Duration::from_secs(30))).expires_within(EXPIRY_MARGIN),
            "30 s left is within the margin"
        );
        assert!(!state(Some(now + Duration::from_secs(30))).expires_within(Duration::ZERO));
        assert!(!state(Some(now + Duration::from_secs(120))).expires_within(EXPIRY_MARGIN));
        assert!(
            !state(None).expires_within(EXPIRY_MARGIN),
            "an unknown expiry is refreshed after a 401 only"
        );
    }

    /// OAuth state whose tokens have expired, refreshing at `server`'s `/token`, which
    /// answers with `access-2`, except that it keeps the first request waiting when
    /// `hang_first`.
    async fn expired_at(server: &wiremock::MockServer, hang_first: bool) -> Arc<OAuthShared> {
        let calls = std::sync::atomic::AtomicUsize::new(0);
        wiremock::Mock::given(wiremock::matchers::path("/token"))
            .respond_with(move |_: &wiremock::Request| {
                let answer = wiremock::ResponseTemplate::new(200).set_body_json(
                    serde_json::json!({"access_token": "access-2", "expires_in": 3600}),
                );
                match calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
                    0 if hang_first => answer.set_delay(Duration::from_secs(3600)),
                    _ => answer,
                }
            })
            .mount(server)
            .await;
        let tokens = OAuthTokens::new("access-1", "refresh-1")
            .expires_at(SystemTime::now() - Duration::from_secs(10));
        let oauth = OAuth::new("id", "secret", tokens).token_url(format!("{}/token", server.uri()));
        let Auth::OAuth(shared) = Auth::oauth(oauth, pipedrive()).unwrap() else {
            panic!("OAuth")
        };
        shared
    }

    async fn token_requests(server: &wiremock::MockServer) -> usize {
        server.received_requests().await.unwrap().len()
    }

    #[tokio::test]
    async fn an_aborted_refresh_task_leaves_no_flight_behind_and_the_next_call_refreshes() {
        // Aborted before its first poll, and aborted while the token endpoint keeps it
        // waiting.
        for started in [false, true] {
            let server = wiremock::MockServer::start().await;
            let shared = expired_at(&server, started).await;
            let http = reqwest::Client::new();
            let Joined { flight, launch } = {
                let mut state = shared.lock();
                shared.join_or_start(&mut state, &http).unwrap()
            };
            let task = tokio::spawn(launch.expect("this call started it").run());
            if started {
                while token_requests(&server).await == 0 {
                    tokio::task::yield_now().await;
                }
            }
            task.abort();
            assert!(task.await.unwrap_err().is_cancelled());
            assert!(shared.lock().flight.is_none(), "started {started}");
            let error = flight.await.unwrap_err();
            assert!(
                matches!(&error, Error::TokenResponse { reason, .. } if reason.contains("without an answer")),
                "{error:?}"
            );
            // Not a failure that cools down: the next call refreshes at once.
            let credential = shared.credential(&http).await.unwrap();
            assert_eq!(credential.value, "Bearer access-2");
            assert_eq!(token_requests(&server).await, if started { 2 } else { 1 });
        }
    }

    #[tokio::test]
    async fn a_guard_that_drops_late_leaves_a_newer_flight_alone() {
        let server = wiremock::MockServer::start().await;
        let shared = expired_at(&server, false).await;
        let http = reqwest::Client::new();
        let first = {
            let mut state = shared.lock();
            shared.join_or_start(&mut state, &http).unwrap()
        };
        let Launch { guard: old, .. } = first.launch.unwrap();
        old.clear(&mut shared.lock());
        let _second = {
            let mut state = shared.lock();
            shared.join_or_start(&mut state, &http).unwrap()
        };
        drop(old);
        assert!(
            shared.lock().flight.as_ref().is_some_and(|f| f.id == 1),
            "the second refresh is still in flight"
        );
    }

    #[test]
    fn a_refresh_without_a_runtime_is_an_error_and_leaves_no_flight() {
        let oauth = OAuth::new("id", "secret", OAuthTokens::new("a", "r"));
        let Auth::OAuth(shared) = Auth::oauth(oauth, pipedrive()).unwrap() else {
            panic!("OAuth")
        };
        let joined = {
            let mut state = shared.lock();
            shared
                .join_or_start(&mut state, &reqwest::Client::new())
                .unwrap()
        };
        assert!(matches!(joined.launch(), Err(Error::Config(_))));
        assert!(shared.lock().flight.is_none());
    }
}
