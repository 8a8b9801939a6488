//! What the `dnc registry` commands and the replay's registries ops share:
//! their error, reading the registries' files into one text, opening and
//! describing a built copy, the command line's instants and area codes. A
//! leaf: it imports none of the replay's families, and the program's
//! `dnc registry` builds on it.

use std::path::{Path, PathBuf};

use dnc_engine::DncError;
use dnc_engine::geo::AreaCode;
use dnc_engine::jiff::Timestamp;
use dnc_engine::registry::{Registry, RegistrySource};
use serde_json::{Value, json};

pub mod read;

use read::{FileRead, ReadError, pieces_digested, read_digested};

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
    /// The output is refused or could not be written (as for `dnc scrub`:
    /// its `ScrubError`, kept as the source).
    Out(Box<dyn std::error::Error + Send + Sync>),
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

/// The refusal of `file`'s content by the library.
pub fn refused(file: &str, error: DncError) -> RegistryError {
    RegistryError::Refused {
        file: file.to_owned(),
        error,
    }
}

/// Full lists read as one text: each file's pieces, ordered by their first
/// number (so that files of separate area codes, given in any order, are
/// read in one pass), each ending its last line, with the name and line
/// count of each so that a refusal names the file and its line.
#[derive(Debug)]
pub struct FullLists {
    /// The pieces' text, one after another.
    pub text: Vec<u8>,
    pieces: Vec<(String, u64)>,
    /// The inputs, as a load-wide refusal names them.
    inputs: String,
    /// What each input file was (its size and SHA-256), in the order given.
    pub read: Vec<FileRead>,
}

impl FullLists {
    /// `error` of the whole text, naming the piece and its line.
    pub fn refused(&self, error: DncError) -> RegistryError {
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
pub fn read_full_lists(
    paths: &[PathBuf],
    step: &mut impl FnMut(Step<'_>),
) -> Result<FullLists, RegistryError> {
    let mut read = Vec::new();
    let mut files = Vec::new();
    for path in paths {
        let (pieces, file) = pieces_digested(path).map_err(RegistryError::Read)?;
        files.push(file);
        for piece in pieces {
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
        read: files,
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
pub fn empty_change_list(bytes: usize) -> DncError {
    DncError::InvalidRegistry {
        line: None,
        value: format!("{bytes} bytes"),
        reason: "a change list without a record (a failed download?): it would make the copy look \
                 fresh",
    }
}

/// Opens a registry file's binary form.
pub fn open(path: &Path) -> Result<Registry, RegistryError> {
    let bytes = read_copy(path)?;
    Registry::from_bytes(&bytes).map_err(|error| refused(&path.display().to_string(), error))
}

/// A registry file's bytes, unread (the engine reads them when it applies
/// the change that carries them).
pub fn read_copy(path: &Path) -> Result<Vec<u8>, RegistryError> {
    read_copy_digested(path).map(|(bytes, _)| bytes)
}

/// [`read_copy`], and what the file was (its size and SHA-256).
pub fn read_copy_digested(path: &Path) -> Result<(Vec<u8>, FileRead), RegistryError> {
    read_digested(path).map_err(|error| {
        RegistryError::Read(ReadError {
            path: path.to_owned(),
            reason: error.to_string(),
        })
    })
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
