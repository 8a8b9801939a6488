//! The replay protocol of `dnc-engine`: the engine scripted through JSON
//! Lines. `dnc replay` runs it over standard input, `dnc sync` publishes its
//! changes, and the C and Python bindings answer any request line with it,
//! so every operation of the engine is reachable from each of them.
//!
//! Each non-blank input line is one request object with an `op`; each gets
//! exactly one output line, in order. A faulty line is answered with
//! `{"error":{"code":…,"message":…}}` and the replay goes on.
//!
//! This file reads a line, turns its `"as"` into the caller the library
//! confines it to, and sends it through the one op table (`dispatch`) to
//! the family that answers it: `legacy.rs` (the legacy DNC list, and
//! its list management through `"list":"dnc"`), `channels.rs` (client
//! settings, contact groups and the dialtime, sms and email lists),
//! `profiles.rs` (dialing profiles, the dialing hours, zip/area-code
//! matching and the dial decision), `registries.rs` (registry
//! copies, subscriptions, exemptions and the registry check), `attempts.rs`
//! (contact attempts and their caps), `access.rs` (roles). The families
//! never import each other; what they share is in `wire.rs`, `fields.rs`
//! and `shapes.rs`. [`registry_files`] reads the registries' files for the
//! registries ops and for `dnc registry`.

use std::io::{self, BufRead, BufReader, Read, Write};

use dnc_engine::{Applied, Caller, Change, DncError, Effect, Engine};
use serde_json::{Map, Value, json};

mod access;
mod attempts;
mod channels;
mod fields;
mod legacy;
mod profiles;
mod registries;
pub mod registry_files;
mod shapes;
mod wire;

use fields::{Fields, LineError, bad_request};
use wire::{Planned, Tenant};

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

    /// A session over `engine` (`dnc scrub --setup` applies its script to
    /// the engine the lists loaded).
    pub fn over(engine: Engine) -> ReplaySession {
        ReplaySession { engine }
    }

    /// The engine as the lines so far left it.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The engine, to change it directly between lines (the C and Python
    /// bindings' typed calls). Its position is the log's: a direct change is
    /// not a change of the session's log, and the next line's change
    /// continues from the same position.
    pub fn engine_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }

    /// The engine, once the lines are done.
    pub fn into_engine(self) -> Engine {
        self.engine
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
        match plan_text(&self.engine, line)? {
            Planned::Answer(answer) => Ok(answer),
            Planned::Change(change, render) => render(self.apply(&change)?),
        }
    }

    /// Applies `change` as the next change of the session's log: what a
    /// follower of a published replay does with it.
    fn apply(&mut self, change: &Change) -> Result<Result<Effect, DncError>, LineError> {
        let sequence = self.engine.position() + 1;
        match self.engine.apply(sequence, change) {
            Ok(Applied::Done(effect)) => Ok(Ok(effect)),
            Ok(Applied::Refused(error)) => Ok(Err(error)),
            Ok(Applied::AlreadyApplied { position }) => Err(LineError::Internal(format!(
                "change {sequence} was taken as applied at position {position}"
            ))),
            // The payloads of a replay's changes are inline.
            Err(error) => Err(LineError::Internal(error.to_string())),
        }
    }
}

/// A line read against an engine without changing it: what `dnc sync
/// publish` sends to the log, and what `dnc sync follow` answers.
pub enum Line {
    /// A blank line: no answer.
    Blank,
    /// A read, or a line refused before it became a change: its answer.
    Answer(String),
    /// A change to apply, and how its answer is written from what
    /// applying it did.
    Change(Change, LineAnswer),
}

impl std::fmt::Debug for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Line::Blank => f.write_str("Blank"),
            Line::Answer(answer) => f.debug_tuple("Answer").field(answer).finish(),
            Line::Change(change, answer) => {
                f.debug_tuple("Change").field(change).field(answer).finish()
            }
        }
    }
}

/// Writes a change line's answer from its outcome.
pub struct LineAnswer(wire::Render);

impl std::fmt::Debug for LineAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LineAnswer")
    }
}

impl LineAnswer {
    /// The answer line, from what applying the change did.
    pub fn write(self, outcome: Result<Effect, DncError>) -> String {
        render((self.0)(outcome))
    }
}

/// Reads `line` (without its line ending) against `engine`: the answer of
/// a read (or of a line refused as it is read), or the change it asks for.
pub fn plan_line(engine: &Engine, line: &[u8]) -> Line {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Line::Blank;
    }
    let planned = match std::str::from_utf8(line) {
        Ok(text) => plan_text(engine, text),
        Err(_) => Err(bad_request("the line is not UTF-8 text")),
    };
    match planned {
        Ok(Planned::Answer(answer)) => Line::Answer(render(Ok(answer))),
        Ok(Planned::Change(change, answer)) => Line::Change(change, LineAnswer(answer)),
        Err(error) => Line::Answer(render(Err(error))),
    }
}

