//! Ordered sets of ids that answer "the n-th id" and "how many ids are
//! below this one" in O(log n), and change in O(log n + a chunk): the
//! per-client (and per-service, per-group) id lists behind every page.
//!
//! A set is a run of sorted chunks of at most [`CHUNK`] ids. A chunk whose
//! ids lie within 2^32 of its first keeps them as `u32` offsets (4 bytes an
//! id: ids are dense in practice), else as plain `u64`s. A Fenwick tree over
//! the chunk lengths turns a position into a chunk and back. Appending an
//! id above all others (the engine's assigned ids) only pushes; an insert
//! or delete elsewhere moves at most one chunk's ids, so no change costs in
//! proportion to the set. A chunk that fills is split, one that shrinks
//! below a quarter is merged with or refilled from a neighbour (keeping the
//! chunk count within `4n / CHUNK`), and only those rare structural changes
//! rebuild the tree, O(n / CHUNK).
//!
//! [`union_page`] pages through several disjoint sets as one, and
//! [`Merged`] walks them in ascending order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The most ids a chunk holds. Small in debug builds, so that the property
/// tests (a few dozen entries) split, merge and refill chunks too.
pub(crate) const CHUNK: usize = if cfg!(debug_assertions) { 8 } else { 512 };

/// A chunk below this many ids is merged with or refilled from a neighbour.
const MIN_FILL: usize = CHUNK / 4;

/// One sorted run of ids.
#[derive(Clone, Debug)]
enum Chunk {
    /// Ids `base + offset`, ascending.
    Narrow { base: u64, offsets: Vec<u32> },
    /// Ids that do not fit within 2^32 of one base.
    Wide(Vec<u64>),
}

impl Chunk {
    fn one(id: u64) -> Chunk {
        Chunk::Narrow {
            base: id,
            offsets: vec![0],
        }
    }

    /// A chunk of sorted, distinct ids, narrow when they fit.
    fn of_sorted(ids: Vec<u64>) -> Chunk {
        Chunk::narrow_of(&ids).unwrap_or(Chunk::Wide(ids))
    }

    /// The narrow chunk of sorted, distinct ids, if they fit in one.
    fn narrow_of(ids: &[u64]) -> Option<Chunk> {
        let (first, last) = (ids[0], ids[ids.len() - 1]);
        (last - first <= u64::from(u32::MAX)).then(|| Chunk::Narrow {
            base: first,
            offsets: ids.iter().map(|&id| (id - first) as u32).collect(),
        })
    }

    /// [`of_sorted`](Self::of_sorted) of ids that stay where they are (a
    /// narrow chunk copies them anyway).
    #[cfg(feature = "serde")]
    fn of_sorted_slice(ids: &[u64]) -> Chunk {
        Chunk::narrow_of(ids).unwrap_or_else(|| Chunk::Wide(ids.to_vec()))
    }

    fn len(&self) -> usize {
        match self {
            Chunk::Narrow { offsets, .. } => offsets.len(),
            Chunk::Wide(ids) => ids.len(),
        }
    }

    fn get(&self, i: usize) -> u64 {
        match self {
            Chunk::Narrow { base, offsets } => base + u64::from(offsets[i]),
            Chunk::Wide(ids) => ids[i],
        }
    }

    fn last(&self) -> u64 {
        self.get(self.len() - 1)
    }

    /// Where `id` is (`Ok`) or would go (`Err`).
    fn search(&self, id: u64) -> Result<usize, usize> {
        match self {
            Chunk::Narrow { base, offsets } => {
                if id < *base {
                    return Err(0);
                }
                match u32::try_from(id - base) {
                    Ok(offset) => offsets.binary_search(&offset),
                    Err(_) => Err(offsets.len()),
                }
            }
            Chunk::Wide(ids) => ids.binary_search(&id),
        }
    }

    fn to_vec(&self) -> Vec<u64> {
        (0..self.len()).map(|i| self.get(i)).collect()
    }

