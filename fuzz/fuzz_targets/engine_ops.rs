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
    // Batches answer exactly as single checks, for every registered service.
    let parts = model::all_parts();
    let accounts: Vec<_> = parts.iter().map(|p| p.account()).collect();
    for (_, service) in &model.services {
        let queries: Vec<dnc_engine::Query<'_>> = parts
            .iter()
            .zip(&accounts)
            .map(|(p, account)| dnc_engine::Query {
                service: *service,
                client: None,
                phone: p.phone(),
                account: account.as_ref(),
                zip: p.zip(),
            })
            .collect();
        let mut verdicts = Vec::new();
        engine.is_blocked_batch(&queries, &mut verdicts);
        let single: Vec<_> = queries.iter().map(|q| engine.is_blocked(q)).collect();
        assert_eq!(verdicts, single, "is_blocked_batch");
        engine.dial_check_batch(&queries, &mut verdicts);
        let single: Vec<_> = queries.iter().map(|q| engine.dial_check(q)).collect();
        assert_eq!(verdicts, single, "dial_check_batch");
    }
    let restored = Engine::restore(engine.snapshot()).expect("a live engine's snapshot restores");
    restored.validate().unwrap();
    if let Err(disagreement) = model::sweep(&restored, &model) {
        panic!("after restore: {disagreement}");
    }
});
