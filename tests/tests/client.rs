//! The generated client end to end, against a real HTTP server on loopback (wiremock):
//! each operation of `spec/` sends the exact request and decodes Pipedrive's own example
//! body (copied into `tests/fixtures/examples/`) into its typed response.

#![allow(
    deprecated,
    reason = "the deprecated v1 operations are tested like the others"
)]

use std::path::PathBuf;
use std::time::Duration;

use pipedrive::common::{DealStatus, FlowItemKind, NewFollower, SortDirection, Visibility};
use pipedrive::organizations::{
    MergeOrganizations, NewOrganization, OrganizationIncludeField, OrganizationSearchField,
    OrganizationSortField, OrganizationUpdate,
};
use pipedrive::{Client, Error, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

const TOKEN: &str = "test-token-7f3a";

/// A timestamp from its RFC 3339 text.
fn time(text: &str) -> pipedrive::jiff::Timestamp {
    text.parse().expect("a timestamp")
}

fn examples_dir() -> PathBuf {
    tests::repo_root()
        .join("tests")
        .join("fixtures")
        .join("examples")
}

/// Pipedrive's example body for `operation`, with its `allOf` artefact undone.
fn example(operation: &str) -> Value {
    let path = examples_dir().join(format!("{operation}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    undo_all_of(serde_json::from_str(&text).expect("example is JSON"))
}

/// Pipedrive's example generator writes `{"allOf": [a, b]}` where the API sends the
/// merged object `a + b`.
fn undo_all_of(value: Value) -> Value {
    match value {
        Value::Object(mut map) => {
            if map.len() == 1 {
                if let Some(Value::Array(parts)) = map.remove("allOf") {
                    let mut merged = serde_json::Map::new();
                    for part in parts {
                        if let Value::Object(part) = undo_all_of(part) {
                            merged.extend(part);
                        }
                    }
                    return Value::Object(merged);
                }
            }
            Value::Object(map.into_iter().map(|(k, v)| (k, undo_all_of(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(undo_all_of).collect()),
        other => other,
    }
}

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    // Retries wait a millisecond at most here: tests/faults.rs covers retrying.
    let retry = RetryPolicy::default().base_delay(Duration::from_millis(1));
    let client = Client::builder()
        .api_token(TOKEN)
        .base_url(server.uri())
        .retry_policy(retry)
        .build()
        .expect("client");
    (server, client)
}

/// A mock for `verb path` that checks the token header and answers with the example.
fn expect(verb: &str, route: &str) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(route))
        .and(header("x-api-token", TOKEN))
}

async fn answer(server: &MockServer, mock: MockBuilder, status: u16, operation: &str) {
    mock.respond_with(ResponseTemplate::new(status).set_body_json(example(operation)))
        .expect(1)
        .mount(server)
        .await;
}

/// Every operation of `spec/` has an example body, which its derived test in
/// `tests/tests/operations/` decodes and serves; every example belongs to an operation; an
/// example of another status (`<operationId>.<status>.json`) has a test here. Derived
/// from the spec, so adding or removing an operation needs no edit here.
#[test]
fn every_example_is_covered() {
    let operations = tests::spec_operation_ids();
    assert!(!operations.is_empty(), "the spec has operations");
    let mut names: Vec<String> = std::fs::read_dir(examples_dir())
        .expect("tests/fixtures/examples")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter_map(|name| name.strip_suffix(".json").map(str::to_owned))
        .collect();
    names.sort();
    for operation in &operations {
        assert!(
            names.contains(operation),
            "no example body for operation `{operation}`"
        );
    }
    let source = include_str!("client.rs");
    for name in &names {
        let (operation, status) = name.split_once('.').unwrap_or((name, ""));
        assert!(
            operations.iter().any(|o| o == operation),
            "example {name}.json belongs to no operation of spec/"
        );
        assert!(
            status.is_empty() || source.contains(&format!("\"{name}\"")),
            "no test decodes {name}.json"
        );
    }
}

#[tokio::test]
async fn get_organizations_sends_every_query_parameter() {
    let (server, client) = server().await;
    let mock = expect("GET", "/api/v2/organizations")
        .and(query_param("ids", "1,2,3"))
        .and(query_param("owner_id", "7"))
        .and(query_param("sort_by", "update_time"))
        .and(query_param("sort_direction", "desc"))
        .and(query_param("include_fields", "people_count,files_count"))
        .and(query_param("custom_fields", "abc,def"))
        .and(query_param("updated_since", "2025-01-01T10:20:00Z"))
        .and(query_param("updated_until", "2025-02-01T00:00:00Z"))
        .and(query_param("include_option_labels", "true"))
        .and(query_param("include_labels", "false"))
        .and(query_param("limit", "50"))
        .and(query_param("cursor", "c1"))
        .and(query_param_is_missing("filter_id"));
    answer(&server, mock, 200, "getOrganizations").await;
    let page = client
        .organizations()
        .list()
        .ids([1, 2, 3])
        .owner_id(7)
        .sort_by(OrganizationSortField::UpdateTime)
        .sort_direction(SortDirection::Desc)
        .include_fields([
            OrganizationIncludeField::PeopleCount,
            OrganizationIncludeField::FilesCount,
        ])
        .custom_fields(["abc", "def"])
        .updated_since(time("2025-01-01T10:20:00Z"))
        .updated_until(time("2025-02-01T00:00:00Z"))
        .include_option_labels(true)
        .include_labels(false)
        .limit(50)
        .cursor("c1")
        .send()
        .await
        .expect("decodes");
    assert_eq!(page.meta.status, 200);
    let organization = &page.items[0];
    assert_eq!(organization.id, 1);
    assert_eq!(organization.name.as_deref(), Some("Organization Name"));
    assert_eq!(organization.visible_to, Some(Visibility::Company));
    assert_eq!(
        organization
            .update_time
            .as_ref()
            .and_then(pipedrive::Lenient::get),
        Some(time("2021-01-01T00:00:00Z"))
    );
    assert_eq!(
        organization.label_ids.as_deref(),
        Some(&[1.into(), 2.into(), 3.into()][..])
    );
    let address = organization.address.as_ref().expect("address");
    assert_eq!(address.locality.as_deref(), Some("Sunnyvale"));
    assert_eq!(address.postal_code.as_deref(), Some("94085"));
    assert_eq!(
        organization.website.as_deref(),
        Some("https://www.company.com")
    );
    assert_eq!(
        organization.linkedin.as_deref(),
        Some("https://linkedin.com/company")
    );
    assert_eq!(
        (
            organization.industry,
            organization.annual_revenue,
            organization.employee_count
        ),
        (Some(2), Some(0), Some(10))
    );
    // Undeclared keys are kept, not dropped.
    assert_eq!(organization.extra.get("org_id"), Some(&json!(1)));
    assert_eq!(
        page.next_cursor.as_deref(),
        Some("eyJmaWVsZCI6ImlkIiwiZmllbGRWYWx1ZSI6Nywic29ydERpcmVjdGlvbiI6ImFzYyIsImlkIjo3fQ")
    );
}

#[tokio::test]
async fn search_organizations_percent_encodes_the_term() {
    let (server, client) = server().await;
    let mock = expect("GET", "/api/v2/organizations/search")
        .and(query_param("term", "Acme & Sons/Ltd"))
        .and(query_param("fields", "name,address"))
        .and(query_param("exact_match", "true"));
    answer(&server, mock, 200, "searchOrganization").await;
    let page = client
        .organizations()
        .search("Acme & Sons/Ltd")
        .fields([
            OrganizationSearchField::Name,
            OrganizationSearchField::Address,
        ])
        .exact_match(true)
        .send()
        .await
        .expect("decodes");
    let found = &page.items[0];
    assert_eq!(found.result_score, Some(0.316));
    let item = found.item.as_ref().expect("item");
    assert_eq!(item.type_.as_deref(), Some("organization"));
    assert_eq!(item.owner.as_ref().and_then(|o| o.id), Some(1.into()));
    assert!(page.next_cursor.is_some());
    let requests = server.received_requests().await.expect("recorded");
    let query = requests[0].url.query().expect("query");
    assert!(query.contains("term=Acme+%26+Sons%2FLtd"), "{query}");
}

#[tokio::test]
async fn get_organization() {
    let (server, client) = server().await;
    let mock = expect("GET", "/api/v2/organizations/42")
        .and(query_param(
            "include_fields",
            "open_deals_count,smart_bcc_email",
        ))
        .and(query_param("custom_fields", "a1b2"))
        .and(query_param("include_option_labels", "true"))
        .and(query_param("include_labels", "true"));
    answer(&server, mock, 200, "getOrganization").await;
    let organization = client
        .organizations()
        .get(42)
        .include_fields([
            OrganizationIncludeField::OpenDealsCount,
            OrganizationIncludeField::SmartBccEmail,
        ])
        .custom_fields(["a1b2"])
        .include_option_labels(true)
        .include_labels(true)
        .send()
        .await
        .expect("decodes")
        .into_data();
    assert_eq!(organization.owner_id, Some(1.into()));
    assert_eq!(
        organization
            .add_time
            .as_ref()
            .and_then(pipedrive::Lenient::get),
        Some(time("2021-01-01T00:00:00Z"))
    );
    assert_eq!(organization.is_deleted, Some(false));
    assert!(
        organization.custom_fields.is_empty(),
        "`{{}}` has no values"
    );
    assert_eq!(organization.employee_count, Some(10));
}

#[tokio::test]
async fn add_organization_sends_only_the_fields_set() {
    let (server, client) = server().await;
    let mock = expect("POST", "/api/v2/organizations")
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "name": "Acme", "owner_id": 5, "add_time": "2024-05-01T10:00:00Z", "label_ids": [3],
            "website": "https://acme.example", "industry": null, "employee_count": 50
        })));
    answer(&server, mock, 200, "addOrganization").await;
    let body = NewOrganization::new("Acme")
        .owner_id(5)
        .add_time(time("2024-05-01T10:00:00Z"))
        .label_ids([3])
        .website("https://acme.example")
        .industry(None)
        .employee_count(50);
    let created = client
        .organizations()
        .add(body)
        .send()
        .await
        .expect("decodes");
    assert_eq!(created.id, 1);
    assert_eq!(created.website.as_deref(), Some("https://www.company.com"));
    assert_eq!(
        created.address.as_ref().and_then(|a| a.route.as_deref()),
        Some("Main St")
    );
}

