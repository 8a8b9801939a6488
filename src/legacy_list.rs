//! Management of the legacy list (SPEC section 9): reads, pages, finds by
//! type, services and modification instant, and the list's info, for one
//! client at a time; and the `_at` forms of add and remove, which record
//! the host's instant of the change.
//!
//! Pages and finds scan the client's entries (SPEC 9 allows it) and sort
//! the matching ids, so a page costs the same at any offset. Sizes are
//! counted as entries come and go; modification instants are kept only for
//! changes that carried one.

use hashbrown::HashMap;

use crate::channel::{ListInfo, Page, PageRequest, page_by};
use crate::engine::{AddManyOutcome, Engine};
use crate::entry::{DncEntry, Lifetime, NewEntry};
use crate::error::DncError;
use crate::ids::{ClientId, EntryId, ServiceId};

/// Something and an instant (epoch milliseconds), as snapshots keep them.
#[cfg(feature = "serde")]
pub(crate) type Instant<T> = (T, i64);

/// The legacy list's modification instants (epoch milliseconds).
#[derive(Clone, Debug, Default)]
pub(crate) struct LegacyLog {
    /// Entry → the instant it was added, when the add carried one.
    modified: HashMap<EntryId, i64>,
    /// Client → the latest instant a change to its list carried.
    last_modified: HashMap<ClientId, i64>,
}

impl LegacyLog {
    pub(crate) fn forget(&mut self, id: EntryId) {
        self.modified.remove(&id);
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.modified.shrink_to_fit();
    }

    fn touch(&mut self, client: ClientId, at: i64) {
        let last = self.last_modified.entry(client).or_insert(at);
        *last = (*last).max(at);
    }
}

/// What a legacy find keeps; each filter only when given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LegacyFilter {
    /// Only DAILY or only PERMANENT entries.
    pub lifetime: Option<Lifetime>,
    /// Only entries scoped to one of these services (client-level entries
    /// have no service, so they are left out).
    pub services: Option<Vec<ServiceId>>,
    /// Only entries added at an instant after this one (epoch
    /// milliseconds); entries added without an instant are left out.
    pub modified_after: Option<i64>,
}

/// A bulk record of `client`'s list: refused when it names another client;
/// a record scoped to a service is checked against the list's client (the
/// service must be its). A record with neither keeps failing as `add` does
/// ([`DncError::MissingScope`]).
pub(crate) fn for_list(client: ClientId, mut new: NewEntry) -> (NewEntry, Result<(), DncError>) {
    match new.client {
        Some(named) if named != client => {
            let refusal = DncError::InvalidEntry {
                reason: format!("a record of client {client}'s list may not name another client"),
            };
            (new, Err(refusal))
        }
        Some(_) => (new, Ok(())),
        None => {
            if new.service.is_some() {
                new.client = Some(client);
            }
            (new, Ok(()))
        }
    }
}

impl Engine {
    /// [`add`](Engine::add), recording `at` (epoch milliseconds) as the
    /// entry's modification instant and in the list's `lastModified`.
    pub fn add_at(&mut self, new: NewEntry, at: Option<i64>) -> Result<EntryId, DncError> {
        let id = self.add(new)?;
        self.note_added(id, at);
        Ok(id)
    }

    /// [`add_many`](Engine::add_many), recording `at` for every added entry.
    pub fn add_many_at(
        &mut self,
        entries: impl IntoIterator<Item = NewEntry>,
        at: Option<i64>,
    ) -> AddManyOutcome {
        let outcome = self.add_many(entries);
        self.note_added_many(&outcome, at);
        outcome
    }

    /// The bulk create of `client`'s legacy list (the reference's create
    /// many of one client's list): as [`add_many_at`](Engine::add_many_at),
    /// except that a record scoped to a service is `client`'s, a record naming
    /// another client is refused ([`DncError::InvalidEntry`]), and a record
    /// scoped to another client's service is refused
    /// ([`DncError::ServiceClientMismatch`]), each at its position. Nothing
    /// a record says can put an entry in another client's list.
    pub fn add_many_for_at(
        &mut self,
        client: ClientId,
        entries: impl IntoIterator<Item = NewEntry>,
        at: Option<i64>,
    ) -> AddManyOutcome {
        let vetted = entries.into_iter().map(|new| for_list(client, new));
        self.add_many_vetted_at(vetted, at)
    }

    /// [`add_many_at`](Engine::add_many_at) of entries a caller has vetted
    /// (see `add_many_vetted`).
    pub(crate) fn add_many_vetted_at(
        &mut self,
        entries: impl IntoIterator<Item = (NewEntry, Result<(), DncError>)>,
        at: Option<i64>,
    ) -> AddManyOutcome {
        let outcome = self.add_many_vetted(entries);
        self.note_added_many(&outcome, at);
        outcome
    }

