//! One publisher and three followers over a real `nats-server` with
//! JetStream, started on loopback by the test: random change streams (the
//! change model of the library's properties), a follower killed mid-stream
//! and restarted from a snapshot, the server killed and restarted
//! mid-stream. At the end every follower holds exactly the engine a single
//! engine holds after applying the published stream in order (so it
//! answers every check the same), the log holds each change once, and no
//! follower applied anything twice.

#[path = "../../tests/change_model/mod.rs"]
mod change_model;

use std::time::Duration;

use dnc_engine::changes::Bytes;
use dnc_engine::jiff::Timestamp;
use dnc_engine::registry::RegistrySource;
use dnc_engine::{Change, Engine, Mutation, Query, ServiceId, read_spinning};
use dnc_sync::local_server::LocalServer;
use dnc_sync::{Follower, Log, Publisher, SyncError};

/// A small deterministic generator (the streams differ by seed and are
/// the same on every run).
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u16 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % 400) as u16
    }

    fn change(&mut self) -> Change {
        change_model::change(std::array::from_fn(|_| self.next()))
    }
}

const WAIT: Duration = Duration::from_secs(30);

async fn open_log(url: &str) -> Log {
    let client = async_nats::ConnectOptions::new()
        .retry_on_initial_connect()
        .connect(url)
        .await
        .expect("the server is up");
    Log::open(client, "DNC").await.expect("the log opens")
}

/// Publishes `change`, retrying while the server is away (a retry after a
/// lost acknowledgement is de-duplicated by the log).
async fn publish(publisher: &mut Publisher, change: &Change) -> u64 {
    for _ in 0..300 {
        match publisher.publish(change).await {
            Ok(published) => return published.sequence,
            Err(SyncError::Server(_)) => tokio::time::sleep(Duration::from_millis(100)).await,
            Err(other) => panic!("publish: {other}"),
        }
    }
    panic!("the server did not come back");
}

/// A full registry list large enough to travel as a stored object.
fn large_list() -> Change {
    let text: String = (0..12_000u64)
        .map(|n| format!("212{:07}\n", 5_550_000 + n))
        .collect();
    assert!(text.len() >= dnc_sync::INLINE_LIMIT);
    Change::by_host(Mutation::RegistryLoadList {
        source: RegistrySource::UsNational,
        covered: None,
        list: Bytes::Inline(text.into_bytes()),
        obtained: Timestamp::from_second(1_793_545_200).unwrap(),
    })
}

