//! SPEC sections 7 and 9 (channel lists), rule by rule, and the reference's
//! examples: each test names the rule it would catch breaking.

#[path = "support/instant.rs"]
mod instant;
use dnc_engine::jiff::Timestamp;
use dnc_engine::{
    Channel, ChannelFilter, ChannelQuery, ChannelValue, ClientId, ContactGroupId, DncError, Email,
    Engine, EntryId, Expiration, NewChannelEntry, PageRequest, Phone, PhoneDncType, ServiceId,
};
use instant::ms;

fn client(n: u64) -> ClientId {
    ClientId::new(n).unwrap()
}
fn service(n: u64) -> ServiceId {
    ServiceId::new(n).unwrap()
}
fn group(n: u64) -> ContactGroupId {
    ContactGroupId::new(n).unwrap()
}
fn phone(text: &str) -> ChannelValue {
    ChannelValue::Phone(Phone::parse(text).unwrap())
}
fn email(text: &str) -> ChannelValue {
    ChannelValue::Email(Email::parse(text).unwrap())
}
fn date(text: &str) -> Expiration {
    Expiration::parse(text).unwrap()
}
/// Epoch milliseconds of a UTC instant written as RFC 3339.
fn instant(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn millis(text: &str) -> i64 {
    instant(text).as_millisecond()
}

/// Client 1 with services 10 (group 100), 11 (group 101) and 12 (none).
fn engine() -> Engine {
    let mut engine = Engine::new();
    for s in [10, 11, 12] {
        engine.register_service(client(1), service(s)).unwrap();
    }
    engine.register_service(client(2), service(20)).unwrap();
    // The dialtime list is managed for DIAL_TIME clients only (SPEC 8).
    engine.set_phone_dnc_type(client(1), PhoneDncType::DialTime, None);
    engine.add_contact_group(client(1), group(100));
    engine.add_contact_group(client(1), group(101));
    engine
        .set_service_contact_group(service(10), Some(group(100)))
        .unwrap();
    engine
        .set_service_contact_group(service(11), Some(group(101)))
        .unwrap();
    engine
}

fn check(
    engine: &Engine,
    channel: Channel,
    s: u64,
    value: &ChannelValue,
    at: Timestamp,
) -> Vec<EntryId> {
    let query = ChannelQuery {
        service: service(s),
        value,
        account: None,
        at: Some(at),
    };
    engine
        .channel_check(channel, &query)
        .unwrap()
        .entries()
        .to_vec()
}

#[test]
fn an_entry_without_group_applies_to_every_service_of_its_client_only() {
    let mut engine = engine();
    let value = phone("4155550100");
    let id = engine
        .channel_create(
            Channel::Dialtime,
            client(1),
            &NewChannelEntry::new(value.clone()),
            None,
        )
        .unwrap();
    for s in [10, 11, 12] {
        assert_eq!(
            check(&engine, Channel::Dialtime, s, &value, ms(0)),
            [id],
            "service {s}"
        );
    }
    assert!(
        check(&engine, Channel::Dialtime, 20, &value, ms(0)).is_empty(),
        "other client"
    );
    // Each list is its own: the same phone is not on the SMS list.
    assert!(check(&engine, Channel::Sms, 10, &value, ms(0)).is_empty());
}

#[test]
fn an_entry_with_a_group_applies_only_to_services_mapped_to_it() {
    let mut engine = engine();
    let value = phone("4155550100");
    let new = NewChannelEntry::new(value.clone()).contact_group(group(100));
    let id = engine
        .channel_create(Channel::Sms, client(1), &new, None)
        .unwrap();
    assert_eq!(check(&engine, Channel::Sms, 10, &value, ms(0)), [id]);
    assert!(
        check(&engine, Channel::Sms, 11, &value, ms(0)).is_empty(),
        "other group"
    );
    assert!(
        check(&engine, Channel::Sms, 12, &value, ms(0)).is_empty(),
        "no group"
    );
    // Remapping the service changes the answer at once.
    engine.set_service_contact_group(service(10), None).unwrap();
    assert!(check(&engine, Channel::Sms, 10, &value, ms(0)).is_empty());
}

#[test]
fn an_unregistered_contact_group_is_refused_and_nothing_is_stored() {
    let mut engine = engine();
    let new = NewChannelEntry::new(phone("4155550100")).contact_group(group(999));
    assert_eq!(
        engine.channel_create(Channel::Dialtime, client(1), &new, None),
        Err(DncError::InvalidContactGroup {
            client: client(1),
            group: group(999)
        })
    );
    assert_eq!(
        engine
            .channel_info(Channel::Dialtime, client(1))
            .unwrap()
            .size,
        0
    );
    // Another client's group is not this client's.
    engine.add_contact_group(client(2), group(555));
    let new = NewChannelEntry::new(phone("4155550100")).contact_group(group(555));
    assert!(
        engine
            .channel_create(Channel::Dialtime, client(1), &new, None)
            .is_err()
    );
    assert_eq!(
        engine.set_service_contact_group(service(10), Some(group(555))),
        Err(DncError::InvalidContactGroup {
            client: client(1),
            group: group(555)
        })
    );
}

#[test]
fn expiration_blocks_through_the_end_of_the_date_in_the_client_zone() {
    let mut engine = engine();
    engine.set_time_zone(client(1), "America/New_York").unwrap();
    let value = email("Jane@Example.com");
    let new = NewChannelEntry::new(value.clone()).expiration(date("2019-03-06"));
    let id = engine
        .channel_create(Channel::Email, client(1), &new, None)
        .unwrap();
    // New York is at UTC-5 on 6 March 2019: the date ends at 05:00 UTC on the 7th.
    let cases = [
        (
            "2019-03-06T04:59:59.999Z",
            true,
            "the evening before, New York time",
        ),
        (
            "2019-03-06T05:00:00Z",
            true,
            "the first instant of the date",
        ),
        (
            "2019-03-07T04:59:59.999Z",
            true,
            "the last instant of the date",
        ),
        (
            "2019-03-07T05:00:00Z",
            false,
            "the first instant of the next date",
        ),
    ];
    for (at, blocked, name) in cases {
        let found = check(
            &engine,
            Channel::Email,
            12,
            &email("jane@example.COM"),
            instant(at),
        );
        assert_eq!(found == [id], blocked, "{name}");
    }
    // Answers give the start of the date in the client's zone.
    let entry = engine.channel_read(Channel::Email, client(1), id).unwrap();
    assert_eq!(
        entry.expiration_millis,
        Some(millis("2019-03-06T05:00:00Z"))
    );
}

#[test]
fn expiration_on_a_daylight_saving_day_ends_at_local_midnight() {
    let mut engine = engine();
    engine.set_time_zone(client(1), "America/Chicago").unwrap();
    let value = phone("3125550100");
    // 10 March 2024: Chicago springs forward; the next midnight is at UTC-5.
    let new = NewChannelEntry::new(value.clone()).expiration(date("2024-03-10"));
    let id = engine
        .channel_create(Channel::Dialtime, client(1), &new, None)
        .unwrap();
    assert_eq!(
        check(
            &engine,
            Channel::Dialtime,
            12,
            &value,
            instant("2024-03-11T04:59:59Z")
        ),
        [id]
    );
    assert!(
        check(
            &engine,
            Channel::Dialtime,
            12,
            &value,
            instant("2024-03-11T05:00:00Z")
        )
        .is_empty()
    );
    let entry = engine
        .channel_read(Channel::Dialtime, client(1), id)
        .unwrap();
    assert_eq!(
        entry.expiration_millis,
        Some(millis("2024-03-10T06:00:00Z"))
    );
}

#[test]
fn british_columbia_keeps_daylight_time_from_2026() {
    // tzdata 2026: America/Vancouver stays at UTC-7 through the winter of
    // 2026-27 (older databases say UTC-8, and would end the date an hour late).
    let mut engine = engine();
    engine
        .set_time_zone(client(1), "America/Vancouver")
        .unwrap();
    let value = phone("6045550100");
    let new = NewChannelEntry::new(value.clone()).expiration(date("2026-12-15"));
    let id = engine
        .channel_create(Channel::Sms, client(1), &new, None)
        .unwrap();
    assert_eq!(
        check(
            &engine,
            Channel::Sms,
            12,
            &value,
            instant("2026-12-16T06:59:59Z")
        ),
        [id]
    );
    assert!(
        check(
            &engine,
            Channel::Sms,
            12,
            &value,
            instant("2026-12-16T07:00:00Z")
        )
        .is_empty()
    );
}

#[test]
fn an_instant_is_read_as_its_date_in_the_client_zone() {
    let mut engine = engine();
    engine
        .set_time_zone(client(1), "America/Los_Angeles")
        .unwrap();
    // 2021-04-20T02:00Z is still 19 April in Los Angeles.
    for given in ["2021-04-20T02:00:00Z", "1618884000000"] {
        let new = NewChannelEntry::new(phone("6505550100")).expiration(date(given));
        let id = engine
            .channel_create(Channel::Sms, client(1), &new, None)
            .unwrap();
        let entry = engine.channel_read(Channel::Sms, client(1), id).unwrap();
        assert_eq!(
            entry.expiration.unwrap().to_string(),
            "2021-04-19",
            "{given}"
        );
    }
}

#[test]
fn a_new_time_zone_moves_the_end_of_every_expiring_entry() {
    let mut engine = engine();
    let value = phone("4155550100");
    let new = NewChannelEntry::new(value.clone()).expiration(date("2030-01-01"));
    let id = engine
        .channel_create(Channel::Dialtime, client(1), &new, None)
        .unwrap();
    let at = instant("2030-01-02T03:00:00Z");
    assert!(
        check(&engine, Channel::Dialtime, 12, &value, at).is_empty(),
        "UTC: over"
    );
    engine.set_time_zone(client(1), "America/New_York").unwrap();
    assert_eq!(
        check(&engine, Channel::Dialtime, 12, &value, at),
        [id],
        "New York: still 1 January"
    );
    assert!(matches!(
        engine.set_time_zone(client(1), "Mars/Olympus_Mons"),
        Err(DncError::InvalidTimeZone { .. })
    ));
    engine.validate().unwrap();
}

#[test]
fn values_must_suit_the_list() {
    let mut engine = engine();
    let cases = [
        (Channel::Dialtime, email("a@b.co"), "invalid_phone"),
        (Channel::Sms, email("a@b.co"), "invalid_phone"),
        (Channel::Email, phone("4155550100"), "invalid_email"),
        (Channel::Dialtime, phone("415*******"), "invalid_phone"),
    ];
    for (channel, value, code) in cases {
        let error = engine
            .channel_create(
                channel,
                client(1),
                &NewChannelEntry::new(value.clone()),
                None,
            )
            .unwrap_err();
        assert_eq!(error.code(), code, "{channel} {value}");
    }
    assert_eq!(
        engine
            .channel_info(Channel::Dialtime, client(1))
            .unwrap()
            .size,
        0
    );
}

#[test]
fn the_dialtime_check_consults_account_flags() {
    let mut engine = engine();
    let account = dnc_engine::Account::parse("ACCT1").unwrap();
    engine.set_account_flags(
        client(1),
        &account,
        dnc_engine::FlagUpdate {
            do_not_dial: Some(true),
            ..Default::default()
        },
    );
    let value = phone("4155550100");
    for (channel, blocked) in [(Channel::Dialtime, true), (Channel::Sms, false)] {
        let query = ChannelQuery {
            service: service(12),
            value: &value,
            account: Some(&account),
            at: Some(ms(0)),
        };
        let verdict = engine.channel_check(channel, &query).unwrap();
        assert_eq!(verdict.is_blocked(), blocked, "{channel}");
    }
}

#[test]
fn another_clients_entry_is_not_found_for_every_operation() {
    let mut engine = engine();
    let new = NewChannelEntry::new(phone("4155550100"));
    let id = engine
        .channel_create(Channel::Sms, client(1), &new, None)
        .unwrap();
    let missing = DncError::NotFound { id };
    assert_eq!(
        engine.channel_read(Channel::Sms, client(2), id),
        Err(missing.clone())
    );
    assert_eq!(
        engine.channel_update(Channel::Sms, client(2), id, &new, None),
        Err(missing.clone())
    );
    assert_eq!(
        engine.channel_delete(Channel::Sms, client(2), id, None),
        Err(missing)
    );
    // The same id on another list is another entry.
    assert!(
        engine
            .channel_read(Channel::Dialtime, client(1), id)
            .is_err()
    );
    assert!(engine.channel_read(Channel::Sms, client(1), id).is_ok());
}

#[test]
fn reading_a_missing_id_is_not_found_like_the_reference_404() {
    let engine = engine();
    let id = EntryId::new(2234).unwrap();
    let error = engine
        .channel_read(Channel::Dialtime, client(1), id)
        .unwrap_err();
    assert_eq!(error, DncError::NotFound { id });
    assert_eq!(error.code(), "not_found");
}

#[test]
fn update_replaces_value_group_and_expiration() {
    let mut engine = engine();
    let old = phone("4155553767");
    let new = NewChannelEntry::new(old.clone()).expiration(date("2018-03-01"));
    let id = engine
        .channel_create(Channel::Dialtime, client(1), &new, None)
        .unwrap();
    let value = phone("4155553768");
    let update = NewChannelEntry::new(value.clone()).contact_group(group(101));
    engine
        .channel_update(Channel::Dialtime, client(1), id, &update, Some(ms(5)))
        .unwrap();
    let entry = engine
        .channel_read(Channel::Dialtime, client(1), id)
        .unwrap();
    assert_eq!(
        (entry.value, entry.contact_group, entry.expiration),
        (value.clone(), Some(group(101)), None)
    );
    assert!(
        check(&engine, Channel::Dialtime, 11, &old, ms(0)).is_empty(),
        "old value gone"
    );
    assert_eq!(
        check(&engine, Channel::Dialtime, 11, &value, Timestamp::MAX),
        [id]
    );
    // A refused update changes nothing.
    let bad = NewChannelEntry::new(value.clone()).contact_group(group(999));
    assert!(
        engine
            .channel_update(Channel::Dialtime, client(1), id, &bad, Some(ms(9)))
            .is_err()
    );
    assert_eq!(
        engine
            .channel_read(Channel::Dialtime, client(1), id)
            .unwrap()
            .contact_group,
        Some(group(101))
    );
    assert_eq!(
        engine
            .channel_info(Channel::Dialtime, client(1))
            .unwrap()
            .last_modified,
        Some(ms(5))
    );
}

#[test]
fn bulk_create_applies_valid_records_and_reports_the_invalid_by_position() {
    // The reference's example: record 3's contact group is not valid.
    let mut engine = engine();
    engine.add_contact_group(client(1), group(4962));
    engine.add_contact_group(client(1), group(4967));
    let records = vec![
        NewChannelEntry::new(phone("6503517497"))
            .contact_group(group(4962))
            .expiration(date("2021-04-20T14:24:47.847Z")),
        NewChannelEntry::new(phone("6503517485")).contact_group(group(4967)),
        NewChannelEntry::new(phone("6505153873"))
            .contact_group(group(4968))
            .expiration(date("2021-04-24T18:36:23.399Z")),
    ];
    let outcome = engine.channel_create_many(Channel::Dialtime, client(1), records, Some(ms(1)));
    assert_eq!(outcome.processed, 2);
    assert_eq!(outcome.refused.len(), 1);
    let (position, error) = &outcome.refused[0];
    // Record 3, at position 2: bulk outcomes count from 0 (the replay's
    // `record` counts from 1).
    assert_eq!(*position, 2);
    assert_eq!(error.code(), "invalid_contact_group");
    assert!(error.to_string().contains("Contact Group is not valid"));
    assert_eq!(
        engine
            .channel_info(Channel::Dialtime, client(1))
            .unwrap()
            .size,
        2
    );
    for id in &outcome.ids {
        assert!(
            engine
                .channel_read(Channel::Dialtime, client(1), *id)
                .is_ok()
        );
    }
}

#[test]
fn sms_find_example_of_the_reference() {
    // Filter "6" with contact group 1020229 finds the three entries shown,
    // with the expirations shown (the client is in New York).
    let mut engine = engine();
    engine.set_time_zone(client(1), "America/New_York").unwrap();
    for g in [1020229, 1020230, 1020231] {
        engine.add_contact_group(client(1), group(g));
    }
    let rows = [
        ("9176754178", 1020229, Some("2021-11-02")),
        ("6503517497", 1020229, Some("2021-10-27")),
        ("6505153873", 1020230, Some("2021-10-26")),
        ("6505153873", 1020229, Some("2021-10-27")),
        ("3125550000", 1020229, None),
        ("6178498807", 1020231, None),
    ];
    for (number, g, expiration) in rows {
        let mut new = NewChannelEntry::new(phone(number)).contact_group(group(g));
        new.expiration = expiration.map(date);
        engine
            .channel_create(Channel::Sms, client(1), &new, None)
            .unwrap();
    }
    let filter = ChannelFilter {
        value: Some("6".to_owned()),
        contact_group: Some(group(1020229)),
    };
    let page = engine
        .channel_page(
            Channel::Sms,
            client(1),
            &filter,
            PageRequest::new(0, 6).unwrap(),
        )
        .unwrap();
    let found: Vec<(String, Option<i64>)> = page
        .entries
        .iter()
        .map(|e| (e.value.to_string(), e.expiration_millis))
        .collect();
    assert_eq!(
        found,
        [
            ("9176754178".to_owned(), Some(1635825600000)),
            ("6503517497".to_owned(), Some(1635307200000)),
            ("6505153873".to_owned(), Some(1635307200000)),
        ]
    );
    assert_eq!(page.next, None);
}

#[test]
fn pages_are_ascending_capped_at_1000_and_say_where_the_next_starts() {
    let mut engine = engine();
    let records = (0..2500).map(|i| NewChannelEntry::new(phone(&format!("41555{i:05}"))));
    let ids = engine
        .channel_create_many(Channel::Dialtime, client(1), records, None)
        .ids;
    let all = ChannelFilter::default();
    let mut offset = 0;
    let mut seen = Vec::new();
    loop {
        let page = engine
            .channel_page(
                Channel::Dialtime,
                client(1),
                &all,
                PageRequest::new(offset, 1000).unwrap(),
            )
            .unwrap();
        seen.extend(page.entries.iter().map(|e| e.id));
        match page.next {
            Some(next) => offset = next,
            None => break,
        }
    }
    assert_eq!(seen, ids, "every entry once, ascending");
    for count in [0, 1001] {
        assert_eq!(
            PageRequest::new(0, count),
            Err(DncError::InvalidPage { count })
        );
    }
    assert!(PageRequest::new(0, 1000).is_ok() && PageRequest::new(0, 1).is_ok());
    // An offset past the end is an empty last page.
    let page = engine
        .channel_page(
            Channel::Dialtime,
            client(1),
            &all,
            PageRequest::new(9999, 10).unwrap(),
        )
        .unwrap();
    assert_eq!((page.entries.len(), page.next), (0, None));
    // A find pages the same way over its matches.
    let filter = ChannelFilter {
        value: Some("41555012".to_owned()),
        contact_group: None,
    };
    let first = engine
        .channel_page(
            Channel::Dialtime,
            client(1),
            &filter,
            PageRequest::new(0, 60).unwrap(),
        )
        .unwrap();
    assert_eq!((first.entries.len(), first.next), (60, Some(60)));
    let last = engine
        .channel_page(
            Channel::Dialtime,
            client(1),
            &filter,
            PageRequest::new(60, 60).unwrap(),
        )
        .unwrap();
    assert_eq!((last.entries.len(), last.next), (40, None));
}

#[test]
fn info_counts_entries_and_keeps_the_latest_instant() {
    let mut engine = engine();
    let new = NewChannelEntry::new(email("a@b.co"));
    assert_eq!(
        engine
            .channel_info(Channel::Email, client(1))
            .unwrap()
            .last_modified,
        None
    );
    let id = engine
        .channel_create(Channel::Email, client(1), &new, Some(ms(50)))
        .unwrap();
    engine
        .channel_create(Channel::Email, client(1), &new, Some(ms(20)))
        .unwrap();
    engine
        .channel_delete(Channel::Email, client(1), id, None)
        .unwrap();
    let info = engine.channel_info(Channel::Email, client(1)).unwrap();
    assert_eq!((info.size, info.last_modified), (1, Some(ms(50))));
    assert_eq!(
        engine.channel_info(Channel::Email, client(2)).unwrap().size,
        0
    );
}
