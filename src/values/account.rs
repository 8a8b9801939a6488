//! Account numbers: validation, case-insensitive identity, and the dial-time
//! wildcard rule for accounts.

use std::fmt;
use std::hash::{Hash, Hasher};

use hashbrown::Equivalent;
use smallvec::SmallVec;

use crate::error::DncError;
use crate::values::packed::text_value;

/// The longest account the engine accepts, in bytes.
pub const MAX_ACCOUNT_LEN: usize = 64;

/// An account number: 1–64 bytes of visible ASCII (`!` to `~`).
///
/// It keeps the spelling it was given (that is what [`Display`](fmt::Display)
/// shows) but compares and hashes without regard to ASCII case, because the
/// vendor's account-based DNC entries are not case-sensitive: `a12345` and
/// `A12345` are the same account.
///
/// ```
/// use dnc_engine::Account;
/// let stored = Account::parse("A12345")?;
/// assert_eq!(stored, Account::parse("a12345")?);
/// assert_eq!(stored.as_str(), "A12345");
/// # Ok::<(), dnc_engine::DncError>(())
/// ```
#[derive(Clone)]
pub struct Account(
    /// The bytes, visible ASCII; up to 24 of them inline, so that reading an
    /// account and looking it up allocate and chase no pointer (most account
    /// numbers are shorter).
    SmallVec<[u8; 24]>,
);

impl Account {
    /// Parses an account: 1–64 bytes, each visible ASCII (`!`..=`~`). Spaces,
    /// control characters and non-ASCII text are refused, never trimmed.
    pub fn parse(text: &str) -> Result<Account, DncError> {
        let refused = |reason| DncError::InvalidAccount {
            value: text.to_owned(),
            reason,
        };
        if text.is_empty() {
            return Err(refused("empty"));
        }
        if text.len() > MAX_ACCOUNT_LEN {
            return Err(refused("longer than 64 bytes"));
        }
        if !text.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(refused(
                "only visible ASCII is allowed (no whitespace, control or non-ASCII characters)",
            ));
        }
        Ok(Account(SmallVec::from_slice(text.as_bytes())))
    }

    /// The account as it was given.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("accounts are visible ASCII")
    }

    /// Whether the account contains `*`, which makes a stored account a pattern
    /// for the dial check.
    pub fn has_wildcard(&self) -> bool {
        self.0.contains(&b'*')
    }

    /// The dial-time rule for accounts: this stored account, read as a
    /// pattern, matches `request` when every non-`*` byte equals the request's
    /// byte at the same position ignoring ASCII case, and the lengths are equal
    /// or the pattern ends with `*`. As for phones, the engine looks
    /// patterns up by layout and the tests hold that lookup to this rule.
    #[cfg(test)]
    pub(crate) fn pattern_matches(&self, request: &Account) -> bool {
        let (pattern, request) = (&self.0[..], &request.0[..]);
        if request.len() < pattern.len() {
            return false;
        }
        if request.len() > pattern.len() && pattern.last() != Some(&b'*') {
            return false;
        }
        pattern
            .iter()
            .zip(request)
            .all(|(p, r)| *p == b'*' || p.eq_ignore_ascii_case(r))
    }
}

impl PartialEq for Account {
    fn eq(&self, other: &Account) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for Account {}

impl Hash for Account {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_folded(&self.0, state);
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Account({:?})", self.as_str())
    }
}

text_value!(Account);

/// Hashes bytes as their ASCII-lowercase form, so that hashing agrees with
/// case-insensitive equality. Folds eight bytes at a time into a stack copy
/// (values are at most 64 bytes: accounts and their prefixes): this runs on
/// every check that names an account, where a byte loop was a third of the
/// check's instructions.
#[inline]
fn hash_folded<H: Hasher>(bytes: &[u8], state: &mut H) {
    let mut folded = [0u8; MAX_ACCOUNT_LEN];
    let bytes = &bytes[..bytes.len().min(MAX_ACCOUNT_LEN)];
    let len = bytes.len();
    if len >= 8 {
        for start in (0..len - 7).step_by(8) {
            fold_eight(bytes, &mut folded, start);
        }
        // The last eight bytes, overlapping bytes already folded (to the
        // same values), instead of a byte loop over the tail.
        fold_eight(bytes, &mut folded, len - 8);
    } else {
        for (out, byte) in folded.iter_mut().zip(bytes) {
            *out = byte.to_ascii_lowercase();
        }
    }
    state.write(&folded[..len]);
    // A terminator keeps "ab"+"c" and "a"+"bc" apart when keys are combined.
    state.write_u8(0xFF);
}

