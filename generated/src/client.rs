//! The client: configuration, and sending a request with authentication, pacing and
//! retries. Decoding what comes back is in `decode.rs`.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue, USER_AGENT};
use tracing::Instrument;
use url::Url;

use crate::auth::{Auth, Credential, OAuth, Secret};
use crate::error::{ApiError, Error, RateLimitError};
use crate::limiter::{BurstLimiter, WINDOW};
use crate::operation::Operation;
use crate::request::Request;
use crate::response::{RateLimit, ResponseMeta};
use crate::retry::{Decision, Outcome, RetryPolicy, decide};

/// Where requests go unless the client is told otherwise.
const DEFAULT_BASE_URL: &str = "https://api.pipedrive.com";
/// The whole request, connection to last byte.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "-rust/", env!("CARGO_PKG_VERSION"));

/// A Pipedrive client. Cheap to clone; clones share one connection pool.
///
/// Endpoints are grouped by resource: `client.organizations().get(42).send().await`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Changes when an OAuth refresh names another `api_domain`.
    base_url: RwLock<Url>,
    auth: Auth,
    retry: RetryPolicy,
    limiter: Option<BurstLimiter>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url().as_str())
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `https://api.pipedrive.com` that authenticates with an API token.
    pub fn new(api_token: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_token(api_token).build()
    }

    /// A builder, to set the company domain, base URL, timeouts or HTTP client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL requests are sent under.
    pub fn base_url(&self) -> Url {
        match self.inner.base_url.read() {
            Ok(url) => url.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set_base_url(&self, domain: &str) {
        match Url::parse(domain) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && !url.cannot_be_a_base() => {
                tracing::debug!(base_url = %url, "switching to the API domain of the OAuth token response");
                match self.inner.base_url.write() {
                    Ok(mut base) => *base = url,
                    Err(poisoned) => *poisoned.into_inner() = url,
                }
            }
            _ => tracing::warn!(api_domain = domain, "ignoring an api_domain that is not an http(s) URL"),
        }
    }

    fn url(&self, request: &Request) -> Result<Url, Error> {
        let base = self.base_url();
        let mut url = base.clone();
        {
            let mut segments = url
                .path_segments_mut()
                .map_err(|()| Error::Config(format!("base URL `{base}` cannot have a path")))?;
            // Each segment is percent-encoded here: a `/` or `?` in a value stays inside it.
            segments.pop_if_empty().extend(&request.segments);
        }
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }

    /// Sends `request`, retrying as the [`RetryPolicy`] allows, and returns the status,
    /// rate-limit headers and body of a 2xx response; any other final status is an error.
    pub(crate) async fn execute(&self, request: Request) -> Result<(ResponseMeta, Vec<u8>), Error> {
        let operation = request.operation;
        let span = tracing::info_span!(
            "pipedrive.request",
            operation = operation.id,
            method = operation.method.as_str(),
            path = operation.path,
            cost = operation.cost,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.execute_with_retries(request).instrument(span).await
    }

    async fn execute_with_retries(&self, mut request: Request) -> Result<(ResponseMeta, Vec<u8>), Error> {
        let operation = request.operation;
        let body = request.body.take().transpose().map_err(|source| Error::Encode { operation: operation.id, source })?;
        let policy = self.inner.retry;
        let mut retries = 0;
        let mut waited = Duration::ZERO;
        let mut refreshed = false;
        loop {
            if let Some(limiter) = &self.inner.limiter {
                limiter.acquire().await;
            }
            let (credential, domain) = self.inner.auth.credential(&self.inner.http).await?;
            if let Some(domain) = domain {
                self.set_base_url(&domain);
            }
            let span = tracing::Span::current();
            span.record("attempt", retries + 1);
            let generation = credential.generation;
            // Built for each attempt: a refresh may have moved the base URL.
            let url = self.url(&request)?;
            let (outcome, error, rate_limit) = match self.attempt(operation, url, body.clone(), credential).await {
                Ok((status, rate_limit, bytes)) => {
                    span.record("status", status);
                    if (200..300).contains(&status) {
                        return Ok((ResponseMeta { status, rate_limit }, bytes));
                    }
                    if status == 401 && self.inner.auth.is_oauth() && !refreshed {
                        // The token may have been revoked or expired early: refresh once, repeat once.
                        refreshed = true;
                        tracing::debug!("401 with an OAuth token: refreshing and repeating once");
                        if let Some(domain) = self.inner.auth.refresh_after_unauthorized(&self.inner.http, generation).await? {
                            self.set_base_url(&domain);
                        }
                        continue;
                    }
                    let api = ApiError::new(operation.id, status, &bytes, rate_limit);
                    let error = if status == 429 {
                        Error::RateLimited(Box::new(RateLimitError::new(api)))
                    } else {
                        Error::Api(Box::new(api))
                    };
                    (Outcome::Status(status), error, rate_limit)
                }
                Err(source) => {
                    let outcome = if source.is_timeout() {
                        Outcome::TimedOut
                    } else if source.is_connect() {
                        Outcome::ConnectFailed
                    } else {
                        Outcome::TransportFailed
                    };
                    let error = match outcome {
                        Outcome::TimedOut => Error::Timeout { operation: operation.id },
                        _ => Error::Transport { operation: operation.id, source },
                    };
                    (outcome, error, RateLimit::default())
                }
            };
            let daily = matches!(&error, Error::RateLimited(e) if e.scope == crate::error::RateLimitScope::Daily);
            let Decision::Retry { server_wait } = decide(operation.method, outcome, &rate_limit, daily) else {
                return Err(error);
            };
            let wait = server_wait.unwrap_or_else(|| policy.backoff(retries));
            if retries >= policy.max_retries || waited + wait > policy.max_total_wait {
                tracing::debug!(retries, "giving up: the retry budget is spent");
                return Err(error);
            }
            tracing::debug!(attempt = retries + 1, wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), error = %error, "retrying");
            tokio::time::sleep(wait).await;
            waited += wait;
            retries += 1;
        }
    }

    /// One attempt: the status, rate-limit headers and body, or why none arrived.
    async fn attempt(
        &self,
        operation: &Operation,
        url: Url,
        body: Option<Vec<u8>>,
        credential: Credential,
    ) -> Result<(u16, RateLimit, Vec<u8>), reqwest::Error> {
        let mut builder = self
            .inner
            .http
            .request(operation.method.to_reqwest(), url)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(credential.name, credential.value);
        if let Some(body) = body {
            builder = builder.header(CONTENT_TYPE, HeaderValue::from_static("application/json")).body(body);
        }
        let response = builder.send().await?;
        let status = response.status().as_u16();
        let rate_limit = RateLimit::from_headers(response.headers());
        let body = response.bytes().await?.to_vec();
        Ok((status, rate_limit, body))
    }
}

