//! What the models say about the data, on realistic bodies: required fields, nulls in
//! every optional field, typed times that keep what does not parse, integer codes as
//! numbers or text, unknown values kept, `data: null`, and what a body sends.

#![allow(
    deprecated,
    reason = "the deprecated v1 operations are tested like the others"
)]

use pipedrive::common::{MailTrackingStatus, SortDirection, Visibility};
use pipedrive::organizations::{
    NewOrganization, Organization, OrganizationDeal, OrganizationPerson, OrganizationUpdate,
};
use pipedrive::{Client, Error, Lenient};
use serde_json::{Value, json};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn example(operation: &str) -> Value {
    let path = tests::repo_root()
        .join("tests")
        .join("fixtures")
        .join("examples")
        .join(format!("{operation}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("example")).expect("JSON")
}

/// The first item of an example's `data`, whether `data` is an object or a list.
fn first_item(operation: &str) -> Value {
    let data = example(operation)["data"].clone();
    match data {
        Value::Array(items) => items.into_iter().next().expect("an item"),
        other => other,
    }
}

/// `item` with every key but `keep` set to null.
fn nulled(mut item: Value, keep: &[&str]) -> Value {
    for (key, value) in item.as_object_mut().expect("an object") {
        if !keep.contains(&key.as_str()) {
            *value = Value::Null;
        }
    }
    item
}

#[test]
fn null_in_every_optional_field_decodes_as_none() {
    let organization: Organization = serde_json::from_value(nulled(
        first_item("getOrganization"),
        &["id", "name", "add_time", "update_time"],
    ))
    .expect("decodes");
    assert_eq!(organization.id, 1);
    assert_eq!(
        (
            organization.owner_id,
            organization.address,
            organization.visible_to
        ),
        (None, None, None)
    );
    assert_eq!(
        (
            organization.label_ids,
            organization.custom_fields.is_empty(),
            organization.is_deleted
        ),
        (None, true, None),
        "null custom fields are no values"
    );

    let person: OrganizationPerson =
        serde_json::from_value(nulled(first_item("getOrganizationPersons"), &["id"]))
            .expect("decodes");
    assert_eq!(
        (
            person.name,
            person.owner_id,
            person.picture_id,
            person.add_time
        ),
        (None, None, None, None)
    );
    let deal: OrganizationDeal =
        serde_json::from_value(nulled(first_item("getOrganizationDeals"), &["id"]))
            .expect("decodes");
    assert_eq!(
        (
            deal.value,
            deal.person_id,
            deal.expected_close_date,
            deal.visible_to
        ),
        (None, None, None, None)
    );
}

#[test]
fn a_missing_required_field_is_an_error_that_names_it() {
    let mut item = first_item("getOrganization");
    item.as_object_mut().expect("object").remove("id");
    let error = serde_json::from_value::<Organization>(item).expect_err("no id");
    assert!(error.to_string().contains("`id`"), "{error}");
    assert!(error.to_string().contains("missing"), "{error}");
    let mut item = first_item("getOrganization");
    item["id"] = Value::Null;
    assert!(
        serde_json::from_value::<Organization>(item).is_err(),
        "a required field may not be null"
    );
}

#[test]
fn codes_decode_as_numbers_or_text_and_unknown_values_are_kept() {
    let mut person = first_item("getOrganizationPersons");
    for (sent, expected) in [
        (json!("3"), Visibility::OwnerGroup),
        (json!(7), Visibility::Company),
        (json!(4), Visibility::from(4)),
        (json!("9"), Visibility::from(9)),
    ] {
        person["visible_to"] = sent;
        let decoded: OrganizationPerson = serde_json::from_value(person.clone()).expect("decodes");
        assert_eq!(decoded.visible_to, Some(expected));
    }
    assert_eq!(Visibility::OwnerGroup.code(), 3);
    assert!(matches!(Visibility::from(4), Visibility::Other(code) if *code.get() == 4));
    // A known code never becomes `Other`, so equality holds however the value was made.
    assert_eq!(Visibility::from(3), Visibility::OwnerGroup);
    assert_eq!(
        serde_json::to_value(Visibility::from(4)).expect("encodes"),
        json!(4)
    );
    let clicked = serde_json::from_value::<MailTrackingStatus>(json!("clicked")).expect("decodes");
    assert!(matches!(&clicked, MailTrackingStatus::Other(text) if text.as_str() == "clicked"));
    assert_eq!(clicked, MailTrackingStatus::from("clicked"));
    assert_eq!(
        MailTrackingStatus::from("opened"),
        serde_json::from_value::<MailTrackingStatus>(json!("opened")).expect("decodes")
    );
    assert_eq!(
        serde_json::from_value::<SortDirection>(json!("desc")).expect("decodes"),
        SortDirection::Desc
    );
    assert_eq!(SortDirection::from("sideways").as_str(), "sideways");
}

#[test]
fn zero_and_malformed_times_are_kept_as_sent() {
    let mut deal = first_item("getOrganizationDeals");
    deal["close_time"] = json!("0000-00-00 00:00:00");
    deal["update_time"] = json!("2019-05-29 04:21:51");
    deal["add_time"] = json!("last tuesday");
    deal["expected_close_date"] = json!("2019-06-29");
    let decoded: OrganizationDeal = serde_json::from_value(deal).expect("decodes");
    assert_eq!(
        decoded.close_time,
        Some(Lenient::Invalid("0000-00-00 00:00:00".into()))
    );
    assert_eq!(
        decoded.add_time.as_ref().and_then(|t| t.raw()),
        Some("last tuesday")
    );
    let updated = decoded
        .update_time
        .as_ref()
        .and_then(|t| t.get())
        .expect("a valid time");
    assert_eq!(
        updated,
        "2019-05-29T04:21:51Z"
            .parse::<pipedrive::jiff::Timestamp>()
            .expect("time"),
        "v1 times are UTC"
    );
    assert_eq!(
        decoded.expected_close_date.and_then(|d| d.get()),
        Some(pipedrive::jiff::civil::date(2019, 6, 29))
    );
}

#[test]
fn bodies_send_what_was_set_and_nothing_twice() {
    let body = NewOrganization::new("Acme")
        .owner_id(5)
        .visible_to(Visibility::Company)
        .label_ids([1, 2]);
    assert_eq!(
        serde_json::to_value(&body).expect("encodes"),
        json!({"name": "Acme", "owner_id": 5, "visible_to": 7, "label_ids": [1, 2]})
    );
    assert_eq!(
        serde_json::to_value(OrganizationUpdate::default()).expect("encodes"),
        json!({})
    );

    // `extra` adds keys the model does not list, but never repeats one it does.
    let mut update = OrganizationUpdate::default().name("typed");
    update.extra.insert("brand_new", json!(true));
    assert_eq!(
        serde_json::to_value(&update).expect("encodes"),
        json!({"name": "typed", "brand_new": true})
    );
    update.extra.insert("name", Value::Null);
    let error = serde_json::to_string(&update).expect_err("a listed key in extra");
    assert!(error.to_string().contains("`name`"), "{error}");
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

#[tokio::test]
async fn one_malformed_time_does_not_fail_a_page_of_500() {
    let (server, client) = server().await;
    let items: Vec<Value> = (1..=500)
        .map(|id| {
            let update_time = if id == 250 { json!("not a time") } else { json!("2021-01-01T00:00:00Z") };
            json!({"id": id, "name": format!("org {id}"), "add_time": "2021-01-01T00:00:00Z", "update_time": update_time, "owner_id": null})
        })
        .collect();
    Mock::given(path("/api/v2/organizations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"success": true, "data": items, "additional_data": {"next_cursor": null}}),
        ))
        .mount(&server)
        .await;
    let page = client
        .organizations()
        .list()
        .limit(500)
        .send()
        .await
        .expect("the page decodes");
    assert_eq!(page.items.len(), 500);
    assert_eq!(
        page.items[249].update_time.as_ref().and_then(|t| t.raw()),
        Some("not a time")
    );
    assert!(
        page.items
            .iter()
            .enumerate()
            .all(|(i, o)| i == 249 || o.update_time.as_ref().is_some_and(|t| t.is_valid()))
    );
}

#[tokio::test]
async fn data_null_is_an_empty_list_or_a_decode_error_that_shows_the_body() {
    let (server, client) = server().await;
    let null_data =
        ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": null}));
    Mock::given(path("/v1/organizations/5/permittedUsers"))
        .respond_with(null_data.clone())
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations/5"))
        .respond_with(null_data)
        .mount(&server)
        .await;
    let users = client
        .organizations()
        .permitted_users(5)
        .send()
        .await
        .expect("null is no users");
    assert!(users.data.is_empty());
    let error = client
        .organizations()
        .get(5)
        .send()
        .await
        .expect_err("an organization cannot be null");
    let Error::Decode(decode) = error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert_eq!(decode.path, "data");
    assert!(
        decode.snippet.contains("\"data\":null"),
        "{}",
        decode.snippet
    );
}

/// An object with a great many unknown keys, some sent twice, decodes with each kept
/// once and its last value, in time linear in the keys: a hostile body cannot make the
/// decoder quadratic. The bound is a hang bound, hundreds of times what it takes.
#[test]
fn a_great_many_unknown_keys_are_kept_once_each_without_quadratic_time() {
    const KEYS: usize = 200_000;
    let mut body = String::from(
        r#"{"id": 1, "name": "Acme", "add_time": "2021-01-01T00:00:00Z", "update_time": "2021-01-02T00:00:00Z""#,
    );
    for key in 0..KEYS {
        body.push_str(&format!(r#", "k{key}": 0"#));
    }
    body.push_str(r#", "k7": 1}"#);
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(serde_json::from_str::<Organization>(&body).map(|o| o.extra));
    });
    let extra = result
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("decoding finished")
        .expect("decodes");
    assert_eq!(extra.len(), KEYS);
    assert_eq!(
        extra.get("k7"),
        Some(&json!(1)),
        "the last value of a repeated key"
    );
    assert_eq!(
        extra.keys().nth(7),
        Some("k7"),
        "in the place it was first sent"
    );
}
