//! One area code's registered numbers, compact: the hybrid the
//! `registry_structures` benchmark chose at 253M numbers (README "Registry
//! structures": 0.88 bytes a number, a hit 0.72x and a miss 0.87x a
//! `hashbrown::HashSet<u64>` probe in the same run).
//!
//! The seven digits after the area code are an exchange (NXX, 200..=999)
//! and a line (0..=9999). Each exchange that holds a number is a *block*:
//! a bitmap of its 10,000 lines (one read answers) or an Elias-Fano list
//! (compact, but a lookup follows a few dependent reads). Which blocks are
//! bitmaps is chosen at build time: the fewest numbers a bitmap block may
//! hold is the smallest of a few thresholds that keeps the whole area code
//! within [`BUDGET_MILLIBYTES`] a number, so the set is as fast as the
//! memory budget allows whatever the density. When no layout fits (a
//! sparse area code: the directory alone is 3.2 KB, and each block has a
//! header), the most compact one is taken: about 30 bytes a number at one
//! number an exchange, more than a `HashSet`; the budget holds for the
//! registry as a whole, whose area codes are dense (at the benchmark's 253M:
//! bitmaps from 500 numbers, 0.80 bytes a number, a miss 1.15x and a hit
//! 0.53x the `HashSet` probe; bitmaps only from 1,142, 0.67 bytes but a miss
//! 2.0x). The words start with the directory (800 `u32` slots, one per
//! exchange: where its block starts, or empty), so a lookup reads the
//! directory and then the block. A block starts with a header word:
//!
//! - bitmap: bit 63 set; the 157 words of the bitmap follow;
//! - Elias-Fano: the count `n` (bits 0..16), the low-bit width `l` (bits
//!   16..24), the number of skip samples `s` (bits 24..40); then the
//!   samples, four `u16` a word (sample `j` is the position of zero number
//!   `64 * (j + 1)` of the upper bits, so a lookup scans at most 64 zeros);
//!   then the upper bits, `n + (9999 >> l) + 1` of them (element `i` sets
//!   bit `(line_i >> l) + i`; a zero ends each bucket); then the `n * l`
//!   low bits.

/// Exchanges of an area code: NXX 200..=999 (a NANP exchange starts with
/// 2-9).
const EXCHANGES: usize = 800;
/// No block for this exchange.
const EMPTY: u32 = u32::MAX;
/// 10,000 bits, rounded up to whole words.
const BITMAP_WORDS: usize = 157;
/// The resident bytes a number may cost, in thousandths (issue 12: at most
/// 1.1 bytes a number); the build keeps a margin under it.
pub(crate) const BUDGET_MILLIBYTES: usize = 1_000;
/// The fewest numbers a bitmap block may hold, tried from the fastest: a
/// bitmap from 10,000 numbers is always the smaller of the two.
const DENSE_THRESHOLDS: [usize; 6] = [300, 500, 800, 1_142, 2_400, 10_001];
/// Words of the directory at the start of `words`: 800 `u32` slots.
const DIRECTORY_WORDS: usize = EXCHANGES / 2;
/// The header bit of a bitmap block.
const BITMAP: u64 = 1 << 63;

/// The registered numbers of one area code.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct AreaNumbers {
    /// The directory (exchange NXX − 200 → the word where its block
    /// starts, or [`EMPTY`]; two slots a word), then the blocks.
    words: Vec<u64>,
    len: usize,
}

impl std::fmt::Debug for AreaNumbers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AreaNumbers")
            .field("len", &self.len)
            .field("bytes", &self.bytes())
            .finish()
    }
}

/// Splits a seven-digit local number into its exchange slot and line; `None`
/// for an exchange outside 200..=999 or a number past seven digits.
#[inline]
fn split(local: u32) -> Option<(usize, u32)> {
    let exchange = (local / 10_000).checked_sub(200)? as usize;
    (exchange < EXCHANGES).then_some((exchange, local % 10_000))
}

