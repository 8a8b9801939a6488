//! The JSON shape of every dialing and registries op's fields, checked before any value is
//! read, so that `bad_request` wins over every other fault of a line (the
//! protocol's rule): a line missing `at` is `bad_request` even when its
//! `service` is also not an id.

use serde_json::Value;

use super::fields::{Fields, LineError, bad_request};

/// What JSON a field may hold (its content is checked later, as a value).
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// A number or a string (an id; the digits are checked as a value).
    Id,
    /// A string.
    Text,
    /// An integer: a number or a string of one.
    Integer,
    /// `true`/`false`, or the reference's `"true"`/`"false"`.
    Bool,
    /// A number or a string (area codes, zips, times, instants).
    TextOrNumber,
    /// An array of policy objects.
    Policies,
    /// An array (its items are checked by the op).
    Array,
    /// A string or an array (`"ALL"` or a list of area codes).
    TextOrArray,
}

use Kind::{Array, Bool, Id, Integer, Policies, Text, TextOrArray, TextOrNumber};

/// `(field, kind, required)`.
type Shape = &'static [(&'static str, Kind, bool)];

/// The fields of one policy, inline (`policy_add`) or in `policy`.
const POLICY: Shape = &[
    ("dayOfWeek", Text, true),
    ("country", Text, false),
    ("state", Text, false),
    ("areaCode", TextOrNumber, false),
    ("startTime", TextOrNumber, false),
    ("endTime", TextOrNumber, false),
    ("doNotDial", Bool, false),
    ("doNotLeaveMessage", Bool, false),
];

/// The fields of a profile op beyond `client` and `id`.
fn shape(op: &str) -> Option<Shape> {
    Some(match op {
        "profile_create" => &[
            ("client", Id, false),
            ("name", Text, true),
            ("description", Text, false),
            ("clientDefault", Bool, false),
            ("policy", Policies, false),
        ],
        "profile_read" | "profile_delete" => &[("client", Id, false), ("id", Id, true)],
        "profile_update" => &[
            ("client", Id, false),
            ("id", Id, true),
            ("name", Text, false),
            ("description", Text, false),
        ],
        "profile_set_default" => &[
            ("client", Id, false),
            ("id", Id, true),
            ("clientDefault", Bool, true),
        ],
        "profile_list" => &[
            ("client", Id, false),
            ("offset", Integer, false),
            ("count", Integer, true),
        ],
        "profile_info" => &[("client", Id, false)],
        "profile_add_service" | "profile_remove_service" => &[
            ("client", Id, false),
            ("id", Id, true),
            ("service", Id, true),
        ],
        "policy_add" => &[("client", Id, false), ("id", Id, true)],
        "policy_update" => &[
            ("client", Id, false),
            ("id", Id, true),
            ("policy", Id, true),
            ("dayOfWeek", Text, false),
            ("country", Text, false),
            ("state", Text, false),
            ("areaCode", TextOrNumber, false),
            ("startTime", TextOrNumber, false),
            ("endTime", TextOrNumber, false),
            ("doNotDial", Bool, false),
            ("doNotLeaveMessage", Bool, false),
            ("clearAreaCode", Bool, false),
            ("clearTimeRange", Bool, false),
        ],
        "policy_remove" => &[
            ("client", Id, false),
            ("id", Id, true),
            ("policy", Id, true),
        ],
        "dialing_hours" => &[
            ("client", Id, false),
            ("service", Id, true),
            ("phone", Text, true),
            ("at", TextOrNumber, true),
        ],
        "zip_area_match" => &[
            ("areaCode", TextOrNumber, true),
            ("zipCode", TextOrNumber, true),
            ("type", Text, true),
        ],
        "dial" => &[
            ("client", Id, false),
            ("service", Id, true),
            ("phone", Text, true),
            ("at", TextOrNumber, true),
            ("account", Text, false),
            ("zip", Text, false),
            ("channel", Text, false),
            ("zipMatchType", Text, false),
            ("person", Text, false),
            ("debts", Array, false),
            ("consent", TextOrNumber, false),
        ],
        "registry_load" => &[
            ("source", Text, true),
            ("obtained", TextOrNumber, true),
            ("areaCodes", TextOrArray, false),
            ("numbers", Array, false),
            ("file", Text, false),
        ],
        "registry_changes" => &[
            ("source", Text, true),
            ("obtained", TextOrNumber, true),
            ("changes", Array, false),
            ("file", Text, false),
        ],
        "registry_open" => &[("file", Text, true)],
        "registry_info" => &[("source", Text, true)],
        "registry_subscribe" => &[
            ("client", Id, true),
            ("source", Text, true),
            ("areaCodes", TextOrArray, false),
        ],
        "registry_unsubscribe" => &[("client", Id, true), ("source", Text, true)],
        "exemption_add" => &[
            ("client", Id, true),
            ("kind", Text, true),
            ("since", TextOrNumber, true),
            ("until", TextOrNumber, false),
            ("phone", Text, false),
            ("account", Text, false),
        ],
        "exemption_remove" => &[
            ("client", Id, true),
            ("kind", Text, true),
            ("phone", Text, false),
            ("account", Text, false),
        ],
        "registry_check" => &[
            ("client", Id, false),
            ("service", Id, true),
            ("phone", Text, true),
            ("at", TextOrNumber, true),
            ("account", Text, false),
            ("zip", Text, false),
        ],
        "debt_collector" => &[("client", Id, true), ("collector", Bool, true)],
        "attempt" => &[
            ("client", Id, false),
            ("service", Id, true),
            ("phone", Text, true),
            ("at", TextOrNumber, true),
            ("outcome", Text, true),
            ("channel", Text, false),
            ("person", Text, false),
            ("debts", Array, false),
            ("consent", TextOrNumber, false),
        ],
        "attempt_rule_add" => &[
            ("client", Id, true),
            ("key", Text, true),
            ("outcomes", Array, true),
            ("channels", Array, false),
            ("limit", Integer, true),
            ("windowMinutes", Integer, false),
            ("calendarDays", Integer, false),
            ("zone", Text, false),
            ("lockMinutes", Integer, false),
        ],
        "attempt_rules" => &[("client", Id, true)],
        "attempt_rule_remove" => &[("client", Id, true), ("id", Id, true)],
        "attempts_trim" => &[("now", TextOrNumber, true)],
        _ => return None,
    })
}

