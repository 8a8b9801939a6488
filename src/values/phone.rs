//! Phone numbers: the strict canonical form, the opt-in NANP normalization,
//! and the dial-time wildcard rule.

use std::fmt;

use crate::error::DncError;
use crate::values::packed::{STAR, decode, encode, text_value};

/// The longest phone the engine accepts (E.164 allows 15 digits).
pub const MAX_PHONE_LEN: usize = 15;

/// A phone number in canonical form: 1–15 characters, each `0-9` or `*`.
///
/// `*` is an ordinary character for [`is_blocked`](crate::Engine::is_blocked)
/// and a wildcard for the [dial check](crate::Engine::dial_check). The value is
/// packed into one `u64` (4 bits a character), so a `Phone` is `Copy`, hashes in
/// one step and costs 8 bytes. Construct it with [`Phone::parse`] (literal: the
/// text is the phone) or [`Phone::parse_lenient`] (the NANP normalization:
/// punctuation and a leading `+1`/`1` stripped).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Phone(u64);

impl Phone {
    /// Parses a canonical phone: 1–15 characters, each `0-9` or `*`. Nothing is
    /// stripped or rewritten; `"+14155550100"`, `"415 555 0100"` and `""` are
    /// refused.
    ///
    /// **The trap:** `"14155550100"` is accepted, as the 11-character phone
    /// `14155550100`, which is not `4155550100`. [`is_blocked`] compares it
    /// literally, so it answers "not blocked" although `4155550100` is listed,
    /// while the [dial decision](crate::Engine::dial_decision) refuses it
    /// (`invalid_phone`: not 10 digits). A number that comes from outside —
    /// a CRM export, a call list, a form — goes through
    /// [`Phone::parse_lenient`], which turns both into `4155550100`.
    ///
    /// ```
    /// use dnc_engine::Phone;
    /// assert_eq!(Phone::parse("209*******")?.to_string(), "209*******");
    /// assert!(Phone::parse("415-555-0100").is_err());
    /// // Literal: the leading 1 stays, so this is another number.
    /// assert_ne!(Phone::parse("14155550100")?, Phone::parse("4155550100")?);
    /// assert_eq!(Phone::parse_lenient("14155550100")?, Phone::parse("4155550100")?);
    /// # Ok::<(), dnc_engine::DncError>(())
    /// ```
    ///
    /// [`is_blocked`]: crate::Engine::is_blocked
    pub fn parse(text: &str) -> Result<Phone, DncError> {
        let refused = |reason| DncError::InvalidPhone {
            value: text.to_owned(),
            reason,
        };
        if text.is_empty() {
            return Err(refused("empty"));
        }
        if text.len() > MAX_PHONE_LEN {
            return Err(refused("longer than 15 characters"));
        }
        let mut packed = 0u64;
        for byte in text.bytes() {
            let code =
                encode(byte).ok_or_else(|| refused("only the characters 0-9 and * are allowed"))?;
            packed = (packed << 4) | code;
        }
        Ok(Phone(packed))
    }

    /// The NANP normalization, for numbers as people and exports write them:
    /// strips `(`, `)`, `-`, `.` and spaces, then a leading `+1` before 10
    /// digits or a leading `1` on 11 digits, and parses the rest with
    /// [`Phone::parse`]. `+1 (415) 225-7000`, `1.415.225.7000`,
    /// `14152257000` and `4152257000` are all `4152257000`; anything else
    /// (another country code, letters, tabs, more than 15 characters once
    /// stripped) is refused with the value as given. The engine itself only
    /// takes canonical values and never normalizes on its own: this is opt-in,
    /// for callers who hold formatted or `1`-prefixed numbers (`dnc scrub
    /// --normalize-nanp` uses it).
    ///
    /// ```
    /// use dnc_engine::Phone;
    /// assert_eq!(Phone::parse_lenient("+1 (415) 225-7000")?, Phone::parse("4152257000")?);
    /// assert_eq!(Phone::parse_lenient("1.415.225.7000")?, Phone::parse("4152257000")?);
    /// assert_eq!(Phone::parse_lenient("14152257000")?, Phone::parse("4152257000")?);
    /// assert!(Phone::parse_lenient("+44 20 7946 0000").is_err());
    /// # Ok::<(), dnc_engine::DncError>(())
    /// ```
    pub fn parse_lenient(text: &str) -> Result<Phone, DncError> {
        let kept: String = text
            .chars()
            .filter(|c| !matches!(c, '(' | ')' | '-' | '.' | ' '))
            .collect();
        let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let national = match kept.strip_prefix("+1") {
            Some(rest) if rest.len() == 10 && is_digits(rest) => rest,
            _ if kept.len() == 11 && kept.starts_with('1') && is_digits(&kept) => &kept[1..],
            _ => &kept,
        };
        // The error names the value as given, not what was left of it.
        Phone::parse(national).map_err(|error| match error {
            DncError::InvalidPhone { reason, .. } => DncError::InvalidPhone {
                value: text.to_owned(),
                reason,
            },
            other => other,
        })
    }

