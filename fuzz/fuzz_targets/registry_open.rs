//! Any bytes, re-sealed with the binary form's checksum so that the open's
//! structural checks are what the fuzzer meets: never a panic; a copy that
//! opens answers every lookup, re-opens equal from its own bytes, and takes
//! a change list (which rebuilds its area codes from their words).
#![no_main]

use dnc_engine::jiff::Timestamp;
use dnc_engine::registry::{Change, ChangeMark, Registry};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/registry_binary.rs"]
mod registry_binary;

fuzz_target!(|bytes: &[u8]| {
    let mut bytes = bytes.to_vec();
    registry_binary::reseal(&mut bytes);
    let Ok(mut registry) = Registry::from_bytes(&bytes) else {
        return;
    };
    let codes: Vec<u64> = registry
        .area_codes()
        .map(|(code, _, _)| u64::from(code.get()))
        .collect();
    for &code in &codes {
        for local in [2_000_000u64, 2_000_001, 5_555_555, 9_999_999] {
            let _ = registry.contains(code * 10_000_000 + local);
        }
    }
    let again = Registry::from_bytes(&registry.to_bytes()).expect("its own bytes open");
    assert_eq!(again, registry);
    if let Some(&code) = codes.first() {
        let change = Change {
            number: code * 10_000_000 + 2_000_000,
            mark: ChangeMark::Add,
        };
        let _ = registry.apply_changes(&[change], Timestamp::MAX);
    }
});
