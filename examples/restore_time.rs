//! Times `Engine::from_image` alone at the scale benchmark's mix, round
//! after round, printing each round's time (the restored engine's drop
//! apart): a probe to run under `perf record`, or two builds of in turn,
//! when working on the restore. The criterion figure is
//! `cargo bench --bench scale --all-features -- load/restore`.
//!
//! `cargo run --release --features image --example restore_time -- [ENTRIES] [ROUNDS] [CACHE]`
//!
//! ENTRIES defaults to 10M and ROUNDS to 5. With CACHE (a file path), the
//! image is read from that file when it exists, else built (about 20 s at
//! 10M) and written there, so that repeated runs skip the build.
#[path = "../benches/support/dataset.rs"]
mod dataset;

use dnc_engine::Engine;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let entries: usize = args
        .next()
        .map_or(10_000_000, |n| n.parse().expect("ENTRIES"));
    let rounds: usize = args.next().map_or(5, |n| n.parse().expect("ROUNDS"));
    let cache = args.next();
    let image = match cache.as_deref().map(std::fs::read) {
        Some(Ok(bytes)) => bytes,
        _ => {
            let started = Instant::now();
            let fixture = dataset::mixed_entries(entries, 7);
            let mut engine = dataset::load(&fixture);
            dataset::flag_accounts(&mut engine, 3);
            let image = engine.to_image();
            eprintln!(
                "built an image of {entries} entries in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            if let Some(path) = &cache {
                // Beside the target, then renamed: never a torn cache.
                let partial = format!("{path}.partial");
                std::fs::write(&partial, &image).expect("write the cache");
                std::fs::rename(&partial, path).expect("rename the cache");
            }
            image
        }
    };
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        let restored = Engine::from_image(&image).expect("the image restores");
        let took = started.elapsed().as_secs_f64();
        times.push(took);
        drop(restored);
        eprintln!("from_image {took:.3} s");
    }
    times.sort_by(f64::total_cmp);
    if let Some(median) = times.get(times.len() / 2) {
        eprintln!("median {median:.3} s of {rounds} rounds");
    }
}
