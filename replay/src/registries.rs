//! The registries family of the replay protocol: registry copies (loaded
//! from inline numbers or from the registries' files, changed, opened from
//! a built copy, described), clients' subscriptions and exemptions, and the
//! registry check. Instants (`obtained`, `since`, `until`, `at`) are epoch
//! milliseconds or RFC 3339 date-times, as the dialing ops read them.

use std::path::{Path, PathBuf};

use dnc_engine::changes::Bytes;
use dnc_engine::geo::AreaCode;
use dnc_engine::registry::{
    Change, ChangeLayout, ChangeMark, Exemption, ExemptionKind, ExemptionSubject, RegistrySource,
    Subscription, parse_change_list,
};
use dnc_engine::{Account, DncError, Effect, Mutation, Phone, Zip};
use serde_json::{Value, json};

use super::fields::{Fields, LineError, bad_request, instant};
use super::wire::{self, Planned, Tenant};
use crate::registry_files::read::pieces_digested;
use crate::registry_files::{self as registry, RegistryError};

fn source(fields: &Fields<'_>) -> Result<RegistrySource, LineError> {
    Ok(RegistrySource::parse(fields.required_text("source")?)?)
}

/// A file's refusal as the line's error: the library's error when it is
/// one (it names the line), else `bad_request` naming the file.
fn file_error(error: RegistryError) -> LineError {
    match error {
        RegistryError::Refused { file, error } => match error {
            DncError::InvalidRegistry {
                line,
                value,
                reason,
            } => LineError::Engine(DncError::InvalidRegistry {
                line,
                value: format!("{file}: {value}"),
                reason,
            }),
            other => LineError::Engine(other),
        },
        other => bad_request(other.to_string()),
    }
}

/// A digit string or a number, as a 10-digit number.
fn number_of(value: &Value, what: &str) -> Result<u64, LineError> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        other => {
            return Err(bad_request(format!(
                "{what} must be a string or a number, not {other}"
            )));
        }
    };
    let parsed = if text.len() == 10 && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    };
    parsed.ok_or(LineError::Engine(DncError::InvalidRegistry {
        line: None,
        value: text,
        reason: "expected ten digits",
    }))
}

/// `areaCodes`: absent, `"ALL"` (every area code `source` may cover), or an
/// array of area codes.
fn area_codes(
    fields: &Fields<'_>,
    source: RegistrySource,
) -> Result<Option<Vec<AreaCode>>, LineError> {
    match fields.raw("areaCodes") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.eq_ignore_ascii_case("ALL") => Ok(Some(
            registry::parse_area_codes("ALL", source)
                .map_err(|error| bad_request(error.to_string()))?,
        )),
        Some(Value::Array(items)) => {
            let mut codes = Vec::with_capacity(items.len());
            for item in items {
                let text = match item {
                    Value::String(text) => text.clone(),
                    Value::Number(number) => number.to_string(),
                    other => {
                        return Err(bad_request(format!(
                            "an area code must be a string or a number, not {other}"
                        )));
                    }
                };
                codes.push(AreaCode::parse(&text)?);
            }
            Ok(Some(codes))
        }
        Some(other) => Err(bad_request(format!(
            "field \"areaCodes\" must be \"ALL\" or an array, not {other}"
        ))),
    }
}

/// Exactly one of `field` and `file`.
fn one_of<'a>(
    fields: &Fields<'a>,
    field: &str,
) -> Result<Result<&'a Vec<Value>, &'a str>, LineError> {
    match (fields.raw(field), fields.text("file")?) {
        (Some(Value::Array(items)), None) => Ok(Ok(items)),
        (None | Some(Value::Null), Some(file)) => Ok(Err(file)),
        (Some(Value::Array(_)), Some(_)) => {
            Err(bad_request(format!("give {field:?} or \"file\", not both")))
        }
        (None | Some(Value::Null), None) => Err(bad_request(format!(
            "field {field:?} or \"file\" is required"
        ))),
        (Some(other), _) => Err(bad_request(format!(
            "field {field:?} must be an array, not {other}"
        ))),
    }
}

