//! The legacy list's modification instants (kept only for changes that
//! carried one), what a legacy find keeps, and how a bulk record of one
//! client's list is vetted.

use hashbrown::HashMap;
use jiff::Timestamp;

use crate::error::DncError;
use crate::legacy::entry::{Lifetime, NewEntry};
use crate::values::ids::{ClientId, EntryId, ServiceId};

/// Something and an instant (epoch milliseconds), as snapshots keep them.
#[cfg(feature = "serde")]
pub(crate) type Instant<T> = (T, i64);

/// The legacy list's modification instants (epoch milliseconds).
#[derive(Clone, Debug, Default)]
pub(crate) struct LegacyLog {
    /// Entry → the instant it was added, when the add carried one.
    pub(super) modified: HashMap<EntryId, i64>,
    /// Client → the latest instant a change to its list carried.
    pub(super) last_modified: HashMap<ClientId, i64>,
}

impl LegacyLog {
    pub(crate) fn forget(&mut self, id: EntryId) {
        self.modified.remove(&id);
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.modified.shrink_to_fit();
    }

    /// Every recorded modification instant, and every client's last change
    /// (for snapshots), each sorted.
    #[cfg(feature = "serde")]
    pub(super) fn records(&self) -> (Vec<Instant<EntryId>>, Vec<Instant<ClientId>>) {
        fn sorted<K: Ord + Copy>(map: &HashMap<K, i64>) -> Vec<(K, i64)> {
            let mut pairs: Vec<_> = map.iter().map(|(key, at)| (*key, *at)).collect();
            pairs.sort_unstable();
            pairs
        }
        (sorted(&self.modified), sorted(&self.last_modified))
    }

    pub(super) fn touch(&mut self, client: ClientId, at: i64) {
        let last = self.last_modified.entry(client).or_insert(at);
        *last = (*last).max(at);
    }
}

/// What a legacy find keeps; each filter only when given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LegacyFilter {
    /// Only DAILY or only PERMANENT entries.
    pub lifetime: Option<Lifetime>,
    /// Only entries scoped to one of these services (client-level entries
    /// have no service, so they are left out).
    pub services: Option<Vec<ServiceId>>,
    /// Only entries added at an instant after this one; entries added without an instant are left out.
    pub modified_after: Option<Timestamp>,
}

/// A bulk record of `client`'s list: refused when it names another client;
/// a record scoped to a service is checked against the list's client (the
/// service must be its). A record with neither keeps failing as `add` does
/// ([`DncError::MissingScope`]).
pub(crate) fn for_list(client: ClientId, mut new: NewEntry) -> (NewEntry, Result<(), DncError>) {
    match new.client {
        Some(named) if named != client => {
            let refusal = DncError::InvalidEntry {
                reason: format!("a record of client {client}'s list may not name another client"),
            };
            (new, Err(refusal))
        }
        Some(_) => (new, Ok(())),
        None => {
            if new.service.is_some() {
                new.client = Some(client);
            }
            (new, Ok(()))
        }
    }
}
