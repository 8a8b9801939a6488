//! Benchmarking a check over a pool of requests.

// Not every benchmark uses every helper.
#![allow(dead_code)]

use std::hint::black_box;

use criterion::BenchmarkGroup;
use criterion::measurement::WallTime;

/// Benchmarks `run` cycling through `pool`, so that every iteration probes a
/// different key, as a dialer's lookups do, instead of one cache-hot key.
pub(crate) fn cycle<T>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    pool: &[T],
    run: impl Fn(&T) -> bool,
) {
    let mut next = 0;
    group.bench_function(name, |b| {
        b.iter(|| {
            next = (next + 1) % pool.len();
            black_box(run(black_box(&pool[next])))
        })
    });
}

/// Whether this is CI's smoke run (`cargo bench -- --test`): benchmarks
/// then build small datasets, since each runs once.
pub(crate) fn smoke() -> bool {
    std::env::args().any(|arg| arg == "--test")
}
