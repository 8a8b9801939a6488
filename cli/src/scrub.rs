//! `dnc scrub`: check a whole call list against the DNC lists before a
//! campaign.
//!
//! The lists (services, DNC entries, account flags) are loaded into an
//! engine first. A bad row in any of them is reported with its file and line;
//! by default nothing is then scrubbed, because a skipped DNC row could let a
//! blocked number through. The call list is then streamed in chunks through
//! the engine's batch check, every input column passed through in order and
//! four columns added: `blocked`, `entries`, `accountFlags`, `error`. An
//! invalid call row is never reported as not blocked: its `blocked` cell is
//! empty and `error` names the fault with the replay protocol's code.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;

use csv::{ByteRecord, ReaderBuilder, WriterBuilder};
use dnc_engine::{
    Account, ClientId, DncError, DncKey, Engine, EntryId, FlagUpdate, Lifetime, NewEntry, Phone,
    Query, ServiceId, Verdict, Zip,
};

/// What to scrub, and how.
#[derive(Clone, Debug)]
pub struct ScrubOptions {
    /// `client,service`.
    pub services: PathBuf,
    /// `id,client,service,phone,account,zip,type`.
    pub dnc: PathBuf,
    /// `client,account,doNotDial,doNotDialDaily`, optional.
    pub flags: Option<PathBuf>,
    /// The call list: `service` and any of `client`, `phone`, `account`, `zip`.
    pub calls: PathBuf,
    /// Use the dial check (stored `*` as a wildcard) instead of `isBlocked`.
    pub dial_check: bool,
    /// Skip bad rows of the lists (each still reported) instead of stopping.
    pub skip_bad_rows: bool,
}

/// A row of a list file that could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRow {
    /// The file it is in.
    pub file: PathBuf,
    /// Its line number (1 is the header).
    pub line: u64,
    /// Why, with the protocol's error code first.
    pub reason: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.reason)
    }
}

/// Why a scrub did not run or did not finish.
#[derive(Debug)]
pub enum ScrubError {
    /// A file could not be read or written.
    Io(PathBuf, io::Error),
    /// A file is not CSV, or lacks a required column.
    Format(PathBuf, String),
    /// Bad rows in the lists, without `--skip-bad-rows`.
    BadRows(Vec<BadRow>),
}

impl std::fmt::Display for ScrubError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScrubError::Io(path, error) => write!(f, "{}: {error}", path.display()),
            ScrubError::Format(path, reason) => write!(f, "{}: {reason}", path.display()),
            ScrubError::BadRows(rows) => write!(
                f,
                "{} bad row(s) in the lists; nothing was scrubbed (use --skip-bad-rows to skip them)",
                rows.len()
            ),
        }
    }
}

impl std::error::Error for ScrubError {}

/// What a scrub did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScrubSummary {
    /// Call rows read.
    pub rows: u64,
    /// Rows blocked.
    pub blocked: u64,
    /// Rows refused as invalid (never counted as not blocked).
    pub invalid: u64,
    /// List rows skipped under `--skip-bad-rows`.
    pub skipped_list_rows: u64,
    /// Wall-clock seconds for the whole job.
    pub seconds: f64,
    /// Of which loading the lists.
    pub load_seconds: f64,
}

impl ScrubSummary {
    /// Call rows scrubbed a second, lists' loading time excluded.
    pub fn rows_per_second(&self) -> f64 {
        self.rows as f64 / (self.seconds - self.load_seconds).max(1e-9)
    }
}

/// Columns of one CSV header, by name.
struct Columns {
    names: Vec<String>,
}

