//! Management of the legacy list, one client at a time: reads, pages,
//! finds by type, services and modification instant, the list's info; and
//! the `_at` forms of add and remove, which record the host's instant of
//! the change.
//!
//! Pages and finds read the client's own ordered ids
//! ([`LegacyIds`](crate::legacy::ordered_ids::LegacyIds)): a page of the
//! whole list, of one lifetime or of some services is a union of a few
//! disjoint id sets, paged at any offset in O(log n) plus the page,
//! whatever the client or the others hold. A find by `modifiedAfter` scans
//! those ids in order (the reference allows a scan) and stops once the page
//! is full.

use jiff::Timestamp;

use crate::error::DncError;
use crate::id_set::{Merged, filtered_page, union_page};
use crate::legacy::entry::{DncEntry, NewEntry};
use crate::legacy::list::{AddManyOutcome, LegacyList};
use crate::legacy::log::{LegacyFilter, for_list};
use crate::legacy::ordered_ids::LegacyIds;
use crate::page::{ListInfo, Page, PageRequest};
use crate::values::ids::{ClientId, EntryId};

impl LegacyList {
    /// See `Engine::add_at`.
    pub(crate) fn add_at(&mut self, new: NewEntry, at: Option<i64>) -> Result<EntryId, DncError> {
        let id = self.add(new)?;
        self.note_added(id, at);
        Ok(id)
    }

    /// See `Engine::add_many_at`.
    pub(crate) fn add_many_at(
        &mut self,
        entries: impl IntoIterator<Item = NewEntry>,
        at: Option<i64>,
    ) -> AddManyOutcome {
        let outcome = self.add_many(entries);
        self.note_added_many(&outcome, at);
        outcome
    }

    /// See `Engine::add_many_for_at`.
    pub(crate) fn add_many_for_at(
        &mut self,
        client: ClientId,
        entries: impl IntoIterator<Item = NewEntry>,
        at: Option<i64>,
    ) -> AddManyOutcome {
        let vetted = entries.into_iter().map(|new| for_list(client, new));
        self.add_many_vetted_at(vetted, at)
    }

    /// [`add_many_at`](LegacyList::add_many_at) of entries a caller has vetted
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

    /// See `Engine::remove_at`.
    pub(crate) fn remove_at(&mut self, id: EntryId, at: Option<i64>) -> Result<DncEntry, DncError> {
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

    /// See `Engine::legacy_read`.
    pub(crate) fn legacy_read(&self, client: ClientId, id: EntryId) -> Result<DncEntry, DncError> {
        self.usable(client)?;
        self.entry(id)
            .filter(|entry| entry.client == client)
            .ok_or(DncError::NotFound { id })
    }

    /// See `Engine::legacy_page`.
    pub(crate) fn legacy_page(
        &self,
        client: ClientId,
        filter: &LegacyFilter,
        request: PageRequest,
    ) -> Result<Page<DncEntry>, DncError> {
        self.usable(client)?;
        let Some(idx) = self.client_idx_of(client) else {
            return Ok(Page {
                entries: Vec::new(),
                next: None,
            });
        };
        // Services of other clients (or none) hold none of this client's
        // entries; repeats would count entries twice.
        let services = filter.services.as_ref().map(|services| {
            let mut services: Vec<_> = services
                .iter()
                .filter_map(|&service| self.service_idx_of(client, service))
                .collect();
            services.sort_unstable();
            services.dedup();
            services
        });
        let sets = self.legacy[idx as usize].sets(filter.lifetime, services.as_deref());
        let (ids, next) = match filter.modified_after {
            None => union_page(&sets, request.offset, request.count),
            Some(after) => {
                let after = floor_millis(after);
                let modified = &self.legacy_log.modified;
                let newer = |id| {
                    modified
                        .get(&EntryId::from_stored(id))
                        .is_some_and(|&at| at > after)
                };
                filtered_page(Merged::new(&sets), request.offset, request.count, newer)
            }
        };
        let entries = ids
            .into_iter()
            .filter_map(|id| self.entry(EntryId::from_stored(id)))
            .collect();
        Ok(Page { entries, next })
    }

    /// See `Engine::legacy_info`.
    pub(crate) fn legacy_info(&self, client: ClientId) -> Result<ListInfo, DncError> {
        self.usable(client)?;
        let size = self
            .client_idx_of(client)
            .map_or(0, |idx| self.legacy[idx as usize].len());
        let last_modified = self.legacy_log.last_modified.get(&client).copied();
        Ok(ListInfo::from_millis(size, last_modified))
    }

    /// The legacy list's ordered ids and log agree with the entries: each
    /// client's ids equal ones rebuilt from its entries.
    pub(crate) fn validate_legacy_ids(&self) -> Result<(), String> {
        let mut rebuilt = vec![LegacyIds::default(); self.legacy.len()];
        for entry in self.entries() {
            let idx = self
                .client_idx_of(entry.client)
                .ok_or_else(|| format!("entry {} of a client never interned", entry.id))?;
            let service = entry
                .service
                .map(|service| self.service_idx_of(entry.client, service))
                .map(|idx| {
                    idx.ok_or_else(|| format!("entry {}: service not its client's", entry.id))
                })
                .transpose()?;
            rebuilt[idx as usize].insert(entry.id.get(), service, entry.lifetime);
        }
        for (idx, (kept, expected)) in self.legacy.iter().zip(&rebuilt).enumerate() {
            if kept.contents()? != expected.contents()? {
                return Err(format!(
                    "client index {idx}: legacy ids differ from its entries"
                ));
            }
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

/// The last whole millisecond at or before `at`: for a recorded instant
/// `m` (whole milliseconds), `m > at` exactly when `m > floor_millis(at)`,
/// so a find compares the raw numbers it keeps.
fn floor_millis(at: Timestamp) -> i64 {
    let millis = at.as_millisecond();
    match Timestamp::from_millisecond(millis) {
        Ok(cut) if cut > at => millis - 1,
        _ => millis,
    }
}
