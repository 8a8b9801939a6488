//! What a switch of a client's phone DNC type carried over: the migration
//! from the legacy list to the dialtime list and the entries it could not
//! carry.

use std::fmt;

use crate::channel::Channel;
use crate::channels::list::StoredEntry;
use crate::channels::state::ChannelState;
use crate::channels::types::ChannelValue;
use crate::values::ids::{ClientId, EntryId};
use crate::values::phone::Phone;

/// What switching a client to [`PhoneDncType::DialTime`](crate::PhoneDncType::DialTime) did with its
/// legacy phone entries (the reference: "All the existing permanent entries will
/// migrate"). Nothing is dropped without a word: every phone-only legacy
/// entry of the client is either copied, already covered, or named in
/// [`not_carried`](Migration::not_carried) with why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Migration {
    /// PERMANENT phone-only legacy entries copied into the dialtime list.
    pub migrated: usize,
    /// PERMANENT phone-only legacy entries whose phone the dialtime list
    /// already blocks for every service and for ever (an entry without a
    /// contact group and without an expiration): not copied again. An entry
    /// that expires or is limited to a contact group does not stand for a
    /// permanent client-wide one, so such a phone is copied.
    pub already_listed: usize,
    /// Every phone-only legacy entry that was not carried over, in id
    /// order: it stays stored but is inactive while the client is
    /// `DIAL_TIME`, so the host must decide what to do with it.
    pub not_carried: Vec<NotCarried>,
}

impl Migration {
    /// How many of [`not_carried`](Migration::not_carried) hold a `*`.
    pub fn skipped_wildcards(&self) -> usize {
        self.not_carried
            .iter()
            .filter(|entry| entry.reason == NotCarriedReason::Wildcard)
            .count()
    }
}

/// A legacy phone entry a switch to `DIAL_TIME` did not copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotCarried {
    /// The legacy entry's id.
    pub entry: EntryId,
    /// Its phone.
    pub phone: Phone,
    /// Why it was not copied.
    pub reason: NotCarriedReason,
}

/// Why a legacy phone entry was not copied into the dialtime list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NotCarriedReason {
    /// It holds `*`, and a dialtime phone is digits only: the
    /// pattern (a whole area code, say) no longer blocks at dial time.
    Wildcard,
    /// It is DAILY; the switch copies PERMANENT entries only.
    Daily,
    /// The dialtime list has used up its id range.
    IdsExhausted,
}

impl NotCarriedReason {
    /// `WILDCARD`, `DAILY` or `IDS_EXHAUSTED`, as the replay spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            NotCarriedReason::Wildcard => "WILDCARD",
            NotCarriedReason::Daily => "DAILY",
            NotCarriedReason::IdsExhausted => "IDS_EXHAUSTED",
        }
    }
}

impl fmt::Display for NotCarriedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NotCarriedReason::Wildcard => "a wildcard phone cannot be a dialtime entry",
            NotCarriedReason::Daily => "a DAILY entry is not migrated",
            NotCarriedReason::IdsExhausted => "the dialtime list has no ids left",
        })
    }
}

impl ChannelState {
    /// Copies a client's legacy phone entries (`phones`: id, phone, and
    /// whether it is DAILY, in legacy id order, so the copies' ids follow the
    /// originals') into its dialtime list, as a switch to `DIAL_TIME` does:
    /// PERMANENT literal phones the list does not already block for every
    /// service and for ever; every other one is named with why it was not
    /// carried. `at` is the instant of the change, for `lastModified`.
    pub(crate) fn carry_legacy_phones(
        &mut self,
        client: ClientId,
        phones: Vec<(EntryId, Phone, bool)>,
        at: Option<i64>,
    ) -> Migration {
        let mut migration = Migration::default();
        // A client with settings is one a snapshot records.
        self.settings.entry(client).or_default();
        for (entry, phone, daily) in phones {
            let not_carried = |reason| NotCarried {
                entry,
                phone,
                reason,
            };
            if daily {
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
            if self.list(Channel::Dialtime).blocks_always(client, &value) {
                migration.already_listed += 1;
                continue;
            }
            let list = self.list_mut(Channel::Dialtime);
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
            self.list_mut(Channel::Dialtime).touch(client, at);
        }
        migration
    }
}
