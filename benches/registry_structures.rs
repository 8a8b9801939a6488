//! Which structure should hold a national Do-Not-Call registry (253 million
//! 10-digit numbers)? Issue 12 asks for at most 1.1 bytes a number resident,
//! a lookup within 2x a raw `hashbrown::HashSet<u64>` probe over the same
//! numbers, and a build from sorted numbers fast enough for 50M numbers/s
//! from text. This benchmark measures the candidates side by side, in one
//! run, over the same synthetic registry:
//!
//! - `hashset`: `hashbrown::HashSet<u64>`, the baseline the lookup is held to;
//! - `exchange_bitmap`: one bit per number of every NPA-NXX block that holds
//!   a number (1,256 bytes a block), behind a directory of 800,000 blocks;
//! - `exchange_elias_fano`: each block's line numbers (0..10,000) in
//!   Elias-Fano form (upper bits in unary, lower bits packed), behind the
//!   same directory;
//! - `exchange_hybrid`: per block the cheaper of the two that keeps a
//!   number at most 1.1 bytes: a bitmap from 1,142 numbers a block,
//!   Elias-Fano below;
//! - `library_registry`: the registries part's `Registry`, the hybrid as
//!   the crate ships it (per area code), built from FTC flat text by
//!   `parse_full_list` and `load_full` (each timed);
//! - `vers_elias_fano`: the whole sorted set in `vers-vecs`' Elias-Fano
//!   vector, a lookup being `predecessor(x) == x`;
//! - `roaring`: `roaring::RoaringTreemap`.
//!
//! The synthetic registry is shaped like the real one: numbers only in the
//! in-service geographic US area codes of the crate's NANPA table, in the
//! exchanges with a valid NXX (2-9, not N11), with a density per exchange
//! drawn from a skewed distribution (some exchanges nearly full, many
//! sparse), about one possible number in ten registered at 253M. `DNC_REGISTRY_NUMBERS` sets the size (default 10M; a `--test` smoke
//! run uses 200k). Sizes and build rates are printed before the lookups.

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use dnc_engine::geo::{AreaCode, Country};
use hashbrown::HashSet;

#[path = "support/cycle.rs"]
mod cycle;

use cycle::{cycle, smoke};