/// The answer line of a change line that was not applied: `code` and
/// `message` in the protocol's error shape.
pub fn error_line(code: &str, message: &str) -> String {
    json!({"error": {"code": code, "message": message}}).to_string()
}

/// A line's request, read and planned against `engine` as its caller.
fn plan_text(engine: &Engine, line: &str) -> Result<Planned<Change>, LineError> {
    let request: Value =
        serde_json::from_str(line).map_err(|error| bad_request(format!("not JSON: {error}")))?;
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
    Ok(match dispatch(&engine.scoped(caller), op, &fields)? {
        Planned::Answer(answer) => Planned::Answer(answer),
        Planned::Change(mutation, render) => Planned::Change(
            Change {
                by: caller,
                mutation,
            },
            render,
        ),
    })
}

/// Writes the op table once: the `match` that routes every `(op, list)`,
/// and, from the same arms, the names the unknown-op message lists (in the
/// table's order, each once), so the two cannot drift apart.
macro_rules! op_table {
    ($op:expr, $list:expr; $( $name:literal, $on:pat => $handler:expr ),+ $(,)?) => {{
        const NAMES: &[&str] = &[$($name),+];
        match ($op, $list) {
            $( ($name, $on) => $handler, )+
            (other, _) => Err(unknown_op(other, NAMES)),
        }
    }};
}

/// The op table: which family's handler answers `op` (on `list`, for the
/// list ops).
fn dispatch(engine: &Tenant<'_>, op: &str, fields: &Fields<'_>) -> Result<Planned, LineError> {
    // The ops with a declared shape (the dialing ops) have every field's
    // JSON checked before any value is read, so that bad_request wins.
    shapes::check(op, fields)?;
    // `"list":"dnc"` sends a list op to the legacy list. Any other `list`
    // (absent, not a string, unknown) goes to the channel lists, which
    // refuse it.
    let list = match fields.text("list") {
        Ok(Some(list)) => Some(list),
        _ => None,
    };
    op_table! { op, list;
        "add_service", _ => legacy::add_service(fields),
        "add", _ => legacy::add(fields),
        "remove", _ => legacy::remove(fields),
        "account_flags", _ => legacy::account_flags(fields),
        "clear_daily", _ => legacy::clear_daily(fields),
        "is_blocked", _ => read(legacy::check(engine, fields, false)),
        "dial_check", _ => read(legacy::check(engine, fields, true)),
        "set_client", _ => channels::set_client(fields),
        "add_contact_group", _ => channels::add_contact_group(fields),
        "set_service_contact_group", _ => channels::set_service_contact_group(engine, fields),
        // The legacy list's create is `add`: the same fields, the same answer.
        "create", Some("dnc") => legacy::add(fields),
        "create", _ => channels::create(fields),
        "create_many", Some("dnc") => legacy::create_many(fields),
        "create_many", _ => channels::create_many(fields),
        "read", Some("dnc") => read(legacy::read(engine, fields)),
        "read", _ => read(channels::read(engine, fields)),
        "update", Some("dnc") => read(legacy::update()),
        "update", _ => channels::update(fields),
        "delete", Some("dnc") => legacy::delete(engine, fields),
        "delete", _ => channels::delete(fields),
        "list", Some("dnc") => read(legacy::page(engine, fields, false)),
        "list", _ => read(channels::page(engine, fields, false)),
        "find", Some("dnc") => read(legacy::page(engine, fields, true)),
        "find", _ => read(channels::page(engine, fields, true)),
        "info", Some("dnc") => read(legacy::info(engine, fields)),
        "info", _ => read(channels::info(engine, fields)),
        "check", _ => read(channels::check(engine, fields)),
        "is_legacy_dnc_enabled", _ => read(channels::is_legacy_dnc_enabled(engine, fields)),
        "profile_create", _ => profiles::profile_create(fields),
        "profile_read", _ => read(profiles::profile_read(engine, fields)),
        "profile_update", _ => profiles::profile_update(fields),
        "profile_delete", _ => profiles::profile_delete(fields),
        "profile_set_default", _ => profiles::profile_set_default(fields),
        "profile_list", _ => read(profiles::profile_list(engine, fields)),
        "profile_info", _ => read(profiles::profile_info(engine, fields)),
        "profile_add_service", _ => profiles::profile_service(fields, true),
        "profile_remove_service", _ => profiles::profile_service(fields, false),
        "policy_add", _ => profiles::policy_add(fields),
        "policy_update", _ => profiles::policy_update(engine, fields),
        "policy_remove", _ => profiles::policy_remove(fields),
        "dialing_hours", _ => read(profiles::dialing_hours(engine, fields)),
        "zip_area_match", _ => read(profiles::zip_area(engine, fields)),
        "dial", _ => read(profiles::dial(engine, fields)),
        "registry_load", _ => registries::load(engine, fields),
        "registry_changes", _ => registries::changes(engine, fields),
        "registry_open", _ => registries::open(engine, fields),
        "registry_info", _ => read(registries::info(engine, fields)),
        "registry_subscribe", _ => registries::subscribe(fields),
        "registry_unsubscribe", _ => registries::unsubscribe(fields),
        "exemption_add", _ => registries::exemption_add(fields),
        "exemption_remove", _ => registries::exemption_remove(fields),
        "registry_check", _ => read(registries::check(engine, fields)),
        "debt_collector", _ => attempts::collector(fields),
        "attempt", _ => attempts::attempt(engine, fields),
        "attempt_rule_add", _ => attempts::rule_add(fields),
        "attempt_rules", _ => read(attempts::rules(engine, fields)),
        "attempt_rule_remove", _ => attempts::rule_remove(fields),
        "attempts_trim", _ => attempts::trim(fields),
    }
}

