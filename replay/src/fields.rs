//! Reading typed fields out of one replay request.
//!
//! The protocol gives `bad_request` precedence over every other fault of a
//! line, so reading happens in two steps: [`Fields`] first checks each
//! field's JSON type (a wrong type is `bad_request` at once) and returns the
//! raw value; only after every field of the line passed that step are values
//! parsed into the library's types, whose errors are the value codes
//! (`invalid_phone`, …).

use dnc_engine::jiff::Timestamp;
use dnc_engine::{ClientId, DncError, EntryId, ServiceId};
use serde_json::{Map, Value};

/// A fault in one line: `bad_request`, or an error from the library.
#[derive(Debug)]
pub(crate) enum LineError {
    BadRequest(String),
    Engine(DncError),
    /// An instant field in epoch milliseconds that names no instant the
    /// engine can hold (code `invalid_date`).
    InstantOutOfRange {
        field: &'static str,
        millis: i64,
    },
    /// The engine answered a change with an effect its method never
    /// returns: a defect of this program, said rather than hidden.
    Internal(String),
}

impl LineError {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            LineError::BadRequest(_) => "bad_request",
            LineError::Engine(error) => error.code(),
            LineError::InstantOutOfRange { .. } => "invalid_date",
            LineError::Internal(_) => "internal",
        }
    }

    pub(crate) fn message(&self) -> String {
        match self {
            LineError::BadRequest(message) => message.clone(),
            LineError::Engine(error) => error.to_string(),
            LineError::InstantOutOfRange { field, millis } => format!(
                "field {field:?}: {millis} is not an instant the engine can hold \
                 (epoch milliseconds from {} to {})",
                Timestamp::MIN.as_millisecond(),
                Timestamp::MAX.as_millisecond()
            ),
            LineError::Internal(message) => message.clone(),
        }
    }
}

impl From<DncError> for LineError {
    fn from(error: DncError) -> LineError {
        // Its code() maps the library's request-shape errors (EmptyRequest,
        // MissingScope) to bad_request too.
        LineError::Engine(error)
    }
}

/// The one rule for an integer written as a string, in every field: ASCII
/// digits with an optional leading `-` (no `+`, no spaces), as ids are
/// read, so `"+5"` is refused everywhere rather than read as 5 in some
/// fields.
pub(crate) fn integer_text(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The instant a change carries (`"at"`, epoch milliseconds, read as an
/// integer with the line's other fields), converted just before the change
/// is made: an instant the engine cannot name (before -9999-01-02T01:59:59Z
/// or after 9999-12-30T22:00:00.999Z) is refused, since a list's
/// `lastModified` must be a real instant. Converting late keeps
/// `bad_request` winning over it, and refuses the line before any part of
/// it is applied.
pub(crate) fn change_instant(millis: Option<i64>) -> Result<Option<Timestamp>, LineError> {
    let Some(millis) = millis else {
        return Ok(None);
    };
    Timestamp::from_millisecond(millis)
        .map(Some)
        .map_err(|_| LineError::InstantOutOfRange {
            field: "at",
            millis,
        })
}

/// An instant: epoch milliseconds (number or string of digits) or an
/// RFC 3339 date-time such as `2026-12-01T17:00:00Z`.
pub(crate) fn instant(fields: &Fields<'_>, name: &str) -> Result<Timestamp, LineError> {
    let refused = |value: &str| {
        LineError::Engine(DncError::InvalidDate {
            value: value.to_owned(),
        })
    };
    match fields.raw(name) {
        None => Err(bad_request(format!("field {name:?} is required"))),
        Some(Value::Number(number)) => number
            .as_i64()
            .and_then(|millis| Timestamp::from_millisecond(millis).ok())
            .ok_or_else(|| refused(&number.to_string())),
        Some(Value::String(text)) => match integer_text(text) {
            Some(millis) => Timestamp::from_millisecond(millis).map_err(|_| refused(text)),
            None => Ok(dnc_engine::parse_instant(text)?),
        },
        Some(other) => Err(bad_request(format!(
            "field {name:?} must be epoch milliseconds or an RFC 3339 date-time, not {other}"
        ))),
    }
}

pub(crate) fn bad_request(message: impl Into<String>) -> LineError {
    LineError::BadRequest(message.into())
}

/// An integer field as given: a JSON number or a string, not yet checked as an
/// id.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawId<'a>(&'a Value);

impl RawId<'_> {
    /// Parses the id as `T` (`kind` names it in errors).
    pub(crate) fn parse_as<T>(
        self,
        kind: &'static str,
        parse_text: fn(&str) -> Result<T, DncError>,
        from_u64: fn(u64) -> Result<T, DncError>,
    ) -> Result<T, DncError> {
        match self.0 {
            Value::String(text) => parse_text(text),
            // Negative, fractional and too-large numbers have no u64 form and
            // fall to the id rule.
            other => match other.as_u64() {
                Some(id) => from_u64(id),
                None => Err(DncError::InvalidId {
                    kind,
                    value: other.to_string(),
                }),
            },
        }
    }

    pub(crate) fn entry(self) -> Result<EntryId, DncError> {
        self.parse_as("entry", EntryId::parse, EntryId::new)
    }

    pub(crate) fn client(self) -> Result<ClientId, DncError> {
        self.parse_as("client", ClientId::parse, ClientId::new)
    }

    pub(crate) fn service(self) -> Result<ServiceId, DncError> {
        self.parse_as("service", ServiceId::parse, ServiceId::new)
    }
}

/// The fields of one request object.
#[derive(Debug)]
pub(crate) struct Fields<'a>(pub(crate) &'a Map<String, Value>);

