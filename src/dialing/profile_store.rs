//! The dialing profiles of every client: storage, visibility, the
//! service -> profile -> client default lookup, and every profile and
//! policy operation, beside the fields whose invariants they keep. The
//! owner of a service is the facade's to tell (it asks the legacy part).

use std::collections::BTreeMap;

use hashbrown::HashMap;

use crate::dialing::hours::{Place, TimeRules};
use crate::dialing::policy_index::PolicyIndex;
use crate::dialing::profile::DialingProfile;
use crate::dialing::profile::{NewPolicy, NewProfile, Policy, PolicyUpdate};
use crate::id_set::union_page;
use crate::page::{ListInfo, Page, PageRequest};

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
    profiles: BTreeMap<ProfileId, DialingProfile>,
    /// Each profile's policies by region (issue 10, section 7: evaluation
    /// reads only the policies that can cover the callee's places).
    policy_indexes: HashMap<ProfileId, PolicyIndex>,
    /// Profile ids by owner (`None`: system-wide), so that what one client
    /// sees is two sets, whatever other clients hold.
    by_owner: HashMap<Option<ClientId>, IdSet>,
    /// Every profile id (what the system itself sees).
    all: IdSet,
    /// The profile a service is assigned to (at most one).
    by_service: HashMap<ServiceId, ProfileId>,
    /// A client's default profile (at most one).
    defaults: HashMap<ClientId, ProfileId>,
    /// The next ids to assign; never reused.
    next_profile: u64,
    next_policy: u64,
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

    /// The rules of `profile` (the standard hours without one) for
    /// `places`: its policies and their index by region.
    #[inline]
    pub(crate) fn time_rules<'a>(
        &'a self,
        profile: Option<&'a DialingProfile>,
        places: &'a [Place],
    ) -> TimeRules<'a> {
        let index = profile
            .and_then(|profile| self.policy_indexes.get(&profile.id))
            .unwrap_or(&NO_POLICIES);
        let policies = profile.map_or(&[][..], |profile| &profile.policies);
        TimeRules::new(policies, index, places)
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

/// A line of a profile page: the reference's "List Dialing Profiles".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileSummary {
    /// The profile's id.
    pub id: ProfileId,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
}

pub(crate) fn checked_name(name: &str) -> Result<String, DncError> {
    if name.trim().is_empty() {
        return Err(DncError::InvalidProfile {
            field: "name",
            value: name.to_owned(),
            reason: "a dialing profile needs a name",
        });
    }
    Ok(name.to_owned())
}

impl ProfileStore {
    /// See `Engine::profile_create`.
    pub(crate) fn profile_create(
        &mut self,
        scope: Option<ClientId>,
        new: NewProfile,
    ) -> Result<ProfileId, DncError> {
        let name = checked_name(&new.name)?;
        if scope.is_some() && new.client != scope {
            return Err(DncError::InvalidProfile {
                field: "client",
                value: new
                    .client
                    .map_or_else(|| "none".to_owned(), |c| c.to_string()),
                reason: "a client creates profiles only for itself",
            });
        }
        if new.client_default && new.client.is_none() {
            return Err(DncError::InvalidProfile {
                field: "clientDefault",
                value: "true".to_owned(),
                reason: "a system-wide profile cannot be a client's default",
            });
        }
        // Ids are checked before anything is stored, so a refusal changes
        // nothing.
        let store = &mut *self;
        let id = ProfileId::new(store.next_profile.max(1))?;
        let first_policy = store.next_policy.max(1);
        PolicyId::new(first_policy + new.policies.len() as u64)?;
        store.next_profile = id.get() + 1;
        let policies = new
            .policies
            .iter()
            .map(|&rule| store.assign_policy_id().map(|id| Policy { id, rule }))
            .collect::<Result<Vec<_>, _>>()?;
        store.insert(DialingProfile {
            id,
            client: new.client,
            name,
            description: new.description,
            client_default: false,
            services: Vec::new(),
            policies,
        });
        if let (Some(client), true) = (new.client, new.client_default) {
            store.set_default(client, id, true);
        }
        Ok(id)
    }

    /// See `Engine::profile_read`.
    pub(crate) fn profile_read(
        &self,
        scope: Option<ClientId>,
        id: ProfileId,
        client_of: impl Fn(ServiceId) -> Option<ClientId>,
    ) -> Result<DialingProfile, DncError> {
        let mut profile = self.visible(scope, id)?.clone();
        if let (Some(scope), None) = (scope, profile.client) {
            profile
                .services
                .retain(|&service| client_of(service) == Some(scope));
        }
        Ok(profile)
    }

    /// See `Engine::profile_update`.
    pub(crate) fn profile_update(
        &mut self,
        scope: Option<ClientId>,
        id: ProfileId,
        name: Option<&str>,
        description: Option<Option<String>>,
    ) -> Result<(), DncError> {
        let name = name.map(checked_name).transpose()?;
        let profile = self.changeable(scope, id)?;
        if let Some(name) = name {
            profile.name = name;
        }
        if let Some(description) = description {
            profile.description = description;
        }
        Ok(())
    }

