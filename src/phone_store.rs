//! Phone-only entries, about nine in ten of a real list, stored compactly.
//!
//! Each entry is one 24-byte [`PhoneRecord`] in a `Vec`; two hash tables of
//! 4-byte slot numbers index the records by `(client, phone)` for checks and
//! by id for removal. With hashbrown's control bytes that is about 40 bytes an
//! entry at 10M entries, everything needed to answer and explain included —
//! against about 200 for one map from key to posting list plus one from id to
//! entry. A check costs one probe of the key table and one read of each
//! candidate record.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

use crate::entry::Lifetime;
use crate::ids::EntryId;
use crate::phone::Phone;
use crate::verdict::Verdict;

/// Dense index of a client in the engine (clients are interned).
pub(crate) type ClientIdx = u32;
/// Dense index of a service in the engine (services are interned).
pub(crate) type ServiceIdx = u32;

/// Marks a record whose entry is DAILY, in `service_and_lifetime`.
const DAILY_BIT: u32 = 1 << 31;
/// `service_and_lifetime` without the lifetime bit: 0 for a client-level
/// entry, else the service's index plus one.
const SERVICE_MASK: u32 = !DAILY_BIT;

/// One phone-only entry. Ids and phones are split into `u32` halves so the
/// record aligns to 4 bytes and packs into 24 with no padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PhoneRecord {
    id: [u32; 2],
    phone: [u32; 2],
    client: ClientIdx,
    service_and_lifetime: u32,
}

fn split(value: u64) -> [u32; 2] {
    [value as u32, (value >> 32) as u32]
}

fn join(halves: [u32; 2]) -> u64 {
    u64::from(halves[0]) | (u64::from(halves[1]) << 32)
}

impl PhoneRecord {
    pub(crate) fn new(
        id: EntryId,
        phone: Phone,
        client: ClientIdx,
        service: Option<ServiceIdx>,
        lifetime: Lifetime,
    ) -> PhoneRecord {
        let service = service.map_or(0, |idx| idx + 1);
        let daily = if lifetime == Lifetime::Daily {
            DAILY_BIT
        } else {
            0
        };
        PhoneRecord {
            id: split(id.get()),
            phone: split(phone.packed()),
            client,
            service_and_lifetime: service | daily,
        }
    }

    pub(crate) fn id(&self) -> EntryId {
        EntryId::new(join(self.id)).expect("records hold valid ids")
    }

    fn packed_phone(&self) -> u64 {
        join(self.phone)
    }

    pub(crate) fn phone(&self) -> Phone {
        Phone::from_packed(self.packed_phone())
    }

    pub(crate) fn client(&self) -> ClientIdx {
        self.client
    }

    /// The service index, `None` for a client-level entry.
    pub(crate) fn service(&self) -> Option<ServiceIdx> {
        (self.service_and_lifetime & SERVICE_MASK).checked_sub(1)
    }

    pub(crate) fn lifetime(&self) -> Lifetime {
        if self.service_and_lifetime & DAILY_BIT != 0 {
            Lifetime::Daily
        } else {
            Lifetime::Permanent
        }
    }

    /// Whether this entry applies to a check for `service` of `client`.
    fn applies(&self, client: ClientIdx, service: ServiceIdx) -> bool {
        let scope = self.service_and_lifetime & SERVICE_MASK;
        self.client == client && (scope == 0 || scope == service + 1)
    }
}

/// The phone-only entries and their two indexes.
#[derive(Clone, Debug, Default)]
pub(crate) struct PhoneStore {
    records: Vec<PhoneRecord>,
    /// Slots of `records`, hashed by `(client, phone)`.
    by_key: HashTable<u32>,
    /// Slots of `records`, hashed by id.
    by_id: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl PhoneStore {
    pub(crate) fn key_hash(&self, client: ClientIdx, phone: u64) -> u64 {
        self.hasher.hash_one((client, phone))
    }

    fn id_hash(&self, id: u64) -> u64 {
        self.hasher.hash_one(id)
    }

    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    /// Makes room for `additional` more records without rehashing.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.records.reserve(additional);
        let (records, hasher) = (&self.records, &self.hasher);
        self.by_key.reserve(additional, |&slot| {
            let record = &records[slot as usize];
            hasher.hash_one((record.client, record.packed_phone()))
        });
        self.by_id.reserve(additional, |&slot| {
            hasher.hash_one(join(records[slot as usize].id))
        });
    }

    /// Stores a record; the caller has checked that its id is unused. Slots
    /// are `u32`, so the store holds at most 2^32 − 1 records.
    pub(crate) fn insert(&mut self, record: PhoneRecord) {
        let slot = u32::try_from(self.records.len()).expect("at most 2^32 - 1 phone entries");
        let key_hash = self.key_hash(record.client, record.packed_phone());
        let id_hash = self.id_hash(join(record.id));
        self.records.push(record);
        let (records, hasher) = (&self.records, &self.hasher);
        self.by_key.insert_unique(key_hash, slot, |&slot| {
            let record = &records[slot as usize];
            hasher.hash_one((record.client, record.packed_phone()))
        });
        self.by_id.insert_unique(id_hash, slot, |&slot| {
            hasher.hash_one(join(records[slot as usize].id))
        });
    }

