//! What a dialer asks: the request of `isBlocked` and of the dial check.

use crate::values::account::Account;
use crate::values::ids::{ClientId, ServiceId};
use crate::values::phone::Phone;
use crate::values::zip::Zip;

/// A request to [`Engine::is_blocked`](crate::Engine::is_blocked) or
/// [`Engine::dial_check`](crate::Engine::dial_check): the service that will
/// dial, optionally the client (checked against the service's owner), and at
/// least one of phone, account and zip.
///
/// A query borrows its account, so building one and checking it allocates
/// nothing.
///
/// ```
/// use dnc_engine::{Account, Phone, Query, ServiceId};
/// let account = Account::parse("A12345")?;
/// let query = Query::new(ServiceId::new(456)?)
///     .phone(Phone::parse("6173432000")?)
///     .account(&account);
/// # let _ = query;
/// # Ok::<(), dnc_engine::DncError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Query<'a> {
    /// The service that will dial; its client's entries are consulted.
    pub service: ServiceId,
    /// The client the caller believes owns the service; a mismatch is an error.
    pub client: Option<ClientId>,
    /// The phone to be called.
    pub phone: Option<Phone>,
    /// The account the call is for.
    pub account: Option<&'a Account>,
    /// The callee's zip.
    pub zip: Option<Zip>,
}

impl<'a> Query<'a> {
    /// A query for `service` with nothing to check yet.
    pub fn new(service: ServiceId) -> Query<'a> {
        Query {
            service,
            client: None,
            phone: None,
            account: None,
            zip: None,
        }
    }

    /// Names the client, which must own the service.
    pub fn client(self, client: ClientId) -> Query<'a> {
        Query {
            client: Some(client),
            ..self
        }
    }

    /// Sets the phone.
    pub fn phone(self, phone: Phone) -> Query<'a> {
        Query {
            phone: Some(phone),
            ..self
        }
    }

    /// Sets the account.
    pub fn account(self, account: &'a Account) -> Query<'a> {
        Query {
            account: Some(account),
            ..self
        }
    }

    /// Sets the zip.
    pub fn zip(self, zip: Zip) -> Query<'a> {
        Query {
            zip: Some(zip),
            ..self
        }
    }
}
