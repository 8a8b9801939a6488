//! Dialing: the dialing profiles and their policies, the hours they allow at
//! a place, and where a dialed number may be.

pub(crate) mod decision;
pub(crate) mod hours;
pub(crate) mod policy_index;
pub(crate) mod profile;
pub(crate) mod profile_store;
#[cfg(feature = "serde")]
pub(crate) mod snapshot;
