//! SPEC 9's naive model for the legacy list: pages, finds by type,
//! services and modification instant, and info, over two clients with four
//! services each. Shared by `tests/legacy_list.rs` and the
//! `legacy_list_ops` fuzz target; operation fields are read modulo small
//! pools, so an arbitrary operation is a valid one.
//!
//! Entries of every key kind, caller-given ids (low ones land between
//! assigned ones, so the per-client ordered ids insert in the middle),
//! repeated and foreign services in a find, and offsets past the end are
//! all drawn, so the engine's ordered id sets split, merge and page at any
//! position (debug builds use 8-id chunks).

#![allow(dead_code, unreachable_pub)]

use dnc_engine::jiff::Timestamp;
use dnc_engine::{
    Account, ClientId, DncError, DncKey, Engine, EntryId, LegacyFilter, Lifetime, NewEntry,
    PageRequest, Phone, ServiceId, Zip,
};

#[macro_use]
#[path = "../support/model_assert.rs"]
mod model_assert;
#[path = "../support/instant.rs"]
mod instant;
use instant::ms;

fn client(n: u8) -> ClientId {
    ClientId::new(u64::from(n) + 1).unwrap()
}
/// Services 10-13 of client 1; 20-23 of client 2.
fn service(n: u8) -> ServiceId {
    ServiceId::new(10 * (u64::from(n / 4) + 1) + u64::from(n % 4)).unwrap()
}

#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum Op {
    Add {
        /// A caller-given id, 1-64 (refused when in use).
        id: Option<u8>,
        client: u8,
        service: Option<u8>,
        /// 0-19 a phone, 20-23 an account, 24-25 a zip, 26-27 phone + account.
        phone: u8,
        daily: bool,
        at: Option<u8>,
    },
    AddMany {
        client: u8,
        phones: Vec<u8>,
        at: Option<u8>,
    },
    Remove {
        pick: u8,
        at: Option<u8>,
    },
    Clear {
        client: Option<u8>,
    },
    Page {
        client: u8,
        offset: u8,
        count: u8,
        daily: Option<bool>,
        services: Option<Vec<u8>>,
        after: Option<u8>,
    },
}

impl Op {
    /// Every field brought into its pool: clients 0 and 1, services 0-3
    /// of the client (0-7 in a find), keys 0-27, ids 1-64, instants 0-49,
    /// pages of 1-5 from offsets below 40.
    pub fn normalized(self) -> Op {
        match self {
            Op::Add {
                id,
                client,
                service,
                phone,
                daily,
                at,
            } => Op::Add {
                id: id.map(|id| id % 64 + 1),
                client: client % 2,
                service: service.map(|s| s % 4),
                phone: phone % 28,
                daily,
                at: at.map(|a| a % 50),
            },
            Op::AddMany { client, phones, at } => Op::AddMany {
                client: client % 2,
                phones: phones.into_iter().take(6).map(|p| p % 20).collect(),
                at: at.map(|a| a % 50),
            },
            Op::Remove { pick, at } => Op::Remove {
                pick,
                at: at.map(|a| a % 50),
            },
            Op::Clear { client } => Op::Clear {
                client: client.map(|c| c % 2),
            },
            Op::Page {
                client,
                offset,
                count,
                daily,
                services,
                after,
            } => Op::Page {
                client: client % 2,
                offset: offset % 40,
                count: count.clamp(1, 5),
                daily,
                services: services.map(|s| s.into_iter().take(4).map(|x| x % 8).collect()),
                after: after.map(|a| a % 50),
            },
        }
    }
}

/// What the model keeps of an entry.
#[derive(Clone, Debug)]
struct Kept {
    id: EntryId,
    client: u8,
    service: Option<ServiceId>,
    daily: bool,
    at: Option<Timestamp>,
}

fn new_entry(c: u8, s: Option<u8>, key: u8, daily: bool) -> NewEntry {
    let phone = |n: u8| Phone::parse(&format!("41555501{n:02}")).unwrap();
    let account = |n: u8| Account::parse(&format!("ACCT-{n}")).unwrap();
    let key = match key {
        0..20 => DncKey::Phone(phone(key)),
        20..24 => DncKey::Account(account(key)),
        24..26 => DncKey::Zip(Zip::parse(&format!("9411{}", key - 20)).unwrap()),
        _ => DncKey::PhoneAccount(phone(key % 3), account(key)),
    };
    let new = match s {
        // A service of the client's own.
        Some(s) => NewEntry::for_service(service(c * 4 + s), key),
        None => NewEntry::for_client(client(c), key),
    };
    if daily {
        new.with_lifetime(Lifetime::Daily)
    } else {
        new
    }
}

