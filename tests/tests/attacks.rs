//! A hostile or broken server, on loopback, against the client's promises: no credential
//! reaches another origin or plain HTTP, no number a server sends panics the client, an
//! OAuth refresh is one flight whatever happens to it, and the burst limiter keeps a
//! strict server from ever answering 429. Each test asserts what happened, not only that
//! nothing panicked. Memory bounds are in `memory.rs`, which needs its own allocator.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use common::{fast, organization_body};
use futures::future::join_all;
use pipedrive::organizations::NewOrganization;
use pipedrive::{Client, Error, OAuth, OAuthTokens};
use serde_json::json;
use tests::wire::{Reply, Wire, response};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = "api-token-5e1f";
const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

fn organization() -> Vec<u8> {
    serde_json::to_vec(&organization_body(1)).expect("json")
}

fn client(base: &str) -> Client {
    Client::builder()
        .api_token(TOKEN)
        .base_url(base)
        .retry_policy(fast(3))
        .build()
        .expect("client")
}

/// Where a redirect can point that is not the API's origin.
fn other_origins(api: &Wire, bystander: &Wire) -> Vec<String> {
    vec![
        // Another port of the same host.
        format!("http://127.0.0.1:{}", bystander.port()),
        // Another host name for the same machine.
        format!("http://localhost:{}", bystander.port()),
        // The same host and port, another scheme.
        format!("https://127.0.0.1:{}", api.port()),
    ]
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_an_error_and_the_other_origin_receives_nothing() {
    let bystander = Wire::bystander();
    let target = Arc::new(Mutex::new(String::new()));
    let current = Arc::clone(&target);
    let api = Wire::start(move |_, _| {
        let (status, location) = current
            .lock()
            .expect("lock")
            .split_once(' ')
            .map(|(s, l)| (s.to_owned(), l.to_owned()))
            .expect("set");
        Reply::Bytes(response(
            status.parse().expect("status"),
            &[("location", &location)],
            b"",
        ))
    });
    // The default HTTP client, and one the caller built: neither follows.
    let own = Client::builder()
        .api_token(TOKEN)
        .base_url(api.url())
        .http_client(pipedrive::reqwest::Client::builder())
        .build()
        .expect("client");
    for client in [client(&api.url()), own] {
        for origin in other_origins(&api, &bystander) {
            for status in REDIRECTS {
                let location = format!("{origin}/steal");
                *target.lock().expect("lock") = format!("{status} {location}");
                let get = client
                    .organizations()
                    .get(1)
                    .send()
                    .await
                    .expect_err("not followed");
                assert!(
                    matches!(&get, Error::Redirect { operation: "getOrganization", status: s, location: Some(l) } if *s == status && *l == location),
                    "{status} to {origin}: {get:?}"
                );
                assert_eq!(get.status(), Some(status));
                let post = client
                    .organizations()
                    .add(NewOrganization::new("Acme"))
                    .send()
                    .await
                    .expect_err("not followed");
                assert!(
                    matches!(&post, Error::Redirect { status: s, .. } if *s == status),
                    "{post:?}"
                );
            }
        }
    }
    let log = bystander.log();
    assert_eq!(
        (log.connections, log.bytes_received),
        (0, 0),
        "the other origin received nothing"
    );
    // Each call was one request: a redirect is not retried either.
    assert_eq!(
        api.log().requests.len(),
        2 * other_origins(&api, &bystander).len() * REDIRECTS.len() * 2
    );
}

#[tokio::test]
async fn a_same_origin_redirect_of_a_get_is_followed_with_the_credential_a_few_times_at_most() {
    let api = Wire::start(|seen, _| match seen.target() {
        "/api/v2/organizations/1" => Reply::Bytes(response(302, &[("location", "/moved/1")], b"")),
        "/moved/1" => Reply::Bytes(response(200, &[], &organization())),
        // A redirect that leads back to itself.
        _ => Reply::Bytes(response(
            307,
            &[("location", "/api/v2/organizations/2")],
            b"",
        )),
    });
    let client = client(&api.url());
    let organization = client
        .organizations()
        .get(1)
        .send()
        .await
        .expect("followed");
    assert_eq!(organization.id, 1);
    {
        let log = api.log();
        assert_eq!(log.requests.len(), 2);
        assert_eq!(
            log.requests[1].header("x-api-token"),
            Some(TOKEN),
            "the same origin gets the credential"
        );
    }
    let looping = client
        .organizations()
        .get(2)
        .send()
        .await
        .expect_err("a loop ends");
    assert!(
        matches!(looping, Error::Redirect { status: 307, .. }),
        "{looping:?}"
    );
    assert_eq!(
        api.log().requests.len(),
        2 + 4,
        "the first request and three redirects followed"
    );
}

#[tokio::test]
async fn a_redirected_post_is_neither_followed_nor_repeated() {
    let api = Wire::start(|_, _| {
        Reply::Bytes(response(307, &[("location", "/api/v2/organizations")], b""))
    });
    let error = client(&api.url())
        .organizations()
        .add(NewOrganization::new("Acme"))
        .send()
        .await
        .expect_err("307");
    assert!(
        matches!(error, Error::Redirect { status: 307, .. }),
        "{error:?}"
    );
    assert_eq!(api.log().requests.len(), 1, "the body was sent once");
}

fn oauth_tokens(expires_at: Option<SystemTime>, api_domain: Option<String>) -> OAuthTokens {
    let tokens = OAuthTokens::new("access-1", "refresh-1");
    let tokens = match expires_at {
        Some(at) => tokens.expires_at(at),
        None => tokens,
    };
    match api_domain {
        Some(domain) => tokens.api_domain(domain),
        None => tokens,
    }
}

fn expired() -> Option<SystemTime> {
    Some(SystemTime::now() - Duration::from_secs(10))
}

/// The app's credentials for `tokens`, refreshing at `api`'s `/oauth/token`.
fn app(api: &MockServer, tokens: OAuthTokens) -> OAuth {
    OAuth::new("app", "secret", tokens).token_url(format!("{}/oauth/token", api.uri()))
}

/// A client of `api` that authenticates with `oauth`.
fn oauth_client(api: &MockServer, oauth: OAuth) -> Client {
    Client::builder()
        .oauth(oauth)
        .base_url(api.uri())
        .build()
        .expect("client")
}

/// Every token pair `on_refresh` was given.
type Seen = Arc<Mutex<Vec<OAuthTokens>>>;

fn recording(oauth: OAuth) -> (OAuth, Seen) {
    let seen = Seen::default();
    let record = Arc::clone(&seen);
    let oauth = oauth.on_refresh(move |tokens| {
        record.lock().expect("lock").push(tokens);
        std::future::ready(Ok::<(), std::io::Error>(()))
    });
    (oauth, seen)
}

#[tokio::test]
async fn the_token_endpoint_follows_no_redirect() {
    let bystander = Wire::bystander();
    let location = format!("{}/oauth/token", bystander.url());
    let for_token = location.clone();
    let token =
        Wire::start(move |_, _| Reply::Bytes(response(307, &[("location", &for_token)], b"")));
    let api = Wire::bystander();
    let (oauth, seen) = recording(
        OAuth::new("app", "secret", oauth_tokens(expired(), None))
            .token_url(format!("{}/token", token.url())),
    );
    let client = Client::builder()
        .oauth(oauth)
        .base_url(api.url())
        .build()
        .expect("client");
    let error = client
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("no tokens");
    assert!(
        matches!(&error, Error::Redirect { operation: "oauthRefresh", status: 307, location: Some(l) } if *l == location),
        "{error:?}"
    );
    assert_eq!(
        bystander.log().connections,
        0,
        "the refresh token went nowhere else"
    );
    assert_eq!(api.log().connections, 0, "no call was made without a token");
    assert!(seen.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn an_api_domain_that_is_not_https_is_refused_and_the_base_url_kept() {
    let api = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "access-2", "api_domain": "http://evil.example"}),
        ))
        .expect(1)
        .mount(&api)
        .await;
    let oauth = app(&api, oauth_tokens(expired(), Some(api.uri())));
    let (oauth, seen) = recording(oauth);
    let client = Client::builder()
        .oauth(oauth)
        .retry_policy(fast(0))
        .build()
        .expect("client");
    let before = client.base_url();
    let error = client
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("refused");
    assert!(
        matches!(&error, Error::TokenResponse { reason, .. } if reason.contains("plain http")),
        "{error:?}"
    );
    assert_eq!(client.base_url(), before);
    assert!(
        seen.lock().expect("lock").is_empty(),
        "nothing of the response was stored"
    );
    let api_calls = api
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .filter(|r| r.url.path() != "/oauth/token")
        .count();
    assert_eq!(api_calls, 0);
}

