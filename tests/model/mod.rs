//! The naive model: SPEC sections 1–4 as a plain scan over a `Vec` of entries,
//! written without the engine's indexes, and a harness that applies one
//! operation to the engine and to the model and compares their answers.
//!
//! Shared by the property tests and the structured fuzz target (which
//! includes this file by path), so both test the same law.

#![allow(dead_code, unreachable_pub)]

use dnc_engine::{
    Account, AccountFlags, ClientId, DncEntry, DncError, DncKey, Engine, EntryId, FlagUpdate,
    Lifetime, NewEntry, Phone, Query, ServiceId, Zip,
};

/// The model's answer to a check: applicable ids (ascending) and flags.
pub type Answer = (Vec<EntryId>, AccountFlags);

#[derive(Clone, Debug, Default)]
pub struct Model {
    pub services: Vec<(ClientId, ServiceId)>,
    pub entries: Vec<DncEntry>,
    pub flags: Vec<(ClientId, Account, AccountFlags)>,
    /// One greater than every id ever stored.
    pub next_id: u64,
}

fn same_account(a: &Account, b: &Account) -> bool {
    a.as_str().eq_ignore_ascii_case(b.as_str())
}

/// SPEC 3, character by character on the strings.
fn wildcard_match(pattern: &str, value: &str, ignore_case: bool) -> bool {
    let (p, v): (Vec<char>, Vec<char>) = (pattern.chars().collect(), value.chars().collect());
    if v.len() < p.len() {
        return false;
    }
    if v.len() > p.len() && p.last() != Some(&'*') {
        return false;
    }
    for i in 0..p.len() {
        let equal = if ignore_case {
            p[i].eq_ignore_ascii_case(&v[i])
        } else {
            p[i] == v[i]
        };
        if p[i] != '*' && !equal {
            return false;
        }
    }
    true
}

impl Model {
    pub fn owner(&self, service: ServiceId) -> Option<ClientId> {
        self.services
            .iter()
            .find(|(_, s)| *s == service)
            .map(|(c, _)| *c)
    }

    pub fn register_service(
        &mut self,
        client: ClientId,
        service: ServiceId,
    ) -> Result<(), DncError> {
        match self.owner(service) {
            Some(owner) if owner != client => Err(DncError::ServiceClientMismatch {
                service,
                owner,
                given: client,
            }),
            Some(_) => Ok(()),
            None => {
                self.services.push((client, service));
                Ok(())
            }
        }
    }

    pub fn add(&mut self, new: NewEntry) -> Result<EntryId, DncError> {
        let client = match (new.service, new.client) {
            (Some(service), given) => {
                let owner = self
                    .owner(service)
                    .ok_or(DncError::UnknownService { service })?;
                if let Some(given) = given {
                    if given != owner {
                        return Err(DncError::ServiceClientMismatch {
                            service,
                            owner,
                            given,
                        });
                    }
                }
                owner
            }
            (None, Some(client)) => client,
            (None, None) => return Err(DncError::MissingScope),
        };
        let next = self.next_id.max(1);
        let id = match new.id {
            Some(id) => {
                if self.entries.iter().any(|e| e.id == id) {
                    return Err(DncError::DuplicateId { id });
                }
                id
            }
            None => EntryId::new(next)?,
        };
        self.entries.push(DncEntry {
            id,
            client,
            service: new.service,
            key: new.key,
            lifetime: new.lifetime,
        });
        self.next_id = next.max(id.get() + 1);
        Ok(id)
    }

    pub fn remove(&mut self, id: EntryId) -> Result<DncEntry, DncError> {
        let position = self
            .entries
            .iter()
            .position(|e| e.id == id)
            .ok_or(DncError::NotFound { id })?;
        Ok(self.entries.remove(position))
    }

    pub fn account_flags(&self, client: ClientId, account: &Account) -> AccountFlags {
        self.flags
            .iter()
            .find(|(c, a, _)| *c == client && same_account(a, account))
            .map(|(_, _, f)| *f)
            .unwrap_or_default()
    }

