//! copydesk: keyboard-driven triage of incoming newsroom copy.
//!
//! The library holds everything; `main.rs` only parses the command line and maps errors to
//! exit codes.

pub mod cli;
pub mod commands;
pub mod config;
pub mod export;
pub mod filter;
pub mod inbox;
pub mod language;
pub mod listing;
pub mod progress;
pub mod report;
pub mod sanitize;
pub mod signals;
pub mod state;
pub mod time;
pub mod tui;
pub mod ui;
