//! A naive model of the registries in the engine (copies as `HashSet`s with
//! each area code's instant, subscriptions and exemptions as plain lists),
//! written from the words, and the comparison of the engine's
//! `registry_check` and dial decision with it on a sequence of operations:
//! loads, change lists, subscriptions, exemptions, checks at the 31-day and
//! the exemptions' lapse boundaries, snapshot round trips. For the property
//! tests and the `registry_checks` fuzz target.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashSet};

use dnc_engine::geo::AreaCode;
use dnc_engine::jiff::{SignedDuration, Timestamp, ToSpan, tz::TimeZone};
use dnc_engine::registry::{
    Change, ChangeMark, Exemption, ExemptionKind, ExemptionSubject, RegistrySource, RegistryStatus,
    Subscription,
};
use dnc_engine::{Account, ClientId, DialRequest, DncKey, Engine, NewEntry, Phone, ServiceId, Zip};

#[path = "../support/model_assert.rs"]
#[macro_use]
mod model_assert;

/// The registries the operations use: the two national ones and
/// Louisiana's (whose list takes no established business relationship).
pub(crate) const SOURCES: [&str; 3] = ["US_NATIONAL", "CA_NATIONAL", "STATE_LA"];
/// Area codes: New York (US), Toronto (Canada), New Orleans (US, LA), a
/// toll-free code (no place: every registry applies), Jamaica (another
/// NANP country: none applies).
pub(crate) const AREA_CODES: [u16; 5] = [212, 416, 504, 800, 876];
/// ZIPs: none, New Orleans, New York, one no table places.
pub(crate) const ZIPS: [Option<&str>; 4] = [None, Some("70112"), Some("10001"), Some("00001")];
/// Accounts.
pub(crate) const ACCOUNTS: [&str; 2] = ["ACC-1", "ACC-2"];
/// Seconds into a day a check falls on: the boundaries of a whole day.
const SECONDS: [i64; 4] = [0, 1, 43_200, 86_399];

/// One operation.
#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub(crate) enum Op {
    /// A full list of `source`, covering the area codes of `covered` (bit
    /// i: `AREA_CODES[i]`; 0: the numbers' own), obtained on day `day`.
    Load {
        source: u8,
        covered: u8,
        numbers: Vec<u8>,
        day: u16,
    },
    /// A change list of `source` obtained on day `day`.
    Changes {
        source: u8,
        changes: Vec<(u8, bool)>,
        day: u16,
    },
    /// A subscription of client `client` to `source` (`area_codes` bit i:
    /// `AREA_CODES[i]`; 0: all).
    Subscribe {
        client: u8,
        source: u8,
        area_codes: u8,
    },
    /// The end of one.
    Unsubscribe { client: u8, source: u8 },
    /// An exemption of client `client` for a number or an account.
    AddExemption {
        client: u8,
        subject: u8,
        kind: u8,
        day: u16,
        until: Option<u16>,
    },
    /// The removal of one.
    RemoveExemption { client: u8, subject: u8, kind: u8 },
    /// A DNC entry of the client for a number (the client's own list: no
    /// exemption lifts it).
    AddEntry { client: u8, number: u8 },
    /// A check of a number by client `client`'s service.
    Check {
        client: u8,
        number: u8,
        account: u8,
        zip: u8,
        at: At,
    },
    /// Snapshot and restore (the engine must answer the same after).
    RoundTrip,
}

/// When a check is made.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub(crate) enum At {
    /// Day `day`, `SECONDS[second]` into it.
    Day { day: u16, second: u8 },
    /// 30, 31 or 32 days (by `days % 3`) and `SECONDS[second]` after the
    /// instant the checked number's area code was obtained in `source`'s
    /// copy (day 0 when no copy covers it): the 31-day boundary.
    Copy { source: u8, days: u8, second: u8 },
    /// `months` (3, 6 or 18 by `months % 3`) after the `since` of the
    /// `index`-th exemption held, moved by `delta - 1` seconds.
    Lapse { index: u8, months: u8, delta: u8 },
}

