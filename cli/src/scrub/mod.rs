//! `dnc scrub`: check a whole call list against the DNC lists before a
//! campaign.
//!
//! Nothing is read trustingly and nothing can be lost. Before anything is
//! written, the output is checked not to be one of the inputs, the call
//! list's header is checked (key columns in any case, each at most once),
//! and the lists (services, DNC entries, account flags) are loaded into an
//! engine. A bad row in any of them is reported with its file and line; by
//! default nothing is then scrubbed, because a skipped DNC row could let a
//! blocked number through. The call list is then streamed in chunks through
//! the engine's batch check, every input column passed through in order and
//! four columns added: `blocked`, `entries`, `accountFlags`, `error`. An
//! invalid call row (a row of the wrong width too) is never reported as not
//! blocked: its `blocked` cell is empty and `error` names the fault with the
//! replay protocol's code. An output file is written beside its target
//! under a temporary name and renamed into place only once complete.
//!
//! The CSV reading is in `scrub/csv.rs`, the lists in `scrub/lists.rs`, the
//! call list in `scrub/calls.rs`, the output in `scrub/out.rs`, the report
//! (`--report`, `--report-json`) in `scrub/report/`.

mod attempts;
mod calls;
mod csv;
mod decision;
mod inputs;
mod lists;
mod out;
mod report;
mod setup;

use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use calls::{CallList, Mode, scrub_calls, wrong_width_warning};
use dnc_engine::jiff::Timestamp;
use inputs::InputReads;
use lists::load_lists;
pub(crate) use out::plan as plan_output;
pub use out::{Abandoned, Cleanup, Destination, Outcome};
pub use report::ReportFiles;

/// What to scrub, and how.
#[derive(Clone, Debug)]
pub struct ScrubOptions {
    /// `client,service`.
    pub services: PathBuf,
    /// `id,client,service,phone,account,zip,type`.
    pub dnc: PathBuf,
    /// `client,account,doNotDial,doNotDialDaily`, optional.
    pub flags: Option<PathBuf>,
    /// The call list: `service` and any of `client`, `phone`, `account`, `zip`.
    pub calls: PathBuf,
    /// Use the dial check (stored `*` as a wildcard) instead of `isBlocked`.
    pub dial_check: bool,
    /// Skip bad rows of the lists (each still reported) instead of stopping.
    pub skip_bad_rows: bool,
    /// Read the call list's phones with the NANP normalization
    /// ([`Phone::parse_lenient`](dnc_engine::Phone::parse_lenient)): `+1`,
    /// a leading `1` and punctuation stripped. A phone it changes is also
    /// checked as written, so that normalizing never loses a match.
    pub normalize_nanp: bool,
    /// The full dial decision at this instant instead of the checks: the
    /// DNC lists, the flags, the dialing hours, the ZIP/area-code match,
    /// the registries and the exemptions (`--at`).
    pub at: Option<Timestamp>,
    /// Registry copies (`dnc registry build`), each client of the services
    /// subscribed to all their area codes (`--registry`, with `--at`).
    pub registries: Vec<PathBuf>,
    /// `client,phone,account,kind,since,until` (`--exemptions`, with `--at`).
    pub exemptions: Option<PathBuf>,
    /// Replay lines applied before the scrub (`--setup`, with `--at`).
    pub setup: Option<PathBuf>,
    /// Contact attempts the caps count (`--attempts`, with `--at`):
    /// `service,phone,at,outcome[,channel,person,debts,consent]`.
    pub attempts: Option<PathBuf>,
    /// The report files (`--report`, `--report-json`), written beside the
    /// output and only when the scrub succeeded.
    pub reports: ReportFiles,
}

impl ScrubOptions {
    /// Every input file with the flag that names it.
    fn inputs(&self) -> Vec<(&'static str, &Path)> {
        let mut inputs = vec![
            ("--calls", self.calls.as_path()),
            ("--dnc", self.dnc.as_path()),
            ("--services", self.services.as_path()),
        ];
        if let Some(flags) = &self.flags {
            inputs.push(("--flags", flags.as_path()));
        }
        for registry in &self.registries {
            inputs.push(("--registry", registry.as_path()));
        }
        if let Some(exemptions) = &self.exemptions {
            inputs.push(("--exemptions", exemptions.as_path()));
        }
        if let Some(setup) = &self.setup {
            inputs.push(("--setup", setup.as_path()));
        }
        if let Some(attempts) = &self.attempts {
            inputs.push(("--attempts", attempts.as_path()));
        }
        inputs
    }

