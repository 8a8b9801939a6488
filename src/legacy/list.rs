//! The legacy list's private engine: the service directory, the entries
//! (phone, account, pair, zip; PERMANENT or DAILY; service- or client-wide),
//! the account flags and the indexes that answer the checks. Adds are
//! all-or-nothing; a bulk add files its phones in bucket order.

use std::collections::BTreeMap;
use std::fmt;

use hashbrown::HashMap;

use crate::dnc_type::PhoneDncType;
use crate::error::DncError;
use crate::legacy::client_index::ClientIndex;
use crate::legacy::entry::{DncEntry, DncKey, Lifetime, NewEntry};
use crate::legacy::log::LegacyLog;
use crate::legacy::ordered_ids::LegacyIds;
use crate::legacy::phone_store::{ClientIdx, PhoneRecord, PhoneStore, ServiceIdx};
use crate::values::account::Account;
use crate::values::flags::{AccountFlags, FlagUpdate};
use crate::values::ids::{ClientId, EntryId, MAX_ID, ServiceId};
use crate::values::phone::Phone;

/// Whether a client index files this key: every kind but a literal phone,
/// which only the phone store holds (a wildcard phone is in both, as a
/// pattern for the dial check).
pub(super) fn filed_by_client(key: &DncKey) -> bool {
    !matches!(key, DncKey::Phone(phone) if !phone.has_wildcard())
}

/// What [`Engine::add_many`](crate::Engine::add_many) did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddManyOutcome {
    /// For every entry, in input order: its id if it was added, `None` if
    /// it was refused.
    ids: Vec<Option<EntryId>>,
    /// Every refused entry: its position (0-based) and why, in order.
    refused: Vec<(usize, DncError)>,
}

impl AddManyOutcome {
    /// For every entry, in input order: its id if it was added, `None` if it
    /// was refused.
    pub fn ids(&self) -> &[Option<EntryId>] {
        &self.ids
    }

    /// Every refused entry: its position (0-based) and why, in order.
    pub fn refused(&self) -> &[(usize, DncError)] {
        &self.refused
    }

    /// The refusals, taken out of the outcome.
    pub fn into_refused(self) -> Vec<(usize, DncError)> {
        self.refused
    }

    /// The outcome as one result per entry, as `add` would have answered.
    pub fn results(&self) -> Vec<Result<EntryId, DncError>> {
        let mut refused = self.refused.iter().map(|(_, error)| error);
        self.ids
            .iter()
            .map(|id| match id {
                Some(id) => Ok(*id),
                // `add_many` records one refusal for every missing id.
                None => Err(refused.next().cloned().unwrap_or(DncError::EmptyRequest)),
            })
            .collect()
    }
}

/// The id an entry gets: the one given, unless `taken`; else `next_id`,
/// unless that has left the id range.
fn decide_id(
    given: Option<EntryId>,
    next_id: u64,
    taken: impl Fn(EntryId) -> bool,
) -> Result<EntryId, DncError> {
    match given {
        Some(id) if taken(id) => Err(DncError::DuplicateId { id }),
        Some(id) => Ok(id),
        None => EntryId::new(next_id).map_err(|_| DncError::IdsExhausted {
            kind: "entry",
            next: next_id,
        }),
    }
}

/// What [`Engine::add_many`] needs to take back its work when the caller's
/// iterator panics.
struct Undo {
    next_id: u64,
    /// Entries filed in `others`, their client index and the legacy ids.
    others: Vec<EntryId>,
    /// Wildcard phones filed in their client index (their records were
    /// still waiting for the phone store).
    patterns: Vec<DncEntry>,
}

/// A registered service: its owner and the dense indexes the stores use.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ServiceSlot {
    pub(super) client: ClientId,
    pub(super) client_idx: ClientIdx,
    pub(super) idx: ServiceIdx,
}

