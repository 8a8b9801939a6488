//! Random dialing profiles, numbers, ZIPs and instants (SPEC 13, 15), run
//! through the dial decision and compared with the naive model of the
//! property tests (`tests/hours_model`): every place's answer, the verdict
//! and the next allowed instant must agree.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/hours_model/mod.rs"]
mod hours_model;

/// Raw picks; the model maps them onto its tables.
#[derive(Arbitrary, Debug)]
struct Input {
    policies: Vec<(u8, u8, bool, bool, Option<(u8, u8)>)>,
    number: u8,
    zip: Option<u8>,
    base: u8,
    /// Up to about 4.6 days after the base instant, in milliseconds.
    offset: u32,
    probes: Vec<u32>,
}

fuzz_target!(|input: Input| {
    let case = hours_model::Case {
        policies: input
            .policies
            .iter()
            .take(8)
            .map(|&(day, region, dnd, dnlm, window)| {
                hours_model::policy_from_picks(day, region, dnd, dnlm, window)
            })
            .collect(),
        number: usize::from(input.number),
        zip: input.zip.map(usize::from),
        base: usize::from(input.base),
        offset_ms: i64::from(input.offset) * 100,
        probes: input
            .probes
            .iter()
            .take(4)
            .map(|&probe| i64::from(probe) * 200)
            .collect(),
    };
    if let Err(disagreement) = hours_model::check(&case) {
        panic!("{disagreement}\n{case:?}");
    }
});
