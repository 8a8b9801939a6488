//! The change log's properties: any sequence of changes applied one by one
//! gives the same engine (and the same outcomes) as the same changes applied
//! across a snapshot and restore at any point; re-applying any prefix
//! changes nothing; a gap is refused and changes nothing; a refused change
//! changes nothing but the position; every change survives its serde forms.
//! And the stored payloads: a change that names an object applies only with
//! the object's exact bytes.

mod change_model;

use std::collections::HashMap;

use dnc_engine::changes::{Bytes, ContentHash};
use dnc_engine::jiff::Timestamp;
use dnc_engine::registry::{Registry, RegistrySource};
use dnc_engine::{Applied, ApplyError, Caller, Change, Engine, Mutation, Snapshot};
use proptest::prelude::*;

use change_model::{WIDTH, change};

fn changes() -> impl Strategy<Value = Vec<Change>> {
    proptest::collection::vec(proptest::array::uniform6(0u16..400), 0..60)
        .prop_map(|ops| ops.into_iter().map(change).collect())
}

/// The snapshot of `engine` as it would be at `position` (to compare the
/// content of two engines whatever their positions).
fn content(engine: &Engine, position: u64) -> Snapshot {
    let mut snapshot = engine.snapshot();
    snapshot.position = position;
    snapshot.seal();
    snapshot
}

/// Applies `change` as change `sequence`, which must be the next one.
fn apply_next(engine: &mut Engine, sequence: u64, change: &Change) -> Applied {
    let applied = engine
        .apply(sequence, change)
        .expect("the next change with an inline payload always applies");
    assert_eq!(engine.position(), sequence);
    applied
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_snapshot_anywhere_changes_nothing(changes in changes(), cut in any::<prop::sample::Index>()) {
        let mut straight = Engine::new();
        let outcomes: Vec<Applied> = changes
            .iter()
            .zip(1..)
            .map(|(change, sequence)| {
                let before = content(&straight, sequence);
                let applied = apply_next(&mut straight, sequence, change);
                if let Applied::Refused(_) = applied {
                    // All or nothing: a refused change moved only the position.
                    assert_eq!(straight.snapshot(), before, "{change:?}");
                }
                applied
            })
            .collect();

        let cut = cut.index(changes.len() + 1);
        let mut before_cut = Engine::new();
        let mut resumed_outcomes = Vec::new();
        for (change, sequence) in changes[..cut].iter().zip(1..) {
            resumed_outcomes.push(apply_next(&mut before_cut, sequence, change));
        }
        // Through the bytes a follower would store: JSON and postcard.
        let json = serde_json::to_vec(&before_cut.snapshot()).unwrap();
        let snapshot: Snapshot = serde_json::from_slice(&json).unwrap();
        let bytes = postcard::to_allocvec(&snapshot).unwrap();
        let snapshot: Snapshot = postcard::from_bytes(&bytes).unwrap();
        let mut resumed = Engine::restore(snapshot).unwrap();
        prop_assert_eq!(resumed.position(), cut as u64);
        for (change, sequence) in changes[cut..].iter().zip(cut as u64 + 1..) {
            resumed_outcomes.push(apply_next(&mut resumed, sequence, change));
        }
        prop_assert_eq!(&resumed_outcomes, &outcomes);
        prop_assert_eq!(resumed.snapshot(), straight.snapshot());

        // Re-applying any prefix, in any order, changes nothing.
        let end = straight.snapshot();
        let n = changes.len() as u64;
        for (sequence, change) in changes.iter().enumerate().rev() {
            let sequence = sequence as u64 + 1;
            prop_assert_eq!(
                straight.apply(sequence, change),
                Ok(Applied::AlreadyApplied { position: n })
            );
        }
        prop_assert_eq!(straight.snapshot(), end.clone());

        // A gap is refused, whatever the change, and changes nothing.
        if let Some(change) = changes.first() {
            prop_assert_eq!(
                straight.apply(n + 2, change),
                Err(ApplyError::Gap { position: n, sequence: n + 2 })
            );
            prop_assert_eq!(straight.snapshot(), end);
        }
    }

    #[test]
    fn every_change_survives_its_serde_forms(op in proptest::array::uniform6(0u16..400)) {
        let change = change(op);
        let json = serde_json::to_string(&change).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Change>(&json).unwrap(), &change);
        let bytes = postcard::to_allocvec(&change).unwrap();
        prop_assert_eq!(postcard::from_bytes::<Change>(&bytes).unwrap(), change);
    }
}

/// Found by the image's property (`tests/image.rs`): a refused exemption
/// add (a wildcard phone) left an empty record for its client, which a
/// snapshot does not carry, so a later removal with a wildcard phone was
/// refused on the engine that applied the stream and answered "nothing
/// removed" on one restored from a snapshot.
#[test]
fn a_refused_exemption_leaves_nothing_a_restore_would_lose() {
    let changes = [
        change([213, 50, 274, 166, 16, 21]),
        change([375, 44, 376, 183, 91, 1]),
    ];
    let mut straight = Engine::new();
    apply_next(&mut straight, 1, &changes[0]);
    let expected = apply_next(&mut straight, 2, &changes[1]);
    assert!(
        matches!(
            expected,
            Applied::Refused(dnc_engine::DncError::InvalidExemption { .. })
        ),
        "{expected:?}"
    );
    let mut resumed = Engine::new();
    apply_next(&mut resumed, 1, &changes[0]);
    let mut resumed = Engine::restore(resumed.snapshot()).unwrap();
    assert_eq!(apply_next(&mut resumed, 2, &changes[1]), expected);
}

