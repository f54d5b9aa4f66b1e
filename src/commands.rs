//! The subcommands: settle the context (inbox, state, editor, zone), then run one command.

use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, anyhow, bail};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::cli::{CheckArgs, Cli, Command, ListArgs, ListFormat, MarkArgs, ShowArgs};
use crate::config::Config;
use crate::filter::Filter;
use crate::inbox::index::{FileIndex, Phase};
use crate::inbox::{Article, Inbox, ScanOptions};
use crate::listing::{self, Row};
use crate::progress::StderrProgress;
use crate::sanitize;
use crate::state::twins::{self, twin_base};
use crate::state::{Change, NoteChange, State, StateError, Status, Store};
use crate::time::{Clock, FixedClock, SystemClock, Zone};

/// Everything a command needs to know about where and who.
pub struct Context {
    pub inbox_dir: PathBuf,
    pub state_path: PathBuf,
    /// Who is marking.
    pub editor: String,
    /// `--editor` as given, for the editor filter of list/export/report.
    pub editor_filter: Option<String>,
    pub zone: Zone,
    pub clock: Box<dyn Clock>,
    pub config: Config,
    pub ascii: bool,
    pub bidi: bool,
}

impl Context {
    /// Settles the context from the command line, the environment and the config file.
    pub fn from_cli(cli: &Cli) -> Result<Self> {
        let g = &cli.global;
        let config = match &g.config {
            Some(path) => Config::load(path, true)?,
            None => match Config::default_path() {
                Some(path) => Config::load(&path, false)?,
                None => Config::default(),
            },
        };
        let positional = cli.dir().map_err(|e| anyhow!(e))?;
        let inbox_dir = positional
            .clone()
            .or_else(|| g.inbox.clone())
            .or_else(|| env_value("COPYDESK_INBOX").map(PathBuf::from))
            .or_else(|| config.inbox.clone())
            .unwrap_or_else(|| PathBuf::from("."));
        check_inbox(&inbox_dir, positional.as_deref())?;
        let state_path = g
            .state
            .clone()
            .unwrap_or_else(|| inbox_dir.join(".copydesk").join("state.toml"));
        let (editor, from) = who_marks(g.editor.as_deref(), config.editor.as_deref());
        validate_editor(&editor, from)?;
        let clock: Box<dyn Clock> = match env_value("COPYDESK_NOW") {
            Some(now) => {
                let now = now.to_string_lossy();
                Box::new(FixedClock(
                    DateTime::parse_from_rfc3339(&now)
                        .map_err(|_| {
                            let now = sanitize::echo(&now);
                            anyhow!("COPYDESK_NOW '{now}' is not an RFC 3339 date-time")
                        })?
                        .with_timezone(&Utc),
                ))
            }
            None => Box::new(SystemClock),
        };
        Ok(Self {
            inbox_dir,
            state_path,
            editor,
            editor_filter: g.editor.clone(),
            zone: config.zone(),
            clock,
            ascii: g.ascii || config.ascii.unwrap_or(false) || !locale_is_utf8(),
            bidi: !g.no_bidi && config.bidi.unwrap_or(true),
            config,
        })
    }

