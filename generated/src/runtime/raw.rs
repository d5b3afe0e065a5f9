//! Raw calls: an endpoint the API description does not cover, sent through the same
//! machinery as a generated call (credentials, the origin and HTTPS rules, the burst
//! limiter, retries, the size cap, the entry budget, the errors), with its `data`
//! decoded by serde into whatever type the caller names.
//!
//! A raw call's path is checked before anything is sent: it is the part below the base
//! URL, given unencoded, and anything that could take it elsewhere (a scheme or host,
//! `.`/`..` segments, a query or fragment, control characters) is refused. Its segments
//! are percent-encoded by the URL function of generated calls.

use std::borrow::Cow;
use std::fmt::{self, Display};
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::client::Client;
use super::decode::raw_data;
use super::error::Error;
use super::json::{Failure, FailureKind};
use super::operation::{HttpMethod, Operation};
use super::request::{Body, Request};
use super::response::Response;
use super::retry::RetryPolicy;

/// The operation id every raw call's errors and `tracing` span carry.
const RAW: &str = "raw";

/// The operation of a raw call with `method`: one per method, made at compile time, so
/// that a raw call's [`Request`] names a `&'static Operation` like a generated one.
const fn raw(method: HttpMethod) -> Operation {
    Operation {
        id: RAW,
        method,
        path: "*",
        version: "",
        cost: 1,
    }
}

static RAW_GET: Operation = raw(HttpMethod::Get);
static RAW_POST: Operation = raw(HttpMethod::Post);
static RAW_PUT: Operation = raw(HttpMethod::Put);
static RAW_PATCH: Operation = raw(HttpMethod::Patch);
static RAW_DELETE: Operation = raw(HttpMethod::Delete);

fn operation(method: HttpMethod) -> &'static Operation {
    match method {
        HttpMethod::Get => &RAW_GET,
        HttpMethod::Post => &RAW_POST,
        HttpMethod::Put => &RAW_PUT,
        HttpMethod::Patch => &RAW_PATCH,
        HttpMethod::Delete => &RAW_DELETE,
    }
}

impl Client {
    /// A call to an endpoint the crate does not cover: `method` and `path` below the
    /// base URL. It goes through the same machinery as every generated call: the
    /// client's credential (API token, or OAuth with its refresh), the rules of where
    /// a credential may go, the burst limiter, retries, the response size cap, the
    /// decoded-entry budget and the same [`Error`]s, with the operation id `raw`.
    ///
    /// `path` starts with `/` and is given **unencoded**: each segment between `/`s is
    /// percent-encoded as a generated call's path values are (`/api/v1/files/a b`
    /// is sent as `/api/v1/files/a%20b`, a `%` as `%25`). Query parameters go to
    /// [`query`](RawRequest::query), never into the path. A path that has a scheme or a
    /// host (`https://…`, `//host/…`), an empty, `.` or `..` segment, a `?` or `#`, or
    /// a control character is refused with [`Error::InvalidArgument`] when the call
    /// is sent, and nothing is sent; so is a query parameter named `api_token` or
    /// `access_token`, since the client sends its credential as a header and never in
    /// a URL.
    ///
    /// The builder holds a clone of the client, not a borrow, so the call can be
    /// spawned. `.await` decodes `data` as a [`serde_json::Value`] (as
    /// [`send_value`](RawRequest::send_value)); [`send`](RawRequest::send) decodes it
    /// as a type of yours.
    ///
    /// ```no_run
    /// use pipedrive::HttpMethod;
    /// use serde::Deserialize;
    ///
    /// #[derive(Debug, Deserialize)]
    /// struct Follower {
    ///     user_id: i64,
    /// }
    ///
    /// # async fn run(client: pipedrive::Client) -> Result<(), pipedrive::Error> {
    /// let followers = client
    ///     .request(HttpMethod::Get, "/api/v2/deals/5/followers")
    ///     .query("limit", 100)
    ///     .send::<Vec<Follower>>()
    ///     .await?;
    /// println!("{:?} ({} requests left today)", followers.data, followers.meta.rate_limit.daily_requests_left.unwrap_or(0));
    ///
    /// // Or as JSON, with a body, spawned on its own task.
    /// let call = client
    ///     .request(HttpMethod::Post, "/api/v2/deals/5/followers")
    ///     .json(&serde_json::json!({ "user_id": 7 }))
    ///     .cost(5);
    /// let added = tokio::spawn(call.into_future()).await.expect("the task ran")?;
    /// println!("{}", added.data);
    /// # Ok(())
    /// # }
    /// ```
    pub fn request(&self, method: HttpMethod, path: impl Into<String>) -> RawRequest {
        RawRequest {
            client: self.clone(),
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            cost: None,
            timeout: None,
            retry: None,
        }
    }
}

