//! One channel list (dialtime, sms or email) for every client: the entries
//! by id, and per client an index by value for checks and the ids in
//! ascending order for paging.
//!
//! A check probes one hash map, so its cost does not grow with the list.
//! A plain page slices the sorted ids (O(count) at any offset); a find scans
//! the client's entries in id order, which is what a filtered page needs.

use hashbrown::HashMap;
use jiff::civil::Date;
use smallvec::SmallVec;

use crate::channel::{ChannelFilter, ChannelValue, Page, PageRequest, page_by};
use crate::ids::{ClientId, ContactGroupId, EntryId};

/// An entry as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StoredEntry {
    pub(crate) client: ClientId,
    pub(crate) value: ChannelValue,
    pub(crate) group: Option<ContactGroupId>,
    pub(crate) expiration: Option<Date>,
    /// The entry blocks at instants (epoch ms) before this one: the start of
    /// the day after `expiration` in the client's zone; `i64::MAX` without.
    pub(crate) blocks_before: i64,
}

/// What a check needs of an entry, kept in the value index itself so that
/// a check reads no second table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Posting {
    id: EntryId,
    group: Option<ContactGroupId>,
    blocks_before: i64,
}

impl Posting {
    fn of(id: EntryId, entry: &StoredEntry) -> Posting {
        Posting {
            id,
            group: entry.group,
            blocks_before: entry.blocks_before,
        }
    }
}

/// One client's part of the list.
#[derive(Clone, Debug, Default)]
struct ClientPart {
    /// Ascending.
    ids: Vec<EntryId>,
    by_value: HashMap<ChannelValue, SmallVec<[Posting; 1]>>,
    last_modified: Option<i64>,
}

/// One channel's list for all clients.
#[derive(Clone, Debug)]
pub(crate) struct ChannelList {
    entries: HashMap<EntryId, StoredEntry>,
    clients: HashMap<ClientId, ClientPart>,
    /// The next id to assign; ids are never reused.
    next_id: u64,
}

impl Default for ChannelList {
    fn default() -> Self {
        ChannelList {
            entries: HashMap::new(),
            clients: HashMap::new(),
            next_id: 1,
        }
    }
}

impl ChannelList {
    /// The id the next insert will get, if any is left.
    pub(crate) fn peek_id(&self) -> Option<EntryId> {
        EntryId::new(self.next_id).ok()
    }

    /// Stores an entry under the next id (the caller has checked
    /// [`peek_id`](Self::peek_id)).
    pub(crate) fn insert(&mut self, entry: StoredEntry) -> EntryId {
        let id = self.peek_id().expect("the caller checked the id range");
        self.next_id += 1;
        let part = self.clients.entry(entry.client).or_default();
        // Assigned ids only grow, so pushing keeps the order.
        part.ids.push(id);
        part.by_value
            .entry(entry.value.clone())
            .or_default()
            .push(Posting::of(id, &entry));
        self.entries.insert(id, entry);
        id
    }

    #[cfg(feature = "serde")]
    /// Stores an entry under a given id (restoring a snapshot); the caller
    /// has checked that the id is unused.
    pub(crate) fn insert_with_id(&mut self, id: EntryId, entry: StoredEntry) {
        let part = self.clients.entry(entry.client).or_default();
        let at = part.ids.partition_point(|other| *other < id);
        part.ids.insert(at, id);
        part.by_value
            .entry(entry.value.clone())
            .or_default()
            .push(Posting::of(id, &entry));
        self.entries.insert(id, entry);
        self.next_id = self.next_id.max(id.get() + 1);
    }

    #[cfg(feature = "serde")]
    /// The id the next insert would get (may be beyond the id range).
    pub(crate) fn next_id(&self) -> u64 {
        self.next_id
    }

    #[cfg(feature = "serde")]
    /// Raises the next id (restoring a snapshot: ids are never reused).
    pub(crate) fn raise_next_id(&mut self, next_id: u64) {
        self.next_id = self.next_id.max(next_id);
    }

