//! Evaluation of a dialing profile at an instant: the callee's
//! local time in every zone the number may be in, the most specific policy,
//! the conservative reading over several zones, and the next allowed instant.

use jiff::Timestamp;
use jiff::civil::DateTime;
use smallvec::SmallVec;

use crate::dialing::policy_index::PolicyIndex;
use crate::dialing::profile::Policy;
use crate::geo::local_events::first_instant_after;
use crate::geo::{AreaCode, Country, StateCode, TimeZoneId};
use crate::values::clock::{TimeOfDay, Window};
use crate::values::ids::PolicyId;

/// One place a callee may be: an area code (for a phone), a state and
/// country (when known), and one time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Place {
    /// The area code dialed; `None` for a ZIP's place.
    pub area_code: Option<AreaCode>,
    /// The state or province, when known.
    pub state: Option<StateCode>,
    /// The country.
    pub country: Country,
    /// The time zone.
    pub zone: TimeZoneId,
}

/// What decided the hours at a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HoursRule {
    /// No policy of the profile covers the place on its local day: the
    /// standard 08:00–21:00.
    Standard,
    /// The most specific policies covering the place and day; this one is
    /// the first of them that blocks (or the first of them when none blocks).
    Policy(PolicyId),
}

/// The time rules' answer at one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PlaceAnswer {
    /// Where.
    pub place: Place,
    /// The local wall-clock time there.
    pub local: DateTime,
    /// What decided.
    pub rule: HoursRule,
    /// Dialing may start now (no `doNotDial`, inside every deciding window).
    pub may_dial: bool,
    /// The deciding policies say `doNotDial`.
    pub do_not_dial: bool,
    /// The window that applies: the intersection of the deciding policies'
    /// (empty, `start == end`, when they do not overlap); the standard hours
    /// for [`HoursRule::Standard`].
    pub window: Window,
    /// A message may be left: dialing may start and no deciding policy says
    /// `doNotLeaveMessage`.
    pub may_leave_message: bool,
}

/// The time rules' answer for a call: every place must allow it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoursAnswer {
    /// One answer per place the callee may be in (several when the zone or
    /// state cannot be narrowed to one, or a ZIP's place is added). Up to
    /// four are held inline.
    pub places: SmallVec<[PlaceAnswer; 4]>,
    /// The first instant at or after the asked one, within
    /// [`NEXT_ALLOWED_HORIZON`](crate::NEXT_ALLOWED_HORIZON), at which every place allows dialing to start;
    /// `None` when there is none in that horizon (a `doNotDial` every day).
    pub next_allowed: Option<Timestamp>,
}

impl HoursAnswer {
    /// Dialing may start now at every place.
    #[inline]
    pub fn may_dial(&self) -> bool {
        self.places.iter().all(|place| place.may_dial)
    }

    /// A message may be left at every place.
    #[inline]
    pub fn may_leave_message(&self) -> bool {
        self.places.iter().all(|place| place.may_leave_message)
    }

    /// The places that block dialing now.
    pub fn blocking(&self) -> impl Iterator<Item = &PlaceAnswer> {
        self.places.iter().filter(|place| !place.may_dial)
    }
}

/// The rules of one profile for one set of places.
pub(crate) struct TimeRules<'a> {
    policies: &'a [Policy],
    /// `policies` by region ([`PolicyIndex::build`] of them).
    index: &'a PolicyIndex,
    places: &'a [Place],
}

