//! Issue 13: the calling laws in the dial decision against a naive model
//! on random numbers (every state with a row, Canada, territories, a
//! number of no place with a ZIP), instants across 2019-2031 and the DST
//! changes. The model reads the table's rows as data but evaluates them
//! its own way: holidays by scanning the month's days and an Easter table
//! (not the computus), observed days by the weekday, local times from the
//! zone's offset at the instant; the next allowed instant by trying every minute
//! for eight days.

use dnc_engine::geo::{AreaCode, Country, StateCode};
use dnc_engine::jiff::civil::{Date, Weekday};
use dnc_engine::jiff::tz::TimeZone;
use dnc_engine::jiff::{SignedDuration, Timestamp};
use dnc_engine::law::{CallingLaw, Holiday, HolidayDate, Years, table};
use dnc_engine::{ClientId, DialRequest, Engine, Phone, ServiceId, Zip};
use proptest::prelude::*;

/// Western Easter Sundays, from the US Naval Observatory's table.
const EASTER: &[(i16, i8, i8)] = &[
    (2018, 4, 1),
    (2019, 4, 21),
    (2020, 4, 12),
    (2021, 4, 4),
    (2022, 4, 17),
    (2023, 4, 9),
    (2024, 3, 31),
    (2025, 4, 20),
    (2026, 4, 5),
    (2027, 3, 28),
    (2028, 4, 16),
    (2029, 4, 1),
    (2030, 4, 21),
    (2031, 4, 13),
    (2032, 3, 28),
];

/// (number, ZIP): a number of each state with a row and a few without,
/// Canada, Puerto Rico, a toll-free number placed by its ZIP.
const CALLEES: &[(&str, Option<&str>)] = &[
    ("2055550100", None),          // AL
    ("5045550100", None),          // LA
    ("6015550100", None),          // MS
    ("2155550100", None),          // PA
    ("4015550100", None),          // RI
    ("8015550100", None),          // UT
    ("3055550100", None),          // FL
    ("2035550100", None),          // CT
    ("8595550100", None),          // KY
    ("2145550100", None),          // TX
    ("3125550100", None),          // IL
    ("7025550100", None),          // NV
    ("4145550100", None),          // WI
    ("4155550100", None),          // CA: federal only
    ("4165550100", None),          // Toronto: CRTC
    ("7875550100", None),          // Puerto Rico: federal
    ("4155550100", Some("36104")), // a CA number, a Montgomery (AL) ZIP
    ("8005550100", Some("02903")), // toll-free, a Providence ZIP
];

fn days_in_month(year: i16, month: i8) -> i8 {
    (28..=31)
        .rev()
        .find(|&day| Date::new(year, month, day).is_ok())
        .unwrap()
}

/// The rule's date in `year`, found by scanning.
fn rule_date(holiday: &Holiday, year: i16) -> Option<Date> {
    let date = match holiday.date {
        HolidayDate::Fixed { month, day } => Date::new(year, month, day).ok()?,
        HolidayDate::Nth {
            month,
            weekday,
            n,
            plus_days,
        } => {
            let matching: Vec<Date> = (1..=days_in_month(year, month))
                .map(|day| Date::new(year, month, day).unwrap())
                .filter(|date| date.weekday() == weekday)
                .collect();
            let pick = if n < 0 {
                *matching.last()?
            } else {
                *matching.get(n as usize - 1)?
            };
            pick.checked_add(SignedDuration::from_hours(24 * i64::from(plus_days)))
                .ok()?
        }
        HolidayDate::Easter { plus_days } => {
            let &(_, month, day) = EASTER.iter().find(|(y, _, _)| *y == year)?;
            Date::new(year, month, day)
                .ok()?
                .checked_add(SignedDuration::from_hours(24 * i64::from(plus_days)))
                .ok()?
        }
        HolidayDate::MondayOfWeek { month, day } => {
            let mut date = Date::new(year, month, day).ok()?;
            if matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
                while date.weekday() != Weekday::Monday {
                    date = date.tomorrow().ok()?;
                }
            } else {
                while date.weekday() != Weekday::Monday {
                    date = date.yesterday().ok()?;
                }
            }
            date
        }
    };
    if holiday.years == Years::Even && year % 2 != 0 {
        return None;
    }
    if holiday.since.is_some_and(|since| date < since)
        || holiday.until.is_some_and(|until| date > until)
    {
        return None;
    }
    Some(date)
}

/// Whether calls are banned on `date` by `holiday` (its date, or a day
/// it is observed on).
fn banned(holiday: &Holiday, date: Date) -> bool {
    (date.year() - 1..=date.year() + 1).any(|year| {
        let Some(own) = rule_date(holiday, year) else {
            return false;
        };
        let observed = holiday.observed;
        own == date
            || (own.weekday() == Weekday::Saturday
                && ((observed.friday_for_saturday && own.yesterday().ok() == Some(date))
                    || (observed.monday_for_saturday
                        && own.tomorrow().and_then(|d| d.tomorrow()).ok() == Some(date))))
            || (own.weekday() == Weekday::Sunday
                && observed.monday_for_sunday
                && own.tomorrow().ok() == Some(date))
    })
}

