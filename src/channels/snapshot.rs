//! What a snapshot keeps of the channel lists, and how a restore puts it
//! back through the same checks as the live operations.

use crate::channel::Channel;
use crate::channels::state::ChannelState;
use crate::channels::types::NewChannelEntry;
use crate::error::DncError;
use crate::values::ids::{ClientId, ContactGroupId, EntryId, MAX_ID, ServiceId};

/// What a snapshot needs from the channel lists, and how a restore puts it
/// back through the same checks as the live operations.
impl ChannelState {
    /// Clients with settings: time zone name and contact groups (ascending).
    pub(crate) fn channel_clients(&self) -> Vec<(ClientId, String, Vec<ContactGroupId>)> {
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
    pub(crate) fn service_groups(&self) -> Vec<(ServiceId, ContactGroupId)> {
        let mut groups: Vec<_> = self
            .service_groups
            .iter()
            .map(|(service, group)| (*service, *group))
            .collect();
        groups.sort_unstable();
        groups
    }

    /// A list's next id and its clients' last changes (by client).
    pub(crate) fn channel_list_meta(&self, channel: Channel) -> (u64, Vec<(ClientId, i64)>) {
        let list = self.list(channel);
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
        if self.list(channel).get(id).is_some() {
            return Err(DncError::DuplicateId { id });
        }
        let stored = self.prepare(channel, client, new)?;
        self.list_mut(channel).insert_with_id(id, stored);
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
        let list = self.list_mut(channel);
        if next_id > MAX_ID + 1 || next_id < list.next_id() {
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
