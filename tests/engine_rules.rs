//! SPEC sections 1–4 rule by rule, each test named after the rule it pins.

use dnc_engine::{
    Account, AccountFlag, AccountFlags, ClientId, DncError, DncKey, Engine, EntryId, FlagUpdate,
    Lifetime, MAX_ID, NewEntry, Phone, Query, ServiceId, Zip,
};

fn client(id: u64) -> ClientId {
    ClientId::new(id).unwrap()
}
fn service(id: u64) -> ServiceId {
    ServiceId::new(id).unwrap()
}
fn phone(text: &str) -> Phone {
    Phone::parse(text).unwrap()
}
fn account(text: &str) -> Account {
    Account::parse(text).unwrap()
}
fn zip(text: &str) -> Zip {
    Zip::parse(text).unwrap()
}

/// Client 1 owns services 10 and 11; client 2 owns service 20.
fn engine() -> Engine {
    let mut engine = Engine::new();
    engine.register_service(client(1), service(10)).unwrap();
    engine.register_service(client(1), service(11)).unwrap();
    engine.register_service(client(2), service(20)).unwrap();
    engine
}

fn blocked_ids(engine: &Engine, query: Query<'_>) -> Vec<EntryId> {
    engine.is_blocked(&query).unwrap().entries().to_vec()
}

fn dial_ids(engine: &Engine, query: Query<'_>) -> Vec<EntryId> {
    engine.dial_check(&query).unwrap().entries().to_vec()
}

#[test]
fn registering_the_same_pair_again_is_a_no_op() {
    let mut engine = engine();
    assert_eq!(engine.register_service(client(1), service(10)), Ok(()));
    assert_eq!(engine.client_of(service(10)), Some(client(1)));
}

#[test]
fn registering_a_service_under_another_client_is_refused() {
    let mut engine = engine();
    assert_eq!(
        engine.register_service(client(2), service(10)),
        Err(DncError::ServiceClientMismatch {
            service: service(10),
            owner: client(1),
            given: client(2)
        })
    );
    assert_eq!(engine.client_of(service(10)), Some(client(1)));
}

#[test]
fn duplicate_entries_each_get_their_own_id_and_both_apply() {
    let mut engine = engine();
    let key = DncKey::Phone(phone("4155550100"));
    let a = engine
        .add(NewEntry::for_client(client(1), key.clone()))
        .unwrap();
    let b = engine.add(NewEntry::for_client(client(1), key)).unwrap();
    assert_ne!(a, b);
    assert_eq!(
        blocked_ids(&engine, Query::new(service(10)).phone(phone("4155550100"))),
        vec![a, b]
    );
}

#[test]
fn client_level_entries_apply_to_every_service_of_the_client_only() {
    let mut engine = engine();
    let key = DncKey::Phone(phone("4155550100"));
    let id = engine.add(NewEntry::for_client(client(1), key)).unwrap();
    let query = |s| Query::new(service(s)).phone(phone("4155550100"));
    assert_eq!(blocked_ids(&engine, query(10)), vec![id]);
    assert_eq!(blocked_ids(&engine, query(11)), vec![id]);
    assert_eq!(
        blocked_ids(&engine, query(20)),
        vec![],
        "client 2 is another tenant"
    );
}

#[test]
fn service_scoped_entries_apply_to_their_service_only() {
    let mut engine = engine();
    let key = DncKey::Phone(phone("4155550100"));
    let id = engine.add(NewEntry::for_service(service(10), key)).unwrap();
    let query = |s| Query::new(service(s)).phone(phone("4155550100"));
    assert_eq!(blocked_ids(&engine, query(10)), vec![id]);
    assert_eq!(blocked_ids(&engine, query(11)), vec![]);
}

