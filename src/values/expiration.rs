//! Expiration dates of channel entries, read in the client's time zone.
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
        if has_offset(text) {
            return match parse_instant(text) {
                Ok(instant) => Ok(Expiration::Instant(instant)),
                Err(error) => beyond_the_last_instant(text).ok_or(error),
            };
        }
        text.parse::<DateTime>()
            .map(|local| Expiration::Date(local.date()))
            .map_err(|_| refused())
    }

    /// An instant given as epoch milliseconds (the reference's numbers).
    ///
    /// The instants jiff can name end on 9999-12-30 at 22:00 UTC, yet the
    /// engine answers the start of 9999-12-31 (the common "never expires"
    /// date) in a client's zone with a larger number. So that what the
    /// engine prints is accepted back, a later instant is read as the date
    /// 9999-12-31: the latest date there is, so the entry blocks at least as
    /// long as the instant meant. (The earliest instants likewise read as
    /// -9999-01-01.)
    pub fn from_epoch_millis(millis: i64) -> Result<Expiration, DncError> {
        match Timestamp::from_millisecond(millis) {
            Ok(instant) => Ok(Expiration::Instant(instant)),
            Err(_) if millis > 0 => Ok(Expiration::Date(Date::MAX)),
            Err(_) => Ok(Expiration::Date(Date::MIN)),
        }
    }

    /// The expiration date in `zone`.
    pub(crate) fn date_in(self, zone: &TimeZone) -> Date {
        match self {
            Expiration::Date(date) => date,
            Expiration::Instant(instant) => instant.to_zoned_datetime(zone.clone()).date(),
        }
    }
}

/// Whether a date-time text ends with an offset or `Z` (after its time).
fn has_offset(text: &str) -> bool {
    let Some((_, time)) = text.split_once(['T', 't', ' ']) else {
        return false;
    };
    time.ends_with(['Z', 'z']) || time.contains(['+', '-'])
}

/// Parses an RFC 3339 date-time with its offset (`2026-12-01T17:00:00Z`,
/// `2026-12-01T12:00:00-05:00`) into an instant. The offset must be `Z` or
/// `±HH:MM` with `HH` at most 23 (RFC 3339's `time-numoffset`): jiff alone
/// would also take `+25:00`, which names no place on Earth.
pub fn parse_instant(text: &str) -> Result<Timestamp, DncError> {
    let refused = || DncError::InvalidDate {
        value: text.to_owned(),
    };
    if offset_len(text).is_none() {
        return Err(refused());
    }
    text.parse::<Timestamp>().map_err(|_| refused())
}

/// The length of a valid RFC 3339 offset at the end of `text` (`Z`, or
/// `±HH:MM` with `HH` at most 23), if it has one.
fn offset_len(text: &str) -> Option<usize> {
    match text.as_bytes() {
        [.., b'Z' | b'z'] => Some(1),
        [.., b'+' | b'-', h1, h2, b':', m1, m2] => {
            let digits = [*h1, *h2, *m1, *m2];
            let valid = digits.iter().all(u8::is_ascii_digit)
                && (h1 - b'0') * 10 + (h2 - b'0') <= 23
                && (m1 - b'0') * 10 + (m2 - b'0') <= 59;
            valid.then_some(6)
        }
        _ => None,
    }
}

/// A date-time with a valid offset past the last instant jiff can name
/// (9999-12-30 22:00 UTC; `9999-12-31T00:00:00Z` is a common "never
/// expires"): read as the date 9999-12-31, the latest there is, so the
/// entry blocks at least as long as the instant meant.
fn beyond_the_last_instant(text: &str) -> Option<Expiration> {
    let civil = text.get(..text.len() - offset_len(text)?)?;
    let local: DateTime = civil.parse().ok()?;
    (local.date() >= Date::constant(9999, 12, 30)).then_some(Expiration::Date(Date::MAX))
}

/// The start of `date` in `zone`, in epoch milliseconds: how answers give
/// an expiration. (On a day that starts with a daylight-saving gap, the
/// first instant that exists.) At the edges of jiff's range (the last days
/// of 9999, where `9999-12-31` is a common "never expires" value, and the
/// first of -9999) the start is counted from the calendar with the zone's
/// offset at that edge, since jiff cannot name the instant.
pub(crate) fn start_of_day_millis(date: Date, zone: &TimeZone) -> Option<i64> {
    let start = date
        .to_zoned_datetime(zone.clone())
        .and_then(|day| day.start_of_day());
    match start {
        Ok(start) => Some(start.timestamp().as_millisecond()),
        Err(_) => {
            let edge = if date.year() > 0 {
                Timestamp::MAX
            } else {
                Timestamp::MIN
            };
            let offset = zone.to_offset(edge).seconds();
            let days = date.since(Date::constant(1970, 1, 1)).ok()?.get_days();
            Some(i64::from(days) * 86_400_000 - i64::from(offset) * 1000)
        }
    }
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
