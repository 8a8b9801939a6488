//! Structured sequences of registry full loads, change lists and checks,
//! against the naive `HashSet` model of the property tests: every answer,
//! every refusal and every covered area code's instant must agree.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/registry_model/mod.rs"]
mod registry_model;

fuzz_target!(|ops: Vec<registry_model::Op>| {
    if let Err(disagreement) = registry_model::run(&ops) {
        panic!("{disagreement}");
    }
});