    /// The mode as the report names it.
    fn mode_name(&self) -> &'static str {
        match (self.mode(), self.normalize_nanp) {
            (Mode::Decision(_), false) => "the dial decision (--at)",
            (Mode::Decision(_), true) => {
                "the dial decision (--at), phones also read as NANP numbers"
            }
            (Mode::DialCheck, false) => "the dial check (stored * as a wildcard)",
            (Mode::DialCheck, true) => {
                "the dial check (stored * as a wildcard), phones also read as NANP numbers"
            }
            (Mode::IsBlocked, false) => "isBlocked (every value compared literally)",
            (Mode::IsBlocked, true) => {
                "isBlocked (every value compared literally), phones also read as NANP numbers"
            }
        }
    }

    fn mode(&self) -> Mode {
        match self.at {
            Some(at) => Mode::Decision(at),
            None if self.dial_check => Mode::DialCheck,
            None => Mode::IsBlocked,
        }
    }
}

/// A row of a list file that could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRow {
    /// The file it is in.
    pub file: PathBuf,
    /// The line it starts on (1 is the header), as an editor numbers them.
    pub line: u64,
    /// Why, with the protocol's error code first.
    pub reason: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.reason)
    }
}

/// Why a scrub did not run or did not finish. In every case an output file
/// is as it was before the scrub.
#[non_exhaustive]
#[derive(Debug)]
pub enum ScrubError {
    /// An input file could not be read.
    Io(PathBuf, io::Error),
    /// A file is not CSV, is empty, or its header lacks a column, names a
    /// key column twice, or already has a column the scrub adds.
    Format(PathBuf, String),
    /// Bad rows in the lists, without `--skip-bad-rows`.
    BadRows(Vec<BadRow>),
    /// The output is one of the inputs (however spelled), or standard
    /// output is redirected into one.
    OutIsInput {
        /// The output, as given.
        out: Destination,
        /// The flag that names it (`--out`, `--report`, `--report-json`).
        out_flag: &'static str,
        /// The flag of the input it is.
        flag: &'static str,
        /// That input, as given.
        input: PathBuf,
    },
    /// The output cannot be written there (a directory, a read-only file, a
    /// link to nothing, the file standard output is redirected into).
    BadOut {
        /// The flag that names it.
        flag: &'static str,
        /// The output.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Writing the output failed.
    Write {
        /// The output, as messages name it.
        out: String,
        /// Why.
        error: io::Error,
        /// Whether the output is untouched (a file: its temporary file was
        /// removed), rather than partly written (standard output, a pipe).
        unchanged: bool,
    },
    /// An interrupt came first: nothing was renamed into place.
    Interrupted,
    /// Options that do not go together.
    Usage(String),
}

impl ScrubError {
    pub(crate) fn write(out: &str, error: io::Error, unchanged: bool) -> ScrubError {
        ScrubError::Write {
            out: out.to_owned(),
            error,
            unchanged,
        }
    }

    /// Whether the output was a pipe whose reader went away (`| head`): the
    /// program then ends quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, ScrubError::Write { error, .. } if error.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl std::fmt::Display for ScrubError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScrubError::Io(path, error) => write!(f, "{}: {error}", path.display()),
            ScrubError::Format(path, reason) => write!(f, "{}: {reason}", path.display()),
            ScrubError::BadRows(rows) => write!(
                f,
                "{} bad row(s) in the lists; nothing was scrubbed (use --skip-bad-rows to skip them)",
                rows.len()
            ),
            ScrubError::OutIsInput {
                out,
                out_flag,
                flag,
                input,
            } => {
                match out {
                    Destination::File(path) => write!(f, "{out_flag} {}", path.display())?,
                    Destination::Stdout => f.write_str("standard output (redirected)")?,
                }
                write!(
                    f,
                    " is the {flag} file {}: the command would overwrite its own input; \
                     nothing was changed (write to another file)",
                    input.display()
                )
            }
            ScrubError::BadOut { flag, path, reason } => {
                write!(f, "{flag} {} {reason}; nothing was changed", path.display())
            }
            ScrubError::Write {
                out,
                error,
                unchanged,
            } => {
                write!(f, "cannot write {out}: {error}")?;
                if *unchanged {
                    write!(f, "; {out} was not changed")?;
                }
                Ok(())
            }
            ScrubError::Interrupted => f.write_str("interrupted: nothing was changed"),
            ScrubError::Usage(reason) => write!(f, "{reason}; nothing was changed"),
        }
    }
}

