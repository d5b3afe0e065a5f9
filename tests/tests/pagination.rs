//! Streams over every page, against a loopback server: v2 cursors, v1 offsets, empty
//! pages, null cursors, laziness, and errors ending the stream.

#![allow(
    deprecated,
    reason = "the v1 persons list is deprecated but still served"
)]

use futures::{StreamExt, TryStreamExt};
use pipedrive::Client;
use pipedrive::Error;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The most items or pages a test stream may yield: a stream that does not end fails
/// the test instead of hanging it.
const BOUND: usize = 50;

/// Everything `stream` yields, failing the test if it yields more than [`BOUND`] or runs
/// for more than ten seconds.
async fn bounded<S: futures::Stream>(stream: S) -> Vec<S::Item> {
    let collected = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.take(BOUND + 1).collect::<Vec<_>>(),
    )
    .await
    .expect("the stream ends in time");
    assert!(collected.len() <= BOUND, "the stream did not end");
    collected
}

/// The items of `stream`, or its first error, within [`bounded`]'s limits.
async fn bounded_ok<T>(
    stream: impl futures::Stream<Item = Result<T, pipedrive::Error>>,
) -> Result<Vec<T>, pipedrive::Error> {
    bounded(stream).await.into_iter().collect()
}

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .api_token("t")
        .base_url(server.uri())
        .build()
        .expect("client");
    (server, client)
}

fn organizations(ids: &[i64], next_cursor: serde_json::Value) -> ResponseTemplate {
    let data: Vec<_> = ids
        .iter()
        .map(|id| json!({"id": id, "name": format!("org {id}"), "add_time": "2021-01-01T00:00:00Z", "update_time": "2021-01-02 00:00:00"}))
        .collect();
    ResponseTemplate::new(200).set_body_json(
        json!({"success": true, "data": data, "additional_data": {"next_cursor": next_cursor}}),
    )
}

