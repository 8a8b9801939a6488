//! The validated values: each type's constructor is the only place a rule
//! about that value lives (what a phone, an account, a zip, an email, an id
//! an expiration or a time of day may be), with the invariant in its doc comment.

pub(crate) mod account;
pub(crate) mod clock;
pub(crate) mod email;
pub(crate) mod expiration;
pub(crate) mod flags;
pub(crate) mod ids;
pub(crate) mod packed;
pub(crate) mod phone;
pub(crate) mod zip;
