//! A profile's policies indexed by the most specific part of their region
//! (issue 10, section 7): evaluation at a place looks only at the policies
//! that can cover it, those of its area code, of its state and of its
//! country, not at every policy of the profile. Built whenever the
//! profile's policies change (`ProfileStore`).

use crate::dialing::profile::Policy;
use crate::geo::{AreaCode, Country, StateCode};

/// Positions in a profile's policy list, grouped by one key and ascending
/// within a key (the list's order, which decides the reported policy).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Bucketed<K> {
    /// The keys, sorted; `positions[i]` is the policy of `keys[i]`.
    keys: Vec<K>,
    positions: Vec<u32>,
}

impl<K: Ord + Copy> Bucketed<K> {
    fn from_unsorted(mut entries: Vec<(K, u32)>) -> Bucketed<K> {
        entries.sort_unstable();
        Bucketed {
            keys: entries.iter().map(|&(key, _)| key).collect(),
            positions: entries.iter().map(|&(_, position)| position).collect(),
        }
    }

    /// The positions of `key`'s policies, ascending.
    #[inline]
    fn get(&self, key: K) -> &[u32] {
        let start = self.keys.partition_point(|&k| k < key);
        let len = self.keys[start..].partition_point(|&k| k == key);
        &self.positions[start..start + len]
    }
}

/// The policies of one profile by region rank: those naming an area code
/// (rank 3), those naming a state but no area code (rank 2), those naming
/// only a country (rank 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PolicyIndex {
    by_area_code: Bucketed<AreaCode>,
    by_state: Bucketed<StateCode>,
    by_country: Bucketed<Country>,
}

impl PolicyIndex {
    /// The index of no policy (the standard hours).
    pub(crate) const EMPTY: PolicyIndex = PolicyIndex {
        by_area_code: Bucketed {
            keys: Vec::new(),
            positions: Vec::new(),
        },
        by_state: Bucketed {
            keys: Vec::new(),
            positions: Vec::new(),
        },
        by_country: Bucketed {
            keys: Vec::new(),
            positions: Vec::new(),
        },
    };

    pub(crate) fn build(policies: &[Policy]) -> PolicyIndex {
        let (mut areas, mut states, mut countries) = (Vec::new(), Vec::new(), Vec::new());
        for (position, policy) in policies.iter().enumerate() {
            let position = position as u32;
            let region = policy.rule.region;
            // A region names at least one part (Region::new), so every
            // policy lands in exactly the bucket of its specificity.
            if let Some(code) = region.area_code() {
                areas.push((code, position));
            } else if let Some(state) = region.state() {
                states.push((state, position));
            } else if let Some(country) = region.country() {
                countries.push((country, position));
            }
        }
        PolicyIndex {
            by_area_code: Bucketed::from_unsorted(areas),
            by_state: Bucketed::from_unsorted(states),
            by_country: Bucketed::from_unsorted(countries),
        }
    }

    /// The positions of the policies that can cover a place, by rank, most
    /// specific first: those of its area code, of its state, of its
    /// country. Each policy's region still has to cover the place (a
    /// policy for 415 in CA names a state too).
    #[inline]
    pub(crate) fn candidates(
        &self,
        area_code: Option<AreaCode>,
        state: Option<StateCode>,
        country: Country,
    ) -> [&[u32]; 3] {
        [
            area_code.map_or(&[][..], |code| self.by_area_code.get(code)),
            state.map_or(&[][..], |state| self.by_state.get(state)),
            self.by_country.get(country),
        ]
    }
}
