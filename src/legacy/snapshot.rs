//! What a snapshot keeps of the legacy part (the service directory, the
//! entries, the account flags, the id counter and the modification log),
//! and how a restore puts it back through the same checks as the live
//! operations.

use std::collections::BTreeMap;

use hashbrown::{HashMap, HashSet};

use crate::error::{DncError, invalid_snapshot};
use crate::id_set::AscendingIds;
use crate::legacy::entry::{DncEntry, DncKey, Lifetime, NewEntry};
use crate::legacy::list::{LegacyList, filed_by_client};
use crate::legacy::ordered_ids::{LegacyIds, slot};
use crate::legacy::phone_store::{ClientIdx, PhoneRecord, ServiceIdx};
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
    ///
    /// Entries ascending by id (as every snapshot writes them) are filed in
    /// one pass, their ids appended to the clients' id lists; any other
    /// order goes through the bulk add, with its per-entry id checks.
    pub(crate) fn restore(records: LegacyRecords) -> Result<LegacyList, DncError> {
        let mut list = LegacyList::default();
        list.restore_services(&records.services)?;
        list.reserve_for(&records.account_flags, &records.entries);
        list.restore_flags(&records.account_flags)?;
        if records.entries.is_sorted_by(|a, b| a.id < b.id) {
            let filed = list.plan_ascending(&records.entries)?;
            list.file_planned(records.entries, &filed.ids);
            list.index_ids(&filed.ids)?;
            list.phones.insert_many(&filed.phones);
        } else {
            list.add_unordered(records.entries)?;
        }
        list.restore_log(records.next_id, &records.modified, &records.last_modified)?;
        Ok(list)
    }

    /// Registers the snapshot's services, refusing one under two clients.
    pub(crate) fn restore_services(&mut self, services: &[ServiceRecord]) -> Result<(), DncError> {
        for record in services {
            self.register_service(record.client, record.service)
                .map_err(|error| {
                    invalid_snapshot(format!("service {}: {error}", record.service))
                })?;
        }
        Ok(())
    }

    /// Sizes every client's account and zip maps for what a restore is
    /// about to file (flag records and entries), so that they fill without
    /// regrowing. Counts are upper bounds: an account with a flag and
    /// entries is counted for each.
    pub(crate) fn reserve_for(&mut self, flags: &[FlagRecord], entries: &[DncEntry]) {
        let mut counts: HashMap<ClientId, (usize, usize)> = HashMap::new();
        for record in flags {
            counts.entry(record.client).or_default().0 += 1;
        }
        for entry in entries {
            let count = counts.entry(entry.client).or_default();
            match entry.key {
                DncKey::Account(_) | DncKey::PhoneAccount(..) => count.0 += 1,
                DncKey::Zip(_) => count.1 += 1,
                DncKey::Phone(_) => {}
            }
        }
        for (client, (accounts, zips)) in counts {
            let idx = self.intern_client(client);
            self.indexes[idx as usize].reserve(accounts, zips);
        }
    }

    /// Sets the snapshot's account flags, refusing an account given twice.
    /// Flags go in before the entries: an account keeps the spelling it was
    /// first given, and the flag records carry that spelling.
    pub(crate) fn restore_flags(&mut self, flags: &[FlagRecord]) -> Result<(), DncError> {
        // Snapshots write the records ascending by client and folded
        // account, so strictly ascending records repeat none; any other
        // order is checked against a set.
        fn folded(record: &FlagRecord) -> (ClientId, impl Iterator<Item = u8> + '_) {
            let bytes = record.account.as_str().bytes();
            (record.client, bytes.map(|byte| byte.to_ascii_lowercase()))
        }
        let ascending = flags.windows(2).all(|pair| {
            let ((a_client, a), (b_client, b)) = (folded(&pair[0]), folded(&pair[1]));
            a_client.cmp(&b_client).then_with(|| a.cmp(b)).is_lt()
        });
        let mut seen = HashSet::new();
        for record in flags {
            if !ascending && !seen.insert((record.client, record.account.clone())) {
                return Err(invalid_snapshot(format!(
                    "flags of account {} of client {} given twice",
                    record.account, record.client
                )));
            }
            let update = FlagUpdate {
                do_not_dial: Some(record.flags.do_not_dial),
                do_not_dial_daily: Some(record.flags.do_not_dial_daily),
            };
            self.set_account_flags(record.client, &record.account, update);
        }
        Ok(())
    }

    /// Adds entries in no particular order through the bulk add, which
    /// checks every id against those already held.
    fn add_unordered(&mut self, entries: Vec<DncEntry>) -> Result<(), DncError> {
        let ids: Vec<_> = entries.iter().map(|entry| entry.id).collect();
        let outcome = self.add_many(entries.into_iter().map(|entry| NewEntry {
            id: Some(entry.id),
            client: Some(entry.client),
            service: entry.service,
            key: entry.key,
            lifetime: entry.lifetime,
        }));
        match outcome.refused().first() {
            Some((position, error)) => Err(invalid_snapshot(format!(
                "entry {}: {error}",
                ids[*position]
            ))),
            None => Ok(()),
        }
    }

    /// Checks entries whose ids strictly ascend, refusing an entry of an
    /// unknown or another client's service, and plans their filing: every
    /// entry's id with its client and service indexes (its client interned
    /// here), for the clients' id lists and the filing, and the records of
    /// the phone-only ones for one bulk insert. Nothing is filed yet, so
    /// that the id lists and the phone store can be built on another thread
    /// while [`file_planned`](LegacyList::file_planned) files the rest.
    pub(crate) fn plan_ascending(&mut self, entries: &[DncEntry]) -> Result<Filed, DncError> {
        let phones = entries
            .iter()
            .filter(|entry| matches!(entry.key, DncKey::Phone(_)))
            .count();
        let mut planned = Filed {
            ids: Vec::with_capacity(entries.len()),
            phones: Vec::with_capacity(phones),
        };
        let mut previous = 0;
        for entry in entries {
            let id = entry.id;
            if id.get() <= previous {
                return Err(invalid_snapshot(format!(
                    "entry {id} comes after entry {previous}: entries are out of order or repeated"
                )));
            }
            previous = id.get();
            let client = self
                .scope_of_parts(entry.service, Some(entry.client))
                .map_err(|error| invalid_snapshot(format!("entry {id}: {error}")))?;
            let client_idx = self.intern_client(client);
            let service_idx = entry.service.map(|service| self.services[&service].idx);
            planned.ids.push(IdRef {
                id: id.get(),
                client: client_idx,
                service: service_idx,
                lifetime: entry.lifetime,
            });
            if let DncKey::Phone(phone) = entry.key {
                planned.phones.push(PhoneRecord::new(
                    id,
                    phone,
                    client_idx,
                    service_idx,
                    entry.lifetime,
                ));
            }
        }
        Ok(planned)
    }

    /// Files the entries [`plan_ascending`](LegacyList::plan_ascending)
    /// planned everywhere but in the phone store and the clients' id lists
    /// (which the plan's records and ids build): the non-phone entries, and
    /// the patterns of the phone ones.
    pub(crate) fn file_planned(&mut self, entries: Vec<DncEntry>, ids: &[IdRef]) {
        let mut others = Vec::with_capacity(entries.len());
        for (entry, id) in entries.into_iter().zip(ids) {
            // Ids are below 2^63, so this cannot overflow; `restore_log`
            // then refuses a `next_id` below it.
            self.next_id = self.next_id().max(entry.id.get() + 1);
            if filed_by_client(&entry.key) {
                self.indexes[id.client as usize].insert(&entry);
            }
            if !matches!(entry.key, DncKey::Phone(_)) {
                others.push((entry.id, entry));
            }
        }
        // Ascending ids: the tree is built in bulk (`append` into an empty
        // tree takes the built one whole).
        let mut built: BTreeMap<EntryId, DncEntry> = others.into_iter().collect();
        self.others.append(&mut built);
    }

    /// Builds every client's id lists from the ids of the entries
    /// (ascending, distinct). The lists are built whole, so this replaces
    /// whatever they held.
    pub(crate) fn index_ids(&mut self, ids: &[IdRef]) -> Result<(), DncError> {
        let service_clients = self.phones.service_clients();
        let by_client = client_lists(self.client_ids.len(), ids, &[], |_| 0)?;
        let by_service = service_lists(service_clients.len(), ids, &[]);
        self.legacy = assemble_id_lists(by_client, by_service, service_clients);
        Ok(())
    }

    /// Checks and sets the id counter and puts back the modification log.
    pub(crate) fn restore_log(
        &mut self,
        next_id: u64,
        modified: &[(EntryId, i64)],
        last_modified: &[(ClientId, i64)],
    ) -> Result<(), DncError> {
        if next_id > MAX_ID + 1 {
            return Err(invalid_snapshot(format!(
                "next_id {next_id} is beyond 2^63"
            )));
        }
        if next_id < self.next_id() {
            return Err(invalid_snapshot(format!(
                "next_id {next_id} is not above every entry id (at least {} needed)",
                self.next_id()
            )));
        }
        self.raise_next_id(next_id);
        for (id, at) in modified {
            if self.entry(*id).is_none() {
                return Err(invalid_snapshot(format!(
                    "modification instant of unknown entry {id}"
                )));
            }
            self.legacy_log.modified.insert(*id, *at);
        }
        for (client, at) in last_modified {
            self.legacy_log.touch(*client, *at);
        }
        Ok(())
    }
}

