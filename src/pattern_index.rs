//! Dial-time wildcard patterns, indexed by their literal prefix.
//!
//! A pattern such as `209*******` can only match a value that starts with its
//! literal prefix `209`. So patterns are bucketed by that prefix, and a lookup
//! probes one bucket per distinct prefix length present (for phones at most 16
//! probes, usually one or two), then checks only the patterns in those
//! buckets. The cost depends on how many patterns share a prefix, never on how
//! many entries or patterns there are in all.

use hashbrown::HashMap;
use smallvec::SmallVec;

use crate::account::{Account, FoldedKey};
use crate::ids::{EntryId, ServiceId};
use crate::phone::Phone;

/// The prefix lengths present, with how many patterns have each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LengthSet {
    counts: [u32; 65],
    /// Bit `n` is set when `counts[n] > 0`, so lookups skip absent lengths.
    mask: u128,
}

impl Default for LengthSet {
    fn default() -> Self {
        LengthSet {
            counts: [0; 65],
            mask: 0,
        }
    }
}

impl LengthSet {
    fn add(&mut self, len: usize) {
        self.counts[len] += 1;
        self.mask |= 1 << len;
    }

    fn remove(&mut self, len: usize) {
        self.counts[len] -= 1;
        if self.counts[len] == 0 {
            self.mask &= !(1 << len);
        }
    }

    /// The lengths present that are at most `max`, shortest first.
    fn up_to(&self, max: usize) -> impl Iterator<Item = usize> {
        let mut rest = if max >= 127 {
            self.mask
        } else {
            self.mask & ((1u128 << (max + 1)) - 1)
        };
        std::iter::from_fn(move || {
            if rest == 0 {
                return None;
            }
            let len = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            Some(len)
        })
    }
}

/// A pattern stored in an index: the entry it stands for and its scope.
pub(crate) trait IndexedPattern {
    fn id(&self) -> EntryId;
}

/// A phone-only entry whose phone contains `*`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct PhonePattern {
    pub(crate) id: EntryId,
    pub(crate) service: Option<ServiceId>,
    pub(crate) phone: Phone,
}

/// A phone + account entry whose phone or account contains `*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PairPattern {
    pub(crate) id: EntryId,
    pub(crate) service: Option<ServiceId>,
    pub(crate) phone: Phone,
    pub(crate) account: Account,
}

/// An account-only entry whose account contains `*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AccountPattern {
    pub(crate) id: EntryId,
    pub(crate) service: Option<ServiceId>,
    pub(crate) account: Account,
}

impl IndexedPattern for PhonePattern {
    fn id(&self) -> EntryId {
        self.id
    }
}

impl IndexedPattern for PairPattern {
    fn id(&self) -> EntryId {
        self.id
    }
}

impl IndexedPattern for AccountPattern {
    fn id(&self) -> EntryId {
        self.id
    }
}

/// Patterns keyed by the literal prefix of a phone (for a phone without `*`,
/// the whole phone).
#[derive(Clone, Debug)]
pub(crate) struct PhonePrefixIndex<T> {
    buckets: HashMap<u64, SmallVec<[T; 1]>>,
    lengths: LengthSet,
}

impl<T> Default for PhonePrefixIndex<T> {
    fn default() -> Self {
        PhonePrefixIndex {
            buckets: HashMap::new(),
            lengths: LengthSet::default(),
        }
    }
}

impl<T: IndexedPattern> PhonePrefixIndex<T> {
    pub(crate) fn insert(&mut self, phone: Phone, pattern: T) {
        let len = phone.literal_prefix_len();
        self.buckets
            .entry(phone.packed_prefix(len))
            .or_default()
            .push(pattern);
        self.lengths.add(len);
    }

