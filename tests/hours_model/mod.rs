//! The naive model of the time rules (SPEC 13, 15), shared by the property
//! test `hours_properties.rs` and the fuzz target `dial_ops`.
//!
//! It reads SPEC 13 literally: at an instant, take each place's local
//! wall-clock time (jiff's zoned conversion, a different path from the
//! engine's), scan every policy, keep the most specific covering ones, and
//! allow when all of them do; the next allowed instant is found by trying
//! every minute for eight days. Geography comes from the embedded tables
//! (checked against their sources in `geo_tables.rs`); where a number or
//! ZIP could be anywhere, the model lists every place itself, from every
//! area code and ZIP of the tables.
#![allow(dead_code, unreachable_pub)]

use dnc_engine::geo::{self, AreaCode, Country, StateCode};
use dnc_engine::jiff::{SignedDuration, Timestamp, tz::TimeZone};
use dnc_engine::{
    ClientId, DayRule, DialRequest, Engine, NewPolicy, NewProfile, Phone, Region, ServiceId,
    TimeOfDay, Window, Zip, ZipAreaMatchType, zip_area_match,
};

pub const NUMBERS: &[&str] = &[
    "4155550100", // CA, Pacific
    "2135550100", // CA
    "2085550100", // ID: Mountain and Pacific
    "2082630100", // ID, Pacific exchange
    "6025550100", // AZ, no DST
    "3035550100", // CO
    "6045550100", // BC: UTC-7 all year from November 2026
    "8502220100", // FL, an exchange no prefix names: Eastern and Central
    "8505950100", // FL, Central exchange
    "3645550100", // KY, the 270 overlay: Eastern and Central
    "2125550100", // NY
    "8675550100", // NT/NU/YT
    "4165550100", // ON
    "8005550100", // toll-free: anywhere
    "5005550100", // 5XX: anywhere
    "9005550100", // 900: anywhere
    "2375550100", // a spare code: anywhere
];

/// Includes Phenix City, Alabama (36867), whose two sources disagree about
/// its clock (both zones are kept), a ZIP the tables lack (00000) and a
/// military one without a zone (09001, AE).
pub const ZIPS: &[&str] = &[
    "94111", "10010", "83702", "85004", "98101", "32501", "36867", "00000", "09001",
];

pub const DAYS: &[&str] = &[
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
    "WEEKDAY",
    "WEEKEND",
    "ALL",
];

/// Regions as (country, state, area code); all consistent.
pub const REGIONS: &[(Option<&str>, Option<&str>, Option<u16>)] = &[
    (Some("USA"), None, None),
    (Some("CANADA"), None, None),
    (None, Some("CA"), None),
    (None, Some("NY"), None),
    (None, Some("ID"), None),
    (None, Some("AZ"), None),
    (None, Some("BC"), None),
    (None, Some("FL"), None),
    (None, Some("NU"), None),
    (None, Some("GU"), None),
    (None, Some("TX"), None),
    (None, Some("AE"), None),
    (None, None, Some(800)),
    (None, None, Some(415)),
    (None, None, Some(208)),
    (None, None, Some(602)),
    (None, None, Some(850)),
    (None, None, Some(604)),
    (None, Some("CA"), Some(415)),
    (Some("USA"), Some("ID"), None),
];

/// Base instants: the US spring-forward and fall-back days, Europe's
/// (unrelated) change day, mid-summer and December after BC's change.
pub const BASES: &[&str] = &[
    "2026-03-07T00:00:00Z",
    "2026-10-31T00:00:00Z",
    "2026-03-28T00:00:00Z",
    "2026-07-15T00:00:00Z",
    "2026-12-01T00:00:00Z",
];

#[derive(Clone, Debug)]
pub struct ModelPolicy {
    pub day: &'static str,
    pub region: (Option<&'static str>, Option<&'static str>, Option<u16>),
    pub do_not_dial: bool,
    pub do_not_leave_message: bool,
    /// Minutes after midnight, start < end <= 1440.
    pub window: Option<(u32, u32)>,
}

pub fn to_library(policy: &ModelPolicy) -> NewPolicy {
    let (country, state, area) = policy.region;
    let region = Region::new(
        country.map(|c| Country::parse(c).unwrap()),
        state.map(|s| StateCode::parse(s).unwrap()),
        area.map(|a| AreaCode::new(a).unwrap()),
    )
    .unwrap();
    let minute = |m: u32| TimeOfDay::from_millis(m * 60_000).unwrap();
    NewPolicy {
        day: DayRule::parse(policy.day).unwrap(),
        region,
        do_not_dial: policy.do_not_dial,
        do_not_leave_message: policy.do_not_leave_message,
        window: policy
            .window
            .map(|(start, end)| Window::new(minute(start), minute(end)).unwrap()),
    }
}

