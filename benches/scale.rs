//! Benchmarks at scale (10M entries over 100 clients and 1,000 services),
//! each engine figure beside a baseline measured in the same run:
//!
//! - `scale/raw_hashmap_u64`: a `hashbrown::HashMap<u64, u32>` probe with
//!   random keys, the hardware floor the hot path is held to;
//! - `scale/is_blocked/*` and `scale/dial_check/*`: single checks, cycling
//!   through a million different requests, as spread over the list as a
//!   dialer's;
//! - `batch/*`: the same requests checked one by one and as one batch;
//! - `load/*`: bulk load and snapshot restore of the whole dataset;
//! - `sqlite/*`: SQLite in memory answering the same isBlocked rules with one
//!   indexed query, over the same dataset;
//! - `concurrent/*`: checks under a `RwLock` with and without a writer.
//!
//! `DNC_BENCH_ENTRIES` overrides the size; a `--test` smoke run uses 100k.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dnc_engine::{Engine, Query};

#[path = "support/cycle.rs"]
mod cycle;
#[path = "support/dataset.rs"]
mod dataset;

use cycle::{cycle, smoke};

/// Requests per pool: about a million, so that lookups land all over the
/// tables as a dialer's do; a pool that fits in cache would measure the cache.
fn pool() -> usize {
    if smoke() { 4096 } else { 1 << 20 }
}

/// Whether a group is selected by the command line's filters (criterion only
/// filters benchmark functions, so a group checks before its costly setup).
fn wanted(group: &str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    filters.is_empty()
        || filters
            .iter()
            .any(|f| group.contains(f.as_str()) || f.contains(group))
}

fn entry_count() -> usize {
    if smoke() {
        return 100_000;
    }
    std::env::var("DNC_BENCH_ENTRIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000_000)
}

fn label(count: usize) -> String {
    if count % 1_000_000 == 0 {
        format!("{}M", count / 1_000_000)
    } else {
        format!("{}k", count / 1_000)
    }
}

/// The dataset every group shares, built once.
struct Fixture {
    entries: Vec<dnc_engine::NewEntry>,
    engine: Engine,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: std::sync::OnceLock<Fixture> = std::sync::OnceLock::new();
    FIXTURE.get_or_init(|| {
        let entries = dataset::mixed_entries(entry_count(), 7);
        let mut engine = dataset::load(&entries);
        dataset::flag_accounts(&mut engine, 3);
        Fixture { entries, engine }
    })
}

fn hot_path(c: &mut Criterion) {
    if !wanted("scale") {
        return;
    }
    let fixture = fixture();
    let engine = &fixture.engine;
    let n = fixture.entries.len();
    let mut group = c.benchmark_group(format!("scale_{}", label(n)));
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));

    // The floor: a raw HashMap<u64, u32> of as many random keys.
    let mut rng = dataset::Rng::new(99);
    let keys: Vec<u64> = (0..n).map(|_| rng.next()).collect();
    let mut raw: hashbrown::HashMap<u64, u32> = hashbrown::HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        raw.insert(*key, i as u32);
    }
    let raw_hits: Vec<u64> = (0..pool())
        .map(|_| keys[rng.below(n as u64) as usize])
        .collect();
    let raw_misses: Vec<u64> = (0..pool()).map(|_| rng.next()).collect();
    cycle(&mut group, "raw_hashmap_u64/hit", &raw_hits, |k| {
        raw.get(k).is_some()
    });
    cycle(&mut group, "raw_hashmap_u64/miss", &raw_misses, |k| {
        raw.get(k).is_some()
    });
    drop(raw);

    let hits = dataset::hit_queries(&fixture.entries, pool(), 11);
    let misses = dataset::miss_queries(pool(), 13);
    let blocked = |q: &Query<'_>| engine.is_blocked(q).unwrap().is_blocked();
    cycle(&mut group, "is_blocked/phone/hit", &hits, blocked);
    cycle(&mut group, "is_blocked/phone/miss", &misses, blocked);

    let with_account = dataset::asks(&fixture.entries, pool(), true, false, 17);
    let with_zip = dataset::asks(&fixture.entries, pool(), true, true, 19);
    let ask_blocked = |a: &dataset::Ask| engine.is_blocked(&a.query()).unwrap().is_blocked();
    cycle(
        &mut group,
        "is_blocked/phone_account/half_hits",
        &with_account,
        ask_blocked,
    );
    cycle(
        &mut group,
        "is_blocked/phone_account_zip/half_hits",
        &with_zip,
        ask_blocked,
    );

    let dials = dataset::dial_queries(pool(), 23);
    cycle(
        &mut group,
        "dial_check/phone/wildcards_present",
        &dials,
        |q| engine.dial_check(q).unwrap().is_blocked(),
    );
    group.finish();
}

