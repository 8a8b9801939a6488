//! SPEC section 8, the phone DNC type: which list answers a client's phone
//! checks, which list may be managed, the migration on switching to
//! DIAL_TIME, and nothing lost on switching back.

use dnc_engine::{
    Account, Channel, ChannelQuery, ChannelValue, ContactGroupId, DncError, DncKey, Engine,
    EntryId, Expiration, Lifetime, Migration, NewChannelEntry, NewEntry, NotCarried,
    NotCarriedReason, PhoneDncType, Query, Verdict,
};

#[path = "dnc_type_model/mod.rs"]
mod dnc_type_model;

use dnc_type_model::{client, ms, phone, service};
fn id(n: u64) -> EntryId {
    EntryId::new(n).unwrap()
}
fn not_carried(n: u64, number: &str, reason: NotCarriedReason) -> NotCarried {
    NotCarried {
        entry: id(n),
        phone: phone(number),
        reason,
    }
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
    let migration = engine.set_phone_dnc_type(client(1), PhoneDncType::DialTime, Some(ms(42)));
    // Entries 1 and 2 (permanent, digits): copied; 3 is DAILY; 4 has "*";
    // 5 and 6 are not phone-only; 7 is another client's.
    assert_eq!(
        migration,
        Migration {
            migrated: 2,
            already_listed: 0,
            not_carried: vec![
                not_carried(3, "4155550003", NotCarriedReason::Daily),
                not_carried(4, "209*******", NotCarriedReason::Wildcard),
            ],
        }
    );
    let info = engine.channel_info(Channel::Dialtime, client(1)).unwrap();
    assert_eq!((info.size, info.last_modified), (2, Some(ms(42))));
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
            already_listed: 2,
            not_carried: vec![
                not_carried(3, "4155550003", NotCarriedReason::Daily),
                not_carried(4, "209*******", NotCarriedReason::Wildcard),
            ],
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

/// Issue 10 §1: the phone channel check of a LEGACY client was answered
/// from its inactive dialtime list ("not blocked" for a listed number).
#[test]
fn a_phone_channel_check_asks_the_active_list() {
    let mut engine = engine();
    let value = ChannelValue::Phone(phone("4155550001"));
    let dialed = ChannelValue::Phone(phone("2095550000"));
    let query = |value| ChannelQuery {
        service: service(10),
        value,
        account: None,
        at: Some(ms(0)),
    };
    // LEGACY: the legacy entries answer, wildcards as patterns.
    let verdict = engine
        .channel_check(Channel::Dialtime, &query(&value))
        .unwrap();
    assert_eq!(verdict.entries(), [id(1)]);
    let verdict = engine
        .channel_check(Channel::Dialtime, &query(&dialed))
        .unwrap();
    assert_eq!(verdict.entries(), [id(4)], "209******* blocks 2095550000");
    // DIAL_TIME: the copies answer, in the dialtime id space.
    engine.set_phone_dnc_type(client(1), PhoneDncType::DialTime, None);
    let verdict = engine
        .channel_check(Channel::Dialtime, &query(&value))
        .unwrap();
    assert_eq!(verdict.entries(), [id(1)]);
    let dialtime_id = engine
        .channel_create(
            Channel::Dialtime,
            client(1),
            &NewChannelEntry::new(ChannelValue::Phone(phone("4155550009"))),
            None,
        )
        .unwrap();
    // Back to LEGACY: the dialtime ids no longer answer.
    engine.set_phone_dnc_type(client(1), PhoneDncType::Legacy, None);
    let listed_only_in_dialtime = ChannelValue::Phone(phone("4155550009"));
    let verdict = engine
        .channel_check(Channel::Dialtime, &query(&listed_only_in_dialtime))
        .unwrap();
    assert!(!verdict.is_blocked(), "entry {dialtime_id} is inactive");
    assert_eq!(
        engine
            .channel_check(Channel::Dialtime, &query(&value))
            .unwrap()
            .entries(),
        [id(1)]
    );
}

/// Issue 10 §3: a PERMANENT legacy phone was not copied when the dialtime
/// list held the same number with an expiration (or a contact group), so
/// the permanent block lapsed with the expiration.
#[test]
fn a_switch_copies_a_permanent_phone_the_list_holds_only_for_a_while() {
    let mut engine = engine();
    let group = ContactGroupId::new(5).unwrap();
    engine.add_contact_group(client(1), group);
    engine.set_phone_dnc_type(client(1), PhoneDncType::DialTime, None);
    for (number, entry) in [
        (
            "4155550020",
            NewChannelEntry::new(ChannelValue::Phone(phone("4155550020")))
                .expiration(Expiration::parse("2020-01-01").unwrap()),
        ),
        (
            "4155550021",
            NewChannelEntry::new(ChannelValue::Phone(phone("4155550021"))).contact_group(group),
        ),
    ] {
        engine
            .channel_create(Channel::Dialtime, client(1), &entry, None)
            .unwrap();
        engine.set_phone_dnc_type(client(1), PhoneDncType::Legacy, None);
        engine
            .add(NewEntry::for_client(
                client(1),
                DncKey::Phone(phone(number)),
            ))
            .unwrap();
        let migration = engine.set_phone_dnc_type(client(1), PhoneDncType::DialTime, None);
        assert_eq!(migration.migrated, 1, "{number}: {migration:?}");
        let query = Query::new(service(11)).phone(phone(number));
        let later = ChannelQuery {
            service: service(11),
            value: &ChannelValue::Phone(phone(number)),
            account: None,
            at: Some(ms(1_800_000_000_000)),
        };
        assert!(engine.is_blocked(&query).unwrap().is_blocked(), "{number}");
        assert!(
            engine
                .channel_check(Channel::Dialtime, &later)
                .unwrap()
                .is_blocked(),
            "{number} must stay blocked after 2020 and outside the group"
        );
    }
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
            3 => (1..3u64, 0..6u8, any::<bool>(), any::<bool>()).prop_map(|(c, number, grouped, expiring)| Op::DialtimeCreate { c, number, grouped, expiring }),
            1 => any::<u8>().prop_map(|pick| Op::DialtimeDelete { pick }),
            2 => (1..3u64, any::<bool>()).prop_map(|(c, dial_time)| Op::Switch { c, dial_time }),
            5 => (prop_oneof![Just(10u64), Just(11), Just(20)], 0..6u8, any::<bool>()).prop_map(|(s, number, late)| Op::Check { s, number, late }),
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
