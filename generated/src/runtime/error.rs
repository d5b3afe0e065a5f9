//! The one error type every call returns.

use std::fmt;
use std::sync::Arc;

use serde::Deserialize;

use super::response::RateLimit;

/// How much of a body an error keeps for display.
const SNIPPET_BYTES: usize = 512;
/// How many characters of text a server sent an error's `Display` shows; the rest is
/// in the error's fields.
const SHOWN_CHARS: usize = 300;

/// Everything that can go wrong with a call. Match on it; no variant loses the status or
/// body, and none carries a credential.
///
/// `Display` is meant for a log line: text a server sent (an error message, a body, a
/// `Location`, a cursor) shows at most 300 characters, then `…(truncated, N bytes)`, and
/// its control characters are escaped (`\n`, `\u{1b}`), so a server cannot forge lines
/// or terminal sequences in a log. The whole text is in the variant's fields.
///
/// Cheap to clone: an OAuth refresh that fails hands the same error to every call that
/// was waiting for it.
///
/// ```no_run
/// use pipedrive::Error;
///
/// # async fn run(client: pipedrive::Client) {
/// match client.organizations().get(42).await {
///     Ok(organization) => println!("{:?}", organization.name),
///     Err(error) if error.is_not_found() => println!("gone"),
///     Err(Error::RateLimited(limited)) => println!("{}; wait {:?}", limited, limited.retry_after),
///     Err(Error::Api(api)) => println!("{} answered {}: {:?}", api.operation, api.status, api.error),
///     Err(Error::Decode(decode)) => println!("unexpected body at `{}`: {}", decode.path, decode.message),
///     Err(other) if other.is_retryable() => println!("try again later: {other}"),
///     Err(other) => println!("{other}"),
/// }
/// # }
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status, or with `"success": false`.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The API refused the request for its rate limits, and retrying did not help or
    /// would not (the daily budget, or a wait beyond the retry policy's budget).
    #[error(transparent)]
    RateLimited(Box<RateLimitError>),
    /// The API answered with success, but the body is not what the operation returns.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// One item of a page did not decode. The page's other items did: a page stream
    /// yields this in the item's place and goes on with the next item.
    #[error(transparent)]
    Item(Box<ItemError>),
    /// The request could not be sent or its response not read.
    #[error("{operation}: the request failed: {}", Chain(&**source))]
    Transport {
        /// The operation id.
        operation: &'static str,
        /// What went wrong.
        #[source]
        source: Arc<reqwest::Error>,
    },
    /// No response arrived within the client's per-attempt timeout, or the call's own
    /// timeout passed ([`RawRequest::timeout`](crate::RawRequest::timeout), which bounds
    /// the whole call), or, for `oauthRefresh`, the refresh timeout did.
    #[error("{operation}: no response within the timeout")]
    Timeout {
        /// The operation id.
        operation: &'static str,
    },
    /// The server answered with a redirect the client does not follow: to another origin
    /// (scheme, host or port), for a method other than `GET`, from the token endpoint, or
    /// beyond the hop limit. The credential was not sent to `location`.
    #[error("{operation}: the server redirected ({status}) to {}; not followed", Shown(location.as_deref().unwrap_or("nowhere")))]
    Redirect {
        /// The operation id.
        operation: &'static str,
        /// The redirect status (`301`, `302`, `303`, `307` or `308`).
        status: u16,
        /// The `Location` header, resolved against the URL that was redirected and
        /// redacted, since a redirect can carry a credential: scheme, host, port and path
        /// as sent, and `[redacted]` in place of a user name and password, of each query
        /// value and of a fragment (`https://[redacted]@host/path?token=[redacted]`). A
        /// `Location` that is not a URL is not kept.
        location: Option<String>,
    },
    /// The response body is larger than the client accepts; reading stopped at the
    /// limit. See [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes).
    #[error("{operation}: the response is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The operation id.
        operation: &'static str,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A page stream was led in a circle: the server handed back a cursor the stream had
    /// already followed, or an offset that does not advance.
    #[error("{operation}: pagination does not advance: {}", Shown(reason))]
    Pagination {
        /// The operation id.
        operation: &'static str,
        /// What the server sent.
        reason: String,
    },
    /// An argument cannot be sent as given, for example an empty path value or one that
    /// is `.` or `..`, which would change the path.
    #[error("{operation}: {}", Shown(reason))]
    InvalidArgument {
        /// The operation id.
        operation: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The OAuth token endpoint answered with tokens the client refuses, for example an
    /// access token that cannot be sent as a header or an `api_domain` that is not
    /// `https`. The tokens the client had are kept.
    #[error("{operation}: the token response was refused: {}", Shown(reason))]
    TokenResponse {
        /// `oauthRefresh`, or `oauthExchangeCode` for [`OAuthApp::exchange_code`](crate::OAuthApp::exchange_code).
        operation: &'static str,
        /// Why.
        reason: String,
    },
    /// The [`on_refresh`](crate::OAuth::on_refresh) callback failed to persist new
    /// tokens. The client uses them all the same; the call that waited for the refresh
    /// gets this error so the failure is not lost.
    #[error("oauthRefresh: the new tokens were not persisted: {}", Chain(&**source))]
    PersistTokens {
        /// What the callback returned.
        #[source]
        source: Arc<dyn std::error::Error + Send + Sync>,
    },
    /// The request body could not be encoded as JSON.
    #[error("{operation}: could not encode the request body: {source}")]
    Encode {
        /// The operation id.
        operation: &'static str,
        /// What went wrong.
        #[source]
        source: Arc<serde_json::Error>,
    },
    /// The client is not configured correctly.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(error) => Some(error.status),
            Self::RateLimited(error) => Some(error.api.status),
            Self::Decode(error) => Some(error.status),
            Self::Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the API answered 404: the object does not exist, or is not visible to
    /// this user.
    ///
    /// ```no_run
    /// # async fn run(client: pipedrive::Client) -> Result<(), pipedrive::Error> {
    /// match client.organizations().get(42).send().await {
    ///     Ok(organization) => println!("{:?}", organization.name),
    ///     Err(error) if error.is_not_found() => println!("no organization 42"),
    ///     Err(error) => return Err(error),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether the API refused the call for its rate limits (a 429), after the client's
    /// own retries.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Self::RateLimited(_))
    }

    /// Whether the same call may succeed if made again later: a burst-limit 429, a 500,
    /// 502, 503 or 504, a timeout, or a failed connection. It says nothing about whether
    /// a `POST`, `PUT`, `PATCH` or `DELETE` that failed this way took effect. (The
    /// client's own retries are narrower: they never repeat a 500, which may be a bug
    /// the same request hits again, and repeat a 502 to 504 only for a `GET`.)
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited(error) => error.scope == RateLimitScope::Burst,
            Self::Api(error) => matches!(error.status, 500 | 502 | 503 | 504),
            Self::Timeout { .. } | Self::Transport { .. } => true,
            _ => false,
        }
    }

    /// How long the server asked to wait before the next call (`Retry-After`, else
    /// `x-ratelimit-reset`), when it did.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Self::RateLimited(error) => error.retry_after,
            Self::Api(error) => super::retry::server_wait(&error.rate_limit),
            _ => None,
        }
    }

    pub(crate) fn transport(operation: &'static str, source: reqwest::Error) -> Self {
        Self::Transport {
            operation,
            source: Arc::new(source),
        }
    }
}

