//! Embedded North American geography: area codes with their states,
//! countries and IANA time zones (split by exchange where an area code spans
//! zones), and US ZIP codes with their state, zone and serving area codes.
//!
//! The tables are generated at development time by `tools/geodata.py` from the
//! sources named in [`SOURCES`] and compiled into the crate as plain arrays:
//! a lookup is an array index (area codes) or a short search inside one
//! three-digit ZIP prefix, and nothing is parsed at startup. Time zones are
//! the bundled IANA database of [`jiff`] (see [`TimeZoneId::time_zone`]).
//!
//! ```
//! use dnc_engine::geo::{AreaCode, Country, StateCode};
//! use dnc_engine::{Phone, Zip};
//!
//! let sf = AreaCode::new(415)?.info();
//! assert_eq!(sf.country, Country::Usa);
//! assert_eq!(sf.states().collect::<Vec<_>>(), [StateCode::parse("CA")?]);
//! assert_eq!(sf.zones.names().collect::<Vec<_>>(), ["America/Los_Angeles"]);
//!
//! // 208 (Idaho) spans Mountain and Pacific time; an exchange the data
//! // names narrows it, any other keeps every zone of the code.
//! let idaho = AreaCode::new(208)?.info();
//! assert!(idaho.zones.names().any(|zone| zone == "America/Boise"));
//! assert!(idaho.zones.names().any(|zone| zone == "America/Los_Angeles"));
//! let pacific = dnc_engine::geo::phone_zones(Phone::parse("2082630000")?)?;
//! assert_eq!(pacific.names().collect::<Vec<_>>(), ["America/Los_Angeles"]);
//! let unnamed = dnc_engine::geo::phone_zones(Phone::parse("2083340000")?)?;
//! assert_eq!(unnamed, idaho.zones);
//!
//! let zip = dnc_engine::geo::zip_info(Zip::parse("10010")?).expect("a real ZIP");
//! assert_eq!(zip.state.as_str(), "NY");
//! assert_eq!(zip.zones.names().collect::<Vec<_>>(), ["America/New_York"]);
//! # Ok::<(), dnc_engine::DncError>(())
//! ```

// Generated: kept as the script writes it, so a refresh diffs cleanly.
#[rustfmt::skip]
pub(crate) mod local_events;
mod tables;
pub(crate) mod zip_area;
mod zone_cache;

use std::fmt;

use crate::error::DncError;
use crate::values::phone::Phone;
use crate::values::zip::Zip;

/// Where each embedded table comes from: source, version or date, license.
/// The full account, with the derivation rules, is `data/geo/PROVENANCE.md`.
pub const SOURCES: &[Source] = &[
    Source {
        name: "NANPA NPA report",
        version: tables::NANPA_FILE_DATE,
        license: "public information published by the North American Numbering Plan Administrator",
        used_for: "area codes: LOCATION, COUNTRY, IN_SERVICE, USE, TIME_ZONE, OVERLAY_COMPLEX (which codes share an area)",
    },
    Source {
        name: "phonenumbers (PyPI), tzdata/data0.py",
        version: tables::PHONENUMBERS_VERSION,
        license: "Apache-2.0 (libphonenumber)",
        used_for: "IANA zones of area codes and of exchanges of multi-zone area codes",
    },
    Source {
        name: "zipcodes (PyPI), with ziptz-us (PyPI) as a second opinion on zones",
        version: tables::ZIPCODES_VERSION,
        license: "MIT code; data from unitedstateszipcodes.org, USPS (public domain) and GeoNames (CC BY 4.0); ziptz-us tables derived from ODbL data",
        used_for: "ZIP codes: state, IANA zone (a second one from ziptz-us where the two disagree about the clock), serving area codes (a hint)",
    },
    Source {
        name: "IANA time zone database (PyPI tzdata), zone.tab",
        version: tables::TZDATA_VERSION,
        license: "public domain",
        used_for: "the zones of each Canadian province (zone.tab's comments), for the zones NANPA gives a Canadian area code",
    },
];

