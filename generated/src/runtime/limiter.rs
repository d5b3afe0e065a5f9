//! An optional client-side limiter that paces requests to a burst budget per rolling
//! window, so a busy caller stays under Pipedrive's per-token burst limit instead of
//! collecting 429s.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Pipedrive's burst limits count requests over a rolling 2 seconds.
pub(crate) const WINDOW: Duration = Duration::from_secs(2);

/// Lets at most `burst` requests start in any `window`.
#[derive(Debug)]
pub(crate) struct BurstLimiter {
    burst: usize,
    window: Duration,
    /// When each request of the current window started, oldest first.
    started: Mutex<VecDeque<Instant>>,
}

impl BurstLimiter {
    pub(crate) fn new(burst: u32, window: Duration) -> Self {
        let burst = usize::try_from(burst.max(1)).unwrap_or(usize::MAX);
        Self {
            burst,
            window,
            started: Mutex::new(VecDeque::with_capacity(burst)),
        }
    }

    /// Waits until a request may start, and counts it. Waiters are served in order: the
    /// lock is fair and is held while waiting.
    pub(crate) async fn acquire(&self) {
        let mut started = self.started.lock().await;
        loop {
            let now = Instant::now();
            while started
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.window)
            {
                started.pop_front();
            }
            if started.len() < self.burst {
                started.push_back(now);
                return;
            }
            if let Some(oldest) = started.front() {
                tokio::time::sleep_until(*oldest + self.window).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Virtual time: `start_paused` makes `sleep` advance a test clock, not the wall clock.
    #[tokio::test(start_paused = true)]
    async fn holds_back_the_request_beyond_the_burst_until_the_window_rolls() {
        let limiter = BurstLimiter::new(2, WINDOW);
        let start = Instant::now();
        limiter.acquire().await;
        limiter.acquire().await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        limiter.acquire().await;
        assert_eq!(start.elapsed(), WINDOW);
        limiter.acquire().await;
        assert_eq!(
            start.elapsed(),
            WINDOW,
            "the second slot of the new window is free"
        );
        limiter.acquire().await;
        assert_eq!(start.elapsed(), WINDOW * 2);
    }
}
