//! Criterion benchmarks of issue 10 §7, "costs that grow with the wrong
//! thing": one group per line of the issue, each measuring the same
//! operation in a small and a large case in the same run, in engines that
//! hold one large client beside many small ones. A flat line has the same
//! figure in both cases.
//!
//! - `flat_dial_check`: a dial check beside one pattern shaped `***NNNNNNN`
//!   and beside 50,000 of them (one star layout).
//! - `flat_is_blocked`: a phone + account check whose phone does not match,
//!   beside 10k and 1M phone + account entries of the account; and a phone
//!   held by entries of 2 and of 50,000 other services of the client.
//! - `flat_other_tenant`: a 10-entry client's legacy page, find, info,
//!   `create_many` of one record, nightly clear and DNC-type switch beside
//!   a 20k- and a 2M-entry client; its profile page and count beside a
//!   client with 10 and with 100,000 profiles.
//! - `flat_own_list`: a client's own legacy page and find at 20k and 2M
//!   entries; a channel find whose first entry fills the page, a channel
//!   delete of its lowest id, and a new time zone, at 10k and 1M SMS
//!   entries.
//!
//! `cargo bench --bench flat_costs -- --test` runs each once on small
//! datasets (the large cases shrink a hundredfold).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use dnc_engine::jiff::Timestamp;
use dnc_engine::{
    Account, Channel, ChannelFilter, ChannelValue, ClientId, DncKey, Engine, EntryId, Expiration,
    LegacyFilter, Lifetime, NewChannelEntry, NewEntry, NewProfile, PageRequest, Phone,
    PhoneDncType, Query, ServiceId,
};

#[path = "support/cycle.rs"]
mod cycle;

use cycle::smoke;

/// `n`, or a hundredth of it (at least 10) for CI's smoke run.
fn scaled(n: usize) -> usize {
    if smoke() { (n / 100).max(10) } else { n }
}

/// How many small clients sit beside the large one.
const SMALL_CLIENTS: u64 = 1_000;
/// Entries of each small client.
const SMALL_ENTRIES: u64 = 10;
/// The large client; small clients are 2..=1001; client `c` has service
/// `c * 10`.
const LARGE: u64 = 1;

fn client(c: u64) -> ClientId {
    ClientId::new(c).unwrap()
}

fn service(c: u64) -> ServiceId {
    ServiceId::new(c * 10).unwrap()
}

fn phone(n: u64) -> Phone {
    Phone::parse(&format!("{}", 2_000_000_000 + n)).unwrap()
}

type Group<'a> = criterion::BenchmarkGroup<'a, criterion::measurement::WallTime>;

fn group<'a>(c: &'a mut Criterion, name: &str) -> Group<'a> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    group
}

/// An engine with the large client's service and the small clients, each
/// with its service and `SMALL_ENTRIES` phone entries (the last two DAILY).
fn world() -> Engine {
    let mut engine = Engine::new();
    engine
        .register_service(client(LARGE), service(LARGE))
        .unwrap();
    let mut small = Vec::new();
    for c in 2..2 + SMALL_CLIENTS {
        engine.register_service(client(c), service(c)).unwrap();
        for i in 0..SMALL_ENTRIES {
            let new = NewEntry::for_client(client(c), DncKey::Phone(phone(c * 1000 + i)));
            small.push(if i >= SMALL_ENTRIES - 2 {
                new.with_lifetime(Lifetime::Daily)
            } else {
                new
            });
        }
    }
    assert!(engine.add_many(small).refused().is_empty());
    engine
}

/// [`world`] with `n` phone entries of the large client (a fifth DAILY, a
/// third scoped to its service).
fn legacy_world(n: usize) -> Engine {
    let mut engine = world();
    let large = (0..n as u64).map(|i| {
        let key = DncKey::Phone(phone(10_000_000 + i * 7));
        let new = if i % 3 == 0 {
            NewEntry::for_service(service(LARGE), key)
        } else {
            NewEntry::for_client(client(LARGE), key)
        };
        if i % 5 == 0 {
            new.with_lifetime(Lifetime::Daily)
        } else {
            new
        }
    });
    assert!(
        engine
            .add_many_at(large, Some(Timestamp::UNIX_EPOCH))
            .refused()
            .is_empty()
    );
    engine
}

