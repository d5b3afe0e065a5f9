//! Streams over every page, against a loopback server: v2 cursors, v1 offsets, empty
//! pages, null cursors, laziness, and errors ending the stream.

#![allow(
    deprecated,
    reason = "the v1 persons list is deprecated but still served"
)]

use futures::{StreamExt, TryStreamExt};
use pipedrive::Client;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

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

    let ids: Vec<i64> = client
        .organizations()
        .list()
        .limit(2)
        .all_items()
        .map_ok(|organization| organization.id)
        .try_collect()
        .await
        .expect("all pages");
    assert_eq!(ids, [1, 2, 3, 4, 5]);
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
    let pages: Vec<_> = client
        .organizations()
        .followers(1)
        .pages()
        .try_collect()
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

    let ids: Vec<i64> = client
        .organizations()
        .persons(7)
        .limit(2)
        .all_items()
        .map_ok(|person| person.id)
        .try_collect()
        .await
        .expect("all pages");
    assert_eq!(ids, [1, 2, 3, 4, 5]);
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
    let results: Vec<_> = client.organizations().list().all_items().collect().await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert_eq!(
        results[1].as_ref().err().and_then(pipedrive::Error::status),
        Some(500)
    );
}
