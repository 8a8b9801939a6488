//! The checks: `isBlocked` and the dial check, one or in batches, answered
//! in a caller-owned `DncVerdict`. A single check allocates nothing unless
//! more than four entries apply (the library's verdict holds four inline).

use dnc_engine::{Account, DncError, Engine, Query, Verdict};

use crate::handle::DncEngine;
use crate::input::{DncStr, Out, optional_client, parts, required, service, slice};
use crate::status::{DncStatus, Failure, fail, guard};

/// How many entry ids a `DncVerdict` carries; `entry_count` may be larger
/// (ask the replay line `is_blocked` for every id then).
pub const DNC_VERDICT_IDS: usize = 8;

/// A check's request: the service that will dial (required), the client
/// (0: not checked; else it must own the service), and at least one of
/// phone, account and zip (`{NULL, 0}` when not given).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct DncQuery {
    /// The service that will dial.
    pub service: u64,
    /// The client the caller believes owns the service, or 0.
    pub client: u64,
    /// The phone to be called.
    pub phone: DncStr,
    /// The account the call is for.
    pub account: DncStr,
    /// The callee's zip.
    pub zip: DncStr,
}

/// A check's answer and its reasons. `status` is `DNC_STATUS_OK` when the
/// check was answered (blocked or not); otherwise the other fields are 0
/// and, for a single check, `dnc_last_error` says why.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DncVerdict {
    /// Whether the check was answered.
    pub status: DncStatus,
    /// 1 when the contact must not be made.
    pub blocked: u8,
    /// 1 when the account's `DO_NOT_DIAL` flag applies.
    pub do_not_dial: u8,
    /// 1 when the account's `DO_NOT_DIAL_DAILY` flag applies.
    pub do_not_dial_daily: u8,
    /// How many legacy entries apply (all of them, even past the
    /// `DNC_VERDICT_IDS` carried).
    pub entry_count: u32,
    /// For a `DIAL_TIME` client: how many dialtime-list entries apply.
    pub dialtime_count: u32,
    /// The first applicable legacy entry ids, ascending; 0 past the count.
    pub entries: [u64; DNC_VERDICT_IDS],
    /// The first applicable dialtime-list ids, ascending; 0 past the count.
    pub dialtime_entries: [u64; DNC_VERDICT_IDS],
}

impl DncVerdict {
    /// The answer of a failed check.
    pub(crate) fn failed(status: DncStatus) -> DncVerdict {
        DncVerdict {
            status,
            ..DncVerdict::default()
        }
    }

    /// The engine's verdict, as C reads it.
    pub(crate) fn of(verdict: &Verdict) -> DncVerdict {
        let mut answer = DncVerdict {
            status: DncStatus::Ok,
            blocked: u8::from(verdict.is_blocked()),
            do_not_dial: u8::from(verdict.flags().do_not_dial),
            do_not_dial_daily: u8::from(verdict.flags().do_not_dial_daily),
            entry_count: verdict.entries().len() as u32,
            dialtime_count: verdict.dialtime_entries().len() as u32,
            ..DncVerdict::default()
        };
        for (slot, id) in answer.entries.iter_mut().zip(verdict.entries()) {
            *slot = id.get();
        }
        for (slot, id) in answer
            .dialtime_entries
            .iter_mut()
            .zip(verdict.dialtime_entries())
        {
            *slot = id.get();
        }
        answer
    }
}

/// How many queries of a batch are parsed and checked at a time: enough
/// for the engine's batch to overlap its lookups, few enough that the
/// chunk's queries sit on the stack (64 × 56 bytes).
const BATCH_CHUNK: usize = 64;

/// A thread's buffers for batches, kept between calls.
#[derive(Default)]
struct Scratch {
    parsed: Vec<Parsed>,
    positions: Vec<usize>,
    answers: Vec<Result<Verdict, DncError>>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Which check.
#[derive(Clone, Copy)]
enum Rule {
    IsBlocked,
    DialCheck,
}

/// A request's parsed parts: the account is owned here so the query can
/// borrow it.
struct Parsed {
    service: dnc_engine::ServiceId,
    client: Option<dnc_engine::ClientId>,
    phone: Option<dnc_engine::Phone>,
    account: Option<Account>,
    zip: Option<dnc_engine::Zip>,
}

impl Parsed {
    /// # Safety
    /// The query's texts are readable.
    unsafe fn of(query: &DncQuery) -> Result<Parsed, Failure> {
        // SAFETY: passed on from the caller.
        let (phone, account, zip) = unsafe { parts(query.phone, query.account, query.zip)? };
        Ok(Parsed {
            service: service(query.service)?,
            client: optional_client(query.client)?,
            phone,
            account,
            zip,
        })
    }

    fn query(&self) -> Query<'_> {
        Query {
            service: self.service,
            client: self.client,
            phone: self.phone,
            account: self.account.as_ref(),
            zip: self.zip,
        }
    }
}

fn check(engine: &Engine, rule: Rule, query: &Query<'_>) -> Result<Verdict, DncError> {
    match rule {
        Rule::IsBlocked => engine.is_blocked(query),
        Rule::DialCheck => engine.dial_check(query),
    }
}

/// One check into `verdict_out`.
///
/// # Safety
/// As the exported functions ask.
unsafe fn check_one(
    engine: *const DncEngine,
    query: *const DncQuery,
    verdict_out: *mut DncVerdict,
    rule: Rule,
) -> DncStatus {
    // SAFETY: writable or null (the caller's promise).
    let mut out = match unsafe { Out::one(verdict_out, "verdict_out") } {
        Ok(out) => out,
        Err(failure) => return fail(failure),
    };
    let mut answer = DncVerdict::default();
    let status = guard(|| {
        // SAFETY: the caller's promises, null checked.
        let (engine, query) = unsafe { (required(engine, "engine")?, required(query, "query")?) };
        // SAFETY: the query's texts are readable (the caller's promise).
        let parsed = unsafe { Parsed::of(query)? };
        answer = DncVerdict::of(&check(engine.engine(), rule, &parsed.query())?);
        Ok(())
    });
    out.set(
        0,
        if status == DncStatus::Ok {
            answer
        } else {
            DncVerdict::failed(status)
        },
    );
    status
}

