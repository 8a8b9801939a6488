//! Every public type is `Send + Sync`, so a host can share an engine across
//! threads behind a lock of its choosing.

use std::sync::{Arc, RwLock};

use dnc_engine::*;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync::<Engine>();
    assert_send_sync::<Verdict>();
    assert_send_sync::<Query<'static>>();
    assert_send_sync::<DncError>();
    assert_send_sync::<DncEntry>();
    assert_send_sync::<DncKey>();
    assert_send_sync::<NewEntry>();
    assert_send_sync::<Lifetime>();
    assert_send_sync::<Phone>();
    assert_send_sync::<Account>();
    assert_send_sync::<Zip>();
    assert_send_sync::<EntryId>();
    assert_send_sync::<ClientId>();
    assert_send_sync::<ServiceId>();
    assert_send_sync::<AccountFlags>();
    assert_send_sync::<AccountFlag>();
    assert_send_sync::<FlagUpdate>();
    assert_send_sync::<CheckRule>();
    #[cfg(feature = "serde")]
    {
        assert_send_sync::<Snapshot>();
        assert_send_sync::<ServiceRecord>();
        assert_send_sync::<FlagRecord>();
    }
}

#[test]
fn an_opt_out_written_under_the_lock_blocks_the_next_read() {
    let client = ClientId::new(1).unwrap();
    let service = ServiceId::new(2).unwrap();
    let phone = Phone::parse("4155550100").unwrap();
    let engine = Arc::new(RwLock::new(Engine::new()));
    engine
        .write()
        .unwrap()
        .register_service(client, service)
        .unwrap();
    let writer = {
        let engine = Arc::clone(&engine);
        std::thread::spawn(move || {
            let key = DncKey::Phone(phone);
            engine
                .write()
                .unwrap()
                .add(NewEntry::for_client(client, key))
                .unwrap()
        })
    };
    let id = writer.join().unwrap();
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let engine = Arc::clone(&engine);
            std::thread::spawn(move || {
                let verdict = engine
                    .read()
                    .unwrap()
                    .is_blocked(&Query::new(service).phone(phone));
                verdict.unwrap().entries().to_vec()
            })
        })
        .collect();
    for reader in readers {
        assert_eq!(reader.join().unwrap(), [id]);
    }
}
