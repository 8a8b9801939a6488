//! `dnc registry build|update|info`: the command line of
//! [`dnc_cli::registry`], with its progress on standard error.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use dnc_cli::registry::{self, BuildOptions, RegistryError, Step, UpdateOptions};
use dnc_cli::scrub::{Cleanup, Destination};
use dnc_engine::registry::{ChangeLayout, RegistrySource};

/// `dnc registry` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum RegistryCommand {
    /// Build a registry copy's binary form from the full-list files the
    /// registry delivers (plain text, .zip or .gz).
    #[command(long_about = BUILD_HELP)]
    Build {
        /// US_NATIONAL, CA_NATIONAL or STATE_XX (CO, FL, IN, LA, MA, MO,
        /// OK, PA, TN, TX, WY).
        #[arg(long)]
        source: String,
        /// When the files were obtained from the registry (RFC 3339, with
        /// an offset).
        #[arg(long, value_name = "INSTANT")]
        obtained: String,
        /// The area codes the files cover (212,646, or ALL: every one the
        /// registry may cover); without it, the area codes of their numbers.
        #[arg(long, value_name = "LIST")]
        area_codes: Option<String>,
        /// The binary form to write (never one of the inputs).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The full-list files.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
    },
    /// Apply change lists to a built copy, writing the updated copy to
    /// another file.
    #[command(long_about = UPDATE_HELP)]
    Update {
        /// The built copy (left as it is).
        file: PathBuf,
        /// When the change lists were obtained (RFC 3339, with an offset).
        #[arg(long, value_name = "INSTANT")]
        obtained: String,
        /// The updated copy (never FILE nor a change list).
        #[arg(long, value_name = "FILE2")]
        out: PathBuf,
        /// The 0-based column of the number in a change record.
        #[arg(long, default_value_t = 0)]
        number_column: usize,
        /// The 0-based column of the A/D mark; the last column by default.
        #[arg(long)]
        mark_column: Option<usize>,
        /// The change lists (plain text, .zip or .gz), applied in order.
        #[arg(required = true, value_name = "CHANGES")]
        changes: Vec<PathBuf>,
    },
    /// Describe a built copy as JSON: source, numbers, bytes, and each area
    /// code with the instant it was obtained and its count.
    Info {
        /// The built copy.
        file: PathBuf,
    },
}

const BUILD_HELP: &str = r#"Build a registry copy's binary form from the full-list files the registry delivers.

Each INPUT is plain text, a .gz, or a .zip of one or more files (the CRTC
delivers one Zip of a file per area code). A full list has one number a
line, AAA,NNNNNNN (416,2345678) or AAANNNNNNN, LF or CRLF line ends; the
area code and the exchange start with 2-9 (NANP). The registries publish
their numbers ascending, which is read fastest; files and numbers in
another order are sorted, and a number given twice counts once. A bad
line, a file without numbers (a failed download would empty the area
codes it covers), a zip with two entries of one name, or an area code of
another country's registry (a Canadian list given as US_NATIONAL) is an
error naming the file (and zip entry) and, for a line, the line; nothing
is written.

--area-codes names the area codes the files cover: their copy replaces
every number of those area codes, and a number outside them is refused.
ALL covers every area code (a state's list, which holds any number of its
residents). Without it, the area codes of the numbers are covered.

The copy is written to a temporary file beside --out and renamed over it
only once complete; --out may not be one of the inputs. Progress goes to
standard error; a summary at the end.

Example:
  dnc registry build --source CA_NATIONAL --obtained 2026-11-30T04:00:00Z \
      --out ca.dncreg dncl-416.zip dncl-647.txt

Exit status: 0 built; 2 a file could not be read or was refused, or --out
is refused."#;

const UPDATE_HELP: &str = r#"Apply change lists to a built copy, and write the updated copy to FILE2.

A change list has one record a line: comma-separated columns with the
number (ten digits, or the area code and seven digits in two columns) and
an A (added) or D (deleted) mark, either case. The column order of the FTC's
change list is not published in the sources this program was built from:
by default the number is the first column and the mark the last; set
--number-column and --mark-column (0-based, counting a two-column number as
two) for another layout. Every record must have as many columns as the
first.