impl Columns {
    fn read(path: &Path, header: &ByteRecord) -> Result<Columns, ScrubError> {
        let names = header
            .iter()
            .map(|name| {
                std::str::from_utf8(name)
                    .map(|n| n.trim().to_owned())
                    .map_err(|_| {
                        ScrubError::Format(path.to_owned(), "the header is not UTF-8".to_owned())
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(Columns { names })
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    fn require(&self, path: &Path, name: &str) -> Result<usize, ScrubError> {
        self.find(name).ok_or_else(|| {
            ScrubError::Format(
                path.to_owned(),
                format!("the header has no {name:?} column"),
            )
        })
    }
}

/// A cell as text, taken as given (nothing is trimmed); an empty or missing
/// cell is absent.
fn cell(record: &ByteRecord, column: Option<usize>) -> Result<Option<&str>, String> {
    match column.and_then(|c| record.get(c)) {
        None | Some(b"") => Ok(None),
        Some(bytes) => std::str::from_utf8(bytes)
            .map(Some)
            .map_err(|_| "bad_request: a cell is not UTF-8".to_owned()),
    }
}

fn refused(error: DncError) -> String {
    format!("{}: {error}", error.code())
}

fn open(path: &Path) -> Result<File, ScrubError> {
    File::open(path).map_err(|error| ScrubError::Io(path.to_owned(), error))
}

/// Reads a list file row by row, calling `load` with each record and the
/// positions of the `required` columns, in that order; rows that fail become
/// [`BadRow`]s.
fn load_rows(
    path: &Path,
    required: &[&str],
    mut load: impl FnMut(&[usize], &ByteRecord, u64) -> Result<(), String>,
) -> Result<Vec<BadRow>, ScrubError> {
    let mut reader = ReaderBuilder::new().flexible(true).from_reader(open(path)?);
    let header = reader
        .byte_headers()
        .map_err(|error| ScrubError::Format(path.to_owned(), error.to_string()))?
        .clone();
    let columns = Columns::read(path, &header)?;
    let positions = required
        .iter()
        .map(|name| columns.require(path, name))
        .collect::<Result<Vec<usize>, _>>()?;
    let mut bad = Vec::new();
    let mut record = ByteRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line());
                if let Err(reason) = load(&positions, &record, line) {
                    bad.push(BadRow {
                        file: path.to_owned(),
                        line,
                        reason,
                    });
                }
            }
            Err(error) => {
                if error.is_io_error() {
                    return Err(ScrubError::Format(path.to_owned(), error.to_string()));
                }
                bad.push(BadRow {
                    file: path.to_owned(),
                    line,
                    reason: format!("bad_request: {error}"),
                });
            }
        }
    }
    Ok(bad)
}

fn parse_bool(text: Option<&str>, name: &str) -> Result<Option<bool>, String> {
    match text {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(other) => Err(format!(
            "bad_request: {name} must be true or false, not {other:?}"
        )),
    }
}

/// Loads the three list files into a fresh engine, returning it with every
/// bad row (already skipped).
pub fn load_lists(options: &ScrubOptions) -> Result<(Engine, Vec<BadRow>), ScrubError> {
    let mut engine = Engine::new();
    let mut bad = load_rows(
        &options.services,
        &["client", "service"],
        |at, record, _| {
            let client = cell(record, Some(at[0]))?.ok_or("bad_request: client is empty")?;
            let service = cell(record, Some(at[1]))?.ok_or("bad_request: service is empty")?;
            let client = ClientId::parse(client).map_err(refused)?;
            let service = ServiceId::parse(service).map_err(refused)?;
            engine.register_service(client, service).map_err(refused)
        },
    )?;
    let dnc_columns = ["id", "client", "service", "phone", "account", "zip", "type"];
    // Rows are parsed first and added together, the way add would take them
    // one by one, but in bucket order (much faster for a large list).
    let mut parsed: Vec<(u64, NewEntry)> = Vec::new();
    let mut dnc_bad = load_rows(&options.dnc, &dnc_columns, |at, record, line| {
        let text = |i: usize| cell(record, Some(at[i]));
        let (phone, account, zip) = (text(3)?, text(4)?, text(5)?);
        let (client, service) = (text(1)?, text(2)?);
        if phone.is_none() && account.is_none() && zip.is_none() {
            return Err("bad_request: the row has no phone, account or zip".to_owned());
        }
        if client.is_none() && service.is_none() {
            return Err("bad_request: the row has neither a client nor a service".to_owned());
        }
        let new = NewEntry {
            id: text(0)?.map(EntryId::parse).transpose().map_err(refused)?,
            client: client.map(ClientId::parse).transpose().map_err(refused)?,
            service: service.map(ServiceId::parse).transpose().map_err(refused)?,
            key: DncKey::from_parts(
                phone.map(Phone::parse).transpose().map_err(refused)?,
                account.map(Account::parse).transpose().map_err(refused)?,
                zip.map(Zip::parse).transpose().map_err(refused)?,
            )
            .map_err(refused)?,
            lifetime: text(6)?
                .map(Lifetime::parse)
                .transpose()
                .map_err(refused)?
                .unwrap_or_default(),
        };
        parsed.push((line, new));
        Ok(())
    })?;
    let lines: Vec<u64> = parsed.iter().map(|(line, _)| *line).collect();
    let outcome = engine.add_many(parsed.into_iter().map(|(_, new)| new));
    dnc_bad.extend(
        outcome
            .into_refused()
            .into_iter()
            .map(|(position, error)| BadRow {
                file: options.dnc.clone(),
                line: lines[position],
                reason: refused(error),
            }),
    );
    dnc_bad.sort_by_key(|row| row.line);
    bad.extend(dnc_bad);
    if let Some(flags) = &options.flags {
        let flag_columns = ["client", "account", "doNotDial", "doNotDialDaily"];
        bad.extend(load_rows(flags, &flag_columns, |at, record, _| {
            let text = |i: usize| cell(record, Some(at[i]));
            let client = text(0)?.ok_or("bad_request: client is empty")?;
            let account = text(1)?.ok_or("bad_request: account is empty")?;
            let update = FlagUpdate {
                do_not_dial: parse_bool(text(2)?, "doNotDial")?,
                do_not_dial_daily: parse_bool(text(3)?, "doNotDialDaily")?,
            };
            let client = ClientId::parse(client).map_err(refused)?;
            let account = Account::parse(account).map_err(refused)?;
            engine.set_account_flags(client, &account, update);
            Ok(())
        })?);
    }
    Ok((engine, bad))
}

/// One call row, read: the query's values, or the error code of the row.
struct Call {
    service: ServiceId,
    client: Option<ClientId>,
    phone: Option<Phone>,
    account: Option<Account>,
    zip: Option<Zip>,
}

/// Where the call list's columns are.
struct CallColumns {
    service: usize,
    client: Option<usize>,
    phone: Option<usize>,
    account: Option<usize>,
    zip: Option<usize>,
}

fn read_call(columns: &CallColumns, record: &ByteRecord) -> Result<Call, &'static str> {
    let text = |column| cell(record, column).map_err(|_| "bad_request");
    let service = text(Some(columns.service))?.ok_or("bad_request")?;
    let client = text(columns.client)?;
    let (phone, account, zip) = (
        text(columns.phone)?,
        text(columns.account)?,
        text(columns.zip)?,
    );
    if phone.is_none() && account.is_none() && zip.is_none() {
        return Err("bad_request");
    }
    let code = |error: DncError| error.code();
    Ok(Call {
        service: ServiceId::parse(service).map_err(code)?,
        client: client.map(ClientId::parse).transpose().map_err(code)?,
        phone: phone.map(Phone::parse).transpose().map_err(code)?,
        account: account.map(Account::parse).transpose().map_err(code)?,
        zip: zip.map(Zip::parse).transpose().map_err(code)?,
    })
}

