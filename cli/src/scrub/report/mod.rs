//! `dnc scrub --report REPORT.html --report-json REPORT.json`: what a
//! compliance officer reads at a glance and keeps as the record the safe
//! harbor asks for (the process ran, on which inputs and registry copies,
//! how old each copy was at the check).
//!
//! The figures are counted as the scrub writes its rows
//! (`report/figures.rs`); the report is their JSON, and the HTML
//! (`report/html.rs`) is rendered from that JSON, so the two never
//! disagree. Both are written as the scrub's output is: beside the target
//! under a temporary name, renamed into place only when the scrub
//! succeeded, never over an input or the scrubbed list.

pub(crate) mod figures;
pub(crate) mod html;

use std::io::Write;
use std::path::{Path, PathBuf};

use dnc_engine::jiff::Timestamp;
use serde_json::{Value, json};

use super::ScrubError;
use super::inputs::InputReads;
use super::out::{self, Cleanup, Destination, Out, Plan};
pub(crate) use figures::Figures;

/// Where the reports go (either, both or neither).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFiles {
    /// The HTML report (`--report`).
    pub html: Option<PathBuf>,
    /// The same figures as JSON (`--report-json`).
    pub json: Option<PathBuf>,
}

impl ReportFiles {
    /// Whether any report is asked for.
    pub fn any(&self) -> bool {
        self.html.is_some() || self.json.is_some()
    }
}

/// The reports' plans, made before anything is read: each is refused when
/// it is an input, the scrubbed list's file, or the other report. `-` is
/// standard output, when the scrubbed list does not go there.
#[derive(Debug)]
pub(crate) struct ReportPlans {
    html: Option<Plan>,
    json: Option<Plan>,
    /// The report (its flag) that goes to standard output, if any.
    to_stdout: Option<&'static str>,
}

