//! One channel list (dialtime, sms or email) for every client: the entries
//! by id, and per client an index by value for checks and ordered id sets
//! ([`IdSet`]) for paging: all its ids, those of each contact group, and
//! those that expire.
//!
//! A check probes one hash map, so its cost does not grow with the list. A
//! plain page, or a page of one contact group, selects its ids in
//! O(log n) plus the page at any offset, and a delete is O(log n). A find by
//! substring reads the client's ids (or the group's) in ascending order and
//! stops once the page is full; when the matches turn out too sparse for
//! that to pay, it reads the value index once instead (each distinct value
//! tested once, only the page's worth of ids sorted). A new time zone
//! touches only the entries that expire.

use hashbrown::HashMap;
use jiff::civil::Date;
use smallvec::SmallVec;

use crate::channels::types::{ChannelFilter, ChannelValue};

use crate::id_set::{IdSet, union_page};
use crate::page::{Page, PageRequest, page_by};
use crate::values::ids::{ClientId, ContactGroupId, EntryId};

/// How many ids a substring find reads in id order before it first asks
/// whether the matches are dense enough to keep going (small in debug
/// builds, so that the property tests take both ways).
const FIND_SAMPLE: usize = if cfg!(debug_assertions) { 4 } else { 1024 };

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
    ids: IdSet,
    by_value: HashMap<ChannelValue, SmallVec<[Posting; 1]>>,
    /// The ids of each contact group's entries (a group is kept while it
    /// has entries).
    by_group: HashMap<ContactGroupId, IdSet>,
    /// The ids of the entries that expire: those a new time zone changes.
    expiring: IdSet,
    last_modified: Option<i64>,
}

impl ClientPart {
    /// Files entry `id` in the ordered sets.
    fn file_ids(&mut self, id: EntryId, entry: &StoredEntry) {
        self.ids.insert(id.get());
        self.file_attributes(id, entry);
    }

    /// Files entry `id` under its group and expiry.
    fn file_attributes(&mut self, id: EntryId, entry: &StoredEntry) {
        if let Some(group) = entry.group {
            self.by_group.entry(group).or_default().insert(id.get());
        }
        if entry.expiration.is_some() {
            self.expiring.insert(id.get());
        }
    }

