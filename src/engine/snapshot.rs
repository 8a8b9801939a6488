//! Snapshot and restore of a whole engine (the `serde` feature).

use hashbrown::HashSet;

use crate::channel::Channel;

use crate::channels::types::{ChannelValue, NewChannelEntry};

use crate::dialing::profile::{
    DayRule, DialingProfile, NewPolicy, Policy, Region, TimeOfDay, Window,
};
use crate::dnc_type::PhoneDncType;
use crate::engine::Engine;
pub use crate::engine::snapshot_integrity::Integrity;
use crate::error::DncError;
use crate::geo::{AreaCode, Country, StateCode};
use crate::legacy::entry::{DncEntry, NewEntry};
use crate::values::account::Account;
use crate::values::expiration::Expiration;
use crate::values::flags::{AccountFlags, FlagUpdate};
use crate::values::ids::{
    ClientId, ContactGroupId, EntryId, MAX_ID, PolicyId, ProfileId, ServiceId,
};

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

/// A dialing profile.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProfileRecord {
    /// Its id.
    pub id: ProfileId,
    /// Its client; `None` for a system-wide profile.
    pub client: Option<ClientId>,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Whether it is its client's default.
    pub client_default: bool,
    /// The services assigned to it, ascending.
    pub services: Vec<ServiceId>,
    /// Its policies, in order.
    pub policies: Vec<PolicyRecord>,
}

/// A policy of a dialing profile, in the reference's words (validated again
/// on restore).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PolicyRecord {
    /// Its id.
    pub id: PolicyId,
    /// `MONDAY` … `SUNDAY`, `WEEKDAY`, `WEEKEND`, `ALL`.
    pub day_of_week: String,
    /// `USA` or `CANADA`.
    pub country: Option<String>,
    /// A state or province code.
    pub state: Option<String>,
    /// An area code.
    pub area_code: Option<u16>,
    /// `doNotDial`.
    pub do_not_dial: bool,
    /// `doNotLeaveMessage`.
    pub do_not_leave_message: bool,
    /// The window's start and end, milliseconds after local midnight.
    pub window: Option<(u32, u32)>,
}

impl PolicyRecord {
    fn of(policy: &Policy) -> PolicyRecord {
        let rule = &policy.rule;
        PolicyRecord {
            id: policy.id,
            day_of_week: rule.day.as_str().to_owned(),
            country: rule.region.country().map(|c| c.as_str().to_owned()),
            state: rule.region.state().map(|s| s.as_str().to_owned()),
            area_code: rule.region.area_code().map(AreaCode::get),
            do_not_dial: rule.do_not_dial,
            do_not_leave_message: rule.do_not_leave_message,
            window: rule
                .window
                .map(|window| (window.start().millis(), window.end().millis())),
        }
    }

    fn policy(&self) -> Result<Policy, DncError> {
        let region = Region::new(
            self.country.as_deref().map(Country::parse).transpose()?,
            self.state.as_deref().map(StateCode::parse).transpose()?,
            self.area_code.map(AreaCode::new).transpose()?,
        )?;
        let window = self
            .window
            .map(|(start, end)| {
                Window::new(TimeOfDay::from_millis(start)?, TimeOfDay::from_millis(end)?)
            })
            .transpose()?;
        Ok(Policy {
            id: self.id,
            rule: NewPolicy {
                day: DayRule::parse(&self.day_of_week)?,
                region,
                do_not_dial: self.do_not_dial,
                do_not_leave_message: self.do_not_leave_message,
                window,
            },
        })
    }
}

/// A client's channel-list settings.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChannelClientRecord {
    /// The client.
    pub client: ClientId,
    /// Its IANA time zone name.
    pub time_zone: String,
    /// Its contact groups, ascending.
    pub contact_groups: Vec<ContactGroupId>,
    /// Its phone DNC type.
    #[serde(default)]
    pub phone_dnc_type: PhoneDncType,
}

/// A service's contact group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServiceGroupRecord {
    /// The service.
    pub service: ServiceId,
    /// Its group (registered by the service's client).
    pub contact_group: ContactGroupId,
}

/// An entry of a channel list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChannelEntryRecord {
    /// Its list.
    pub channel: Channel,
    /// Its id in that list.
    pub id: EntryId,
    /// Its client.
    pub client: ClientId,
    /// What it suppresses.
    pub value: ChannelValue,
    /// Its contact group.
    pub contact_group: Option<ContactGroupId>,
    /// Its last blocking date, in the client's zone.
    pub expiration: Option<jiff::civil::Date>,
}

/// A channel list's counters.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChannelListRecord {
    /// The list.
    pub channel: Channel,
    /// The id its next entry gets.
    pub next_id: u64,
    /// Each client's last change (epoch milliseconds), by client.
    pub last_modified: Vec<(ClientId, i64)>,
}

/// A registered service and its client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServiceRecord {
    /// The owner.
    pub client: ClientId,
    /// The service.
    pub service: ServiceId,
}

/// The flags of one account.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FlagRecord {
    /// The client.
    pub client: ClientId,
    /// The account, as first spelled.
    pub account: Account,
    /// Its flags.
    pub flags: AccountFlags,
}