/// Rows checked together through the batch API.
const CHUNK: usize = 4096;

/// A chunk of the call list, read and parsed, on its way from the reading
/// thread to the checking one (and back, empty, to be refilled).
struct Chunk {
    records: Vec<ByteRecord>,
    calls: Vec<Result<Call, &'static str>>,
    /// How far into the call list the reader was after this chunk.
    bytes_read: u64,
}

impl Chunk {
    fn new() -> Chunk {
        Chunk {
            records: Vec::with_capacity(CHUNK),
            calls: Vec::with_capacity(CHUNK),
            bytes_read: 0,
        }
    }
}

/// Reads and parses up to [`CHUNK`] rows into `chunk`; returns how many.
fn fill<R: Read>(
    reader: &mut csv::Reader<R>,
    columns: &CallColumns,
    chunk: &mut Chunk,
    calls_path: &Path,
) -> Result<usize, ScrubError> {
    chunk.records.resize_with(CHUNK, ByteRecord::new);
    let mut filled = 0;
    while filled < CHUNK {
        match reader.read_byte_record(&mut chunk.records[filled]) {
            Ok(true) => filled += 1,
            Ok(false) => break,
            Err(error) if error.is_io_error() => {
                return Err(ScrubError::Io(
                    calls_path.to_owned(),
                    io::Error::other(error),
                ));
            }
            // A row the CSV reader cannot split is kept as one empty row,
            // answered bad_request: never dropped, never "not blocked".
            Err(_) => {
                chunk.records[filled].clear();
                filled += 1;
            }
        }
    }
    chunk.records.truncate(filled);
    chunk.calls.clear();
    let records = &chunk.records;
    chunk
        .calls
        .extend(records.iter().map(|record| read_call(columns, record)));
    chunk.bytes_read = reader.position().byte();
    Ok(filled)
}

