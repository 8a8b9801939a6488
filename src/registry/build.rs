//! A full list's text straight into a copy, one area code at a time: the
//! registries deliver their lists sorted and grouped by area code, so each
//! area code's numbers are gathered, built and dropped before the next, and
//! no list of every number (two gigabytes for the US registry) is ever
//! made. A list that does not ascend is read the general way
//! ([`parse_full_list`], which sorts it and counts a repeated number once,
//! then [`Registry::load_full`]).

use jiff::Timestamp;

use crate::error::DncError;
use crate::geo::AreaCode;
use crate::registry::list::Registry;
use crate::registry::numbers::AreaNumbers;
use crate::registry::parse::{full_list_line, parse_full_list};

impl Registry {
    /// [`load_full`](Registry::load_full) of the full list in `bytes` (the
    /// format [`parse_full_list`](crate::registry::parse_full_list) reads),
    /// without the list of numbers in between when the list ascends (as the
    /// registries publish it; one that does not is read the general way).
    /// It does and refuses what parsing and `load_full` do, naming the line
    /// where it can: a bad line, a number outside the covered area codes,
    /// an area code of another country's registry, a list older than the
    /// copy. Returns how many numbers the list holds.
    ///
    /// ```
    /// use dnc_engine::jiff::Timestamp;
    /// use dnc_engine::registry::{Registry, RegistrySource};
    ///
    /// let obtained: Timestamp = "2026-11-30T04:00:00Z".parse().unwrap();
    /// let mut registry = Registry::new(RegistrySource::CaNational);
    /// let read = registry.load_full_list(None, b"416,2345678\n647,2345680\n", obtained).unwrap();
    /// assert_eq!((read, registry.len()), (2, 2));
    /// let error = registry.load_full_list(None, b"647,2345680\n416,23456\n", obtained);
    /// assert!(error.unwrap_err().to_string().starts_with("invalid registry line 2"));
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

/// Each area code's set, ascending by area code, with the line of its first
/// number, and how many numbers the list holds; `None` when the list does
/// not ascend.
type Grouped = (Vec<(AreaCode, AreaNumbers, u64)>, usize);

fn grouped_areas(bytes: &[u8]) -> Result<Option<Grouped>, DncError> {
    let mut areas = Vec::new();
    let mut locals: Vec<u32> = Vec::new();
    let mut current: Option<(u64, u64)> = None;
    let mut last: Option<u64> = None;
    let (mut line, mut at, mut read) = (0u64, 0usize, 0usize);
    let finish = |areas: &mut Vec<_>, (code, first): (u64, u64), locals: &mut Vec<u32>| {
        let code = AreaCode::new(code as u16).expect("a parsed NANP area code");
        areas.push((code, AreaNumbers::from_sorted(locals), first));
        locals.clear();
    };
    while at < bytes.len() {
        line += 1;
        let number;
        (number, at) = full_list_line(bytes, at, line)?;
        if last.is_some_and(|last| last >= number) {
            return Ok(None);
        }
        last = Some(number);
        read += 1;
        let code = number / 10_000_000;
        if current.is_none_or(|(held, _)| held != code) {
            if let Some(done) = current {
                finish(&mut areas, done, &mut locals);
            }
            current = Some((code, line));
        }
        locals.push((number % 10_000_000) as u32);
    }
    if let Some(done) = current {
        finish(&mut areas, done, &mut locals);
    }
    Ok(Some((areas, read)))
}
