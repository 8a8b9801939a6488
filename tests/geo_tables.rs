//! SPEC 12: the embedded geography agrees with its sources, row for row, and
//! with known facts.
//!
//! The NANPA report and the phonenumbers extract are committed under
//! `data/geo/`, so their comparisons always run. The ZIP source extract
//! (`data/geo/cache/zipcodes.csv`, 2 MB) is written by `tools/geodata.py`
//! and not committed: its comparison runs when it is present.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use dnc_engine::geo::{self, AreaCode, Country, StateCode, TimeZoneId};
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

#[test]
fn every_exchange_takes_the_zones_of_its_longest_phonenumbers_prefix() {
    let prefixes = phonenumbers_prefixes();
    let mut checked = 0;
    for npa in 200..=999u16 {
        let own: Vec<(&String, &BTreeSet<String>)> = prefixes
            .iter()
            .filter(|(prefix, _)| prefix[1..4] == npa.to_string())
            .collect();
        if own.is_empty() {
            continue;
        }
        let code = AreaCode::new(npa).unwrap();
        let whole: BTreeSet<String> = own.iter().flat_map(|(_, z)| z.iter().cloned()).collect();
        let names = |set: geo::ZoneSet| set.names().map(str::to_owned).collect::<BTreeSet<_>>();
        assert_eq!(
            names(code.info().zones),
            whole,
            "{npa}: every zone of its prefixes"
        );
        for nxx in 0..1000u16 {
            let digits = format!("1{npa}{nxx:03}");
            let expected = [7, 6, 5, 4]
                .iter()
                .find_map(|&n| prefixes.get(&digits[..n]))
                .cloned()
                .unwrap_or_else(|| whole.clone());
            assert_eq!(names(geo::exchange_zones(code, nxx)), expected, "{digits}");
            checked += 1;
        }
    }
    assert!(checked > 400_000, "only {checked} exchanges checked");
}

#[test]
fn area_codes_phonenumbers_lacks_follow_nanpa_time_zone_letters() {
    // Geographic codes without phonenumbers data take zones whose standard
    // offset is one of NANPA's letters (tools/geodata.py).
    let prefixes = phonenumbers_prefixes();
    let january = "2025-01-15T12:00:00Z"
        .parse::<dnc_engine::jiff::Timestamp>()
        .unwrap();
    for (npa, row) in nanpa_rows() {
        let known = prefixes.keys().any(|p| p[1..4] == npa.to_string());
        let info = AreaCode::new(npa).unwrap().info();
        if known || info.states().count() == 0 {
            continue;
        }
        let letters: Vec<i32> = row["TIME_ZONE"]
            .chars()
            .filter_map(|c| match c {
                'E' => Some(-300),
                'C' => Some(-360),
                'M' => Some(-420),
                'P' => Some(-480),
                _ => None,
            })
            .collect();
        assert!(!info.zones.is_empty(), "{npa} has zones");
        for zone in info.zones.iter() {
            let minutes = zone.time_zone().to_offset(january).seconds() / 60;
            assert!(
                letters.contains(&minutes),
                "{npa} {zone} ({minutes}) vs {}",
                row["TIME_ZONE"]
            );
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
    // Boise itself (208-334) is Mountain; Coeur d'Alene (208-664) Pacific.
    let boise = geo::phone_zones(Phone::parse("2083340000").unwrap()).unwrap();
    assert!(
        boise
            .names()
            .all(|z| z == "America/Boise" || z == "America/Denver"),
        "{boise:?}"
    );
    let cda = geo::phone_zones(Phone::parse("2086640000").unwrap()).unwrap();
    assert_eq!(cda.names().collect::<Vec<_>>(), ["America/Los_Angeles"]);

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
    // Arizona keeps no daylight saving time.
    assert_eq!(
        AreaCode::new(602)
            .unwrap()
            .info()
            .zones
            .names()
            .collect::<Vec<_>>(),
        ["America/Phoenix"]
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
