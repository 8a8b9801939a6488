//! The channel lists' naive model (SPEC 7 and 9 as plain scans over every
//! entry) and the harness that applies one operation to the engine and to
//! the model and compares their answers.
//!
//! Shared by `tests/channel_properties.rs` and the `channel_ops` fuzz target
//! (which includes this file by path). Operation fields are small numbers
//! read modulo the pools below, so any value an arbitrary input holds is a
//! valid operation.

#![allow(dead_code, unreachable_pub)]

use dnc_engine::jiff::civil::Date;
use dnc_engine::jiff::tz::TimeZone;
use dnc_engine::{
    Channel, ChannelFilter, ChannelQuery, ChannelValue, ClientId, ContactGroupId, Email, Engine,
    EntryId, Expiration, NewChannelEntry, PageRequest, Phone, PhoneDncType, ServiceId,
};

#[macro_use]
#[path = "../support/model_assert.rs"]
mod model_assert;
#[path = "../support/instant.rs"]
mod instant;
use instant::ms;

pub const ZONES: [&str; 5] = [
    "UTC",
    "America/New_York",
    "America/Phoenix",
    "America/Vancouver",
    "Australia/Lord_Howe",
];

pub fn client(n: u8) -> ClientId {
    ClientId::new(u64::from(n) + 1).unwrap()
}
/// Services 10, 11 belong to client 1; 20, 21 to client 2.
pub fn service(n: u8) -> ServiceId {
    ServiceId::new(10 * (u64::from(n / 2) + 1) + u64::from(n % 2)).unwrap()
}
pub fn service_client(n: u8) -> u8 {
    n / 2
}
pub fn group(n: u8) -> ContactGroupId {
    ContactGroupId::new(u64::from(n) + 100).unwrap()
}
pub fn channel(n: u8) -> Channel {
    Channel::ALL[usize::from(n % 3)]
}
/// A small value pool, so that entries share values; `wrong` makes a value
/// of the other kind (refused by the list).
pub fn value(channel: Channel, n: u8, wrong: bool) -> ChannelValue {
    let phone_list = channel != Channel::Email;
    if phone_list != wrong {
        ChannelValue::Phone(Phone::parse(&format!("41555501{:02}", n % 6)).unwrap())
    } else {
        let local = ["jane", "JANE", "bob"][usize::from(n % 3)];
        ChannelValue::Email(Email::parse(&format!("{local}@example.com")).unwrap())
    }
}
/// Dates around a few daylight-saving changes.
pub fn day(n: u8) -> Date {
    let days = [
        (2024, 3, 9),
        (2024, 3, 10),
        (2024, 11, 3),
        (2026, 3, 8),
        (2026, 11, 1),
        (2026, 12, 15),
    ];
    let (y, m, d) = days[usize::from(n) % days.len()];
    dnc_engine::jiff::civil::date(y, m, d)
}

#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub struct Record {
    pub channel: u8,
    pub value: u8,
    pub wrong_kind: bool,
    pub group: Option<u8>,
    pub expiration: Option<u8>,
}

#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum Op {
    Zone {
        client: u8,
        zone: u8,
    },
    AddGroup {
        client: u8,
        group: u8,
    },
    MapService {
        service: u8,
        group: Option<u8>,
    },
    Create {
        client: u8,
        record: Record,
        at: Option<u8>,
    },
    CreateMany {
        client: u8,
        channel: u8,
        records: Vec<Record>,
    },
    Update {
        client: u8,
        pick: u8,
        record: Record,
    },
    Delete {
        client: u8,
        channel: u8,
        pick: u8,
    },
    Check {
        channel: u8,
        service: u8,
        value: u8,
        day: u8,
        offset: u8,
    },
    Page {
        client: u8,
        channel: u8,
        offset: u8,
        count: u8,
        needle: Option<u8>,
        group: Option<u8>,
    },
}

impl Record {
    fn normalized(self) -> Record {
        Record {
            channel: self.channel % 3,
            value: self.value % 6,
            wrong_kind: self.wrong_kind,
            group: self.group.map(|g| g % 4),
            expiration: self.expiration.map(|d| d % 6),
        }
    }
}

