//! Issue 13: the calling-law table, row by row. Each state's window is
//! tried at its edges on a weekday, a Saturday and a Sunday, in the local
//! time of an area code of that state; each holiday rule on its dates in
//! several years, with the observed-day shifts; and the table's own
//! invariants (valid windows, a citation and a source on every row).

use dnc_engine::geo::{AreaCode, StateCode};
use dnc_engine::jiff::civil::{Date, DateTime};
use dnc_engine::jiff::{Timestamp, tz::TimeZone};
use dnc_engine::law::{self, LawRefusal, table};
use dnc_engine::{ClientId, DialDecision, DialRequest, Engine, Phone, ServiceId, Zip};

fn engine() -> (Engine, ServiceId) {
    let mut engine = Engine::new();
    let service = ServiceId::new(1).unwrap();
    engine
        .register_service(ClientId::new(1).unwrap(), service)
        .unwrap();
    (engine, service)
}

/// An area code of each state with a row, in one zone.
const AREA_CODES: &[(&str, u16)] = &[
    ("AL", 205),
    ("CT", 203),
    ("FL", 305),
    ("IL", 312),
    ("KY", 859),
    ("LA", 504),
    ("MA", 617),
    ("MD", 410),
    ("MI", 248),
    ("MN", 612),
    ("MS", 601),
    ("NM", 505),
    ("NV", 702),
    ("OK", 405),
    ("OR", 503),
    ("PA", 215),
    ("RI", 401),
    ("UT", 801),
    ("WA", 206),
    ("TX", 214),
    ("WI", 414),
    ("WY", 307),
];

/// The instant of local civil time `local` in the zone of `area_code`.
fn instant_at(area_code: u16, local: &str) -> Timestamp {
    let zones: Vec<_> = AreaCode::new(area_code)
        .unwrap()
        .info()
        .zones
        .iter()
        .collect();
    assert_eq!(zones.len(), 1, "{area_code} must lie in one zone");
    let zone = TimeZone::get(zones[0].name()).unwrap();
    let civil: DateTime = local.parse().unwrap();
    zone.to_ambiguous_timestamp(civil).compatible().unwrap()
}

fn decide(area_code: u16, at: Timestamp) -> DialDecision {
    let (engine, service) = engine();
    let phone = Phone::parse(&format!("{area_code}5550100")).unwrap();
    engine
        .dial_decision(&DialRequest::new(service, phone, at))
        .unwrap()
}

/// The refusals of the law of `code` (state or `US`) at `local` time.
fn refusals(area_code: u16, code: &str, local: &str) -> Vec<LawRefusal> {
    decide(area_code, instant_at(area_code, local))
        .law
        .refusals
        .iter()
        .filter(|refusal| refusal.law.code == code)
        .map(|refusal| refusal.refusal)
        .collect()
}

#[test]
fn every_row_has_valid_windows_a_citation_and_a_source() {
    let mut codes = Vec::new();
    for law in table::all() {
        assert!(
            !law.citation.is_empty() && !law.source.is_empty(),
            "{}",
            law.code
        );
        assert!(!law.name.is_empty(), "{}", law.code);
        for window in law.hours.iter().flatten() {
            assert!(window.start() < window.end(), "{}: {window}", law.code);
            assert!(window.end().millis() <= 24 * 3_600_000, "{}", law.code);
        }
        assert_eq!(
            law.holidays.is_empty(),
            law.holiday_source.is_empty(),
            "{}",
            law.code
        );
        if !matches!(law.code, "US" | "CA") {
            StateCode::parse(law.code).unwrap();
        }
        for holiday in law.holidays {
            if let law::HolidayDate::Easter { plus_days } = holiday.date {
                assert!(plus_days.abs() <= 60, "{}", holiday.name);
            }
            // Every holiday still in force falls on a date in the coming
            // years; a repealed one in the years before its repeal.
            let years = if holiday.until.is_some() {
                2019..=2024
            } else {
                2027..=2030
            };
            assert!(
                years.clone().all(|year| holiday.date_in(year).is_some()
                    || holiday.years == law::Years::Even && year % 2 == 1),
                "{}: {}",
                law.code,
                holiday.name
            );
        }
        codes.push(law.code);
    }
    let count = codes.len();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), count, "one row per jurisdiction");
    for (state, _) in AREA_CODES {
        assert!(codes.contains(state), "{state} has a row");
    }
    assert!(!law::LAW_TABLE_VERSION.is_empty());
}

