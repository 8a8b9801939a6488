//! The `dnc` command-line program's logic, as a library so that tests and fuzz
//! targets drive exactly what the program runs.
//!
//! [`replay`] implements `dnc replay` (SPEC section 6): one JSON request per
//! line in, one JSON answer per line out. It only translates JSON to calls of
//! [`dnc_engine`]; every rule lives in the library.

pub mod replay;
mod request_fields;
