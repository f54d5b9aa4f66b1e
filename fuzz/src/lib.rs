//! The properties every fuzz target checks. `checks.rs` is also compiled into the stable test
//! `tests/fuzz_regressions.rs`, which replays `fuzz/regressions/` in CI.

pub mod checks;