impl std::error::Error for ScrubError {}

/// What a scrub did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScrubSummary {
    /// Call rows read.
    pub rows: u64,
    /// Rows blocked.
    pub blocked: u64,
    /// Rows refused as invalid (never counted as not blocked).
    pub invalid: u64,
    /// Rows whose phone the NANP normalization changed.
    pub normalized: u64,
    /// Rows with more or fewer cells than the header (counted as invalid).
    pub wrong_width: u64,
    /// The line of the first of them.
    pub first_wrong_width_line: Option<u64>,
    /// List rows skipped under `--skip-bad-rows`.
    pub skipped_list_rows: u64,
    /// Wall-clock seconds for the whole job.
    pub seconds: f64,
    /// Of which loading the lists.
    pub load_seconds: f64,
    /// With `--at`: refused rows by each kind of reason (a row counts once
    /// under each kind that refuses it), and rows an exemption let through
    /// a registry, by registry and kind.
    pub by_reason: std::collections::BTreeMap<String, u64>,
}

impl ScrubSummary {
    /// Call rows scrubbed a second, lists' loading time excluded.
    pub fn rows_per_second(&self) -> f64 {
        self.rows as f64 / (self.seconds - self.load_seconds).max(1e-9)
    }
}

/// The stage a progress report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Loading the lists: bytes of the services, DNC and flags files.
    Loading,
    /// Scrubbing: bytes of the call list.
    Scrubbing,
}

