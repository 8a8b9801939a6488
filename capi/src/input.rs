//! Texts and byte strings across the boundary, and the checks every
//! pointer and length passes before it is read.

use std::ffi::c_char;

use dnc_engine::{Account, ClientId, DncError, Phone, ServiceId, Zip};

use crate::status::{DncStatus, Failure};

/// A text given by the caller: `ptr` to `len` bytes of UTF-8, not
/// NUL-terminated. `{NULL, 0}` and any empty text (`len` 0) are "not
/// given", as an empty field is in the replay protocol (an empty CSV cell
/// handed over with `dnc_str` is absent, not an invalid value); a null `ptr`
/// with a `len` other than 0 is refused (`DNC_STATUS_NULL_ARGUMENT`). The
/// bytes are read during the call only and never kept.
/// `DNC_STR("4152257000")` builds one from a literal, `dnc_str(s)` from a
/// NUL-terminated string.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct DncStr {
    /// The first byte, or null.
    pub ptr: *const c_char,
    /// How many bytes.
    pub len: usize,
}

impl DncStr {
    /// "Not given".
    pub const NONE: DncStr = DncStr {
        ptr: std::ptr::null(),
        len: 0,
    };

    /// A text over `text` (for Rust callers: the tests).
    pub fn of(text: &str) -> DncStr {
        DncStr {
            ptr: text.as_ptr().cast(),
            len: text.len(),
        }
    }

    /// The text, `None` when not given (null or empty).
    ///
    /// # Safety
    /// `ptr`, when not null, points at `len` readable bytes that stay
    /// unchanged for the lifetime `'a`.
    pub(crate) unsafe fn read<'a>(self, what: &str) -> Result<Option<&'a str>, Failure> {
        if !self.ptr.is_null() && self.len == 0 {
            return Ok(None);
        }
        if self.ptr.is_null() {
            return if self.len == 0 {
                Ok(None)
            } else {
                Err(Failure::new(
                    DncStatus::NullArgument,
                    format!("{what} is a null pointer with length {}", self.len),
                ))
            };
        }
        // SAFETY: not null, and the caller vouches for `len` readable bytes
        // (the one thing a C boundary cannot check).
        let bytes = unsafe { std::slice::from_raw_parts(self.ptr.cast::<u8>(), self.len) };
        std::str::from_utf8(bytes).map(Some).map_err(|_| {
            Failure::new(
                DncStatus::InvalidUtf8,
                format!(
                    "{what} is not UTF-8: {}",
                    String::from_utf8_lossy(&bytes[..bytes.len().min(40)])
                ),
            )
        })
    }
}

/// Bytes the library allocated for the caller (an image, an answer line):
/// give them back with `dnc_bytes_free` exactly once. `{NULL, 0}` is empty
/// and needs no freeing (freeing it is harmless).
#[repr(C)]
#[derive(Debug)]
pub struct DncBytes {
    /// The first byte, or null when empty.
    pub ptr: *mut u8,
    /// How many bytes.
    pub len: usize,
}

impl DncBytes {
    pub(crate) const EMPTY: DncBytes = DncBytes {
        ptr: std::ptr::null_mut(),
        len: 0,
    };

    /// Hands `bytes` to the caller. The allocation is a boxed slice, so
    /// its length is all `dnc_bytes_free` needs to rebuild it.
    pub(crate) fn give(bytes: Vec<u8>) -> DncBytes {
        if bytes.is_empty() {
            return DncBytes::EMPTY;
        }
        let boxed = bytes.into_boxed_slice();
        let len = boxed.len();
        DncBytes {
            ptr: Box::into_raw(boxed).cast::<u8>(),
            len,
        }
    }
}

/// Gives back bytes the library returned (`dnc_snapshot`,
/// `dnc_replay_line`, `dnc_dial_decision_explain`). Freeing `{NULL, 0}`
/// does nothing.
///
/// # Safety
/// `bytes` was returned by this library and not freed before, its fields
/// unchanged.
///
/// Thread safety: any thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_bytes_free(bytes: DncBytes) {
    if bytes.ptr.is_null() {
        return;
    }
    let slice = std::ptr::slice_from_raw_parts_mut(bytes.ptr, bytes.len);
    // SAFETY: `ptr` and `len` are those of a boxed slice this library leaked
    // in `DncBytes::give`, given back once (the caller's promise).
    drop(unsafe { Box::from_raw(slice) });
}

/// `pointer` as a reference, or the failure naming `what`.
///
/// # Safety
/// `pointer`, when not null, points at a valid `T` for `'a`.
pub(crate) unsafe fn required<'a, T>(pointer: *const T, what: &str) -> Result<&'a T, Failure> {
    // SAFETY: the caller's promise; null is checked here.
    unsafe { pointer.as_ref() }.ok_or_else(|| Failure::null(what))
}