#[tokio::test]
async fn absurd_waits_in_headers_are_refused_not_added_up() {
    let huge = u64::MAX.to_string();
    for (status, name) in [
        (429, "retry-after"),
        (429, "x-ratelimit-reset"),
        (503, "retry-after"),
    ] {
        let value = huge.clone();
        // One ordinary retry first, so the absurd wait is added to time already waited.
        let api = Wire::start(move |_, n| match n {
            0 => Reply::Bytes(response(503, &[], b"")),
            _ => Reply::Bytes(response(status, &[(name, &value)], b"{}")),
        });
        let error = client(&api.url())
            .organizations()
            .get(1)
            .send()
            .await
            .expect_err("gives up");
        assert_eq!(error.status(), Some(status), "{name}: {error:?}");
        if let Error::RateLimited(limited) = &error {
            assert_eq!(limited.retry_after, Some(Duration::from_secs(u64::MAX)));
        }
        assert_eq!(
            api.log().requests.len(),
            2,
            "{status} {name}: the absurd wait was not waited"
        );
    }
    let api = Wire::start(|_, _| {
        Reply::Bytes(response(
            429,
            &[("retry-after", "Wed, 30 Dec 9998 00:00:00 GMT")],
            b"{}",
        ))
    });
    let error = client(&api.url())
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("gives up");
    assert!(matches!(error, Error::RateLimited(_)), "{error:?}");
    assert_eq!(api.log().requests.len(), 1);
}

