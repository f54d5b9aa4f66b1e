//! Command-line definitions (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::filter::FilterArgs;

/// Keyboard-driven triage of incoming newsroom copy: wire items, scraped pages and machine
/// translations.
#[derive(Debug, Parser)]
///
/// `copydesk DIR` opens the triage screen on DIR (without DIR: on the inbox given by
/// --inbox, $COPYDESK_INBOX, the config, or the current folder).
#[command(
    name = "copydesk",
    // Usage lines say `copydesk`, whatever the executable's file is called.
    bin_name = "copydesk",
    version,
    max_term_width = 100,
    override_usage = "copydesk [OPTIONS] [DIR]\n       copydesk [OPTIONS] <COMMAND>"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options accepted before or after any subcommand.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// Inbox folder [default: $COPYDESK_INBOX, else the config's `inbox`, else the current folder].
    #[arg(long, global = true, value_name = "DIR")]
    pub inbox: Option<PathBuf>,
    /// State file [default: <inbox>/.copydesk/state.toml].
    #[arg(long, global = true, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Who is marking (screen, mark) [default: $COPYDESK_EDITOR, else the config's `editor`,
    /// else $USER]. In list, export and report: only articles whose decision was made by NAME
    /// (the option only, not $COPYDESK_EDITOR).
    #[arg(long, global = true, value_name = "NAME")]
    pub editor: Option<String>,
    /// Config file [default: ~/.config/copydesk/config.toml].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Draw with ASCII only (automatic when the locale is not UTF-8).
    #[arg(long, global = true)]
    pub ascii: bool,
    /// Do not reorder right-to-left text for display (for terminals that do it themselves).
    #[arg(long, global = true)]
    pub no_bidi: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The articles, newest first.
    List(ListArgs),
    /// One article: metadata and cleaned body, as text.
    Show(ShowArgs),
    /// Mark articles from a script, with the same locking and history as the screen.
    Mark(MarkArgs),
    /// Status lists for the CMS, mail, chat and spreadsheets.
    Export(ExportArgs),
    /// The daily review of decisions, as Markdown or JSON.
    Report(ReportArgs),
    /// Every file copydesk could not read fully, and why.
    Check(CheckArgs),
    /// `copydesk DIR`: any word that is not a command is the inbox to open.
    #[command(external_subcommand)]
    Open(Vec<String>),
}

impl Cli {
    /// The folder named as `copydesk DIR`, if any.
    pub fn dir(&self) -> Result<Option<PathBuf>, String> {
        match &self.command {
            Some(Command::Open(words)) => match words.as_slice() {
                [dir] => Ok(Some(PathBuf::from(dir))),
                _ => Err(format!(
                    "unexpected arguments '{}': give one inbox folder, or a command (see --help)",
                    crate::sanitize::echo(&words.join(" "))
                )),
            },
            _ => Ok(None),
        }
    }
}

/// Filters shared by list and export.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterOpts {
    /// Only these statuses (comma-separated): untriaged, verified, needs-review, translation-suspect.
    #[arg(long, value_name = "S,...")]
    pub status: Option<String>,
    /// Only these languages (comma-separated ISO 639-1 codes).
    #[arg(long, value_name = "L,...")]
    pub lang: Option<String>,
    /// Only articles dated on or after DATE: YYYY-MM-DD, today, yesterday or 7d.
    // A value such as `-1d` is a bad date, said as such, not an unknown option.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Only articles dated on or before DATE.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,
    /// Only articles with one of these signals (comma-separated), e.g. mt-disclaimer.
    #[arg(long, value_name = "NAME,...")]
    pub signal: Option<String>,
}

impl FilterOpts {
    /// The raw filter, with the global `--editor` as the editor filter.
    pub fn with_editor(&self, editor: Option<String>) -> FilterArgs {
        FilterArgs {
            status: self.status.clone(),
            lang: self.lang.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            editor,
            signal: self.signal.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ListFormat {
    #[default]
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filters: FilterOpts,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The article's id, as `list` shows it.
    pub id: String,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("change").required(true).multiple(true))]
pub struct MarkArgs {
    /// Article ids, as `list` shows them.
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    /// The new status: verified, needs-review, translation-suspect or untriaged. Without it,
    /// `--note` alone writes a note and leaves each decision its editor's.
    #[arg(long = "as", value_name = "STATUS", group = "change")]
    pub status: Option<String>,
    /// A note for the desk (replaces the previous note; an empty note clears it). It may
    /// begin with '-' ("--note '-2 in the headline'").
    #[arg(
        long,
        value_name = "TEXT",
        group = "change",
        allow_hyphen_values = true
    )]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
/// The formats of `export`.
pub enum ExportFormat {
    #[default]
    Csv,
    Json,
    /// Also `md`, as the file extension.
    #[value(alias = "md")]
    Markdown,
    Toml,
    /// Also `txt`.
    #[value(alias = "txt")]
    Text,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub filters: FilterOpts,
    /// Output format [default: from -o's extension, else the config's export_format, else csv].
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    #[default]
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The day to review: YYYY-MM-DD, today, yesterday or 7d [default: today].
    #[arg(
        long,
        value_name = "DATE",
        conflicts_with_all = ["since", "until"],
        allow_hyphen_values = true
    )]
    pub date: Option<String>,
    /// Start of a period to review.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// End of a period to review.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Exit with code 1 when any file has a problem.
    #[arg(long)]
    pub strict: bool,
}

