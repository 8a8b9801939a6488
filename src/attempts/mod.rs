//! Contact attempts and the caps on them: the history the host records
//! ([`NewAttempt`], bounded by the host's trims), Regulation F's
//! presumptions for debt collectors and the states' caps ([`caps`], each
//! with its citation), the clients' own attempt rules ([`NewAttemptRule`]),
//! and the answer at a contact ([`CapAnswer`]).
//!
//! The part reads no clock: every instant is an input.

pub(crate) mod answer;
pub(crate) mod attempt;
pub mod caps;
pub(crate) mod rule;
#[cfg(feature = "serde")]
pub(crate) mod snapshot;
pub(crate) mod store;

pub use answer::{CapAnswer, CapRefusal, CapRule};
pub use attempt::{ContactKey, MAX_KEY_LEN, NewAttempt, Outcome};
pub use caps::CapLaw;
pub use rule::{
    AttemptRule, ChannelSet, MAX_RULE_SPAN, NewAttemptRule, OutcomeSet, RuleKey, RuleWindow,
};
#[cfg(feature = "serde")]
pub use snapshot::{AttemptRecord, AttemptRuleRecord, CollectorRecord};
pub use store::CONSENT_LASTS;
