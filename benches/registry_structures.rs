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
//! - `library_registry`: the registries part's `Registry` (per area code,
//!   bitmaps for dense blocks and Elias-Fano for sparse ones), built from
//!   FTC flat text by `parse_full_list` and `load_full` (each timed);
//! - `vers_elias_fano`: the whole sorted set in `vers-vecs`' Elias-Fano
//!   vector, a lookup being `predecessor(x) == x`;
//! - `roaring`: `roaring::RoaringTreemap`.
//!
//! The synthetic registry is shaped like the real one: numbers only in the
//! in-service geographic US area codes of the crate's NANPA table, in the
//! exchanges with a valid NXX (2-9, not N11), with a density per exchange
//! drawn from a skewed distribution (some exchanges nearly full, many
//! sparse), about one possible number in ten registered at 253M.
//! `DNC_REGISTRY_NUMBERS` sets the size (default 10M; a `--test` smoke run
//! uses 200k). Sizes and build rates are printed before the lookups.
//!
//! The prototypes the library's `src/registry/numbers.rs` grew from
//! (Elias-Fano per block, and hybrids with a fixed threshold) were measured
//! here too and then removed, as the library now holds that code; their
//! README rows are reproduced by `git show fa847ed:benches/registry_structures.rs`.

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use hashbrown::HashSet;

#[path = "support/cycle.rs"]
mod cycle;
#[path = "support/registry_data.rs"]
mod registry_data;

use cycle::cycle;
use registry_data::{lookup_pools, number_count, registry};

/// The directory of the bitmap candidate: for each of the 800,000
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
    let (hits, misses) = lookup_pools(&numbers);

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
    black_box((hashset, bitmaps, library, vers, roaring));
}

criterion_group!(benches, bench);
criterion_main!(benches);
