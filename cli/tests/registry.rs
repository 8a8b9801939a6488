//! `dnc registry build|update|info` and the replay's registries ops through
//! the built program: every delivered form (plain, CRLF, .gz, .zip of
//! several files), a bad line named by file and line with nothing written,
//! outputs that are inputs refused with the input unchanged, an update that
//! leaves its input as it was, and the replay's subscriptions, exemptions
//! and checks.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn dnc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dnc"))
        .args(args)
        .output()
        .unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dnc-registry-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_owned()
}

fn info(file: &str) -> Value {
    let output = dnc(&["registry", "info", file]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn every_delivered_form_builds_the_same_copy() {
    let dir = scratch("forms");
    std::fs::write(
        dir.join("plain.txt"),
        "416,2345678\n416,2345680\n647,5550000\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("crlf.txt"),
        "4162345678\r\n4162345680\r\n6475550000",
    )
    .unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"416,2345678\n416,2345680\n647,5550000\n")
        .unwrap();
    std::fs::write(dir.join("list.gz"), gz.finish().unwrap()).unwrap();
    // The CRTC's form: one Zip, a file per area code.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("416.txt", options).unwrap();
    zip.write_all(b"416,2345678\n416,2345680\n").unwrap();
    zip.start_file("647.txt", options).unwrap();
    zip.write_all(b"647,5550000\n").unwrap();
    std::fs::write(dir.join("list.zip"), zip.finish().unwrap().into_inner()).unwrap();
    let mut infos = Vec::new();
    for input in ["plain.txt", "crlf.txt", "list.gz", "list.zip"] {
        let out = path(&dir, &format!("{input}.dncreg"));
        let output = dnc(&[
            "registry",
            "build",
            "--source",
            "CA_NATIONAL",
            "--obtained",
            "2026-11-30T04:00:00Z",
            "--out",
            &out,
            &path(&dir, input),
        ]);
        assert!(output.status.success(), "{input}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("3 numbers in 2 area codes"),
            "{}",
            stderr(&output)
        );
        let mut described = info(&out);
        described.as_object_mut().unwrap().remove("fileBytes");
        infos.push(described);
    }
    assert!(infos.windows(2).all(|pair| pair[0] == pair[1]), "{infos:?}");
    assert_eq!(infos[0]["source"], "CA_NATIONAL");
    assert_eq!(infos[0]["numbers"], 3);
    assert_eq!(infos[0]["areaCodes"][0]["areaCode"], 416);
    assert_eq!(infos[0]["areaCodes"][0]["numbers"], 2);
    assert_eq!(infos[0]["areaCodes"][0]["obtained"], "2026-11-30T04:00:00Z");
}

#[test]
fn a_bad_line_is_named_and_nothing_is_written() {
    let dir = scratch("bad");
    std::fs::write(dir.join("good.txt"), "2125550099\n").unwrap();
    std::fs::write(dir.join("bad.txt"), "2125550100\n2125550101\n212555010\n").unwrap();
    let out = path(&dir, "out.dncreg");
    let output = dnc(&[
        "registry",
        "build",
        "--source",
        "US_NATIONAL",
        "--obtained",
        "2026-11-30T04:00:00Z",
        "--out",
        &out,
        &path(&dir, "good.txt"),
        &path(&dir, "bad.txt"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("bad.txt: invalid registry line 3 \"212555010\""),
        "{message}"
    );
    assert!(message.contains("[invalid_registry]"), "{message}");
    assert!(!Path::new(&out).exists());
    // A number outside the area codes the load says it covers.
    let output = dnc(&[
        "registry",
        "build",
        "--source",
        "US_NATIONAL",
        "--obtained",
        "2026-11-30T04:00:00Z",
        "--area-codes",
        "646",
        "--out",
        &out,
        &path(&dir, "good.txt"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("outside the area codes the load covers"),
        "{}",
        stderr(&output)
    );
    assert!(!Path::new(&out).exists());
    // Unknown source, instant, area code: named, nothing written.
    for (flag, value, says) in [
        ("--source", "STATE_NY", "no list of that state"),
        ("--obtained", "2026-11-30", "RFC 3339"),
        ("--area-codes", "21", "--area-codes \"21\""),
    ] {
        let mut args = vec![
            "registry",
            "build",
            "--source",
            "US_NATIONAL",
            "--obtained",
            "2026-11-30T04:00:00Z",
            "--out",
            &out,
        ];
        let at = args.iter().position(|arg| *arg == flag).map(|at| at + 1);
        match at {
            Some(at) => args[at] = value,
            None => args.extend([flag, value]),
        }
        let good = path(&dir, "good.txt");
        args.push(&good);
        let output = dnc(&args);
        assert_eq!(output.status.code(), Some(2), "{flag}");
        assert!(
            stderr(&output).contains(says),
            "{flag}: {}",
            stderr(&output)
        );
        assert!(!Path::new(&out).exists());
    }
}

#[test]
fn no_command_writes_over_its_input() {
    let dir = scratch("inputs");
    let list = path(&dir, "list.txt");
    std::fs::write(&list, "2125550100\n").unwrap();
    let output = dnc(&[
        "registry",
        "build",
        "--source",
        "US_NATIONAL",
        "--obtained",
        "2026-11-30T04:00:00Z",
        "--out",
        &list,
        &list,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("would overwrite its own input"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&list).unwrap(), "2125550100\n");
    let copy = path(&dir, "copy.dncreg");
    assert!(
        dnc(&[
            "registry",
            "build",
            "--source",
            "US_NATIONAL",
            "--obtained",
            "2026-11-30T04:00:00Z",
            "--out",
            &copy,
            &list,
        ])
        .status
        .success()
    );
    let before = std::fs::read(&copy).unwrap();
    let changes = path(&dir, "changes.txt");
    std::fs::write(&changes, "2125550101,A\n").unwrap();
    for out in [&copy, &changes] {
        let output = dnc(&[
            "registry",
            "update",
            &copy,
            "--obtained",
            "2026-12-01T04:00:00Z",
            "--out",
            out,
            &changes,
        ]);
        assert_eq!(output.status.code(), Some(2), "{out}");
        assert!(stderr(&output).contains("would overwrite its own input"));
    }
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    assert_eq!(std::fs::read_to_string(&changes).unwrap(), "2125550101,A\n");
}

#[test]
fn an_update_writes_a_new_copy_and_leaves_its_input() {
    let dir = scratch("update");
    let list = path(&dir, "list.txt");
    std::fs::write(&list, "2125550100\n2125550101\n").unwrap();
    let copy = path(&dir, "copy.dncreg");
    assert!(
        dnc(&[
            "registry",
            "build",
            "--source",
            "US_NATIONAL",
            "--obtained",
            "2026-11-30T04:00:00Z",
            "--area-codes",
            "212,646",
            "--out",
            &copy,
            &list,
        ])
        .status
        .success()
    );
    let before = std::fs::read(&copy).unwrap();
    // The number in two columns, a timestamp between, the mark last.
    let changes = path(&dir, "changes.txt");
    std::fs::write(
        &changes,
        "212,5550102,20261201,A\n212,5550100,20261201,d\n646,5550100,20261201,A\n",
    )
    .unwrap();
    let updated = path(&dir, "updated.dncreg");
    let output = dnc(&[
        "registry",
        "update",
        &copy,
        "--obtained",
        "2026-12-01T04:00:00Z",
        "--out",
        &updated,
        &changes,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("3 records: 2 added, 1 deleted, 0 unchanged"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    let described = info(&updated);
    assert_eq!(described["numbers"], 3);
    for area in described["areaCodes"].as_array().unwrap() {
        assert_eq!(area["obtained"], "2026-12-01T04:00:00Z");
    }
    // A record of an area code the copy does not cover refuses the update.
    std::fs::write(&changes, "2125550103,A\n4165550100,A\n").unwrap();
    let refused = path(&dir, "refused.dncreg");
    let output = dnc(&[
        "registry",
        "update",
        &updated,
        "--obtained",
        "2026-12-02T04:00:00Z",
        "--out",
        &refused,
        &changes,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("does not cover"),
        "{}",
        stderr(&output)
    );
    assert!(!Path::new(&refused).exists());
    // A change list older than the copy.
    std::fs::write(&changes, "2125550103,A\n").unwrap();
    let output = dnc(&[
        "registry",
        "update",
        &updated,
        "--obtained",
        "2026-11-01T04:00:00Z",
        "--out",
        &refused,
        &changes,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!Path::new(&refused).exists());
    // A damaged copy is refused by info and update.
    let mut damaged = std::fs::read(&updated).unwrap();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 1;
    let damaged_path = path(&dir, "damaged.dncreg");
    std::fs::write(&damaged_path, damaged).unwrap();
    let output = dnc(&["registry", "info", &damaged_path]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("checksum"), "{}", stderr(&output));
}

fn replay(script: &str) -> Vec<Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dnc"))
        .arg("replay")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
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

#[test]
fn the_replay_subscribes_exempts_and_checks() {
    let dir = scratch("replay");
    let list = path(&dir, "ca.txt");
    std::fs::write(&list, "416,2345678\n").unwrap();
    let built = path(&dir, "ca.dncreg");
    assert!(
        dnc(&[
            "registry",
            "build",
            "--source",
            "CA_NATIONAL",
            "--obtained",
            "2026-11-30T04:00:00Z",
            "--out",
            &built,
            &list,
        ])
        .status
        .success()
    );
    let script = format!(
        r#"{{"op":"add_service","client":1,"service":10}}
{{"op":"add_service","client":2,"service":20}}
{{"op":"registry_open","file":{built:?}}}
{{"op":"registry_subscribe","client":1,"source":"CA_NATIONAL"}}
{{"op":"registry_check","service":10,"phone":"4162345678","at":"2026-12-01T16:00:00Z"}}
{{"op":"registry_check","service":20,"phone":"4162345678","at":"2026-12-01T16:00:00Z"}}
{{"op":"exemption_add","client":1,"phone":"4162345678","kind":"INQUIRY","since":"2026-06-15T00:00:00Z"}}
{{"op":"registry_check","service":10,"phone":"4162345678","at":"2026-12-14T23:59:59Z"}}
{{"op":"registry_check","service":10,"phone":"4162345678","at":"2026-12-15T00:00:00Z"}}
{{"op":"add","client":1,"phone":"4162345678"}}
{{"op":"dial","service":10,"phone":"4162345678","at":"2026-12-01T16:00:00Z"}}
{{"op":"registry_check","service":10,"phone":"6475550000","at":"2026-12-01T16:00:00Z"}}
{{"op":"exemption_add","client":2,"phone":"4162345678","kind":"CONSENT","since":1,"as":{{"role":"SUPERUSER","client":1}}}}
{{"op":"registry_load","source":"CA_NATIONAL","obtained":1,"numbers":[],"as":{{"role":"SYSADMIN","client":1}}}}
{{"op":"registry_check","service":10,"phone":"4162345678","at":"2026-12-01T16:00:00Z","as":{{"role":"AGENT","client":1}}}}
{{"op":"registry_check","service":20,"phone":"4162345678","at":"2026-12-01T16:00:00Z","as":{{"role":"AGENT","client":1}}}}
"#
    );
    let answers = replay(&script);
    assert_eq!(answers[2]["numbers"], 1);
    let listed = &answers[4];
    assert_eq!(listed["refused"], true);
    assert_eq!(listed["checks"][0]["status"], "listed");
    assert_eq!(listed["checks"][0]["obtained"], "2026-11-30T04:00:00Z");
    // Client 2 has no subscription: no registry applies.
    assert_eq!(answers[5]["checks"], Value::Array(vec![]));
    // A Canadian inquiry lasts 6 months: to the instant, then not.
    assert_eq!(answers[7]["refused"], false, "{}", answers[7]);
    let used = &answers[7]["checks"][0]["exemption"];
    assert_eq!(used["kind"], "INQUIRY");
    assert_eq!(used["lapses"], "2026-12-15T00:00:00Z");
    assert_eq!(answers[8]["refused"], true, "{}", answers[8]);
    assert_eq!(answers[8]["checks"][0]["status"], "listed");
    // The dial decision: the exemption lifts the registry, never the
    // client's own entry.
    let dial = &answers[10];
    assert_eq!(dial["allowed"], false);
    assert_eq!(dial["entries"], serde_json::json!([1]));
    // Not covered by the copy.
    assert_eq!(answers[11]["checks"][0]["status"], "not_covered");
    assert_eq!(answers[12]["error"]["code"], "forbidden");
    assert_eq!(answers[13]["error"]["code"], "forbidden");
    // An agent may check (the inquiry lifts the listing until 12-15).
    assert_eq!(answers[14]["refused"], false, "{}", answers[14]);
    // Another client's service answers as an unknown one.
    assert_eq!(answers[15]["error"]["code"], "unknown_service");
}

#[test]
fn order_repeats_empty_files_and_foreign_area_codes() {
    let dir = scratch("order");
    let build = |source: &str, input: &str| {
        let out = path(&dir, "out.dncreg");
        let _ = std::fs::remove_file(&out);
        let output = dnc(&[
            "registry",
            "build",
            "--source",
            source,
            "--obtained",
            "2026-11-30T04:00:00Z",
            "--out",
            &out,
            &path(&dir, input),
        ]);
        (output, out)
    };
    // Out of order, a number twice, files of interleaved area codes:
    // sorted, counted once.
    std::fs::write(
        dir.join("unsorted.txt"),
        "2125550102\n2125550100\n2125550102\n",
    )
    .unwrap();
    let (output, out) = build("US_NATIONAL", "unsorted.txt");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(info(&out)["numbers"], 2);
    // A file without a number would empty what it covers: refused.
    std::fs::write(dir.join("empty.txt"), "\n").unwrap();
    let (output, out) = build("US_NATIONAL", "empty.txt");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("without a number"),
        "{}",
        stderr(&output)
    );
    assert!(!Path::new(&out).exists());
    // A Canadian list given as the US registry, and the other way round.
    std::fs::write(dir.join("ca.txt"), "416,2345678\n").unwrap();
    let (output, out) = build("US_NATIONAL", "ca.txt");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not a US area code"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("line 1"), "{}", stderr(&output));
    assert!(!Path::new(&out).exists());
    let (output, _) = build("CA_NATIONAL", "unsorted.txt");
    assert!(
        stderr(&output).contains("not a Canadian area code"),
        "{}",
        stderr(&output)
    );
    // A state's list holds any area code; ALL means the registry's own.
    let (output, _) = build("STATE_TX", "ca.txt");
    assert!(output.status.success(), "{}", stderr(&output));
    let out = path(&dir, "all.dncreg");
    let output = dnc(&[
        "registry",
        "build",
        "--source",
        "CA_NATIONAL",
        "--obtained",
        "2026-11-30T04:00:00Z",
        "--area-codes",
        "ALL",
        "--out",
        &out,
        &path(&dir, "ca.txt"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let described = info(&out);
    let codes: Vec<u64> = described["areaCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|area| area["areaCode"].as_u64().unwrap())
        .collect();
    assert!(
        codes.contains(&416) && codes.contains(&800) && !codes.contains(&212),
        "{codes:?}"
    );
}
