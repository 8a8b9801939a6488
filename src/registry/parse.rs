//! The registries' published flat formats, read from bytes the host gives
//! (the library opens no file; `dnc registry` reads, unzips and maps them).
//!
//! - **Full list** (FTC and CRTC alike): one number a line, `AAA,NNNNNNN`
//!   (the CRTC's "one three-digit Canadian area code and seven-digit
//!   telephone number per line", e.g. `416,1234567`; a DNC-scrubbing vendor
//!   describes the FTC's flat file the same way) or `AAANNNNNNN`, with LF or
//!   CRLF line ends; the last line may lack one. Sources: the CRTC/DNCL
//!   telemarketer brochure p.7 and crtc.gc.ca t1028 "file formats";
//!   dontphoneme.com "downloading the DNC" (project regulations notes, 1.1
//!   and 1.2).
//! - **Change list**: the FTC's flat change list is "a comma-delimited text
//!   file ... several data items per record"; its column order is not
//!   published in the sources consulted (a secondary note says number,
//!   timestamp and `A`/`D`). The crate reads the layout [`ChangeLayout`]
//!   names, by default the number in the first column (ten digits, or the
//!   area code and seven digits in two) and the mark, `A` (added) or `D`
//!   (deleted), in the last; a host with the real layout sets the columns.
//!
//! A line that does not fit is [`DncError::InvalidRegistry`] naming its
//! 1-based line and text; nothing of the file is returned.

use crate::error::DncError;

/// Whether a change list adds or deletes a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ChangeMark {
    /// `A`: registered since the last download.
    Add,
    /// `D`: removed from the registry since the last download.
    Delete,
}

/// One record of a change list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Change {
    /// The 10-digit number.
    pub number: u64,
    /// Added or deleted.
    pub mark: ChangeMark,
}

/// Where a change list's record keeps its number and its mark (0-based
/// comma-separated columns, counted as they stand in the line: a number
/// written `AAA,NNNNNNN` takes two, so the columns after it are one further
/// than with `AAANNNNNNN`; one file keeps one form, since every record must
/// have as many columns as the first). The other columns (a timestamp) are
/// not read. The mark is `A` or `D`, either case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeLayout {
    /// The column of the number: ten digits, or a three-digit area code
    /// followed by a seven-digit column.
    pub number_column: usize,
    /// The column of the mark; `None` for the last column.
    pub mark_column: Option<usize>,
}

impl Default for ChangeLayout {
    /// The number first, the mark last.
    fn default() -> ChangeLayout {
        ChangeLayout {
            number_column: 0,
            mark_column: None,
        }
    }
}

/// A line's text in an error, cut to a readable length by the error's
/// message.
fn refused(line: u64, text: &[u8], reason: &'static str) -> DncError {
    DncError::InvalidRegistry {
        line: Some(line),
        value: String::from_utf8_lossy(text).into_owned(),
        reason,
    }
}

/// The next line of `bytes` from `at`: its text and where the one after
/// starts. A line ends with LF or CRLF (the last one may end with neither);
/// a CR anywhere else stays in the text, where it is refused.
#[inline]
fn next_line(bytes: &[u8], at: usize) -> (&[u8], usize) {
    let rest = &bytes[at..];
    match rest.iter().position(|&byte| byte == b'\n') {
        Some(end) => {
            let text = &rest[..end];
            (text.strip_suffix(b"\r").unwrap_or(text), at + end + 1)
        }
        None => (rest, bytes.len()),
    }
}

/// Digits to a number, `None` unless every byte is a digit.
#[inline]
fn digits(text: &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for &byte in text {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value * 10 + u64::from(digit);
    }
    Some(value)
}

/// A 10-digit NANP number from `AAANNNNNNN`, or from `AAA` and `NNNNNNN`.
#[inline]
fn nanp(area_code: &[u8], local: Option<&[u8]>) -> Result<u64, &'static str> {
    const SHAPE: &str = "expected AAA,NNNNNNN or AAANNNNNNN (ten digits)";
    let number = match local {
        Some(local) if area_code.len() == 3 && local.len() == 7 => {
            digits(area_code).ok_or(SHAPE)? * 10_000_000 + digits(local).ok_or(SHAPE)?
        }
        None if area_code.len() == 10 => digits(area_code).ok_or(SHAPE)?,
        _ => return Err(SHAPE),
    };
    // NANP: an area code (NXX) and an exchange (NXX) start with 2-9.
    let (npa, nxx) = (number / 10_000_000, number / 10_000 % 1_000);
    if npa < 200 || nxx < 200 {
        return Err("an area code and an exchange start with 2-9 (NANP)");
    }
    Ok(number)
}