/// An error and its causes, `: `-separated: reqwest's own message names only the
/// outermost layer ("error sending request"), and the reason is in its sources. Each is
/// [`Shown`]: reqwest's names the URL, whose query may hold a long cursor.
struct Chain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Shown(&self.0.to_string()))?;
        let mut source = self.0.source();
        // Bounded: a source chain that loops must not hang a `Display`.
        for _ in 0..8 {
            let Some(cause) = source else { break };
            write!(f, ": {}", Shown(&cause.to_string()))?;
            source = cause.source();
        }
        Ok(())
    }
}

/// An error the API reported.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use pipedrive::Error;
/// use pipedrive::mock::MockServer;
///
/// let mock = MockServer::start().await;
/// mock.organizations().get(1).fails(404, "Organization not found").await;
/// match mock.client().organizations().get(1).await {
///     Err(Error::Api(api)) => {
///         assert_eq!((api.operation, api.status), ("getOrganization", 404));
///         assert_eq!(api.error.as_deref(), Some("Organization not found"));
///     }
///     other => panic!("expected an API error, got {other:?}"),
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation id.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The body's `error`, when it is JSON and has one.
    pub error: Option<String>,
    /// The body's `error_info`, when present.
    pub error_info: Option<String>,
    /// The body's `errorCode` or `code`, when present, as text.
    pub code: Option<String>,
    /// The whole body, as sent (lossily decoded as UTF-8).
    pub body: String,
    /// The response's rate-limit headers.
    pub rate_limit: RateLimit,
}

