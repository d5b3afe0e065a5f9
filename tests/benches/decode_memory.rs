//! Allocations and retained memory of decoding a page of 500 organizations: the generated
//! models, the hand-written struct with the same fields, and `serde_json::Value`,
//! counted by dhat's allocator. The counts are exact, not timed, so one run each is the
//! figure. `cargo xtask bench` prints its table.

mod support;

use pipedrive::FromJson as _;

use support::{Envelope, HandOrganization};

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

/// Allocations made while decoding, and bytes still held by the decoded page.
fn measure<T>(decode: impl FnOnce() -> T) -> (u64, u64) {
    let before = dhat::HeapStats::get();
    let value = decode();
    let after = dhat::HeapStats::get();
    drop(value);
    let blocks = after.total_blocks.saturating_sub(before.total_blocks);
    let retained = (after.curr_bytes as u64).saturating_sub(before.curr_bytes as u64);
    (blocks, retained)
}

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let body = support::page_body(500);
    let generated = measure(|| {
        pipedrive::CursorPage::<pipedrive::organizations::Organization>::from_json(&body)
            .expect("decodes")
    });
    let hand = measure(|| {
        serde_json::from_slice::<Envelope<Vec<HandOrganization>>>(&body).expect("decodes")
    });
    let value = measure(|| serde_json::from_slice::<serde_json::Value>(&body).expect("decodes"));
    println!("| decoded into | allocations | ratio | retained | ratio |");
    println!("|---|---|---|---|---|");
    for (name, (blocks, bytes)) in [("generated", generated), ("hand", hand), ("value", value)] {
        println!(
            "| {name} | {blocks} | {:.2}× | {:.0} KB | {:.2}× |",
            blocks as f64 / hand.0 as f64,
            bytes as f64 / 1000.0,
            bytes as f64 / hand.1 as f64
        );
    }
}
