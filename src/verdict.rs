//! The answer to a check, with its reasons.

use std::fmt;

use smallvec::SmallVec;

use crate::channel::Channel;
use crate::flags::AccountFlags;
use crate::ids::EntryId;

/// Which rule produced a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CheckRule {
    /// `isBlocked`: every stored value compares literally (`*` is a character).
    IsBlocked,
    /// The dial check: stored phones and accounts containing `*` are patterns.
    DialCheck,
    /// A check of one of the channel lists at an instant (SPEC 7).
    Channel(Channel),
}

/// The answer to a check: blocked or not, and why.
///
/// `entries` holds every applicable entry id in ascending order, each once;
/// `flags` every applicable account flag. The call is blocked exactly when one
/// of them is non-empty. Up to four entry ids are held inline, so a verdict
/// that blocks for a handful of reasons, or for none, allocates nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    rule: CheckRule,
    entries: SmallVec<[EntryId; 4]>,
    flags: AccountFlags,
}

impl Verdict {
    #[inline]
    pub(crate) fn new(rule: CheckRule) -> Verdict {
        Verdict {
            rule,
            entries: SmallVec::new(),
            flags: AccountFlags::NONE,
        }
    }

    #[inline]
    pub(crate) fn push_entry(&mut self, id: EntryId) {
        self.entries.push(id);
    }

    #[inline]
    pub(crate) fn set_flags(&mut self, flags: AccountFlags) {
        self.flags = flags;
    }

    /// Sorts the ids and drops the repeats that a dial check finds twice (a
    /// stored `A*` equals the request `A*` literally and as a pattern).
    #[inline]
    pub(crate) fn finish(mut self) -> Verdict {
        if self.entries.len() > 1 {
            self.entries.sort_unstable();
            self.entries.dedup();
        }
        self
    }

    /// Whether the contact must not be made.
    #[inline]
    pub fn is_blocked(&self) -> bool {
        !self.entries.is_empty() || self.flags.any()
    }

    /// Every applicable entry id, ascending.
    #[inline]
    pub fn entries(&self) -> &[EntryId] {
        &self.entries
    }

    /// The applicable account flags (those set on the request's account).
    #[inline]
    pub fn flags(&self) -> AccountFlags {
        self.flags
    }

    /// The rule that was applied.
    #[inline]
    pub fn rule(&self) -> CheckRule {
        self.rule
    }
}

impl fmt::Display for Verdict {
    /// One line a support agent can read, such as
    /// `blocked by isBlocked (literal): entries 1, 4; account flags DO_NOT_DIAL`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rule = match self.rule {
            CheckRule::IsBlocked => "isBlocked (literal)",
            CheckRule::DialCheck => "the dial check (wildcards honoured)",
            CheckRule::Channel(Channel::Dialtime) => "the dialtime list",
            CheckRule::Channel(Channel::Sms) => "the SMS list",
            CheckRule::Channel(Channel::Email) => "the email list",
        };
        if !self.is_blocked() {
            return write!(f, "not blocked by {rule}: no entry or account flag applies");
        }
        write!(f, "blocked by {rule}:")?;
        if !self.entries.is_empty() {
            f.write_str(" entries ")?;
            for (i, id) in self.entries.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{id}")?;
            }
        }
        if self.flags.any() {
            if !self.entries.is_empty() {
                f.write_str(";")?;
            }
            f.write_str(" account flags ")?;
            for (i, flag) in self.flags.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{flag}")?;
            }
        }
        Ok(())
    }
}
