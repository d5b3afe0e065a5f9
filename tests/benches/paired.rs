//! The ratios of the generated client to the hand-written baseline, measured in pairs:
//! each round times a batch of one side and then a batch of the other (the order
//! alternating), and the figure is the median over rounds of the ratio within a round.
//! A machine that slows down for a while slows both sides of the rounds it touches, so
//! the ratio stays put where two separate criterion runs would drift apart. Criterion
//! (`client.rs`, `decode.rs`) gives the absolute times; this gives the ratios.
//!
//! Run by `cargo xtask bench`; `cargo test` runs one short round of each case.

mod support;

use pipedrive::FromJson as _;

use std::future::Future;
use std::time::{Duration, Instant};

use futures::future::join_all;
use support::{Bodies, Envelope, Hand, HandOrganization};

/// Rounds per case when benchmarking; an odd count, so the median is a round's.
const ROUNDS: usize = 31;
/// How long one side's batch runs in a round, roughly.
const BATCH: Duration = Duration::from_millis(40);

/// One case's figures: the median time of one call on each side, and the median and
/// quartiles of the per-round ratio.
struct Figures {
    generated: Duration,
    hand: Duration,
    ratio: f64,
    low: f64,
    high: f64,
}

fn median<T: Copy + PartialOrd>(values: &mut [T]) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    values[values.len() / 2]
}

/// Times `iterations` runs of `call`, per run.
fn batch(iterations: u32, call: &mut impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iterations {
        call();
    }
    start.elapsed() / iterations
}

fn paired(rounds: usize, mut generated: impl FnMut(), mut hand: impl FnMut()) -> Figures {
    // Warm both up, and size a batch from the generated side's speed.
    let warm = batch(3, &mut generated).max(batch(3, &mut hand));
    let iterations = u32::try_from(BATCH.as_nanos() / warm.as_nanos().max(1))
        .unwrap_or(u32::MAX)
        .clamp(1, 100_000);
    let iterations = if rounds == 1 { 1 } else { iterations };
    let mut times = (Vec::new(), Vec::new());
    let mut ratios = Vec::new();
    for round in 0..rounds {
        let (g, h) = if round % 2 == 0 {
            let g = batch(iterations, &mut generated);
            (g, batch(iterations, &mut hand))
        } else {
            let h = batch(iterations, &mut hand);
            (batch(iterations, &mut generated), h)
        };
        times.0.push(g);
        times.1.push(h);
        ratios.push(g.as_secs_f64() / h.as_secs_f64());
    }
    let mut sorted = ratios.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    Figures {
        generated: median(&mut times.0),
        hand: median(&mut times.1),
        ratio: median(&mut ratios),
        low: sorted[sorted.len() / 4],
        high: sorted[sorted.len() * 3 / 4],
    }
}

fn main() {
    let rounds = if std::env::args().any(|arg| arg == "--bench") {
        ROUNDS
    } else {
        1
    };
    // One thread for the client and one for the server: the machine has two cores, and
    // a third busy thread would make the figures the scheduler's.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let run = |future: std::pin::Pin<Box<dyn Future<Output = ()> + '_>>| runtime.block_on(future);

    let mut rows = Vec::new();
    let mut sizes = None;
    for bodies in [Bodies::Example, Bodies::KnownKeys] {
        let address = support::serve(bodies);
        let generated = support::generated_client(address);
        let hand = Hand::new(address);
        let cases: &[(&str, usize)] = match bodies {
            Bodies::Example => &[("page_100", 100), ("page_500", 500)],
            Bodies::KnownKeys => &[("page_500_known_keys", 500)],
        };
        if bodies == Bodies::Example {
            // What each call keeps in flight: its future's size.
            let generated_call = generated.organizations().get(1).send();
            let hand_call = hand.get::<HandOrganization>("/api/v2/organizations/1");
            sizes = Some((
                std::mem::size_of_val(&generated_call),
                std::mem::size_of_val(&hand_call),
            ));
            drop((generated_call, hand_call));
            rows.push((
                "request/single".to_owned(),
                paired(
                    rounds,
                    || {
                        run(Box::pin(async {
                            let response =
                                generated.organizations().get(1).await.expect("answered");
                            assert_eq!(response.data.id, 1);
                        }))
                    },
                    || {
                        run(Box::pin(async {
                            let response: Envelope<HandOrganization> =
                                hand.get("/api/v2/organizations/1").await;
                            assert_eq!(response.data.id, 1);
                        }))
                    },
                ),
            ));
            rows.push((
                "request/in_flight_64".to_owned(),
                paired(
                    rounds,
                    || {
                        run(Box::pin(async {
                            let calls = (0..64).map(|_| generated.organizations().get(1).send());
                            for response in join_all(calls).await {
                                assert_eq!(response.expect("answered").data.id, 1);
                            }
                        }))
                    },
                    || {
                        run(Box::pin(async {
                            let calls = (0..64)
                                .map(|_| hand.get::<HandOrganization>("/api/v2/organizations/1"));
                            for response in join_all(calls).await {
                                assert_eq!(response.data.id, 1);
                            }
                        }))
                    },
                ),
            ));
        }
        for &(name, size) in cases {
            let limit = i64::try_from(size).expect("small");
            let path = format!("/api/v2/organizations?limit={size}");
            let figures = paired(
                rounds,
                || {
                    run(Box::pin(async {
                        let page = generated
                            .organizations()
                            .list()
                            .limit(limit)
                            .await
                            .expect("answered");
                        assert_eq!(page.data.items.len(), size);
                    }))
                },
                || {
                    run(Box::pin(async {
                        let page: Envelope<Vec<HandOrganization>> = hand.get(&path).await;
                        assert_eq!(page.data.len(), size);
                    }))
                },
            );
            rows.push((format!("request/{name}"), figures));
        }
    }
    for (name, body) in [
        ("decode/page_500", support::page_body(500)),
        (
            "decode/page_500_known_keys",
            support::page_body_known_keys(500),
        ),
    ] {
        rows.push((
            name.to_owned(),
            paired(
                rounds,
                || {
                    let page =
                        pipedrive::CursorPage::<pipedrive::organizations::Organization>::from_json(
                            &body,
                        )
                        .expect("decodes");
                    assert!(page.failed.is_empty());
                },
                || {
                    let page: Envelope<Vec<HandOrganization>> =
                        serde_json::from_slice(&body).expect("decodes");
                    assert!(page.success);
                },
            ),
        ));
    }
    println!(
        "| case | generated | hand-written | ratio (median of {rounds} paired rounds) | middle half of the rounds |"
    );
    println!("|---|---|---|---|---|");
    for (name, figures) in rows {
        println!(
            "| {name} | {:.1} µs | {:.1} µs | {:.2}× | {:.2}–{:.2}× |",
            figures.generated.as_secs_f64() * 1e6,
            figures.hand.as_secs_f64() * 1e6,
            figures.ratio,
            figures.low,
            figures.high
        );
    }
    if let Some((generated, hand)) = sizes {
        println!(
            "\nThe future of one call: {generated} bytes generated, {hand} bytes hand-written."
        );
    }
}
