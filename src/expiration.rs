//! Expiration dates of channel entries, read in the client's time zone
//! (SPEC section 7).
//!
//! An entry that expires on date `D` blocks through the end of `D` in its
//! client's time zone. Requests give `D` as a date, or as an instant that is
//! read as the date it falls on there; answers give the start of `D` there,
//! in epoch milliseconds. Time zones come from the IANA database compiled
//! into the crate (jiff's bundled copy, 2026 rules), never from the host: an
//! older database is already wrong for British Columbia, Alberta, Manitoba
//! and the Northwest Territories, which keep daylight time all year from
//! 2026.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use crate::error::DncError;

/// An expiration as a request gives it.
///
/// ```
/// use dnc_engine::Expiration;
/// // The reference's three forms.
/// assert!(Expiration::parse("2021-03-01").is_ok());
/// assert!(Expiration::parse("1616089284000").is_ok());
/// assert!(Expiration::parse("2021-04-20T14:24:47.847Z").is_ok());
/// assert!(Expiration::parse("03/01/2021").is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiration {
    /// A calendar date (`yyyy-MM-dd`, or a date-time without an offset,
    /// whose date is taken as it stands).
    Date(Date),
    /// An instant (epoch milliseconds, or a date-time with an offset or
    /// `Z`): the entry expires on the date it falls on in the client's zone.
    Instant(Timestamp),
}

impl Expiration {
    /// Parses `yyyy-MM-dd`, a string of digits (epoch milliseconds), or an
    /// ISO-8601 date-time.
    pub fn parse(text: &str) -> Result<Expiration, DncError> {
        let refused = || DncError::InvalidDate {
            value: text.to_owned(),
        };
        let bytes = text.as_bytes();
        if !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit) {
            let millis: i64 = text.parse().map_err(|_| refused())?;
            return Expiration::from_epoch_millis(millis).map_err(|_| refused());
        }
        if bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-' {
            return text.parse().map(Expiration::Date).map_err(|_| refused());
        }
        if let Ok(instant) = text.parse::<Timestamp>() {
            return Ok(Expiration::Instant(instant));
        }
        text.parse::<DateTime>()
            .map(|local| Expiration::Date(local.date()))
            .map_err(|_| refused())
    }

    /// An instant given as epoch milliseconds (the reference's numbers).
    pub fn from_epoch_millis(millis: i64) -> Result<Expiration, DncError> {
        Timestamp::from_millisecond(millis)
            .map(Expiration::Instant)
            .map_err(|_| DncError::InvalidDate {
                value: millis.to_string(),
            })
    }

    /// The expiration date in `zone`.
    pub(crate) fn date_in(self, zone: &TimeZone) -> Date {
        match self {
            Expiration::Date(date) => date,
            Expiration::Instant(instant) => instant.to_zoned_datetime(zone.clone()).date(),
        }
    }
}

/// The start of `date` in `zone`, in epoch milliseconds: how answers give
/// an expiration. (On a day that starts with a daylight-saving gap, the
/// first instant that exists.) `None` only at the edges of the supported
/// range (years -9999 and 9999), which creation refuses.
pub(crate) fn start_of_day_millis(date: Date, zone: &TimeZone) -> Option<i64> {
    date.to_zoned_datetime(zone.clone())
        .and_then(|day| day.start_of_day())
        .map(|start| start.timestamp().as_millisecond())
        .ok()
}

/// The first instant, in epoch milliseconds, at which an entry expiring on
/// `date` no longer blocks: the start of the next day in `zone`. When that
/// instant cannot be represented the entry never stops blocking (the safe
/// answer).
pub(crate) fn no_longer_blocks_from(date: Date, zone: &TimeZone) -> i64 {
    date.tomorrow()
        .ok()
        .and_then(|next| start_of_day_millis(next, zone))
        .unwrap_or(i64::MAX)
}

/// Looks up an IANA time zone name in the bundled database.
pub(crate) fn time_zone(name: &str) -> Result<TimeZone, DncError> {
    TimeZone::get(name).map_err(|_| DncError::InvalidTimeZone {
        value: name.to_owned(),
    })
}
