//! Sending a request: authentication, pacing, the attempt loop with its retries and
//! redirects, the size limit on what comes back, and the URL each attempt goes to.
//! Decoding what comes back is in `decode.rs`; when to retry is decided in `retry.rs`.
//!
//! A call with its own timeout ([`Request::with_timeout`]) is bounded as a whole, from
//! here to the last byte of its body: each attempt may use what is left of it (in place
//! of the client's per-attempt timeout), a retry whose wait would not end before it is
//! not made, and whatever is waited for when it passes (a refresh, a limiter slot, an
//! answer) ends in [`Error::Timeout`].
//!
//! Redirects: the HTTP client follows none itself. A `GET` that is redirected to the
//! same origin (scheme, host and port) is followed, at most [`MAX_REDIRECTS`] times, with
//! its credential; any other redirect is [`Error::Redirect`], and nothing is sent to its
//! `Location`. Pipedrive does not redirect API calls, so a redirect to elsewhere is a
//! misconfigured proxy or an attack, and a redirected `POST` would send its body again.
//! Each redirect hop is a request of its own to the burst limiter: it waits for a slot
//! as the first request did. What a `Location` may carry (a password, a token in the
//! query) is redacted before it is logged or kept in an error, a hop's transport error
//! does not show its URL, and a hop is sent without the `Location`'s user name and
//! password.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION};
use tokio::time::Instant;
use url::Url;

use super::auth::Credential;
use super::body::{self, BodyError};
use super::client::{Client, Inner};
use super::error::{ApiError, Error, RateLimitError, RateLimitScope};
use super::limiter::Slot;
use super::operation::{HttpMethod, Operation};
use super::origin::{redacted_location, same_origin};
use super::request::{Body, Request};
use super::response::{RateLimit, ResponseMeta};
use super::retry::{Decision, Outcome, decide};
use super::trace;

/// Same-origin redirects a `GET` follows before the redirect is an error.
const MAX_REDIRECTS: usize = 3;

/// Sends `request`, retrying as its own or else the client's
/// [`RetryPolicy`](super::RetryPolicy) allows, within its own timeout when it has one,
/// and returns the status, rate-limit headers and body of a 2xx response; any other
/// final status is an error.
pub(super) async fn execute(
    client: &Client,
    mut request: Request,
) -> Result<(ResponseMeta, Bytes), Error> {
    let operation = request.operation;
    let path = request.path_text.take();
    let cost = request.cost.unwrap_or(operation.cost);
    // A timeout too large to add to now is no bound at all.
    let deadline = request
        .timeout
        .and_then(|timeout| Instant::now().checked_add(timeout));
    let call = execute_with_retries(client, request, deadline);
    let bounded = async move {
        match deadline {
            Some(deadline) => {
                tokio::time::timeout_at(deadline, call)
                    .await
                    .unwrap_or(Err(Error::Timeout {
                        operation: operation.id,
                    }))
            }
            None => call.await,
        }
    };
    let path = path.as_deref().unwrap_or(operation.path);
    trace::in_request_span(operation, path, cost, bounded).await
}

/// What one attempt brought back, when it was not a response with a body.
enum Failure {
    Transport(reqwest::Error),
    Redirect {
        status: u16,
        /// The `Location`, redacted.
        location: Option<String>,
    },
    TooLarge,
    /// The body cannot be sent (again): a file read from a stream.
    Body(String),
}

