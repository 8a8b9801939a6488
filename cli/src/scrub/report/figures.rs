//! The figures of a scrub report, counted row by row as the scrub writes
//! them: totals, refused rows by reason, by state or province and by the
//! callee's local hour, the registry copies used, the first invalid rows
//! and a sample of refused rows. An allowed row costs a few additions; the
//! places and hours are looked up for refused rows only, once per area
//! code (and exchange).

use std::collections::{BTreeMap, HashMap};

use dnc_engine::Phone;
use dnc_engine::geo::{self, AreaCode};
use dnc_engine::jiff::Timestamp;
use dnc_engine::registry::RegistryCheck;
use serde_json::{Value, json};

/// How many invalid rows the report lists (their count is always whole).
pub(crate) const INVALID_LISTED: usize = 1000;
/// How many refused rows the report shows with every reason.
pub(crate) const REFUSED_SAMPLE: usize = 100;

/// A state or province no source places: the label the report gives it.
pub(crate) const UNPLACED: &str = "unknown";

/// The longest phone cell the sample shows whole; a longer one (a cell of
/// padding that `--normalize-nanp` read as a number) is cut, with its
/// length, so that the report's size stays bounded.
const PHONE_SHOWN: usize = 64;

/// `phone` as the sample shows it: whole, or its first 40 characters and
/// its length in bytes.
fn cut(phone: String) -> String {
    if phone.len() <= PHONE_SHOWN {
        return phone;
    }
    let end = phone
        .char_indices()
        .nth(40)
        .map_or(phone.len(), |(at, _)| at);
    format!("{}… ({} bytes)", &phone[..end], phone.len())
}

/// One refused row as the sample shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RefusedRow {
    pub(crate) line: u64,
    /// The phone cell as written in the call list (cut past 64 bytes).
    pub(crate) phone: String,
    /// Each kind of reason that refused it.
    pub(crate) reasons: Vec<String>,
    /// The decision in words (the `reasons` cell with `--at`; the entries
    /// and flags otherwise).
    pub(crate) explanation: String,
}

/// A registry copy a row's decision used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CopyUse {
    /// The area codes it answered for.
    pub(crate) area_codes: std::collections::BTreeSet<u16>,
    /// How many checks used it.
    pub(crate) checks: u64,
}

/// The figures, as they grow.
#[derive(Debug)]
pub(crate) struct Figures {
    pub(crate) rows: u64,
    pub(crate) allowed: u64,
    pub(crate) refused: u64,
    pub(crate) invalid: u64,
    /// Refused rows by kind of reason (a handful of kinds: a list).
    pub(crate) by_reason: Vec<(String, u64)>,
    /// Refused rows by state label, indexed by `state_index`.
    pub(crate) by_state: Vec<(String, u64)>,
    /// Refused rows by the callee's local hour at `--at` (0–23).
    pub(crate) by_hour: [u64; 24],
    /// Refused rows whose local hour is not one hour: no instant (without
    /// `--at`), no phone, or a number whose places disagree about the hour.
    pub(crate) hour_unknown: u64,
    pub(crate) invalid_rows: Vec<(u64, String)>,
    pub(crate) refused_sample: Vec<RefusedRow>,
    /// `(source, obtained)` → its use.
    pub(crate) copies: BTreeMap<(String, Timestamp), CopyUse>,
    /// Rows on which an exemption lifted a registry's refusal, by kind and
    /// registry (`TRANSACTION exemption from US_NATIONAL`), and how many of
    /// them were then allowed.
    pub(crate) exemptions: Vec<(String, u64, u64)>,
    /// Area code (200–999) → its label's index in `by_state`, once looked
    /// up (`u32::MAX` before).
    state_index: Vec<u32>,
    /// The index in `by_state` of [`UNPLACED`], once used.
    unplaced_index: Option<u32>,
    /// `(area code, exchange)` → the local hour at the instant, if one.
    hours: HashMap<(u16, u16), Option<u8>>,
}

