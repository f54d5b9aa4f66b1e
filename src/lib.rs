//! copydesk: keyboard-driven triage of incoming newsroom copy.
//!
//! The library holds everything; `main.rs` only parses the command line and maps errors to
//! exit codes.

pub mod inbox;
pub mod language;
pub mod signals;
pub mod time;
