//! The registries part: the copies the host loaded (one per source, shared
//! by every client: a registry is public data), each client's
//! subscriptions and exemptions (its own data, behind the tenant walls),
//! and the check that puts them together.

use std::collections::BTreeMap;

use hashbrown::HashMap;
use jiff::Timestamp;
use smallvec::SmallVec;

use crate::error::DncError;
use crate::geo::{AreaCode, AreaCodeInfo, Country, StateCode};
use crate::registry::exemption::{Exemption, ExemptionKind, ExemptionSubject, ExemptionUsed};
use crate::registry::list::{Registry, RegistryAnswer};
use crate::registry::source::RegistrySource;
use crate::registry::subscription::Subscription;
use crate::registry::verdict::{FRESH_FOR, RegistryCheck, RegistryStatus, RegistryVerdict};
use crate::values::account::Account;
use crate::values::ids::ClientId;
use crate::values::phone::Phone;

/// Where the callee's ZIP puts it, for the state lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ZipPlace {
    /// No ZIP was given.
    None,
    /// The ZIP's state.
    State(StateCode),
    /// A ZIP the tables do not place (unknown, or military): the callee may
    /// be in any state.
    Anywhere,
}

/// One client's exemptions: at most one record of each kind per subject.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ClientExemptions {
    phones: HashMap<u64, SmallVec<[Exemption; 1]>>,
    accounts: HashMap<Account, SmallVec<[Exemption; 1]>>,
}

impl ClientExemptions {
    fn is_empty(&self) -> bool {
        self.phones.is_empty() && self.accounts.is_empty()
    }
}

/// The registries part.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RegistryStore {
    copies: BTreeMap<RegistrySource, Registry>,
    /// Each client's subscriptions, one per source, ascending by source.
    subscriptions: HashMap<ClientId, Vec<Subscription>>,
    exemptions: HashMap<ClientId, ClientExemptions>,
}

/// Whether `source`'s registry may list the callee of a number whose area
/// code is `info`: the US registry for a US area code, the Canadian list
/// for a Canadian one, a state's list for an area code serving the state or
/// a ZIP in it. A number of no known place (toll-free, 5XX, a spare code)
/// or a ZIP the tables do not place may be anywhere: every registry applies
/// (the conservative reading; a host that knows better records a
/// `BUSINESS` exemption).
fn applies(source: RegistrySource, info: &AreaCodeInfo, zip: ZipPlace) -> bool {
    if info.country == Country::None {
        return true;
    }
    match source {
        RegistrySource::UsNational => info.country == Country::Usa,
        RegistrySource::CaNational => info.country == Country::Canada,
        RegistrySource::State(state) => {
            info.serves_state(state) || zip == ZipPlace::State(state) || zip == ZipPlace::Anywhere
        }
    }
}

/// The subject's number, refusing a phone that is not ten digits.
fn subject_number(phone: Phone) -> Result<u64, DncError> {
    let refused = || DncError::InvalidExemption {
        field: "phone",
        value: phone.to_string(),
        reason: "an exemption's number must be a 10-digit NANP number, without wildcards",
    };
    AreaCode::of_phone(phone).map_err(|_| refused())?;
    phone.ten_digits().ok_or_else(refused)
}

/// What an exemption is filed under: a phone's ten-digit number, or the
/// account.
enum SubjectKey<'a> {
    Number(u64),
    Account(&'a Account),
}

impl SubjectKey<'_> {
    /// The key of `subject`, refusing a phone that is not a NANP number.
    fn of(subject: &ExemptionSubject) -> Result<SubjectKey<'_>, DncError> {
        Ok(match subject {
            ExemptionSubject::Phone(phone) => SubjectKey::Number(subject_number(*phone)?),
            ExemptionSubject::Account(account) => SubjectKey::Account(account),
        })
    }
}

/// Whether `new` should take the place of `old` (same subject, same kind):
/// the later `since` (the last transaction, inquiry or consent is what
/// counts); at the same `since` the one that ends first (a revocation
/// recorded for an open consent wins).
fn supersedes(new: &Exemption, old: &Exemption) -> bool {
    let end = |exemption: &Exemption| exemption.until.unwrap_or(Timestamp::MAX);
    new.since > old.since || (new.since == old.since && end(new) < end(old))
}

impl RegistryStore {
    /// The copy of `source`, if the host loaded one.
    pub(crate) fn copy(&self, source: RegistrySource) -> Option<&Registry> {
        self.copies.get(&source)
    }

    /// The copy of `source`, made empty first if there is none.
    pub(crate) fn copy_mut(&mut self, source: RegistrySource) -> &mut Registry {
        self.copies
            .entry(source)
            .or_insert_with(|| Registry::new(source))
    }

    /// Puts `registry` in as its source's copy; the old copy, if any.
    pub(crate) fn put_copy(&mut self, registry: Registry) -> Option<Registry> {
        self.copies.insert(registry.source(), registry)
    }

    /// Takes `source`'s copy out.
    pub(crate) fn remove_copy(&mut self, source: RegistrySource) -> Option<Registry> {
        self.copies.remove(&source)
    }

