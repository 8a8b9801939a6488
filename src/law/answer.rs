//! The calling laws at the places a callee may be: which law refuses a call
//! at an instant (outside its hours, on a day it bans, on a holiday), and
//! the local times at which their windows open, for the next allowed
//! instant.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use smallvec::SmallVec;

use crate::geo::{Country, StateCode, TimeZoneId};
use crate::law::holiday::Holiday;
use crate::law::table::{self, CallingLaw};
use crate::values::clock::{TimeOfDay, Window};

/// Where the laws are read: a state or province when known, the country,
/// and one zone (a dialed number's or a ZIP's place without its area code:
/// the law follows the callee, not the code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LawPlace {
    /// The state or province; `None` when no source names one.
    pub state: Option<StateCode>,
    /// The country.
    pub country: Country,
    /// The zone whose local time the laws read.
    pub zone: TimeZoneId,
}

/// Why a law refuses a call at a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LawRefusal {
    /// The local time is outside the law's window for the day.
    Hours {
        /// The law's window that day.
        window: Window,
    },
    /// The law bans calls on this weekday (Sunday in AL, LA, MS).
    Day,
    /// The local date is one of the law's holidays, or the day it is
    /// observed.
    Holiday {
        /// The holiday.
        holiday: &'static Holiday,
        /// The holiday's own date (the local date differs when this is the
        /// observed day).
        date: Date,
    },
}

/// A law that refuses a call, where and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LawRefusalAt {
    /// The law, with its citation and source.
    pub law: &'static CallingLaw,
    /// The place whose local time it read.
    pub place: LawPlace,
    /// The local time there.
    pub local: DateTime,
    /// What it says.
    pub refusal: LawRefusal,
}

impl fmt::Display for LawRefusalAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let law = self.law;
        write!(f, "{} ({}, {})", law.name, law.citation, law.code)?;
        write!(f, " at {} in {}", self.local, self.place.zone)?;
        if let Some(state) = self.place.state {
            write!(f, " ({state})")?;
        }
        match self.refusal {
            LawRefusal::Hours { window } => write!(
                f,
                ": calls only {window} on a {}",
                weekday_name(self.local.date())
            ),
            LawRefusal::Day => write!(f, ": no calls on a {}", weekday_name(self.local.date())),
            LawRefusal::Holiday { holiday, date } => {
                write!(f, ": no calls on {holiday} ({date}")?;
                if date != self.local.date() {
                    write!(f, ", observed {}", self.local.date())?;
                }
                f.write_str(")")
            }
        }?;
        if let Some(note) = law.note {
            write!(f, " [{note}]")?;
        }
        Ok(())
    }
}

fn weekday_name(date: Date) -> &'static str {
    use jiff::civil::Weekday::*;
    match date.weekday() {
        Monday => "Monday",
        Tuesday => "Tuesday",
        Wednesday => "Wednesday",
        Thursday => "Thursday",
        Friday => "Friday",
        Saturday => "Saturday",
        Sunday => "Sunday",
    }
}

/// The calling laws' answer for a call: every law that refuses it at every
/// place the callee may be; none when every law allows it (an empty list:
/// an allowed answer allocates nothing and stays small to return).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LawAnswer {
    /// The refusals, by place in the order given, then by law (the
    /// country's first).
    pub refusals: Vec<LawRefusalAt>,
}

impl LawAnswer {
    /// Whether every law allows the call at every place.
    #[inline]
    pub fn allows(&self) -> bool {
        self.refusals.is_empty()
    }
}

/// The laws at `places` at instant `at`; `known` holds local times of
/// some zones at `at` already computed (the profile's hours), which are not
/// computed again.
pub(crate) fn answer(
    places: &[LawPlace],
    at: Timestamp,
    known: impl Fn(TimeZoneId) -> Option<DateTime>,
) -> LawAnswer {
    let mut refusals = Vec::new();
    for place in places {
        let local = known(place.zone).unwrap_or_else(|| place.zone.time_zone().to_datetime(at));
        for law in table::laws_at(place.state, place.country) {
            if let Some(refusal) = refusal(law, local, at) {
                refusals.push(LawRefusalAt {
                    law,
                    place: *place,
                    local,
                    refusal,
                });
            }
        }
    }
    LawAnswer { refusals }
}

/// Whether every law allows a call at every place at `at` (the answer
/// without its reasons, for the next-allowed search).
pub(crate) fn allows(places: &[LawPlace], at: Timestamp) -> bool {
    places.iter().all(|place| {
        let local = place.zone.time_zone().to_datetime(at);
        table::laws_at(place.state, place.country).all(|law| refusal(law, local, at).is_none())
    })
}

/// The local times at which a law of `places` opens a window (midnight
/// aside, which every search tries).
pub(crate) fn push_starts(places: &[LawPlace], starts: &mut SmallVec<[TimeOfDay; 8]>) {
    for place in places {
        for law in table::laws_at(place.state, place.country) {
            for window in law.hours.iter().flatten() {
                let mut push = |start: TimeOfDay| {
                    if !starts.contains(&start) {
                        starts.push(start);
                    }
                };
                push(window.start());
                // A window read at a fixed offset too opens, on the local
                // clock, a whole number of hours from its start (every
                // zone a US place may be in is whole hours from UTC).
                if law.standard_offset_hours.is_some() {
                    let start = window.start().millis() / HOUR_MILLIS;
                    for hour in start.saturating_sub(5)..=(start + 5).min(23) {
                        push(TimeOfDay::hm(hour, 0));
                    }
                }
            }
        }
    }
}

const HOUR_MILLIS: u32 = 3_600_000;

/// What `law` says at local time `local` (the instant `at`): a banned day
/// first, then a holiday, then its hours (on the clock, and at the law's
/// standard offset when it writes one).
#[inline]
fn refusal(law: &'static CallingLaw, local: DateTime, at: Timestamp) -> Option<LawRefusal> {
    let date = local.date();
    let Some(window) = law.hours[date.weekday().to_monday_zero_offset() as usize] else {
        return Some(LawRefusal::Day);
    };
    if let Some((holiday, own)) = law
        .holidays
        .iter()
        .find_map(|holiday| Some((holiday, holiday.own_date_for(date)?)))
    {
        return Some(LawRefusal::Holiday { holiday, date: own });
    }
    if !window.contains(TimeOfDay::of(local.time())) {
        return Some(LawRefusal::Hours { window });
    }
    if let Some(hours) = law.standard_offset_hours {
        let standard = jiff::tz::Offset::constant(hours).to_datetime(at);
        if !window.contains(TimeOfDay::of(standard.time())) {
            return Some(LawRefusal::Hours { window });
        }
    }
    None
}