impl AreaNumbers {
    /// The set of `locals` (seven-digit numbers, exchange 200..=999), which
    /// must be sorted ascending without repeats (the caller sorts; a debug
    /// build checks).
    pub(crate) fn from_sorted(locals: &[u32]) -> AreaNumbers {
        debug_assert!(locals.windows(2).all(|pair| pair[0] < pair[1]));
        // The exchanges' runs of lines: (exchange, start, end) in `locals`.
        let mut runs: Vec<(usize, usize, usize)> = Vec::new();
        let mut lines: Vec<u32> = Vec::with_capacity(locals.len());
        for (at, &local) in locals.iter().enumerate() {
            let (exchange, line) = split(local).expect("the caller checked the exchange");
            lines.push(line);
            match runs.last_mut() {
                Some((current, _, end)) if *current == exchange => *end = at + 1,
                _ => runs.push((exchange, at, at + 1)),
            }
        }
        // The fastest threshold whose layout fits the budget; when none
        // does (a small area code, where the directory alone is over it),
        // the most compact.
        let budget = locals.len() * BUDGET_MILLIBYTES / 1_000;
        let bytes = |threshold: usize| -> usize {
            let blocks: usize = runs
                .iter()
                .map(|&(_, start, end)| block_words(end - start, threshold))
                .sum();
            (DIRECTORY_WORDS + blocks) * 8
        };
        let dense_from = DENSE_THRESHOLDS
            .into_iter()
            .find(|&threshold| bytes(threshold) <= budget)
            .unwrap_or_else(|| {
                DENSE_THRESHOLDS
                    .into_iter()
                    .min_by_key(|&threshold| bytes(threshold))
                    .expect("thresholds")
            });
        let total = DIRECTORY_WORDS
            + runs
                .iter()
                .map(|&(_, start, end)| block_words(end - start, dense_from))
                .sum::<usize>();
        let mut words = Vec::with_capacity(total);
        words.resize(DIRECTORY_WORDS, 0);
        for slot in 0..EXCHANGES {
            set_slot(&mut words, slot, EMPTY);
        }
        for &(exchange, start, end) in &runs {
            let at = u32::try_from(words.len()).expect("under 2^32 words an area");
            set_slot(&mut words, exchange, at);
            let lines = &lines[start..end];
            if lines.len() >= dense_from {
                push_bitmap(&mut words, lines);
            } else {
                push_elias_fano(&mut words, lines);
            }
        }
        words.shrink_to_fit();
        AreaNumbers {
            words,
            len: locals.len(),
        }
    }

    /// Whether the seven-digit `local` is in the set.
    #[inline]
    pub(crate) fn contains(&self, local: u32) -> bool {
        let Some((exchange, line)) = split(local) else {
            return false;
        };
        let at = slot(&self.words, exchange);
        if at == EMPTY {
            return false;
        }
        let block = &self.words[at as usize..];
        if block[0] & BITMAP != 0 {
            return block[1 + line as usize / 64] & (1 << (line % 64)) != 0;
        }
        elias_fano_contains(block, line)
    }

    /// How many numbers it holds.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The bytes it keeps resident.
    pub(crate) fn bytes(&self) -> usize {
        self.words.len() * 8
    }

    /// Every number, ascending (to apply a change list, which rebuilds).
    pub(crate) fn locals(&self) -> Vec<u32> {
        let mut locals = Vec::with_capacity(self.len);
        for exchange in 0..EXCHANGES {
            let at = slot(&self.words, exchange);
            if at == EMPTY {
                continue;
            }
            let base = (exchange as u32 + 200) * 10_000;
            let block = &self.words[at as usize..];
            if block[0] & BITMAP != 0 {
                for (index, &word) in block[1..=BITMAP_WORDS].iter().enumerate() {
                    let mut bits = word;
                    while bits != 0 {
                        let bit = bits.trailing_zeros();
                        locals.push(base + index as u32 * 64 + bit);
                        bits &= bits - 1;
                    }
                }
            } else {
                let layout = EliasFano::of(block);
                let mut element = 0;
                for bit in 0..layout.upper_bits {
                    if layout.upper[bit / 64] & (1 << (bit % 64)) != 0 {
                        let high = (bit - element) as u32;
                        let low = layout.low(element) as u32;
                        locals.push(base + (high << layout.l | low));
                        element += 1;
                    }
                }
            }
        }
        locals
    }
}

impl AreaNumbers {
    /// The words as the binary form stores them (the directory, then the
    /// blocks).
    pub(crate) fn words(&self) -> &[u64] {
        &self.words
    }