#[tokio::test]
async fn an_absurd_expires_in_is_stored_as_unknown_and_reported() {
    let api = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "access-2", "expires_in": u64::MAX})),
        )
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(path("/api/v2/organizations/1"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(organization()))
        .mount(&api)
        .await;
    let (oauth, seen) = recording(app(&api, oauth_tokens(expired(), None)));
    let client = oauth_client(&api, oauth);
    client
        .organizations()
        .get(1)
        .send()
        .await
        .expect("refreshed");
    let seen = seen.lock().expect("lock");
    assert_eq!(seen.len(), 1, "on_refresh saw the stored pair");
    assert_eq!(
        (seen[0].access_token.as_str(), seen[0].expires_at),
        ("access-2", None)
    );
}

/// Counts the calls to a token endpoint and answers each with `answer(n)`.
struct TokenEndpoint<F>(Arc<AtomicUsize>, F);

impl<F: Fn(usize) -> ResponseTemplate + Send + Sync> Respond for TokenEndpoint<F> {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        (self.1)(self.0.fetch_add(1, Ordering::SeqCst))
    }
}

async fn token_endpoint(
    server: &MockServer,
    answer: impl Fn(usize) -> ResponseTemplate + Send + Sync + 'static,
) -> Arc<AtomicUsize> {
    let calls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(TokenEndpoint(Arc::clone(&calls), answer))
        .mount(server)
        .await;
    calls
}

