//! What a snapshot keeps of the attempts part (each client's debt-collector
//! mark, every kept attempt and every attempt rule, in plain records), and
//! how a restore puts them back through the live checks.

use jiff::{SignedDuration, Timestamp};

use crate::attempts::attempt::{ContactKey, NewAttempt, Outcome};
use crate::attempts::rule::{ChannelSet, NewAttemptRule, OutcomeSet, RuleKey, RuleWindow};
use crate::attempts::store::{AttemptStore, Kept};
use crate::channel::DialChannel;
use crate::error::{DncError, invalid_snapshot};
use crate::geo::TimeZoneId;
use crate::values::ids::{AttemptRuleId, ClientId, MAX_ID, ServiceId};
use crate::values::phone::Phone;

/// A client marked as a debt collector.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CollectorRecord {
    /// The client.
    pub client: ClientId,
}

/// A kept contact attempt.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AttemptRecord {
    /// The client whose history keeps it.
    pub client: ClientId,
    /// The number.
    pub phone: Phone,
    /// The person's key.
    pub person: Option<String>,
    /// The debts' keys, sorted.
    pub debts: Vec<String>,
    /// When.
    pub at: Timestamp,
    /// `VOICE` or `SMS`.
    pub channel: String,
    /// The outcome's wire name.
    pub outcome: String,
    /// Placed within seven days after the person's consent.
    pub with_consent: bool,
}

/// A client's attempt rule.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AttemptRuleRecord {
    /// The client.
    pub client: ClientId,
    /// Its id.
    pub id: AttemptRuleId,
    /// `PERSON`, `PHONE`, `PERSON_AND_PHONE`.
    pub key: String,
    /// The counted outcomes' wire names.
    pub outcomes: Vec<String>,
    /// Whether calls count.
    pub voice: bool,
    /// Whether texts count.
    pub sms: bool,
    /// A rolling window, in milliseconds.
    pub rolling_ms: Option<i64>,
    /// A calendar window: days and zone.
    pub calendar: Option<(u16, String)>,
    /// The limit.
    pub limit: u32,
    /// The lock, in milliseconds.
    pub lock_ms: Option<i64>,
}

/// The attempts part's records, sorted so that equal parts give equal
/// records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AttemptRecords {
    pub(crate) collectors: Vec<CollectorRecord>,
    pub(crate) attempts: Vec<AttemptRecord>,
    pub(crate) rules: Vec<AttemptRuleRecord>,
    pub(crate) last_rule_id: u64,
}

fn channel_name(channel: DialChannel) -> &'static str {
    match channel {
        DialChannel::Voice => "VOICE",
        DialChannel::Sms => "SMS",
    }
}

