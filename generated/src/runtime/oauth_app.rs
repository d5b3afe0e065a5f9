//! The parts of OAuth 2 before and after a client has tokens: the URL that sends a user
//! to Pipedrive to authorize the app, the exchange of the code Pipedrive sends back for
//! tokens, and revoking tokens. Refreshing them is the client's job (`auth.rs`).

use std::fmt;
use std::time::Duration;

use url::Url;

use super::auth::{App, OAuth, OAuthTokens, Secret, post_form, tokens_from};
use super::error::Error;
use super::origin::credential_url;

/// Pipedrive's OAuth server; `/oauth/authorize`, `/oauth/token` and `/oauth/revoke` are under it.
pub const DEFAULT_OAUTH_SERVER: &str = "https://oauth.pipedrive.com";
const EXCHANGE: &str = "oauthExchangeCode";
const REVOKE: &str = "oauthRevoke";
const TIMEOUT: Duration = Duration::from_secs(30);

/// Which token [`OAuthApp::revoke`] revokes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenKind {
    /// The refresh token, and with it every access token it made.
    Refresh,
    /// One access token.
    Access,
}

/// An OAuth app registered with Pipedrive: its client id and secret and its redirect URI.
///
/// ```no_run
/// use pipedrive::{Client, OAuthApp};
///
/// # async fn run(code_from_the_redirect: &str, state_from_the_redirect: &str) -> Result<(), pipedrive::Error> {
/// let app = OAuthApp::new("client-id", "client-secret", "https://example.com/callback")?;
/// // 1. Send the user here, with a state you keep to check the redirect against.
/// let url = app.authorize_url("random-state-1234");
/// // 2. Pipedrive redirects back with `code` and `state`; exchange the code.
/// assert_eq!(state_from_the_redirect, "random-state-1234");
/// let tokens = app.exchange_code(code_from_the_redirect).await?;
/// // 3. A client that refreshes them as they expire.
/// let client = Client::builder().oauth(app.credentials(tokens.clone())).build()?;
/// // When the user disconnects the app:
/// app.revoke(&tokens.refresh_token, pipedrive::TokenKind::Refresh).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct OAuthApp {
    client_id: String,
    client_secret: Secret,
    redirect_uri: String,
    server: Url,
    http: reqwest::Client,
}

impl fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("redirect_uri", &self.redirect_uri)
            .field("server", &self.server.as_str())
            .finish_non_exhaustive()
    }
}

impl OAuthApp {
    /// The app `client_id`/`client_secret`, whose users Pipedrive sends back to
    /// `redirect_uri`.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .build()
            .map_err(|error| Error::Config(format!("HTTP client: {error}")))?;
        let server = credential_url("OAuth server", DEFAULT_OAUTH_SERVER).map_err(Error::Config)?;
        Ok(Self {
            client_id: client_id.into(),
            client_secret: Secret(client_secret.into()),
            redirect_uri: redirect_uri.into(),
            server,
            http,
        })
    }

    /// Uses another OAuth server than Pipedrive's (a proxy, a test server): `https`, or
    /// `http` to a loopback address.
    pub fn oauth_server(mut self, url: &str) -> Result<Self, Error> {
        self.server = credential_url("OAuth server", url).map_err(Error::Config)?;
        Ok(self)
    }

    fn endpoint(&self, path: &str) -> Url {
        let mut url = self.server.clone();
        url.set_path(path);
        url
    }

    /// The page that asks the user to authorize the app. `state` comes back with the
    /// redirect; check it there, against the one you sent, to refuse forged redirects.
    pub fn authorize_url(&self, state: &str) -> Url {
        let mut url = self.endpoint("/oauth/authorize");
        url.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("state", state);
        url
    }

    /// Exchanges the `code` of the redirect for the user's tokens
    /// (`grant_type=authorization_code`). They are checked as a refresh's are.
    pub async fn exchange_code(&self, code: &str) -> Result<OAuthTokens, Error> {
        let app = App {
            client_id: &self.client_id,
            client_secret: &self.client_secret,
        };
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", self.redirect_uri.as_str()),
        ];
        let token_url = self.endpoint("/oauth/token");
        let (status, body) = post_form(&self.http, &app, &token_url, &form, EXCHANGE).await?;
        // `api_domain` must be a Pipedrive host when the tokens come from Pipedrive.
        let api = credential_url("base URL", "https://api.pipedrive.com").map_err(Error::Config)?;
        let current = if super::origin::is_pipedrive(&self.server) {
            api
        } else {
            self.server.clone()
        };
        tokens_from(status, &body, &current, EXCHANGE)?
            .into_tokens()
            .ok_or_else(|| Error::TokenResponse {
                operation: EXCHANGE,
                reason: "the token response has no refresh token".to_owned(),
            })
    }

    /// Revokes `token`; a revoked refresh token ends the app's access for this user.
    pub async fn revoke(&self, token: &str, kind: TokenKind) -> Result<(), Error> {
        let app = App {
            client_id: &self.client_id,
            client_secret: &self.client_secret,
        };
        let hint = match kind {
            TokenKind::Refresh => "refresh_token",
            TokenKind::Access => "access_token",
        };
        let url = self.endpoint("/oauth/revoke");
        post_form(
            &self.http,
            &app,
            &url,
            &[("token", token), ("token_type_hint", hint)],
            REVOKE,
        )
        .await
        .map(|_| ())
    }

    /// The credentials a [`Client`](crate::Client) refreshes `tokens` with, at this app's
    /// token endpoint.
    pub fn credentials(&self, tokens: OAuthTokens) -> OAuth {
        OAuth::new(self.client_id.clone(), self.client_secret.0.clone(), tokens)
            .token_url(self.endpoint("/oauth/token").as_str())
    }
}