#[tokio::test]
async fn fifty_401s_against_a_failing_token_endpoint_cost_it_one_call() {
    let api = MockServer::start().await;
    let calls = token_endpoint(&api, |_| ResponseTemplate::new(500).set_body_string("down")).await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&api)
        .await;
    let oauth = app(&api, oauth_tokens(None, None));
    let client = Client::builder()
        .oauth(oauth)
        .base_url(api.uri())
        .retry_policy(fast(0))
        .build()
        .expect("client");
    let results = join_all((0..50).map(|_| client.organizations().get(1).send())).await;
    for result in results {
        let error = result.expect_err("no token");
        assert!(
            matches!(&error, Error::Api(api) if api.operation == "oauthRefresh" && api.status == 500),
            "{error:?}"
        );
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_hanging_token_endpoint_times_out_once_for_every_waiting_caller() {
    let token = Wire::start(|_, _| Reply::Hang);
    let api = Wire::bystander();
    let timeout = Duration::from_millis(300);
    let oauth = OAuth::new("app", "secret", oauth_tokens(expired(), None))
        .token_url(format!("{}/token", token.url()))
        .refresh_timeout(timeout);
    let client = Client::builder()
        .oauth(oauth)
        .base_url(api.url())
        .build()
        .expect("client");
    let started = Instant::now();
    let results = join_all((0..20).map(|_| client.organizations().get(1).send())).await;
    let elapsed = started.elapsed();
    for result in results {
        let error = result.expect_err("timed out");
        assert!(
            matches!(
                error,
                Error::Timeout {
                    operation: "oauthRefresh"
                }
            ),
            "{error:?}"
        );
    }
    assert!(token.wait_until(|log| log.requests.len() == 1));
    assert_eq!(token.log().connections, 1, "one refresh for twenty callers");
    // Twenty refreshes one after another would take twenty timeouts.
    assert!(elapsed < timeout * 5, "took {elapsed:?}");
}

#[tokio::test]
async fn a_token_that_cannot_be_a_header_is_refused_the_old_tokens_kept_and_a_refresh_tried_later()
{
    let api = MockServer::start().await;
    let calls = token_endpoint(&api, |n| match n {
        0 => ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "evil\r\nx-injected: 1", "refresh_token": "refresh-evil"}),
        ),
        _ => ResponseTemplate::new(200)
            .set_body_json(json!({"access_token": "access-2", "expires_in": 3600})),
    })
    .await;
    Mock::given(path("/api/v2/organizations/1"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(organization()))
        .mount(&api)
        .await;
    let (oauth, seen) = recording(app(&api, oauth_tokens(expired(), None)));
    let client = oauth_client(&api, oauth);
    let error = client
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("refused");
    assert!(
        matches!(&error, Error::TokenResponse { reason, .. } if reason.contains("access token")),
        "{error:?}"
    );
    // Within the cool-down, a failed refresh is not repeated.
    let again = client
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("cooling down");
    assert!(matches!(again, Error::TokenResponse { .. }), "{again:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(
        seen.lock().expect("lock").is_empty(),
        "the refused tokens were not stored"
    );
    // After it, the next call refreshes again, with the refresh token it had.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    client
        .organizations()
        .get(1)
        .send()
        .await
        .expect("refreshed again");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let bodies: Vec<String> = api
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    assert!(
        bodies
            .iter()
            .all(|body| body.contains("refresh_token=refresh-1")),
        "{bodies:?}"
    );
}

