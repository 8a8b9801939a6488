//! SPEC 12: the embedded geography agrees with its sources, row for row, and
//! with known facts.
//!
//! The NANPA report and the phonenumbers extract are committed under
//! `data/geo/`, so their comparisons always run. The ZIP source extract
//! (`data/geo/cache/zipcodes.csv`, 2 MB) is written by `tools/geodata.py`
//! and not committed: its comparison runs when it is present.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use dnc_engine::geo::{self, AreaCode, Country, StateCode, TimeZoneId, ZoneSource};
use dnc_engine::{Phone, Zip};

fn source(path: &str) -> Option<String> {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).ok()
}

/// Splits a CSV line; the sources quote fields that hold commas.
fn csv_fields(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The NANPA report's rows by area code: (LOCATION, COUNTRY, IN_SERVICE, USE, TIME_ZONE).
fn nanpa_rows() -> BTreeMap<u16, BTreeMap<String, String>> {
    let text = source("data/geo/nanpa-npa-report-2025-11-26.csv").expect("committed source");
    // Rows may span lines inside quotes; join until quotes balance.
    let mut records: Vec<String> = Vec::new();
    let mut pending = String::new();
    for line in text.lines().skip(1) {
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(line);
        if pending.matches('"').count() % 2 == 0 {
            records.push(std::mem::take(&mut pending));
        }
    }
    let header = csv_fields(&records[0]);
    records[1..]
        .iter()
        .map(|record| {
            let row: BTreeMap<String, String> = header
                .iter()
                .cloned()
                .zip(csv_fields(record).into_iter().map(|v| v.trim().to_owned()))
                .collect();
            (row["NPA_ID"].parse().expect("NPA_ID is a number"), row)
        })
        .collect()
}

fn canadian_codes(location: &str) -> Vec<&'static str> {
    match location {
        "ALBERTA" => vec!["AB"],
        "BRITISH COLUMBIA" => vec!["BC"],
        "MANITOBA" => vec!["MB"],
        "NEW BRUNSWICK" => vec!["NB"],
        "NEWFOUNDLAND AND LABRADOR" => vec!["NL"],
        "NORTHWEST TERRITORIES -YUKON - NUNAVUT" => vec!["NT", "NU", "YT"],
        "NOVA SCOTIA - PRINCE EDWARD ISLAND" => vec!["NS", "PE"],
        "ONTARIO" => vec!["ON"],
        "QUEBEC" => vec!["QC"],
        "SASKATCHEWAN" => vec!["SK"],
        _ => vec![],
    }
}

#[test]
fn every_area_code_agrees_with_the_nanpa_report() {
    let rows = nanpa_rows();
    assert_eq!(rows.len(), 800, "the report lists 200..=999");
    for (&npa, row) in &rows {
        let info = AreaCode::new(npa).unwrap().info();
        assert_eq!(info.location, row["LOCATION"], "{npa} location");
        assert_eq!(
            info.in_service,
            row["IN_SERVICE"] == "Y",
            "{npa} in service"
        );
        assert_eq!(info.geographic, row["USE"] == "G", "{npa} use");
        let country = match row["COUNTRY"].as_str() {
            "US" => Country::Usa,
            "CANADA" => Country::Canada,
            "" => Country::None,
            _ => Country::Other,
        };
        assert_eq!(info.country, country, "{npa} country");
        let location = row["LOCATION"].as_str();
        let expected: Vec<&str> = match country {
            Country::Canada => canadian_codes(location),
            Country::Usa if location == "CNMI" => vec!["MP"],
            Country::Usa if location.len() == 2 => vec![location],
            _ => vec![],
        };
        let states: Vec<&str> = info.states().map(StateCode::as_str).collect();
        assert_eq!(states, expected, "{npa} states");
    }
}

/// The phonenumbers extract: prefix -> zones.
fn phonenumbers_prefixes() -> BTreeMap<String, BTreeSet<String>> {
    let text = source("data/geo/phonenumbers-nanp-tz.csv").expect("committed source");
    text.lines()
        .skip(1)
        .map(|line| {
            let (prefix, zones) = line.split_once(',').expect("two columns");
            (
                prefix.to_owned(),
                zones.split(' ').map(str::to_owned).collect(),
            )
        })
        .collect()
}