fn bulk_load(c: &mut Criterion) {
    if !wanted("load") {
        return;
    }
    let fixture = fixture();
    let n = fixture.entries.len();
    let mut group = c.benchmark_group("load");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(20));
    group.bench_function(format!("bulk_add/{}", label(n)), |b| {
        b.iter_batched(
            || fixture.entries.clone(),
            |entries| {
                let mut engine = dataset::empty_engine();
                engine
                    .reserve(entries.len())
                    .expect("room for the data set");
                for entry in entries {
                    engine.add(entry).unwrap();
                }
                engine
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function(format!("add_many/{}", label(n)), |b| {
        b.iter_batched(
            || fixture.entries.clone(),
            |entries| {
                let mut engine = dataset::empty_engine();
                let outcome = engine.add_many(entries);
                assert!(outcome.refused().is_empty());
                engine
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn batch(c: &mut Criterion) {
    if !wanted("batch") {
        return;
    }
    let fixture = fixture();
    let engine = &fixture.engine;
    let mut group = c.benchmark_group(format!("batch_{}", label(fixture.entries.len())));
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    // Half hits, half misses, as a call list to scrub; 4,096 per iteration,
    // each iteration a different slice of the pool.
    const LIST: usize = 4096;
    let mut queries = dataset::hit_queries(&fixture.entries, pool() / 2, 29);
    queries.extend(dataset::miss_queries(pool() / 2, 31));
    let mut rng = dataset::Rng::new(37);
    for i in (1..queries.len()).rev() {
        queries.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let lists: Vec<&[Query<'_>]> = queries.chunks(LIST).collect();
    group.throughput(criterion::Throughput::Elements(LIST as u64));
    let mut next = 0;
    group.bench_function("is_blocked/one_by_one", |b| {
        b.iter(|| {
            next = (next + 1) % lists.len();
            lists[next]
                .iter()
                .filter(|q| engine.is_blocked(q).unwrap().is_blocked())
                .count()
        })
    });
    let mut verdicts = Vec::new();
    group.bench_function("is_blocked/batch", |b| {
        b.iter(|| {
            next = (next + 1) % lists.len();
            engine.is_blocked_batch(lists[next], &mut verdicts);
            verdicts
                .iter()
                .filter(|v| v.as_ref().unwrap().is_blocked())
                .count()
        })
    });
    group.finish();
}

/// Checks under `RwLock<Engine>` (the sharing the crate documents), read-only
/// and while another thread makes 10,000 changes a second (an add and a
/// remove, alternately, each under the write lock).
fn concurrent(c: &mut Criterion) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, RwLock};
    use std::time::Instant;

    if !wanted("concurrent") {
        return;
    }
    let fixture = fixture();
    let shared = Arc::new(RwLock::new(fixture.engine.clone()));
    let queries = dataset::dial_queries(pool(), 41);
    let mut group = c.benchmark_group(format!("concurrent_{}", label(fixture.entries.len())));
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    let read = |iters: u64, next: &mut usize| {
        let start = Instant::now();
        for _ in 0..iters {
            *next = (*next + 1) % queries.len();
            let engine = shared.read().unwrap();
            black_box(engine.is_blocked(&queries[*next]).unwrap().is_blocked());
        }
        start.elapsed()
    };
    let read_spinning = |iters: u64, next: &mut usize| {
        let start = Instant::now();
        for _ in 0..iters {
            *next = (*next + 1) % queries.len();
            let engine = dnc_engine::read_spinning(&shared);
            black_box(engine.is_blocked(&queries[*next]).unwrap().is_blocked());
        }
        start.elapsed()
    };
    let mut next = 0;
    group.bench_function("read_only", |b| {
        b.iter_custom(|iters| read(iters, &mut next))
    });

    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (shared, stop) = (Arc::clone(&shared), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut rng = dataset::Rng::new(43);
            let period = Duration::from_micros(100);
            let mut deadline = Instant::now();
            let mut changes = 0u64;
            let mut pending = None;
            while !stop.load(Ordering::Relaxed) {
                {
                    let mut engine = shared.write().unwrap();
                    match pending.take() {
                        Some(id) => {
                            engine.remove(id).unwrap();
                        }
                        None => {
                            let key = dnc_engine::DncKey::Phone(dataset::phone(&mut rng));
                            let new = dnc_engine::NewEntry::for_client(dataset::client(0), key);
                            pending = Some(engine.add(new).unwrap());
                        }
                    }
                }
                changes += 1;
                deadline += period;
                if let Some(wait) = deadline.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
            }
            changes
        })
    };
    let started = Instant::now();
    group.bench_function("read_with_writer_10k_changes_per_s", |b| {
        b.iter_custom(|iters| read(iters, &mut next))
    });
    group.bench_function("read_spinning_with_writer_10k_changes_per_s", |b| {
        b.iter_custom(|iters| read_spinning(iters, &mut next))
    });
    stop.store(true, Ordering::Relaxed);
    let changes = writer.join().unwrap();
    eprintln!(
        "writer made {changes} changes in {:.1} s ({:.0} a second)",
        started.elapsed().as_secs_f64(),
        changes as f64 / started.elapsed().as_secs_f64()
    );
    group.finish();
}

fn restore(c: &mut Criterion) {
    if !wanted("load") {
        return;
    }
    let fixture = fixture();
    let bytes = postcard::to_allocvec(&fixture.engine.snapshot()).unwrap();
    eprintln!(
        "snapshot of {} entries: {} bytes with postcard ({:.1} bytes/entry)",
        fixture.entries.len(),
        bytes.len(),
        bytes.len() as f64 / fixture.entries.len() as f64
    );
    let image = fixture.engine.to_image();
    eprintln!(
        "image of {} entries: {} bytes ({:.1} bytes/entry)",
        fixture.entries.len(),
        image.len(),
        image.len() as f64 / fixture.entries.len() as f64
    );
    let mut group = c.benchmark_group("load");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(20));
    // The two forms side by side, in one run, from bytes to a ready engine.
    // The restored engine is dropped outside the timing (`iter_with_large_drop`):
    // freeing 1 GB is the old engine's cost, not the restore's.
    group.bench_function(
        format!("restore_image/{}", label(fixture.entries.len())),
        |b| b.iter_with_large_drop(|| Engine::from_image(&image).unwrap()),
    );
    group.bench_function(
        format!("restore_postcard/{}", label(fixture.entries.len())),
        |b| {
            b.iter_with_large_drop(|| {
                let snapshot: dnc_engine::Snapshot = postcard::from_bytes(&bytes).unwrap();
                Engine::restore(snapshot).unwrap()
            })
        },
    );
    group.finish();
}

/// SQLite in memory, loaded with the same dataset, answering isBlocked with
/// one indexed statement: a compound SELECT, one arm per key kind, each
/// served by an index on (client, key).
fn sqlite(c: &mut Criterion) {
    use dnc_engine::DncKey;
    use rusqlite::{Connection, params};

    if !wanted("sqlite") {
        return;
    }
    let fixture = fixture();
    let db = Connection::open_in_memory().unwrap();
    db.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE TABLE services(service INTEGER PRIMARY KEY, client INTEGER NOT NULL);
         CREATE TABLE dnc(id INTEGER PRIMARY KEY, client INTEGER NOT NULL, service INTEGER,
                          kind INTEGER NOT NULL, phone TEXT, account TEXT COLLATE NOCASE, zip TEXT);
         CREATE TABLE flags(client INTEGER NOT NULL, account TEXT NOT NULL COLLATE NOCASE,
                            dnd INTEGER NOT NULL, dndd INTEGER NOT NULL,
                            PRIMARY KEY(client, account));",
    )
    .unwrap();
    let tx = db.unchecked_transaction().unwrap();
    {
        let mut add = tx.prepare("INSERT INTO services VALUES (?1, ?2)").unwrap();
        for (client, service) in fixture.engine.services() {
            add.execute(params![service.get() as i64, client.get() as i64])
                .unwrap();
        }
        let mut add = tx
            .prepare("INSERT INTO dnc VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .unwrap();
        for entry in fixture.engine.entries() {
            let (kind, phone, account, zip) = match &entry.key {
                DncKey::Phone(p) => (0, Some(p.to_string()), None, None),
                DncKey::Account(a) => (1, None, Some(a.to_string()), None),
                DncKey::PhoneAccount(p, a) => (2, Some(p.to_string()), Some(a.to_string()), None),
                DncKey::Zip(z) => (3, None, None, Some(z.to_string())),
            };
            add.execute(params![
                entry.id.get() as i64,
                entry.client.get() as i64,
                entry.service.map(|s| s.get() as i64),
                kind,
                phone,
                account,
                zip
            ])
            .unwrap();
        }
        let mut add = tx
            .prepare("INSERT INTO flags VALUES (?1, ?2, ?3, ?4)")
            .unwrap();
        for (client, account, flags) in fixture.engine.all_account_flags() {
            add.execute(params![
                client.get() as i64,
                account.as_str(),
                flags.do_not_dial,
                flags.do_not_dial_daily
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
    db.execute_batch(
        "CREATE INDEX dnc_phone ON dnc(client, phone);
         CREATE INDEX dnc_account ON dnc(client, account);
         CREATE INDEX dnc_zip ON dnc(client, zip);
         ANALYZE;",
    )
    .unwrap();
    let mut statement = db
        .prepare(
            "WITH c AS (SELECT client FROM services WHERE service = ?1)
             SELECT d.id FROM dnc d, c WHERE d.client = c.client AND d.phone = ?2
                 AND (d.kind = 0 OR (d.kind = 2 AND d.account = ?3))
                 AND (d.service IS NULL OR d.service = ?1)
             UNION ALL SELECT d.id FROM dnc d, c WHERE d.client = c.client AND d.account = ?3
                 AND d.kind = 1 AND (d.service IS NULL OR d.service = ?1)
             UNION ALL SELECT d.id FROM dnc d, c WHERE d.client = c.client AND d.zip = ?4
                 AND d.kind = 3 AND (d.service IS NULL OR d.service = ?1)
             UNION ALL SELECT -1 FROM flags f, c WHERE f.client = c.client AND f.account = ?3
                 AND (f.dnd OR f.dndd)",
        )
        .unwrap();
    let hits = dataset::hit_queries(&fixture.entries, pool(), 11);
    let misses = dataset::miss_queries(pool(), 13);
    // The engine and SQLite must agree before their speeds are compared.
    for query in hits.iter().take(1000).chain(misses.iter().take(1000)) {
        let phone = query.phone.unwrap().to_string();
        let found = statement
            .query_map(
                params![
                    query.service.get() as i64,
                    phone,
                    None::<String>,
                    None::<String>
                ],
                |row| row.get::<_, i64>(0),
            )
            .unwrap()
            .count();
        let engine = fixture.engine.is_blocked(query).unwrap();
        assert_eq!(
            found,
            engine.entries().len(),
            "SQLite and the engine disagree on {query:?}"
        );
    }
    let mut group = c.benchmark_group(format!("sqlite_{}", label(fixture.entries.len())));
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for (name, pool) in [("hit", &hits), ("miss", &misses)] {
        let phones: Vec<(i64, String)> = pool
            .iter()
            .map(|q| (q.service.get() as i64, q.phone.unwrap().to_string()))
            .collect();
        let mut next = 0;
        group.bench_function(format!("is_blocked/phone/{name}"), |b| {
            b.iter(|| {
                next = (next + 1) % phones.len();
                let (service, phone) = &phones[next];
                let mut rows = statement
                    .query(params![service, phone, None::<String>, None::<String>])
                    .unwrap();
                black_box(rows.next().unwrap().is_some())
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches, hot_path, batch, concurrent, sqlite, bulk_load, restore
);
criterion_main!(benches);
