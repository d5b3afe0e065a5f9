//! Custom fields by name (issue 21), as a downstream service uses them: the service
//! knows deals' custom fields only by the names people gave them and their options by
//! label. Its tests run on the typed mock: the field definitions and the deals it serves
//! are built with the generated constructors and setters, so no test writes Pipedrive's
//! JSON by hand (except `the_wire_carries_the_v2_shapes`, which pins what is sent).

use pipedrive::deal_fields::DealField;
use pipedrive::deals::{Deal, DealUpdate, NewDeal};
use pipedrive::fields::{FieldOption, FieldType};
use pipedrive::jiff::civil::{Date, date};
use pipedrive::mock::MockServer;
use pipedrive::{Client, CustomFieldError, FieldIndex, FieldValue, FromJson, Money, ToJson};
use proptest::prelude::*;
use serde_json::Value;

// Codes as Pipedrive makes them for custom fields: 40-character hashes.
const NOTES: &str = "6e1d5e2c1a4f3b2a19c8d7e6f5a4b3c2d1e0f9a8";
const SCORE: &str = "a3f1c9e2b7d84f6a0c5e1b9d3f7a2c8e4b6d0f19";
const RENEWAL: &str = "0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c";
const REGION: &str = "d4de1c1518b4531717c676029a45911c340390a6";
const TAGS: &str = "f00dfeedc0ffee1234567890abcdef0123456789";
const BUDGET: &str = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b";
const MANAGER: &str = "1234567890abcdef1234567890abcdef12345678";

/// The company's deal fields, on two pages: built-in ones first, as Pipedrive lists
/// them, then the custom ones.
fn definitions() -> Vec<Vec<DealField>> {
    let custom = |code: &str, name: &str, kind: FieldType| {
        DealField::new(code)
            .field_name(name)
            .field_type(kind)
            .is_custom_field(true)
    };
    let options = |options: &[(i64, &str)]| -> Vec<FieldOption> {
        options
            .iter()
            .map(|&(id, label)| FieldOption::new(id).label(label))
            .collect()
    };
    vec![
        vec![
            DealField::new("title")
                .field_name("Title")
                .field_type(FieldType::Varchar),
            DealField::new("value")
                .field_name("Value")
                .field_type(FieldType::Monetary),
            custom(NOTES, "Notes", FieldType::Text),
            custom(SCORE, "Score", FieldType::Double),
        ],
        vec![
            custom(RENEWAL, "Renewal date", FieldType::Date),
            custom(REGION, "Region", FieldType::Enum).options(options(&[
                (1, "EMEA"),
                (2, "APAC"),
                (3, "Americas"),
            ])),
            custom(TAGS, "Tags", FieldType::Set).options(options(&[
                (10, "VIP"),
                (11, "Renewal"),
                (12, "Partner"),
            ])),
            custom(BUDGET, "Budget", FieldType::Monetary),
            custom(MANAGER, "Account manager", FieldType::User),
        ],
    ]
}

/// A deal with a value in every custom field.
fn acme() -> Deal {
    Deal::new(7)
        .title("Acme renewal")
        .custom_field(NOTES, "Call back in May")
        .custom_field(SCORE, 12.5)
        .custom_field(RENEWAL, date(2025, 3, 31))
        .custom_field(REGION, 2)
        .custom_field(TAGS, [10, 12])
        .custom_field(BUDGET, Money::new(5000.0, "EUR"))
        .custom_field(MANAGER, 42)
}

/// What the service tells about a deal.
#[derive(Debug, PartialEq)]
struct Summary {
    notes: Option<String>,
    score: Option<f64>,
    renewal: Option<Date>,
    region: Option<String>,
    tags: Vec<String>,
    budget: Option<Money>,
    manager: Option<i64>,
}

type Failure = Box<dyn std::error::Error>;

/// The code under test: it loads the field definitions once and from then on names
/// fields and options as people do.
struct DealDesk {
    client: Client,
    fields: FieldIndex,
}

impl DealDesk {
    async fn connect(client: Client) -> Result<Self, pipedrive::Error> {
        let fields = FieldIndex::collect(client.deal_fields().list().all_items()).await?;
        Ok(Self { client, fields })
    }

