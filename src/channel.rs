//! Which list: the one vocabulary word every part shares for the dialtime,
//! SMS and email lists (a verdict names the list that answered).

use std::fmt;

/// One of a client's three suppression lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Channel {
    /// Phones that must not be called (the reference's "Dialtime DNC").
    Dialtime,
    /// Phones that must not be sent text messages.
    Sms,
    /// Email addresses that must not be mailed.
    Email,
}

impl Channel {
    /// All three, in a fixed order.
    pub const ALL: [Channel; 3] = [Channel::Dialtime, Channel::Sms, Channel::Email];

    /// The list's name in the replay protocol: `dialtime`, `sms`, `email`.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Dialtime => "dialtime",
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