fn invalid(reason: String) -> DncError {
    DncError::InvalidSnapshot { reason }
}

impl Engine {
    /// A snapshot of everything the engine holds.
    pub fn snapshot(&self) -> Snapshot {
        let mut services: Vec<ServiceRecord> = self
            .services()
            .map(|(client, service)| ServiceRecord { client, service })
            .collect();
        services.sort_by_key(|record| record.service);
        let mut entries: Vec<DncEntry> = self.entries().collect();
        entries.sort_by_key(|entry| entry.id);
        let mut account_flags: Vec<FlagRecord> = self
            .all_account_flags()
            .map(|(client, account, flags)| FlagRecord {
                client,
                account: account.clone(),
                flags,
            })
            .collect();
        account_flags.sort_by(|a, b| {
            (a.client, a.account.as_str().to_ascii_lowercase())
                .cmp(&(b.client, b.account.as_str().to_ascii_lowercase()))
        });
        let channel_clients = self
            .channels
            .channel_clients()
            .into_iter()
            .map(|(client, time_zone, contact_groups)| ChannelClientRecord {
                client,
                time_zone,
                contact_groups,
                phone_dnc_type: self.phone_dnc_type(client),
            })
            .collect();
        let service_groups = self
            .channels
            .service_groups()
            .into_iter()
            .map(|(service, contact_group)| ServiceGroupRecord {
                service,
                contact_group,
            })
            .collect();
        let channel_entries = Channel::ALL
            .into_iter()
            .flat_map(|channel| {
                self.channel_entries(channel)
                    .into_iter()
                    .map(move |entry| ChannelEntryRecord {
                        channel,
                        id: entry.id,
                        client: entry.client,
                        value: entry.value,
                        contact_group: entry.contact_group,
                        expiration: entry.expiration,
                    })
            })
            .collect();
        let channel_lists = Channel::ALL
            .into_iter()
            .map(|channel| {
                let (next_id, last_modified) = self.channels.channel_list_meta(channel);
                ChannelListRecord {
                    channel,
                    next_id,
                    last_modified,
                }
            })
            .collect();
        let (legacy_modified, legacy_last_modified) = self.legacy.legacy_log_records();
        let dialing_profiles = self
            .profiles()
            .map(|profile| ProfileRecord {
                id: profile.id,
                client: profile.client,
                name: profile.name.clone(),
                description: profile.description.clone(),
                client_default: profile.client_default,
                services: profile.services.clone(),
                policies: profile.policies.iter().map(PolicyRecord::of).collect(),
            })
            .collect();
        let mut snapshot = Snapshot {
            services,
            entries,
            account_flags,
            next_id: self.next_id(),
            channel_clients,
            service_groups,
            channel_entries,
            channel_lists,
            legacy_modified,
            legacy_last_modified,
            dialing_profiles,
            profile_next_ids: self.profiles.next_ids(),
            integrity: Integrity {
                format: 0,
                counts: [0; 5],
                checksum: 0,
            },
        };
        snapshot.seal();
        snapshot
    }

    /// Rebuilds an engine from a snapshot, refusing with
    /// [`DncError::InvalidSnapshot`] a snapshot whose counts or checksum do
    /// not match its content (damage in storage or transit), and anything a
    /// live engine could not hold: a service under two clients, an entry
    /// whose service is unknown or belongs to another client, a repeated
    /// entry id or flag record, a `next_id` that is not above every entry id
    /// or beyond `2^63`, a profile or policy a live change would refuse.
    pub fn restore(mut snapshot: Snapshot) -> Result<Engine, DncError> {
        snapshot.integrity.check(&snapshot).map_err(invalid)?;
        let mut engine = Engine::new();
        for record in &snapshot.services {
            engine
                .register_service(record.client, record.service)
                .map_err(|error| invalid(format!("service {}: {error}", record.service)))?;
        }
        // Flags first: an account keeps the spelling it was first given,
        // and the flag records carry that spelling.
        let mut seen = HashSet::new();
        for record in &snapshot.account_flags {
            if !seen.insert((record.client, record.account.clone())) {
                return Err(invalid(format!(
                    "flags of account {} of client {} given twice",
                    record.account, record.client
                )));
            }
            let update = FlagUpdate {
                do_not_dial: Some(record.flags.do_not_dial),
                do_not_dial_daily: Some(record.flags.do_not_dial_daily),
            };
            engine.set_account_flags(record.client, &record.account, update);
        }
        let ids: Vec<_> = snapshot.entries.iter().map(|entry| entry.id).collect();
        let entries = std::mem::take(&mut snapshot.entries);
        let outcome = engine.add_many(entries.into_iter().map(|entry| NewEntry {
            id: Some(entry.id),
            client: Some(entry.client),
            service: entry.service,
            key: entry.key,
            lifetime: entry.lifetime,
        }));
        if let Some((position, error)) = outcome.refused().first() {
            return Err(invalid(format!("entry {}: {error}", ids[*position])));
        }
        if snapshot.next_id > MAX_ID + 1 {
            return Err(invalid(format!(
                "next_id {} is beyond 2^63",
                snapshot.next_id
            )));
        }
        if snapshot.next_id < engine.next_id() {
            return Err(invalid(format!(
                "next_id {} is not above every entry id (at least {} needed)",
                snapshot.next_id,
                engine.next_id()
            )));
        }
        engine.legacy.raise_next_id(snapshot.next_id);
        engine
            .legacy
            .restore_legacy_log(&snapshot.legacy_modified, &snapshot.legacy_last_modified)
            .map_err(invalid)?;
        restore_channels(&mut engine, &snapshot)?;
        restore_profiles(&mut engine, &snapshot)?;
        Ok(engine)
    }
}

