//! The roles a user may hold and the methods they may call (the
//! reference's "User Roles"): the vocabulary the access rule and the
//! errors share. A leaf: it imports nothing of the crate.

use std::fmt;
/// A user's role, as configured in the vendor's Configuration Manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Role {
    /// Full access to the client's data.
    Sysadmin,
    /// Full access to the client's data.
    Superuser,
    /// DNC methods; list management also needs [`Principal::edit_dnc_lists`](crate::Principal::edit_dnc_lists).
    Manager,
    /// Dialing profiles only.
    ItUser,
    /// An agent's session: a short list of methods ([`Method::agent_may`]).
    Agent,
}

impl Role {
    /// Parses the reference's spelling: `SYSADMIN`, `SUPERUSER`, `MANAGER`,
    /// `IT_USER`, `AGENT`.
    pub fn parse(text: &str) -> Option<Role> {
        Some(match text {
            "SYSADMIN" => Role::Sysadmin,
            "SUPERUSER" => Role::Superuser,
            "MANAGER" => Role::Manager,
            "IT_USER" => Role::ItUser,
            "AGENT" => Role::Agent,
            _ => return None,
        })
    }

    /// The reference's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Sysadmin => "SYSADMIN",
            Role::Superuser => "SUPERUSER",
            Role::Manager => "MANAGER",
            Role::ItUser => "IT_USER",
            Role::Agent => "AGENT",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A method of the API, as the policy sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `isBlocked`, the dial check and the channel checks.
    IsBlocked,
    /// Read one DNC entry.
    Read,
    /// Create one DNC entry.
    Create,
    /// Create many DNC entries at once.
    CreateMany,
    /// Update a DNC entry.
    Update,
    /// Delete a DNC entry.
    Delete,
    /// List a page of DNC entries.
    List,
    /// Find matching DNC entries.
    Find,
    /// A DNC list's size and last change.
    Info,
    /// Set or clear an account's Do Not Dial flags.
    AccountFlags,
    /// The nightly clear of DAILY entries.
    ClearDaily,
    /// The phone DNC type question (`isLegacyDncEnabled`).
    IsLegacyDncEnabled,
    /// Client and service configuration: services, time zone, contact
    /// groups and their mapping.
    Configure,
    /// The zip/area-code mismatch check.
    ZipAreaMatch,
    /// Any dialing-profile method, and the dialing hours (an evaluation of
    /// the profile).
    DialingProfiles,
    /// The dial decision: it reads the DNC lists *and* the dialing profile,
    /// so it needs a role that may do both.
    DialDecision,
    /// Load, change or remove a registry copy: the copies are shared by
    /// every client, so only the host may (no principal's role does).
    Registries,
    /// A client's registry subscriptions: configuration.
    Subscriptions,
    /// A client's registry exemptions: list management.
    Exemptions,
    /// Record a contact attempt of the client's (the dialer reporting
    /// what it did): whoever may make the dial decision, and a MANAGER.
    Attempts,
    /// A client's attempt rules and its debt-collector mark:
    /// configuration.
    AttemptRules,
    /// Trim every client's attempt history: the host's alone (it touches
    /// every client).
    TrimAttempts,
}

impl Method {
    /// The method's name, as errors print it (`IsBlocked`, `CreateMany`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::IsBlocked => "IsBlocked",
            Method::Read => "Read",
            Method::Create => "Create",
            Method::CreateMany => "CreateMany",
            Method::Update => "Update",
            Method::Delete => "Delete",
            Method::List => "List",
            Method::Find => "Find",
            Method::Info => "Info",
            Method::AccountFlags => "AccountFlags",
            Method::ClearDaily => "ClearDaily",
            Method::IsLegacyDncEnabled => "IsLegacyDncEnabled",
            Method::Configure => "Configure",
            Method::ZipAreaMatch => "ZipAreaMatch",
            Method::DialingProfiles => "DialingProfiles",
            Method::DialDecision => "DialDecision",
            Method::Registries => "Registries",
            Method::Subscriptions => "Subscriptions",
            Method::Exemptions => "Exemptions",
            Method::Attempts => "Attempts",
            Method::AttemptRules => "AttemptRules",
            Method::TrimAttempts => "TrimAttempts",
        }
    }

    /// The reference's agent list: Read, Create, Is Blocked, List, Info,
    /// Find and Zip Area Mismatch.
    pub fn agent_may(self) -> bool {
        matches!(
            self,
            Method::Read
                | Method::Create
                | Method::IsBlocked
                | Method::List
                | Method::Info
                | Method::Find
                | Method::ZipAreaMatch
        )
    }

    /// Whether the method manages a DNC list (so a MANAGER needs
    /// `EDIT_DNC_LISTS` for it).
    pub(crate) fn manages_lists(self) -> bool {
        matches!(
            self,
            Method::Read
                | Method::Create
                | Method::CreateMany
                | Method::Update
                | Method::Delete
                | Method::List
                | Method::Find
                | Method::Info
                | Method::AccountFlags
                | Method::ClearDaily
                | Method::Exemptions
        )
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
