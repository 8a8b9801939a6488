//! Criterion benchmarks of SPEC part 3: the dial decision (allowed, refused
//! by a DNC entry, refused by the hours with the next allowed instant found,
//! with a mismatched ZIP), the profile's hours alone, and the geography
//! lookups (area code, exchange zones, ZIP, zipAreaMatch). Baseline in the
//! same run: the plain dial check of the same requests.
//!
//! The engine holds 1M mixed entries over 100 clients (10k for CI's smoke
//! run); every client has a default profile of 24 policies (state windows,
//! area-code rules, weekend rules).
//!
//! A second group (issue 10, section 7) dials toll-free and single-zone
//! numbers under a profile of 10,000 area-code policies and under the
//! 24-policy one: evaluation reads only the policies that can cover the
//! callee's places, so the large profile should cost about what the small
//! one does.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use dnc_engine::geo::{self, AreaCode, StateCode};
use dnc_engine::jiff::Timestamp;
use dnc_engine::{
    DayRule, DialRequest, DncKey, Engine, NewEntry, NewPolicy, NewProfile, Phone, Query, Region,
    TimeOfDay, Window, Zip, ZipAreaMatchType, zip_area_match,
};

#[path = "support/cycle.rs"]
mod cycle;
#[path = "support/dataset.rs"]
mod dataset;

use cycle::{cycle, smoke};
use dataset::{CLIENTS, Rng, SERVICES_PER_CLIENT};

fn size() -> usize {
    if smoke() { 10_000 } else { 1_000_000 }
}

/// Requests per pool: enough to defeat the caches' memory of one key.
const POOL: usize = 4096;

/// In-service geographic area codes with a single zone: what a dialer's
/// lists are mostly made of.
fn single_zone_area_codes() -> Vec<u16> {
    (200..=999)
        .filter(|&code| {
            let info = AreaCode::new(code).unwrap().info();
            info.in_service && info.geographic && info.zones.len() == 1
        })
        .collect()
}

fn dialable(rng: &mut Rng, codes: &[u16]) -> Phone {
    let npa = codes[rng.below(codes.len() as u64) as usize];
    let rest = 2_000_000 + rng.below(8_000_000);
    Phone::parse(&format!("{npa}{rest}")).unwrap()
}

/// A client's default profile: a weekday window per state for twelve
/// states, weekend rules for three, area-code rules for six codes.
fn profile_policies() -> Vec<NewPolicy> {
    let time = |t| TimeOfDay::parse(t).unwrap();
    let window = |a, b| Some(Window::new(time(a), time(b)).unwrap());
    let state = |s| Region::new(None, Some(StateCode::parse(s).unwrap()), None).unwrap();
    let area = |a| Region::new(None, None, Some(AreaCode::new(a).unwrap())).unwrap();
    let mut policies = Vec::new();
    for s in [
        "CA", "NY", "TX", "FL", "IL", "PA", "OH", "GA", "NC", "MI", "NJ", "VA",
    ] {
        policies.push(NewPolicy {
            window: window("09:00", "20:00"),
            ..NewPolicy::new(DayRule::Weekday, state(s))
        });
    }
    for s in ["TX", "PA", "NV"] {
        policies.push(NewPolicy {
            window: window("12:00", "17:00"),
            ..NewPolicy::new(DayRule::Weekend, state(s))
        });
    }
    for a in [415, 212, 305, 702, 512, 617] {
        policies.push(NewPolicy {
            window: window("10:00", "19:00"),
            do_not_leave_message: true,
            ..NewPolicy::new(DayRule::All, area(a))
        });
    }
    policies.push(NewPolicy {
        do_not_dial: true,
        ..NewPolicy::new(DayRule::parse("SUNDAY").unwrap(), area(410))
    });
    policies.push(NewPolicy {
        window: window("08:00", "12:00"),
        ..NewPolicy::new(DayRule::parse("SATURDAY").unwrap(), state("CA"))
    });
    policies.push(NewPolicy {
        window: window("09:00", "18:00"),
        ..NewPolicy::new(
            DayRule::All,
            Region::new(Some(geo::Country::Usa), None, None).unwrap(),
        )
    });
    policies
}

