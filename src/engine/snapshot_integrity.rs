//! What lets a restore refuse a damaged snapshot: the count of every section
//! and a checksum over the whole content, recorded by [`Engine::snapshot`]
//! and verified before anything is rebuilt.
//!
//! The checksum does not depend on the serde format: it walks the records in
//! a fixed order and feeds every value as 64-bit words into a multiply-xor
//! chain. Each step is a bijection of the running state for a given word
//! and of the word for a given state, so a change to any single word (a
//! flipped bit, a changed id, a moved entry) always changes the checksum;
//! several changes cancel out only by a 64-bit coincidence. It guards
//! against damage, not against forgery: a snapshot is trusted input.
//!
//! [`Engine::snapshot`]: crate::Engine::snapshot

use std::fmt::Write as _;

use crate::channel::Channel;

use crate::channels::types::ChannelValue;

use crate::dnc_type::PhoneDncType;
use crate::engine::snapshot::Snapshot;
use crate::legacy::entry::{DncKey, Lifetime};

/// The layout of [`Snapshot`] this version writes and reads.
pub(crate) const FORMAT: u32 = 1;

/// The counts and checksum a snapshot carries about itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Integrity {
    /// The snapshot layout (1).
    pub format: u32,
    /// How many services, entries, flag records, channel entries and
    /// dialing profiles it holds.
    pub counts: [u64; 5],
    /// The checksum over the content and the counts.
    pub checksum: u64,
}

impl Integrity {
    /// The integrity record of `snapshot`'s content.
    pub(crate) fn of(snapshot: &Snapshot) -> Integrity {
        let counts = counts(snapshot);
        Integrity {
            format: FORMAT,
            counts,
            checksum: checksum(snapshot, counts),
        }
    }

    /// Why `snapshot` is not the content this record describes, if it is
    /// not.
    pub(crate) fn check(&self, snapshot: &Snapshot) -> Result<(), String> {
        if self.format != FORMAT {
            return Err(format!(
                "snapshot format {} (this version reads format {FORMAT})",
                self.format
            ));
        }
        let held = counts(snapshot);
        const NAMES: [&str; 5] = [
            "services",
            "entries",
            "flag records",
            "channel entries",
            "dialing profiles",
        ];
        for ((name, said), held) in NAMES.iter().zip(self.counts).zip(held) {
            if said != held {
                return Err(format!(
                    "the snapshot says {said} {name} but holds {held}: it is damaged"
                ));
            }
        }
        let computed = checksum(snapshot, held);
        if computed != self.checksum {
            return Err(format!(
                "checksum {computed:#018x} of the content differs from the recorded \
                 {:#018x}: the snapshot is damaged",
                self.checksum
            ));
        }
        Ok(())
    }
}

fn counts(snapshot: &Snapshot) -> [u64; 5] {
    [
        snapshot.services.len(),
        snapshot.entries.len(),
        snapshot.account_flags.len(),
        snapshot.channel_entries.len(),
        snapshot.dialing_profiles.len(),
    ]
    .map(|n| n as u64)
}

