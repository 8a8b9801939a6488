//! The C ABI driven with random operations, bad texts, null pointers and
//! null pointers with lengths, side by side with the Rust engine: every
//! status is the one the Rust call's error names, every verdict the Rust
//! verdict, and nothing panics or crashes.
#![allow(unsafe_code)]

use dnc_capi::*;
use dnc_engine::{
    Account, ClientId, DncError, DncKey, Engine, EntryId, FlagUpdate, Lifetime, NewEntry, Phone,
    Query, ServiceId, Verdict, Zip,
};
use proptest::prelude::*;

const PHONES: &[&str] = &[
    "4152257000",
    "6173432000",
    "415*******",
    "12ab",
    "",
    "5034441000",
];
const ACCOUNTS: &[&str] = &["A12345", "A6789", "A*", "has space", "a12345", ""];
const ZIPS: &[&str] = &["94110", "9411*", "1234", "02134", ""];

/// A text: not given, given, or a null pointer with a length (refused).
#[derive(Clone, Debug)]
enum Text {
    None,
    Given(&'static str),
    NullWithLength(usize),
}

impl Text {
    fn c(&self) -> DncStr {
        match self {
            Text::None => DncStr::NONE,
            Text::Given(text) => DncStr::of(text),
            Text::NullWithLength(len) => DncStr {
                ptr: std::ptr::null(),
                len: *len,
            },
        }
    }

    /// What the Rust side sees: `Err` for the text the ABI refuses itself.
    /// An empty text is "not given" (SPEC 6: `""` means absent).
    fn rust(&self) -> Result<Option<&'static str>, DncStatus> {
        match self {
            Text::None => Ok(None),
            Text::Given("") => Ok(None),
            Text::Given(text) => Ok(Some(text)),
            Text::NullWithLength(_) => Err(DncStatus::NullArgument),
        }
    }
}

fn text(pool: &'static [&'static str]) -> impl Strategy<Value = Text> {
    prop_oneof![
        3 => Just(Text::None),
        6 => proptest::sample::select(pool).prop_map(Text::Given),
        1 => (1usize..5).prop_map(Text::NullWithLength),
    ]
}

#[derive(Clone, Debug)]
struct Entry {
    id: u64,
    client: u64,
    service: u64,
    phone: Text,
    account: Text,
    zip: Text,
    daily: u8,
}

fn entry() -> impl Strategy<Value = Entry> {
    (
        prop_oneof![Just(0u64), 1u64..40],
        0u64..4,
        0u64..6,
        text(PHONES),
        text(ACCOUNTS),
        text(ZIPS),
        prop_oneof![4 => 0u8..2, 1 => Just(2u8)],
    )
        .prop_map(|(id, client, service, phone, account, zip, daily)| Entry {
            id,
            client,
            service,
            phone,
            account,
            zip,
            daily,
        })
}

#[derive(Clone, Debug)]
struct Request {
    service: u64,
    client: u64,
    phone: Text,
    account: Text,
    zip: Text,
}

fn request() -> impl Strategy<Value = Request> {
    (0u64..6, 0u64..4, text(PHONES), text(ACCOUNTS), text(ZIPS)).prop_map(
        |(service, client, phone, account, zip)| Request {
            service,
            client,
            phone,
            account,
            zip,
        },
    )
}

#[derive(Clone, Debug)]
enum Op {
    Register(u64, u64),
    Add(Entry),
    AddMany(Vec<Entry>),
    Flags(u64, Text, i32, i32),
    Clear(u64),
    IsBlocked(Request),
    DialCheck(Request),
    Batch(Vec<Request>),
    /// A call with a null engine, output or array.
    Nulls(Request),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u64..4, 0u64..6).prop_map(|(c, s)| Op::Register(c, s)),
        5 => entry().prop_map(Op::Add),
        2 => proptest::collection::vec(entry(), 0..6).prop_map(Op::AddMany),
        2 => (0u64..4, text(ACCOUNTS), -2i32..3, -1i32..2).prop_map(|(c, a, d, y)| Op::Flags(c, a, d, y)),
        1 => (0u64..4).prop_map(Op::Clear),
        5 => request().prop_map(Op::IsBlocked),
        3 => request().prop_map(Op::DialCheck),
        2 => proptest::collection::vec(request(), 0..6).prop_map(Op::Batch),
        1 => request().prop_map(Op::Nulls),
    ]
}

fn status_of(error: DncError) -> DncStatus {
    DncStatus::of(&error)
}