    pub fn set_account_flags(
        &mut self,
        client: ClientId,
        account: &Account,
        update: FlagUpdate,
    ) -> AccountFlags {
        let old = self.account_flags(client, account);
        let new = AccountFlags {
            do_not_dial: update.do_not_dial.unwrap_or(old.do_not_dial),
            do_not_dial_daily: update.do_not_dial_daily.unwrap_or(old.do_not_dial_daily),
        };
        self.flags
            .retain(|(c, a, _)| !(*c == client && same_account(a, account)));
        self.flags.push((client, account.clone(), new));
        new
    }

    pub fn clear_daily(&mut self, client: Option<ClientId>) -> usize {
        let in_scope = |c: ClientId| client.is_none_or(|client| client == c);
        let before = self.entries.len();
        self.entries
            .retain(|e| !(in_scope(e.client) && e.lifetime == Lifetime::Daily));
        for (c, _, flags) in &mut self.flags {
            if in_scope(*c) {
                flags.do_not_dial_daily = false;
            }
        }
        before - self.entries.len()
    }

    /// `isBlocked` when `wildcards` is false, the dial check when true.
    pub fn check(&self, query: &Query<'_>, wildcards: bool) -> Result<Answer, DncError> {
        if wildcards {
            if let Some(phone) = query.phone {
                if phone.to_string().contains('*') {
                    return Err(DncError::InvalidPhone {
                        value: phone.to_string(),
                        reason: "a dialed phone must be digits only",
                    });
                }
            }
        }
        let service = query.service;
        let owner = self
            .owner(service)
            .ok_or(DncError::UnknownService { service })?;
        if let Some(given) = query.client {
            if given != owner {
                return Err(DncError::ServiceClientMismatch {
                    service,
                    owner,
                    given,
                });
            }
        }
        if query.phone.is_none() && query.account.is_none() && query.zip.is_none() {
            return Err(DncError::EmptyRequest);
        }
        let phone_matches = |stored: Phone| match query.phone {
            None => false,
            Some(asked) if wildcards => {
                wildcard_match(&stored.to_string(), &asked.to_string(), false)
            }
            Some(asked) => stored.to_string() == asked.to_string(),
        };
        let account_matches = |stored: &Account| match query.account {
            None => false,
            Some(asked) if wildcards => wildcard_match(stored.as_str(), asked.as_str(), true),
            Some(asked) => same_account(stored, asked),
        };
        let zip_matches = |stored: Zip| {
            query
                .zip
                .is_some_and(|asked| asked.to_string() == stored.to_string())
        };
        let mut ids: Vec<EntryId> = self
            .entries
            .iter()
            .filter(|e| e.client == owner && e.service.is_none_or(|s| s == service))
            .filter(|e| match &e.key {
                DncKey::Phone(p) => phone_matches(*p),
                DncKey::Account(a) => account_matches(a),
                DncKey::PhoneAccount(p, a) => phone_matches(*p) && account_matches(a),
                DncKey::Zip(z) => zip_matches(*z),
            })
            .map(|e| e.id)
            .collect();
        ids.sort();
        let flags = match query.account {
            Some(account) => self.account_flags(owner, account),
            None => AccountFlags::default(),
        };
        Ok((ids, flags))
    }
}

/// The values operations draw from: few enough that entries, queries and
/// patterns collide often; wildcards and mixed case included.
pub const PHONES: &[&str] = &[
    "4152257000",
    "4152257001",
    "415225700",
    "41522570001",
    "2093334545",
    "209*******",
    "209*",
    "*",
    "4*5",
    "405",
    "4*",
    "2*9",
    "209",
    "20933345451",
    // Stars that are not a suffix: each its own layout.
    "***3334545",
    "2*93*3*545",
    "***33345451",
];
pub const ACCOUNTS: &[&str] = &[
    "A1", "a1", "A*", "a*1", "B2", "b2", "*", "A12", "*1", "AB*", "*B*", "a*2",
];
pub const ZIPS: &[&str] = &["94110", "9411*", "10010", "94110-1234"];

fn pick<'a>(pool: &[&'a str], index: u8) -> &'a str {
    pool[usize::from(index) % pool.len()]
}

fn client(index: u8) -> ClientId {
    ClientId::new(u64::from(index % 3) + 1).unwrap()
}

fn service(index: u8) -> ServiceId {
    ServiceId::new(u64::from(index % 7) + 10).unwrap()
}

fn entry_id(index: u8) -> EntryId {
    EntryId::new(u64::from(index % 16) + 1).unwrap()
}