The lists are applied in order, as one change obtained at --obtained: a
record of an area code the copy does not cover, or a change list obtained
before a copy it would update, refuses the whole update, and nothing is
written. FILE is never changed; FILE2 is written beside and renamed into
place once complete.

Example:
  dnc registry update us.dncreg --obtained 2026-12-01T04:00:00Z \
      --out us-1201.dncreg changes-1201.txt

Exit status: 0 updated; 2 a file could not be read or was refused, or --out
is refused."#;

fn say(text: &str) {
    let _ = writeln!(io::stderr(), "dnc registry: {text}");
}

pub(crate) fn run(command: RegistryCommand) -> ExitCode {
    match execute(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            say(&error.to_string());
            ExitCode::from(2)
        }
    }
}

/// Progress lines on standard error, when it is a terminal.
fn progress(step: Step<'_>) {
    if !io::stderr().is_terminal() {
        return;
    }
    match step {
        Step::Reading(name) => say(&format!("reading {name}")),
        Step::Building(count) => say(&format!("building the copy of {count} numbers or records")),
        Step::Writing(bytes) => say(&format!("writing {bytes} bytes")),
    }
}

fn execute(command: RegistryCommand) -> Result<(), RegistryError> {
    let cleanup = Cleanup::default();
    // On SIGINT or SIGTERM the temporary output is removed and the program
    // says so, as dnc scrub does; the output file is never torn either way.
    let out = match &command {
        RegistryCommand::Build { out, .. } | RegistryCommand::Update { out, .. } => Some(out),
        RegistryCommand::Info { .. } => None,
    };
    if let Some(out) = out {
        crate::on_signals_of(
            "dnc registry",
            &cleanup,
            &Destination::File(out.clone()),
            &[],
            None,
        );
    }
    let result = run_command(command, &cleanup);
    cleanup.finish();
    result
}

fn run_command(command: RegistryCommand, cleanup: &Cleanup) -> Result<(), RegistryError> {
    match command {
        RegistryCommand::Build {
            source,
            obtained,
            area_codes,
            out,
            inputs,
        } => {
            let source = RegistrySource::parse(&source)
                .map_err(|error| RegistryError::Argument(format!("--source: {error}")))?;
            let options = BuildOptions {
                source,
                obtained: registry::parse_obtained("--obtained", &obtained)?,
                area_codes: area_codes
                    .as_deref()
                    .map(|text| registry::parse_area_codes(text, source))
                    .transpose()?,
                inputs,
                out,
            };
            let summary = registry::build(&options, cleanup, progress)?;
            if !summary.empty_area_codes.is_empty() {
                let codes: Vec<String> = summary
                    .empty_area_codes
                    .iter()
                    .map(|code| code.to_string())
                    .collect();
                say(&format!(
                    "warning: covered with no number (a file missing from the download?): {}",
                    codes.join(", ")
                ));
            }
            say(&format!(
                "{} numbers in {} area codes, {} bytes ({:.2} bytes a number) written to {}; {:.2} s",
                summary.numbers,
                summary.area_codes,
                summary.bytes,
                summary.bytes as f64 / summary.numbers.max(1) as f64,
                options.out.display(),
                summary.seconds
            ));
        }
        RegistryCommand::Update {
            file,
            obtained,
            out,
            number_column,
            mark_column,
            changes,
        } => {
            let options = UpdateOptions {
                file,
                obtained: registry::parse_obtained("--obtained", &obtained)?,
                changes,
                layout: ChangeLayout {
                    number_column,
                    mark_column,
                },
                out,
            };
            let summary = registry::update(&options, cleanup, progress)?;
            let outcome = summary.changes.unwrap_or_default();
            say(&format!(
                "{} records: {} added, {} deleted, {} unchanged; {} numbers written to {}; {:.2} s",
                summary.read,
                outcome.added,
                outcome.deleted,
                outcome.unchanged,
                summary.numbers,
                options.out.display(),
                summary.seconds
            ));
        }
        RegistryCommand::Info { file } => {
            let info = registry::info(&file)?;
            let mut out = io::stdout().lock();
            let _ = writeln!(out, "{info}");
        }
    }
    Ok(())
}
