//! The paging vocabulary every list shares: a page request, a page, a
//! list's metadata, and a bulk create's outcome.

use jiff::Timestamp;

use crate::error::DncError;
use crate::values::ids::EntryId;

/// A page request: entries in ascending id order from `offset`, at most
/// `count` (1..=1000) of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// How many matching entries to skip.
    pub offset: u64,
    /// How many to answer at most: 1..=1000.
    pub count: u64,
}

/// The largest page (the reference's "hard cap of 1000 items").
pub const MAX_PAGE: u64 = 1000;

impl PageRequest {
    /// Checks the count.
    pub fn new(offset: u64, count: u64) -> Result<PageRequest, DncError> {
        if count == 0 || count > MAX_PAGE {
            return Err(DncError::InvalidPage { count });
        }
        Ok(PageRequest { offset, count })
    }
}

impl PageRequest {
    /// The page's range in a list of `total` items, and the next page's
    /// offset when more follow.
    pub(crate) fn bounds(self, total: usize) -> (usize, usize, Option<u64>) {
        let start = usize::try_from(self.offset)
            .unwrap_or(usize::MAX)
            .min(total);
        let end = start.saturating_add(self.count as usize).min(total);
        (start, end, (end < total).then_some(end as u64))
    }
}

/// The requested page of `items` in ascending `key` order. Only the
/// smallest items up to the page's end are sorted, so a page costs one
/// pass over the items at any offset.
pub(crate) fn page_by<T>(
    mut items: Vec<T>,
    request: PageRequest,
    key: impl Fn(&T) -> EntryId + Copy,
) -> Page<T> {
    let (start, end, next) = request.bounds(items.len());
    if end < items.len() {
        // The `end` smallest first, in no order; then only they are sorted.
        items.select_nth_unstable_by_key(end, key);
        items.truncate(end);
    }
    items.sort_unstable_by_key(key);
    Page {
        entries: items.split_off(start),
        next,
    }
}

/// A page of entries and where the next one starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The entries, ascending by id.
    pub entries: Vec<T>,
    /// The offset of the next page, `None` on the last one.
    pub next: Option<u64>,
}

/// A list's metadata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListInfo {
    /// How many entries the client's list holds.
    pub size: usize,
    /// The latest instant a change to the list carried (to the
    /// millisecond); `None` when no change carried one.
    pub last_modified: Option<Timestamp>,
}

impl ListInfo {
    /// The info of a list whose part keeps its last change in epoch
    /// milliseconds. Every instant a change records came from a
    /// [`Timestamp`]; a snapshot written by an older version (which took
    /// any `i64`) may hold one past jiff's range, kept as it is and
    /// answered as the nearest instant jiff names.
    pub(crate) fn from_millis(size: usize, last_modified: Option<i64>) -> ListInfo {
        let nearest = |at: i64| {
            Timestamp::from_millisecond(at).unwrap_or(if at > 0 {
                Timestamp::MAX
            } else {
                Timestamp::MIN
            })
        };
        ListInfo {
            size,
            last_modified: last_modified.map(nearest),
        }
    }
}

/// The outcome of a bulk create: the valid records are applied, every
/// invalid one is reported by its position (0-based, as [`AddManyOutcome::refused`](crate::AddManyOutcome::refused)) with its error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkOutcome {
    /// How many records were applied.
    pub processed: usize,
    /// The ids given to the applied records, in input order.
    pub ids: Vec<EntryId>,
    /// Every refused record: its position (0-based) and why.
    pub refused: Vec<(usize, DncError)>,
}
