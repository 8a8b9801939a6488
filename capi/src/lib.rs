//! The C ABI of `dnc-engine`: link `libdnc_capi.a` (or `.so`) and include
//! `include/dnc_engine.h`, generated from this crate by cbindgen.
//!
//! ```c
//! #include "dnc_engine.h"
//!
//! DncEngine *engine = dnc_engine_new();
//! dnc_register_service(engine, 93119, 123);
//! DncNewEntry entry = { .service = 123, .phone = DNC_STR("4152257000") };
//! uint64_t id;
//! if (dnc_add(engine, &entry, &id) != DNC_STATUS_OK)
//!     fprintf(stderr, "%s\n", dnc_last_error());
//! DncQuery query = { .service = 123, .phone = DNC_STR("4152257000") };
//! DncVerdict verdict;
//! dnc_is_blocked(engine, &query, &verdict);   /* verdict.blocked == 1, entries[0] == id */
//! dnc_engine_free(engine);
//! ```
//!
//! # The contract at the boundary
//! - **Status codes.** Every fallible function returns a `DncStatus`: 0 is
//!   success; the engine's errors keep the replay protocol's codes
//!   (`dnc_status_name`); the message is `dnc_last_error()` (per thread).
//! - **Nothing crosses but codes.** No panic escapes (a defect becomes
//!   `DNC_STATUS_INTERNAL`); every pointer is checked for null, and a text or
//!   array with a null pointer is refused unless its length is 0 (then it is
//!   "not given"). What cannot be checked is the caller's: that a non-null
//!   pointer really has its length's bytes.
//! - **Texts** are `DncStr` (pointer and length, UTF-8, no NUL needed),
//!   read during the call only. **Bytes the library returns** are `DncBytes`,
//!   given back with `dnc_bytes_free`.
//! - **No allocation on the allowed path.** `dnc_is_blocked` and
//!   `dnc_dial_check` answer in a caller-owned `DncVerdict` and allocate
//!   nothing unless more than four entries apply.
//! - **Thread safety**, stated on every function: those taking
//!   `const DncEngine *` read and may run on many threads at once; those
//!   taking `DncEngine *` change the engine and run under the caller's lock
//!   (a reader-writer lock around the handle); the last error is per thread.
//! - **Every operation is reachable.** The typed functions cover the hot
//!   path (services, entries, flags, the nightly clear, checks, the dial
//!   decision, images); `dnc_replay_line` answers any `dnc replay` request
//!   line (channel lists, profiles, registries, attempts, roles, pages…)
//!   with the same code as the `dnc` program.
//!
//! # Files
//! `status.rs` (the codes, the last error, the panic guard), `input.rs`
//! (texts, bytes, pointer checks), `handle.rs` (the handle and every
//! change), `check.rs` (the checks), `decision.rs` (the dial decision).

mod check;
mod decision;
mod handle;
mod input;
mod status;

pub use check::{
    DNC_VERDICT_IDS, DncQuery, DncVerdict, dnc_dial_check, dnc_dial_check_batch, dnc_is_blocked,
    dnc_is_blocked_batch,
};
pub use decision::{
    DNC_CHANNEL_SMS, DNC_CHANNEL_VOICE, DNC_REASON_ACCOUNT_FLAG, DNC_REASON_CAP,
    DNC_REASON_DIALTIME_ENTRY, DNC_REASON_ENTRY, DNC_REASON_HOURS, DNC_REASON_LAW,
    DNC_REASON_REGISTRY, DNC_REASON_SMS_ENTRY, DNC_REASON_ZIP_AREA_MISMATCH,
    DNC_ZIP_MATCH_DIAL_TIME, DNC_ZIP_MATCH_DIAL_TIME_OPTIMIZED, DncDialDecision, DncDialRequest,
    dnc_dial_decision, dnc_dial_decision_explain,
};
pub use handle::{
    DncAccountFlags, DncAddResult, DncEngine, DncNewEntry, dnc_add, dnc_add_many, dnc_clear_daily,
    dnc_engine_free, dnc_engine_new, dnc_register_service, dnc_replay_line, dnc_restore,
    dnc_set_account_flags, dnc_snapshot,
};
pub use input::{DncBytes, DncStr, dnc_bytes_free};
pub use status::{DncStatus, dnc_last_error, dnc_status_name};

/// The library's version, NUL-terminated and static (`"0.1.0"`).
///
/// Thread safety: any thread.
#[unsafe(no_mangle)]
pub extern "C" fn dnc_version() -> *const std::ffi::c_char {
    const VERSION: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
    ) {
        Ok(version) => version,
        Err(_) => panic!("the version holds a NUL"),
    };
    VERSION.as_ptr()
}