    pub(crate) fn get(&self, id: EntryId) -> Option<&PhoneRecord> {
        let records = &self.records;
        self.by_id
            .find(self.id_hash(id.get()), |&slot| {
                records[slot as usize].id() == id
            })
            .map(|&slot| &records[slot as usize])
    }

    /// Removes the record with this id and returns it.
    pub(crate) fn remove(&mut self, id: EntryId) -> Option<PhoneRecord> {
        let records = &self.records;
        let slot = match self.by_id.find_entry(self.id_hash(id.get()), |&slot| {
            records[slot as usize].id() == id
        }) {
            Ok(entry) => entry.remove().0,
            Err(_) => return None,
        };
        Some(self.remove_slot(slot))
    }

    /// Removes the record in `slot`, whose id entry is already gone, by
    /// moving the last record into its place and re-pointing that record's
    /// two index entries.
    fn remove_slot(&mut self, slot: u32) -> PhoneRecord {
        let record = self.records[slot as usize];
        let key_hash = self.key_hash(record.client, record.packed_phone());
        if let Ok(entry) = self.by_key.find_entry(key_hash, |&s| s == slot) {
            entry.remove();
        }
        let last = (self.records.len() - 1) as u32;
        if slot != last {
            let moved = self.records[last as usize];
            let key_hash = self.key_hash(moved.client, moved.packed_phone());
            let id_hash = self.id_hash(join(moved.id));
            if let Some(s) = self.by_key.find_mut(key_hash, |&s| s == last) {
                *s = slot;
            }
            if let Some(s) = self.by_id.find_mut(id_hash, |&s| s == last) {
                *s = slot;
            }
        }
        self.records.swap_remove(slot as usize);
        record
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
        for &slot in self.by_key.iter_hash(key_hash) {
            let record = &self.records[slot as usize];
            if record.packed_phone() == packed && record.applies(client, service) {
                verdict.push_entry(record.id());
            }
        }
    }

    /// Starts the memory traffic of a lookup without finishing it: finds the
    /// first candidate slot for `key_hash` and reads that record's phone. The
    /// batch check calls this for many requests before completing any, so
    /// their cache misses overlap instead of following one another.
    #[inline]
    pub(crate) fn warm(&self, key_hash: u64) -> u64 {
        match self.by_key.iter_hash(key_hash).next() {
            Some(&slot) => self.records[slot as usize].phone[0].into(),
            None => 0,
        }
    }

    /// Removes every DAILY record of `client` (of every client for `None`)
    /// and returns them. Scans all records: the nightly clear is a batch job,
    /// and a per-client list of daily entries would cost memory on every
    /// entry.
    pub(crate) fn remove_daily(&mut self, client: Option<ClientIdx>) -> Vec<PhoneRecord> {
        let mut removed = Vec::new();
        // Backwards, so the record moved into a freed slot was already seen.
        for slot in (0..self.records.len() as u32).rev() {
            let record = self.records[slot as usize];
            if record.lifetime() == Lifetime::Daily && client.is_none_or(|c| c == record.client) {
                let id = record.id();
                let records = &self.records;
                if let Ok(entry) = self
                    .by_id
                    .find_entry(self.id_hash(id.get()), |&s| records[s as usize].id() == id)
                {
                    entry.remove();
                }
                removed.push(self.remove_slot(slot));
            }
        }
        removed
    }

    pub(crate) fn records(&self) -> &[PhoneRecord] {
        &self.records
    }

    /// Checks that both indexes hold every slot exactly once, under its hash.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let n = self.records.len();
        if self.by_key.len() != n || self.by_id.len() != n {
            return Err(format!(
                "{n} phone records, {} key slots, {} id slots",
                self.by_key.len(),
                self.by_id.len()
            ));
        }
        let mut seen_key = vec![false; n];
        let mut seen_id = vec![false; n];
        for (table, seen, name) in [
            (&self.by_key, &mut seen_key, "key"),
            (&self.by_id, &mut seen_id, "id"),
        ] {
            for &slot in table.iter() {
                let flag = seen
                    .get_mut(slot as usize)
                    .ok_or_else(|| format!("{name} index points past the records: {slot}"))?;
                if std::mem::replace(flag, true) {
                    return Err(format!("{name} index holds slot {slot} twice"));
                }
            }
        }
        for (slot, record) in self.records.iter().enumerate() {
            let slot = slot as u32;
            let key_hash = self.key_hash(record.client, record.packed_phone());
            if self.by_key.find(key_hash, |&s| s == slot).is_none() {
                return Err(format!("record {slot} is not under its key hash"));
            }
            if self
                .by_id
                .find(self.id_hash(join(record.id)), |&s| s == slot)
                .is_none()
            {
                return Err(format!("record {slot} is not under its id hash"));
            }
        }
        Ok(())
    }
}
