//! The dial decision's vocabulary: how the contact is made, what is asked,
//! why it is refused, the answer, and the places a dialed number may be in
//! (the exchange's, the area code's, the ZIP's; every known place when no
//! source places it).

use std::fmt;

use jiff::Timestamp;
use smallvec::SmallVec;

use crate::attempts::{CapAnswer, CapRefusal, ContactKey};
use crate::channel::DialChannel;
use crate::dialing::hours::{HoursAnswer, HoursRule, Place, PlaceAnswer};
use crate::error::DncError;
use crate::geo::zip_area::{ZipAreaMatch, ZipAreaMatchType};
use crate::geo::{self, AreaCode, ZipInfo, ZoneSet};
use crate::law::{LawAnswer, LawRefusalAt};
use crate::registry::source::RegistrySource;
use crate::registry::verdict::{RegistryCheck, RegistryStatus, RegistryVerdict};
use crate::values::account::Account;
use crate::values::flags::AccountFlag;
use crate::values::ids::{EntryId, ProfileId, ServiceId};
use crate::values::phone::Phone;
use crate::values::zip::Zip;
use crate::verdict::Verdict;

/// A dial decision request: who calls whom, how, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DialRequest<'a> {
    /// The service making the contact.
    pub service: ServiceId,
    /// The dialed number: 10 NANP digits.
    pub phone: Phone,
    /// The account, whose entries and Do Not Dial flags apply.
    pub account: Option<&'a Account>,
    /// The callee's ZIP: its entries apply, and when it does not match the
    /// area code its place's hours apply too.
    pub zip: Option<Zip>,
    /// Voice or SMS.
    pub channel: DialChannel,
    /// The instant of the contact (the engine never reads a clock).
    pub at: Timestamp,
    /// Which ZIP/area-code match decides a mismatch (default `DIAL_TIME`).
    pub zip_match: ZipAreaMatchType,
    /// The person sought, for the contact caps (`None`: the number stands
    /// for the person).
    pub person: Option<ContactKey>,
    /// The debts (or subjects) the contact is about, for the caps per debt
    /// (empty: any; every attempt to the person counts).
    pub debts: &'a [ContactKey],
    /// When the person gave a debt collector direct prior consent to call:
    /// a call within seven days after is excluded from Regulation F.
    pub consent: Option<Timestamp>,
}

impl<'a> DialRequest<'a> {
    /// A voice call by `service` to `phone` at `at`, without account or ZIP.
    pub fn new(service: ServiceId, phone: Phone, at: Timestamp) -> DialRequest<'a> {
        DialRequest {
            service,
            phone,
            account: None,
            zip: None,
            channel: DialChannel::Voice,
            at,
            zip_match: ZipAreaMatchType::DialTime,
            person: None,
            debts: &[],
            consent: None,
        }
    }

    /// With the person sought.
    pub fn person(self, person: ContactKey) -> DialRequest<'a> {
        DialRequest {
            person: Some(person),
            ..self
        }
    }

    /// About these debts.
    pub fn debts(self, debts: &'a [ContactKey]) -> DialRequest<'a> {
        DialRequest { debts, ..self }
    }

    /// With the person's direct prior consent given at `given`.
    pub fn consent(self, given: Timestamp) -> DialRequest<'a> {
        DialRequest {
            consent: Some(given),
            ..self
        }
    }

    /// With the callee's account.
    pub fn account(self, account: &'a Account) -> DialRequest<'a> {
        DialRequest {
            account: Some(account),
            ..self
        }
    }

    /// With the callee's ZIP.
    pub fn zip(self, zip: Zip) -> DialRequest<'a> {
        DialRequest {
            zip: Some(zip),
            ..self
        }
    }

    /// As a text message, or a call.
    pub fn channel(self, channel: DialChannel) -> DialRequest<'a> {
        DialRequest { channel, ..self }
    }

    /// With the ZIP/area-code match type that decides a mismatch.
    pub fn zip_match(self, zip_match: ZipAreaMatchType) -> DialRequest<'a> {
        DialRequest { zip_match, ..self }
    }
}

/// One reason a contact is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialReason {
    /// A legacy DNC entry (phone, account, pair or zip; dial check rules).
    Entry(EntryId),
    /// A dialtime-list entry of a `DIAL_TIME` client.
    DialtimeEntry(EntryId),
    /// An SMS-list entry (for a text).
    SmsEntry(EntryId),
    /// An account flag.
    Flag(AccountFlag),
    /// The hours at one place: `doNotDial`, or outside the window.
    Hours(PlaceAnswer),
    /// The ZIP does not match the area code, and the hours at the ZIP's place
    /// refuse the contact.
    ZipAreaMismatch(ZipAreaMatch),
    /// A contact-frequency cap refuses the contact: Regulation F's, a
    /// state's, or one of the client's attempt rules (with the count, the
    /// window and the debt).
    Cap(CapRefusal),
    /// A calling law refuses the contact at a place the callee may be: its
    /// hours, a day it bans, or a holiday (the law is a floor under every
    /// profile).
    Law(LawRefusalAt),
    /// A registry the client subscribes to refuses the contact (listed, not
    /// covered, or a stale copy) and no exemption lifts it.
    Registry {
        /// The registry.
        source: RegistrySource,
        /// The number's area code.
        area_code: AreaCode,
        /// What it says.
        status: RegistryStatus,
    },
}

