//! The dialing-profile model: days, times of day, regions, policies
//! and profiles, each validated when made.

use std::fmt;

use jiff::civil::Weekday;

use crate::error::DncError;
use crate::geo::{AreaCode, Country, StateCode, TimeZoneId};
use crate::values::ids::{ClientId, PolicyId, ProfileId, ServiceId};

/// The days a policy covers: one named day, `WEEKDAY` (Monday–Friday),
/// `WEEKEND` (Saturday, Sunday) or `ALL`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DayRule {
    /// One day of the week (`MONDAY` … `SUNDAY`): the most specific.
    Day(Weekday),
    /// Monday to Friday.
    Weekday,
    /// Saturday and Sunday.
    Weekend,
    /// Every day: the least specific.
    All,
}

const DAY_NAMES: [(&str, Weekday); 7] = [
    ("MONDAY", Weekday::Monday),
    ("TUESDAY", Weekday::Tuesday),
    ("WEDNESDAY", Weekday::Wednesday),
    ("THURSDAY", Weekday::Thursday),
    ("FRIDAY", Weekday::Friday),
    ("SATURDAY", Weekday::Saturday),
    ("SUNDAY", Weekday::Sunday),
];

impl DayRule {
    /// Parses the reference's `dayOfWeek` (ASCII case ignored).
    pub fn parse(text: &str) -> Result<DayRule, DncError> {
        let upper = text.to_ascii_uppercase();
        match upper.as_str() {
            "WEEKDAY" => Ok(DayRule::Weekday),
            "WEEKEND" => Ok(DayRule::Weekend),
            "ALL" => Ok(DayRule::All),
            _ => DAY_NAMES
                .iter()
                .find(|(name, _)| *name == upper)
                .map(|&(_, day)| DayRule::Day(day))
                .ok_or_else(|| DncError::InvalidProfile {
                    field: "dayOfWeek",
                    value: text.to_owned(),
                    reason: "expected MONDAY..SUNDAY, WEEKDAY, WEEKEND or ALL",
                }),
        }
    }

    /// The reference's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DayRule::Day(day) => DAY_NAMES[day.to_monday_zero_offset() as usize].0,
            DayRule::Weekday => "WEEKDAY",
            DayRule::Weekend => "WEEKEND",
            DayRule::All => "ALL",
        }
    }

    /// Whether the rule covers `day`.
    #[inline]
    pub fn covers(self, day: Weekday) -> bool {
        match self {
            DayRule::Day(only) => only == day,
            DayRule::Weekday => !matches!(day, Weekday::Saturday | Weekday::Sunday),
            DayRule::Weekend => matches!(day, Weekday::Saturday | Weekday::Sunday),
            DayRule::All => true,
        }
    }

    /// 3 for a named day, 2 for `WEEKDAY`/`WEEKEND`, 1 for `ALL`.
    #[inline]
    pub fn specificity(self) -> u8 {
        match self {
            DayRule::Day(_) => 3,
            DayRule::Weekday | DayRule::Weekend => 2,
            DayRule::All => 1,
        }
    }
}

impl fmt::Display for DayRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A local wall-clock time of day, `00:00` to `24:00` inclusive, to the
/// millisecond.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(u32);

/// Milliseconds in a day.
const DAY_MILLIS: u32 = 86_400_000;

impl TimeOfDay {
    /// Midnight, the start of a day.
    pub const MIDNIGHT: TimeOfDay = TimeOfDay(0);
    /// `24:00`, the end of a day.
    pub const END_OF_DAY: TimeOfDay = TimeOfDay(DAY_MILLIS);

    /// A time from hours, minutes and seconds; `24:00:00` is the end of the day.
    pub fn hms(hours: u32, minutes: u32, seconds: u32) -> Result<TimeOfDay, DncError> {
        if minutes < 60
            && seconds < 60
            && (hours < 24 || (hours == 24 && minutes == 0 && seconds == 0))
        {
            Ok(TimeOfDay(((hours * 60 + minutes) * 60 + seconds) * 1000))
        } else {
            Err(DncError::InvalidProfile {
                field: "time",
                value: format!("{hours:02}:{minutes:02}:{seconds:02}"),
                reason: "expected 00:00 to 24:00",
            })
        }
    }

    /// A time from milliseconds after local midnight, `0..=86_400_000`.
    pub fn from_millis(millis: u32) -> Result<TimeOfDay, DncError> {
        if millis <= DAY_MILLIS {
            Ok(TimeOfDay(millis))
        } else {
            Err(DncError::InvalidProfile {
                field: "time",
                value: millis.to_string(),
                reason: "milliseconds after midnight must be 0..=86400000",
            })
        }
    }

