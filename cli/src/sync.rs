//! `dnc sync`: the replay protocol over a shared change log (a NATS
//! JetStream stream, through [`dnc_sync`]).
//!
//! - [`publish`]: replay lines become changes on the log, each answered as
//!   `dnc replay` answers it once every follower has applied it (reads are
//!   answered from the publisher's own engine, at the log's head);
//! - [`follow`]: follows the log from its latest snapshot, and answers the
//!   reads of `dnc replay` lines from the followed engine once it has every
//!   change the log held when the line arrived; a changing line is refused
//!   (changes go through `publish`);
//! - [`snapshot`]: stores a snapshot at the log's head, from which new
//!   followers start.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::time::Duration;

use dnc_engine::read_spinning;
use dnc_sync::{Follower, Log, Publisher, SnapshotInfo, SyncError};

use crate::replay::{Line, error_line, plan_line};

/// Where the log is.
#[derive(Clone, Debug)]
pub struct Target {
    /// The server's URL (`nats://127.0.0.1:4222`).
    pub server: String,
    /// The log's name (its stream).
    pub log: String,
}

/// What a whole `publish` or `follow` did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncStats {
    /// Lines answered.
    pub answered: u64,
    /// Changes appended to the log.
    pub published: u64,
    /// Lines answered with an error.
    pub errors: u64,
    /// The log's position after the last line.
    pub position: u64,
}

/// Why a `dnc sync` command stopped.
#[derive(Debug)]
pub enum SyncCommandError {
    /// Reading the input or writing the answers failed.
    Io(io::Error),
    /// The log could not be reached or used; `published` changes had been
    /// appended before (so a rerun starts after them).
    Log {
        /// Why.
        error: SyncError,
        /// How many changes this run appended before.
        published: u64,
    },
}

impl std::fmt::Display for SyncCommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncCommandError::Io(error) => write!(f, "{error}"),
            SyncCommandError::Log { error, published } => write!(
                f,
                "{error} ({published} changes of this run were appended before it)"
            ),
        }
    }
}

impl std::error::Error for SyncCommandError {}

impl From<io::Error> for SyncCommandError {
    fn from(error: io::Error) -> SyncCommandError {
        SyncCommandError::Io(error)
    }
}

/// How long a publish waits for the server to come back, in all.
const PATIENCE: Duration = Duration::from_secs(10);
/// How long one try may take.
const TRY: Duration = Duration::from_secs(2);
const RETRY: Duration = Duration::from_millis(200);

/// `$attempt` (a future, made anew for each try) tried until it succeeds,
/// fails for another reason than the server, or the server has been away
/// for [`PATIENCE`]; each try at most [`TRY`] (the client would wait for a
/// lost server forever).
macro_rules! patiently {
    ($attempt:expr) => {
        async {
            let started = tokio::time::Instant::now();
            loop {
                let outcome = match tokio::time::timeout(TRY, $attempt).await {
                    Ok(outcome) => outcome,
                    Err(_) => Err(SyncError::Server(format!(
                        "no answer within {} s",
                        TRY.as_secs()
                    ))),
                };
                match outcome {
                    Err(SyncError::Server(reason)) if started.elapsed() >= PATIENCE => {
                        break Err(SyncError::Server(format!(
                            "{reason} (the server has not answered for {} s)",
                            PATIENCE.as_secs()
                        )));
                    }
                    Err(SyncError::Server(_)) => tokio::time::sleep(RETRY).await,
                    other => break other,
                }
            }
        }
    };
}

fn runtime() -> Result<tokio::runtime::Runtime, SyncCommandError> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

fn log_error(published: u64) -> impl Fn(SyncError) -> SyncCommandError {
    move |error| SyncCommandError::Log { error, published }
}

async fn open(target: &Target) -> Result<Log, SyncError> {
    let client = async_nats::ConnectOptions::new()
        .connection_timeout(Duration::from_secs(5))
        .connect(target.server.as_str())
        .await
        .map_err(|error| SyncError::Server(format!("{}: {error}", target.server)))?;
    Log::open(client, &target.log).await
}

/// Reads `input` line by line, calling `line` with each line's bytes (no
/// line ending) and writing what it returns; flushes whenever no more
/// input is already waiting, so a program that writes a line and waits is
/// answered at once.
fn each_line(
    input: impl Read,
    output: impl Write,
    mut line: impl FnMut(&[u8]) -> Result<Option<String>, SyncCommandError>,
) -> Result<(), SyncCommandError> {
    let mut input = BufReader::with_capacity(64 * 1024, input);
    let mut output = io::BufWriter::with_capacity(64 * 1024, output);
    let mut bytes = Vec::new();
    loop {
        if input.buffer().is_empty() {
            output.flush()?;
        }
        bytes.clear();
        if input.read_until(b'\n', &mut bytes)? == 0 {
            break;
        }
        let text = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if let Some(answer) = line(text)? {
            output.write_all(answer.as_bytes())?;
            output.write_all(b"\n")?;
        }
    }
    output.flush()?;
    Ok(())
}

