//! The answer to a check, with its reasons.

use std::fmt;

use smallvec::SmallVec;

use crate::channel::Channel;
use crate::values::flags::AccountFlags;
use crate::values::ids::EntryId;

/// Which rule produced a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CheckRule {
    /// `isBlocked`: every stored value compares literally (`*` is a character).
    IsBlocked,
    /// The dial check: stored phones and accounts containing `*` are patterns.
    DialCheck,
    /// A check of one of the channel lists at an instant.
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
    /// The dialtime ids first (`dialtime` of them), then the legacy ones.
    entries: SmallVec<[EntryId; 4]>,
    flags: AccountFlags,
    /// How many of `entries` are dialtime-list ids (a `DIAL_TIME` client's
    /// phone matches): a separate id space, kept apart.
    dialtime: u32,
}

impl Verdict {
    #[inline]
    pub(crate) fn new(rule: CheckRule) -> Verdict {
        Verdict {
            rule,
            entries: SmallVec::new(),
            flags: AccountFlags::NONE,
            dialtime: 0,
        }
    }

    #[inline]
    pub(crate) fn push_entry(&mut self, id: EntryId) {
        self.entries.push(id);
    }

    /// Adds a dialtime-list id; all of them come before any legacy id.
    pub(crate) fn push_dialtime_entry(&mut self, id: EntryId) {
        debug_assert_eq!(self.dialtime as usize, self.entries.len());
        self.entries.push(id);
        self.dialtime += 1;
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
            let (dialtime, legacy) = self.entries.split_at_mut(self.dialtime as usize);
            dialtime.sort_unstable();
            legacy.sort_unstable();
            // Repeats only occur among legacy ids (a pattern found twice).
            let mut kept = self.dialtime as usize;
            for index in self.dialtime as usize..self.entries.len() {
                if index == self.dialtime as usize || self.entries[index] != self.entries[kept - 1]
                {
                    self.entries[kept] = self.entries[index];
                    kept += 1;
                }
            }
            self.entries.truncate(kept);
        }
        self
    }

    /// Whether the contact must not be made.
    #[inline]
    pub fn is_blocked(&self) -> bool {
        !self.entries.is_empty() || self.flags.any()
    }

    /// Every applicable entry id, ascending: legacy entries for
    /// [`is_blocked`](crate::Engine::is_blocked) and the dial check, the
    /// list's entries for a channel check.
    #[inline]
    pub fn entries(&self) -> &[EntryId] {
        &self.entries[self.dialtime as usize..]
    }

    /// For a client whose phone DNC type is `DIAL_TIME`: the dialtime-list
    /// entries that block the phone, ascending (their ids are the dialtime
    /// list's, not the legacy list's). Empty otherwise.
    #[inline]
    pub fn dialtime_entries(&self) -> &[EntryId] {
        &self.entries[..self.dialtime as usize]
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
        let mut parts = 0;
        for (label, ids) in [
            (" dialtime entries ", self.dialtime_entries()),
            (" entries ", self.entries()),
        ] {
            if ids.is_empty() {
                continue;
            }
            if parts > 0 {
                f.write_str(";")?;
            }
            parts += 1;
            f.write_str(label)?;
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{id}")?;
            }
        }
        if self.flags.any() {
            if parts > 0 {
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
