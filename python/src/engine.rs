//! `dnc_engine.Engine`: one engine, its changes, its checks (one, in
//! batches with the GIL released, or over a table's rows), the dial
//! decision, images, and any replay line.

use dnc_engine::jiff::Timestamp;
use dnc_engine::{
    Account, ClientId, DialChannel, DialRequest, FlagUpdate, ServiceId, ZipAreaMatchType,
};
use dnc_replay::ReplaySession;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use crate::answers::{DialDecision, Verdict};
use crate::errors::{OrRaise, engine_error, error};
use crate::requests::{
    Fields, Request, Shape, flag_value, id_value, optional_id_value, required_text, text_value,
};

/// An engine: the DNC lists, flags, profiles, registries and laws of every
/// client, answering in-process. Changes need the only reference
/// (Python raises `RuntimeError` when another thread is using the engine);
/// checks may share it.
#[pyclass(module = "dnc_engine")]
#[derive(Debug, Default)]
pub(crate) struct Engine {
    session: ReplaySession,
}

/// Which check.
#[derive(Clone, Copy)]
enum Rule {
    IsBlocked,
    DialCheck,
}

impl Engine {
    fn engine(&self) -> &dnc_engine::Engine {
        self.session.engine()
    }

    fn check(
        &self,
        request: &Request,
        rule: Rule,
    ) -> Result<dnc_engine::Verdict, dnc_engine::DncError> {
        match rule {
            Rule::IsBlocked => self.engine().is_blocked(&request.query()),
            Rule::DialCheck => self.engine().dial_check(&request.query()),
        }
    }

    /// Checks parsed requests as one batch with the GIL released; a
    /// request that did not parse keeps its error.
    fn batch(
        &self,
        py: Python<'_>,
        requests: Vec<PyResult<Request>>,
        rule: Rule,
        raise: bool,
    ) -> PyResult<Vec<Py<PyAny>>> {
        let mut parsed = Vec::with_capacity(requests.len());
        let mut answers: Vec<Option<PyResult<dnc_engine::Verdict>>> =
            Vec::with_capacity(requests.len());
        for (index, request) in requests.into_iter().enumerate() {
            match request {
                Ok(request) => {
                    parsed.push(request);
                    answers.push(None);
                }
                Err(error) if raise => return Err(at_index(py, index, error)),
                Err(error) => answers.push(Some(Err(error))),
            }
        }
        let engine = self.engine();
        let verdicts = py.detach(|| {
            let queries: Vec<dnc_engine::Query<'_>> = parsed.iter().map(Request::query).collect();
            let mut verdicts = Vec::with_capacity(queries.len());
            match rule {
                Rule::IsBlocked => engine.is_blocked_batch(&queries, &mut verdicts),
                Rule::DialCheck => engine.dial_check_batch(&queries, &mut verdicts),
            }
            verdicts
        });
        let mut verdicts = verdicts.into_iter();
        let mut out = Vec::with_capacity(answers.len());
        for (index, answer) in answers.into_iter().enumerate() {
            let answer = match answer {
                Some(answer) => answer,
                None => verdicts
                    .next()
                    .expect("one verdict per parsed request")
                    .map_err(|error| engine_error(&error)),
            };
            out.push(match answer {
                Ok(verdict) => Py::new(py, Verdict::of(verdict))?.into_any(),
                Err(error) if raise => return Err(at_index(py, index, error)),
                Err(error) => error.into_value(py).into_any(),
            });
        }
        Ok(out)
    }
}

/// The error of request `index`, saying which one it was.
fn at_index(py: Python<'_>, index: usize, error: PyErr) -> PyErr {
    let value = error.value(py);
    let code: String = value
        .getattr("code")
        .and_then(|code| code.extract())
        .unwrap_or_else(|_| "bad_request".to_owned());
    let message: String = value
        .getattr("message")
        .and_then(|message| message.extract())
        .unwrap_or_else(|_| value.to_string());
    crate::errors::error(&code, format!("request {index}: {message}"))
}

/// `errors=` of the batch calls.
fn raises(errors: &str) -> PyResult<bool> {
    match errors {
        "raise" => Ok(true),
        "return" => Ok(false),
        other => Err(error(
            "bad_request",
            format!("errors must be \"raise\" or \"return\", not {other:?}"),
        )),
    }
}

