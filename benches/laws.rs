//! Criterion benchmarks of issue 13: the dial decision with the calling
//! laws and the contact caps on, allowed and refused, against the decision
//! without them (what it cost before the issue) in the same run; recording
//! an attempt; and a history of 10M attempts resident (bytes and load time
//! an attempt, printed; `DNC_ATTEMPTS` sets the count, 100k in CI's smoke
//! run).
//!
//! The engine has the dialing benchmark's 1M mixed DNC entries (10k in the
//! smoke run) and 100 clients, each a debt collector with two attempt
//! rules; the attempts fall on 5 a person over the 7 days before the
//! decisions, on numbers of every single-zone area code (so Florida's,
//! Oklahoma's and Massachusetts' caps, and every state's hours, apply to
//! some), one or two debts each.
// The resident size is counted by a global allocator, which cannot be
// written without unsafe code (the library itself forbids it).
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use dnc_engine::attempts::{
    ChannelSet, ContactKey, NewAttempt, NewAttemptRule, Outcome, OutcomeSet, RuleKey, RuleWindow,
};
use dnc_engine::geo::AreaCode;
use dnc_engine::jiff::{SignedDuration, Timestamp};
use dnc_engine::{DialRequest, Engine, Phone};

#[path = "support/cycle.rs"]
mod cycle;
#[path = "support/dataset.rs"]
mod dataset;

use cycle::{cycle, smoke};
use dataset::{CLIENTS, Rng, SERVICES_PER_CLIENT};

/// Counts the bytes the program holds, for the resident size of the
/// history.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; the counter
// is an atomic that never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        HELD.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        HELD.fetch_add(new_size, Ordering::Relaxed);
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const POOL: usize = 4096;
const ATTEMPTS_PER_PERSON: u64 = 5;

fn attempt_count() -> usize {
    if smoke() {
        return 100_000;
    }
    std::env::var("DNC_ATTEMPTS")
        .ok()
        .and_then(|count| count.parse().ok())
        .unwrap_or(10_000_000)
}

fn single_zone_area_codes() -> Vec<u16> {
    (200..=999)
        .filter(|&code| {
            let info = AreaCode::new(code).unwrap().info();
            info.in_service && info.geographic && info.zones.len() == 1
        })
        .collect()
}

/// Wednesday 2026-11-18 17:00Z: noon in New York, 09:00 in San
/// Francisco, inside every state's hours.
fn decision_instant() -> Timestamp {
    "2026-11-18T17:00:00Z".parse().unwrap()
}

/// Person `index`'s key, number and client.
struct Person {
    key: ContactKey,
    phone: Phone,
    client: u64,
}

