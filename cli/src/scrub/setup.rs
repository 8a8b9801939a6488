//! What the full decision (`--at`) adds to the lists: registry copies
//! (`--registry`, every client that owns a service subscribed to all their
//! area codes unless the setup subscribed it itself), the clients' exemptions (`--exemptions`), and a setup
//! script of replay lines (`--setup`) for everything the CSV lists cannot
//! say (channel lists, contact groups, zones, DNC types, dialing profiles,
//! subscriptions of their own). Every fault is a bad row with its file and
//! line, as for the lists.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use dnc_engine::registry::{
    Exemption, ExemptionKind, ExemptionSubject, RegistrySource, Subscription,
};
use dnc_engine::{Account, ClientId, Engine, Phone, parse_instant};
use serde_json::Value;

use super::csv::{cell, load_rows, open_csv};
use super::inputs::InputReads;
use super::lists::refused;
use super::{BadRow, ScrubError, shown};
use crate::replay::ReplaySession;

/// The header of `--exemptions`.
const EXEMPTIONS: &[&str] = &["client", "phone", "account", "kind", "since", "until"];

/// Opens every `--registry` copy into `engine`; returns their sources. Two
/// copies of one source, or a file that is not a copy, refuse the scrub.
pub(crate) fn load_registries(
    engine: &mut Engine,
    files: &[impl AsRef<Path>],
    reads: &InputReads,
) -> Result<BTreeSet<RegistrySource>, ScrubError> {
    let mut sources = BTreeSet::new();
    for file in files {
        let file = file.as_ref();
        let mut bytes = Vec::new();
        reads
            .open("--registry", file)
            .and_then(|mut input| input.read_to_end(&mut bytes))
            .map_err(|error| ScrubError::Io(file.to_owned(), error))?;
        let copy = dnc_engine::registry::Registry::from_bytes(&bytes).map_err(|error| {
            let refused = crate::registry::refused(&file.display().to_string(), error);
            ScrubError::Format(file.to_owned(), refused.to_string())
        })?;
        let source = copy.source();
        if !sources.insert(source) {
            return Err(ScrubError::Format(
                file.to_owned(),
                format!("a second copy of {source}: give one copy of each registry"),
            ));
        }
        engine.put_registry(copy);
    }
    Ok(sources)
}

/// Subscribes every client that owns a service (the setup's included) to
/// each copy the engine holds (`--registry`'s and the setup's), all area
/// codes, unless it already subscribes to that
/// source (the setup's own `registry_subscribe`, which may name fewer area
/// codes). A client never goes without a registry the scrub was given: a
/// registry left out would be a silent "not listed".
pub(crate) fn subscribe_everyone(engine: &mut Engine) {
    let sources: BTreeSet<RegistrySource> = engine.registries().map(|copy| copy.source()).collect();
    let clients: BTreeSet<ClientId> = engine.services().map(|(client, _)| client).collect();
    for client in clients {
        for &source in &sources {
            let held = engine
                .subscriptions(client)
                .iter()
                .any(|subscription| subscription.source == source);
            if !held {
                engine.subscribe(client, Subscription::all(source));
            }
        }
    }
}

/// An instant cell: RFC 3339 with an offset (`2026-06-01T00:00:00Z`).
pub(crate) fn instant(text: &str, name: &str) -> Result<dnc_engine::jiff::Timestamp, String> {
    parse_instant(text)
        .map_err(|error| format!("{}: {name} {}: {error}", error.code(), shown(text)))
}

/// Loads `--exemptions` (`client,phone,account,kind,since,until`) into
/// `engine`; returns its bad rows.
pub(crate) fn load_exemptions(
    engine: &mut Engine,
    path: &Path,
    reads: &InputReads,
) -> Result<Vec<BadRow>, ScrubError> {
    let (reader, _, header, _) = open_csv(reads, "--exemptions", path, &EXEMPTIONS.join(","))?;
    let at = EXEMPTIONS
        .iter()
        .map(|name| header.require(path, name))
        .collect::<Result<Vec<usize>, _>>()?;
    load_rows(reader, &header, path, "--exemptions", |record| {
        let text = |i: usize| cell(record, Some(at[i]));
        let client = text(0)?.ok_or("bad_request: client is empty")?;
        let client = ClientId::parse(client).map_err(refused)?;
        let subject = match (text(1)?, text(2)?) {
            (Some(phone), None) => ExemptionSubject::Phone(Phone::parse(phone).map_err(refused)?),
            (None, Some(account)) => {
                ExemptionSubject::Account(Account::parse(account).map_err(refused)?)
            }
            _ => return Err("bad_request: give one of phone and account".to_owned()),
        };
        let kind =
            ExemptionKind::parse(text(3)?.ok_or("bad_request: kind is empty")?).map_err(refused)?;
        let since = instant(text(4)?.ok_or("bad_request: since is empty")?, "since")?;
        let until = text(5)?.map(|until| instant(until, "until")).transpose()?;
        engine
            .add_exemption(client, &subject, Exemption { kind, since, until })
            .map(|_| ())
            .map_err(refused)
    })
}

/// Applies `--setup`'s replay lines to `engine`, in order, as the host (no
/// line may carry `"as"`: the setup is the host's); a line answered with an
/// error is a bad row with its code and message. The files its lines read
/// (a registry copy or list) are recorded in `reads` as their answers
/// describe them, and returned.
pub(crate) fn apply_setup(
    engine: Engine,
    path: &Path,
    reads: &InputReads,
) -> Result<(Engine, Vec<BadRow>, Vec<PathBuf>), ScrubError> {
    let mut files = Vec::new();
    let file = reads
        .open("--setup", path)
        .map_err(|error| ScrubError::Io(path.to_owned(), error))?;
    let mut session = ReplaySession::over(engine);
    let mut bad = Vec::new();
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|error| ScrubError::Io(path.to_owned(), error))?;
        if read == 0 {
            break;
        }
        number += 1;
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        let carries_as = serde_json::from_slice::<Value>(text)
            .ok()
            .is_some_and(|value| value.get("as").is_some());
        if carries_as {
            bad.push(BadRow {
                file: path.to_owned(),
                line: number,
                reason: "bad_request: a setup line is the host's: no \"as\"".to_owned(),
            });
            continue;
        }
        let Some(answer) = session.handle_bytes(text) else {
            continue;
        };
        let answer: Value = serde_json::from_str(&answer).unwrap_or(Value::Null);
        if let Some(Value::Array(read_files)) = answer.get("read") {
            let request: Value = serde_json::from_slice(text).unwrap_or(Value::Null);
            let op = request["op"].as_str().unwrap_or_default();
            for read in read_files {
                reads.add_setup_read(number, op, read);
                if let Some(path) = read["path"].as_str() {
                    files.push(PathBuf::from(path));
                }
            }
        }
        if let Some(error) = answer.get("error") {
            bad.push(BadRow {
                file: path.to_owned(),
                line: number,
                reason: format!(
                    "{}: {}",
                    error["code"].as_str().unwrap_or("error"),
                    error["message"].as_str().unwrap_or("")
                ),
            });
        }
    }
    Ok((session.into_engine(), bad, files))
}