    /// Now, in the configured zone.
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.zone.convert(&self.clock.now())
    }

    /// Today in the configured zone.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Reads the inbox, through the index cache: only files changed since the last run are
    /// read. A progress line shows on stderr when that takes a while. Twins take back the ids
    /// their files were decided under in `state` (see [`crate::state::twins`]).
    pub fn scan_for(&self, state: &mut State) -> Result<Inbox> {
        let mut inbox = self.index()?.into_inbox();
        twins::settle_owned_twins(&mut inbox.articles, state);
        Ok(inbox)
    }

    /// The inbox's index, up to date, and saved to the cache when it changed.
    pub fn index(&self) -> Result<FileIndex> {
        let cache = self.cache_file();
        let mut progress = StderrProgress::new("indexing");
        let opened = FileIndex::open_refreshed(
            &self.inbox_dir,
            self.scan_options(),
            cache.as_deref(),
            |p, _| {
                if p.phase == Phase::Detecting {
                    progress.relabel("detecting languages");
                }
                progress.update(p.done, p.total)
            },
        );
        progress.finish();
        let (mut index, refresh) = opened?;
        if let Some(cache) = cache.filter(|_| refresh.changed() || !index.from_cache)
            && let Err(e) = index.save(&cache)
        {
            index.cache_note.get_or_insert(e);
        }
        Ok(index)
    }

    /// How to read the inbox.
    pub fn scan_options(&self) -> ScanOptions {
        ScanOptions { zone: self.zone }
    }

    /// The index cache file of this inbox, unless caching is off (`COPYDESK_CACHE_DIR=off`).
    pub fn cache_file(&self) -> Option<PathBuf> {
        if std::env::var_os("COPYDESK_CACHE_DIR").is_some_and(|v| v == "off") {
            return None;
        }
        crate::inbox::cache::file_for(&self.inbox_dir, "index")
    }

    /// Opens the state file (and its journal); what was worked around is said on stderr.
    pub fn store(&self) -> Result<Store> {
        match self.store_or_unread() {
            (store, None) => Ok(store),
            (_, Some(e)) => Err(e.into()),
        }
    }

    /// The store for the screen: when the state file cannot be read, an unread store and why,
    /// so that the copy can still be read while nothing can be saved.
    pub fn store_or_unread(&self) -> (Store, Option<StateError>) {
        let cache = self.state_cache();
        match Store::open_with_cache(&self.state_path, cache.as_deref()) {
            Ok(mut store) => {
                warn_about(&mut store);
                (store, None)
            }
            Err(e) => (Store::unread(&self.state_path, cache.as_deref()), Some(e)),
        }
    }

    /// Where the state's compact copy is kept: beside the index cache.
    fn state_cache(&self) -> Option<PathBuf> {
        self.cache_file()
            .and_then(|f| f.parent().map(Path::to_path_buf))
    }
}

/// Prints the state's warnings (a save cut short by a crash, ignored) on stderr.
fn warn_about(store: &mut Store) {
    for w in store.take_warnings() {
        eprintln!("copydesk: warning: {}", sanitize::line(&w, true));
    }
}

/// A `COPYDESK_*` variable, where an empty value (`COPYDESK_INBOX=`, a script's empty
/// variable) counts as unset: none of them means anything empty.
pub fn env_value(name: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

/// Who is marking, and where the name came from (for messages): `--editor`, else
/// `$COPYDESK_EDITOR`, else the config's `editor`, else the login name. Only the flag is also
/// the editor filter of list, export and report: a name set once in the environment must not
/// hide the other editors' decisions.
fn who_marks(flag: Option<&str>, config: Option<&str>) -> (String, &'static str) {
    if let Some(name) = flag {
        return (name.to_string(), "--editor");
    }
    if let Some(name) = env_value("COPYDESK_EDITOR") {
        return (name.to_string_lossy().into_owned(), "$COPYDESK_EDITOR");
    }
    if let Some(name) = config {
        return (name.to_string(), "the config's 'editor'");
    }
    login_name().map_or_else(
        || ("unknown".to_string(), "nowhere"),
        |name| (name, "the login name ($USER)"),
    )
}

fn login_name() -> Option<String> {
    let from_env = ["USER", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.trim().is_empty()));
    from_env.or_else(account_name)
}

/// The name of the account this process runs as, from `/etc/passwd` (no `unsafe` getpwuid).
fn account_name() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)?.parse::<u32>().ok()? == uid).then(|| name.to_string())
    })
}
fn validate_editor(name: &str, from: &str) -> Result<()> {
    if name.trim().is_empty() || name.chars().any(char::is_control) || name.chars().count() > 64 {
        bail!(
            "editor name '{}' (from {from}) must be 1 to 64 printable characters; give one with \
             --editor NAME",
            sanitize::line(&sanitize::echo(name), true)
        );
    }
    Ok(())
}