#[tokio::test]
async fn update_organization_sends_absent_null_and_values_exactly() {
    let (server, client) = server().await;
    // `linkedin` and `employee_count` are left out (unchanged), `website` and `industry`
    // are cleared with null, the rest set.
    let mock = expect("PATCH", "/api/v2/organizations/1").and(body_json(json!({
        "name": "Renamed", "visible_to": 3, "website": null, "industry": null, "annual_revenue": 1000000
    })));
    answer(&server, mock, 200, "updateOrganization").await;
    let body = OrganizationUpdate::default()
        .name("Renamed")
        .visible_to(Visibility::OwnerGroup)
        .website(None)
        .industry(pipedrive::Nullable::Null)
        .annual_revenue(1_000_000);
    assert!(body.linkedin.is_absent() && body.employee_count.is_absent());
    let updated = client
        .organizations()
        .update(1, body)
        .send()
        .await
        .expect("decodes");
    assert_eq!(updated.name.as_deref(), Some("Organization Name"));
}

#[tokio::test]
async fn delete_organization() {
    let (server, client) = server().await;
    answer(
        &server,
        expect("DELETE", "/api/v2/organizations/1"),
        200,
        "deleteOrganization",
    )
    .await;
    let deleted = client
        .organizations()
        .delete(1)
        .send()
        .await
        .expect("decodes");
    assert_eq!(deleted.id, 1);
}