fn day(day: u16) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + i64::from(day % 700) * 86_400).unwrap()
}

fn source(code: u8) -> RegistrySource {
    RegistrySource::parse(SOURCES[usize::from(code % 3)]).unwrap()
}

/// A number from a small code: an area code and one of four lines.
fn number(code: u8) -> u64 {
    let area = u64::from(AREA_CODES[usize::from(code % 5)]);
    let line = u64::from(code / 5 % 4);
    area * 10_000_000 + 555 * 10_000 + line
}

fn phone(number: u64) -> Phone {
    Phone::parse(&number.to_string()).unwrap()
}

fn kind(code: u8) -> ExemptionKind {
    [
        ExemptionKind::Transaction,
        ExemptionKind::Inquiry,
        ExemptionKind::Consent,
        ExemptionKind::Business,
    ][usize::from(code % 4)]
}

/// Subjects: numbers 0..5 by code, then the two accounts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Subject {
    Number(u64),
    Account(&'static str),
}

fn subject(code: u8) -> Subject {
    match code % 7 {
        5 => Subject::Account(ACCOUNTS[0]),
        6 => Subject::Account(ACCOUNTS[1]),
        other => Subject::Number(number(other)),
    }
}

fn engine_subject(subject: &Subject) -> ExemptionSubject {
    match subject {
        Subject::Number(n) => ExemptionSubject::Phone(phone(*n)),
        Subject::Account(a) => ExemptionSubject::Account(Account::parse(a).unwrap()),
    }
}

/// One registry copy in the model.
#[derive(Clone, Debug, Default)]
struct Copy {
    listed: HashSet<u64>,
    covered: BTreeMap<u16, Timestamp>,
}

/// An exemption in the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Record {
    kind: ExemptionKind,
    since: Timestamp,
    until: Option<Timestamp>,
}

#[derive(Clone, Debug, Default)]
struct Model {
    copies: BTreeMap<u8, Copy>,
    /// (client, source) → area codes (None: all).
    subscriptions: BTreeMap<(u8, u8), Option<Vec<u16>>>,
    /// (client, subject, kind) → record.
    exemptions: Vec<(u8, Subject, Record)>,
    /// (client, number) with a DNC entry.
    entries: HashSet<(u8, u64)>,
}

