//! The dialing-profile model: days, times of day, regions, policies
//! and profiles, each validated when made.

use std::fmt;

use jiff::civil::Weekday;

use crate::error::DncError;
use crate::geo::{AreaCode, Country, StateCode, TimeZoneId};
use crate::values::clock::{TimeOfDay, Window};
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

/// The reference's epoch-instant form of a time of day (the type itself is a
/// value: `values/clock.rs`).
impl TimeOfDay {
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
}

/// Where a policy applies: a country, a state or province, an area code, or
/// a consistent combination. The most specific part decides its rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "RegionParts", into = "RegionParts")
)]
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
                self.start.unwrap_or(old.start()),
                self.end.unwrap_or(old.end()),
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

// Serialized as its text, parsed back through `parse`, so that a change
// read from a log is validated like a line typed by hand.
crate::values::packed::text_value!(DayRule);

/// A region as it travels: its three parts, checked by [`Region::new`] when
/// read back.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct RegionParts {
    country: Option<Country>,
    state: Option<StateCode>,
    area_code: Option<AreaCode>,
}

#[cfg(feature = "serde")]
impl From<Region> for RegionParts {
    fn from(region: Region) -> RegionParts {
        RegionParts {
            country: region.country,
            state: region.state,
            area_code: region.area_code,
        }
    }
}

#[cfg(feature = "serde")]
impl TryFrom<RegionParts> for Region {
    type Error = DncError;

    fn try_from(parts: RegionParts) -> Result<Region, DncError> {
        Region::new(parts.country, parts.state, parts.area_code)
    }
}