/// The label of the states an area code serves (`CA`, `NY/NJ`), or
/// [`UNPLACED`].
fn state_label(area_code: AreaCode) -> String {
    let states: Vec<&str> = area_code
        .info()
        .states()
        .map(|state| state.as_str())
        .collect();
    if states.is_empty() {
        UNPLACED.to_owned()
    } else {
        states.join("/")
    }
}

/// The local hour at `at` of the exchange's time zones, when they agree.
fn local_hour(area_code: AreaCode, exchange: u16, at: Timestamp) -> Option<u8> {
    let mut hours = geo::exchange_zones(area_code, exchange)
        .iter()
        .map(|zone| zone.time_zone().to_datetime(at).hour());
    let first = hours.next()?;
    hours.all(|hour| hour == first).then_some(first as u8)
}

impl Default for Figures {
    fn default() -> Figures {
        Figures {
            rows: 0,
            allowed: 0,
            refused: 0,
            invalid: 0,
            by_reason: Vec::new(),
            by_state: Vec::new(),
            by_hour: [0; 24],
            hour_unknown: 0,
            invalid_rows: Vec::new(),
            refused_sample: Vec::new(),
            copies: BTreeMap::new(),
            exemptions: Vec::new(),
            state_index: vec![u32::MAX; 1000],
            unplaced_index: None,
            hours: HashMap::new(),
        }
    }
}

/// The index of `label` in `counts`, added at 0 when new.
fn index_of(counts: &mut Vec<(String, u64)>, label: &str) -> u32 {
    match counts.iter().position(|(known, _)| known == label) {
        Some(index) => index as u32,
        None => {
            counts.push((label.to_owned(), 0));
            (counts.len() - 1) as u32
        }
    }
}

impl Figures {
    /// The `by_state` index of the row's place.
    fn state_of(&mut self, place: Option<(AreaCode, u16)>) -> usize {
        let index = match place {
            Some((area_code, _)) => {
                let slot = usize::from(area_code.get()) % 1000;
                if self.state_index[slot] == u32::MAX {
                    self.state_index[slot] = index_of(&mut self.by_state, &state_label(area_code));
                }
                self.state_index[slot]
            }
            None => *self
                .unplaced_index
                .get_or_insert_with(|| index_of(&mut self.by_state, UNPLACED)),
        };
        index as usize
    }

    /// Counts an allowed row.
    pub(crate) fn allowed(&mut self) {
        self.rows += 1;
        self.allowed += 1;
    }

    /// Counts an invalid row (line `line`, error `code`).
    pub(crate) fn invalid(&mut self, line: u64, code: &str) {
        self.rows += 1;
        self.invalid += 1;
        if self.invalid_rows.len() < INVALID_LISTED {
            self.invalid_rows.push((line, code.to_owned()));
        }
    }

    /// Counts a refused row: its kinds of reason, its place and local hour
    /// (at `at`, when the scrub has an instant), and a sample of the first
    /// (`written`: its phone cell as written, and why in words).
    /// Allocates nothing once its kinds and places were seen (the sample's
    /// first rows aside).
    pub(crate) fn refused<R: AsRef<str>>(
        &mut self,
        line: u64,
        phone: Option<Phone>,
        at: Option<Timestamp>,
        reasons: &[R],
        written: impl FnOnce() -> (String, String),
    ) {
        self.rows += 1;
        self.refused += 1;
        for reason in reasons {
            let index = index_of(&mut self.by_reason, reason.as_ref());
            self.by_reason[index as usize].1 += 1;
        }
        let place = phone.and_then(|phone| AreaCode::of_phone(phone).ok());
        let state = self.state_of(place);
        self.by_state[state].1 += 1;
        let hour = match (place, at) {
            (Some((area_code, exchange)), Some(at)) => *self
                .hours
                .entry((area_code.get(), exchange))
                .or_insert_with(|| local_hour(area_code, exchange, at)),
            _ => None,
        };
        match hour {
            Some(hour) => self.by_hour[usize::from(hour)] += 1,
            None => self.hour_unknown += 1,
        }
        if self.refused_sample.len() < REFUSED_SAMPLE {
            let (phone, explanation) = written();
            self.refused_sample.push(RefusedRow {
                line,
                phone: cut(phone),
                reasons: reasons
                    .iter()
                    .map(|reason| reason.as_ref().to_owned())
                    .collect(),
                explanation,
            });
        }
    }

