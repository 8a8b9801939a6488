//! Structured sequences of legacy adds, bulk adds, removes, nightly clears
//! and pages/finds (SPEC 9), against the naive model of the property tests:
//! every page, find and info must agree, within each client.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/legacy_model/mod.rs"]
mod legacy_model;

fuzz_target!(|ops: Vec<legacy_model::Op>| {
    if let Err(disagreement) = legacy_model::run(ops) {
        panic!("{disagreement}");
    }
});