/// One source of the embedded tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    /// What it is.
    pub name: &'static str,
    /// Its version or file date.
    pub version: &'static str,
    /// Its license.
    pub license: &'static str,
    /// Which fields the crate takes from it.
    pub used_for: &'static str,
}

/// The country of an area code or state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Country {
    /// The United States, with its territories.
    Usa,
    /// Canada.
    Canada,
    /// Another NANP country (the Caribbean nations, Bermuda).
    Other,
    /// No country: a non-geographic code (toll-free, 5XX, 900) or a spare one.
    None,
}

impl Country {
    /// The reference's spelling: `USA`, `CANADA` (the others have none).
    pub fn as_str(self) -> &'static str {
        match self {
            Country::Usa => "USA",
            Country::Canada => "CANADA",
            Country::Other => "OTHER",
            Country::None => "NONE",
        }
    }

    /// Parses a policy's country: `USA` or `CANADA` (ASCII case ignored).
    pub fn parse(text: &str) -> Result<Country, DncError> {
        match text.to_ascii_uppercase().as_str() {
            // No two-letter forms: "CA" would read as Canada to one user
            // and California to another.
            "USA" => Ok(Country::Usa),
            "CANADA" => Ok(Country::Canada),
            _ => Err(DncError::InvalidProfile {
                field: "country",
                value: text.to_owned(),
                reason: "expected USA or CANADA",
            }),
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A NANP area code, `200`..=`999`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AreaCode(u16);

impl AreaCode {
    /// An area code the caller knows is in `200..=999` (the registries'
    /// slots), without a `Result` on the hot path.
    #[inline]
    pub(crate) fn from_valid(code: u16) -> AreaCode {
        debug_assert!((200..=999).contains(&code));
        AreaCode(code)
    }

    /// An area code from its number; refused outside `200..=999`.
    pub fn new(code: u16) -> Result<AreaCode, DncError> {
        if (200..=999).contains(&code) {
            Ok(AreaCode(code))
        } else {
            Err(DncError::InvalidAreaCode {
                value: code.to_string(),
            })
        }
    }

    /// Parses three digits, `200`..=`999`.
    pub fn parse(text: &str) -> Result<AreaCode, DncError> {
        let refused = || DncError::InvalidAreaCode {
            value: text.to_owned(),
        };
        if text.len() != 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(refused());
        }
        text.parse()
            .ok()
            .and_then(|n| AreaCode::new(n).ok())
            .ok_or_else(refused)
    }

    /// The area code and exchange of a dialable NANP number: exactly 10
    /// digits, the first `2`-`9`.
    pub fn of_phone(phone: Phone) -> Result<(AreaCode, u16), DncError> {
        let refused = || DncError::InvalidPhone {
            value: phone.to_string(),
            reason: "a dialed NANP number must be 10 digits, the first 2-9",
        };
        if phone.len() != 10 || phone.has_wildcard() {
            return Err(refused());
        }
        let packed = phone.packed();
        // Nibble codes are digit + 1 (see text_value).
        let digit = |i: u32| ((packed >> (4 * (9 - i))) & 0xF) as u16 - 1;
        let npa = digit(0) * 100 + digit(1) * 10 + digit(2);
        let nxx = digit(3) * 100 + digit(4) * 10 + digit(5);
        AreaCode::new(npa)
            .map(|npa| (npa, nxx))
            .map_err(|_| refused())
    }

    /// The number, `200`..=`999`.
    pub fn get(self) -> u16 {
        self.0
    }

    /// What the embedded NANPA table says about this area code.
    #[inline]
    pub fn info(self) -> AreaCodeInfo {
        let row = &tables::AREA_CODES[usize::from(self.0 - 200)];
        AreaCodeInfo {
            code: self,
            location: tables::LOCATIONS[usize::from(row.location)],
            country: row.country,
            in_service: row.in_service,
            geographic: row.geographic,
            state_set: row.states,
            zones: ZoneSet(row.zones),
            zone_source: row.zone_source,
        }
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One row of the generated area-code table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AreaCodeRow {
    location: u8,
    country: Country,
    in_service: bool,
    geographic: bool,
    states: u8,
    zones: u8,
    zone_source: ZoneSource,
    split_start: u16,
    split_len: u16,
}

impl AreaCodeRow {
    #[allow(clippy::too_many_arguments)]
    const fn new(
        location: u8,
        country: Country,
        in_service: bool,
        geographic: bool,
        states: u8,
        zones: u8,
        zone_source: ZoneSource,
        split_start: u16,
        split_len: u16,
    ) -> AreaCodeRow {
        AreaCodeRow {
            location,
            country,
            in_service,
            geographic,
            states,
            zones,
            zone_source,
            split_start,
            split_len,
        }
    }
}

/// Which source decided the zones of an area code ([`AreaCodeInfo::zone_source`])
/// or of one of its exchanges ([`exchange_zone_source`]). The rules, and the
/// area codes each one decides, are in `data/geo/PROVENANCE.md`;
/// `data/geo/area-code-zone-sources.csv` names the source of every zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ZoneSource {
    /// A phonenumbers prefix of the exchange itself (`1NPANXX`) names its
    /// zones. Only an exchange has this source.
    Exchange,
    /// The phonenumbers prefixes of the area code, where NANPA's
    /// `TIME_ZONE` gives the code one zone, phonenumbers keeps its standard
    /// offset (the sources agree) and the code's states keep no other zone
    /// at that offset; or, for a code without a state (the Caribbean),
    /// phonenumbers' zones as they are.
    Phonenumbers,
    /// Both: every phonenumbers zone of the code and every zone of its
    /// states whose standard offset either source gives, where that is more
    /// than phonenumbers' zones or the sources disagree (NANPA gives several
    /// zones, `EC`, `CM`, `MP`, `CMP`, or another offset). A standard offset
    /// is not a clock: phonenumbers' 474 (Saskatchewan) is
    /// America/Winnipeg, which keeps daylight time, and Saskatchewan's
    /// America/Regina comes in beside it. Every one of them must allow a
    /// call (the reference's conservative rule).
    PhonenumbersAndNanpa,
    /// NANPA alone, for a code phonenumbers does not know: the zones of its
    /// states whose standard offset is one of NANPA's `TIME_ZONE` letters.
    Nanpa,
    /// The code shares its area with other codes, and they bring zones of
    /// their own: its zones by the rules above plus those of every code it
    /// shares an area with. Two codes share an area when each lists the
    /// other in NANPA's `OVERLAY_COMPLEX` (930 and 812; 236 and 250, 236 and
    /// 604, but not 250 and 604). The others' zones are theirs by the rules
    /// above, before this merge (it is not transitive). An overlay's numbers
    /// ring anywhere in the area it overlays: 930 takes 812's Central time,
    /// 236 British Columbia's Mountain zones from 250, 581 the Magdalen
    /// Islands' America/Halifax and America/Blanc-Sablon from 418.
    Overlay,
    /// No source places it (a non-geographic or spare code): the callee
    /// could be anywhere ([`unknown_places`]).
    Unknown,
}

/// What the embedded table says about an area code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AreaCodeInfo {
    /// The area code.
    pub code: AreaCode,
    /// NANPA's `LOCATION` text (`"CA"`, `"BRITISH COLUMBIA"`, `"NANP AREA"`).
    pub location: &'static str,
    /// Its country.
    pub country: Country,
    /// NANPA's `IN_SERVICE`.
    pub in_service: bool,
    /// NANPA's `USE` is `G` (geographic), not a toll-free or other
    /// non-geographic code.
    pub geographic: bool,
    state_set: u8,
    /// Every IANA zone of the area code (several for a code that spans zones;
    /// none for a non-geographic code), with those of the codes it shares
    /// an area with ([`ZoneSource::Overlay`]): the zones of an exchange no
    /// phonenumbers prefix of its own places.
    pub zones: ZoneSet,
    /// Which source decided [`zones`](Self::zones).
    pub zone_source: ZoneSource,
}

impl AreaCodeInfo {
    /// The states or provinces it serves: one for most, two or three for
    /// some Canadian codes (867: NT, NU, YT), none for non-geographic codes.
    pub fn states(&self) -> impl Iterator<Item = StateCode> + 'static {
        tables::STATE_SETS[usize::from(self.state_set)]
            .iter()
            .map(|&index| StateCode(index))
    }

    /// Whether it serves `state`.
    pub fn serves_state(&self, state: StateCode) -> bool {
        tables::STATE_SETS[usize::from(self.state_set)].contains(&state.0)
    }
}

