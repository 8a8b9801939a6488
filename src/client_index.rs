//! One client's account, phone + account and zip entries, account flags and
//! wildcard patterns, indexed for checks. (Phone-only entries, the bulk of a
//! list, live in the engine-wide [`PhoneStore`](crate::phone_store); their
//! wildcard patterns are filed here too, for the dial check.)
//!
//! Everything about one account (its account entries, its phone + account
//! entries and its flags) is one record in one map, so an account in a check
//! costs one probe; zips have their own map. A check's cost does not grow
//! with the number of entries. Entries carry their service so that the
//! service filter (SPEC 2, rule 1) runs on the probed record only.

use hashbrown::HashMap;
use smallvec::SmallVec;

use crate::account::Account;
use crate::entry::{DncEntry, DncKey};
use crate::flags::{AccountFlags, FlagUpdate};
use crate::ids::{EntryId, ServiceId};
use crate::pattern_index::{
    AccountPattern, AccountPrefixIndex, PairPattern, PhonePattern, PhonePrefixIndex,
};
use crate::phone::Phone;
use crate::query::Query;
use crate::verdict::{CheckRule, Verdict};
use crate::zip::Zip;

/// One entry as filed under its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Posting {
    id: EntryId,
    /// `None` for a client-level entry.
    service: Option<ServiceId>,
}

/// The entries filed under one key; one inline, more on the heap.
type Postings = SmallVec<[Posting; 1]>;

/// Everything filed under one account.
#[derive(Clone, Debug, Default)]
struct AccountRecord {
    /// Account-only entries.
    entries: Postings,
    /// Phone + account entries, with their packed phone (usually none or one).
    pairs: SmallVec<[(u64, Posting); 1]>,
    /// Its Do Not Dial flags.
    flags: AccountFlags,
}

impl AccountRecord {
    fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.pairs.is_empty() && !self.flags.any()
    }
}

/// Whether an entry scoped to `scope` applies to a check for `service`.
fn applies(scope: Option<ServiceId>, service: ServiceId) -> bool {
    scope.is_none_or(|scope| scope == service)
}

/// A client's indexes. The engine's id → entry map is the source of truth;
/// this is derived from it and [`ClientIndex::fingerprint`] lets `validate`
/// prove it.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClientIndex {
    /// Only accounts with an entry or a flag are kept.
    accounts: HashMap<Account, AccountRecord>,
    zip: HashMap<Zip, Postings>,
    phone_patterns: PhonePrefixIndex<PhonePattern>,
    account_patterns: AccountPrefixIndex,
    pair_patterns: PhonePrefixIndex<PairPattern>,
    /// How many accounts have `doNotDialDaily` set, so that a nightly clear
    /// with none to reset reads no account.
    daily_flags: usize,
}

