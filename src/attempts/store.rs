//! The attempts part's private engine: each client's contact history,
//! bounded by the host's trims, its attempt rules and whether it collects
//! debts.
//!
//! An attempt is kept once: under its person when it has one, else under
//! its number; each number remembers the persons sought on it, so every
//! attempt a rule can count for a contact is found from the contact's
//! person and number without a scan.
//!
//! A dial decision's caps look a person up once: the person's key leads
//! straight to its attempts (no key id to look up first). At 10M attempts
//! resident every lookup is a cache miss or two, and they are what the
//! caps cost (the README's "Laws and caps").

use hashbrown::HashMap;
use jiff::{SignedDuration, Timestamp};
use smallvec::SmallVec;

use crate::attempts::attempt::{ContactKey, NewAttempt, Outcome};
use crate::attempts::rule::{AttemptRule, NewAttemptRule};
use crate::channel::DialChannel;
use crate::error::DncError;
use crate::values::ids::{AttemptRuleId, ClientId, MAX_ID};

/// Regulation F's consent exclusion: a call placed within seven days after
/// the person's direct prior consent (12 CFR 1006.14(b)(3)(ii)).
pub const CONSENT_LASTS: SignedDuration = SignedDuration::from_hours(7 * 24);

/// One kept attempt: 40 bytes. Its person is the list it is kept in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Kept {
    /// Epoch milliseconds.
    pub(crate) at: i64,
    /// The number, packed.
    pub(crate) phone: u64,
    /// The fingerprints of its debts ([`ContactKey::fingerprint`]) when it
    /// names one or two (0 in a place unused); both 0 when it names none
    /// or more than two (then `debts` says which). A contact's debts are
    /// matched here without reading the debt set: at 10M attempts resident
    /// that read is a cache miss or two a person.
    pub(crate) debt: [u64; 2],
    /// The debt set's id; 0 for none (every debt).
    pub(crate) debts: u32,
    /// Bits 0-2 the outcome, bit 3 a text, bit 4 placed with consent.
    kind: u8,
}

impl Kept {
    #[inline]
    pub(crate) fn outcome(self) -> Outcome {
        Outcome::from_index(self.kind & 0b111)
    }

    #[inline]
    pub(crate) fn channel(self) -> DialChannel {
        if self.kind & 0b1000 != 0 {
            DialChannel::Sms
        } else {
            DialChannel::Voice
        }
    }

    /// Placed within seven days after the person's consent.
    #[inline]
    pub(crate) fn with_consent(self) -> bool {
        self.kind & 0b1_0000 != 0
    }
}

/// The kept attempts near one contact ([`ClientAttempts::nearby`]).
#[derive(Clone, Copy)]
pub(crate) struct Nearby<'a> {
    part: &'a ClientAttempts,
    phone: u64,
    named: bool,
    unnamed: &'a [Kept],
    own: &'a [Kept],
    persons: &'a [u32],
}

