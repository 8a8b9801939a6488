//! The Rust figure of the bindings benchmark (`tools/bench-bindings`):
//! checks per second calling the engine directly, single and batch, over
//! the dataset of `capi/bench/dataset.txt`.

use std::time::Instant;

use dnc_engine::{ClientId, DncKey, Engine, NewEntry, Phone, Query, ServiceId};

fn main() {
    let n: usize = std::env::var("DNC_BENCH_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let (client, service) = (ClientId::new(1).unwrap(), ServiceId::new(2).unwrap());
    let mut engine = Engine::new();
    engine.register_service(client, service).unwrap();
    let phone = |value: u64| Phone::parse(&value.to_string()).unwrap();
    let phones: Vec<Phone> = (0..n as u64)
        .map(|i| phone(2_000_000_000 + (i * 7919) % 7_000_000_000))
        .collect();
    engine.add_many(
        phones
            .iter()
            .map(|&p| NewEntry::for_client(client, DncKey::Phone(p))),
    );
    let asked: Vec<Phone> = (0..n as u64)
        .map(|j| {
            if j % 2 == 0 {
                phones[(j as usize * 31) % n]
            } else {
                phone(2_000_000_000 + (j * 104_729) % 7_000_000_000 + 1)
            }
        })
        .collect();
    let queries: Vec<Query<'_>> = asked
        .iter()
        .map(|&p| Query::new(service).phone(p))
        .collect();
    // Each figure is the median of DNC_BENCH_REPEAT runs: the host is noisy.
    let repeat: usize = std::env::var("DNC_BENCH_REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|&r| r > 0)
        .unwrap_or(5);
    let (mut singles, mut batches) = (Vec::new(), Vec::new());
    let mut verdicts = Vec::with_capacity(n);
    let mut blocked = 0usize;
    for _ in 0..repeat {
        let started = Instant::now();
        blocked = 0;
        for &p in &asked {
            blocked += usize::from(
                engine
                    .is_blocked(&Query::new(service).phone(p))
                    .unwrap()
                    .is_blocked(),
            );
        }
        singles.push(started.elapsed().as_secs_f64());
        let started = Instant::now();
        engine.is_blocked_batch(&queries, &mut verdicts);
        batches.push(started.elapsed().as_secs_f64());
        let blocked_batch = verdicts
            .iter()
            .filter(|v| v.as_ref().unwrap().is_blocked())
            .count();
        assert_eq!(blocked, blocked_batch);
    }
    singles.sort_by(f64::total_cmp);
    batches.sort_by(f64::total_cmp);
    let (single, batch) = (singles[repeat / 2], batches[repeat / 2]);
    println!(
        "rust single {:.0}\nrust batch {:.0}\nblocked {blocked} of {n}",
        n as f64 / single,
        n as f64 / batch
    );
}
