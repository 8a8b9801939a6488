//! Structured operation sequences on the channel lists (SPEC 7 and 9),
//! run against the engine and the naive model of the property tests:
//! every answer must agree, the invariants must hold after every step, and
//! a snapshot must restore to an engine that answers the same.
#![no_main]

use dnc_engine::Engine;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/channel_model/mod.rs"]
mod channel_model;

fuzz_target!(|ops: Vec<channel_model::Op>| {
    let (engine, model) = match channel_model::play(ops) {
        Ok(played) => played,
        Err(disagreement) => panic!("{disagreement}"),
    };
    if let Err(disagreement) = channel_model::agree(&engine, &model) {
        panic!("{disagreement}");
    }
    let restored = Engine::restore(engine.snapshot()).expect("a live engine's snapshot restores");
    restored.validate().unwrap();
    assert_eq!(restored.snapshot(), engine.snapshot());
    if let Err(disagreement) = channel_model::agree(&restored, &model) {
        panic!("after restore: {disagreement}");
    }
});
