//! Structured sequences of registry loads, change lists, subscriptions,
//! exemptions, checks and snapshot round trips, against the naive model of
//! the property tests (`tests/registry_check_model`): every registry check
//! and dial decision must agree.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/registry_check_model/mod.rs"]
mod registry_check_model;

fuzz_target!(|ops: Vec<registry_check_model::Op>| {
    if let Err(disagreement) = registry_check_model::run(&ops) {
        panic!("{disagreement}");
    }
});
