//! `dnc scrub --report/--report-json`: the figures of generated scrubs
//! against a count of the scrubbed list itself, the HTML well-formed and
//! self-contained, and the reports written only when the scrub succeeded,
//! never over an input or the scrubbed list.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dnc_engine::Phone;
use dnc_engine::geo::AreaCode;
use serde_json::Value;

mod support;
use support::bundled_us_copy;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/scrub");

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dnc-report-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn dnc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dnc"))
        .args(args)
        .output()
        .unwrap()
}

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

const PHONES: &[&str] = &[
    "4152257000",
    "6173432000",
    "2125550100",
    "3125550100",
    "6045550100",
    "5034441000",
    "9075550100",
    "8085550100",
    "12ab",
    "",
    "2016668000",
];
const ACCOUNTS: &[&str] = &["", "A1", "A2", "A3"];

/// Writes random lists and a call list into `dir`; returns the arguments.
fn random_scrub(dir: &Path, seed: u64) -> Vec<String> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let services = write("services.csv", "client,service\n1,11\n1,12\n2,21\n");
    let mut dnc_list = String::from("id,client,service,phone,account,zip,type\n");
    for id in 1..=12 {
        let phone = PHONES[rng.below(8) as usize];
        let (client, service) = match rng.below(3) {
            0 => ("1", ""),
            1 => ("", "11"),
            _ => ("2", ""),
        };
        if rng.below(4) == 0 {
            dnc_list.push_str(&format!(
                "{id},{client},{service},,A{},,\n",
                rng.below(3) + 1
            ));
        } else {
            dnc_list.push_str(&format!("{id},{client},{service},{phone},,,\n"));
        }
    }
    let dnc_file = write("dnc.csv", &dnc_list);
    let flags = write(
        "flags.csv",
        "client,account,doNotDial,doNotDialDaily\n1,A3,true,false\n",
    );
    let mut calls = String::from("name,service,phone,account\n");
    for row in 0..300 {
        let service = ["11", "12", "21", "99"][rng.below(4) as usize];
        let phone = PHONES[rng.below(PHONES.len() as u64) as usize];
        let account = ACCOUNTS[rng.below(4) as usize];
        calls.push_str(&format!("row{row},{service},{phone},{account}\n"));
    }
    let calls = write("calls.csv", &calls);
    let mut args: Vec<String> = [
        "scrub",
        "--services",
        &services,
        "--dnc",
        &dnc_file,
        "--flags",
        &flags,
        "--calls",
        &calls,
    ]
    .iter()
    .map(|arg| arg.to_string())
    .collect();
    if seed % 2 == 1 {
        args.push("--dial-check".to_owned());
    }
    args
}

/// The figures counted from the scrubbed list itself.
#[derive(Debug, Default, PartialEq)]
struct Counted {
    rows: u64,
    allowed: u64,
    refused: u64,
    invalid: u64,
    by_reason: BTreeMap<String, u64>,
    by_state: BTreeMap<String, u64>,
    invalid_rows: Vec<(u64, String)>,
}

fn count(out: &Path) -> Counted {
    let mut reader = csv::Reader::from_path(out).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (phone, blocked, entries, flags, error) = (
        at("phone"),
        at("blocked"),
        at("entries"),
        at("accountFlags"),
        at("error"),
    );
    let mut counted = Counted::default();
    for (index, record) in reader.records().enumerate() {
        let record = record.unwrap();
        counted.rows += 1;
        match &record[blocked] {
            "true" => {
                counted.refused += 1;
                if !record[entries].is_empty() {
                    *counted.by_reason.entry("DNC entry".into()).or_default() += 1;
                }
                if !record[flags].is_empty() {
                    *counted.by_reason.entry("account flag".into()).or_default() += 1;
                }
                let state = Phone::parse(&record[phone])
                    .ok()
                    .and_then(|p| AreaCode::of_phone(p).ok())
                    .map(|(code, _)| {
                        let states: Vec<&str> = code.info().states().map(|s| s.as_str()).collect();
                        if states.is_empty() {
                            "unknown".to_owned()
                        } else {
                            states.join("/")
                        }
                    })
                    .unwrap_or_else(|| "unknown".to_owned());
                *counted.by_state.entry(state).or_default() += 1;
            }
            "false" => counted.allowed += 1,
            _ => {
                counted.invalid += 1;
                // One line a row: the header is line 1.
                counted
                    .invalid_rows
                    .push((index as u64 + 2, record[error].to_owned()));
            }
        }
    }
    counted
}

