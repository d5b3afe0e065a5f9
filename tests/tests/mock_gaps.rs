//! The typed mocks' answers and matchers beyond the basics: full error bodies, the daily
//! budget, rounded 429 waits, response headers on any answer, an OAuth token endpoint,
//! any-value path segments, absent query parameters, and an unmatched request that
//! explains itself.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use common::fast;
use pipedrive::mock::{ErrorBody, MOCK_API_TOKEN, MockServer};
use pipedrive::organizations::Organization;
use pipedrive::{Client, Error, OAuthTokens, RateLimit, RateLimitScope, RetryPolicy};

fn no_retries(mock: &MockServer) -> Client {
    mock.client_builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds")
}

async fn received(mock: &MockServer) -> Vec<wiremock::Request> {
    mock.wiremock().received_requests().await.expect("recorded")
}

#[tokio::test]
async fn an_error_answer_carries_error_info_and_codes() {
    let mock = MockServer::start().await;
    mock.organizations()
        .delete(5)
        .fails_with(
            400,
            ErrorBody::new("Validation failed")
                .error_info("The name is required")
                .code("ERR_SCHEMA_VALIDATION_FAILED"),
        )
        .await;
    mock.organizations()
        .get(6)
        .fails_with(
            403,
            ErrorBody::new("Forbidden")
                .error_code(403)
                .code("ignored: errorCode wins"),
        )
        .await;
    let client = mock.client();
    let Err(Error::Api(invalid)) = client.organizations().delete(5).await else {
        panic!("a 400 is an API error");
    };
    assert_eq!(invalid.status, 400);
    assert_eq!(invalid.error.as_deref(), Some("Validation failed"));
    assert_eq!(invalid.error_info.as_deref(), Some("The name is required"));
    assert_eq!(
        invalid.code.as_deref(),
        Some("ERR_SCHEMA_VALIDATION_FAILED")
    );
    assert_eq!(
        invalid.to_string(),
        "deleteOrganization: the API answered 400: Validation failed (The name is required)"
    );
    let Err(Error::Api(forbidden)) = client.organizations().get(6).await else {
        panic!("a 403 is an API error");
    };
    assert_eq!(forbidden.code.as_deref(), Some("403"));
    assert_eq!(forbidden.error_info, None);

    // `fails` is `fails_with` of the message alone.
    mock.organizations().get(7).fails(404, "Not found").await;
    let Err(Error::Api(gone)) = client.organizations().get(7).await else {
        panic!("a 404 is an API error");
    };
    assert_eq!(
        (
            gone.error.as_deref(),
            gone.error_info.as_deref(),
            gone.code.as_deref()
        ),
        (Some("Not found"), None, None)
    );
}

#[tokio::test]
async fn the_daily_budget_is_told_by_its_header_and_not_retried() {
    let mock = MockServer::start().await;
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
    let Err(Error::RateLimited(limited)) = client.organizations().get(1).await else {
        panic!("a 429 is a rate-limit error");
    };
    assert_eq!(limited.scope, RateLimitScope::Daily);
    // The documented header says so, whatever the message's words.
    assert_eq!(limited.api.rate_limit.daily_requests_left, Some(0));
    assert_eq!(
        limited.api.body,
        r#"{"data":null,"error":"daily request budget exceeded","errorCode":429,"success":false}"#
    );
    assert_eq!(received(&mock).await.len(), 1, "not retried");
    mock.verify().await;
}

#[tokio::test]
async fn a_429_s_wait_is_rounded_up_to_whole_seconds() {
    for (asked, sent) in [
        (Duration::from_millis(1), 1),
        (Duration::from_millis(999), 1),
        (Duration::from_secs(1), 1),
        (Duration::from_millis(1200), 2),
        (Duration::from_secs(7), 7),
        (Duration::ZERO, 0),
    ] {
        let mock = MockServer::start().await;
        mock.organizations().get(1).rate_limited(asked).await;
        let error = no_retries(&mock).organizations().get(1).await.unwrap_err();
        assert_eq!(
            error.retry_after(),
            Some(Duration::from_secs(sent)),
            "{asked:?}"
        );
        let Error::RateLimited(limited) = &error else {
            panic!("{error:?}");
        };
        assert_eq!(limited.scope, RateLimitScope::Burst);
        assert_eq!(limited.api.rate_limit.reset, Some(sent));
        assert!(
            Duration::from_secs(sent) >= asked,
            "never shorter than asked"
        );
    }
}

