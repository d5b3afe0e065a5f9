//! What a hostile server can make a page stream hold in memory, measured with a counting
//! allocator (dhat), as `memory.rs` measures bodies: a cursor stream of many large,
//! unique cursors must not keep them.
//!
//! The allocator counts the whole process, so the tests in this file take turns.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use pipedrive::{Client, RetryPolicy};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

/// One measurement at a time: the counts are process-wide.
static TURN: Mutex<()> = Mutex::new(());

const MIB: usize = 1024 * 1024;

fn turn() -> std::sync::MutexGuard<'static, ()> {
    TURN.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The peak of heap bytes allocated while `call` ran, above what was live before it.
fn peak_during<T>(call: impl FnOnce() -> T) -> (T, usize) {
    let _profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get().curr_bytes;
    let value = call();
    let peak = dhat::HeapStats::get().max_bytes.saturating_sub(before);
    (value, peak)
}

/// Cursor number `n`: unique, and `size` bytes long.
fn cursor(n: usize, size: usize) -> String {
    let mut cursor = format!("{n:08}");
    cursor.push_str(&"x".repeat(size - cursor.len()));
    cursor
}

/// A loopback server whose organization pages chain their cursors
/// `0 → 1 → … → pages - 1`, each `size` bytes, and which keeps nothing of what it
/// served (wiremock keeps every request it matched): one request per connection, on a
/// thread and runtime of its own. Returns its URL and the count of pages served.
fn large_cursors(pages: usize, size: usize) -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    listener.set_nonblocking(true).expect("non-blocking");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let served = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&served);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    continue;
                };
                let mut head = Vec::new();
                let mut chunk = [0u8; 16 * 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut chunk).await {
                        Ok(0) | Err(_) => break,
                        Ok(read) => head.extend_from_slice(&chunk[..read]),
                    }
                }
                let target = String::from_utf8_lossy(&head)
                    .split(' ')
                    .nth(1)
                    .unwrap_or_default()
                    .to_owned();
                drop(head);
                let at = target
                    .split_once("cursor=")
                    .map_or(0, |(_, cursor)| cursor[..8].parse::<usize>().expect("a cursor"));
                drop(target);
                let next = (at + 1 < pages).then(|| cursor(at + 1, size));
                let body = json!({
                    "success": true,
                    "data": [{"id": at, "name": "Acme", "add_time": "2021-01-01T00:00:00Z", "update_time": "2021-01-02T00:00:00Z"}],
                    "additional_data": {"next_cursor": next},
                })
                .to_string();
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                count.fetch_add(1, Ordering::SeqCst);
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            }
        });
    });
    (url, served)
}

#[test]
fn a_cursor_stream_does_not_keep_the_cursors_it_followed() {
    let _turn = turn();
    let (pages, size) = (600, 60 * 1024);
    let (url, served) = large_cursors(pages, size);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = Client::builder()
        .api_token("t")
        .base_url(url)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let (walked, peak) = peak_during(|| {
        runtime.block_on(async {
            let mut stream = std::pin::pin!(client.organizations().list().pages());
            let mut walked = 0;
            while let Some(page) = stream.next().await {
                page.expect("a page");
                walked += 1;
            }
            walked
        })
    });
    assert_eq!(walked, pages);
    assert_eq!(served.load(Ordering::SeqCst), pages);
    // Keeping the cursors would take pages × size, 35 MiB; a page and the trail's
    // fingerprints take well under one.
    assert!(peak < 4 * MIB, "peak {peak} bytes");
}
