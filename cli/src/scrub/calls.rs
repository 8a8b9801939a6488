//! Streaming the call list through the engine's batch check: one thread
//! reads and parses chunks, the other checks them and writes every row with
//! its answer, in order.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use csv::{ByteRecord, WriterBuilder};
use dnc_engine::{Account, ClientId, DncError, Engine, Phone, Query, ServiceId, Verdict, Zip};

use dnc_engine::jiff::Timestamp;

use super::csv::{CsvReader, next_record, open_csv};
use super::decision;
use super::inputs::InputReads;
use super::out::Out;
use super::report::Figures;
use super::{ScrubError, ScrubSummary};

/// The call list's key columns, in the order messages name them.
const KEYS: &str = "service and any of client, phone, account, zip";

/// The columns the scrub adds; a call list may not have them already.
pub(crate) const ADDED: [&str; 4] = ["blocked", "entries", "accountFlags", "error"];

/// Where the call list's columns are.
#[derive(Debug)]
struct CallColumns {
    service: usize,
    client: Option<usize>,
    phone: Option<usize>,
    account: Option<usize>,
    zip: Option<usize>,
    /// How many cells every row must have.
    width: usize,
}

/// A call list, opened and its header checked, ready to be scrubbed.
#[derive(Debug)]
pub(crate) struct CallList {
    path: PathBuf,
    reader: CsvReader,
    header: ByteRecord,
    columns: CallColumns,
    /// Its size in bytes, for the progress bar (0 when unknown).
    pub(crate) size: u64,
}

impl CallList {
    /// Opens the call list and checks its header: `service` is required,
    /// the key columns are matched in any case and may appear once, and the
    /// columns the scrub adds may not be there already (a consumer reading
    /// `blocked` by name would take the old one).
    pub(crate) fn open(
        path: &Path,
        mode: Mode,
        reads: &InputReads,
    ) -> Result<CallList, ScrubError> {
        let (reader, header, names, size) = open_csv(reads, "--calls", path, KEYS)?;
        for &added in mode.added() {
            if let Some(at) = names.find(path, added)? {
                return Err(ScrubError::Format(
                    path.to_owned(),
                    format!(
                        "the header already has a {added:?} column (column {}), which the scrub \
                         adds: rename or remove it (is this a scrub's output?)",
                        at + 1
                    ),
                ));
            }
        }
        let columns = CallColumns {
            service: names.require(path, "service")?,
            client: names.find(path, "client")?,
            phone: names.find(path, "phone")?,
            account: names.find(path, "account")?,
            zip: names.find(path, "zip")?,
            width: names.width(),
        };
        Ok(CallList {
            path: path.to_owned(),
            reader,
            header,
            columns,
            size,
        })
    }

    /// Whether the header has a `phone` column.
    pub(crate) fn has_phone(&self) -> bool {
        self.columns.phone.is_some()
    }
}

/// One call row, read: the query's values.
pub(super) struct Call {
    pub(super) service: ServiceId,
    pub(super) client: Option<ClientId>,
    pub(super) phone: Option<Phone>,
    pub(super) account: Option<Account>,
    pub(super) zip: Option<Zip>,
    /// Whether the NANP normalization changed the phone.
    normalized: bool,
    /// The phone as written, when it differs from the normalized one and is
    /// a phone too (`14152257000`), else its digits with the leading 1 kept
    /// (`+1 415-225-7000` as `14152257000`): checked as well, so that
    /// normalizing only ever adds matches (a DNC entry `14152257000` still
    /// blocks every spelling of that number, as it blocked `14152257000`
    /// before, and a row that was refused as invalid is not let through by
    /// reading it as the 10-digit number alone).
    pub(super) as_written: Option<Phone>,
}

/// How each call row is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `isBlocked` (a stored `*` is literal).
    IsBlocked,
    /// The dial check (a stored `*` is a wildcard).
    DialCheck,
    /// The full dial decision at an instant (`--at`).
    Decision(Timestamp),
}

impl Mode {
    /// The columns the mode adds.
    pub(crate) fn added(self) -> &'static [&'static str] {
        match self {
            Mode::Decision(_) => &decision::ADDED,
            Mode::IsBlocked | Mode::DialCheck => &ADDED,
        }
    }
}

fn cell(record: &ByteRecord, column: Option<usize>) -> Result<Option<&str>, &'static str> {
    super::csv::cell(record, column).map_err(|_| "bad_request")
}

/// The digits of `text` with its leading 1 kept (`+1 (415) 225-7000` ->
/// `14152257000`), when that is a phone other than `normalized`.
fn with_leading_one(text: &str, normalized: Phone) -> Option<Phone> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '-' | '.' | ' ' | '+'))
        .collect();
    Phone::parse(&digits)
        .ok()
        .filter(|phone| *phone != normalized)
}

