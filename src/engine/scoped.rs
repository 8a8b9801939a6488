//! The engine as one caller may use it (the reference: "A principal never reads or
//! changes another client's data"): every read and write confined to the
//! caller's client, enforced by the library rather than by each host.
//!
//! [`Engine::scoped`] and [`Engine::scoped_mut`] wrap the engine for a
//! [`Caller`]. For [`Caller::Host`] (the dialer host itself, trusted with
//! every client) each method does exactly what the engine's method of the
//! same name does. For [`Caller::Principal`] each method first applies the
//! role rules of [`authorize`] to the method on the principal's own client,
//! and then confines the request to that client:
//!
//! - a client the caller names (a list's client, a profile scope) must be
//!   its own, else [`DncError::Forbidden`]; "every client" (a clear of all
//!   clients, system-wide profiles) is forbidden;
//! - the owner of what the request touches decides, never a field the
//!   caller wrote: a service of another client answers
//!   [`DncError::UnknownService`] exactly as a service that was never
//!   registered, and an entry of another client [`DncError::NotFound`]
//!   exactly as a missing one, so a refusal tells nothing about other
//!   tenants;
//! - every record of a bulk create is checked as a single create would be.
//!
//! The role check comes first, so the answer to a method the role may not
//! call is the same whatever the request names.

mod attempts;
mod registries;

use std::ops::{Deref, DerefMut};

use jiff::Timestamp;

use crate::access::policy::{Principal, authorize};
use crate::access::roles::Method;
use crate::channel::Channel;
use crate::channels::migration::Migration;
use crate::channels::types::{ChannelEntry, ChannelFilter, ChannelQuery, NewChannelEntry};
use crate::dialing::decision::{DialDecision, DialRequest};
use crate::dialing::hours::HoursAnswer;
use crate::dialing::profile::{DialingProfile, NewPolicy, NewProfile, Policy, PolicyUpdate};
use crate::dialing::profile_store::ProfileSummary;
use crate::dnc_type::PhoneDncType;
use crate::engine::Engine;
use crate::error::DncError;
use crate::legacy::entry::{DncEntry, NewEntry};
use crate::legacy::list::AddManyOutcome;
use crate::legacy::log::LegacyFilter;
use crate::page::{BulkOutcome, ListInfo, Page, PageRequest};
use crate::query::Query;
use crate::values::account::Account;
use crate::values::flags::{AccountFlags, FlagUpdate};
use crate::values::ids::{ClientId, ContactGroupId, EntryId, PolicyId, ProfileId, ServiceId};
use crate::values::phone::Phone;
use crate::verdict::Verdict;

/// Who is calling the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Caller {
    /// The host itself: trusted with every client's data (what calling the
    /// [`Engine`] directly does).
    Host,
    /// A user of one client, held to the access policy and to that client.
    Principal(Principal),
}

/// The engine as one [`Caller`] may use it (see the crate's
/// [access](crate#access) section): for a principal, the role rules first,
/// then every call confined to its client; another client's service or
/// entry answers exactly as one that does not exist.
///
/// `Scoped<&Engine>` offers the reads, `Scoped<&mut Engine>` the reads and
/// the changes.
#[derive(Debug)]
pub struct Scoped<E> {
    engine: E,
    caller: Caller,
}

impl Engine {
    /// The engine's reads as `caller` may make them.
    pub fn scoped(&self, caller: Caller) -> Scoped<&Engine> {
        Scoped {
            engine: self,
            caller,
        }
    }

    /// The engine's reads and changes as `caller` may make them.
    pub fn scoped_mut(&mut self, caller: Caller) -> Scoped<&mut Engine> {
        Scoped {
            engine: self,
            caller,
        }
    }
}

impl<E: Deref<Target = Engine>> Scoped<E> {
    /// Who is calling.
    pub fn caller(&self) -> Caller {
        self.caller
    }

    fn principal(&self) -> Option<&Principal> {
        match &self.caller {
            Caller::Host => None,
            Caller::Principal(principal) => Some(principal),
        }
    }

