//! The naive model of the contact caps (issue 13), shared by the property
//! test `attempt_caps.rs` and the fuzz target `attempt_streams`.
//!
//! It keeps the whole history as a list and rescans all of it at every
//! decision, reading the rules literally: Regulation F for a
//! client marked as a debt collector (an eighth placed call within 7 days
//! per debt and person refused, none for 7 days after a conversation,
//! inbound ones included; calls with consent excluded; a call about
//! several debts counts against each), the state caps (FL, OK, MD, OR: 3
//! contacts in 24 hours per person; MA: 2 in 7 days per debt), and the
//! client's rules (key, outcomes, channels, rolling or calendar window,
//! limit, lock). "Within a window" is "less than a window away, either
//! side" (the engine's documented reading). The next allowed instant is
//! found by trying every minute, with the time rules (profile hours and
//! calling laws, checked by their own models) answered by a second engine
//! that holds no attempts.

use dnc_engine::attempts::{
    ChannelSet, ContactKey, NewAttempt, NewAttemptRule, Outcome, OutcomeSet, RuleKey, RuleWindow,
};
use dnc_engine::geo::TimeZoneId;
use dnc_engine::jiff::{SignedDuration, Timestamp};
use dnc_engine::{ClientId, DialChannel, DialRequest, Engine, Phone, ServiceId};

/// The numbers: Florida (two), Massachusetts, California, Oklahoma.
pub(crate) const NUMBERS: [&str; 5] = [
    "3055550100",
    "3055550101",
    "6175550100",
    "4155550100",
    "4055550100",
];
/// Each number's state, and whether it sets a 3-in-24-hours cap.
const STATES: [&str; 5] = ["FL", "FL", "MA", "CA", "OK"];
const PERSONS: [Option<&str>; 3] = [None, Some("P1"), Some("p2")];
const DEBTS: [&[&str]; 4] = [&[], &["D1"], &["d2"], &["D1", "D2"]];
/// 2026-03-01T00:00:00Z: the US DST change of 2026-03-08 lies within the
/// 20 days the instants span.
const BASE_MS: i64 = 1_772_323_200_000;
const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const SPAN_MINUTES: u16 = 20 * 24 * 60;
const ZONES: [&str; 2] = ["America/New_York", "America/Los_Angeles"];

/// One operation of a random stream.
#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub(crate) enum Op {
    /// Marks a client as a debt collector, or not.
    Collector { client: u8, on: bool },
    /// Records an attempt.
    Attempt {
        client: u8,
        number: u8,
        person: u8,
        debts: u8,
        minute: u16,
        sms: bool,
        outcome: u8,
        /// Consent given this many minutes before the attempt.
        consent: Option<u16>,
    },
    /// Adds a rule.
    AddRule {
        client: u8,
        key: u8,
        outcomes: u8,
        channels: u8,
        /// Rolling hours (1-72) or, when `calendar`, days (1-3).
        span: u8,
        calendar: Option<u8>,
        limit: u8,
        lock_hours: Option<u8>,
    },
    /// Removes a client's rule by position.
    RemoveRule { client: u8, index: u8 },
    /// Trims at a minute's instant (what no cap can count from then on).
    Trim { minute: u16 },
    /// A dial decision, compared with the model.
    Decide {
        client: u8,
        number: u8,
        person: u8,
        debts: u8,
        minute: u16,
        sms: bool,
        consent: Option<u16>,
    },
    /// Snapshot and restore.
    RoundTrip,
}

#[derive(Clone, Debug)]
struct ModelAttempt {
    client: usize,
    number: usize,
    person: Option<&'static str>,
    debts: &'static [&'static str],
    at: i64,
    sms: bool,
    outcome: Outcome,
    with_consent: bool,
}

