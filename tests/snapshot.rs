//! Restoring a snapshot (the `serde` feature): corrupted and hostile input is
//! an error, never a panic, never an engine that breaks its invariants.
#![cfg(feature = "serde")]

#[path = "support/instant.rs"]
mod instant;
use dnc_engine::geo::{AreaCode, Country, StateCode};
use dnc_engine::jiff::Timestamp;
use dnc_engine::{
    Account, Channel, ChannelValue, ClientId, ContactGroupId, DayRule, DncError, DncKey, Email,
    Engine, Expiration, FlagUpdate, Lifetime, NewChannelEntry, NewEntry, NewPolicy, NewProfile,
    Phone, PhoneDncType, Region, ServiceId, Snapshot, TimeOfDay, Window,
};
use instant::ms;
use proptest::prelude::*;
use serde_json::{Value, json};

fn sample() -> Engine {
    let mut engine = Engine::new();
    let (client, service) = (ClientId::new(1).unwrap(), ServiceId::new(10).unwrap());
    engine.register_service(client, service).unwrap();
    let phone = Phone::parse("209*******").unwrap();
    engine
        .add_at(
            NewEntry::for_service(service, DncKey::Phone(phone)),
            Some(ms(77)),
        )
        .unwrap();
    let account = Account::parse("Ab1").unwrap();
    let key = DncKey::PhoneAccount(phone, account.clone());
    engine
        .add(NewEntry::for_client(client, key).with_lifetime(Lifetime::Daily))
        .unwrap();
    let update = FlagUpdate {
        do_not_dial: Some(true),
        do_not_dial_daily: None,
    };
    engine.set_account_flags(client, &account, update);
    // The channel lists: a zone, a contact group, a mapped service, and an
    // entry with a group and an expiration in each list.
    engine.set_time_zone(client, "America/Chicago").unwrap();
    engine.set_phone_dnc_type(client, PhoneDncType::DialTime, None);
    let group = ContactGroupId::new(7).unwrap();
    engine.add_contact_group(client, group);
    engine
        .set_service_contact_group(service, Some(group))
        .unwrap();
    for (channel, value) in [
        (
            Channel::Dialtime,
            ChannelValue::Phone(Phone::parse("4155550100").unwrap()),
        ),
        (
            Channel::Sms,
            ChannelValue::Phone(Phone::parse("4155550101").unwrap()),
        ),
        (
            Channel::Email,
            ChannelValue::Email(Email::parse("Jane@Example.com").unwrap()),
        ),
    ] {
        let new = NewChannelEntry::new(value)
            .contact_group(group)
            .expiration(Expiration::parse("2027-03-14").unwrap());
        engine
            .channel_create(channel, client, &new, Some(ms(1_700_000_000_000)))
            .unwrap();
        let plain = NewChannelEntry::new(new.value.clone());
        engine
            .channel_create(channel, client, &plain, None)
            .unwrap();
    }
    // Dialing profiles: a system-wide one, and a client default with a
    // policy of each region kind and a service.
    let new = |client, default, policies| NewProfile {
        client,
        name: "hours".to_owned(),
        description: Some("for the snapshot".to_owned()),
        client_default: default,
        policies,
    };
    engine
        .profile_create(None, new(None, false, vec![]))
        .unwrap();
    let ca = StateCode::parse("CA").unwrap();
    let policies = vec![
        NewPolicy {
            window: Some(
                Window::new(TimeOfDay::parse("09:00").unwrap(), TimeOfDay::END_OF_DAY).unwrap(),
            ),
            ..NewPolicy::new(
                DayRule::Weekday,
                Region::new(None, Some(ca), Some(AreaCode::new(415).unwrap())).unwrap(),
            )
        },
        NewPolicy {
            do_not_dial: true,
            do_not_leave_message: true,
            ..NewPolicy::new(
                DayRule::parse("SUNDAY").unwrap(),
                Region::new(Some(Country::Usa), None, None).unwrap(),
            )
        },
    ];
    let profile = engine
        .profile_create(Some(client), new(Some(client), true, policies))
        .unwrap();
    engine
        .profile_assign_service(Some(client), profile, service)
        .unwrap();
    engine
}

/// Restores an edited snapshot, resealed so that the rule checks (not the
/// checksum) have to refuse what is wrong.
fn restore_json(value: &Value) -> Result<Engine, String> {
    let mut snapshot: Snapshot =
        serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    snapshot.seal();
    Engine::restore(snapshot).map_err(|e| e.to_string())
}

/// Restores an edited snapshot as it is: the damage must be seen.
fn restore_unsealed(value: &Value) -> Result<Engine, String> {
    let snapshot: Snapshot = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    Engine::restore(snapshot).map_err(|e| e.to_string())
}

