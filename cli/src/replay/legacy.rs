//! `dnc replay` list management of the legacy list (`"list":"dnc"`, SPEC 9):
//! create, create_many, read, delete, list, find (by `type`, `services`,
//! `modifiedAfter`) and info. Entries are written as `add` takes them.

use super::Tenant;
use dnc_engine::{DncEntry, DncKey, LegacyFilter, Lifetime};
use serde_json::{Map, Value, json};

use super::fields::{Fields, LineError, bad_request};
use super::new_entry;
use super::wire;

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

/// Answers a list op on the legacy list.
pub(crate) fn answer(
    engine: &mut Tenant<'_>,
    op: &str,
    fields: &Fields<'_>,
) -> Result<Value, LineError> {
    match op {
        "create" => {
            let at = fields.integer("at")?;
            let new = new_entry(fields)?;
            let id = engine.add_at(new, at)?;
            Ok(json!({"ok": true, "id": id.get()}))
        }
        "create_many" => create_many(engine, fields),
        "read" => {
            let client = fields.required_id("client")?;
            let id = fields.required_id("id")?;
            Ok(render(&engine.legacy_read(client.client()?, id.entry()?)?))
        }
        "delete" => {
            let client = fields.required_id("client")?;
            let id = fields.required_id("id")?;
            let at = fields.integer("at")?;
            let (client, id) = (client.client()?, id.entry()?);
            // Another client's id is as absent as a missing one.
            engine.legacy_read(client, id)?;
            engine.remove_at(id, at)?;
            Ok(json!({"ok": true}))
        }
        "list" | "find" => page(engine, fields, op == "find"),
        "info" => {
            let client = fields.required_id("client")?;
            let info = engine.legacy_info(client.client()?)?;
            Ok(wire::info_answer(info.size, info.last_modified))
        }
        "update" => Err(bad_request(
            "the legacy list has no update (as in the reference): delete and create",
        )),
        other => Err(bad_request(format!("{other} is not a list op"))),
    }
}

fn create_many(engine: &mut Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let at = fields.integer("at")?;
    let client = fields.id("client")?;
    let (readable, mut errors) = wire::bulk_records(fields, new_entry)?;
    let positions: Vec<usize> = readable.iter().map(|(position, _)| *position).collect();
    let records = readable.into_iter().map(|(_, new)| new);
    // With "client" the line is that client's list: no record can reach
    // another's. Without it each record names its own scope, as `add`.
    let outcome = match client {
        Some(client) => engine.add_many_for_at(client.client()?, records, at)?,
        None => engine.add_many_at(records, at)?,
    };
    for (index, error) in outcome.refused() {
        errors.push((positions[*index], LineError::Engine(error.clone())));
    }
    let ids: Vec<u64> = outcome.ids().iter().flatten().map(|id| id.get()).collect();
    Ok(wire::bulk_answer(&ids, errors))
}

fn page(engine: &mut Tenant<'_>, fields: &Fields<'_>, find: bool) -> Result<Value, LineError> {
    let client = fields.required_id("client")?;
    let (offset, count) = wire::page_fields(fields)?;
    let (mut lifetime, mut services, mut modified_after) = (None, None, None);
    if find {
        let filter = wire::filter(fields)?;
        lifetime = filter.text("type")?;
        modified_after = filter.integer("modifiedAfter")?;
        services = match filter.raw("services") {
            None => None,
            Some(Value::Array(items)) => Some(items.clone()),
            Some(other) => {
                return Err(bad_request(format!(
                    "\"services\" must be an array of service ids, not {other}"
                )));
            }
        };
        if let Some(items) = &services {
            if let Some(item) = items
                .iter()
                .find(|item| !item.is_number() && !item.is_string())
            {
                return Err(bad_request(format!(
                    "a service id must be an integer, not {item}"
                )));
            }
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
