//! Configuring a [`Client`]: credentials, where requests go, timeouts, limits, retries
//! and pacing. Everything is checked in [`ClientBuilder::build`], which says what is
//! wrong as [`Error::Config`].

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderValue, USER_AGENT};

use super::auth::{Auth, OAuth, Secret};
use super::client::{Client, Inner};
use super::error::Error;
use super::limiter::{BurstLimiter, WINDOW};
use super::origin::{company_url, credential_url};
use super::retry::RetryPolicy;

/// Where requests go unless the client is told otherwise.
const DEFAULT_BASE_URL: &str = "https://api.pipedrive.com";
/// The whole request, connection to last byte.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// 32 MiB: the largest page Pipedrive sends, 500 items, is a few MB.
const DEFAULT_MAX_RESPONSE_BYTES: u64 = 33_554_432;
const DEFAULT_USER_AGENT: &str =
    concat!(env!("CARGO_PKG_NAME"), "-rust/", env!("CARGO_PKG_VERSION"));

/// Configures a [`Client`]. Every setting is checked in [`build`](Self::build).
///
/// ```
/// use std::time::Duration;
/// use pipedrive::{Client, RetryPolicy};
///
/// let client = Client::builder()
///     .api_token("token")
///     .company_domain("acme") // https://acme.pipedrive.com
///     .timeout(Duration::from_secs(10))
///     .burst_limit(40)
///     .retry_policy(RetryPolicy::default().max_retries(5))
///     .max_response_bytes(8 * 1024 * 1024)
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "https://acme.pipedrive.com/");
///
/// // Configuration mistakes are errors, not surprises later.
/// assert!(Client::builder().api_token("token").company_domain("acme.pipedrive.com").build().is_err());
/// assert!(Client::builder().api_token("token").base_url("http://api.pipedrive.com").build().is_err());
/// # Ok::<(), pipedrive::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct ClientBuilder {
    base: Option<Base>,
    api_token: Option<Secret>,
    oauth: Option<OAuth>,
    http: Option<reqwest::ClientBuilder>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    retry: Option<RetryPolicy>,
    burst_limit: Option<(u32, Duration)>,
    max_response_bytes: Option<u64>,
    max_decoded_entries: Option<u64>,
}

#[derive(Debug)]
enum Base {
    Company(String),
    Url(String),
}