/// Many checks into `verdicts[0..count]`, each with its own status.
///
/// # Safety
/// As the exported functions ask.
unsafe fn check_batch(
    engine: *const DncEngine,
    queries: *const DncQuery,
    count: usize,
    verdicts: *mut DncVerdict,
    rule: Rule,
) -> DncStatus {
    guard(|| {
        // SAFETY: the caller's promises, null and lengths checked.
        let (engine, queries, mut verdicts) = unsafe {
            (
                required(engine, "engine")?,
                slice(queries, count, "queries")?,
                Out::many(verdicts, count, "verdicts")?,
            )
        };
        // A chunk at a time: parse it, check its good queries as one batch
        // (their lookups overlap), write each answer in place. The chunk's
        // queries live on the stack and the other buffers are this
        // thread's, kept between calls: a thread's batches allocate only
        // the first time.
        SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            let placeholder = Query::new(dnc_engine::ServiceId::new(1).expect("1 is an id"));
            for (chunk_index, chunk) in queries.chunks(BATCH_CHUNK).enumerate() {
                let first = chunk_index * BATCH_CHUNK;
                scratch.parsed.clear();
                scratch.positions.clear();
                for (offset, query) in chunk.iter().enumerate() {
                    // SAFETY: each query's texts are readable (the caller's
                    // promise).
                    match unsafe { Parsed::of(query) } {
                        Ok(good) => {
                            scratch.parsed.push(good);
                            scratch.positions.push(first + offset);
                        }
                        Err(failure) => {
                            verdicts.set(first + offset, DncVerdict::failed(failure.status))
                        }
                    }
                }
                let good = scratch.parsed.len();
                let mut chunk_queries = [placeholder; BATCH_CHUNK];
                for (slot, parsed) in chunk_queries.iter_mut().zip(&scratch.parsed) {
                    *slot = parsed.query();
                }
                let requests = &chunk_queries[..good];
                match rule {
                    Rule::IsBlocked => engine
                        .engine()
                        .is_blocked_batch(requests, &mut scratch.answers),
                    Rule::DialCheck => engine
                        .engine()
                        .dial_check_batch(requests, &mut scratch.answers),
                }
                for (&position, answer) in scratch.positions.iter().zip(&scratch.answers) {
                    let verdict = match answer {
                        Ok(verdict) => DncVerdict::of(verdict),
                        Err(error) => DncVerdict::failed(DncStatus::of(error)),
                    };
                    verdicts.set(position, verdict);
                }
                // Verdicts that spilled past four ids hold heap memory:
                // give it back now rather than keep it for the next batch.
                scratch.answers.clear();
            }
        });
        Ok(())
    })
}

/// `isBlocked`: every stored value compares literally (a stored
/// `209*******` blocks only the request `209*******`). The answer goes to
/// `verdict_out`, which also carries the status. Allocates nothing when at
/// most four entries apply.
///
/// # Safety
/// `engine` is a live handle or null; `query` points at a valid query
/// whose texts are readable, or is null; `verdict_out` is writable or null.
///
/// Thread safety: reads the engine; from many threads at once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_is_blocked(
    engine: *const DncEngine,
    query: *const DncQuery,
    verdict_out: *mut DncVerdict,
) -> DncStatus {
    // SAFETY: passed on from the caller.
    unsafe { check_one(engine, query, verdict_out, Rule::IsBlocked) }
}

/// The dial check: as `dnc_is_blocked`, except that a stored phone or
/// account containing `*` is a pattern, and the dialed phone must be
/// digits only.
///
/// # Safety
/// As `dnc_is_blocked`.
///
/// Thread safety: reads the engine; from many threads at once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_dial_check(
    engine: *const DncEngine,
    query: *const DncQuery,
    verdict_out: *mut DncVerdict,
) -> DncStatus {
    // SAFETY: passed on from the caller.
    unsafe { check_one(engine, query, verdict_out, Rule::DialCheck) }
}

/// `count` `isBlocked` checks as one batch (faster per check: their memory
/// lookups overlap): `verdicts[i]` answers `queries[i]`, each with its own
/// status. The call fails only for its arguments (null handle or arrays).
///
/// # Safety
/// `engine` is a live handle or null; `queries` points at `count` valid
/// queries (or is null with `count` 0); `verdicts` at `count` writable
/// verdicts (likewise).
///
/// Thread safety: reads the engine; from many threads at once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_is_blocked_batch(
    engine: *const DncEngine,
    queries: *const DncQuery,
    count: usize,
    verdicts: *mut DncVerdict,
) -> DncStatus {
    // SAFETY: passed on from the caller.
    unsafe { check_batch(engine, queries, count, verdicts, Rule::IsBlocked) }
}

/// `count` dial checks as one batch; see `dnc_is_blocked_batch`.
///
/// # Safety
/// As `dnc_is_blocked_batch`.
///
/// Thread safety: reads the engine; from many threads at once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnc_dial_check_batch(
    engine: *const DncEngine,
    queries: *const DncQuery,
    count: usize,
    verdicts: *mut DncVerdict,
) -> DncStatus {
    // SAFETY: passed on from the caller.
    unsafe { check_batch(engine, queries, count, verdicts, Rule::DialCheck) }
}
