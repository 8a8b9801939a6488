//! The engine's channel lists (SPEC sections 7 and 9): client time zones,
//! contact groups, and create, read, update, delete, page, find, info and
//! check on the dialtime, SMS and email lists.
//!
//! Every change is all-or-nothing: it is checked in full before anything is
//! stored. Every operation names the client, and an id of another client's
//! entry is [`DncError::NotFound`], so one tenant never reads or changes
//! another's data.

use hashbrown::{HashMap, HashSet};
use jiff::tz::TimeZone;

use crate::channel::Channel;

use crate::channels::types::{
    ChannelEntry, ChannelFilter, ChannelQuery, ChannelValue, NewChannelEntry,
};

use crate::dnc_type::PhoneDncType;

use crate::engine::migration::{Migration, NotCarried, NotCarriedReason};

use crate::channels::list::{ChannelList, StoredEntry};
use crate::engine::Engine;
use crate::error::DncError;
use crate::legacy::entry::{DncKey, Lifetime};
use crate::page::{BulkOutcome, ListInfo, Page, PageRequest};
use crate::query::Query;
use crate::values::expiration::{no_longer_blocks_from, start_of_day_millis, time_zone};
use crate::values::ids::{ClientId, ContactGroupId, EntryId, ServiceId};
use crate::verdict::{CheckRule, Verdict};

/// A client's settings for the channel lists.
#[derive(Clone, Debug)]
struct ClientSettings {
    /// The IANA name, as given.
    zone_name: String,
    zone: TimeZone,
    contact_groups: HashSet<ContactGroupId>,
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
    settings: HashMap<ClientId, ClientSettings>,
    /// Each service's DNC contact group, when it has one.
    service_groups: HashMap<ServiceId, ContactGroupId>,
    /// One list per channel, indexed by [`Channel::index`].
    lists: [ChannelList; 3],
}

/// The UTC default, for clients that set nothing.
fn default_settings() -> &'static ClientSettings {
    static DEFAULT: std::sync::OnceLock<ClientSettings> = std::sync::OnceLock::new();
    DEFAULT.get_or_init(ClientSettings::default)
}

impl ChannelState {
    fn settings(&self, client: ClientId) -> &ClientSettings {
        self.settings
            .get(&client)
            .unwrap_or_else(|| default_settings())
    }

    fn list(&self, channel: Channel) -> &ChannelList {
        &self.lists[channel.index()]
    }

    fn list_mut(&mut self, channel: Channel) -> &mut ChannelList {
        &mut self.lists[channel.index()]
    }

