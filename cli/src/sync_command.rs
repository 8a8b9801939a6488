//! `dnc sync publish|follow|snapshot`: the command line of
//! [`dnc_cli::sync`].

use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use dnc_cli::sync::{self, SyncStats, Target};

/// Where the log is (every `dnc sync` subcommand).
#[derive(Debug, Args)]
pub(crate) struct LogArgs {
    /// The NATS server (with JetStream enabled).
    #[arg(long, default_value = "nats://127.0.0.1:4222", value_name = "URL")]
    server: String,
    /// The log's name: its JetStream stream (created on first use), and
    /// the buckets NAME_objects and NAME_snapshots beside it.
    #[arg(long, default_value = "DNC", value_name = "NAME")]
    log: String,
}

/// `dnc sync` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum SyncCommand {
    /// Append the changing lines of a `dnc replay` script to the log, each
    /// answered as `dnc replay` answers it; reads are answered at the log's
    /// head.
    #[command(long_about = PUBLISH_HELP)]
    Publish {
        #[command(flatten)]
        log: LogArgs,
        /// The script; standard input when absent or "-".
        file: Option<PathBuf>,
    },
    /// Follow the log (from its latest snapshot) and answer the checks and
    /// reads of `dnc replay` lines on standard input from the followed
    /// engine.
    #[command(long_about = FOLLOW_HELP)]
    Follow {
        #[command(flatten)]
        log: LogArgs,
        /// How long a line waits for the follower to apply every change
        /// the log held when the line was read, before it is answered
        /// `stale` instead.
        #[arg(long, default_value_t = 5000, value_name = "MS")]
        wait_ms: u64,
    },
    /// Store a snapshot of the log's head, from which new followers start
    /// (and replay only what follows it).
    Snapshot {
        #[command(flatten)]
        log: LogArgs,
    },
}

const PUBLISH_HELP: &str = "\
Append the changing lines of a `dnc replay` script to a change log on a NATS
JetStream stream. Each change is appended after the log's last change
(Nats-Expected-Last-Sequence: a second writer is refused, catches up and
appends after), with a message id of this publisher's own (a retried
publish is not appended twice; the same change from two hosts is two
changes); a payload or a change of 64 KiB or more (a registry file, a bulk
create) is stored once in the NAME_objects bucket under its SHA-256 and the
message names it.

Every line is answered as `dnc replay` answers it, from the change as every
follower applies it (a refused change is on the log too, refused alike).
Every line is read at the log's head (the publisher catches up first). If the
server is gone for more than 10 s the run stops, saying how many changes it
appended (rerun the rest).";

const FOLLOW_HELP: &str = "\
Follow a change log from its latest snapshot (or its start) and answer the
reads of `dnc replay` lines (is_blocked, dial_check, check, dial, read,
list, find, info, registry_check, ...) on standard input from the followed
engine. Before a line is answered the follower applies every change the log
held when the line was read; one that cannot within --wait-ms, or that
stopped (a message it cannot read), answers {\"error\":{\"code\":\"stale\",...}}
rather than a stale answer. A changing line is answered
{\"error\":{\"code\":\"read_only\",...}}: changes go through `dnc sync publish`.
The follower reconnects by itself after the server or the network drops.
Standard error says when it is ready and where it stands at the end.";

pub(crate) fn run(command: SyncCommand) -> ExitCode {
    match command {
        SyncCommand::Publish { log, file } => {
            let Some(input) = input(file.as_ref()) else {
                return ExitCode::from(2);
            };
            let outcome = sync::publish(&target(log), input, io::stdout().lock());
            finish("publish", outcome)
        }
        SyncCommand::Follow { log, wait_ms } => {
            let outcome = sync::follow(
                &target(log),
                Duration::from_millis(wait_ms),
                io::stdin().lock(),
                io::stdout().lock(),
                |position| eprintln!("dnc sync follow: following from change {position}"),
            );
            finish("follow", outcome)
        }
        SyncCommand::Snapshot { log } => match sync::snapshot(&target(log)) {
            Ok(info) => {
                println!(
                    "{{\"position\":{},\"bytes\":{}}}",
                    info.position, info.bytes
                );
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("dnc sync snapshot: {error}; no snapshot was stored");
                ExitCode::FAILURE
            }
        },
    }
}

fn target(log: LogArgs) -> Target {
    Target {
        server: log.server,
        log: log.log,
    }
}

fn input(file: Option<&PathBuf>) -> Option<Box<dyn Read>> {
    match file {
        Some(path) if path.as_os_str() != "-" => match File::open(path) {
            Ok(file) => Some(Box::new(file)),
            Err(error) => {
                eprintln!("dnc sync publish: cannot open {}: {error}", path.display());
                None
            }
        },
        _ => Some(Box::new(io::stdin().lock())),
    }
}

fn finish(name: &str, outcome: Result<SyncStats, sync::SyncCommandError>) -> ExitCode {
    match outcome {
        Ok(stats) if name == "publish" => {
            eprintln!(
                "dnc sync publish: {} lines answered ({} with an error), {} changes appended; \
                 the log at change {}",
                stats.answered, stats.errors, stats.published, stats.position
            );
            ExitCode::SUCCESS
        }
        Ok(stats) => {
            eprintln!(
                "dnc sync {name}: {} lines answered ({} with an error); the follower at change {}",
                stats.answered, stats.errors, stats.position
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("dnc sync {name}: {error}");
            ExitCode::FAILURE
        }
    }
}