/// What [`LegacyList::plan_ascending`] planned for the id lists and the
/// phone store: every entry's id, and the phone records waiting for their
/// bulk insert, each ascending.
pub(crate) struct Filed {
    pub(crate) ids: Vec<IdRef>,
    pub(crate) phones: Vec<PhoneRecord>,
}

/// An entry id and the id lists it belongs in.
#[derive(Clone, Copy, Debug)]
pub(crate) struct IdRef {
    pub(crate) id: u64,
    pub(crate) client: ClientIdx,
    pub(crate) service: Option<ServiceIdx>,
    pub(crate) lifetime: Lifetime,
}

/// Every client's id lists by lifetime (`clients` of them, by client
/// index), from the ids of the entries `queued` and of the phone records
/// `phones`, each ascending (`client_of` names a record's client),
/// refusing an id found in both.
///
/// `phones` is the bulk (nine in ten entries): the few others wait in
/// one queue per list, and each phone id goes into its lists after the
/// queued ids below it, so every list is filled in ascending order
/// without a merge of everything.
pub(crate) fn client_lists(
    clients: usize,
    queued: &[IdRef],
    phones: &[PhoneRecord],
    client_of: impl Fn(&PhoneRecord) -> ClientIdx,
) -> Result<Vec<[AscendingIds; 2]>, DncError> {
    // An id of the queued entries and of a phone record: one walk
    // over both ascending runs.
    let mut ids = queued.iter().map(|id| id.id).peekable();
    for record in phones {
        let id = record.id().get();
        while ids.next_if(|&queued| queued < id).is_some() {}
        if ids.peek() == Some(&id) {
            return Err(invalid_snapshot(format!("entry {id} given twice")));
        }
    }
    let mut lists = Lists::new(clients);
    for id in queued {
        lists.queue(id.client, slot(id.lifetime), id.id);
    }
    for record in phones {
        lists.push(
            client_of(record),
            slot(record.lifetime()),
            record.id().get(),
        );
    }
    Ok(lists.finish())
}