#[tokio::test]
async fn followers() {
    let (server, client) = server().await;
    answer(
        &server,
        expect("GET", "/api/v2/organizations/9/followers").and(query_param("limit", "2")),
        200,
        "getOrganizationFollowers",
    )
    .await;
    let page = client
        .organizations()
        .followers(9)
        .limit(2)
        .send()
        .await
        .expect("decodes");
    assert_eq!(page.items[0].user_id, 1);
    assert_eq!(
        page.items[0].add_time.as_ref().and_then(|t| t.get()),
        Some(time("2021-01-01T00:00:00Z"))
    );
}

#[tokio::test]
async fn add_follower_answers_201() {
    let (server, client) = server().await;
    let mock =
        expect("POST", "/api/v2/organizations/9/followers").and(body_json(json!({"user_id": 1})));
    answer(&server, mock, 201, "addOrganizationFollower").await;
    let follower = client
        .organizations()
        .add_follower(9, NewFollower::new(1))
        .send()
        .await
        .expect("decodes");
    assert_eq!(follower.meta.status, 201);
    assert_eq!(follower.user_id, 1);
}

#[tokio::test]
async fn delete_follower() {
    let (server, client) = server().await;
    answer(
        &server,
        expect("DELETE", "/api/v2/organizations/9/followers/1"),
        200,
        "deleteOrganizationFollower",
    )
    .await;
    let deleted = client
        .organizations()
        .delete_follower(9, 1)
        .send()
        .await
        .expect("decodes");
    assert_eq!(deleted.user_id, 1);
}

