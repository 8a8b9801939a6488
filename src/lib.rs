//! Do-Not-Call decisions for outbound dialers, in process, in nanoseconds, with
//! the exact semantics of the LiveVox Compliance API's `isBlocked`.
//!
//! A dialer links this crate, loads its DNC entries and account flags into an
//! [`Engine`], and asks before every dial whether a phone, account or zip may be
//! contacted for a given service. Every answer is a [`Verdict`] that says *why*:
//! the ids of every entry that applies and every account flag that is set. The
//! library reads no file, no network and no clock; the nightly clear is a call
//! the host makes.
//!
//! Beyond `isBlocked`, it holds each client's dial-time, SMS and email
//! suppression lists ([channel lists](#channel-lists-dialtime-sms-email)),
//! manages every list (create, bulk create, read, update, delete, pages,
//! finds, info), answers who may do what ([access](#access)), knows where
//! every North American area code and US ZIP code is and what time it is
//! there ([geography](#geography-dialing-hours-and-the-dial-decision)),
//! holds dialing profiles, and answers the one question a dialer asks before
//! every dial: [`Engine::dial_decision`].
//!
//! # Contents
//!
//! The guide is organised as follows; each part of the crate has a section
//! and a folder of its own (see [Architecture](#architecture)).
//!
//! - [Example](#example) and [the legacy list and its
//!   checks](#the-legacy-list-and-its-checks), `isBlocked` and the dial check
//!   (`legacy/`).
//! - [Channel lists](#channel-lists-dialtime-sms-email): the dialtime, SMS
//!   and email lists and the phone DNC type (`channels/`).
//! - [Geography, dialing hours and the dial
//!   decision](#geography-dialing-hours-and-the-dial-decision): where a
//!   number is, the dialing profiles, and "may I contact now?" (`geo/`,
//!   `dialing/`).
//! - [Registries](#registries): the national and state Do-Not-Call
//!   registries, the clients' subscriptions and exemptions, the 31-day rule
//!   (`registry/`).
//! - [Calling laws](#calling-laws): the federal, Canadian and state hours,
//!   Sunday and holiday bans under every profile, and when a refused call
//!   may next be made (`law/`).
//! - [Contact attempts and caps](#contact-attempts-and-caps): the history
//!   the host records, Regulation F, the states' caps and the clients'
//!   attempt rules (`attempts/`).
//! - [Access](#access): roles, methods and the tenant walls (`access/`,
//!   [`Scoped`]).
//! - [Many hosts: changes as data](#many-hosts-changes-as-data): every
//!   change as a [`Change`], applied in a log's order with
//!   [`Engine::apply`] (`changes/`; the `dnc-sync` member follows a NATS
//!   JetStream log).
//! - From C and Python: the `capi/` and `python/` workspace members (see
//!   [their quirks](#the-c-and-python-bindings) and the README).
//! - [Instants](#instants): how every time-taking call takes the time.
//! - [Values](#values): the validated newtypes (`values/`).
//! - [Quirks](#quirks), grouped by part; [sharing an engine between
//!   threads](#sharing-an-engine-between-threads); [crate
//!   features](#crate-features); [architecture](#architecture).
//!
//! # Example
//!
//! ```
//! use dnc_engine::{Account, ClientId, DncKey, Engine, NewEntry, Phone, Query, ServiceId};
//!
//! # fn main() -> Result<(), dnc_engine::DncError> {
//! let client = ClientId::new(93119)?;
//! let (sales, support) = (ServiceId::new(123)?, ServiceId::new(456)?);
//! let mut engine = Engine::new();
//! engine.register_service(client, sales)?;
//! engine.register_service(client, support)?;
//!
//! // Blocked for the sales service only.
//! let phone = Phone::parse("4152257000")?;
//! let id = engine.add(NewEntry::for_service(sales, DncKey::Phone(phone)))?;
//!
//! let verdict = engine.is_blocked(&Query::new(sales).phone(phone))?;
//! assert!(verdict.is_blocked());
//! assert_eq!(verdict.entries(), [id]);
//! assert!(!engine.is_blocked(&Query::new(support).phone(phone))?.is_blocked());
//!
//! // An account blocked for every service of the client, whatever the phone.
//! let account = Account::parse("A6789")?;
//! engine.add(NewEntry::for_client(client, DncKey::Account(account.clone())))?;
//! let other_phone = Phone::parse("7024441000")?;
//! let query = Query::new(support).phone(other_phone).account(&account);
//! println!("{}", engine.is_blocked(&query)?); // blocked by isBlocked (literal): entries 2
//! # Ok(())
//! # }
//! ```
//!
//! # The legacy list and its checks
//!
//! A check names a service `S` (whose client `C` the engine knows), and at least
//! one of phone, account and zip. An entry of client `C` that is client-level or
//! scoped to `S` applies when its key matches:
//!
//! | entry key | applies when | example |
//! |---|---|---|
//! | phone | request phone equals it (any account, or none) | entry 1 blocks `4152257000` with account `A12345` |
//! | account | request account equals it, ignoring ASCII case (any phone, or none) | entry 6 blocks `A6789` with any phone |
//! | phone + account | request phone **and** account both equal it | entry 2 does not block `6173432000` without an account |
//! | zip | request zip equals it | entry 5 blocks zip `94110` |
//! | account flag | request account has `doNotDial` or `doNotDialDaily` set for `C` | |
//!
//! The call is blocked exactly when at least one entry or flag applies. Entries
//! of other clients, and entries scoped to other services, never apply.
//!
//! | operation | method | notes |
//! |---|---|---|
//! | register a service | [`Engine::register_service`] | a service belongs to one client |
//! | add an entry | [`Engine::add`] | caller-given or engine-assigned id |
//! | add many | [`Engine::add_many`] | as one `add` each, in order; much faster for a large load |
//! | remove an entry | [`Engine::remove`] | by id |
//! | set account flags | [`Engine::set_account_flags`] | `None` leaves a flag as it is |
//! | nightly clear | [`Engine::clear_daily`] | DAILY entries and `doNotDialDaily`, one client or all |
//! | `isBlocked` | [`Engine::is_blocked`] | literal: `*` is an ordinary character |
//! | dial check | [`Engine::dial_check`] | stored `*` is a wildcard |
//! | many checks | [`Engine::is_blocked_batch`], [`Engine::dial_check_batch`] | same answers, higher throughput |
//! | list management | [`Engine::legacy_read`], [`Engine::legacy_page`], [`Engine::legacy_info`] | ascending ids, 1..=1000 a page; find by type, services, `modifiedAfter` ([`LegacyFilter`]) |
//! | changes with the host's instant | [`Engine::add_at`], [`Engine::add_many_at`], [`Engine::remove_at`] | for `modifiedAfter` and `lastModified` |
//! | room | [`Engine::reserve`], [`Engine::shrink_to_fit`] | before a bulk load; after a large removal |
//!
//! # Channel lists: dialtime, SMS, email
//!
//! Besides the entries above, each client has three suppression lists
//! ([`Channel`]): phones not to call (`dialtime`), phones not to text
//! (`sms`) and addresses not to mail (`email`). An entry may be limited to a
//! **contact group** (it then applies only to services mapped to that
//! group) and may **expire**: it blocks through the end of its date in the
//! client's time zone. A channel check takes the instant of the contact (a
//! [`jiff::Timestamp`], as every instant the engine takes); the engine never
//! reads a clock.
//!
//! ```
//! use dnc_engine::{
//!     Channel, ChannelQuery, ChannelValue, ClientId, ContactGroupId, Engine, Expiration,
//!     NewChannelEntry, Phone, ServiceId,
//! };
//!
//! # fn main() -> Result<(), dnc_engine::DncError> {
//! let client = ClientId::new(7)?;
//! let (collections, marketing) = (ServiceId::new(70)?, ServiceId::new(71)?);
//! let mut engine = Engine::new();
//! engine.register_service(client, collections)?;
//! engine.register_service(client, marketing)?;
//! engine.set_time_zone(client, "America/New_York")?;
//! let group = ContactGroupId::new(1320)?;
//! engine.add_contact_group(client, group);
//! engine.set_service_contact_group(marketing, Some(group))?;
//!
//! // No texts from the marketing group until the end of 6 March 2019, New York time.
//! let phone = ChannelValue::Phone(Phone::parse("4085553745")?);
//! let entry = NewChannelEntry::new(phone.clone())
//!     .contact_group(group)
//!     .expiration(Expiration::parse("2019-03-06")?);
//! let id = engine.channel_create(Channel::Sms, client, &entry, None)?;
//!
//! let at = |instant: &str| ChannelQuery {
//!     service: marketing,
//!     value: &phone,
//!     account: None,
//!     at: Some(instant.parse().unwrap()),
//! };
//! // 23:59 on 6 March in New York (04:59 UTC on the 7th): still blocked.
//! assert_eq!(engine.channel_check(Channel::Sms, &at("2019-03-07T04:59:00Z"))?.entries(), [id]);
//! // Midnight on the 7th: the first moment the number may be texted.
//! assert!(!engine.channel_check(Channel::Sms, &at("2019-03-07T05:00:00Z"))?.is_blocked());
//! // Collections is in no group: the entry never applied to it.
//! let query = ChannelQuery { service: collections, ..at("2019-03-01T12:00:00Z") };
//! assert!(!engine.channel_check(Channel::Sms, &query)?.is_blocked());
//! # Ok(())
//! # }
//! ```
//!
//! | operation | method | notes |
//! |---|---|---|
//! | time zone | [`Engine::set_time_zone`] | IANA name, default `UTC` |
//! | contact groups | [`Engine::add_contact_group`], [`Engine::set_service_contact_group`] | a service has at most one |
//! | create | [`Engine::channel_create`] | value, optional group and expiration |
//! | bulk create | [`Engine::channel_create_many`] | valid records applied; the rest reported by 0-based position |
//! | read, update, delete | [`Engine::channel_read`], [`Engine::channel_update`], [`Engine::channel_delete`] | by id, within the client |
//! | list, find | [`Engine::channel_page`] | ascending ids, 1..=1000 a page ([`PageRequest`]), filter by substring and group ([`ChannelFilter`]) |
//! | info | [`Engine::channel_info`] | size and last change |
//! | check | [`Engine::channel_check`] | entries in force at the instant; dialtime also applies account flags |
//! | phone DNC type | [`Engine::set_phone_dnc_type`], [`Engine::is_legacy_dnc_enabled`] | which list answers phone checks |
//!
//! Each client's [`PhoneDncType`] says which list answers its phone
//! checks: `LEGACY` (the default) uses the legacy entries, and refuses
//! dialtime list management; `DIAL_TIME` answers [`Engine::is_blocked`]'s
//! phone from the dialtime list (those ids come in
//! [`Verdict::dialtime_entries`], a separate id space) and refuses legacy
//! `add` and `remove` ([`DncError::WrongDncType`]). Switching to
//! `DIAL_TIME` copies the client's PERMANENT phone-only legacy entries into
//! the dialtime list and reports how many ([`Migration`]), naming every
//! phone entry it did not carry over ([`NotCarried`]: a wildcard, a DAILY
//! entry); switching back loses nothing. A phone check on either list kind
//! ([`Engine::channel_check`] with [`Channel::Dialtime`], `is_blocked`, the
//! dial check, the dial decision) is always answered by the client's
//! *active* phone list.
//!
//! Expirations come in the reference's three forms ([`Expiration::parse`]):
//! `2021-03-01`, epoch milliseconds, or an ISO-8601 date-time; an instant is
//! read as the date it falls on in the client's zone, and answers give the
//! start of the date there ([`ChannelEntry::expiration_millis`]). Time zones
//! come from the IANA database compiled into the crate through `jiff` (tzdb
//! 2026f), never from the host: `chrono-tz` 0.10.4 bundles 2025b, which is
//! already wrong for British Columbia, Alberta, Manitoba and the Northwest
//! Territories (they keep daylight time all year from 2026, so an entry in
//! Vancouver ends an hour earlier in the winter than 2025 rules say).
//!
//! # Geography, dialing hours and the dial decision
//!
//! The crate embeds NANPA's area codes (state or province, country, in
//! service, IANA zones, the exchange-level splits of area codes that span
//! zones) and the US ZIP codes (state, zone, serving area codes), generated
//! at development time from public sources ([`geo`], [`geo::SOURCES`];
//! provenance and refresh steps in `data/geo/PROVENANCE.md`). A lookup is an
//! array index; nothing is parsed at startup.
//!
//! A **dialing profile** ([`DialingProfile`]) holds policies: a day rule
//! ([`DayRule`]: a named day, `WEEKDAY`, `WEEKEND`, `ALL`), a [`Region`]
//! (country, state, area code, or a consistent combination: an area code
//! outside its state is refused, the reference's "Area code/state
//! mismatch"), `doNotDial`, `doNotLeaveMessage`, and an optional local
//! [`Window`] (`start <= t < end`, `00:00` to `24:00`). A service dials under
//! its own profile, else its client's default, else the standard hours
//! (08:00–21:00 every day).
//!
//! **Evaluation** happens in the callee's local wall-clock time, in every
//! place the callee may be ([`dial_places`]): each zone of the number's
//! exchange (every zone of its area code, several for 208 or 850, where no
//! phonenumbers prefix names the exchange) times each state its area code
//! serves (867 serves three territories). A number or ZIP whose place is
//! unknown (toll-free, 5XX, 900, a spare code, an unknown or military ZIP)
//! is at every place the tables know ([`geo::unknown_places`]), each with
//! its state and country. Every place must allow the call. At each place the
//! policies covering its region and local day compete: area code beats
//! state beats country, then a named day beats `WEEKDAY`/`WEEKEND` beats
//! `ALL`; equally specific policies must all allow. No covering policy: the
//! standard hours. The answer ([`HoursAnswer`]) says, per place, the local
//! time, the deciding policy and window, and when dialing next becomes
//! allowed (the first instant within 8 days; DST gaps and repeated hours
//! included).
//!
//! **The dial decision** ([`Engine::dial_decision`], [`DialRequest`],
//! [`DialDecision`]) applies the DNC lists by the dial check's rules (a
//! `DIAL_TIME` client's dialtime list at the instant; a text also the SMS
//! list), the account flags, the profile's hours and, when a ZIP is given
//! that does not match the area code ([`zip_area_match`]), the hours at the
//! ZIP's place too. It lists every reason ([`DialReason`]) and allocates
//! nothing when the contact is allowed.
//!
//! ```
//! use dnc_engine::geo::{AreaCode, StateCode};
//! use dnc_engine::jiff::Timestamp;
//! use dnc_engine::{
//!     ClientId, DayRule, DialRequest, Engine, NewPolicy, NewProfile, Phone, Region, ServiceId,
//!     TimeOfDay, Window, Zip,
//! };
//!
//! # fn main() -> Result<(), dnc_engine::DncError> {
//! let (client, service) = (ClientId::new(4199)?, ServiceId::new(40789)?);
//! let mut engine = Engine::new();
//! engine.register_service(client, service)?;
//! // Weekdays in California from 09:00; San Francisco (415) on Mondays 10:00-18:00.
//! let ca = Region::new(None, Some(StateCode::parse("CA")?), None)?;
//! let sf = Region::new(None, Some(StateCode::parse("CA")?), Some(AreaCode::new(415)?))?;
//! let from_nine = Window::new(TimeOfDay::parse("09:00")?, TimeOfDay::END_OF_DAY)?;
//! let monday = Window::new(TimeOfDay::parse("10:00")?, TimeOfDay::parse("18:00")?)?;
//! let profile = engine.profile_create(Some(client), NewProfile {
//!     client: Some(client),
//!     name: "California".to_owned(),
//!     description: None,
//!     client_default: true,
//!     policies: vec![
//!         NewPolicy { window: Some(from_nine), ..NewPolicy::new(DayRule::Weekday, ca) },
//!         NewPolicy { window: Some(monday), ..NewPolicy::new(DayRule::parse("MONDAY")?, sf) },
//!     ],
//! })?;
//!
//! // Monday 2026-11-30, 17:30 UTC = 09:30 in San Francisco: the Monday
//! // policy for 415 decides, and it opens at 10:00.
//! let at: Timestamp = "2026-11-30T17:30:00Z".parse().unwrap();
//! let phone = Phone::parse("4155550100")?;
//! let decision = engine.dial_decision(&DialRequest::new(service, phone, at))?;
//! assert!(!decision.allowed());
//! assert_eq!(decision.next_allowed(), Some("2026-11-30T18:00:00Z".parse().unwrap()));
//! // refused: 2026-11-30T09:30:00 in America/Los_Angeles (CA): policy 2 allows 10:00-18:00; ...
//! println!("{decision}");
//!
//! // Los Angeles (213) is in CA too: the state's policy, open from 09:00.
//! let la = Phone::parse("2135550100")?;
//! assert!(engine.dial_decision(&DialRequest::new(service, la, at))?.allowed());
//! // ...unless the callee's ZIP is in New York, where it is 12:30: still
//! // allowed (the stricter of two places that both allow).
//! let request = DialRequest::new(service, la, at).zip(Zip::parse("10010")?);
//! assert!(engine.dial_decision(&request)?.allowed());
//! # let _ = profile;
//! # Ok(())
//! # }
//! ```
//!
//! | operation | method | notes |
//! |---|---|---|
//! | create, read, update, delete | [`Engine::profile_create`], [`Engine::profile_read`], [`Engine::profile_update`], [`Engine::profile_delete`] | a client sees its own and the system-wide profiles |
//! | list, info | [`Engine::profile_page`], [`Engine::profile_info`] | ascending ids |
//! | policies | [`Engine::policy_add`], [`Engine::policy_update`] ([`PolicyUpdate`]), [`Engine::policy_remove`] | every change validated whole |
//! | services, default | [`Engine::profile_assign_service`], [`Engine::profile_remove_service`], [`Engine::profile_set_client_default`] | one profile a service, one default a client |
//! | hours alone | [`Engine::dialing_hours`] | every place, next allowed |
//! | zip/area match | [`zip_area_match`] | `DIAL_TIME`, `DIAL_TIME_OPTIMIZED` |
//! | the dial decision | [`Engine::dial_decision`] | lists, flags, hours, ZIP, [registries](#registries) |
//!
//! # Registries
//!
//! [`registry`] holds the national and state Do-Not-Call registries in
//! process: a [`registry::Registry`] per source (`US_NATIONAL`,
//! `CA_NATIONAL`, `STATE_XX` for the eleven states with a list), compact
//! enough for the US registry's 253 million numbers (0.88 bytes a number,
//! README "Registry structures"), with the area codes it covers and the
//! instant each was obtained. The host gives the bytes: the published flat
//! files ([`registry::parse_full_list`], [`registry::parse_change_list`]),
//! or a copy's binary form ([`registry::Registry::to_bytes`],
//! [`registry::Registry::from_bytes`]: copied and checked whole, no
//! rebuild), which `dnc registry build` writes.
//!
//! | what | call | notes |
//! |---|---|---|
//! | copies (host only) | [`Engine::load_registry`], [`Engine::apply_registry_changes`], [`Engine::put_registry`], [`Engine::remove_registry`], [`Engine::registry`] | shared by every client; all-or-nothing; nothing older replaces something newer |
//! | subscriptions | [`Engine::subscribe`] ([`registry::Subscription`]), [`Engine::unsubscribe`], [`Engine::subscriptions`] | per client: all area codes or a list |
//! | exemptions | [`Engine::add_exemption`] ([`registry::Exemption`]), [`Engine::remove_exemption`], [`Engine::exemptions`] | per client and number or account, one record a kind |
//! | the check | [`Engine::registry_check`] → [`registry::RegistryVerdict`] | also part of [`Engine::dial_decision`] |
//!
//! For each registry the client subscribes to that applies to the number
//! (the US registry to a US area code, the Canadian list to a Canadian one,
//! a state's list to an area code serving the state or a ZIP in it; a
//! number or ZIP of no known place to every one), the check answers one
//! [`registry::RegistryCheck`]: listed or not in the area code's copy, with
//! the copy's instant (the version the five-year record keeps). Everything
//! but a fresh "not listed" refuses the contact, the conservative answer:
//! a copy obtained more than [`registry::FRESH_FOR`] (31 × 24 hours) before
//! the check (16 CFR 310.4(b)(3)(iv)) or after it, an area code no copy
//! covers, or one the subscription leaves out. An exemption of the number, or of the
//! account the request carries, in force at the check lifts that refusal
//! and is named with the instant it lapses: a last transaction (18 months),
//! an inquiry (3 months; 6 on the Canadian list), a written consent or a
//! business number (until revoked). It lifts the registry only: the
//! client's own DNC entries, flags and channel lists still refuse.
//!
//! ```
//! use dnc_engine::registry::{Exemption, ExemptionKind, ExemptionSubject, RegistrySource, Subscription};
//! use dnc_engine::{ClientId, DialRequest, Engine, Phone, ServiceId};
//! use dnc_engine::jiff::Timestamp;
//!
//! # fn main() -> Result<(), dnc_engine::DncError> {
//! let (client, service) = (ClientId::new(7)?, ServiceId::new(70)?);
//! let mut engine = Engine::new();
//! engine.register_service(client, service)?;
//! let obtained: Timestamp = "2026-11-25T05:00:00Z".parse().unwrap();
//! let numbers = dnc_engine::registry::parse_full_list(b"3133335000\n3133335001\n")?;
//! engine.load_registry(RegistrySource::UsNational, None, &numbers, obtained)?;
//! engine.subscribe(client, Subscription::all(RegistrySource::UsNational));
//!
//! let at: Timestamp = "2026-12-01T18:00:00Z".parse().unwrap(); // 13:00 in Detroit
//! let phone = Phone::parse("3133335000")?;
//! let decision = engine.dial_decision(&DialRequest::new(service, phone, at))?;
//! assert!(!decision.allowed()); // refused: US_NATIONAL listed in area code 313's copy of ...
//!
//! // A purchase in January: an established business relationship for 18 months.
//! let since: Timestamp = "2026-01-15T00:00:00Z".parse().unwrap();
//! let subject = ExemptionSubject::Phone(phone);
//! engine.add_exemption(client, &subject, Exemption::new(ExemptionKind::Transaction, since))?;
//! let decision = engine.dial_decision(&DialRequest::new(service, phone, at))?;
//! assert!(decision.allowed()); // allowed; exempt: ... lapses 2027-07-15T00:00:00Z
//! let used = decision.registries.checks[0].exemption.as_ref().unwrap();
//! assert_eq!(used.lapses, Some("2027-07-15T00:00:00Z".parse().unwrap()));
//!
//! // 31 days and one second after the copy was obtained, it is too old.
//! let late: Timestamp = "2026-12-26T05:00:01Z".parse().unwrap();
//! let other = Phone::parse("3135550100")?;
//! let decision = engine.dial_decision(&DialRequest::new(service, other, late))?;
//! assert!(!decision.allowed()); // US_NATIONAL area code 313's copy ... is more than 31 days old
//! # Ok(())
//! # }
//! ```
//!
//! # Calling laws
//!
//! The law is a floor under every dialing profile: [`Engine::dial_decision`]
//! refuses a call that any calling law of any place the callee may be in
//! refuses, whatever the profile allows ([`DialReason::Law`], each naming
//! the law, its citation and source, the place and local time, and the
//! window, banned day or holiday). The table ([`law::table`], version
//! [`law::LAW_TABLE_VERSION`]) holds:
//!
//! - the federal 08:00–21:00 (47 CFR 64.1200(c)(1); 16 CFR 310.4(c); 12 CFR
//!   1006.6(b)(1) for collectors) in the USA and, for want of a law of their
//!   own, the NANP's other countries;
//! - Canada's CRTC hours: 09:00–21:30 on weekdays, 10:00–18:00 at weekends;
//! - each state's stricter rule the sources name: windows by weekday (FL,
//!   OK, MD, OR, WA, MA 08:00–20:00; CT, NV 09:00–20:00; KY 10:00–21:00; MI,
//!   MN, NM, IL 09:00–21:00; PA, RI, TX by day), no Sunday calls (AL, LA,
//!   MS, RI, UT, PA), and holiday bans (AL, LA, MS, PA from 2019-12-03,
//!   RI, UT) computed for any year from rules ([`law::Holiday`]:
//!   fixed dates, n-th weekdays, days from Easter) with their observed days.
//!
//! The places are those of the number (its exchange's zones, each state its
//! area code serves: the area-code presumption of Florida, Oklahoma and
//! Connecticut) and of the callee's ZIP, matched or not. A number no source
//! places may be anywhere: every state's and country's law applies at every
//! zone, unless a ZIP the tables place says where the callee is.
//!
//! [`DialDecision::next_allowed`] is what a dialer scheduling a retry needs:
//! the asked instant when the call is allowed; the first instant at which
//! every refusal has lapsed (a dialtime or SMS entry's expiration, the
//! profile's hours, the laws' windows and bans); `None` when a refusal never
//! lapses by itself (a legacy entry, a flag, an entry without expiration, a
//! registry refusal) or no instant within [`NEXT_ALLOWED_HORIZON`] of the
//! last lapse is allowed.
//!
//! ```
//! use dnc_engine::{ClientId, DialReason, DialRequest, Engine, Phone, ServiceId};
//! use dnc_engine::jiff::Timestamp;
//!
//! # fn main() -> Result<(), dnc_engine::DncError> {
//! let mut engine = Engine::new();
//! let service = ServiceId::new(1)?;
//! engine.register_service(ClientId::new(1)?, service)?;
//! // 20:30 in Miami (01:30Z): inside the federal 08:00-21:00, outside
//! // Florida's 08:00-20:00.
//! let at: Timestamp = "2026-11-19T01:30:00Z".parse().unwrap();
//! let decision = engine.dial_decision(&DialRequest::new(service, Phone::parse("3055550100")?, at))?;
//! assert!(decision.hours.may_dial() && !decision.allowed());
//! let DialReason::Law(refusal) = decision.reasons().next().unwrap() else { unreachable!() };
//! assert_eq!(refusal.law.code, "FL");
//! assert!(refusal.law.citation.contains("501.616"));
//! // Next allowed: 08:00 in Miami the next morning.
//! assert_eq!(decision.next_allowed(), Some("2026-11-19T13:00:00Z".parse().unwrap()));
//! # Ok(())
//! # }
//! ```
//!
//! # Contact attempts and caps
//!
//! The host records each contact attempt ([`Engine::record_attempt`] with
//! an [`attempts::NewAttempt`]: service, phone, optional person and debts,
//! instant, voice or text, [`attempts::Outcome`], and the instant of the
//! person's consent if any); the dial decision counts them
//! ([`DialDecision::caps`], [`DialReason::Cap`], each naming the cap, its
//! citation, the count, the window and the debt):
//!
//! - **Regulation F**, for a client marked with
//!   [`Engine::set_debt_collector`]: per debt and person, a voice call is
//!   refused when seven placed calls lie within 7 days of it (12 CFR
//!   1006.14(b)(2)(i)(A)), and for 7 days after a telephone conversation,
//!   inbound ones included ((B)). A call about several debts counts against
//!   each; a call placed within 7 days after the person's consent is
//!   excluded ([`DialRequest::consent`], `NewAttempt::consent`).
//! - **The states' caps** at every place the callee may be in
//!   ([`attempts::caps`]): Florida, Oklahoma, Maryland and Oregon, 3
//!   contacts in 24 hours per person (texts included); Massachusetts, 2 in
//!   7 days per debt for collectors and for contacts about a debt.
//! - **The client's rules** ([`Engine::add_attempt_rule`] with an
//!   [`attempts::NewAttemptRule`]): key (person, phone, both), counted
//!   outcomes and channels, a rolling or calendar window, a limit, a lock.
//!
//! The history holds what the caps need: the host trims it by instant
//! ([`Engine::trim_attempts`] at its clock's instant drops what no cap
//! can count again: what lies more than [`Engine::attempt_horizon`] back).
//! Each
//! refusal lapses when its window frees (or the conversation's 7 days, or
//! a lock, end); `next_allowed` is the first instant at which the caps, the
//! hours and the laws all allow.
//!
//! ```
//! use dnc_engine::attempts::{ContactKey, NewAttempt, Outcome};
//! use dnc_engine::jiff::Timestamp;
//! use dnc_engine::{ClientId, DialReason, DialRequest, Engine, Phone, ServiceId};
//!
//! # fn main() -> Result<(), dnc_engine::DncError> {
//! let (client, service) = (ClientId::new(1)?, ServiceId::new(1)?);
//! let mut engine = Engine::new();
//! engine.register_service(client, service)?;
//! engine.set_debt_collector(client, true);
//! let (phone, person) = (Phone::parse("4155550100")?, ContactKey::parse("person", "P-77")?);
//! let debt = [ContactKey::parse("debt", "ACCT-1")?];
//! let monday: Timestamp = "2026-11-16T18:00:00Z".parse().unwrap();
//! engine.record_attempt(&NewAttempt {
//!     person: Some(person),
//!     debts: debt.to_vec(),
//!     ..NewAttempt::new(service, phone, monday, Outcome::Conversation)
//! })?;
//! // Wednesday: within 7 days of the conversation about that debt.
//! let wednesday: Timestamp = "2026-11-18T18:00:00Z".parse().unwrap();
//! let request = DialRequest::new(service, phone, wednesday).person(person).debts(&debt);
//! let decision = engine.dial_decision(&request)?;
//! let Some(DialReason::Cap(refusal)) = decision.reasons().next() else { unreachable!() };
//! assert!(refusal.to_string().contains("12 CFR 1006.14(b)(2)(i)(B)"));
//! assert_eq!(decision.next_allowed(), Some("2026-11-23T18:00:00Z".parse().unwrap()));
//! # Ok(())
//! # }
//! ```
//!
//! # Access
//!
//! [`authorize`] is the reference's "User Roles" as a pure function: may this
//! [`Principal`] (a [`Role`] within one client, with or without the
//! `EDIT_DNC_LISTS` power) call this [`Method`] on this client's data?
//! Nobody touches another client's data; SYSADMIN and SUPERUSER may do
//! everything else; a MANAGER may check, and with `EDIT_DNC_LISTS` manage
//! lists; an AGENT may only read, create, check, list, find, get list info
//! and match zips; IT_USER only manages dialing profiles. Refusals are
//! [`DncError::Forbidden`] (the reference's 403).
//!
//! The library enforces it, so that isolation does not depend on every
//! host getting every path right: [`Engine::scoped_mut`] (and
//! [`Engine::scoped`] for reads) with [`Caller::Principal`] gives the
//! engine as that principal may use it ([`Scoped`]). Each method applies
//! the role rules first, then confines the call to the principal's client:
//! a client it names must be its own; the owner of what the call touches
//! (a service's client, an entry's client) decides, never a field the
//! caller wrote; every record of a bulk create is checked as a single
//! create would be; and another client's service or entry answers
//! [`DncError::UnknownService`] or [`DncError::NotFound`], exactly as one
//! that does not exist, so no refusal names another client or reveals its
//! data. `dnc replay` sends every line through it.
//!
//! ```
//! use dnc_engine::{Caller, ClientId, DncKey, Engine, NewEntry, Phone, Principal, Role, ServiceId};
//!
//! # fn main() -> Result<(), dnc_engine::DncError> {
//! let (one, two) = (ClientId::new(1)?, ClientId::new(2)?);
//! let mut engine = Engine::new();
//! engine.register_service(one, ServiceId::new(10)?)?;
//! engine.register_service(two, ServiceId::new(20)?)?;
//! let admin = Principal { role: Role::Sysadmin, client: one, edit_dnc_lists: true };
//! let mut tenant = engine.scoped_mut(Caller::Principal(admin));
//! // Client 2's service is as unknown to client 1's admin as service 99.
//! let theirs = NewEntry::for_service(ServiceId::new(20)?, DncKey::Phone(Phone::parse("78")?));
//! assert_eq!(tenant.add_at(theirs, None).unwrap_err().code(), "unknown_service");
//! let ours = NewEntry::for_service(ServiceId::new(10)?, DncKey::Phone(Phone::parse("78")?));
//! assert!(tenant.add_at(ours, None).is_ok());
//! # Ok(())
//! # }
//! ```
//!
//! # Many hosts: changes as data
//!
//! A contact center runs many dialer hosts, each with its own engine; an
//! opt-out taken on one must block the next dial on all. Every change the
//! engine accepts is a [`Mutation`] (one variant per change method of
//! [`Scoped`]), made by a [`Caller`]: together a [`Change`], with serde
//! forms under the `serde` feature. One log orders the changes, and every
//! host applies them in that order with [`Engine::apply`]:
//!
//! - a sequence at or below [`Engine::position`] changes nothing
//!   ([`Applied::AlreadyApplied`]): re-reading a prefix after a reconnect
//!   is safe;
//! - a sequence beyond the next one is [`ApplyError::Gap`]: nothing is
//!   skipped silently;
//! - the next one is made as its caller would make it through
//!   [`Engine::scoped_mut`] (a principal's change is held to its client on
//!   every host), all or nothing, and the position advances whether it was
//!   made ([`Applied::Done`], with its [`Effect`]) or refused
//!   ([`Applied::Refused`]): every host refuses it alike and stays
//!   identical.
//!
//! A [`Snapshot`] carries the position and a restored engine continues
//! from it. A large payload (a registry copy) travels once, stored beside
//! the log under its SHA-256 ([`changes::ContentHash`]); the change names
//! it ([`changes::Bytes::Stored`]) and [`Engine::apply_with`] takes the
//! bytes the host fetched, checked against the digest
//! ([`ApplyError::MissingObject`], [`ApplyError::DamagedObject`] keep the
//! position, so the same change applies once the bytes are there). The
//! library does no I/O here either: `dnc-sync` (a workspace member) keeps
//! the log on a NATS JetStream stream, and `dnc sync` puts the replay
//! protocol on it; `dnc replay` itself applies each changing line as the
//! next change of its own log.
//!
//! ```
//! use dnc_engine::{Applied, ApplyError, Change, ClientId, Engine, Mutation, ServiceId};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let register = Change::by_host(Mutation::RegisterService {
//!     client: ClientId::new(1)?,
//!     service: ServiceId::new(10)?,
//! });
//! let mut engine = Engine::new();
//! assert!(matches!(engine.apply(1, &register)?, Applied::Done(_)));
//! assert_eq!(engine.apply(1, &register)?, Applied::AlreadyApplied { position: 1 });
//! assert_eq!(
//!     engine.apply(3, &register),
//!     Err(ApplyError::Gap { position: 1, sequence: 3 })
//! );
//! // The same service under another client: refused, and the position moves.
//! let taken = Change::by_host(Mutation::RegisterService {
//!     client: ClientId::new(2)?,
//!     service: ServiceId::new(10)?,
//! });
//! assert!(matches!(engine.apply(2, &taken)?, Applied::Refused(_)));
//! assert_eq!(engine.position(), 2);
//! # Ok(())
//! # }
//! ```
//!
//! # Instants
//!
//! The engine never reads a clock: every call that depends on the time
//! takes it, and every instant it takes is a [`jiff::Timestamp`]
//! (re-exported as [`dnc_engine::jiff`](crate::jiff)). The constructors
//! that read the reference's numbers ([`Expiration::from_epoch_millis`],
//! [`TimeOfDay::from_reference_instant`]) are parsers of its wire forms.
//!
//!
//! | call | the instant | without one |
//! |---|---|---|
//! | [`Engine::add_at`], [`Engine::add_many_at`], [`Engine::add_many_for_at`], [`Engine::remove_at`] | of the change: the entry's modification instant and the list's `lastModified` | [`Engine::add`] and the others record none |
//! | [`Engine::channel_create`], [`Engine::channel_create_many`], [`Engine::channel_update`], [`Engine::channel_delete`], [`Engine::set_phone_dnc_type`] | of the change: the list's `lastModified` | `None` records none |
//! | [`ChannelQuery::at`] | of the contact: which expiring entries still block | `None`: every expiring entry blocks (the safe side) |
//! | [`DialRequest::at`], [`Engine::dialing_hours`] | of the dial: the local time in every place the number may be | required |
//! | [`LegacyFilter::modified_after`], [`ListInfo::last_modified`] | compared and answered as instants | |
//!
//! The lists keep instants to the millisecond, the reference's precision;
//! a finer instant is cut to its millisecond. The one instant answered as a
//! number is [`ChannelEntry::expiration_millis`], the reference's form of an
//! expiration: the start of the date in the client's zone can lie past the
//! last instant jiff names (9999-12-31 in a zone west of UTC), so it stays
//! epoch milliseconds; [`ChannelEntry::expiration`] is the date itself.
//!
//! # Values
//!
//! Each rule about a value lives in its type's constructor, and a value the
//! engine cannot read is an error, never a silent "not blocked":
//!
//! | type | accepts | refuses |
//! |---|---|---|
//! | [`Phone`] | 1–15 characters of `0-9` or `*` | spaces, `+`, `-`, letters, more than 15 |
//! | [`Account`] | 1–64 bytes of visible ASCII, compared ignoring case | whitespace, control, non-ASCII, more than 64 |
//! | [`Zip`] | 5 characters of `0-9` or `*`; ZIP+4 `NNNNN-NNNN` (first 5 kept) | anything else |
//! | [`EntryId`], [`ClientId`], [`ServiceId`], [`ContactGroupId`] | 1 to 2^63 − 1 | zero, negative, fractional, larger |
//! | [`Email`] | one `@`, a non-empty local part, a domain with a dot, no whitespace, at most 254 bytes; compared ignoring ASCII case | anything else |
//! | [`Expiration`] | `yyyy-MM-dd`, epoch milliseconds, ISO-8601 date-time | other date shapes, impossible dates |
//!
//! [`Phone::parse`] is literal: `"14155550100"` is the 11-character phone
//! `14155550100`, so [`Engine::is_blocked`] answers "not blocked" when
//! `4155550100` is listed, while the dial decision refuses it
//! (`invalid_phone`). Numbers from outside (call lists, CRM exports, forms)
//! go through the opt-in NANP normalization [`Phone::parse_lenient`], which
//! strips `(`, `)`, `-`, `.`, spaces and a leading `+1` or `1`:
//! `+1 (415) 225-7000`, `14152257000` and `4152257000` are all
//! `4152257000`. The engine itself never normalizes.
//!
//! Error messages show a refused value longer than 64 bytes as its first 40
//! characters and its length; the variant keeps the whole value.
//!
//! Errors are one enum, [`DncError`], whose variants carry the offending value
//! and whose [`code`](DncError::code) is the replay protocol's error code.
//!
//! # Quirks
//!
//! Where the behaviour follows the reference rather than intuition, by part.
//!
//! ## The legacy list
//!
//! - **The reference's example lost its blank cells.** Its DNC table was copied
//!   without empty cells, so entry 6 (`A6789`) looks client-level. It must be
//!   scoped to service 123, or request 8 (`2016668000` with `A6789` on service
//!   789) would be blocked by it, since an account entry blocks any phone. The
//!   crate's truth-table test reads the table that way; the reference's first
//!   request, which lost its service, is on service 123.
//! - **`isBlocked` is literal; the dial check honours wildcards.** The vendor
//!   says `isBlocked` "does not support wildcards", yet a stored `209*******`
//!   "would block all calls to the (209) area code" at dial time. So
//!   [`Engine::is_blocked`] compares `*` as a character (`209*******` blocks
//!   only the request `209*******`: the reference's six-star request is a typo)
//!   and [`Engine::dial_check`] reads a stored phone or account with `*` as a
//!   pattern: `*` matches one character, a final `*` also absorbs the rest
//!   (`123*` blocks every number starting with 123; `4*5` only three-character
//!   values). Zips are literal in both. A dialed phone containing `*` is refused.
//! - **Accounts ignore ASCII case.** `a12345` and `A12345` are one account,
//!   for entries, phone + account entries and flags alike (the vendor's admin
//!   guide: "Account-based DNC entries are not case-sensitive"). The account
//!   keeps the spelling it was given for display.
//! - **A phone + account entry never matches a request without an account**,
//!   and a phone-only entry matches whatever account is given.
//! - **Assigned ids never repeat.** Without an id the engine assigns one
//!   greater than every id it has *stored* (removed ones included), so an
//!   id in an old log never names a newer entry. A refused add consumes no id.
//! - **Legacy finds** leave out client-level entries when filtering by
//!   services (they have no service), and entries added without an instant
//!   when filtering by `modifiedAfter` (their time is unknown). A legacy
//!   page, with or without a type or services filter, reads the client's
//!   own ordered ids and costs O(log n) plus the page at any offset; a find
//!   by `modifiedAfter` reads the client's candidates in id order until the
//!   page is full (the reference allows the scan).
//! - **Flags need no registration.** Flags and client-level entries may be set
//!   for a client none of whose services is registered yet; they apply as soon
//!   as a service of that client is checked.
//! - **The literal phone parse keeps a leading 1.** `14155550100` and
//!   `4155550100` are different phones; use [`Phone::parse_lenient`] for
//!   NANP numbers as people write them (`dnc scrub --normalize-nanp` does).
//!
//! ## The channel lists and the phone DNC type
//!
//! - **Channel ids are per list and per engine.** Each of the three lists
//!   hands out its own ids (never reused), so `dialtime` 5 and `sms` 5 are
//!   different entries. Every channel operation names the client, and an id
//!   of another client's entry is `not_found` for that client: one tenant
//!   never reads or changes another's entries.
//! - **An update replaces the whole entry.** Value, contact group and
//!   expiration are all taken from the update (the reference sends the whole
//!   entry), so leaving the expiration out clears it.
//! - **A new time zone moves expirations.** Entries keep their dates; each
//!   now ends at midnight in the new zone. The change rewrites the end
//!   instant of each of the client's expiring entries (checks compare
//!   instants, not dates), so it costs in proportion to those entries.
//! - **Email shape is the minimal one of the reference**: `a@b.c` passes and nothing
//!   else about the domain is checked (a dialer does not send mail; the list
//!   only has to recognise the address again). A date-time without an offset
//!   is taken as a calendar date-time: its date is the expiration.
//! - **`lastModified` is the latest instant given**, not the last one, so a
//!   change replayed late does not make the list look older.
//! - **What `DIAL_TIME` turns off.** For a `DIAL_TIME` client every
//!   phone-only legacy entry is inactive (PERMANENT, DAILY and wildcard
//!   ones alike), while account, phone + account and zip entries and the
//!   account flags keep answering, since the dialtime list holds only
//!   phones. The migration copies a service-scoped legacy phone as an
//!   entry for every service of the client (the dialtime list has contact
//!   groups, not services; blocking more is the safe side). It does not
//!   copy a phone the list already blocks for every service and for ever;
//!   a dialtime entry that expires or is limited to a contact group does
//!   not stand for the permanent block, so the phone is copied beside it.
//!   Phones with `*` (a dialtime phone is digits only, so a pattern such as
//!   `209*******` stops blocking its area code) and DAILY phones are not
//!   copied, and each is named in [`Migration::not_carried`] so the host
//!   can decide. A check without an instant (`is_blocked`) counts expiring
//!   dialtime entries as in force. The phone channel check of a `LEGACY`
//!   client answers from its legacy entries with the dial check's rule,
//!   never from the inactive dialtime list.
//! - **An unknown time zone name** is [`DncError::InvalidTimeZone`], code
//!   `bad_request` (the reference names no code for it).
//!
//! ## Access and tenants
//!
//! - **Configuration is for administrators.** Registering services, time
//!   zones, contact groups and their mapping ([`Method::Configure`]) needs
//!   SYSADMIN or SUPERUSER (the reference does not list them). Account flags and
//!   the nightly clear change DNC lists, so a MANAGER needs
//!   `EDIT_DNC_LISTS` for them and an AGENT may not; an agent's "Create
//!   DNC" does not include the bulk create.
//! - **The dial decision needs both roles.** It reads the DNC lists and the
//!   dialing profile, so only SYSADMIN and SUPERUSER may ask it
//!   ([`Method::DialDecision`]); the dialing hours alone are a profile
//!   method (SYSADMIN, SUPERUSER, IT_USER). The reference's agent list names
//!   neither. In the replay, a `client` on a line whose data is a
//!   service's (`check`, `dial`, `dialing_hours`,
//!   `set_service_contact_group`, as `is_blocked`) must own the service
//!   (`service_client_mismatch`), and a `create_many` with `client` is that
//!   client's list: a record naming another client is `invalid_entry`, one
//!   scoped to another client's service `service_client_mismatch`
//!   ([`Engine::add_many_for_at`]).
//! - **Another tenant's data is absent.** Through [`Scoped`] (and under
//!   `"as"` in the replay) another client's legacy id answers `not_found`
//!   and another client's service `unknown_service`, exactly as ones that
//!   do not exist; the role rules are applied first, so a role that may not
//!   call a method is refused the same way whatever the call names. A
//!   client the caller names itself (a list's `client`, a profile scope)
//!   must be its own (`forbidden` otherwise, which names no other client);
//!   "every client" (a clear without `client`, a profile op without
//!   `client`, which acts on system-wide profiles) is the host's alone.
//!   Registering a service that is already another client's answers
//!   `service_client_mismatch` without naming that client
//!   ([`DncError::ServiceTaken`]). Two things remain visible by nature:
//!   a caller-given legacy id already used by another client is
//!   `duplicate_id` (legacy ids are unique in the engine, the reference), and
//!   assigned ids, profile ids and policy ids are engine-wide, so their
//!   gaps show that others exist.
//!
//! ## Geography, dialing hours and the dial decision
//!
//! - **Dialing hours.** A window is `start <= t < end` in local wall-clock
//!   time and never crosses midnight (two policies do that); `24:00` ends
//!   the day. A window's bounds are read on the local day: on a spring-
//!   forward day a window starting in the skipped hour opens at the jump,
//!   and on a fall-back day a window inside the repeated hour is open in
//!   both of its occurrences. A day no policy covers gets the standard hours
//!   (not "no restriction"). Among equally specific policies every one must
//!   allow (the most restrictive answer); `may_leave_message` is false
//!   whenever dialing is not allowed. A policy's `doNotDial` wins over its
//!   window.
//! - **Where a callee may be.** An exchange is placed only by a
//!   phonenumbers prefix naming it (`1NPANXX`); any other exchange (the
//!   `1NPA` default and the `1NPAN`/`1NPANX` ranges are not trusted) is
//!   checked in every zone of its area code, and a code NANPA gives several
//!   zones (`EC`, `CM`, `MP`, `CMP`) has every zone of its states at those
//!   offsets (364 and 448 include Central time; 867 Iqaluit, Yukon and the
//!   Northwest Territories); an overlay is checked in every zone of the
//!   codes whose area it shares (NANPA's `OVERLAY_COMPLEX`: 930 at
//!   Evansville's Central time, 236 at Cranbrook's Mountain time), and a
//!   code whose phonenumbers zone lies outside its states (474's Winnipeg
//!   for Saskatchewan) in its states' zones too; [`geo::ZoneSource`]
//!   records which source decided. An area code serving several provinces (867, 902) is checked
//!   as each of them, and a ZIP on a zone border whose sources disagree
//!   about the clock (44 of them) in both zones. A toll-free, 5XX, 900 or
//!   spare-code number, a ZIP the tables lack and a military ZIP could be
//!   anywhere: every place of [`geo::unknown_places`] (each state,
//!   territory and province an area code serves, Guam, the Northern
//!   Marianas and American Samoa among them, in each of its zones, under its
//!   state and country policies) must allow — under the standard hours
//!   22:00–00:30 UTC in winter, 22:00–23:30 in summer.
//! - **Policy times in the reference's examples are epoch instants**
//!   (`"startTime": "1391184000"` for 08:00 in San Francisco). The library
//!   takes `HH:MM[:SS]` and milliseconds after midnight;
//!   [`TimeOfDay::from_reference_instant`] (and `dnc replay`) read a larger
//!   number as an instant, in seconds from `10^9` (milliseconds from `10^11`), at its
//!   wall-clock time in the policy region's zone, refused when the region
//!   spans zones.
//! - **Profiles and clients.** A client sees and uses its own profiles and
//!   the system-wide ones; it changes only its own (a system-wide profile,
//!   its policies and its service list change without a client scope, so
//!   the system assigns services to it). Reading a system-wide profile, a
//!   client sees only its own services among those assigned. A system-wide profile cannot be a
//!   client's default; a service is assigned to at most one profile
//!   (assigning moves it), and only to one of its client's or a system-wide
//!   one. Profile changes carry no instant, so the profile list's info has
//!   no `lastModified`. Profile and policy ids are engine-wide and never
//!   reused.
//! - **zipAreaMatch.** `DIAL_TIME` matches when the ZIP's data lists the
//!   area code, or lists none and the area code serves the ZIP's state.
//!   `DIAL_TIME_OPTIMIZED` also matches when every zone of the area code
//!   keeps the same clock as the ZIP's zone through 2025-2030
//!   ([`same_clock`]: America/Vancouver and America/Los_Angeles differ from
//!   November 2026; Phoenix and Denver differ in summer). An unknown ZIP
//!   does not match. The dial decision uses `DIAL_TIME` unless told
//!   otherwise ([`DialRequest::zip_match`]).
//! - **The dial decision's channels.** A text (`SMS`) is a call under the
//!   TCPA: the phone DNC lists, flags and hours apply to it as to a voice
//!   call, and the SMS list as well. The dialed phone must be 10 NANP digits (`invalid_phone` otherwise,
//!   also for a leading `1`: use [`Phone::parse_lenient`] first).
//!
//! ## The registries
//!
//! - **Not covered is not "not listed".** A number whose area code the copy
//!   does not cover is [`registry::RegistryAnswer::NotCovered`] from the
//!   copy, and a refusal (`not_covered`) in the check: the copy cannot say.
//! - **A client in the registries holds its numbers' national registry.**
//!   Once a client subscribes to any registry, a number of a US area code
//!   needs `US_NATIONAL` among its subscriptions and a Canadian one
//!   `CA_NATIONAL` (a number of no place both), else the check answers
//!   `not_subscribed` for it: a telemarketer calling into a country must
//!   scrub against its registry. A client with no subscription at all is
//!   outside the registries (the dial decision as before them).
//! - **Which registries apply.** The US registry to a US area code
//!   (territories included), the Canadian list to a Canadian one, a state's
//!   list to an area code that serves the state or a ZIP in the state; none
//!   to another NANP country's. A toll-free, 5XX or spare code, and a ZIP
//!   the tables do not place (or a military one), may be anywhere: every
//!   subscribed registry applies, and a copy that does not cover the code
//!   refuses the call (`not_covered`) until the host records an exemption
//!   (a `BUSINESS` one for a company's toll-free line). A state's full list
//!   covers every area code its residents have: load it with all of them
//!   (`--area-codes ALL`).
//! - **Fresh means 31 × 24 hours.** The rule counts "days prior to the date
//!   any call is made"; the engine compares instants, which is never looser
//!   than counting dates. A copy obtained *after* the check's instant is no
//!   version obtained prior to the call (a past instant checked against
//!   today's copy, or an `obtained` mistyped as 2062): it refuses too
//!   (`copy_after_check`), listed or not.
//! - **A national copy holds its country's area codes.** `US_NATIONAL`
//!   takes US area codes (territories included) and the non-geographic
//!   ones, `CA_NATIONAL` Canadian and non-geographic ones; another
//!   country's is refused at the load or the open, so a Canadian list given
//!   as the US registry is an error rather than a copy no check consults. A
//!   state's list takes any area code.
//! - **An exemption lifts any registry refusal**, not only a listing: with
//!   an established business relationship or a consent, the seller may
//!   call the number whether or not the registry lists it, so a stale copy
//!   or an area code outside the subscription does not matter for it.
//!   Louisiana's list is the exception the sources name: it takes prior
//!   consent and business-to-business calls only, so `TRANSACTION` and
//!   `INQUIRY` do not lift `STATE_LA`. Other state lists take the federal
//!   periods (no source we hold says otherwise).
//! - **Months are calendar months in UTC**: a transaction on 2026-01-15
//!   lapses at 2027-07-15T00:00:00Z (18 months later, exclusive); one on
//!   the 31st lapses at the end of the shorter month (jiff's rule).
//! - **One exemption record a kind** for each client and number or
//!   account: the later `since` wins (the last transaction is the one that
//!   counts), and at the same `since` the one that ends first (a
//!   revocation recorded for an open consent); an older record given later
//!   is not kept (`add_exemption` answers `false`). Among several in
//!   force, the check names the one that lapses last (ties: the number's,
//!   then the later `since`).
//! - **A copy is the host's.** Copies are shared by every client: no
//!   principal may load, change or remove one ([`Method::Registries`] is
//!   refused for every role); subscriptions are configuration
//!   ([`Method::Subscriptions`]), exemptions list management
//!   ([`Method::Exemptions`]).
//! - **Line ends are LF or CRLF.** A lone CR anywhere, the end of the file
//!   included, is a bad line: in a change list, whose other columns are not
//!   read, it would run two records together.
//! - **One layout a change list.** Every record has as many columns as the
//!   first (a number written `AAA,NNNNNNN` takes two), so two records that
//!   lost their line break are refused rather than read as one.
//! - **Nothing older replaces something newer.** A full list or a change
//!   list obtained before a copy it would replace or update is refused.
//! - **N11 codes are not refused**: the parsers check only that the area
//!   code and the exchange start with 2-9, as the NANP does.
//! - **A binary form is checked whole when opened**: its checksum, then
//!   every area code's words (the blocks in order, their headers, their
//!   counts), so a damaged or edited file is an error, never a lookup out
//!   of bounds.
//!
//! ## The calling laws
//!
//! - **Stricter where the sources disagree.** Each row says which reading it
//!   took in its `note`: Connecticut 20:00 (a vendor table says 21:00);
//!   Illinois 09:00–21:00 (its prerecorded-call hours); Pennsylvania
//!   09:00–20:00, Saturday to noon (44 P.S. §11's half holiday), no Sunday
//!   calls (its Sunday row is "restricted" and garbled in every source); Rhode
//!   Island no Sunday calls and no Saturday holiday calls; Mississippi's
//!   "Central Standard Time" read both on the clock and at UTC-6 (so
//!   09:00–20:00 on a summer clock); Mississippi's holiday ban kept in every
//!   year (a 2024 vendor blog says the PSC repealed it; no source gives the
//!   repeal); Pennsylvania's holidays only from the ban's effective date,
//!   2019-12-03 (Act 73 of 2019). SD, WI and WY,
//!   whose rows every source cuts off, take the table's strictest window,
//!   10:00–20:00; Texas takes secondary sources' 09:00–21:00, Sunday noon.
//! - **Holidays: both days.** A holiday and the day it is observed are both
//!   banned (dnc.com lists both; the statutes name one). Holidays a source
//!   lists but a regulator does not enforce (Louisiana's statutory days) are
//!   kept; Alabama's Mardi Gras (Baldwin and Mobile counties only) is
//!   statewide, the table knowing no counties. Days only a proclamation
//!   makes (Louisiana's Acadian Day, emergencies) are not in the table.
//! - **Every place, every law.** A number of no known place (toll-free,
//!   5XX, a spare code) without a ZIP the tables place is read at every
//!   place from Guam to Newfoundland under every state's law: in summer no
//!   instant fits them all (Rhode Island stops at 18:00 Eastern when Guam's
//!   day starts at 22:00 UTC), so such a number is refused with
//!   `next_allowed` `None`; give its ZIP.
//! - **The profile's hours stay the reference's.** [`Engine::dialing_hours`]
//!   and [`DialDecision::hours`] answer the profile alone (SPEC part 3); the
//!   laws are [`DialDecision::law`]. A ZIP's place joins the hours only on a
//!   mismatch (the reference's rule), the laws always.
//! - **Not modelled**: Canada's provincial rules and holidays, Nebraska's
//!   prerecorded-message hours, Maine's automated-call cap, state
//!   emergencies, county rules.
//!
//! ## Contact attempts and caps
//!
//! - **Any window that holds the contact.** An attempt counts when it lies
//!   less than a window from the contact, before or after it (a calendar
//!   window: within `days - 1` local days). With the history a dialer keeps
//!   (nothing after "now") that is the window ending at the contact; a
//!   scrub at an earlier `--at` also counts the attempts after it.
//! - **Stricter readings** (each cap's `note`): Regulation F counts calls
//!   that did not connect (1006.14(b)(3) may exclude them; the sources do
//!   not say) and runs its 7 days from the instant, not the date; the
//!   states' 3-in-24-hours caps count every contact to the person whatever
//!   its subject, texts included; Massachusetts counts every number as the
//!   debtor's and applies to any contact naming a debt. Massachusetts counts
//!   per debt *and person*: 940 CMR 7.04(1)(f) limits communications with
//!   the debtor, and a call about the debt to another person is not one.
//! - **Who is the person.** Attempts of the same person key count together
//!   on any number; an attempt or contact without a person key is its
//!   number's, and counts with every attempt on that number. A contact
//!   naming no debt counts every attempt to the person; an attempt naming
//!   none counts against every debt. Debts are matched by a 64-bit
//!   fingerprint of the case-folded key: two debts that share one (about
//!   one chance in 10^19 a pair) count together, more and never less.
//! - **A person's history is held inline.** Its first eight attempts (a
//!   trimmed week of one debt under Regulation F) sit in the person's map
//!   entry, so a decision reads the key and the history in one place; a
//!   longer history is moved to the heap, and a shorter one leaves the room
//!   unused: memory is traded for the allowed path (the README's "Laws and
//!   caps" gives both).
//! - **Regulation F is for voice calls** of a client marked as a debt
//!   collector; a text is neither counted nor refused by it (the rule
//!   speaks of telephone calls), but the states' caps and the client's
//!   rules may count it. A request or attempt with consent given within the
//!   last 7 days is excluded; the consent's own instant is not kept in a
//!   snapshot (the attempt is marked excluded).
//! - **Tenants.** A client's history, keys and rules are its own: another
//!   client's attempts never count, and its rule ids are `not_found`.
//! - **Trim.** The engine keeps every attempt until the host trims:
//!   `trim_attempts(now)` drops only what no cap can count for a contact
//!   from `now` on (older than `attempt_horizon()` before it); a rule added
//!   later with a longer window sees only what is left, and a scrub at an
//!   instant before the trim's `now` may miss what it dropped.
//!
//! ## The change log
//!
//! - **A refused change still takes its place in the log.** The position
//!   advances past it on every host, so a host that refused a change is
//!   not waiting for it forever; the refusal is the same on every host
//!   because the engines are the same.
//! - **A client's settings are one change** ([`Mutation::ClientSettings`]:
//!   the time zone, then the phone DNC type), as `set_client` is one line;
//!   both parts are held to the same role rule, so the second is never
//!   refused once the first was made.
//! - **`dnc replay` numbers its changes**: each changing line is the next
//!   change of the session's log ([`Engine::position`] counts them),
//!   refused ones included; a read does not move it.
//! - **Stored payloads are checked, not trusted**: bytes that do not have
//!   the digest the change names are [`ApplyError::DamagedObject`].
//!
//! ## Snapshots and images
//!
//! - **A snapshot's entries in id order restore in bulk; any other order
//!   restores too, slower.** Every snapshot the engine writes lists its
//!   entries ascending by id and its flag records ascending by client and
//!   folded account; a restore files those in one pass (a repeated id is
//!   then one that does not ascend). A snapshot edited or built by hand in
//!   another order goes through the bulk add and its per-entry id checks,
//!   with the same answer.
//! - **An image is not a serde format.** [`Engine::to_image`] writes its
//!   own layout (version 1, documented in `src/engine/image.rs`); a host
//!   reads it only with [`Engine::from_image`] of a version that knows the
//!   layout, which refuses any other. Keep a [`Snapshot`] where other
//!   tools must read the state.
//! - **An image's records must ascend.** [`Engine::to_image`] writes the
//!   phone records ascending by id, and lists the clients of client-level
//!   records ascending; an image whose records or clients do not, whose
//!   listed client no record names, or whose service directory is not its
//!   snapshot part's services is refused, with its checksum intact or not.
//!   The snapshot part is checked against its own counts and checksum, as
//!   a snapshot is.
//! - **A client whose settings are back to the defaults is not written**
//!   (time zone `UTC`, no contact groups, phone DNC type `LEGACY`): it
//!   reads as a client that never set any, so equal engines give equal
//!   snapshots and images.
//! - **Every refusal of a restore is [`DncError::InvalidSnapshot`]**, a
//!   part's own error (a registry copy's bytes, an attempt's outcome)
//!   becoming its reason.
//! - **[`Engine::from_image`] starts a thread** (scoped: it ends before
//!   the call returns) for the phone entries; where no thread can be
//!   started it does the same work in turn.
//!
//! ## The replay protocol
//!
//! - **Empty means absent** in the replay protocol (`""` and `null`); in the
//!   library an empty string is simply not a valid value, and an absent field
//!   is `None`.
//! - **An `at` past the instants jiff names** (before
//!   -9999-01-02T01:59:59Z or after 9999-12-30T22:00:00.999Z, epoch
//!   milliseconds -377705023201000 to 253402207200999). On a change (legacy
//!   or channel list, the phone DNC type) it is refused, `invalid_date`
//!   naming the field and the range, after every other field of the line
//!   (so `bad_request` still wins) and before any part of the line is
//!   applied: a list's `lastModified` must be a real instant. On a check,
//!   one past the end reads as the last instant and one before the start
//!   as no instant; both block at least as much as the instant meant, so
//!   the engine's own answer for "never expires" (the start of 9999-12-31)
//!   is accepted back. A find's `modifiedAfter` reads as the nearest
//!   instant (only an entry recorded at the very first one is then not
//!   "after" it). A `dial` or `dialing_hours` instant is refused, as it
//!   always was. A snapshot of an older version, which recorded any number,
//!   restores whole and answers the nearest instant.
//!
//! ## The C and Python bindings
//!
//! The workspace members `capi/` (C ABI, header `capi/include/dnc_engine.h`)
//! and `python/` (`import dnc_engine`) wrap this crate; the library itself
//! stays free of `unsafe` and of Python.
//!
//! - **A C verdict carries the first eight entry ids** (`DNC_VERDICT_IDS`)
//!   and the count of all of them, so a check needs no allocation; the
//!   replay line `is_blocked` lists every id when more apply.
//! - **A typed change and a replay line act on the same engine**, but only
//!   the lines' changes are changes of the session's log: a typed
//!   `dnc_add` does not move [`Engine::position`].
//! - **A batch answers every request.** In C each `DncVerdict` carries its
//!   own status; in Python a refused request raises naming its index, or
//!   with `errors="return"` its `DncError` takes its place. `add_many`
//!   answers per entry in both, and adds the good ones.
//! - **Python's missing values**: `None`, `""` and a table's NaN are "not
//!   given". A request dict with an unknown key is refused (a misspelt
//!   `phnoe` must not become a check without a phone); a scrub's rows may
//!   carry other columns.
//! - **The dial decision through the typed calls** takes the service,
//!   phone, account, ZIP, channel, ZIP match and instant; the person, debts
//!   and consent of the contact caps are asked through the replay line
//!   `dial_decision`.
//!
//! # Sharing an engine between threads
//!
//! The engine has no lock of its own: checks take `&self`, changes `&mut
//! self`, and every public type is `Send + Sync`, so a host shares it behind
//! a standard lock. With `std::sync::RwLock<Engine>`, dialer threads take the
//! read lock for one check (or one [batch](Engine::is_blocked_batch)) with
//! [`read_spinning`], and an agent desktop takes the write lock for one
//! change. A change is visible to every check that takes the lock after the
//! change returned: an in-call opt-out blocks the very next dial. Keep write
//! sections to one operation (a bulk load is better done on a fresh engine
//! that is then swapped in), so that readers wait at most one change, about a
//! microsecond. [`read_spinning`] waits that microsecond out instead of
//! sleeping on the lock: with a writer making 10,000 changes a second, readers
//! kept 94–103% of their read-only throughput in the scale benchmark, against
//! 72–83% with a plain `read()`. `examples/shared_engine.rs` shows the
//! pattern; `tests/thread_safety.rs` checks, on random operation sequences,
//! that a reader never sees an answer older than the last completed write.
//!
//! # Crate features
//!
//! - `serde` (off by default): [`Snapshot`], [`Engine::snapshot`] and
//!   [`Engine::restore`], plus `Serialize`/`Deserialize` for the value types
//!   and `Serialize` for the answers ([`Verdict`], [`DialDecision`] with its
//!   [`DialReason`]s, [`HoursAnswer`], [`DncError`] as `{code, message}`),
//!   so an audit log records every verdict with its reasons.
//!   A snapshot carries the count of each section and a checksum over its
//!   content ([`Integrity`]); restoring verifies them and then validates
//!   everything through the live rules, so a damaged or hostile snapshot is
//!   an error, never different data.
//! - `image` (off by default; implies `serde`): [`Engine::to_image`] and
//!   [`Engine::from_image`], the whole engine as one byte string that
//!   restores in bulk, about 3 times faster than a postcard [`Snapshot`]
//!   at 10M entries (the README's restore table). The literal phone entries,
//!   nine in ten of a real list, travel as fixed 24-byte records in the
//!   phone store's packed form and are read on a second thread; everything
//!   else is a postcard snapshot part. A checksum over the whole image and
//!   the same checks as [`Engine::restore`] refuse damaged or hostile
//!   bytes with [`DncError::InvalidSnapshot`]. Use it where a restore
//!   stalls a host (a dialer's start, a follower joining); use a
//!   [`Snapshot`] where a format must be read by other tools.
//!
//! # Architecture
//!
//! The crate is a thin facade over three private parts. Layers point one
//! way: the values and the shared vocabulary at the bottom, the parts above
//! them (each never imports the facade or another part's state), the facade
//! on top.
//!
//! ```text
//! src/
//!   lib.rs        this guide, and the public names (all re-exported here)
//!   error.rs      DncError and its wire codes
//!   channel.rs    Channel: which list (leaf vocabulary)
//!   dnc_type.rs   PhoneDncType: which list answers phone checks (leaf)
//!   page.rs       PageRequest, Page, ListInfo, BulkOutcome
//!   query.rs      Query: the request of every check
//!   verdict.rs    Verdict, CheckRule: the answer of every check, with why
//!   id_set.rs     ordered id sets that every part pages from
//!   answer_serde.rs  the answers as JSON (feature `serde`)
//!   values/       validated newtypes, each constructor the home of its rule:
//!                 ids, phone, account, zip, email, expiration (and the
//!                 instants), flags, packed (the 0-9/* alphabet)
//!   access/       roles.rs (Role, Method), policy.rs (Principal, authorize)
//!   legacy/       the legacy list's private engine: list (services, entries,
//!                 flags, adds and removes), check (isBlocked, the dial check,
//!                 batches), pages (reads, pages, finds, info), log
//!                 (modification instants, finds' filter), entry,
//!                 phone_store, client_index, pattern_index, postings,
//!                 ordered_ids, snapshot (its records and restore)
//!   channels/     the channel lists' private engine: state (settings and
//!                 every list operation), list (one list's index), types,
//!                 migration (what a type switch carries), snapshot (its
//!                 records and restore)
//!   dialing/      profile (profiles, policies, regions, windows),
//!                 profile_store (the profiles and their operations),
//!                 policy_index, hours (the hours at a place), decision (the
//!                 dial decision's types and the places of a number),
//!                 snapshot (its records and restore)
//!   geo/          embedded area-code and ZIP tables (generated), zone
//!                 cache, zip_area (the zip/area-code match)
//!   registry/     the registries: source (which registry), parse (the flat
//!                 formats), numbers (one area code's compact set), list
//!                 (Registry: loads, changes, checks), binary (its form to
//!                 open from bytes), subscription, exemption, verdict (the
//!                 checks and the 31-day rule), store (the part: copies,
//!                 subscriptions, exemptions, the check), snapshot
//!   engine/       the facade, one file per API family: mod (Engine,
//!                 services, validate), check, legacy, channels, dnc_type,
//!                 profiles, registries, dial, snapshot (the parts' records side by
//!                 side, + snapshot_integrity), image (the bulk-restoring
//!                 form, with legacy/image: the phone records), scoped
//!                 (principals), sharing
//! ```
//!
//! The service directory (which client owns a service) and each client's
//! phone DNC type live in the legacy part, because its checks intern
//! services and clients to the dense indexes they probe with; the other
//! parts ask through the facade, which hands them `client_of` as a
//! closure, never the legacy part itself.
//!
//! The next parts (the calling laws and contact-frequency caps, the change
//! log that keeps many hosts in step) each get a folder beside these.
//!
//! Inside the legacy part:
//!
//! Clients and services are interned to dense indexes. Phone-only entries,
//! about nine in ten of a real list, are 20-byte records (id, packed phone
//! with the lifetime in a spare bit, and one word naming the client or the
//! service) stored in a hash table keyed by `(client, phone)`, so a check
//! reads the table's control bytes and then the record: two dependent memory
//! reads, as for a plain `HashMap<u64, u32>`. A second table maps ids to
//! bucket positions, rebuilt whenever the first one rehashes (which the
//! store triggers itself, so it always knows; a bulk insert that fits
//! rebuilds nothing). A key held by more than eight records (one phone
//! blocked for many services of a client) is *spread*: its records move
//! under the hash of `(client, phone, scope)`, and a mark under the key's
//! hash, met by the check in the bucket it reads anyway, sends it to probe
//! for the client-level records and its own service's. About 44 bytes an
//! entry at 10M entries. The other kinds live per client: one map from
//! account to everything about it (up to eight account entries and eight
//! phone + account entries inline, and its flags; an account with more
//! keeps them in maps of their own, keyed by account and by account and
//! phone), so an account costs one probe, and one map from zip to its
//! entries; zips are packed into integers, accounts (kept inline up to 24
//! bytes) hash by their lowercase form. The entries under one key are split
//! by service once there are more than eight. A check resolves the
//! service, then probes one table per key kind in the request and reads the
//! entries there that can apply, so its cost grows neither with the number
//! of entries nor with those of other services. Wildcard entries are also
//! indexed by their star layout (length and star positions): for each
//! layout present the dial check builds the one pattern that could match
//! the request and probes for it, so it costs one probe per distinct layout
//! (`209*******` and 50,000 patterns shaped `***NNNNNNN` are two), never one
//! per pattern. A batch check hashes a group of 16 requests, then starts
//! all their table reads in one short loop so that the cache misses overlap,
//! then finishes each; a bulk add files phone records in the order of the
//! buckets they land in, so the table writes sweep memory.
//!
//! Lists are paged from ordered id sets (`id_set.rs`: sorted chunks of up
//! to 512 ids, kept as `u32` offsets, under a Fenwick tree over the chunk
//! lengths): each client's legacy ids by lifetime, and its service-scoped
//! ones again by service (4 bytes an entry, 8 for a service-scoped one);
//! each client's channel ids, those of each contact group and those that
//! expire; profile ids by owner. A page is the union of a few disjoint sets
//! (a legacy find by type and services, a client's profiles and the
//! system-wide ones), its start found by rank in O(log n) and read in
//! order, so it costs the page at any offset and never reads another
//! client's data; a change costs O(log n) and one chunk. A channel find by
//! substring reads the ids in order until the page is full (or, when the
//! matches prove sparse, the value index once); a legacy find by
//! `modifiedAfter` reads the client's candidates in order. The nightly
//! clear of a client walks its DAILY ids, the DNC-type switch its own ids,
//! and a new time zone its expiring channel entries: each costs that
//! client's data.
//!
//! At millions of entries a check mostly waits for memory, and how many
//! checks' memory reads the CPU overlaps depends on how many instructions
//! each check takes (the raw probe takes about 50, a phone-only check about
//! 200, measured with callgrind). So the hot path is compiled per rule, a
//! literal phone-only check skips the client's other indexes, and account
//! case-folding, wildcard tests and pattern matches work on whole words.
//!
//! Everything derived (every ordered id set, spread key and split key
//! included) is checked against the entries by a hidden `validate()` in
//! the property tests and the fuzz targets. Debug builds split id sets at
//! 8 ids and spread keys at 3 entries, so those tests, with a few dozen
//! entries, exercise every shape.
//!
//! The geography and dialing parts keep their tables out of the heap: the area codes are an array
//! indexed by code (each row naming its states, zones, the source that
//! decided them and, for the 22 codes phonenumbers splits by exchange, a run
//! of exchange ranges), the ZIP codes sorted rows
//! reached through their three-digit prefix, all generated into
//! `geo/tables.rs`. The IANA zones are jiff's bundled database, loaded once
//! into a table beside them. Profiles live in a map by id with two indexes
//! (service to profile, client to default) and, per profile, its policies
//! by the most specific part of their region (area code, state, country),
//! rebuilt when they change: evaluating a place reads only the policies of
//! its area code, state and country, most specific first, and the next
//! allowed instant is a search over the instants at which an answer can
//! change (local midnights, the window starts of those policies, offset
//! changes).

