//! The `copydesk` binary: parse the command line, run the library, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;
use copydesk::cli::{self, Cli};
use copydesk::commands::{self, Context};

/// mimalloc instead of glibc's malloc: with the scan, search and rayon threads each getting a
/// glibc arena, a 100,000-article inbox left tens of MB of freed memory stranded in them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(cli::normalize_args(std::env::args_os().collect())) {
        Ok(cli) => cli,
        // --help and --version, on stdout.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("copydesk: {}", cli::one_line_error(&e.render().to_string()));
            return ExitCode::from(2);
        }
    };
    match Context::from_cli(&cli).and_then(|ctx| commands::run(&cli, &ctx)) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Errors may quote a state file or an article: shown as text, on one line.
            let ascii = cli.global.ascii || !commands::locale_is_utf8();
            let message = copydesk::sanitize::line(&format!("{e:#}"), ascii);
            eprintln!("copydesk: {message}");
            ExitCode::from(2)
        }
    }
}

/// A reader that closed the pipe (`copydesk list | head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