/// The standard offsets (minutes) of a NANPA `TIME_ZONE` cell: one per
/// letter, or the few cells written out (tools/geodata.py reads the same).
fn nanpa_offsets(cell: &str) -> Vec<i32> {
    match cell {
        "" => vec![],
        "AK" => vec![-540],
        "(UTC+10)" => vec![600],
        "(UTC-10)" => vec![-600],
        "UTC-11" => vec![-660],
        "PT/MT only for W Wendover" => vec![-480, -420],
        letters => letters
            .chars()
            .map(|letter| match letter {
                'E' => -300,
                'C' => -360,
                'M' => -420,
                'P' => -480,
                'A' => -240,
                'N' => -210,
                _ => panic!("TIME_ZONE {cell:?} not read"),
            })
            .collect(),
    }
}

/// A zone's standard offset in minutes: its offset in January 2025, before
/// any of the 2026 rule changes.
fn standard_offset(zone: &str) -> i32 {
    let january = "2025-01-15T12:00:00Z"
        .parse::<dnc_engine::jiff::Timestamp>()
        .unwrap();
    dnc_engine::jiff::tz::TimeZone::get(zone)
        .unwrap()
        .to_offset(january)
        .seconds()
        / 60
}

/// The zones of each state: its ZIPs' (the embedded ZIP rows, compared with
/// their source below) for a US state or territory; those zone.tab names
/// for a Canadian province (the committed extract).
fn state_zones() -> BTreeMap<String, BTreeSet<String>> {
    let mut zones: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for n in 0..100_000u32 {
        if let Some(info) = geo::zip_info(Zip::parse(&format!("{n:05}")).unwrap()) {
            let state = zones.entry(info.state.as_str().to_owned()).or_default();
            state.extend(info.zones.names().map(str::to_owned));
        }
    }
    let text = source("data/geo/iana-canada-zones.csv").expect("committed extract");
    for line in text.lines().skip(1) {
        let fields = csv_fields(line);
        for province in fields[1].split(' ') {
            zones
                .entry(province.to_owned())
                .or_default()
                .insert(fields[0].clone());
        }
    }
    zones
}

fn names(set: geo::ZoneSet) -> BTreeSet<String> {
    set.names().map(str::to_owned).collect()
}

/// The phonenumbers prefixes of `npa`.
fn prefixes_of(
    prefixes: &BTreeMap<String, BTreeSet<String>>,
    npa: u16,
) -> BTreeMap<String, BTreeSet<String>> {
    prefixes
        .iter()
        .filter(|(prefix, _)| prefix[1..4] == npa.to_string())
        .map(|(prefix, zones)| (prefix.clone(), zones.clone()))
        .collect()
}

