//! `dnc scrub --at`: the bundled registry example (a copy built from an
//! FTC-format file, exemptions, a setup script) gives its documented
//! output; the options that need `--at` are refused without it; bad
//! exemption rows and failing setup lines are bad rows with their line;
//! no input, the registry copy included, is ever the output; and every
//! row of random lists agrees with the library's own dial decision.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dnc_cli::scrub::{Cleanup, Destination, Event, ScrubOptions, run};
use dnc_engine::jiff::Timestamp;
use dnc_engine::registry::{
    Exemption, ExemptionKind, ExemptionSubject, Registry, RegistrySource, Subscription,
};
use dnc_engine::{Account, ClientId, DialRequest, DncKey, Engine, NewEntry, Phone, ServiceId};

mod support;
use support::bundled_us_copy;

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
    let dir = std::env::temp_dir().join(format!("dnc-scrub-at-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `dnc scrub` on the example's services and DNC list, with this call
/// list and `extra` arguments.
fn scrub_example(calls: &str, extra: &[&str]) -> Output {
    let (services, dnc_file) = (example("services.csv"), example("dnc.csv"));
    let mut args = vec![
        "scrub",
        "--services",
        &services,
        "--dnc",
        &dnc_file,
        "--calls",
        calls,
    ];
    args.extend_from_slice(extra);
    dnc(&args)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The example's copy, built the way the README says.
fn built_copy(dir: &Path) -> String {
    bundled_us_copy(dir).to_str().unwrap().to_owned()
}

#[test]
fn the_registry_example_gives_the_documented_output() {
    let dir = scratch("example");
    let copy = built_copy(&dir);
    let out = dir.join("out.csv");
    let calls = example("registry/calls.csv");
    let (exemptions, setup) = (
        example("registry/exemptions.csv"),
        example("registry/setup.jsonl"),
    );
    let output = scrub_example(
        &calls,
        &[
            "--at",
            "2026-12-01T18:00:00Z",
            "--registry",
            &copy,
            "--exemptions",
            &exemptions,
            "--setup",
            &setup,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let expected = std::fs::read_to_string(example("registry/calls.expected.csv")).unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);
    let summary = stderr(&output);
    assert!(
        !summary.contains("CONSENT"),
        "Grace is refused by her entry: {summary}"
    );
    for line in [
        "3 rows: DNC entry",
        "1 rows: US_NATIONAL listed",
        "2 rows: US_NATIONAL area code not covered by a copy",
        "1 rows: dialing hours",
        "1 rows: allowed by a TRANSACTION exemption from US_NATIONAL",
        "1 rows: CA_NATIONAL area code not subscribed",
        "9 rows, 6 blocked, 1 invalid",
    ] {
        assert!(summary.contains(line), "{line}: {summary}");
    }
}

#[test]
fn the_full_decision_options_need_at_and_nothing_is_written() {
    let dir = scratch("needs-at");
    let copy = built_copy(&dir);
    let out = dir.join("out.csv");
    let calls = example("registry/calls.csv");
    for extra in [
        vec!["--registry", copy.as_str()],
        vec!["--exemptions", "x.csv"],
        vec!["--setup", "x.jsonl"],
    ] {
        let mut args = vec!["--out", out.to_str().unwrap()];
        args.extend(extra.iter().copied());
        let output = scrub_example(&calls, &args);
        assert_eq!(output.status.code(), Some(2), "{extra:?}");
        assert!(
            stderr(&output).contains("give --at INSTANT too"),
            "{}",
            stderr(&output)
        );
        assert!(!out.exists());
    }
    let output = scrub_example(&calls, &["--at", "2026-12-01"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--at"), "{}", stderr(&output));
    // The copy is an input: it is never the output.
    let before = std::fs::read(&copy).unwrap();
    let output = scrub_example(
        &calls,
        &[
            "--at",
            "2026-12-01T18:00:00Z",
            "--registry",
            &copy,
            "--out",
            &copy,
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--registry file"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    // Two copies of one registry.
    let output = scrub_example(
        &calls,
        &[
            "--at",
            "2026-12-01T18:00:00Z",
            "--registry",
            &copy,
            "--registry",
            &copy,
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("a second copy of US_NATIONAL"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bad_exemption_rows_and_failing_setup_lines_are_bad_rows() {
    let dir = scratch("bad-rows");
    let exemptions = dir.join("exemptions.csv");
    std::fs::write(
        &exemptions,
        "client,phone,account,kind,since,until\n\
         93119,3133335000,,TRANSACTION,2026-01-15T00:00:00Z,\n\
         93119,3133335000,A1,TRANSACTION,2026-01-15T00:00:00Z,\n\
         93119,3133335000,,GIFT,2026-01-15T00:00:00Z,\n\
         93119,3133335000,,CONSENT,2026-01-15,\n\
         93119,3133335000,,CONSENT,2026-01-15T00:00:00Z,2026-01-01T00:00:00Z\n",
    )
    .unwrap();
    let setup = dir.join("setup.jsonl");
    std::fs::write(
        &setup,
        "{\"op\":\"set_client\",\"client\":93119,\"timeZone\":\"Mars/Olympus\"}\n\n\
         {\"op\":\"registry_subscribe\",\"client\":93119,\"source\":\"US_NATIONAL\",\"as\":{\"role\":\"SYSADMIN\",\"client\":93119}}\n",
    )
    .unwrap();
    let out = dir.join("out.csv");
    let calls = example("registry/calls.csv");
    let output = scrub_example(
        &calls,
        &[
            "--at",
            "2026-12-01T18:00:00Z",
            "--exemptions",
            exemptions.to_str().unwrap(),
            "--setup",
            setup.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    for (line, says) in [
        ("exemptions.csv:3", "give one of phone and account"),
        ("exemptions.csv:4", "invalid_exemption"),
        ("exemptions.csv:5", "invalid_date"),
        ("exemptions.csv:6", "invalid_exemption"),
        ("setup.jsonl:1", "bad_request"),
        ("setup.jsonl:3", "no \"as\""),
    ] {
        let found = message
            .lines()
            .any(|text| text.contains(line) && text.contains(says));
        assert!(found, "{line} {says}: {message}");
    }
    assert!(!message.contains("exemptions.csv:2:"), "{message}");
    assert!(!out.exists());
}

/// A small random generator (no dependency).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn every_row_agrees_with_the_library_dial_decision() {
    const PHONES: [&str; 6] = [
        "3133335000",
        "3133335001",
        "2016668000",
        "4152257000",
        "7024441000",
        "6045550100",
    ];
    const ACCOUNTS: [&str; 3] = ["", "A1", "A2"];
    const AT: [&str; 3] = [
        "2026-12-01T18:00:00Z",
        "2026-12-27T18:00:00Z",
        "2027-08-01T18:00:00Z",
    ];
    for seed in 1..=6u64 {
        let dir = scratch(&format!("random-{seed}"));
        let mut rng = Rng(seed * 0x9E37_79B9);
        let copy = built_copy(&dir);
        let mut exemptions = String::from("client,phone,account,kind,since,until\n");
        let mut engine = Engine::new();
        engine
            .register_service(ClientId::new(93119).unwrap(), ServiceId::new(123).unwrap())
            .unwrap();
        engine.put_registry(Registry::from_bytes(&std::fs::read(&copy).unwrap()).unwrap());
        engine.subscribe(
            ClientId::new(93119).unwrap(),
            Subscription::all(RegistrySource::UsNational),
        );
        for _ in 0..4 {
            let kind = ["TRANSACTION", "INQUIRY", "CONSENT", "BUSINESS"][rng.below(4) as usize];
            let since = ["2026-01-15T00:00:00Z", "2026-09-15T00:00:00Z"][rng.below(2) as usize];
            let by_phone = rng.below(2) == 0;
            let (phone, account) = if by_phone {
                (PHONES[rng.below(6) as usize], "")
            } else {
                ("", ACCOUNTS[1 + rng.below(2) as usize])
            };
            exemptions.push_str(&format!("93119,{phone},{account},{kind},{since},\n"));
            let subject = if by_phone {
                ExemptionSubject::Phone(Phone::parse(phone).unwrap())
            } else {
                ExemptionSubject::Account(Account::parse(account).unwrap())
            };
            engine
                .add_exemption(
                    ClientId::new(93119).unwrap(),
                    &subject,
                    Exemption::new(ExemptionKind::parse(kind).unwrap(), since.parse().unwrap()),
                )
                .unwrap();
        }
        let mut dnc_list = String::from("id,client,service,phone,account,zip,type\n");
        let listed = PHONES[rng.below(6) as usize];
        dnc_list.push_str(&format!("1,93119,,{listed},,,\n"));
        engine
            .add(
                NewEntry::for_client(
                    ClientId::new(93119).unwrap(),
                    DncKey::Phone(Phone::parse(listed).unwrap()),
                )
                .with_id(dnc_engine::EntryId::new(1).unwrap()),
            )
            .unwrap();
        let mut calls = String::from("service,phone,account\n");
        let mut asked = Vec::new();
        for _ in 0..60 {
            let (phone, account) = (
                PHONES[rng.below(6) as usize],
                ACCOUNTS[rng.below(3) as usize],
            );
            calls.push_str(&format!("123,{phone},{account}\n"));
            asked.push((phone, account));
        }
        let at = AT[rng.below(3) as usize];
        let write = |name: &str, text: &str| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            path
        };
        let options = ScrubOptions {
            services: write("services.csv", "client,service\n93119,123\n"),
            dnc: write("dnc.csv", &dnc_list),
            flags: None,
            calls: write("calls.csv", &calls),
            dial_check: false,
            skip_bad_rows: false,
            normalize_nanp: false,
            at: Some(at.parse::<Timestamp>().unwrap()),
            registries: vec![PathBuf::from(&copy)],
            exemptions: Some(write("exemptions.csv", &exemptions)),
            setup: None,
            attempts: None,
            reports: Default::default(),
        };
        let out = dir.join("out.csv");
        run(
            &options,
            &Destination::File(out.clone()),
            &Cleanup::default(),
            |event| {
                if let Event::BadRow(row) = event {
                    panic!("{row}")
                }
            },
        )
        .unwrap();
        let mut reader = csv::Reader::from_path(&out).unwrap();
        for (row, (phone, account)) in reader.records().zip(&asked) {
            let row = row.unwrap();
            let account = (!account.is_empty()).then(|| Account::parse(account).unwrap());
            let mut request = DialRequest::new(
                ServiceId::new(123).unwrap(),
                Phone::parse(phone).unwrap(),
                at.parse().unwrap(),
            );
            if let Some(account) = &account {
                request = request.account(account);
            }
            let decision = engine.dial_decision(&request).unwrap();
            assert_eq!(
                &row[3],
                if decision.allowed() { "false" } else { "true" },
                "{seed} {phone} {account:?} at {at}"
            );
            assert_eq!(&row[6], decision.to_string(), "{seed}");
        }
    }
}
