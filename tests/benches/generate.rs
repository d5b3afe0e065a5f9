//! Generation of the real spec, end to end and by stage, and its scaling with the
//! number of resources (N renamed copies of the Organizations resource).
//! `cargo xtask bench` runs it and reports time and lines per operation.

#![allow(
    missing_docs,
    reason = "criterion's macros define undocumented functions"
)]

use codegen::stages;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn spec() -> Vec<codegen::SourceFile> {
    tests::real_spec()
}

fn end_to_end_and_stages(c: &mut Criterion) {
    let files = spec();
    let mut group = c.benchmark_group("generate");
    group.bench_function("end_to_end", |b| {
        b.iter(|| codegen::generate(&files).expect("the spec generates"));
    });
    group.bench_function(BenchmarkId::new("stage", "load"), |b| {
        b.iter(|| stages::load(&files).expect("loads"));
    });
    let loaded = stages::load(&files).expect("loads");
    group.bench_function(BenchmarkId::new("stage", "check"), |b| {
        b.iter(|| stages::check(&loaded).expect("checks"));
    });
    let checked = stages::check(&loaded).expect("checks");
    group.bench_function(BenchmarkId::new("stage", "lower"), |b| {
        b.iter(|| stages::lower(&checked));
    });
    let api = stages::lower(&checked);
    group.bench_function(BenchmarkId::new("stage", "emit"), |b| {
        b.iter(|| stages::emit(&api));
    });
    group.bench_function(BenchmarkId::new("stage", "format"), |b| {
        b.iter_batched(
            || stages::emit(&api),
            |emitted| stages::format(emitted).expect("formats"),
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

fn scaling(c: &mut Criterion) {
    let files = spec();
    let mut group = c.benchmark_group("generate/scaling");
    group.sample_size(10);
    for copies in xtask::bench::SCALES {
        let scaled = xtask::bench::renamed_copies(&files, copies).expect("copies");
        let operations: usize = codegen::compile(&scaled)
            .expect("the copies compile")
            .resources
            .iter()
            .map(|resource| resource.operations.len())
            .sum();
        group.throughput(Throughput::Elements(operations as u64));
        group.bench_function(BenchmarkId::from_parameter(copies), |b| {
            b.iter(|| codegen::generate(&scaled).expect("the copies generate"));
        });
    }
    group.finish();
}

criterion_group!(benches, end_to_end_and_stages, scaling);
criterion_main!(benches);
