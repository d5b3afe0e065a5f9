//! What the derived tests of every operation (`tests/tests/operations/`, written by
//! `cargo xtask generate` from the spec) share: a loopback server that answers any
//! request with an operation's example body, and the checks of the request it received.
//!
//! Each derived test calls its operation with every documented parameter and body field
//! set, through [`round_trip`]; the server answers with Pipedrive's example body
//! (`tests/fixtures/examples/<operationId>.json`), so the call shows that the example
//! decodes; then the request on the wire is compared with what the spec says it is.

use std::collections::BTreeSet;
use std::future::Future;
use std::path::PathBuf;

use pipedrive::{Client, RetryPolicy};
use serde_json::Value;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The API token the tests' clients send.
pub const TOKEN: &str = "derived-test-token";

/// What the body of the request must be.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// No body.
    None,
    /// A JSON object with exactly these keys.
    Object(&'static [&'static str]),
    /// A JSON list of one object with exactly these keys.
    List(&'static [&'static str]),
    /// A multipart form with exactly these parts.
    Form(&'static [&'static str]),
}

/// What the request of an operation must be, and what the server answers.
#[derive(Debug, Clone, Copy)]
pub struct Expected {
    /// The operation id, which names its example body.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path with the test's path values, percent-encoded.
    pub path: &'static str,
    /// Every query pair, in any order.
    pub query: &'static [(&'static str, &'static str)],
    /// The body.
    pub body: Body,
    /// The status of success, which the server answers with.
    pub status: u16,
}

fn examples_dir() -> PathBuf {
    crate::repo_root()
        .join("tests")
        .join("fixtures")
        .join("examples")
}

/// Pipedrive's example body for `operation`, with its `allOf` artefact undone.
pub fn example(operation: &str) -> Value {
    let path = examples_dir().join(format!("{operation}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    undo_all_of(serde_json::from_str(&text).expect("example is JSON"))
}

/// Pipedrive's example generator writes `{"allOf": [a, b]}` where the API sends the
/// merged object `a + b`.
pub fn undo_all_of(value: Value) -> Value {
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
            Value::Object(
                map.into_iter()
                    .map(|(key, value)| (key, undo_all_of(value)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(undo_all_of).collect()),
        other => other,
    }
}

/// A client of `server` that does not retry, so that one call is one request.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_token(TOKEN)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client")
}

/// Makes the call `call` against a server answering with the example of
/// `expected.operation`, checks the one request it sent against `expected`, and returns
/// what the call returned.
pub async fn round_trip<T, F, Fut>(expected: Expected, call: F) -> T
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<T, pipedrive::Error>>,
{
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(expected.status).set_body_json(example(expected.operation)),
        )
        .mount(&server)
        .await;
    let result = call(client(&server)).await;
    let requests = server.received_requests().await.expect("requests recorded");
    let [request] = requests.as_slice() else {
        panic!(
            "{}: expected one request, the server received {}",
            expected.operation,
            requests.len()
        )
    };
    let at = expected.operation;
    assert_eq!(request.method.as_str(), expected.method, "{at}: method");
    assert_eq!(request.url.path(), expected.path, "{at}: path");
    let mut query: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    query.sort();
    let mut wanted: Vec<(String, String)> = expected
        .query
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    wanted.sort();
    assert_eq!(query, wanted, "{at}: query");
    assert_eq!(
        request
            .headers
            .get("x-api-token")
            .and_then(|value| value.to_str().ok()),
        Some(TOKEN),
        "{at}: the token header"
    );
    check_body(at, expected.body, request);
    result.unwrap_or_else(|error| panic!("{at}: the call failed: {error}"))
}

fn check_body(at: &str, body: Body, request: &wiremock::Request) {
    let keys = |value: &Value| -> BTreeSet<String> {
        value
            .as_object()
            .unwrap_or_else(|| panic!("{at}: the body is not an object: {value}"))
            .keys()
            .cloned()
            .collect()
    };
    let wanted = |names: &[&str]| -> BTreeSet<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    };
    match body {
        Body::None => assert!(request.body.is_empty(), "{at}: a body was sent"),
        Body::Object(names) => {
            let sent: Value = serde_json::from_slice(&request.body).expect("a JSON body");
            assert_eq!(keys(&sent), wanted(names), "{at}: the body's keys");
        }
        Body::List(names) => {
            let sent: Value = serde_json::from_slice(&request.body).expect("a JSON body");
            let items = sent.as_array().expect("a list body");
            assert_eq!(items.len(), 1, "{at}: one item");
            assert_eq!(keys(&items[0]), wanted(names), "{at}: the item's keys");
        }
        Body::Form(names) => {
            let content_type = request
                .headers
                .get("content-type")
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default();
            assert!(
                content_type.starts_with("multipart/form-data"),
                "{at}: content type {content_type}"
            );
            let text = String::from_utf8_lossy(&request.body);
            // `; name="` and not `name="`, which `filename="` also ends with.
            let sent: BTreeSet<String> = text
                .split("; name=\"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .map(str::to_owned)
                .collect();
            assert_eq!(sent, wanted(names), "{at}: the form's parts");
        }
    }
}

/// A page of items as decoded: each item that decoded, written back as JSON, and the
/// index and path of each that did not.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The items that decoded, as the client writes them back.
    pub items: Vec<Value>,
    /// The items that did not: their index and the path of the value that failed.
    pub failed: Vec<(usize, String)>,
}

/// Decodes a page body of `T`s as the client decodes one, for the property tests of every
/// response model.
pub fn decode_page<T>(body: &[u8]) -> Result<Decoded, pipedrive::JsonError>
where
    pipedrive::CursorPage<T>: pipedrive::FromJson,
    T: pipedrive::ToJson,
{
    use pipedrive::FromJson as _;
    let page = pipedrive::CursorPage::<T>::from_json(body)?;
    let items = page
        .items
        .iter()
        .map(|item| {
            let json = item.to_json().expect("a decoded item encodes");
            serde_json::from_slice(&json).expect("the client writes JSON")
        })
        .collect();
    let failed = page
        .failed
        .iter()
        .map(|error| (error.index, error.path.clone()))
        .collect();
    Ok(Decoded { items, failed })
}

/// Decodes a page body of one response model's items.
pub type PageDecoder = fn(&[u8]) -> Result<Decoded, pipedrive::JsonError>;
