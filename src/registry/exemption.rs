//! Exemptions: what lets a client call a number a registry lists. Each is a
//! record the host keeps (a last transaction, an inquiry, a written
//! consent, a business number) with its instant; whether it is in force is
//! decided at the check's instant, by the rules of the registry that lists
//! the number.
//!
//! An exemption lifts a *registry* block only. A consumer's request to the
//! company itself wins over any exemption ("a consumer's request to the
//! company not to call overrides the EBR", FTC business FAQ,
//! telemarketing.donotcall.gov/faq/faqbusiness.aspx): the client's own DNC
//! entries, account flags and channel lists are never consulted here.

use std::fmt;

use jiff::{Timestamp, ToSpan, tz::TimeZone};

use crate::error::DncError;
use crate::geo::StateCode;
use crate::registry::source::RegistrySource;
use crate::values::account::Account;
use crate::values::phone::Phone;

/// Which kind of exemption.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExemptionKind {
    /// An established business relationship from the consumer's last
    /// purchase, delivery or payment: 18 months in the US (16 CFR
    /// 310.2(q)(1); FTC business FAQ) and in Canada (lnnte-dncl.gc.ca
    /// "dncla-adncl-eng": "did business with in the past 18 months").
    Transaction,
    /// An established business relationship from an inquiry or
    /// application: 3 months in the US (16 CFR 310.2(q)(2); FTC business
    /// FAQ), 6 months in Canada (lnnte-dncl.gc.ca, same page).
    Inquiry,
    /// The consumer's written (US: signed, naming the number; 16 CFR
    /// 310.4(b)(1)(iii)(B)(1)) or express (Canada) consent, in force from
    /// `since` until it is revoked (`until`).
    Consent,
    /// A business's number: business-to-business calls are outside the
    /// registries (16 CFR 310.6(b)(7), except sales of nondurable office or
    /// cleaning supplies, which the host must not mark so; Canada: "calls
    /// to businesses", lnnte-dncl.gc.ca).
    Business,
}

impl ExemptionKind {
    /// Parses `TRANSACTION`, `INQUIRY`, `CONSENT` or `BUSINESS`.
    pub fn parse(text: &str) -> Result<ExemptionKind, DncError> {
        Ok(match text {
            "TRANSACTION" => ExemptionKind::Transaction,
            "INQUIRY" => ExemptionKind::Inquiry,
            "CONSENT" => ExemptionKind::Consent,
            "BUSINESS" => ExemptionKind::Business,
            _ => {
                return Err(DncError::InvalidExemption {
                    field: "kind",
                    value: text.to_owned(),
                    reason: "expected TRANSACTION, INQUIRY, CONSENT or BUSINESS",
                });
            }
        })
    }

    /// The spelling [`parse`](ExemptionKind::parse) reads.
    pub fn as_str(self) -> &'static str {
        match self {
            ExemptionKind::Transaction => "TRANSACTION",
            ExemptionKind::Inquiry => "INQUIRY",
            ExemptionKind::Consent => "CONSENT",
            ExemptionKind::Business => "BUSINESS",
        }
    }

    /// How many calendar months after `since` the exemption lasts on
    /// `source`'s registry; `None` when no period ends it (consent and
    /// business numbers last until `until`).
    fn months(self, source: RegistrySource) -> Option<i64> {
        let canada = source == RegistrySource::CaNational;
        match self {
            ExemptionKind::Transaction => Some(18),
            ExemptionKind::Inquiry if canada => Some(6),
            ExemptionKind::Inquiry => Some(3),
            ExemptionKind::Consent | ExemptionKind::Business => None,
        }
    }

    /// Whether this kind lifts `source`'s registry at all. Louisiana's list
    /// admits prior consent and business-to-business calls only, not an
    /// established business relationship (dnc.dreamhosters.com
    /// "2019-january-restricted-call-dates", project regulations notes,
    /// section 2); the other state lists take the federal exemptions, as no
    /// source we hold says otherwise.
    fn lifts(self, source: RegistrySource) -> bool {
        let louisiana = StateCode::parse("LA").ok().map(RegistrySource::State);
        match self {
            ExemptionKind::Transaction | ExemptionKind::Inquiry => Some(source) != louisiana,
            ExemptionKind::Consent | ExemptionKind::Business => true,
        }
    }
}

impl fmt::Display for ExemptionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whom an exemption is for: a number, or an account (it applies to a
/// dial decision that carries the account, whatever number is dialed).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ExemptionSubject {
    /// A 10-digit number.
    Phone(Phone),
    /// An account.
    Account(Account),
}

impl fmt::Display for ExemptionSubject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExemptionSubject::Phone(phone) => write!(f, "phone {phone}"),
            ExemptionSubject::Account(account) => write!(f, "account {}", account.as_str()),
        }
    }
}

/// One exemption record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Exemption {
    /// Its kind.
    pub kind: ExemptionKind,
    /// The instant of the transaction, inquiry or consent (for a business
    /// number, since when it is known to be one).
    pub since: Timestamp,
    /// When it ends before its period does (a revoked consent, a number
    /// that stopped being a business's); `None`: only the period ends it.
    pub until: Option<Timestamp>,
}

impl Exemption {
    /// A record of `kind` from `since`, without an end of its own.
    pub fn new(kind: ExemptionKind, since: Timestamp) -> Exemption {
        Exemption {
            kind,
            since,
            until: None,
        }
    }

    /// The same, ending at `until`.
    pub fn until(self, until: Timestamp) -> Exemption {
        Exemption {
            until: Some(until),
            ..self
        }
    }

    /// Refuses an `until` that is not after `since`.
    pub(crate) fn validate(&self) -> Result<(), DncError> {
        match self.until {
            Some(until) if until <= self.since => Err(DncError::InvalidExemption {
                field: "until",
                value: until.to_string(),
                reason: "an exemption must end after it starts (since)",
            }),
            _ => Ok(()),
        }
    }

    /// The instant it lapses on `source`'s registry: the earlier of the end
    /// of its period (calendar months after `since`, in UTC) and `until`;
    /// `None` when neither ends it.
    pub fn lapses(&self, source: RegistrySource) -> Option<Timestamp> {
        let period = self.kind.months(source).map(|months| {
            self.since
                .to_zoned_datetime(TimeZone::UTC)
                .checked_add(months.months())
                .map_or(Timestamp::MAX, |end| end.timestamp())
        });
        match (period, self.until) {
            (Some(period), Some(until)) => Some(period.min(until)),
            (period, until) => period.or(until),
        }
    }

    /// Whether it lifts `source`'s registry at `at`: a kind that registry
    /// admits, from `since` (inclusive) to its lapse (exclusive).
    pub fn in_force(&self, source: RegistrySource, at: Timestamp) -> bool {
        self.kind.lifts(source)
            && self.since <= at
            && self.lapses(source).is_none_or(|lapses| at < lapses)
    }
}

/// The exemption a registry check used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExemptionUsed {
    /// For whom it was recorded: the dialed number or the account.
    pub subject: ExemptionSubject,
    /// The record.
    pub exemption: Exemption,
    /// When it lapses on the registry it lifted; `None`: it does not.
    pub lapses: Option<Timestamp>,
}

impl fmt::Display for ExemptionUsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} exemption of {} since {}",
            self.exemption.kind, self.subject, self.exemption.since
        )?;
        match self.lapses {
            Some(lapses) => write!(f, ", lapses {lapses}"),
            None => f.write_str(", does not lapse"),
        }
    }
}

// Serialized as its text, parsed back through `parse`, so that a change
// read from a log is validated like a line typed by hand.
crate::values::packed::text_value!(ExemptionKind);
