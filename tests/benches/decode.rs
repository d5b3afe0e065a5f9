//! Decoding a page of 500 organizations from bytes: into the generated models, into the
//! hand-written struct with the same fields, and into `serde_json::Value`, in one run.
//! Each decodes the same envelope type, so only the item type differs. The same page
//! without its one unlisted key shows what keeping unknown keys costs.

#![allow(
    missing_docs,
    reason = "criterion's macros define undocumented functions"
)]

mod support;

use pipedrive::FromJson as _;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use support::{Envelope, HandOrganization};

fn decoding(c: &mut Criterion) {
    let body = support::page_body(500);
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Elements(500));
    group.bench_function(BenchmarkId::new("page_500", "generated"), |b| {
        b.iter(|| {
            let page =
                pipedrive::CursorPage::<pipedrive::organizations::Organization>::from_json(&body)
                    .expect("decodes");
            assert!(page.failed.is_empty());
            page
        });
    });
    group.bench_function(BenchmarkId::new("page_500", "hand"), |b| {
        b.iter(|| {
            let page: Envelope<Vec<HandOrganization>> =
                serde_json::from_slice(&body).expect("decodes");
            assert!(page.success);
            page
        });
    });
    group.bench_function(BenchmarkId::new("page_500", "value"), |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(&body).expect("decodes"));
    });
    // The same page without the key the model does not list: what keeping it costs.
    let known = support::page_body_known_keys(500);
    group.bench_function(BenchmarkId::new("page_500_known_keys", "generated"), |b| {
        b.iter(|| {
            let page =
                pipedrive::CursorPage::<pipedrive::organizations::Organization>::from_json(&known)
                    .expect("decodes");
            assert!(page.failed.is_empty());
            page
        });
    });
    group.bench_function(BenchmarkId::new("page_500_known_keys", "hand"), |b| {
        b.iter(|| {
            let page: Envelope<Vec<HandOrganization>> =
                serde_json::from_slice(&known).expect("decodes");
            assert!(page.success);
            page
        });
    });
    group.finish();
}

criterion_group!(benches, decoding);
criterion_main!(benches);
