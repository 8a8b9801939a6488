//! What a snapshot keeps of the channel lists (clients' settings, service
//! groups, entries, each list's counters), and how a restore puts it back
//! through the same checks as the live operations.

use hashbrown::HashSet;

use crate::channel::Channel;
use crate::channels::state::{ChannelState, ClientSettings};
use crate::channels::types::{ChannelValue, NewChannelEntry};
use crate::dnc_type::PhoneDncType;
use crate::error::{DncError, invalid_snapshot};
use crate::values::expiration::Expiration;
use crate::values::ids::{ClientId, ContactGroupId, EntryId, MAX_ID, ServiceId};

/// A client's channel-list settings.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChannelClientRecord {
    /// The client.
    pub client: ClientId,
    /// Its IANA time zone name.
    pub time_zone: String,
    /// Its contact groups, ascending.
    pub contact_groups: Vec<ContactGroupId>,
    /// Its phone DNC type. The legacy part keeps it (it decides which list
    /// answers a phone check); the record sits here, with the client's
    /// other settings, as snapshots have always written it.
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

/// The channel part's sections of a [`Snapshot`](crate::Snapshot).
pub(crate) struct ChannelRecords {
    pub(crate) clients: Vec<ChannelClientRecord>,
    pub(crate) service_groups: Vec<ServiceGroupRecord>,
    pub(crate) entries: Vec<ChannelEntryRecord>,
    pub(crate) lists: Vec<ChannelListRecord>,
}

impl ChannelState {
    /// The channel part's sections of a snapshot; `phone_dnc_type` tells
    /// each client's type (the legacy part keeps it).
    pub(crate) fn snapshot_records(
        &self,
        phone_dnc_type: impl Fn(ClientId) -> PhoneDncType,
    ) -> ChannelRecords {
        let default = ClientSettings::default();
        let clients = self
            .channel_clients()
            .into_iter()
            .map(|(client, time_zone, contact_groups)| ChannelClientRecord {
                client,
                time_zone,
                contact_groups,
                phone_dnc_type: phone_dnc_type(client),
            })
            // A client whose settings are all back to the defaults reads
            // as one that never set any, so it is not written: equal
            // engines give equal snapshots.
            .filter(|record| {
                record.time_zone != default.zone_name
                    || !record.contact_groups.is_empty()
                    || record.phone_dnc_type != PhoneDncType::Legacy
            })
            .collect();
        let service_groups = self
            .service_groups()
            .into_iter()
            .map(|(service, contact_group)| ServiceGroupRecord {
                service,
                contact_group,
            })
            .collect();
        let entries = Channel::ALL
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
        let lists = Channel::ALL
            .into_iter()
            .map(|channel| {
                let (next_id, last_modified) = self.channel_list_meta(channel);
                ChannelListRecord {
                    channel,
                    next_id,
                    last_modified,
                }
            })
            .collect();
        ChannelRecords {
            clients,
            service_groups,
            entries,
            lists,
        }
    }