/// A place as the model sees it: names, not indexes.
#[derive(Clone, Debug)]
pub struct ModelPlace {
    pub area_code: Option<u16>,
    pub state: Option<&'static str>,
    pub country: &'static str,
    pub zone: TimeZone,
    pub zone_name: &'static str,
}

pub fn country_name(country: Country) -> &'static str {
    match country {
        Country::Usa => "USA",
        Country::Canada => "CANADA",
        _ => "OTHER",
    }
}

fn place(
    area_code: Option<u16>,
    state: Option<&'static str>,
    country: &'static str,
    zone: &'static str,
) -> ModelPlace {
    ModelPlace {
        area_code,
        state,
        country,
        zone: TimeZone::get(zone).unwrap(),
        zone_name: zone,
    }
}

/// Every (state, country, zone) the tables place a callee in: each state
/// of each area code in each of its zones (no state, country OTHER, for
/// the NANP's other countries), and each ZIP's state in each of its zones,
/// and each state in each zone the tables give it, for the states some
/// area code serves. SPEC 13: a callee of unknown place must be allowed at
/// every one.
pub fn every_known_place() -> &'static [(Option<&'static str>, &'static str, &'static str)] {
    static PLACES: std::sync::OnceLock<Vec<(Option<&'static str>, &'static str, &'static str)>> =
        std::sync::OnceLock::new();
    PLACES.get_or_init(|| {
        let mut places = std::collections::BTreeSet::new();
        let mut served = std::collections::BTreeSet::new();
        for code in 200..=999 {
            let info = AreaCode::new(code).unwrap().info();
            for zone in info.zones.names() {
                if info.states().count() == 0 {
                    places.insert((None, "OTHER", zone));
                }
                for state in info.states() {
                    served.insert(state.as_str());
                    places.insert((Some(state.as_str()), country_name(state.country()), zone));
                }
            }
        }
        for n in 0..100_000u32 {
            let Some(info) = geo::zip_info(Zip::parse(&format!("{n:05}")).unwrap()) else {
                continue;
            };
            let state = info.state.as_str();
            if served.contains(state) {
                for zone in info.zones.names() {
                    places.insert((Some(state), country_name(info.state.country()), zone));
                }
            }
        }
        // And the zones the tables give each state (zone.tab's for a
        // province: NB's Moncton has no area code of its own).
        for state in &served {
            let code = StateCode::parse(state).unwrap();
            for zone in code.zones().names() {
                places.insert((Some(code.as_str()), country_name(code.country()), zone));
            }
        }
        places.into_iter().collect()
    })
}

fn anywhere(area_code: Option<u16>) -> impl Iterator<Item = ModelPlace> {
    every_known_place()
        .iter()
        .map(move |&(state, country, zone)| place(area_code, state, country, zone))
}

pub fn model_places(number: &str, zip: Option<&str>) -> Vec<ModelPlace> {
    let phone = Phone::parse(number).unwrap();
    let code: u16 = number[..3].parse().unwrap();
    let info = AreaCode::new(code).unwrap().info();
    let states: Vec<Option<&'static str>> = match info.states().count() {
        0 => vec![None],
        _ => info.states().map(|s| Some(s.as_str())).collect(),
    };
    let mut places = Vec::new();
    let zones = geo::phone_zones(phone).unwrap();
    if zones.is_empty() {
        places.extend(anywhere(Some(code)));
    }
    for zone in zones.names() {
        for state in &states {
            places.push(place(Some(code), *state, country_name(info.country), zone));
        }
    }
    if let Some(zip) = zip {
        let zip = Zip::parse(zip).unwrap();
        let matched = zip_area_match(
            AreaCode::new(code).unwrap(),
            zip,
            ZipAreaMatchType::DialTime,
        )
        .matched;
        if !matched {
            match geo::zip_info(zip) {
                None => places.extend(anywhere(None)),
                Some(info) => {
                    let state = info.state.as_str();
                    let country = country_name(info.state.country());
                    for zone in info.zones.names() {
                        places.push(place(None, Some(state), country, zone));
                    }
                    if info.zones.is_empty() {
                        // Military: anywhere, and its own "state" everywhere.
                        let mut zones: Vec<&str> =
                            every_known_place().iter().map(|p| p.2).collect();
                        zones.sort_unstable();
                        zones.dedup();
                        for zone in zones {
                            places.push(place(None, Some(state), country, zone));
                        }
                        places.extend(anywhere(None));
                    }
                }
            }
        }
    }
    places
}

