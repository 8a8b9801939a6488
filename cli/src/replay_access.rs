//! `"as"` on a replay line (SPEC 10): who is calling, and whether the
//! library's access policy lets it call this op on this client's data.

use dnc_engine::{ClientId, DncError, Engine, Method, Principal, Role, authorize};
use serde_json::Value;

use crate::request_fields::{Fields, LineError, bad_request};

/// The principal of a line's `"as"` object, if it has one.
pub(crate) fn principal(fields: &Fields<'_>) -> Result<Option<Principal>, LineError> {
    let object = match fields.raw("as") {
        None => return Ok(None),
        Some(Value::Object(object)) => object,
        Some(other) => {
            return Err(bad_request(format!(
                "field \"as\" must be an object with role, client and powers, not {other}"
            )));
        }
    };
    let as_fields = Fields(object);
    let role = as_fields.required_text("role")?;
    let role = Role::parse(role).ok_or_else(|| {
        bad_request(format!(
            "unknown role {role:?}: expected SYSADMIN, SUPERUSER, MANAGER, IT_USER or AGENT"
        ))
    })?;
    let client = as_fields.required_id("client")?;
    let mut edit_dnc_lists = false;
    match as_fields.raw("powers") {
        None => {}
        Some(Value::Array(powers)) => {
            for power in powers {
                match power.as_str() {
                    // The reference names the power both ways; other
                    // optional powers do not matter here.
                    Some("EDIT_DNC_LISTS" | "ACCESS_TO_DNC") => edit_dnc_lists = true,
                    Some(_) => {}
                    None => {
                        return Err(bad_request(format!(
                            "a power must be a string, not {power}"
                        )));
                    }
                }
            }
        }
        Some(other) => {
            return Err(bad_request(format!(
                "\"powers\" must be an array, not {other}"
            )));
        }
    }
    Ok(Some(Principal {
        role,
        client: client.client()?,
        edit_dnc_lists,
    }))
}

/// The policy's method for a replay op (`None`: not an op).
fn method_of(op: &str) -> Option<Method> {
    Some(match op {
        "is_blocked" | "dial_check" | "check" => Method::IsBlocked,
        "add" | "create" => Method::Create,
        "create_many" => Method::CreateMany,
        "remove" | "delete" => Method::Delete,
        "update" => Method::Update,
        "read" => Method::Read,
        "list" => Method::List,
        "find" => Method::Find,
        "info" => Method::Info,
        "account_flags" => Method::AccountFlags,
        "clear_daily" => Method::ClearDaily,
        "add_service" | "set_client" | "add_contact_group" | "set_service_contact_group" => {
            Method::Configure
        }
        "is_legacy_dnc_enabled" => Method::IsLegacyDncEnabled,
        // The dial decision and the hours answer whether a contact may be
        // made: checks, like isBlocked.
        "dial" | "dialing_hours" => Method::IsBlocked,
        "zip_area_match" => Method::ZipAreaMatch,
        op if op.starts_with("profile_") || op.starts_with("policy_") => Method::DialingProfiles,
        _ => return None,
    })
}

/// The client whose data the line touches, when the line says: its
/// `client`, else its service's client.
fn target(engine: &Engine, fields: &Fields<'_>) -> Option<ClientId> {
    let given = |name| fields.id(name).ok().flatten();
    if let Some(client) = given("client").and_then(|raw| raw.client().ok()) {
        return Some(client);
    }
    given("service")
        .and_then(|raw| raw.service().ok())
        .and_then(|service| engine.client_of(service))
}

/// Whether `principal` may run `op` as the line asks. A line whose target
/// cannot be told (an unknown service, a malformed id) is let through: it
/// fails on its own without touching any client's data.
pub(crate) fn check(
    engine: &Engine,
    principal: &Principal,
    op: &str,
    fields: &Fields<'_>,
) -> Result<(), LineError> {
    let Some(method) = method_of(op) else {
        return Ok(());
    };
    if op == "clear_daily" && fields.id("client").ok().flatten().is_none() {
        // Without a client the clear reaches every client's data.
        return Err(LineError::Engine(DncError::Forbidden {
            role: principal.role,
            method,
            reason: "a clear of every client reaches other clients' data",
        }));
    }
    if op == "remove" {
        // A legacy id names its client: another client's entry is as absent
        // as a missing one, so ids of other tenants are not revealed.
        if let Some(id) = fields
            .id("id")
            .ok()
            .flatten()
            .and_then(|raw| raw.entry().ok())
        {
            if let Some(entry) = engine.entry(id) {
                if entry.client != principal.client {
                    return Err(LineError::Engine(DncError::NotFound { id }));
                }
                return Ok(authorize(principal, method, entry.client)?);
            }
        }
        return Ok(());
    }
    match target(engine, fields) {
        Some(client) => Ok(authorize(principal, method, client)?),
        // Data of no client: the role rules still apply.
        None if method == Method::ZipAreaMatch => {
            Ok(authorize(principal, method, principal.client)?)
        }
        // Without "client" a profile op acts as the system itself (on
        // system-wide profiles): never a client's user.
        None if method == Method::DialingProfiles => Err(LineError::Engine(DncError::Forbidden {
            role: principal.role,
            method,
            reason: "without \"client\" a profile op acts on system-wide profiles",
        })),
        None => Ok(()),
    }
}