#[test]
fn each_key_kind_matches_as_spec_2_says() {
    let mut engine = engine();
    let p = engine
        .add(NewEntry::for_client(
            client(1),
            DncKey::Phone(phone("1111111111")),
        ))
        .unwrap();
    let a = engine
        .add(NewEntry::for_client(
            client(1),
            DncKey::Account(account("ACC1")),
        ))
        .unwrap();
    let pa = engine
        .add(NewEntry::for_client(
            client(1),
            DncKey::PhoneAccount(phone("2222222222"), account("ACC2")),
        ))
        .unwrap();
    let z = engine
        .add(NewEntry::for_client(client(1), DncKey::Zip(zip("94110"))))
        .unwrap();
    let (acc1, acc2, other) = (account("acc1"), account("ACC2"), account("OTHER"));
    let s = || Query::new(service(10));
    let cases: Vec<(&str, Query<'_>, Vec<EntryId>)> = vec![
        (
            "phone entry, phone alone",
            s().phone(phone("1111111111")),
            vec![p],
        ),
        (
            "phone entry, any account",
            s().phone(phone("1111111111")).account(&other),
            vec![p],
        ),
        ("account entry, account alone", s().account(&acc1), vec![a]),
        (
            "account entry, any phone",
            s().phone(phone("9999999999")).account(&acc1),
            vec![a],
        ),
        (
            "pair entry, both",
            s().phone(phone("2222222222")).account(&acc2),
            vec![pa],
        ),
        (
            "pair entry, phone without account",
            s().phone(phone("2222222222")),
            vec![],
        ),
        (
            "pair entry, wrong account",
            s().phone(phone("2222222222")).account(&other),
            vec![],
        ),
        (
            "pair entry, account without phone",
            s().account(&acc2),
            vec![],
        ),
        ("zip entry", s().zip(zip("94110")), vec![z]),
        ("zip entry via ZIP+4", s().zip(zip("94110-0001")), vec![z]),
        (
            "everything at once",
            s().phone(phone("1111111111"))
                .account(&acc1)
                .zip(zip("94110")),
            vec![p, a, z],
        ),
        ("nothing matches", s().phone(phone("3333333333")), vec![]),
    ];
    for (name, query, expected) in cases {
        assert_eq!(blocked_ids(&engine, query), expected, "{name}");
    }
}

#[test]
fn accounts_match_ignoring_ascii_case_everywhere() {
    let mut engine = engine();
    let a = engine
        .add(NewEntry::for_client(
            client(1),
            DncKey::Account(account("QA1619")),
        ))
        .unwrap();
    let pa = engine
        .add(NewEntry::for_client(
            client(1),
            DncKey::PhoneAccount(phone("4155550100"), account("Xy-9")),
        ))
        .unwrap();
    engine.set_account_flags(
        client(1),
        &account("FLAG"),
        FlagUpdate {
            do_not_dial: Some(true),
            ..Default::default()
        },
    );
    let (lower, upper, flag) = (account("qa1619"), account("xY-9"), account("flag"));
    let s = || Query::new(service(10));
    assert_eq!(blocked_ids(&engine, s().account(&lower)), vec![a]);
    assert_eq!(
        blocked_ids(&engine, s().phone(phone("4155550100")).account(&upper)),
        vec![pa]
    );
    assert!(
        engine
            .is_blocked(&s().account(&flag))
            .unwrap()
            .flags()
            .do_not_dial
    );
    assert_eq!(
        engine.entry(a).unwrap().key.account().unwrap().as_str(),
        "QA1619",
        "spelling kept"
    );
}

#[test]
fn account_flags_block_and_are_named_in_order() {
    let mut engine = engine();
    let acct = account("A1");
    let both = FlagUpdate {
        do_not_dial: Some(true),
        do_not_dial_daily: Some(true),
    };
    engine.set_account_flags(client(1), &acct, both);
    let verdict = engine
        .is_blocked(&Query::new(service(10)).account(&acct))
        .unwrap();
    assert!(verdict.is_blocked());
    assert!(verdict.entries().is_empty());
    assert_eq!(
        verdict.flags().iter().collect::<Vec<_>>(),
        [AccountFlag::DoNotDial, AccountFlag::DoNotDialDaily]
    );
    // A request without the account is not blocked by its flags.
    let verdict = engine
        .is_blocked(&Query::new(service(10)).phone(phone("4155550100")))
        .unwrap();
    assert!(!verdict.is_blocked());
    // Another client's account of the same name has no flags.
    let verdict = engine
        .is_blocked(&Query::new(service(20)).account(&acct))
        .unwrap();
    assert!(!verdict.is_blocked());
    // Omitted fields stay; a cleared flag stops blocking.
    engine.set_account_flags(
        client(1),
        &acct,
        FlagUpdate {
            do_not_dial: Some(false),
            ..Default::default()
        },
    );
    assert_eq!(
        engine.account_flags(client(1), &acct),
        AccountFlags {
            do_not_dial: false,
            do_not_dial_daily: true
        }
    );
    engine.set_account_flags(
        client(1),
        &acct,
        FlagUpdate {
            do_not_dial_daily: Some(false),
            ..Default::default()
        },
    );
    assert!(
        !engine
            .is_blocked(&Query::new(service(10)).account(&acct))
            .unwrap()
            .is_blocked()
    );
    engine.validate().unwrap();
}