#[tokio::test]
async fn followers_changelog() {
    let (server, client) = server().await;
    answer(
        &server,
        expect("GET", "/api/v2/organizations/9/followers/changelog"),
        200,
        "getOrganizationFollowersChangelog",
    )
    .await;
    let page = client
        .organizations()
        .followers_changelog(9)
        .send()
        .await
        .expect("decodes");
    assert_eq!(page.items[0].action.as_deref(), Some("added"));
    assert_eq!(page.items[0].follower_user_id, Some(1.into()));
}

#[tokio::test]
async fn collection() {
    let (server, client) = server().await;
    let mock = expect("GET", "/v1/organizations/collection")
        .and(query_param("since", "2022-11-01 08:55:59"))
        .and(query_param("first_char", "p"));
    answer(&server, mock, 200, "getOrganizationsCollection").await;
    let page = client
        .organizations()
        .collection()
        .since(time("2022-11-01T08:55:59Z"))
        .first_char("p")
        .send()
        .await
        .expect("decodes");
    let record = &page.items[0];
    // v1 writes the code as a string.
    assert_eq!(record.visible_to, Some(Visibility::OwnerGroup));
    assert_eq!(record.delete_time, None);
    assert_eq!(record.address_locality.as_deref(), Some("Tallinn"));
    assert_eq!(page.next_cursor.as_deref(), Some("eyJhY3Rpdml0aWVzIjoyN30"));
}

#[tokio::test]
async fn collection_403_keeps_status_and_body() {
    let (server, client) = server().await;
    answer(
        &server,
        expect("GET", "/v1/organizations/collection"),
        403,
        "getOrganizationsCollection.403",
    )
    .await;
    let error = client
        .organizations()
        .collection()
        .send()
        .await
        .expect_err("403");
    let Error::Api(api) = error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.status, 403);
    assert_eq!(api.operation, "getOrganizationsCollection");
    assert_eq!(
        api.error.as_deref(),
        Some("You do not have permissions to do this.")
    );
    assert_eq!(
        api.error_info.as_deref(),
        Some("Please check developers.pipedrive.com")
    );
    assert!(api.body.contains("\"success\":false"));
}

