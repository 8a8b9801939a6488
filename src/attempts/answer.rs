//! The caps at a contact: which cap refuses it now (Regulation F's, a
//! state's, a client rule's), with the count, the window and the debt; and
//! the first instant from which none does.
//!
//! Counting is "any window that holds the contact": an attempt counts
//! when it lies less than a window from the contact, before or after it
//! (a calendar window: within `days - 1` local days). With the history as
//! a dialer records it (nothing after the contact) that is the window
//! ending at the contact; attempts recorded after it, as a scrub of an
//! earlier instant may see, can only add to the count.

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use smallvec::SmallVec;

use crate::attempts::attempt::{ContactKey, Outcome};
use crate::attempts::caps::{self, CapLaw, REG_F_CALLS, REG_F_CONVERSATION};
use crate::attempts::rule::{AttemptRule, RuleKey, RuleWindow};
use crate::attempts::store::{CONSENT_LASTS, ClientAttempts, Kept, Nearby};
use crate::channel::DialChannel;
use crate::values::ids::AttemptRuleId;

/// Which cap refuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CapRule {
    /// A cap the law sets (Regulation F's, a state's), with its citation.
    Law(&'static CapLaw),
    /// A client's attempt rule.
    Client(AttemptRuleId),
}

/// A cap that refuses a contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapRefusal {
    /// Which cap.
    pub rule: CapRule,
    /// The attempts it counts in the window (for the conversation
    /// presumption: the conversations in the last seven days).
    pub count: u32,
    /// How many the window holds.
    pub limit: u32,
    /// The window.
    pub window: RuleWindow,
    /// The debt counted, for a cap per debt when the contact names debts.
    pub debt: Option<ContactKey>,
    /// The conversation that starts the seven days (Regulation F's second
    /// presumption).
    pub conversation: Option<Timestamp>,
    /// The end of a client rule's lock, when one holds.
    pub locked_until: Option<Timestamp>,
}

impl fmt::Display for CapRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rule {
            CapRule::Law(law) => write!(f, "{} ({}, {})", law.name, law.citation, law.code)?,
            CapRule::Client(id) => write!(f, "attempt rule {id}")?,
        }
        if let Some(debt) = &self.debt {
            write!(f, " for debt {debt}")?;
        }
        if let Some(at) = self.conversation {
            write!(
                f,
                ": a conversation at {at}, no call for {:#} after it",
                self.window_length()
            )?;
        } else {
            write!(
                f,
                ": {} attempts in {} (limit {})",
                self.count, self.window, self.limit
            )?;
        }
        if let Some(until) = self.locked_until {
            write!(f, "; locked until {until}")?;
        }
        Ok(())
    }
}

impl CapRefusal {
    fn window_length(&self) -> SignedDuration {
        self.window.reach()
    }
}

/// The caps' answer: every cap that refuses (an empty list: an allowed
/// answer allocates nothing and stays small to return).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CapAnswer {
    /// The refusals.
    pub refusals: Vec<CapRefusal>,
}

impl CapAnswer {
    /// Whether no cap refuses.
    #[inline]
    pub fn allows(&self) -> bool {
        self.refusals.is_empty()
    }
}

/// A debt the contact is about, as the history knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DebtTarget {
    /// The contact names no debt: every attempt counts.
    Any,
    /// A debt, by its fingerprint, with its position in the contact's list.
    Debt { fingerprint: u64, position: usize },
}

/// Everything the caps need of one contact.
pub(crate) struct CapContact<'a> {
    part: &'a ClientAttempts,
    nearby: Nearby<'a>,
    phone: u64,
    debts: SmallVec<[DebtTarget; 2]>,
    debt_keys: &'a [ContactKey],
    channel: DialChannel,
    collector: bool,
    consent: Option<Timestamp>,
    state_caps: &'a [&'static CapLaw],
}

