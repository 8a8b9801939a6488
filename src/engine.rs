//! The engine: the service directory, the entries, and the checks.

use std::fmt;

use hashbrown::HashMap;

use crate::account::Account;
use crate::client_index::ClientIndex;
use crate::entry::{DncEntry, NewEntry};
use crate::error::DncError;
use crate::flags::{AccountFlags, FlagUpdate};
use crate::ids::{ClientId, EntryId, MAX_ID, ServiceId};
use crate::query::Query;
use crate::verdict::{CheckRule, Verdict};

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
    /// service → owning client.
    services: HashMap<ServiceId, ClientId>,
    /// The source of truth: id → entry. The client indexes derive from it.
    entries: HashMap<EntryId, DncEntry>,
    clients: HashMap<ClientId, ClientIndex>,
    /// One greater than every entry id ever stored (so removed ids are not
    /// handed out again); `MAX_ID + 1` once the range is used up.
    next_id: u64,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("services", &self.services.len())
            .field("entries", &self.entries.len())
            .field("clients", &self.clients.len())
            .field("next_id", &self.next_id())
            .finish()
    }
}

impl Engine {
    /// An empty engine.
    pub fn new() -> Engine {
        Engine::default()
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
            Some(&owner) if owner != client => Err(DncError::ServiceClientMismatch {
                service,
                owner,
                given: client,
            }),
            Some(_) => Ok(()),
            None => {
                self.services.insert(service, client);
                Ok(())
            }
        }
    }

    /// The client that owns `service`, if it is registered.
    pub fn client_of(&self, service: ServiceId) -> Option<ClientId> {
        self.services.get(&service).copied()
    }

    /// Every registered `(client, service)` pair, in no particular order.
    pub fn services(&self) -> impl Iterator<Item = (ClientId, ServiceId)> + '_ {
        self.services
            .iter()
            .map(|(service, client)| (*client, *service))
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
        let client = match (new.service, new.client) {
            (Some(service), given) => {
                let owner = self
                    .client_of(service)
                    .ok_or(DncError::UnknownService { service })?;
                if let Some(given) = given.filter(|&given| given != owner) {
                    return Err(DncError::ServiceClientMismatch {
                        service,
                        owner,
                        given,
                    });
                }
                owner
            }
            (None, Some(client)) => client,
            (None, None) => return Err(DncError::MissingScope),
        };
        let id = match new.id {
            Some(id) if self.entries.contains_key(&id) => {
                return Err(DncError::DuplicateId { id });
            }
            Some(id) => id,
            None => EntryId::new(self.next_id()).map_err(|_| DncError::InvalidId {
                kind: "entry",
                value: format!("{} (every id up to 2^63 - 1 has been used)", self.next_id()),
            })?,
        };
        let entry = DncEntry {
            id,
            client,
            service: new.service,
            key: new.key,
            lifetime: new.lifetime,
        };
        self.clients.entry(client).or_default().insert(&entry);
        self.entries.insert(id, entry);
        // `id <= MAX_ID`, so this cannot overflow.
        self.next_id = self.next_id().max(id.get() + 1);
        Ok(id)
    }

    /// Removes entry `id` and returns it; [`DncError::NotFound`] if absent.
    pub fn remove(&mut self, id: EntryId) -> Result<DncEntry, DncError> {
        let entry = self.entries.remove(&id).ok_or(DncError::NotFound { id })?;
        self.unindex(&entry);
        Ok(entry)
    }

    fn unindex(&mut self, entry: &DncEntry) {
        if let Some(index) = self.clients.get_mut(&entry.client) {
            index.remove(entry);
            if index.is_empty() {
                self.clients.remove(&entry.client);
            }
        }
    }

    /// The entry with this id.
    pub fn entry(&self, id: EntryId) -> Option<&DncEntry> {
        self.entries.get(&id)
    }

    /// Every entry, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = &DncEntry> + '_ {
        self.entries.values()
    }

    /// How many entries are stored.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no entry is stored.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
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
        let index = self.clients.entry(client).or_default();
        let flags = index.update_flags(account, update);
        if index.is_empty() {
            self.clients.remove(&client);
        }
        flags
    }

    /// The flags of `(client, account)`.
    pub fn account_flags(&self, client: ClientId, account: &Account) -> AccountFlags {
        self.clients
            .get(&client)
            .map(|index| index.flags(account))
            .unwrap_or_default()
    }

    /// Every `(client, account, flags)` with a flag set, in no particular order.
    pub fn all_account_flags(&self) -> impl Iterator<Item = (ClientId, &Account, AccountFlags)> {
        self.clients.iter().flat_map(|(client, index)| {
            index
                .all_flags()
                .map(move |(account, flags)| (*client, account, flags))
        })
    }

    /// The nightly clear for one client (`Some`) or all (`None`): removes the
    /// DAILY entries and resets every `doNotDialDaily` flag. Returns how many
    /// entries were removed. PERMANENT entries and `doNotDial` stay.
    pub fn clear_daily(&mut self, client: Option<ClientId>) -> usize {
        let clients: Vec<ClientId> = match client {
            Some(client) => vec![client],
            None => self.clients.keys().copied().collect(),
        };
        let mut removed = 0;
        for client in clients {
            let Some(index) = self.clients.get_mut(&client) else {
                continue;
            };
            index.clear_daily_flags();
            for id in index.daily_ids() {
                if let Some(entry) = self.entries.remove(&id) {
                    index.remove(&entry);
                    removed += 1;
                }
            }
            if index.is_empty() {
                self.clients.remove(&client);
            }
        }
        removed
    }

    /// `isBlocked` (SPEC 2): every stored value compares literally, so a stored
    /// `209*******` blocks only the request `209*******`.
    ///
    /// Errors: [`DncError::UnknownService`], [`DncError::ServiceClientMismatch`]
    /// when `query.client` does not own the service, [`DncError::EmptyRequest`]
    /// when the query names no phone, account or zip.
    pub fn is_blocked(&self, query: &Query<'_>) -> Result<Verdict, DncError> {
        self.check(query, CheckRule::IsBlocked)
    }

    /// The dial check (SPEC 3): as [`is_blocked`](Engine::is_blocked), except
    /// that a stored phone or account containing `*` is a pattern (`*` matches
    /// any one character, and a final `*` also absorbs the rest). The dialed
    /// phone must be digits only ([`DncError::InvalidPhone`] otherwise).
    pub fn dial_check(&self, query: &Query<'_>) -> Result<Verdict, DncError> {
        if let Some(phone) = query.phone.filter(|phone| phone.has_wildcard()) {
            return Err(DncError::InvalidPhone {
                value: phone.to_string(),
                reason: "a dialed phone must be digits only",
            });
        }
        self.check(query, CheckRule::DialCheck)
    }

    fn check(&self, query: &Query<'_>, rule: CheckRule) -> Result<Verdict, DncError> {
        let service = query.service;
        let owner = self
            .client_of(service)
            .ok_or(DncError::UnknownService { service })?;
        if let Some(given) = query.client.filter(|&given| given != owner) {
            return Err(DncError::ServiceClientMismatch {
                service,
                owner,
                given,
            });
        }
        if query.phone.is_none() && query.account.is_none() && query.zip.is_none() {
            return Err(DncError::EmptyRequest);
        }
        let mut verdict = Verdict::new(rule);
        if let Some(index) = self.clients.get(&owner) {
            index.check(query, rule, &mut verdict);
        }
        Ok(verdict.finish())
    }

    /// Checks the engine's internal invariants: every client index equals one
    /// rebuilt from the entries, every entry's service belongs to its client,
    /// no id reaches `next_id`, no empty index is kept. For tests and fuzzing.
    #[doc(hidden)]
    pub fn validate(&self) -> Result<(), String> {
        let mut rebuilt: HashMap<ClientId, ClientIndex> = HashMap::new();
        for (id, entry) in &self.entries {
            if *id != entry.id {
                return Err(format!("entry {} filed under id {id}", entry.id));
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
            rebuilt.entry(entry.client).or_default().insert(entry);
        }
        for (client, index) in &self.clients {
            if index.is_empty() {
                return Err(format!("empty index kept for client {client}"));
            }
            for (account, flags) in index.all_flags() {
                let update = FlagUpdate {
                    do_not_dial: Some(flags.do_not_dial),
                    do_not_dial_daily: Some(flags.do_not_dial_daily),
                };
                rebuilt
                    .entry(*client)
                    .or_default()
                    .update_flags(account, update);
            }
        }
        if rebuilt.len() != self.clients.len() {
            return Err(format!(
                "{} client indexes kept, {} expected",
                self.clients.len(),
                rebuilt.len()
            ));
        }
        for (client, expected) in &rebuilt {
            let actual = self
                .clients
                .get(client)
                .ok_or_else(|| format!("no index for client {client}"))?;
            let (actual, expected) = (actual.fingerprint()?, expected.fingerprint()?);
            if actual != expected {
                return Err(format!(
                    "index of client {client} differs from its entries:\n  kept {actual:?}\n  expected {expected:?}"
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
