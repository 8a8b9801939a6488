//! Laws of the engine, checked on random operation sequences against the
//! naive model in `model/mod.rs`.

mod model;

use dnc_engine::{ClientId, Engine};
use model::{Model, Op, Parts, apply, sweep};
use proptest::option;
use proptest::prelude::*;

fn parts() -> impl Strategy<Value = Parts> {
    // Masks 1..8 include the refused key combinations (phone + zip, …) and,
    // for checks, every request shape.
    (1u8..8, any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(mask, phone, account, zip)| Parts {
        mask,
        phone,
        account,
        zip,
    })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (any::<u8>(), any::<u8>()).prop_map(|(client, service)| Op::Register { client, service }),
        8 => (
            option::weighted(0.5, any::<u8>()),
            option::weighted(0.5, any::<u8>()),
            option::weighted(0.7, any::<u8>()),
            parts(),
            any::<bool>(),
        )
            .prop_map(|(id, client, service, parts, daily)| Op::Add { id, client, service, parts, daily }),
        2 => any::<u8>().prop_map(|id| Op::Remove { id }),
        2 => (any::<u8>(), any::<u8>(), option::of(any::<bool>()), option::of(any::<bool>())).prop_map(
            |(client, account, do_not_dial, do_not_dial_daily)| Op::Flags {
                client,
                account,
                do_not_dial,
                do_not_dial_daily,
            }
        ),
        1 => option::of(any::<u8>()).prop_map(|client| Op::ClearDaily { client }),
        1 => (any::<u8>(), any::<u8>(), parts(), any::<bool>())
            .prop_map(|(service, count, parts, daily)| Op::Flood { service, count, parts, daily }),
        5 => (any::<u8>(), option::weighted(0.2, any::<u8>()), parts(), any::<bool>()).prop_map(
            |(service, client, parts, wildcards)| Op::Check { service, client, parts, wildcards }
        ),
    ]
}

fn ops(max: usize) -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(op(), 1..max)
}

