//! The channel suppression lists' public types (SPEC sections 7 and 9):
//! which list, what an entry holds, and the shapes of pages and bulk
//! results.

use std::fmt;

use jiff::civil::Date;

use crate::error::DncError;
use crate::values::account::Account;
use crate::values::email::Email;
use crate::values::expiration::Expiration;
use crate::values::ids::{ClientId, ContactGroupId, EntryId, ServiceId};
use crate::values::phone::Phone;

/// One of a client's three suppression lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Channel {
    /// Phones that must not be called (the reference's "Dialtime DNC").
    Dialtime,
    /// Phones that must not be sent text messages.
    Sms,
    /// Email addresses that must not be mailed.
    Email,
}

impl Channel {
    /// All three, in a fixed order.
    pub const ALL: [Channel; 3] = [Channel::Dialtime, Channel::Sms, Channel::Email];

    /// The list's name in the replay protocol: `dialtime`, `sms`, `email`.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Dialtime => "dialtime",
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// Checks that `value` is the kind this list holds (a phone of digits
    /// only for the phone lists, an email address for the email list).
    pub(crate) fn accepts(self, value: &ChannelValue) -> Result<(), DncError> {
        match (self, value) {
            (Channel::Dialtime | Channel::Sms, ChannelValue::Phone(phone)) => {
                if phone.has_wildcard() {
                    Err(DncError::InvalidPhone {
                        value: phone.to_string(),
                        reason: "a channel list phone must be digits only",
                    })
                } else {
                    Ok(())
                }
            }
            (Channel::Email, ChannelValue::Email(_)) => Ok(()),
            (Channel::Email, ChannelValue::Phone(phone)) => Err(DncError::InvalidEmail {
                value: phone.to_string(),
                reason: "the email list holds email addresses",
            }),
            (_, ChannelValue::Email(email)) => Err(DncError::InvalidPhone {
                value: email.to_string(),
                reason: "the dialtime and sms lists hold phones",
            }),
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a channel entry suppresses: a phone (dialtime, sms) or an email
/// address (email).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum ChannelValue {
    /// A phone, digits only.
    Phone(Phone),
    /// An email address, compared ignoring ASCII case.
    Email(Email),
}

impl ChannelValue {
    /// Whether the value's text contains `needle` (ASCII case ignored for
    /// emails): the list's find.
    pub(crate) fn contains(&self, needle: &str) -> bool {
        match self {
            ChannelValue::Phone(phone) => phone.contains_text(needle),
            ChannelValue::Email(email) => email.contains_ignoring_case(needle),
        }
    }
}

impl fmt::Display for ChannelValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChannelValue::Phone(phone) => fmt::Display::fmt(phone, f),
            ChannelValue::Email(email) => fmt::Display::fmt(email, f),
        }
    }
}

/// An entry of a channel list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelEntry {
    /// Unique within its list.
    pub id: EntryId,
    /// The client whose list holds it.
    pub client: ClientId,
    /// What it suppresses.
    pub value: ChannelValue,
    /// When set, the entry applies only to services mapped to this group.
    pub contact_group: Option<ContactGroupId>,
    /// The last date on which it blocks (in the client's time zone); `None`
    /// never expires.
    pub expiration: Option<Date>,
    /// The start of `expiration` in the client's time zone, in epoch
    /// milliseconds: how the reference answers an expiration.
    pub expiration_millis: Option<i64>,
}

/// A channel entry to create, or the new content of one to update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewChannelEntry {
    /// What it suppresses.
    pub value: ChannelValue,
    /// Restricts it to the services mapped to this group (registered by the
    /// client).
    pub contact_group: Option<ContactGroupId>,
    /// When it stops blocking (after the end of that date in the client's
    /// time zone).
    pub expiration: Option<Expiration>,
}

impl NewChannelEntry {
    /// An entry for every service of the client, never expiring.
    pub fn new(value: ChannelValue) -> NewChannelEntry {
        NewChannelEntry {
            value,
            contact_group: None,
            expiration: None,
        }
    }

    /// Restricts the entry to a contact group.
    pub fn contact_group(mut self, group: ContactGroupId) -> NewChannelEntry {
        self.contact_group = Some(group);
        self
    }

    /// Sets the expiration.
    pub fn expiration(mut self, expiration: Expiration) -> NewChannelEntry {
        self.expiration = Some(expiration);
        self
    }
}