/// The legacy list's private engine: every client's services, entries and
/// account flags, their indexes, and whether the client's phone checks are
/// the dialtime list's instead. The facade (`Engine`) delegates to it.
#[derive(Clone, Default)]
pub(crate) struct LegacyList {
    pub(super) services: HashMap<ServiceId, ServiceSlot>,
    /// service index → id.
    pub(super) service_ids: Vec<ServiceId>,
    /// Clients are interned on first use and never forgotten (one small
    /// index each).
    pub(super) client_idx: HashMap<ClientId, ClientIdx>,
    /// client index → id.
    pub(super) client_ids: Vec<ClientId>,
    /// client index → its account, pair and zip entries, flags and patterns.
    pub(super) indexes: Vec<ClientIndex>,
    /// Every phone-only entry (the source of truth for them).
    pub(super) phones: PhoneStore,
    /// Every other entry (the source of truth for them), by id. A B-tree
    /// rather than a hash map: a restore's entries come ascending, and it
    /// builds the tree from them in one pass of sequential writes (a hash
    /// map takes one cache miss an entry, into a table half again as
    /// large); no check reads it, only lookups by id (pages, removals).
    pub(super) others: BTreeMap<EntryId, DncEntry>,
    /// One greater than every entry id ever stored (so removed ids are not
    /// handed out again); `MAX_ID + 1` once the range is used up.
    pub(super) next_id: u64,
    /// client index → whether its phone DNC type is `DIAL_TIME` (read on
    /// every phone check, so kept beside the other per-client indexes).
    pub(super) dial_time: Vec<bool>,
    /// client index → its legacy entry ids in order, by lifetime and
    /// service (pages, finds, the nightly clear, the type switch).
    pub(super) legacy: Vec<LegacyIds>,
    /// The legacy list's modification instants, when changes carried one.
    pub(super) legacy_log: LegacyLog,
}

impl fmt::Debug for LegacyList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.debug_counts(&mut f.debug_struct("LegacyList"))
            .finish()
    }
}