    /// The set whose words are `words`, as [`words`](AreaNumbers::words)
    /// gave them, checked whole so that no lookup or rebuild of it can read
    /// out of bounds or answer a number that is not a seven-digit local
    /// one: the blocks follow each other from the end of the directory in
    /// exchange order and end with the words; a bitmap block has no bit past
    /// line 9999; an Elias-Fano block's header is the one its count gives,
    /// its upper bits hold exactly its count of ones with every bit past
    /// them clear, its skip samples are where the zeros are, and its lines
    /// ascend below 10,000. Why not, else.
    pub(crate) fn from_words(words: Vec<u64>) -> Result<AreaNumbers, &'static str> {
        if words.len() < DIRECTORY_WORDS {
            return Err("an area code shorter than its directory");
        }
        let mut next = DIRECTORY_WORDS;
        let mut len = 0;
        for exchange in 0..EXCHANGES {
            let at = slot(&words, exchange);
            if at == EMPTY {
                continue;
            }
            if at as usize != next {
                return Err("a block that does not start where the one before it ends");
            }
            // A slot may point just past the last word (found by the
            // registry_open fuzz target): no block is there.
            let block = match words.get(next..) {
                Some(block) if !block.is_empty() => block,
                _ => return Err("a block past the end of the words"),
            };
            let (count, size) = if block[0] & BITMAP != 0 {
                check_bitmap(block)?
            } else {
                check_elias_fano(block)?
            };
            len += count;
            next += size;
        }
        if next != words.len() {
            return Err("words after the last block");
        }
        Ok(AreaNumbers { words, len })
    }
}

/// A bitmap block's count of lines and its words.
fn check_bitmap(block: &[u64]) -> Result<(usize, usize), &'static str> {
    if block[0] != BITMAP {
        return Err("a bitmap block header with other bits set");
    }
    let bitmap = block
        .get(1..=BITMAP_WORDS)
        .ok_or("a bitmap block cut short")?;
    // Lines 9984..=9999 are the low 16 bits of the last word.
    if bitmap[BITMAP_WORDS - 1] >> 16 != 0 {
        return Err("a bitmap block with a line past 9999");
    }
    let count: usize = bitmap.iter().map(|word| word.count_ones() as usize).sum();
    if count == 0 {
        return Err("an empty bitmap block");
    }
    Ok((count, 1 + BITMAP_WORDS))
}

/// An Elias-Fano block's count of lines and its words.
fn check_elias_fano(block: &[u64]) -> Result<(usize, usize), &'static str> {
    let header = block[0];
    let n = (header & 0xFFFF) as usize;
    if n == 0 || n > 10_000 {
        return Err("an Elias-Fano block count outside 1..=10000");
    }
    let l = low_width(n);
    let buckets = (9_999usize >> l) + 1;
    let samples = (buckets - 1) / 64;
    if header != n as u64 | (u64::from(l) << 16) | ((samples as u64) << 24) {
        return Err("an Elias-Fano block header its count does not give");
    }
    let size = block_words(n, usize::MAX);
    let block = block.get(..size).ok_or("an Elias-Fano block cut short")?;
    let layout = EliasFano::of(block);
    let upper = &layout.upper[..layout.upper_bits.div_ceil(64)];
    let ones: usize = upper.iter().map(|word| word.count_ones() as usize).sum();
    let tail = layout.upper_bits % 64;
    if ones != n || (tail != 0 && upper[upper.len() - 1] >> tail != 0) {
        return Err("Elias-Fano upper bits that do not hold the block's count");
    }
    // Bits no element uses are clear, so one set has one binary form.
    let low_tail = (n * l as usize) % 64;
    if low_tail != 0 && layout.low[layout.low.len() - 1] >> low_tail != 0 {
        return Err("Elias-Fano low bits past the block's count");
    }
    let sample_lanes = samples % 4;
    if sample_lanes != 0 && block[samples.div_ceil(4)] >> (16 * sample_lanes) != 0 {
        return Err("an Elias-Fano skip sample past the block's count");
    }
    // The lines, word by word: each set bit is an element (its line must
    // ascend below 10,000), and the one zero number 64 (j + 1) a word may
    // hold must be where sample j says.
    let (mut element, mut zeros_before, mut last) = (0usize, 0usize, None);
    for (index, &word) in upper.iter().enumerate() {
        let width = if index + 1 == upper.len() && tail != 0 {
            tail
        } else {
            64
        };
        let zeros_here = width - word.count_ones() as usize;
        let sampled = zeros_before.max(1).div_ceil(64) * 64;
        if sampled < zeros_before + zeros_here && sampled / 64 <= samples {
            let j = sampled / 64 - 1;
            let sample = (block[1 + j / 4] >> (16 * (j % 4))) & 0xFFFF;
            let free = !word & (u64::MAX >> (64 - width));
            let position = select_in_word(free, (sampled - zeros_before) as u32);
            if sample != (index * 64) as u64 + u64::from(position) {
                return Err("an Elias-Fano skip sample that is not where its zero is");
            }
        }
        zeros_before += zeros_here;
        let mut ones = word;
        while ones != 0 {
            let bit = index * 64 + ones.trailing_zeros() as usize;
            let line = ((bit - element) as u64) << l | layout.low(element);
            if line >= 10_000 || last.is_some_and(|last| last >= line) {
                return Err("Elias-Fano lines that do not ascend below 10000");
            }
            last = Some(line);
            element += 1;
            ones &= ones - 1;
        }
    }
    Ok((n, size))
}

