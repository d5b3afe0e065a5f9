//! A call's own timeout and retry policy, and the rate-limit budget in view: the latest
//! rate-limit headers the client saw, and a daily-budget 429 that keeps its message.

mod common;

use std::time::Duration;

use common::fast;
use pipedrive::mock::MockServer as TypedMock;
use pipedrive::organizations::Organization;
use pipedrive::{Client, Error, HttpMethod, RateLimit, RateLimitScope, RetryPolicy};
use serde_json::json;
use tests::wire::{Reply, Wire, response};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "budget-token";

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.expect("recorded").len()
}

fn ok(data: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": data}))
}

#[tokio::test]
async fn a_call_s_own_longer_timeout_lets_a_slow_answer_through() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ok(json!(1)).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(server.uri())
        .timeout(Duration::from_millis(50))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let hurried = client.request(HttpMethod::Get, "/slow").await.unwrap_err();
    assert!(
        matches!(hurried, Error::Timeout { operation: "raw" }),
        "the client's own 50 ms per attempt: {hurried:?}"
    );
    let patient = client
        .request(HttpMethod::Get, "/slow")
        .timeout(Duration::from_secs(60))
        .send::<i64>()
        .await
        .expect("the call's own timeout replaces the client's");
    assert_eq!(patient.data, 1);
}

#[tokio::test]
async fn a_call_with_retries_off_does_not_retry_a_503_get() {
    let server = MockServer::start().await;
    Mock::given(path("/busy"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(server.uri())
        .retry_policy(fast(3))
        .build()
        .expect("client");
    let once = client
        .request(HttpMethod::Get, "/busy")
        .retry_policy(RetryPolicy::none())
        .await
        .unwrap_err();
    assert_eq!(once.status(), Some(503));
    assert_eq!(requests(&server).await, 1, "the call's policy: no retry");
    client.request(HttpMethod::Get, "/busy").await.unwrap_err();
    assert_eq!(
        requests(&server).await,
        5,
        "the client's policy, untouched: three retries"
    );
    let more = client
        .request(HttpMethod::Get, "/busy")
        .retry_policy(fast(1))
        .await
        .unwrap_err();
    assert_eq!(more.status(), Some(503));
    assert_eq!(requests(&server).await, 7, "the call's policy: one retry");
}

#[tokio::test]
async fn a_retry_wait_that_would_outlast_the_call_s_timeout_is_not_waited() {
    let server = MockServer::start().await;
    Mock::given(path("/later"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    // The client's policy would wait an hour for the retry.
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(server.uri())
        .retry_policy(fast(3).max_total_wait(Duration::from_secs(7200)))
        .build()
        .expect("client");
    let error = client
        .request(HttpMethod::Get, "/later")
        .timeout(Duration::from_secs(30))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Api(api) if api.status == 503),
        "the last error, at once, not a timeout after sleeping into it: {error:?}"
    );
    assert_eq!(requests(&server).await, 1);
}

/// Virtual time that moves only when the test says: the clock starts paused, and a
/// blocking task keeps Tokio from jumping it to the next timer while the client waits
/// for the loopback server in real time.
#[tokio::test(start_paused = true)]
async fn the_call_s_timeout_bounds_every_attempt_and_every_wait_together() {
    let (release, held) = std::sync::mpsc::channel::<()>();
    let hold = tokio::task::spawn_blocking(move || {
        let _ = held.recv();
    });
    // A 503 that asks for 20 s, then a server that never answers.
    let server = Wire::start(|_, number| match number {
        0 => Reply::Bytes(response(503, &[("retry-after", "20")], b"")),
        _ => Reply::Hang,
    });
    // The client alone would wait an hour for each attempt.
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(server.url())
        .timeout(Duration::from_secs(3600))
        .connect_timeout(Duration::from_secs(3600))
        .retry_policy(RetryPolicy::default().max_retries(5))
        .build()
        .expect("client");
    let call = tokio::spawn(async move {
        let started = tokio::time::Instant::now();
        let result = client
            .request(HttpMethod::Get, "/api/v2/deals")
            .timeout(Duration::from_secs(30))
            .await;
        (result, started.elapsed())
    });
    let mut seconds = 0;
    while !call.is_finished() && seconds < 120 {
        // Real time for the loopback, then one virtual second.
        tokio::task::spawn_blocking(|| std::thread::sleep(Duration::from_millis(5)))
            .await
            .expect("slept");
        tokio::time::advance(Duration::from_secs(1)).await;
        seconds += 1;
    }
    drop(release);
    hold.await.expect("released");
    let (result, took) = call.await.expect("the call ran");
    let error = result.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { operation: "raw" }),
        "{error:?}"
    );
    // 20 s of waiting and 10 s of the second attempt: 30 s for the call, not 30 s for
    // the attempt after the wait (50 s), nor the client's hour.
    assert!(
        took >= Duration::from_secs(30) && took < Duration::from_secs(31),
        "{took:?}"
    );
    assert!(!server.log().requests.is_empty());
}