/// Benchmarks `run` once per iteration after an untimed `prepare`, both on
/// `state` (the engine, and what the two share).
fn timed<S>(
    group: &mut Group<'_>,
    name: &str,
    state: &mut S,
    mut prepare: impl FnMut(&mut S),
    mut run: impl FnMut(&mut S),
) {
    group.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                prepare(state);
                let start = Instant::now();
                run(state);
                total += start.elapsed();
            }
            total
        })
    });
}

fn dial_check(c: &mut Criterion) {
    let mut group = group(c, "flat_dial_check");
    for (label, patterns) in [("1_pattern", 1), ("50k_patterns", scaled(50_000))] {
        let mut engine = world();
        // `***NNNNNNN`: the stars are a prefix, so the literal prefix is
        // empty, and every pattern has the same layout.
        let entries = (0..patterns as u64).map(|i| {
            let pattern = Phone::parse(&format!("***{:07}", i * 13 % 10_000_000)).unwrap();
            NewEntry::for_client(client(LARGE), DncKey::Phone(pattern))
        });
        assert!(engine.add_many(entries).refused().is_empty());
        let asks: Vec<Query<'static>> = (0..4096u64)
            .map(|i| Query::new(service(LARGE)).phone(phone(i * 7919 % 1_000_000_000)))
            .collect();
        let mut next = 0;
        group.bench_function(label, |b| {
            b.iter(|| {
                next = (next + 1) % asks.len();
                black_box(engine.dial_check(&asks[next]).unwrap().is_blocked())
            })
        });
    }
    group.finish();
}

fn is_blocked(c: &mut Criterion) {
    let mut group = group(c, "flat_is_blocked");
    let account = Account::parse("ACCT-LARGE").unwrap();
    for (label, pairs) in [
        ("phone_account/10k_pairs_of_the_account", scaled(10_000)),
        ("phone_account/1M_pairs_of_the_account", scaled(1_000_000)),
    ] {
        let mut engine = world();
        let entries = (0..pairs as u64).map(|i| {
            let key = DncKey::PhoneAccount(phone(i), account.clone());
            NewEntry::for_client(client(LARGE), key)
        });
        assert!(engine.add_many(entries).refused().is_empty());
        // Phones the account holds no entry for.
        let asks: Vec<Phone> = (0..4096u64).map(|i| phone(5_000_000_000 + i)).collect();
        let mut next = 0;
        group.bench_function(label, |b| {
            b.iter(|| {
                next = (next + 1) % asks.len();
                let query = Query::new(service(LARGE))
                    .phone(asks[next])
                    .account(&account);
                black_box(engine.is_blocked(&query).unwrap().is_blocked())
            })
        });
    }
    for (label, services) in [
        ("phone_of_many_services/2_other_services", 2),
        ("phone_of_many_services/50k_other_services", scaled(50_000)),
    ] {
        let mut engine = world();
        let held = phone(42);
        let entries: Vec<NewEntry> = (0..services as u64)
            .map(|s| {
                let other = ServiceId::new(1_000_000 + s).unwrap();
                engine.register_service(client(LARGE), other).unwrap();
                NewEntry::for_service(other, DncKey::Phone(held))
            })
            .collect();
        assert!(engine.add_many(entries).refused().is_empty());
        // One client-level entry, so the check has something to find.
        engine
            .add(NewEntry::for_client(client(LARGE), DncKey::Phone(held)))
            .unwrap();
        let query = Query::new(service(LARGE)).phone(held);
        group.bench_function(label, |b| {
            b.iter(|| {
                black_box(
                    engine
                        .is_blocked(black_box(&query))
                        .unwrap()
                        .entries()
                        .len(),
                )
            })
        });
    }
    group.finish();
}