/// Every service's id lists by lifetime (`services` of them, by service
/// index), as [`client_lists`] builds the clients' (whose walk has checked
/// that no id is in both).
pub(crate) fn service_lists(
    services: usize,
    queued: &[IdRef],
    phones: &[PhoneRecord],
) -> Vec<[AscendingIds; 2]> {
    let mut lists = Lists::new(services);
    for id in queued {
        if let Some(service) = id.service {
            lists.queue(service, slot(id.lifetime), id.id);
        }
    }
    for record in phones {
        if let Some(service) = record.service() {
            lists.push(service, slot(record.lifetime()), record.id().get());
        }
    }
    lists.finish()
}

/// Every client's [`LegacyIds`] from its lists and its services' (by
/// service index; `service_clients` names each one's client).
pub(crate) fn assemble_id_lists(
    by_client: Vec<[AscendingIds; 2]>,
    mut by_service: Vec<[AscendingIds; 2]>,
    service_clients: &[ClientIdx],
) -> Vec<LegacyIds> {
    let mut services_of: Vec<Vec<ServiceIdx>> = vec![Vec::new(); by_client.len()];
    for (service, &client) in service_clients.iter().enumerate() {
        services_of[client as usize].push(service as ServiceIdx);
    }
    by_client
        .into_iter()
        .zip(services_of)
        .map(|(lists, services)| {
            let services = services
                .into_iter()
                .map(|service| (service, std::mem::take(&mut by_service[service as usize])));
            LegacyIds::from_ascending(lists, services)
        })
        .collect()
}

/// Per owner (a client or a service) and lifetime: the id list being built
/// and the queued ids still to go into it.
struct Lists {
    lists: Vec<[AscendingIds; 2]>,
    queues: Vec<[Vec<u64>; 2]>,
    /// How far each queue has gone into its list.
    taken: Vec<[usize; 2]>,
}

impl Lists {
    fn new(owners: usize) -> Lists {
        Lists {
            lists: (0..owners).map(|_| Default::default()).collect(),
            queues: (0..owners).map(|_| Default::default()).collect(),
            taken: vec![[0; 2]; owners],
        }
    }

    fn queue(&mut self, owner: u32, slot: usize, id: u64) {
        self.queues[owner as usize][slot].push(id);
    }

    /// Adds `id` to its list, after the queued ids below it.
    fn push(&mut self, owner: u32, slot: usize, id: u64) {
        let owner = owner as usize;
        let (list, queue) = (&mut self.lists[owner][slot], &self.queues[owner][slot]);
        let taken = &mut self.taken[owner][slot];
        while let Some(&queued) = queue.get(*taken).filter(|&&queued| queued < id) {
            list.push(queued);
            *taken += 1;
        }
        list.push(id);
    }

    /// Every list, with the rest of its queue.
    fn finish(self) -> Vec<[AscendingIds; 2]> {
        let mut lists = self.lists;
        for ((lists, queues), taken) in lists.iter_mut().zip(&self.queues).zip(&self.taken) {
            for slot in 0..2 {
                for &id in &queues[slot][taken[slot]..] {
                    lists[slot].push(id);
                }
            }
        }
        lists
    }
}