#[tokio::test]
async fn a_success_carries_the_headers_it_is_given() {
    let mock = MockServer::start().await;
    let mut budget = RateLimit::default();
    budget.limit = Some(80);
    budget.remaining = Some(79);
    budget.reset = Some(2);
    budget.daily_requests_left = Some(12_345);
    mock.organizations()
        .get(1)
        .rate_limit_headers(budget)
        .header("x-request-id", "req-42")
        .header("x-custom", "yes")
        .responds(Organization::new(1))
        .await;
    mock.organizations()
        .list()
        .header("x-correlation-id", "corr-9")
        .responds_pages(vec![vec![Organization::new(1)], vec![Organization::new(2)]])
        .await;
    let client = mock.client();
    let got = client.organizations().get(1).await.expect("mocked");
    assert_eq!(got.meta.rate_limit, budget);
    assert_eq!(got.meta.request_id(), Some("req-42"));
    assert_eq!(
        got.meta
            .headers
            .get("x-custom")
            .and_then(|value| value.to_str().ok()),
        Some("yes")
    );
    assert_eq!(client.rate_limit(), Some(budget));

    let first = client.organizations().list().await.expect("page");
    assert_eq!(
        first.meta.request_id(),
        Some("corr-9"),
        "each page has them"
    );

    // A header given to the expectation replaces the answer's own.
    mock.organizations()
        .get(2)
        .header("retry-after", "9")
        .rate_limited(Duration::from_secs(1))
        .await;
    let error = no_retries(&mock).organizations().get(2).await.unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(9)));
}

#[tokio::test]
async fn the_mock_s_clients_use_one_credential_each() {
    let mock = MockServer::start().await;
    mock.organizations()
        .get(1)
        .responds(Organization::new(1))
        .await;
    mock.client()
        .organizations()
        .get(1)
        .await
        .expect("API token");
    let oauth = mock
        .oauth_client_builder(mock.oauth(OAuthTokens::new("access-1", "refresh-1")))
        .build()
        .expect("OAuth client");
    oauth.organizations().get(1).await.expect("OAuth");
    let sent = received(&mock).await;
    let header = |request: &wiremock::Request, name: &str| {
        request
            .headers
            .get(name)
            .map(|value| value.to_str().expect("text").to_owned())
    };
    assert_eq!(
        header(&sent[0], "x-api-token").as_deref(),
        Some(MOCK_API_TOKEN)
    );
    assert_eq!(header(&sent[0], "authorization"), None);
    assert_eq!(
        header(&sent[1], "authorization").as_deref(),
        Some("Bearer access-1")
    );
    assert_eq!(header(&sent[1], "x-api-token"), None);

    // Both on one builder is a mistake, said so, not a silent choice.
    let both = mock
        .client_builder()
        .oauth(mock.oauth(OAuthTokens::new("access-1", "refresh-1")))
        .build();
    assert!(
        matches!(&both, Err(Error::Config(message)) if message.contains("both an API token and OAuth")),
        "{both:?}"
    );
}