/// Each code's own zones and source, before the overlay merge: the rule of
/// tools/geodata.py, re-derived. With states, phonenumbers' zones and every
/// zone of the code's states whose standard offset NANPA's letters or
/// phonenumbers give (also where the two agree on the offset: phonenumbers'
/// 474 is Winnipeg, Saskatchewan keeps Regina's clock); without a state,
/// phonenumbers' zones. Phonenumbers decided where the sources agree and
/// the states add nothing.
fn own_zones() -> BTreeMap<u16, (BTreeSet<String>, ZoneSource)> {
    let prefixes = phonenumbers_prefixes();
    let states = state_zones();
    let mut own = BTreeMap::new();
    for (npa, row) in nanpa_rows() {
        let info = AreaCode::new(npa).unwrap().info();
        let phonenumbers: BTreeSet<String> = prefixes_of(&prefixes, npa)
            .into_values()
            .flatten()
            .collect();
        let nanpa: BTreeSet<i32> = nanpa_offsets(&row["TIME_ZONE"]).into_iter().collect();
        let offsets: BTreeSet<i32> = phonenumbers.iter().map(|z| standard_offset(z)).collect();
        let (zones, source) = if info.states().count() == 0 {
            let source = if phonenumbers.is_empty() {
                ZoneSource::Unknown
            } else {
                ZoneSource::Phonenumbers
            };
            (phonenumbers, source)
        } else {
            // The states' zones come in where the sources disagree, or
            // where phonenumbers names a zone outside the code's states
            // (474's America/Winnipeg for Saskatchewan); where they agree
            // and stay in the states, phonenumbers' zones stand.
            let agree = !phonenumbers.is_empty() && nanpa.len() == 1 && offsets == nanpa;
            let in_states: BTreeSet<&String> = info
                .states()
                .flat_map(|state| states.get(state.as_str()).into_iter().flatten())
                .collect();
            let outside = phonenumbers.iter().any(|zone| !in_states.contains(zone));
            let wanted: BTreeSet<i32> = if agree && !outside {
                BTreeSet::new()
            } else {
                nanpa.union(&offsets).copied().collect()
            };
            let mut zones = phonenumbers.clone();
            for state in info.states() {
                zones.extend(
                    states
                        .get(state.as_str())
                        .into_iter()
                        .flatten()
                        .filter(|zone| wanted.contains(&standard_offset(zone)))
                        .cloned(),
                );
            }
            let source = if zones.is_empty() {
                ZoneSource::Unknown
            } else if phonenumbers.is_empty() {
                ZoneSource::Nanpa
            } else if agree && zones == phonenumbers {
                ZoneSource::Phonenumbers
            } else {
                ZoneSource::PhonenumbersAndNanpa
            };
            (zones, source)
        };
        own.insert(npa, (zones, source));
    }
    own
}

/// The codes each code shares an area with: those that list it in NANPA's
/// `OVERLAY_COMPLEX` and that it lists in its own (a cell may hold several
/// complexes, `404/470/678/943, 470/678/770/943`).
fn shared_areas() -> BTreeMap<u16, BTreeSet<u16>> {
    let complexes: BTreeMap<u16, BTreeSet<u16>> = nanpa_rows()
        .into_iter()
        .map(|(npa, row)| {
            let codes = row["OVERLAY_COMPLEX"]
                .split(|c: char| !c.is_ascii_digit())
                .filter(|code| !code.is_empty())
                .map(|code| {
                    assert_eq!(code.len(), 3, "{npa}: {:?}", row["OVERLAY_COMPLEX"]);
                    code.parse().unwrap()
                })
                .collect();
            (npa, codes)
        })
        .collect();
    complexes
        .iter()
        .map(|(&npa, codes)| {
            let shared = codes
                .iter()
                .copied()
                .filter(|other| {
                    *other != npa && complexes.get(other).is_some_and(|c| c.contains(&npa))
                })
                .collect();
            (npa, shared)
        })
        .collect()
}

#[test]
fn every_area_code_takes_every_zone_either_source_gives_where_they_do_not_agree() {
    // A code's own zones (above), plus the own zones of every code it
    // shares an area with (not transitive); a code without a zone of its
    // own keeps none, so its callee may be anywhere.
    let own = own_zones();
    let shared = shared_areas();
    let mut decided = BTreeMap::new();
    for (&npa, (zones, source)) in &own {
        let info = AreaCode::new(npa).unwrap().info();
        let mut expected = zones.clone();
        if !zones.is_empty() {
            for other in &shared[&npa] {
                expected.extend(own[other].0.iter().cloned());
            }
        }
        let source = if expected.len() > zones.len() {
            ZoneSource::Overlay
        } else {
            *source
        };
        assert_eq!(names(info.zones), expected, "{npa} zones");
        assert_eq!(info.zone_source, source, "{npa} source");
        *decided.entry(format!("{source:?}")).or_insert(0) += 1;
    }
    // Every rule decides some code.
    assert_eq!(decided.len(), 5, "{decided:?}");
}

