//! What the op families of the replay protocol share: the engine as a
//! line's caller may use it, a line's own `client` held against a service's
//! owner, a check's answer, and for the list management of both kinds of
//! list, reading pages, filters and bulk records, and writing pages and
//! bulk results; the registry checks' answer.

use dnc_engine::jiff::Timestamp;
use dnc_engine::registry::{ExemptionSubject, RegistryCheck, RegistryVerdict};
use dnc_engine::{DncError, Effect, Engine, Mutation, PageRequest, Scoped, ServiceId, Verdict};
use serde_json::{Map, Value, json};

use super::fields::{Fields, LineError, bad_request};

/// The engine as the line's caller may read it. A line that changes the
/// engine does not change it here: it plans a [`Mutation`], which the
/// session applies as the next change of its log (`Engine::apply`), the
/// way every follower of a published log applies it.
pub(crate) type Tenant<'e> = Scoped<&'e Engine>;

/// How a line's answer is written from what its change did, or from why
/// the engine refused it.
pub(crate) type Render = Box<dyn FnOnce(Result<Effect, DncError>) -> Result<Value, LineError>>;

/// What a line asks for: an answer read from the engine, or a change (a
/// [`Mutation`], then the whole `Change` with its caller) and how to
/// answer once it is applied.
pub(crate) enum Planned<C = Mutation> {
    /// A read's answer.
    Answer(Value),
    /// A change, and its answer's writer.
    Change(C, Render),
}

impl Planned {
    /// A change answered by `render`, and refused with the engine's error.
    pub(crate) fn change(
        mutation: Mutation,
        render: impl FnOnce(Effect) -> Result<Value, LineError> + 'static,
    ) -> Result<Planned, LineError> {
        Planned::change_or(mutation, render, LineError::Engine)
    }

    /// A change answered by `render`, and refused with `refused` of the
    /// engine's error (a file's refusal names the file).
    pub(crate) fn change_or(
        mutation: Mutation,
        render: impl FnOnce(Effect) -> Result<Value, LineError> + 'static,
        refused: impl FnOnce(DncError) -> LineError + 'static,
    ) -> Result<Planned, LineError> {
        Ok(Planned::Change(
            mutation,
            Box::new(move |outcome| match outcome {
                Ok(effect) => render(effect),
                Err(error) => Err(refused(error)),
            }),
        ))
    }

    /// A change answered `{"ok":true}`.
    pub(crate) fn ok(mutation: Mutation) -> Result<Planned, LineError> {
        Planned::change(mutation, |_| Ok(json!({"ok": true})))
    }
}

/// The answer to an effect the change's method never returns.
pub(crate) fn unexpected(effect: &Effect) -> LineError {
    LineError::Internal(format!(
        "the engine answered the change with {effect:?}, which its method never returns"
    ))
}

/// A line's own `client`, for an op whose data is the service's: given, it
/// must be the service's owner (as `is_blocked` requires of its `client`),
/// so a caller that names the wrong client is told rather than answered
/// from another client's lists. An unknown or invisible service is left to
/// the op, which refuses it as unknown.
pub(crate) fn claimed_client(
    engine: &Tenant<'_>,
    fields: &Fields<'_>,
    service: ServiceId,
) -> Result<(), LineError> {
    let Some(given) = fields.id("client")? else {
        return Ok(());
    };
    let given = given.client()?;
    match engine.client_of(service) {
        Some(owner) if owner != given => Err(LineError::Engine(DncError::ServiceClientMismatch {
            service,
            owner,
            given,
        })),
        _ => Ok(()),
    }
}

/// A check's answer: `{"result":B,"entries":[ids],"accountFlags":[...]}`.
pub(crate) fn verdict_answer(verdict: &Verdict) -> Value {
    let entries: Vec<u64> = verdict.entries().iter().map(|id| id.get()).collect();
    let flags: Vec<&str> = verdict.flags().iter().map(|flag| flag.as_str()).collect();
    json!({"result": verdict.is_blocked(), "entries": entries, "accountFlags": flags})
}

/// `offset` (default 0) and `count`, shapes only: the count's range is
/// checked by [`page_request`] once every shape of the line passed.
pub(crate) fn page_fields(fields: &Fields<'_>) -> Result<(u64, i64), LineError> {
    let offset = fields.integer("offset")?.unwrap_or(0);
    let count = fields
        .integer("count")?
        .ok_or_else(|| bad_request("field \"count\" is required"))?;
    let offset = u64::try_from(offset)
        .map_err(|_| bad_request(format!("field \"offset\" must be 0 or more, not {offset}")))?;
    Ok((offset, count))
}

/// The page a line asks for (`invalid_page` outside 1..=1000).
pub(crate) fn page_request(offset: u64, count: i64) -> Result<PageRequest, LineError> {
    Ok(
        PageRequest::new(offset, u64::try_from(count).unwrap_or(0)).map_err(|_| {
            DncError::InvalidPage {
                count: count.unsigned_abs(),
            }
        })?,
    )
}

/// A find's required `filter` object.
pub(crate) fn filter<'a>(fields: &Fields<'a>) -> Result<Fields<'a>, LineError> {
    match fields.raw("filter") {
        Some(Value::Object(object)) => Ok(Fields(object)),
        Some(other) => Err(bad_request(format!(
            "field \"filter\" must be an object, not {other}"
        ))),
        None => Err(bad_request("field \"filter\" is required")),
    }
}

