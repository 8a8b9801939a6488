//! Local wall-clock times of day and the windows between them: the
//! vocabulary of the dialing profiles' policies and of the calling laws.

use std::fmt;

use crate::error::DncError;

/// A local wall-clock time of day, `00:00` to `24:00` inclusive, to the
/// millisecond.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(u32);

/// Milliseconds in a day.
const DAY_MILLIS: u32 = 86_400_000;

impl TimeOfDay {
    /// Midnight, the start of a day.
    pub const MIDNIGHT: TimeOfDay = TimeOfDay(0);
    /// `24:00`, the end of a day.
    pub const END_OF_DAY: TimeOfDay = TimeOfDay(DAY_MILLIS);

    /// A time from hours, minutes and seconds; `24:00:00` is the end of the day.
    pub fn hms(hours: u32, minutes: u32, seconds: u32) -> Result<TimeOfDay, DncError> {
        if minutes < 60
            && seconds < 60
            && (hours < 24 || (hours == 24 && minutes == 0 && seconds == 0))
        {
            Ok(TimeOfDay(((hours * 60 + minutes) * 60 + seconds) * 1000))
        } else {
            Err(DncError::InvalidProfile {
                field: "time",
                value: format!("{hours:02}:{minutes:02}:{seconds:02}"),
                reason: "expected 00:00 to 24:00",
            })
        }
    }

    /// A time from milliseconds after local midnight, `0..=86_400_000`.
    pub fn from_millis(millis: u32) -> Result<TimeOfDay, DncError> {
        if millis <= DAY_MILLIS {
            Ok(TimeOfDay(millis))
        } else {
            Err(DncError::InvalidProfile {
                field: "time",
                value: millis.to_string(),
                reason: "milliseconds after midnight must be 0..=86400000",
            })
        }
    }

    /// Parses `HH:MM`, `HH:MM:SS` or `HH:MM:SS.mmm` (`24:00` allowed as the
    /// end of the day): every form [`Display`](fmt::Display) writes, so a
    /// time the engine prints is accepted back.
    pub fn parse(text: &str) -> Result<TimeOfDay, DncError> {
        let refused = || DncError::InvalidProfile {
            field: "time",
            value: text.to_owned(),
            reason: "expected HH:MM, HH:MM:SS or HH:MM:SS.mmm, 00:00 to 24:00",
        };
        let (text, millis) = match text.split_once('.') {
            None => (text, 0),
            // Milliseconds only after seconds, as Display writes them.
            Some((clock, fraction))
                if clock.len() == 8
                    && fraction.len() == 3
                    && fraction.bytes().all(|b| b.is_ascii_digit()) =>
            {
                (clock, fraction.parse::<u32>().map_err(|_| refused())?)
            }
            Some(_) => return Err(refused()),
        };
        let mut parts = text.split(':');
        let mut next = |required: bool| -> Result<u32, DncError> {
            match parts.next() {
                Some(part) if part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit()) => {
                    part.parse().map_err(|_| refused())
                }
                None if !required => Ok(0),
                _ => Err(refused()),
            }
        };
        let (hours, minutes, seconds) = (next(true)?, next(true)?, next(false)?);
        if parts.next().is_some() {
            return Err(refused());
        }
        let time = TimeOfDay::hms(hours, minutes, seconds).map_err(|_| refused())?;
        // 24:00:00.001 is past the end of the day.
        TimeOfDay::from_millis(time.0 + millis).map_err(|_| refused())
    }

    /// `hours:minutes`, for the law table's constants (`hours` at most 24,
    /// `minutes` below 60; checked by the table's tests, not here).
    pub(crate) const fn hm(hours: u32, minutes: u32) -> TimeOfDay {
        TimeOfDay((hours * 60 + minutes) * 60_000)
    }

    /// Milliseconds after local midnight.
    pub fn millis(self) -> u32 {
        self.0
    }

    /// The time of day of a civil time.
    #[inline]
    pub(crate) fn of(time: jiff::civil::Time) -> TimeOfDay {
        TimeOfDay(
            ((time.hour() as u32 * 60 + time.minute() as u32) * 60 + time.second() as u32) * 1000
                + time.millisecond() as u32,
        )
    }

    /// As a civil time; `24:00` has none (`None`).
    pub(crate) fn to_civil(self) -> Option<jiff::civil::Time> {
        if self.0 >= DAY_MILLIS {
            return None;
        }
        let (seconds, millis) = (self.0 / 1000, self.0 % 1000);
        jiff::civil::Time::new(
            (seconds / 3600) as i8,
            (seconds / 60 % 60) as i8,
            (seconds % 60) as i8,
            (millis * 1_000_000) as i32,
        )
        .ok()
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.0 / 1000;
        write!(f, "{:02}:{:02}", seconds / 3600, seconds / 60 % 60)?;
        if seconds % 60 != 0 || self.0 % 1000 != 0 {
            write!(f, ":{:02}", seconds % 60)?;
        }
        if self.0 % 1000 != 0 {
            write!(f, ".{:03}", self.0 % 1000)?;
        }
        Ok(())
    }
}

