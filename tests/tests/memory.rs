//! What a hostile server can make the client hold in memory, measured with a counting
//! allocator (dhat): bodies that are huge, lie about their length or never end, and a
//! small page of many tiny items. Each test also counts what the server sent.
//!
//! The allocator counts the whole process, so the tests in this file take turns.

use std::sync::{Arc, Mutex};

use pipedrive::{Client, Error, RetryPolicy};
use tests::wire::{Reply, Wire, response};

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

/// One measurement at a time: the counts are process-wide.
static TURN: Mutex<()> = Mutex::new(());

const MIB: usize = 1024 * 1024;

/// Waits for this test's turn, which lasts until the guard drops: a test's setup
/// allocates too, and must not count in another's measurement.
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

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn client(server: &Wire, limit: Option<u64>) -> Client {
    let builder = Client::builder()
        .api_token("t")
        .base_url(server.url())
        .retry_policy(RetryPolicy::none());
    let builder = match limit {
        Some(limit) => builder.max_response_bytes(limit),
        None => builder,
    };
    builder.build().expect("client")
}

/// Sends `getOrganization` to `server` and returns what came back and the peak heap.
fn get(
    server: &Wire,
    limit: Option<u64>,
) -> (Result<pipedrive::ids::OrganizationId, Error>, usize) {
    let runtime = runtime();
    let client = client(server, limit);
    peak_during(|| {
        runtime.block_on(async { client.organizations().get(1).send().await.map(|org| org.id) })
    })
}

fn json_head(extra: &str) -> String {
    format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{extra}\r\n")
}

#[test]
fn a_body_longer_than_the_limit_stops_at_the_limit() {
    let _turn = turn();
    // Content-Length says 256 MiB and the body means it.
    let chunk: Arc<[u8]> = vec![b' '; 64 * 1024].into();
    let claimed = 256 * MIB;
    let server = Wire::start(move |_, _| Reply::Stream {
        head: json_head(&format!("content-length: {claimed}\r\n")),
        chunk: Arc::clone(&chunk),
        count: Some((claimed / chunk.len()) as u64),
    });
    let (result, peak) = get(&server, Some(MIB as u64));
    assert!(
        matches!(result, Err(Error::TooLarge { operation: "getOrganization", limit }) if limit == MIB as u64),
        "{result:?}"
    );
    // Refused on its Content-Length, before a buffer for it was made.
    assert!(peak < MIB / 2, "peak {peak} bytes");
}

#[test]
fn a_body_that_lies_about_its_length_or_never_ends_stops_at_the_limit() {
    let _turn = turn();
    let chunk = vec![b' '; 64 * 1024];
    for head in [
        // Chunked, and endless: each chunk is a 64 KiB chunk of the encoding.
        json_head("transfer-encoding: chunked\r\n"),
        // No length at all: the body runs until the connection closes, which it never does.
        json_head("connection: close\r\n"),
    ] {
        let chunked = head.contains("chunked");
        let body: Arc<[u8]> = if chunked {
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            framed.into()
        } else {
            chunk.clone().into()
        };
        let server = Wire::start(move |_, _| Reply::Stream {
            head: head.clone(),
            chunk: Arc::clone(&body),
            count: None,
        });
        let (result, peak) = get(&server, Some(MIB as u64));
        assert!(
            matches!(result, Err(Error::TooLarge { .. })),
            "chunked {chunked}: {result:?}"
        );
        assert!(peak < 4 * MIB, "chunked {chunked}: peak {peak} bytes");
        // The client stopped reading: the server got through its socket buffers, no more.
        assert!(
            server.log().bytes_sent < 64 * MIB as u64,
            "chunked {chunked}: {} bytes sent",
            server.log().bytes_sent
        );
    }
}

#[test]
fn the_default_limit_is_32_mib() {
    let _turn = turn();
    let chunk: Arc<[u8]> = vec![b' '; 64 * 1024].into();
    let server = Wire::start(move |_, _| Reply::Stream {
        head: json_head("connection: close\r\n"),
        chunk: Arc::clone(&chunk),
        count: None,
    });
    let (result, peak) = get(&server, None);
    assert!(
        matches!(
            result,
            Err(Error::TooLarge {
                limit: 33_554_432,
                ..
            })
        ),
        "{result:?}"
    );
    assert!(peak < 40 * MIB, "peak {peak} bytes");
}

