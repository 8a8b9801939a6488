//! `dnc scrub`: the bundled example through the built program, the bad-row
//! rules, and random lists whose every scrubbed row is compared with the
//! engine's own answer for that call.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dnc_cli::scrub::{ScrubError, ScrubOptions, run};
use dnc_engine::{
    Account, ClientId, DncKey, Engine, FlagUpdate, Lifetime, NewEntry, Phone, Query, ServiceId, Zip,
};

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

/// Runs `dnc scrub` on the example's services with this DNC file and call
/// list, plus `extra` arguments.
fn scrub(dnc_file: &str, calls: &str, extra: &[&str]) -> Output {
    let services = example("services.csv");
    let mut args = vec![
        "scrub",
        "--services",
        &services,
        "--dnc",
        dnc_file,
        "--calls",
        calls,
    ];
    args.extend_from_slice(extra);
    dnc(&args)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dnc-scrub-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn bundled_example_gives_the_documented_output() {
    let out = scratch("example").join("out.csv");
    let flags = example("flags.csv");
    let output = scrub(
        &example("dnc.csv"),
        &example("calls.csv"),
        &["--flags", &flags, "--out", out.to_str().unwrap()],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected = std::fs::read_to_string(example("calls.expected.csv")).unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);
    let summary = String::from_utf8(output.stderr).unwrap();
    assert!(
        summary.contains("12 rows, 6 blocked, 3 invalid"),
        "{summary}"
    );
}

#[test]
fn dial_check_honours_the_stored_wildcard() {
    let output = scrub(
        &example("dnc.csv"),
        &example("calls.csv"),
        &["--dial-check"],
    );
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("spring,789,2093334545,,,Ken,true,7,,\n"),
        "{stdout}"
    );
}

#[test]
fn bad_list_rows_stop_the_scrub_and_are_each_reported() {
    let out = scratch("bad").join("out.csv");
    let output = scrub(
        &example("dnc-with-bad-rows.csv"),
        &example("calls.csv"),
        &["--out", out.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(!out.exists(), "a refused scrub leaves no output behind");
    let stderr = String::from_utf8(output.stderr).unwrap();
    for (line, code) in [
        (3, "unknown_service"),
        (4, "invalid_phone"),
        (5, "duplicate_id"),
        (6, "invalid_entry"),
        (7, "invalid_entry"),
    ] {
        let at = format!("dnc-with-bad-rows.csv:{line}: {code}");
        assert!(stderr.contains(&at), "{at} missing from:\n{stderr}");
    }
    assert!(
        !stderr.contains("dnc-with-bad-rows.csv:2:"),
        "row 2 is good"
    );
}

#[test]
fn skip_bad_rows_scrubs_with_the_good_rows_and_still_reports() {
    let output = scrub(
        &example("dnc-with-bad-rows.csv"),
        &example("calls.csv"),
        &["--skip-bad-rows"],
    );
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.matches("bad row:").count(), 5, "{stderr}");
    assert!(stderr.contains("5 list rows skipped"));
    let stdout = String::from_utf8(output.stdout).unwrap();
    // Entry 6 (5034441000, client-level) was loaded; the bad ones were not.
    assert!(
        stdout.contains("spring,123,5034441000,,,Grace,true,6,,\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("spring,456,6173432000,A12345,,Edsger,false,,,\n"),
        "{stdout}"
    );
}

#[test]
fn a_missing_column_or_file_is_named() {
    let dir = scratch("columns");
    let calls = dir.join("calls.csv");
    std::fs::write(&calls, "phone,name\n4152257000,Ada\n").unwrap();
    let output = scrub(&example("dnc.csv"), calls.to_str().unwrap(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("no \"service\" column")
    );
    let output = scrub("/nonexistent/dnc.csv", calls.to_str().unwrap(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("/nonexistent/dnc.csv")
    );
}

/// splitmix64, so the random lists are the same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }

    fn pick<'a>(&mut self, pool: &[&'a str]) -> &'a str {
        pool[self.below(pool.len() as u64) as usize]
    }
}