/// The defect found after issue 10: an overlay had one zone where the area
/// it overlays spans several (930 over 812: Eastern only). For every pair
/// of codes that list each other in NANPA's OVERLAY_COMPLEX, every exchange
/// of one that no 1NPANXX prefix places has every own zone of the other.
#[test]
fn an_unplaced_exchange_of_an_overlay_has_every_zone_of_the_codes_sharing_its_area() {
    let prefixes = phonenumbers_prefixes();
    let own = own_zones();
    let mut pairs = 0;
    for (npa, others) in shared_areas() {
        let code = AreaCode::new(npa).unwrap();
        for other in others {
            pairs += 1;
            let theirs = &own[&other].0;
            if own[&npa].0.is_empty() {
                // No zone of its own: every place (unknown_places).
                assert!(code.info().zones.is_empty(), "{npa}");
                continue;
            }
            for nxx in 0..1000u16 {
                if prefixes.contains_key(&format!("1{npa}{nxx:03}")) {
                    continue;
                }
                let zones = names(geo::exchange_zones(code, nxx));
                assert!(
                    zones.is_superset(theirs),
                    "{npa}-{nxx:03} lacks {:?}, zones of {other}, which shares its area",
                    theirs.difference(&zones).collect::<Vec<_>>()
                );
            }
        }
    }
    // Ordered pairs, both ways: the report has 295 pairs of codes that
    // share an area.
    assert_eq!(pairs, 2 * 295);
}

/// The four calls the tester found allowed, through the public API with
/// the standard hours (08:00-21:00 at every place the callee may be).
#[test]
fn the_overlays_of_multi_zone_areas_refuse_the_calls_their_areas_forbid() {
    use dnc_engine::jiff::Timestamp;
    use dnc_engine::{ClientId, DialRequest, Engine, ServiceId};
    let service = ServiceId::new(70).unwrap();
    let mut engine = Engine::new();
    engine
        .register_service(ClientId::new(7).unwrap(), service)
        .unwrap();
    let cases = [
        // 930 over 812: 12:30Z is 08:30 Eastern, 07:30 in Evansville.
        (
            "9305550100",
            "2026-06-01T12:30:00Z",
            "America/Chicago",
            "2026-06-01T13:00:00Z",
        ),
        // 778 over 250: 03:30Z is 20:30 in Vancouver, 21:30 in Cranbrook.
        (
            "7785550100",
            "2026-06-02T03:30:00Z",
            "America/Edmonton",
            "2026-06-02T15:00:00Z",
        ),
        // 581 over 418: 00:30Z is 20:30 in Quebec City, 21:30 on the
        // Magdalen Islands.
        (
            "5815550100",
            "2026-06-02T00:30:00Z",
            "America/Halifax",
            "2026-06-02T12:00:00Z",
        ),
        // 474 over 306 and 639: 13:30Z is 08:30 in Winnipeg, 07:30 in
        // Regina (no daylight time).
        (
            "4745550100",
            "2026-06-01T13:30:00Z",
            "America/Regina",
            "2026-06-01T14:00:00Z",
        ),
    ];
    for (number, instant, forbidding, next) in cases {
        let phone = Phone::parse(number).unwrap();
        let at: Timestamp = instant.parse().unwrap();
        let hours = engine.dialing_hours(service, phone, at).unwrap();
        assert!(!hours.may_dial(), "{number} at {instant}: {hours:?}");
        assert!(
            hours
                .places
                .iter()
                .any(|place| place.place.zone.name() == forbidding && !place.may_dial),
            "{number}: {forbidding} does not refuse: {hours:?}"
        );
        assert_eq!(hours.next_allowed, Some(next.parse().unwrap()), "{number}");
        let decision = engine
            .dial_decision(&DialRequest::new(service, phone, at))
            .unwrap();
        assert!(!decision.allowed(), "{number} at {instant}");
    }
    // The codes gained exactly what the areas they overlay hold, no more.
    let zones = |npa: u16| names(AreaCode::new(npa).unwrap().info().zones);
    for (npa, from) in [
        (930, 812),
        (236, 250),
        (257, 250),
        (672, 250),
        (778, 250),
        (581, 418),
        (367, 418),
    ] {
        assert!(zones(npa).is_superset(&zones(from)), "{npa} over {from}");
        assert_eq!(
            AreaCode::new(npa).unwrap().info().zone_source,
            ZoneSource::Overlay,
            "{npa}"
        );
    }
    for npa in [306, 474, 639] {
        assert!(zones(npa).contains("America/Regina"), "{npa}");
    }
    // 604 and 250 do not share an area (neither lists the other): 604
    // keeps Vancouver alone.
    assert_eq!(
        zones(604).into_iter().collect::<Vec<_>>(),
        ["America/Vancouver"]
    );
}