    /// The number of characters.
    #[inline]
    pub fn len(self) -> usize {
        (64 - self.0.leading_zeros() as usize).div_ceil(4)
    }

    /// Always false: a phone has at least one character. (Present because
    /// `len` is.)
    pub fn is_empty(self) -> bool {
        false
    }

    /// Whether the phone contains `*`, which makes it a pattern for the dial
    /// check.
    #[inline]
    pub fn has_wildcard(self) -> bool {
        // All nibbles at once: a nibble of `diff` is zero exactly where the
        // phone has `*` (unused high nibbles are 0, so they differ), and the
        // classic zero-nibble test finds one (its false positives only sit
        // above a real zero, so "any" is exact).
        const ONES: u64 = 0x1111_1111_1111_1111;
        let diff = self.0 ^ (STAR * ONES);
        diff.wrapping_sub(ONES) & !diff & (ONES << 3) != 0
    }

    /// Whether the text of the phone contains `needle` (a find's substring
    /// filter), tested on the packed nibbles: no text is made.
    pub(crate) fn contains_text(self, needle: &str) -> bool {
        if needle.is_empty() {
            return true;
        }
        let (len, needle_len) = (self.len(), needle.len());
        if needle_len > len {
            return false;
        }
        let mut packed_needle = 0u64;
        for byte in needle.bytes() {
            match encode(byte) {
                Some(code) => packed_needle = (packed_needle << 4) | code,
                None => return false,
            }
        }
        let mask = (1u64 << (4 * needle_len)) - 1;
        (0..=len - needle_len).any(|shift| (self.0 >> (4 * shift)) & mask == packed_needle)
    }

    /// The packed form: the index's hash key.
    pub(crate) fn packed(self) -> u64 {
        self.0
    }

    /// The phone as a number when it is ten digits without a wildcard (a
    /// NANP number's form in the registries), read from the packed nibbles
    /// (each digit + 1, the first digit highest).
    #[inline]
    pub(crate) fn ten_digits(self) -> Option<u64> {
        if self.len() != 10 || self.has_wildcard() {
            return None;
        }
        let mut number = 0;
        for index in 0..10 {
            number = number * 10 + ((self.0 >> (4 * (9 - index))) & 0xF) - 1;
        }
        Some(number)
    }

    /// The literal phone (no `*`) whose packed form `packed` is, if it is
    /// one: 1–15 characters, each a digit's code. What an image's phone
    /// records are checked with (they carry the packed form, not text).
    #[cfg(feature = "image")]
    pub(crate) fn literal_from_packed(packed: u64) -> Option<Phone> {
        if packed == 0 || packed >> (4 * MAX_PHONE_LEN) != 0 {
            return None;
        }
        let len = Phone(packed).len();
        (0..len)
            .all(|i| matches!((packed >> (4 * i)) & 0xF, 1..=10))
            .then_some(Phone(packed))
    }

    /// The phone whose packed form this is (made by [`Phone::packed`]).
    pub(crate) fn from_packed(packed: u64) -> Phone {
        Phone(packed)
    }

    /// The nibble code of character `i` (0-based from the left).
    fn code_at(self, i: usize) -> u64 {
        (self.0 >> (4 * (self.len() - 1 - i))) & 0xF
    }

    /// The dial-time rule: does this stored phone, read as a pattern,
    /// match the dialed phone? Same length with every non-`*` character equal,
    /// or longer when the pattern ends with `*`. A phone without `*` matches
    /// only itself. The engine finds matching patterns by their layout
    /// (the legacy list's pattern index); the tests hold that lookup
    /// to this rule.
    #[cfg(test)]
    pub(crate) fn pattern_matches(self, dialed: Phone) -> bool {
        let (pattern_len, dialed_len) = (self.len(), dialed.len());
        if dialed_len < pattern_len {
            return false;
        }
        if dialed_len > pattern_len && self.0 & 0xF != STAR {
            return false;
        }
        // The dialed phone's first `pattern_len` characters, aligned with the
        // pattern (a final `*` absorbs the rest).
        let aligned = dialed.0 >> (4 * (dialed_len - pattern_len));
        // Compare every character at once, except where the pattern has `*`.
        (self.0 ^ aligned) & !self.star_nibbles() == 0
    }

