//! One client's account, phone + account and zip entries, account flags and
//! wildcard patterns, indexed for checks. (Phone-only entries, the bulk of a
//! list, live in the engine-wide [`PhoneStore`](crate::legacy::phone_store); their
//! wildcard patterns are filed here too, for the dial check.)
//!
//! Everything about one account (its account entries, its phone + account
//! entries and its flags) is one record in one map, so an account in a
//! check costs one probe. An account with more than a few account entries,
//! or more than a few phone + account entries, keeps them in a map of
//! their own instead (keyed by the account, or by account and phone), read
//! with one more probe whatever the account holds. Zips have their own map,
//! and patterns are indexed by their star layout
//! ([`pattern_index`](crate::legacy::pattern_index)). Every key's entries carry
//! their service, split by service once a key holds many
//! ([`Postings`]), so a check reads the entries of its key that can apply
//! and no others: its cost does not grow with the number of entries.

use std::hash::{Hash, Hasher};

use hashbrown::{Equivalent, HashMap};
use smallvec::SmallVec;

use crate::legacy::entry::{DncEntry, DncKey};
use crate::legacy::pattern_index::{
    AccountLayout, AccountPatterns, PairPatterns, PhoneLayout, PhonePatterns,
};
use crate::legacy::postings::{CROWD, Posting, Postings};
use crate::query::Query;
use crate::values::account::Account;
use crate::values::flags::{AccountFlags, FlagUpdate};
use crate::values::phone::Phone;
use crate::values::zip::Zip;
use crate::verdict::{CheckRule, Verdict};

/// Everything filed under one account, in 64 bytes.
#[derive(Clone, Debug, Default)]
struct AccountRecord {
    /// Its account-only entries, while it has at most [`CROWD`] of them.
    entries: SmallVec<[Posting; 1]>,
    /// Whether its account-only entries are in the client's
    /// `spread_accounts` map instead (`entries` is then empty).
    entries_spread: bool,
    /// Its phone + account entries with their packed phone, while it has at
    /// most [`CROWD`] of them (read in the same probe as the account).
    pairs: SmallVec<[(u64, Posting); 1]>,
    /// How many phone + account entries it has in the client's pair map,
    /// where all of them go once they are more than [`CROWD`] (`pairs` is
    /// then empty).
    spread_pairs: u32,
    /// Its Do Not Dial flags.
    flags: AccountFlags,
}

impl AccountRecord {
    fn is_empty(&self) -> bool {
        self.entries.is_empty()
            && !self.entries_spread
            && self.pairs.is_empty()
            && self.spread_pairs == 0
            && !self.flags.any()
    }
}

/// The key of a phone + account entry: the account (compared ignoring
/// ASCII case) and the packed phone.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct PairKey(Account, u64);

/// A [`PairKey`] looked up without cloning the account.
struct PairRef<'a>(&'a Account, u64);

impl Hash for PairRef<'_> {
    // As the derived `Hash` of `PairKey`: field by field.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
        self.1.hash(state);
    }
}

impl Equivalent<PairKey> for PairRef<'_> {
    fn equivalent(&self, key: &PairKey) -> bool {
        self.1 == key.1 && *self.0 == key.0
    }
}

/// A client's indexes. The engine's id → entry map is the source of truth;
/// this is derived from it and [`ClientIndex::fingerprint`] lets `validate`
/// prove it.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClientIndex {
    /// Only accounts with an entry or a flag are kept.
    accounts: HashMap<Account, AccountRecord>,
    /// The account-only entries of accounts that have more than [`CROWD`]
    /// of them.
    spread_accounts: HashMap<Account, Postings>,
    /// The phone + account entries (literal: `*` an ordinary character) of
    /// accounts that have more than [`CROWD`] of them.
    pairs: HashMap<PairKey, Postings>,
    zip: HashMap<Zip, Postings>,
    phone_patterns: PhonePatterns,
    account_patterns: AccountPatterns,
    pair_patterns: PairPatterns,
    /// How many accounts have `doNotDialDaily` set, so that a nightly clear
    /// with none to reset reads no account.
    daily_flags: usize,
}

impl ClientIndex {
    /// Room for `accounts` more accounts and `zips` more zips, so that a
    /// restore that knows its counts fills the maps without regrowing them.
    #[cfg(feature = "serde")]
    pub(crate) fn reserve(&mut self, accounts: usize, zips: usize) {
        self.accounts.reserve(accounts);
        self.zip.reserve(zips);
    }

