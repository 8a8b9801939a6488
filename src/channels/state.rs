//! The channel lists' private engine: each client's settings (time zone,
//! contact groups), each service's contact group, and the three lists.
//! Every change is all-or-nothing: it is checked in full before anything
//! is stored. Every operation names the client, and an id of another
//! client's entry is `NotFound`, so one tenant never reads or changes
//! another's data. Whether a client's dialtime list may be managed at all
//! (its phone DNC type) is the facade's question, asked before it
//! delegates here.

use hashbrown::{HashMap, HashSet};
use jiff::tz::TimeZone;

use crate::channel::Channel;

use crate::channels::types::{ChannelEntry, ChannelFilter, ChannelValue, NewChannelEntry};

use crate::channels::list::{ChannelList, StoredEntry};
use crate::error::DncError;
use crate::page::{BulkOutcome, ListInfo, Page, PageRequest};
use crate::values::expiration::{no_longer_blocks_from, start_of_day_millis, time_zone};
use crate::values::ids::{ClientId, ContactGroupId, EntryId, ServiceId};
use crate::verdict::Verdict;

/// A client's settings for the channel lists.
#[derive(Clone, Debug)]
pub(crate) struct ClientSettings {
    /// The IANA name, as given.
    pub(super) zone_name: String,
    pub(super) zone: TimeZone,
    pub(super) contact_groups: HashSet<ContactGroupId>,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            zone_name: "UTC".to_owned(),
            zone: TimeZone::UTC,
            contact_groups: HashSet::new(),
        }
    }
}

/// Everything the channel lists need, held by the engine.
#[derive(Clone, Debug, Default)]
pub(crate) struct ChannelState {
    /// Clients that changed a setting; the others have the defaults.
    pub(super) settings: HashMap<ClientId, ClientSettings>,
    /// Each service's DNC contact group, when it has one.
    pub(super) service_groups: HashMap<ServiceId, ContactGroupId>,
    /// One list per channel, indexed by [`Channel::index`].
    lists: [ChannelList; 3],
}

/// The UTC default, for clients that set nothing.
fn default_settings() -> &'static ClientSettings {
    static DEFAULT: std::sync::OnceLock<ClientSettings> = std::sync::OnceLock::new();
    DEFAULT.get_or_init(ClientSettings::default)
}

impl ChannelState {
    pub(super) fn settings(&self, client: ClientId) -> &ClientSettings {
        self.settings
            .get(&client)
            .unwrap_or_else(|| default_settings())
    }

    pub(super) fn list(&self, channel: Channel) -> &ChannelList {
        &self.lists[channel.index()]
    }

    /// The instant (epoch ms) from which entry `id` of `channel`'s list no
    /// longer blocks: the start of the day after its expiration in its
    /// client's zone; `None` when it never expires or is gone (a refusal
    /// it gave does not lapse by itself).
    pub(crate) fn blocks_until(&self, channel: Channel, id: EntryId) -> Option<i64> {
        self.list(channel)
            .get(id)
            .map(|entry| entry.blocks_before)
            .filter(|&until| until != i64::MAX)
    }

    pub(super) fn list_mut(&mut self, channel: Channel) -> &mut ChannelList {
        &mut self.lists[channel.index()]
    }

    /// The entry as the public type, with its expiration read in the
    /// client's zone.
    pub(super) fn public(&self, id: EntryId, stored: &StoredEntry) -> ChannelEntry {
        let zone = &self.settings(stored.client).zone;
        ChannelEntry {
            id,
            client: stored.client,
            value: stored.value.clone(),
            contact_group: stored.group,
            expiration: stored.expiration,
            expiration_millis: stored
                .expiration
                .and_then(|date| start_of_day_millis(date, zone)),
        }
    }

    /// Checks a new or updated entry of `client` and makes its stored form.
    pub(super) fn prepare(
        &self,
        channel: Channel,
        client: ClientId,
        new: &NewChannelEntry,
    ) -> Result<StoredEntry, DncError> {
        channel.accepts(&new.value)?;
        let settings = self.settings(client);
        if let Some(group) = new.contact_group {
            if !settings.contact_groups.contains(&group) {
                return Err(DncError::InvalidContactGroup { client, group });
            }
        }
        let expiration = new.expiration.map(|e| e.date_in(&settings.zone));
        if let Some(date) = expiration {
            // Refuse dates whose start cannot be told in this zone (the
            // edges of the supported range), so answers always can.
            if start_of_day_millis(date, &settings.zone).is_none() {
                return Err(DncError::InvalidDate {
                    value: date.to_string(),
                });
            }
        }
        Ok(StoredEntry {
            client,
            value: new.value.clone(),
            group: new.contact_group,
            expiration,
            blocks_before: expiration
                .map_or(i64::MAX, |d| no_longer_blocks_from(d, &settings.zone)),
        })
    }