#[tokio::test]
async fn a_caller_that_gives_up_mid_refresh_does_not_lose_the_rotated_tokens() {
    let api = MockServer::start().await;
    let calls = token_endpoint(&api, |_| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"access_token": "access-2", "refresh_token": "refresh-2", "expires_in": 3600}))
            .set_delay(Duration::from_millis(300))
    })
    .await;
    Mock::given(path("/api/v2/organizations/1"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(organization()))
        .expect(1)
        .mount(&api)
        .await;
    let (oauth, seen) = recording(app(&api, oauth_tokens(expired(), None)));
    let client = oauth_client(&api, oauth);
    let gave_up = tokio::time::timeout(
        Duration::from_millis(50),
        client.organizations().get(1).send(),
    )
    .await;
    assert!(
        gave_up.is_err(),
        "the caller gave up while the refresh was in flight"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while seen.lock().expect("lock").is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let stored = seen.lock().expect("lock").clone();
    assert_eq!(stored.len(), 1, "the refresh finished without its caller");
    assert_eq!(
        (
            stored[0].access_token.as_str(),
            stored[0].refresh_token.as_str()
        ),
        ("access-2", "refresh-2")
    );
    client
        .organizations()
        .get(1)
        .send()
        .await
        .expect("uses the rotated token");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    api.verify().await;
}

#[tokio::test]
async fn on_refresh_sees_every_stored_pair_in_order_and_one_per_flight() {
    let api = MockServer::start().await;
    // Each answer expires at once, so every call needs a refresh of its own.
    let calls = token_endpoint(&api, |n| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"access_token": format!("access-{}", n + 2), "expires_in": 0}))
    })
    .await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(organization()))
        .mount(&api)
        .await;
    let (oauth, seen) = recording(app(&api, oauth_tokens(expired(), None)));
    let client = oauth_client(&api, oauth);
    for _ in 0..3 {
        client
            .organizations()
            .get(1)
            .send()
            .await
            .expect("refreshed");
    }
    let tokens: Vec<String> = seen
        .lock()
        .expect("lock")
        .iter()
        .map(|t| t.access_token.clone())
        .collect();
    assert_eq!(tokens, ["access-2", "access-3", "access-4"]);
    // Ten callers at once share one refresh.
    join_all((0..10).map(|_| client.organizations().get(1).send()))
        .await
        .into_iter()
        .for_each(|r| {
            r.expect("refreshed");
        });
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert_eq!(seen.lock().expect("lock").len(), 4);
}