/// Something at a 1-based position in a bulk create's records.
pub(crate) type AtPosition<T> = (usize, T);

/// The records of a bulk create that could be read, and the faults of
/// those that could not.
pub(crate) type BulkRecords<T> = (Vec<AtPosition<T>>, Vec<AtPosition<LineError>>);

/// A bulk create's records: each object read by `read`, or reported at its
/// 1-based position when it cannot be read.
pub(crate) fn bulk_records<T>(
    fields: &Fields<'_>,
    read: impl Fn(&Fields<'_>) -> Result<T, LineError>,
) -> Result<BulkRecords<T>, LineError> {
    let records = match fields.raw("dncEntries") {
        Some(Value::Array(records)) => records,
        Some(other) => {
            return Err(bad_request(format!(
                "field \"dncEntries\" must be an array, not {other}"
            )));
        }
        None => return Err(bad_request("field \"dncEntries\" is required")),
    };
    let (mut readable, mut unreadable) = (Vec::new(), Vec::new());
    for (index, record) in records.iter().enumerate() {
        let parsed = match record {
            Value::Object(object) => read(&Fields(object)),
            other => Err(bad_request(format!(
                "a record must be an object, not {other}"
            ))),
        };
        match parsed {
            Ok(record) => readable.push((index + 1, record)),
            Err(error) => unreadable.push((index + 1, error)),
        }
    }
    Ok((readable, unreadable))
}

/// A bulk create's answer: the applied ids and every refused record by
/// position, in input order.
pub(crate) fn bulk_answer(ids: &[u64], mut errors: Vec<(usize, LineError)>) -> Value {
    errors.sort_by_key(|(position, _)| *position);
    let errors: Vec<Value> = errors
        .iter()
        .map(|(position, error)| {
            json!({"record": position, "code": error.code(), "message": error.message()})
        })
        .collect();
    json!({"processedCount": ids.len(), "ids": ids, "errors": errors})
}

/// A page's answer: `dncEntries`, and `next` when more follow.
pub(crate) fn page_answer(entries: Vec<Value>, next: Option<u64>) -> Value {
    let mut answer = Map::new();
    answer.insert("dncEntries".to_owned(), Value::Array(entries));
    if let Some(next) = next {
        answer.insert("next".to_owned(), json!(next));
    }
    Value::Object(answer)
}

/// An info answer: `size`, and `lastModified` once a change carried `at`.
pub(crate) fn info_answer(size: usize, last_modified: Option<Timestamp>) -> Value {
    let mut answer = Map::new();
    answer.insert("size".to_owned(), json!(size));
    if let Some(at) = last_modified {
        answer.insert("lastModified".to_owned(), json!(at.as_millisecond()));
    }
    Value::Object(answer)
}

/// One registry check as the protocol writes it.
fn registry_check(check: &RegistryCheck) -> Value {
    let mut value = json!({
        "source": check.source.to_string(),
        "areaCode": check.area_code.get(),
        "status": check.status.code(),
        "obtained": check.status.obtained().map(|at| at.to_string()),
        "refuses": check.refuses(),
        "reason": check.to_string(),
    });
    if let Some(used) = &check.exemption {
        value["exemption"] = json!({
            "kind": used.exemption.kind.as_str(),
            "phone": match &used.subject {
                ExemptionSubject::Phone(phone) => Some(phone.to_string()),
                ExemptionSubject::Account(_) => None,
            },
            "account": match &used.subject {
                ExemptionSubject::Account(account) => Some(account.as_str()),
                ExemptionSubject::Phone(_) => None,
            },
            "since": used.exemption.since.to_string(),
            "lapses": used.lapses.map(|at| at.to_string()),
        });
    }
    value
}

/// A registry verdict's checks (the registry check's answer, and the dial
/// decision's `registries`).
pub(crate) fn registry_checks(verdict: &RegistryVerdict) -> Value {
    Value::Array(verdict.checks.iter().map(registry_check).collect())
}

/// The calling laws that refuse a contact, one object each: the law's
/// code, citation and source, where and when it read the time, what it
/// says (`HOURS` with its window, `DAY`, `HOLIDAY` with its name and own
/// date) and the reason's text.
pub(crate) fn law_refusals(law: &dnc_engine::law::LawAnswer) -> Value {
    use dnc_engine::law::LawRefusal;
    Value::Array(
        law.refusals
            .iter()
            .map(|refusal| {
                let mut value = serde_json::json!({
                    "law": refusal.law.code,
                    "citation": refusal.law.citation,
                    "source": refusal.law.source,
                    "state": refusal.place.state.map(|state| state.as_str()),
                    "zone": refusal.place.zone.name(),
                    "localTime": refusal.local.to_string(),
                    "text": refusal.to_string(),
                });
                match refusal.refusal {
                    LawRefusal::Hours { window } => {
                        value["refusal"] = "HOURS".into();
                        value["window"] = window.to_string().into();
                    }
                    LawRefusal::Day => value["refusal"] = "DAY".into(),
                    LawRefusal::Holiday { holiday, date } => {
                        value["refusal"] = "HOLIDAY".into();
                        value["holiday"] = holiday.name.into();
                        value["holidayDate"] = date.to_string().into();
                    }
                }
                value
            })
            .collect(),
    )
}
