//! The parts of OAuth 2 before and after a client has tokens: the URL that sends a user
//! to Pipedrive to authorize the app, the exchange of the code Pipedrive sends back for
//! tokens, and revoking tokens. Refreshing them is the client's job (`auth.rs`).

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

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
///
/// ```no_run
/// use pipedrive::{OAuthApp, OAuthTokens, TokenKind};
///
/// # async fn run(app: OAuthApp, tokens: OAuthTokens) -> Result<(), pipedrive::Error> {
/// // The user signs out of this device: end this access token only.
/// app.revoke(&tokens.access_token, TokenKind::Access).await?;
/// // The user disconnects the app: end its access for good.
/// app.revoke(&tokens.refresh_token, TokenKind::Refresh).await?;
/// # Ok(())
/// # }
/// ```
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
/// # struct Session;
/// # impl Session { fn insert(&mut self, _: &str, _: String) {} fn remove(&mut self, _: &str) -> Option<String> { None } }
/// # async fn run(session: &mut Session, code: &str, state: &str) -> Result<(), pipedrive::Error> {
/// let app = OAuthApp::new("client-id", "client-secret", "https://example.com/callback")?;
/// // 1. Send the user here, and keep the random state it carries with the user's session.
/// let (url, expected_state) = app.authorize_url(None);
/// session.insert("oauth_state", expected_state);
/// // 2. Pipedrive redirects back with `code` and `state`: check the state, then
/// //    exchange the code.
/// let expected = session.remove("oauth_state").unwrap_or_default();
/// if !OAuthApp::state_matches(&expected, state) {
///     return Ok(()); // A forged redirect: refuse it.
/// }
/// let tokens = app.exchange_code(code).await?;
/// // 3. A client that refreshes them as they expire.
/// let client = Client::builder().oauth(app.credentials(tokens.clone())).build()?;
/// // When the user disconnects the app:
/// app.revoke(&tokens.refresh_token, pipedrive::TokenKind::Refresh).await?;
/// # let _ = (url, client);
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
    /// `redirect_uri`. The authorization code comes back there, so `redirect_uri` must
    /// be `https` (or `http` to a loopback address, for an app on the user's machine),
    /// with no user name or fragment; anything else is [`Error::Config`].
    ///
    /// ```
    /// use pipedrive::OAuthApp;
    ///
    /// let app = OAuthApp::new("client-id", "client-secret", "https://crm-sync.example.com/oauth/callback")?;
    ///
    /// // The code must not travel in plain text.
    /// assert!(OAuthApp::new("client-id", "client-secret", "http://crm-sync.example.com/cb").is_err());
    /// # let _ = app;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Result<Self, Error> {
        let redirect_uri = redirect_uri.into();
        super::origin::redirect_uri(&redirect_uri).map_err(Error::Config)?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .build()
            .map_err(|error| Error::Config(format!("HTTP client: {error}")))?;
        let server = credential_url("OAuth server", DEFAULT_OAUTH_SERVER).map_err(Error::Config)?;
        Ok(Self {
            client_id: client_id.into(),
            client_secret: Secret(client_secret.into()),
            redirect_uri,
            server,
            http,
        })
    }

    /// Uses another OAuth server than Pipedrive's (a proxy, a test server): `https`, or
    /// `http` to a loopback address. Its path is kept: under `https://host/proxy/` the
    /// token endpoint is `https://host/proxy/oauth/token`.
    ///
    /// ```
    /// use pipedrive::OAuthApp;
    ///
    /// let app = OAuthApp::new("client-id", "client-secret", "https://crm-sync.example.com/oauth/callback")?
    ///     .oauth_server("https://gateway.internal.example/pipedrive/")?;
    /// let (url, _state) = app.authorize_url(None);
    /// assert!(url.as_str().starts_with("https://gateway.internal.example/pipedrive/oauth/authorize?"));
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn oauth_server(mut self, url: &str) -> Result<Self, Error> {
        self.server = credential_url("OAuth server", url).map_err(Error::Config)?;
        Ok(self)
    }

    /// `oauth/{name}` under the server's URL, its path kept.
    fn endpoint(&self, name: &str) -> Url {
        let mut url = self.server.clone();
        // An https or http URL, as `credential_url` checked, always has a path to extend.
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().extend(["oauth", name]);
        }
        url
    }

    /// The page that asks the user to authorize the app, and the `state` it carries:
    /// `state` when given, else (`None` or empty) 128 random bits as 32 hex digits.
    /// The state comes back with the redirect; keep it with the user's session and check
    /// the redirect's against it with [`state_matches`](Self::state_matches), to refuse
    /// a redirect someone else forged.
    ///
    /// ```
    /// use pipedrive::OAuthApp;
    ///
    /// let app = OAuthApp::new("client-id", "client-secret", "https://crm-sync.example.com/oauth/callback")?;
    /// let (url, state) = app.authorize_url(None);
    /// // Keep `state` in the user's session, then redirect the user to `url`.
    /// assert!(url.as_str().starts_with("https://oauth.pipedrive.com/oauth/authorize?client_id=client-id&"));
    /// assert_eq!(state.len(), 32);
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn authorize_url(&self, state: Option<&str>) -> (Url, String) {
        let state = match state {
            Some(state) if !state.is_empty() => state.to_owned(),
            _ => random_state(),
        };
        let mut url = self.endpoint("authorize");
        url.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("state", &state);
        (url, state)
    }

    /// Whether the `state` of a redirect is the one [`authorize_url`](Self::authorize_url)
    /// sent, compared in constant time (it depends on the lengths only), so that timing
    /// tells an attacker nothing of the expected state. An empty `expected` matches
    /// nothing.
    ///
    /// ```
    /// use pipedrive::OAuthApp;
    ///
    /// # fn callback(kept_in_session: &str, state_in_redirect: &str) -> Result<(), &'static str> {
    /// // In the redirect handler, before the code is exchanged:
    /// if !OAuthApp::state_matches(kept_in_session, state_in_redirect) {
    ///     return Err("a forged redirect");
    /// }
    /// # Ok(())
    /// # }
    /// # assert!(callback("5f2b", "5f2b").is_ok() && callback("5f2b", "5f2c").is_err());
    /// // No state kept (a session that expired, say) matches nothing.
    /// assert!(!OAuthApp::state_matches("", ""));
    /// ```
    pub fn state_matches(expected: &str, received: &str) -> bool {
        let (expected, received) = (expected.as_bytes(), received.as_bytes());
        let mut difference = u8::from(expected.is_empty() || expected.len() != received.len());
        for index in 0..expected.len().max(received.len()) {
            let byte = |bytes: &[u8]| bytes.get(index).copied().unwrap_or(0);
            difference |= byte(expected) ^ byte(received);
        }
        // Kept opaque, so that the loop is not cut short at the first difference.
        std::hint::black_box(difference) == 0
    }

    /// Exchanges the `code` of the redirect for the user's tokens
    /// (`grant_type=authorization_code`). They are checked as a refresh's are.
    ///
    /// ```no_run
    /// use pipedrive::{Client, OAuthApp};
    ///
    /// # async fn callback(app: OAuthApp, code: &str) -> Result<(), pipedrive::Error> {
    /// // `code` is the query parameter of Pipedrive's redirect, its state already checked.
    /// let tokens = app.exchange_code(code).await?;
    /// // Store `tokens` with the user, then:
    /// let client = Client::builder().oauth(app.credentials(tokens)).build()?;
    /// # let _ = client;
    /// # Ok(())
    /// # }
    /// ```
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
        let token_url = self.endpoint("token");
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
    ///
    /// ```no_run
    /// use pipedrive::{OAuthApp, OAuthTokens, TokenKind};
    ///
    /// # async fn disconnect(app: OAuthApp, tokens: OAuthTokens) -> Result<(), pipedrive::Error> {
    /// // The user disconnects the app.
    /// app.revoke(&tokens.refresh_token, TokenKind::Refresh).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn revoke(&self, token: &str, kind: TokenKind) -> Result<(), Error> {
        let app = App {
            client_id: &self.client_id,
            client_secret: &self.client_secret,
        };
        let hint = match kind {
            TokenKind::Refresh => "refresh_token",
            TokenKind::Access => "access_token",
        };
        let url = self.endpoint("revoke");
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
    ///
    /// ```
    /// use pipedrive::{Client, OAuthApp, OAuthTokens};
    ///
    /// let app = OAuthApp::new("client-id", "client-secret", "https://crm-sync.example.com/oauth/callback")?;
    /// # let stored = OAuthTokens::new("access", "refresh");
    /// // The user's stored tokens, refreshed as they expire.
    /// let client = Client::builder().oauth(app.credentials(stored)).build()?;
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn credentials(&self, tokens: OAuthTokens) -> OAuth {
        OAuth::new(self.client_id.clone(), self.client_secret.0.clone(), tokens)
            .token_url(self.endpoint("token").as_str())
    }
}