async fn execute_with_retries(
    client: &Client,
    mut request: Request,
    deadline: Option<Instant>,
) -> Result<(ResponseMeta, Bytes), Error> {
    let inner = &*client.inner;
    let operation = request.operation;
    check_segments(&request)?;
    let body = request
        .body
        .take()
        .transpose()
        .map_err(|failure| Error::Encode {
            operation: operation.id,
            source: Arc::new(<serde_json::Error as serde::ser::Error>::custom(failure)),
        })?;
    let policy = request.retry.unwrap_or(inner.retry);
    let mut retries: u32 = 0;
    let mut waited = Duration::ZERO;
    let mut refreshed = false;
    loop {
        let credential = inner.auth.credential(&inner.http).await?;
        trace::record("attempt", u64::from(retries.saturating_add(1)));
        let generation = credential.generation;
        // Built for each attempt: a refresh may have moved the base URL.
        let url = url(client, &request)?;
        let (outcome, error, rate_limit) =
            match attempt(inner, operation, url, body.clone(), credential, deadline).await {
                Ok(Answer {
                    status,
                    rate_limit,
                    headers,
                    body: bytes,
                }) => {
                    trace::record("status", u64::from(status));
                    if (200..300).contains(&status) {
                        return Ok((
                            ResponseMeta {
                                status,
                                rate_limit,
                                headers,
                            },
                            bytes,
                        ));
                    }
                    if status == 401 && inner.auth.is_oauth() && !refreshed {
                        // The token may have been revoked or expired early: refresh once, repeat once.
                        refreshed = true;
                        trace::debug!("401 with an OAuth token: refreshing and repeating once");
                        inner
                            .auth
                            .refresh_after_unauthorized(&inner.http, generation)
                            .await?;
                        continue;
                    }
                    let api = ApiError::new(operation.id, status, &bytes, rate_limit);
                    let error = if status == 429 {
                        Error::RateLimited(Box::new(RateLimitError::new(api)))
                    } else {
                        Error::Api(Box::new(api))
                    };
                    (Outcome::Status(status), error, rate_limit)
                }
                Err(Failure::Redirect { status, location }) => {
                    return Err(Error::Redirect {
                        operation: operation.id,
                        status,
                        location,
                    });
                }
                Err(Failure::Body(reason)) => {
                    return Err(Error::InvalidArgument {
                        operation: operation.id,
                        reason,
                    });
                }
                Err(Failure::TooLarge) => {
                    return Err(Error::TooLarge {
                        operation: operation.id,
                        limit: inner.max_response_bytes,
                    });
                }
                Err(Failure::Transport(source)) => {
                    let outcome = Outcome::of_transport_error(&source);
                    let error = match outcome {
                        Outcome::TimedOut => Error::Timeout {
                            operation: operation.id,
                        },
                        _ => Error::transport(operation.id, source),
                    };
                    (outcome, error, RateLimit::default())
                }
            };
        let daily = matches!(&error, Error::RateLimited(e) if e.scope == RateLimitScope::Daily);
        let Decision::Retry { server_wait } = decide(operation.method, outcome, &rate_limit, daily)
        else {
            return Err(error);
        };
        let wait = server_wait.unwrap_or_else(|| policy.backoff(retries));
        let total = waited.saturating_add(wait);
        if !policy.allows(retries, total) {
            trace::debug!(retries, "giving up: the retry budget is spent");
            return Err(error);
        }
        if !ends_before(wait, deadline) {
            trace::debug!(
                retries,
                "giving up: the wait would outlast the call's timeout"
            );
            return Err(error);
        }
        trace::debug!(attempt = retries.saturating_add(1), wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), error = %error, "retrying");
        tokio::time::sleep(wait).await;
        waited = total;
        retries = retries.saturating_add(1);
    }
}

/// Whether a wait of `wait` from now ends before `deadline`, if there is one.
fn ends_before(wait: Duration, deadline: Option<Instant>) -> bool {
    deadline.is_none_or(|deadline| {
        Instant::now()
            .checked_add(wait)
            .is_some_and(|end| end < deadline)
    })
}

/// One attempt: the status, rate-limit headers and body, or why none arrived. Each
/// request it sends, the first and every redirect hop, holds a slot of the burst
/// limiter, when there is one: from before it is sent until its answer arrived (the
/// last one's until its body is read), and one window after that. With a `deadline`,
/// each request may take what is left until it, instead of the client's timeout. The
/// rate-limit headers of the answer are the client's latest.
async fn attempt(
    inner: &Inner,
    operation: &Operation,
    mut url: Url,
    body: Option<Body>,
    credential: Credential,
    deadline: Option<Instant>,
) -> Result<Answer, Failure> {
    let mut slot = pace(inner).await;
    let mut redirects = 0;
    let mut response = loop {
        let mut builder = inner
            .http
            .request(operation.method.to_reqwest(), url)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(credential.name.clone(), credential.value.clone());
        match &body {
            Some(Body::Json(json)) => {
                builder = builder
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(json.clone());
            }
            Some(Body::Form(parts)) => {
                builder = builder.multipart(parts.to_reqwest().map_err(Failure::Body)?);
            }
            None => {}
        }
        if let Some(deadline) = deadline {
            builder = builder.timeout(deadline.saturating_duration_since(Instant::now()));
        }
        let response = builder.send().await.map_err(|error| {
            // A hop's URL came from a `Location`, which may carry a token in its query.
            Failure::Transport(if redirects > 0 {
                error.without_url()
            } else {
                error
            })
        })?;
        if !response.status().is_redirection()
            || response.status() == reqwest::StatusCode::NOT_MODIFIED
        {
            break response;
        }
        let status = response.status().as_u16();
        // The URL this request went to; reqwest follows no redirect, so it is the one sent.
        let sent = response.url().clone();
        let location = response
            .headers()
            .get(LOCATION)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        drop(response);
        let next = location
            .as_deref()
            .and_then(|location| sent.join(location).ok());
        match next {
            Some(mut next)
                if operation.method == HttpMethod::Get
                    && same_origin(&sent, &next)
                    && redirects < MAX_REDIRECTS =>
            {
                trace::debug!(status, location = %super::origin::redacted(&next), "following a same-origin redirect");
                redirects = redirects.saturating_add(1);
                // The request carries its own credential; a user name and password in
                // the `Location` would become a second `Authorization` header.
                let _ = next.set_username("");
                let _ = next.set_password(None);
                url = next;
                // The hop is a request of its own. Its slot is handed back first (one
                // window from now), or a limit of one would wait for itself.
                drop(slot);
                slot = pace(inner).await;
            }
            _ => {
                return Err(Failure::Redirect {
                    status,
                    location: location.map(|location| redacted_location(&sent, &location)),
                });
            }
        }
    };
    let status = response.status().as_u16();
    let rate_limit = RateLimit::from_headers(response.headers());
    inner.saw(rate_limit);
    // Moved out, not copied: reading the body needs no headers.
    let headers = std::mem::take(response.headers_mut());
    let bytes = body::read(response, inner.max_response_bytes)
        .await
        .map_err(|error| match error {
            BodyError::TooLarge => Failure::TooLarge,
            BodyError::Transport(source) => Failure::Transport(source),
        })?;
    drop(slot);
    Ok(Answer {
        status,
        rate_limit,
        headers,
        body: bytes,
    })
}