impl Op {
    /// The operation with every field brought into its pool, so that an
    /// arbitrary (fuzzed) operation is a valid one; the property tests'
    /// strategies generate normalized operations already.
    pub fn normalized(self) -> Op {
        match self {
            Op::Zone { client, zone } => Op::Zone {
                client: client % 2,
                zone: zone % 5,
            },
            Op::AddGroup { client, group } => Op::AddGroup {
                client: client % 2,
                group: group % 3,
            },
            Op::MapService { service, group } => Op::MapService {
                service: service % 4,
                group: group.map(|g| g % 4),
            },
            Op::Create { client, record, at } => Op::Create {
                client: client % 2,
                record: record.normalized(),
                at,
            },
            Op::CreateMany {
                client,
                channel,
                records,
            } => Op::CreateMany {
                client: client % 2,
                channel: channel % 3,
                records: records
                    .into_iter()
                    .take(8)
                    .map(Record::normalized)
                    .collect(),
            },
            Op::Update {
                client,
                pick,
                record,
            } => Op::Update {
                client: client % 2,
                pick,
                record: record.normalized(),
            },
            Op::Delete {
                client,
                channel,
                pick,
            } => Op::Delete {
                client: client % 2,
                channel: channel % 3,
                pick,
            },
            Op::Check {
                channel,
                service,
                value,
                day,
                offset,
            } => Op::Check {
                channel: channel % 3,
                service: service % 4,
                value: value % 6,
                day: day % 6,
                offset: offset % 8,
            },
            Op::Page {
                client,
                channel,
                offset,
                count,
                needle,
                group,
            } => Op::Page {
                client: client % 2,
                channel: channel % 3,
                offset: offset % 32,
                count: count.clamp(1, 5),
                needle: needle.map(|n| n % 6),
                group: group.map(|g| g % 4),
            },
        }
    }
}

/// An entry as the model keeps it.
#[derive(Clone, Debug)]
pub struct ModelEntry {
    pub id: EntryId,
    pub client: u8,
    pub channel: Channel,
    pub value: ChannelValue,
    pub group: Option<u8>,
    pub expiration: Option<Date>,
}

#[derive(Clone, Default)]
pub struct Model {
    pub zones: [usize; 2],
    pub groups: [Vec<u8>; 2],
    pub service_groups: [Option<u8>; 4],
    pub entries: Vec<ModelEntry>,
    pub next_ids: [u64; 3],
    pub last_modified: [[Option<i64>; 3]; 2],
}

pub fn zone(model: &Model, client: u8) -> TimeZone {
    TimeZone::get(ZONES[model.zones[usize::from(client)]]).unwrap()
}

/// The first instant after `date` in `zone`, computed from local midnight.
pub fn end_of(date: Date, zone: &TimeZone) -> i64 {
    let next = date.tomorrow().unwrap().at(0, 0, 0, 0);
    zone.to_ambiguous_timestamp(next)
        .compatible()
        .unwrap()
        .as_millisecond()
}

impl Model {
    pub fn new_entry(&self, record: &Record) -> NewChannelEntry {
        let channel = channel(record.channel);
        NewChannelEntry {
            value: value(channel, record.value, record.wrong_kind),
            contact_group: record.group.map(group),
            expiration: record.expiration.map(|d| Expiration::Date(day(d))),
        }
    }

    /// The model's answer to a create: valid exactly when the value suits
    /// the list and the group is registered.
    pub fn valid(&self, client: u8, record: &Record) -> bool {
        !record.wrong_kind
            && record
                .group
                .is_none_or(|g| self.groups[usize::from(client)].contains(&g))
    }

    pub fn create(&mut self, client: u8, record: &Record, at: Option<i64>) -> Option<EntryId> {
        if !self.valid(client, record) {
            return None;
        }
        let channel = channel(record.channel);
        let next = &mut self.next_ids[channel as usize];
        *next += 1;
        let id = EntryId::new(*next).unwrap();
        self.entries.push(ModelEntry {
            id,
            client,
            channel,
            value: value(channel, record.value, false),
            group: record.group,
            expiration: record.expiration.map(day),
        });
        self.touch(client, channel, at);
        Some(id)
    }

    pub fn touch(&mut self, client: u8, channel: Channel, at: Option<i64>) {
        if let Some(at) = at {
            let slot = &mut self.last_modified[usize::from(client)][channel as usize];
            *slot = Some(slot.map_or(at, |old| old.max(at)));
        }
    }

    pub fn check(
        &self,
        channel: Channel,
        service: u8,
        value: &ChannelValue,
        at: i64,
    ) -> Vec<EntryId> {
        let client = service_client(service);
        let zone = zone(self, client);
        let mut ids: Vec<EntryId> = self
            .entries
            .iter()
            .filter(|e| e.channel == channel && e.client == client && e.value == *value)
            .filter(|e| e.group.is_none() || e.group == self.service_groups[usize::from(service)])
            .filter(|e| e.expiration.is_none_or(|d| at < end_of(d, &zone)))
            .map(|e| e.id)
            .collect();
        ids.sort_unstable();
        ids
    }
}

