//! The change log on a JetStream stream: one stream per log, whose message
//! sequence is the change's sequence, published by one writer at a time
//! (`Nats-Expected-Last-Sequence`) and de-duplicated (`Nats-Msg-Id`), with
//! two object-store buckets beside it, for large payloads and snapshots.

use std::collections::HashMap;
use std::time::Duration;

use async_nats::jetstream::consumer::DeliverPolicy;
use async_nats::jetstream::consumer::pull::{Ordered, OrderedConfig};
use async_nats::jetstream::context::PublishErrorKind;
use async_nats::jetstream::message::PublishMessage;
use async_nats::jetstream::object_store::{self, ObjectStore};
use async_nats::jetstream::stream::{self, StorageType};
use async_nats::jetstream::{self, Context};
use dnc_engine::changes::{Bytes, ContentHash};
use dnc_engine::{Change, Engine, Snapshot};
use tokio::io::AsyncReadExt;

use crate::error::{SyncError, server};

/// A payload at or above this size travels as a stored object (a NATS
/// message is at most 1 MiB by default).
pub const INLINE_LIMIT: usize = 64 * 1024;

/// The field of a message that names a stored change.
const STORED_CHANGE: &str = "storedChange";

/// The name snapshots are stored under (the latest replaces the one before).
const LATEST_SNAPSHOT: &str = "latest";

/// One change log: its stream and its buckets.
#[derive(Clone)]
pub struct Log {
    jetstream: Context,
    stream: stream::Stream,
    subject: String,
    objects: ObjectStore,
    snapshots: ObjectStore,
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Log")
            .field("subject", &self.subject)
            .finish()
    }
}

/// A change read from the log, with its sequence.
#[derive(Clone, Debug)]
pub struct Logged {
    /// Its sequence in the log.
    pub sequence: u64,
    /// How many changes follow it in the log (when it was delivered).
    pub pending: u64,
    /// The change.
    pub change: Change,
}

impl Log {
    /// Opens log `name` on the server `client` is connected to, creating
    /// its stream (file storage, on-disk across restarts; no deletes or
    /// purges, so no follower can find a change missing) and its buckets
    /// when they do not exist.
    pub async fn open(client: async_nats::Client, name: &str) -> Result<Log, SyncError> {
        let jetstream = jetstream::new(client);
        let subject = format!("{name}.changes");
        let config = stream::Config {
            name: name.to_owned(),
            subjects: vec![subject.clone()],
            storage: StorageType::File,
            duplicate_window: Duration::from_secs(120),
            deny_delete: true,
            deny_purge: true,
            ..Default::default()
        };
        // Two hosts opening a new log at once: one creates it, the other's
        // create fails (subjects overlap) and finds it on the next try.
        let mut tries = 0;
        let stream = loop {
            match jetstream.get_or_create_stream(config.clone()).await {
                Ok(stream) => break stream,
                Err(_) if tries < 3 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(error) => return Err(server(error)),
            }
        };
        let objects = bucket(&jetstream, &format!("{name}_objects")).await?;
        let snapshots = bucket(&jetstream, &format!("{name}_snapshots")).await?;
        Ok(Log {
            jetstream,
            stream,
            subject,
            objects,
            snapshots,
        })
    }

    /// The sequence of the log's last change (0 for an empty log).
    pub async fn last_sequence(&self) -> Result<u64, SyncError> {
        let mut stream = self.stream.clone();
        let info = stream.info().await.map_err(server)?;
        Ok(info.state.last_sequence)
    }