/// The Rust side of an entry, or the status the ABI must answer.
fn rust_entry(entry: &Entry) -> Result<NewEntry, DncStatus> {
    let phone = entry.phone.rust()?;
    let account = entry.account.rust()?;
    let zip = entry.zip.rust()?;
    let phone = phone.map(Phone::parse).transpose().map_err(status_of)?;
    let account = account.map(Account::parse).transpose().map_err(status_of)?;
    let zip = zip.map(Zip::parse).transpose().map_err(status_of)?;
    let lifetime = match entry.daily {
        0 => Lifetime::Permanent,
        1 => Lifetime::Daily,
        _ => return Err(DncStatus::InvalidArgument),
    };
    let id = (entry.id != 0)
        .then(|| EntryId::new(entry.id))
        .transpose()
        .map_err(status_of)?;
    let client = (entry.client != 0)
        .then(|| ClientId::new(entry.client))
        .transpose()
        .map_err(status_of)?;
    let service = (entry.service != 0)
        .then(|| ServiceId::new(entry.service))
        .transpose()
        .map_err(status_of)?;
    let key = DncKey::from_parts(phone, account, zip).map_err(status_of)?;
    Ok(NewEntry {
        id,
        client,
        service,
        key,
        lifetime,
    })
}

fn c_entry(entry: &Entry) -> DncNewEntry {
    DncNewEntry {
        id: entry.id,
        client: entry.client,
        service: entry.service,
        phone: entry.phone.c(),
        account: entry.account.c(),
        zip: entry.zip.c(),
        daily: entry.daily,
    }
}

fn c_query(request: &Request) -> DncQuery {
    DncQuery {
        service: request.service,
        client: request.client,
        phone: request.phone.c(),
        account: request.account.c(),
        zip: request.zip.c(),
    }
}

/// The verdict the ABI must give for `request`, from the Rust engine.
fn rust_check(engine: &Engine, request: &Request, dial: bool) -> Result<Verdict, DncStatus> {
    let phone = request.phone.rust()?;
    let account = request.account.rust()?;
    let zip = request.zip.rust()?;
    let phone = phone.map(Phone::parse).transpose().map_err(status_of)?;
    let account = account.map(Account::parse).transpose().map_err(status_of)?;
    let zip = zip.map(Zip::parse).transpose().map_err(status_of)?;
    let service = ServiceId::new(request.service).map_err(status_of)?;
    let client = (request.client != 0)
        .then(|| ClientId::new(request.client))
        .transpose()
        .map_err(status_of)?;
    let query = Query {
        service,
        client,
        phone,
        account: account.as_ref(),
        zip,
    };
    let verdict = if dial {
        engine.dial_check(&query)
    } else {
        engine.is_blocked(&query)
    };
    verdict.map_err(status_of)
}

fn assert_same(c: &DncVerdict, rust: &Result<Verdict, DncStatus>) {
    match rust {
        Err(status) => {
            assert_eq!(c.status, *status);
            assert_eq!((c.blocked, c.entry_count), (0, 0));
        }
        Ok(verdict) => {
            assert_eq!(c.status, DncStatus::Ok);
            assert_eq!(c.blocked == 1, verdict.is_blocked());
            assert_eq!(c.do_not_dial == 1, verdict.flags().do_not_dial);
            assert_eq!(c.do_not_dial_daily == 1, verdict.flags().do_not_dial_daily);
            let ids: Vec<u64> = verdict.entries().iter().map(|id| id.get()).collect();
            assert_eq!(c.entry_count as usize, ids.len());
            let shown = ids.len().min(DNC_VERDICT_IDS);
            assert_eq!(&c.entries[..shown], &ids[..shown]);
            assert!(c.entries[shown..].iter().all(|&id| id == 0));
        }
    }
}