#[tokio::test]
async fn a_401_to_an_older_token_does_not_refresh_again() {
    let api = MockServer::start().await;
    let calls = token_endpoint(&api, |_| {
        ResponseTemplate::new(200).set_body_json(json!({"access_token": "access-2"}))
    })
    .await;
    // The old token's 401s: one at once, one after the refresh has finished.
    Mock::given(path("/api/v2/organizations/1"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&api)
        .await;
    Mock::given(path("/api/v2/organizations/2"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(ResponseTemplate::new(401).set_delay(Duration::from_millis(300)))
        .mount(&api)
        .await;
    for id in ["1", "2"] {
        Mock::given(path(format!("/api/v2/organizations/{id}")))
            .and(header("authorization", "Bearer access-2"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(organization()))
            .mount(&api)
            .await;
    }
    let oauth = app(&api, oauth_tokens(None, None));
    let client = Client::builder()
        .oauth(oauth)
        .base_url(api.uri())
        .retry_policy(fast(0))
        .build()
        .expect("client");
    let (first, second) = tokio::join!(
        client.organizations().get(1).send(),
        client.organizations().get(2).send()
    );
    first.expect("refreshed");
    second.expect("repeated with the token the first refresh brought");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_failing_on_refresh_is_reported_and_the_new_tokens_used() {
    let api = MockServer::start().await;
    let calls = token_endpoint(&api, |_| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"access_token": "access-2", "expires_in": 3600}))
    })
    .await;
    Mock::given(path("/api/v2/organizations/1"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(organization()))
        .expect(1)
        .mount(&api)
        .await;
    let oauth = app(&api, oauth_tokens(expired(), None))
        .on_refresh(|_| async { Err(std::io::Error::other("disk full")) });
    let client = oauth_client(&api, oauth);
    let error = client
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("not persisted");
    assert!(matches!(&error, Error::PersistTokens { .. }), "{error:?}");
    assert!(error.to_string().contains("disk full"), "{error}");
    client
        .organizations()
        .get(1)
        .send()
        .await
        .expect("the new tokens are in use");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    api.verify().await;
}

/// A server that enforces a burst limit strictly: more than `limit` requests arriving in
/// any rolling `window` get a 429. Every seventh request fails with a 503, so retries
/// are part of the traffic.
struct StrictWindow {
    limit: usize,
    window: Duration,
    arrivals: Mutex<Vec<Instant>>,
    rejected: AtomicUsize,
    served: AtomicUsize,
}

/// The mock's handle on a [`StrictWindow`] the test also reads.
struct Shared(Arc<StrictWindow>);

impl StrictWindow {
    /// Counts a request arriving now; a 429 when it is one too many for the window.
    fn arrive(&self) -> Option<ResponseTemplate> {
        let now = Instant::now();
        let mut arrivals = self.arrivals.lock().expect("lock");
        arrivals.retain(|at| now.duration_since(*at) < self.window);
        arrivals.push(now);
        if arrivals.len() > self.limit {
            self.rejected.fetch_add(1, Ordering::SeqCst);
            return Some(ResponseTemplate::new(429).insert_header("retry-after", "1"));
        }
        None
    }
}

impl Respond for Shared {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let this = &self.0;
        if let Some(rejected) = this.arrive() {
            return rejected;
        }
        if this.served.fetch_add(1, Ordering::SeqCst) % 7 == 6 {
            return ResponseTemplate::new(503);
        }
        ResponseTemplate::new(200).set_body_bytes(organization())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_burst_limiter_keeps_a_strict_server_from_ever_answering_429() {
    let (limit, window, callers) = (25, Duration::from_millis(200), 250);
    let server = MockServer::start().await;
    let strict = Arc::new(StrictWindow {
        limit,
        window,
        arrivals: Mutex::default(),
        rejected: AtomicUsize::new(0),
        served: AtomicUsize::new(0),
    });
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(Shared(Arc::clone(&strict)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(server.uri())
        .burst_limit_per(u32::try_from(limit).expect("small"), window)
        .retry_policy(fast(5))
        .build()
        .expect("client");
    let results = join_all((0..callers).map(|_| client.organizations().get(1).send())).await;
    assert_eq!(
        strict.rejected.load(Ordering::SeqCst),
        0,
        "the server never had to answer 429"
    );
    assert!(
        results.iter().all(Result::is_ok),
        "{:?}",
        results.iter().find(|r| r.is_err())
    );
    let requests = server.received_requests().await.expect("recorded").len();
    assert!(
        requests > callers,
        "retries of the 503s were paced too: {requests}"
    );
}

#[tokio::test]
async fn a_token_endpoint_that_fails_leaves_a_token_that_still_works_in_use() {
    let api = MockServer::start().await;
    let calls = token_endpoint(&api, |_| ResponseTemplate::new(500)).await;
    Mock::given(path("/api/v2/organizations/1"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(organization()))
        .expect(2)
        .mount(&api)
        .await;
    // Thirty seconds left: inside the refresh margin, not expired.
    let expiring = Some(SystemTime::now() + Duration::from_secs(30));
    let oauth = app(&api, oauth_tokens(expiring, None));
    let client = oauth_client(&api, oauth);
    // The first call's refresh fails; the second comes within the cool-down.
    client
        .organizations()
        .get(1)
        .send()
        .await
        .expect("the old token still works");
    client
        .organizations()
        .get(1)
        .send()
        .await
        .expect("and again, without a second refresh");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    api.verify().await;
}

#[tokio::test]
async fn an_api_token_answered_401_is_not_repeated() {
    let api = Wire::start(|_, _| {
        Reply::Bytes(response(
            401,
            &[],
            br#"{"success":false,"error":"unauthorized"}"#,
        ))
    });
    let error = client(&api.url())
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("401");
    assert_eq!(error.status(), Some(401));
    assert_eq!(
        api.log().requests.len(),
        1,
        "only OAuth refreshes and repeats after a 401"
    );
}

#[tokio::test]
async fn token_responses_of_a_few_kilobytes_are_read_and_larger_ones_refused() {
    for (padding, ok) in [(4 * 1024, true), (100 * 1024, false)] {
        let api = MockServer::start().await;
        let body =
            json!({"access_token": "access-2", "expires_in": 3600, "scope": "x".repeat(padding)});
        token_endpoint(&api, move |_| {
            ResponseTemplate::new(200).set_body_json(body.clone())
        })
        .await;
        Mock::given(path("/api/v2/organizations/1"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(organization()))
            .mount(&api)
            .await;
        let oauth = app(&api, oauth_tokens(expired(), None));
        let client = oauth_client(&api, oauth);
        let result = client.organizations().get(1).send().await;
        match (ok, result) {
            (true, Ok(_)) => {}
            (
                false,
                Err(Error::TooLarge {
                    operation: "oauthRefresh",
                    limit,
                }),
            ) => assert_eq!(limit, 64 * 1024),
            (_, other) => panic!("{padding} bytes: {other:?}"),
        }
    }
}

/// A body with no declared length that arrives as one chunk is used as it came, and one
/// over the limit is refused all the same.
#[tokio::test]
async fn a_body_of_one_chunk_and_no_length_is_held_to_the_limit() {
    let chunked = |body: &[u8]| {
        let mut raw = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n{:x}\r\n",
            body.len()
        )
        .into_bytes();
        raw.extend_from_slice(body);
        raw.extend_from_slice(b"\r\n0\r\n\r\n");
        raw
    };
    let get = |raw: Vec<u8>| async move {
        let server = Wire::start(move |_, _| Reply::Bytes(raw.clone()));
        let client = Client::builder()
            .api_token(TOKEN)
            .base_url(server.url())
            .max_response_bytes(4096)
            .build()
            .expect("client");
        client.organizations().get(1).await
    };
    let organization = get(chunked(&organization()))
        .await
        .expect("one chunk, under the limit");
    assert_eq!(organization.id, 1);

    let mut large = organization_body(1);
    large["data"]["website"] = json!("x".repeat(8192));
    let error = get(chunked(&serde_json::to_vec(&large).expect("json")))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::TooLarge { limit: 4096, .. }),
        "{error:?}"
    );
}

/// A token endpoint whose every answer expires at once, so that each call refreshes.
async fn expiring_token_endpoint(api: &MockServer) -> Arc<AtomicUsize> {
    token_endpoint(api, |n| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"access_token": format!("access-{}", n + 2), "expires_in": 0}))
    })
    .await
}

