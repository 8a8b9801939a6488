//! `dnc replay` ops for dialing: dialing profiles and their policies, the
//! dialing hours alone, `zipAreaMatch`, and the dial decision. Field
//! names are the reference's (`dayOfWeek`, `doNotDial`, `doNotLeaveMessage`,
//! `country`, `state`, `areaCode`, `startTime`, `endTime`, `clearAreaCode`,
//! `clearTimeRange`, `clientDefault`, `dialingProfile`, `zipCode`, `type`);
//! every rule is the library's. The JSON shape of each op's fields is in
//! `replay/shapes.rs`, checked by the op table before the op runs.

use dnc_engine::geo::{AreaCode, Country, StateCode};
use dnc_engine::{
    Account, ClientId, DayRule, DialChannel, DialDecision, DialRequest, DialingProfile, DncError,
    Effect, HoursAnswer, HoursRule, Mutation, NewPolicy, NewProfile, PageRequest, Phone,
    PlaceAnswer, PolicyId, PolicyUpdate, ProfileId, Region, TimeOfDay, Window, Zip,
    ZipAreaMatchType, zip_area_match,
};
use serde_json::{Map, Value, json};

use super::fields::{Fields, LineError, RawId, bad_request, instant, integer_text};
use super::wire::{self, Planned, Tenant};

fn scope(fields: &Fields<'_>) -> Result<Option<ClientId>, LineError> {
    Ok(fields.id("client")?.map(RawId::client).transpose()?)
}

fn profile_id(fields: &Fields<'_>) -> Result<ProfileId, LineError> {
    Ok(fields
        .required_id("id")?
        .parse_as("profile", ProfileId::parse, ProfileId::new)?)
}

/// A change of one profile (the line's scope and `id`), answered
/// `{"ok":true}`.
fn with_profile(
    fields: &Fields<'_>,
    change: impl FnOnce(Option<ClientId>, ProfileId) -> Mutation,
) -> Result<Planned, LineError> {
    let (scope, id) = (scope(fields)?, profile_id(fields)?);
    Planned::ok(change(scope, id))
}

/// A boolean the reference also writes as a string (`"doNotDial":"false"`).
fn boolean(fields: &Fields<'_>, name: &str) -> Result<Option<bool>, LineError> {
    match fields.raw(name) {
        None => Ok(None),
        Some(Value::Bool(value)) => Ok(Some(*value)),
        Some(Value::String(text)) if text.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(text)) if text.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(other) => Err(bad_request(format!(
            "field {name:?} must be true or false, not {other}"
        ))),
    }
}

/// A string field the reference also writes as a number (`"areaCode":415`).
fn text_or_number(fields: &Fields<'_>, name: &str) -> Result<Option<String>, LineError> {
    match fields.raw(name) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(Value::Number(number)) => Ok(Some(number.to_string())),
        Some(other) => Err(bad_request(format!(
            "field {name:?} must be a string or a number, not {other}"
        ))),
    }
}

/// A policy time: `HH:MM[:SS]`, milliseconds after local midnight
/// (`0..=86400000`, the reference's read answers), or the reference's epoch
/// instant (`1391184000`) read in the region's zone.
fn time_of_day(value: &Value, region: Region) -> Result<TimeOfDay, LineError> {
    let from_integer = |number: i64| -> Result<TimeOfDay, DncError> {
        match u32::try_from(number) {
            Ok(millis) if millis <= 86_400_000 => TimeOfDay::from_millis(millis),
            _ => TimeOfDay::from_reference_instant(number, region),
        }
    };
    match value {
        Value::Number(number) => match number.as_i64() {
            Some(number) => Ok(from_integer(number)?),
            None => Err(LineError::Engine(DncError::InvalidProfile {
                field: "time",
                value: number.to_string(),
                reason: "expected HH:MM, milliseconds after midnight or an epoch instant",
            })),
        },
        Value::String(text) => match integer_text(text) {
            Some(number) => Ok(from_integer(number)?),
            None => Ok(TimeOfDay::parse(text)?),
        },
        other => Err(bad_request(format!(
            "a time must be a string or a number, not {other}"
        ))),
    }
}

/// The region fields of a policy line, each `None` when absent.
struct RegionParts {
    country: Option<Country>,
    state: Option<StateCode>,
    area_code: Option<AreaCode>,
}

fn region_parts(fields: &Fields<'_>) -> Result<RegionParts, LineError> {
    Ok(RegionParts {
        country: fields.text("country")?.map(Country::parse).transpose()?,
        state: fields.text("state")?.map(StateCode::parse).transpose()?,
        area_code: text_or_number(fields, "areaCode")?
            .map(|text| AreaCode::parse(&text))
            .transpose()?,
    })
}

