//! Issue 10 §6: a panic in the caller's own code (the iterator of a bulk
//! load failing on a bad row) must leave the engine exactly as it was, at
//! whatever position it comes: nothing half-filed, nothing counted that is
//! not there, every later operation as on an engine that never saw it.

#[path = "support/instant.rs"]
mod instant;
use instant::ms;
use std::panic::{AssertUnwindSafe, catch_unwind};

use dnc_engine::{
    Account, Channel, ChannelValue, ClientId, DncKey, Engine, EntryId, Lifetime, NewChannelEntry,
    NewEntry, Phone, Query, ServiceId, Zip,
};
use proptest::prelude::*;

fn client(n: u64) -> ClientId {
    ClientId::new(n).unwrap()
}
fn service(n: u64) -> ServiceId {
    ServiceId::new(n).unwrap()
}

/// Services 10 (client 1) and 20 (client 2), with a few entries already.
fn engine() -> Engine {
    let mut engine = Engine::new();
    engine.register_service(client(1), service(10)).unwrap();
    engine.register_service(client(2), service(20)).unwrap();
    for new in [
        NewEntry::for_client(client(1), key(0)),
        NewEntry::for_service(service(20), key(3)),
    ] {
        engine.add(new).unwrap();
    }
    engine
}

/// Keys of every kind, wildcards included.
fn key(n: u8) -> DncKey {
    let phone = |text: &str| Phone::parse(text).unwrap();
    let account = |text: &str| Account::parse(text).unwrap();
    match n % 7 {
        0 => DncKey::Phone(phone("4155550100")),
        1 => DncKey::Phone(phone("209*******")),
        2 => DncKey::Account(account("A1")),
        3 => DncKey::PhoneAccount(phone("4155550101"), account("a*")),
        4 => DncKey::Zip(Zip::parse("94110").unwrap()),
        5 => DncKey::Phone(phone("4155550102")),
        _ => DncKey::Account(account("B2")),
    }
}

/// One record of a bulk: its scope, key, lifetime and id; some refused.
fn record((scope, n, daily, id): (u8, u8, bool, Option<u64>)) -> NewEntry {
    let mut new = match scope % 4 {
        0 => NewEntry::for_client(client(1), key(n)),
        1 => NewEntry::for_service(service(10), key(n)),
        2 => NewEntry::for_client(client(2), key(n)),
        // Refused: an unknown service.
        _ => NewEntry::for_service(service(99), key(n)),
    };
    if daily {
        new = new.with_lifetime(Lifetime::Daily);
    }
    // Small ids collide with each other and with the engine's (1 and 2).
    new.id = id.map(|id| EntryId::new(id).unwrap());
    new
}

/// Everything the public API shows about the legacy side of the engine,
/// including what the checks answer for every key.
fn fingerprint(engine: &Engine) -> String {
    let mut entries: Vec<String> = engine.entries().map(|e| format!("{e:?}")).collect();
    entries.sort();
    let infos: Vec<String> = [1, 2]
        .map(|c| format!("{:?}", engine.legacy_info(client(c))))
        .to_vec();
    let mut checks = Vec::new();
    for s in [10, 20] {
        for n in 0..7 {
            let dialed = Phone::parse("2095550000").unwrap();
            let account = Account::parse("A1").unwrap();
            let query = match key(n) {
                DncKey::Phone(phone) => Query::new(service(s)).phone(phone),
                DncKey::Account(_) => Query::new(service(s)).account(&account),
                DncKey::PhoneAccount(phone, _) => Query::new(service(s)).phone(phone),
                DncKey::Zip(zip) => Query::new(service(s)).zip(zip),
            };
            checks.push(format!("{:?}", engine.is_blocked(&query)));
            let dial = Query::new(service(s)).phone(dialed).account(&account);
            checks.push(format!("{:?}", engine.dial_check(&dial)));
        }
    }
    format!("{entries:?} {infos:?} {checks:?} next {}", engine.next_id())
}

/// A bulk whose iterator panics when it reaches `panic_at`.
fn bulk_panicking_at(records: Vec<NewEntry>, panic_at: usize) -> impl Iterator<Item = NewEntry> {
    records.into_iter().enumerate().map(move |(position, new)| {
        if position == panic_at {
            panic!("the caller's loader failed on row {position}");
        }
        new
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A panic at every position of a bulk input leaves the engine as it
    /// was; the same bulk without the panic then applies as on a fresh
    /// engine.
    #[test]
    fn a_panic_at_any_position_of_a_bulk_changes_nothing(
        raw in proptest::collection::vec(
            (any::<u8>(), any::<u8>(), any::<bool>(), proptest::option::weighted(0.3, 1u64..8)),
            0..12,
        )
    ) {
        let records: Vec<NewEntry> = raw.into_iter().map(record).collect();
        let expected = {
            let mut fresh = engine();
            let outcome = fresh.add_many(records.clone());
            (fingerprint(&fresh), outcome)
        };
        for panic_at in 0..records.len() {
            let mut engine = engine();
            let before = fingerprint(&engine);
            let result = catch_unwind(AssertUnwindSafe(|| {
                engine.add_many_at(bulk_panicking_at(records.clone(), panic_at), Some(ms(5)))
            }));
            prop_assert!(result.is_err(), "the panic reaches the caller");
            prop_assert_eq!(fingerprint(&engine), before.clone(), "panic at {}", panic_at);
            engine.validate().map_err(TestCaseError::fail)?;
            // The engine goes on as if the failed bulk never happened.
            let outcome = engine.add_many(records.clone());
            prop_assert_eq!(&(fingerprint(&engine), outcome), &expected);
            engine.validate().map_err(TestCaseError::fail)?;
        }
    }
}

#[test]
fn a_panic_in_a_channel_bulk_changes_nothing() {
    let mut engine = engine();
    let _copied_nothing =
        engine.set_phone_dnc_type(client(1), dnc_engine::PhoneDncType::DialTime, None);
    for channel in Channel::ALL {
        let value = |n: u64| match channel {
            Channel::Email => {
                ChannelValue::Email(dnc_engine::Email::parse(&format!("a{n}@b.co")).unwrap())
            }
            _ => ChannelValue::Phone(Phone::parse(&format!("415555010{n}")).unwrap()),
        };
        for panic_at in 0..4 {
            let before = format!(
                "{:?} {:?}",
                engine.channel_entries(channel),
                engine.channel_info(channel, client(1))
            );
            let records = (0..4).map(|n| NewChannelEntry::new(value(n)));
            let result = catch_unwind(AssertUnwindSafe(|| {
                engine.channel_create_many(
                    channel,
                    client(1),
                    records.enumerate().map(|(position, new)| {
                        assert_ne!(position, panic_at, "the loader failed");
                        new
                    }),
                    Some(ms(7)),
                )
            }));
            assert!(result.is_err());
            let after = format!(
                "{:?} {:?}",
                engine.channel_entries(channel),
                engine.channel_info(channel, client(1))
            );
            assert_eq!(after, before, "{channel} panic at {panic_at}");
            engine.validate().unwrap();
        }
    }
}