/// The directory slot of `exchange`.
#[inline]
fn slot(words: &[u64], exchange: usize) -> u32 {
    (words[exchange / 2] >> (32 * (exchange % 2))) as u32
}

fn set_slot(words: &mut [u64], exchange: usize, at: u32) {
    let shift = 32 * (exchange % 2);
    let word = &mut words[exchange / 2];
    *word = (*word & !(0xFFFF_FFFF << shift)) | (u64::from(at) << shift);
}

/// The words of a block of `n` lines when bitmaps hold `dense_from` or
/// more.
fn block_words(n: usize, dense_from: usize) -> usize {
    if n >= dense_from {
        return 1 + BITMAP_WORDS;
    }
    let l = low_width(n);
    let buckets = (9_999usize >> l) + 1;
    1 + ((buckets - 1) / 64).div_ceil(4)
        + (n + buckets).div_ceil(64)
        + (n * l as usize).div_ceil(64)
}

/// Appends a bitmap block.
fn push_bitmap(words: &mut Vec<u64>, lines: &[u32]) {
    words.push(BITMAP);
    let base = words.len();
    words.resize(base + BITMAP_WORDS, 0);
    for &line in lines {
        words[base + line as usize / 64] |= 1 << (line % 64);
    }
}

/// The low-bit width of a block of `n` lines: floor(log2(10000 / n)).
fn low_width(n: usize) -> u32 {
    (10_000 / n as u32).max(1).ilog2()
}

/// Appends an Elias-Fano block of `lines` (ascending, fewer than 10,000).
fn push_elias_fano(words: &mut Vec<u64>, lines: &[u32]) {
    let n = lines.len();
    let l = low_width(n);
    let buckets = (9_999usize >> l) + 1;
    let samples = (buckets - 1) / 64;
    words.push(n as u64 | (u64::from(l) << 16) | ((samples as u64) << 24));
    let sample_base = words.len();
    words.resize(sample_base + samples.div_ceil(4), 0);
    let upper_bits = n + buckets;
    let upper_words = upper_bits.div_ceil(64);
    let base = words.len();
    words.resize(base + upper_words + (n * l as usize).div_ceil(64), 0);
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
    // Sample j: the position of zero number 64 (j + 1), found word by word
    // (a word holds at most one such zero).
    let mut zeros_before = 0usize;
    for index in 0..upper_words {
        let width = (upper_bits - index * 64).min(64);
        let word = words[base + index];
        let zeros_here = width - word.count_ones() as usize;
        let sampled = zeros_before.max(1).div_ceil(64) * 64;
        if sampled < zeros_before + zeros_here && sampled / 64 <= samples {
            let j = sampled / 64 - 1;
            let free = !word & (u64::MAX >> (64 - width));
            let position = (index * 64) as u64
                + u64::from(select_in_word(free, (sampled - zeros_before) as u32));
            words[sample_base + j / 4] |= position << (16 * (j % 4));
        }
        zeros_before += zeros_here;
    }
}

/// An Elias-Fano block, read from its header.
struct EliasFano<'a> {
    block: &'a [u64],
    l: u32,
    upper: &'a [u64],
    upper_bits: usize,
    low: &'a [u64],
}