/// Options of `GlobalArgs` that take a value (their next word is not the DIR).
const VALUED_GLOBALS: &[&str] = &["--inbox", "--state", "--editor", "--config"];

/// Moves `DIR` in `copydesk DIR --opt ...` behind the options, so that clap (which reads a word
/// that is not a command as an external subcommand taking every later word) sees the options;
/// `copydesk DIR COMMAND ...` becomes `copydesk --inbox DIR COMMAND ...`.
pub fn normalize_args(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut i = 1;
    while i < args.len() {
        let word = args[i].to_string_lossy();
        if word == "--" {
            return args;
        }
        if word.starts_with('-') {
            i += if VALUED_GLOBALS.contains(&word.as_ref()) {
                2
            } else {
                1
            };
            continue;
        }
        let commands = Cli::command_names();
        let is_command = |w: &str| commands.iter().any(|c| c == w);
        if word == "help" {
            return without_help_flags(args, i + 1);
        }
        if is_command(&word) || i + 1 >= args.len() {
            return args;
        }
        if next_word(&args, i + 1).is_some_and(|w| is_command(&w)) {
            args.insert(i, "--inbox".into());
        } else {
            let dir = args.remove(i);
            args.push(dir);
        }
        return args;
    }
    args
}

/// `copydesk help --help` (and `help list -h`) as `copydesk help` (`help list`): clap's help
/// command takes no `--help` of its own and would call it an unknown command.
fn without_help_flags(mut args: Vec<std::ffi::OsString>, start: usize) -> Vec<std::ffi::OsString> {
    let mut i = start;
    while i < args.len() {
        match args[i].to_str() {
            Some("--") => break,
            Some("--help" | "-h") => {
                args.remove(i);
            }
            _ => i += 1,
        }
    }
    args
}

/// The first word from `start` on that is neither a global option nor its value.
fn next_word(args: &[std::ffi::OsString], start: usize) -> Option<String> {
    let mut i = start;
    while let Some(arg) = args.get(i) {
        let word = arg.to_string_lossy();
        if !word.starts_with('-') {
            return Some(word.into_owned());
        }
        i += if VALUED_GLOBALS.contains(&word.as_ref()) {
            2
        } else {
            1
        };
    }
    None
}

impl Cli {
    fn command_names() -> Vec<String> {
        use clap::CommandFactory;
        let cmd = Self::command();
        let mut names: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        names.push("help".into());
        names
    }
}

impl ExportFormat {
    /// The format a name (`csv`, `md`, ...) or a file extension asks for.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "csv" => Self::Csv,
            "json" => Self::Json,
            "md" | "markdown" => Self::Markdown,
            "toml" => Self::Toml,
            "txt" | "text" => Self::Text,
            _ => return None,
        })
    }

    /// The format a file name's extension asks for.
    pub fn of_path(path: &std::path::Path) -> Option<Self> {
        path.extension()
            .and_then(|e| Self::from_name(&e.to_string_lossy()))
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Markdown => "md",
            Self::Toml => "toml",
            Self::Text => "txt",
        }
    }
}

