//! SPEC section 5, row by row: every accepted and refused value, with the
//! error that names it.

use dnc_engine::geo::{AreaCode, Country, StateCode};
use dnc_engine::jiff::Timestamp;
use dnc_engine::{
    Account, ClientId, DayRule, DialChannel, DialRequest, DncError, DncKey, Email, Engine, EntryId,
    Expiration, Lifetime, NewEntry, Phone, Query, ServiceId, TimeOfDay, Zip, ZipAreaMatchType,
};

#[test]
fn phones_accepted_in_canonical_form() {
    for (name, text) in [
        ("one digit", "7"),
        ("ten digits", "4152257000"),
        ("fifteen digits", "123456789012345"),
        ("wildcard area code", "209*******"),
        ("all stars", "***"),
        ("leading zeros kept", "0007"),
    ] {
        let phone = Phone::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(phone.to_string(), text, "{name}");
    }
}

#[test]
fn phones_refused_with_the_value_named() {
    for (name, text) in [
        ("empty (absent in the protocol, never a phone)", ""),
        ("sixteen digits", "1234567890123456"),
        ("space", "415 2257000"),
        ("plus", "+14152257000"),
        ("dash", "415-225-7000"),
        ("parentheses", "(415)2257000"),
        ("letter", "415225700O"),
        ("question mark", "415?"),
        ("non-ASCII digit", "４15"),
        ("trailing newline", "4152257000\n"),
    ] {
        match Phone::parse(text) {
            Err(DncError::InvalidPhone { value, .. }) => assert_eq!(value, text, "{name}"),
            other => panic!("{name}: expected InvalidPhone, got {other:?}"),
        }
    }
}

#[test]
fn lenient_phone_parser_strips_only_what_people_type() {
    for (name, text, expected) in [
        ("punctuation", "(415) 225-7000", "4152257000"),
        ("dots", "415.225.7000", "4152257000"),
        ("plus one", "+1 415 225 7000", "4152257000"),
        ("leading one on eleven digits", "14152257000", "4152257000"),
        (
            "ten digits starting with one kept",
            "1152257000",
            "1152257000",
        ),
        ("short number untouched", "911", "911"),
        ("wildcards kept", "209-***-****", "209*******"),
    ] {
        assert_eq!(
            Phone::parse_lenient(text).map(|p| p.to_string()),
            Ok(expected.to_owned()),
            "{name}"
        );
    }
    for (name, text) in [
        ("other country code", "+44 20 7946 0000"),
        ("letters", "1-800-FLOWERS"),
        ("empty", ""),
        ("only punctuation", "()-"),
        ("tab", "415\t2257000"),
    ] {
        match Phone::parse_lenient(text) {
            Err(DncError::InvalidPhone { value, .. }) => assert_eq!(value, text, "{name}"),
            other => panic!("{name}: expected InvalidPhone, got {other:?}"),
        }
    }
}

#[test]
fn accounts_accepted_and_compared_ignoring_case() {
    let longest = "x".repeat(64);
    for text in ["A12345", "a", "!~", "acct-#42/*", longest.as_str()] {
        assert_eq!(Account::parse(text).unwrap().as_str(), text);
    }
    assert_eq!(
        Account::parse("QA1619").unwrap(),
        Account::parse("qa1619").unwrap()
    );
    assert_ne!(
        Account::parse("QA1619").unwrap(),
        Account::parse("QA16190").unwrap()
    );
}

#[test]
fn accounts_refused_with_the_value_named() {
    let too_long = "x".repeat(65);
    for (name, text) in [
        ("empty", ""),
        ("65 bytes", too_long.as_str()),
        ("space inside", "A 1"),
        ("leading space", " A1"),
        ("tab", "A\t1"),
        ("control", "A\u{7}"),
        ("delete", "A\u{7f}"),
        ("non-ASCII", "Añ1"),
    ] {
        match Account::parse(text) {
            Err(DncError::InvalidAccount { value, .. }) => assert_eq!(value, text, "{name}"),
            other => panic!("{name}: expected InvalidAccount, got {other:?}"),
        }
    }
}

