//! Reading a shared engine without sleeping through short writes.

use std::sync::{PoisonError, RwLock, RwLockReadGuard, TryLockError};

use crate::engine::Engine;

/// How many times [`read_spinning`] tries the lock before blocking: a few
/// microseconds, longer than a change holds the write lock.
const SPINS: usize = 2048;

/// Takes the read lock of a shared engine, spinning briefly while a writer
/// holds it before blocking.
///
/// A change holds the write lock for about a microsecond. A reader that
/// blocks on the lock meanwhile is put to sleep and woken by the system,
/// which costs far more than the wait; this one tries `try_read` for a few
/// microseconds first, and blocks only if the writer takes longer (a bulk
/// change). A poisoned lock (a thread panicked while holding it) is still
/// read: the engine's operations never leave it half-changed.
///
/// ```
/// use std::sync::RwLock;
/// use dnc_engine::{read_spinning, ClientId, DncKey, Engine, NewEntry, Phone, Query, ServiceId};
///
/// # fn main() -> Result<(), dnc_engine::DncError> {
/// let (client, service) = (ClientId::new(1)?, ServiceId::new(10)?);
/// let shared = RwLock::new(Engine::new());
/// let phone = Phone::parse("4155550100")?;
/// {
///     let mut engine = shared.write().expect("not poisoned");
///     engine.register_service(client, service)?;
///     engine.add(NewEntry::for_client(client, DncKey::Phone(phone)))?;
/// }
/// let verdict = read_spinning(&shared).is_blocked(&Query::new(service).phone(phone))?;
/// assert!(verdict.is_blocked());
/// # Ok(())
/// # }
/// ```
pub fn read_spinning(lock: &RwLock<Engine>) -> RwLockReadGuard<'_, Engine> {
    for _ in 0..SPINS {
        match lock.try_read() {
            Ok(guard) => return guard,
            Err(TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => std::hint::spin_loop(),
        }
    }
    lock.read().unwrap_or_else(PoisonError::into_inner)
}
