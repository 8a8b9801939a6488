//! # dnc-sync: many dialer hosts, one truth
//!
//! Keeps the [`dnc_engine::Engine`]s of many hosts identical by following
//! one ordered, replicated change log on a NATS JetStream stream. An
//! opt-out taken on one host is a [`Change`](dnc_engine::Change) appended
//! to the log; every follower applies the log's changes in order with
//! [`Engine::apply`](dnc_engine::Engine::apply), so the next dial on every
//! host is checked against it. This crate does the I/O the library never
//! does; the library does the ordering rules (idempotent below its
//! position, refusing a gap, all or nothing, advancing for a refused
//! change too).
//!
//! - [`Log`]: the stream (sequence = change sequence, file storage, no
//!   deletes or purges), publishing with `Nats-Expected-Last-Sequence`
//!   (single writer: a second writer is told, [`SyncError::Conflict`], and
//!   catches up) and `Nats-Msg-Id` (the publisher's own id and a counter:
//!   a retried publish is not appended twice, while the same change from
//!   two hosts is two changes); a payload or a whole change of 64 KiB or
//!   more (a registry copy, a bulk create) stored once in the
//!   `<log>_objects` bucket under its SHA-256 digest; snapshots in the
//!   `<log>_snapshots` bucket, each carrying its position, stored as an
//!   engine image (`Engine::to_image`, the form that restores fastest; a
//!   postcard snapshot stored by an earlier version still loads).
//! - [`Follower`]: an engine behind a `RwLock` (read it with
//!   [`dnc_engine::read_spinning`]), kept at the log's head by a task that
//!   reconnects after any loss and resumes at its position; it says its
//!   [`lag`](Follower::lag), and [`wait_for`](Follower::wait_for) a
//!   sequence before answering what must include it.
//! - [`Publisher`]: the writer, which keeps its own engine at the head and
//!   answers each change as the followers will apply it.
//! - [`LocalServer`](local_server::LocalServer): a real `nats-server` on
//!   loopback for tests and trials.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use dnc_engine::{Change, ClientId, Mutation, ServiceId, read_spinning};
//! use dnc_sync::{Follower, Log, Publisher};
//!
//! let client = async_nats::connect("nats://127.0.0.1:4222").await?;
//! let log = Log::open(client, "DNC").await?;
//! let mut publisher = Publisher::open(log.clone()).await?;
//! let published = publisher
//!     .publish(&Change::by_host(Mutation::RegisterService {
//!         client: ClientId::new(1)?,
//!         service: ServiceId::new(10)?,
//!     }))
//!     .await?;
//!
//! let follower = Follower::from_snapshot(log).await?;
//! follower.wait_for(published.sequence, std::time::Duration::from_secs(5)).await?;
//! let engine = read_spinning(follower.engine());
//! assert_eq!(engine.client_of(ServiceId::new(10)?), Some(ClientId::new(1)?));
//! # Ok(())
//! # }
//! ```
//!
//! ## Quirks
//! - **A retry must reuse its message id** ([`Publisher::next_message_id`],
//!   [`Publisher::publish_as`]): the log drops a message whose id it saw in
//!   the last two minutes. A retry later than that, of a publish whose
//!   acknowledgement was lost, could append the change twice.
//! - **A follower that meets a message it cannot read stops there** (and
//!   says why in [`Follower::failure`]) rather than skip it: a skipped
//!   opt-out is a call that must not be made. Its lag then grows, and a
//!   host that checks the lag before answering refuses to answer.
//! - **The server must keep every change** (the stream denies deletes and
//!   purges): a follower restored from a snapshot replays from the
//!   snapshot's position, so the log may only be trimmed below the oldest
//!   snapshot anyone starts from; this crate never trims it.
//! - **Lag is what the last delivered message said** (its pending count):
//!   while the server is unreachable it is the last known lag, not a
//!   measurement. [`Follower::wait_for`] with the log's
//!   [`last_sequence`](Log::last_sequence) is the exact check.

mod error;
mod follower;
pub mod local_server;
mod log;
mod publisher;

pub use error::SyncError;
pub use follower::Follower;
pub use log::{INLINE_LIMIT, Log, Logged, SnapshotInfo};
pub use publisher::{Published, Publisher};
