//! Which list, and how a contact is made: the vocabulary words every part
//! shares for the dialtime, SMS and email lists (a verdict names the list
//! that answered) and for a contact's channel (voice or text).

use std::fmt;

use crate::error::DncError;

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

/// How the contact is made. Both are calls under the TCPA: the phone DNC
/// lists, the account flags and the dialing hours apply to both; a text is
/// also checked against the client's SMS list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DialChannel {
    /// A voice call.
    #[default]
    Voice,
    /// A text message.
    Sms,
}

impl DialChannel {
    /// Parses `VOICE` or `SMS` (ASCII case ignored).
    pub fn parse(text: &str) -> Result<DialChannel, DncError> {
        match text.to_ascii_uppercase().as_str() {
            "VOICE" | "CALL" => Ok(DialChannel::Voice),
            "SMS" | "TEXT" => Ok(DialChannel::Sms),
            _ => Err(DncError::InvalidDialRequest {
                field: "channel",
                value: text.to_owned(),
                reason: "expected VOICE or SMS",
            }),
        }
    }

    /// `VOICE` or `SMS`.
    pub fn as_str(self) -> &'static str {
        match self {
            DialChannel::Voice => "VOICE",
            DialChannel::Sms => "SMS",
        }
    }
}

impl fmt::Display for DialChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// Serialized as its text, parsed back through `parse`, so that a change
// read from a log is validated like a line typed by hand.
crate::values::packed::text_value!(DialChannel);