    /// Appends `change` after change `expected_last`, and returns its
    /// sequence. A large payload is stored first, under its digest, and
    /// the message names it. [`SyncError::Conflict`] when the log has
    /// moved past `expected_last` (another writer): nothing is appended.
    /// `message_id` names this publish: the same id again within two
    /// minutes (a retry after a lost acknowledgement) appends nothing and
    /// returns the first one's sequence, so it must be unique to the
    /// change the writer means (two hosts making the same change make two
    /// changes). A change whose message would be 64 KiB or more travels as
    /// a stored object too, and the message names it.
    pub async fn publish(
        &self,
        change: &Change,
        expected_last: u64,
        message_id: &str,
    ) -> Result<u64, SyncError> {
        // Only a change with a large payload is copied (to name its
        // payload instead of carrying it); any other is written as it is.
        let large = change
            .mutation
            .payload()
            .and_then(|payload| payload.inline_len())
            .is_some_and(|len| len >= INLINE_LIMIT);
        let mut body = if large {
            let mut change = change.clone();
            if let Some((hash, bytes)) = change.mutation.payload_mut().and_then(Bytes::store) {
                self.store_object(hash, &bytes).await?;
            }
            serde_json::to_vec(&change)
        } else {
            serde_json::to_vec(change)
        }
        .map_err(server)?;
        if body.len() >= INLINE_LIMIT {
            // A bulk create or a change list: the whole change is stored.
            let hash = ContentHash::of(&body);
            self.store_object(hash, &body).await?;
            body = format!("{{\"{STORED_CHANGE}\":\"{hash}\"}}").into_bytes();
        }
        let message = PublishMessage::build()
            .payload(body.into())
            .message_id(message_id)
            .expected_last_sequence(expected_last);
        let acked = match self
            .jetstream
            .send_publish(self.subject.clone(), message)
            .await
        {
            Ok(future) => future.await,
            Err(error) => Err(error),
        };
        match acked {
            Ok(ack) => Ok(ack.sequence),
            Err(error) if error.kind() == PublishErrorKind::WrongLastSequence => {
                Err(SyncError::Conflict {
                    expected: expected_last,
                })
            }
            Err(error) => Err(server(error)),
        }
    }

    async fn store_object(&self, hash: ContentHash, bytes: &[u8]) -> Result<(), SyncError> {
        let name = hash.to_string();
        // Stored once: the same payload published again is not sent again.
        if self.objects.info(&name).await.is_ok() {
            return Ok(());
        }
        let mut reader = bytes;
        self.objects
            .put(name.as_str(), &mut reader)
            .await
            .map_err(server)?;
        Ok(())
    }

    /// The stored payloads `change` names, fetched.
    pub async fn objects_of(
        &self,
        change: &Change,
    ) -> Result<HashMap<ContentHash, Vec<u8>>, SyncError> {
        let mut objects = HashMap::new();
        for hash in change.objects() {
            objects.insert(*hash, self.object(hash).await?);
        }
        Ok(objects)
    }

    /// The log's changes from `start` on, in order, as they arrive (an
    /// ordered consumer: it recreates itself after a loss and never skips
    /// or repeats a message).
    pub async fn changes_from(&self, start: u64) -> Result<Ordered, SyncError> {
        let consumer = self
            .stream
            .create_consumer(OrderedConfig {
                filter_subject: self.subject.clone(),
                deliver_policy: DeliverPolicy::ByStartSequence {
                    start_sequence: start.max(1),
                },
                ..Default::default()
            })
            .await
            .map_err(server)?;
        consumer.messages().await.map_err(server)
    }

    /// Reads a delivered message as a change (fetching it when the message
    /// names a stored change).
    pub async fn read(&self, message: &jetstream::Message) -> Result<Logged, SyncError> {
        let info = message.info().map_err(server)?;
        let sequence = info.stream_sequence;
        let not_a_change = |reason: String| SyncError::NotAChange { sequence, reason };
        let stored = serde_json::from_slice::<serde_json::Value>(&message.payload)
            .ok()
            .and_then(|value| value.get(STORED_CHANGE)?.as_str().map(str::to_owned));
        let change = match stored {
            None => serde_json::from_slice(&message.payload)
                .map_err(|error| not_a_change(error.to_string()))?,
            Some(hash) => {
                let hash = ContentHash::parse(&hash)
                    .ok_or_else(|| not_a_change(format!("{hash:?} is not a content hash")))?;
                let bytes = self.object(&hash).await?;
                if ContentHash::of(&bytes) != hash {
                    return Err(not_a_change(format!("stored change {hash} is damaged")));
                }
                serde_json::from_slice(&bytes).map_err(|error| not_a_change(error.to_string()))?
            }
        };
        Ok(Logged {
            sequence,
            pending: info.pending,
            change,
        })
    }

    async fn object(&self, hash: &ContentHash) -> Result<Vec<u8>, SyncError> {
        let mut object = self.objects.get(hash.to_string()).await.map_err(server)?;
        let mut bytes = Vec::new();
        object.read_to_end(&mut bytes).await.map_err(server)?;
        Ok(bytes)
    }

