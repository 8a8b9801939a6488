//! A contact attempt as the host records it: who was contacted, how, when,
//! about which debts, and what came of it.

use std::fmt;

use jiff::Timestamp;

use crate::channel::DialChannel;
use crate::error::DncError;
use crate::values::account::Account;
use crate::values::ids::ServiceId;
use crate::values::phone::Phone;

/// What came of an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// The call did not connect to the dialed number (busy, not in
    /// service, a network error).
    NotConnected,
    /// It rang, nobody answered, no message was left.
    NoAnswer,
    /// A voicemail or a message was left (a text sent is a message).
    Message,
    /// A conversation with the person.
    Conversation,
    /// The person called in and a conversation took place (not an
    /// attempt the client placed).
    InboundConversation,
}

impl Outcome {
    /// All outcomes, in order.
    pub const ALL: [Outcome; 5] = [
        Outcome::NotConnected,
        Outcome::NoAnswer,
        Outcome::Message,
        Outcome::Conversation,
        Outcome::InboundConversation,
    ];

    /// The wire name: `NOT_CONNECTED`, `NO_ANSWER`, `MESSAGE`,
    /// `CONVERSATION`, `INBOUND_CONVERSATION`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::NotConnected => "NOT_CONNECTED",
            Outcome::NoAnswer => "NO_ANSWER",
            Outcome::Message => "MESSAGE",
            Outcome::Conversation => "CONVERSATION",
            Outcome::InboundConversation => "INBOUND_CONVERSATION",
        }
    }

    /// Parses a wire name (ASCII case ignored; `VOICEMAIL` reads as
    /// `MESSAGE`).
    pub fn parse(text: &str) -> Result<Outcome, DncError> {
        let upper = text.to_ascii_uppercase();
        if upper == "VOICEMAIL" {
            return Ok(Outcome::Message);
        }
        Outcome::ALL
            .into_iter()
            .find(|outcome| outcome.as_str() == upper)
            .ok_or_else(|| DncError::InvalidAttempt {
                field: "outcome",
                value: text.to_owned(),
                reason: "expected NOT_CONNECTED, NO_ANSWER, MESSAGE, CONVERSATION or INBOUND_CONVERSATION",
            })
    }

    /// Whether the client placed it (every outcome but an inbound
    /// conversation).
    #[inline]
    pub fn placed(self) -> bool {
        self != Outcome::InboundConversation
    }

    /// Whether a conversation took place.
    #[inline]
    pub fn conversation(self) -> bool {
        matches!(self, Outcome::Conversation | Outcome::InboundConversation)
    }

    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }

    pub(crate) fn from_index(index: u8) -> Outcome {
        Outcome::ALL[usize::from(index % 5)]
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A key the host gives a person or a debt: 1–64 bytes of visible ASCII
/// (`!` to `~`, the rule of an [`Account`]; a debt is usually an account
/// number), compared without regard to ASCII case. It is held inline (65
/// bytes, `Copy`), so a refusal naming a debt is a plain value.
#[derive(Clone, Copy)]
// The length first, beside the first bytes: a lookup compares both, and at
// millions of keys resident they are then one read.
#[repr(C)]
pub struct ContactKey {
    len: u8,
    bytes: [u8; MAX_KEY_LEN],
}

/// The longest key, in bytes.
pub const MAX_KEY_LEN: usize = 64;

impl ContactKey {
    /// Parses a key for `field` (`"person"`, `"debt"`).
    pub fn parse(field: &'static str, text: &str) -> Result<ContactKey, DncError> {
        let valid = !text.is_empty()
            && text.len() <= MAX_KEY_LEN
            && text.bytes().all(|b| (b'!'..=b'~').contains(&b));
        if !valid {
            return Err(DncError::InvalidAttempt {
                field,
                value: text.to_owned(),
                reason: "expected 1-64 bytes of visible ASCII",
            });
        }
        let mut bytes = [0; MAX_KEY_LEN];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Ok(ContactKey {
            len: text.len() as u8,
            bytes,
        })
    }

    /// The key as given.
    pub fn as_str(&self) -> &str {
        // Only visible ASCII is ever stored.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// The key of an account (a debt named by its account number).
    pub fn of_account(account: &Account) -> ContactKey {
        // An account is 1-64 bytes of visible ASCII too.
        ContactKey::parse("debt", account.as_str()).unwrap_or(ContactKey {
            len: 0,
            bytes: [0; MAX_KEY_LEN],
        })
    }

    /// A 64-bit fingerprint of the case-folded key (FNV-1a), never 0: what
    /// a kept attempt holds of its debts, so that a contact's debts are
    /// matched without a lookup. Two keys with one fingerprint count
    /// together: more is counted, never less (the conservative side).
    pub(crate) fn fingerprint(&self) -> u64 {
        let hash = self.folded().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
        hash.max(1)
    }

    fn folded(&self) -> impl Iterator<Item = u8> + '_ {
        self.bytes[..usize::from(self.len)]
            .iter()
            .map(u8::to_ascii_lowercase)
    }
}

impl PartialEq for ContactKey {
    fn eq(&self, other: &ContactKey) -> bool {
        self.len == other.len && self.folded().eq(other.folded())
    }
}

impl Eq for ContactKey {}

impl std::hash::Hash for ContactKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let mut folded = [0u8; MAX_KEY_LEN];
        let len = usize::from(self.len);
        for (to, from) in folded.iter_mut().zip(&self.bytes[..len]) {
            *to = from.to_ascii_lowercase();
        }
        state.write(&folded[..len]);
    }
}

impl fmt::Debug for ContactKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContactKey({:?})", self.as_str())
    }
}

impl fmt::Display for ContactKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A contact attempt to record ([`Engine::record_attempt`](crate::Engine::record_attempt)).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NewAttempt {
    /// The service that made it (its client's history keeps it).
    pub service: ServiceId,
    /// The number dialed or texted.
    pub phone: Phone,
    /// The person reached or sought; `None` when the host does not know
    /// (the number then stands for the person).
    pub person: Option<ContactKey>,
    /// The debts (or other subjects) the contact was about; a call about
    /// several counts against each. Empty: not known (it counts against
    /// every debt of the person).
    pub debts: Vec<ContactKey>,
    /// When it was made.
    pub at: Timestamp,
    /// Voice or text.
    pub channel: DialChannel,
    /// What came of it.
    pub outcome: Outcome,
    /// When the person gave the collector direct prior consent to call, if
    /// they did: a call placed within seven days after is excluded from
    /// Regulation F's count (12 CFR 1006.14(b)(3)(ii)).
    pub consent: Option<Timestamp>,
}

impl NewAttempt {
    /// A voice attempt by `service` to `phone` at `at` with `outcome`,
    /// person and debts unknown, no consent.
    pub fn new(service: ServiceId, phone: Phone, at: Timestamp, outcome: Outcome) -> NewAttempt {
        NewAttempt {
            service,
            phone,
            person: None,
            debts: Vec::new(),
            at,
            channel: DialChannel::Voice,
            outcome,
            consent: None,
        }
    }
}

// Serialized as its text, parsed back through `parse`, so that a change
// read from a log is validated like a line typed by hand.
crate::values::packed::text_value!(Outcome);

#[cfg(feature = "serde")]
impl serde::Serialize for ContactKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ContactKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ContactKey, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        ContactKey::parse("key", &text).map_err(serde::de::Error::custom)
    }
}
