//! The channel lists' public types: what an entry holds, what a new one
//! may say, what a check and a find ask.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::channel::Channel;
use crate::error::DncError;
use crate::values::account::Account;
use crate::values::email::Email;
use crate::values::expiration::Expiration;
use crate::values::ids::{ClientId, ContactGroupId, EntryId, ServiceId};
use crate::values::phone::Phone;

/// What a channel entry suppresses: a phone (dialtime, sms) or an email
/// address (email).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum ChannelValue {
    /// A phone, digits only.
    Phone(Phone),
    /// An email address, compared ignoring ASCII case.
    Email(Email),
}

impl ChannelValue {
    /// Whether the value's text contains `needle` (ASCII case ignored for
    /// emails): the list's find.
    pub(crate) fn contains(&self, needle: &str) -> bool {
        match self {
            ChannelValue::Phone(phone) => phone.contains_text(needle),
            ChannelValue::Email(email) => email.contains_ignoring_case(needle),
        }
    }
}

impl fmt::Display for ChannelValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChannelValue::Phone(phone) => fmt::Display::fmt(phone, f),
            ChannelValue::Email(email) => fmt::Display::fmt(email, f),
        }
    }
}

/// An entry of a channel list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelEntry {
    /// Unique within its list.
    pub id: EntryId,
    /// The client whose list holds it.
    pub client: ClientId,
    /// What it suppresses.
    pub value: ChannelValue,
    /// When set, the entry applies only to services mapped to this group.
    pub contact_group: Option<ContactGroupId>,
    /// The last date on which it blocks (in the client's time zone); `None`
    /// never expires.
    pub expiration: Option<Date>,
    /// The start of `expiration` in the client's time zone, in epoch
    /// milliseconds: how the reference answers an expiration.
    pub expiration_millis: Option<i64>,
}

/// A channel entry to create, or the new content of one to update.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NewChannelEntry {
    /// What it suppresses.
    pub value: ChannelValue,
    /// Restricts it to the services mapped to this group (registered by the
    /// client).
    pub contact_group: Option<ContactGroupId>,
    /// When it stops blocking (after the end of that date in the client's
    /// time zone).
    pub expiration: Option<Expiration>,
}

impl NewChannelEntry {
    /// An entry for every service of the client, never expiring.
    pub fn new(value: ChannelValue) -> NewChannelEntry {
        NewChannelEntry {
            value,
            contact_group: None,
            expiration: None,
        }
    }

    /// Restricts the entry to a contact group.
    pub fn contact_group(mut self, group: ContactGroupId) -> NewChannelEntry {
        self.contact_group = Some(group);
        self
    }

    /// Sets the expiration.
    pub fn expiration(mut self, expiration: Expiration) -> NewChannelEntry {
        self.expiration = Some(expiration);
        self
    }
}

/// A channel check: may this value be contacted on this list's channel, for
/// this service, at this instant?
#[derive(Clone, Copy, Debug)]
pub struct ChannelQuery<'a> {
    /// The service making the contact (its client's list is consulted).
    pub service: ServiceId,
    /// The phone or address to contact.
    pub value: &'a ChannelValue,
    /// For the dialtime list: the account, whose Do Not Dial flags apply.
    pub account: Option<&'a Account>,
    /// The instant of the contact (the engine never reads a clock). `None`
    /// asks without an instant: every entry with an expiration still
    /// blocks, whatever its date.
    pub at: Option<Timestamp>,
}

/// What a channel find keeps: entries whose value contains `value` (a
/// substring, ASCII case ignored for emails) and whose contact group is
/// `contact_group`, each filter only when given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelFilter {
    /// A substring of the value.
    pub value: Option<String>,
    /// The exact contact group.
    pub contact_group: Option<ContactGroupId>,
}

impl Channel {
    /// Checks that `value` is the kind this list holds (a phone of digits
    /// only for the phone lists, an email address for the email list).
    pub(crate) fn accepts(self, value: &ChannelValue) -> Result<(), DncError> {
        match (self, value) {
            (Channel::Dialtime | Channel::Sms, ChannelValue::Phone(phone)) => {
                if phone.has_wildcard() {
                    Err(DncError::InvalidPhone {
                        value: phone.to_string(),
                        reason: "a channel list phone must be digits only",
                    })
                } else {
                    Ok(())
                }
            }
            (Channel::Email, ChannelValue::Email(_)) => Ok(()),
            (Channel::Email, ChannelValue::Phone(phone)) => Err(DncError::InvalidEmail {
                value: phone.to_string(),
                reason: "the email list holds email addresses",
            }),
            (_, ChannelValue::Email(email)) => Err(DncError::InvalidPhone {
                value: email.to_string(),
                reason: "the dialtime and sms lists hold phones",
            }),
        }
    }
}