#[tokio::test]
async fn an_expired_token_is_refreshed_at_the_mock_s_token_endpoint() {
    let mock = MockServer::start().await;
    let renewed = OAuthTokens::new("access-2", "refresh-2")
        .expires_at(SystemTime::now() + Duration::from_secs(3600));
    mock.oauth_token_endpoint()
        .expect_refresh_token("refresh-1")
        .times(1)
        .responds(renewed)
        .await;
    mock.organizations()
        .get(1)
        .responds(Organization::new(1))
        .await;
    let stored = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&stored);
    let expired = OAuthTokens::new("access-1", "refresh-1")
        .expires_at(SystemTime::now() - Duration::from_secs(60));
    let oauth = mock.oauth(expired).on_refresh(move |tokens| {
        seen.lock().expect("lock").push(tokens);
        std::future::ready(Ok::<(), std::io::Error>(()))
    });
    let client = mock.oauth_client_builder(oauth).build().expect("client");
    client
        .organizations()
        .get(1)
        .await
        .expect("refreshed first");
    client
        .organizations()
        .get(1)
        .await
        .expect("no second refresh");

    let stored = stored.lock().expect("lock").clone();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (
            stored[0].access_token.as_str(),
            stored[0].refresh_token.as_str()
        ),
        ("access-2", "refresh-2")
    );
    let expires_in = stored[0]
        .expires_at
        .and_then(|at| at.duration_since(SystemTime::now()).ok())
        .expect("expires_in was sent");
    assert!(
        expires_in > Duration::from_secs(3000),
        "about an hour: {expires_in:?}"
    );
    let api_calls: Vec<_> = received(&mock)
        .await
        .into_iter()
        .filter(|request| request.url.path() != "/oauth/token")
        .collect();
    assert_eq!(api_calls.len(), 2);
    for call in api_calls {
        assert_eq!(
            call.headers
                .get("authorization")
                .and_then(|value| value.to_str().ok()),
            Some("Bearer access-2")
        );
    }
    mock.verify().await;
}

#[tokio::test]
async fn a_refresh_the_token_endpoint_refuses_fails_the_call() {
    let mock = MockServer::start().await;
    mock.oauth_token_endpoint()
        .times(1)
        .fails(400, "invalid_grant")
        .await;
    mock.organizations()
        .get(1)
        .fails(401, "unauthorized access")
        .await;
    let client = mock
        .oauth_client_builder(mock.oauth(OAuthTokens::new("revoked", "refresh-1")))
        .build()
        .expect("client");
    let Err(Error::Api(refused)) = client.organizations().get(1).await else {
        panic!("the refresh's error");
    };
    assert_eq!((refused.operation, refused.status), ("oauthRefresh", 400));
    assert_eq!(refused.error.as_deref(), Some("invalid_grant"));
    mock.verify().await;
}

#[tokio::test]
async fn the_token_endpoint_answers_only_the_refresh_it_expects() {
    let mock = MockServer::start().await;
    mock.oauth_token_endpoint()
        .expect_refresh_token("someone-else")
        .responds(OAuthTokens::new("access-2", "refresh-2"))
        .await;
    mock.organizations()
        .get(1)
        .fails(401, "unauthorized access")
        .await;
    let client = mock
        .oauth_client_builder(mock.oauth(OAuthTokens::new("access-1", "refresh-1")))
        .build()
        .expect("client");
    let error = client.organizations().get(1).await.unwrap_err();
    let Error::Api(unmatched) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(
        (unmatched.operation, unmatched.status),
        ("oauthRefresh", 404)
    );
    assert_eq!(
        unmatched.error.as_deref(),
        Some("no expectation matched POST /oauth/token")
    );
}