#[tokio::test]
async fn an_on_refresh_that_panics_does_not_wedge_the_next_refresh() {
    // Panics while it is called (before it returns its future), or inside the future.
    for in_future in [false, true] {
        let api = MockServer::start().await;
        let calls = expiring_token_endpoint(&api).await;
        Mock::given(path("/api/v2/organizations/1"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(organization()))
            .mount(&api)
            .await;
        let persisted = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&persisted);
        let oauth = app(&api, oauth_tokens(expired(), None)).on_refresh(move |_| {
            let first = count.fetch_add(1, Ordering::SeqCst) == 0;
            assert!(in_future || !first, "on_refresh panics before its future");
            async move {
                assert!(!in_future || !first, "on_refresh panics in its future");
                Ok::<(), std::io::Error>(())
            }
        });
        let client = oauth_client(&api, oauth);
        let error = client
            .organizations()
            .get(1)
            .send()
            .await
            .expect_err("not persisted");
        assert!(
            matches!(&error, Error::PersistTokens { .. }) && error.to_string().contains("panicked"),
            "in future {in_future}: {error:?}"
        );
        // The next call needs a refresh too, and gets one.
        client
            .organizations()
            .get(1)
            .send()
            .await
            .unwrap_or_else(|error| panic!("in future {in_future}: {error:?}"));
        assert_eq!(calls.load(Ordering::SeqCst), 2, "in future {in_future}");
        assert_eq!(persisted.load(Ordering::SeqCst), 2);
    }
}