impl<'a> CapContact<'a> {
    /// The contact of `part`'s client to `phone` (packed), with no state's
    /// cap until [`CapContact::with_state_caps`] gives them.
    pub(crate) fn new(
        part: &'a ClientAttempts,
        phone: u64,
        person: Option<&ContactKey>,
        debt_keys: &'a [ContactKey],
        channel: DialChannel,
        consent: Option<Timestamp>,
    ) -> CapContact<'a> {
        let debts = if debt_keys.is_empty() {
            SmallVec::from_buf_and_len([DebtTarget::Any, DebtTarget::Any], 1)
        } else {
            let mut targets: SmallVec<[DebtTarget; 2]> = SmallVec::new();
            for (position, key) in debt_keys.iter().enumerate() {
                // A debt named twice is counted once.
                if debt_keys[..position].contains(key) {
                    continue;
                }
                targets.push(DebtTarget::Debt {
                    fingerprint: key.fingerprint(),
                    position,
                });
            }
            targets
        };
        let whole_number = part
            .rules
            .iter()
            .any(|rule| rule.rule.key == RuleKey::Phone);
        CapContact {
            part,
            nearby: part.nearby(phone, person, whole_number),
            phone,
            debts,
            debt_keys,
            channel,
            collector: part.collector,
            consent,
            state_caps: &[],
        }
    }

    /// The contact with the caps of the states the callee may be in.
    pub(crate) fn with_state_caps(self, state_caps: &'a [&'static CapLaw]) -> CapContact<'a> {
        CapContact { state_caps, ..self }
    }

    /// Gives `visit` the attempts of the contact's person (on any number;
    /// the number's attempts without a person).
    #[inline]
    fn each_of_person(&self, visit: impl FnMut(&'a Kept)) {
        self.nearby.each_of_person(visit);
    }

    /// Counts the attempts of the contact's person that `counts` takes.
    #[inline]
    fn count_of_person(&self, mut counts: impl FnMut(&Kept) -> bool) -> u32 {
        let mut count = 0;
        self.each_of_person(|kept| count += u32::from(counts(kept)));
        count
    }

    fn debt_matches(&self, kept: &Kept, target: DebtTarget) -> bool {
        match target {
            DebtTarget::Any => true,
            DebtTarget::Debt { fingerprint, .. } => self.part.counts_against(kept, fingerprint),
        }
    }

    fn debt_key(&self, target: DebtTarget) -> Option<ContactKey> {
        match target {
            DebtTarget::Any => None,
            DebtTarget::Debt { position, .. } => self.debt_keys.get(position).copied(),
        }
    }

    /// Whether the contact at `at` is placed with consent (excluded from
    /// Regulation F).
    fn with_consent(&self, at: i64) -> bool {
        self.consent.is_some_and(|given| {
            let given = given.as_millisecond();
            given <= at && at < given.saturating_add(CONSENT_LASTS.as_millis() as i64)
        })
    }

    /// Every cap that refuses the contact at `at` (epoch ms), each given to
    /// `refused`; whether none did.
    pub(crate) fn evaluate(
        &self,
        rules: &[AttemptRule],
        at: i64,
        mut refused: impl FnMut(CapRefusal),
    ) -> bool {
        let mut allows = true;
        let mut refuse = |refusal: CapRefusal| {
            allows = false;
            refused(refusal);
        };
        if self.collector && self.channel == DialChannel::Voice && !self.with_consent(at) {
            self.regulation_f(at, &mut refuse);
        }
        for &cap in self.state_caps {
            if cap.code == "MA" && !self.collector && self.debt_keys.is_empty() {
                continue;
            }
            if cap.channels.contains(self.channel) {
                self.state_cap(cap, at, &mut refuse);
            }
        }
        for rule in rules {
            if rule.rule.channels.contains(self.channel) {
                self.client_rule(rule, at, &mut refuse);
            }
        }
        allows
    }

    /// Whether no cap refuses the contact at `at`.
    #[inline]
    pub(crate) fn allows(&self, rules: &[AttemptRule], at: i64) -> bool {
        self.evaluate(rules, at, |_| {})
    }

    fn regulation_f(&self, at: i64, refuse: &mut impl FnMut(CapRefusal)) {
        let week = REG_F_CALLS.window.as_millis() as i64;
        for &target in &self.debts {
            let mut placed = 0;
            let mut conversation: Option<i64> = None;
            self.each_of_person(|kept| {
                if kept.channel() != DialChannel::Voice || !self.debt_matches(kept, target) {
                    return;
                }
                let outcome = kept.outcome();
                if outcome.placed() && !kept.with_consent() && (kept.at - at).abs() < week {
                    placed += 1;
                }
                if outcome.conversation() && kept.at <= at && at - kept.at < week {
                    conversation = Some(conversation.map_or(kept.at, |c| c.max(kept.at)));
                }
            });
            if placed >= REG_F_CALLS.limit {
                refuse(CapRefusal {
                    rule: CapRule::Law(&REG_F_CALLS),
                    count: placed,
                    limit: REG_F_CALLS.limit,
                    window: RuleWindow::Rolling(REG_F_CALLS.window),
                    debt: self.debt_key(target),
                    conversation: None,
                    locked_until: None,
                });
            }
            if let Some(conversation) = conversation {
                refuse(CapRefusal {
                    rule: CapRule::Law(&REG_F_CONVERSATION),
                    count: 1,
                    limit: 0,
                    window: RuleWindow::Rolling(REG_F_CONVERSATION.window),
                    debt: self.debt_key(target),
                    conversation: Timestamp::from_millisecond(conversation).ok(),
                    locked_until: None,
                });
            }
        }
    }

    fn state_cap(&self, cap: &'static CapLaw, at: i64, refuse: &mut impl FnMut(CapRefusal)) {
        let window = cap.window.as_millis() as i64;
        let any = [DebtTarget::Any];
        let targets: &[DebtTarget] = if cap.per_debt { &self.debts } else { &any };
        for &target in targets {
            let count = self.count_of_person(|kept| {
                let outcome = kept.outcome();
                cap.channels.contains(kept.channel())
                    && outcome.placed()
                    && (cap.counts_not_connected || outcome != Outcome::NotConnected)
                    && self.debt_matches(kept, target)
                    && (kept.at - at).abs() < window
            });
            if count >= cap.limit {
                refuse(CapRefusal {
                    rule: CapRule::Law(cap),
                    count,
                    limit: cap.limit,
                    window: RuleWindow::Rolling(cap.window),
                    debt: self.debt_key(target),
                    conversation: None,
                    locked_until: None,
                });
            }
        }
    }

    /// Gives `visit` the attempts `rule` counts for this contact, whatever
    /// the instant.
    #[inline]
    fn each_counted_by(&self, rule: &AttemptRule, mut visit: impl FnMut(&'a Kept)) {
        let new = &rule.rule;
        let same_phone = new.key == RuleKey::PersonAndPhone;
        let counted = |kept: &'a Kept| {
            if (!same_phone || kept.phone == self.phone)
                && new.channels.contains(kept.channel())
                && new.outcomes.contains(kept.outcome())
            {
                visit(kept);
            }
        };
        match new.key {
            RuleKey::Person | RuleKey::PersonAndPhone => self.nearby.each_of_person(counted),
            RuleKey::Phone => self.nearby.each_of_phone(counted),
        }
    }

    /// Counts the attempts `rule` counts for this contact that `counts`
    /// takes.
    #[inline]
    fn count_counted_by(&self, rule: &AttemptRule, mut counts: impl FnMut(&Kept) -> bool) -> u32 {
        let mut count = 0;
        self.each_counted_by(rule, |kept| count += u32::from(counts(kept)));
        count
    }

    fn client_rule(&self, rule: &AttemptRule, at: i64, refuse: &mut impl FnMut(CapRefusal)) {
        let new = &rule.rule;
        let count = self.count_counted_by(rule, |kept| shares_window(new.window, kept.at, at));
        let locked_until = new.lock.and_then(|lock| {
            let lock = lock.as_millis() as i64;
            // An attempt that reached the limit, less than the lock ago.
            let mut until: Option<i64> = None;
            self.each_counted_by(rule, |trigger| {
                let ends = trigger.at.saturating_add(lock);
                if trigger.at <= at
                    && at < ends
                    && self.count_counted_by(rule, |kept| {
                        kept.at <= trigger.at && ends_window(new.window, kept.at, trigger.at)
                    }) >= new.limit
                {
                    until = Some(until.map_or(ends, |until| until.max(ends)));
                }
            });
            until
        });
        if count >= new.limit || locked_until.is_some() {
            refuse(CapRefusal {
                rule: CapRule::Client(rule.id),
                count,
                limit: new.limit,
                window: new.window,
                debt: None,
                conversation: None,
                locked_until: locked_until
                    .and_then(|until| Timestamp::from_millisecond(until).ok()),
            });
        }
    }

    /// The first instant from `from` at which no cap refuses: one of the
    /// instants where a refusal can lapse (an attempt leaving a window, a
    /// conversation's seven days ending, a lock ending, a calendar day
    /// turning), the first at which every cap allows.
    pub(crate) fn first_allowed_from(
        &self,
        rules: &[AttemptRule],
        from: Timestamp,
    ) -> Option<Timestamp> {
        let from_ms = from.as_millisecond();
        if self.allows(rules, from_ms) {
            return Some(from);
        }
        let mut spans: SmallVec<[i64; 8]> = SmallVec::new();
        spans.push(caps::LAW_REACH.as_millis() as i64);
        spans.extend(
            caps::STATE_CAPS
                .iter()
                .map(|cap| cap.window.as_millis() as i64),
        );
        let mut calendars: SmallVec<[(u16, crate::geo::TimeZoneId); 2]> = SmallVec::new();
        for rule in rules {
            match rule.rule.window {
                RuleWindow::Rolling(length) => spans.push(length.as_millis() as i64),
                RuleWindow::Calendar { days, zone } => calendars.push((days, zone)),
            }
            if let Some(lock) = rule.rule.lock {
                spans.push(lock.as_millis() as i64);
            }
        }
        spans.sort_unstable();
        spans.dedup();
        let mut events: Vec<i64> = Vec::new();
        let mut lapses = |kept: &Kept| {
            events.extend(spans.iter().map(|span| kept.at.saturating_add(*span)));
            for &(days, zone) in &calendars {
                if let Some(end) = calendar_end(kept.at, days, zone) {
                    events.push(end);
                }
            }
        };
        self.nearby.each_of_person(&mut lapses);
        self.nearby.each_of_phone(&mut lapses);
        events.retain(|&event| event > from_ms);
        events.sort_unstable();
        events.dedup();
        events
            .into_iter()
            .find(|&event| self.allows(rules, event))
            .and_then(|event| Timestamp::from_millisecond(event).ok())
    }
}

