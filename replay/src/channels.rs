//! `dnc replay` ops for the channel lists: client time zones and phone DNC
//! types, contact groups, and create, create_many, read, update, delete,
//! list, find, info and check on the `dialtime`, `sms` and `email` lists.
//! Field names are the reference's (`phone` / `sms` / `email` for the
//! value, `contactGroupId`, `expirationDate`, `dncEntries`,
//! `processedCount`, `filter`, `next`, `size`, `lastModified`); every rule
//! is the library's.

use dnc_engine::{
    Account, Channel, ChannelEntry, ChannelFilter, ChannelQuery, ChannelValue, ContactGroupId,
    DncError, Effect, Email, Expiration, Mutation, NewChannelEntry, Phone, PhoneDncType,
};
use serde_json::{Map, Value, json};

use super::fields::{Fields, LineError, RawId, bad_request, change_instant};
use super::wire::{self, Planned, Tenant};

/// The channel list a line names in `list` (`dnc`, the legacy list, is
/// answered by `replay/legacy.rs`: the op table sends it there).
fn list_of(fields: &Fields<'_>) -> Result<Channel, LineError> {
    match fields.required_text("list")? {
        "dialtime" => Ok(Channel::Dialtime),
        "sms" => Ok(Channel::Sms),
        "email" => Ok(Channel::Email),
        // Routed to the legacy list by the op table before this point; kept
        // as an error rather than a panic.
        "dnc" => Err(bad_request("list \"dnc\" has no such op")),
        other => Err(bad_request(format!(
            "unknown list {other:?}: expected dialtime, sms or email"
        ))),
    }
}

/// The channel a `check` names in `channel`.
fn channel_of(fields: &Fields<'_>) -> Result<Channel, LineError> {
    match fields.required_text("channel")? {
        "phone" => Ok(Channel::Dialtime),
        "sms" => Ok(Channel::Sms),
        "email" => Ok(Channel::Email),
        other => Err(bad_request(format!(
            "unknown channel {other:?}: expected phone, sms or email"
        ))),
    }
}

/// The reference's name of a list's value field.
fn value_field(channel: Channel) -> &'static str {
    match channel {
        Channel::Dialtime => "phone",
        Channel::Sms => "sms",
        Channel::Email => "email",
    }
}

fn parse_value(channel: Channel, text: &str) -> Result<ChannelValue, DncError> {
    match channel {
        Channel::Dialtime | Channel::Sms => Phone::parse(text).map(ChannelValue::Phone),
        Channel::Email => Email::parse(text).map(ChannelValue::Email),
    }
}

fn group(raw: RawId<'_>) -> Result<ContactGroupId, DncError> {
    raw.parse_as("contact group", ContactGroupId::parse, ContactGroupId::new)
}

/// `expirationDate`: a string in one of the three forms, or a number of
/// epoch milliseconds.
fn expiration(fields: &Fields<'_>) -> Result<Option<Result<Expiration, DncError>>, LineError> {
    Ok(match fields.raw("expirationDate") {
        None => None,
        Some(Value::String(text)) => Some(Expiration::parse(text)),
        Some(Value::Number(number)) => Some(match number.as_i64() {
            Some(millis) => Expiration::from_epoch_millis(millis),
            None => Err(DncError::InvalidDate {
                value: number.to_string(),
            }),
        }),
        Some(other) => {
            return Err(bad_request(format!(
                "field \"expirationDate\" must be a date string or epoch milliseconds, not {other}"
            )));
        }
    })
}

/// A whole entry from the fields of `fields` (a line or a bulk record):
/// shapes first (`bad_request`), then values.
fn new_entry(channel: Channel, fields: &Fields<'_>) -> Result<NewChannelEntry, LineError> {
    let name = value_field(channel);
    let value = fields.required_text(name)?;
    let contact_group = fields.id("contactGroupId")?;
    let expiration = expiration(fields)?;
    Ok(NewChannelEntry {
        value: parse_value(channel, value)?,
        contact_group: contact_group.map(group).transpose()?,
        expiration: expiration.transpose()?,
    })
}