    /// The role rules for `method` on the caller's own client: checked
    /// before anything is looked up, so a refusal says nothing about what
    /// the request names.
    fn allow(&self, method: Method) -> Result<(), DncError> {
        match self.principal() {
            None => Ok(()),
            Some(principal) => authorize(principal, method, principal.client),
        }
    }

    /// A client the caller named: its own, or forbidden.
    fn own_client(&self, method: Method, client: ClientId) -> Result<(), DncError> {
        self.allow(method)?;
        self.wall_client(method, client)
    }

    /// The wall alone, once the role rules passed: a client the caller
    /// named must be its own (the refusal [`authorize`] gives, which names
    /// no other client).
    fn wall_client(&self, method: Method, client: ClientId) -> Result<(), DncError> {
        match self.principal() {
            Some(principal) if !self.sees(client) => Err(DncError::Forbidden {
                role: principal.role,
                method,
                reason: crate::access::policy::ANOTHER_CLIENT,
            }),
            _ => Ok(()),
        }
    }

    /// "Every client" (a clear of all clients, system-wide profiles):
    /// the host's alone.
    fn every_client(&self, method: Method, reason: &'static str) -> Result<(), DncError> {
        self.allow(method)?;
        match self.principal() {
            None => Ok(()),
            Some(principal) => Err(DncError::Forbidden {
                role: principal.role,
                method,
                reason,
            }),
        }
    }

    /// A profile scope: `None` (the system) is the host's alone.
    fn own_scope(&self, scope: Option<ClientId>) -> Result<(), DncError> {
        match scope {
            Some(client) => self.own_client(Method::DialingProfiles, client),
            None => self.every_client(
                Method::DialingProfiles,
                "without a client a profile call acts on system-wide profiles",
            ),
        }
    }

    /// The owner of `service`, which must be the caller's client: another
    /// client's service is as unknown as one never registered.
    fn own_service(&self, method: Method, service: ServiceId) -> Result<ClientId, DncError> {
        self.allow(method)?;
        self.wall_service(service)
    }

    /// The wall alone for a service, once the role rules passed.
    fn wall_service(&self, service: ServiceId) -> Result<ClientId, DncError> {
        self.client_of(service)
            .ok_or(DncError::UnknownService { service })
    }

    /// Legacy entry `id`, which must be the caller's client's: another
    /// client's entry is as absent as a missing one.
    fn own_entry(&self, method: Method, id: EntryId) -> Result<DncEntry, DncError> {
        self.allow(method)?;
        self.engine
            .entry(id)
            .filter(|entry| self.sees(entry.client))
            .ok_or(DncError::NotFound { id })
    }

    /// The walls of a new legacy entry, once the role rules passed: its
    /// service, and its client, must be the caller's.
    fn wall_new_entry(&self, method: Method, new: &NewEntry) -> Result<(), DncError> {
        if let Some(service) = new.service {
            self.wall_service(service)?;
        }
        if let Some(client) = new.client {
            self.wall_client(method, client)?;
        }
        Ok(())
    }

    /// Whether the caller may see `client`'s data at all (the host: every
    /// client; a principal: its own).
    fn sees(&self, client: ClientId) -> bool {
        self.principal()
            .is_none_or(|principal| principal.client == client)
    }

    /// The client of `service`, if it is registered and visible to the
    /// caller (`None` for another client's).
    pub fn client_of(&self, service: ServiceId) -> Option<ClientId> {
        self.engine
            .client_of(service)
            .filter(|&client| self.sees(client))
    }

    /// [`Engine::phone_dnc_type`] of a client the caller sees (`None`
    /// for another client).
    pub fn phone_dnc_type(&self, client: ClientId) -> Option<PhoneDncType> {
        self.sees(client)
            .then(|| self.engine.phone_dnc_type(client))
    }

