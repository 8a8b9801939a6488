//! The attempts API family: marking a client as a debt collector,
//! recording contact attempts, trimming the history, and the clients'
//! attempt rules.

use jiff::{SignedDuration, Timestamp};

use crate::attempts::answer;
use crate::attempts::{AttemptRule, NewAttempt, NewAttemptRule};
use crate::engine::Engine;
use crate::error::DncError;
use crate::values::ids::{AttemptRuleId, ClientId};

impl Engine {
    /// Marks `client` as a debt collector (Regulation F's presumptions
    /// apply to its calls: 12 CFR 1006.14(b)), or not. A client is not one
    /// until marked.
    pub fn set_debt_collector(&mut self, client: ClientId, collector: bool) {
        self.attempts.set_collector(client, collector);
    }

    /// Whether `client` is marked as a debt collector.
    pub fn is_debt_collector(&self, client: ClientId) -> bool {
        self.attempts.is_collector(client)
    }

    /// Records a contact attempt in its service's client's history, which
    /// the caps of every later dial decision count.
    ///
    /// Errors: [`DncError::UnknownService`]; [`DncError::InvalidAttempt`]
    /// for a phone that is not ten NANP digits. Nothing is kept then.
    ///
    /// ```
    /// use dnc_engine::attempts::{NewAttempt, Outcome};
    /// use dnc_engine::{ClientId, DialRequest, Engine, Phone, ServiceId};
    /// use dnc_engine::jiff::Timestamp;
    ///
    /// let mut engine = Engine::new();
    /// let service = ServiceId::new(1)?;
    /// engine.register_service(ClientId::new(1)?, service)?;
    /// // Three calls to a Miami number within a day: Florida's cap.
    /// let miami = Phone::parse("3055550100")?;
    /// for at in ["2026-11-18T14:00:00Z", "2026-11-18T15:00:00Z", "2026-11-18T16:00:00Z"] {
    ///     let at: Timestamp = at.parse().unwrap();
    ///     engine.record_attempt(&NewAttempt::new(service, miami, at, Outcome::NoAnswer))?;
    /// }
    /// let at: Timestamp = "2026-11-18T17:00:00Z".parse().unwrap();
    /// let decision = engine.dial_decision(&DialRequest::new(service, miami, at))?;
    /// assert!(!decision.allowed());
    /// // Allowed again 24 hours after the first call.
    /// assert_eq!(decision.next_allowed(), Some("2026-11-19T14:00:00Z".parse().unwrap()));
    /// # Ok::<(), dnc_engine::DncError>(())
    /// ```
    pub fn record_attempt(&mut self, attempt: &NewAttempt) -> Result<(), DncError> {
        let client = self
            .client_of(attempt.service)
            .ok_or(DncError::UnknownService {
                service: attempt.service,
            })?;
        self.attempts.record(client, attempt)
    }

    /// Drops every attempt that no cap can count for a contact at `now` or
    /// later: those more than [`attempt_horizon`](Engine::attempt_horizon)
    /// before `now`; how many went. The host calls it with its clock's
    /// instant; a mistaken instant in the past drops less, never an attempt
    /// a cap still needs for contacts from that instant on.
    pub fn trim_attempts(&mut self, now: Timestamp) -> usize {
        let horizon = self.attempt_horizon();
        match now.checked_sub(horizon) {
            Ok(before) => self.attempts.trim(before),
            // Before the first instant: nothing is that old.
            Err(_) => 0,
        }
    }

    /// How far back the caps can look: seven days for the law's caps, or
    /// the longest window and lock of a client's rule (plus a day for a
    /// calendar window's zone). An attempt older than this from every
    /// future contact can never count again.
    pub fn attempt_horizon(&self) -> SignedDuration {
        self.attempts
            .clients
            .values()
            .map(|part| answer::reach(&part.rules))
            .fold(answer::reach(&[]), SignedDuration::max)
    }

    /// How many attempts the engine keeps.
    pub fn attempt_count(&self) -> usize {
        self.attempts.len()
    }

    /// Adds an attempt rule for `client`; its id (engine-wide, never
    /// reused).
    ///
    /// Errors: [`DncError::InvalidAttempt`] for a limit of zero, no outcome
    /// or channel, a window or lock outside a minute to 400 days.
    pub fn add_attempt_rule(
        &mut self,
        client: ClientId,
        rule: NewAttemptRule,
    ) -> Result<AttemptRuleId, DncError> {
        self.attempts.add_rule(client, rule)
    }

    /// Removes `client`'s rule `id`.
    ///
    /// Errors: [`DncError::AttemptRuleNotFound`] (also for another
    /// client's rule).
    pub fn remove_attempt_rule(
        &mut self,
        client: ClientId,
        id: AttemptRuleId,
    ) -> Result<AttemptRule, DncError> {
        self.attempts.remove_rule(client, id)
    }

    /// `client`'s attempt rules, in the order added.
    pub fn attempt_rules(&self, client: ClientId) -> &[AttemptRule] {
        self.attempts.rules(client)
    }
}
