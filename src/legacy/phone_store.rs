//! Phone-only entries, about nine in ten of a real list, stored compactly.
//!
//! Each entry is one 20-byte [`PhoneRecord`] stored *in* a hash table keyed
//! by `(client, phone)`, so a check reads the table's control bytes and then
//! the record itself: two dependent memory accesses, as for a plain
//! `HashMap<u64, u32>`. A second table maps ids to the record's bucket, for
//! removal and [`Engine::entry`](crate::Engine::entry). About 43 bytes an
//! entry at 10M entries, with everything needed to answer and explain (id,
//! client or service, lifetime).
//!
//! Bucket indexes stay valid until the key table rehashes, and hashbrown
//! rehashes only when an insert finds no growth left. So the store checks for
//! that first, rehashes (or grows) the table itself, and rebuilds the id
//! table from the new positions: an O(n) step as rare as a growth.
//!
//! **Crowded keys.** Records of one `(client, phone)` share a hash, so a
//! check reads all of them, and one phone blocked for each of 50,000
//! services of a client would cost 50,000 reads for a check that can use
//! two of them. So a key past [`CROWD`] records is *spread*: its records
//! move under the hash of `(client, phone, scope)`, and one *mark* record
//! under the key's own hash says so (and counts them). A check that meets
//! the mark (it reads the key's bucket anyway) probes twice more, for the
//! client-level records and for its service's: its cost follows the
//! records that apply. A key stays spread until its last record goes.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

use crate::legacy::entry::Lifetime;
use crate::values::ids::EntryId;
use crate::values::phone::Phone;
use crate::verdict::Verdict;

/// Dense index of a client in the engine (clients are interned).
pub(crate) type ClientIdx = u32;
/// Dense index of a service in the engine (services are interned).
pub(crate) type ServiceIdx = u32;

/// In `phone_and_lifetime`: set for a DAILY entry. Packed phones use at most
/// 60 bits, so the top bits are free.
const DAILY_BIT: u64 = 1 << 63;
/// In `phone_and_lifetime`: set for a record of a crowded key, filed under
/// the hash of its key and scope.
const SPREAD_BIT: u64 = 1 << 62;
/// In `phone_and_lifetime`: set for the mark of a crowded key, filed under
/// the key's hash, whose id field counts the key's spread records.
const MARK_BIT: u64 = 1 << 61;
/// Everything in `phone_and_lifetime` that is not the phone.
const NOT_PHONE: u64 = DAILY_BIT | SPREAD_BIT | MARK_BIT;
/// A key with more records than this is spread (two in debug builds, so
/// that the property tests spread keys often).
const CROWD: usize = if cfg!(debug_assertions) { 2 } else { 8 };
/// In `scope`: set for a client-level entry, whose low bits are then the
/// client index instead of the service index.
const CLIENT_LEVEL: u32 = 1 << 31;

/// The most phone records one store holds: the id table points at key
/// table buckets with `u32`s, and the key table has at most twice as many
/// buckets as records.
const MAX_RECORDS: usize = 1 << 30;

/// One phone-only entry. Ids and phones are split into `u32` halves so the
/// record aligns to 4 bytes and packs into 20 with no padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PhoneRecord {
    id: [u32; 2],
    phone_and_lifetime: [u32; 2],
    scope: u32,
}

fn split(value: u64) -> [u32; 2] {
    [value as u32, (value >> 32) as u32]
}

fn join(halves: [u32; 2]) -> u64 {
    u64::from(halves[0]) | (u64::from(halves[1]) << 32)
}

impl PhoneRecord {
    /// A record for a client-level entry (`service` is `None`) or one scoped
    /// to `service`. Indexes must fit in 31 bits (the engine interns at most
    /// 2^31 clients and services).
    pub(crate) fn new(
        id: EntryId,
        phone: Phone,
        client: ClientIdx,
        service: Option<ServiceIdx>,
        lifetime: Lifetime,
    ) -> PhoneRecord {
        let daily = if lifetime == Lifetime::Daily {
            DAILY_BIT
        } else {
            0
        };
        let scope = match service {
            Some(service) => service,
            None => client | CLIENT_LEVEL,
        };
        PhoneRecord {
            id: split(id.get()),
            phone_and_lifetime: split(phone.packed() | daily),
            scope,
        }
    }

