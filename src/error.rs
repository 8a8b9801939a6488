//! The one error type of the crate.

use std::fmt;

use crate::access::roles::{Method, Role};
use crate::dnc_type::PhoneDncType;
use crate::values::ids::{
    AttemptRuleId, ClientId, ContactGroupId, EntryId, PolicyId, ProfileId, ServiceId,
};

/// Why the engine refused a value, a request or a change.
///
/// Every variant carries the offending value so that a message can say what to
/// fix. The variant keeps the value whole; its message quotes it in full up to
/// 64 bytes and otherwise shows its first 40 characters and its length
/// (`"4444…"… (10485760 bytes)`), so that one bad cell cannot flood a log. A refused change leaves the engine exactly as it was. [`DncError::code`]
/// gives the stable error code of the replay protocol.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DncError {
    /// A phone number outside its rule: 1–15 characters of `0-9` or `*`
    /// (and, for the dial check, digits only).
    InvalidPhone {
        /// The refused input, as given.
        value: String,
        /// Which rule it broke.
        reason: &'static str,
    },
    /// An account outside its rule: 1–64 bytes of visible ASCII.
    InvalidAccount {
        /// The refused input, as given.
        value: String,
        /// Which rule it broke.
        reason: &'static str,
    },
    /// A zip outside its rule: 5 characters of `0-9` or `*`, or ZIP+4.
    InvalidZip {
        /// The refused input, as given.
        value: String,
    },
    /// Every id a list can assign has been used: the next one would leave
    /// the range of 63-bit ids. Ids are never reused, so nothing more can
    /// be added without an explicit id (the legacy list) or at all (a
    /// channel list). Answers the wire code `invalid_id` with the message
    /// an invalid id has, as before this variant existed.
    IdsExhausted {
        /// What ran out: `"entry"`.
        kind: &'static str,
        /// The id that would have been next (`2^63`, past the range).
        next: u64,
    },
    /// A dial decision request field that is not one of its values (the
    /// channel, the ZIP match type). Answers the wire code
    /// `invalid_profile`, as the reference files it with the profile's.
    InvalidDialRequest {
        /// The field: `"channel"` or `"type"`.
        field: &'static str,
        /// The refused input, as given.
        value: String,
        /// What it may be.
        reason: &'static str,
    },
    /// An id (entry, client or service) that is not a positive integer
    /// fitting in 63 bits.
    InvalidId {
        /// What the id names: `"entry"`, `"client"`, `"service"`.
        kind: &'static str,
        /// The refused input, as given.
        value: String,
    },
    /// A key combination that is not one of phone, account, phone + account or
    /// zip, or an unknown lifetime.
    InvalidEntry {
        /// What is wrong with it.
        reason: String,
    },
    /// A request that names none of phone, account and zip.
    EmptyRequest,
    /// An entry that names neither a service nor a client.
    MissingScope,
    /// A service that was never registered.
    UnknownService {
        /// The service asked about.
        service: ServiceId,
    },
    /// A reservation larger than the engine can hold or the allocator can
    /// give ([`Engine::reserve`](crate::Engine::reserve)).
    CapacityExceeded {
        /// How many entries were asked for.
        requested: usize,
        /// Why they cannot be had.
        reason: String,
    },
    /// A service a principal tried to register that is already registered
    /// to another client (which is not named: tenants are walls).
    ServiceTaken {
        /// The service concerned.
        service: ServiceId,
    },
    /// A client that does not own the service, or a service registered again
    /// under another client.
    ServiceClientMismatch {
        /// The service concerned.
        service: ServiceId,
        /// The client that owns it.
        owner: ClientId,
        /// The client that was given.
        given: ClientId,
    },
    /// An entry id that is already in use.
    DuplicateId {
        /// The id asked for.
        id: EntryId,
    },
    /// An entry id that is not in the engine.
    NotFound {
        /// The id asked for.
        id: EntryId,
    },
    /// An email address outside its rule: one `@`, a non-empty local
    /// part, a domain with a dot, no whitespace, at most 254 bytes.
    InvalidEmail {
        /// The refused input, as given.
        value: String,
        /// Which rule it broke.
        reason: &'static str,
    },
    /// An expiration date in none of the accepted forms (`yyyy-MM-dd`, epoch
    /// milliseconds, ISO-8601 date-time), or outside the supported range.
    InvalidDate {
        /// The refused input, as given.
        value: String,
    },
    /// A time zone name that is not in the IANA database.
    InvalidTimeZone {
        /// The refused input, as given.
        value: String,
    },
    /// A contact group the client has not registered.
    InvalidContactGroup {
        /// The client concerned.
        client: ClientId,
        /// The group asked for.
        group: ContactGroupId,
    },
    /// A page outside the limits: `count` must be 1..=1000.
    InvalidPage {
        /// The count asked for.
        count: u64,
    },
    /// A list-management call for the list the client's phone DNC type
    /// turns off.
    WrongDncType {
        /// The client.
        client: ClientId,
        /// Its phone DNC type.
        active: PhoneDncType,
    },
    /// The access policy refuses the call: the reference's 403.
    Forbidden {
        /// The caller's role.
        role: Role,
        /// What was called.
        method: Method,
        /// Which rule refused it.
        reason: &'static str,
    },
    /// An area code outside `200`..=`999` (three digits).
    InvalidAreaCode {
        /// The refused input, as given.
        value: String,
    },
    /// A registry file line, source or load the registries part refuses:
    /// a line that is not a 10-digit NANP number in the file's format, an
    /// unknown source, a number outside the area codes a load covers.
    /// Nothing of the file or the load is applied.
    InvalidRegistry {
        /// The 1-based line of the file, when the fault is in one.
        line: Option<u64>,
        /// The refused text, as given.
        value: String,
        /// What was expected.
        reason: &'static str,
    },
    /// An exemption the registries part refuses: an unknown kind, a number
    /// that is not ten NANP digits, an end before its start.
    InvalidExemption {
        /// The field: `"kind"`, `"phone"`, `"until"`, ...
        field: &'static str,
        /// The refused input, as given.
        value: String,
        /// Which rule it broke.
        reason: &'static str,
    },
    /// A dialing profile or policy field the model refuses: an
    /// unknown day, state or country, a malformed time, a window that ends
    /// before it starts, a policy without a region, an empty name.
    InvalidProfile {
        /// The field: `"dayOfWeek"`, `"state"`, `"startTime"`, ...
        field: &'static str,
        /// The refused input, as given.
        value: String,
        /// Which rule it broke.
        reason: &'static str,
    },
    /// A policy whose area code does not serve its state (the reference's
    /// "Area code/state mismatch", errorCode 202), or whose state is not in
    /// its country.
    RegionMismatch {
        /// The area code, when the policy has one.
        area_code: Option<u16>,
        /// The state, when the policy has one.
        state: Option<String>,
        /// The country, when the policy has one.
        country: Option<&'static str>,
    },
    /// A contact attempt or an attempt rule the attempts part refuses: an
    /// unknown outcome or channel, a key that is not 1-64 visible ASCII, a
    /// limit of zero, a window or lock out of range.
    InvalidAttempt {
        /// The field: `"outcome"`, `"person"`, `"limit"`, `"window"`, ...
        field: &'static str,
        /// The refused input, as given.
        value: String,
        /// Which rule it broke.
        reason: &'static str,
    },
    /// An attempt rule id the client does not have.
    AttemptRuleNotFound {
        /// The client.
        client: ClientId,
        /// The rule asked for.
        rule: AttemptRuleId,
    },
    /// A dialing profile id that is not in the engine (or not visible to the
    /// client asking).
    ProfileNotFound {
        /// The profile asked for.
        profile: ProfileId,
    },
    /// A policy id that the profile does not hold.
    PolicyNotFound {
        /// The profile.
        profile: ProfileId,
        /// The policy asked for.
        policy: PolicyId,
    },
    /// A snapshot that cannot be restored (its content breaks a rule of the
    /// engine); the message says which.
    InvalidSnapshot {
        /// What is wrong with it.
        reason: String,
    },
}