/// Configures a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    auth: Option<Auth>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    retry: Option<RetryPolicy>,
    burst_limit: Option<u32>,
}

impl ClientBuilder {
    /// Authenticates with an API token, sent as the `x-api-token` header.
    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Some(Auth::ApiToken(Secret(token.into())));
        self
    }

    /// Authenticates with OAuth 2 tokens, refreshed as they expire. When the tokens
    /// carry an `api_domain` and no base URL is set, requests go there.
    pub fn oauth(mut self, oauth: OAuth) -> Self {
        self.auth = Some(Auth::oauth(oauth));
        self
    }

    /// How failed requests are retried; [`RetryPolicy::default`] unless set.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Paces requests so that at most `requests` start in any 2-second window, the
    /// window Pipedrive's burst limit counts over. Off unless set.
    pub fn burst_limit(mut self, requests: u32) -> Self {
        self.burst_limit = Some(requests);
        self
    }

    /// Sends requests to `https://{company}.pipedrive.com`.
    pub fn company_domain(mut self, company: &str) -> Self {
        self.base_url = Some(format!("https://{company}.pipedrive.com"));
        self
    }

    /// Sends requests under any URL, for example a proxy or a test server.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Uses this HTTP client (its timeouts, proxies and TLS settings) instead of the
    /// default one. The builder's timeout and user agent then do not apply.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Time allowed for a whole request; 30 seconds unless set.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header; the crate's name and version unless set.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let auth = self.auth.ok_or_else(|| Error::Config("no credentials: call `api_token` or `oauth`".to_owned()))?;
        let domain = match &auth {
            Auth::OAuth(state) => state.try_lock().ok().and_then(|state| state.api_domain()),
            Auth::ApiToken(_) => None,
        };
        let base = self.base_url.or(domain);
        let base = base.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let base_url = Url::parse(base).map_err(|error| Error::Config(format!("base URL `{base}`: {error}")))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(Error::Config(format!("base URL `{base}` must be an http or https URL")));
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
                reqwest::Client::builder()
                    .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                    .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
                    .default_headers(
                        [(USER_AGENT, HeaderValue::from_str(user_agent).map_err(|_| Error::Config("invalid user agent".to_owned()))?)]
                            .into_iter()
                            .collect(),
                    )
                    .build()
                    .map_err(|error| Error::Config(format!("HTTP client: {error}")))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: RwLock::new(base_url),
                auth,
                retry: self.retry.unwrap_or_default(),
                limiter: self.burst_limit.map(|burst| BurstLimiter::new(burst, WINDOW)),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_token() {
        let client = Client::new("secret-token-123").unwrap();
        let debug = format!("{client:?} {:?}", Client::builder().api_token("secret-token-123"));
        assert!(!debug.contains("secret-token-123"), "{debug}");
        assert!(debug.contains("[redacted]"));
    }

    #[test]
    fn rejects_bad_configuration() {
        assert!(matches!(Client::builder().build(), Err(Error::Config(_))));
        assert!(matches!(Client::builder().api_token("t").base_url("not a url").build(), Err(Error::Config(_))));
        assert!(matches!(Client::builder().api_token("t").base_url("mailto:a@b.c").build(), Err(Error::Config(_))));
    }

    #[test]
    fn path_values_are_percent_encoded_and_the_base_path_kept() {
        use crate::operation::{HttpMethod, Operation};
        const OPERATION: Operation = Operation { id: "t", method: HttpMethod::Get, path: "/x/{key}", version: "v2", cost: 1 };
        let client = Client::builder().api_token("t").base_url("http://127.0.0.1:9/proxy/").build().unwrap();
        let request = Request::new(&OPERATION).segment("x").segment("a/b c?d#e").query("q", Some("1&2"));
        let url = client.url(&request).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:9/proxy/x/a%2Fb%20c%3Fd%23e?q=1%262");
    }

    #[test]
    fn company_domain_sets_the_host() {
        let client = Client::builder().api_token("t").company_domain("acme").build().unwrap();
        assert_eq!(client.base_url().as_str(), "https://acme.pipedrive.com/");
    }
}