impl<'a> EliasFano<'a> {
    #[inline]
    fn of(block: &'a [u64]) -> EliasFano<'a> {
        let header = block[0];
        let n = (header & 0xFFFF) as usize;
        let l = ((header >> 16) & 0xFF) as u32;
        let samples = ((header >> 24) & 0xFFFF) as usize;
        let upper = &block[1 + samples.div_ceil(4)..];
        let upper_bits = n + (9_999 >> l) + 1;
        let low = &upper[upper_bits.div_ceil(64)..];
        EliasFano {
            block,
            l,
            upper,
            upper_bits,
            low,
        }
    }

    /// The low bits of element `element`.
    #[inline]
    fn low(&self, element: usize) -> u64 {
        if self.l == 0 {
            return 0;
        }
        let at = element * self.l as usize;
        let (index, shift) = (at / 64, at % 64);
        let mut value = self.low[index] >> shift;
        if shift + self.l as usize > 64 {
            value |= self.low[index + 1] << (64 - shift);
        }
        value & ((1u64 << self.l) - 1)
    }

    /// Where bucket `high` starts in the upper bits: after its `high`-th
    /// zero, found from the nearest skip sample.
    #[inline]
    fn bucket_start(&self, high: usize) -> usize {
        if high == 0 {
            return 0;
        }
        let zero = high - 1;
        let j = zero / 64;
        if j == 0 {
            return select_zero_from(self.upper, 0, zero) + 1;
        }
        let sample = (self.block[1 + (j - 1) / 4] >> (16 * ((j - 1) % 4))) & 0xFFFF;
        select_zero_from(self.upper, sample as usize, zero - 64 * j) + 1
    }
}

/// Whether the Elias-Fano block `block` holds `line`.
#[inline]
fn elias_fano_contains(block: &[u64], line: u32) -> bool {
    let layout = EliasFano::of(block);
    let high = (line >> layout.l) as usize;
    let want = u64::from(line) & ((1u64 << layout.l) - 1);
    let mut bit = layout.bucket_start(high);
    let mut element = bit - high;
    // The bucket's elements are the ones from `bit` on, ascending.
    while bit < layout.upper_bits && layout.upper[bit / 64] & (1 << (bit % 64)) != 0 {
        let low = layout.low(element);
        if low >= want {
            return low == want;
        }
        element += 1;
        bit += 1;
    }
    false
}

/// The position of the `k`-th (0-based) set bit of `word`, which has more
/// than `k`: halves, quarters and bytes skipped by their counts, then at
/// most seven bits cleared (a lookup's select costs a few steps, not up to
/// 63).
#[inline]
fn select_in_word(mut word: u64, mut k: u32) -> u32 {
    let mut position = 0;
    for width in [32, 16, 8] {
        let low = (word & ((1u64 << width) - 1)).count_ones();
        if k >= low {
            k -= low;
            word >>= width;
            position += width;
        }
    }
    for _ in 0..k {
        word &= word - 1;
    }
    position + word.trailing_zeros()
}

/// The position of the `k`-th (0-based) zero bit of `words` at or after
/// bit `start`.
#[inline]
fn select_zero_from(words: &[u64], start: usize, k: usize) -> usize {
    let mut index = start / 64;
    let mut zeros = !words[index] & (u64::MAX << (start % 64));
    let mut remaining = k;
    loop {
        let count = zeros.count_ones() as usize;
        if remaining < count {
            return index * 64 + select_in_word(zeros, remaining as u32) as usize;
        }
        remaining -= count;
        index += 1;
        zeros = !words[index];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks of every density, both kinds and the edges of a block
    /// (lines 0 and 9999, exchanges 200 and 999) answer as a plain set.
    #[test]
    fn every_density_answers_as_a_plain_set() {
        let mut state = 0x1234_5678_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for per_exchange in [
            1usize, 2, 3, 63, 64, 65, 299, 300, 500, 1_141, 1_142, 2_400, 5_000, 10_000,
        ] {
            let mut locals: Vec<u32> = Vec::new();
            for exchange in [200u32, 555, 999] {
                let mut lines: Vec<u32> = if per_exchange == 10_000 {
                    (0..10_000).collect()
                } else {
                    let mut lines: Vec<u32> = (0..per_exchange)
                        .map(|_| (next() % 10_000) as u32)
                        .collect();
                    lines.extend([0, 9_999]);
                    lines
                };
                lines.sort_unstable();
                lines.dedup();
                locals.extend(lines.iter().map(|line| exchange * 10_000 + line));
            }
            let set = AreaNumbers::from_sorted(&locals);
            assert_eq!(set.len(), locals.len());
            // What the build makes, the binary form's check accepts whole.
            assert_eq!(
                AreaNumbers::from_words(set.words().to_vec()).as_ref(),
                Ok(&set)
            );
            assert_eq!(set.locals(), locals, "{per_exchange} a block round-trips");
            let plain: std::collections::HashSet<u32> = locals.iter().copied().collect();
            for exchange in [199u32, 200, 201, 555, 999] {
                for line in 0..10_000 {
                    let local = exchange * 10_000 + line;
                    assert_eq!(
                        set.contains(local),
                        plain.contains(&local),
                        "{per_exchange} a block: {local}"
                    );
                }
            }
            assert!(!set.contains(10_000_000), "past seven digits");
        }
    }

    /// The select of a word's k-th set bit equals clearing k bits one by one.
    #[test]
    fn select_in_word_is_the_naive_select() {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for round in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let word = match round % 4 {
                0 => state,
                1 => state & (state >> 3),
                2 => state | (state << 5),
                _ => 1 << (state % 64),
            };
            let mut naive = word;
            for k in 0..word.count_ones() {
                assert_eq!(
                    select_in_word(word, k),
                    naive.trailing_zeros(),
                    "{word:#x} {k}"
                );
                naive &= naive - 1;
            }
        }
    }

    /// A skip sample, a header, a line past 9999 or a block out of place is
    /// refused by the binary form's check.
    #[test]
    fn the_binary_form_check_refuses_damaged_blocks() {
        // 400 lines an exchange: Elias-Fano with l = 4, 625 buckets and
        // nine skip samples (below the 1.0-byte budget bitmaps do not fit).
        let locals: Vec<u32> = (200..1_000u32)
            .flat_map(|exchange| (0..400u32).map(move |line| exchange * 10_000 + line * 25))
            .collect();
        let set = AreaNumbers::from_sorted(&locals);
        let words = set.words().to_vec();
        let first = slot(&words, 0) as usize;
        assert_eq!(words[first] & BITMAP, 0, "an Elias-Fano block");
        assert_eq!((words[first] >> 24) & 0xFFFF, 9, "nine samples");
        for (at, change) in [
            (first + 1, 1u64),    // a sample moved by one
            (first + 1, 1 << 20), // the second sample
            (first, 1),           // the count
            (first, 1 << 16),     // the low width
            (0, 1),               // the first block's place
        ] {
            let mut damaged = words.clone();
            damaged[at] ^= change;
            assert!(
                AreaNumbers::from_words(damaged).is_err(),
                "word {at} ^ {change:#x}"
            );
        }
        let mut longer = words.clone();
        longer.push(0);
        assert!(AreaNumbers::from_words(longer).is_err());
        // A directory of one block that starts where the words end.
        let mut past = vec![0u64; DIRECTORY_WORDS];
        for exchange in 0..EXCHANGES {
            set_slot(&mut past, exchange, EMPTY);
        }
        set_slot(&mut past, 0, DIRECTORY_WORDS as u32);
        assert!(AreaNumbers::from_words(past).is_err());
        assert!(AreaNumbers::from_words(words[..DIRECTORY_WORDS - 1].to_vec()).is_err());
        // A bitmap block with a line past 9999.
        let dense: Vec<u32> = (0..10_000u32).map(|line| 2_000_000 + line).collect();
        let mut words = AreaNumbers::from_sorted(&dense).words().to_vec();
        let last = words.len() - 1;
        words[last] |= 1 << 20;
        assert!(AreaNumbers::from_words(words).is_err());
    }

    /// A dense area code gets bitmaps from the lowest threshold the budget
    /// allows, and stays within it; a sparse one stays compact.
    #[test]
    fn the_build_keeps_the_budget_when_a_layout_can() {
        // Every exchange with 3,000 lines: bitmaps everywhere fit.
        let dense: Vec<u32> = (200..1_000u32)
            .flat_map(|exchange| (0..3_000u32).map(move |line| exchange * 10_000 + line * 3))
            .collect();
        let set = AreaNumbers::from_sorted(&dense);
        assert!(set.bytes() <= dense.len() * BUDGET_MILLIBYTES / 1_000);
        assert_eq!(
            set.bytes(),
            (DIRECTORY_WORDS + 800 * (1 + BITMAP_WORDS)) * 8
        );
        // Blocks of 350 lines: bitmaps from 300 would cost 3.6 bytes a
        // number, over the budget; Elias-Fano keeps them near 1.
        let sparse: Vec<u32> = (200..1_000u32)
            .flat_map(|exchange| (0..350u32).map(move |line| exchange * 10_000 + line * 28))
            .collect();
        let set = AreaNumbers::from_sorted(&sparse);
        assert!(
            set.bytes() <= sparse.len() * BUDGET_MILLIBYTES / 1_000,
            "{}",
            set.bytes()
        );
        assert_eq!(set.locals(), sparse);
        for &local in sparse.iter().step_by(7) {
            assert!(set.contains(local) && !set.contains(local + 1));
        }
    }
}
