//! Requests and entries read from Python values: keyword arguments, a
//! dict (or any mapping) per request, or a tuple `(service, phone,
//! account, zip)` in that order.

use dnc_engine::{
    Account, ClientId, DncKey, EntryId, Lifetime, NewEntry, Phone, Query, ServiceId, Zip,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping, PyString, PyTuple};

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

/// An id: a Python int, or a string of digits (as ids come from CSV files).
fn id_value(value: &Bound<'_, PyAny>, field: &str) -> PyResult<u64> {
    if let Ok(id) = value.extract::<u64>() {
        return Ok(id);
    }
    if let Ok(text) = value.cast::<PyString>() {
        let text = text.to_cow()?;
        return text.trim().parse::<u64>().map_err(|_| {
            error(
                "invalid_id",
                format!("{field} {} is not a positive id", shown(&text)),
            )
        });
    }
    Err(error(
        "invalid_id",
        format!("{field} must be an int, not {}", value.get_type().name()?),
    ))
}

/// Whether a value is "not given": `None`, `""`, or the NaN a table holds
/// for an empty cell.
pub(crate) fn is_missing(value: &Bound<'_, PyAny>) -> bool {
    value.is_none()
        || value.extract::<f64>().is_ok_and(f64::is_nan)
        || value
            .cast::<PyString>()
            .is_ok_and(|text| text.to_cow().is_ok_and(|text| text.is_empty()))
}

/// A text field: a str, or an int for a phone or zip read as a number
/// (`None`, NaN and `""` are "not given").
fn text_value(value: Option<Bound<'_, PyAny>>, field: &str) -> PyResult<Option<String>> {
    let Some(value) = value.filter(|value| !is_missing(value)) else {
        return Ok(None);
    };
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Some(text.to_cow()?.into_owned()));
    }
    if field != "account"
        && let Ok(number) = value.extract::<u64>()
    {
        return Ok(Some(number.to_string()));
    }
    Err(error(
        "bad_request",
        format!("{field} must be a str, not {}", value.get_type().name()?),
    ))
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

const KNOWN: &[&str] = &[
    "id", "client", "service", "phone", "account", "zip", "daily",
];

impl<'py> Fields<'py> {
    /// The fields of a dict (or mapping) or a `(service, phone, account,
    /// zip)` tuple. With `strict`, an unknown key is refused: a misspelt
    /// `"phnoe"` must not become a check without a phone. A scrub's rows
    /// carry the list's other columns, so it is not strict.
    pub(crate) fn of(value: &Bound<'py, PyAny>, strict: bool) -> PyResult<Fields<'py>> {
        if let Ok(tuple) = value.cast::<PyTuple>() {
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
        let mapping = value.cast::<PyMapping>().map_err(|_| {
            error(
                "bad_request",
                "a request is a dict (service, phone, account, zip, client) or a tuple",
            )
        })?;
        for key in mapping.keys()?.iter().filter(|_| strict) {
            let key: String = key.extract().unwrap_or_default();
            if !KNOWN.contains(&key.as_str()) {
                return Err(error(
                    "bad_request",
                    format!("unknown field {}: expected one of {KNOWN:?}", shown(&key)),
                ));
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
    ) -> PyResult<Fields<'py>> {
        match kwargs {
            Some(kwargs) => Fields::of(kwargs.as_any(), true),
            None => Fields::of(PyDict::new(py).as_any(), true),
        }
    }

    fn optional_id(value: &Option<Bound<'py, PyAny>>, field: &str) -> PyResult<Option<u64>> {
        match value {
            Some(value) if !is_missing(value) => Ok(Some(id_value(value, field)?)),
            _ => Ok(None),
        }
    }

    fn keys(&self) -> PyResult<(Option<Phone>, Option<Account>, Option<Zip>)> {
        let phone = text_value(self.phone.clone(), "phone")?;
        let account = text_value(self.account.clone(), "account")?;
        let zip = text_value(self.zip.clone(), "zip")?;
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
        let daily = match &self.daily {
            Some(value) if !value.is_none() => value.is_truthy()?,
            _ => false,
        };
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
