//! Dial-time wildcard patterns, indexed by their star layout.
//!
//! A pattern's **layout** is its length and the positions of its stars. A
//! dialed value can match a pattern of a given layout only if its length
//! fits (equal, or longer when the layout ends with a star), and then only
//! the one pattern that has the value's characters at the layout's literal
//! positions: the value with its characters at the star positions replaced
//! by `*`. So each layout present keeps a map from pattern to its entries,
//! and a lookup builds that one candidate per layout and probes its map.
//! The cost grows with the number of distinct layouts (`209*******`,
//! `***1234567` and `123*` are three; 50,000 patterns shaped `***NNNNNNN`
//! are one), never with the number of patterns; each bucket holds the
//! entries of exactly one pattern, split by service when there are many.

use std::hash::{Hash, Hasher};

use hashbrown::{Equivalent, HashMap};

use crate::legacy::postings::{Posting, Postings};
use crate::values::account::{Account, FoldedKey, FoldedSlice, MAX_ACCOUNT_LEN};
use crate::values::ids::{EntryId, ServiceId};
use crate::values::packed::STAR;
use crate::values::phone::Phone;

/// Where a phone pattern has its stars.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PhoneLayout {
    len: u8,
    /// `0xF` in every nibble (of the packed pattern) that holds a star.
    stars: u64,
}

impl PhoneLayout {
    pub(crate) fn of(pattern: Phone) -> PhoneLayout {
        PhoneLayout {
            len: pattern.len() as u8,
            stars: pattern.star_nibbles(),
        }
    }

    /// The packed pattern of this layout that `dialed` matches, if its
    /// length fits: its first `len` characters, stars where the layout has
    /// them.
    #[inline]
    fn candidate(self, dialed: Phone) -> Option<u64> {
        let (len, dialed_len) = (usize::from(self.len), dialed.len());
        let fits = dialed_len == len || (dialed_len > len && self.stars & 0xF == 0xF);
        if !fits {
            return None;
        }
        let aligned = dialed.packed() >> (4 * (dialed_len - len));
        Some((aligned & !self.stars) | ((STAR * 0x1111_1111_1111_1111) & self.stars))
    }
}

/// Where an account pattern has its stars.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct AccountLayout {
    len: u8,
    /// Bit `i` set when byte `i` is `*`.
    stars: u64,
}

impl AccountLayout {
    pub(crate) fn of(pattern: &Account) -> AccountLayout {
        AccountLayout::of_bytes(pattern.as_str().as_bytes())
    }

    /// The layout of a pattern's bytes (at most 64 of them).
    pub(crate) fn of_bytes(bytes: &[u8]) -> AccountLayout {
        let stars = bytes
            .iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'*')
            .fold(0u64, |stars, (i, _)| stars | 1 << i);
        AccountLayout {
            len: bytes.len() as u8,
            stars,
        }
    }

    /// The pattern of this layout that `request` matches (in `buffer`), if
    /// its length fits: its first `len` bytes, stars where the layout has
    /// them. Case is left as it is: keys compare ignoring ASCII case.
    #[inline]
    fn candidate<'b>(
        self,
        request: &Account,
        buffer: &'b mut [u8; MAX_ACCOUNT_LEN],
    ) -> Option<&'b [u8]> {
        let bytes = request.as_str().as_bytes();
        let len = usize::from(self.len);
        let ends_with_star = len > 0 && self.stars & (1 << (len - 1)) != 0;
        if !(bytes.len() == len || (bytes.len() > len && ends_with_star)) {
            return None;
        }
        buffer[..len].copy_from_slice(&bytes[..len]);
        let mut stars = self.stars;
        while stars != 0 {
            buffer[stars.trailing_zeros() as usize] = b'*';
            stars &= stars - 1;
        }
        Some(&buffer[..len])
    }
}