    async fn summary(&self, id: i64) -> Result<Summary, Failure> {
        let deal = self.client.deals().get(id).await?.data;
        let field = |name: &str| self.fields.get(&deal.custom_fields, name);
        Ok(Summary {
            notes: field("Notes")?.text()?.map(str::to_owned),
            score: field("Score")?.number()?,
            renewal: field("Renewal date")?.date()?,
            region: field("Region")?.label()?.map(str::to_owned),
            tags: field("Tags")?
                .labels()?
                .into_iter()
                .map(str::to_owned)
                .collect(),
            budget: field("Budget")?.money()?,
            manager: field("Account manager")?.id()?,
        })
    }

    async fn open(
        &self,
        title: &str,
        region: &str,
        tags: &[&str],
        budget: Money,
        renewal: Date,
    ) -> Result<Deal, Failure> {
        let fields = &self.fields;
        let body = NewDeal::new(title)
            .custom_field(fields.code("Region")?, fields.option_id("Region", region)?)
            .custom_field(fields.code("Tags")?, fields.option_ids("Tags", tags)?)
            .custom_field(fields.code("Budget")?, budget)
            .custom_field(fields.code("Renewal date")?, renewal);
        Ok(self.client.deals().add(body).await?.data)
    }

    async fn clear(&self, id: i64, names: &[&str]) -> Result<Deal, Failure> {
        let mut update = DealUpdate::default();
        for name in names {
            update = update.custom_field(self.fields.code(name)?, FieldValue::NULL);
        }
        Ok(self.client.deals().update(id, update).await?.data)
    }
}

async fn desk(mock: &MockServer) -> DealDesk {
    mock.deal_fields()
        .list()
        .responds_pages(definitions())
        .await;
    DealDesk::connect(mock.client())
        .await
        .expect("the definitions load")
}

#[tokio::test]
async fn the_index_loads_every_page_of_definitions_once() {
    let mock = MockServer::start().await;
    let desk = desk(&mock).await;
    assert_eq!(desk.fields.len(), 9);
    assert!(desk.fields.failed().is_empty());
    assert_eq!(desk.fields.code("Budget"), Ok(BUDGET));
    assert_eq!(
        desk.fields.code("Title"),
        Ok("title"),
        "built-in fields too"
    );
    assert_eq!(
        desk.fields.field("Region").map(|f| f.field_type()),
        Ok(Some("enum"))
    );
    let requests = mock.wiremock().received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2, "one request per page");
}

#[tokio::test]
async fn a_deal_reads_by_field_name() {
    let mock = MockServer::start().await;
    let desk = desk(&mock).await;
    mock.deals().get(7).responds(acme()).await;
    let summary = desk.summary(7).await.expect("reads");
    assert_eq!(
        summary,
        Summary {
            notes: Some("Call back in May".into()),
            score: Some(12.5),
            renewal: Some(date(2025, 3, 31)),
            region: Some("APAC".into()),
            tags: vec!["VIP".into(), "Partner".into()],
            budget: Some(Money::new(5000.0, "EUR")),
            manager: Some(42),
        }
    );
}

#[tokio::test]
async fn a_deal_without_values_reads_as_empty() {
    let mock = MockServer::start().await;
    let desk = desk(&mock).await;
    mock.deals()
        .get(8)
        .responds(Deal::new(8).custom_field(REGION, FieldValue::NULL))
        .await;
    let summary = desk.summary(8).await.expect("reads");
    assert_eq!(
        summary,
        Summary {
            notes: None,
            score: None,
            renewal: None,
            region: None,
            tags: vec![],
            budget: None,
            manager: None,
        }
    );
}

#[tokio::test]
async fn a_new_deal_writes_by_field_name_and_option_label() {
    let mock = MockServer::start().await;
    let desk = desk(&mock).await;
    mock.deals()
        .add()
        .expect_body(|body: &NewDeal| {
            let sent = &body.custom_fields;
            body.title == "Expansion"
                && sent.len() == 4
                && sent.option(REGION) == Ok(Some(1))
                && sent.options(TAGS) == Ok(vec![10, 11])
                && sent.money(BUDGET) == Ok(Some(Money::new(7500.0, "EUR")))
                && sent.date(RENEWAL) == Ok(Some(date(2026, 3, 31)))
        })
        .times(1)
        .responds(Deal::new(9).title("Expansion"))
        .await;
    let deal = desk
        .open(
            "Expansion",
            "EMEA",
            &["VIP", "Renewal"],
            Money::new(7500.0, "EUR"),
            date(2026, 3, 31),
        )
        .await
        .expect("sent");
    assert_eq!(deal.id, 9);
    mock.verify().await;
}

