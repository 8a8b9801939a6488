//! What each input gave the scrub, for the report's record: its size and
//! SHA-256, counted and hashed as the scrub read it.
//!
//! Hashing the bytes the scrub reads, rather than reading each file again
//! beside it, is what makes the record true: a pipe (`--calls /dev/stdin`,
//! `--dnc <(...)`, a FIFO) can be read only once, and a second reader would
//! take rows from the scrub; a file that changes during the scrub is
//! described as it was scrubbed.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use dnc_replay::registry_files::read::{Digesting, FileRead};
use serde_json::{Value, json};

/// The inputs of a scrub, each with what it gave once read to its end.
/// Cloned into the threads that read them; off (reading plainly) when no
/// report is asked for.
#[derive(Clone, Debug, Default)]
pub(crate) struct InputReads(Option<Arc<Mutex<Vec<Slot>>>>);

/// One input: the option that named it, its path, and what it gave.
#[derive(Debug)]
struct Slot {
    flag: &'static str,
    path: PathBuf,
    /// Whether a reader was opened for it.
    claimed: bool,
    read: Option<FileRead>,
    /// For a file the setup read: the setup's line and op.
    by: Option<(u64, String)>,
}

impl InputReads {
    /// Records nothing.
    pub(crate) fn off() -> InputReads {
        InputReads(None)
    }

    /// Records what each of `inputs` (`(flag, path)`, in the record's
    /// order) gives.
    pub(crate) fn of(inputs: &[(&'static str, &Path)]) -> InputReads {
        let slots = inputs
            .iter()
            .map(|(flag, path)| Slot {
                flag,
                path: path.to_path_buf(),
                claimed: false,
                read: None,
                by: None,
            })
            .collect();
        InputReads(Some(Arc::new(Mutex::new(slots))))
    }

    /// Opens `path`, given as `flag`, for reading; read to its end, it
    /// records what it gave.
    pub(crate) fn open(&self, flag: &'static str, path: &Path) -> io::Result<InputFile> {
        let file = File::open(path)?;
        let Some(slots) = &self.0 else {
            return Ok(InputFile::Plain(file));
        };
        let mut slots = slots.lock().unwrap_or_else(PoisonError::into_inner);
        let at = slots
            .iter()
            .position(|slot| !slot.claimed && slot.flag == flag && slot.path == path);
        let at = at.unwrap_or_else(|| {
            slots.push(Slot {
                flag,
                path: path.to_path_buf(),
                claimed: false,
                read: None,
                by: None,
            });
            slots.len() - 1
        });
        slots[at].claimed = true;
        Ok(InputFile::Recorded {
            reader: Some(Digesting::new(file)),
            slot: at,
            reads: self.clone(),
        })
    }

    /// Adds a file the setup's line `line` (op `op`) read, as its answer
    /// described it (`{"path", "bytes", "sha256"}`).
    pub(crate) fn add_setup_read(&self, line: u64, op: &str, read: &Value) {
        let Some(slots) = &self.0 else {
            return;
        };
        let text = |name: &str| read.get(name).and_then(Value::as_str).unwrap_or_default();
        let read = FileRead {
            path: PathBuf::from(text("path")),
            bytes: read.get("bytes").and_then(Value::as_u64).unwrap_or(0),
            sha256: text("sha256").to_owned(),
        };
        let mut slots = slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.push(Slot {
            flag: "--setup",
            path: read.path.clone(),
            claimed: true,
            read: Some(read),
            by: Some((line, op.to_owned())),
        });
    }

    fn finished(&self, slot: usize, read: FileRead) {
        if let Some(slots) = &self.0 {
            let mut slots = slots.lock().unwrap_or_else(PoisonError::into_inner);
            slots[slot].read = Some(read);
        }
    }

    /// The record's `inputs`: each input's flag, path, size and SHA-256
    /// (`null`, with a note, for one not read to its end), and for a file
    /// the setup read, the setup's line and op.
    pub(crate) fn listed(&self) -> Vec<Value> {
        let Some(slots) = &self.0 else {
            return Vec::new();
        };
        let slots = slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots
            .iter()
            .map(|slot| {
                let mut value = match &slot.read {
                    Some(read) => {
                        let mut value = read.to_json();
                        value["path"] = json!(slot.path.display().to_string());
                        value
                    }
                    None => json!({
                        "path": slot.path.display().to_string(),
                        "bytes": null,
                        "sha256": null,
                        "note": "not read to its end",
                    }),
                };
                let object = value.as_object_mut().expect("an input is an object");
                object.shift_insert(0, "flag".to_owned(), json!(slot.flag));
                if let Some((line, op)) = &slot.by {
                    object.insert("setup_line".to_owned(), json!(line));
                    object.insert("op".to_owned(), json!(op));
                }
                value
            })
            .collect()
    }
}

/// An input being read: plainly, or counted and hashed for the record.
#[derive(Debug)]
pub(crate) enum InputFile {
    /// No record is kept.
    Plain(File),
    /// Counted and hashed; recorded when the end is read.
    Recorded {
        /// `None` once the end was read.
        reader: Option<Digesting<File>>,
        slot: usize,
        reads: InputReads,
    },
}

impl InputFile {
    /// The file's size, when it is a regular file (0 when unknown).
    pub(crate) fn size(&self) -> u64 {
        let file = match self {
            InputFile::Plain(file) => Some(file),
            InputFile::Recorded { reader, .. } => reader.as_ref().map(Digesting::get_ref),
        };
        file.and_then(|file| file.metadata().ok())
            .filter(std::fs::Metadata::is_file)
            .map_or(0, |metadata| metadata.len())
    }
}

impl Read for InputFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            InputFile::Plain(file) => file.read(buf),
            InputFile::Recorded {
                reader,
                slot,
                reads,
            } => {
                let Some(open) = reader else {
                    return Ok(0);
                };
                let read = open.read(buf)?;
                if read == 0 && !buf.is_empty() {
                    let path = PathBuf::new();
                    let finished = reader.take().expect("the reader is open").finish(&path);
                    reads.finished(*slot, finished);
                }
                Ok(read)
            }
        }
    }
}
