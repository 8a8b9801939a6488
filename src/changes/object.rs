//! Large payloads travel once, beside the log: a change carries either its
//! bytes or the SHA-256 digest of bytes stored elsewhere (a registry copy of
//! 253M numbers is about 2 GB of text, far beyond a log message), and the
//! applier hands the engine the stored bytes, which it checks against the
//! digest before it reads them.

use std::collections::HashMap;
use std::fmt;

use sha2::{Digest, Sha256};

/// The SHA-256 digest of a payload's bytes: the name it is stored under.
/// (SHA-256 is also the digest the NATS object store records for an
/// object.)
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash([u8; 32]);

impl ContentHash {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> ContentHash {
        ContentHash(Sha256::digest(bytes).into())
    }

    /// The digest's 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Parses the 64 lowercase or uppercase hex digits [`Display`](fmt::Display)
    /// writes; `None` for anything else.
    pub fn parse(text: &str) -> Option<ContentHash> {
        let text = text.as_bytes();
        if text.len() != 64 {
            return None;
        }
        let mut digest = [0u8; 32];
        for (byte, pair) in digest.iter_mut().zip(text.chunks_exact(2)) {
            let high = (pair[0] as char).to_digit(16)?;
            let low = (pair[1] as char).to_digit(16)?;
            *byte = (high * 16 + low) as u8;
        }
        Some(ContentHash(digest))
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

impl fmt::Debug for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentHash({self})")
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ContentHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ContentHash {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ContentHash, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        ContentHash::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "a content hash is 64 hex digits, not {:?}",
                text.chars().take(80).collect::<String>()
            ))
        })
    }
}

/// A change's payload: its bytes, or the digest of bytes stored beside the
/// log.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Bytes {
    /// The bytes themselves.
    Inline(Vec<u8>),
    /// Bytes stored elsewhere under this digest.
    Stored(ContentHash),
}

impl Bytes {
    /// The digest, for stored bytes.
    pub fn stored(&self) -> Option<&ContentHash> {
        match self {
            Bytes::Inline(_) => None,
            Bytes::Stored(hash) => Some(hash),
        }
    }

    /// Replaces inline bytes by their digest and returns them with it
    /// (what a publisher stores); `None` for bytes already stored.
    pub fn store(&mut self) -> Option<(ContentHash, Vec<u8>)> {
        match self {
            Bytes::Stored(_) => None,
            Bytes::Inline(bytes) => {
                let bytes = std::mem::take(bytes);
                let hash = ContentHash::of(&bytes);
                *self = Bytes::Stored(hash);
                Some((hash, bytes))
            }
        }
    }

    /// The payload's length when inline.
    pub fn inline_len(&self) -> Option<usize> {
        match self {
            Bytes::Inline(bytes) => Some(bytes.len()),
            Bytes::Stored(_) => None,
        }
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bytes::Inline(bytes) => write!(f, "Inline({} bytes)", bytes.len()),
            Bytes::Stored(hash) => write!(f, "Stored({hash})"),
        }
    }
}

/// Where [`Engine::apply_with`](crate::Engine::apply_with) finds stored
/// payloads. The engine never fetches: the host fetches the objects a
/// change names ([`Change::objects`](crate::Change::objects)) and lends
/// them here.
pub trait Objects {
    /// The bytes stored under `hash`, if the host has them.
    fn get(&self, hash: &ContentHash) -> Option<&[u8]>;
}

/// No stored object at all: what [`Engine::apply`](crate::Engine::apply)
/// uses.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoObjects;

impl Objects for NoObjects {
    fn get(&self, _: &ContentHash) -> Option<&[u8]> {
        None
    }
}

impl Objects for HashMap<ContentHash, Vec<u8>> {
    fn get(&self, hash: &ContentHash) -> Option<&[u8]> {
        HashMap::get(self, hash).map(Vec::as_slice)
    }
}
