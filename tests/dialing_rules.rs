//! SPEC 13-15, rule by rule: each test fails if its rule breaks.

use dnc_engine::geo::{AreaCode, Country, StateCode};
use dnc_engine::jiff::Timestamp;
use dnc_engine::{
    Account, Channel, ClientId, DayRule, DialChannel, DialReason, DialRequest, DncError, DncKey,
    Engine, Expiration, FlagUpdate, HoursRule, NewChannelEntry, NewEntry, NewPolicy, NewProfile,
    Phone, PhoneDncType, PolicyUpdate, ProfileId, Region, ServiceId, TimeOfDay, Window, Zip,
    ZipAreaMatchType, ZipAreaReason, zip_area_match,
};

const CLIENT: u64 = 7;
const SERVICE: u64 = 70;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn phone(text: &str) -> Phone {
    Phone::parse(text).unwrap()
}

fn client() -> ClientId {
    ClientId::new(CLIENT).unwrap()
}

fn service() -> ServiceId {
    ServiceId::new(SERVICE).unwrap()
}

fn engine() -> Engine {
    let mut engine = Engine::new();
    engine.register_service(client(), service()).unwrap();
    engine
}

fn time(text: &str) -> TimeOfDay {
    TimeOfDay::parse(text).unwrap()
}

fn window(start: &str, end: &str) -> Option<Window> {
    Some(Window::new(time(start), time(end)).unwrap())
}

fn state(code: &str) -> Region {
    Region::new(None, Some(StateCode::parse(code).unwrap()), None).unwrap()
}

fn area(code: u16) -> Region {
    Region::new(None, None, Some(AreaCode::new(code).unwrap())).unwrap()
}

fn country(name: &str) -> Region {
    Region::new(Some(Country::parse(name).unwrap()), None, None).unwrap()
}

fn day(text: &str) -> DayRule {
    DayRule::parse(text).unwrap()
}

fn policy(day_rule: &str, region: Region, hours: Option<Window>) -> NewPolicy {
    NewPolicy {
        window: hours,
        ..NewPolicy::new(day(day_rule), region)
    }
}

/// An engine whose service dials under a profile of `policies`.
fn with_profile(policies: Vec<NewPolicy>) -> (Engine, ProfileId) {
    let mut engine = engine();
    let id = engine
        .profile_create(
            Some(client()),
            NewProfile {
                client: Some(client()),
                name: "test".to_owned(),
                description: None,
                client_default: false,
                policies,
            },
        )
        .unwrap();
    engine
        .profile_assign_service(Some(client()), id, service())
        .unwrap();
    (engine, id)
}

fn may_dial(engine: &Engine, number: &str, instant: &str) -> bool {
    engine
        .dialing_hours(service(), phone(number), at(instant))
        .unwrap()
        .may_dial()
}

// 2026-11-30 is a Monday; 2026-12-01 a Tuesday; 2026-12-05 a Saturday.
// San Francisco is UTC-8 in winter: 18:00Z is 10:00 local.

#[test]
fn without_a_profile_the_standard_hours_apply() {
    let engine = engine();
    // 08:00-21:00 local, start inclusive, end exclusive.
    assert!(!may_dial(&engine, "4155550100", "2026-11-30T15:59:59Z"));
    assert!(may_dial(&engine, "4155550100", "2026-11-30T16:00:00Z"));
    assert!(may_dial(&engine, "4155550100", "2026-12-01T04:59:59Z"));
    assert!(!may_dial(&engine, "4155550100", "2026-12-01T05:00:00Z"));
    let hours = engine
        .dialing_hours(service(), phone("4155550100"), at("2026-11-30T15:00:00Z"))
        .unwrap();
    assert_eq!(hours.places[0].rule, HoursRule::Standard);
    assert_eq!(hours.next_allowed, Some(at("2026-11-30T16:00:00Z")));
}

#[test]
fn a_named_day_beats_weekday_and_all() {
    let (engine, _) = with_profile(vec![
        policy("ALL", state("CA"), window("09:00", "17:00")),
        policy("WEEKDAY", state("CA"), window("11:00", "17:00")),
        policy("MONDAY", state("CA"), window("12:00", "13:00")),
    ]);
    // Monday 11:30: MONDAY decides (not WEEKDAY's 11:00).
    assert!(!may_dial(&engine, "4155550100", "2026-11-30T19:30:00Z"));
    assert!(may_dial(&engine, "4155550100", "2026-11-30T20:30:00Z"));
    // Tuesday 11:30: WEEKDAY decides (not ALL's nor MONDAY's).
    assert!(may_dial(&engine, "4155550100", "2026-12-01T19:30:00Z"));
    assert!(!may_dial(&engine, "4155550100", "2026-12-01T18:30:00Z"));
    // Saturday 09:30: ALL decides.
    assert!(may_dial(&engine, "4155550100", "2026-12-05T17:30:00Z"));
}

#[test]
fn weekend_covers_saturday_and_sunday_only() {
    let (engine, _) = with_profile(vec![NewPolicy {
        do_not_dial: true,
        ..NewPolicy::new(day("WEEKEND"), state("CA"))
    }]);
    assert!(!may_dial(&engine, "4155550100", "2026-12-05T20:00:00Z")); // Saturday
    assert!(!may_dial(&engine, "4155550100", "2026-12-06T20:00:00Z")); // Sunday
    assert!(may_dial(&engine, "4155550100", "2026-12-07T20:00:00Z")); // Monday: standard
    // Next allowed from Saturday noon: Monday 08:00 local.
    let hours = engine
        .dialing_hours(service(), phone("4155550100"), at("2026-12-05T20:00:00Z"))
        .unwrap();
    assert_eq!(hours.next_allowed, Some(at("2026-12-07T16:00:00Z")));
}

#[test]
fn the_day_is_the_callees_local_day() {
    // Monday 01:00 UTC is Sunday 17:00 in San Francisco.
    let (engine, _) = with_profile(vec![NewPolicy {
        do_not_dial: true,
        ..NewPolicy::new(day("SUNDAY"), state("CA"))
    }]);
    assert!(!may_dial(&engine, "4155550100", "2026-11-30T01:00:00Z"));
}

#[test]
fn an_area_code_beats_its_state_and_a_state_beats_its_country() {
    let (engine, _) = with_profile(vec![
        NewPolicy {
            do_not_dial: true,
            ..NewPolicy::new(day("ALL"), state("CA"))
        },
        policy("ALL", area(415), window("09:00", "17:00")),
        policy("ALL", country("USA"), window("10:00", "11:00")),
    ]);
    // 415 is in CA: the area code policy decides, even over a named-day...
    assert!(may_dial(&engine, "4155550100", "2026-11-30T18:00:00Z"));
    // ...213 is in CA too, without its own policy: the state's doNotDial.
    assert!(!may_dial(&engine, "2135550100", "2026-11-30T18:00:00Z"));
    // 212 (NY): only the country policy covers it (15:30 local).
    assert!(!may_dial(&engine, "2125550100", "2026-11-30T20:30:00Z"));
    assert!(may_dial(&engine, "2125550100", "2026-11-30T15:30:00Z"));
    // A Canadian number: no policy covers it, the standard hours apply.
    let hours = engine
        .dialing_hours(service(), phone("4165550100"), at("2026-11-30T15:30:00Z"))
        .unwrap();
    assert_eq!(hours.places[0].rule, HoursRule::Standard);
    assert!(hours.may_dial());
}