/// A whole policy from a line or a `policy` array element.
fn new_policy(fields: &Fields<'_>) -> Result<NewPolicy, LineError> {
    let day = DayRule::parse(fields.required_text("dayOfWeek")?)?;
    let parts = region_parts(fields)?;
    let region = Region::new(parts.country, parts.state, parts.area_code)?;
    let start = fields
        .raw("startTime")
        .map(|value| time_of_day(value, region))
        .transpose()?;
    let end = fields
        .raw("endTime")
        .map(|value| time_of_day(value, region))
        .transpose()?;
    let window = match (start, end) {
        (None, None) => None,
        (start, end) => Some(Window::new(
            start.unwrap_or(TimeOfDay::MIDNIGHT),
            end.unwrap_or(TimeOfDay::END_OF_DAY),
        )?),
    };
    Ok(NewPolicy {
        day,
        region,
        do_not_dial: boolean(fields, "doNotDial")?.unwrap_or(false),
        do_not_leave_message: boolean(fields, "doNotLeaveMessage")?.unwrap_or(false),
        window,
    })
}

pub(super) fn profile_create(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let client = scope(fields)?;
    let name = fields.required_text("name")?.to_owned();
    let description = fields.text("description")?.map(str::to_owned);
    let client_default = boolean(fields, "clientDefault")?.unwrap_or(false);
    let policies = match fields.raw("policy") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(object) => new_policy(&Fields(object)),
                other => Err(bad_request(format!(
                    "policy {} must be an object, not {other}",
                    i + 1
                ))),
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(bad_request(format!(
                "field \"policy\" must be an array, not {other}"
            )));
        }
    };
    let mutation = Mutation::ProfileCreate {
        scope: client,
        profile: NewProfile {
            client,
            name,
            description,
            client_default,
            policies,
        },
    };
    Planned::change(mutation, |effect| match effect {
        Effect::ProfileCreated(id) => Ok(json!({"ok": true, "id": id.get()})),
        other => Err(wire::unexpected(&other)),
    })
}

fn time_value(time: TimeOfDay) -> Value {
    Value::from(time.to_string())
}

fn policy_value(policy: &dnc_engine::Policy) -> Value {
    let rule = &policy.rule;
    let region = rule.region;
    json!({
        "id": policy.id.get(),
        "dayOfWeek": rule.day.as_str(),
        "doNotDial": rule.do_not_dial,
        "doNotLeaveMessage": rule.do_not_leave_message,
        "country": region.country().map(Country::as_str),
        "state": region.state().map(StateCode::as_str),
        "areaCode": region.area_code().map(|code| code.to_string()),
        "startTime": rule.window.map(|w| time_value(w.start())),
        "endTime": rule.window.map(|w| time_value(w.end())),
    })
}

fn profile_value(profile: &DialingProfile) -> Value {
    let mut answer = Map::new();
    answer.insert("id".to_owned(), json!(profile.id.get()));
    if let Some(client) = profile.client {
        answer.insert("clientId".to_owned(), json!(client.get()));
    }
    answer.insert("name".to_owned(), json!(profile.name));
    answer.insert("description".to_owned(), json!(profile.description));
    answer.insert("clientDefault".to_owned(), json!(profile.client_default));
    let services: Vec<Value> = profile
        .services
        .iter()
        .map(|service| json!({"id": service.get()}))
        .collect();
    answer.insert("service".to_owned(), Value::Array(services));
    let policies: Vec<Value> = profile.policies.iter().map(policy_value).collect();
    answer.insert("policy".to_owned(), Value::Array(policies));
    Value::Object(answer)
}

pub(super) fn profile_read(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let (scope, id) = (scope(fields)?, profile_id(fields)?);
    Ok(profile_value(&engine.profile_read(scope, id)?))
}

pub(super) fn profile_update(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let name = fields.text("name")?.map(str::to_owned);
    // `"description": null` is absent (as null is in every field), so
    // clearing is not offered.
    let description = fields.text("description")?.map(|d| Some(d.to_owned()));
    with_profile(fields, |scope, id| Mutation::ProfileUpdate {
        scope,
        id,
        name,
        description,
    })
}

pub(super) fn profile_delete(fields: &Fields<'_>) -> Result<Planned, LineError> {
    with_profile(fields, |scope, id| Mutation::ProfileDelete { scope, id })
}

pub(super) fn profile_set_default(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let default = boolean(fields, "clientDefault")?
        .ok_or_else(|| bad_request("field \"clientDefault\" is required"))?;
    with_profile(fields, |scope, id| Mutation::ProfileDefault {
        scope,
        id,
        default,
    })
}

