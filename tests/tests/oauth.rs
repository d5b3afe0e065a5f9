//! The OAuth flow around a client's tokens, against a loopback OAuth server: the
//! authorize URL, the code exchange, revoking, and a client refreshing at the app's
//! token endpoint.

use std::time::{Duration, SystemTime};

use pipedrive::{Client, Error, OAuthApp, TokenKind};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `app-id:app-secret`, as HTTP Basic sends it.
const BASIC: &str = "Basic YXBwLWlkOmFwcC1zZWNyZXQ=";
const REDIRECT: &str = "https://example.com/pipedrive/callback?x=1";

async fn app() -> (MockServer, OAuthApp) {
    let server = MockServer::start().await;
    let app = OAuthApp::new("app-id", "app-secret", REDIRECT)
        .expect("app")
        .oauth_server(&server.uri())
        .expect("loopback");
    (server, app)
}

#[tokio::test]
async fn the_authorize_url_carries_the_app_the_redirect_and_the_state() {
    let app = OAuthApp::new("app-id", "app-secret", REDIRECT).expect("app");
    let (url, state) = app.authorize_url(Some("s t&ate"));
    assert_eq!(state, "s t&ate");
    assert_eq!(
        url.origin().ascii_serialization(),
        "https://oauth.pipedrive.com"
    );
    assert_eq!(url.path(), "/oauth/authorize");
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("client_id".into(), "app-id".into()),
            ("redirect_uri".into(), REDIRECT.into()),
            ("state".into(), "s t&ate".into())
        ]
    );
    assert!(!url.as_str().contains("app-secret"));
}

#[tokio::test]
async fn a_code_is_exchanged_for_checked_tokens() {
    let (server, app) = app().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", BASIC))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code=the-code"))
        .and(body_string_contains("redirect_uri=https%3A%2F%2Fexample.com%2Fpipedrive%2Fcallback%3Fx%3D1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "access-1", "refresh_token": "refresh-1", "expires_in": 3599, "api_domain": server.uri()}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let tokens = app.exchange_code("the-code").await.expect("tokens");
    assert_eq!(
        (tokens.access_token.as_str(), tokens.refresh_token.as_str()),
        ("access-1", "refresh-1")
    );
    assert_eq!(tokens.api_domain.as_deref(), Some(server.uri().as_str()));
    let left = tokens
        .expires_at
        .expect("expiry")
        .duration_since(SystemTime::now())
        .expect("in the future");
    assert!(left > Duration::from_secs(3500) && left <= Duration::from_secs(3599));
}

#[tokio::test]
async fn a_token_response_without_a_refresh_token_or_with_a_bad_token_is_refused() {
    for body in [
        json!({"access_token": "access-1"}),
        json!({"access_token": "a\r\nb", "refresh_token": "r"}),
    ] {
        let (server, app) = app().await;
        Mock::given(path("/oauth/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
            .mount(&server)
            .await;
        let error = app.exchange_code("code").await.expect_err("refused");
        assert!(
            matches!(
                error,
                Error::TokenResponse {
                    operation: "oauthExchangeCode",
                    ..
                }
            ),
            "{body}: {error:?}"
        );
    }
    let (server, app) = app().await;
    Mock::given(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"success": false, "error": "invalid_grant"})),
        )
        .mount(&server)
        .await;
    let error = app.exchange_code("used-code").await.expect_err("400");
    assert!(
        matches!(&error, Error::Api(api) if api.operation == "oauthExchangeCode" && api.status == 400),
        "{error:?}"
    );
}