/// What a running scrub tells its caller.
#[derive(Clone, Copy, Debug)]
pub enum Event<'a> {
    /// A bad row of a list (reported whether or not it is skipped).
    BadRow(&'a BadRow),
    /// Something the user should know that does not stop the scrub.
    Warning(&'a str),
    /// How far the phase has come, in bytes of its files.
    Progress {
        /// The phase.
        phase: Phase,
        /// Bytes read so far.
        done: u64,
        /// Bytes in all (0 when unknown, as for a pipe).
        total: u64,
    },
}

/// The longest text a message shows in full.
const SHOWN_IN_FULL: usize = 64;

/// A cell's text as a message shows it: quoted, and when longer than 64
/// bytes cut to its first 40 characters and its length (as the library's
/// errors do).
pub(crate) fn shown(text: &str) -> String {
    if text.len() <= SHOWN_IN_FULL {
        return format!("{text:?}");
    }
    let end = text.char_indices().nth(40).map_or(text.len(), |(at, _)| at);
    format!("{:?}… ({} bytes)", &text[..end], text.len())
}

/// How refusals name a file a `--setup` line read.
const SETUP_FILE: &str = "--setup line's";

/// Runs a whole scrub into `destination`: refuses an output that is an
/// input, checks the call list's header, loads the lists (stopping on bad
/// rows unless `skip_bad_rows`), and only then opens the output and scrubs
/// the call list into it, renaming a file into place once complete. Bad
/// rows, warnings and progress go to `events`; temporary files are
/// registered with `cleanup`, for an interrupt to remove.
pub fn run(
    options: &ScrubOptions,
    destination: &Destination,
    cleanup: &Cleanup,
    mut events: impl FnMut(Event<'_>),
) -> Result<ScrubSummary, ScrubError> {
    let started = Instant::now();
    let needs_at = [
        (!options.registries.is_empty(), "--registry"),
        (options.exemptions.is_some(), "--exemptions"),
        (options.setup.is_some(), "--setup"),
        (options.attempts.is_some(), "--attempts"),
    ];
    if options.at.is_none()
        && let Some((_, flag)) = needs_at.iter().find(|(given, _)| *given)
    {
        return Err(ScrubError::Usage(format!(
            "{flag} is part of the full decision: give --at INSTANT too"
        )));
    }
    out::refuse_pipe_twice(&options.inputs())?;
    let plan = out::plan(destination, &options.inputs())?;
    let report_plans = report::plan(&options.reports, &options.inputs(), destination)?;
    let reads = if options.reports.any() {
        InputReads::of(&options.inputs())
    } else {
        InputReads::off()
    };
    let mode = options.mode();
    if options.at.is_some() && options.registries.is_empty() {
        events(Event::Warning(
            "--at without --registry: no national or state registry is checked (unless the \
             setup loads one)",
        ));
    }
    let calls = CallList::open(&options.calls, mode, &reads)?;
    if !calls.has_phone() {
        events(Event::Warning(&format!(
            "{} has no \"phone\" column: its rows are checked by account and zip only",
            options.calls.display()
        )));
    }
    let (mut engine, mut bad) = load_lists(options, &reads, &mut events)?;
    setup::load_registries(&mut engine, &options.registries, &reads)?;
    if let Some(exemptions) = &options.exemptions {
        bad.extend(setup::load_exemptions(&mut engine, exemptions, &reads)?);
    }
    if let Some(script) = &options.setup {
        let (configured, setup_bad, setup_files) = setup::apply_setup(engine, script, &reads)?;
        engine = configured;
        bad.extend(setup_bad);
        // The files the setup's lines read are inputs too: no output may
        // be one of them (they were known only once the lines ran).
        if !setup_files.is_empty() {
            let mut inputs = options.inputs();
            inputs.extend(setup_files.iter().map(|path| (SETUP_FILE, path.as_path())));
            out::plan(destination, &inputs)?;
            report::plan(&options.reports, &inputs, destination)?;
        }
    }
    // After the setup, whose services and collector marks they need.
    if let Some(attempts) = &options.attempts {
        bad.extend(attempts::load_attempts(&mut engine, attempts, &reads)?);
    }
    setup::subscribe_everyone(&mut engine);
    let load_seconds = started.elapsed().as_secs_f64();
    for row in &bad {
        events(Event::BadRow(row));
    }
    if !bad.is_empty() && !options.skip_bad_rows {
        return Err(ScrubError::BadRows(bad));
    }
    let total = calls.size;
    let mut out = plan.open(cleanup)?;
    let mut figures = options.reports.any().then(report::Figures::default);
    let mut summary = scrub_calls(
        &engine,
        calls,
        &mut out,
        mode,
        options.normalize_nanp,
        figures.as_mut(),
        |done| {
            events(Event::Progress {
                phase: Phase::Scrubbing,
                done,
                total,
            })
        },
    )?;
    // The reports go to their temporary files first and are renamed into
    // place after the scrubbed list: a failure before leaves every file as
    // it was.
    let reports = match &figures {
        Some(figures) => {
            let notes = report::RunNotes {
                options: serde_json::json!({
                    "dial_check": options.dial_check,
                    "normalize_nanp": options.normalize_nanp,
                    "skip_bad_rows": options.skip_bad_rows,
                }),
                normalized: summary.normalized,
                skipped: &bad,
            };
            let value = report::report(figures, &reads, options.mode_name(), options.at, &notes);
            Some(report::write(&report_plans, &value, cleanup)?)
        }
        None => None,
    };
    // The list and its reports are renamed into place together; a report
    // for standard output follows.
    let mut outs = vec![out];
    let mut stdout_report = None;
    if let Some(report::Written {
        outs: report_outs,
        stdout,
    }) = reports
    {
        outs.extend(report_outs);
        stdout_report = stdout;
    }
    out::Out::commit_all(outs)?;
    if let Some(bytes) = stdout_report {
        report::to_stdout(&bytes)?;
    }
    if let Some(warning) = wrong_width_warning(&summary, &options.calls) {
        events(Event::Warning(&warning));
    }
    if summary.rows == 0 {
        events(Event::Warning(&format!(
            "{} has a header and no rows: nothing was scrubbed",
            options.calls.display()
        )));
    }
    summary.skipped_list_rows = bad.len() as u64;
    summary.seconds = started.elapsed().as_secs_f64();
    summary.load_seconds = load_seconds;
    Ok(summary)
}
