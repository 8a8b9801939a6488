//! The full decision of `dnc scrub --at`: each call row gets the engine's
//! dial decision at that instant (the DNC lists, the account flags, the
//! dialing profile's hours, the ZIP/area-code match, the registries and the
//! exemptions), its reasons and the registry copies it used.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use csv::ByteRecord;
use dnc_engine::attempts::CapRule;
use dnc_engine::jiff::Timestamp;
use dnc_engine::law::LawRefusal;
use dnc_engine::registry::RegistryStatus;
use dnc_engine::{DialDecision, DialReason, DialRequest, Engine, EntryId, Query, Verdict};

use super::calls::Call;

/// The columns `--at` adds; a call list may not have them already.
pub(crate) const ADDED: [&str; 6] = [
    "blocked",
    "entries",
    "accountFlags",
    "reasons",
    "registries",
    "error",
];

/// A row's decision: the engine's, and the dial check of the phone as
/// written when the NANP normalization changed it (either refuses the row).
pub(crate) struct Decided {
    decision: DialDecision,
    as_written: Option<Verdict>,
}

impl Decided {
    /// Whether the row may not be called.
    pub(crate) fn refused(&self) -> bool {
        !self.decision.allowed() || self.as_written.as_ref().is_some_and(Verdict::is_blocked)
    }
}

/// The decision for `call` at `at`, or the row's error code. A row needs a
/// phone (the decision is about dialing it); a `client` cell must be the
/// service's owner.
pub(crate) fn decide(engine: &Engine, call: &Call, at: Timestamp) -> Result<Decided, &'static str> {
    let phone = call.phone.ok_or("bad_request")?;
    let owner = engine.client_of(call.service).ok_or("unknown_service")?;
    if call.client.is_some_and(|client| client != owner) {
        return Err("service_client_mismatch");
    }
    let mut request = DialRequest::new(call.service, phone, at);
    if let Some(account) = &call.account {
        request = request.account(account);
    }
    if let Some(zip) = call.zip {
        request = request.zip(zip);
    }
    let decision = engine
        .dial_decision(&request)
        .map_err(|error| error.code())?;
    let as_written = match call.as_written {
        None => None,
        Some(written) => Some(
            engine
                .dial_check(&Query {
                    service: call.service,
                    client: call.client,
                    phone: Some(written),
                    account: call.account.as_ref(),
                    zip: call.zip,
                })
                .map_err(|error| error.code())?,
        ),
    };
    Ok(Decided {
        decision,
        as_written,
    })
}

/// Each kind of reason that refuses the row, once each, in name order (the
/// summary's and the report's categories).
pub(crate) fn refusing_kinds(decided: &Decided) -> Vec<String> {
    let mut kinds: Vec<String> = decided
        .decision
        .reasons()
        .map(|reason| match reason {
            DialReason::Entry(_) => "DNC entry".to_owned(),
            DialReason::DialtimeEntry(_) => "dialtime entry".to_owned(),
            DialReason::SmsEntry(_) => "SMS entry".to_owned(),
            DialReason::Flag(_) => "account flag".to_owned(),
            DialReason::Hours(_) => "dialing hours".to_owned(),
            DialReason::ZipAreaMismatch(_) => "ZIP/area-code mismatch".to_owned(),
            DialReason::Law(refusal) => {
                let what = match refusal.refusal {
                    LawRefusal::Hours { .. } => "hours",
                    LawRefusal::Day => "banned day",
                    LawRefusal::Holiday { .. } => "holiday",
                };
                format!("{} calling law: {what}", refusal.law.code)
            }
            DialReason::Cap(refusal) => match refusal.rule {
                CapRule::Law(law) => format!("{} contact cap", law.code),
                CapRule::Client(id) => format!("attempt rule {id}"),
            },
            DialReason::Registry { source, status, .. } => {
                let what = match status {
                    RegistryStatus::Listed { .. } => "listed",
                    RegistryStatus::Stale { .. } => "copy more than 31 days old",
                    RegistryStatus::AfterCheck { .. } => "copy obtained after --at",
                    RegistryStatus::NotCovered => "area code not covered by a copy",
                    RegistryStatus::NotSubscribed => "area code not subscribed",
                    RegistryStatus::NotListed { .. } => "not listed",
                };
                format!("{source} {what}")
            }
        })
        .collect();
    if decided.as_written.as_ref().is_some_and(Verdict::is_blocked) {
        kinds.push("DNC entry".to_owned());
    }
    kinds.sort();
    kinds.dedup();
    kinds
}