// Visits rather than iterators: the caps count over these several times a
// decision, and a chain of flattened iterators is a state of a kilobyte,
// copied at each count (measured: a tenth of the decision at 100k
// attempts).
impl<'a> Nearby<'a> {
    /// Gives `visit` the attempts on the number of every person sought on
    /// it.
    fn each_of_persons_on_number(self, visit: &mut impl FnMut(&'a Kept)) {
        for &id in self.persons {
            for kept in self.part.person_attempts(id) {
                if kept.phone == self.phone {
                    visit(kept);
                }
            }
        }
    }

    /// Gives `visit` every attempt that may be of the contact's person: the
    /// person's on any number and the number's without a person; for a
    /// contact naming no person, every attempt on the number.
    #[inline]
    pub(crate) fn each_of_person(self, mut visit: impl FnMut(&'a Kept)) {
        for kept in self.unnamed {
            visit(kept);
        }
        for kept in self.own {
            visit(kept);
        }
        if !self.named {
            self.each_of_persons_on_number(&mut visit);
        }
    }

    /// Gives `visit` every attempt on the contact's number, whoever was
    /// sought.
    #[inline]
    pub(crate) fn each_of_phone(self, mut visit: impl FnMut(&'a Kept)) {
        for kept in self.unnamed {
            visit(kept);
        }
        self.each_of_persons_on_number(&mut visit);
    }
}

/// One client's history and settings.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClientAttempts {
    /// Marked as a debt collector (Regulation F applies).
    pub(crate) collector: bool,
    /// Person and debt keys by id (id = position + 1); a person's id is
    /// freed when its last attempt is trimmed and given to the next person.
    key_names: Vec<ContactKey>,
    free_person_ids: Vec<u32>,
    /// The ids of debt keys.
    debt_ids: HashMap<ContactKey, u32>,
    /// Debt sets by id (id = position + 1), each sorted, and the
    /// fingerprints of each set's debts.
    debt_sets: Vec<Box<[u32]>>,
    debt_fingerprints: Vec<Box<[u64]>>,
    debt_set_ids: HashMap<Box<[u32]>, u32>,
    /// Attempts without a person, by number, in the order recorded.
    by_phone: HashMap<u64, Vec<Kept>>,
    /// Attempts with a person, by the person's key.
    persons: HashMap<ContactKey, PersonAttempts>,
    /// The persons sought on each number.
    phone_persons: HashMap<u64, SmallVec<[u32; 2]>>,
    /// The client's rules, by id.
    pub(crate) rules: Vec<AttemptRule>,
    /// How many attempts are kept.
    count: usize,
}

/// One person's attempts, with the id the lists of persons sought on a
/// number name it by.
///
/// Eight attempts are held in the map's entry itself, so that a decision
/// reads the person's key and history in one place: at 10M attempts
/// resident each separate read is a miss to memory, and the caps were
/// twice the rest of the decision with the history behind a pointer
/// (measured, the README's "Laws and caps"). Eight is a trimmed week of
/// one debt under Regulation F: seven placed calls and the conversation or
/// refusal that ends them (12 CFR 1006.14(b)(2)(i)). A longer history moves
/// to the heap and costs one more read; a shorter one leaves the room
/// unused (the bytes an attempt the README gives).
#[derive(Clone, Debug, Default)]
struct PersonAttempts {
    id: u32,
    attempts: SmallVec<[Kept; PERSON_ATTEMPTS_INLINE]>,
}

/// How many of a person's attempts its entry holds inline.
const PERSON_ATTEMPTS_INLINE: usize = 8;

impl ClientAttempts {
    /// The key of an id.
    pub(crate) fn key_name(&self, id: u32) -> Option<&ContactKey> {
        self.key_names.get(id.checked_sub(1)? as usize)
    }

    /// The attempts of the person of `id` (none for an id no person holds).
    fn person_attempts(&self, id: u32) -> &[Kept] {
        self.key_name(id)
            .and_then(|key| self.persons.get(key))
            .filter(|person| person.id == id)
            .map_or(&[], |person| person.attempts.as_slice())
    }

    /// Whether `kept` counts against the debt of `fingerprint`: it names
    /// no debt (it counts against every one) or names this one.
    #[inline]
    pub(crate) fn counts_against(&self, kept: &Kept, fingerprint: u64) -> bool {
        kept.debts == 0
            || kept.debt[0] == fingerprint
            || kept.debt[1] == fingerprint
            || (kept.debt[0] == 0 && self.set_fingerprints(kept.debts).contains(&fingerprint))
    }

    /// The fingerprints of a debt set's debts (empty for 0).
    #[inline]
    fn set_fingerprints(&self, id: u32) -> &[u64] {
        id.checked_sub(1)
            .and_then(|index| self.debt_fingerprints.get(index as usize))
            .map_or(&[], |set| set)
    }

    /// The debts of a debt-set id (empty for 0).
    #[cfg(feature = "serde")]
    #[inline]
    pub(crate) fn debt_set(&self, id: u32) -> &[u32] {
        id.checked_sub(1)
            .and_then(|index| self.debt_sets.get(index as usize))
            .map_or(&[], |set| set)
    }

    /// The kept attempts a contact to `phone` about `person` can count,
    /// looked up once: the number's attempts without a person, the
    /// person's, and, when `whole_number` or the contact names no person,
    /// the persons sought on the number.
    #[inline]
    pub(crate) fn nearby(
        &self,
        phone: u64,
        person: Option<&ContactKey>,
        whole_number: bool,
    ) -> Nearby<'_> {
        let named = person.is_some();
        let unnamed = if self.by_phone.is_empty() {
            &[]
        } else {
            self.by_phone.get(&phone).map_or(&[][..], Vec::as_slice)
        };
        // A person never seen has no attempt kept.
        let own = person
            .and_then(|key| self.persons.get(key))
            .map_or(&[][..], |person| person.attempts.as_slice());
        let persons = if whole_number || !named {
            self.phone_persons
                .get(&phone)
                .map_or(&[][..], |p| p.as_slice())
        } else {
            &[]
        };
        Nearby {
            part: self,
            phone,
            named,
            unnamed,
            own,
            persons,
        }
    }

    fn intern_debt(&mut self, key: &ContactKey) -> Result<u32, DncError> {
        if let Some(&id) = self.debt_ids.get(key) {
            return Ok(id);
        }
        let id = next_key_id(&self.key_names)?;
        self.key_names.push(*key);
        self.debt_ids.insert(*key, id);
        Ok(id)
    }

    /// The attempts of the person of `key`, made (with an id) when new.
    fn person_entry(&mut self, key: &ContactKey) -> Result<&mut PersonAttempts, DncError> {
        let vacant = match self.persons.entry(*key) {
            hashbrown::hash_map::Entry::Occupied(person) => return Ok(person.into_mut()),
            hashbrown::hash_map::Entry::Vacant(vacant) => vacant,
        };
        let id = match self.free_person_ids.pop() {
            Some(id) => {
                self.key_names[id as usize - 1] = *key;
                id
            }
            None => {
                let id = next_key_id(&self.key_names)?;
                self.key_names.push(*key);
                id
            }
        };
        Ok(vacant.insert(PersonAttempts {
            id,
            attempts: SmallVec::new(),
        }))
    }

    fn intern_debts(&mut self, debts: &[ContactKey]) -> Result<u32, DncError> {
        if debts.is_empty() {
            return Ok(0);
        }
        let mut ids = debts
            .iter()
            .map(|debt| self.intern_debt(debt))
            .collect::<Result<Vec<u32>, DncError>>()?;
        ids.sort_unstable();
        ids.dedup();
        let ids = ids.into_boxed_slice();
        if let Some(&id) = self.debt_set_ids.get(&ids) {
            return Ok(id);
        }
        let id =
            u32::try_from(self.debt_sets.len() + 1).map_err(|_| DncError::CapacityExceeded {
                requested: self.debt_sets.len() + 1,
                reason: "a client holds at most 2^32 - 1 sets of debts".to_owned(),
            })?;
        self.debt_fingerprints.push(
            ids.iter()
                .map(|&key| self.key_names[key as usize - 1].fingerprint())
                .collect(),
        );
        self.debt_sets.push(ids.clone());
        self.debt_set_ids.insert(ids, id);
        Ok(id)
    }

    fn record(&mut self, attempt: &NewAttempt) -> Result<(), DncError> {
        let debts = self.intern_debts(&attempt.debts)?;
        let with_consent = attempt.consent.is_some_and(|given| {
            given <= attempt.at
                && given
                    .checked_add(CONSENT_LASTS)
                    .is_ok_and(|end| attempt.at < end)
        });
        let kind = attempt.outcome as u8
            | if attempt.channel == DialChannel::Sms {
                0b1000
            } else {
                0
            }
            | if with_consent { 0b1_0000 } else { 0 };
        let debt = match *self.set_fingerprints(debts) {
            [only] => [only, 0],
            [first, second] => [first, second],
            _ => [0, 0],
        };
        let kept = Kept {
            at: attempt.at.as_millisecond(),
            phone: attempt.phone.packed(),
            debt,
            debts,
            kind,
        };
        match &attempt.person {
            None => self.by_phone.entry(kept.phone).or_default().push(kept),
            Some(key) => {
                // The last step that can fail: nothing is kept before it.
                let person = self.person_entry(key)?;
                let id = person.id;
                person.attempts.push(kept);
                let persons = self.phone_persons.entry(kept.phone).or_default();
                if !persons.contains(&id) {
                    persons.push(id);
                }
            }
        }
        self.count += 1;
        Ok(())
    }

    /// Drops the attempts before `before` (epoch ms); how many went.
    fn trim(&mut self, before: i64) -> usize {
        let mut removed = 0;
        self.by_phone.retain(|_, list| {
            let len = list.len();
            list.retain(|kept| kept.at >= before);
            removed += len - list.len();
            !list.is_empty()
        });
        let mut freed = Vec::new();
        self.persons.retain(|_, person| {
            let len = person.attempts.len();
            person.attempts.retain(|kept| kept.at >= before);
            removed += len - person.attempts.len();
            if person.attempts.is_empty() {
                freed.push(person.id);
            }
            !person.attempts.is_empty()
        });
        let mut phone_persons = std::mem::take(&mut self.phone_persons);
        let part = &*self;
        phone_persons.retain(|&phone, persons| {
            persons.retain(|id| {
                part.person_attempts(*id)
                    .iter()
                    .any(|kept| kept.phone == phone)
            });
            !persons.is_empty()
        });
        self.phone_persons = phone_persons;
        // Freed only now: no list of persons names them any more.
        self.free_person_ids.extend(freed);
        self.count -= removed;
        removed
    }

    /// Every kept attempt with its person's key, as recorded (for
    /// snapshots and tests).
    #[cfg(feature = "serde")]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Option<&ContactKey>, &Kept)> {
        let unnamed = self.by_phone.values().flatten().map(|kept| (None, kept));
        let named = self
            .persons
            .iter()
            .flat_map(|(key, person)| person.attempts.iter().map(move |kept| (Some(key), kept)));
        unnamed.chain(named)
    }

