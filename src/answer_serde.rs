//! The answers as serde values (the `serde` feature), so an audit log
//! records every verdict with its reasons without mapping them by hand.
//!
//! Each answer is written as a struct of plain fields: ids as integers,
//! places, zones, windows and local times as their display text, instants
//! as jiff writes them (RFC 3339), and every reason both as data and as the
//! sentence [`Display`](std::fmt::Display) gives. Answers are written, not
//! read back: a verdict is recomputed, never restored.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::attempts::{CapRefusal, CapRule};
use crate::dialing::decision::{DialDecision, DialReason};
use crate::dialing::hours::{HoursAnswer, HoursRule, PlaceAnswer};
use crate::error::DncError;
use crate::geo::StateCode;
use crate::geo::zip_area::ZipAreaMatch;
use crate::law::{LawRefusal, LawRefusalAt};
use crate::registry::exemption::{ExemptionSubject, ExemptionUsed};
use crate::registry::verdict::{RegistryCheck, RegistryStatus};
use crate::values::flags::AccountFlags;
use crate::values::ids::EntryId;
use crate::verdict::{CheckRule, Verdict};

/// Entry ids as plain integers.
struct Ids<'a>(&'a [EntryId]);

impl Serialize for Ids<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|id| id.get()))
    }
}

/// Account flags as `DO_NOT_DIAL` / `DO_NOT_DIAL_DAILY`.
struct Flags(AccountFlags);

impl Serialize for Flags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|flag| flag.as_str()))
    }
}

fn rule_name(rule: CheckRule) -> &'static str {
    match rule {
        CheckRule::IsBlocked => "IS_BLOCKED",
        CheckRule::DialCheck => "DIAL_CHECK",
        CheckRule::Channel(channel) => channel.name(),
    }
}

/// `{blocked, rule, entries, dialtime_entries, account_flags}`.
impl Serialize for Verdict {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Verdict", 5)?;
        out.serialize_field("blocked", &self.is_blocked())?;
        out.serialize_field("rule", rule_name(self.rule()))?;
        out.serialize_field("entries", &Ids(self.entries()))?;
        out.serialize_field("dialtime_entries", &Ids(self.dialtime_entries()))?;
        out.serialize_field("account_flags", &Flags(self.flags()))?;
        out.end()
    }
}

/// `{code, message}`: the replay protocol's code and the full sentence.
impl Serialize for DncError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("DncError", 2)?;
        out.serialize_field("code", self.code())?;
        out.serialize_field("message", &self.to_string())?;
        out.end()
    }
}

/// `{matched, reason}`.
impl Serialize for ZipAreaMatch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("ZipAreaMatch", 2)?;
        out.serialize_field("matched", &self.matched)?;
        out.serialize_field("reason", &self.to_string())?;
        out.end()
    }
}

/// `{area_code, state, country, zone, local_time, policy, may_dial,
/// do_not_dial, window, may_leave_message}`.
impl Serialize for PlaceAnswer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let place = &self.place;
        let mut out = serializer.serialize_struct("PlaceAnswer", 10)?;
        out.serialize_field("area_code", &place.area_code.map(|code| code.get()))?;
        out.serialize_field("state", &place.state.map(|state| state.as_str()))?;
        out.serialize_field("country", place.country.as_str())?;
        out.serialize_field("zone", place.zone.name())?;
        out.serialize_field("local_time", &self.local.to_string())?;
        let policy = match self.rule {
            HoursRule::Standard => None,
            HoursRule::Policy(id) => Some(id.get()),
        };
        out.serialize_field("policy", &policy)?;
        out.serialize_field("may_dial", &self.may_dial)?;
        out.serialize_field("do_not_dial", &self.do_not_dial)?;
        out.serialize_field("window", &self.window.to_string())?;
        out.serialize_field("may_leave_message", &self.may_leave_message)?;
        out.end()
    }
}

/// `{may_dial, may_leave_message, next_allowed, places}`.
impl Serialize for HoursAnswer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("HoursAnswer", 4)?;
        out.serialize_field("may_dial", &self.may_dial())?;
        out.serialize_field("may_leave_message", &self.may_leave_message())?;
        out.serialize_field("next_allowed", &self.next_allowed)?;
        out.serialize_field("places", &self.places.as_slice())?;
        out.end()
    }
}

