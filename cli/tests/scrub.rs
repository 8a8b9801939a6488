//! `dnc scrub`: the bundled example through the built program, the bad-row
//! rules, random lists whose every scrubbed row is compared with the
//! engine's own answer for that call, and the safety rules of issue 10: no
//! refused, failed or interrupted scrub changes a file, the header is read
//! without trusting case or width, and line numbers are an editor's.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use dnc_cli::scrub::{Cleanup, Destination, Event, ScrubOptions, run};
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
    // The call list's header is checked first, before the lists load.
    let output = scrub("/nonexistent/dnc.csv", &example("calls.csv"), &[]);
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
            normalize_nanp: false,
            at: None,
            registries: Vec::new(),
            exemptions: None,
            setup: None,
            attempts: None,
            reports: Default::default(),
        };
        let out_path = dir.join("out.csv");
        let summary = run(
            &options,
            &Destination::File(out_path.clone()),
            &Cleanup::default(),
            |event| {
                if let Event::BadRow(row) = event {
                    panic!("{row}")
                }
            },
        )
        .unwrap();
        assert_eq!(summary.rows, 200);
        let out = std::fs::read_to_string(&out_path).unwrap();
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

// ---------------------------------------------------------------------------
// Issue 10, section 5: nothing may be lost.

const SERVICES: &str = "client,service\n1,10\n";
const DNC: &str = "id,client,service,phone,account,zip,type\n1,,10,4152257000,,,\n";
const FLAGS: &str = "client,account,doNotDial,doNotDialDaily\n1,A1,true,false\n";
const CALLS: &str = "service,phone,account\n10,4152257000,\n10,4155550000,A1\n10,4155550001,\n";
/// The scrub of [`CALLS`] against the lists above.
const SCRUBBED: &str = "service,phone,account,blocked,entries,accountFlags,error\n\
                        10,4152257000,,true,1,,\n\
                        10,4155550000,A1,true,,DO_NOT_DIAL,\n\
                        10,4155550001,,false,,,\n";
/// What `out.csv` holds before every scrub: it must survive any refusal.
const PRECIOUS: &str = "an earlier scrub that must survive\n";

/// A fresh directory with the four lists and a precious `out.csv`.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = scratch(name);
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        let dir = Dir(dir);
        dir.write("services.csv", SERVICES);
        dir.write("dnc.csv", DNC);
        dir.write("flags.csv", FLAGS);
        dir.write("calls.csv", CALLS);
        dir.write("out.csv", PRECIOUS);
        dir
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_owned()
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.0.join(name), text).unwrap();
    }

    fn read(&self, name: &str) -> String {
        String::from_utf8(std::fs::read(self.0.join(name)).unwrap()).unwrap()
    }

    /// Every entry of the directory: a file's bytes, a link's target, or
    /// the kind of anything else (a FIFO is never opened).
    fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(&self.0)
            .unwrap()
            .map(|entry| {
                let entry = entry.unwrap();
                let name = entry.file_name().to_string_lossy().into_owned();
                let kind = entry.file_type().unwrap();
                let content = if kind.is_symlink() {
                    let target = std::fs::read_link(entry.path()).unwrap();
                    format!("-> {}", target.display()).into_bytes()
                } else if kind.is_file() {
                    std::fs::read(entry.path()).unwrap()
                } else {
                    format!("{kind:?}").into_bytes()
                };
                (name, content)
            })
            .collect()
    }

    /// Names of temporary files left beside the output.
    fn temps(&self) -> Vec<String> {
        std::fs::read_dir(&self.0)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.contains(".tmp-"))
            .collect()
    }

    /// `dnc scrub` on this directory's lists, with `--flags` and
    /// `--out out.csv`, then `extra`.
    fn scrub(&self, extra: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_dnc"))
            .args(self.scrub_args(extra))
            .output()
            .unwrap()
    }

    fn scrub_args(&self, extra: &[&str]) -> Vec<String> {
        let mut args = vec!["scrub".to_owned()];
        for (flag, name) in [
            ("--services", "services.csv"),
            ("--dnc", "dnc.csv"),
            ("--flags", "flags.csv"),
            ("--calls", "calls.csv"),
            ("--out", "out.csv"),
        ] {
            if !extra.contains(&flag) {
                args.push(flag.to_owned());
                args.push(self.path(name));
            }
        }
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs a scrub that must be refused: it exits with `code`, says `says`,
/// and every file of the directory is byte for byte as before, with no
/// temporary file left.
fn assert_refused(dir: &Dir, extra: &[&str], code: i32, says: &str) {
    let before = dir.snapshot();
    let output = dir.scrub(extra);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(code), "{extra:?}: {message}");
    assert!(
        message.contains(says),
        "{extra:?}: {says:?} missing from {message}"
    );
    assert!(!message.contains("panicked"), "{message}");
    assert_eq!(dir.snapshot(), before, "{extra:?} changed a file");
    assert_eq!(dir.read("out.csv"), PRECIOUS);
}

