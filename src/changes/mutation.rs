//! Every change the engine accepts, as data: [`Mutation`], and [`Change`],
//! a mutation with the caller that made it.

use jiff::Timestamp;

use crate::attempts::{NewAttempt, NewAttemptRule};
use crate::changes::object::Bytes;
use crate::channel::Channel;
use crate::channels::types::NewChannelEntry;
use crate::dialing::profile::{NewPolicy, NewProfile, PolicyUpdate};
use crate::dnc_type::PhoneDncType;
use crate::engine::scoped::Caller;
use crate::geo::AreaCode;
use crate::legacy::entry::NewEntry;
use crate::registry::{Change as RegistryChange, Exemption, ExemptionKind, ExemptionSubject};
use crate::registry::{RegistrySource, Subscription};
use crate::values::account::Account;
use crate::values::flags::FlagUpdate;
use crate::values::ids::{
    AttemptRuleId, ClientId, ContactGroupId, EntryId, PolicyId, ProfileId, ServiceId,
};

/// One change to an engine, as a follower receives it: what to change and
/// who asked. [`Engine::apply`](crate::Engine::apply) applies it as
/// [`Engine::scoped_mut`](crate::Engine::scoped_mut)`(by)` would, so a
/// principal's change is held to its role and its client on every host
/// that applies it, exactly as on the host that took it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Change {
    /// Who made the change: the host, or a principal of one client.
    pub by: Caller,
    /// What it changes.
    pub mutation: Mutation,
}

impl Change {
    /// A change made by the host.
    pub fn by_host(mutation: Mutation) -> Change {
        Change {
            by: Caller::Host,
            mutation,
        }
    }

    /// The stored objects the change refers to (a large payload travels
    /// once, beside the log; see [`Bytes`]).
    pub fn objects(&self) -> impl Iterator<Item = &crate::changes::ContentHash> {
        self.mutation.payload().and_then(Bytes::stored).into_iter()
    }
}