/// `{kind, id, flag, place, zip_match, registry, text}`: the kind
/// (`ENTRY`, `DIALTIME_ENTRY`, `SMS_ENTRY`, `FLAG`, `HOURS`,
/// `ZIP_AREA_MISMATCH`, `REGISTRY`), the field that kind fills (the others
/// null; `registry` for `REGISTRY`), and
/// the reason as a sentence.
impl Serialize for DialReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (kind, id) = match self {
            DialReason::Entry(id) => ("ENTRY", Some(id.get())),
            DialReason::DialtimeEntry(id) => ("DIALTIME_ENTRY", Some(id.get())),
            DialReason::SmsEntry(id) => ("SMS_ENTRY", Some(id.get())),
            DialReason::Flag(_) => ("FLAG", None),
            DialReason::Hours(_) => ("HOURS", None),
            DialReason::ZipAreaMismatch(_) => ("ZIP_AREA_MISMATCH", None),
            DialReason::Registry { .. } => ("REGISTRY", None),
            DialReason::Law(_) => ("LAW", None),
            DialReason::Cap(_) => ("CAP", None),
        };
        let mut out = serializer.serialize_struct("DialReason", 9)?;
        out.serialize_field("kind", kind)?;
        out.serialize_field("id", &id)?;
        let flag = match self {
            DialReason::Flag(flag) => Some(flag.as_str()),
            _ => None,
        };
        out.serialize_field("flag", &flag)?;
        let place = match self {
            DialReason::Hours(place) => Some(place),
            _ => None,
        };
        out.serialize_field("place", &place)?;
        let zip_match = match self {
            DialReason::ZipAreaMismatch(answer) => Some(answer),
            _ => None,
        };
        out.serialize_field("zip_match", &zip_match)?;
        let registry = match self {
            DialReason::Registry {
                source,
                area_code,
                status,
            } => Some(RegistryCheck {
                source: *source,
                area_code: *area_code,
                status: *status,
                exemption: None,
            }),
            _ => None,
        };
        out.serialize_field("registry", &registry)?;
        let law = match self {
            DialReason::Law(refusal) => Some(refusal),
            _ => None,
        };
        out.serialize_field("law", &law)?;
        let cap = match self {
            DialReason::Cap(refusal) => Some(refusal),
            _ => None,
        };
        out.serialize_field("cap", &cap)?;
        out.serialize_field("text", &self.to_string())?;
        out.end()
    }
}

/// `{law, citation, source, state, zone, local, refusal, window, holiday,
/// holiday_date, note}`: `law` is the row's code (`US`, `CA`, a state's),
/// `refusal` one of `HOURS`, `DAY`, `HOLIDAY`.
impl Serialize for LawRefusalAt {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("LawRefusalAt", 11)?;
        out.serialize_field("law", self.law.code)?;
        out.serialize_field("citation", self.law.citation)?;
        out.serialize_field("source", self.law.source)?;
        out.serialize_field("state", &self.place.state.map(StateCode::as_str))?;
        out.serialize_field("zone", self.place.zone.name())?;
        out.serialize_field("local", &self.local)?;
        let (refusal, window, holiday, date) = match self.refusal {
            LawRefusal::Hours { window } => ("HOURS", Some(window.to_string()), None, None),
            LawRefusal::Day => ("DAY", None, None, None),
            LawRefusal::Holiday { holiday, date } => {
                ("HOLIDAY", None, Some(holiday.name), Some(date))
            }
        };
        out.serialize_field("refusal", refusal)?;
        out.serialize_field("window", &window)?;
        out.serialize_field("holiday", &holiday)?;
        out.serialize_field("holiday_date", &date)?;
        out.serialize_field("note", &self.law.note)?;
        out.end()
    }
}