#[test]
fn the_lists_of_the_safety_tests_scrub_as_documented() {
    let dir = Dir::new("safety-baseline");
    let output = dir.scrub(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(dir.read("out.csv"), SCRUBBED);
    assert!(dir.temps().is_empty());
}

/// Issue 10, section 5: the output was created (an existing one truncated)
/// before the inputs were checked. Every refusal of the call list, a list,
/// or an input leaves every file as it was.
#[test]
fn every_refused_scrub_leaves_every_file_as_it_was() {
    let cases: &[(&str, &str, &str, i32, &str)] = &[
        // (name, file, content, exit status, message)
        (
            "no service column",
            "calls.csv",
            "phone\n4152257000\n",
            2,
            "no \"service\" column",
        ),
        ("empty call list", "calls.csv", "", 2, "the file is empty"),
        (
            "blank call list",
            "calls.csv",
            "\n\r\n\n",
            2,
            "the file is empty",
        ),
        (
            "phone twice",
            "calls.csv",
            "service,phone,Phone\n10,1,2\n",
            2,
            "\"phone\" column twice",
        ),
        (
            "service twice",
            "calls.csv",
            "SERVICE,phone,service\n10,1,10\n",
            2,
            "twice",
        ),
        (
            "a blocked column",
            "calls.csv",
            "service,phone,Blocked\n10,1,false\n",
            2,
            "already has a \"blocked\"",
        ),
        (
            "an error column",
            "calls.csv",
            "service,phone,error\n10,1,\n",
            2,
            "already has a \"error\"",
        ),
        (
            "header not UTF-8",
            "calls.csv",
            "service,ph\u{0}one\n",
            2,
            "",
        ),
        (
            "doNotDial twice",
            "flags.csv",
            "client,account,doNotDial,doNotDialDaily,DONOTDIAL\n1,A1,,false,true\n",
            2,
            "\"doNotDial\" column twice",
        ),
        (
            "dnc phone twice",
            "dnc.csv",
            "id,client,service,phone,account,zip,type,phone\n1,,10,,,,,4152257000\n",
            2,
            "twice",
        ),
        (
            "services client twice",
            "services.csv",
            "client,service,Client\n1,10,2\n",
            2,
            "twice",
        ),
        ("empty dnc list", "dnc.csv", "", 2, "the file is empty"),
        (
            "dnc without a type column",
            "dnc.csv",
            "id,client,service,phone,account,zip\n",
            2,
            "no \"type\" column",
        ),
        (
            "bad dnc row",
            "dnc.csv",
            "id,client,service,phone,account,zip,type\n1,,10,41-5,,,\n",
            1,
            "dnc.csv:2: invalid_phone",
        ),
        (
            "short dnc row",
            "dnc.csv",
            "id,client,service,phone,account,zip,type\n1,,10,4152257000\n",
            1,
            "dnc.csv:2: bad_request: the row has 4 cells, the header 7",
        ),
        (
            "long flags row",
            "flags.csv",
            "client,account,doNotDial,doNotDialDaily\n1,A1,true,false,,\n",
            1,
            "flags.csv:2: bad_request",
        ),
        (
            "bad service row",
            "services.csv",
            "client,service\n1,0\n",
            1,
            "services.csv:2: invalid_id",
        ),
    ];
    for (name, file, content, code, says) in cases {
        let dir = Dir::new(&format!("refused-{}", name.replace(' ', "-")));
        dir.write(file, content);
        if *name == "header not UTF-8" {
            std::fs::write(dir.0.join(file), b"service,ph\xffone\n10,1\n").unwrap();
        }
        assert_refused(&dir, &[], *code, says);
    }

    // Inputs that cannot be read.
    let dir = Dir::new("refused-unreadable");
    std::fs::create_dir(dir.0.join("a-directory")).unwrap();
    let missing = dir.path("missing.csv");
    let directory = dir.path("a-directory");
    for flag in ["--calls", "--dnc", "--services", "--flags"] {
        assert_refused(&dir, &[flag, &missing], 2, "missing.csv");
        assert_refused(&dir, &[flag, &directory], 2, "a-directory");
    }

    // Outputs that cannot be written as given.
    let out_dir = dir.path("a-directory");
    assert_refused(&dir, &["--out", &out_dir], 2, "is a directory");
    let nowhere = dir.path("no-such-dir/out.csv");
    assert_refused(&dir, &["--out", &nowhere], 2, "no-such-dir/out.csv");
    let dangling = dir.0.join("dangling.csv");
    std::os::unix::fs::symlink(dir.0.join("nothing.csv"), &dangling).unwrap();
    assert_refused(
        &dir,
        &["--out", dangling.to_str().unwrap()],
        2,
        "symbolic link to nothing",
    );
    let read_only = dir.0.join("read-only.csv");
    std::fs::write(&read_only, "keep me\n").unwrap();
    let mut permissions = std::fs::metadata(&read_only).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&read_only, permissions).unwrap();
    assert_refused(
        &dir,
        &["--out", read_only.to_str().unwrap()],
        2,
        "is read-only",
    );
}

