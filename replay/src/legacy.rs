//! `dnc replay` ops of the legacy DNC list, whose entries are keyed by
//! phone, account, zip or phone and account, for a service or a whole
//! client: `add_service`, `add`, `remove`, `account_flags`, `clear_daily`,
//! `is_blocked`, `dial_check`, and the list management of `"list":"dnc"`
//! (create, create_many, read, delete, list, find by `type`, `services`,
//! `modifiedAfter`, and info), whose entries are written as `add` takes
//! them.
//!
//! | op | fields | answer |
//! |---|---|---|
//! | `add_service` | `client`, `service` | `{"ok":true}` |
//! | `add` | `id`?, `client`?, `service`?, `phone`?, `account`?, `zip`?, `type`? | `{"ok":true,"id":N}` |
//! | `remove` | `id` | `{"ok":true}` |
//! | `account_flags` | `client`, `account`, `doNotDial`?, `doNotDialDaily`? | `{"ok":true}` |
//! | `clear_daily` | `client`? | `{"ok":true,"removed":N}` |
//! | `is_blocked` | `service`, `client`?, `phone`?, `account`?, `zip`? | `{"result":B,"entries":[…],"accountFlags":[…]}` |
//! | `dial_check` | as `is_blocked` | as `is_blocked` |

use dnc_engine::jiff::Timestamp;
use dnc_engine::{
    Account, DncEntry, DncKey, Effect, FlagUpdate, LegacyFilter, Lifetime, Mutation, NewEntry,
    Phone, PhoneDncType, Query, Zip,
};
use serde_json::{Map, Value, json};

use super::fields::{Fields, LineError, RawId, bad_request, change_instant};
use super::wire::{self, Planned, Tenant, verdict_answer};

pub(super) fn add_service(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let client = fields.required_id("client")?;
    let service = fields.required_id("service")?;
    Planned::ok(Mutation::RegisterService {
        client: client.client()?,
        service: service.service()?,
    })
}

pub(super) fn add(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let at = fields.integer("at")?;
    let entry = new_entry(fields)?;
    let mutation = Mutation::Add {
        entry,
        at: change_instant(at)?,
    };
    Planned::change(mutation, |effect| match effect {
        Effect::Added(id) => Ok(json!({"ok": true, "id": id.get()})),
        other => Err(wire::unexpected(&other)),
    })
}

pub(super) fn remove(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let id = fields.required_id("id")?;
    let at = fields.integer("at")?;
    let id = id.entry()?;
    Planned::ok(Mutation::Remove {
        id,
        at: change_instant(at)?,
    })
}

pub(super) fn account_flags(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let client = fields.required_id("client")?;
    let account = fields.required_text("account")?;
    let update = FlagUpdate {
        do_not_dial: fields.flag("doNotDial")?,
        do_not_dial_daily: fields.flag("doNotDialDaily")?,
    };
    let (client, account) = (client.client()?, Account::parse(account)?);
    Planned::ok(Mutation::AccountFlags {
        client,
        account,
        update,
    })
}

pub(super) fn clear_daily(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let client = fields.id("client")?;
    let client = client.map(|client| client.client()).transpose()?;
    Planned::change(Mutation::ClearDaily { client }, |effect| match effect {
        Effect::Cleared(removed) => Ok(json!({"ok": true, "removed": removed})),
        other => Err(wire::unexpected(&other)),
    })
}

/// `is_blocked` (literal), or `dial_check` (a stored `*` is a pattern)
/// when `dial`.
pub(super) fn check(
    engine: &Tenant<'_>,
    fields: &Fields<'_>,
    dial: bool,
) -> Result<Value, LineError> {
    let service = fields.required_id("service")?;
    let client = fields.id("client")?;
    let phone = fields.text("phone")?;
    let account = fields.text("account")?;
    let zip = fields.text("zip")?;
    if phone.is_none() && account.is_none() && zip.is_none() {
        return Err(bad_request(
            "a check needs at least one of \"phone\", \"account\" and \"zip\"",
        ));
    }
    let account = account.map(Account::parse).transpose()?;
    let query = Query {
        service: service.service()?,
        client: client.map(|client| client.client()).transpose()?,
        phone: phone.map(Phone::parse).transpose()?,
        account: account.as_ref(),
        zip: zip.map(Zip::parse).transpose()?,
    };
    let verdict = if dial {
        engine.dial_check(&query)?
    } else {
        engine.is_blocked(&query)?
    };
    let mut answer = verdict_answer(&verdict);
    // A DIAL_TIME client's phone is answered by the dialtime list, whose
    // ids are its own: they get their own field (a LEGACY client's answer
    // keeps the shape it always had).
    let client = engine.client_of(query.service);
    if client.and_then(|client| engine.phone_dnc_type(client)) == Some(PhoneDncType::DialTime) {
        let dialtime: Vec<u64> = verdict
            .dialtime_entries()
            .iter()
            .map(|id| id.get())
            .collect();
        answer["dialtimeEntries"] = json!(dialtime);
    }
    Ok(answer)
}

/// A legacy entry from the fields of an `add` line (or a legacy bulk
/// record): shapes first, then values.
fn new_entry(fields: &Fields<'_>) -> Result<NewEntry, LineError> {
    let id = fields.id("id")?;
    let client = fields.id("client")?;
    let service = fields.id("service")?;
    let phone = fields.text("phone")?;
    let account = fields.text("account")?;
    let zip = fields.text("zip")?;
    let lifetime = fields.text("type")?;
    if client.is_none() && service.is_none() {
        return Err(bad_request("an entry needs a \"service\" or a \"client\""));
    }
    if phone.is_none() && account.is_none() && zip.is_none() {
        return Err(bad_request(
            "an entry needs a \"phone\", an \"account\" or a \"zip\"",
        ));
    }
    Ok(NewEntry {
        id: id.map(|id| id.entry()).transpose()?,
        client: client.map(|client| client.client()).transpose()?,
        service: service.map(|service| service.service()).transpose()?,
        key: DncKey::from_parts(
            phone.map(Phone::parse).transpose()?,
            account.map(Account::parse).transpose()?,
            zip.map(Zip::parse).transpose()?,
        )?,
        lifetime: lifetime
            .map(Lifetime::parse)
            .transpose()?
            .unwrap_or_default(),
    })
}