/// A raw call, made by [`Client::request`]: set its query, body and settings, then
/// [`send`](Self::send) it or `.await` it.
///
/// It owns a clone of the client, so its future is `'static` and `Send`: it can be
/// handed to `tokio::spawn`.
///
/// ```
/// use std::time::Duration;
/// use pipedrive::{Client, HttpMethod, RetryPolicy};
///
/// let client = Client::new("token")?;
/// let call = client
///     .request(HttpMethod::Get, "/api/v1/persons/search")
///     .query("term", "Ada Lovelace")
///     .query("fields", "name,email")
///     .timeout(Duration::from_secs(10))
///     .retry_policy(RetryPolicy::none());
/// # let _ = call;
/// # Ok::<(), pipedrive::Error>(())
/// ```
#[derive(Clone)]
#[must_use = "a request does nothing until it is sent"]
pub struct RawRequest {
    client: Client,
    method: HttpMethod,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Result<Vec<u8>, String>>,
    cost: Option<u32>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
}

impl fmt::Debug for RawRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The client shows no credential; the body may hold anything, so only its size.
        f.debug_struct("RawRequest")
            .field("client", &self.client)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field(
                "body_bytes",
                &self.body.as_ref().map(|body| body.as_ref().map(Vec::len)),
            )
            .field("cost", &self.cost)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

impl RawRequest {
    /// Adds the query parameter `name=value`, in the order given; call it again for
    /// another parameter, or for the same name again (`ids=1&ids=2`). Both are
    /// percent-encoded when the URL is built. `api_token` and `access_token` are
    /// refused when the call is sent: a credential never goes into a URL.
    ///
    /// ```
    /// # let client = pipedrive::Client::new("token")?;
    /// let call = client
    ///     .request(pipedrive::HttpMethod::Get, "/api/v2/activities")
    ///     .query("owner_id", 7)
    ///     .query("done", false)
    ///     .query("updated_since", "2026-01-01T00:00:00Z");
    /// # let _ = call;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn query(mut self, name: impl Into<String>, value: impl Display) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Sends `body` as the JSON body, written by its `serde::Serialize` impl. A body
    /// that cannot be written is [`Error::Encode`] when the call is sent.
    ///
    /// ```
    /// # let client = pipedrive::Client::new("token")?;
    /// let call = client
    ///     .request(pipedrive::HttpMethod::Patch, "/api/v2/deals/5")
    ///     .json(&serde_json::json!({ "title": "Renewal", "value": 1200 }));
    /// # let _ = call;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn json(mut self, body: &(impl Serialize + ?Sized)) -> Self {
        self.body = Some(serde_json::to_vec(body).map_err(|error| error.to_string()));
        self
    }

    /// The rate-limit tokens the call costs, as Pipedrive's documentation gives them
    /// for the endpoint; 1 unless set. It is shown in the call's `tracing` span (as
    /// `cost`) and changes nothing the client does.
    ///
    /// ```
    /// # let client = pipedrive::Client::new("token")?;
    /// let search = client.request(pipedrive::HttpMethod::Get, "/api/v2/deals/search").cost(20);
    /// # let _ = search;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn cost(mut self, tokens: u32) -> Self {
        self.cost = Some(tokens);
        self
    }

    /// Bounds the whole call, retries and their waits included, by `timeout`, in place
    /// of the client's per-attempt [`timeout`](crate::ClientBuilder::timeout).
    ///
    /// The bound covers everything the call waits for: an OAuth refresh, the burst
    /// limiter, every attempt and redirect hop, every wait between retries, and reading
    /// the body. Each attempt may take whatever time is left of it, longer or shorter
    /// than the client's per-attempt timeout, which does not apply to this call (the
    /// connect timeout still does). A retry whose wait would not end before the bound is
    /// not made: the call returns the last error at once. When the bound passes, the
    /// call is [`Error::Timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// # let client = pipedrive::Client::new("token")?;
    /// // However often it is retried, this call ends within 5 seconds.
    /// let call = client
    ///     .request(pipedrive::HttpMethod::Get, "/api/v2/deals/5")
    ///     .timeout(Duration::from_secs(5));
    /// # let _ = call;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retries this call as `policy` says instead of as the client's policy does; which
    /// failures may be retried does not change (see [`RetryPolicy`]).
    ///
    /// ```
    /// use pipedrive::RetryPolicy;
    /// # let client = pipedrive::Client::new("token")?;
    /// let once = client
    ///     .request(pipedrive::HttpMethod::Get, "/api/v2/deals/5")
    ///     .retry_policy(RetryPolicy::none());
    /// # let _ = once;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sends the call and decodes the envelope's `data` as `T`.
    ///
    /// A `"success": false` body, or a status other than 2xx, is [`Error::Api`] (a 429
    /// [`Error::RateLimited`]), as for a generated call. A body without `data`, or
    /// whose `data` is not a `T`, is [`Error::Decode`] with the path of what failed
    /// (`data.items[3].id`). A `null` `data` decodes when `T` accepts it (an
    /// `Option`).
    ///
    /// ```no_run
    /// # async fn run(client: pipedrive::Client) -> Result<(), pipedrive::Error> {
    /// #[derive(serde::Deserialize)]
    /// struct Deal {
    ///     id: i64,
    ///     title: Option<String>,
    /// }
    ///
    /// let deal = client.request(pipedrive::HttpMethod::Get, "/api/v2/deals/5").send::<Deal>().await?;
    /// println!("{}: {:?}", deal.id, deal.title);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        let RawRequest {
            client,
            method,
            path,
            query,
            body,
            cost,
            timeout,
            retry,
        } = self;
        let operation = operation(method);
        let segments = segments(&path)
            .and_then(|segments| check_query(&query).map(|()| segments))
            .map_err(|reason| Error::InvalidArgument {
                operation: RAW,
                reason,
            })?;
        let mut request = Request::new(operation)
            .with_timeout(timeout)
            .with_retry(retry);
        request.segments = segments;
        request.query = query
            .into_iter()
            .map(|(name, value)| (Cow::Owned(name), value))
            .collect();
        request.body = body.map(|body| {
            body.map(|json| Body::Json(json.into()))
                .map_err(|message| Failure::new(FailureKind::Invalid, message))
        });
        request.cost = cost;
        request.path_text = Some(path);
        raw_data(&client, request, decode::<T>).await
    }

    /// Sends the call and returns the envelope's `data` as JSON, as
    /// [`send`](Self::send) does for a type; `.await` does the same.
    ///
    /// ```no_run
    /// # async fn run(client: pipedrive::Client) -> Result<(), pipedrive::Error> {
    /// let fields = client.request(pipedrive::HttpMethod::Get, "/api/v1/dealFields").send_value().await?;
    /// for field in fields.data.as_array().into_iter().flatten() {
    ///     println!("{}", field["name"]);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send_value(self) -> Result<Response<serde_json::Value>, Error> {
        self.send().await
    }
}

