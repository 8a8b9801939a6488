//! The holidays on which states ban sales calls, as rules for any year,
//! each list with its statute and the pages it was read from (research
//! notes of 2026-12-02 from the dnc.com "Restricted Call Dates" pages
//! 2015–2026 and their mirrors, ClickPoint, and the statutes' texts).
//!
//! Readings taken where the sources leave doubt (each says so in its
//! `note`): a holiday a source lists but enforcement is unclear is kept; a
//! day and its observed day are both banned (dnc.com lists both, the
//! statutes name one); a holiday whose shift is unknown takes the nearest
//! weekday as well as the day. Days only a governor's proclamation makes
//! (Louisiana's Acadian Day, Utah's extraordinary days) cannot be computed
//! and are not in the table.

use jiff::civil::{Weekday, date};

use crate::law::holiday::{Holiday, HolidayDate, Observed};

const fn fixed(month: i8, day: i8) -> HolidayDate {
    HolidayDate::Fixed { month, day }
}

const fn nth(month: i8, weekday: Weekday, n: i8) -> HolidayDate {
    HolidayDate::Nth {
        month,
        weekday,
        n,
        plus_days: 0,
    }
}

const fn easter(plus_days: i16) -> HolidayDate {
    HolidayDate::Easter { plus_days }
}

/// The Tuesday after the first Monday of November.
const ELECTION_DAY: HolidayDate = HolidayDate::Nth {
    month: 11,
    weekday: Weekday::Monday,
    n: 1,
    plus_days: 1,
};

const ON_THE_DAY: Observed = Observed::ON_THE_DAY;
const NEAREST: Observed = Observed::NEAREST_WEEKDAY;
const SUNDAY_TO_MONDAY: Observed = Observed::SUNDAY_TO_MONDAY;
const EVERY_SHIFT: Observed = Observed::EVERY_WEEKEND_SHIFT;

const NEW_YEAR: HolidayDate = fixed(1, 1);
const MLK: HolidayDate = nth(1, Weekday::Monday, 3);
const WASHINGTON: HolidayDate = nth(2, Weekday::Monday, 3);
const MEMORIAL: HolidayDate = nth(5, Weekday::Monday, -1);
const INDEPENDENCE: HolidayDate = fixed(7, 4);
const LABOR: HolidayDate = nth(9, Weekday::Monday, 1);
const COLUMBUS: HolidayDate = nth(10, Weekday::Monday, 2);
const VETERANS: HolidayDate = fixed(11, 11);
const THANKSGIVING: HolidayDate = nth(11, Weekday::Thursday, 4);
const CHRISTMAS: HolidayDate = fixed(12, 25);
const MARDI_GRAS: HolidayDate = easter(-47);
const GOOD_FRIDAY: HolidayDate = easter(-2);

/// Where Alabama's holidays were read.
pub(crate) const ALABAMA_SOURCE: &str = "Ala. Admin. Code r. 770-X-5-.17(1)(b) (no solicitation calls on Sundays or holidays); Ala. Code §1-3-8 (the list and the Saturday-Friday, Sunday-Monday shift); dnc.com Restricted Call Dates 2015-2026; archives.alabama.gov/intro/holidays.html";

/// Alabama: Ala. Code §1-3-8 under r. 770-X-5-.17(1)(b).
pub(crate) static ALABAMA: &[Holiday] = &[
    Holiday::new("New Year's Day", NEW_YEAR, NEAREST),
    Holiday::new(
        "Martin Luther King Jr. and Robert E. Lee's Birthday",
        MLK,
        ON_THE_DAY,
    ),
    Holiday::new("Mardi Gras", MARDI_GRAS, ON_THE_DAY).note(
        "Baldwin and Mobile counties only; the table knows no counties, so statewide (stricter)",
    ),
    Holiday::new(
        "George Washington and Thomas Jefferson's Birthday",
        WASHINGTON,
        ON_THE_DAY,
    ),
    Holiday::new(
        "Confederate Memorial Day",
        nth(4, Weekday::Monday, 4),
        ON_THE_DAY,
    ),
    Holiday::new("National Memorial Day", MEMORIAL, ON_THE_DAY),
    Holiday::new(
        "Jefferson Davis' Birthday",
        nth(6, Weekday::Monday, 1),
        ON_THE_DAY,
    ),
    Holiday::new("Juneteenth", fixed(6, 19), NEAREST)
        .note("one vendor lists it, §1-3-8 as read does not: kept (stricter)"),
    Holiday::new("Independence Day", INDEPENDENCE, NEAREST),
    Holiday::new("Labor Day", LABOR, ON_THE_DAY),
    Holiday::new(
        "Columbus Day, Fraternal Day and American Indian Heritage Day",
        COLUMBUS,
        ON_THE_DAY,
    ),
    Holiday::new("Veterans Day", VETERANS, NEAREST),
    Holiday::new("Thanksgiving Day", THANKSGIVING, ON_THE_DAY),
    Holiday::new("Mrs. Rosa L. Parks Day", fixed(12, 1), NEAREST).note(
        "dnc.com listed it in 2020; the state calendar says commemoration only: kept (stricter)",
    ),
    Holiday::new("Christmas Day", CHRISTMAS, NEAREST),
];