#[test]
fn every_exchange_takes_its_own_prefix_else_every_zone_of_its_area_code() {
    // Only a prefix naming the exchange (1NPANXX) places it; the 1NPA
    // default and the 1NPAN/1NPANX ranges do not.
    let prefixes = phonenumbers_prefixes();
    let mut checked = 0;
    for npa in 200..=999u16 {
        let code = AreaCode::new(npa).unwrap();
        let info = code.info();
        for nxx in 0..1000u16 {
            let digits = format!("1{npa}{nxx:03}");
            let (expected, source) = match prefixes.get(&digits) {
                Some(zones) => (zones.clone(), ZoneSource::Exchange),
                None => (names(info.zones), info.zone_source),
            };
            assert_eq!(names(geo::exchange_zones(code, nxx)), expected, "{digits}");
            assert_eq!(geo::exchange_zone_source(code, nxx), source, "{digits}");
            checked += 1;
        }
    }
    assert_eq!(checked, 800_000);
}

/// Issue 10, section 4: an exchange the data does not place took the
/// phonenumbers default zone of its area code (one zone) where NANPA gives
/// the code several. For every code whose TIME_ZONE names several zones,
/// every exchange no 1NPANXX prefix places must have every zone of the
/// code, with a zone for each of NANPA's letters.
#[test]
fn an_unplaced_exchange_of_a_multi_zone_area_code_gets_every_zone() {
    let prefixes = phonenumbers_prefixes();
    let mut codes = 0;
    for (npa, row) in nanpa_rows() {
        let nanpa: BTreeSet<i32> = nanpa_offsets(&row["TIME_ZONE"]).into_iter().collect();
        if nanpa.len() < 2 {
            continue;
        }
        codes += 1;
        let code = AreaCode::new(npa).unwrap();
        let whole = names(code.info().zones);
        for nxx in 0..1000u16 {
            if prefixes.contains_key(&format!("1{npa}{nxx:03}")) {
                continue;
            }
            let zones = names(geo::exchange_zones(code, nxx));
            assert!(zones.is_superset(&whole), "{npa}-{nxx:03}: {zones:?}");
            let offsets: BTreeSet<i32> = zones.iter().map(|z| standard_offset(z)).collect();
            assert!(
                offsets.is_superset(&nanpa),
                "{npa}-{nxx:03}: {zones:?} lack one of {}",
                row["TIME_ZONE"]
            );
        }
    }
    // 24 codes: 23 lettered ones (EC, CM, MP, CMP) and 775's "PT/MT".
    assert_eq!(codes, 24);
}

/// An exchange of `npa` that no phonenumbers prefix names.
fn unlisted_exchange(npa: u16) -> geo::ZoneSet {
    let prefixes = phonenumbers_prefixes();
    let nxx = (200..1000u16)
        .find(|nxx| !prefixes.contains_key(&format!("1{npa}{nxx:03}")))
        .unwrap();
    geo::exchange_zones(AreaCode::new(npa).unwrap(), nxx)
}

#[test]
fn the_overlays_364_and_448_include_central_time() {
    // 364 (over 270, western Kentucky) and 448 (over 850, the Florida
    // panhandle): phonenumbers gives each one prefix, Eastern; NANPA "EC".
    for npa in [364, 448] {
        let zones = names(unlisted_exchange(npa));
        assert!(zones.contains("America/Chicago"), "{npa}: {zones:?}");
        assert!(zones.contains("America/New_York"), "{npa}: {zones:?}");
        assert_eq!(
            AreaCode::new(npa).unwrap().info().zone_source,
            ZoneSource::PhonenumbersAndNanpa
        );
    }
}