    /// [`Engine::is_blocked`] ([`Method::IsBlocked`]).
    pub fn is_blocked(&self, query: &Query<'_>) -> Result<Verdict, DncError> {
        self.own_service(Method::IsBlocked, query.service)?;
        self.engine.is_blocked(query)
    }

    /// [`Engine::dial_check`] ([`Method::IsBlocked`]).
    pub fn dial_check(&self, query: &Query<'_>) -> Result<Verdict, DncError> {
        self.own_service(Method::IsBlocked, query.service)?;
        self.engine.dial_check(query)
    }

    /// [`Engine::channel_check`] ([`Method::IsBlocked`]).
    pub fn channel_check(
        &self,
        channel: Channel,
        query: &ChannelQuery<'_>,
    ) -> Result<Verdict, DncError> {
        self.own_service(Method::IsBlocked, query.service)?;
        self.engine.channel_check(channel, query)
    }

    /// [`Engine::dial_decision`] ([`Method::DialDecision`]: it reads the
    /// DNC lists and the dialing profile).
    pub fn dial_decision(&self, request: &DialRequest<'_>) -> Result<DialDecision, DncError> {
        self.own_service(Method::DialDecision, request.service)?;
        self.engine.dial_decision(request)
    }

    /// [`Engine::dialing_hours`] ([`Method::DialingProfiles`]: an
    /// evaluation of the service's profile, windows and all).
    pub fn dialing_hours(
        &self,
        service: ServiceId,
        phone: Phone,
        at: Timestamp,
    ) -> Result<HoursAnswer, DncError> {
        self.own_service(Method::DialingProfiles, service)?;
        self.engine.dialing_hours(service, phone, at)
    }

    /// [`Engine::profile_for_service`] ([`Method::DialingProfiles`]).
    pub fn profile_for_service(
        &self,
        service: ServiceId,
    ) -> Result<Option<&DialingProfile>, DncError> {
        self.own_service(Method::DialingProfiles, service)?;
        self.engine.profile_for_service(service)
    }

    /// [`Engine::is_legacy_dnc_enabled`] ([`Method::IsLegacyDncEnabled`]).
    pub fn is_legacy_dnc_enabled(&self, client: ClientId) -> Result<bool, DncError> {
        self.own_client(Method::IsLegacyDncEnabled, client)?;
        Ok(self.engine.is_legacy_dnc_enabled(client))
    }

    /// [`Engine::legacy_read`] ([`Method::Read`]).
    pub fn legacy_read(&self, client: ClientId, id: EntryId) -> Result<DncEntry, DncError> {
        self.own_client(Method::Read, client)?;
        self.engine.legacy_read(client, id)
    }

    /// [`Engine::legacy_page`] ([`Method::List`], or [`Method::Find`] with a
    /// filter).
    pub fn legacy_page(
        &self,
        client: ClientId,
        filter: &LegacyFilter,
        request: PageRequest,
    ) -> Result<Page<DncEntry>, DncError> {
        let method = if *filter == LegacyFilter::default() {
            Method::List
        } else {
            Method::Find
        };
        self.own_client(method, client)?;
        self.engine.legacy_page(client, filter, request)
    }

    /// [`Engine::legacy_info`] ([`Method::Info`]).
    pub fn legacy_info(&self, client: ClientId) -> Result<ListInfo, DncError> {
        self.own_client(Method::Info, client)?;
        self.engine.legacy_info(client)
    }

    /// [`Engine::channel_read`] ([`Method::Read`]).
    pub fn channel_read(
        &self,
        channel: Channel,
        client: ClientId,
        id: EntryId,
    ) -> Result<ChannelEntry, DncError> {
        self.own_client(Method::Read, client)?;
        self.engine.channel_read(channel, client, id)
    }

    /// [`Engine::channel_page`] ([`Method::List`], or [`Method::Find`] with
    /// a filter).
    pub fn channel_page(
        &self,
        channel: Channel,
        client: ClientId,
        filter: &ChannelFilter,
        request: PageRequest,
    ) -> Result<Page<ChannelEntry>, DncError> {
        let method = if filter.value.is_none() && filter.contact_group.is_none() {
            Method::List
        } else {
            Method::Find
        };
        self.own_client(method, client)?;
        self.engine.channel_page(channel, client, filter, request)
    }

