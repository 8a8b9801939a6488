//! An independent check of the engine image (`Engine::to_image`,
//! `Engine::from_image`), written from the documentation only (the crate
//! guide, the `image` feature's docs and the layout table), through the
//! public API:
//!
//! - engines holding data of every kind restore to the same snapshot, the
//!   same answers (original against restored, query by query), the same
//!   `position()`, consistent indexes (`validate()`), and a byte-equal
//!   image again;
//! - the restored engine goes on exactly like the original under the same
//!   further changes through `Engine::apply` (same `Applied`, same state);
//! - boundaries: the empty engine, ids at 2^63 - 1, phones of 1 and 15
//!   characters, the largest position;
//! - damage: every truncation, flipped bytes anywhere, appended and
//!   prepended bytes, one image with the tail of another, other formats
//!   and garbage are `Err(InvalidSnapshot)` with a reason, never a panic,
//!   never different data;
//! - equal engines built in different ways give byte-equal images.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use dnc_engine::attempts::{ContactKey, NewAttempt, Outcome};
use dnc_engine::changes::{Applied, Change, Effect, Mutation};
use dnc_engine::geo::{AreaCode, StateCode};
use dnc_engine::jiff::Timestamp;
use dnc_engine::registry::{
    Exemption, ExemptionKind, ExemptionSubject, RegistrySource, Subscription,
};
use dnc_engine::{
    Account, Caller, Channel, ChannelFilter, ChannelQuery, ChannelValue, ClientId, ContactGroupId,
    DayRule, DialRequest, DncError, DncKey, Email, Engine, EntryId, Expiration, FlagUpdate,
    LegacyFilter, Lifetime, MAX_ID, NewChannelEntry, NewEntry, NewPolicy, NewProfile, PageRequest,
    Phone, PhoneDncType, Principal, Query, Region, Role, ServiceId, Snapshot, TimeOfDay, Window,
};

// ---------------------------------------------------------------- values

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}
fn ph(text: &str) -> Phone {
    Phone::parse(text).unwrap()
}
fn acct(text: &str) -> Account {
    Account::parse(text).unwrap()
}
fn cid(n: u64) -> ClientId {
    ClientId::new(n).unwrap()
}
fn sid(n: u64) -> ServiceId {
    ServiceId::new(n).unwrap()
}
fn eid(n: u64) -> EntryId {
    EntryId::new(n).unwrap()
}
fn zip(text: &str) -> dnc_engine::Zip {
    dnc_engine::Zip::parse(text).unwrap()
}

/// The crowded key: one phone listed for many services of client 1.
const CROWDED: &str = "4155550199";
const CROWDED_SERVICES: std::ops::RangeInclusive<u64> = 101..=120;

/// Phones every comparison asks about (literal, wildcard-shaped, other
/// lengths, other tenants' phones).
const PHONES: &[&str] = &[
    "4155550100",
    "4155550101",
    "4155550102",
    "4155550103",
    "4155550109",
    CROWDED,
    "2095551234",
    "209*******",
    "1234",
    "123",
    "12345678",
    "123456789012345",
    "999999999999999",
    "000000000000000",
    "7",
    "0",
    "6505550000",
    "3105550100",
    "3105550101",
    "3105550102",
    "3105559999",
    "7025550100",
    "4085553745",
    "14155550100",
];
const ACCOUNTS: &[&str] = &[
    "AbC-1", "abc-1", "ABC-2", "acct-9", "AcCt-9", "Flag-D", "ZZtop", "X1", "nobody",
];
const ZIPS: &[&str] = &["94110", "9411*", "10010", "00000"];

// ---------------------------------------------------------------- restore helpers

/// `from_image`, with a panic turned into a test failure that names the input.
fn restore(image: &[u8], what: &str) -> Result<Engine, DncError> {
    match catch_unwind(AssertUnwindSafe(|| Engine::from_image(image))) {
        Ok(result) => result,
        Err(_) => panic!("from_image panicked on {what} ({} bytes)", image.len()),
    }
}

/// The input must be refused as an invalid snapshot with a reason.
fn assert_refused(image: &[u8], what: &str) {
    match restore(image, what) {
        Err(DncError::InvalidSnapshot { reason }) => {
            assert!(!reason.trim().is_empty(), "{what}: empty reason");
        }
        Err(other) => panic!("{what}: refused with {other:?}, not InvalidSnapshot"),
        Ok(_) => panic!("{what}: accepted ({} bytes)", image.len()),
    }
}

/// The input must be refused, or (only if it is the original's bytes)
/// restore exactly the original: never different data.
fn assert_refused_or_same(image: &[u8], original: &Snapshot, what: &str) {
    match restore(image, what) {
        Err(DncError::InvalidSnapshot { reason }) => {
            assert!(!reason.trim().is_empty(), "{what}: empty reason")
        }
        Err(other) => panic!("{what}: refused with {other:?}, not InvalidSnapshot"),
        Ok(engine) => assert_eq!(
            &engine.snapshot(),
            original,
            "{what}: restored into different data"
        ),
    }
}

/// Image, restore, compare everything; the restored engine is returned.
fn round_trip(engine: &Engine, what: &str) -> Engine {
    let image = engine.to_image();
    assert_eq!(
        image,
        engine.to_image(),
        "{what}: to_image is not deterministic"
    );
    assert_eq!(
        image,
        engine.clone().to_image(),
        "{what}: a clone gives another image"
    );
    let restored =
        restore(&image, what).unwrap_or_else(|e| panic!("{what}: refused own image: {e}"));
    restored
        .validate()
        .unwrap_or_else(|e| panic!("{what}: restored engine fails validate(): {e}"));
    assert_same(engine, &restored, what);
    assert_eq!(
        restored.to_image(),
        image,
        "{what}: the restored engine's image differs"
    );
    restored
}

// ---------------------------------------------------------------- comparison

fn clients_of(a: &Engine, b: &Engine) -> BTreeSet<u64> {
    let mut clients: BTreeSet<u64> = a
        .services()
        .chain(b.services())
        .map(|(c, _)| c.get())
        .collect();
    clients.extend(a.entries().chain(b.entries()).map(|e| e.client.get()));
    clients.extend(
        a.all_account_flags()
            .chain(b.all_account_flags())
            .map(|(c, _, _)| c.get()),
    );
    clients.extend([1, 2, 3, 4, 5, 77, MAX_ID]);
    clients
}

fn services_of(a: &Engine, b: &Engine) -> BTreeSet<u64> {
    let mut services: BTreeSet<u64> = a
        .services()
        .chain(b.services())
        .map(|(_, s)| s.get())
        .collect();
    services.extend([999_999, MAX_ID]);
    services
}

fn sorted_entries(engine: &Engine) -> Vec<dnc_engine::DncEntry> {
    let mut entries: Vec<_> = engine.entries().collect();
    entries.sort_by_key(|e| e.id);
    entries
}

fn sorted_flags(engine: &Engine) -> Vec<(u64, String, bool, bool)> {
    let mut flags: Vec<_> = engine
        .all_account_flags()
        .map(|(c, a, f)| {
            (
                c.get(),
                a.as_str().to_owned(),
                f.do_not_dial,
                f.do_not_dial_daily,
            )
        })
        .collect();
    flags.sort();
    flags
}

/// Every page of a legacy find, in order.
fn legacy_all(
    engine: &Engine,
    client: ClientId,
    filter: &LegacyFilter,
) -> Result<Vec<dnc_engine::DncEntry>, DncError> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = engine.legacy_page(client, filter, PageRequest::new(offset, 7).unwrap())?;
        let n = page.entries.len() as u64;
        out.extend(page.entries);
        match page.next {
            Some(next) if n > 0 => offset = next,
            _ => return Ok(out),
        }
        if out.len() > 100_000 {
            panic!("legacy_page does not end");
        }
    }
}

fn channel_all(
    engine: &Engine,
    channel: Channel,
    client: ClientId,
    filter: &ChannelFilter,
) -> Result<Vec<dnc_engine::ChannelEntry>, DncError> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = engine.channel_page(
            channel,
            client,
            filter,
            PageRequest::new(offset, 5).unwrap(),
        )?;
        let n = page.entries.len() as u64;
        out.extend(page.entries);
        match page.next {
            Some(next) if n > 0 => offset = next,
            _ => return Ok(out),
        }
        if out.len() > 100_000 {
            panic!("channel_page does not end");
        }
    }
}

/// Everything observable of `a` and `b` is the same.
fn assert_same(a: &Engine, b: &Engine, what: &str) {
    assert_eq!(a.snapshot(), b.snapshot(), "{what}: snapshots differ");
    assert_eq!(a.position(), b.position(), "{what}: position");
    assert_eq!(a.len(), b.len(), "{what}: len");
    assert_eq!(a.is_empty(), b.is_empty(), "{what}: is_empty");
    assert_eq!(a.next_id(), b.next_id(), "{what}: next_id");
    let mut sa: Vec<_> = a.services().map(|(c, s)| (c.get(), s.get())).collect();
    let mut sb: Vec<_> = b.services().map(|(c, s)| (c.get(), s.get())).collect();
    sa.sort();
    sb.sort();
    assert_eq!(sa, sb, "{what}: services");
    let ea = sorted_entries(a);
    assert_eq!(ea, sorted_entries(b), "{what}: entries");
    for e in &ea {
        assert_eq!(
            b.entry(e.id).as_ref(),
            Some(e),
            "{what}: entry({})",
            e.id.get()
        );
        assert_eq!(
            a.legacy_read(e.client, e.id),
            b.legacy_read(e.client, e.id),
            "{what}: legacy_read"
        );
    }
    for id in [1, 2, 3, 999, 5000, MAX_ID - 1, MAX_ID] {
        assert_eq!(a.entry(eid(id)), b.entry(eid(id)), "{what}: entry({id})");
    }
    assert_eq!(sorted_flags(a), sorted_flags(b), "{what}: account flags");

    let services = services_of(a, b);
    for &client in &clients_of(a, b) {
        let c = cid(client);
        let w = format!("{what}, client {client}");
        assert_eq!(
            a.phone_dnc_type(c),
            b.phone_dnc_type(c),
            "{w}: phone_dnc_type"
        );
        assert_eq!(
            a.is_legacy_dnc_enabled(c),
            b.is_legacy_dnc_enabled(c),
            "{w}: legacy enabled"
        );
        assert_eq!(a.time_zone(c), b.time_zone(c), "{w}: time zone");
        assert_eq!(
            a.contact_groups(c),
            b.contact_groups(c),
            "{w}: contact groups"
        );
        assert_eq!(
            a.is_debt_collector(c),
            b.is_debt_collector(c),
            "{w}: debt collector"
        );
        assert_eq!(a.legacy_info(c), b.legacy_info(c), "{w}: legacy_info");
        let mut filters = vec![
            LegacyFilter::default(),
            LegacyFilter {
                lifetime: Some(Lifetime::Daily),
                ..LegacyFilter::default()
            },
            LegacyFilter {
                lifetime: Some(Lifetime::Permanent),
                ..LegacyFilter::default()
            },
            LegacyFilter {
                modified_after: Some(ts("2020-01-01T00:00:00Z")),
                ..LegacyFilter::default()
            },
            LegacyFilter {
                modified_after: Some(ts("2024-06-01T00:00:00Z")),
                ..LegacyFilter::default()
            },
        ];
        let mine: Vec<ServiceId> = a
            .services()
            .filter(|(o, _)| *o == c)
            .map(|(_, s)| s)
            .collect();
        for &s in mine.iter().take(4) {
            filters.push(LegacyFilter {
                services: Some(vec![s]),
                ..LegacyFilter::default()
            });
            filters.push(LegacyFilter {
                lifetime: Some(Lifetime::Permanent),
                services: Some(vec![s]),
                ..LegacyFilter::default()
            });
        }
        if !mine.is_empty() {
            filters.push(LegacyFilter {
                services: Some(mine.clone()),
                ..LegacyFilter::default()
            });
        }
        for filter in &filters {
            assert_eq!(
                legacy_all(a, c, filter),
                legacy_all(b, c, filter),
                "{w}: legacy find {filter:?}"
            );
        }
        for channel in Channel::ALL {
            assert_eq!(
                a.channel_info(channel, c),
                b.channel_info(channel, c),
                "{w}: channel_info {channel:?}"
            );
            for filter in [
                ChannelFilter::default(),
                ChannelFilter {
                    value: Some("555".into()),
                    contact_group: None,
                },
                ChannelFilter {
                    value: None,
                    contact_group: Some(ContactGroupId::new(1320).unwrap()),
                },
            ] {
                assert_eq!(
                    channel_all(a, channel, c, &filter),
                    channel_all(b, channel, c, &filter),
                    "{w}: channel find {channel:?} {filter:?}"
                );
            }
        }
        for text in ACCOUNTS {
            let account = acct(text);
            assert_eq!(
                a.account_flags(c, &account),
                b.account_flags(c, &account),
                "{w}: flags {text}"
            );
        }
        assert_eq!(a.subscriptions(c), b.subscriptions(c), "{w}: subscriptions");
        let mut xa: Vec<_> = a.exemptions(c).map(|x| format!("{x:?}")).collect();
        let mut xb: Vec<_> = b.exemptions(c).map(|x| format!("{x:?}")).collect();
        xa.sort();
        xb.sort();
        assert_eq!(xa, xb, "{w}: exemptions");
        assert_eq!(a.attempt_rules(c), b.attempt_rules(c), "{w}: attempt rules");
        let _ = services.len();
    }
    assert_same_checks(a, b, what);
}

