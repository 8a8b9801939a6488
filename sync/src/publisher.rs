//! A publisher: the one writer of a log at a time. It keeps its own engine
//! at the log's head, publishes each change after the change it last saw
//! (so two writers never fork the log: the second is told and catches up),
//! and applies the change itself at the sequence the log gave it, so that
//! it can answer its caller exactly as every follower will apply it.

use dnc_engine::{Applied, Change, DncError, Effect, Engine};

use crate::error::SyncError;
use crate::log::Log;

/// How many times a publish after a conflict is tried again (each time
/// after catching up: another writer is making progress meanwhile).
const CONFLICT_RETRIES: usize = 10_000;

/// The writer of a log.
#[derive(Debug)]
pub struct Publisher {
    log: Log,
    engine: Engine,
    /// Unique to this publisher: with `published`, the message id of each
    /// change it means (a retry keeps it, another change or host does not).
    session: String,
    /// How many changes it was asked to publish.
    published: u64,
}

/// What publishing a change did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// Its sequence in the log.
    pub sequence: u64,
    /// What applying it did (as on every follower); `None` for a change the
    /// log already held (a retry of an earlier publish).
    pub outcome: Option<Result<Effect, DncError>>,
}

impl Publisher {
    /// A publisher of `log`, starting from its latest snapshot and caught
    /// up with the log.
    pub async fn open(log: Log) -> Result<Publisher, SyncError> {
        let mut engine = log.load_snapshot().await?.unwrap_or_default();
        log.catch_up(&mut engine).await?;
        Ok(Publisher {
            log,
            engine,
            session: nuid::next().to_string(),
            published: 0,
        })
    }

    /// The engine as the log stands after this writer's last change (for
    /// the reads of a script, and to plan the next change).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The log.
    pub fn log(&self) -> &Log {
        &self.log
    }

    /// A message id for the next change, to pass to
    /// [`publish_as`](Publisher::publish_as) and to every retry of it.
    pub fn next_message_id(&mut self) -> String {
        self.published += 1;
        format!("{}-{}", self.session, self.published)
    }

    /// Publishes `change` as the log's next change (a new change, under a
    /// message id of its own); when another writer appended meanwhile,
    /// catches up and publishes after its changes.
    pub async fn publish(&mut self, change: &Change) -> Result<Published, SyncError> {
        self.published += 1;
        let message_id = format!("{}-{}", self.session, self.published);
        self.publish_as(change, &message_id).await
    }

    /// [`publish`](Publisher::publish) under `message_id`: the id of a
    /// publish that may have reached the log (a retry after a timeout
    /// passes the same id, and the log appends the change once).
    pub async fn publish_as(
        &mut self,
        change: &Change,
        message_id: &str,
    ) -> Result<Published, SyncError> {
        for tries in 0..CONFLICT_RETRIES {
            let expected = self.engine.position();
            if tries > 0 {
                tokio::time::sleep(std::time::Duration::from_micros(100 * (tries % 20) as u64))
                    .await;
            }
            match self.log.publish(change, expected, message_id).await {
                Ok(sequence) if sequence == expected + 1 => {
                    let outcome = match self.engine.apply(sequence, change)? {
                        Applied::Done(effect) => Some(Ok(effect)),
                        Applied::Refused(error) => Some(Err(error)),
                        // Not at the position after its own: nothing to say.
                        Applied::AlreadyApplied { .. } => None,
                    };
                    return Ok(Published { sequence, outcome });
                }
                Ok(sequence) => {
                    // A duplicate: the log took this change before.
                    self.log.catch_up(&mut self.engine).await?;
                    return Ok(Published {
                        sequence,
                        outcome: None,
                    });
                }
                Err(SyncError::Conflict { .. }) => {
                    self.log.catch_up(&mut self.engine).await?;
                }
                Err(error) => return Err(error),
            }
        }
        Err(SyncError::Conflict {
            expected: self.engine.position(),
        })
    }

    /// Catches up with changes other writers appended.
    pub async fn catch_up(&mut self) -> Result<u64, SyncError> {
        self.log.catch_up(&mut self.engine).await
    }
}
