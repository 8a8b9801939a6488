//! Snapshot and restore of a whole engine (the `serde` feature): the
//! [`Snapshot`] is the parts' records side by side (each part writes and
//! restores its own: `legacy/snapshot.rs`, `channels/snapshot.rs`,
//! `dialing/snapshot.rs`, `registry/snapshot.rs`), behind one integrity
//! check.

use crate::attempts::snapshot::{
    AttemptRecord, AttemptRecords, AttemptRuleRecord, CollectorRecord,
};
use crate::attempts::store::AttemptStore;
use crate::channels::snapshot::{
    ChannelClientRecord, ChannelEntryRecord, ChannelListRecord, ChannelRecords, ServiceGroupRecord,
};
use crate::channels::state::ChannelState;
use crate::dialing::profile_store::ProfileStore;
use crate::dialing::snapshot::ProfileRecord;
use crate::engine::Engine;
pub use crate::engine::snapshot_integrity::Integrity;
use crate::error::{DncError, invalid_snapshot};
use crate::legacy::entry::DncEntry;
use crate::legacy::list::LegacyList;
use crate::legacy::snapshot::{FlagRecord, LegacyRecords, ServiceRecord};
use crate::registry::snapshot::{
    ExemptionRecord, RegistryCopyRecord, RegistryRecords, SubscriptionRecord,
};
use crate::registry::store::RegistryStore;
use crate::values::ids::{ClientId, EntryId};

/// Everything an [`Engine`] holds, in a plain form for any serde format.
///
/// [`Engine::snapshot`] makes one (sorted, so equal engines give equal
/// snapshots); [`Engine::restore`] rebuilds the engine through the same
/// checks as the live operations, so a corrupted or hostile snapshot is an
/// error, never a panic or an engine that breaks its rules. Values (phones,
/// accounts, zips, ids) are validated as they are deserialized.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    /// The service directory.
    pub services: Vec<ServiceRecord>,
    /// Every entry.
    pub entries: Vec<DncEntry>,
    /// Every account with a flag set.
    pub account_flags: Vec<FlagRecord>,
    /// The id the next add without an id gets (one greater than every id ever
    /// stored; at most `2^63`).
    pub next_id: u64,
    /// Clients' channel-list settings (time zone, contact groups).
    #[serde(default)]
    pub channel_clients: Vec<ChannelClientRecord>,
    /// Services mapped to a contact group.
    #[serde(default)]
    pub service_groups: Vec<ServiceGroupRecord>,
    /// Every entry of the dialtime, SMS and email lists.
    #[serde(default)]
    pub channel_entries: Vec<ChannelEntryRecord>,
    /// Each channel list's next id and clients' last changes.
    #[serde(default)]
    pub channel_lists: Vec<ChannelListRecord>,
    /// Legacy entries' modification instants (epoch milliseconds), when
    /// their add carried one.
    #[serde(default)]
    pub legacy_modified: Vec<(EntryId, i64)>,
    /// Each client's last change to its legacy list.
    #[serde(default)]
    pub legacy_last_modified: Vec<(ClientId, i64)>,
    /// Every dialing profile, ascending by id.
    #[serde(default)]
    pub dialing_profiles: Vec<ProfileRecord>,
    /// The ids the next profile and the next policy get.
    #[serde(default)]
    pub profile_next_ids: (u64, u64),
    /// Every registry copy, in its binary form, ascending by source.
    #[serde(default)]
    pub registry_copies: Vec<RegistryCopyRecord>,
    /// Every client's registry subscriptions.
    #[serde(default)]
    pub registry_subscriptions: Vec<SubscriptionRecord>,
    /// Every client's exemptions.
    #[serde(default)]
    pub registry_exemptions: Vec<ExemptionRecord>,
    /// The clients marked as debt collectors.
    #[serde(default)]
    pub debt_collectors: Vec<CollectorRecord>,
    /// Every kept contact attempt.
    #[serde(default)]
    pub attempts: Vec<AttemptRecord>,
    /// Every client's attempt rules.
    #[serde(default)]
    pub attempt_rules: Vec<AttemptRuleRecord>,
    /// The last attempt-rule id given.
    #[serde(default)]
    pub attempt_last_rule_id: u64,
    /// The sequence of the last change of a log the engine applied
    /// ([`Engine::position`]); a restored engine continues from it.
    #[serde(default)]
    pub position: u64,
    /// The counts of the sections and a checksum over everything above,
    /// which [`Engine::restore`] verifies before it rebuilds anything. A
    /// tool that builds or edits a snapshot on purpose calls
    /// [`Snapshot::seal`] afterwards.
    pub integrity: Integrity,
}

impl Snapshot {
    /// Records the counts and checksum of the snapshot's current content,
    /// after a deliberate edit.
    pub fn seal(&mut self) {
        self.integrity = Integrity::of(self);
    }
}

