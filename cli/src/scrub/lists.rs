//! Loading the scrub's lists (services, DNC entries, account flags) into an
//! engine, every bad row kept with its file and line.

use std::path::Path;

use csv::ByteRecord;
use dnc_engine::{
    Account, ClientId, DncError, DncKey, Engine, EntryId, FlagUpdate, Lifetime, NewEntry, Phone,
    ServiceId, Zip,
};

use super::csv::{cell, open_csv, read_rows};
use super::inputs::InputReads;
use super::{BadRow, Event, Phase, ScrubError, ScrubOptions, shown};

/// The header of each list, as its messages name it.
const SERVICES: &[&str] = &["client", "service"];
const DNC: &[&str] = &["id", "client", "service", "phone", "account", "zip", "type"];
const FLAGS: &[&str] = &["client", "account", "doNotDial", "doNotDialDaily"];

/// Report progress every so many rows.
const PROGRESS_ROWS: u64 = 1 << 16;

pub(crate) fn refused(error: DncError) -> String {
    format!("{}: {error}", error.code())
}

/// Reads a list file row by row, calling `load` with each record, the
/// positions of the `required` columns (in that order) and its line; rows
/// that fail, or have more or fewer cells than the header, become
/// [`BadRow`]s. `progress` gets the bytes read so far; a file without rows
/// is warned about.
fn load_rows(
    reads: &InputReads,
    flag: &'static str,
    path: &Path,
    required: &[&str],
    events: &mut dyn FnMut(Event<'_>),
    mut progress: impl FnMut(&mut dyn FnMut(Event<'_>), u64),
    mut load: impl FnMut(&[usize], &ByteRecord, u64) -> Result<(), String>,
) -> Result<Vec<BadRow>, ScrubError> {
    let (mut reader, _, header, _) = open_csv(reads, flag, path, &required.join(","))?;
    let positions = required
        .iter()
        .map(|name| header.require(path, name))
        .collect::<Result<Vec<usize>, _>>()?;
    let (bad, rows) = read_rows(
        &mut reader,
        &header,
        path,
        |record, line| load(&positions, record, line),
        |rows, byte| {
            if rows % PROGRESS_ROWS == 0 {
                progress(events, byte);
            }
        },
    )?;
    progress(events, reader.position().byte());
    if rows == 0 {
        let warning = format!(
            "{} has a header and no rows: it contributes nothing to the scrub",
            path.display()
        );
        events(Event::Warning(&warning));
    }
    Ok(bad)
}

fn parse_bool(text: Option<&str>, name: &str) -> Result<Option<bool>, String> {
    match text {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(other) => Err(format!(
            "bad_request: {name} must be true or false, not {}",
            shown(other)
        )),
    }
}

/// Loads the three list files into a fresh engine, returning it with every
/// bad row (already skipped).
pub(crate) fn load_lists(
    options: &ScrubOptions,
    reads: &InputReads,
    events: &mut dyn FnMut(Event<'_>),
) -> Result<(Engine, Vec<BadRow>), ScrubError> {
    let files: Vec<&Path> = [
        Some(&options.services),
        Some(&options.dnc),
        options.flags.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(|p| p.as_path())
    .collect();
    let total: u64 = files
        .iter()
        .map(|path| std::fs::metadata(path).map_or(0, |m| m.len()))
        .sum();
    // Bytes of the files already loaded, before the one being read.
    let mut before = 0u64;
    let progress_from = |start: u64| {
        move |events: &mut dyn FnMut(Event<'_>), done: u64| {
            events(Event::Progress {
                phase: Phase::Loading,
                done: start + done,
                total,
            });
        }
    };
    let size = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len());

    let mut engine = Engine::new();
    let mut bad = load_rows(
        reads,
        "--services",
        &options.services,
        SERVICES,
        events,
        progress_from(before),
        |at, record, _| {
            let client = cell(record, Some(at[0]))?.ok_or("bad_request: client is empty")?;
            let service = cell(record, Some(at[1]))?.ok_or("bad_request: service is empty")?;
            let client = ClientId::parse(client).map_err(refused)?;
            let service = ServiceId::parse(service).map_err(refused)?;
            engine.register_service(client, service).map_err(refused)
        },
    )?;
    before += size(&options.services);

    // Rows are parsed first and added together, the way add would take them
    // one by one, but in bucket order (much faster for a large list).
    let mut parsed: Vec<(u64, NewEntry)> = Vec::new();
    let mut dnc_bad = load_rows(
        reads,
        "--dnc",
        &options.dnc,
        DNC,
        events,
        progress_from(before),
        |at, record, line| {
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
        },
    )?;
    before += size(&options.dnc);
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
        bad.extend(load_rows(
            reads,
            "--flags",
            flags,
            FLAGS,
            events,
            progress_from(before),
            |at, record, _| {
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
            },
        )?);
    }
    Ok((engine, bad))
}
