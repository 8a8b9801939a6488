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
