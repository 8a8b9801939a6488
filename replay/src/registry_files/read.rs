//! The registry files as the registries deliver them: plain text, a `.gz`
//! (one stream or several), or a `.zip` of one or more files (the CRTC's
//! "one Zip of a file per selected NPA"). Each file is read whole into
//! memory and handed to the library's parsers.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

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

/// What a file gave when it was read: its size and SHA-256, for a record
/// of which bytes were used (`dnc scrub --report`, the replay's answers to
/// the ops that read a file). They are the bytes read, hashed as they were
/// read: a pipe is read once, and a file that changes meanwhile is
/// described as it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRead {
    /// The file, as it was named.
    pub path: PathBuf,
    /// How many bytes it gave.
    pub bytes: u64,
    /// Their SHA-256, in lowercase hexadecimal.
    pub sha256: String,
}

impl FileRead {
    /// As JSON: `{"path", "bytes", "sha256"}`.
    pub fn to_json(&self) -> Value {
        json!({
            "path": self.path.display().to_string(),
            "bytes": self.bytes,
            "sha256": self.sha256,
        })
    }
}

/// A reader that counts and hashes the bytes it passes on.
#[derive(Debug)]
pub struct Digesting<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R> Digesting<R> {
    /// Starts counting and hashing what `inner` gives.
    pub fn new(inner: R) -> Digesting<R> {
        Digesting {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// The reader it reads from.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// What the bytes read so far were, as `path`'s.
    pub fn finish(self, path: &Path) -> FileRead {
        let sha256 = self
            .hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        FileRead {
            path: path.to_owned(),
            bytes: self.bytes,
            sha256,
        }
    }
}

impl<R: Read> Read for Digesting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.hasher.update(&buf[..read]);
        self.bytes += read as u64;
        Ok(read)
    }
}

/// The whole of `path`, read once, and what it was.
pub fn read_digested(path: &Path) -> io::Result<(Vec<u8>, FileRead)> {
    let file = File::open(path)?;
    let size = file.metadata().map_or(0, |metadata| metadata.len());
    let mut reader = Digesting::new(file);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    reader.read_to_end(&mut bytes)?;
    Ok((bytes, reader.finish(path)))
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
fn recorded_entries(bytes: &[u8]) -> Option<u64> {
    // The record is 22 bytes and a comment of at most 65,535.
    let tail = &bytes[bytes.len() - bytes.len().min(22 + 65_535)..];
    let at = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&at| tail[at..at + 4] == [0x50, 0x4b, 0x05, 0x06])?;
    let total = u16::from_le_bytes([tail[at + 10], tail[at + 11]]);
    (total != u16::MAX).then_some(u64::from(total))
}

/// Whether `path` ends with `.ext`, in any case.
fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|found| found.eq_ignore_ascii_case(ext))
}

/// The pieces of `path`: its entries for a `.zip` (directories skipped, in
/// the archive's order), its decompressed bytes for a `.gz`, else its bytes.
pub fn pieces(path: &Path) -> Result<Vec<Piece>, ReadError> {
    pieces_digested(path).map(|(pieces, _)| pieces)
}

/// [`pieces`], and what the file was (its bytes as stored, before any
/// unpacking). The file is read once, so that a pipe gives all of itself.
pub fn pieces_digested(path: &Path) -> Result<(Vec<Piece>, FileRead), ReadError> {
    let name = path.display().to_string();
    if has_extension(path, "gz") {
        let file = File::open(path).map_err(|error| refused(path, error))?;
        let mut reader = MultiGzDecoder::new(io::BufReader::new(Digesting::new(file)));
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|error| refused(path, format!("not a readable gzip file: {error}")))?;
        // The decoder stops at the end of its last member: what follows
        // (nothing, in a whole file) is read so that the digest is the
        // file's.
        let mut inner = reader.into_inner();
        io::copy(&mut inner, &mut io::sink()).map_err(|error| refused(path, error))?;
        let read = inner.into_inner().finish(path);
        return Ok((vec![Piece { name, bytes }], read));
    }
    let (bytes, read) = read_digested(path).map_err(|error| refused(path, error))?;
    if has_extension(path, "zip") {
        let recorded = recorded_entries(&bytes);
        let mut archive = zip::ZipArchive::new(io::Cursor::new(&bytes[..]))
            .map_err(|error| refused(path, format!("not a readable zip file: {error}")))?;
        // The archive keeps one entry a name: an entry named twice would
        // lose the numbers of one of them without a word.
        if let Some(recorded) = recorded
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
        return Ok((pieces, read));
    }
    Ok((vec![Piece { name, bytes }], read))
}