pub fn covers_day(rule: &str, weekday: usize) -> bool {
    match rule {
        "WEEKDAY" => weekday < 5,
        "WEEKEND" => weekday >= 5,
        "ALL" => true,
        named => DAYS.iter().position(|d| *d == named) == Some(weekday),
    }
}

pub fn day_rank(rule: &str) -> u8 {
    match rule {
        "ALL" => 1,
        "WEEKDAY" | "WEEKEND" => 2,
        _ => 3,
    }
}

pub fn region_rank(region: &(Option<&str>, Option<&str>, Option<u16>)) -> u8 {
    match region {
        (_, _, Some(_)) => 3,
        (_, Some(_), None) => 2,
        _ => 1,
    }
}

/// (may dial, may leave a message) at one place.
pub fn model_place(policies: &[ModelPolicy], place: &ModelPlace, at: Timestamp) -> (bool, bool) {
    let local = at.to_zoned_datetime(place.zone.clone());
    let weekday = local.weekday().to_monday_zero_offset() as usize;
    let millis = (local.hour() as u64 * 3600 + local.minute() as u64 * 60 + local.second() as u64)
        * 1000
        + local.millisecond() as u64;
    let covering: Vec<&ModelPolicy> = policies
        .iter()
        .filter(|p| covers_day(p.day, weekday))
        .filter(|p| {
            let (country, state, area) = p.region;
            area.is_none_or(|a| place.area_code == Some(a))
                && state.is_none_or(|s| place.state == Some(s))
                && country.is_none_or(|c| place.country == c)
        })
        .collect();
    let Some(best) = covering
        .iter()
        .map(|p| (region_rank(&p.region), day_rank(p.day)))
        .max()
    else {
        let allowed = (8 * 3_600_000..21 * 3_600_000).contains(&millis);
        return (allowed, allowed);
    };
    let tied: Vec<&&ModelPolicy> = covering
        .iter()
        .filter(|p| (region_rank(&p.region), day_rank(p.day)) == best)
        .collect();
    let may_dial = tied.iter().all(|p| {
        !p.do_not_dial
            && p.window.is_none_or(|(start, end)| {
                (u64::from(start) * 60_000..u64::from(end) * 60_000).contains(&millis)
            })
    });
    (
        may_dial,
        may_dial && tied.iter().all(|p| !p.do_not_leave_message),
    )
}

pub fn model_allows(policies: &[ModelPolicy], places: &[ModelPlace], at: Timestamp) -> bool {
    places
        .iter()
        .all(|place| model_place(policies, place, at).0)
}

/// `model_allows`, trying first the place that blocked last time: the same
/// answer (every place must allow), found sooner when a number has a
/// hundred places and one of them blocks minute after minute.
fn model_allows_from(
    policies: &[ModelPolicy],
    places: &[ModelPlace],
    at: Timestamp,
    last_blocking: &mut usize,
) -> bool {
    if !model_place(policies, &places[*last_blocking], at).0 {
        return false;
    }
    match places
        .iter()
        .position(|place| !model_place(policies, place, at).0)
    {
        Some(blocking) => {
            *last_blocking = blocking;
            false
        }
        None => true,
    }
}

pub fn model_next(
    policies: &[ModelPolicy],
    places: &[ModelPlace],
    at: Timestamp,
) -> Option<Timestamp> {
    if model_allows(policies, places, at) {
        return Some(at);
    }
    let horizon = at + SignedDuration::from_hours(8 * 24);
    // Every change happens on a whole minute (quarter-hour windows, whole
    // minute offsets): try each minute after `at`.
    let first = at.as_second().div_euclid(60) * 60 + 60;
    let mut last_blocking = 0;
    (0..)
        .map(|i| Timestamp::from_second(first + 60 * i).unwrap())
        .take_while(|t| *t <= horizon)
        .find(|t| model_allows_from(policies, places, *t, &mut last_blocking))
}

/// One random setting: a profile, a number, maybe a ZIP, an instant, and
/// more instants to probe.
#[derive(Clone, Debug)]
pub struct Case {
    pub policies: Vec<ModelPolicy>,
    pub number: usize,
    pub zip: Option<usize>,
    pub base: usize,
    pub offset_ms: i64,
    pub probes: Vec<i64>,
}

