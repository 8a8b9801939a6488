//! What every part's snapshot restore shares: how a refusal is said, and
//! the check of a recorded instant.

use jiff::Timestamp;

use crate::error::DncError;

/// A snapshot refused, with why.
pub(crate) fn invalid(reason: String) -> DncError {
    DncError::InvalidSnapshot { reason }
}

/// An instant of a snapshot's log (epoch milliseconds): the live
/// operations record only instants jiff can name, so any other is damage,
/// refused rather than dropped from the list's `lastModified`.
pub(crate) fn nameable(millis: i64) -> Result<i64, DncError> {
    match Timestamp::from_millisecond(millis) {
        Ok(_) => Ok(millis),
        Err(_) => Err(invalid(format!(
            "instant {millis} is past the instants a change can carry"
        ))),
    }
}