    /// The mark of the crowded key `(client, phone)` with `count` spread
    /// records.
    fn mark(client: ClientIdx, phone: u64, count: u64) -> PhoneRecord {
        PhoneRecord {
            id: split(count),
            phone_and_lifetime: split(phone | MARK_BIT),
            scope: client | CLIENT_LEVEL,
        }
    }

    #[inline]
    pub(crate) fn id(&self) -> EntryId {
        EntryId::from_stored(join(self.id))
    }

    fn packed_phone(&self) -> u64 {
        join(self.phone_and_lifetime) & !NOT_PHONE
    }

    /// The phone with the spread and mark bits: what a probe compares.
    #[inline]
    fn tagged_phone(&self) -> u64 {
        join(self.phone_and_lifetime) & !DAILY_BIT
    }

    fn is_spread(&self) -> bool {
        join(self.phone_and_lifetime) & SPREAD_BIT != 0
    }

    fn is_mark(&self) -> bool {
        join(self.phone_and_lifetime) & MARK_BIT != 0
    }

    /// This record, filed as spread (or not).
    fn spread(mut self, spread: bool) -> PhoneRecord {
        let bits = join(self.phone_and_lifetime) & !SPREAD_BIT;
        self.phone_and_lifetime = split(if spread { bits | SPREAD_BIT } else { bits });
        self
    }

    pub(crate) fn phone(&self) -> Phone {
        Phone::from_packed(self.packed_phone())
    }

    /// The service index, `None` for a client-level entry.
    pub(crate) fn service(&self) -> Option<ServiceIdx> {
        (self.scope & CLIENT_LEVEL == 0).then_some(self.scope)
    }

    pub(crate) fn lifetime(&self) -> Lifetime {
        if join(self.phone_and_lifetime) & DAILY_BIT != 0 {
            Lifetime::Daily
        } else {
            Lifetime::Permanent
        }
    }
}

/// The phone-only entries and their two indexes.
#[derive(Clone, Debug, Default)]
pub(crate) struct PhoneStore {
    /// The records, hashed by `(client, phone)` (a crowded key's by
    /// `(client, phone, scope)`), and the marks of crowded keys.
    by_key: HashTable<PhoneRecord>,
    /// Bucket indexes of `by_key`'s records (not marks), hashed by the id of
    /// the record there.
    by_id: HashTable<u32>,
    /// How many marks `by_key` holds.
    marks: usize,
    /// service index → client index, to know a scoped record's client.
    service_clients: Vec<ClientIdx>,
    hasher: DefaultHashBuilder,
}

/// The client a record belongs to.
fn client_of(record: &PhoneRecord, service_clients: &[ClientIdx]) -> ClientIdx {
    match record.service() {
        Some(service) => service_clients[service as usize],
        None => record.scope & !CLIENT_LEVEL,
    }
}

#[inline]
fn key_hash(hasher: &DefaultHashBuilder, client: ClientIdx, phone: u64) -> u64 {
    hasher.hash_one((client, phone))
}

/// The hash a spread record of `(client, phone)` with `scope` is filed under.
#[inline]
fn spread_hash(hasher: &DefaultHashBuilder, client: ClientIdx, phone: u64, scope: u32) -> u64 {
    hasher.hash_one((client, phone, scope))
}

fn record_hash(
    hasher: &DefaultHashBuilder,
    service_clients: &[ClientIdx],
    record: &PhoneRecord,
) -> u64 {
    let client = client_of(record, service_clients);
    if record.is_spread() {
        spread_hash(hasher, client, record.packed_phone(), record.scope)
    } else {
        key_hash(hasher, client, record.packed_phone())
    }
}