/// (state, weekday window, Saturday window, Sunday window): `None` is no
/// calls that day. The windows are the table's values as the sources give
/// them (regulations.md §2; the rows' notes say which reading was taken).
/// Hours from and to, or `None`.
type Hours = Option<(u32, u32)>;

const WINDOWS: &[(&str, Hours, Hours, Hours)] = &[
    ("AL", Some((8, 20)), Some((8, 20)), None),
    ("CT", Some((9, 20)), Some((9, 20)), Some((9, 20))),
    ("FL", Some((8, 20)), Some((8, 20)), Some((8, 20))),
    ("IL", Some((9, 21)), Some((9, 21)), Some((9, 21))),
    ("KY", Some((10, 21)), Some((10, 21)), Some((10, 21))),
    ("LA", Some((8, 20)), Some((8, 20)), None),
    ("MA", Some((8, 20)), Some((8, 20)), Some((8, 20))),
    ("MD", Some((8, 20)), Some((8, 20)), Some((8, 20))),
    ("MI", Some((9, 21)), Some((9, 21)), Some((9, 21))),
    ("MN", Some((9, 21)), Some((9, 21)), Some((9, 21))),
    ("NM", Some((9, 21)), Some((9, 21)), Some((9, 21))),
    ("NV", Some((9, 20)), Some((9, 20)), Some((9, 20))),
    ("OK", Some((8, 20)), Some((8, 20)), Some((8, 20))),
    ("OR", Some((8, 20)), Some((8, 20)), Some((8, 20))),
    ("PA", Some((9, 20)), Some((9, 12)), None),
    ("RI", Some((9, 18)), Some((10, 17)), None),
    ("UT", Some((8, 21)), Some((8, 21)), None),
    ("WA", Some((8, 20)), Some((8, 20)), Some((8, 20))),
    ("TX", Some((9, 21)), Some((9, 21)), Some((12, 21))),
    ("WI", Some((10, 20)), Some((10, 20)), Some((10, 20))),
    ("WY", Some((10, 20)), Some((10, 20)), Some((10, 20))),
];

#[test]
fn each_state_window_refuses_outside_and_allows_inside_its_edges() {
    // 2026-11-18 is a Wednesday, 11-21 a Saturday, 11-22 a Sunday: no
    // holiday of any state's in that week.
    let days = [("2026-11-18", 0), ("2026-11-21", 1), ("2026-11-22", 2)];
    for &(state, weekday, saturday, sunday) in WINDOWS {
        let area_code = AREA_CODES.iter().find(|(s, _)| *s == state).unwrap().1;
        for (date, which) in days {
            let window = [weekday, saturday, sunday][which];
            let at = |hour: u32, minute: u32| format!("{date}T{hour:02}:{minute:02}:00");
            match window {
                None => {
                    let got = refusals(area_code, state, &at(12, 0));
                    assert_eq!(got, [LawRefusal::Day], "{state} {date}: no calls that day");
                }
                Some((start, end)) => {
                    let refused = |hour, minute| {
                        let got = refusals(area_code, state, &at(hour, minute));
                        matches!(got[..], [LawRefusal::Hours { .. }])
                    };
                    let allowed =
                        |hour, minute| refusals(area_code, state, &at(hour, minute)).is_empty();
                    assert!(refused(start - 1, 59), "{state} {date} before {start}:00");
                    assert!(allowed(start, 0), "{state} {date} at {start}:00");
                    assert!(allowed(end - 1, 59), "{state} {date} before {end}:00");
                    assert!(refused(end, 0), "{state} {date} at {end}:00");
                }
            }
        }
    }
}