#[tokio::test]
async fn tokens_are_revoked_with_their_kind() {
    let (server, app) = app().await;
    Mock::given(method("POST"))
        .and(path("/oauth/revoke"))
        .and(header("authorization", BASIC))
        .and(body_string_contains("token=refresh-1"))
        .and(body_string_contains("token_type_hint=refresh_token"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    app.revoke("refresh-1", TokenKind::Refresh)
        .await
        .expect("revoked");
    let error = app
        .revoke("access-1", TokenKind::Access)
        .await
        .expect_err("no mock for it");
    assert!(
        matches!(&error, Error::Api(api) if api.operation == "oauthRevoke"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_client_from_the_app_refreshes_at_its_token_endpoint() {
    let (server, app) = app().await;
    Mock::given(path("/oauth/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "access-2", "expires_in": 3600})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations/1"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": {
            "id": 1, "name": "Acme", "add_time": "2021-01-01T00:00:00Z", "update_time": "2021-01-02T00:00:00Z"
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let tokens = pipedrive::OAuthTokens::new("access-1", "refresh-1")
        .expires_at(SystemTime::now())
        .api_domain(server.uri());
    let client = Client::builder()
        .oauth(app.credentials(tokens))
        .build()
        .expect("client");
    client
        .organizations()
        .get(1)
        .await
        .expect("refreshed first");
}

#[test]
fn an_oauth_server_over_plain_http_is_refused() {
    let app = OAuthApp::new("app-id", "app-secret", REDIRECT).expect("app");
    assert!(matches!(
        app.oauth_server("http://oauth.example"),
        Err(Error::Config(_))
    ));
}

#[tokio::test]
async fn an_oauth_server_under_a_path_keeps_it_for_every_endpoint() {
    let server = MockServer::start().await;
    for (endpoint, body) in [
        (
            "/proxy/oauth/token",
            json!({"access_token": "access-1", "refresh_token": "refresh-1"}),
        ),
        ("/proxy/oauth/revoke", json!({})),
    ] {
        Mock::given(method("POST"))
            .and(path(endpoint))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let app = OAuthApp::new("app-id", "app-secret", REDIRECT)
        .expect("app")
        .oauth_server(&format!("{}/proxy/", server.uri()))
        .expect("loopback");
    let (authorize, _) = app.authorize_url(None);
    assert_eq!(authorize.path(), "/proxy/oauth/authorize");
    let tokens = app.exchange_code("the-code").await.expect("tokens");
    app.revoke(&tokens.refresh_token, TokenKind::Refresh)
        .await
        .expect("revoked");
    // A client made from the app refreshes under the prefix too.
    Mock::given(method("POST"))
        .and(path("/proxy/oauth/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "access-2"})))
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations/1"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": {
            "id": 1, "name": "Acme", "add_time": "2021-01-01T00:00:00Z", "update_time": "2021-01-02T00:00:00Z"
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .oauth(app.credentials(tokens.expires_at(SystemTime::now())))
        .base_url(server.uri())
        .build()
        .expect("client");
    client
        .organizations()
        .get(1)
        .await
        .expect("refreshed under the prefix");
    let paths: Vec<String> = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect();
    assert!(
        paths
            .iter()
            .all(|p| p.starts_with("/proxy/") || p.starts_with("/api/")),
        "{paths:?}"
    );
}

#[test]
fn a_redirect_uri_that_is_not_https_is_refused() {
    for bad in [
        "javascript:alert(1)",
        "http://example.com/callback",
        "https://user:pw@example.com/callback",
        "https://example.com/callback#fragment",
        "callback",
    ] {
        assert!(
            matches!(
                OAuthApp::new("app-id", "app-secret", bad),
                Err(Error::Config(_))
            ),
            "{bad}"
        );
    }
    for good in [
        REDIRECT,
        "http://127.0.0.1:8080/callback",
        "http://localhost/cb",
    ] {
        OAuthApp::new("app-id", "app-secret", good).unwrap_or_else(|e| panic!("{good}: {e}"));
    }
}

#[test]
fn the_state_is_random_unless_given_and_checked_in_constant_time() {
    let app = OAuthApp::new("app-id", "app-secret", REDIRECT).expect("app");
    let (url, state) = app.authorize_url(None);
    let (_, other) = app.authorize_url(Some(""));
    assert_ne!(state, other);
    assert_eq!(state.len(), 32, "128 bits in hex: {state}");
    let sent = url
        .query_pairs()
        .find(|(name, _)| name == "state")
        .map(|(_, value)| value.into_owned());
    assert_eq!(sent.as_deref(), Some(state.as_str()));
    assert!(OAuthApp::state_matches(&state, &state.clone()));
    assert!(!OAuthApp::state_matches(&state, &other));
    assert!(!OAuthApp::state_matches(&state, &state[..31]));
    assert!(!OAuthApp::state_matches("", ""), "no state matches nothing");
}
