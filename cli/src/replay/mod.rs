//! `dnc replay`: the engine scripted through JSON Lines (SPEC section 6).
//!
//! Each non-blank input line is one request object with an `op`; each gets
//! exactly one output line, in order. A faulty line is answered with
//! `{"error":{"code":…,"message":…}}` and the replay goes on.
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
//!
//! The channel-list ops of SPEC 11 (`set_client`, `add_contact_group`,
//! `set_service_contact_group`, `create`, `create_many`, `read`, `update`,
//! `delete`, `list`, `find`, `info`, `check`) are in `replay/channels.rs`;
//! the part-3 ops (dialing profiles, `dialing_hours`, `zip_area_match`,
//! `dial`) in `replay/profiles.rs`.

use std::io::{self, BufRead, BufReader, Read, Write};

use dnc_engine::{
    Account, Caller, DncError, DncKey, Engine, FlagUpdate, Lifetime, NewEntry, Phone, PhoneDncType,
    Query, Scoped, ServiceId, Verdict, Zip,
};
use serde_json::{Map, Value, json};

mod access;
mod channels;
mod fields;
mod legacy;
mod profiles;
mod shapes;
mod wire;

use fields::{Fields, LineError, bad_request};

/// A replay in progress: the engine the lines act on.
#[derive(Debug, Default)]
pub struct ReplaySession {
    engine: Engine,
}

/// What a whole replay did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReplayStats {
    /// Lines answered (blank lines are not).
    pub answered: u64,
    /// Lines answered with an error.
    pub errors: u64,
}

impl ReplaySession {
    /// A session over an empty engine.
    pub fn new() -> ReplaySession {
        ReplaySession::default()
    }

    /// The engine as the lines so far left it.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Answers one input line (without its line ending). Blank lines get no
    /// answer (`None`); bytes that are not UTF-8 are a `bad_request`.
    pub fn handle_bytes(&mut self, line: &[u8]) -> Option<String> {
        if line.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        let answer = match std::str::from_utf8(line) {
            Ok(text) => self.answer(text),
            Err(_) => Err(bad_request("the line is not UTF-8 text")),
        };
        Some(render(answer))
    }

    /// Answers one input line; `None` for a blank line.
    pub fn handle_line(&mut self, line: &str) -> Option<String> {
        self.handle_bytes(line.as_bytes())
    }

    fn answer(&mut self, line: &str) -> Result<Value, LineError> {
        let request: Value = serde_json::from_str(line)
            .map_err(|error| bad_request(format!("not JSON: {error}")))?;
        let Value::Object(request) = request else {
            return Err(bad_request("a request must be a JSON object"));
        };
        let op = match request.get("op") {
            Some(Value::String(op)) => op.as_str(),
            Some(other) => {
                return Err(bad_request(format!("\"op\" must be a string, not {other}")));
            }
            None => return Err(bad_request("field \"op\" is required")),
        };
        let fields = Fields(&request);
        let caller = match access::principal(&fields)? {
            Some(principal) => Caller::Principal(principal),
            None => Caller::Host,
        };
        // The library confines every op of a principal to its client
        // (`Scoped`); the line's own fields never decide whose data it is.
        let mut engine = self.engine.scoped_mut(caller);
        dispatch(&mut engine, op, &fields)
    }
}

/// The engine as the line's caller may use it.
pub(crate) type Tenant<'e> = Scoped<&'e mut Engine>;

fn dispatch(engine: &mut Tenant<'_>, op: &str, fields: &Fields<'_>) -> Result<Value, LineError> {
    match op {
        "add_service" => add_service(engine, fields),
        "add" => add(engine, fields),
        "remove" => remove(engine, fields),
        "account_flags" => account_flags(engine, fields),
        "clear_daily" => clear_daily(engine, fields),
        "is_blocked" => check(engine, fields, false),
        "dial_check" => check(engine, fields, true),
        other => channels::answer(engine, other, fields)
            .or_else(|| profiles::answer(engine, other, fields))
            .unwrap_or_else(|| {
                Err(bad_request(format!(
                    "unknown op {other:?}: expected add_service, add, remove, account_flags, \
                     clear_daily, is_blocked, dial_check, set_client, add_contact_group, \
                     set_service_contact_group, create, create_many, read, update, delete, \
                     list, find, info, check, is_legacy_dnc_enabled, {}",
                    profiles::OPS.join(", ")
                )))
            }),
    }
}

