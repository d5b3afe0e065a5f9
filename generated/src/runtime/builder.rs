//! Configuring a [`Client`]: credentials, where requests go, timeouts, retries and pacing.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use reqwest::header::{HeaderValue, USER_AGENT};
use url::Url;

use super::auth::{Auth, OAuth, Secret};
use super::client::{Client, Inner};
use super::error::Error;
use super::limiter::{BurstLimiter, WINDOW};
use super::retry::RetryPolicy;

/// Where requests go unless the client is told otherwise.
const DEFAULT_BASE_URL: &str = "https://api.pipedrive.com";
/// The whole request, connection to last byte.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_USER_AGENT: &str =
    concat!(env!("CARGO_PKG_NAME"), "-rust/", env!("CARGO_PKG_VERSION"));

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
        let auth = self.auth.ok_or_else(|| {
            Error::Config("no credentials: call `api_token` or `oauth`".to_owned())
        })?;
        let domain = match &auth {
            Auth::OAuth(state) => state.try_lock().ok().and_then(|state| state.api_domain()),
            Auth::ApiToken(_) => None,
        };
        let base = self.base_url.or(domain);
        let base = base.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let base_url = Url::parse(base)
            .map_err(|error| Error::Config(format!("base URL `{base}`: {error}")))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(Error::Config(format!(
                "base URL `{base}` must be an http or https URL"
            )));
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
                reqwest::Client::builder()
                    .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                    .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
                    .default_headers(
                        [(
                            USER_AGENT,
                            HeaderValue::from_str(user_agent)
                                .map_err(|_| Error::Config("invalid user agent".to_owned()))?,
                        )]
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
                limiter: self
                    .burst_limit
                    .map(|burst| BurstLimiter::new(burst, WINDOW)),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_configuration() {
        assert!(matches!(Client::builder().build(), Err(Error::Config(_))));
        assert!(matches!(
            Client::builder()
                .api_token("t")
                .base_url("not a url")
                .build(),
            Err(Error::Config(_))
        ));
        assert!(matches!(
            Client::builder()
                .api_token("t")
                .base_url("mailto:a@b.c")
                .build(),
            Err(Error::Config(_))
        ));
    }

    #[test]
    fn company_domain_sets_the_host() {
        let client = Client::builder()
            .api_token("t")
            .company_domain("acme")
            .build()
            .unwrap();
        assert_eq!(client.base_url().as_str(), "https://acme.pipedrive.com/");
    }
}
