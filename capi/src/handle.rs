//! The engine handle and everything that changes it: services, entries one
//! by one and in bulk, account flags, the nightly clear, images, and any
//! replay line.

use dnc_engine::{ClientId, DncKey, Engine, EntryId, FlagUpdate, Lifetime, NewEntry};
use dnc_replay::ReplaySession;

use crate::input::{
    DncBytes, DncStr, Out, optional_client, optional_service, parts, put, required, required_mut,
    service, slice,
};
use crate::status::{DncStatus, Failure, guard};

/// An engine, opaque to C. Made by `dnc_engine_new` or `dnc_restore`,
/// given back with `dnc_engine_free`.
///
/// Thread safety: the functions that take `const DncEngine *` only read it
/// and may run on many threads at once; those that take `DncEngine *` change
/// it and need the caller's lock (no other call on the same handle, reading
/// or changing, at the same time): a reader-writer lock around the handle
/// is the usual shape.
#[derive(Debug, Default)]
pub struct DncEngine {
    /// The engine, inside the replay session that answers replay lines.
    pub(crate) session: ReplaySession,
}

impl DncEngine {
    pub(crate) fn engine(&self) -> &Engine {
        self.session.engine()
    }
}

/// An entry to add. Texts are `{NULL, 0}` when not given; `client` and
/// `service` are 0 when not given (at least one is needed; with both, the
/// service must be the client's). `id` 0 lets the engine assign one.
/// The key is one of: a phone, an account, a phone and an account, a zip.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct DncNewEntry {
    /// The id to use, or 0 for the next free one.
    pub id: u64,
    /// The client, or 0.
    pub client: u64,
    /// The service the entry is scoped to, or 0 for a client-level entry.
    pub service: u64,
    /// The phone (digits and `*`).
    pub phone: DncStr,
    /// The account.
    pub account: DncStr,
    /// The zip.
    pub zip: DncStr,
    /// 1 for a DAILY entry (removed by the nightly clear), 0 for PERMANENT.
    pub daily: u8,
}

/// One entry's outcome in `dnc_add_many`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DncAddResult {
    /// `DNC_STATUS_OK`, or why this entry was refused.
    pub status: DncStatus,
    /// The entry's id when added, else 0.
    pub id: u64,
}

/// The flags of an account after a change.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DncAccountFlags {
    /// `DO_NOT_DIAL`, permanent: 1 when set.
    pub do_not_dial: u8,
    /// `DO_NOT_DIAL_DAILY`, reset by the nightly clear: 1 when set.
    pub do_not_dial_daily: u8,
}

impl DncNewEntry {
    /// The entry as the engine takes it.
    ///
    /// # Safety
    /// Its texts are valid as [`DncStr::read`] asks.
    unsafe fn parse(&self) -> Result<NewEntry, Failure> {
        // SAFETY: passed on from the caller.
        let (phone, account, zip) = unsafe { parts(self.phone, self.account, self.zip)? };
        let lifetime = match self.daily {
            0 => Lifetime::Permanent,
            1 => Lifetime::Daily,
            other => {
                return Err(Failure::new(
                    DncStatus::InvalidArgument,
                    format!("daily is {other}: 1 for DAILY, 0 for PERMANENT"),
                ));
            }
        };
        Ok(NewEntry {
            id: (self.id != 0).then(|| EntryId::new(self.id)).transpose()?,
            client: optional_client(self.client)?,
            service: optional_service(self.service)?,
            key: DncKey::from_parts(phone, account, zip)?,
            lifetime,
        })
    }
}

/// A new, empty engine. Never null; free it with `dnc_engine_free`.
///
/// Thread safety: any thread.
#[unsafe(no_mangle)]
pub extern "C" fn dnc_engine_new() -> *mut DncEngine {
    Box::into_raw(Box::default())
}

/// Frees an engine; null does nothing.
///
/// # Safety
/// `engine` came from `dnc_engine_new` or `dnc_restore` and is not used
/// again (or is null).
///
/// Thread safety: no other call on the handle may be running.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_engine_free(engine: *mut DncEngine) {
    if engine.is_null() {
        return;
    }
    // A panic in a destructor must not cross into C either.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: made by `Box::into_raw` here, freed once (the caller's
        // promise).
        drop(unsafe { Box::from_raw(engine) });
    }));
}

/// Registers `service` as `client`'s (idempotent for the same pair; a
/// service already another client's is `DNC_STATUS_SERVICE_CLIENT_MISMATCH`).
///
/// # Safety
/// `engine` is a live handle or null.
///
/// Thread safety: changes the engine; under the caller's lock.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_register_service(
    engine: *mut DncEngine,
    client: u64,
    service_id: u64,
) -> DncStatus {
    guard(|| {
        // SAFETY: a live handle or null (the caller's promise).
        let engine = unsafe { required_mut(engine, "engine")? };
        let client = ClientId::new(client)?;
        let service = service(service_id)?;
        engine
            .session
            .engine_mut()
            .register_service(client, service)?;
        Ok(())
    })
}