pub(super) fn profile_list(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let scope = scope(fields)?;
    let offset = fields.integer("offset")?.unwrap_or(0);
    let count = fields
        .integer("count")?
        .ok_or_else(|| bad_request("field \"count\" is required"))?;
    let request = PageRequest::new(
        u64::try_from(offset).map_err(|_| bad_request("field \"offset\" must not be negative"))?,
        u64::try_from(count).unwrap_or(0),
    )?;
    let page = engine.profile_page(scope, request)?;
    let profiles: Vec<Value> = page
        .entries
        .iter()
        .map(|summary| {
            json!({"id": summary.id.get(), "name": summary.name, "description": summary.description})
        })
        .collect();
    let mut answer = json!({"dialingProfile": profiles});
    if let Some(next) = page.next {
        answer["next"] = json!(next);
    }
    Ok(answer)
}

pub(super) fn profile_info(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let info = engine.profile_info(scope(fields)?)?;
    Ok(json!({"size": info.size}))
}

pub(super) fn profile_service(fields: &Fields<'_>, add: bool) -> Result<Planned, LineError> {
    let service = fields.required_id("service")?.service()?;
    with_profile(fields, |scope, profile| Mutation::ProfileService {
        scope,
        profile,
        service,
        assign: add,
    })
}

fn policy_id(fields: &Fields<'_>) -> Result<PolicyId, LineError> {
    Ok(fields
        .required_id("policy")?
        .parse_as("policy", PolicyId::parse, PolicyId::new)?)
}

pub(super) fn policy_add(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let (scope, profile) = (scope(fields)?, profile_id(fields)?);
    let mutation = Mutation::PolicyAdd {
        scope,
        profile,
        policy: new_policy(fields)?,
    };
    Planned::change(mutation, |effect| match effect {
        Effect::PolicyAdded(id) => Ok(json!({"ok": true, "id": id.get()})),
        other => Err(wire::unexpected(&other)),
    })
}

pub(super) fn policy_update(
    engine: &Tenant<'_>,
    fields: &Fields<'_>,
) -> Result<Planned, LineError> {
    let (scope, id, policy) = (scope(fields)?, profile_id(fields)?, policy_id(fields)?);
    let RegionParts {
        country,
        state,
        area_code,
    } = region_parts(fields)?;
    let day = fields.text("dayOfWeek")?.map(DayRule::parse).transpose()?;
    // Times are read in the policy's region as it will be after the change.
    let stored = engine
        .profile_read(scope, id)?
        .policies
        .iter()
        .find(|stored| stored.id == policy)
        .ok_or(DncError::PolicyNotFound {
            profile: id,
            policy,
        })?
        .rule
        .region;
    let clear_area_code = boolean(fields, "clearAreaCode")?.unwrap_or(false);
    let area_after = if clear_area_code {
        None
    } else {
        area_code.or(stored.area_code())
    };
    // An invalid region is refused by the update itself; the times are
    // then read in the stored one.
    let region = Region::new(
        country.or(stored.country()),
        state.or(stored.state()),
        area_after,
    )
    .unwrap_or(stored);
    let update = PolicyUpdate {
        day,
        do_not_dial: boolean(fields, "doNotDial")?,
        do_not_leave_message: boolean(fields, "doNotLeaveMessage")?,
        country,
        state,
        area_code,
        start: fields
            .raw("startTime")
            .map(|value| time_of_day(value, region))
            .transpose()?,
        end: fields
            .raw("endTime")
            .map(|value| time_of_day(value, region))
            .transpose()?,
        clear_area_code,
        clear_time_range: boolean(fields, "clearTimeRange")?.unwrap_or(false),
    };
    Planned::ok(Mutation::PolicyUpdate {
        scope,
        profile: id,
        policy,
        update,
    })
}

pub(super) fn policy_remove(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let (scope, profile, policy) = (scope(fields)?, profile_id(fields)?, policy_id(fields)?);
    Planned::ok(Mutation::PolicyRemove {
        scope,
        profile,
        policy,
    })
}

fn place_value(place: &PlaceAnswer) -> Value {
    json!({
        "zone": place.place.zone.name(),
        "state": place.place.state.map(StateCode::as_str),
        "areaCode": place.place.area_code.map(|code| code.to_string()),
        "localTime": place.local.to_string(),
        "policy": match place.rule {
            HoursRule::Standard => Value::Null,
            HoursRule::Policy(id) => json!(id.get()),
        },
        "mayDial": place.may_dial,
        "doNotDial": place.do_not_dial,
        "window": place.window.to_string(),
        "mayLeaveMessage": place.may_leave_message,
    })
}