    /// The entry as the public type, with its expiration read in the
    /// client's zone.
    fn public(&self, id: EntryId, stored: &StoredEntry) -> ChannelEntry {
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
    fn prepare(
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
    /// check without an instant takes the safe answer, SPEC 8).
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
    fn owned(
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

impl Engine {
    /// Dialtime list management is refused for a `LEGACY` client (SPEC 8).
    fn channel_usable(&self, channel: Channel, client: ClientId) -> Result<(), DncError> {
        if channel == Channel::Dialtime && !self.is_dial_time(client) {
            return Err(DncError::WrongDncType {
                client,
                active: PhoneDncType::Legacy,
            });
        }
        Ok(())
    }

    /// `client`'s phone DNC type (`LEGACY` unless set).
    pub fn phone_dnc_type(&self, client: ClientId) -> PhoneDncType {
        if self.is_dial_time(client) {
            PhoneDncType::DialTime
        } else {
            PhoneDncType::Legacy
        }
    }

    /// The reference's `isLegacyDncEnabled`: whether `client` is `LEGACY`.
    pub fn is_legacy_dnc_enabled(&self, client: ClientId) -> bool {
        !self.is_dial_time(client)
    }

    /// Sets `client`'s phone DNC type (SPEC 8). Switching `LEGACY` →
    /// `DIAL_TIME` copies the client's PERMANENT phone-only legacy entries
    /// into the dialtime list, for every service of the client (a
    /// service-scoped legacy entry becomes client-wide: the list has no
    /// service scope, and blocking more is the safe side), and reports how
    /// many; the legacy entries stay stored, inactive, so switching back
    /// loses nothing. A phone the list already blocks for every service
    /// and for ever is not copied again (one that expires or is limited to
    /// a contact group is: it does not stand for the permanent block).
    /// Every phone-only legacy entry that is not carried over (a wildcard:
    /// a dialtime phone is digits only; a DAILY one; one past the list's id
    /// range) is named in [`Migration::not_carried`] with why: it does not
    /// block while the client is `DIAL_TIME`. Setting the type a client already has changes nothing. `at` is the
    /// instant of the change, for the dialtime list's `lastModified`.
    ///
    /// The copy reads the client's own legacy entries, in id order: it
    /// costs in proportion to them, whatever other clients hold.
    pub fn set_phone_dnc_type(
        &mut self,
        client: ClientId,
        phone_dnc_type: PhoneDncType,
        at: Option<i64>,
    ) -> Migration {
        let mut migration = Migration::default();
        if self.phone_dnc_type(client) == phone_dnc_type {
            return migration;
        }
        let idx = self.intern_client(client);
        // A client with settings is one a snapshot records.
        self.channels.settings.entry(client).or_default();
        if phone_dnc_type == PhoneDncType::DialTime {
            // In legacy id order, so the copies' ids follow the originals'.
            let phones: Vec<(EntryId, crate::values::phone::Phone, Lifetime)> = self
                .legacy_phone_entries(idx)
                .map(|entry| match entry.key {
                    DncKey::Phone(phone) => (entry.id, phone, entry.lifetime),
                    _ => unreachable!("phone entries only"),
                })
                .collect();
            for (entry, phone, lifetime) in phones {
                let not_carried = |reason| NotCarried {
                    entry,
                    phone,
                    reason,
                };
                if lifetime == Lifetime::Daily {
                    migration
                        .not_carried
                        .push(not_carried(NotCarriedReason::Daily));
                    continue;
                }
                if phone.has_wildcard() {
                    migration
                        .not_carried
                        .push(not_carried(NotCarriedReason::Wildcard));
                    continue;
                }
                let value = ChannelValue::Phone(phone);
                // Only an entry for every service that never expires stands
                // for the permanent client-wide legacy block.
                if self
                    .channels
                    .list(Channel::Dialtime)
                    .blocks_always(client, &value)
                {
                    migration.already_listed += 1;
                    continue;
                }
                let list = self.channels.list_mut(Channel::Dialtime);
                if list.peek_id().is_none() {
                    migration
                        .not_carried
                        .push(not_carried(NotCarriedReason::IdsExhausted));
                    continue;
                }
                list.insert(StoredEntry {
                    client,
                    value,
                    group: None,
                    expiration: None,
                    blocks_before: i64::MAX,
                });
                migration.migrated += 1;
            }
            if migration.migrated > 0 {
                self.channels.list_mut(Channel::Dialtime).touch(client, at);
            }
        }
        self.dial_time[idx as usize] = phone_dnc_type == PhoneDncType::DialTime;
        migration
    }

    /// Sets the type without copying anything (restoring a snapshot, whose
    /// lists already hold the copies).
    #[cfg(feature = "serde")]
    pub(crate) fn restore_phone_dnc_type(
        &mut self,
        client: ClientId,
        phone_dnc_type: PhoneDncType,
    ) {
        let idx = self.intern_client(client);
        self.dial_time[idx as usize] = phone_dnc_type == PhoneDncType::DialTime;
    }

    /// Sets the time zone in which `client`'s expiration dates are read (an
    /// IANA name such as `America/Chicago`; the default is `UTC`). Entries
    /// keep their dates, and now end at midnight of the new zone.
    ///
    /// Costs in proportion to the client's entries that expire, and touches
    /// each of them: every one keeps the instant its date ends (so that a
    /// check compares two integers instead of converting the instant to a
    /// date in the zone), and that instant moves with the zone. Entries
    /// without an expiration, and other clients', are not read.
    pub fn set_time_zone(&mut self, client: ClientId, name: &str) -> Result<(), DncError> {
        let zone = time_zone(name)?;
        let state = &mut self.channels;
        let settings = state.settings.entry(client).or_default();
        settings.zone_name = name.to_owned();
        settings.zone = zone.clone();
        for list in &mut state.lists {
            list.reset_blocks_before(client, |date| no_longer_blocks_from(date, &zone));
        }
        Ok(())
    }

    /// The IANA name of `client`'s time zone (`UTC` unless set).
    pub fn time_zone(&self, client: ClientId) -> &str {
        &self.channels.settings(client).zone_name
    }

    /// Registers a contact group of `client` (again: no change).
    pub fn add_contact_group(&mut self, client: ClientId, group: ContactGroupId) {
        self.channels
            .settings
            .entry(client)
            .or_default()
            .contact_groups
            .insert(group);
    }

    /// `client`'s contact groups, ascending.
    pub fn contact_groups(&self, client: ClientId) -> Vec<ContactGroupId> {
        let mut groups: Vec<ContactGroupId> = self
            .channels
            .settings(client)
            .contact_groups
            .iter()
            .copied()
            .collect();
        groups.sort_unstable();
        groups
    }

    /// Maps `service` to one of its client's contact groups (`None`: to
    /// none). A service has at most one; mapping again replaces it.
    ///
    /// Errors: [`DncError::UnknownService`]; [`DncError::InvalidContactGroup`]
    /// when the client has not registered the group.
    pub fn set_service_contact_group(
        &mut self,
        service: ServiceId,
        group: Option<ContactGroupId>,
    ) -> Result<(), DncError> {
        let client = self
            .client_of(service)
            .ok_or(DncError::UnknownService { service })?;
        match group {
            Some(group) => {
                if !self
                    .channels
                    .settings(client)
                    .contact_groups
                    .contains(&group)
                {
                    return Err(DncError::InvalidContactGroup { client, group });
                }
                self.channels.service_groups.insert(service, group);
            }
            None => {
                self.channels.service_groups.remove(&service);
            }
        }
        Ok(())
    }

    /// The contact group `service` is mapped to.
    pub fn service_contact_group(&self, service: ServiceId) -> Option<ContactGroupId> {
        self.channels.service_groups.get(&service).copied()
    }

    /// Creates an entry in `client`'s `channel` list and returns its id.
    /// `at` is the instant of the change (epoch milliseconds), kept as the
    /// list's `lastModified`.
    ///
    /// Errors: [`DncError::InvalidPhone`] / [`DncError::InvalidEmail`] for a
    /// value the list does not hold; [`DncError::InvalidContactGroup`];
    /// [`DncError::InvalidDate`]; [`DncError::InvalidId`] when the list's ids
    /// are used up.
    pub fn channel_create(
        &mut self,
        channel: Channel,
        client: ClientId,
        new: &NewChannelEntry,
        at: Option<i64>,
    ) -> Result<EntryId, DncError> {
        self.channel_usable(channel, client)?;
        let stored = self.channels.prepare(channel, client, new)?;
        let list = self.channels.list_mut(channel);
        if list.peek_id().is_none() {
            return Err(DncError::InvalidId {
                kind: "entry",
                value: "the next id (the list's ids are used up)".to_owned(),
            });
        }
        let id = list.insert(stored);
        list.touch(client, at);
        Ok(id)
    }

    /// Creates many entries: every valid record is applied, in order, and
    /// every invalid one is reported by its 1-based position with its error
    /// (the reference's bulk create). A refused record changes nothing.
    pub fn channel_create_many(
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
                Err(error) => outcome.refused.push((index + 1, error)),
            }
        }
        outcome
    }

    /// Entry `id` of `client`'s `channel` list ([`DncError::NotFound`] when
    /// absent, or another client's).
    pub fn channel_read(
        &self,
        channel: Channel,
        client: ClientId,
        id: EntryId,
    ) -> Result<ChannelEntry, DncError> {
        self.channel_usable(channel, client)?;
        let stored = self.channels.owned(channel, client, id)?;
        Ok(self.channels.public(id, stored))
    }

    /// Replaces the value, contact group and expiration of entry `id` (all
    /// three: a field left `None` is cleared, as the reference's update
    /// sends the whole entry).
    pub fn channel_update(
        &mut self,
        channel: Channel,
        client: ClientId,
        id: EntryId,
        new: &NewChannelEntry,
        at: Option<i64>,
    ) -> Result<(), DncError> {
        self.channel_usable(channel, client)?;
        self.channels.owned(channel, client, id)?;
        let stored = self.channels.prepare(channel, client, new)?;
        let list = self.channels.list_mut(channel);
        list.replace(id, stored);
        list.touch(client, at);
        Ok(())
    }

    /// Deletes entry `id` and returns it.
    pub fn channel_delete(
        &mut self,
        channel: Channel,
        client: ClientId,
        id: EntryId,
        at: Option<i64>,
    ) -> Result<ChannelEntry, DncError> {
        self.channel_usable(channel, client)?;
        let stored = self.channels.owned(channel, client, id)?;
        let entry = self.channels.public(id, stored);
        let list = self.channels.list_mut(channel);
        list.remove(id);
        list.touch(client, at);
        Ok(entry)
    }

    /// A page of `client`'s `channel` entries matching `filter` (an empty
    /// filter lists them all), ascending by id.
    pub fn channel_page(
        &self,
        channel: Channel,
        client: ClientId,
        filter: &ChannelFilter,
        request: PageRequest,
    ) -> Result<Page<ChannelEntry>, DncError> {
        self.channel_usable(channel, client)?;
        let list = self.channels.list(channel);
        let page = list.page(client, filter, request);
        Ok(Page {
            entries: page
                .entries
                .iter()
                .filter_map(|&id| list.get(id).map(|stored| self.channels.public(id, stored)))
                .collect(),
            next: page.next,
        })
    }

    /// The size and last change of `client`'s `channel` list.
    pub fn channel_info(&self, channel: Channel, client: ClientId) -> Result<ListInfo, DncError> {
        self.channel_usable(channel, client)?;
        let (size, last_modified) = self.channels.list(channel).info(client);
        Ok(ListInfo {
            size,
            last_modified,
        })
    }

    /// May `query.value` be contacted on `channel` for `query.service` at
    /// `query.at_millis`? Blocked by every entry of the service's client
    /// with that value whose contact group is none or the service's, and
    /// that has not expired; for the dialtime list also by the account's Do
    /// Not Dial flags when an account is given.
    ///
    /// A phone check ([`Channel::Dialtime`]) always asks the client's
    /// **active** phone list (SPEC 8: "For a LEGACY client the legacy
    /// entries answer phone checks"): for a `DIAL_TIME` client the dialtime
    /// list as above; for a `LEGACY` client its legacy phone entries with
    /// the dial check's rule (a stored `*` is a pattern), their ids in
    /// [`Verdict::entries`]. The inactive list never answers.
    ///
    /// Errors: [`DncError::UnknownService`]; a value the list does not hold.
    pub fn channel_check(
        &self,
        channel: Channel,
        query: &ChannelQuery<'_>,
    ) -> Result<Verdict, DncError> {
        let service = query.service;
        let client = self
            .client_of(service)
            .ok_or(DncError::UnknownService { service })?;
        channel.accepts(query.value)?;
        if let (Channel::Dialtime, ChannelValue::Phone(phone)) = (channel, query.value) {
            if !self.is_dial_time(client) {
                let mut verdict = self.dial_check(&Query::new(service).phone(*phone))?;
                if let Some(account) = query.account {
                    verdict.set_flags(self.account_flags(client, account));
                }
                return Ok(verdict);
            }
        }
        let mut verdict = Verdict::new(CheckRule::Channel(channel));
        let group = self.service_contact_group(service);
        self.channels
            .list(channel)
            .applicable(client, query.value, group, query.at_millis, |id| {
                verdict.push_entry(id)
            });
        if channel == Channel::Dialtime {
            if let Some(account) = query.account {
                verdict.set_flags(self.account_flags(client, account));
            }
        }
        Ok(verdict.finish())
    }

    /// Every channel entry of every list, for the model comparisons of the
    /// tests.
    #[doc(hidden)]
    pub fn channel_entries(&self, channel: Channel) -> Vec<ChannelEntry> {
        let list = self.channels.list(channel);
        let mut entries: Vec<ChannelEntry> = list
            .iter()
            .map(|(id, stored)| self.channels.public(id, stored))
            .collect();
        entries.sort_unstable_by_key(|entry| entry.id);
        entries
    }

    /// The channel lists' invariants, for [`Engine::validate`].
    pub(crate) fn validate_channels(&self) -> Result<(), String> {
        for channel in Channel::ALL {
            let list = self.channels.list(channel);
            list.validate()?;
            for (id, stored) in list.iter() {
                let zone = &self.channels.settings(stored.client).zone;
                let want = stored
                    .expiration
                    .map_or(i64::MAX, |date| no_longer_blocks_from(date, zone));
                if stored.blocks_before != want {
                    return Err(format!("{channel} entry {id}: stale expiry instant"));
                }
                if let Some(group) = stored.group {
                    if !self
                        .channels
                        .settings(stored.client)
                        .contact_groups
                        .contains(&group)
                    {
                        return Err(format!("{channel} entry {id}: unregistered group {group}"));
                    }
                }
            }
        }
        for (service, group) in &self.channels.service_groups {
            let client = self
                .client_of(*service)
                .ok_or_else(|| format!("service {service} mapped but not registered"))?;
            if !self
                .channels
                .settings(client)
                .contact_groups
                .contains(group)
            {
                return Err(format!(
                    "service {service} mapped to unregistered group {group}"
                ));
            }
        }
        Ok(())
    }
}

/// What a snapshot needs from the channel lists, and how a restore puts it
/// back through the same checks as the live operations.
#[cfg(feature = "serde")]
impl Engine {
    /// Clients with settings: time zone name and contact groups (ascending).
    pub(crate) fn channel_clients(&self) -> Vec<(ClientId, String, Vec<ContactGroupId>)> {
        let mut clients: Vec<_> = self
            .channels
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
    pub(crate) fn service_groups(&self) -> Vec<(ServiceId, ContactGroupId)> {
        let mut groups: Vec<_> = self
            .channels
            .service_groups
            .iter()
            .map(|(service, group)| (*service, *group))
            .collect();
        groups.sort_unstable();
        groups
    }

    /// A list's next id and its clients' last changes (by client).
    pub(crate) fn channel_list_meta(&self, channel: Channel) -> (u64, Vec<(ClientId, i64)>) {
        let list = self.channels.list(channel);
        let mut last: Vec<_> = list.last_modified().collect();
        last.sort_unstable();
        (list.next_id(), last)
    }

    /// Puts back one entry under its id, refusing what a live list could not
    /// hold (a value of the wrong kind, an unregistered group, an id in use
    /// or out of range).
    pub(crate) fn restore_channel_entry(
        &mut self,
        channel: Channel,
        id: EntryId,
        client: ClientId,
        new: &NewChannelEntry,
    ) -> Result<(), DncError> {
        if self.channels.list(channel).get(id).is_some() {
            return Err(DncError::DuplicateId { id });
        }
        let stored = self.channels.prepare(channel, client, new)?;
        self.channels.list_mut(channel).insert_with_id(id, stored);
        Ok(())
    }

    /// Puts back a list's next id and last changes; the next id must be
    /// above every id in the list and at most `2^63`.
    pub(crate) fn restore_channel_list_meta(
        &mut self,
        channel: Channel,
        next_id: u64,
        last_modified: &[(ClientId, i64)],
    ) -> Result<(), String> {
        let list = self.channels.list_mut(channel);
        if next_id > crate::values::ids::MAX_ID + 1 || next_id < list.next_id() {
            return Err(format!(
                "{channel} list: next id {next_id} is not above every id or is beyond 2^63"
            ));
        }
        list.raise_next_id(next_id);
        for (client, at) in last_modified {
            list.touch(*client, Some(*at));
        }
        Ok(())
    }
}
