//! The minimal scripts of issue 10's defects, replayed through the built
//! program: each answer the issue reports as wrong, with the right one.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Replays `script` through `dnc replay` and returns one answer per line.
fn replay(script: &str) -> Vec<Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dnc"))
        .arg("replay")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the dnc program runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn code(answer: &Value) -> &str {
    answer["error"]["code"].as_str().unwrap_or("(no error)")
}

#[test]
fn a_phone_check_of_a_legacy_client_is_answered_by_the_legacy_entries() {
    let answers = replay(
        r#"{"op":"add_service","client":1,"service":10}
{"op":"add","client":1,"phone":"4155550001"}
{"op":"check","channel":"phone","service":10,"phone":"4155550001","at":0}
{"op":"set_client","client":1,"phoneDncType":"DIAL_TIME"}
{"op":"create","list":"dialtime","client":1,"phone":"4155550002"}
{"op":"set_client","client":1,"phoneDncType":"LEGACY"}
{"op":"check","channel":"phone","service":10,"phone":"4155550002","at":0}
{"op":"check","channel":"phone","service":10,"phone":"4155550001","at":0}
"#,
    );
    assert_eq!(answers[2]["result"], true, "{}", answers[2]);
    assert_eq!(answers[2]["entries"], serde_json::json!([1]));
    assert_eq!(
        answers[6]["result"], false,
        "the dialtime list is switched off: {}",
        answers[6]
    );
    assert_eq!(
        answers[7]["entries"],
        serde_json::json!([1]),
        "{}",
        answers[7]
    );
}

#[test]
fn a_switch_keeps_a_permanent_block_the_dialtime_list_holds_only_until_a_date() {
    let answers = replay(
        r#"{"op":"add_service","client":1,"service":10}
{"op":"set_client","client":1,"phoneDncType":"DIAL_TIME"}
{"op":"create","list":"dialtime","client":1,"phone":"5550002","expirationDate":"2020-01-01"}
{"op":"set_client","client":1,"phoneDncType":"LEGACY"}
{"op":"add","client":1,"phone":"5550002"}
{"op":"add","client":1,"phone":"209*******"}
{"op":"set_client","client":1,"phoneDncType":"DIAL_TIME"}
{"op":"check","channel":"phone","service":10,"phone":"5550002","at":1800000000000}
"#,
    );
    assert_eq!(answers[6]["migrated"], 1, "{}", answers[6]);
    assert_eq!(
        answers[6]["notCarried"],
        serde_json::json!([{"id": 2, "phone": "209*******", "reason": "WILDCARD"}]),
        "the wildcard that no longer blocks is reported"
    );
    assert_eq!(answers[7]["result"], true, "{}", answers[7]);
    assert_eq!(code(&answers[7]), "(no error)");
}