#[test]
fn zips_accepted_and_zip_plus_four_reduced() {
    for (text, expected) in [
        ("94110", "94110"),
        ("9411*", "9411*"),
        ("*****", "*****"),
        ("94110-1234", "94110"),
        ("00501", "00501"),
    ] {
        assert_eq!(Zip::parse(text).unwrap().to_string(), expected);
    }
}

#[test]
fn zips_refused_with_the_value_named() {
    for (name, text) in [
        ("empty", ""),
        ("four digits", "9411"),
        ("six digits", "941101"),
        ("letter", "9411A"),
        ("ZIP+4 without dash", "941101234"),
        ("ZIP+4 with star", "9411*-1234"),
        ("ZIP+4 short", "94110-123"),
        ("space", "94 10"),
    ] {
        match Zip::parse(text) {
            Err(DncError::InvalidZip { value }) => assert_eq!(value, text, "{name}"),
            other => panic!("{name}: expected InvalidZip, got {other:?}"),
        }
    }
}

#[test]
fn ids_are_positive_and_fit_in_63_bits() {
    assert_eq!(EntryId::new(1).unwrap().get(), 1);
    assert_eq!(
        ClientId::new(i64::MAX as u64).unwrap().get(),
        i64::MAX as u64
    );
    assert_eq!(ServiceId::parse("0042").unwrap().get(), 42);
    for (name, value) in [("zero", 0), ("2^63", 1 << 63), ("u64::MAX", u64::MAX)] {
        assert!(
            matches!(
                EntryId::new(value),
                Err(DncError::InvalidId { kind: "entry", .. })
            ),
            "{name}"
        );
    }
    for (name, text) in [
        ("empty", ""),
        ("zero", "0"),
        ("negative", "-1"),
        ("plus sign", "+1"),
        ("fractional", "1.5"),
        ("exponent", "1e3"),
        ("2^63", "9223372036854775808"),
        ("beyond u64", "99999999999999999999999"),
        ("space", " 1"),
        ("letters", "abc"),
    ] {
        match ClientId::parse(text) {
            Err(DncError::InvalidId { kind, value }) => {
                assert_eq!((kind, value.as_str()), ("client", text), "{name}")
            }
            other => panic!("{name}: expected InvalidId, got {other:?}"),
        }
    }
}

#[test]
fn key_combinations_outside_the_four_kinds_are_refused() {
    let phone = || Some(Phone::parse("4152257000").unwrap());
    let account = || Some(Account::parse("A1").unwrap());
    let zip = || Some(Zip::parse("94110").unwrap());
    assert!(matches!(
        DncKey::from_parts(phone(), None, None),
        Ok(DncKey::Phone(_))
    ));
    assert!(matches!(
        DncKey::from_parts(None, account(), None),
        Ok(DncKey::Account(_))
    ));
    assert!(matches!(
        DncKey::from_parts(phone(), account(), None),
        Ok(DncKey::PhoneAccount(..))
    ));
    assert!(matches!(
        DncKey::from_parts(None, None, zip()),
        Ok(DncKey::Zip(_))
    ));
    for (name, key) in [
        ("none", DncKey::from_parts(None, None, None)),
        ("phone + zip", DncKey::from_parts(phone(), None, zip())),
        ("account + zip", DncKey::from_parts(None, account(), zip())),
        ("all three", DncKey::from_parts(phone(), account(), zip())),
    ] {
        assert!(matches!(key, Err(DncError::InvalidEntry { .. })), "{name}");
    }
}

#[test]
fn lifetimes_are_the_two_protocol_names() {
    assert_eq!(Lifetime::parse("PERMANENT"), Ok(Lifetime::Permanent));
    assert_eq!(Lifetime::parse("DAILY"), Ok(Lifetime::Daily));
    for text in ["daily", "Permanent", "WEEKLY", ""] {
        assert!(
            matches!(Lifetime::parse(text), Err(DncError::InvalidEntry { .. })),
            "{text}"
        );
    }
}