impl Engine {
    /// A snapshot of everything the engine holds.
    pub fn snapshot(&self) -> Snapshot {
        let mut snapshot = self.unsealed_snapshot();
        snapshot.seal();
        snapshot
    }

    /// Everything the engine holds, before the integrity record is
    /// computed (an image seals its snapshot part once, without the
    /// phones).
    pub(crate) fn unsealed_snapshot(&self) -> Snapshot {
        let legacy = self.legacy.snapshot_records();
        let channels = self
            .channels
            .snapshot_records(|client| self.phone_dnc_type(client));
        let (dialing_profiles, profile_next_ids) = self.profiles.snapshot_records();
        let registries = self.registries.snapshot_records();
        let attempts = self.attempts.snapshot_records();
        Snapshot {
            services: legacy.services,
            entries: legacy.entries,
            account_flags: legacy.account_flags,
            next_id: legacy.next_id,
            channel_clients: channels.clients,
            service_groups: channels.service_groups,
            channel_entries: channels.entries,
            channel_lists: channels.lists,
            legacy_modified: legacy.modified,
            legacy_last_modified: legacy.last_modified,
            dialing_profiles,
            profile_next_ids,
            registry_copies: registries.copies,
            registry_subscriptions: registries.subscriptions,
            registry_exemptions: registries.exemptions,
            debt_collectors: attempts.collectors,
            attempts: attempts.attempts,
            attempt_rules: attempts.rules,
            attempt_last_rule_id: attempts.last_rule_id,
            position: self.position,
            integrity: Integrity {
                format: 0,
                counts: [0; 5],
                checksum: 0,
            },
        }
    }

    /// Rebuilds an engine from a snapshot, refusing with
    /// [`DncError::InvalidSnapshot`] a snapshot whose counts or checksum do
    /// not match its content (damage in storage or transit), and anything a
    /// live engine could not hold: a service under two clients, an entry
    /// whose service is unknown or belongs to another client, a repeated
    /// entry id or flag record, a `next_id` that is not above every entry id
    /// or beyond `2^63`, a profile or policy a live change would refuse.
    pub fn restore(mut snapshot: Snapshot) -> Result<Engine, DncError> {
        snapshot
            .integrity
            .check(&snapshot)
            .map_err(invalid_snapshot)?;
        let legacy = LegacyList::restore(LegacyRecords {
            services: std::mem::take(&mut snapshot.services),
            entries: std::mem::take(&mut snapshot.entries),
            account_flags: std::mem::take(&mut snapshot.account_flags),
            next_id: snapshot.next_id,
            modified: std::mem::take(&mut snapshot.legacy_modified),
            last_modified: std::mem::take(&mut snapshot.legacy_last_modified),
        })?;
        Engine::assemble(legacy, snapshot)
    }

    /// The engine of a restored legacy part and the snapshot's other
    /// sections (its legacy sections are not read).
    pub(crate) fn assemble(mut legacy: LegacyList, snapshot: Snapshot) -> Result<Engine, DncError> {
        let Snapshot {
            channel_clients,
            service_groups,
            channel_entries,
            channel_lists,
            dialing_profiles,
            profile_next_ids,
            registry_copies,
            registry_subscriptions,
            registry_exemptions,
            debt_collectors,
            attempts,
            attempt_rules,
            attempt_last_rule_id,
            position,
            ..
        } = snapshot;
        let channels = ChannelRecords {
            clients: channel_clients,
            service_groups,
            entries: channel_entries,
            lists: channel_lists,
        };
        let (channels, dial_time) =
            ChannelState::restore(&channels, |service| legacy.client_of(service))
                .map_err(refused)?;
        for client in dial_time {
            legacy.set_dial_time(client, true);
        }
        let profiles = ProfileStore::restore(&dialing_profiles, profile_next_ids, |service| {
            legacy.client_of(service)
        })
        .map_err(refused)?;
        let registries = RegistryStore::restore(&RegistryRecords {
            copies: registry_copies,
            subscriptions: registry_subscriptions,
            exemptions: registry_exemptions,
        })
        .map_err(refused)?;
        let attempts = AttemptStore::restore(&AttemptRecords {
            collectors: debt_collectors,
            attempts,
            rules: attempt_rules,
            last_rule_id: attempt_last_rule_id,
        })
        .map_err(refused)?;
        Ok(Engine {
            legacy,
            channels,
            profiles,
            registries,
            attempts,
            position,
        })
    }
}

/// A part's refusal of its records as the snapshot's: a restore refuses
/// with [`DncError::InvalidSnapshot`] only, its reason the part's (a
/// registry copy's bytes, an attempt's outcome, a profile's policy).
fn refused(error: DncError) -> DncError {
    match error {
        DncError::InvalidSnapshot { .. } => error,
        other => invalid_snapshot(other.to_string()),
    }
}