#[test]
fn the_federal_floor_applies_in_every_state_and_canada_has_its_own_hours() {
    // California has no row: the federal 08:00-21:00 alone.
    assert_eq!(refusals(415, "US", "2026-11-18T07:59:00").len(), 1);
    assert!(refusals(415, "US", "2026-11-18T08:00:00").is_empty());
    assert!(refusals(415, "US", "2026-11-18T20:59:00").is_empty());
    assert_eq!(refusals(415, "US", "2026-11-18T21:00:00").len(), 1);
    // Florida: the federal window and the state's, each its own reason.
    let at = instant_at(305, "2026-11-18T20:30:00");
    let codes: Vec<&str> = decide(305, at)
        .law
        .refusals
        .iter()
        .map(|r| r.law.code)
        .collect();
    assert_eq!(codes, ["FL"]);
    let at = instant_at(305, "2026-11-18T21:30:00");
    let codes: Vec<&str> = decide(305, at)
        .law
        .refusals
        .iter()
        .map(|r| r.law.code)
        .collect();
    assert_eq!(codes, ["US", "FL"]);
    // Toronto (416): the CRTC's 09:00-21:30 on weekdays, 10:00-18:00 at
    // weekends.
    assert_eq!(refusals(416, "CA", "2026-11-18T08:59:00").len(), 1);
    assert!(refusals(416, "CA", "2026-11-18T21:29:00").is_empty());
    assert_eq!(refusals(416, "CA", "2026-11-18T21:30:00").len(), 1);
    assert_eq!(refusals(416, "CA", "2026-11-21T09:59:00").len(), 1);
    assert!(refusals(416, "CA", "2026-11-21T17:59:00").is_empty());
    assert_eq!(refusals(416, "CA", "2026-11-22T18:00:00").len(), 1);
    // No US law in Canada.
    assert!(refusals(416, "US", "2026-11-18T21:15:00").is_empty());
}

#[test]
fn mississippi_hours_hold_on_the_clock_and_in_central_standard_time() {
    // In winter the clock is CST: 08:00-20:00.
    assert_eq!(refusals(601, "MS", "2026-11-18T07:59:00").len(), 1);
    assert!(refusals(601, "MS", "2026-11-18T08:00:00").is_empty());
    // In summer (CDT = CST + 1) 08:00 CDT is 07:00 CST: refused until
    // 09:00 CDT; 19:59 CDT is 18:59 CST: allowed; 20:00 CDT refused.
    assert_eq!(refusals(601, "MS", "2026-07-15T08:30:00").len(), 1);
    assert!(refusals(601, "MS", "2026-07-15T09:00:00").is_empty());
    assert!(refusals(601, "MS", "2026-07-15T19:59:00").is_empty());
    assert_eq!(refusals(601, "MS", "2026-07-15T20:00:00").len(), 1);
    // The next allowed instant finds 09:00 CDT.
    let decision = decide(601, instant_at(601, "2026-07-15T07:00:00"));
    assert_eq!(
        decision.next_allowed(),
        Some(instant_at(601, "2026-07-15T09:00:00"))
    );
}