#[test]
fn unlisted_867_exchanges_include_iqaluit_yukon_and_the_northwest_territories() {
    // phonenumbers' 867 default is America/Fort_Nelson (UTC-7) for the
    // three territories alike; Iqaluit keeps Eastern time.
    let zones = names(unlisted_exchange(867));
    assert!(zones.contains("America/Iqaluit"), "{zones:?}");
    assert!(zones.contains("America/Whitehorse"), "Yukon: {zones:?}");
    assert!(
        zones.contains("America/Edmonton") && zones.contains("America/Inuvik"),
        "Northwest Territories: {zones:?}"
    );
    assert!(zones.contains("America/Rankin_Inlet"), "{zones:?}");
    // Iqaluit's own exchange (979) is placed by its prefix.
    let iqaluit = geo::exchange_zones(AreaCode::new(867).unwrap(), 979);
    assert_eq!(iqaluit.names().collect::<Vec<_>>(), ["America/Toronto"]);
}

#[test]
fn the_multi_zone_area_codes_of_issue_10_get_both_zones_when_unlisted() {
    let eastern_central = ["America/New_York", "America/Chicago"];
    let central_mountain = ["America/Chicago", "America/Denver"];
    let mountain_pacific = ["America/Boise", "America/Los_Angeles"];
    let cases: [(u16, [&str; 2]); 16] = [
        (850, eastern_central),
        (270, eastern_central),
        (219, eastern_central),
        (574, eastern_central),
        (606, eastern_central),
        (812, eastern_central),
        (906, ["America/Detroit", "America/Menominee"]),
        (308, central_mountain),
        (620, central_mountain),
        (785, central_mountain),
        (541, mountain_pacific),
        (807, ["America/Toronto", "America/Winnipeg"]),
        (423, eastern_central),
        (458, mountain_pacific),
        (915, central_mountain),
        (931, eastern_central),
    ];
    for (npa, expected) in cases {
        let zones = names(unlisted_exchange(npa));
        for zone in expected {
            assert!(zones.contains(zone), "{npa}: {zones:?} lacks {zone}");
        }
    }
}

#[test]
fn every_zip_agrees_with_the_zipcodes_extract_when_present() {
    let Some(text) = source("data/geo/cache/zipcodes.csv") else {
        eprintln!(
            "data/geo/cache/zipcodes.csv absent (run tools/geodata.py): ZIP rows not compared"
        );
        return;
    };
    let mut lines = text.lines();
    let header = csv_fields(lines.next().unwrap());
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (zip_at, state_at, codes_at) = (column("zip"), column("state"), column("area_codes"));
    let (zipcodes_at, ziptz_at) = (column("zipcodes_zone"), column("ziptz_zone"));
    // The rule of tools/geodata.py, re-derived here with jiff: the zipcodes
    // zone when valid, plus ziptz-us's when it keeps another clock over
    // 2025-2030 (offsets every 6 hours).
    let mut clocks: BTreeMap<String, Vec<i32>> = BTreeMap::new();
    let mut clock = |name: &str| -> Vec<i32> {
        clocks
            .entry(name.to_owned())
            .or_insert_with(|| {
                let tz = dnc_engine::jiff::tz::TimeZone::get(name).unwrap();
                (0..6 * 1461)
                    .map(|i| {
                        let at =
                            dnc_engine::jiff::Timestamp::from_second(1_735_689_600 + i * 21_600)
                                .unwrap();
                        tz.to_offset(at).seconds()
                    })
                    .collect()
            })
            .clone()
    };
    let mut rows = 0;
    for line in lines {
        let fields = csv_fields(line);
        let info = geo::zip_info(Zip::parse(&fields[zip_at]).unwrap())
            .unwrap_or_else(|| panic!("{} missing", fields[zip_at]));
        assert_eq!(
            info.state.as_str(),
            fields[state_at],
            "{} state",
            fields[zip_at]
        );
        let (first, second) = (&fields[zipcodes_at], &fields[ziptz_at]);
        let mut expected: BTreeSet<String> = BTreeSet::new();
        if dnc_engine::jiff::tz::TimeZone::get(first).is_ok() {
            expected.insert(first.clone());
        }
        if !second.is_empty() && (expected.is_empty() || clock(first) != clock(second)) {
            expected.insert(second.clone());
        }
        let got: BTreeSet<String> = info.zones.names().map(str::to_owned).collect();
        assert_eq!(got, expected, "{} zones", fields[zip_at]);
        let codes: Vec<u16> = fields[codes_at]
            .split(' ')
            .filter(|c| !c.is_empty())
            .map(|c| c.parse().unwrap())
            .collect();
        assert_eq!(info.area_codes(), codes, "{} area codes", fields[zip_at]);
        rows += 1;
    }
    assert_eq!(rows, geo::zip_row_count(), "no extra rows embedded");
}