/// How many plain records `(client, phone)` has under `hash`, its key hash,
/// and whether it has a mark: one probe.
#[inline]
fn key_state(
    by_key: &HashTable<PhoneRecord>,
    service_clients: &[ClientIdx],
    hash: u64,
    client: ClientIdx,
    phone: u64,
) -> (usize, bool) {
    let (mut plain, mut marked) = (0, false);
    let mark_scope = client | CLIENT_LEVEL;
    by_key.find(hash, |r| {
        let tagged = r.tagged_phone();
        if tagged == phone && client_of(r, service_clients) == client {
            plain += 1;
        } else if tagged == phone | MARK_BIT && r.scope == mark_scope {
            marked = true;
        }
        false
    });
    (plain, marked)
}

/// The id hash of the record in `bucket` of `by_key` (to grow the id table).
fn id_hash_at(by_key: &HashTable<PhoneRecord>, hasher: &DefaultHashBuilder, bucket: &u32) -> u64 {
    let record = by_key
        .get_bucket(*bucket as usize)
        .expect("ids point at records");
    hasher.hash_one(join(record.id))
}

/// Where items go in the order of the buckets their hash starts probing
/// at, close enough for inserts to sweep a table: a counting sort on the
/// top bits of the position, into at most 4096 runs, each a small,
/// cache-sized stretch of the table.
struct BucketRuns {
    /// How far a position shifts right to give its run.
    shift: u32,
    mask: u64,
    /// Per run, the next place an item of it goes.
    next: Vec<usize>,
}

impl BucketRuns {
    /// The runs of a table of `buckets` buckets (a power of two) and where
    /// each starts, for items with these `hashes`; the places run from 0 to
    /// the number of hashes.
    fn count(buckets: usize, hashes: impl Iterator<Item = u64>) -> BucketRuns {
        let bits = buckets.trailing_zeros();
        let run_bits = bits.min(12);
        let mut runs = BucketRuns {
            shift: bits - run_bits,
            mask: buckets as u64 - 1,
            next: vec![0; (1 << run_bits) + 1],
        };
        for hash in hashes {
            let run = runs.run(hash);
            runs.next[run + 1] += 1;
        }
        for i in 1..runs.next.len() {
            runs.next[i] += runs.next[i - 1];
        }
        runs
    }

    fn run(&self, hash: u64) -> usize {
        ((hash & self.mask) >> self.shift) as usize
    }

    /// The place of the next item with this hash.
    fn place(&mut self, hash: u64) -> usize {
        let run = self.run(hash);
        let next = &mut self.next[run];
        let place = *next;
        *next += 1;
        place
    }
}

/// `items` reordered by the bucket their hash starts probing at (see
/// [`BucketRuns`]).
fn in_bucket_order<T: Copy>(items: &[T], buckets: usize, hash: impl Fn(&T) -> u64) -> Vec<T> {
    let Some(&first) = items.first() else {
        return Vec::new();
    };
    let mut runs = BucketRuns::count(buckets, items.iter().map(&hash));
    // Every slot is overwritten: the counts place each item exactly once.
    let mut ordered = vec![first; items.len()];
    for &item in items {
        ordered[runs.place(hash(&item))] = item;
    }
    ordered
}

/// In the id table's plan of a bulk insert: a place no record took (a
/// crowded one's). Buckets are below 2^31 (see [`MAX_RECORDS`]).
const NO_BUCKET: u32 = u32::MAX;

impl PhoneStore {
    /// Tells the store which client owns service `service` (indexes are
    /// handed out in order).
    pub(crate) fn register_service(&mut self, service: ServiceIdx, client: ClientIdx) {
        debug_assert_eq!(service as usize, self.service_clients.len());
        self.service_clients.push(client);
    }

    #[inline]
    pub(crate) fn key_hash(&self, client: ClientIdx, phone: u64) -> u64 {
        key_hash(&self.hasher, client, phone)
    }

    fn id_hash(&self, id: u64) -> u64 {
        self.hasher.hash_one(id)
    }

    pub(crate) fn len(&self) -> usize {
        self.by_key.len() - self.marks
    }

