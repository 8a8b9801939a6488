//! The facade: [`Engine`], the one type users hold. It owns the three
//! parts (the legacy list, the channel lists, the dialing profiles) and
//! delegates to them; the files beside this one are its API families
//! (checks, legacy list, channel lists and the phone DNC type, profiles,
//! registries, the dial decision, snapshots, principals, sharing).

mod attempts;
mod channels;
mod check;
mod dial;
mod dnc_type;
#[cfg(feature = "image")]
pub(crate) mod image;
mod legacy;
mod next_allowed;
mod profiles;
mod registries;
pub(crate) mod scoped;
pub(crate) mod sharing;
#[cfg(feature = "serde")]
pub(crate) mod snapshot;
#[cfg(feature = "serde")]
pub(crate) mod snapshot_integrity;

use std::fmt;

use jiff::Timestamp;

use crate::attempts::store::AttemptStore;
use crate::channels::state::ChannelState;
use crate::dialing::profile_store::ProfileStore;
use crate::error::DncError;
use crate::legacy::list::LegacyList;
use crate::registry::store::RegistryStore;
use crate::values::ids::{ClientId, ServiceId};

/// The DNC engine: holds every client's services, entries and account flags,
/// and answers [`is_blocked`](Engine::is_blocked) and the
/// [dial check](Engine::dial_check).
///
/// Checks take `&self` and never allocate unless more than four entries
/// apply; changes take `&mut self` and are all-or-nothing: a refused change
/// leaves the engine as it was. To share one engine between threads, put it
/// behind a lock of the host's choosing (`std::sync::RwLock<Engine>`): every
/// public type of the crate is `Send + Sync`.
#[derive(Clone, Default)]
pub struct Engine {
    /// The services, the legacy entries and account flags, and which
    /// clients' phone checks the dialtime list answers instead.
    legacy: LegacyList,
    /// The dialtime, SMS and email lists and their settings.
    channels: ChannelState,
    /// The dialing profiles and their policies.
    profiles: ProfileStore,
    /// The registry copies, and each client's subscriptions and exemptions.
    registries: RegistryStore,
    /// Each client's contact attempts, attempt rules and debt-collector
    /// mark.
    attempts: AttemptStore,
    /// The sequence of the last change of a log applied
    /// ([`Engine::apply`]); 0 for none.
    pub(crate) position: u64,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.legacy
            .debug_counts(&mut f.debug_struct("Engine"))
            .finish()
    }
}

impl Engine {
    /// An empty engine.
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Makes room for `additional` more phone-only entries, so that a bulk
    /// load does not rehash as it grows. A size the engine cannot hold
    /// (more than 2^30 phone entries) or the allocator cannot give is
    /// [`DncError::CapacityExceeded`], never an abort, so a count read from
    /// a file can be passed as it is; nothing changes then.
    pub fn reserve(&mut self, additional: usize) -> Result<(), DncError> {
        self.legacy.reserve(additional)
    }

    /// Gives back the memory that removed entries held (tables keep their
    /// size as entries go, so that a list that shrinks and grows again
    /// does not rehash twice). Call it after a large removal, such as a
    /// nightly clear of many DAILY entries; it takes about as long as
    /// rebuilding the phone table.
    pub fn shrink_to_fit(&mut self) {
        self.legacy.shrink_to_fit()
    }

    /// Registers `service` as belonging to `client`. Registering the same pair
    /// again does nothing; registering a known service under another client is
    /// [`DncError::ServiceClientMismatch`].
    pub fn register_service(
        &mut self,
        client: ClientId,
        service: ServiceId,
    ) -> Result<(), DncError> {
        self.legacy.register_service(client, service)
    }

    /// The client that owns `service`, if it is registered.
    pub fn client_of(&self, service: ServiceId) -> Option<ClientId> {
        self.legacy.client_of(service)
    }

    /// Every registered `(client, service)` pair, in no particular order.
    pub fn services(&self) -> impl Iterator<Item = (ClientId, ServiceId)> + '_ {
        self.legacy.services()
    }

    /// How many entries are stored.
    pub fn len(&self) -> usize {
        self.legacy.len()
    }

    /// Whether no entry is stored.
    pub fn is_empty(&self) -> bool {
        self.legacy.is_empty()
    }

    /// The id the next [`add`](Engine::add) without an id would get (one
    /// greater than every id stored so far; `2^63` once the range is used up).
    pub fn next_id(&self) -> u64 {
        self.legacy.next_id()
    }

    /// Checks the engine's internal invariants: every client index equals one
    /// rebuilt from the entries, every entry's service belongs to its client,
    /// no id reaches `next_id`, no empty index is kept; and the same of the
    /// channel lists and the profiles. For tests and fuzzing.
    #[doc(hidden)]
    pub fn validate(&self) -> Result<(), String> {
        self.legacy.validate()?;
        self.channels
            .validate(|service| self.legacy.client_of(service))?;
        self.profiles.validate()
    }
}

/// An instant as the parts keep it: epoch milliseconds, the reference's
/// precision. The facade takes every instant as a [`Timestamp`] (one type
/// for the whole API) and the parts compare and store plain integers on the
/// hot path; a finer instant is cut to its millisecond.
pub(crate) fn millis(at: Option<Timestamp>) -> Option<i64> {
    at.map(|at| at.as_millisecond())
}