fn run(ops: &[Op]) {
    let handle = dnc_engine_new();
    let mut rust = Engine::new();
    for op in ops {
        // SAFETY: `handle` is live; every pointer below points at a local
        // that outlives the call, or is null on purpose.
        unsafe {
            match op {
                Op::Register(client, service) => {
                    let want = ClientId::new(*client)
                        .and_then(|c| ServiceId::new(*service).map(|s| (c, s)))
                        .and_then(|(c, s)| rust.register_service(c, s))
                        .map_err(status_of);
                    let got = dnc_register_service(handle, *client, *service);
                    assert_eq!(got, want.err().unwrap_or(DncStatus::Ok));
                }
                Op::Add(entry) => {
                    let want = rust_entry(entry).and_then(|new| rust.add(new).map_err(status_of));
                    let mut id = 0;
                    let got = dnc_add(handle, &c_entry(entry), &mut id);
                    match want {
                        Ok(want) => assert_eq!((got, id), (DncStatus::Ok, want.get())),
                        Err(status) => assert_eq!(got, status, "{}", read_error()),
                    }
                }
                Op::AddMany(entries) => {
                    let parsed: Vec<Result<NewEntry, DncStatus>> =
                        entries.iter().map(rust_entry).collect();
                    let good: Vec<NewEntry> =
                        parsed.iter().filter_map(|e| e.clone().ok()).collect();
                    let outcome = rust.add_many(good);
                    let mut want = Vec::new();
                    let mut next = 0;
                    for entry in &parsed {
                        want.push(match entry {
                            Err(status) => DncAddResult {
                                status: *status,
                                id: 0,
                            },
                            Ok(_) => {
                                let result = match outcome.ids()[next] {
                                    Some(id) => DncAddResult {
                                        status: DncStatus::Ok,
                                        id: id.get(),
                                    },
                                    None => {
                                        let error = &outcome
                                            .refused()
                                            .iter()
                                            .find(|(at, _)| *at == next)
                                            .unwrap()
                                            .1;
                                        DncAddResult {
                                            status: DncStatus::of(error),
                                            id: 0,
                                        }
                                    }
                                };
                                next += 1;
                                result
                            }
                        });
                    }
                    let c_entries: Vec<DncNewEntry> = entries.iter().map(c_entry).collect();
                    let mut results = vec![
                        DncAddResult {
                            status: DncStatus::Internal,
                            id: 99
                        };
                        entries.len()
                    ];
                    let mut added = usize::MAX;
                    let status = dnc_add_many(
                        handle,
                        c_entries.as_ptr(),
                        c_entries.len(),
                        results.as_mut_ptr(),
                        &mut added,
                    );
                    assert_eq!(status, DncStatus::Ok);
                    assert_eq!(results, want);
                    assert_eq!(
                        added,
                        want.iter().filter(|r| r.status == DncStatus::Ok).count()
                    );
                }
                Op::Flags(client, account, dnd, daily) => {
                    let update = |v: i32| match v {
                        -1 => Ok(None),
                        0 => Ok(Some(false)),
                        1 => Ok(Some(true)),
                        _ => Err(DncStatus::InvalidArgument),
                    };
                    let want = (|| {
                        let text = account.rust()?.ok_or(DncStatus::BadRequest)?;
                        let account = Account::parse(text).map_err(status_of)?;
                        let client = ClientId::new(*client).map_err(status_of)?;
                        let update = FlagUpdate {
                            do_not_dial: update(*dnd)?,
                            do_not_dial_daily: update(*daily)?,
                        };
                        Ok(rust.set_account_flags(client, &account, update))
                    })();
                    let mut flags = DncAccountFlags::default();
                    let got = dnc_set_account_flags(
                        handle,
                        *client,
                        account.c(),
                        *dnd,
                        *daily,
                        &mut flags,
                    );
                    match want {
                        Ok(want) => {
                            assert_eq!(got, DncStatus::Ok);
                            assert_eq!(
                                (flags.do_not_dial == 1, flags.do_not_dial_daily == 1),
                                (want.do_not_dial, want.do_not_dial_daily)
                            );
                        }
                        Err(status) => assert_eq!(got, status),
                    }
                }
                Op::Clear(client) => {
                    let want =
                        rust.clear_daily((*client != 0).then(|| ClientId::new(*client).unwrap()));
                    let mut removed = usize::MAX;
                    assert_eq!(
                        dnc_clear_daily(handle, *client, &mut removed),
                        DncStatus::Ok
                    );
                    assert_eq!(removed, want);
                }
                Op::IsBlocked(request) | Op::DialCheck(request) => {
                    let dial = matches!(op, Op::DialCheck(_));
                    let want = rust_check(&rust, request, dial);
                    let mut verdict = DncVerdict::default();
                    let status = if dial {
                        dnc_dial_check(handle, &c_query(request), &mut verdict)
                    } else {
                        dnc_is_blocked(handle, &c_query(request), &mut verdict)
                    };
                    assert_eq!(status, verdict.status);
                    assert_same(&verdict, &want);
                }
                Op::Batch(requests) => {
                    let queries: Vec<DncQuery> = requests.iter().map(c_query).collect();
                    let mut verdicts = vec![DncVerdict::failed_for_tests(); queries.len()];
                    let status = dnc_is_blocked_batch(
                        handle,
                        queries.as_ptr(),
                        queries.len(),
                        verdicts.as_mut_ptr(),
                    );
                    assert_eq!(status, DncStatus::Ok);
                    for (request, verdict) in requests.iter().zip(&verdicts) {
                        assert_same(verdict, &rust_check(&rust, request, false));
                    }
                }
                Op::Nulls(request) => {
                    let query = c_query(request);
                    let mut verdict = DncVerdict::default();
                    assert_eq!(
                        dnc_is_blocked(std::ptr::null(), &query, &mut verdict),
                        DncStatus::NullArgument
                    );
                    assert_eq!(verdict.status, DncStatus::NullArgument);
                    assert_eq!(
                        dnc_is_blocked(handle, std::ptr::null(), &mut verdict),
                        DncStatus::NullArgument
                    );
                    assert_eq!(
                        dnc_is_blocked(handle, &query, std::ptr::null_mut()),
                        DncStatus::NullArgument
                    );
                    let mut one = DncVerdict::default();
                    assert_eq!(
                        dnc_is_blocked_batch(handle, std::ptr::null(), 3, &mut one),
                        DncStatus::NullArgument
                    );
                    assert_eq!(
                        dnc_is_blocked_batch(handle, &query, 1, std::ptr::null_mut()),
                        DncStatus::NullArgument
                    );
                    // Zero items may come with null arrays.
                    assert_eq!(
                        dnc_is_blocked_batch(handle, std::ptr::null(), 0, std::ptr::null_mut()),
                        DncStatus::Ok
                    );
                    assert_eq!(
                        dnc_add(std::ptr::null_mut(), std::ptr::null(), std::ptr::null_mut()),
                        DncStatus::NullArgument
                    );
                    assert_eq!(
                        dnc_add_many(
                            handle,
                            std::ptr::null(),
                            2,
                            std::ptr::null_mut(),
                            std::ptr::null_mut()
                        ),
                        DncStatus::NullArgument
                    );
                    assert_eq!(
                        dnc_register_service(std::ptr::null_mut(), 1, 1),
                        DncStatus::NullArgument
                    );
                    assert_eq!(
                        dnc_clear_daily(std::ptr::null_mut(), 0, std::ptr::null_mut()),
                        DncStatus::NullArgument
                    );
                    assert_eq!(
                        dnc_snapshot(handle, std::ptr::null_mut()),
                        DncStatus::NullArgument
                    );
                    let mut none = std::ptr::null_mut();
                    assert_eq!(
                        dnc_restore(std::ptr::null(), 8, &mut none),
                        DncStatus::NullArgument
                    );
                    assert_eq!(
                        dnc_restore(std::ptr::null(), 0, &mut none),
                        DncStatus::InvalidSnapshot
                    );
                    assert!(none.is_null());
                    let mut answer = DncBytes {
                        ptr: std::ptr::null_mut(),
                        len: 0,
                    };
                    let line = DncStr {
                        ptr: std::ptr::null(),
                        len: 4,
                    };
                    assert_eq!(
                        dnc_replay_line(handle, line, &mut answer),
                        DncStatus::NullArgument
                    );
                    assert!(!read_error().is_empty());
                }
            }
        }
    }
    // The two engines end alike, and an image of the C one restores it.
    // SAFETY: `handle` is live; the image is freed once.
    unsafe {
        let mut image = DncBytes {
            ptr: std::ptr::null_mut(),
            len: 0,
        };
        assert_eq!(dnc_snapshot(handle, &mut image), DncStatus::Ok);
        let bytes = std::slice::from_raw_parts(image.ptr, image.len).to_vec();
        dnc_bytes_free(image);
        let restored = Engine::from_image(&bytes).unwrap();
        assert!(
            restored.snapshot() == rust.snapshot(),
            "the C engine and the Rust engine differ"
        );
        dnc_engine_free(handle);
    }
}

