//! The ACCOUNT table's Do Not Dial flags.

use std::fmt;

/// The two Do Not Dial flags of one `(client, account)`.
///
/// `do_not_dial` is permanent; `do_not_dial_daily` is reset by the nightly
/// clear. Agents set them from their desktop; `is_blocked` honours them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AccountFlags {
    /// The permanent flag (`DO_NOT_DIAL`).
    pub do_not_dial: bool,
    /// The daily flag (`DO_NOT_DIAL_DAILY`), reset by the nightly clear.
    pub do_not_dial_daily: bool,
}

impl AccountFlags {
    /// No flag set.
    pub const NONE: AccountFlags = AccountFlags {
        do_not_dial: false,
        do_not_dial_daily: false,
    };

    /// Whether any flag is set.
    pub fn any(self) -> bool {
        self.do_not_dial || self.do_not_dial_daily
    }

    /// The flags that are set, in the protocol's order: `DoNotDial` first.
    pub fn iter(self) -> impl Iterator<Item = AccountFlag> {
        [
            (self.do_not_dial, AccountFlag::DoNotDial),
            (self.do_not_dial_daily, AccountFlag::DoNotDialDaily),
        ]
        .into_iter()
        .filter_map(|(set, flag)| set.then_some(flag))
    }

    /// These flags with `update` applied (fields left `None` unchanged).
    pub fn updated(self, update: FlagUpdate) -> AccountFlags {
        AccountFlags {
            do_not_dial: update.do_not_dial.unwrap_or(self.do_not_dial),
            do_not_dial_daily: update.do_not_dial_daily.unwrap_or(self.do_not_dial_daily),
        }
    }
}

/// One Do Not Dial flag, as a verdict names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccountFlag {
    /// The permanent flag.
    DoNotDial,
    /// The daily flag.
    DoNotDialDaily,
}

impl AccountFlag {
    /// The protocol name: `DO_NOT_DIAL` or `DO_NOT_DIAL_DAILY`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountFlag::DoNotDial => "DO_NOT_DIAL",
            AccountFlag::DoNotDialDaily => "DO_NOT_DIAL_DAILY",
        }
    }
}

impl fmt::Display for AccountFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A change to an account's flags: `Some` sets a flag, `None` leaves it as it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FlagUpdate {
    /// New value of the permanent flag, if it changes.
    pub do_not_dial: Option<bool>,
    /// New value of the daily flag, if it changes.
    pub do_not_dial_daily: Option<bool>,
}
