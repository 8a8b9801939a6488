//! What every call returns: a status code, and on failure a message the
//! caller reads with `dnc_last_error` (kept per thread, like `errno`).
//!
//! Every exported function runs its body through [`guard`], so a panic
//! never unwinds into C: it becomes [`DncStatus::Internal`] with its message.

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use dnc_engine::DncError;

/// The outcome of a call: `DNC_STATUS_OK` (0), or why it failed. The
/// engine's errors keep the replay protocol's codes (`dnc_status_name`
/// gives the same text, `"invalid_phone"`), so a C caller, a Python caller
/// and a replay line name a failure alike.
#[repr(i32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DncStatus {
    /// The call did what it was asked.
    #[default]
    Ok = 0,
    /// A required pointer is null (the engine handle, an output), or a text
    /// or array has a null pointer with a length that is not 0.
    NullArgument = 1,
    /// A text is not UTF-8.
    InvalidUtf8 = 2,
    /// A number outside its range: a channel or match type this version
    /// does not define, a flag update other than -1, 0 and 1, a `daily`
    /// other than 0 and 1, an `at_millis` outside the instants the engine
    /// names (years -9999 to 9999).
    InvalidArgument = 3,
    /// A defect in the library (a panic, caught at the boundary); the
    /// message says where. The engine is as the last successful call left
    /// it only if the failed call was a check.
    Internal = 4,
    /// `invalid_phone`.
    InvalidPhone = 10,
    /// `invalid_account`.
    InvalidAccount = 11,
    /// `invalid_zip`.
    InvalidZip = 12,
    /// `invalid_id`: an id that is 0 or above 2^63 - 1, or ids exhausted.
    InvalidId = 13,
    /// `invalid_entry`: a combination of phone, account and zip that is
    /// not an entry.
    InvalidEntry = 14,
    /// `bad_request`: a check that names no phone, account or zip, an entry
    /// with neither client nor service, an unknown time zone.
    BadRequest = 15,
    /// `unknown_service`.
    UnknownService = 16,
    /// `service_client_mismatch`: the service belongs to another client.
    ServiceClientMismatch = 17,
    /// `duplicate_id`.
    DuplicateId = 18,
    /// `not_found`.
    NotFound = 19,
    /// `invalid_snapshot`: bytes that are not an engine image of this
    /// version, or are damaged.
    InvalidSnapshot = 20,
    /// `capacity_exceeded`.
    CapacityExceeded = 21,
    /// `invalid_email`.
    InvalidEmail = 22,
    /// `invalid_date`.
    InvalidDate = 23,
    /// `invalid_contact_group`.
    InvalidContactGroup = 24,
    /// `invalid_page`.
    InvalidPage = 25,
    /// `forbidden`.
    Forbidden = 26,
    /// `wrong_dnc_type`.
    WrongDncType = 27,
    /// `invalid_area_code`.
    InvalidAreaCode = 28,
    /// `invalid_registry`.
    InvalidRegistry = 29,
    /// `invalid_exemption`.
    InvalidExemption = 30,
    /// `invalid_profile`: also a dial request the dial decision refuses.
    InvalidProfile = 31,
    /// `area_code_state_mismatch`.
    AreaCodeStateMismatch = 32,
    /// `invalid_attempt`.
    InvalidAttempt = 33,
}

/// Every status with its name (NUL-terminated, for C), in code order: the
/// one table both directions are read from.
pub(crate) const NAMES: &[(DncStatus, &CStr)] = &[
    (DncStatus::Ok, c"ok"),
    (DncStatus::NullArgument, c"null_argument"),
    (DncStatus::InvalidUtf8, c"invalid_utf8"),
    (DncStatus::InvalidArgument, c"invalid_argument"),
    (DncStatus::Internal, c"internal"),
    (DncStatus::InvalidPhone, c"invalid_phone"),
    (DncStatus::InvalidAccount, c"invalid_account"),
    (DncStatus::InvalidZip, c"invalid_zip"),
    (DncStatus::InvalidId, c"invalid_id"),
    (DncStatus::InvalidEntry, c"invalid_entry"),
    (DncStatus::BadRequest, c"bad_request"),
    (DncStatus::UnknownService, c"unknown_service"),
    (DncStatus::ServiceClientMismatch, c"service_client_mismatch"),
    (DncStatus::DuplicateId, c"duplicate_id"),
    (DncStatus::NotFound, c"not_found"),
    (DncStatus::InvalidSnapshot, c"invalid_snapshot"),
    (DncStatus::CapacityExceeded, c"capacity_exceeded"),
    (DncStatus::InvalidEmail, c"invalid_email"),
    (DncStatus::InvalidDate, c"invalid_date"),
    (DncStatus::InvalidContactGroup, c"invalid_contact_group"),
    (DncStatus::InvalidPage, c"invalid_page"),
    (DncStatus::Forbidden, c"forbidden"),
    (DncStatus::WrongDncType, c"wrong_dnc_type"),
    (DncStatus::InvalidAreaCode, c"invalid_area_code"),
    (DncStatus::InvalidRegistry, c"invalid_registry"),
    (DncStatus::InvalidExemption, c"invalid_exemption"),
    (DncStatus::InvalidProfile, c"invalid_profile"),
    (
        DncStatus::AreaCodeStateMismatch,
        c"area_code_state_mismatch",
    ),
    (DncStatus::InvalidAttempt, c"invalid_attempt"),
];

