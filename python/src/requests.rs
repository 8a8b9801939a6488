//! Requests and entries read from Python values: keyword arguments, a
//! dict (or any mapping) per request, or a tuple `(service, phone,
//! account, zip)` in that order.

use dnc_engine::{
    Account, ClientId, DncKey, EntryId, Lifetime, NewEntry, Phone, Query, ServiceId, Zip,
};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyMapping, PyString, PyTuple};

use crate::errors::{OrRaise, error};

/// A check's request, parsed (owning its account so a query can borrow it).
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) service: ServiceId,
    pub(crate) client: Option<ClientId>,
    pub(crate) phone: Option<Phone>,
    pub(crate) account: Option<Account>,
    pub(crate) zip: Option<Zip>,
}

impl Request {
    pub(crate) fn query(&self) -> Query<'_> {
        Query {
            service: self.service,
            client: self.client,
            phone: self.phone,
            account: self.account.as_ref(),
            zip: self.zip,
        }
    }
}

/// A str's text, or the refusal naming `field` when it is not Unicode (a
/// lone surrogate cannot become UTF-8).
fn str_text(text: &Bound<'_, PyString>, field: &str) -> PyResult<String> {
    text.to_cow().map(|text| text.into_owned()).map_err(|_| {
        error(
            "bad_request",
            format!("{field} is not valid Unicode text (it holds a lone surrogate)"),
        )
    })
}

/// `value`'s repr, cut to a readable length, for a message.
fn repr_of(value: &Bound<'_, PyAny>) -> String {
    let repr = value
        .repr()
        .map(|repr| repr.to_string())
        .unwrap_or_else(|_| "?".to_owned());
    let cut: String = repr.chars().take(40).collect();
    if cut.len() < repr.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// An id: an int (Python's or numpy's), a whole float (a pandas column with
/// a missing value holds floats), or a string of digits (as ids come from
/// CSV files). A bool is refused: `True` must not become id 1.
pub(crate) fn id_value(value: &Bound<'_, PyAny>, field: &str) -> PyResult<u64> {
    let refused = |value: &Bound<'_, PyAny>| {
        error(
            "invalid_id",
            format!("{field} {} is not a positive id", repr_of(value)),
        )
    };
    if value.is_instance_of::<PyBool>() {
        return Err(refused(value));
    }
    if let Ok(float) = value.cast::<PyFloat>() {
        let number = float.value();
        // 2^63: ids are at most 63 bits, so every whole float below is exact
        // enough to be refused or taken by the engine's own range check.
        if number.fract() == 0.0 && (0.0..9.223_372_036_854_776e18).contains(&number) {
            return Ok(number as u64);
        }
        return Err(refused(value));
    }
    if let Ok(text) = value.cast::<PyString>() {
        let text = str_text(text, field)?;
        return text.trim().parse::<u64>().map_err(|_| refused(value));
    }
    if let Ok(id) = value.extract::<u64>() {
        return Ok(id);
    }
    if value.is_instance_of::<PyInt>() || value.extract::<i64>().is_ok() {
        return Err(refused(value));
    }
    Err(error(
        "invalid_id",
        format!(
            "{field} must be an int or a string of digits, not {}",
            repr_of(value)
        ),
    ))
}

/// An optional id (`None`, `""` and NaN are "not given").
pub(crate) fn optional_id_value(
    value: Option<&Bound<'_, PyAny>>,
    field: &str,
) -> PyResult<Option<u64>> {
    match value {
        Some(value) if !is_missing(value) => Ok(Some(id_value(value, field)?)),
        _ => Ok(None),
    }
}

/// A flag: `True`, `False`, or `None` for "leave it" (an int is refused:
/// `do_not_dial=2` is a mistake, not a yes).
pub(crate) fn flag_value(value: Option<&Bound<'_, PyAny>>, field: &str) -> PyResult<Option<bool>> {
    match value {
        None => Ok(None),
        Some(value) if value.is_none() => Ok(None),
        Some(value) => match value.cast::<PyBool>() {
            Ok(flag) => Ok(Some(flag.is_true())),
            Err(_) => Err(error(
                "bad_request",
                format!(
                    "{field} must be True, False or None, not {}",
                    repr_of(value)
                ),
            )),
        },
    }
}