/// The entry an `Op::Add` would add, `None` when its parts are not one of
/// the four key kinds.
pub fn new_entry(
    id: Option<u8>,
    c: Option<u8>,
    s: Option<u8>,
    parts: &Parts,
    daily: bool,
) -> Option<NewEntry> {
    let key = DncKey::from_parts(parts.phone(), parts.account(), parts.zip()).ok()?;
    Some(NewEntry {
        id: id.map(entry_id),
        client: c.map(client),
        service: s.map(service),
        key,
        lifetime: if daily {
            Lifetime::Daily
        } else {
            Lifetime::Permanent
        },
    })
}

/// Which parts a key or query has: bit 0 phone, bit 1 account, bit 2 zip.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub struct Parts {
    pub mask: u8,
    pub phone: u8,
    pub account: u8,
    pub zip: u8,
}

impl Parts {
    pub fn phone(&self) -> Option<Phone> {
        (self.mask & 1 != 0).then(|| Phone::parse(pick(PHONES, self.phone)).unwrap())
    }
    pub fn account(&self) -> Option<Account> {
        (self.mask & 2 != 0).then(|| Account::parse(pick(ACCOUNTS, self.account)).unwrap())
    }
    pub fn zip(&self) -> Option<Zip> {
        (self.mask & 4 != 0).then(|| Zip::parse(pick(ZIPS, self.zip)).unwrap())
    }
}

/// One operation of a random sequence. Small integers index the pools above,
/// so the same type serves proptest and `arbitrary`.
#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum Op {
    Register {
        client: u8,
        service: u8,
    },
    Add {
        id: Option<u8>,
        client: Option<u8>,
        service: Option<u8>,
        parts: Parts,
        daily: bool,
    },
    Remove {
        id: u8,
    },
    Flags {
        client: u8,
        account: u8,
        do_not_dial: Option<bool>,
        do_not_dial_daily: Option<bool>,
    },
    ClearDaily {
        client: Option<u8>,
    },
    /// One key added for each of `count` services (from `service` on) of
    /// that service's client, and once client-level: a phone held by
    /// entries of many services, which the engine files apart by scope.
    Flood {
        service: u8,
        count: u8,
        parts: Parts,
        daily: bool,
    },
    Check {
        service: u8,
        client: Option<u8>,
        parts: Parts,
        wildcards: bool,
    },
}

impl Op {
    /// The client this operation belongs to, when it names one directly or
    /// through a registered service (for the tenant-isolation law).
    pub fn client_of(&self, model: &Model) -> Option<ClientId> {
        match self {
            Op::Register { client: c, .. } | Op::Flags { client: c, .. } => Some(client(*c)),
            Op::Add {
                client: c,
                service: s,
                ..
            } => s.and_then(|s| model.owner(service(s))).or(c.map(client)),
            Op::Remove { id } => model
                .entries
                .iter()
                .find(|e| e.id == entry_id(*id))
                .map(|e| e.client),
            Op::ClearDaily { client: c } => c.map(client),
            Op::Check { service: s, .. } | Op::Flood { service: s, .. } => model.owner(service(*s)),
        }
    }
}

/// Agreement of one answer: errors by code (SPEC 6's fault rule), answers
/// exactly.
fn same<T: PartialEq + std::fmt::Debug>(
    op: &Op,
    engine: Result<T, DncError>,
    model: Result<T, DncError>,
) -> Result<(), String> {
    let agree = match (&engine, &model) {
        (Ok(a), Ok(b)) => a == b,
        (Err(a), Err(b)) => a.code() == b.code(),
        _ => false,
    };
    if agree {
        Ok(())
    } else {
        Err(format!("{op:?}: engine {engine:?}, model {model:?}"))
    }
}