/// Reads one call row; an invalid one is its error code. A row with more
/// or fewer cells than the header is `bad_request`: its cells cannot be
/// trusted to be in their columns.
fn read_call(
    columns: &CallColumns,
    record: &ByteRecord,
    normalize: bool,
) -> Result<Call, &'static str> {
    if record.len() != columns.width {
        return Err("bad_request");
    }
    let service = cell(record, Some(columns.service))?.ok_or("bad_request")?;
    let client = cell(record, columns.client)?;
    let (phone, account, zip) = (
        cell(record, columns.phone)?,
        cell(record, columns.account)?,
        cell(record, columns.zip)?,
    );
    if phone.is_none() && account.is_none() && zip.is_none() {
        return Err("bad_request");
    }
    let code = |error: DncError| error.code();
    let (phone, normalized, as_written) = match phone {
        None => (None, false, None),
        Some(text) if normalize => {
            let phone = Phone::parse_lenient(text).map_err(code)?;
            // The normalization only removes characters.
            let normalized = phone.len() != text.len();
            let as_written = normalized
                .then(|| {
                    Phone::parse(text)
                        .ok()
                        .or_else(|| with_leading_one(text, phone))
                })
                .flatten();
            (Some(phone), normalized, as_written)
        }
        Some(text) => (Some(Phone::parse(text).map_err(code)?), false, None),
    };
    Ok(Call {
        service: ServiceId::parse(service).map_err(code)?,
        client: client.map(ClientId::parse).transpose().map_err(code)?,
        phone,
        account: account.map(Account::parse).transpose().map_err(code)?,
        zip: zip.map(Zip::parse).transpose().map_err(code)?,
        normalized,
        as_written,
    })
}

/// Rows checked together through the batch API.
const CHUNK: usize = 4096;

/// A chunk of the call list, read and parsed, on its way from the reading
/// thread to the checking one (and back, empty, to be refilled).
struct Chunk {
    records: Vec<ByteRecord>,
    /// The line each record starts on (for the report).
    lines: Vec<u64>,
    calls: Vec<Result<Call, &'static str>>,
    /// The line of the first row of the wrong width in this chunk.
    first_wrong_width: Option<u64>,
    /// How far into the call list the reader was after this chunk.
    bytes_read: u64,
}

impl Chunk {
    fn new() -> Chunk {
        Chunk {
            records: Vec::with_capacity(CHUNK),
            lines: Vec::with_capacity(CHUNK),
            calls: Vec::with_capacity(CHUNK),
            first_wrong_width: None,
            bytes_read: 0,
        }
    }
}

/// Reads and parses up to [`CHUNK`] rows into `chunk`; returns how many.
fn fill(calls: &mut CallList, chunk: &mut Chunk, normalize: bool) -> Result<usize, ScrubError> {
    chunk.records.resize_with(CHUNK, ByteRecord::new);
    chunk.lines.clear();
    chunk.first_wrong_width = None;
    let mut filled = 0;
    while filled < CHUNK {
        let record = &mut chunk.records[filled];
        let Some(line) = next_record(&mut calls.reader, record, &calls.path)? else {
            break;
        };
        if record.len() != calls.columns.width && chunk.first_wrong_width.is_none() {
            chunk.first_wrong_width = Some(line);
        }
        chunk.lines.push(line);
        filled += 1;
    }
    chunk.records.truncate(filled);
    chunk.calls.clear();
    let (records, columns) = (&chunk.records, &calls.columns);
    chunk.calls.extend(
        records
            .iter()
            .map(|record| read_call(columns, record, normalize)),
    );
    chunk.bytes_read = calls.reader.position().byte();
    Ok(filled)
}

/// The query for `call`, with `phone`.
fn query(call: &Call, phone: Option<Phone>) -> Query<'_> {
    Query {
        service: call.service,
        client: call.client,
        phone,
        account: call.account.as_ref(),
        zip: call.zip,
    }
}

/// A row's answer: the verdict, and the one for its phone as written when
/// that was checked too; or the row's error code.
type Answer<'a> = Result<(&'a Verdict, Option<&'a Verdict>), &'a str>;

/// Appends the answer's four cells to `record`: blocked when either
/// verdict blocks, with the entries of both.
fn push_answer(record: &mut ByteRecord, answer: Answer<'_>, text: &mut String) {
    match answer {
        Ok((verdict, also)) => {
            let blocked = verdict.is_blocked() || also.is_some_and(Verdict::is_blocked);
            record.push_field(if blocked { b"true" } else { b"false" });
            text.clear();
            let merged;
            let entries = match also {
                None => verdict.entries(),
                Some(also) => {
                    let mut both = [verdict.entries(), also.entries()].concat();
                    both.sort_unstable();
                    both.dedup();
                    merged = both;
                    &merged
                }
            };
            for (i, id) in entries.iter().enumerate() {
                if i > 0 {
                    text.push(';');
                }
                // Writing to a String cannot fail.
                let _ = write!(text, "{id}");
            }
            record.push_field(text.as_bytes());
            text.clear();
            // The flags are the account's: the same for both phones.
            for (i, flag) in verdict.flags().iter().enumerate() {
                if i > 0 {
                    text.push(';');
                }
                text.push_str(flag.as_str());
            }
            record.push_field(text.as_bytes());
            record.push_field(b"");
        }
        Err(code) => {
            record.push_field(b"");
            record.push_field(b"");
            record.push_field(b"");
            record.push_field(code.as_bytes());
        }
    }
}

