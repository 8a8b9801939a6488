//! Random changes for the change-log properties (`tests/change_log.rs`) and
//! the `change_log` fuzz target: each change is decoded from six small
//! numbers, so proptest and the fuzzer draw the same vocabulary. The
//! domains are small (three clients, six services, a handful of phones and
//! accounts) so that changes meet: a remove finds the entry an add made, a
//! principal reaches for another client's service, a refused change sits
//! between applied ones.

#![allow(dead_code, unreachable_pub)]
// Shared with the library (rust 1.85), which predates `is_multiple_of`.
#![allow(clippy::manual_is_multiple_of)]

use dnc_engine::attempts::{
    ChannelSet, ContactKey, NewAttempt, NewAttemptRule, Outcome, OutcomeSet, RuleKey, RuleWindow,
};
use dnc_engine::geo::StateCode;
use dnc_engine::jiff::{SignedDuration, Timestamp};
use dnc_engine::registry::{
    Change as RegistryChange, ChangeMark, Exemption, ExemptionKind, ExemptionSubject,
    RegistrySource, Subscription,
};
use dnc_engine::{
    Account, Caller, Change, Channel, ChannelValue, ClientId, ContactGroupId, DayRule, DialChannel,
    DncKey, EntryId, FlagUpdate, Lifetime, Mutation, NewChannelEntry, NewEntry, NewPolicy,
    NewProfile, Phone, PhoneDncType, PolicyId, PolicyUpdate, Principal, ProfileId, Region, Role,
    ServiceId, Zip,
};

/// How many numbers decode one change.
pub const WIDTH: usize = 6;

fn client(n: u16) -> ClientId {
    ClientId::new(u64::from(n % 3) + 1).unwrap()
}

fn service(n: u16) -> ServiceId {
    ServiceId::new(u64::from(n % 6) + 1).unwrap()
}

/// The client service `n` is registered to by the changes that register
/// it (a service under another client is refused).
fn owner(n: u16) -> ClientId {
    client(n % 6)
}

fn phone(n: u16) -> Phone {
    const PHONES: [&str; 6] = [
        "2125550100",
        "2125550101",
        "3035550102",
        "4155550103",
        "21255501*",
        "6045550104",
    ];
    Phone::parse(PHONES[usize::from(n) % PHONES.len()]).unwrap()
}

fn account(n: u16) -> Account {
    Account::parse(["A-1", "A-2", "B-7"][usize::from(n) % 3]).unwrap()
}

fn at(n: u16) -> Timestamp {
    // Days of November 2026, at 15:00 UTC (midday in the US).
    Timestamp::from_second(1_793_545_200 + i64::from(n % 20) * 86_400).unwrap()
}

fn key(n: u16) -> DncKey {
    match n % 4 {
        0 | 1 => DncKey::Phone(phone(n / 4)),
        2 => DncKey::Account(account(n / 4)),
        _ => DncKey::Zip(Zip::parse(["10001", "94105"][usize::from(n / 4) % 2]).unwrap()),
    }
}

fn new_entry(a: u16, b: u16) -> NewEntry {
    let by_service = a % 2 == 0;
    NewEntry {
        id: None,
        client: (!by_service).then(|| client(a / 2)),
        service: by_service.then(|| service(a / 2)),
        key: key(b),
        lifetime: if b % 3 == 0 {
            Lifetime::Daily
        } else {
            Lifetime::Permanent
        },
    }
}

fn caller(n: u16) -> Caller {
    if n % 4 != 0 {
        return Caller::Host;
    }
    let role = [Role::Sysadmin, Role::Manager, Role::Agent, Role::ItUser][usize::from(n / 4) % 4];
    Caller::Principal(Principal {
        role,
        client: client(n / 16),
        edit_dnc_lists: n % 8 == 0,
    })
}

fn channel(n: u16) -> Channel {
    [Channel::Dialtime, Channel::Sms, Channel::Email][usize::from(n) % 3]
}

