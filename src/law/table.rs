//! The calling-law table: the federal window, Canada's CRTC hours, and
//! every state's stricter rule the sources name, each row with its citation
//! and source (`../shared/reference/regulations.md` sections 2–3, and the
//! pages named in each row).
//!
//! The law is a floor under every dialing profile: a call must be allowed by
//! every law of every place the callee may be in. Where the sources
//! disagree, a row takes the stricter reading and says so in its `note`.
//! Where a state's values are cut off in every source consulted, the row
//! takes the strictest window of the table and says so (conservative: the
//! answer that does not call).

use std::sync::OnceLock;

use crate::geo::{Country, StateCode};
use crate::law::holiday::Holiday;
use crate::law::state_holidays;
use crate::values::clock::{TimeOfDay, Window};

/// The version of this table: the date its rows were last checked against
/// their sources. Answers and snapshots name it.
pub const LAW_TABLE_VERSION: &str = "2026-12-02";

/// One calling law: who makes it, its hours by weekday, the days and
/// holidays it bans, and where it is written.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct CallingLaw {
    /// `US` (federal), `CA` (Canada) or the state's postal code.
    pub code: &'static str,
    /// The law's name.
    pub name: &'static str,
    /// The statute or rule that sets the hours and bans.
    pub citation: &'static str,
    /// Where the row's values were read.
    pub source: &'static str,
    /// The window in which a call may start, Monday first; `None`: no calls
    /// that day.
    pub hours: [Option<Window>; 7],
    /// The holidays on which calls are banned (each also on the day it is
    /// observed).
    pub holidays: &'static [Holiday],
    /// Where the holidays were read; empty without holidays.
    pub holiday_source: &'static str,
    /// A fixed UTC offset, in hours, at which the window must hold too: a
    /// statute that writes its hours in standard time ("8:00 a.m. and 8:00
    /// p.m. Central Standard Time") is read both as the clock and as that
    /// offset, and a call must fit both.
    pub standard_offset_hours: Option<i8>,
    /// A disagreement between sources, or a value no source gives, and the
    /// reading taken.
    pub note: Option<&'static str>,
}

const fn window(start_hour: u32, start_minute: u32, end_hour: u32, end_minute: u32) -> Window {
    Window::of_law(
        TimeOfDay::hm(start_hour, start_minute),
        TimeOfDay::hm(end_hour, end_minute),
    )
}

const fn hours(from: u32, to: u32) -> Option<Window> {
    Some(window(from, 0, to, 0))
}

/// The same window every day.
const fn every_day(window: Option<Window>) -> [Option<Window>; 7] {
    [window; 7]
}

/// Monday–Friday, Saturday, Sunday.
const fn by_day(
    weekday: Option<Window>,
    saturday: Option<Window>,
    sunday: Option<Window>,
) -> [Option<Window>; 7] {
    [
        weekday, weekday, weekday, weekday, weekday, saturday, sunday,
    ]
}

/// The federal floor: 08:00–21:00 at the called party's location, every
/// day.
pub static FEDERAL: CallingLaw = CallingLaw {
    code: "US",
    name: "TCPA and Telemarketing Sales Rule",
    citation: "47 CFR 64.1200(c)(1); 16 CFR 310.4(c); for debt collectors 12 CFR 1006.6(b)(1)",
    source: "regulations.md §2 table (Federal row) and §3 (Time of day)",
    hours: every_day(hours(8, 21)),
    holidays: &[],
    holiday_source: "",
    standard_offset_hours: None,
    note: None,
};

/// Canada's telemarketing hours: 09:00–21:30 on weekdays, 10:00–18:00 on
/// Saturday and Sunday, callee time.
pub static CANADA: CallingLaw = CallingLaw {
    code: "CA",
    name: "CRTC Unsolicited Telecommunications Rules, Part III (Telemarketing Rules)",
    citation: "CRTC Unsolicited Telecommunications Rules, Part III",
    source: "regulations.md §1.2 (Calling hours; northerntel.ca summary of the CRTC rules)",
    hours: by_day(Some(window(9, 0, 21, 30)), hours(10, 18), hours(10, 18)),
    holidays: &[],
    holiday_source: "",
    standard_offset_hours: None,
    note: Some("provincial holiday bans (e.g. Newfoundland and Labrador) are not in the table"),
};