/// Every check over the model's services and phones, as `engine` answers.
fn answers(engine: &Engine) -> Vec<String> {
    let mut answers = Vec::new();
    for service in 1..=6 {
        let service = ServiceId::new(service).unwrap();
        for phone in [
            "2125550100",
            "2125550101",
            "3035550102",
            "4155550103",
            "6045550104",
        ] {
            let query = Query::new(service).phone(dnc_engine::Phone::parse(phone).unwrap());
            answers.push(format!("{:?}", engine.is_blocked(&query)));
            answers.push(format!("{:?}", engine.dial_check(&query)));
        }
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn followers_hold_the_stream_through_kills_and_restarts() {
    let mut server = LocalServer::start().expect("nats-server starts");
    let url = server.url();
    let log = open_log(&url).await;
    let mut publisher = Publisher::open(log.clone()).await.unwrap();
    let mut followers: Vec<Follower> = (0..3)
        .map(|_| Follower::start(log.clone(), Engine::new()))
        .collect();
    let mut reference = Engine::new();
    let mut draw = Draw(0x9E37_79B9_7F4A_7C15);
    let mut published = 0u64;

    for round in 0..4 {
        for step in 0..120 {
            let change = if round == 1 && step == 7 {
                large_list()
            } else {
                draw.change()
            };
            let sequence = publish(&mut publisher, &change).await;
            assert_eq!(sequence, published + 1, "each change is appended once");
            published = sequence;
            reference.apply(sequence, &change).unwrap();

            if round == 1 && step == 60 {
                // A follower dies; a new one starts from a snapshot.
                followers.remove(1).stop();
                log.save_snapshot(publisher.engine()).await.unwrap();
                followers.push(Follower::from_snapshot(log.clone()).await.unwrap());
            }
            if round == 2 && step == 30 {
                // The server dies mid-stream and comes back with its store.
                server.restart().expect("nats-server restarts");
            }
        }
    }

    assert_eq!(log.last_sequence().await.unwrap(), published);
    let expected = reference.snapshot();
    let expected_answers = answers(&reference);
    for (index, follower) in followers.iter().enumerate() {
        follower
            .wait_for(published, WAIT)
            .await
            .unwrap_or_else(|error| panic!("follower {index}: {error}"));
        assert_eq!(follower.failure(), None);
        assert_eq!(follower.lag(), 0, "follower {index}");
        let engine = read_spinning(follower.engine());
        assert_eq!(engine.position(), published, "follower {index}");
        assert!(engine.registry(RegistrySource::UsNational).is_some());
        assert_eq!(engine.snapshot(), expected, "follower {index}");
        assert_eq!(answers(&engine), expected_answers, "follower {index}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_writer_catches_up_instead_of_forking_the_log() {
    let server = LocalServer::start().expect("nats-server starts");
    let log = open_log(&server.url()).await;
    let mut first = Publisher::open(log.clone()).await.unwrap();
    let mut second = Publisher::open(log.clone()).await.unwrap();
    let mut draw = Draw(7);
    let a = draw.change();
    let b = draw.change();
    let id = first.next_message_id();
    assert_eq!(first.publish_as(&a, &id).await.unwrap().sequence, 1);
    // The second writer still stands at 0: it is told, catches up, and
    // appends after the first's change.
    assert_eq!(second.publish(&b).await.unwrap().sequence, 2);
    assert_eq!(second.engine().position(), 2);
    assert_eq!(log.last_sequence().await.unwrap(), 2);
    // A retry of the first's publish (its message id) is not appended again.
    assert_eq!(log.publish(&a, 0, &id).await.unwrap(), 1);
    assert_eq!(log.last_sequence().await.unwrap(), 2);
    // The same change from another host is a change of its own: two
    // identical attempts are two attempts.
    assert_eq!(log.publish(&a, 2, "another-host-1").await.unwrap(), 3);
    // A new change after a stale position is refused outright.
    assert!(matches!(
        log.publish(&draw.change(), 0, "another-host-2").await,
        Err(SyncError::Conflict { expected: 0 })
    ));
    assert_eq!(log.last_sequence().await.unwrap(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_publishers_of_the_same_change_make_two_changes() {
    let server = LocalServer::start().expect("nats-server starts");
    let log = open_log(&server.url()).await;
    let mut first = Publisher::open(log.clone()).await.unwrap();
    let mut second = Publisher::open(log.clone()).await.unwrap();
    let change = Draw(3).change();
    assert_eq!(first.publish(&change).await.unwrap().sequence, 1);
    assert_eq!(second.publish(&change).await.unwrap().sequence, 2);
    assert!(second.publish(&change).await.unwrap().outcome.is_some());
    assert_eq!(log.last_sequence().await.unwrap(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_too_large_for_a_message_travels_stored() {
    let server = LocalServer::start().expect("nats-server starts");
    let log = open_log(&server.url()).await;
    let mut publisher = Publisher::open(log.clone()).await.unwrap();
    let client = dnc_engine::ClientId::new(1).unwrap();
    let service = ServiceId::new(10).unwrap();
    publish(
        &mut publisher,
        &Change::by_host(Mutation::RegisterService { client, service }),
    )
    .await;
    // 30k entries: megabytes of JSON, past the server's 1 MiB message.
    let entries = (0..30_000u64)
        .map(|n| {
            let phone = dnc_engine::Phone::parse(&format!("{}", 2_125_500_000 + n)).unwrap();
            dnc_engine::NewEntry::for_service(service, dnc_engine::DncKey::Phone(phone))
        })
        .collect();
    let bulk = Change::by_host(Mutation::AddMany {
        client: None,
        entries,
        at: None,
    });
    assert_eq!(publish(&mut publisher, &bulk).await, 2);
    let follower = Follower::start(log.clone(), Engine::new());
    follower.wait_for(2, WAIT).await.unwrap();
    assert_eq!(read_spinning(follower.engine()).len(), 30_000);
    assert_eq!(
        read_spinning(follower.engine()).snapshot(),
        publisher.engine().snapshot()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_that_is_not_a_change_stops_the_follower_there() {
    let server = LocalServer::start().expect("nats-server starts");
    let log = open_log(&server.url()).await;
    let mut publisher = Publisher::open(log.clone()).await.unwrap();
    let mut draw = Draw(11);
    publish(&mut publisher, &draw.change()).await;
    // Something else writes garbage on the log's subject.
    let client = async_nats::connect(server.url()).await.unwrap();
    let jetstream = async_nats::jetstream::new(client);
    jetstream
        .publish("DNC.changes", "not a change".into())
        .await
        .unwrap()
        .await
        .unwrap();
    publisher.catch_up().await.unwrap_err();
    let follower = Follower::start(log.clone(), Engine::new());
    assert!(follower.wait_for(2, Duration::from_secs(2)).await.is_err());
    for _ in 0..100 {
        if follower.failure().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let failure = follower
        .failure()
        .expect("the follower says why it stopped");
    assert!(
        failure.contains("message 2 of the log is not a change"),
        "{failure}"
    );
    assert_eq!(follower.position(), 1);
}