    pub(crate) fn insert(&mut self, entry: &DncEntry) {
        let posting = Posting {
            id: entry.id,
            service: entry.service,
        };
        match &entry.key {
            DncKey::Phone(phone) => {
                // The phone store answers literal checks; only patterns here.
                if phone.has_wildcard() {
                    self.phone_patterns.insert(*phone, posting);
                }
            }
            DncKey::Account(account) => {
                let record = self.accounts.entry(account.clone()).or_default();
                if !record.entries_spread && record.entries.len() < CROWD {
                    record.entries.push(posting);
                } else {
                    // Past a few, the account's entries get their own map.
                    record.entries_spread = true;
                    let spread = self.spread_accounts.entry(account.clone()).or_default();
                    for moved in std::mem::take(&mut record.entries) {
                        spread.push(moved);
                    }
                    spread.push(posting);
                }
                if account.has_wildcard() {
                    self.account_patterns.insert(account, posting);
                }
            }
            DncKey::PhoneAccount(phone, account) => {
                let record = self.accounts.entry(account.clone()).or_default();
                let pair = (phone.packed(), posting);
                if record.spread_pairs == 0 && record.pairs.len() < CROWD {
                    record.pairs.push(pair);
                } else {
                    // Past a few, the account's pairs are keyed by both.
                    let moved = std::mem::take(&mut record.pairs);
                    record.spread_pairs += moved.len() as u32 + 1;
                    for (phone, posting) in moved.into_iter().chain([pair]) {
                        self.pairs
                            .entry(PairKey(account.clone(), phone))
                            .or_default()
                            .push(posting);
                    }
                }
                if phone.has_wildcard() || account.has_wildcard() {
                    self.pair_patterns.insert(*phone, account, posting);
                }
            }
            DncKey::Zip(zip) => self.zip.entry(*zip).or_default().push(posting),
        }
    }

    pub(crate) fn remove(&mut self, entry: &DncEntry) {
        let (id, service) = (entry.id, entry.service);
        match &entry.key {
            DncKey::Phone(phone) => {
                if phone.has_wildcard() {
                    self.phone_patterns.remove(*phone, id, service);
                }
            }
            DncKey::Account(account) => {
                if let Some(record) = self.accounts.get_mut(account) {
                    if !record.entries_spread {
                        record.entries.retain(|posting| posting.id != id);
                    } else if let Some(spread) = self.spread_accounts.get_mut(account) {
                        spread.remove(id, service);
                        if spread.is_empty() {
                            self.spread_accounts.remove(account);
                            record.entries_spread = false;
                        }
                    }
                    if record.is_empty() {
                        self.accounts.remove(account);
                    }
                }
                if account.has_wildcard() {
                    self.account_patterns.remove(account, id, service);
                }
            }
            DncKey::PhoneAccount(phone, account) => {
                if let Some(record) = self.accounts.get_mut(account) {
                    if record.spread_pairs == 0 {
                        record.pairs.retain(|(_, posting)| posting.id != id);
                    } else {
                        let key = PairRef(account, phone.packed());
                        if let Some(postings) = self.pairs.get_mut(&key) {
                            if postings.remove(id, service) {
                                record.spread_pairs -= 1;
                            }
                            if postings.is_empty() {
                                self.pairs.remove(&key);
                            }
                        }
                    }
                    if record.is_empty() {
                        self.accounts.remove(account);
                    }
                }
                if phone.has_wildcard() || account.has_wildcard() {
                    self.pair_patterns.remove(*phone, account, id, service);
                }
            }
            DncKey::Zip(zip) => {
                if let Some(postings) = self.zip.get_mut(zip) {
                    postings.remove(id, service);
                    if postings.is_empty() {
                        self.zip.remove(zip);
                    }
                }
            }
        }
    }