/// Whether a value is "not given": `None`, `""`, or the NaN a table holds
/// for an empty cell.
pub(crate) fn is_missing(value: &Bound<'_, PyAny>) -> bool {
    value.is_none()
        || value
            .cast::<PyFloat>()
            .is_ok_and(|float| float.value().is_nan())
        || value
            .cast::<PyString>()
            .is_ok_and(|text| text.to_cow().is_ok_and(|text| text.is_empty()))
}

/// A text field: a str, or for a phone or zip an int (a table's number
/// column); `None`, NaN and `""` are "not given".
pub(crate) fn text_value(
    value: Option<&Bound<'_, PyAny>>,
    field: &str,
) -> PyResult<Option<String>> {
    let Some(value) = value.filter(|value| !is_missing(value)) else {
        return Ok(None);
    };
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Some(str_text(text, field)?));
    }
    if field != "account"
        && !value.is_instance_of::<PyBool>()
        && let Ok(number) = value.extract::<u64>()
    {
        return Ok(Some(number.to_string()));
    }
    Err(error(
        "bad_request",
        format!("{field} must be a str, not {}", repr_of(value)),
    ))
}

/// A required text field.
pub(crate) fn required_text(value: &Bound<'_, PyAny>, field: &str) -> PyResult<String> {
    text_value(Some(value), field)?
        .ok_or_else(|| error("bad_request", format!("{field} is required")))
}

/// A value cut to a readable length, quoted.
pub(crate) fn shown(text: &str) -> String {
    let cut: String = text.chars().take(40).collect();
    if cut.len() < text.len() {
        format!("{cut:?}…")
    } else {
        format!("{cut:?}")
    }
}

/// The fields of one request or entry, by name.
pub(crate) struct Fields<'py> {
    pub(crate) id: Option<Bound<'py, PyAny>>,
    pub(crate) client: Option<Bound<'py, PyAny>>,
    pub(crate) service: Option<Bound<'py, PyAny>>,
    pub(crate) phone: Option<Bound<'py, PyAny>>,
    pub(crate) account: Option<Bound<'py, PyAny>>,
    pub(crate) zip: Option<Bound<'py, PyAny>>,
    pub(crate) daily: Option<Bound<'py, PyAny>>,
}

/// What a value is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A check's request: a dict of [`REQUEST`] keys, or a tuple.
    Request,
    /// A scrub's row: a dict with other columns too, or a tuple.
    Row,
    /// An entry to add: a dict of [`ENTRY`] keys.
    Entry,
}

/// The keys of a request.
const REQUEST: &[&str] = &["service", "client", "phone", "account", "zip"];
/// The keys of an entry.
const ENTRY: &[&str] = &[
    "id", "client", "service", "phone", "account", "zip", "daily",
];

