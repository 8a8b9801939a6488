//! `dnc registry`: build a registry copy's binary form from the files the
//! registries deliver, bring it up to date with change lists, and describe
//! it. Every rule (the formats, the loads, the changes, the binary form) is
//! the library's; this module reads the files and writes the result the
//! way `dnc scrub` writes its output: beside the target, renamed into place
//! only once complete, never over one of its inputs.

mod read;

use std::path::{Path, PathBuf};
use std::time::Instant;

use dnc_engine::DncError;
use dnc_engine::geo::AreaCode;
use dnc_engine::jiff::Timestamp;
use dnc_engine::registry::{
    Change, ChangeLayout, ChangeOutcome, Registry, RegistrySource, parse_change_list,
};
use serde_json::{Value, json};

pub use read::ReadError;
pub(crate) use read::pieces;

use crate::scrub::{Cleanup, Destination, ScrubError};

/// Why a `dnc registry` command did not run or did not finish; in every case
/// the output file is as it was.
#[derive(Debug)]
pub enum RegistryError {
    /// A command-line value that is not one: the flag and why.
    Argument(String),
    /// A file could not be read (or unzipped).
    Read(ReadError),
    /// A file's content, or the load or change it makes, is refused: the
    /// file (and entry of a zip) and the library's error, which names the
    /// line.
    Refused {
        /// The file, as errors name it (`list.zip:416.txt`).
        file: String,
        /// The library's error.
        error: DncError,
    },
    /// The output is refused or could not be written (as for `dnc scrub`).
    Out(ScrubError),
}

