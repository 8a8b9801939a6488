//! Which registry a set of numbers is: the US national registry (FTC), the
//! Canadian national list (CRTC), or one of the eleven state lists.

use std::fmt;

use crate::error::DncError;
use crate::geo::StateCode;

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

impl fmt::Display for RegistrySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistrySource::UsNational => f.write_str("US_NATIONAL"),
            RegistrySource::CaNational => f.write_str("CA_NATIONAL"),
            RegistrySource::State(state) => write!(f, "STATE_{}", state.as_str()),
        }
    }
}
