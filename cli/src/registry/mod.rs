//! `dnc registry`: build a registry copy's binary form from the files the
//! registries deliver, bring it up to date with change lists, and describe
//! it. Every rule (the formats, the loads, the changes, the binary form) is
//! the library's; this module reads the files and writes the result the
//! way `dnc scrub` writes its output: beside the target, renamed into place
//! only once complete, never over one of its inputs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use dnc_engine::DncError;
use dnc_engine::geo::AreaCode;
use dnc_engine::jiff::Timestamp;
use dnc_engine::registry::{
    Change, ChangeLayout, ChangeOutcome, Registry, RegistrySource, parse_change_list,
};
use serde_json::Value;

// What `dnc registry` shares with the replay's registries ops lives with
// the replay protocol.
pub use dnc_replay::registry_files::read::ReadError;
pub(crate) use dnc_replay::registry_files::read::pieces;
pub use dnc_replay::registry_files::{
    RegistryError, Step, info_value, open, parse_area_codes, parse_obtained,
};
pub(crate) use dnc_replay::registry_files::{empty_change_list, read_full_lists, refused};

use crate::scrub::{Cleanup, Destination, ScrubError};

impl From<ScrubError> for RegistryError {
    fn from(error: ScrubError) -> RegistryError {
        RegistryError::Out(Box::new(error))
    }
}

/// What `dnc registry build` is asked.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// `US_NATIONAL`, `CA_NATIONAL`, `STATE_XX`.
    pub source: RegistrySource,
    /// When the files were obtained from the registry.
    pub obtained: Timestamp,
    /// The area codes the files cover; `None`: the area codes of their
    /// numbers.
    pub area_codes: Option<Vec<AreaCode>>,
    /// The full-list files.
    pub inputs: Vec<PathBuf>,
    /// The binary form to write.
    pub out: PathBuf,
}

/// What a build or an update did.
#[derive(Clone, Debug, PartialEq)]
pub struct RegistrySummary {
    /// Numbers in the copy written.
    pub numbers: usize,
    /// Area codes it covers.
    pub area_codes: usize,
    /// Bytes of the file written.
    pub bytes: usize,
    /// Numbers read from the files (a build) or change records (an update).
    pub read: usize,
    /// What the change lists did (an update).
    pub changes: Option<ChangeOutcome>,
    /// Covered area codes that hold no number (a file missing from the
    /// download, or a new area code): said on standard error.
    pub empty_area_codes: Vec<AreaCode>,
    /// Seconds for the whole job.
    pub seconds: f64,
}

/// The flags and paths of the inputs, for the output check.
fn inputs<'a>(
    flag: &'static str,
    paths: impl IntoIterator<Item = &'a PathBuf>,
) -> Vec<(&'static str, &'a Path)> {
    paths
        .into_iter()
        .map(|path| (flag, path.as_path()))
        .collect()
}