#[test]
fn is_blocked_compares_stars_literally() {
    let mut engine = engine();
    let id = engine
        .add(NewEntry::for_client(
            client(1),
            DncKey::Phone(phone("209*******")),
        ))
        .unwrap();
    let s = || Query::new(service(10));
    assert_eq!(
        blocked_ids(&engine, s().phone(phone("209*******"))),
        vec![id]
    );
    assert_eq!(blocked_ids(&engine, s().phone(phone("2093334545"))), vec![]);
    assert_eq!(
        blocked_ids(&engine, s().phone(phone("209******"))),
        vec![],
        "six stars are another string"
    );
}

#[test]
fn dial_check_reads_stored_stars_as_patterns() {
    let mut engine = engine();
    let add = |engine: &mut Engine, key| engine.add(NewEntry::for_client(client(1), key)).unwrap();
    let area = add(&mut engine, DncKey::Phone(phone("209*******")));
    let prefix = add(&mut engine, DncKey::Phone(phone("123*")));
    let middle = add(&mut engine, DncKey::Phone(phone("4*5")));
    let acct = add(&mut engine, DncKey::Account(account("AB*")));
    let pair = add(
        &mut engine,
        DncKey::PhoneAccount(phone("555*"), account("x?1")),
    );
    let zip_pattern = add(&mut engine, DncKey::Zip(zip("9411*")));
    let s = || Query::new(service(10));
    let (ab9, ab, x1, other) = (account("ab9"), account("AB"), account("X?1"), account("Q"));
    let cases: Vec<(&str, Query<'_>, Vec<EntryId>)> = vec![
        (
            "area code, ten digits",
            s().phone(phone("2093334545")),
            vec![area],
        ),
        (
            "area code, longer",
            s().phone(phone("20933345451")),
            vec![area],
        ),
        (
            "area code, too short",
            s().phone(phone("209333454")),
            vec![],
        ),
        (
            "final star absorbs the rest",
            s().phone(phone("1234567890")),
            vec![prefix],
        ),
        (
            "final star needs a character",
            s().phone(phone("123")),
            vec![],
        ),
        (
            "inner star, same length",
            s().phone(phone("405")),
            vec![middle],
        ),
        ("inner star, longer", s().phone(phone("4055")), vec![]),
        (
            "account pattern ignores case",
            s().account(&ab9),
            vec![acct],
        ),
        (
            "account pattern needs its star's character",
            s().account(&ab),
            vec![],
        ),
        (
            "pair pattern, both match",
            s().phone(phone("5551234")).account(&x1),
            vec![pair],
        ),
        (
            "pair pattern, account differs",
            s().phone(phone("5551234")).account(&other),
            vec![],
        ),
        ("zips stay literal", s().zip(zip("94110")), vec![]),
        (
            "literal zip with star",
            s().zip(zip("9411*")),
            vec![zip_pattern],
        ),
    ];
    for (name, query, expected) in cases {
        assert_eq!(dial_ids(&engine, query), expected, "{name}");
    }
}

#[test]
fn dial_check_refuses_a_dialed_phone_with_a_star_but_not_an_account() {
    let mut engine = engine();
    let id = engine
        .add(NewEntry::for_client(
            client(1),
            DncKey::Account(account("A*")),
        ))
        .unwrap();
    let query = Query::new(service(10)).phone(phone("209*"));
    assert!(matches!(
        engine.dial_check(&query),
        Err(DncError::InvalidPhone { .. })
    ));
    let starred = account("A*");
    // The stored pattern equals the request literally and as a pattern: one id.
    assert_eq!(
        dial_ids(&engine, Query::new(service(10)).account(&starred)),
        vec![id]
    );
}