/// 10,000 area-code policies: 12 or 13 for each of the 800 codes, with
/// various days and windows (a client that tunes its hours code by code).
fn area_code_policies() -> Vec<NewPolicy> {
    let days = [
        "MONDAY",
        "TUESDAY",
        "WEDNESDAY",
        "THURSDAY",
        "FRIDAY",
        "SATURDAY",
        "SUNDAY",
        "WEEKDAY",
        "WEEKEND",
        "ALL",
    ];
    (0..10_000u32)
        .map(|i| {
            let code = AreaCode::new(200 + (i % 800) as u16).unwrap();
            let start = 7 + (i / 800) % 4;
            let window = Window::new(
                TimeOfDay::hms(start, 0, 0).unwrap(),
                TimeOfDay::hms(start + 11, 0, 0).unwrap(),
            )
            .unwrap();
            NewPolicy {
                window: Some(window),
                ..NewPolicy::new(
                    DayRule::parse(days[(i / 800) as usize % days.len()]).unwrap(),
                    Region::new(None, None, Some(code)).unwrap(),
                )
            }
        })
        .collect()
}

/// Toll-free and single-zone calls under a large and a small profile.
fn bench_profile_size(c: &mut Criterion) {
    let (large, small) = (dataset::client(0), dataset::client(1));
    let (large_service, small_service) = (dataset::service(0), dataset::service(1));
    let mut engine = Engine::new();
    for (client, service, policies) in [
        (large, large_service, area_code_policies()),
        (small, small_service, profile_policies()),
    ] {
        engine.register_service(client, service).unwrap();
        engine
            .profile_create(
                Some(client),
                NewProfile {
                    client: Some(client),
                    name: format!("{} policies", policies.len()),
                    description: None,
                    client_default: true,
                    policies,
                },
            )
            .unwrap();
    }
    let mut rng = Rng::new(10);
    let toll_free_codes = [800, 833, 844, 855, 866, 877, 888];
    let single = single_zone_area_codes();
    // Tuesday 2026-12-01 23:00Z: 18:00 Eastern, 09:00 in Guam: inside the
    // standard hours at every place a toll-free number may ring.
    let evening: Timestamp = "2026-12-01T23:00:00Z".parse().unwrap();
    let pool = |rng: &mut Rng, service, codes: &[u16]| -> Vec<DialRequest<'static>> {
        (0..POOL)
            .map(|_| DialRequest::new(service, dialable(rng, codes), evening))
            .collect()
    };
    let mut group = c.benchmark_group("dialing by profile size");
    group.measurement_time(Duration::from_secs(if smoke() { 1 } else { 4 }));
    for (name, service) in [
        ("10,000 area-code policies", large_service),
        ("24 policies", small_service),
    ] {
        let toll_free = pool(&mut rng, service, &toll_free_codes);
        let single_zone = pool(&mut rng, service, &single);
        cycle(
            &mut group,
            &format!("dial_decision toll-free, {name}"),
            &toll_free,
            |request| engine.dial_decision(request).unwrap().allowed(),
        );
        cycle(
            &mut group,
            &format!("dial_decision single-zone, {name}"),
            &single_zone,
            |request| engine.dial_decision(request).unwrap().allowed(),
        );
    }
    group.finish();
}

fn engine_with_profiles() -> Engine {
    let mut engine = dataset::empty_engine();
    let outcome = engine.add_many(dataset::mixed_entries(size(), 1));
    assert!(outcome.refused().is_empty());
    for c in 0..CLIENTS {
        let client = dataset::client(c);
        engine
            .profile_create(
                Some(client),
                NewProfile {
                    client: Some(client),
                    name: format!("client {c}"),
                    description: None,
                    client_default: true,
                    policies: profile_policies(),
                },
            )
            .unwrap();
    }
    engine
}

