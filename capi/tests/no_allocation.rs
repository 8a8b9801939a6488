//! A check through the C ABI allocates nothing on the allowed path (nor
//! when up to four entries block): counted with a global allocator that
//! tallies this thread's allocations.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use dnc_capi::*;

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
fn a_check_through_c_does_not_allocate() {
    // SAFETY: `engine` is live; every pointer points at a local.
    unsafe {
        let engine = dnc_engine_new();
        assert_eq!(dnc_register_service(engine, 1, 2), DncStatus::Ok);
        let blocked = DncNewEntry {
            id: 0,
            client: 1,
            service: 0,
            phone: DncStr::of("4155550100"),
            account: DncStr::NONE,
            zip: DncStr::NONE,
            daily: 0,
        };
        assert_eq!(
            dnc_add(engine, &blocked, std::ptr::null_mut()),
            DncStatus::Ok
        );
        let query = |phone: &'static str| DncQuery {
            service: 2,
            client: 1,
            phone: DncStr::of(phone),
            account: DncStr::of("A12345"),
            zip: DncStr::of("94110"),
        };
        let (allowed, refused) = (query("3125550100"), query("4155550100"));
        let mut verdict = DncVerdict::default();
        for (name, query) in [("allowed", allowed), ("one entry", refused)] {
            let count = allocations_during(|| {
                assert_eq!(dnc_is_blocked(engine, &query, &mut verdict), DncStatus::Ok);
            });
            assert_eq!(count, 0, "is_blocked, {name}");
            let count = allocations_during(|| {
                assert_eq!(dnc_dial_check(engine, &query, &mut verdict), DncStatus::Ok);
            });
            assert_eq!(count, 0, "dial_check, {name}");
        }
        assert_eq!(verdict.blocked, 1);
        // The counter counts: a refused query allocates its message.
        let bad = query("12ab");
        assert!(
            allocations_during(|| {
                assert_eq!(
                    dnc_is_blocked(engine, &bad, &mut verdict),
                    DncStatus::InvalidPhone
                );
            }) > 0
        );
        dnc_engine_free(engine);
    }
}

#[test]
fn a_threads_batches_allocate_only_the_first_time() {
    // SAFETY: `engine` is live; every pointer points at a local.
    unsafe {
        let engine = dnc_engine_new();
        assert_eq!(dnc_register_service(engine, 1, 2), DncStatus::Ok);
        let phones: Vec<String> = (0..200).map(|i| format!("31255{i:05}")).collect();
        let queries: Vec<DncQuery> = phones
            .iter()
            .map(|phone| DncQuery {
                service: 2,
                client: 0,
                phone: DncStr::of(phone),
                account: DncStr::NONE,
                zip: DncStr::NONE,
            })
            .collect();
        let mut verdicts = vec![DncVerdict::default(); queries.len()];
        let batch = |verdicts: &mut [DncVerdict]| {
            assert_eq!(
                dnc_is_blocked_batch(
                    engine,
                    queries.as_ptr(),
                    queries.len(),
                    verdicts.as_mut_ptr()
                ),
                DncStatus::Ok
            );
        };
        batch(&mut verdicts);
        assert_eq!(
            allocations_during(|| batch(&mut verdicts)),
            0,
            "a second batch"
        );
        assert!(
            verdicts
                .iter()
                .all(|verdict| verdict.status == DncStatus::Ok && verdict.blocked == 0)
        );
        dnc_engine_free(engine);
    }
}