#[tokio::test]
async fn activities_send_done_as_0_or_1() {
    let (server, client) = server().await;
    let mock = expect("GET", "/v1/organizations/5/activities")
        .and(query_param("done", "0"))
        .and(query_param("exclude", "4,5"))
        .and(query_param("start", "100"));
    answer(&server, mock, 200, "getOrganizationActivities").await;
    let page = client
        .organizations()
        .activities(5)
        .done(false)
        .exclude([4, 5])
        .start(100)
        .send()
        .await
        .expect("decodes");
    let activity = &page.items[0];
    assert_eq!(activity.done, Some(false));
    assert_eq!(
        activity.lead_id.as_ref().map(|id| id.as_str()),
        Some("46c3b0e1-db35-59ca-1828-4817378dff71")
    );
    assert_eq!(
        activity.attendees.as_ref().expect("attendees")[0].is_organizer,
        Some(false)
    );
    assert_eq!(
        activity.participants.as_ref().expect("participants")[1].primary_flag,
        Some(true)
    );
    assert_eq!(
        activity.file.as_ref().and_then(|f| f.clean_name.as_deref()),
        Some("Audio 10:55:07.m4a")
    );
    let pagination = page.pagination.expect("pagination");
    assert_eq!(pagination.more_items_in_collection, Some(true));
    assert_eq!(page.next_start(), Some(1));
    assert_eq!(
        page.additional_data["activity_distribution"]["8877"]["activity_count"],
        json!(3)
    );
}

#[tokio::test]
async fn changelog() {
    let (server, client) = server().await;
    answer(
        &server,
        expect("GET", "/v1/organizations/5/changelog"),
        200,
        "getOrganizationChangelog",
    )
    .await;
    let page = client
        .organizations()
        .changelog(5)
        .send()
        .await
        .expect("decodes");
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[1].new_value, Some(json!("20")));
    assert_eq!(page.items[0].is_bulk_update_flag, Some(false));
    assert_eq!(page.next_cursor.as_deref(), Some("aWQ6NTQ0"));
}

#[tokio::test]
async fn deals() {
    let (server, client) = server().await;
    let mock = expect("GET", "/v1/organizations/5/deals")
        .and(query_param("status", "won"))
        .and(query_param("only_primary_association", "1"));
    answer(&server, mock, 200, "getOrganizationDeals").await;
    let page = client
        .organizations()
        .deals(5)
        .status(DealStatus::Won)
        .only_primary_association(true)
        .send()
        .await
        .expect("decodes");
    let deal = &page.items[0];
    assert_eq!(deal.title.as_deref(), Some("Deal One"));
    assert_eq!(deal.value, Some(5000.0));
    assert_eq!(
        deal.creator_user_id.as_ref().and_then(|u| u.has_pic),
        Some(false)
    );
    let person = deal.person_id.as_ref().expect("person");
    assert_eq!(
        person.email.as_ref().expect("emails")[0].value.as_deref(),
        Some("person@pipedrive.com")
    );
    assert_eq!(deal.org_id.as_ref().map(|o| o.value), Some(5.into()));
    assert_eq!(deal.probability, None);
    assert!(page.related_objects.contains_key("user"));
}

#[tokio::test]
async fn files() {
    let (server, client) = server().await;
    answer(
        &server,
        expect("GET", "/v1/organizations/5/files").and(query_param("limit", "100")),
        200,
        "getOrganizationFiles",
    )
    .await;
    let page = client
        .organizations()
        .files(5)
        .limit(100)
        .send()
        .await
        .expect("decodes");
    let file = &page.items[0];
    assert_eq!(file.file_size, Some(95116));
    assert_eq!(file.log_id, None);
    assert_eq!(file.remote_location.as_deref(), Some("s3"));
    assert_eq!(
        (file.project_id, file.project_name.as_deref()),
        (Some(1.into()), Some("My project"))
    );
}

#[tokio::test]
async fn updates_flow() {
    let (server, client) = server().await;
    let mock = expect("GET", "/v1/organizations/5/flow")
        .and(query_param("items", "activity,mailMessage"))
        .and(query_param("all_changes", "1"));
    answer(&server, mock, 200, "getOrganizationUpdates").await;
    let page = client
        .organizations()
        .updates(5)
        .items([FlowItemKind::Activity, FlowItemKind::MailMessage])
        .all_changes(true)
        .send()
        .await
        .expect("decodes");
    assert_eq!(page.items[0].object.as_deref(), Some("organizationChange"));
    assert_eq!(
        page.items[0].data.as_ref().expect("data")["new_value"],
        json!(8877)
    );
    assert!(page.related_objects.contains_key("organization"));
}

