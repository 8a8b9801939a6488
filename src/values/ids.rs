//! Integer ids: entries, clients and services.

use std::fmt;
use std::num::NonZeroU64;

use crate::error::DncError;

/// The largest id the engine accepts: ids are positive integers that fit in 63
/// bits, so that every id survives a round trip through a signed 64-bit column.
pub const MAX_ID: u64 = i64::MAX as u64;

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        ///
        /// Invariant: `1 <= id <= 2^63 - 1`; [`Self::new`] and [`Self::parse`]
        /// are the only ways to make one.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(try_from = "u64", into = "u64"))]
        // NonZero, so that `Option<$name>` costs no more than the id itself.
        pub struct $name(NonZeroU64);

        impl $name {
            /// Checks that `id` is positive and fits in 63 bits.
            pub fn new(id: u64) -> Result<Self, DncError> {
                match NonZeroU64::new(id) {
                    Some(id) if id.get() <= MAX_ID => Ok(Self(id)),
                    _ => Err(DncError::InvalidId { kind: $kind, value: id.to_string() }),
                }
            }

            /// Parses a string of ASCII digits (the reference's examples send ids
            /// as strings too). Signs, spaces and fractions are refused.
            pub fn parse(text: &str) -> Result<Self, DncError> {
                let refused = || DncError::InvalidId { kind: $kind, value: text.to_owned() };
                if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(refused());
                }
                let id: u64 = text.parse().map_err(|_| refused())?;
                Self::new(id).map_err(|_| refused())
            }

            /// An id the engine stored after validating it: skips the range
            /// check (and the error it would build) on the hot path.
            #[allow(dead_code)]
            #[inline]
            pub(crate) fn from_stored(id: u64) -> Self {
                debug_assert!(id <= MAX_ID);
                Self(NonZeroU64::new(id).expect("stored ids are positive"))
            }

            /// The id as an integer.
            pub fn get(self) -> u64 {
                self.0.get()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl TryFrom<u64> for $name {
            type Error = DncError;
            fn try_from(id: u64) -> Result<Self, DncError> {
                Self::new(id)
            }
        }

        impl From<$name> for u64 {
            fn from(id: $name) -> u64 {
                id.0.get()
            }
        }
    };
}

define_id!(
    /// Identifies a DNC entry; unique in the engine.
    EntryId,
    "entry"
);
define_id!(
    /// Identifies a client's attempt rule (a limit on contact attempts);
    /// unique in the engine, never reused.
    AttemptRuleId,
    "attempt rule"
);
define_id!(
    /// Identifies a client (a tenant).
    ClientId,
    "client"
);
define_id!(
    /// Identifies a service; every service belongs to exactly one client.
    ServiceId,
    "service"
);
define_id!(
    /// Identifies a contact group of a client: a group of services
    /// whose channel entries apply only to them.
    ContactGroupId,
    "contact group"
);
define_id!(
    /// Identifies a dialing profile; unique in the engine.
    ProfileId,
    "profile"
);
define_id!(
    /// Identifies a policy of a dialing profile; unique in the engine.
    PolicyId,
    "policy"
);
