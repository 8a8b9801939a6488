//! The facade's registries family: the copies the host loads (shared by
//! every client), each client's subscriptions and exemptions, and the
//! registry check the dial decision makes.

use jiff::Timestamp;

use crate::engine::Engine;
use crate::error::DncError;
use crate::geo::{self, AreaCode};
use crate::registry::exemption::{Exemption, ExemptionKind, ExemptionSubject};
use crate::registry::list::{ChangeOutcome, Registry};
use crate::registry::parse::Change;
use crate::registry::source::RegistrySource;
use crate::registry::store::ZipPlace;
use crate::registry::subscription::Subscription;
use crate::registry::verdict::RegistryVerdict;
use crate::values::account::Account;
use crate::values::ids::{ClientId, ServiceId};
use crate::values::phone::Phone;
use crate::values::zip::Zip;

/// Where a ZIP puts the callee for the state lists.
pub(crate) fn zip_place(zip: Option<Zip>) -> ZipPlace {
    match zip.map(geo::zip_info) {
        None => ZipPlace::None,
        Some(Some(info)) if !info.zones.is_empty() => ZipPlace::State(info.state),
        // Unknown to the tables, or military: any state.
        Some(_) => ZipPlace::Anywhere,
    }
}

impl Engine {
    /// Loads a full list of `source` obtained at `obtained` into the
    /// engine's copy of it (made empty first if there is none):
    /// [`Registry::load_full`], all-or-nothing.
    pub fn load_registry(
        &mut self,
        source: RegistrySource,
        covered: Option<&[AreaCode]>,
        numbers: &[u64],
        obtained: Timestamp,
    ) -> Result<(), DncError> {
        // Checked on a scratch copy when there is none yet, so a refused
        // first load leaves no empty copy behind.
        if self.registries.copy(source).is_none() {
            let mut copy = Registry::new(source);
            copy.load_full(covered, numbers, obtained)?;
            self.registries.put_copy(copy);
            return Ok(());
        }
        self.registries
            .copy_mut(source)
            .load_full(covered, numbers, obtained)
    }

    /// Loads a full list's text of `source` obtained at `obtained` into the
    /// engine's copy ([`Registry::load_full_list`]: straight from the text,
    /// which must ascend), all-or-nothing; how many numbers it holds.
    pub fn load_registry_list(
        &mut self,
        source: RegistrySource,
        covered: Option<&[AreaCode]>,
        bytes: &[u8],
        obtained: Timestamp,
    ) -> Result<usize, DncError> {
        if self.registries.copy(source).is_none() {
            let mut copy = Registry::new(source);
            let read = copy.load_full_list(covered, bytes, obtained)?;
            self.registries.put_copy(copy);
            return Ok(read);
        }
        self.registries
            .copy_mut(source)
            .load_full_list(covered, bytes, obtained)
    }

    /// Applies a change list of `source` obtained at `obtained` to the
    /// engine's copy: [`Registry::apply_changes`], all-or-nothing. Without
    /// a copy of `source`: [`DncError::InvalidRegistry`].
    pub fn apply_registry_changes(
        &mut self,
        source: RegistrySource,
        changes: &[Change],
        obtained: Timestamp,
    ) -> Result<ChangeOutcome, DncError> {
        if self.registries.copy(source).is_none() {
            return Err(DncError::InvalidRegistry {
                line: None,
                value: source.to_string(),
                reason: "the engine holds no copy of this registry: load a full list first",
            });
        }
        self.registries
            .copy_mut(source)
            .apply_changes(changes, obtained)
    }

    /// Puts a copy the host built or opened ([`Registry::from_bytes`]) in
    /// place of the engine's copy of its source; the copy it replaced.
    pub fn put_registry(&mut self, registry: Registry) -> Option<Registry> {
        self.registries.put_copy(registry)
    }

    /// Takes the engine's copy of `source` out.
    pub fn remove_registry(&mut self, source: RegistrySource) -> Option<Registry> {
        self.registries.remove_copy(source)
    }

    /// The engine's copy of `source`.
    pub fn registry(&self, source: RegistrySource) -> Option<&Registry> {
        self.registries.copy(source)
    }

    /// Every copy the engine holds, by source.
    pub fn registries(&self) -> impl Iterator<Item = &Registry> + '_ {
        self.registries.copies()
    }

    /// Sets `client`'s subscription to a registry (replacing the one it had
    /// to the same source). From then on every dial decision of the
    /// client's services checks that registry for the numbers it applies
    /// to.
    pub fn subscribe(&mut self, client: ClientId, subscription: Subscription) {
        self.registries.subscribe(client, subscription)
    }

    /// Ends `client`'s subscription to `source`; whether it had one.
    pub fn unsubscribe(&mut self, client: ClientId, source: RegistrySource) -> bool {
        self.registries.unsubscribe(client, source)
    }

    /// `client`'s subscriptions, ascending by source.
    pub fn subscriptions(&self, client: ClientId) -> &[Subscription] {
        self.registries.subscriptions(client)
    }

    /// Records an exemption of `client` for `subject` (a 10-digit NANP
    /// number or an account). A subject keeps one record of each kind: the
    /// later `since` wins (the last transaction is the one that counts),
    /// and at the same `since` the one that ends first (a revocation
    /// recorded for an open consent). Whether `exemption` is now the
    /// record; `false` when the one held supersedes it.
    ///
    /// Errors: [`DncError::InvalidExemption`] for a number that is not ten
    /// NANP digits or an `until` not after `since`.
    pub fn add_exemption(
        &mut self,
        client: ClientId,
        subject: &ExemptionSubject,
        exemption: Exemption,
    ) -> Result<bool, DncError> {
        self.registries.add_exemption(client, subject, exemption)
    }

    /// Removes `client`'s exemption of `kind` for `subject`; whether there
    /// was one.
    pub fn remove_exemption(
        &mut self,
        client: ClientId,
        subject: &ExemptionSubject,
        kind: ExemptionKind,
    ) -> Result<bool, DncError> {
        self.registries.remove_exemption(client, subject, kind)
    }

    /// `client`'s exemptions, in no particular order.
    pub fn exemptions(
        &self,
        client: ClientId,
    ) -> impl Iterator<Item = (ExemptionSubject, Exemption)> + '_ {
        self.registries.exemptions(client)
    }

    /// What the registries the client of `service` subscribes to say of a
    /// contact with `phone` about `account`, the callee's ZIP being `zip`,
    /// at `at` (the part the [dial decision](Engine::dial_decision) adds;
    /// see the crate's "Registries" section for the rules).
    ///
    /// Errors: [`DncError::UnknownService`]; [`DncError::InvalidPhone`] for a
    /// phone that is not 10 NANP digits.
    pub fn registry_check(
        &self,
        service: ServiceId,
        phone: Phone,
        account: Option<&Account>,
        zip: Option<Zip>,
        at: Timestamp,
    ) -> Result<RegistryVerdict, DncError> {
        let client = self
            .client_of(service)
            .ok_or(DncError::UnknownService { service })?;
        AreaCode::of_phone(phone)?;
        self.registries
            .check(client, phone, account, zip_place(zip), at)
    }
}
