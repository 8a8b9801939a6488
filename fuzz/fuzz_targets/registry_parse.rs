//! Any bytes as a full list and as a change list: never a panic, and what
//! is accepted is what the formats allow (10-digit NANP numbers, a full
//! list ascending and each once); a refusal names a line of the file.
#![no_main]

use dnc_engine::DncError;
use dnc_engine::registry::{ChangeLayout, parse_change_list, parse_full_list};
use libfuzzer_sys::fuzz_target;

fn nanp(number: u64) -> bool {
    (2_000_000_000..10_000_000_000).contains(&number) && number / 10_000 % 1_000 >= 200
}

fn line_in_file(error: &DncError, bytes: &[u8]) {
    match error {
        DncError::InvalidRegistry {
            line: Some(line), ..
        } => {
            let lines = bytes.iter().filter(|&&byte| byte == b'\n').count() as u64 + 1;
            assert!(*line >= 1 && *line <= lines, "line {line} of {lines}");
        }
        other => panic!("a parse error names its line: {other:?}"),
    }
}

fuzz_target!(|bytes: &[u8]| {
    match parse_full_list(bytes) {
        Ok(numbers) => {
            assert!(numbers.windows(2).all(|pair| pair[0] < pair[1]));
            assert!(numbers.iter().all(|&number| nanp(number)));
        }
        Err(error) => line_in_file(&error, bytes),
    }
    match parse_change_list(bytes, ChangeLayout::default()) {
        Ok(changes) => assert!(changes.iter().all(|change| nanp(change.number))),
        Err(error) => line_in_file(&error, bytes),
    }
});
