//! The dialing profiles' API: create, read, update, delete, pages and info
//! of profiles; add, update and remove policies; assign and remove
//! services; the client default; and the dialing hours alone. Every change
//! is checked in full before anything is applied, by the dialing part.
//!
//! `scope` is the client the caller acts for: `Some(client)` sees that
//! client's profiles and the system-wide ones (and may change only its own);
//! `None` is the system itself, which sees and changes all.

use jiff::Timestamp;

use crate::dialing::decision::dial_places;
use crate::dialing::hours::HoursAnswer;
use crate::dialing::profile::{DialingProfile, NewPolicy, NewProfile, Policy, PolicyUpdate};
use crate::dialing::profile_store::ProfileSummary;
use crate::engine::Engine;
use crate::error::DncError;
use crate::page::{ListInfo, Page, PageRequest};
use crate::values::ids::{ClientId, PolicyId, ProfileId, ServiceId};
use crate::values::phone::Phone;

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
        self.profiles.profile_create(scope, new)
    }

    /// The profile `id`, as `scope` may see it: a client reading a
    /// system-wide profile sees only its own services among those assigned
    /// to it (another tenant's service ids are not revealed).
    pub fn profile_read(
        &self,
        scope: Option<ClientId>,
        id: ProfileId,
    ) -> Result<DialingProfile, DncError> {
        self.profiles
            .profile_read(scope, id, |service| self.legacy.client_of(service))
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
        self.profiles.profile_update(scope, id, name, description)
    }

    /// Makes the profile its client's default (the previous default stops
    /// being one), or stops it being the default.
    pub fn profile_set_client_default(
        &mut self,
        scope: Option<ClientId>,
        id: ProfileId,
        default: bool,
    ) -> Result<(), DncError> {
        self.profiles.profile_set_client_default(scope, id, default)
    }

    /// Deletes the profile; its services fall back to their client's
    /// default, and a deleted default leaves the standard hours.
    pub fn profile_delete(
        &mut self,
        scope: Option<ClientId>,
        id: ProfileId,
    ) -> Result<DialingProfile, DncError> {
        self.profiles.profile_delete(scope, id)
    }

    /// A page of the profiles `scope` sees, ascending by id (the
    /// reference's "List Dialing Profiles"). A client's page reads its own
    /// and the system-wide profile ids only: O(log n) plus the page.
    pub fn profile_page(
        &self,
        scope: Option<ClientId>,
        request: PageRequest,
    ) -> Page<ProfileSummary> {
        self.profiles.profile_page(scope, request)
    }

    /// How many profiles `scope` sees (its own and the system-wide ones,
    /// counted without reading other clients'). Profile changes carry no
    /// instant, so `last_modified` is `None` (the reference allows it to be
    /// absent).
    pub fn profile_info(&self, scope: Option<ClientId>) -> ListInfo {
        self.profiles.profile_info(scope)
    }

    /// Adds a policy to the profile and returns its id.
    pub fn policy_add(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        rule: NewPolicy,
    ) -> Result<PolicyId, DncError> {
        self.profiles.policy_add(scope, profile, rule)
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
        self.profiles.policy_update(scope, profile, policy, update)
    }

    /// Removes a policy from the profile.
    pub fn policy_remove(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        policy: PolicyId,
    ) -> Result<Policy, DncError> {
        self.profiles.policy_remove(scope, profile, policy)
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
        self.profiles
            .profile_assign_service(scope, profile, service, owner)
    }

    /// Takes `service` off the profile; it then dials under its client's
    /// default. `NotFound` when it was not assigned to this profile.
    pub fn profile_remove_service(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        service: ServiceId,
    ) -> Result<(), DncError> {
        self.profiles
            .profile_remove_service(scope, profile, service)
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
        self.profiles.all()
    }

    /// The dialing hours alone : may `service` start dialing
    /// `phone` at `at`, in the callee's local time by the service's profile?
    /// See [`crate::dial_places`] for where the callee may be.
    pub fn dialing_hours(
        &self,
        service: ServiceId,
        phone: Phone,
        at: Timestamp,
    ) -> Result<HoursAnswer, DncError> {
        let places = dial_places(phone, None)?;
        let profile = self.profile_for_service(service)?;
        Ok(self.profiles.time_rules(profile, &places).answer(at))
    }
}