#[test]
fn checks_refuse_unknown_services_mismatched_clients_and_empty_requests() {
    let engine = engine();
    let p = phone("4155550100");
    assert_eq!(
        engine.is_blocked(&Query::new(service(99)).phone(p)),
        Err(DncError::UnknownService {
            service: service(99)
        })
    );
    assert_eq!(
        engine.is_blocked(&Query::new(service(10)).client(client(2)).phone(p)),
        Err(DncError::ServiceClientMismatch {
            service: service(10),
            owner: client(1),
            given: client(2)
        })
    );
    assert!(
        engine
            .is_blocked(&Query::new(service(10)).client(client(1)).phone(p))
            .is_ok()
    );
    assert_eq!(
        engine.is_blocked(&Query::new(service(10))),
        Err(DncError::EmptyRequest)
    );
    assert_eq!(
        engine.dial_check(&Query::new(service(10))),
        Err(DncError::EmptyRequest)
    );
}

#[test]
fn nightly_clear_removes_daily_entries_and_daily_flags_of_its_scope_only() {
    let mut engine = engine();
    let key = |t| DncKey::Phone(phone(t));
    let daily1 = engine
        .add(NewEntry::for_client(client(1), key("1000000001")).with_lifetime(Lifetime::Daily))
        .unwrap();
    let permanent1 = engine
        .add(NewEntry::for_client(client(1), key("1000000002")))
        .unwrap();
    let daily2 = engine
        .add(NewEntry::for_service(service(20), key("1000000003")).with_lifetime(Lifetime::Daily))
        .unwrap();
    let acct = account("A1");
    let both = FlagUpdate {
        do_not_dial: Some(true),
        do_not_dial_daily: Some(true),
    };
    engine.set_account_flags(client(1), &acct, both);
    engine.set_account_flags(client(2), &acct, both);

    assert_eq!(engine.clear_daily(Some(client(1))), 1);
    assert!(engine.entry(daily1).is_none());
    assert!(engine.entry(permanent1).is_some());
    assert!(engine.entry(daily2).is_some(), "client 2 untouched");
    assert_eq!(
        engine.account_flags(client(1), &acct),
        AccountFlags {
            do_not_dial: true,
            do_not_dial_daily: false
        }
    );
    assert_eq!(
        engine.account_flags(client(2), &acct),
        AccountFlags {
            do_not_dial: true,
            do_not_dial_daily: true
        }
    );
    engine.validate().unwrap();

    assert_eq!(engine.clear_daily(None), 1);
    assert!(engine.entry(daily2).is_none());
    assert_eq!(
        engine.account_flags(client(2), &acct),
        AccountFlags {
            do_not_dial: true,
            do_not_dial_daily: false
        }
    );
    assert_eq!(engine.clear_daily(None), 0);
    assert_eq!(
        engine.clear_daily(Some(client(7))),
        0,
        "an unknown client has nothing to clear"
    );
    engine.validate().unwrap();
}

#[test]
fn assigned_ids_are_one_greater_than_every_id_stored() {
    let mut engine = engine();
    let key = || DncKey::Zip(zip("94110"));
    assert_eq!(
        engine
            .add(NewEntry::for_client(client(1), key()))
            .unwrap()
            .get(),
        1
    );
    let explicit = EntryId::new(50).unwrap();
    engine
        .add(NewEntry::for_client(client(1), key()).with_id(explicit))
        .unwrap();
    assert_eq!(
        engine
            .add(NewEntry::for_client(client(1), key()))
            .unwrap()
            .get(),
        51
    );
    engine.remove(EntryId::new(51).unwrap()).unwrap();
    assert_eq!(
        engine
            .add(NewEntry::for_client(client(1), key()))
            .unwrap()
            .get(),
        52,
        "removed ids are not reused"
    );
    // A lower explicit id does not lower the next one; a refused add consumes nothing.
    engine
        .add(NewEntry::for_client(client(1), key()).with_id(EntryId::new(7).unwrap()))
        .unwrap();
    assert!(
        engine
            .add(NewEntry::for_service(service(99), key()))
            .is_err()
    );
    assert_eq!(
        engine
            .add(NewEntry::for_client(client(1), key()))
            .unwrap()
            .get(),
        53
    );
}