    /// Makes room for `additional` more records without rehashing, or
    /// says why it cannot: more records than the id table can point at
    /// (bucket positions are `u32`), or more memory than the allocator has.
    /// Nothing changes on failure.
    pub(crate) fn try_reserve(&mut self, additional: usize) -> Result<(), String> {
        let total = self
            .len()
            .checked_add(additional)
            .filter(|&total| total <= MAX_RECORDS)
            .ok_or_else(|| format!("at most {MAX_RECORDS} phone entries fit in one engine"))?;
        if self.has_room(additional) {
            // No record moves: only the id table may need to grow.
            let (by_key, hasher) = (&self.by_key, &self.hasher);
            return self
                .by_id
                .try_reserve(additional, |bucket| id_hash_at(by_key, hasher, bucket))
                .map_err(|error| format!("{error:?}"));
        }
        let (hasher, service_clients) = (&self.hasher, &self.service_clients);
        // The id table first: if it cannot be had, nothing has moved yet.
        let mut by_id: HashTable<u32> = HashTable::new();
        by_id
            .try_reserve(total, |_| unreachable!("the table is empty"))
            .map_err(|error| format!("{error:?}"))?;
        self.by_key
            .try_reserve(additional, |record| {
                record_hash(hasher, service_clients, record)
            })
            .map_err(|error| format!("{error:?}"))?;
        // The reserve may have moved every record.
        self.fill_id_index(by_id);
        Ok(())
    }

    /// Gives back the memory of removed records: both tables shrink to
    /// what the records left need.
    pub(crate) fn shrink_to_fit(&mut self) {
        let (hasher, service_clients) = (&self.hasher, &self.service_clients);
        self.by_key
            .shrink_to_fit(|record| record_hash(hasher, service_clients, record));
        // The shrink moved every record.
        self.rebuild_id_index(self.by_key.len());
    }

    /// Whether `additional` more records fit without the key table
    /// rehashing: hashbrown grows or rehashes only when an insert finds no
    /// growth left, and its capacity is the records plus that growth.
    fn has_room(&self, additional: usize) -> bool {
        self.by_key.capacity() - self.by_key.len() >= additional
    }

    /// Makes room for `additional` more records without rehashing. The id
    /// table is rebuilt only when the key table really rehashed (moving
    /// records), so a small bulk insert into a large store costs in
    /// proportion to the insert, not to the store.
    pub(crate) fn reserve(&mut self, additional: usize) {
        if self.has_room(additional) {
            let (by_key, hasher) = (&self.by_key, &self.hasher);
            self.by_id
                .reserve(additional, |bucket| id_hash_at(by_key, hasher, bucket));
            return;
        }
        let (hasher, service_clients) = (&self.hasher, &self.service_clients);
        self.by_key.reserve(additional, |record| {
            record_hash(hasher, service_clients, record)
        });
        // The reserve moved every record.
        self.rebuild_id_index(self.by_key.len() + additional);
    }

    /// Refills the id table from the key table's current bucket positions,
    /// with room for `capacity` ids.
    fn rebuild_id_index(&mut self, capacity: usize) {
        self.fill_id_index(HashTable::with_capacity(capacity.max(self.by_key.len())));
    }

    /// Fills `by_id` (empty, with room for every record) from the key
    /// table's bucket positions and makes it the id table.
    fn fill_id_index(&mut self, mut by_id: HashTable<u32>) {
        for bucket in self.by_key.iter_buckets() {
            let record = self.by_key.get_bucket(bucket).expect("a full bucket");
            if record.is_mark() {
                continue;
            }
            let hash = self.hasher.hash_one(join(record.id));
            // Capacity was reserved, so the hasher is never called.
            by_id.insert_unique(hash, bucket as u32, |_| unreachable!("no growth"));
        }
        self.by_id = by_id;
    }

    /// Stores a record; the caller has checked that its id is unused. A
    /// key that grows past [`CROWD`] records is spread.
    pub(crate) fn insert(&mut self, record: PhoneRecord) {
        let client = self.client_of(&record);
        let phone = record.packed_phone();
        let (plain, marked) = key_state(
            &self.by_key,
            &self.service_clients,
            key_hash(&self.hasher, client, phone),
            client,
            phone,
        );
        if !marked && plain < CROWD {
            self.place(record);
        } else {
            self.insert_crowded(record, client, phone);
        }
    }

