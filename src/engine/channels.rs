//! The channel lists' API: client time zones, contact groups, and create,
//! read, update, delete, page, find, info and check on the dialtime, SMS and
//! email lists. Dialtime list management is refused for a `LEGACY` client;
//! everything else delegates to the channel part.

use jiff::Timestamp;

use crate::channel::Channel;
use crate::channels::types::{
    ChannelEntry, ChannelFilter, ChannelQuery, ChannelValue, NewChannelEntry,
};
use crate::dnc_type::PhoneDncType;
use crate::engine::{Engine, millis};
use crate::error::DncError;
use crate::page::{BulkOutcome, ListInfo, Page, PageRequest};
use crate::query::Query;
use crate::values::ids::{ClientId, ContactGroupId, EntryId, ServiceId};
use crate::verdict::{CheckRule, Verdict};

impl Engine {
    /// Dialtime list management is refused for a `LEGACY` client.
    fn channel_usable(&self, channel: Channel, client: ClientId) -> Result<(), DncError> {
        if channel == Channel::Dialtime && !self.legacy.is_dial_time(client) {
            return Err(DncError::WrongDncType {
                client,
                active: PhoneDncType::Legacy,
            });
        }
        Ok(())
    }

    /// `client`'s phone DNC type (`LEGACY` unless set).
    pub fn phone_dnc_type(&self, client: ClientId) -> PhoneDncType {
        if self.legacy.is_dial_time(client) {
            PhoneDncType::DialTime
        } else {
            PhoneDncType::Legacy
        }
    }

    /// The reference's `isLegacyDncEnabled`: whether `client` is `LEGACY`.
    pub fn is_legacy_dnc_enabled(&self, client: ClientId) -> bool {
        !self.legacy.is_dial_time(client)
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
        self.channels.set_time_zone(client, name)
    }

    /// The IANA name of `client`'s time zone (`UTC` unless set).
    pub fn time_zone(&self, client: ClientId) -> &str {
        self.channels.time_zone(client)
    }

    /// Registers a contact group of `client` (again: no change).
    pub fn add_contact_group(&mut self, client: ClientId, group: ContactGroupId) {
        self.channels.add_contact_group(client, group)
    }

    /// `client`'s contact groups, ascending.
    pub fn contact_groups(&self, client: ClientId) -> Vec<ContactGroupId> {
        self.channels.contact_groups(client)
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
        self.channels
            .set_service_contact_group(client, service, group)
    }

    /// The contact group `service` is mapped to.
    pub fn service_contact_group(&self, service: ServiceId) -> Option<ContactGroupId> {
        self.channels.service_contact_group(service)
    }

    /// Creates an entry in `client`'s `channel` list and returns its id.
    /// `at` is the instant of the change, kept as the
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
        at: Option<Timestamp>,
    ) -> Result<EntryId, DncError> {
        self.channel_usable(channel, client)?;
        self.channels
            .channel_create(channel, client, new, millis(at))
    }

    /// Creates many entries: every valid record is applied, in order, and
    /// every invalid one is reported by its 0-based position with its error
    /// (the reference's bulk create). A refused record changes nothing.
    pub fn channel_create_many(
        &mut self,
        channel: Channel,
        client: ClientId,
        entries: impl IntoIterator<Item = NewChannelEntry>,
        at: Option<Timestamp>,
    ) -> BulkOutcome {
        if let Err(error) = self.channel_usable(channel, client) {
            // Every record is refused as a `channel_create` would refuse it.
            let refused =
                (0..entries.into_iter().count()).map(|position| (position, error.clone()));
            return BulkOutcome {
                processed: 0,
                ids: Vec::new(),
                refused: refused.collect(),
            };
        }
        self.channels
            .channel_create_many(channel, client, entries, millis(at))
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
        self.channels.channel_read(channel, client, id)
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
        at: Option<Timestamp>,
    ) -> Result<(), DncError> {
        self.channel_usable(channel, client)?;
        self.channels
            .channel_update(channel, client, id, new, millis(at))
    }

    /// Deletes entry `id` and returns it.
    pub fn channel_delete(
        &mut self,
        channel: Channel,
        client: ClientId,
        id: EntryId,
        at: Option<Timestamp>,
    ) -> Result<ChannelEntry, DncError> {
        self.channel_usable(channel, client)?;
        self.channels
            .channel_delete(channel, client, id, millis(at))
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
        self.channels.channel_page(channel, client, filter, request)
    }

    /// The size and last change of `client`'s `channel` list.
    pub fn channel_info(&self, channel: Channel, client: ClientId) -> Result<ListInfo, DncError> {
        self.channel_usable(channel, client)?;
        self.channels.channel_info(channel, client)
    }

    /// Every channel entry of every list, for the model comparisons of the
    /// tests.
    #[doc(hidden)]
    pub fn channel_entries(&self, channel: Channel) -> Vec<ChannelEntry> {
        self.channels.channel_entries(channel)
    }

    /// May `query.value` be contacted on `channel` for `query.service` at
    /// `query.at`? Blocked by every entry of the service's client
    /// with that value whose contact group is none or the service's, and
    /// that has not expired; for the dialtime list also by the account's Do
    /// Not Dial flags when an account is given.
    ///
    /// A phone check ([`Channel::Dialtime`]) always asks the client's
    /// **active** phone list (the reference: "For a LEGACY client the legacy
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
            if !self.legacy.is_dial_time(client) {
                let mut verdict = self.dial_check(&Query::new(service).phone(*phone))?;
                if let Some(account) = query.account {
                    verdict.set_flags(self.account_flags(client, account));
                }
                return Ok(verdict);
            }
        }
        let mut verdict = Verdict::new(CheckRule::Channel(channel));
        let group = self.service_contact_group(service);
        self.channels.check(
            channel,
            client,
            group,
            query.value,
            millis(query.at).unwrap_or(i64::MIN),
            &mut verdict,
        );
        if channel == Channel::Dialtime {
            if let Some(account) = query.account {
                verdict.set_flags(self.account_flags(client, account));
            }
        }
        Ok(verdict.finish())
    }
}
