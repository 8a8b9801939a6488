//! The checks: `isBlocked` and the dial check, one at a time or in
//! batches. The legacy part answers them; a `DIAL_TIME` client's phones
//! are handed to the channel part's dialtime list.

use crate::channels::state::ChannelState;
use crate::engine::Engine;
use crate::error::DncError;
use crate::legacy::check::DialtimePhones;
use crate::query::Query;
use crate::values::ids::{ClientId, ServiceId};
use crate::values::phone::Phone;
use crate::verdict::{CheckRule, Verdict};

/// The dialtime list at an instant, as the legacy part's checks ask it.
struct DialtimeAt<'a> {
    channels: &'a ChannelState,
    /// Epoch milliseconds; `i64::MIN` for none: without an instant every
    /// expiring entry still blocks.
    at_millis: i64,
}

impl DialtimePhones for DialtimeAt<'_> {
    #[inline]
    fn collect(&self, client: ClientId, service: ServiceId, phone: Phone, verdict: &mut Verdict) {
        self.channels
            .dialtime_phone(client, service, phone, self.at_millis, verdict);
    }
}

impl Engine {
    /// The dialtime list without an instant.
    #[inline]
    fn dialtime(&self) -> DialtimeAt<'_> {
        DialtimeAt {
            channels: &self.channels,
            at_millis: i64::MIN,
        }
    }

    /// `isBlocked`: every stored value compares literally, so a stored
    /// `209*******` blocks only the request `209*******`.
    ///
    /// Errors: [`DncError::UnknownService`], [`DncError::ServiceClientMismatch`]
    /// when `query.client` does not own the service, [`DncError::EmptyRequest`]
    /// when the query names no phone, account or zip.
    #[inline]
    pub fn is_blocked(&self, query: &Query<'_>) -> Result<Verdict, DncError> {
        self.legacy
            .check(query, CheckRule::IsBlocked, &self.dialtime())
    }

    /// The dial check: as [`is_blocked`](Engine::is_blocked), except that a
    /// stored phone or account containing `*` is a pattern (`*` matches any
    /// one character, and a final `*` also absorbs the rest). The dialed
    /// phone must be digits only ([`DncError::InvalidPhone`] otherwise).
    #[inline]
    pub fn dial_check(&self, query: &Query<'_>) -> Result<Verdict, DncError> {
        self.legacy
            .check(query, CheckRule::DialCheck, &self.dialtime())
    }

    /// Checks many queries at once, in order: `verdicts` is cleared and then
    /// holds one answer per query, exactly what [`is_blocked`](Engine::is_blocked)
    /// would give for each. Faster per query than one call each, because the
    /// batch starts the memory lookups of several queries before finishing
    /// any, so their cache misses overlap: the natural shape for scrubbing a
    /// call list.
    pub fn is_blocked_batch(
        &self,
        queries: &[Query<'_>],
        verdicts: &mut Vec<Result<Verdict, DncError>>,
    ) {
        self.legacy
            .check_batch(queries, CheckRule::IsBlocked, verdicts, &self.dialtime());
    }

    /// [`dial_check`](Engine::dial_check) for many queries at once; see
    /// [`is_blocked_batch`](Engine::is_blocked_batch).
    pub fn dial_check_batch(
        &self,
        queries: &[Query<'_>],
        verdicts: &mut Vec<Result<Verdict, DncError>>,
    ) {
        self.legacy
            .check_batch(queries, CheckRule::DialCheck, verdicts, &self.dialtime());
    }

    /// The dial check at an instant (for the dial decision): as
    /// [`dial_check`](Engine::dial_check), except that a `DIAL_TIME` client's
    /// dialtime entries that expired by `at_millis` no longer block.
    #[inline]
    pub(crate) fn dial_check_at(
        &self,
        query: &Query<'_>,
        at_millis: i64,
    ) -> Result<Verdict, DncError> {
        let dialtime = DialtimeAt {
            channels: &self.channels,
            at_millis,
        };
        self.legacy.check(query, CheckRule::DialCheck, &dialtime)
    }
}