#[test]
fn region_specificity_beats_day_specificity() {
    let (engine, _) = with_profile(vec![
        NewPolicy {
            do_not_dial: true,
            ..NewPolicy::new(day("MONDAY"), state("CA"))
        },
        policy("ALL", area(415), None),
    ]);
    assert!(may_dial(&engine, "4155550100", "2026-11-30T18:00:00Z"));
}

#[test]
fn equally_specific_policies_take_the_most_restrictive_answer() {
    let (engine, _) = with_profile(vec![
        policy("MONDAY", area(415), window("08:00", "12:00")),
        policy("MONDAY", area(415), window("10:00", "20:00")),
    ]);
    assert!(!may_dial(&engine, "4155550100", "2026-11-30T17:00:00Z")); // 09:00
    assert!(may_dial(&engine, "4155550100", "2026-11-30T18:30:00Z")); // 10:30
    assert!(!may_dial(&engine, "4155550100", "2026-11-30T21:00:00Z")); // 13:00
    let hours = engine
        .dialing_hours(service(), phone("4155550100"), at("2026-11-30T18:30:00Z"))
        .unwrap();
    assert_eq!(
        hours.places[0].window,
        Window::new(time("10:00"), time("12:00")).unwrap()
    );
}

#[test]
fn equally_specific_windows_that_do_not_overlap_allow_nothing() {
    let (engine, _) = with_profile(vec![
        policy("ALL", area(415), window("08:00", "10:00")),
        policy("ALL", area(415), window("12:00", "14:00")),
    ]);
    for instant in ["2026-11-30T17:00:00Z", "2026-11-30T21:00:00Z"] {
        let hours = engine
            .dialing_hours(service(), phone("4155550100"), at(instant))
            .unwrap();
        assert!(!hours.may_dial(), "{instant}");
        // The explanation shows the empty intersection, not the whole day.
        assert!(
            hours.places[0].window.is_empty(),
            "{:?}",
            hours.places[0].window
        );
        assert_eq!(hours.next_allowed, None);
    }
}

#[test]
fn do_not_dial_blocks_the_whole_day_and_do_not_leave_message_only_messages() {
    let (engine, _) = with_profile(vec![
        NewPolicy {
            do_not_dial: true,
            window: window("09:00", "17:00"),
            ..NewPolicy::new(day("MONDAY"), area(415))
        },
        NewPolicy {
            do_not_leave_message: true,
            ..NewPolicy::new(day("TUESDAY"), area(415))
        },
    ]);
    let monday = engine
        .dialing_hours(service(), phone("4155550100"), at("2026-11-30T18:00:00Z"))
        .unwrap();
    assert!(!monday.may_dial() && monday.places[0].do_not_dial);
    let tuesday = engine
        .dialing_hours(service(), phone("4155550100"), at("2026-12-01T18:00:00Z"))
        .unwrap();
    assert!(tuesday.may_dial());
    assert!(!tuesday.may_leave_message());
    // Wednesday: standard hours, messages allowed.
    let wednesday = engine
        .dialing_hours(service(), phone("4155550100"), at("2026-12-02T18:00:00Z"))
        .unwrap();
    assert!(wednesday.may_dial() && wednesday.may_leave_message());
}

#[test]
fn windows_starting_at_midnight_and_ending_at_24_00() {
    let (engine, _) = with_profile(vec![
        policy("MONDAY", area(415), window("00:00", "06:00")),
        policy("TUESDAY", area(415), window("20:00", "24:00")),
    ]);
    // Monday 00:00 local = 08:00Z.
    assert!(may_dial(&engine, "4155550100", "2026-11-30T08:00:00Z"));
    assert!(may_dial(&engine, "4155550100", "2026-11-30T13:59:59Z"));
    assert!(!may_dial(&engine, "4155550100", "2026-11-30T14:00:00Z"));
    // Tuesday 23:59:59.999 local is in; Wednesday 00:00 is not Tuesday.
    assert!(may_dial(&engine, "4155550100", "2026-12-02T07:59:59.999Z"));
    assert!(may_dial(&engine, "4155550100", "2026-12-02T04:00:00Z"));
    // Wednesday 00:00 local: standard hours (not before 08:00).
    assert!(!may_dial(&engine, "4155550100", "2026-12-02T08:00:00Z"));
    // From Monday 06:00 local, next: Tuesday 20:00 local.
    let hours = engine
        .dialing_hours(service(), phone("4155550100"), at("2026-11-30T14:00:00Z"))
        .unwrap();
    assert_eq!(hours.next_allowed, Some(at("2026-12-02T04:00:00Z")));
}

#[test]
fn a_day_no_policy_covers_gets_the_standard_hours() {
    let (engine, _) = with_profile(vec![NewPolicy {
        do_not_dial: true,
        ..NewPolicy::new(day("MONDAY"), area(415))
    }]);
    let hours = engine
        .dialing_hours(service(), phone("4155550100"), at("2026-12-01T15:30:00Z"))
        .unwrap();
    assert_eq!(hours.places[0].rule, HoursRule::Standard);
    assert!(!hours.may_dial()); // 07:30 local
    assert_eq!(hours.next_allowed, Some(at("2026-12-01T16:00:00Z")));
}

#[test]
fn a_multi_zone_area_code_must_be_allowed_in_every_zone() {
    let engine = engine();
    // 208-555 is not split by exchange: Boise (UTC-7) and Los Angeles (UTC-8).
    let zones: Vec<&str> = dnc_engine::geo::phone_zones(phone("2085550100"))
        .unwrap()
        .names()
        .collect();
    assert!(zones.contains(&"America/Boise") && zones.contains(&"America/Los_Angeles"));
    // 15:30Z: 08:30 in Boise, 07:30 in Los Angeles.
    let hours = engine
        .dialing_hours(service(), phone("2085550100"), at("2026-11-30T15:30:00Z"))
        .unwrap();
    assert!(!hours.may_dial());
    let blocking: Vec<&str> = hours.blocking().map(|p| p.place.zone.name()).collect();
    assert_eq!(blocking, ["America/Los_Angeles"]);
    assert_eq!(hours.next_allowed, Some(at("2026-11-30T16:00:00Z")));
    // 03:30Z: 20:30 in Boise, 19:30 in Los Angeles.
    assert!(may_dial(&engine, "2085550100", "2026-12-01T03:30:00Z"));
    // 04:30Z: 21:30 in Boise: refused although Los Angeles is at 20:30.
    assert!(!may_dial(&engine, "2085550100", "2026-12-01T04:30:00Z"));
    // An exchange the data places in one zone is checked there only:
    // 208-263 is Pacific.
    assert!(!may_dial(&engine, "2082630100", "2026-11-30T15:30:00Z"));
    assert!(may_dial(&engine, "2082630100", "2026-12-01T04:30:00Z"));
}

