//! Many dialer threads checking while an agent desktop records an in-call
//! opt-out: the engine behind a standard `RwLock`. The opt-out is blocked for
//! every check that starts after `add` returns.
//!
//! ```sh
//! cargo run --example shared_engine
//! ```

use std::sync::{Arc, RwLock};
use std::thread;

use dnc_engine::{ClientId, DncKey, Engine, NewEntry, Phone, Query, ServiceId, read_spinning};

fn main() -> Result<(), dnc_engine::DncError> {
    let (client, service) = (ClientId::new(1)?, ServiceId::new(10)?);
    let mut engine = Engine::new();
    engine.register_service(client, service)?;
    let shared = Arc::new(RwLock::new(engine));

    let opted_out = Phone::parse("4155550100")?;
    // The agent desktop: a short write, the lock held only for the add.
    let id = shared
        .write()
        .expect("no thread panicked holding the lock")
        .add(NewEntry::for_client(client, DncKey::Phone(opted_out)))?;

    // The dialers: each check takes the read lock for one lookup only, so a
    // writer waits at most one check; `read_spinning` waits a writer's
    // microsecond out instead of sleeping on the lock.
    let dialers: Vec<_> = (0..4)
        .map(|_| {
            let shared = Arc::clone(&shared);
            thread::spawn(move || {
                let engine = read_spinning(&shared);
                engine.is_blocked(&Query::new(service).phone(opted_out))
            })
        })
        .collect();
    for dialer in dialers {
        let verdict = dialer.join().expect("dialer thread")?;
        assert_eq!(verdict.entries(), [id]);
        println!("{verdict}");
    }
    Ok(())
}
