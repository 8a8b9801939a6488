//! Changes as data, for many hosts that follow one log: every mutation of
//! the engine is a [`Mutation`], made by a [`Caller`](crate::Caller) (a
//! [`Change`]), and [`Engine::apply`](crate::Engine::apply) applies the
//! log's changes in order: idempotent at or below the engine's position,
//! refusing a gap, all or nothing, and advancing the position for a refused
//! change too, so that every follower of the same log holds the same
//! engine. A large payload (a registry copy) travels once as a stored
//! object named by its [`ContentHash`].
//!
//! The library does no I/O here either: the log, the object store and the
//! follower loop are the host's (`dnc-sync`, a workspace member, follows a
//! NATS JetStream stream).

mod apply;
mod effect;
mod mutation;
mod object;

pub use apply::{Applied, ApplyError};
pub use effect::Effect;
pub use mutation::{Change, Mutation};
pub use object::{Bytes, ContentHash, NoObjects, Objects};
