//! `dnc sync` against a real `nats-server` started on loopback by the
//! test: each conformance script published to its own log is answered
//! exactly as `dnc replay` answers it, and two followers (one from the
//! log's start, one from a snapshot) answer every read of the script as
//! `dnc replay` answers it after the whole script. A server that is not
//! there is an error that says so, not a hang or a panic.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use dnc_sync::local_server::LocalServer;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");

const READS: &[&str] = &[
    "is_blocked",
    "dial_check",
    "check",
    "read",
    "list",
    "find",
    "info",
    "dial",
    "dialing_hours",
    "zip_area_match",
    "is_legacy_dnc_enabled",
    "profile_read",
    "profile_list",
    "profile_info",
    "registry_info",
    "registry_check",
    "attempt_rules",
];

fn dnc(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dnc"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dnc runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The script's read lines (an op of `READS`).
fn reads(script: &str) -> Vec<&str> {
    script
        .lines()
        .filter(|line| {
            serde_json::from_str::<serde_json::Value>(line)
                .ok()
                .and_then(|line| line["op"].as_str().map(|op| READS.contains(&op)))
                .unwrap_or(false)
        })
        .collect()
}

#[test]
fn published_scripts_are_answered_alike_by_publisher_and_followers() {
    let server = LocalServer::start().expect("nats-server starts");
    let url = server.url();
    for name in ["legacy-list", "channels", "dialing-profiles", "truth-table"] {
        let script = std::fs::read_to_string(format!("{FIXTURES}/{name}.jsonl")).unwrap();
        let expected =
            std::fs::read_to_string(format!("{FIXTURES}/{name}.expected.jsonl")).unwrap();
        let log = name.replace('-', "_");
        let at = ["--server", url.as_str(), "--log", log.as_str()];

        let published = stdout(&dnc(&[&["sync", "publish"], &at[..]].concat(), &script));
        assert_eq!(published, stdout(&dnc(&["replay"], &script)), "{name}");
        assert_eq!(published, expected, "{name}");

        let reads = reads(&script);
        assert!(!reads.is_empty(), "{name} has reads");
        let reads = reads.join("\n") + "\n";
        let at_end = stdout(&dnc(&["replay"], &(script.clone() + &reads)));
        let want: Vec<&str> = at_end
            .lines()
            .skip(script.lines().filter(|l| !l.trim().is_empty()).count())
            .collect();

        let from_start = stdout(&dnc(&[&["sync", "follow"], &at[..]].concat(), &reads));
        assert_eq!(
            from_start.lines().collect::<Vec<_>>(),
            want,
            "{name} from the start"
        );

        let snapshot = stdout(&dnc(&[&["sync", "snapshot"], &at[..]].concat(), ""));
        assert!(snapshot.starts_with("{\"position\":"), "{snapshot}");
        let from_snapshot = stdout(&dnc(&[&["sync", "follow"], &at[..]].concat(), &reads));
        assert_eq!(
            from_snapshot.lines().collect::<Vec<_>>(),
            want,
            "{name} from a snapshot"
        );
    }
}

#[test]
fn a_follower_refuses_changes_and_a_publisher_refuses_nothing_silently() {
    let server = LocalServer::start().expect("nats-server starts");
    let url = server.url();
    let at = ["--server", url.as_str()];
    let follow = stdout(&dnc(
        &[&["sync", "follow"], &at[..]].concat(),
        "{\"op\":\"add_service\",\"client\":1,\"service\":10}\n",
    ));
    assert!(follow.contains("\"read_only\""), "{follow}");
    // Nothing reached the log: a publisher starts at change 0.
    let published = dnc(
        &[&["sync", "publish"], &at[..]].concat(),
        "{\"op\":\"add\",\"service\":10,\"phone\":\"4155550100\"}\n",
    );
    assert_eq!(
        stdout(&published).trim(),
        "{\"error\":{\"code\":\"unknown_service\",\"message\":\"unknown service 10: register it with its client first\"}}"
    );
    let stderr = String::from_utf8_lossy(&published.stderr);
    assert!(
        stderr.contains("1 changes appended; the log at change 1"),
        "{stderr}"
    );
}

#[test]
fn a_server_that_is_not_there_is_said() {
    // A free port with nothing listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("nats://127.0.0.1:{port}");
    for command in ["publish", "follow", "snapshot"] {
        let output = dnc(&["sync", command, "--server", &url], "");
        assert!(!output.status.success(), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&url), "{command}: {stderr}");
    }
}
