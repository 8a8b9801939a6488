//! The registry binary form's checksum, written again from its docs
//! (`src/registry/binary.rs`): a test or fuzz target that edits a file on
//! purpose re-seals it, so that the open's structural checks, not the
//! checksum, are what refuse the edit.

#![allow(dead_code)]

/// Writes the checksum over every whole word before the last into the last
/// word (bytes that are not whole words are left as they are).
pub(crate) fn reseal(bytes: &mut [u8]) {
    if bytes.len() < 8 || bytes.len() % 8 != 0 {
        return;
    }
    let words = bytes.len() / 8;
    let mut state: u64 = 0x243F_6A88_85A3_08D3;
    for index in 0..words - 1 {
        let word = u64::from_le_bytes(bytes[index * 8..index * 8 + 8].try_into().unwrap());
        state = (state.rotate_left(23) ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    bytes[(words - 1) * 8..].copy_from_slice(&state.to_le_bytes());
}
