//! The calling laws: the federal window, Canada's CRTC hours, and the
//! states' stricter hours, banned days and holidays, as a versioned table
//! with the citation and source of every row ([`table`]); holidays as rules
//! for any year with their observed days ([`Holiday`]); and the answer at
//! the places a callee may be ([`LawAnswer`]).
//!
//! The law is a floor: the dial decision refuses a call any law of any
//! place refuses, whatever the dialing profile allows. The part reads no
//! clock: the instant is an input.

pub(crate) mod answer;
pub(crate) mod holiday;
pub(crate) mod state_holidays;
pub mod table;

pub use answer::{LawAnswer, LawPlace, LawRefusal, LawRefusalAt};
pub use holiday::{Holiday, HolidayDate, Observed, Years, easter_sunday};
pub use table::{CallingLaw, LAW_TABLE_VERSION};
