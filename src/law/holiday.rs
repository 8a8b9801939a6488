//! Holidays as rules computable for any year: a fixed date, the n-th (or
//! last) weekday of a month, or a day counted from Western Easter; and the
//! day a holiday is observed when it falls on a weekend.

use std::fmt;

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

/// When a holiday falls in a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HolidayDate {
    /// The same month and day every year.
    Fixed {
        /// 1–12.
        month: i8,
        /// 1–31.
        day: i8,
    },
    /// The `n`-th `weekday` of `month` (`n` = -1: the last), plus
    /// `plus_days` (the day after Thanksgiving: the fourth Thursday of
    /// November plus one).
    Nth {
        /// 1–12.
        month: i8,
        /// The weekday counted.
        weekday: Weekday,
        /// 1–5, or -1 for the last.
        n: i8,
        /// Days added to the counted weekday.
        plus_days: i8,
    },
    /// Days after Western (Gregorian) Easter Sunday; negative before it
    /// (Mardi Gras: -47, Good Friday: -2); within 60 days either way.
    Easter {
        /// Days from Easter Sunday.
        plus_days: i16,
    },
    /// The Monday of the week of `month`/`day`: the day itself on a Monday,
    /// the Monday before from Tuesday to Friday, the Monday after on a
    /// weekend (Utah's Juneteenth from 2025, Utah Code §63G-1-301).
    MondayOfWeek {
        /// 1–12.
        month: i8,
        /// 1–31.
        day: i8,
    },
}

/// The other days a holiday is observed on when it falls on a weekend
/// (the holiday itself stays banned too: a ban applies on every one of
/// them, the conservative reading of sources that list both days).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Observed {
    /// A Saturday holiday is also observed the Friday before (Ala. Code
    /// §1-3-8(a); federal holidays, 5 U.S.C. 6103(b)).
    pub friday_for_saturday: bool,
    /// A Saturday holiday is also observed the Monday after (R.I. Gen.
    /// Laws §25-1-1, for its fixed-date holidays).
    pub monday_for_saturday: bool,
    /// A Sunday holiday is also observed the Monday after (Miss. Code
    /// §3-3-7 and most states).
    pub monday_for_sunday: bool,
}

impl Observed {
    /// Only the day itself.
    pub const ON_THE_DAY: Observed = Observed {
        friday_for_saturday: false,
        monday_for_saturday: false,
        monday_for_sunday: false,
    };
    /// Saturday to Friday, Sunday to Monday.
    pub const NEAREST_WEEKDAY: Observed = Observed {
        friday_for_saturday: true,
        monday_for_saturday: false,
        monday_for_sunday: true,
    };
    /// Sunday to Monday only.
    pub const SUNDAY_TO_MONDAY: Observed = Observed {
        friday_for_saturday: false,
        monday_for_saturday: false,
        monday_for_sunday: true,
    };
    /// Saturday to Friday and to Monday, Sunday to Monday.
    pub const EVERY_WEEKEND_SHIFT: Observed = Observed {
        friday_for_saturday: true,
        monday_for_saturday: true,
        monday_for_sunday: true,
    };
}

/// The years a holiday is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Years {
    /// Every year.
    Every,
    /// Even years only (an election day in years of a state general
    /// election).
    Even,
}

/// A holiday on which a state bans calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Holiday {
    /// Its name as the sources write it.
    pub name: &'static str,
    /// When it falls.
    pub date: HolidayDate,
    /// When it is also observed.
    pub observed: Observed,
    /// The years it is kept.
    pub years: Years,
    /// The first date the ban applies (a law's effective date); `None`:
    /// as far back as the table goes.
    pub since: Option<Date>,
    /// The last date the ban applies (a repealed ban); `None`: still in force.
    pub until: Option<Date>,
    /// A doubt about the row and the reading taken.
    pub note: Option<&'static str>,
}

impl Holiday {
    /// A holiday kept every year, as far back as the table goes.
    pub(crate) const fn new(name: &'static str, date: HolidayDate, observed: Observed) -> Holiday {
        Holiday {
            name,
            date,
            observed,
            years: Years::Every,
            since: None,
            until: None,
            note: None,
        }
    }

    /// Kept from `since` on.
    pub(crate) const fn since(self, since: Date) -> Holiday {
        Holiday {
            since: Some(since),
            ..self
        }
    }