#[tokio::test]
async fn cursor_pages_follow_next_cursor_until_it_is_null() {
    let (server, client) = server().await;
    let route = || {
        Mock::given(method("GET"))
            .and(path("/api/v2/organizations"))
            .and(query_param("limit", "2"))
    };
    route()
        .and(query_param_is_missing("cursor"))
        .respond_with(organizations(&[1, 2], json!("c2")))
        .expect(1)
        .mount(&server)
        .await;
    route()
        .and(query_param("cursor", "c2"))
        .respond_with(organizations(&[3, 4], json!("c3")))
        .expect(1)
        .mount(&server)
        .await;
    route()
        .and(query_param("cursor", "c3"))
        .respond_with(organizations(&[5], json!(null)))
        .expect(1)
        .mount(&server)
        .await;

    let ids: Vec<pipedrive::ids::OrganizationId> = bounded_ok(
        client
            .organizations()
            .list()
            .limit(2)
            .all_items()
            .map_ok(|organization| organization.id),
    )
    .await
    .expect("all pages");
    assert_eq!(
        ids.iter().map(|id| id.get()).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
}

#[tokio::test]
async fn an_absent_cursor_and_an_empty_first_page_end_the_stream() {
    let (server, client) = server().await;
    Mock::given(path("/api/v2/organizations/1/followers"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": true, "data": [], "additional_data": {}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let pages = bounded_ok(client.organizations().followers(1).pages())
        .await
        .expect("one page");
    assert_eq!(pages.len(), 1);
    assert!(pages[0].items.is_empty());
}

#[tokio::test]
async fn streams_are_lazy_and_pages_carry_their_metadata() {
    let (server, client) = server().await;
    Mock::given(path("/api/v2/organizations"))
        .respond_with(
            organizations(&[1], json!("next")).insert_header("x-ratelimit-remaining", "39"),
        )
        .mount(&server)
        .await;
    let stream = client.organizations().list().pages();
    assert!(
        server
            .received_requests()
            .await
            .expect("recorded")
            .is_empty(),
        "a request before polling"
    );
    let mut stream = Box::pin(stream);
    let first = stream.next().await.expect("a page").expect("ok");
    assert_eq!(first.meta.rate_limit.remaining, Some(39));
    assert_eq!(first.next_cursor.as_deref(), Some("next"));
    assert_eq!(
        server.received_requests().await.expect("recorded").len(),
        1,
        "only the page asked for"
    );
}

fn persons(ids: &[i64], start: i64, more: bool, next_start: Option<i64>) -> ResponseTemplate {
    let data: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
    let mut pagination = json!({"start": start, "limit": 2, "more_items_in_collection": more});
    if let Some(next) = next_start {
        pagination["next_start"] = json!(next);
    }
    ResponseTemplate::new(200).set_body_json(
        json!({"success": true, "data": data, "additional_data": {"pagination": pagination}}),
    )
}

#[tokio::test]
async fn offset_pages_follow_next_start_until_no_more_items() {
    let (server, client) = server().await;
    let route = || Mock::given(path("/v1/organizations/7/persons")).and(query_param("limit", "2"));
    route()
        .and(query_param_is_missing("start"))
        .respond_with(persons(&[1, 2], 0, true, Some(2)))
        .expect(1)
        .mount(&server)
        .await;
    route()
        .and(query_param("start", "2"))
        .respond_with(persons(&[3, 4], 2, true, Some(4)))
        .expect(1)
        .mount(&server)
        .await;
    route()
        .and(query_param("start", "4"))
        .respond_with(persons(&[5], 4, false, None))
        .expect(1)
        .mount(&server)
        .await;

    let ids: Vec<pipedrive::ids::PersonId> = bounded_ok(
        client
            .organizations()
            .persons(7)
            .limit(2)
            .all_items()
            .map_ok(|person| person.id),
    )
    .await
    .expect("all pages");
    assert_eq!(
        ids.iter().map(|id| id.get()).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_items_before_it() {
    let (server, client) = server().await;
    Mock::given(path("/api/v2/organizations"))
        .and(query_param_is_missing("cursor"))
        .respond_with(organizations(&[1], json!("boom")))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations"))
        .and(query_param("cursor", "boom"))
        .respond_with(ResponseTemplate::new(500).set_body_string("oops"))
        .expect(1)
        .mount(&server)
        .await;
    let results = bounded(client.organizations().list().all_items()).await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert_eq!(
        results[1].as_ref().err().and_then(pipedrive::Error::status),
        Some(500)
    );
}

#[tokio::test]
async fn an_empty_next_cursor_is_the_end() {
    let (server, client) = server().await;
    Mock::given(path("/api/v2/organizations"))
        .respond_with(organizations(&[1], json!("")))
        .expect(1)
        .mount(&server)
        .await;
    let pages = bounded_ok(client.organizations().list().pages())
        .await
        .expect("one page");
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].next_cursor, None);
}

#[tokio::test]
async fn a_cursor_handed_back_a_second_time_ends_the_stream_with_an_error() {
    let (server, client) = server().await;
    // c1 -> c2 -> c1 -> ...: a loop of two.
    Mock::given(path("/api/v2/organizations"))
        .and(query_param_is_missing("cursor"))
        .respond_with(organizations(&[1], json!("c1")))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations"))
        .and(query_param("cursor", "c1"))
        .respond_with(organizations(&[2], json!("c2")))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations"))
        .and(query_param("cursor", "c2"))
        .respond_with(organizations(&[3], json!("c1")))
        .mount(&server)
        .await;
    let results = bounded(client.organizations().list().all_items()).await;
    assert_eq!(results.len(), 4, "three items, then the error");
    let error = results[3].as_ref().expect_err("a loop");
    assert!(
        matches!(error, Error::Pagination { operation: "getOrganizations", reason } if reason.contains("`c1`")),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.expect("recorded").len(), 3);
}

#[tokio::test]
async fn an_offset_that_does_not_advance_ends_the_stream_with_an_error() {
    let (server, client) = server().await;
    // The server says more items follow, and that the next page starts where this one did.
    Mock::given(path("/v1/organizations/7/persons"))
        .respond_with(persons(&[1, 2], 0, true, Some(0)))
        .mount(&server)
        .await;
    let results = bounded(client.organizations().persons(7).pages()).await;
    assert_eq!(results.len(), 2);
    let error = results[1].as_ref().expect_err("no progress");
    assert!(
        matches!(error, Error::Pagination { reason, .. } if reason.contains("does not move past")),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

#[tokio::test]
async fn an_empty_offset_page_that_claims_more_items_is_the_end() {
    let (server, client) = server().await;
    Mock::given(path("/v1/organizations/7/persons"))
        .respond_with(persons(&[], 0, true, Some(2)))
        .expect(1)
        .mount(&server)
        .await;
    let pages = bounded_ok(client.organizations().persons(7).pages())
        .await
        .expect("one page");
    assert_eq!(pages.len(), 1);
}

/// A v1 page of persons with `pagination` as given.
fn persons_page(ids: &[i64], pagination: serde_json::Value) -> ResponseTemplate {
    let data: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
    ResponseTemplate::new(200).set_body_json(
        json!({"success": true, "data": data, "additional_data": {"pagination": pagination}}),
    )
}

/// A server whose `next_start` falls by one on each page: 100 after the first, then one
/// less than the page asked for. Its `start` says 0 (a lie), or is missing.
struct Falling {
    start: Option<i64>,
}

impl wiremock::Respond for Falling {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let asked = request
            .url
            .query_pairs()
            .find(|(name, _)| name == "start")
            .map(|(_, value)| value.parse::<i64>().expect("an offset"));
        let mut pagination = json!({"limit": 2, "more_items_in_collection": true,
            "next_start": asked.map_or(100, |asked| asked - 1)});
        if let Some(start) = self.start {
            pagination["start"] = json!(start);
        }
        persons_page(&[1, 2], pagination)
    }
}

#[tokio::test]
async fn an_offset_that_falls_by_one_each_page_ends_the_stream_whatever_start_says() {
    for start in [Some(0), None] {
        let (server, client) = server().await;
        Mock::given(path("/v1/organizations/7/persons"))
            .respond_with(Falling { start })
            .mount(&server)
            .await;
        let results = bounded(client.organizations().persons(7).pages()).await;
        assert_eq!(results.len(), 3, "two pages, then the error");
        let error = results[2].as_ref().expect_err("backwards");
        assert!(
            matches!(error, Error::Pagination { reason, .. } if reason.contains("99 does not move past")),
            "{start:?}: {error:?}"
        );
        assert_eq!(server.received_requests().await.expect("recorded").len(), 2);
    }
}

#[tokio::test]
async fn a_server_that_sends_no_start_is_paged_by_the_offsets_the_stream_asked_for() {
    let (server, client) = server().await;
    let more = json!({"limit": 2, "more_items_in_collection": true});
    Mock::given(path("/v1/organizations/7/persons"))
        .and(query_param_is_missing("start"))
        .respond_with(persons_page(&[1, 2], more.clone()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/organizations/7/persons"))
        .and(query_param("start", "2"))
        .respond_with(persons_page(&[3, 4], more))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/organizations/7/persons"))
        .and(query_param("start", "4"))
        .respond_with(persons_page(
            &[5],
            json!({"more_items_in_collection": false}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let ids: Vec<pipedrive::ids::PersonId> = bounded_ok(
        client
            .organizations()
            .persons(7)
            .all_items()
            .map_ok(|person| person.id),
    )
    .await
    .expect("all pages");
    assert_eq!(
        ids.iter().map(|id| id.get()).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
}

#[tokio::test]
async fn a_negative_offset_or_one_beyond_i64_ends_the_stream_with_an_error() {
    let (server, client) = server().await;
    Mock::given(path("/v1/organizations/7/persons"))
        .respond_with(persons_page(
            &[1, 2],
            json!({"start": 0, "more_items_in_collection": true, "next_start": -1100}),
        ))
        .mount(&server)
        .await;
    let results = bounded(client.organizations().persons(7).pages()).await;
    assert_eq!(results.len(), 2);
    assert!(
        matches!(&results[1], Err(Error::Pagination { reason, .. }) if reason.contains("-1100 is negative")),
        "{:?}",
        results[1]
    );

    // i64::MAX is an offset, and the page after it is not.
    let (server, client) = self::server().await;
    Mock::given(path("/v1/organizations/7/persons"))
        .respond_with(persons_page(
            &[1, 2],
            json!({"start": 0, "more_items_in_collection": true, "next_start": i64::MAX}),
        ))
        .mount(&server)
        .await;
    let results = bounded(client.organizations().persons(7).pages()).await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert!(
        matches!(&results[2], Err(Error::Pagination { reason, .. }) if reason.contains("beyond i64")),
        "{:?}",
        results[2]
    );
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[1].url.query(),
        Some(format!("start={}", i64::MAX).as_str())
    );
}

#[tokio::test]
async fn the_callers_own_offset_counts_for_the_first_page() {
    let (server, client) = server().await;
    // Asked for 100, the server says the next page starts at 50, and sends no `start`.
    Mock::given(path("/v1/organizations/7/persons"))
        .and(query_param("start", "100"))
        .respond_with(persons_page(
            &[1, 2],
            json!({"more_items_in_collection": true, "next_start": 50}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let results = bounded(client.organizations().persons(7).start(100).pages()).await;
    assert_eq!(results.len(), 2);
    assert!(
        matches!(&results[1], Err(Error::Pagination { reason, .. }) if reason.contains("50 does not move past this page, asked for at 100")),
        "{:?}",
        results[1]
    );
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

#[tokio::test]
async fn a_cursor_stream_refuses_the_callers_own_cursor_back_at_once() {
    let (server, client) = server().await;
    Mock::given(path("/api/v2/organizations"))
        .and(query_param("cursor", "c0"))
        .respond_with(organizations(&[1], json!("c0")))
        .expect(1)
        .mount(&server)
        .await;
    let results = bounded(client.organizations().list().cursor("c0").all_items()).await;
    assert_eq!(results.len(), 2, "the page's item, then the error");
    assert!(
        matches!(&results[1], Err(Error::Pagination { reason, .. }) if reason.contains("`c0`, the cursor the stream started from")),
        "{:?}",
        results[1]
    );
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

#[test]
fn page_streams_can_move_between_threads() {
    fn send<T: Send>(_: &T) {}
    let client = Client::builder()
        .api_token("t")
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client");
    send(&client.organizations().list().pages());
    send(&client.organizations().persons(7).all_items());
}
