//! Random change streams (the shared model of `tests/change_log.rs`):
//! applied one by one, and again across a snapshot and restore at a point
//! the input picks, they give the same outcomes and the same engine; a
//! re-applied change changes nothing, a gap is refused.
#![no_main]

use dnc_engine::{Applied, ApplyError, Engine};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/change_model/mod.rs"]
mod change_model;

fuzz_target!(|input: (u8, Vec<[u16; change_model::WIDTH]>)| {
    let (cut, ops) = input;
    let changes: Vec<_> = ops.into_iter().take(80).map(change_model::change).collect();
    let mut straight = Engine::new();
    let outcomes: Vec<Applied> = changes
        .iter()
        .zip(1..)
        .map(|(change, sequence)| straight.apply(sequence, change).unwrap())
        .collect();
    let cut = usize::from(cut) % (changes.len() + 1);
    let mut resumed = Engine::new();
    let mut again = Vec::new();
    for (change, sequence) in changes[..cut].iter().zip(1..) {
        again.push(resumed.apply(sequence, change).unwrap());
    }
    let mut resumed = Engine::restore(resumed.snapshot()).unwrap();
    for (change, sequence) in changes[cut..].iter().zip(cut as u64 + 1..) {
        again.push(resumed.apply(sequence, change).unwrap());
    }
    assert_eq!(again, outcomes);
    let end = straight.snapshot();
    assert_eq!(resumed.snapshot(), end);
    let n = changes.len() as u64;
    if let Some(change) = changes.last() {
        assert_eq!(
            straight.apply(n, change),
            Ok(Applied::AlreadyApplied { position: n })
        );
        assert_eq!(
            straight.apply(n + 2, change),
            Err(ApplyError::Gap {
                position: n,
                sequence: n + 2
            })
        );
    }
    assert_eq!(straight.snapshot(), end);
    straight.validate().unwrap();
});
