//! Issue 10 §8: removing most entries gave no memory back and there was no
//! way to shrink. Live heap bytes are counted with a global allocator.
//! (A global allocator cannot be written without unsafe code; the library
//! itself forbids it.)
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use dnc_engine::{ClientId, DncKey, Engine, Lifetime, NewEntry, Phone, Query, ServiceId};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged and only
// adds and subtracts the sizes it was given.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn shrinking_after_a_large_removal_gives_memory_back_and_changes_no_answer() {
    let (client, service) = (ClientId::new(1).unwrap(), ServiceId::new(10).unwrap());
    let mut engine = Engine::new();
    engine.register_service(client, service).unwrap();
    let phone = |n: u64| Phone::parse(&format!("415{n:07}")).unwrap();
    // 200k entries, all but 1,000 of them DAILY.
    let entries = (0..200_000u64).map(|n| {
        let new = NewEntry::for_client(client, DncKey::Phone(phone(n)));
        if n % 200 == 0 {
            new
        } else {
            new.with_lifetime(Lifetime::Daily)
        }
    });
    engine.add_many(entries);
    assert_eq!(engine.clear_daily(Some(client)), 199_000);
    let before = LIVE.load(Ordering::Relaxed);
    engine.shrink_to_fit();
    let after = LIVE.load(Ordering::Relaxed);
    assert!(
        after * 4 < before,
        "live heap {before} -> {after} bytes: the tables did not shrink"
    );
    engine.validate().unwrap();
    for n in [0, 200, 199_800, 1, 199_999] {
        let verdict = engine
            .is_blocked(&Query::new(service).phone(phone(n)))
            .unwrap();
        assert_eq!(verdict.is_blocked(), n % 200 == 0, "{n}");
    }
    // It grows again as before.
    engine
        .add(NewEntry::for_client(client, DncKey::Phone(phone(1))))
        .unwrap();
    assert_eq!(engine.len(), 1_001);
}