/// Every command needs the inbox: says so before anything else is opened. A folder this
/// account may not list is the inbox's problem, not its state file's, which is opened first.
fn check_inbox(dir: &Path, positional: Option<&Path>) -> Result<()> {
    let opened = std::fs::metadata(dir).and_then(|m| match m.is_dir() {
        true => std::fs::read_dir(dir).map(|_| true),
        false => Ok(false),
    });
    match opened {
        Ok(true) => Ok(()),
        Ok(false) => bail!("inbox '{}' is not a folder", shown(dir)),
        Err(e) => {
            let hint = match e.kind() {
                io::ErrorKind::NotFound => not_a_command_hint(positional),
                _ => String::new(),
            };
            let why = crate::inbox::walk::io_reason(&e);
            bail!("inbox '{}' cannot be opened: {why}{hint}", shown(dir))
        }
    }
}

/// For a missing inbox named as the only word: it may be a mistyped command (`copydesk lsit`).
fn not_a_command_hint(positional: Option<&Path>) -> String {
    match positional.and_then(Path::to_str) {
        Some(word) if !word.contains('/') && !word.starts_with('.') => format!(
            " (nor is '{}' a command: list, show, mark, export, report, check; see --help)",
            sanitize::line(&sanitize::echo(word), true)
        ),
        _ => String::new(),
    }
}

/// Whether the locale promises UTF-8 output.
pub fn locale_is_utf8() -> bool {
    let var = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
    var.is_some_and(|v| {
        let v = v.to_ascii_lowercase();
        v.contains("utf-8") || v.contains("utf8")
    })
}

/// Runs a subcommand.
pub fn run(cli: &Cli, ctx: &Context) -> Result<ExitCode> {
    let Some(command) = cli
        .command
        .as_ref()
        .filter(|c| !matches!(c, Command::Open(_)))
    else {
        // The screen must not hold the stdout lock: the signal thread needs it to restore the
        // terminal on SIGTERM/SIGHUP.
        return crate::tui::run(ctx);
    };
    let stdout = io::stdout();
    // A terminal sees each line as it comes; a pipe or a file gets 64 KiB writes instead of
    // one write per line (a million system calls for a JSON list of 100,000 articles).
    let mut out: Box<dyn Write> = if stdout.is_terminal() {
        Box::new(Named(stdout.lock()))
    } else {
        Box::new(io::BufWriter::with_capacity(1 << 16, Named(stdout.lock())))
    };
    let out = &mut *out;
    let code = match command {
        Command::List(args) => list(ctx, args, out)?,
        Command::Show(args) => show(ctx, args, out)?,
        Command::Mark(args) => mark(ctx, args, out)?,
        Command::Check(args) => check(ctx, args, out)?,
        Command::Export(args) => crate::export::run(ctx, args, out)?,
        Command::Report(args) => crate::report::run(ctx, args, out)?,
        Command::Open(_) => crate::tui::run(ctx)?,
    };
    out.flush()?;
    Ok(code)
}

/// Standard output, whose write errors say it was standard output that failed
/// (`copydesk list > /dev/full`), keeping their kind (a closed pipe is not an error).
struct Named<W>(W);

impl<W: Write> Named<W> {
    fn named(e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("cannot write to standard output: {e}"))
    }
}

impl<W: Write> Write for Named<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(Self::named)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(Self::named)
    }
}

/// The rows of the articles that pass a filter, newest first: what list, export and report show.
pub fn filtered_rows(inbox: &Inbox, store: &Store, filter: &Filter, zone: Zone) -> Vec<Row> {
    inbox
        .articles
        .iter()
        .filter(|a| filter.matches(a, &store.state, zone))
        .map(|a| Row::new(a, &store.state))
        .collect()
}

