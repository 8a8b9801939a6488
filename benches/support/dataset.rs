//! Generated DNC datasets for the benchmarks and the memory probe: the same
//! seed gives the same entries and queries on every run.

#![allow(dead_code, unreachable_pub)]

use dnc_engine::{
    Account, ClientId, DncKey, Engine, FlagUpdate, Lifetime, NewEntry, Phone, Query, ServiceId, Zip,
};

/// splitmix64: a fast, good-enough generator without a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub const CLIENTS: u64 = 100;
pub const SERVICES_PER_CLIENT: u64 = 10;

pub fn client(index: u64) -> ClientId {
    ClientId::new(index + 1).unwrap()
}

pub fn service(index: u64) -> ServiceId {
    ServiceId::new(index + 1000).unwrap()
}

/// A 10-digit phone that no generated entry uses (area codes 2xx-9xx; the
/// misses start with 1, which no North American number does).
pub fn phone(rng: &mut Rng) -> Phone {
    let number = 2_000_000_000 + rng.below(8_000_000_000);
    Phone::parse(&number.to_string()).unwrap()
}

pub fn missing_phone(rng: &mut Rng) -> Phone {
    let number = 1_000_000_000 + rng.below(1_000_000_000);
    Phone::parse(&number.to_string()).unwrap()
}

/// An engine with every service registered and no entries.
pub fn empty_engine() -> Engine {
    let mut engine = Engine::new();
    for c in 0..CLIENTS {
        for s in 0..SERVICES_PER_CLIENT {
            engine
                .register_service(client(c), service(c * SERVICES_PER_CLIENT + s))
                .unwrap();
        }
    }
    engine
}

/// `count` entries over 100 clients and 1,000 services: 88% phone, 5%
/// account, 4% phone + account, 1% zip, 2% wildcard phone patterns
/// (`NPA*******`); a fifth DAILY; a third client-level.
pub fn mixed_entries(count: usize, seed: u64) -> Vec<NewEntry> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let c = rng.below(CLIENTS);
            let roll = rng.below(100);
            let key = match roll {
                0..88 => DncKey::Phone(phone(&mut rng)),
                88..93 => DncKey::Account(account(&mut rng)),
                93..97 => DncKey::PhoneAccount(phone(&mut rng), account(&mut rng)),
                97..98 => DncKey::Zip(format!("{:05}", rng.below(100_000)).parse().unwrap()),
                _ => DncKey::Phone(format!("{}*******", 200 + rng.below(800)).parse().unwrap()),
            };
            let new = if rng.below(3) == 0 {
                NewEntry::for_client(client(c), key)
            } else {
                NewEntry::for_service(
                    service(c * SERVICES_PER_CLIENT + rng.below(SERVICES_PER_CLIENT)),
                    key,
                )
            };
            let lifetime = if rng.below(5) == 0 {
                Lifetime::Daily
            } else {
                Lifetime::Permanent
            };
            new.with_lifetime(lifetime)
        })
        .collect()
}

/// `count` phone-only entries, all client-level (the memory probe's shape).
pub fn phone_entries(count: usize, seed: u64) -> Vec<NewEntry> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| NewEntry::for_client(client(rng.below(CLIENTS)), DncKey::Phone(phone(&mut rng))))
        .collect()
}

/// Accounts come from a pool of a million, so queries find some of them.
pub const ACCOUNTS: u64 = 1_000_000;

pub fn account(rng: &mut Rng) -> Account {
    account_number(rng.below(ACCOUNTS))
}

pub fn account_number(n: u64) -> Account {
    Account::parse(&format!("ACCT{n:08}")).unwrap()
}

/// Sets `doNotDial` (or, for a fifth, `doNotDialDaily`) on 1% of the
/// accounts of every client.
pub fn flag_accounts(engine: &mut Engine, seed: u64) {
    let mut rng = Rng::new(seed);
    for c in 0..CLIENTS {
        for _ in 0..ACCOUNTS / 100 {
            let account = account(&mut rng);
            let update = if rng.below(5) == 0 {
                FlagUpdate {
                    do_not_dial_daily: Some(true),
                    ..Default::default()
                }
            } else {
                FlagUpdate {
                    do_not_dial: Some(true),
                    ..Default::default()
                }
            };
            engine.set_account_flags(client(c), &account, update);
        }
    }
}

/// What a dialer asks: the service, the phone, and optionally the account
/// and zip of the person (owned, so a pool of them can be kept).
#[derive(Clone, Debug)]
pub struct Ask {
    pub service: ServiceId,
    pub phone: Phone,
    pub account: Option<Account>,
    pub zip: Option<Zip>,
}

impl Ask {
    pub fn query(&self) -> Query<'_> {
        Query {
            service: self.service,
            client: None,
            phone: Some(self.phone),
            account: self.account.as_ref(),
            zip: self.zip,
        }
    }
}

/// `count` requests, half hitting a stored phone entry and half missing,
/// with an account when `with_account` and a zip when `with_zip`.
pub fn asks(
    entries: &[NewEntry],
    count: usize,
    with_account: bool,
    with_zip: bool,
    seed: u64,
) -> Vec<Ask> {
    let mut rng = Rng::new(seed);
    let hits = hit_queries(entries, count, seed ^ 1);
    let misses = miss_queries(count, seed ^ 2);
    (0..count)
        .map(|i| {
            let base = if i % 2 == 0 { hits[i] } else { misses[i] };
            Ask {
                service: base.service,
                phone: base.phone.unwrap(),
                account: with_account.then(|| account(&mut rng)),
                zip: with_zip.then(|| format!("{:05}", rng.below(100_000)).parse().unwrap()),
            }
        })
        .collect()
}

pub fn load(entries: &[NewEntry]) -> Engine {
    let mut engine = empty_engine();
    let outcome = engine.add_many(entries.iter().cloned());
    assert!(
        outcome.refused().is_empty(),
        "{:?}",
        outcome.refused().first()
    );
    engine
}

/// Queries that hit: the phone of a stored phone entry, on a service the
/// entry applies to.
pub fn hit_queries(entries: &[NewEntry], count: usize, seed: u64) -> Vec<Query<'static>> {
    let mut rng = Rng::new(seed);
    let phones: Vec<&NewEntry> = entries
        .iter()
        .filter(|e| matches!(e.key, DncKey::Phone(p) if !p.has_wildcard()))
        .collect();
    (0..count)
        .map(|_| {
            let entry = phones[rng.below(phones.len() as u64) as usize];
            let service = entry.service.unwrap_or_else(|| {
                let c = entry.client.unwrap().get() - 1;
                service(c * SERVICES_PER_CLIENT + rng.below(SERVICES_PER_CLIENT))
            });
            Query::new(service).phone(entry.key.phone().unwrap())
        })
        .collect()
}

/// Queries whose phone no entry holds.
pub fn miss_queries(count: usize, seed: u64) -> Vec<Query<'static>> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let s = rng.below(CLIENTS * SERVICES_PER_CLIENT);
            Query::new(service(s)).phone(missing_phone(&mut rng))
        })
        .collect()
}

/// Dial-check queries: random real-looking numbers, so a share of them fall
/// into a stored `NPA*******` pattern.
pub fn dial_queries(count: usize, seed: u64) -> Vec<Query<'static>> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let s = rng.below(CLIENTS * SERVICES_PER_CLIENT);
            Query::new(service(s)).phone(phone(&mut rng))
        })
        .collect()
}
