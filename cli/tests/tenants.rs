//! Tenant isolation through `dnc replay` (SPEC 10): a principal of client 1,
//! whatever its role and powers, never reads or changes client 2's data,
//! for every operation; and the role rules reach the program.

use dnc_cli::replay::ReplaySession;
use dnc_engine::{Channel, ClientId, Engine};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Client 2's data as the public API shows it: legacy entries, flags,
/// channel entries, lists' info, zone and groups.
fn fingerprint(engine: &Engine) -> String {
    let two = ClientId::new(2).unwrap();
    let mut entries: Vec<String> = engine
        .entries()
        .filter(|e| e.client == two)
        .map(|e| format!("{e:?}"))
        .collect();
    entries.sort();
    let mut flags: Vec<String> = engine
        .all_account_flags()
        .filter(|(client, _, _)| *client == two)
        .map(|(_, account, flags)| format!("{account}:{flags:?}"))
        .collect();
    flags.sort();
    let channels: Vec<String> = Channel::ALL
        .iter()
        .flat_map(|&channel| {
            engine
                .channel_entries(channel)
                .into_iter()
                .filter(|e| e.client == two)
                .map(move |e| format!("{channel}:{e:?}"))
        })
        .collect();
    let infos: Vec<String> = Channel::ALL
        .iter()
        .map(|&channel| format!("{:?}", engine.channel_info(channel, two)))
        .collect();
    let profiles: Vec<String> = engine
        .profiles()
        .filter(|p| p.client == Some(two))
        .map(|p| format!("{p:?}"))
        .collect();
    let service = dnc_engine::ServiceId::new(20).unwrap();
    format!(
        "{entries:?}{flags:?}{channels:?}{infos:?}{}{:?}{:?}{profiles:?}{:?}",
        engine.time_zone(two),
        engine.contact_groups(two),
        engine.service_contact_group(service),
        engine.profile_for_service(service).map(|p| p.map(|p| p.id))
    )
}

/// Client 1 (service 10) and client 2 (service 20) with data of every kind.
fn session() -> ReplaySession {
    let mut session = ReplaySession::new();
    for line in [
        r#"{"op":"add_service","client":1,"service":10}"#,
        r#"{"op":"add_service","client":2,"service":20}"#,
        r#"{"op":"add","id":7,"service":20,"phone":"4155550100","type":"DAILY"}"#,
        r#"{"op":"add","id":8,"client":2,"account":"A1"}"#,
        r#"{"op":"account_flags","client":2,"account":"A1","doNotDial":true}"#,
        r#"{"op":"set_client","client":2,"timeZone":"America/Chicago","phoneDncType":"DIAL_TIME"}"#,
        r#"{"op":"add_contact_group","client":2,"contactGroupId":5}"#,
        r#"{"op":"set_service_contact_group","service":20,"contactGroupId":5}"#,
        r#"{"op":"create","list":"dialtime","client":2,"phone":"4155550100","at":5}"#,
        r#"{"op":"create","list":"sms","client":2,"sms":"4155550100","contactGroupId":5}"#,
        r#"{"op":"create","list":"email","client":2,"email":"a@b.co","expirationDate":"2030-01-01"}"#,
        r#"{"op":"profile_create","client":2,"name":"two","clientDefault":true,"policy":[{"dayOfWeek":"ALL","state":"CA","startTime":"10:00","endTime":"12:00"}]}"#,
        r#"{"op":"profile_add_service","client":2,"id":1,"service":20}"#,
    ] {
        let answer = session.handle_line(line).unwrap();
        assert!(!answer.contains("error"), "{line} -> {answer}");
    }
    session
}

