//! What an applied change did: the value the change's method returns, so
//! that the host that took the change (the replay, a publisher that applies
//! locally) can answer its caller from the same application a follower
//! makes.

use crate::attempts::AttemptRule;
use crate::channels::migration::Migration;
use crate::channels::types::ChannelEntry;
use crate::dialing::profile::{DialingProfile, Policy};
use crate::legacy::entry::DncEntry;
use crate::legacy::list::AddManyOutcome;
use crate::page::BulkOutcome;
use crate::registry::{ChangeOutcome, RegistrySource};
use crate::values::flags::AccountFlags;
use crate::values::ids::{AttemptRuleId, EntryId, PolicyId, ProfileId};

/// What a [`Mutation`](crate::Mutation) did, variant by variant of the
/// method it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Effect {
    /// Done, with nothing to report (a registration, a setting, an
    /// assignment, a recorded attempt, a subscription, a full registry
    /// list given as numbers).
    Done,
    /// The id a legacy entry was given.
    Added(EntryId),
    /// What a bulk create of the legacy list added and refused.
    AddedMany(AddManyOutcome),
    /// The legacy entry removed.
    Removed(DncEntry),
    /// The account's flags now in force.
    Flags(AccountFlags),
    /// How many DAILY entries the nightly clear removed.
    Cleared(usize),
    /// What a switch of the phone DNC type carried over (nothing when the
    /// settings did not switch it).
    Migrated(Migration),
    /// The id a channel entry was given.
    ChannelCreated(EntryId),
    /// What a bulk create of a channel list created and refused.
    ChannelCreatedMany(BulkOutcome),
    /// The channel entry deleted.
    ChannelDeleted(ChannelEntry),
    /// The id a profile was given.
    ProfileCreated(ProfileId),
    /// The profile deleted.
    ProfileDeleted(DialingProfile),
    /// The id a policy was given.
    PolicyAdded(PolicyId),
    /// The policy removed.
    PolicyRemoved(Policy),
    /// How many numbers a registry list held.
    RegistryLoaded(usize),
    /// What a change list did to a registry copy.
    RegistryChanged(ChangeOutcome),
    /// The copy now in place: its source and how many numbers it holds.
    RegistryPut {
        /// The registry.
        source: RegistrySource,
        /// Its numbers.
        numbers: usize,
    },
    /// Whether an unsubscribe, an exemption's add or remove found
    /// something to change (an exemption's add: whether it was kept).
    Changed(bool),
    /// The id an attempt rule was given.
    AttemptRuleAdded(AttemptRuleId),
    /// The attempt rule removed.
    AttemptRuleRemoved(AttemptRule),
    /// How many attempts a trim dropped.
    Trimmed(usize),
}