#[tokio::test]
async fn mail_messages_decode_0_1_flags() {
    let (server, client) = server().await;
    let mock =
        expect("GET", "/v1/organizations/5/mailMessages").and(query_param("include_body", "1"));
    answer(&server, mock, 200, "getOrganizationMailMessages").await;
    let page = client
        .organizations()
        .mail_messages(5)
        .include_body(true)
        .send()
        .await
        .expect("decodes");
    let message = page.items[0].data.as_ref().expect("message");
    assert_eq!(message.read_flag, Some(true));
    assert_eq!(message.draft_flag, Some(false));
    assert_eq!(message.external_deleted_flag, Some(false));
    assert_eq!(
        message.mail_tracking_status,
        Some(pipedrive::common::MailTrackingStatus::Opened)
    );
    assert_eq!(
        message.from.as_ref().expect("from")[0]
            .email_address
            .as_deref(),
        Some("mail@example.org")
    );
}

#[tokio::test]
async fn permitted_users() {
    let (server, client) = server().await;
    answer(
        &server,
        expect("GET", "/v1/organizations/5/permittedUsers"),
        200,
        "getOrganizationUsers",
    )
    .await;
    let users = client
        .organizations()
        .permitted_users(5)
        .send()
        .await
        .expect("decodes");
    assert_eq!(users.data, vec![123, 777]);
}

#[tokio::test]
async fn persons() {
    let (server, client) = server().await;
    answer(
        &server,
        expect("GET", "/v1/organizations/5/persons"),
        200,
        "getOrganizationPersons",
    )
    .await;
    let page = client
        .organizations()
        .persons(5)
        .send()
        .await
        .expect("decodes");
    let person = &page.items[0];
    assert_eq!(person.owner_id.as_ref().and_then(|o| o.has_pic), Some(true));
    assert_eq!(
        person
            .picture_id
            .as_ref()
            .and_then(|p| p.pictures.as_ref())
            .map(|p| p.contains_key("128")),
        Some(true)
    );
    assert_eq!(person.marketing_status.as_deref(), Some("no_consent"));
    assert_eq!(person.visible_to, Some(Visibility::OwnerGroup));
}

#[tokio::test]
async fn merge() {
    let (server, client) = server().await;
    let mock =
        expect("PUT", "/v1/organizations/5/merge").and(body_json(json!({"merge_with_id": 6})));
    answer(&server, mock, 200, "mergeOrganizations").await;
    let merged = client
        .organizations()
        .merge(5, MergeOrganizations::new(6))
        .send()
        .await
        .expect("decodes");
    assert_eq!(merged.id, 123);
}

#[tokio::test]
async fn delete_many() {
    let (server, client) = server().await;
    answer(
        &server,
        expect("DELETE", "/v1/organizations").and(query_param("ids", "123,100")),
        200,
        "deleteOrganizations",
    )
    .await;
    let deleted = client
        .organizations()
        .delete_many([123, 100])
        .send()
        .await
        .expect("decodes");
    assert_eq!(deleted.id.as_deref(), Some(&[123.into(), 100.into()][..]));
}

#[tokio::test]
async fn success_false_with_status_200_is_an_api_error() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": false, "error": "nope", "data": null})),
        )
        .mount(&server)
        .await;
    let error = client
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("not successful");
    assert!(
        matches!(&error, Error::Api(api) if api.status == 200 && api.error.as_deref() == Some("nope")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_a_decode_error_with_its_path() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": true, "data": {"id": "not a number"}})),
        )
        .mount(&server)
        .await;
    let error = client
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("wrong shape");
    let Error::Decode(decode) = error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert_eq!(decode.path, "data.id");
    assert!(
        decode.message.contains("not a number"),
        "{}",
        decode.message
    );
    assert!(decode.snippet.contains("not a number"));
}