#[derive(Clone, Debug)]
struct ModelRule {
    id: u64,
    key: RuleKey,
    outcomes: Vec<Outcome>,
    voice: bool,
    sms: bool,
    /// Rolling milliseconds, or calendar (days, zone).
    rolling: Option<i64>,
    calendar: Option<(i64, &'static str)>,
    limit: usize,
    lock: Option<i64>,
}

#[derive(Clone, Debug, Default)]
struct Model {
    collector: [bool; 2],
    attempts: Vec<ModelAttempt>,
    rules: [Vec<ModelRule>; 2],
}

/// A refusal as both sides name it: the cap, the debt, the count.
type Named = (String, Option<String>, u32);

struct Contact {
    client: usize,
    number: usize,
    person: Option<&'static str>,
    debts: &'static [&'static str],
    sms: bool,
    consent: Option<i64>,
}

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

impl Model {
    fn person_matches(&self, attempt: &ModelAttempt, contact: &Contact) -> bool {
        match (attempt.person, contact.person) {
            (Some(a), Some(b)) => same(a, b),
            _ => NUMBERS[attempt.number] == NUMBERS[contact.number],
        }
    }

    fn debt_matches(attempt: &ModelAttempt, debt: Option<&str>) -> bool {
        match debt {
            None => true,
            Some(debt) => attempt.debts.is_empty() || attempt.debts.iter().any(|d| same(d, debt)),
        }
    }

    fn local_date(ms: i64, zone: &str) -> dnc_engine::jiff::civil::Date {
        let tz = dnc_engine::jiff::tz::TimeZone::get(zone).unwrap();
        tz.to_datetime(Timestamp::from_millisecond(ms).unwrap())
            .date()
    }

    fn in_window(rule: &ModelRule, attempt_at: i64, at: i64) -> bool {
        match (rule.rolling, rule.calendar) {
            (Some(length), _) => (attempt_at - at).abs() < length,
            (None, Some((days, zone))) => {
                let (a, b) = (
                    Self::local_date(attempt_at, zone),
                    Self::local_date(at, zone),
                );
                let apart = b.since(a).unwrap().get_days() as i64;
                apart.abs() < days
            }
            _ => unreachable!(),
        }
    }

    fn counted_by(&self, rule: &ModelRule, contact: &Contact, attempt: &ModelAttempt) -> bool {
        let key = match rule.key {
            RuleKey::Person => self.person_matches(attempt, contact),
            RuleKey::Phone => NUMBERS[attempt.number] == NUMBERS[contact.number],
            RuleKey::PersonAndPhone => {
                self.person_matches(attempt, contact)
                    && NUMBERS[attempt.number] == NUMBERS[contact.number]
            }
        };
        attempt.client == contact.client
            && key
            && (if attempt.sms { rule.sms } else { rule.voice })
            && rule.outcomes.contains(&attempt.outcome)
    }