impl std::fmt::Display for RegistryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RegistryError::Argument(reason) => f.write_str(reason),
            RegistryError::Read(error) => error.fmt(f),
            RegistryError::Refused { file, error } => {
                write!(f, "{file}: {error} [{}]", error.code())
            }
            RegistryError::Out(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for RegistryError {}

impl From<ScrubError> for RegistryError {
    fn from(error: ScrubError) -> RegistryError {
        RegistryError::Out(error)
    }
}

/// The instant of `--obtained` (and the replay's instants): RFC 3339 with an
/// offset (`2026-11-30T04:00:00Z`).
pub fn parse_obtained(flag: &str, text: &str) -> Result<Timestamp, RegistryError> {
    text.parse::<Timestamp>().map_err(|error| {
        RegistryError::Argument(format!(
            "{flag} {text:?} is not an RFC 3339 instant with an offset \
             (2026-11-30T04:00:00Z): {error}"
        ))
    })
}

/// `--area-codes`: `ALL` (every area code `source` may cover: a state's
/// list every one of 200..=999, as it holds its residents' numbers whatever
/// their area code; a national one its country's and the non-geographic
/// ones) or a comma-separated list (`212,646`).
pub fn parse_area_codes(
    text: &str,
    source: RegistrySource,
) -> Result<Vec<AreaCode>, RegistryError> {
    if text.eq_ignore_ascii_case("ALL") {
        return Ok((200..=999)
            .map(|code| AreaCode::new(code).expect("200..=999 are area codes"))
            .filter(|&code| source.may_cover(code))
            .collect());
    }
    let mut codes = Vec::new();
    for part in text.split(',') {
        let code = AreaCode::parse(part.trim())
            .map_err(|error| RegistryError::Argument(format!("--area-codes {part:?}: {error}")))?;
        codes.push(code);
    }
    codes.sort_unstable();
    codes.dedup();
    Ok(codes)
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

/// What a long command tells its caller.
#[derive(Clone, Copy, Debug)]
pub enum Step<'a> {
    /// A file (or zip entry) about to be read.
    Reading(&'a str),
    /// The numbers read, being built into the copy.
    Building(usize),
    /// The binary form being written.
    Writing(usize),
}

fn refused(file: &str, error: DncError) -> RegistryError {
    RegistryError::Refused {
        file: file.to_owned(),
        error,
    }
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

/// Full lists read as one text: each file's pieces, ordered by their first
/// number (so that files of separate area codes, given in any order, are
/// read in one pass), each ending its last line, with the name and line
/// count of each so that a refusal names the file and its line.
pub(crate) struct FullLists {
    pub(crate) text: Vec<u8>,
    pieces: Vec<(String, u64)>,
    /// The inputs, as a load-wide refusal names them.
    inputs: String,
}

impl FullLists {
    /// `error` of the whole text, naming the piece and its line.
    pub(crate) fn refused(&self, error: DncError) -> RegistryError {
        match error {
            DncError::InvalidRegistry {
                line: Some(line),
                value,
                reason,
            } => {
                let (mut piece, mut line) = (self.pieces.len().saturating_sub(1), line);
                for (index, (_, lines)) in self.pieces.iter().enumerate() {
                    if line <= *lines {
                        piece = index;
                        break;
                    }
                    line -= lines;
                }
                let name = self
                    .pieces
                    .get(piece)
                    .map_or(&self.inputs, |(name, _)| name);
                refused(
                    name,
                    DncError::InvalidRegistry {
                        line: Some(line),
                        value,
                        reason,
                    },
                )
            }
            other => refused(&self.inputs, other),
        }
    }
}

/// The first number of a piece, to order the pieces by (0 when its first
/// line is not one: its error is then found first).
fn first_number(bytes: &[u8]) -> u64 {
    let end = memchr::memchr(b'\n', bytes).map_or(bytes.len(), |end| end + 1);
    dnc_engine::registry::parse_full_list(&bytes[..end])
        .ok()
        .and_then(|numbers| numbers.first().copied())
        .unwrap_or(0)
}

/// Reads the full lists of `paths` (plain, `.gz`, `.zip`) as one text. A
/// file or zip entry without a number is refused: an empty download would
/// otherwise empty the area codes it covers.
pub(crate) fn read_full_lists(
    paths: &[PathBuf],
    step: &mut impl FnMut(Step<'_>),
) -> Result<FullLists, RegistryError> {
    let mut read = Vec::new();
    for path in paths {
        for piece in pieces(path).map_err(RegistryError::Read)? {
            step(Step::Reading(&piece.name));
            if piece.bytes.iter().all(u8::is_ascii_whitespace) {
                return Err(refused(
                    &piece.name,
                    DncError::InvalidRegistry {
                        line: None,
                        value: format!("{} bytes", piece.bytes.len()),
                        reason: "a full list without a number (a failed download?): it would empty \
                                 the area codes it covers",
                    },
                ));
            }
            if piece.bytes.ends_with(b"\r") {
                // A lone CR ends it: a bad last line, which a line end
                // added here would hide.
                if let Err(error) = dnc_engine::registry::parse_full_list(&piece.bytes) {
                    return Err(refused(&piece.name, error));
                }
            }
            read.push((first_number(&piece.bytes), piece));
        }
    }
    read.sort_by_key(|(first, _)| *first);
    let mut lists = FullLists {
        text: Vec::new(),
        pieces: Vec::new(),
        inputs: paths
            .iter()
            .map(|path| path.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    };
    for (_, piece) in read {
        let lines = memchr::memchr_iter(b'\n', &piece.bytes).count() as u64
            + u64::from(!piece.bytes.ends_with(b"\n"));
        if lists.text.is_empty() {
            lists.text = piece.bytes;
        } else {
            lists.text.extend_from_slice(&piece.bytes);
        }
        if !lists.text.ends_with(b"\n") {
            lists.text.push(b'\n');
        }
        lists.pieces.push((piece.name, lines));
    }
    Ok(lists)
}

/// The refusal of a change list without a record: it would bring every
/// covered area code up to its instant, making a stale copy look fresh (a
/// failed download, most likely).
pub(crate) fn empty_change_list(bytes: usize) -> DncError {
    DncError::InvalidRegistry {
        line: None,
        value: format!("{bytes} bytes"),
        reason: "a change list without a record (a failed download?): it would make the copy look \
                 fresh",
    }
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

/// Opens a registry file's binary form.
pub fn open(path: &Path) -> Result<Registry, RegistryError> {
    let bytes = std::fs::read(path).map_err(|error| {
        RegistryError::Read(ReadError {
            path: path.to_owned(),
            reason: error.to_string(),
        })
    })?;
    Registry::from_bytes(&bytes).map_err(|error| refused(&path.display().to_string(), error))
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

/// A copy described as JSON (`dnc registry info`, the replay's
/// `registry_info`).
pub fn info_value(registry: &Registry, file_bytes: Option<u64>) -> Value {
    let mut value = json!({
        "source": registry.source().to_string(),
        "numbers": registry.len(),
        "residentBytes": registry.bytes(),
        "areaCodes": registry
            .area_codes()
            .map(|(code, obtained, numbers)| json!({
                "areaCode": code.get(),
                "obtained": obtained.to_string(),
                "numbers": numbers,
            }))
            .collect::<Vec<_>>(),
    });
    if let Some(bytes) = file_bytes {
        value["fileBytes"] = json!(bytes);
    }
    value
}