#[test]
fn a_snapshot_round_trips_through_json() {
    let engine = sample();
    let text = serde_json::to_string(&engine.snapshot()).unwrap();
    let restored = Engine::restore(serde_json::from_str(&text).unwrap()).unwrap();
    restored.validate().unwrap();
    assert_eq!(restored.snapshot(), engine.snapshot());
}

#[test]
fn hostile_snapshots_are_refused_with_a_reason() {
    let good = serde_json::to_value(sample().snapshot()).unwrap();
    let with = |path: &[&str], value: Value| {
        let mut snapshot = good.clone();
        let mut slot = &mut snapshot;
        for step in path {
            slot = match step.parse::<usize>() {
                Ok(index) => &mut slot[index],
                Err(_) => &mut slot[*step],
            };
        }
        *slot = value;
        snapshot
    };
    let cases = [
        (
            "service under two clients",
            with(
                &["services"],
                json!([{"client":1,"service":10},{"client":2,"service":10}]),
            ),
        ),
        (
            "entry scoped to an unknown service",
            with(&["entries", "0", "service"], json!(99)),
        ),
        (
            "entry of another client than its service's",
            with(&["entries", "0", "client"], json!(2)),
        ),
        ("repeated entry id", with(&["entries", "1", "id"], json!(1))),
        ("entry id zero", with(&["entries", "0", "id"], json!(0))),
        (
            "entry id beyond 63 bits",
            with(&["entries", "0", "id"], json!(9223372036854775808u64)),
        ),
        (
            "invalid phone",
            with(&["entries", "0", "key"], json!({"Phone": "12-34"})),
        ),
        (
            "empty phone",
            with(&["entries", "0", "key"], json!({"Phone": ""})),
        ),
        (
            "invalid account",
            with(&["account_flags", "0", "account"], json!("has space")),
        ),
        (
            "unknown key kind",
            with(&["entries", "0", "key"], json!({"Email": "x@y.z"})),
        ),
        ("next id not above every id", with(&["next_id"], json!(2))),
        ("next id beyond 2^63", with(&["next_id"], json!(u64::MAX))),
        (
            "flags twice",
            with(
                &["account_flags"],
                json!([
            {"client":1,"account":"AB1","flags":{"do_not_dial":true,"do_not_dial_daily":false}},
            {"client":1,"account":"ab1","flags":{"do_not_dial":false,"do_not_dial_daily":true}}]),
            ),
        ),
        ("negative count of nothing", with(&["services"], json!(-1))),
        (
            "modification instant of an unknown entry",
            with(&["legacy_modified", "0", "0"], json!(99)),
        ),
        (
            "unknown time zone",
            with(&["channel_clients", "0", "time_zone"], json!("Mars/Base")),
        ),
        (
            "client settings twice",
            with(
                &["channel_clients"],
                json!([{"client":1,"time_zone":"UTC","contact_groups":[7]},
                       {"client":1,"time_zone":"UTC","contact_groups":[7]}]),
            ),
        ),
        (
            "service mapped to an unregistered group",
            with(&["service_groups", "0", "contact_group"], json!(8)),
        ),
        (
            "unknown service mapped",
            with(&["service_groups", "0", "service"], json!(99)),
        ),
        (
            "channel entry with an unregistered group",
            with(&["channel_entries", "0", "contact_group"], json!(8)),
        ),
        (
            "channel entry id repeated in its list",
            with(&["channel_entries", "1", "id"], json!(1)),
        ),
        (
            "phone on the email list",
            with(
                &["channel_entries", "4", "value"],
                json!({"phone": "4155550100"}),
            ),
        ),
        (
            "email on the dialtime list",
            with(
                &["channel_entries", "0", "value"],
                json!({"email": "a@b.co"}),
            ),
        ),
        (
            "invalid email",
            with(
                &["channel_entries", "4", "value"],
                json!({"email": "nobody"}),
            ),
        ),
        (
            "invalid date",
            with(&["channel_entries", "0", "expiration"], json!("2027-02-30")),
        ),
        (
            "list next id not above its ids",
            with(&["channel_lists", "0", "next_id"], json!(2)),
        ),
        (
            "list next id beyond 2^63",
            with(&["channel_lists", "0", "next_id"], json!(u64::MAX)),
        ),
        (
            "a list given twice",
            with(&["channel_lists", "1", "channel"], json!("dialtime")),
        ),
        (
            "unknown list",
            with(&["channel_lists", "0", "channel"], json!("fax")),
        ),
        (
            "profile id repeated",
            with(&["dialing_profiles", "1", "id"], json!(1)),
        ),
        (
            "profile id not below the next one",
            with(&["profile_next_ids", "0"], json!(2)),
        ),
        (
            "policy id not below the next one",
            with(&["profile_next_ids", "1"], json!(1)),
        ),
        (
            "policy id repeated",
            with(&["dialing_profiles", "1", "policies", "1", "id"], json!(1)),
        ),
        (
            "unknown day",
            with(
                &["dialing_profiles", "1", "policies", "0", "day_of_week"],
                json!("FUNDAY"),
            ),
        ),
        (
            "area code outside its state",
            with(
                &["dialing_profiles", "1", "policies", "0", "state"],
                json!("KS"),
            ),
        ),
        (
            "window ending before it starts",
            with(
                &["dialing_profiles", "1", "policies", "0", "window"],
                json!([5000, 10]),
            ),
        ),
        (
            "window beyond 24:00",
            with(
                &["dialing_profiles", "1", "policies", "0", "window"],
                json!([0, 86400001]),
            ),
        ),
        (
            "system-wide client default",
            with(&["dialing_profiles", "0", "client_default"], json!(true)),
        ),
        (
            "a service of another client",
            with(&["dialing_profiles", "1", "client"], json!(2)),
        ),
        (
            "an unknown service",
            with(&["dialing_profiles", "1", "services"], json!([99])),
        ),
        (
            "a service in two profiles",
            with(&["dialing_profiles", "0", "services"], json!([10])),
        ),
        // Issue 10 §6: rules of live changes the restore skipped.
        (
            "an empty profile name",
            with(&["dialing_profiles", "1", "name"], json!("")),
        ),
        (
            "a blank profile name",
            with(&["dialing_profiles", "1", "name"], json!("   ")),
        ),
        (
            "next profile id beyond 2^63",
            with(&["profile_next_ids", "0"], json!(u64::MAX)),
        ),
        (
            "next policy id beyond 2^63",
            with(&["profile_next_ids", "1"], json!(u64::MAX)),
        ),
    ];
    for (name, snapshot) in &cases {
        assert!(restore_json(snapshot).is_err(), "{name} was accepted");
        let unsealed = restore_unsealed(snapshot);
        assert!(unsealed.is_err(), "{name} was accepted unsealed");
    }
    assert!(restore_json(&good).is_ok());
    assert!(restore_unsealed(&good).is_ok());
}