/// Every op of the protocol, aimed at client 2's data (its client, its
/// service, its entry ids).
fn attacks() -> Vec<Value> {
    let mut lines = vec![
        json!({"op":"add_service","client":2,"service":21}),
        json!({"op":"add","service":20,"phone":"4155550199"}),
        json!({"op":"add","client":2,"zip":"94110"}),
        json!({"op":"remove","id":7}),
        json!({"op":"remove","id":8}),
        json!({"op":"account_flags","client":2,"account":"A1","doNotDial":false}),
        json!({"op":"clear_daily","client":2}),
        json!({"op":"clear_daily"}),
        json!({"op":"is_blocked","service":20,"phone":"4155550100"}),
        json!({"op":"dial_check","service":20,"phone":"4155550100"}),
        json!({"op":"set_client","client":2,"timeZone":"UTC"}),
        json!({"op":"add_contact_group","client":2,"contactGroupId":6}),
        json!({"op":"set_service_contact_group","service":20}),
        json!({"op":"check","channel":"phone","service":20,"phone":"4155550100"}),
        json!({"op":"check","channel":"email","service":20,"email":"a@b.co"}),
        json!({"op":"profile_create","client":2,"name":"x"}),
        json!({"op":"profile_read","client":2,"id":1}),
        json!({"op":"profile_update","client":2,"id":1,"name":"x"}),
        json!({"op":"profile_delete","client":2,"id":1}),
        json!({"op":"profile_set_default","client":2,"id":1,"clientDefault":false}),
        json!({"op":"profile_list","client":2,"count":10}),
        json!({"op":"profile_info","client":2}),
        json!({"op":"profile_add_service","client":2,"id":1,"service":20}),
        json!({"op":"profile_remove_service","client":2,"id":1,"service":20}),
        json!({"op":"policy_add","client":2,"id":1,"dayOfWeek":"ALL","state":"NY"}),
        json!({"op":"policy_update","client":2,"id":1,"policy":1,"doNotDial":true}),
        json!({"op":"policy_remove","client":2,"id":1,"policy":1}),
        json!({"op":"dialing_hours","service":20,"phone":"4155550100","at":0}),
        json!({"op":"dial","service":20,"phone":"4155550100","at":0}),
        // Issue 10 §2: a caller-written "client" naming the principal's own
        // client must not open another client's service.
        json!({"op":"set_service_contact_group","service":20,"client":1,"contactGroupId":null}),
        json!({"op":"check","channel":"sms","service":20,"client":1,"sms":"4155550100","at":0}),
        json!({"op":"dial","service":20,"client":1,"phone":"4155550100","at":"2026-06-01T18:00:00Z"}),
        json!({"op":"dialing_hours","service":20,"client":1,"phone":"4155550100","at":0}),
        json!({"op":"is_blocked","service":20,"client":1,"phone":"4155550100"}),
        json!({"op":"add","service":20,"client":1,"phone":"4155550198"}),
        // Every record of a bulk is checked: the records name client 2, the
        // line names the principal's own client.
        json!({"op":"create_many","list":"dnc","client":1,"dncEntries":[
            {"client":2,"phone":"78"},{"service":20,"phone":"79"},{"service":20,"client":1,"phone":"80"}]}),
        json!({"op":"create_many","list":"dnc","dncEntries":[{"client":2,"zip":"94110"}]}),
        json!({"op":"profile_add_service","client":1,"id":1,"service":20}),
        json!({"op":"remove","id":7,"client":1}),
        // Client 1's scope naming client 2's profile: not found.
        json!({"op":"profile_read","client":1,"id":1}),
        json!({"op":"profile_delete","client":1,"id":1}),
        json!({"op":"policy_remove","client":1,"id":1,"policy":1}),
    ];
    for list in ["dialtime", "sms", "email"] {
        let field = match list {
            "dialtime" => "phone",
            other => other,
        };
        let value = if list == "email" {
            "x@y.co"
        } else {
            "4155550123"
        };
        lines.extend([
            json!({"op":"create","list":list,"client":2,field:value}),
            json!({"op":"create_many","list":list,"client":2,"dncEntries":[{field:value}]}),
            json!({"op":"read","list":list,"client":2,"id":1}),
            json!({"op":"update","list":list,"client":2,"id":1,field:value}),
            json!({"op":"delete","list":list,"client":2,"id":1}),
            json!({"op":"list","list":list,"client":2,"count":10}),
            json!({"op":"find","list":list,"client":2,"count":10,"filter":{}}),
            json!({"op":"info","list":list,"client":2}),
        ]);
    }
    lines
}

fn with_principal(line: &Value, role: &str, powers: bool) -> String {
    let mut line = line.clone();
    let powers: Vec<&str> = if powers {
        vec!["EDIT_DNC_LISTS"]
    } else {
        vec![]
    };
    line["as"] = json!({"role": role, "client": 1, "powers": powers});
    line.to_string()
}