/// An entry as the reference answers it.
fn render_entry(entry: &ChannelEntry, channel: Channel) -> Value {
    let mut object = Map::new();
    object.insert("id".to_owned(), json!(entry.id.get()));
    object.insert(
        value_field(channel).to_owned(),
        json!(entry.value.to_string()),
    );
    if let Some(group) = entry.contact_group {
        object.insert("contactGroupId".to_owned(), json!(group.get()));
    }
    if let Some(millis) = entry.expiration_millis {
        object.insert("expirationDate".to_owned(), json!(millis));
    }
    Value::Object(object)
}

pub(super) fn set_client(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let client = fields.required_id("client")?;
    let zone = fields.text("timeZone")?;
    let phone_dnc_type = fields.text("phoneDncType")?;
    let at = fields.integer("at")?;
    let phone_dnc_type = phone_dnc_type
        .map(|text| {
            PhoneDncType::parse(text).ok_or_else(|| {
                bad_request(format!(
                    "unknown phoneDncType {text:?}: expected LEGACY or DIAL_TIME"
                ))
            })
        })
        .transpose()?;
    // An unknown zone name is a bad_request, which wins over a bad id.
    if let Some(zone) = zone
        && dnc_engine::jiff::tz::TimeZone::get(zone).is_err()
    {
        return Err(LineError::Engine(DncError::InvalidTimeZone {
            value: zone.to_owned(),
        }));
    }
    let client = client.client()?;
    let at = change_instant(at)?;
    // The zone first: it is the only part that can be refused, and a
    // refused line changes nothing (one change: `ClientSettings`).
    let mutation = Mutation::ClientSettings {
        client,
        time_zone: zone.map(str::to_owned),
        phone_dnc_type,
        at,
    };
    Planned::change(mutation, move |effect| {
        let Effect::Migrated(migration) = effect else {
            return Err(wire::unexpected(&effect));
        };
        let mut answer = json!({"ok": true});
        if phone_dnc_type == Some(PhoneDncType::DialTime) {
            answer["migrated"] = json!(migration.migrated);
            answer["alreadyListed"] = json!(migration.already_listed);
            // Nothing is left behind without the host knowing.
            let not_carried: Vec<Value> = migration
                .not_carried
                .iter()
                .map(|entry| {
                    json!({
                        "id": entry.entry.get(),
                        "phone": entry.phone.to_string(),
                        "reason": entry.reason.as_str(),
                    })
                })
                .collect();
            answer["notCarried"] = json!(not_carried);
        }
        Ok(answer)
    })
}

pub(super) fn is_legacy_dnc_enabled(
    engine: &Tenant<'_>,
    fields: &Fields<'_>,
) -> Result<Value, LineError> {
    let client = fields.required_id("client")?;
    Ok(json!({"result": engine.is_legacy_dnc_enabled(client.client()?)?}))
}

pub(super) fn add_contact_group(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let client = fields.required_id("client")?;
    let contact_group = fields.required_id("contactGroupId")?;
    Planned::ok(Mutation::AddContactGroup {
        client: client.client()?,
        group: group(contact_group)?,
    })
}

pub(super) fn set_service_contact_group(
    engine: &Tenant<'_>,
    fields: &Fields<'_>,
) -> Result<Planned, LineError> {
    let service = fields.required_id("service")?;
    let contact_group = fields.id("contactGroupId")?;
    fields.id("client")?;
    let contact_group = contact_group.map(group).transpose()?;
    let service = service.service()?;
    wire::claimed_client(engine, fields, service)?;
    Planned::ok(Mutation::ServiceContactGroup {
        service,
        group: contact_group,
    })
}

pub(super) fn create(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let channel = list_of(fields)?;
    let client = fields.required_id("client")?;
    let at = fields.integer("at")?;
    let entry = new_entry(channel, fields)?;
    let mutation = Mutation::ChannelCreate {
        channel,
        client: client.client()?,
        entry,
        at: change_instant(at)?,
    };
    Planned::change(mutation, |effect| match effect {
        Effect::ChannelCreated(id) => Ok(json!({"ok": true, "id": id.get()})),
        other => Err(wire::unexpected(&other)),
    })
}