impl DncStatus {
    /// The protocol's name of the status (`"invalid_phone"`).
    pub fn name(self) -> &'static str {
        c_name(self as i32).to_str().unwrap_or("internal")
    }

    /// The status of an engine error: the one its replay code names. A code
    /// this table lacks is a defect of this crate, reported as such rather
    /// than as some other failure.
    pub fn of(error: &DncError) -> DncStatus {
        let code = error.code();
        NAMES
            .iter()
            .find(|(_, name)| name.to_bytes() == code.as_bytes())
            .map_or(DncStatus::Internal, |(status, _)| *status)
    }
}

/// A failure: its status and its message.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: DncStatus,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(status: DncStatus, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
        }
    }

    /// A required pointer that is null.
    pub(crate) fn null(argument: &str) -> Failure {
        Failure::new(
            DncStatus::NullArgument,
            format!("{argument} is a null pointer"),
        )
    }
}

impl From<DncError> for Failure {
    fn from(error: DncError) -> Failure {
        Failure {
            status: DncStatus::of(&error),
            message: format!("{error} [{}]", error.code()),
        }
    }
}

thread_local! {
    /// The message of this thread's last failure.
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

/// Records `failure` as this thread's last error and returns its status.
pub(crate) fn fail(failure: Failure) -> DncStatus {
    // A message cannot hold NUL: the value quoted in it could (a phone
    // given as "1\0"). Shown as U+FFFD, the rest stays readable.
    let text = failure.message.replace('\0', "\u{FFFD}");
    let message = CString::new(text).unwrap_or_default();
    LAST_ERROR.with(|last| *last.borrow_mut() = message);
    failure.status
}

/// Runs `body`; its failure, or a panic inside it, becomes the status and
/// this thread's last error. Nothing unwinds past this.
pub(crate) fn guard(body: impl FnOnce() -> Result<(), Failure>) -> DncStatus {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => DncStatus::Ok,
        Ok(Err(failure)) => fail(failure),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            fail(Failure::new(
                DncStatus::Internal,
                format!("internal error in dnc-engine (please report it): {what}"),
            ))
        }
    }
}

/// The message of the calling thread's last failed call, as NUL-terminated
/// UTF-8; `""` when no call of this thread has failed. The text stays valid
/// until the next failing call on the same thread. Never null.
///
/// Thread safety: any thread, at any time; each thread has its own.
#[unsafe(no_mangle)]
pub extern "C" fn dnc_last_error() -> *const c_char {
    LAST_ERROR.with(|last| last.borrow().as_ptr())
}

/// The name of `status` (`"ok"`, `"invalid_phone"`, …), NUL-terminated and
/// static; `"internal"` for a number that is no status. Never null.
///
/// Thread safety: any thread, at any time.
#[unsafe(no_mangle)]
pub extern "C" fn dnc_status_name(status: i32) -> *const c_char {
    c_name(status).as_ptr()
}

/// The NUL-terminated name of the status numbered `status`.
fn c_name(status: i32) -> &'static CStr {
    NAMES
        .iter()
        .find(|(known, _)| *known as i32 == status)
        .map_or(c"internal", |(_, name)| name)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_one_name() {
        for (status, name) in NAMES {
            assert_eq!(status.name(), name.to_str().unwrap());
            assert_eq!(c_name(*status as i32), *name);
        }
        let mut names: Vec<&CStr> = NAMES.iter().map(|(_, name)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), NAMES.len(), "two statuses share a name");
        assert_eq!(c_name(9999), c"internal");
        assert_eq!(c_name(5), c"internal", "5 is no status");
    }

    #[test]
    fn an_engine_error_keeps_its_protocol_code() {
        let error = dnc_engine::Phone::parse("12ab").unwrap_err();
        assert_eq!(DncStatus::of(&error), DncStatus::InvalidPhone);
        let failure = Failure::from(error);
        assert!(
            failure.message.contains("invalid_phone"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn a_panic_becomes_internal_with_its_message() {
        let status = guard(|| panic!("boom at the boundary"));
        assert_eq!(status, DncStatus::Internal);
        // SAFETY: dnc_last_error returns a NUL-terminated string owned by
        // this thread, valid until the next failure of this thread.
        let message = unsafe { std::ffi::CStr::from_ptr(dnc_last_error()) };
        assert!(message.to_str().unwrap().contains("boom at the boundary"));
    }
}
