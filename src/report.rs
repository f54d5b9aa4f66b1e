//! The daily review report.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::ReportArgs;
use crate::commands::Context;

/// Writes the daily review.
pub fn run(_ctx: &Context, _args: &ReportArgs, _out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    anyhow::bail!("report is being written")
}
