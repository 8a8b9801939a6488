//! The dial decision: "may I contact this number now?", with every rule
//! the engine knows (DNC lists and flags, the SMS list, hours, the
//! zip/area-code match, registries, calling laws, contact caps). The
//! typed answer says which kinds of rule refused; the explanation names
//! each one.

use dnc_engine::jiff::Timestamp;
use dnc_engine::{Account, DialChannel, DialDecision, DialReason, DialRequest, ZipAreaMatchType};

use crate::check::DncVerdict;
use crate::handle::DncEngine;
use crate::input::{DncBytes, DncStr, Out, parts, required, service};
use crate::status::{DncStatus, Failure, fail, guard};

/// `DncDialRequest.channel`: a voice call.
pub const DNC_CHANNEL_VOICE: u32 = 0;
/// `DncDialRequest.channel`: a text message.
pub const DNC_CHANNEL_SMS: u32 = 1;
/// `DncDialRequest.zip_match`: the area code serves the ZIP (the default).
pub const DNC_ZIP_MATCH_DIAL_TIME: u32 = 0;
/// `DncDialRequest.zip_match`: as `DIAL_TIME`, or the same time zone.
pub const DNC_ZIP_MATCH_DIAL_TIME_OPTIMIZED: u32 = 1;

/// `DncDialDecision.reasons`: a legacy DNC entry.
pub const DNC_REASON_ENTRY: u32 = 1;
/// `DncDialDecision.reasons`: a dialtime-list entry of a `DIAL_TIME` client.
pub const DNC_REASON_DIALTIME_ENTRY: u32 = 1 << 1;
/// `DncDialDecision.reasons`: an SMS-list entry (a text).
pub const DNC_REASON_SMS_ENTRY: u32 = 1 << 2;
/// `DncDialDecision.reasons`: an account's Do Not Dial flag.
pub const DNC_REASON_ACCOUNT_FLAG: u32 = 1 << 3;
/// `DncDialDecision.reasons`: the dialing hours at a place the callee may be.
pub const DNC_REASON_HOURS: u32 = 1 << 4;
/// `DncDialDecision.reasons`: the ZIP does not match the area code and its
/// place's hours refuse.
pub const DNC_REASON_ZIP_AREA_MISMATCH: u32 = 1 << 5;
/// `DncDialDecision.reasons`: a calling law (hours, a banned day, a holiday).
pub const DNC_REASON_LAW: u32 = 1 << 6;
/// `DncDialDecision.reasons`: a contact-frequency cap.
pub const DNC_REASON_CAP: u32 = 1 << 7;
/// `DncDialDecision.reasons`: a registry the client subscribes to.
pub const DNC_REASON_REGISTRY: u32 = 1 << 8;

/// A dial decision's request. The phone (10 NANP digits) and the instant
/// (`at_millis`, epoch milliseconds: the engine never reads a clock) are
/// required; account and zip are `{NULL, 0}` when not given. The person,
/// the debts and a consent (the caps' and Regulation F's inputs) are asked
/// through the replay line `dial_decision`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct DncDialRequest {
    /// The service making the contact.
    pub service: u64,
    /// The number to contact.
    pub phone: DncStr,
    /// The account, whose entries and flags apply.
    pub account: DncStr,
    /// The callee's ZIP.
    pub zip: DncStr,
    /// `DNC_CHANNEL_VOICE` or `DNC_CHANNEL_SMS`.
    pub channel: u32,
    /// `DNC_ZIP_MATCH_DIAL_TIME` or `DNC_ZIP_MATCH_DIAL_TIME_OPTIMIZED`.
    pub zip_match: u32,
    /// The instant of the contact, epoch milliseconds.
    pub at_millis: i64,
}

/// A dial decision. `status` is `DNC_STATUS_OK` when it was decided;
/// otherwise the other fields are 0 and `dnc_last_error` says why.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DncDialDecision {
    /// Whether the decision was made.
    pub status: DncStatus,
    /// 1 when the contact may be made now.
    pub allowed: u8,
    /// 1 when it is allowed and a message may be left.
    pub may_leave_message: u8,
    /// 1 when `next_allowed_millis` is set: the first instant, from the
    /// asked one on, at which every refusal has lapsed (the asked instant
    /// when allowed). 0: no refusal lapses by itself.
    pub has_next_allowed: u8,
    /// That instant, epoch milliseconds.
    pub next_allowed_millis: i64,
    /// Every kind of rule that refused, as `DNC_REASON_*` bits; 0 when
    /// allowed.
    pub reasons: u32,
    /// The DNC lists and account flags, under the dial check's rules at
    /// the instant.
    pub dnc: DncVerdict,
}

fn reason_bit(reason: &DialReason) -> u32 {
    match reason {
        DialReason::Entry(_) => DNC_REASON_ENTRY,
        DialReason::DialtimeEntry(_) => DNC_REASON_DIALTIME_ENTRY,
        DialReason::SmsEntry(_) => DNC_REASON_SMS_ENTRY,
        DialReason::Flag(_) => DNC_REASON_ACCOUNT_FLAG,
        DialReason::Hours(_) => DNC_REASON_HOURS,
        DialReason::ZipAreaMismatch(_) => DNC_REASON_ZIP_AREA_MISMATCH,
        DialReason::Law(_) => DNC_REASON_LAW,
        DialReason::Cap(_) => DNC_REASON_CAP,
        DialReason::Registry { .. } => DNC_REASON_REGISTRY,
    }
}