    /// [`insert`](Self::insert) of a record whose key is crowded or becomes
    /// so.
    #[cold]
    fn insert_crowded(&mut self, record: PhoneRecord, client: ClientIdx, phone: u64) {
        if self.bump_mark(client, phone, 1) {
            self.place(record.spread(true));
            return;
        }
        let plain = self.plain_ids(client, phone);
        // The key becomes crowded: spread its records, then mark it.
        for id in &plain {
            let moved = self.take(*id).expect("the key's records are stored");
            self.place(moved.spread(true));
        }
        self.place(record.spread(true));
        self.place(PhoneRecord::mark(client, phone, plain.len() as u64 + 1));
    }

    /// Adds `delta` to the count of the mark of `(client, phone)`, removing
    /// the mark at zero; false when the key has no mark.
    fn bump_mark(&mut self, client: ClientIdx, phone: u64, delta: i64) -> bool {
        let hash = key_hash(&self.hasher, client, phone);
        let tagged = phone | MARK_BIT;
        let scope = client | CLIENT_LEVEL;
        let Ok(mut entry) = self
            .by_key
            .find_entry(hash, |r| r.tagged_phone() == tagged && r.scope == scope)
        else {
            return false;
        };
        let count = join(entry.get().id).wrapping_add_signed(delta);
        if count == 0 {
            entry.remove();
            self.marks -= 1;
        } else {
            entry.get_mut().id = split(count);
        }
        true
    }

    /// The ids of the records of `(client, phone)` that are not spread.
    fn plain_ids(&self, client: ClientIdx, phone: u64) -> Vec<EntryId> {
        let mut ids = Vec::new();
        let hash = key_hash(&self.hasher, client, phone);
        self.by_key.find(hash, |r| {
            if r.tagged_phone() == phone && self.client_of(r) == client {
                ids.push(r.id());
            }
            false
        });
        ids
    }

    /// Files a record (or a mark) in the key table under its hash, and a
    /// record's bucket in the id table.
    fn place(&mut self, record: PhoneRecord) {
        if self.by_key.len() == self.by_key.capacity() {
            // The insert would rehash and move records: do it here, where the
            // id table can be rebuilt right after.
            let (hasher, service_clients) = (&self.hasher, &self.service_clients);
            self.by_key
                .reserve(1, |record| record_hash(hasher, service_clients, record));
            self.rebuild_id_index(self.by_key.capacity());
        }
        let hash = record_hash(&self.hasher, &self.service_clients, &record);
        let id_hash = self.id_hash(join(record.id));
        let bucket = self
            .by_key
            .insert_unique(hash, record, |_| unreachable!("room was made"))
            .bucket_index() as u32;
        if record.is_mark() {
            self.marks += 1;
            return;
        }
        let (by_key, hasher) = (&self.by_key, &self.hasher);
        self.by_id
            .insert_unique(id_hash, bucket, |bucket| id_hash_at(by_key, hasher, bucket));
    }