    fn note_added_many(&mut self, outcome: &AddManyOutcome, at: Option<i64>) {
        for id in outcome.ids().iter().flatten() {
            self.note_added(*id, at);
        }
    }

    /// [`remove`](Engine::remove), recording `at` in the list's
    /// `lastModified`.
    pub fn remove_at(&mut self, id: EntryId, at: Option<i64>) -> Result<DncEntry, DncError> {
        let entry = self.remove(id)?;
        if let Some(at) = at {
            self.legacy_log.touch(entry.client, at);
        }
        Ok(entry)
    }

    fn note_added(&mut self, id: EntryId, at: Option<i64>) {
        let Some(at) = at else { return };
        if let Some(entry) = self.entry(id) {
            self.legacy_log.modified.insert(id, at);
            self.legacy_log.touch(entry.client, at);
        }
    }

    /// Legacy entry `id` of `client` ([`DncError::NotFound`] when absent or
    /// another client's).
    pub fn legacy_read(&self, client: ClientId, id: EntryId) -> Result<DncEntry, DncError> {
        self.legacy_list_usable(client)?;
        self.entry(id)
            .filter(|entry| entry.client == client)
            .ok_or(DncError::NotFound { id })
    }

    /// A page of `client`'s legacy entries matching `filter` (an empty
    /// filter lists them all), ascending by id.
    pub fn legacy_page(
        &self,
        client: ClientId,
        filter: &LegacyFilter,
        request: PageRequest,
    ) -> Result<Page<DncEntry>, DncError> {
        self.legacy_list_usable(client)?;
        let matching: Vec<DncEntry> = self
            .entries()
            .filter(|entry| entry.client == client)
            .filter(|entry| {
                filter
                    .lifetime
                    .is_none_or(|lifetime| entry.lifetime == lifetime)
            })
            .filter(|entry| {
                filter.services.as_ref().is_none_or(|services| {
                    entry
                        .service
                        .is_some_and(|service| services.contains(&service))
                })
            })
            .filter(|entry| {
                filter.modified_after.is_none_or(|after| {
                    self.legacy_log
                        .modified
                        .get(&entry.id)
                        .is_some_and(|&at| at > after)
                })
            })
            .collect();
        Ok(page_by(matching, request, |entry| entry.id))
    }

    /// The size and last change of `client`'s legacy list.
    pub fn legacy_info(&self, client: ClientId) -> Result<ListInfo, DncError> {
        self.legacy_list_usable(client)?;
        let size = self
            .client_idx_of(client)
            .map_or(0, |idx| self.legacy_sizes[idx as usize]);
        Ok(ListInfo {
            size,
            last_modified: self.legacy_log.last_modified.get(&client).copied(),
        })
    }

    /// Every recorded modification instant, and every client's last change
    /// (for snapshots), each sorted.
    #[cfg(feature = "serde")]
    pub(crate) fn legacy_log_records(&self) -> (Vec<Instant<EntryId>>, Vec<Instant<ClientId>>) {
        let mut modified: Vec<_> = self
            .legacy_log
            .modified
            .iter()
            .map(|(id, at)| (*id, *at))
            .collect();
        modified.sort_unstable();
        let mut last: Vec<_> = self
            .legacy_log
            .last_modified
            .iter()
            .map(|(client, at)| (*client, *at))
            .collect();
        last.sort_unstable();
        (modified, last)
    }

    /// Puts back the modification instants of a snapshot; each must name a
    /// stored entry.
    #[cfg(feature = "serde")]
    pub(crate) fn restore_legacy_log(
        &mut self,
        modified: &[(EntryId, i64)],
        last_modified: &[(ClientId, i64)],
    ) -> Result<(), String> {
        for (id, at) in modified {
            if self.entry(*id).is_none() {
                return Err(format!("modification instant of unknown entry {id}"));
            }
            self.legacy_log.modified.insert(*id, *at);
        }
        for (client, at) in last_modified {
            self.legacy_log.touch(*client, *at);
        }
        Ok(())
    }

    /// The legacy list's counts and log agree with the entries.
    pub(crate) fn validate_legacy_list(&self) -> Result<(), String> {
        let mut counted: HashMap<ClientId, usize> = HashMap::new();
        for entry in self.entries() {
            *counted.entry(entry.client).or_default() += 1;
        }
        for (client, &count) in &counted {
            let stored = self
                .client_idx_of(*client)
                .map_or(0, |idx| self.legacy_sizes[idx as usize]);
            if stored != count {
                return Err(format!("client {client}: size {stored}, {count} entries"));
            }
        }
        if self.legacy_sizes.iter().sum::<usize>() != self.len() {
            return Err("legacy sizes do not add up to the entries".to_owned());
        }
        if let Some(id) = self
            .legacy_log
            .modified
            .keys()
            .find(|id| self.entry(**id).is_none())
        {
            return Err(format!("modification instant kept for removed entry {id}"));
        }
        Ok(())
    }
}