/// The states' rules, by postal code.
pub static STATES: &[CallingLaw] = &[
    CallingLaw {
        code: "AL",
        name: "Alabama telephone solicitation rules",
        citation: "Ala. Admin. Code r. 770-X-5-.17(1)(b) (08:00-20:00, no Sundays or holidays); Ala. Code §1-3-8(a) (observed days)",
        source: "regulations.md §2 (dropcowboy.com/state-compliance; ClickPoint); the rule's text on a public mirror of the Alabama Administrative Code (d1tvxue8o4w0fl.cloudfront.net, chapter 770-X-5)",
        hours: by_day(hours(8, 20), hours(8, 20), None),
        holidays: state_holidays::ALABAMA,
        holiday_source: state_holidays::ALABAMA_SOURCE,
        standard_offset_hours: None,
        note: Some(
            "the rule is headed for automated solicitation calls and dnc.com says it binds telephone utilities; vendors apply it to every caller: applied to every call (stricter)",
        ),
    },
    CallingLaw {
        code: "CT",
        name: "Connecticut telemarketing law (PA 23-98)",
        citation: "Conn. Gen. Stat. §42-288a as amended by SB 1058 / PA 23-98, eff. 2023-10-01",
        source: "regulations.md §2 (Klein Moynihan Turco via mondaq; manatt.com)",
        hours: every_day(hours(9, 20)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: Some("ClickPoint's table says 09:00-21:00 (stale); the statute's 20:00 is taken"),
    },
    CallingLaw {
        code: "FL",
        name: "Florida Telephone Solicitation Act",
        citation: "Fla. Stat. §501.616(6)(a), SB 1120 (2021)",
        source: "flsenate.gov/Session/Bill/2021/1120/BillText/Filed/HTML",
        hours: every_day(hours(8, 20)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: None,
    },
    CallingLaw {
        code: "IL",
        name: "Illinois telephone solicitation law",
        citation: "815 ILCS 413 (Telephone Solicitations Act)",
        source: "regulations.md §2 (dropcowboy.com; ClickPoint)",
        hours: every_day(hours(9, 21)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: Some(
            "sources disagree (08:00-21:00, or 09:00-21:00 for prerecorded calls): the stricter 09:00-21:00 is taken",
        ),
    },
    CallingLaw {
        code: "KY",
        name: "Kentucky telephone solicitation law",
        citation: "KRS 367.46955",
        source: "regulations.md §2 (dropcowboy.com/state-compliance; ClickPoint)",
        hours: every_day(hours(10, 21)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: None,
    },
    CallingLaw {
        code: "LA",
        name: "Louisiana telephone solicitation rules",
        citation: "La. PSC Gen. Order R-29617 §V(A)(2); LSA-R.S. 45:811",
        source: "dnc.com/holiday-alerts?year=2023 (quoting the General Order); dropcowboy.com",
        hours: by_day(hours(8, 20), hours(8, 20), None),
        holidays: state_holidays::LOUISIANA,
        holiday_source: state_holidays::LOUISIANA_SOURCE,
        standard_offset_hours: None,
        note: Some("holidays a governor proclaims (e.g. 2023-12-26) are not in the table"),
    },
    CallingLaw {
        code: "MA",
        name: "Massachusetts telemarketing law",
        citation: "M.G.L. c.159C §3",
        source: "regulations.md §2 (dropcowboy.com; ClickPoint)",
        hours: every_day(hours(8, 20)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: None,
    },
    CallingLaw {
        code: "MD",
        name: "Maryland Stop the Spam Calls Act of 2023",
        citation: "SB 90 (2023), Md. Code, Com. Law §14-4501 ff., eff. 2024-01-01",
        source: "regulations.md §2 (wmar2news.com; dnc.com news)",
        hours: every_day(hours(8, 20)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: None,
    },
    CallingLaw {
        code: "MI",
        name: "Michigan home solicitation law",
        citation: "MCL 445.111b",
        source: "regulations.md §2 (dropcowboy.com/state-compliance; ClickPoint)",
        hours: every_day(hours(9, 21)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: None,
    },
    CallingLaw {
        code: "MN",
        name: "Minnesota telephone solicitation law",
        citation: "Minn. Stat. §325E.27",
        source: "regulations.md §2 (dropcowboy.com/state-compliance; ClickPoint)",
        hours: every_day(hours(9, 21)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: None,
    },
    CallingLaw {
        code: "MS",
        name: "Mississippi telephone solicitation law",
        citation: "Miss. Code §77-3-723(1) (08:00-20:00 Central Standard Time, no Sundays); §77-3-603(a)",
        source: "getpocketlaw.com Miss. Code §77-3-723; dropcowboy.com/state-compliance; regulations.md §2",
        hours: by_day(hours(8, 20), hours(8, 20), None),
        holidays: state_holidays::MISSISSIPPI,
        holiday_source: state_holidays::MISSISSIPPI_SOURCE,
        standard_offset_hours: Some(-6),
        note: Some(
            "§77-3-603(a) allows until 21:00: the stricter 20:00 is taken; 'Central Standard Time' is read both as the clock and as UTC-6",
        ),
    },
    CallingLaw {
        code: "NM",
        name: "New Mexico telephone solicitation law",
        citation: "N.M. Stat. §57-12-22",
        source: "regulations.md §2 (dropcowboy.com)",
        hours: every_day(hours(9, 21)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: None,
    },
    CallingLaw {
        code: "NV",
        name: "Nevada telephone solicitation law",
        citation: "NRS 598.0918",
        source: "regulations.md §2 (compliance register in a public repo; dropcowboy.com/state-compliance)",
        hours: every_day(hours(9, 20)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: None,
    },
    CallingLaw {
        code: "OK",
        name: "Oklahoma Telephone Solicitation Act of 2022",
        citation: "15 O.S. §775C (HB 3168), eff. 2022-11-01",
        source: "regulations.md §2 (dnc.dreamhosters.com/?p=1309; Lerman Senter via 24kyc.com)",
        hours: every_day(hours(8, 20)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: None,
    },
    CallingLaw {
        code: "OR",
        name: "Oregon telephone solicitation law (HB 3865)",
        citation: "Or. Laws 2025 ch. 580 (HB 3865), eff. 2026-01-01",
        source: "regulations.md §2 (oregonlegislature.gov/bills_laws/lawsstatutes/2025orlaw0580.pdf, via a public compliance register)",
        hours: every_day(hours(8, 20)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: None,
    },
    CallingLaw {
        code: "PA",
        name: "Pennsylvania Telemarketer Registration Act",
        citation: "73 P.S. §2245 (Telemarketer Registration Act); 44 P.S. §11 (every Saturday after noon a half holiday)",
        source: "attorneygeneral.gov telemarketing advisory (08:00-21:00); avvo.com 2011 guide (09:00-20:00); dropcowboy.com/state-compliance (Saturday 08:00-12:00); regulations.md §2",
        hours: by_day(hours(9, 20), hours(9, 12), None),
        holidays: state_holidays::PENNSYLVANIA,
        holiday_source: state_holidays::PENNSYLVANIA_SOURCE,
        standard_offset_hours: None,
        note: Some(PENNSYLVANIA_NOTE),
    },
    CallingLaw {
        code: "RI",
        name: "Rhode Island telephone sales solicitation law",
        citation: "R.I. Gen. Laws §5-61-3.6 and §5-61-2(9) (Monday-Friday 09:00-18:00 except a holiday, Saturday 10:00-17:00)",
        source: "webserver.rilin.state.ri.us/Statutes/TITLE5/5-61/5-61-3.6.HTM; instalawyer.io R.I. Gen. Laws §5-61-2; regulations.md §2",
        hours: by_day(hours(9, 18), hours(10, 17), None),
        holidays: state_holidays::RHODE_ISLAND,
        holiday_source: state_holidays::RHODE_ISLAND_SOURCE,
        standard_offset_hours: None,
        note: Some("the hours of operation name no Sunday hours: no calls on Sunday"),
    },
    CallingLaw {
        code: "UT",
        name: "Utah Telephone and Facsimile Solicitation Act",
        citation: "Utah Code §13-25a-103(3) (without prior express consent: not 21:00-08:00, not on a Sunday or a legal holiday)",
        source: "codes.findlaw.com Utah Code §13-25a-103; regulations.md §2",
        hours: by_day(hours(8, 21), hours(8, 21), None),
        holidays: state_holidays::UTAH,
        holiday_source: state_holidays::UTAH_SOURCE,
        standard_offset_hours: None,
        note: None,
    },
    CallingLaw {
        code: "WA",
        name: "Washington commercial telephone solicitation law",
        citation: "RCW 19.158.110",
        source: "regulations.md §2 (a public repo citing app.leg.wa.gov)",
        hours: every_day(hours(8, 20)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: None,
    },
    unverified("SD"),
    CallingLaw {
        code: "TX",
        name: "Texas telephone solicitation law",
        citation: "Tex. Bus. & Com. Code (telephone solicitation hours; section text not read)",
        source: "legalclarity.org 'what is the legal time to call customers in texas' (09:00-21:00); a third-party code comment (Sunday 12:00-21:00)",
        hours: by_day(hours(9, 21), hours(9, 21), hours(12, 21)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: Some(
            "secondary sources only, the statute's text was not read: their stricter hours are taken",
        ),
    },
    unverified("WI"),
    unverified("WY"),
];

const PENNSYLVANIA_NOTE: &str = "the Attorney General says 08:00-21:00, an older guide 09:00-20:00: 09:00-20:00 is taken; Saturday ends at noon (44 P.S. §11's half holiday, Drop Cowboy's table); regulations.md marks Sunday \"restricted\" and every source's Sunday row is garbled: no calls on Sunday (the answer that does not call)";

/// A state whose row exists in the vendor tables but whose values are cut
/// off in every version consulted (regulations.md §2: "not found"): the
/// table's strictest window (10:00-20:00) every day, until a source gives
/// the row.
const fn unverified(code: &'static str) -> CallingLaw {
    CallingLaw {
        code,
        name: "state telephone solicitation law (values not found)",
        citation: "not found in the sources consulted",
        source: "regulations.md §2 (\"rows exist in vendor tables but their values are cut off\")",
        hours: every_day(hours(10, 20)),
        holidays: &[],
        holiday_source: "",
        standard_offset_hours: None,
        note: Some(
            "no source gives this state's hours: the table's strictest window, 10:00-20:00, is taken",
        ),
    }
}

/// The row of `state`, when the table has one.
pub fn state_law(state: StateCode) -> Option<&'static CallingLaw> {
    static BY_STATE: OnceLock<Vec<Option<u8>>> = OnceLock::new();
    let by_state = BY_STATE.get_or_init(|| {
        let mut by_state = vec![None; 256];
        for (row, law) in STATES.iter().enumerate() {
            if let Ok(state) = StateCode::parse(law.code) {
                by_state[usize::from(state.index())] = Some(row as u8);
            }
        }
        by_state
    });
    by_state[usize::from(state.index())].map(|row| &STATES[usize::from(row)])
}

/// Every law of a place: the country's (the federal floor in the USA and
/// for the NANP's other countries, which no source places under a law of
/// their own; the CRTC's in Canada), then the state's. A US place without a
/// state may be in any state: every state's row applies; a place of no
/// country, every row of the table.
pub(crate) fn laws_at(
    state: Option<StateCode>,
    country: Country,
) -> impl Iterator<Item = &'static CallingLaw> {
    static US: [&CallingLaw; 1] = [&FEDERAL];
    static CA: [&CallingLaw; 1] = [&CANADA];
    static BOTH: [&CallingLaw; 2] = [&FEDERAL, &CANADA];
    let national: &'static [&'static CallingLaw] = match country {
        Country::Canada => &CA,
        Country::Usa | Country::Other => &US,
        Country::None => &BOTH,
    };
    let states: &'static [CallingLaw] = match (state, country) {
        (Some(state), _) => state_law(state).map_or(&[], std::slice::from_ref),
        (None, Country::Usa | Country::None) => STATES,
        (None, _) => &[],
    };
    national.iter().copied().chain(states.iter())
}

/// Every law of the table: the federal row, Canada's, then the states'.
pub fn all() -> impl Iterator<Item = &'static CallingLaw> {
    [&FEDERAL, &CANADA].into_iter().chain(STATES.iter())
}
