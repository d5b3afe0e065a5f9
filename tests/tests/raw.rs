//! Raw calls (`Client::request`) against loopback servers: they go through the same
//! machinery as a generated call (the credential, the origin rules, the burst limiter,
//! retries, the size cap, the entry budget, the errors), and a path that could take the
//! credential elsewhere is refused before anything is sent.

mod common;

use std::future::{Future, IntoFuture};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::fast;
use pipedrive::mock::MockServer as TypedMock;
use pipedrive::{Client, Error, HttpMethod, OAuthTokens, RetryPolicy};
use serde::Deserialize;
use serde_json::json;
use tests::wire::Wire;
use wiremock::matchers::{body_json, header, method, path, query_param};
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

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recorded")
}

#[derive(Debug, Deserialize, PartialEq)]
struct Follower {
    user_id: i64,
    add_time: Option<String>,
}

#[tokio::test]
async fn a_raw_get_decodes_data_as_the_caller_s_type_with_the_token_in_a_header_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/deals/5/followers"))
        .and(query_param("limit", "100"))
        .and(query_param("cursor", "a b&c"))
        .and(header("x-api-token", TOKEN))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-daily-requests-left", "9000")
                .set_body_json(json!({
                    "success": true,
                    "data": [{"user_id": 1, "add_time": "2026-01-01"}, {"user_id": 2}],
                    "additional_data": {"next_cursor": null}
                })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), RetryPolicy::none());
    let followers = client
        .request(HttpMethod::Get, "/api/v2/deals/5/followers")
        .query("limit", 100)
        .query("cursor", "a b&c")
        .send::<Vec<Follower>>()
        .await
        .expect("decoded");
    assert_eq!(
        followers.data,
        [
            Follower {
                user_id: 1,
                add_time: Some("2026-01-01".into())
            },
            Follower {
                user_id: 2,
                add_time: None
            }
        ]
    );
    assert_eq!(followers.meta.status, 200);
    assert_eq!(followers.meta.rate_limit.daily_requests_left, Some(9000));
    for request in requests(&server).await {
        assert!(!request.url.as_str().contains(TOKEN), "{}", request.url);
        assert_eq!(
            request.url.query(),
            Some("limit=100&cursor=a+b%26c"),
            "query pairs in order, encoded"
        );
    }
}

#[tokio::test]
async fn a_raw_post_sends_its_json_body_and_await_gives_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/deals/5/followers"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"user_id": 7})))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"success": true, "data": {"user_id": 7, "id": 3}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), RetryPolicy::none());
    let added = client
        .request(HttpMethod::Post, "/api/v2/deals/5/followers")
        .json(&json!({"user_id": 7}))
        .cost(5)
        .await
        .expect("created");
    assert_eq!(added.data, json!({"user_id": 7, "id": 3}));
    assert_eq!(added.meta.status, 201);
}

#[tokio::test]
async fn success_false_is_an_api_error_and_a_missing_or_wrong_data_a_decode_error() {
    let server = MockServer::start().await;
    let answer = |route: &'static str, body: serde_json::Value| {
        Mock::given(path(route)).respond_with(ResponseTemplate::new(200).set_body_json(body))
    };
    answer(
        "/refused",
        json!({"success": false, "error": "Not allowed", "error_info": "Ask an admin"}),
    )
    .mount(&server)
    .await;
    answer("/empty", json!({"success": true}))
        .mount(&server)
        .await;
    answer("/null", json!({"success": true, "data": null}))
        .mount(&server)
        .await;
    answer(
        "/wrong",
        json!({"success": true, "data": [{"user_id": 1}, {"user_id": "two"}]}),
    )
    .mount(&server)
    .await;
    answer(
        "/wrong_one",
        json!({"success": true, "data": {"user_id": "two"}}),
    )
    .mount(&server)
    .await;
    let client = client_for(&server.uri(), RetryPolicy::none());
    let get = |path: &'static str| client.request(HttpMethod::Get, path);

    let Err(Error::Api(refused)) = get("/refused").send_value().await else {
        panic!("success: false is an API error");
    };
    assert_eq!(
        (refused.operation, refused.status),
        ("raw", 200),
        "{refused}"
    );
    assert_eq!(refused.error_info.as_deref(), Some("Ask an admin"));

    let Err(Error::Decode(missing)) = get("/empty").send::<Vec<Follower>>().await else {
        panic!("a missing `data` is a decode error");
    };
    assert_eq!((missing.operation, missing.path.as_str()), ("raw", "data"));
    let Err(Error::Decode(missing)) = get("/empty").send_value().await else {
        panic!("for JSON too");
    };
    assert_eq!(missing.path, "data");

    let null = get("/null")
        .send::<Option<Follower>>()
        .await
        .expect("null is None");
    assert_eq!(null.data, None);
    assert!(matches!(
        get("/null").send::<Follower>().await,
        Err(Error::Decode(error)) if error.path == "data"
    ));

    let Err(Error::Decode(wrong)) = get("/wrong").send::<Vec<Follower>>().await else {
        panic!("a `data` that is not the type is a decode error");
    };
    assert_eq!(wrong.path, "data[1].user_id", "{wrong}");
    let Err(Error::Decode(wrong)) = get("/wrong_one").send::<Follower>().await else {
        panic!("an object that is not the type is a decode error");
    };
    assert_eq!(wrong.path, "data.user_id", "{wrong}");
}

