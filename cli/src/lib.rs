//! The `dnc` command-line program's logic, as a library so that tests and fuzz
//! targets drive exactly what the program runs.
//!
//! [`replay`] implements `dnc replay`, the replay protocol: one JSON request
//! per line in, one JSON answer per line out. [`scrub`] implements `dnc scrub`:
//! a whole call list checked against CSV lists, and its report (HTML and
//! JSON) for the compliance record. [`registry`] implements
//! `dnc registry`: registry copies built from the registries' files.
//! [`sync`] implements `dnc sync`: replay lines published to a NATS
//! JetStream change log, and checks answered by a follower of it. Both only translate their
//! input to calls of [`dnc_engine`]; every rule lives in the library.

pub mod registry;
/// `dnc replay`: the replay protocol, its own crate so the bindings share it.
pub use dnc_replay as replay;
pub mod scrub;
pub mod sync;