/// Writes `bytes` to `out` beside it, renamed into place once complete.
fn write_out(
    out: &Path,
    checked: &[(&'static str, &Path)],
    bytes: &[u8],
    cleanup: &Cleanup,
) -> Result<(), RegistryError> {
    use std::io::Write;
    let destination = Destination::File(out.to_owned());
    let plan = crate::scrub::plan_output(&destination, checked)?;
    let mut file = plan.open(cleanup)?;
    let failed = file.failure();
    file.write_all(bytes).map_err(&failed)?;
    file.commit()?;
    Ok(())
}

/// `dnc registry build`: reads every input's full list, loads them as one
/// copy obtained at `obtained` (straight from the text, one area code at a
/// time, when they ascend as the registries deliver them; sorted first when
/// not), and writes its binary form. A number given twice counts once. The
/// output is checked not to be an input before anything is read.
pub fn build(
    options: &BuildOptions,
    cleanup: &Cleanup,
    mut step: impl FnMut(Step<'_>),
) -> Result<RegistrySummary, RegistryError> {
    let started = Instant::now();
    let checked = inputs("input", &options.inputs);
    crate::scrub::plan_output(&Destination::File(options.out.clone()), &checked)?;
    let lists = read_full_lists(&options.inputs, &mut step)?;
    step(Step::Building(lists.text.len() / 11));
    let mut registry = Registry::new(options.source);
    let read = registry
        .load_full_list(options.area_codes.as_deref(), &lists.text, options.obtained)
        .map_err(|error| lists.refused(error))?;
    drop(lists);
    let bytes = registry.to_bytes();
    step(Step::Writing(bytes.len()));
    write_out(&options.out, &checked, &bytes, cleanup)?;
    let empty_area_codes = registry
        .area_codes()
        .filter(|&(_, _, numbers)| numbers == 0)
        .map(|(code, _, _)| code)
        .collect();
    Ok(RegistrySummary {
        numbers: registry.len(),
        area_codes: registry.area_codes().count(),
        bytes: bytes.len(),
        read,
        changes: None,
        empty_area_codes,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// What `dnc registry update` is asked.
#[derive(Clone, Debug)]
pub struct UpdateOptions {
    /// The copy to update (its binary form; not changed).
    pub file: PathBuf,
    /// When the change lists were obtained.
    pub obtained: Timestamp,
    /// The change lists, applied in order as one.
    pub changes: Vec<PathBuf>,
    /// Where the number and the mark are in a change record.
    pub layout: ChangeLayout,
    /// The updated copy's binary form (never `file` itself).
    pub out: PathBuf,
}

/// `dnc registry update`: applies the change lists, in order, to the copy in
/// `file`, as one change obtained at `obtained`, and writes the result to
/// `out`; `file` is left as it was.
pub fn update(
    options: &UpdateOptions,
    cleanup: &Cleanup,
    mut step: impl FnMut(Step<'_>),
) -> Result<RegistrySummary, RegistryError> {
    let started = Instant::now();
    let mut checked = inputs("input", [&options.file]);
    checked.extend(inputs("change list", &options.changes));
    crate::scrub::plan_output(&Destination::File(options.out.clone()), &checked)?;
    step(Step::Reading(&options.file.display().to_string()));
    let mut registry = open(&options.file)?;
    let mut records: Vec<Change> = Vec::new();
    // Where each file's records start, to name the line of a refused one.
    let mut starts: Vec<(usize, String)> = Vec::new();
    for path in &options.changes {
        for piece in pieces(path).map_err(RegistryError::Read)? {
            step(Step::Reading(&piece.name));
            let parsed = parse_change_list(&piece.bytes, options.layout)
                .map_err(|error| refused(&piece.name, error))?;
            if parsed.is_empty() {
                return Err(refused(&piece.name, empty_change_list(piece.bytes.len())));
            }
            starts.push((records.len(), piece.name));
            records.extend_from_slice(&parsed);
        }
    }
    step(Step::Building(records.len()));
    let outcome =
        registry
            .apply_changes(&records, options.obtained)
            .map_err(|error| match error {
                // A record's refusal names its number: find its file and line
                // (a change list has one record a line).
                DncError::InvalidRegistry {
                    line: None,
                    value,
                    reason,
                } if value.parse::<u64>().is_ok() => {
                    let number: u64 = value.parse().unwrap_or_default();
                    let index = records.iter().position(|record| record.number == number);
                    match index.and_then(|index| {
                        starts
                            .iter()
                            .rev()
                            .find(|(start, _)| *start <= index)
                            .map(|(start, name)| (name, index - start + 1))
                    }) {
                        Some((name, line)) => refused(
                            name,
                            DncError::InvalidRegistry {
                                line: Some(line as u64),
                                value,
                                reason,
                            },
                        ),
                        None => refused(
                            "the change lists",
                            DncError::InvalidRegistry {
                                line: None,
                                value,
                                reason,
                            },
                        ),
                    }
                }
                other => refused("the change lists", other),
            })?;
    let bytes = registry.to_bytes();
    step(Step::Writing(bytes.len()));
    write_out(&options.out, &checked, &bytes, cleanup)?;
    Ok(RegistrySummary {
        numbers: registry.len(),
        area_codes: registry.area_codes().count(),
        bytes: bytes.len(),
        read: records.len(),
        changes: Some(outcome),
        empty_area_codes: Vec::new(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// `dnc registry info`: the copy's source, numbers, resident and file
/// bytes, and each area code with its instant and count, as JSON.
pub fn info(path: &Path) -> Result<Value, RegistryError> {
    let file_bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let registry = open(path)?;
    Ok(info_value(&registry, Some(file_bytes)))
}