/// How many numbers the synthetic registry holds.
fn number_count() -> usize {
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
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

/// The exchanges (NPA * 1000 + NXX) numbers may live in: every valid NXX of
/// every in-service geographic US area code.
fn exchanges() -> Vec<u32> {
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
fn registry(count: usize) -> Vec<u64> {
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

/// The directory of both per-exchange candidates: for each of the 800,000
/// NPA-NXX blocks (NPA 200..=999), where its data starts (`u32::MAX`: empty).
const BLOCKS: usize = 800_000;

fn block_of(number: u64) -> Option<(usize, u32)> {
    let exchange = number / 10_000;
    let block = exchange.checked_sub(200_000)? as usize;
    (block < BLOCKS).then_some((block, (number % 10_000) as u32))
}

/// A bit per number of every block that holds one.
struct ExchangeBitmaps {
    directory: Vec<u32>,
    words: Vec<u64>,
}

/// 10,000 bits, rounded up to whole words.
const BLOCK_WORDS: usize = 157;

impl ExchangeBitmaps {
    fn build(sorted: &[u64]) -> ExchangeBitmaps {
        let mut directory = vec![u32::MAX; BLOCKS];
        let mut words = Vec::new();
        for &number in sorted {
            let (block, line) = block_of(number).expect("a 10-digit number");
            if directory[block] == u32::MAX {
                directory[block] = (words.len() / BLOCK_WORDS) as u32;
                words.resize(words.len() + BLOCK_WORDS, 0);
            }
            let base = directory[block] as usize * BLOCK_WORDS;
            words[base + line as usize / 64] |= 1 << (line % 64);
        }
        ExchangeBitmaps { directory, words }
    }

    #[inline]
    fn contains(&self, number: u64) -> bool {
        let Some((block, line)) = block_of(number) else {
            return false;
        };
        let at = self.directory[block];
        if at == u32::MAX {
            return false;
        }
        let word = self.words[at as usize * BLOCK_WORDS + line as usize / 64];
        word & (1 << (line % 64)) != 0
    }

    fn bytes(&self) -> usize {
        self.directory.len() * 4 + self.words.len() * 8
    }
}

/// Each block's line numbers in Elias-Fano form. A block at `offset` (in
/// words) starts with a header word: the count `n` (bits 0..16), the
/// low-bit width `l` (bits 16..24) and the number of skip samples (bits
/// 24..40); then the samples, four `u16` a word: sample `j` is the position
/// of the upper bits' zero number `64 * (j + 1)`, so a lookup scans at most
/// 64 zeros; then the upper bits, `n + (9999 >> l) + 1` of them (element
/// `i` sets bit `(line_i >> l) + i`, a zero ends each bucket); then the
/// `n * l` low bits.
struct ExchangeEliasFano {
    directory: Vec<u32>,
    words: Vec<u64>,
}

impl ExchangeEliasFano {
    fn build(sorted: &[u64]) -> ExchangeEliasFano {
        let mut directory = vec![u32::MAX; BLOCKS];
        let mut words = Vec::new();
        let mut start = 0;
        while start < sorted.len() {
            let (block, _) = block_of(sorted[start]).expect("a 10-digit number");
            let mut end = start;
            let mut lines = Vec::new();
            while end < sorted.len() && block_of(sorted[end]).map(|(b, _)| b) == Some(block) {
                lines.push(block_of(sorted[end]).unwrap().1);
                end += 1;
            }
            directory[block] = words.len() as u32;
            push_block(&mut words, &lines);
            start = end;
        }
        ExchangeEliasFano { directory, words }
    }

    #[inline]
    fn contains(&self, number: u64) -> bool {
        let Some((block, line)) = block_of(number) else {
            return false;
        };
        let at = self.directory[block];
        if at == u32::MAX {
            return false;
        }
        elias_fano_contains(&self.words[at as usize..], line)
    }

    fn bytes(&self) -> usize {
        self.directory.len() * 4 + self.words.len() * 8
    }
}

/// Whether the Elias-Fano block at the start of `words` holds `line`.
#[inline]
fn elias_fano_contains(words: &[u64], line: u32) -> bool {
    let header = words[0];
    let n = (header & 0xFFFF) as usize;
    let l = ((header >> 16) & 0xFF) as u32;
    let samples = ((header >> 24) & 0xFFFF) as usize;
    let sample_words = samples.div_ceil(4);
    let upper = &words[1 + sample_words..];
    let high = (line >> l) as usize;
    // Bucket `high` starts after the upper bits' `high`-th zero (zeros
    // end the buckets); its elements are the ones that follow.
    let position = if high == 0 {
        0
    } else {
        let zero = high - 1;
        let j = zero / 64;
        if j == 0 {
            select_zero_from(upper, 0, zero) + 1
        } else {
            let sample = (words[1 + (j - 1) / 4] >> (16 * ((j - 1) % 4))) & 0xFFFF;
            select_zero_from(upper, sample as usize, zero - 64 * j) + 1
        }
    };
    let upper_bits = n + (9_999 >> l) + 1;
    let low_start = upper_bits.div_ceil(64);
    let low_mask = (1u64 << l) - 1;
    let want = u64::from(line) & low_mask;
    let mut element = position - high;
    let mut bit = position;
    while bit < upper_bits && upper[bit / 64] & (1 << (bit % 64)) != 0 {
        let low = read_bits(&upper[low_start..], element * l as usize, l);
        if low == want {
            return true;
        }
        if low > want {
            return false;
        }
        element += 1;
        bit += 1;
    }
    false
}

/// The position of the `k`-th (0-based) zero bit of `words` at or after
/// bit `start`.
#[inline]
fn select_zero_from(words: &[u64], start: usize, k: usize) -> usize {
    let mut index = start / 64;
    let mut zeros_word = !words[index] & (u64::MAX << (start % 64));
    let mut remaining = k;
    loop {
        let zeros = zeros_word.count_ones() as usize;
        if remaining < zeros {
            for _ in 0..remaining {
                zeros_word &= zeros_word - 1;
            }
            return index * 64 + zeros_word.trailing_zeros() as usize;
        }
        remaining -= zeros;
        index += 1;
        zeros_word = !words[index];
    }
}

/// `width` bits of `words` from bit `at`.
#[inline]
fn read_bits(words: &[u64], at: usize, width: u32) -> u64 {
    if width == 0 {
        return 0;
    }
    let (index, shift) = (at / 64, at % 64);
    let mut value = words[index] >> shift;
    if shift + width as usize > 64 {
        value |= words[index + 1] << (64 - shift);
    }
    value & ((1u64 << width) - 1)
}

fn push_block(words: &mut Vec<u64>, lines: &[u32]) {
    let n = lines.len();
    let l = if n >= 10_000 {
        0
    } else {
        (10_000 / n as u32).max(1).ilog2()
    };
    let buckets = (9_999usize >> l) + 1;
    let samples = (buckets - 1) / 64;
    words.push(n as u64 | (u64::from(l) << 16) | ((samples as u64) << 24));
    let sample_base = words.len();
    words.resize(sample_base + samples.div_ceil(4), 0);
    let upper_bits = n + buckets;
    let upper_words = upper_bits.div_ceil(64);
    let low_words = (n * l as usize).div_ceil(64);
    let base = words.len();
    words.resize(base + upper_words + low_words, 0);
    let low_mask = (1u64 << l) - 1;
    for (i, &line) in lines.iter().enumerate() {
        let bit = (line >> l) as usize + i;
        words[base + bit / 64] |= 1 << (bit % 64);
        if l > 0 {
            let value = u64::from(line) & low_mask;
            let at = i * l as usize;
            let (index, shift) = (base + upper_words + at / 64, at % 64);
            words[index] |= value << shift;
            if shift + l as usize > 64 {
                words[index + 1] |= value >> (64 - shift);
            }
        }
    }
    // The skip samples: where zero number 64 * (j + 1) of the upper bits is.
    let mut zero = 0;
    for bit in 0..upper_bits {
        if words[base + bit / 64] & (1 << (bit % 64)) == 0 {
            if zero > 0 && zero % 64 == 0 && zero / 64 <= samples {
                let j = zero / 64 - 1;
                words[sample_base + j / 4] |= (bit as u64) << (16 * (j % 4));
            }
            zero += 1;
        }
    }
}
/// The smaller of the two per block: a bitmap where the block is dense
/// enough for its 1,256 bytes to cost at most 1.1 bytes a number (1,142
/// numbers or more), Elias-Fano below. A block's header word says which
/// (bit 63 set: a bitmap of the 157 words that follow).
struct ExchangeHybrid {
    directory: Vec<u32>,
    words: Vec<u64>,
}

/// The count from which a block is a bitmap.
const DENSE_FROM: usize = 1_142;

impl ExchangeHybrid {
    fn build(sorted: &[u64]) -> ExchangeHybrid {
        let mut directory = vec![u32::MAX; BLOCKS];
        let mut words = Vec::new();
        let mut start = 0;
        while start < sorted.len() {
            let (block, _) = block_of(sorted[start]).expect("a 10-digit number");
            let mut end = start;
            let mut lines = Vec::new();
            while end < sorted.len() && block_of(sorted[end]).map(|(b, _)| b) == Some(block) {
                lines.push(block_of(sorted[end]).unwrap().1);
                end += 1;
            }
            directory[block] = words.len() as u32;
            if lines.len() >= DENSE_FROM {
                words.push(1 << 63);
                let base = words.len();
                words.resize(base + BLOCK_WORDS, 0);
                for line in lines {
                    words[base + line as usize / 64] |= 1 << (line % 64);
                }
            } else {
                push_block(&mut words, &lines);
            }
            start = end;
        }
        ExchangeHybrid { directory, words }
    }

    #[inline]
    fn contains(&self, number: u64) -> bool {
        let Some((block, line)) = block_of(number) else {
            return false;
        };
        let at = self.directory[block];
        if at == u32::MAX {
            return false;
        }
        let words = &self.words[at as usize..];
        if words[0] >> 63 == 1 {
            return words[1 + line as usize / 64] & (1 << (line % 64)) != 0;
        }
        elias_fano_contains(words, line)
    }

    fn bytes(&self) -> usize {
        self.directory.len() * 4 + self.words.len() * 8
    }
}

/// Times `build`, prints its rate and the structure's size, and returns it.
fn measured<T>(
    name: &str,
    count: usize,
    build: impl FnOnce() -> T,
    bytes: impl Fn(&T) -> usize,
) -> T {
    let start = Instant::now();
    let built = build();
    let seconds = start.elapsed().as_secs_f64();
    let size = bytes(&built);
    println!(
        "registry_structures {name}: {:.2} bytes/number, built at {:.1}M numbers/s ({:.2} s)",
        size as f64 / count as f64,
        count as f64 / seconds / 1e6,
        seconds
    );
    built
}

fn bench(c: &mut Criterion) {
    let count = number_count();
    let numbers = registry(count);
    let count = numbers.len();
    println!("registry_structures: {count} numbers");
    // Lookups: half registered numbers, half numbers of the same exchanges
    // that are not (a dialer's call list holds both).
    let mut random = Random(7);
    let present: HashSet<u64> = numbers.iter().copied().collect();
    let pool_size = if smoke() { 4096 } else { 1 << 20 };
    let hits: Vec<u64> = (0..pool_size)
        .map(|_| numbers[random.below(count as u64) as usize])
        .collect();
    let misses: Vec<u64> = (0..pool_size)
        .map(|_| {
            loop {
                let near = numbers[random.below(count as u64) as usize];
                let candidate = near / 10_000 * 10_000 + random.below(10_000);
                if !present.contains(&candidate) {
                    break candidate;
                }
            }
        })
        .collect();
    drop(present);

    let hashset = measured(
        "hashset",
        count,
        || numbers.iter().copied().collect::<HashSet<u64>>(),
        |set| set.capacity() * 9 + 16,
    );
    let bitmaps = measured(
        "exchange_bitmap",
        count,
        || ExchangeBitmaps::build(&numbers),
        ExchangeBitmaps::bytes,
    );
    let elias = measured(
        "exchange_elias_fano",
        count,
        || ExchangeEliasFano::build(&numbers),
        ExchangeEliasFano::bytes,
    );
    let hybrid = measured(
        "exchange_hybrid",
        count,
        || ExchangeHybrid::build(&numbers),
        ExchangeHybrid::bytes,
    );
    let vers = measured(
        "vers_elias_fano",
        count,
        || vers_vecs::EliasFanoVec::from_slice(&numbers),
        |ef| ef.heap_size(),
    );
    let roaring = measured(
        "roaring",
        count,
        || roaring::RoaringTreemap::from_sorted_iter(numbers.iter().copied()).unwrap(),
        |map| map.serialized_size(),
    );
    // The library's registry part, built from the FTC flat text as a host
    // would: parsing and loading timed separately.
    let mut text = Vec::with_capacity(numbers.len() * 12);
    for &number in &numbers {
        use std::io::Write;
        writeln!(text, "{},{:07}", number / 10_000_000, number % 10_000_000).unwrap();
    }
    let parsed = measured(
        "library_parse_full_list",
        count,
        || dnc_engine::registry::parse_full_list(&text).unwrap(),
        |parsed| parsed.len() * 8,
    );
    drop(text);
    let library = measured(
        "library_registry",
        count,
        || {
            let mut registry = dnc_engine::registry::Registry::new(
                dnc_engine::registry::RegistrySource::UsNational,
            );
            let obtained = dnc_engine::jiff::Timestamp::UNIX_EPOCH;
            registry.load_full(None, &parsed, obtained).unwrap();
            registry
        },
        dnc_engine::registry::Registry::bytes,
    );
    drop(parsed);
    // Every candidate answers every lookup as the baseline does.
    for &number in hits.iter().chain(&misses) {
        let want = hashset.contains(&number);
        assert_eq!(bitmaps.contains(number), want, "bitmap {number}");
        assert_eq!(elias.contains(number), want, "elias-fano {number}");
        assert_eq!(hybrid.contains(number), want, "hybrid {number}");
        assert_eq!(library.contains(number), want, "library {number}");
        assert_eq!(
            vers.predecessor(number) == Some(number),
            want,
            "vers {number}"
        );
        assert_eq!(roaring.contains(number), want, "roaring {number}");
    }

    let mut group = c.benchmark_group("registry_structures");
    for (kind, pool) in [("hit", &hits), ("miss", &misses)] {
        cycle(&mut group, &format!("hashset/{kind}"), pool, |n| {
            hashset.contains(n)
        });
        cycle(&mut group, &format!("exchange_bitmap/{kind}"), pool, |n| {
            bitmaps.contains(*n)
        });
        cycle(
            &mut group,
            &format!("exchange_elias_fano/{kind}"),
            pool,
            |n| elias.contains(*n),
        );
        cycle(&mut group, &format!("exchange_hybrid/{kind}"), pool, |n| {
            hybrid.contains(*n)
        });
        cycle(&mut group, &format!("library_registry/{kind}"), pool, |n| {
            library.contains(*n)
        });
        cycle(&mut group, &format!("vers_elias_fano/{kind}"), pool, |n| {
            vers.predecessor(*n) == Some(*n)
        });
        cycle(&mut group, &format!("roaring/{kind}"), pool, |n| {
            roaring.contains(*n)
        });
    }
    group.finish();
    black_box((hashset, bitmaps, elias, hybrid, library, vers, roaring));
}

criterion_group!(benches, bench);
criterion_main!(benches);
