//! Issue 10 §8: under the `serde` feature the answers are `Serialize`, so an
//! audit log records a verdict and its reasons without mapping them by hand.
#![cfg(feature = "serde")]

use dnc_engine::jiff::Timestamp;
use dnc_engine::{
    Account, ClientId, DialRequest, DncKey, Engine, FlagUpdate, NewEntry, Phone, Query, ServiceId,
};
use serde_json::json;

fn engine() -> (Engine, ServiceId) {
    let (client, service) = (ClientId::new(1).unwrap(), ServiceId::new(10).unwrap());
    let mut engine = Engine::new();
    engine.register_service(client, service).unwrap();
    let phone = Phone::parse("4155550100").unwrap();
    engine
        .add(NewEntry::for_client(client, DncKey::Phone(phone)))
        .unwrap();
    let update = FlagUpdate {
        do_not_dial: Some(true),
        do_not_dial_daily: None,
    };
    engine.set_account_flags(client, &Account::parse("A1").unwrap(), update);
    (engine, service)
}

#[test]
fn a_verdict_serializes_with_every_reason() {
    let (engine, service) = engine();
    let account = Account::parse("a1").unwrap();
    let query = Query::new(service)
        .phone(Phone::parse("4155550100").unwrap())
        .account(&account);
    let verdict = engine.dial_check(&query).unwrap();
    assert_eq!(
        serde_json::to_value(&verdict).unwrap(),
        json!({"blocked": true, "rule": "DIAL_CHECK", "entries": [1],
               "dialtime_entries": [], "account_flags": ["DO_NOT_DIAL"]})
    );
}

#[test]
fn an_error_serializes_as_its_code_and_message() {
    let (engine, _) = engine();
    let unknown = ServiceId::new(99).unwrap();
    let error = engine
        .is_blocked(&Query::new(unknown).phone(Phone::parse("1").unwrap()))
        .unwrap_err();
    let value = serde_json::to_value(&error).unwrap();
    assert_eq!(value["code"], "unknown_service");
    assert_eq!(value["message"], error.to_string());
}

#[test]
fn a_dial_decision_serializes_its_entries_flags_and_hours() {
    let (engine, service) = engine();
    let account = Account::parse("A1").unwrap();
    // 14:00 UTC is 06:00 in San Francisco in December: before 08:00.
    let at: Timestamp = "2026-12-01T14:00:00Z".parse().unwrap();
    let request =
        DialRequest::new(service, Phone::parse("4155550100").unwrap(), at).account(&account);
    let decision = engine.dial_decision(&request).unwrap();
    let value = serde_json::to_value(&decision).unwrap();
    assert_eq!(value["allowed"], false);
    assert_eq!(value["text"], decision.to_string());
    let kinds: Vec<&str> = value["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|reason| reason["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["ENTRY", "FLAG", "HOURS", "LAW"]);
    assert_eq!(value["reasons"][0]["id"], 1);
    assert_eq!(value["reasons"][1]["flag"], "DO_NOT_DIAL");
    let place = &value["reasons"][2]["place"];
    assert_eq!(place["zone"], "America/Los_Angeles");
    assert_eq!(place["state"], "CA");
    assert_eq!(place["local_time"], "2026-12-01T06:00:00");
    // The federal floor says the same, with its citation.
    let law = &value["reasons"][3]["law"];
    assert_eq!(law["law"], "US");
    assert_eq!(law["refusal"], "HOURS");
    assert_eq!(law["window"], "08:00-21:00");
    assert!(
        law["citation"]
            .as_str()
            .unwrap()
            .contains("47 CFR 64.1200(c)(1)")
    );
    assert_eq!(value["law"][0], *law);
    // A permanent entry and a flag never lapse: no next allowed instant.
    assert_eq!(value["next_allowed"], serde_json::Value::Null);
    assert_eq!(value["dnc"]["entries"], json!([1]));
    assert_eq!(value["hours"]["may_dial"], false);
}