/// The local hours in which a policy lets dialing start: `start <= t < end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "WindowParts", into = "WindowParts")
)]
pub struct Window {
    start: TimeOfDay,
    end: TimeOfDay,
}

impl Window {
    /// The whole day.
    pub const WHOLE_DAY: Window = Window {
        start: TimeOfDay::MIDNIGHT,
        end: TimeOfDay::END_OF_DAY,
    };

    /// The federal calling hours, 08:00–21:00: the standard profile's window.
    pub const STANDARD: Window = Window {
        start: TimeOfDay(8 * 3_600_000),
        end: TimeOfDay(21 * 3_600_000),
    };

    /// A window; `start` must come before `end` (a window does not cross
    /// midnight: write two policies for that).
    pub fn new(start: TimeOfDay, end: TimeOfDay) -> Result<Window, DncError> {
        if start < end {
            Ok(Window { start, end })
        } else {
            Err(DncError::InvalidProfile {
                field: "endTime",
                value: end.to_string(),
                reason: "endTime must be after startTime (windows do not cross midnight)",
            })
        }
    }

    /// A window of the law table's constants, `start` before `end` (the
    /// table's tests check every row).
    pub(crate) const fn of_law(start: TimeOfDay, end: TimeOfDay) -> Window {
        Window { start, end }
    }

    /// The common part of windows whose latest start is `start` and earliest
    /// end `end`: empty (`start == end`) when they do not overlap.
    pub(crate) fn intersection(start: TimeOfDay, end: TimeOfDay) -> Window {
        Window {
            start,
            end: end.max(start),
        }
    }

    /// Whether no time lies inside (an intersection of windows that do not
    /// overlap).
    pub fn is_empty(self) -> bool {
        self.start >= self.end
    }

    /// When dialing may start.
    pub fn start(self) -> TimeOfDay {
        self.start
    }

    /// When dialing must have stopped (exclusive).
    pub fn end(self) -> TimeOfDay {
        self.end
    }

    /// Whether `time` lies inside.
    #[inline]
    pub fn contains(self, time: TimeOfDay) -> bool {
        self.start <= time && time < self.end
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

// Serialized as its text, parsed back through `parse`, so that a change
// read from a log is validated like a line typed by hand.
crate::values::packed::text_value!(TimeOfDay);

/// A window as it travels, checked by [`Window::new`] when read back.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct WindowParts {
    start: TimeOfDay,
    end: TimeOfDay,
}

#[cfg(feature = "serde")]
impl From<Window> for WindowParts {
    fn from(window: Window) -> WindowParts {
        WindowParts {
            start: window.start,
            end: window.end,
        }
    }
}

#[cfg(feature = "serde")]
impl TryFrom<WindowParts> for Window {
    type Error = DncError;

    fn try_from(parts: WindowParts) -> Result<Window, DncError> {
        Window::new(parts.start, parts.end)
    }
}
