//! A registry copy's compact binary form: what `dnc registry build` writes
//! and a host opens from bytes it maps or reads (the library reads no
//! file). The form is the sets' own words, so opening one copies and checks
//! them and builds nothing.
//!
//! Layout, every field a little-endian 64-bit word (so the form is whole
//! words, and any alignment of the bytes reads the same):
//!
//! | words | field |
//! |---|---|
//! | 1 | magic `DNCREG` and the form's version, `1` |
//! | 2 | the source, ASCII, NUL-padded (`US_NATIONAL`, `STATE_CO`) |
//! | 1 | the count of covered area codes, `k` |
//! | 5 × `k` | per area code: the code, the instant obtained (seconds, then nanoseconds), its count of numbers, its count of words |
//! | Σ words | each area code's words, in the order above |
//! | 1 | a checksum over every word before it |
//!
//! Opening checks the magic, the checksum (damage in storage or transit),
//! and then every area code's words whole ([`AreaNumbers::from_words`]),
//! so a damaged or hand-made file is an error, never a lookup out of
//! bounds.

use jiff::Timestamp;

use crate::error::DncError;
use crate::geo::AreaCode;
use crate::registry::list::{Area, Registry};
use crate::registry::numbers::AreaNumbers;
use crate::registry::source::RegistrySource;

/// `DNCREG`, then the version in the last two bytes.
const MAGIC: u64 = u64::from_le_bytes(*b"DNCREG\x00\x01");

fn refused(value: impl Into<String>, reason: &'static str) -> DncError {
    DncError::InvalidRegistry {
        line: None,
        value: value.into(),
        reason,
    }
}

/// The multiply-xor chain of the snapshots' integrity check: a change to
/// any one word always changes it.
fn checksum(words: impl Iterator<Item = u64>) -> u64 {
    words.fold(0x243F_6A88_85A3_08D3, |state, word| {
        (state.rotate_left(23) ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    })
}

impl Registry {
    /// The copy's binary form (see the module docs), for
    /// [`from_bytes`](Registry::from_bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut words: Vec<u64> = Vec::with_capacity(self.bytes() / 8 + 64);
        words.push(MAGIC);
        let mut source = [0u8; 16];
        let name = self.source().to_string();
        source[..name.len()].copy_from_slice(name.as_bytes());
        words.push(u64::from_le_bytes(source[..8].try_into().expect("8 bytes")));
        words.push(u64::from_le_bytes(source[8..].try_into().expect("8 bytes")));
        let areas: Vec<(AreaCode, &Area)> = self.covered_areas().collect();
        words.push(areas.len() as u64);
        for (code, area) in &areas {
            words.push(u64::from(code.get()));
            words.push(area.obtained.as_second() as u64);
            words.push(area.obtained.subsec_nanosecond() as u64);
            words.push(area.numbers.len() as u64);
            words.push(area.numbers.words().len() as u64);
        }
        for (_, area) in &areas {
            words.extend_from_slice(area.numbers.words());
        }
        words.push(checksum(words.iter().copied()));
        let mut bytes = Vec::with_capacity(words.len() * 8);
        for word in words {
            bytes.extend_from_slice(&word.to_le_bytes());
        }
        bytes
    }

    /// Opens a copy from its binary form ([`to_bytes`](Registry::to_bytes)),
    /// refusing with [`DncError::InvalidRegistry`] bytes that are not one
    /// whole: a wrong magic or version, a length that is not whole words, a
    /// checksum that does not match, an unknown source, an area code given
    /// twice or out of order, an instant jiff cannot name, or words that
    /// are not a set the build would make.
    pub fn from_bytes(bytes: &[u8]) -> Result<Registry, DncError> {
        if bytes.len() % 8 != 0 || bytes.len() < 40 {
            return Err(refused(
                format!("{} bytes", bytes.len()),
                "not a registry's binary form: too short, or not whole 8-byte words",
            ));
        }
        let word = |index: usize| {
            u64::from_le_bytes(bytes[index * 8..index * 8 + 8].try_into().expect("8 bytes"))
        };
        let count = bytes.len() / 8;
        if word(0) != MAGIC {
            return Err(refused(
                format!("{:#018x}", word(0)),
                "not a registry's binary form of version 1 (wrong magic)",
            ));
        }
        let recorded = word(count - 1);
        if checksum((0..count - 1).map(word)) != recorded {
            return Err(refused(
                format!("checksum {recorded:#018x}"),
                "the registry file's checksum does not match its content: it is damaged",
            ));
        }
        let mut name = [0u8; 16];
        name[..8].copy_from_slice(&word(1).to_le_bytes());
        name[8..].copy_from_slice(&word(2).to_le_bytes());
        let name = std::str::from_utf8(&name)
            .map_err(|_| refused("(not text)", "the source of the registry file"))?
            .trim_end_matches('\0');
        let mut registry = Registry::new(RegistrySource::parse(name)?);
        let areas = usize::try_from(word(3)).unwrap_or(usize::MAX);
        let header_end = areas
            .checked_mul(5)
            .and_then(|words| words.checked_add(4))
            .filter(|&end| end < count)
            .ok_or_else(|| refused(format!("{areas} area codes"), "more than the file holds"))?;
        let mut at = header_end;
        let mut last = None;
        for area in 0..areas {
            let field = |offset: usize| word(4 + area * 5 + offset);
            let code = u16::try_from(field(0))
                .ok()
                .and_then(|code| AreaCode::new(code).ok())
                .ok_or_else(|| refused(field(0).to_string(), "not an area code"))?;
            if last.is_some_and(|last| last >= code) {
                return Err(refused(
                    code.to_string(),
                    "area codes out of order or given twice",
                ));
            }
            last = Some(code);
            let obtained = i32::try_from(field(2) as i64)
                .ok()
                .and_then(|nanos| Timestamp::new(field(1) as i64, nanos).ok())
                .ok_or_else(|| {
                    refused(
                        format!("{} s {} ns", field(1) as i64, field(2) as i64),
                        "an instant outside the years -9999..=9999",
                    )
                })?;
            let length = usize::try_from(field(4))
                .ok()
                .filter(|&length| length <= count - 1 - at)
                .ok_or_else(|| {
                    refused(
                        format!("area code {code}: {} words", field(4)),
                        "more words than the file holds",
                    )
                })?;
            let numbers = AreaNumbers::from_words((at..at + length).map(word).collect())
                .map_err(|reason| refused(format!("area code {code}"), reason))?;
            if numbers.len() as u64 != field(3) {
                return Err(refused(
                    format!("area code {code}: {} numbers", field(3)),
                    "a count that differs from the numbers its words hold",
                ));
            }
            registry.put_area(code, Area { obtained, numbers })?;
            at += length;
        }
        if at != count - 1 {
            return Err(refused(
                format!("{} words", count - 1 - at),
                "words after the last area code",
            ));
        }
        Ok(registry)
    }
}
