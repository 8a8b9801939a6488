//! The change log in the library: how fast an engine applies a stream of
//! changes with `Engine::apply` (changes/s), beside the same changes made
//! by calling the methods they stand for directly, in the same run, so the
//! ratio is what ordering and idempotence cost.
//!
//! The stream is the one dialers produce most: opt-outs (adds), removals,
//! account flags and contact attempts over 100 clients and 1,000 services,
//! on an engine already holding 100k entries.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use dnc_engine::attempts::{NewAttempt, Outcome};
use dnc_engine::jiff::Timestamp;
use dnc_engine::{
    Account, Change, ClientId, DialChannel, DncKey, Engine, EntryId, FlagUpdate, Mutation,
    NewEntry, Phone, ServiceId,
};

#[path = "support/cycle.rs"]
mod cycle;

const STREAM: usize = 10_000;

fn service(n: usize) -> ServiceId {
    ServiceId::new(n as u64 % 1000 + 1).unwrap()
}

fn client(n: usize) -> ClientId {
    ClientId::new(n as u64 % 1000 % 100 + 1).unwrap()
}

fn phone(n: usize) -> Phone {
    Phone::parse(&format!(
        "{}",
        2_002_000_000 + (n as u64 * 7_919) % 7_000_000_000
    ))
    .unwrap()
}

/// An engine with the services registered and 100k entries.
fn base() -> Engine {
    let mut engine = Engine::new();
    for n in 0..1000 {
        engine.register_service(client(n), service(n)).unwrap();
    }
    engine
        .add_many((0..100_000).map(|n| NewEntry::for_service(service(n), DncKey::Phone(phone(n)))));
    engine
}

/// The stream, as changes after `base`'s position.
fn stream(engine: &Engine) -> Vec<Change> {
    let first_id = engine.next_id();
    let at = Timestamp::from_second(1_793_545_200).unwrap();
    (0..STREAM)
        .map(|n| {
            let mutation = match n % 8 {
                0..=3 => Mutation::Add {
                    entry: NewEntry::for_service(service(n), DncKey::Phone(phone(200_000 + n))),
                    at: Some(at),
                },
                4 => Mutation::Remove {
                    id: EntryId::new(first_id + n as u64 - 4).unwrap(),
                    at: Some(at),
                },
                5 => Mutation::AccountFlags {
                    client: client(n),
                    account: Account::parse(&format!("A{n}")).unwrap(),
                    update: FlagUpdate {
                        do_not_dial: Some(true),
                        do_not_dial_daily: None,
                    },
                },
                _ => Mutation::Attempt {
                    attempt: NewAttempt {
                        service: service(n),
                        phone: phone(n),
                        person: None,
                        debts: Vec::new(),
                        at,
                        channel: DialChannel::Voice,
                        outcome: Outcome::NoAnswer,
                        consent: None,
                    },
                },
            };
            Change::by_host(mutation)
        })
        .collect()
}

/// The same change made by calling its method (what `apply` dispatches to).
fn make_directly(engine: &mut Engine, change: &Change) {
    match &change.mutation {
        Mutation::Add { entry, at } => {
            let _ = black_box(engine.add_at(entry.clone(), *at));
        }
        Mutation::Remove { id, at } => {
            let _ = black_box(engine.remove_at(*id, *at));
        }
        Mutation::AccountFlags {
            client,
            account,
            update,
        } => {
            black_box(engine.set_account_flags(*client, account, *update));
        }
        Mutation::Attempt { attempt } => {
            let _ = black_box(engine.record_attempt(attempt));
        }
        _ => unreachable!("the stream holds these four kinds"),
    }
}

fn apply_rate(c: &mut Criterion) {
    let base = base();
    let changes = stream(&base);
    let mut group = c.benchmark_group("changes");
    group
        .sample_size(if cycle::smoke() { 10 } else { 20 })
        .throughput(Throughput::Elements(STREAM as u64));
    group.bench_function("apply/10k", |b| {
        b.iter_batched(
            || base.clone(),
            |mut engine| {
                for (change, sequence) in changes.iter().zip(1..) {
                    black_box(engine.apply(sequence, change).unwrap());
                }
                engine
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("direct_calls/10k", |b| {
        b.iter_batched(
            || base.clone(),
            |mut engine| {
                for change in &changes {
                    make_directly(&mut engine, change);
                }
                engine
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("reapply_prefix/10k", |b| {
        let mut applied = base.clone();
        for (change, sequence) in changes.iter().zip(1..) {
            applied.apply(sequence, change).unwrap();
        }
        b.iter(|| {
            for (change, sequence) in changes.iter().zip(1..) {
                black_box(applied.apply(sequence, change).unwrap());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, apply_rate);
criterion_main!(benches);
