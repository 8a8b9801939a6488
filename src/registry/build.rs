//! A full list's text straight into a copy, one area code at a time: the
//! registries deliver their lists sorted and grouped by area code, so each
//! area code's numbers are gathered, built and dropped before the next, and
//! no list of every number (two gigabytes for the US registry) is ever
//! made. A list that is not ascending is read the general way
//! ([`parse_full_list`], then [`Registry::load_full`]), with the same
//! answers and errors.

use jiff::Timestamp;

use crate::error::DncError;
use crate::geo::AreaCode;
use crate::registry::list::Registry;
use crate::registry::numbers::AreaNumbers;
use crate::registry::parse::{full_list_line, parse_full_list};

impl Registry {
    /// [`load_full`](Registry::load_full) of the full list in `bytes` (the
    /// format [`parse_full_list`] reads), without the list of numbers in
    /// between; what it does and refuses is the same, and a bad line is the
    /// same error naming its line. Returns how many numbers the list holds.
    ///
    /// ```
    /// use dnc_engine::jiff::Timestamp;
    /// use dnc_engine::registry::{Registry, RegistrySource};
    ///
    /// let obtained: Timestamp = "2026-11-30T04:00:00Z".parse().unwrap();
    /// let mut registry = Registry::new(RegistrySource::CaNational);
    /// let read = registry.load_full_list(None, b"416,2345678\n647,2345680\n", obtained).unwrap();
    /// assert_eq!((read, registry.len()), (2, 2));
    /// ```
    pub fn load_full_list(
        &mut self,
        covered: Option<&[AreaCode]>,
        bytes: &[u8],
        obtained: Timestamp,
    ) -> Result<usize, DncError> {
        let Some((areas, read)) = grouped_areas(bytes)? else {
            let numbers = parse_full_list(bytes)?;
            self.load_full(covered, &numbers, obtained)?;
            return Ok(numbers.len());
        };
        self.load_built(covered, areas, obtained)?;
        Ok(read)
    }
}

/// Each area code's set, ascending by area code, and how many numbers: or
/// `None` when the list is not ascending (a number at or below the one
/// before it), for the general way to read.
fn grouped_areas(bytes: &[u8]) -> Result<Option<(Vec<(AreaCode, AreaNumbers)>, usize)>, DncError> {
    let mut areas = Vec::new();
    let mut locals: Vec<u32> = Vec::new();
    let mut current: Option<u64> = None;
    let mut last: Option<u64> = None;
    let (mut line, mut at, mut read) = (0u64, 0usize, 0usize);
    let finish = |areas: &mut Vec<(AreaCode, AreaNumbers)>, code: u64, locals: &mut Vec<u32>| {
        let code = AreaCode::new(code as u16).expect("a parsed NANP area code");
        areas.push((code, AreaNumbers::from_sorted(locals)));
        locals.clear();
    };
    while at < bytes.len() {
        line += 1;
        let number;
        (number, at) = full_list_line(bytes, at, line)?;
        if last.is_some_and(|last| last >= number) {
            // Not ascending: the general way reads (and checks) it all.
            return Ok(None);
        }
        last = Some(number);
        read += 1;
        let code = number / 10_000_000;
        if current != Some(code) {
            if let Some(done) = current {
                finish(&mut areas, done, &mut locals);
            }
            current = Some(code);
        }
        locals.push((number % 10_000_000) as u32);
    }
    if let Some(done) = current {
        finish(&mut areas, done, &mut locals);
    }
    Ok(Some((areas, read)))
}
