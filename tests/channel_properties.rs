//! The channel lists against a naive model (SPEC 7 and 9 as plain scans
//! over every entry), on random operation sequences: time zones with and
//! without daylight saving, contact-group mapping changes, bulk creates
//! with invalid records, updates, deletes, paging, finds, and checks at
//! instants around expiry boundaries. Two clients throughout, so that a
//! leak from one tenant to the other shows as a disagreement.

#[cfg(feature = "serde")]
use dnc_engine::Engine;
use proptest::prelude::*;

#[path = "channel_model/mod.rs"]
mod channel_model;

#[cfg(feature = "serde")]
use channel_model::{Model, agree, play, step};
use channel_model::{Op, Record, run};

fn record() -> impl Strategy<Value = Record> {
    (
        0..3u8,
        0..6u8,
        proptest::bool::weighted(0.05),
        proptest::option::of(0..4u8),
        proptest::option::of(0..6u8),
    )
        .prop_map(|(channel, value, wrong_kind, group, expiration)| Record {
            channel,
            value,
            wrong_kind,
            group,
            expiration,
        })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (0..2u8, 0..5u8).prop_map(|(client, zone)| Op::Zone { client, zone }),
        2 => (0..2u8, 0..3u8).prop_map(|(client, group)| Op::AddGroup { client, group }),
        2 => (0..4u8, proptest::option::of(0..4u8)).prop_map(|(service, group)| Op::MapService { service, group }),
        6 => (0..2u8, record(), proptest::option::of(0..100u8)).prop_map(|(client, record, at)| Op::Create { client, record, at }),
        2 => (0..2u8, 0..3u8, proptest::collection::vec(record(), 0..9)).prop_map(|(client, channel, records)| Op::CreateMany { client, channel, records }),
        2 => (0..2u8, any::<u8>(), record()).prop_map(|(client, pick, record)| Op::Update { client, pick, record }),
        // Half the deletes take one of the oldest (lowest) ids of the list.
        2 => (0..2u8, 0..3u8, prop_oneof![0..3u8, any::<u8>()]).prop_map(|(client, channel, pick)| Op::Delete { client, channel, pick }),
        8 => (0..3u8, 0..4u8, 0..6u8, 0..6u8, 0..8u8).prop_map(|(channel, service, value, day, offset)| Op::Check { channel, service, value, day, offset }),
        3 => (0..2u8, 0..3u8, 0..24u8, 1..5u8, proptest::option::of(0..6u8), proptest::option::of(0..4u8))
            .prop_map(|(client, channel, offset, count, needle, group)| Op::Page { client, channel, offset, count, needle, group }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The engine answers every channel operation exactly as the naive model.
    #[test]
    fn channel_lists_agree_with_the_naive_model(ops in proptest::collection::vec(op(), 1..120)) {
        run(ops).map_err(TestCaseError::fail)?;
    }
}

#[cfg(feature = "serde")]
proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Snapshot then restore (through JSON) changes no channel answer and
    /// gives the same snapshot; operations continued on the restored engine
    /// end where the same operations on the original end (ids,
    /// lastModified and all).
    #[test]
    fn channel_lists_survive_snapshot_and_restore(
        before in proptest::collection::vec(op(), 1..40),
        after in proptest::collection::vec(op(), 0..20),
    ) {
        let (mut engine, mut model) = play(before).map_err(TestCaseError::fail)?;
        let text = serde_json::to_string(&engine.snapshot()).unwrap();
        let mut restored = Engine::restore(serde_json::from_str(&text).unwrap()).unwrap();
        restored.validate().map_err(TestCaseError::fail)?;
        prop_assert_eq!(restored.snapshot(), engine.snapshot());
        agree(&restored, &model).map_err(TestCaseError::fail)?;
        let mut twin = Model { ..model.clone() };
        for op in after {
            step(&mut engine, &mut model, op.clone()).map_err(TestCaseError::fail)?;
            step(&mut restored, &mut twin, op).map_err(TestCaseError::fail)?;
        }
        prop_assert_eq!(restored.snapshot(), engine.snapshot());
    }
}