    /// `0xF` in every nibble that holds `*`, `0` elsewhere (exact: the sums
    /// below never carry from one nibble into the next).
    #[inline]
    pub(crate) fn star_nibbles(self) -> u64 {
        const LOW3: u64 = 0x7777_7777_7777_7777;
        let diff = self.0 ^ (STAR * 0x1111_1111_1111_1111);
        // A nibble's top bit ends up set exactly when the nibble is non-zero.
        let non_zero = ((diff & LOW3) + LOW3) | diff;
        let zero_tops = !non_zero & 0x8888_8888_8888_8888;
        (zero_tops >> 3) * 0xF
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (0..self.len()).try_for_each(|i| fmt::Write::write_char(f, decode(self.code_at(i))))
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone(\"{self}\")")
    }
}

text_value!(Phone);

/// A dialed number made from a pattern, for the tests that hold a pattern
/// rule to the reference's: its stars filled from `fill`, the digit at `change`
/// (if any) changed, `extra` appended, cut to 15 digits, so that matches
/// and near misses are both common.
#[cfg(test)]
pub(crate) fn dialed_near(pattern: &str, fill: &str, change: Option<usize>, extra: &str) -> String {
    let mut dialed: Vec<u8> = pattern
        .bytes()
        .zip(fill.bytes())
        .map(|(p, f)| if p == b'*' { f } else { p })
        .collect();
    if let Some(i) = change.filter(|&i| i < dialed.len()) {
        dialed[i] = if dialed[i] == b'9' {
            b'0'
        } else {
            dialed[i] + 1
        };
    }
    dialed.extend(extra.bytes());
    dialed.truncate(15);
    String::from_utf8(dialed).expect("digits only")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(text: &str) -> Phone {
        Phone::parse(text).unwrap()
    }

    #[test]
    fn packing_round_trips_every_character() {
        for text in [
            "0",
            "9",
            "*",
            "0123456789*0123",
            "209*******",
            "***************",
        ] {
            assert_eq!(phone(text).to_string(), text);
            assert_eq!(phone(text).len(), text.len());
        }
    }

    #[test]
    fn phones_of_different_lengths_never_collide() {
        // "0" and "00" must differ: zero digits are nibble 1, never 0.
        assert_ne!(phone("0").packed(), phone("00").packed());
    }

    #[test]
    fn star_nibbles_mark_exactly_the_stars() {
        assert_eq!(phone("209*******").star_nibbles(), 0xFFF_FFFF);
        assert_eq!(phone("***1234567").star_nibbles(), 0xFFF << 28);
        assert_eq!(phone("4152257000").star_nibbles(), 0);
    }

    #[test]
    fn pattern_rule_of_spec_3() {
        let cases = [
            ("209*******", "2093334545", true),
            ("209*******", "20933345451", true),
            ("209*******", "209333454", false),
            ("209*******", "2083334545", false),
            ("123*", "1234567890", true),
            ("123*", "123", false),
            ("4*5", "405", true),
            ("4*5", "4055", false),
            ("4*5", "45", false),
            ("*", "7", true),
            ("5551234", "5551234", true),
            ("5551234", "55512345", false),
        ];
        for (pattern, dialed, expected) in cases {
            assert_eq!(
                phone(pattern).pattern_matches(phone(dialed)),
                expected,
                "{pattern} vs {dialed}"
            );
        }
    }

    /// the reference over characters, as the reference states it.
    fn naive_matches(pattern: &str, dialed: &str) -> bool {
        let (p, d) = (pattern.as_bytes(), dialed.as_bytes());
        if d.len() < p.len() || (d.len() > p.len() && p.last() != Some(&b'*')) {
            return false;
        }
        p.iter().zip(d).all(|(p, d)| *p == b'*' || p == d)
    }

    proptest::proptest! {
        /// The word-at-a-time rule equals the character rule, on dialed
        /// numbers made from the pattern (stars filled, digits changed or
        /// appended) so that matches and near misses are both common.
        #[test]
        fn pattern_matches_agrees_with_the_character_rule(
            pattern in "[0-9*]{1,15}",
            fill in "[0-9]{15}",
            change in proptest::option::of(0usize..15),
            extra in "[0-9]{0,3}",
        ) {
            let dialed = dialed_near(&pattern, &fill, change, &extra);
            proptest::prop_assert_eq!(
                phone(&pattern).pattern_matches(phone(&dialed)),
                naive_matches(&pattern, &dialed),
                "{} vs {}", pattern, dialed
            );
        }
    }

    proptest::proptest! {
        /// The nibble-wise substring test equals `str::contains` on the
        /// text, for needles taken from the phone and random ones.
        #[test]
        fn contains_text_agrees_with_the_text(
            text in "[0-9]{1,15}",
            start in 0usize..15,
            len in 0usize..16,
            other in "[0-9*a]{0,4}",
        ) {
            let phone = phone(&text);
            let start = start.min(text.len());
            let end = (start + len).min(text.len());
            for needle in [&text[start..end], other.as_str()] {
                proptest::prop_assert_eq!(phone.contains_text(needle), text.contains(needle), "{} in {}", needle, text);
            }
        }
    }
}