/// A US state, DC, US territory or military "state" (`AA`, `AE`, `AP`), or a
/// Canadian province or territory: a two-letter postal code that the embedded
/// tables know.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StateCode(u8);

impl StateCode {
    /// Parses a two-letter code the tables know (ASCII case ignored).
    pub fn parse(text: &str) -> Result<StateCode, DncError> {
        let upper = text.to_ascii_uppercase();
        tables::STATES
            .iter()
            .position(|&state| state == upper)
            .map(|index| StateCode(index as u8))
            .ok_or_else(|| DncError::InvalidProfile {
                field: "state",
                value: text.to_owned(),
                reason: "not a US state, territory or Canadian province code",
            })
    }

    /// The two-letter code.
    pub fn as_str(self) -> &'static str {
        tables::STATES[usize::from(self.0)]
    }

    /// Its position in the embedded tables (a dense index for lookups).
    pub(crate) fn index(self) -> u8 {
        self.0
    }

    /// Its country: [`Country::Usa`] or [`Country::Canada`].
    pub fn country(self) -> Country {
        tables::STATE_COUNTRY[usize::from(self.0)]
    }

    /// Every zone the tables place it in: the zones of its area codes, of
    /// its ZIPs and, for a Canadian province, those `zone.tab` names for it
    /// (Moncton for NB, Swift Current and Edmonton's Lloydminster for SK).
    /// None for the military `AA`, `AE`, `AP`.
    pub fn zones(self) -> ZoneSet {
        ZoneSet(tables::STATE_ZONES[usize::from(self.0)])
    }
}

