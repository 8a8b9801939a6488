//! One client's account, phone + account and zip entries, account flags and
//! wildcard patterns, indexed for checks. (Phone-only entries, the bulk of a
//! list, live in the engine-wide [`PhoneStore`](crate::phone_store); their
//! wildcard patterns are filed here too, for the dial check.)
//!
//! An account's entries and flags are one record in one map, so an account
//! in a check costs one probe; phone + account entries are keyed by both
//! (one more probe, whatever the account holds), zips have their own map,
//! and patterns are indexed by their star layout
//! ([`pattern_index`](crate::pattern_index)). Every key's entries carry
//! their service, split by service once a key holds many
//! ([`Postings`]), so a check reads the entries of its key that can apply
//! and no others: its cost does not grow with the number of entries.

use std::hash::{Hash, Hasher};

use hashbrown::{Equivalent, HashMap};

use crate::account::Account;
use crate::entry::{DncEntry, DncKey};
use crate::flags::{AccountFlags, FlagUpdate};
use crate::pattern_index::{AccountLayout, AccountPatterns, PairPatterns, PhoneLayout, PhonePatterns};
use crate::phone::Phone;
use crate::postings::{Posting, Postings};
use crate::query::Query;
use crate::verdict::{CheckRule, Verdict};
use crate::zip::Zip;

/// Everything filed under one account.
#[derive(Clone, Debug, Default)]
struct AccountRecord {
    /// Account-only entries.
    entries: Postings,
    /// Its Do Not Dial flags.
    flags: AccountFlags,
}

impl AccountRecord {
    fn is_empty(&self) -> bool {
        self.entries.is_empty() && !self.flags.any()
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
    /// Phone + account entries, literally (`*` an ordinary character).
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
                self.accounts
                    .entry(account.clone())
                    .or_default()
                    .entries
                    .push(posting);
                if account.has_wildcard() {
                    self.account_patterns.insert(account, posting);
                }
            }
            DncKey::PhoneAccount(phone, account) => {
                self.pairs
                    .entry(PairKey(account.clone(), phone.packed()))
                    .or_default()
                    .push(posting);
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
                self.update_account(account, |record| record.entries.remove(id, service));
                if account.has_wildcard() {
                    self.account_patterns.remove(account, id, service);
                }
            }
            DncKey::PhoneAccount(phone, account) => {
                let key = PairRef(account, phone.packed());
                if let Some(postings) = self.pairs.get_mut(&key) {
                    postings.remove(id, service);
                    if postings.is_empty() {
                        self.pairs.remove(&key);
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
        if let Some(account) = query.account {
            if let Some(record) = self.accounts.get(account) {
                record.entries.for_each_applicable(service, &mut found);
                flags = Some(record.flags);
            }
            if let Some(phone) = query.phone.filter(|_| !self.pairs.is_empty()) {
                if let Some(postings) = self.pairs.get(&PairRef(account, phone.packed())) {
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
            if !record.entries.is_empty() {
                postings("account", folded.clone(), &record.entries)?;
            }
        }
        for (PairKey(account, phone), list) in &self.pairs {
            let folded = account.as_str().to_ascii_lowercase();
            postings("pair", format!("{}/{folded}", Phone::from_packed(*phone)), list)?;
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
