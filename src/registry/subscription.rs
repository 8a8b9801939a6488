//! A client's subscription to a registry: which registry, and which of its
//! area codes the client obtained (the FTC and the CRTC sell access by area
//! code: "single, several or all area codes", lnnte-dncl.gc.ca
//! "hntr-hnrt-eng"; DNC.com's scrub code `B`, "number is in an area code
//! not covered by the National Subscription", project regulations notes,
//! section 1.1).

use std::collections::BTreeSet;
use std::fmt;

use crate::geo::AreaCode;
use crate::registry::source::RegistrySource;

/// The area codes a subscription covers.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SubscribedAreaCodes {
    /// Every area code of the registry.
    All,
    /// Only these.
    Only(BTreeSet<AreaCode>),
}

impl SubscribedAreaCodes {
    /// Whether `area_code` is covered.
    #[inline]
    pub fn covers(&self, area_code: AreaCode) -> bool {
        match self {
            SubscribedAreaCodes::All => true,
            SubscribedAreaCodes::Only(codes) => codes.contains(&area_code),
        }
    }
}

/// A client's subscription to one registry.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Subscription {
    /// The registry.
    pub source: RegistrySource,
    /// The area codes the client obtained.
    pub area_codes: SubscribedAreaCodes,
}

impl Subscription {
    /// A subscription to every area code of `source`.
    pub fn all(source: RegistrySource) -> Subscription {
        Subscription {
            source,
            area_codes: SubscribedAreaCodes::All,
        }
    }

    /// A subscription to `area_codes` of `source`.
    pub fn only(
        source: RegistrySource,
        area_codes: impl IntoIterator<Item = AreaCode>,
    ) -> Subscription {
        Subscription {
            source,
            area_codes: SubscribedAreaCodes::Only(area_codes.into_iter().collect()),
        }
    }
}

impl fmt::Display for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        match &self.area_codes {
            SubscribedAreaCodes::All => f.write_str(" (all area codes)"),
            SubscribedAreaCodes::Only(codes) => {
                f.write_str(" (area codes")?;
                for code in codes {
                    write!(f, " {code}")?;
                }
                f.write_str(")")
            }
        }
    }
}