/// A read's answer as the op table's arms give it.
fn read(answer: Result<Value, LineError>) -> Result<Planned, LineError> {
    answer.map(Planned::Answer)
}

/// The answer to an op the table does not know: every op it does, each
/// once (`names` are the table's arms, an op split by `list` twice in a row).
fn unknown_op(op: &str, names: &[&str]) -> LineError {
    let mut ops: Vec<&str> = names.to_vec();
    ops.dedup();
    bad_request(format!("unknown op {op:?}: expected {}", ops.join(", ")))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The error an op answers to a line with nothing but its name (and
    /// `list`), whatever it is.
    fn answer(op: &str, list: Option<&str>) -> String {
        let mut line = json!({"op": op});
        if let Some(list) = list {
            line["list"] = json!(list);
        }
        ReplaySession::new()
            .handle_line(&line.to_string())
            .expect("a line gets an answer")
    }

    /// The ops the unknown-op message names, read from a real answer.
    fn ops_of_the_message() -> Vec<String> {
        let answer: Value = serde_json::from_str(&answer("nope", None)).unwrap();
        let message = answer["error"]["message"].as_str().unwrap();
        let (_, names) = message.split_once("expected ").unwrap();
        names.split(", ").map(str::to_owned).collect()
    }

    #[test]
    fn every_op_of_the_message_is_routed() {
        for op in ops_of_the_message() {
            for list in [None, Some("dnc"), Some("sms")] {
                let answer = answer(&op, list);
                assert!(!answer.contains("unknown op"), "{op} {list:?}: {answer}");
            }
        }
    }

    #[test]
    fn the_unknown_op_message_lists_every_op_once_in_order() {
        assert_eq!(
            ops_of_the_message().join(", "),
            "add_service, add, remove, account_flags, \
             clear_daily, is_blocked, dial_check, set_client, add_contact_group, \
             set_service_contact_group, create, create_many, read, update, delete, list, \
             find, info, check, is_legacy_dnc_enabled, profile_create, profile_read, \
             profile_update, profile_delete, profile_set_default, profile_list, profile_info, \
             profile_add_service, profile_remove_service, policy_add, policy_update, \
             policy_remove, dialing_hours, zip_area_match, dial, registry_load, \
             registry_changes, registry_open, registry_info, registry_subscribe, \
             registry_unsubscribe, exemption_add, exemption_remove, registry_check, \
             debt_collector, attempt, attempt_rule_add, attempt_rules, attempt_rule_remove, \
             attempts_trim"
        );
        assert!(answer("nope", None).contains("unknown op \\\"nope\\\": expected add_service,"));
        assert_eq!(answer("nope", Some("dnc")), answer("nope", None));
    }

    /// The shapes are a second table keyed by op name: every dialing (and
    /// registries) op of
    /// the op table must have one, so that renaming an op in one table only
    /// cannot silently drop its JSON type check.
    #[test]
    fn every_dialing_op_has_a_declared_shape() {
        let dialing = |op: &str| {
            op.starts_with("profile_")
                || op.starts_with("policy_")
                || op.starts_with("registry_")
                || op.starts_with("exemption_")
                || op.starts_with("attempt")
                || ["dialing_hours", "zip_area_match", "dial", "debt_collector"].contains(&op)
        };
        let ops = ops_of_the_message();
        let dialing_ops: Vec<_> = ops.iter().filter(|op| dialing(op)).collect();
        assert_eq!(dialing_ops.len(), 30, "{dialing_ops:?}");
        for op in dialing_ops {
            assert!(super::shapes::has_shape(op), "{op} has no shape");
        }
    }

    #[test]
    fn the_legacy_list_ops_are_reached_through_list_dnc() {
        assert!(answer("update", Some("dnc")).contains("the legacy list has no update"));
        assert!(answer("update", Some("sms")).contains("field \\\"client\\\" is required"));
    }
}
