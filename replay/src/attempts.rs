//! The attempts family of the replay protocol: marking a client as a debt
//! collector, recording contact attempts, the clients' attempt rules, and
//! the host's trim. Instants (`at`, `consent`, `now`) are epoch
//! milliseconds or RFC 3339 date-times, as the dialing ops read them.

use dnc_engine::attempts::{
    AttemptRule, ChannelSet, ContactKey, NewAttempt, NewAttemptRule, Outcome, OutcomeSet, RuleKey,
    RuleWindow,
};
use dnc_engine::geo::TimeZoneId;
use dnc_engine::jiff::SignedDuration;
use dnc_engine::{AttemptRuleId, DialChannel, DncError, Effect, Mutation, Phone};
use serde_json::{Value, json};

use super::fields::{Fields, LineError, bad_request, instant};
use super::wire::{self, Planned, Tenant};

/// `debt_collector`: `{client, collector}`.
pub(super) fn collector(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let client = fields.required_id("client")?.client()?;
    let collector = fields
        .flag("collector")?
        .ok_or_else(|| bad_request("field \"collector\" is required"))?;
    Planned::ok(Mutation::DebtCollector { client, collector })
}

/// The strings of an array field (`debts`, `outcomes`, `channels`).
fn strings<'a>(fields: &Fields<'a>, name: &str) -> Result<Vec<&'a str>, LineError> {
    match fields.raw(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str().ok_or_else(|| {
                    bad_request(format!("field {name:?} must hold strings, not {item}"))
                })
            })
            .collect(),
        Some(other) => Err(bad_request(format!(
            "field {name:?} must be an array, not {other}"
        ))),
    }
}

/// The `person` and `debts` fields as keys.
pub(super) fn contact_keys(
    fields: &Fields<'_>,
) -> Result<(Option<ContactKey>, Vec<ContactKey>), LineError> {
    let person = fields
        .text("person")?
        .map(|text| ContactKey::parse("person", text))
        .transpose()?;
    let debts = strings(fields, "debts")?
        .into_iter()
        .map(|text| ContactKey::parse("debt", text))
        .collect::<Result<_, DncError>>()?;
    Ok((person, debts))
}

