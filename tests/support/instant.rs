//! Instants for the tests and their models, written as the reference
//! writes them: epoch milliseconds.

use dnc_engine::jiff::Timestamp;

/// The instant `millis` milliseconds after the epoch (every test instant
/// lies in jiff's range, years -9999 to 9999).
pub(crate) fn ms(millis: i64) -> Timestamp {
    Timestamp::from_millisecond(millis).expect("a test instant in jiff's range")
}