#[test]
fn every_error_names_its_value_in_its_message() {
    let cases = [
        (Phone::parse("41-5").unwrap_err(), "41-5"),
        (Account::parse("a b").unwrap_err(), "a b"),
        (Zip::parse("9411").unwrap_err(), "9411"),
        (EntryId::parse("-7").unwrap_err(), "-7"),
        (Lifetime::parse("WEEKLY").unwrap_err(), "WEEKLY"),
    ];
    for (error, value) in cases {
        assert!(
            error.to_string().contains(value),
            "{error} should name {value}"
        );
    }
}

/// Issue 10, section 8: `Phone::parse("14155550100")` succeeded and
/// `is_blocked` then answered "not blocked" although `4155550100` was listed,
/// while the dial decision refused the same number. The literal parse stays
/// literal; the NANP normalization reads every way people write a listed
/// number as that number, and so blocks it.
#[test]
fn eleven_digit_or_formatted_nanp_numbers_are_the_listed_number_only_when_normalized() {
    let (client, service) = (ClientId::new(1).unwrap(), ServiceId::new(10).unwrap());
    let mut engine = Engine::new();
    engine.register_service(client, service).unwrap();
    let listed = Phone::parse("4155550100").unwrap();
    engine
        .add(NewEntry {
            id: None,
            client: None,
            service: Some(service),
            key: DncKey::from_parts(Some(listed), None, None).unwrap(),
            lifetime: Lifetime::Permanent,
        })
        .unwrap();
    let blocked = |phone: Phone| {
        let query = Query {
            service,
            client: None,
            phone: Some(phone),
            account: None,
            zip: None,
        };
        engine.is_blocked(&query).unwrap().is_blocked()
    };
    for written in [
        "4155550100",
        "14155550100",
        "+14155550100",
        "+1 (415) 555-0100",
        "1-415-555-0100",
        "1.415.555.0100",
        "(415) 555-0100",
        "415 555 0100",
    ] {
        let normalized = Phone::parse_lenient(written).unwrap();
        assert_eq!(normalized, listed, "{written}");
        assert!(blocked(normalized), "{written} normalized must be blocked");
    }
    // The trap, as documented on `Phone::parse`: literal, another number.
    let literal = Phone::parse("14155550100").unwrap();
    assert_ne!(literal, listed);
    assert!(!blocked(literal));
    let refused = engine
        .dial_decision(&DialRequest::new(
            service,
            literal,
            "2026-11-30T20:00:00Z".parse::<Timestamp>().unwrap(),
        ))
        .unwrap_err();
    assert_eq!(refused.code(), "invalid_phone");
}

/// Issue 10, section 5: a 10 MB bad value was echoed in full. Every value
/// constructor's error names the value cut to a readable length, saying how
/// long it was, and keeps the whole value in the variant.
#[test]
fn a_huge_bad_value_is_cut_in_every_message() {
    let huge = "9".repeat(10 << 20);
    let huge = huge.as_str();
    let errors: Vec<(&str, DncError)> = vec![
        ("phone", Phone::parse(huge).unwrap_err()),
        ("phone, normalized", Phone::parse_lenient(huge).unwrap_err()),
        ("account", Account::parse(huge).unwrap_err()),
        ("zip", Zip::parse(huge).unwrap_err()),
        ("entry id", EntryId::parse(huge).unwrap_err()),
        ("client id", ClientId::parse(huge).unwrap_err()),
        ("service id", ServiceId::parse(huge).unwrap_err()),
        ("type", Lifetime::parse(huge).unwrap_err()),
        ("email", Email::parse(huge).unwrap_err()),
        ("date", Expiration::parse(huge).unwrap_err()),
        ("channel", DialChannel::parse(huge).unwrap_err()),
        ("day", DayRule::parse(huge).unwrap_err()),
        ("time", TimeOfDay::parse(huge).unwrap_err()),
        ("zip match type", ZipAreaMatchType::parse(huge).unwrap_err()),
        ("country", Country::parse(huge).unwrap_err()),
        ("area code", AreaCode::parse(huge).unwrap_err()),
        ("state", StateCode::parse(huge).unwrap_err()),
    ];
    for (name, error) in errors {
        let message = error.to_string();
        assert!(message.len() < 300, "{name}: {} bytes", message.len());
        assert!(
            message.contains(&format!("\"{}\"… (10485760 bytes)", "9".repeat(40))),
            "{name}: {message}"
        );
    }
    match Phone::parse(huge) {
        Err(DncError::InvalidPhone { value, .. }) => assert_eq!(value.len(), 10 << 20),
        other => panic!("expected InvalidPhone, got {other:?}"),
    }
}