/// Adds to `verdict` every posting that applies to a check for `service`.
fn collect(postings: &Postings, service: ServiceId, verdict: &mut Verdict) {
    for posting in postings {
        if applies(posting.service, service) {
            verdict.push_entry(posting.id);
        }
    }
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
                    let pattern = PhonePattern {
                        id: entry.id,
                        service: entry.service,
                        phone: *phone,
                    };
                    self.phone_patterns.insert(*phone, pattern);
                }
            }
            DncKey::Account(account) => {
                self.accounts
                    .entry(account.clone())
                    .or_default()
                    .entries
                    .push(posting);
                if account.has_wildcard() {
                    self.account_patterns.insert(AccountPattern {
                        id: entry.id,
                        service: entry.service,
                        account: account.clone(),
                    });
                }
            }
            DncKey::PhoneAccount(phone, account) => {
                self.accounts
                    .entry(account.clone())
                    .or_default()
                    .pairs
                    .push((phone.packed(), posting));
                if phone.has_wildcard() || account.has_wildcard() {
                    let pattern = PairPattern {
                        id: entry.id,
                        service: entry.service,
                        phone: *phone,
                        account: account.clone(),
                    };
                    self.pair_patterns.insert(*phone, pattern);
                }
            }
            DncKey::Zip(zip) => self.zip.entry(*zip).or_default().push(posting),
        }
    }

    pub(crate) fn remove(&mut self, entry: &DncEntry) {
        let id = entry.id;
        match &entry.key {
            DncKey::Phone(phone) => {
                if phone.has_wildcard() {
                    self.phone_patterns.remove(*phone, id);
                }
            }
            DncKey::Account(account) => {
                self.update_account(account, |record| record.entries.retain(|p| p.id != id));
                if account.has_wildcard() {
                    self.account_patterns.remove(account, id);
                }
            }
            DncKey::PhoneAccount(phone, account) => {
                self.update_account(account, |record| record.pairs.retain(|(_, p)| p.id != id));
                if phone.has_wildcard() || account.has_wildcard() {
                    self.pair_patterns.remove(*phone, id);
                }
            }
            DncKey::Zip(zip) => {
                if let Some(postings) = self.zip.get_mut(zip) {
                    postings.retain(|posting| posting.id != id);
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
        // Literal matches first: one probe per key kind present in the request
        // (phone-only entries were collected from the phone store).
        if let Some(record) = query.account.and_then(|account| self.accounts.get(account)) {
            collect(&record.entries, service, verdict);
            verdict.set_flags(record.flags);
            if let Some(phone) = query.phone.map(Phone::packed) {
                for (pair_phone, posting) in &record.pairs {
                    if *pair_phone == phone && applies(posting.service, service) {
                        verdict.push_entry(posting.id);
                    }
                }
            }
        }
        if let Some(zip) = query.zip {
            if let Some(postings) = self.zip.get(&zip) {
                collect(postings, service, verdict);
            }
        }
        if rule == CheckRule::IsBlocked {
            return;
        }
        // The dial check adds the patterns whose literal prefix the request
        // starts with; each candidate is then matched in full. A pattern that
        // equals the request literally was found above as well: `finish`
        // removes the repeat.
        if let Some(phone) = query.phone.filter(|_| legacy_phones) {
            self.phone_patterns.for_each_candidate(phone, |pattern| {
                if applies(pattern.service, service) && pattern.phone.pattern_matches(phone) {
                    verdict.push_entry(pattern.id);
                }
            });
        }
        if let Some(account) = query.account {
            self.account_patterns
                .for_each_candidate(account, |pattern| {
                    if applies(pattern.service, service) && pattern.account.pattern_matches(account)
                    {
                        verdict.push_entry(pattern.id);
                    }
                });
            if let Some(phone) = query.phone {
                self.pair_patterns.for_each_candidate(phone, |pattern| {
                    if applies(pattern.service, service)
                        && pattern.phone.pattern_matches(phone)
                        && pattern.account.pattern_matches(account)
                    {
                        verdict.push_entry(pattern.id);
                    }
                });
            }
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
    pub(crate) fn fingerprint(&self) -> Result<Vec<String>, String> {
        let mut lines = Vec::new();
        let postings = |kind: &str, key: String, list: &Postings, lines: &mut Vec<String>| {
            if list.is_empty() {
                return Err(format!("empty {kind} bucket {key}"));
            }
            for posting in list {
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
            for posting in &record.entries {
                lines.push(format!(
                    "account {folded} {:?} {:?}",
                    posting.id, posting.service
                ));
            }
            for (phone, posting) in &record.pairs {
                lines.push(format!(
                    "pair {phone}/{folded} {:?} {:?}",
                    posting.id, posting.service
                ));
            }
            if record.flags.any() {
                lines.push(format!("flags {folded} {:?}", record.flags));
            }
        }
        for (key, list) in &self.zip {
            postings("zip", key.to_string(), list, &mut lines)?;
        }
        if self.phone_patterns.has_empty_bucket()
            || self.account_patterns.has_empty_bucket()
            || self.pair_patterns.has_empty_bucket()
        {
            return Err("empty pattern bucket".to_owned());
        }
        for (prefix, pattern) in self.phone_patterns.iter() {
            lines.push(format!("phone-pattern {prefix} {pattern:?}"));
        }
        for (prefix, pattern) in self.account_patterns.iter() {
            lines.push(format!("account-pattern {prefix:?} {pattern:?}"));
        }
        for (prefix, pattern) in self.pair_patterns.iter() {
            lines.push(format!("pair-pattern {prefix} {pattern:?}"));
        }
        lines.push(format!("phone-lengths {:?}", self.phone_patterns.lengths()));
        lines.push(format!(
            "account-lengths {:?}",
            self.account_patterns.lengths()
        ));
        lines.push(format!("pair-lengths {:?}", self.pair_patterns.lengths()));
        lines.push(format!("daily-flags {}", self.daily_flags));
        lines.sort();
        Ok(lines)
    }
}
