//! Structured operation sequences run against the engine and the naive model
//! of the property tests: every answer must agree and the index invariants
//! must hold after every operation; a snapshot must restore to an engine that
//! answers the same.
#![no_main]

use dnc_engine::Engine;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/model/mod.rs"]
mod model;

fuzz_target!(|ops: Vec<model::Op>| {
    let (mut engine, mut model) = (Engine::new(), model::Model::default());
    for op in &ops {
        if let Err(disagreement) = model::apply(&mut engine, &mut model, op) {
            panic!("{disagreement}");
        }
        if let Err(broken) = engine.validate() {
            panic!("after {op:?}: {broken}");
        }
    }
    let restored = Engine::restore(engine.snapshot()).expect("a live engine's snapshot restores");
    restored.validate().unwrap();
    if let Err(disagreement) = model::sweep(&restored, &model) {
        panic!("after restore: {disagreement}");
    }
});