/// (state, local date, the holiday banned that day or `None`): noon local
/// time, a weekday or Saturday that the state's hours allow otherwise.
const HOLIDAYS: &[(&str, &str, Option<&str>)] = &[
    // Alabama: Ala. Code §1-3-8(a), Saturday to Friday, Sunday to Monday.
    ("AL", "2021-12-31", Some("New Year's Day")), // 2022-01-01 a Saturday
    ("AL", "2023-01-02", Some("New Year's Day")), // 2023-01-01 a Sunday
    ("AL", "2021-12-24", Some("Christmas Day")),  // 2021-12-25 a Saturday
    ("AL", "2021-12-27", None),                   // no Monday for a Saturday
    (
        "AL",
        "2026-01-19",
        Some("Martin Luther King Jr. and Robert E. Lee's Birthday"),
    ),
    ("AL", "2026-02-17", Some("Mardi Gras")), // Easter 2026-04-05 - 47
    ("AL", "2027-02-09", Some("Mardi Gras")), // Easter 2027-03-28 - 47
    ("AL", "2026-04-27", Some("Confederate Memorial Day")),
    ("AL", "2026-06-01", Some("Jefferson Davis' Birthday")),
    ("AL", "2026-07-03", Some("Independence Day")), // 07-04 a Saturday
    ("AL", "2026-07-04", Some("Independence Day")), // the day itself too
    ("AL", "2026-11-26", Some("Thanksgiving Day")),
    ("AL", "2026-11-27", None),
    ("AL", "2026-12-01", Some("Mrs. Rosa L. Parks Day")),
    ("AL", "2026-11-18", None),
    // Louisiana.
    ("LA", "2027-01-08", Some("Battle of New Orleans")),
    ("LA", "2026-02-17", Some("Mardi Gras")),
    ("LA", "2026-04-03", Some("Good Friday")),
    ("LA", "2027-08-30", Some("Huey P. Long Day")),
    ("LA", "2026-11-03", Some("Election Day")), // even years
    ("LA", "2027-11-02", None),
    ("LA", "2027-07-05", Some("Independence Day")), // 07-04 a Sunday
    ("LA", "2026-12-24", None),
    // Mississippi: Sunday to Monday only.
    ("MS", "2022-12-26", Some("Christmas Day")), // 12-25 a Sunday
    ("MS", "2021-12-24", None),                  // no Friday for a Saturday
    ("MS", "2021-12-25", Some("Christmas Day")),
    ("MS", "2024-12-25", Some("Christmas Day")),
    // Kept in every year (a 2024 source says repealed; no source gives
    // the repeal: the stricter reading).
    ("MS", "2025-12-25", Some("Christmas Day")),
    ("MS", "2027-07-05", Some("Independence Day")), // 07-04 a Sunday
    // Pennsylvania: from 2019-12-03.
    ("PA", "2019-11-28", None), // Thanksgiving before the ban
    ("PA", "2019-12-25", Some("Christmas Day")),
    ("PA", "2026-04-03", Some("Good Friday")),
    ("PA", "2026-06-15", Some("Flag Day")), // 06-14 a Sunday
    ("PA", "2026-11-03", Some("Election Day")),
    ("PA", "2027-11-02", Some("Election Day")), // every year
    ("PA", "2026-12-15", Some("Bill of Rights Day")),
    // Rhode Island: a weekend holiday also the Monday after (and the
    // Friday before, as a federal holiday).
    ("RI", "2026-05-04", Some("Rhode Island Independence Day")),
    ("RI", "2026-07-03", Some("Independence Day")),
    ("RI", "2026-07-06", Some("Independence Day")),
    ("RI", "2021-12-27", Some("Christmas Day")),
    ("RI", "2026-08-10", Some("Victory Day")),
    ("RI", "2026-11-03", Some("Election Day")),
    ("RI", "2027-11-02", None),
    ("RI", "2026-06-19", Some("Juneteenth (federal)")),
    // Utah.
    ("UT", "2022-07-25", Some("Pioneer Day")), // 07-24 a Sunday
    ("UT", "2027-07-23", Some("Pioneer Day")), // 07-24 a Saturday
    ("UT", "2021-06-18", None),                // Juneteenth before 2022
    (
        "UT",
        "2025-06-16",
        Some("Juneteenth National Freedom Day (Monday)"),
    ),
    ("UT", "2025-06-19", Some("Juneteenth National Freedom Day")),
    ("UT", "2025-04-18", None), // Good Friday before 2026-05-06
    ("UT", "2027-03-26", Some("Good Friday")),
    ("UT", "2026-11-03", None), // Election Day only from 2027
    ("UT", "2027-11-02", Some("Election Day")),
    ("UT", "2026-10-12", Some("Columbus Day")),
];

