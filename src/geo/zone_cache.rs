//! The jiff time zones of the tables' zone names, loaded once.

use std::sync::OnceLock;

use jiff::tz::TimeZone;

use super::tables::ZONES;

static LOADED: OnceLock<Box<[TimeZone]>> = OnceLock::new();

/// The zone at `index` of the tables' zone list. Every name is checked against
/// the bundled database by a test, so a missing one is a build defect; it
/// would fall back to UTC rather than panic in a dialer.
#[inline]
pub(super) fn time_zone(index: u8) -> &'static TimeZone {
    &LOADED.get_or_init(|| {
        ZONES
            .iter()
            .map(|name| TimeZone::get(name).unwrap_or(TimeZone::UTC))
            .collect()
    })[usize::from(index)]
}