/// A policy from raw picks (for the fuzz target): indexes wrap, windows are
/// quarter hours, an empty window becomes none.
pub fn policy_from_picks(
    day: u8,
    region: u8,
    dnd: bool,
    dnlm: bool,
    window: Option<(u8, u8)>,
) -> ModelPolicy {
    ModelPolicy {
        day: DAYS[day as usize % DAYS.len()],
        region: REGIONS[region as usize % REGIONS.len()],
        do_not_dial: dnd,
        do_not_leave_message: dnlm,
        window: window
            .map(|(start, len)| {
                (
                    u32::from(start % 96),
                    u32::from(start % 96) + 1 + u32::from(len % 96),
                )
            })
            .map(|(start, end)| (start * 15, end.min(96) * 15))
            .filter(|(start, end)| start < end),
    }
}

/// Runs `case` on a fresh engine and compares every answer with the model.
pub fn check(case: &Case) -> Result<(), String> {
    let Case {
        policies,
        number,
        zip,
        base,
        offset_ms,
        probes,
    } = case;
    // A disagreement: engine answer, model answer, where.
    macro_rules! agree {
        ($engine:expr, $model:expr, $($context:tt)*) => {{
            let (engine, model) = (&$engine, &$model);
            if engine != model {
                return Err(format!(
                    "engine {engine:?} != model {model:?}: {}",
                    format!($($context)*)
                ));
            }
        }};
    }
    let client = ClientId::new(1).unwrap();
    let service = ServiceId::new(1).unwrap();
    let mut engine = Engine::new();
    engine.register_service(client, service).unwrap();
    let profile = engine
        .profile_create(
            Some(client),
            NewProfile {
                client: Some(client),
                name: "random".to_owned(),
                description: None,
                client_default: false,
                policies: policies.iter().map(to_library).collect(),
            },
        )
        .unwrap();
    engine
        .profile_assign_service(Some(client), profile, service)
        .unwrap();
    engine.validate()?;

    let number_text = NUMBERS[*number % NUMBERS.len()];
    let zip_text = zip.map(|z| ZIPS[z % ZIPS.len()]);
    let places = model_places(number_text, zip_text);
    let at = BASES[*base % BASES.len()].parse::<Timestamp>().unwrap()
        + SignedDuration::from_millis(*offset_ms);
    let mut request = DialRequest::new(service, Phone::parse(number_text).unwrap(), at);
    if let Some(zip) = zip_text {
        request = request.zip(Zip::parse(zip).unwrap());
    }
    let decision = engine.dial_decision(&request).unwrap();

    // The same places, in any order: (area code, state, country, zone).
    let mut engine_places: Vec<_> = decision.hours.places.iter().collect();
    engine_places.sort_by_key(|p| {
        let place = p.place;
        let state = place.state.map(StateCode::as_str);
        (
            place.area_code.map(AreaCode::get),
            state,
            country_name(place.country),
            place.zone.name(),
        )
    });
    let mut places = places;
    places.sort_by_key(|p| (p.area_code, p.state, p.country, p.zone_name));
    let keys: Vec<_> = engine_places
        .iter()
        .map(|p| {
            let place = p.place;
            let state = place.state.map(StateCode::as_str);
            (
                place.area_code.map(AreaCode::get),
                state,
                country_name(place.country),
                place.zone.name(),
            )
        })
        .collect();
    let model_keys: Vec<_> = places
        .iter()
        .map(|p| (p.area_code, p.state, p.country, p.zone_name))
        .collect();
    agree!(
        keys,
        model_keys,
        "the places of {number_text} (zip {zip_text:?})"
    );
    for (got, place) in engine_places.into_iter().zip(&places) {
        let (may_dial, may_leave) = model_place(policies, place, at);
        agree!(got.may_dial, may_dial, "may dial at {got:?}, {at}");
        agree!(
            got.may_leave_message,
            may_leave,
            "may leave a message at {got:?}, {at}"
        );
    }
    // The profile's hours (the calling laws on top of them have a model
    // of their own, `law_model`).
    agree!(
        decision.hours.may_dial(),
        model_allows(policies, &places, at),
        "allowed at {at}"
    );
    let next = model_next(policies, &places, at);
    agree!(decision.hours.next_allowed, next, "next allowed from {at}");
    // The engine's next allowed instant is allowed by the engine too.
    if let Some(next) = decision.hours.next_allowed {
        let again = engine
            .dial_decision(&DialRequest {
                at: next,
                ..request
            })
            .unwrap();
        agree!(
            again.hours.may_dial(),
            true,
            "at the next allowed instant {next}"
        );
    }
    // More instants of the same setting, across the whole week.
    for &probe in probes {
        let at = at + SignedDuration::from_millis(probe);
        let decision = engine
            .dial_decision(&DialRequest { at, ..request })
            .unwrap();
        agree!(
            decision.hours.may_dial(),
            model_allows(policies, &places, at),
            "allowed at {at}"
        );
    }
    Ok(())
}