const ROLES: [&str; 5] = ["SYSADMIN", "SUPERUSER", "MANAGER", "IT_USER", "AGENT"];

/// The codes a refusal of another tenant's data may carry: another
/// tenant's service is as unknown as a missing one, its ids as absent, and
/// a bulk record naming another client than its list's is not an entry of
/// that list.
const REFUSALS: [&str; 4] = ["forbidden", "not_found", "unknown_service", "invalid_entry"];

/// Whether `answer` refuses the line (or, for a bulk, every record of it)
/// without a word about client 2.
fn refused(answer: &Value) -> bool {
    let text = answer.to_string();
    if text.contains("client 2") || text.contains("A1") || text.contains("Chicago") {
        return false;
    }
    if let Some(code) = answer["error"]["code"].as_str() {
        return REFUSALS.contains(&code);
    }
    // A bulk answers per record: nothing applied, every record refused.
    answer["processedCount"] == json!(0)
        && answer["errors"].as_array().is_some_and(|errors| {
            errors.iter().all(|error| {
                error["code"]
                    .as_str()
                    .is_some_and(|code| REFUSALS.contains(&code))
            })
        })
}

/// The same line aimed at things that do not exist: service 29 for 20,
/// entries 997 and 998 for 7 and 8, profile 999 for 1.
fn ghost(line: &Value) -> Value {
    let mut line = line.clone();
    fn swap(value: &mut Value, field: &str, from: u64, to: u64) {
        if value.get(field) == Some(&json!(from)) {
            value[field] = json!(to);
        }
    }
    swap(&mut line, "service", 20, 29);
    if line["op"] == "remove" {
        swap(&mut line, "id", 7, 997);
        swap(&mut line, "id", 8, 998);
    }
    if line.get("list").is_none() && line["op"].as_str().is_some_and(|op| op.starts_with("p")) {
        swap(&mut line, "id", 1, 999);
    }
    if let Some(records) = line.get_mut("dncEntries").and_then(Value::as_array_mut) {
        for record in records {
            swap(record, "service", 20, 29);
        }
    }
    line
}

#[test]
fn every_operation_on_another_clients_data_is_refused_and_changes_nothing() {
    let attacks = attacks();
    assert_eq!(attacks.len(), 15 + 3 * 8 + 27, "every op, on every list");
    for role in ROLES {
        for powers in [false, true] {
            let mut session = session();
            let before = fingerprint(session.engine());
            for attack in &attacks {
                let line = with_principal(attack, role, powers);
                let answer: Value =
                    serde_json::from_str(&session.handle_line(&line).unwrap()).unwrap();
                assert!(refused(&answer), "{line} -> {answer}");
                // Nothing tells client 2's service or entry from one that
                // does not exist.
                let ghost_line = with_principal(&ghost(attack), role, powers);
                let ghost_answer = session.handle_line(&ghost_line).unwrap();
                let unmasked = ghost_answer
                    .replace("29", "20")
                    .replace("997", "7")
                    .replace("998", "8")
                    .replace("999", "1");
                assert_eq!(
                    answer.to_string(),
                    unmasked,
                    "{line} tells client 2's data from none ({ghost_line})"
                );
            }
            assert_eq!(fingerprint(session.engine()), before, "{role}");
        }
    }
}

proptest! {
    /// Random sequences of those attacks, mixed with the principal's own
    /// client's operations, never change client 2's data and never answer
    /// with it.
    #[test]
    fn random_attacks_never_reach_another_tenant(
        picks in proptest::collection::vec((0usize..66, 0usize..5, any::<bool>(), 0u8..3), 1..40)
    ) {
        let attacks = attacks();
        let mut session = session();
        let before = fingerprint(session.engine());
        for (pick, role, powers, mode) in picks {
            let mut line = attacks[pick % attacks.len()].clone();
            // Mode 0: the attack as it is. Mode 1: the same op on the
            // principal's own client and service (allowed or not, it must
            // not reach client 2 either). Mode 2: only a caller-written
            // "client" claims the principal's own client, while the
            // service, entry or profile named stays client 2's.
            let targets_client_two_data = line.get("service") == Some(&json!(20))
                || (line["op"] == "remove")
                || line["dncEntries"].is_array();
            match mode {
                1 => {
                    for (field, value) in [("client", json!(1)), ("service", json!(10))] {
                        if line.get(field).is_some() {
                            line[field] = value;
                        }
                    }
                    if line["op"] == "remove" {
                        continue;
                    }
                }
                2 => {
                    line["client"] = json!(1);
                }
                _ => {}
            }
            let text = with_principal(&line, ROLES[role], powers);
            let answer = session.handle_line(&text).unwrap();
            let answer: Value = serde_json::from_str(&answer).unwrap();
            if mode == 0 || (mode == 2 && targets_client_two_data && line["op"] != "create_many") {
                prop_assert!(refused(&answer), "{} -> {}", text, answer);
            }
            // Whatever the mode, no answer carries client 2's data.
            let shown = answer.to_string();
            prop_assert!(!shown.contains("A1") && !shown.contains("Chicago"), "{} -> {}", text, answer);
        }
        prop_assert_eq!(fingerprint(session.engine()), before);
    }
}

