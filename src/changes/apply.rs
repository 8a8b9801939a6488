//! Applying changes in the log's order: the engine's position, and
//! [`Engine::apply`], which is idempotent below it, refuses a gap above it,
//! and advances it by one for every change it takes, applied or refused.

use std::fmt;

use crate::changes::effect::Effect;
use crate::changes::mutation::{Change, Mutation};
use crate::changes::object::{Bytes, ContentHash, NoObjects, Objects};
use crate::channels::migration::Migration;
use crate::engine::Engine;
use crate::engine::scoped::Scoped;
use crate::error::DncError;
use crate::registry::Registry;

/// What [`Engine::apply`] did with a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// Applied at its sequence, which is now the engine's position.
    Done(Effect),
    /// Refused, as the same call refuses it on every engine in the same
    /// state: nothing changed, and the position still advanced to its
    /// sequence, so every follower stays identical (a log cannot take a
    /// change back, and skipping it would leave the followers waiting).
    Refused(DncError),
    /// Its sequence is at or below the engine's position: it was applied
    /// (or refused) before, and nothing changed.
    AlreadyApplied {
        /// The engine's position.
        position: u64,
    },
}

/// Why [`Engine::apply`] took no change at all and kept its position: the
/// fault is the log's or the host's, not the change's, and the same change
/// applies once the fault is mended.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApplyError {
    /// The sequence is beyond the next one: changes between are missing,
    /// and applying it would skip them silently.
    Gap {
        /// The engine's position (the next change is `position + 1`).
        position: u64,
        /// The sequence offered.
        sequence: u64,
    },
    /// The change refers to a stored payload the host did not lend.
    MissingObject {
        /// Its digest.
        hash: ContentHash,
    },
    /// The host lent bytes under a digest they do not have (damaged in
    /// storage or transit).
    DamagedObject {
        /// The digest the change names.
        hash: ContentHash,
        /// The digest of the bytes lent.
        found: ContentHash,
    },
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApplyError::Gap { position, sequence } => write!(
                f,
                "change {sequence} is beyond the next one ({}): the changes between are missing",
                position + 1
            ),
            ApplyError::MissingObject { hash } => {
                write!(
                    f,
                    "the change refers to stored object {hash}, which was not given"
                )
            }
            ApplyError::DamagedObject { hash, found } => write!(
                f,
                "the bytes given as object {hash} have digest {found}: they are damaged"
            ),
        }
    }
}

impl std::error::Error for ApplyError {}

impl Engine {
    /// The sequence of the last change [`apply`](Engine::apply) took (0 for
    /// an engine that took none). A [snapshot](Engine::snapshot) carries
    /// it and a restored engine continues from it.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Applies `change` as the change numbered `sequence` of a log.
    ///
    /// - `sequence` at or below [`position`](Engine::position): nothing
    ///   changes, [`Applied::AlreadyApplied`] (a follower that replays a
    ///   prefix it has, after a reconnect, is safe);
    /// - `sequence` beyond `position + 1`: [`ApplyError::Gap`], nothing
    ///   changes, the position stays;
    /// - otherwise the change is made as `change.by` would make it through
    ///   [`Engine::scoped_mut`], all or nothing, and the position becomes
    ///   `sequence`, whether the change was made ([`Applied::Done`]) or
    ///   refused ([`Applied::Refused`]).
    ///
    /// A change whose payload is a stored object needs
    /// [`apply_with`](Engine::apply_with).
    pub fn apply(&mut self, sequence: u64, change: &Change) -> Result<Applied, ApplyError> {
        self.apply_with(sequence, change, &NoObjects)
    }