#[test]
fn every_zone_is_in_the_bundled_time_zone_database() {
    for zone in TimeZoneId::all() {
        assert!(
            dnc_engine::jiff::tz::TimeZone::get(zone.name()).is_ok(),
            "{zone} is not in jiff's bundled database"
        );
    }
}

#[test]
fn spot_checks_of_known_facts() {
    let sf = AreaCode::new(415).unwrap().info();
    assert_eq!(
        sf.states().map(StateCode::as_str).collect::<Vec<_>>(),
        ["CA"]
    );
    assert_eq!(sf.country, Country::Usa);
    assert_eq!(
        sf.zones.names().collect::<Vec<_>>(),
        ["America/Los_Angeles"]
    );

    let idaho = AreaCode::new(208).unwrap().info();
    let zones: Vec<&str> = idaho.zones.names().collect();
    assert!(zones.contains(&"America/Boise"), "{zones:?}");
    assert!(zones.contains(&"America/Los_Angeles"), "{zones:?}");
    // 208-201 is Mountain, 208-263 Pacific (each named by its own prefix).
    let mountain = geo::phone_zones(Phone::parse("2082010000").unwrap()).unwrap();
    assert_eq!(mountain.names().collect::<Vec<_>>(), ["America/Denver"]);
    let pacific = geo::phone_zones(Phone::parse("2082630000").unwrap()).unwrap();
    assert_eq!(pacific.names().collect::<Vec<_>>(), ["America/Los_Angeles"]);
    // Boise (208-334) lies in a range phonenumbers gives Mountain (12083),
    // not in an exchange of its own: every zone of 208.
    let boise = geo::phone_zones(Phone::parse("2083340000").unwrap()).unwrap();
    assert_eq!(boise, AreaCode::new(208).unwrap().info().zones);

    // 850 (Florida panhandle) spans Eastern and Central.
    let panhandle: Vec<&str> = AreaCode::new(850).unwrap().info().zones.names().collect();
    assert!(panhandle.contains(&"America/New_York") && panhandle.contains(&"America/Chicago"));

    let zip = |z: &str| geo::zip_info(Zip::parse(z).unwrap()).unwrap();
    assert_eq!(zip("94111").state.as_str(), "CA");
    let zones = |z: &str| zip(z).zones.names().collect::<Vec<_>>();
    assert_eq!(zones("94111"), ["America/Los_Angeles"]);
    assert!(zip("94111").area_codes().contains(&415));
    assert_eq!(zip("10010").state.as_str(), "NY");
    assert_eq!(zones("10010"), ["America/New_York"]);
    // Phenix City, Alabama (36867) keeps Eastern time though Alabama is
    // Central: the sources disagree, so both zones are kept.
    assert_eq!(zones("36867").len(), 2, "{:?}", zones("36867"));
    // Military ZIPs have no zone.
    assert!(zip("09001").zones.is_empty());
    assert!(geo::zip_info(Zip::parse("00000").unwrap()).is_none());
    assert!(geo::zip_info(Zip::parse("9411*").unwrap()).is_none());

    // Canada: 604 is British Columbia; 867 spans three territories.
    let bc = AreaCode::new(604).unwrap().info();
    assert_eq!(bc.country, Country::Canada);
    assert_eq!(
        bc.states().map(StateCode::as_str).collect::<Vec<_>>(),
        ["BC"]
    );
    assert_eq!(
        AreaCode::new(867)
            .unwrap()
            .info()
            .states()
            .map(StateCode::as_str)
            .collect::<Vec<_>>(),
        ["NT", "NU", "YT"]
    );
    // Toll-free: no state, no zone.
    let toll_free = AreaCode::new(800).unwrap().info();
    assert!(!toll_free.geographic && toll_free.zones.is_empty());
    assert_eq!(toll_free.country, Country::None);
    // Arizona keeps no daylight saving time; the Navajo Nation, whose ZIPs
    // keep America/Denver, is in 928, whose exchanges phonenumbers places.
    // Where NANPA and phonenumbers agree and phonenumbers' zone lies in the
    // state, 602 is not held to a zone it does not serve.
    assert_eq!(
        AreaCode::new(602)
            .unwrap()
            .info()
            .zones
            .names()
            .collect::<BTreeSet<_>>(),
        BTreeSet::from(["America/Phoenix"])
    );
}