    /// Removes entry `id` filed under `phone`; returns whether it was there.
    pub(crate) fn remove(&mut self, phone: Phone, id: EntryId) -> bool {
        let len = phone.literal_prefix_len();
        let key = phone.packed_prefix(len);
        let Some(bucket) = self.buckets.get_mut(&key) else {
            return false;
        };
        let before = bucket.len();
        bucket.retain(|pattern| pattern.id() != id);
        let removed = bucket.len() < before;
        if bucket.is_empty() {
            self.buckets.remove(&key);
        }
        if removed {
            self.lengths.remove(len);
        }
        removed
    }

    /// Calls `visit` with every pattern whose literal prefix is a prefix of
    /// `dialed`; the caller checks the whole pattern.
    pub(crate) fn for_each_candidate(&self, dialed: Phone, mut visit: impl FnMut(&T)) {
        for len in self.lengths.up_to(dialed.len()) {
            if let Some(bucket) = self.buckets.get(&dialed.packed_prefix(len)) {
                bucket.iter().for_each(&mut visit);
            }
        }
    }

    /// Every pattern with the prefix length it is filed under, for validation.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u64, &T)> {
        self.buckets
            .iter()
            .flat_map(|(key, bucket)| bucket.iter().map(move |pattern| (*key, pattern)))
    }

    pub(crate) fn lengths(&self) -> &LengthSet {
        &self.lengths
    }

    pub(crate) fn has_empty_bucket(&self) -> bool {
        self.buckets.values().any(|bucket| bucket.is_empty())
    }
}

/// Account patterns keyed by their case-folded literal prefix.
#[derive(Clone, Debug, Default)]
pub(crate) struct AccountPrefixIndex {
    buckets: HashMap<FoldedKey, SmallVec<[AccountPattern; 1]>>,
    lengths: LengthSet,
}

impl AccountPrefixIndex {
    pub(crate) fn insert(&mut self, pattern: AccountPattern) {
        let len = pattern.account.literal_prefix_len();
        let key = FoldedKey::new(&pattern.account.as_str().as_bytes()[..len]);
        self.buckets.entry(key).or_default().push(pattern);
        self.lengths.add(len);
    }

    /// Removes entry `id` whose pattern is `account`; returns whether it was there.
    pub(crate) fn remove(&mut self, account: &Account, id: EntryId) -> bool {
        let len = account.literal_prefix_len();
        let prefix = account.prefix(len);
        let Some(bucket) = self.buckets.get_mut(&prefix) else {
            return false;
        };
        let before = bucket.len();
        bucket.retain(|pattern| pattern.id != id);
        let removed = bucket.len() < before;
        if bucket.is_empty() {
            self.buckets.remove(&prefix);
        }
        if removed {
            self.lengths.remove(len);
        }
        removed
    }

    /// Calls `visit` with every pattern whose literal prefix is a prefix of
    /// `request` (ignoring ASCII case); the caller checks the whole pattern.
    pub(crate) fn for_each_candidate(
        &self,
        request: &Account,
        mut visit: impl FnMut(&AccountPattern),
    ) {
        for len in self.lengths.up_to(request.as_str().len()) {
            if let Some(bucket) = self.buckets.get(&request.prefix(len)) {
                bucket.iter().for_each(&mut visit);
            }
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&FoldedKey, &AccountPattern)> {
        self.buckets
            .iter()
            .flat_map(|(key, bucket)| bucket.iter().map(move |pattern| (key, pattern)))
    }

    pub(crate) fn lengths(&self) -> &LengthSet {
        &self.lengths
    }

    pub(crate) fn has_empty_bucket(&self) -> bool {
        self.buckets.values().any(|bucket| bucket.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_set_lists_present_lengths_up_to_a_bound() {
        let mut set = LengthSet::default();
        for len in [0, 3, 3, 10, 64] {
            set.add(len);
        }
        assert_eq!(set.up_to(10).collect::<Vec<_>>(), [0, 3, 10]);
        assert_eq!(set.up_to(64).collect::<Vec<_>>(), [0, 3, 10, 64]);
        set.remove(3);
        assert_eq!(set.up_to(5).collect::<Vec<_>>(), [0, 3]);
        set.remove(3);
        assert_eq!(set.up_to(5).collect::<Vec<_>>(), [0]);
    }
}