/// Adds one entry; its id is written to `id_out` (which may be null when
/// not wanted). Refused entries change nothing.
///
/// # Safety
/// `engine` is a live handle or null; `entry` points at a valid
/// `DncNewEntry` whose texts are readable, or is null; `id_out` is
/// writable or null.
///
/// Thread safety: changes the engine; under the caller's lock.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_add(
    engine: *mut DncEngine,
    entry: *const DncNewEntry,
    id_out: *mut u64,
) -> DncStatus {
    guard(|| {
        // SAFETY: the caller's promises, null checked.
        let (engine, entry) =
            unsafe { (required_mut(engine, "engine")?, required(entry, "entry")?) };
        // SAFETY: the entry's texts are readable (the caller's promise).
        let new = unsafe { entry.parse()? };
        let id = engine.session.engine_mut().add(new)?;
        // SAFETY: writable or null (the caller's promise).
        unsafe { put(id_out, id.get()) };
        Ok(())
    })
}

/// Adds `count` entries in one bulk load: each valid entry is added, each
/// refused one changes nothing, and `results[i]` says which (its status
/// and id). `added_out` (may be null) receives how many were added. The
/// call itself fails only for its arguments (a null handle or array).
///
/// # Safety
/// `engine` is a live handle or null; `entries` points at `count` valid
/// entries (or is null with `count` 0); `results` at `count` writable
/// results (likewise); `added_out` is writable or null.
///
/// Thread safety: changes the engine; under the caller's lock.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_add_many(
    engine: *mut DncEngine,
    entries: *const DncNewEntry,
    count: usize,
    results: *mut DncAddResult,
    added_out: *mut usize,
) -> DncStatus {
    guard(|| {
        // SAFETY: the caller's promises, null and lengths checked.
        let (engine, entries, mut results) = unsafe {
            (
                required_mut(engine, "engine")?,
                slice(entries, count, "entries")?,
                Out::many(results, count, "results")?,
            )
        };
        let mut parsed = Vec::with_capacity(count);
        let mut positions = Vec::with_capacity(count);
        for (position, entry) in entries.iter().enumerate() {
            // SAFETY: each entry's texts are readable (the caller's promise).
            match unsafe { entry.parse() } {
                Ok(new) => {
                    parsed.push(new);
                    positions.push(position);
                }
                Err(failure) => results.set(
                    position,
                    DncAddResult {
                        status: failure.status,
                        id: 0,
                    },
                ),
            }
        }
        let outcome = engine.session.engine_mut().add_many(parsed);
        let mut added = 0;
        for (&position, id) in positions.iter().zip(outcome.ids()) {
            if let Some(id) = id {
                results.set(
                    position,
                    DncAddResult {
                        status: DncStatus::Ok,
                        id: id.get(),
                    },
                );
                added += 1;
            }
        }
        for (index, error) in outcome.refused() {
            results.set(
                positions[*index],
                DncAddResult {
                    status: DncStatus::of(error),
                    id: 0,
                },
            );
        }
        // SAFETY: writable or null (the caller's promise).
        unsafe { put(added_out, added) };
        Ok(())
    })
}

/// A flag update: -1 leaves the flag as it is, 0 clears it, 1 sets it.
fn flag_update(value: i32, name: &str) -> Result<Option<bool>, Failure> {
    match value {
        -1 => Ok(None),
        0 => Ok(Some(false)),
        1 => Ok(Some(true)),
        other => Err(Failure::new(
            DncStatus::InvalidArgument,
            format!("{name} is {other}: -1 (unchanged), 0 (clear) or 1 (set)"),
        )),
    }
}

/// Sets or clears the Do Not Dial flags of `client`'s `account`
/// (`do_not_dial` and `do_not_dial_daily`: -1 unchanged, 0 clear, 1 set);
/// the flags after the change go to `flags_out` (may be null).
///
/// # Safety
/// `engine` is a live handle or null; `account`'s text is readable;
/// `flags_out` is writable or null.
///
/// Thread safety: changes the engine; under the caller's lock.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_set_account_flags(
    engine: *mut DncEngine,
    client: u64,
    account: DncStr,
    do_not_dial: i32,
    do_not_dial_daily: i32,
    flags_out: *mut DncAccountFlags,
) -> DncStatus {
    guard(|| {
        // SAFETY: the caller's promises, null checked.
        let (engine, account) =
            unsafe { (required_mut(engine, "engine")?, account.read("account")?) };
        let account = account.ok_or_else(|| {
            Failure::new(
                DncStatus::BadRequest,
                "account is required (it was not given or empty)",
            )
        })?;
        let account = dnc_engine::Account::parse(account)?;
        let client = ClientId::new(client)?;
        let update = FlagUpdate {
            do_not_dial: flag_update(do_not_dial, "do_not_dial")?,
            do_not_dial_daily: flag_update(do_not_dial_daily, "do_not_dial_daily")?,
        };
        let flags = engine
            .session
            .engine_mut()
            .set_account_flags(client, &account, update);
        let flags = DncAccountFlags {
            do_not_dial: u8::from(flags.do_not_dial),
            do_not_dial_daily: u8::from(flags.do_not_dial_daily),
        };
        // SAFETY: writable or null (the caller's promise).
        unsafe { put(flags_out, flags) };
        Ok(())
    })
}

