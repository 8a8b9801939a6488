//! The registries family of [`Scoped`]: a principal checks and manages its
//! own client's subscriptions and exemptions; the registry copies, shared by
//! every client, are the host's alone ([`Method::Registries`]).

use std::ops::{Deref, DerefMut};

use jiff::Timestamp;

use crate::access::roles::Method;
use crate::engine::Engine;
use crate::engine::scoped::Scoped;
use crate::error::DncError;
use crate::geo::AreaCode;
use crate::registry::exemption::{Exemption, ExemptionKind, ExemptionSubject};
use crate::registry::list::{ChangeOutcome, Registry};
use crate::registry::parse::Change;
use crate::registry::source::RegistrySource;
use crate::registry::subscription::Subscription;
use crate::registry::verdict::RegistryVerdict;
use crate::values::account::Account;
use crate::values::ids::{ClientId, ServiceId};
use crate::values::phone::Phone;
use crate::values::zip::Zip;

impl<E: Deref<Target = Engine>> Scoped<E> {
    /// The role check of [`Method::Registries`] alone, for a host that must
    /// know before it reads the files a change would load (the replay's
    /// `"file"` ops): refused for every principal, so that a principal
    /// learns nothing of a file it may not load.
    pub fn may_change_registries(&self) -> Result<(), DncError> {
        self.allow(Method::Registries)
    }

    /// [`Engine::registry_check`] ([`Method::IsBlocked`]): the service must
    /// be the caller's.
    pub fn registry_check(
        &self,
        service: ServiceId,
        phone: Phone,
        account: Option<&Account>,
        zip: Option<Zip>,
        at: Timestamp,
    ) -> Result<RegistryVerdict, DncError> {
        self.own_service(Method::IsBlocked, service)?;
        self.engine.registry_check(service, phone, account, zip, at)
    }

    /// [`Engine::registry`] ([`Method::Info`]): a copy is public data, the
    /// same for every client.
    pub fn registry(&self, source: RegistrySource) -> Result<Option<&Registry>, DncError> {
        self.allow(Method::Info)?;
        Ok(self.engine.registry(source))
    }

    /// [`Engine::subscriptions`] ([`Method::Subscriptions`]).
    pub fn subscriptions(&self, client: ClientId) -> Result<&[Subscription], DncError> {
        self.own_client(Method::Subscriptions, client)?;
        Ok(self.engine.subscriptions(client))
    }

    /// [`Engine::exemptions`] ([`Method::Exemptions`]).
    pub fn exemptions(
        &self,
        client: ClientId,
    ) -> Result<impl Iterator<Item = (ExemptionSubject, Exemption)> + '_, DncError> {
        self.own_client(Method::Exemptions, client)?;
        Ok(self.engine.exemptions(client))
    }
}

impl<E: DerefMut<Target = Engine>> Scoped<E> {
    /// [`Engine::load_registry`] ([`Method::Registries`]: the host's alone).
    pub fn load_registry(
        &mut self,
        source: RegistrySource,
        covered: Option<&[AreaCode]>,
        numbers: &[u64],
        obtained: Timestamp,
    ) -> Result<(), DncError> {
        self.allow(Method::Registries)?;
        self.engine
            .load_registry(source, covered, numbers, obtained)
    }

    /// [`Engine::load_registry_list`] ([`Method::Registries`]).
    pub fn load_registry_list(
        &mut self,
        source: RegistrySource,
        covered: Option<&[AreaCode]>,
        bytes: &[u8],
        obtained: Timestamp,
    ) -> Result<usize, DncError> {
        self.allow(Method::Registries)?;
        self.engine
            .load_registry_list(source, covered, bytes, obtained)
    }

    /// [`Engine::apply_registry_changes`] ([`Method::Registries`]).
    pub fn apply_registry_changes(
        &mut self,
        source: RegistrySource,
        changes: &[Change],
        obtained: Timestamp,
    ) -> Result<ChangeOutcome, DncError> {
        self.allow(Method::Registries)?;
        self.engine
            .apply_registry_changes(source, changes, obtained)
    }

    /// [`Engine::put_registry`] ([`Method::Registries`]).
    pub fn put_registry(&mut self, registry: Registry) -> Result<Option<Registry>, DncError> {
        self.allow(Method::Registries)?;
        Ok(self.engine.put_registry(registry))
    }

    /// [`Engine::subscribe`] ([`Method::Subscriptions`]).
    pub fn subscribe(
        &mut self,
        client: ClientId,
        subscription: Subscription,
    ) -> Result<(), DncError> {
        self.own_client(Method::Subscriptions, client)?;
        self.engine.subscribe(client, subscription);
        Ok(())
    }

    /// [`Engine::unsubscribe`] ([`Method::Subscriptions`]).
    pub fn unsubscribe(
        &mut self,
        client: ClientId,
        source: RegistrySource,
    ) -> Result<bool, DncError> {
        self.own_client(Method::Subscriptions, client)?;
        Ok(self.engine.unsubscribe(client, source))
    }

    /// [`Engine::add_exemption`] ([`Method::Exemptions`]).
    pub fn add_exemption(
        &mut self,
        client: ClientId,
        subject: &ExemptionSubject,
        exemption: Exemption,
    ) -> Result<bool, DncError> {
        self.own_client(Method::Exemptions, client)?;
        self.engine.add_exemption(client, subject, exemption)
    }

    /// [`Engine::remove_exemption`] ([`Method::Exemptions`]).
    pub fn remove_exemption(
        &mut self,
        client: ClientId,
        subject: &ExemptionSubject,
        kind: ExemptionKind,
    ) -> Result<bool, DncError> {
        self.own_client(Method::Exemptions, client)?;
        self.engine.remove_exemption(client, subject, kind)
    }
}