    /// Rebuilds the channel part from its records, through the live
    /// operations' checks; `client_of` is the service directory (the
    /// legacy part's). Answers the part and the clients whose phone DNC
    /// type is `DIAL_TIME`, for the legacy part to keep: the lists already
    /// hold what a switch copied, so nothing is copied again.
    pub(crate) fn restore(
        records: &ChannelRecords,
        client_of: impl Fn(ServiceId) -> Option<ClientId>,
    ) -> Result<(ChannelState, Vec<ClientId>), DncError> {
        let mut state = ChannelState::default();
        let mut dial_time = Vec::new();
        let mut seen = HashSet::new();
        for record in &records.clients {
            if !seen.insert(record.client) {
                return Err(invalid_snapshot(format!(
                    "settings of client {} given twice",
                    record.client
                )));
            }
            state
                .set_time_zone(record.client, &record.time_zone)
                .map_err(|error| invalid_snapshot(format!("client {}: {error}", record.client)))?;
            for group in &record.contact_groups {
                state.add_contact_group(record.client, *group);
            }
            if record.phone_dnc_type == PhoneDncType::DialTime {
                dial_time.push(record.client);
            }
        }
        for record in &records.service_groups {
            let service = record.service;
            if state.service_contact_group(service).is_some() {
                return Err(invalid_snapshot(format!("service {service} mapped twice")));
            }
            client_of(service)
                .ok_or(DncError::UnknownService { service })
                .and_then(|client| {
                    state.set_service_contact_group(client, service, Some(record.contact_group))
                })
                .map_err(|error| invalid_snapshot(format!("service {service}: {error}")))?;
        }
        for record in &records.entries {
            let new = NewChannelEntry {
                value: record.value.clone(),
                contact_group: record.contact_group,
                expiration: record.expiration.map(Expiration::Date),
            };
            state
                .restore_channel_entry(record.channel, record.id, record.client, &new)
                .map_err(|error| {
                    invalid_snapshot(format!("{} entry {}: {error}", record.channel, record.id))
                })?;
        }
        let mut seen = HashSet::new();
        for record in &records.lists {
            if !seen.insert(record.channel) {
                return Err(invalid_snapshot(format!(
                    "{} list given twice",
                    record.channel
                )));
            }
            state.restore_channel_list_meta(
                record.channel,
                record.next_id,
                &record.last_modified,
            )?;
        }
        Ok((state, dial_time))
    }

    /// Clients with settings: time zone name and contact groups (ascending).
    fn channel_clients(&self) -> Vec<(ClientId, String, Vec<ContactGroupId>)> {
        let mut clients: Vec<_> = self
            .settings
            .iter()
            .map(|(client, settings)| {
                let mut groups: Vec<_> = settings.contact_groups.iter().copied().collect();
                groups.sort_unstable();
                (*client, settings.zone_name.clone(), groups)
            })
            .collect();
        clients.sort_by_key(|(client, _, _)| *client);
        clients
    }

    /// Every service's contact group, by service.
    fn service_groups(&self) -> Vec<(ServiceId, ContactGroupId)> {
        let mut groups: Vec<_> = self
            .service_groups
            .iter()
            .map(|(service, group)| (*service, *group))
            .collect();
        groups.sort_unstable();
        groups
    }

    /// A list's next id and its clients' last changes (by client).
    fn channel_list_meta(&self, channel: Channel) -> (u64, Vec<(ClientId, i64)>) {
        let list = self.list(channel);
        let mut last: Vec<_> = list.last_modified().collect();
        last.sort_unstable();
        (list.next_id(), last)
    }

    /// Puts back one entry under its id, refusing what a live list could not
    /// hold (a value of the wrong kind, an unregistered group, an id in use
    /// or out of range).
    fn restore_channel_entry(
        &mut self,
        channel: Channel,
        id: EntryId,
        client: ClientId,
        new: &NewChannelEntry,
    ) -> Result<(), DncError> {
        if self.list(channel).get(id).is_some() {
            return Err(DncError::DuplicateId { id });
        }
        let stored = self.prepare(channel, client, new)?;
        self.list_mut(channel).insert_with_id(id, stored);
        Ok(())
    }

    /// Puts back a list's next id and last changes; the next id must be
    /// above every id in the list and at most `2^63`.
    fn restore_channel_list_meta(
        &mut self,
        channel: Channel,
        next_id: u64,
        last_modified: &[(ClientId, i64)],
    ) -> Result<(), DncError> {
        let list = self.list_mut(channel);
        if next_id > MAX_ID + 1 || next_id < list.next_id() {
            return Err(invalid_snapshot(format!(
                "{channel} list: next id {next_id} is not above every id or is beyond 2^63"
            )));
        }
        list.raise_next_id(next_id);
        for (client, at) in last_modified {
            list.touch(*client, Some(*at));
        }
        Ok(())
    }
}