/// One step of the multiply-xor chain: a bijection of the state for a given
/// word and of the word for a given state (an odd multiplier makes the
/// multiplication a bijection mod 2^64). An image's checksum is the same
/// chain over its bytes.
pub(crate) fn chain(state: u64, word: u64) -> u64 {
    (state.rotate_left(23) ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// A multiply-xor chain over 64-bit words (see the module docs).
struct Digest {
    state: u64,
    text: String,
}

impl Digest {
    fn word(&mut self, word: u64) {
        self.state = chain(self.state, word);
    }

    fn option(&mut self, word: Option<u64>) {
        match word {
            None => self.word(0),
            Some(word) => {
                self.word(1);
                self.word(word);
            }
        }
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.word(bytes.len() as u64);
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.word(u64::from_le_bytes(word));
        }
    }

    /// A value by its display form (phones, zips, dates).
    fn shown(&mut self, value: impl std::fmt::Display) {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        // Writing to a String cannot fail.
        let _ = write!(text, "{value}");
        self.bytes(text.as_bytes());
        self.text = text;
    }

    fn text(&mut self, text: &str) {
        self.bytes(text.as_bytes());
    }

    fn section(&mut self, tag: u64, len: usize) {
        self.word(tag);
        self.word(len as u64);
    }
}

fn channel_index(channel: Channel) -> u64 {
    match channel {
        Channel::Dialtime => 1,
        Channel::Sms => 2,
        Channel::Email => 3,
    }
}

fn checksum(snapshot: &Snapshot, counts: [u64; 5]) -> u64 {
    let mut digest = Digest {
        state: u64::from(FORMAT),
        text: String::new(),
    };
    for count in counts {
        digest.word(count);
    }
    digest.section(1, snapshot.services.len());
    for record in &snapshot.services {
        digest.word(record.client.get());
        digest.word(record.service.get());
    }
    digest.section(2, snapshot.entries.len());
    for entry in &snapshot.entries {
        digest.word(entry.id.get());
        digest.word(entry.client.get());
        digest.option(entry.service.map(|service| service.get()));
        match &entry.key {
            DncKey::Phone(phone) => {
                digest.word(1);
                digest.shown(phone);
            }
            DncKey::Account(account) => {
                digest.word(2);
                digest.text(account.as_str());
            }
            DncKey::PhoneAccount(phone, account) => {
                digest.word(3);
                digest.shown(phone);
                digest.text(account.as_str());
            }
            DncKey::Zip(zip) => {
                digest.word(4);
                digest.shown(zip);
            }
        }
        digest.word(match entry.lifetime {
            Lifetime::Permanent => 1,
            Lifetime::Daily => 2,
        });
    }
    digest.section(3, snapshot.account_flags.len());
    for record in &snapshot.account_flags {
        digest.word(record.client.get());
        digest.text(record.account.as_str());
        digest.word(u64::from(record.flags.do_not_dial));
        digest.word(u64::from(record.flags.do_not_dial_daily));
    }
    digest.section(4, 1);
    digest.word(snapshot.next_id);
    digest.section(5, snapshot.channel_clients.len());
    for record in &snapshot.channel_clients {
        digest.word(record.client.get());
        digest.text(&record.time_zone);
        digest.word(record.contact_groups.len() as u64);
        for group in &record.contact_groups {
            digest.word(group.get());
        }
        digest.word(match record.phone_dnc_type {
            PhoneDncType::Legacy => 1,
            PhoneDncType::DialTime => 2,
        });
    }
    digest.section(6, snapshot.service_groups.len());
    for record in &snapshot.service_groups {
        digest.word(record.service.get());
        digest.word(record.contact_group.get());
    }
    digest.section(7, snapshot.channel_entries.len());
    for record in &snapshot.channel_entries {
        digest.word(channel_index(record.channel));
        digest.word(record.id.get());
        digest.word(record.client.get());
        match &record.value {
            ChannelValue::Phone(phone) => {
                digest.word(1);
                digest.shown(phone);
            }
            ChannelValue::Email(email) => {
                digest.word(2);
                digest.text(email.as_str());
            }
        }
        digest.option(record.contact_group.map(|group| group.get()));
        match record.expiration {
            None => digest.word(0),
            Some(date) => {
                digest.word(1);
                digest.shown(date);
            }
        }
    }
    digest.section(8, snapshot.channel_lists.len());
    for record in &snapshot.channel_lists {
        digest.word(channel_index(record.channel));
        digest.word(record.next_id);
        digest.word(record.last_modified.len() as u64);
        for (client, at) in &record.last_modified {
            digest.word(client.get());
            digest.word(*at as u64);
        }
    }
    digest.section(9, snapshot.legacy_modified.len());
    for (id, at) in &snapshot.legacy_modified {
        digest.word(id.get());
        digest.word(*at as u64);
    }
    digest.section(10, snapshot.legacy_last_modified.len());
    for (client, at) in &snapshot.legacy_last_modified {
        digest.word(client.get());
        digest.word(*at as u64);
    }
    digest.section(11, snapshot.dialing_profiles.len());
    for profile in &snapshot.dialing_profiles {
        digest.word(profile.id.get());
        digest.option(profile.client.map(|client| client.get()));
        digest.text(&profile.name);
        match &profile.description {
            None => digest.word(0),
            Some(description) => {
                digest.word(1);
                digest.text(description);
            }
        }
        digest.word(u64::from(profile.client_default));
        digest.word(profile.services.len() as u64);
        for service in &profile.services {
            digest.word(service.get());
        }
        digest.word(profile.policies.len() as u64);
        for policy in &profile.policies {
            digest.word(policy.id.get());
            digest.text(&policy.day_of_week);
            for text in [&policy.country, &policy.state] {
                match text {
                    None => digest.word(0),
                    Some(text) => {
                        digest.word(1);
                        digest.text(text);
                    }
                }
            }
            digest.option(policy.area_code.map(u64::from));
            digest.word(u64::from(policy.do_not_dial));
            digest.word(u64::from(policy.do_not_leave_message));
            digest.option(
                policy
                    .window
                    .map(|(start, end)| (u64::from(start) << 32) | u64::from(end)),
            );
        }
    }
    digest.section(12, 1);
    digest.word(snapshot.profile_next_ids.0);
    digest.word(snapshot.profile_next_ids.1);
    // The registries' sections, only when there is something in them, so a
    // snapshot of a version without registries keeps its checksum.
    let registries = snapshot.registry_copies.len()
        + snapshot.registry_subscriptions.len()
        + snapshot.registry_exemptions.len();
    if registries > 0 {
        digest.section(13, snapshot.registry_copies.len());
        for record in &snapshot.registry_copies {
            digest.bytes(&record.bytes);
        }
        digest.section(14, snapshot.registry_subscriptions.len());
        for record in &snapshot.registry_subscriptions {
            digest.word(record.client.get());
            digest.text(&record.source);
            match &record.area_codes {
                None => digest.word(0),
                Some(codes) => {
                    digest.word(1);
                    digest.word(codes.len() as u64);
                    for &code in codes {
                        digest.word(u64::from(code));
                    }
                }
            }
        }
        digest.section(15, snapshot.registry_exemptions.len());
        for record in &snapshot.registry_exemptions {
            digest.word(record.client.get());
            match (&record.phone, &record.account) {
                (Some(phone), _) => {
                    digest.word(1);
                    digest.shown(phone);
                }
                (None, Some(account)) => {
                    digest.word(2);
                    digest.text(account.as_str());
                }
                (None, None) => digest.word(0),
            }
            if let (Some(_), Some(account)) = (&record.phone, &record.account) {
                digest.word(3);
                digest.text(account.as_str());
            }
            digest.text(&record.kind);
            digest.shown(record.since);
            match record.until {
                None => digest.word(0),
                Some(until) => {
                    digest.word(1);
                    digest.shown(until);
                }
            }
        }
    }
    // The attempts' sections, likewise only when there is something.
    let attempts = snapshot.debt_collectors.len()
        + snapshot.attempts.len()
        + snapshot.attempt_rules.len()
        + usize::from(snapshot.attempt_last_rule_id != 0);
    if attempts > 0 {
        digest.section(16, snapshot.debt_collectors.len());
        for record in &snapshot.debt_collectors {
            digest.word(record.client.get());
        }
        digest.section(17, snapshot.attempts.len());
        for record in &snapshot.attempts {
            digest.word(record.client.get());
            digest.shown(record.phone);
            match &record.person {
                None => digest.word(0),
                Some(person) => {
                    digest.word(1);
                    digest.text(person);
                }
            }
            digest.word(record.debts.len() as u64);
            for debt in &record.debts {
                digest.text(debt);
            }
            digest.shown(record.at);
            digest.text(&record.channel);
            digest.text(&record.outcome);
            digest.word(u64::from(record.with_consent));
        }
        digest.section(18, snapshot.attempt_rules.len());
        for record in &snapshot.attempt_rules {
            digest.word(record.client.get());
            digest.word(record.id.get());
            digest.text(&record.key);
            digest.word(record.outcomes.len() as u64);
            for outcome in &record.outcomes {
                digest.text(outcome);
            }
            digest.word(u64::from(record.voice) | (u64::from(record.sms) << 1));
            digest.option(record.rolling_ms.map(|ms| ms as u64));
            match &record.calendar {
                None => digest.word(0),
                Some((days, zone)) => {
                    digest.word(1 + u64::from(*days));
                    digest.text(zone);
                }
            }
            digest.word(u64::from(record.limit));
            digest.option(record.lock_ms.map(|ms| ms as u64));
        }
        digest.section(19, 1);
        digest.word(snapshot.attempt_last_rule_id);
    }
    // The log position, only when the engine follows a log (so an older
    // snapshot's checksum stands).
    if snapshot.position != 0 {
        digest.section(20, 1);
        digest.word(snapshot.position);
    }
    digest.state
}
