//! A follower: an engine behind a `RwLock`, kept at the log's head by a
//! background task that applies every change in order, reconnects after a
//! loss (the server restarting, the network dropping) and resumes at its
//! position, and says how far behind it is.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use dnc_engine::Engine;
use futures_util::StreamExt;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::error::SyncError;
use crate::log::Log;

/// How long the follower waits before it tries the server again.
const RETRY: Duration = Duration::from_millis(200);

/// What the follower's task and its readers share.
#[derive(Debug)]
struct Shared {
    engine: RwLock<Engine>,
    /// The highest sequence the log was seen to hold.
    head: AtomicU64,
    /// Why following stopped for good, if it did.
    failure: Mutex<Option<String>>,
    /// The engine's position, for waiters.
    position: watch::Sender<u64>,
}

/// An engine that follows a log. Readers take
/// [`engine`](Follower::engine)'s read lock
/// ([`dnc_engine::read_spinning`]); only the follower's task writes.
#[derive(Debug)]
pub struct Follower {
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Follower {
    /// Follows `log` from `engine`'s position on (an empty engine replays
    /// the whole log; a restored one only what follows its snapshot).
    pub fn start(log: Log, engine: Engine) -> Follower {
        let position = engine.position();
        let shared = Arc::new(Shared {
            engine: RwLock::new(engine),
            head: AtomicU64::new(position),
            failure: Mutex::new(None),
            position: watch::channel(position).0,
        });
        let task = tokio::spawn(follow(log, Arc::clone(&shared)));
        Follower { shared, task }
    }

    /// Follows `log` from its latest snapshot, or from its start when it
    /// has none.
    pub async fn from_snapshot(log: Log) -> Result<Follower, SyncError> {
        let engine = log.load_snapshot().await?.unwrap_or_default();
        Ok(Follower::start(log, engine))
    }

    /// The followed engine.
    pub fn engine(&self) -> &RwLock<Engine> {
        &self.shared.engine
    }

    /// The sequence of the last change applied.
    pub fn position(&self) -> u64 {
        *self.shared.position.borrow()
    }

    /// How many changes the log was last seen to hold beyond
    /// [`position`](Follower::position) (0 when caught up with what was
    /// delivered; while the server is unreachable, the last known lag).
    pub fn lag(&self) -> u64 {
        self.shared
            .head
            .load(Ordering::Acquire)
            .saturating_sub(self.position())
    }

    /// Why following stopped for good (a message that is not a change, a
    /// gap), if it did: the engine then stays where it was, and every
    /// answer from it is stale.
    pub fn failure(&self) -> Option<String> {
        self.shared
            .failure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Waits until the engine has applied change `sequence`, at most
    /// `timeout`.
    pub async fn wait_for(&self, sequence: u64, timeout: Duration) -> Result<(), SyncError> {
        let mut position = self.shared.position.subscribe();
        let reached = tokio::time::timeout(timeout, position.wait_for(|&at| at >= sequence)).await;
        match reached {
            Ok(Ok(_)) => Ok(()),
            _ => Err(SyncError::Behind {
                position: self.position(),
                wanted: sequence,
            }),
        }
    }

    /// Stops following (the engine stays as it is).
    pub fn stop(self) {
        self.task.abort();
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The follower's task: one ordered consumer after another from the
/// position on, until a change cannot be taken at all.
async fn follow(log: Log, shared: Arc<Shared>) {
    loop {
        let start = *shared.position.borrow() + 1;
        let mut messages = match log.changes_from(start).await {
            Ok(messages) => messages,
            Err(_) => {
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        while let Some(message) = messages.next().await {
            let Ok(message) = message else {
                // The consumer is lost: make another from the position.
                break;
            };
            match take(&log, &shared, &message).await {
                Ok(()) => {}
                Err(Stop::Retry) => break,
                Err(Stop::Fail(error)) => {
                    *shared
                        .failure
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) =
                        Some(error.to_string());
                    return;
                }
            }
        }
        tokio::time::sleep(RETRY).await;
    }
}

enum Stop {
    /// Try again from the position (the server or an object was not there).
    Retry,
    /// Following cannot go on.
    Fail(SyncError),
}

async fn take(
    log: &Log,
    shared: &Shared,
    message: &async_nats::jetstream::Message,
) -> Result<(), Stop> {
    let logged = log.read(message).await.map_err(|error| match error {
        SyncError::NotAChange { .. } => Stop::Fail(error),
        _ => Stop::Retry,
    })?;
    shared
        .head
        .fetch_max(logged.sequence + logged.pending, Ordering::AcqRel);
    let objects = log
        .objects_of(&logged.change)
        .await
        .map_err(|_| Stop::Retry)?;
    let applied = {
        let mut engine = shared
            .engine
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let applied = engine.apply_with(logged.sequence, &logged.change, &objects);
        (applied, engine.position())
    };
    match applied {
        (Ok(_), position) => {
            shared.position.send_replace(position);
            Ok(())
        }
        (Err(error), _) => Err(Stop::Fail(SyncError::Apply(error))),
    }
}
