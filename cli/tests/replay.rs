//! `dnc replay` as a user runs it: the built program on the conformance
//! fixture, every error code of SPEC 6, and the streaming behaviour.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use dnc_cli::replay::ReplaySession;
use serde_json::{Value, json};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");

fn dnc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dnc"))
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}")))
        .collect()
}

fn replay_stdin(script: &str) -> (String, std::process::ExitStatus) {
    let mut child = dnc()
        .arg("replay")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let script = script.to_owned();
    let feeder = std::thread::spawn(move || stdin.write_all(script.as_bytes()));
    let output = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    (String::from_utf8(output.stdout).unwrap(), output.status)
}

#[test]
fn truth_table_through_the_built_program_from_a_file() {
    let output = dnc()
        .args(["replay", &format!("{FIXTURES}/truth-table.jsonl")])
        .output()
        .unwrap();
    assert!(output.status.success());
    let expected =
        std::fs::read_to_string(format!("{FIXTURES}/truth-table.expected.jsonl")).unwrap();
    let (got, want) = (
        json_lines(&String::from_utf8(output.stdout).unwrap()),
        json_lines(&expected),
    );
    assert_eq!(got.len(), want.len());
    for (line, (got, want)) in got.iter().zip(&want).enumerate() {
        assert_eq!(got, want, "line {}", line + 1);
    }
}

#[test]
fn truth_table_through_standard_input_matches_byte_for_byte() {
    let script = std::fs::read_to_string(format!("{FIXTURES}/truth-table.jsonl")).unwrap();
    let expected =
        std::fs::read_to_string(format!("{FIXTURES}/truth-table.expected.jsonl")).unwrap();
    let (stdout, status) = replay_stdin(&script);
    assert!(status.success());
    assert_eq!(stdout, expected, "fields in the documented order");
}

/// Lines run in order on one session; `setup` lines must succeed.
fn error_code_after(setup: &[&str], line: &str) -> String {
    let mut session = ReplaySession::new();
    for setup_line in setup {
        let answer = session.handle_line(setup_line).unwrap();
        assert!(!answer.contains("\"error\""), "{setup_line} -> {answer}");
    }
    let answer: Value = serde_json::from_str(&session.handle_line(line).unwrap()).unwrap();
    let message = answer["error"]["message"].as_str().unwrap_or_default();
    assert!(
        !message.is_empty(),
        "{line} -> {answer}: errors carry a message"
    );
    answer["error"]["code"]
        .as_str()
        .unwrap_or("(no error)")
        .to_owned()
}

const SETUP: &[&str] = &[
    r#"{"op":"add_service","client":1,"service":10}"#,
    r#"{"op":"add","id":5,"service":10,"phone":"4155550100"}"#,
];

