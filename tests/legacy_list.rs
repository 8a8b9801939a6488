//! SPEC section 9 for the legacy list: pages, finds by type, services and
//! modification instant, and info, against a naive model on random
//! sequences of adds, bulk adds, removes and nightly clears over two
//! clients (so that a page leaking the other tenant's entries fails).

use proptest::prelude::*;

#[path = "legacy_model/mod.rs"]
mod legacy_model;

use legacy_model::{Op, run};

fn op() -> impl Strategy<Value = Op> {
    let at = proptest::option::of(0..50u8);
    prop_oneof![
        6 => (proptest::option::weighted(0.3, any::<u8>()), 0..2u8, proptest::option::of(0..4u8), 0..28u8, any::<bool>(), at.clone())
            .prop_map(|(id, client, service, phone, daily, at)| Op::Add { id, client, service, phone, daily, at }),
        2 => (0..2u8, proptest::collection::vec(0..20u8, 0..6), at.clone())
            .prop_map(|(client, phones, at)| Op::AddMany { client, phones, at }),
        3 => (any::<u8>(), at).prop_map(|(pick, at)| Op::Remove { pick, at }),
        1 => proptest::option::of(0..2u8).prop_map(|client| Op::Clear { client }),
        6 => (0..2u8, 0..40u8, 1..6u8, proptest::option::of(any::<bool>()),
              proptest::option::of(proptest::collection::vec(0..8u8, 0..4)), proptest::option::of(0..50u8))
            .prop_map(|(client, offset, count, daily, services, after)| Op::Page { client, offset, count, daily, services, after }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Pages, finds and info of the legacy list agree with the naive model.
    #[test]
    fn legacy_list_management_agrees_with_the_naive_model(ops in proptest::collection::vec(op(), 1..120)) {
        run(ops).map_err(TestCaseError::fail)?;
    }
}

/// A find's `modifiedAfter` may fall between two milliseconds, and before
/// the epoch: an entry is kept exactly when its instant is later.
#[test]
fn a_find_after_a_fraction_of_a_millisecond_keeps_exactly_the_later_entries() {
    use dnc_engine::jiff::{SignedDuration, Timestamp};
    use dnc_engine::{
        ClientId, DncKey, Engine, LegacyFilter, NewEntry, PageRequest, Phone, ServiceId,
    };
    let (client, service) = (ClientId::new(1).unwrap(), ServiceId::new(10).unwrap());
    let mut engine = Engine::new();
    engine.register_service(client, service).unwrap();
    let millis = [-2, -1, 0, 1];
    for (index, at) in millis.into_iter().enumerate() {
        let phone = Phone::parse(&format!("41555501{index:02}")).unwrap();
        let at = Timestamp::from_millisecond(at).unwrap();
        engine
            .add_at(NewEntry::for_client(client, DncKey::Phone(phone)), Some(at))
            .unwrap();
    }
    let found = |after: Timestamp| -> Vec<i64> {
        let filter = LegacyFilter {
            modified_after: Some(after),
            ..LegacyFilter::default()
        };
        let page = engine
            .legacy_page(client, &filter, PageRequest::new(0, 10).unwrap())
            .unwrap();
        page.entries
            .iter()
            .map(|entry| millis[entry.id.get() as usize - 1])
            .collect()
    };
    let half = SignedDuration::from_micros(500);
    let at = |millis: i64| Timestamp::from_millisecond(millis).unwrap();
    assert_eq!(found(at(-1) - half), [-1, 0, 1], "after -1.5 ms");
    assert_eq!(found(at(-1)), [0, 1], "after -1 ms exactly");
    assert_eq!(found(at(0) + half), [1], "after 0.5 ms");
    assert_eq!(found(at(-2) - half), [-2, -1, 0, 1]);
    assert_eq!(found(at(1)), Vec::<i64>::new());
}