    /// [`apply`](Engine::apply), finding a stored payload in `objects`
    /// (checked against its digest before it is read).
    pub fn apply_with(
        &mut self,
        sequence: u64,
        change: &Change,
        objects: &dyn Objects,
    ) -> Result<Applied, ApplyError> {
        if sequence <= self.position {
            return Ok(Applied::AlreadyApplied {
                position: self.position,
            });
        }
        if sequence != self.position + 1 {
            return Err(ApplyError::Gap {
                position: self.position,
                sequence,
            });
        }
        let payload = payload_of(&change.mutation, objects)?;
        let outcome = self.scoped_mut(change.by).make(&change.mutation, payload);
        self.position = sequence;
        Ok(match outcome {
            Ok(effect) => Applied::Done(effect),
            Err(error) => Applied::Refused(error),
        })
    }

    /// Sets the position without applying anything: for an engine built
    /// from the same state as the log at `position` by other means (a bulk
    /// load of the changes up to it).
    pub fn set_position(&mut self, position: u64) {
        self.position = position;
    }
}

/// The bytes of the change's payload, lent by `objects` when stored.
fn payload_of<'a>(
    mutation: &'a Mutation,
    objects: &'a dyn Objects,
) -> Result<Option<&'a [u8]>, ApplyError> {
    let Some(payload) = mutation.payload() else {
        return Ok(None);
    };
    match payload {
        Bytes::Inline(bytes) => Ok(Some(bytes)),
        Bytes::Stored(hash) => {
            let bytes = objects
                .get(hash)
                .ok_or(ApplyError::MissingObject { hash: *hash })?;
            let found = ContentHash::of(bytes);
            if found != *hash {
                return Err(ApplyError::DamagedObject { hash: *hash, found });
            }
            Ok(Some(bytes))
        }
    }
}