#[test]
fn the_florida_panhandle_splits_by_exchange() {
    let engine = engine();
    let zones_of = |number: &str| -> Vec<&'static str> {
        dnc_engine::geo::phone_zones(phone(number))
            .unwrap()
            .names()
            .collect()
    };
    // 850-595 is named Central by its own prefix. 850-222 (Tallahassee) is
    // named by none: phonenumbers' 850 default says Eastern, NANPA says the
    // code spans Eastern and Central, so both must allow (issue 10, 4).
    assert_eq!(zones_of("8505950100"), ["America/Chicago"]);
    assert_eq!(
        zones_of("8502220100"),
        ["America/New_York", "America/Chicago"]
    );
    // 13:30Z: 08:30 Eastern, 07:30 Central.
    assert!(!may_dial(&engine, "8505950100", "2026-11-30T13:30:00Z"));
    assert!(!may_dial(&engine, "8502220100", "2026-11-30T13:30:00Z"));
    // 14:00Z: 09:00 Eastern, 08:00 Central.
    assert!(may_dial(&engine, "8502220100", "2026-11-30T14:00:00Z"));
    // 02:30Z: 21:30 Eastern, 20:30 Central.
    assert!(!may_dial(&engine, "8502220100", "2026-12-01T02:30:00Z"));
    assert!(may_dial(&engine, "8505950100", "2026-12-01T02:30:00Z"));
}

#[test]
fn arizona_keeps_standard_time_all_year() {
    let engine = engine();
    // July: Phoenix UTC-7, Denver UTC-6. 14:30Z is 07:30 in Phoenix.
    assert!(!may_dial(&engine, "6025550100", "2026-07-15T14:30:00Z"));
    assert!(may_dial(&engine, "3035550100", "2026-07-15T14:30:00Z"));
    let hours = engine
        .dialing_hours(service(), phone("6025550100"), at("2026-07-15T14:30:00Z"))
        .unwrap();
    assert_eq!(hours.next_allowed, Some(at("2026-07-15T15:00:00Z")));
    // January: both UTC-7.
    assert!(may_dial(&engine, "6025550100", "2026-01-15T15:30:00Z"));
    assert!(may_dial(&engine, "3035550100", "2026-01-15T15:30:00Z"));
}

#[test]
fn british_columbia_keeps_daylight_time_after_november_2026() {
    // BC's permanent UTC-7 (tzdb 2026): in December 2026 15:30Z is 08:30 in
    // Vancouver. With the pre-2026 rules (UTC-8) it would be 07:30: refused.
    let engine = engine();
    let hours = engine
        .dialing_hours(service(), phone("6045550100"), at("2026-12-01T15:30:00Z"))
        .unwrap();
    assert_eq!(hours.places[0].place.zone.name(), "America/Vancouver");
    assert_eq!(hours.places[0].local.to_string(), "2026-12-01T08:30:00");
    assert!(hours.may_dial());
    // Seattle, across the border, did fall back: 07:30 there.
    assert!(!may_dial(&engine, "2065550100", "2026-12-01T15:30:00Z"));
}

#[test]
fn spring_forward_gap_start_is_allowed_from_the_gap_end() {
    // 2026-03-08 02:00 New York jumps to 03:00. A window from 02:30 opens at
    // the jump (07:00Z), the first instant whose local time is past 02:30.
    let (engine, _) = with_profile(vec![policy("ALL", area(212), window("02:30", "05:00"))]);
    let hours = engine
        .dialing_hours(service(), phone("2125550100"), at("2026-03-08T06:30:00Z"))
        .unwrap();
    assert!(!hours.may_dial()); // 01:30 EST
    assert_eq!(hours.next_allowed, Some(at("2026-03-08T07:00:00Z")));
}

#[test]
fn fall_back_repeats_an_hour_of_local_time() {
    // 2026-11-01 02:00 EDT falls back to 01:00 EST. A window 00:00-01:30
    // closes at 01:30 EDT (05:30Z) and reopens at the fall back (06:00Z,
    // 01:00 EST) until 01:30 EST (06:30Z).
    let (engine, _) = with_profile(vec![policy("ALL", area(212), window("00:00", "01:30"))]);
    assert!(!may_dial(&engine, "2125550100", "2026-11-01T05:45:00Z"));
    assert!(may_dial(&engine, "2125550100", "2026-11-01T06:15:00Z"));
    let hours = engine
        .dialing_hours(service(), phone("2125550100"), at("2026-11-01T05:45:00Z"))
        .unwrap();
    assert_eq!(hours.next_allowed, Some(at("2026-11-01T06:00:00Z")));
}

#[test]
fn an_answer_at_the_midnight_two_local_days_ahead_is_found() {
    // Found by the fuzz target dial_ops: the search tries the first two
    // local days first, and the answer was the very next midnight (Sunday
    // 00:00 in San Francisco, 08:00Z), which that pass leaves to the next.
    let (engine, _) = with_profile(vec![
        NewPolicy {
            do_not_dial: true,
            ..NewPolicy::new(day("ALL"), country("USA"))
        },
        policy("SUNDAY", country("USA"), None),
    ]);
    let hours = engine
        .dialing_hours(service(), phone("4155550100"), at("2026-03-07T00:00:00Z"))
        .unwrap();
    assert_eq!(hours.next_allowed, Some(at("2026-03-08T08:00:00Z")));
}

#[test]
fn a_window_inside_the_repeated_hour_opens_twice() {
    // 01:30-01:45 on 2026-11-01 in New York happens in EDT (05:30Z) and
    // again in EST (06:30Z): refused at 01:50 EDT, allowed again at 01:30 EST.
    let (engine, _) = with_profile(vec![policy("SUNDAY", area(212), window("01:30", "01:45"))]);
    assert!(may_dial(&engine, "2125550100", "2026-11-01T05:35:00Z"));
    assert!(!may_dial(&engine, "2125550100", "2026-11-01T05:50:00Z"));
    assert!(may_dial(&engine, "2125550100", "2026-11-01T06:35:00Z"));
    let hours = engine
        .dialing_hours(service(), phone("2125550100"), at("2026-11-01T05:50:00Z"))
        .unwrap();
    assert_eq!(hours.next_allowed, Some(at("2026-11-01T06:30:00Z")));
}

