//! `dnc`: the command-line face of dnc-engine.

use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Do-Not-Call decisions with the exact semantics of the LiveVox Compliance
/// API's isBlocked, scripted from the command line.
#[derive(Debug, Parser)]
#[command(name = "dnc", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Replay a JSON Lines script against a fresh engine: one answer line per
    /// non-blank request line.
    #[command(long_about = REPLAY_HELP)]
    Replay {
        /// The script to read; standard input when absent or "-".
        file: Option<PathBuf>,
    },
}

const REPLAY_HELP: &str = r#"Replay a JSON Lines script against a fresh, empty engine.

Every non-blank input line is one JSON object with an "op"; every one gets
exactly one JSON line on standard output, in order. A faulty line is answered
with {"error":{"code":CODE,"message":TEXT}} and the replay continues. The exit
status is 0 unless reading the input or writing the output fails.

Integer fields (id, client, service) also accept a string of digits; null and
"" mean absent.

Ops, with one example line each:

  add_service    {"op":"add_service","client":93119,"service":123}
                 -> {"ok":true}
  add            {"op":"add","service":123,"phone":"4152257000","type":"DAILY"}
                 fields: id?, client?, service?, phone?, account?, zip?,
                 type? (PERMANENT, the default, or DAILY); a service's entry
                 belongs to the service's client, a client-level entry needs
                 "client"; without "id" the engine assigns one greater than
                 every id it has stored.
                 -> {"ok":true,"id":1}
  remove         {"op":"remove","id":1}
                 -> {"ok":true}
  account_flags  {"op":"account_flags","client":93119,"account":"A6789","doNotDial":true}
                 fields: client, account, doNotDial?, doNotDialDaily?
                 (omitted = unchanged)
                 -> {"ok":true}
  clear_daily    {"op":"clear_daily","client":93119}
                 the nightly clear; without "client", for all clients
                 -> {"ok":true,"removed":1}
  is_blocked     {"op":"is_blocked","service":123,"phone":"4152257000","account":"A6789"}
                 fields: service, client?, phone?, account?, zip? (one at least);
                 literal comparison: "*" is an ordinary character
                 -> {"result":true,"entries":[1],"accountFlags":["DO_NOT_DIAL"]}
  dial_check     {"op":"dial_check","service":123,"phone":"2093334545"}
                 as is_blocked, but a stored phone or account with "*" is a
                 pattern; the dialed phone must be digits only

Error codes: bad_request (not JSON, not an object, unknown op, a required
field missing, a field of the wrong JSON type, none of phone/account/zip),
invalid_phone, invalid_account, invalid_zip, invalid_id, invalid_entry,
unknown_service, service_client_mismatch, duplicate_id, not_found.
When a line has several faults, bad_request wins."#;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Replay { file } => replay(file),
    }
}

fn replay(file: Option<PathBuf>) -> ExitCode {
    let input: Box<dyn Read> = match &file {
        Some(path) if path.as_os_str() != "-" => match File::open(path) {
            Ok(file) => Box::new(file),
            Err(error) => {
                eprintln!("dnc replay: cannot open {}: {error}", path.display());
                return ExitCode::from(2);
            }
        },
        _ => Box::new(io::stdin().lock()),
    };
    match dnc_cli::replay::run(input, io::stdout().lock()) {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("dnc replay: {error}");
            ExitCode::FAILURE
        }
    }
}
