//! Structured sequences of legacy and dialtime operations mixed with phone
//! DNC type switches (SPEC 8), against the naive model of the property
//! tests: `is_blocked` must answer each phone from the client's active
//! list, the other list must refuse management, and switches must copy
//! exactly what SPEC 8 says.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/dnc_type_model/mod.rs"]
mod dnc_type_model;

fuzz_target!(|ops: Vec<dnc_type_model::Op>| {
    if let Err(disagreement) = dnc_type_model::run(ops) {
        panic!("{disagreement}");
    }
});
