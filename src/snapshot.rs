//! Snapshot and restore of a whole engine (the `serde` feature).

use hashbrown::HashSet;

use crate::account::Account;
use crate::engine::Engine;
use crate::entry::{DncEntry, NewEntry};
use crate::error::DncError;
use crate::flags::{AccountFlags, FlagUpdate};
use crate::ids::{ClientId, MAX_ID, ServiceId};

/// Everything an [`Engine`] holds, in a plain form for any serde format.
///
/// [`Engine::snapshot`] makes one (sorted, so equal engines give equal
/// snapshots); [`Engine::restore`] rebuilds the engine through the same
/// checks as the live operations, so a corrupted or hostile snapshot is an
/// error, never a panic or an engine that breaks its rules. Values (phones,
/// accounts, zips, ids) are validated as they are deserialized.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    /// The service directory.
    pub services: Vec<ServiceRecord>,
    /// Every entry.
    pub entries: Vec<DncEntry>,
    /// Every account with a flag set.
    pub account_flags: Vec<FlagRecord>,
    /// The id the next add without an id gets (one greater than every id ever
    /// stored; at most `2^63`).
    pub next_id: u64,
}

/// A registered service and its client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServiceRecord {
    /// The owner.
    pub client: ClientId,
    /// The service.
    pub service: ServiceId,
}

/// The flags of one account.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FlagRecord {
    /// The client.
    pub client: ClientId,
    /// The account, as first spelled.
    pub account: Account,
    /// Its flags.
    pub flags: AccountFlags,
}

fn invalid(reason: String) -> DncError {
    DncError::InvalidSnapshot { reason }
}

impl Engine {
    /// A snapshot of everything the engine holds.
    pub fn snapshot(&self) -> Snapshot {
        let mut services: Vec<ServiceRecord> = self
            .services()
            .map(|(client, service)| ServiceRecord { client, service })
            .collect();
        services.sort_by_key(|record| record.service);
        let mut entries: Vec<DncEntry> = self.entries().collect();
        entries.sort_by_key(|entry| entry.id);
        let mut account_flags: Vec<FlagRecord> = self
            .all_account_flags()
            .map(|(client, account, flags)| FlagRecord {
                client,
                account: account.clone(),
                flags,
            })
            .collect();
        account_flags.sort_by(|a, b| {
            (a.client, a.account.as_str().to_ascii_lowercase())
                .cmp(&(b.client, b.account.as_str().to_ascii_lowercase()))
        });
        Snapshot {
            services,
            entries,
            account_flags,
            next_id: self.next_id(),
        }
    }

    /// Rebuilds an engine from a snapshot, refusing with
    /// [`DncError::InvalidSnapshot`] anything a live engine could not hold: a
    /// service under two clients, an entry whose service is unknown or belongs
    /// to another client, a repeated entry id or flag record, a `next_id` that
    /// is not above every entry id or beyond `2^63`.
    pub fn restore(snapshot: Snapshot) -> Result<Engine, DncError> {
        let mut engine = Engine::new();
        for record in &snapshot.services {
            engine
                .register_service(record.client, record.service)
                .map_err(|error| invalid(format!("service {}: {error}", record.service)))?;
        }
        let ids: Vec<_> = snapshot.entries.iter().map(|entry| entry.id).collect();
        let outcome = engine.add_many(snapshot.entries.into_iter().map(|entry| NewEntry {
            id: Some(entry.id),
            client: Some(entry.client),
            service: entry.service,
            key: entry.key,
            lifetime: entry.lifetime,
        }));
        if let Some((position, error)) = outcome.refused().first() {
            return Err(invalid(format!("entry {}: {error}", ids[*position])));
        }
        let mut seen = HashSet::new();
        for record in &snapshot.account_flags {
            if !seen.insert((record.client, record.account.clone())) {
                return Err(invalid(format!(
                    "flags of account {} of client {} given twice",
                    record.account, record.client
                )));
            }
            let update = FlagUpdate {
                do_not_dial: Some(record.flags.do_not_dial),
                do_not_dial_daily: Some(record.flags.do_not_dial_daily),
            };
            engine.set_account_flags(record.client, &record.account, update);
        }
        if snapshot.next_id > MAX_ID + 1 {
            return Err(invalid(format!(
                "next_id {} is beyond 2^63",
                snapshot.next_id
            )));
        }
        if snapshot.next_id < engine.next_id() {
            return Err(invalid(format!(
                "next_id {} is not above every entry id (at least {} needed)",
                snapshot.next_id,
                engine.next_id()
            )));
        }
        engine.raise_next_id(snapshot.next_id);
        Ok(engine)
    }
}
