//! `"as"` on a replay line (the reference's user roles): who is calling.
//! What that principal may do, and on whose data, the library decides
//! (`dnc_engine::Scoped`): every op goes through it.

use dnc_engine::{Principal, Role};
use serde_json::Value;

use super::fields::{Fields, LineError, bad_request};

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
