//! The contact-frequency caps the law sets, each with its citation and
//! source (`../shared/reference/regulations.md` sections 2 and 3):
//! Regulation F's two presumptions for debt collectors, and the states'
//! caps on contacts per person.

use jiff::SignedDuration;

use crate::attempts::rule::ChannelSet;

const DAY: SignedDuration = SignedDuration::from_hours(24);
const WEEK: SignedDuration = SignedDuration::from_hours(7 * 24);

/// A cap the law sets on contacts.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct CapLaw {
    /// `REG_F` or the state's postal code.
    pub code: &'static str,
    /// What it is.
    pub name: &'static str,
    /// The statute or rule.
    pub citation: &'static str,
    /// Where it was read.
    pub source: &'static str,
    /// How many contacts the window holds before the next is refused.
    pub limit: u32,
    /// The rolling window.
    pub window: SignedDuration,
    /// Which contacts count and which it refuses.
    pub channels: ChannelSet,
    /// Counted per debt (else per person, whatever the subject).
    pub per_debt: bool,
    /// Whether outbound attempts that did not connect count.
    pub counts_not_connected: bool,
    /// The reading taken where the sources leave doubt.
    pub note: Option<&'static str>,
}

/// Regulation F's first presumption: a debt collector may not place a
/// telephone call to a person about a debt more than seven times within
/// seven consecutive days (so the eighth is refused).
pub static REG_F_CALLS: CapLaw = CapLaw {
    code: "REG_F",
    name: "Regulation F call-frequency presumption (7 calls in 7 days)",
    citation: "12 CFR 1006.14(b)(2)(i)(A)",
    source: "regulations.md §3 (CFPB debt collection rule FAQs, Telephone Call Frequency Q1; seiright.com quoting 1006.14(b)(2)(i); nratheband.com: rolling 7 days)",
    limit: 7,
    window: WEEK,
    channels: ChannelSet::VOICE,
    per_debt: true,
    counts_not_connected: true,
    note: Some(
        "placed calls count whether or not they connect; 1006.14(b)(3) may exclude calls that do not connect (unverified in the sources): they count (stricter); the window is 7 x 24 hours either side of the call (stricter than 7 calendar days)",
    ),
};

/// Regulation F's second presumption: no telephone call within seven days
/// after a telephone conversation with the person about the debt (inbound
/// conversations included).
pub static REG_F_CONVERSATION: CapLaw = CapLaw {
    code: "REG_F",
    name: "Regulation F presumption after a conversation (7 days)",
    citation: "12 CFR 1006.14(b)(2)(i)(B)",
    source: "regulations.md §3 (CFPB FAQ; insidearm.com on inbound conversations; CFPB FAQ Presumptions Q6 on conversations about several debts)",
    limit: 0,
    window: WEEK,
    channels: ChannelSet::VOICE,
    per_debt: true,
    counts_not_connected: false,
    note: Some("the 7 days run from the conversation's instant (stricter than from its date)"),
};

/// The states' caps, by postal code.
pub static STATE_CAPS: &[CapLaw] = &[
    CapLaw {
        code: "FL",
        name: "Florida Telephone Solicitation Act call cap",
        citation: "Fla. Stat. §501.616(6)(b), SB 1120 (2021)",
        source: "flsenate.gov/Session/Bill/2021/1120/BillText/Filed/HTML; regulations.md §2",
        limit: 3,
        window: DAY,
        channels: ChannelSet::BOTH,
        per_debt: false,
        counts_not_connected: true,
        note: Some(ANY_SUBJECT_AND_TEXTS),
    },
    CapLaw {
        code: "MA",
        name: "Massachusetts debt collection contact cap",
        citation: "940 CMR 7.04(1)(f)",
        source: "regulations.justia.com/states/massachusetts/940-cmr/title-940-cmr-7-00/section-7-04; masslegalhelp.org; regulations.md §2",
        limit: 2,
        window: WEEK,
        channels: ChannelSet::BOTH,
        per_debt: true,
        counts_not_connected: true,
        note: Some(
            "2 per 7 days per debt to the debtor's numbers, counted per debt and person (the rule limits communications with the debtor; a call about the debt to someone else is not one of them); the 2 per 30 days elsewhere is not modelled: every number counts as the debtor's (stricter); texts count as the rule names text messaging; applies to debt collectors and to any contact about a debt (creditors too)",
        ),
    },
    CapLaw {
        code: "MD",
        name: "Maryland Stop the Spam Calls Act contact cap",
        citation: "SB 90 (2023), Md. Code, Com. Law §14-4501 ff., eff. 2024-01-01",
        source: "regulations.md §2 (wmar2news.com; dnc.com news)",
        limit: 3,
        window: DAY,
        channels: ChannelSet::BOTH,
        per_debt: false,
        counts_not_connected: true,
        note: Some(ANY_SUBJECT),
    },
    CapLaw {
        code: "OK",
        name: "Oklahoma Telephone Solicitation Act call cap",
        citation: "15 O.S. §775C.4 (HB 3168), eff. 2022-11-01",
        source: "regulations.md §2 (dnc.dreamhosters.com/?p=1309; Lerman Senter via 24kyc.com; blog.clickpointsoftware.com)",
        limit: 3,
        window: DAY,
        channels: ChannelSet::BOTH,
        per_debt: false,
        counts_not_connected: true,
        note: Some(ANY_SUBJECT_AND_TEXTS),
    },
    CapLaw {
        code: "OR",
        name: "Oregon telephone solicitation contact cap (HB 3865)",
        citation: "Or. Laws 2025 ch. 580 (HB 3865), eff. 2026-01-01",
        source: "regulations.md §2 (oregonlegislature.gov/bills_laws/lawsstatutes/2025orlaw0580.pdf via a public compliance register)",
        limit: 3,
        window: DAY,
        channels: ChannelSet::BOTH,
        per_debt: false,
        counts_not_connected: true,
        note: Some(ANY_SUBJECT),
    },
];

const ANY_SUBJECT: &str = "every contact to the person counts, whatever its subject (the engine cannot tell subjects apart: stricter)";
const ANY_SUBJECT_AND_TEXTS: &str = "every contact to the person counts, whatever its subject, texts included (the sources say calls; stricter)";

/// The cap of `code`, when a state sets one.
pub fn state_cap(code: &str) -> Option<&'static CapLaw> {
    STATE_CAPS.iter().find(|cap| cap.code == code)
}

/// The longest window of the law's caps: how much history they need.
pub const LAW_REACH: SignedDuration = WEEK;