impl DncError {
    /// The stable error code of the replay protocol for this
    /// error: `invalid_phone`, `unknown_service`, and so on.
    pub fn code(&self) -> &'static str {
        match self {
            DncError::InvalidPhone { .. } => "invalid_phone",
            DncError::InvalidAccount { .. } => "invalid_account",
            DncError::InvalidZip { .. } => "invalid_zip",
            DncError::InvalidId { .. } | DncError::IdsExhausted { .. } => "invalid_id",
            DncError::InvalidDialRequest { .. } => "invalid_profile",
            DncError::InvalidEntry { .. } => "invalid_entry",
            DncError::EmptyRequest | DncError::MissingScope => "bad_request",
            DncError::UnknownService { .. } => "unknown_service",
            DncError::ServiceClientMismatch { .. } | DncError::ServiceTaken { .. } => {
                "service_client_mismatch"
            }
            DncError::DuplicateId { .. } => "duplicate_id",
            DncError::NotFound { .. } => "not_found",
            DncError::InvalidSnapshot { .. } => "invalid_snapshot",
            DncError::CapacityExceeded { .. } => "capacity_exceeded",
            DncError::InvalidEmail { .. } => "invalid_email",
            DncError::InvalidDate { .. } => "invalid_date",
            DncError::InvalidTimeZone { .. } => "bad_request",
            DncError::InvalidContactGroup { .. } => "invalid_contact_group",
            DncError::InvalidPage { .. } => "invalid_page",
            DncError::Forbidden { .. } => "forbidden",
            DncError::WrongDncType { .. } => "wrong_dnc_type",
            DncError::InvalidAreaCode { .. } => "invalid_area_code",
            DncError::InvalidRegistry { .. } => "invalid_registry",
            DncError::InvalidExemption { .. } => "invalid_exemption",
            DncError::InvalidProfile { .. } => "invalid_profile",
            DncError::RegionMismatch { .. } => "area_code_state_mismatch",
            DncError::InvalidAttempt { .. } => "invalid_attempt",
            DncError::ProfileNotFound { .. }
            | DncError::PolicyNotFound { .. }
            | DncError::AttemptRuleNotFound { .. } => "not_found",
        }
    }
}