impl fmt::Display for DialReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DialReason::Entry(id) => write!(f, "DNC entry {id}"),
            DialReason::DialtimeEntry(id) => write!(f, "dialtime DNC entry {id}"),
            DialReason::SmsEntry(id) => write!(f, "SMS DNC entry {id}"),
            DialReason::Flag(flag) => write!(f, "account flag {flag}"),
            DialReason::Hours(place) => {
                let zone = place.place.zone;
                write!(f, "{} in {zone}", place.local)?;
                if let Some(state) = place.place.state {
                    write!(f, " ({state})")?;
                }
                match place.rule {
                    HoursRule::Standard => f.write_str(": standard hours")?,
                    HoursRule::Policy(id) => write!(f, ": policy {id}")?,
                }
                if place.do_not_dial {
                    f.write_str(" says doNotDial")
                } else {
                    write!(f, " allows {}", place.window)
                }
            }
            DialReason::ZipAreaMismatch(answer) => write!(f, "ZIP/area code {answer}"),
            DialReason::Law(refusal) => refusal.fmt(f),
            DialReason::Cap(refusal) => refusal.fmt(f),
            DialReason::Registry {
                source,
                area_code,
                status,
            } => RegistryCheck {
                source: *source,
                area_code: *area_code,
                status: *status,
                exemption: None,
            }
            .fmt(f),
        }
    }
}

/// The answer of [`Engine::dial_decision`](crate::Engine::dial_decision).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialDecision {
    /// The DNC lists and account flags (dial check rules, at the instant).
    pub dnc: Verdict,
    /// The SMS list, for a text.
    pub sms: Option<Verdict>,
    /// The dialing hours at every place the callee may be.
    pub hours: HoursAnswer,
    /// The ZIP/area-code match, when a ZIP was given.
    pub zip_match: Option<ZipAreaMatch>,
    /// The profile that gave the hours; `None` for the standard hours.
    pub profile: Option<ProfileId>,
    /// The registries the client subscribes to that apply to the number,
    /// each with the copy it used (source, area code, the instant it was
    /// obtained: the version the five-year record keeps) and the exemption
    /// that lifted it, if one did.
    pub registries: RegistryVerdict,
    /// The calling laws that refuse the contact at the places the callee
    /// may be (the area code's and the ZIP's, matched or not; every place
    /// for a number no source places).
    pub law: LawAnswer,
    /// The contact-frequency caps that refuse the contact.
    pub caps: CapAnswer,
    /// The first instant, from the asked one on, at which every refusal has
    /// lapsed: the asked instant when the contact is allowed; `None` when a
    /// refusal never lapses by itself (a legacy entry, daily or permanent:
    /// only a change or the nightly clear lifts it; an account flag; a
    /// channel-list entry without expiration; a registry; hours that allow
    /// no instant in the [`NEXT_ALLOWED_HORIZON`](crate::NEXT_ALLOWED_HORIZON)
    /// from the last lapse).
    pub next_allowed: Option<Timestamp>,
}

impl DialDecision {
    /// Whether the contact may be made now.
    #[inline]
    pub fn allowed(&self) -> bool {
        !self.dnc.is_blocked()
            && !self.sms.as_ref().is_some_and(Verdict::is_blocked)
            && self.hours.may_dial()
            && !self.registries.refuses()
            && self.law.allows()
            && self.caps.allows()
    }

    /// Whether a message may be left (the contact is allowed and no deciding
    /// policy says `doNotLeaveMessage`).
    pub fn may_leave_message(&self) -> bool {
        self.allowed() && self.hours.may_leave_message()
    }

    /// The first instant, from the asked one on, at which every refusal has
    /// lapsed (the field of the same name):
    /// what a dialer scheduling a retry needs. `None`: no retry helps until
    /// something changes.
    pub fn next_allowed(&self) -> Option<Timestamp> {
        self.next_allowed
    }

