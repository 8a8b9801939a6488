//! Criterion benchmarks: isBlocked hit and miss and the dial check at 10k and
//! 1M entries, bulk insert of 1M, and the naive scan at 10k as the baseline
//! measured in the same run.

use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dnc_engine::{DncEntry, DncKey, Engine, NewEntry, Query};

#[path = "support/cycle.rs"]
mod cycle;
#[path = "support/dataset.rs"]
mod dataset;

use cycle::cycle;

fn lookups(c: &mut Criterion) {
    for (label, size) in [("10k", 10_000), ("1M", 1_000_000)] {
        let entries = dataset::mixed_entries(size, 7);
        let engine = dataset::load(&entries);
        let hits = dataset::hit_queries(&entries, 4096, 11);
        let misses = dataset::miss_queries(4096, 13);
        let dials = dataset::dial_queries(4096, 17);
        let blocked = |q: &Query<'_>| engine.is_blocked(q).unwrap().is_blocked();
        let dial = |q: &Query<'_>| engine.dial_check(q).unwrap().is_blocked();
        let mut group = c.benchmark_group("is_blocked");
        cycle(&mut group, &format!("{label}/hit"), &hits, blocked);
        cycle(&mut group, &format!("{label}/miss"), &misses, blocked);
        group.finish();
        let mut group = c.benchmark_group("dial_check");
        cycle(
            &mut group,
            &format!("{label}/wildcards_present"),
            &dials,
            dial,
        );
        group.finish();
    }
}

/// The baseline: SPEC 2 as a scan over every entry.
fn naive_scan(entries: &[DncEntry], engine: &Engine, query: &Query<'_>) -> bool {
    let owner = engine.client_of(query.service).unwrap();
    entries.iter().any(|entry| {
        entry.client == owner
            && entry.service.is_none_or(|s| s == query.service)
            && match &entry.key {
                DncKey::Phone(p) => query.phone == Some(*p),
                DncKey::Account(a) => query.account == Some(a),
                DncKey::PhoneAccount(p, a) => query.phone == Some(*p) && query.account == Some(a),
                DncKey::Zip(z) => query.zip == Some(*z),
            }
    })
}

fn baseline(c: &mut Criterion) {
    let entries = dataset::mixed_entries(10_000, 7);
    let engine = dataset::load(&entries);
    let stored: Vec<DncEntry> = engine.entries().collect();
    let hits = dataset::hit_queries(&entries, 4096, 11);
    let misses = dataset::miss_queries(4096, 13);
    let scan = |q: &Query<'_>| naive_scan(&stored, &engine, q);
    let mut group = c.benchmark_group("baseline_naive_scan");
    cycle(&mut group, "10k/hit", &hits, scan);
    cycle(&mut group, "10k/miss", &misses, scan);
    group.finish();
}

fn bulk_insert(c: &mut Criterion) {
    let entries = dataset::mixed_entries(1_000_000, 23);
    let mut group = c.benchmark_group("bulk_insert");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("1M", |b| {
        b.iter_batched(
            || entries.clone(),
            |entries: Vec<NewEntry>| {
                let mut engine = dataset::empty_engine();
                for entry in entries {
                    engine.add(entry).unwrap();
                }
                engine
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, lookups, baseline, bulk_insert);
criterion_main!(benches);