/// Folds `bytes[start..start + 8]` into the same place of `folded`.
#[inline]
fn fold_eight(bytes: &[u8], folded: &mut [u8; MAX_ACCOUNT_LEN], start: usize) {
    let word = u64::from_le_bytes(bytes[start..start + 8].try_into().expect("eight bytes"));
    folded[start..start + 8].copy_from_slice(&lowercase_word(word).to_le_bytes());
}

/// The eight bytes of `word` with `A`-`Z` turned into `a`-`z` and every
/// other byte kept, all at once (no byte's arithmetic carries into the next).
#[inline]
fn lowercase_word(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = word & (0x7F * ONES);
    // Per byte, the top bit says "at least 'A'" and "above 'Z'" (sums of
    // 7-bit values stay below 0x100).
    let at_least_a = low7 + (0x80 - u64::from(b'A')) * ONES;
    let above_z = low7 + (0x80 - u64::from(b'Z') - 1) * ONES;
    // Upper case: in range, and not a byte with its own top bit set.
    let upper = at_least_a & !above_z & !word & (0x80 * ONES);
    word | (upper >> 2)
}

/// An owned, case-folded byte string: the key of the account-pattern index,
/// holding a pattern.
#[derive(Clone, Debug)]
pub(crate) struct FoldedKey(Box<[u8]>);

impl FoldedKey {
    pub(crate) fn new(bytes: &[u8]) -> FoldedKey {
        FoldedKey(bytes.to_ascii_lowercase().into_boxed_slice())
    }

    /// The folded bytes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl PartialEq for FoldedKey {
    fn eq(&self, other: &FoldedKey) -> bool {
        self.0 == other.0
    }
}

impl Eq for FoldedKey {}

impl Hash for FoldedKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_folded(&self.0, state);
    }
}

/// A borrowed byte string looked up in a [`FoldedKey`] map without allocating.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FoldedSlice<'a>(pub(crate) &'a [u8]);

impl Hash for FoldedSlice<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_folded(self.0, state);
    }
}

impl Equivalent<FoldedKey> for FoldedSlice<'_> {
    fn equivalent(&self, key: &FoldedKey) -> bool {
        self.0.eq_ignore_ascii_case(&key.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn account(text: &str) -> Account {
        Account::parse(text).unwrap()
    }

    #[test]
    fn equal_ignoring_case_means_equal_hash() {
        let hasher = hashbrown::DefaultHashBuilder::default();
        assert_eq!(
            hasher.hash_one(account("AbC-123")),
            hasher.hash_one(account("aBc-123"))
        );
        assert_eq!(
            hasher.hash_one(FoldedSlice(b"AbC")),
            hasher.hash_one(FoldedKey::new(b"abc"))
        );
    }

    /// The word-at-a-time fold must equal the byte rule for every byte value
    /// at every position, next to every other byte value.
    #[test]
    fn lowercase_word_equals_the_byte_rule() {
        for byte in 0..=255u8 {
            for neighbour in 0..=255u8 {
                for position in 0..8 {
                    let mut bytes = [neighbour; 8];
                    bytes[position] = byte;
                    let folded = lowercase_word(u64::from_le_bytes(bytes)).to_le_bytes();
                    assert_eq!(folded, bytes.map(|b| b.to_ascii_lowercase()), "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn hash_tells_lengths_and_tails_apart() {
        let hasher = hashbrown::DefaultHashBuilder::default();
        let hash = |text: &str| hasher.hash_one(account(text));
        // Same folded bytes in each 8-byte word, different lengths.
        assert_ne!(hash("ABCDEFGH"), hash("ABCDEFGHI"));
        assert_ne!(hash("A1"), hash("A10"));
        assert_eq!(hash("ABCDEFGHIJ-Q"), hash("abcdefghij-q"));
    }

    #[test]
    fn pattern_rule_of_spec_3_for_accounts() {
        let cases = [
            ("A*", "a123", true),
            ("A*", "A", false),
            ("A*", "b1", false),
            ("A?*", "a?zz", true),
            ("a*c", "ABC", true),
            ("a*c", "ABCD", false),
            ("abc", "ABC", true),
            ("abc", "ABCD", false),
            ("*", "*", true),
        ];
        for (pattern, request, expected) in cases {
            assert_eq!(
                account(pattern).pattern_matches(&account(request)),
                expected,
                "{pattern} vs {request}"
            );
        }
    }
}