#[test]
fn roles_reach_the_program() {
    let mut session = session();
    let answer = |session: &mut ReplaySession, line: Value| -> Value {
        serde_json::from_str(&session.handle_line(&line.to_string()).unwrap()).unwrap()
    };
    let agent = json!({"role":"AGENT","client":2});
    let manager = json!({"role":"MANAGER","client":2});
    let editor = json!({"role":"MANAGER","client":2,"powers":["EDIT_DNC_LISTS"]});
    let it = json!({"role":"IT_USER","client":2});
    let cases = [
        (
            json!({"op":"create","list":"sms","client":2,"sms":"4155550111","as":agent}),
            None,
        ),
        (
            json!({"op":"read","list":"sms","client":2,"id":1,"as":agent}),
            None,
        ),
        (
            json!({"op":"delete","list":"sms","client":2,"id":1,"as":agent}),
            Some("forbidden"),
        ),
        (
            json!({"op":"create_many","list":"sms","client":2,"dncEntries":[],"as":agent}),
            Some("forbidden"),
        ),
        (
            json!({"op":"is_blocked","service":20,"phone":"4155550100","as":manager}),
            None,
        ),
        (
            json!({"op":"info","list":"sms","client":2,"as":manager}),
            Some("forbidden"),
        ),
        (
            json!({"op":"info","list":"sms","client":2,"as":editor}),
            None,
        ),
        (
            json!({"op":"add_service","client":2,"service":22,"as":editor}),
            Some("forbidden"),
        ),
        (
            json!({"op":"is_blocked","service":20,"phone":"4155550100","as":it}),
            Some("forbidden"),
        ),
        (
            json!({"op":"info","list":"sms","client":2,"as":{"role":"AGENT"}}),
            Some("bad_request"),
        ),
        (
            json!({"op":"info","list":"sms","client":2,"as":"AGENT"}),
            Some("bad_request"),
        ),
        // bad_request wins over forbidden.
        (
            json!({"op":"delete","list":"sms","client":2,"as":agent}),
            Some("bad_request"),
        ),
    ];
    for (line, expected) in cases {
        let got = answer(&mut session, line.clone());
        assert_eq!(got["error"]["code"].as_str(), expected, "{line} -> {got}");
    }
}

/// A system-wide profile is visible to every client, but the services other
/// tenants assigned to it are not.
#[test]
fn a_system_wide_profile_shows_each_client_only_its_own_services() {
    let mut session = session();
    for line in [
        r#"{"op":"add_service","client":2,"service":21}"#,
        r#"{"op":"profile_create","name":"federal hours"}"#,
        r#"{"op":"profile_add_service","id":2,"service":21}"#,
        r#"{"op":"profile_add_service","id":2,"service":10}"#,
    ] {
        let answer = session.handle_line(line).unwrap();
        assert!(!answer.contains("error"), "{line} -> {answer}");
    }
    let read = |session: &mut ReplaySession, client: u64| -> Value {
        let line = json!({"op":"profile_read","client":client,"id":2,
                          "as":{"role":"IT_USER","client":client}});
        serde_json::from_str(&session.handle_line(&line.to_string()).unwrap()).unwrap()
    };
    assert_eq!(read(&mut session, 1)["service"], json!([{"id": 10}]));
    assert_eq!(read(&mut session, 2)["service"], json!([{"id": 21}]));
}