impl ApiError {
    pub(crate) fn new(
        operation: &'static str,
        status: u16,
        body: &[u8],
        rate_limit: RateLimit,
    ) -> Self {
        #[derive(Deserialize)]
        struct Body {
            #[serde(default)]
            error: Option<serde_json::Value>,
            #[serde(default)]
            error_info: Option<String>,
            #[serde(default, rename = "errorCode")]
            error_code: Option<serde_json::Value>,
            #[serde(default)]
            code: Option<serde_json::Value>,
        }
        let parsed = serde_json::from_slice::<Body>(body).ok();
        let text = |value: serde_json::Value| match value {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        let (error, error_info, code) = match parsed {
            Some(body) => (
                body.error.filter(|v| !v.is_null()).map(text),
                body.error_info,
                body.error_code
                    .or(body.code)
                    .filter(|v| !v.is_null())
                    .map(text),
            ),
            None => (None, None, None),
        };
        Self {
            operation,
            status,
            error,
            error_info,
            code,
            body: String::from_utf8_lossy(body).into_owned(),
            rate_limit,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the API answered {}", self.operation, self.status)?;
        match (&self.error, &self.error_info) {
            (Some(error), Some(info)) => write!(f, ": {} ({})", Shown(error), Shown(info)),
            (Some(error), None) => write!(f, ": {}", Shown(error)),
            (None, _) if self.body.trim().is_empty() => write!(f, " with an empty body"),
            (None, _) => write!(f, ": {}", Shown(&self.body)),
        }
    }
}

impl std::error::Error for ApiError {}

/// Which rate limit a 429 came from.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use pipedrive::mock::MockServer;
/// use pipedrive::{Error, RateLimitScope};
///
/// let mock = MockServer::start().await;
/// mock.organizations().get(1).daily_budget_exceeded().await;
/// if let Err(Error::RateLimited(limited)) = mock.client().organizations().get(1).await {
///     match limited.scope {
///         RateLimitScope::Daily => println!("the budget is spent: pause the sync until tomorrow"),
///         RateLimitScope::Burst => println!("try again in {:?}", limited.retry_after),
///         _ => println!("{limited}"),
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RateLimitScope {
    /// The company's daily token budget: it resets the next day.
    Daily,
    /// The per-token burst limit over a rolling 2-second window.
    Burst,
}

/// A 429 the client gave up on.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), pipedrive::Error> {
/// use std::time::Duration;
/// use pipedrive::mock::MockServer;
/// use pipedrive::{Error, RateLimitScope, RetryPolicy};
///
/// let mock = MockServer::start().await;
/// mock.organizations().get(1).rate_limited(Duration::from_secs(2)).await;
/// let client = mock.client_builder().retry_policy(RetryPolicy::none()).build()?;
/// let Err(Error::RateLimited(limited)) = client.organizations().get(1).await else {
///     panic!("a 429 is a rate-limit error");
/// };
/// assert_eq!(limited.scope, RateLimitScope::Burst);
/// assert_eq!(limited.retry_after, Some(Duration::from_secs(2)));
/// assert_eq!(limited.api.status, 429);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimitError {
    /// Daily budget or burst window.
    pub scope: RateLimitScope,
    /// How long the server asked to wait (`Retry-After`, else `x-ratelimit-reset`).
    pub retry_after: Option<std::time::Duration>,
    /// The response itself.
    pub api: ApiError,
}

impl RateLimitError {
    pub(crate) fn new(api: ApiError) -> Self {
        let daily = super::retry::is_daily_budget(&api.rate_limit, api.error.as_deref());
        Self {
            scope: if daily {
                RateLimitScope::Daily
            } else {
                RateLimitScope::Burst
            },
            retry_after: super::retry::server_wait(&api.rate_limit),
            api,
        }
    }
}

impl fmt::Display for RateLimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scope = match self.scope {
            RateLimitScope::Daily => "the daily request budget is spent",
            RateLimitScope::Burst => "the burst rate limit was hit",
        };
        write!(f, "{}: {scope}", self.api.operation)?;
        if let Some(message) = &self.api.error {
            write!(f, " ({})", Shown(message))?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, "; retry after {} s", wait.as_secs())?;
        }
        Ok(())
    }
}

impl std::error::Error for RateLimitError {}