impl AttemptStore {
    /// The part's records.
    pub(crate) fn snapshot_records(&self) -> AttemptRecords {
        let mut records = AttemptRecords {
            last_rule_id: self.last_rule_id,
            ..AttemptRecords::default()
        };
        for (&client, part) in &self.clients {
            if part.collector {
                records.collectors.push(CollectorRecord { client });
            }
            let name = |id: u32| part.key_name(id).map(|key| key.as_str().to_owned());
            records
                .attempts
                .extend(part.iter().map(|(person, kept): (_, &Kept)| {
                    let mut debts: Vec<String> = part
                        .debt_set(kept.debts)
                        .iter()
                        .filter_map(|&id| name(id))
                        .collect();
                    debts.sort();
                    AttemptRecord {
                        client,
                        phone: AttemptStore::phone_of(kept),
                        person: person.map(|key| key.as_str().to_owned()),
                        debts,
                        at: Timestamp::from_millisecond(kept.at).unwrap_or_default(),
                        channel: channel_name(kept.channel()).to_owned(),
                        outcome: kept.outcome().as_str().to_owned(),
                        with_consent: kept.with_consent(),
                    }
                }));
            records.rules.extend(part.rules.iter().map(|rule| {
                let new = &rule.rule;
                let (rolling_ms, calendar) = match new.window {
                    RuleWindow::Rolling(length) => (Some(length.as_millis() as i64), None),
                    RuleWindow::Calendar { days, zone } => {
                        (None, Some((days, zone.name().to_owned())))
                    }
                };
                AttemptRuleRecord {
                    client,
                    id: rule.id,
                    key: new.key.as_str().to_owned(),
                    outcomes: new.outcomes.iter().map(|o| o.as_str().to_owned()).collect(),
                    voice: new.channels.voice,
                    sms: new.channels.sms,
                    rolling_ms,
                    calendar,
                    limit: new.limit,
                    lock_ms: new.lock.map(|lock| lock.as_millis() as i64),
                }
            }));
        }
        records.collectors.sort_by_key(|record| record.client);
        records.attempts.sort_by(|a, b| {
            (
                a.client,
                a.at,
                a.phone.to_string(),
                &a.person,
                &a.debts,
                &a.channel,
                &a.outcome,
                a.with_consent,
            )
                .cmp(&(
                    b.client,
                    b.at,
                    b.phone.to_string(),
                    &b.person,
                    &b.debts,
                    &b.channel,
                    &b.outcome,
                    b.with_consent,
                ))
        });
        records
            .rules
            .sort_by_key(|record| (record.client, record.id));
        records
    }

    /// The part the records describe, each through the live checks.
    pub(crate) fn restore(records: &AttemptRecords) -> Result<AttemptStore, DncError> {
        let mut store = AttemptStore::default();
        let bad = |what: String| invalid_snapshot(format!("attempts: {what}"));
        for record in &records.collectors {
            store.set_collector(record.client, true);
        }
        // Any service stands for the client: the store keys by client.
        let service = ServiceId::new(1)?;
        for record in &records.attempts {
            let key = |field, text: &str| ContactKey::parse(field, text);
            let attempt = NewAttempt {
                service,
                phone: record.phone,
                person: record
                    .person
                    .as_deref()
                    .map(|p| key("person", p))
                    .transpose()?,
                debts: record
                    .debts
                    .iter()
                    .map(|debt| key("debt", debt))
                    .collect::<Result<_, _>>()?,
                at: record.at,
                channel: DialChannel::parse(&record.channel)?,
                outcome: Outcome::parse(&record.outcome)?,
                // The consent's own instant is not kept: the call's stands
                // for it (within seven days of itself).
                consent: record.with_consent.then_some(record.at),
            };
            store.record(record.client, &attempt)?;
        }
        let mut last = 0;
        for record in &records.rules {
            let outcomes: Vec<Outcome> = record
                .outcomes
                .iter()
                .map(|o| Outcome::parse(o))
                .collect::<Result<_, _>>()?;
            let window = match (&record.rolling_ms, &record.calendar) {
                (Some(ms), None) => RuleWindow::Rolling(SignedDuration::from_millis(*ms)),
                (None, Some((days, zone))) => RuleWindow::Calendar {
                    days: *days,
                    zone: TimeZoneId::by_name(zone)
                        .ok_or_else(|| bad(format!("unknown zone {zone}")))?,
                },
                _ => return Err(bad(format!("rule {} needs one window", record.id))),
            };
            let rule = NewAttemptRule {
                key: RuleKey::parse(&record.key)?,
                outcomes: OutcomeSet::of(&outcomes),
                channels: ChannelSet {
                    voice: record.voice,
                    sms: record.sms,
                },
                window,
                limit: record.limit,
                lock: record.lock_ms.map(SignedDuration::from_millis),
            };
            store.insert_rule(record.client, record.id, rule)?;
            last = last.max(record.id.get());
        }
        if records.last_rule_id < last || records.last_rule_id > MAX_ID {
            return Err(bad(format!(
                "the last rule id {} is below a rule's or past 2^63 - 1",
                records.last_rule_id
            )));
        }
        store.last_rule_id = records.last_rule_id;
        Ok(store)
    }
}
