//! The dial decision: one call that answers "may this service contact
//! this person now?" from the DNC lists, the account flags, the dialing
//! profile's hours, the ZIP/area-code match and the registries.

use smallvec::SmallVec;

use crate::channel::{Channel, DialChannel};

use crate::attempts::CapAnswer;
use crate::attempts::answer::CapContact;
use crate::attempts::caps::{self, CapLaw};
use crate::channels::types::{ChannelQuery, ChannelValue};
use crate::dialing::decision::{DialDecision, DialRequest, push_phone_places, push_zip_places};
use crate::dialing::hours::Place;
use crate::engine::Engine;
use crate::engine::registries::zip_place;
use crate::error::DncError;
use crate::geo::Country;
use crate::geo::zip_area::match_zip_info;
use crate::geo::{self, AreaCode};
use crate::law::LawPlace;
use crate::law::answer as law;
use crate::query::Query;

impl Engine {
    /// The dial decision: may `request.service` contact
    /// `request.phone` now?
    ///
    /// Applies, all at once:
    /// - the DNC lists by the dial check's rules (the reference; for a `DIAL_TIME`
    ///   client its dialtime list at `request.at`), for the phone, the
    ///   account and the ZIP, and for a text the SMS list too;
    /// - the account's Do Not Dial flags;
    /// - the dialing hours of the service's profile (else its client's
    ///   default, else 08:00–21:00) in the callee's local time, in every
    ///   zone the number may be in;
    /// - when a ZIP is given that does not match the area code
    ///   ([`zip_area_match`](crate::zip_area_match) with `request.zip_match`), the hours at the ZIP's
    ///   place as well: the stricter of the two;
    /// - the registries the client subscribes to
    ///   ([`registry_check`](Engine::registry_check)): a listed number, an
    ///   area code the subscription or the copies do not cover, a copy more
    ///   than 31 days old refuse the contact unless an exemption of the
    ///   number or the account lifts it. An exemption lifts nothing else;
    /// - the calling laws of every place the callee may be in (the law is a
    ///   floor under the profile: [`DialDecision::law`]);
    /// - the contact caps over the client's recorded attempts: Regulation F
    ///   for a debt collector, the states' caps, the client's attempt rules
    ///   ([`DialDecision::caps`]).
    ///
    /// A refused decision says when every refusal lapses
    /// ([`DialDecision::next_allowed`]).
    ///
    /// Allocates nothing when the contact is allowed, the number has at
    /// most four places (one zone, one state: nearly every number) and at
    /// most two registries apply to it (the national one and a state's),
    /// none lifted by an account's exemption (whose account the answer
    /// copies).
    ///
    /// Errors: [`DncError::UnknownService`]; [`DncError::InvalidPhone`] for a
    /// phone that is not 10 NANP digits.
    ///
    /// ```
    /// use dnc_engine::{ClientId, DialRequest, Engine, Phone, ServiceId};
    /// use dnc_engine::jiff::Timestamp;
    ///
    /// let mut engine = Engine::new();
    /// let service = ServiceId::new(1)?;
    /// engine.register_service(ClientId::new(7)?, service)?;
    /// let phone = Phone::parse("4155550100")?;
    ///
    /// // 17:00 UTC is 09:00 in San Francisco (PST): inside 08:00-21:00.
    /// let morning: Timestamp = "2026-12-01T17:00:00Z".parse().unwrap();
    /// assert!(engine.dial_decision(&DialRequest::new(service, phone, morning))?.allowed());
    ///
    /// // 15:00 UTC is 07:00 there: refused until 08:00 local (16:00 UTC).
    /// let early: Timestamp = "2026-12-01T15:00:00Z".parse().unwrap();
    /// let decision = engine.dial_decision(&DialRequest::new(service, phone, early))?;
    /// assert!(!decision.allowed());
    /// assert_eq!(decision.next_allowed(), Some("2026-12-01T16:00:00Z".parse().unwrap()));
    /// println!("{decision}"); // refused: 2026-12-01T07:00:00 in America/Los_Angeles (CA): standard hours allows 08:00-21:00; ...
    /// # Ok::<(), dnc_engine::DncError>(())
    /// ```
    pub fn dial_decision(&self, request: &DialRequest<'_>) -> Result<DialDecision, DncError> {
        self.decide(request, true)
    }

    /// The dial decision without the calling laws and the caps: the path
    /// the benchmarks compare the whole decision with, in the same run
    /// (what the decision cost before issue 13). Not for dialing: the law
    /// is a floor, and this ignores it.
    #[doc(hidden)]
    pub fn dial_decision_without_laws_and_caps(
        &self,
        request: &DialRequest<'_>,
    ) -> Result<DialDecision, DncError> {
        self.decide(request, false)
    }