/// A usage error in one line, as every other error: clap's message with its details (the
/// missing arguments, the possible values) joined, without the tips, usage and help lines.
pub fn one_line_error(rendered: &str) -> String {
    let kept: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .filter(|l| !l.is_empty() && !l.starts_with("tip:"))
        .collect();
    let message = kept.join(" ");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    // clap quotes the values it names: each quoted piece (every other one) is cut as
    // copydesk's own are.
    let pieces: Vec<_> = message
        .split('\'')
        .enumerate()
        .map(|(n, piece)| match n % 2 {
            1 => crate::sanitize::echo(piece),
            _ => piece.into(),
        })
        .collect();
    format!("{} (see --help)", pieces.join("'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_errors_come_in_one_line() {
        let error = |args: &[&str]| {
            let args = args.iter().map(std::ffi::OsString::from).collect();
            let e = Cli::try_parse_from(normalize_args(args)).expect_err("refused");
            one_line_error(&e.render().to_string())
        };
        assert_eq!(
            error(&["copydesk", "mark", "x"]),
            "the following required arguments were not provided: <--as <STATUS>|--note <TEXT>> \
             (see --help)"
        );
        assert_eq!(
            error(&["copydesk", "list", "--format", "xls"]),
            "invalid value 'xls' for '--format <FORMAT>' [possible values: table, json, csv] (see --help)"
        );
        assert_eq!(
            error(&["copydesk", "list", "--bogus"]),
            "unexpected argument '--bogus' found (see --help)"
        );
    }

    fn parse(args: &[&str]) -> Cli {
        let args = args.iter().map(std::ffi::OsString::from).collect();
        Cli::try_parse_from(normalize_args(args)).expect("parses")
    }

    #[test]
    fn dir_and_options_in_any_order() {
        let cli = parse(&["copydesk", "sample", "--editor", "ayu", "--ascii"]);
        assert_eq!(cli.dir(), Ok(Some(PathBuf::from("sample"))));
        assert_eq!(cli.global.editor.as_deref(), Some("ayu"));
        assert!(cli.global.ascii);
        let cli = parse(&["copydesk", "--ascii", "list", "--inbox", "sample"]);
        assert!(matches!(cli.command, Some(Command::List(_))));
        let cli = parse(&["copydesk", "--inbox", "list", "list"]);
        assert!(matches!(cli.command, Some(Command::List(_))));
        assert_eq!(cli.global.inbox, Some(PathBuf::from("list")));
    }

    /// The help or usage error of a command line.
    fn refusal(args: &[&str]) -> clap::Error {
        let args = args.iter().map(std::ffi::OsString::from).collect();
        Cli::try_parse_from(normalize_args(args)).expect_err("help or an error")
    }

    #[test]
    fn help_takes_help_and_every_usage_says_copydesk() {
        use clap::error::ErrorKind;
        for args in [
            &["copydesk", "help", "--help"][..],
            &["copydesk", "help", "-h"],
            &["copydesk", "--ascii", "help", "--help"],
        ] {
            let e = refusal(args);
            assert_eq!(e.kind(), ErrorKind::DisplayHelp, "{args:?}: {e}");
            assert!(e.render().to_string().contains("<COMMAND>"), "{args:?}");
        }
        let e = refusal(&["copydesk", "help", "list", "--help"]);
        assert_eq!(e.kind(), ErrorKind::DisplayHelp, "{e}");
        // Whatever the executable is called.
        for args in [
            &["/opt/bin/copydesk-h28", "help", "list"][..],
            &["/opt/bin/copydesk-h28", "list", "--help"],
            &["/opt/bin/copydesk-h28", "mark", "--help"],
        ] {
            let help = refusal(args).render().to_string();
            assert!(help.contains("Usage: copydesk "), "{args:?}: {help}");
            assert!(!help.contains("h28"), "{args:?}: {help}");
        }
        let e = refusal(&["/opt/bin/copydesk-h28", "list", "--bogus"]);
        assert!(!e.render().to_string().contains("h28"), "{e}");
    }

    #[test]
    fn a_date_may_begin_with_a_dash() {
        let cli = parse(&["copydesk", "list", "--since", "-1d", "--until", "-2d"]);
        let Some(Command::List(list)) = cli.command else {
            panic!("not list: {cli:?}");
        };
        assert_eq!(list.filters.since.as_deref(), Some("-1d"));
        assert_eq!(list.filters.until.as_deref(), Some("-2d"));
        let cli = parse(&["copydesk", "report", "--date", "-1d"]);
        let Some(Command::Report(report)) = cli.command else {
            panic!("not report: {cli:?}");
        };
        assert_eq!(report.date.as_deref(), Some("-1d"));
    }

    #[test]
    fn dir_before_a_command_is_the_inbox() {
        let cli = parse(&["copydesk", "sample", "list", "--format", "json"]);
        assert!(matches!(cli.command, Some(Command::List(_))));
        assert_eq!(cli.global.inbox, Some(PathBuf::from("sample")));
        let cli = parse(&[
            "copydesk", "sample", "--editor", "ayu", "mark", "a", "--as", "verified",
        ]);
        assert!(matches!(cli.command, Some(Command::Mark(_))));
        assert_eq!(cli.global.inbox, Some(PathBuf::from("sample")));
        assert_eq!(cli.global.editor.as_deref(), Some("ayu"));
        // A folder followed by anything but a command is still the screen's folder.
        let cli = parse(&["copydesk", "sample", "--ascii"]);
        assert_eq!(cli.dir(), Ok(Some(PathBuf::from("sample"))));
    }
}