impl Scoped<&mut Engine> {
    /// Makes `mutation` as this caller, by the method its variant names;
    /// `payload` is its payload's bytes.
    fn make(&mut self, mutation: &Mutation, payload: Option<&[u8]>) -> Result<Effect, DncError> {
        let payload = || payload.unwrap_or_default();
        Ok(match mutation {
            Mutation::RegisterService { client, service } => {
                self.register_service(*client, *service)?;
                Effect::Done
            }
            Mutation::Add { entry, at } => Effect::Added(self.add_at(entry.clone(), *at)?),
            Mutation::AddMany {
                client: None,
                entries,
                at,
            } => Effect::AddedMany(self.add_many_at(entries.iter().cloned(), *at)?),
            Mutation::AddMany {
                client: Some(client),
                entries,
                at,
            } => Effect::AddedMany(self.add_many_for_at(*client, entries.iter().cloned(), *at)?),
            Mutation::Remove { id, at } => Effect::Removed(self.remove_at(*id, *at)?),
            Mutation::AccountFlags {
                client,
                account,
                update,
            } => Effect::Flags(self.set_account_flags(*client, account, *update)?),
            Mutation::ClearDaily { client } => Effect::Cleared(self.clear_daily(*client)?),
            Mutation::ClientSettings {
                client,
                time_zone,
                phone_dnc_type,
                at,
            } => {
                if let Some(name) = time_zone {
                    self.set_time_zone(*client, name)?;
                }
                match phone_dnc_type {
                    Some(kind) => Effect::Migrated(self.set_phone_dnc_type(*client, *kind, *at)?),
                    None => Effect::Migrated(Migration::default()),
                }
            }
            Mutation::AddContactGroup { client, group } => {
                self.add_contact_group(*client, *group)?;
                Effect::Done
            }
            Mutation::ServiceContactGroup { service, group } => {
                self.set_service_contact_group(*service, *group)?;
                Effect::Done
            }
            Mutation::ChannelCreate {
                channel,
                client,
                entry,
                at,
            } => Effect::ChannelCreated(self.channel_create(*channel, *client, entry, *at)?),
            Mutation::ChannelCreateMany {
                channel,
                client,
                entries,
                at,
            } => Effect::ChannelCreatedMany(self.channel_create_many(
                *channel,
                *client,
                entries.iter().cloned(),
                *at,
            )?),
            Mutation::ChannelUpdate {
                channel,
                client,
                id,
                entry,
                at,
            } => {
                self.channel_update(*channel, *client, *id, entry, *at)?;
                Effect::Done
            }
            Mutation::ChannelDelete {
                channel,
                client,
                id,
                at,
            } => Effect::ChannelDeleted(self.channel_delete(*channel, *client, *id, *at)?),
            Mutation::ProfileCreate { scope, profile } => {
                Effect::ProfileCreated(self.profile_create(*scope, profile.clone())?)
            }
            Mutation::ProfileUpdate {
                scope,
                id,
                name,
                description,
            } => {
                self.profile_update(*scope, *id, name.as_deref(), description.clone())?;
                Effect::Done
            }
            Mutation::ProfileDefault { scope, id, default } => {
                self.profile_set_client_default(*scope, *id, *default)?;
                Effect::Done
            }
            Mutation::ProfileDelete { scope, id } => {
                Effect::ProfileDeleted(self.profile_delete(*scope, *id)?)
            }
            Mutation::PolicyAdd {
                scope,
                profile,
                policy,
            } => Effect::PolicyAdded(self.policy_add(*scope, *profile, *policy)?),
            Mutation::PolicyUpdate {
                scope,
                profile,
                policy,
                update,
            } => {
                self.policy_update(*scope, *profile, *policy, update)?;
                Effect::Done
            }
            Mutation::PolicyRemove {
                scope,
                profile,
                policy,
            } => Effect::PolicyRemoved(self.policy_remove(*scope, *profile, *policy)?),
            Mutation::ProfileService {
                scope,
                profile,
                service,
                assign,
            } => {
                if *assign {
                    self.profile_assign_service(*scope, *profile, *service)?;
                } else {
                    self.profile_remove_service(*scope, *profile, *service)?;
                }
                Effect::Done
            }
            Mutation::RegistryLoad {
                source,
                covered,
                numbers,
                obtained,
            } => {
                self.load_registry(*source, covered.as_deref(), numbers, *obtained)?;
                Effect::RegistryLoaded(numbers.len())
            }
            Mutation::RegistryLoadList {
                source,
                covered,
                obtained,
                ..
            } => Effect::RegistryLoaded(self.load_registry_list(
                *source,
                covered.as_deref(),
                payload(),
                *obtained,
            )?),
            Mutation::RegistryChanges {
                source,
                changes,
                obtained,
            } => Effect::RegistryChanged(self.apply_registry_changes(*source, changes, *obtained)?),
            Mutation::RegistryPut { .. } => {
                // The role first: a principal learns nothing of the bytes.
                self.may_change_registries()?;
                let copy = Registry::from_bytes(payload())?;
                let (source, numbers) = (copy.source(), copy.len());
                self.put_registry(copy)?;
                Effect::RegistryPut { source, numbers }
            }
            Mutation::Subscribe {
                client,
                subscription,
            } => {
                self.subscribe(*client, subscription.clone())?;
                Effect::Done
            }
            Mutation::Unsubscribe { client, source } => {
                Effect::Changed(self.unsubscribe(*client, *source)?)
            }
            Mutation::ExemptionAdd {
                client,
                subject,
                exemption,
            } => Effect::Changed(self.add_exemption(*client, subject, *exemption)?),
            Mutation::ExemptionRemove {
                client,
                subject,
                kind,
            } => Effect::Changed(self.remove_exemption(*client, subject, *kind)?),
            Mutation::DebtCollector { client, collector } => {
                self.set_debt_collector(*client, *collector)?;
                Effect::Done
            }
            Mutation::Attempt { attempt } => {
                self.record_attempt(attempt)?;
                Effect::Done
            }
            Mutation::AttemptRuleAdd { client, rule } => {
                Effect::AttemptRuleAdded(self.add_attempt_rule(*client, *rule)?)
            }
            Mutation::AttemptRuleRemove { client, id } => {
                Effect::AttemptRuleRemoved(self.remove_attempt_rule(*client, *id)?)
            }
            Mutation::TrimAttempts { now } => Effect::Trimmed(self.trim_attempts(*now)?),
        })
    }
}