#[test]
fn a_body_under_the_limit_is_held_once() {
    let _turn = turn();
    // 8 MiB of whitespace, then a value that does not decode: the body is read whole,
    // then decoded and refused.
    let mut body = vec![b' '; 8 * MIB];
    body.extend_from_slice(b"[]");
    let reply: Arc<[u8]> = response(200, &[], &body).into();
    let server = Wire::start(move |_, _| Reply::Shared(Arc::clone(&reply)));
    let (result, peak) = get(&server, Some(16 * MIB as u64));
    assert!(matches!(result, Err(Error::Decode(_))), "{result:?}");
    // One copy is 8 MiB; two would be 16.
    assert!(peak < 12 * MIB, "peak {peak} bytes");
}

#[test]
fn a_page_of_too_many_items_fails_while_it_decodes() {
    let _turn = turn();
    // 3 MB of the smallest items that decode, 25 000 of them.
    let item = r#"{"id":1,"name":"a","add_time":"2021-01-01T00:00:00Z","update_time":"2021-01-01T00:00:00Z"}"#;
    let items = vec![item; 3_000_000 / item.len()].join(",");
    let body =
        format!(r#"{{"success":true,"data":[{items}],"additional_data":{{"next_cursor":null}}}}"#)
            .into_bytes();
    let size = body.len();
    let reply: Arc<[u8]> = response(200, &[], &body).into();
    let server = Wire::start(move |_, _| Reply::Shared(Arc::clone(&reply)));
    let runtime = runtime();
    let client = client(&server, None);
    let (result, peak) = peak_during(|| {
        runtime.block_on(async {
            client
                .organizations()
                .list()
                .send()
                .await
                .map(|page| page.items.len())
        })
    });
    let Err(Error::Decode(error)) = result else {
        panic!("expected a decode error, got {result:?}")
    };
    assert_eq!(error.path, "data[1000]");
    assert!(
        error.message.contains("more than 1000 items"),
        "{}",
        error.message
    );
    // The body, and a thousand items at most; 25 000 would take several times as much.
    let organization = std::mem::size_of::<pipedrive::organizations::Organization>();
    assert!(
        peak < size + 2_000 * organization + 2 * MIB,
        "peak {peak} bytes for a {size}-byte body, items of {organization} bytes"
    );
}

/// One item whose list nests millions of entries: small on the wire for what it becomes
/// in memory. The page cap counts items, not what they hold; the entry budget counts
/// list entries and object members at every depth, so decoding stops at the budget.
#[test]
fn entries_nested_inside_an_item_draw_on_one_budget() {
    let _turn = turn();
    const ENTRIES: usize = 4_000_000;
    let labels = vec!["1"; ENTRIES].join(",");
    let nested = vec!["{}"; ENTRIES / 4].join(",");
    for (name, item) in [
        (
            "a typed list",
            format!(r#"{{"id":1,"label_ids":[{labels}]}}"#),
        ),
        (
            "an unknown key",
            format!(r#"{{"id":1,"unlisted":[{nested}]}}"#),
        ),
    ] {
        let body = format!(r#"{{"success":true,"data":{item}}}"#).into_bytes();
        let size = body.len();
        let reply: Arc<[u8]> = response(200, &[], &body).into();
        let server = Wire::start(move |_, _| Reply::Shared(Arc::clone(&reply)));
        let runtime = runtime();
        for (budget, client) in [
            (250_000, client(&server, None)),
            (
                1_000,
                Client::builder()
                    .api_token("t")
                    .base_url(server.url())
                    .retry_policy(RetryPolicy::none())
                    .max_decoded_entries(1_000)
                    .build()
                    .expect("client"),
            ),
        ] {
            let (result, peak) = peak_during(|| {
                runtime.block_on(async { client.organizations().get(1).send().await })
            });
            let Err(Error::Decode(error)) = result else {
                panic!("{name}, budget {budget}: expected a decode error, got {result:?}")
            };
            assert!(
                error.message.contains("max_decoded_entries"),
                "{name}: {}",
                error.message
            );
            // The body, once, and what the budget allows, with room to spare; the whole
            // list would take hundreds of megabytes.
            assert!(
                peak < size + budget * 64 + 2 * MIB,
                "{name}, budget {budget}: peak {peak} bytes for a {size}-byte body"
            );
        }
    }
}
