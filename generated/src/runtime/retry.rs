//! When a failed attempt is tried again, and how long to wait first.
//!
//! The rules, in order:
//! - a 429 is retried for every method: Pipedrive rejected the request before acting on
//!   it; but a 429 that spent the company's *daily* budget fails at once, since waiting
//!   hours is never what a caller wants;
//! - a connection that could not be made is retried for every method: nothing was sent;
//! - 502, 503, 504 and other transport failures are retried only for `GET`, because a
//!   `POST`, `PUT`, `PATCH` or `DELETE` may already have taken effect (Pipedrive has no
//!   idempotency keys);
//! - a timeout is never retried: a server too slow once is likely too slow again;
//! - waits grow exponentially with full jitter, honour `Retry-After` and
//!   `x-ratelimit-reset`, and stop when the next wait would exceed the total budget.

use std::time::Duration;

use super::operation::HttpMethod;
use super::response::RateLimit;

/// How a client retries failed requests. [`RetryPolicy::default`] retries up to 3 times
/// and waits at most 60 seconds in all.
///
/// ```
/// use std::time::Duration;
/// use pipedrive::{Client, RetryPolicy};
///
/// let patient = RetryPolicy::default().max_retries(5).max_total_wait(Duration::from_secs(120));
/// let client = Client::builder().api_token("token").retry_policy(patient).build()?;
/// let impatient = Client::builder().api_token("token").retry_policy(RetryPolicy::none()).build()?;
/// # Ok::<(), pipedrive::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying.
    pub max_retries: u32,
    /// The wait before the first retry, doubled for each further one (before jitter).
    pub base_delay: Duration,
    /// The longest single backoff wait. A wait the server names (`Retry-After`,
    /// `x-ratelimit-reset`) is not cut to it; only `max_total_wait` bounds that.
    pub max_delay: Duration,
    /// The longest total time spent waiting for one call; a retry that would need more
    /// is not made and the last error is returned.
    pub max_total_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_total_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry: the first failure is the call's error.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), pipedrive::Error> {
    /// use pipedrive::RetryPolicy;
    /// use pipedrive::mock::MockServer;
    ///
    /// let mock = MockServer::start().await;
    /// mock.organizations().get(1).times(1).fails(503, "Service unavailable").await;
    /// let client = mock.client_builder().retry_policy(RetryPolicy::none()).build()?;
    /// // One request, and its 503 comes back at once.
    /// assert_eq!(client.organizations().get(1).await.unwrap_err().status(), Some(503));
    /// # Ok(())
    /// # }
    /// ```
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Whether one more retry fits, after `retries` of them, when it would bring the
    /// time waited to `total`: a wait that ends exactly at the budget still fits.
    pub(crate) fn allows(&self, retries: u32, total: Duration) -> bool {
        retries < self.max_retries && total <= self.max_total_wait
    }

    /// Sets [`max_retries`](Self::max_retries).
    ///
    /// ```
    /// let policy = pipedrive::RetryPolicy::default().max_retries(5);
    /// let client = pipedrive::Client::builder().api_token("token").retry_policy(policy).build()?;
    /// # let _ = client;
    /// # Ok::<(), pipedrive::Error>(())
    /// ```
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Sets [`base_delay`](Self::base_delay).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// // Waits of up to 0.2 s, 0.4 s, 0.8 s before the retries, unless the server
    /// // names a wait (`Retry-After`), which is taken instead.
    /// let policy = pipedrive::RetryPolicy::default().base_delay(Duration::from_millis(200));
    /// # let _ = policy;
    /// ```
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets [`max_delay`](Self::max_delay).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let policy = pipedrive::RetryPolicy::default().max_retries(8).max_delay(Duration::from_secs(5));
    /// # let _ = policy;
    /// ```
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets [`max_total_wait`](Self::max_total_wait).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// // Behind a web request: better an error after 5 s than a user left waiting.
    /// let policy = pipedrive::RetryPolicy::default().max_total_wait(Duration::from_secs(5));
    /// # let _ = policy;
    /// ```
    pub fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// The backoff wait before retry number `retry` (0-based), with full jitter:
    /// uniformly between zero and `base_delay * 2^retry`, capped at `max_delay`.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_delay);
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(fastrand::u64(0..=millis))
    }
}

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The server answered with this status.
    Status(u16),
    /// The connection could not be made; nothing was sent.
    ConnectFailed,
    /// The request or its response failed in transit; the server may have acted.
    TransportFailed,
    /// No response within the timeout.
    TimedOut,
}

