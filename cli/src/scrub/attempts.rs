//! `--attempts`: the contact attempts the caps count, one a row
//! (`service,phone,at,outcome` and optionally `channel,person,debts,consent`;
//! `debts` separated by `;`). Every fault is a bad row with its file and
//! line, as for the lists.

use std::path::Path;

use dnc_engine::attempts::{ContactKey, NewAttempt, Outcome};
use dnc_engine::{DialChannel, Engine, Phone, ServiceId};

use super::csv::{cell, load_rows, open_csv};
use super::inputs::InputReads;
use super::lists::refused;
use super::setup::instant;
use super::{BadRow, ScrubError};

/// The columns every `--attempts` file has.
const REQUIRED: &[&str] = &["service", "phone", "at", "outcome"];
/// The columns it may have.
const OPTIONAL: &[&str] = &["channel", "person", "debts", "consent"];

/// Records every attempt of `path` in `engine`; returns the bad rows.
pub(crate) fn load_attempts(
    engine: &mut Engine,
    path: &Path,
    reads: &InputReads,
) -> Result<Vec<BadRow>, ScrubError> {
    let (reader, _, header, _) = open_csv(reads, "--attempts", path, &REQUIRED.join(","))?;
    let required = REQUIRED
        .iter()
        .map(|name| header.require(path, name))
        .collect::<Result<Vec<usize>, _>>()?;
    let optional = OPTIONAL
        .iter()
        .map(|name| header.find(path, name))
        .collect::<Result<Vec<Option<usize>>, _>>()?;
    load_rows(reader, &header, path, "--attempts", |record| {
        let need = |i: usize, name: &str| {
            cell(record, Some(required[i]))?.ok_or(format!("bad_request: {name} is empty"))
        };
        let may = |i: usize| cell(record, optional[i]);
        let attempt = NewAttempt {
            service: ServiceId::parse(need(0, "service")?).map_err(refused)?,
            phone: Phone::parse(need(1, "phone")?).map_err(refused)?,
            at: instant(need(2, "at")?, "at")?,
            outcome: Outcome::parse(need(3, "outcome")?).map_err(refused)?,
            channel: may(0)?
                .map(DialChannel::parse)
                .transpose()
                .map_err(refused)?
                .unwrap_or_default(),
            person: may(1)?
                .map(|person| ContactKey::parse("person", person))
                .transpose()
                .map_err(refused)?,
            debts: may(2)?
                .map(|debts| {
                    debts
                        .split(';')
                        .map(|debt| ContactKey::parse("debt", debt.trim()))
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()
                .map_err(refused)?
                .unwrap_or_default(),
            consent: may(3)?
                .map(|consent| instant(consent, "consent"))
                .transpose()?,
        };
        engine.record_attempt(&attempt).map_err(refused)
    })
}
