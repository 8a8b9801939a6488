//! Issue 13's attempts API at its edges, each a finding of the independent
//! review or a wall the issue names: an attempt's number is checked as a
//! dial's, a debt named twice counts once, a trim at `now` keeps what a cap
//! still needs, one client's history and rules never reach another's.

use dnc_engine::attempts::{
    ChannelSet, ContactKey, NewAttempt, NewAttemptRule, Outcome, OutcomeSet, RuleKey, RuleWindow,
};
use dnc_engine::jiff::{SignedDuration, Timestamp};
use dnc_engine::{ClientId, DialRequest, DncError, Engine, Phone, ServiceId};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn two_clients() -> (Engine, [ServiceId; 2]) {
    let mut engine = Engine::new();
    let services = [ServiceId::new(10).unwrap(), ServiceId::new(20).unwrap()];
    engine
        .register_service(ClientId::new(1).unwrap(), services[0])
        .unwrap();
    engine
        .register_service(ClientId::new(2).unwrap(), services[1])
        .unwrap();
    (engine, services)
}

#[test]
fn an_attempt_takes_only_a_number_a_dial_takes() {
    let (mut engine, [service, _]) = two_clients();
    for bad in ["0125550100", "1415555010", "415555010"] {
        let phone = Phone::parse(bad).unwrap();
        let error = engine
            .record_attempt(&NewAttempt::new(
                service,
                phone,
                at("2026-11-18T17:00:00Z"),
                Outcome::NoAnswer,
            ))
            .unwrap_err();
        assert!(
            matches!(error, DncError::InvalidPhone { .. }),
            "{bad}: {error}"
        );
    }
    assert_eq!(engine.attempt_count(), 0);
}

#[test]
fn a_debt_named_twice_counts_once() {
    let (mut engine, [service, _]) = two_clients();
    let client = ClientId::new(1).unwrap();
    engine.set_debt_collector(client, true);
    let phone = Phone::parse("4155550100").unwrap();
    let debt = ContactKey::parse("debt", "D1").unwrap();
    engine
        .record_attempt(&NewAttempt {
            debts: vec![debt],
            ..NewAttempt::new(
                service,
                phone,
                at("2026-11-16T18:00:00Z"),
                Outcome::Conversation,
            )
        })
        .unwrap();
    let twice = [debt, ContactKey::parse("debt", "d1").unwrap()];
    let decision = engine
        .dial_decision(&DialRequest::new(service, phone, at("2026-11-18T18:00:00Z")).debts(&twice))
        .unwrap();
    assert_eq!(decision.caps.refusals.len(), 1, "{decision}");
}

#[test]
fn a_trim_at_now_keeps_what_a_cap_still_needs() {
    let (mut engine, [service, _]) = two_clients();
    let client = ClientId::new(1).unwrap();
    let rule = NewAttemptRule {
        key: RuleKey::Phone,
        outcomes: OutcomeSet::ALL,
        channels: ChannelSet::BOTH,
        window: RuleWindow::Rolling(SignedDuration::from_hours(24 * 10)),
        limit: 1,
        lock: Some(SignedDuration::from_hours(48)),
    };
    engine.add_attempt_rule(client, rule).unwrap();
    // The horizon: the rule's 10 days and its 2-day lock.
    assert_eq!(
        engine.attempt_horizon(),
        SignedDuration::from_hours(24 * 12)
    );
    let phone = Phone::parse("4155550100").unwrap();
    let first = at("2026-11-01T18:00:00Z");
    engine
        .record_attempt(&NewAttempt::new(service, phone, first, Outcome::NoAnswer))
        .unwrap();
    // Nine days later the rule still refuses: a trim then keeps it.
    let now = first + SignedDuration::from_hours(24 * 9);
    assert_eq!(engine.trim_attempts(now), 0);
    let decision = engine
        .dial_decision(&DialRequest::new(service, phone, now))
        .unwrap();
    assert!(!decision.caps.allows(), "{decision}");
    // Past the horizon it goes.
    assert_eq!(
        engine.trim_attempts(
            first + SignedDuration::from_hours(24 * 12) + SignedDuration::from_mins(1)
        ),
        1
    );
    assert_eq!(engine.attempt_count(), 0);
}

#[test]
fn one_clients_history_and_rules_never_reach_another() {
    let (mut engine, [one, two]) = two_clients();
    let (client_one, client_two) = (ClientId::new(1).unwrap(), ClientId::new(2).unwrap());
    engine.set_debt_collector(client_one, true);
    let miami = Phone::parse("3055550100").unwrap();
    for hour in 14..17 {
        engine
            .record_attempt(&NewAttempt::new(
                one,
                miami,
                at(&format!("2026-11-18T{hour}:00:00Z")),
                Outcome::Conversation,
            ))
            .unwrap();
    }
    let later = at("2026-11-18T18:00:00Z");
    // Client 1 is refused by Florida's cap and Regulation F.
    assert!(
        !engine
            .dial_decision(&DialRequest::new(one, miami, later))
            .unwrap()
            .caps
            .allows()
    );
    // Client 2 calling the same number has no history and no mark.
    let theirs = engine
        .dial_decision(&DialRequest::new(two, miami, later))
        .unwrap();
    assert!(theirs.caps.allows(), "{theirs}");
    assert!(!engine.is_debt_collector(client_two));
    // A rule of client 1 is not client 2's to remove.
    let id = engine
        .add_attempt_rule(
            client_one,
            NewAttemptRule {
                key: RuleKey::Person,
                outcomes: OutcomeSet::ALL,
                channels: ChannelSet::VOICE,
                window: RuleWindow::Rolling(SignedDuration::from_hours(1)),
                limit: 3,
                lock: None,
            },
        )
        .unwrap();
    assert!(matches!(
        engine.remove_attempt_rule(client_two, id),
        Err(DncError::AttemptRuleNotFound { .. })
    ));
    assert!(engine.attempt_rules(client_two).is_empty());
    assert_eq!(engine.attempt_rules(client_one).len(), 1);
}

#[test]
fn massachusetts_counts_per_debt_and_person() {
    let (mut engine, [service, _]) = two_clients();
    engine.set_debt_collector(ClientId::new(1).unwrap(), true);
    let boston = Phone::parse("6175550100").unwrap();
    let debt = [ContactKey::parse("debt", "D1").unwrap()];
    let (debtor, other) = (
        ContactKey::parse("person", "A").unwrap(),
        ContactKey::parse("person", "B").unwrap(),
    );
    for hour in [14, 15] {
        engine
            .record_attempt(&NewAttempt {
                person: Some(debtor),
                debts: debt.to_vec(),
                ..NewAttempt::new(
                    service,
                    boston,
                    at(&format!("2026-11-17T{hour}:00:00Z")),
                    Outcome::NoAnswer,
                )
            })
            .unwrap();
    }
    let next_day = at("2026-11-18T16:00:00Z");
    let to = |person| {
        engine
            .dial_decision(
                &DialRequest::new(service, boston, next_day)
                    .person(person)
                    .debts(&debt),
            )
            .unwrap()
    };
    let refused = to(debtor);
    assert!(
        refused
            .caps
            .refusals
            .iter()
            .any(|r| r.to_string().contains("940 CMR 7.04(1)(f)")),
        "{refused}"
    );
    assert!(to(other).caps.allows());
}