#[tokio::test]
async fn an_item_of_the_wrong_shape_costs_that_item_only() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [
            {"id": 1, "name": "Kept", "add_time": "2021-01-01T00:00:00Z", "update_time": "2021-01-02T00:00:00Z"},
            {"id": "not a number", "name": "Lost"},
            {"id": 3, "name": "Also kept", "add_time": "2021-01-01T00:00:00Z", "update_time": "2021-01-02T00:00:00Z"}
        ]})))
        .mount(&server)
        .await;
    let page = client.organizations().list().send().await.expect("a page");
    let ids: Vec<i64> = page.items.iter().map(|o| o.id.get()).collect();
    assert_eq!(ids, [1, 3]);
    let [failed] = page.failed.as_slice() else {
        panic!("one item failed: {:?}", page.failed)
    };
    assert_eq!((failed.index, failed.path.as_str()), (1, "id"));
    assert!(
        failed.message.contains("not a number"),
        "{}",
        failed.message
    );
    let raw: serde_json::Value = serde_json::from_str(&failed.raw).expect("the item as sent");
    assert_eq!(raw, json!({"id": "not a number", "name": "Lost"}));
}

#[tokio::test]
async fn html_and_truncated_bodies_are_errors_not_panics() {
    let (server, client) = server().await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "{\"success\": true, \"data\": {\"id\": 1",
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations/2"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_raw("<html>Service Unavailable</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let truncated = client
        .organizations()
        .get(1)
        .send()
        .await
        .expect_err("truncated");
    assert!(matches!(truncated, Error::Decode(_)), "{truncated:?}");
    let html = client
        .organizations()
        .get(2)
        .send()
        .await
        .expect_err("html");
    assert!(
        matches!(&html, Error::Api(api) if api.status == 503 && api.body.contains("Service Unavailable")),
        "{html:?}"
    );
}

#[tokio::test]
async fn the_token_never_appears_in_the_url() {
    let (server, client) = server().await;
    answer(
        &server,
        expect("GET", "/api/v2/organizations/1"),
        200,
        "getOrganization",
    )
    .await;
    client.organizations().get(1).send().await.expect("decodes");
    let requests = server.received_requests().await.expect("recorded");
    assert!(!requests[0].url.as_str().contains(TOKEN));
    assert!(
        requests[0]
            .headers
            .get("user-agent")
            .is_some_and(|ua| ua.to_str().unwrap_or("").starts_with("pipedrive-rust/"))
    );
}

#[tokio::test]
async fn an_empty_success_body_is_a_decode_error() {
    let (server, client) = server().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let error = client
        .organizations()
        .delete(1)
        .send()
        .await
        .expect_err("empty body");
    let Error::Decode(decode) = error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert_eq!(decode.status, 200);
    assert!(decode.message.contains("ends"), "{}", decode.message);
}

#[tokio::test]
async fn a_request_builder_can_be_awaited_without_send() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/organizations/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"success": true, "data": {
            "id": 1, "name": "Acme", "add_time": "2021-01-01T00:00:00Z", "update_time": "2021-01-02T00:00:00Z"
        }})))
        .expect(2)
        .mount(&server)
        .await;
    let organization = client
        .organizations()
        .get(1)
        .await
        .expect("IntoFuture sends it");
    assert_eq!(organization.name.as_deref(), Some("Acme"));
    // The future is Send, so it can be spawned.
    let handle = tokio::spawn({
        let client = client.clone();
        async move { client.organizations().get(1).send().await.map(|o| o.id) }
    });
    assert_eq!(handle.await.expect("joined").expect("sent"), 1);
}

#[tokio::test]
async fn a_response_keeps_every_header_and_names_its_request_id() {
    let (server, client) = server().await;
    Mock::given(path("/api/v2/organizations/1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-correlation-id", "c0ffee")
                .insert_header("x-something-new", "kept")
                .set_body_json(json!({"success": true, "data": {
                    "id": 1, "name": "Acme", "add_time": "2021-01-01T00:00:00Z", "update_time": "2021-01-02T00:00:00Z"
                }})),
        )
        .mount(&server)
        .await;
    let response = client.organizations().get(1).await.expect("ok");
    assert_eq!(response.meta.request_id(), Some("c0ffee"));
    assert_eq!(
        response
            .meta
            .headers
            .get("x-something-new")
            .and_then(|v| v.to_str().ok()),
        Some("kept")
    );
}
