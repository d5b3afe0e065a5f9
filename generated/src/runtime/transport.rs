//! Sending a request: authentication, pacing, the attempt loop with its retries, and
//! the URL each attempt goes to. Decoding what comes back is in `decode.rs`; when to
//! retry is decided in `retry.rs`.

use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use tracing::Instrument;
use url::Url;

use super::auth::Credential;
use super::client::Client;
use super::error::{ApiError, Error, RateLimitError};
use super::operation::Operation;
use super::request::Request;
use super::response::{RateLimit, ResponseMeta};
use super::retry::{Decision, Outcome, decide};

/// Sends `request`, retrying as the client's [`RetryPolicy`](super::RetryPolicy)
/// allows, and returns the status, rate-limit headers and body of a 2xx response; any
/// other final status is an error.
pub(super) async fn execute(
    client: &Client,
    request: Request,
) -> Result<(ResponseMeta, Vec<u8>), Error> {
    let operation = request.operation;
    let span = tracing::info_span!(
        "pipedrive.request",
        operation = operation.id,
        method = operation.method.as_str(),
        path = operation.path,
        cost = operation.cost,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
    );
    execute_with_retries(client, request).instrument(span).await
}

async fn execute_with_retries(
    client: &Client,
    mut request: Request,
) -> Result<(ResponseMeta, Vec<u8>), Error> {
    let inner = &client.inner;
    let operation = request.operation;
    let body = request
        .body
        .take()
        .transpose()
        .map_err(|source| Error::Encode {
            operation: operation.id,
            source,
        })?;
    let policy = inner.retry;
    let mut retries = 0;
    let mut waited = Duration::ZERO;
    let mut refreshed = false;
    loop {
        if let Some(limiter) = &inner.limiter {
            limiter.acquire().await;
        }
        let (credential, domain) = inner.auth.credential(&inner.http).await?;
        if let Some(domain) = domain {
            set_base_url(client, &domain);
        }
        let span = tracing::Span::current();
        span.record("attempt", retries + 1);
        let generation = credential.generation;
        // Built for each attempt: a refresh may have moved the base URL.
        let url = url(client, &request)?;
        let (outcome, error, rate_limit) =
            match attempt(client, operation, url, body.clone(), credential).await {
                Ok((status, rate_limit, bytes)) => {
                    span.record("status", status);
                    if (200..300).contains(&status) {
                        return Ok((ResponseMeta { status, rate_limit }, bytes));
                    }
                    if status == 401 && inner.auth.is_oauth() && !refreshed {
                        // The token may have been revoked or expired early: refresh once, repeat once.
                        refreshed = true;
                        tracing::debug!("401 with an OAuth token: refreshing and repeating once");
                        if let Some(domain) = inner
                            .auth
                            .refresh_after_unauthorized(&inner.http, generation)
                            .await?
                        {
                            set_base_url(client, &domain);
                        }
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
                Err(source) => {
                    let outcome = Outcome::of_transport_error(&source);
                    let error = match outcome {
                        Outcome::TimedOut => Error::Timeout {
                            operation: operation.id,
                        },
                        _ => Error::Transport {
                            operation: operation.id,
                            source,
                        },
                    };
                    (outcome, error, RateLimit::default())
                }
            };
        let daily = matches!(&error, Error::RateLimited(e) if e.scope == super::error::RateLimitScope::Daily);
        let Decision::Retry { server_wait } = decide(operation.method, outcome, &rate_limit, daily)
        else {
            return Err(error);
        };
        let wait = server_wait.unwrap_or_else(|| policy.backoff(retries));
        if retries >= policy.max_retries || waited + wait > policy.max_total_wait {
            tracing::debug!(retries, "giving up: the retry budget is spent");
            return Err(error);
        }
        tracing::debug!(attempt = retries + 1, wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), error = %error, "retrying");
        tokio::time::sleep(wait).await;
        waited += wait;
        retries += 1;
    }
}

/// One attempt: the status, rate-limit headers and body, or why none arrived.
async fn attempt(
    client: &Client,
    operation: &Operation,
    url: Url,
    body: Option<Vec<u8>>,
    credential: Credential,
) -> Result<(u16, RateLimit, Vec<u8>), reqwest::Error> {
    let mut builder = client
        .inner
        .http
        .request(operation.method.to_reqwest(), url)
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .header(credential.name, credential.value);
    if let Some(body) = body {
        builder = builder
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body);
    }
    let response = builder.send().await?;
    let status = response.status().as_u16();
    let rate_limit = RateLimit::from_headers(response.headers());
    let body = response.bytes().await?.to_vec();
    Ok((status, rate_limit, body))
}

/// Moves the client to the `api_domain` an OAuth token response named.
fn set_base_url(client: &Client, domain: &str) {
    match Url::parse(domain) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && !url.cannot_be_a_base() => {
            tracing::debug!(base_url = %url, "switching to the API domain of the OAuth token response");
            match client.inner.base_url.write() {
                Ok(mut base) => *base = url,
                Err(poisoned) => *poisoned.into_inner() = url,
            }
        }
        _ => tracing::warn!(
            api_domain = domain,
            "ignoring an api_domain that is not an http(s) URL"
        ),
    }
}

/// The URL of `request` under the client's base URL.
fn url(client: &Client, request: &Request) -> Result<Url, Error> {
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
    use crate::runtime::operation::HttpMethod;

    #[test]
    fn path_values_are_percent_encoded_and_the_base_path_kept() {
        const OPERATION: Operation = Operation {
            id: "t",
            method: HttpMethod::Get,
            path: "/x/{key}",
            version: "v2",
            cost: 1,
        };
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
    }
}