/// The items of `requests`: any iterable, or a table (`to_pylist()` of
/// Arrow, `to_dict("records")` of pandas) without importing either.
fn rows<'py>(requests: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let table = if requests.hasattr("to_pylist")? {
        requests.call_method0("to_pylist")?
    } else if requests.hasattr("to_dict")? && !requests.is_instance_of::<PyDict>() {
        requests.call_method1("to_dict", ("records",))?
    } else {
        requests.clone()
    };
    let items = table.try_iter().map_err(|_| {
        error(
            "bad_request",
            format!(
                "expected a list (or any iterable) of rows, or a table, not {}",
                table
                    .get_type()
                    .name()
                    .map(|name| name.to_string())
                    .unwrap_or_default()
            ),
        )
    })?;
    items.collect()
}

/// Each of `requests` read as a check's request (a refused one keeps its
/// error, for the batch to raise or return).
fn requests_of(requests: &Bound<'_, PyAny>) -> PyResult<Vec<PyResult<Request>>> {
    Ok(rows(requests)?
        .iter()
        .map(|item| Fields::of(item, Shape::Request).and_then(|fields| fields.request()))
        .collect())
}

/// An instant: epoch milliseconds (int), RFC 3339 (str), or an aware
/// `datetime`.
fn instant(value: &Bound<'_, PyAny>) -> PyResult<Timestamp> {
    if let Ok(millis) = value.extract::<i64>() {
        return Timestamp::from_millisecond(millis).map_err(|e| {
            error(
                "invalid_date",
                format!("at {millis} is not an instant: {e}"),
            )
        });
    }
    if let Ok(text) = value.cast::<PyString>() {
        let text = text.to_cow()?;
        return text.parse::<Timestamp>().map_err(|e| {
            error(
                "invalid_date",
                format!(
                    "at {} is not an RFC 3339 instant: {e}",
                    crate::requests::shown(&text)
                ),
            )
        });
    }
    if value.hasattr("timestamp")? && value.hasattr("tzinfo")? {
        if value.getattr("tzinfo")?.is_none() {
            return Err(error(
                "invalid_date",
                "at is a naive datetime: give it a time zone (the engine never guesses one)",
            ));
        }
        let seconds: f64 = value.call_method0("timestamp")?.extract()?;
        let millis = (seconds * 1000.0).round() as i64;
        return Timestamp::from_millisecond(millis).map_err(|e| {
            error(
                "invalid_date",
                format!("at {millis} ms is not an instant: {e}"),
            )
        });
    }
    Err(error(
        "invalid_date",
        format!(
            "at must be epoch milliseconds, an RFC 3339 str or an aware datetime, not {}",
            value.get_type().name()?
        ),
    ))
}

#[pymethods]
impl Engine {
    /// A new, empty engine.
    #[new]
    fn new() -> Engine {
        Engine::default()
    }

    /// Registers `service` as `client`'s (again for the same pair is fine).
    fn register_service(
        &mut self,
        client: &Bound<'_, PyAny>,
        service: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let client = ClientId::new(id_value(client, "client")?).or_raise()?;
        let service = ServiceId::new(id_value(service, "service")?).or_raise()?;
        self.session
            .engine_mut()
            .register_service(client, service)
            .or_raise()
    }

    /// Adds one entry (`id`, `client`, `service`, `phone`, `account`,
    /// `zip`, `daily`) and returns its id.
    #[pyo3(signature = (**entry))]
    fn add(&mut self, py: Python<'_>, entry: Option<&Bound<'_, PyDict>>) -> PyResult<u64> {
        let new = Fields::of_kwargs(py, entry, Shape::Entry)?.entry()?;
        Ok(self.session.engine_mut().add(new).or_raise()?.get())
    }

    /// Adds many entries (dicts, as `add` takes them) in one bulk load: the
    /// result has, for each, its id, or the `DncError` that refused it (a
    /// refused entry changes nothing; the others are added).
    fn add_many(&mut self, py: Python<'_>, entries: &Bound<'_, PyAny>) -> PyResult<Vec<Py<PyAny>>> {
        let mut parsed = Vec::new();
        let mut results: Vec<Option<PyErr>> = Vec::new();
        for item in rows(entries)? {
            match Fields::of(&item, Shape::Entry).and_then(|fields| fields.entry()) {
                Ok(new) => {
                    parsed.push(new);
                    results.push(None);
                }
                Err(error) => results.push(Some(error)),
            }
        }
        let outcome = self.session.engine_mut().add_many(parsed);
        let mut refused = outcome.refused().iter().peekable();
        let mut ids = outcome.ids().iter().enumerate();
        let mut out = Vec::with_capacity(results.len());
        for result in results {
            out.push(match result {
                Some(error) => error.into_value(py).into_any(),
                None => {
                    let (index, id) = ids.next().expect("one outcome per parsed entry");
                    match id {
                        Some(id) => id.get().into_pyobject(py)?.into_any().unbind(),
                        None => {
                            let error = refused
                                .find(|(at, _)| *at == index)
                                .map(|(_, error)| error)
                                .expect("a refused entry has its error");
                            engine_error(error).into_value(py).into_any()
                        }
                    }
                }
            });
        }
        Ok(out)
    }