fn bench(c: &mut Criterion) {
    let engine = engine_with_profiles();
    let codes = single_zone_area_codes();
    let mut rng = Rng::new(9);
    let service_of = |rng: &mut Rng| dataset::service(rng.below(CLIENTS * SERVICES_PER_CLIENT));
    // Tuesday 2026-12-01 18:00Z: 10:00 Pacific, 13:00 Eastern.
    let day: Timestamp = "2026-12-01T18:00:00Z".parse().unwrap();
    // 10:00Z: the middle of the night everywhere in the US.
    let night: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
    let pool = |rng: &mut Rng, at| -> Vec<DialRequest<'static>> {
        (0..POOL)
            .map(|_| DialRequest::new(service_of(rng), dialable(rng, &codes), at))
            .collect()
    };
    let allowed: Vec<DialRequest<'static>> = pool(&mut rng, day)
        .into_iter()
        .filter(|r| engine.dial_decision(r).unwrap().allowed())
        .collect();
    let by_hours = pool(&mut rng, night);
    // Requests whose phone is a client-level DNC entry of their client.
    let mut by_entry = Vec::new();
    for _ in 0..POOL {
        let c = rng.below(CLIENTS);
        let phone = dialable(&mut rng, &codes);
        by_entry.push((
            (c, phone),
            DialRequest::new(dataset::service(c * SERVICES_PER_CLIENT), phone, day),
        ));
    }
    let mut engine = engine;
    for ((c, phone), _) in &by_entry {
        engine
            .add(NewEntry::for_client(
                dataset::client(*c),
                DncKey::Phone(*phone),
            ))
            .unwrap();
    }
    let by_entry: Vec<DialRequest<'static>> = by_entry.into_iter().map(|(_, r)| r).collect();
    let ny_zip = Zip::parse("10010").unwrap();
    let mismatched: Vec<DialRequest<'static>> = allowed.iter().map(|r| r.zip(ny_zip)).collect();
    let queries: Vec<Query<'static>> = allowed
        .iter()
        .map(|r| Query::new(r.service).phone(r.phone))
        .collect();
    let real_zips: Vec<Zip> = (0..100_000u32)
        .filter_map(|n| Zip::parse(&format!("{n:05}")).ok())
        .filter(|zip| geo::zip_info(*zip).is_some())
        .collect();
    let zip_pool: Vec<Zip> = (0..POOL)
        .map(|_| real_zips[rng.below(real_zips.len() as u64) as usize])
        .collect();
    let code_pool: Vec<AreaCode> = (0..POOL)
        .map(|_| AreaCode::new(200 + rng.below(800) as u16).unwrap())
        .collect();
    let pairs: Vec<(AreaCode, Zip)> = code_pool
        .iter()
        .copied()
        .zip(zip_pool.iter().copied())
        .collect();

    let mut group = c.benchmark_group("dialing");
    group.measurement_time(Duration::from_secs(if smoke() { 1 } else { 4 }));
    cycle(
        &mut group,
        "baseline: dial_check (same requests)",
        &queries,
        |query| engine.dial_check(query).unwrap().is_blocked(),
    );
    cycle(&mut group, "dial_decision allowed", &allowed, |request| {
        engine.dial_decision(request).unwrap().allowed()
    });
    cycle(
        &mut group,
        "dial_decision refused by a DNC entry",
        &by_entry,
        |request| engine.dial_decision(request).unwrap().allowed(),
    );
    cycle(
        &mut group,
        "dial_decision refused by the hours (with next allowed)",
        &by_hours,
        |request| {
            engine
                .dial_decision(request)
                .unwrap()
                .next_allowed()
                .is_some()
        },
    );
    cycle(
        &mut group,
        "dial_decision with a mismatched ZIP",
        &mismatched,
        |request| engine.dial_decision(request).unwrap().allowed(),
    );
    cycle(
        &mut group,
        "dialing_hours alone (profile evaluation)",
        &allowed,
        |request| {
            engine
                .dialing_hours(request.service, request.phone, request.at)
                .unwrap()
                .may_dial()
        },
    );
    cycle(&mut group, "area code lookup", &code_pool, |code| {
        code.info().in_service
    });
    cycle(
        &mut group,
        "exchange zones of a phone",
        &allowed,
        |request| geo::phone_zones(request.phone).unwrap().len() == 1,
    );
    cycle(&mut group, "ZIP lookup", &zip_pool, |zip| {
        geo::zip_info(*zip).is_some()
    });
    cycle(
        &mut group,
        "zipAreaMatch DIAL_TIME_OPTIMIZED",
        &pairs,
        |(code, zip)| zip_area_match(*code, *zip, ZipAreaMatchType::DialTimeOptimized).matched,
    );
    group.finish();
    eprintln!(
        "pools: {} allowed of {POOL} day requests; {} entries",
        allowed.len(),
        engine.len()
    );
}

criterion_group!(benches, bench, bench_profile_size);
criterion_main!(benches);
