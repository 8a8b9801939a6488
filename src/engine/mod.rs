//! The engine: the service directory, the entries, and the checks.

pub(crate) mod channels;
pub(crate) mod dial;
pub(crate) mod legacy;
pub(crate) mod migration;
pub(crate) mod profiles;
pub(crate) mod scoped;
pub(crate) mod sharing;
#[cfg(feature = "serde")]
pub(crate) mod snapshot;
#[cfg(feature = "serde")]
pub(crate) mod snapshot_integrity;

use std::fmt;

use hashbrown::HashMap;

use crate::dialing::profile_store::ProfileStore;
use crate::dnc_type::PhoneDncType;
use crate::engine::channels::ChannelState;
use crate::engine::legacy::LegacyLog;
use crate::error::DncError;
use crate::legacy::client_index::ClientIndex;
use crate::legacy::entry::{DncEntry, DncKey, NewEntry};
use crate::legacy::ordered_ids::LegacyIds;
use crate::legacy::phone_store::{ClientIdx, PhoneRecord, PhoneStore, ServiceIdx};
use crate::query::Query;
use crate::values::account::Account;
use crate::values::flags::{AccountFlags, FlagUpdate};
use crate::values::ids::{ClientId, EntryId, MAX_ID, ServiceId};
use crate::verdict::{CheckRule, Verdict};

/// Whether a client index files this key: every kind but a literal phone,
/// which only the phone store holds (a wildcard phone is in both, as a
/// pattern for the dial check).
fn filed_by_client(key: &DncKey) -> bool {
    !matches!(key, DncKey::Phone(phone) if !phone.has_wildcard())
}