    /// Sets (True), clears (False) or leaves (None) the Do Not Dial flags
    /// of `client`'s `account`; returns the flags after, as
    /// `(do_not_dial, do_not_dial_daily)`.
    #[pyo3(signature = (client, account, *, do_not_dial = None, do_not_dial_daily = None))]
    fn set_account_flags(
        &mut self,
        client: &Bound<'_, PyAny>,
        account: &Bound<'_, PyAny>,
        do_not_dial: Option<&Bound<'_, PyAny>>,
        do_not_dial_daily: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(bool, bool)> {
        let client = ClientId::new(id_value(client, "client")?).or_raise()?;
        let account = Account::parse(&required_text(account, "account")?).or_raise()?;
        let do_not_dial = flag_value(do_not_dial, "do_not_dial")?;
        let do_not_dial_daily = flag_value(do_not_dial_daily, "do_not_dial_daily")?;
        let flags = self.session.engine_mut().set_account_flags(
            client,
            &account,
            FlagUpdate {
                do_not_dial,
                do_not_dial_daily,
            },
        );
        Ok((flags.do_not_dial, flags.do_not_dial_daily))
    }

    /// The nightly clear: removes the DAILY entries and daily flags of
    /// `client`, or of every client; returns how many entries it removed.
    #[pyo3(signature = (client = None))]
    fn clear_daily(&mut self, client: Option<&Bound<'_, PyAny>>) -> PyResult<usize> {
        let client = optional_id_value(client, "client")?
            .map(ClientId::new)
            .transpose()
            .or_raise()?;
        Ok(self.session.engine_mut().clear_daily(client))
    }

    /// `isBlocked` (every value literal): `service` and at least one of
    /// `phone`, `account`, `zip`; `client` is checked against the service.
    #[pyo3(signature = (**request))]
    fn is_blocked(&self, py: Python<'_>, request: Option<&Bound<'_, PyDict>>) -> PyResult<Verdict> {
        let request = Fields::of_kwargs(py, request, Shape::Request)?.request()?;
        Ok(Verdict::of(
            self.check(&request, Rule::IsBlocked).or_raise()?,
        ))
    }

    /// The dial check: as `is_blocked`, with stored `*` as a pattern.
    #[pyo3(signature = (**request))]
    fn dial_check(&self, py: Python<'_>, request: Option<&Bound<'_, PyDict>>) -> PyResult<Verdict> {
        let request = Fields::of_kwargs(py, request, Shape::Request)?.request()?;
        Ok(Verdict::of(
            self.check(&request, Rule::DialCheck).or_raise()?,
        ))
    }

    /// `is_blocked` for a list of requests (dicts, or `(service, phone,
    /// account, zip)` tuples), checked as one batch with the GIL released.
    /// `errors="raise"` raises the first refused request's error (naming
    /// its index); `errors="return"` puts the `DncError` in its place.
    #[pyo3(signature = (requests, *, errors = "raise"))]
    fn is_blocked_many(
        &self,
        py: Python<'_>,
        requests: &Bound<'_, PyAny>,
        errors: &str,
    ) -> PyResult<Vec<Py<PyAny>>> {
        self.batch(py, requests_of(requests)?, Rule::IsBlocked, raises(errors)?)
    }

    /// `dial_check` for a list of requests; see `is_blocked_many`.
    #[pyo3(signature = (requests, *, errors = "raise"))]
    fn dial_check_many(
        &self,
        py: Python<'_>,
        requests: &Bound<'_, PyAny>,
        errors: &str,
    ) -> PyResult<Vec<Py<PyAny>>> {
        self.batch(py, requests_of(requests)?, Rule::DialCheck, raises(errors)?)
    }

    /// A scrub of a call list: `rows` is any iterable of dicts (a
    /// `csv.DictReader`), a pandas DataFrame or an Arrow table (neither is
    /// imported: their `to_dict("records")` / `to_pylist()` is used).
    /// Each row's `phone`, `account`, `zip`, `client` and `service` (else
    /// `service=`) are read and other columns ignored; empty values and
    /// NaN are "not given". The result has, per row, its `Verdict` or the
    /// `DncError` that refused it. `dial=True` uses the dial check's rules.
    #[pyo3(signature = (rows, *, service = None, dial = false))]
    fn scrub(
        &self,
        py: Python<'_>,
        rows: &Bound<'_, PyAny>,
        service: Option<u64>,
        dial: bool,
    ) -> PyResult<Vec<Py<PyAny>>> {
        let parsed = self::rows(rows)?
            .iter()
            .map(|item| {
                let mut fields = Fields::of(item, Shape::Row)?;
                if fields
                    .service
                    .as_ref()
                    .is_none_or(crate::requests::is_missing)
                {
                    fields.service = service
                        .map(|id| id.into_pyobject(py).map(|id| id.into_any()))
                        .transpose()?;
                }
                fields.request()
            })
            .collect();
        let rule = if dial {
            Rule::DialCheck
        } else {
            Rule::IsBlocked
        };
        self.batch(py, parsed, rule, false)
    }

    /// "May I contact this number now?" at `at` (epoch milliseconds, an
    /// RFC 3339 str or an aware datetime): every rule the engine knows,
    /// with `channel` `"voice"` or `"sms"` and the `zip_match` type.
    #[pyo3(signature = (service, phone, at, *, account = None, zip = None, channel = None, zip_match = None))]
    #[allow(clippy::too_many_arguments)]
    fn dial_decision(
        &self,
        py: Python<'_>,
        service: &Bound<'_, PyAny>,
        phone: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
        account: Option<&Bound<'_, PyAny>>,
        zip: Option<&Bound<'_, PyAny>>,
        channel: Option<&Bound<'_, PyAny>>,
        zip_match: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<DialDecision> {
        let service = ServiceId::new(id_value(service, "service")?).or_raise()?;
        let phone = dnc_engine::Phone::parse(&required_text(phone, "phone")?).or_raise()?;
        let at = instant(at)?;
        let account = text_value(account, "account")?
            .map(|account| Account::parse(&account))
            .transpose()
            .or_raise()?;
        let zip = text_value(zip, "zip")?
            .map(|zip| dnc_engine::Zip::parse(&zip))
            .transpose()
            .or_raise()?;
        let channel = match text_value(channel, "channel")? {
            Some(channel) => DialChannel::parse(&channel).or_raise()?,
            None => DialChannel::Voice,
        };
        let zip_match = match text_value(zip_match, "zip_match")? {
            Some(zip_match) => ZipAreaMatchType::parse(&zip_match).or_raise()?,
            None => ZipAreaMatchType::DialTime,
        };
        let mut request = DialRequest::new(service, phone, at)
            .channel(channel)
            .zip_match(zip_match);
        if let Some(account) = &account {
            request = request.account(account);
        }
        if let Some(zip) = zip {
            request = request.zip(zip);
        }
        let engine = self.engine();
        let decision = py.detach(|| engine.dial_decision(&request)).or_raise()?;
        Ok(DialDecision::of(decision))
    }

    /// The whole engine as an image (bytes): `Engine.restore` makes it again.
    fn snapshot<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        let engine = self.engine();
        let image = py.detach(|| engine.to_image());
        PyBytes::new(py, &image)
    }

    /// An engine from an image made by `snapshot`; a damaged image raises
    /// `DncError` with code `invalid_snapshot`.
    #[staticmethod]
    fn restore(py: Python<'_>, image: &[u8]) -> PyResult<Engine> {
        let engine = py
            .detach(|| dnc_engine::Engine::from_image(image))
            .or_raise()?;
        Ok(Engine {
            session: ReplaySession::over(engine),
        })
    }

    /// Answers one `dnc replay` request line (JSON) as `dnc replay` does:
    /// every operation of the engine is reachable this way. `None` for a
    /// blank line; a refused request's answer is its error object.
    fn replay(&mut self, line: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
        let line = match text_value(Some(line), "line")? {
            Some(line) => line,
            None if line.is_none() => {
                return Err(error("bad_request", "line must be a str, not None"));
            }
            None => String::new(),
        };
        Ok(self.session.handle_line(&line))
    }

    /// How many legacy entries the engine holds.
    fn __len__(&self) -> usize {
        self.engine().len()
    }

    fn __repr__(&self) -> String {
        format!("Engine({} entries)", self.engine().len())
    }
}