    #[cfg(feature = "serde")]
    /// Every client's last change, when one carried an instant.
    pub(crate) fn last_modified(&self) -> impl Iterator<Item = (ClientId, i64)> + '_ {
        self.clients
            .iter()
            .filter_map(|(client, part)| part.last_modified.map(|at| (*client, at)))
    }

    pub(crate) fn get(&self, id: EntryId) -> Option<&StoredEntry> {
        self.entries.get(&id)
    }

    /// Replaces the content of entry `id` (same client).
    pub(crate) fn replace(&mut self, id: EntryId, entry: StoredEntry) {
        let Some(old) = self.entries.get(&id) else {
            return;
        };
        let part = self
            .clients
            .get_mut(&entry.client)
            .expect("the entry's client");
        unfile(part, &old.value, id);
        part.by_value
            .entry(entry.value.clone())
            .or_default()
            .push(Posting::of(id, &entry));
        self.entries.insert(id, entry);
    }

    pub(crate) fn remove(&mut self, id: EntryId) -> Option<StoredEntry> {
        let entry = self.entries.remove(&id)?;
        let part = self
            .clients
            .get_mut(&entry.client)
            .expect("the entry's client");
        if let Ok(at) = part.ids.binary_search(&id) {
            part.ids.remove(at);
        }
        unfile(part, &entry.value, id);
        Some(entry)
    }

    /// Records a change made at `at` to `client`'s list.
    pub(crate) fn touch(&mut self, client: ClientId, at: Option<i64>) {
        if let Some(at) = at {
            let part = self.clients.entry(client).or_default();
            part.last_modified = Some(part.last_modified.map_or(at, |last| last.max(at)));
        }
    }

    /// Every entry of `client` with this value that applies to a service in
    /// contact group `service_group` at instant `at`, in no order.
    pub(crate) fn applicable(
        &self,
        client: ClientId,
        value: &ChannelValue,
        service_group: Option<ContactGroupId>,
        at: i64,
        mut found: impl FnMut(EntryId),
    ) {
        let Some(postings) = self
            .clients
            .get(&client)
            .and_then(|part| part.by_value.get(value))
        else {
            return;
        };
        for posting in postings {
            // An entry without a group applies to every service; one with a
            // group only to services mapped to it.
            let group_fits = posting.group.is_none() || posting.group == service_group;
            if group_fits && at < posting.blocks_before {
                found(posting.id);
            }
        }
    }

    /// Whether `client`'s list holds `value` for every service and for
    /// ever: an entry without a contact group and without an expiration.
    pub(crate) fn blocks_always(&self, client: ClientId, value: &ChannelValue) -> bool {
        self.clients
            .get(&client)
            .and_then(|part| part.by_value.get(value))
            .is_some_and(|postings| {
                postings
                    .iter()
                    .any(|posting| posting.group.is_none() && posting.blocks_before == i64::MAX)
            })
    }

    /// How many entries `client` has, and its last change.
    pub(crate) fn info(&self, client: ClientId) -> (usize, Option<i64>) {
        self.clients
            .get(&client)
            .map_or((0, None), |part| (part.ids.len(), part.last_modified))
    }

    /// A page of `client`'s entries matching `filter`, ascending by id.
    pub(crate) fn page(
        &self,
        client: ClientId,
        filter: &ChannelFilter,
        request: PageRequest,
    ) -> Page<EntryId> {
        let ids: &[EntryId] = self.clients.get(&client).map_or(&[], |p| &p.ids);
        if filter.value.is_none() && filter.contact_group.is_none() {
            // A plain page slices: its cost does not grow with the offset.
            let (start, end, next) = request.bounds(ids.len());
            return Page {
                entries: ids[start..end].to_vec(),
                next,
            };
        }
        // A find reads the value index in storage order (no lookup per
        // entry), tests each distinct value once, and sorts only the page's
        // worth of the smallest matching ids: its cost is the list's size,
        // at any offset.
        let Some(part) = self.clients.get(&client) else {
            return Page {
                entries: Vec::new(),
                next: None,
            };
        };
        let mut matching: Vec<EntryId> = Vec::new();
        for (value, postings) in &part.by_value {
            if filter
                .value
                .as_deref()
                .is_some_and(|needle| !value.contains(needle))
            {
                continue;
            }
            matching.extend(
                postings
                    .iter()
                    .filter(|posting| {
                        filter
                            .contact_group
                            .is_none_or(|g| posting.group == Some(g))
                    })
                    .map(|posting| posting.id),
            );
        }
        page_by(matching, request, |id| *id)
    }

    /// Sets when each of `client`'s entries stops blocking (after a change
    /// of the client's time zone).
    pub(crate) fn reset_blocks_before(&mut self, client: ClientId, until: impl Fn(Date) -> i64) {
        let Some(part) = self.clients.get_mut(&client) else {
            return;
        };
        for id in &part.ids {
            if let Some(entry) = self.entries.get_mut(id) {
                if let Some(date) = entry.expiration {
                    entry.blocks_before = until(date);
                }
            }
        }
        for postings in part.by_value.values_mut() {
            for posting in postings.iter_mut() {
                posting.blocks_before = self.entries[&posting.id].blocks_before;
            }
        }
    }

    /// Every entry, in no order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (EntryId, &StoredEntry)> {
        self.entries.iter().map(|(id, entry)| (*id, entry))
    }

    /// Checks the per-client indexes against the entries.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let mut counted = 0;
        for (client, part) in &self.clients {
            if !part.ids.windows(2).all(|w| w[0] < w[1]) {
                return Err(format!("client {client}: ids out of order"));
            }
            for id in &part.ids {
                let entry = self
                    .entries
                    .get(id)
                    .ok_or_else(|| format!("client {client}: id {id} has no entry"))?;
                if entry.client != *client {
                    return Err(format!("entry {id} filed under client {client}"));
                }
                if !part
                    .by_value
                    .get(&entry.value)
                    .is_some_and(|postings| postings.contains(&Posting::of(*id, entry)))
                {
                    return Err(format!("entry {id} missing from the value index"));
                }
            }
            let filed: usize = part.by_value.values().map(|ids| ids.len()).sum();
            if filed != part.ids.len() || part.by_value.values().any(|ids| ids.is_empty()) {
                return Err(format!("client {client}: value index out of step"));
            }
            counted += part.ids.len();
        }
        if counted != self.entries.len() {
            return Err(format!("{} entries, {counted} filed", self.entries.len()));
        }
        if self.entries.keys().any(|id| id.get() >= self.next_id) {
            return Err("an id at or above the next id".to_owned());
        }
        Ok(())
    }
}

/// Takes `id` out of the value index of `part`.
fn unfile(part: &mut ClientPart, value: &ChannelValue, id: EntryId) {
    if let Some(ids) = part.by_value.get_mut(value) {
        ids.retain(|other| other.id != id);
        if ids.is_empty() {
            part.by_value.remove(value);
        }
    }
}