#[tokio::test]
async fn an_update_clears_fields_with_null() {
    let mock = MockServer::start().await;
    let desk = desk(&mock).await;
    mock.deals()
        .update(7)
        .expect_body(|body: &DealUpdate| {
            let sent = &body.custom_fields;
            sent.len() == 2
                && sent.get(TAGS) == Some(&Value::Null)
                && sent.get(BUDGET) == Some(&Value::Null)
                && body.title.is_none()
        })
        .times(1)
        .responds(Deal::new(7))
        .await;
    desk.clear(7, &["Tags", "Budget"]).await.expect("sent");
    mock.verify().await;
}

#[tokio::test]
async fn the_wire_carries_the_v2_shapes() {
    let mock = MockServer::start().await;
    let desk = desk(&mock).await;
    mock.deals().add().responds(Deal::new(9)).await;
    desk.open(
        "Expansion",
        "Americas",
        &["Partner"],
        Money::new(10.0, "USD"),
        date(2026, 1, 2),
    )
    .await
    .expect("sent");
    let requests = mock.wiremock().received_requests().await.expect("recorded");
    let sent = requests.last().expect("the add");
    let body: Value = serde_json::from_slice(&sent.body).expect("JSON");
    // An option is its id, a multiple option field a list of ids, money an object with
    // the amount as `value`, a date `YYYY-MM-DD` (Pipedrive's v2 migration guide, and
    // `custom_fields` in its v2 OpenAPI file).
    assert_eq!(
        body["custom_fields"],
        serde_json::json!({
            REGION: 3,
            TAGS: [12],
            BUDGET: {"value": 10.0, "currency": "USD"},
            RENEWAL: "2026-01-02",
        })
    );
    assert_eq!(body["title"], "Expansion");
}

#[tokio::test]
async fn a_name_or_label_the_index_does_not_know_is_an_error_and_sends_nothing() {
    let mock = MockServer::start().await;
    let desk = desk(&mock).await;
    mock.deals().add().times(0).responds(Deal::new(9)).await;
    let error = desk
        .open("x", "LATAM", &[], Money::new(1.0, "EUR"), date(2026, 1, 1))
        .await
        .expect_err("no such option");
    assert_eq!(
        error.downcast_ref::<CustomFieldError>(),
        Some(&CustomFieldError::UnknownOption {
            field: REGION.into(),
            option: "LATAM".into()
        })
    );
    assert!(matches!(
        desk.fields.code("Budgett"),
        Err(CustomFieldError::UnknownField { .. })
    ));
    mock.verify().await;
}

/// Any JSON value of a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// Every typed reading of every field of `deal`, as text, so that two can be compared.
fn readings(deal: &Deal) -> Vec<String> {
    let fields = &deal.custom_fields;
    [NOTES, SCORE, RENEWAL, REGION, TAGS, BUDGET, MANAGER]
        .into_iter()
        .map(|code| {
            format!(
                "{code}: {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                fields.text(code),
                fields.number(code),
                fields.date(code),
                fields.option(code),
                fields.options(code),
                fields.money(code),
                fields.id(code)
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Whatever one custom field holds, the deal decodes, that field keeps the value as
    /// sent, and every other field reads as it did.
    #[test]
    fn a_malformed_value_costs_nothing_but_its_own_reading(
        value in json_value(),
        victim in 0usize..7,
    ) {
        let codes = [NOTES, SCORE, RENEWAL, REGION, TAGS, BUDGET, MANAGER];
        let code = codes[victim];
        let before = readings(&acme());
        let json = acme().custom_field(code, value.clone()).to_json().expect("encodes");
        let deal = Deal::from_json(&json).expect("any value decodes");
        prop_assert_eq!(deal.custom_fields.get(code), Some(&value));
        let after = readings(&deal);
        for (at, (before, after)) in before.iter().zip(&after).enumerate() {
            if at != victim {
                prop_assert_eq!(before, after);
            }
        }
        // The index reads it by name as well, an error at worst.
        let index = FieldIndex::new(definitions().into_iter().flatten());
        let name = index.fields().find(|f| f.code() == code).and_then(|f| f.name()).expect("named");
        let field = index.get(&deal.custom_fields, name).expect("known");
        let _ = (field.label(), field.labels(), field.money(), field.text());
    }
}