/// A legacy entry as the replay answers it.
fn render(entry: &DncEntry) -> Value {
    let mut object = Map::new();
    object.insert("id".to_owned(), json!(entry.id.get()));
    object.insert("client".to_owned(), json!(entry.client.get()));
    if let Some(service) = entry.service {
        object.insert("service".to_owned(), json!(service.get()));
    }
    let (phone, account, zip) = match &entry.key {
        DncKey::Phone(phone) => (Some(phone.to_string()), None, None),
        DncKey::Account(account) => (None, Some(account.to_string()), None),
        DncKey::PhoneAccount(phone, account) => {
            (Some(phone.to_string()), Some(account.to_string()), None)
        }
        DncKey::Zip(zip) => (None, None, Some(zip.to_string())),
    };
    for (name, value) in [("phone", phone), ("account", account), ("zip", zip)] {
        if let Some(value) = value {
            object.insert(name.to_owned(), json!(value));
        }
    }
    let lifetime = match entry.lifetime {
        Lifetime::Permanent => "PERMANENT",
        Lifetime::Daily => "DAILY",
    };
    object.insert("type".to_owned(), json!(lifetime));
    Value::Object(object)
}

pub(super) fn read(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let client = fields.required_id("client")?;
    let id = fields.required_id("id")?;
    Ok(render(&engine.legacy_read(client.client()?, id.entry()?)?))
}

pub(super) fn delete(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Planned, LineError> {
    let client = fields.required_id("client")?;
    let id = fields.required_id("id")?;
    let at = fields.integer("at")?;
    let (client, id) = (client.client()?, id.entry()?);
    // Another client's id is as absent as a missing one.
    engine.legacy_read(client, id)?;
    Planned::ok(Mutation::Remove {
        id,
        at: change_instant(at)?,
    })
}

pub(super) fn info(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let client = fields.required_id("client")?;
    let info = engine.legacy_info(client.client()?)?;
    Ok(wire::info_answer(info.size, info.last_modified))
}

/// The legacy list has no update.
pub(super) fn update() -> Result<Value, LineError> {
    Err(bad_request(
        "the legacy list has no update (as in the reference): delete and create",
    ))
}

pub(super) fn create_many(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let at = fields.integer("at")?;
    let client = fields.id("client")?;
    let (readable, mut errors) = wire::bulk_records(fields, new_entry)?;
    let positions: Vec<usize> = readable.iter().map(|(position, _)| *position).collect();
    let entries = readable.into_iter().map(|(_, new)| new).collect();
    // With "client" the line is that client's list: no record can reach
    // another's. Without it each record names its own scope, as `add`.
    let client = client.map(RawId::client).transpose()?;
    let at = change_instant(at)?;
    let mutation = Mutation::AddMany {
        client,
        entries,
        at,
    };
    Planned::change(mutation, move |effect| {
        let Effect::AddedMany(outcome) = effect else {
            return Err(wire::unexpected(&effect));
        };
        for (index, error) in outcome.refused() {
            errors.push((positions[*index], LineError::Engine(error.clone())));
        }
        let ids: Vec<u64> = outcome.ids().iter().flatten().map(|id| id.get()).collect();
        Ok(wire::bulk_answer(&ids, errors))
    })
}

pub(super) fn page(
    engine: &Tenant<'_>,
    fields: &Fields<'_>,
    find: bool,
) -> Result<Value, LineError> {
    let client = fields.required_id("client")?;
    let (offset, count) = wire::page_fields(fields)?;
    let (mut lifetime, mut services, mut modified_after) = (None, None, None);
    if find {
        let filter = wire::filter(fields)?;
        lifetime = filter.text("type")?;
        // Past either end of the instants the engine names, the nearest
        // one keeps the same entries (no change records an instant past
        // it; one recorded at the very first instant is the one exception).
        modified_after = filter.integer("modifiedAfter")?.map(|after| {
            Timestamp::from_millisecond(after).unwrap_or(if after > 0 {
                Timestamp::MAX
            } else {
                Timestamp::MIN
            })
        });
        services = match filter.raw("services") {
            None => None,
            Some(Value::Array(items)) => Some(items.clone()),
            Some(other) => {
                return Err(bad_request(format!(
                    "\"services\" must be an array of service ids, not {other}"
                )));
            }
        };
        if let Some(items) = &services
            && let Some(item) = items
                .iter()
                .find(|item| !item.is_number() && !item.is_string())
        {
            return Err(bad_request(format!(
                "a service id must be an integer, not {item}"
            )));
        }
    }
    // Every shape passed: now the values.
    let mut service_ids = None;
    if let Some(items) = services {
        let mut ids = Vec::new();
        for item in &items {
            let object = Map::from_iter([("service".to_owned(), item.clone())]);
            ids.push(Fields(&object).required_id("service")?.service()?);
        }
        service_ids = Some(ids);
    }
    let filter = LegacyFilter {
        lifetime: lifetime.map(Lifetime::parse).transpose()?,
        services: service_ids,
        modified_after,
    };
    let request = wire::page_request(offset, count)?;
    let page = engine.legacy_page(client.client()?, &filter, request)?;
    Ok(wire::page_answer(
        page.entries.iter().map(render).collect(),
        page.next,
    ))
}