proptest::proptest! {
    /// `has_wildcard` tests all characters at once with a bit trick; it must
    /// agree with looking at each character, for every length and position
    /// (a star only in the first or last place, several stars, none).
    #[test]
    fn has_wildcard_agrees_with_the_text(text in "[0-9*]{1,15}") {
        let phone = Phone::parse(&text).unwrap();
        proptest::prop_assert_eq!(phone.has_wildcard(), text.contains('*'), "{}", text);
    }
}

#[test]
fn has_wildcard_at_every_position() {
    for len in 1..=15 {
        let digits = "9".repeat(len);
        assert!(!Phone::parse(&digits).unwrap().has_wildcard(), "{digits}");
        for star in 0..len {
            let mut text = digits.clone().into_bytes();
            text[star] = b'*';
            let text = String::from_utf8(text).unwrap();
            assert!(Phone::parse(&text).unwrap().has_wildcard(), "{text}");
        }
    }
}

#[test]
fn emails_accepted_and_compared_ignoring_case() {
    use dnc_engine::Email;
    for (name, text) in [
        ("plain", "jane@example.com"),
        ("plus and dots", "jane.doe+dnc@mail.example.co.uk"),
        ("upper case kept", "Jane@Example.COM"),
        ("254 bytes", &format!("{}@example.com", "a".repeat(242))),
    ] {
        let email = Email::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(email.as_str(), text, "{name}");
    }
    assert_eq!(
        Email::parse("A@B.co").unwrap(),
        Email::parse("a@b.CO").unwrap()
    );
}

#[test]
fn emails_refused_with_the_value_named() {
    use dnc_engine::Email;
    for (name, text) in [
        ("empty", ""),
        ("no at", "jane.example.com"),
        ("two ats", "jane@doe@example.com"),
        ("empty local part", "@example.com"),
        ("domain without a dot", "jane@localhost"),
        ("space", "jane doe@example.com"),
        ("tab", "jane@example.com\t"),
        ("255 bytes", &format!("{}@example.com", "a".repeat(243))),
    ] {
        match Email::parse(text) {
            Err(DncError::InvalidEmail { value, .. }) => assert_eq!(value, text, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
        assert_eq!(Email::parse(text).unwrap_err().code(), "invalid_email");
    }
}

#[test]
fn expiration_forms_of_the_reference() {
    use dnc_engine::Expiration;
    use dnc_engine::jiff::{Timestamp, civil::date};
    let cases = [
        (
            "yyyy-MM-dd",
            "2021-03-01",
            Expiration::Date(date(2021, 3, 1)),
        ),
        (
            "epoch milliseconds",
            "1616089284000",
            Expiration::Instant(Timestamp::from_millisecond(1616089284000).unwrap()),
        ),
        (
            "ISO-8601 with Z",
            "2021-04-20T14:24:47.847Z",
            Expiration::Instant("2021-04-20T14:24:47.847Z".parse().unwrap()),
        ),
        (
            "ISO-8601 with an offset",
            "2021-04-20T14:24:47-04:00",
            Expiration::Instant("2021-04-20T18:24:47Z".parse().unwrap()),
        ),
        (
            "ISO-8601 without an offset: its date",
            "2021-04-20T23:59:00",
            Expiration::Date(date(2021, 4, 20)),
        ),
    ];
    for (name, text, expected) in cases {
        assert_eq!(Expiration::parse(text), Ok(expected), "{name}");
    }
    for text in [
        "",
        "03/01/2021",
        "2021-13-01",
        "2021-02-30",
        "yesterday",
        "-5",
        "99999999999999999999",
    ] {
        assert_eq!(
            Expiration::parse(text),
            Err(DncError::InvalidDate {
                value: text.to_owned()
            }),
            "{text:?}"
        );
    }
    assert_eq!(
        Expiration::parse("2021-02-30").unwrap_err().code(),
        "invalid_date"
    );
}
