//! The typed mocks (`pipedrive::mock`, feature `mock`), used as a downstream crate's tests
//! would use them: every expectation and every answer is a typed value, no test writes
//! JSON, and the client under test runs whole against the loopback server.

use std::time::Duration;

use futures::TryStreamExt;
use pipedrive::common::NewFollower;
use pipedrive::jiff::Timestamp;
use pipedrive::mock::MockServer;
use pipedrive::organizations::{
    NewOrganization, Organization, OrganizationPerson, OrganizationSearchHit,
    OrganizationSearchItem, OrganizationUpdate,
};
use pipedrive::{Client, Error, RetryPolicy};

fn organization(id: i64, name: &str) -> Organization {
    Organization::new(id)
        .name(name)
        .add_time(Timestamp::UNIX_EPOCH)
        .update_time(Timestamp::UNIX_EPOCH)
}

/// A client that does not retry, for the answers a retry would hide.
fn no_retries(mock: &MockServer) -> Client {
    mock.client_builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn a_get_answers_the_typed_value_on_its_path_only() {
    let mock = MockServer::start().await;
    let acme = organization(1, "Acme").website("https://acme.example");
    mock.organizations().get(1).responds(acme.clone()).await;

    let client = mock.client();
    assert!(
        mock.uri().starts_with("http://127.0.0.1:"),
        "{}",
        mock.uri()
    );
    assert_eq!(client.base_url().as_str(), format!("{}/", mock.uri()));
    let got = client.organizations().get(1).await.expect("mocked");
    assert_eq!(got.data, acme);
    assert_eq!(got.meta.status, 200);

    // Another id is another path: nothing matches it.
    let error = client.organizations().get(2).await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}

#[tokio::test]
async fn a_body_matcher_sees_the_operation_s_body_type() {
    let mock = MockServer::start().await;
    mock.organizations()
        .add()
        .expect_body(|body: &NewOrganization| {
            body.name == "Acme" && body.owner_id == Some(9.into())
        })
        .times(1)
        .responds(organization(7, "Acme"))
        .await;

    let client = mock.client();
    let other = client
        .organizations()
        .add(NewOrganization::new("Acme"))
        .await
        .unwrap_err();
    assert!(
        other.is_not_found(),
        "a body that fails the check is not matched: {other:?}"
    );
    let created = client
        .organizations()
        .add(NewOrganization::new("Acme").owner_id(9))
        .await
        .expect("mocked");
    assert_eq!(created.data.id, 7);
    mock.verify().await;
}

#[tokio::test]
async fn an_update_matches_on_path_and_body() {
    let mock = MockServer::start().await;
    mock.organizations()
        .update(3)
        .expect_body(|body: &OrganizationUpdate| {
            body.name.as_deref() == Some("Renamed") && body.website == pipedrive::Nullable::Null
        })
        .responds(organization(3, "Renamed"))
        .await;

    let update = OrganizationUpdate::default()
        .name("Renamed")
        .website(pipedrive::Nullable::Null);
    let updated = mock
        .client()
        .organizations()
        .update(3, update)
        .await
        .expect("mocked");
    assert_eq!(updated.data.name.as_deref(), Some("Renamed"));
}

#[tokio::test]
async fn the_query_is_matched_through_the_operation_s_own_builder() {
    let mock = MockServer::start().await;
    mock.organizations()
        .list()
        .query(|list| {
            list.owner_id(5)
                .sort_by(pipedrive::organizations::OrganizationSortField::UpdateTime)
        })
        .responds(vec![organization(1, "Acme")])
        .await;

    let client = mock.client();
    let page = client
        .organizations()
        .list()
        .limit(50)
        .owner_id(5)
        .sort_by(pipedrive::organizations::OrganizationSortField::UpdateTime)
        .await
        .expect("parameters the expectation names match, others may be anything");
    assert_eq!(page.data.items, [organization(1, "Acme")]);
    assert_eq!(page.data.next_cursor, None);

    let error = client.organizations().list().owner_id(6).await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}

#[tokio::test]
async fn a_cursor_page_sequence_is_walked_by_all_items() {
    let mock = MockServer::start().await;
    let pages: Vec<Vec<Organization>> = (0..3)
        .map(|page| {
            (0..2)
                .map(|i| organization(page * 2 + i, &format!("org {page}.{i}")))
                .collect()
        })
        .collect();
    mock.organizations()
        .list()
        .times(1)
        .responds_pages(pages.clone())
        .await;

    let all: Vec<Organization> = mock
        .client()
        .organizations()
        .list()
        .all_items()
        .try_collect()
        .await
        .expect("every page mocked");
    assert_eq!(all, pages.concat());
    mock.verify().await;
}

#[tokio::test]
#[allow(
    deprecated,
    reason = "the v1 offset lists are deprecated, and still served"
)]
async fn an_offset_page_sequence_is_walked_by_pages() {
    let mock = MockServer::start().await;
    let people: Vec<OrganizationPerson> = (1..=5).map(OrganizationPerson::new).collect();
    mock.organizations()
        .persons(4)
        .responds_pages(vec![
            people[..2].to_vec(),
            people[2..4].to_vec(),
            people[4..].to_vec(),
        ])
        .await;

    let client = mock.client();
    let pages: Vec<_> = client
        .organizations()
        .persons(4)
        .pages()
        .try_collect()
        .await
        .expect("every page mocked");
    let starts: Vec<Option<i64>> = pages
        .iter()
        .map(|page| page.data.pagination.as_ref().and_then(|p| p.start))
        .collect();
    assert_eq!(starts, [Some(0), Some(2), Some(4)]);
    let items: Vec<OrganizationPerson> = pages.into_iter().flat_map(|p| p.data.items).collect();
    assert_eq!(items, people);
}

