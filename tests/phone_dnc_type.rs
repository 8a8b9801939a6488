//! SPEC section 8, the phone DNC type: which list answers a client's phone
//! checks, which list may be managed, the migration on switching to
//! DIAL_TIME, and nothing lost on switching back.

use dnc_engine::{
    Account, Channel, ChannelValue, ContactGroupId, DncError, DncKey, Engine, EntryId, Expiration,
    Lifetime, Migration, NewChannelEntry, NewEntry, PhoneDncType, Query, Verdict,
};

#[path = "dnc_type_model/mod.rs"]
mod dnc_type_model;

use dnc_type_model::{client, phone, service};
fn id(n: u64) -> EntryId {
    EntryId::new(n).unwrap()
}

/// Client 1 (services 10, 11) with legacy entries of every kind; client 2
/// (service 20) with one phone entry.
fn engine() -> Engine {
    let mut engine = Engine::new();
    for (c, s) in [(1, 10), (1, 11), (2, 20)] {
        engine.register_service(client(c), service(s)).unwrap();
    }
    let adds = [
        (
            1,
            NewEntry::for_client(client(1), DncKey::Phone(phone("4155550001"))),
        ),
        (
            2,
            NewEntry::for_service(service(10), DncKey::Phone(phone("4155550002"))),
        ),
        (
            3,
            NewEntry::for_client(client(1), DncKey::Phone(phone("4155550003")))
                .with_lifetime(Lifetime::Daily),
        ),
        (
            4,
            NewEntry::for_client(client(1), DncKey::Phone(phone("209*******"))),
        ),
        (
            5,
            NewEntry::for_client(client(1), DncKey::Account(Account::parse("A1").unwrap())),
        ),
        (
            6,
            NewEntry::for_client(client(1), DncKey::Zip("94110".parse().unwrap())),
        ),
        (
            7,
            NewEntry::for_client(client(2), DncKey::Phone(phone("4155550001"))),
        ),
    ];
    for (n, mut new) in adds {
        new.id = Some(id(n));
        engine.add(new).unwrap();
    }
    engine
}

fn check(engine: &Engine, s: u64, number: &str) -> Verdict {
    engine
        .is_blocked(&Query::new(service(s)).phone(phone(number)))
        .unwrap()
}

#[test]
fn a_legacy_client_refuses_dialtime_list_management() {
    let mut engine = engine();
    assert!(engine.is_legacy_dnc_enabled(client(1)));
    assert_eq!(engine.phone_dnc_type(client(1)), PhoneDncType::Legacy);
    let refused = DncError::WrongDncType {
        client: client(1),
        active: PhoneDncType::Legacy,
    };
    let new = NewChannelEntry::new(ChannelValue::Phone(phone("4155550009")));
    assert_eq!(
        engine.channel_create(Channel::Dialtime, client(1), &new, None),
        Err(refused.clone())
    );
    assert_eq!(
        engine.channel_info(Channel::Dialtime, client(1)),
        Err(refused.clone())
    );
    assert_eq!(refused.code(), "wrong_dnc_type");
    // SMS and email lists work for both types.
    assert!(
        engine
            .channel_create(Channel::Sms, client(1), &new, None)
            .is_ok()
    );
}

#[test]
fn switching_to_dial_time_copies_permanent_phone_only_entries() {
    let mut engine = engine();
    let migration = engine.set_phone_dnc_type(client(1), PhoneDncType::DialTime, Some(42));
    // Entries 1 and 2 (permanent, digits): copied; 3 is DAILY; 4 has "*";
    // 5 and 6 are not phone-only; 7 is another client's.
    assert_eq!(
        migration,
        Migration {
            migrated: 2,
            skipped_wildcards: 1,
            already_listed: 0
        }
    );
    let info = engine.channel_info(Channel::Dialtime, client(1)).unwrap();
    assert_eq!((info.size, info.last_modified), (2, Some(42)));
    assert!(!engine.is_legacy_dnc_enabled(client(1)));
    // The service-scoped entry 2 became a dialtime entry for every service.
    for s in [10, 11] {
        let verdict = check(&engine, s, "4155550002");
        assert!(verdict.is_blocked(), "service {s}");
        assert_eq!(
            verdict.entries(),
            [] as [EntryId; 0],
            "legacy phones are inactive"
        );
        assert_eq!(verdict.dialtime_entries().len(), 1);
    }
    // The other client is untouched.
    assert!(engine.is_legacy_dnc_enabled(client(2)));
    assert_eq!(check(&engine, 20, "4155550001").entries(), [id(7)]);
}

