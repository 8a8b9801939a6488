//! One registry copy: its source, the area codes it covers with the
//! instant each was obtained, and their numbers. Full loads replace an area
//! code's numbers; change lists add and delete numbers and refresh the
//! instants. Every change is checked whole before anything is applied.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::error::DncError;
use crate::geo::AreaCode;
use crate::registry::numbers::AreaNumbers;
use crate::registry::parse::{Change, ChangeMark};
use crate::registry::source::RegistrySource;
use crate::values::phone::Phone;

/// Area codes 200..=999, by `code - 200`.
const AREA_CODES: usize = 800;

/// A covered area code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Area {
    /// When the copy of this area code was obtained from the registry.
    pub(super) obtained: Timestamp,
    pub(super) numbers: AreaNumbers,
}

/// A registry copy, as the host loaded it (from the files the registry
/// delivers; the library reads no file).
///
/// ```
/// use dnc_engine::jiff::Timestamp;
/// use dnc_engine::registry::{Registry, RegistryAnswer, RegistrySource, parse_full_list};
/// use dnc_engine::Phone;
///
/// let obtained: Timestamp = "2026-11-30T04:00:00Z".parse().unwrap();
/// let mut registry = Registry::new(RegistrySource::CaNational);
/// let numbers = parse_full_list(b"416,2345678\n416,2345680\n").unwrap();
/// registry.load_full(None, &numbers, obtained).unwrap();
/// let answer = registry.check(Phone::parse("4162345678").unwrap());
/// assert!(matches!(answer, RegistryAnswer::Listed { .. }));
/// let answer = registry.check(Phone::parse("6472345678").unwrap());
/// assert!(matches!(answer, RegistryAnswer::NotCovered { .. }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registry {
    source: RegistrySource,
    areas: Vec<Option<Area>>,
    len: usize,
}

/// What a registry copy says of a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegistryAnswer {
    /// On the registry in the copy of its area code obtained at `obtained`.
    Listed {
        /// The number's area code.
        area_code: AreaCode,
        /// When that area code's copy was obtained.
        obtained: Timestamp,
    },
    /// Not on the registry, in the copy of its area code obtained at
    /// `obtained`.
    NotListed {
        /// The number's area code.
        area_code: AreaCode,
        /// When that area code's copy was obtained.
        obtained: Timestamp,
    },
    /// The copy does not cover the number's area code (or the phone is not a
    /// 10-digit NANP number): it cannot say, and a caller must not read this
    /// as "not listed".
    NotCovered {
        /// The number's area code, when it has one.
        area_code: Option<AreaCode>,
    },
}

/// What a change list did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChangeOutcome {
    /// Numbers added that were not listed.
    pub added: usize,
    /// Numbers deleted that were listed.
    pub deleted: usize,
    /// Records that changed nothing (an add of a listed number, a delete of
    /// an unlisted one).
    pub unchanged: usize,
}

/// The area code slot and the seven-digit local part of a 10-digit number
/// whose area code and exchange start with 2-9.
#[inline]
fn split(number: u64) -> Option<(usize, u32)> {
    let slot = (number / 10_000_000).checked_sub(200)? as usize;
    let local = (number % 10_000_000) as u32;
    (slot < AREA_CODES && local >= 2_000_000).then_some((slot, local))
}

#[inline]
fn area_code_of(slot: usize) -> AreaCode {
    AreaCode::from_valid(slot as u16 + 200)
}

fn refused(number: u64, reason: &'static str) -> DncError {
    DncError::InvalidRegistry {
        line: None,
        value: number.to_string(),
        reason,
    }
}

impl Registry {
    /// An empty copy of `source`, covering no area code.
    pub fn new(source: RegistrySource) -> Registry {
        Registry {
            source,
            areas: vec![None; AREA_CODES],
            len: 0,
        }
    }

    /// Its source.
    pub fn source(&self) -> RegistrySource {
        self.source
    }

