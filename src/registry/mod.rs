//! The national and state Do-Not-Call registries:
//! a registry copy's numbers, compact ([`Registry`], 0.88 bytes a number at
//! a synthetic registry of the US registry's 253 million), the published
//! flat formats ([`parse_full_list`], [`parse_change_list`]), full loads and
//! change lists; the clients' subscriptions ([`Subscription`]) and
//! exemptions ([`Exemption`]); the check that applies the 31-day rule
//! ([`FRESH_FOR`]) and answers a [`RegistryVerdict`].
//!
//! The part reads no file: the host gives the bytes and the instants.

pub(crate) mod binary;
pub(crate) mod build;
pub(crate) mod exemption;
pub(crate) mod list;
pub(crate) mod numbers;
pub(crate) mod parse;
#[cfg(feature = "serde")]
pub(crate) mod snapshot;
pub(crate) mod source;
pub(crate) mod store;
pub(crate) mod subscription;
pub(crate) mod verdict;

pub use exemption::{Exemption, ExemptionKind, ExemptionSubject, ExemptionUsed};
pub use list::{ChangeOutcome, Registry, RegistryAnswer};
pub use parse::{Change, ChangeLayout, ChangeMark, parse_change_list, parse_full_list};
#[cfg(feature = "serde")]
pub use snapshot::{ExemptionRecord, RegistryCopyRecord, SubscriptionRecord};
pub use source::{RegistrySource, STATE_LISTS};
pub use subscription::{SubscribedAreaCodes, Subscription};
pub use verdict::{FRESH_FOR, RegistryCheck, RegistryStatus, RegistryVerdict};
