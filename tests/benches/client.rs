//! Per-request cost against a loopback server: the generated client against a
//! hand-written `reqwest` call decoded by `serde_json` into a plain struct, measured
//! side by side in one run. `cargo xtask bench` runs it and reports the ratios.
//!
//! - `request/single`: one organization, one call at a time;
//! - `request/in_flight_64`: 64 calls of one organization in flight at once;
//! - `request/page_100`, `request/page_500`: one page of that many organizations;
//! - `request/page_500_known_keys`: the same without the one key of Pipedrive's example
//!   that the model does not list, which the generated models keep and the
//!   hand-written struct drops: what keeping it costs.

#![allow(
    missing_docs,
    reason = "criterion's macros define undocumented functions"
)]

mod support;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use futures::future::join_all;
use support::{Bodies, Envelope, Hand, HandOrganization, PAGE_SIZES};

/// The calls in flight at once in the throughput case.
const IN_FLIGHT: usize = 64;

fn requests(c: &mut Criterion) {
    let address = support::serve(Bodies::Example);
    // One thread for the client and one for the server: the machine has two cores, and
    // a third busy thread would make the figures the scheduler's.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let generated = support::generated_client(address);
    let hand = Hand::new(address);
    let mut group = c.benchmark_group("request");

    group.bench_function(BenchmarkId::new("single", "generated"), |b| {
        b.to_async(&runtime).iter(|| async {
            let response = generated.organizations().get(1).await.expect("answered");
            assert_eq!(response.data.id, 1);
        });
    });
    group.bench_function(BenchmarkId::new("single", "hand"), |b| {
        b.to_async(&runtime).iter(|| async {
            let response: Envelope<HandOrganization> = hand.get("/api/v2/organizations/1").await;
            assert_eq!(response.data.id, 1);
        });
    });

    group.throughput(Throughput::Elements(IN_FLIGHT as u64));
    group.bench_function(BenchmarkId::new("in_flight_64", "generated"), |b| {
        b.to_async(&runtime).iter(|| async {
            let calls = (0..IN_FLIGHT).map(|_| generated.organizations().get(1).send());
            for response in join_all(calls).await {
                assert_eq!(response.expect("answered").data.id, 1);
            }
        });
    });
    group.bench_function(BenchmarkId::new("in_flight_64", "hand"), |b| {
        b.to_async(&runtime).iter(|| async {
            let calls =
                (0..IN_FLIGHT).map(|_| hand.get::<HandOrganization>("/api/v2/organizations/1"));
            for response in join_all(calls).await {
                assert_eq!(response.data.id, 1);
            }
        });
    });

    for size in PAGE_SIZES {
        group.throughput(Throughput::Elements(size as u64));
        let limit = i64::try_from(size).expect("small");
        let name = format!("page_{size}");
        group.bench_function(BenchmarkId::new(&name, "generated"), |b| {
            b.to_async(&runtime).iter(|| async {
                let page = generated
                    .organizations()
                    .list()
                    .limit(limit)
                    .await
                    .expect("answered");
                assert_eq!(page.data.items.len(), size);
            });
        });
        let path = format!("/api/v2/organizations?limit={size}");
        group.bench_function(BenchmarkId::new(&name, "hand"), |b| {
            b.to_async(&runtime).iter(|| async {
                let page: Envelope<Vec<HandOrganization>> = hand.get(&path).await;
                assert_eq!(page.data.len(), size);
            });
        });
    }
    let known = support::serve(Bodies::KnownKeys);
    let generated_known = support::generated_client(known);
    let hand_known = Hand::new(known);
    group.throughput(Throughput::Elements(500));
    group.bench_function(BenchmarkId::new("page_500_known_keys", "generated"), |b| {
        b.to_async(&runtime).iter(|| async {
            let page = generated_known
                .organizations()
                .list()
                .limit(500)
                .await
                .expect("answered");
            assert_eq!(page.data.items.len(), 500);
        });
    });
    group.bench_function(BenchmarkId::new("page_500_known_keys", "hand"), |b| {
        b.to_async(&runtime).iter(|| async {
            let page: Envelope<Vec<HandOrganization>> =
                hand_known.get("/api/v2/organizations?limit=500").await;
            assert_eq!(page.data.len(), 500);
        });
    });
    group.finish();
}

criterion_group!(benches, requests);

criterion_main!(benches);