/// Finds the bucket list of `layout`, adding an empty one if absent.
fn layout_map<L: PartialEq + Copy, K, V>(
    layouts: &mut Vec<(L, HashMap<K, V>)>,
    layout: L,
) -> &mut HashMap<K, V> {
    let at = match layouts.iter().position(|(l, _)| *l == layout) {
        Some(at) => at,
        None => {
            layouts.push((layout, HashMap::new()));
            layouts.len() - 1
        }
    };
    &mut layouts[at].1
}

/// Removes entry `id` from `key`'s bucket of `layout`, forgetting the
/// bucket and the layout once empty; false if it was not there.
fn remove_from<L, K, Q>(
    layouts: &mut Vec<(L, HashMap<K, Postings>)>,
    layout: L,
    key: &Q,
    id: EntryId,
    service: Option<ServiceId>,
) -> bool
where
    L: PartialEq + Copy,
    K: Hash + Eq,
    Q: Hash + Equivalent<K> + ?Sized,
{
    let Some(at) = layouts.iter().position(|(l, _)| *l == layout) else {
        return false;
    };
    let map = &mut layouts[at].1;
    let Some(postings) = map.get_mut(key) else {
        return false;
    };
    let removed = postings.remove(id, service);
    if postings.is_empty() {
        map.remove(key);
        if map.is_empty() {
            layouts.swap_remove(at);
        }
    }
    removed
}

/// Phone-only entries whose phone contains `*`.
#[derive(Clone, Debug, Default)]
pub(crate) struct PhonePatterns {
    /// Each layout present, with its patterns (packed) and their entries.
    layouts: Vec<(PhoneLayout, HashMap<u64, Postings>)>,
}

impl PhonePatterns {
    pub(crate) fn insert(&mut self, pattern: Phone, posting: Posting) {
        layout_map(&mut self.layouts, PhoneLayout::of(pattern))
            .entry(pattern.packed())
            .or_default()
            .push(posting);
    }

    pub(crate) fn remove(
        &mut self,
        pattern: Phone,
        id: EntryId,
        service: Option<ServiceId>,
    ) -> bool {
        let layout = PhoneLayout::of(pattern);
        remove_from(&mut self.layouts, layout, &pattern.packed(), id, service)
    }

    /// Calls `found` with every entry whose pattern matches `dialed` and
    /// that applies to `service`: one probe per layout.
    #[inline]
    pub(crate) fn for_each_match(
        &self,
        dialed: Phone,
        service: ServiceId,
        mut found: impl FnMut(EntryId),
    ) {
        for (layout, patterns) in &self.layouts {
            if let Some(postings) = layout
                .candidate(dialed)
                .and_then(|candidate| patterns.get(&candidate))
            {
                postings.for_each_applicable(service, &mut found);
            }
        }
    }

    /// Every layout with its patterns, for validation.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (PhoneLayout, Phone, &Postings)> {
        self.layouts.iter().flat_map(|(layout, patterns)| {
            patterns
                .iter()
                .map(move |(packed, postings)| (*layout, Phone::from_packed(*packed), postings))
        })
    }

    pub(crate) fn layouts(&self) -> usize {
        self.layouts.len()
    }
}

/// Account-only entries whose account contains `*`.
#[derive(Clone, Debug, Default)]
pub(crate) struct AccountPatterns {
    /// Each layout present, with its patterns (case-folded) and entries.
    layouts: Vec<(AccountLayout, HashMap<FoldedKey, Postings>)>,
}

impl AccountPatterns {
    pub(crate) fn insert(&mut self, pattern: &Account, posting: Posting) {
        layout_map(&mut self.layouts, AccountLayout::of(pattern))
            .entry(FoldedKey::new(pattern.as_str().as_bytes()))
            .or_default()
            .push(posting);
    }

    pub(crate) fn remove(
        &mut self,
        pattern: &Account,
        id: EntryId,
        service: Option<ServiceId>,
    ) -> bool {
        let key = FoldedSlice(pattern.as_str().as_bytes());
        remove_from(
            &mut self.layouts,
            AccountLayout::of(pattern),
            &key,
            id,
            service,
        )
    }