/// Issue 10 §6: a snapshot carries its counts and a checksum, so damage
/// that still parses (an entry moved to another client, a changed id) is
/// refused rather than restored into different data.
#[test]
fn every_one_bit_flip_of_a_binary_snapshot_is_refused_or_harmless() {
    let original = sample().snapshot();
    let bytes = postcard::to_stdvec(&original).unwrap();
    let (mut refused, mut harmless) = (0, 0);
    for bit in 0..bytes.len() * 8 {
        let mut damaged = bytes.clone();
        damaged[bit / 8] ^= 1 << (bit % 8);
        let Ok(snapshot) = postcard::from_bytes::<Snapshot>(&damaged) else {
            refused += 1;
            continue;
        };
        match Engine::restore(snapshot) {
            Err(_) => refused += 1,
            Ok(engine) => {
                // Only a flip that changes nothing the engine holds may pass.
                assert_eq!(
                    engine.snapshot(),
                    original,
                    "bit {bit} restored into other data"
                );
                harmless += 1;
            }
        }
    }
    assert!(refused > 0 && refused + harmless == bytes.len() * 8);
}

#[test]
fn a_damaged_count_or_checksum_is_named() {
    let good = sample().snapshot();
    let mut moved = good.clone();
    moved.entries[0].client = ClientId::new(2).unwrap();
    let reason = Engine::restore(moved).unwrap_err().to_string();
    assert!(reason.contains("checksum"), "{reason}");
    let mut lost = good.clone();
    lost.entries.pop();
    let reason = Engine::restore(lost).unwrap_err().to_string();
    assert!(reason.contains("says 2 entries but holds 1"), "{reason}");
    let mut future = good;
    future.integrity.format = 2;
    let reason = Engine::restore(future).unwrap_err().to_string();
    assert!(reason.contains("format 2"), "{reason}");
}

#[test]
fn restore_errors_name_what_is_wrong() {
    let mut snapshot = sample().snapshot();
    snapshot.next_id = 1;
    snapshot.seal();
    match Engine::restore(snapshot) {
        Err(DncError::InvalidSnapshot { reason }) => {
            assert!(reason.contains("next_id 1"), "{reason}")
        }
        other => panic!("expected InvalidSnapshot, got {other:?}"),
    }
}