/// `{source, area_code, status, obtained, listed, exemption, refuses,
/// text}`: `status` is [`RegistryStatus::code`], `obtained` the copy's
/// instant (null when none was used), `listed` whether the copy lists the
/// number (null when none was used).
impl Serialize for RegistryCheck {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("RegistryCheck", 8)?;
        out.serialize_field("source", &self.source.to_string())?;
        out.serialize_field("area_code", &self.area_code.get())?;
        out.serialize_field("status", self.status.code())?;
        out.serialize_field("obtained", &self.status.obtained())?;
        let listed = match self.status {
            RegistryStatus::Listed { .. } => Some(true),
            RegistryStatus::NotListed { .. } => Some(false),
            RegistryStatus::Stale { listed, .. } | RegistryStatus::AfterCheck { listed, .. } => {
                Some(listed)
            }
            RegistryStatus::NotCovered | RegistryStatus::NotSubscribed => None,
        };
        out.serialize_field("listed", &listed)?;
        out.serialize_field("exemption", &self.exemption)?;
        out.serialize_field("refuses", &self.refuses())?;
        out.serialize_field("text", &self.to_string())?;
        out.end()
    }
}

/// `{subject, phone, account, kind, since, until, lapses}`: `subject` is
/// `PHONE` or `ACCOUNT`, the field it names filled.
impl Serialize for ExemptionUsed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("ExemptionUsed", 7)?;
        let (subject, phone, account) = match &self.subject {
            ExemptionSubject::Phone(phone) => ("PHONE", Some(phone.to_string()), None),
            ExemptionSubject::Account(account) => ("ACCOUNT", None, Some(account.as_str())),
        };
        out.serialize_field("subject", subject)?;
        out.serialize_field("phone", &phone)?;
        out.serialize_field("account", &account)?;
        out.serialize_field("kind", self.exemption.kind.as_str())?;
        out.serialize_field("since", &self.exemption.since)?;
        out.serialize_field("until", &self.exemption.until)?;
        out.serialize_field("lapses", &self.lapses)?;
        out.end()
    }
}

/// `{allowed, may_leave_message, next_allowed, reasons, text, dnc, sms,
/// hours, zip_match, profile, registries, law, caps}`.
impl Serialize for DialDecision {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("DialDecision", 13)?;
        out.serialize_field("allowed", &self.allowed())?;
        out.serialize_field("may_leave_message", &self.may_leave_message())?;
        out.serialize_field("next_allowed", &self.next_allowed())?;
        let reasons: Vec<DialReason> = self.reasons().collect();
        out.serialize_field("reasons", &reasons)?;
        out.serialize_field("text", &self.to_string())?;
        out.serialize_field("dnc", &self.dnc)?;
        out.serialize_field("sms", &self.sms)?;
        out.serialize_field("hours", &self.hours)?;
        out.serialize_field("zip_match", &self.zip_match)?;
        out.serialize_field("profile", &self.profile.map(|id| id.get()))?;
        out.serialize_field("registries", &self.registries.checks.as_slice())?;
        out.serialize_field("law", &self.law.refusals.as_slice())?;
        out.serialize_field("caps", &self.caps.refusals.as_slice())?;
        out.end()
    }
}

/// `{rule, law, citation, source, attempt_rule, count, limit, window, debt,
/// conversation, locked_until, text}`: `rule` is `LAW` or `CLIENT`; `law`
/// the cap's code (`REG_F`, a state's) for a law's cap.
impl Serialize for CapRefusal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("CapRefusal", 12)?;
        let (rule, law, rule_id) = match self.rule {
            CapRule::Law(law) => ("LAW", Some(law), None),
            CapRule::Client(id) => ("CLIENT", None, Some(id.get())),
        };
        out.serialize_field("rule", rule)?;
        out.serialize_field("law", &law.map(|law| law.code))?;
        out.serialize_field("citation", &law.map(|law| law.citation))?;
        out.serialize_field("source", &law.map(|law| law.source))?;
        out.serialize_field("attempt_rule", &rule_id)?;
        out.serialize_field("count", &self.count)?;
        out.serialize_field("limit", &self.limit)?;
        out.serialize_field("window", &self.window.to_string())?;
        out.serialize_field("debt", &self.debt.as_ref().map(|debt| debt.as_str()))?;
        out.serialize_field("conversation", &self.conversation)?;
        out.serialize_field("locked_until", &self.locked_until)?;
        out.serialize_field("text", &self.to_string())?;
        out.end()
    }
}
