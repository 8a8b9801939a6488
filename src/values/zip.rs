//! ZIP codes.

use std::fmt;

use crate::error::DncError;
use crate::values::packed::{STAR, decode, encode, text_value};

/// A ZIP code in canonical form: exactly 5 characters, each `0-9` or `*`.
///
/// ZIP+4 (`NNNNN-NNNN`, digits only) is accepted and reduced to its first five
/// digits. Zips are always compared literally, also by the dial check. Packed
/// into a `u32` (4 bits a character), so a `Zip` is `Copy`.
///
/// ```
/// use dnc_engine::Zip;
/// assert_eq!(Zip::parse("94110-1234")?, Zip::parse("94110")?);
/// assert!(Zip::parse("9411").is_err());
/// # Ok::<(), dnc_engine::DncError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Zip(u32);

impl Zip {
    /// Parses `NNNNN` (digits or `*`) or ZIP+4 `NNNNN-NNNN` (digits).
    pub fn parse(text: &str) -> Result<Zip, DncError> {
        let refused = || DncError::InvalidZip {
            value: text.to_owned(),
        };
        let bytes = text.as_bytes();
        let five = match bytes.len() {
            5 => bytes,
            10 if bytes[5] == b'-'
                && bytes[..5].iter().chain(&bytes[6..]).all(u8::is_ascii_digit) =>
            {
                &bytes[..5]
            }
            _ => return Err(refused()),
        };
        let mut packed = 0u32;
        for &byte in five {
            let code = encode(byte).ok_or_else(refused)?;
            packed = (packed << 4) | code as u32;
        }
        Ok(Zip(packed))
    }

    /// The ZIP as a number, `None` when it contains `*`.
    pub(crate) fn number(self) -> Option<u32> {
        let mut number = 0;
        for i in (0..5).rev() {
            let code = (self.0 >> (4 * i)) & 0xF;
            if u64::from(code) == STAR {
                return None;
            }
            number = number * 10 + (code - 1);
        }
        Some(number)
    }
}

impl fmt::Display for Zip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (0..5)
            .rev()
            .try_for_each(|i| fmt::Write::write_char(f, decode(u64::from(self.0 >> (4 * i)) & 0xF)))
    }
}

impl fmt::Debug for Zip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zip(\"{self}\")")
    }
}

text_value!(Zip);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_round_trips() {
        for text in ["00000", "94110", "9****", "*****"] {
            assert_eq!(Zip::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Zip::parse("02134-0001").unwrap().to_string(), "02134");
    }
}