    /// Inserts `id` at position `at` (where [`search`](Self::search) put it).
    fn insert(&mut self, at: usize, id: u64) {
        if let Chunk::Narrow { base, offsets } = self {
            if id >= *base {
                if let Ok(offset) = u32::try_from(id - *base) {
                    offsets.insert(at, offset);
                    return;
                }
            } else {
                // A new smallest id: rebase, if the last one still fits.
                let shift = *base - id;
                let last = u64::from(offsets[offsets.len() - 1]);
                if let Ok(shift32) = u32::try_from(shift) {
                    if last + shift <= u64::from(u32::MAX) {
                        for offset in offsets.iter_mut() {
                            *offset += shift32;
                        }
                        *base = id;
                        offsets.insert(0, 0);
                        return;
                    }
                }
            }
            *self = Chunk::Wide(self.to_vec());
        }
        if let Chunk::Wide(ids) = self {
            ids.insert(at, id);
        }
    }

    fn remove(&mut self, at: usize) {
        match self {
            Chunk::Narrow { offsets, .. } => {
                offsets.remove(at);
            }
            Chunk::Wide(ids) => {
                ids.remove(at);
            }
        }
    }

    /// Splits off the ids from position `at` on.
    fn split_off(&mut self, at: usize) -> Chunk {
        match self {
            Chunk::Narrow { base, offsets } => Chunk::Narrow {
                base: *base,
                offsets: offsets.split_off(at),
            },
            Chunk::Wide(ids) => Chunk::Wide(ids.split_off(at)),
        }
    }
}

/// Builds an [`IdSet`] from ids given in strictly ascending order, a chunk
/// at a time (full chunks, as appending them one by one would make, without
/// the per-id tree updates or a list of them all): how a restore builds its
/// id lists.
// Only a snapshot restore builds id lists this way.
#[cfg(feature = "serde")]
#[derive(Clone, Debug, Default)]
pub(crate) struct AscendingIds {
    chunks: Vec<Chunk>,
    /// The chunk being filled.
    current: Vec<u64>,
    len: usize,
}

#[cfg(feature = "serde")]
impl AscendingIds {
    /// Adds `id`, above every id given so far.
    pub(crate) fn push(&mut self, id: u64) {
        debug_assert!(self.current.last().is_none_or(|&last| last < id));
        self.current.push(id);
        self.len += 1;
        if self.current.len() == CHUNK {
            self.chunks.push(Chunk::of_sorted_slice(&self.current));
            self.current.clear();
        }
    }

    /// The set of every id pushed.
    pub(crate) fn finish(mut self) -> IdSet {
        if !self.current.is_empty() {
            self.chunks.push(Chunk::of_sorted_slice(&self.current));
        }
        let mut set = IdSet {
            chunks: self.chunks,
            tree: Vec::new(),
            lasts: Vec::new(),
            len: self.len,
        };
        set.rebuild_tree();
        set
    }
}

/// An ordered set of ids (any `u64`s) with rank and select.
#[derive(Clone, Debug, Default)]
pub(crate) struct IdSet {
    /// Non-empty, sorted, each one's ids below the next one's.
    chunks: Vec<Chunk>,
    /// Fenwick tree over the chunk lengths (node `i` at `tree[i - 1]`).
    tree: Vec<usize>,
    /// Each chunk's last id, side by side, so that finding an id's chunk
    /// reads one small array instead of every chunk it passes.
    lasts: Vec<u64>,
    len: usize,
}

fn lowbit(i: usize) -> usize {
    i & i.wrapping_neg()
}