#[test]
fn a_multi_province_area_code_must_be_allowed_in_every_province() {
    // 867 serves NT, NU and YT: a NU policy covers one of its places, and
    // the conservative reading lets it refuse the call.
    let (engine, _) = with_profile(vec![NewPolicy {
        do_not_dial: true,
        ..NewPolicy::new(day("ALL"), state("NU"))
    }]);
    let hours = engine
        .dialing_hours(service(), phone("8675550100"), at("2026-11-30T20:00:00Z"))
        .unwrap();
    assert!(!hours.may_dial());
    assert!(
        hours
            .blocking()
            .all(|p| p.place.state.unwrap().as_str() == "NU")
    );
    assert_eq!(hours.next_allowed, None);
}

#[test]
fn no_allowed_instant_within_the_horizon_is_none() {
    let (engine, _) = with_profile(vec![NewPolicy {
        do_not_dial: true,
        ..NewPolicy::new(day("ALL"), area(415))
    }]);
    let hours = engine
        .dialing_hours(service(), phone("4155550100"), at("2026-11-30T20:00:00Z"))
        .unwrap();
    assert_eq!(hours.next_allowed, None);
}

#[test]
fn the_service_profile_beats_the_client_default_which_beats_the_standard() {
    let mut engine = engine();
    let scope = Some(client());
    let make = |engine: &mut Engine, hours: Option<Window>, default: bool| {
        engine
            .profile_create(
                scope,
                NewProfile {
                    client: scope,
                    name: "p".to_owned(),
                    description: None,
                    client_default: default,
                    policies: vec![policy("ALL", country("USA"), hours)],
                },
            )
            .unwrap()
    };
    // Standard: 07:30 local refused.
    assert!(!may_dial(&engine, "4155550100", "2026-11-30T15:30:00Z"));
    let default = make(&mut engine, window("07:00", "21:00"), true);
    assert!(may_dial(&engine, "4155550100", "2026-11-30T15:30:00Z"));
    let own = make(&mut engine, window("09:00", "21:00"), false);
    engine
        .profile_assign_service(scope, own, service())
        .unwrap();
    assert!(!may_dial(&engine, "4155550100", "2026-11-30T16:30:00Z"));
    assert_eq!(
        engine.profile_for_service(service()).unwrap().unwrap().id,
        own
    );
    // Taking the service off its profile falls back to the default...
    engine
        .profile_remove_service(scope, own, service())
        .unwrap();
    assert_eq!(
        engine.profile_for_service(service()).unwrap().unwrap().id,
        default
    );
    // ...and deleting the default to the standard hours.
    engine.profile_delete(scope, default).unwrap();
    assert!(engine.profile_for_service(service()).unwrap().is_none());
    assert!(!may_dial(&engine, "4155550100", "2026-11-30T15:30:00Z"));
}

#[test]
fn one_default_per_client() {
    let mut engine = engine();
    let scope = Some(client());
    let new = |default| NewProfile {
        client: scope,
        name: "p".to_owned(),
        description: None,
        client_default: default,
        policies: vec![],
    };
    let first = engine.profile_create(scope, new(true)).unwrap();
    let second = engine.profile_create(scope, new(true)).unwrap();
    assert!(!engine.profile_read(scope, first).unwrap().client_default);
    assert!(engine.profile_read(scope, second).unwrap().client_default);
    engine
        .profile_set_client_default(scope, first, true)
        .unwrap();
    assert!(engine.profile_read(scope, first).unwrap().client_default);
    assert!(!engine.profile_read(scope, second).unwrap().client_default);
}

#[test]
fn the_reference_create_example_with_three_policies() {
    let mut engine = engine();
    let ca_415 = Region::new(
        None,
        Some(StateCode::parse("CA").unwrap()),
        Some(AreaCode::new(415).unwrap()),
    )
    .unwrap();
    // The reference writes the times as epoch instants: 08:00 and 22:00 in
    // San Francisco on 2014-01-31.
    let start = TimeOfDay::from_reference_instant(1_391_184_000, ca_415).unwrap();
    let end = TimeOfDay::from_reference_instant(1_391_234_400, ca_415).unwrap();
    assert_eq!((start, end), (time("08:00"), time("22:00")));
    let policies = vec![
        NewPolicy {
            do_not_leave_message: true,
            ..NewPolicy::new(day("WEEKDAY"), state("KS"))
        },
        NewPolicy {
            do_not_dial: true,
            do_not_leave_message: true,
            ..NewPolicy::new(day("ALL"), area(410))
        },
        NewPolicy {
            window: Some(Window::new(start, end).unwrap()),
            ..NewPolicy::new(day("MONDAY"), ca_415)
        },
    ];
    let id = engine
        .profile_create(
            Some(client()),
            NewProfile {
                client: Some(client()),
                name: "For Documentation".to_owned(),
                description: Some("used for documentation".to_owned()),
                client_default: false,
                policies: policies.clone(),
            },
        )
        .unwrap();
    let stored = engine.profile_read(Some(client()), id).unwrap();
    let rules: Vec<NewPolicy> = stored.policies.iter().map(|p| p.rule).collect();
    assert_eq!(rules, policies);
}

#[test]
fn an_area_code_outside_its_state_is_refused() {
    // The reference's "Area code/state mismatch": KS with 415.
    let refused = Region::new(
        None,
        Some(StateCode::parse("KS").unwrap()),
        Some(AreaCode::new(415).unwrap()),
    )
    .unwrap_err();
    assert_eq!(refused.code(), "area_code_state_mismatch");
    assert!(refused.to_string().contains("Area code/state mismatch"));
    // A state outside its country, an area code outside its country.
    let bc_usa = Region::new(
        Some(Country::Usa),
        Some(StateCode::parse("BC").unwrap()),
        None,
    );
    assert_eq!(bc_usa.unwrap_err().code(), "area_code_state_mismatch");
    let sf_canada = Region::new(
        Some(Country::Canada),
        None,
        Some(AreaCode::new(415).unwrap()),
    );
    assert_eq!(sf_canada.unwrap_err().code(), "area_code_state_mismatch");
    // A policy update into a mismatch changes nothing.
    let (mut engine, id) = with_profile(vec![policy("ALL", area(415), None)]);
    let policy_id = engine.profile_read(None, id).unwrap().policies[0].id;
    let update = PolicyUpdate {
        state: Some(StateCode::parse("KS").unwrap()),
        ..PolicyUpdate::default()
    };
    let before = engine.profile_read(None, id).unwrap();
    let error = engine
        .policy_update(None, id, policy_id, &update)
        .unwrap_err();
    assert_eq!(error.code(), "area_code_state_mismatch");
    assert_eq!(engine.profile_read(None, id).unwrap(), before);
    // With clearAreaCode the same update is valid: the whole state.
    let update = PolicyUpdate {
        clear_area_code: true,
        ..update
    };
    engine.policy_update(None, id, policy_id, &update).unwrap();
    assert_eq!(
        engine.profile_read(None, id).unwrap().policies[0]
            .rule
            .region,
        state("KS")
    );
}