/// Where Louisiana's holidays were read.
pub(crate) const LOUISIANA_SOURCE: &str = "La. R.S. 45:811(3) (no sales calls on a state holiday or Sunday); La. PSC Gen. Order R-29617 §V(A)(2); La. R.S. 1:55 (the legal holidays; 1:55(E) the Saturday-Friday, Sunday-Monday shift of New Year's Day, July 4 and Christmas); dnc.com Restricted Call Dates 2015-2026 (which marks some statutory days 'not enforced' by the PSC)";

const LA_STATUTORY: &str = "in La. R.S. 1:55 but not on the PSC's enforced list per dnc.com: kept, since 45:811(3) bans calls on any state holiday (stricter)";

/// Louisiana: the PSC's enforced list and the other days of La. R.S. 1:55.
pub(crate) static LOUISIANA: &[Holiday] = &[
    Holiday::new("New Year's Day", NEW_YEAR, NEAREST),
    Holiday::new("Battle of New Orleans", fixed(1, 8), ON_THE_DAY).note(LA_STATUTORY),
    Holiday::new("Martin Luther King Jr. Day", MLK, ON_THE_DAY),
    Holiday::new("Robert E. Lee Day", fixed(1, 19), ON_THE_DAY)
        .note("in the 2018 text of 1:55, not in the current one: kept (stricter)"),
    Holiday::new("Mardi Gras", MARDI_GRAS, ON_THE_DAY),
    Holiday::new("Presidents' Day", WASHINGTON, ON_THE_DAY).note(LA_STATUTORY),
    Holiday::new("Good Friday", GOOD_FRIDAY, ON_THE_DAY).note(LA_STATUTORY),
    Holiday::new("National Memorial Day", MEMORIAL, ON_THE_DAY).note(LA_STATUTORY),
    Holiday::new("Confederate Memorial Day", fixed(6, 3), ON_THE_DAY)
        .note("in the 2018 text of 1:55, not in the current one: kept (stricter)"),
    Holiday::new("Independence Day", INDEPENDENCE, NEAREST),
    Holiday::new("Huey P. Long Day", fixed(8, 30), ON_THE_DAY).note(LA_STATUTORY),
    Holiday::new("Labor Day", LABOR, ON_THE_DAY),
    Holiday::new("Columbus Day", COLUMBUS, ON_THE_DAY),
    Holiday::new("All Saints' Day", fixed(11, 1), ON_THE_DAY).note(LA_STATUTORY),
    Holiday::new("Election Day", ELECTION_DAY, ON_THE_DAY)
        .even_years()
        .note(LA_STATUTORY),
    Holiday::new("Veterans Day", VETERANS, NEAREST)
        .note("the shift is assumed like New Year's Day's (stricter)"),
    Holiday::new("Thanksgiving Day", THANKSGIVING, ON_THE_DAY),
    Holiday::new("Christmas Day", CHRISTMAS, NEAREST),
];

/// Where Mississippi's holidays were read.
pub(crate) const MISSISSIPPI_SOURCE: &str = "Miss. Code §3-3-7 (the list; a Sunday holiday also on the Monday) under 39 Miss. Admin. Code Pt. I, R. 1:28 (said repealed after 2023 HB 1225 by dnc.com's blog of 2024-06-03; kept, see the note); dnc.com Restricted Call Dates 2015-2023; regulations.md §2";

const MS_REPEALED: &str = "a 2024 source (dnc.com blog, AG staff) says the PSC rule banning holiday calls was repealed; the issue and regulations.md list Mississippi among the holiday bans and no source gives the repeal's date or text: kept in every year (stricter)";