#[test]
fn a_dial_time_client_is_answered_by_the_dialtime_list() {
    let mut engine = engine();
    engine.set_phone_dnc_type(client(1), PhoneDncType::DialTime, None);
    // The DAILY legacy phone and the legacy wildcard are inactive now.
    assert!(!check(&engine, 10, "4155550003").is_blocked());
    assert!(
        !engine
            .dial_check(&Query::new(service(10)).phone(phone("2095550000")))
            .unwrap()
            .is_blocked()
    );
    // Account and zip entries stay active.
    let account = Account::parse("a1").unwrap();
    let verdict = engine
        .is_blocked(&Query::new(service(10)).account(&account))
        .unwrap();
    assert_eq!(verdict.entries(), [id(5)]);
    // An expiring dialtime entry still blocks a check made without an
    // instant (the safe answer), and a grouped one only its group.
    let group = ContactGroupId::new(9).unwrap();
    engine.add_contact_group(client(1), group);
    engine
        .set_service_contact_group(service(11), Some(group))
        .unwrap();
    let expired = NewChannelEntry::new(ChannelValue::Phone(phone("4155550010")))
        .expiration(Expiration::parse("2001-01-01").unwrap());
    let grouped =
        NewChannelEntry::new(ChannelValue::Phone(phone("4155550011"))).contact_group(group);
    let expired = engine
        .channel_create(Channel::Dialtime, client(1), &expired, None)
        .unwrap();
    let grouped = engine
        .channel_create(Channel::Dialtime, client(1), &grouped, None)
        .unwrap();
    assert_eq!(
        check(&engine, 10, "4155550010").dialtime_entries(),
        [expired]
    );
    assert!(!check(&engine, 10, "4155550011").is_blocked());
    assert_eq!(
        check(&engine, 11, "4155550011").dialtime_entries(),
        [grouped]
    );
    // The batch answers the same.
    let queries: Vec<Query> = ["4155550010", "4155550011", "4155550003"]
        .iter()
        .flat_map(|n| [10, 11].map(|s| Query::new(service(s)).phone(phone(n))))
        .collect();
    let mut batch = Vec::new();
    engine.is_blocked_batch(&queries, &mut batch);
    for (query, verdict) in queries.iter().zip(batch) {
        assert_eq!(verdict.unwrap(), engine.is_blocked(query).unwrap());
    }
    // Legacy list management is refused, and changes nothing.
    let refused = DncError::WrongDncType {
        client: client(1),
        active: PhoneDncType::DialTime,
    };
    let new = NewEntry::for_client(client(1), DncKey::Phone(phone("4155550099")));
    assert_eq!(engine.add(new.clone()), Err(refused.clone()));
    assert_eq!(engine.remove(id(1)), Err(refused.clone()));
    assert_eq!(engine.add_many([new]).refused(), [(0, refused)]);
    assert!(engine.entry(id(1)).is_some());
    engine.validate().unwrap();
}

#[test]
fn switching_back_loses_nothing_and_switching_again_copies_nothing_twice() {
    let mut engine = engine();
    engine.set_phone_dnc_type(client(1), PhoneDncType::DialTime, None);
    let before: Vec<_> = engine.entries().collect();
    engine.set_phone_dnc_type(client(1), PhoneDncType::Legacy, None);
    let after: Vec<_> = engine.entries().collect();
    assert_eq!(before.len(), after.len());
    assert_eq!(
        check(&engine, 10, "4155550003").entries(),
        [id(3)],
        "the DAILY one is back"
    );
    assert_eq!(
        check(&engine, 10, "4155550001").dialtime_entries(),
        [] as [EntryId; 0]
    );
    assert_eq!(
        engine
            .channel_info(Channel::Dialtime, client(1))
            .unwrap_err()
            .code(),
        "wrong_dnc_type"
    );
    let again = engine.set_phone_dnc_type(client(1), PhoneDncType::DialTime, None);
    assert_eq!(
        again,
        Migration {
            migrated: 0,
            skipped_wildcards: 1,
            already_listed: 2
        }
    );
    assert_eq!(
        engine
            .channel_info(Channel::Dialtime, client(1))
            .unwrap()
            .size,
        2
    );
    // Setting the type a client already has does nothing.
    assert_eq!(
        engine.set_phone_dnc_type(client(1), PhoneDncType::DialTime, None),
        Migration::default()
    );
    engine.validate().unwrap();
}

mod mixed {
    //! Legacy and dialtime operations mixed with type switches, against a
    //! naive model of SPEC 8 (`tests/dnc_type_model/`, shared with the
    //! `dnc_type_ops` fuzz target): `is_blocked` answers a phone from the
    //! client's active list, management of the other list is refused, and
    //! a switch to DIAL_TIME copies what SPEC 8 says.

    use super::dnc_type_model::{Op, run};
    use proptest::prelude::*;

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (1..3u64, any::<bool>(), 0..6u8, any::<bool>()).prop_map(|(c, scoped, number, daily)| Op::LegacyAdd { c, scoped, number, daily }),
            1 => any::<u8>().prop_map(|pick| Op::LegacyRemove { pick }),
            3 => (1..3u64, 0..6u8, any::<bool>()).prop_map(|(c, number, grouped)| Op::DialtimeCreate { c, number, grouped }),
            1 => any::<u8>().prop_map(|pick| Op::DialtimeDelete { pick }),
            2 => (1..3u64, any::<bool>()).prop_map(|(c, dial_time)| Op::Switch { c, dial_time }),
            5 => (prop_oneof![Just(10u64), Just(11), Just(20)], 0..6u8).prop_map(|(s, number)| Op::Check { s, number }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// `is_blocked` answers from the client's active phone list, the
        /// other list refuses management, and switches copy exactly what
        /// SPEC 8 says, on random mixed sequences.
        #[test]
        fn the_active_phone_list_agrees_with_the_model(ops in proptest::collection::vec(op(), 1..60)) {
            run(ops).map_err(TestCaseError::fail)?;
        }
    }
}
