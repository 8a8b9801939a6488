//! What the scrub's CSV files share: opening one with exact line numbers,
//! its header read without regard to case, and a cell as text.

use std::collections::VecDeque;
use std::io::{self, BufReader, Read};
use std::path::Path;

use csv::{ByteRecord, ReaderBuilder};

use super::inputs::{InputFile, InputReads};
use super::{BadRow, ScrubError, shown};

/// A CSV file being read, with the line counter under the CSV reader.
pub(crate) type CsvReader = csv::Reader<Lines<BufReader<InputFile>>>;

/// Opens the CSV file `path` (given as `flag`, whose bytes `reads` records)
/// and reads its header; returns the reader, the header row as given, the
/// header's names, and the file's size (0 when unknown). `expected`
/// describes the header for an empty file's message.
pub(crate) fn open_csv(
    reads: &InputReads,
    flag: &'static str,
    path: &Path,
    expected: &str,
) -> Result<(CsvReader, ByteRecord, Header, u64), ScrubError> {
    let file = reads
        .open(flag, path)
        .map_err(|error| ScrubError::Io(path.to_owned(), error))?;
    let size = file.size();
    let lines = Lines::new(BufReader::with_capacity(1 << 20, file));
    // Rows of the wrong width are read, and refused by the caller with their
    // line, rather than failing the whole file.
    let mut reader = ReaderBuilder::new().flexible(true).from_reader(lines);
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
        Ok(true) => {
            let end = reader.position().byte();
            Ok(Some(reader.get_mut().record_line(end, record)))
        }
        Ok(false) => Ok(None),
        Err(error) => Err(read_error(path, error)),
    }
}

/// Gives every row of an opened file to `load`, with its line; a row whose
/// width is not the header's, or that `load` refuses (with its reason), is
/// a bad row with its line. `after_row` hears the rows read so far and the
/// byte reached (for progress). Returns the bad rows and how many rows
/// there were.
pub(crate) fn read_rows(
    reader: &mut CsvReader,
    header: &Header,
    path: &Path,
    mut load: impl FnMut(&ByteRecord, u64) -> Result<(), String>,
    mut after_row: impl FnMut(u64, u64),
) -> Result<(Vec<BadRow>, u64), ScrubError> {
    let mut bad = Vec::new();
    let mut record = ByteRecord::new();
    let mut rows = 0;
    while let Some(line) = next_record(reader, &mut record, path)? {
        rows += 1;
        let loaded = if record.len() != header.width() {
            Err(format!(
                "bad_request: the row has {} cells, the header {}",
                record.len(),
                header.width()
            ))
        } else {
            load(&record, line)
        };
        if let Err(reason) = loaded {
            bad.push(BadRow {
                file: path.to_owned(),
                line,
                reason,
            });
        }
        after_row(rows, reader.position().byte());
    }
    Ok((bad, rows))
}