pub(super) fn create_many(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let channel = list_of(fields)?;
    let client = fields.required_id("client")?;
    let at = fields.integer("at")?;
    let (readable, mut errors) = wire::bulk_records(fields, |record| new_entry(channel, record))?;
    let client = client.client()?;
    // The readable records go to the library in order; its refusals are
    // reported at their position in the line, like the unreadable ones.
    let positions: Vec<usize> = readable.iter().map(|(position, _)| *position).collect();
    let at = change_instant(at)?;
    let mutation = Mutation::ChannelCreateMany {
        channel,
        client,
        entries: readable.into_iter().map(|(_, new)| new).collect(),
        at,
    };
    Planned::change(mutation, move |effect| {
        let Effect::ChannelCreatedMany(outcome) = effect else {
            return Err(wire::unexpected(&effect));
        };
        for (index, error) in outcome.refused {
            errors.push((positions[index], LineError::Engine(error)));
        }
        let ids: Vec<u64> = outcome.ids.iter().map(|id| id.get()).collect();
        Ok(wire::bulk_answer(&ids, errors))
    })
}

pub(super) fn read(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let channel = list_of(fields)?;
    let client = fields.required_id("client")?;
    let id = fields.required_id("id")?;
    let entry = engine.channel_read(channel, client.client()?, id.entry()?)?;
    Ok(render_entry(&entry, channel))
}

pub(super) fn update(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let channel = list_of(fields)?;
    let client = fields.required_id("client")?;
    let id = fields.required_id("id")?;
    let at = fields.integer("at")?;
    let entry = new_entry(channel, fields)?;
    let (client, id) = (client.client()?, id.entry()?);
    Planned::ok(Mutation::ChannelUpdate {
        channel,
        client,
        id,
        entry,
        at: change_instant(at)?,
    })
}

pub(super) fn delete(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let channel = list_of(fields)?;
    let client = fields.required_id("client")?;
    let id = fields.required_id("id")?;
    let at = fields.integer("at")?;
    let (client, id) = (client.client()?, id.entry()?);
    Planned::ok(Mutation::ChannelDelete {
        channel,
        client,
        id,
        at: change_instant(at)?,
    })
}

pub(super) fn page(
    engine: &Tenant<'_>,
    fields: &Fields<'_>,
    find: bool,
) -> Result<Value, LineError> {
    let channel = list_of(fields)?;
    let client = fields.required_id("client")?;
    let (offset, count) = wire::page_fields(fields)?;
    let (mut needle, mut contact_group) = (None, None);
    if find {
        let filter = wire::filter(fields)?;
        needle = filter.text(value_field(channel))?;
        contact_group = filter.id("contactGroupId")?;
    }
    // Every shape passed: now the values.
    let filter = ChannelFilter {
        value: needle.map(str::to_owned),
        contact_group: contact_group.map(group).transpose()?,
    };
    let request = wire::page_request(offset, count)?;
    let page = engine.channel_page(channel, client.client()?, &filter, request)?;
    let entries = page
        .entries
        .iter()
        .map(|entry| render_entry(entry, channel))
        .collect();
    Ok(wire::page_answer(entries, page.next))
}

pub(super) fn info(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let channel = list_of(fields)?;
    let client = fields.required_id("client")?;
    let info = engine.channel_info(channel, client.client()?)?;
    Ok(wire::info_answer(info.size, info.last_modified))
}

pub(super) fn check(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let channel = channel_of(fields)?;
    let service = fields.required_id("service")?;
    let value = fields.required_text(value_field(channel))?;
    let account = fields.text("account")?;
    // Without an instant every expiring entry still blocks (the safe answer).
    let at = fields.check_instant("at")?;
    fields.id("client")?;
    let value = parse_value(channel, value)?;
    let account = account.map(Account::parse).transpose()?;
    let service = service.service()?;
    wire::claimed_client(engine, fields, service)?;
    let query = ChannelQuery {
        service,
        value: &value,
        account: account.as_ref(),
        at,
    };
    let verdict = engine.channel_check(channel, &query)?;
    Ok(wire::verdict_answer(&verdict))
}