fn read_error() -> String {
    // SAFETY: dnc_last_error returns a NUL-terminated string of this thread.
    unsafe { std::ffi::CStr::from_ptr(dnc_last_error()) }
        .to_string_lossy()
        .into_owned()
}

trait ForTests {
    fn failed_for_tests() -> Self;
}

impl ForTests for DncVerdict {
    /// A verdict the ABI must overwrite.
    fn failed_for_tests() -> DncVerdict {
        DncVerdict {
            status: DncStatus::Internal,
            blocked: 7,
            entry_count: 99,
            ..DncVerdict::default()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_c_abi_answers_as_the_rust_engine(ops in proptest::collection::vec(op(), 1..40)) {
        run(&ops);
    }
}

#[test]
fn a_damaged_image_is_refused_and_makes_no_engine() {
    // SAFETY: every pointer points at a local that outlives the call.
    unsafe {
        let mut engine = std::ptr::null_mut();
        let garbage = b"DNCIMAGE not really";
        assert_eq!(
            dnc_restore(garbage.as_ptr(), garbage.len(), &mut engine),
            DncStatus::InvalidSnapshot
        );
        assert!(engine.is_null());
        assert!(
            read_error().contains("invalid_snapshot"),
            "{}",
            read_error()
        );
    }
}

#[test]
fn a_replay_line_answers_as_dnc_replay_and_bad_bytes_are_a_bad_request() {
    // SAFETY: `handle` is live; answers are freed once.
    unsafe {
        let handle = dnc_engine_new();
        let answer = |line: &[u8]| {
            let mut out = DncBytes {
                ptr: std::ptr::null_mut(),
                len: 0,
            };
            let line = DncStr {
                ptr: line.as_ptr().cast(),
                len: line.len(),
            };
            assert_eq!(dnc_replay_line(handle, line, &mut out), DncStatus::Ok);
            let text = if out.ptr.is_null() {
                String::new()
            } else {
                String::from_utf8(std::slice::from_raw_parts(out.ptr, out.len).to_vec()).unwrap()
            };
            dnc_bytes_free(out);
            text
        };
        assert_eq!(
            answer(br#"{"op":"add_service","client":1,"service":2}"#),
            r#"{"ok":true}"#
        );
        assert_eq!(answer(b"   "), "", "a blank line has no answer");
        assert!(answer(b"\xff\xfe").contains("bad_request"));
        assert!(answer(br#"{"op":"nope"}"#).contains("error"));
        // A typed call sees what the line did.
        let query = DncQuery {
            service: 2,
            client: 1,
            phone: DncStr::of("4152257000"),
            account: DncStr::NONE,
            zip: DncStr::NONE,
        };
        let mut verdict = DncVerdict::default();
        assert_eq!(dnc_is_blocked(handle, &query, &mut verdict), DncStatus::Ok);
        assert_eq!(verdict.blocked, 0);
        dnc_engine_free(handle);
    }
}

#[test]
fn a_batch_longer_than_a_chunk_answers_each_query_as_a_single_check() {
    // SAFETY: `handle` is live; every pointer points at a local.
    unsafe {
        let handle = dnc_engine_new();
        assert_eq!(dnc_register_service(handle, 1, 2), DncStatus::Ok);
        let phones: Vec<String> = (0..3000).map(|i| format!("41555{:05}", i)).collect();
        for phone in phones.iter().step_by(3) {
            let entry = DncNewEntry {
                id: 0,
                client: 1,
                service: 0,
                phone: DncStr::of(phone),
                account: DncStr::NONE,
                zip: DncStr::NONE,
                daily: 0,
            };
            assert_eq!(dnc_add(handle, &entry, std::ptr::null_mut()), DncStatus::Ok);
        }
        // Every seventh query is refused (a bad phone), across chunk edges.
        let bad = "41x";
        let queries: Vec<DncQuery> = phones
            .iter()
            .enumerate()
            .map(|(i, phone)| DncQuery {
                service: 2,
                client: 0,
                phone: DncStr::of(if i % 7 == 6 { bad } else { phone }),
                account: DncStr::NONE,
                zip: DncStr::NONE,
            })
            .collect();
        let mut verdicts = vec![DncVerdict::failed_for_tests(); queries.len()];
        let status = dnc_is_blocked_batch(
            handle,
            queries.as_ptr(),
            queries.len(),
            verdicts.as_mut_ptr(),
        );
        assert_eq!(status, DncStatus::Ok);
        for (query, verdict) in queries.iter().zip(&verdicts) {
            let mut single = DncVerdict::default();
            dnc_is_blocked(handle, query, &mut single);
            assert_eq!(*verdict, single);
        }
        assert_eq!(
            verdicts.iter().filter(|v| v.blocked == 1).count(),
            (0..3000).filter(|i| i % 3 == 0 && i % 7 != 6).count()
        );
        dnc_engine_free(handle);
    }
}