fn list(ctx: &Context, args: &ListArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let filter = args
        .filters
        .with_editor(ctx.editor_filter.clone())
        .build(ctx.today())
        .map_err(|e| anyhow!(e))?;
    let mut store = ctx.store()?;
    let inbox = ctx.scan_for(&mut store.state)?;
    let rows = filtered_rows(&inbox, &store, &filter, ctx.zone);
    match args.format {
        ListFormat::Json => listing::write_json(&rows, out)?,
        ListFormat::Csv => listing::write_csv(&rows, out)?,
        ListFormat::Table => {
            // On a terminal, lines fit its width; a terminal that reports none still gets the
            // terminal layout (someone is reading it), at $COLUMNS or 80.
            let width = io::stdout().is_terminal().then(|| {
                let reported = crossterm::terminal::size().ok().map(|(w, _)| w);
                listing::terminal_width(reported, std::env::var("COLUMNS").ok().as_deref())
            });
            listing::write_table(&rows, ctx.zone, width, ctx.ascii, out)?;
        }
    }
    if let Some(line) = unreadable_summary(&inbox) {
        eprintln!("copydesk: {line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// One line for stderr when files gave no article at all, as the screen counts them: the list
/// is silent about them otherwise, and `check` names each.
fn unreadable_summary(inbox: &Inbox) -> Option<String> {
    match inbox.problems.iter().filter(|p| p.unreadable).count() {
        0 => None,
        1 => Some("1 file could not be read; copydesk check names it".into()),
        n => Some(format!(
            "{n} files could not be read; copydesk check lists them"
        )),
    }
}

/// Finds an article by id, or says which id is unknown.
pub fn find<'a>(inbox: &'a Inbox, id: &str) -> Result<&'a Article> {
    inbox.get(id).ok_or_else(|| {
        anyhow!(
            // Shown through sanitize::line where it is printed, as every error is.
            "no article with id '{}' in inbox '{}'",
            sanitize::echo(id),
            shown(&inbox.root)
        )
    })
}

fn show(ctx: &Context, args: &ShowArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let mut store = ctx.store()?;
    let inbox = ctx.scan_for(&mut store.state)?;
    let a = find(&inbox, &args.id)?;
    let body = inbox
        .load_body(a)
        .map_err(|e| anyhow!("article '{}': {e}", sanitize::echo(&a.id)))?;
    let clean = |s: &str| sanitize::line(s, ctx.ascii);
    writeln!(out, "{}", clean(&a.title))?;
    writeln!(out, "id:       {}", clean(&a.id))?;
    match a.time_known() {
        true => writeln!(
            out,
            "date:     {} ({})",
            crate::time::rfc3339(&a.date),
            a.date_source
        )?,
        false => writeln!(
            out,
            "date:     {} ({}: the day only)",
            a.date.date_naive(),
            a.date_source
        )?,
    }
    let declared = a.declared_lang.as_deref().unwrap_or("none");
    writeln!(
        out,
        "language: {} (declared {declared}, detected {} at {:.2})",
        a.lang,
        a.detected_lang,
        a.lang_confidence()
    )?;
    writeln!(out, "format:   {}", a.format)?;
    if let Some(s) = &a.source {
        writeln!(out, "source:   {}", clean(s))?;
    }
    if let Some(u) = &a.url {
        writeln!(out, "url:      {}", clean(u))?;
    }
    if let Some(t) = a.translation_of() {
        writeln!(out, "translation of: {}", clean(t))?;
    }
    match store.state.entry_for(a) {
        Some(e) => {
            let decided = e.decided();
            if decided {
                writeln!(
                    out,
                    "status:   {} by {} at {}",
                    e.status,
                    clean(&e.editor),
                    crate::time::rfc3339(&e.marked_at)
                )?;
                if let Some(when) = e.file_written_since(body.modified) {
                    let when = crate::time::rfc3339(&when.fixed_offset());
                    writeln!(
                        out,
                        "changed:  its file was written again at {when}, after this decision"
                    )?;
                }
            } else {
                writeln!(out, "status:   untriaged")?;
            }
            // Who wrote the note, when it was not the decision.
            let by = match (decided, e.note_by(), e.note_at()) {
                (false, _, _) => Some(e.note_author()),
                (true, Some(by), Some(at)) => Some((by, at)),
                _ => None,
            };
            match (e.note(), by) {
                (Some(n), Some((by, at))) => writeln!(
                    out,
                    "note:     {} (by {} at {})",
                    clean(n),
                    clean(by),
                    crate::time::rfc3339(&at)
                )?,
                (Some(n), None) => writeln!(out, "note:     {}", clean(n))?,
                (None, _) => {}
            }
        }
        None => writeln!(out, "status:   untriaged")?,
    }
    // A decision under this id made on another file: not this article's, but worth knowing.
    if let Some(e) = store
        .state
        .articles
        .get(&*a.id)
        .filter(|e| !e.applies_to(a))
    {
        writeln!(
            out,
            "elsewhere: {} by {} at {}, made on {} (not this file)",
            e.status,
            clean(&e.editor),
            crate::time::rfc3339(&e.marked_at),
            clean(e.file.as_deref().unwrap_or_default())
        )?;
    }
    for s in a.signals() {
        writeln!(
            out,
            "signal:   {}: {}",
            s.kind,
            clean(&s.explain(ctx.ascii))
        )?;
    }
    for w in a.warnings() {
        writeln!(out, "warning:  {}", clean(w))?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        sanitize::for_terminal(&body.text, ctx.ascii, true)
    )?;
    if let Some(d) = &body.cleaned.disclaimer {
        writeln!(out, "\n[machine-translation disclaimer] {}", clean(&d.text))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn mark(ctx: &Context, args: &MarkArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let status: Option<Status> = args
        .status
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|e: String| anyhow!(e))?;
    let note = match args.note.as_deref() {
        None => NoteChange::Keep,
        Some(n) if n.trim().is_empty() => NoteChange::Clear,
        Some(n) => NoteChange::Set(n.to_string()),
    };
    let mut store = ctx.store()?;
    let inbox = ctx.scan_for(&mut store.state)?;
    // Every id is checked before anything is written.
    let mut found = HashMap::new();
    for id in &args.ids {
        let a = find(&inbox, id)?;
        let file = a.location.rel_path.to_string_lossy().into_owned();
        let record = crate::state::file_to_record(a, store.state.articles.get(id)).is_some();
        let elsewhere = store.state.decided_elsewhere(a).map(str::to_string);
        found.insert(id, (file, record, store.state.status_for(a), elsewhere));
    }
    let mut ids: Vec<&String> = Vec::new();
    for id in &args.ids {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    // `--as` decides (again, when the status stays); `--note` alone is a note on whatever
    // decision there is, which stays its editor's.
    let changes: Vec<Change> = ids
        .iter()
        .map(|id| {
            let (file, record, seen, _) = &found[id];
            let change = match status {
                Some(status) => Change::decision(id.as_str(), status, note.clone()),
                None => Change::note(id.as_str(), *seen, note.clone()),
            };
            let change = match record {
                true => change.on_file(file.clone()),
                false => change,
            };
            change.moved_from(store.state.moved.get(id.as_str()).map(|f| &**f))
        })
        .collect();
    let skipped = store
        .apply(&changes, &ctx.editor, ctx.now())
        .context("marks not saved")?;
    warn_about(&mut store);
    let done = changes.len() - skipped.len();
    let plural = if done == 1 { "" } else { "s" };
    match status {
        Some(status) => writeln!(
            out,
            "marked {done} article{plural} {status} as {}",
            ctx.editor
        )?,
        None => writeln!(out, "noted {done} article{plural} as {}", ctx.editor)?,
    }
    for id in skipped {
        let elsewhere = found
            .get(&id)
            .and_then(|(_, _, _, made_on)| made_on.as_deref());
        let why = match elsewhere {
            Some(made_on) => format!(
                "its id holds a decision made on {made_on}, not on this article: decide it first (--as)"
            ),
            None => match (status, &note) {
                (Some(s), _) => format!("already {s}, nothing to change"),
                (None, NoteChange::Set(_)) => "the note is already that".to_string(),
                (None, _) => "no note to clear".to_string(),
            },
        };
        writeln!(
            out,
            "{}: {}",
            sanitize::line(&id, ctx.ascii),
            sanitize::line(&why, ctx.ascii)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What `check` says about ids: files whose id another file uses too, and decisions under an
/// id that were made on another file than the one the id names now.
fn id_clashes(inbox: &Inbox, state: Option<&crate::state::State>) -> Vec<String> {
    let mut out = Vec::new();
    for a in &inbox.articles {
        let path = a.location.rel_path.display();
        for w in a.warnings().iter().filter(|w| twins::is_twin_warning(w)) {
            out.push(format!("{path}: {w}"));
        }
        let entry = state.and_then(|s| s.articles.get(&*a.id));
        if let Some(e) = entry.filter(|e| !e.applies_to(a)) {
            out.push(format!(
                "{path}: '{}' shows untriaged: the decision under its id ({} by {}) was made on {}",
                a.id,
                e.status,
                e.editor,
                e.file.as_deref().unwrap_or_default()
            ));
        }
    }
    // Decisions left behind when their article's id changed (a twin file came or went).
    let Some(state) = state else {
        return out;
    };
    for (id, from) in &state.moved {
        if let Some(e) = state.articles.get(id) {
            out.push(format!(
                "{}: the decision under '{id}' ({} by {}) was made on {from}, which is gone: it follows its id here",
                e.file.as_deref().unwrap_or_default(),
                e.status,
                e.editor
            ));
        }
    }
    let by_id: HashMap<&str, &Article> = inbox.articles.iter().map(|a| (&*a.id, a)).collect();
    let mut by_file: HashMap<String, Vec<&Article>> = HashMap::new();
    for a in &inbox.articles {
        let file = a.location.rel_path.to_string_lossy().into_owned();
        by_file.entry(file).or_default().push(a);
    }
    for (id, e) in &state.articles {
        let Some(file) = e.file.as_deref() else {
            continue;
        };
        if by_id.get(id.as_str()).is_some_and(|a| e.applies_to(a)) {
            continue;
        }
        // Only the twins of the id: a feed's other items are other articles.
        let twins = by_file.get(file).into_iter().flatten();
        for a in twins.filter(|a| twin_base(&a.id) == twin_base(id)) {
            out.push(format!(
                "{file}: its article is now '{}' and shows untriaged; the decision made on it is under '{id}' ({} by {})",
                a.id, e.status, e.editor
            ));
        }
    }
    out
}

fn check(ctx: &Context, args: &CheckArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let index = ctx.index()?;
    if let Some(note) = &index.cache_note {
        writeln!(out, "note: {}", sanitize::line(note, ctx.ascii))?;
    }
    let mut inbox = index.into_inbox();
    let (mut store, state_problem) = match Store::open(&ctx.state_path) {
        Ok(store) => (Some(store), None),
        Err(e) => (None, Some(e)),
    };
    if let Some(store) = &mut store {
        twins::settle_owned_twins(&mut inbox.articles, &mut store.state);
    }
    for p in &inbox.problems {
        let verdict = if p.unreadable {
            "not read"
        } else {
            "read with problems"
        };
        writeln!(
            out,
            "{}: {verdict}: {}",
            sanitize::line(&p.path.to_string_lossy(), ctx.ascii),
            sanitize::line(&p.message, ctx.ascii)
        )?;
    }
    if let Some(e) = &state_problem {
        writeln!(out, "{}", sanitize::line(&e.to_string(), ctx.ascii))?;
    }
    for line in id_clashes(&inbox, store.as_ref().map(|s| &s.state)) {
        writeln!(out, "{}", sanitize::line(&line, ctx.ascii))?;
    }
    let unreadable = inbox.problems.iter().filter(|p| p.unreadable).count();
    let state = match state_problem {
        Some(_) => {
            "; the state file cannot be read (above): list, mark, export and report refuse to use it, and the screen opens read-only, until it is repaired"
        }
        None => "",
    };
    let (articles, files) = (inbox.articles.len(), inbox.problems.len());
    writeln!(
        out,
        "{articles} article{} listed; {files} file{} with problems ({unreadable} not read at all){state}",
        if articles == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" },
    )?;
    let problems = !inbox.problems.is_empty() || state_problem.is_some();
    Ok(if args.strict && problems {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The path as given, for messages (cut when long).
pub fn shown(path: &Path) -> String {
    sanitize::line(&sanitize::echo_path(path), true)
}