const PHONES: &[&str] = &[
    "4155550100",
    "4155550101",
    "209*******",
    "2095550100",
    "7",
    "",
];
const ACCOUNTS: &[&str] = &["A1", "a1", "B*", "b2", ""];
const ZIPS: &[&str] = &["94110", "10010", ""];

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Random services, entries, flags and calls: written as CSV for the scrub,
/// and given straight to an engine through the library. Every output row
/// must carry the engine's answer for its call.
#[test]
fn random_lists_scrub_as_the_engine_checks_each_call() {
    for seed in 0..20u64 {
        let mut rng = Rng(seed);
        let dir = scratch(&format!("random-{seed}"));
        let mut engine = Engine::new();
        let mut services = String::from("client,service\n");
        for service in 1..=6u64 {
            let client = service % 2 + 1;
            services.push_str(&format!("{client},{service}\n"));
            engine
                .register_service(
                    ClientId::new(client).unwrap(),
                    ServiceId::new(service).unwrap(),
                )
                .unwrap();
        }
        let mut dnc = String::from("id,client,service,phone,account,zip,type\n");
        for _ in 0..30 {
            let (phone, account, zip) = (rng.pick(PHONES), rng.pick(ACCOUNTS), rng.pick(ZIPS));
            let key = DncKey::from_parts(
                (!phone.is_empty()).then(|| Phone::parse(phone).unwrap()),
                (!account.is_empty()).then(|| Account::parse(account).unwrap()),
                (!zip.is_empty()).then(|| Zip::parse(zip).unwrap()),
            );
            let Ok(key) = key else { continue };
            let daily = rng.below(3) == 0;
            let lifetime = if daily {
                Lifetime::Daily
            } else {
                Lifetime::Permanent
            };
            let (client, service) = if rng.below(2) == 0 {
                (rng.below(2) + 1, None)
            } else {
                let service = rng.below(6) + 1;
                (service % 2 + 1, Some(service))
            };
            let new = NewEntry {
                id: None,
                client: service.is_none().then(|| ClientId::new(client).unwrap()),
                service: service.map(|s| ServiceId::new(s).unwrap()),
                key,
                lifetime,
            };
            let id = engine.add(new).unwrap();
            dnc.push_str(&format!(
                "{id},{},{},{phone},{account},{zip},{}\n",
                if service.is_none() {
                    client.to_string()
                } else {
                    String::new()
                },
                service.map(|s| s.to_string()).unwrap_or_default(),
                if daily { "DAILY" } else { "" },
            ));
        }
        let mut flags = String::from("client,account,doNotDial,doNotDialDaily\n");
        for _ in 0..3 {
            let (client, account) = (rng.below(2) + 1, rng.pick(&ACCOUNTS[..4]));
            let (dnd, daily) = (rng.below(2) == 0, rng.below(2) == 0);
            flags.push_str(&format!("{client},{account},{dnd},{daily}\n"));
            let update = FlagUpdate {
                do_not_dial: Some(dnd),
                do_not_dial_daily: Some(daily),
            };
            let account = Account::parse(account).unwrap();
            engine.set_account_flags(ClientId::new(client).unwrap(), &account, update);
        }
        let mut calls = String::from("note,service,phone,account,zip\n");
        let mut asked = Vec::new();
        for row in 0..200 {
            let service = rng.below(8) + 1; // 7 and 8 are unknown
            let (phone, account, zip) = (rng.pick(PHONES), rng.pick(ACCOUNTS), rng.pick(ZIPS));
            calls.push_str(&format!("row {row},{service},{phone},{account},{zip}\n"));
            asked.push((service, phone, account, zip));
        }
        let dial_check = seed % 2 == 1;
        let options = ScrubOptions {
            services: write(&dir, "services.csv", &services),
            dnc: write(&dir, "dnc.csv", &dnc),
            flags: Some(write(&dir, "flags.csv", &flags)),
            calls: write(&dir, "calls.csv", &calls),
            dial_check,
            skip_bad_rows: false,
        };
        let mut out = Vec::new();
        let summary = run(
            &options,
            || Ok::<_, ScrubError>(&mut out),
            |row| panic!("{row}"),
            |_, _| {},
        )
        .unwrap();
        assert_eq!(summary.rows, 200);
        let out = String::from_utf8(out).unwrap();
        let mut lines = out.lines();
        assert_eq!(
            lines.next(),
            Some("note,service,phone,account,zip,blocked,entries,accountFlags,error")
        );
        for ((service, phone, account, zip), line) in asked.iter().zip(lines) {
            let account_value = (!account.is_empty()).then(|| Account::parse(account).unwrap());
            let query = Query {
                service: ServiceId::new(*service).unwrap(),
                client: None,
                phone: (!phone.is_empty()).then(|| Phone::parse(phone).unwrap()),
                account: account_value.as_ref(),
                zip: (!zip.is_empty()).then(|| Zip::parse(zip).unwrap()),
            };
            let answer = if phone.is_empty() && account.is_empty() && zip.is_empty() {
                Err("bad_request".to_owned())
            } else if dial_check {
                engine.dial_check(&query).map_err(|e| e.code().to_owned())
            } else {
                engine.is_blocked(&query).map_err(|e| e.code().to_owned())
            };
            let expected_tail = match answer {
                Ok(verdict) => format!(
                    "{},{},{},",
                    verdict.is_blocked(),
                    verdict
                        .entries()
                        .iter()
                        .map(|id| id.to_string())
                        .collect::<Vec<_>>()
                        .join(";"),
                    verdict
                        .flags()
                        .iter()
                        .map(|f| f.as_str())
                        .collect::<Vec<_>>()
                        .join(";"),
                ),
                Err(code) => format!(",,,{code}"),
            };
            assert!(
                line.ends_with(&expected_tail),
                "seed {seed}: {line} should end with {expected_tail}"
            );
        }
    }
}