    /// Adds to `verdict` the dialtime entries of `client` for `phone` that
    /// apply to `service` and still block at `at_millis` (`i64::MIN`: a
    /// check without an instant takes the safe answer).
    pub(crate) fn dialtime_phone(
        &self,
        client: ClientId,
        service: ServiceId,
        phone: crate::values::phone::Phone,
        at_millis: i64,
        verdict: &mut Verdict,
    ) {
        let group = self.service_groups.get(&service).copied();
        self.list(Channel::Dialtime).applicable(
            client,
            &ChannelValue::Phone(phone),
            group,
            at_millis,
            |id| verdict.push_dialtime_entry(id),
        );
    }

    /// The entry `id` of `client`'s list, or `NotFound` (also for another
    /// client's entry).
    pub(super) fn owned(
        &self,
        channel: Channel,
        client: ClientId,
        id: EntryId,
    ) -> Result<&StoredEntry, DncError> {
        self.list(channel)
            .get(id)
            .filter(|stored| stored.client == client)
            .ok_or(DncError::NotFound { id })
    }
}

impl ChannelState {
    /// See `Engine::set_time_zone`.
    pub(crate) fn set_time_zone(&mut self, client: ClientId, name: &str) -> Result<(), DncError> {
        let zone = time_zone(name)?;
        let settings = self.settings.entry(client).or_default();
        settings.zone_name = name.to_owned();
        settings.zone = zone.clone();
        for list in &mut self.lists {
            list.reset_blocks_before(client, |date| no_longer_blocks_from(date, &zone));
        }
        Ok(())
    }

    /// Records `client` as one with settings (a snapshot records it), with
    /// the defaults unless it has some.
    pub(crate) fn note_client(&mut self, client: ClientId) {
        self.settings.entry(client).or_default();
    }

    /// See `Engine::time_zone`.
    pub(crate) fn time_zone(&self, client: ClientId) -> &str {
        &self.settings(client).zone_name
    }

    /// See `Engine::add_contact_group`.
    pub(crate) fn add_contact_group(&mut self, client: ClientId, group: ContactGroupId) {
        self.settings
            .entry(client)
            .or_default()
            .contact_groups
            .insert(group);
    }

    /// See `Engine::contact_groups`.
    pub(crate) fn contact_groups(&self, client: ClientId) -> Vec<ContactGroupId> {
        let mut groups: Vec<ContactGroupId> = self
            .settings(client)
            .contact_groups
            .iter()
            .copied()
            .collect();
        groups.sort_unstable();
        groups
    }

    /// See `Engine::set_service_contact_group`.
    pub(crate) fn set_service_contact_group(
        &mut self,
        client: ClientId,
        service: ServiceId,
        group: Option<ContactGroupId>,
    ) -> Result<(), DncError> {
        match group {
            Some(group) => {
                if !self.settings(client).contact_groups.contains(&group) {
                    return Err(DncError::InvalidContactGroup { client, group });
                }
                self.service_groups.insert(service, group);
            }
            None => {
                self.service_groups.remove(&service);
            }
        }
        Ok(())
    }

    /// See `Engine::service_contact_group`.
    pub(crate) fn service_contact_group(&self, service: ServiceId) -> Option<ContactGroupId> {
        self.service_groups.get(&service).copied()
    }

    /// See `Engine::channel_create`.
    pub(crate) fn channel_create(
        &mut self,
        channel: Channel,
        client: ClientId,
        new: &NewChannelEntry,
        at: Option<i64>,
    ) -> Result<EntryId, DncError> {
        let stored = self.prepare(channel, client, new)?;
        let list = self.list_mut(channel);
        if list.peek_id().is_none() {
            return Err(DncError::IdsExhausted {
                kind: "entry",
                next: list.next_id(),
            });
        }
        let id = list.insert(stored);
        list.touch(client, at);
        Ok(id)
    }

    /// See `Engine::channel_create_many`.
    pub(crate) fn channel_create_many(
        &mut self,
        channel: Channel,
        client: ClientId,
        entries: impl IntoIterator<Item = NewChannelEntry>,
        at: Option<i64>,
    ) -> BulkOutcome {
        let mut outcome = BulkOutcome {
            processed: 0,
            ids: Vec::new(),
            refused: Vec::new(),
        };
        // The caller's iterator runs to its end before anything changes, so
        // a panic in it leaves the lists as they were (issue 10 §6).
        let entries: Vec<NewChannelEntry> = entries.into_iter().collect();
        for (index, new) in entries.iter().enumerate() {
            match self.channel_create(channel, client, new, at) {
                Ok(id) => {
                    outcome.processed += 1;
                    outcome.ids.push(id);
                }
                Err(error) => outcome.refused.push((index, error)),
            }
        }
        outcome
    }

