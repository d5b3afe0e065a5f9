//! The client handle: what it holds, and the few methods it has besides the resource
//! accessors that `src/api/` adds. Configuring one is in `builder.rs`; sending a
//! request is in `transport.rs`.

use std::fmt;
use std::sync::{Arc, RwLock};

use url::Url;

use super::auth::Auth;
use super::builder::ClientBuilder;
use super::error::Error;
use super::limiter::BurstLimiter;
use super::retry::RetryPolicy;

/// A Pipedrive client. Cheap to clone; clones share one connection pool.
///
/// Endpoints are grouped by resource: `client.organizations().get(42).send().await`.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    /// Changes when an OAuth refresh names another `api_domain`.
    pub(super) base_url: RwLock<Url>,
    pub(super) auth: Auth,
    pub(super) retry: RetryPolicy,
    pub(super) limiter: Option<BurstLimiter>,
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