impl IdSet {
    pub(crate) fn new() -> IdSet {
        IdSet::default()
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many ids the chunks before chunk `chunk` hold.
    fn prefix(&self, chunk: usize) -> usize {
        let (mut i, mut sum) = (chunk, 0);
        while i > 0 {
            sum += self.tree[i - 1];
            i -= lowbit(i);
        }
        sum
    }

    fn add_to_chunk_len(&mut self, chunk: usize, delta: isize) {
        let mut i = chunk + 1;
        while i <= self.tree.len() {
            self.tree[i - 1] = self.tree[i - 1].wrapping_add_signed(delta);
            i += lowbit(i);
        }
    }

    /// Recomputes the tree and the last ids after chunks came or went:
    /// O(chunks).
    fn rebuild_tree(&mut self) {
        self.lasts.clear();
        self.lasts.extend(self.chunks.iter().map(Chunk::last));
        self.tree.clear();
        self.tree.extend(self.chunks.iter().map(Chunk::len));
        let n = self.tree.len();
        for i in 1..=n {
            let parent = i + lowbit(i);
            if parent <= n {
                self.tree[parent - 1] += self.tree[i - 1];
            }
        }
    }

    /// Appends a chunk after every other one: O(log chunks).
    fn push_chunk(&mut self, chunk: Chunk) {
        let len = chunk.len();
        self.lasts.push(chunk.last());
        self.chunks.push(chunk);
        let i = self.chunks.len();
        // Node `i` covers chunks (i - lowbit(i), i].
        let covered = len + self.prefix(i - 1) - self.prefix(i - lowbit(i));
        self.tree.push(covered);
    }

    /// The chunk holding position `pos` (< len) and the position in it.
    fn locate(&self, pos: usize) -> (usize, usize) {
        let n = self.tree.len();
        let (mut node, mut rest) = (0, pos);
        let mut step = if n == 0 { 0 } else { 1 << n.ilog2() };
        while step > 0 {
            let next = node + step;
            if next <= n && self.tree[next - 1] <= rest {
                node = next;
                rest -= self.tree[next - 1];
            }
            step >>= 1;
        }
        (node, rest)
    }

    /// The first chunk whose last id is at least `id` (`chunks.len()` if none).
    fn chunk_for(&self, id: u64) -> usize {
        self.lasts.partition_point(|&last| last < id)
    }

    /// Chunk `c`'s last id may have changed.
    fn touch_last(&mut self, c: usize) {
        self.lasts[c] = self.chunks[c].last();
    }

    #[cfg(test)]
    fn contains(&self, id: u64) -> bool {
        let c = self.chunk_for(id);
        c < self.chunks.len() && self.chunks[c].search(id).is_ok()
    }

    /// Adds `id`; false if it was there.
    pub(crate) fn insert(&mut self, id: u64) -> bool {
        let Some(last) = self.chunks.last() else {
            self.push_chunk(Chunk::one(id));
            self.len = 1;
            return true;
        };
        // The common case: an id above every other one, appended without a
        // search (which would read every chunk it passes).
        if last.last() < id {
            let c = self.chunks.len() - 1;
            if last.len() >= CHUNK {
                self.push_chunk(Chunk::one(id));
            } else {
                let at = last.len();
                self.chunks[c].insert(at, id);
                self.lasts[c] = id;
                self.add_to_chunk_len(c, 1);
            }
            self.len += 1;
            return true;
        }
        let mut c = self.chunk_for(id).min(self.chunks.len() - 1);
        let mut at = match self.chunks[c].search(id) {
            Ok(_) => return false,
            Err(at) => at,
        };
        if self.chunks[c].len() >= CHUNK {
            let right = self.chunks[c].split_off(CHUNK / 2);
            self.chunks.insert(c + 1, right);
            self.rebuild_tree();
            if at > CHUNK / 2 {
                c += 1;
                at -= CHUNK / 2;
            }
        }
        self.chunks[c].insert(at, id);
        self.touch_last(c);
        self.add_to_chunk_len(c, 1);
        self.len += 1;
        true
    }

    /// Removes `id`; false if it was not there.
    pub(crate) fn remove(&mut self, id: u64) -> bool {
        let c = self.chunk_for(id);
        if c == self.chunks.len() {
            return false;
        }
        let Ok(at) = self.chunks[c].search(id) else {
            return false;
        };
        self.chunks[c].remove(at);
        self.len -= 1;
        let len = self.chunks[c].len();
        if len == 0 {
            self.chunks.remove(c);
            self.rebuild_tree();
            return true;
        }
        self.touch_last(c);
        self.add_to_chunk_len(c, -1);
        if len < MIN_FILL && self.chunks.len() > 1 {
            self.refill(c);
        }
        true
    }

    /// Chunk `c` fell below a quarter: merges it with a neighbour, or
    /// shares the neighbour's ids evenly when both would not fit in one.
    fn refill(&mut self, c: usize) {
        let left = if c + 1 < self.chunks.len() { c } else { c - 1 };
        let mut ids = self.chunks[left].to_vec();
        ids.extend(self.chunks[left + 1].to_vec());
        if ids.len() <= CHUNK {
            self.chunks[left] = Chunk::of_sorted(ids);
            self.chunks.remove(left + 1);
            self.rebuild_tree();
        } else {
            let right = ids.split_off(ids.len() / 2);
            let (old_left, old_right) = (self.chunks[left].len(), self.chunks[left + 1].len());
            let (new_left, new_right) = (ids.len(), right.len());
            self.chunks[left] = Chunk::of_sorted(ids);
            self.chunks[left + 1] = Chunk::of_sorted(right);
            self.touch_last(left);
            self.touch_last(left + 1);
            self.add_to_chunk_len(left, new_left as isize - old_left as isize);
            self.add_to_chunk_len(left + 1, new_right as isize - old_right as isize);
        }
    }

    /// How many ids are below `id`.
    pub(crate) fn rank(&self, id: u64) -> usize {
        let c = self.chunk_for(id);
        if c == self.chunks.len() {
            return self.len;
        }
        let within = match self.chunks[c].search(id) {
            Ok(at) | Err(at) => at,
        };
        self.prefix(c) + within
    }

    /// The id at position `pos` (0-based, ascending); pages use
    /// [`iter_from`](Self::iter_from), the tests this.
    #[cfg(test)]
    fn select(&self, pos: usize) -> Option<u64> {
        (pos < self.len).then(|| {
            let (c, at) = self.locate(pos);
            self.chunks[c].get(at)
        })
    }

    pub(crate) fn first(&self) -> Option<u64> {
        self.chunks.first().map(|chunk| chunk.get(0))
    }

    pub(crate) fn last(&self) -> Option<u64> {
        self.lasts.last().copied()
    }

    /// The ids from position `pos` on, ascending.
    pub(crate) fn iter_from(&self, pos: usize) -> Iter<'_> {
        let (chunk, at) = if pos >= self.len {
            (self.chunks.len(), 0)
        } else {
            self.locate(pos)
        };
        Iter {
            set: self,
            chunk,
            at,
        }
    }