/// Applies `op` to the engine and the model; an `Err` describes a
/// disagreement.
pub fn apply(engine: &mut Engine, model: &mut Model, op: &Op) -> Result<(), String> {
    match op {
        Op::Register {
            client: c,
            service: s,
        } => same(
            op,
            engine.register_service(client(*c), service(*s)),
            model.register_service(client(*c), service(*s)),
        ),
        Op::Add {
            id,
            client: c,
            service: s,
            parts,
            daily,
        } => {
            let key = DncKey::from_parts(parts.phone(), parts.account(), parts.zip());
            let Ok(key) = key else {
                return Ok(()); // key combinations are tested on their own
            };
            let new = NewEntry {
                id: id.map(entry_id),
                client: c.map(client),
                service: s.map(service),
                key,
                lifetime: if *daily {
                    Lifetime::Daily
                } else {
                    Lifetime::Permanent
                },
            };
            same(op, engine.add(new.clone()), model.add(new))
        }
        Op::Remove { id } => same(
            op,
            engine.remove(entry_id(*id)),
            model.remove(entry_id(*id)),
        ),
        Op::Flags {
            client: c,
            account,
            do_not_dial,
            do_not_dial_daily,
        } => {
            let account = Account::parse(pick(ACCOUNTS, *account)).unwrap();
            let update = FlagUpdate {
                do_not_dial: *do_not_dial,
                do_not_dial_daily: *do_not_dial_daily,
            };
            same(
                op,
                Ok(engine.set_account_flags(client(*c), &account, update)),
                Ok(model.set_account_flags(client(*c), &account, update)),
            )
        }
        Op::ClearDaily { client: c } => same(
            op,
            Ok(engine.clear_daily(c.map(client))),
            Ok(model.clear_daily(c.map(client))),
        ),
        Op::Flood {
            service: s,
            count,
            parts,
            daily,
        } => {
            let Some(owner) = model.owner(service(*s)) else {
                return Ok(());
            };
            let add = |id: Option<u8>, client: Option<u8>, service: Option<u8>| Op::Add {
                id,
                client,
                service,
                parts: *parts,
                daily: *daily,
            };
            // Client indexes 0..3 name clients 1..=3.
            let owner_index = (owner.get() - 1) as u8;
            apply(engine, model, &add(None, Some(owner_index), None))?;
            for i in 0..count % 12 {
                let other = s.wrapping_add(i);
                if model.owner(service(other)) == Some(owner) {
                    apply(engine, model, &add(None, None, Some(other)))?;
                }
            }
            Ok(())
        }
        Op::Check {
            service: s,
            client: c,
            parts,
            wildcards,
        } => check(
            engine,
            model,
            op,
            service(*s),
            c.map(client),
            parts,
            *wildcards,
        ),
    }
}

/// Compares one check of the engine with the model's.
fn check(
    engine: &Engine,
    model: &Model,
    op: &Op,
    service: ServiceId,
    client: Option<ClientId>,
    parts: &Parts,
    wildcards: bool,
) -> Result<(), String> {
    let account = parts.account();
    let query = Query {
        service,
        client,
        phone: parts.phone(),
        account: account.as_ref(),
        zip: parts.zip(),
    };
    let verdict = if wildcards {
        engine.dial_check(&query)
    } else {
        engine.is_blocked(&query)
    };
    if let Ok(verdict) = &verdict {
        let blocked = !verdict.entries().is_empty() || verdict.flags().any();
        if verdict.is_blocked() != blocked {
            return Err(format!("{op:?}: is_blocked() disagrees with its reasons"));
        }
    }
    let engine = verdict.map(|v| (v.entries().to_vec(), v.flags()));
    same(op, engine, model.check(&query, wildcards))
}

/// Every distinct request the pools allow: each phone, account and zip alone
/// and in every combination.
pub fn all_parts() -> Vec<Parts> {
    let mut all = Vec::new();
    for mask in 1..8u8 {
        let phones = if mask & 1 != 0 { PHONES.len() } else { 1 };
        let accounts = if mask & 2 != 0 { ACCOUNTS.len() } else { 1 };
        let zips = if mask & 4 != 0 { ZIPS.len() } else { 1 };
        for phone in 0..phones as u8 {
            for account in 0..accounts as u8 {
                for zip in 0..zips as u8 {
                    all.push(Parts {
                        mask,
                        phone,
                        account,
                        zip,
                    });
                }
            }
        }
    }
    all
}

/// Checks every registered service with every request of [`all_parts`], under
/// both rules.
pub fn sweep(engine: &Engine, model: &Model) -> Result<(), String> {
    let all = all_parts();
    for (_, service) in &model.services {
        for parts in &all {
            for wildcards in [false, true] {
                let op = Op::Check {
                    service: (service.get() - 10) as u8,
                    client: None,
                    parts: *parts,
                    wildcards,
                };
                check(engine, model, &op, *service, None, parts, wildcards)?;
            }
        }
    }
    Ok(())
}