/// The model's instants: a few milliseconds after the epoch, so that
/// changes often share one and `modifiedAfter` falls between them.
fn instant(millis: u8) -> Timestamp {
    ms(i64::from(millis))
}

pub fn run(ops: Vec<Op>) -> Result<(), String> {
    let mut engine = Engine::new();
    for s in 0..8u8 {
        engine.register_service(client(s / 4), service(s)).unwrap();
    }
    let mut kept: Vec<Kept> = Vec::new();
    let mut last: [Option<Timestamp>; 2] = [None; 2];
    let touch = |last: &mut [Option<Timestamp>; 2], c: u8, at: Option<Timestamp>| {
        if let Some(at) = at {
            let slot = &mut last[usize::from(c)];
            *slot = Some(slot.map_or(at, |old| old.max(at)));
        }
    };
    for op in ops {
        match op.normalized() {
            Op::Add {
                id: given,
                client: c,
                service: s,
                phone,
                daily,
                at,
            } => {
                let at = at.map(instant);
                let given = given.map(|id| EntryId::new(u64::from(id)).unwrap());
                let new = NewEntry {
                    id: given,
                    ..new_entry(c, s, phone, daily)
                };
                let result = engine.add_at(new, at);
                if let Some(id) = given.filter(|id| kept.iter().any(|e| e.id == *id)) {
                    prop_assert_eq!(result, Err(DncError::DuplicateId { id }));
                    continue;
                }
                let id = result.unwrap();
                kept.push(Kept {
                    id,
                    client: c,
                    service: s.map(|s| service(c * 4 + s)),
                    daily,
                    at,
                });
                touch(&mut last, c, at);
            }
            Op::AddMany {
                client: c,
                phones,
                at,
            } => {
                let at = at.map(instant);
                let outcome =
                    engine.add_many_at(phones.iter().map(|&p| new_entry(c, None, p, false)), at);
                prop_assert!(outcome.refused().is_empty());
                for id in outcome.ids().iter().flatten() {
                    kept.push(Kept {
                        id: *id,
                        client: c,
                        service: None,
                        daily: false,
                        at,
                    });
                    touch(&mut last, c, at);
                }
            }
            Op::Remove { pick, at } => {
                if kept.is_empty() {
                    continue;
                }
                let entry = kept.remove(usize::from(pick) % kept.len());
                let at = at.map(instant);
                engine.remove_at(entry.id, at).unwrap();
                touch(&mut last, entry.client, at);
            }
            Op::Clear { client: c } => {
                engine.clear_daily(c.map(client));
                kept.retain(|e| !(e.daily && c.is_none_or(|c| c == e.client)));
            }
            Op::Page {
                client: c,
                offset,
                count,
                daily,
                services,
                after,
            } => {
                let services: Option<Vec<ServiceId>> =
                    services.map(|s| s.into_iter().map(service).collect());
                let filter = LegacyFilter {
                    lifetime: daily.map(|d| {
                        if d {
                            Lifetime::Daily
                        } else {
                            Lifetime::Permanent
                        }
                    }),
                    services: services.clone(),
                    modified_after: after.map(instant),
                };
                let request = PageRequest::new(u64::from(offset), u64::from(count)).unwrap();
                let page = engine.legacy_page(client(c), &filter, request).unwrap();
                let mut matching: Vec<EntryId> = kept
                    .iter()
                    .filter(|e| e.client == c)
                    .filter(|e| daily.is_none_or(|d| e.daily == d))
                    .filter(|e| {
                        services
                            .as_ref()
                            .is_none_or(|s| e.service.is_some_and(|x| s.contains(&x)))
                    })
                    .filter(|e| after.is_none_or(|a| e.at.is_some_and(|at| at > instant(a))))
                    .map(|e| e.id)
                    .collect();
                matching.sort_unstable();
                let want: Vec<EntryId> = matching
                    .iter()
                    .skip(usize::from(offset))
                    .take(usize::from(count))
                    .copied()
                    .collect();
                let got: Vec<EntryId> = page.entries.iter().map(|e| e.id).collect();
                prop_assert_eq!(got, want);
                let more = matching.len() > usize::from(offset) + usize::from(count);
                prop_assert_eq!(
                    page.next,
                    more.then_some(u64::from(offset) + u64::from(count))
                );
                let info = engine.legacy_info(client(c)).unwrap();
                let size = kept.iter().filter(|e| e.client == c).count();
                prop_assert_eq!(
                    (info.size, info.last_modified),
                    (size, last[usize::from(c)])
                );
                for entry in &page.entries {
                    prop_assert_eq!(
                        engine.legacy_read(client(c), entry.id).unwrap(),
                        entry.clone()
                    );
                    prop_assert!(engine.legacy_read(client(1 - c), entry.id).is_err());
                }
            }
        }
        engine.validate()?;
    }
    Ok(())
}
