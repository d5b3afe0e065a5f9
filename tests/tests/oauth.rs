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
    let url = app.authorize_url("s t&ate");
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