    /// See `Engine::channel_read`.
    pub(crate) fn channel_read(
        &self,
        channel: Channel,
        client: ClientId,
        id: EntryId,
    ) -> Result<ChannelEntry, DncError> {
        let stored = self.owned(channel, client, id)?;
        Ok(self.public(id, stored))
    }

    /// See `Engine::channel_update`.
    pub(crate) fn channel_update(
        &mut self,
        channel: Channel,
        client: ClientId,
        id: EntryId,
        new: &NewChannelEntry,
        at: Option<i64>,
    ) -> Result<(), DncError> {
        self.owned(channel, client, id)?;
        let stored = self.prepare(channel, client, new)?;
        let list = self.list_mut(channel);
        list.replace(id, stored);
        list.touch(client, at);
        Ok(())
    }

    /// See `Engine::channel_delete`.
    pub(crate) fn channel_delete(
        &mut self,
        channel: Channel,
        client: ClientId,
        id: EntryId,
        at: Option<i64>,
    ) -> Result<ChannelEntry, DncError> {
        let stored = self.owned(channel, client, id)?;
        let entry = self.public(id, stored);
        let list = self.list_mut(channel);
        list.remove(id);
        list.touch(client, at);
        Ok(entry)
    }

    /// See `Engine::channel_page`.
    pub(crate) fn channel_page(
        &self,
        channel: Channel,
        client: ClientId,
        filter: &ChannelFilter,
        request: PageRequest,
    ) -> Result<Page<ChannelEntry>, DncError> {
        let list = self.list(channel);
        let page = list.page(client, filter, request);
        Ok(Page {
            entries: page
                .entries
                .iter()
                .filter_map(|&id| list.get(id).map(|stored| self.public(id, stored)))
                .collect(),
            next: page.next,
        })
    }

    /// See `Engine::channel_info`.
    pub(crate) fn channel_info(
        &self,
        channel: Channel,
        client: ClientId,
    ) -> Result<ListInfo, DncError> {
        let (size, last_modified) = self.list(channel).info(client);
        Ok(ListInfo::from_millis(size, last_modified))
    }

    /// Adds to `verdict` the entries of `client`'s `channel` list that
    /// block `value` for a service in contact group `group` at `at_millis`.
    pub(crate) fn check(
        &self,
        channel: Channel,
        client: ClientId,
        group: Option<ContactGroupId>,
        value: &ChannelValue,
        at_millis: i64,
        verdict: &mut Verdict,
    ) {
        self.list(channel)
            .applicable(client, value, group, at_millis, |id| verdict.push_entry(id));
    }

    /// See `Engine::channel_entries`.
    #[doc(hidden)]
    pub(crate) fn channel_entries(&self, channel: Channel) -> Vec<ChannelEntry> {
        let list = self.list(channel);
        let mut entries: Vec<ChannelEntry> = list
            .iter()
            .map(|(id, stored)| self.public(id, stored))
            .collect();
        entries.sort_unstable_by_key(|entry| entry.id);
        entries
    }

    /// The channel lists' invariants; `client_of` names each service's
    /// owner.
    pub(crate) fn validate(
        &self,
        client_of: impl Fn(ServiceId) -> Option<ClientId>,
    ) -> Result<(), String> {
        for channel in Channel::ALL {
            let list = self.list(channel);
            list.validate()?;
            for (id, stored) in list.iter() {
                let zone = &self.settings(stored.client).zone;
                let want = stored
                    .expiration
                    .map_or(i64::MAX, |date| no_longer_blocks_from(date, zone));
                if stored.blocks_before != want {
                    return Err(format!("{channel} entry {id}: stale expiry instant"));
                }
                if let Some(group) = stored.group {
                    if !self.settings(stored.client).contact_groups.contains(&group) {
                        return Err(format!("{channel} entry {id}: unregistered group {group}"));
                    }
                }
            }
        }
        for (service, group) in &self.service_groups {
            let client = client_of(*service)
                .ok_or_else(|| format!("service {service} mapped but not registered"))?;
            if !self.settings(client).contact_groups.contains(group) {
                return Err(format!(
                    "service {service} mapped to unregistered group {group}"
                ));
            }
        }
        Ok(())
    }
}