fn hours_value(hours: &HoursAnswer) -> Value {
    json!({
        "mayDial": hours.may_dial(),
        "mayLeaveMessage": hours.may_leave_message(),
        "nextAllowed": hours.next_allowed.map(|next| next.as_millisecond()),
        "places": hours.places.iter().map(place_value).collect::<Vec<_>>(),
    })
}

pub(super) fn dialing_hours(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let service = fields.required_id("service")?.service()?;
    let phone = Phone::parse(fields.required_text("phone")?)?;
    let at = instant(fields, "at")?;
    wire::claimed_client(engine, fields, service)?;
    let hours = engine.dialing_hours(service, phone, at)?;
    let profile = engine.profile_for_service(service)?.map(|p| p.id.get());
    let mut answer = hours_value(&hours);
    answer["profile"] = json!(profile);
    Ok(answer)
}

pub(super) fn zip_area(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let area_code = text_or_number(fields, "areaCode")?
        .ok_or_else(|| bad_request("field \"areaCode\" is required"))?;
    // A zip written as a JSON number (the reference's examples) has lost
    // its leading zeros: pad them back. A string is taken as written.
    let zip = match fields.raw("zipCode") {
        Some(Value::Number(number)) if number.as_u64().is_some_and(|n| n < 100_000) => {
            format!("{:05}", number.as_u64().unwrap_or_default())
        }
        _ => text_or_number(fields, "zipCode")?
            .ok_or_else(|| bad_request("field \"zipCode\" is required"))?,
    };
    let kind = ZipAreaMatchType::parse(fields.required_text("type")?)?;
    let (area_code, zip) = (AreaCode::parse(&area_code)?, Zip::parse(&zip)?);
    engine.may_match_zip_area()?;
    let answer = zip_area_match(area_code, zip, kind);
    Ok(json!({"result": answer.matched, "reason": answer.to_string()}))
}

fn decision_value(decision: &DialDecision) -> Value {
    let ids = |ids: &[dnc_engine::EntryId]| ids.iter().map(|id| id.get()).collect::<Vec<_>>();
    let mut answer = json!({
        "allowed": decision.allowed(),
        "mayLeaveMessage": decision.may_leave_message(),
        "nextAllowed": decision.next_allowed().map(|next| next.as_millisecond()),
        "reasons": decision.reasons().map(|reason| reason.to_string()).collect::<Vec<_>>(),
        "entries": ids(decision.dnc.entries()),
        "dialtimeEntries": ids(decision.dnc.dialtime_entries()),
        "accountFlags": decision.dnc.flags().iter().map(|f| f.as_str()).collect::<Vec<_>>(),
        "profile": decision.profile.map(|id| id.get()),
        "hours": hours_value(&decision.hours),
    });
    if let Some(sms) = &decision.sms {
        answer["smsEntries"] = json!(ids(sms.entries()));
    }
    if let Some(zip_match) = decision.zip_match {
        answer["zipAreaMatch"] = json!(zip_match.matched);
    }
    // Only for a client with a subscription that applies, so the answers of
    // the scripts written before the registries stay as they were.
    if !decision.registries.checks.is_empty() {
        answer["registries"] = wire::registry_checks(&decision.registries);
    }
    // Only when a law or a cap refuses, so that an allowed answer keeps
    // its shape.
    if !decision.law.allows() {
        answer["law"] = wire::law_refusals(&decision.law);
    }
    if !decision.caps.allows() {
        answer["caps"] = super::attempts::cap_refusals(&decision.caps);
    }
    answer
}

pub(super) fn dial(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let service = fields.required_id("service")?.service()?;
    let phone = Phone::parse(fields.required_text("phone")?)?;
    let at = instant(fields, "at")?;
    let account = fields.text("account")?.map(Account::parse).transpose()?;
    let zip = fields.text("zip")?.map(Zip::parse).transpose()?;
    let channel = fields
        .text("channel")?
        .map(DialChannel::parse)
        .transpose()?
        .unwrap_or_default();
    let zip_match = fields
        .text("zipMatchType")?
        .map(ZipAreaMatchType::parse)
        .transpose()?
        .unwrap_or_default();
    let (person, debts) = super::attempts::contact_keys(fields)?;
    let consent = match fields.raw("consent") {
        None | Some(Value::Null) => None,
        Some(_) => Some(instant(fields, "consent")?),
    };
    wire::claimed_client(engine, fields, service)?;
    let mut request = DialRequest::new(service, phone, at)
        .channel(channel)
        .zip_match(zip_match)
        .debts(&debts);
    if let Some(person) = person {
        request = request.person(person);
    }
    if let Some(consent) = consent {
        request = request.consent(consent);
    }
    if let Some(account) = &account {
        request = request.account(account);
    }
    if let Some(zip) = zip {
        request = request.zip(zip);
    }
    Ok(decision_value(&engine.dial_decision(&request)?))
}
