//! Email addresses of the email suppression list.

use std::fmt;
use std::hash::{Hash, Hasher};

use crate::error::DncError;

/// The longest address accepted, in bytes (the SMTP path limit).
pub const MAX_EMAIL_LEN: usize = 254;

/// An email address with a plausible shape: exactly one `@`, a non-empty
/// local part, a domain containing a dot, no whitespace, at most 254 bytes.
///
/// Two addresses are equal when they differ only in ASCII case (the list
/// compares them that way); the spelling given is kept for display.
///
/// ```
/// use dnc_engine::Email;
/// assert_eq!(Email::parse("Jane.Doe@Example.com")?, Email::parse("jane.doe@example.COM")?);
/// assert!(Email::parse("jane.doe@localhost").is_err());
/// # Ok::<(), dnc_engine::DncError>(())
/// ```
#[derive(Clone)]
pub struct Email(Box<str>);

impl Email {
    /// Checks the shape; nothing is trimmed or rewritten.
    pub fn parse(text: &str) -> Result<Email, DncError> {
        let refused = |reason| DncError::InvalidEmail {
            value: text.to_owned(),
            reason,
        };
        if text.is_empty() {
            return Err(refused("empty"));
        }
        if text.len() > MAX_EMAIL_LEN {
            return Err(refused("longer than 254 bytes"));
        }
        if text.chars().any(char::is_whitespace) {
            return Err(refused("contains whitespace"));
        }
        let mut parts = text.split('@');
        let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(refused("must contain exactly one @"));
        };
        if local.is_empty() {
            return Err(refused("nothing before the @"));
        }
        if !domain.contains('.') {
            return Err(refused("the domain after the @ has no dot"));
        }
        Ok(Email(text.into()))
    }

    /// The address as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the address contains `needle`, ignoring ASCII case (the
    /// list's find).
    pub(crate) fn contains_ignoring_case(&self, needle: &str) -> bool {
        let (hay, needle) = (self.0.as_bytes(), needle.as_bytes());
        needle.is_empty()
            || hay
                .windows(needle.len())
                .any(|window| window.eq_ignore_ascii_case(needle))
    }
}

impl PartialEq for Email {
    fn eq(&self, other: &Email) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for Email {}

impl Hash for Email {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Lowercase into a stack copy, then one write: a hasher call per
        // byte made email checks twice as slow as phone checks.
        let mut folded = [0u8; MAX_EMAIL_LEN];
        let bytes = &self.0.as_bytes()[..self.0.len().min(MAX_EMAIL_LEN)];
        for (out, byte) in folded.iter_mut().zip(bytes) {
            *out = byte.to_ascii_lowercase();
        }
        state.write(&folded[..bytes.len()]);
        state.write_u8(0xFF);
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({:?})", &*self.0)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Email {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Deserialized addresses are validated like parsed ones.
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Email, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Email::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for Email {
    type Err = DncError;
    fn from_str(text: &str) -> Result<Email, DncError> {
        Email::parse(text)
    }
}