impl Outcome {
    /// The outcome of an attempt that got no response.
    pub(crate) fn of_transport_error(error: &reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::TimedOut
        } else if error.is_connect() {
            Self::ConnectFailed
        } else {
            Self::TransportFailed
        }
    }
}

/// Whether a 429 spent the company's daily budget rather than the burst window: the
/// `x-daily-requests-left: 0` header, or an error message that says so.
pub(crate) fn is_daily_budget(rate_limit: &RateLimit, error: Option<&str>) -> bool {
    rate_limit.daily_requests_left == Some(0)
        || error.is_some_and(|e| e.to_ascii_lowercase().contains("daily"))
}

/// Whether to retry, and after how long at least.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Do not retry.
    Stop,
    /// Retry, after the server's requested wait when it named one.
    Retry { server_wait: Option<Duration> },
}

/// Decides for one attempt. `daily_budget_spent` says a 429 came from the daily budget.
pub(crate) fn decide(
    method: HttpMethod,
    outcome: Outcome,
    rate_limit: &RateLimit,
    daily_budget_spent: bool,
) -> Decision {
    let safe = method == HttpMethod::Get;
    match outcome {
        Outcome::Status(429) if daily_budget_spent => Decision::Stop,
        Outcome::Status(429) => Decision::Retry {
            server_wait: server_wait(rate_limit),
        },
        Outcome::Status(502..=504) if safe => Decision::Retry {
            server_wait: rate_limit.retry_after.map(Duration::from_secs),
        },
        Outcome::ConnectFailed => Decision::Retry { server_wait: None },
        Outcome::TransportFailed if safe => Decision::Retry { server_wait: None },
        _ => Decision::Stop,
    }
}

