//! Which registry a set of numbers is: the US national registry (FTC), the
//! Canadian national list (CRTC), or one of the eleven state lists.

use std::fmt;

use crate::error::DncError;
use crate::geo::{AreaCode, Country, StateCode};

/// The states that keep a Do-Not-Call list of their own, to be bought and
/// scrubbed besides the national registry: Colorado, Florida, Indiana,
/// Louisiana, Massachusetts, Missouri, Oklahoma, Pennsylvania, Tennessee,
/// Texas, Wyoming (compliancepoint.com "State Do Not Call lists" and
/// wipfli.com, as gathered in the project's regulations notes, section 2;
/// older lists add Mississippi, which is not taken without a current
/// source).
pub const STATE_LISTS: [&str; 11] = [
    "CO", "FL", "IN", "LA", "MA", "MO", "OK", "PA", "TN", "TX", "WY",
];

/// The source of a registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RegistrySource {
    /// The US National Do Not Call Registry (FTC; 16 CFR 310.4(b)(1)(iii)(B)).
    UsNational,
    /// The Canadian National Do Not Call List (CRTC; Unsolicited
    /// Telecommunications Rules, Part II).
    CaNational,
    /// A state's own list (one of [`STATE_LISTS`]).
    State(StateCode),
}

impl RegistrySource {
    /// `US_NATIONAL`, `CA_NATIONAL` or `STATE_XX` (`STATE_CO`, `STATE_FL`,
    /// … one of [`STATE_LISTS`]).
    pub fn parse(text: &str) -> Result<RegistrySource, DncError> {
        let refused = |reason| DncError::InvalidRegistry {
            line: None,
            value: text.to_owned(),
            reason,
        };
        match text {
            "US_NATIONAL" => Ok(RegistrySource::UsNational),
            "CA_NATIONAL" => Ok(RegistrySource::CaNational),
            _ => {
                let state = text.strip_prefix("STATE_").ok_or(refused(
                    "expected US_NATIONAL, CA_NATIONAL or STATE_ and a state with a list",
                ))?;
                if !STATE_LISTS.contains(&state) {
                    return Err(refused(
                        "no list of that state is known: CO, FL, IN, LA, MA, MO, OK, PA, TN, TX, WY",
                    ));
                }
                let state = StateCode::parse(state).map_err(|_| refused("not a state code"))?;
                Ok(RegistrySource::State(state))
            }
        }
    }
}

impl RegistrySource {
    /// Whether this registry may cover `code`: the US registry a US area
    /// code (territories included), the Canadian list a Canadian one, each
    /// also a non-geographic code (toll-free, 5XX: no place, so no
    /// country's list can be ruled out); a state's list any area code (its
    /// residents keep the numbers they moved with). A copy is refused an
    /// area code it may not cover, so that a Canadian list loaded as
    /// `US_NATIONAL` by mistake is an error, not a copy whose numbers no
    /// check ever consults.
    pub fn may_cover(self, code: AreaCode) -> bool {
        let country = code.info().country;
        match self {
            RegistrySource::UsNational => matches!(country, Country::Usa | Country::None),
            RegistrySource::CaNational => matches!(country, Country::Canada | Country::None),
            RegistrySource::State(_) => true,
        }
    }

    /// The refusal of an area code this registry may not cover.
    pub(crate) fn foreign(self, code: AreaCode, line: Option<u64>) -> DncError {
        DncError::InvalidRegistry {
            line,
            value: format!("area code {code}"),
            reason: match self {
                RegistrySource::CaNational => {
                    "not a Canadian area code: the CA_NATIONAL list covers Canada's (is this another country's list?)"
                }
                _ => {
                    "not a US area code: the US_NATIONAL registry covers the US's (is this another country's list?)"
                }
            },
        }
    }
}

impl fmt::Display for RegistrySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistrySource::UsNational => f.write_str("US_NATIONAL"),
            RegistrySource::CaNational => f.write_str("CA_NATIONAL"),
            RegistrySource::State(state) => write!(f, "STATE_{}", state.as_str()),
        }
    }
}

// Serialized as its text, parsed back through `parse`, so that a change
// read from a log is validated like a line typed by hand.
crate::values::packed::text_value!(RegistrySource);
