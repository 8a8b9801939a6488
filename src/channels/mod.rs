//! The channel lists: the dialtime, SMS and email lists with their
//! expirations, contact groups and per-client settings, as a private engine
//! the facade delegates to.

pub(crate) mod list;
pub(crate) mod migration;
#[cfg(feature = "serde")]
pub(crate) mod snapshot;
pub(crate) mod state;
pub(crate) mod types;
