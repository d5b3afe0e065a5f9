//! A raw call's span, read from the log lines of a subscriber set for this test: in a
//! binary of its own, because tracing caches whether a callsite is enabled per process,
//! and another test's call reaching the same callsites at the same moment (with no
//! subscriber of its own) could leave the span out of these lines.

mod common;

use common::{Captured, fast};
use pipedrive::{Client, HttpMethod, RetryPolicy};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "raw-token-77c1";

fn client_for(uri: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .api_token(TOKEN)
        .base_url(uri)
        .retry_policy(policy)
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_raw_call_s_span_shows_its_path_and_cost_and_no_credential() {
    use tracing_subscriber::util::SubscriberInitExt;
    let captured = Captured::default();
    let writer = captured.clone();
    let _guard = tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish()
        .set_default();
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/deals/search"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), fast(1));
    let error = client
        .request(HttpMethod::Get, "/api/v2/deals/search")
        .query("term", "acme")
        .cost(20)
        .await
        .unwrap_err();
    let logs = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(
        logs.contains("operation=\"raw\"")
            && logs.contains("path=\"/api/v2/deals/search\"")
            && logs.contains("cost=20")
            && logs.contains("retrying"),
        "{logs}"
    );
    // The span records each attempt and the status it got.
    assert!(
        logs.contains("attempt=1") && logs.contains("status=503"),
        "{logs}"
    );
    let shown = format!("{logs} {error} {error:?} {client:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
}