#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod access;
#[cfg(feature = "serde")]
mod answer_serde;
pub mod attempts;
pub mod changes;
mod channel;
mod channels;
mod dialing;
mod dnc_type;
mod engine;
mod error;
pub mod geo;
mod id_set;
pub mod law;
mod legacy;
mod page;
mod query;
pub mod registry;
mod values;
mod verdict;

pub use crate::changes::{Applied, ApplyError, Change, Effect, Mutation};
pub use crate::channel::Channel;
pub use crate::channels::migration::{Migration, NotCarried, NotCarriedReason};
pub use crate::channels::types::{
    ChannelEntry, ChannelFilter, ChannelQuery, ChannelValue, NewChannelEntry,
};
pub use crate::dnc_type::PhoneDncType;
pub use crate::page::{BulkOutcome, ListInfo, MAX_PAGE, Page, PageRequest};
pub use access::policy::{Principal, authorize};
pub use access::roles::{Method, Role};
#[cfg(feature = "serde")]
pub use attempts::{AttemptRecord, AttemptRuleRecord, CollectorRecord};
pub use channel::DialChannel;
#[cfg(feature = "serde")]
pub use channels::snapshot::{
    ChannelClientRecord, ChannelEntryRecord, ChannelListRecord, ServiceGroupRecord,
};
pub use dialing::decision::{DialDecision, DialReason, DialRequest, dial_places};
pub use dialing::hours::{HoursAnswer, HoursRule, Place, PlaceAnswer};
pub use dialing::profile::{
    DayRule, DialingProfile, NewPolicy, NewProfile, Policy, PolicyUpdate, Region,
};
pub use dialing::profile_store::ProfileSummary;
#[cfg(feature = "serde")]
pub use dialing::snapshot::{PolicyRecord, ProfileRecord};
pub use engine::Engine;
pub use engine::scoped::{Caller, Scoped};
pub use engine::sharing::read_spinning;
#[cfg(feature = "serde")]
pub use engine::snapshot::{Integrity, Snapshot};
pub use error::DncError;
pub use geo::local_events::NEXT_ALLOWED_HORIZON;
pub use geo::zip_area::{
    ZipAreaMatch, ZipAreaMatchType, ZipAreaReason, same_clock, zip_area_match,
};
/// The date and time crate of the channel lists' public types (dates are
/// `jiff::civil::Date`), re-exported so callers use the same version.
pub use jiff;
pub use legacy::entry::{DncEntry, DncKey, Lifetime, NewEntry};
pub use legacy::list::AddManyOutcome;
pub use legacy::log::LegacyFilter;
#[cfg(feature = "serde")]
pub use legacy::snapshot::{FlagRecord, ServiceRecord};
pub use query::Query;
/// The small-vector crate of [`HoursAnswer::places`] and [`dial_places`]
/// (most numbers are in one to four places, kept inline without an
/// allocation), re-exported so callers name the same version.
pub use smallvec;
pub use values::account::{Account, MAX_ACCOUNT_LEN};
pub use values::clock::{TimeOfDay, Window};
pub use values::email::{Email, MAX_EMAIL_LEN};
pub use values::expiration::{Expiration, parse_instant};
pub use values::flags::{AccountFlag, AccountFlags, FlagUpdate};
pub use values::ids::{
    AttemptRuleId, ClientId, ContactGroupId, EntryId, MAX_ID, PolicyId, ProfileId, ServiceId,
};
pub use values::phone::{MAX_PHONE_LEN, Phone};
pub use values::zip::Zip;
pub use verdict::{CheckRule, Verdict};

/// The README's examples, compiled and run as doc tests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
