//! Random attempt streams (records, client rules, collector marks, trims,
//! snapshot round trips) and dial decisions, against the naive model of
//! the property tests (`tests/attempts_model`): every cap's refusal, count
//! and debt, and the next allowed instant, must agree.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/attempts_model/mod.rs"]
mod attempts_model;

fuzz_target!(|ops: Vec<attempts_model::Op>| {
    // Long streams only slow the minute-by-minute search down.
    if ops.len() > 80 {
        return;
    }
    if let Err(disagreement) = attempts_model::run(&ops) {
        panic!("{disagreement}");
    }
});
