//! `import dnc_engine`: the engine for Python callers (compliance teams'
//! scrubs, Python dialers), built with maturin from this crate.
//!
//! ```python
//! import dnc_engine
//! engine = dnc_engine.Engine()
//! engine.register_service(client=93119, service=123)
//! entry = engine.add(service=123, phone="4152257000")
//! verdict = engine.is_blocked(service=123, phone="4152257000")
//! assert verdict.blocked and verdict.entries == [entry]
//! verdicts = engine.is_blocked_many([{"service": 123, "phone": "3133335000"}])
//! ```
//!
//! Errors are `dnc_engine.DncError` (a `ValueError`) whose `code` is the
//! replay protocol's (`"invalid_phone"`); a batch answers every request and
//! puts a refused one's error in its place when asked (`errors="return"`).
//! Batches release the GIL while they check. Files: `errors.rs` (the
//! exception), `requests.rs` (reading requests and entries), `answers.rs`
//! (the verdict and decision classes), `engine.rs` (the engine class).

use pyo3::prelude::*;

mod answers;
mod engine;
mod errors;
mod requests;

/// The module `dnc_engine`.
#[pymodule]
#[pyo3(name = "dnc_engine")]
fn dnc_engine_module(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<engine::Engine>()?;
    module.add_class::<answers::Verdict>()?;
    module.add_class::<answers::DialDecision>()?;
    module.add("DncError", module.py().get_type::<errors::DncError>())?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