#[tokio::test]
async fn items_inside_an_object_and_required_query_arguments() {
    let mock = MockServer::start().await;
    let hit = OrganizationSearchItem::default()
        .result_score(0.5)
        .item(OrganizationSearchHit::new(8).name("Acme & Sons"));
    mock.organizations()
        .search("acme & sons")
        .responds(vec![hit.clone()])
        .await;

    let client = mock.client();
    let found = client
        .organizations()
        .search("acme & sons")
        .await
        .expect("the term is matched as the client encodes it");
    assert_eq!(found.data.items, [hit]);
    let error = client.organizations().search("acme").await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}

#[tokio::test]
async fn documented_errors_are_typed_errors() {
    let mock = MockServer::start().await;
    mock.organizations()
        .delete(5)
        .fails(403, "You do not have permission")
        .await;
    mock.organizations()
        .add_follower(5)
        .expect_body(|body: &NewFollower| body.user_id == 1)
        .fails(400, "User is already following")
        .await;

    let client = mock.client();
    let Error::Api(denied) = client.organizations().delete(5).await.unwrap_err() else {
        panic!("a 403 is an API error");
    };
    assert_eq!(denied.status, 403);
    assert_eq!(denied.error.as_deref(), Some("You do not have permission"));
    let refused = client
        .organizations()
        .add_follower(5, NewFollower::new(1))
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(400));
}

#[tokio::test]
async fn a_429_carries_its_headers_and_a_retry_gets_the_next_answer() {
    let mock = MockServer::start().await;
    mock.organizations()
        .permitted_users(2)
        .up_to(1)
        .rate_limited(Duration::from_secs(7))
        .await;
    mock.organizations()
        .permitted_users(2)
        .responds(vec![10, 11])
        .await;

    let error = no_retries(&mock)
        .organizations()
        .permitted_users(2)
        .await
        .unwrap_err();
    assert!(error.is_rate_limited(), "{error:?}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));

    // The 429 answered once; the retrying client now gets the success.
    let users = mock
        .client()
        .organizations()
        .permitted_users(2)
        .await
        .expect("the second expectation answers");
    assert_eq!(users.data, [10, 11]);
}

#[tokio::test]
async fn verify_fails_until_every_counted_request_came() {
    let mock = MockServer::start().await;
    mock.organizations()
        .get(1)
        .times(2)
        .responds(organization(1, "Acme"))
        .await;
    let client = mock.client();
    client.organizations().get(1).await.expect("mocked");

    let early = futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(mock.verify())).await;
    assert!(early.is_err(), "one request of two must fail verification");
    client.organizations().get(1).await.expect("mocked");
    mock.verify().await;
}

/// Every operation of the spec has a mock method: the count of expectations built
/// equals the count of operations the spec describes.
#[tokio::test]
async fn every_operation_can_be_mocked() {
    let operations = tests::real_spec()
        .iter()
        .filter_map(|file| {
            let document: serde_yaml::Value = serde_yaml::from_slice(&file.contents).ok()?;
            Some(document.get("operations")?.as_mapping()?.len())
        })
        .sum::<usize>();
    let api = tests::repo_root().join("generated/src/api");
    let mut expectations = 0;
    for entry in std::fs::read_dir(&api).expect("generated/src/api") {
        let mock = entry.expect("entry").path().join("mock.rs");
        if let Ok(source) = std::fs::read_to_string(&mock) {
            expectations += source.matches("crate::mock::Expectation::").count();
        }
    }
    assert_eq!(expectations, operations);
}
