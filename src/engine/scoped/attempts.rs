//! The attempts family of [`Scoped`]: a principal records its own client's
//! attempts and manages its own client's rules and debt-collector mark;
//! the trim, which touches every client, is the host's alone
//! ([`Method::TrimAttempts`]).

use std::ops::{Deref, DerefMut};

use jiff::Timestamp;

use crate::access::roles::Method;
use crate::attempts::{AttemptRule, NewAttempt, NewAttemptRule};
use crate::engine::Engine;
use crate::engine::scoped::Scoped;
use crate::error::DncError;
use crate::values::ids::{AttemptRuleId, ClientId};

impl<E: Deref<Target = Engine>> Scoped<E> {
    /// [`Engine::attempt_rules`] ([`Method::AttemptRules`]).
    pub fn attempt_rules(&self, client: ClientId) -> Result<&[AttemptRule], DncError> {
        self.own_client(Method::AttemptRules, client)?;
        Ok(self.engine.attempt_rules(client))
    }

    /// [`Engine::is_debt_collector`] ([`Method::AttemptRules`]).
    pub fn is_debt_collector(&self, client: ClientId) -> Result<bool, DncError> {
        self.own_client(Method::AttemptRules, client)?;
        Ok(self.engine.is_debt_collector(client))
    }
}

impl<E: DerefMut<Target = Engine>> Scoped<E> {
    /// [`Engine::record_attempt`] ([`Method::Attempts`]): the service must
    /// be the caller's.
    pub fn record_attempt(&mut self, attempt: &NewAttempt) -> Result<(), DncError> {
        self.own_service(Method::Attempts, attempt.service)?;
        self.engine.record_attempt(attempt)
    }

    /// [`Engine::trim_attempts`] ([`Method::TrimAttempts`]: the host's
    /// alone).
    pub fn trim_attempts(&mut self, now: Timestamp) -> Result<usize, DncError> {
        self.allow(Method::TrimAttempts)?;
        Ok(self.engine.trim_attempts(now))
    }

    /// [`Engine::set_debt_collector`] ([`Method::AttemptRules`]).
    pub fn set_debt_collector(
        &mut self,
        client: ClientId,
        collector: bool,
    ) -> Result<(), DncError> {
        self.own_client(Method::AttemptRules, client)?;
        self.engine.set_debt_collector(client, collector);
        Ok(())
    }

    /// [`Engine::add_attempt_rule`] ([`Method::AttemptRules`]).
    pub fn add_attempt_rule(
        &mut self,
        client: ClientId,
        rule: NewAttemptRule,
    ) -> Result<AttemptRuleId, DncError> {
        self.own_client(Method::AttemptRules, client)?;
        self.engine.add_attempt_rule(client, rule)
    }

    /// [`Engine::remove_attempt_rule`] ([`Method::AttemptRules`]).
    pub fn remove_attempt_rule(
        &mut self,
        client: ClientId,
        id: AttemptRuleId,
    ) -> Result<AttemptRule, DncError> {
        self.own_client(Method::AttemptRules, client)?;
        self.engine.remove_attempt_rule(client, id)
    }
}
