//! What the scrub's CSV files share: opening one, its header, and a cell as
//! text.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use csv::{ByteRecord, ReaderBuilder};

use crate::scrub::ScrubError;

/// A CSV file being read.
pub(crate) type CsvReader = csv::Reader<BufReader<File>>;

/// Opens a CSV file and reads its header; returns the reader, the header
/// row as given, the header's names, and the file's size (0 when unknown).
/// `expected` describes the header for an empty file's message.
pub(crate) fn open_csv(
    path: &Path,
    expected: &str,
) -> Result<(CsvReader, ByteRecord, Header, u64), ScrubError> {
    let file = File::open(path).map_err(|error| ScrubError::Io(path.to_owned(), error))?;
    let size = file.metadata().map_or(0, |m| m.len());
    let mut reader = ReaderBuilder::new()
        .flexible(true)
        .from_reader(BufReader::with_capacity(1 << 20, file));
    let raw = reader
        .byte_headers()
        .map_err(|error| read_error(path, error))?
        .clone();
    let header = Header::read(path, &raw, expected)?;
    Ok((reader, raw, header, size))
}

/// Reads the next record into `record`; returns the line it starts on, or
/// `None` at the end of the file.
pub(crate) fn next_record(
    reader: &mut CsvReader,
    record: &mut ByteRecord,
    path: &Path,
) -> Result<Option<u64>, ScrubError> {
    match reader.read_byte_record(record) {
        Ok(true) => Ok(Some(record.position().map_or(1, |p| p.line()))),
        Ok(false) => Ok(None),
        Err(error) => Err(read_error(path, error)),
    }
}

fn read_error(path: &Path, error: csv::Error) -> ScrubError {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => ScrubError::Io(path.to_owned(), error),
        // With flexible rows and bytes, the CSV reader has no other error;
        // should one appear, the file is refused, never half read.
        other => ScrubError::Format(path.to_owned(), format!("not readable as CSV: {other:?}")),
    }
}

/// The names of a header row, trimmed.
#[derive(Debug)]
pub(crate) struct Header {
    names: Vec<String>,
}

impl Header {
    fn read(path: &Path, record: &ByteRecord, expected: &str) -> Result<Header, ScrubError> {
        if record.is_empty() {
            return Err(ScrubError::Format(
                path.to_owned(),
                format!("the file is empty: expected a header row naming {expected}"),
            ));
        }
        let names = record
            .iter()
            .map(|name| {
                std::str::from_utf8(name)
                    .map(|n| n.trim().to_owned())
                    .map_err(|_| {
                        ScrubError::Format(path.to_owned(), "the header is not UTF-8".to_owned())
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(Header { names })
    }

    /// The column called `name`.
    pub(crate) fn find(&self, _path: &Path, name: &str) -> Result<Option<usize>, ScrubError> {
        Ok(self.names.iter().position(|n| n == name))
    }

    /// The column called `name`, which the file must have.
    pub(crate) fn require(&self, path: &Path, name: &str) -> Result<usize, ScrubError> {
        self.find(path, name)?.ok_or_else(|| {
            ScrubError::Format(
                path.to_owned(),
                format!("the header has no {name:?} column"),
            )
        })
    }
}

/// A cell as text, taken as given (nothing is trimmed); an empty or missing
/// cell is absent.
pub(crate) fn cell(record: &ByteRecord, column: Option<usize>) -> Result<Option<&str>, String> {
    match column.and_then(|c| record.get(c)) {
        None | Some(b"") => Ok(None),
        Some(bytes) => std::str::from_utf8(bytes)
            .map(Some)
            .map_err(|_| "bad_request: a cell is not UTF-8".to_owned()),
    }
}