    /// Kept until `until` (inclusive): a repealed ban (none in the table
    /// today; the field stays for the next one).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) const fn until(self, until: Date) -> Holiday {
        Holiday {
            until: Some(until),
            ..self
        }
    }

    /// Kept in even years only.
    pub(crate) const fn even_years(self) -> Holiday {
        Holiday {
            years: Years::Even,
            ..self
        }
    }

    /// With a note on a doubt and the reading taken.
    pub(crate) const fn note(self, note: &'static str) -> Holiday {
        Holiday {
            note: Some(note),
            ..self
        }
    }

    /// The holiday's own date in `year`, when it is kept that year (`None`
    /// past jiff's years, in an odd year of an even-years holiday, or
    /// outside its `since`..=`until`).
    pub fn date_in(&self, year: i16) -> Option<Date> {
        if self.years == Years::Even && year % 2 != 0 {
            return None;
        }
        let date = self.rule_date(year)?;
        let in_force = self.since.is_none_or(|since| since <= date)
            && self.until.is_none_or(|until| date <= until);
        in_force.then_some(date)
    }

    fn rule_date(&self, year: i16) -> Option<Date> {
        match self.date {
            HolidayDate::Fixed { month, day } => Date::new(year, month, day).ok(),
            HolidayDate::Nth {
                month,
                weekday,
                n,
                plus_days,
            } => Date::new(year, month, 1)
                .ok()?
                .nth_weekday_of_month(n, weekday)
                .ok()?
                .checked_add(i64::from(plus_days).days())
                .ok(),
            HolidayDate::Easter { plus_days } => easter_sunday(year)?
                .checked_add(i64::from(plus_days).days())
                .ok(),
            HolidayDate::MondayOfWeek { month, day } => {
                let date = Date::new(year, month, day).ok()?;
                let shift = match date.weekday() {
                    Weekday::Saturday => 2,
                    Weekday::Sunday => 1,
                    other => -i64::from(other.to_monday_zero_offset()),
                };
                date.checked_add(shift.days()).ok()
            }
        }
    }

    /// The other days it is observed on in `year`, when its date falls on
    /// a weekend that its rule shifts (at most two: the Friday before and
    /// the Monday after a Saturday).
    pub fn observed_in(&self, year: i16) -> impl Iterator<Item = Date> {
        let date = self.date_in(year);
        let observed = self.observed;
        let shifts: [(bool, i64); 2] = match date.map(Date::weekday) {
            Some(Weekday::Saturday) => [
                (observed.friday_for_saturday, -1),
                (observed.monday_for_saturday, 2),
            ],
            Some(Weekday::Sunday) => [(observed.monday_for_sunday, 1), (false, 0)],
            _ => [(false, 0), (false, 0)],
        };
        shifts
            .into_iter()
            .filter(|&(applies, _)| applies)
            .filter_map(move |(_, days)| date?.checked_add(days.days()).ok())
    }

    /// The holiday's own date when `date` is it or one of its observed
    /// days (a Saturday 1 January is observed on the Friday before, in the
    /// year before, so both years are looked at).
    pub fn own_date_for(&self, date: Date) -> Option<Date> {
        if !self.may_fall_in(date.month()) {
            return None;
        }
        let year = date.year();
        // An observed day is at most two days from the holiday's own
        // date: only a date in December can be observed for next year's
        // holiday, only one in January for last year's.
        let next = (date.month() == 12).then(|| year.checked_add(1)).flatten();
        let last = (date.month() == 1).then(|| year.checked_sub(1)).flatten();
        [Some(year), next, last]
            .into_iter()
            .flatten()
            .filter_map(|year| Some((year, self.date_in(year)?)))
            .find(|&(year, own)| own == date || self.observed_in(year).any(|day| day == date))
            .map(|(_, own)| own)
    }

    /// Whether calls are banned on `date` for this holiday: its own date or
    /// a day it is observed on.
    #[inline]
    pub fn falls_on(&self, date: Date) -> bool {
        self.own_date_for(date).is_some()
    }
}

impl Holiday {
    /// A cheap filter before the dates are computed: whether the holiday
    /// (its own date, a day after it, or its observed day) can fall in
    /// `month`.
    #[inline]
    fn may_fall_in(&self, month: i8) -> bool {
        let next = |month: i8| month % 12 + 1;
        match self.date {
            HolidayDate::Fixed { month: own, .. }
            | HolidayDate::Nth { month: own, .. }
            | HolidayDate::MondayOfWeek { month: own, .. } => {
                month == own || month == next(own) || next(month) == own
            }
            // Easter falls from 22 March to 25 April; Mardi Gras (-47) from
            // 3 February; the rules here count at most 60 days from it.
            HolidayDate::Easter { .. } => (1..=7).contains(&month),
        }
    }
}

