//! A check allocates nothing unless more than four entries apply: counted
//! with a global allocator that tallies every allocation of this thread.
//! (The only unsafe code in the workspace: a global allocator cannot be
//! written without it. The library itself forbids unsafe code.)
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
