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
    assert_send_sync::<Channel>();
    assert_send_sync::<ChannelValue>();
    assert_send_sync::<ChannelEntry>();
    assert_send_sync::<NewChannelEntry>();
    assert_send_sync::<ChannelQuery<'static>>();
    assert_send_sync::<ChannelFilter>();
    assert_send_sync::<PageRequest>();
    assert_send_sync::<Page<ChannelEntry>>();
    assert_send_sync::<ListInfo>();
    assert_send_sync::<BulkOutcome>();
    assert_send_sync::<Email>();
    assert_send_sync::<Expiration>();
    assert_send_sync::<ContactGroupId>();
    // Part 3: geography, profiles, hours, the dial decision.
    assert_send_sync::<geo::AreaCode>();
    assert_send_sync::<geo::AreaCodeInfo>();
    assert_send_sync::<geo::StateCode>();
    assert_send_sync::<geo::Country>();
    assert_send_sync::<geo::TimeZoneId>();
    assert_send_sync::<geo::ZoneSet>();
    assert_send_sync::<geo::ZipInfo>();
    assert_send_sync::<geo::Source>();
    assert_send_sync::<geo::ZoneSource>();
    assert_send_sync::<geo::GeoPlace>();
    assert_send_sync::<ProfileId>();
    assert_send_sync::<PolicyId>();
    assert_send_sync::<DayRule>();
    assert_send_sync::<TimeOfDay>();
    assert_send_sync::<Window>();
    assert_send_sync::<Region>();
    assert_send_sync::<NewPolicy>();
    assert_send_sync::<Policy>();
    assert_send_sync::<PolicyUpdate>();
    assert_send_sync::<NewProfile>();
    assert_send_sync::<DialingProfile>();
    assert_send_sync::<ProfileSummary>();
    assert_send_sync::<Place>();
    assert_send_sync::<PlaceAnswer>();
    assert_send_sync::<HoursRule>();
    assert_send_sync::<HoursAnswer>();
    assert_send_sync::<ZipAreaMatchType>();
    assert_send_sync::<ZipAreaMatch>();
    assert_send_sync::<ZipAreaReason>();
    assert_send_sync::<DialChannel>();
    assert_send_sync::<DialRequest<'static>>();
    assert_send_sync::<DialDecision>();
    assert_send_sync::<DialReason>();
    #[cfg(feature = "serde")]
    {
        assert_send_sync::<Snapshot>();
        assert_send_sync::<ServiceRecord>();
        assert_send_sync::<FlagRecord>();
        assert_send_sync::<ProfileRecord>();
        assert_send_sync::<PolicyRecord>();
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

mod model;

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Shared behind `RwLock`, the engine gives no lost or stale answer: a
    /// writer applies random operations one at a time; after each write
    /// returns, a reader on another thread checks every request and must get
    /// exactly what the naive model says for the state just written.
    #[test]
    fn readers_see_every_completed_write(ops in prop::collection::vec(ops_strategy(), 1..40)) {
        use std::sync::mpsc;
        let shared = Arc::new(RwLock::new(Engine::new()));
        let (to_reader, from_writer) = mpsc::sync_channel::<Option<model::Model>>(0);
        let (to_writer, from_reader) = mpsc::sync_channel::<Result<(), String>>(0);
        let reader = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                while let Ok(Some(model)) = from_writer.recv() {
                    let engine = read_spinning(&shared);
                    let verdict = model::sweep(&engine, &model);
                    drop(engine);
                    if to_writer.send(verdict).is_err() {
                        return;
                    }
                }
            })
        };
        let mut model = model::Model::default();
        let mut failure = None;
        for op in &ops {
            {
                let mut engine = shared.write().unwrap();
                model::apply(&mut engine, &mut model, op).unwrap();
            }
            to_reader.send(Some(model.clone())).unwrap();
            if let Err(stale) = from_reader.recv().unwrap() {
                failure = Some(format!("after {op:?}: {stale}"));
                break;
            }
        }
        to_reader.send(None).unwrap();
        reader.join().unwrap();
        prop_assert!(failure.is_none(), "{}", failure.unwrap_or_default());
    }
}

#[test]
fn read_spinning_reads_a_poisoned_lock_and_waits_out_a_long_writer() {
    let lock = Arc::new(RwLock::new(Engine::new()));
    let client = ClientId::new(1).unwrap();
    let service = ServiceId::new(2).unwrap();
    let poisoner = {
        let lock = Arc::clone(&lock);
        std::thread::spawn(move || {
            let mut engine = lock.write().unwrap();
            engine.register_service(client, service).unwrap();
            panic!("a host thread panics while holding the write lock");
        })
    };
    assert!(poisoner.join().is_err());
    assert!(lock.is_poisoned());
    assert_eq!(read_spinning(&lock).client_of(service), Some(client));

    // A writer that holds the lock longer than the spin: the reader blocks
    // and then sees the finished change.
    let lock = Arc::new(RwLock::new(Engine::new()));
    let guard = lock.write().unwrap();
    let reader = {
        let lock = Arc::clone(&lock);
        std::thread::spawn(move || read_spinning(&lock).client_of(service))
    };
    std::thread::sleep(std::time::Duration::from_millis(50));
    let mut engine = guard;
    engine.register_service(client, service).unwrap();
    drop(engine);
    assert_eq!(reader.join().unwrap(), Some(client));
}

fn ops_strategy() -> impl Strategy<Value = model::Op> {
    use model::{Op, Parts};
    let parts =
        (1u8..8, any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(mask, phone, account, zip)| {
            Parts {
                mask,
                phone,
                account,
                zip,
            }
        });
    prop_oneof![
        (any::<u8>(), any::<u8>()).prop_map(|(client, service)| Op::Register { client, service }),
        (any::<u8>(), any::<u8>(), parts, any::<bool>()).prop_map(
            |(client, service, parts, daily)| {
                Op::Add {
                    id: None,
                    client: Some(client),
                    service: Some(service),
                    parts,
                    daily,
                }
            }
        ),
        any::<u8>().prop_map(|id| Op::Remove { id }),
        (any::<u8>(), any::<u8>(), any::<bool>()).prop_map(|(client, account, set)| Op::Flags {
            client,
            account,
            do_not_dial: Some(set),
            do_not_dial_daily: None,
        }),
        proptest::option::of(any::<u8>()).prop_map(|client| Op::ClearDaily { client }),
    ]
}