    /// Parses `HH:MM`, `HH:MM:SS` or `HH:MM:SS.mmm` (`24:00` allowed as the
    /// end of the day): every form [`Display`](fmt::Display) writes, so a
    /// time the engine prints is accepted back.
    pub fn parse(text: &str) -> Result<TimeOfDay, DncError> {
        let refused = || DncError::InvalidProfile {
            field: "time",
            value: text.to_owned(),
            reason: "expected HH:MM, HH:MM:SS or HH:MM:SS.mmm, 00:00 to 24:00",
        };
        let (text, millis) = match text.split_once('.') {
            None => (text, 0),
            // Milliseconds only after seconds, as Display writes them.
            Some((clock, fraction))
                if clock.len() == 8
                    && fraction.len() == 3
                    && fraction.bytes().all(|b| b.is_ascii_digit()) =>
            {
                (clock, fraction.parse::<u32>().map_err(|_| refused())?)
            }
            Some(_) => return Err(refused()),
        };
        let mut parts = text.split(':');
        let mut next = |required: bool| -> Result<u32, DncError> {
            match parts.next() {
                Some(part) if part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit()) => {
                    part.parse().map_err(|_| refused())
                }
                None if !required => Ok(0),
                _ => Err(refused()),
            }
        };
        let (hours, minutes, seconds) = (next(true)?, next(true)?, next(false)?);
        if parts.next().is_some() {
            return Err(refused());
        }
        let time = TimeOfDay::hms(hours, minutes, seconds).map_err(|_| refused())?;
        // 24:00:00.001 is past the end of the day.
        TimeOfDay::from_millis(time.0 + millis).map_err(|_| refused())
    }

    /// The reference's examples also write a time as an epoch instant
    /// (`1391184000`, in seconds, for 08:00 in San Francisco): this reads
    /// `value` (seconds from `10^9`, or milliseconds from `10^11` up) as the
    /// wall-clock time it shows in the region's zone. Refused when the region
    /// spans several zones (or names only a country), where the time would
    /// be ambiguous, and below `10^9`.
    pub fn from_reference_instant(value: i64, region: Region) -> Result<TimeOfDay, DncError> {
        let refused = |reason| DncError::InvalidProfile {
            field: "time",
            value: value.to_string(),
            reason,
        };
        // Below 10^9 seconds (2001) a number is neither a time of day nor a
        // plausible instant: refused rather than read as a 1970s date.
        if value < 1_000_000_000 {
            return Err(refused(
                "neither milliseconds after midnight (0..=86400000) nor an epoch instant (from 10^9 seconds)",
            ));
        }
        let instant = if value >= 100_000_000_000 {
            jiff::Timestamp::from_millisecond(value)
        } else {
            jiff::Timestamp::from_second(value)
        }
        .map_err(|_| refused("an epoch instant out of range"))?;
        let zone = region.single_zone().ok_or_else(|| {
            refused("an epoch-instant time needs a region in one time zone; write HH:MM instead")
        })?;
        Ok(TimeOfDay::of(zone.time_zone().to_datetime(instant).time()))
    }

    /// Milliseconds after local midnight.
    pub fn millis(self) -> u32 {
        self.0
    }

    /// The time of day of a civil time.
    #[inline]
    pub(crate) fn of(time: jiff::civil::Time) -> TimeOfDay {
        TimeOfDay(
            ((time.hour() as u32 * 60 + time.minute() as u32) * 60 + time.second() as u32) * 1000
                + time.millisecond() as u32,
        )
    }

    /// As a civil time; `24:00` has none (`None`).
    pub(crate) fn to_civil(self) -> Option<jiff::civil::Time> {
        if self.0 >= DAY_MILLIS {
            return None;
        }
        let (seconds, millis) = (self.0 / 1000, self.0 % 1000);
        jiff::civil::Time::new(
            (seconds / 3600) as i8,
            (seconds / 60 % 60) as i8,
            (seconds % 60) as i8,
            (millis * 1_000_000) as i32,
        )
        .ok()
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.0 / 1000;
        write!(f, "{:02}:{:02}", seconds / 3600, seconds / 60 % 60)?;
        if seconds % 60 != 0 || self.0 % 1000 != 0 {
            write!(f, ":{:02}", seconds % 60)?;
        }
        if self.0 % 1000 != 0 {
            write!(f, ".{:03}", self.0 % 1000)?;
        }
        Ok(())
    }
}

/// The local hours in which a policy lets dialing start: `start <= t < end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    start: TimeOfDay,
    end: TimeOfDay,
}

impl Window {
    /// The whole day.
    pub const WHOLE_DAY: Window = Window {
        start: TimeOfDay::MIDNIGHT,
        end: TimeOfDay::END_OF_DAY,
    };