/// The answers of every check kind, query by query.
fn assert_same_checks(a: &Engine, b: &Engine, what: &str) {
    let accounts: Vec<Account> = ACCOUNTS.iter().map(|t| acct(t)).collect();
    let services = services_of(a, b);
    let phones: Vec<Phone> = PHONES.iter().map(|t| ph(t)).collect();
    let zips: Vec<_> = ZIPS.iter().map(|t| zip(t)).collect();
    let mut queries: Vec<Query<'_>> = Vec::new();
    for &service in &services {
        let s = sid(service);
        let crowded = CROWDED_SERVICES.contains(&service);
        for (pi, phone) in std::iter::once(None)
            .chain(phones.iter().copied().map(Some))
            .enumerate()
        {
            // The crowded services only need the phones near the crowded key.
            if crowded && pi > 7 {
                continue;
            }
            for account in std::iter::once(None).chain(accounts.iter().map(Some)) {
                for z in std::iter::once(None).chain(zips.iter().copied().map(Some)) {
                    let mut q = Query::new(s);
                    if let Some(p) = phone {
                        q = q.phone(p);
                    }
                    if let Some(acc) = account {
                        q = q.account(acc);
                    }
                    if let Some(z) = z {
                        q = q.zip(z);
                    }
                    queries.push(q);
                }
            }
        }
        // The caller's idea of the owner, right or wrong.
        queries.push(Query::new(s).phone(phones[0]).client(cid(1)));
        queries.push(Query::new(s).phone(phones[0]).client(cid(2)));
    }
    for q in &queries {
        assert_eq!(a.is_blocked(q), b.is_blocked(q), "{what}: is_blocked {q:?}");
        assert_eq!(a.dial_check(q), b.dial_check(q), "{what}: dial_check {q:?}");
    }
    let (mut va, mut vb) = (Vec::new(), Vec::new());
    a.is_blocked_batch(&queries, &mut va);
    b.is_blocked_batch(&queries, &mut vb);
    assert!(va == vb, "{what}: is_blocked_batch differs");
    let (mut va, mut vb) = (Vec::new(), Vec::new());
    a.dial_check_batch(&queries, &mut va);
    b.dial_check_batch(&queries, &mut vb);
    assert!(va == vb, "{what}: dial_check_batch differs");

    // Channel checks.
    let mut values: Vec<ChannelValue> = phones
        .iter()
        .filter(|p| !p.has_wildcard())
        .map(|p| ChannelValue::Phone(*p))
        .collect();
    for e in ["jane.doe@example.com", "JANE.DOE@EXAMPLE.COM", "x@y.zz"] {
        values.push(ChannelValue::Email(Email::parse(e).unwrap()));
    }
    for &service in services.iter().filter(|s| !CROWDED_SERVICES.contains(s)) {
        for value in &values {
            for at in [
                None,
                Some(ts("2019-03-07T04:59:00Z")),
                Some(ts("2019-03-07T05:00:00Z")),
                Some(ts("2030-01-01T00:00:00Z")),
            ] {
                for account in [None, Some(&accounts[0]), Some(&accounts[5])] {
                    let q = ChannelQuery {
                        service: sid(service),
                        value,
                        account,
                        at,
                    };
                    for channel in Channel::ALL {
                        assert_eq!(
                            a.channel_check(channel, &q),
                            b.channel_check(channel, &q),
                            "{what}: channel_check {channel:?} service {service} {value:?} {at:?}"
                        );
                    }
                }
            }
        }
    }

    // Dial decisions (10-digit phones) at two instants, with and without
    // account and ZIP.
    let dial_phones: Vec<Phone> = phones
        .iter()
        .copied()
        .filter(|p| p.len() == 10 && !p.has_wildcard())
        .collect();
    for &service in services
        .iter()
        .filter(|s| !CROWDED_SERVICES.contains(s) || **s == 101)
    {
        for phone in &dial_phones {
            for at in [ts("2026-12-01T18:00:00Z"), ts("2026-11-19T01:30:00Z")] {
                let plain = DialRequest::new(sid(service), *phone, at);
                assert_eq!(
                    a.dial_decision(&plain),
                    b.dial_decision(&plain),
                    "{what}: dial_decision {plain:?}"
                );
                let full = DialRequest::new(sid(service), *phone, at)
                    .account(&accounts[0])
                    .zip(zips[0]);
                assert_eq!(
                    a.dial_decision(&full),
                    b.dial_decision(&full),
                    "{what}: dial_decision {full:?}"
                );
                for person in ["P-77", "P-78"] {
                    let debts = [ContactKey::parse("debt", "ACCT-1").unwrap()];
                    let who = DialRequest::new(sid(service), *phone, at)
                        .person(ContactKey::parse("person", person).unwrap())
                        .debts(&debts);
                    assert_eq!(
                        a.dial_decision(&who),
                        b.dial_decision(&who),
                        "{what}: dial_decision {who:?}"
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------- engines

/// An engine holding data of every kind, for three tenants and a flags-only
/// client, with a position.
fn rich() -> Engine {
    let mut e = Engine::new();
    let (c1, c2, c3, c4) = (cid(1), cid(2), cid(3), cid(4));
    for s in [11, 12, 13] {
        e.register_service(c1, sid(s)).unwrap();
    }
    for s in CROWDED_SERVICES {
        e.register_service(c1, sid(s)).unwrap();
    }
    for s in [21, 22] {
        e.register_service(c2, sid(s)).unwrap();
    }
    for s in [31, 32] {
        e.register_service(c3, sid(s)).unwrap();
    }
    let add = |e: &mut Engine, new: NewEntry| e.add(new).unwrap();
    let at = |e: &mut Engine, new: NewEntry, t: &str| e.add_at(new, Some(ts(t))).unwrap();

    // Client 1: literal phones client-level and scoped, DAILY and PERMANENT.
    add(
        &mut e,
        NewEntry::for_client(c1, DncKey::Phone(ph("4155550100"))),
    );
    add(
        &mut e,
        NewEntry::for_service(sid(11), DncKey::Phone(ph("4155550101")))
            .with_lifetime(Lifetime::Daily),
    );
    add(
        &mut e,
        NewEntry::for_service(sid(12), DncKey::Phone(ph("4155550101"))),
    );
    at(
        &mut e,
        NewEntry::for_client(c1, DncKey::Phone(ph("4155550103"))).with_lifetime(Lifetime::Daily),
        "2024-07-01T10:00:00Z",
    );
    at(
        &mut e,
        NewEntry::for_service(sid(13), DncKey::Phone(ph("4155550103"))),
        "2019-01-01T00:00:00.123Z",
    );
    // Caller-given ids, out of order.
    add(
        &mut e,
        NewEntry::for_client(c1, DncKey::Phone(ph("4155550109"))).with_id(eid(1000)),
    );
    add(
        &mut e,
        NewEntry::for_service(sid(11), DncKey::Phone(ph("4155550109"))).with_id(eid(500)),
    );
    // Wildcards (client-level and scoped), other lengths.
    add(
        &mut e,
        NewEntry::for_client(c1, DncKey::Phone(ph("209*******"))),
    );
    add(
        &mut e,
        NewEntry::for_service(sid(13), DncKey::Phone(ph("415555010*"))),
    );
    add(
        &mut e,
        NewEntry::for_client(c1, DncKey::Phone(ph("123*"))).with_lifetime(Lifetime::Daily),
    );
    add(
        &mut e,
        NewEntry::for_client(c1, DncKey::Phone(ph("123456789012345"))),
    );
    add(
        &mut e,
        NewEntry::for_service(sid(12), DncKey::Phone(ph("999999999999999")))
            .with_lifetime(Lifetime::Daily),
    );
    add(
        &mut e,
        NewEntry::for_client(c1, DncKey::Phone(ph("000000000000000"))),
    );
    add(&mut e, NewEntry::for_client(c1, DncKey::Phone(ph("7"))));
    add(
        &mut e,
        NewEntry::for_service(sid(11), DncKey::Phone(ph("0"))).with_lifetime(Lifetime::Daily),
    );
    // Accounts (mixed case), pairs, zips.
    add(
        &mut e,
        NewEntry::for_client(c1, DncKey::Account(acct("AbC-1"))),
    );
    add(
        &mut e,
        NewEntry::for_service(sid(11), DncKey::Account(acct("abc-2")))
            .with_lifetime(Lifetime::Daily),
    );
    add(
        &mut e,
        NewEntry::for_client(c1, DncKey::Account(acct("ZZ*"))),
    );
    add(
        &mut e,
        NewEntry::for_service(
            sid(12),
            DncKey::PhoneAccount(ph("4155550102"), acct("AcCt-9")),
        ),
    );
    add(
        &mut e,
        NewEntry::for_client(c1, DncKey::PhoneAccount(ph("650*******"), acct("acct-9"))),
    );
    add(
        &mut e,
        NewEntry::for_client(c1, DncKey::Zip(zip("94110"))).with_lifetime(Lifetime::Daily),
    );
    add(
        &mut e,
        NewEntry::for_service(sid(12), DncKey::Zip(zip("9411*"))),
    );
    // The crowded key: one phone for every crowded service, client-level
    // too, some DAILY.
    for s in CROWDED_SERVICES {
        let lifetime = if s % 3 == 0 {
            Lifetime::Daily
        } else {
            Lifetime::Permanent
        };
        add(
            &mut e,
            NewEntry::for_service(sid(s), DncKey::Phone(ph(CROWDED))).with_lifetime(lifetime),
        );
    }
    add(
        &mut e,
        NewEntry::for_client(c1, DncKey::Phone(ph(CROWDED))).with_lifetime(Lifetime::Daily),
    );
    // Account flags.
    e.set_account_flags(
        c1,
        &acct("aBc-1"),
        FlagUpdate {
            do_not_dial: Some(true),
            do_not_dial_daily: None,
        },
    );
    e.set_account_flags(
        c1,
        &acct("Flag-D"),
        FlagUpdate {
            do_not_dial: None,
            do_not_dial_daily: Some(true),
        },
    );
    e.set_account_flags(
        c4,
        &acct("X1"),
        FlagUpdate {
            do_not_dial: Some(true),
            do_not_dial_daily: Some(true),
        },
    );
    // Client 4 has no service, but a client-level entry.
    add(
        &mut e,
        NewEntry::for_client(c4, DncKey::Phone(ph("4155550100"))),
    );

    // Client 2: the same phones and accounts as client 1 (tenant walls).
    add(
        &mut e,
        NewEntry::for_service(sid(21), DncKey::Phone(ph("4155550100"))),
    );
    add(
        &mut e,
        NewEntry::for_client(c2, DncKey::Phone(ph("4155550102"))).with_lifetime(Lifetime::Daily),
    );
    add(
        &mut e,
        NewEntry::for_client(c2, DncKey::Account(acct("abc-1"))),
    );
    add(&mut e, NewEntry::for_client(c2, DncKey::Phone(ph(CROWDED))));
    e.set_account_flags(
        c2,
        &acct("ACCT-9"),
        FlagUpdate {
            do_not_dial: None,
            do_not_dial_daily: Some(true),
        },
    );

    // Client 3: legacy phones, then DIAL_TIME with dialtime entries.
    add(
        &mut e,
        NewEntry::for_client(c3, DncKey::Phone(ph("3105550100"))),
    );
    add(
        &mut e,
        NewEntry::for_service(sid(31), DncKey::Phone(ph("3105550101")))
            .with_lifetime(Lifetime::Daily),
    );
    add(
        &mut e,
        NewEntry::for_client(c3, DncKey::Phone(ph("310*******"))),
    );
    add(
        &mut e,
        NewEntry::for_client(c3, DncKey::Account(acct("abc-1"))),
    );
    let migration =
        e.set_phone_dnc_type(c3, PhoneDncType::DialTime, Some(ts("2024-03-01T00:00:00Z")));
    assert_eq!(migration.migrated, 1, "{migration:?}");
    e.channel_create(
        Channel::Dialtime,
        c3,
        &NewChannelEntry::new(ChannelValue::Phone(ph("3105550102"))),
        None,
    )
    .unwrap();

    // Channel lists of client 1, with a zone, a group and an expiration.
    e.set_time_zone(c1, "America/New_York").unwrap();
    let group = ContactGroupId::new(1320).unwrap();
    e.add_contact_group(c1, group);
    e.set_service_contact_group(sid(12), Some(group)).unwrap();
    let sms = NewChannelEntry::new(ChannelValue::Phone(ph("4085553745")))
        .contact_group(group)
        .expiration(Expiration::parse("2019-03-06").unwrap());
    e.channel_create(Channel::Sms, c1, &sms, Some(ts("2019-01-01T00:00:00Z")))
        .unwrap();
    e.channel_create(
        Channel::Email,
        c1,
        &NewChannelEntry::new(ChannelValue::Email(
            Email::parse("Jane.Doe@Example.com").unwrap(),
        )),
        None,
    )
    .unwrap();
    e.channel_create(
        Channel::Email,
        c2,
        &NewChannelEntry::new(ChannelValue::Email(Email::parse("x@y.zz").unwrap())),
        None,
    )
    .unwrap();

    // A dialing profile for client 1.
    let ca = Region::new(None, Some(StateCode::parse("CA").unwrap()), None).unwrap();
    let sf = Region::new(
        None,
        Some(StateCode::parse("CA").unwrap()),
        Some(AreaCode::new(415).unwrap()),
    )
    .unwrap();
    let from_nine = Window::new(TimeOfDay::parse("09:00").unwrap(), TimeOfDay::END_OF_DAY).unwrap();
    let monday = Window::new(
        TimeOfDay::parse("10:00").unwrap(),
        TimeOfDay::parse("18:00").unwrap(),
    )
    .unwrap();
    e.profile_create(
        Some(c1),
        NewProfile {
            client: Some(c1),
            name: "California".to_owned(),
            description: None,
            client_default: true,
            policies: vec![
                NewPolicy {
                    window: Some(from_nine),
                    ..NewPolicy::new(DayRule::Weekday, ca)
                },
                NewPolicy {
                    window: Some(monday),
                    ..NewPolicy::new(DayRule::parse("MONDAY").unwrap(), sf)
                },
            ],
        },
    )
    .unwrap();

    // Registries for client 2: a copy, a subscription, an exemption.
    let obtained = ts("2026-11-25T05:00:00Z");
    let numbers = dnc_engine::registry::parse_full_list(b"7025550100\n4155550100\n").unwrap();
    e.load_registry(RegistrySource::UsNational, None, &numbers, obtained)
        .unwrap();
    e.subscribe(c2, Subscription::all(RegistrySource::UsNational));
    e.add_exemption(
        c2,
        &ExemptionSubject::Phone(ph("7025550100")),
        Exemption::new(ExemptionKind::Transaction, ts("2026-01-15T00:00:00Z")),
    )
    .unwrap();

    // Attempts of client 1, a debt collector.
    e.set_debt_collector(c1, true);
    e.record_attempt(&NewAttempt {
        person: Some(ContactKey::parse("person", "P-77").unwrap()),
        debts: vec![ContactKey::parse("debt", "ACCT-1").unwrap()],
        ..NewAttempt::new(
            sid(11),
            ph("4155550100"),
            ts("2026-11-30T18:00:00Z"),
            Outcome::Conversation,
        )
    })
    .unwrap();

    // The last changes through the log, so that the engine has a position.
    let log = [
        Change::by_host(Mutation::RegisterService {
            client: c2,
            service: sid(23),
        }),
        Change::by_host(Mutation::Add {
            entry: NewEntry::for_service(sid(23), DncKey::Phone(ph("4155550101"))),
            at: Some(ts("2025-05-05T05:05:05Z")),
        }),
        Change::by_host(Mutation::Remove {
            id: eid(2),
            at: None,
        }),
    ];
    for (change, seq) in log.iter().zip(1..) {
        assert!(
            matches!(e.apply(seq, change), Ok(Applied::Done(_))),
            "log change {seq}"
        );
    }
    // An attempt given with consent, and one without a person.
    e.record_attempt(&NewAttempt {
        person: Some(ContactKey::parse("person", "P-78").unwrap()),
        consent: Some(ts("2026-11-29T00:00:00Z")),
        ..NewAttempt::new(
            sid(11),
            ph("4155550101"),
            ts("2026-11-30T19:00:00Z"),
            Outcome::Conversation,
        )
    })
    .unwrap();
    e.record_attempt(&NewAttempt::new(
        sid(21),
        ph("7025550100"),
        ts("2026-12-01T15:00:00Z"),
        Outcome::Conversation,
    ))
    .unwrap();
    e.validate().unwrap();
    e
}

// ---------------------------------------------------------------- tests: round trips

#[test]
fn rich_engine_round_trips_with_the_same_answers() {
    let engine = rich();
    assert_eq!(engine.position(), 3);
    let restored = round_trip(&engine, "rich engine");
    // Spot checks of the answers against the rules, so that "same" is not
    // "equally wrong".
    let q = Query::new(sid(11)).phone(ph("4155550100"));
    assert!(restored.is_blocked(&q).unwrap().is_blocked());
    let q = Query::new(sid(105)).phone(ph(CROWDED));
    let v = restored.is_blocked(&q).unwrap();
    assert_eq!(
        v.entries().len(),
        2,
        "service 105's entry and the client-level one: {v:?}"
    );
    let q = Query::new(sid(22)).phone(ph("4155550101"));
    assert!(
        !restored.is_blocked(&q).unwrap().is_blocked(),
        "client 1's phone must not block client 2"
    );
    let q = Query::new(sid(11)).phone(ph("2095551234"));
    assert!(!restored.is_blocked(&q).unwrap().is_blocked());
    assert!(restored.dial_check(&q).unwrap().is_blocked());
    // Client 3 is DIAL_TIME: its legacy literal phone is inactive, the
    // dialtime copy answers.
    let q = Query::new(sid(31)).phone(ph("3105550100"));
    let v = restored.is_blocked(&q).unwrap();
    assert!(
        v.entries().is_empty() && !v.dialtime_entries().is_empty(),
        "{v:?}"
    );
}

#[test]
fn empty_engine_round_trips() {
    let engine = Engine::new();
    let restored = round_trip(&engine, "empty engine");
    assert!(restored.is_empty());
    assert_eq!(restored.next_id(), 1);
    assert_eq!(Engine::default().to_image(), engine.to_image());
}

#[test]
fn engines_of_one_kind_each_round_trip() {
    let c = cid(9);
    let s = sid(90);
    let kinds: Vec<(&str, NewEntry)> = vec![
        (
            "literal client-level",
            NewEntry::for_client(c, DncKey::Phone(ph("4155550100"))),
        ),
        (
            "literal scoped daily",
            NewEntry::for_service(s, DncKey::Phone(ph("4155550100")))
                .with_lifetime(Lifetime::Daily),
        ),
        (
            "wildcard",
            NewEntry::for_client(c, DncKey::Phone(ph("209*******"))),
        ),
        (
            "account",
            NewEntry::for_service(s, DncKey::Account(acct("MiXeD-Case"))),
        ),
        (
            "pair",
            NewEntry::for_client(c, DncKey::PhoneAccount(ph("4155550100"), acct("a"))),
        ),
        ("zip", NewEntry::for_client(c, DncKey::Zip(zip("94110")))),
    ];
    for (what, new) in kinds {
        let mut e = Engine::new();
        e.register_service(c, s).unwrap();
        e.add(new).unwrap();
        round_trip(&e, what);
    }
    // A client-level literal phone of a client with nothing else.
    let mut e = Engine::new();
    e.add(NewEntry::for_client(
        cid(12345),
        DncKey::Phone(ph("4155550100")),
    ))
    .unwrap();
    let mut r = round_trip(&e, "lone client-level phone");
    for x in [&mut e, &mut r] {
        x.register_service(cid(12345), sid(7)).unwrap();
    }
    let q = Query::new(sid(7)).phone(ph("4155550100"));
    assert!(r.is_blocked(&q).unwrap().is_blocked());
    assert_eq!(e.is_blocked(&q), r.is_blocked(&q));
    // Wildcard phones of every length and shape, beside literal ones.
    let mut e = Engine::new();
    e.register_service(c, s).unwrap();
    for text in [
        "*",
        "***************",
        "12345678901234*",
        "*23456789012345",
        "1*",
        "4*5",
        "415555010*",
        "4155550100",
    ] {
        e.add(NewEntry::for_client(c, DncKey::Phone(ph(text))))
            .unwrap();
    }
    let r = round_trip(&e, "wildcard shapes");
    for text in [
        "1",
        "415",
        "4155550100",
        "4155550101",
        "123456789012345",
        "999999999999999",
        "123456789012349",
    ] {
        let q = Query::new(s).phone(ph(text));
        assert_eq!(e.dial_check(&q), r.dial_check(&q), "{text}");
    }
    // Flags only, no service, no entry.
    let mut e = Engine::new();
    e.set_account_flags(
        c,
        &acct("Zz"),
        FlagUpdate {
            do_not_dial: Some(true),
            do_not_dial_daily: None,
        },
    );
    round_trip(&e, "flags only");
    // Services only.
    let mut e = Engine::new();
    e.register_service(c, s).unwrap();
    e.register_service(cid(10), sid(100)).unwrap();
    round_trip(&e, "services only");
    // Position only.
    let mut e = Engine::new();
    e.set_position(42);
    let r = round_trip(&e, "position only");
    assert_eq!(r.position(), 42);
}

#[test]
fn boundary_ids_phones_and_position() {
    let big_client = cid(MAX_ID);
    let big_service = sid(MAX_ID);
    let mut e = Engine::new();
    e.register_service(big_client, big_service).unwrap();
    e.register_service(cid(1), sid(1)).unwrap();
    e.add(
        NewEntry::for_client(big_client, DncKey::Phone(ph("999999999999999")))
            .with_id(eid(MAX_ID - 1))
            .with_lifetime(Lifetime::Daily),
    )
    .unwrap();
    e.add(NewEntry::for_service(big_service, DncKey::Phone(ph("1"))).with_id(eid(MAX_ID)))
        .unwrap();
    e.add(NewEntry::for_service(sid(1), DncKey::Phone(ph("0"))).with_id(eid(1)))
        .unwrap();
    e.add(
        NewEntry::for_client(cid(1), DncKey::Phone(ph("000000000000000"))).with_id(eid(MAX_ID - 2)),
    )
    .unwrap();
    e.add(
        NewEntry::for_client(cid(1), DncKey::Phone(ph("00000000000000"))).with_id(eid(MAX_ID - 3)),
    )
    .unwrap();
    e.add(NewEntry::for_client(big_client, DncKey::Account(acct(&"x".repeat(64)))).with_id(eid(2)))
        .unwrap();
    e.set_position(u64::MAX);
    assert_eq!(e.next_id(), 1u64 << 63);
    let mut r = round_trip(&e, "boundary ids");
    assert_eq!(r.position(), u64::MAX);
    assert_eq!(r.next_id(), 1u64 << 63);
    for phone in [
        "999999999999999",
        "1",
        "0",
        "000000000000000",
        "00000000000000",
        "99999999999999",
    ] {
        let qa = Query::new(big_service).phone(ph(phone));
        let qb = Query::new(sid(1)).phone(ph(phone));
        assert_eq!(e.is_blocked(&qa), r.is_blocked(&qa), "{phone}");
        assert_eq!(e.is_blocked(&qb), r.is_blocked(&qb), "{phone}");
    }
    assert_eq!(
        r.is_blocked(&Query::new(big_service).phone(ph("999999999999999")))
            .unwrap()
            .entries(),
        [eid(MAX_ID - 1)]
    );
    assert_eq!(
        r.is_blocked(&Query::new(big_service).phone(ph("1")))
            .unwrap()
            .entries(),
        [eid(MAX_ID)]
    );
    // The id range is used up on both.
    let next = NewEntry::for_service(sid(1), DncKey::Phone(ph("5")));
    let mut o = e.clone();
    assert_eq!(
        o.add(next.clone()).map_err(|e| e.code()),
        r.add(next).map_err(|e| e.code())
    );
    assert!(
        o.add(NewEntry::for_service(sid(1), DncKey::Phone(ph("5"))))
            .is_err()
    );
    // A free caller-given id still works on both, a taken one on neither.
    for id in [3, MAX_ID - 1, MAX_ID] {
        let new = NewEntry::for_service(sid(1), DncKey::Phone(ph("5"))).with_id(eid(id));
        assert_eq!(o.add(new.clone()), r.add(new), "add with id {id}");
    }
    // Removing the entries at the top of the range, then clearing.
    for id in [MAX_ID, MAX_ID - 1] {
        assert_eq!(o.remove(eid(id)), r.remove(eid(id)), "remove {id}");
    }
    assert_eq!(o.clear_daily(None), r.clear_daily(None));
    assert_same(&o, &r, "boundary after changes");
    r.validate().unwrap();
}

#[test]
fn spread_key_round_trips_and_shrinks_back() {
    // One phone listed for 40 services of one client, plus a client-level
    // record; restore, then remove all but one service's and compare.
    let c = cid(5);
    let mut e = Engine::new();
    let mut ids = Vec::new();
    for s in 1..=40 {
        e.register_service(c, sid(s)).unwrap();
        ids.push(
            e.add(NewEntry::for_service(
                sid(s),
                DncKey::Phone(ph("4155550100")),
            ))
            .unwrap(),
        );
    }
    ids.push(
        e.add(NewEntry::for_client(c, DncKey::Phone(ph("4155550100"))))
            .unwrap(),
    );
    let mut r = round_trip(&e, "spread key");
    for (n, id) in ids.iter().enumerate().skip(1) {
        assert_eq!(e.remove(*id), r.remove(*id));
        if n % 7 == 0 {
            assert_same_checks(&e, &r, &format!("spread key after {n} removals"));
        }
    }
    for s in 1..=41 {
        let q = Query::new(sid(s)).phone(ph("4155550100"));
        assert_eq!(e.is_blocked(&q), r.is_blocked(&q), "service {s}");
    }
    assert_same(&e, &r, "spread key shrunk");
    r.validate().unwrap();
}

#[test]
fn client_level_records_of_large_client_ids() {
    // Client-level phone records name their client: clients whose ids look
    // like small indexes and ones that do not.
    let mut e = Engine::new();
    for (n, client) in [1u64, 2, 3, 1000, 1 << 32, (1 << 40) + 1, MAX_ID]
        .into_iter()
        .enumerate()
    {
        e.add(NewEntry::for_client(
            cid(client),
            DncKey::Phone(ph("4155550100")),
        ))
        .unwrap();
        e.register_service(cid(client), sid(500 + n as u64))
            .unwrap();
        e.add(NewEntry::for_service(
            sid(500 + n as u64),
            DncKey::Phone(ph("4155550101")),
        ))
        .unwrap();
    }
    let r = round_trip(&e, "many clients");
    for n in 0..7u64 {
        let v = r
            .is_blocked(&Query::new(sid(500 + n)).phone(ph("4155550100")))
            .unwrap();
        assert_eq!(v.entries().len(), 1, "service {}: {v:?}", 500 + n);
        assert_eq!(
            r.entry(v.entries()[0]).unwrap().client,
            r.client_of(sid(500 + n)).unwrap()
        );
    }
}

#[test]
fn moderate_scale_round_trip() {
    // 60,000 literal phones over many clients and services, with other
    // kinds mixed in: the bulk paths (bucket-order filing, id lists built in
    // one pass) must give the same engine.
    let mut e = Engine::new();
    for s in 0..200u64 {
        e.register_service(cid(1 + s % 17), sid(1 + s)).unwrap();
    }
    let mut batch = Vec::new();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for n in 0..60_000u64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let phone = Phone::parse(&format!("{}", 2_000_000_000 + x % 7_999_999_999)).unwrap();
        let lifetime = if x % 5 == 0 {
            Lifetime::Daily
        } else {
            Lifetime::Permanent
        };
        let new = match x % 11 {
            0 => NewEntry::for_client(cid(1 + x % 17), DncKey::Phone(phone)),
            1 => NewEntry::for_client(
                cid(1 + x % 17),
                DncKey::Account(acct(&format!("AcC{}", x % 5000))),
            ),
            2 => NewEntry::for_service(
                sid(1 + x % 200),
                DncKey::Zip(zip(&format!("{:05}", x % 100_000))),
            ),
            _ => NewEntry::for_service(sid(1 + x % 200), DncKey::Phone(phone)),
        };
        let new = if n % 97 == 0 {
            new.with_id(eid(10_000_000 - n))
        } else {
            new
        };
        batch.push(new.with_lifetime(lifetime));
    }
    let outcome = e.add_many(batch);
    let _ = outcome;
    let started = std::time::Instant::now();
    let image = e.to_image();
    let r = restore(&image, "moderate scale").unwrap();
    eprintln!(
        "moderate scale: {} entries, {} bytes, image+restore {:?}",
        e.len(),
        image.len(),
        started.elapsed()
    );
    assert_eq!(r.snapshot(), e.snapshot());
    r.validate().unwrap();
    assert_eq!(r.to_image(), image);
    // The restored engine grows, shrinks and grows again like the original.
    let mut o = e.clone();
    let mut g = Engine::from_image(&image).unwrap();
    let more: Vec<NewEntry> = (0..30_000u64)
        .map(|n| {
            NewEntry::for_service(
                sid(1 + n % 200),
                DncKey::Phone(Phone::parse(&format!("{}", 3_000_000_000 + n * 7919)).unwrap()),
            )
        })
        .collect();
    assert_eq!(o.add_many(more.clone()), g.add_many(more));
    let ids: Vec<EntryId> = sorted_entries(&o).into_iter().map(|x| x.id).collect();
    for id in ids.iter().step_by(2) {
        assert_eq!(o.remove(*id), g.remove(*id));
    }
    assert_eq!(o.clear_daily(None), g.clear_daily(None));
    o.shrink_to_fit();
    g.shrink_to_fit();
    let last = NewEntry::for_client(cid(3), DncKey::Phone(ph("4155550100")));
    assert_eq!(o.add(last.clone()), g.add(last));
    g.validate().unwrap();
    assert_eq!(o.snapshot(), g.snapshot());
    for entry in o.entries().take(20_000) {
        let service = entry.service.unwrap_or(sid(1 + (entry.client.get() - 1)));
        if let DncKey::Phone(p) = entry.key {
            let q = Query::new(service).phone(p);
            assert_eq!(o.is_blocked(&q), g.is_blocked(&q), "{entry:?}");
        }
    }
    assert_eq!(o.to_image(), g.to_image());
    // Every entry answers the same on both.
    for entry in e.entries().take(20_000) {
        let service = entry.service.unwrap_or(sid(1 + (entry.client.get() - 1)));
        let mut q = Query::new(service);
        match &entry.key {
            DncKey::Phone(p) => q = q.phone(*p),
            DncKey::Zip(z) => q = q.zip(*z),
            _ => continue,
        }
        assert_eq!(e.is_blocked(&q), r.is_blocked(&q), "{entry:?}");
    }
}

// ---------------------------------------------------------------- tests: further changes

/// The changes a log may bring after the image was taken.
fn follow_ups(e: &Engine) -> Vec<Change> {
    let c1 = cid(1);
    let crowded_ids: Vec<EntryId> = sorted_entries(e)
        .into_iter()
        .filter(|x| x.key == DncKey::Phone(ph(CROWDED)) && x.client == c1)
        .map(|x| x.id)
        .collect();
    let literal_ids: Vec<EntryId> = sorted_entries(e)
        .into_iter()
        .filter(|x| matches!(x.key, DncKey::Phone(p) if !p.has_wildcard()))
        .map(|x| x.id)
        .collect();
    let admin1 = Principal {
        role: Role::Sysadmin,
        client: c1,
        edit_dnc_lists: true,
    };
    let mut changes = vec![
        // Adds without an id: the next assigned id must be the same.
        Change::by_host(Mutation::Add {
            entry: NewEntry::for_client(c1, DncKey::Phone(ph("4155550111"))),
            at: None,
        }),
        Change::by_host(Mutation::Add {
            entry: NewEntry::for_service(sid(11), DncKey::Phone(ph("4155550100")))
                .with_lifetime(Lifetime::Daily),
            at: Some(ts("2026-01-01T00:00:00Z")),
        }),
        // A caller-given id that a literal phone record already holds:
        // refused alike.
        Change::by_host(Mutation::Add {
            entry: NewEntry::for_client(c1, DncKey::Zip(zip("12345"))).with_id(literal_ids[0]),
            at: None,
        }),
        Change::by_host(Mutation::Add {
            entry: NewEntry::for_client(c1, DncKey::Account(acct("new-one"))).with_id(eid(1000)),
            at: None,
        }),
        // A free caller-given id below next_id.
        Change::by_host(Mutation::Add {
            entry: NewEntry::for_client(c1, DncKey::Phone(ph("4155550112"))).with_id(eid(750)),
            at: None,
        }),
        Change::by_host(Mutation::Add {
            entry: NewEntry::for_client(c1, DncKey::Phone(ph("4155550113"))),
            at: None,
        }),
        // The same phone again for the same scope (a second entry).
        Change::by_host(Mutation::Add {
            entry: NewEntry::for_client(c1, DncKey::Phone(ph("4155550100"))),
            at: None,
        }),
        // Removes: a literal record, a removed id, an unknown id.
        Change::by_host(Mutation::Remove {
            id: literal_ids[1],
            at: Some(ts("2026-02-02T00:00:00Z")),
        }),
        Change::by_host(Mutation::Remove {
            id: literal_ids[1],
            at: None,
        }),
        Change::by_host(Mutation::Remove {
            id: eid(987_654),
            at: None,
        }),
        // The DIAL_TIME client refuses legacy changes.
        Change::by_host(Mutation::Add {
            entry: NewEntry::for_client(cid(3), DncKey::Phone(ph("3105550199"))),
            at: None,
        }),
        // A principal of client 1 cannot touch client 2's entries.
        Change {
            by: Caller::Principal(admin1),
            mutation: Mutation::Remove {
                id: sorted_entries(e)
                    .into_iter()
                    .find(|x| x.client == cid(2))
                    .unwrap()
                    .id,
                at: None,
            },
        },
        Change::by_host(Mutation::AccountFlags {
            client: c1,
            account: acct("FLAG-d"),
            update: FlagUpdate {
                do_not_dial: Some(true),
                do_not_dial_daily: None,
            },
        }),
        Change::by_host(Mutation::AddMany {
            client: None,
            entries: vec![
                NewEntry::for_service(sid(101), DncKey::Phone(ph(CROWDED))),
                NewEntry::for_service(sid(999_999), DncKey::Phone(ph("1"))),
                NewEntry::for_client(c1, DncKey::Phone(ph("4155550114")))
                    .with_lifetime(Lifetime::Daily),
                NewEntry::for_client(c1, DncKey::Phone(ph("4155550115"))).with_id(literal_ids[2]),
            ],
            at: Some(ts("2026-03-03T00:00:00Z")),
        }),
    ];
    // Shrink the crowded key.
    for id in crowded_ids.iter().take(15) {
        changes.push(Change::by_host(Mutation::Remove { id: *id, at: None }));
    }
    changes.extend([
        Change::by_host(Mutation::ClearDaily {
            client: Some(cid(2)),
        }),
        // Client 1 goes DIAL_TIME (the migration reads its legacy ids in
        // order), then back.
        Change::by_host(Mutation::ClientSettings {
            client: c1,
            time_zone: None,
            phone_dnc_type: Some(PhoneDncType::DialTime),
            at: Some(ts("2026-04-04T00:00:00Z")),
        }),
        Change::by_host(Mutation::ChannelCreate {
            channel: Channel::Dialtime,
            client: c1,
            entry: NewChannelEntry::new(ChannelValue::Phone(ph("4155550120"))),
            at: None,
        }),
        Change::by_host(Mutation::ClientSettings {
            client: c1,
            time_zone: Some("America/Los_Angeles".into()),
            phone_dnc_type: Some(PhoneDncType::Legacy),
            at: None,
        }),
        Change::by_host(Mutation::ClearDaily { client: None }),
        Change::by_host(Mutation::Add {
            entry: NewEntry::for_client(c1, DncKey::Phone(ph("4155550116"))),
            at: None,
        }),
        Change::by_host(Mutation::RegisterService {
            client: cid(6),
            service: sid(60),
        }),
        Change::by_host(Mutation::Add {
            entry: NewEntry::for_service(sid(60), DncKey::Phone(ph("4155550100"))),
            at: None,
        }),
        Change::by_host(Mutation::RegisterService {
            client: cid(6),
            service: sid(11),
        }),
        // Client 3 back to LEGACY: its stored legacy phones answer again.
        Change::by_host(Mutation::ClientSettings {
            client: cid(3),
            time_zone: None,
            phone_dnc_type: Some(PhoneDncType::Legacy),
            at: Some(ts("2026-05-05T00:00:00Z")),
        }),
        Change::by_host(Mutation::Remove {
            id: literal_ids[3],
            at: None,
        }),
    ]);
    changes
}

#[test]
fn restored_engine_goes_on_like_the_original() {
    let mut original = rich();
    let mut restored = restore(&original.to_image(), "rich").unwrap();
    let changes = follow_ups(&original);
    let mut seq = original.position();
    for (n, change) in changes.iter().enumerate() {
        seq += 1;
        let a = original.apply(seq, change);
        let b = restored.apply(seq, change);
        assert_eq!(a, b, "change {n} ({change:?}) had different outcomes");
        if n == 0 {
            assert!(matches!(&a, Ok(Applied::Done(Effect::Added(_)))), "{a:?}");
        }
        assert_eq!(
            original.snapshot(),
            restored.snapshot(),
            "after change {n} ({change:?})"
        );
        assert_eq!(
            original.next_id(),
            restored.next_id(),
            "next_id after change {n}"
        );
    }
    // Already applied and gaps behave alike.
    assert_eq!(
        original.apply(1, &changes[0]),
        restored.apply(1, &changes[0])
    );
    assert_eq!(
        original.apply(seq + 5, &changes[0]),
        restored.apply(seq + 5, &changes[0])
    );
    restored.validate().unwrap();
    assert_same(&original, &restored, "after the follow-ups");
    assert_eq!(original.to_image(), restored.to_image());
    // And once more through an image.
    round_trip(&restored, "rich after the follow-ups");
}

#[test]
fn restored_engine_takes_direct_changes_alike() {
    // The same, through the engine's own methods (no log), including a
    // shrink and a reserve.
    let mut a = rich();
    let mut b = restore(&a.to_image(), "rich").unwrap();
    let ids: Vec<EntryId> = sorted_entries(&a).into_iter().map(|e| e.id).collect();
    for id in ids.iter().step_by(3) {
        let (ra, rb) = (a.remove(*id), b.remove(*id));
        assert_eq!(ra.is_ok(), rb.is_ok(), "remove {}", id.get());
        assert_eq!(ra.map_err(|e| e.code()), rb.map_err(|e| e.code()));
    }
    a.shrink_to_fit();
    b.shrink_to_fit();
    assert_eq!(a.clear_daily(Some(cid(1))), b.clear_daily(Some(cid(1))));
    a.reserve(1000).unwrap();
    b.reserve(1000).unwrap();
    for n in 0..50 {
        let new = NewEntry::for_service(
            sid(11 + n % 3),
            DncKey::Phone(ph(&format!("41555502{n:02}"))),
        );
        assert_eq!(a.add(new.clone()), b.add(new));
    }
    b.validate().unwrap();
    assert_same(&a, &b, "direct changes");
}

// ---------------------------------------------------------------- tests: equal engines, equal images

/// The entries of one engine, to be added in several orders.
fn entry_set() -> Vec<NewEntry> {
    let c = cid(1);
    let mut v = vec![
        NewEntry::for_client(c, DncKey::Phone(ph("4155550100"))).with_id(eid(3)),
        NewEntry::for_service(sid(11), DncKey::Phone(ph("4155550100"))).with_id(eid(9)),
        NewEntry::for_service(sid(12), DncKey::Phone(ph("4155550101")))
            .with_id(eid(4))
            .with_lifetime(Lifetime::Daily),
        NewEntry::for_client(c, DncKey::Phone(ph("209*******"))).with_id(eid(20)),
        NewEntry::for_client(c, DncKey::Account(acct("AbC"))).with_id(eid(7)),
        NewEntry::for_service(sid(11), DncKey::PhoneAccount(ph("4155550102"), acct("q")))
            .with_id(eid(1)),
        NewEntry::for_client(c, DncKey::Zip(zip("94110"))).with_id(eid(15)),
        NewEntry::for_client(cid(2), DncKey::Phone(ph("4155550100"))).with_id(eid(2)),
    ];
    for (n, s) in (30..42u64).enumerate() {
        v.push(
            NewEntry::for_service(sid(s), DncKey::Phone(ph(CROWDED))).with_id(eid(100 + n as u64)),
        );
    }
    v
}

fn register_all(e: &mut Engine, reverse: bool) {
    let mut pairs: Vec<(u64, u64)> = vec![(1, 11), (1, 12), (2, 21)];
    pairs.extend((30..42).map(|s| (1, s)));
    if reverse {
        pairs.reverse();
    }
    for (c, s) in pairs {
        e.register_service(cid(c), sid(s)).unwrap();
    }
}

#[test]
fn equal_engines_built_differently_give_equal_images() {
    // In order, one add each.
    let mut a = Engine::new();
    register_all(&mut a, false);
    for new in entry_set() {
        a.add(new).unwrap();
    }
    a.set_account_flags(
        cid(1),
        &acct("AbC"),
        FlagUpdate {
            do_not_dial: Some(true),
            do_not_dial_daily: None,
        },
    );
    a.set_account_flags(
        cid(2),
        &acct("z"),
        FlagUpdate {
            do_not_dial: None,
            do_not_dial_daily: Some(true),
        },
    );

    // Reverse order, flags first, services reversed.
    let mut b = Engine::new();
    b.set_account_flags(
        cid(2),
        &acct("z"),
        FlagUpdate {
            do_not_dial: None,
            do_not_dial_daily: Some(true),
        },
    );
    b.set_account_flags(
        cid(1),
        &acct("AbC"),
        FlagUpdate {
            do_not_dial: Some(true),
            do_not_dial_daily: None,
        },
    );
    register_all(&mut b, true);
    for new in entry_set().into_iter().rev() {
        b.add(new).unwrap();
    }

    // Bulk, after reserving a lot of room.
    let mut c = Engine::new();
    c.reserve(100_000).unwrap();
    register_all(&mut c, false);
    let outcome = c.add_many(entry_set().into_iter().rev());
    let _ = outcome;
    c.set_account_flags(
        cid(2),
        &acct("z"),
        FlagUpdate {
            do_not_dial: None,
            do_not_dial_daily: Some(true),
        },
    );
    c.set_account_flags(
        cid(1),
        &acct("aBc"),
        FlagUpdate {
            do_not_dial: Some(true),
            do_not_dial_daily: None,
        },
    );

    // With extra entries (ids below the top) added and removed again, and a
    // flag set and cleared, then shrunk.
    let mut d = Engine::new();
    register_all(&mut d, false);
    let mut extra = Vec::new();
    for n in 0..40u64 {
        let id = eid(40 + n);
        extra.push(id);
        d.add(NewEntry::for_service(sid(30 + n % 12), DncKey::Phone(ph(CROWDED))).with_id(id))
            .unwrap();
        d.add(
            NewEntry::for_client(cid(1), DncKey::Phone(ph(&format!("650555{n:04}"))))
                .with_id(eid(200 + n)),
        )
        .unwrap();
    }
    for new in entry_set() {
        d.add(new).unwrap();
    }
    for n in 0..40u64 {
        d.remove(eid(40 + n)).unwrap();
        d.remove(eid(200 + n)).unwrap();
    }
    d.set_account_flags(
        cid(1),
        &acct("gone"),
        FlagUpdate {
            do_not_dial: Some(true),
            do_not_dial_daily: None,
        },
    );
    d.set_account_flags(
        cid(1),
        &acct("gone"),
        FlagUpdate {
            do_not_dial: Some(false),
            do_not_dial_daily: None,
        },
    );
    d.set_account_flags(
        cid(1),
        &acct("AbC"),
        FlagUpdate {
            do_not_dial: Some(true),
            do_not_dial_daily: None,
        },
    );
    d.set_account_flags(
        cid(2),
        &acct("z"),
        FlagUpdate {
            do_not_dial: None,
            do_not_dial_daily: Some(true),
        },
    );
    // d stored ids up to 239: a's next_id is 112, so give a, b, c the same.
    for e in [&mut a, &mut b, &mut c] {
        e.add(NewEntry::for_client(cid(1), DncKey::Phone(ph("1"))).with_id(eid(239)))
            .unwrap();
        e.remove(eid(239)).unwrap();
    }
    d.shrink_to_fit();

    // Restored from a snapshot whose records were shuffled (the slow path).
    let mut snapshot = a.snapshot();
    snapshot.entries.reverse();
    snapshot.services.reverse();
    snapshot.account_flags.reverse();
    snapshot.seal();
    let e = Engine::restore(snapshot).unwrap();

    // Restored from a's image.
    let f = Engine::from_image(&a.to_image()).unwrap();

    let image = a.to_image();
    for (name, other) in [
        ("reverse", &b),
        ("bulk", &c),
        ("removed extras", &d),
        ("shuffled snapshot", &e),
        ("image", &f),
    ] {
        assert_eq!(
            a.snapshot(),
            other.snapshot(),
            "{name}: the engines are not equal to begin with"
        );
        assert!(
            image == other.to_image(),
            "{name}: equal engines give different images"
        );
    }
    // Different engines give different images.
    let mut g = a.clone();
    g.set_account_flags(
        cid(1),
        &acct("AbC"),
        FlagUpdate {
            do_not_dial: None,
            do_not_dial_daily: Some(true),
        },
    );
    assert_ne!(g.to_image(), image);
    let mut h = a.clone();
    h.set_position(1);
    assert_ne!(h.to_image(), image);
}

// ---------------------------------------------------------------- tests: damage

/// A small engine of every kind, for exhaustive damage.
fn small() -> Engine {
    let mut e = Engine::new();
    let c = cid(3);
    e.register_service(c, sid(30)).unwrap();
    e.register_service(cid(4), sid(40)).unwrap();
    e.add(NewEntry::for_client(c, DncKey::Phone(ph("4155550100"))))
        .unwrap();
    e.add(
        NewEntry::for_service(sid(30), DncKey::Phone(ph("4155550101")))
            .with_lifetime(Lifetime::Daily),
    )
    .unwrap();
    e.add(NewEntry::for_service(
        sid(40),
        DncKey::Phone(ph("4155550101")),
    ))
    .unwrap();
    e.add(NewEntry::for_client(c, DncKey::Phone(ph("209*******"))))
        .unwrap();
    e.add(NewEntry::for_client(c, DncKey::Account(acct("AbC"))))
        .unwrap();
    e.add(NewEntry::for_service(
        sid(30),
        DncKey::PhoneAccount(ph("4155550102"), acct("q")),
    ))
    .unwrap();
    e.add(NewEntry::for_client(c, DncKey::Zip(zip("94110"))))
        .unwrap();
    e.set_account_flags(
        c,
        &acct("F"),
        FlagUpdate {
            do_not_dial: Some(true),
            do_not_dial_daily: None,
        },
    );
    e.set_position(7);
    e
}

#[test]
fn every_truncation_is_refused() {
    for (name, engine) in [
        ("small", small()),
        ("rich", rich()),
        ("empty", Engine::new()),
    ] {
        let image = engine.to_image();
        for len in 0..image.len() {
            assert_refused(
                &image[..len],
                &format!("{name} image cut to {len} of {} bytes", image.len()),
            );
        }
        // Cut from the front too.
        for start in 1..image.len().min(200) {
            assert_refused(
                &image[start..],
                &format!("{name} image without its first {start} bytes"),
            );
        }
    }
}

#[test]
fn every_flipped_byte_is_refused() {
    let engine = small();
    let image = engine.to_image();
    for at in 0..image.len() {
        for mask in [0x01u8, 0x80, 0xFF, 0x10] {
            let mut damaged = image.clone();
            damaged[at] ^= mask;
            assert_refused(&damaged, &format!("small image, byte {at} ^ {mask:#04x}"));
        }
    }
    let engine = rich();
    let image = engine.to_image();
    for at in 0..image.len() {
        let mut damaged = image.clone();
        damaged[at] ^= 0x04;
        assert_refused(&damaged, &format!("rich image, byte {at} ^ 0x04"));
    }
}

#[test]
fn random_multi_byte_damage_never_restores_different_data() {
    let engine = rich();
    let original = engine.snapshot();
    let image = engine.to_image();
    let mut x: u64 = 0x1234_5678_9ABC_DEF1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..3000 {
        let mut damaged = image.clone();
        let edits = 1 + next() % 6;
        for _ in 0..edits {
            let at = (next() % damaged.len() as u64) as usize;
            match next() % 4 {
                0 => damaged[at] = next() as u8,
                1 => damaged[at] ^= 1 << (next() % 8),
                2 => {
                    // Swap two 8-byte words (ids, phones, lengths).
                    let other = (next() % (damaged.len() as u64 - 8)) as usize;
                    let at = at.min(damaged.len() - 8);
                    for k in 0..8 {
                        damaged.swap(at + k, other + k);
                    }
                }
                _ => damaged[at] = damaged[at].wrapping_add(1),
            }
        }
        assert_refused_or_same(&damaged, &original, &format!("round {round}"));
    }
}

#[test]
fn appended_prepended_and_doubled_bytes_are_refused() {
    let image = small().to_image();
    for extra in [&[0u8][..], &[0; 8], &[0; 24], &[0xFF; 24], b"DNCIMAGE"] {
        let mut longer = image.clone();
        longer.extend_from_slice(extra);
        assert_refused(&longer, &format!("image + {} bytes", extra.len()));
        let mut longer = extra.to_vec();
        longer.extend_from_slice(&image);
        assert_refused(&longer, &format!("{} bytes + image", extra.len()));
    }
    let mut twice = image.clone();
    twice.extend_from_slice(&image);
    assert_refused(&twice, "an image twice");
    // The last 24-byte record repeated before the checksum.
    let mut repeated = image[..image.len() - 8].to_vec();
    repeated.extend_from_slice(&image[image.len() - 32..image.len() - 8]);
    repeated.extend_from_slice(&image[image.len() - 8..]);
    assert_refused(&repeated, "last record repeated");
}

#[test]
fn one_image_with_the_tail_of_another_is_refused() {
    // Two engines of the same shape, differing in one phone digit, one id,
    // one flag: every splice that is neither of them is refused.
    let build = |phone: &str, id: u64, flag: bool| {
        let mut e = small();
        e.add(NewEntry::for_client(cid(3), DncKey::Phone(ph(phone))).with_id(eid(id)))
            .unwrap();
        e.set_account_flags(
            cid(3),
            &acct("G"),
            FlagUpdate {
                do_not_dial: Some(flag),
                do_not_dial_daily: Some(!flag),
            },
        );
        e
    };
    let pairs = [
        (
            build("4155550170", 100, true),
            build("4155550171", 100, true),
        ),
        (
            build("4155550170", 100, true),
            build("4155550170", 101, true),
        ),
        (
            build("4155550170", 100, true),
            build("4155550170", 100, false),
        ),
        (small(), rich()),
    ];
    for (n, (a, b)) in pairs.iter().enumerate() {
        let (ia, ib) = (a.to_image(), b.to_image());
        let (sa, sb) = (a.snapshot(), b.snapshot());
        for k in 0..=ia.len().min(ib.len()) {
            let spliced: Vec<u8> = ia[..k].iter().chain(&ib[k..]).copied().collect();
            if spliced == ib {
                assert_eq!(restore(&spliced, "b").unwrap().snapshot(), sb);
            } else if spliced == ia {
                assert_eq!(restore(&spliced, "a").unwrap().snapshot(), sa);
            } else {
                assert_refused(
                    &spliced,
                    &format!("pair {n}: the head of one image to byte {k}, the tail of the other"),
                );
            }
            let spliced: Vec<u8> = ib[..k]
                .iter()
                .chain(&ia[k.min(ia.len())..])
                .copied()
                .collect();
            if spliced != ia && spliced != ib {
                assert_refused(&spliced, &format!("pair {n}: reversed splice at {k}"));
            }
        }
    }
}

#[test]
fn other_formats_and_garbage_are_refused() {
    let engine = rich();
    let snapshot = engine.snapshot();
    let json = serde_json::to_vec(&snapshot).unwrap();
    assert_refused(&json, "a JSON snapshot");
    let postcard = postcard::to_allocvec(&snapshot).unwrap();
    assert_refused(&postcard, "a postcard snapshot");
    assert_refused(&[], "empty input");
    assert_refused(b"D", "one byte");
    assert_refused(b"DNCIMAGE", "the magic alone");
    assert_refused(b"DNCIMAGE\x01\0\0\0\0\0\0\0", "magic and header");
    assert_refused(&[0; 64], "zeros");
    assert_refused(&[0xFF; 200], "ones");
    let image = engine.to_image();
    // The image's own header on other bodies.
    let mut header_only = image[..16].to_vec();
    header_only.extend_from_slice(&[0; 8]);
    assert_refused(&header_only, "header and a zero length");
    let mut fake = b"DNCIMAGE\x01\0\0\0\0\0\0\0".to_vec();
    fake.extend_from_slice(&(postcard.len() as u64).to_le_bytes());
    fake.extend_from_slice(&postcard);
    fake.extend_from_slice(&[0; 32]);
    assert_refused(
        &fake,
        "a postcard snapshot wrapped in the header, no checksum",
    );
    // Registry binary form.
    let copy = engine
        .registry(RegistrySource::UsNational)
        .unwrap()
        .to_bytes();
    assert_refused(&copy, "a registry copy");
    // Huge lengths in the length fields.
    for at in [16usize, 16 + 1, 16 + 7] {
        let mut huge = image.clone();
        huge[at] = 0xFF;
        assert_refused(&huge, &format!("huge length byte {at}"));
    }
    let mut x: u64 = 7;
    for len in [
        1usize, 7, 8, 9, 23, 24, 25, 31, 32, 33, 63, 64, 65, 100, 101, 1000,
    ] {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (x >> 56) as u8
            })
            .collect();
        assert_refused(&bytes, &format!("{len} random bytes"));
        let mut magic = b"DNCIMAGE".to_vec();
        magic.extend_from_slice(&bytes);
        assert_refused(&magic, &format!("magic + {len} random bytes"));
    }
}

/// The offsets of the four count fields of the layout table (snapshot part
/// length, services, clients, phone records), read from an image.
fn count_fields(image: &[u8]) -> [(usize, u64, u64); 4] {
    let word = |at: usize| u64::from_le_bytes(image[at..at + 8].try_into().unwrap());
    let part = 16;
    let n = word(part);
    let services = part + 8 + n as usize;
    let s = word(services);
    let clients = services + 8 + 16 * s as usize;
    let c = word(clients);
    let phones = clients + 8 + 8 * c as usize;
    let p = word(phones);
    assert_eq!(
        phones + 8 + 24 * p as usize + 8,
        image.len(),
        "the layout table describes the image"
    );
    [
        (part, n, 1),
        (services, s, 16),
        (clients, c, 8),
        (phones, p, 24),
    ]
}

#[test]
fn lying_counts_are_refused_without_a_large_allocation() {
    for engine in [small(), rich()] {
        let image = engine.to_image();
        let fields = count_fields(&image);
        for (at, value, _size) in fields {
            for lie in [
                value + 1,
                value.wrapping_sub(1),
                0,
                1 << 20,
                1 << 26,
                1 << 31,
                1 << 40,
                u64::MAX / 24,
                u64::MAX / 16,
                u64::MAX / 8,
                u64::MAX,
            ] {
                if lie == value {
                    continue;
                }
                let mut damaged = image.clone();
                damaged[at..at + 8].copy_from_slice(&lie.to_le_bytes());
                // Refused from the lengths alone (a timing would only
                // measure the host): no count is trusted before the bytes
                // it promises are there.
                assert_refused(
                    &damaged,
                    &format!("count at byte {at} = {lie} (was {value})"),
                );
            }
        }
    }
}

/// Snapshots edited by hand (and sealed) that `Engine::restore` accepts
/// make engines in unusual states; the image of each must restore to the
/// same engine, and an edit `restore` refuses has no engine to image.
#[test]
fn engines_restored_from_edited_snapshots_round_trip_through_an_image() {
    type Edit = fn(&mut Snapshot);
    let literal = |s: &Snapshot| {
        s.entries
            .iter()
            .find(|e| matches!(e.key, DncKey::Phone(p) if !p.has_wildcard()))
            .unwrap()
            .id
    };
    let _ = literal;
    let edits: Vec<(&str, Edit)> = vec![
        ("next_id 2^63", |s| s.next_id = 1 << 63),
        ("next_id far above", |s| s.next_id += 1_000_000),
        ("modified instant of an unknown id", |s| {
            s.legacy_modified.push((eid(999_999), 5))
        }),
        ("modified instant i64::MAX", |s| {
            let id = s
                .entries
                .iter()
                .find(|e| matches!(e.key, DncKey::Phone(p) if !p.has_wildcard()))
                .unwrap()
                .id;
            s.legacy_modified.push((id, i64::MAX));
        }),
        ("modified instant i64::MIN", |s| {
            let id = s
                .entries
                .iter()
                .find(|e| matches!(e.key, DncKey::Phone(p) if !p.has_wildcard()))
                .unwrap()
                .id;
            s.legacy_modified.push((id, i64::MIN));
        }),
        ("modified instant twice", |s| {
            let id = s
                .entries
                .iter()
                .find(|e| matches!(e.key, DncKey::Phone(p) if !p.has_wildcard()))
                .unwrap()
                .id;
            s.legacy_modified.push((id, 5));
            s.legacy_modified.push((id, 6));
        }),
        ("last modified of an unknown client", |s| {
            s.legacy_last_modified.push((cid(77), 1))
        }),
        ("last modified i64::MAX", |s| {
            s.legacy_last_modified.push((cid(3), i64::MAX))
        }),
        ("a flag record with no flag", |s| {
            s.account_flags.push(dnc_engine::FlagRecord {
                client: cid(3),
                account: acct("none-set"),
                flags: dnc_engine::AccountFlags::NONE,
            })
        }),
        ("a service pair twice", |s| {
            let first = s.services[0];
            s.services.push(first);
        }),
        ("one key twice in one scope", |s| {
            let mut e = s
                .entries
                .iter()
                .find(|e| matches!(e.key, DncKey::Phone(p) if !p.has_wildcard()))
                .unwrap()
                .clone();
            e.id = eid(900);
            s.entries.push(e);
            s.next_id = s.next_id.max(901);
        }),
        ("DIAL_TIME without migration", |s| {
            s.channel_clients.push(dnc_engine::ChannelClientRecord {
                client: cid(3),
                time_zone: "UTC".into(),
                contact_groups: vec![],
                phone_dnc_type: PhoneDncType::DialTime,
            })
        }),
        ("DIAL_TIME client with nothing else", |s| {
            s.channel_clients.push(dnc_engine::ChannelClientRecord {
                client: cid(50),
                time_zone: "America/Chicago".into(),
                contact_groups: vec![ContactGroupId::new(9).unwrap()],
                phone_dnc_type: PhoneDncType::DialTime,
            })
        }),
        ("position u64::MAX", |s| s.position = u64::MAX),
        ("no channel list records", |s| s.channel_lists.clear()),
        ("channel next ids at the top", |s| {
            for l in &mut s.channel_lists {
                l.next_id = MAX_ID;
            }
        }),
        ("entries in reverse", |s| s.entries.reverse()),
        ("a literal phone of a client with no service", |s| {
            s.entries.push(dnc_engine::DncEntry {
                id: eid(s.next_id),
                client: cid(88),
                service: None,
                key: DncKey::Phone(ph("0")),
                lifetime: Lifetime::Daily,
            });
            s.next_id += 1;
        }),
        ("a scoped literal phone naming no client's service", |s| {
            s.entries.push(dnc_engine::DncEntry {
                id: eid(s.next_id),
                client: cid(88),
                service: Some(sid(8888)),
                key: DncKey::Phone(ph("5")),
                lifetime: Lifetime::Permanent,
            });
            s.next_id += 1;
        }),
        ("a scoped literal phone of another client's service", |s| {
            let service = s.services[0].service;
            let other = cid(s.services[0].client.get() + 1000);
            s.entries.push(dnc_engine::DncEntry {
                id: eid(s.next_id),
                client: other,
                service: Some(service),
                key: DncKey::Phone(ph("5")),
                lifetime: Lifetime::Permanent,
            });
            s.next_id += 1;
        }),
        ("a literal phone id at next_id", |s| {
            s.entries.push(dnc_engine::DncEntry {
                id: eid(s.next_id),
                client: cid(3),
                service: None,
                key: DncKey::Phone(ph("6")),
                lifetime: Lifetime::Permanent,
            });
        }),
        ("a literal phone id repeating another's", |s| {
            let id = s
                .entries
                .iter()
                .find(|e| !matches!(e.key, DncKey::Phone(p) if !p.has_wildcard()))
                .unwrap()
                .id;
            s.entries.push(dnc_engine::DncEntry {
                id,
                client: cid(3),
                service: None,
                key: DncKey::Phone(ph("6")),
                lifetime: Lifetime::Permanent,
            });
        }),
    ];
    let mut report = Vec::new();
    for base_name in ["small", "rich"] {
        let base = if base_name == "small" {
            small()
        } else {
            rich()
        };
        for (name, edit) in &edits {
            let mut snapshot = base.snapshot();
            edit(&mut snapshot);
            snapshot.seal();
            let what = format!("{base_name}: {name}");
            match Engine::restore(snapshot.clone()) {
                Ok(engine) => {
                    report.push(format!("{what}: restore accepts"));
                    engine.validate().unwrap_or_else(|e| {
                        panic!("{what}: restore gives an engine that fails validate: {e}")
                    });
                    round_trip(&engine, &what);
                }
                Err(e) => report.push(format!("{what}: restore refuses ({e})")),
            }
        }
    }
    eprintln!("{}", report.join("\n"));
}

/// Permutations of whole words keep any sum or xor of the words: the
/// checksum must still see them (a swapped phone or scope between two
/// records would otherwise restore into different data, ids still
/// ascending).
#[test]
fn swapped_words_between_records_are_refused() {
    let engine = rich();
    let original = engine.snapshot();
    let image = engine.to_image();
    let [
        _,
        (services_at, s, _),
        (clients_at, c, _),
        (phones_at, p, _),
    ] = count_fields(&image);
    let swap = |a: usize, b: usize| {
        let mut damaged = image.clone();
        for k in 0..8 {
            damaged.swap(a + k, b + k);
        }
        damaged
    };
    let records = phones_at + 8;
    let p = p as usize;
    assert!(p > 10, "the rich engine has literal phone records");
    for i in 0..p {
        for j in (i + 1)..p.min(i + 12) {
            for word in 0..3 {
                let (a, b) = (records + 24 * i + 8 * word, records + 24 * j + 8 * word);
                assert_refused_or_same(
                    &swap(a, b),
                    &original,
                    &format!("records {i} and {j}, word {word} swapped"),
                );
            }
        }
        // Phone and scope word of one record swapped.
        let at = records + 24 * i;
        assert_refused_or_same(
            &swap(at + 8, at + 16),
            &original,
            &format!("record {i}: phone and scope swapped"),
        );
    }
    // Two whole records swapped (ids out of order).
    for i in 0..p - 1 {
        let mut damaged = image.clone();
        let (a, b) = (records + 24 * i, records + 24 * (i + 1));
        for k in 0..24 {
            damaged.swap(a + k, b + k);
        }
        assert_refused(&damaged, &format!("records {i} and {} swapped", i + 1));
    }
    // The service directory: two services' clients swapped.
    let dir = services_at + 8;
    for i in 0..(s as usize).saturating_sub(1) {
        let damaged = swap(dir + 16 * i + 8, dir + 16 * (i + 1) + 8);
        assert_refused_or_same(
            &damaged,
            &original,
            &format!("directory clients {i} and {} swapped", i + 1),
        );
        let damaged = swap(dir + 16 * i, dir + 16 * (i + 1));
        assert_refused_or_same(
            &damaged,
            &original,
            &format!("directory services {i} and {} swapped", i + 1),
        );
    }
    // The client list: two clients swapped.
    let list = clients_at + 8;
    for i in 0..(c as usize).saturating_sub(1) {
        assert_refused_or_same(
            &swap(list + 8 * i, list + 8 * (i + 1)),
            &original,
            &format!("clients {i} and {} swapped", i + 1),
        );
    }
    // A record's id moved into the next record's place, and the two phones
    // exchanged: the same multiset of words.
    for i in 0..p - 1 {
        let mut damaged = image.clone();
        let (a, b) = (records + 24 * i, records + 24 * (i + 1));
        for k in 0..16 {
            damaged.swap(a + 8 + k, b + 8 + k);
        }
        assert_refused_or_same(
            &damaged,
            &original,
            &format!("records {i} and {}: phone and scope exchanged", i + 1),
        );
    }
}

/// Engines that no read of the public API can tell apart (settings set
/// and set back) should be equal engines: the same snapshot and the same
/// image.
#[test]
fn settings_set_and_set_back_leave_an_equal_engine() {
    let base = || {
        let mut e = Engine::new();
        e.register_service(cid(1), sid(10)).unwrap();
        e.add(NewEntry::for_client(
            cid(1),
            DncKey::Phone(ph("4155550100")),
        ))
        .unwrap();
        e
    };
    let plain = base();
    type Variant = Box<dyn Fn(&mut Engine)>;
    let variants: Vec<(&str, Variant)> = vec![
        (
            "time zone set to the default UTC",
            Box::new(|e: &mut Engine| {
                e.set_time_zone(cid(1), "UTC").unwrap();
            }),
        ),
        (
            "time zone set and set back",
            Box::new(|e: &mut Engine| {
                e.set_time_zone(cid(1), "America/New_York").unwrap();
                e.set_time_zone(cid(1), "UTC").unwrap();
            }),
        ),
        (
            "LEGACY set (the default)",
            Box::new(|e: &mut Engine| {
                e.set_phone_dnc_type(cid(1), PhoneDncType::Legacy, None);
            }),
        ),
        (
            "DIAL_TIME and back, nothing carried, no instant",
            Box::new(|e: &mut Engine| {
                e.set_phone_dnc_type(cid(2), PhoneDncType::DialTime, None);
                e.set_phone_dnc_type(cid(2), PhoneDncType::Legacy, None);
            }),
        ),
        (
            "debt collector set and cleared",
            Box::new(|e: &mut Engine| {
                e.set_debt_collector(cid(1), true);
                e.set_debt_collector(cid(1), false);
            }),
        ),
        (
            "flags set and cleared",
            Box::new(|e: &mut Engine| {
                e.set_account_flags(
                    cid(1),
                    &acct("A"),
                    FlagUpdate {
                        do_not_dial: Some(true),
                        do_not_dial_daily: Some(true),
                    },
                );
                e.set_account_flags(
                    cid(1),
                    &acct("A"),
                    FlagUpdate {
                        do_not_dial: Some(false),
                        do_not_dial_daily: Some(false),
                    },
                );
            }),
        ),
        (
            "daily flag cleared by the nightly clear",
            Box::new(|e: &mut Engine| {
                e.set_account_flags(
                    cid(1),
                    &acct("A"),
                    FlagUpdate {
                        do_not_dial: None,
                        do_not_dial_daily: Some(true),
                    },
                );
                e.clear_daily(None);
            }),
        ),
        (
            "subscribed and unsubscribed",
            Box::new(|e: &mut Engine| {
                e.subscribe(cid(1), Subscription::all(RegistrySource::UsNational));
                e.unsubscribe(cid(1), RegistrySource::UsNational);
            }),
        ),
        (
            "exemption added and removed",
            Box::new(|e: &mut Engine| {
                let subject = ExemptionSubject::Phone(ph("4155550100"));
                e.add_exemption(
                    cid(1),
                    &subject,
                    Exemption::new(ExemptionKind::Transaction, ts("2026-01-15T00:00:00Z")),
                )
                .unwrap();
                e.remove_exemption(cid(1), &subject, ExemptionKind::Transaction)
                    .unwrap();
            }),
        ),
        (
            "a registry copy loaded and removed",
            Box::new(|e: &mut Engine| {
                let numbers = dnc_engine::registry::parse_full_list(b"7025550100\n").unwrap();
                e.load_registry(
                    RegistrySource::UsNational,
                    None,
                    &numbers,
                    ts("2026-11-25T05:00:00Z"),
                )
                .unwrap();
                e.remove_registry(RegistrySource::UsNational);
            }),
        ),
        (
            "attempt recorded and trimmed",
            Box::new(|e: &mut Engine| {
                e.record_attempt(&NewAttempt::new(
                    sid(10),
                    ph("4155550100"),
                    ts("2020-01-01T00:00:00Z"),
                    Outcome::Conversation,
                ))
                .unwrap();
                e.trim_attempts(ts("2026-01-01T00:00:00Z"));
            }),
        ),
        (
            "service contact group set and cleared",
            Box::new(|e: &mut Engine| {
                let g = ContactGroupId::new(5).unwrap();
                e.add_contact_group(cid(1), g);
                let _ = e.set_service_contact_group(sid(10), Some(g));
                let _ = e.set_service_contact_group(sid(10), None);
            }),
        ),
    ];
    let mut differ = Vec::new();
    for (name, change) in &variants {
        let mut e = base();
        change(&mut e);
        round_trip(&e, name);
        // Reads that tell settings apart.
        let same_reads = e.time_zone(cid(1)) == plain.time_zone(cid(1))
            && e.phone_dnc_type(cid(1)) == plain.phone_dnc_type(cid(1))
            && e.phone_dnc_type(cid(2)) == plain.phone_dnc_type(cid(2))
            && e.time_zone(cid(2)) == plain.time_zone(cid(2))
            && Channel::ALL
                .iter()
                .all(|ch| e.channel_info(*ch, cid(2)) == plain.channel_info(*ch, cid(2)))
            && Channel::ALL
                .iter()
                .all(|ch| e.channel_info(*ch, cid(1)) == plain.channel_info(*ch, cid(1)))
            && e.legacy_info(cid(1)) == plain.legacy_info(cid(1))
            && e.legacy_info(cid(2)) == plain.legacy_info(cid(2))
            && e.is_debt_collector(cid(1)) == plain.is_debt_collector(cid(1))
            && e.subscriptions(cid(1)) == plain.subscriptions(cid(1))
            && e.exemptions(cid(1)).count() == 0
            && e.registries().count() == 0
            && e.attempt_count() == 0
            && e.contact_groups(cid(1)) == plain.contact_groups(cid(1))
            && e.service_contact_group(sid(10)) == plain.service_contact_group(sid(10))
            && sorted_flags(&e) == sorted_flags(&plain);
        if same_reads && e.to_image() != plain.to_image() {
            differ.push(format!(
                "{name}: no read tells it from the plain engine, but the image differs (snapshot equal: {})",
                e.snapshot() == plain.snapshot()
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "indistinguishable engines with different images:\n{}",
        differ.join("\n")
    );
}

/// Random operation sequences from small pools (so that keys crowd, ids
/// collide and phones repeat across services), with an image taken and
/// restored at random points: the restored engine and the original take
/// the rest of the sequence with the same outcomes and stay equal.
#[test]
fn random_sequences_continue_alike_after_an_image() {
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }
    const POOL_PHONES: &[&str] = &[
        "4155550100",
        "4155550101",
        "4155550102",
        "209*******",
        "7",
        "123456789012345",
        "41555501*",
    ];
    const POOL_ACCOUNTS: &[&str] = &["Ab", "aB", "cd", "Z*"];
    const POOL_ZIPS: &[&str] = &["94110", "10010"];
    let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
    let key = |rng: &mut Rng| match rng.below(6) {
        0..=2 => DncKey::Phone(ph(POOL_PHONES[rng.below(POOL_PHONES.len() as u64) as usize])),
        3 => DncKey::Account(acct(POOL_ACCOUNTS[rng.below(4) as usize])),
        4 => DncKey::PhoneAccount(
            ph(POOL_PHONES[rng.below(3) as usize]),
            acct(POOL_ACCOUNTS[rng.below(4) as usize]),
        ),
        _ => DncKey::Zip(zip(POOL_ZIPS[rng.below(2) as usize])),
    };
    let (mut done, mut refused, mut largest) = (0usize, 0usize, 0usize);
    for sequence in 0..150 {
        let mut a = Engine::new();
        let mut b: Option<Engine> = None;
        let steps = 20 + rng.below(60);
        let image_at = rng.below(steps);
        let mut seq = 0u64;
        for step in 0..steps {
            if step == image_at {
                let image = a.to_image();
                let restored = restore(&image, "random")
                    .unwrap_or_else(|e| panic!("sequence {sequence}: own image refused: {e}"));
                assert_eq!(
                    restored.snapshot(),
                    a.snapshot(),
                    "sequence {sequence} step {step}"
                );
                b = Some(restored);
            }
            let client = cid(1 + rng.below(3));
            let service = sid(1 + rng.below(8));
            let mutation = match rng.below(12) {
                0 => Mutation::RegisterService { client, service },
                1..=4 => {
                    let mut new = if rng.below(2) == 0 {
                        NewEntry::for_client(client, key(&mut rng))
                    } else {
                        NewEntry::for_service(service, key(&mut rng))
                    };
                    if rng.below(3) == 0 {
                        new = new.with_lifetime(Lifetime::Daily);
                    }
                    if rng.below(4) == 0 {
                        new = new.with_id(eid(1 + rng.below(40)));
                    }
                    let at = (rng.below(3) == 0).then(|| ts("2026-01-01T00:00:00Z"));
                    Mutation::Add { entry: new, at }
                }
                5 | 6 => Mutation::Remove {
                    id: eid(1 + rng.below(40)),
                    at: None,
                },
                7 => Mutation::AccountFlags {
                    client,
                    account: acct(POOL_ACCOUNTS[rng.below(4) as usize]),
                    update: FlagUpdate {
                        do_not_dial: [None, Some(true), Some(false)][rng.below(3) as usize],
                        do_not_dial_daily: [None, Some(true), Some(false)][rng.below(3) as usize],
                    },
                },
                8 => Mutation::ClearDaily {
                    client: (rng.below(2) == 0).then_some(client),
                },
                9 => Mutation::ClientSettings {
                    client,
                    time_zone: None,
                    phone_dnc_type: Some(
                        [PhoneDncType::Legacy, PhoneDncType::DialTime][rng.below(2) as usize],
                    ),
                    at: None,
                },
                10 => Mutation::ChannelCreate {
                    channel: Channel::Dialtime,
                    client,
                    entry: NewChannelEntry::new(ChannelValue::Phone(ph(
                        POOL_PHONES[rng.below(3) as usize]
                    ))),
                    at: None,
                },
                _ => Mutation::AddMany {
                    client: None,
                    entries: (0..1 + rng.below(6))
                        .map(|_| NewEntry::for_service(sid(1 + rng.below(8)), key(&mut rng)))
                        .collect(),
                    at: None,
                },
            };
            let change = Change::by_host(mutation);
            seq += 1;
            let ra = a.apply(seq, &change);
            match &ra {
                Ok(Applied::Done(_)) => done += 1,
                _ => refused += 1,
            }
            if let Some(b) = b.as_mut() {
                let rb = b.apply(seq, &change);
                assert_eq!(ra, rb, "sequence {sequence} step {step}: {change:?}");
                assert_eq!(
                    a.snapshot(),
                    b.snapshot(),
                    "sequence {sequence} step {step}: {change:?}"
                );
            }
        }
        let b = b.expect("an image was taken");
        b.validate()
            .unwrap_or_else(|e| panic!("sequence {sequence}: {e}"));
        let accounts: Vec<Account> = POOL_ACCOUNTS.iter().map(|t| acct(t)).collect();
        for s in 1..=9 {
            for phone in POOL_PHONES.iter().chain(&[
                "4155550109",
                "2095550000",
                "1234567890123456"[..15].as_ref(),
            ]) {
                for account in std::iter::once(None).chain(accounts.iter().map(Some)) {
                    let mut q = Query::new(sid(s)).phone(ph(phone));
                    if let Some(acc) = account {
                        q = q.account(acc);
                    }
                    assert_eq!(
                        a.is_blocked(&q),
                        b.is_blocked(&q),
                        "sequence {sequence}: {q:?}"
                    );
                    assert_eq!(
                        a.dial_check(&q),
                        b.dial_check(&q),
                        "sequence {sequence}: {q:?}"
                    );
                }
            }
        }
        assert_eq!(a.to_image(), b.to_image(), "sequence {sequence}");
        largest = largest.max(a.len());
    }
    eprintln!(
        "random sequences: {done} changes made, {refused} refused, largest engine {largest} entries"
    );
    assert!(done > refused / 2, "the sequences mostly make changes");
}

/// An image read from any address (a slice of a larger buffer, as a host
/// that reads a file with a header of its own would pass it).
#[test]
fn an_image_at_any_alignment_restores() {
    let engine = rich();
    let image = engine.to_image();
    for offset in 0..16 {
        let mut buffer = vec![0xAAu8; offset];
        buffer.extend_from_slice(&image);
        buffer.extend_from_slice(&[0x55; 3]);
        let slice = &buffer[offset..offset + image.len()];
        let restored = restore(slice, &format!("image at offset {offset}")).unwrap();
        assert_eq!(restored.snapshot(), engine.snapshot(), "offset {offset}");
    }
}

// ---------------------------------------------------------------- hostile images with a valid checksum

/// An image taken apart along the layout table.
#[derive(Clone, Debug, PartialEq)]
struct Parts {
    header: [u8; 16],
    part: Vec<u8>,
    directory: Vec<(u64, u64)>,
    clients: Vec<u64>,
    records: Vec<[u64; 3]>,
}

fn take_apart(image: &[u8]) -> Parts {
    let word = |at: usize| u64::from_le_bytes(image[at..at + 8].try_into().unwrap());
    let n = word(16) as usize;
    let part = image[24..24 + n].to_vec();
    let mut at = 24 + n;
    let s = word(at) as usize;
    at += 8;
    let directory = (0..s)
        .map(|i| (word(at + 16 * i), word(at + 16 * i + 8)))
        .collect();
    at += 16 * s;
    let c = word(at) as usize;
    at += 8;
    let clients = (0..c).map(|i| word(at + 8 * i)).collect();
    at += 8 * c;
    let p = word(at) as usize;
    at += 8;
    let records = (0..p)
        .map(|i| {
            [
                word(at + 24 * i),
                word(at + 24 * i + 8),
                word(at + 24 * i + 16),
            ]
        })
        .collect();
    at += 24 * p;
    assert_eq!(at + 8, image.len());
    Parts {
        header: image[..16].try_into().unwrap(),
        part,
        directory,
        clients,
        records,
    }
}

/// The image's bytes with a correct checksum. The layout table does not
/// say which checksum it is; `from_image`'s refusal of a damaged image
/// names the checksum the bytes have, so the test reads it from there.
fn put_together(parts: &Parts) -> Vec<u8> {
    let mut out = parts.header.to_vec();
    out.extend_from_slice(&(parts.part.len() as u64).to_le_bytes());
    out.extend_from_slice(&parts.part);
    out.extend_from_slice(&(parts.directory.len() as u64).to_le_bytes());
    for (s, c) in &parts.directory {
        out.extend_from_slice(&s.to_le_bytes());
        out.extend_from_slice(&c.to_le_bytes());
    }
    out.extend_from_slice(&(parts.clients.len() as u64).to_le_bytes());
    for c in &parts.clients {
        out.extend_from_slice(&c.to_le_bytes());
    }
    out.extend_from_slice(&(parts.records.len() as u64).to_le_bytes());
    for r in &parts.records {
        for w in r {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }
    out.extend_from_slice(&0u64.to_le_bytes());
    reseal(&mut out);
    out
}

/// Writes the checksum the image's bytes have into its last word, when
/// `from_image` names it (otherwise the bytes are refused before the
/// checksum and stay as they are).
fn reseal(image: &mut [u8]) {
    let n = image.len();
    if n < 8 {
        return;
    }
    if let Err(DncError::InvalidSnapshot { reason }) = Engine::from_image(image) {
        if let Some(rest) = reason.strip_prefix("checksum 0x") {
            let hex: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
            let value = u64::from_str_radix(&hex, 16).unwrap();
            image[n - 8..].copy_from_slice(&value.to_le_bytes());
        }
    }
}

/// The snapshot part as the documentation describes it: the snapshot
/// without the literal phone entries (sealed again).
fn part_of(snapshot: &Snapshot) -> Snapshot {
    let mut part = snapshot.clone();
    part.entries
        .retain(|e| !matches!(e.key, DncKey::Phone(p) if !p.has_wildcard()));
    part.seal();
    part
}

#[test]
fn the_layout_table_describes_the_image() {
    for engine in [Engine::new(), small(), rich()] {
        let image = engine.to_image();
        let parts = take_apart(&image);
        assert_eq!(
            put_together(&parts),
            image,
            "the checksum read back from from_image"
        );
        assert_eq!(&parts.header[..8], b"DNCIMAGE");
        assert_eq!(parts.header[8..12], 1u32.to_le_bytes());
        assert_eq!(parts.header[12..16], [0; 4]);
        let snapshot = engine.snapshot();
        // The service directory: (service, client) as the snapshot lists them.
        let directory: Vec<(u64, u64)> = snapshot
            .services
            .iter()
            .map(|r| (r.service.get(), r.client.get()))
            .collect();
        assert_eq!(parts.directory, directory);
        // The records: the literal phone entries, ascending by id.
        let literal: Vec<u64> = snapshot
            .entries
            .iter()
            .filter(|e| matches!(e.key, DncKey::Phone(p) if !p.has_wildcard()))
            .map(|e| e.id.get())
            .collect();
        let ids: Vec<u64> = parts.records.iter().map(|r| r[0]).collect();
        assert_eq!(ids, literal);
        // The clients of client-level records, ascending.
        let clients: BTreeSet<u64> = snapshot
            .entries
            .iter()
            .filter(|e| {
                e.service.is_none() && matches!(e.key, DncKey::Phone(p) if !p.has_wildcard())
            })
            .map(|e| e.client.get())
            .collect();
        assert_eq!(parts.clients, clients.into_iter().collect::<Vec<_>>());
        // The snapshot part.
        let part: Snapshot =
            postcard::from_bytes(&parts.part).expect("the part is a postcard snapshot");
        assert_eq!(
            part,
            part_of(&snapshot),
            "the part is the snapshot without the literal phones"
        );
        assert_eq!(postcard::to_allocvec(&part).unwrap(), parts.part);
    }
}

/// The phone of a record's phone word (4 bits a character, right-aligned:
/// the last character in the lowest bits, `0`-`9` as 1-10; the top bit the
/// lifetime), when the word is one a phone has; `None` otherwise.
fn decode_phone(word: u64) -> Option<(String, Lifetime)> {
    let lifetime = if word >> 63 == 1 {
        Lifetime::Daily
    } else {
        Lifetime::Permanent
    };
    if word & (0b111 << 60) != 0 {
        return None;
    }
    let nibbles: Vec<u64> = (0..15).map(|i| (word >> (4 * i)) & 0xF).collect();
    let len = nibbles.iter().rposition(|n| *n != 0)? + 1;
    let mut text = String::new();
    for i in (0..len).rev() {
        match nibbles[i] {
            n @ 1..=10 => text.push((b'0' + n as u8 - 1) as char),
            _ => return None,
        }
    }
    Some((text, lifetime))
}

/// The phone word of a digits-only phone (the inverse of `decode_phone`).
fn encode_phone(text: &str, lifetime: Lifetime) -> u64 {
    let mut word = 0u64;
    for c in text.bytes() {
        word = (word << 4) | (c - b'0' + 1) as u64;
    }
    if lifetime == Lifetime::Daily {
        word |= 1 << 63;
    }
    word
}

#[test]
fn phone_words_read_as_the_records_hold_them() {
    let engine = rich();
    let parts = take_apart(&engine.to_image());
    for [id, phone, _] in &parts.records {
        let entry = engine.entry(eid(*id)).unwrap();
        let (text, lifetime) = decode_phone(*phone).unwrap();
        assert_eq!(entry.key, DncKey::Phone(ph(&text)), "record {id}");
        assert_eq!(entry.lifetime, lifetime, "record {id}");
        assert_eq!(encode_phone(&text, lifetime), *phone);
    }
}

/// What an image taken apart says, as a snapshot: its part with its
/// records as entries (a record's client from its scope word: the client
/// itself, top bit set, or its service's in the part's directory).
/// `None` when a record or the directory cannot say it. `strict` also
/// asks that the part be whole on its own (its counts and checksum) and
/// that the client list name exactly the clients of the client-level
/// records, ascending, as the layout table describes.
fn meaning(parts: &Parts, strict: bool) -> Option<Snapshot> {
    let mut snapshot: Snapshot = postcard::from_bytes(&parts.part).ok()?;
    let directory: Vec<(u64, u64)> = snapshot
        .services
        .iter()
        .map(|r| (r.service.get(), r.client.get()))
        .collect();
    if directory != parts.directory {
        return None;
    }
    if strict {
        let mut resealed = snapshot.clone();
        resealed.seal();
        if resealed.integrity != snapshot.integrity {
            return None;
        }
    }
    let mut named = BTreeSet::new();
    for [id, phone, scope] in &parts.records {
        let (text, lifetime) = decode_phone(*phone)?;
        let id = EntryId::new(*id).ok()?;
        let (client, service) = if scope >> 63 == 1 {
            let client = ClientId::new(scope & !(1 << 63)).ok()?;
            named.insert(client.get());
            (client, None)
        } else {
            let service = ServiceId::new(*scope).ok()?;
            let client = directory
                .iter()
                .find(|(s, _)| *s == *scope)
                .map(|(_, c)| *c)?;
            (ClientId::new(client).ok()?, Some(service))
        };
        snapshot.entries.push(dnc_engine::DncEntry {
            id,
            client,
            service,
            key: DncKey::Phone(Phone::parse(&text).ok()?),
            lifetime,
        });
    }
    if strict && named.into_iter().collect::<Vec<_>>() != parts.clients {
        return None;
    }
    if strict && !parts.records.windows(2).all(|w| w[0][0] < w[1][0]) {
        return None;
    }
    snapshot.entries.sort_by_key(|e| e.id);
    snapshot.seal();
    Some(snapshot)
}

/// What `from_image` did with a hand-built image.
#[derive(Debug, PartialEq)]
enum Judged {
    /// Refused with `InvalidSnapshot` and a reason.
    Refused(String),
    /// Refused with another error than `InvalidSnapshot`.
    OtherError(String),
    /// Accepted an image in the writer's form, into the engine it describes.
    Accepted,
    /// Accepted an image that is not in the writer's form (or whose part
    /// is not whole on its own), into the engine its records and part
    /// describe.
    AcceptedOutOfForm,
}

/// A hand-built image (its checksum right) must be refused, or restore
/// exactly the engine it describes; never a panic, never other data.
fn judge(parts: &Parts, what: &str) -> Judged {
    judge_with(parts, what, true)
}

/// `judge`, comparing every check (`full`) or the legacy checks of a few
/// services only.
fn judge_with(parts: &Parts, what: &str, full: bool) -> Judged {
    let image = put_together(parts);
    let engine = match restore(&image, what) {
        Err(DncError::InvalidSnapshot { reason }) => {
            assert!(!reason.trim().is_empty(), "{what}: empty reason");
            return Judged::Refused(reason);
        }
        Err(other) => return Judged::OtherError(format!("{other:?}")),
        Ok(engine) => engine,
    };
    engine
        .validate()
        .unwrap_or_else(|e| panic!("{what}: accepted into an engine failing validate(): {e}"));
    let (wanted, outcome) = match (meaning(parts, true), meaning(parts, false)) {
        (Some(strict), _) => (strict, Judged::Accepted),
        (None, Some(lenient)) => (lenient, Judged::AcceptedOutOfForm),
        (None, None) => panic!("{what}: accepted, though its records cannot say a valid engine"),
    };
    let wanted = Engine::restore(wanted).unwrap_or_else(|e| {
        panic!("{what}: accepted, though restore refuses what the image says: {e}")
    });
    let (got, want) = (engine.snapshot(), wanted.snapshot());
    if got != want {
        let (ge, we) = (sorted_entries(&engine), sorted_entries(&wanted));
        let only_got: Vec<_> = ge
            .iter()
            .filter(|e| !we.contains(e))
            .map(|e| e.to_string())
            .collect();
        let only_want: Vec<_> = we
            .iter()
            .filter(|e| !ge.contains(e))
            .map(|e| e.to_string())
            .collect();
        panic!(
            "{what}: accepted into other data: entries only restored {only_got:?}, entries only described {only_want:?}, next_id {} vs {}, services equal {}",
            got.next_id,
            want.next_id,
            got.services == want.services
        );
    }
    if full {
        assert_same_checks(&engine, &wanted, what);
    } else {
        let accounts: Vec<Account> = ACCOUNTS.iter().map(|t| acct(t)).collect();
        for service in [11, 12, 13, 21, 23, 31, 101, 105, 999_999] {
            for phone in PHONES {
                for account in [None, Some(&accounts[0]), Some(&accounts[3])] {
                    let mut q = Query::new(sid(service)).phone(ph(phone));
                    if let Some(a) = account {
                        q = q.account(a);
                    }
                    assert_eq!(
                        engine.is_blocked(&q),
                        wanted.is_blocked(&q),
                        "{what}: {q:?}"
                    );
                    assert_eq!(
                        engine.dial_check(&q),
                        wanted.dial_check(&q),
                        "{what}: {q:?}"
                    );
                }
            }
        }
    }
    outcome
}

/// Snapshot edits that `Engine::restore` refuses, brought into an image
/// (its part re-sealed, its directory matching, the image's checksum
/// right): `from_image` must refuse them too.
#[test]
fn what_restore_refuses_the_image_refuses() {
    let engine = rich();
    let base = take_apart(&engine.to_image());
    type Edit = fn(&mut Snapshot);
    let edits: Vec<(&str, Edit)> = vec![
        ("a service under two clients", |s| {
            let first = s.services[0];
            s.services.push(dnc_engine::ServiceRecord {
                client: cid(first.client.get() + 50),
                service: first.service,
            });
        }),
        ("an entry of an unknown service", |s| {
            let e = s.entries.iter_mut().find(|e| e.service.is_some()).unwrap();
            e.service = Some(sid(8888));
        }),
        ("an entry of another client's service", |s| {
            let e = s.entries.iter_mut().find(|e| e.service.is_some()).unwrap();
            e.client = cid(e.client.get() + 1);
        }),
        ("a repeated id in the part", |s| {
            let copy = s.entries[0].clone();
            s.entries.push(copy);
        }),
        ("next_id at the largest id", |s| {
            s.next_id = s.entries.iter().map(|e| e.id.get()).max().unwrap();
        }),
        ("next_id beyond 2^63", |s| s.next_id = (1 << 63) + 1),
        ("a repeated flag record", |s| {
            let copy = s.account_flags[0].clone();
            s.account_flags.push(copy);
        }),
        ("a modification instant of an unknown id", |s| {
            s.legacy_modified.push((eid(999_999), 5))
        }),
        ("a profile of an unknown service", |s| {
            let p = &mut s.dialing_profiles[0];
            p.services.push(sid(8888));
        }),
    ];
    let mut accepted = Vec::new();
    for (name, edit) in &edits {
        let mut snapshot = part_of(&engine.snapshot());
        edit(&mut snapshot);
        snapshot.seal();
        // The edit must be one restore refuses (on the whole snapshot).
        let mut whole = engine.snapshot();
        edit(&mut whole);
        whole.seal();
        assert!(
            Engine::restore(whole).is_err(),
            "{name}: restore accepts it; the test is wrong"
        );
        let mut parts = base.clone();
        parts.part = postcard::to_allocvec(&snapshot).unwrap();
        parts.directory = snapshot
            .services
            .iter()
            .map(|r| (r.service.get(), r.client.get()))
            .collect();
        let what = format!("image whose part has {name}");
        match judge(&parts, &what) {
            Judged::Refused(_) => {}
            other => accepted.push(format!("{what}: {other:?}")),
        }
    }
    // The part's own counts and checksum (restore refuses a snapshot whose
    // counts or checksum do not match its content).
    let mut whole = engine.snapshot();
    whole.next_id += 1;
    assert!(Engine::restore(whole).is_err());
    let mut snapshot = part_of(&engine.snapshot());
    snapshot.next_id += 1; // not sealed again
    let mut parts = base.clone();
    parts.part = postcard::to_allocvec(&snapshot).unwrap();
    let mut odd = vec![(
        "a part whose own checksum does not match it (next_id + 1, not sealed)",
        parts,
    )];
    let mut snapshot = part_of(&engine.snapshot());
    snapshot.integrity.counts[1] += 1;
    let mut parts = base.clone();
    parts.part = postcard::to_allocvec(&snapshot).unwrap();
    odd.push(("a part whose own counts are wrong", parts));
    let mut snapshot = part_of(&engine.snapshot());
    snapshot.integrity.checksum ^= 1;
    let mut parts = base.clone();
    parts.part = postcard::to_allocvec(&snapshot).unwrap();
    odd.push(("a part whose own checksum word is changed", parts));
    let mut parts = base.clone();
    parts.part = vec![0xFF; 40];
    odd.push(("a part that is not a snapshot", parts));
    let mut parts = base.clone();
    parts.part.push(0);
    odd.push(("a part with a byte after the snapshot", parts));
    for (what, parts) in &odd {
        match judge(parts, what) {
            Judged::Refused(_) => {}
            other => accepted.push(format!("{what}: {other:?}")),
        }
    }
    assert!(
        accepted.is_empty(),
        "from_image does not refuse with InvalidSnapshot what restore refuses:\n{}",
        accepted.join("\n")
    );
}

/// Records that break a rule, each in an image with a right checksum.
#[test]
fn records_that_break_a_rule_are_refused() {
    let engine = rich();
    let base = take_apart(&engine.to_image());
    let part: Snapshot = postcard::from_bytes(&base.part).unwrap();
    let p = base.records.len();
    let part_id = part.entries.iter().map(|e| e.id.get()).next().unwrap();
    let client_level = base.records.iter().position(|r| r[2] >> 63 == 1).unwrap();
    let scoped = base.records.iter().position(|r| r[2] >> 63 == 0).unwrap();

    let mut cases: Vec<(String, Parts)> = Vec::new();
    let mut case = |name: &str, f: &dyn Fn(&mut Parts)| {
        let mut parts = base.clone();
        f(&mut parts);
        cases.push((name.to_owned(), parts));
    };
    case("two records swapped (ids descend)", &|x| {
        x.records.swap(3, 4)
    });
    case("the last record first", &|x| {
        let last = x.records.pop().unwrap();
        x.records.insert(0, last);
    });
    case("a record repeated (same id twice)", &|x| {
        let copy = x.records[5];
        x.records.insert(6, copy);
    });
    case("two records with one id, different phones", &|x| {
        let mut copy = x.records[5];
        copy[1] = decode_free_phone();
        x.records.insert(6, copy);
    });
    case("a record with the id of a part entry", &|x| {
        x.records.retain(|r| r[0] != part_id);
        let mut r = x.records[0];
        r[0] = part_id;
        let at = x
            .records
            .iter()
            .position(|q| q[0] > part_id)
            .unwrap_or(x.records.len());
        x.records.insert(at, r);
        x.records.sort_by_key(|r| r[0]);
    });
    case("a record id at next_id", &|x| {
        let mut r = x.records[p - 1];
        r[0] = part.next_id;
        x.records.push(r);
    });
    case("a record id above next_id", &|x| {
        let mut r = x.records[p - 1];
        r[0] = part.next_id + 1000;
        x.records.push(r);
    });
    case("a record id 0", &|x| x.records[0][0] = 0);
    case("a record id 2^63", &|x| {
        let mut r = x.records[p - 1];
        r[0] = 1 << 63;
        x.records.push(r);
    });
    case("a record id u64::MAX", &|x| {
        let mut r = x.records[p - 1];
        r[0] = u64::MAX;
        x.records.push(r);
    });
    case("a scoped record of an unknown service", &|x| {
        x.records[scoped][2] = 8888
    });
    case("a scoped record of service 0", &|x| {
        x.records[scoped][2] = 0
    });
    case("a client-level record of client 0", &|x| {
        x.records[client_level][2] = 1 << 63
    });
    case(
        "a client-level record of a client the list does not name",
        &|x| x.records[client_level][2] = (1 << 63) | 4242,
    );
    case("the client list without a named client", &|x| {
        x.clients.remove(0);
    });
    case("the client list with a client no record names", &|x| {
        x.clients.push(9_999_999);
    });
    case("the client list descending", &|x| x.clients.reverse());
    case("the client list with a client twice", &|x| {
        let c = x.clients[0];
        x.clients.insert(0, c);
    });
    case("a client 0 in the client list", &|x| x.clients.insert(0, 0));
    case("a scope word with bit 62 set", &|x| {
        x.records[scoped][2] |= 1 << 62
    });
    case("a phone word of length 0", &|x| x.records[0][1] = 0);
    case("a phone word of length 0, DAILY", &|x| {
        x.records[0][1] = 1 << 63
    });
    case("a phone word with a gap", &|x| {
        x.records[0][1] = 0x0000_0000_0000_0201
    });
    case("a phone word with nibble 0xB (a star?)", &|x| {
        x.records[0][1] = (x.records[0][1] & !0xF) | 0xB
    });
    case("a phone word with nibble 0xB first", &|x| {
        x.records[0][1] = 0xB22
    });
    case("a phone word with nibble 0xF", &|x| {
        x.records[0][1] = (x.records[0][1] & !0xF) | 0xF
    });
    case("a phone word with bits 60-62 set", &|x| {
        x.records[0][1] |= 1 << 60
    });
    case("a phone word of 16 characters", &|x| {
        x.records[0][1] = 0x0222_2222_2222_2222 | (0x2 << 60)
    });
    case("the directory with a service's client changed", &|x| {
        x.directory[0].1 += 1
    });
    case("the directory in another order", &|x| x.directory.reverse());
    case("the directory without a service", &|x| {
        x.directory.pop();
    });
    case("the directory with a service more", &|x| {
        x.directory.push((77_777, 1))
    });
    case("the directory with a service twice", &|x| {
        let d = x.directory[0];
        x.directory.insert(1, d);
    });
    case("the header's reserved word", &|x| x.header[12] = 1);
    case("another layout version", &|x| x.header[8] = 2);

    let mut accepted = Vec::new();
    let mut out_of_form = Vec::new();
    let mut other_error = Vec::new();
    for (name, parts) in &cases {
        match judge(parts, name) {
            Judged::Refused(_) => {}
            Judged::OtherError(e) => {
                other_error.push(format!("{name}: refused with {e}, not InvalidSnapshot"))
            }
            Judged::Accepted => accepted.push(name.clone()),
            Judged::AcceptedOutOfForm => out_of_form.push(name.clone()),
        }
    }
    eprintln!("valid and accepted: {accepted:?}");
    // Beyond "refused or the same data", the documentation says these are
    // refused.
    let must_refuse = [
        "two records swapped (ids descend)",
        "the last record first",
        "a record repeated (same id twice)",
        "two records with one id, different phones",
        "a record with the id of a part entry",
        "a record id at next_id",
        "a record id above next_id",
        "the directory with a service's client changed",
        "the directory in another order",
        "the directory without a service",
        "the directory with a service more",
        "the header's reserved word",
        "another layout version",
    ];
    let mut wrong: Vec<String> = must_refuse
        .iter()
        .filter(|name| accepted.iter().chain(&out_of_form).any(|a| a == *name))
        .map(|name| format!("{name}: accepted"))
        .collect();
    // An image unlike what to_image writes (another layout) is refused too,
    // even where its records still say a valid engine.
    wrong.extend(
        out_of_form
            .iter()
            .filter(|name| !must_refuse.contains(&name.as_str()))
            .map(|name| format!("{name}: accepted (into the engine its records describe), though to_image never writes it")),
    );
    wrong.extend(other_error);
    assert!(
        wrong.is_empty(),
        "hand-built images with a right checksum:\n{}",
        wrong.join("\n")
    );
}

/// A phone word of a literal phone no engine here holds ("5556667777").
fn decode_free_phone() -> u64 {
    encode_phone("5556667777", Lifetime::Permanent)
}

/// Drops the modification instants of `ids` from the image's part (sealed
/// again), as the snapshot of an engine without those entries has none.
fn without_instants(parts: &mut Parts, ids: &[u64]) {
    let mut part: Snapshot = postcard::from_bytes(&parts.part).unwrap();
    part.legacy_modified
        .retain(|(id, _)| !ids.contains(&id.get()));
    part.seal();
    parts.part = postcard::to_allocvec(&part).unwrap();
}

/// Hand-built images that describe another valid engine in the writer's
/// own form (a record's phone, lifetime or scope changed, a record added
/// or dropped): refused, or restored into exactly the engine described.
#[test]
fn hand_built_valid_images_restore_what_they_say() {
    let engine = rich();
    let base = take_apart(&engine.to_image());
    let p = base.records.len();
    let mut cases: Vec<(String, Parts)> = Vec::new();
    for i in [0, 1, p / 2, p - 1] {
        let mut x = base.clone();
        x.records[i][1] = decode_free_phone();
        cases.push((format!("record {i} with another phone"), x));
        let mut x = base.clone();
        x.records[i][1] ^= 1 << 63;
        cases.push((format!("record {i} with the other lifetime"), x));
        let mut x = base.clone();
        let dropped = x.records.remove(i)[0];
        without_instants(&mut x, &[dropped]);
        cases.push((format!("record {i} dropped"), x));
    }
    let mut x = base.clone();
    let scoped = x.records.iter().position(|r| r[2] >> 63 == 0).unwrap();
    let service = x.records[scoped][2];
    let owner = x.directory.iter().find(|(s, _)| *s == service).unwrap().1;
    let other_service = x
        .directory
        .iter()
        .find(|(s, c)| *s != service && *c == owner)
        .unwrap()
        .0;
    x.records[scoped][2] = other_service;
    cases.push((
        "a scoped record moved to another service of its client".into(),
        x,
    ));
    let mut x = base.clone();
    let ids: Vec<u64> = x.records.iter().map(|r| r[0]).collect();
    x.records.clear();
    x.clients.clear();
    without_instants(&mut x, &ids);
    cases.push(("no records".into(), x));
    // One key crowded by many records (client-level and scoped, the same
    // scope several times), with ids above the part's next_id moved up.
    let mut x = base.clone();
    let mut part: Snapshot = postcard::from_bytes(&x.part).unwrap();
    let first = part.next_id;
    let word = encode_phone("4155550177", Lifetime::Permanent);
    for n in 0..14u64 {
        let scope = match n % 3 {
            0 => (1 << 63) | 1,
            1 => 11,
            _ => 100 + n,
        };
        let lifetime_word = if n % 4 == 0 { word | (1 << 63) } else { word };
        x.records.push([first + n, lifetime_word, scope]);
    }
    part.next_id = first + 20;
    part.seal();
    x.part = postcard::to_allocvec(&part).unwrap();
    cases.push(("one key crowded by fourteen records".into(), x));
    // Records of the DIAL_TIME client (inactive while it is).
    let mut x = base.clone();
    let mut part: Snapshot = postcard::from_bytes(&x.part).unwrap();
    let first = part.next_id;
    x.records
        .push([first, encode_phone("3105550177", Lifetime::Permanent), 31]);
    x.records.push([
        first + 1,
        encode_phone("3105550178", Lifetime::Daily),
        (1 << 63) | 3,
    ]);
    part.next_id = first + 2;
    part.seal();
    x.part = postcard::to_allocvec(&part).unwrap();
    cases.push(("records of the DIAL_TIME client".into(), x));
    let mut refused = Vec::new();
    for (name, parts) in &cases {
        match judge(parts, name) {
            Judged::Accepted => {}
            other => refused.push(format!("{name}: {other:?}")),
        }
    }
    assert!(
        refused.is_empty(),
        "valid images in the writer's form not accepted:\n{}",
        refused.join("\n")
    );
}

/// Random edits of the records, the directory and the client list, with
/// the checksum made right: each image is refused or restores exactly the
/// engine it describes (never a panic, never an engine failing
/// `validate()`, never other data).
#[test]
fn random_resealed_edits_never_restore_other_data() {
    let engine = rich();
    let base = take_apart(&engine.to_image());
    let services: Vec<u64> = base.directory.iter().map(|d| d.0).collect();
    let mut x: u64 = 0x0BAD_5EED_1234_5678;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let (mut refused, mut accepted, mut out_of_form) = (0, 0, 0);
    for round in 0..1500 {
        let mut parts = base.clone();
        for _ in 0..1 + next() % 3 {
            let p = parts.records.len();
            let r = (next() % p.max(1) as u64) as usize;
            match next() % 14 {
                0 if p > 0 => parts.records[r][0] = parts.records[r][0].wrapping_add(1),
                1 if p > 0 => parts.records[r][0] = parts.records[r][0].wrapping_sub(1),
                2 if p > 0 => parts.records[r][1] ^= 1 << (next() % 64),
                3 if p > 0 => {
                    parts.records[r][1] =
                        encode_phone(&format!("{}", next() % 10_000_000_000), Lifetime::Permanent)
                }
                4 if p > 0 => {
                    parts.records[r][2] = services[(next() % services.len() as u64) as usize]
                }
                5 if p > 0 => parts.records[r][2] = (1 << 63) | (1 + next() % 6),
                6 if p > 0 => parts.records[r][2] ^= 1 << (next() % 64),
                7 if p > 0 => {
                    let copy = parts.records[r];
                    parts.records.insert(r, copy);
                }
                8 if p > 0 => {
                    let dropped = parts.records.remove(r)[0];
                    without_instants(&mut parts, &[dropped]);
                }
                9 if p > 1 => parts.records.swap(r, (r + 1) % p),
                10 => {
                    let d = (next() % parts.directory.len() as u64) as usize;
                    parts.directory[d].1 = 1 + next() % 6;
                }
                11 => {
                    let d = (next() % parts.directory.len() as u64) as usize;
                    parts.directory[d].0 = services[(next() % services.len() as u64) as usize];
                }
                12 if !parts.clients.is_empty() => {
                    let c = (next() % parts.clients.len() as u64) as usize;
                    parts.clients[c] = 1 + next() % 6;
                }
                _ if p > 0 => {
                    parts.records[r][1] =
                        encode_phone(&format!("{}", next() % 1000), Lifetime::Daily)
                }
                _ => {}
            }
        }
        match judge_with(&parts, &format!("round {round}"), false) {
            Judged::Refused(_) => refused += 1,
            Judged::OtherError(e) => panic!("round {round}: refused with {e}, not InvalidSnapshot"),
            Judged::Accepted => accepted += 1,
            // Only the client list is ever out of form here; the test of
            // client lists below reports that.
            Judged::AcceptedOutOfForm => out_of_form += 1,
        }
    }
    eprintln!(
        "resealed edits: {refused} refused, {accepted} accepted as described, {out_of_form} accepted out of form"
    );
}

/// Every byte of the snapshot part changed, the image's checksum made
/// right: refused, or restored into exactly what the changed part says
/// (the part's own integrity is then what should refuse it; see
/// `what_restore_refuses_the_image_refuses`). Never a panic.
#[test]
fn resealed_part_damage_is_refused_as_invalid_snapshot_or_restores_what_it_says() {
    let (mut refused, mut accepted, mut other) = (0, 0, Vec::new());
    for engine in [small(), rich()] {
        let base = take_apart(&engine.to_image());
        let step = if base.part.len() > 3000 { 7 } else { 1 };
        for at in (0..base.part.len()).step_by(step) {
            for mask in [0x01u8, 0x80] {
                let mut parts = base.clone();
                parts.part[at] ^= mask;
                match judge_with(&parts, &format!("part byte {at} ^ {mask:#04x}"), false) {
                    Judged::Refused(_) => refused += 1,
                    Judged::OtherError(e) => {
                        // What restore says of the same content, as a sealed snapshot.
                        let by_restore = meaning(&parts, false).map(|m| match Engine::restore(m) {
                            Ok(_) => "restore accepts".to_owned(),
                            Err(e) => format!("restore refuses with {}", e.code()),
                        });
                        other.push(format!(
                            "part byte {at} ^ {mask:#04x}: {e} ({by_restore:?})"
                        ))
                    }
                    _ => accepted += 1,
                }
            }
        }
    }
    eprintln!(
        "resealed part damage: {refused} refused, {accepted} accepted into what the part says"
    );
    let mut kinds = std::collections::BTreeMap::new();
    for e in &other {
        let kind: String = e
            .split(": ")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        *kinds.entry(kind).or_insert(0) += 1;
    }
    let mut examples = std::collections::BTreeMap::new();
    for e in &other {
        let kind: String = e
            .split(": ")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        examples.entry(kind).or_insert_with(|| e.clone());
    }
    assert!(
        other.is_empty(),
        "{} resealed images refused with another error than InvalidSnapshot ({kinds:?}), e.g.\n{}",
        other.len(),
        examples.into_values().collect::<Vec<_>>().join("\n")
    );
}
