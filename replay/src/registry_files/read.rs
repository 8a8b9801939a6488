//! The registry files as the registries deliver them: plain text, a `.gz`
//! (one stream or several), or a `.zip` of one or more files (the CRTC's
//! "one Zip of a file per selected NPA"). Each file is read whole into
//! memory and handed to the library's parsers.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

/// One file's bytes and the name errors give it (`list.zip:416.txt`).
#[derive(Debug)]
pub struct Piece {
    /// The name errors give it.
    pub name: String,
    /// Its bytes, unpacked.
    pub bytes: Vec<u8>,
}

/// Why a registry file could not be read.
#[derive(Debug)]
pub struct ReadError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

fn refused(path: &Path, reason: impl std::fmt::Display) -> ReadError {
    ReadError {
        path: path.to_owned(),
        reason: reason.to_string(),
    }
}

/// The count of entries a zip file's end-of-central-directory record gives
/// (`None` for a ZIP64 file, whose count is elsewhere, or when the record
/// is not found: the zip reader then decides).
fn recorded_entries(path: &Path) -> Result<Option<u64>, ReadError> {
    use std::io::{Seek, SeekFrom};
    let mut file = File::open(path).map_err(|error| refused(path, error))?;
    let size = file.metadata().map_err(|error| refused(path, error))?.len();
    // The record is 22 bytes and a comment of at most 65,535.
    let tail = size.min(22 + 65_535);
    file.seek(SeekFrom::Start(size - tail))
        .map_err(|error| refused(path, error))?;
    let mut bytes = vec![0; tail as usize];
    file.read_exact(&mut bytes)
        .map_err(|error| refused(path, error))?;
    let Some(at) = (0..bytes.len().saturating_sub(21))
        .rev()
        .find(|&at| bytes[at..at + 4] == [0x50, 0x4b, 0x05, 0x06])
    else {
        return Ok(None);
    };
    let total = u16::from_le_bytes([bytes[at + 10], bytes[at + 11]]);
    Ok((total != u16::MAX).then_some(u64::from(total)))
}

/// Whether `path` ends with `.ext`, in any case.
fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|found| found.eq_ignore_ascii_case(ext))
}

/// The pieces of `path`: its entries for a `.zip` (directories skipped, in
/// the archive's order), its decompressed bytes for a `.gz`, else its bytes.
pub fn pieces(path: &Path) -> Result<Vec<Piece>, ReadError> {
    let name = path.display().to_string();
    if has_extension(path, "gz") {
        let file = File::open(path).map_err(|error| refused(path, error))?;
        let mut bytes = Vec::new();
        MultiGzDecoder::new(io::BufReader::new(file))
            .read_to_end(&mut bytes)
            .map_err(|error| refused(path, format!("not a readable gzip file: {error}")))?;
        return Ok(vec![Piece { name, bytes }]);
    }
    if has_extension(path, "zip") {
        let file = File::open(path).map_err(|error| refused(path, error))?;
        let mut archive = zip::ZipArchive::new(io::BufReader::new(file))
            .map_err(|error| refused(path, format!("not a readable zip file: {error}")))?;
        // The archive keeps one entry a name: an entry named twice would
        // lose the numbers of one of them without a word.
        if let Some(recorded) = recorded_entries(path)?
            && recorded != archive.len() as u64
        {
            return Err(refused(
                path,
                format!(
                    "the zip file records {recorded} entries but {} distinct names: two \
                         entries share a name, and one would be lost",
                    archive.len()
                ),
            ));
        }
        let mut pieces = Vec::new();
        for index in 0..archive.len() {
            let mut entry = archive
                .by_index(index)
                .map_err(|error| refused(path, format!("entry {}: {error}", index + 1)))?;
            if entry.is_dir() {
                continue;
            }
            let entry_name = format!("{name}:{}", entry.name());
            let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
            entry
                .read_to_end(&mut bytes)
                .map_err(|error| refused(path, format!("{}: {error}", entry.name())))?;
            pieces.push(Piece {
                name: entry_name,
                bytes,
            });
        }
        if pieces.is_empty() {
            return Err(refused(path, "the zip file holds no file"));
        }
        return Ok(pieces);
    }
    let bytes = std::fs::read(path).map_err(|error| refused(path, error))?;
    Ok(vec![Piece { name, bytes }])
}
