//! The entries filed under one key of a client index (an account, a zip, a
//! phone + account, a pattern), found by service.
//!
//! A key usually holds one entry or a few, kept inline in a small vector
//! and filtered by service as they are read. A key held by many entries
//! (one phone blocked for each of 50,000 services of a client) is split by
//! scope instead, so that a check reads the client-level entries and those
//! of its own service, never the others': its cost follows the entries
//! that apply, not those filed under the key.

use hashbrown::HashMap;
use smallvec::SmallVec;

use crate::values::ids::{EntryId, ServiceId};

/// Above this many entries a key's postings are split by scope (two in
/// debug builds, so that the property tests split and join them often).
pub(crate) const CROWD: usize = if cfg!(debug_assertions) { 2 } else { 8 };

/// One entry as filed under its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Posting {
    pub(crate) id: EntryId,
    /// `None` for a client-level entry.
    pub(crate) service: Option<ServiceId>,
}

/// The entries under one key.
#[derive(Clone, Debug)]
pub(crate) enum Postings {
    /// At most [`CROWD`] entries, in the order they came.
    Few(SmallVec<[Posting; 1]>),
    /// More, by scope.
    Many(Box<Crowd>),
}

/// The entries of a crowded key: their ids by scope (`None`: client-level),
/// and how many.
#[derive(Clone, Debug, Default)]
pub(crate) struct Crowd {
    by_scope: HashMap<Option<ServiceId>, SmallVec<[EntryId; 1]>>,
    len: usize,
}

impl Crowd {
    fn file(&mut self, posting: Posting) {
        self.by_scope
            .entry(posting.service)
            .or_default()
            .push(posting.id);
        self.len += 1;
    }
}

impl Default for Postings {
    fn default() -> Self {
        Postings::Few(SmallVec::new())
    }
}

impl Postings {
    pub(crate) fn push(&mut self, posting: Posting) {
        match self {
            Postings::Few(few) if few.len() < CROWD => few.push(posting),
            Postings::Few(few) => {
                let mut many = Crowd::default();
                for posting in few.iter().chain([&posting]) {
                    many.file(*posting);
                }
                *self = Postings::Many(Box::new(many));
            }
            Postings::Many(many) => many.file(posting),
        }
    }

    /// Removes entry `id` (filed with `service`); false if it was not there.
    pub(crate) fn remove(&mut self, id: EntryId, service: Option<ServiceId>) -> bool {
        match self {
            Postings::Few(few) => {
                let before = few.len();
                few.retain(|posting| posting.id != id);
                few.len() < before
            }
            Postings::Many(many) => {
                let Crowd { by_scope, len } = &mut **many;
                let Some(ids) = by_scope.get_mut(&service) else {
                    return false;
                };
                let before = ids.len();
                ids.retain(|other| *other != id);
                if ids.len() == before {
                    return false;
                }
                if ids.is_empty() {
                    by_scope.remove(&service);
                }
                *len -= 1;
                // Back to a plain list well below the threshold, so that a
                // key hovering at it does not switch at every change.
                if *len <= CROWD / 2 {
                    let few = self.iter().collect();
                    *self = Postings::Few(few);
                }
                true
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Postings::Few(few) => few.is_empty(),
            Postings::Many(many) => many.len == 0,
        }
    }

    /// Calls `found` with every entry that applies to a check for
    /// `service`: client-level or scoped to it.
    #[inline]
    pub(crate) fn for_each_applicable(&self, service: ServiceId, mut found: impl FnMut(EntryId)) {
        match self {
            Postings::Few(few) => {
                for posting in few {
                    if posting.service.is_none_or(|scope| scope == service) {
                        found(posting.id);
                    }
                }
            }
            Postings::Many(many) => {
                for scope in [None, Some(service)] {
                    if let Some(ids) = many.by_scope.get(&scope) {
                        ids.iter().copied().for_each(&mut found);
                    }
                }
            }
        }
    }

    /// Every posting, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Posting> + '_ {
        let (few, many) = match self {
            Postings::Few(few) => (Some(few), None),
            Postings::Many(many) => (None, Some(&many.by_scope)),
        };
        let few = few.into_iter().flatten().copied();
        let many = many.into_iter().flatten().flat_map(|(service, ids)| {
            ids.iter().map(move |&id| Posting {
                id,
                service: *service,
            })
        });
        few.chain(many)
    }

    /// The representation matches the count (for `validate`).
    pub(crate) fn check_shape(&self) -> Result<(), String> {
        match self {
            Postings::Few(few) if few.len() > CROWD => {
                Err(format!("{} postings kept in a plain list", few.len()))
            }
            Postings::Many(many) => {
                let counted: usize = many.by_scope.values().map(SmallVec::len).sum();
                if counted != many.len || many.by_scope.values().any(SmallVec::is_empty) {
                    return Err("split postings out of step".to_owned());
                }
                if counted <= CROWD / 2 {
                    return Err(format!("{counted} postings kept split"));
                }
                Ok(())
            }
            Postings::Few(_) => Ok(()),
        }
    }
}