/// A channel check: may this value be contacted on this list's channel, for
/// this service, at this instant?
#[derive(Clone, Copy, Debug)]
pub struct ChannelQuery<'a> {
    /// The service making the contact (its client's list is consulted).
    pub service: ServiceId,
    /// The phone or address to contact.
    pub value: &'a ChannelValue,
    /// For the dialtime list: the account, whose Do Not Dial flags apply.
    pub account: Option<&'a Account>,
    /// The instant of the contact, epoch milliseconds (the engine never
    /// reads a clock).
    pub at_millis: i64,
}

/// A page request: entries in ascending id order from `offset`, at most
/// `count` (1..=1000) of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// How many matching entries to skip.
    pub offset: u64,
    /// How many to answer at most: 1..=1000.
    pub count: u64,
}

/// The largest page (the reference's "hard cap of 1000 items").
pub const MAX_PAGE: u64 = 1000;

impl PageRequest {
    /// Checks the count.
    pub fn new(offset: u64, count: u64) -> Result<PageRequest, DncError> {
        if count == 0 || count > MAX_PAGE {
            return Err(DncError::InvalidPage { count });
        }
        Ok(PageRequest { offset, count })
    }
}

impl PageRequest {
    /// The page's range in a list of `total` items, and the next page's
    /// offset when more follow.
    pub(crate) fn bounds(self, total: usize) -> (usize, usize, Option<u64>) {
        let start = usize::try_from(self.offset)
            .unwrap_or(usize::MAX)
            .min(total);
        let end = start.saturating_add(self.count as usize).min(total);
        (start, end, (end < total).then_some(end as u64))
    }
}

/// The requested page of `items` in ascending `key` order. Only the
/// smallest items up to the page's end are sorted, so a page costs one
/// pass over the items at any offset.
pub(crate) fn page_by<T>(
    mut items: Vec<T>,
    request: PageRequest,
    key: impl Fn(&T) -> EntryId + Copy,
) -> Page<T> {
    let (start, end, next) = request.bounds(items.len());
    if end < items.len() {
        // The `end` smallest first, in no order; then only they are sorted.
        items.select_nth_unstable_by_key(end, key);
        items.truncate(end);
    }
    items.sort_unstable_by_key(key);
    Page {
        entries: items.split_off(start),
        next,
    }
}

/// A page of entries and where the next one starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The entries, ascending by id.
    pub entries: Vec<T>,
    /// The offset of the next page, `None` on the last one.
    pub next: Option<u64>,
}

/// What a channel find keeps: entries whose value contains `value` (a
/// substring, ASCII case ignored for emails) and whose contact group is
/// `contact_group`, each filter only when given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelFilter {
    /// A substring of the value.
    pub value: Option<String>,
    /// The exact contact group.
    pub contact_group: Option<ContactGroupId>,
}

/// A list's metadata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListInfo {
    /// How many entries the client's list holds.
    pub size: usize,
    /// The latest instant a change to the list carried, in epoch
    /// milliseconds; `None` when no change carried one.
    pub last_modified: Option<i64>,
}

/// The outcome of a bulk create: the valid records are applied, every
/// invalid one is reported by its 1-based position with its error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkOutcome {
    /// How many records were applied.
    pub processed: usize,
    /// The ids given to the applied records, in input order.
    pub ids: Vec<EntryId>,
    /// Every refused record: its 1-based position and why.
    pub refused: Vec<(usize, DncError)>,
}

/// Which list answers a client's phone checks (SPEC 8, the reference's
/// "Phone DNC Type").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PhoneDncType {
    /// The legacy entries answer phone checks, and legacy list management
    /// works; dialtime list management is refused.
    #[default]
    Legacy,
    /// The dialtime list answers phone checks, and its management works;
    /// legacy list management is refused.
    DialTime,
}

impl PhoneDncType {
    /// Parses `LEGACY` or `DIAL_TIME`.
    pub fn parse(text: &str) -> Option<PhoneDncType> {
        match text {
            "LEGACY" => Some(PhoneDncType::Legacy),
            "DIAL_TIME" => Some(PhoneDncType::DialTime),
            _ => None,
        }
    }

    /// `LEGACY` or `DIAL_TIME`.
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneDncType::Legacy => "LEGACY",
            PhoneDncType::DialTime => "DIAL_TIME",
        }
    }
}

impl fmt::Display for PhoneDncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What switching a client to [`PhoneDncType::DialTime`] did with its
/// legacy phone entries (SPEC 8: "All the existing permanent entries will
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
    /// It holds `*`, and a dialtime phone is digits only (SPEC 7): the
    /// pattern (a whole area code, say) no longer blocks at dial time.
    Wildcard,
    /// It is DAILY; the switch copies PERMANENT entries only (SPEC 8).
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