#[tokio::test]
async fn any_path_values_match_whatever_id_is_asked_for() {
    let mock = MockServer::start().await;
    mock.organizations()
        .get(0)
        .any_path_values()
        .responds(Organization::new(1).name("Any"))
        .await;
    let client = mock.client();
    for id in [1, 41, 9_007_199_254_740_993] {
        let got = client.organizations().get(id).await.expect("any id");
        assert_eq!(got.name.as_deref(), Some("Any"), "{id}");
    }
    // The literal segments still count: another operation's path is not matched.
    let followers = client.organizations().followers(41).await.unwrap_err();
    assert!(followers.is_not_found(), "{followers:?}");
    // Without it, only the id given matches.
    let other = MockServer::start().await;
    other
        .organizations()
        .get(5)
        .responds(Organization::new(5))
        .await;
    assert!(
        other
            .client()
            .organizations()
            .get(6)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn query_absent_matches_only_requests_without_the_parameter() {
    let mock = MockServer::start().await;
    mock.organizations()
        .list()
        .query_absent("owner_id")
        .query_absent("filter_id")
        .responds(vec![Organization::new(1)])
        .await;
    let client = mock.client();
    let page = client
        .organizations()
        .list()
        .limit(10)
        .await
        .expect("absent");
    assert_eq!(page.items.len(), 1);
    for sent in [
        client.organizations().list().owner_id(5).await,
        client.organizations().list().filter_id(2).await,
    ] {
        assert!(sent.unwrap_err().is_not_found());
    }
}

#[tokio::test]
async fn an_unmatched_request_is_answered_with_an_error_that_names_it() {
    let mock = MockServer::start().await;
    mock.organizations()
        .get(1)
        .responds(Organization::new(1))
        .await;
    let client = no_retries(&mock);
    let error = client
        .organizations()
        .list()
        .owner_id(5)
        .limit(2)
        .await
        .unwrap_err();
    let Error::Api(unmatched) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(unmatched.status, 404);
    assert_eq!(
        unmatched.error.as_deref(),
        Some("no expectation matched GET /api/v2/organizations?owner_id=5&limit=2")
    );
    assert!(
        unmatched
            .error_info
            .as_deref()
            .is_some_and(|info| info.contains("no expectation")),
        "{unmatched:?}"
    );
    assert_eq!(unmatched.code.as_deref(), Some("404"));
    assert!(
        error.to_string().contains("no expectation matched GET"),
        "{error}"
    );
    assert!(error.is_not_found());
}

#[tokio::test]
async fn an_answer_with_additional_data_gives_both_back() {
    use pipedrive::WithAdditional;
    use pipedrive::deal_products::{DeletedDealProducts, DeletedDealProductsInfo};
    let mock = MockServer::start().await;
    let info = DeletedDealProductsInfo::default().more_items_in_collection(true);
    mock.deal_products()
        .delete_many(5)
        .responds(WithAdditional::new(
            DeletedDealProducts::default().ids([1, 2]),
            Some(info),
        ))
        .await;
    let deleted = mock
        .client()
        .deal_products()
        .delete_many(5)
        .await
        .expect("answered")
        .into_data();
    assert_eq!(deleted.data.ids.map(|ids| ids.len()), Some(2));
    assert_eq!(
        deleted
            .additional_data
            .and_then(|info| info.more_items_in_collection),
        Some(true)
    );
}

#[tokio::test]
async fn the_token_endpoint_answers_only_a_refresh_posted_to_it_and_a_wildcard_needs_a_value() {
    use pipedrive::mock::{MOCK_API_TOKEN, MOCK_CLIENT_ID, MOCK_CLIENT_SECRET};
    let mock = MockServer::start().await;
    mock.oauth_token_endpoint()
        .responds(OAuthTokens::new("access-2", "refresh-2"))
        .await;
    mock.organizations()
        .get(0)
        .any_path_values()
        .responds(Organization::new(1))
        .await;
    let http = reqwest::Client::new();
    let refresh = |method: reqwest::Method, path: &str| {
        http.request(method, format!("{}{path}", mock.uri()))
            .basic_auth(MOCK_CLIENT_ID, Some(MOCK_CLIENT_SECRET))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("grant_type=refresh_token&refresh_token=refresh-1")
            .send()
    };
    let status = |response: Result<reqwest::Response, reqwest::Error>| {
        response.expect("answered").status().as_u16()
    };
    assert_eq!(
        status(refresh(reqwest::Method::POST, "/oauth/token").await),
        200
    );
    assert_ne!(
        status(refresh(reqwest::Method::POST, "/oauth/other").await),
        200
    );
    assert_ne!(
        status(refresh(reqwest::Method::GET, "/oauth/token").await),
        200
    );
    // An any-value segment still needs a value: an empty segment is no id.
    let get = |path: &str| {
        http.get(format!("{}{path}", mock.uri()))
            .header("x-api-token", MOCK_API_TOKEN)
            .send()
    };
    assert_eq!(status(get("/api/v2/organizations/7").await), 200);
    assert_ne!(status(get("/api/v2/organizations/").await), 200);
}