    /// The federal calling hours, 08:00–21:00: the standard profile's window.
    pub const STANDARD: Window = Window {
        start: TimeOfDay(8 * 3_600_000),
        end: TimeOfDay(21 * 3_600_000),
    };

    /// A window; `start` must come before `end` (a window does not cross
    /// midnight: write two policies for that).
    pub fn new(start: TimeOfDay, end: TimeOfDay) -> Result<Window, DncError> {
        if start < end {
            Ok(Window { start, end })
        } else {
            Err(DncError::InvalidProfile {
                field: "endTime",
                value: end.to_string(),
                reason: "endTime must be after startTime (windows do not cross midnight)",
            })
        }
    }

    /// The common part of windows whose latest start is `start` and earliest
    /// end `end`: empty (`start == end`) when they do not overlap.
    pub(crate) fn intersection(start: TimeOfDay, end: TimeOfDay) -> Window {
        Window {
            start,
            end: end.max(start),
        }
    }

    /// Whether no time lies inside (an intersection of windows that do not
    /// overlap).
    pub fn is_empty(self) -> bool {
        self.start >= self.end
    }

    /// When dialing may start.
    pub fn start(self) -> TimeOfDay {
        self.start
    }

    /// When dialing must have stopped (exclusive).
    pub fn end(self) -> TimeOfDay {
        self.end
    }

    /// Whether `time` lies inside.
    #[inline]
    pub fn contains(self, time: TimeOfDay) -> bool {
        self.start <= time && time < self.end
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

/// Where a policy applies: a country, a state or province, an area code, or
/// a consistent combination. The most specific part decides its rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Region {
    country: Option<Country>,
    state: Option<StateCode>,
    area_code: Option<AreaCode>,
}

impl Region {
    /// A region from its parts: at least one; an area code must serve the
    /// state (the reference's "Area code/state mismatch"), a state must lie
    /// in the country, an area code in the country.
    pub fn new(
        country: Option<Country>,
        state: Option<StateCode>,
        area_code: Option<AreaCode>,
    ) -> Result<Region, DncError> {
        if country.is_none() && state.is_none() && area_code.is_none() {
            return Err(DncError::InvalidProfile {
                field: "region",
                value: String::new(),
                reason: "a policy needs a state, an area code or a country (or several)",
            });
        }
        let mismatch = || DncError::RegionMismatch {
            area_code: area_code.map(AreaCode::get),
            state: state.map(|state| state.as_str().to_owned()),
            country: country.map(Country::as_str),
        };
        if let (Some(code), Some(state)) = (area_code, state) {
            if !code.info().serves_state(state) {
                return Err(mismatch());
            }
        }
        if let (Some(country), Some(state)) = (country, state) {
            if state.country() != country {
                return Err(mismatch());
            }
        }
        if let (Some(country), Some(code)) = (country, area_code) {
            if code.info().country != country {
                return Err(mismatch());
            }
        }
        Ok(Region {
            country,
            state,
            area_code,
        })
    }

    /// The country, when given.
    pub fn country(self) -> Option<Country> {
        self.country
    }

    /// The state or province, when given.
    pub fn state(self) -> Option<StateCode> {
        self.state
    }

    /// The area code, when given.
    pub fn area_code(self) -> Option<AreaCode> {
        self.area_code
    }

    /// 3 with an area code, 2 with a state, 1 with only a country.
    #[inline]
    pub fn specificity(self) -> u8 {
        if self.area_code.is_some() {
            3
        } else if self.state.is_some() {
            2
        } else {
            1
        }
    }

    /// Whether a place (area code when known, state when known, country)
    /// lies in the region: every part the region names must match.
    #[inline]
    pub(crate) fn covers(
        self,
        area_code: Option<AreaCode>,
        state: Option<StateCode>,
        country: Country,
    ) -> bool {
        self.area_code.is_none_or(|code| Some(code) == area_code)
            && self.state.is_none_or(|want| Some(want) == state)
            && self.country.is_none_or(|want| want == country)
    }

