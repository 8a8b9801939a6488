//! Random damage to a snapshot of an engine holding data of every kind, and
//! to its image: a restore either refuses it or gives back exactly the
//! engine that was saved (issue 10 §6: damage must never restore into
//! different data), and never panics.
#![no_main]

use dnc_engine::jiff::Timestamp;
use dnc_engine::{
    Account, Channel, ChannelValue, ClientId, DncKey, Engine, Expiration, FlagUpdate, Lifetime,
    NewChannelEntry, NewEntry, Phone, PhoneDncType, ServiceId, Snapshot,
};
use libfuzzer_sys::fuzz_target;

/// Two clients with legacy entries of every kind, flags, and channel lists.
fn sample() -> Engine {
    let mut engine = Engine::new();
    let id = |n| ClientId::new(n).unwrap();
    let service = |n| ServiceId::new(n).unwrap();
    engine.register_service(id(1), service(10)).unwrap();
    engine.register_service(id(2), service(20)).unwrap();
    let phone = |text| Phone::parse(text).unwrap();
    let account = |text| Account::parse(text).unwrap();
    for new in [
        NewEntry::for_service(service(10), DncKey::Phone(phone("4155550100"))),
        NewEntry::for_client(id(1), DncKey::Phone(phone("209*******"))),
        NewEntry::for_client(id(2), DncKey::Account(account("A1"))).with_lifetime(Lifetime::Daily),
        NewEntry::for_client(
            id(2),
            DncKey::PhoneAccount(phone("4155550101"), account("B2")),
        ),
        NewEntry::for_client(id(1), DncKey::Zip("94110".parse().unwrap())),
    ] {
        engine.add_at(new, Some(Timestamp::constant(5, 0))).unwrap();
    }
    let flags = FlagUpdate {
        do_not_dial: Some(true),
        do_not_dial_daily: None,
    };
    engine.set_account_flags(id(2), &account("A1"), flags);
    engine.set_time_zone(id(2), "America/Chicago").unwrap();
    let _migration = engine.set_phone_dnc_type(id(2), PhoneDncType::DialTime, None);
    let entry = NewChannelEntry::new(ChannelValue::Phone(phone("4155550102")))
        .expiration(Expiration::parse("2027-03-14").unwrap());
    for channel in [Channel::Dialtime, Channel::Sms] {
        engine
            .channel_create(channel, id(2), &entry, Some(Timestamp::constant(9, 0)))
            .unwrap();
    }
    engine
}

fuzz_target!(|damage: Vec<(u16, u8)>| {
    let engine = sample();
    let original = engine.snapshot();
    let mut image = engine.to_image();
    for &(at, byte) in &damage {
        let at = usize::from(at) % image.len();
        image[at] = byte;
    }
    if let Ok(restored) = Engine::from_image(&image) {
        restored.validate().unwrap();
        assert_eq!(
            restored.snapshot(),
            original,
            "damage restored into other data"
        );
    }
    let mut bytes = serde_json::to_vec(&original).unwrap();
    for (at, byte) in damage {
        let at = usize::from(at) % bytes.len();
        bytes[at] = byte;
    }
    let Ok(snapshot) = serde_json::from_slice::<Snapshot>(&bytes) else {
        return;
    };
    if let Ok(restored) = Engine::restore(snapshot) {
        restored.validate().unwrap();
        assert_eq!(
            restored.snapshot(),
            original,
            "damage restored into other data"
        );
    }
});
