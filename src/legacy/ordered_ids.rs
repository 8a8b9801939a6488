//! One client's legacy entry ids in ascending order, by lifetime and by
//! service: what legacy pages and finds, the nightly clear, the phone DNC
//! type switch and the list's size read, so that each costs in proportion
//! to that client's own entries (a page: to the page), never to another
//! client's.
//!
//! The ids are split into disjoint [`IdSet`]s: every entry of the client
//! by lifetime, and the service-scoped ones again by service and lifetime.
//! A find is then the union of a few of those sets (`DAILY`: one; services
//! `10, 11`: two or four), paged by
//! [`union_page`](crate::id_set::union_page) at any offset. About four
//! bytes an entry, eight for a service-scoped one.

use hashbrown::HashMap;

#[cfg(feature = "serde")]
use crate::id_set::AscendingIds;
use crate::id_set::{IdSet, Merged};
use crate::legacy::entry::Lifetime;
use crate::legacy::phone_store::ServiceIdx;

/// Index of a lifetime in the `[PERMANENT, DAILY]` pairs below.
pub(crate) fn slot(lifetime: Lifetime) -> usize {
    match lifetime {
        Lifetime::Permanent => 0,
        Lifetime::Daily => 1,
    }
}

/// One client's legacy ids.
#[derive(Clone, Debug, Default)]
pub(crate) struct LegacyIds {
    /// Every entry of the client: `[PERMANENT, DAILY]`.
    by_lifetime: [IdSet; 2],
    /// The service-scoped entries, by service: `[PERMANENT, DAILY]`. A
    /// service is kept only while it has entries.
    by_service: HashMap<ServiceIdx, [IdSet; 2]>,
}

impl LegacyIds {
    pub(crate) fn insert(&mut self, id: u64, service: Option<ServiceIdx>, lifetime: Lifetime) {
        let slot = slot(lifetime);
        self.by_lifetime[slot].insert(id);
        if let Some(service) = service {
            self.by_service.entry(service).or_default()[slot].insert(id);
        }
    }

    /// A client's ids, built from ascending pushes, `[PERMANENT, DAILY]`:
    /// all of them, and the service-scoped ones by service (services with
    /// no ids are left out).
    #[cfg(feature = "serde")]
    pub(crate) fn from_ascending(
        by_lifetime: [AscendingIds; 2],
        by_service: impl Iterator<Item = (ServiceIdx, [AscendingIds; 2])>,
    ) -> LegacyIds {
        LegacyIds {
            by_lifetime: by_lifetime.map(AscendingIds::finish),
            by_service: by_service
                .map(|(service, lists)| (service, lists.map(AscendingIds::finish)))
                .filter(|(_, sets)| sets.iter().any(|set| !set.is_empty()))
                .collect(),
        }
    }

    pub(crate) fn remove(&mut self, id: u64, service: Option<ServiceIdx>, lifetime: Lifetime) {
        let slot = slot(lifetime);
        self.by_lifetime[slot].remove(id);
        if let Some(service) = service {
            if let Some(sets) = self.by_service.get_mut(&service) {
                sets[slot].remove(id);
                if sets.iter().all(IdSet::is_empty) {
                    self.by_service.remove(&service);
                }
            }
        }
    }

    /// How many entries the client has (its list's size).
    pub(crate) fn len(&self) -> usize {
        self.by_lifetime.iter().map(IdSet::len).sum()
    }

    /// Takes out every DAILY id (the nightly clear) and returns them.
    pub(crate) fn take_daily(&mut self) -> IdSet {
        let daily = std::mem::take(&mut self.by_lifetime[slot(Lifetime::Daily)]);
        self.by_service.retain(|_, sets| {
            sets[slot(Lifetime::Daily)] = IdSet::new();
            !sets[slot(Lifetime::Permanent)].is_empty()
        });
        daily
    }

    /// Every id of the client, ascending.
    pub(crate) fn all(&self) -> Merged<'_> {
        Merged::new(&[&self.by_lifetime[0], &self.by_lifetime[1]])
    }

    /// The disjoint sets whose union is the entries with `lifetime` (any,
    /// for `None`) scoped to one of `services` (any scope, client-level
    /// included, for `None`). `services` must be free of repeats.
    pub(crate) fn sets(
        &self,
        lifetime: Option<Lifetime>,
        services: Option<&[ServiceIdx]>,
    ) -> Vec<&IdSet> {
        let slots: &[usize] = match lifetime {
            None => &[0, 1],
            Some(Lifetime::Permanent) => &[0],
            Some(Lifetime::Daily) => &[1],
        };
        match services {
            None => slots.iter().map(|&s| &self.by_lifetime[s]).collect(),
            Some(services) => services
                .iter()
                .filter_map(|service| self.by_service.get(service))
                .flat_map(|sets| slots.iter().map(move |&s| &sets[s]))
                .filter(|set| !set.is_empty())
                .collect(),
        }
    }

    /// Everything held, in a canonical form (for `validate`), after checking
    /// each set's own invariants.
    pub(crate) fn contents(&self) -> Result<LegacyContents, String> {
        let ids = |set: &IdSet| -> Result<Vec<u64>, String> {
            set.validate()?;
            Ok(set.iter().collect())
        };
        let mut services = Vec::new();
        for (service, sets) in &self.by_service {
            if sets.iter().all(IdSet::is_empty) {
                return Err(format!("service {service} kept with no legacy ids"));
            }
            services.push((*service, ids(&sets[0])?, ids(&sets[1])?));
        }
        services.sort_unstable();
        Ok((
            ids(&self.by_lifetime[0])?,
            ids(&self.by_lifetime[1])?,
            services,
        ))
    }
}

/// The permanent ids, the daily ids, and per service its two lists.
pub(crate) type LegacyContents = (Vec<u64>, Vec<u64>, Vec<(ServiceIdx, Vec<u64>, Vec<u64>)>);