    /// A full list obtained at `obtained`: replaces the numbers of every
    /// area code in `covered` (`None`: the area codes of `numbers`) with
    /// the ones `numbers` holds, and covers them from then on. `numbers`
    /// must be ascending without repeats (as [`parse_full_list`] gives
    /// them).
    ///
    /// Refused whole ([`DncError::InvalidRegistry`]): numbers not ascending,
    /// a number that is not a NANP number (ten digits, the area code and
    /// the exchange starting 2-9), a number outside `covered`, or a list
    /// obtained before the copy of an area code it would replace (reloading
    /// an old file by mistake would throw newer numbers away).
    ///
    /// [`parse_full_list`]: crate::registry::parse_full_list
    pub fn load_full(
        &mut self,
        covered: Option<&[AreaCode]>,
        numbers: &[u64],
        obtained: Timestamp,
    ) -> Result<(), DncError> {
        let mut in_load = self.covered_slots(covered)?;
        let mut last = None;
        for &number in numbers {
            let (slot, _) =
                split(number).ok_or_else(|| refused(number, "not a 10-digit NANP number"))?;
            if last.is_some_and(|last| last >= number) {
                return Err(refused(
                    number,
                    "the numbers of a load must be ascending, each once",
                ));
            }
            last = Some(number);
            match covered {
                Some(_) if !in_load[slot] => {
                    return Err(refused(number, "outside the area codes the load covers"));
                }
                Some(_) => {}
                None if !self.source.may_cover(area_code_of(slot)) => {
                    return Err(self.source.foreign(area_code_of(slot), None));
                }
                None => in_load[slot] = true,
            }
        }
        self.refuse_older_load(&in_load, obtained)?;
        // Checked: now each covered area code is rebuilt from its run.
        let mut start = 0;
        for (slot, covered) in in_load.iter().enumerate() {
            if !covered {
                continue;
            }
            let end = start
                + numbers[start..]
                    .iter()
                    .take_while(|&&number| split(number).is_some_and(|(at, _)| at == slot))
                    .count();
            let locals: Vec<u32> = numbers[start..end]
                .iter()
                .map(|&number| (number % 10_000_000) as u32)
                .collect();
            self.replace(slot, obtained, AreaNumbers::from_sorted(&locals));
            start = end;
        }
        Ok(())
    }

    /// [`load_full`](Registry::load_full) of sets already built, one per
    /// area code, ascending, each with the line of its first number (what
    /// [`load_full_list`](Registry::load_full_list) gathers): the same
    /// checks, in the same order, naming the line.
    pub(super) fn load_built(
        &mut self,
        covered: Option<&[AreaCode]>,
        areas: Vec<(AreaCode, AreaNumbers, u64)>,
        obtained: Timestamp,
    ) -> Result<(), DncError> {
        let mut in_load = self.covered_slots(covered)?;
        for (code, numbers, line) in &areas {
            let slot = usize::from(code.get()) - 200;
            if covered.is_some() && !in_load[slot] {
                let first = numbers.locals().first().copied().unwrap_or_default();
                let number = u64::from(code.get()) * 10_000_000 + u64::from(first);
                return Err(DncError::InvalidRegistry {
                    line: Some(*line),
                    value: number.to_string(),
                    reason: "outside the area codes the load covers",
                });
            }
            if covered.is_none() && !self.source.may_cover(*code) {
                return Err(self.source.foreign(*code, Some(*line)));
            }
            in_load[slot] = true;
        }
        self.refuse_older_load(&in_load, obtained)?;
        let mut built = areas.into_iter().peekable();
        for (slot, covered) in in_load.iter().enumerate() {
            if !covered {
                continue;
            }
            let numbers = match built.next_if(|(code, _, _)| usize::from(code.get()) - 200 == slot)
            {
                Some((_, numbers, _)) => numbers,
                None => AreaNumbers::from_sorted(&[]),
            };
            self.replace(slot, obtained, numbers);
        }
        Ok(())
    }