#[tokio::test]
async fn a_raw_get_is_retried_and_its_errors_name_the_raw_operation() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/things/1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/things/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": 1})))
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/things/2"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), fast(2));
    let one = client
        .request(HttpMethod::Get, "/api/v1/things/1")
        .send::<i64>()
        .await
        .expect("retried");
    assert_eq!(one.data, 1);
    assert_eq!(requests(&server).await.len(), 2);

    let Err(Error::Api(busy)) = client.request(HttpMethod::Get, "/api/v1/things/2").await else {
        panic!("a 503 is an API error");
    };
    assert_eq!((busy.operation, busy.status), ("raw", 503));
    assert_eq!(
        requests(&server).await.len(),
        5,
        "two retries after the first"
    );

    // A POST may have taken effect: a 503 is not repeated, as for a generated call.
    let posted = client
        .request(HttpMethod::Post, "/api/v1/things/2")
        .json(&json!({}))
        .await
        .unwrap_err();
    assert_eq!(posted.status(), Some(503));
    assert_eq!(requests(&server).await.len(), 6);
}

#[tokio::test]
async fn a_path_that_could_go_elsewhere_is_refused_and_nothing_is_sent() {
    let bystander = Wire::bystander();
    let api = Wire::bystander();
    let client = client_for(&api.url(), fast(2));
    let elsewhere = [
        format!("{}/api/v2/deals", bystander.url()),
        "https://evil.example/api/v2/deals".to_owned(),
        format!("//127.0.0.1:{}/api/v2/deals", bystander.port()),
        "api/v2/deals".to_owned(),
        "/api/v2/../../deals".to_owned(),
        "/api/./deals".to_owned(),
        "/api//deals".to_owned(),
        "/api/v2/deals?api_token=leak".to_owned(),
        "/api/v2/deals#x".to_owned(),
        "/api/v2/deals\r\nx-evil: 1".to_owned(),
    ];
    let token_in_query = client
        .request(HttpMethod::Get, "/api/v1/deals")
        .query("api_token", TOKEN)
        .await
        .unwrap_err();
    assert!(
        matches!(&token_in_query, Error::InvalidArgument { operation: "raw", reason } if reason.contains("credential")),
        "{token_in_query:?}"
    );
    assert!(!token_in_query.to_string().contains(TOKEN));
    for path in &elsewhere {
        let error = client
            .request(HttpMethod::Get, path.as_str())
            .send_value()
            .await
            .unwrap_err();
        assert!(
            matches!(
                &error,
                Error::InvalidArgument {
                    operation: "raw",
                    ..
                }
            ),
            "{path}: {error:?}"
        );
        assert!(!error.to_string().contains(TOKEN), "{path}: {error}");
    }
    assert_eq!(
        bystander.log().connections,
        0,
        "the other origin got nothing"
    );
    assert_eq!(api.log().connections, 0, "nothing was sent at all");
}

#[tokio::test]
async fn a_path_is_sent_percent_encoded_segment_by_segment() {
    let server = MockServer::start().await;
    Mock::given(path("/proxy/api/v1/files/a%20b%25c"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": "ok"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&format!("{}/proxy", server.uri()), RetryPolicy::none());
    let got = client
        .request(HttpMethod::Get, "/api/v1/files/a b%c")
        .send::<String>()
        .await
        .expect("the path as given, encoded once, under the base path");
    assert_eq!(got.data, "ok");
    let encoded = client
        .request(HttpMethod::Get, "/api/v1/files/a b%c%3F")
        .send::<String>()
        .await;
    assert!(
        encoded.unwrap_err().is_not_found(),
        "`%3F` is sent as `%253F`: the path is given unencoded"
    );
    let question = client
        .request(HttpMethod::Get, "/api/v1/files/a b%c?")
        .send::<String>()
        .await;
    assert!(
        matches!(question, Err(Error::InvalidArgument { .. })),
        "a `?` is refused rather than encoded: it belongs in `query`: {question:?}"
    );
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].url.path(), "/proxy/api/v1/files/a%20b%25c%253F");
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_with_the_credential() {
    let bystander = Wire::bystander();
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/moved"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/api/v2/moved", bystander.url())),
        )
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), fast(2));
    let error = client
        .request(HttpMethod::Get, "/api/v2/moved")
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Redirect {
                operation: "raw",
                status: 302,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(bystander.log().connections, 0);
}

