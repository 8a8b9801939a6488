//! DNC entries: their key, lifetime and scope.

use std::fmt;

use crate::error::{DncError, Shown};
use crate::values::account::Account;
use crate::values::ids::{ClientId, EntryId, ServiceId};
use crate::values::phone::Phone;
use crate::values::zip::Zip;

/// What an entry blocks: exactly one of the four kinds of the reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum DncKey {
    /// Blocks this phone, whatever the account.
    Phone(Phone),
    /// Blocks this account, whatever the phone (or with no phone).
    Account(Account),
    /// Blocks this phone only when called for this account.
    PhoneAccount(Phone, Account),
    /// Blocks this zip.
    Zip(Zip),
}

impl DncKey {
    /// Builds the key from the optional parts of a request, refusing every
    /// combination that is not one of the four kinds (none, phone + zip,
    /// account + zip, all three).
    pub fn from_parts(
        phone: Option<Phone>,
        account: Option<Account>,
        zip: Option<Zip>,
    ) -> Result<DncKey, DncError> {
        match (phone, account, zip) {
            (Some(phone), None, None) => Ok(DncKey::Phone(phone)),
            (None, Some(account), None) => Ok(DncKey::Account(account)),
            (Some(phone), Some(account), None) => Ok(DncKey::PhoneAccount(phone, account)),
            (None, None, Some(zip)) => Ok(DncKey::Zip(zip)),
            (None, None, None) => Err(DncError::InvalidEntry {
                reason: "an entry needs a phone, an account, a phone and an account, or a zip"
                    .to_owned(),
            }),
            _ => Err(DncError::InvalidEntry {
                reason: "a zip cannot be combined with a phone or an account".to_owned(),
            }),
        }
    }

    /// The phone of a phone or phone + account key.
    pub fn phone(&self) -> Option<Phone> {
        match self {
            DncKey::Phone(phone) | DncKey::PhoneAccount(phone, _) => Some(*phone),
            _ => None,
        }
    }

    /// The account of an account or phone + account key.
    pub fn account(&self) -> Option<&Account> {
        match self {
            DncKey::Account(account) | DncKey::PhoneAccount(_, account) => Some(account),
            _ => None,
        }
    }

    /// The zip of a zip key.
    pub fn zip(&self) -> Option<Zip> {
        match self {
            DncKey::Zip(zip) => Some(*zip),
            _ => None,
        }
    }

    /// Whether the dial check reads this key as a pattern (its phone or
    /// account contains `*`; zips are always literal).
    pub fn has_wildcard(&self) -> bool {
        self.phone().is_some_and(Phone::has_wildcard)
            || self.account().is_some_and(Account::has_wildcard)
    }
}

impl fmt::Display for DncKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DncKey::Phone(phone) => write!(f, "phone {phone}"),
            DncKey::Account(account) => write!(f, "account {account}"),
            DncKey::PhoneAccount(phone, account) => {
                write!(f, "phone {phone} with account {account}")
            }
            DncKey::Zip(zip) => write!(f, "zip {zip}"),
        }
    }
}

/// How long an entry lives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Lifetime {
    /// Stays until removed.
    #[default]
    Permanent,
    /// Removed by the nightly clear.
    Daily,
}

impl Lifetime {
    /// Parses the protocol names `PERMANENT` and `DAILY` (exact spelling).
    pub fn parse(text: &str) -> Result<Lifetime, DncError> {
        match text {
            "PERMANENT" => Ok(Lifetime::Permanent),
            "DAILY" => Ok(Lifetime::Daily),
            _ => Err(DncError::InvalidEntry {
                reason: format!("unknown type {}: expected PERMANENT or DAILY", Shown(text)),
            }),
        }
    }

    /// The protocol name.
    pub fn as_str(self) -> &'static str {
        match self {
            Lifetime::Permanent => "PERMANENT",
            Lifetime::Daily => "DAILY",
        }
    }
}

/// A stored DNC entry.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DncEntry {
    /// Unique in the engine.
    pub id: EntryId,
    /// The client it belongs to.
    pub client: ClientId,
    /// The service it is scoped to; `None` applies to every service of the client.
    pub service: Option<ServiceId>,
    /// What it blocks.
    pub key: DncKey,
    /// Permanent or daily.
    pub lifetime: Lifetime,
}

impl fmt::Display for DncEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "entry {}: {} ", self.id, self.key)?;
        match self.service {
            Some(service) => write!(f, "for service {service} of client {}", self.client)?,
            None => write!(f, "for every service of client {}", self.client)?,
        }
        write!(f, ", {}", self.lifetime.as_str())
    }
}

/// An entry to add: [`Engine::add`](crate::Engine::add) checks the scope and
/// the id, and assigns an id when none is given.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NewEntry {
    /// The id to use; `None` lets the engine assign one greater than every id
    /// it has seen.
    pub id: Option<EntryId>,
    /// The client; required without a service, checked against the service's
    /// owner with one.
    pub client: Option<ClientId>,
    /// The service it is scoped to; `None` makes a client-level entry.
    pub service: Option<ServiceId>,
    /// What it blocks.
    pub key: DncKey,
    /// Permanent or daily.
    pub lifetime: Lifetime,
}

impl NewEntry {
    /// A permanent client-level entry (it applies to every service of `client`).
    pub fn for_client(client: ClientId, key: DncKey) -> NewEntry {
        NewEntry {
            id: None,
            client: Some(client),
            service: None,
            key,
            lifetime: Lifetime::Permanent,
        }
    }

    /// A permanent entry scoped to `service` (its client is the service's).
    pub fn for_service(service: ServiceId, key: DncKey) -> NewEntry {
        NewEntry {
            id: None,
            client: None,
            service: Some(service),
            key,
            lifetime: Lifetime::Permanent,
        }
    }

    /// The same entry with a caller-given id.
    pub fn with_id(self, id: EntryId) -> NewEntry {
        NewEntry {
            id: Some(id),
            ..self
        }
    }

    /// The same entry with another lifetime.
    pub fn with_lifetime(self, lifetime: Lifetime) -> NewEntry {
        NewEntry { lifetime, ..self }
    }
}