impl fmt::Display for StateCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for StateCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StateCode({:?})", self.as_str())
    }
}

/// One IANA time zone of the embedded tables.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeZoneId(u8);

impl TimeZoneId {
    /// Its IANA name.
    pub fn name(self) -> &'static str {
        tables::ZONES[usize::from(self.0)]
    }

    /// The zone's rules from jiff's bundled time zone database, loaded once
    /// on first use.
    #[inline]
    pub fn time_zone(self) -> &'static jiff::tz::TimeZone {
        zone_cache::time_zone(self.0)
    }

    pub(crate) fn index(self) -> u8 {
        self.0
    }

    /// Every zone the tables use.
    pub fn all() -> impl Iterator<Item = TimeZoneId> {
        (0..tables::ZONES.len() as u8).map(TimeZoneId)
    }

    /// The zone named `name`, when the tables use it.
    pub fn by_name(name: &str) -> Option<TimeZoneId> {
        tables::ZONES
            .iter()
            .position(|&zone| zone == name)
            .map(|index| TimeZoneId(index as u8))
    }
}

impl fmt::Display for TimeZoneId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Debug for TimeZoneId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TimeZoneId({:?})", self.name())
    }
}

/// Loads the rules of every zone the tables use (about a millisecond), so
/// that the first dial decision does not pay for it. Optional: the zones
/// load on first use otherwise.
pub fn preload_time_zones() {
    for zone in TimeZoneId::all() {
        zone.time_zone();
    }
}