    /// Calls `found` with every entry whose pattern matches `request`
    /// (ignoring ASCII case) and that applies to `service`.
    pub(crate) fn for_each_match(
        &self,
        request: &Account,
        service: ServiceId,
        mut found: impl FnMut(EntryId),
    ) {
        let mut buffer = [0u8; MAX_ACCOUNT_LEN];
        for (layout, patterns) in &self.layouts {
            if let Some(postings) = layout
                .candidate(request, &mut buffer)
                .and_then(|candidate| patterns.get(&FoldedSlice(candidate)))
            {
                postings.for_each_applicable(service, &mut found);
            }
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (AccountLayout, &FoldedKey, &Postings)> {
        self.layouts.iter().flat_map(|(layout, patterns)| {
            patterns
                .iter()
                .map(move |(key, postings)| (*layout, key, postings))
        })
    }

    pub(crate) fn layouts(&self) -> usize {
        self.layouts.len()
    }
}

/// A phone + account pattern: the packed phone and the folded account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PairKey {
    pub(crate) phone: u64,
    pub(crate) account: FoldedKey,
}

impl Hash for PairKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.phone.hash(state);
        self.account.hash(state);
    }
}

/// A [`PairKey`] looked up without allocating.
struct PairProbe<'a> {
    phone: u64,
    account: FoldedSlice<'a>,
}

impl Hash for PairProbe<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.phone.hash(state);
        self.account.hash(state);
    }
}

impl Equivalent<PairKey> for PairProbe<'_> {
    fn equivalent(&self, key: &PairKey) -> bool {
        self.phone == key.phone && self.account.equivalent(&key.account)
    }
}

/// Phone + account entries whose phone or account contains `*`, by the
/// layouts of both.
#[derive(Clone, Debug, Default)]
pub(crate) struct PairPatterns {
    layouts: Vec<((PhoneLayout, AccountLayout), HashMap<PairKey, Postings>)>,
}

impl PairPatterns {
    pub(crate) fn insert(&mut self, phone: Phone, account: &Account, posting: Posting) {
        let layout = (PhoneLayout::of(phone), AccountLayout::of(account));
        let key = PairKey {
            phone: phone.packed(),
            account: FoldedKey::new(account.as_str().as_bytes()),
        };
        layout_map(&mut self.layouts, layout)
            .entry(key)
            .or_default()
            .push(posting);
    }

    pub(crate) fn remove(
        &mut self,
        phone: Phone,
        account: &Account,
        id: EntryId,
        service: Option<ServiceId>,
    ) -> bool {
        let layout = (PhoneLayout::of(phone), AccountLayout::of(account));
        let probe = PairProbe {
            phone: phone.packed(),
            account: FoldedSlice(account.as_str().as_bytes()),
        };
        remove_from(&mut self.layouts, layout, &probe, id, service)
    }

    /// Calls `found` with every entry whose phone and account patterns
    /// match `dialed` and `request` and that applies to `service`.
    pub(crate) fn for_each_match(
        &self,
        dialed: Phone,
        request: &Account,
        service: ServiceId,
        mut found: impl FnMut(EntryId),
    ) {
        let mut buffer = [0u8; MAX_ACCOUNT_LEN];
        for ((phone_layout, account_layout), patterns) in &self.layouts {
            let Some(phone) = phone_layout.candidate(dialed) else {
                continue;
            };
            let Some(account) = account_layout.candidate(request, &mut buffer) else {
                continue;
            };
            let probe = PairProbe {
                phone,
                account: FoldedSlice(account),
            };
            if let Some(postings) = patterns.get(&probe) {
                postings.for_each_applicable(service, &mut found);
            }
        }
    }

    pub(crate) fn iter(
        &self,
    ) -> impl Iterator<Item = ((PhoneLayout, AccountLayout), &PairKey, &Postings)> {
        self.layouts.iter().flat_map(|(layout, patterns)| {
            patterns
                .iter()
                .map(move |(key, postings)| (*layout, key, postings))
        })
    }