const fn mississippi(name: &'static str, rule: HolidayDate, observed: Observed) -> Holiday {
    Holiday::new(name, rule, observed).note(MS_REPEALED)
}

/// Mississippi: the holidays of Miss. Code §3-3-7.
pub(crate) static MISSISSIPPI: &[Holiday] = &[
    mississippi("New Year's Day", NEW_YEAR, SUNDAY_TO_MONDAY),
    mississippi(
        "Robert E. Lee and Martin Luther King Jr.'s Birthday",
        MLK,
        ON_THE_DAY,
    ),
    mississippi("Washington's Birthday", WASHINGTON, ON_THE_DAY),
    mississippi(
        "Confederate Memorial Day",
        nth(4, Weekday::Monday, -1),
        ON_THE_DAY,
    ),
    mississippi(
        "National Memorial Day and Jefferson Davis' Birthday",
        MEMORIAL,
        ON_THE_DAY,
    ),
    mississippi("Independence Day", INDEPENDENCE, SUNDAY_TO_MONDAY),
    mississippi("Labor Day", LABOR, ON_THE_DAY),
    mississippi("Armistice (Veterans) Day", VETERANS, SUNDAY_TO_MONDAY),
    mississippi("Thanksgiving Day", THANKSGIVING, ON_THE_DAY),
    mississippi("Christmas Day", CHRISTMAS, SUNDAY_TO_MONDAY),
];

/// Where Pennsylvania's holidays were read.
pub(crate) const PENNSYLVANIA_SOURCE: &str = "73 P.S. §2245(a)(10) (Telemarketer Registration Act as amended by Act 73 of 2019, HB 318, eff. 2019-12-03: no calls on legal holidays; jenkinslaw.org 2019-12-03); 44 P.S. §11 (the legal holidays, per blr.com); dnc.dreamhosters.com Pennsylvania update; dnc.com Restricted Call Dates 2020-2026";

const PA_SHIFT: &str = "no source gives Pennsylvania's weekend shift: the Friday before and the Monday after are banned too (stricter)";

const fn pennsylvania(name: &'static str, rule: HolidayDate, observed: Observed) -> Holiday {
    Holiday::new(name, rule, observed).since(date(2019, 12, 3))
}

/// Pennsylvania: the legal holidays of 44 P.S. §11, from the 2019 ban on.
pub(crate) static PENNSYLVANIA: &[Holiday] = &[
    pennsylvania("New Year's Day", NEW_YEAR, NEAREST).note(PA_SHIFT),
    pennsylvania("Martin Luther King Jr. Day", MLK, ON_THE_DAY),
    pennsylvania("Presidents' Day", WASHINGTON, ON_THE_DAY),
    pennsylvania("Good Friday", GOOD_FRIDAY, ON_THE_DAY),
    pennsylvania("Memorial Day", MEMORIAL, ON_THE_DAY),
    pennsylvania("Flag Day", fixed(6, 14), NEAREST).note(PA_SHIFT),
    pennsylvania("Independence Day", INDEPENDENCE, NEAREST).note(PA_SHIFT),
    pennsylvania("Labor Day", LABOR, ON_THE_DAY),
    pennsylvania("Columbus Day", COLUMBUS, ON_THE_DAY),
    pennsylvania("Election Day", ELECTION_DAY, ON_THE_DAY),
    pennsylvania("Veterans Day", VETERANS, NEAREST).note(PA_SHIFT),
    pennsylvania("Thanksgiving Day", THANKSGIVING, ON_THE_DAY),
    pennsylvania("Bill of Rights Day", fixed(12, 15), NEAREST)
        .note("dnc.com listed it in 2020, the 44 P.S. §11 list does not: kept (stricter)"),
    pennsylvania("Christmas Day", CHRISTMAS, NEAREST).note(PA_SHIFT),
];

/// Where Rhode Island's holidays were read.
pub(crate) const RHODE_ISLAND_SOURCE: &str = "R.I. Gen. Laws §5-61-2(9) (hours of operation: Monday-Friday except a state or federal holiday) and §5-61-3.6; §25-1-1 (the state holidays; New Year's Day, July 4, Veterans Day and Christmas on a weekend observed the Monday after; a Sunday holiday also the day after); 5 U.S.C. 6103 (federal holidays, a Saturday one observed the Friday before); dnc.com Restricted Call Dates 2015-2026";