    fn decide(&self, request: &DialRequest<'_>, laws: bool) -> Result<DialDecision, DncError> {
        let client = self
            .client_of(request.service)
            .ok_or(DncError::UnknownService {
                service: request.service,
            })?;
        let (area_code, nxx) = AreaCode::of_phone(request.phone)?;
        // The caps' lookups first: at millions of attempts resident they
        // are cache misses, and begun before the lists' checks they wait
        // alongside those (measured: the README's "Laws and caps").
        let contact = self.attempts.client(client).filter(|_| laws).map(|part| {
            CapContact::new(
                part,
                request.phone.packed(),
                request.person.as_ref(),
                request.debts,
                request.channel,
                request.consent,
            )
        });
        let mut query = Query::new(request.service).phone(request.phone);
        if let Some(account) = request.account {
            query = query.account(account);
        }
        if let Some(zip) = request.zip {
            query = query.zip(zip);
        }
        let at_millis = request.at.as_millisecond();
        let dnc = self.dial_check_at(&query, at_millis)?;
        let sms = match request.channel {
            DialChannel::Voice => None,
            DialChannel::Sms => Some(self.channel_check(
                Channel::Sms,
                &ChannelQuery {
                    service: request.service,
                    value: &ChannelValue::Phone(request.phone),
                    account: None,
                    at: Some(request.at),
                },
            )?),
        };
        let registries = self.registries.check(
            client,
            request.phone,
            request.account,
            zip_place(request.zip),
            request.at,
        )?;
        let mut places: SmallVec<[Place; 4]> = SmallVec::new();
        push_phone_places(&mut places, area_code, nxx);
        let mut law_places: SmallVec<[LawPlace; 4]> = SmallVec::new();
        // The ZIP is looked up once, for the match and for its places. The
        // laws follow the callee wherever it may be: the ZIP's places
        // count for them whether or not the ZIP matches; for the profile's
        // hours only when it does not (the reference's rule). A number of
        // no known place (toll-free, 5XX) says nothing of where the callee
        // is: with a ZIP the tables place, the laws read the ZIP's places
        // alone; without one, every place (see the guide's Quirks).
        let zip_info = request.zip.map(geo::zip_info);
        let zip_places_it =
            zip_info.is_some_and(|info| info.is_some_and(|info| !info.zones.is_empty()));
        if laws && !(zip_places_it && geo::exchange_zones(area_code, nxx).is_empty()) {
            push_law_places(&mut law_places, &places);
        }
        let zip_match = zip_info.map(|info| {
            let answer = match_zip_info(area_code, info, request.zip_match);
            let mut zip_places: SmallVec<[Place; 4]> = SmallVec::new();
            push_zip_places(&mut zip_places, info);
            if laws {
                push_law_places(&mut law_places, &zip_places);
            }
            if !answer.matched {
                places.extend(zip_places);
            }
            answer
        });
        let profile = self.profiles.for_service(client, request.service);
        let time_rules = self.profiles.time_rules(profile, &places);
        let hours = time_rules.answer(request.at);
        let law = law::answer(&law_places, request.at, |zone| {
            hours
                .places
                .iter()
                .find(|answer| answer.place.zone == zone)
                .map(|answer| answer.local)
        });
        let state_caps = state_caps(&law_places);
        let contact = contact.map(|contact| contact.with_state_caps(&state_caps));
        let rules = self.attempts.rules(client);
        let mut caps = CapAnswer::default();
        if let Some(contact) = &contact {
            contact.evaluate(rules, request.at.as_millisecond(), |refusal| {
                caps.refusals.push(refusal)
            });
        }
        let mut decision = DialDecision {
            dnc,
            sms,
            hours,
            zip_match,
            profile: profile.map(|profile| profile.id),
            registries,
            law,
            caps,
            next_allowed: Some(request.at),
        };
        if !decision.allowed() {
            decision.next_allowed = self.next_allowed(
                &decision,
                &time_rules,
                &law_places,
                contact.as_ref().map(|contact| (contact, rules)),
                request.at,
            );
        }
        Ok(decision)
    }
}

/// Adds the laws' places of `places` (each state, country and zone once).
fn push_law_places(law_places: &mut SmallVec<[LawPlace; 4]>, places: &[Place]) {
    for place in places {
        let law_place = LawPlace {
            state: place.state,
            country: place.country,
            zone: place.zone,
        };
        if !law_places.contains(&law_place) {
            law_places.push(law_place);
        }
    }
}

/// The states' caps of the laws' places: each state's that sets one; every
/// state's for a US place of no known state.
fn state_caps(law_places: &[LawPlace]) -> SmallVec<[&'static CapLaw; 2]> {
    let mut found: SmallVec<[&'static CapLaw; 2]> = SmallVec::new();
    for place in law_places {
        let laws: &mut dyn Iterator<Item = &'static CapLaw> = match (place.state, place.country) {
            (Some(state), _) => &mut caps::state_cap(state.as_str()).into_iter(),
            (None, Country::Usa | Country::None) => &mut caps::STATE_CAPS.iter(),
            (None, _) => &mut std::iter::empty(),
        };
        for law in laws {
            if !found.contains(&law) {
                found.push(law);
            }
        }
    }
    found
}
