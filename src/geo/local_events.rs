//! The instants at which a rule over local wall-clock time can change its
//! answer, and the search for the first of them at which it allows.
//!
//! A rule that depends only on the local date, the local time of day and
//! the zone's offset (a dialing profile's hours, a calling law's windows,
//! its Sunday and holiday bans) changes its answer only at a local midnight,
//! at one of a known set of local times (its windows' starts) or at a change
//! of offset. The first allowed instant is therefore the first of those
//! instants at which it allows, which is what [`first_instant_after`] tries.

use jiff::tz::AmbiguousOffset;
use jiff::{SignedDuration, Timestamp};
use smallvec::SmallVec;

use crate::geo::TimeZoneId;
use crate::values::clock::TimeOfDay;

/// How far ahead the next-allowed searches look: eight days, a whole
/// week of local days from any instant, plus a day for zone offsets.
pub const NEXT_ALLOWED_HORIZON: SignedDuration = SignedDuration::from_hours(8 * 24);

/// The first instant after `at`, within [`NEXT_ALLOWED_HORIZON`], at which
/// `allows` holds, trying every local midnight, every local time of
/// `starts` and every offset change in each of `zones`; `None` when none
/// does. `starts` must hold every local time at which the rule's answer can
/// turn from refused to allowed (midnight is always tried).
pub(crate) fn first_instant_after(
    at: Timestamp,
    zones: &[TimeZoneId],
    starts: &[TimeOfDay],
    allows: impl Fn(Timestamp) -> bool,
) -> Option<Timestamp> {
    let horizon = at.checked_add(NEXT_ALLOWED_HORIZON).ok()?;
    let mut starts: SmallVec<[TimeOfDay; 8]> = starts.iter().copied().collect();
    starts.push(TimeOfDay::MIDNIGHT);
    starts.sort_unstable();
    starts.dedup();
        // Every event before `untried` has been tried (and `at` itself).
        // The first two local days hold nearly every answer, so they are
        // tried first; the rest of the horizon (local days up to 9 cover
        // `at` + 8 days in any zone) only when they hold none.
        let mut untried = at;
        let mut events: SmallVec<[Timestamp; 64]> = SmallVec::new();
        for last_day in [2, 10] {
            events.clear();
            let mut complete = horizon;
            for zone in zones {
                let tz = zone.time_zone();
                events.extend(
                    tz.following(at)
                        .map(|transition| transition.timestamp())
                        .take_while(|&instant| instant <= horizon),
                );
                let first_day = tz.to_datetime(at).date();
                let date_at = |day: i64| first_day.checked_add(jiff::Span::new().days(day)).ok();
                for date in (0..last_day).filter_map(date_at) {
                    for time in starts.iter().filter_map(|start| start.to_civil()) {
                        let ambiguous = tz.to_ambiguous_timestamp(date.to_datetime(time));
                        // A time skipped by a gap first occurs at the gap's
                        // end: the offset change, already an event.
                        match ambiguous.offset() {
                            AmbiguousOffset::Gap { .. } => {}
                            AmbiguousOffset::Unambiguous { .. } => {
                                events.extend(ambiguous.earlier())
                            }
                            AmbiguousOffset::Fold { .. } => {
                                events.extend(ambiguous.earlier());
                                events.extend(ambiguous.later());
                            }
                        }
                    }
                }
                // This zone's events are known up to its next local midnight.
                if last_day < 10 {
                    if let Some(end) = date_at(last_day).and_then(|date| {
                        tz.to_ambiguous_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
                            .earlier()
                            .ok()
                    }) {
                        complete = complete.min(end);
                    }
                }
            }
            // This pass tries [untried, complete): `complete` itself (the
            // next local midnight of some zone) may be an event of the next
            // pass's days, and is tried there.
            let last_pass = complete >= horizon;
            events.retain(|instant| {
                at < *instant
                    && untried <= *instant
                    && (*instant < complete || (last_pass && *instant <= horizon))
            });
            events.sort_unstable();
            events.dedup();
            if let Some(found) = events.iter().copied().find(|&instant| allows(instant)) {
                return Some(found);
            }
            if last_pass {
                return None;
            }
            untried = complete;
        }
        None
    
}