/// `Retry-After` if present, else `x-ratelimit-reset`.
pub(crate) fn server_wait(rate_limit: &RateLimit) -> Option<Duration> {
    rate_limit
        .retry_after
        .or(rate_limit.reset)
        .map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use HttpMethod::*;

    fn limits(retry_after: Option<u64>, reset: Option<u64>) -> RateLimit {
        RateLimit {
            retry_after,
            reset,
            ..RateLimit::default()
        }
    }

    #[test]
    fn only_get_retries_what_may_have_taken_effect() {
        let none = RateLimit::default();
        for method in [Post, Put, Patch, Delete] {
            assert_eq!(
                decide(method, Outcome::Status(503), &none, false),
                Decision::Stop,
                "{method:?}"
            );
            assert_eq!(
                decide(method, Outcome::Status(500), &none, false),
                Decision::Stop
            );
            assert_eq!(
                decide(method, Outcome::TransportFailed, &none, false),
                Decision::Stop
            );
            assert_eq!(
                decide(method, Outcome::ConnectFailed, &none, false),
                Decision::Retry { server_wait: None }
            );
            assert_eq!(
                decide(method, Outcome::Status(429), &none, false),
                Decision::Retry { server_wait: None }
            );
        }
        for status in [502, 503, 504] {
            assert_eq!(
                decide(Get, Outcome::Status(status), &none, false),
                Decision::Retry { server_wait: None }
            );
        }
        assert_eq!(
            decide(Get, Outcome::Status(500), &none, false),
            Decision::Stop
        );
        assert_eq!(
            decide(Get, Outcome::Status(404), &none, false),
            Decision::Stop
        );
        assert_eq!(
            decide(Get, Outcome::TransportFailed, &none, false),
            Decision::Retry { server_wait: None }
        );
        assert_eq!(
            decide(Get, Outcome::ConnectFailed, &none, false),
            Decision::Retry { server_wait: None }
        );
        assert_eq!(decide(Get, Outcome::TimedOut, &none, false), Decision::Stop);
    }

    #[test]
    fn rate_limits_name_the_wait_and_the_daily_budget_fails_fast() {
        let wait = |retry_after, reset| match decide(
            Get,
            Outcome::Status(429),
            &limits(retry_after, reset),
            false,
        ) {
            Decision::Retry { server_wait } => server_wait,
            Decision::Stop => panic!("429 must be retried"),
        };
        assert_eq!(wait(Some(3), Some(1)), Some(Duration::from_secs(3)));
        assert_eq!(wait(None, Some(2)), Some(Duration::from_secs(2)));
        assert_eq!(
            decide(Get, Outcome::Status(429), &limits(Some(1), None), true),
            Decision::Stop
        );
        for status in [502, 503, 504] {
            assert_eq!(
                decide(Get, Outcome::Status(status), &limits(Some(7), None), false),
                Decision::Retry {
                    server_wait: Some(Duration::from_secs(7))
                },
                "a {status} with Retry-After is retried after it"
            );
        }
        assert_eq!(
            decide(
                Get,
                Outcome::Status(429),
                &limits(Some(u64::MAX), None),
                false
            ),
            Decision::Retry {
                server_wait: Some(Duration::from_secs(u64::MAX))
            },
            "an absurd wait is a wait, which the budget then refuses"
        );
    }

    #[test]
    fn the_daily_budget_shows_in_the_header_or_the_message() {
        let headers = RateLimit {
            daily_requests_left: Some(0),
            ..RateLimit::default()
        };
        assert!(is_daily_budget(&headers, None), "the header alone");
        assert!(
            is_daily_budget(&RateLimit::default(), Some("Daily request budget exceeded")),
            "the message alone"
        );
        assert!(!is_daily_budget(
            &RateLimit {
                daily_requests_left: Some(3),
                ..RateLimit::default()
            },
            Some("Too many requests")
        ));
        assert!(!is_daily_budget(&RateLimit::default(), None));
    }

    #[test]
    fn the_budget_counts_retries_and_the_time_waited() {
        let policy = RetryPolicy::default()
            .max_retries(2)
            .max_total_wait(Duration::from_secs(10));
        assert!(policy.allows(0, Duration::ZERO));
        assert!(
            policy.allows(1, Duration::from_secs(10)),
            "a wait that ends at the budget fits"
        );
        assert!(!policy.allows(1, Duration::from_millis(10_001)));
        assert!(
            !policy.allows(2, Duration::ZERO),
            "two retries were the most"
        );
        assert!(!RetryPolicy::none().allows(0, Duration::ZERO));
    }

    #[test]
    fn none_never_retries_and_the_default_does() {
        assert_eq!(RetryPolicy::none().max_retries, 0);
        assert!(RetryPolicy::default().max_retries > 0);
    }

    #[test]
    fn backoff_is_jittered_under_a_growing_capped_ceiling() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(250),
            ..RetryPolicy::default()
        };
        for _ in 0..100 {
            assert!(policy.backoff(0) <= Duration::from_millis(100));
            assert!(policy.backoff(1) <= Duration::from_millis(200));
            assert!(policy.backoff(5) <= Duration::from_millis(250));
            assert!(policy.backoff(40) <= Duration::from_millis(250));
        }
        // Full jitter draws from the whole range: over 200 draws, the ceiling's growth shows.
        let longest = |retry| (0..200).map(|_| policy.backoff(retry)).max().unwrap();
        assert!(
            longest(0) > Duration::from_millis(50),
            "draws spread up to the first ceiling"
        );
        assert!(
            longest(1) > Duration::from_millis(100),
            "the ceiling doubles after the first retry"
        );
        assert!(
            longest(5) > Duration::from_millis(200),
            "and is capped at max_delay, not below it"
        );
        let huge = RetryPolicy {
            base_delay: Duration::MAX,
            max_delay: Duration::MAX,
            ..RetryPolicy::default()
        };
        assert!(
            huge.backoff(u32::MAX) <= Duration::MAX,
            "saturates instead of overflowing"
        );
    }

    #[test]
    fn the_delay_setters_set_their_delay() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(7))
            .max_delay(Duration::from_millis(70));
        assert_eq!(
            (policy.base_delay, policy.max_delay),
            (Duration::from_millis(7), Duration::from_millis(70))
        );
    }
}