fn other_tenant(c: &mut Criterion) {
    let mut group = group(c, "flat_other_tenant");
    let small = client(2);
    let page = PageRequest::new(0, 1000).unwrap();
    let permanent = LegacyFilter {
        lifetime: Some(Lifetime::Permanent),
        ..LegacyFilter::default()
    };
    for (label, n) in [
        ("beside_20k", scaled(20_000)),
        ("beside_2M", scaled(2_000_000)),
    ] {
        let mut engine = legacy_world(n);
        group.bench_function(format!("legacy_list/{label}"), |b| {
            b.iter(|| {
                black_box(
                    engine
                        .legacy_page(small, &LegacyFilter::default(), page)
                        .unwrap(),
                )
            })
        });
        group.bench_function(format!("legacy_find/{label}"), |b| {
            b.iter(|| black_box(engine.legacy_page(small, &permanent, page).unwrap()))
        });
        group.bench_function(format!("legacy_info/{label}"), |b| {
            b.iter(|| black_box(engine.legacy_info(small).unwrap()))
        });
        timed(
            &mut group,
            &format!("legacy_create_many_of_one/{label}"),
            &mut (&mut engine, None),
            |(engine, added)| {
                if let Some(id) = added.take() {
                    engine.remove(id).unwrap();
                }
            },
            |(engine, added)| {
                let new = NewEntry::for_client(small, DncKey::Phone(phone(99)));
                *added = engine.add_many([new]).ids()[0];
            },
        );
        timed(
            &mut group,
            &format!("clear_daily/{label}"),
            &mut engine,
            |engine| {
                let daily = (0..2).map(|i| {
                    NewEntry::for_client(small, DncKey::Phone(phone(500 + i)))
                        .with_lifetime(Lifetime::Daily)
                });
                engine.add_many(daily);
            },
            |engine| {
                black_box(engine.clear_daily(Some(small)));
            },
        );
        timed(
            &mut group,
            &format!("dnc_type_switch_and_back/{label}"),
            &mut engine,
            |_| {},
            |engine| {
                black_box(engine.set_phone_dnc_type(small, PhoneDncType::DialTime, None));
                black_box(engine.set_phone_dnc_type(small, PhoneDncType::Legacy, None));
            },
        );
    }
    for (label, profiles) in [
        ("beside_10_profiles", 10),
        ("beside_100k_profiles", scaled(100_000)),
    ] {
        let mut engine = world();
        let new = |client| NewProfile {
            client,
            name: "p".to_owned(),
            description: None,
            client_default: false,
            policies: vec![],
        };
        for _ in 0..profiles {
            engine
                .profile_create(Some(client(LARGE)), new(Some(client(LARGE))))
                .unwrap();
        }
        for c in 2..2 + SMALL_CLIENTS {
            engine
                .profile_create(Some(client(c)), new(Some(client(c))))
                .unwrap();
        }
        group.bench_function(format!("profile_info/{label}"), |b| {
            b.iter(|| black_box(engine.profile_info(Some(small))))
        });
        group.bench_function(format!("profile_page/{label}"), |b| {
            b.iter(|| black_box(engine.profile_page(Some(small), page)))
        });
    }
    group.finish();
}

/// The `i`-th SMS entry of the large client: value `555NNNNNNN`, a fifth
/// expiring (none when `expiring` is false).
fn sms_entry(i: u64, expiring: bool) -> NewChannelEntry {
    let value = ChannelValue::Phone(Phone::parse(&format!("555{:07}", i % 10_000_000)).unwrap());
    let new = NewChannelEntry::new(value);
    if expiring && i % 5 == 0 {
        new.expiration(Expiration::parse("2027-01-01").unwrap())
    } else {
        new
    }
}