/// A set of time zones: the candidates for a number whose zone the tables
/// cannot narrow to one.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ZoneSet(u8);

impl ZoneSet {
    /// The zones, in the tables' order.
    pub fn iter(self) -> impl Iterator<Item = TimeZoneId> + 'static {
        tables::ZONE_SETS[usize::from(self.0)]
            .iter()
            .map(|&index| TimeZoneId(index))
    }

    /// Their IANA names.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        self.iter().map(TimeZoneId::name)
    }

    /// How many zones.
    pub fn len(self) -> usize {
        tables::ZONE_SETS[usize::from(self.0)].len()
    }

    /// No zone known (a non-geographic area code).
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Whether `zone` is one of them.
    pub fn contains(self, zone: TimeZoneId) -> bool {
        tables::ZONE_SETS[usize::from(self.0)].contains(&zone.0)
    }

    /// Every zone of [`unknown_places`]. A zone alone is not a place: a
    /// callee of unknown geography is checked at every one of
    /// [`unknown_places`], each with its state and country, so that the
    /// profile's state and country policies apply there.
    pub fn unknown_geography() -> ZoneSet {
        ZoneSet(tables::UNKNOWN_GEOGRAPHY_ZONES)
    }
}

/// A place as the geography knows it: a state or province (none for the
/// NANP's other countries), its country, and one time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GeoPlace {
    /// The state, territory or province; `None` for a NANP country other
    /// than the USA and Canada (the Caribbean nations, Bermuda).
    pub state: Option<StateCode>,
    /// Its country ([`Country::Other`] without a state).
    pub country: Country,
    /// The time zone.
    pub zone: TimeZoneId,
}

/// Every place a NANP number can ring, where the tables cannot say which:
/// for a number whose area code has no zone (toll-free, 5XX, 900, a spare
/// code) and for a ZIP the tables lack or that has no zone (military).
///
/// Each state or province some area code serves (the 50 states, DC, Puerto
/// Rico, the US Virgin Islands, Guam, the Northern Marianas, American Samoa
/// and the 13 provinces and territories), in each zone of its area codes
/// and of its ZIPs (for a province, of `zone.tab`), and each zone of the
/// other NANP countries' codes, without a state. The Freely Associated
/// States (FM, MH, PW) and the military post offices (AA, AE, AP) have ZIPs
/// but no NANP area code, and are not among them. A call must be allowed at
/// every one (the reference's conservative reading), so every state and country
/// policy of the profile applies: from Guam (UTC+10) to Newfoundland
/// (UTC-3:30) the standard 08:00-21:00 leaves about two and a half hours a
/// day, 22:00 to 00:30 UTC in winter.
///
/// ```
/// use dnc_engine::geo::{self, StateCode};
///
/// let guam = StateCode::parse("GU")?;
/// assert!(geo::unknown_places().any(|place| place.state == Some(guam)));
/// # Ok::<(), dnc_engine::DncError>(())
/// ```
pub fn unknown_places() -> impl ExactSizeIterator<Item = GeoPlace> + Clone + 'static {
    tables::UNKNOWN_PLACES.iter().map(|&(state, zone)| {
        let state = (state != tables::NO_STATE).then_some(StateCode(state));
        GeoPlace {
            state,
            country: state.map_or(Country::Other, StateCode::country),
            zone: TimeZoneId(zone),
        }
    })
}

impl fmt::Debug for ZoneSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

/// The candidate zones of a dialable number: its exchange's zones where a
/// phonenumbers prefix names the exchange (`1NPANXX`), else every zone of
/// its area code ([`AreaCodeInfo::zones`]). Empty for a non-geographic code
/// (whose callee may be at any of [`unknown_places`]).
#[inline]
pub fn phone_zones(phone: Phone) -> Result<ZoneSet, DncError> {
    let (npa, nxx) = AreaCode::of_phone(phone)?;
    Ok(exchange_zones(npa, nxx))
}

