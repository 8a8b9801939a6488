//! The one error type of the sync crate.

use std::fmt;

use dnc_engine::{ApplyError, DncError};

/// Why a log operation did not happen.
#[derive(Debug)]
#[non_exhaustive]
pub enum SyncError {
    /// The server could not be reached or refused a request (the text is
    /// the client's).
    Server(String),
    /// Another writer appended since this one last read the log: the
    /// change was not published (single-writer ordering through
    /// `Nats-Expected-Last-Sequence`).
    Conflict {
        /// The last sequence the publisher expected.
        expected: u64,
    },
    /// A message of the log is not a change this version reads: following
    /// stops there rather than skip it (a skipped opt-out is a call that
    /// must not be made).
    NotAChange {
        /// Its sequence.
        sequence: u64,
        /// Why it does not read.
        reason: String,
    },
    /// The engine did not take a change: a gap in the log, or a stored
    /// payload missing or damaged.
    Apply(ApplyError),
    /// A stored snapshot that does not restore.
    Snapshot(DncError),
    /// The follower did not reach the position asked for in time.
    Behind {
        /// Where it is.
        position: u64,
        /// Where it was asked to be.
        wanted: u64,
    },
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::Server(message) => write!(f, "the NATS server: {message}"),
            SyncError::Conflict { expected } => write!(
                f,
                "another writer appended after change {expected}: catch up and publish again"
            ),
            SyncError::NotAChange { sequence, reason } => write!(
                f,
                "message {sequence} of the log is not a change ({reason}): following stops there"
            ),
            SyncError::Apply(error) => write!(f, "{error}"),
            SyncError::Snapshot(error) => write!(f, "the stored snapshot: {error}"),
            SyncError::Behind { position, wanted } => write!(
                f,
                "the follower is at change {position}, behind change {wanted}: its answers \
                 would miss changes"
            ),
        }
    }
}

impl std::error::Error for SyncError {}

impl From<ApplyError> for SyncError {
    fn from(error: ApplyError) -> SyncError {
        SyncError::Apply(error)
    }
}

/// Any client error as [`SyncError::Server`].
pub(crate) fn server(error: impl fmt::Display) -> SyncError {
    SyncError::Server(error.to_string())
}
