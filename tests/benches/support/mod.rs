//! What the benchmarks share: the hand-written baseline (a `reqwest` call decoded by
//! `serde_json` into a plain struct with the generated model's fields), the bodies, and
//! a keep-alive HTTP/1.1 server on loopback that answers them.

#![allow(dead_code, reason = "each benchmark uses the part it needs")]

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// The item count of the two page sizes measured.
pub const PAGE_SIZES: [usize; 2] = [100, 500];

/// A plain envelope, as a hand-written client would declare it.
#[derive(Debug, Deserialize)]
pub struct Envelope<T> {
    pub success: bool,
    pub data: T,
    #[serde(default)]
    pub additional_data: Option<Value>,
}

/// The generated `Organization`'s fields, with plain serde derives: what a careful
/// person writes by hand. Unknown keys are dropped, not kept.
#[derive(Debug, Deserialize)]
pub struct HandOrganization {
    pub id: i64,
    pub name: Option<String>,
    pub owner_id: Option<i64>,
    #[serde(default, deserialize_with = "timestamp")]
    pub add_time: Option<jiff::Timestamp>,
    #[serde(default, deserialize_with = "timestamp")]
    pub update_time: Option<jiff::Timestamp>,
    pub is_deleted: Option<bool>,
    pub visible_to: Option<u8>,
    pub address: Option<HandAddress>,
    pub label_ids: Option<Vec<i64>>,
    pub custom_fields: Option<BTreeMap<String, Value>>,
    pub website: Option<String>,
    pub linkedin: Option<String>,
    pub industry: Option<i64>,
    pub annual_revenue: Option<i64>,
    pub employee_count: Option<i64>,
    pub next_activity_id: Option<i64>,
    pub last_activity_id: Option<i64>,
    pub open_deals_count: Option<i64>,
    pub related_open_deals_count: Option<i64>,
    pub closed_deals_count: Option<i64>,
    pub related_closed_deals_count: Option<i64>,
    pub email_messages_count: Option<i64>,
    pub people_count: Option<i64>,
    pub activities_count: Option<i64>,
    pub done_activities_count: Option<i64>,
    pub undone_activities_count: Option<i64>,
    pub files_count: Option<i64>,
    pub notes_count: Option<i64>,
    pub followers_count: Option<i64>,
    pub won_deals_count: Option<i64>,
    pub related_won_deals_count: Option<i64>,
    pub lost_deals_count: Option<i64>,
    pub related_lost_deals_count: Option<i64>,
    pub smart_bcc_email: Option<String>,
}

/// The generated `OrganizationAddress`'s fields.
#[derive(Debug, Deserialize)]
pub struct HandAddress {
    pub value: Option<String>,
    pub country: Option<String>,
    pub admin_area_level_1: Option<String>,
    pub admin_area_level_2: Option<String>,
    pub locality: Option<String>,
    pub sublocality: Option<String>,
    pub route: Option<String>,
    pub street_number: Option<String>,
    pub subpremise: Option<String>,
    pub postal_code: Option<String>,
}

fn timestamp<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<jiff::Timestamp>, D::Error> {
    match Option::<&str>::deserialize(deserializer)? {
        Some(text) => text.parse().map(Some).map_err(serde::de::Error::custom),
        None => Ok(None),
    }
}

/// Pipedrive's example organization (`tests/fixtures/examples/getOrganization.json`).
fn example_organization() -> Value {
    let path = tests::repo_root().join("tests/fixtures/examples/getOrganization.json");
    let text = std::fs::read_to_string(&path).expect("the example organization");
    let body: Value = serde_json::from_str(&text).expect("example JSON");
    body["data"].clone()
}

/// `{"success": true, "data": <the example>}`.
pub fn single_body() -> Bytes {
    let body = serde_json::json!({ "success": true, "data": example_organization() });
    Bytes::from(serde_json::to_vec(&body).expect("serializes"))
}

/// A last v2 page of `count` copies of the example, each with its own id and name.
pub fn page_body(count: usize) -> Bytes {
    page_of(count, example_organization())
}

/// [`page_body`] without the one key of the example that the model does not list
/// (`org_id`), which the generated models keep and the hand-written struct drops.
pub fn page_body_known_keys(count: usize) -> Bytes {
    let mut example = example_organization();
    if let Some(object) = example.as_object_mut() {
        object.remove("org_id");
    }
    page_of(count, example)
}

fn page_of(count: usize, example: Value) -> Bytes {
    let items: Vec<Value> = (0..count)
        .map(|index| {
            let mut item = example.clone();
            item["id"] = Value::from(index + 1);
            item["name"] = Value::from(format!("Organization {index}"));
            item
        })
        .collect();
    let body = serde_json::json!({
        "success": true,
        "data": items,
        "additional_data": { "next_cursor": null },
    });
    Bytes::from(serde_json::to_vec(&body).expect("serializes"))
}

/// Which bodies a server answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// Pipedrive's example, which has one key the model does not list.
    Example,
    /// The example without that key.
    KnownKeys,
}

/// A loopback server on a thread of its own (so it never competes with the measured
/// runtime's worker), answering `GET /api/v2/organizations/{id}` with [`single_body`]
/// and `GET /api/v2/organizations?limit=N` with a page of N. Keep-alive, HTTP/1.1.
pub fn serve(bodies: Bodies) -> SocketAddr {
    let single = single_body();
    let page = match bodies {
        Bodies::Example => page_body,
        Bodies::KnownKeys => page_body_known_keys,
    };
    let pages: Arc<Vec<(usize, Bytes)>> =
        Arc::new(PAGE_SIZES.iter().map(|&n| (n, page(n))).collect());
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            sender
                .send(listener.local_addr().expect("address"))
                .expect("send");
            loop {
                let (stream, _) = listener.accept().await.expect("accept");
                let _ = stream.set_nodelay(true);
                let single = single.clone();
                let pages = Arc::clone(&pages);
                tokio::spawn(async move {
                    let service =
                        service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                            let limit = request.uri().query().and_then(|query| {
                                query
                                    .split('&')
                                    .find_map(|pair| pair.strip_prefix("limit="))
                                    .and_then(|n| n.parse::<usize>().ok())
                            });
                            let body = match limit {
                                Some(limit) => pages
                                    .iter()
                                    .find(|(n, _)| *n == limit)
                                    .map_or_else(Bytes::new, |(_, body)| body.clone()),
                                None => single.clone(),
                            };
                            async move {
                                Ok::<_, Infallible>(
                                    hyper::Response::builder()
                                        .header("content-type", "application/json")
                                        .body(Full::new(body))
                                        .expect("response"),
                                )
                            }
                        });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    receiver.recv().expect("the server starts")
}

/// The generated client, pointed at `address`.
pub fn generated_client(address: SocketAddr) -> pipedrive::Client {
    pipedrive::Client::builder()
        .base_url(format!("http://{address}/"))
        .api_token("bench-token")
        .build()
        .expect("client builds")
}

/// The hand-written side: a `reqwest` client and the base URL.
pub struct Hand {
    pub http: reqwest::Client,
    pub base: String,
}

impl Hand {
    pub fn new(address: SocketAddr) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: format!("http://{address}"),
        }
    }

    /// `GET path`, the token in a header, a 2xx checked, the body decoded.
    pub async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Envelope<T> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("x-api-token", "bench-token")
            .send()
            .await
            .expect("sent");
        assert!(response.status().is_success());
        let body = response.bytes().await.expect("body");
        serde_json::from_slice(&body).expect("decodes")
    }
}