    /// Every id, ascending.
    pub(crate) fn iter(&self) -> Iter<'_> {
        Iter {
            set: self,
            chunk: 0,
            at: 0,
        }
    }

    /// Checks the chunks and the tree, for `Engine::validate`.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let mut previous: Option<u64> = None;
        let mut counted = 0;
        for chunk in &self.chunks {
            if chunk.len() == 0 || chunk.len() > CHUNK {
                return Err(format!("id set chunk of {} ids", chunk.len()));
            }
            for i in 0..chunk.len() {
                let id = chunk.get(i);
                if previous.is_some_and(|p| p >= id) {
                    return Err(format!("id set out of order at {id}"));
                }
                previous = Some(id);
            }
            counted += chunk.len();
        }
        if counted != self.len {
            return Err(format!("id set holds {counted} ids, counts {}", self.len));
        }
        let mut rebuilt = self.clone();
        rebuilt.rebuild_tree();
        if rebuilt.tree != self.tree || rebuilt.lasts != self.lasts {
            return Err("id set position tree or last ids out of step".to_owned());
        }
        Ok(())
    }
}

/// The ids of an [`IdSet`] in ascending order.
#[derive(Clone, Debug)]
pub(crate) struct Iter<'a> {
    set: &'a IdSet,
    chunk: usize,
    at: usize,
}

impl Iterator for Iter<'_> {
    type Item = u64;

    #[inline]
    fn next(&mut self) -> Option<u64> {
        let chunk = self.set.chunks.get(self.chunk)?;
        let id = chunk.get(self.at);
        self.at += 1;
        if self.at == chunk.len() {
            self.chunk += 1;
            self.at = 0;
        }
        Some(id)
    }
}

/// Several disjoint sets walked as one, ascending: O(log sets) an id.
#[derive(Debug)]
pub(crate) struct Merged<'a> {
    iters: Vec<Iter<'a>>,
    heads: BinaryHeap<Reverse<(u64, usize)>>,
}

