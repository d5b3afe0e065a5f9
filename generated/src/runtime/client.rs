//! The client handle: what it holds, and the few methods it has besides the resource
//! accessors that `src/api/` adds. Configuring one is in `builder.rs`; sending a
//! request is in `transport.rs`.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use url::Url;

use super::auth::Auth;
use super::builder::ClientBuilder;
use super::error::Error;
use super::limiter::BurstLimiter;
use super::response::RateLimit;
use super::retry::RetryPolicy;

/// A Pipedrive client. Cheap to clone; clones share one connection pool, one OAuth
/// token, one burst limiter and the latest [`rate_limit`](Self::rate_limit) seen.
///
/// Endpoints are grouped by resource. Required arguments go to the method, optional
/// ones are builder calls, and `.await` (or `.send().await`) sends the request:
///
/// ```no_run
/// # async fn run() -> Result<(), pipedrive::Error> {
/// let client = pipedrive::Client::new(std::env::var("PIPEDRIVE_API_TOKEN").unwrap_or_default())?;
/// let organization = client.organizations().get(42).await?;
/// println!("{:?} ({} requests left in this window)", organization.name, organization.meta.rate_limit.remaining.unwrap_or(0));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    /// Where requests go, unless OAuth tokens name an `api_domain` and `pinned` is false.
    pub(super) base_url: Url,
    /// The caller set the base URL: an `api_domain` does not move it.
    pub(super) pinned: bool,
    pub(super) auth: Auth,
    pub(super) retry: RetryPolicy,
    pub(super) limiter: Option<BurstLimiter>,
    pub(super) max_response_bytes: u64,
    pub(super) max_decoded_entries: u64,
    /// The rate-limit headers of the latest response that carried any. The lock is
    /// held only to copy the value in or out, never across an `await`.
    pub(super) latest_rate_limit: Mutex<Option<RateLimit>>,
}

impl Inner {
    /// Keeps `rate_limit` as the latest, when the response carried any rate-limit
    /// header: a response without them (a proxy's error page, say) says nothing about
    /// the budget, and does not erase what the last one said.
    pub(super) fn saw(&self, rate_limit: RateLimit) {
        if rate_limit != RateLimit::default() {
            *self
                .latest_rate_limit
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(rate_limit);
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url().as_str())
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `https://api.pipedrive.com` that authenticates with an API token.
    ///
    /// ```
    /// let client = pipedrive::Client::new("0123456789abcdef0123456789abcdef")?;
    /// assert_eq!(client.base_url().as_str(), "https://api.pipedrive.com/");
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn new(api_token: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_token(api_token).build()
    }

    /// A builder, to set the company domain, base URL, timeouts or HTTP client.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = pipedrive::Client::builder()
    ///     .api_token("token")
    ///     .company_domain("acme")
    ///     .timeout(Duration::from_secs(10))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL requests are sent under: the base URL the builder set, else the OAuth
    /// tokens' `api_domain`, else the company domain or `https://api.pipedrive.com`.
    ///
    /// ```
    /// use pipedrive::{Client, OAuth, OAuthTokens};
    ///
    /// let tokens = OAuthTokens::new("access", "refresh").api_domain("https://acme.pipedrive.com");
    /// let client = Client::builder().oauth(OAuth::new("client-id", "client-secret", tokens)).build()?;
    /// assert_eq!(client.base_url().as_str(), "https://acme.pipedrive.com/");
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn base_url(&self) -> Url {
        if !self.inner.pinned {
            if let Some(domain) = self.inner.auth.api_domain() {
                return domain;
            }
        }
        self.inner.base_url.clone()
    }

    /// The rate-limit headers of the latest response this client (or a clone of it)
    /// received that carried any, whatever its status: a success, an error, a 429,
    /// every attempt of a retried call. `None` until one did. Responses without any
    /// rate-limit header do not replace it.
    ///
    /// It is what the server said when that response came: `reset` and `retry_after`
    /// count from then, and with calls running at once "latest" means the last
    /// response to arrive. Cheap: a copy taken under a lock that is held for nothing
    /// else.
    ///
    /// ```no_run
    /// # async fn run(client: pipedrive::Client) -> Result<(), pipedrive::Error> {
    /// client.organizations().get(42).await?;
    /// if let Some(budget) = client.rate_limit() {
    ///     if budget.daily_requests_left.is_some_and(|left| left < 1_000) {
    ///         println!("the daily budget is running out: {:?} left", budget.daily_requests_left);
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn rate_limit(&self) -> Option<RateLimit> {
        *self
            .inner
            .latest_rate_limit
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The most entries one response body may decode into.
    pub(crate) fn max_decoded_entries(&self) -> u64 {
        self.inner.max_decoded_entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_names_what_it_holds_but_never_the_token() {
        // Each value on its own, so one's output cannot stand in for the other's.
        let client = format!("{:?}", Client::new("secret-token-123").unwrap());
        assert!(!client.contains("secret-token-123"), "{client}");
        for shown in [
            "Client",
            "https://api.pipedrive.com/",
            "ApiToken",
            "max_response_bytes",
        ] {
            assert!(client.contains(shown), "`{shown}` is not in {client}");
        }
        let builder = format!("{:?}", Client::builder().api_token("secret-token-123"));
        assert!(!builder.contains("secret-token-123"), "{builder}");
        assert!(builder.contains("[redacted]"), "{builder}");
    }
}