/// The nightly clear: removes every DAILY entry and clears every daily
/// flag, of `client` only, or of every client when `client` is 0. How
/// many entries it removed goes to `removed_out` (may be null).
///
/// # Safety
/// `engine` is a live handle or null; `removed_out` is writable or null.
///
/// Thread safety: changes the engine; under the caller's lock.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_clear_daily(
    engine: *mut DncEngine,
    client: u64,
    removed_out: *mut usize,
) -> DncStatus {
    guard(|| {
        // SAFETY: a live handle or null (the caller's promise).
        let engine = unsafe { required_mut(engine, "engine")? };
        let client = optional_client(client)?;
        let removed = engine.session.engine_mut().clear_daily(client);
        // SAFETY: writable or null (the caller's promise).
        unsafe { put(removed_out, removed) };
        Ok(())
    })
}

/// The whole engine as an image (`Engine::to_image`: everything a
/// restore needs, behind a checksum) in `image_out`; free it with
/// `dnc_bytes_free`.
///
/// # Safety
/// `engine` is a live handle or null; `image_out` is writable or null.
///
/// Thread safety: reads the engine; from many threads at once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_snapshot(
    engine: *const DncEngine,
    image_out: *mut DncBytes,
) -> DncStatus {
    guard(|| {
        // SAFETY: the caller's promises, null checked.
        let (engine, mut out) = unsafe {
            (
                required(engine, "engine")?,
                Out::one(image_out, "image_out")?,
            )
        };
        out.set(0, DncBytes::give(engine.engine().to_image()));
        Ok(())
    })
}

/// A new engine from an image made by `dnc_snapshot` (or `Engine::to_image`)
/// in `engine_out`; a damaged image is `DNC_STATUS_INVALID_SNAPSHOT` and
/// makes nothing.
///
/// # Safety
/// `image` points at `len` readable bytes (or is null with `len` 0);
/// `engine_out` is writable or null.
///
/// Thread safety: any thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_restore(
    image: *const u8,
    len: usize,
    engine_out: *mut *mut DncEngine,
) -> DncStatus {
    guard(|| {
        // SAFETY: the caller's promises, null and length checked.
        let (image, mut out) = unsafe {
            (
                slice(image, len, "image")?,
                Out::one(engine_out, "engine_out")?,
            )
        };
        let engine = Engine::from_image(image)?;
        out.set(
            0,
            Box::into_raw(Box::new(DncEngine {
                session: ReplaySession::over(engine),
            })),
        );
        Ok(())
    })
}

/// Answers one `dnc replay` request line (JSON, without its line ending)
/// against the engine, so every operation of the engine is reachable: the
/// answer line goes to `answer_out` (free it with `dnc_bytes_free`; empty
/// for a blank line). A request the protocol refuses is still
/// `DNC_STATUS_OK`: its answer is the error object
/// (`{"error":{"code":…,"message":…}}`), as `dnc replay` writes it; so is
/// a line that is not UTF-8 (answered `bad_request`, as `dnc replay`
/// answers it, rather than `DNC_STATUS_INVALID_UTF8`). The line is bytes,
/// not a text: an empty one is a blank line.
///
/// # Safety
/// `engine` is a live handle or null; `line`'s text is readable;
/// `answer_out` is writable or null.
///
/// Thread safety: may change the engine; under the caller's lock.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_replay_line(
    engine: *mut DncEngine,
    line: DncStr,
    answer_out: *mut DncBytes,
) -> DncStatus {
    guard(|| {
        // SAFETY: the caller's promises, null checked.
        let (engine, mut out) = unsafe {
            (
                required_mut(engine, "engine")?,
                Out::one(answer_out, "answer_out")?,
            )
        };
        out.set(0, DncBytes::EMPTY);
        if line.ptr.is_null() && line.len != 0 {
            return Err(Failure::new(
                DncStatus::NullArgument,
                format!("line is a null pointer with length {}", line.len),
            ));
        }
        let bytes = if line.ptr.is_null() {
            &[][..]
        } else {
            // SAFETY: not null, `len` readable bytes (the caller's promise).
            unsafe { std::slice::from_raw_parts(line.ptr.cast::<u8>(), line.len) }
        };
        // Bytes that are not UTF-8 are the protocol's bad_request, answered.
        let answer = engine.session.handle_bytes(bytes).unwrap_or_default();
        out.set(0, DncBytes::give(answer.into_bytes()));
        Ok(())
    })
}
