//! The legacy part of an engine image (see `engine/image.rs`): the literal
//! phone entries, nine in ten of a real list, as fixed 24-byte records read
//! straight into phone-store records (no text, no per-entry allocation),
//! and the directory those records name their scopes by.
//!
//! A record is three little-endian `u64`s: the entry id; the packed phone
//! (four bits a character, as [`Phone`] holds it) with bit 63 set for a
//! DAILY entry; the service id, or for a client-level entry the client id
//! with bit 63 set. Ids fit in 63 bits, so the top bits are free.

use hashbrown::HashMap;

use crate::error::{DncError, invalid_snapshot};
use crate::id_set::AscendingIds;
use crate::legacy::entry::{DncEntry, DncKey, Lifetime};
use crate::legacy::list::LegacyList;
use crate::legacy::phone_store::{ClientIdx, PhoneRecord, PhoneStore, ServiceIdx};
use crate::legacy::snapshot::assemble_id_lists;
use crate::values::ids::{ClientId, EntryId};
use crate::values::phone::Phone;

/// The bytes of one phone record.
pub(crate) const PHONE_RECORD_LEN: usize = 24;

/// In a record's phone word: a DAILY entry.
const DAILY_BIT: u64 = 1 << 63;
/// In a record's scope word: a client-level entry, the rest the client id.
const CLIENT_BIT: u64 = 1 << 63;

/// The little-endian word `bytes` (8 of them) hold: the one form of every
/// number in an image.
pub(crate) fn le_word(bytes: &[u8]) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(bytes);
    u64::from_le_bytes(word)
}

/// Appends `word` to `out`, little-endian.
pub(crate) fn push_word(out: &mut Vec<u8>, word: u64) {
    out.extend_from_slice(&word.to_le_bytes());
}

/// Whether `entry` travels as a phone record: a literal phone (a wildcard
/// phone is also a pattern of its client's, so it travels as an entry).
pub(crate) fn is_phone_record(entry: &DncEntry) -> bool {
    matches!(entry.key, DncKey::Phone(phone) if !phone.has_wildcard())
}

/// Appends the record of `entry`, a literal phone entry, to `out`.
pub(crate) fn encode_phone(entry: &DncEntry, out: &mut Vec<u8>) {
    let DncKey::Phone(phone) = entry.key else {
        return;
    };
    let daily = match entry.lifetime {
        Lifetime::Daily => DAILY_BIT,
        Lifetime::Permanent => 0,
    };
    let scope = match entry.service {
        Some(service) => service.get(),
        None => entry.client.get() | CLIENT_BIT,
    };
    for word in [entry.id.get(), phone.packed() | daily, scope] {
        push_word(out, word);
    }
}

/// The dense indexes a phone record's scope word resolves to, copied out of
/// the list once its directory is in (so that another thread can read them
/// while the list goes on).
#[derive(Debug, Default)]
pub(crate) struct PhoneScopes {
    /// Service id → its client's index and its own.
    services: HashMap<u64, (ClientIdx, ServiceIdx)>,
    /// The image's listed clients (those client-level records name): id →
    /// index, and place in the list.
    clients: HashMap<u64, (ClientIdx, usize)>,
}

impl LegacyList {
    /// The scopes phone records can name: every registered service, and
    /// the `listed` clients (interned here).
    pub(crate) fn phone_scopes(&mut self, listed: &[ClientId]) -> PhoneScopes {
        let clients = listed
            .iter()
            .enumerate()
            .map(|(place, client)| (client.get(), (self.intern_client(*client), place)))
            .collect();
        PhoneScopes {
            services: self
                .services
                .iter()
                .map(|(service, slot)| (service.get(), (slot.client_idx, slot.idx)))
                .collect(),
            clients,
        }
    }

    /// The phone store, empty but for the directory, for the thread that
    /// fills it from the phone records.
    pub(crate) fn take_phone_store(&mut self) -> PhoneStore {
        std::mem::take(&mut self.phones)
    }

    /// Puts back the phone store a restore built on its phone thread and
    /// the id lists its two threads built, by client and by service;
    /// `last_id` is the last phone record's id.
    pub(crate) fn finish_image(
        &mut self,
        store: PhoneStore,
        mut by_client: Vec<[AscendingIds; 2]>,
        by_service: Vec<[AscendingIds; 2]>,
        last_id: Option<EntryId>,
    ) {
        self.phones = store;
        // Every client was interned before the lists were planned; one
        // interned after has no entries, so its lists are empty.
        by_client.resize_with(self.client_ids.len(), Default::default);
        self.legacy = assemble_id_lists(by_client, by_service, self.phones.service_clients());
        if let Some(last) = last_id {
            // Ids are below 2^63, so this cannot overflow.
            self.raise_next_id(last.get() + 1);
        }
    }
}

/// The phone records of `block` (a whole number of records), checked as a
/// restore checks every entry: ids valid and strictly ascending, phones
/// literal and well formed, scopes registered (a client-level record's
/// client listed in the image's directory), and every listed client named
/// by a record (as [`Engine::to_image`](crate::Engine::to_image) lists
/// them).
pub(crate) fn decode_phones(
    block: &[u8],
    scopes: &PhoneScopes,
) -> Result<Vec<PhoneRecord>, DncError> {
    let mut records = Vec::with_capacity(block.len() / PHONE_RECORD_LEN);
    let mut named = vec![false; scopes.clients.len()];
    let mut previous = 0;
    for (index, bytes) in block.chunks_exact(PHONE_RECORD_LEN).enumerate() {
        let (id, phone, scope) = (
            le_word(&bytes[..8]),
            le_word(&bytes[8..16]),
            le_word(&bytes[16..]),
        );
        let refused = |what: String| invalid_snapshot(format!("phone record {index}: {what}"));
        let id = EntryId::new(id).map_err(|error| refused(error.to_string()))?;
        if id.get() <= previous {
            return Err(refused(format!(
                "entry {id} comes after entry {previous}: entries are out of order or repeated"
            )));
        }
        previous = id.get();
        let lifetime = if phone & DAILY_BIT != 0 {
            Lifetime::Daily
        } else {
            Lifetime::Permanent
        };
        let phone = Phone::literal_from_packed(phone & !DAILY_BIT).ok_or_else(|| {
            refused(format!(
                "{:#x} is not a packed literal phone",
                phone & !DAILY_BIT
            ))
        })?;
        let (client, service) = if scope & CLIENT_BIT != 0 {
            let client = scope & !CLIENT_BIT;
            let (idx, place) = scopes.clients.get(&client).ok_or_else(|| {
                refused(format!("client {client} is not in the image's directory"))
            })?;
            named[*place] = true;
            (*idx, None)
        } else {
            let (client, service) = scopes
                .services
                .get(&scope)
                .ok_or_else(|| refused(format!("service {scope} is not registered")))?;
            (*client, Some(*service))
        };
        records.push(PhoneRecord::new(id, phone, client, service, lifetime));
    }
    if let Some((client, _)) = scopes.clients.iter().find(|(_, (_, place))| !named[*place]) {
        return Err(invalid_snapshot(format!(
            "client {client} is in the image's directory but no phone record names it"
        )));
    }
    Ok(records)
}