impl LegacyList {
    /// Its sizes, as the engine's `Debug` shows them.
    pub(crate) fn debug_counts<'a, 'b: 'a, 'c>(
        &self,
        debug: &'a mut fmt::DebugStruct<'b, 'c>,
    ) -> &'a mut fmt::DebugStruct<'b, 'c> {
        debug
            .field("services", &self.services.len())
            .field("clients", &self.client_ids.len())
            .field("phone_entries", &self.phones.len())
            .field("other_entries", &self.others.len())
            .field("next_id", &self.next_id())
    }

    /// See `Engine::reserve`.
    pub(crate) fn reserve(&mut self, additional: usize) -> Result<(), DncError> {
        self.phones
            .try_reserve(additional)
            .map_err(|reason| DncError::CapacityExceeded {
                requested: additional,
                reason,
            })
    }

    /// See `Engine::shrink_to_fit`.
    pub(crate) fn shrink_to_fit(&mut self) {
        // The B-tree of other entries keeps no spare room.
        self.phones.shrink_to_fit();
        self.legacy_log.shrink_to_fit();
    }

    /// How many clients are interned.
    #[cfg(feature = "image")]
    pub(crate) fn client_count(&self) -> usize {
        self.client_ids.len()
    }

    /// The dense index of `client`, interning it on first use.
    pub(crate) fn intern_client(&mut self, client: ClientId) -> ClientIdx {
        if let Some(&idx) = self.client_idx.get(&client) {
            return idx;
        }
        let idx = self.client_ids.len() as ClientIdx;
        self.client_idx.insert(client, idx);
        self.client_ids.push(client);
        self.indexes.push(ClientIndex::default());
        self.dial_time.push(false);
        self.legacy.push(LegacyIds::default());
        idx
    }

    /// See `Engine::register_service`.
    pub(crate) fn register_service(
        &mut self,
        client: ClientId,
        service: ServiceId,
    ) -> Result<(), DncError> {
        match self.services.get(&service) {
            Some(slot) if slot.client != client => Err(DncError::ServiceClientMismatch {
                service,
                owner: slot.client,
                given: client,
            }),
            Some(_) => Ok(()),
            None => {
                let client_idx = self.intern_client(client);
                let idx = self.service_ids.len() as ServiceIdx;
                self.service_ids.push(service);
                self.phones.register_service(idx, client_idx);
                let slot = ServiceSlot {
                    client,
                    client_idx,
                    idx,
                };
                self.services.insert(service, slot);
                Ok(())
            }
        }
    }

    /// See `Engine::client_of`.
    pub(crate) fn client_of(&self, service: ServiceId) -> Option<ClientId> {
        self.services.get(&service).map(|slot| slot.client)
    }

    /// See `Engine::services`.
    pub(crate) fn services(&self) -> impl Iterator<Item = (ClientId, ServiceId)> + '_ {
        self.services
            .iter()
            .map(|(service, slot)| (slot.client, *service))
    }

    /// See `Engine::add`.
    pub(crate) fn add(&mut self, new: NewEntry) -> Result<EntryId, DncError> {
        let client = self.scope_of(&new)?;
        self.usable(client)?;
        let id = decide_id(new.id, self.next_id(), |id| self.contains(id))?;
        self.accept(client, id, new, None);
        Ok(id)
    }

    /// See `Engine::add_many`.
    pub(crate) fn add_many(
        &mut self,
        entries: impl IntoIterator<Item = NewEntry>,
    ) -> AddManyOutcome {
        self.add_many_vetted(entries.into_iter().map(|new| (new, Ok(()))))
    }

    /// [`add_many`](LegacyList::add_many) of entries a caller has already
    /// vetted: an entry paired with an error is refused with it, at its
    /// position, like any entry the engine refuses.
    pub(crate) fn add_many_vetted(
        &mut self,
        entries: impl IntoIterator<Item = (NewEntry, Result<(), DncError>)>,
    ) -> AddManyOutcome {
        let mut entries = entries.into_iter();
        let mut outcome = AddManyOutcome {
            ids: Vec::with_capacity(entries.size_hint().0),
            refused: Vec::new(),
        };
        // The caller's iterator may panic (a CSV loader failing on a bad
        // row): everything filed so far is then taken back before the
        // panic goes on, so the engine is as it was (issue 10 §6).
        let mut undo = Undo {
            next_id: self.next_id,
            others: Vec::new(),
            patterns: Vec::new(),
        };
        // Phone records wait for one sorted insert; the ids they take are
        // remembered so later entries see them as taken. Assigned ids only
        // grow, so they stay sorted for a binary search.
        let mut records = Vec::new();
        let mut assigned_pending: Vec<EntryId> = Vec::new();
        let mut explicit_pending = hashbrown::HashSet::new();
        for position in 0.. {
            let next = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| entries.next()));
            let (new, vetted) = match next {
                Ok(Some(item)) => item,
                Ok(None) => break,
                Err(panic) => {
                    self.undo(undo, &records);
                    std::panic::resume_unwind(panic);
                }
            };
            let decision = vetted
                .and_then(|()| self.scope_of(&new))
                .and_then(|client| {
                    self.usable(client)?;
                    let taken = |id| {
                        self.contains(id)
                            || explicit_pending.contains(&id)
                            || assigned_pending.binary_search(&id).is_ok()
                    };
                    Ok((client, decide_id(new.id, self.next_id(), taken)?))
                });
            let (client, id) = match decision {
                Ok(accepted) => accepted,
                Err(error) => {
                    outcome.ids.push(None);
                    outcome.refused.push((position, error));
                    continue;
                }
            };
            if matches!(new.key, DncKey::Phone(_)) {
                if new.id.is_some() {
                    explicit_pending.insert(id);
                } else {
                    assigned_pending.push(id);
                }
            }
            match &new.key {
                DncKey::Phone(phone) if phone.has_wildcard() => undo.patterns.push(DncEntry {
                    id,
                    client,
                    service: new.service,
                    key: new.key.clone(),
                    lifetime: new.lifetime,
                }),
                DncKey::Phone(_) => {}
                _ => undo.others.push(id),
            }
            self.accept(client, id, new, Some(&mut records));
            outcome.ids.push(Some(id));
        }
        self.phones.insert_many(&records);
        outcome
    }

    /// Takes back what an interrupted [`add_many`](LegacyList::add_many) filed
    /// in the client indexes and legacy ids (its phone records, `records`,
    /// were never inserted). Clients interned meanwhile stay interned, with
    /// nothing.
    fn undo(&mut self, undo: Undo, records: &[PhoneRecord]) {
        let others = undo.others.iter().filter_map(|id| self.others.remove(id));
        let others: Vec<DncEntry> = others.collect();
        for entry in others.iter().chain(&undo.patterns) {
            self.indexes[self.client_idx[&entry.client] as usize].remove(entry);
        }
        for entry in &others {
            self.forget_legacy_id(entry);
        }
        for record in records {
            let client = self.phones.client_of(record) as usize;
            self.legacy[client].remove(record.id().get(), record.service(), record.lifetime());
        }
        self.next_id = undo.next_id;
    }

    /// Takes `entry` out of its client's legacy ids.
    fn forget_legacy_id(&mut self, entry: &DncEntry) {
        let idx = self.client_idx[&entry.client] as usize;
        let service = entry.service.map(|service| self.services[&service].idx);
        self.legacy[idx].remove(entry.id.get(), service, entry.lifetime);
    }

    /// The client an entry to add belongs to, or why it cannot be added.
    pub(super) fn scope_of(&self, new: &NewEntry) -> Result<ClientId, DncError> {
        self.scope_of_parts(new.service, new.client)
    }

    /// [`scope_of`](Self::scope_of) an entry of `service` (if scoped to one)
    /// given as `client`'s.
    pub(super) fn scope_of_parts(
        &self,
        service: Option<ServiceId>,
        client: Option<ClientId>,
    ) -> Result<ClientId, DncError> {
        match (service, client) {
            (Some(service), given) => {
                let owner = self
                    .client_of(service)
                    .ok_or(DncError::UnknownService { service })?;
                match given {
                    Some(given) if given != owner => Err(DncError::ServiceClientMismatch {
                        service,
                        owner,
                        given,
                    }),
                    _ => Ok(owner),
                }
            }
            (None, Some(client)) => Ok(client),
            (None, None) => Err(DncError::MissingScope),
        }
    }

    /// Stores an entry that was decided to be added as `id` for `client`:
    /// a phone-only one in the phone store (or in `phone_batch`, for a bulk
    /// insert), every other kind in its client's index.
    fn accept(
        &mut self,
        client: ClientId,
        id: EntryId,
        new: NewEntry,
        phone_batch: Option<&mut Vec<PhoneRecord>>,
    ) {
        let client_idx = self.intern_client(client);
        let service_idx = new.service.map(|service| self.services[&service].idx);
        self.legacy[client_idx as usize].insert(id.get(), service_idx, new.lifetime);
        self.file(client, client_idx, service_idx, id, new, phone_batch);
    }

    /// Files an accepted entry everywhere but in its client's legacy ids
    /// (which a restore builds in one ascending pass): a phone-only one in
    /// the phone store (or in `phone_batch`), every other kind in its
    /// client's index.
    pub(super) fn file(
        &mut self,
        client: ClientId,
        client_idx: ClientIdx,
        service_idx: Option<ServiceIdx>,
        id: EntryId,
        new: NewEntry,
        phone_batch: Option<&mut Vec<PhoneRecord>>,
    ) {
        // `id <= MAX_ID`, so this cannot overflow.
        self.next_id = self.next_id().max(id.get() + 1);
        let entry = DncEntry {
            id,
            client,
            service: new.service,
            key: new.key,
            lifetime: new.lifetime,
        };
        if let DncKey::Phone(phone) = entry.key {
            let record = PhoneRecord::new(entry.id, phone, client_idx, service_idx, entry.lifetime);
            match phone_batch {
                Some(batch) => batch.push(record),
                None => self.phones.insert(record),
            }
            if filed_by_client(&entry.key) {
                self.indexes[client_idx as usize].insert(&entry);
            }
        } else {
            self.indexes[client_idx as usize].insert(&entry);
            self.others.insert(entry.id, entry);
        }
    }

    /// See `Engine::remove`.
    pub(crate) fn remove(&mut self, id: EntryId) -> Result<DncEntry, DncError> {
        let client = self.entry(id).ok_or(DncError::NotFound { id })?.client;
        self.usable(client)?;
        let entry = if let Some(record) = self.phones.remove(id) {
            self.entry_of(&record)
        } else {
            self.others.remove(&id).ok_or(DncError::NotFound { id })?
        };
        let idx = self.client_idx[&entry.client];
        if filed_by_client(&entry.key) {
            self.indexes[idx as usize].remove(&entry);
        }
        self.forget_legacy_id(&entry);
        self.legacy_log.forget(entry.id);
        Ok(entry)
    }

    /// Legacy list management (adds, removes, reads, pages, info) is
    /// refused for a `DIAL_TIME` client.
    pub(crate) fn usable(&self, client: ClientId) -> Result<(), DncError> {
        if self.is_dial_time(client) {
            return Err(DncError::WrongDncType {
                client,
                active: PhoneDncType::DialTime,
            });
        }
        Ok(())
    }

    /// The dense index of `service`, if it is registered to `client`.
    pub(crate) fn service_idx_of(
        &self,
        client: ClientId,
        service: ServiceId,
    ) -> Option<ServiceIdx> {
        self.services
            .get(&service)
            .filter(|slot| slot.client == client)
            .map(|slot| slot.idx)
    }

    /// The dense index of `client`, if it was ever used.
    pub(crate) fn client_idx_of(&self, client: ClientId) -> Option<ClientIdx> {
        self.client_idx.get(&client).copied()
    }

    /// Whether `client`'s phone DNC type is `DIAL_TIME`.
    pub(crate) fn is_dial_time(&self, client: ClientId) -> bool {
        self.client_idx
            .get(&client)
            .is_some_and(|&idx| self.dial_time[idx as usize])
    }

    fn contains(&self, id: EntryId) -> bool {
        self.others.contains_key(&id) || self.phones.get(id).is_some()
    }

    /// The entry a phone record stands for.
    fn entry_of(&self, record: &PhoneRecord) -> DncEntry {
        DncEntry {
            id: record.id(),
            client: self.client_ids[self.phones.client_of(record) as usize],
            service: record.service().map(|idx| self.service_ids[idx as usize]),
            key: DncKey::Phone(record.phone()),
            lifetime: record.lifetime(),
        }
    }

    /// See `Engine::entry`.
    pub(crate) fn entry(&self, id: EntryId) -> Option<DncEntry> {
        match self.phones.get(id) {
            Some(record) => Some(self.entry_of(record)),
            None => self.others.get(&id).cloned(),
        }
    }

    /// The phone-only entries of `client`, ascending by id, as (id, phone,
    /// whether it is DAILY): its own ids, each looked up in the phone store.
    pub(crate) fn client_phones(
        &self,
        client: ClientId,
    ) -> impl Iterator<Item = (EntryId, Phone, bool)> + '_ {
        let ids = self
            .client_idx
            .get(&client)
            .map(|&idx| self.legacy[idx as usize].all());
        ids.into_iter()
            .flatten()
            .filter_map(|id| self.phones.get(EntryId::from_stored(id)))
            .map(|record| {
                (
                    record.id(),
                    record.phone(),
                    record.lifetime() == Lifetime::Daily,
                )
            })
    }

    /// Sets whether `client`'s phone checks are the dialtime list's (its
    /// phone DNC type is `DIAL_TIME`): the legacy list then answers none of
    /// its phones and refuses its management.
    pub(crate) fn set_dial_time(&mut self, client: ClientId, dial_time: bool) {
        let idx = self.intern_client(client);
        self.dial_time[idx as usize] = dial_time;
    }

    /// See `Engine::entries`.
    pub(crate) fn entries(&self) -> impl Iterator<Item = DncEntry> + '_ {
        let phones = self.phones.records().map(|record| self.entry_of(record));
        phones.chain(self.others.values().cloned())
    }

    /// See `Engine::len`.
    pub(crate) fn len(&self) -> usize {
        self.phones.len() + self.others.len()
    }

    /// See `Engine::is_empty`.
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// See `Engine::next_id`.
    pub(crate) fn next_id(&self) -> u64 {
        self.next_id.max(1)
    }

    /// See `Engine::set_account_flags`.
    pub(crate) fn set_account_flags(
        &mut self,
        client: ClientId,
        account: &Account,
        update: FlagUpdate,
    ) -> AccountFlags {
        let idx = self.intern_client(client);
        self.indexes[idx as usize].update_flags(account, update)
    }

    /// See `Engine::account_flags`.
    pub(crate) fn account_flags(&self, client: ClientId, account: &Account) -> AccountFlags {
        self.client_idx
            .get(&client)
            .map(|&idx| self.indexes[idx as usize].flags(account))
            .unwrap_or_default()
    }

    /// See `Engine::all_account_flags`.
    pub(crate) fn all_account_flags(
        &self,
    ) -> impl Iterator<Item = (ClientId, &Account, AccountFlags)> {
        self.client_ids
            .iter()
            .zip(&self.indexes)
            .flat_map(|(client, index)| {
                index
                    .all_flags()
                    .map(move |(account, flags)| (*client, account, flags))
            })
    }

    /// See `Engine::clear_daily`.
    pub(crate) fn clear_daily(&mut self, client: Option<ClientId>) -> usize {
        match client {
            Some(client) => match self.client_idx.get(&client) {
                Some(&idx) => self.clear_daily_of(idx),
                None => 0,
            },
            None => (0..self.client_ids.len() as ClientIdx)
                .map(|idx| self.clear_daily_of(idx))
                .sum(),
        }
    }

    /// The nightly clear of the client at `idx`.
    fn clear_daily_of(&mut self, idx: ClientIdx) -> usize {
        let index = &mut self.indexes[idx as usize];
        index.clear_daily_flags();
        let daily = self.legacy[idx as usize].take_daily();
        for id in daily.iter().map(EntryId::from_stored) {
            let entry = match self.phones.remove(id) {
                // A literal phone lives in the phone store only.
                Some(record) if !record.phone().has_wildcard() => None,
                Some(record) => Some(self.entry_of(&record)),
                None => self.others.remove(&id),
            };
            if let Some(entry) = entry {
                self.indexes[idx as usize].remove(&entry);
            }
            self.legacy_log.forget(id);
        }
        daily.len()
    }

    /// Checks the engine's internal invariants: every client index equals one
    /// rebuilt from the entries, every entry's service belongs to its client,
    /// no id reaches `next_id`, no empty index is kept. For tests and fuzzing.
    pub(crate) fn validate(&self) -> Result<(), String> {
        self.phones.validate()?;
        self.validate_legacy_ids()?;
        if self.client_ids.len() != self.indexes.len()
            || self.client_ids.len() != self.client_idx.len()
        {
            return Err("client interning out of step".to_owned());
        }
        for (idx, client) in self.client_ids.iter().enumerate() {
            if self.client_idx.get(client) != Some(&(idx as ClientIdx)) {
                return Err(format!("client {client} not interned at {idx}"));
            }
        }
        for (service, slot) in &self.services {
            if self.service_ids.get(slot.idx as usize) != Some(service)
                || self.client_ids.get(slot.client_idx as usize) != Some(&slot.client)
            {
                return Err(format!("service {service} interned inconsistently"));
            }
        }
        if self.service_ids.len() != self.services.len() {
            return Err("service interning out of step".to_owned());
        }
        let mut rebuilt: Vec<ClientIndex> = vec![ClientIndex::default(); self.indexes.len()];
        let mut seen = hashbrown::HashSet::new();
        for entry in self.entries() {
            let id = entry.id;
            if !seen.insert(id) {
                return Err(format!("entry id {id} stored twice"));
            }
            if id.get() >= self.next_id() {
                return Err(format!(
                    "entry {id} is not below next_id {}",
                    self.next_id()
                ));
            }
            if let Some(service) = entry.service {
                if self.client_of(service) != Some(entry.client) {
                    return Err(format!(
                        "entry {id} of client {} is scoped to service {service} of {:?}",
                        entry.client,
                        self.client_of(service)
                    ));
                }
            }
            if let Some(other) = self.others.get(&id) {
                if matches!(other.key, DncKey::Phone(_)) || other.id != id {
                    return Err(format!("entry {id} filed with the wrong kind or id"));
                }
            }
            let idx = *self
                .client_idx
                .get(&entry.client)
                .ok_or_else(|| format!("entry {id} of a client never interned"))?;
            let index = &mut rebuilt[idx as usize];
            if filed_by_client(&entry.key) {
                index.insert(&entry);
            }
        }
        for (idx, index) in self.indexes.iter().enumerate() {
            for (account, flags) in index.all_flags() {
                let update = FlagUpdate {
                    do_not_dial: Some(flags.do_not_dial),
                    do_not_dial_daily: Some(flags.do_not_dial_daily),
                };
                rebuilt[idx].update_flags(account, update);
            }
        }
        for (idx, (actual, expected)) in self.indexes.iter().zip(&rebuilt).enumerate() {
            let (actual, expected) = (actual.fingerprint()?, expected.fingerprint()?);
            if actual != expected {
                return Err(format!(
                    "index of client {} differs from its entries:\n  kept {actual:?}\n  expected {expected:?}",
                    self.client_ids[idx]
                ));
            }
        }
        if self.next_id > MAX_ID + 1 {
            return Err(format!("next_id {} out of range", self.next_id));
        }
        Ok(())
    }

    /// Sets `next_id` when restoring a snapshot; the caller checks the range.
    #[cfg(feature = "serde")]
    pub(crate) fn raise_next_id(&mut self, next_id: u64) {
        self.next_id = self.next_id().max(next_id);
    }
}