#[tokio::test]
async fn a_failed_refresh_is_tried_again_after_the_cool_down() {
    let api = MockServer::start().await;
    let calls = token_endpoint(&api, |n| match n {
        0 => ResponseTemplate::new(500),
        _ => ResponseTemplate::new(200)
            .set_body_json(json!({"access_token": "access-2", "expires_in": 3600})),
    })
    .await;
    Mock::given(path("/api/v2/organizations/1"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(organization()))
        .mount(&api)
        .await;
    let client = oauth_client(&api, app(&api, oauth_tokens(expired(), None)));
    let error = client.organizations().get(1).send().await.expect_err("500");
    assert_eq!(error.status(), Some(500), "{error:?}");
    // The cool-down passes in virtual time; nothing is in flight while the clock jumps.
    tokio::time::pause();
    tokio::time::advance(Duration::from_millis(2001)).await;
    tokio::time::resume();
    client
        .organizations()
        .get(1)
        .send()
        .await
        .expect("refreshed again");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// A runtime dropped, or shut down, while a refresh is in flight (a synchronous wrapper
/// that makes a runtime per call does this) takes the refresh task with it; the next
/// runtime's call refreshes again.
#[test]
fn a_runtime_that_ends_mid_refresh_does_not_wedge_the_next_refresh() {
    for shutdown in [false, true] {
        let token = Wire::start(|_, n| match n {
            0 => Reply::Hang,
            _ => Reply::Bytes(response(
                200,
                &[],
                br#"{"access_token": "access-2", "expires_in": 3600}"#,
            )),
        });
        let api = Wire::start(|_, _| Reply::Bytes(response(200, &[], &organization())));
        let oauth = OAuth::new("app", "secret", oauth_tokens(expired(), None))
            .token_url(format!("{}/token", token.url()));
        let client = Client::builder()
            .oauth(oauth)
            .base_url(api.url())
            .build()
            .expect("client");
        let runtime = || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
        };
        let first = runtime();
        first.block_on(async {
            let call = client.organizations().get(1).send();
            let refreshing = async {
                while token.log().requests.is_empty() {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            };
            tokio::select! {
                result = call => panic!("the token endpoint hangs: {result:?}"),
                () = refreshing => {}
            }
        });
        if shutdown {
            first.shutdown_background();
        } else {
            drop(first);
        }
        let organization = runtime()
            .block_on(client.organizations().get(1).send())
            .unwrap_or_else(|error| panic!("shutdown {shutdown}: {error:?}"));
        assert_eq!(organization.id, 1);
        assert_eq!(token.log().requests.len(), 2, "shutdown {shutdown}");
        assert_eq!(
            api.log().requests[0].header("authorization"),
            Some("Bearer access-2")
        );
    }
}

/// A [`StrictWindow`] in front of a resource that has moved three times: each call is
/// four requests, three of them redirect hops.
struct Hops(Arc<StrictWindow>);

impl Respond for Hops {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if let Some(rejected) = self.0.arrive() {
            return rejected;
        }
        let next = match request.url.path() {
            "/api/v2/organizations/1" => "/hop/1",
            "/hop/1" => "/hop/2",
            "/hop/2" => "/hop/3",
            _ => return ResponseTemplate::new(200).set_body_bytes(organization()),
        };
        ResponseTemplate::new(302).insert_header("location", next)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_redirect_hop_takes_a_slot_of_the_burst_limiter() {
    let (limit, window, callers) = (5, Duration::from_millis(200), 10);
    let server = MockServer::start().await;
    let strict = Arc::new(StrictWindow {
        limit,
        window,
        arrivals: Mutex::default(),
        rejected: AtomicUsize::new(0),
        served: AtomicUsize::new(0),
    });
    Mock::given(method("GET"))
        .respond_with(Hops(Arc::clone(&strict)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(server.uri())
        .burst_limit_per(u32::try_from(limit).expect("small"), window)
        .retry_policy(pipedrive::RetryPolicy::none())
        .build()
        .expect("client");
    let results = join_all((0..callers).map(|_| client.organizations().get(1).send())).await;
    assert_eq!(
        strict.rejected.load(Ordering::SeqCst),
        0,
        "no window saw more than {limit} requests"
    );
    for result in results {
        assert_eq!(result.expect("followed").id, 1);
    }
    assert_eq!(
        server.received_requests().await.expect("recorded").len(),
        callers * 4
    );
}
