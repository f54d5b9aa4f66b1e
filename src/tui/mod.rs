//! The triage screen.

use std::process::ExitCode;

use crate::commands::Context;

/// Opens the triage screen.
pub fn run(_ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the triage screen is being written")
}
