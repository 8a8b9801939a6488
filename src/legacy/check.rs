//! The legacy list's checks: `isBlocked` (every stored value compares
//! literally) and the dial check (a stored `*` is a pattern), one at a time
//! or in batches whose memory lookups overlap.

use crate::error::DncError;
use crate::legacy::list::{LegacyList, ServiceSlot};
use crate::query::Query;
use crate::values::ids::{ClientId, ServiceId};
use crate::values::phone::Phone;
use crate::verdict::{CheckRule, Verdict};

/// What answers the phones of a client whose phone DNC type is `DIAL_TIME`:
/// the dialtime list, which this part does not own; the facade passes it
/// in with the instant of the check.
pub(crate) trait DialtimePhones {
    /// Adds to `verdict` the dialtime entries of `client` that block `phone`
    /// for `service`.
    fn collect(&self, client: ClientId, service: ServiceId, phone: Phone, verdict: &mut Verdict);
}

impl LegacyList {
    /// Checks many queries at once, in order, into `verdicts` (cleared
    /// first): the lookups of several queries are started before any is
    /// finished, so their cache misses overlap.
    pub(crate) fn check_batch(
        &self,
        queries: &[Query<'_>],
        rule: CheckRule,
        verdicts: &mut Vec<Result<Verdict, DncError>>,
        dialtime: &impl DialtimePhones,
    ) {
        /// Queries whose lookups are in flight together.
        const GROUP: usize = 16;
        verdicts.clear();
        verdicts.reserve(queries.len());
        let mut resolved = [None; GROUP];
        for group in queries.chunks(GROUP) {
            // Stage 1: resolve every service and hash every phone
            // (cache-resident work).
            for (query, resolved) in group.iter().zip(&mut resolved) {
                *resolved = self.services.get(&query.service).map(|slot| {
                    let key_hash = query
                        .phone
                        .map(|phone| self.phones.key_hash(slot.client_idx, phone.packed()));
                    (*slot, key_hash)
                });
            }
            // Stage 2: start every probe. The loop is short and its loads do
            // not depend on one another, so the CPU keeps many in flight.
            let mut warmed = 0;
            for (_, key_hash) in resolved[..group.len()].iter().flatten() {
                if let Some(key_hash) = key_hash {
                    warmed ^= self.phones.warm(*key_hash);
                }
            }
            std::hint::black_box(warmed);
            // Stage 3: finish each check; its data is now in cache.
            for (query, resolved) in group.iter().zip(&resolved) {
                verdicts.push(self.check_resolved(query, rule, *resolved, dialtime));
            }
        }
    }

    /// One check under `rule` (`isBlocked` compares literally, the dial
    /// check reads `*` as a pattern); a `DIAL_TIME` client's phones are
    /// answered by `dialtime`.
    #[inline]
    pub(crate) fn check(
        &self,
        query: &Query<'_>,
        rule: CheckRule,
        dialtime: &impl DialtimePhones,
    ) -> Result<Verdict, DncError> {
        self.check_resolved(query, rule, None, dialtime)
    }

    /// A check; `resolved`, when given, is the query's service and the phone
    /// store's hash of its client and phone, already computed by a batch.
    // Inlined so that each public check is compiled for its rule.
    #[inline]
    fn check_resolved(
        &self,
        query: &Query<'_>,
        rule: CheckRule,
        resolved: Option<(ServiceSlot, Option<u64>)>,
        dialtime: &impl DialtimePhones,
    ) -> Result<Verdict, DncError> {
        if rule == CheckRule::DialCheck {
            if let Some(phone) = query.phone.filter(|phone| phone.has_wildcard()) {
                return Err(DncError::InvalidPhone {
                    value: phone.to_string(),
                    reason: "a dialed phone must be digits only",
                });
            }
        }
        let service = query.service;
        let (slot, key_hash) = match resolved {
            Some(resolved) => resolved,
            None => {
                let slot = *self
                    .services
                    .get(&service)
                    .ok_or(DncError::UnknownService { service })?;
                (slot, None)
            }
        };
        if let Some(given) = query.client.filter(|&given| given != slot.client) {
            return Err(DncError::ServiceClientMismatch {
                service,
                owner: slot.client,
                given,
            });
        }
        if query.phone.is_none() && query.account.is_none() && query.zip.is_none() {
            return Err(DncError::EmptyRequest);
        }
        let mut verdict = Verdict::new(rule);
        let dial_time = self.dial_time[slot.client_idx as usize];
        if let Some(phone) = query.phone {
            if dial_time {
                // The dialtime list answers a DIAL_TIME client's phones
                // (the reference's "Phone DNC Type").
                dialtime.collect(slot.client, service, phone, &mut verdict);
            } else {
                let key_hash = key_hash
                    .unwrap_or_else(|| self.phones.key_hash(slot.client_idx, phone.packed()));
                self.phones
                    .collect(slot.client_idx, slot.idx, phone, key_hash, &mut verdict);
            }
        }
        // A literal check of a phone alone is the phone store's: skip the
        // client's other indexes (fewer instructions per check lets the CPU
        // overlap more checks' memory reads).
        if query.account.is_some() || query.zip.is_some() || rule == CheckRule::DialCheck {
            self.indexes[slot.client_idx as usize].check(query, rule, !dial_time, &mut verdict);
        }
        Ok(verdict.finish())
    }
}