/// Issue 10, section 5: `--out` naming the call list wiped it, and naming
/// the DNC list overwrote it with the scrub's output. An output that is any
/// input, however spelled, is refused before anything is read.
#[test]
fn an_out_that_is_an_input_however_spelled_is_refused() {
    for (flag, input) in [
        ("--calls", "calls.csv"),
        ("--dnc", "dnc.csv"),
        ("--services", "services.csv"),
        ("--flags", "flags.csv"),
    ] {
        let dir = Dir::new(&format!("out-is-{input}"));
        std::fs::create_dir(dir.0.join("sub")).unwrap();
        std::os::unix::fs::symlink(dir.0.join(input), dir.0.join("link.csv")).unwrap();
        std::os::unix::fs::symlink(input, dir.0.join("relative-link.csv")).unwrap();
        std::fs::hard_link(dir.0.join(input), dir.0.join("hard.csv")).unwrap();
        let spellings = [
            dir.path(input),
            format!("{}/./{input}", dir.0.display()),
            format!("{}/sub/../{input}", dir.0.display()),
            format!("{}//{input}", dir.0.display()),
            dir.path("link.csv"),
            dir.path("relative-link.csv"),
            dir.path("hard.csv"),
        ];
        for out in &spellings {
            assert_refused(&dir, &["--out", out], 2, &format!("is the {flag} file"));
        }
        // The input given through a link, the output as the file itself.
        let link = dir.path("link.csv");
        assert_refused(&dir, &[flag, &link, "--out", &dir.path(input)], 2, "is the");

        // Standard output appended into the input (`>> calls.csv`) is the
        // same file too; it would otherwise grow while being read.
        let before = dir.snapshot();
        let appended = std::fs::OpenOptions::new()
            .append(true)
            .open(dir.0.join(input))
            .unwrap();
        let mut args = dir.scrub_args(&[]);
        let out_at = args.iter().position(|a| a == "--out").unwrap();
        args.drain(out_at..out_at + 2);
        let output = Command::new(env!("CARGO_BIN_EXE_dnc"))
            .args(&args)
            .stdout(appended)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(
            stderr(&output).contains(&format!("standard output (redirected) is the {flag} file")),
            "{}",
            stderr(&output)
        );
        assert_eq!(dir.snapshot(), before);
    }
}

