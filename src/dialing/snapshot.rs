//! What a snapshot keeps of the dialing profiles (each profile with its
//! policies in the reference's words, and the id counters), and how a
//! restore puts them back: each policy through the model's checks, each
//! service assignment through the live one's.

use hashbrown::HashSet;

use crate::dialing::profile::{DayRule, DialingProfile, NewPolicy, Policy, Region};
use crate::dialing::profile_store::{ProfileStore, checked_name};
use crate::error::{DncError, invalid_snapshot};
use crate::geo::{AreaCode, Country, StateCode};
use crate::values::clock::{TimeOfDay, Window};
use crate::values::ids::{ClientId, MAX_ID, PolicyId, ProfileId, ServiceId};

/// A dialing profile.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProfileRecord {
    /// Its id.
    pub id: ProfileId,
    /// Its client; `None` for a system-wide profile.
    pub client: Option<ClientId>,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Whether it is its client's default.
    pub client_default: bool,
    /// The services assigned to it, ascending.
    pub services: Vec<ServiceId>,
    /// Its policies, in order.
    pub policies: Vec<PolicyRecord>,
}

/// A policy of a dialing profile, in the reference's words (validated again
/// on restore).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PolicyRecord {
    /// Its id.
    pub id: PolicyId,
    /// `MONDAY` … `SUNDAY`, `WEEKDAY`, `WEEKEND`, `ALL`.
    pub day_of_week: String,
    /// `USA` or `CANADA`.
    pub country: Option<String>,
    /// A state or province code.
    pub state: Option<String>,
    /// An area code.
    pub area_code: Option<u16>,
    /// `doNotDial`.
    pub do_not_dial: bool,
    /// `doNotLeaveMessage`.
    pub do_not_leave_message: bool,
    /// The window's start and end, milliseconds after local midnight.
    pub window: Option<(u32, u32)>,
}

impl PolicyRecord {
    fn of(policy: &Policy) -> PolicyRecord {
        let rule = &policy.rule;
        PolicyRecord {
            id: policy.id,
            day_of_week: rule.day.as_str().to_owned(),
            country: rule.region.country().map(|c| c.as_str().to_owned()),
            state: rule.region.state().map(|s| s.as_str().to_owned()),
            area_code: rule.region.area_code().map(AreaCode::get),
            do_not_dial: rule.do_not_dial,
            do_not_leave_message: rule.do_not_leave_message,
            window: rule
                .window
                .map(|window| (window.start().millis(), window.end().millis())),
        }
    }

    fn policy(&self) -> Result<Policy, DncError> {
        let region = Region::new(
            self.country.as_deref().map(Country::parse).transpose()?,
            self.state.as_deref().map(StateCode::parse).transpose()?,
            self.area_code.map(AreaCode::new).transpose()?,
        )?;
        let window = self
            .window
            .map(|(start, end)| {
                Window::new(TimeOfDay::from_millis(start)?, TimeOfDay::from_millis(end)?)
            })
            .transpose()?;
        Ok(Policy {
            id: self.id,
            rule: NewPolicy {
                day: DayRule::parse(&self.day_of_week)?,
                region,
                do_not_dial: self.do_not_dial,
                do_not_leave_message: self.do_not_leave_message,
                window,
            },
        })
    }
}

impl ProfileStore {
    /// The dialing part's sections of a snapshot: every profile ascending
    /// by id, and the next profile and policy ids.
    pub(crate) fn snapshot_records(&self) -> (Vec<ProfileRecord>, (u64, u64)) {
        let profiles = self
            .all()
            .map(|profile| ProfileRecord {
                id: profile.id,
                client: profile.client,
                name: profile.name.clone(),
                description: profile.description.clone(),
                client_default: profile.client_default,
                services: profile.services.clone(),
                policies: profile.policies.iter().map(PolicyRecord::of).collect(),
            })
            .collect();
        (profiles, self.next_ids())
    }

    /// Rebuilds the profiles from their records; `client_of` is the
    /// service directory (the legacy part's), for the assignments.
    pub(crate) fn restore(
        records: &[ProfileRecord],
        (next_profile, next_policy): (u64, u64),
        client_of: impl Fn(ServiceId) -> Option<ClientId>,
    ) -> Result<ProfileStore, DncError> {
        let mut store = ProfileStore::default();
        for (what, next) in [("profile", next_profile), ("policy", next_policy)] {
            if next > MAX_ID + 1 {
                return Err(invalid_snapshot(format!(
                    "the next {what} id {next} is beyond 2^63"
                )));
            }
        }
        let mut policy_ids = HashSet::new();
        for record in records {
            let named = |error: DncError| {
                invalid_snapshot(format!("dialing profile {}: {error}", record.id))
            };
            if record.id.get() >= next_profile.max(1) {
                return Err(invalid_snapshot(format!(
                    "dialing profile {} is not below the next profile id {next_profile}",
                    record.id
                )));
            }
            if store.contains(record.id) {
                return Err(invalid_snapshot(format!(
                    "dialing profile {} given twice",
                    record.id
                )));
            }
            // The live rules of a profile's fields.
            checked_name(&record.name).map_err(named)?;
            let policies = record
                .policies
                .iter()
                .map(|policy| {
                    if policy.id.get() >= next_policy.max(1) || !policy_ids.insert(policy.id) {
                        return Err(DncError::InvalidProfile {
                            field: "policy",
                            value: policy.id.to_string(),
                            reason: "a policy id given twice or not below the next policy id",
                        });
                    }
                    policy.policy()
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(named)?;
            if record.client_default && record.client.is_none() {
                return Err(invalid_snapshot(format!(
                    "dialing profile {} is system-wide and a client default",
                    record.id
                )));
            }
            store.insert(DialingProfile {
                id: record.id,
                client: record.client,
                name: record.name.clone(),
                description: record.description.clone(),
                client_default: false,
                services: Vec::new(),
                policies,
            });
            if let (Some(client), true) = (record.client, record.client_default) {
                if store.has_default(client) {
                    return Err(invalid_snapshot(format!(
                        "client {client} has two default profiles"
                    )));
                }
                store.set_default(client, record.id, true);
            }
            for &service in &record.services {
                if store.is_assigned(service) {
                    return Err(invalid_snapshot(format!(
                        "service {service} is in two dialing profiles"
                    )));
                }
                let owner = client_of(service)
                    .ok_or(DncError::UnknownService { service })
                    .map_err(named)?;
                store
                    .profile_assign_service(None, record.id, service, owner)
                    .map_err(named)?;
            }
        }
        store.set_next_ids(next_profile, next_policy);
        Ok(store)
    }
}