#[test]
fn the_sources_are_recorded() {
    let names: Vec<&str> = geo::SOURCES.iter().map(|s| s.name).collect();
    assert!(names.iter().any(|n| n.contains("NANPA")));
    assert!(names.iter().any(|n| n.contains("phonenumbers")));
    assert!(names.iter().any(|n| n.contains("zipcodes")));
    assert!(
        geo::SOURCES
            .iter()
            .all(|s| !s.version.is_empty() && !s.license.is_empty())
    );
}

#[test]
fn same_clock_agrees_with_offsets_sampled_every_half_hour() {
    use dnc_engine::jiff::Timestamp;
    use dnc_engine::same_clock;
    // 2025-01-01 to 2031-01-01, every 30 minutes.
    let (from, until) = (1_735_689_600_i64, 1_924_992_000_i64);
    let offsets = |zone: TimeZoneId| -> Vec<i32> {
        let tz = zone.time_zone();
        (from..until)
            .step_by(1800)
            .map(|second| {
                tz.to_offset(Timestamp::from_second(second).unwrap())
                    .seconds()
            })
            .collect()
    };
    let zones: Vec<TimeZoneId> = TimeZoneId::all().collect();
    let sampled: Vec<Vec<i32>> = zones.iter().map(|&zone| offsets(zone)).collect();
    let mut same = 0;
    for (i, &a) in zones.iter().enumerate() {
        for (j, &b) in zones.iter().enumerate() {
            let expected = sampled[i] == sampled[j];
            assert_eq!(same_clock(a, b), expected, "{a} vs {b}");
            same += usize::from(expected && i != j);
        }
    }
    // Some distinct names share a clock (America/Detroit and New_York).
    assert!(same > 0);
    let zone = |name| TimeZoneId::by_name(name).unwrap();
    assert!(same_clock(
        zone("America/Detroit"),
        zone("America/New_York")
    ));
    assert!(!same_clock(
        zone("America/Vancouver"),
        zone("America/Los_Angeles")
    ));
    assert!(!same_clock(zone("America/Phoenix"), zone("America/Denver")));
}

#[test]
fn unknown_places_are_every_state_an_area_code_serves_in_each_of_its_zones() {
    let mut expected = BTreeSet::new();
    for npa in 200..=999u16 {
        let info = AreaCode::new(npa).unwrap().info();
        for state in info.states() {
            for zone in state.zones().iter() {
                expected.insert((Some(state), state.country(), zone));
            }
            // A state's zones hold its area codes' zones.
            assert!(info.zones.iter().all(|zone| state.zones().contains(zone)));
        }
        if info.states().count() == 0 {
            expected.extend(info.zones.iter().map(|zone| (None, Country::Other, zone)));
        }
    }
    let got: BTreeSet<_> = geo::unknown_places()
        .map(|place| (place.state, place.country, place.zone))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(geo::unknown_places().len(), got.len(), "no place twice");
    let states: BTreeSet<&str> = got
        .iter()
        .filter_map(|(state, _, _)| state.map(StateCode::as_str))
        .collect();
    for territory in ["PR", "VI", "GU", "MP", "AS"] {
        assert!(states.contains(territory), "{territory}");
    }
    // ZIP-only "states" have no NANP area code.
    for outside in ["FM", "MH", "PW", "AA", "AE", "AP"] {
        assert!(!states.contains(outside), "{outside}");
    }
    // A ZIP's zone is one of its state's.
    let guam = StateCode::parse("GU").unwrap();
    let zip = geo::zip_info(Zip::parse("96910").unwrap()).unwrap();
    assert_eq!(zip.state, guam);
    assert!(zip.zones.iter().all(|zone| guam.zones().contains(zone)));
}
