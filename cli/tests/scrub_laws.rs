//! `dnc scrub --at` under the calling laws and the contact caps: the
//! bundled example (`tests/fixtures/scrub/laws`: a Florida number after
//! three contacts, Sunday in Alabama and Rhode Island, Texas at Sunday
//! noon, Regulation F after a conversation) gives its documented output;
//! `--attempts` needs `--at`; a bad attempt row is a bad row with its line
//! and nothing is written; the attempts file is never the output.

use std::path::PathBuf;
use std::process::{Command, Output};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/scrub");

fn example(name: &str) -> String {
    format!("{EXAMPLE}/{name}")
}

fn dnc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dnc"))
        .args(args)
        .output()
        .unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dnc-scrub-laws-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The example's scrub with `attempts` and `out`, at Sunday 2026-11-22
/// 18:00Z.
fn scrub(attempts: &str, out: &str, extra: &[&str]) -> Output {
    let (services, dnc_list) = (example("services.csv"), example("dnc.csv"));
    let (calls, setup) = (example("laws/calls.csv"), example("laws/setup.jsonl"));
    let mut args = vec![
        "scrub",
        "--services",
        &services,
        "--dnc",
        &dnc_list,
        "--calls",
        &calls,
        "--at",
        "2026-11-22T18:00:00Z",
        "--setup",
        &setup,
        "--attempts",
        attempts,
        "--out",
        out,
    ];
    args.extend_from_slice(extra);
    dnc(&args)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_laws_example_gives_the_documented_output() {
    let dir = scratch("example");
    let out = dir.join("out.csv");
    let output = scrub(&example("laws/attempts.csv"), out.to_str().unwrap(), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let got = std::fs::read_to_string(&out).unwrap();
    let expected = std::fs::read_to_string(example("laws/calls.expected.csv")).unwrap();
    assert_eq!(got, expected);
    // Independently of the recorded file: each row's verdict and reason.
    let rows: Vec<&str> = got.lines().skip(1).collect();
    let blocked = |row: &str| row.split(',').nth(6).unwrap() == "true";
    assert!(blocked(rows[0]) && rows[0].contains("Fla. Stat. §501.616(6)(b)"));
    assert!(rows[0].contains("3 attempts in a rolling 24h (limit 3)"));
    // 24 hours after the first of the three contacts.
    assert!(rows[0].contains("next allowed 2026-11-23T14:00:00Z"));
    assert!(!blocked(rows[1]), "one contact leaves room for two more");
    assert!(blocked(rows[2]) && rows[2].contains("no calls on a Sunday"));
    assert!(blocked(rows[3]) && rows[3].contains("R.I. Gen. Laws"));
    assert!(!blocked(rows[4]), "Texas allows Sunday from noon");
    for row in &rows[5..7] {
        assert!(
            blocked(row) && row.contains("12 CFR 1006.14(b)(2)(i)(B)"),
            "{row}"
        );
        assert!(row.contains("next allowed 2026-11-27T18:00:00Z"), "{row}");
    }
    let summary = stderr(&output);
    assert!(summary.contains("1 rows: FL contact cap"), "{summary}");
    assert!(summary.contains("2 rows: REG_F contact cap"), "{summary}");
    assert!(
        summary.contains("1 rows: AL calling law: banned day"),
        "{summary}"
    );
}

#[test]
fn attempts_need_the_full_decision() {
    let dir = scratch("needs-at");
    let out = dir.join("out.csv");
    let (services, dnc_list, calls) = (
        example("services.csv"),
        example("dnc.csv"),
        example("laws/calls.csv"),
    );
    let attempts = example("laws/attempts.csv");
    let output = dnc(&[
        "scrub",
        "--services",
        &services,
        "--dnc",
        &dnc_list,
        "--calls",
        &calls,
        "--attempts",
        &attempts,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("--attempts is part of the full decision"));
    assert!(!out.exists());
}

#[test]
fn a_bad_attempt_row_is_named_and_nothing_is_written() {
    let dir = scratch("bad-row");
    let attempts = dir.join("attempts.csv");
    std::fs::write(
        &attempts,
        "service,phone,at,outcome\n\
         123,3055550100,2026-11-22T14:00:00Z,NO_ANSWER\n\
         123,3055550100,2026-11-22T15:00:00Z,PERHAPS\n\
         999,3055550100,2026-11-22T15:00:00Z,NO_ANSWER\n\
         123,305555,2026-11-22T15:00:00Z,NO_ANSWER\n",
    )
    .unwrap();
    let out = dir.join("out.csv");
    std::fs::write(&out, "keep me\n").unwrap();
    let output = scrub(attempts.to_str().unwrap(), out.to_str().unwrap(), &[]);
    assert!(!output.status.success());
    let said = stderr(&output);
    assert!(
        said.contains("attempts.csv:3: invalid_attempt: invalid attempt outcome \"PERHAPS\""),
        "{said}"
    );
    assert!(said.contains("attempts.csv:4: unknown_service"), "{said}");
    assert!(said.contains("attempts.csv:5: invalid_phone"), "{said}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me\n");
    // With --skip-bad-rows the good row counts and the scrub completes.
    let output = scrub(
        attempts.to_str().unwrap(),
        out.to_str().unwrap(),
        &["--skip-bad-rows"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn the_attempts_file_is_never_the_output() {
    let dir = scratch("input-out");
    let attempts = dir.join("attempts.csv");
    let text = std::fs::read_to_string(example("laws/attempts.csv")).unwrap();
    std::fs::write(&attempts, &text).unwrap();
    let output = scrub(attempts.to_str().unwrap(), attempts.to_str().unwrap(), &[]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("--attempts"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&attempts).unwrap(), text);
}