impl<'a> Fields<'a> {
    /// `null` and `""` mean absent, in every field.
    fn present(&self, name: &str) -> Option<&'a Value> {
        match self.0.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) if text.is_empty() => None,
            Some(value) => Some(value),
        }
    }

    /// An integer field: a JSON number or a string (of digits, checked later).
    pub(crate) fn id(&self, name: &str) -> Result<Option<RawId<'a>>, LineError> {
        match self.present(name) {
            None => Ok(None),
            Some(value @ (Value::Number(_) | Value::String(_))) => Ok(Some(RawId(value))),
            Some(other) => Err(bad_request(format!(
                "field {name:?} must be an integer or a string of digits, not {other}"
            ))),
        }
    }

    /// A required integer field.
    pub(crate) fn required_id(&self, name: &str) -> Result<RawId<'a>, LineError> {
        self.id(name)?
            .ok_or_else(|| bad_request(format!("field {name:?} is required")))
    }

    /// A string field.
    pub(crate) fn text(&self, name: &str) -> Result<Option<&'a str>, LineError> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(other) => Err(bad_request(format!(
                "field {name:?} must be a string, not {other}"
            ))),
        }
    }

    /// A required string field.
    pub(crate) fn required_text(&self, name: &str) -> Result<&'a str, LineError> {
        self.text(name)?
            .ok_or_else(|| bad_request(format!("field {name:?} is required")))
    }

    /// A field's JSON value, absent when missing, `null` or `""`.
    pub(crate) fn raw(&self, name: &str) -> Option<&'a Value> {
        self.present(name)
    }

    /// A signed integer field (instants, offsets, counts): a JSON integer
    /// or a string of [`integer_text`]'s form.
    pub(crate) fn integer(&self, name: &str) -> Result<Option<i64>, LineError> {
        let refused =
            |value: &Value| bad_request(format!("field {name:?} must be an integer, not {value}"));
        match self.present(name) {
            None => Ok(None),
            Some(value @ Value::Number(number)) => {
                number.as_i64().map(Some).ok_or_else(|| refused(value))
            }
            Some(value @ Value::String(text)) => {
                integer_text(text).map(Some).ok_or_else(|| refused(value))
            }
            Some(other) => Err(refused(other)),
        }
    }

    /// The instant a check asks at (`"at"`, epoch milliseconds). Past the
    /// last instant the engine can name it reads as that instant, and
    /// before the first as no instant at all: both answers block at least
    /// as much as the instant meant (the safe side), so what the engine
    /// prints for "never expires" is accepted back.
    pub(crate) fn check_instant(&self, name: &str) -> Result<Option<Timestamp>, LineError> {
        Ok(self
            .integer(name)?
            .and_then(|millis| match Timestamp::from_millisecond(millis) {
                Ok(at) => Some(at),
                Err(_) if millis > 0 => Some(Timestamp::MAX),
                Err(_) => None,
            }))
    }

    /// A boolean field.
    pub(crate) fn flag(&self, name: &str) -> Result<Option<bool>, LineError> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::Bool(value)) => Ok(Some(*value)),
            Some(other) => Err(bad_request(format!(
                "field {name:?} must be true or false, not {other}"
            ))),
        }
    }
}
