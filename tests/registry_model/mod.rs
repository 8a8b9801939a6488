//! A naive model of a registry copy (a `HashSet<u64>` and the covered area
//! codes with their instants) and the comparison of the engine's
//! `Registry` with it on a sequence of operations: for the property tests,
//! and meant for a registry fuzz target alike.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashSet};

use dnc_engine::Phone;
use dnc_engine::geo::AreaCode;
use dnc_engine::jiff::Timestamp;
use dnc_engine::registry::{Change, ChangeMark, Registry, RegistryAnswer, RegistrySource};

#[path = "../support/model_assert.rs"]
#[macro_use]
mod model_assert;

/// Area codes the operations draw from (small, so loads and changes meet).
pub(crate) const AREA_CODES: [u16; 3] = [212, 416, 999];
/// Exchanges the numbers draw from: the edges and one between.
pub(crate) const EXCHANGES: [u32; 3] = [200, 555, 999];

/// One operation on a registry copy.
#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub(crate) enum Op {
    /// A full list of the numbers picked, covering the area codes picked
    /// (`covered` bit i: `AREA_CODES[i]`; 0: the numbers' own).
    Load {
        covered: u8,
        numbers: Vec<u16>,
        at: u8,
    },
    /// A change list.
    Changes { changes: Vec<(u16, bool)>, at: u8 },
    /// Checks of numbers.
    Check { numbers: Vec<u16> },
}

/// A number from a small code: an area code, an exchange and a line with
/// its edges (0, 9999) likely.
pub(crate) fn number(code: u16) -> u64 {
    let area = u64::from(AREA_CODES[usize::from(code % 3)]);
    let exchange = u64::from(EXCHANGES[usize::from(code / 3 % 3)]);
    let line = match code / 9 % 8 {
        0 => 0,
        1 => 9_999,
        other => u64::from(code / 72) * 37 % 10_000 + u64::from(other),
    };
    area * 10_000_000 + exchange * 10_000 + line
}

fn instant(at: u8) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + i64::from(at) * 86_400).unwrap()
}

/// Runs `ops` on a registry and on the model, comparing every answer.
pub(crate) fn run(ops: &[Op]) -> Result<(), String> {
    let mut registry = Registry::new(RegistrySource::State(
        dnc_engine::geo::StateCode::parse("TX").unwrap(),
    ));
    let mut listed: HashSet<u64> = HashSet::new();
    let mut covered: BTreeMap<u16, Timestamp> = BTreeMap::new();
    for op in ops {
        match op {
            Op::Load {
                covered: mask,
                numbers,
                at,
            } => {
                let mut load: Vec<u64> = numbers.iter().map(|&code| number(code)).collect();
                load.sort_unstable();
                load.dedup();
                let codes: Vec<u16> = (0..3)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| AREA_CODES[i])
                    .collect();
                let area = |n: u64| (n / 10_000_000) as u16;
                let outside = mask & 7 != 0 && load.iter().any(|&n| !codes.contains(&area(n)));
                let replaced: Vec<u16> = if mask & 7 != 0 {
                    codes.clone()
                } else {
                    load.iter().map(|&n| area(n)).collect()
                };
                let older = replaced
                    .iter()
                    .any(|code| covered.get(code).is_some_and(|&copy| copy > instant(*at)));
                let outside = outside || older;
                let given: Vec<AreaCode> =
                    codes.iter().map(|&c| AreaCode::new(c).unwrap()).collect();
                let result =
                    registry.load_full((mask & 7 != 0).then_some(&given[..]), &load, instant(*at));
                prop_assert_eq!(result.is_err(), outside, "{op:?}");
                if outside {
                    continue;
                }
                for code in &replaced {
                    listed.retain(|&n| area(n) != *code);
                    covered.insert(*code, instant(*at));
                }
                listed.extend(load);
            }
            Op::Changes { changes, at } => {
                let records: Vec<Change> = changes
                    .iter()
                    .map(|&(code, add)| Change {
                        number: number(code),
                        mark: if add {
                            ChangeMark::Add
                        } else {
                            ChangeMark::Delete
                        },
                    })
                    .collect();
                let area = |n: u64| (n / 10_000_000) as u16;
                let refused = records
                    .iter()
                    .any(|c| !covered.contains_key(&area(c.number)))
                    || covered.values().any(|&copy| copy > instant(*at));
                let result = registry.apply_changes(&records, instant(*at));
                prop_assert_eq!(result.is_err(), refused, "{op:?}");
                if refused {
                    continue;
                }
                let (mut added, mut deleted, mut unchanged) = (0, 0, 0);
                for change in &records {
                    match change.mark {
                        ChangeMark::Add if listed.insert(change.number) => added += 1,
                        ChangeMark::Delete if listed.remove(&change.number) => deleted += 1,
                        _ => unchanged += 1,
                    }
                }
                let outcome = result.unwrap();
                prop_assert_eq!(
                    (outcome.added, outcome.deleted, outcome.unchanged),
                    (added, deleted, unchanged)
                );
                for copy in covered.values_mut() {
                    *copy = instant(*at);
                }
            }
            Op::Check { numbers } => {
                for &code in numbers {
                    let n = number(code);
                    let phone = Phone::parse(&n.to_string()).unwrap();
                    let area = (n / 10_000_000) as u16;
                    let code = AreaCode::new(area).unwrap();
                    let want = match covered.get(&area) {
                        None => RegistryAnswer::NotCovered {
                            area_code: Some(code),
                        },
                        Some(&obtained) if listed.contains(&n) => RegistryAnswer::Listed {
                            area_code: code,
                            obtained,
                        },
                        Some(&obtained) => RegistryAnswer::NotListed {
                            area_code: code,
                            obtained,
                        },
                    };
                    prop_assert_eq!(registry.check(phone), want, "{n}");
                    prop_assert_eq!(registry.contains(n), listed.contains(&n));
                }
            }
        }
        prop_assert_eq!(registry.len(), listed.len());
        let areas: Vec<(u16, Timestamp, usize)> = registry
            .area_codes()
            .map(|(code, at, count)| (code.get(), at, count))
            .collect();
        let want: Vec<(u16, Timestamp, usize)> = covered
            .iter()
            .map(|(&code, &at)| {
                let count = listed
                    .iter()
                    .filter(|&&n| (n / 10_000_000) as u16 == code)
                    .count();
                (code, at, count)
            })
            .collect();
        prop_assert_eq!(areas, want);
    }
    Ok(())
}