#[test]
fn every_error_code_of_spec_6() {
    let cases: &[(&str, &str, &str)] = &[
        ("not JSON", "{op:add}", "bad_request"),
        ("truncated JSON", r#"{"op":"add""#, "bad_request"),
        ("not an object", r#"["op","add"]"#, "bad_request"),
        ("a bare string", r#""add""#, "bad_request"),
        ("no op", r#"{"client":1}"#, "bad_request"),
        ("op not a string", r#"{"op":7}"#, "bad_request"),
        (
            "unknown op",
            r#"{"op":"isBlocked","service":10,"phone":"1"}"#,
            "bad_request",
        ),
        (
            "required field missing",
            r#"{"op":"add_service","client":1}"#,
            "bad_request",
        ),
        (
            "required field empty",
            r#"{"op":"remove","id":""}"#,
            "bad_request",
        ),
        (
            "required field null",
            r#"{"op":"is_blocked","service":null,"phone":"1"}"#,
            "bad_request",
        ),
        (
            "id of wrong JSON type",
            r#"{"op":"remove","id":true}"#,
            "bad_request",
        ),
        (
            "phone of wrong JSON type",
            r#"{"op":"is_blocked","service":10,"phone":4155550100}"#,
            "bad_request",
        ),
        (
            "flag of wrong JSON type",
            r#"{"op":"account_flags","client":1,"account":"A","doNotDial":"true"}"#,
            "bad_request",
        ),
        (
            "check with none of phone/account/zip",
            r#"{"op":"is_blocked","service":10}"#,
            "bad_request",
        ),
        (
            "check with all three empty",
            r#"{"op":"dial_check","service":10,"phone":"","account":null,"zip":""}"#,
            "bad_request",
        ),
        (
            "add without service or client",
            r#"{"op":"add","phone":"1"}"#,
            "bad_request",
        ),
        (
            "add with no key",
            r#"{"op":"add","client":1}"#,
            "bad_request",
        ),
        (
            "account_flags without account",
            r#"{"op":"account_flags","client":1}"#,
            "bad_request",
        ),
        (
            "phone with dash",
            r#"{"op":"is_blocked","service":10,"phone":"415-555"}"#,
            "invalid_phone",
        ),
        (
            "phone too long",
            r#"{"op":"add","client":1,"phone":"1234567890123456"}"#,
            "invalid_phone",
        ),
        (
            "dialed phone with star",
            r#"{"op":"dial_check","service":10,"phone":"415*"}"#,
            "invalid_phone",
        ),
        (
            "account with space",
            r#"{"op":"is_blocked","service":10,"account":"A 1"}"#,
            "invalid_account",
        ),
        (
            "account too long",
            &format!(
                r#"{{"op":"add","client":1,"account":"{}"}}"#,
                "a".repeat(65)
            ),
            "invalid_account",
        ),
        (
            "flags for an invalid account",
            r#"{"op":"account_flags","client":1,"account":"é"}"#,
            "invalid_account",
        ),
        (
            "zip of four digits",
            r#"{"op":"is_blocked","service":10,"zip":"9411"}"#,
            "invalid_zip",
        ),
        ("id zero", r#"{"op":"remove","id":0}"#, "invalid_id"),
        ("id negative", r#"{"op":"remove","id":-4}"#, "invalid_id"),
        ("id fractional", r#"{"op":"remove","id":1.5}"#, "invalid_id"),
        (
            "id too large",
            r#"{"op":"remove","id":9223372036854775808}"#,
            "invalid_id",
        ),
        (
            "id string not digits",
            r#"{"op":"remove","id":"12a"}"#,
            "invalid_id",
        ),
        (
            "client id zero",
            r#"{"op":"add_service","client":0,"service":11}"#,
            "invalid_id",
        ),
        (
            "service id negative string",
            r#"{"op":"is_blocked","service":"-10","phone":"1"}"#,
            "invalid_id",
        ),
        (
            "clear_daily with bad client",
            r#"{"op":"clear_daily","client":0}"#,
            "invalid_id",
        ),
        (
            "phone + zip",
            r#"{"op":"add","client":1,"phone":"1","zip":"94110"}"#,
            "invalid_entry",
        ),
        (
            "account + zip",
            r#"{"op":"add","client":1,"account":"A","zip":"94110"}"#,
            "invalid_entry",
        ),
        (
            "unknown type",
            r#"{"op":"add","client":1,"phone":"1","type":"WEEKLY"}"#,
            "invalid_entry",
        ),
        (
            "check on unknown service",
            r#"{"op":"is_blocked","service":99,"phone":"1"}"#,
            "unknown_service",
        ),
        (
            "add on unknown service",
            r#"{"op":"add","service":99,"phone":"1"}"#,
            "unknown_service",
        ),
        (
            "check with another client",
            r#"{"op":"is_blocked","client":2,"service":10,"phone":"1"}"#,
            "service_client_mismatch",
        ),
        (
            "add with another client",
            r#"{"op":"add","client":2,"service":10,"phone":"1"}"#,
            "service_client_mismatch",
        ),
        (
            "service registered again elsewhere",
            r#"{"op":"add_service","client":2,"service":10}"#,
            "service_client_mismatch",
        ),
        (
            "id in use",
            r#"{"op":"add","id":5,"client":1,"phone":"1"}"#,
            "duplicate_id",
        ),
        (
            "id in use, as a string",
            r#"{"op":"add","id":"5","client":1,"zip":"94110"}"#,
            "duplicate_id",
        ),
        (
            "remove a missing id",
            r#"{"op":"remove","id":6}"#,
            "not_found",
        ),
    ];
    for (name, line, code) in cases {
        assert_eq!(error_code_after(SETUP, line), *code, "{name}: {line}");
    }
}

#[test]
fn bad_request_wins_over_every_other_fault() {
    let cases = [
        // A wrong JSON type beside an invalid phone.
        r#"{"op":"is_blocked","service":10,"phone":"x","zip":12345}"#,
        // A missing required field beside an invalid id.
        r#"{"op":"add_service","client":0}"#,
        // An unknown service and an empty request.
        r#"{"op":"is_blocked","service":99}"#,
        // An invalid entry kind and no scope.
        r#"{"op":"add","phone":"1","zip":"94110"}"#,
    ];
    for line in cases {
        assert_eq!(error_code_after(SETUP, line), "bad_request", "{line}");
    }
}

#[test]
fn integer_fields_accept_digit_strings_and_empty_means_absent() {
    let mut session = ReplaySession::new();
    let lines = [
        (
            r#"{"op":"add_service","client":"1","service":"10"}"#,
            r#"{"ok":true}"#,
        ),
        (
            r#"{"op":"add","id":"7","service":"10","phone":"4155550100","account":"","zip":null,"type":""}"#,
            r#"{"ok":true,"id":7}"#,
        ),
        (
            r#"{"op":"add","client":1,"account":"A1","type":"DAILY","note":"ignored"}"#,
            r#"{"ok":true,"id":8}"#,
        ),
        (
            r#"{"op":"account_flags","client":1,"account":"a1","doNotDialDaily":true}"#,
            r#"{"ok":true}"#,
        ),
        (
            r#"{"op":"is_blocked","service":"10","client":"1","phone":"4155550100","account":"A1"}"#,
            r#"{"result":true,"entries":[7,8],"accountFlags":["DO_NOT_DIAL_DAILY"]}"#,
        ),
        (
            r#"{"op":"clear_daily","client":""}"#,
            r#"{"ok":true,"removed":1}"#,
        ),
        (
            r#"{"op":"is_blocked","service":10,"account":"A1"}"#,
            r#"{"result":false,"entries":[],"accountFlags":[]}"#,
        ),
        (r#"{"op":"remove","id":"7"}"#, r#"{"ok":true}"#),
        (
            r#"{"op":"add","client":1,"zip":"94110-1234"}"#,
            r#"{"ok":true,"id":9}"#,
        ),
        (
            r#"{"op":"dial_check","service":10,"zip":"94110"}"#,
            r#"{"result":true,"entries":[9],"accountFlags":[]}"#,
        ),
    ];
    for (line, want) in lines {
        assert_eq!(session.handle_line(line).as_deref(), Some(want), "{line}");
    }
}

#[test]
fn errors_do_not_stop_the_replay_and_blank_lines_get_no_answer() {
    let script = "\n{\"op\":\"add_service\",\"client\":1,\"service\":10}\r\n   \nnot json\n\t\n{\"op\":\"add\",\"client\":1,\"phone\":\"1\"}\n\u{0}\n{\"op\":\"is_blocked\",\"service\":10,\"phone\":\"1\"}";
    let (stdout, status) = replay_stdin(script);
    assert!(status.success());
    let answers = json_lines(&stdout);
    let codes: Vec<String> = answers
        .iter()
        .map(|a| a["error"]["code"].as_str().unwrap_or("ok").to_owned())
        .collect();
    assert_eq!(codes, ["ok", "bad_request", "ok", "bad_request", "ok"]);
    assert_eq!(answers[4]["entries"], serde_json::json!([1]));
}

#[test]
fn invalid_utf8_is_a_bad_request_not_a_crash() {
    let mut session = ReplaySession::new();
    let answer = session.handle_bytes(b"{\"op\":\"\xff\"}").unwrap();
    assert!(answer.contains("bad_request"), "{answer}");
}

#[test]
fn answers_arrive_while_the_input_is_still_open() {
    // A driver that writes one request and waits for its answer must get it
    // without closing standard input.
    let mut child = dnc()
        .arg("replay")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    for (request, want) in [
        (
            r#"{"op":"add_service","client":1,"service":10}"#,
            r#"{"ok":true}"#,
        ),
        (
            r#"{"op":"add","client":1,"phone":"5"}"#,
            r#"{"ok":true,"id":1}"#,
        ),
    ] {
        writeln!(stdin, "{request}").unwrap();
        stdin.flush().unwrap();
        let mut answer = String::new();
        stdout.read_line(&mut answer).unwrap();
        assert_eq!(answer.trim_end(), want);
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_long_script_streams_one_answer_per_line() {
    let mut script = String::from("{\"op\":\"add_service\",\"client\":1,\"service\":10}\n");
    for i in 0..50_000u64 {
        script.push_str(&format!(
            "{{\"op\":\"add\",\"client\":1,\"phone\":\"{}\"}}\n",
            4_150_000_000 + i
        ));
        script.push_str(&format!(
            "{{\"op\":\"is_blocked\",\"service\":10,\"phone\":\"{}\"}}\n",
            4_150_000_000 + i
        ));
    }
    let (stdout, status) = replay_stdin(&script);
    assert!(status.success());
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 100_001);
    assert_eq!(
        lines[100_000],
        r#"{"result":true,"entries":[50000],"accountFlags":[]}"#
    );
}

#[test]
fn help_explains_the_protocol_and_a_missing_file_fails() {
    let help = dnc().args(["replay", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for op in [
        "add_service",
        "account_flags",
        "clear_daily",
        "dial_check",
        "bad_request",
    ] {
        assert!(help.contains(op), "replay --help should mention {op}");
    }
    let top = String::from_utf8(dnc().arg("--help").output().unwrap().stdout).unwrap();
    assert!(top.contains("replay"));
    let missing = dnc()
        .args(["replay", "/nonexistent/script.jsonl"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(
        String::from_utf8(missing.stderr)
            .unwrap()
            .contains("/nonexistent/script.jsonl")
    );
}

#[test]
fn channel_list_ops_through_the_built_program() {
    let output = dnc()
        .args(["replay", &format!("{FIXTURES}/channels.jsonl")])
        .output()
        .unwrap();
    assert!(output.status.success());
    let got = json_lines(&String::from_utf8(output.stdout).unwrap());
    let expected = std::fs::read_to_string(format!("{FIXTURES}/channels.expected.jsonl")).unwrap();
    assert_eq!(got, json_lines(&expected));
    // The reference's facts, independently of the recorded answers:
    // the bulk example refuses the record with the unknown contact group
    // (and the script's unreadable records) and applies the rest;
    let bulk = &got[6];
    assert_eq!(bulk["processedCount"], 5);
    let refused: Vec<(u64, &str)> = bulk["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["record"].as_u64().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        refused,
        [
            (6, "invalid_phone"),
            (7, "invalid_contact_group"),
            (8, "bad_request")
        ]
    );
    // the SMS find example finds the three entries shown, with the
    // expirations shown;
    let found: Vec<(&str, i64)> = got[7]["dncEntries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["sms"].as_str().unwrap(),
                e["expirationDate"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("9176754178", 1635825600000),
            ("6503517497", 1635307200000),
            ("6505153873", 1635307200000)
        ]
    );
    assert!(got[7].get("next").is_none(), "the last page has no next");
    // an entry blocks through the last millisecond of its date in New York;
    assert_eq!(
        (got[8]["result"].clone(), got[9]["result"].clone()),
        (json!(true), json!(false))
    );
    // reading a missing id is not_found (the reference's 404).
    assert_eq!(got[11]["error"]["code"], "not_found");
}

#[test]
fn every_error_code_of_the_channel_ops() {
    let setup: &[&str] = &[
        r#"{"op":"add_service","client":1,"service":10}"#,
        r#"{"op":"add_contact_group","client":1,"contactGroupId":7}"#,
        r#"{"op":"create","list":"sms","client":1,"sms":"4155550100"}"#,
    ];
    let cases: &[(&str, &str, &str)] = &[
        (
            "unknown list",
            r#"{"op":"create","list":"fax","client":1,"phone":"4155550100"}"#,
            "bad_request",
        ),
        ("no list", r#"{"op":"info","client":1}"#, "bad_request"),
        (
            "value under the wrong name",
            r#"{"op":"create","list":"sms","client":1,"phone":"4155550100"}"#,
            "bad_request",
        ),
        (
            "value not a string",
            r#"{"op":"create","list":"email","client":1,"email":5}"#,
            "bad_request",
        ),
        (
            "expiration of the wrong type",
            r#"{"op":"create","list":"sms","client":1,"sms":"4155550100","expirationDate":true}"#,
            "bad_request",
        ),
        (
            "dncEntries not an array",
            r#"{"op":"create_many","list":"sms","client":1,"dncEntries":{}}"#,
            "bad_request",
        ),
        (
            "find without a filter",
            r#"{"op":"find","list":"sms","client":1,"count":5}"#,
            "bad_request",
        ),
        (
            "page without a count",
            r#"{"op":"list","list":"sms","client":1}"#,
            "bad_request",
        ),
        (
            "negative offset",
            r#"{"op":"list","list":"sms","client":1,"offset":-1,"count":5}"#,
            "bad_request",
        ),
        (
            "bad_request wins over a bad group",
            r#"{"op":"find","list":"sms","client":1,"filter":{"contactGroupId":"x"}}"#,
            "bad_request",
        ),
        (
            "check of an unknown channel",
            r#"{"op":"check","channel":"fax","service":10,"phone":"4155550100"}"#,
            "bad_request",
        ),
        (
            "update on the legacy list",
            r#"{"op":"update","list":"dnc","client":1,"id":1}"#,
            "bad_request",
        ),
        (
            "legacy find with services not an array",
            r#"{"op":"find","list":"dnc","client":1,"count":5,"filter":{"services":10}}"#,
            "bad_request",
        ),
        (
            "legacy find with an unknown type",
            r#"{"op":"find","list":"dnc","client":1,"count":5,"filter":{"type":"WEEKLY"}}"#,
            "invalid_entry",
        ),
        (
            "legacy read of a missing id",
            r#"{"op":"read","list":"dnc","client":1,"id":99}"#,
            "not_found",
        ),
        (
            "legacy page count above the cap",
            r#"{"op":"list","list":"dnc","client":1,"count":1001}"#,
            "invalid_page",
        ),
        (
            "unknown phone DNC type",
            r#"{"op":"set_client","client":1,"phoneDncType":"DIALTIME"}"#,
            "bad_request",
        ),
        (
            "dialtime list of a LEGACY client",
            r#"{"op":"create","list":"dialtime","client":1,"phone":"4155550100"}"#,
            "wrong_dnc_type",
        ),
        (
            "unknown time zone",
            r#"{"op":"set_client","client":1,"timeZone":"Mars/Base"}"#,
            "bad_request",
        ),
        (
            "invalid email",
            r#"{"op":"create","list":"email","client":1,"email":"jane@localhost"}"#,
            "invalid_email",
        ),
        (
            "phone with a star on a channel list",
            r#"{"op":"create","list":"sms","client":1,"sms":"415*******"}"#,
            "invalid_phone",
        ),
        (
            "impossible date",
            r#"{"op":"create","list":"sms","client":1,"sms":"4155550100","expirationDate":"2021-02-30"}"#,
            "invalid_date",
        ),
        (
            "date in another shape",
            r#"{"op":"create","list":"sms","client":1,"sms":"4155550100","expirationDate":"02/03/2021"}"#,
            "invalid_date",
        ),
        (
            "unregistered contact group",
            r#"{"op":"create","list":"sms","client":1,"sms":"4155550100","contactGroupId":8}"#,
            "invalid_contact_group",
        ),
        (
            "service mapped to an unregistered group",
            r#"{"op":"set_service_contact_group","service":10,"contactGroupId":8}"#,
            "invalid_contact_group",
        ),
        (
            "count above the cap",
            r#"{"op":"list","list":"sms","client":1,"count":1001}"#,
            "invalid_page",
        ),
        (
            "count zero",
            r#"{"op":"find","list":"sms","client":1,"count":0,"filter":{}}"#,
            "invalid_page",
        ),
        (
            "read of a missing id",
            r#"{"op":"read","list":"sms","client":1,"id":99}"#,
            "not_found",
        ),
        (
            "another client's entry",
            r#"{"op":"delete","list":"sms","client":2,"id":1}"#,
            "not_found",
        ),
        (
            "check for an unknown service",
            r#"{"op":"check","channel":"sms","service":99,"sms":"4155550100"}"#,
            "unknown_service",
        ),
        (
            "contact group id zero",
            r#"{"op":"add_contact_group","client":1,"contactGroupId":0}"#,
            "invalid_id",
        ),
    ];
    for (name, line, code) in cases {
        assert_eq!(error_code_after(setup, line), *code, "{name}: {line}");
    }
}

/// The channel-list examples of `dnc replay --help`, run in order: each
/// answers as documented (answers shown with "..." only succeed), so the
/// help cannot drift from the program.
#[test]
fn the_help_examples_of_the_channel_ops_answer_as_documented() {
    let help = dnc().args(["replay", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let section = help
        .split("Channel lists: ")
        .nth(1)
        .expect("the help has a channel-list section")
        .split(PART_3_HEADING)
        .next()
        .unwrap();
    // The examples assume service 10 of client 1 and group 1522 exist.
    let examples = replay_documented_examples(
        section,
        &[
            r#"{"op":"add_service","client":1,"service":10}"#,
            r#"{"op":"add_contact_group","client":1,"contactGroupId":1522}"#,
            // The legacy find example's entry.
            r#"{"op":"add_service","client":93119,"service":123}"#,
            r#"{"op":"add","service":123,"phone":"4152257000","type":"DAILY","at":1700000000001}"#,
        ],
    );
    assert_eq!(
        examples, 15,
        "one example per channel op, and one with \"as\""
    );
}

const PART_3_HEADING: &str = "Dialing profiles, hours and the dial decision. ";

/// The part-3 examples of `dnc replay --help`, run in order, answer as
/// documented.
#[test]
fn the_help_examples_of_the_dialing_ops_answer_as_documented() {
    let help = dnc().args(["replay", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let section = help
        .split(PART_3_HEADING)
        .nth(1)
        .expect("the help has a part-3 section")
        .split("Error codes:")
        .next()
        .unwrap()
        .split(REGISTRIES_HEADING)
        .next()
        .unwrap();
    let examples = replay_documented_examples(
        section,
        &[r#"{"op":"add_service","client":4199,"service":40789}"#],
    );
    assert_eq!(examples, 15, "one example per part-3 op");
}

const REGISTRIES_HEADING: &str = "Registries (the national and state Do-Not-Call registries).";

/// The registries examples of `dnc replay --help`, run in order, answer as
/// documented (the copy `registry_open` names is built first, from a
/// CRTC-format list, and the example given its path).
#[test]
fn the_help_examples_of_the_registries_ops_answer_as_documented() {
    let help = dnc().args(["replay", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let section = help
        .split(REGISTRIES_HEADING)
        .nth(1)
        .expect("the help has a registries section")
        .split(ATTEMPTS_HEADING)
        .next()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("dnc-help-registries-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let list = dir.join("ca.txt");
    std::fs::write(&list, "416,2345678\n").unwrap();
    let copy = dir.join("ca.dncreg");
    let built = dnc()
        .args([
            "registry",
            "build",
            "--source",
            "CA_NATIONAL",
            "--obtained",
            "2026-11-30T04:00:00Z",
            "--out",
        ])
        .arg(&copy)
        .arg(&list)
        .output()
        .unwrap();
    assert!(built.status.success());
    let section = section.replace(
        "\"file\":\"ca.dncreg\"",
        &format!("\"file\":{:?}", copy.to_str().unwrap()),
    );
    let examples = replay_documented_examples(
        &section,
        &[r#"{"op":"add_service","client":1,"service":10}"#],
    );
    assert_eq!(examples, 9, "one example per registries op");
}

const ATTEMPTS_HEADING: &str = "Attempts and contact caps.";

/// The attempts examples of `dnc replay --help`, run in order, answer as
/// documented.
#[test]
fn the_help_examples_of_the_attempts_ops_answer_as_documented() {
    let help = dnc().args(["replay", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let section = help
        .split(ATTEMPTS_HEADING)
        .nth(1)
        .expect("the help has an attempts section")
        .split("Error codes:")
        .next()
        .unwrap();
    let examples = replay_documented_examples(
        section,
        &[r#"{"op":"add_service","client":1,"service":10}"#],
    );
    assert_eq!(examples, 7, "one example per attempts op, and a dial");
}

/// Runs `setup`, then every example line of `section`, comparing each answer
/// with the documented one (answers shown with "..." only succeed); returns
/// how many examples ran.
fn replay_documented_examples(section: &str, setup: &[&str]) -> usize {
    let mut session = ReplaySession::new();
    for line in setup {
        session.handle_line(line).unwrap();
    }
    let mut last: Option<Value> = None;
    let mut examples = 0;
    for line in section.lines().map(str::trim) {
        if let Some(start) = line.find(r#"{"op""#) {
            let answer = session.handle_line(&line[start..]).unwrap();
            last = Some(serde_json::from_str(&answer).unwrap());
            examples += 1;
        } else if let Some(documented) = line.strip_prefix("-> ") {
            let got: Value = last.take().expect("an answer follows an example");
            match serde_json::from_str::<Value>(documented) {
                // An error shown with "...": the code must match.
                Ok(shown) if shown.get("error").is_some() => {
                    assert_eq!(got["error"]["code"], shown["error"]["code"], "{documented}")
                }
                Ok(shown) if !documented.contains("...") => assert_eq!(got, shown),
                // Elided answers: the example must succeed.
                _ => assert!(got.get("error").is_none(), "{documented} -> {got}"),
            }
        }
    }
    examples
}

#[test]
fn legacy_list_ops_through_the_built_program() {
    let output = dnc()
        .args(["replay", &format!("{FIXTURES}/legacy-list.jsonl")])
        .output()
        .unwrap();
    assert!(output.status.success());
    let got = json_lines(&String::from_utf8(output.stdout).unwrap());
    let expected =
        std::fs::read_to_string(format!("{FIXTURES}/legacy-list.expected.jsonl")).unwrap();
    assert_eq!(got, json_lines(&expected));
    // SPEC 9, independently of the recorded answers: the bulk create
    // applies the valid records and reports the others by position;
    assert_eq!(got[3]["processedCount"], 2);
    let positions: Vec<u64> = got[3]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["record"].as_u64().unwrap())
        .collect();
    assert_eq!(positions, [3, 4]);
    // a page of two says where the next starts;
    assert_eq!(got[6]["next"], 2);
    // find by type, by services (client-level entries have none), and by
    // modifiedAfter (entry 1 was added at 100, entries 2 and 3 at 200,
    // entry 4 without an instant);
    let ids = |line: &Value| -> Vec<u64> {
        line["dncEntries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(ids(&got[7]), [2]);
    assert_eq!(ids(&got[8]), [1, 3]);
    assert_eq!(ids(&got[9]), [2, 3]);
    // info counts the entries and keeps the latest instant;
    assert_eq!(
        (got[10]["size"].clone(), got[10]["lastModified"].clone()),
        (json!(4), json!(200))
    );
    assert_eq!(
        (got[14]["size"].clone(), got[14]["lastModified"].clone()),
        (json!(3), json!(300))
    );
    // another client's id is not found, the legacy list has no update, and
    // a DIAL_TIME client may not manage it.
    assert_eq!(got[12]["error"]["code"], "not_found");
    assert_eq!(got[13]["error"]["code"], "bad_request");
    assert_eq!(got[16]["error"]["code"], "wrong_dnc_type");
}

/// SPEC part 3 through the built program: the reference's dialing-profile
/// examples (the three-policy create, the KS/415 mismatch, add and update a
/// policy, update, services, delete and the 404), its two zipAreaMatch
/// examples, and dial decisions.
#[test]
fn dialing_profile_ops_through_the_built_program() {
    let output = dnc()
        .args(["replay", &format!("{FIXTURES}/dialing-profiles.jsonl")])
        .output()
        .unwrap();
    assert!(output.status.success());
    let got = json_lines(&String::from_utf8(output.stdout).unwrap());
    let expected =
        std::fs::read_to_string(format!("{FIXTURES}/dialing-profiles.expected.jsonl")).unwrap();
    assert_eq!(got, json_lines(&expected));
    // Independently of the recorded answers: the create with three policies
    // succeeds, and its epoch-instant times read as 08:00-22:00 in San
    // Francisco;
    assert_eq!(got[1], json!({"ok": true, "id": 1}));
    let policies = got[7]["policy"].as_array().unwrap();
    assert_eq!(policies.len(), 4);
    assert_eq!(policies[2]["startTime"], "08:00");
    assert_eq!(policies[2]["endTime"], "22:00");
    // the KS/415 policy is refused, as the reference's errorCode 202;
    assert_eq!(got[2]["error"]["code"], "area_code_state_mismatch");
    assert!(
        got[2]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Area code/state mismatch")
    );
    // the service dials under the profile;
    assert_eq!(got[7]["service"], json!([{"id": 40789}]));
    // 07:30 in San Francisco on a Monday: refused until 08:00 (16:00Z);
    assert_eq!(got[10]["allowed"], false);
    assert_eq!(got[10]["nextAllowed"], 1_796_054_400_000_i64);
    assert_eq!(got[11]["allowed"], true);
    // 410 is doNotDial every day: never allowed within the horizon;
    assert_eq!(got[12]["allowed"], false);
    assert_eq!(got[12]["nextAllowed"], Value::Null);
    // Kansas on a weekday: dial, but leave no message;
    assert_eq!(
        (
            got[13]["allowed"].clone(),
            got[13]["mayLeaveMessage"].clone()
        ),
        (json!(true), json!(false))
    );
    // zipAreaMatch: 415/94111 true, 415/10010 false (the reference's examples);
    assert_eq!(got[14]["result"], true);
    assert_eq!(got[15]["result"], false);
    // deleting twice: the second is a 404.
    assert_eq!(got[18], json!({"ok": true}));
    assert_eq!(got[19]["error"]["code"], "not_found");
}

#[test]
fn every_error_code_of_the_dialing_ops() {
    let setup = &[
        r#"{"op":"add_service","client":1,"service":10}"#,
        r#"{"op":"add_service","client":2,"service":20}"#,
        r#"{"op":"profile_create","client":1,"name":"p"}"#,
    ][..];
    let cases: &[(&str, &str, &str)] = &[
        (
            "unknown day",
            r#"{"op":"policy_add","client":1,"id":1,"dayOfWeek":"FUNDAY","state":"CA"}"#,
            "invalid_profile",
        ),
        (
            "no region",
            r#"{"op":"policy_add","client":1,"id":1,"dayOfWeek":"ALL"}"#,
            "invalid_profile",
        ),
        (
            "bad time",
            r#"{"op":"policy_add","client":1,"id":1,"dayOfWeek":"ALL","state":"CA","startTime":"9am"}"#,
            "invalid_profile",
        ),
        (
            "end before start",
            r#"{"op":"policy_add","client":1,"id":1,"dayOfWeek":"ALL","state":"CA","startTime":"17:00","endTime":"09:00"}"#,
            "invalid_profile",
        ),
        (
            "bad area code",
            r#"{"op":"policy_add","client":1,"id":1,"dayOfWeek":"ALL","areaCode":"41"}"#,
            "invalid_area_code",
        ),
        (
            "mismatch",
            r#"{"op":"policy_add","client":1,"id":1,"dayOfWeek":"ALL","state":"KS","areaCode":"415"}"#,
            "area_code_state_mismatch",
        ),
        (
            "state outside country",
            r#"{"op":"policy_add","client":1,"id":1,"dayOfWeek":"ALL","state":"BC","country":"USA"}"#,
            "area_code_state_mismatch",
        ),
        (
            "no name",
            r#"{"op":"profile_create","client":1}"#,
            "bad_request",
        ),
        (
            "policy not an array",
            r#"{"op":"profile_create","client":1,"name":"p","policy":{}}"#,
            "bad_request",
        ),
        (
            "another client's profile",
            r#"{"op":"profile_read","client":2,"id":1}"#,
            "not_found",
        ),
        (
            "another client's service",
            r#"{"op":"profile_add_service","client":1,"id":1,"service":20}"#,
            "service_client_mismatch",
        ),
        (
            "unknown policy",
            r#"{"op":"policy_remove","client":1,"id":1,"policy":9}"#,
            "not_found",
        ),
        (
            "zero profile id",
            r#"{"op":"profile_read","client":1,"id":0}"#,
            "invalid_id",
        ),
        (
            "zip type",
            r#"{"op":"zip_area_match","areaCode":"415","zipCode":"94111","type":"NEAR"}"#,
            "invalid_profile",
        ),
        (
            "zip",
            r#"{"op":"zip_area_match","areaCode":"415","zipCode":"9411","type":"DIAL_TIME"}"#,
            "invalid_zip",
        ),
        (
            "dial a pattern",
            r#"{"op":"dial","service":10,"phone":"415555****","at":0}"#,
            "invalid_phone",
        ),
        (
            "dial 11 digits",
            r#"{"op":"dial","service":10,"phone":"14155550100","at":0}"#,
            "invalid_phone",
        ),
        (
            "dial without at",
            r#"{"op":"dial","service":10,"phone":"4155550100"}"#,
            "bad_request",
        ),
        (
            "dial at nonsense",
            r#"{"op":"dial","service":10,"phone":"4155550100","at":"noon"}"#,
            "invalid_date",
        ),
        (
            "dial unknown service",
            r#"{"op":"dial","service":99,"phone":"4155550100","at":0}"#,
            "unknown_service",
        ),
        (
            "dial channel",
            r#"{"op":"dial","service":10,"phone":"4155550100","at":0,"channel":"FAX"}"#,
            "invalid_profile",
        ),
        (
            "agent on profiles",
            r#"{"op":"profile_info","client":1,"as":{"role":"AGENT","client":1}}"#,
            "forbidden",
        ),
        (
            "manager on profiles",
            r#"{"op":"profile_info","client":1,"as":{"role":"MANAGER","client":1,"powers":["EDIT_DNC_LISTS"]}}"#,
            "forbidden",
        ),
        (
            "system-wide under as",
            r#"{"op":"profile_info","as":{"role":"IT_USER","client":1}}"#,
            "forbidden",
        ),
        (
            "another tenant under as",
            r#"{"op":"profile_info","client":2,"as":{"role":"SUPERUSER","client":1}}"#,
            "forbidden",
        ),
    ];
    for (name, line, code) in cases {
        assert_eq!(error_code_after(setup, line), *code, "{name}: {line}");
    }
    // SPEC 10's agent list has no dial decision (it reads the DNC lists and
    // the profiles): only SYSADMIN and SUPERUSER may ask it; the hours are
    // a profile method.
    for (line, code) in [
        (
            r#"{"op":"dial","service":10,"phone":"4155550100","at":0,"as":{"role":"AGENT","client":1}}"#,
            "forbidden",
        ),
        (
            r#"{"op":"dial","service":10,"phone":"4155550100","at":0,"as":{"role":"MANAGER","client":1,"powers":["EDIT_DNC_LISTS"]}}"#,
            "forbidden",
        ),
        (
            r#"{"op":"dial","service":10,"phone":"4155550100","at":0,"as":{"role":"IT_USER","client":1}}"#,
            "forbidden",
        ),
        (
            r#"{"op":"dialing_hours","service":10,"phone":"4155550100","at":0,"as":{"role":"AGENT","client":1}}"#,
            "forbidden",
        ),
    ] {
        assert_eq!(error_code_after(setup, line), code, "{line}");
    }
    // What the roles may do: IT_USER manages profiles and reads the hours,
    // an agent asks zipAreaMatch, a SUPERUSER the dial decision.
    let mut session = ReplaySession::new();
    for line in setup {
        session.handle_line(line).unwrap();
    }
    for allowed in [
        r#"{"op":"profile_info","client":1,"as":{"role":"IT_USER","client":1}}"#,
        r#"{"op":"zip_area_match","areaCode":"415","zipCode":"94111","type":"DIAL_TIME","as":{"role":"AGENT","client":1}}"#,
        r#"{"op":"dialing_hours","service":10,"phone":"4155550100","at":0,"as":{"role":"IT_USER","client":1}}"#,
        r#"{"op":"dial","service":10,"phone":"4155550100","at":0,"as":{"role":"SUPERUSER","client":1}}"#,
        // A ZIP as a JSON number keeps its leading zero (02134, Boston).
        r#"{"op":"zip_area_match","areaCode":617,"zipCode":2134,"type":"DIAL_TIME"}"#,
    ] {
        let answer: Value = serde_json::from_str(&session.handle_line(allowed).unwrap()).unwrap();
        assert!(answer.get("error").is_none(), "{allowed} -> {answer}");
    }
}

/// Issue 13's review: an attempt rule with `"channels": []` counted both
/// channels; it is refused, and leaving the field out means both.
#[test]
fn an_attempt_rule_with_no_channel_is_refused() {
    let mut session = ReplaySession::new();
    let rule = |channels: &str| {
        format!(
            r#"{{"op":"attempt_rule_add","client":1,"key":"PHONE","outcomes":["NO_ANSWER"],"limit":2,"windowMinutes":60{channels}}}"#
        )
    };
    let refused: Value =
        serde_json::from_str(&session.handle_line(&rule(r#","channels":[]"#)).unwrap()).unwrap();
    assert_eq!(refused["error"]["code"], "invalid_attempt");
    let both: Value = serde_json::from_str(&session.handle_line(&rule("")).unwrap()).unwrap();
    assert_eq!(both["ok"], true);
    let listed: Value = serde_json::from_str(
        &session
            .handle_line(r#"{"op":"attempt_rules","client":1}"#)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(listed["rules"][0]["channels"], json!(["VOICE", "SMS"]));
}