/// Whether an attempt at `kept` shares a window with a contact at `at`.
#[inline]
fn shares_window(window: RuleWindow, kept: i64, at: i64) -> bool {
    match window {
        RuleWindow::Rolling(length) => (kept - at).abs() < length.as_millis() as i64,
        RuleWindow::Calendar { days, zone } => {
            local_days_apart(kept, at, zone).is_some_and(|apart| apart.abs() < i64::from(days))
        }
    }
}

/// Whether `kept` (at or before `end`) lies in the window that ends at
/// `end`.
#[inline]
fn ends_window(window: RuleWindow, kept: i64, end: i64) -> bool {
    match window {
        RuleWindow::Rolling(length) => end - kept < length.as_millis() as i64,
        RuleWindow::Calendar { days, zone } => {
            local_days_apart(kept, end, zone).is_some_and(|apart| apart.abs() < i64::from(days))
        }
    }
}

/// The local dates of two instants in `zone`, `b`'s minus `a`'s, in days.
fn local_days_apart(a: i64, b: i64, zone: crate::geo::TimeZoneId) -> Option<i64> {
    let tz = zone.time_zone();
    let day = |ms: i64| -> Option<jiff::civil::Date> {
        Some(tz.to_datetime(Timestamp::from_millisecond(ms).ok()?).date())
    };
    let (a, b) = (day(a)?, day(b)?);
    Some(b.duration_since(a).as_hours() / 24)
}

/// The instant an attempt at `kept` leaves a window of `days` calendar
/// days in `zone`: the local midnight `days` days after its date.
fn calendar_end(kept: i64, days: u16, zone: crate::geo::TimeZoneId) -> Option<i64> {
    let tz = zone.time_zone();
    let date = tz
        .to_datetime(Timestamp::from_millisecond(kept).ok()?)
        .date()
        .checked_add(jiff::Span::new().days(i64::from(days)))
        .ok()?;
    let midnight = tz
        .to_ambiguous_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .compatible()
        .ok()?;
    Some(midnight.as_millisecond())
}

/// The longest span an attempt can matter for, under the law's caps and
/// `rules`: the window (either side of a contact) plus a lock.
pub(crate) fn reach(rules: &[AttemptRule]) -> SignedDuration {
    rules
        .iter()
        .map(|rule| rule.rule.window.reach() + rule.rule.lock.unwrap_or(SignedDuration::ZERO))
        .fold(caps::LAW_REACH, SignedDuration::max)
}