/// `pointer` as a mutable reference (to a live engine handle), or the
/// failure naming `what`.
///
/// # Safety
/// `pointer`, when not null, points at a valid `T` no one else uses for
/// `'a`.
pub(crate) unsafe fn required_mut<'a, T>(
    pointer: *mut T,
    what: &str,
) -> Result<&'a mut T, Failure> {
    // SAFETY: the caller's promise; null is checked here.
    unsafe { pointer.as_mut() }.ok_or_else(|| Failure::null(what))
}

/// `count` items at `pointer`; a null pointer is allowed for 0 items only.
///
/// # Safety
/// `pointer`, when not null, points at `count` valid `T`s for `'a`.
pub(crate) unsafe fn slice<'a, T>(
    pointer: *const T,
    count: usize,
    what: &str,
) -> Result<&'a [T], Failure> {
    if pointer.is_null() {
        return if count == 0 {
            Ok(&[])
        } else {
            Err(Failure::new(
                DncStatus::NullArgument,
                format!("{what} is a null pointer with {count} items"),
            ))
        };
    }
    // SAFETY: not null (and so aligned, the caller's promise), `count`
    // valid items.
    Ok(unsafe { std::slice::from_raw_parts(pointer, count) })
}

/// Where answers go: `len` writable items of the caller's, which may be
/// uninitialised, so they are only ever written whole, never read or
/// borrowed.
pub(crate) struct Out<T> {
    ptr: *mut T,
    len: usize,
}

impl<T> Out<T> {
    /// `count` writable items at `pointer`; null is allowed for 0 items only.
    ///
    /// # Safety
    /// `pointer`, when not null, points at `count` writable, aligned `T`s
    /// no one else uses during the call.
    pub(crate) unsafe fn many(
        pointer: *mut T,
        count: usize,
        what: &str,
    ) -> Result<Out<T>, Failure> {
        if pointer.is_null() && count != 0 {
            return Err(Failure::new(
                DncStatus::NullArgument,
                format!("{what} is a null pointer with {count} items"),
            ));
        }
        Ok(Out {
            ptr: pointer,
            len: count,
        })
    }

    /// One writable `T` at `pointer`, which must not be null.
    ///
    /// # Safety
    /// `pointer`, when not null, points at a writable, aligned `T` no one
    /// else uses during the call.
    pub(crate) unsafe fn one(pointer: *mut T, what: &str) -> Result<Out<T>, Failure> {
        if pointer.is_null() {
            return Err(Failure::null(what));
        }
        Ok(Out {
            ptr: pointer,
            len: 1,
        })
    }

    /// Writes item `index` (without reading or dropping what was there).
    pub(crate) fn set(&mut self, index: usize, value: T) {
        assert!(index < self.len, "an answer past the caller's array");
        // SAFETY: in bounds of the writable items `many` or `one` was given.
        unsafe { self.ptr.add(index).write(value) }
    }
}

/// Writes `value` to `pointer` unless it is null (an optional output).
///
/// # Safety
/// `pointer`, when not null, points at a writable, aligned `T`.
pub(crate) unsafe fn put<T>(pointer: *mut T, value: T) {
    if !pointer.is_null() {
        // SAFETY: writable (the caller's promise); written whole, not read.
        unsafe { pointer.write(value) }
    }
}

/// A service id (0 and ids past 2^63 - 1 are refused).
pub(crate) fn service(id: u64) -> Result<ServiceId, DncError> {
    ServiceId::new(id)
}

/// A client id; 0 is "not given".
pub(crate) fn optional_client(id: u64) -> Result<Option<ClientId>, DncError> {
    (id != 0).then(|| ClientId::new(id)).transpose()
}

/// A service id; 0 is "not given".
pub(crate) fn optional_service(id: u64) -> Result<Option<ServiceId>, DncError> {
    (id != 0).then(|| ServiceId::new(id)).transpose()
}

/// The phone, account and zip of a request or entry, each when given.
pub(crate) type Parts = (Option<Phone>, Option<Account>, Option<Zip>);

/// The phone, account and zip of a request or entry, parsed.
///
/// # Safety
/// Each text is valid as [`DncStr::read`] asks.
pub(crate) unsafe fn parts(phone: DncStr, account: DncStr, zip: DncStr) -> Result<Parts, Failure> {
    // SAFETY: passed on from the caller.
    let (phone, account, zip) = unsafe {
        (
            phone.read("phone")?,
            account.read("account")?,
            zip.read("zip")?,
        )
    };
    Ok((
        phone.map(Phone::parse).transpose()?,
        account.map(Account::parse).transpose()?,
        zip.map(Zip::parse).transpose()?,
    ))
}
