//! What the checks answer: `Verdict` (isBlocked, the dial check) and
//! `DialDecision`, each saying why.

use pyo3::prelude::*;

/// The answer to a check: `blocked`, and why (`entries`, `dialtime_entries`,
/// `flags`). `str(verdict)` is one line a support agent can read.
#[pyclass(frozen, module = "dnc_engine")]
#[derive(Debug, Clone)]
pub(crate) struct Verdict {
    inner: dnc_engine::Verdict,
}

impl Verdict {
    pub(crate) fn of(inner: dnc_engine::Verdict) -> Verdict {
        Verdict { inner }
    }
}

#[pymethods]
impl Verdict {
    /// Whether the contact must not be made.
    #[getter]
    fn blocked(&self) -> bool {
        self.inner.is_blocked()
    }

    /// Every applicable legacy entry id, ascending.
    #[getter]
    fn entries(&self) -> Vec<u64> {
        self.inner.entries().iter().map(|id| id.get()).collect()
    }

    /// For a `DIAL_TIME` client: the dialtime-list ids that block.
    #[getter]
    fn dialtime_entries(&self) -> Vec<u64> {
        self.inner
            .dialtime_entries()
            .iter()
            .map(|id| id.get())
            .collect()
    }

    /// The applicable account flags: `"DO_NOT_DIAL"`, `"DO_NOT_DIAL_DAILY"`.
    #[getter]
    fn flags(&self) -> Vec<&'static str> {
        self.inner
            .flags()
            .iter()
            .map(|flag| flag.as_str())
            .collect()
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "Verdict(blocked={}, entries={:?}, dialtime_entries={:?}, flags={:?})",
            if self.blocked() { "True" } else { "False" },
            self.entries(),
            self.dialtime_entries(),
            self.flags()
        )
    }

    fn __eq__(&self, other: &Verdict) -> bool {
        self.inner == other.inner
    }
}

/// "May I contact this number now?": `allowed`, every reason it is not
/// (`reasons`), and when it next may be (`next_allowed`, epoch
/// milliseconds, or `None` when no refusal lapses by itself).
#[pyclass(frozen, module = "dnc_engine")]
#[derive(Debug)]
pub(crate) struct DialDecision {
    inner: dnc_engine::DialDecision,
}

impl DialDecision {
    pub(crate) fn of(inner: dnc_engine::DialDecision) -> DialDecision {
        DialDecision { inner }
    }
}

#[pymethods]
impl DialDecision {
    /// Whether the contact may be made now.
    #[getter]
    fn allowed(&self) -> bool {
        self.inner.allowed()
    }

    /// Whether it is allowed and a message may be left.
    #[getter]
    fn may_leave_message(&self) -> bool {
        self.inner.may_leave_message()
    }

    /// The first instant (epoch milliseconds) from the asked one at which
    /// every refusal has lapsed; `None` when one never lapses by itself.
    #[getter]
    fn next_allowed(&self) -> Option<i64> {
        self.inner.next_allowed().map(|at| at.as_millisecond())
    }

    /// Every reason the contact is refused, each as one readable line.
    #[getter]
    fn reasons(&self) -> Vec<String> {
        self.inner
            .reasons()
            .map(|reason| reason.to_string())
            .collect()
    }

    /// The DNC lists' and flags' verdict under the dial check's rules.
    #[getter]
    fn dnc(&self) -> Verdict {
        Verdict::of(self.inner.dnc.clone())
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!("DialDecision({})", self.inner)
    }
}