impl fmt::Display for DncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DncError::InvalidPhone { value, reason } => write!(
                f,
                "invalid phone {}: {reason} (expected 1-15 characters, each 0-9 or *)",
                Shown(value)
            ),
            DncError::InvalidAccount { value, reason } => write!(
                f,
                "invalid account {}: {reason} (expected 1-64 bytes of visible ASCII, no spaces)",
                Shown(value)
            ),
            DncError::InvalidZip { value } => write!(
                f,
                "invalid zip {}: expected 5 characters of 0-9 or *, or ZIP+4 as NNNNN-NNNN",
                Shown(value)
            ),
            DncError::InvalidDialRequest {
                field,
                value,
                reason,
            } => write!(f, "invalid {field} {}: {reason}", Shown(value)),
            DncError::InvalidId { kind, value } => write!(
                f,
                "invalid {kind} id {}: expected a positive integer below 2^63",
                Shown(value)
            ),
            // Worded as an invalid id, as the wire answered before the
            // variant existed.
            DncError::IdsExhausted { kind, next } => write!(
                f,
                "invalid {kind} id \"{next} (every id up to 2^63 - 1 has been used)\": \
                 expected a positive integer below 2^63"
            ),
            DncError::InvalidEntry { reason } => write!(f, "invalid entry: {reason}"),
            DncError::EmptyRequest => {
                f.write_str("the request names none of phone, account and zip: give at least one")
            }
            DncError::MissingScope => {
                f.write_str("the entry names neither a service nor a client: give one of them")
            }
            DncError::UnknownService { service } => write!(
                f,
                "unknown service {service}: register it with its client first"
            ),
            DncError::CapacityExceeded { requested, reason } => {
                write!(f, "cannot make room for {requested} entries: {reason}")
            }
            DncError::ServiceTaken { service } => {
                write!(f, "service {service} is registered to another client")
            }
            DncError::ServiceClientMismatch {
                service,
                owner,
                given,
            } => write!(
                f,
                "service {service} belongs to client {owner}, not to client {given}"
            ),
            DncError::DuplicateId { id } => {
                write!(
                    f,
                    "entry id {id} is already in use: give another id or none"
                )
            }
            DncError::NotFound { id } => write!(f, "no entry with id {id}"),
            DncError::InvalidSnapshot { reason } => write!(f, "invalid snapshot: {reason}"),
            DncError::InvalidEmail { value, reason } => write!(
                f,
                "invalid email {}: {reason} (expected local@domain.tld, at most 254 bytes)",
                Shown(value)
            ),
            DncError::InvalidDate { value } => write!(
                f,
                "invalid date {}: expected yyyy-MM-dd, epoch milliseconds or an ISO-8601 date-time",
                Shown(value)
            ),
            DncError::InvalidTimeZone { value } => write!(
                f,
                "unknown time zone {}: expected an IANA name such as America/New_York",
                Shown(value)
            ),
            DncError::InvalidContactGroup { client, group } => write!(
                f,
                "Contact Group is not valid: client {client} has no contact group {group} (register it first)"
            ),
            DncError::WrongDncType { client, active } => {
                let (usable, refused) = match active {
                    PhoneDncType::Legacy => ("the legacy list", "the dialtime list"),
                    PhoneDncType::DialTime => ("the dialtime list", "the legacy list"),
                };
                write!(
                    f,
                    "client {client} is configured for {active} phone DNC: use {usable}, not {refused}"
                )
            }
            DncError::Forbidden {
                role,
                method,
                reason,
            } => write!(f, "forbidden: {role} may not call {method}: {reason}"),
            DncError::InvalidAreaCode { value } => write!(
                f,
                "invalid area code {}: expected three digits, 200-999",
                Shown(value)
            ),
            DncError::InvalidRegistry {
                line: Some(line),
                value,
                reason,
            } => write!(f, "invalid registry line {line} {}: {reason}", Shown(value)),
            DncError::InvalidRegistry {
                line: None,
                value,
                reason,
            } => write!(f, "invalid registry value {}: {reason}", Shown(value)),
            DncError::InvalidProfile {
                field,
                value,
                reason,
            } => write!(f, "invalid {field} {}: {reason}", Shown(value)),
            DncError::InvalidExemption {
                field,
                value,
                reason,
            } => write!(f, "invalid exemption {field} {}: {reason}", Shown(value)),
            DncError::RegionMismatch {
                area_code,
                state,
                country,
            } => {
                f.write_str("Area code/state mismatch:")?;
                if let Some(area_code) = area_code {
                    write!(f, " area code {area_code}")?;
                }
                if let Some(state) = state {
                    write!(f, " state {state}")?;
                }
                if let Some(country) = country {
                    write!(f, " country {country}")?;
                }
                f.write_str(" do not name one place (the area code must serve the state, the state lie in the country)")
            }
            DncError::InvalidAttempt {
                field,
                value,
                reason,
            } => write!(f, "invalid attempt {field} {}: {reason}", Shown(value)),
            DncError::AttemptRuleNotFound { client, rule } => {
                write!(f, "client {client} has no attempt rule with id {rule}")
            }
            DncError::ProfileNotFound { profile } => {
                write!(f, "no dialing profile with id {profile}")
            }
            DncError::PolicyNotFound { profile, policy } => {
                write!(
                    f,
                    "dialing profile {profile} has no policy with id {policy}"
                )
            }
            DncError::InvalidPage { count } => write!(
                f,
                "invalid page: count {count} is outside 1..=1000 (the hard cap of 1000 items)"
            ),
        }
    }
}