impl DncDialDecision {
    fn of(decision: &DialDecision) -> DncDialDecision {
        let next = decision.next_allowed();
        DncDialDecision {
            status: DncStatus::Ok,
            allowed: u8::from(decision.allowed()),
            may_leave_message: u8::from(decision.may_leave_message()),
            has_next_allowed: u8::from(next.is_some()),
            next_allowed_millis: next.map_or(0, Timestamp::as_millisecond),
            reasons: decision
                .reasons()
                .map(|reason| reason_bit(&reason))
                .fold(0, |a, b| a | b),
            dnc: DncVerdict::of(&decision.dnc),
        }
    }
}

/// Decides `request` against `engine`.
///
/// # Safety
/// The request's texts are readable.
unsafe fn decide(engine: &DncEngine, request: &DncDialRequest) -> Result<DialDecision, Failure> {
    // SAFETY: passed on from the caller.
    let (phone, account, zip) = unsafe { parts(request.phone, request.account, request.zip)? };
    let phone = phone
        .ok_or_else(|| Failure::new(DncStatus::BadRequest, "the dial decision needs a phone"))?;
    let at = Timestamp::from_millisecond(request.at_millis).map_err(|error| {
        Failure::new(
            DncStatus::InvalidArgument,
            format!("at_millis {} is not an instant: {error}", request.at_millis),
        )
    })?;
    let channel = match request.channel {
        DNC_CHANNEL_VOICE => DialChannel::Voice,
        DNC_CHANNEL_SMS => DialChannel::Sms,
        other => {
            return Err(Failure::new(
                DncStatus::InvalidArgument,
                format!("channel is {other}: 0 (voice) or 1 (sms)"),
            ));
        }
    };
    let zip_match = match request.zip_match {
        DNC_ZIP_MATCH_DIAL_TIME => ZipAreaMatchType::DialTime,
        DNC_ZIP_MATCH_DIAL_TIME_OPTIMIZED => ZipAreaMatchType::DialTimeOptimized,
        other => {
            return Err(Failure::new(
                DncStatus::InvalidArgument,
                format!("zip_match is {other}: 0 (DIAL_TIME) or 1 (DIAL_TIME_OPTIMIZED)"),
            ));
        }
    };
    let account: Option<Account> = account;
    let mut dial = DialRequest::new(service(request.service)?, phone, at)
        .channel(channel)
        .zip_match(zip_match);
    if let Some(account) = &account {
        dial = dial.account(account);
    }
    if let Some(zip) = zip {
        dial = dial.zip(zip);
    }
    Ok(engine.engine().dial_decision(&dial)?)
}

/// The dial decision for `request` into `decision_out` (which carries the
/// status too).
///
/// # Safety
/// `engine` is a live handle or null; `request` points at a valid request
/// whose texts are readable, or is null; `decision_out` is writable or null.
///
/// Thread safety: reads the engine; from many threads at once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_dial_decision(
    engine: *const DncEngine,
    request: *const DncDialRequest,
    decision_out: *mut DncDialDecision,
) -> DncStatus {
    // SAFETY: writable or null (the caller's promise).
    let mut out = match unsafe { Out::one(decision_out, "decision_out") } {
        Ok(out) => out,
        Err(failure) => return fail(failure),
    };
    let mut answer = DncDialDecision::default();
    let status = guard(|| {
        // SAFETY: the caller's promises, null checked.
        let (engine, request) =
            unsafe { (required(engine, "engine")?, required(request, "request")?) };
        // SAFETY: the request's texts are readable (the caller's promise).
        answer = DncDialDecision::of(&unsafe { decide(engine, request)? });
        Ok(())
    });
    if status != DncStatus::Ok {
        answer = DncDialDecision {
            status,
            ..DncDialDecision::default()
        };
    }
    out.set(0, answer);
    status
}

/// The dial decision for `request`, explained in one line a support agent
/// can read (`allowed`, or `refused: <reason>; <reason>; next allowed
/// <instant>`), in `text_out` (free it with `dnc_bytes_free`).
///
/// # Safety
/// As `dnc_dial_decision`; `text_out` is writable or null.
///
/// Thread safety: reads the engine; from many threads at once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_dial_decision_explain(
    engine: *const DncEngine,
    request: *const DncDialRequest,
    text_out: *mut DncBytes,
) -> DncStatus {
    guard(|| {
        // SAFETY: the caller's promises, null checked.
        let (engine, request, mut out) = unsafe {
            (
                required(engine, "engine")?,
                required(request, "request")?,
                Out::one(text_out, "text_out")?,
            )
        };
        // Empty first: a failed call leaves nothing the caller could free
        // twice.
        out.set(0, DncBytes::EMPTY);
        // SAFETY: the request's texts are readable (the caller's promise).
        let decision = unsafe { decide(engine, request)? };
        out.set(0, DncBytes::give(decision.to_string().into_bytes()));
        Ok(())
    })
}