/// The candidate zones of exchange `nxx` of `npa` (see [`phone_zones`]).
#[inline]
pub fn exchange_zones(npa: AreaCode, nxx: u16) -> ZoneSet {
    exchange_placement(npa, nxx).0
}

/// Which source decided the zones of exchange `nxx` of `npa`:
/// [`ZoneSource::Exchange`] where a prefix names the exchange, else its
/// area code's [`AreaCodeInfo::zone_source`].
pub fn exchange_zone_source(npa: AreaCode, nxx: u16) -> ZoneSource {
    exchange_placement(npa, nxx).1
}

#[inline]
fn exchange_placement(npa: AreaCode, nxx: u16) -> (ZoneSet, ZoneSource) {
    let row = &tables::AREA_CODES[usize::from(npa.0 - 200)];
    if row.split_len == 0 {
        return (ZoneSet(row.zones), row.zone_source);
    }
    let start = usize::from(row.split_start);
    let runs = &tables::SPLITS[start..start + usize::from(row.split_len)];
    // The last run starting at or before nxx (the first run starts at 000).
    let after = runs.partition_point(|&(_, first, _, _)| first <= nxx);
    let (_, _, zones, source) = runs[after.saturating_sub(1)];
    (ZoneSet(zones), source)
}

/// What the embedded table says about a US ZIP code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZipInfo {
    /// The ZIP code.
    pub zip: Zip,
    /// Its state (`AA`/`AE`/`AP` for military ZIPs).
    pub state: StateCode,
    /// Its IANA zone: one for nearly every ZIP; two for the few on a zone
    /// border where the sources disagree about the clock (every one must
    /// allow a call); none for the military ZIPs.
    pub zones: ZoneSet,
    row: u16,
}

impl ZipInfo {
    /// The area codes the source lists for it (a hint: the source's field is
    /// noisy, and some ZIPs list none).
    pub fn area_codes(&self) -> &'static [u16] {
        let row = usize::from(self.row);
        let (start, end) = (
            tables::ZIP_AREA_START[row] as usize,
            tables::ZIP_AREA_START[row + 1] as usize,
        );
        &tables::ZIP_AREA_CODES[start..end]
    }
}

/// The embedded row of a ZIP code, `None` when the tables do not know it (or
/// it contains `*`).
#[inline]
pub fn zip_info(zip: Zip) -> Option<ZipInfo> {
    let number = zip.number()?;
    let prefix = (number / 100) as usize;
    let low = (number % 100) as u8;
    let (start, end) = (
        usize::from(tables::ZIP3_START[prefix]),
        usize::from(tables::ZIP3_START[prefix + 1]),
    );
    let found = tables::ZIP_LOW2[start..end].binary_search(&low).ok()?;
    let row = start + found;
    Some(ZipInfo {
        zip,
        state: StateCode(tables::ZIP_STATE[row]),
        zones: ZoneSet(tables::ZIP_ZONES[row]),
        row: row as u16,
    })
}

/// How many ZIP rows the tables hold (for the source comparison tests).
#[doc(hidden)]
pub fn zip_row_count() -> usize {
    tables::ZIP_LOW2.len()
}

// Serialized as its text, parsed back through `parse`, so that a change
// read from a log is validated like a line typed by hand.
crate::values::packed::text_value!(StateCode);
crate::values::packed::text_value!(AreaCode);

/// A zone travels as its IANA name, and only a zone of the tables is read
/// back.
#[cfg(feature = "serde")]
impl serde::Serialize for TimeZoneId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for TimeZoneId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<TimeZoneId, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        TimeZoneId::by_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown time zone {name:?}")))
    }
}
