//! The independent checks of issue 10, kept as tests. Each was written by a
//! tester who had not read the code, from SPEC.md, the issue and the
//! program's documentation only, and run against the built program:
//! `independent/replay/` (732 replay lines: every defect of sections 1-4, 6
//! and 8 reachable through `dnc replay`, and attacks on the tenant walls)
//! and `independent/scrub/` (170 checks of `dnc scrub`: nothing lost when
//! refused or interrupted, headers, row widths, line numbers, values,
//! verdicts). Each folder's `report.md` says what the tester found and what
//! held. Issue 12's `independent/registries/` (its `FINDINGS.md` and
//! `README.md`) is the registries reviewer's. They need `python3` and
//! `bash`, as the machine has. Issue 13's `independent/laws-caps/` is the
//! laws-and-caps reviewer's. Issue 14's `independent/sync/` is the change
//! log's reviewer's (it starts its own `nats-server`). Issue 16's
//! `independent/report/`, `report-2/` and `report-3/` are the scrub
//! report's reviewers'.

use std::path::Path;
use std::process::Command;

fn run(interpreter: &str, script: &str) {
    run_judged(interpreter, script, |last| last.ends_with(" 0 failed"));
}

/// Runs `script` with `interpreter` on the built program; it must succeed
/// and its last line must satisfy `passed`.
fn run_judged(interpreter: &str, script: &str, passed: impl Fn(&str) -> bool) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(script);
    let output = Command::new(interpreter)
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_dnc"))
        .output()
        .unwrap_or_else(|error| panic!("{interpreter} {}: {error}", script.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        output.status.success() && passed(last),
        "{} failed ({}):\n{stdout}\n{}",
        script.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs `script` with `interpreter` on the built program; it must succeed
/// and end with the line `last`.
fn run_ending_with(interpreter: &str, script: &str, last: &str) {
    run_judged(interpreter, script, |line| line == last);
}

#[test]
fn the_independent_replay_check_agrees() {
    run("python3", "tests/independent/replay/run.py");
}

#[test]
fn the_independent_scrub_check_agrees() {
    run("bash", "tests/independent/scrub/check_scrub.sh");
}

/// The registries reviewer's check (issue 12, `independent/registries/`):
/// builds and updates from FTC, CRTC and state files, two `scrub --at` runs
/// of 334 rows one second either side of the 31-day boundary against its
/// own model, a copy from after the check, tenants, refusals, a zip with a
/// name twice. Needs `sh` and `python3`.
#[test]
fn the_independent_registries_check_agrees() {
    run_ending_with("sh", "tests/independent/registries/run.sh", "ALL PASSED");
}

/// The second registries reviewer's check (issue 12, round 2,
/// `independent/registries-2/`): copies obtained after the check through
/// every load path, another country's area codes, lines with `"as"` that
/// must never reach a file, files that would lose numbers, refusals naming
/// their file and line, the decision's boundaries, numbers no given
/// registry applies to. Needs `bash` and `python3`.
#[test]
fn the_second_independent_registries_check_agrees() {
    run_ending_with(
        "bash",
        "tests/independent/registries-2/check.sh",
        "0 failure(s)",
    );
}

/// The laws-and-caps reviewer's check (issue 13, `independent/laws-caps/`):
/// random attempt streams across the DST changes against its own model of
/// the caps and `nextAllowed`, and table-driven probes of every state's
/// window, Canada's hours and the holidays. Needs `sh` and `python3`.
#[test]
fn the_independent_laws_and_caps_check_agrees() {
    run_ending_with("sh", "tests/independent/laws-caps/run.sh", "ALL PASSED");
}

#[test]
fn the_independent_sync_check_agrees() {
    // Its last line is "N passed, 0 failed in Ts".
    run_judged("python3", "tests/independent/sync/check_sync.py", |last| {
        last.contains(" passed, 0 failed")
    });
}

/// The scrub report reviewer's check (issue 16, `independent/report/`):
/// generated scrubs whose every figure (totals, reasons, states, local
/// hours, invalid rows, the sample, exemptions, inputs' sizes and SHA-256,
/// copies' ages) it counts itself from its inputs and the scrubbed list,
/// the HTML parsed, self-contained and equal to the JSON, piped inputs,
/// the nothing-lost rules under refusals and signals, and the page in
/// headless Chromium at a phone's width (skipped, with a note, without
/// `chromium`). Needs `bash` and `python3`.
#[test]
fn the_independent_report_check_agrees() {
    run("bash", "tests/independent/report/run.sh");
}

/// The scrub report's second reviewer's check (issue 16, round 2,
/// `independent/report-2/`): the first round's fixes as a user meets them
/// (pipes for every input, the setup's file reads, `--report -`, a phone's
/// width, interrupts) and what they might have broken. Needs `bash` and
/// `python3`; `chromium` for its browser part.
#[test]
fn the_second_independent_report_check_agrees() {
    run("bash", "tests/independent/report-2/run.sh");
}

/// The scrub report's third reviewer's check (issue 16, the acceptance
/// the issue describes, `independent/report-3/`): a generated scrub whose
/// every figure the page shows in headless Chromium (read from the
/// rendered DOM, the charts' pixels from screenshots) equals its own
/// count, and the nothing-lost rules tried again. Needs `bash`, `python3`
/// and `chromium`.
#[test]
fn the_third_independent_report_check_agrees() {
    run("bash", "tests/independent/report-3/run.sh");
}
