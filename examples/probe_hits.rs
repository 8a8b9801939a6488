//! Times is_blocked hits on a generated engine (a profiling aid).
#[path = "../benches/support/dataset.rs"]
mod dataset;
fn main() {
    let n: usize = std::env::args().nth(1).map_or(1_000_000, |a| a.parse().unwrap());
    let entries = dataset::mixed_entries(n, 7);
    let engine = dataset::load(&entries);
    let hits = dataset::hit_queries(&entries, 4096, 11);
    let start = std::time::Instant::now();
    let mut blocked = 0;
    for round in 0..2000 {
        for q in &hits {
            blocked += engine.is_blocked(q).unwrap().is_blocked() as usize;
        }
        if round == 0 { eprintln!("first round done"); }
    }
    let per = start.elapsed().as_nanos() as f64 / (2000.0 * 4096.0);
    println!("{blocked} hits, {per:.1} ns per check");
}