    /// A change list obtained at `obtained`, for the whole copy: applies
    /// each record in order and refreshes every covered area code's instant
    /// to `obtained` (a change list brings the copy up to that instant).
    ///
    /// Refused whole ([`DncError::InvalidRegistry`]): a record that is not a
    /// NANP number, a record of an area code the copy does not cover, or a
    /// change list obtained before an area code's copy (it would make an
    /// older copy look fresh).
    pub fn apply_changes(
        &mut self,
        changes: &[Change],
        obtained: Timestamp,
    ) -> Result<ChangeOutcome, DncError> {
        for change in changes {
            let (slot, _) = split(change.number)
                .ok_or_else(|| refused(change.number, "not a 10-digit NANP number"))?;
            if self.areas[slot].is_none() {
                return Err(refused(
                    change.number,
                    "a change of an area code the copy does not cover (load its full list first)",
                ));
            }
        }
        let newer = self.areas.iter().enumerate().find_map(|(slot, area)| {
            area.as_ref()
                .filter(|area| area.obtained > obtained)
                .map(|area| (area_code_of(slot), area.obtained))
        });
        if let Some((area_code, copy)) = newer {
            return Err(DncError::InvalidRegistry {
                line: None,
                value: format!("{obtained} ({area_code}: {copy})"),
                reason: "a change list obtained before the copy it would update",
            });
        }
        let mut outcome = ChangeOutcome::default();
        let mut by_area: Vec<Vec<&Change>> = vec![Vec::new(); AREA_CODES];
        for change in changes {
            let (slot, _) = split(change.number).expect("checked above");
            by_area[slot].push(change);
        }
        for (slot, changes) in by_area.into_iter().enumerate() {
            let Some(area) = &mut self.areas[slot] else {
                continue;
            };
            if changes.is_empty() {
                // Nothing to rebuild: the copy is only brought up to date.
                area.obtained = obtained;
                continue;
            }
            // Each touched number's membership, record by record (a record
            // sees the ones before it), then one merge into the old numbers:
            // a day's change list costs the area code once, not once a record.
            let mut touched: BTreeMap<u32, bool> = BTreeMap::new();
            for change in changes {
                let local = (change.number % 10_000_000) as u32;
                let listed = touched
                    .entry(local)
                    .or_insert_with(|| area.numbers.contains(local));
                match (*listed, change.mark) {
                    (false, ChangeMark::Add) => outcome.added += 1,
                    (true, ChangeMark::Delete) => outcome.deleted += 1,
                    _ => outcome.unchanged += 1,
                }
                *listed = change.mark == ChangeMark::Add;
            }
            let old = area.numbers.locals();
            let mut locals = Vec::with_capacity(old.len() + touched.len());
            let mut changed = touched.into_iter().peekable();
            for local in old {
                // Touched numbers below this one: in when they end listed.
                while let Some((at, listed)) = changed.next_if(|&(at, _)| at < local) {
                    if listed {
                        locals.push(at);
                    }
                }
                // This one: out only when a record ended it unlisted.
                match changed.next_if(|&(at, _)| at == local) {
                    Some((_, false)) => {}
                    _ => locals.push(local),
                }
            }
            locals.extend(
                changed
                    .filter(|&(_, listed)| listed)
                    .map(|(local, _)| local),
            );
            self.replace(slot, obtained, AreaNumbers::from_sorted(&locals));
        }
        Ok(outcome)
    }

    /// The slots of the area codes a full load says it covers (all false
    /// without `covered`), refusing one the source may not cover.
    fn covered_slots(&self, covered: Option<&[AreaCode]>) -> Result<Vec<bool>, DncError> {
        let mut in_load = vec![false; AREA_CODES];
        for &code in covered.unwrap_or_default() {
            if !self.source.may_cover(code) {
                return Err(self.source.foreign(code, None));
            }
            in_load[usize::from(code.get()) - 200] = true;
        }
        Ok(in_load)
    }