fn read_report(json: &Path) -> Counted {
    let report: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    let listed = |key: &str, name: &str| -> BTreeMap<String, u64> {
        report[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                (
                    item[name].as_str().unwrap().to_owned(),
                    item["rows"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let totals = &report["totals"];
    let hours = &report["refused_by_local_hour"];
    let hour_rows: u64 = hours["hours"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["rows"].as_u64().unwrap())
        .sum::<u64>()
        + hours["unknown"].as_u64().unwrap();
    assert_eq!(
        hour_rows,
        totals["refused"].as_u64().unwrap(),
        "every refused row has an hour or none"
    );
    Counted {
        rows: totals["rows"].as_u64().unwrap(),
        allowed: totals["allowed"].as_u64().unwrap(),
        refused: totals["refused"].as_u64().unwrap(),
        invalid: totals["invalid"].as_u64().unwrap(),
        by_reason: listed("refused_by_reason", "reason"),
        by_state: listed("refused_by_state", "state"),
        invalid_rows: report["invalid_rows"]["listed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                (
                    row["line"].as_u64().unwrap(),
                    row["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect(),
    }
}

#[test]
fn the_figures_of_random_scrubs_equal_a_count_of_the_scrubbed_list() {
    for seed in 1..=8 {
        let dir = scratch(&format!("random-{seed}"));
        let mut args = random_scrub(&dir, seed);
        let (out, json, html) = (dir.join("out.csv"), dir.join("r.json"), dir.join("r.html"));
        for (flag, path) in [
            ("--out", &out),
            ("--report-json", &json),
            ("--report", &html),
        ] {
            args.push(flag.to_owned());
            args.push(path.display().to_string());
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = dnc(&refs);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(read_report(&json), count(&out), "seed {seed}");
        // Every input is listed with its size and digest.
        let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        for input in report["run"]["inputs"].as_array().unwrap() {
            let path = input["path"].as_str().unwrap();
            let bytes = std::fs::read(path).unwrap();
            assert_eq!(input["bytes"].as_u64().unwrap(), bytes.len() as u64);
            assert_eq!(input["sha256"].as_str().unwrap().len(), 64);
        }
        let page = std::fs::read_to_string(&html).unwrap();
        assert_well_formed_and_self_contained(&page);
        for total in ["rows", "allowed", "refused", "invalid"] {
            let shown = format!(
                "<div class=\"total\" id=\"total-{total}\"><b>{}</b>",
                report["totals"][total]
            );
            assert!(page.contains(&shown), "the page shows {shown}");
        }
    }
}

/// Well-formed (every element closed, as XML reads it) and self-contained
/// (no script, stylesheet link, image, font or URL outside the file).
fn assert_well_formed_and_self_contained(page: &str) {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut reader = Reader::from_str(page);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(error) => panic!("not well-formed at {}: {error}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0, "every element is closed");
    let lower = page.to_ascii_lowercase();
    for external in [
        "<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "href=",
    ] {
        assert!(!lower.contains(external), "the page holds {external}");
    }
    // The one URL allowed is the SVG namespace, which is never fetched.
    let urls = lower.matches("http").count();
    assert_eq!(
        urls,
        lower.matches("http://www.w3.org/2000/svg").count(),
        "no other URL"
    );
    assert!(lower.contains("@media print"), "a print stylesheet");
    assert!(lower.contains("role=\"img\""), "charts are labelled images");
}

#[test]
fn the_bundled_decision_example_reports_its_registry_copy_and_its_age() {
    let dir = scratch("registry");
    let copy = bundled_us_copy(&dir);
    let (out, json) = (dir.join("out.csv"), dir.join("r.json"));
    let output = dnc(&[
        "scrub",
        "--services",
        &format!("{EXAMPLE}/services.csv"),
        "--dnc",
        &format!("{EXAMPLE}/dnc.csv"),
        "--calls",
        &format!("{EXAMPLE}/registry/calls.csv"),
        "--at",
        "2026-12-01T18:00:00Z",
        "--registry",
        copy.to_str().unwrap(),
        "--exemptions",
        &format!("{EXAMPLE}/registry/exemptions.csv"),
        "--setup",
        &format!("{EXAMPLE}/registry/setup.jsonl"),
        "--out",
        out.to_str().unwrap(),
        "--report-json",
        json.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let copies = report["registry_copies"].as_array().unwrap();
    // Only copies: a number no copy covers, or a registry the client does
    // not subscribe to, used none.
    assert_eq!(copies.len(), 1, "{copies:?}");
    let us = &copies[0];
    assert_eq!(us["source"], "US_NATIONAL");
    assert_eq!(us["obtained"], "2026-11-25T05:00:00Z");
    // 2026-11-25T05:00Z to 2026-12-01T18:00Z: 6 days 13 hours.
    let age = us["age_days_at_check"].as_f64().unwrap();
    assert!((age - (6.0 + 13.0 / 24.0)).abs() < 1e-9, "{age}");
    assert_eq!(report["run"]["at"], "2026-12-01T18:00:00Z");
    // Refused rows have a local hour at the instant: 18:00Z is 10:00 in
    // California, 13:00 in New York.
    let hours = report["refused_by_local_hour"]["hours"].as_array().unwrap();
    let known: u64 = hours.iter().map(|h| h["rows"].as_u64().unwrap()).sum();
    assert!(known > 0, "{hours:?}");
    assert_eq!(report["totals"]["rows"], 9);
    // The example's two exemptions each lift the national registry for one
    // row: 3133335000's (TRANSACTION) is then allowed, A12345's (CONSENT)
    // row is still refused by its DNC entry 3. The summary counts only the
    // allowed one.
    assert_eq!(
        report["exemptions_used"],
        serde_json::json!([
            {"exemption": "TRANSACTION exemption from US_NATIONAL", "rows": 1, "then_allowed": 1},
            {"exemption": "CONSENT exemption from US_NATIONAL", "rows": 1, "then_allowed": 0},
        ])
    );
    let summary = String::from_utf8_lossy(&output.stderr);
    assert!(
        summary.contains("1 rows: allowed by a TRANSACTION exemption from US_NATIONAL"),
        "{summary}"
    );
}

#[test]
fn a_report_is_written_only_when_the_scrub_succeeded_and_never_over_a_file_it_reads() {
    let dir = scratch("safety");
    let calls = format!("{EXAMPLE}/calls.csv");
    let services = format!("{EXAMPLE}/services.csv");
    let (json, html) = (dir.join("r.json"), dir.join("r.html"));
    // Bad rows in the DNC list: nothing is scrubbed, no report is written.
    let bad = dnc(&[
        "scrub",
        "--services",
        &services,
        "--dnc",
        &format!("{EXAMPLE}/dnc-with-bad-rows.csv"),
        "--calls",
        &calls,
        "--out",
        dir.join("out.csv").to_str().unwrap(),
        "--report-json",
        json.to_str().unwrap(),
        "--report",
        html.to_str().unwrap(),
    ]);
    assert!(!bad.status.success());
    assert!(
        !json.exists() && !html.exists(),
        "a failed scrub wrote a report"
    );
    // A report over an input, over the scrubbed list, or over the other
    // report is refused before anything is read.
    let out = dir.join("out.csv");
    std::fs::write(&out, "kept\n").unwrap();
    for (flag, target) in [
        ("--report", calls.clone()),
        ("--report-json", services.clone()),
        ("--report", out.display().to_string()),
    ] {
        let before = std::fs::read(&target).unwrap();
        let refused = dnc(&[
            "scrub",
            "--services",
            &services,
            "--dnc",
            &format!("{EXAMPLE}/dnc.csv"),
            "--calls",
            &calls,
            "--out",
            out.to_str().unwrap(),
            flag,
            &target,
        ]);
        assert!(!refused.status.success(), "{flag} {target} was accepted");
        assert_eq!(std::fs::read(&target).unwrap(), before, "{target} changed");
    }
    let same = dnc(&[
        "scrub",
        "--services",
        &services,
        "--dnc",
        &format!("{EXAMPLE}/dnc.csv"),
        "--calls",
        &calls,
        "--out",
        dir.join("o2.csv").to_str().unwrap(),
        "--report",
        json.to_str().unwrap(),
        "--report-json",
        json.to_str().unwrap(),
    ]);
    assert!(
        !same.status.success(),
        "the two reports may not be one file"
    );
    assert!(!json.exists());
}

#[test]
fn refusals_name_the_report_flag_and_stdout_into_a_report_is_refused() {
    let dir = scratch("flags");
    let calls = format!("{EXAMPLE}/calls.csv");
    let services = format!("{EXAMPLE}/services.csv");
    let dnc_file = format!("{EXAMPLE}/dnc.csv");
    let base = [
        "scrub",
        "--services",
        &services,
        "--dnc",
        &dnc_file,
        "--calls",
        &calls,
    ];
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        dnc(&args)
    };
    let out = dir.join("out.csv");
    let refused = run(&["--out", out.to_str().unwrap(), "--report", &calls]);
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains(&format!("--report {calls} is the --calls file")),
        "{message}"
    );
    let subdir = dir.join("a-directory");
    std::fs::create_dir_all(&subdir).unwrap();
    let refused = run(&[
        "--out",
        out.to_str().unwrap(),
        "--report-json",
        subdir.to_str().unwrap(),
    ]);
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("--report-json") && message.contains("is a directory"),
        "{message}"
    );
    // `--out -` with standard output redirected into the report: the report
    // would be renamed over the scrubbed list.
    let report = dir.join("r.html");
    std::fs::write(&report, "the list goes here").unwrap();
    let redirected = std::fs::OpenOptions::new()
        .append(true)
        .open(&report)
        .unwrap();
    let mut args: Vec<&str> = base.to_vec();
    args.extend_from_slice(&["--out", "-", "--report", report.to_str().unwrap()]);
    let output = Command::new(env!("CARGO_BIN_EXE_dnc"))
        .args(&args)
        .stdout(redirected)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("standard output"), "{message}");
    assert_eq!(
        std::fs::read_to_string(&report).unwrap(),
        "the list goes here"
    );
}

#[test]
fn the_record_keeps_the_options_the_skipped_list_rows_and_phones_as_written() {
    let dir = scratch("notes");
    let calls = dir.join("calls.csv");
    std::fs::write(
        &calls,
        "service,phone\n123,+1 (415) 225-7000\n123,3133335000\n",
    )
    .unwrap();
    let json = dir.join("r.json");
    let output = dnc(&[
        "scrub",
        "--services",
        &format!("{EXAMPLE}/services.csv"),
        "--dnc",
        &format!("{EXAMPLE}/dnc-with-bad-rows.csv"),
        "--skip-bad-rows",
        "--normalize-nanp",
        "--calls",
        calls.to_str().unwrap(),
        "--out",
        dir.join("out.csv").to_str().unwrap(),
        "--report-json",
        json.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let run = &report["run"];
    assert_eq!(run["options"]["skip_bad_rows"], true);
    assert_eq!(run["options"]["normalize_nanp"], true);
    assert_eq!(run["normalized_phones"], 1);
    let summary = String::from_utf8_lossy(&output.stderr);
    let skipped = run["skipped_list_rows"]["total"].as_u64().unwrap();
    assert!(
        skipped > 0 && summary.contains(&format!("{skipped} list rows skipped")),
        "{summary}"
    );
    let listed = run["skipped_list_rows"]["listed"].as_array().unwrap();
    assert_eq!(listed.len() as u64, skipped);
    assert!(
        listed
            .iter()
            .all(|row| row["line"].as_u64().unwrap() > 1 && row["reason"].is_string())
    );
    // The sample shows the cell as written, not the number it was read as.
    let sample = report["refused_sample"].as_array().unwrap();
    assert_eq!(sample[0]["phone"], "+1 (415) 225-7000");
}

/// The SHA-256 of `bytes`, in lowercase hexadecimal.
fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The record's entry for the input `flag`.
fn input<'a>(report: &'a Value, flag: &str) -> &'a Value {
    report["run"]["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|input| input["flag"] == flag)
        .unwrap_or_else(|| panic!("no {flag} in {}", report["run"]["inputs"]))
}

/// An input read from a pipe is read once, by the scrub: a second reader
/// hashing it beside the scrub took rows from it (DNC numbers let
/// through, call rows lost, with exit 0). The record gives the bytes the
/// scrub read. Found by the independent review of issue 16.
#[cfg(unix)]
#[test]
fn piped_inputs_are_read_once_and_recorded_as_the_scrub_read_them() {
    use std::io::Write;
    use std::process::Stdio;
    let dir = scratch("pipes");
    let services = dir.join("services.csv");
    std::fs::write(&services, "client,service\n1001,10\n").unwrap();
    let numbers = 20_000;
    let mut dnc_list = String::from("id,client,service,phone,account,zip,type\n");
    let mut calls = String::from("service,phone\n");
    for i in 0..numbers {
        dnc_list.push_str(&format!(",1001,,212{:07},,,\n", 5_550_000 + i));
        calls.push_str(&format!("10,212{:07}\n", 5_550_000 + i));
    }
    for round in 0..3 {
        let fifo = dir.join(format!("dnc-{round}.fifo"));
        let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let (out, json) = (dir.join("out.csv"), dir.join("r.json"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_dnc"))
            .args(["scrub", "--services", services.to_str().unwrap()])
            .args(["--dnc", fifo.to_str().unwrap(), "--calls", "/dev/stdin"])
            .args(["--out", out.to_str().unwrap()])
            .args(["--report-json", json.to_str().unwrap()])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let feeder = {
            let (fifo, text) = (fifo.clone(), dnc_list.clone());
            std::thread::spawn(move || {
                let mut writer = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
                writer.write_all(text.as_bytes()).unwrap();
            })
        };
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(calls.as_bytes()).unwrap();
        drop(stdin);
        let output = child.wait_with_output().unwrap();
        feeder.join().unwrap();
        assert!(
            output.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let written = std::fs::read_to_string(&out).unwrap();
        let blocked = written
            .lines()
            .filter(|line| line.contains(",true,"))
            .count();
        assert_eq!(blocked, numbers as usize, "round {round}");
        assert_eq!(
            written.lines().count(),
            numbers as usize + 1,
            "round {round}"
        );
        let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        for (flag, text) in [("--dnc", &dnc_list), ("--calls", &calls)] {
            let recorded = input(&report, flag);
            assert_eq!(recorded["bytes"], text.len() as u64, "{flag}: {recorded}");
            assert_eq!(
                recorded["sha256"],
                sha256(text.as_bytes()),
                "{flag}: {recorded}"
            );
        }
        let services_bytes = std::fs::read(&services).unwrap();
        assert_eq!(
            input(&report, "--services")["sha256"],
            sha256(&services_bytes)
        );
    }
}

/// A registry copy the setup opens is an input of the record too: its
/// path, size and SHA-256, with the setup's line and op (it was used but
/// not named, so the record could not prove which copy was checked).
#[test]
fn a_copy_the_setup_opens_is_recorded_with_its_digest() {
    let dir = scratch("setup-copy");
    let copy = bundled_us_copy(&dir);
    let setup = dir.join("setup.jsonl");
    std::fs::write(
        &setup,
        format!(
            "\n{{\"op\":\"registry_open\",\"file\":{:?}}}\n",
            copy.to_str().unwrap()
        ),
    )
    .unwrap();
    let (out, json) = (dir.join("out.csv"), dir.join("r.json"));
    let output = dnc(&[
        "scrub",
        "--services",
        &format!("{EXAMPLE}/services.csv"),
        "--dnc",
        &format!("{EXAMPLE}/dnc.csv"),
        "--calls",
        &format!("{EXAMPLE}/registry/calls.csv"),
        "--at",
        "2026-12-01T18:00:00Z",
        "--setup",
        setup.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--report-json",
        json.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let opened = report["run"]["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|input| input["op"] == "registry_open")
        .unwrap_or_else(|| panic!("{}", report["run"]["inputs"]));
    let bytes = std::fs::read(&copy).unwrap();
    assert_eq!(opened["flag"], "--setup");
    assert_eq!(opened["setup_line"], 2);
    assert_eq!(opened["path"], copy.to_str().unwrap());
    assert_eq!(opened["bytes"], bytes.len() as u64);
    assert_eq!(opened["sha256"], sha256(&bytes));
    assert_eq!(report["registry_copies"][0]["source"], "US_NATIONAL");
}

/// `--report -` is standard output, as `--out -` is, when the scrubbed
/// list does not go there; it is written after the files are in place. A
/// second claim on standard output is refused, naming the first.
#[test]
fn a_report_of_dash_goes_to_standard_output_when_the_list_does_not() {
    let dir = scratch("dash");
    let base = [
        "scrub".to_owned(),
        "--services".to_owned(),
        format!("{EXAMPLE}/services.csv"),
        "--dnc".to_owned(),
        format!("{EXAMPLE}/dnc.csv"),
        "--calls".to_owned(),
        format!("{EXAMPLE}/calls.csv"),
    ];
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = base.iter().map(String::as_str).collect();
        args.extend_from_slice(extra);
        dnc(&args)
    };
    let out = dir.join("out.csv");
    let output = run(&["--out", out.to_str().unwrap(), "--report-json", "-"]);
    assert!(output.status.success());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["totals"]["rows"].as_u64().unwrap() > 0);
    assert!(out.exists());
    assert!(!Path::new("-").exists() && !dir.join("-").exists());
    let html = run(&["--out", out.to_str().unwrap(), "--report", "-"]);
    assert!(html.status.success());
    assert!(String::from_utf8_lossy(&html.stdout).starts_with("<!DOCTYPE html>"));
    for (extra, names) in [
        (
            &["--out", "-", "--report", "-"][..],
            "the scrubbed list (no --out, or --out -)",
        ),
        (
            &["--out", "x.csv", "--report", "-", "--report-json", "-"][..],
            "the --report-json report",
        ),
    ] {
        let refused = run(extra);
        let message = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{message}");
        assert!(
            message.contains(&format!(
                "--report - is standard output, which already carries {names}"
            )),
            "{message}"
        );
        assert!(refused.stdout.is_empty());
    }
    assert!(!Path::new("x.csv").exists());
}

/// Found by the second review: the outputs' refusals cover what only runs
/// reveal (the files a `--setup` line reads; standard output carrying a
/// report), a pipe given for two inputs is refused rather than waited on
/// forever, and only answered rows count as normalized.
#[cfg(unix)]
#[test]
fn outputs_never_replace_what_the_setup_read_or_standard_output_carries() {
    use std::process::Stdio;
    let dir = scratch("second-review");
    let services = format!("{EXAMPLE}/services.csv");
    let dnc_file = format!("{EXAMPLE}/dnc.csv");
    let calls = format!("{EXAMPLE}/calls.csv");
    // A file the setup reads, named as --report-json: refused, untouched.
    let copy = bundled_us_copy(&dir);
    let setup = dir.join("setup.jsonl");
    std::fs::write(
        &setup,
        format!(
            "{{\"op\":\"registry_open\",\"file\":{:?}}}\n",
            copy.to_str().unwrap()
        ),
    )
    .unwrap();
    let before = std::fs::read(&copy).unwrap();
    let out = dir.join("out.csv");
    for flag in ["--report-json", "--report", "--out"] {
        let mut args = vec![
            "scrub",
            "--services",
            &services,
            "--dnc",
            &dnc_file,
            "--calls",
            &calls,
            "--at",
            "2026-12-01T18:00:00Z",
            "--setup",
            setup.to_str().unwrap(),
        ];
        if flag != "--out" {
            args.extend(["--out", out.to_str().unwrap()]);
        }
        args.extend([flag, copy.to_str().unwrap()]);
        let refused = dnc(&args);
        let message = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{flag}: {message}");
        assert!(
            message.contains("is the --setup line's file"),
            "{flag}: {message}"
        );
        assert_eq!(std::fs::read(&copy).unwrap(), before, "{flag}");
    }
    // Standard output carries the JSON and is redirected into --report.
    let report = dir.join("r.html");
    std::fs::write(&report, "old").unwrap();
    let redirected = std::fs::OpenOptions::new()
        .append(true)
        .open(&report)
        .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dnc"))
        .args([
            "scrub",
            "--services",
            &services,
            "--dnc",
            &dnc_file,
            "--calls",
            &calls,
        ])
        .args(["--out", out.to_str().unwrap(), "--report-json", "-"])
        .args(["--report", report.to_str().unwrap()])
        .stdout(redirected)
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(
        message.contains("(the --report-json report) is redirected into"),
        "{message}"
    );
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "old");
    // One pipe for two inputs: refused at once, not waited on.
    let mut child = Command::new(env!("CARGO_BIN_EXE_dnc"))
        .args(["scrub", "--services", "/dev/stdin", "--dnc", &dnc_file])
        .args(["--calls", "/dev/stdin", "--out", out.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(
        message.contains("--services /dev/stdin is the --calls input /dev/stdin too"),
        "{message}"
    );
    // Only rows answered count as normalized: an unknown service's row is
    // invalid, whatever its phone.
    let normalized_calls = dir.join("calls.csv");
    std::fs::write(
        &normalized_calls,
        "service,phone\n123,+1 (415) 225-7000\n999999,+1 (415) 225-7001\n123,4152257002\n",
    )
    .unwrap();
    let json = dir.join("n.json");
    let output = dnc(&[
        "scrub",
        "--services",
        &services,
        "--dnc",
        &dnc_file,
        "--calls",
        normalized_calls.to_str().unwrap(),
        "--normalize-nanp",
        "--out",
        out.to_str().unwrap(),
        "--report-json",
        json.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let record: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(record["totals"]["invalid"], 1);
    assert_eq!(record["run"]["normalized_phones"], 1);
}