    /// Adds to `verdict` every entry and flag of this client that applies to
    /// `query` under `rule`. The caller has resolved the query's client.
    /// `legacy_phones` is false for a `DIAL_TIME` client, whose phone-only
    /// legacy patterns are inactive.
    pub(crate) fn check(
        &self,
        query: &Query<'_>,
        rule: CheckRule,
        legacy_phones: bool,
        verdict: &mut Verdict,
    ) {
        let service = query.service;
        let mut flags = None;
        let mut found = |id| verdict.push_entry(id);
        // Literal matches first: one probe per key kind present in the request
        // (phone-only entries were collected from the phone store).
        if let Some((account, record)) = query
            .account
            .and_then(|account| Some((account, self.accounts.get(account)?)))
        {
            if !record.entries_spread {
                for posting in &record.entries {
                    if posting.service.is_none_or(|scope| scope == service) {
                        found(posting.id);
                    }
                }
            } else if let Some(spread) = self.spread_accounts.get(account) {
                spread.for_each_applicable(service, &mut found);
            }
            flags = Some(record.flags);
            if let Some(phone) = query.phone.map(Phone::packed) {
                if record.spread_pairs == 0 {
                    for (pair_phone, posting) in &record.pairs {
                        if *pair_phone == phone
                            && posting.service.is_none_or(|scope| scope == service)
                        {
                            found(posting.id);
                        }
                    }
                } else if let Some(postings) = self.pairs.get(&PairRef(account, phone)) {
                    postings.for_each_applicable(service, &mut found);
                }
            }
        }
        if let Some(postings) = query.zip.and_then(|zip| self.zip.get(&zip)) {
            postings.for_each_applicable(service, &mut found);
        }
        if rule == CheckRule::DialCheck {
            // The dial check adds the patterns that match, one probe per
            // star layout present. A pattern that equals the request
            // literally was found above as well: `finish` removes the repeat.
            if let Some(phone) = query.phone.filter(|_| legacy_phones) {
                self.phone_patterns
                    .for_each_match(phone, service, &mut found);
            }
            if let Some(account) = query.account {
                self.account_patterns
                    .for_each_match(account, service, &mut found);
                if let Some(phone) = query.phone {
                    self.pair_patterns
                        .for_each_match(phone, account, service, &mut found);
                }
            }
        }
        if let Some(flags) = flags {
            verdict.set_flags(flags);
        }
    }

    /// Changes the record of `account` (creating it if absent) and forgets it
    /// if nothing is left in it.
    fn update_account<R>(
        &mut self,
        account: &Account,
        change: impl FnOnce(&mut AccountRecord) -> R,
    ) -> R {
        let record = self.accounts.entry_ref(account).or_default();
        let result = change(record);
        if record.is_empty() {
            self.accounts.remove(account);
        }
        result
    }

    /// Applies `update` to the account's flags and returns the result. An
    /// account left with nothing is forgotten.
    pub(crate) fn update_flags(&mut self, account: &Account, update: FlagUpdate) -> AccountFlags {
        let (before, after) = self.update_account(account, |record| {
            let before = record.flags;
            record.flags = record.flags.updated(update);
            (before, record.flags)
        });
        match (before.do_not_dial_daily, after.do_not_dial_daily) {
            (false, true) => self.daily_flags += 1,
            (true, false) => self.daily_flags -= 1,
            _ => {}
        }
        after
    }

    pub(crate) fn flags(&self, account: &Account) -> AccountFlags {
        self.accounts
            .get(account)
            .map(|record| record.flags)
            .unwrap_or_default()
    }

    /// Every account with a flag set.
    pub(crate) fn all_flags(&self) -> impl Iterator<Item = (&Account, AccountFlags)> {
        self.accounts
            .iter()
            .filter(|(_, record)| record.flags.any())
            .map(|(account, record)| (account, record.flags))
    }

    /// Resets every `doNotDialDaily` flag (the nightly clear): reads the
    /// client's accounts only when one has the flag.
    pub(crate) fn clear_daily_flags(&mut self) {
        if self.daily_flags == 0 {
            return;
        }
        self.accounts.retain(|_, record| {
            record.flags.do_not_dial_daily = false;
            !record.is_empty()
        });
        self.daily_flags = 0;
    }

