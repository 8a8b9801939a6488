//! The registry binary form: a round trip gives the same copy; damage in
//! any word is refused by the checksum; an edit re-sealed on purpose is
//! refused by the structural checks (never a panic, never a copy that
//! answers out of bounds).

use dnc_engine::geo::AreaCode;
use dnc_engine::jiff::Timestamp;
use dnc_engine::registry::{Registry, RegistrySource};
use dnc_engine::{DncError, Phone};

#[path = "support/registry_binary.rs"]
mod registry_binary;

use registry_binary::reseal;

/// A copy with both kinds of blocks, an area code covered without numbers,
/// and an instant below the second.
fn sample() -> Registry {
    let mut registry = Registry::new(RegistrySource::parse("STATE_TX").unwrap());
    let mut numbers: Vec<u64> = (0..3_000u64).map(|line| 2_145_550_000 + line * 3).collect();
    numbers.extend([2_149_990_000, 2_149_999_999, 8_172_000_000, 8_172_005_000]);
    numbers.sort_unstable();
    let covered: Vec<AreaCode> = [214, 817, 972]
        .into_iter()
        .map(|code| AreaCode::new(code).unwrap())
        .collect();
    let obtained: Timestamp = "2026-11-30T04:00:00.123456789Z".parse().unwrap();
    registry
        .load_full(Some(&covered), &numbers, obtained)
        .unwrap();
    registry
}

#[test]
fn a_round_trip_gives_the_same_copy() {
    let registry = sample();
    let bytes = registry.to_bytes();
    assert_eq!(bytes.len() % 8, 0);
    let opened = Registry::from_bytes(&bytes).unwrap();
    assert_eq!(opened, registry);
    assert_eq!(opened.to_bytes(), bytes);
    for number in [
        2_145_550_000u64,
        2_145_550_001,
        2_149_999_999,
        8_172_005_000,
        9_722_000_000,
    ] {
        let phone = Phone::parse(&number.to_string()).unwrap();
        assert_eq!(opened.check(phone), registry.check(phone), "{number}");
    }
    // Any alignment of the bytes reads the same.
    let mut shifted = vec![0u8];
    shifted.extend_from_slice(&bytes);
    assert_eq!(Registry::from_bytes(&shifted[1..]).unwrap(), registry);
    // An empty copy too.
    let empty = Registry::new(RegistrySource::CaNational);
    assert_eq!(Registry::from_bytes(&empty.to_bytes()).unwrap(), empty);
}

fn reason(error: DncError) -> &'static str {
    match error {
        DncError::InvalidRegistry { reason, .. } => reason,
        other => panic!("expected InvalidRegistry, got {other:?}"),
    }
}

#[test]
fn any_damaged_word_is_refused() {
    let bytes = sample().to_bytes();
    for word in 0..bytes.len() / 8 {
        for bit in [0, 17, 63] {
            let mut damaged = bytes.clone();
            damaged[word * 8 + bit / 8] ^= 1 << (bit % 8);
            assert!(
                Registry::from_bytes(&damaged).is_err(),
                "a flip of bit {bit} of word {word} opened"
            );
        }
    }
    assert!(
        reason(Registry::from_bytes(&bytes[..bytes.len() - 8]).unwrap_err()).contains("checksum")
    );
    assert!(reason(Registry::from_bytes(&bytes[..bytes.len() - 3]).unwrap_err()).contains("whole"));
    assert!(reason(Registry::from_bytes(b"").unwrap_err()).contains("too short"));
    let mut magic = bytes.clone();
    magic[7] = 2;
    assert!(reason(Registry::from_bytes(&magic).unwrap_err()).contains("version 1"));
}

#[test]
fn a_resealed_edit_is_refused_by_the_structure_or_opens_whole() {
    let bytes = sample().to_bytes();
    let mut refused = 0;
    for word in 1..bytes.len() / 8 - 1 {
        for value in [0u64, 1, u64::MAX, 1 << 63, 0xFFFF_FFFF, 10_000] {
            let mut edited = bytes.clone();
            edited[word * 8..word * 8 + 8].copy_from_slice(&value.to_le_bytes());
            reseal(&mut edited);
            match Registry::from_bytes(&edited) {
                Err(_) => refused += 1,
                // An edit the checks let through (a header field, a spare
                // lane) must still give a copy that answers and re-opens.
                Ok(opened) => {
                    for number in [2_145_550_000u64, 2_149_999_999, 8_172_005_000] {
                        let _ = opened.contains(number);
                    }
                    let again = Registry::from_bytes(&opened.to_bytes()).unwrap();
                    assert_eq!(again, opened);
                }
            }
        }
    }
    assert!(refused > 0);
    // The source, the area code order and the instant are checked.
    let mut source = bytes.clone();
    source[8..16].copy_from_slice(b"STATE_NY");
    reseal(&mut source);
    assert!(Registry::from_bytes(&source).is_err());
}
