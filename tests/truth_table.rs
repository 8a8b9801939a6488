//! The reference's example (SPEC 2.1) through the library API: the shared
//! conformance script, replayed line by line, each answer compared as a JSON
//! value with the expected one. (`cli/tests/replay.rs` runs the same fixture
//! through the built `dnc` program.)

use dnc_engine::{
    Account, ClientId, DncKey, Engine, EntryId, NewEntry, Phone, Query, ServiceId, Zip,
};
use serde_json::{Value, json};

const SCRIPT: &str = include_str!("fixtures/truth-table.jsonl");
const EXPECTED: &str = include_str!("fixtures/truth-table.expected.jsonl");

fn id(value: &Value) -> Option<u64> {
    value.as_u64()
}

fn text<'a>(request: &'a Value, field: &str) -> Option<&'a str> {
    request[field].as_str()
}

/// Performs one line of the script with the library and answers as the
/// replay protocol would. Only the ops the fixture uses are needed.
fn perform(engine: &mut Engine, request: &Value) -> Value {
    match request["op"].as_str().unwrap() {
        "add_service" => {
            let client = ClientId::new(id(&request["client"]).unwrap()).unwrap();
            let service = ServiceId::new(id(&request["service"]).unwrap()).unwrap();
            engine.register_service(client, service).unwrap();
            json!({"ok": true})
        }
        "add" => {
            let key = DncKey::from_parts(
                text(request, "phone").map(|p| Phone::parse(p).unwrap()),
                text(request, "account").map(|a| Account::parse(a).unwrap()),
                text(request, "zip").map(|z| Zip::parse(z).unwrap()),
            )
            .unwrap();
            let new = NewEntry {
                id: id(&request["id"]).map(|i| EntryId::new(i).unwrap()),
                client: id(&request["client"]).map(|c| ClientId::new(c).unwrap()),
                service: id(&request["service"]).map(|s| ServiceId::new(s).unwrap()),
                key,
                lifetime: Default::default(),
            };
            json!({"ok": true, "id": engine.add(new).unwrap().get()})
        }
        "is_blocked" => {
            let account = text(request, "account").map(|a| Account::parse(a).unwrap());
            let query = Query {
                service: ServiceId::new(id(&request["service"]).unwrap()).unwrap(),
                client: None,
                phone: text(request, "phone").map(|p| Phone::parse(p).unwrap()),
                account: account.as_ref(),
                zip: text(request, "zip").map(|z| Zip::parse(z).unwrap()),
            };
            let verdict = engine.is_blocked(&query).unwrap();
            let entries: Vec<u64> = verdict.entries().iter().map(|e| e.get()).collect();
            let flags: Vec<&str> = verdict.flags().iter().map(|f| f.as_str()).collect();
            json!({"result": verdict.is_blocked(), "entries": entries, "accountFlags": flags})
        }
        other => panic!("the fixture has an op this harness does not know: {other}"),
    }
}

#[test]
fn reference_example_through_the_library() {
    let mut engine = Engine::new();
    let script: Vec<&str> = SCRIPT.lines().filter(|l| !l.trim().is_empty()).collect();
    let expected: Vec<&str> = EXPECTED.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(script.len(), expected.len(), "one answer per request");
    assert_eq!(script.len(), 20, "the fixture is the whole example");
    for (line, (request, want)) in script.iter().zip(&expected).enumerate() {
        let request: Value = serde_json::from_str(request).unwrap();
        let want: Value = serde_json::from_str(want).unwrap();
        let got = perform(&mut engine, &request);
        assert_eq!(got, want, "line {}: {request}", line + 1);
        engine.validate().unwrap();
    }
}