    /// Applies to `engine` every change after its position up to the log's
    /// last one (as it is when called); returns the engine's position.
    pub async fn catch_up(&self, engine: &mut Engine) -> Result<u64, SyncError> {
        use futures_util::StreamExt;
        let last = self.last_sequence().await?;
        if engine.position() >= last {
            return Ok(engine.position());
        }
        let mut messages = self.changes_from(engine.position() + 1).await?;
        while engine.position() < last {
            let Some(message) = messages.next().await else {
                break;
            };
            let message = message.map_err(server)?;
            let logged = self.read(&message).await?;
            let objects = self.objects_of(&logged.change).await?;
            engine.apply_with(logged.sequence, &logged.change, &objects)?;
        }
        Ok(engine.position())
    }

    /// Stores `engine`'s snapshot as the latest (with its position); a new
    /// follower starts from it and replays only what follows. It is stored
    /// as an image ([`Engine::to_image`]), the form that restores fastest.
    pub async fn save_snapshot(&self, engine: &Engine) -> Result<SnapshotInfo, SyncError> {
        let bytes = engine.to_image();
        let mut reader = bytes.as_slice();
        self.snapshots
            .put(LATEST_SNAPSHOT, &mut reader)
            .await
            .map_err(server)?;
        Ok(SnapshotInfo {
            position: engine.position(),
            bytes: bytes.len(),
        })
    }

    /// The engine of the latest stored snapshot, at its position; `None`
    /// when no snapshot was stored.
    pub async fn load_snapshot(&self) -> Result<Option<Engine>, SyncError> {
        let mut object = match self.snapshots.get(LATEST_SNAPSHOT).await {
            Ok(object) => object,
            Err(error) if error.kind() == object_store::GetErrorKind::NotFound => {
                return Ok(None);
            }
            Err(error) => return Err(server(error)),
        };
        let mut bytes = Vec::new();
        object.read_to_end(&mut bytes).await.map_err(server)?;
        engine_of_stored(&bytes).map(Some)
    }
}

/// The engine of a stored snapshot: an image ([`Engine::from_image`]), or
/// a postcard [`Snapshot`], as the snapshots stored before images were.
pub(crate) fn engine_of_stored(bytes: &[u8]) -> Result<Engine, SyncError> {
    if Engine::is_image(bytes) {
        return Engine::from_image(bytes).map_err(SyncError::Snapshot);
    }
    let snapshot: Snapshot = postcard::from_bytes(bytes).map_err(|error| {
        SyncError::Snapshot(dnc_engine::DncError::InvalidSnapshot {
            reason: error.to_string(),
        })
    })?;
    Engine::restore(snapshot).map_err(SyncError::Snapshot)
}

/// What [`Log::save_snapshot`] stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapshotInfo {
    /// The engine's position.
    pub position: u64,
    /// The snapshot's size.
    pub bytes: usize,
}

async fn bucket(jetstream: &Context, name: &str) -> Result<ObjectStore, SyncError> {
    if let Ok(store) = jetstream.get_object_store(name).await {
        return Ok(store);
    }
    jetstream
        .create_object_store(object_store::Config {
            bucket: name.to_owned(),
            storage: StorageType::File,
            ..Default::default()
        })
        .await
        .map_err(server)
}

#[cfg(test)]
mod tests {
    use dnc_engine::{ClientId, DncKey, Engine, NewEntry, Phone};

    use super::engine_of_stored;

    fn sample() -> Engine {
        let mut engine = Engine::new();
        let phone = DncKey::Phone(Phone::parse("4155550100").unwrap());
        engine
            .add(NewEntry::for_client(ClientId::new(1).unwrap(), phone))
            .unwrap();
        engine
    }

    #[test]
    fn an_image_and_an_older_postcard_snapshot_both_load() {
        let engine = sample();
        let image = engine.to_image();
        assert_eq!(
            engine_of_stored(&image).unwrap().snapshot(),
            engine.snapshot()
        );
        let postcard = postcard::to_allocvec(&engine.snapshot()).unwrap();
        assert_eq!(
            engine_of_stored(&postcard).unwrap().snapshot(),
            engine.snapshot()
        );
    }

    #[test]
    fn a_damaged_stored_snapshot_is_an_error() {
        let mut image = sample().to_image();
        let last = image.len() - 1;
        image[last] ^= 1;
        assert!(engine_of_stored(&image).is_err());
        assert!(engine_of_stored(b"not a snapshot").is_err());
    }
}