    /// Takes entry `id` out of its group and expiry sets.
    fn unfile_attributes(&mut self, id: EntryId, entry: &StoredEntry) {
        if let Some(group) = entry.group {
            if let Some(ids) = self.by_group.get_mut(&group) {
                ids.remove(id.get());
                if ids.is_empty() {
                    self.by_group.remove(&group);
                }
            }
        }
        self.expiring.remove(id.get());
    }
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
        // Assigned ids only grow: each insert appends.
        self.file(id, entry);
        id
    }

    /// Files `entry` under `id` in its client's part and the entries.
    fn file(&mut self, id: EntryId, entry: StoredEntry) {
        let part = self.clients.entry(entry.client).or_default();
        part.file_ids(id, &entry);
        part.by_value
            .entry(entry.value.clone())
            .or_default()
            .push(Posting::of(id, &entry));
        self.entries.insert(id, entry);
    }

    #[cfg(feature = "serde")]
    /// Stores an entry under a given id (restoring a snapshot); the caller
    /// has checked that the id is unused.
    pub(crate) fn insert_with_id(&mut self, id: EntryId, entry: StoredEntry) {
        self.file(id, entry);
        self.next_id = self.next_id.max(id.get() + 1);
    }

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
        part.unfile_attributes(id, old);
        part.file_attributes(id, &entry);
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
        part.ids.remove(id.get());
        part.unfile_attributes(id, &entry);
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
        let empty = IdSet::new();
        let Some(part) = self.clients.get(&client) else {
            return Page {
                entries: Vec::new(),
                next: None,
            };
        };
        // The entries a find may keep, in id order: the group's or all.
        let candidates = match filter.contact_group {
            Some(group) => part.by_group.get(&group).unwrap_or(&empty),
            None => &part.ids,
        };
        let Some(needle) = filter.value.as_deref() else {
            // A page of the list or of a group selects: O(log n) plus the
            // page, at any offset.
            let (ids, next) = union_page(&[candidates], request.offset, request.count);
            return Page {
                entries: ids.into_iter().map(EntryId::from_stored).collect(),
                next,
            };
        };
        self.substring_page(part, candidates, needle, filter, request)
    }

    /// A find by substring: reads `candidates` in id order until the page is
    /// full and one more match shows that another page follows, so its cost
    /// follows the page's position, not the list. Matches too sparse for
    /// that (the ids left to read would cost more than one pass over the
    /// value index) switch to that pass.
    fn substring_page(
        &self,
        part: &ClientPart,
        candidates: &IdSet,
        needle: &str,
        filter: &ChannelFilter,
        request: PageRequest,
    ) -> Page<EntryId> {
        let start = usize::try_from(request.offset).unwrap_or(usize::MAX);
        let end = start.saturating_add(request.count as usize);
        let mut page = Vec::new();
        let (mut found, mut read, mut next_look) = (0usize, 0usize, FIND_SAMPLE);
        for id in candidates.iter() {
            read += 1;
            if read == next_look {
                next_look *= 2;
                // The ids still to read at the rate seen so far, against
                // half the list (a pass reads each value in storage order,
                // about twice as fast as a lookup by id).
                let needed = (end - found.min(end) + 1) as u128;
                let projected = needed * read as u128 / found.max(1) as u128;
                if projected > (part.ids.len() / 2) as u128 {
                    return self.value_index_page(part, filter, request);
                }
            }
            let id = EntryId::from_stored(id);
            if !self.entries[&id].value.contains(needle) {
                continue;
            }
            if found == end {
                return Page {
                    entries: page,
                    next: Some(end as u64),
                };
            }
            if found >= start {
                page.push(id);
            }
            found += 1;
        }
        Page {
            entries: page,
            next: None,
        }
    }

    /// A find in one pass over the value index in storage order (no lookup
    /// per entry): each distinct value tested once, only the page's worth
    /// of the smallest matching ids sorted. Its cost is the client's list,
    /// at any offset.
    fn value_index_page(
        &self,
        part: &ClientPart,
        filter: &ChannelFilter,
        request: PageRequest,
    ) -> Page<EntryId> {
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
    /// of the client's time zone). Only entries that expire are read: each
    /// keeps the instant its date ends in the zone (beside the entry and in
    /// its posting, so that a check compares two integers), and that
    /// instant moves with the zone, so every one of them must change; an
    /// entry without an expiration never does.
    pub(crate) fn reset_blocks_before(&mut self, client: ClientId, until: impl Fn(Date) -> i64) {
        let Some(part) = self.clients.get_mut(&client) else {
            return;
        };
        // Entries share few dates: each date's instant is worked out once.
        let mut instants: HashMap<Date, i64> = HashMap::new();
        for id in part.expiring.iter().map(EntryId::from_stored) {
            let Some(entry) = self.entries.get_mut(&id) else {
                continue;
            };
            let Some(date) = entry.expiration else {
                continue;
            };
            entry.blocks_before = *instants.entry(date).or_insert_with(|| until(date));
            if let Some(postings) = part.by_value.get_mut(&entry.value) {
                for posting in postings.iter_mut().filter(|posting| posting.id == id) {
                    posting.blocks_before = entry.blocks_before;
                }
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
            let mut rebuilt = ClientPart::default();
            for id in part.ids.iter().map(EntryId::from_stored) {
                let entry = self
                    .entries
                    .get(&id)
                    .ok_or_else(|| format!("client {client}: id {id} has no entry"))?;
                if entry.client != *client {
                    return Err(format!("entry {id} filed under client {client}"));
                }
                if !part
                    .by_value
                    .get(&entry.value)
                    .is_some_and(|postings| postings.contains(&Posting::of(id, entry)))
                {
                    return Err(format!("entry {id} missing from the value index"));
                }
                rebuilt.file_ids(id, entry);
            }
            part.ids.validate()?;
            part.expiring.validate()?;
            let ids = |set: &IdSet| set.iter().collect::<Vec<u64>>();
            if ids(&part.expiring) != ids(&rebuilt.expiring) {
                return Err(format!("client {client}: expiring ids out of step"));
            }
            if part.by_group.len() != rebuilt.by_group.len() {
                return Err(format!("client {client}: contact groups out of step"));
            }
            for (group, set) in &part.by_group {
                set.validate()?;
                if rebuilt.by_group.get(group).map(ids) != Some(ids(set)) {
                    return Err(format!("client {client}: group {group} ids out of step"));
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
