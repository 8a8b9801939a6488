//! A check allocates nothing unless more than four entries apply: counted
//! with a global allocator that tallies every allocation of this thread.
//! (With `benches/laws.rs`'s byte counter, the only unsafe code in the
//! workspace: a global allocator cannot be written without it. The library
//! itself forbids unsafe code.)
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use dnc_engine::{
    Account, ClientId, DncKey, Engine, FlagUpdate, NewEntry, Phone, Query, ServiceId,
};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards every call to the system allocator unchanged; the counter
// is a thread-local `Cell` that never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> u64 {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn checks_do_not_allocate_unless_more_than_four_entries_apply() {
    let (client, service) = (ClientId::new(1).unwrap(), ServiceId::new(2).unwrap());
    let mut engine = Engine::new();
    engine.register_service(client, service).unwrap();
    let blocked = Phone::parse("4155550100").unwrap();
    for _ in 0..4 {
        engine
            .add(NewEntry::for_client(client, DncKey::Phone(blocked)))
            .unwrap();
    }
    let crowded = Phone::parse("4155550199").unwrap();
    for _ in 0..5 {
        engine
            .add(NewEntry::for_client(client, DncKey::Phone(crowded)))
            .unwrap();
    }
    engine
        .add(NewEntry::for_client(
            client,
            DncKey::Phone(Phone::parse("209*").unwrap()),
        ))
        .unwrap();
    let account = Account::parse("A1").unwrap();
    engine
        .add(NewEntry::for_client(
            client,
            DncKey::Account(Account::parse("A*").unwrap()),
        ))
        .unwrap();
    engine.set_account_flags(
        client,
        &account,
        FlagUpdate {
            do_not_dial: Some(true),
            ..Default::default()
        },
    );

    let miss = Query::new(service).phone(Phone::parse("3125550100").unwrap());
    let four = Query::new(service).phone(blocked);
    let flagged = Query::new(service).account(&account);
    let pattern = Query::new(service)
        .phone(Phone::parse("2095550100").unwrap())
        .account(&account);
    let cases = [
        ("nothing applies", miss),
        ("four entries", four),
        ("a flag (and, for the dial check, a pattern)", flagged),
        ("patterns and a flag", pattern),
    ];
    for (name, query) in cases {
        assert_eq!(
            allocations_during(|| drop(engine.is_blocked(&query).unwrap())),
            0,
            "is_blocked, {name}"
        );
        assert_eq!(
            allocations_during(|| drop(engine.dial_check(&query).unwrap())),
            0,
            "dial_check, {name}"
        );
    }
    // The counter works: five applicable entries spill to the heap.
    let five = Query::new(service).phone(crowded);
    assert!(allocations_during(|| drop(engine.is_blocked(&five).unwrap())) > 0);
}

/// SPEC 15: the dial decision allocates nothing when the contact is allowed
/// (a number in one zone, with or without account, a matching ZIP, a
/// profile), once the zone database is loaded.
#[test]
fn an_allowed_dial_decision_does_not_allocate() {
    use dnc_engine::geo::{AreaCode, StateCode};
    use dnc_engine::jiff::Timestamp;
    use dnc_engine::{DayRule, DialRequest, NewPolicy, NewProfile, Region, TimeOfDay, Window, Zip};

    let (client, service) = (ClientId::new(1).unwrap(), ServiceId::new(2).unwrap());
    let mut engine = Engine::new();
    engine.register_service(client, service).unwrap();
    engine
        .add(NewEntry::for_client(
            client,
            DncKey::Phone(Phone::parse("4155550199").unwrap()),
        ))
        .unwrap();
    let ca = Region::new(None, Some(StateCode::parse("CA").unwrap()), None).unwrap();
    let sf = Region::new(None, None, Some(AreaCode::new(415).unwrap())).unwrap();
    let window = Window::new(
        TimeOfDay::parse("09:00").unwrap(),
        TimeOfDay::parse("20:00").unwrap(),
    );
    let profile = engine
        .profile_create(
            Some(client),
            NewProfile {
                client: Some(client),
                name: "hours".to_owned(),
                description: None,
                client_default: true,
                policies: vec![
                    NewPolicy::new(DayRule::All, ca),
                    NewPolicy {
                        window: Some(window.unwrap()),
                        ..NewPolicy::new(DayRule::Weekday, sf)
                    },
                ],
            },
        )
        .unwrap();
    engine
        .profile_assign_service(Some(client), profile, service)
        .unwrap();
    let account = Account::parse("A1").unwrap();
    let phone = Phone::parse("4155550100").unwrap();
    let noon: Timestamp = "2026-11-30T20:00:00Z".parse().unwrap();
    let requests = [
        DialRequest::new(service, phone, noon),
        DialRequest::new(service, phone, noon).account(&account),
        DialRequest::new(service, phone, noon)
            .account(&account)
            .zip(Zip::parse("94111").unwrap()),
    ];
    // Warm up: the first use loads the zone database.
    assert!(engine.dial_decision(&requests[0]).unwrap().allowed());
    for request in &requests {
        let mut allowed = false;
        let count = allocations_during(|| {
            allowed = engine.dial_decision(request).unwrap().allowed();
        });
        assert!(allowed, "{request:?}");
        assert_eq!(count, 0, "{request:?} allocated {count} times");
    }
    // Issue 13: with the calling laws of a state that has its own row, a
    // debt collector's history, a client rule and a request naming a
    // person and debts, an allowed decision still allocates nothing.
    use dnc_engine::attempts::{
        ChannelSet, ContactKey, NewAttempt, NewAttemptRule, Outcome, OutcomeSet, RuleKey,
        RuleWindow,
    };
    engine.set_debt_collector(client, true);
    engine
        .add_attempt_rule(
            client,
            NewAttemptRule {
                key: RuleKey::Person,
                outcomes: OutcomeSet::ALL,
                channels: ChannelSet::BOTH,
                window: RuleWindow::Rolling(dnc_engine::jiff::SignedDuration::from_hours(24)),
                limit: 5,
                lock: Some(dnc_engine::jiff::SignedDuration::from_hours(48)),
            },
        )
        .unwrap();
    let miami = Phone::parse("3055550100").unwrap();
    let person = ContactKey::parse("person", "P-1").unwrap();
    let debts = [
        ContactKey::parse("debt", "D-1").unwrap(),
        ContactKey::parse("debt", "D-2").unwrap(),
    ];
    let morning: Timestamp = "2026-11-30T15:00:00Z".parse().unwrap();
    engine
        .record_attempt(&NewAttempt {
            person: Some(person),
            debts: debts.to_vec(),
            ..NewAttempt::new(service, miami, morning, Outcome::NoAnswer)
        })
        .unwrap();
    let request = DialRequest::new(service, miami, noon)
        .person(person)
        .debts(&debts);
    let mut allowed = false;
    let count = allocations_during(|| {
        allowed = engine.dial_decision(&request).unwrap().allowed();
    });
    assert!(allowed, "{request:?}");
    assert_eq!(count, 0, "with laws and caps: allocated {count} times");
    // A refused decision may allocate (the next allowed instant's search);
    // it still answers.
    let night: Timestamp = "2026-12-01T08:00:00Z".parse().unwrap();
    assert!(
        !engine
            .dial_decision(&DialRequest::new(service, phone, night))
            .unwrap()
            .allowed()
    );
}
