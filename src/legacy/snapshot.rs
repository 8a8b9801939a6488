//! What a snapshot keeps of the legacy part (the service directory, the
//! entries, the account flags, the id counter and the modification log),
//! and how a restore puts it back through the same checks as the live
//! operations.

use hashbrown::HashSet;

use crate::error::{DncError, invalid_snapshot};
use crate::legacy::entry::{DncEntry, NewEntry};
use crate::legacy::list::LegacyList;
use crate::values::account::Account;
use crate::values::flags::{AccountFlags, FlagUpdate};
use crate::values::ids::{ClientId, EntryId, MAX_ID, ServiceId};

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

/// The legacy part's sections of a [`Snapshot`](crate::Snapshot), each
/// sorted so that equal lists give equal records.
pub(crate) struct LegacyRecords {
    pub(crate) services: Vec<ServiceRecord>,
    pub(crate) entries: Vec<DncEntry>,
    pub(crate) account_flags: Vec<FlagRecord>,
    pub(crate) next_id: u64,
    /// Entries' modification instants, epoch milliseconds.
    pub(crate) modified: Vec<(EntryId, i64)>,
    /// Each client's last change, epoch milliseconds.
    pub(crate) last_modified: Vec<(ClientId, i64)>,
}

impl LegacyList {
    /// The legacy part's sections of a snapshot.
    pub(crate) fn snapshot_records(&self) -> LegacyRecords {
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
        let (modified, last_modified) = self.legacy_log.records();
        LegacyRecords {
            services,
            entries,
            account_flags,
            next_id: self.next_id(),
            modified,
            last_modified,
        }
    }

    /// Rebuilds the legacy part from its records, refusing (with the reason)
    /// anything a live list could not hold: a service under two clients, an
    /// entry whose service is unknown or another client's, a repeated entry
    /// id or flag record, a `next_id` not above every entry id or beyond
    /// `2^63`, an instant of an unknown entry.
    pub(crate) fn restore(records: LegacyRecords) -> Result<LegacyList, DncError> {
        let mut list = LegacyList::default();
        for record in &records.services {
            list.register_service(record.client, record.service)
                .map_err(|error| {
                    invalid_snapshot(format!("service {}: {error}", record.service))
                })?;
        }
        // Flags first: an account keeps the spelling it was first given,
        // and the flag records carry that spelling.
        let mut seen = HashSet::new();
        for record in &records.account_flags {
            if !seen.insert((record.client, record.account.clone())) {
                return Err(invalid_snapshot(format!(
                    "flags of account {} of client {} given twice",
                    record.account, record.client
                )));
            }
            let update = FlagUpdate {
                do_not_dial: Some(record.flags.do_not_dial),
                do_not_dial_daily: Some(record.flags.do_not_dial_daily),
            };
            list.set_account_flags(record.client, &record.account, update);
        }
        let ids: Vec<_> = records.entries.iter().map(|entry| entry.id).collect();
        let outcome = list.add_many(records.entries.into_iter().map(|entry| NewEntry {
            id: Some(entry.id),
            client: Some(entry.client),
            service: entry.service,
            key: entry.key,
            lifetime: entry.lifetime,
        }));
        if let Some((position, error)) = outcome.refused().first() {
            return Err(invalid_snapshot(format!(
                "entry {}: {error}",
                ids[*position]
            )));
        }
        let next_id = records.next_id;
        if next_id > MAX_ID + 1 {
            return Err(invalid_snapshot(format!(
                "next_id {next_id} is beyond 2^63"
            )));
        }
        if next_id < list.next_id() {
            return Err(invalid_snapshot(format!(
                "next_id {next_id} is not above every entry id (at least {} needed)",
                list.next_id()
            )));
        }
        list.raise_next_id(next_id);
        for (id, at) in &records.modified {
            if list.entry(*id).is_none() {
                return Err(invalid_snapshot(format!(
                    "modification instant of unknown entry {id}"
                )));
            }
            list.legacy_log.modified.insert(*id, *at);
        }
        for (client, at) in &records.last_modified {
            list.legacy_log.touch(*client, *at);
        }
        Ok(list)
    }
}
