//! Criterion benchmarks of the channel lists (SPEC 7 and 9): a check hit
//! and miss with 1M entries on each of the three lists, a bulk create of
//! 1M entries, and a find page (substring and contact group) over 1M
//! entries, near the start and deep into the matches. Baseline in the same
//! run: the raw `HashMap<u64, u32>` probe over as many keys.

use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dnc_engine::jiff::Timestamp;
use dnc_engine::{
    Channel, ChannelFilter, ChannelQuery, ChannelValue, ClientId, ContactGroupId, Email, Engine,
    Expiration, NewChannelEntry, PageRequest, Phone, PhoneDncType, ServiceId,
};

#[path = "support/cycle.rs"]
mod cycle;
#[path = "support/dataset.rs"]
mod dataset;

use cycle::{cycle, smoke};

/// Entries per list: 1M, or 10k for CI's smoke run.
fn size() -> usize {
    if smoke() { 10_000 } else { 1_000_000 }
}

const CLIENTS: u64 = 10;
/// The instant of every check: 2026-06-01, so some entries have expired.
const AT: Timestamp = Timestamp::constant(1_780_272_000, 0);

fn value(channel: Channel, n: u64) -> ChannelValue {
    match channel {
        Channel::Email => {
            ChannelValue::Email(Email::parse(&format!("user{n}@example.com")).unwrap())
        }
        _ => ChannelValue::Phone(
            Phone::parse(&format!("{}", 2_000_000_000 + n * 7919 % 8_000_000_000)).unwrap(),
        ),
    }
}

/// `n` entries for one list over 10 clients: a tenth in a contact group, a
/// fifth expiring (half of those already expired at `AT`).
fn records(channel: Channel, n: usize) -> Vec<(ClientId, NewChannelEntry)> {
    let mut rng = dataset::Rng::new(5);
    (0..n as u64)
        .map(|i| {
            let client = ClientId::new(rng.below(CLIENTS) + 1).unwrap();
            let mut new = NewChannelEntry::new(value(channel, i));
            if i % 10 == 0 {
                new = new.contact_group(ContactGroupId::new(client.get() * 100).unwrap());
            }
            if i % 5 == 1 {
                let date = if i % 10 == 1 {
                    "2026-01-01"
                } else {
                    "2027-01-01"
                };
                new = new.expiration(Expiration::parse(date).unwrap());
            }
            (client, new)
        })
        .collect()
}

fn engine_with(records_by_channel: &[(Channel, Vec<(ClientId, NewChannelEntry)>)]) -> Engine {
    let mut engine = Engine::new();
    for c in 1..=CLIENTS {
        let client = ClientId::new(c).unwrap();
        engine
            .register_service(client, ServiceId::new(c * 10).unwrap())
            .unwrap();
        engine.set_time_zone(client, "America/Chicago").unwrap();
        engine.set_phone_dnc_type(client, PhoneDncType::DialTime, None);
        engine.add_contact_group(client, ContactGroupId::new(c * 100).unwrap());
    }
    for (channel, records) in records_by_channel {
        for (client, new) in records {
            engine
                .channel_create(*channel, *client, new, Some(AT))
                .unwrap();
        }
    }
    engine
}