    /// How many attempts are kept.
    pub(crate) fn len(&self) -> usize {
        self.count
    }
}

/// The id the next key of `key_names` takes.
fn next_key_id(key_names: &[ContactKey]) -> Result<u32, DncError> {
    u32::try_from(key_names.len() + 1).map_err(|_| DncError::CapacityExceeded {
        requested: key_names.len() + 1,
        reason: "a client holds at most 2^32 - 1 person and debt keys".to_owned(),
    })
}

/// Every client's attempts and rules.
#[derive(Clone, Debug, Default)]
pub(crate) struct AttemptStore {
    pub(crate) clients: HashMap<ClientId, ClientAttempts>,
    /// The last rule id given (engine-wide, never reused).
    pub(crate) last_rule_id: u64,
}

impl AttemptStore {
    /// The client's part, if it has one.
    #[inline]
    pub(crate) fn client(&self, client: ClientId) -> Option<&ClientAttempts> {
        self.clients.get(&client)
    }

    /// Records `attempt` for `client`: nothing changes when it is refused.
    pub(crate) fn record(
        &mut self,
        client: ClientId,
        attempt: &NewAttempt,
    ) -> Result<(), DncError> {
        // Checked before anything is interned, so a refusal leaves no key:
        // the number a dial decision would take (10 NANP digits, area code
        // and exchange 2-9).
        crate::geo::AreaCode::of_phone(attempt.phone)?;
        let part = self.clients.entry(client).or_default();
        let before = (part.key_names.len(), part.debt_sets.len());
        let result = part.record(attempt);
        if result.is_err() {
            // Only the capacity checks fail, after which nothing was kept:
            // the debt keys interned on the way are dropped too.
            part.key_names.truncate(before.0);
            part.debt_ids.retain(|_, id| (*id as usize) <= before.0);
            part.debt_sets.truncate(before.1);
            part.debt_fingerprints.truncate(before.1);
            part.debt_set_ids.retain(|_, id| (*id as usize) <= before.1);
        }
        result
    }

