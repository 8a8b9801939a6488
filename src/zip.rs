//! ZIP codes (SPEC section 5).

use std::fmt;

use crate::error::DncError;

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
            let code = match byte {
                b'0'..=b'9' => u32::from(byte - b'0') + 1,
                b'*' => 11,
                _ => return Err(refused()),
            };
            packed = (packed << 4) | code;
        }
        Ok(Zip(packed))
    }
}

impl fmt::Display for Zip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for i in (0..5).rev() {
            let code = (self.0 >> (4 * i)) & 0xF;
            let c = if code == 11 {
                '*'
            } else {
                char::from(b'0' + (code as u8 - 1))
            };
            fmt::Write::write_char(f, c)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Zip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zip(\"{self}\")")
    }
}

impl std::str::FromStr for Zip {
    type Err = DncError;
    fn from_str(text: &str) -> Result<Zip, DncError> {
        Zip::parse(text)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Zip {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Zip {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Zip, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Zip::parse(&text).map_err(serde::de::Error::custom)
    }
}

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