#[test]
fn the_model_reaches_every_kind_of_outcome() {
    // A property over changes that are all refused would prove little:
    // the model's domains make most kinds apply.
    let mut engine = Engine::new();
    let (mut done, mut refused) = (0, 0);
    let mut sequence = 0;
    for kind in 0..27u16 {
        for n in 0..12u16 {
            sequence += 1;
            let op = [kind, n, n / 2, n / 3, n / 4, 1 + n % 3];
            assert_eq!(op.len(), WIDTH);
            match engine.apply(sequence, &change(op)).unwrap() {
                Applied::Done(_) => done += 1,
                Applied::Refused(_) => refused += 1,
                Applied::AlreadyApplied { .. } => unreachable!("each sequence is new"),
            }
        }
    }
    assert!(done > 200, "{done} applied, {refused} refused");
    assert!(refused > 10, "{done} applied, {refused} refused");
}

/// A registry copy's binary form, as `dnc registry build` writes it.
fn copy_bytes() -> Vec<u8> {
    let mut copy = Registry::new(RegistrySource::UsNational);
    copy.load_full(
        None,
        &[2_125_550_100, 2_125_550_101],
        Timestamp::from_second(1_793_545_200).unwrap(),
    )
    .unwrap();
    copy.to_bytes()
}

#[test]
fn a_stored_payload_applies_only_with_its_exact_bytes() {
    let bytes = copy_bytes();
    let mut mutation = Mutation::RegistryPut {
        copy: Bytes::Inline(bytes.clone()),
    };
    let (hash, stored) = mutation.payload_mut().unwrap().store().unwrap();
    assert_eq!(stored, bytes);
    assert_eq!(hash, ContentHash::of(&bytes));
    let change = Change::by_host(mutation);
    assert_eq!(change.objects().collect::<Vec<_>>(), [&hash]);

    let mut engine = Engine::new();
    assert_eq!(
        engine.apply(1, &change),
        Err(ApplyError::MissingObject { hash })
    );
    let mut damaged = bytes.clone();
    damaged[bytes.len() / 2] ^= 1;
    let found = ContentHash::of(&damaged);
    let objects = HashMap::from([(hash, damaged)]);
    assert_eq!(
        engine.apply_with(1, &change, &objects),
        Err(ApplyError::DamagedObject { hash, found })
    );
    // Neither took the change: the position waits for the object.
    assert_eq!(engine.position(), 0);
    assert!(engine.registry(RegistrySource::UsNational).is_none());

    let objects = HashMap::from([(hash, bytes)]);
    assert_eq!(
        engine.apply_with(1, &change, &objects),
        Ok(Applied::Done(dnc_engine::Effect::RegistryPut {
            source: RegistrySource::UsNational,
            numbers: 2
        }))
    );
    assert_eq!(engine.position(), 1);
    assert_eq!(
        engine.registry(RegistrySource::UsNational).unwrap().len(),
        2
    );
}

#[test]
fn a_principal_is_held_to_its_client_on_every_follower() {
    let client = dnc_engine::ClientId::new(1).unwrap();
    let other = dnc_engine::ClientId::new(2).unwrap();
    let service = dnc_engine::ServiceId::new(9).unwrap();
    let mut engine = Engine::new();
    engine
        .apply(
            1,
            &Change::by_host(Mutation::RegisterService {
                client: other,
                service,
            }),
        )
        .unwrap();
    let principal = dnc_engine::Principal {
        role: dnc_engine::Role::Sysadmin,
        client,
        edit_dnc_lists: true,
    };
    let change = Change {
        by: Caller::Principal(principal),
        mutation: Mutation::Add {
            entry: dnc_engine::NewEntry::for_service(
                service,
                dnc_engine::DncKey::Phone(dnc_engine::Phone::parse("2125550100").unwrap()),
            ),
            at: None,
        },
    };
    let before = content(&engine, 2);
    match engine.apply(2, &change).unwrap() {
        Applied::Refused(error) => assert_eq!(error.code(), "unknown_service", "{error}"),
        other => panic!("another client's service was changed: {other:?}"),
    }
    assert_eq!(engine.snapshot(), before);
    assert_eq!(engine.len(), 0);
}

#[test]
fn a_content_hash_reads_back_what_it_writes() {
    let hash = ContentHash::of(b"abc");
    let text = hash.to_string();
    assert_eq!(
        text,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(ContentHash::parse(&text), Some(hash));
    assert_eq!(ContentHash::parse(&text.to_uppercase()), Some(hash));
    assert_eq!(ContentHash::parse(&text[1..]), None);
    assert_eq!(ContentHash::parse(&format!("{}g", &text[1..])), None);
    let refused = serde_json::from_str::<ContentHash>("\"nope\"").unwrap_err();
    assert!(refused.to_string().contains("64 hex digits"), "{refused}");
}