#[test]
fn assigned_ids_that_would_leave_the_range_are_refused() {
    let mut engine = engine();
    let key = || DncKey::Zip(zip("94110"));
    let last = EntryId::new(MAX_ID).unwrap();
    engine
        .add(NewEntry::for_client(client(1), key()).with_id(last))
        .unwrap();
    assert!(matches!(
        engine.add(NewEntry::for_client(client(1), key())),
        Err(DncError::IdsExhausted { kind: "entry", .. })
    ));
    // Explicit ids still work.
    assert!(
        engine
            .add(NewEntry::for_client(client(1), key()).with_id(EntryId::new(3).unwrap()))
            .is_ok()
    );
    engine.validate().unwrap();
}

#[test]
fn refused_changes_leave_the_engine_as_it_was() {
    let mut engine = engine();
    let key = || DncKey::Phone(phone("4155550100"));
    let id = engine.add(NewEntry::for_client(client(1), key())).unwrap();
    let before = format!("{engine:?}");
    let attempts = [
        engine
            .add(NewEntry::for_client(client(1), key()).with_id(id))
            .unwrap_err(),
        engine
            .add(NewEntry::for_service(service(99), key()))
            .unwrap_err(),
        engine
            .add(NewEntry {
                client: Some(client(2)),
                ..NewEntry::for_service(service(10), key())
            })
            .unwrap_err(),
        engine
            .add(NewEntry {
                client: None,
                ..NewEntry::for_client(client(1), key())
            })
            .unwrap_err(),
        engine.remove(EntryId::new(999).unwrap()).unwrap_err(),
    ];
    let codes: Vec<&str> = attempts.iter().map(DncError::code).collect();
    assert_eq!(
        codes,
        [
            "duplicate_id",
            "unknown_service",
            "service_client_mismatch",
            "bad_request",
            "not_found"
        ]
    );
    assert_eq!(format!("{engine:?}"), before);
    assert_eq!(
        blocked_ids(&engine, Query::new(service(10)).phone(phone("4155550100"))),
        vec![id]
    );
    engine.validate().unwrap();
}

#[test]
fn verdicts_explain_themselves() {
    let mut engine = engine();
    let id = engine
        .add(NewEntry::for_client(
            client(1),
            DncKey::Account(account("A1")),
        ))
        .unwrap();
    engine.set_account_flags(
        client(1),
        &account("A1"),
        FlagUpdate {
            do_not_dial: Some(true),
            ..Default::default()
        },
    );
    let acct = account("a1");
    let verdict = engine
        .is_blocked(&Query::new(service(10)).account(&acct))
        .unwrap();
    assert_eq!(
        verdict.to_string(),
        format!("blocked by isBlocked (literal): entries {id}; account flags DO_NOT_DIAL")
    );
    assert_eq!(
        engine.entry(id).unwrap().to_string(),
        "entry 1: account A1 for every service of client 1, PERMANENT"
    );
    let clear = engine
        .dial_check(&Query::new(service(10)).phone(phone("1")))
        .unwrap();
    assert_eq!(
        clear.to_string(),
        "not blocked by the dial check (wildcards honoured): no entry or account flag applies"
    );
}

/// Issue 10 §6: `reserve(1 << 40)` aborted the process; a size from a file
/// must be an error that changes nothing.
#[test]
fn a_reservation_beyond_reach_is_an_error_not_an_abort() {
    let mut engine = Engine::new();
    let (client, service) = (ClientId::new(1).unwrap(), ServiceId::new(10).unwrap());
    engine.register_service(client, service).unwrap();
    let phone = Phone::parse("4155550100").unwrap();
    engine
        .add(NewEntry::for_client(client, DncKey::Phone(phone)))
        .unwrap();
    for huge in [1usize << 40, usize::MAX, (1 << 30) + 1] {
        let error = engine.reserve(huge).unwrap_err();
        assert_eq!(error.code(), "capacity_exceeded", "{huge}: {error}");
        assert!(error.to_string().contains(&huge.to_string()), "{error}");
    }
    engine.reserve(1000).unwrap();
    let verdict = engine
        .is_blocked(&Query::new(service).phone(phone))
        .unwrap();
    assert!(verdict.is_blocked());
    engine.validate().unwrap();
}