    /// Every copy, by source.
    pub(crate) fn copies(&self) -> impl Iterator<Item = &Registry> + '_ {
        self.copies.values()
    }

    /// Sets `client`'s subscription to its source (replacing the one it had).
    pub(crate) fn subscribe(&mut self, client: ClientId, subscription: Subscription) {
        let subscriptions = self.subscriptions.entry(client).or_default();
        match subscriptions.binary_search_by_key(&subscription.source, |held| held.source) {
            Ok(at) => subscriptions[at] = subscription,
            Err(at) => subscriptions.insert(at, subscription),
        }
    }

    /// Ends `client`'s subscription to `source`; whether it had one.
    pub(crate) fn unsubscribe(&mut self, client: ClientId, source: RegistrySource) -> bool {
        let Some(subscriptions) = self.subscriptions.get_mut(&client) else {
            return false;
        };
        let before = subscriptions.len();
        subscriptions.retain(|held| held.source != source);
        let removed = subscriptions.len() != before;
        if subscriptions.is_empty() {
            self.subscriptions.remove(&client);
        }
        removed
    }

    /// `client`'s subscriptions, ascending by source.
    pub(crate) fn subscriptions(&self, client: ClientId) -> &[Subscription] {
        self.subscriptions.get(&client).map_or(&[], Vec::as_slice)
    }

    /// Every client with a subscription, in no particular order.
    #[cfg(feature = "serde")]
    pub(crate) fn subscribed_clients(&self) -> impl Iterator<Item = ClientId> + '_ {
        self.subscriptions.keys().copied()
    }

    /// Records `exemption` for `client` and `subject`. The subject keeps one
    /// record of each kind: this one, unless the one it holds
    /// [supersedes](supersedes) it. Whether this one is now the record.
    pub(crate) fn add_exemption(
        &mut self,
        client: ClientId,
        subject: &ExemptionSubject,
        exemption: Exemption,
    ) -> Result<bool, DncError> {
        exemption.validate()?;
        // The subject is checked before anything is filed: a refused add
        // leaves no trace (an empty record here would make the client's
        // later removals answer differently from a restored engine's).
        let key = SubjectKey::of(subject)?;
        let held = self.exemptions.entry(client).or_default();
        let records = match key {
            SubjectKey::Number(number) => held.phones.entry(number).or_default(),
            SubjectKey::Account(account) => held.accounts.entry(account.clone()).or_default(),
        };
        match records.iter_mut().find(|old| old.kind == exemption.kind) {
            Some(old) if supersedes(&exemption, old) || *old == exemption => {
                *old = exemption;
                Ok(true)
            }
            Some(_) => Ok(false),
            None => {
                records.push(exemption);
                Ok(true)
            }
        }
    }

    /// Removes `client`'s exemption of `kind` for `subject`; whether there
    /// was one.
    pub(crate) fn remove_exemption(
        &mut self,
        client: ClientId,
        subject: &ExemptionSubject,
        kind: ExemptionKind,
    ) -> Result<bool, DncError> {
        // A malformed subject is refused whether or not the client holds
        // anything, so that the answer never depends on the client's state.
        let key = SubjectKey::of(subject)?;
        let Some(held) = self.exemptions.get_mut(&client) else {
            return Ok(false);
        };
        let removed = match key {
            SubjectKey::Number(number) => remove_kind(&mut held.phones, &number, kind),
            SubjectKey::Account(account) => remove_kind(&mut held.accounts, account, kind),
        };
        if held.is_empty() {
            self.exemptions.remove(&client);
        }
        Ok(removed)
    }

    /// `client`'s exemptions, in no particular order.
    pub(crate) fn exemptions(
        &self,
        client: ClientId,
    ) -> impl Iterator<Item = (ExemptionSubject, Exemption)> + '_ {
        let held = self.exemptions.get(&client);
        let phones = held.into_iter().flat_map(|held| {
            held.phones.iter().flat_map(|(&number, records)| {
                let phone =
                    Phone::parse(&format!("{number:010}")).expect("a stored ten-digit number");
                records
                    .iter()
                    .map(move |&record| (ExemptionSubject::Phone(phone), record))
            })
        });
        let accounts = held.into_iter().flat_map(|held| {
            held.accounts.iter().flat_map(|(account, records)| {
                records
                    .iter()
                    .map(move |&record| (ExemptionSubject::Account(account.clone()), record))
            })
        });
        phones.chain(accounts)
    }

    /// Every client with an exemption, in no particular order.
    #[cfg(feature = "serde")]
    pub(crate) fn exempted_clients(&self) -> impl Iterator<Item = ClientId> + '_ {
        self.exemptions.keys().copied()
    }

    /// What the registries `client` subscribes to say of a contact with
    /// `phone` (ten digits; the caller checked) about `account`, with the
    /// callee's ZIP at `zip`, at `at`.
    ///
    /// Once the client subscribes to any registry, the national registry of
    /// the number's country must be among them (else `NotSubscribed`). For
    /// each subscribed registry that [applies](applies) to the number:
    /// not subscribed for the area code, no copy covering it, a copy more
    /// than [`FRESH_FOR`] old or obtained after `at` refuses the contact as
    /// a listing does; an
    /// exemption of the number or the account in force at `at` lifts any of
    /// them.
    pub(crate) fn check(
        &self,
        client: ClientId,
        phone: Phone,
        account: Option<&Account>,
        zip: ZipPlace,
        at: Timestamp,
    ) -> Result<RegistryVerdict, DncError> {
        let mut verdict = RegistryVerdict::default();
        let subscriptions = self.subscriptions(client);
        if subscriptions.is_empty() {
            return Ok(verdict);
        }
        let (area_code, _) = AreaCode::of_phone(phone)?;
        let info = area_code.info();
        // A client that takes part in the registries must hold the national
        // registry of the number's country: a telemarketer calling a US
        // number must scrub against the US registry (16 CFR
        // 310.4(b)(1)(iii)(B)), one calling a Canadian number against the
        // National DNCL (CRTC Unsolicited Telecommunications Rules, Part II:
        // "subscribe, pay and access"). Without it the answer is
        // `NotSubscribed`, never silence.
        for national in [RegistrySource::UsNational, RegistrySource::CaNational] {
            let held = subscriptions.iter().any(|held| held.source == national);
            if !held && applies(national, &info, zip) {
                let status = RegistryStatus::NotSubscribed;
                let exemption = self.exemption_for(client, phone, account, national, at);
                verdict.checks.push(RegistryCheck {
                    source: national,
                    area_code,
                    status,
                    exemption,
                });
            }
        }
        for subscription in subscriptions {
            let source = subscription.source;
            if !applies(source, &info, zip) {
                continue;
            }
            let status = if !subscription.area_codes.covers(area_code) {
                RegistryStatus::NotSubscribed
            } else {
                self.copy_status(source, phone, at)
            };
            let exemption = if status.refuses() {
                self.exemption_for(client, phone, account, source, at)
            } else {
                None
            };
            verdict.checks.push(RegistryCheck {
                source,
                area_code,
                status,
                exemption,
            });
        }
        verdict.checks.sort_by_key(|check| check.source);
        Ok(verdict)
    }

    /// What `source`'s copy says of `phone` at `at`.
    fn copy_status(&self, source: RegistrySource, phone: Phone, at: Timestamp) -> RegistryStatus {
        let Some(copy) = self.copies.get(&source) else {
            return RegistryStatus::NotCovered;
        };
        let (listed, obtained) = match copy.check(phone) {
            RegistryAnswer::NotCovered { .. } => return RegistryStatus::NotCovered,
            RegistryAnswer::Listed { obtained, .. } => (true, obtained),
            RegistryAnswer::NotListed { obtained, .. } => (false, obtained),
        };
        if obtained > at {
            RegistryStatus::AfterCheck { obtained, listed }
        } else if at.duration_since(obtained) > FRESH_FOR {
            RegistryStatus::Stale { obtained, listed }
        } else if listed {
            RegistryStatus::Listed { obtained }
        } else {
            RegistryStatus::NotListed { obtained }
        }
    }

    /// The exemption of `client` for the number or the account that lifts
    /// `source` at `at` and lapses last (ties: the number's, the later
    /// `since`, the kind's order).
    fn exemption_for(
        &self,
        client: ClientId,
        phone: Phone,
        account: Option<&Account>,
        source: RegistrySource,
        at: Timestamp,
    ) -> Option<ExemptionUsed> {
        let held = self.exemptions.get(&client)?;
        let by_phone = phone
            .ten_digits()
            .and_then(|number| held.phones.get(&number))
            .into_iter()
            .flatten()
            .map(|record| (ExemptionSubject::Phone(phone), record));
        let by_account = account
            .and_then(|account| held.accounts.get(account).map(|records| (account, records)))
            .into_iter()
            .flat_map(|(account, records)| {
                records
                    .iter()
                    .map(move |record| (ExemptionSubject::Account(account.clone()), record))
            });
        by_phone
            .chain(by_account)
            .filter(|(_, record)| record.in_force(source, at))
            // The one that lapses last; at a tie the number's over the
            // account's, then the later `since`, then the kind's order, so
            // the answer does not depend on the order records were kept in.
            .max_by_key(|(subject, record)| {
                (
                    record.lapses(source).unwrap_or(Timestamp::MAX),
                    matches!(subject, ExemptionSubject::Phone(_)),
                    record.since,
                    record.kind,
                )
            })
            .map(|(subject, record)| ExemptionUsed {
                subject,
                exemption: *record,
                lapses: record.lapses(source),
            })
    }
}

/// Removes the record of `kind` under `key`, and the key once it has none.
fn remove_kind<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, SmallVec<[Exemption; 1]>>,
    key: &K,
    kind: ExemptionKind,
) -> bool {
    let Some(records) = map.get_mut(key) else {
        return false;
    };
    let before = records.len();
    records.retain(|record| record.kind != kind);
    let removed = records.len() != before;
    if records.is_empty() {
        map.remove(key);
    }
    removed
}
