//! Credentials: an API token, or OAuth 2 tokens that refresh themselves.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use serde::Deserialize;
use tokio::sync::Mutex;

use super::error::{ApiError, DecodeError, Error};
use super::response::RateLimit;

/// Pipedrive's OAuth token endpoint.
pub const DEFAULT_TOKEN_URL: &str = "https://oauth.pipedrive.com/oauth/token";
/// Refresh this long before the access token expires, so no request carries a token
/// that expires in flight.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);
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
#[derive(Clone, PartialEq, Eq)]
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

type RefreshCallback = Arc<dyn Fn(&OAuthTokens) + Send + Sync>;

/// OAuth 2 credentials of an app: its client id and secret, and the user's tokens.
///
/// The client refreshes the access token shortly before it expires, and once after a
/// 401 (then repeats the request once). Each refresh hands the new tokens to the
/// [`on_refresh`](Self::on_refresh) callback so the caller can persist them, and the
/// token response's `api_domain` becomes the client's base URL.
#[derive(Clone)]
pub struct OAuth {
    client_id: String,
    client_secret: Secret,
    tokens: OAuthTokens,
    token_url: String,
    on_refresh: Option<RefreshCallback>,
}

impl fmt::Debug for OAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("tokens", &self.tokens)
            .field("token_url", &self.token_url)
            .finish_non_exhaustive()
    }
}

impl OAuth {
    /// Credentials of the app `client_id`/`client_secret` for a user's `tokens`.
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
            on_refresh: None,
        }
    }

    /// Refreshes at this URL instead of Pipedrive's (for tests and proxies).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// Called with the new tokens after each refresh, to persist them.
    pub fn on_refresh(mut self, callback: impl Fn(&OAuthTokens) + Send + Sync + 'static) -> Self {
        self.on_refresh = Some(Arc::new(callback));
        self
    }
}

/// How the client authenticates.
#[derive(Debug)]
pub(crate) enum Auth {
    /// Sent as the `x-api-token` header, never in the URL.
    ApiToken(Secret),
    /// Bearer tokens behind a lock, so concurrent calls refresh once.
    OAuth(Mutex<OAuthState>),
}

#[derive(Debug)]
pub(crate) struct OAuthState {
    oauth: OAuth,
    /// Counts refreshes, so a 401 answered to an old token does not refresh twice.
    generation: u64,
}

impl OAuthState {
    pub(crate) fn api_domain(&self) -> Option<String> {
        self.oauth.tokens.api_domain.clone()
    }
}

/// The header a request carries, and which token generation it is.
pub(crate) struct Credential {
    pub name: HeaderName,
    pub value: HeaderValue,
    pub generation: u64,
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
    pub(crate) fn oauth(oauth: OAuth) -> Self {
        Self::OAuth(Mutex::new(OAuthState {
            oauth,
            generation: 0,
        }))
    }

    pub(crate) fn is_oauth(&self) -> bool {
        matches!(self, Self::OAuth(_))
    }

    /// The header for the next request, refreshing first when the token is about to expire.
    /// Returns a new API domain when a refresh brought one.
    pub(crate) async fn credential(
        &self,
        http: &reqwest::Client,
    ) -> Result<(Credential, Option<String>), Error> {
        match self {
            Self::ApiToken(token) => Ok((
                Credential {
                    name: HeaderName::from_static("x-api-token"),
                    value: sensitive(&token.0)?,
                    generation: 0,
                },
                None,
            )),
            Self::OAuth(state) => {
                let mut state = state.lock().await;
                let expiring = state
                    .oauth
                    .tokens
                    .expires_at
                    .is_some_and(|at| at <= SystemTime::now() + EXPIRY_MARGIN);
                let domain = if expiring {
                    refresh(&mut state, http).await?
                } else {
                    None
                };
                Ok((bearer(&state)?, domain))
            }
        }
    }

    /// After a 401 to a request made with token `generation`: refreshes unless another
    /// call already did. Returns a new API domain when the refresh brought one.
    pub(crate) async fn refresh_after_unauthorized(
        &self,
        http: &reqwest::Client,
        generation: u64,
    ) -> Result<Option<String>, Error> {
        match self {
            Self::ApiToken(_) => Ok(None),
            Self::OAuth(state) => {
                let mut state = state.lock().await;
                if state.generation != generation {
                    return Ok(None);
                }
                refresh(&mut state, http).await
            }
        }
    }
}

fn sensitive(text: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(text)
        .map_err(|_| Error::Config("a credential is not a valid header value".to_owned()))?;
    value.set_sensitive(true);
    Ok(value)
}

fn bearer(state: &OAuthState) -> Result<Credential, Error> {
    Ok(Credential {
        name: AUTHORIZATION,
        value: sensitive(&format!("Bearer {}", state.oauth.tokens.access_token))?,
        generation: state.generation,
    })
}

/// Exchanges the refresh token for new tokens (`grant_type=refresh_token`, HTTP Basic
/// with the app's id and secret), stores them and tells the callback.
async fn refresh(state: &mut OAuthState, http: &reqwest::Client) -> Result<Option<String>, Error> {
    let oauth = &state.oauth;
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "refresh_token")
        .append_pair("refresh_token", &oauth.tokens.refresh_token)
        .finish();
    tracing::debug!(token_url = %oauth.token_url, "refreshing the OAuth access token");
    let response = http
        .post(&oauth.token_url)
        .basic_auth(&oauth.client_id, Some(&oauth.client_secret.0))
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(form)
        .send()
        .await
        .map_err(|source| Error::Transport {
            operation: REFRESH,
            source,
        })?;
    let status = response.status().as_u16();
    let rate_limit = RateLimit::from_headers(response.headers());
    let body = response.bytes().await.map_err(|source| Error::Transport {
        operation: REFRESH,
        source,
    })?;
    if !(200..300).contains(&status) {
        return Err(Error::Api(Box::new(ApiError::new(
            REFRESH, status, &body, rate_limit,
        ))));
    }
    let token: TokenResponse = serde_json::from_slice(&body).map_err(|error| {
        Error::Decode(Box::new(DecodeError::new(
            REFRESH,
            status,
            ".".to_owned(),
            error.to_string(),
            b"[token response withheld]",
        )))
    })?;
    let tokens = &mut state.oauth.tokens;
    tokens.access_token = token.access_token;
    if let Some(refresh_token) = token.refresh_token {
        tokens.refresh_token = refresh_token;
    }
    tokens.expires_at = token
        .expires_in
        .map(|seconds| SystemTime::now() + Duration::from_secs(seconds));
    if token.api_domain.is_some() {
        tokens.api_domain = token.api_domain.clone();
    }
    state.generation += 1;
    if let Some(callback) = &state.oauth.on_refresh {
        callback(&state.oauth.tokens);
    }
    Ok(token.api_domain)
}
