//! The phone DNC type: which list answers a client's phone checks, and
//! the switch between them, which copies the legacy phones into the
//! dialtime list (the legacy part gives them, the channel part files them).

use jiff::Timestamp;

use crate::channels::migration::Migration;
use crate::dnc_type::PhoneDncType;
use crate::engine::{Engine, millis};
use crate::values::ids::ClientId;

impl Engine {
    /// Sets `client`'s phone DNC type (the reference's "Phone DNC Type"). Switching `LEGACY` →
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
        at: Option<Timestamp>,
    ) -> Migration {
        if self.phone_dnc_type(client) == phone_dnc_type {
            return Migration::default();
        }
        let dial_time = phone_dnc_type == PhoneDncType::DialTime;
        let migration = if dial_time {
            let phones = self.legacy.client_phones(client).collect();
            self.channels
                .carry_legacy_phones(client, phones, millis(at))
        } else {
            self.channels.note_client(client);
            Migration::default()
        };
        self.legacy.set_dial_time(client, dial_time);
        migration
    }
}