#[test]
fn bad_profile_input_is_refused_and_names_the_value() {
    let cases: Vec<(DncError, &str, &str)> = vec![
        (
            DayRule::parse("FUNDAY").unwrap_err(),
            "invalid_profile",
            "FUNDAY",
        ),
        (
            TimeOfDay::parse("25:00").unwrap_err(),
            "invalid_profile",
            "25:00",
        ),
        (
            TimeOfDay::parse("8:00").unwrap_err(),
            "invalid_profile",
            "8:00",
        ),
        (
            TimeOfDay::parse("24:01").unwrap_err(),
            "invalid_profile",
            "24:01",
        ),
        (
            TimeOfDay::from_millis(86_400_001).unwrap_err(),
            "invalid_profile",
            "86400001",
        ),
        (
            Window::new(time("17:00"), time("09:00")).unwrap_err(),
            "invalid_profile",
            "09:00",
        ),
        (
            Window::new(time("09:00"), time("09:00")).unwrap_err(),
            "invalid_profile",
            "09:00",
        ),
        (
            Region::new(None, None, None).unwrap_err(),
            "invalid_profile",
            "region",
        ),
        (StateCode::parse("XX").unwrap_err(), "invalid_profile", "XX"),
        (
            Country::parse("MEXICO").unwrap_err(),
            "invalid_profile",
            "MEXICO",
        ),
        (
            AreaCode::parse("123").unwrap_err(),
            "invalid_area_code",
            "123",
        ),
        (
            AreaCode::parse("41").unwrap_err(),
            "invalid_area_code",
            "41",
        ),
        (
            TimeOfDay::from_reference_instant(1_391_184_000, country("USA")).unwrap_err(),
            "invalid_profile",
            "1391184000",
        ),
        (
            // The reference's read example's 93600000: past 24:00, and no
            // plausible instant.
            TimeOfDay::from_reference_instant(93_600_000, area(306)).unwrap_err(),
            "invalid_profile",
            "93600000",
        ),
        (
            ZipAreaMatchType::parse("NEAR").unwrap_err(),
            "invalid_profile",
            "NEAR",
        ),
        (
            DialChannel::parse("FAX").unwrap_err(),
            "invalid_profile",
            "FAX",
        ),
    ];
    for (error, code, named) in cases {
        assert_eq!(error.code(), code, "{error}");
        assert!(
            error.to_string().contains(named),
            "{error} should name {named}"
        );
    }
}