/// `.await` sends the call and returns `data` as JSON, as
/// [`send_value`](RawRequest::send_value) does.
impl IntoFuture for RawRequest {
    type Output = Result<Response<serde_json::Value>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'static>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send_value())
    }
}

/// Decodes `json` as `T`, or says where and why it failed.
fn decode<T: DeserializeOwned>(json: &[u8]) -> Result<T, (String, String)> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| (error.path().to_string(), error.inner().to_string()))
}

/// The segments of a raw call's `path`, or why it cannot be sent. The path is below the
/// base URL: it starts with `/`, and every segment is non-empty text that is not `.` or
/// `..`; a `?`, `#` or control character anywhere is refused.
///
/// The reason shows the path only up to a `?` or `#`, and not at all when it names a
/// host: what follows may be a token, and a reason ends up in logs.
fn segments(path: &str) -> Result<Vec<Cow<'static, str>>, String> {
    let Some(below) = path.strip_prefix('/') else {
        return Err(if path.contains(':') {
            "the path is a URL; give the path below the base URL, starting with `/`".to_owned()
        } else {
            format!(
                "the path `{}` must start with `/`",
                before_query(path).escape_debug()
            )
        });
    };
    if below.starts_with('/') {
        return Err(
            "the path starts with `//`, which names a host; give the path below the base URL"
                .to_owned(),
        );
    }
    let shown = before_query(path).escape_debug();
    if path.chars().any(char::is_control) {
        return Err(format!(
            "the path `{shown}` holds a control character, which cannot be sent"
        ));
    }
    if path.contains(['?', '#']) {
        return Err(format!(
            "the path `{shown}` holds a `?` or `#`: give query parameters with `query(name, value)`"
        ));
    }
    below
        .split('/')
        .map(|segment| match segment {
            "" => Err(format!(
                "the path `{shown}` has an empty segment (`//` or a `/` at either end)"
            )),
            "." | ".." => Err(format!(
                "the path `{shown}` has a `{segment}` segment, which would change where it goes"
            )),
            segment => Ok(Cow::Owned(segment.to_owned())),
        })
        .collect()
}

/// `text` up to its first `?` or `#`.
fn before_query(text: &str) -> &str {
    text.split(['?', '#']).next().unwrap_or_default()
}

/// Query parameter names that carry a credential. The client sends its own as a
/// header; one in the URL would be logged by every proxy on the way.
const CREDENTIAL_PARAMETERS: [&str; 2] = ["api_token", "access_token"];