/// Whether `path` names standard output (`-`).
fn is_dash(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Plans the report files against `inputs` and the scrub's `destination`.
pub(crate) fn plan(
    files: &ReportFiles,
    inputs: &[(&'static str, &Path)],
    destination: &Destination,
) -> Result<ReportPlans, ScrubError> {
    let mut taken: Vec<(&'static str, &Path)> = inputs.to_vec();
    // What goes to standard output would be lost in a file output that
    // standard output is redirected into (renamed over, or overwritten).
    let dash = |path: &Option<PathBuf>| path.as_deref().is_some_and(is_dash);
    let stdout_carries = if *destination == Destination::Stdout {
        Some("the scrubbed list")
    } else if dash(&files.json) {
        Some("the --report-json report")
    } else if dash(&files.html) {
        Some("the --report report")
    } else {
        None
    };
    if let Destination::File(path) = destination {
        if let Some(what) = stdout_carries.filter(|_| out::is_stdout(path)) {
            return Err(ScrubError::BadOut {
                flag: "--out",
                path: path.clone(),
                reason: format!("is the file standard output ({what}) is redirected into"),
            });
        }
        taken.push(("--out", path.as_path()));
    }
    let mut to_stdout: Option<&'static str> =
        (*destination == Destination::Stdout).then_some("--out");
    let mut plan_one = |flag: &'static str,
                        path: &Option<PathBuf>,
                        taken: &[(&'static str, &Path)]|
     -> Result<Option<Plan>, ScrubError> {
        let Some(path) = path else {
            return Ok(None);
        };
        let refuse = |reason: String| ScrubError::BadOut {
            flag,
            path: path.clone(),
            reason,
        };
        if is_dash(path) {
            if let Some(other) = to_stdout {
                let what = if other == "--out" {
                    "the scrubbed list (no --out, or --out -)".to_owned()
                } else {
                    format!("the {other} report")
                };
                return Err(refuse(format!(
                    "is standard output, which already carries {what}: give a file name"
                )));
            }
            to_stdout = Some(flag);
            return out::plan_as(flag, &Destination::Stdout, taken).map(Some);
        }
        // Standard output redirected into the report would be replaced by
        // it: the scrubbed list (or the other report) lost.
        if let Some(what) = stdout_carries.filter(|_| out::is_stdout(path)) {
            return Err(refuse(format!(
                "is the file standard output ({what}) is redirected into"
            )));
        }
        out::plan_as(flag, &Destination::File(path.clone()), taken).map(Some)
    };
    let json = plan_one("--report-json", &files.json, &taken)?;
    if let Some(path) = files.json.as_ref().filter(|path| !is_dash(path)) {
        taken.push(("--report-json", path.as_path()));
    }
    let html = plan_one("--report", &files.html, &taken)?;
    let to_stdout = to_stdout.filter(|flag| *flag != "--out");
    Ok(ReportPlans {
        html,
        json,
        to_stdout,
    })
}

/// What else the record keeps of the run: the options that change its
/// answers, and what the lists' loading skipped.
#[derive(Debug)]
pub(crate) struct RunNotes<'a> {
    /// `--dial-check`, `--normalize-nanp`, `--skip-bad-rows`.
    pub(crate) options: Value,
    /// Rows whose phone the NANP normalization changed.
    pub(crate) normalized: u64,
    /// The list rows skipped under `--skip-bad-rows`.
    pub(crate) skipped: &'a [super::BadRow],
}

/// How many skipped list rows the report lists (their count is whole).
const SKIPPED_LISTED: usize = 1000;

/// The report's JSON: the run (inputs with their sizes and digests, the
/// instant, the engine, the options, the skipped list rows) and the
/// figures.
pub(crate) fn report(
    figures: &Figures,
    reads: &InputReads,
    mode: &str,
    at: Option<Timestamp>,
    notes: &RunNotes<'_>,
) -> Value {
    let mut value = figures.to_json(at);
    value["format"] = json!("dnc-scrub-report/1");
    value["run"] = json!({
        "engine": format!("dnc-engine {}", env!("CARGO_PKG_VERSION")),
        "written_by": format!("dnc scrub {}", env!("CARGO_PKG_VERSION")),
        "mode": mode,
        "at": at.map(|at| at.to_string()),
        "options": notes.options,
        "normalized_phones": notes.normalized,
        // The host's clock when the record was written (the library never
        // reads one; the program may), beside the instant checked.
        "written_at": Timestamp::now().to_string(),
        "inputs": reads.listed(),
        "skipped_list_rows": {
            "total": notes.skipped.len(),
            "listed": notes.skipped.iter().take(SKIPPED_LISTED).map(|row| json!({
                "file": row.file.display().to_string(),
                "line": row.line,
                "reason": row.reason,
            })).collect::<Vec<_>>(),
        },
    });
    value
}

/// The reports written: the files to commit with the scrubbed list, and
/// the bytes of a report that goes to standard output once they are.
#[derive(Debug)]
pub(crate) struct Written {
    pub(crate) outs: Vec<Out>,
    pub(crate) stdout: Option<Vec<u8>>,
}

/// Writes the reports of `value` to their temporary files, to be committed
/// once the scrubbed list is; a report for standard output is kept, to be
/// written after them ([`to_stdout`]), so that it never tells of a
/// scrub whose files were not all renamed into place.
pub(crate) fn write(
    plans: &ReportPlans,
    value: &Value,
    cleanup: &Cleanup,
) -> Result<Written, ScrubError> {
    let mut written = Written {
        outs: Vec::new(),
        stdout: None,
    };
    let mut put = |flag: &'static str, plan: &Plan, bytes: Vec<u8>| -> Result<(), ScrubError> {
        if plans.to_stdout == Some(flag) {
            written.stdout = Some(bytes);
            return Ok(());
        }
        let mut out = plan.open(cleanup)?;
        let failed = out.failure();
        out.write_all(&bytes).map_err(&failed)?;
        written.outs.push(out);
        Ok(())
    };
    if let Some(plan) = &plans.json {
        let mut text = serde_json::to_string_pretty(value).expect("a Value always serializes");
        text.push('\n');
        put("--report-json", plan, text.into_bytes())?;
    }
    if let Some(plan) = &plans.html {
        put("--report", plan, html::render(value).into_bytes())?;
    }
    Ok(written)
}

/// Writes a report kept for standard output.
pub(crate) fn to_stdout(bytes: &[u8]) -> Result<(), ScrubError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|error| ScrubError::write("standard output", error, false))
}