    /// See `Engine::profile_set_client_default`.
    pub(crate) fn profile_set_client_default(
        &mut self,
        scope: Option<ClientId>,
        id: ProfileId,
        default: bool,
    ) -> Result<(), DncError> {
        let client = self.changeable(scope, id)?.client;
        let Some(client) = client else {
            return Err(DncError::InvalidProfile {
                field: "clientDefault",
                value: default.to_string(),
                reason: "a system-wide profile cannot be a client's default",
            });
        };
        self.set_default(client, id, default);
        Ok(())
    }

    /// See `Engine::profile_delete`.
    pub(crate) fn profile_delete(
        &mut self,
        scope: Option<ClientId>,
        id: ProfileId,
    ) -> Result<DialingProfile, DncError> {
        self.changeable(scope, id)?;
        self.delete(id)
            .ok_or(DncError::ProfileNotFound { profile: id })
    }

    /// See `Engine::profile_page`.
    pub(crate) fn profile_page(
        &self,
        scope: Option<ClientId>,
        request: PageRequest,
    ) -> Page<ProfileSummary> {
        let sets = self.visible_sets(scope);
        let (ids, next) = union_page(&sets, request.offset, request.count);
        Page {
            entries: ids
                .into_iter()
                .filter_map(|id| self.profiles.get(&ProfileId::from_stored(id)))
                .map(|profile| ProfileSummary {
                    id: profile.id,
                    name: profile.name.clone(),
                    description: profile.description.clone(),
                })
                .collect(),
            next,
        }
    }

    /// See `Engine::profile_info`.
    pub(crate) fn profile_info(&self, scope: Option<ClientId>) -> ListInfo {
        ListInfo {
            size: self.visible_sets(scope).iter().map(|set| set.len()).sum(),
            last_modified: None,
        }
    }

    /// See `Engine::policy_add`.
    pub(crate) fn policy_add(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        rule: NewPolicy,
    ) -> Result<PolicyId, DncError> {
        self.changeable(scope, profile)?;
        let id = self.assign_policy_id()?;
        self.changeable(scope, profile)?
            .policies
            .push(Policy { id, rule });
        self.policies_changed(profile);
        Ok(id)
    }

    /// See `Engine::policy_update`.
    pub(crate) fn policy_update(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        policy: PolicyId,
        update: &PolicyUpdate,
    ) -> Result<(), DncError> {
        let stored = self
            .changeable(scope, profile)?
            .policies
            .iter_mut()
            .find(|stored| stored.id == policy)
            .ok_or(DncError::PolicyNotFound { profile, policy })?;
        stored.rule = update.apply(&stored.rule)?;
        self.policies_changed(profile);
        Ok(())
    }

    /// See `Engine::policy_remove`.
    pub(crate) fn policy_remove(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        policy: PolicyId,
    ) -> Result<Policy, DncError> {
        let policies = &mut self.changeable(scope, profile)?.policies;
        let at = policies
            .iter()
            .position(|stored| stored.id == policy)
            .ok_or(DncError::PolicyNotFound { profile, policy })?;
        let removed = policies.remove(at);
        self.policies_changed(profile);
        Ok(removed)
    }

    /// See `Engine::profile_assign_service`.
    pub(crate) fn profile_assign_service(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        service: ServiceId,
        owner: ClientId,
    ) -> Result<(), DncError> {
        let profile_client = self.changeable(scope, profile)?.client;
        if let Some(scope) = scope.filter(|&scope| scope != owner) {
            return Err(DncError::ServiceClientMismatch {
                service,
                owner,
                given: scope,
            });
        }
        if let Some(given) = profile_client.filter(|&client| client != owner) {
            return Err(DncError::ServiceClientMismatch {
                service,
                owner,
                given,
            });
        }
        self.assign_service(service, profile);
        Ok(())
    }

    /// See `Engine::profile_remove_service`.
    pub(crate) fn profile_remove_service(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        service: ServiceId,
    ) -> Result<(), DncError> {
        let services = &mut self.changeable(scope, profile)?.services;
        let at = services
            .binary_search(&service)
            .map_err(|_| DncError::InvalidProfile {
                field: "service",
                value: service.to_string(),
                reason: "the service is not assigned to this profile",
            })?;
        services.remove(at);
        self.by_service.remove(&service);
        Ok(())
    }
}

impl ProfileStore {
    /// Every profile, ascending by id.
    pub(crate) fn all(&self) -> impl Iterator<Item = &DialingProfile> {
        self.profiles.values()
    }
}

/// What a restore asks of the profiles.
#[cfg(feature = "serde")]
impl ProfileStore {
    /// Whether profile `id` is stored (a restore refuses it twice).
    pub(crate) fn contains(&self, id: ProfileId) -> bool {
        self.profiles.contains_key(&id)
    }

    /// Whether `client` has a default profile.
    pub(crate) fn has_default(&self, client: ClientId) -> bool {
        self.defaults.contains_key(&client)
    }

    /// Whether `service` is assigned to a profile.
    pub(crate) fn is_assigned(&self, service: ServiceId) -> bool {
        self.by_service.contains_key(&service)
    }

    /// The next profile id and the next policy id.
    pub(crate) fn next_ids(&self) -> (u64, u64) {
        (self.next_profile, self.next_policy)
    }

    /// Sets the next ids (a restore; the caller checks their range).
    pub(crate) fn set_next_ids(&mut self, next_profile: u64, next_policy: u64) {
        self.next_profile = next_profile;
        self.next_policy = next_policy;
    }
}