#[test]
fn refused_profile_changes_leave_everything_as_it_was() {
    let mut engine = engine();
    let other_client = ClientId::new(8).unwrap();
    let other_service = ServiceId::new(80).unwrap();
    engine
        .register_service(other_client, other_service)
        .unwrap();
    let scope = Some(client());
    let new = |client, default| NewProfile {
        client,
        name: "p".to_owned(),
        description: None,
        client_default: default,
        policies: vec![],
    };
    // A blank name; a system-wide default; a client creating for another.
    let blank = NewProfile {
        name: " ".to_owned(),
        ..new(scope, false)
    };
    assert_eq!(
        engine.profile_create(scope, blank).unwrap_err().code(),
        "invalid_profile"
    );
    assert_eq!(
        engine
            .profile_create(None, new(None, true))
            .unwrap_err()
            .code(),
        "invalid_profile"
    );
    assert_eq!(
        engine
            .profile_create(scope, new(Some(other_client), false))
            .unwrap_err()
            .code(),
        "invalid_profile"
    );
    assert_eq!(engine.profiles().count(), 0);
    // The first profile created after the refusals is still id 1.
    let system = engine.profile_create(None, new(None, false)).unwrap();
    assert_eq!(system.get(), 1);
    let own = engine.profile_create(scope, new(scope, false)).unwrap();
    // A client reads a system-wide profile but may not change it.
    assert!(engine.profile_read(scope, system).is_ok());
    assert_eq!(
        engine
            .profile_update(scope, system, Some("x"), None)
            .unwrap_err()
            .code(),
        "invalid_profile"
    );
    // Another client's profile is not found; another client's service is
    // refused.
    assert_eq!(
        engine
            .profile_read(Some(other_client), own)
            .unwrap_err()
            .code(),
        "not_found"
    );
    assert_eq!(
        engine
            .profile_assign_service(scope, own, other_service)
            .unwrap_err()
            .code(),
        "service_client_mismatch"
    );
    assert_eq!(
        engine
            .profile_assign_service(scope, own, ServiceId::new(999).unwrap())
            .unwrap_err()
            .code(),
        "unknown_service"
    );
    let missing = dnc_engine::PolicyId::new(42).unwrap();
    assert_eq!(
        engine
            .policy_remove(scope, own, missing)
            .unwrap_err()
            .code(),
        "not_found"
    );
    assert!(engine.profile_read(scope, own).unwrap().services.is_empty());
    assert_eq!(
        engine
            .profile_delete(scope, ProfileId::new(77).unwrap())
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[test]
fn a_client_reading_a_system_wide_profile_sees_only_its_own_services() {
    let mut engine = engine();
    let other = ServiceId::new(80).unwrap();
    engine
        .register_service(ClientId::new(8).unwrap(), other)
        .unwrap();
    let system = engine
        .profile_create(
            None,
            NewProfile {
                client: None,
                name: "system".to_owned(),
                description: None,
                client_default: false,
                policies: vec![],
            },
        )
        .unwrap();
    engine
        .profile_assign_service(None, system, service())
        .unwrap();
    engine.profile_assign_service(None, system, other).unwrap();
    assert_eq!(
        engine.profile_read(None, system).unwrap().services,
        [service(), other]
    );
    assert_eq!(
        engine
            .profile_read(Some(client()), system)
            .unwrap()
            .services,
        [service()]
    );
    assert_eq!(
        engine
            .profile_read(Some(ClientId::new(8).unwrap()), system)
            .unwrap()
            .services,
        [other]
    );
    // Both services dial under it.
    assert_eq!(
        engine.profile_for_service(other).unwrap().map(|p| p.id),
        Some(system)
    );
}

#[test]
fn profile_pages_and_info_count_the_clients_and_the_system_wide_profiles() {
    let mut engine = engine();
    let other = ClientId::new(8).unwrap();
    let new = |client| NewProfile {
        client,
        name: "p".to_owned(),
        description: None,
        client_default: false,
        policies: vec![],
    };
    engine.profile_create(None, new(None)).unwrap();
    for _ in 0..3 {
        engine
            .profile_create(Some(client()), new(Some(client())))
            .unwrap();
    }
    engine
        .profile_create(Some(other), new(Some(other)))
        .unwrap();
    assert_eq!(engine.profile_info(Some(client())).size, 4);
    assert_eq!(engine.profile_info(Some(other)).size, 2);
    assert_eq!(engine.profile_info(None).size, 5);
    let page = engine.profile_page(Some(client()), dnc_engine::PageRequest::new(1, 2).unwrap());
    let ids: Vec<u64> = page.entries.iter().map(|p| p.id.get()).collect();
    assert_eq!(ids, [2, 3]);
    assert_eq!(page.next, Some(3));
}

#[test]
fn zip_area_match_reference_examples_and_both_types() {
    let sf = AreaCode::new(415).unwrap();
    let zip = |z: &str| Zip::parse(z).unwrap();
    let dial_time = ZipAreaMatchType::DialTime;
    let optimized = ZipAreaMatchType::DialTimeOptimized;
    assert!(zip_area_match(sf, zip("94111"), dial_time).matched);
    assert!(!zip_area_match(sf, zip("10010"), dial_time).matched);
    assert!(!zip_area_match(sf, zip("10010"), optimized).matched);
    // 213 (Los Angeles) does not serve San Francisco, but shares its zone.
    let la = AreaCode::new(213).unwrap();
    assert_eq!(
        zip_area_match(la, zip("94111"), dial_time).reason,
        ZipAreaReason::NoMatch
    );
    assert_eq!(
        zip_area_match(la, zip("94111"), optimized).reason,
        ZipAreaReason::SameTimeZone
    );
    // Arizona and Denver differ in summer: not the same clock.
    let phoenix = AreaCode::new(602).unwrap();
    assert!(!zip_area_match(phoenix, zip("80202"), optimized).matched);
    // 208 spans two zones: never "the same zone" as one ZIP's.
    assert!(!zip_area_match(AreaCode::new(208).unwrap(), zip("94111"), optimized).matched);
    // Vancouver and Seattle differ from November 2026: not the same clock.
    assert!(!zip_area_match(AreaCode::new(604).unwrap(), zip("98101"), optimized).matched);
    // An unknown ZIP does not match.
    assert_eq!(
        zip_area_match(sf, zip("00000"), optimized).reason,
        ZipAreaReason::UnknownZip
    );
}

#[test]
fn a_zip_that_lists_no_area_code_matches_by_state() {
    // Find a ZIP of the table without area codes, and check the state rule.
    let (zip, info) = (0..100_000u32)
        .filter_map(|n| {
            let zip = Zip::parse(&format!("{n:05}")).unwrap();
            dnc_engine::geo::zip_info(zip).map(|info| (zip, info))
        })
        .find(|(_, info)| info.area_codes().is_empty() && info.state.as_str() == "CA")
        .expect("a Californian ZIP without area codes");
    assert_eq!(info.state.as_str(), "CA");
    let sf = AreaCode::new(415).unwrap();
    assert_eq!(
        zip_area_match(sf, zip, ZipAreaMatchType::DialTime).reason,
        ZipAreaReason::SameState
    );
    assert!(!zip_area_match(AreaCode::new(212).unwrap(), zip, ZipAreaMatchType::DialTime).matched);
}

#[test]
fn the_dial_decision_applies_the_stricter_hours_of_a_mismatched_zip() {
    let engine = engine();
    let sf = phone("4155550100");
    // 03:00Z: 19:00 in San Francisco, 22:00 in New York.
    let late = at("2026-12-01T03:00:00Z");
    let request = DialRequest::new(service(), sf, late);
    assert!(engine.dial_decision(&request).unwrap().allowed());
    let matching = engine
        .dial_decision(&request.zip(Zip::parse("94111").unwrap()))
        .unwrap();
    assert!(matching.allowed());
    assert_eq!(matching.zip_match.map(|m| m.matched), Some(true));
    let mismatched = engine
        .dial_decision(&request.zip(Zip::parse("10010").unwrap()))
        .unwrap();
    assert!(!mismatched.allowed());
    let reasons: Vec<DialReason> = mismatched.reasons().collect();
    assert!(
        reasons
            .iter()
            .any(|r| matches!(r, DialReason::ZipAreaMismatch(m) if !m.matched)),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(
            |r| matches!(r, DialReason::Hours(p) if p.place.zone.name() == "America/New_York")
        )
    );
    // Next allowed: both places must allow, so 08:00 in San Francisco
    // (16:00Z), not 08:00 in New York (13:00Z, 05:00 in San Francisco).
    assert_eq!(mismatched.next_allowed(), Some(at("2026-12-01T16:00:00Z")));
    // DIAL_TIME_OPTIMIZED: 213 and 94111 share a zone, so no extra place.
    let la = DialRequest::new(service(), phone("2135550100"), late)
        .zip(Zip::parse("94111").unwrap())
        .zip_match(ZipAreaMatchType::DialTimeOptimized);
    let decision = engine.dial_decision(&la).unwrap();
    assert_eq!(decision.zip_match.map(|m| m.matched), Some(true));
    assert_eq!(decision.hours.places.len(), 1);
}

#[test]
fn a_zip_on_a_zone_border_must_be_allowed_in_both_zones() {
    // Phenix City, Alabama (36867) keeps Eastern time; one source says
    // Central. A New York number with that ZIP at 13:30Z: 08:30 Eastern,
    // 07:30 Central: refused until 14:00Z.
    let engine = engine();
    let request = DialRequest::new(service(), phone("2125550100"), at("2026-11-30T13:30:00Z"))
        .zip(Zip::parse("36867").unwrap());
    let decision = engine.dial_decision(&request).unwrap();
    assert!(!decision.allowed());
    let blocking: Vec<&str> = decision
        .hours
        .blocking()
        .map(|p| p.place.zone.name())
        .collect();
    assert_eq!(blocking, ["America/Chicago"]);
    assert_eq!(decision.next_allowed(), Some(at("2026-11-30T14:00:00Z")));
}

#[test]
fn the_dial_decision_combines_lists_flags_and_hours_with_every_reason() {
    let mut engine = engine();
    let number = phone("4155550100");
    let account = Account::parse("A1").unwrap();
    let noon = at("2026-11-30T20:00:00Z");
    let entry = engine
        .add(NewEntry::for_service(service(), DncKey::Phone(number)))
        .unwrap();
    engine.set_account_flags(
        client(),
        &account,
        FlagUpdate {
            do_not_dial: Some(true),
            do_not_dial_daily: None,
        },
    );
    let decision = engine
        .dial_decision(&DialRequest::new(service(), number, noon).account(&account))
        .unwrap();
    assert!(!decision.allowed());
    assert!(decision.hours.may_dial());
    let reasons: Vec<DialReason> = decision.reasons().collect();
    assert_eq!(
        reasons,
        [
            DialReason::Entry(entry),
            DialReason::Flag(dnc_engine::AccountFlag::DoNotDial)
        ]
    );
    // A permanent entry and an account flag never lapse by themselves: no
    // next allowed instant (issue 13: it was the request's own instant,
    // which sent a dialer's retry loop round and round).
    assert_eq!(decision.next_allowed(), None);
    // At night, the hours are a reason too.
    let night = engine
        .dial_decision(&DialRequest::new(
            service(),
            number,
            at("2026-12-01T06:00:00Z"),
        ))
        .unwrap();
    // The entry, the profile's standard hours, and the federal law's
    // 08:00-21:00 (22:00 in San Francisco).
    let reasons: Vec<DialReason> = night.reasons().collect();
    assert_eq!(reasons.len(), 3, "{night}");
    assert!(matches!(reasons[2], DialReason::Law(refusal) if refusal.law.code == "US"));
    assert!(night.to_string().starts_with("refused: DNC entry 1; "));
}

#[test]
fn a_text_is_also_checked_against_the_sms_list() {
    let mut engine = engine();
    let number = phone("4155550100");
    let noon = at("2026-11-30T20:00:00Z");
    let id = engine
        .channel_create(
            Channel::Sms,
            client(),
            &NewChannelEntry {
                value: dnc_engine::ChannelValue::Phone(number),
                contact_group: None,
                expiration: None,
            },
            None,
        )
        .unwrap();
    let call = DialRequest::new(service(), number, noon);
    assert!(engine.dial_decision(&call).unwrap().allowed());
    let text = engine
        .dial_decision(&call.channel(DialChannel::Sms))
        .unwrap();
    assert!(!text.allowed());
    assert_eq!(
        text.reasons().collect::<Vec<_>>(),
        [DialReason::SmsEntry(id)]
    );
}

#[test]
fn a_dial_time_clients_expired_entry_no_longer_blocks_the_decision() {
    let mut engine = engine();
    engine.set_phone_dnc_type(client(), PhoneDncType::DialTime, None);
    let number = phone("4155550100");
    let id = engine
        .channel_create(
            Channel::Dialtime,
            client(),
            &NewChannelEntry {
                value: dnc_engine::ChannelValue::Phone(number),
                contact_group: None,
                expiration: Some(Expiration::parse("2026-11-29").unwrap()),
            },
            None,
        )
        .unwrap();
    let before = DialRequest::new(service(), number, at("2026-11-29T20:00:00Z"));
    let blocked = engine.dial_decision(&before).unwrap();
    assert_eq!(
        blocked.reasons().collect::<Vec<_>>(),
        [DialReason::DialtimeEntry(id)]
    );
    let after = DialRequest::new(service(), number, at("2026-12-01T20:00:00Z"));
    assert!(engine.dial_decision(&after).unwrap().allowed());
}

#[test]
fn the_dial_decision_refuses_what_it_cannot_read() {
    let engine = engine();
    let noon = at("2026-11-30T20:00:00Z");
    for bad in [
        "415555010",
        "41555501000",
        "0155550100",
        "1155550100",
        "41555501**",
    ] {
        let error = engine
            .dial_decision(&DialRequest::new(service(), phone(bad), noon))
            .unwrap_err();
        assert_eq!(error.code(), "invalid_phone", "{bad}");
        assert!(error.to_string().contains(bad));
    }
    let unknown = DialRequest::new(ServiceId::new(1).unwrap(), phone("4155550100"), noon);
    assert_eq!(
        engine.dial_decision(&unknown).unwrap_err().code(),
        "unknown_service"
    );
}

#[test]
fn a_toll_free_number_must_be_allowed_at_every_place_the_engine_knows() {
    let engine = engine();
    let places = engine
        .dialing_hours(service(), phone("8005550100"), at("2026-12-01T23:00:00Z"))
        .unwrap()
        .places;
    // Every place of the tables, each with its state and country: 800 is
    // the dialed area code of each.
    assert_eq!(places.len(), dnc_engine::geo::unknown_places().len());
    let states: std::collections::BTreeSet<&str> = places
        .iter()
        .filter_map(|p| p.place.state.map(StateCode::as_str))
        .collect();
    for expected in [
        "CA", "NY", "DC", "HI", "AK", "PR", "VI", "GU", "MP", "AS", "NU", "YT",
    ] {
        assert!(states.contains(expected), "{expected} missing: {states:?}");
    }
    assert_eq!(states.len(), 51 + 5 + 13);
    // Winter: from Guam (UTC+10) to St. John's (UTC-3:30) the standard hours
    // overlap from 22:00 to 00:30 UTC.
    assert!(may_dial(&engine, "8005550100", "2026-12-01T22:00:00Z"));
    assert!(may_dial(&engine, "8005550100", "2026-12-02T00:29:59Z"));
    assert!(!may_dial(&engine, "8005550100", "2026-12-02T00:30:00Z"));
    // 16:00Z: 06:00 in Honolulu, 02:00 in Guam: refused until 22:00Z.
    let hours = engine
        .dialing_hours(service(), phone("8005550100"), at("2026-12-01T16:00:00Z"))
        .unwrap();
    assert!(!hours.may_dial());
    assert!(
        hours
            .blocking()
            .any(|p| p.place.zone.name() == "Pacific/Honolulu")
    );
    assert_eq!(hours.next_allowed, Some(at("2026-12-01T22:00:00Z")));
}

/// Issue 10, section 4: a number that could be anywhere had candidate
/// places without a state or country, so no state or country policy ever
/// applied to it.
#[test]
fn a_number_that_could_be_anywhere_is_refused_by_the_client_defaults_country_ban() {
    let mut engine = engine();
    let scope = Some(client());
    let profile = engine
        .profile_create(
            scope,
            NewProfile {
                client: scope,
                name: "no calls to the USA".to_owned(),
                description: None,
                client_default: true,
                policies: vec![NewPolicy {
                    do_not_dial: true,
                    ..NewPolicy::new(day("ALL"), country("USA"))
                }],
            },
        )
        .unwrap();
    let ban = engine.profile_read(scope, profile).unwrap().policies[0].id;
    // 23:00Z on a Tuesday: inside the standard hours at every place.
    let instant = at("2026-12-01T23:00:00Z");
    let refused_by_the_ban = |request: DialRequest<'_>, label: &str| {
        let decision = engine.dial_decision(&request).unwrap();
        assert!(!decision.allowed(), "{label}: {decision}");
        let reasons: Vec<DialReason> = decision.reasons().collect();
        assert!(!reasons.is_empty(), "{label}");
        for reason in &reasons {
            match reason {
                DialReason::Hours(place) => {
                    assert_eq!(place.rule, HoursRule::Policy(ban), "{label}: {reason}");
                    assert!(place.do_not_dial, "{label}: {reason}");
                    assert_eq!(place.place.country, Country::Usa, "{label}: {reason}");
                }
                DialReason::ZipAreaMismatch(_) => {}
                // A callee of no known place may be in any state, and every
                // state's law applies too, each a reason of its own
                // (2026-12-01 is Alabama's Rosa Parks Day; 23:00Z is past
                // 20:00 in the Atlantic zone of Puerto Rico's places...).
                DialReason::Law(_) if label != "New York" => {}
                other => panic!("{label}: unexpected reason {other}"),
            }
        }
        assert!(
            decision
                .to_string()
                .contains(&format!("policy {ban} says doNotDial"))
        );
    };
    let call = |number: &str| DialRequest::new(service(), phone(number), instant);
    refused_by_the_ban(call("2125550100"), "New York");
    refused_by_the_ban(call("8005550100"), "toll-free");
    refused_by_the_ban(call("5005550100"), "5XX");
    refused_by_the_ban(call("9005550100"), "900");
    // 237 is a spare code: no state, no zone.
    assert!(AreaCode::new(237).unwrap().info().zones.is_empty());
    refused_by_the_ban(call("2375550100"), "an unknown area code");
    // Vancouver is not in the USA, but a ZIP the tables lack could be.
    let vancouver = call("6045550100");
    assert!(engine.dial_decision(&vancouver).unwrap().allowed());
    refused_by_the_ban(vancouver.zip(Zip::parse("00000").unwrap()), "unknown ZIP");
    // A military ZIP has no zone: anywhere as well.
    refused_by_the_ban(vancouver.zip(Zip::parse("09001").unwrap()), "military ZIP");
}

#[test]
fn a_state_ban_refuses_a_toll_free_number() {
    let instant = "2026-12-01T23:00:00Z";
    assert!(may_dial(&engine(), "8005550100", instant));
    for banned in ["GU", "TX", "NU"] {
        let (engine, _) = with_profile(vec![NewPolicy {
            do_not_dial: true,
            ..NewPolicy::new(day("ALL"), state(banned))
        }]);
        let hours = engine
            .dialing_hours(service(), phone("8005550100"), at(instant))
            .unwrap();
        assert!(!hours.may_dial(), "{banned}");
        assert!(
            hours
                .blocking()
                .all(|p| p.place.state == Some(StateCode::parse(banned).unwrap())),
            "{banned}"
        );
        // A number of one state is not touched by another's ban.
        assert!(may_dial(&engine, "6045550100", "2026-12-01T20:00:00Z"));
    }
}

#[test]
fn a_toll_free_call_at_04_30_in_guam_is_refused_at_14_30_eastern() {
    let engine = engine();
    // 2026-07-15T18:30Z: 14:30 in New York, 04:30 on the 16th in Guam.
    let hours = engine
        .dialing_hours(service(), phone("8005550100"), at("2026-07-15T18:30:00Z"))
        .unwrap();
    assert!(!hours.may_dial());
    let guam = hours
        .blocking()
        .find(|p| p.place.zone.name() == "Pacific/Guam")
        .expect("Guam blocks");
    assert_eq!(guam.place.state.map(StateCode::as_str), Some("GU"));
    assert_eq!(guam.local.to_string(), "2026-07-16T04:30:00");
    // 21:30Z in December: 07:30 in Guam and Saipan, inside the standard
    // hours everywhere else (16:30 Eastern): they alone refuse.
    let hours = engine
        .dialing_hours(service(), phone("8005550100"), at("2026-12-01T21:30:00Z"))
        .unwrap();
    let blocking: std::collections::BTreeSet<&str> =
        hours.blocking().map(|p| p.place.zone.name()).collect();
    assert_eq!(
        blocking.into_iter().collect::<Vec<_>>(),
        ["Pacific/Guam", "Pacific/Saipan"]
    );
}

#[test]
fn services_of_other_clients_see_only_their_profiles() {
    let (mut engine, id) = with_profile(vec![NewPolicy {
        do_not_dial: true,
        ..NewPolicy::new(day("ALL"), area(415))
    }]);
    let other = ServiceId::new(80).unwrap();
    engine
        .register_service(ClientId::new(8).unwrap(), other)
        .unwrap();
    let noon = at("2026-11-30T20:00:00Z");
    assert!(!may_dial(&engine, "4155550100", "2026-11-30T20:00:00Z"));
    let decision = engine
        .dial_decision(&DialRequest::new(other, phone("4155550100"), noon))
        .unwrap();
    assert!(decision.allowed());
    assert_eq!(decision.profile, None);
    assert_eq!(
        engine
            .dialing_hours(service(), phone("4155550100"), noon)
            .unwrap()
            .places[0]
            .rule,
        HoursRule::Policy(engine.profile_read(None, id).unwrap().policies[0].id)
    );
}

#[test]
fn every_policy_change_reaches_the_evaluation() {
    // Issue 10, section 7: evaluation reads the profile's policies through
    // an index by region, rebuilt whenever they change.
    let (mut engine, id) = with_profile(vec![]);
    let scope = Some(client());
    let noon = "2026-11-30T20:00:00Z"; // 12:00 in San Francisco
    assert!(may_dial(&engine, "4155550100", noon));
    let ban = engine
        .policy_add(
            scope,
            id,
            NewPolicy {
                do_not_dial: true,
                ..NewPolicy::new(day("ALL"), state("CA"))
            },
        )
        .unwrap();
    engine.validate().unwrap();
    assert!(!may_dial(&engine, "4155550100", noon));
    assert!(may_dial(&engine, "2125550100", "2026-11-30T17:00:00Z"));
    // The ban moves from the state to one area code, then to another state.
    let update = |area_code: Option<u16>, state_code: Option<&str>, clear_area_code| PolicyUpdate {
        area_code: area_code.map(|code| AreaCode::new(code).unwrap()),
        state: state_code.map(|code| StateCode::parse(code).unwrap()),
        clear_area_code,
        ..PolicyUpdate::default()
    };
    engine
        .policy_update(scope, id, ban, &update(Some(213), None, false))
        .unwrap();
    engine.validate().unwrap();
    assert!(may_dial(&engine, "4155550100", noon));
    assert!(!may_dial(&engine, "2135550100", noon));
    engine
        .policy_update(scope, id, ban, &update(None, Some("NY"), true))
        .unwrap();
    engine.validate().unwrap();
    assert!(may_dial(&engine, "2135550100", noon));
    assert!(!may_dial(&engine, "2125550100", "2026-11-30T17:00:00Z"));
    engine.policy_remove(scope, id, ban).unwrap();
    engine.validate().unwrap();
    assert!(may_dial(&engine, "2125550100", "2026-11-30T17:00:00Z"));
    engine.profile_delete(scope, id).unwrap();
    engine.validate().unwrap();
}

#[test]
fn a_bad_dial_channel_or_zip_match_type_is_an_invalid_dial_request() {
    // Issue 11: these were filed as InvalidProfile; the wire code stays.
    for error in [
        dnc_engine::DialChannel::parse("FAX").unwrap_err(),
        dnc_engine::ZipAreaMatchType::parse("NEARBY").unwrap_err(),
    ] {
        assert!(
            matches!(error, DncError::InvalidDialRequest { .. }),
            "{error:?}"
        );
        assert_eq!(error.code(), "invalid_profile");
    }
    assert_eq!(
        dnc_engine::DialChannel::parse("FAX")
            .unwrap_err()
            .to_string(),
        "invalid channel \"FAX\": expected VOICE or SMS"
    );
}
