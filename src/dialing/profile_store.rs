//! The dialing profiles of every client (SPEC 13): storage, visibility and
//! the service -> profile -> client default lookup. Validation against the
//! engine's services lives in `profile_ops`.

use std::collections::BTreeMap;

use hashbrown::HashMap;

use crate::dialing::policy_index::PolicyIndex;
use crate::dialing::profile::DialingProfile;
use crate::error::DncError;
use crate::id_set::IdSet;
use crate::values::ids::{ClientId, PolicyId, ProfileId, ServiceId};

static NO_POLICIES: PolicyIndex = PolicyIndex::EMPTY;

/// Every dialing profile, with the indexes the evaluation needs and the ids
/// by owner that pages and counts read.
#[derive(Clone, Debug, Default)]
pub(crate) struct ProfileStore {
    /// Changed only through [`insert`](Self::insert),
    /// [`delete`](Self::delete) and `changeable` followed by
    /// `policies_changed`, so that `by_owner` and `policy_indexes` stay in
    /// step.
    pub(crate) profiles: BTreeMap<ProfileId, DialingProfile>,
    /// Each profile's policies by region (issue 10, section 7: evaluation
    /// reads only the policies that can cover the callee's places).
    policy_indexes: HashMap<ProfileId, PolicyIndex>,
    /// Profile ids by owner (`None`: system-wide), so that what one client
    /// sees is two sets, whatever other clients hold.
    by_owner: HashMap<Option<ClientId>, IdSet>,
    /// Every profile id (what the system itself sees).
    all: IdSet,
    /// The profile a service is assigned to (at most one).
    pub(crate) by_service: HashMap<ServiceId, ProfileId>,
    /// A client's default profile (at most one).
    pub(crate) defaults: HashMap<ClientId, ProfileId>,
    /// The next ids to assign; never reused.
    pub(crate) next_profile: u64,
    pub(crate) next_policy: u64,
}

impl ProfileStore {
    /// Stores a new profile (its id unused), with its policy index and its
    /// place among its owner's ids.
    pub(crate) fn insert(&mut self, profile: DialingProfile) {
        self.by_owner
            .entry(profile.client)
            .or_default()
            .insert(profile.id.get());
        self.all.insert(profile.id.get());
        self.policy_indexes
            .insert(profile.id, PolicyIndex::build(&profile.policies));
        self.profiles.insert(profile.id, profile);
    }

    /// The disjoint id sets of the profiles `scope` sees: a client's own
    /// and the system-wide ones; all of them for no scope.
    pub(crate) fn visible_sets(&self, scope: Option<ClientId>) -> Vec<&IdSet> {
        match scope {
            Some(client) => [Some(client), None]
                .iter()
                .filter_map(|owner| self.by_owner.get(owner))
                .collect(),
            None => vec![&self.all],
        }
    }

    /// The owner index agrees with the profiles (for `Engine::validate`).
    fn validate_owners(&self) -> Result<(), String> {
        let mut rebuilt: HashMap<Option<ClientId>, Vec<u64>> = HashMap::new();
        for profile in self.profiles.values() {
            rebuilt
                .entry(profile.client)
                .or_default()
                .push(profile.id.get());
        }
        self.all.validate()?;
        if !self.all.iter().eq(self.profiles.keys().map(|id| id.get())) {
            return Err("profile ids out of step".to_owned());
        }
        if rebuilt.len() != self.by_owner.len() {
            return Err("profile owners out of step".to_owned());
        }
        for (owner, set) in &self.by_owner {
            set.validate()?;
            if rebuilt.get(owner) != Some(&set.iter().collect()) {
                return Err(format!("profile ids of {owner:?} out of step"));
            }
        }
        Ok(())
    }

    /// The profile `service` (of `client`) dials under: its own, else the
    /// client's default; `None` means the standard hours.
    #[inline]
    pub(crate) fn for_service(
        &self,
        client: ClientId,
        service: ServiceId,
    ) -> Option<&DialingProfile> {
        let id = self
            .by_service
            .get(&service)
            .or_else(|| self.defaults.get(&client))?;
        self.profiles.get(id)
    }

    /// The policies of `profile` by region (empty without a profile: the
    /// standard hours).
    #[inline]
    pub(crate) fn policy_index(&self, profile: Option<&DialingProfile>) -> &PolicyIndex {
        profile
            .and_then(|profile| self.policy_indexes.get(&profile.id))
            .unwrap_or(&NO_POLICIES)
    }

