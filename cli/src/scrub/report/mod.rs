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

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use dnc_engine::jiff::Timestamp;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::ScrubError;
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
/// it is an input, the scrubbed list's file, or the other report.
#[derive(Debug)]
pub(crate) struct ReportPlans {
    html: Option<Plan>,
    json: Option<Plan>,
}

/// Plans the report files against `inputs` and the scrub's `destination`.
pub(crate) fn plan(
    files: &ReportFiles,
    inputs: &[(&'static str, &Path)],
    destination: &Destination,
) -> Result<ReportPlans, ScrubError> {
    let mut taken: Vec<(&'static str, &Path)> = inputs.to_vec();
    if let Destination::File(path) = destination {
        taken.push(("--out", path.as_path()));
    }
    let plan_one = |flag: &'static str, path: &Option<PathBuf>, taken: &[(&'static str, &Path)]| {
        let Some(path) = path else {
            return Ok(None);
        };
        // Standard output redirected into the report would be replaced by
        // it: the scrubbed list lost.
        if *destination == Destination::Stdout && out::is_stdout(path) {
            return Err(ScrubError::BadOut {
                flag,
                path: path.clone(),
                reason: "is the file standard output (the scrubbed list) is redirected into"
                    .to_owned(),
            });
        }
        out::plan_as(flag, &Destination::File(path.clone()), taken).map(Some)
    };
    let json = plan_one("--report-json", &files.json, &taken)?;
    if let Some(path) = &files.json {
        taken.push(("--report-json", path.as_path()));
    }
    let html = plan_one("--report", &files.html, &taken)?;
    Ok(ReportPlans { html, json })
}

/// The size and SHA-256 of `path`, read in full.
fn digest(path: &Path) -> Result<(u64, String), ScrubError> {
    let failed = |error: io::Error| ScrubError::Io(path.to_owned(), error);
    let mut file = File::open(path).map_err(failed)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let read = file.read(&mut buffer).map_err(failed)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        bytes += read as u64;
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    Ok((bytes, hex))
}

/// The inputs' sizes and digests, computed on a thread of their own while
/// the lists load and the calls are scrubbed (a 2M-row call list is about
/// 100 MB: reading and hashing it in turn would add a tenth to the scrub).
#[derive(Debug)]
pub(crate) struct Digests(std::thread::JoinHandle<Result<Vec<Value>, ScrubError>>);

/// Starts digesting `inputs`.
pub(crate) fn start_digests(inputs: &[(&'static str, &Path)]) -> Digests {
    let inputs: Vec<(&'static str, PathBuf)> = inputs
        .iter()
        .map(|(flag, path)| (*flag, path.to_path_buf()))
        .collect();
    Digests(std::thread::spawn(move || {
        inputs
            .iter()
            .map(|(flag, path)| {
                let (bytes, sha256) = digest(path)?;
                Ok(json!({
                    "flag": flag,
                    "path": path.display().to_string(),
                    "bytes": bytes,
                    "sha256": sha256,
                }))
            })
            .collect()
    }))
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
    digests: Digests,
    mode: &str,
    at: Option<Timestamp>,
    notes: &RunNotes<'_>,
) -> Result<Value, ScrubError> {
    let listed = digests
        .0
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    let mut value = figures.to_json(at);
    value["format"] = json!("dnc-scrub-report/1");
    value["run"] = json!({
        "engine": format!("dnc-engine {}", env!("CARGO_PKG_VERSION")),
        "written_by": format!("dnc scrub {}", env!("CARGO_PKG_VERSION")),
        "mode": mode,
        "at": at.map(|at| at.to_string()),
        "options": notes.options,
        "normalized_phones": notes.normalized,
        "inputs": listed,
        "skipped_list_rows": {
            "total": notes.skipped.len(),
            "listed": notes.skipped.iter().take(SKIPPED_LISTED).map(|row| json!({
                "file": row.file.display().to_string(),
                "line": row.line,
                "reason": row.reason,
            })).collect::<Vec<_>>(),
        },
    });
    Ok(value)
}

/// Writes the reports of `value` to their temporary files, to be committed
/// once the scrubbed list is.
pub(crate) fn write(
    plans: &ReportPlans,
    value: &Value,
    cleanup: &Cleanup,
) -> Result<Vec<Out>, ScrubError> {
    let mut outs = Vec::new();
    let mut put = |plan: &Plan, bytes: &[u8]| -> Result<(), ScrubError> {
        let mut out = plan.open(cleanup)?;
        let failed = out.failure();
        out.write_all(bytes).map_err(&failed)?;
        outs.push(out);
        Ok(())
    };
    if let Some(plan) = &plans.json {
        let mut text = serde_json::to_string_pretty(value).expect("a Value always serializes");
        text.push('\n');
        put(plan, text.as_bytes())?;
    }
    if let Some(plan) = &plans.html {
        put(plan, html::render(value).as_bytes())?;
    }
    Ok(outs)
}