impl std::error::Error for DncError {}

/// A snapshot refused, with why: how every part's restore says it.
#[cfg(feature = "serde")]
pub(crate) fn invalid_snapshot(reason: String) -> DncError {
    DncError::InvalidSnapshot { reason }
}

/// The longest value a message shows in full (the longest valid account).
const SHOWN_IN_FULL: usize = 64;

/// How many characters of a longer value a message shows.
const SHOWN_CUT: usize = 40;

/// A refused value as a message shows it: quoted, and when longer than
/// [`SHOWN_IN_FULL`] bytes cut to its first [`SHOWN_CUT`] characters and its
/// length, so that a 10 MB cell makes a readable line, not a 10 MB one. The
/// error itself keeps the whole value.
pub(crate) struct Shown<'a>(pub(crate) &'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        if text.len() <= SHOWN_IN_FULL {
            return write!(f, "{text:?}");
        }
        let end = text
            .char_indices()
            .nth(SHOWN_CUT)
            .map_or(text.len(), |(at, _)| at);
        write!(f, "{:?}… ({} bytes)", &text[..end], text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::Shown;

    #[test]
    fn a_long_value_is_cut_and_its_length_given() {
        assert_eq!(Shown("41-5").to_string(), "\"41-5\"");
        let longest = "x".repeat(64);
        assert_eq!(Shown(&longest).to_string(), format!("{longest:?}"));
        let huge = "7".repeat(10 << 20);
        assert_eq!(
            Shown(&huge).to_string(),
            format!("{:?}… (10485760 bytes)", "7".repeat(40))
        );
        // Cut on a character boundary, never inside one.
        let wide = "é".repeat(100);
        assert_eq!(
            Shown(&wide).to_string(),
            format!("{:?}… (200 bytes)", "é".repeat(40))
        );
    }
}
