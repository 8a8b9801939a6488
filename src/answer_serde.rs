//! The answers as serde values (the `serde` feature), so an audit log
//! records every verdict with its reasons without mapping them by hand.
//!
//! Each answer is written as a struct of plain fields: ids as integers,
//! places, zones, windows and local times as their display text, instants
//! as jiff writes them (RFC 3339), and every reason both as data and as the
//! sentence [`Display`](std::fmt::Display) gives. Answers are written, not
//! read back: a verdict is recomputed, never restored.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::dialing::decision::{DialDecision, DialReason};
use crate::dialing::hours::{HoursAnswer, HoursRule, PlaceAnswer};
use crate::error::DncError;
use crate::geo::zip_area::ZipAreaMatch;
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

/// `{kind, id, flag, place, zip_match, text}`: the kind
/// (`ENTRY`, `DIALTIME_ENTRY`, `SMS_ENTRY`, `FLAG`, `HOURS`,
/// `ZIP_AREA_MISMATCH`), the field that kind fills (the others null), and
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
        };
        let mut out = serializer.serialize_struct("DialReason", 6)?;
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
        out.serialize_field("text", &self.to_string())?;
        out.end()
    }
}

/// `{allowed, may_leave_message, next_allowed, reasons, text, dnc, sms,
/// hours, zip_match, profile}`.
impl Serialize for DialDecision {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("DialDecision", 10)?;
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
        out.end()
    }
}