fn checks(c: &mut Criterion) {
    let n = size();
    let lists: Vec<(Channel, Vec<(ClientId, NewChannelEntry)>)> = Channel::ALL
        .iter()
        .map(|&channel| (channel, records(channel, n)))
        .collect();
    let engine = engine_with(&lists);
    let mut group = c.benchmark_group(format!(
        "channel_check_{}",
        if smoke() { "10k" } else { "1M" }
    ));
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(3));

    // The floor: a raw HashMap<u64, u32> of as many keys.
    let mut rng = dataset::Rng::new(99);
    let keys: Vec<u64> = (0..n).map(|_| rng.next()).collect();
    let raw: hashbrown::HashMap<u64, u32> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (*k, i as u32))
        .collect();
    let probes: Vec<u64> = (0..4096)
        .map(|_| keys[rng.below(n as u64) as usize])
        .collect();
    cycle(&mut group, "raw_hashmap_u64/hit", &probes, |k| {
        raw.get(k).is_some()
    });

    for (channel, records) in &lists {
        // Hits: stored values, in force at `AT` for every service, asked
        // for by their own client's service.
        let expired = Some(Expiration::parse("2026-01-01").unwrap());
        let in_force: Vec<&(ClientId, NewChannelEntry)> = records
            .iter()
            .filter(|(_, new)| new.contact_group.is_none() && new.expiration != expired)
            .collect();
        let hits: Vec<(ServiceId, ChannelValue)> = (0..4096)
            .map(|_| {
                let (client, new) = in_force[rng.below(in_force.len() as u64) as usize];
                (
                    ServiceId::new(client.get() * 10).unwrap(),
                    new.value.clone(),
                )
            })
            .collect();
        let misses: Vec<(ServiceId, ChannelValue)> = (0..4096)
            .map(|i| {
                (
                    ServiceId::new(10).unwrap(),
                    value(*channel, n as u64 + 1 + i),
                )
            })
            .collect();
        let check = |(service, value): &(ServiceId, ChannelValue)| {
            let query = ChannelQuery {
                service: *service,
                value,
                account: None,
                at: Some(AT),
            };
            engine.channel_check(*channel, &query).unwrap().is_blocked()
        };
        cycle(&mut group, &format!("{channel}/hit"), &hits, check);
        cycle(&mut group, &format!("{channel}/miss"), &misses, check);
    }
    group.finish();

    let mut group = c.benchmark_group("channel_find");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(3));
    let client = ClientId::new(1).unwrap();
    let per_client = engine.channel_info(Channel::Sms, client).unwrap().size as u64;
    for (name, filter, offset) in [
        (
            "substring/first_page",
            ChannelFilter {
                value: Some("77".into()),
                contact_group: None,
            },
            0,
        ),
        (
            "substring/deep_page",
            ChannelFilter {
                value: Some("77".into()),
                contact_group: None,
            },
            per_client / 20,
        ),
        (
            "contact_group/first_page",
            ChannelFilter {
                value: None,
                contact_group: ContactGroupId::new(100).ok(),
            },
            0,
        ),
        (
            "list/deep_page",
            ChannelFilter::default(),
            per_client - 1000,
        ),
    ] {
        let request = PageRequest::new(offset, 1000).unwrap();
        group.bench_function(format!("{name}/100k_of_the_client"), |b| {
            b.iter(|| {
                engine
                    .channel_page(Channel::Sms, client, &filter, request)
                    .unwrap()
                    .entries
                    .len()
            })
        });
    }
    // One client holding the whole list: a find scans all of it.
    let single: Vec<(ClientId, NewChannelEntry)> = records(Channel::Sms, n)
        .into_iter()
        .map(|(_, new)| (client, new.clone()))
        .map(|(client, mut new)| {
            new.contact_group = new.contact_group.map(|_| ContactGroupId::new(100).unwrap());
            (client, new)
        })
        .collect();
    let whole = engine_with(&[(Channel::Sms, single)]);
    let label = if smoke() { "10k" } else { "1M" };
    for (name, offset) in [("first_page", 0), ("deep_page", n as u64 / 20)] {
        let filter = ChannelFilter {
            value: Some("77".into()),
            contact_group: None,
        };
        let request = PageRequest::new(offset, 1000).unwrap();
        group.bench_function(format!("substring/{name}/{label}_of_the_client"), |b| {
            b.iter(|| {
                whole
                    .channel_page(Channel::Sms, client, &filter, request)
                    .unwrap()
                    .entries
                    .len()
            })
        });
    }
    group.finish();
}

fn bulk(c: &mut Criterion) {
    let n = size();
    let records = records(Channel::Dialtime, n);
    let mut group = c.benchmark_group("channel_bulk");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function(
        format!("create_many/{}", if smoke() { "10k" } else { "1M" }),
        |b| {
            b.iter_batched(
                || {
                    let by_client: Vec<Vec<NewChannelEntry>> = (1..=CLIENTS)
                        .map(|c| {
                            records
                                .iter()
                                .filter(|(client, _)| client.get() == c)
                                .map(|(_, new)| new.clone())
                                .collect()
                        })
                        .collect();
                    (engine_with(&[]), by_client)
                },
                |(mut engine, by_client)| {
                    for (index, news) in by_client.into_iter().enumerate() {
                        let client = ClientId::new(index as u64 + 1).unwrap();
                        engine.channel_create_many(Channel::Dialtime, client, news, Some(AT));
                    }
                    engine
                },
                BatchSize::PerIteration,
            )
        },
    );
    group.finish();
}

criterion_group!(benches, checks, bulk);
criterion_main!(benches);