/// Scrubs the call list `calls` (already opened) against `engine`, writing
/// the annotated rows to `out`. `progress` is called with the bytes read so
/// far after every chunk.
///
/// Two threads share the work: one reads and parses chunks of the call list,
/// the calling thread checks them through the batch API and writes them, in
/// order.
pub fn scrub_calls(
    engine: &Engine,
    calls_path: &Path,
    calls: impl Read + Send,
    out: impl Write,
    dial_check: bool,
    mut progress: impl FnMut(u64),
) -> Result<ScrubSummary, ScrubError> {
    let mut reader = ReaderBuilder::new().flexible(true).from_reader(calls);
    let mut writer = WriterBuilder::new().flexible(true).from_writer(out);
    let header = reader
        .byte_headers()
        .map_err(|error| ScrubError::Format(calls_path.to_owned(), error.to_string()))?
        .clone();
    let columns = Columns::read(calls_path, &header)?;
    let call_columns = CallColumns {
        service: columns.require(calls_path, "service")?,
        client: columns.find("client"),
        phone: columns.find("phone"),
        account: columns.find("account"),
        zip: columns.find("zip"),
    };
    let out_path = PathBuf::from("(output)");
    let write_error = |error: csv::Error| ScrubError::Io(out_path.clone(), io::Error::other(error));
    let mut out_header = header.clone();
    for name in ["blocked", "entries", "accountFlags", "error"] {
        out_header.push_field(name.as_bytes());
    }
    writer.write_byte_record(&out_header).map_err(write_error)?;

    std::thread::scope(|scope| {
        // Two chunks in flight: one being checked while the next is read.
        let (full, filled) = mpsc::sync_channel::<Result<Chunk, ScrubError>>(2);
        let (empty, emptied) = mpsc::channel::<Chunk>();
        scope.spawn(move || {
            loop {
                let mut chunk = emptied.try_recv().unwrap_or_else(|_| Chunk::new());
                let sent = match fill(&mut reader, &call_columns, &mut chunk, calls_path) {
                    Ok(0) => return,
                    Ok(_) => full.send(Ok(chunk)),
                    Err(error) => full.send(Err(error)),
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
            // Check the valid rows as one batch, in order.
            let queries: Vec<Query<'_>> = chunk
                .calls
                .iter()
                .filter_map(|call| call.as_ref().ok())
                .map(|call| Query {
                    service: call.service,
                    client: call.client,
                    phone: call.phone,
                    account: call.account.as_ref(),
                    zip: call.zip,
                })
                .collect();
            if dial_check {
                engine.dial_check_batch(&queries, &mut verdicts);
            } else {
                engine.is_blocked_batch(&queries, &mut verdicts);
            }
            drop(queries);
            // Write every row with its answer.
            let mut answers = verdicts.iter();
            for (record, call) in chunk.records.iter_mut().zip(&chunk.calls) {
                summary.rows += 1;
                let answer: Result<&Verdict, &str> = match call {
                    Ok(_) => answers
                        .next()
                        .expect("the batch answers every valid call")
                        .as_ref()
                        .map_err(DncError::code),
                    Err(code) => Err(code),
                };
                match answer {
                    Ok(verdict) => {
                        if verdict.is_blocked() {
                            summary.blocked += 1;
                        }
                        record.push_field(if verdict.is_blocked() {
                            b"true"
                        } else {
                            b"false"
                        });
                        text.clear();
                        for (i, id) in verdict.entries().iter().enumerate() {
                            if i > 0 {
                                text.push(';');
                            }
                            // Writing to a String cannot fail.
                            let _ = write!(text, "{id}");
                        }
                        record.push_field(text.as_bytes());
                        text.clear();
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
                        summary.invalid += 1;
                        record.push_field(b"");
                        record.push_field(b"");
                        record.push_field(b"");
                        record.push_field(code.as_bytes());
                    }
                }
                writer.write_byte_record(record).map_err(write_error)?;
            }
            progress(chunk.bytes_read);
            // Back to the reader for refilling; it may have finished.
            let _ = empty.send(chunk);
        }
        writer
            .flush()
            .map_err(|error| ScrubError::Io(out_path.clone(), error))?;
        Ok(summary)
    })
}

/// Runs a whole scrub: loads the lists (stopping on bad rows unless
/// `skip_bad_rows`), then opens the output with `open_out` (only then, so a
/// refused scrub leaves no output behind) and scrubs the call list into it.
/// Every bad list row is passed to `report`; `progress` gets the bytes of the
/// call list read so far and its size.
pub fn run<W: Write>(
    options: &ScrubOptions,
    open_out: impl FnOnce() -> Result<W, ScrubError>,
    mut report: impl FnMut(&BadRow),
    progress: impl FnMut(u64, u64),
) -> Result<ScrubSummary, ScrubError> {
    let started = Instant::now();
    let (engine, bad) = load_lists(options)?;
    let load_seconds = started.elapsed().as_secs_f64();
    bad.iter().for_each(&mut report);
    if !bad.is_empty() && !options.skip_bad_rows {
        return Err(ScrubError::BadRows(bad));
    }
    let calls = open(&options.calls)?;
    let total = calls.metadata().map_or(0, |m| m.len());
    let out = open_out()?;
    let mut progress = progress;
    let mut summary = scrub_calls(
        &engine,
        &options.calls,
        io::BufReader::with_capacity(1 << 20, calls),
        out,
        options.dial_check,
        |done| progress(done, total),
    )?;
    summary.skipped_list_rows = bad.len() as u64;
    summary.seconds = started.elapsed().as_secs_f64();
    summary.load_seconds = load_seconds;
    Ok(summary)
}