    /// Every reason the contact is refused; none when it is allowed.
    pub fn reasons(&self) -> impl Iterator<Item = DialReason> + '_ {
        let dnc = &self.dnc;
        let dialtime = dnc
            .dialtime_entries()
            .iter()
            .map(|&id| DialReason::DialtimeEntry(id));
        let legacy = dnc.entries().iter().map(|&id| DialReason::Entry(id));
        let flags = dnc.flags().iter().map(DialReason::Flag);
        let sms = self
            .sms
            .iter()
            .flat_map(|sms| sms.entries().iter().map(|&id| DialReason::SmsEntry(id)));
        let hours = self.hours.blocking().map(|place| DialReason::Hours(*place));
        let mismatch = self
            .zip_match
            .filter(|answer| {
                !answer.matched
                    && self
                        .hours
                        .blocking()
                        .any(|place| place.place.area_code.is_none())
            })
            .map(DialReason::ZipAreaMismatch);
        let registries = self
            .registries
            .refusing()
            .map(|check| DialReason::Registry {
                source: check.source,
                area_code: check.area_code,
                status: check.status,
            });
        let law = self
            .law
            .refusals
            .iter()
            .map(|refusal| DialReason::Law(*refusal));
        let caps = self
            .caps
            .refusals
            .iter()
            .map(|refusal| DialReason::Cap(*refusal));
        dialtime
            .chain(legacy)
            .chain(flags)
            .chain(sms)
            .chain(hours)
            .chain(mismatch)
            .chain(law)
            .chain(caps)
            .chain(registries)
    }
}

impl fmt::Display for DialDecision {
    /// `allowed` or `refused: <reason>; <reason>`, then when it is next
    /// allowed (`; next allowed <instant>`, or `; does not lapse by itself`);
    /// then each registry check an exemption lifted (`; exempt: <check>`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.allowed() {
            f.write_str("allowed")?;
            return self.fmt_exempted(f);
        }
        f.write_str("refused:")?;
        for (i, reason) in self.reasons().enumerate() {
            let separator = if i == 0 { " " } else { "; " };
            write!(f, "{separator}{reason}")?;
        }
        match self.next_allowed {
            Some(next) => write!(f, "; next allowed {next}")?,
            None => f.write_str("; does not lapse by itself")?,
        }
        self.fmt_exempted(f)
    }
}

impl DialDecision {
    fn fmt_exempted(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for check in self.registries.exempted() {
            write!(f, "; exempt: {check}")?;
        }
        Ok(())
    }
}

/// Every place the callee of `phone` may be: each state its area code serves
/// (or none, for the NANP's other countries) in each zone its exchange may
/// be in. A code no source places (toll-free, 5XX, 900, a spare code) may be
/// anywhere: every place of [`geo::unknown_places`], each with its state and
/// country, so that every state and country policy applies. With `zip`, the
/// ZIP's places too: its state in its zone (both zones of a border ZIP); for
/// a ZIP the tables lack, every place; for a military ZIP (no zone), every
/// place and its own state (`AA`, `AE`, `AP`) in every zone.
pub fn dial_places(phone: Phone, zip: Option<Zip>) -> Result<SmallVec<[Place; 4]>, DncError> {
    let (area_code, nxx) = AreaCode::of_phone(phone)?;
    let mut places = SmallVec::new();
    push_phone_places(&mut places, area_code, nxx);
    if let Some(zip) = zip {
        push_zip_places(&mut places, geo::zip_info(zip));
    }
    Ok(places)
}

/// The places of exchange `nxx` of `area_code`: each zone times each state,
/// or, where no source gives a zone, every place.
pub(crate) fn push_phone_places(places: &mut SmallVec<[Place; 4]>, area_code: AreaCode, nxx: u16) {
    let zones = geo::exchange_zones(area_code, nxx);
    if zones.is_empty() {
        push_unknown_places(places, Some(area_code));
        return;
    }
    let info = area_code.info();
    let place = |state, zone| Place {
        area_code: Some(area_code),
        state,
        country: info.country,
        zone,
    };
    for zone in zones.iter() {
        if info.states().next().is_none() {
            places.push(place(None, zone));
        }
        places.extend(info.states().map(|state| place(Some(state), zone)));
    }
}

/// The places of a ZIP (`None`: one the tables lack).
pub(crate) fn push_zip_places(places: &mut SmallVec<[Place; 4]>, zip: Option<ZipInfo>) {
    let Some(info) = zip else {
        push_unknown_places(places, None);
        return;
    };
    let place = |zone| Place {
        area_code: None,
        state: Some(info.state),
        country: info.state.country(),
        zone,
    };
    if info.zones.is_empty() {
        // A military ZIP: the callee may be anywhere, and its own "state"'s
        // policies apply wherever that is.
        places.extend(ZoneSet::unknown_geography().iter().map(place));
        push_unknown_places(places, None);
    } else {
        places.extend(info.zones.iter().map(place));
    }
}

/// Every place the engine knows ([`geo::unknown_places`]): a callee of
/// unknown geography must be allowed at each, under its state's and
/// country's policies (the reference's conservative reading; issue 10, section 4:
/// with states left out, a country- or state-wide `doNotDial` never applied
/// to a toll-free number).
pub(crate) fn push_unknown_places(places: &mut SmallVec<[Place; 4]>, area_code: Option<AreaCode>) {
    places.extend(geo::unknown_places().map(|known| Place {
        area_code,
        state: known.state,
        country: known.country,
        zone: known.zone,
    }));
}