fn is_error(answer: &str) -> bool {
    answer.starts_with("{\"error\"")
}

/// `dnc sync publish`: every changing line of `input` appended to the log
/// (after the log's last change: a second writer catches up first), and
/// answered from its application; every line is read at the log's head
/// (the publisher catches up first). Stops at the first line it cannot
/// append (the server gone for more than 10 s), saying how many it
/// appended.
pub fn publish(
    target: &Target,
    input: impl Read,
    output: impl Write,
) -> Result<SyncStats, SyncCommandError> {
    let runtime = runtime()?;
    let mut publisher = runtime
        .block_on(async { Publisher::open(open(target).await?).await })
        .map_err(log_error(0))?;
    let mut stats = SyncStats::default();
    each_line(input, output, |bytes| {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        // Reads and plans at the log's head: other writers' changes first.
        runtime
            .block_on(patiently!(publisher.catch_up()))
            .map_err(log_error(stats.published))?;
        let answer = match plan_line(publisher.engine(), bytes) {
            Line::Blank => return Ok(None),
            Line::Answer(answer) => answer,
            Line::Change(change, answer) => {
                // One id for every try: a try that reached the log before
                // its acknowledgement was lost is not appended twice.
                let id = publisher.next_message_id();
                let published = runtime
                    .block_on(patiently!(publisher.publish_as(&change, &id)))
                    .map_err(log_error(stats.published))?;
                stats.published += 1;
                match published.outcome {
                    Some(outcome) => answer.write(outcome),
                    None => error_line(
                        "already_published",
                        &format!(
                            "the log already held this change (sequence {}): it was not \
                             appended again",
                            published.sequence
                        ),
                    ),
                }
            }
        };
        stats.answered += 1;
        stats.errors += u64::from(is_error(&answer));
        Ok(Some(answer))
    })?;
    stats.position = publisher.engine().position();
    Ok(stats)
}

/// `dnc sync follow`: follows the log from its latest snapshot, answering
/// each read of `input` once the follower has every change the log held
/// when the line was read (waiting at most `wait`; a follower still behind
/// then, or stopped, answers an error rather than a stale answer).
pub fn follow(
    target: &Target,
    wait: Duration,
    input: impl Read,
    output: impl Write,
    mut on_ready: impl FnMut(u64),
) -> Result<SyncStats, SyncCommandError> {
    let runtime = runtime()?;
    let (log, follower) = runtime
        .block_on(async {
            let log = open(target).await?;
            let follower = Follower::from_snapshot(log.clone()).await?;
            Ok::<_, SyncError>((log, follower))
        })
        .map_err(log_error(0))?;
    on_ready(follower.position());
    let mut stats = SyncStats::default();
    each_line(input, output, |bytes| {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        // The whole check within `wait`, the server's answer included.
        let caught_up = runtime.block_on(async {
            let started = tokio::time::Instant::now();
            let head = match tokio::time::timeout(wait, log.last_sequence()).await {
                Ok(head) => head?,
                Err(_) => {
                    return Err(SyncError::Server(format!(
                        "the log's head unknown within {} ms (the server is away)",
                        wait.as_millis()
                    )));
                }
            };
            follower
                .wait_for(head, wait.saturating_sub(started.elapsed()))
                .await
        });
        let answer = match (follower.failure(), caught_up) {
            (Some(failure), _) => error_line("stale", &failure),
            (None, Err(error)) => error_line("stale", &error.to_string()),
            (None, Ok(())) => {
                let engine = read_spinning(follower.engine());
                match plan_line(&engine, bytes) {
                    Line::Blank => return Ok(None),
                    Line::Answer(answer) => answer,
                    Line::Change(..) => error_line(
                        "read_only",
                        "dnc sync follow answers checks and reads; changes go through \
                         dnc sync publish",
                    ),
                }
            }
        };
        stats.answered += 1;
        stats.errors += u64::from(is_error(&answer));
        Ok(Some(answer))
    })?;
    stats.position = follower.position();
    follower.stop();
    Ok(stats)
}

/// `dnc sync snapshot`: the log's latest snapshot brought to the log's
/// head and stored as the latest.
pub fn snapshot(target: &Target) -> Result<SnapshotInfo, SyncCommandError> {
    let runtime = runtime()?;
    runtime
        .block_on(async {
            let log = open(target).await?;
            let mut engine = log.load_snapshot().await?.unwrap_or_default();
            log.catch_up(&mut engine).await?;
            log.save_snapshot(&engine).await
        })
        .map_err(log_error(0))
}
