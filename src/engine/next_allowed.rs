//! When a refused contact may next be made: the first instant at which
//! every refusal of a dial decision has lapsed. A refusal that only a
//! change lifts (a legacy entry, an account flag, an entry without
//! expiration, a registry) never lapses: no instant. The others lapse at
//! known instants (a channel entry's expiration) or where the time rules
//! next allow (the profile's hours and the calling laws).

use jiff::Timestamp;
use smallvec::SmallVec;

use crate::attempts::AttemptRule;
use crate::attempts::answer::CapContact;
use crate::channel::Channel;
use crate::dialing::decision::DialDecision;
use crate::dialing::hours::TimeRules;
use crate::engine::Engine;
use crate::geo::TimeZoneId;
use crate::geo::local_events::first_instant_after;
use crate::law::LawPlace;
use crate::law::answer as law;
use crate::values::clock::TimeOfDay;

/// How many times the search alternates between the caps and the time
/// rules before it gives up (`None`): far more than any history needs
/// (each round passes at least one attempt's lapse or one local day).
const MAX_ROUNDS: usize = 10_000;

impl Engine {
    /// The first instant from `at` at which every refusal of `decision`
    /// has lapsed (see [`DialDecision::next_allowed`]).
    pub(crate) fn next_allowed(
        &self,
        decision: &DialDecision,
        rules: &TimeRules<'_>,
        law_places: &[LawPlace],
        caps: Option<(&CapContact<'_>, &[AttemptRule])>,
        at: Timestamp,
    ) -> Option<Timestamp> {
        if !decision.dnc.entries().is_empty()
            || decision.dnc.flags().any()
            || decision.registries.refuses()
        {
            return None;
        }
        let mut from = at.as_millisecond();
        for &id in decision.dnc.dialtime_entries() {
            from = from.max(self.channels.blocks_until(Channel::Dialtime, id)?);
        }
        if let Some(sms) = &decision.sms {
            for &id in sms.entries() {
                from = from.max(self.channels.blocks_until(Channel::Sms, id)?);
            }
        }
        let mut from = Timestamp::from_millisecond(from).ok()?;
        // The caps lapse at their own instants, the time rules at theirs:
        // alternate until one instant suits both. Each step only moves
        // later, and past the last attempt's reach every cap allows.
        for _ in 0..MAX_ROUNDS {
            let caps_from = match caps {
                Some((contact, attempt_rules)) => {
                    contact.first_allowed_from(attempt_rules, from)?
                }
                None => from,
            };
            let time_from = first_time_allowed(rules, law_places, caps_from)?;
            if time_from == caps_from {
                return Some(time_from);
            }
            from = time_from;
        }
        None
    }
}

/// The first instant from `from` at which the profile's hours and the
/// calling laws both allow the contact, within the search horizon.
fn first_time_allowed(
    rules: &TimeRules<'_>,
    law_places: &[LawPlace],
    from: Timestamp,
) -> Option<Timestamp> {
    let allows = |instant| rules.allows(instant) && law::allows(law_places, instant);
    if allows(from) {
        return Some(from);
    }
    let mut starts: SmallVec<[TimeOfDay; 8]> = SmallVec::new();
    rules.push_starts(&mut starts);
    law::push_starts(law_places, &mut starts);
    let mut zones: SmallVec<[TimeZoneId; 8]> = rules.zones().collect();
    zones.extend(law_places.iter().map(|place| place.zone));
    zones.sort_unstable();
    zones.dedup();
    first_instant_after(from, &zones, &starts, allows)
}