/// The kinds of reason of a refused check (`isBlocked`, the dial check),
/// without allocating: `kinds[..n]`.
fn check_kinds(verdict: &Verdict, also: Option<&Verdict>) -> ([&'static str; 2], usize) {
    let mut kinds = [""; 2];
    let mut n = 0;
    if !verdict.entries().is_empty() || also.is_some_and(|also| !also.entries().is_empty()) {
        kinds[n] = "DNC entry";
        n += 1;
    }
    if verdict.flags().any() {
        kinds[n] = "account flag";
        n += 1;
    }
    (kinds, n)
}

/// Scrubs `calls` against `engine`, writing the header and every annotated
/// row to `out`, and flushing it; with `figures`, every row is counted for
/// the report too. `progress` is called with the bytes read so far after
/// every chunk.
pub(crate) fn scrub_calls(
    engine: &Engine,
    mut calls: CallList,
    out: &mut Out,
    mode: Mode,
    normalize: bool,
    mut figures: Option<&mut Figures>,
    mut progress: impl FnMut(u64),
) -> Result<ScrubSummary, ScrubError> {
    let failed = out.failure();
    let write_error = |error: csv::Error| match error.into_kind() {
        csv::ErrorKind::Io(error) => failed(error),
        other => failed(std::io::Error::other(format!("{other:?}"))),
    };
    let width = calls.columns.width;
    let phone_column = calls.columns.phone;
    // The phone cell as written, for the report's sample.
    let phone_cell = |record: &ByteRecord| {
        phone_column
            .and_then(|column| record.get(column))
            .map(|cell| String::from_utf8_lossy(cell).into_owned())
            .unwrap_or_default()
    };
    let mut writer = WriterBuilder::new().flexible(true).from_writer(out);
    let mut out_header = calls.header.clone();
    for name in mode.added() {
        out_header.push_field(name.as_bytes());
    }
    writer.write_byte_record(&out_header).map_err(write_error)?;

    let summary = std::thread::scope(|scope| {
        // Two chunks in flight: one being checked while the next is read.
        let (full, filled) = mpsc::sync_channel::<Result<Chunk, ScrubError>>(2);
        let (empty, emptied) = mpsc::channel::<Chunk>();
        scope.spawn(move || {
            loop {
                let mut chunk = emptied.try_recv().unwrap_or_else(|_| Chunk::new());
                let sent = match fill(&mut calls, &mut chunk, normalize) {
                    Ok(0) => return,
                    Ok(_) => full.send(Ok(chunk)),
                    Err(error) => {
                        let _ = full.send(Err(error));
                        return;
                    }
                };
                if sent.is_err() {
                    // The checking side stopped (an output error): so do we.
                    return;
                }
            }
        });

        let mut summary = ScrubSummary::default();
        let mut verdicts: Vec<Result<Verdict, DncError>> = Vec::with_capacity(CHUNK);
        let mut text = String::new();
        for chunk in filled {
            let mut chunk = chunk?;
            if summary.first_wrong_width_line.is_none() {
                summary.first_wrong_width_line = chunk.first_wrong_width;
            }
            if let Mode::Decision(at) = mode {
                for ((record, call), &line) in
                    chunk.records.iter_mut().zip(&chunk.calls).zip(&chunk.lines)
                {
                    fit_width(record, width, &mut summary);
                    let decided = match call {
                        Ok(call) => decision::decide(engine, call, at),
                        Err(code) => Err(*code),
                    };
                    // Rows answered whose phone the normalization changed
                    // (an invalid row is answered by no phone).
                    if decided.is_ok() && call.as_ref().is_ok_and(|call| call.normalized) {
                        summary.normalized += 1;
                    }
                    match &decided {
                        Ok(decided) if decided.refused() => summary.blocked += 1,
                        Ok(_) => {}
                        Err(_) => summary.invalid += 1,
                    }
                    if let Ok(decided) = &decided {
                        decision::count(decided, &mut summary.by_reason);
                    }
                    if let Some(figures) = figures.as_deref_mut() {
                        match (&decided, call) {
                            (Err(code), _) => figures.invalid(line, code),
                            (Ok(decided), Ok(call)) => {
                                figures.copies_used(
                                    decision::registry_checks(decided),
                                    !decided.refused(),
                                );
                                if decided.refused() {
                                    figures.refused(
                                        line,
                                        call.phone,
                                        Some(at),
                                        &decision::refusing_kinds(decided),
                                        || (phone_cell(record), decision::explanation(decided)),
                                    );
                                } else {
                                    figures.allowed();
                                }
                            }
                            (Ok(_), Err(code)) => figures.invalid(line, code),
                        }
                    }
                    decision::push_decision(
                        record,
                        decided.as_ref().map_err(|code| *code),
                        &mut text,
                    );
                    writer.write_byte_record(record).map_err(write_error)?;
                }
                progress(chunk.bytes_read);
                let _ = empty.send(chunk);
                continue;
            }
            // Check the valid rows as one batch, in order, then the phones
            // as written of the rows the normalization changed.
            let valid = || chunk.calls.iter().filter_map(|call| call.as_ref().ok());
            let mut queries: Vec<Query<'_>> = valid().map(|call| query(call, call.phone)).collect();
            let checked = queries.len();
            queries.extend(
                valid()
                    .filter(|call| call.as_written.is_some())
                    .map(|call| query(call, call.as_written)),
            );
            if mode == Mode::DialCheck {
                engine.dial_check_batch(&queries, &mut verdicts);
            } else {
                engine.is_blocked_batch(&queries, &mut verdicts);
            }
            drop(queries);
            // Write every row with its answer.
            let (answers, as_written) = verdicts.split_at(checked);
            let (mut answers, mut as_written) = (answers.iter(), as_written.iter());
            for ((record, call), &line) in
                chunk.records.iter_mut().zip(&chunk.calls).zip(&chunk.lines)
            {
                fit_width(record, width, &mut summary);
                let answer: Answer<'_> = match call {
                    Ok(call) => {
                        let answer = answers.next().expect("the batch answers every valid call");
                        let also = call.as_written.map(|_| {
                            as_written
                                .next()
                                .expect("the batch answers every phone as written")
                        });
                        // Both differ only in the phone: an error is the
                        // same for both, and either one refuses the row.
                        match (answer, also) {
                            (Err(error), _) | (_, Some(Err(error))) => Err(error.code()),
                            (Ok(verdict), also) => {
                                // Rows answered whose phone the
                                // normalization changed.
                                if call.normalized {
                                    summary.normalized += 1;
                                }
                                Ok((verdict, also.and_then(|a| a.as_ref().ok())))
                            }
                        }
                    }
                    Err(code) => Err(code),
                };
                match answer {
                    Ok((verdict, also))
                        if verdict.is_blocked() || also.is_some_and(Verdict::is_blocked) =>
                    {
                        summary.blocked += 1
                    }
                    Ok(_) => {}
                    Err(_) => summary.invalid += 1,
                }
                if let Some(figures) = figures.as_deref_mut() {
                    match (answer, call) {
                        (Err(code), _) => figures.invalid(line, code),
                        (Ok((verdict, also)), Ok(call))
                            if verdict.is_blocked() || also.is_some_and(Verdict::is_blocked) =>
                        {
                            let (kinds, n) = check_kinds(verdict, also);
                            figures.refused(line, call.phone, None, &kinds[..n], || {
                                let why = match also.filter(|also| also.is_blocked()) {
                                    Some(also) => {
                                        format!("{verdict}; the phone as written: {also}")
                                    }
                                    None => verdict.to_string(),
                                };
                                (phone_cell(record), why)
                            })
                        }
                        (Ok(_), _) => figures.allowed(),
                    }
                }
                push_answer(record, answer, &mut text);
                writer.write_byte_record(record).map_err(write_error)?;
            }
            progress(chunk.bytes_read);
            // Back to the reader for refilling; it may have finished.
            let _ = empty.send(chunk);
        }
        Ok::<_, ScrubError>(summary)
    })?;
    writer.flush().map_err(&failed)?;
    Ok(summary)
}

/// Counts the row, and keeps the added columns under their names: a short
/// row is padded, a long one cut at the header's width.
fn fit_width(record: &mut ByteRecord, width: usize, summary: &mut ScrubSummary) {
    summary.rows += 1;
    if record.len() != width {
        summary.wrong_width += 1;
        record.truncate(width);
        while record.len() < width {
            record.push_field(b"");
        }
    }
}

/// The warning for rows of the wrong width, if there were any.
pub(crate) fn wrong_width_warning(summary: &ScrubSummary, calls: &Path) -> Option<String> {
    let line = summary.first_wrong_width_line?;
    Some(format!(
        "{} call row(s) have more or fewer cells than the header (the first at {}:{line}); \
         they are answered bad_request, with their cells cut or padded to the header's width",
        summary.wrong_width,
        calls.display()
    ))
}
