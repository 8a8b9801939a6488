//! The engine image (the `image` feature): a whole engine in one byte
//! string that restores in bulk, about 3 times faster than a [`Snapshot`]
//! through postcard at 10M entries (the README's restore table).
//!
//! A snapshot restore spends its time on the literal phone entries, nine in
//! ten of a real list: each is decoded from text, becomes an entry value,
//! and is checked and filed one at a time. The image keeps them apart, as
//! fixed 24-byte records in the phone store's own packed form
//! (`legacy/image.rs`), and keeps everything else as a postcard
//! [`Snapshot`] without them. A restore reads the two on two threads: one
//! checks the image's checksum, decodes the phone records and builds the
//! phone store from them in bucket order; the other decodes the snapshot
//! part, checks its entries and sends their ids (and the wildcard phones'
//! records) to the first, then files the accounts, pairs, zips, wildcard
//! patterns and flags. The first, its store built, adds the wildcard
//! records and builds the clients' id lists; the second, handed the
//! phone records as soon as they are decoded, builds the services' id
//! lists after its filing. Each list is filled in one ascending pass, and
//! the two threads' shares of the work are about even (measured: 52% and
//! 48% of a restore's samples).
//! Every check of a snapshot restore still holds (see
//! [`Engine::from_image`]).
//!
//! # Layout (little-endian)
//!
//! | bytes | what |
//! |---|---|
//! | 8 | `DNCIMAGE` |
//! | 8 | layout version, `1` |
//! | 8 + n | the snapshot part's length and its postcard bytes: a sealed [`Snapshot`] without the literal phone entries |
//! | 8 + 16 s | the service directory: its count, then `(service, client)` pairs, as the snapshot part lists its services |
//! | 8 + 8 c | the clients that client-level phone records name: count, then ids, ascending, each named by a record |
//! | 8 + 24 p | the phone records: count, then records ascending by id |
//! | 8 | checksum of everything after the magic, before the checksum |
//!
//! A phone record is three words: the entry id; the phone packed four bits
//! a character, the first character highest (`0`–`9` as 1–10), with bit 63
//! set for a DAILY entry; the service id, or for a client-level entry the
//! client id with bit 63 set. The checksum is a snapshot's construction
//! ([`Integrity`](crate::Integrity)) over the bytes as little-endian words,
//! the last zero-padded, starting from their length: any one changed word
//! changes it. Like a snapshot's, it guards against damage, not forgery
//! (a refusal names the checksum the bytes have); an edited image is
//! stopped by the checks behind it, which are a snapshot restore's.

use crate::engine::Engine;
use crate::engine::snapshot::Snapshot;
use crate::engine::snapshot_integrity::chain;
use crate::error::{DncError, invalid_snapshot};
use crate::id_set::AscendingIds;
use crate::legacy::image::{
    PHONE_RECORD_LEN, PhoneScopes, decode_phones, encode_phone, le_word, push_word,
};
use crate::legacy::list::LegacyList;
use crate::legacy::phone_store::{PhoneRecord, PhoneStore};
use crate::legacy::snapshot::{Filed, ServiceRecord, client_lists, service_lists};
use crate::values::ids::{ClientId, EntryId, ServiceId};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

/// What every image starts with.
const MAGIC: &[u8; 8] = b"DNCIMAGE";
/// The layout this version writes and reads.
const VERSION: u64 = 1;

/// The snapshot's multiply-xor chain ([`chain`]) over the little-endian
/// 64-bit words of `bytes` (the last one zero-padded), starting from their
/// length, so that any one changed word changes it.
fn checksum(bytes: &[u8]) -> u64 {
    let mut words = bytes.chunks_exact(8);
    let state = (&mut words).fold(bytes.len() as u64, |state, chunk| {
        chain(state, le_word(chunk))
    });
    let mut last = [0; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    chain(state, u64::from_le_bytes(last))
}

/// The sections of an image, located and length-checked.
struct Sections<'a> {
    /// The postcard snapshot part.
    snapshot: &'a [u8],
    services: Vec<ServiceRecord>,
    phone_clients: Vec<ClientId>,
    /// The phone records, a whole number of them.
    phones: &'a [u8],
    /// Everything the checksum covers, and the checksum recorded.
    covered: &'a [u8],
    recorded: u64,
}

