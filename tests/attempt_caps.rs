//! Issue 13: the contact caps in the engine against the naive model of
//! `attempts_model` (shared with the `attempt_streams` fuzz target), on
//! random attempt streams of two clients across the 2026 DST change:
//! Regulation F for collectors, the state caps, client rules with rolling
//! and calendar windows and locks, trims, snapshot round trips; every
//! refusal, its count and debt, and the next allowed instant against a
//! minute-by-minute search.

use proptest::prelude::*;

#[path = "attempts_model/mod.rs"]
mod attempts_model;

use attempts_model::{Op, run};

/// Minutes clustered in a few days so that windows fill, or spread over
/// the whole span.
fn minute() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => (0u16..6, 0u16..1440).prop_map(|(day, minute)| 6 * 1440 + day * 1440 / 2 + minute),
        1 => 0u16..(20 * 1440),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (any::<u8>(), prop::bool::weighted(0.7)).prop_map(|(client, on)| Op::Collector { client, on }),
        10 => (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), minute(), prop::bool::weighted(0.2), any::<u8>(), prop::option::weighted(0.1, any::<u16>()))
            .prop_map(|(client, number, person, debts, minute, sms, outcome, consent)| Op::Attempt { client, number, person, debts, minute, sms, outcome, consent }),
        2 => (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), prop::option::weighted(0.4, any::<u8>()), any::<u8>(), prop::option::weighted(0.4, any::<u8>()))
            .prop_map(|(client, key, outcomes, channels, span, calendar, limit, lock_hours)| Op::AddRule { client, key, outcomes, channels, span, calendar, limit, lock_hours }),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(client, index)| Op::RemoveRule { client, index }),
        1 => (0u16..(20 * 1440)).prop_map(|minute| Op::Trim { minute }),
        6 => (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), minute(), prop::bool::weighted(0.2), prop::option::weighted(0.1, any::<u16>()))
            .prop_map(|(client, number, person, debts, minute, sms, consent)| Op::Decide { client, number, person, debts, minute, sms, consent }),
        1 => Just(Op::RoundTrip),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn the_caps_agree_with_the_naive_model(ops in prop::collection::vec(op(), 1..60)) {
        if let Err(disagreement) = run(&ops) {
            prop_assert!(false, "{}", disagreement);
        }
    }
}