/// The area code's country and states, as the issue and the reference
/// data place them.
fn place(area: u16) -> (&'static str, &'static [&'static str]) {
    match area {
        212 => ("US", &["NY"]),
        416 => ("CA", &["ON"]),
        504 => ("US", &["LA"]),
        800 => ("NONE", &[]),
        _ => ("OTHER", &[]),
    }
}

/// The end of a record's period on a registry: calendar months after
/// `since`, in UTC.
fn months_after(since: Timestamp, months: i64) -> Timestamp {
    since
        .to_zoned_datetime(TimeZone::UTC)
        .checked_add(months.months())
        .unwrap()
        .timestamp()
}

impl Model {
    /// Whether a record lifts `source` (code) at `at`, and when it lapses.
    fn lifts(record: &Record, source: u8, at: Timestamp) -> (bool, Option<Timestamp>) {
        let name = SOURCES[usize::from(source)];
        // Louisiana: prior consent and business-to-business only.
        let admitted = !(name == "STATE_LA"
            && matches!(
                record.kind,
                ExemptionKind::Transaction | ExemptionKind::Inquiry
            ));
        let period = match record.kind {
            ExemptionKind::Transaction => Some(months_after(record.since, 18)),
            ExemptionKind::Inquiry if name == "CA_NATIONAL" => Some(months_after(record.since, 6)),
            ExemptionKind::Inquiry => Some(months_after(record.since, 3)),
            _ => None,
        };
        let lapses = match (period, record.until) {
            (Some(p), Some(u)) => Some(p.min(u)),
            (p, u) => p.or(u),
        };
        let in_force = admitted && record.since <= at && lapses.is_none_or(|l| at < l);
        (in_force, lapses)
    }

    /// The expected checks: (source, status code, obtained, exemption
    /// (kind, since, lapses)).
    fn check(
        &self,
        client: u8,
        n: u64,
        account: Option<&str>,
        zip: Option<&str>,
        at: Timestamp,
    ) -> Vec<Expected> {
        let area = (n / 10_000_000) as u16;
        let (country, states) = place(area);
        let zip_state = match zip {
            None => None,
            Some("70112") => Some("LA"),
            Some("10001") => Some("NY"),
            Some(_) => Some("ANY"),
        };
        let mut out = Vec::new();
        // A client in the registries must hold its number's national one.
        let subscribed: Vec<u8> = self
            .subscriptions
            .keys()
            .filter(|(c, _)| *c == client)
            .map(|(_, s)| *s)
            .collect();
        if !subscribed.is_empty() {
            for (s, home) in [(0u8, "US"), (1u8, "CA")] {
                if !subscribed.contains(&s) && (country == home || country == "NONE") {
                    out.push((
                        s,
                        self.expected(client, n, account, s, "not_subscribed", None, at),
                    ));
                }
            }
        }
        for (&(c, s), codes) in &self.subscriptions {
            if c != client {
                continue;
            }
            let name = SOURCES[usize::from(s)];
            let applies = country == "NONE"
                || match name {
                    "US_NATIONAL" => country == "US",
                    "CA_NATIONAL" => country == "CA",
                    _ => {
                        states.contains(&"LA")
                            || zip_state == Some("LA")
                            || zip_state == Some("ANY")
                    }
                };
            if !applies {
                continue;
            }
            let (status, obtained) = if codes.as_ref().is_some_and(|codes| !codes.contains(&area)) {
                ("not_subscribed", None)
            } else {
                match self.copies.get(&s).and_then(|copy| {
                    copy.covered
                        .get(&area)
                        .map(|&obtained| (copy.listed.contains(&n), obtained))
                }) {
                    None => ("not_covered", None),
                    Some((listed, obtained)) => {
                        let stale =
                            at.duration_since(obtained) > SignedDuration::from_hours(31 * 24);
                        // A copy from after the check is no version
                        // obtained prior to the call.
                        let after = obtained > at;
                        let status = match (after, stale, listed) {
                            (true, _, _) => "copy_after_check",
                            (false, true, _) => "stale_copy",
                            (false, false, true) => "listed",
                            (false, false, false) => "not_listed",
                        };
                        (status, Some(obtained))
                    }
                }
            };
            out.push((
                s,
                self.expected(client, n, account, s, status, obtained, at),
            ));
        }
        out.sort_by_key(|(s, _)| *s);
        out.into_iter().map(|(_, expected)| expected).collect()
    }

    /// One expected check: the exemption in force that lapses last (ties:
    /// the number's, the later since, the kind's order) when the status
    /// refuses.
    #[allow(clippy::too_many_arguments)]
    fn expected(
        &self,
        client: u8,
        n: u64,
        account: Option<&str>,
        s: u8,
        status: &'static str,
        obtained: Option<Timestamp>,
        at: Timestamp,
    ) -> Expected {
        let name = SOURCES[usize::from(s)];
        let exemption = if status == "not_listed" {
            None
        } else {
            self.exemptions
                .iter()
                .filter(|(c, subject, _)| {
                    *c == client
                        && match subject {
                            Subject::Number(m) => *m == n,
                            Subject::Account(a) => Some(*a) == account,
                        }
                })
                .filter_map(|(_, subject, record)| {
                    let (in_force, lapses) = Model::lifts(record, s, at);
                    let by_number = matches!(subject, Subject::Number(_));
                    in_force.then_some((record.kind, record.since, lapses, by_number))
                })
                // Lapsing last; ties: the number's, the later since,
                // the kind's order (TRANSACTION < ... < BUSINESS).
                .max_by_key(|&(kind, since, lapses, by_number)| {
                    (lapses.unwrap_or(Timestamp::MAX), by_number, since, kind)
                })
                .map(|(kind, since, lapses, _)| (kind, since, lapses))
        };
        Expected {
            source: name.to_owned(),
            status,
            obtained,
            exemption,
        }
    }
}

/// One check as the model expects it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Expected {
    source: String,
    status: &'static str,
    obtained: Option<Timestamp>,
    exemption: Option<(ExemptionKind, Timestamp, Option<Timestamp>)>,
}

