//! SPEC 8's naive model: legacy and dialtime operations mixed with type
//! switches, and `is_blocked` answering a phone from the client's active
//! list. Shared by `tests/phone_dnc_type.rs` and the `dnc_type_ops` fuzz
//! target; operation fields are read modulo small pools, so an arbitrary
//! operation is a valid one.

#![allow(dead_code, unreachable_pub)]

use dnc_engine::{
    Channel, ChannelQuery, ChannelValue, ClientId, ContactGroupId, DncKey, Engine, EntryId,
    Expiration, Lifetime, NewChannelEntry, NewEntry, NotCarried, NotCarriedReason, Phone,
    PhoneDncType, Query, ServiceId,
};

#[macro_use]
#[path = "../support/model_assert.rs"]
mod model_assert;
#[path = "../support/instant.rs"]
mod instant;
pub(crate) use instant::ms;

pub fn client(n: u64) -> ClientId {
    ClientId::new(n).unwrap()
}
pub fn service(n: u64) -> ServiceId {
    ServiceId::new(n).unwrap()
}
pub fn phone(text: &str) -> Phone {
    Phone::parse(text).unwrap()
}

#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum Op {
    LegacyAdd {
        c: u64,
        scoped: bool,
        number: u8,
        daily: bool,
    },
    LegacyRemove {
        pick: u8,
    },
    DialtimeCreate {
        c: u64,
        number: u8,
        grouped: bool,
        /// Expires on 2020-01-01 (so it no longer blocks at `LATE`).
        expiring: bool,
    },
    DialtimeDelete {
        pick: u8,
    },
    Switch {
        c: u64,
        dial_time: bool,
    },
    Check {
        s: u64,
        number: u8,
        /// Checked at `LATE` rather than at 0 (the channel check).
        late: bool,
    },
}

/// An instant after every expiring entry's date (2027-01-15).
const LATE: i64 = 1_800_000_000_000;

impl Op {
    /// Every field brought into its pool: clients 1 and 2, services 10, 11
    /// (client 1) and 20 (client 2), numbers 0-5.
    pub fn normalized(self) -> Op {
        match self {
            Op::LegacyAdd {
                c,
                scoped,
                number,
                daily,
            } => Op::LegacyAdd {
                c: 1 + c % 2,
                scoped,
                number: number % 6,
                daily,
            },
            Op::LegacyRemove { pick } => Op::LegacyRemove { pick },
            Op::DialtimeCreate {
                c,
                number,
                grouped,
                expiring,
            } => Op::DialtimeCreate {
                c: 1 + c % 2,
                number: number % 6,
                grouped,
                expiring,
            },
            Op::DialtimeDelete { pick } => Op::DialtimeDelete { pick },
            Op::Switch { c, dial_time } => Op::Switch {
                c: 1 + c % 2,
                dial_time,
            },
            Op::Check { s, number, late } => Op::Check {
                s: [10, 11, 20][(s % 3) as usize],
                number: number % 6,
                late,
            },
        }
    }
}

/// Numbers 0-4 are digits; 5 is a wildcard (never copied).
fn number(n: u8) -> &'static str {
    [
        "4155550000",
        "4155550001",
        "4155550002",
        "4155550003",
        "4155550004",
        "415555****",
    ][usize::from(n)]
}

#[derive(Clone, Debug)]
struct Legacy {
    id: EntryId,
    c: u64,
    service: Option<u64>,
    number: u8,
    daily: bool,
}
#[derive(Clone, Debug)]
struct Dialtime {
    id: EntryId,
    c: u64,
    number: u8,
    grouped: bool,
    expiring: bool,
}

fn service_client(s: u64) -> u64 {
    s / 10
}