/// Every mutation of the engine, one variant per change method of
/// [`Scoped`](crate::Scoped) (each variant names the method it stands
/// for). `dnc replay`'s changing ops are renderings of these variants, so
/// the replay protocol and the change log cannot name different changes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Mutation {
    /// [`Scoped::register_service`](crate::Scoped::register_service).
    RegisterService {
        /// The owner.
        client: ClientId,
        /// The service.
        service: ServiceId,
    },
    /// [`Scoped::add_at`](crate::Scoped::add_at).
    Add {
        /// The entry.
        entry: NewEntry,
        /// Its modification instant, if the change carries one.
        at: Option<Timestamp>,
    },
    /// [`Scoped::add_many_at`](crate::Scoped::add_many_at) (no `client`)
    /// or [`Scoped::add_many_for_at`](crate::Scoped::add_many_for_at).
    AddMany {
        /// The list the records go to, for the list management's bulk
        /// create.
        client: Option<ClientId>,
        /// The records, in order.
        entries: Vec<NewEntry>,
        /// Their modification instant.
        at: Option<Timestamp>,
    },
    /// [`Scoped::remove_at`](crate::Scoped::remove_at).
    Remove {
        /// The entry.
        id: EntryId,
        /// The instant of the removal.
        at: Option<Timestamp>,
    },
    /// [`Scoped::set_account_flags`](crate::Scoped::set_account_flags).
    AccountFlags {
        /// The client.
        client: ClientId,
        /// The account.
        account: Account,
        /// The flags to set or clear.
        update: FlagUpdate,
    },
    /// [`Scoped::clear_daily`](crate::Scoped::clear_daily): the nightly
    /// clear of one client or of all.
    ClearDaily {
        /// The client, or every client.
        client: Option<ClientId>,
    },
    /// A client's settings:
    /// [`Scoped::set_time_zone`](crate::Scoped::set_time_zone), then
    /// [`Scoped::set_phone_dnc_type`](crate::Scoped::set_phone_dnc_type)
    /// (both held to the same role rule, so the second is never refused
    /// once the first was made: the pair is all or nothing).
    ClientSettings {
        /// The client.
        client: ClientId,
        /// A new time zone (an IANA name).
        time_zone: Option<String>,
        /// A new phone DNC type: the list that answers its phone checks.
        phone_dnc_type: Option<PhoneDncType>,
        /// The instant of the change.
        at: Option<Timestamp>,
    },
    /// [`Scoped::add_contact_group`](crate::Scoped::add_contact_group).
    AddContactGroup {
        /// The client.
        client: ClientId,
        /// The group.
        group: ContactGroupId,
    },
    /// [`Scoped::set_service_contact_group`](crate::Scoped::set_service_contact_group).
    ServiceContactGroup {
        /// The service.
        service: ServiceId,
        /// Its group, or none.
        group: Option<ContactGroupId>,
    },
    /// [`Scoped::channel_create`](crate::Scoped::channel_create).
    ChannelCreate {
        /// The list.
        channel: Channel,
        /// The client.
        client: ClientId,
        /// The entry.
        entry: NewChannelEntry,
        /// The instant of the change.
        at: Option<Timestamp>,
    },
    /// [`Scoped::channel_create_many`](crate::Scoped::channel_create_many).
    ChannelCreateMany {
        /// The list.
        channel: Channel,
        /// The client.
        client: ClientId,
        /// The records, in order.
        entries: Vec<NewChannelEntry>,
        /// The instant of the change.
        at: Option<Timestamp>,
    },
    /// [`Scoped::channel_update`](crate::Scoped::channel_update).
    ChannelUpdate {
        /// The list.
        channel: Channel,
        /// The client.
        client: ClientId,
        /// The entry.
        id: EntryId,
        /// What it becomes.
        entry: NewChannelEntry,
        /// The instant of the change.
        at: Option<Timestamp>,
    },
    /// [`Scoped::channel_delete`](crate::Scoped::channel_delete).
    ChannelDelete {
        /// The list.
        channel: Channel,
        /// The client.
        client: ClientId,
        /// The entry.
        id: EntryId,
        /// The instant of the change.
        at: Option<Timestamp>,
    },
    /// [`Scoped::profile_create`](crate::Scoped::profile_create).
    ProfileCreate {
        /// The caller's scope (a client, or the host's shared profiles).
        scope: Option<ClientId>,
        /// The profile.
        profile: NewProfile,
    },
    /// [`Scoped::profile_update`](crate::Scoped::profile_update).
    ProfileUpdate {
        /// The caller's scope.
        scope: Option<ClientId>,
        /// The profile.
        id: ProfileId,
        /// A new name.
        name: Option<String>,
        /// A new description (`Some(None)` clears it).
        description: Option<Option<String>>,
    },
    /// [`Scoped::profile_set_client_default`](crate::Scoped::profile_set_client_default).
    ProfileDefault {
        /// The caller's scope.
        scope: Option<ClientId>,
        /// The profile.
        id: ProfileId,
        /// Whether it becomes (or stops being) its client's default.
        default: bool,
    },
    /// [`Scoped::profile_delete`](crate::Scoped::profile_delete).
    ProfileDelete {
        /// The caller's scope.
        scope: Option<ClientId>,
        /// The profile.
        id: ProfileId,
    },
    /// [`Scoped::policy_add`](crate::Scoped::policy_add).
    PolicyAdd {
        /// The caller's scope.
        scope: Option<ClientId>,
        /// The profile.
        profile: ProfileId,
        /// The policy.
        policy: NewPolicy,
    },
    /// [`Scoped::policy_update`](crate::Scoped::policy_update).
    PolicyUpdate {
        /// The caller's scope.
        scope: Option<ClientId>,
        /// The profile.
        profile: ProfileId,
        /// The policy.
        policy: PolicyId,
        /// What changes.
        update: PolicyUpdate,
    },
    /// [`Scoped::policy_remove`](crate::Scoped::policy_remove).
    PolicyRemove {
        /// The caller's scope.
        scope: Option<ClientId>,
        /// The profile.
        profile: ProfileId,
        /// The policy.
        policy: PolicyId,
    },
    /// [`Scoped::profile_assign_service`](crate::Scoped::profile_assign_service)
    /// (`assign`) or
    /// [`Scoped::profile_remove_service`](crate::Scoped::profile_remove_service).
    ProfileService {
        /// The caller's scope.
        scope: Option<ClientId>,
        /// The profile.
        profile: ProfileId,
        /// The service.
        service: ServiceId,
        /// Assign (`true`) or remove.
        assign: bool,
    },
    /// [`Scoped::load_registry`](crate::Scoped::load_registry): a full list
    /// given as numbers.
    RegistryLoad {
        /// The registry.
        source: RegistrySource,
        /// The area codes the list covers (`None`: every one it holds).
        covered: Option<Vec<AreaCode>>,
        /// Its numbers, ascending.
        numbers: Vec<u64>,
        /// When the copy was downloaded.
        obtained: Timestamp,
    },
    /// [`Scoped::load_registry_list`](crate::Scoped::load_registry_list):
    /// a full list in the registries' text form.
    RegistryLoadList {
        /// The registry.
        source: RegistrySource,
        /// The area codes the list covers.
        covered: Option<Vec<AreaCode>>,
        /// The list's text.
        list: Bytes,
        /// When the copy was downloaded.
        obtained: Timestamp,
    },
    /// [`Scoped::apply_registry_changes`](crate::Scoped::apply_registry_changes).
    RegistryChanges {
        /// The registry.
        source: RegistrySource,
        /// The change list's records.
        changes: Vec<RegistryChange>,
        /// When the change list was downloaded.
        obtained: Timestamp,
    },
    /// [`Scoped::put_registry`](crate::Scoped::put_registry): a built copy
    /// in its binary form ([`Registry::to_bytes`](crate::registry::Registry::to_bytes)).
    RegistryPut {
        /// The copy's bytes.
        copy: Bytes,
    },
    /// [`Scoped::subscribe`](crate::Scoped::subscribe).
    Subscribe {
        /// The client.
        client: ClientId,
        /// The subscription.
        subscription: Subscription,
    },
    /// [`Scoped::unsubscribe`](crate::Scoped::unsubscribe).
    Unsubscribe {
        /// The client.
        client: ClientId,
        /// The registry.
        source: RegistrySource,
    },
    /// [`Scoped::add_exemption`](crate::Scoped::add_exemption).
    ExemptionAdd {
        /// The client.
        client: ClientId,
        /// The phone or account.
        subject: ExemptionSubject,
        /// The exemption.
        exemption: Exemption,
    },
    /// [`Scoped::remove_exemption`](crate::Scoped::remove_exemption).
    ExemptionRemove {
        /// The client.
        client: ClientId,
        /// The phone or account.
        subject: ExemptionSubject,
        /// Which exemption.
        kind: ExemptionKind,
    },
    /// [`Scoped::set_debt_collector`](crate::Scoped::set_debt_collector).
    DebtCollector {
        /// The client.
        client: ClientId,
        /// Whether it collects debts (Regulation F applies).
        collector: bool,
    },
    /// [`Scoped::record_attempt`](crate::Scoped::record_attempt).
    Attempt {
        /// The attempt.
        attempt: NewAttempt,
    },
    /// [`Scoped::add_attempt_rule`](crate::Scoped::add_attempt_rule).
    AttemptRuleAdd {
        /// The client.
        client: ClientId,
        /// The rule.
        rule: NewAttemptRule,
    },
    /// [`Scoped::remove_attempt_rule`](crate::Scoped::remove_attempt_rule).
    AttemptRuleRemove {
        /// The client.
        client: ClientId,
        /// The rule.
        id: AttemptRuleId,
    },
    /// [`Scoped::trim_attempts`](crate::Scoped::trim_attempts).
    TrimAttempts {
        /// The instant the history is trimmed at.
        now: Timestamp,
    },
}

impl Mutation {
    /// The payload that may travel as a stored object.
    pub fn payload(&self) -> Option<&Bytes> {
        match self {
            Mutation::RegistryLoadList { list, .. } => Some(list),
            Mutation::RegistryPut { copy } => Some(copy),
            _ => None,
        }
    }

    /// The payload, mutably (a publisher moves a large one to the object
    /// store).
    pub fn payload_mut(&mut self) -> Option<&mut Bytes> {
        match self {
            Mutation::RegistryLoadList { list, .. } => Some(list),
            Mutation::RegistryPut { copy } => Some(copy),
            _ => None,
        }
    }
}