fn client_id(client: u8) -> ClientId {
    ClientId::new(u64::from(client % 2) + 1).unwrap()
}

fn service_id(client: u8) -> ServiceId {
    ServiceId::new(u64::from(client % 2) * 10 + 11).unwrap()
}

/// Runs `ops` on an engine and on the model, comparing every answer.
pub(crate) fn run(ops: &[Op]) -> Result<(), String> {
    let mut engine = Engine::new();
    for client in 0..2 {
        engine
            .register_service(client_id(client), service_id(client))
            .unwrap();
    }
    let mut model = Model::default();
    for op in ops {
        match op {
            Op::Load {
                source: s,
                covered: mask,
                numbers,
                day: d,
            } => {
                let s = s % 3;
                let mut load: Vec<u64> = numbers.iter().map(|&code| number(code)).collect();
                load.sort_unstable();
                load.dedup();
                let area = |n: u64| (n / 10_000_000) as u16;
                let codes: Vec<u16> = (0..5)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| AREA_CODES[i])
                    .collect();
                let replaced: Vec<u16> = if codes.is_empty() {
                    let mut own: Vec<u16> = load.iter().map(|&n| area(n)).collect();
                    own.dedup();
                    own
                } else {
                    codes.clone()
                };
                let copy = model.copies.get(&s);
                // A national copy takes its country's area codes and those
                // of no place; a state's list any.
                let foreign = |code: u16| {
                    let country = place(code).0;
                    match SOURCES[usize::from(s)] {
                        "US_NATIONAL" => !matches!(country, "US" | "NONE"),
                        "CA_NATIONAL" => !matches!(country, "CA" | "NONE"),
                        _ => false,
                    }
                };
                let refused = replaced.iter().any(|&code| foreign(code))
                    || (!codes.is_empty() && load.iter().any(|&n| !codes.contains(&area(n))))
                    || replaced.iter().any(|code| {
                        copy.and_then(|copy| copy.covered.get(code))
                            .is_some_and(|&held| held > day(*d))
                    });
                let given: Vec<AreaCode> =
                    codes.iter().map(|&c| AreaCode::new(c).unwrap()).collect();
                let result = engine.load_registry(
                    source(s),
                    (!codes.is_empty()).then_some(&given[..]),
                    &load,
                    day(*d),
                );
                prop_assert_eq!(result.is_err(), refused, "{op:?}: {result:?}");
                if refused {
                    continue;
                }
                let copy = model.copies.entry(s).or_default();
                for code in &replaced {
                    copy.listed.retain(|&n| area(n) != *code);
                    copy.covered.insert(*code, day(*d));
                }
                copy.listed.extend(load);
            }
            Op::Changes {
                source: s,
                changes,
                day: d,
            } => {
                let s = s % 3;
                let records: Vec<Change> = changes
                    .iter()
                    .map(|&(code, add)| Change {
                        number: number(code),
                        mark: if add {
                            ChangeMark::Add
                        } else {
                            ChangeMark::Delete
                        },
                    })
                    .collect();
                let area = |n: u64| (n / 10_000_000) as u16;
                let refused = match model.copies.get(&s) {
                    None => true,
                    Some(copy) => {
                        records
                            .iter()
                            .any(|c| !copy.covered.contains_key(&area(c.number)))
                            || copy.covered.values().any(|&held| held > day(*d))
                    }
                };
                let result = engine.apply_registry_changes(source(s), &records, day(*d));
                prop_assert_eq!(result.is_err(), refused, "{op:?}: {result:?}");
                if refused {
                    continue;
                }
                let copy = model.copies.get_mut(&s).expect("checked");
                for change in &records {
                    match change.mark {
                        ChangeMark::Add => copy.listed.insert(change.number),
                        ChangeMark::Delete => copy.listed.remove(&change.number),
                    };
                }
                for held in copy.covered.values_mut() {
                    *held = day(*d);
                }
            }
            Op::Subscribe {
                client,
                source: s,
                area_codes,
            } => {
                let codes: Vec<u16> = (0..5)
                    .filter(|i| area_codes & (1 << i) != 0)
                    .map(|i| AREA_CODES[i])
                    .collect();
                let subscription = if codes.is_empty() {
                    Subscription::all(source(*s))
                } else {
                    Subscription::only(source(*s), codes.iter().map(|&c| AreaCode::new(c).unwrap()))
                };
                engine.subscribe(client_id(*client), subscription);
                model
                    .subscriptions
                    .insert((client % 2, s % 3), (!codes.is_empty()).then_some(codes));
            }
            Op::Unsubscribe { client, source: s } => {
                let had = model.subscriptions.remove(&(client % 2, s % 3)).is_some();
                prop_assert_eq!(engine.unsubscribe(client_id(*client), source(*s)), had);
            }
            Op::AddExemption {
                client,
                subject: code,
                kind: k,
                day: d,
                until,
            } => {
                let record = Record {
                    kind: kind(*k),
                    since: day(*d),
                    until: until.map(day),
                };
                let subject = subject(*code);
                let result = engine.add_exemption(
                    client_id(*client),
                    &engine_subject(&subject),
                    Exemption {
                        kind: record.kind,
                        since: record.since,
                        until: record.until,
                    },
                );
                if record.until.is_some_and(|until| until <= record.since) {
                    prop_assert_eq!(result.is_err(), true, "{op:?}: an end not after the start");
                    continue;
                }
                let held = model
                    .exemptions
                    .iter_mut()
                    .find(|(c, s, r)| *c == client % 2 && *s == subject && r.kind == record.kind);
                let end = |r: &Record| r.until.unwrap_or(Timestamp::MAX);
                let taken = match held {
                    None => {
                        model.exemptions.push((client % 2, subject, record));
                        true
                    }
                    Some((_, _, old)) => {
                        let newer = record.since > old.since
                            || (record.since == old.since && end(&record) <= end(old));
                        if newer {
                            *old = record;
                        }
                        newer
                    }
                };
                prop_assert_eq!(result.map_err(|e| e.to_string()), Ok(taken), "{op:?}");
            }
            Op::RemoveExemption {
                client,
                subject: code,
                kind: k,
            } => {
                let subject = subject(*code);
                let before = model.exemptions.len();
                model
                    .exemptions
                    .retain(|(c, s, r)| !(*c == client % 2 && *s == subject && r.kind == kind(*k)));
                let removed = model.exemptions.len() != before;
                let result = engine.remove_exemption(
                    client_id(*client),
                    &engine_subject(&subject),
                    kind(*k),
                );
                prop_assert_eq!(result.map_err(|e| e.to_string()), Ok(removed), "{op:?}");
            }
            Op::AddEntry {
                client,
                number: code,
            } => {
                let n = number(*code);
                engine
                    .add(NewEntry::for_client(
                        client_id(*client),
                        DncKey::Phone(phone(n)),
                    ))
                    .map_err(|e| e.to_string())?;
                model.entries.insert((client % 2, n));
            }
            Op::Check {
                client,
                number: code,
                account,
                zip,
                at,
            } => {
                let n = number(*code);
                let at = match *at {
                    At::Copy {
                        source: s,
                        days,
                        second,
                    } => {
                        let obtained = model
                            .copies
                            .get(&(s % 3))
                            .and_then(|copy| copy.covered.get(&((n / 10_000_000) as u16)))
                            .copied()
                            .unwrap_or(day(0));
                        obtained
                            + SignedDuration::from_hours(24 * (30 + i64::from(days % 3)))
                            + SignedDuration::from_secs(SECONDS[usize::from(second % 4)])
                    }
                    At::Day { day: d, second } => {
                        day(d) + SignedDuration::from_secs(SECONDS[usize::from(second % 4)])
                    }
                    At::Lapse {
                        index,
                        months,
                        delta,
                    } => {
                        let held: Vec<&Record> =
                            model.exemptions.iter().map(|(_, _, r)| r).collect();
                        if held.is_empty() {
                            continue;
                        }
                        let record = held[usize::from(index) % held.len()];
                        let months = [3, 6, 18][usize::from(months % 3)];
                        months_after(record.since, months)
                            + SignedDuration::from_secs(i64::from(delta % 3) - 1)
                    }
                };
                let account = match account % 3 {
                    0 => None,
                    other => Some(ACCOUNTS[usize::from(other - 1)]),
                };
                let zip = ZIPS[usize::from(zip % 4)];
                let want = model.check(client % 2, n, account, zip, at);
                let account_value = account.map(|a| Account::parse(a).unwrap());
                let zip_value = zip.map(|z| Zip::parse(z).unwrap());
                let verdict = engine
                    .registry_check(
                        service_id(*client),
                        phone(n),
                        account_value.as_ref(),
                        zip_value,
                        at,
                    )
                    .map_err(|e| e.to_string())?;
                let got: Vec<Expected> = verdict
                    .checks
                    .iter()
                    .map(|check| Expected {
                        source: check.source.to_string(),
                        status: check.status.code(),
                        obtained: check.status.obtained(),
                        exemption: check
                            .exemption
                            .as_ref()
                            .map(|used| (used.exemption.kind, used.exemption.since, used.lapses)),
                    })
                    .collect();
                prop_assert_eq!(got, want, "{op:?} at {at}");
                for check in &verdict.checks {
                    prop_assert_eq!(check.area_code.get(), (n / 10_000_000) as u16);
                    // A stale copy says whether it lists the number.
                    if let RegistryStatus::Stale { listed, .. }
                    | RegistryStatus::AfterCheck { listed, .. } = check.status
                    {
                        let copy = &model.copies[&SOURCES
                            .iter()
                            .position(|s| *s == check.source.to_string())
                            .unwrap_or(0)
                            .try_into()
                            .unwrap_or(0u8)];
                        prop_assert_eq!(listed, copy.listed.contains(&n), "{op:?}");
                    }
                }
                // The dial decision carries the same registry answer, and
                // refuses whenever a registry does or the client's own list
                // does, whatever the exemptions say (the hours and the
                // calling laws have models of their own).
                let mut request = DialRequest::new(service_id(*client), phone(n), at);
                if let Some(account) = &account_value {
                    request = request.account(account);
                }
                if let Some(zip) = zip_value {
                    request = request.zip(zip);
                }
                let decision = engine.dial_decision(&request).map_err(|e| e.to_string())?;
                prop_assert_eq!(&decision.registries, &verdict);
                let registry_refuses = verdict.checks.iter().any(|c| c.refuses());
                let own_entry = model.entries.contains(&(client % 2, n));
                prop_assert_eq!(decision.dnc.is_blocked(), own_entry, "{op:?}");
                prop_assert_eq!(
                    decision.allowed(),
                    !registry_refuses
                        && !own_entry
                        && decision.hours.may_dial()
                        && decision.law.allows(),
                    "{op:?}"
                );
            }
            Op::RoundTrip => {
                let restored = Engine::restore(engine.snapshot()).map_err(|e| e.to_string())?;
                prop_assert_eq!(restored.snapshot(), engine.snapshot());
                engine = restored;
            }
        }
    }
    Ok(())
}
