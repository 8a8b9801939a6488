//! Who may call what (the reference's "User Roles"): a pure policy.
//! [`Scoped`](crate::Scoped) applies it, with the tenant walls, to every
//! call a principal makes; `dnc replay` sends lines that carry `"as"`
//! through it.

use crate::access::roles::{Method, Role};
use crate::error::DncError;
use crate::values::ids::ClientId;

/// Who is calling: a role within one client, and the optional power
/// `EDIT_DNC_LISTS` ("Edit DNC Lists", also called "Access to DNC").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Principal {
    /// The user's role.
    pub role: Role,
    /// The client the user belongs to; the only one whose data it may touch.
    pub client: ClientId,
    /// The `EDIT_DNC_LISTS` power.
    pub edit_dnc_lists: bool,
}

/// Why a call on another client's data is refused (it names no client).
pub(crate) const ANOTHER_CLIENT: &str = "the data belongs to another client";

/// May `principal` call `method` on the data of `client`?
///
/// ```
/// use dnc_engine::{ClientId, Method, Principal, Role, authorize};
/// let client = ClientId::new(1).unwrap();
/// let manager = Principal { role: Role::Manager, client, edit_dnc_lists: false };
/// assert!(authorize(&manager, Method::IsBlocked, client).is_ok());
/// assert!(authorize(&manager, Method::Create, client).is_err()); // needs EDIT_DNC_LISTS
/// let other = ClientId::new(2).unwrap();
/// let admin = Principal { role: Role::Sysadmin, client, edit_dnc_lists: true };
/// assert!(authorize(&admin, Method::Read, other).is_err()); // another client's data
/// ```
///
/// The rules, in order: nobody touches another client's data; no
/// principal loads or changes a registry copy (shared by every client:
/// the host's job); the dial
/// decision needs SYSADMIN or SUPERUSER (it reads both the DNC lists and
/// the profiles); dialing profiles and hours need SYSADMIN, SUPERUSER or
/// IT_USER; an AGENT may call only
/// [`Method::agent_may`]; everything else needs SYSADMIN, SUPERUSER or
/// MANAGER, and a MANAGER needs `EDIT_DNC_LISTS` for every list-management
/// method (exemptions included); configuration (registry subscriptions
/// included) needs SYSADMIN or SUPERUSER.
pub fn authorize(principal: &Principal, method: Method, client: ClientId) -> Result<(), DncError> {
    let refuse = |reason: &'static str| {
        Err(DncError::Forbidden {
            role: principal.role,
            method,
            reason,
        })
    };
    if principal.client != client {
        return refuse(ANOTHER_CLIENT);
    }
    match (principal.role, method) {
        (_, Method::Registries) => refuse(
            "registry copies are shared by every client: only the host loads or changes them",
        ),
        (_, Method::TrimAttempts) => {
            refuse("a trim drops every client's old attempts: only the host trims")
        }
        (Role::Sysadmin | Role::Superuser | Role::Manager, Method::Attempts) => Ok(()),
        (_, Method::Attempts) => refuse("recording attempts needs SYSADMIN, SUPERUSER or MANAGER"),
        (Role::Sysadmin | Role::Superuser, Method::DialDecision) => Ok(()),
        (_, Method::DialDecision) => refuse(
            "the dial decision reads the DNC lists and the dialing profiles: SYSADMIN or SUPERUSER",
        ),
        (Role::Sysadmin | Role::Superuser | Role::ItUser, Method::DialingProfiles) => Ok(()),
        (_, Method::DialingProfiles) => {
            refuse("dialing profiles need SYSADMIN, SUPERUSER or IT_USER")
        }
        (Role::Agent, method) if method.agent_may() => Ok(()),
        (Role::Agent, _) => refuse(
            "an agent may only read, create, check, list, find, get list info and match zips",
        ),
        (Role::ItUser, _) => refuse("IT_USER may only use dialing profiles"),
        (Role::Sysadmin | Role::Superuser, _) => Ok(()),
        (Role::Manager, Method::Configure | Method::Subscriptions | Method::AttemptRules) => {
            refuse("configuration needs SYSADMIN or SUPERUSER")
        }
        (Role::Manager, method) if method.manages_lists() && !principal.edit_dnc_lists => {
            refuse("a MANAGER needs the EDIT_DNC_LISTS power for list management")
        }
        (Role::Manager, _) => Ok(()),
    }
}