#[tokio::test]
async fn the_client_keeps_the_latest_rate_limit_of_any_response() {
    let mock = TypedMock::start().await;
    let mut first = RateLimit::default();
    first.limit = Some(40);
    first.remaining = Some(39);
    first.reset = Some(2);
    first.daily_requests_left = Some(9000);
    mock.organizations()
        .get(1)
        .rate_limit_headers(first)
        .responds(Organization::new(1))
        .await;
    let mut failing = RateLimit::default();
    failing.remaining = Some(12);
    failing.daily_requests_left = Some(8000);
    mock.organizations()
        .get(2)
        .rate_limit_headers(failing)
        .fails(500, "Internal error")
        .await;
    mock.organizations()
        .get(3)
        .rate_limited(Duration::from_secs(2))
        .await;

    let client = Client::clone(&mock.client());
    let no_retries = mock
        .client_builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    assert_eq!(client.rate_limit(), None, "nothing seen yet");

    let got = client.organizations().get(1).await.expect("mocked");
    assert_eq!(got.meta.rate_limit, first);
    assert_eq!(client.rate_limit(), Some(first));
    assert_eq!(mock.client().rate_limit(), Some(first), "clones share it");
    assert_eq!(no_retries.rate_limit(), None, "another client has its own");

    client.organizations().get(2).await.unwrap_err();
    assert_eq!(
        client.rate_limit(),
        Some(failing),
        "an error's headers count"
    );

    no_retries.organizations().get(3).await.unwrap_err();
    let limited = no_retries.rate_limit().expect("a 429's headers count");
    assert_eq!((limited.remaining, limited.retry_after), (Some(0), Some(2)));

    // An answer without rate-limit headers (no expectation matched) erases nothing.
    client.organizations().get(4).await.unwrap_err();
    assert_eq!(client.rate_limit(), Some(failing));
}

#[tokio::test]
async fn a_daily_budget_429_is_daily_keeps_the_server_s_message_and_is_not_retried() {
    let mock = TypedMock::start().await;
    mock.organizations()
        .get(1)
        .times(1)
        .daily_budget_exceeded()
        .await;
    let client = mock
        .client_builder()
        .retry_policy(fast(3))
        .build()
        .expect("client");
    let error = client.organizations().get(1).await.unwrap_err();
    assert!(!error.is_retryable());
    let Error::RateLimited(limited) = &error else {
        panic!("a 429 is a rate-limit error: {error:?}");
    };
    assert_eq!(limited.scope, RateLimitScope::Daily);
    assert_eq!(limited.api.status, 429);
    assert_eq!(
        limited.api.error.as_deref(),
        Some("daily request budget exceeded")
    );
    assert_eq!(limited.api.code.as_deref(), Some("429"));
    assert_eq!(limited.api.rate_limit.daily_requests_left, Some(0));
    assert!(
        error.to_string().contains("daily request budget exceeded"),
        "{error}"
    );
    assert_eq!(
        client
            .rate_limit()
            .and_then(|seen| seen.daily_requests_left),
        Some(0)
    );
    // `times(1)`: exactly one request, no retry.
    mock.verify().await;
}

/// A generated builder takes the same settings as a raw call: `.timeout()` and
/// `.retry_policy()` on any operation, in place of the client's.
#[tokio::test]
async fn a_generated_call_takes_its_own_timeout_and_retry_policy() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(ok(json!({"id": 1})).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(server.uri())
        .timeout(Duration::from_millis(50))
        .retry_policy(fast(2))
        .build()
        .expect("client");
    let hurried = client
        .organizations()
        .get(1)
        .retry_policy(RetryPolicy::none())
        .await
        .unwrap_err();
    assert!(
        matches!(
            hurried,
            Error::Timeout {
                operation: "getOrganization"
            }
        ),
        "the client's own 50 ms per attempt: {hurried:?}"
    );
    let patient = client
        .organizations()
        .get(1)
        .timeout(Duration::from_secs(60))
        .await
        .expect("the call's own timeout replaces the client's");
    assert_eq!(patient.data.id, 1);

    let before = requests(&server).await;
    let once = client
        .organizations()
        .list()
        .retry_policy(RetryPolicy::none())
        .await
        .unwrap_err();
    assert_eq!(once.status(), Some(503));
    assert_eq!(
        requests(&server).await,
        before + 1,
        "the call's policy: no retry"
    );
    client.organizations().list().await.unwrap_err();
    assert_eq!(
        requests(&server).await,
        before + 4,
        "the client's policy, untouched: two retries"
    );
}