    /// Records the registry copies a decision used (the checks a copy
    /// answered: a number no copy covers, or a registry not subscribed,
    /// used none), and the exemptions that lifted a refusal on the row,
    /// which was then `allowed` or not.
    pub(crate) fn copies_used<'a>(
        &mut self,
        checks: impl Iterator<Item = &'a RegistryCheck>,
        allowed: bool,
    ) {
        let mut lifted: Vec<String> = Vec::new();
        for check in checks {
            if let Some(obtained) = check.status.obtained() {
                let used = self
                    .copies
                    .entry((check.source.to_string(), obtained))
                    .or_default();
                used.area_codes.insert(check.area_code.get());
                used.checks += 1;
            }
            if let Some(used) = &check.exemption {
                let kind = format!("{} exemption from {}", used.exemption.kind, check.source);
                if !lifted.contains(&kind) {
                    lifted.push(kind);
                }
            }
        }
        for kind in lifted {
            match self
                .exemptions
                .iter_mut()
                .find(|(known, _, _)| *known == kind)
            {
                Some((_, rows, then_allowed)) => {
                    *rows += 1;
                    *then_allowed += u64::from(allowed);
                }
                None => self.exemptions.push((kind, 1, u64::from(allowed))),
            }
        }
    }

    /// The figures as the report's JSON (everything but the run, which
    /// [`super::RunNotes`] adds).
    pub(crate) fn to_json(&self, at: Option<Timestamp>) -> Value {
        let counted = |counts: &[(String, u64)], key: &str| -> Vec<Value> {
            let mut items: Vec<(&String, &u64)> =
                counts.iter().map(|(name, rows)| (name, rows)).collect();
            // Largest first; ties in name order.
            items.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            items
                .into_iter()
                .map(|(name, rows)| json!({ key: name, "rows": rows }))
                .collect()
        };
        let copies: Vec<Value> = self
            .copies
            .iter()
            .map(|((source, obtained), used)| {
                let age_ms = at.map(|at| at.as_millisecond() - obtained.as_millisecond());
                json!({
                    "source": source,
                    "obtained": obtained.to_string(),
                    "age_days_at_check": age_ms.map(|ms| ms as f64 / 86_400_000.0),
                    // Exact, for the 31-day boundary a rounded day hides.
                    "age_ms_at_check": age_ms,
                    "area_codes": used.area_codes.iter().map(|code| format!("{code:03}")).collect::<Vec<_>>(),
                    "checks": used.checks,
                })
            })
            .collect();
        json!({
            "totals": {
                "rows": self.rows,
                "allowed": self.allowed,
                "refused": self.refused,
                "invalid": self.invalid,
            },
            "refused_by_reason": counted(&self.by_reason, "reason"),
            "refused_by_state": counted(&self.by_state, "state"),
            "refused_by_local_hour": {
                "hours": self.by_hour.iter().enumerate()
                    .map(|(hour, rows)| json!({"hour": hour, "rows": rows}))
                    .collect::<Vec<_>>(),
                "unknown": self.hour_unknown,
            },
            "registry_copies": copies,
            "exemptions_used": self.exemptions.iter()
                .map(|(exemption, rows, allowed)| json!({
                    "exemption": exemption,
                    "rows": rows,
                    "then_allowed": allowed,
                }))
                .collect::<Vec<_>>(),
            "invalid_rows": {
                "total": self.invalid,
                "listed": self.invalid_rows.iter()
                    .map(|(line, code)| json!({"line": line, "code": code}))
                    .collect::<Vec<_>>(),
            },
            "refused_sample": self.refused_sample.iter()
                .map(|row| json!({
                    "line": row.line,
                    "phone": row.phone,
                    "reasons": row.reasons,
                    "explanation": row.explanation,
                }))
                .collect::<Vec<_>>(),
        })
    }
}