    /// Rebuilds the policy index of `id` after its policies changed.
    pub(crate) fn policies_changed(&mut self, id: ProfileId) {
        if let Some(profile) = self.profiles.get(&id) {
            self.policy_indexes
                .insert(id, PolicyIndex::build(&profile.policies));
        }
    }

    /// The owner index agrees with the profiles, every policy index
    /// equals one rebuilt from its profile's policies, and no profile lacks
    /// one. For tests and fuzzing.
    pub(crate) fn validate(&self) -> Result<(), String> {
        self.validate_owners()?;
        if self.policy_indexes.len() != self.profiles.len() {
            return Err("a policy index without its profile, or a profile without one".to_owned());
        }
        for (id, profile) in &self.profiles {
            if self.policy_indexes.get(id) != Some(&PolicyIndex::build(&profile.policies)) {
                return Err(format!("the policy index of profile {id} is stale"));
            }
        }
        Ok(())
    }

    /// The profile `id` as `scope` sees it: a client sees its own profiles
    /// and the system-wide ones; no scope sees all.
    pub(crate) fn visible(
        &self,
        scope: Option<ClientId>,
        id: ProfileId,
    ) -> Result<&DialingProfile, DncError> {
        self.profiles
            .get(&id)
            .filter(|profile| profile.visible_to(scope))
            .ok_or(DncError::ProfileNotFound { profile: id })
    }

    /// The profile `id` for a change by `scope`: as `visible`, except that a
    /// system-wide profile only changes without a client scope.
    pub(crate) fn changeable(
        &mut self,
        scope: Option<ClientId>,
        id: ProfileId,
    ) -> Result<&mut DialingProfile, DncError> {
        let profile = self
            .profiles
            .get_mut(&id)
            .filter(|profile| profile.visible_to(scope))
            .ok_or(DncError::ProfileNotFound { profile: id })?;
        if scope.is_some() && profile.client.is_none() {
            return Err(DncError::InvalidProfile {
                field: "profile",
                value: id.to_string(),
                reason: "a system-wide profile changes only without a client scope",
            });
        }
        Ok(profile)
    }

    pub(crate) fn assign_policy_id(&mut self) -> Result<PolicyId, DncError> {
        let id = PolicyId::new(self.next_policy.max(1))?;
        self.next_policy = id.get() + 1;
        Ok(id)
    }

    /// Makes `id` its client's default, or stops it being one.
    pub(crate) fn set_default(&mut self, client: ClientId, id: ProfileId, default: bool) {
        if default {
            if let Some(previous) = self.defaults.insert(client, id) {
                if previous != id {
                    if let Some(profile) = self.profiles.get_mut(&previous) {
                        profile.client_default = false;
                    }
                }
            }
        } else if self.defaults.get(&client) == Some(&id) {
            self.defaults.remove(&client);
        }
        if let Some(profile) = self.profiles.get_mut(&id) {
            profile.client_default = default;
        }
    }

    /// Assigns `service` to `id`, taking it off any other profile.
    pub(crate) fn assign_service(&mut self, service: ServiceId, id: ProfileId) {
        if let Some(previous) = self.by_service.insert(service, id) {
            if let Some(profile) = self.profiles.get_mut(&previous) {
                profile.services.retain(|&s| s != service);
            }
        }
        if let Some(profile) = self.profiles.get_mut(&id) {
            if let Err(at) = profile.services.binary_search(&service) {
                profile.services.insert(at, service);
            }
        }
    }

    /// Deletes `id` with its assignments and default.
    pub(crate) fn delete(&mut self, id: ProfileId) -> Option<DialingProfile> {
        let profile = self.profiles.remove(&id)?;
        self.policy_indexes.remove(&id);
        self.all.remove(id.get());
        if let Some(ids) = self.by_owner.get_mut(&profile.client) {
            ids.remove(id.get());
            if ids.is_empty() {
                self.by_owner.remove(&profile.client);
            }
        }
        for service in &profile.services {
            self.by_service.remove(service);
        }
        if let Some(client) = profile.client {
            if self.defaults.get(&client) == Some(&id) {
                self.defaults.remove(&client);
            }
        }
        Some(profile)
    }
}