impl<'a> TimeRules<'a> {
    /// The rules of `policies` (indexed by `index`) for `places`.
    pub(crate) fn new(
        policies: &'a [Policy],
        index: &'a PolicyIndex,
        places: &'a [Place],
    ) -> TimeRules<'a> {
        TimeRules {
            policies,
            index,
            places,
        }
    }

    /// The answer at `at`, with the next allowed instant.
    pub(crate) fn answer(&self, at: Timestamp) -> HoursAnswer {
        let places: SmallVec<[PlaceAnswer; 4]> = self
            .places
            .iter()
            .map(|place| evaluate_place(self.policies, self.index, place, at))
            .collect();
        let next_allowed = if places.iter().all(|place| place.may_dial) {
            Some(at)
        } else {
            self.next_allowed_after(at)
        };
        HoursAnswer {
            places,
            next_allowed,
        }
    }

    /// Whether every place allows dialing to start at `at`.
    pub(crate) fn allows(&self, at: Timestamp) -> bool {
        self.places
            .iter()
            .all(|place| evaluate_place(self.policies, self.index, place, at).may_dial)
    }

    /// The first instant after `at` (which is blocked) at which every place
    /// allows dialing. Whether a place allows changes only at a local
    /// midnight (the day's policies change), at a window's start, or at a
    /// change of offset ([`first_instant_after`]).
    fn next_allowed_after(&self, at: Timestamp) -> Option<Timestamp> {
        let mut starts: SmallVec<[TimeOfDay; 8]> = SmallVec::new();
        self.push_starts(&mut starts);
        let mut zones: SmallVec<[TimeZoneId; 4]> =
            self.places.iter().map(|place| place.zone).collect();
        zones.sort_unstable();
        zones.dedup();
        first_instant_after(at, &zones, &starts, |instant| self.allows(instant))
    }

    /// The zones of the places.
    pub(crate) fn zones(&self) -> impl Iterator<Item = TimeZoneId> + '_ {
        self.places.iter().map(|place| place.zone)
    }

    /// The local times at which a window of the rules may open: midnight,
    /// the standard start, and the start of every policy that can cover
    /// one of the places (a superset of the deciding ones is enough: an
    /// instant that is no event lies in a stretch that starts at one).
    pub(crate) fn push_starts(&self, starts: &mut SmallVec<[TimeOfDay; 8]>) {
        starts.push(TimeOfDay::MIDNIGHT);
        starts.push(Window::STANDARD.start());
        for place in self.places {
            for positions in self
                .index
                .candidates(place.area_code, place.state, place.country)
            {
                starts.extend(positions.iter().filter_map(|&position| {
                    self.policies[position as usize]
                        .rule
                        .window
                        .map(|window| window.start())
                }));
            }
        }
    }
}

/// The answer at one place: its local time, the most specific policies that
/// cover it on its local day, and what they say.
///
/// The region's rank decides first (area code over state over
/// country), then the day's. The index holds each policy under the most
/// specific part of its region, so the first of the place's three buckets
/// (area code, state, country) with a covering policy holds every policy
/// of the best region rank; only the policies that can apply are read.
#[inline]
pub(crate) fn evaluate_place(
    policies: &[Policy],
    index: &PolicyIndex,
    place: &Place,
    at: Timestamp,
) -> PlaceAnswer {
    let local = place.zone.time_zone().to_datetime(at);
    let day = local.weekday();
    let time = TimeOfDay::of(local.time());
    // One pass per bucket: the most specific day seen so far, and what the
    // policies of that day rank say together (equally specific policies:
    // the most restrictive answer wins, so every one of them must allow).
    let mut best = 0;
    let mut do_not_dial = false;
    let mut no_message = false;
    let mut start = TimeOfDay::MIDNIGHT;
    let mut end = TimeOfDay::END_OF_DAY;
    let mut first = None;
    let mut first_blocking = None;
    for positions in index.candidates(place.area_code, place.state, place.country) {
        // Positions ascend: the profile's order decides the reported policy.
        for &position in positions {
            let policy = &policies[position as usize];
            let rule = &policy.rule;
            if !rule.day.covers(day)
                || !rule
                    .region
                    .covers(place.area_code, place.state, place.country)
            {
                continue;
            }
            let rank = rule.day.specificity();
            if rank < best {
                continue;
            }
            if rank > best {
                best = rank;
                (do_not_dial, no_message) = (false, false);
                (start, end) = (TimeOfDay::MIDNIGHT, TimeOfDay::END_OF_DAY);
                (first, first_blocking) = (None, None);
            }
            first.get_or_insert(policy.id);
            let window = policy.window();
            if rule.do_not_dial || !window.contains(time) {
                first_blocking.get_or_insert(policy.id);
            }
            do_not_dial |= rule.do_not_dial;
            no_message |= rule.do_not_leave_message;
            start = start.max(window.start());
            end = end.min(window.end());
        }
        if first.is_some() {
            break;
        }
    }
    let Some(first) = first else {
        let may_dial = Window::STANDARD.contains(time);
        return PlaceAnswer {
            place: *place,
            local,
            rule: HoursRule::Standard,
            may_dial,
            do_not_dial: false,
            window: Window::STANDARD,
            may_leave_message: may_dial,
        };
    };
    let may_dial = first_blocking.is_none();
    PlaceAnswer {
        place: *place,
        local,
        rule: HoursRule::Policy(first_blocking.unwrap_or(first)),
        may_dial,
        do_not_dial,
        window: Window::intersection(start, end),
        may_leave_message: may_dial && !no_message,
    }
}