fn law_allows(law: &CallingLaw, zone: &TimeZone, at: Timestamp) -> bool {
    let local = zone.to_offset(at).to_datetime(at);
    let index = local.weekday().to_monday_zero_offset() as usize;
    let Some(window) = law.hours[index] else {
        return false;
    };
    if law.holidays.iter().any(|h| banned(h, local.date())) {
        return false;
    }
    let minute_of_day = |h: i8, m: i8| u32::from(h as u8) * 60 + u32::from(m as u8);
    let clock = minute_of_day(local.hour(), local.minute()) * 60_000
        + u32::from(local.second() as u8) * 1000;
    let inside = |millis: u32| window.start().millis() <= millis && millis < window.end().millis();
    if !inside(clock) {
        return false;
    }
    match law.standard_offset_hours {
        None => true,
        Some(hours) => {
            let fixed = dnc_engine::jiff::tz::Offset::from_hours(hours)
                .unwrap()
                .to_datetime(at);
            inside(
                minute_of_day(fixed.hour(), fixed.minute()) * 60_000
                    + u32::from(fixed.second() as u8) * 1000,
            )
        }
    }
}

/// The laws of a place, read from the table's rows.
fn laws_of(state: Option<StateCode>, country: Country) -> Vec<&'static CallingLaw> {
    let mut laws: Vec<&'static CallingLaw> = table::all()
        .filter(|law| match law.code {
            "US" => country != Country::Canada,
            "CA" => country == Country::Canada,
            code => state.is_some_and(|state| state.as_str() == code),
        })
        .collect();
    if state.is_none() && country == Country::Usa {
        laws.extend(table::all().filter(|law| !matches!(law.code, "US" | "CA")));
    }
    laws
}

/// The places the model reads: the area code's states in its zones, and
/// the ZIP's; a number of no place with a ZIP, the ZIP's alone.
fn places(phone: &str, zip: Option<&str>) -> Vec<(Option<StateCode>, Country, TimeZone)> {
    let code = AreaCode::parse(&phone[..3]).unwrap();
    let info = code.info();
    let mut out = Vec::new();
    let zip_info = zip.and_then(|zip| dnc_engine::geo::zip_info(Zip::parse(zip).unwrap()));
    if !(info.zones.is_empty() && zip_info.is_some()) {
        for zone in info.zones.iter() {
            let states: Vec<StateCode> = info.states().collect();
            if states.is_empty() {
                out.push((None, info.country, TimeZone::get(zone.name()).unwrap()));
            }
            for state in states {
                out.push((
                    Some(state),
                    info.country,
                    TimeZone::get(zone.name()).unwrap(),
                ));
            }
        }
    }
    if let Some(zip) = zip_info {
        for zone in zip.zones.iter() {
            out.push((
                Some(zip.state),
                zip.state.country(),
                TimeZone::get(zone.name()).unwrap(),
            ));
        }
    }
    out
}

fn model_allows(places: &[(Option<StateCode>, Country, TimeZone)], at: Timestamp) -> bool {
    places.iter().all(|(state, country, zone)| {
        laws_of(*state, *country)
            .iter()
            .all(|law| law_allows(law, zone, at))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn the_laws_agree_with_the_naive_model(
        callee in 0..CALLEES.len(),
        year in 2019i16..=2031,
        day in 0i64..366,
        near_holiday in prop::option::weighted(0.6, (any::<usize>(), -1i64..=2)),
        minute in prop_oneof![0i64..1440, 600i64..720, 1140i64..1260],
    ) {
        let (phone, zip) = CALLEES[callee];
        let places = places(phone, zip);
        // Most instants fall on or around a holiday of the callee's laws
        // (the day before, the day, the two after: the observed days).
        let holidays: Vec<Date> = places
            .iter()
            .flat_map(|(state, country, _)| laws_of(*state, *country))
            .flat_map(|law| law.holidays.iter())
            .filter_map(|holiday| rule_date(holiday, year))
            .collect();
        let day = match near_holiday {
            Some((index, shift)) if !holidays.is_empty() => {
                let date = holidays[index % holidays.len()];
                i64::from(date.day_of_year()) - 1 + shift
            }
            _ => day,
        };
        let mut engine = Engine::new();
        let service = ServiceId::new(1).unwrap();
        engine.register_service(ClientId::new(1).unwrap(), service).unwrap();
        let start: Timestamp = format!("{year}-01-01T00:00:00Z").parse().unwrap();
        let at = start + SignedDuration::from_mins(day * 1440 + minute);
        let mut request = DialRequest::new(service, Phone::parse(phone).unwrap(), at);
        if let Some(zip) = zip {
            request = request.zip(Zip::parse(zip).unwrap());
        }
        let decision = engine.dial_decision(&request).unwrap();
        prop_assert_eq!(decision.law.allows(), model_allows(&places, at), "{} {:?} at {}: {}", phone, zip, at, decision);
        // The profile here is the standard 08:00-21:00, which the federal
        // and Canadian laws hold within: allowed is the laws' answer, and
        // the next allowed instant is the first minute the laws allow.
        let next = (0..=8 * 1440)
            .map(|minutes| at + SignedDuration::from_mins(minutes))
            .find(|&instant| model_allows(&places, instant)
                && engine.dial_decision(&DialRequest { at: instant, ..request }).unwrap().hours.may_dial());
        prop_assert_eq!(decision.next_allowed(), next, "{} {:?} from {}: {}", phone, zip, at, decision);
    }
}
