//! `dnc_engine.DncError`: every refusal, with the replay protocol's code.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    dnc_engine,
    DncError,
    PyValueError,
    "A request the engine refuses. `code` is the replay protocol's error code \
     (\"invalid_phone\", \"unknown_service\", ...), `message` says which value and why."
);

/// The exception for `code` and `message`, with both as attributes.
pub(crate) fn error(code: &str, message: impl Into<String>) -> PyErr {
    let message = message.into();
    Python::attach(|py| {
        let error = DncError::new_err(message.clone());
        let value = error.value(py);
        // Setting attributes on a fresh exception object cannot fail but
        // for memory; the message still carries the code then.
        let _ = value.setattr("code", code);
        let _ = value.setattr("message", message);
        error
    })
}

/// The exception of an engine error.
pub(crate) fn engine_error(error: &dnc_engine::DncError) -> PyErr {
    crate::errors::error(error.code(), format!("{error} [{}]", error.code()))
}

/// `Result<T, DncError>` as Python sees it.
pub(crate) trait OrRaise<T> {
    fn or_raise(self) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, dnc_engine::DncError> {
    fn or_raise(self) -> PyResult<T> {
        self.map_err(|error| engine_error(&error))
    }
}