/// The numbers of a full list, ascending, each once.
///
/// ```
/// use dnc_engine::registry::parse_full_list;
/// let numbers = parse_full_list(b"416,2345678\r\n4162345679\n").unwrap();
/// assert_eq!(numbers, [4162345678, 4162345679]);
/// let error = parse_full_list(b"416,2345678\n416,23456\n").unwrap_err();
/// assert!(error.to_string().starts_with("invalid registry line 2 \"416,23456\""));
/// ```
pub fn parse_full_list(bytes: &[u8]) -> Result<Vec<u64>, DncError> {
    let mut numbers = Vec::with_capacity(bytes.len() / 11);
    let mut sorted = true;
    let mut line = 0u64;
    let mut at = 0;
    while at < bytes.len() {
        line += 1;
        let number;
        (number, at) = full_list_line(bytes, at, line)?;
        sorted &= numbers.last().is_none_or(|&last| last < number);
        numbers.push(number);
    }
    if !sorted {
        numbers.sort_unstable();
        numbers.dedup();
    }
    numbers.shrink_to_fit();
    Ok(numbers)
}

/// The number of the full list's line `line`, which starts at `at`, and
/// where the next line starts.
#[inline]
pub(crate) fn full_list_line(bytes: &[u8], at: usize, line: u64) -> Result<(u64, usize), DncError> {
    // The common shape, `AAA,NNNNNNN` and LF, read in place; anything else
    // (CRLF, no comma, a fault) goes the general way.
    if let Some(number) = fixed_line(&bytes[at..]) {
        return Ok((number, at + 12));
    }
    let (text, next) = next_line(bytes, at);
    let number = match text.iter().position(|&byte| byte == b',') {
        Some(comma) => nanp(&text[..comma], Some(&text[comma + 1..])),
        None => nanp(text, None),
    }
    .map_err(|reason| refused(line, text, reason))?;
    Ok((number, next))
}

/// `AAA,NNNNNNN` and LF at the start of `rest`, as a valid NANP number.
#[inline]
fn fixed_line(rest: &[u8]) -> Option<u64> {
    let line: &[u8; 12] = rest.get(..12)?.try_into().ok()?;
    if line[3] != b',' || line[11] != b'\n' {
        return None;
    }
    let mut number = 0u64;
    for &byte in line[..3].iter().chain(&line[4..11]) {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        number = number * 10 + u64::from(digit);
    }
    (line[0] >= b'2' && line[4] >= b'2').then_some(number)
}

/// The records of a change list, in file order.
///
/// ```
/// use dnc_engine::registry::{Change, ChangeLayout, ChangeMark, parse_change_list};
/// let changes = parse_change_list(
///     b"4162345678,2026-11-30 04:00:00,A\n4162345679,2026-11-30 04:00:00,D\n",
///     ChangeLayout::default(),
/// )
/// .unwrap();
/// assert_eq!(changes[0], Change { number: 4162345678, mark: ChangeMark::Add });
/// assert_eq!(changes[1], Change { number: 4162345679, mark: ChangeMark::Delete });
/// ```
pub fn parse_change_list(bytes: &[u8], layout: ChangeLayout) -> Result<Vec<Change>, DncError> {
    let mut changes = Vec::with_capacity(bytes.len() / 24);
    let mut columns: Vec<&[u8]> = Vec::new();
    let mut width = None;
    let (mut line, mut at) = (0u64, 0);
    while at < bytes.len() {
        line += 1;
        let (text, next) = next_line(bytes, at);
        at = next;
        // The columns the layout does not read are not checked, so a line
        // end they could swallow is refused here: a lone CR, or a record
        // with more or fewer columns than the first (two records run
        // together).
        if text.contains(&b'\r') {
            return Err(refused(
                line,
                text,
                "a lone CR is not a line end (LF or CRLF)",
            ));
        }
        columns.clear();
        columns.extend(text.split(|&byte| byte == b','));
        if *width.get_or_insert(columns.len()) != columns.len() {
            return Err(refused(
                line,
                text,
                "a record with another number of columns than the first",
            ));
        }
        let column = layout.number_column;
        let first = columns
            .get(column)
            .ok_or_else(|| refused(line, text, "no number column"))?;
        let number = if first.len() == 3 {
            nanp(first, columns.get(column + 1).copied())
        } else {
            nanp(first, None)
        }
        .map_err(|reason| refused(line, text, reason))?;
        let mark = match layout.mark_column {
            Some(column) => columns.get(column).copied(),
            None => columns.last().copied(),
        };
        let mark = match mark {
            Some(b"A" | b"a") => ChangeMark::Add,
            Some(b"D" | b"d") => ChangeMark::Delete,
            _ => {
                return Err(refused(
                    line,
                    text,
                    "expected the mark A (added) or D (deleted), either case",
                ));
            }
        };
        changes.push(Change { number, mark });
    }
    Ok(changes)
}