impl fmt::Display for Holiday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// Western Easter Sunday of `year` by the anonymous Gregorian algorithm
/// (Meeus/Jones/Butcher), for any year jiff can hold.
pub fn easter_sunday(year: i16) -> Option<Date> {
    let y = i32::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    Date::new(year, month as i8, day as i8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn easter_matches_the_published_dates() {
        // Dates from the US Naval Observatory's Easter table.
        for (year, easter) in [
            (1961, "1961-04-02"),
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2011, "2011-04-24"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
        ] {
            assert_eq!(easter_sunday(year), Some(date(easter)), "{year}");
        }
    }

    #[test]
    fn nth_and_last_weekdays() {
        let mlk = Holiday::new(
            "MLK",
            HolidayDate::Nth {
                month: 1,
                weekday: Weekday::Monday,
                n: 3,
                plus_days: 0,
            },
            Observed::ON_THE_DAY,
        );
        assert_eq!(mlk.date_in(2019), Some(date("2019-01-21")));
        let memorial = Holiday {
            date: HolidayDate::Nth {
                month: 5,
                weekday: Weekday::Monday,
                n: -1,
                plus_days: 0,
            },
            ..mlk
        };
        assert_eq!(memorial.date_in(2026), Some(date("2026-05-25")));
        let after_thanksgiving = Holiday {
            date: HolidayDate::Nth {
                month: 11,
                weekday: Weekday::Thursday,
                n: 4,
                plus_days: 1,
            },
            ..mlk
        };
        assert_eq!(after_thanksgiving.date_in(2026), Some(date("2026-11-27")));
    }

    #[test]
    fn observed_days_shift_and_cross_the_year() {
        let new_year = Holiday::new(
            "New Year's Day",
            HolidayDate::Fixed { month: 1, day: 1 },
            Observed::NEAREST_WEEKDAY,
        );
        // 2022-01-01 was a Saturday: observed Friday 2021-12-31.
        assert!(new_year.falls_on(date("2022-01-01")));
        assert!(new_year.falls_on(date("2021-12-31")));
        assert!(!new_year.falls_on(date("2022-01-03")));
        // 2023-01-01 was a Sunday: observed Monday 2023-01-02.
        assert!(new_year.falls_on(date("2023-01-02")));
        let sunday_only = Holiday {
            observed: Observed::SUNDAY_TO_MONDAY,
            ..new_year
        };
        assert!(!sunday_only.falls_on(date("2021-12-31")));
        assert!(sunday_only.falls_on(date("2023-01-02")));
        let on_the_day = Holiday {
            observed: Observed::ON_THE_DAY,
            ..new_year
        };
        assert!(!on_the_day.falls_on(date("2023-01-02")));
        assert!(on_the_day.falls_on(date("2023-01-01")));
        // Rhode Island's Saturday holidays are observed on the Monday after
        // (and, as federal holidays, the Friday before).
        let every = Holiday {
            observed: Observed::EVERY_WEEKEND_SHIFT,
            ..new_year
        };
        assert!(every.falls_on(date("2021-12-31")));
        assert!(every.falls_on(date("2022-01-03")));
        assert_eq!(
            every.own_date_for(date("2021-12-31")),
            Some(date("2022-01-01"))
        );
    }

    #[test]
    fn even_years_and_the_years_in_force() {
        let election = Holiday::new(
            "Election Day",
            HolidayDate::Nth {
                month: 11,
                weekday: Weekday::Monday,
                n: 1,
                plus_days: 1,
            },
            Observed::ON_THE_DAY,
        );
        assert_eq!(election.date_in(2026), Some(date("2026-11-03")));
        assert_eq!(election.date_in(2024), Some(date("2024-11-05")));
        let even = election.even_years();
        assert_eq!(even.date_in(2027), None);
        assert!(even.falls_on(date("2026-11-03")));
        let bounded = election.since(date("2020-01-01")).until(date("2024-12-31"));
        assert_eq!(bounded.date_in(2019), None);
        assert_eq!(bounded.date_in(2024), Some(date("2024-11-05")));
        assert_eq!(bounded.date_in(2025), None);
    }

    #[test]
    fn monday_of_the_week() {
        let juneteenth = Holiday::new(
            "Juneteenth",
            HolidayDate::MondayOfWeek { month: 6, day: 19 },
            Observed::ON_THE_DAY,
        );
        // 2025-06-19 is a Thursday: the Monday before.
        assert_eq!(juneteenth.date_in(2025), Some(date("2025-06-16")));
        // 2027-06-19 is a Saturday: the Monday after.
        assert_eq!(juneteenth.date_in(2027), Some(date("2027-06-21")));
        // 2028-06-19 is a Monday.
        assert_eq!(juneteenth.date_in(2028), Some(date("2028-06-19")));
        assert!(juneteenth.falls_on(date("2025-06-16")));
        assert!(!juneteenth.falls_on(date("2025-06-19")));
    }
}
