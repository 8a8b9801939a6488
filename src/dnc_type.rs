//! Which list answers a client's phone checks (the reference's "Phone DNC
//! Type"). A leaf: the errors name it.

use std::fmt;
/// Which list answers a client's phone checks (the reference's
/// "Phone DNC Type").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PhoneDncType {
    /// The legacy entries answer phone checks, and legacy list management
    /// works; dialtime list management is refused.
    #[default]
    Legacy,
    /// The dialtime list answers phone checks, and its management works;
    /// legacy list management is refused.
    DialTime,
}

impl PhoneDncType {
    /// Parses `LEGACY` or `DIAL_TIME`.
    pub fn parse(text: &str) -> Option<PhoneDncType> {
        match text {
            "LEGACY" => Some(PhoneDncType::Legacy),
            "DIAL_TIME" => Some(PhoneDncType::DialTime),
            _ => None,
        }
    }

    /// `LEGACY` or `DIAL_TIME`.
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneDncType::Legacy => "LEGACY",
            PhoneDncType::DialTime => "DIAL_TIME",
        }
    }
}

impl fmt::Display for PhoneDncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
