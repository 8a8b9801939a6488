//! What the registries say of one contact: a check per registry that
//! applies to the number, each with the copy it used (the version the
//! five-year record asks for, 16 CFR 310.4(b)(3)(iv)) and the exemption
//! that lifted it, if one did.

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use smallvec::SmallVec;

use crate::geo::AreaCode;
use crate::registry::exemption::ExemptionUsed;
use crate::registry::source::RegistrySource;

/// How old a registry copy may be at a call: "a version of the National Do
/// Not Call Registry obtained from the Commission no more than thirty-one
/// (31) days prior to the date any call is made" (16 CFR 310.4(b)(3)(iv);
/// 69 FR 16367); the CRTC's rules say the same of the National DNCL
/// (lnnte-dncl.gc.ca/ind/faqs-eng). Read as 31 × 24 hours between the
/// instant the copy was obtained and the instant of the check: stricter than
/// counting calendar dates, never looser.
pub const FRESH_FOR: SignedDuration = SignedDuration::from_hours(31 * 24);

/// What one registry says of the number, and whether it may be relied on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegistryStatus {
    /// Not listed, in a copy fresh at the check.
    NotListed {
        /// When the area code's copy was obtained.
        obtained: Timestamp,
    },
    /// Listed, in a copy fresh at the check.
    Listed {
        /// When the area code's copy was obtained.
        obtained: Timestamp,
    },
    /// The area code's copy is more than [`FRESH_FOR`] older than the
    /// check: it cannot be relied on, listed or not.
    Stale {
        /// When the area code's copy was obtained.
        obtained: Timestamp,
        /// Whether that copy lists the number.
        listed: bool,
    },
    /// The area code's copy was obtained after the check's instant: it is
    /// no version obtained "prior to the date any call is made" (a check
    /// of a past instant, or an instant mistyped when the copy was built),
    /// so it cannot be relied on, listed or not.
    AfterCheck {
        /// When the area code's copy was obtained.
        obtained: Timestamp,
        /// Whether that copy lists the number.
        listed: bool,
    },
    /// The client subscribes to the area code, but no copy the engine holds
    /// covers it.
    NotCovered,
    /// The registry applies to the number, but the client's subscription
    /// does not cover its area code.
    NotSubscribed,
}

impl RegistryStatus {
    /// Whether the status alone refuses the contact (everything but a fresh
    /// "not listed": the conservative answer).
    pub fn refuses(self) -> bool {
        !matches!(self, RegistryStatus::NotListed { .. })
    }

    /// When the copy used was obtained, if one was.
    pub fn obtained(self) -> Option<Timestamp> {
        match self {
            RegistryStatus::NotListed { obtained }
            | RegistryStatus::Listed { obtained }
            | RegistryStatus::Stale { obtained, .. }
            | RegistryStatus::AfterCheck { obtained, .. } => Some(obtained),
            RegistryStatus::NotCovered | RegistryStatus::NotSubscribed => None,
        }
    }

    /// The stable code of the status: `not_listed`, `listed`, `stale_copy`,
    /// `copy_after_check`, `not_covered`, `not_subscribed`.
    pub fn code(self) -> &'static str {
        match self {
            RegistryStatus::NotListed { .. } => "not_listed",
            RegistryStatus::Listed { .. } => "listed",
            RegistryStatus::Stale { .. } => "stale_copy",
            RegistryStatus::AfterCheck { .. } => "copy_after_check",
            RegistryStatus::NotCovered => "not_covered",
            RegistryStatus::NotSubscribed => "not_subscribed",
        }
    }
}

/// One registry's answer for a contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryCheck {
    /// The registry.
    pub source: RegistrySource,
    /// The number's area code.
    pub area_code: AreaCode,
    /// What the registry says.
    pub status: RegistryStatus,
    /// The exemption in force that lifts a refusing status (looked up only
    /// then; the one that lapses last).
    pub exemption: Option<ExemptionUsed>,
}

impl RegistryCheck {
    /// Whether this check refuses the contact: its status refuses and no
    /// exemption lifts it.
    pub fn refuses(&self) -> bool {
        self.status.refuses() && self.exemption.is_none()
    }
}

impl fmt::Display for RegistryCheck {
    /// `US_NATIONAL listed in area code 212's copy of <instant>`, and the
    /// exemption that lifted it, if one did.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (source, area_code) = (self.source, self.area_code);
        match self.status {
            RegistryStatus::NotListed { obtained } => write!(
                f,
                "{source} not listed in area code {area_code}'s copy of {obtained}"
            )?,
            RegistryStatus::Listed { obtained } => write!(
                f,
                "{source} listed in area code {area_code}'s copy of {obtained}"
            )?,
            RegistryStatus::Stale { obtained, listed } => write!(
                f,
                "{source} area code {area_code}'s copy of {obtained} is more than 31 days old \
                 at the check ({}listed in it)",
                if listed { "" } else { "not " }
            )?,
            RegistryStatus::AfterCheck { obtained, listed } => write!(
                f,
                "{source} area code {area_code}'s copy of {obtained} was obtained after the \
                 check's instant ({}listed in it)",
                if listed { "" } else { "not " }
            )?,
            RegistryStatus::NotCovered => write!(
                f,
                "{source} area code {area_code} is subscribed but no copy covers it"
            )?,
            RegistryStatus::NotSubscribed => write!(
                f,
                "{source} applies to area code {area_code}, which the client's subscriptions do not cover"
            )?,
        }
        if let Some(used) = &self.exemption {
            write!(f, "; lifted by the {used}")?;
        }
        Ok(())
    }
}

/// Every registry check of a contact: one per subscribed registry that
/// applies to the number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegistryVerdict {
    /// The checks, by registry (national first, then the states).
    pub checks: SmallVec<[RegistryCheck; 2]>,
}

impl RegistryVerdict {
    /// Whether a registry refuses the contact.
    #[inline]
    pub fn refuses(&self) -> bool {
        self.checks.iter().any(RegistryCheck::refuses)
    }

    /// The checks that refuse the contact.
    pub fn refusing(&self) -> impl Iterator<Item = &RegistryCheck> + '_ {
        self.checks.iter().filter(|check| check.refuses())
    }

    /// The checks an exemption lifted.
    pub fn exempted(&self) -> impl Iterator<Item = &RegistryCheck> + '_ {
        self.checks.iter().filter(|check| check.exemption.is_some())
    }
}