impl<'a> Merged<'a> {
    /// The union of `sets` from `positions[i]` in set `i` on.
    fn from_positions(sets: &[&'a IdSet], positions: &[usize]) -> Merged<'a> {
        let mut iters: Vec<Iter<'a>> = sets
            .iter()
            .zip(positions)
            .map(|(set, &pos)| set.iter_from(pos))
            .collect();
        let heads = iters
            .iter_mut()
            .enumerate()
            .filter_map(|(i, iter)| iter.next().map(|id| Reverse((id, i))))
            .collect();
        Merged { iters, heads }
    }

    /// The union of `sets`, from the smallest id.
    pub(crate) fn new(sets: &[&'a IdSet]) -> Merged<'a> {
        Merged::from_positions(sets, &vec![0; sets.len()])
    }
}

impl Iterator for Merged<'_> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let Reverse((id, i)) = self.heads.pop()?;
        if let Some(next) = self.iters[i].next() {
            self.heads.push(Reverse((next, i)));
        }
        Some(id)
    }
}

/// For each of the disjoint `sets`, how many of its ids come before the
/// `k`-th smallest id of their union (`k` < their total): a binary search
/// over id values, O(64 · sets · log n).
fn positions_of(sets: &[&IdSet], k: usize) -> Vec<usize> {
    if k == 0 {
        return vec![0; sets.len()];
    }
    if let [_] = sets {
        return vec![k];
    }
    let below = |id: u64| sets.iter().map(|set| set.rank(id)).sum::<usize>();
    let lowest = sets.iter().filter_map(|set| set.first()).min();
    let highest = sets.iter().filter_map(|set| set.last()).max();
    debug_assert!(highest < Some(u64::MAX), "ids stay below u64::MAX");
    let (Some(mut low), Some(highest)) = (lowest, highest) else {
        return vec![0; sets.len()];
    };
    // below(low) <= k < below(high); the k-th id is the largest value whose
    // count of smaller ids is at most k (the sets are disjoint, so exactly k).
    let mut high = highest + 1;
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if below(mid) <= k {
            low = mid;
        } else {
            high = mid;
        }
    }
    sets.iter().map(|set| set.rank(low)).collect()
}

/// The page `offset..offset + count` of the union of the disjoint `sets`,
/// ascending, and the next page's offset when more follow: O(log) to find
/// the page's start plus O(log sets) an id of the page, at any offset.
pub(crate) fn union_page(sets: &[&IdSet], offset: u64, count: u64) -> (Vec<u64>, Option<u64>) {
    let total: usize = sets.iter().map(|set| set.len()).sum();
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(total);
    let end = start.saturating_add(count as usize).min(total);
    let next = (end < total).then_some(end as u64);
    if start == end {
        return (Vec::new(), next);
    }
    let ids = match sets {
        [set] => set.iter_from(start).take(end - start).collect(),
        _ => Merged::from_positions(sets, &positions_of(sets, start))
            .take(end - start)
            .collect(),
    };
    (ids, next)
}

/// A page of the ids of `ids` (ascending) that pass `keep`, scanning only
/// until the page is full and one more match shows that another page
/// follows: cost in proportion to `offset + count` and the ids skipped.
pub(crate) fn filtered_page(
    ids: impl Iterator<Item = u64>,
    offset: u64,
    count: u64,
    mut keep: impl FnMut(u64) -> bool,
) -> (Vec<u64>, Option<u64>) {
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    let end = start.saturating_add(count as usize);
    let mut page = Vec::new();
    let mut seen = 0usize;
    for id in ids {
        if !keep(id) {
            continue;
        }
        if seen == end {
            // One match past the page: another page follows.
            return (page, Some(end as u64));
        }
        if seen >= start {
            page.push(id);
        }
        seen += 1;
    }
    (page, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn check(set: &IdSet, model: &BTreeSet<u64>) {
        set.validate().unwrap();
        assert_eq!(set.len(), model.len());
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            model.iter().copied().collect::<Vec<_>>()
        );
        for (pos, id) in model.iter().enumerate() {
            assert_eq!(set.select(pos), Some(*id));
            assert_eq!(set.rank(*id), pos);
            assert!(set.contains(*id));
            assert_eq!(set.iter_from(pos).next(), Some(*id));
        }
        assert_eq!(set.select(model.len()), None);
    }

    #[test]
    #[cfg(feature = "serde")]
    fn a_built_set_is_the_set_of_its_pushes_and_changes_like_one() {
        // Dense runs, a gap wider than 2^32 (a wide chunk), and sizes
        // around the chunk length.
        for count in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK + 3] {
            let ids: Vec<u64> = (0..count as u64)
                .map(|i| {
                    if i % 7 == 3 {
                        i + (1 << 33) * (i / 7 + 1)
                    } else {
                        i
                    }
                })
                .scan(0, |last, id| {
                    *last = (*last + 1).max(id);
                    Some(*last)
                })
                .collect();
            let mut built = AscendingIds::default();
            for &id in &ids {
                built.push(id);
            }
            let mut set = built.finish();
            let mut model: BTreeSet<u64> = ids.iter().copied().collect();
            check(&set, &model);
            // A built set takes inserts and removals as any other.
            for id in [2, 5, u64::MAX - 1] {
                assert_eq!(set.insert(id), model.insert(id));
                check(&set, &model);
            }
            for id in ids.iter().step_by(3) {
                assert_eq!(set.remove(*id), model.remove(id));
            }
            check(&set, &model);
        }
    }