/// A completed scrub replaces the output in one rename: the old file's
/// permissions are kept, a symlink's target is replaced (not the link), and
/// no temporary file is left.
#[test]
fn a_completed_scrub_replaces_the_out_whole() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Dir::new("replace");
    std::fs::set_permissions(
        dir.0.join("out.csv"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let output = dir.scrub(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(dir.read("out.csv"), SCRUBBED);
    let mode = std::fs::metadata(dir.0.join("out.csv"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);

    dir.write("real.csv", PRECIOUS);
    std::os::unix::fs::symlink("real.csv", dir.0.join("link-out.csv")).unwrap();
    let output = dir.scrub(&["--out", &dir.path("link-out.csv")]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(dir.read("real.csv"), SCRUBBED);
    assert!(
        std::fs::symlink_metadata(dir.0.join("link-out.csv"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(dir.temps().is_empty(), "{:?}", dir.temps());

    // "-" is standard output.
    let output = dir.scrub(&["--out", "-"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), SCRUBBED);
}

/// Issue 10, section 5: write errors did not name the file.
#[test]
#[cfg(target_os = "linux")]
fn a_write_error_names_the_out() {
    let dir = Dir::new("write-error");
    let before = dir.snapshot();
    let output = dir.scrub(&["--out", "/dev/full"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot write /dev/full: No space left"),
        "{}",
        stderr(&output)
    );
    assert_eq!(dir.snapshot(), before);
}

/// A call list of `rows` generated rows, none of them listed.
fn big_call_list(rows: u64) -> String {
    let mut calls = String::with_capacity(rows as usize * 24 + 32);
    calls.push_str("service,phone,note\n");
    for row in 0..rows {
        calls.push_str(&format!("10,{},r{row}\n", 2_000_000_000 + row));
    }
    calls
}

/// Issue 10, section 5: a closed pipe ends the program quietly (no message,
/// no panic), with the status of a program killed by SIGPIPE.
#[test]
fn a_closed_pipe_ends_the_scrub_quietly() {
    let dir = Dir::new("closed-pipe");
    dir.write("calls.csv", &big_call_list(200_000));
    for out in [None, Some("-")] {
        let mut args = dir.scrub_args(&[]);
        let out_at = args.iter().position(|a| a == "--out").unwrap();
        args.drain(out_at..out_at + 2);
        if let Some(out) = out {
            args.extend(["--out".to_owned(), out.to_owned()]);
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_dnc"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 100];
        stdout.read_exact(&mut first).unwrap();
        assert!(first.starts_with(b"service,phone,note,blocked"));
        drop(stdout);
        let output = child.wait_with_output().unwrap();
        assert_eq!(stderr(&output), "", "{out:?}");
        assert_eq!(output.status.code(), Some(141), "{out:?}");
    }
    std::fs::remove_dir_all(&dir.0).unwrap();
}

fn kill(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill {signal} {pid}");
}

/// Waits until `dir` holds a temporary output file or `child` has exited.
fn wait_for_temp_or_exit(dir: &Dir, child: &mut std::process::Child) {
    for _ in 0..60_000 {
        if !dir.temps().is_empty() || child.try_wait().unwrap().is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    panic!("the scrub neither started writing nor ended");
}

/// Issue 10, section 5: Ctrl-C mid-scrub left a file cut in the middle of
/// a row. Here the call list is a FIFO the test feeds, so the scrub is
/// certainly mid-way (its temporary file open, more rows to come) when the
/// signal arrives: the output is as it was, the temporary file is gone, the
/// program says so and exits with 128 + the signal.
#[test]
fn an_interrupt_mid_scrub_changes_nothing_and_says_so() {
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        let dir = Dir::new(&format!("interrupt{signal}"));
        let fifo = dir.0.join("calls.fifo");
        assert!(
            Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let before = dir.snapshot();
        let mut child = Command::new(env!("CARGO_BIN_EXE_dnc"))
            .args(dir.scrub_args(&["--calls", fifo.to_str().unwrap()]))
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Opening blocks until the scrub opens its end.
        let mut feed = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
        feed.write_all(big_call_list(10_000).as_bytes()).unwrap();
        wait_for_temp_or_exit(&dir, &mut child);
        assert!(
            !dir.temps().is_empty(),
            "the scrub is waiting for more rows"
        );
        kill(child.id(), signal);
        let output = child.wait_with_output().unwrap();
        drop(feed);
        assert_eq!(output.status.code(), Some(code), "{}", stderr(&output));
        let message = stderr(&output);
        assert!(
            message.contains(&format!(
                "interrupted: {} was not written; nothing was changed",
                dir.path("out.csv")
            )),
            "{message}"
        );
        assert_eq!(dir.snapshot(), before, "{signal}");
        assert!(dir.temps().is_empty());
    }
}

/// An interrupt while the lists load (here the DNC list is a FIFO the test
/// holds open) also leaves everything as it was.
#[test]
fn an_interrupt_while_the_lists_load_changes_nothing() {
    let dir = Dir::new("interrupt-loading");
    let fifo = dir.0.join("dnc.fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let before = dir.snapshot();
    let child = Command::new(env!("CARGO_BIN_EXE_dnc"))
        .args(dir.scrub_args(&["--dnc", fifo.to_str().unwrap()]))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut feed = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    feed.write_all(b"id,client,service,phone,account,zip,type\n1,,10,")
        .unwrap();
    kill(child.id(), "-INT");
    let output = child.wait_with_output().unwrap();
    drop(feed);
    assert_eq!(output.status.code(), Some(130));
    assert!(
        stderr(&output).contains("was not written; nothing was changed"),
        "{}",
        stderr(&output)
    );
    assert_eq!(dir.snapshot(), before);
}

/// Issue 10, section 5, as reported: SIGINT during a large scrub of a plain
/// file. Whenever the signal lands, the output is either exactly as it was
/// (and the program says so, exiting non-zero) or the complete scrub;
/// never a torn file, never a temporary file left.
#[test]
fn an_interrupted_large_scrub_never_leaves_a_torn_file() {
    const ROWS: u64 = 1_000_000;
    let dir = Dir::new("interrupt-large");
    dir.write("calls.csv", &big_call_list(ROWS));
    let mut child = Command::new(env!("CARGO_BIN_EXE_dnc"))
        .args(dir.scrub_args(&[]))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_temp_or_exit(&dir, &mut child);
    // A child that already exited is a zombie until waited for: the signal
    // then reaches no other process.
    kill(child.id(), "-INT");
    let output = child.wait_with_output().unwrap();
    let message = stderr(&output);
    assert!(dir.temps().is_empty(), "{:?}", dir.temps());
    let out = dir.read("out.csv");
    if out == PRECIOUS {
        eprintln!("the signal came before the rename: {message}");
        assert_ne!(output.status.code(), Some(0), "{message}");
        assert!(
            message.contains("was not written; nothing was changed"),
            "{message}"
        );
    } else {
        // Complete: the header, every row with its answer, nothing cut.
        eprintln!("the scrub completed before the signal: {message}");
        let mut lines = out.split_terminator('\n');
        assert_eq!(
            lines.next(),
            Some("service,phone,note,blocked,entries,accountFlags,error")
        );
        let mut rows = 0u64;
        for (row, line) in lines.enumerate() {
            assert_eq!(
                line,
                format!("10,{},r{row},false,,,", 2_000_000_000 + row as u64)
            );
            rows += 1;
        }
        assert_eq!(rows, ROWS);
        assert!(out.ends_with('\n'));
    }
    // Tens of megabytes: not left behind.
    std::fs::remove_dir_all(&dir.0).unwrap();
}

// ---------------------------------------------------------------------------
// Issue 10, section 5: the header was read too trustingly.

/// `Phone` becomes `pHoNe`, with spaces around it sometimes.
fn random_case(rng: &mut Rng, name: &str) -> String {
    let mut spelled: String = name
        .chars()
        .map(|c| {
            if rng.below(2) == 0 {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    if rng.below(4) == 0 {
        spelled = format!(" {spelled} ");
    }
    spelled
}

/// Replaces the header (first line) of `text` with its names in random case.
fn recase_header(rng: &mut Rng, text: &str) -> String {
    let (header, rest) = text.split_once('\n').unwrap();
    let names: Vec<String> = header.split(',').map(|n| random_case(rng, n)).collect();
    format!("{}\n{rest}", names.join(","))
}

/// Issue 10, section 5: `Phone`, `Account` or `ZIP` in another case became
/// "other columns", so a listed phone was "not blocked". Key columns of
/// every file, in any case, scrub exactly as in lower case.
#[test]
fn key_columns_in_any_case_are_matched() {
    let dir = Dir::new("any-case");
    let calls = "campaign,service,client,phone,account,zip\n\
                 a,10,,4152257000,,\n\
                 b,10,1,4155550000,A1,\n\
                 c,10,,,,94110\n\
                 d,10,,4155550001,,\n";
    let dnc = "id,client,service,phone,account,zip,type\n\
               1,,10,4152257000,,,\n\
               2,1,,,,94110,DAILY\n";
    dir.write("calls.csv", calls);
    dir.write("dnc.csv", dnc);
    let output = dir.scrub(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let expected = dir.read("out.csv");
    let expected_rows: Vec<&str> = expected.lines().skip(1).collect();
    assert_eq!(expected_rows[0], "a,10,,4152257000,,,true,1,,");
    assert_eq!(expected_rows[1], "b,10,1,4155550000,A1,,true,,DO_NOT_DIAL,");
    for seed in 0..40 {
        let mut rng = Rng(seed);
        dir.write("calls.csv", &recase_header(&mut rng, calls));
        dir.write("dnc.csv", &recase_header(&mut rng, dnc));
        dir.write("flags.csv", &recase_header(&mut rng, FLAGS));
        dir.write("services.csv", &recase_header(&mut rng, SERVICES));
        let output = dir.scrub(&[]);
        assert!(output.status.success(), "seed {seed}: {}", stderr(&output));
        let out = dir.read("out.csv");
        let rows: Vec<&str> = out.lines().skip(1).collect();
        assert_eq!(rows, expected_rows, "seed {seed}");
    }
}

/// Issue 10, section 5: a row with more or fewer cells than the header was
/// scrubbed with its verdict shifted into the wrong column. Rows of random
/// width are answered bad_request, with the four added cells under their
/// names; rows of the right width are answered as always.
#[test]
fn rows_of_the_wrong_width_are_invalid_and_never_not_blocked() {
    let dir = Dir::new("width");
    let header = ["service", "phone", "account", "zip", "name"];
    for seed in 0..20 {
        let mut rng = Rng(seed);
        let mut calls = format!("{}\n", header.join(","));
        let mut widths = Vec::new();
        for _ in 0..100 {
            // A listed phone in every row: a misread row must still never
            // come out "false".
            let width = match rng.below(3) {
                0 => header.len(),
                1 => 1 + rng.below(header.len() as u64 - 1) as usize,
                _ => header.len() + 1 + rng.below(3) as usize,
            };
            let cells: Vec<String> = (0..width)
                .map(|i| match i {
                    0 => "10".to_owned(),
                    1 => "4152257000".to_owned(),
                    4 => "Ada".to_owned(),
                    _ if i >= header.len() && rng.below(2) == 0 => "x".to_owned(),
                    _ => String::new(),
                })
                .collect();
            calls.push_str(&cells.join(","));
            calls.push('\n');
            widths.push(width);
        }
        dir.write("calls.csv", &calls);
        let output = dir.scrub(&[]);
        assert!(output.status.success(), "{}", stderr(&output));
        let out = dir.read("out.csv");
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(out.as_bytes());
        let out_header = reader.headers().unwrap().clone();
        assert_eq!(&out_header[5], "blocked");
        assert_eq!(&out_header[8], "error");
        let wrong = widths.iter().filter(|&&w| w != header.len()).count();
        for (row, width) in reader.records().zip(&widths) {
            let row = row.unwrap();
            assert_eq!(row.len(), header.len() + 4, "seed {seed}: {row:?}");
            if *width == header.len() {
                assert_eq!(
                    (&row[5], &row[6], &row[8]),
                    ("true", "1", ""),
                    "seed {seed}"
                );
            } else {
                assert_eq!(
                    (&row[5], &row[8]),
                    ("", "bad_request"),
                    "seed {seed}: {row:?}"
                );
            }
        }
        let message = stderr(&output);
        if wrong > 0 {
            assert!(
                message.contains(&format!("{wrong} call row(s) have more or fewer cells")),
                "{message}"
            );
        }
        assert!(message.contains(&format!("{wrong} invalid")), "{message}");
    }
}

// ---------------------------------------------------------------------------
// Issue 10, section 8: line numbers.

/// A list's content, with an extra `note` column, written with `end` as the
/// line terminator: the first data row's note is quoted and spans two lines,
/// a blank line follows, then `bad` (line 5), a good row with a quoted note
/// (line 6) and `bad` again (line 7).
fn with_breaks(header: &str, good: &str, bad: &str, end: &str) -> String {
    format!(
        "{header},note{end}{good},\"two{end}lines\"{end}{end}{bad}{end}{good},\"x\"{end}{bad}{end}"
    )
}

/// CRLF (every file Excel writes) made a bad row's line one too low, and
/// quoted line breaks and blank lines threw the count off: every file kind,
/// with LF, CRLF and lone CR, reports the line a row starts on.
#[test]
fn line_numbers_are_right_with_crlf_blank_lines_and_quoted_breaks() {
    for end in ["\n", "\r\n", "\r"] {
        let dir = Dir::new(&format!("lines-{}", end.escape_default()));
        let lists = [
            (
                "services.csv",
                "client,service",
                "1,10",
                "1,0,",
                "invalid_id",
            ),
            (
                "dnc.csv",
                "id,client,service,phone,account,zip,type",
                ",,10,4152257000,,,",
                ",,10,41-5,,,,",
                "invalid_phone",
            ),
            (
                "flags.csv",
                "client,account,doNotDial,doNotDialDaily",
                "1,A1,true,false",
                "1,A1,maybe,false,",
                "bad_request",
            ),
        ];
        for (file, header, good, bad, code) in lists {
            let dir = Dir::new(&format!("lines-{}-{file}", end.escape_default()));
            dir.write(file, &with_breaks(header, good, bad, end));
            let message = stderr(&dir.scrub(&[]));
            for line in [5, 7] {
                assert!(
                    message.contains(&format!("{file}:{line}: {code}")),
                    "{file} with {end:?}: line {line} missing from {message}"
                );
            }
            assert_eq!(
                message.matches("bad row:").count(),
                2,
                "{file} {end:?}: {message}"
            );
        }
        // The call list: the first row of the wrong width is on line 5.
        let calls = with_breaks("service,phone", "10,4152257000", "10,4152257000,x,y", end);
        dir.write("calls.csv", &calls);
        let output = dir.scrub(&[]);
        let message = stderr(&output);
        assert!(output.status.success(), "{message}");
        assert!(
            message.contains(&format!(
                "2 call row(s) have more or fewer cells than the header (the first at {}:5)",
                dir.path("calls.csv")
            )),
            "{end:?}: {message}"
        );
        // The quoted break is passed through unchanged.
        assert!(
            dir.read("out.csv")
                .contains(&format!("\"two{end}lines\",true,1,,"))
        );
    }
}

// ---------------------------------------------------------------------------
// Issue 10, sections 5 and 8: the rest.

/// A 10 MB bad value was echoed in full: reports cut it and give its length.
#[test]
fn a_huge_bad_value_is_cut_in_the_report() {
    let dir = Dir::new("huge-value");
    let huge = "9".repeat(10 << 20);
    dir.write(
        "dnc.csv",
        &format!("id,client,service,phone,account,zip,type\n1,,10,{huge},,,\n"),
    );
    dir.write(
        "flags.csv",
        &format!("client,account,doNotDial,doNotDialDaily\n1,A1,{huge},\n"),
    );
    let output = dir.scrub(&[]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(message.len() < 2000, "{} bytes of messages", message.len());
    assert_eq!(
        message.matches("… (10485760 bytes)").count(),
        2,
        "{message}"
    );
    assert_eq!(dir.read("out.csv"), PRECIOUS);
    std::fs::remove_dir_all(&dir.0).unwrap();
}

/// A DNC list with no rows protects nobody: it is warned about.
#[test]
fn lists_and_call_lists_without_rows_are_warned_about() {
    let dir = Dir::new("no-rows");
    dir.write("dnc.csv", "id,client,service,phone,account,zip,type\n");
    let output = dir.scrub(&[]);
    assert!(output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "warning: {} has a header and no rows",
            dir.path("dnc.csv")
        )),
        "{message}"
    );
    assert!(dir.read("out.csv").contains("10,4152257000,,false,,,"));

    dir.write("calls.csv", "service,phone\n");
    let message = stderr(&dir.scrub(&[]));
    assert!(
        message.contains(&format!(
            "warning: {} has a header and no rows",
            dir.path("calls.csv")
        )),
        "{message}"
    );

    dir.write("calls.csv", "service,account\n10,A1\n");
    let message = stderr(&dir.scrub(&[]));
    assert!(message.contains("has no \"phone\" column"), "{message}");
}

/// Real call lists carry `+1 (415) 225-7000` or `14152257000`, which never
/// match the stored `4152257000`. `--normalize-nanp` reads them as that
/// number, counts the rows it changed, and leaves the cells as they were.
#[test]
fn nanp_normalization_is_opt_in_and_counted() {
    let dir = Dir::new("nanp");
    let calls = "service,phone\n\
                 10,4152257000\n\
                 10,14152257000\n\
                 10,+1 (415) 225-7000\n\
                 10,415.225.7000\n\
                 10,+44 20 7946 0000\n";
    dir.write("calls.csv", calls);
    let output = dir.scrub(&[]);
    assert!(output.status.success());
    let literal = dir.read("out.csv");
    // The trap without the option: the 11-digit phone is another number.
    assert!(literal.contains("10,14152257000,false,,,\n"), "{literal}");
    assert!(
        literal.contains("10,+1 (415) 225-7000,,,,invalid_phone\n"),
        "{literal}"
    );
    assert!(!stderr(&output).contains("normalized"));

    let output = dir.scrub(&["--normalize-nanp"]);
    assert!(output.status.success());
    let normalized = dir.read("out.csv");
    for phone in [
        "4152257000",
        "14152257000",
        "+1 (415) 225-7000",
        "415.225.7000",
    ] {
        assert!(
            normalized.contains(&format!("10,{phone},true,1,,\n")),
            "{phone}: {normalized}"
        );
    }
    assert!(normalized.contains("10,+44 20 7946 0000,,,,invalid_phone\n"));
    assert!(
        stderr(&output)
            .contains("5 rows, 4 blocked, 1 invalid, 0 list rows skipped, 3 phones normalized"),
        "{}",
        stderr(&output)
    );
}

/// Normalizing only ever adds matches: a row is also checked with its phone
/// as written, so an entry stored with the leading 1 (`14155550100`), or a
/// dial-check pattern that needs it (`1617*`), still blocks the row that
/// matched it literally, alongside the entries of the normalized number.
#[test]
fn nanp_normalization_never_loses_a_literal_match() {
    let dir = Dir::new("nanp-literal");
    dir.write(
        "dnc.csv",
        "id,client,service,phone,account,zip,type\n\
         1,,10,4155550100,,,\n\
         2,,10,14155550100,,,\n\
         3,,10,1617*,,,\n",
    );
    dir.write(
        "calls.csv",
        "service,phone\n10,14155550100\n10,1-415-555-0100\n10,16175550100\n10,4155550100\n\
         10,+1 415 555 0100\n",
    );
    for check in [&[][..], &["--dial-check"][..]] {
        let literal = dir.scrub(check);
        assert!(literal.status.success(), "{}", stderr(&literal));
        let literal = dir.read("out.csv");
        let mut args = vec!["--normalize-nanp"];
        args.extend_from_slice(check);
        let output = dir.scrub(&args);
        assert!(output.status.success(), "{}", stderr(&output));
        let normalized = dir.read("out.csv");
        // Every row blocked literally is blocked normalized, by at least the
        // same entries.
        for (before, after) in literal.lines().zip(normalized.lines()).skip(1) {
            let cells = |line: &str| line.split(',').map(str::to_owned).collect::<Vec<_>>();
            let (before, after) = (cells(before), cells(after));
            if before[2] == "true" {
                assert_eq!(after[2], "true", "{before:?} -> {after:?}");
                for id in before[3].split(';') {
                    assert!(
                        after[3].split(';').any(|a| a == id),
                        "{before:?} -> {after:?}"
                    );
                }
            }
        }
        assert!(
            normalized.contains("10,14155550100,true,1;2,,\n"),
            "{normalized}"
        );
        // Found by the independent check: an 11-digit entry must block
        // every spelling of its number, not only the one that parses
        // literally (without the option those rows were invalid, never
        // "not blocked").
        assert!(
            normalized.contains("10,1-415-555-0100,true,1;2,,\n"),
            "{normalized}"
        );
        assert!(
            normalized.contains("10,+1 415 555 0100,true,1;2,,\n"),
            "{normalized}"
        );
        if check.is_empty() {
            assert!(
                normalized.contains("10,16175550100,false,,,\n"),
                "{normalized}"
            );
        } else {
            assert!(
                normalized.contains("10,16175550100,true,3,,\n"),
                "{normalized}"
            );
        }
    }
}

/// `dnc --help` said nothing of scrubbing; `dnc scrub --help` documents the
/// output's safety and the normalization.
#[test]
fn the_help_describes_scrub() {
    let help = String::from_utf8(dnc(&["--help"]).stdout).unwrap();
    let about = help.lines().next().unwrap();
    assert!(
        about.contains("scrub call lists against DNC lists"),
        "{help}"
    );
    let help = String::from_utf8(dnc(&["scrub", "--help"]).stdout).unwrap();
    for needed in [
        "--normalize-nanp",
        "renamed over OUT.csv only when the scrub completed",
        "may not be one of\nthe input files",
        "130 for Ctrl-C",
        "in any case",
    ] {
        assert!(help.contains(needed), "{needed:?} missing from\n{help}");
    }
}
