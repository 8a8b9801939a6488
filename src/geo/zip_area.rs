//! `zipAreaMatch`: does a ZIP code lie where an area code rings?

use std::fmt;

use std::sync::OnceLock;

use jiff::Timestamp;

use crate::error::DncError;
use crate::geo::{self, AreaCode, TimeZoneId, ZipInfo};
use crate::values::zip::Zip;

/// The vendor's two kinds of match.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ZipAreaMatchType {
    /// The area code serves the ZIP (or, where the data lists no area code
    /// for the ZIP, lies in the ZIP's state).
    #[default]
    DialTime,
    /// As `DialTime`, or the two lie in the same time zone.
    DialTimeOptimized,
}

impl ZipAreaMatchType {
    /// Parses `DIAL_TIME` or `DIAL_TIME_OPTIMIZED` (ASCII case ignored).
    pub fn parse(text: &str) -> Result<ZipAreaMatchType, DncError> {
        match text.to_ascii_uppercase().as_str() {
            "DIAL_TIME" => Ok(ZipAreaMatchType::DialTime),
            "DIAL_TIME_OPTIMIZED" => Ok(ZipAreaMatchType::DialTimeOptimized),
            _ => Err(DncError::InvalidDialRequest {
                field: "type",
                value: text.to_owned(),
                reason: "expected DIAL_TIME or DIAL_TIME_OPTIMIZED",
            }),
        }
    }

    /// The vendor's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ZipAreaMatchType::DialTime => "DIAL_TIME",
            ZipAreaMatchType::DialTimeOptimized => "DIAL_TIME_OPTIMIZED",
        }
    }
}

/// Why a ZIP and an area code match or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ZipAreaReason {
    /// The ZIP's data lists the area code among those serving it.
    ServingAreaCode,
    /// The ZIP's data lists no area code, and the area code serves its state.
    SameState,
    /// (`DIAL_TIME_OPTIMIZED`) every zone of the area code keeps the same
    /// clock as every zone of the ZIP.
    SameTimeZone,
    /// None of the above.
    NoMatch,
    /// The embedded table does not know the ZIP: no match.
    UnknownZip,
}

/// The answer of [`zip_area_match`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ZipAreaMatch {
    /// Whether they match.
    pub matched: bool,
    /// Why.
    pub reason: ZipAreaReason,
}

impl fmt::Display for ZipAreaMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.reason {
            ZipAreaReason::ServingAreaCode => "the area code serves the ZIP",
            ZipAreaReason::SameState => {
                "the ZIP lists no area code; the area code serves its state"
            }
            ZipAreaReason::SameTimeZone => "the area code and the ZIP keep the same clock",
            ZipAreaReason::NoMatch => {
                "the area code neither serves the ZIP nor (for the type asked) shares its zone"
            }
            ZipAreaReason::UnknownZip => "the ZIP is not in the embedded table",
        };
        let verdict = if self.matched { "match" } else { "mismatch" };
        write!(f, "{verdict}: {why}")
    }
}

/// `zipAreaMatch(areaCode, zipCode, type)`: whether the ZIP lies where the
/// area code rings, by the embedded tables. An unknown ZIP does not match.
///
/// ```
/// use dnc_engine::geo::AreaCode;
/// use dnc_engine::{Zip, ZipAreaMatchType, zip_area_match};
///
/// let sf = AreaCode::new(415)?;
/// assert!(zip_area_match(sf, Zip::parse("94111")?, ZipAreaMatchType::DialTime).matched);
/// assert!(!zip_area_match(sf, Zip::parse("10010")?, ZipAreaMatchType::DialTime).matched);
/// # Ok::<(), dnc_engine::DncError>(())
/// ```
pub fn zip_area_match(area_code: AreaCode, zip: Zip, kind: ZipAreaMatchType) -> ZipAreaMatch {
    match_zip_info(area_code, geo::zip_info(zip), kind)
}

/// [`zip_area_match`] for a ZIP already looked up (`None`: not in the
/// tables).
pub(crate) fn match_zip_info(
    area_code: AreaCode,
    zip: Option<ZipInfo>,
    kind: ZipAreaMatchType,
) -> ZipAreaMatch {
    let answer = |matched, reason| ZipAreaMatch { matched, reason };
    let Some(info) = zip else {
        return answer(false, ZipAreaReason::UnknownZip);
    };
    let serving = info.area_codes();
    if serving.contains(&area_code.get()) {
        return answer(true, ZipAreaReason::ServingAreaCode);
    }
    if serving.is_empty() && area_code.info().serves_state(info.state) {
        return answer(true, ZipAreaReason::SameState);
    }
    if kind == ZipAreaMatchType::DialTimeOptimized {
        let (zones, zip_zones) = (area_code.info().zones, info.zones);
        let all_same = !zones.is_empty()
            && !zip_zones.is_empty()
            && zones
                .iter()
                .all(|zone| zip_zones.iter().all(|zip_zone| same_clock(zone, zip_zone)));
        if all_same {
            return answer(true, ZipAreaReason::SameTimeZone);
        }
    }
    answer(false, ZipAreaReason::NoMatch)
}

/// Whether two zones show the same wall-clock time at every instant of
/// 2025 through 2030 (the span the answer is meant for). Each zone's offsets
/// over the span are compared once, on first use; after that this is a
/// table lookup.
pub fn same_clock(a: TimeZoneId, b: TimeZoneId) -> bool {
    let classes = CLOCK_CLASSES.get_or_init(clock_classes);
    classes[usize::from(a.index())] == classes[usize::from(b.index())]
}

static CLOCK_CLASSES: OnceLock<Vec<usize>> = OnceLock::new();

/// For each zone of the tables, the index of the first zone with the same
/// clock over the span.
fn clock_classes() -> Vec<usize> {
    let signatures: Vec<Vec<(i64, i32)>> = TimeZoneId::all().map(clock_signature).collect();
    signatures
        .iter()
        .map(|signature| {
            signatures
                .iter()
                .position(|other| other == signature)
                .unwrap_or_default()
        })
        .collect()
}

/// A zone's offset function over 2025-2030: the offset at the start, then
/// each (instant, offset) at which it changes. Transitions that keep the
/// offset (a change of abbreviation only) are left out, so two zones with
/// the same clock have the same signature.
fn clock_signature(zone: TimeZoneId) -> Vec<(i64, i32)> {
    const FROM: i64 = 1_735_689_600; // 2025-01-01T00:00:00Z
    const UNTIL: i64 = 1_924_992_000; // 2031-01-01T00:00:00Z
    let tz = zone.time_zone();
    let Ok(from) = Timestamp::from_second(FROM) else {
        return Vec::new();
    };
    let mut offset = tz.to_offset(from).seconds();
    let mut signature = vec![(FROM, offset)];
    for transition in tz.following(from) {
        let instant = transition.timestamp().as_second();
        if instant >= UNTIL {
            break;
        }
        let next = transition.offset().seconds();
        if next != offset {
            offset = next;
            signature.push((instant, offset));
        }
    }
    signature
}
