//! Arbitrary bytes, split into lines, fed to the replay line handler: every
//! non-blank line must get exactly one answer, a one-line JSON object, and the
//! engine behind it must keep its invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut session = dnc_replay::ReplaySession::new();
    for line in data.split(|&b| b == b'\n') {
        let blank = line.iter().all(u8::is_ascii_whitespace);
        match session.handle_bytes(line) {
            None => assert!(blank, "a non-blank line got no answer"),
            Some(answer) => {
                assert!(!blank, "a blank line got an answer");
                assert!(!answer.contains('\n'), "an answer spans lines: {answer}");
                let value: serde_json::Value = serde_json::from_str(&answer).unwrap();
                assert!(value.is_object(), "answer is not a JSON object: {answer}");
            }
        }
    }
    session.engine().validate().unwrap();
});