    /// Refuses a full load obtained before the copy of an area code it
    /// would replace (reloading an old file by mistake would throw newer
    /// numbers away).
    fn refuse_older_load(&self, in_load: &[bool], obtained: Timestamp) -> Result<(), DncError> {
        let older = in_load.iter().enumerate().find_map(|(slot, &loaded)| {
            let area = self.areas[slot].as_ref().filter(|_| loaded)?;
            (area.obtained > obtained).then(|| (area_code_of(slot), area.obtained))
        });
        match older {
            Some((area_code, copy)) => Err(DncError::InvalidRegistry {
                line: None,
                value: format!("{obtained} ({area_code}: {copy})"),
                reason: "a full list obtained before the copy it would replace",
            }),
            None => Ok(()),
        }
    }

    /// Every covered area code and its copy, ascending (for the binary
    /// form).
    pub(super) fn covered_areas(&self) -> impl Iterator<Item = (AreaCode, &Area)> + '_ {
        self.areas
            .iter()
            .enumerate()
            .filter_map(|(slot, area)| area.as_ref().map(|area| (area_code_of(slot), area)))
    }

    /// Puts `area` in as `code`'s copy (for the binary form); refused for an
    /// area code the source may not cover.
    pub(super) fn put_area(&mut self, code: AreaCode, area: Area) -> Result<(), DncError> {
        if !self.source.may_cover(code) {
            return Err(self.source.foreign(code, None));
        }
        self.replace(usize::from(code.get()) - 200, area.obtained, area.numbers);
        Ok(())
    }

    /// Puts `numbers` in as area code `slot`'s copy.
    fn replace(&mut self, slot: usize, obtained: Timestamp, numbers: AreaNumbers) {
        let old = self.areas[slot]
            .as_ref()
            .map_or(0, |area| area.numbers.len());
        self.len = self.len - old + numbers.len();
        self.areas[slot] = Some(Area { obtained, numbers });
    }

    /// What the copy says of `phone`.
    #[inline]
    pub fn check(&self, phone: Phone) -> RegistryAnswer {
        let Some((slot, local)) = phone.ten_digits().and_then(split) else {
            let area_code = phone
                .ten_digits()
                .and_then(|number| AreaCode::new((number / 10_000_000) as u16).ok());
            return RegistryAnswer::NotCovered { area_code };
        };
        let area_code = area_code_of(slot);
        match &self.areas[slot] {
            None => RegistryAnswer::NotCovered {
                area_code: Some(area_code),
            },
            Some(area) if area.numbers.contains(local) => RegistryAnswer::Listed {
                area_code,
                obtained: area.obtained,
            },
            Some(area) => RegistryAnswer::NotListed {
                area_code,
                obtained: area.obtained,
            },
        }
    }

    /// Whether the 10-digit `number` is listed (in a covered area code).
    #[inline]
    pub fn contains(&self, number: u64) -> bool {
        split(number).is_some_and(|(slot, local)| {
            self.areas[slot]
                .as_ref()
                .is_some_and(|area| area.numbers.contains(local))
        })
    }

    /// Every covered area code, ascending, with the instant its copy was
    /// obtained and how many numbers it lists.
    pub fn area_codes(&self) -> impl Iterator<Item = (AreaCode, Timestamp, usize)> + '_ {
        self.areas.iter().enumerate().filter_map(|(slot, area)| {
            area.as_ref()
                .map(|area| (area_code_of(slot), area.obtained, area.numbers.len()))
        })
    }

    /// How many numbers it lists.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it lists none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes its numbers keep resident.
    pub fn bytes(&self) -> usize {
        self.areas
            .iter()
            .flatten()
            .map(|area| area.numbers.bytes())
            .sum::<usize>()
            + self.areas.len() * std::mem::size_of::<Option<Area>>()
    }
}