/// `attempt`: `{service, phone, at, outcome, channel?, person?, debts?,
/// consent?}`.
pub(super) fn attempt(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Planned, LineError> {
    let service = fields.required_id("service")?.service()?;
    let phone = Phone::parse(fields.required_text("phone")?)?;
    let at = instant(fields, "at")?;
    let outcome = Outcome::parse(fields.required_text("outcome")?)?;
    let channel = fields
        .text("channel")?
        .map(DialChannel::parse)
        .transpose()?
        .unwrap_or_default();
    let (person, debts) = contact_keys(fields)?;
    let consent = match fields.raw("consent") {
        None | Some(Value::Null) => None,
        Some(_) => Some(instant(fields, "consent")?),
    };
    wire::claimed_client(engine, fields, service)?;
    Planned::ok(Mutation::Attempt {
        attempt: NewAttempt {
            service,
            phone,
            person,
            debts,
            at,
            channel,
            outcome,
            consent,
        },
    })
}

fn minutes(fields: &Fields<'_>, name: &str) -> Result<Option<SignedDuration>, LineError> {
    Ok(fields
        .integer(name)?
        .map(|minutes| SignedDuration::from_mins(minutes.clamp(i64::MIN / 60, i64::MAX / 60))))
}

/// `attempt_rule_add`: `{client, key, outcomes, channels?, limit,
/// windowMinutes | calendarDays + zone, lockMinutes?}`.
pub(super) fn rule_add(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let client = fields.required_id("client")?.client()?;
    let key = RuleKey::parse(fields.required_text("key")?)?;
    let outcomes = strings(fields, "outcomes")?
        .into_iter()
        .map(Outcome::parse)
        .collect::<Result<Vec<_>, DncError>>()?;
    let given = !matches!(fields.raw("channels"), None | Some(Value::Null));
    let channels = strings(fields, "channels")?;
    if given && channels.is_empty() {
        return Err(DncError::InvalidAttempt {
            field: "channels",
            value: "[]".to_owned(),
            reason: "a rule counts at least one channel (leave the field out for both)",
        }
        .into());
    }
    let channels = if channels.is_empty() {
        ChannelSet::BOTH
    } else {
        let mut set = ChannelSet {
            voice: false,
            sms: false,
        };
        for channel in channels {
            match DialChannel::parse(channel)? {
                DialChannel::Voice => set.voice = true,
                DialChannel::Sms => set.sms = true,
            }
        }
        set
    };
    let limit = fields
        .integer("limit")?
        .ok_or_else(|| bad_request("field \"limit\" is required"))?;
    let limit = u32::try_from(limit).map_err(|_| DncError::InvalidAttempt {
        field: "limit",
        value: limit.to_string(),
        reason: "a limit is 1 to 2^32 - 1",
    })?;
    let window = match (
        minutes(fields, "windowMinutes")?,
        fields.integer("calendarDays")?,
    ) {
        (Some(length), None) => RuleWindow::Rolling(length),
        (None, Some(days)) => {
            let zone_name = fields.required_text("zone")?;
            let zone = TimeZoneId::by_name(zone_name).ok_or_else(|| DncError::InvalidAttempt {
                field: "zone",
                value: zone_name.to_owned(),
                reason: "not a zone of the embedded tables",
            })?;
            let days = u16::try_from(days).map_err(|_| DncError::InvalidAttempt {
                field: "calendarDays",
                value: days.to_string(),
                reason: "calendar days are 1 to 400",
            })?;
            RuleWindow::Calendar { days, zone }
        }
        _ => {
            return Err(bad_request(
                "an attempt rule needs exactly one of \"windowMinutes\" and \"calendarDays\"",
            ));
        }
    };
    let mutation = Mutation::AttemptRuleAdd {
        client,
        rule: NewAttemptRule {
            key,
            outcomes: OutcomeSet::of(&outcomes),
            channels,
            window,
            limit,
            lock: minutes(fields, "lockMinutes")?,
        },
    };
    Planned::change(mutation, |effect| match effect {
        Effect::AttemptRuleAdded(id) => Ok(json!({"ok": true, "id": id.get()})),
        other => Err(wire::unexpected(&other)),
    })
}

/// A rule in the protocol's words.
fn rule_value(rule: &AttemptRule) -> Value {
    let new = &rule.rule;
    let outcomes: Vec<&str> = new.outcomes.iter().map(Outcome::as_str).collect();
    let channels: Vec<&str> = [("VOICE", new.channels.voice), ("SMS", new.channels.sms)]
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| name)
        .collect();
    let mut value = json!({
        "id": rule.id.get(),
        "key": new.key.as_str(),
        "outcomes": outcomes,
        "channels": channels,
        "limit": new.limit,
        "lockMinutes": new.lock.map(|lock| lock.as_secs() / 60),
    });
    match new.window {
        RuleWindow::Rolling(length) => value["windowMinutes"] = json!(length.as_secs() / 60),
        RuleWindow::Calendar { days, zone } => {
            value["calendarDays"] = json!(days);
            value["zone"] = json!(zone.name());
        }
    }
    value
}

/// `attempt_rules`: `{client}`.
pub(super) fn rules(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let client = fields.required_id("client")?.client()?;
    let rules = engine.attempt_rules(client)?;
    let collector = engine.is_debt_collector(client)?;
    Ok(json!({
        "debtCollector": collector,
        "rules": rules.iter().map(rule_value).collect::<Vec<_>>(),
    }))
}

/// `attempt_rule_remove`: `{client, id}`.
pub(super) fn rule_remove(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let client = fields.required_id("client")?.client()?;
    let id = fields.required_id("id")?;
    let id = id.parse_as("attempt rule", AttemptRuleId::parse, AttemptRuleId::new)?;
    Planned::ok(Mutation::AttemptRuleRemove { client, id })
}

/// `attempts_trim`: `{now}` (the host's alone).
pub(super) fn trim(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let now = instant(fields, "now")?;
    Planned::change(Mutation::TrimAttempts { now }, |effect| match effect {
        Effect::Trimmed(removed) => Ok(json!({"ok": true, "removed": removed})),
        other => Err(wire::unexpected(&other)),
    })
}

/// The caps that refuse a dial, one object each.
pub(super) fn cap_refusals(caps: &dnc_engine::attempts::CapAnswer) -> Value {
    use dnc_engine::attempts::CapRule;
    Value::Array(
        caps.refusals
            .iter()
            .map(|refusal| {
                let mut value = json!({
                    "count": refusal.count,
                    "limit": refusal.limit,
                    "window": refusal.window.to_string(),
                    "debt": refusal.debt.map(|debt| debt.as_str().to_owned()),
                    "conversation": refusal.conversation.map(|at| at.as_millisecond()),
                    "lockedUntil": refusal.locked_until.map(|at| at.as_millisecond()),
                    "text": refusal.to_string(),
                });
                match refusal.rule {
                    CapRule::Law(law) => {
                        value["law"] = json!(law.code);
                        value["citation"] = json!(law.citation);
                        value["source"] = json!(law.source);
                    }
                    CapRule::Client(id) => value["attemptRule"] = json!(id.get()),
                }
                value
            })
            .collect(),
    )
}