pub fn run(ops: Vec<Op>) -> Result<(), String> {
    let (engine, model) = play(ops)?;
    agree(&engine, &model)
}

/// Applies `ops` to a fresh engine and model, comparing every answer.
pub fn play(ops: Vec<Op>) -> Result<(Engine, Model), String> {
    let mut engine = Engine::new();
    for s in 0..4u8 {
        engine
            .register_service(client(service_client(s)), service(s))
            .unwrap();
    }
    // The dialtime list is managed for DIAL_TIME clients only (SPEC 8).
    for c in 0..2 {
        engine.set_phone_dnc_type(client(c), PhoneDncType::DialTime, None);
    }
    let mut model = Model::default();
    for op in ops {
        step(&mut engine, &mut model, op)?;
    }
    Ok((engine, model))
}

/// Applies one operation to the engine and the model, comparing answers.
pub fn step(engine: &mut Engine, model: &mut Model, op: Op) -> Result<(), String> {
    match op.normalized() {
        Op::Zone { client: c, zone } => {
            engine
                .set_time_zone(client(c), ZONES[usize::from(zone)])
                .unwrap();
            model.zones[usize::from(c)] = usize::from(zone);
        }
        Op::AddGroup {
            client: c,
            group: g,
        } => {
            engine.add_contact_group(client(c), group(g));
            if !model.groups[usize::from(c)].contains(&g) {
                model.groups[usize::from(c)].push(g);
            }
        }
        Op::MapService {
            service: s,
            group: g,
        } => {
            let allowed =
                g.is_none_or(|g| model.groups[usize::from(service_client(s))].contains(&g));
            let result = engine.set_service_contact_group(service(s), g.map(group));
            prop_assert_eq!(result.is_ok(), allowed);
            if allowed {
                model.service_groups[usize::from(s)] = g;
            }
        }
        Op::Create {
            client: c,
            record,
            at,
        } => {
            let at = at.map(i64::from);
            let new = model.new_entry(&record);
            let got = engine
                .channel_create(channel(record.channel), client(c), &new, at.map(ms))
                .ok();
            prop_assert_eq!(got, model.create(c, &record, at));
        }
        Op::CreateMany {
            client: c,
            channel: ch,
            records,
        } => {
            let records: Vec<Record> = records
                .into_iter()
                .map(|r| Record { channel: ch, ..r })
                .collect();
            let news: Vec<NewChannelEntry> = records.iter().map(|r| model.new_entry(r)).collect();
            let outcome = engine.channel_create_many(channel(ch), client(c), news, None);
            let mut ids = Vec::new();
            let mut refused = Vec::new();
            for (i, record) in records.iter().enumerate() {
                match model.create(c, record, None) {
                    Some(id) => ids.push(id),
                    None => refused.push(i),
                }
            }
            prop_assert_eq!(outcome.ids, ids.clone());
            prop_assert_eq!(outcome.processed, ids.len());
            prop_assert_eq!(
                outcome.refused.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
                refused
            );
        }
        Op::Update {
            client: c,
            pick,
            record,
        } => {
            let ch = channel(record.channel);
            let candidates: Vec<usize> = (0..model.entries.len())
                .filter(|&i| model.entries[i].channel == ch)
                .collect();
            let Some(&index) = candidates.get(usize::from(pick) % candidates.len().max(1)) else {
                return Ok(());
            };
            let id = model.entries[index].id;
            let new = model.new_entry(&record);
            let result = engine.channel_update(ch, client(c), id, &new, None);
            let allowed = model.entries[index].client == c && model.valid(c, &record);
            prop_assert_eq!(result.is_ok(), allowed, "update {:?}", result);
            if allowed {
                let entry = &mut model.entries[index];
                entry.value = value(ch, record.value, false);
                entry.group = record.group;
                entry.expiration = record.expiration.map(day);
            }
        }
        Op::Delete {
            client: c,
            channel: ch,
            pick,
        } => {
            let ch = channel(ch);
            let candidates: Vec<usize> = (0..model.entries.len())
                .filter(|&i| model.entries[i].channel == ch)
                .collect();
            let Some(&index) = candidates.get(usize::from(pick) % candidates.len().max(1)) else {
                return Ok(());
            };
            let id = model.entries[index].id;
            let result = engine.channel_delete(ch, client(c), id, None);
            prop_assert_eq!(result.is_ok(), model.entries[index].client == c);
            if result.is_ok() {
                model.entries.remove(index);
            }
        }
        Op::Check {
            channel: ch,
            service: s,
            value: v,
            day: d,
            offset,
        } => {
            let ch = channel(ch);
            let value = value(ch, v, false);
            // Instants around the end of each test date in the client's zone.
            let zone = zone(model, service_client(s));
            // The boundary itself, a millisecond either side, an hour
            // either side (a zone's offset change), a day either side.
            const OFFSETS: [i64; 8] = [
                0,
                -1,
                1,
                -3_600_000,
                3_600_000,
                -86_400_000,
                86_400_000,
                -86_400_001,
            ];
            let at = end_of(day(d), &zone) + OFFSETS[usize::from(offset)];
            let query = ChannelQuery {
                service: service(s),
                value: &value,
                account: None,
                at: Some(ms(at)),
            };
            let verdict = engine.channel_check(ch, &query).unwrap();
            prop_assert_eq!(verdict.entries().to_vec(), model.check(ch, s, &value, at));
        }
        Op::Page {
            client: c,
            channel: ch,
            offset,
            count,
            needle,
            group: g,
        } => {
            let ch = channel(ch);
            let needle = needle.map(|n| match ch {
                Channel::Email => ["JANE", "bob@", "example", "x"][usize::from(n % 4)].to_owned(),
                _ => format!("{}", n),
            });
            let filter = ChannelFilter {
                value: needle.clone(),
                contact_group: g.map(group),
            };
            let page = engine
                .channel_page(
                    ch,
                    client(c),
                    &filter,
                    PageRequest::new(u64::from(offset), u64::from(count)).unwrap(),
                )
                .unwrap();
            let mut matching: Vec<&ModelEntry> = model
                .entries
                .iter()
                .filter(|e| e.channel == ch && e.client == c)
                .filter(|e| g.is_none_or(|g| e.group == Some(g)))
                .filter(|e| {
                    needle.as_deref().is_none_or(|n| {
                        e.value
                            .to_string()
                            .to_ascii_lowercase()
                            .contains(&n.to_ascii_lowercase())
                    })
                })
                .collect();
            matching.sort_by_key(|e| e.id);
            let want: Vec<EntryId> = matching
                .iter()
                .skip(usize::from(offset))
                .take(usize::from(count))
                .map(|e| e.id)
                .collect();
            let got: Vec<EntryId> = page.entries.iter().map(|e| e.id).collect();
            prop_assert_eq!(&got, &want);
            let more = matching.len() > usize::from(offset) + usize::from(count);
            prop_assert_eq!(
                page.next,
                more.then_some(u64::from(offset) + u64::from(count))
            );
            for entry in &page.entries {
                prop_assert_eq!(entry.client, client(c));
            }
            let info = engine.channel_info(ch, client(c)).unwrap();
            let size = model
                .entries
                .iter()
                .filter(|e| e.channel == ch && e.client == c)
                .count();
            prop_assert_eq!(
                (info.size, info.last_modified.map(|at| at.as_millisecond())),
                (size, model.last_modified[usize::from(c)][ch as usize])
            );
        }
    }
    engine.validate()
}

/// Every entry reads back as the model holds it, through its own client
/// only, and every value's check agrees around every test date.
pub fn agree(engine: &Engine, model: &Model) -> Result<(), String> {
    for entry in &model.entries {
        let read = engine
            .channel_read(entry.channel, client(entry.client), entry.id)
            .unwrap();
        prop_assert_eq!(&read.value, &entry.value);
        prop_assert_eq!(read.contact_group, entry.group.map(group));
        prop_assert_eq!(read.expiration, entry.expiration);
        prop_assert!(
            engine
                .channel_read(entry.channel, client(1 - entry.client), entry.id)
                .is_err()
        );
    }
    for ch in Channel::ALL {
        for s in 0..4u8 {
            for v in 0..6u8 {
                let value = value(ch, v, false);
                let zone = zone(model, service_client(s));
                for d in 0..6u8 {
                    let at = end_of(day(d), &zone) - 1;
                    let query = ChannelQuery {
                        service: service(s),
                        value: &value,
                        account: None,
                        at: Some(ms(at)),
                    };
                    let verdict = engine.channel_check(ch, &query).unwrap();
                    prop_assert_eq!(verdict.entries().to_vec(), model.check(ch, s, &value, at));
                }
            }
        }
    }
    Ok(())
}