/// Waits for a slot of the burst limiter, when the client has one.
async fn pace(inner: &Inner) -> Option<Slot> {
    match &inner.limiter {
        Some(limiter) => Some(limiter.acquire().await),
        None => None,
    }
}

/// A response that arrived, whatever its status.
struct Answer {
    status: u16,
    rate_limit: RateLimit,
    headers: HeaderMap,
    body: Bytes,
}

/// Rejects a path value that URL parsing would drop or turn into a step up the path:
/// `.` and `..` (which the WHATWG URL rules that `url` and so `reqwest` follow treat
/// as dot segments even when percent-encoded), the empty value (which yields `//`), and
/// a value with a control character (URL parsing drops a tab, CR or LF silently, which
/// would send another value than the one given).
fn check_segments(request: &Request) -> Result<(), Error> {
    match request.segments.iter().find(|segment| {
        matches!(segment.as_ref(), "" | "." | "..") || segment.chars().any(char::is_control)
    }) {
        Some(segment) => Err(Error::InvalidArgument {
            operation: request.operation.id,
            reason: format!(
                "the path value `{}` would change the path of `{}`; it cannot be sent",
                segment.escape_debug(),
                request.operation.path
            ),
        }),
        None => Ok(()),
    }
}

/// The URL of `request` under the client's base URL.
pub(super) fn url(client: &Client, request: &Request) -> Result<Url, Error> {
    let base = client.base_url();
    let mut url = base.clone();
    {
        let mut segments = url
            .path_segments_mut()
            .map_err(|()| Error::Config(format!("base URL `{base}` cannot have a path")))?;
        // Each segment is percent-encoded here: a `/` or `?` in a value stays inside it.
        segments.pop_if_empty().extend(&request.segments);
    }
    if !request.query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in &request.query {
            pairs.append_pair(name, value);
        }
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPERATION: Operation = Operation {
        id: "t",
        method: HttpMethod::Get,
        path: "/x/{key}",
        version: "v2",
        cost: 1,
    };

    #[test]
    fn path_values_are_percent_encoded_and_the_base_path_kept() {
        let client = Client::builder()
            .api_token("t")
            .base_url("http://127.0.0.1:9/proxy/")
            .build()
            .unwrap();
        let request = Request::new(&OPERATION)
            .segment("x")
            .segment("a/b c?d#e")
            .query("q", Some("1&2"));
        let url = url(&client, &request).unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/proxy/x/a%2Fb%20c%3Fd%23e?q=1%262"
        );
        let request = Request::new(&OPERATION)
            .segment("x")
            .segment("..%2E")
            .segment(".a");
        assert_eq!(
            super::url(&client, &request).unwrap().as_str(),
            "http://127.0.0.1:9/proxy/x/..%252E/.a"
        );
    }

    #[test]
    fn dot_and_empty_path_values_are_refused() {
        for value in ["", ".", ".."] {
            let request = Request::new(&OPERATION).segment("x").segment(value);
            let error = check_segments(&request).unwrap_err();
            assert!(
                matches!(&error, Error::InvalidArgument { operation: "t", reason } if reason.contains(&format!("`{value}`"))),
                "{error:?}"
            );
        }
        assert!(check_segments(&Request::new(&OPERATION).segment("x").segment("...")).is_ok());
        for value in ["a\tb", "a\nb", "\r", "a\u{0}b", "a\u{7f}"] {
            let request = Request::new(&OPERATION).segment("x").segment(value);
            let error = check_segments(&request).unwrap_err();
            assert!(
                matches!(&error, Error::InvalidArgument { reason, .. } if reason.contains(&value.escape_debug().to_string())),
                "{error:?}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_fits_only_when_it_ends_before_the_deadline() {
        assert!(ends_before(Duration::from_secs(3600), None), "no deadline");
        let deadline = Instant::now() + Duration::from_secs(10);
        assert!(ends_before(Duration::from_secs(9), Some(deadline)));
        assert!(
            !ends_before(Duration::from_secs(10), Some(deadline)),
            "a wait that ends at the deadline leaves no time for the retry"
        );
        assert!(!ends_before(Duration::MAX, Some(deadline)), "no overflow");
        tokio::time::advance(Duration::from_secs(5)).await;
        assert!(!ends_before(Duration::from_secs(9), Some(deadline)));
    }
}