/// Versions before instants were `Timestamp`s recorded any `i64` an add
/// carried: their snapshots restore whole, keep those numbers, and answer
/// the nearest instant jiff names.
#[test]
fn an_older_snapshot_with_instants_past_jiffs_range_restores_whole() {
    let mut snapshot = sample().snapshot();
    // LEGACY, so that the legacy list's info may be read too.
    snapshot.channel_clients[0].phone_dnc_type = PhoneDncType::Legacy;
    snapshot.legacy_modified[0].1 = i64::MAX;
    snapshot.legacy_last_modified[0].1 = i64::MAX;
    let sms = snapshot
        .channel_lists
        .iter()
        .position(|list| list.channel == Channel::Sms)
        .unwrap();
    snapshot.channel_lists[sms].last_modified[0].1 = i64::MIN;
    snapshot.seal();
    let engine = Engine::restore(snapshot.clone()).unwrap();
    engine.validate().unwrap();
    assert_eq!(engine.snapshot(), snapshot, "the numbers are kept");
    let client = ClientId::new(1).unwrap();
    let legacy = engine.legacy_info(client).unwrap();
    assert_eq!(legacy.last_modified, Some(Timestamp::MAX));
    let info = engine.channel_info(Channel::Sms, client).unwrap();
    assert_eq!(info.last_modified, Some(Timestamp::MIN));
}

/// A list whose ids are used up (its counter at `2^63`, which only a
/// snapshot can reach in a test) refuses a new entry as exhausted, naming
/// the id it would have given, in both kinds of list; an explicit legacy id
/// is still taken.
#[test]
fn a_list_whose_ids_are_used_up_says_so() {
    let mut snapshot = sample().snapshot();
    let past = 1u64 << 63;
    snapshot.next_id = past;
    for list in &mut snapshot.channel_lists {
        list.next_id = past;
    }
    snapshot.seal();
    let mut engine = Engine::restore(snapshot).unwrap();
    let client = ClientId::new(1).unwrap();
    let phone = Phone::parse("4155550199").unwrap();
    // The sample's client is DIAL_TIME (its legacy list refuses adds): a
    // LEGACY client for the legacy list, the sample's for the channel lists.
    let legacy_service = ServiceId::new(20).unwrap();
    engine
        .register_service(ClientId::new(2).unwrap(), legacy_service)
        .unwrap();
    let exhausted = engine.add(NewEntry::for_service(legacy_service, DncKey::Phone(phone)));
    assert!(
        matches!(exhausted, Err(DncError::IdsExhausted { kind: "entry", next }) if next == past),
        "{exhausted:?}"
    );
    assert_eq!(
        exhausted.unwrap_err().to_string(),
        "invalid entry id \"9223372036854775808 (every id up to 2^63 - 1 has been used)\": \
         expected a positive integer below 2^63"
    );
    for channel in Channel::ALL {
        let value = match channel {
            Channel::Email => ChannelValue::Email(Email::parse("new@example.com").unwrap()),
            _ => ChannelValue::Phone(phone),
        };
        let refused = engine.channel_create(channel, client, &NewChannelEntry::new(value), None);
        assert!(
            matches!(refused, Err(DncError::IdsExhausted { kind: "entry", next }) if next == past),
            "{channel}: {refused:?}"
        );
        assert_eq!(refused.unwrap_err().code(), "invalid_id");
    }
    let mut given = NewEntry::for_service(legacy_service, DncKey::Phone(phone));
    given.id = Some(dnc_engine::EntryId::new(500).unwrap());
    assert_eq!(engine.add(given).unwrap().get(), 500);
    engine.validate().unwrap();
}

proptest! {
    /// Any byte-level corruption of a valid snapshot restores to a valid
    /// engine or is refused; it never panics.
    #[test]
    fn corrupted_snapshots_never_break_the_engine(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        let mut bytes = serde_json::to_vec(&sample().snapshot()).unwrap();
        for (index, byte) in flips {
            let at = index.index(bytes.len());
            bytes[at] = byte;
        }
        if let Ok(snapshot) = serde_json::from_slice::<Snapshot>(&bytes) {
            if let Ok(engine) = Engine::restore(snapshot) {
                prop_assert!(engine.validate().is_ok());
                // What restores is what was saved.
                prop_assert_eq!(engine.snapshot(), sample().snapshot());
            }
        }
    }
}

/// Found by the snapshot law: an account flagged as `B2` and later listed
/// as `b2` came back from a restore spelled `b2` (entries were restored
/// before the flags that carry the first spelling).
#[test]
fn a_restore_keeps_the_first_spelling_of_a_flagged_account() {
    let mut engine = Engine::new();
    let client = ClientId::new(3).unwrap();
    let flag = FlagUpdate {
        do_not_dial: None,
        do_not_dial_daily: Some(true),
    };
    engine.set_account_flags(client, &Account::parse("B2").unwrap(), flag);
    let listed = DncKey::Account(Account::parse("b2").unwrap());
    engine.add(NewEntry::for_client(client, listed)).unwrap();
    let restored = Engine::restore(engine.snapshot()).unwrap();
    assert_eq!(restored.snapshot(), engine.snapshot());
}