    /// Every cap refusing `contact` at `at`, rescanning the history.
    fn refusals(&self, contact: &Contact, at: i64) -> Vec<Named> {
        let mut out = Vec::new();
        let mine: Vec<&ModelAttempt> = self
            .attempts
            .iter()
            .filter(|a| a.client == contact.client && self.person_matches(a, contact))
            .collect();
        let targets: Vec<Option<&str>> = if contact.debts.is_empty() {
            vec![None]
        } else {
            contact.debts.iter().map(|d| Some(*d)).collect()
        };
        let consent = contact.consent.is_some_and(|g| g <= at && at < g + 7 * DAY);
        if self.collector[contact.client] && !contact.sms && !consent {
            for &debt in &targets {
                let placed = mine
                    .iter()
                    .filter(|a| {
                        !a.sms
                            && a.outcome != Outcome::InboundConversation
                            && !a.with_consent
                            && Self::debt_matches(a, debt)
                            && (a.at - at).abs() < 7 * DAY
                    })
                    .count() as u32;
                if placed >= 7 {
                    out.push((
                        "12 CFR 1006.14(b)(2)(i)(A)".to_owned(),
                        debt.map(str::to_owned),
                        placed,
                    ));
                }
                let conversation = mine.iter().any(|a| {
                    !a.sms
                        && matches!(
                            a.outcome,
                            Outcome::Conversation | Outcome::InboundConversation
                        )
                        && Self::debt_matches(a, debt)
                        && a.at <= at
                        && at < a.at + 7 * DAY
                });
                if conversation {
                    out.push((
                        "12 CFR 1006.14(b)(2)(i)(B)".to_owned(),
                        debt.map(str::to_owned),
                        1,
                    ));
                }
            }
        }
        let state = STATES[contact.number];
        if matches!(state, "FL" | "OK" | "MD" | "OR") {
            let count = mine
                .iter()
                .filter(|a| a.outcome != Outcome::InboundConversation && (a.at - at).abs() < DAY)
                .count() as u32;
            if count >= 3 {
                out.push((state.to_owned(), None, count));
            }
        }
        if state == "MA" && (self.collector[contact.client] || !contact.debts.is_empty()) {
            for &debt in &targets {
                let count = mine
                    .iter()
                    .filter(|a| {
                        a.outcome != Outcome::InboundConversation
                            && Self::debt_matches(a, debt)
                            && (a.at - at).abs() < 7 * DAY
                    })
                    .count() as u32;
                if count >= 2 {
                    out.push(("MA".to_owned(), debt.map(str::to_owned), count));
                }
            }
        }
        for rule in &self.rules[contact.client] {
            if !(if contact.sms { rule.sms } else { rule.voice }) {
                continue;
            }
            let counted: Vec<&ModelAttempt> = self
                .attempts
                .iter()
                .filter(|a| self.counted_by(rule, contact, a))
                .collect();
            let count = counted
                .iter()
                .filter(|a| Self::in_window(rule, a.at, at))
                .count();
            let locked = rule.lock.is_some_and(|lock| {
                counted.iter().any(|trigger| {
                    trigger.at <= at
                        && at < trigger.at + lock
                        && counted
                            .iter()
                            .filter(|a| {
                                a.at <= trigger.at && Self::in_window(rule, a.at, trigger.at)
                            })
                            .count()
                            >= rule.limit
                })
            });
            if count >= rule.limit || locked {
                out.push((format!("rule {}", rule.id), None, count as u32));
            }
        }
        out.sort();
        out
    }
}

fn service(client: usize) -> ServiceId {
    ServiceId::new(client as u64 + 1).unwrap()
}

fn key(field: &'static str, text: &str) -> ContactKey {
    ContactKey::parse(field, text).unwrap()
}

fn ts(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap()
}

fn at_minute(minute: u16) -> i64 {
    BASE_MS + i64::from(minute % SPAN_MINUTES) * MINUTE
}

/// The engine's refusals, named like the model's.
fn engine_refusals(decision: &dnc_engine::DialDecision) -> Vec<Named> {
    let mut out: Vec<Named> = decision
        .caps
        .refusals
        .iter()
        .map(|refusal| {
            let name = match refusal.rule {
                dnc_engine::attempts::CapRule::Law(law) if law.code == "REG_F" => {
                    law.citation.to_owned()
                }
                dnc_engine::attempts::CapRule::Law(law) => law.code.to_owned(),
                dnc_engine::attempts::CapRule::Client(id) => format!("rule {id}"),
            };
            (
                name,
                refusal.debt.map(|d| d.as_str().to_owned()),
                refusal.count,
            )
        })
        .collect();
    out.sort();
    // The model names debts as the contact gave them.
    out
}