/// Refuses a query parameter that would put a credential in the URL.
fn check_query(query: &[(String, String)]) -> Result<(), String> {
    match query.iter().find(|(name, _)| {
        CREDENTIAL_PARAMETERS
            .iter()
            .any(|credential| name.eq_ignore_ascii_case(credential))
    }) {
        Some((name, _)) => Err(format!(
            "the query parameter `{}` would put a credential in the URL; the client sends its own credential as a header",
            name.escape_debug()
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::transport::url;

    fn sent(path: &str) -> String {
        let client = Client::builder()
            .api_token("t")
            .base_url("https://proxy.example/pd/")
            .build()
            .unwrap();
        let mut request = Request::new(operation(HttpMethod::Get));
        request.segments = segments(path).unwrap();
        url(&client, &request).unwrap().to_string()
    }

    #[test]
    fn a_path_is_split_into_segments_and_each_is_percent_encoded() {
        assert_eq!(
            sent("/api/v2/deals/5/followers"),
            "https://proxy.example/pd/api/v2/deals/5/followers"
        );
        assert_eq!(
            sent("/api/v1/files/a b%2F..%2e\\c"),
            "https://proxy.example/pd/api/v1/files/a%20b%252F..%252e%5Cc"
        );
        assert_eq!(sent("/a/.../é"), "https://proxy.example/pd/a/.../%C3%A9");
    }

    #[test]
    fn a_path_that_could_go_elsewhere_is_refused() {
        for (path, says) in [
            ("https://evil.example/api", "is a URL"),
            ("evil.example:443/api", "is a URL"),
            ("api/v2/deals", "must start with `/`"),
            ("", "must start with `/`"),
            ("//evil.example/api", "names a host"),
            ("/api/../../admin", "`..` segment"),
            ("/api/./deals", "`.` segment"),
            ("/api//deals", "empty segment"),
            ("/api/deals/", "empty segment"),
            ("/", "empty segment"),
            ("/api/deals?limit=5", "`query(name, value)`"),
            ("/api/deals#x", "`query(name, value)`"),
            ("/api/deals\n/x", "control character"),
            ("/api/\tdeals", "control character"),
            ("/api/deals\u{0}", "control character"),
        ] {
            let reason = segments(path).unwrap_err();
            assert!(reason.contains(says), "{path:?}: {reason}");
        }
    }

    #[test]
    fn a_refusal_does_not_repeat_what_may_be_a_secret() {
        for path in [
            "https://user:secret@evil.example/x",
            "//user:secret@evil.example/x",
            "/api/v1/deals?api_token=secret",
            "/api/v1/../deals?api_token=secret",
            "/api/v1/deals\n#secret",
            "api/v1/deals?secret",
        ] {
            let reason = segments(path).unwrap_err();
            assert!(!reason.contains("secret"), "{path}: {reason}");
        }
        assert!(
            segments("/a/../b?secret")
                .unwrap_err()
                .contains("`/a/../b`")
        );
    }

    #[test]
    fn a_credential_in_the_query_is_refused_without_showing_it() {
        let query = |name: &str| vec![(name.to_owned(), "secret".to_owned())];
        for name in ["api_token", "API_TOKEN", "access_token"] {
            let reason = check_query(&query(name)).unwrap_err();
            assert!(
                reason.contains(name) && !reason.contains("secret"),
                "{reason}"
            );
        }
        assert!(check_query(&query("token_type")).is_ok());
        assert!(check_query(&[]).is_ok());
    }

    #[test]
    fn each_method_has_one_static_operation_named_raw() {
        for method in HttpMethod::ALL {
            let first = operation(method);
            assert!(
                std::ptr::eq(first, operation(method)),
                "no new one per call"
            );
            assert_eq!((first.id, first.method), ("raw", method));
        }
    }

    #[test]
    fn decoding_names_the_path_inside_data() {
        #[derive(Debug, serde::Deserialize)]
        struct Item {
            #[allow(dead_code, reason = "read to fail")]
            id: i64,
        }
        let (path, message) = decode::<Vec<Item>>(br#"[{"id": 1}, {"id": "x"}]"#).unwrap_err();
        assert_eq!(path, "[1].id");
        assert!(message.contains("invalid type"), "{message}");
        assert_eq!(
            decode::<Option<Item>>(b"null").unwrap().map(|item| item.id),
            None
        );
    }

    #[test]
    fn debug_shows_no_credential_and_no_body() {
        let client = Client::new("secret-token-9").unwrap();
        let call = client
            .request(HttpMethod::Post, "/api/v2/x")
            .json(&serde_json::json!({"password": "hunter2"}));
        let shown = format!("{call:?}");
        assert!(
            !shown.contains("secret-token-9") && !shown.contains("hunter2"),
            "{shown}"
        );
        assert!(shown.contains("body_bytes: Some(Ok(22))"), "{shown}");
    }
}
