//! A client's own limit on contact attempts, like LiveVox's Attempt
//! Supervisor: which attempts count (key, outcomes, channels), over which
//! window (rolling or calendar days), how many, and an optional lock once
//! the limit is reached.

use std::fmt;

use jiff::SignedDuration;

use crate::attempts::attempt::Outcome;
use crate::channel::DialChannel;
use crate::error::DncError;
use crate::geo::TimeZoneId;
use crate::values::ids::AttemptRuleId;

/// The longest window or lock a rule may have: 400 days (a year of
/// calendar days and a margin; the history kept grows with it).
pub const MAX_RULE_SPAN: SignedDuration = SignedDuration::from_hours(400 * 24);

/// Whose attempts a rule counts together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleKey {
    /// The person, on any number (a number without a person key stands
    /// for its person).
    Person,
    /// The number, whoever was sought on it.
    Phone,
    /// The person on this number.
    PersonAndPhone,
}

impl RuleKey {
    /// Parses `PERSON` (or `CONTACT`), `PHONE`, `PERSON_AND_PHONE` (ASCII
    /// case ignored).
    pub fn parse(text: &str) -> Result<RuleKey, DncError> {
        match text.to_ascii_uppercase().as_str() {
            "PERSON" | "CONTACT" => Ok(RuleKey::Person),
            "PHONE" => Ok(RuleKey::Phone),
            "PERSON_AND_PHONE" | "CONTACT_AND_PHONE" => Ok(RuleKey::PersonAndPhone),
            _ => Err(DncError::InvalidAttempt {
                field: "key",
                value: text.to_owned(),
                reason: "expected PERSON, PHONE or PERSON_AND_PHONE",
            }),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKey::Person => "PERSON",
            RuleKey::Phone => "PHONE",
            RuleKey::PersonAndPhone => "PERSON_AND_PHONE",
        }
    }
}

impl std::fmt::Display for RuleKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The span a rule counts over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RuleWindow {
    /// Any span of this length (a sliding window).
    Rolling(SignedDuration),
    /// `days` calendar days in `zone`: the attempt's local day and the
    /// `days - 1` before it.
    Calendar {
        /// 1 to 400.
        days: u16,
        /// The zone whose midnights bound the days.
        zone: TimeZoneId,
    },
}

impl RuleWindow {
    /// How far back (and ahead) an attempt can share a window with another:
    /// the rolling length, or the calendar days plus a day for the zone.
    pub fn reach(self) -> SignedDuration {
        match self {
            RuleWindow::Rolling(length) => length,
            RuleWindow::Calendar { days, .. } => {
                SignedDuration::from_hours((i64::from(days) + 1) * 24)
            }
        }
    }
}

impl fmt::Display for RuleWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleWindow::Rolling(length) => write!(f, "a rolling {length:#}"),
            RuleWindow::Calendar { days, zone } => write!(f, "{days} calendar days in {zone}"),
        }
    }
}

/// A set of outcomes (a bit each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "u8", into = "u8"))]
pub struct OutcomeSet(u8);

impl From<OutcomeSet> for u8 {
    fn from(set: OutcomeSet) -> u8 {
        set.0
    }
}

impl TryFrom<u8> for OutcomeSet {
    type Error = DncError;

    /// The set whose bits are `bits`; a bit no outcome has is refused.
    fn try_from(bits: u8) -> Result<OutcomeSet, DncError> {
        if bits & !OutcomeSet::ALL.0 == 0 {
            Ok(OutcomeSet(bits))
        } else {
            Err(DncError::InvalidAttempt {
                field: "outcomes",
                value: bits.to_string(),
                reason: "a bit no outcome has",
            })
        }
    }
}

impl OutcomeSet {
    /// Every outcome.
    pub const ALL: OutcomeSet = OutcomeSet(0b1_1111);

    /// The set of `outcomes`.
    pub fn of(outcomes: &[Outcome]) -> OutcomeSet {
        OutcomeSet(
            outcomes
                .iter()
                .fold(0, |bits, outcome| bits | outcome.bit()),
        )
    }

    /// Whether it holds `outcome`.
    #[inline]
    pub fn contains(self, outcome: Outcome) -> bool {
        self.0 & outcome.bit() != 0
    }

    /// The outcomes it holds, in order.
    pub fn iter(self) -> impl Iterator<Item = Outcome> {
        Outcome::ALL.into_iter().filter(move |&o| self.contains(o))
    }

    /// Whether it is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// A set of channels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ChannelSet {
    /// Voice calls.
    pub voice: bool,
    /// Texts.
    pub sms: bool,
}

impl ChannelSet {
    /// Calls and texts.
    pub const BOTH: ChannelSet = ChannelSet {
        voice: true,
        sms: true,
    };
    /// Calls only.
    pub const VOICE: ChannelSet = ChannelSet {
        voice: true,
        sms: false,
    };

    /// Whether it holds `channel`.
    #[inline]
    pub fn contains(self, channel: DialChannel) -> bool {
        match channel {
            DialChannel::Voice => self.voice,
            DialChannel::Sms => self.sms,
        }
    }
}

/// A client's attempt rule as given to create.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NewAttemptRule {
    /// Whose attempts count together.
    pub key: RuleKey,
    /// Which outcomes count.
    pub outcomes: OutcomeSet,
    /// Which channels count, and which contacts the rule refuses.
    pub channels: ChannelSet,
    /// Over which span.
    pub window: RuleWindow,
    /// How many counted attempts the window holds before a contact is
    /// refused (the contact that would be attempt `limit + 1`).
    pub limit: u32,
    /// Once an attempt reaches the limit, contacts are refused for this
    /// long after it, whatever the window says (LiveVox's lock period).
    pub lock: Option<SignedDuration>,
}

impl NewAttemptRule {
    /// Checks the rule: a limit of 1 or more, some outcome and some
    /// channel, a window and lock of a minute to [`MAX_RULE_SPAN`].
    pub fn validate(&self) -> Result<(), DncError> {
        let refused = |field, value: String, reason| {
            Err(DncError::InvalidAttempt {
                field,
                value,
                reason,
            })
        };
        if self.limit == 0 {
            return refused("limit", "0".to_owned(), "a limit must be 1 or more");
        }
        if self.outcomes.is_empty() {
            return refused(
                "outcomes",
                String::new(),
                "a rule counts at least one outcome",
            );
        }
        if !self.channels.voice && !self.channels.sms {
            return refused(
                "channels",
                String::new(),
                "a rule counts at least one channel",
            );
        }
        let in_range =
            |span: SignedDuration| SignedDuration::from_mins(1) <= span && span <= MAX_RULE_SPAN;
        match self.window {
            RuleWindow::Rolling(length) if !in_range(length) => {
                return refused(
                    "window",
                    format!("{length:#}"),
                    "a window is 1 minute to 400 days",
                );
            }
            RuleWindow::Calendar { days, .. } if !(1..=400).contains(&days) => {
                return refused("window", days.to_string(), "calendar days are 1 to 400");
            }
            _ => {}
        }
        if let Some(lock) = self.lock {
            if !in_range(lock) {
                return refused(
                    "lock",
                    format!("{lock:#}"),
                    "a lock is 1 minute to 400 days",
                );
            }
        }
        Ok(())
    }
}

/// A stored attempt rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AttemptRule {
    /// Its id.
    pub id: AttemptRuleId,
    /// What it says.
    pub rule: NewAttemptRule,
}

// Serialized as its text, parsed back through `parse`, so that a change
// read from a log is validated like a line typed by hand.
crate::values::packed::text_value!(RuleKey);