    pub(crate) fn layouts(&self) -> usize {
        self.layouts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(text: &str) -> Phone {
        Phone::parse(text).unwrap()
    }

    fn account(text: &str) -> Account {
        Account::parse(text).unwrap()
    }

    #[test]
    fn a_layout_candidate_is_the_one_pattern_that_can_match() {
        let layout = PhoneLayout::of(phone("***1234567"));
        assert_eq!(
            layout.candidate(phone("4151234567")),
            Some(phone("***1234567").packed())
        );
        // Too short, and too long without a final star.
        assert_eq!(layout.candidate(phone("415123456")), None);
        assert_eq!(layout.candidate(phone("41512345678")), None);
        let suffix = PhoneLayout::of(phone("209*******"));
        assert_eq!(
            suffix.candidate(phone("20955512345")),
            Some(phone("209*******").packed())
        );
    }

    #[test]
    fn account_candidates_keep_the_request_case_and_fill_stars() {
        let layout = AccountLayout::of(&account("A*1*"));
        let mut buffer = [0u8; MAX_ACCOUNT_LEN];
        assert_eq!(
            layout.candidate(&account("ab12xyz"), &mut buffer),
            Some(&b"a*1*"[..])
        );
        assert_eq!(layout.candidate(&account("ab1"), &mut buffer), None);
        let exact = AccountLayout::of(&account("A*1"));
        assert_eq!(exact.candidate(&account("ab12"), &mut buffer), None);
    }

    proptest::proptest! {
        /// A layout's candidate for a dialed phone is the pattern itself
        /// exactly when the pattern matches it by the reference's rule.
        #[test]
        fn phone_candidates_follow_the_spec_rule(
            pattern in "[0-9*]{1,15}",
            fill in "[0-9]{15}",
            change in proptest::option::of(0usize..15),
            extra in "[0-9]{0,3}",
        ) {
            let dialed = crate::values::phone::dialed_near(&pattern, &fill, change, &extra);
            let (pattern, dialed) = (phone(&pattern), phone(&dialed));
            let hit = PhoneLayout::of(pattern).candidate(dialed) == Some(pattern.packed());
            proptest::prop_assert_eq!(hit, pattern.pattern_matches(dialed));
        }

        /// The same for accounts, case ignored, requests that may hold `*`.
        #[test]
        fn account_candidates_follow_the_spec_rule(
            pattern in "[aB*]{1,10}",
            request in "[AbB*]{1,12}",
        ) {
            let (pattern, request) = (account(&pattern), account(&request));
            let mut buffer = [0u8; MAX_ACCOUNT_LEN];
            let key = FoldedKey::new(pattern.as_str().as_bytes());
            let hit = AccountLayout::of(&pattern)
                .candidate(&request, &mut buffer)
                .is_some_and(|candidate| FoldedSlice(candidate).equivalent(&key));
            proptest::prop_assert_eq!(hit, pattern.pattern_matches(&request));
        }
    }

    #[test]
    fn one_probe_per_layout_finds_every_pattern_that_matches() {
        let mut patterns = PhonePatterns::default();
        let service = ServiceId::new(1).unwrap();
        let posting = |id| Posting {
            id: EntryId::new(id).unwrap(),
            service: None,
        };
        for n in 0..1000u64 {
            patterns.insert(phone(&format!("***{:07}", n)), posting(n + 1));
        }
        patterns.insert(phone("415*"), posting(5000));
        assert_eq!(patterns.layouts(), 2);
        let mut found = Vec::new();
        patterns.for_each_match(phone("4150000042"), service, |id| found.push(id.get()));
        found.sort_unstable();
        assert_eq!(found, [43, 5000]);
        assert!(patterns.remove(phone("415*"), EntryId::new(5000).unwrap(), None));
        assert_eq!(patterns.layouts(), 1);
    }
}
