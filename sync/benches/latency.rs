//! End to end on loopback, against a real `nats-server` the benchmark
//! starts: the latency from a publish to the change being visible on a
//! follower, beside a bare JetStream publish-and-acknowledge round trip of
//! the same bytes in the same run (the floor the log is held to); and the
//! throughput of a stream of changes published one after another until the
//! follower has applied the last.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use dnc_engine::{Change, ClientId, DncKey, Engine, Mutation, NewEntry, Phone, ServiceId};
use dnc_sync::local_server::LocalServer;
use dnc_sync::{Follower, Log, Publisher};

fn add(n: u64) -> Change {
    let phone = Phone::parse(&format!("{}", 2_002_000_000 + n % 7_000_000_000)).unwrap();
    Change::by_host(Mutation::Add {
        entry: NewEntry::for_service(ServiceId::new(10).unwrap(), DncKey::Phone(phone)),
        at: None,
    })
}

fn latency(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = LocalServer::start().expect("nats-server starts (apt-get install nats-server)");
    let (client, log) = runtime.block_on(async {
        let client = async_nats::connect(server.url()).await.unwrap();
        let log = Log::open(client.clone(), "BENCH").await.unwrap();
        (client, log)
    });
    let mut publisher = runtime.block_on(Publisher::open(log.clone())).unwrap();
    runtime
        .block_on(
            publisher.publish(&Change::by_host(Mutation::RegisterService {
                client: ClientId::new(1).unwrap(),
                service: ServiceId::new(10).unwrap(),
            })),
        )
        .unwrap();
    let follower = runtime.block_on(async { Follower::start(log.clone(), Engine::new()) });
    let jetstream = runtime.block_on(async { async_nats::jetstream::new(client) });
    runtime.block_on(async {
        jetstream
            .get_or_create_stream(async_nats::jetstream::stream::Config {
                name: "FLOOR".to_owned(),
                subjects: vec!["floor".to_owned()],
                ..Default::default()
            })
            .await
            .unwrap();
    });
    let body = serde_json::to_vec(&add(0)).unwrap();
    let mut n = 0u64;

    let mut group = c.benchmark_group("sync");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("jetstream_publish_ack_floor", |b| {
        b.iter(|| {
            runtime.block_on(async {
                jetstream
                    .publish("floor", body.clone().into())
                    .await
                    .unwrap()
                    .await
                    .unwrap()
            })
        })
    });
    group.bench_function("publish_to_visible_on_follower", |b| {
        b.iter(|| {
            n += 1;
            runtime.block_on(async {
                let published = publisher.publish(&add(n)).await.unwrap();
                follower
                    .wait_for(published.sequence, Duration::from_secs(10))
                    .await
                    .unwrap();
            })
        })
    });
    group.finish();

    // Throughput: a stream published one after another, until the follower
    // has applied its last change.
    let count = if std::env::args().any(|arg| arg == "--test") {
        100
    } else {
        5_000
    };
    let started = Instant::now();
    let last = runtime.block_on(async {
        let mut last = 0;
        for _ in 0..count {
            n += 1;
            last = publisher.publish(&add(n)).await.unwrap().sequence;
        }
        follower
            .wait_for(last, Duration::from_secs(60))
            .await
            .unwrap();
        last
    });
    let elapsed = started.elapsed().as_secs_f64();
    eprintln!(
        "sync/throughput: {count} changes published and applied on a follower in {elapsed:.2} s \
         ({:.0} changes/s; the log at {last})",
        count as f64 / elapsed
    );
}

criterion_group!(benches, latency);
criterion_main!(benches);