/// Runs `ops` on a fresh engine and the model; the first disagreement.
pub(crate) fn run(ops: &[Op]) -> Result<(), String> {
    let mut engine = Engine::new();
    let mut clock = Engine::new();
    for client in 0..2 {
        let id = ClientId::new(client as u64 + 1).unwrap();
        engine.register_service(id, service(client)).unwrap();
        clock.register_service(id, service(client)).unwrap();
    }
    let mut model = Model::default();
    let mut decisions = 0;
    for op in ops {
        match *op {
            Op::Collector { client, on } => {
                let client = usize::from(client % 2);
                engine.set_debt_collector(ClientId::new(client as u64 + 1).unwrap(), on);
                model.collector[client] = on;
            }
            Op::Attempt {
                client,
                number,
                person,
                debts,
                minute,
                sms,
                outcome,
                consent,
            } => {
                let client = usize::from(client % 2);
                let number = usize::from(number) % NUMBERS.len();
                let person = PERSONS[usize::from(person) % PERSONS.len()];
                let debts = DEBTS[usize::from(debts) % DEBTS.len()];
                let at = at_minute(minute);
                let outcome = Outcome::ALL[usize::from(outcome) % Outcome::ALL.len()];
                let consent = consent.map(|before| at - i64::from(before % (9 * 24 * 60)) * MINUTE);
                engine
                    .record_attempt(&NewAttempt {
                        service: service(client),
                        phone: Phone::parse(NUMBERS[number]).unwrap(),
                        person: person.map(|p| key("person", p)),
                        debts: debts.iter().map(|d| key("debt", d)).collect(),
                        at: ts(at),
                        channel: if sms {
                            DialChannel::Sms
                        } else {
                            DialChannel::Voice
                        },
                        outcome,
                        consent: consent.map(ts),
                    })
                    .map_err(|e| e.to_string())?;
                model.attempts.push(ModelAttempt {
                    client,
                    number,
                    person,
                    debts,
                    at,
                    sms,
                    outcome,
                    with_consent: consent.is_some_and(|g| g <= at && at < g + 7 * DAY),
                });
            }
            Op::AddRule {
                client,
                key: rule_key,
                outcomes,
                channels,
                span,
                calendar,
                limit,
                lock_hours,
            } => {
                let client = usize::from(client % 2);
                let rule_key = [RuleKey::Person, RuleKey::Phone, RuleKey::PersonAndPhone]
                    [usize::from(rule_key) % 3];
                let mut outcome_list: Vec<Outcome> = Outcome::ALL
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| outcomes & (1 << i) != 0)
                    .map(|(_, o)| o)
                    .collect();
                if outcome_list.is_empty() {
                    outcome_list.push(Outcome::NoAnswer);
                }
                let (voice, sms) = match channels % 3 {
                    0 => (true, false),
                    1 => (false, true),
                    _ => (true, true),
                };
                let (rolling, calendar_window, window) = match calendar {
                    None => {
                        let hours = i64::from(span % 72) + 1;
                        (
                            Some(hours * HOUR),
                            None,
                            RuleWindow::Rolling(SignedDuration::from_hours(hours)),
                        )
                    }
                    Some(zone) => {
                        let days = i64::from(span % 3) + 1;
                        let zone = ZONES[usize::from(zone) % ZONES.len()];
                        (
                            None,
                            Some((days, zone)),
                            RuleWindow::Calendar {
                                days: days as u16,
                                zone: TimeZoneId::by_name(zone).unwrap(),
                            },
                        )
                    }
                };
                let limit = usize::from(limit % 4) + 1;
                let lock = lock_hours.map(|h| i64::from(h % 48) + 1);
                let id = engine
                    .add_attempt_rule(
                        ClientId::new(client as u64 + 1).unwrap(),
                        NewAttemptRule {
                            key: rule_key,
                            outcomes: OutcomeSet::of(&outcome_list),
                            channels: ChannelSet { voice, sms },
                            window,
                            limit: limit as u32,
                            lock: lock.map(SignedDuration::from_hours),
                        },
                    )
                    .map_err(|e| e.to_string())?;
                model.rules[client].push(ModelRule {
                    id: id.get(),
                    key: rule_key,
                    outcomes: outcome_list,
                    voice,
                    sms,
                    rolling,
                    calendar: calendar_window,
                    limit,
                    lock: lock.map(|h| h * HOUR),
                });
            }
            Op::RemoveRule { client, index } => {
                let client = usize::from(client % 2);
                let rules = &mut model.rules[client];
                if rules.is_empty() {
                    continue;
                }
                let rule = rules.remove(usize::from(index) % rules.len());
                engine
                    .remove_attempt_rule(
                        ClientId::new(client as u64 + 1).unwrap(),
                        dnc_engine::AttemptRuleId::new(rule.id).unwrap(),
                    )
                    .map_err(|e| e.to_string())?;
            }
            Op::Trim { minute } => {
                let now = at_minute(minute);
                // The longest reach of the caps: 7 days, or a rule's window
                // (a calendar one a day more) and its lock.
                let reach = model
                    .rules
                    .iter()
                    .flatten()
                    .map(|rule| {
                        let window = match (rule.rolling, rule.calendar) {
                            (Some(length), _) => length,
                            (None, Some((days, _))) => (days + 1) * DAY,
                            _ => unreachable!(),
                        };
                        window + rule.lock.unwrap_or(0)
                    })
                    .fold(7 * DAY, i64::max);
                let before = now - reach;
                let expected = model.attempts.iter().filter(|a| a.at < before).count();
                model.attempts.retain(|a| a.at >= before);
                let removed = engine.trim_attempts(ts(now));
                if removed != expected {
                    return Err(format!(
                        "trim before {}: engine {removed} != model {expected}",
                        ts(before)
                    ));
                }
            }
            Op::RoundTrip => {
                let snapshot = engine.snapshot();
                let restored = Engine::restore(snapshot.clone()).map_err(|e| e.to_string())?;
                if restored.snapshot() != snapshot {
                    return Err("the restored engine's snapshot differs".to_owned());
                }
                engine = restored;
            }
            Op::Decide {
                client,
                number,
                person,
                debts,
                minute,
                sms,
                consent,
            } => {
                decisions += 1;
                // The minute-by-minute search is slow: a few per stream.
                let search = decisions <= 3;
                let contact = Contact {
                    client: usize::from(client % 2),
                    number: usize::from(number) % NUMBERS.len(),
                    person: PERSONS[usize::from(person) % PERSONS.len()],
                    debts: DEBTS[usize::from(debts) % DEBTS.len()],
                    sms,
                    consent: None,
                };
                let at = at_minute(minute);
                let contact = Contact {
                    consent: consent.map(|before| at - i64::from(before % (9 * 24 * 60)) * MINUTE),
                    ..contact
                };
                let debt_keys: Vec<ContactKey> =
                    contact.debts.iter().map(|d| key("debt", d)).collect();
                let request = |at: i64| {
                    let mut request = DialRequest::new(
                        service(contact.client),
                        Phone::parse(NUMBERS[contact.number]).unwrap(),
                        ts(at),
                    )
                    .channel(if contact.sms {
                        DialChannel::Sms
                    } else {
                        DialChannel::Voice
                    })
                    .debts(&debt_keys);
                    if let Some(person) = contact.person {
                        request = request.person(key("person", person));
                    }
                    if let Some(given) = contact.consent {
                        request = request.consent(ts(given));
                    }
                    request
                };
                let decision = engine
                    .dial_decision(&request(at))
                    .map_err(|e| e.to_string())?;
                let got = engine_refusals(&decision);
                let want = model.refusals(&contact, at);
                let normalise = |named: Vec<Named>| -> Vec<Named> {
                    let mut named: Vec<Named> = named
                        .into_iter()
                        .map(|(n, d, c)| (n, d.map(|d| d.to_ascii_uppercase()), c))
                        .collect();
                    named.sort();
                    named
                };
                let (got, want) = (normalise(got), normalise(want));
                if got != want {
                    return Err(format!(
                        "caps at {}: engine {got:?} != model {want:?}",
                        ts(at)
                    ));
                }
                let time_allows = |ms: i64| {
                    clock
                        .dial_decision(&request(ms))
                        .map(|decision| decision.allowed())
                        .unwrap_or(false)
                };
                let allowed = want.is_empty() && time_allows(at);
                if decision.allowed() != allowed {
                    return Err(format!(
                        "allowed at {}: engine {} != model {allowed}",
                        ts(at),
                        decision.allowed()
                    ));
                }
                if search {
                    let next = (0..=20 * 24 * 60)
                        .map(|minutes| at + minutes * MINUTE)
                        .find(|&ms| model.refusals(&contact, ms).is_empty() && time_allows(ms))
                        .map(ts);
                    if decision.next_allowed() != next {
                        return Err(format!(
                            "next allowed from {}: engine {:?} != model {next:?} ({decision})",
                            ts(at),
                            decision.next_allowed()
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}