    /// [`Engine::channel_info`] ([`Method::Info`]).
    pub fn channel_info(&self, channel: Channel, client: ClientId) -> Result<ListInfo, DncError> {
        self.own_client(Method::Info, client)?;
        self.engine.channel_info(channel, client)
    }

    /// [`Engine::profile_read`] ([`Method::DialingProfiles`]).
    pub fn profile_read(
        &self,
        scope: Option<ClientId>,
        id: ProfileId,
    ) -> Result<DialingProfile, DncError> {
        self.own_scope(scope)?;
        self.engine.profile_read(scope, id)
    }

    /// [`Engine::profile_page`] ([`Method::DialingProfiles`]).
    pub fn profile_page(
        &self,
        scope: Option<ClientId>,
        request: PageRequest,
    ) -> Result<Page<ProfileSummary>, DncError> {
        self.own_scope(scope)?;
        Ok(self.engine.profile_page(scope, request))
    }

    /// [`Engine::profile_info`] ([`Method::DialingProfiles`]).
    pub fn profile_info(&self, scope: Option<ClientId>) -> Result<ListInfo, DncError> {
        self.own_scope(scope)?;
        Ok(self.engine.profile_info(scope))
    }

    /// Role check for the zip/area match, which reads no client's data
    /// ([`Method::ZipAreaMatch`]).
    pub fn may_match_zip_area(&self) -> Result<(), DncError> {
        self.allow(Method::ZipAreaMatch)
    }
}

impl<E: DerefMut<Target = Engine>> Scoped<E> {
    /// [`Engine::register_service`] ([`Method::Configure`]). A service
    /// already registered to another client is
    /// [`DncError::ServiceTaken`], which does not name that client.
    pub fn register_service(
        &mut self,
        client: ClientId,
        service: ServiceId,
    ) -> Result<(), DncError> {
        self.own_client(Method::Configure, client)?;
        match self.engine.register_service(client, service) {
            Err(DncError::ServiceClientMismatch { .. }) if self.principal().is_some() => {
                Err(DncError::ServiceTaken { service })
            }
            other => other,
        }
    }

    /// [`Engine::add_at`] ([`Method::Create`]): the entry's service and
    /// client must be the caller's.
    pub fn add_at(&mut self, new: NewEntry, at: Option<Timestamp>) -> Result<EntryId, DncError> {
        self.allow(Method::Create)?;
        self.wall_new_entry(Method::Create, &new)?;
        self.engine.add_at(new, at)
    }

    /// [`Engine::add_many_at`] ([`Method::CreateMany`]): every record is
    /// checked as [`add_at`](Scoped::add_at) checks one, and a record of
    /// another client is refused at its position like any other bad record.
    /// Refused as a whole (`Err`) only when the caller may not bulk-create
    /// at all.
    pub fn add_many_at(
        &mut self,
        entries: impl IntoIterator<Item = NewEntry>,
        at: Option<Timestamp>,
    ) -> Result<AddManyOutcome, DncError> {
        self.allow(Method::CreateMany)?;
        let vetted: Vec<(NewEntry, Result<(), DncError>)> = entries
            .into_iter()
            .map(|new| {
                let verdict = self.wall_new_entry(Method::CreateMany, &new);
                (new, verdict)
            })
            .collect();
        Ok(self.engine.add_many_vetted_at(vetted, at))
    }

