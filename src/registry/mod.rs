//! The national and state Do-Not-Call registries (issue 12, in progress):
//! a registry copy's numbers, compact ([`Registry`], 0.88 bytes a number at
//! a synthetic registry of the US registry's 253 million), the published flat formats
//! ([`parse_full_list`], [`parse_change_list`]), full loads and change
//! lists. Still to come: the clients' subscriptions and the 31-day rule,
//! exemptions, the registries in the dial decision and in `dnc scrub`, a
//! binary form to open from bytes.
//!
//! The part reads no file: the host gives the bytes and the instants.

pub(crate) mod list;
pub(crate) mod numbers;
pub(crate) mod parse;
pub(crate) mod source;

pub use list::{ChangeOutcome, Registry, RegistryAnswer};
pub use parse::{Change, ChangeLayout, ChangeMark, parse_change_list, parse_full_list};
pub use source::{RegistrySource, STATE_LISTS};