/// [`read_rows`] for a side file (exemptions, attempts), where a header
/// and no rows is a bad row too, naming `flag`, the option to leave out.
pub(crate) fn load_rows(
    mut reader: CsvReader,
    header: &Header,
    path: &Path,
    flag: &str,
    mut load: impl FnMut(&ByteRecord) -> Result<(), String>,
) -> Result<Vec<BadRow>, ScrubError> {
    let (mut bad, rows) = read_rows(
        &mut reader,
        header,
        path,
        |record, _| load(record),
        |_, _| {},
    )?;
    if rows == 0 {
        bad.push(BadRow {
            file: path.to_owned(),
            line: 1,
            reason: format!("bad_request: a header and no rows (give no {flag} instead)"),
        });
    }
    Ok(bad)
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

    /// How many columns the header names; every row must have as many cells.
    pub(crate) fn width(&self) -> usize {
        self.names.len()
    }

    /// The column called `name`, in any ASCII case (`Phone`, `PHONE`); a
    /// header that names it twice is refused, since either reading could be
    /// the wrong one.
    pub(crate) fn find(&self, path: &Path, name: &str) -> Result<Option<usize>, ScrubError> {
        let mut found = self
            .names
            .iter()
            .enumerate()
            .filter(|(_, n)| n.eq_ignore_ascii_case(name))
            .map(|(at, _)| at);
        let first = found.next();
        if let (Some(first), Some(second)) = (first, found.next()) {
            return Err(ScrubError::Format(
                path.to_owned(),
                format!(
                    "the header names the {name:?} column twice (columns {} and {}: {} and {}); \
                     keep one",
                    first + 1,
                    second + 1,
                    shown(&self.names[first]),
                    shown(&self.names[second]),
                ),
            ));
        }
        Ok(first)
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

/// A reader that notes every line break it passes on, so that the line a
/// record starts on is known exactly. The CSV reader's own count misses
/// the `\n` of a CRLF that ends the previous row (one short per CRLF file),
/// a lone `\r`, and the blank lines it skips before a row.
///
/// A line break is a `\n`, a `\r\n`, or a `\r` not followed by `\n`, as in
/// any editor; a break inside a quoted cell counts, the row starting on the
/// line of its first cell.
#[derive(Debug)]
pub(crate) struct Lines<R> {
    inner: R,
    /// Bytes passed on so far.
    passed: u64,
    /// Where each `\r` and `\n` passed on and not yet counted is, and which.
    ends: VecDeque<(u64, u8)>,
    /// Line breaks counted so far (all before the last record asked about).
    breaks: u64,
}

impl<R> Lines<R> {
    pub(crate) fn new(inner: R) -> Lines<R> {
        Lines {
            inner,
            passed: 0,
            ends: VecDeque::new(),
            breaks: 0,
        }
    }

    /// The line on which `record`, just read, starts; `end` is the CSV
    /// reader's byte position after it.
    ///
    /// What the reader consumed for the record is: the rest of the previous
    /// row's terminator and any blank lines, the record's text, then one
    /// terminator byte (none at the end of the file). So the breaks before
    /// the text's end, less those inside the record's cells, are the breaks
    /// before its first line.
    pub(crate) fn record_line(&mut self, end: u64, record: &ByteRecord) -> u64 {
        self.count_before(end.saturating_sub(1));
        let terminated = self.ends.front().is_some_and(|&(at, _)| at + 1 == end);
        if !terminated {
            self.count_before(end);
        }
        (1 + self.breaks)
            .saturating_sub(breaks_within(record))
            .max(1)
    }

    /// Counts the breaks at offsets before `limit` (every byte up to
    /// `limit` has been passed on, so a `\r`'s next byte is known).
    fn count_before(&mut self, limit: u64) {
        while let Some(&(at, byte)) = self.ends.front() {
            if at >= limit {
                break;
            }
            self.ends.pop_front();
            let crlf = byte == b'\r'
                && self
                    .ends
                    .front()
                    .is_some_and(|&(next, b)| next == at + 1 && b == b'\n');
            // A CRLF is counted once, at its `\n`.
            if !crlf {
                self.breaks += 1;
            }
        }
    }
}

/// The line breaks inside a record's cells (quoted cells may hold them).
fn breaks_within(record: &ByteRecord) -> u64 {
    if memchr::memchr2(b'\r', b'\n', record.as_slice()).is_none() {
        return 0;
    }
    record
        .iter()
        .map(|cell| {
            let mut breaks = 0;
            for at in memchr::memchr2_iter(b'\r', b'\n', cell) {
                if cell[at] == b'\n' || cell.get(at + 1) != Some(&b'\n') {
                    breaks += 1;
                }
            }
            breaks
        })
        .sum()
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for at in memchr::memchr2_iter(b'\r', b'\n', &buf[..n]) {
            self.ends.push_back((self.passed + at as u64, buf[at]));
        }
        self.passed += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line of every record of `text`, read as the scrub reads a file.
    fn lines_of(text: &str) -> Vec<(String, u64)> {
        let mut reader = ReaderBuilder::new()
            .flexible(true)
            .from_reader(Lines::new(text.as_bytes()));
        reader.byte_headers().unwrap();
        let mut record = ByteRecord::new();
        let mut found = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let end = reader.position().byte();
            let line = reader.get_mut().record_line(end, &record);
            found.push((String::from_utf8_lossy(&record[0]).into_owned(), line));
        }
        found
    }

    fn owned(rows: &[(&str, u64)]) -> Vec<(String, u64)> {
        rows.iter().map(|(t, l)| ((*t).to_owned(), *l)).collect()
    }

    /// A case: its name, a file, and each record's first cell and line.
    type Case = (&'static str, &'static str, &'static [(&'static str, u64)]);

    #[test]
    fn a_record_starts_on_the_line_an_editor_shows() {
        let cases: &[Case] = &[
            ("LF", "h\na\nb\nc\n", &[("a", 2), ("b", 3), ("c", 4)]),
            (
                "CRLF",
                "h\r\na\r\nb\r\nc\r\n",
                &[("a", 2), ("b", 3), ("c", 4)],
            ),
            ("lone CR", "h\ra\rb\r", &[("a", 2), ("b", 3)]),
            ("no final break", "h\na\nb", &[("a", 2), ("b", 3)]),
            (
                "blank lines",
                "h\na\n\n\nb\nc",
                &[("a", 2), ("b", 5), ("c", 6)],
            ),
            (
                "blank CRLF lines",
                "h\r\na\r\n\r\nb\r\nc",
                &[("a", 2), ("b", 4), ("c", 5)],
            ),
            (
                "quoted LF",
                "h\n\"a\nx\"\nb\nc\n",
                &[("a\nx", 2), ("b", 4), ("c", 5)],
            ),
            (
                "quoted CRLF in a CRLF file",
                "h\r\n\"a\r\nx\r\ny\"\r\nb\r\n",
                &[("a\r\nx\r\ny", 2), ("b", 5)],
            ),
            (
                "quoted break in the header",
                "\"h\r\nh\"\r\na\r\nb\r\n",
                &[("a", 3), ("b", 4)],
            ),
            ("BOM", "\u{feff}h\r\na\r\nb\r\n", &[("a", 2), ("b", 3)]),
        ];
        for (name, text, expected) in cases {
            assert_eq!(lines_of(text), owned(expected), "{name}");
        }
    }

    /// A file read through a reader that hands out one byte at a time
    /// numbers its records as when read whole: the counter never depends on
    /// where the CSV reader's buffer ends.
    #[test]
    fn line_numbers_do_not_depend_on_read_sizes() {
        struct OneByte<'a>(&'a [u8]);
        impl Read for OneByte<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                match (self.0.split_first(), buf.first_mut()) {
                    (Some((&byte, rest)), Some(slot)) => {
                        *slot = byte;
                        self.0 = rest;
                        Ok(1)
                    }
                    _ => Ok(0),
                }
            }
        }
        let text = "h\r\n\"a\r\nx\"\r\n\r\nb\rc\n\n\"d\"\r\ne";
        let mut reader = ReaderBuilder::new()
            .flexible(true)
            .buffer_capacity(1)
            .from_reader(Lines::new(OneByte(text.as_bytes())));
        reader.byte_headers().unwrap();
        let mut record = ByteRecord::new();
        let mut found = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let end = reader.position().byte();
            found.push(reader.get_mut().record_line(end, &record));
        }
        assert_eq!(found, vec![2, 5, 6, 8, 9]);
        let whole: Vec<u64> = lines_of(text).into_iter().map(|(_, l)| l).collect();
        assert_eq!(found, whole);
    }
}
