//! Logging through `tracing` when the `tracing` feature is on (the default), and
//! nothing at all when it is off: the runtime logs through these, never `tracing` itself.

#[cfg(feature = "tracing")]
macro_rules! debug {
    ($($arg:tt)*) => { ::tracing::debug!($($arg)*) };
}

#[cfg(not(feature = "tracing"))]
macro_rules! debug {
    ($($arg:tt)*) => {};
}

#[cfg(feature = "tracing")]
macro_rules! warning {
    ($($arg:tt)*) => { ::tracing::warn!($($arg)*) };
}

#[cfg(not(feature = "tracing"))]
macro_rules! warning {
    ($($arg:tt)*) => {};
}

pub(crate) use {debug, warning};

use super::operation::Operation;

/// The span a call runs in: `pipedrive.request`, with the operation's facts and, as they
/// become known, the attempt and the status. `path` and `cost` are the operation's,
/// unless the call has its own (a raw call's path as written, and the cost its caller
/// gave).
#[cfg(feature = "tracing")]
pub(crate) fn request_span(operation: &Operation, path: &str, cost: u32) -> tracing::Span {
    tracing::info_span!(
        "pipedrive.request",
        operation = operation.id,
        method = operation.method.as_str(),
        path,
        cost,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
    )
}

/// Records a field of the current request span.
#[cfg(feature = "tracing")]
pub(crate) fn record(field: &'static str, value: u64) {
    tracing::Span::current().record(field, value);
}

#[cfg(not(feature = "tracing"))]
pub(crate) fn record(_field: &'static str, _value: u64) {}

/// Runs `call` inside `operation`'s request span, with `path` and `cost` as the span
/// shows them.
pub(crate) async fn in_request_span<F: std::future::Future>(
    operation: &Operation,
    path: &str,
    cost: u32,
    call: F,
) -> F::Output {
    #[cfg(feature = "tracing")]
    {
        use tracing::Instrument;
        call.instrument(request_span(operation, path, cost)).await
    }
    #[cfg(not(feature = "tracing"))]
    {
        let _ = (operation, path, cost);
        call.await
    }
}