/// A successful response whose body did not decode.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use pipedrive::Error;
/// use pipedrive::mock::MockServer;
/// use pipedrive::mock::wiremock::{Mock, ResponseTemplate, matchers::path};
///
/// let mock = MockServer::start().await;
/// // A body the typed mocks cannot send: `id` is not a number.
/// Mock::given(path("/api/v2/organizations/1"))
///     .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"success": true, "data": {"id": "one"}}"#))
///     .mount(mock.wiremock())
///     .await;
/// let Err(Error::Decode(decode)) = mock.client().organizations().get(1).await else {
///     panic!("the body does not decode");
/// };
/// assert_eq!(decode.path, "data.id");
/// eprintln!("{}", decode.message);
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation id.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The path to the value that failed, for example `data[3].owner_id`; `.` for the whole body.
    pub path: String,
    /// What was wrong with it.
    pub message: String,
    /// The start of the body, at most 512 bytes.
    pub snippet: String,
}

impl DecodeError {
    pub(crate) fn new(
        operation: &'static str,
        status: u16,
        path: String,
        message: String,
        body: &[u8],
    ) -> Self {
        Self {
            operation,
            status,
            path,
            message,
            snippet: snippet(body),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: could not decode the {} response at `{}`: {}; the body starts with: {}",
            self.operation,
            self.status,
            Shown(&self.path),
            Shown(&self.message),
            Shown(&self.snippet)
        )
    }
}

impl std::error::Error for DecodeError {}

/// An item of a page that did not decode. The rest of the page did: a page keeps one of
/// these per item it could not read, in [`CursorPage::failed`](crate::CursorPage::failed)
/// or [`OffsetPage::failed`](crate::OffsetPage::failed), and the stream of items of a
/// list request (its `all_items()`) yields it as [`Error::Item`] in the item's place.
///
/// ```no_run
/// use futures::StreamExt;
///
/// # async fn run(client: pipedrive::Client) -> Result<(), pipedrive::Error> {
/// let mut organizations = std::pin::pin!(client.organizations().list().all_items());
/// while let Some(organization) = organizations.next().await {
///     match organization {
///         Ok(organization) => println!("{}", organization.id),
///         // One item the client could not read: log it, keep its JSON, go on.
///         Err(pipedrive::Error::Item(bad)) => {
///             eprintln!("skipped item {} at `{}`: {}", bad.index, bad.path, bad.message);
///         }
///         Err(other) => return Err(other),
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ItemError {
    /// The operation id.
    pub operation: &'static str,
    /// The item's position in the page's list, counting from 0.
    pub index: usize,
    /// The path inside the item to the value that failed, for example `owner.id`; `.`
    /// for the item itself.
    pub path: String,
    /// What was wrong with it.
    pub message: String,
    /// The item's JSON, as the API sent it.
    pub raw: String,
}

impl ItemError {
    pub(crate) fn new(
        operation: &'static str,
        index: usize,
        path: String,
        message: String,
        raw: String,
    ) -> Self {
        Self {
            operation,
            index,
            path,
            message,
            raw,
        }
    }
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: could not decode item {} of the page at `{}`: {}",
            self.operation,
            self.index,
            Shown(&self.path),
            Shown(&self.message)
        )
    }
}

impl std::error::Error for ItemError {}

/// Text a server sent, as an error's `Display` shows it: at most [`SHOWN_CHARS`]
/// characters, then a marker with the whole length, and control and bidirectional
/// formatting characters escaped, so that a server cannot forge log lines or terminal
/// sequences, or hide text, in a log.
pub(crate) struct Shown<'a>(pub(crate) &'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        show(f, self.0, SHOWN_CHARS)
    }
}

/// `text` as [`Shown`] shows it, cut at `limit` characters: for server-sent text quoted
/// inside a message of the client's own.
pub(crate) fn excerpt(text: &str, limit: usize) -> String {
    let mut shown = String::new();
    // Writing to a `String` does not fail.
    let _ = show(&mut shown, text, limit);
    shown
}

/// Writes `text`, cut at `limit` characters and escaped, as [`Shown`] describes.
fn show(out: &mut impl fmt::Write, text: &str, limit: usize) -> fmt::Result {
    for (count, c) in text.chars().enumerate() {
        if count == limit {
            return write!(out, "…(truncated, {} bytes)", text.len());
        }
        match c {
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            c if c.is_control() || is_bidi_control(c) => {
                write!(out, "\\u{{{:x}}}", u32::from(c))?;
            }
            c => out.write_char(c)?,
        }
    }
    Ok(())
}

