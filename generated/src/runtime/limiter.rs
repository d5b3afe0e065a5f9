//! An optional client-side limiter that keeps a client under Pipedrive's burst limit
//! instead of collecting 429s from it.
//!
//! Pipedrive counts requests *as they arrive* over a rolling window. The client cannot
//! see arrivals, only when it sent a request and when the answer came back, and a request
//! sent at one moment may arrive much later (a slow connection, a queue in a proxy). So
//! the limiter counts a request from the moment it is sent until one window after its
//! answer (or failure) came back: a slot is a permit, held through the request and handed
//! back `window` after it ends. Any request the server counted in the last window still
//! holds its permit, so the server never counts more than `burst` in one window.
//!
//! Every request counts, as the server counts it: each attempt of a call, and each
//! redirect hop of an attempt (`transport.rs` takes a slot for each).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Pipedrive's burst limits count requests over a rolling 2 seconds.
pub(crate) const WINDOW: Duration = Duration::from_secs(2);

/// Lets at most `burst` requests be counted in any `window`.
#[derive(Debug)]
pub(crate) struct BurstLimiter {
    permits: Arc<Semaphore>,
    window: Duration,
}

/// The right to send one request. Dropping it hands the permit back one window later.
#[derive(Debug)]
pub(crate) struct Slot {
    permit: Option<OwnedSemaphorePermit>,
    window: Duration,
}

impl BurstLimiter {
    pub(crate) fn new(burst: u32, window: Duration) -> Self {
        let burst = usize::try_from(burst)
            .unwrap_or(usize::MAX)
            .clamp(1, Semaphore::MAX_PERMITS);
        Self {
            permits: Arc::new(Semaphore::new(burst)),
            window,
        }
    }

    /// Waits until a request may be sent. Waiters are served in the order they came: the
    /// semaphore is fair.
    pub(crate) async fn acquire(&self) -> Slot {
        // The semaphore is never closed, so this always gets a permit.
        let permit = Arc::clone(&self.permits).acquire_owned().await.ok();
        Slot {
            permit,
            window: self.window,
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let Some(permit) = self.permit.take() else {
            return;
        };
        let window = self.window;
        // Without a runtime no further request can be sent, so nothing is left to pace.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                tokio::time::sleep(window).await;
                drop(permit);
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::Instant;

    /// Virtual time: `start_paused` makes `sleep` advance a test clock, not the wall clock.
    #[tokio::test(start_paused = true)]
    async fn a_slot_is_free_again_one_window_after_its_request_ended() {
        let limiter = BurstLimiter::new(2, WINDOW);
        let start = Instant::now();
        let first = limiter.acquire().await;
        let second = limiter.acquire().await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        // The first request takes a second; its slot comes back a window after that.
        tokio::time::sleep(Duration::from_secs(1)).await;
        drop(first);
        let third = limiter.acquire().await;
        assert_eq!(start.elapsed(), Duration::from_secs(1) + WINDOW);
        drop(second);
        drop(third);
        let _fourth = limiter.acquire().await;
        assert_eq!(
            start.elapsed(),
            Duration::from_secs(1) + WINDOW * 2,
            "the second slot came back a window after the third ended"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_still_in_flight_holds_its_slot() {
        let limiter = BurstLimiter::new(1, WINDOW);
        let slow = limiter.acquire().await;
        let waiting = tokio::time::timeout(WINDOW * 10, limiter.acquire()).await;
        assert!(waiting.is_err(), "no slot while the only one is held");
        drop(slow);
        let start = Instant::now();
        let _next = limiter.acquire().await;
        assert_eq!(start.elapsed(), WINDOW);
    }

    #[test]
    fn a_zero_burst_still_lets_requests_through_one_at_a_time() {
        assert_eq!(BurstLimiter::new(0, WINDOW).permits.available_permits(), 1);
        assert_eq!(
            BurstLimiter::new(u32::MAX, WINDOW)
                .permits
                .available_permits(),
            usize::try_from(u32::MAX).unwrap()
        );
    }
}
