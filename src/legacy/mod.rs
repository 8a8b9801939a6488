//! The legacy list: the reference's `isBlocked` entries (phone, account,
//! pair, zip; PERMANENT or DAILY; service- or client-wide) and the ACCOUNT
//! Do Not Dial flags, as a private engine the facade delegates to.

pub(crate) mod check;
pub(crate) mod client_index;
pub(crate) mod entry;
#[cfg(feature = "image")]
pub(crate) mod image;
pub(crate) mod list;
pub(crate) mod log;
pub(crate) mod ordered_ids;
pub(crate) mod pages;
pub(crate) mod pattern_index;
pub(crate) mod phone_store;
pub(crate) mod postings;
#[cfg(feature = "serde")]
pub(crate) mod snapshot;