    /// A canonical, order-independent description of everything filed, for
    /// comparing this index with one rebuilt from the entries (`validate`).
    /// Also checks what a rebuilt index cannot show: no empty bucket or
    /// layout is kept, every pattern sits under its own layout, and every
    /// key's postings have the shape their count calls for.
    pub(crate) fn fingerprint(&self) -> Result<Vec<String>, String> {
        let mut lines = Vec::new();
        let mut postings = |kind: &str, key: String, list: &Postings| {
            if list.is_empty() {
                return Err(format!("empty {kind} bucket {key}"));
            }
            list.check_shape()
                .map_err(|error| format!("{kind} {key}: {error}"))?;
            for posting in list.iter() {
                lines.push(format!(
                    "{kind} {key} {:?} {:?}",
                    posting.id, posting.service
                ));
            }
            Ok(())
        };
        for (account, record) in &self.accounts {
            let folded = account.as_str().to_ascii_lowercase();
            if record.is_empty() {
                return Err(format!("account {account} kept with nothing in it"));
            }
            if record.entries.len() > CROWD || (record.entries_spread && !record.entries.is_empty())
            {
                return Err(format!("account {account}: entries kept in both places"));
            }
            let spread = self.spread_accounts.get(account);
            if record.entries_spread != spread.is_some() {
                return Err(format!("account {account}: spread entries out of step"));
            }
            for posting in &record.entries {
                let mut list = Postings::default();
                list.push(*posting);
                postings("account", folded.clone(), &list)?;
            }
            if let Some(spread) = spread {
                postings("account", folded.clone(), spread)?;
            }
            if record.pairs.len() > CROWD || (record.spread_pairs > 0 && !record.pairs.is_empty()) {
                return Err(format!("account {account}: pairs kept in both places"));
            }
            for (phone, posting) in &record.pairs {
                let mut list = Postings::default();
                list.push(*posting);
                postings(
                    "pair",
                    format!("{}/{folded}", Phone::from_packed(*phone)),
                    &list,
                )?;
            }
        }
        let mut spread: HashMap<&Account, u32> = HashMap::new();
        for (PairKey(account, phone), list) in &self.pairs {
            let folded = account.as_str().to_ascii_lowercase();
            postings(
                "pair",
                format!("{}/{folded}", Phone::from_packed(*phone)),
                list,
            )?;
            *spread.entry(account).or_default() += list.iter().count() as u32;
        }
        for (account, record) in &self.accounts {
            if spread.get(account).copied().unwrap_or(0) != record.spread_pairs {
                return Err(format!("account {account}: spread pairs miscounted"));
            }
        }
        if spread
            .keys()
            .any(|account| !self.accounts.contains_key(*account))
            || self
                .spread_accounts
                .keys()
                .any(|account| !self.accounts.contains_key(account))
        {
            return Err("spread entries of an account without a record".to_owned());
        }
        for (key, list) in &self.zip {
            postings("zip", key.to_string(), list)?;
        }
        for (layout, phone, list) in self.phone_patterns.iter() {
            if PhoneLayout::of(phone) != layout {
                return Err(format!("phone pattern {phone} under layout {layout:?}"));
            }
            postings("phone-pattern", phone.to_string(), list)?;
        }
        for (layout, key, list) in self.account_patterns.iter() {
            if AccountLayout::of_bytes(key.as_bytes()) != layout {
                return Err(format!("account pattern {key:?} under layout {layout:?}"));
            }
            postings("account-pattern", format!("{key:?}"), list)?;
        }
        for ((phone_layout, account_layout), key, list) in self.pair_patterns.iter() {
            let phone = Phone::from_packed(key.phone);
            if PhoneLayout::of(phone) != phone_layout
                || AccountLayout::of_bytes(key.account.as_bytes()) != account_layout
            {
                return Err(format!("pair pattern {key:?} under another layout"));
            }
            postings("pair-pattern", format!("{phone}/{:?}", key.account), list)?;
        }
        for (account, record) in &self.accounts {
            if record.flags.any() {
                let folded = account.as_str().to_ascii_lowercase();
                lines.push(format!("flags {folded} {:?}", record.flags));
            }
        }
        lines.push(format!(
            "layouts {} {} {}",
            self.phone_patterns.layouts(),
            self.account_patterns.layouts(),
            self.pair_patterns.layouts()
        ));
        lines.push(format!("daily-flags {}", self.daily_flags));
        lines.sort();
        Ok(lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An account record is one per account (a million flagged accounts a
    /// client is a real shape): it stays within a cache line.
    #[test]
    fn an_account_record_fits_in_64_bytes() {
        assert!(std::mem::size_of::<AccountRecord>() <= 64);
    }
}