impl ClientBuilder {
    /// Authenticates with an API token, sent as the `x-api-token` header. A client
    /// uses one credential: a builder given both this and [`oauth`](Self::oauth) fails
    /// to [`build`](Self::build) rather than drop one of them unseen.
    ///
    /// ```
    /// let client = pipedrive::Client::builder()
    ///     .api_token("0123456789abcdef0123456789abcdef")
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.api_token = Some(Secret(token.into()));
        self
    }

    /// Authenticates with OAuth 2 tokens, refreshed as they expire. When the tokens
    /// carry an `api_domain` and no base URL is set, requests go there. A builder
    /// given both this and [`api_token`](Self::api_token) fails to
    /// [`build`](Self::build).
    ///
    /// ```
    /// use pipedrive::{Client, Error, OAuth, OAuthTokens};
    ///
    /// let oauth = OAuth::new("id", "secret", OAuthTokens::new("access", "refresh"));
    /// let both = Client::builder().api_token("token").oauth(oauth).build();
    /// assert!(matches!(both, Err(Error::Config(message)) if message.contains("both")));
    /// ```
    pub fn oauth(mut self, oauth: OAuth) -> Self {
        self.oauth = Some(oauth);
        self
    }

    /// How failed requests are retried; [`RetryPolicy::default`] unless set.
    ///
    /// ```
    /// use std::time::Duration;
    /// use pipedrive::{Client, RetryPolicy};
    ///
    /// // A nightly sync can wait longer than a user can.
    /// let client = Client::builder()
    ///     .api_token("token")
    ///     .retry_policy(RetryPolicy::default().max_retries(6).max_total_wait(Duration::from_secs(300)))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Keeps the client within Pipedrive's burst limit: no more than `requests` of its
    /// requests can arrive at the server in any 2-second window, however many calls run
    /// at once. Retries count. Off unless set.
    ///
    /// ```
    /// // Clones share the limit: 40 requests per 2 seconds across every task.
    /// let client = pipedrive::Client::builder().api_token("token").burst_limit(40).build()?;
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn burst_limit(self, requests: u32) -> Self {
        self.burst_limit_per(requests, WINDOW)
    }

    /// Like [`burst_limit`](Self::burst_limit), for a limit counted over another window.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// // Behind a gateway that allows 100 requests per 10 seconds.
    /// let client = pipedrive::Client::builder()
    ///     .api_token("token")
    ///     .burst_limit_per(100, Duration::from_secs(10))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn burst_limit_per(mut self, requests: u32, window: Duration) -> Self {
        self.burst_limit = Some((requests, window));
        self
    }

    /// Sends requests to `https://{company}.pipedrive.com`. `company` is the bare
    /// subdomain: `acme` for `acme.pipedrive.com`.
    ///
    /// ```
    /// let client = pipedrive::Client::builder().api_token("token").company_domain("acme").build()?;
    /// assert_eq!(client.base_url().as_str(), "https://acme.pipedrive.com/");
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn company_domain(mut self, company: impl Into<String>) -> Self {
        self.base = Some(Base::Company(company.into()));
        self
    }

    /// Sends requests under any URL, for example a proxy or a test server. It must be
    /// `https`, or `http` to a loopback address, with no user name, query or fragment.
    /// OAuth tokens' `api_domain` does not move a base URL set here.
    ///
    /// ```
    /// let client = pipedrive::Client::builder()
    ///     .api_token("token")
    ///     .base_url("https://pipedrive-proxy.internal.example/")
    ///     .build()?;
    /// assert_eq!(client.base_url().as_str(), "https://pipedrive-proxy.internal.example/");
    ///
    /// // A credential never travels in plain text to another machine.
    /// assert!(pipedrive::Client::builder().api_token("token").base_url("http://10.0.0.5/").build().is_err());
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base = Some(Base::Url(url.into()));
        self
    }

    /// Builds the HTTP client from this `reqwest` builder (its proxies, TLS settings and
    /// pool) instead of the default one. The client always turns off `reqwest`'s own
    /// redirect handling, since it decides itself which redirects a credential may
    /// follow, and sets the request and connect timeouts, 30 and 10 seconds unless set
    /// with [`timeout`](Self::timeout) and [`connect_timeout`](Self::connect_timeout):
    /// a request must not wait forever, and `reqwest`'s builder cannot tell whether a
    /// timeout was set on it, so one set there is replaced. Set them here. The
    /// [`user_agent`](Self::user_agent) applies only when set.
    ///
    /// ```
    /// use pipedrive::reqwest;
    ///
    /// let http = reqwest::Client::builder().proxy(reqwest::Proxy::https("http://proxy.internal.example:3128")?);
    /// let client = pipedrive::Client::builder().api_token("token").http_client(http).build()?;
    /// # let _ = client;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn http_client(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(builder);
        self
    }

    /// Time allowed for each attempt of a call (each request it sends, its redirect
    /// hops included), from connecting to the last byte of the body; 30 seconds unless
    /// set. Retries get it afresh. A call given a timeout of its own
    /// ([`RawRequest::timeout`](crate::RawRequest::timeout)) is bounded by that
    /// instead, as a whole, retries and their waits included.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = pipedrive::Client::builder()
    ///     .api_token("token")
    ///     .timeout(Duration::from_secs(10))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to connect; 10 seconds unless set.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = pipedrive::Client::builder()
    ///     .api_token("token")
    ///     .connect_timeout(Duration::from_secs(3))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header; the crate's name and version unless set.
    ///
    /// ```
    /// // So that Pipedrive's support can tell your integration's requests apart.
    /// let client = pipedrive::Client::builder()
    ///     .api_token("token")
    ///     .user_agent("acme-crm-sync/2.1 (ops@acme.example)")
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The largest response body the client reads, in bytes; 32 MiB unless set. A
    /// larger body, or one that does not end, stops at the limit with
    /// [`Error::TooLarge`].
    ///
    /// ```
    /// let client = pipedrive::Client::builder()
    ///     .api_token("token")
    ///     .max_response_bytes(8 * 1024 * 1024) // 8 MiB
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// The most list entries and object members, counted at every depth, that one
    /// response body may decode into; 250,000 unless set (a page of 500 items with 500
    /// values each). It bounds the memory a body takes once decoded, which its size in
    /// bytes alone does not: `[{},{},…]` nested inside one item is small on the wire and
    /// large in memory. A body past it fails with [`Error::Decode`].
    ///
    /// ```
    /// let client = pipedrive::Client::builder()
    ///     .api_token("token")
    ///     .max_decoded_entries(1_000_000)
    ///     .build()?;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn max_decoded_entries(mut self, entries: u64) -> Self {
        self.max_decoded_entries = Some(entries);
        self
    }

    /// Builds the client, or says what is wrong with the configuration: no credential
    /// or two, a base URL or domain that is not allowed, a token or user agent that
    /// cannot be a header. Nothing is sent.
    ///
    /// ```
    /// use pipedrive::{Client, Error};
    ///
    /// let client = Client::builder().api_token("token").company_domain("acme").build()?;
    ///
    /// // `company_domain` takes the subdomain, not the host.
    /// let wrong = Client::builder().api_token("token").company_domain("acme.pipedrive.com").build();
    /// assert!(matches!(wrong, Err(Error::Config(_))));
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn build(self) -> Result<Client, Error> {
        let credentials = match (self.api_token, self.oauth) {
            (Some(token), None) => Credentials::ApiToken(token),
            (None, Some(oauth)) => Credentials::OAuth(oauth),
            (None, None) => {
                return Err(Error::Config(
                    "no credentials: call `api_token` or `oauth`".to_owned(),
                ));
            }
            (Some(_), Some(_)) => {
                return Err(Error::Config(
                    "both an API token and OAuth credentials are set, and a client uses one: \
                     call only `api_token` or only `oauth`"
                        .to_owned(),
                ));
            }
        };
        let (base_url, pinned) = match self.base {
            Some(Base::Url(text)) => (
                credential_url("base URL", &text).map_err(Error::Config)?,
                true,
            ),
            Some(Base::Company(company)) => (company_url(&company).map_err(Error::Config)?, false),
            None => (
                credential_url("base URL", DEFAULT_BASE_URL).map_err(Error::Config)?,
                false,
            ),
        };
        let auth = match credentials {
            Credentials::ApiToken(token) => Auth::api_token(&token.0)?,
            Credentials::OAuth(oauth) => Auth::oauth(oauth, base_url.clone())?,
        };
        let (http, defaults) = match self.http {
            Some(builder) => (builder, false),
            None => (reqwest::Client::builder(), true),
        };
        let mut http = with_timeouts(http, self.timeout, self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none());
        if let Some(user_agent) = self
            .user_agent
            .as_deref()
            .or(defaults.then_some(DEFAULT_USER_AGENT))
        {
            let value = HeaderValue::from_str(user_agent).map_err(|_| {
                Error::Config(format!(
                    "user agent `{}` is not a valid header value",
                    user_agent.escape_debug()
                ))
            })?;
            http = http.default_headers([(USER_AGENT, value)].into_iter().collect());
        }
        let http = http
            .build()
            .map_err(|error| Error::Config(format!("HTTP client: {error}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                pinned,
                auth,
                retry: self.retry.unwrap_or_default(),
                limiter: self
                    .burst_limit
                    .map(|(burst, window)| BurstLimiter::new(burst, window)),
                max_response_bytes: self
                    .max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                max_decoded_entries: self
                    .max_decoded_entries
                    .unwrap_or(super::wire::DEFAULT_MAX_ENTRIES),
                latest_rate_limit: std::sync::Mutex::new(None),
            }),
        })
    }
}

