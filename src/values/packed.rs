//! What the value types share: the `0-9`/`*` alphabet packed four bits a
//! character, and their text form (`FromStr`, serde as a string).

/// The nibble code of `*`; digits `0`–`9` are `1`–`10`. No character is zero,
/// so a packed string also encodes its length.
pub(crate) const STAR: u64 = 11;

/// The nibble code of a phone or zip character, `None` outside `0-9` and `*`.
pub(crate) fn encode(byte: u8) -> Option<u64> {
    match byte {
        b'0'..=b'9' => Some(u64::from(byte - b'0') + 1),
        b'*' => Some(STAR),
        _ => None,
    }
}

/// The character of a nibble code made by [`encode`].
pub(crate) fn decode(code: u64) -> char {
    if code == STAR {
        '*'
    } else {
        char::from(b'0' + (code as u8).wrapping_sub(1))
    }
}

/// `FromStr` and serde-as-a-string for a value type whose `parse` is its only
/// constructor, so that deserialized values are validated like parsed ones.
macro_rules! text_value {
    ($type:ident) => {
        impl std::str::FromStr for $type {
            type Err = crate::error::DncError;
            fn from_str(text: &str) -> Result<$type, crate::error::DncError> {
                $type::parse(text)
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<$type, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                $type::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use text_value;
