//! Measures the resident memory an engine needs per entry: the process's
//! resident set before and after loading N entries (Linux `/proc/self/statm`).
//!
//! ```sh
//! cargo run --release --example memory -- 1000000 phone
//! cargo run --release --example memory -- 1000000 mixed
//! ```

#[path = "../benches/support/dataset.rs"]
mod dataset;

fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("Linux /proc/self/statm");
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args
        .next()
        .map_or(1_000_000, |n| n.parse().expect("a count"));
    let shape = args.next().unwrap_or_else(|| "phone".to_owned());
    // Generate first, so that only the engine is counted.
    let entries: Vec<dnc_engine::NewEntry> = match shape.as_str() {
        "phone" => dataset::phone_entries(count, 5),
        "mixed" => dataset::mixed_entries(count, 5),
        other => panic!("shape must be phone or mixed, not {other}"),
    };
    let before = resident_bytes();
    let started = std::time::Instant::now();
    let mut engine = dataset::empty_engine();
    let outcome = engine.add_many(entries.iter().cloned());
    assert!(
        outcome.refused().is_empty(),
        "{:?}",
        outcome.refused().first()
    );
    // The outcome is the caller's, not the engine's: not counted.
    drop(outcome);
    let seconds = started.elapsed().as_secs_f64();
    let after = resident_bytes();
    println!(
        "{count} {shape} entries: {:.1} MiB resident, {:.1} bytes/entry; loaded in {seconds:.2} s ({:.2}M entries/s)",
        (after - before) as f64 / (1 << 20) as f64,
        (after - before) as f64 / count as f64,
        count as f64 / seconds / 1e6
    );
    std::hint::black_box(&engine);
}