    /// [`Engine::add_many_for_at`] ([`Method::CreateMany`]): the bulk
    /// create of `client`'s list, which must be the caller's; every record
    /// is checked as [`add_many_at`](Scoped::add_many_at) checks it.
    pub fn add_many_for_at(
        &mut self,
        client: ClientId,
        entries: impl IntoIterator<Item = NewEntry>,
        at: Option<Timestamp>,
    ) -> Result<AddManyOutcome, DncError> {
        self.own_client(Method::CreateMany, client)?;
        let vetted: Vec<(NewEntry, Result<(), DncError>)> = entries
            .into_iter()
            .map(|new| {
                let (new, listed) = crate::legacy::log::for_list(client, new);
                let verdict = listed.and_then(|()| self.wall_new_entry(Method::CreateMany, &new));
                (new, verdict)
            })
            .collect();
        Ok(self.engine.add_many_vetted_at(vetted, at))
    }

    /// [`Engine::remove_at`] ([`Method::Delete`]).
    pub fn remove_at(&mut self, id: EntryId, at: Option<Timestamp>) -> Result<DncEntry, DncError> {
        self.own_entry(Method::Delete, id)?;
        self.engine.remove_at(id, at)
    }

    /// [`Engine::set_account_flags`] ([`Method::AccountFlags`]).
    pub fn set_account_flags(
        &mut self,
        client: ClientId,
        account: &Account,
        update: FlagUpdate,
    ) -> Result<AccountFlags, DncError> {
        self.own_client(Method::AccountFlags, client)?;
        Ok(self.engine.set_account_flags(client, account, update))
    }

    /// [`Engine::clear_daily`] ([`Method::ClearDaily`]); a clear of every
    /// client (`None`) is the host's alone.
    pub fn clear_daily(&mut self, client: Option<ClientId>) -> Result<usize, DncError> {
        match client {
            Some(client) => self.own_client(Method::ClearDaily, client)?,
            None => self.every_client(
                Method::ClearDaily,
                "a clear of every client reaches other clients' data",
            )?,
        }
        Ok(self.engine.clear_daily(client))
    }

    /// [`Engine::set_phone_dnc_type`] ([`Method::Configure`]).
    pub fn set_phone_dnc_type(
        &mut self,
        client: ClientId,
        phone_dnc_type: PhoneDncType,
        at: Option<Timestamp>,
    ) -> Result<Migration, DncError> {
        self.own_client(Method::Configure, client)?;
        Ok(self.engine.set_phone_dnc_type(client, phone_dnc_type, at))
    }

    /// [`Engine::set_time_zone`] ([`Method::Configure`]).
    pub fn set_time_zone(&mut self, client: ClientId, name: &str) -> Result<(), DncError> {
        self.own_client(Method::Configure, client)?;
        self.engine.set_time_zone(client, name)
    }

    /// [`Engine::add_contact_group`] ([`Method::Configure`]).
    pub fn add_contact_group(
        &mut self,
        client: ClientId,
        group: ContactGroupId,
    ) -> Result<(), DncError> {
        self.own_client(Method::Configure, client)?;
        self.engine.add_contact_group(client, group);
        Ok(())
    }

    /// [`Engine::set_service_contact_group`] ([`Method::Configure`]): the
    /// service must be the caller's.
    pub fn set_service_contact_group(
        &mut self,
        service: ServiceId,
        group: Option<ContactGroupId>,
    ) -> Result<(), DncError> {
        self.own_service(Method::Configure, service)?;
        self.engine.set_service_contact_group(service, group)
    }

    /// [`Engine::channel_create`] ([`Method::Create`]).
    pub fn channel_create(
        &mut self,
        channel: Channel,
        client: ClientId,
        new: &NewChannelEntry,
        at: Option<Timestamp>,
    ) -> Result<EntryId, DncError> {
        self.own_client(Method::Create, client)?;
        self.engine.channel_create(channel, client, new, at)
    }

    /// [`Engine::channel_create_many`] ([`Method::CreateMany`]): every
    /// record goes to `client`'s list.
    pub fn channel_create_many(
        &mut self,
        channel: Channel,
        client: ClientId,
        entries: impl IntoIterator<Item = NewChannelEntry>,
        at: Option<Timestamp>,
    ) -> Result<BulkOutcome, DncError> {
        self.own_client(Method::CreateMany, client)?;
        Ok(self
            .engine
            .channel_create_many(channel, client, entries, at))
    }