#[tokio::test]
async fn the_size_cap_and_the_entry_budget_hold_for_raw_calls() {
    let server = MockServer::start().await;
    Mock::given(path("/big"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": true, "data": "x".repeat(4096)})),
        )
        .mount(&server)
        .await;
    let items: Vec<serde_json::Value> = (0..50).map(|id| json!({"id": id})).collect();
    Mock::given(path("/many"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": items})),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(server.uri())
        .max_response_bytes(1024)
        .max_decoded_entries(20)
        .build()
        .expect("client");
    let big = client.request(HttpMethod::Get, "/big").await.unwrap_err();
    assert!(
        matches!(
            big,
            Error::TooLarge {
                operation: "raw",
                limit: 1024
            }
        ),
        "{big:?}"
    );
    let many = client
        .request(HttpMethod::Get, "/many")
        .send::<Vec<serde_json::Value>>()
        .await
        .unwrap_err();
    assert!(
        matches!(&many, Error::Decode(error) if error.operation == "raw"),
        "{many:?}"
    );
}

#[tokio::test]
async fn a_raw_call_waits_for_the_burst_limiter() {
    let server = MockServer::start().await;
    Mock::given(path("/paced"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": 1})))
        .mount(&server)
        .await;
    // One request an hour: the second call can only wait for its slot.
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(server.uri())
        .burst_limit_per(1, Duration::from_secs(3600))
        .build()
        .expect("client");
    client
        .request(HttpMethod::Get, "/paced")
        .await
        .expect("the first has its slot");
    let waited = client
        .request(HttpMethod::Get, "/paced")
        .timeout(Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(
        matches!(waited, Error::Timeout { operation: "raw" }),
        "{waited:?}"
    );
    assert_eq!(
        requests(&server).await.len(),
        1,
        "the second never got a slot"
    );
}

#[tokio::test]
async fn an_oauth_client_s_raw_call_refreshes_after_a_401_and_repeats_once() {
    let mock = TypedMock::start().await;
    mock.oauth_token_endpoint()
        .expect_refresh_token("refresh-1")
        .times(1)
        .responds(OAuthTokens::new("access-2", "refresh-2"))
        .await;
    Mock::given(path("/api/v2/deals/5"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(mock.wiremock())
        .await;
    Mock::given(path("/api/v2/deals/5"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": {"id": 5}})),
        )
        .expect(1)
        .mount(mock.wiremock())
        .await;
    let stored = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&stored);
    let oauth = mock
        .oauth(OAuthTokens::new("access-1", "refresh-1"))
        .on_refresh(move |tokens| {
            seen.lock().expect("lock").push(tokens);
            std::future::ready(Ok::<(), std::io::Error>(()))
        });
    let client = mock.oauth_client_builder(oauth).build().expect("client");
    let deal = client
        .request(HttpMethod::Get, "/api/v2/deals/5")
        .await
        .expect("refreshed and repeated");
    assert_eq!(deal.data, json!({"id": 5}));
    assert_eq!(stored.lock().expect("lock")[0].access_token, "access-2");
    for request in mock.wiremock().received_requests().await.expect("recorded") {
        for secret in ["access-1", "access-2", "refresh-1", "refresh-2"] {
            assert!(!request.url.as_str().contains(secret), "{}", request.url);
        }
    }
    mock.verify().await;
}

/// A future that can be handed to `tokio::spawn`: `'static` and `Send`.
fn spawnable<F: Future + Send + 'static>(future: F) -> F {
    future
}

#[tokio::test]
async fn a_raw_call_owns_its_client_and_can_be_spawned() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/users/me"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": {"id": 9}})),
        )
        .mount(&server)
        .await;
    let call = {
        // The client is dropped here; the call holds its own clone.
        let client = client_for(&server.uri(), RetryPolicy::none());
        client.request(HttpMethod::Get, "/api/v2/users/me")
    };
    let typed = spawnable(call.clone().send::<serde_json::Value>());
    let awaited = spawnable(call.into_future());
    let (typed, awaited) = tokio::join!(tokio::spawn(typed), tokio::spawn(awaited));
    assert_eq!(typed.expect("ran").expect("ok").data, json!({"id": 9}));
    assert_eq!(awaited.expect("ran").expect("ok").data, json!({"id": 9}));
}