const RI_SATURDAY: &str = "§5-61-2(9) allows Saturday 10:00-17:00 without a holiday exception; dnc.com bans a Saturday holiday too: banned (stricter)";

/// Rhode Island: the state holidays of §25-1-1 and the federal ones.
pub(crate) static RHODE_ISLAND: &[Holiday] = &[
    Holiday::new("New Year's Day", NEW_YEAR, EVERY_SHIFT).note(RI_SATURDAY),
    Holiday::new("Dr. Martin Luther King Jr.'s Birthday", MLK, ON_THE_DAY),
    Holiday::new("Washington's Birthday", WASHINGTON, ON_THE_DAY),
    Holiday::new(
        "Rhode Island Independence Day",
        fixed(5, 4),
        SUNDAY_TO_MONDAY,
    )
    .note(RI_SATURDAY),
    Holiday::new("Memorial Day", MEMORIAL, ON_THE_DAY),
    Holiday::new("Juneteenth (federal)", fixed(6, 19), NEAREST).note(RI_SATURDAY),
    Holiday::new("Independence Day", INDEPENDENCE, EVERY_SHIFT).note(RI_SATURDAY),
    Holiday::new("Victory Day", nth(8, Weekday::Monday, 2), ON_THE_DAY),
    Holiday::new("Labor Day", LABOR, ON_THE_DAY),
    Holiday::new("Columbus Day", COLUMBUS, ON_THE_DAY),
    Holiday::new("Election Day", ELECTION_DAY, ON_THE_DAY).even_years(),
    Holiday::new("Veterans Day", VETERANS, EVERY_SHIFT).note(RI_SATURDAY),
    Holiday::new("Thanksgiving Day", THANKSGIVING, ON_THE_DAY),
    Holiday::new("Christmas Day", CHRISTMAS, EVERY_SHIFT).note(RI_SATURDAY),
];

/// Where Utah's holidays were read.
pub(crate) const UTAH_SOURCE: &str = "Utah Code §13-25a-103(3) (no solicitation without prior express consent 21:00-08:00, on a Sunday or a legal holiday); §63G-1-301 (the legal holidays: its 2022 text and the text effective 2025-05-07; a Saturday holiday observed the Friday before, a Sunday one the Monday after); 2022 HB 238 (Juneteenth); dnc.com Restricted Call Dates 2015-2026";

/// Utah: the legal holidays of §63G-1-301 in each version.
pub(crate) static UTAH: &[Holiday] = &[
    Holiday::new("New Year's Day", NEW_YEAR, NEAREST),
    Holiday::new("Dr. Martin Luther King, Jr. Day", MLK, ON_THE_DAY),
    Holiday::new("Washington and Lincoln Day (Presidents' Day)", WASHINGTON, ON_THE_DAY),
    Holiday::new("Good Friday", GOOD_FRIDAY, ON_THE_DAY)
        .since(date(2026, 5, 6))
        .note("in a 2026 version of §63G-1-301 whose enactment is unverified: kept from 2026-05-06 (stricter)"),
    Holiday::new("Memorial Day", MEMORIAL, ON_THE_DAY),
    Holiday::new("Juneteenth National Freedom Day", fixed(6, 19), NEAREST)
        .since(date(2022, 1, 1))
        .note("the Monday of its week from 2025-05-07; the date itself kept too (stricter)"),
    Holiday::new(
        "Juneteenth National Freedom Day (Monday)",
        HolidayDate::MondayOfWeek { month: 6, day: 19 },
        ON_THE_DAY,
    )
    .since(date(2025, 5, 7)),
    Holiday::new("Independence Day", INDEPENDENCE, NEAREST),
    Holiday::new("Pioneer Day", fixed(7, 24), NEAREST),
    Holiday::new("Labor Day", LABOR, ON_THE_DAY),
    Holiday::new("Columbus Day", COLUMBUS, ON_THE_DAY),
    Holiday::new("Election Day", ELECTION_DAY, ON_THE_DAY)
        .since(date(2027, 1, 1))
        .note("2026 HB 104 as introduced, effective 2027-01-01; enactment unverified: kept (stricter)"),
    Holiday::new("Veterans Day", VETERANS, NEAREST),
    Holiday::new("Thanksgiving Day", THANKSGIVING, ON_THE_DAY),
    Holiday::new("Christmas Day", CHRISTMAS, NEAREST),
];
