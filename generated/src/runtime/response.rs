//! What every successful call returns: the decoded data and the response's metadata.

use std::ops::Deref;

use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};

// Names made once, so reading them from every response parses no header name.
const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");
const DAILY_LEFT: HeaderName = HeaderName::from_static("x-daily-requests-left");

/// The rate-limit headers of a response. Each is `None` when the response did not carry it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), pipedrive::Error> {
/// use pipedrive::mock::MockServer;
/// use pipedrive::organizations::Organization;
///
/// let mock = MockServer::start().await;
/// mock.organizations().get(1).header("x-daily-requests-left", "900").responds(Organization::new(1)).await;
/// let organization = mock.client().organizations().get(1).await?;
/// let rate_limit = organization.meta.rate_limit;
/// if rate_limit.daily_requests_left.is_some_and(|left| left < 1_000) {
///     println!("less than 1,000 requests left today: leave the backfill for tomorrow");
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// `x-ratelimit-limit`: the burst budget of the current 2-second window.
    pub limit: Option<u64>,
    /// `x-ratelimit-remaining`: what is left of it.
    pub remaining: Option<u64>,
    /// `x-ratelimit-reset`: seconds until the window resets.
    pub reset: Option<u64>,
    /// `x-daily-requests-left`: what is left of the company's daily budget.
    pub daily_requests_left: Option<u64>,
    /// `retry-after`, in seconds, when the server asked to wait: its delay, or the time
    /// from now until its HTTP date (zero for a date in the past).
    pub retry_after: Option<u64>,
}

impl RateLimit {
    pub(crate) fn from_headers(headers: &HeaderMap) -> Self {
        let number = |name: &HeaderName| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.trim().parse::<u64>().ok())
        };
        Self {
            limit: number(&LIMIT),
            remaining: number(&REMAINING),
            reset: number(&RESET),
            daily_requests_left: number(&DAILY_LEFT),
            retry_after: number(&RETRY_AFTER).or_else(|| {
                let date = headers.get(RETRY_AFTER)?.to_str().ok()?;
                seconds_until(date, jiff::Timestamp::now())
            }),
        }
    }
}

/// Seconds from `now` until the HTTP date `date` (`Sun, 06 Nov 1994 08:49:37 GMT`),
/// zero when it has passed.
fn seconds_until(date: &str, now: jiff::Timestamp) -> Option<u64> {
    let at = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(date.trim())
        .ok()?;
    let seconds = at.as_second().saturating_sub(now.as_second());
    Some(u64::try_from(seconds).unwrap_or(0))
}

/// Metadata of a response.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), pipedrive::Error> {
/// use pipedrive::mock::MockServer;
/// use pipedrive::organizations::Organization;
///
/// let mock = MockServer::start().await;
/// mock.organizations().get(1).header("x-request-id", "req-7").responds(Organization::new(1)).await;
/// let organization = mock.client().organizations().get(1).await?;
/// let meta = &organization.meta;
/// assert_eq!((meta.status, meta.request_id()), (200, Some("req-7")));
/// assert!(meta.headers.contains_key("content-type"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// The HTTP status.
    pub status: u16,
    /// The rate-limit headers, parsed.
    pub rate_limit: RateLimit,
    /// Every header of the response, as sent.
    pub headers: HeaderMap,
}

/// Headers that name a request for the server's logs, in the order they are looked for.
/// Pipedrive's documentation names none; these are the ones HTTP services commonly send.
const REQUEST_ID_HEADERS: [&str; 2] = ["x-correlation-id", "x-request-id"];

impl ResponseMeta {
    /// The id the server gave this request (`x-correlation-id`, else `x-request-id`),
    /// to quote in a support ticket, when the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        REQUEST_ID_HEADERS
            .iter()
            .find_map(|name| self.headers.get(*name)?.to_str().ok())
    }
}

/// A decoded response: the data, and the status and rate-limit headers it came with.
///
/// Derefs to the data, so `response.items` works on a page as `response.data.items` does.
///
/// ```no_run
/// # async fn run(client: pipedrive::Client) -> Result<(), pipedrive::Error> {
/// let response = client.organizations().list().limit(10).await?;
/// println!("{} organizations, status {}", response.items.len(), response.meta.status);
/// let page = response.into_data();
/// println!("next cursor: {:?}", page.next_cursor);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded data.
    pub data: T,
    /// Status and rate-limit headers.
    pub meta: ResponseMeta,
}

impl<T> Response<T> {
    /// The data, without the metadata.
    pub fn into_data(self) -> T {
        self.data
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn reads_the_rate_limit_headers_and_ignores_garbage() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", HeaderValue::from_static("80"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static(" 79 "));
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("2"));
        headers.insert("x-daily-requests-left", HeaderValue::from_static("many"));
        let rate_limit = RateLimit::from_headers(&headers);
        assert_eq!(rate_limit.limit, Some(80));
        assert_eq!(rate_limit.remaining, Some(79));
        assert_eq!(rate_limit.reset, Some(2));
        assert_eq!(rate_limit.daily_requests_left, None);
        assert_eq!(rate_limit.retry_after, None);
    }

    #[test]
    fn the_request_id_is_the_first_id_header_sent() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", HeaderValue::from_static("req-2"));
        let meta = |headers: HeaderMap| ResponseMeta {
            status: 200,
            rate_limit: RateLimit::default(),
            headers,
        };
        assert_eq!(meta(headers.clone()).request_id(), Some("req-2"));
        headers.insert("x-correlation-id", HeaderValue::from_static("corr-1"));
        assert_eq!(meta(headers).request_id(), Some("corr-1"));
        assert_eq!(meta(HeaderMap::new()).request_id(), None);
    }

    #[test]
    fn retry_after_is_a_delay_or_an_http_date() {
        let now: jiff::Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        assert_eq!(
            seconds_until("Tue, 01 Dec 2026 10:00:30 GMT", now),
            Some(30)
        );
        assert_eq!(
            seconds_until("Tue, 01 Dec 2026 09:00:00 GMT", now),
            Some(0),
            "a date in the past"
        );
        assert_eq!(seconds_until("soon", now), None);
        let mut headers = HeaderMap::new();
        headers.insert(
            "retry-after",
            HeaderValue::from_static("18446744073709551615"),
        );
        headers.insert(
            "x-ratelimit-reset",
            HeaderValue::from_static("99999999999999999999999"),
        );
        let rate_limit = RateLimit::from_headers(&headers);
        assert_eq!(rate_limit.retry_after, Some(u64::MAX));
        assert_eq!(rate_limit.reset, None, "beyond u64: ignored");
        headers.insert(
            "retry-after",
            HeaderValue::from_static("01 Jan 2200 00:00:00 GMT"),
        );
        assert!(
            RateLimit::from_headers(&headers)
                .retry_after
                .is_some_and(|wait| wait > 5_000_000_000)
        );
    }
}