/// [`world`] with `n` SMS entries of the large client ([`sms_entry`]).
fn sms_world(n: usize, expiring: bool) -> (Engine, Vec<EntryId>) {
    let mut engine = world();
    let large = client(LARGE);
    engine.set_time_zone(large, "America/Chicago").unwrap();
    let entries = (0..n as u64).map(|i| sms_entry(i, expiring));
    let outcome =
        engine.channel_create_many(Channel::Sms, large, entries, Some(Timestamp::UNIX_EPOCH));
    assert!(outcome.refused.is_empty());
    for c in 2..2 + SMALL_CLIENTS {
        let entries = (0..SMALL_ENTRIES)
            .map(|i| NewChannelEntry::new(ChannelValue::Phone(phone(c * 1000 + i))));
        engine.channel_create_many(Channel::Sms, client(c), entries, None);
    }
    (engine, outcome.ids)
}

fn own_list(c: &mut Criterion) {
    let mut group = group(c, "flat_own_list");
    let large = client(LARGE);
    let daily = LegacyFilter {
        lifetime: Some(Lifetime::Daily),
        ..LegacyFilter::default()
    };
    for (label, n) in [("20k", scaled(20_000)), ("2M", scaled(2_000_000))] {
        let engine = legacy_world(n);
        // A page deep in the list, and one deep in its DAILY entries.
        let deep = PageRequest::new(n as u64 / 2, 1000).unwrap();
        let deep_daily = PageRequest::new(n as u64 / 10, 1000).unwrap();
        group.bench_function(format!("legacy_list_deep_page/{label}"), |b| {
            b.iter(|| {
                black_box(
                    engine
                        .legacy_page(large, &LegacyFilter::default(), deep)
                        .unwrap(),
                )
            })
        });
        group.bench_function(format!("legacy_find_daily_deep_page/{label}"), |b| {
            b.iter(|| black_box(engine.legacy_page(large, &daily, deep_daily).unwrap()))
        });
    }
    let first = PageRequest::new(0, 1).unwrap();
    let filter = ChannelFilter {
        value: Some("555".to_owned()),
        contact_group: None,
    };
    for (label, n) in [("10k", scaled(10_000)), ("1M", scaled(1_000_000))] {
        let (mut engine, ids) = sms_world(n, true);
        group.bench_function(
            format!("channel_find_first_entry_fills_the_page/{label}"),
            |b| {
                b.iter(|| {
                    black_box(
                        engine
                            .channel_page(Channel::Sms, large, &filter, first)
                            .unwrap(),
                    )
                })
            },
        );
        let mut zones = ["America/New_York", "America/Chicago"].into_iter().cycle();
        timed(
            &mut group,
            &format!("set_time_zone_a_fifth_expiring/{label}"),
            &mut engine,
            |_| {},
            |engine| engine.set_time_zone(large, zones.next().unwrap()).unwrap(),
        );
        // Deletes the lowest id each time, and adds the next entry of the
        // same shape back (untimed) so that the list keeps its size and mix:
        // the ids, ascending, are a queue.
        let live: std::collections::VecDeque<EntryId> = ids.into();
        timed(
            &mut group,
            &format!("channel_delete_lowest_id/{label}"),
            &mut (&mut engine, live, n as u64),
            |(engine, live, next)| {
                let new = sms_entry(*next, true);
                *next += 1;
                let id = engine
                    .channel_create(Channel::Sms, large, &new, None)
                    .unwrap();
                live.push_back(id);
            },
            |(engine, live, _)| {
                let id = live.pop_front().expect("the list keeps its size");
                black_box(
                    engine
                        .channel_delete(Channel::Sms, large, id, None)
                        .unwrap(),
                );
            },
        );
    }
    let (mut engine, _) = sms_world(scaled(1_000_000), false);
    let mut zones = ["America/New_York", "America/Chicago"].into_iter().cycle();
    timed(
        &mut group,
        "set_time_zone_none_expiring/1M",
        &mut engine,
        |_| {},
        |engine| engine.set_time_zone(large, zones.next().unwrap()).unwrap(),
    );
    group.finish();
}

criterion_group!(benches, dial_check, is_blocked, other_tenant, own_list);
criterion_main!(benches);
