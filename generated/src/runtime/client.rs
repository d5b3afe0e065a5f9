//! The client handle: what it holds, and the few methods it has besides the resource
//! accessors that `src/api/` adds. Configuring one is in `builder.rs`; sending a
//! request is in `transport.rs`.

use std::fmt;
use std::sync::Arc;

use url::Url;

use super::auth::Auth;
use super::builder::ClientBuilder;
use super::error::Error;
use super::limiter::BurstLimiter;
use super::retry::RetryPolicy;

/// A Pipedrive client. Cheap to clone; clones share one connection pool, one OAuth
/// token and one burst limiter.
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
    pub fn new(api_token: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_token(api_token).build()
    }

    /// A builder, to set the company domain, base URL, timeouts or HTTP client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL requests are sent under: the base URL the builder set, else the OAuth
    /// tokens' `api_domain`, else the company domain or `https://api.pipedrive.com`.
    pub fn base_url(&self) -> Url {
        if !self.inner.pinned {
            if let Some(domain) = self.inner.auth.api_domain() {
                return domain;
            }
        }
        self.inner.base_url.clone()
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
    fn debug_output_never_shows_the_token() {
        let client = Client::new("secret-token-123").unwrap();
        let debug = format!(
            "{client:?} {:?}",
            Client::builder().api_token("secret-token-123")
        );
        assert!(!debug.contains("secret-token-123"), "{debug}");
        assert!(debug.contains("[redacted]"));
    }
}