/// The one credential a client authenticates with.
enum Credentials {
    ApiToken(Secret),
    OAuth(OAuth),
}

/// `http` with the request and connect timeouts, the defaults unless set: whoever
/// built `http`, a request never waits without end.
fn with_timeouts(
    http: reqwest::ClientBuilder,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
) -> reqwest::ClientBuilder {
    http.timeout(timeout.unwrap_or(DEFAULT_TIMEOUT))
        .connect_timeout(connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::auth::OAuthTokens;

    fn parse(text: &str) -> url::Url {
        url::Url::parse(text).unwrap()
    }

    fn config_error(builder: ClientBuilder) -> String {
        match builder.build() {
            Err(Error::Config(message)) => message,
            other => panic!("expected a Config error, got {other:?}"),
        }
    }

    #[test]
    fn rejects_bad_configuration() {
        config_error(Client::builder());
        for bad in [
            "not a url",
            "mailto:a@b.c",
            "http://api.pipedrive.com",
            "https://u:p@api.pipedrive.com",
            "https://api.pipedrive.com?x=1",
            "https://api.pipedrive.com#x",
        ] {
            config_error(Client::builder().api_token("t").base_url(bad));
        }
        assert!(config_error(Client::builder().api_token("t\r\nx: y")).contains("API token"));
        assert!(config_error(Client::builder().api_token("")).contains("API token"));
        assert!(
            config_error(Client::builder().api_token("t").user_agent("a\nb"))
                .contains("user agent")
        );
    }

    #[test]
    fn company_domain_takes_the_bare_subdomain_only() {
        let client = Client::builder()
            .api_token("t")
            .company_domain("acme")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), parse("https://acme.pipedrive.com/"));
        for bad in [
            "https://acme.pipedrive.com",
            "acme.pipedrive.com",
            "evil.example/x?",
            "acme:8080",
            " acme",
        ] {
            assert!(
                config_error(Client::builder().api_token("t").company_domain(bad))
                    .contains("bare company subdomain"),
                "{bad}"
            );
        }
    }

    #[test]
    fn oauth_urls_and_tokens_are_checked() {
        let tokens = || OAuthTokens {
            access_token: "a".into(),
            refresh_token: "r".into(),
            expires_at: None,
            api_domain: None,
        };
        let oauth = |tokens| OAuth::new("id", "secret", tokens);
        assert!(
            config_error(
                Client::builder().oauth(oauth(tokens()).token_url("http://oauth.example/token"))
            )
            .contains("plain http")
        );
        let bad_domain = OAuthTokens {
            api_domain: Some("http://acme.pipedrive.com".into()),
            ..tokens()
        };
        assert!(config_error(Client::builder().oauth(oauth(bad_domain))).contains("api_domain"));
        let bad_token = OAuthTokens {
            access_token: "a\nb".into(),
            ..tokens()
        };
        assert!(config_error(Client::builder().oauth(oauth(bad_token))).contains("access token"));
        let domain = OAuthTokens {
            api_domain: Some("https://acme.pipedrive.com".into()),
            ..tokens()
        };
        let client = Client::builder()
            .oauth(oauth(domain.clone()))
            .build()
            .unwrap();
        assert_eq!(
            client.base_url(),
            parse("https://acme.pipedrive.com/"),
            "the tokens' api_domain"
        );
        let pinned = Client::builder()
            .oauth(oauth(domain))
            .base_url("https://proxy.example/pd")
            .build()
            .unwrap();
        assert_eq!(
            pinned.base_url(),
            parse("https://proxy.example/pd"),
            "a base URL the caller set wins"
        );
    }

    #[test]
    fn a_callers_http_client_gets_the_default_timeouts_unless_set_here() {
        // reqwest's builder shows its timeouts in its `Debug` output.
        let shown = |builder: reqwest::ClientBuilder| format!("{builder:?}");
        let defaults = shown(with_timeouts(reqwest::Client::builder(), None, None));
        assert!(
            defaults.contains("connect_timeout: 10s") && defaults.contains("timeout: 30s"),
            "{defaults}"
        );
        let own = reqwest::Client::builder().timeout(Duration::from_secs(600));
        let set = shown(with_timeouts(
            own,
            Some(Duration::from_secs(5)),
            Some(Duration::from_secs(2)),
        ));
        assert!(
            set.contains("connect_timeout: 2s") && set.contains("timeout: 5s"),
            "{set}"
        );
    }
}