/// `bad_request` for the first field of `op`'s line whose JSON is not of
/// its kind, or that is required and absent; `Ok` for other ops.
/// Whether `op` has a declared shape (for the test that pins this table to
/// the op table).
#[cfg(test)]
pub(super) fn has_shape(op: &str) -> bool {
    shape(op).is_some()
}

pub(crate) fn check(op: &str, fields: &Fields<'_>) -> Result<(), LineError> {
    let Some(shape) = shape(op) else {
        return Ok(());
    };
    check_shape(shape, fields, "")?;
    if op == "policy_add" {
        check_shape(POLICY, fields, "")?;
    }
    Ok(())
}

fn check_shape(shape: Shape, fields: &Fields<'_>, within: &str) -> Result<(), LineError> {
    for &(name, kind, required) in shape {
        let present = match kind {
            Id => fields.id(name)?.is_some(),
            Text => fields.text(name)?.is_some(),
            Integer => fields.integer(name)?.is_some(),
            Bool => match fields.raw(name) {
                None | Some(Value::Null) => false,
                Some(Value::Bool(_)) => true,
                Some(Value::String(text))
                    if text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false") =>
                {
                    true
                }
                Some(other) => {
                    return Err(bad_request(format!(
                        "{within}field {name:?} must be true or false, not {other}"
                    )));
                }
            },
            TextOrNumber => match fields.raw(name) {
                None | Some(Value::Null) => false,
                Some(Value::String(text)) => !text.is_empty(),
                Some(Value::Number(_)) => true,
                Some(other) => {
                    return Err(bad_request(format!(
                        "{within}field {name:?} must be a string or a number, not {other}"
                    )));
                }
            },
            Array | TextOrArray => match fields.raw(name) {
                None | Some(Value::Null) => false,
                Some(Value::Array(_)) => true,
                Some(Value::String(_)) if matches!(kind, TextOrArray) => true,
                Some(other) => {
                    return Err(bad_request(format!(
                        "{within}field {name:?} must be an array, not {other}"
                    )));
                }
            },
            Policies => match fields.raw(name) {
                None | Some(Value::Null) => false,
                Some(Value::Array(items)) => {
                    for (index, item) in items.iter().enumerate() {
                        let Value::Object(object) = item else {
                            return Err(bad_request(format!(
                                "policy {} must be an object, not {item}",
                                index + 1
                            )));
                        };
                        check_shape(POLICY, &Fields(object), &format!("policy {}: ", index + 1))?;
                    }
                    true
                }
                Some(other) => {
                    return Err(bad_request(format!(
                        "field {name:?} must be an array, not {other}"
                    )));
                }
            },
        };
        if required && !present {
            return Err(bad_request(format!("{within}field {name:?} is required")));
        }
    }
    Ok(())
}