fn person(index: u64, codes: &[u16]) -> Person {
    let mut rng = Rng::new(index.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let npa = codes[rng.below(codes.len() as u64) as usize];
    Person {
        key: ContactKey::parse("person", &format!("P{index}")).unwrap(),
        phone: Phone::parse(&format!("{npa}{}", 2_000_000 + rng.below(8_000_000))).unwrap(),
        client: index % CLIENTS,
    }
}

fn debts(index: u64) -> Vec<ContactKey> {
    let debt = |n: u64| ContactKey::parse("debt", &format!("D{n}")).unwrap();
    if index % 3 == 0 {
        vec![debt(index), debt(index + 1)]
    } else {
        vec![debt(index)]
    }
}

/// The attempts of person `index`: five over the seven days before the
/// decisions, one of them (for every tenth person) a conversation
/// yesterday.
fn attempts_of(index: u64, codes: &[u16]) -> Vec<NewAttempt> {
    let who = person(index, codes);
    let service = dataset::service(who.client * SERVICES_PER_CLIENT);
    let at = decision_instant();
    (0..ATTEMPTS_PER_PERSON)
        .map(|n| {
            let conversation = index % 10 == 0 && n == 0;
            let hours = if conversation { 20 } else { 30 + 26 * n as i64 };
            NewAttempt {
                person: Some(who.key),
                debts: debts(index),
                outcome: if conversation {
                    Outcome::Conversation
                } else {
                    Outcome::NoAnswer
                },
                ..NewAttempt::new(
                    service,
                    who.phone,
                    at - SignedDuration::from_hours(hours),
                    Outcome::NoAnswer,
                )
            }
        })
        .collect()
}

fn engine(count: usize, codes: &[u16]) -> (Engine, Duration, usize) {
    let mut engine = dataset::empty_engine();
    // The DNC entries of the dialing benchmark, so that the baseline is the
    // decision a dialer pays for.
    let entries = if smoke() { 10_000 } else { 1_000_000 };
    let outcome = engine.add_many(dataset::mixed_entries(entries, 1));
    assert!(outcome.refused().is_empty());
    for c in 0..CLIENTS {
        let client = dataset::client(c);
        engine.set_debt_collector(client, true);
        for (limit, hours) in [(10, 24), (30, 24 * 7)] {
            engine
                .add_attempt_rule(
                    client,
                    NewAttemptRule {
                        key: RuleKey::Person,
                        outcomes: OutcomeSet::ALL,
                        channels: ChannelSet::BOTH,
                        window: RuleWindow::Rolling(SignedDuration::from_hours(hours)),
                        limit,
                        lock: None,
                    },
                )
                .unwrap();
        }
    }
    let persons = count as u64 / ATTEMPTS_PER_PERSON;
    let held_before = HELD.load(Ordering::Relaxed);
    let mut spent = Duration::ZERO;
    for index in 0..persons {
        let attempts = attempts_of(index, codes);
        let started = Instant::now();
        for attempt in &attempts {
            engine.record_attempt(attempt).unwrap();
        }
        spent += started.elapsed();
    }
    let held = HELD.load(Ordering::Relaxed).saturating_sub(held_before);
    (engine, spent, held)
}

fn bench_laws(c: &mut Criterion) {
    let codes = single_zone_area_codes();
    let count = attempt_count();
    let (mut engine, spent, held) = engine(count, &codes);
    println!(
        "attempts: {} resident, {:.1} bytes an attempt ({} bytes); loaded at {:.0} ns an attempt \
         ({:.2}M attempts/s)",
        engine.attempt_count(),
        held as f64 / engine.attempt_count() as f64,
        held,
        spent.as_nanos() as f64 / engine.attempt_count() as f64,
        engine.attempt_count() as f64 / spent.as_secs_f64() / 1e6,
    );
    let persons = count as u64 / ATTEMPTS_PER_PERSON;
    let at = decision_instant();
    let mut rng = Rng::new(13);
    let pick = |rng: &mut Rng, conversation: bool| loop {
        let index = rng.below(persons);
        if (index % 10 == 0) == conversation {
            return index;
        }
    };
    /// A request's parts, made before the measurement.
    struct Asked {
        person: Person,
        debts: Vec<ContactKey>,
    }
    let pool = |rng: &mut Rng, conversation: bool| -> Vec<Asked> {
        (0..POOL)
            .map(|_| {
                let index = pick(rng, conversation);
                Asked {
                    person: person(index, &codes),
                    debts: debts(index),
                }
            })
            .collect()
    };
    fn request(asked: &Asked, at: Timestamp) -> DialRequest<'_> {
        let who = &asked.person;
        DialRequest::new(
            dataset::service(who.client * SERVICES_PER_CLIENT),
            who.phone,
            at,
        )
        .person(who.key)
        .debts(&asked.debts)
    }
    // The allowed pool: persons below every cap whom no DNC entry (the
    // wildcard patterns cover whole area codes) and no law refuses.
    let allowed: Vec<Asked> = pool(&mut rng, false)
        .into_iter()
        .filter(|asked| engine.dial_decision(&request(asked, at)).unwrap().allowed())
        .collect();
    assert!(allowed.len() > POOL / 2, "{} allowed", allowed.len());
    for asked in &allowed {
        let baseline = engine
            .dial_decision_without_laws_and_caps(&request(asked, at))
            .unwrap();
        assert!(baseline.allowed());
    }
    let refused = pool(&mut rng, true);
    assert!(refused.iter().all(|asked| {
        !engine
            .dial_decision(&request(asked, at))
            .unwrap()
            .caps
            .allows()
    }));
    let mut group = c.benchmark_group("dial decision with laws and caps");
    group.measurement_time(Duration::from_secs(if smoke() { 1 } else { 5 }));
    cycle(
        &mut group,
        "allowed, without laws and caps (baseline)",
        &allowed,
        |asked| {
            engine
                .dial_decision_without_laws_and_caps(&request(asked, at))
                .unwrap()
                .allowed()
        },
    );
    cycle(
        &mut group,
        "allowed, with laws and caps",
        &allowed,
        |asked| engine.dial_decision(&request(asked, at)).unwrap().allowed(),
    );
    cycle(
        &mut group,
        "refused by Regulation F, with next allowed",
        &refused,
        |asked| {
            engine
                .dial_decision(&request(asked, at))
                .unwrap()
                .next_allowed()
                .is_some()
        },
    );
    group.finish();

    let mut group = c.benchmark_group("attempts");
    group.measurement_time(Duration::from_secs(if smoke() { 1 } else { 5 }));
    let fresh: Vec<NewAttempt> = (persons..persons + POOL as u64)
        .flat_map(|index| attempts_of(index, &codes))
        .collect();
    let mut next = 0;
    group.bench_function("record_attempt", |b| {
        b.iter(|| {
            next = (next + 1) % fresh.len();
            black_box(engine.record_attempt(black_box(&fresh[next])).is_ok())
        })
    });
    group.finish();
}

criterion_group!(benches, bench_laws);
criterion_main!(benches);