pub fn run(ops: Vec<Op>) -> Result<(), String> {
    let mut engine = Engine::new();
    for (c, s) in [(1, 10), (1, 11), (2, 20)] {
        engine.register_service(client(c), service(s)).unwrap();
    }
    // Service 10 is in group 100 (client 1's); the others in none.
    let group = ContactGroupId::new(100).unwrap();
    engine.add_contact_group(client(1), group);
    engine
        .set_service_contact_group(service(10), Some(group))
        .unwrap();
    let (mut legacy, mut dialtime) = (Vec::<Legacy>::new(), Vec::<Dialtime>::new());
    let mut dial_time = [false; 3];
    let (mut next_legacy, mut next_dialtime) = (1u64, 1u64);
    for op in ops {
        match op.normalized() {
            Op::LegacyAdd {
                c,
                scoped,
                number: n,
                daily,
            } => {
                let key = DncKey::Phone(phone(number(n)));
                let s = if scoped { Some(c * 10) } else { None };
                let mut new = match s {
                    Some(s) => NewEntry::for_service(service(s), key),
                    None => NewEntry::for_client(client(c), key),
                };
                if daily {
                    new = new.with_lifetime(Lifetime::Daily);
                }
                let result = engine.add(new);
                prop_assert_eq!(result.is_ok(), !dial_time[c as usize], "{:?}", result);
                if let Ok(id) = result {
                    prop_assert_eq!(id.get(), next_legacy);
                    next_legacy += 1;
                    legacy.push(Legacy {
                        id,
                        c,
                        service: s,
                        number: n,
                        daily,
                    });
                }
            }
            Op::LegacyRemove { pick } => {
                if legacy.is_empty() {
                    continue;
                }
                let index = usize::from(pick) % legacy.len();
                let result = engine.remove(legacy[index].id);
                prop_assert_eq!(result.is_ok(), !dial_time[legacy[index].c as usize]);
                if result.is_ok() {
                    legacy.remove(index);
                }
            }
            Op::DialtimeCreate {
                c,
                number: n,
                grouped,
                expiring,
            } => {
                if n == 5 {
                    continue;
                }
                let mut new = NewChannelEntry::new(ChannelValue::Phone(phone(number(n))));
                let grouped = grouped && c == 1;
                if grouped {
                    new = new.contact_group(group);
                }
                if expiring {
                    new = new.expiration(Expiration::parse("2020-01-01").unwrap());
                }
                let result = engine.channel_create(Channel::Dialtime, client(c), &new, None);
                prop_assert_eq!(result.is_ok(), dial_time[c as usize]);
                if let Ok(id) = result {
                    prop_assert_eq!(id.get(), next_dialtime);
                    next_dialtime += 1;
                    dialtime.push(Dialtime {
                        id,
                        c,
                        number: n,
                        grouped,
                        expiring,
                    });
                }
            }
            Op::DialtimeDelete { pick } => {
                if dialtime.is_empty() {
                    continue;
                }
                let index = usize::from(pick) % dialtime.len();
                let entry = &dialtime[index];
                let result =
                    engine.channel_delete(Channel::Dialtime, client(entry.c), entry.id, None);
                prop_assert_eq!(result.is_ok(), dial_time[entry.c as usize]);
                if result.is_ok() {
                    dialtime.remove(index);
                }
            }
            Op::Switch {
                c,
                dial_time: to_dial_time,
            } => {
                let to = if to_dial_time {
                    PhoneDncType::DialTime
                } else {
                    PhoneDncType::Legacy
                };
                let migration = engine.set_phone_dnc_type(client(c), to, None);
                let (mut migrated, mut listed) = (0, 0);
                let mut not_carried = Vec::new();
                if to_dial_time && !dial_time[c as usize] {
                    // SPEC 8 as issue 10 §3 reads it: every PERMANENT
                    // phone-only entry is carried unless the list already
                    // blocks the phone for every service and for ever;
                    // every other phone entry is reported.
                    let mut copies: Vec<&Legacy> = legacy.iter().filter(|e| e.c == c).collect();
                    copies.sort_by_key(|e| e.id);
                    let mut added = Vec::new();
                    for entry in copies {
                        let reason = if entry.daily {
                            Some(NotCarriedReason::Daily)
                        } else if entry.number == 5 {
                            Some(NotCarriedReason::Wildcard)
                        } else {
                            None
                        };
                        if let Some(reason) = reason {
                            not_carried.push(NotCarried {
                                entry: entry.id,
                                phone: phone(number(entry.number)),
                                reason,
                            });
                            continue;
                        }
                        let present = dialtime.iter().chain(added.iter()).any(|d: &Dialtime| {
                            d.c == c && d.number == entry.number && !d.grouped && !d.expiring
                        });
                        if present {
                            listed += 1;
                            continue;
                        }
                        added.push(Dialtime {
                            id: EntryId::new(next_dialtime).unwrap(),
                            c,
                            number: entry.number,
                            grouped: false,
                            expiring: false,
                        });
                        next_dialtime += 1;
                        migrated += 1;
                    }
                    dialtime.extend(added);
                }
                prop_assert_eq!(
                    (
                        migration.migrated,
                        migration.already_listed,
                        &migration.not_carried
                    ),
                    (migrated, listed, &not_carried)
                );
                dial_time[c as usize] = to_dial_time;
            }
            Op::Check { s, number: n, late } => {
                let c = service_client(s);
                let dialed = phone(number(n));
                let query = Query::new(service(s)).phone(dialed);
                let verdict = engine.is_blocked(&query).unwrap();
                // The active list answers every phone check (SPEC 8), each
                // with its own matching rule.
                let legacy_matches = |e: &&Legacy, patterns: bool| {
                    e.c == c
                        && e.service.is_none_or(|x| x == s)
                        && (e.number == n || (patterns && e.number == 5))
                };
                let dialtime_matches = |d: &&Dialtime, at: Option<i64>| {
                    d.c == c
                        && d.number == n
                        && (!d.grouped || s == 10)
                        && !(d.expiring && at.is_some_and(|at| at >= LATE))
                };
                let ids_of_legacy = |patterns: bool| -> Vec<EntryId> {
                    let mut ids: Vec<EntryId> = legacy
                        .iter()
                        .filter(|e| legacy_matches(e, patterns))
                        .map(|e| e.id)
                        .collect();
                    ids.sort();
                    ids
                };
                let ids_of_dialtime = |at: Option<i64>| -> Vec<EntryId> {
                    let mut ids: Vec<EntryId> = dialtime
                        .iter()
                        .filter(|d| dialtime_matches(d, at))
                        .map(|d| d.id)
                        .collect();
                    ids.sort();
                    ids
                };
                let active_dial_time = dial_time[c as usize];
                let (want_legacy, want_dialtime) = if active_dial_time {
                    (Vec::new(), ids_of_dialtime(None))
                } else {
                    (ids_of_legacy(false), Vec::new())
                };
                prop_assert_eq!(verdict.entries().to_vec(), want_legacy);
                prop_assert_eq!(verdict.dialtime_entries().to_vec(), want_dialtime);
                let mut batch = Vec::new();
                engine.is_blocked_batch(std::slice::from_ref(&query), &mut batch);
                prop_assert_eq!(batch.pop().unwrap().unwrap(), verdict);
                if n == 5 {
                    // Not a number a dialer can dial.
                    continue;
                }
                let dial = engine.dial_check(&query).unwrap();
                let (want_legacy, want_dialtime) = if active_dial_time {
                    (Vec::new(), ids_of_dialtime(None))
                } else {
                    (ids_of_legacy(true), Vec::new())
                };
                prop_assert_eq!(dial.entries().to_vec(), want_legacy);
                prop_assert_eq!(dial.dialtime_entries().to_vec(), want_dialtime);
                let at = if late { LATE } else { 0 };
                let value = ChannelValue::Phone(dialed);
                let channel_query = ChannelQuery {
                    service: service(s),
                    value: &value,
                    account: None,
                    at: Some(ms(at)),
                };
                let channel = engine
                    .channel_check(Channel::Dialtime, &channel_query)
                    .unwrap();
                let want = if active_dial_time {
                    ids_of_dialtime(Some(at))
                } else {
                    ids_of_legacy(true)
                };
                prop_assert_eq!(channel.entries().to_vec(), want);
            }
        }
        engine.validate()?;
    }
    Ok(())
}