    /// The one zone the region lies in, when it has one: its area code's
    /// only zone, else its state's (every in-service area code of the state
    /// in the same zone). For reading the reference's epoch-instant times.
    pub(crate) fn single_zone(self) -> Option<TimeZoneId> {
        let mut zones = match (self.area_code, self.state) {
            (Some(code), _) => code.info().zones.iter().collect::<Vec<_>>(),
            (None, Some(state)) => (200..=999)
                .filter_map(|code| AreaCode::new(code).ok())
                .map(AreaCode::info)
                .filter(|info| info.in_service && info.serves_state(state))
                .flat_map(|info| info.zones.iter())
                .collect(),
            (None, None) => return None,
        };
        zones.sort();
        zones.dedup();
        match zones[..] {
            [zone] => Some(zone),
            _ => None,
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(code) = self.area_code {
            parts.push(format!("area code {code}"));
        }
        if let Some(state) = self.state {
            parts.push(format!("state {state}"));
        }
        if let Some(country) = self.country {
            parts.push(format!("country {country}"));
        }
        f.write_str(&parts.join(", "))
    }
}

/// A policy as given to create: everything but its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NewPolicy {
    /// The days it covers.
    pub day: DayRule,
    /// Where it applies.
    pub region: Region,
    /// Numbers it covers are not dialed at all on its days.
    pub do_not_dial: bool,
    /// No message is left for numbers it covers.
    pub do_not_leave_message: bool,
    /// The local hours in which dialing may start; `None` is the whole day.
    pub window: Option<Window>,
}

impl NewPolicy {
    /// A policy for `day` in `region` that allows dialing all day and
    /// leaving messages; set the fields to restrict it.
    pub fn new(day: DayRule, region: Region) -> NewPolicy {
        NewPolicy {
            day,
            region,
            do_not_dial: false,
            do_not_leave_message: false,
            window: None,
        }
    }
}

/// A stored policy of a dialing profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Policy {
    /// Its id (unique in the engine).
    pub id: PolicyId,
    /// What it says.
    pub rule: NewPolicy,
}

impl Policy {
    /// The hours in which dialing may start on its days (`WHOLE_DAY` when
    /// it has no window).
    #[inline]
    pub fn window(&self) -> Window {
        self.rule.window.unwrap_or(Window::WHOLE_DAY)
    }
}

/// A change to a policy (the reference's "Update Dialing Policy"): `None`
/// leaves a field as it is. `clear_area_code` removes the area code so the
/// policy covers the whole state; `clear_time_range` removes the window. The
/// result must still be a valid policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PolicyUpdate {
    /// A new day rule.
    pub day: Option<DayRule>,
    /// A new `doNotDial`.
    pub do_not_dial: Option<bool>,
    /// A new `doNotLeaveMessage`.
    pub do_not_leave_message: Option<bool>,
    /// A new country.
    pub country: Option<Country>,
    /// A new state.
    pub state: Option<StateCode>,
    /// A new area code.
    pub area_code: Option<AreaCode>,
    /// A new start of the window (the end stays, or is 24:00).
    pub start: Option<TimeOfDay>,
    /// A new end of the window (the start stays, or is 00:00).
    pub end: Option<TimeOfDay>,
    /// Remove the area code.
    pub clear_area_code: bool,
    /// Remove the window.
    pub clear_time_range: bool,
}

impl PolicyUpdate {
    /// `policy` with this change applied, validated as a new policy.
    pub(crate) fn apply(&self, policy: &NewPolicy) -> Result<NewPolicy, DncError> {
        let region = policy.region;
        let area_code = if self.clear_area_code {
            None
        } else {
            self.area_code.or(region.area_code)
        };
        let region = Region::new(
            self.country.or(region.country),
            self.state.or(region.state),
            area_code,
        )?;
        let window = if self.clear_time_range {
            None
        } else if self.start.is_none() && self.end.is_none() {
            policy.window
        } else {
            let old = policy.window.unwrap_or(Window::WHOLE_DAY);
            Some(Window::new(
                self.start.unwrap_or(old.start),
                self.end.unwrap_or(old.end),
            )?)
        };
        Ok(NewPolicy {
            day: self.day.unwrap_or(policy.day),
            region,
            do_not_dial: self.do_not_dial.unwrap_or(policy.do_not_dial),
            do_not_leave_message: self
                .do_not_leave_message
                .unwrap_or(policy.do_not_leave_message),
            window,
        })
    }
}

/// A dialing profile as given to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewProfile {
    /// The owning client; `None` for a system-wide profile every client may
    /// use.
    pub client: Option<ClientId>,
    /// Display name (required, not blank).
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Whether it becomes its client's default (the previous default stops
    /// being one). Refused for a system-wide profile.
    pub client_default: bool,
    /// Its policies, in order.
    pub policies: Vec<NewPolicy>,
}

/// A stored dialing profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialingProfile {
    /// Its id.
    pub id: ProfileId,
    /// The owning client; `None` for a system-wide profile.
    pub client: Option<ClientId>,
    /// Display name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Whether it is its client's default.
    pub client_default: bool,
    /// The services it is assigned to, ascending.
    pub services: Vec<ServiceId>,
    /// Its policies, in the order they were added.
    pub policies: Vec<Policy>,
}

impl DialingProfile {
    /// Whether `scope` sees it: a client sees its own profiles and the
    /// system-wide ones; no scope (the system) sees all.
    pub(crate) fn visible_to(&self, scope: Option<ClientId>) -> bool {
        scope.is_none() || self.client.is_none() || self.client == scope
    }
}