/// Puts the channel lists back, through the live operations' checks.
fn restore_channels(engine: &mut Engine, snapshot: &Snapshot) -> Result<(), DncError> {
    let mut seen = HashSet::new();
    for record in &snapshot.channel_clients {
        if !seen.insert(record.client) {
            return Err(invalid(format!(
                "settings of client {} given twice",
                record.client
            )));
        }
        engine
            .set_time_zone(record.client, &record.time_zone)
            .map_err(|error| invalid(format!("client {}: {error}", record.client)))?;
        for group in &record.contact_groups {
            engine.add_contact_group(record.client, *group);
        }
        // The lists already hold what a switch copied: no copy again.
        engine.legacy.set_dial_time(
            record.client,
            record.phone_dnc_type == PhoneDncType::DialTime,
        );
    }
    for record in &snapshot.service_groups {
        if engine.service_contact_group(record.service).is_some() {
            return Err(invalid(format!("service {} mapped twice", record.service)));
        }
        engine
            .set_service_contact_group(record.service, Some(record.contact_group))
            .map_err(|error| invalid(format!("service {}: {error}", record.service)))?;
    }
    for record in &snapshot.channel_entries {
        let new = NewChannelEntry {
            value: record.value.clone(),
            contact_group: record.contact_group,
            expiration: record.expiration.map(Expiration::Date),
        };
        engine
            .channels
            .restore_channel_entry(record.channel, record.id, record.client, &new)
            .map_err(|error| invalid(format!("{} entry {}: {error}", record.channel, record.id)))?;
    }
    let mut seen = HashSet::new();
    for record in &snapshot.channel_lists {
        if !seen.insert(record.channel) {
            return Err(invalid(format!("{} list given twice", record.channel)));
        }
        engine
            .channels
            .restore_channel_list_meta(record.channel, record.next_id, &record.last_modified)
            .map_err(invalid)?;
    }
    Ok(())
}

/// Puts the dialing profiles back: each policy through the model's checks,
/// each service assignment through the live one's.
fn restore_profiles(engine: &mut Engine, snapshot: &Snapshot) -> Result<(), DncError> {
    let (next_profile, next_policy) = snapshot.profile_next_ids;
    for (what, next) in [("profile", next_profile), ("policy", next_policy)] {
        if next > MAX_ID + 1 {
            return Err(invalid(format!("the next {what} id {next} is beyond 2^63")));
        }
    }
    let mut policy_ids = HashSet::new();
    for record in &snapshot.dialing_profiles {
        let named = |error: DncError| invalid(format!("dialing profile {}: {error}", record.id));
        if record.id.get() >= next_profile.max(1) {
            return Err(invalid(format!(
                "dialing profile {} is not below the next profile id {next_profile}",
                record.id
            )));
        }
        if engine.profiles.contains(record.id) {
            return Err(invalid(format!(
                "dialing profile {} given twice",
                record.id
            )));
        }
        // The live rules of a profile's fields.
        crate::dialing::profile_store::checked_name(&record.name).map_err(named)?;
        let policies = record
            .policies
            .iter()
            .map(|policy| {
                if policy.id.get() >= next_policy.max(1) || !policy_ids.insert(policy.id) {
                    return Err(DncError::InvalidProfile {
                        field: "policy",
                        value: policy.id.to_string(),
                        reason: "a policy id given twice or not below the next policy id",
                    });
                }
                policy.policy()
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(named)?;
        if record.client_default && record.client.is_none() {
            return Err(invalid(format!(
                "dialing profile {} is system-wide and a client default",
                record.id
            )));
        }
        engine.profiles.insert(DialingProfile {
            id: record.id,
            client: record.client,
            name: record.name.clone(),
            description: record.description.clone(),
            client_default: false,
            services: Vec::new(),
            policies,
        });
        if let (Some(client), true) = (record.client, record.client_default) {
            if engine.profiles.has_default(client) {
                return Err(invalid(format!("client {client} has two default profiles")));
            }
            engine.profiles.set_default(client, record.id, true);
        }
        for &service in &record.services {
            if engine.profiles.is_assigned(service) {
                return Err(invalid(format!(
                    "service {service} is in two dialing profiles"
                )));
            }
            engine
                .profile_assign_service(None, record.id, service)
                .map_err(named)?;
        }
    }
    engine.profiles.set_next_ids(next_profile, next_policy);
    Ok(())
}