/// `registry_load`: a full list, inline (`numbers`) or from a `file`.
pub(super) fn load(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Planned, LineError> {
    let given = one_of(fields, "numbers")?;
    let source = source(fields)?;
    let obtained = instant(fields, "obtained")?;
    let covered = area_codes(fields, source)?;
    // The role first: a principal learns nothing of a file it may not load.
    engine.may_change_registries()?;
    // A file's answer says which bytes it gave (`"read"`), for the record.
    let answer = |read: Option<Value>| {
        move |effect| match effect {
            Effect::RegistryLoaded(numbers) => {
                let mut answer = json!({"ok": true, "numbers": numbers});
                if let Some(read) = read {
                    answer["read"] = read;
                }
                Ok(answer)
            }
            other => Err(wire::unexpected(&other)),
        }
    };
    match given {
        Ok(items) => {
            let mut numbers = items
                .iter()
                .map(|item| number_of(item, "a number"))
                .collect::<Result<Vec<u64>, _>>()?;
            if numbers.is_empty() {
                return Err(LineError::Engine(DncError::InvalidRegistry {
                    line: None,
                    value: "[]".to_owned(),
                    reason: "a full list without a number: it would empty the area codes it covers",
                }));
            }
            numbers.sort_unstable();
            numbers.dedup();
            let mutation = Mutation::RegistryLoad {
                source,
                covered,
                numbers,
                obtained,
            };
            Planned::change(mutation, answer(None))
        }
        Err(file) => {
            let mut lists = registry::read_full_lists(&[PathBuf::from(file)], &mut |_| {})
                .map_err(file_error)?;
            let read = reads(&lists.read);
            let mutation = Mutation::RegistryLoadList {
                source,
                covered,
                list: Bytes::Inline(std::mem::take(&mut lists.text)),
                obtained,
            };
            Planned::change_or(mutation, answer(Some(read)), move |error| {
                file_error(lists.refused(error))
            })
        }
    }
}

/// `registry_changes`: a change list, inline (`changes`, objects with
/// `number` and `mark`) or from a `file` in the default layout.
pub(super) fn changes(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Planned, LineError> {
    let given = one_of(fields, "changes")?;
    let source = source(fields)?;
    let obtained = instant(fields, "obtained")?;
    engine.may_change_registries()?;
    let mut read = None;
    let records = match given {
        Ok(items) => {
            let mut records = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                let Value::Object(object) = item else {
                    return Err(bad_request(format!(
                        "change {} must be an object, not {item}",
                        index + 1
                    )));
                };
                let record = Fields(object);
                let number = record.raw("number").ok_or_else(|| {
                    bad_request(format!(
                        "change {}: field \"number\" is required",
                        index + 1
                    ))
                })?;
                let mark = match record.required_text("mark")? {
                    mark if mark.eq_ignore_ascii_case("A") => ChangeMark::Add,
                    mark if mark.eq_ignore_ascii_case("D") => ChangeMark::Delete,
                    other => {
                        return Err(LineError::Engine(DncError::InvalidRegistry {
                            line: None,
                            value: other.to_owned(),
                            reason: "expected the mark A (added) or D (deleted)",
                        }));
                    }
                };
                records.push(Change {
                    number: number_of(number, "a change's number")?,
                    mark,
                });
            }
            records
        }
        Err(file) => {
            let mut records = Vec::new();
            let (pieces, file_read) =
                pieces_digested(Path::new(file)).map_err(|error| bad_request(error.to_string()))?;
            read = Some(reads(std::slice::from_ref(&file_read)));
            for piece in pieces {
                records.extend(
                    parse_change_list(&piece.bytes, ChangeLayout::default()).map_err(|error| {
                        file_error(RegistryError::Refused {
                            file: piece.name.clone(),
                            error,
                        })
                    })?,
                );
            }
            records
        }
    };
    if records.is_empty() {
        return Err(LineError::Engine(registry::empty_change_list(0)));
    }
    let mutation = Mutation::RegistryChanges {
        source,
        changes: records,
        obtained,
    };
    Planned::change(mutation, move |effect| match effect {
        Effect::RegistryChanged(outcome) => {
            let mut answer = json!({
                "ok": true,
                "added": outcome.added,
                "deleted": outcome.deleted,
                "unchanged": outcome.unchanged,
            });
            if let Some(read) = read {
                answer["read"] = read;
            }
            Ok(answer)
        }
        other => Err(wire::unexpected(&other)),
    })
}

/// The `"read"` of an answer: what each file given was (path, bytes,
/// SHA-256), so that a record can name the bytes a change came from.
fn reads(files: &[crate::registry_files::read::FileRead]) -> Value {
    Value::Array(files.iter().map(|file| file.to_json()).collect())
}

/// `registry_open`: a built copy (`dnc registry build`) in place of the
/// engine's copy of its source.
pub(super) fn open(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Planned, LineError> {
    let file = fields.required_text("file")?;
    engine.may_change_registries()?;
    let (bytes, file_read) = registry::read_copy_digested(Path::new(file)).map_err(file_error)?;
    let read = reads(std::slice::from_ref(&file_read));
    let file = file.to_owned();
    Planned::change_or(
        Mutation::RegistryPut {
            copy: Bytes::Inline(bytes),
        },
        move |effect| match effect {
            Effect::RegistryPut { source, numbers } => Ok(json!({
                "ok": true,
                "source": source.to_string(),
                "numbers": numbers,
                "read": read,
            })),
            other => Err(wire::unexpected(&other)),
        },
        move |error| file_error(registry::refused(&file, error)),
    )
}

/// `registry_info`: the engine's copy of a source, as `dnc registry info`
/// describes a file; `"loaded":false` without one.
pub(super) fn info(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let source = source(fields)?;
    Ok(match engine.registry(source)? {
        None => json!({"source": source.to_string(), "loaded": false}),
        Some(copy) => {
            let mut value = registry::info_value(copy, None);
            value["loaded"] = json!(true);
            value
        }
    })
}

/// `registry_subscribe`: a client's subscription (all area codes, or
/// `areaCodes`).
pub(super) fn subscribe(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let client = fields.required_id("client")?;
    let source = source(fields)?;
    let codes = area_codes(fields, source)?;
    let client = client.client()?;
    let subscription = match codes {
        None => Subscription::all(source),
        Some(codes) => Subscription::only(source, codes),
    };
    Planned::ok(Mutation::Subscribe {
        client,
        subscription,
    })
}

/// `registry_unsubscribe`.
pub(super) fn unsubscribe(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let client = fields.required_id("client")?;
    let source = source(fields)?;
    let mutation = Mutation::Unsubscribe {
        client: client.client()?,
        source,
    };
    Planned::change(mutation, |effect| changed(effect, "removed"))
}

/// `{"ok":true,"<name>":B}` of whether the change found something to do.
fn changed(effect: Effect, name: &str) -> Result<Value, LineError> {
    match effect {
        Effect::Changed(changed) => Ok(json!({"ok": true, name: changed})),
        other => Err(wire::unexpected(&other)),
    }
}

/// The exemption's subject: exactly one of `phone` and `account`.
fn subject(fields: &Fields<'_>) -> Result<ExemptionSubject, LineError> {
    match (fields.text("phone")?, fields.text("account")?) {
        (Some(phone), None) => Ok(ExemptionSubject::Phone(Phone::parse(phone)?)),
        (None, Some(account)) => Ok(ExemptionSubject::Account(Account::parse(account)?)),
        (Some(_), Some(_)) => Err(bad_request("give \"phone\" or \"account\", not both")),
        (None, None) => Err(bad_request("field \"phone\" or \"account\" is required")),
    }
}

/// `exemption_add`.
pub(super) fn exemption_add(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let client = fields.required_id("client")?;
    let kind = fields.required_text("kind")?;
    let since = instant(fields, "since")?;
    let until = match fields.raw("until") {
        None | Some(Value::Null) => None,
        Some(_) => Some(instant(fields, "until")?),
    };
    let subject = subject(fields)?;
    let exemption = Exemption {
        kind: ExemptionKind::parse(kind)?,
        since,
        until,
    };
    let mutation = Mutation::ExemptionAdd {
        client: client.client()?,
        subject,
        exemption,
    };
    Planned::change(mutation, |effect| changed(effect, "kept"))
}

/// `exemption_remove`.
pub(super) fn exemption_remove(fields: &Fields<'_>) -> Result<Planned, LineError> {
    let client = fields.required_id("client")?;
    let kind = fields.required_text("kind")?;
    let subject = subject(fields)?;
    let mutation = Mutation::ExemptionRemove {
        client: client.client()?,
        subject,
        kind: ExemptionKind::parse(kind)?,
    };
    Planned::change(mutation, |effect| changed(effect, "removed"))
}

/// `registry_check`: what the subscribed registries say of a contact.
pub(super) fn check(engine: &Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let service = fields.required_id("service")?;
    let phone = fields.required_text("phone")?;
    let at = instant(fields, "at")?;
    let account = fields.text("account")?;
    let zip = fields.text("zip")?;
    let service = service.service()?;
    let phone = Phone::parse(phone)?;
    let account = account.map(Account::parse).transpose()?;
    let zip = zip.map(Zip::parse).transpose()?;
    wire::claimed_client(engine, fields, service)?;
    let verdict = engine.registry_check(service, phone, account.as_ref(), zip, at)?;
    Ok(json!({"refused": verdict.refuses(), "checks": wire::registry_checks(&verdict)}))
}