impl<'py> Fields<'py> {
    /// The fields of a dict (or mapping) or, for a request or row, a
    /// `(service, phone, account, zip)` tuple. A request's or entry's
    /// unknown key is refused: a misspelt `"phnoe"` must not become a check
    /// without a phone. A scrub's rows carry the list's other columns.
    pub(crate) fn of(value: &Bound<'py, PyAny>, shape: Shape) -> PyResult<Fields<'py>> {
        if shape != Shape::Entry
            && let Ok(tuple) = value.cast::<PyTuple>()
        {
            if tuple.is_empty() || tuple.len() > 4 {
                return Err(error(
                    "bad_request",
                    format!(
                        "a request tuple is (service, phone, account, zip), not {} items",
                        tuple.len()
                    ),
                ));
            }
            let at = |index: usize| tuple.get_item(index).ok();
            return Ok(Fields {
                id: None,
                client: None,
                service: at(0),
                phone: at(1),
                account: at(2),
                zip: at(3),
                daily: None,
            });
        }
        let known = match shape {
            Shape::Entry => ENTRY,
            Shape::Request | Shape::Row => REQUEST,
        };
        let mapping = value.cast::<PyMapping>().map_err(|_| {
            let expected = match shape {
                Shape::Entry => {
                    "an entry is a dict (id, client, service, phone, account, zip, daily)"
                }
                Shape::Request | Shape::Row => {
                    "a request is a dict (service, client, phone, account, zip) or a \
                     (service, phone, account, zip) tuple"
                }
            };
            error("bad_request", format!("{expected}, not {}", repr_of(value)))
        })?;
        if shape != Shape::Row {
            for key in mapping.keys()?.iter() {
                let name: String = key.extract().unwrap_or_else(|_| repr_of(&key));
                if !known.contains(&name.as_str()) {
                    return Err(error(
                        "bad_request",
                        format!("unknown field {}: expected one of {known:?}", shown(&name)),
                    ));
                }
            }
        }
        let get = |name: &str| -> PyResult<Option<Bound<'py, PyAny>>> {
            if mapping.contains(name)? {
                Ok(Some(mapping.get_item(name)?))
            } else {
                Ok(None)
            }
        };
        Ok(Fields {
            id: get("id")?,
            client: get("client")?,
            service: get("service")?,
            phone: get("phone")?,
            account: get("account")?,
            zip: get("zip")?,
            daily: get("daily")?,
        })
    }

    /// The fields of keyword arguments.
    pub(crate) fn of_kwargs(
        py: Python<'py>,
        kwargs: Option<&Bound<'py, PyDict>>,
        shape: Shape,
    ) -> PyResult<Fields<'py>> {
        match kwargs {
            Some(kwargs) => Fields::of(kwargs.as_any(), shape),
            None => Fields::of(PyDict::new(py).as_any(), shape),
        }
    }

    fn optional_id(value: &Option<Bound<'py, PyAny>>, field: &str) -> PyResult<Option<u64>> {
        optional_id_value(value.as_ref(), field)
    }

    fn keys(&self) -> PyResult<(Option<Phone>, Option<Account>, Option<Zip>)> {
        let phone = text_value(self.phone.as_ref(), "phone")?;
        let account = text_value(self.account.as_ref(), "account")?;
        let zip = text_value(self.zip.as_ref(), "zip")?;
        Ok((
            phone.as_deref().map(Phone::parse).transpose().or_raise()?,
            account
                .as_deref()
                .map(Account::parse)
                .transpose()
                .or_raise()?,
            zip.as_deref().map(Zip::parse).transpose().or_raise()?,
        ))
    }

    /// A check's request: `service` is required.
    pub(crate) fn request(&self) -> PyResult<Request> {
        let service = Fields::optional_id(&self.service, "service")?
            .ok_or_else(|| error("bad_request", "a request needs a service"))?;
        let client = Fields::optional_id(&self.client, "client")?;
        let (phone, account, zip) = self.keys()?;
        Ok(Request {
            service: ServiceId::new(service).or_raise()?,
            client: client.map(ClientId::new).transpose().or_raise()?,
            phone,
            account,
            zip,
        })
    }

    /// An entry to add.
    pub(crate) fn entry(&self) -> PyResult<NewEntry> {
        let (phone, account, zip) = self.keys()?;
        let daily = flag_value(self.daily.as_ref(), "daily")?.unwrap_or(false);
        Ok(NewEntry {
            id: Fields::optional_id(&self.id, "id")?
                .map(EntryId::new)
                .transpose()
                .or_raise()?,
            client: Fields::optional_id(&self.client, "client")?
                .map(ClientId::new)
                .transpose()
                .or_raise()?,
            service: Fields::optional_id(&self.service, "service")?
                .map(ServiceId::new)
                .transpose()
                .or_raise()?,
            key: DncKey::from_parts(phone, account, zip).or_raise()?,
            lifetime: if daily {
                Lifetime::Daily
            } else {
                Lifetime::Permanent
            },
        })
    }
}
