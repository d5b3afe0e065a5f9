//! Retries, rate limits, timeouts and OAuth refresh against a loopback server, and the
//! promise that no credential reaches a URL, a `Debug` string or a log line.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use common::{Captured, fast, organization_body};
use pipedrive::organizations::NewOrganization;
use pipedrive::{Client, Error, OAuth, OAuthTokens, RateLimitScope, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "api-token-5e1f";

async fn server(policy: RetryPolicy) -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(server.uri())
        .retry_policy(policy)
        .build()
        .expect("client");
    (server, client)
}

fn organization() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(organization_body(1))
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.expect("recorded").len()
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_and_retried() {
    let (server, client) = server(fast(3)).await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"success": false, "error": "Too many requests"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(organization())
        .mount(&server)
        .await;
    let organization = client.organizations().get(1).send().await.expect("retried");
    assert_eq!(organization.name.as_deref(), Some("Acme"));
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_get_survives_two_503s() {
    let (server, client) = server(fast(3)).await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(organization())
        .mount(&server)
        .await;
    client
        .organizations()
        .get(1)
        .send()
        .await
        .expect("third attempt succeeds");
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test]
async fn retries_stop_at_the_budget_and_return_the_last_error() {
    let (server, client) = server(fast(2)).await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .up_to_n_times(3)
        .with_priority(1)
        .mount(&server)
        .await;
    // A fourth attempt would succeed: a client that did not stop at two retries
    // fails this test at once instead of retrying for minutes.
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(organization())
        .mount(&server)
        .await;
    let error = client
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("503 three times");
    assert!(
        matches!(&error, Error::Api(api) if api.status == 503 && api.body == "busy"),
        "{error:?}"
    );
    assert_eq!(requests(&server).await, 3, "one attempt and two retries");
}

#[tokio::test]
async fn a_retry_after_beyond_the_total_wait_budget_is_not_waited_for() {
    let policy = fast(3).max_total_wait(Duration::from_secs(5));
    let (server, client) = server(policy).await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let error = client
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("gives up");
    let Error::RateLimited(limited) = error else {
        panic!("expected RateLimited, got {error:?}")
    };
    assert_eq!(limited.scope, RateLimitScope::Burst);
    assert_eq!(limited.retry_after, Some(Duration::from_secs(3600)));
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_post_that_may_have_taken_effect_is_never_repeated() {
    let (server, client) = server(fast(3)).await;
    Mock::given(method("POST"))
        .and(path("/api/v2/organizations"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let error = client
        .organizations()
        .add(NewOrganization::new("Acme"))
        .send()
        .await
        .expect_err("500");
    assert_eq!(error.status(), Some(500));
    assert_eq!(requests(&server).await, 1);

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let error = client
        .organizations()
        .add(NewOrganization::new("Acme"))
        .send()
        .await
        .expect_err("503");
    assert_eq!(error.status(), Some(503));
    assert_eq!(
        requests(&server).await,
        1,
        "a 503 to a POST may come after the server acted"
    );
}

#[tokio::test]
async fn a_post_rejected_with_429_is_repeated() {
    let (server, client) = server(fast(3)).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("x-ratelimit-reset", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(organization())
        .mount(&server)
        .await;
    client
        .organizations()
        .add(NewOrganization::new("Acme"))
        .send()
        .await
        .expect("429 proves nothing was done");
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn the_daily_budget_fails_fast() {
    let (server, client) = server(fast(3)).await;
    Mock::given(path("/api/v2/organizations"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-daily-requests-left", "0")
                .set_body_json(json!({"success": false, "error": "daily request budget exceeded", "errorCode": 429})),
        )
        .mount(&server)
        .await;
    let error = client
        .organizations()
        .list()
        .send()
        .await
        .expect_err("budget spent");
    let Error::RateLimited(limited) = error else {
        panic!("expected RateLimited, got {error:?}")
    };
    assert_eq!(limited.scope, RateLimitScope::Daily);
    assert_eq!(limited.api.rate_limit.daily_requests_left, Some(0));
    assert_eq!(limited.api.code.as_deref(), Some("429"));
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_slow_server_hits_the_timeout_and_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(organization().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .retry_policy(fast(3))
        .build()
        .expect("client");
    let error = client
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("too slow");
    assert!(
        matches!(
            error,
            Error::Timeout {
                operation: "getOrganization"
            }
        ),
        "{error:?}"
    );
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(fast(1))
        .build()
        .expect("client");
    let error = client
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("refused");
    assert!(
        matches!(
            error,
            Error::Transport {
                operation: "getOrganization",
                ..
            }
        ),
        "{error:?}"
    );
}

/// A token endpoint and an API behind it, with the tokens each refresh handed back.
struct OAuthSetup {
    api: MockServer,
    tokens_seen: Arc<Mutex<Vec<OAuthTokens>>>,
    client: Client,
}

async fn oauth(expires_at: Option<SystemTime>, token_response: serde_json::Value) -> OAuthSetup {
    oauth_with(expires_at, token_response, Start::BaseUrl).await
}

/// How an [`OAuthSetup`]'s client is pointed at its API server.
enum Start {
    /// With `base_url`, which an `api_domain` does not move.
    BaseUrl,
    /// With the tokens' `api_domain`, as a client restored from stored tokens is.
    ApiDomain,
}

async fn oauth_with(
    expires_at: Option<SystemTime>,
    token_response: serde_json::Value,
    start: Start,
) -> OAuthSetup {
    let api = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", "Basic YXBwLWlkOmFwcC1zZWNyZXQ=")) // app-id:app-secret
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=refresh-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_response))
        .expect(1)
        .mount(&api)
        .await;
    let tokens_seen = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&tokens_seen);
    let api_domain = matches!(start, Start::ApiDomain).then(|| api.uri());
    let mut tokens = OAuthTokens::new("access-1", "refresh-1");
    if let Some(at) = expires_at {
        tokens = tokens.expires_at(at);
    }
    if let Some(domain) = api_domain {
        tokens = tokens.api_domain(domain);
    }
    let credentials = OAuth::new("app-id", "app-secret", tokens)
        .token_url(format!("{}/oauth/token", api.uri()))
        .on_refresh(move |tokens| {
            seen.lock().expect("lock").push(tokens);
            std::future::ready(Ok::<(), std::io::Error>(()))
        });
    let builder = Client::builder().oauth(credentials).retry_policy(fast(0));
    let builder = match start {
        Start::BaseUrl => builder.base_url(api.uri()),
        Start::ApiDomain => builder,
    };
    let client = builder.build().expect("client");
    OAuthSetup {
        api,
        tokens_seen,
        client,
    }
}

#[tokio::test]
async fn a_401_triggers_exactly_one_refresh_and_one_retry() {
    let setup = oauth(
        None,
        json!({"access_token": "access-2", "refresh_token": "refresh-2", "expires_in": 3600}),
    )
    .await;
    Mock::given(path("/api/v2/organizations/1"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"success": false, "error": "unauthorized"})),
        )
        .expect(1)
        .mount(&setup.api)
        .await;
    Mock::given(path("/api/v2/organizations/1"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(organization())
        .expect(1)
        .mount(&setup.api)
        .await;
    setup
        .client
        .organizations()
        .get(1)
        .send()
        .await
        .expect("refreshed and retried");
    let seen = setup.tokens_seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].access_token, "access-2");
    assert_eq!(seen[0].refresh_token, "refresh-2");
    assert!(seen[0].expires_at.is_some());
    setup.api.verify().await;
}

#[tokio::test]
async fn a_second_401_is_returned_not_refreshed_again() {
    let setup = oauth(None, json!({"access_token": "access-2"})).await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&setup.api)
        .await;
    let error = setup
        .client
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("still unauthorized");
    assert_eq!(error.status(), Some(401));
    // One refresh (the token mock expects exactly one), two attempts.
    let api_calls = setup
        .api
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .filter(|r| r.url.path() != "/oauth/token")
        .count();
    assert_eq!(api_calls, 2);
    setup.api.verify().await;
}

#[tokio::test]
async fn an_expiring_token_is_refreshed_first_and_api_domain_becomes_the_base_url() {
    let company = MockServer::start().await;
    Mock::given(path("/api/v2/organizations/1"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(organization())
        .expect(1)
        .mount(&company)
        .await;
    // Expiring within the 60-second margin, not yet expired: refreshed before the call.
    let expiring = SystemTime::now() + Duration::from_secs(30);
    let response =
        json!({"access_token": "access-2", "expires_in": 3600, "api_domain": company.uri()});
    // No base URL set: requests follow the tokens' api_domain.
    let setup = oauth_with(Some(expiring), response, Start::ApiDomain).await;
    setup
        .client
        .organizations()
        .get(1)
        .send()
        .await
        .expect("sent to the api_domain with the new token");
    assert_eq!(
        setup.client.base_url().as_str().trim_end_matches('/'),
        company.uri()
    );
    assert_eq!(
        setup.tokens_seen.lock().expect("lock")[0]
            .api_domain
            .as_deref(),
        Some(company.uri().as_str())
    );
    company.verify().await;
    setup.api.verify().await;
}

#[tokio::test]
async fn no_credential_reaches_a_url_a_debug_string_or_a_log_line() {
    use tracing_subscriber::util::SubscriberInitExt;
    let captured = Captured::default();
    let writer = captured.clone();
    let _guard = tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish()
        .set_default();

    let (server, client) = server(fast(1)).await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(organization())
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations/2"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    client.organizations().get(1).send().await.expect("ok");
    let error = client.organizations().get(2).send().await.expect_err("503");

    let setup = oauth(
        None,
        json!({"access_token": "access-2", "refresh_token": "refresh-2"}),
    )
    .await;
    Mock::given(path("/api/v2/organizations/1"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&setup.api)
        .await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(organization())
        .mount(&setup.api)
        .await;
    setup
        .client
        .organizations()
        .get(1)
        .send()
        .await
        .expect("refreshed");

    let logs = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(
        logs.contains("pipedrive.request")
            && logs.contains("getOrganization")
            && logs.contains("retrying"),
        "{logs}"
    );
    let debug = format!("{client:?} {:?} {error:?} {error}", setup.client);
    for secret in [
        TOKEN,
        "access-1",
        "access-2",
        "refresh-1",
        "refresh-2",
        "app-secret",
    ] {
        assert!(!logs.contains(secret), "`{secret}` in the logs:\n{logs}");
        assert!(
            !debug.contains(secret),
            "`{secret}` in Debug output: {debug}"
        );
    }
    for request in server.received_requests().await.expect("recorded") {
        assert!(!request.url.as_str().contains(TOKEN));
    }
}

#[tokio::test]
async fn a_location_shows_no_password_or_query_value_in_a_log_line_or_an_error() {
    use tracing_subscriber::util::SubscriberInitExt;
    let captured = Captured::default();
    let writer = captured.clone();
    let _guard = tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish()
        .set_default();

    let (server, client) = server(fast(0)).await;
    let port = server.address().port();
    // Followed: the same origin, whatever the user name and password say.
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("http://user:hunter2@127.0.0.1:{port}/moved?token=tok-1&page=2").as_str(),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/moved"))
        .respond_with(organization())
        .mount(&server)
        .await;
    // Not followed: another origin.
    Mock::given(path("/api/v2/organizations/2"))
        .respond_with(ResponseTemplate::new(307).insert_header(
            "location",
            "https://admin:hunter3@evil.example:8443/steal?token=tok-2&x#frag-secret",
        ))
        .mount(&server)
        .await;
    client
        .organizations()
        .get(1)
        .send()
        .await
        .expect("followed");
    let error = client
        .organizations()
        .get(2)
        .send()
        .await
        .expect_err("not followed");
    assert!(
        matches!(&error, Error::Redirect { location: Some(location), .. }
            if location == "https://[redacted]@evil.example:8443/steal?token=[redacted]&[redacted]#[redacted]"),
        "{error:?}"
    );
    let moved = &server.received_requests().await.expect("recorded")[1];
    assert_eq!(moved.url.path(), "/moved");
    assert!(
        !moved.headers.contains_key("authorization"),
        "the Location's user name and password are not sent"
    );

    let logs = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(
        logs.contains("following a same-origin redirect")
            && logs.contains(&format!(
                "http://[redacted]@127.0.0.1:{port}/moved?token=[redacted]&page=[redacted]"
            )),
        "{logs}"
    );
    let shown = format!("{error} {error:?} {logs}");
    for secret in [
        "hunter2",
        "tok-1",
        "hunter3",
        "tok-2",
        "frag-secret",
        "admin",
    ] {
        assert!(!shown.contains(secret), "`{secret}` shown: {shown}");
    }
}

#[tokio::test]
async fn a_callers_http_client_gets_the_default_timeout_unless_one_is_set() {
    use tests::wire::{Reply, Wire};
    for (timeout, expected) in [(None, 30), (Some(5), 5)] {
        let server = Wire::start(|_, _| Reply::Hang);
        let builder = Client::builder()
            .api_token(TOKEN)
            .base_url(server.url())
            // A timeout set on reqwest's builder is replaced by the crate's.
            .http_client(pipedrive::reqwest::Client::builder().timeout(Duration::from_secs(7200)))
            .retry_policy(RetryPolicy::none());
        let client = match timeout {
            Some(seconds) => builder.timeout(Duration::from_secs(seconds)),
            None => builder,
        }
        .build()
        .expect("client");
        let started = tokio::time::Instant::now();
        // Virtual time from the moment the server holds the request: the connection is
        // made, and the clock jumps to the next timer, the request's timeout.
        let paused_once_sent = async {
            while server.log().requests.is_empty() {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            tokio::time::pause();
        };
        let (result, ()) = tokio::join!(
            tokio::time::timeout(
                Duration::from_secs(3600),
                client.organizations().get(1).send()
            ),
            paused_once_sent
        );
        let result = result.expect("the request's own timeout ends it");
        assert!(
            matches!(
                result,
                Err(Error::Timeout {
                    operation: "getOrganization"
                })
            ),
            "{result:?}"
        );
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_secs(expected) && waited < Duration::from_secs(expected + 1),
            "{timeout:?}: {waited:?}"
        );
        tokio::time::resume();
    }
}

/// A loopback server that answers every request for `/api/v2/organizations/1` with a
/// same-origin redirect to `/hop?api_token=…`, and closes the connection on any request
/// for `/hop` without an answer. With `redirect: false` it closes on the first request.
async fn closing_server(redirect: bool) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = vec![0; 4096];
                let read = socket.read(&mut request).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&request[..read]).into_owned();
                if redirect && !head.starts_with("GET /hop") {
                    let answer = "HTTP/1.1 302 Found\r\nLocation: /hop?api_token=hop-secret-91\r\n\
                                  Content-Length: 0\r\nConnection: close\r\n\r\n";
                    let _ = socket.write_all(answer.as_bytes()).await;
                }
                // Otherwise dropped unanswered: a transport error for the client.
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_transport_error_on_a_redirect_hop_shows_no_url_and_one_on_the_first_request_does() {
    // Each call is never answered: a transport error, whatever it shows.
    let unanswered = |redirect: bool| async move {
        let error = Client::builder()
            .api_token(TOKEN)
            .base_url(closing_server(redirect).await)
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("client")
            .organizations()
            .get(1)
            .send()
            .await
            .expect_err("never answered");
        assert!(matches!(error, Error::Transport { .. }), "{error:?}");
        error
    };
    let hop = unanswered(true).await;
    let shown = format!("{hop} {hop:?}");
    assert!(!shown.contains("hop-secret-91"), "{shown}");

    // The first request's URL holds no credential, and it says where the call went.
    let first = unanswered(false).await;
    assert!(
        format!("{first:?}").contains("/api/v2/organizations/1"),
        "{first:?}"
    );
}