/// A `state` for [`OAuthApp::authorize_url`]: 128 bits as 32 hex digits, unguessable.
/// Each half is a SipHash of a counter, the clock and a `fastrand` number under a key of
/// the standard library's `RandomState`, whose keys come from the operating system's
/// random source: without the key, the output cannot be predicted from earlier ones.
fn random_state() -> String {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let clock = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos());
    let half = || RandomState::new().hash_one((call, clock, fastrand::u64(..)));
    format!("{:016x}{:016x}", half(), half())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> OAuthApp {
        OAuthApp::new("id", "secret", "https://example.com/cb").unwrap()
    }

    #[test]
    fn debug_output_names_the_app_but_never_its_secret() {
        let debug = format!(
            "{:?}",
            OAuthApp::new("app-id", "app-secret-123", "https://example.com/cb").unwrap()
        );
        assert!(!debug.contains("app-secret-123"), "{debug}");
        for shown in [
            "OAuthApp",
            "app-id",
            "[redacted]",
            "https://example.com/cb",
            "https://oauth.pipedrive.com/",
        ] {
            assert!(debug.contains(shown), "`{shown}` is not in {debug}");
        }
    }

    #[test]
    fn a_state_is_generated_when_none_is_given_and_never_repeats() {
        let states: std::collections::HashSet<String> = (0..1000)
            .map(|n| {
                app()
                    .authorize_url(if n % 2 == 0 { None } else { Some("") })
                    .1
            })
            .collect();
        assert_eq!(states.len(), 1000);
        for state in &states {
            assert!(
                state.len() == 32 && state.bytes().all(|b| b.is_ascii_hexdigit()),
                "{state}"
            );
        }
        let (url, state) = app().authorize_url(Some("mine"));
        assert_eq!(state, "mine");
        assert!(
            url.query_pairs()
                .any(|(name, value)| name == "state" && value == "mine")
        );
    }

    #[test]
    fn states_match_only_when_equal_and_not_empty() {
        assert!(OAuthApp::state_matches("a1b2", "a1b2"));
        for (expected, received) in [
            ("a1b2", "a1b3"),
            ("a1b2", "a1b"),
            ("a1b", "a1b2"),
            ("a1b2", ""),
            ("", ""),
            ("", "x"),
        ] {
            assert!(
                !OAuthApp::state_matches(expected, received),
                "{expected:?} {received:?}"
            );
        }
    }

    #[test]
    fn endpoints_keep_the_servers_path() {
        for (server, token) in [
            (
                "https://oauth.pipedrive.com",
                "https://oauth.pipedrive.com/oauth/token",
            ),
            (
                "https://host.example/proxy/",
                "https://host.example/proxy/oauth/token",
            ),
            (
                "https://host.example/proxy",
                "https://host.example/proxy/oauth/token",
            ),
        ] {
            let app = app().oauth_server(server).unwrap();
            assert_eq!(app.endpoint("token").as_str(), token);
        }
    }
}