    /// Drops every client's attempts before `before`; how many went.
    pub(crate) fn trim(&mut self, before: Timestamp) -> usize {
        let before = before.as_millisecond();
        self.clients
            .values_mut()
            .map(|part| part.trim(before))
            .sum()
    }

    /// Marks `client` as a debt collector, or not.
    pub(crate) fn set_collector(&mut self, client: ClientId, collector: bool) {
        self.clients.entry(client).or_default().collector = collector;
    }

    /// Whether `client` is marked as a debt collector.
    pub(crate) fn is_collector(&self, client: ClientId) -> bool {
        self.clients.get(&client).is_some_and(|part| part.collector)
    }

    /// Adds a rule for `client`; its id.
    pub(crate) fn add_rule(
        &mut self,
        client: ClientId,
        rule: NewAttemptRule,
    ) -> Result<AttemptRuleId, DncError> {
        rule.validate()?;
        let next = self.last_rule_id + 1;
        if next > MAX_ID {
            return Err(DncError::IdsExhausted {
                kind: "attempt rule",
                next,
            });
        }
        let id = AttemptRuleId::new(next)?;
        self.last_rule_id = next;
        self.clients
            .entry(client)
            .or_default()
            .rules
            .push(AttemptRule { id, rule });
        Ok(id)
    }