#[test]
fn each_holiday_rule_bans_its_days_and_their_observed_days() {
    for &(state, date, holiday) in HOLIDAYS {
        let area_code = AREA_CODES.iter().find(|(s, _)| *s == state).unwrap().1;
        let got = refusals(area_code, state, &format!("{date}T12:00:00"));
        match holiday {
            None => assert!(got.is_empty(), "{state} {date}: {got:?}"),
            Some(name) => {
                assert!(
                    matches!(got[..], [LawRefusal::Holiday { holiday, .. }] if holiday.name == name),
                    "{state} {date}: expected {name}, got {got:?}"
                );
            }
        }
    }
}

#[test]
fn a_refusal_on_an_observed_day_names_the_holidays_own_date() {
    let got = refusals(205, "AL", "2021-12-31T12:00:00");
    let [LawRefusal::Holiday { holiday, date }] = got[..] else {
        panic!("{got:?}")
    };
    assert_eq!(holiday.name, "New Year's Day");
    assert_eq!(date, "2022-01-01".parse::<Date>().unwrap());
    let decision = decide(205, instant_at(205, "2021-12-31T12:00:00"));
    let text = decision.to_string();
    assert!(
        text.contains("no calls on New Year's Day (2022-01-01, observed 2021-12-31)"),
        "{text}"
    );
    // The next allowed instant is Saturday 08:00 (Alabama allows
    // Saturdays, and 2022-01-01 itself is banned too): Monday 08:00.
    assert_eq!(
        decision.next_allowed(),
        Some(instant_at(205, "2022-01-03T08:00:00"))
    );
}

#[test]
fn the_laws_of_the_zips_state_apply_even_when_the_zip_matches_nothing_else() {
    // A California number whose callee lives in Connecticut (06103,
    // Hartford): Connecticut's 09:00-20:00 applies in Eastern time.
    let (engine, service) = engine();
    let phone = Phone::parse("4155550100").unwrap();
    let at = instant_at(203, "2026-11-18T20:30:00");
    let decision = engine
        .dial_decision(&DialRequest::new(service, phone, at).zip(Zip::parse("06103").unwrap()))
        .unwrap();
    assert!(
        decision.law.refusals.iter().any(|r| r.law.code == "CT"),
        "{decision}"
    );
    // Without the ZIP, California's federal hours allow 17:30 there.
    let decision = engine
        .dial_decision(&DialRequest::new(service, phone, at))
        .unwrap();
    assert!(decision.law.allows(), "{decision}");
}

#[test]
fn a_number_of_no_place_is_read_at_the_zips_place_when_the_tables_place_the_zip() {
    let (engine, service) = engine();
    let toll_free = Phone::parse("8005550100").unwrap();
    // Wednesday 2026-11-18 at 12:00 in Hartford.
    let at = instant_at(203, "2026-11-18T12:00:00");
    let with_zip = engine
        .dial_decision(&DialRequest::new(service, toll_free, at).zip(Zip::parse("06103").unwrap()))
        .unwrap();
    assert!(with_zip.law.allows(), "{with_zip}");
    // Without a ZIP the callee may be anywhere, Guam included (02:00
    // there): refused, each law saying why.
    let anywhere = engine
        .dial_decision(&DialRequest::new(service, toll_free, at))
        .unwrap();
    assert!(!anywhere.law.allows());
    assert!(
        anywhere
            .law
            .refusals
            .iter()
            .any(|r| r.place.state == Some(StateCode::parse("GU").unwrap()))
    );
}