    /// [`Engine::channel_update`] ([`Method::Update`]).
    pub fn channel_update(
        &mut self,
        channel: Channel,
        client: ClientId,
        id: EntryId,
        new: &NewChannelEntry,
        at: Option<Timestamp>,
    ) -> Result<(), DncError> {
        self.own_client(Method::Update, client)?;
        self.engine.channel_update(channel, client, id, new, at)
    }

    /// [`Engine::channel_delete`] ([`Method::Delete`]).
    pub fn channel_delete(
        &mut self,
        channel: Channel,
        client: ClientId,
        id: EntryId,
        at: Option<Timestamp>,
    ) -> Result<ChannelEntry, DncError> {
        self.own_client(Method::Delete, client)?;
        self.engine.channel_delete(channel, client, id, at)
    }

    /// [`Engine::profile_create`] ([`Method::DialingProfiles`]).
    pub fn profile_create(
        &mut self,
        scope: Option<ClientId>,
        new: NewProfile,
    ) -> Result<ProfileId, DncError> {
        self.own_scope(scope)?;
        self.engine.profile_create(scope, new)
    }

    /// [`Engine::profile_update`] ([`Method::DialingProfiles`]).
    pub fn profile_update(
        &mut self,
        scope: Option<ClientId>,
        id: ProfileId,
        name: Option<&str>,
        description: Option<Option<String>>,
    ) -> Result<(), DncError> {
        self.own_scope(scope)?;
        self.engine.profile_update(scope, id, name, description)
    }

    /// [`Engine::profile_set_client_default`] ([`Method::DialingProfiles`]).
    pub fn profile_set_client_default(
        &mut self,
        scope: Option<ClientId>,
        id: ProfileId,
        default: bool,
    ) -> Result<(), DncError> {
        self.own_scope(scope)?;
        self.engine.profile_set_client_default(scope, id, default)
    }

    /// [`Engine::profile_delete`] ([`Method::DialingProfiles`]).
    pub fn profile_delete(
        &mut self,
        scope: Option<ClientId>,
        id: ProfileId,
    ) -> Result<DialingProfile, DncError> {
        self.own_scope(scope)?;
        self.engine.profile_delete(scope, id)
    }

    /// [`Engine::policy_add`] ([`Method::DialingProfiles`]).
    pub fn policy_add(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        rule: NewPolicy,
    ) -> Result<PolicyId, DncError> {
        self.own_scope(scope)?;
        self.engine.policy_add(scope, profile, rule)
    }

    /// [`Engine::policy_update`] ([`Method::DialingProfiles`]).
    pub fn policy_update(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        policy: PolicyId,
        update: &PolicyUpdate,
    ) -> Result<(), DncError> {
        self.own_scope(scope)?;
        self.engine.policy_update(scope, profile, policy, update)
    }

    /// [`Engine::policy_remove`] ([`Method::DialingProfiles`]).
    pub fn policy_remove(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        policy: PolicyId,
    ) -> Result<Policy, DncError> {
        self.own_scope(scope)?;
        self.engine.policy_remove(scope, profile, policy)
    }

    /// [`Engine::profile_assign_service`] ([`Method::DialingProfiles`]):
    /// the service must be the caller's.
    pub fn profile_assign_service(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        service: ServiceId,
    ) -> Result<(), DncError> {
        self.own_scope(scope)?;
        self.own_service(Method::DialingProfiles, service)?;
        self.engine.profile_assign_service(scope, profile, service)
    }

    /// [`Engine::profile_remove_service`] ([`Method::DialingProfiles`]):
    /// the service must be the caller's.
    pub fn profile_remove_service(
        &mut self,
        scope: Option<ClientId>,
        profile: ProfileId,
        service: ServiceId,
    ) -> Result<(), DncError> {
        self.own_scope(scope)?;
        self.own_service(Method::DialingProfiles, service)?;
        self.engine.profile_remove_service(scope, profile, service)
    }
}