/// Runs `ops` on a fresh engine and model, checking agreement and the index
/// invariants after every operation.
fn run(ops: &[Op]) -> Result<(Engine, Model), TestCaseError> {
    let (mut engine, mut model) = (Engine::new(), Model::default());
    for op in ops {
        apply(&mut engine, &mut model, op).map_err(TestCaseError::fail)?;
        engine
            .validate()
            .map_err(|e| TestCaseError::fail(format!("after {op:?}: {e}")))?;
    }
    Ok((engine, model))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// The engine answers exactly what a scan over all entries answers, for
    /// both rules, after any sequence of changes; its indexes never go stale.
    #[test]
    fn engine_agrees_with_naive_model(ops in ops(80)) {
        let (engine, model) = run(&ops)?;
        sweep(&engine, &model).map_err(TestCaseError::fail)?;
        prop_assert_eq!(engine.len(), model.entries.len());
        prop_assert_eq!(engine.next_id(), model.next_id.max(1));
    }

    /// One client's entries and flags never change another client's answers:
    /// an engine that saw every client's operations answers client 1 exactly
    /// as one that saw only client 1's.
    #[test]
    fn clients_are_isolated(ops in ops(80)) {
        let client_one = ClientId::new(1).unwrap();
        let (mut all, mut all_model) = (Engine::new(), Model::default());
        let (mut one, mut one_model) = (Engine::new(), Model::default());
        for op in &ops {
            let op = match op.clone() {
                // Services are global: give each service one fixed client so
                // that no registration elsewhere can refuse one here.
                Op::Register { service, .. } => Op::Register { client: service % 7 % 3, service },
                // Ids are global too: use explicit ids, and skip one already
                // held by an entry of another client.
                Op::Add { id, client, service, parts, daily } => {
                    Op::Add { id: Some(id.unwrap_or(0)), client, service, parts, daily }
                }
                // Its assigned ids would differ between the two engines.
                Op::Flood { .. } => continue,
                other => other,
            };
            let owner = op.client_of(&all_model);
            if let Op::Add { id: Some(id), .. } = &op {
                let id = u64::from(id % 16) + 1;
                if all_model.entries.iter().any(|e| e.id.get() == id && Some(e.client) != owner) {
                    continue;
                }
            }
            apply(&mut all, &mut all_model, &op).map_err(TestCaseError::fail)?;
            let touches_one = match &op {
                Op::ClearDaily { client: None } => true,
                _ => owner == Some(client_one),
            };
            if touches_one {
                apply(&mut one, &mut one_model, &op).map_err(TestCaseError::fail)?;
            }
        }
        // Every client-1 request must get the same answer from both engines.
        for parts in model::all_parts() {
            for (client, service) in all.services().filter(|(c, _)| *c == client_one) {
                let account = parts_account(&parts);
                let query = dnc_engine::Query {
                    service,
                    client: Some(client),
                    phone: parts_phone(&parts),
                    account: account.as_ref(),
                    zip: None,
                };
                prop_assert_eq!(all.is_blocked(&query), one.is_blocked(&query));
                prop_assert_eq!(all.dial_check(&query), one.dial_check(&query));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// A batch answers exactly what the same checks one by one answer, in
    /// order, errors included, for both rules.
    #[test]
    fn batches_answer_as_single_checks(ops in ops(60), services in prop::collection::vec(0u8..9, 1..40)) {
        let (engine, _) = run(&ops)?;
        let accounts: Vec<Option<dnc_engine::Account>> = model::all_parts().iter().map(parts_account).collect();
        let all = model::all_parts();
        let mut queries = Vec::new();
        for (i, (parts, account)) in all.iter().zip(&accounts).enumerate() {
            let service = dnc_engine::ServiceId::new(u64::from(services[i % services.len()]) + 10).unwrap();
            queries.push(dnc_engine::Query {
                service,
                client: None,
                phone: parts_any_phone(parts),
                account: account.as_ref(),
                zip: None,
            });
        }
        let mut verdicts = Vec::new();
        engine.is_blocked_batch(&queries, &mut verdicts);
        let single: Vec<_> = queries.iter().map(|q| engine.is_blocked(q)).collect();
        prop_assert_eq!(&verdicts, &single);
        engine.dial_check_batch(&queries, &mut verdicts);
        let single: Vec<_> = queries.iter().map(|q| engine.dial_check(q)).collect();
        prop_assert_eq!(&verdicts, &single);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// `add_many` answers and ends exactly as one `add` per entry in order:
    /// the same ids, the same refusals, the same engine afterwards.
    #[test]
    fn add_many_is_sequential_adds(before in ops(30), batch in prop::collection::vec(op(), 0..40)) {
        let (mut bulk, _) = run(&before)?;
        let mut single = bulk.clone();
        let entries: Vec<dnc_engine::NewEntry> = batch
            .iter()
            .filter_map(|op| match op {
                Op::Add { id, client, service, parts, daily } => model::new_entry(*id, *client, *service, parts, *daily),
                _ => None,
            })
            .collect();
        let one_by_one: Vec<_> = entries.iter().map(|e| single.add(e.clone())).collect();
        let together = bulk.add_many(entries).results();
        prop_assert_eq!(&together, &one_by_one);
        bulk.validate().map_err(TestCaseError::fail)?;
        prop_assert_eq!(bulk.next_id(), single.next_id());
        // The same entries, so the same answers.
        for entry in single.entries() {
            prop_assert_eq!(bulk.entry(entry.id), Some(entry));
        }
        prop_assert_eq!(bulk.len(), single.len());
    }
}

/// The phone of `parts`, wildcards included (the dial check refuses those).
fn parts_any_phone(parts: &Parts) -> Option<dnc_engine::Phone> {
    let text = model::PHONES[usize::from(parts.phone) % model::PHONES.len()];
    (parts.mask & 1 != 0).then(|| dnc_engine::Phone::parse(text).unwrap())
}

fn parts_phone(parts: &Parts) -> Option<dnc_engine::Phone> {
    let text = model::PHONES[usize::from(parts.phone) % model::PHONES.len()];
    (parts.mask & 1 != 0 && !text.contains('*')).then(|| dnc_engine::Phone::parse(text).unwrap())
}

fn parts_account(parts: &Parts) -> Option<dnc_engine::Account> {
    let text = model::ACCOUNTS[usize::from(parts.account) % model::ACCOUNTS.len()];
    (parts.mask & 2 != 0).then(|| dnc_engine::Account::parse(text).unwrap())
}

#[cfg(feature = "serde")]
proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Snapshot then restore changes no answer, and the restored engine goes
    /// on exactly as the original would (same assigned ids, same answers).
    #[test]
    fn snapshot_then_restore_changes_no_answer(before in ops(60), after in ops(30)) {
        let (engine, model) = run(&before)?;
        let text = serde_json::to_string(&engine.snapshot()).unwrap();
        let snapshot: dnc_engine::Snapshot = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&snapshot, &engine.snapshot());
        let mut restored = Engine::restore(snapshot).unwrap();
        restored.validate().map_err(TestCaseError::fail)?;
        prop_assert_eq!(restored.snapshot(), engine.snapshot());
        sweep(&restored, &model).map_err(TestCaseError::fail)?;
        let mut model = model;
        for op in &after {
            apply(&mut restored, &mut model, op).map_err(TestCaseError::fail)?;
        }
        sweep(&restored, &model).map_err(TestCaseError::fail)?;
    }
}
