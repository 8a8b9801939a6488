//! Restoring a snapshot (the `serde` feature): corrupted and hostile input is
//! an error, never a panic, never an engine that breaks its invariants.
#![cfg(feature = "serde")]

use dnc_engine::{
    Account, ClientId, DncError, DncKey, Engine, FlagUpdate, Lifetime, NewEntry, Phone, ServiceId,
    Snapshot,
};
use proptest::prelude::*;
use serde_json::{Value, json};

fn sample() -> Engine {
    let mut engine = Engine::new();
    let (client, service) = (ClientId::new(1).unwrap(), ServiceId::new(10).unwrap());
    engine.register_service(client, service).unwrap();
    let phone = Phone::parse("209*******").unwrap();
    engine
        .add(NewEntry::for_service(service, DncKey::Phone(phone)))
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
    engine
}

fn restore_json(value: &Value) -> Result<Engine, String> {
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
    ];
    for (name, snapshot) in cases {
        assert!(restore_json(&snapshot).is_err(), "{name} was accepted");
    }
    assert!(restore_json(&good).is_ok());
}

#[test]
fn restore_errors_name_what_is_wrong() {
    let mut snapshot = sample().snapshot();
    snapshot.next_id = 1;
    match Engine::restore(snapshot) {
        Err(DncError::InvalidSnapshot { reason }) => {
            assert!(reason.contains("next_id 1"), "{reason}")
        }
        other => panic!("expected InvalidSnapshot, got {other:?}"),
    }
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
            }
        }
    }
}
