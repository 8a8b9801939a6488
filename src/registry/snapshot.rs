//! What a snapshot keeps of the registries part (each copy in its binary
//! form, each client's subscriptions and exemptions in plain records), and
//! how a restore puts them back through the live checks.

use jiff::Timestamp;

use crate::error::{DncError, invalid_snapshot};
use crate::geo::AreaCode;
use crate::registry::exemption::{Exemption, ExemptionKind, ExemptionSubject};
use crate::registry::list::Registry;
use crate::registry::source::RegistrySource;
use crate::registry::store::RegistryStore;
use crate::registry::subscription::{SubscribedAreaCodes, Subscription};
use crate::values::account::Account;
use crate::values::ids::ClientId;
use crate::values::phone::Phone;

/// A registry copy, in its binary form ([`Registry::to_bytes`]).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RegistryCopyRecord {
    /// The copy's binary form.
    pub bytes: Vec<u8>,
}

/// A client's subscription to one registry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubscriptionRecord {
    /// The client.
    pub client: ClientId,
    /// `US_NATIONAL`, `CA_NATIONAL`, `STATE_XX`.
    pub source: String,
    /// The area codes, ascending; `None` for all of them.
    pub area_codes: Option<Vec<u16>>,
}

/// A client's exemption.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExemptionRecord {
    /// The client.
    pub client: ClientId,
    /// The number it is for (or the account).
    pub phone: Option<Phone>,
    /// The account it is for (or the number).
    pub account: Option<Account>,
    /// `TRANSACTION`, `INQUIRY`, `CONSENT`, `BUSINESS`.
    pub kind: String,
    /// Its instant.
    pub since: Timestamp,
    /// Its own end, if any.
    pub until: Option<Timestamp>,
}

/// The registries part's records, sorted so that equal parts give equal
/// records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RegistryRecords {
    pub(crate) copies: Vec<RegistryCopyRecord>,
    pub(crate) subscriptions: Vec<SubscriptionRecord>,
    pub(crate) exemptions: Vec<ExemptionRecord>,
}

impl RegistryStore {
    /// The part's records.
    pub(crate) fn snapshot_records(&self) -> RegistryRecords {
        let copies = self
            .copies()
            .map(|copy| RegistryCopyRecord {
                bytes: copy.to_bytes(),
            })
            .collect();
        let mut subscriptions: Vec<SubscriptionRecord> = self
            .subscribed_clients()
            .flat_map(|client| {
                self.subscriptions(client)
                    .iter()
                    .map(move |subscription| SubscriptionRecord {
                        client,
                        source: subscription.source.to_string(),
                        area_codes: match &subscription.area_codes {
                            SubscribedAreaCodes::All => None,
                            SubscribedAreaCodes::Only(codes) => {
                                Some(codes.iter().map(|code| code.get()).collect())
                            }
                        },
                    })
            })
            .collect();
        subscriptions.sort_by(|a, b| (a.client, &a.source).cmp(&(b.client, &b.source)));
        let mut exemptions: Vec<ExemptionRecord> = self
            .exempted_clients()
            .flat_map(|client| {
                self.exemptions(client).map(move |(subject, exemption)| {
                    let (phone, account) = match subject {
                        ExemptionSubject::Phone(phone) => (Some(phone), None),
                        ExemptionSubject::Account(account) => (None, Some(account)),
                    };
                    ExemptionRecord {
                        client,
                        phone,
                        account,
                        kind: exemption.kind.as_str().to_owned(),
                        since: exemption.since,
                        until: exemption.until,
                    }
                })
            })
            .collect();
        exemptions.sort_by(|a, b| {
            let key = |record: &ExemptionRecord| {
                (
                    record.client,
                    record.phone.map(|phone| phone.to_string()),
                    record
                        .account
                        .as_ref()
                        .map(|account| account.as_str().to_owned()),
                    record.kind.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        RegistryRecords {
            copies,
            subscriptions,
            exemptions,
        }
    }

    /// The part the records describe, through the live checks: each copy
    /// opened from its binary form (one per source), each subscription's
    /// source and area codes parsed (one per client and source), each
    /// exemption added as a live add would (one per subject and kind).
    pub(crate) fn restore(records: &RegistryRecords) -> Result<RegistryStore, DncError> {
        let mut store = RegistryStore::default();
        for record in &records.copies {
            let copy = Registry::from_bytes(&record.bytes)?;
            let source = copy.source();
            if store.put_copy(copy).is_some() {
                return Err(invalid_snapshot(format!("two copies of registry {source}")));
            }
        }
        for record in &records.subscriptions {
            let source = RegistrySource::parse(&record.source)?;
            let area_codes = match &record.area_codes {
                None => SubscribedAreaCodes::All,
                Some(codes) => SubscribedAreaCodes::Only(
                    codes
                        .iter()
                        .map(|&code| AreaCode::new(code))
                        .collect::<Result<_, _>>()?,
                ),
            };
            if store
                .subscriptions(record.client)
                .iter()
                .any(|held| held.source == source)
            {
                return Err(invalid_snapshot(format!(
                    "two subscriptions of client {} to {source}",
                    record.client
                )));
            }
            store.subscribe(record.client, Subscription { source, area_codes });
        }
        for record in &records.exemptions {
            let subject = match (&record.phone, &record.account) {
                (Some(phone), None) => ExemptionSubject::Phone(*phone),
                (None, Some(account)) => ExemptionSubject::Account(account.clone()),
                _ => {
                    return Err(invalid_snapshot(format!(
                        "an exemption of client {} with {} of phone and account (one is needed)",
                        record.client,
                        if record.phone.is_some() {
                            "both"
                        } else {
                            "neither"
                        }
                    )));
                }
            };
            let kind = ExemptionKind::parse(&record.kind)?;
            let exemption = Exemption {
                kind,
                since: record.since,
                until: record.until,
            };
            let held = store
                .exemptions(record.client)
                .any(|(other, old)| other == subject && old.kind == kind);
            if held {
                return Err(invalid_snapshot(format!(
                    "two {kind} exemptions of client {} for {subject}",
                    record.client
                )));
            }
            store.add_exemption(record.client, &subject, exemption)?;
        }
        Ok(store)
    }
}