/// What [`Engine::add_many`] did.
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
        None => EntryId::new(next_id).map_err(|_| DncError::InvalidId {
            kind: "entry",
            value: format!("{next_id} (every id up to 2^63 - 1 has been used)"),
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
struct ServiceSlot {
    client: ClientId,
    client_idx: ClientIdx,
    idx: ServiceIdx,
}

/// The DNC engine: holds every client's services, entries and account flags,
/// and answers [`is_blocked`](Engine::is_blocked) and the
/// [dial check](Engine::dial_check).
///
/// Checks take `&self` and never allocate unless more than four entries
/// apply; changes take `&mut self` and are all-or-nothing: a refused change
/// leaves the engine as it was. To share one engine between threads, put it
/// behind a lock of the host's choosing (`std::sync::RwLock<Engine>`): every
/// public type of the crate is `Send + Sync`.
#[derive(Clone, Default)]
pub struct Engine {
    services: HashMap<ServiceId, ServiceSlot>,
    /// service index → id.
    service_ids: Vec<ServiceId>,
    /// Clients are interned on first use and never forgotten (one small
    /// index each).
    client_idx: HashMap<ClientId, ClientIdx>,
    /// client index → id.
    client_ids: Vec<ClientId>,
    /// client index → its account, pair and zip entries, flags and patterns.
    indexes: Vec<ClientIndex>,
    /// Every phone-only entry (the source of truth for them).
    phones: PhoneStore,
    /// Every other entry (the source of truth for them).
    others: HashMap<EntryId, DncEntry>,
    /// One greater than every entry id ever stored (so removed ids are not
    /// handed out again); `MAX_ID + 1` once the range is used up.
    next_id: u64,
    /// The dialtime, SMS and email lists and their settings.
    pub(crate) channels: ChannelState,
    /// client index → whether its phone DNC type is `DIAL_TIME` (read on
    /// every phone check, so kept beside the other per-client indexes).
    pub(crate) dial_time: Vec<bool>,
    /// client index → its legacy entry ids in order, by lifetime and
    /// service (pages, finds, the nightly clear, the type switch).
    pub(crate) legacy: Vec<LegacyIds>,
    /// The legacy list's modification instants, when changes carried one.
    pub(crate) legacy_log: LegacyLog,
    /// The dialing profiles (SPEC 13).
    pub(crate) profiles: ProfileStore,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("services", &self.services.len())
            .field("clients", &self.client_ids.len())
            .field("phone_entries", &self.phones.len())
            .field("other_entries", &self.others.len())
            .field("next_id", &self.next_id())
            .finish()
    }
}

impl Engine {
    /// An empty engine.
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Makes room for `additional` more phone-only entries, so that a bulk
    /// load does not rehash as it grows. A size the engine cannot hold
    /// (more than 2^30 phone entries) or the allocator cannot give is
    /// [`DncError::CapacityExceeded`], never an abort, so a count read from
    /// a file can be passed as it is; nothing changes then.
    pub fn reserve(&mut self, additional: usize) -> Result<(), DncError> {
        self.phones
            .try_reserve(additional)
            .map_err(|reason| DncError::CapacityExceeded {
                requested: additional,
                reason,
            })
    }

    /// Gives back the memory that removed entries held (tables keep their
    /// size as entries go, so that a list that shrinks and grows again
    /// does not rehash twice). Call it after a large removal, such as a
    /// nightly clear of many DAILY entries; it takes about as long as
    /// rebuilding the phone table.
    pub fn shrink_to_fit(&mut self) {
        self.phones.shrink_to_fit();
        self.others.shrink_to_fit();
        self.legacy_log.shrink_to_fit();
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

    /// Registers `service` as belonging to `client`. Registering the same pair
    /// again does nothing; registering a known service under another client is
    /// [`DncError::ServiceClientMismatch`].
    pub fn register_service(
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

    /// The client that owns `service`, if it is registered.
    pub fn client_of(&self, service: ServiceId) -> Option<ClientId> {
        self.services.get(&service).map(|slot| slot.client)
    }

    /// Every registered `(client, service)` pair, in no particular order.
    pub fn services(&self) -> impl Iterator<Item = (ClientId, ServiceId)> + '_ {
        self.services
            .iter()
            .map(|(service, slot)| (slot.client, *service))
    }

    /// Adds an entry and returns its id.
    ///
    /// With a service, the entry's client is the service's (a given client must
    /// agree); without one, the client is required and the entry applies to
    /// every service of that client. Without an id, the engine assigns one
    /// greater than every id it has stored so far.
    ///
    /// Errors: [`DncError::UnknownService`], [`DncError::ServiceClientMismatch`],
    /// [`DncError::MissingScope`], [`DncError::DuplicateId`], and
    /// [`DncError::InvalidId`] when the assigned id would leave the id range.
    pub fn add(&mut self, new: NewEntry) -> Result<EntryId, DncError> {
        let client = self.scope_of(&new)?;
        self.legacy_list_usable(client)?;
        let id = decide_id(new.id, self.next_id(), |id| self.contains(id))?;
        self.accept(client, id, new, None);
        Ok(id)
    }

    /// Adds many entries, each exactly as [`add`](Engine::add) would in this
    /// order (the reference's bulk create): every valid entry is added, every
    /// refused one changes nothing and is reported with its position. Much
    /// faster than one `add` each for a large load, because the phone entries
    /// are filed in the order of the buckets they land in.
    pub fn add_many(&mut self, entries: impl IntoIterator<Item = NewEntry>) -> AddManyOutcome {
        self.add_many_vetted(entries.into_iter().map(|new| (new, Ok(()))))
    }

    /// [`add_many`](Engine::add_many) of entries a caller has already
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
                    self.legacy_list_usable(client)?;
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
        self.phones.insert_many(records);
        outcome
    }

    /// Takes back what an interrupted [`add_many`](Engine::add_many) filed
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
    fn scope_of(&self, new: &NewEntry) -> Result<ClientId, DncError> {
        match (new.service, new.client) {
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
        // `id <= MAX_ID`, so this cannot overflow.
        self.next_id = self.next_id().max(id.get() + 1);
        let entry = DncEntry {
            id,
            client,
            service: new.service,
            key: new.key,
            lifetime: new.lifetime,
        };
        let service_idx = entry.service.map(|service| self.services[&service].idx);
        self.legacy[client_idx as usize].insert(id.get(), service_idx, entry.lifetime);
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

    /// Removes entry `id` and returns it; [`DncError::NotFound`] if absent,
    /// [`DncError::WrongDncType`] if its client is `DIAL_TIME`.
    pub fn remove(&mut self, id: EntryId) -> Result<DncEntry, DncError> {
        let client = self.entry(id).ok_or(DncError::NotFound { id })?.client;
        self.legacy_list_usable(client)?;
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
    /// refused for a `DIAL_TIME` client (SPEC 8).
    pub(crate) fn legacy_list_usable(&self, client: ClientId) -> Result<(), DncError> {
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

    /// The entry with this id.
    pub fn entry(&self, id: EntryId) -> Option<DncEntry> {
        match self.phones.get(id) {
            Some(record) => Some(self.entry_of(record)),
            None => self.others.get(&id).cloned(),
        }
    }

    /// The phone-only entries of the client at `idx`, ascending by id: its
    /// own ids, each looked up in the phone store.
    pub(crate) fn legacy_phone_entries(
        &self,
        idx: ClientIdx,
    ) -> impl Iterator<Item = DncEntry> + '_ {
        self.legacy[idx as usize]
            .all()
            .filter_map(|id| self.phones.get(EntryId::from_stored(id)))
            .map(|record| self.entry_of(record))
    }

    /// Every entry, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = DncEntry> + '_ {
        let phones = self.phones.records().map(|record| self.entry_of(record));
        phones.chain(self.others.values().cloned())
    }

    /// How many entries are stored.
    pub fn len(&self) -> usize {
        self.phones.len() + self.others.len()
    }

    /// Whether no entry is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The id the next [`add`](Engine::add) without an id would get (one
    /// greater than every id stored so far; `2^63` once the range is used up).
    pub fn next_id(&self) -> u64 {
        self.next_id.max(1)
    }

    /// Sets or clears the Do Not Dial flags of `(client, account)` and returns
    /// the flags now in force. Fields of `update` left `None` are unchanged.
    pub fn set_account_flags(
        &mut self,
        client: ClientId,
        account: &Account,
        update: FlagUpdate,
    ) -> AccountFlags {
        let idx = self.intern_client(client);
        self.indexes[idx as usize].update_flags(account, update)
    }

    /// The flags of `(client, account)`.
    pub fn account_flags(&self, client: ClientId, account: &Account) -> AccountFlags {
        self.client_idx
            .get(&client)
            .map(|&idx| self.indexes[idx as usize].flags(account))
            .unwrap_or_default()
    }

    /// Every `(client, account, flags)` with a flag set, in no particular order.
    pub fn all_account_flags(&self) -> impl Iterator<Item = (ClientId, &Account, AccountFlags)> {
        self.client_ids
            .iter()
            .zip(&self.indexes)
            .flat_map(|(client, index)| {
                index
                    .all_flags()
                    .map(move |(account, flags)| (*client, account, flags))
            })
    }

    /// The nightly clear for one client (`Some`) or all (`None`): removes the
    /// DAILY entries and resets every `doNotDialDaily` flag. Returns how many
    /// entries were removed. PERMANENT entries and `doNotDial` stay.
    ///
    /// Each client's DAILY ids are kept apart, so the clear of one client
    /// costs in proportion to its DAILY entries (and its flagged accounts),
    /// whatever the other clients hold.
    pub fn clear_daily(&mut self, client: Option<ClientId>) -> usize {
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

    /// `isBlocked` (SPEC 2): every stored value compares literally, so a stored
    /// `209*******` blocks only the request `209*******`.
    ///
    /// Errors: [`DncError::UnknownService`], [`DncError::ServiceClientMismatch`]
    /// when `query.client` does not own the service, [`DncError::EmptyRequest`]
    /// when the query names no phone, account or zip.
    #[inline]
    pub fn is_blocked(&self, query: &Query<'_>) -> Result<Verdict, DncError> {
        self.check(query, CheckRule::IsBlocked)
    }

    /// The dial check (SPEC 3): as [`is_blocked`](Engine::is_blocked), except
    /// that a stored phone or account containing `*` is a pattern (`*` matches
    /// any one character, and a final `*` also absorbs the rest). The dialed
    /// phone must be digits only ([`DncError::InvalidPhone`] otherwise).
    #[inline]
    pub fn dial_check(&self, query: &Query<'_>) -> Result<Verdict, DncError> {
        self.check(query, CheckRule::DialCheck)
    }

    /// Checks many queries at once, in order: `verdicts` is cleared and then
    /// holds one answer per query, exactly what [`is_blocked`](Engine::is_blocked)
    /// would give for each. Faster per query than one call each, because the
    /// batch starts the memory lookups of several queries before finishing
    /// any, so their cache misses overlap: the natural shape for scrubbing a
    /// call list.
    pub fn is_blocked_batch(
        &self,
        queries: &[Query<'_>],
        verdicts: &mut Vec<Result<Verdict, DncError>>,
    ) {
        self.check_batch(queries, CheckRule::IsBlocked, verdicts);
    }

    /// [`dial_check`](Engine::dial_check) for many queries at once; see
    /// [`is_blocked_batch`](Engine::is_blocked_batch).
    pub fn dial_check_batch(
        &self,
        queries: &[Query<'_>],
        verdicts: &mut Vec<Result<Verdict, DncError>>,
    ) {
        self.check_batch(queries, CheckRule::DialCheck, verdicts);
    }

    fn check_batch(
        &self,
        queries: &[Query<'_>],
        rule: CheckRule,
        verdicts: &mut Vec<Result<Verdict, DncError>>,
    ) {
        /// Queries whose lookups are in flight together.
        const GROUP: usize = 16;
        verdicts.clear();
        verdicts.reserve(queries.len());
        let mut resolved = [None; GROUP];
        for group in queries.chunks(GROUP) {
            // Stage 1: resolve every service and hash every phone
            // (cache-resident work).
            for (query, resolved) in group.iter().zip(&mut resolved) {
                *resolved = self.services.get(&query.service).map(|slot| {
                    let key_hash = query
                        .phone
                        .map(|phone| self.phones.key_hash(slot.client_idx, phone.packed()));
                    (*slot, key_hash)
                });
            }
            // Stage 2: start every probe. The loop is short and its loads do
            // not depend on one another, so the CPU keeps many in flight.
            let mut warmed = 0;
            for (_, key_hash) in resolved[..group.len()].iter().flatten() {
                if let Some(key_hash) = key_hash {
                    warmed ^= self.phones.warm(*key_hash);
                }
            }
            std::hint::black_box(warmed);
            // Stage 3: finish each check; its data is now in cache.
            for (query, resolved) in group.iter().zip(&resolved) {
                verdicts.push(self.check_resolved(query, rule, *resolved, i64::MIN));
            }
        }
    }

    #[inline]
    fn check(&self, query: &Query<'_>, rule: CheckRule) -> Result<Verdict, DncError> {
        self.check_resolved(query, rule, None, i64::MIN)
    }

    /// The dial check at an instant (for the dial decision): as
    /// [`dial_check`](Engine::dial_check), except that a `DIAL_TIME` client's
    /// dialtime entries that expired by `at_millis` no longer block.
    #[inline]
    pub(crate) fn dial_check_at(
        &self,
        query: &Query<'_>,
        at_millis: i64,
    ) -> Result<Verdict, DncError> {
        self.check_resolved(query, CheckRule::DialCheck, None, at_millis)
    }

    /// A check; `resolved`, when given, is the query's service and the phone
    /// store's hash of its client and phone, already computed by a batch;
    /// `at_millis` the instant for a dialtime list's expirations (`i64::MIN`
    /// for none: every expiring entry still blocks).
    // Inlined so that each public check is compiled for its rule.
    #[inline]
    fn check_resolved(
        &self,
        query: &Query<'_>,
        rule: CheckRule,
        resolved: Option<(ServiceSlot, Option<u64>)>,
        at_millis: i64,
    ) -> Result<Verdict, DncError> {
        if rule == CheckRule::DialCheck {
            if let Some(phone) = query.phone.filter(|phone| phone.has_wildcard()) {
                return Err(DncError::InvalidPhone {
                    value: phone.to_string(),
                    reason: "a dialed phone must be digits only",
                });
            }
        }
        let service = query.service;
        let (slot, key_hash) = match resolved {
            Some(resolved) => resolved,
            None => {
                let slot = *self
                    .services
                    .get(&service)
                    .ok_or(DncError::UnknownService { service })?;
                (slot, None)
            }
        };
        if let Some(given) = query.client.filter(|&given| given != slot.client) {
            return Err(DncError::ServiceClientMismatch {
                service,
                owner: slot.client,
                given,
            });
        }
        if query.phone.is_none() && query.account.is_none() && query.zip.is_none() {
            return Err(DncError::EmptyRequest);
        }
        let mut verdict = Verdict::new(rule);
        let dial_time = self.dial_time[slot.client_idx as usize];
        if let Some(phone) = query.phone {
            if dial_time {
                // SPEC 8: the dialtime list answers this client's phones;
                // without an instant every expiring entry still blocks.
                self.channels
                    .dialtime_phone(slot.client, service, phone, at_millis, &mut verdict);
            } else {
                let key_hash = key_hash
                    .unwrap_or_else(|| self.phones.key_hash(slot.client_idx, phone.packed()));
                self.phones
                    .collect(slot.client_idx, slot.idx, phone, key_hash, &mut verdict);
            }
        }
        // A literal check of a phone alone is the phone store's: skip the
        // client's other indexes (fewer instructions per check lets the CPU
        // overlap more checks' memory reads).
        if query.account.is_some() || query.zip.is_some() || rule == CheckRule::DialCheck {
            self.indexes[slot.client_idx as usize].check(query, rule, !dial_time, &mut verdict);
        }
        Ok(verdict.finish())
    }

    /// Checks the engine's internal invariants: every client index equals one
    /// rebuilt from the entries, every entry's service belongs to its client,
    /// no id reaches `next_id`, no empty index is kept. For tests and fuzzing.
    #[doc(hidden)]
    pub fn validate(&self) -> Result<(), String> {
        self.phones.validate()?;
        self.profiles.validate()?;
        self.validate_channels()?;
        self.validate_legacy_list()?;
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