    /// Puts back a rule with its id (a restore): refused when invalid or
    /// when the id is taken.
    #[cfg(feature = "serde")]
    pub(crate) fn insert_rule(
        &mut self,
        client: ClientId,
        id: AttemptRuleId,
        rule: NewAttemptRule,
    ) -> Result<(), DncError> {
        rule.validate()?;
        if self
            .clients
            .values()
            .any(|part| part.rules.iter().any(|kept| kept.id == id))
        {
            return Err(DncError::InvalidSnapshot {
                reason: format!("attempts: rule id {id} twice"),
            });
        }
        self.clients
            .entry(client)
            .or_default()
            .rules
            .push(AttemptRule { id, rule });
        Ok(())
    }

    /// Removes `client`'s rule `id`.
    pub(crate) fn remove_rule(
        &mut self,
        client: ClientId,
        id: AttemptRuleId,
    ) -> Result<AttemptRule, DncError> {
        let rules = self.clients.get_mut(&client).map(|part| &mut part.rules);
        let position = rules
            .as_ref()
            .and_then(|rules| rules.iter().position(|rule| rule.id == id))
            .ok_or(DncError::AttemptRuleNotFound { client, rule: id })?;
        Ok(rules.expect("found above").remove(position))
    }

    /// `client`'s rules, in the order added.
    pub(crate) fn rules(&self, client: ClientId) -> &[AttemptRule] {
        self.clients.get(&client).map_or(&[], |part| &part.rules)
    }

    /// How many attempts are kept for every client.
    pub(crate) fn len(&self) -> usize {
        self.clients.values().map(ClientAttempts::len).sum()
    }

    /// The phone of a kept attempt.
    #[cfg(feature = "serde")]
    pub(crate) fn phone_of(kept: &Kept) -> crate::values::phone::Phone {
        crate::values::phone::Phone::from_packed(kept.phone)
    }
}
