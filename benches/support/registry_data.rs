//! The synthetic national registry the registry benchmarks share: numbers
//! only in the in-service geographic US area codes of the crate's NANPA
//! table, in every valid NXX (2-9, not N11), with a skewed density per
//! exchange (a few nearly full, most sparse), about one possible number in
//! ten at 253M. `DNC_REGISTRY_NUMBERS` sets the size (default 10M; a
//! `--test` smoke run uses 200k).

// Not every benchmark uses every helper.
#![allow(dead_code)]

use dnc_engine::geo::{AreaCode, Country};
use hashbrown::HashSet;

use crate::cycle::smoke;

/// How many numbers the synthetic registry holds.
pub(crate) fn number_count() -> usize {
    if smoke() {
        return 200_000;
    }
    std::env::var("DNC_REGISTRY_NUMBERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000_000)
}

/// A small deterministic generator (splitmix64), so every run and every
/// candidate sees the same registry and the same lookups.
pub(crate) struct Random(pub(crate) u64);

impl Random {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

/// The exchanges (NPA * 1000 + NXX) numbers may live in: every valid NXX of
/// every in-service geographic US area code.
pub(crate) fn exchanges() -> Vec<u32> {
    let mut exchanges = Vec::new();
    for npa in 200..1000u16 {
        let Ok(code) = AreaCode::new(npa) else {
            continue;
        };
        let info = code.info();
        if !(info.in_service && info.geographic && info.country == Country::Usa) {
            continue;
        }
        for nxx in 200..1000u16 {
            if nxx % 100 == 11 {
                continue;
            }
            exchanges.push(u32::from(npa) * 1000 + u32::from(nxx));
        }
    }
    exchanges
}

/// `count` distinct sorted 10-digit numbers, shaped as the module doc says.
pub(crate) fn registry(count: usize) -> Vec<u64> {
    let exchanges = exchanges();
    let mut random = Random(0x5EED);
    // A skewed weight per exchange (the cube of a uniform draw): a few
    // exchanges nearly full, most sparse, as residential lines are.
    let weights: Vec<f64> = exchanges
        .iter()
        .map(|_| (random.below(1_000_000) as f64 / 1e6).powi(3))
        .collect();
    let total: f64 = weights.iter().sum();
    let mut numbers = Vec::with_capacity(count + count / 8);
    for (exchange, weight) in exchanges.iter().zip(&weights) {
        // Each line number with the exchange's share of `count`, over its
        // 10,000 numbers (at most all of them).
        let share = (weight / total * count as f64 / 10_000.0).min(1.0);
        let threshold = (share * (1u64 << 32) as f64) as u64;
        if threshold == 0 {
            continue;
        }
        for line in 0..10_000u64 {
            if random.next() >> 32 < threshold {
                numbers.push(u64::from(*exchange) * 10_000 + line);
            }
        }
    }
    numbers.truncate(count);
    numbers
}

/// The lookups of a run: a million registered numbers (hits), and a million
/// numbers of the same exchanges that are not registered (misses), as a
/// dialer's call list holds both (4,096 each in a smoke run).
pub(crate) fn lookup_pools(numbers: &[u64]) -> (Vec<u64>, Vec<u64>) {
    let count = numbers.len() as u64;
    let mut random = Random(7);
    let present: HashSet<u64> = numbers.iter().copied().collect();
    let pool_size = if smoke() { 4096 } else { 1 << 20 };
    let hits = (0..pool_size)
        .map(|_| numbers[random.below(count) as usize])
        .collect();
    let misses = (0..pool_size)
        .map(|_| {
            loop {
                let near = numbers[random.below(count) as usize];
                let candidate = near / 10_000 * 10_000 + random.below(10_000);
                if !present.contains(&candidate) {
                    break candidate;
                }
            }
        })
        .collect();
    (hits, misses)
}