/// The categories a row counts under in the summary: each kind of reason
/// that refuses it (once a row), and for an allowed row each exemption that
/// lifted a registry.
pub(crate) fn count(decided: &Decided, by_reason: &mut BTreeMap<String, u64>) {
    let mut kinds = refusing_kinds(decided);
    // The rows an exemption let through: allowed, and only thanks to it.
    if !decided.refused() {
        for check in decided.decision.registries.exempted() {
            if let Some(used) = &check.exemption {
                let kind = used.exemption.kind.to_string();
                let article = if kind.starts_with(['A', 'E', 'I', 'O', 'U']) {
                    "an"
                } else {
                    "a"
                };
                kinds.push(format!(
                    "allowed by {article} {kind} exemption from {}",
                    check.source
                ));
            }
        }
    }
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        *by_reason.entry(kind).or_default() += 1;
    }
}

/// The decision in words: the `reasons` cell, written into `text` (the
/// scrub reuses one buffer for every row).
pub(crate) fn explain_into(decided: &Decided, text: &mut String) {
    text.clear();
    let _ = write!(text, "{}", decided.decision);
    if let Some(also) = decided.as_written.as_ref().filter(|also| also.is_blocked()) {
        text.push_str("; the phone as written: DNC entries ");
        for (i, id) in also.entries().iter().enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            let _ = write!(text, "{id}");
        }
    }
}

/// The decision in words, as a new string (for the report's sample).
pub(crate) fn explanation(decided: &Decided) -> String {
    let mut text = String::new();
    explain_into(decided, &mut text);
    text
}

/// The registry checks the decision made (the copies it used).
pub(crate) fn registry_checks(
    decided: &Decided,
) -> impl Iterator<Item = &dnc_engine::registry::RegistryCheck> {
    decided.decision.registries.checks.iter()
}

fn join(text: &mut String, items: impl Iterator<Item = impl std::fmt::Display>, separator: &str) {
    text.clear();
    for (i, item) in items.enumerate() {
        if i > 0 {
            text.push_str(separator);
        }
        // Writing to a String cannot fail.
        let _ = write!(text, "{item}");
    }
}

/// Appends the six cells of a decided row (or of its error code).
pub(crate) fn push_decision(
    record: &mut ByteRecord,
    answer: Result<&Decided, &str>,
    text: &mut String,
) {
    let decided = match answer {
        Ok(decided) => decided,
        Err(code) => {
            for _ in 0..5 {
                record.push_field(b"");
            }
            record.push_field(code.as_bytes());
            return;
        }
    };
    let decision = &decided.decision;
    record.push_field(if decided.refused() { b"true" } else { b"false" });
    let mut entries: Vec<EntryId> = decision
        .dnc
        .entries()
        .iter()
        .chain(decision.dnc.dialtime_entries())
        .chain(decided.as_written.iter().flat_map(|also| also.entries()))
        .copied()
        .collect();
    entries.sort_unstable();
    entries.dedup();
    join(text, entries.iter(), ";");
    record.push_field(text.as_bytes());
    join(
        text,
        decision.dnc.flags().iter().map(|flag| flag.as_str()),
        ";",
    );
    record.push_field(text.as_bytes());
    explain_into(decided, text);
    record.push_field(text.as_bytes());
    // The copies used, for the five-year record: source, area code, what
    // the copy says, its instant, and the exemption that lifted it.
    let checks = decision.registries.checks.iter().map(|check| {
        let mut cell = format!(
            "{} {} {}",
            check.source,
            check.area_code,
            check.status.code()
        );
        if let Some(obtained) = check.status.obtained() {
            let _ = write!(cell, " {obtained}");
        }
        if let Some(used) = &check.exemption {
            let _ = write!(cell, " exempt {}", used.exemption.kind);
            match used.lapses {
                Some(lapses) => {
                    let _ = write!(cell, " lapses {lapses}");
                }
                None => cell.push_str(" does not lapse"),
            }
        }
        cell
    });
    join(text, checks, "; ");
    record.push_field(text.as_bytes());
    record.push_field(b"");
}
