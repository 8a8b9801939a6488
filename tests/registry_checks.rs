//! The registries in the engine against a naive model written from the
//! issue's words (`registry_check_model`, shared with the
//! `registry_checks` fuzz target): loads and change lists of three
//! registries, subscriptions of two clients, exemptions of numbers and
//! accounts, checks at the 31-day boundary and at the exemptions' lapse
//! instants, the client's own list winning, snapshot round trips.

use proptest::prelude::*;

#[path = "registry_check_model/mod.rs"]
mod registry_check_model;

use registry_check_model::{At, Op, run};

fn at() -> impl Strategy<Value = At> {
    prop_oneof![
        3 => (0u16..80, any::<u8>()).prop_map(|(day, second)| At::Day { day, second }),
        1 => (0u16..700, any::<u8>()).prop_map(|(day, second)| At::Day { day, second }),
        2 => (any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(index, months, delta)| At::Lapse { index, months, delta }),
        3 => (any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(source, days, second)| At::Copy { source, days, second }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (any::<u8>(), any::<u8>(), proptest::collection::vec(any::<u8>(), 0..12), 0u16..60)
            .prop_map(|(source, covered, numbers, day)| Op::Load { source, covered: covered & 31, numbers, day }),
        1 => (any::<u8>(), proptest::collection::vec((any::<u8>(), any::<bool>()), 0..6), 0u16..60)
            .prop_map(|(source, changes, day)| Op::Changes { source, changes, day }),
        2 => (any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(client, source, area_codes)| Op::Subscribe { client, source, area_codes: area_codes & 31 }),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(client, source)| Op::Unsubscribe { client, source }),
        3 => (any::<u8>(), any::<u8>(), any::<u8>(), 0u16..80, proptest::option::of(0u16..700))
            .prop_map(|(client, subject, kind, day, until)| Op::AddExemption { client, subject, kind, day, until }),
        1 => (any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(client, subject, kind)| Op::RemoveExemption { client, subject, kind }),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(client, number)| Op::AddEntry { client, number }),
        8 => (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), at())
            .prop_map(|(client, number, account, zip, at)| Op::Check { client, number, account, zip, at }),
        1 => Just(Op::RoundTrip),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]

    /// Every registry check and dial decision agrees with the model.
    #[test]
    fn registry_checks_agree_with_the_naive_model(ops in proptest::collection::vec(op(), 1..40)) {
        run(&ops).map_err(TestCaseError::fail)?;
    }
}
