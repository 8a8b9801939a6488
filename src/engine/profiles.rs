//! Dialing-profile management on the engine (SPEC 13): create, read, update,
//! delete, pages and info of profiles; add, update and remove policies;
//! assign and remove services; the client default. Every change is checked
//! in full before anything is applied.
//!
//! `scope` is the client the caller acts for: `Some(client)` sees that
//! client's profiles and the system-wide ones (and may change only its own);
//! `None` is the system itself, which sees and changes all.

use crate::dialing::hours::{HoursAnswer, TimeRules};
use crate::dialing::profile::{DialingProfile, NewPolicy, NewProfile, Policy, PolicyUpdate};
use crate::engine::Engine;
use crate::error::DncError;
use crate::id_set::union_page;
use crate::page::{ListInfo, Page, PageRequest};
use crate::values::ids::{ClientId, PolicyId, ProfileId, ServiceId};
use crate::values::phone::Phone;

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

impl Engine {
    /// Creates a dialing profile with its policies and returns its id.
    ///
    /// Errors: a blank name; `client_default` on a system-wide profile;
    /// `scope` creating another client's profile or a system-wide one.
    pub fn profile_create(
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
        let store = &mut self.profiles;
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

    /// The profile `id`, as `scope` may see it: a client reading a
    /// system-wide profile sees only its own services among those assigned
    /// to it (another tenant's service ids are not revealed).
    pub fn profile_read(
        &self,
        scope: Option<ClientId>,
        id: ProfileId,
    ) -> Result<DialingProfile, DncError> {
        let mut profile = self.profiles.visible(scope, id)?.clone();
        if let (Some(scope), None) = (scope, profile.client) {
            profile
                .services
                .retain(|&service| self.client_of(service) == Some(scope));
        }
        Ok(profile)
    }

    /// Changes the name and/or description (the reference's "Update Dialing
    /// Profile"); `None` leaves a field as it is, `Some(None)` clears the
    /// description.
    pub fn profile_update(
        &mut self,
        scope: Option<ClientId>,
        id: ProfileId,
        name: Option<&str>,
        description: Option<Option<String>>,
    ) -> Result<(), DncError> {
        let name = name.map(checked_name).transpose()?;
        let profile = self.profiles.changeable(scope, id)?;
        if let Some(name) = name {
            profile.name = name;
        }
        if let Some(description) = description {
            profile.description = description;
        }
        Ok(())
    }

    /// Makes the profile its client's default (the previous default stops
    /// being one), or stops it being the default.
    pub fn profile_set_client_default(
        &mut self,
        scope: Option<ClientId>,
        id: ProfileId,
        default: bool,
    ) -> Result<(), DncError> {
        let client = self.profiles.changeable(scope, id)?.client;
        let Some(client) = client else {
            return Err(DncError::InvalidProfile {
                field: "clientDefault",
                value: default.to_string(),
                reason: "a system-wide profile cannot be a client's default",
            });
        };
        self.profiles.set_default(client, id, default);
        Ok(())
    }

    /// Deletes the profile; its services fall back to their client's
    /// default, and a deleted default leaves the standard hours.
    pub fn profile_delete(
        &mut self,
        scope: Option<ClientId>,
        id: ProfileId,
    ) -> Result<DialingProfile, DncError> {
        self.profiles.changeable(scope, id)?;
        self.profiles
            .delete(id)
            .ok_or(DncError::ProfileNotFound { profile: id })
    }

    /// A page of the profiles `scope` sees, ascending by id (the
    /// reference's "List Dialing Profiles"). A client's page reads its own
    /// and the system-wide profile ids only: O(log n) plus the page.
    pub fn profile_page(
        &self,
        scope: Option<ClientId>,
        request: PageRequest,
    ) -> Page<ProfileSummary> {
        let sets = self.profiles.visible_sets(scope);
        let (ids, next) = union_page(&sets, request.offset, request.count);
        Page {
            entries: ids
                .into_iter()
                .filter_map(|id| self.profiles.profiles.get(&ProfileId::from_stored(id)))
                .map(|profile| ProfileSummary {
                    id: profile.id,
                    name: profile.name.clone(),
                    description: profile.description.clone(),
                })
                .collect(),
            next,
        }
    }

    /// How many profiles `scope` sees (its own and the system-wide ones,
    /// counted without reading other clients'). Profile changes carry no
    /// instant, so `last_modified` is `None` (the reference allows it to be
    /// absent).
    pub fn profile_info(&self, scope: Option<ClientId>) -> ListInfo {
        ListInfo {
            size: self
                .profiles
                .visible_sets(scope)
                .iter()
                .map(|set| set.len())
                .sum(),
            last_modified: None,
        }
    }

    /// Adds a policy to the profile and returns its id.
    pub fn policy_add(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        rule: NewPolicy,
    ) -> Result<PolicyId, DncError> {
        self.profiles.changeable(scope, profile)?;
        let id = self.profiles.assign_policy_id()?;
        self.profiles
            .changeable(scope, profile)?
            .policies
            .push(Policy { id, rule });
        self.profiles.policies_changed(profile);
        Ok(id)
    }

    /// Changes a policy (the reference's "Update Dialing Policy"); the
    /// result must still be a valid policy, else nothing changes.
    pub fn policy_update(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        policy: PolicyId,
        update: &PolicyUpdate,
    ) -> Result<(), DncError> {
        let stored = self
            .profiles
            .changeable(scope, profile)?
            .policies
            .iter_mut()
            .find(|stored| stored.id == policy)
            .ok_or(DncError::PolicyNotFound { profile, policy })?;
        stored.rule = update.apply(&stored.rule)?;
        self.profiles.policies_changed(profile);
        Ok(())
    }

    /// Removes a policy from the profile.
    pub fn policy_remove(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        policy: PolicyId,
    ) -> Result<Policy, DncError> {
        let policies = &mut self.profiles.changeable(scope, profile)?.policies;
        let at = policies
            .iter()
            .position(|stored| stored.id == policy)
            .ok_or(DncError::PolicyNotFound { profile, policy })?;
        let removed = policies.remove(at);
        self.profiles.policies_changed(profile);
        Ok(removed)
    }

    /// Assigns `service` to the profile (taking it off any other): the
    /// service then dials under it. The service must be registered and, for
    /// a client's profile, belong to that client.
    pub fn profile_assign_service(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        service: ServiceId,
    ) -> Result<(), DncError> {
        let owner = self
            .client_of(service)
            .ok_or(DncError::UnknownService { service })?;
        let profile_client = self.profiles.changeable(scope, profile)?.client;
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
        self.profiles.assign_service(service, profile);
        Ok(())
    }

    /// Takes `service` off the profile; it then dials under its client's
    /// default. `NotFound` when it was not assigned to this profile.
    pub fn profile_remove_service(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        service: ServiceId,
    ) -> Result<(), DncError> {
        let services = &mut self.profiles.changeable(scope, profile)?.services;
        let at = services
            .binary_search(&service)
            .map_err(|_| DncError::InvalidProfile {
                field: "service",
                value: service.to_string(),
                reason: "the service is not assigned to this profile",
            })?;
        services.remove(at);
        self.profiles.by_service.remove(&service);
        Ok(())
    }

    /// The profile `service` dials under: its own, else its client's
    /// default; `None` means the standard hours (08:00–21:00 every day).
    pub fn profile_for_service(
        &self,
        service: ServiceId,
    ) -> Result<Option<&DialingProfile>, DncError> {
        let client = self
            .client_of(service)
            .ok_or(DncError::UnknownService { service })?;
        Ok(self.profiles.for_service(client, service))
    }

    /// Every profile, for snapshots and the model comparisons of the tests.
    pub fn profiles(&self) -> impl Iterator<Item = &DialingProfile> {
        self.profiles.profiles.values()
    }

    /// The dialing hours alone (SPEC 13): may `service` start dialing
    /// `phone` at `at`, in the callee's local time by the service's profile?
    /// See [`crate::dial_places`] for where the callee may be.
    pub fn dialing_hours(
        &self,
        service: ServiceId,
        phone: Phone,
        at: jiff::Timestamp,
    ) -> Result<HoursAnswer, DncError> {
        let places = crate::dial_places(phone, None)?;
        let profile = self.profile_for_service(service)?;
        let policies = profile.map_or(&[][..], |profile| &profile.policies);
        Ok(TimeRules {
            policies,
            index: self.profiles.policy_index(profile),
            places: &places,
        }
        .answer(at))
    }
}
