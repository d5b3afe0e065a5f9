//! What several end-to-end test files set up the same way.

#![allow(dead_code, reason = "each test file uses the part it needs")]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use pipedrive::RetryPolicy;
use serde_json::json;

/// The default policy with up to `max_retries` retries and a 1 ms base delay, so tests
/// that retry do not wait.
pub fn fast(max_retries: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(max_retries)
        .base_delay(Duration::from_millis(1))
}

/// The smallest organization the model accepts: its required fields.
pub fn organization_json(id: i64) -> serde_json::Value {
    json!({"id": id, "name": "Acme", "add_time": "2021-01-01T00:00:00Z", "update_time": "2021-01-02T00:00:00Z"})
}

/// `{"success": true, "data": <organization_json(id)>}`.
pub fn organization_body(id: i64) -> serde_json::Value {
    json!({"success": true, "data": organization_json(id)})
}

/// A `tracing` writer that keeps everything in memory.
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