fn add_service(engine: &mut Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let client = fields.required_id("client")?;
    let service = fields.required_id("service")?;
    engine.register_service(client.client()?, service.service()?)?;
    Ok(json!({"ok": true}))
}

fn add(engine: &mut Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let at = fields.integer("at")?;
    let new = new_entry(fields)?;
    let id = engine.add_at(new, at)?;
    Ok(json!({"ok": true, "id": id.get()}))
}

fn remove(engine: &mut Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let id = fields.required_id("id")?;
    let at = fields.integer("at")?;
    engine.remove_at(id.entry()?, at)?;
    Ok(json!({"ok": true}))
}

fn account_flags(engine: &mut Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let client = fields.required_id("client")?;
    let account = fields.required_text("account")?;
    let update = FlagUpdate {
        do_not_dial: fields.flag("doNotDial")?,
        do_not_dial_daily: fields.flag("doNotDialDaily")?,
    };
    let (client, account) = (client.client()?, Account::parse(account)?);
    engine.set_account_flags(client, &account, update)?;
    Ok(json!({"ok": true}))
}

fn clear_daily(engine: &mut Tenant<'_>, fields: &Fields<'_>) -> Result<Value, LineError> {
    let client = fields.id("client")?;
    let client = client.map(|client| client.client()).transpose()?;
    let removed = engine.clear_daily(client)?;
    Ok(json!({"ok": true, "removed": removed}))
}

fn check(engine: &mut Tenant<'_>, fields: &Fields<'_>, dial: bool) -> Result<Value, LineError> {
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
    // ids are its own: they get their own field (SPEC 6's shape is kept
    // for LEGACY clients).
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

/// A line's own `client`, for an op whose data is the service's: given, it
/// must be the service's owner (as SPEC 2 asks of `is_blocked`), so a
/// caller that names the wrong client is told rather than answered from
/// another client's lists. An unknown or invisible service is left to the
/// op, which refuses it as unknown.
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

/// A legacy entry from the fields of an `add` line (or a legacy bulk
/// record): shapes first, then values.
pub(crate) fn new_entry(fields: &Fields<'_>) -> Result<NewEntry, LineError> {
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

fn render(answer: Result<Value, LineError>) -> String {
    let value = match answer {
        Ok(value) => value,
        Err(error) => {
            let mut detail = Map::new();
            detail.insert("code".to_owned(), Value::from(error.code()));
            detail.insert("message".to_owned(), Value::from(error.message()));
            json!({"error": detail})
        }
    };
    value.to_string()
}

/// Replays every line of `input`, writing one answer line per non-blank line
/// to `output`. Reads one line at a time, so memory stays bounded by the
/// longest line whatever the script's length. Output is buffered, and flushed
/// whenever no more input is already waiting, so a program that writes one
/// request and waits for its answer is answered at once.
pub fn run(input: impl Read, output: impl Write) -> io::Result<ReplayStats> {
    let mut input = BufReader::with_capacity(64 * 1024, input);
    let mut output = io::BufWriter::with_capacity(64 * 1024, output);
    let mut session = ReplaySession::new();
    let mut stats = ReplayStats::default();
    let mut line = Vec::new();
    loop {
        // Nothing waiting: the next read may block, so answers go out first.
        if input.buffer().is_empty() {
            output.flush()?;
        }
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if let Some(answer) = session.handle_bytes(text) {
            stats.answered += 1;
            if answer.starts_with("{\"error\"") {
                stats.errors += 1;
            }
            output.write_all(answer.as_bytes())?;
            output.write_all(b"\n")?;
        }
    }
    output.flush()?;
    Ok(stats)
}