    /// Stores many records; the caller has checked that their ids are unused
    /// and distinct. Inserting in the order of the buckets the records land
    /// in turns a bulk load's random memory writes into a sweep. A record
    /// whose key is crowded, or would become so, is set aside and stored
    /// after the sweep, one at a time.
    pub(crate) fn insert_many(&mut self, records: &[PhoneRecord]) {
        if records.is_empty() {
            return;
        }
        self.reserve(records.len());
        let (hasher, service_clients) = (&self.hasher, &self.service_clients);
        let hash = |record: &PhoneRecord| record_hash(hasher, service_clients, record);
        let id_hash = |record: &PhoneRecord| hasher.hash_one(join(record.id));
        // The id table is filled in its own bucket order, planned now: each
        // record's id hash and bucket go straight to their place in that
        // order as the sweep stores the record (one list, not a list and
        // its sorted copy).
        let mut id_places =
            BucketRuns::count(self.by_id.num_buckets(), records.iter().map(id_hash));
        let mut placed: Vec<(u64, u32)> = vec![(0, NO_BUCKET); records.len()];
        let mut crowded = Vec::new();
        // hashbrown starts probing at `hash & (buckets - 1)`. Hashing is
        // cheaper than keeping the hashes beside a copy of the records.
        let buckets = self.by_key.num_buckets();
        for record in in_bucket_order(records, buckets, hash) {
            let hash = hash(&record);
            // The key's records share its hash: count them, and look for a
            // mark (the probe reads the group the insert then writes).
            let client = client_of(&record, service_clients);
            let (plain, marked) = key_state(
                &self.by_key,
                service_clients,
                hash,
                client,
                record.packed_phone(),
            );
            if marked || plain >= CROWD {
                crowded.push(record);
                continue;
            }
            let bucket = self
                .by_key
                .insert_unique(hash, record, |_| unreachable!("room was reserved"))
                .bucket_index() as u32;
            let id_hash = id_hash(&record);
            placed[id_places.place(id_hash)] = (id_hash, bucket);
        }
        for &(hash, bucket) in &placed {
            if bucket != NO_BUCKET {
                self.by_id
                    .insert_unique(hash, bucket, |_| unreachable!("room was reserved"));
            }
        }
        for record in crowded {
            self.insert(record);
        }
    }

    /// The bucket of the record with this id.
    fn bucket_of(&self, id: EntryId) -> Option<usize> {
        let by_key = &self.by_key;
        self.by_id
            .find(self.id_hash(id.get()), |&bucket| {
                by_key
                    .get_bucket(bucket as usize)
                    .is_some_and(|r| r.id() == id)
            })
            .map(|&bucket| bucket as usize)
    }

    pub(crate) fn get(&self, id: EntryId) -> Option<&PhoneRecord> {
        self.bucket_of(id)
            .and_then(|bucket| self.by_key.get_bucket(bucket))
    }

    /// Removes the record with this id and returns it (as it was given:
    /// not spread). Removing never moves other records, so the id table
    /// stays valid; a crowded key's mark goes with its last record.
    pub(crate) fn remove(&mut self, id: EntryId) -> Option<PhoneRecord> {
        let record = self.take(id)?;
        if record.is_spread() {
            let client = self.client_of(&record);
            let marked = self.bump_mark(client, record.packed_phone(), -1);
            debug_assert!(marked, "a spread record's key has a mark");
        }
        Some(record.spread(false))
    }

    /// Takes the record with this id out of both tables, as stored.
    fn take(&mut self, id: EntryId) -> Option<PhoneRecord> {
        let by_key = &self.by_key;
        let bucket = match self.by_id.find_entry(self.id_hash(id.get()), |&bucket| {
            by_key
                .get_bucket(bucket as usize)
                .is_some_and(|r| r.id() == id)
        }) {
            Ok(entry) => entry.remove().0 as usize,
            Err(_) => return None,
        };
        let entry = self.by_key.get_bucket_entry(bucket).ok()?;
        Some(entry.remove().0)
    }

    /// Adds to `verdict` every entry with this phone that applies to a check
    /// for `service` of `client`; `key_hash` is [`key_hash`](Self::key_hash)
    /// of the client and phone.
    #[inline]
    pub(crate) fn collect(
        &self,
        client: ClientIdx,
        service: ServiceIdx,
        phone: Phone,
        key_hash: u64,
        verdict: &mut Verdict,
    ) {
        let packed = phone.packed();
        let client_level = client | CLIENT_LEVEL;
        let mut crowded = false;
        // `find` with a test that never accepts visits every candidate under
        // the hash, like `iter_hash`, but in hashbrown's inlined probe loop.
        self.by_key.find(key_hash, |record| {
            // Same phone, and scoped to this client or to this service (a
            // service index names its client).
            let tagged = record.tagged_phone();
            if tagged == packed {
                if record.scope == client_level || record.scope == service {
                    verdict.push_entry(record.id());
                }
            } else if tagged == packed | MARK_BIT && record.scope == client_level {
                crowded = true;
            }
            false
        });
        if crowded {
            self.collect_spread(client, service, packed, verdict);
        }
    }

