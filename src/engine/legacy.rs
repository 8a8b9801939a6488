//! The legacy list's API: adds (one, many, with the host's instant),
//! removes, reads, pages and finds, the account flags and the nightly
//! clear. Every call delegates to the legacy part.

use jiff::Timestamp;

use crate::engine::{Engine, millis};
use crate::error::DncError;
use crate::legacy::entry::{DncEntry, NewEntry};
use crate::legacy::list::AddManyOutcome;
use crate::legacy::log::LegacyFilter;
use crate::page::{ListInfo, Page, PageRequest};
use crate::values::account::Account;
use crate::values::flags::{AccountFlags, FlagUpdate};
use crate::values::ids::{ClientId, EntryId};

impl Engine {
    /// Adds an entry and returns its id.
    ///
    /// With a service, the entry's client is the service's (a given client must
    /// agree); without one, the client is required and the entry applies to
    /// every service of that client. Without an id, the engine assigns one
    /// greater than every id it has stored so far.
    ///
    /// Errors: [`DncError::UnknownService`], [`DncError::ServiceClientMismatch`],
    /// [`DncError::MissingScope`], [`DncError::DuplicateId`], and
    /// [`DncError::InvalidId`] when the assigned id would leave the id range.
    pub fn add(&mut self, new: NewEntry) -> Result<EntryId, DncError> {
        self.legacy.add(new)
    }

    /// Adds many entries, each exactly as [`add`](Engine::add) would in this
    /// order (the reference's bulk create): every valid entry is added, every
    /// refused one changes nothing and is reported with its position. Much
    /// faster than one `add` each for a large load, because the phone entries
    /// are filed in the order of the buckets they land in.
    pub fn add_many(&mut self, entries: impl IntoIterator<Item = NewEntry>) -> AddManyOutcome {
        self.legacy.add_many(entries)
    }

    /// Removes entry `id` and returns it; [`DncError::NotFound`] if absent,
    /// [`DncError::WrongDncType`] if its client is `DIAL_TIME`.
    pub fn remove(&mut self, id: EntryId) -> Result<DncEntry, DncError> {
        self.legacy.remove(id)
    }

    /// The entry with this id.
    pub fn entry(&self, id: EntryId) -> Option<DncEntry> {
        self.legacy.entry(id)
    }

    /// Every entry, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = DncEntry> + '_ {
        self.legacy.entries()
    }

    /// Sets or clears the Do Not Dial flags of `(client, account)` and returns
    /// the flags now in force. Fields of `update` left `None` are unchanged.
    pub fn set_account_flags(
        &mut self,
        client: ClientId,
        account: &Account,
        update: FlagUpdate,
    ) -> AccountFlags {
        self.legacy.set_account_flags(client, account, update)
    }

    /// The flags of `(client, account)`.
    pub fn account_flags(&self, client: ClientId, account: &Account) -> AccountFlags {
        self.legacy.account_flags(client, account)
    }

    /// Every `(client, account, flags)` with a flag set, in no particular order.
    pub fn all_account_flags(&self) -> impl Iterator<Item = (ClientId, &Account, AccountFlags)> {
        self.legacy.all_account_flags()
    }

    /// The nightly clear for one client (`Some`) or all (`None`): removes the
    /// DAILY entries and resets every `doNotDialDaily` flag. Returns how many
    /// entries were removed. PERMANENT entries and `doNotDial` stay.
    ///
    /// Each client's DAILY ids are kept apart, so the clear of one client
    /// costs in proportion to its DAILY entries (and its flagged accounts),
    /// whatever the other clients hold.
    pub fn clear_daily(&mut self, client: Option<ClientId>) -> usize {
        self.legacy.clear_daily(client)
    }
    /// [`add`](Engine::add), recording `at` as the
    /// entry's modification instant and in the list's `lastModified`.
    pub fn add_at(&mut self, new: NewEntry, at: Option<Timestamp>) -> Result<EntryId, DncError> {
        self.legacy.add_at(new, millis(at))
    }

    /// [`add_many`](Engine::add_many), recording `at` for every added entry.
    pub fn add_many_at(
        &mut self,
        entries: impl IntoIterator<Item = NewEntry>,
        at: Option<Timestamp>,
    ) -> AddManyOutcome {
        self.legacy.add_many_at(entries, millis(at))
    }

    /// The bulk create of `client`'s legacy list (the reference's create
    /// many of one client's list): as [`add_many_at`](Engine::add_many_at),
    /// except that a record scoped to a service is `client`'s, a record naming
    /// another client is refused ([`DncError::InvalidEntry`]), and a record
    /// scoped to another client's service is refused
    /// ([`DncError::ServiceClientMismatch`]), each at its position. Nothing
    /// a record says can put an entry in another client's list.
    pub fn add_many_for_at(
        &mut self,
        client: ClientId,
        entries: impl IntoIterator<Item = NewEntry>,
        at: Option<Timestamp>,
    ) -> AddManyOutcome {
        self.legacy.add_many_for_at(client, entries, millis(at))
    }

    /// [`remove`](Engine::remove), recording `at` in the list's
    /// `lastModified`.
    pub fn remove_at(&mut self, id: EntryId, at: Option<Timestamp>) -> Result<DncEntry, DncError> {
        self.legacy.remove_at(id, millis(at))
    }

    /// Legacy entry `id` of `client` ([`DncError::NotFound`] when absent or
    /// another client's).
    pub fn legacy_read(&self, client: ClientId, id: EntryId) -> Result<DncEntry, DncError> {
        self.legacy.legacy_read(client, id)
    }

    /// A page of `client`'s legacy entries matching `filter` (an empty
    /// filter lists them all), ascending by id.
    ///
    /// Costs O(log n) plus the page at any offset, n the client's entries,
    /// with or without a lifetime or services filter; with `modified_after`
    /// it reads the client's candidates in id order until the page is full.
    pub fn legacy_page(
        &self,
        client: ClientId,
        filter: &LegacyFilter,
        request: PageRequest,
    ) -> Result<Page<DncEntry>, DncError> {
        self.legacy.legacy_page(client, filter, request)
    }

    /// The size and last change of `client`'s legacy list.
    pub fn legacy_info(&self, client: ClientId) -> Result<ListInfo, DncError> {
        self.legacy.legacy_info(client)
    }

    /// `add_many_at` of entries a caller (the principal-scoped facade) has
    /// already vetted: an entry paired with an error is refused with it.
    pub(crate) fn add_many_vetted_at(
        &mut self,
        entries: impl IntoIterator<Item = (NewEntry, Result<(), DncError>)>,
        at: Option<Timestamp>,
    ) -> AddManyOutcome {
        self.legacy.add_many_vetted_at(entries, millis(at))
    }
}