/// Characters that reorder the text around them when it is displayed.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// At most [`SNIPPET_BYTES`] of `body`, cut on a character boundary.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let end = (0..=text.len().min(SNIPPET_BYTES))
        .rev()
        .find(|&end| text.is_char_boundary(end))
        .unwrap_or(0);
    let mut snippet = text[..end].to_owned();
    if end < text.len() {
        snippet.push('…');
    }
    snippet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pipedrive_error_bodies() {
        let body = br#"{"success":false,"error":"daily request budget exceeded","errorCode":429}"#;
        let error = ApiError::new("listThings", 429, body, RateLimit::default());
        assert_eq!(
            error.error.as_deref(),
            Some("daily request budget exceeded")
        );
        assert_eq!(error.code.as_deref(), Some("429"));
        assert_eq!(
            error.to_string(),
            "listThings: the API answered 429: daily request budget exceeded"
        );
    }

    #[test]
    fn tells_the_daily_budget_from_the_burst_window() {
        let body = br#"{"success":false,"error":"daily request budget exceeded","errorCode":429}"#;
        let daily = RateLimitError::new(ApiError::new("op", 429, body, RateLimit::default()));
        assert_eq!(daily.scope, RateLimitScope::Daily);
        assert_eq!(
            daily.api.error.as_deref(),
            Some("daily request budget exceeded"),
            "the server's message is kept"
        );
        assert_eq!(
            daily.to_string(),
            "op: the daily request budget is spent (daily request budget exceeded)",
            "and shown"
        );
        let headers = RateLimit {
            retry_after: Some(2),
            ..RateLimit::default()
        };
        let burst = RateLimitError::new(ApiError::new("op", 429, b"{}", headers));
        assert_eq!(burst.scope, RateLimitScope::Burst);
        assert_eq!(burst.retry_after, Some(std::time::Duration::from_secs(2)));
        assert_eq!(
            burst.to_string(),
            "op: the burst rate limit was hit; retry after 2 s"
        );
    }

    #[test]
    fn helpers_classify_errors() {
        let api = |status| {
            Error::Api(Box::new(ApiError::new(
                "op",
                status,
                b"",
                RateLimit::default(),
            )))
        };
        assert!(api(404).is_not_found() && !api(410).is_not_found());
        assert!(
            api(503).is_retryable()
                && api(500).is_retryable()
                && !api(400).is_retryable()
                && !api(404).is_retryable()
        );
        assert!(Error::Timeout { operation: "op" }.is_retryable());
        let headers = RateLimit {
            retry_after: Some(3),
            ..RateLimit::default()
        };
        let burst = Error::RateLimited(Box::new(RateLimitError::new(ApiError::new(
            "op", 429, b"{}", headers,
        ))));
        assert!(burst.is_rate_limited() && burst.is_retryable());
        assert_eq!(burst.retry_after(), Some(std::time::Duration::from_secs(3)));
        let daily_headers = RateLimit {
            daily_requests_left: Some(0),
            ..RateLimit::default()
        };
        let daily = Error::RateLimited(Box::new(RateLimitError::new(ApiError::new(
            "op",
            429,
            b"{}",
            daily_headers,
        ))));
        assert!(
            daily.is_rate_limited() && !daily.is_retryable(),
            "the daily budget resets tomorrow"
        );
        assert!(!api(503).is_rate_limited());
        assert_eq!(Error::Config("x".into()).retry_after(), None);
        let busy = Error::Api(Box::new(ApiError::new("op", 503, b"", headers)));
        assert_eq!(busy.retry_after(), Some(std::time::Duration::from_secs(3)));
    }

    #[test]
    fn keeps_html_and_empty_bodies() {
        let error = ApiError::new(
            "getThing",
            403,
            b"<html>Forbidden</html>",
            RateLimit::default(),
        );
        assert_eq!(error.error, None);
        assert_eq!(error.body, "<html>Forbidden</html>");
        assert!(error.to_string().ends_with("<html>Forbidden</html>"));
        let empty = ApiError::new("getThing", 502, b"", RateLimit::default());
        assert_eq!(
            empty.to_string(),
            "getThing: the API answered 502 with an empty body"
        );
    }

    #[test]
    fn snippets_are_bounded_and_cut_on_char_boundaries() {
        let body = "é".repeat(1000);
        let cut = snippet(body.as_bytes());
        assert!(cut.len() <= SNIPPET_BYTES + '…'.len_utf8());
        assert!(cut.ends_with('…'));
        // What fits is shown whole, with no mark of a cut.
        assert_eq!(snippet(b"{\"success\":false}"), "{\"success\":false}");
        let exact = "a".repeat(SNIPPET_BYTES);
        assert_eq!(snippet(exact.as_bytes()), exact);
        assert_eq!(snippet(format!("{exact}b").as_bytes()), format!("{exact}…"));
    }

    #[test]
    fn an_error_that_came_with_a_response_says_its_status() {
        let api = Error::Api(Box::new(ApiError::new(
            "op",
            404,
            b"",
            RateLimit::default(),
        )));
        let limited = Error::RateLimited(Box::new(RateLimitError::new(ApiError::new(
            "op",
            429,
            b"{}",
            RateLimit::default(),
        ))));
        let decode = Error::Decode(Box::new(DecodeError::new(
            "op",
            200,
            "data.id".to_owned(),
            "expected an integer".to_owned(),
            b"{}",
        )));
        let redirect = Error::Redirect {
            operation: "op",
            status: 302,
            location: None,
        };
        assert_eq!(
            [api, limited, decode, redirect].map(|error| error.status()),
            [Some(404), Some(429), Some(200), Some(302)]
        );
        assert_eq!(Error::Timeout { operation: "op" }.status(), None);
        assert_eq!(Error::Config("x".to_owned()).status(), None);
    }

    type PersistError = Box<dyn std::error::Error + Send + Sync>;

    #[test]
    fn server_text_is_shown_cut_and_escaped_and_kept_whole_in_the_fields() {
        let huge = format!(
            "line one\nFAKE LOG LINE \u{1b}[31mred\u{202e}{}",
            "x".repeat(10 << 20)
        );
        let body = serde_json::to_vec(
            &serde_json::json!({"error": huge, "error_info": huge, "code": huge}),
        )
        .unwrap();
        let api = ApiError::new("op", 400, &body, RateLimit::default());
        assert_eq!(
            api.error.as_deref(),
            Some(huge.as_str()),
            "the field keeps it all"
        );
        let decode = DecodeError::new("op", 200, huge.clone(), huge.clone(), huge.as_bytes());
        let errors = [
            Error::Api(Box::new(api.clone())),
            Error::Api(Box::new(ApiError::new(
                "op",
                500,
                huge.as_bytes(),
                RateLimit::default(),
            ))),
            Error::RateLimited(Box::new(RateLimitError::new(api))),
            Error::Decode(Box::new(decode)),
            Error::Redirect {
                operation: "op",
                status: 302,
                location: Some(huge.clone()),
            },
            Error::Pagination {
                operation: "op",
                reason: huge.clone(),
            },
            Error::InvalidArgument {
                operation: "op",
                reason: huge.clone(),
            },
            Error::TokenResponse {
                operation: "op",
                reason: huge.clone(),
            },
        ];
        for error in errors {
            let shown = error.to_string();
            assert!(
                shown.len() < 4096,
                "{} bytes: {:?}",
                shown.len(),
                &shown[..200]
            );
            assert!(!shown.contains(['\n', '\u{1b}', '\u{202e}']), "{shown}");
            if !matches!(error, Error::RateLimited(_)) {
                assert!(
                    shown.contains("line one\\nFAKE LOG LINE \\u{1b}[31mred\\u{202e}x"),
                    "{shown}"
                );
                assert!(shown.contains("…(truncated, "), "{shown}");
            }
        }
        assert_eq!(
            Shown(&format!("{}é", "a".repeat(SHOWN_CHARS - 1))).to_string(),
            format!("{}é", "a".repeat(SHOWN_CHARS - 1)),
            "exactly the limit is shown whole"
        );
        assert_eq!(
            Shown(&"é".repeat(SHOWN_CHARS + 1)).to_string(),
            format!(
                "{}…(truncated, {} bytes)",
                "é".repeat(SHOWN_CHARS),
                2 * (SHOWN_CHARS + 1)
            )
        );
        assert_eq!(Shown("a\tb\r\0").to_string(), "a\\tb\\r\\u{0}");
        assert_eq!(excerpt("abc\n", 3), "abc…(truncated, 4 bytes)");
        let persist = Error::PersistTokens {
            source: Arc::from(PersistError::from(huge.as_str())),
        };
        assert!(persist.to_string().len() < 1024);
        assert_eq!(excerpt("ab\n", 3), "ab\\n");
    }
}