    #[test]
    fn appends_fill_whole_chunks() {
        let mut set = IdSet::new();
        for id in 1..=(3 * CHUNK as u64 + 1) {
            assert!(set.insert(id));
        }
        assert_eq!(set.chunks.len(), 4);
        assert!(set.chunks[..3].iter().all(|chunk| chunk.len() == CHUNK));
        set.validate().unwrap();
    }

    #[test]
    fn ids_far_apart_use_wide_chunks() {
        let mut set = IdSet::new();
        let model: BTreeSet<u64> = [5, 1 << 40, 3, (1 << 62) + 7, 1 << 33, 6].into();
        for id in &model {
            set.insert(*id);
        }
        check(&set, &model);
        assert!(matches!(set.chunks[0], Chunk::Wide(_)));
    }

    #[test]
    fn a_smaller_id_rebases_a_narrow_chunk() {
        let mut set = IdSet::new();
        for id in [100, 200, 50, 10] {
            set.insert(id);
        }
        check(&set, &[10, 50, 100, 200].into());
        assert!(matches!(set.chunks[0], Chunk::Narrow { base: 10, .. }));
    }

    proptest::proptest! {
        /// Inserts and removes anywhere (and ids far apart) agree with a
        /// `BTreeSet`; every position's select and rank agree too.
        #[test]
        fn agrees_with_a_btreeset(
            ops in proptest::collection::vec((proptest::bool::weighted(0.6), 0u64..200, 0u8..4), 1..400)
        ) {
            let (mut set, mut model) = (IdSet::new(), BTreeSet::new());
            for (insert, id, spread) in ops {
                let id = id << (u64::from(spread) * 14);
                if insert {
                    proptest::prop_assert_eq!(set.insert(id), model.insert(id));
                } else {
                    proptest::prop_assert_eq!(set.remove(id), model.remove(&id));
                }
            }
            check(&set, &model);
        }

        /// A union page equals the page of the merged, sorted ids.
        #[test]
        fn union_pages_agree_with_a_sorted_merge(
            ids in proptest::collection::btree_set(1u64..5000, 0..200),
            parts in 1usize..5,
            offset in 0u64..220,
            count in 1u64..40,
        ) {
            let mut sets = vec![IdSet::new(); parts];
            for (i, id) in ids.iter().enumerate() {
                sets[(i * 7 + *id as usize) % parts].insert(*id);
            }
            let refs: Vec<&IdSet> = sets.iter().collect();
            let all: Vec<u64> = ids.iter().copied().collect();
            let start = (offset as usize).min(all.len());
            let end = (start + count as usize).min(all.len());
            let (page, next) = union_page(&refs, offset, count);
            proptest::prop_assert_eq!(&page[..], &all[start..end]);
            proptest::prop_assert_eq!(next, (end < all.len()).then_some(end as u64));
            proptest::prop_assert_eq!(Merged::new(&refs).collect::<Vec<_>>(), all.clone());
            let even = |id: u64| id % 2 == 0;
            let matching: Vec<u64> = all.iter().copied().filter(|&id| even(id)).collect();
            let start = (offset as usize).min(matching.len());
            let end = (start + count as usize).min(matching.len());
            let (page, next) = filtered_page(Merged::new(&refs), offset, count, even);
            proptest::prop_assert_eq!(&page[..], &matching[start..end]);
            proptest::prop_assert_eq!(next, (end < matching.len()).then_some(end as u64));
        }
    }
}
