//! The registries part at scale (issue 12's targets), in one run over the
//! synthetic registry of `support/registry_data.rs` (`DNC_REGISTRY_NUMBERS`,
//! default 10M; the US registry holds 253M):
//!
//! - resident bytes a number of the copy (printed);
//! - `build/load_full_list`: a copy from the FTC flat text (`AAA,NNNNNNN`
//!   lines), as `dnc registry build` makes it (target: 50M numbers/s);
//! - `open/from_bytes`: a copy opened from its binary form (target: 1 s at
//!   253M);
//! - lookups, hit and miss: `hashbrown::HashSet<u64>` (the baseline),
//!   `Registry::contains` (a 10-digit number), `Registry::check` (a phone,
//!   with the copy's instant), and the engine's whole `registry_check` (a
//!   client's subscription, the copy, the 31-day rule, an exemption lookup
//!   for the listed ones); target: within 2x the baseline.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use dnc_engine::jiff::Timestamp;
use dnc_engine::registry::{Registry, RegistrySource, Subscription};
use dnc_engine::{ClientId, Engine, Phone, ServiceId};
use hashbrown::HashSet;

#[path = "support/cycle.rs"]
mod cycle;
#[path = "support/registry_data.rs"]
mod registry_data;

use cycle::{cycle, smoke};
use registry_data::{lookup_pools, number_count, registry};

fn phone(number: u64) -> Phone {
    Phone::parse(&number.to_string()).expect("a 10-digit number")
}

fn bench(c: &mut Criterion) {
    let numbers = registry(number_count());
    let count = numbers.len();
    let mut text = Vec::with_capacity(count * 12);
    for &number in &numbers {
        use std::io::Write;
        writeln!(text, "{},{:07}", number / 10_000_000, number % 10_000_000).unwrap();
    }
    let present: HashSet<u64> = numbers.iter().copied().collect();
    let (hits, misses) = lookup_pools(&numbers);
    drop(numbers);
    let obtained: Timestamp = "2026-11-30T05:00:00Z".parse().unwrap();
    let build = || {
        let mut copy = Registry::new(RegistrySource::UsNational);
        copy.load_full_list(None, &text, obtained).unwrap();
        copy
    };
    let started = Instant::now();
    let copy = build();
    let built = started.elapsed();
    let bytes = copy.to_bytes();
    let started = Instant::now();
    let opened = Registry::from_bytes(&bytes).unwrap();
    let open = started.elapsed();
    assert_eq!(opened, copy);
    drop(opened);
    println!(
        "registry: {count} numbers, {:.3} bytes a number resident ({} bytes), binary form {:.3} \
         bytes a number; first build {:.2} s ({:.1}M numbers/s), first open {:.3} s; \
         HashSet {:.2} bytes a number",
        copy.bytes() as f64 / count as f64,
        copy.bytes(),
        bytes.len() as f64 / count as f64,
        built.as_secs_f64(),
        count as f64 / built.as_secs_f64() / 1e6,
        open.as_secs_f64(),
        (present.capacity() * 9 + 16) as f64 / count as f64,
    );
    // The engine: one client subscribed to the copy, all area codes.
    let (client, service) = (ClientId::new(1).unwrap(), ServiceId::new(1).unwrap());
    let mut engine = Engine::new();
    engine.register_service(client, service).unwrap();
    engine.subscribe(client, Subscription::all(RegistrySource::UsNational));
    engine.put_registry(copy.clone());
    let at: Timestamp = "2026-12-01T18:00:00Z".parse().unwrap();
    let hit_phones: Vec<Phone> = hits.iter().map(|&n| phone(n)).collect();
    let miss_phones: Vec<Phone> = misses.iter().map(|&n| phone(n)).collect();
    // Every answer agrees with the HashSet before anything is timed.
    for (number, phone) in hits
        .iter()
        .zip(&hit_phones)
        .chain(misses.iter().zip(&miss_phones))
    {
        let want = present.contains(number);
        assert_eq!(copy.contains(*number), want);
        let verdict = engine
            .registry_check(service, *phone, None, None, at)
            .unwrap();
        assert_eq!(verdict.refuses(), want, "{number}");
    }

    let mut group = c.benchmark_group("registry");
    group.sample_size(10);
    if !smoke() {
        group.measurement_time(Duration::from_secs(20));
    }
    group.bench_function("build/load_full_list", |b| b.iter(|| black_box(build())));
    group.bench_function("open/from_bytes", |b| {
        b.iter(|| black_box(Registry::from_bytes(black_box(&bytes)).unwrap()))
    });
    group.finish();
    drop(text);

    let mut group = c.benchmark_group("registry");
    for (kind, numbers, phones) in [("hit", &hits, &hit_phones), ("miss", &misses, &miss_phones)] {
        cycle(&mut group, &format!("hashset/{kind}"), numbers, |n| {
            present.contains(n)
        });
        cycle(&mut group, &format!("contains/{kind}"), numbers, |n| {
            copy.contains(*n)
        });
        cycle(&mut group, &format!("check/{kind}"), phones, |p| {
            matches!(
                copy.check(*p),
                dnc_engine::registry::RegistryAnswer::Listed { .. }
            )
        });
        cycle(
            &mut group,
            &format!("engine_registry_check/{kind}"),
            phones,
            |p| {
                engine
                    .registry_check(service, *p, None, None, at)
                    .is_ok_and(|verdict| verdict.refuses())
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