/// Reads an image front to back, refusing a short one with what it missed.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: u64, what: &str) -> Result<&'a [u8], DncError> {
        let left = self.bytes.len() - self.at;
        match usize::try_from(len) {
            Ok(len) if len <= left => {
                let taken = &self.bytes[self.at..self.at + len];
                self.at += len;
                Ok(taken)
            }
            _ => Err(invalid_snapshot(format!(
                "the image ends inside {what} ({len} bytes wanted at byte {}, {left} left): \
                 it is truncated or damaged",
                self.at
            ))),
        }
    }

    fn word(&mut self, what: &str) -> Result<u64, DncError> {
        self.take(8, what).map(le_word)
    }

    /// A count of items of `size` bytes each, and their bytes.
    fn items(&mut self, size: u64, what: &str) -> Result<&'a [u8], DncError> {
        let count = self.word(what)?;
        let len = count.saturating_mul(size);
        self.take(len, what)
    }
}

fn words(bytes: &[u8]) -> impl Iterator<Item = u64> + '_ {
    bytes.chunks_exact(8).map(le_word)
}

impl<'a> Sections<'a> {
    fn read(bytes: &'a [u8]) -> Result<Sections<'a>, DncError> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(8, "the magic")? != MAGIC {
            return Err(invalid_snapshot(
                "not an engine image (it does not start with DNCIMAGE)".to_owned(),
            ));
        }
        let version = reader.word("the layout version")?;
        if version != VERSION {
            return Err(invalid_snapshot(format!(
                "image layout {version} (this version reads layout {VERSION})"
            )));
        }
        let snapshot = reader.items(1, "the snapshot part")?;
        let mut services = Vec::new();
        let directory = reader.items(16, "the service directory")?;
        let mut pairs = words(directory);
        while let (Some(service), Some(client)) = (pairs.next(), pairs.next()) {
            services.push(ServiceRecord {
                service: ServiceId::new(service)
                    .map_err(|error| invalid_snapshot(format!("image directory: {error}")))?,
                client: ClientId::new(client)
                    .map_err(|error| invalid_snapshot(format!("image directory: {error}")))?,
            });
        }
        let clients = reader.items(8, "the phone clients")?;
        let phone_clients = words(clients)
            .map(|client| {
                ClientId::new(client)
                    .map_err(|error| invalid_snapshot(format!("image directory: {error}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(pair) = phone_clients.windows(2).find(|pair| pair[0] >= pair[1]) {
            return Err(invalid_snapshot(format!(
                "image directory: client {} comes after client {}: the clients are out of \
                 order or repeated",
                pair[1], pair[0]
            )));
        }
        let phones = reader.items(PHONE_RECORD_LEN as u64, "the phone records")?;
        let end = reader.at;
        let recorded = reader.word("the checksum")?;
        if reader.at != bytes.len() {
            return Err(invalid_snapshot(format!(
                "{} bytes after the image's checksum: it is damaged",
                bytes.len() - reader.at
            )));
        }
        Ok(Sections {
            snapshot,
            services,
            phone_clients,
            phones,
            covered: &bytes[MAGIC.len()..end],
            recorded,
        })
    }
}

/// What the snapshot half hands the phone half once it has checked its
/// entries: how many clients there are, and the ids and phone records of
/// its entries (the wildcard phones go into the phone store too).
type PartPlan = (usize, Arc<Filed>);

/// The phone records, ascending, as the phone half hands them to the
/// snapshot half for the services' id lists.
type Records = Arc<Vec<PhoneRecord>>;

/// Per owner (a client or a service), its id lists by lifetime.
type IdLists = Vec<[AscendingIds; 2]>;

/// What the phone half built: the phone store, the clients' id lists (and
/// the services' when the restore runs on one thread), and the last phone
/// record's id.
struct PhoneHalf {
    store: PhoneStore,
    by_client: IdLists,
    by_service: Option<IdLists>,
    last_id: Option<EntryId>,
}

/// The phone half of a restore (run on its own thread): the checksum of the
/// whole image, the phone records (handed to the snapshot half at once, if
/// `records_to_part` is given, for the services' id lists), the store
/// built from them and from the wildcard phones of the snapshot half's
/// plan, and the clients' id lists (the services' too when there is no
/// other thread to build them).
/// A checksum that does not match says `true` beside the error, so that the
/// damage is what the restore reports.
fn build_phones(
    sections: &Sections<'_>,
    mut store: PhoneStore,
    scopes: &PhoneScopes,
    plan: Receiver<PartPlan>,
    records_to_part: Option<Sender<Records>>,
) -> Result<PhoneHalf, (bool, DncError)> {
    let computed = checksum(sections.covered);
    if computed != sections.recorded {
        return Err((
            true,
            invalid_snapshot(format!(
                "checksum {computed:#018x} of the image differs from the recorded {:#018x}: \
                 it is damaged",
                sections.recorded
            )),
        ));
    }
    let records: Records =
        Arc::new(decode_phones(sections.phones, scopes).map_err(|error| (false, error))?);
    let shared = records_to_part.is_some();
    if let Some(to_part) = records_to_part {
        // A snapshot half that is gone has failed, and says why itself.
        let _ = to_part.send(Arc::clone(&records));
    }
    store.insert_many(&records);
    // No plan comes when the snapshot half refused its part: its error is
    // then the restore's, and this one is never shown.
    let (clients, filed) = plan.recv().map_err(|_| {
        (
            false,
            invalid_snapshot("the image's snapshot part was refused".to_owned()),
        )
    })?;
    store.insert_many(&filed.phones);
    let by_client = client_lists(clients, &filed.ids, &records, |record| {
        store.client_of(record)
    })
    .map_err(|error| (false, error))?;
    // The services' lists are the snapshot half's share, when it has the
    // records: so the two halves take about as long as each other.
    let by_service =
        (!shared).then(|| service_lists(store.service_clients().len(), &filed.ids, &records));
    Ok(PhoneHalf {
        store,
        by_client,
        by_service,
        last_id: records.last().map(PhoneRecord::id),
    })
}

/// The snapshot half of a restore: everything but the literal phones
/// checked, planned (the plan goes to the phone half as soon as it is
/// made) and filed into `list`; then, once the phone half hands over its
/// records (if `records` is given), the services' id lists. Returns the
/// snapshot's other sections for the assembly, and the services' lists
/// (none when no records came: the phone half failed, and says why).
fn file_snapshot_part(
    sections: &Sections<'_>,
    list: &mut LegacyList,
    plan: Sender<PartPlan>,
    records: Option<Receiver<Records>>,
) -> Result<(Snapshot, Option<IdLists>), DncError> {
    let (mut snapshot, rest): (Snapshot, _) = postcard::take_from_bytes(sections.snapshot)
        .map_err(|error| invalid_snapshot(format!("the image's snapshot part: {error}")))?;
    if !rest.is_empty() {
        return Err(invalid_snapshot(format!(
            "the image's snapshot part has {} bytes after its snapshot",
            rest.len()
        )));
    }
    // The image's checksum guards the bytes; the part's own record guards
    // its content as a snapshot's does, so that an edited part is refused
    // here exactly as `Engine::restore` refuses it.
    snapshot
        .integrity
        .check(&snapshot)
        .map_err(|reason| invalid_snapshot(format!("the image's snapshot part: {reason}")))?;
    if snapshot.services != sections.services {
        return Err(invalid_snapshot(
            "the image's service directory differs from its snapshot part's services".to_owned(),
        ));
    }
    // Interns every client the flags and entries name, so the count sent
    // with the plan is final.
    list.reserve_for(&snapshot.account_flags, &snapshot.entries);
    let entries = std::mem::take(&mut snapshot.entries);
    let filed = Arc::new(list.plan_ascending(&entries)?);
    // A phone half that is gone has failed, and says why itself.
    let _ = plan.send((list.client_count(), Arc::clone(&filed)));
    list.restore_flags(&snapshot.account_flags)?;
    list.file_planned(entries, &filed.ids);
    let services = sections.services.len();
    let by_service = records
        .and_then(|records| records.recv().ok())
        .map(|records| service_lists(services, &filed.ids, &records));
    Ok((snapshot, by_service))
}

impl Engine {
    /// The engine as an image: one byte string that
    /// [`Engine::from_image`] restores in bulk, about 3 times faster than
    /// a [`Snapshot`] through postcard at 10M entries (the README's restore
    /// table). Equal engines give equal images.
    ///
    /// ```
    /// use dnc_engine::{ClientId, DncKey, Engine, NewEntry, Phone};
    /// let mut engine = Engine::new();
    /// let phone = DncKey::Phone(Phone::parse("4155550100")?);
    /// engine.add(NewEntry::for_client(ClientId::new(1)?, phone))?;
    /// let restored = Engine::from_image(&engine.to_image())?;
    /// assert_eq!(restored.snapshot(), engine.snapshot());
    /// # Ok::<(), dnc_engine::DncError>(())
    /// ```
    pub fn to_image(&self) -> Vec<u8> {
        let mut snapshot = self.unsealed_snapshot();
        let (phones, others): (Vec<_>, Vec<_>) = std::mem::take(&mut snapshot.entries)
            .into_iter()
            .partition(crate::legacy::image::is_phone_record);
        snapshot.entries = others;
        snapshot.seal();
        let mut phone_clients: Vec<ClientId> = phones
            .iter()
            .filter(|entry| entry.service.is_none())
            .map(|entry| entry.client)
            .collect();
        phone_clients.sort_unstable();
        phone_clients.dedup();
        // Serializing into a Vec cannot fail: every section has a known
        // length and every value a plain serde form.
        let part = postcard::to_allocvec(&snapshot).expect("a snapshot serializes to postcard");
        let mut image = Vec::with_capacity(part.len() + phones.len() * PHONE_RECORD_LEN + 64);
        image.extend_from_slice(MAGIC);
        push_word(&mut image, VERSION);
        push_word(&mut image, part.len() as u64);
        image.extend_from_slice(&part);
        push_word(&mut image, snapshot.services.len() as u64);
        for record in &snapshot.services {
            push_word(&mut image, record.service.get());
            push_word(&mut image, record.client.get());
        }
        push_word(&mut image, phone_clients.len() as u64);
        for client in &phone_clients {
            push_word(&mut image, client.get());
        }
        push_word(&mut image, phones.len() as u64);
        for entry in &phones {
            encode_phone(entry, &mut image);
        }
        let sum = checksum(&image[MAGIC.len()..]);
        push_word(&mut image, sum);
        image
    }

    /// Whether `bytes` start as an image does (its magic), to tell an image
    /// from another stored form before restoring it; whether it restores is
    /// [`Engine::from_image`]'s to say.
    pub fn is_image(bytes: &[u8]) -> bool {
        bytes.starts_with(MAGIC)
    }

    /// Rebuilds an engine from an image made by [`Engine::to_image`],
    /// refusing with [`DncError::InvalidSnapshot`] what
    /// [`Engine::restore`] refuses (a service under two clients, an entry of
    /// an unknown or another client's service, a repeated id or flag
    /// record, a `next_id` not above every id, a profile or policy a live
    /// change would refuse) and an image that is truncated, damaged (its
    /// checksum), of another layout, or whose records are out of order.
    ///
    /// Uses a second thread for the phone entries while this one does the
    /// rest (and does both in turn if the thread cannot be started).
    pub fn from_image(image: &[u8]) -> Result<Engine, DncError> {
        Engine::from_image_on(image, true)
    }

    /// [`Engine::from_image`], on a second thread or (`second_thread`
    /// false, or no thread to be had) all on this one.
    fn from_image_on(image: &[u8], second_thread: bool) -> Result<Engine, DncError> {
        let sections = Sections::read(image)?;
        let mut list = LegacyList::default();
        list.restore_services(&sections.services)?;
        let scopes = list.phone_scopes(&sections.phone_clients);
        let store = list.take_phone_store();
        // The store holds nothing yet (the directory only), so the copy
        // kept for a failed spawn is cheap.
        let spare = store.clone();
        let (phones, part) = std::thread::scope(|scope| {
            let (sections, scopes) = (&sections, &scopes);
            let (plan, planned) = channel();
            let (records_to_part, records) = channel();
            let worker = second_thread
                .then(|| {
                    std::thread::Builder::new()
                        .name("dnc-image-phones".to_owned())
                        .spawn_scoped(scope, move || {
                            build_phones(sections, store, scopes, planned, Some(records_to_part))
                        })
                        .ok()
                })
                .flatten();
            match worker {
                Some(worker) => {
                    let part = file_snapshot_part(sections, &mut list, plan, Some(records));
                    let phones = worker
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    (phones, part)
                }
                // No second thread: the same work, in turn (the plan waits
                // in the channel, and the phone half builds every list).
                None => {
                    let (plan, planned) = channel();
                    let part = file_snapshot_part(sections, &mut list, plan, None);
                    (build_phones(sections, spare, scopes, planned, None), part)
                }
            }
        });
        // Damage explains whatever else failed, so it is reported first.
        let phones = match phones {
            Err((true, error)) => return Err(error),
            Err((false, error)) => {
                part?;
                return Err(error);
            }
            Ok(phones) => phones,
        };
        let (snapshot, part_lists) = part?;
        // The services' lists come from one half or the other: from the
        // snapshot half whenever the phone half handed it the records.
        let by_service = phones.by_service.or(part_lists).ok_or_else(|| {
            invalid_snapshot("the image's phone records were not read".to_owned())
        })?;
        list.finish_image(phones.store, phones.by_client, by_service, phones.last_id);
        list.restore_log(
            snapshot.next_id,
            &snapshot.legacy_modified,
            &snapshot.legacy_last_modified,
        )?;
        Engine::assemble(list, snapshot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::legacy::entry::{DncKey, NewEntry};
    use crate::values::phone::Phone;

    /// Two clients, each with one service: literal phones of both scopes,
    /// a wildcard and an account.
    fn sample() -> Engine {
        let mut engine = Engine::new();
        let (one, two) = (ClientId::new(1).unwrap(), ClientId::new(2).unwrap());
        let service = ServiceId::new(10).unwrap();
        engine.register_service(one, service).unwrap();
        engine
            .register_service(two, ServiceId::new(20).unwrap())
            .unwrap();
        let phone = |text| DncKey::Phone(Phone::parse(text).unwrap());
        for new in [
            NewEntry::for_service(service, phone("4155550100")),
            NewEntry::for_client(two, phone("4155550101")),
            NewEntry::for_client(one, phone("209*******")),
            NewEntry::for_service(service, phone("4155550102")),
        ] {
            engine.add(new).unwrap();
        }
        engine
    }

    /// Where the phone records start, and how many there are.
    fn phone_block(image: &[u8]) -> (usize, usize) {
        let sections = Sections::read(image).unwrap();
        let start = sections.phones.as_ptr() as usize - image.as_ptr() as usize;
        (start, sections.phones.len() / PHONE_RECORD_LEN)
    }

    /// Records the checksum of an image edited on purpose.
    fn reseal(image: &mut [u8]) {
        let end = image.len() - 8;
        let sum = checksum(&image[MAGIC.len()..end]);
        image[end..].copy_from_slice(&sum.to_le_bytes());
    }

    fn set_word(image: &mut [u8], at: usize, word: u64) {
        image[at..at + 8].copy_from_slice(&word.to_le_bytes());
    }

    fn word_at(image: &[u8], at: usize) -> u64 {
        le_word(&image[at..at + 8])
    }

    /// The reason `image`, resealed, is refused for.
    fn reason(mut image: Vec<u8>) -> String {
        reseal(&mut image);
        match Engine::from_image(&image) {
            Err(DncError::InvalidSnapshot { reason }) => reason,
            other => panic!("expected InvalidSnapshot, got {other:?}"),
        }
    }

    #[test]
    fn the_sample_round_trips() {
        let engine = sample();
        let image = engine.to_image();
        // Three literal phones travel as records, the wildcard as an entry.
        assert_eq!(phone_block(&image).1, 3);
        let restored = Engine::from_image(&image).unwrap();
        assert_eq!(restored.snapshot(), engine.snapshot());
        restored.validate().unwrap();
    }

    /// A sample with more to it: a crowded key, flags, every kind of entry.
    fn fuller_sample() -> Engine {
        let mut engine = sample();
        let one = ClientId::new(1).unwrap();
        let phone = |text| DncKey::Phone(Phone::parse(text).unwrap());
        for _ in 0..12 {
            engine
                .add(NewEntry::for_client(one, phone("4155550100")))
                .unwrap();
        }
        let account: crate::values::account::Account = "A-1".parse().unwrap();
        engine
            .add(NewEntry::for_client(one, DncKey::Account(account.clone())))
            .unwrap();
        engine
            .add(NewEntry::for_client(
                one,
                DncKey::Zip("94105".parse().unwrap()),
            ))
            .unwrap();
        engine.set_account_flags(
            one,
            &account,
            crate::values::flags::FlagUpdate {
                do_not_dial: Some(true),
                do_not_dial_daily: None,
            },
        );
        engine
    }

    #[test]
    fn one_thread_restores_what_two_do() {
        for engine in [sample(), fuller_sample()] {
            let image = engine.to_image();
            let two = Engine::from_image_on(&image, true).unwrap();
            let one = Engine::from_image_on(&image, false).unwrap();
            assert_eq!(two.snapshot(), engine.snapshot());
            assert_eq!(one.snapshot(), engine.snapshot());
            one.validate().unwrap();
            two.validate().unwrap();
        }
    }

    #[test]
    fn one_thread_refuses_what_two_do() {
        let mut image = sample().to_image();
        let (start, _) = phone_block(&image);
        // The wildcard is entry 3, in the snapshot part; record 1 becomes 3.
        set_word(&mut image, start + PHONE_RECORD_LEN, 3);
        reseal(&mut image);
        for second_thread in [true, false] {
            match Engine::from_image_on(&image, second_thread) {
                Err(DncError::InvalidSnapshot { reason }) => {
                    assert!(reason.contains("entry 3 given twice"), "{reason}");
                }
                other => panic!("expected InvalidSnapshot, got {other:?}"),
            }
        }
    }

    #[test]
    fn records_out_of_order_are_refused() {
        let mut image = sample().to_image();
        let (start, count) = phone_block(&image);
        assert!(count >= 2);
        let (first, second) = (start, start + PHONE_RECORD_LEN);
        let (a, b) = (word_at(&image, first), word_at(&image, second));
        set_word(&mut image, first, b);
        set_word(&mut image, second, a);
        let reason = reason(image);
        assert!(reason.contains("out of order or repeated"), "{reason}");
    }

    #[test]
    fn a_record_of_an_unregistered_service_is_refused() {
        let mut image = sample().to_image();
        let (start, _) = phone_block(&image);
        set_word(&mut image, start + 16, 99);
        let reason = reason(image);
        assert!(reason.contains("service 99 is not registered"), "{reason}");
    }

    #[test]
    fn a_record_of_an_unlisted_client_is_refused() {
        let mut image = sample().to_image();
        let (start, _) = phone_block(&image);
        set_word(&mut image, start + 16, 1 << 63 | 77);
        let reason = reason(image);
        assert!(
            reason.contains("client 77 is not in the image's directory"),
            "{reason}"
        );
    }

    #[test]
    fn a_record_whose_phone_is_not_literal_is_refused() {
        let sample_image = sample().to_image();
        let (start, _) = phone_block(&sample_image);
        let star = Phone::parse("41*").unwrap().packed();
        for bad in [0, star, 0xC, 1 << 60, 0x1_0001] {
            let mut image = sample_image.clone();
            set_word(&mut image, start + 8, bad);
            let reason = reason(image);
            assert!(
                reason.contains("is not a packed literal phone"),
                "{bad:#x}: {reason}"
            );
        }
    }

    #[test]
    fn an_invalid_record_id_is_refused() {
        let mut image = sample().to_image();
        let (start, _) = phone_block(&image);
        set_word(&mut image, start, 0);
        let reason = reason(image);
        assert!(reason.contains("phone record 0"), "{reason}");
    }

    #[test]
    fn an_id_in_both_parts_is_refused() {
        let mut image = sample().to_image();
        let (start, _) = phone_block(&image);
        // The wildcard is entry 3, in the snapshot part; record 1 becomes 3.
        set_word(&mut image, start + PHONE_RECORD_LEN, 3);
        let reason = reason(image);
        assert!(reason.contains("entry 3 given twice"), "{reason}");
    }

    #[test]
    fn a_directory_unlike_the_snapshot_part_is_refused() {
        let mut image = sample().to_image();
        let (start, _) = phone_block(&image);
        // The directory's last client word sits before the phone clients'
        // section (one client: 8 + 8 bytes) and the phone count (8).
        let last_client = start - 8 - 16 - 8;
        assert_eq!(word_at(&image, last_client), 2);
        set_word(&mut image, last_client, 1);
        let reason = reason(image);
        assert!(reason.contains("service directory differs"), "{reason}");
    }

    #[test]
    fn another_layout_is_refused() {
        let mut image = sample().to_image();
        image[8] = 2;
        let reason = reason(image);
        assert!(reason.contains("image layout 2 "), "{reason}");
    }

    #[test]
    fn a_changed_word_is_named_as_damage() {
        let mut image = sample().to_image();
        let (start, _) = phone_block(&image);
        // A valid but different phone: only the checksum can tell.
        set_word(
            &mut image,
            start + 8,
            Phone::parse("4155550199").unwrap().packed(),
        );
        match Engine::from_image(&image) {
            Err(DncError::InvalidSnapshot { reason }) => {
                assert!(reason.contains("checksum"), "{reason}");
            }
            other => panic!("expected InvalidSnapshot, got {other:?}"),
        }
    }
}