    /// The rest of [`collect`](Self::collect) for a crowded key: its
    /// client-level records and those of `service`, each under its own hash.
    #[cold]
    #[inline(never)]
    fn collect_spread(
        &self,
        client: ClientIdx,
        service: ServiceIdx,
        phone: u64,
        verdict: &mut Verdict,
    ) {
        let tagged = phone | SPREAD_BIT;
        for scope in [client | CLIENT_LEVEL, service] {
            let hash = spread_hash(&self.hasher, client, phone, scope);
            self.by_key.find(hash, |record| {
                if record.tagged_phone() == tagged && record.scope == scope {
                    verdict.push_entry(record.id());
                }
                false
            });
        }
    }

    /// Starts the memory traffic of a lookup without finishing it: reads the
    /// first candidate record for `key_hash`. The batch check calls this for
    /// many requests before completing any, so their cache misses overlap
    /// instead of following one another.
    #[inline]
    pub(crate) fn warm(&self, key_hash: u64) -> u32 {
        self.by_key
            .find(key_hash, |_| true)
            .map_or(0, |record| record.scope)
    }

    /// Every record, in no particular order.
    pub(crate) fn records(&self) -> impl Iterator<Item = &PhoneRecord> {
        self.by_key.iter().filter(|record| !record.is_mark())
    }

    /// service index → the index of its client.
    #[cfg(feature = "serde")]
    pub(crate) fn service_clients(&self) -> &[ClientIdx] {
        &self.service_clients
    }

    /// The client of a record.
    pub(crate) fn client_of(&self, record: &PhoneRecord) -> ClientIdx {
        client_of(record, &self.service_clients)
    }

    /// Checks that the id table points at every record exactly once, each
    /// under the hash of its id, and that crowded keys are marked and
    /// counted: a key with a mark has only spread records, as many as the
    /// mark counts, and a key without one at most [`CROWD`] plain records.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let n = self.len();
        let mut keys: hashbrown::HashMap<(ClientIdx, u64), (usize, usize, Option<u64>)> =
            hashbrown::HashMap::new();
        let mut marks = 0;
        for record in self.by_key.iter() {
            let key = (self.client_of(record), record.packed_phone());
            let (plain, spread, mark) = keys.entry(key).or_default();
            if record.is_mark() {
                marks += 1;
                if mark.replace(join(record.id)).is_some() || record.service().is_some() {
                    return Err(format!("key {key:?} marked twice or by a service"));
                }
            } else if record.is_spread() {
                *spread += 1;
            } else {
                *plain += 1;
            }
        }
        if marks != self.marks {
            return Err(format!("{marks} marks, {} counted", self.marks));
        }
        for (key, (plain, spread, mark)) in keys {
            let fine = match mark {
                Some(count) => plain == 0 && spread as u64 == count && count > 0,
                None => spread == 0 && plain <= CROWD,
            };
            if !fine {
                return Err(format!(
                    "key {key:?}: {plain} plain, {spread} spread records, mark {mark:?}"
                ));
            }
        }
        if self.by_id.len() != n {
            return Err(format!("{n} phone records, {} id slots", self.by_id.len()));
        }
        let mut seen = hashbrown::HashSet::new();
        for &bucket in self.by_id.iter() {
            let record = self
                .by_key
                .get_bucket(bucket as usize)
                .ok_or_else(|| format!("id index points at empty bucket {bucket}"))?;
            if !seen.insert(bucket) || record.is_mark() {
                return Err(format!("id index holds bucket {bucket} twice, or a mark"));
            }
            if self.bucket_of(record.id()) != Some(bucket as usize) {
                return Err(format!("record {} is not under its id hash", record.id()));
            }
        }
        for record in self.by_key.iter() {
            if record
                .service()
                .is_some_and(|s| s as usize >= self.service_clients.len())
            {
                return Err(format!("record {} names an unknown service", record.id()));
            }
            let hash = record_hash(&self.hasher, &self.service_clients, record);
            if !self.by_key.iter_hash(hash).any(|r| r == record) {
                return Err(format!("record {} is not under its key hash", record.id()));
            }
        }
        Ok(())
    }
}