fn channel_entry(channel: Channel, n: u16) -> NewChannelEntry {
    let value = match channel {
        Channel::Email => ChannelValue::Email(
            dnc_engine::Email::parse(["a@example.com", "b@example.org"][usize::from(n) % 2])
                .unwrap(),
        ),
        _ => ChannelValue::Phone(phone(n)),
    };
    NewChannelEntry::new(value)
}

fn region(n: u16) -> Region {
    let state = ["CA", "NY", "TX"][usize::from(n) % 3];
    Region::new(None, Some(StateCode::parse(state).unwrap()), None).unwrap()
}

fn policy(n: u16) -> NewPolicy {
    let mut policy = NewPolicy::new(DayRule::All, region(n));
    policy.do_not_dial = n % 5 == 0;
    policy
}

/// The change six numbers stand for.
pub fn change(op: [u16; WIDTH]) -> Change {
    let [kind, a, b, c, d, by] = op;
    let mutation = match kind % 27 {
        0 | 1 => Mutation::RegisterService {
            client: if d % 7 == 0 { client(a) } else { owner(a) },
            service: service(a),
        },
        2..=4 => Mutation::Add {
            entry: new_entry(a, b),
            at: (c % 2 == 0).then(|| at(c)),
        },
        5 => Mutation::AddMany {
            client: (d % 2 == 0).then(|| client(d)),
            entries: vec![new_entry(a, b), new_entry(b, c), new_entry(c, a)],
            at: Some(at(c)),
        },
        6 => Mutation::Remove {
            id: EntryId::new(u64::from(a % 8) + 1).unwrap(),
            at: Some(at(b)),
        },
        7 => Mutation::AccountFlags {
            client: client(a),
            account: account(b),
            update: FlagUpdate {
                do_not_dial: (c % 3 != 0).then_some(c % 2 == 0),
                do_not_dial_daily: (d % 3 != 0).then_some(d % 2 == 0),
            },
        },
        8 => Mutation::ClearDaily {
            client: (a % 3 != 0).then(|| client(a)),
        },
        9 => Mutation::ClientSettings {
            client: client(a),
            time_zone: match b % 4 {
                0 => Some("America/Chicago".to_owned()),
                1 => Some("Not/AZone".to_owned()),
                _ => None,
            },
            phone_dnc_type: match c % 3 {
                0 => Some(PhoneDncType::DialTime),
                1 => Some(PhoneDncType::Legacy),
                _ => None,
            },
            at: Some(at(d)),
        },
        10 => Mutation::AddContactGroup {
            client: client(a),
            group: ContactGroupId::new(u64::from(b % 3) + 1).unwrap(),
        },
        11 => Mutation::ServiceContactGroup {
            service: service(a),
            group: (b % 4 != 0).then(|| ContactGroupId::new(u64::from(b % 3) + 1).unwrap()),
        },
        12 => {
            let channel = channel(b);
            Mutation::ChannelCreate {
                channel,
                client: client(a),
                entry: channel_entry(channel, c),
                at: Some(at(d)),
            }
        }
        13 => {
            let channel = channel(b);
            Mutation::ChannelCreateMany {
                channel,
                client: client(a),
                entries: vec![channel_entry(channel, c), channel_entry(channel, d)],
                at: Some(at(d)),
            }
        }
        14 => {
            let channel = channel(b);
            Mutation::ChannelUpdate {
                channel,
                client: client(a),
                id: EntryId::new(u64::from(c % 4) + 1).unwrap(),
                entry: channel_entry(channel, d),
                at: Some(at(d)),
            }
        }
        15 => Mutation::ChannelDelete {
            channel: channel(b),
            client: client(a),
            id: EntryId::new(u64::from(c % 4) + 1).unwrap(),
            at: Some(at(d)),
        },
        16 => {
            let scope = (a % 3 != 0).then(|| client(a));
            Mutation::ProfileCreate {
                scope,
                profile: NewProfile {
                    client: scope,
                    name: format!("profile {b}"),
                    description: None,
                    client_default: c % 2 == 0,
                    policies: vec![policy(d)],
                },
            }
        }
        17 => Mutation::ProfileService {
            scope: (a % 3 != 0).then(|| client(a)),
            profile: ProfileId::new(u64::from(b % 3) + 1).unwrap(),
            service: service(c),
            assign: d % 3 != 0,
        },
        18 => Mutation::PolicyAdd {
            scope: (a % 3 != 0).then(|| client(a)),
            profile: ProfileId::new(u64::from(b % 3) + 1).unwrap(),
            policy: policy(c),
        },
        19 => Mutation::PolicyUpdate {
            scope: (a % 3 != 0).then(|| client(a)),
            profile: ProfileId::new(u64::from(b % 3) + 1).unwrap(),
            policy: PolicyId::new(u64::from(c % 3) + 1).unwrap(),
            update: PolicyUpdate {
                do_not_dial: Some(d % 2 == 0),
                ..PolicyUpdate::default()
            },
        },
        20 => Mutation::ProfileDelete {
            scope: (a % 3 != 0).then(|| client(a)),
            id: ProfileId::new(u64::from(b % 3) + 1).unwrap(),
        },
        21 => {
            let mut numbers: Vec<u64> = [a, b, c]
                .iter()
                .map(|n| 2_125_550_100 + u64::from(n % 4))
                .collect();
            numbers.sort_unstable();
            numbers.dedup();
            Mutation::RegistryLoad {
                source: RegistrySource::UsNational,
                covered: None,
                numbers,
                obtained: at(d),
            }
        }
        22 => Mutation::RegistryChanges {
            source: RegistrySource::UsNational,
            changes: vec![RegistryChange {
                number: 2_125_550_100 + u64::from(a % 4),
                mark: if b % 2 == 0 {
                    ChangeMark::Add
                } else {
                    ChangeMark::Delete
                },
            }],
            obtained: at(c),
        },
        23 => {
            if a % 3 == 0 {
                Mutation::Unsubscribe {
                    client: client(b),
                    source: RegistrySource::UsNational,
                }
            } else {
                Mutation::Subscribe {
                    client: client(b),
                    subscription: Subscription::all(RegistrySource::UsNational),
                }
            }
        }
        24 => {
            let subject = if a % 2 == 0 {
                ExemptionSubject::Phone(phone(b))
            } else {
                ExemptionSubject::Account(account(b))
            };
            if c % 3 == 0 {
                Mutation::ExemptionRemove {
                    client: client(d),
                    subject,
                    kind: ExemptionKind::Consent,
                }
            } else {
                Mutation::ExemptionAdd {
                    client: client(d),
                    subject,
                    exemption: Exemption::new(ExemptionKind::Consent, at(c)),
                }
            }
        }
        25 => Mutation::Attempt {
            attempt: NewAttempt {
                service: service(a),
                phone: phone(b % 4),
                person: (c % 2 == 0)
                    .then(|| ContactKey::parse("person", ["p1", "p2"][usize::from(c / 2) % 2]))
                    .transpose()
                    .unwrap(),
                debts: Vec::new(),
                at: at(d),
                channel: if d % 5 == 0 {
                    DialChannel::Sms
                } else {
                    DialChannel::Voice
                },
                outcome: [Outcome::NoAnswer, Outcome::Message, Outcome::Conversation]
                    [usize::from(c) % 3],
                consent: None,
            },
        },
        _ => match a % 4 {
            0 => Mutation::DebtCollector {
                client: client(b),
                collector: c % 2 == 0,
            },
            1 => Mutation::AttemptRuleAdd {
                client: client(b),
                rule: NewAttemptRule {
                    key: RuleKey::Phone,
                    outcomes: OutcomeSet::ALL,
                    channels: ChannelSet {
                        voice: true,
                        sms: c % 2 == 0,
                    },
                    window: RuleWindow::Rolling(SignedDuration::from_hours(24)),
                    limit: u32::from(d % 3),
                    lock: None,
                },
            },
            2 => Mutation::AttemptRuleRemove {
                client: client(b),
                id: dnc_engine::AttemptRuleId::new(u64::from(c % 3) + 1).unwrap(),
            },
            _ => Mutation::TrimAttempts { now: at(c) },
        },
    };
    Change {
        by: caller(by),
        mutation,
    }
}
