//! The triage screen: a small Elm loop. Draw, read one event, turn it into an action through
//! the keymap, `update` the app, run the effects it returns (save, load, search, export).

pub mod action;
pub mod app;
pub mod index;
pub mod keymap;
pub mod line_edit;
pub mod scanner;

use std::collections::VecDeque;
use std::fs;
use std::io::{self, IsTerminal};
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, mpsc};

use rayon::prelude::*;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind};
use ratatui::DefaultTerminal;

use self::app::{App, Effect, Options, Saved};
use self::keymap::Keymap;
use self::scanner::ScanEvent;
use crate::cli::ExportFormat;
use crate::commands::Context;
use crate::inbox::index::Progress;
use crate::inbox::{self, Article};
use crate::listing::Row;
use crate::state::store::Replace;
use crate::state::{DiskStamp, StateError, Store};

/// How often the screen looks for other editors' saves (a stat of the state file).
const TICK: Duration = Duration::from_millis(250);

/// How often the screen takes in the articles of a running first index.
const SCAN_TICK: Duration = Duration::from_millis(50);

/// Opens the triage screen on the context's inbox.
pub fn run(ctx: &Context) -> Result<ExitCode> {
    // Everything that can fail cleanly fails before the terminal is taken over.
    let keymap = Keymap::new(&ctx.config.keys).map_err(|e| anyhow!("config: {e}"))?;
    // A state file that cannot be read leaves the copy readable: the screen opens, says why
    // on every frame, refuses marks, and takes the decisions in once the file is mended.
    let (store, unreadable) = ctx.store_or_unread();
    crate::inbox::index::check_folder(&ctx.inbox_dir)?;
    let scanner = scanner::start(&ctx.inbox_dir, ctx.scan_options(), ctx.cache_file());
    let saving = Arc::new(Mutex::new(()));
    watch_signals(Arc::clone(&saving))?;
    let mut terminal = take_terminal()?;
    let size = terminal
        .size()
        .map(|s| (s.width, s.height))
        .unwrap_or((80, 24));
    let mut store = store;
    // The state lives in one place: in the app, lent to the store for each save and reload.
    let state = std::mem::take(&mut store.state);
    let mut app = App::new(Vec::new(), state, keymap, options(ctx), size);
    app.scan_started();
    let (found_tx, found_rx) = mpsc::channel();
    let read_only = store.check_writable().err().map(|e| e.to_string());
    let mut session = Session {
        store,
        root: &ctx.inbox_dir,
        ctx,
        saving,
        scanner,
        found_tx,
        found_rx,
        unreadable_as: None,
    };
    // Why marks will be refused, said at once and short enough for 80 columns.
    if let Some(why) = read_only {
        app.opened_read_only(session.short(&why));
    }
    if let Some(e) = unreadable {
        app.state_unreadable(session.short(&problem_of(&e)));
    }
    let result = session.event_loop(&mut terminal, &mut app);
    give_back_terminal();
    result.map(|()| ExitCode::SUCCESS)
}

/// The terminal, in raw mode on the alternate screen; a clear error where there is none
/// (a cron job, `ssh host copydesk` without `-t`, output into a pipe).
fn take_terminal() -> Result<DefaultTerminal> {
    const NEEDS: &str =
        "the triage screen needs a terminal (for scripts: copydesk list, export or mark)";
    if !io::stdout().is_terminal() {
        bail!("{NEEDS}: standard output is not one");
    }
    let terminal = ratatui::try_init().map_err(|e| {
        ratatui::restore();
        anyhow!("{NEEDS}: {e}")
    })?;
    // A paste comes as one event: its line breaks are not Enter, its letters not keys.
    if let Err(e) = crossterm::execute!(io::stdout(), EnableBracketedPaste) {
        give_back_terminal();
        bail!("{NEEDS}: {e}");
    }
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste);
        hook(info);
    }));
    Ok(terminal)
}

/// The terminal as it was: bracketed paste off, cooked mode, the main screen.
fn give_back_terminal() {
    let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste);
    ratatui::restore();
}

/// On SIGTERM, SIGINT or SIGHUP (the SSH connection dropped) the screen ends at once: every mark is
/// already on disk, and a save in progress is let finish first (the `saving` lock). Handled on
/// a thread because a terminal that has gone away can keep the main thread inside its read.
fn watch_signals(saving: Arc<Mutex<()>>) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    // SIGINT too: C-c is a key in raw mode, but `kill -INT` from outside is not.
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])
        .context("cannot watch for SIGTERM/SIGHUP/SIGINT")?;
    let on_signal = Arc::clone(&saving);
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            end_screen(&on_signal, signal);
        }
    });
    watch_terminal(saving);
    Ok(())
}

/// A terminal that goes away without a SIGHUP reaching copydesk (the screen started through
/// `runuser` or `setsid`, whose session the hang-up does not signal) leaves crossterm reading
/// end-of-file in a loop inside `event::poll`, at a whole core, for good (crossterm issue
/// 793). A thread looks every second: once the terminal is gone twice running, the screen
/// ends as on a SIGHUP.
fn watch_terminal(saving: Arc<Mutex<()>>) {
    std::thread::spawn(move || {
        let mut gone = 0;
        loop {
            std::thread::sleep(Duration::from_secs(1));
            gone = match terminal_gone() {
                false => 0,
                true => gone + 1,
            };
            if gone == 2 {
                end_screen(&saving, signal_hook::consts::SIGHUP);
            }
        }
    });
}

/// Whether the terminal the screen draws on has hung up. Not by its size: crossterm falls back
/// to `tput`, which answers 80x24 for a terminal that is gone.
fn terminal_gone() -> bool {
    // A hung-up terminal answers every request with an error: no longer a terminal.
    !io::stdout().is_terminal()
}

/// Ends the process once a save in progress is done (every mark is on disk by then), the
/// terminal given back as far as it still can be; the exit status says which signal.
fn end_screen(saving: &Mutex<()>, signal: i32) -> ! {
    let _no_save_in_flight = saving.lock();
    give_back_terminal();
    std::process::exit(128 + signal)
}

fn options(ctx: &Context) -> Options {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Options {
        editor: ctx.editor.clone(),
        zone: ctx.zone,
        today: ctx.today(),
        ascii: ctx.ascii,
        bidi: ctx.bidi,
        color: !no_color,
        after_mark: ctx.config.after_mark.unwrap_or_default(),
        export_format: ctx
            .config
            .export_format
            .as_deref()
            .and_then(ExportFormat::from_name)
            .unwrap_or(ExportFormat::Csv),
        // Exports go to the editor's home, never into the inbox where they would be listed.
        export_dir: ctx.config.export_dir.as_ref().map_or_else(
            || std::env::var("HOME").unwrap_or_else(|_| "/tmp".into()),
            |d| d.display().to_string(),
        ),
    }
}

/// What the event loop works with besides the app.
struct Session<'a> {
    store: Store,
    root: &'a Path,
    ctx: &'a Context,
    saving: Arc<Mutex<()>>,
    scanner: scanner::Scanner,
    /// Search results from the search thread.
    found_tx: mpsc::Sender<(String, Vec<String>)>,
    found_rx: mpsc::Receiver<(String, Vec<String>)>,
    /// The state files as they were when they could not be read.
    unreadable_as: Option<DiskStamp>,
}

impl Session<'_> {
    fn event_loop(&mut self, terminal: &mut DefaultTerminal, app: &mut App) -> Result<()> {
        let mut effects: VecDeque<Effect> = app.start().into();
        let mut dirty = true;
        loop {
            // A save about to wait for another's lock says so first: the screen would look
            // frozen until the lock is free or the wait ends (helper 29: 10 s, without a word).
            let saving = effects.iter().any(|e| matches!(e, Effect::Save { .. }));
            if saving && self.store.someone_is_saving() {
                app.note("saving: waiting for another editor's save to end ...".into());
                terminal.draw(|frame| crate::ui::draw(frame, app))?;
            }
            if self.run_effects(app, &mut effects) {
                return Ok(());
            }
            if self.scan_events(app, &mut effects) {
                dirty = true;
                continue;
            }
            if dirty {
                terminal.draw(|frame| crate::ui::draw(frame, app))?;
                dirty = false;
            }
            let wait = if app.scan.is_some() { SCAN_TICK } else { TICK };
            if event::poll(wait)? {
                dirty = true;
                match event::read()? {
                    Event::Key(key) if key.kind != KeyEventKind::Release => {
                        effects.extend(app.handle_key(key))
                    }
                    Event::Paste(text) => effects.extend(app.handle_paste(&text)),
                    Event::Resize(w, h) => app.resize(w, h),
                    _ => {}
                }
            } else {
                // A terminal gone without a SIGHUP is `watch_terminal`'s: poll never returns.
                dirty |= self.reload(app, &mut effects);
            }
        }
    }

    /// Between keys: takes in other editors' saves, and a state file mended or set aside.
    /// An unreadable state is read again only once its files change. Returns whether the
    /// screen changed.
    fn reload(&mut self, app: &mut App, effects: &mut VecDeque<Effect>) -> bool {
        let disk = self.store.disk_stamp();
        if app.state_problem.is_some() && self.unreadable_as == Some(disk) {
            return false;
        }
        std::mem::swap(&mut self.store.state, &mut app.state);
        let reloaded = self.store.reload_if_changed();
        if matches!(reloaded, Ok(true)) {
            effects.extend(app.state_reloaded(std::mem::take(&mut self.store.state)));
        } else {
            std::mem::swap(&mut self.store.state, &mut app.state);
        }
        match reloaded {
            Ok(true) => {
                self.unreadable_as = None;
                true
            }
            Ok(false) if app.state_problem.is_some() => {
                // Moved aside: no file is an empty state, which the unread store holds.
                self.unreadable_as = None;
                app.state_readable();
                true
            }
            Ok(false) => false,
            Err(e) => {
                self.unreadable_as = Some(disk);
                let problem = self.short(&problem_of(&e));
                let new = app.state_problem.as_ref() != Some(&problem);
                if new {
                    app.state_unreadable(problem);
                }
                new
            }
        }
    }

    /// Takes in what the scanner sent since the last look; returns whether anything came.
    /// Batches that queued up are shown together.
    fn scan_events(&mut self, app: &mut App, effects: &mut VecDeque<Effect>) -> bool {
        let found: Vec<(String, Vec<String>)> = self.found_rx.try_iter().collect();
        let mut any = !found.is_empty();
        for (query, ids) in found {
            effects.extend(app.search_done(query, ids));
        }
        let events: Vec<ScanEvent> = self.scanner.events.try_iter().collect();
        any |= !events.is_empty();
        let mut batch: Option<(Progress, Vec<Arc<Article>>)> = None;
        for event in events {
            if let ScanEvent::Batch(progress, articles) = event {
                let pending = batch.get_or_insert_with(Default::default);
                pending.0 = progress;
                pending.1.extend(articles);
                continue;
            }
            if let Some((progress, articles)) = batch.take() {
                effects.extend(app.scan_batch(progress, articles));
            }
            match event {
                ScanEvent::Batch(..) => {}
                ScanEvent::Progress(progress) => app.scan_progress(progress),
                ScanEvent::Inbox {
                    articles,
                    changed,
                    unreadable,
                } => {
                    app.unreadable = unreadable;
                    effects.extend(app.inbox_loaded(articles, changed.as_deref()));
                }
                ScanEvent::Unchanged { unreadable } => {
                    app.scan = None;
                    app.unreadable = unreadable;
                }
                ScanEvent::Note(note) => app.note(note),
                ScanEvent::Failed(problem) => app.scan_failed(problem),
            }
        }
        if let Some((progress, articles)) = batch {
            effects.extend(app.scan_batch(progress, articles));
        }
        any
    }

    /// Searches the visible articles' titles and bodies on a thread: bodies are read from
    /// disk, which at 100,000 articles takes seconds. The result comes back through
    /// [`Session::scan_events`].
    fn search_in_background(&mut self, app: &mut App, query: String) {
        let targets: Vec<Arc<Article>> = app.visible_shared().collect();
        app.note(format!(
            "searching {} articles for '{query}' ...",
            targets.len()
        ));
        let root = self.root.to_path_buf();
        let tx = self.found_tx.clone();
        std::thread::spawn(move || {
            let ids = search(targets.par_iter().map(|a| &**a), &root, &query);
            let _ = tx.send((query, ids));
        });
    }

    /// Runs queued effects; returns true to quit.
    fn run_effects(&mut self, app: &mut App, queue: &mut VecDeque<Effect>) -> bool {
        while let Some(effect) = queue.pop_front() {
            match effect {
                Effect::Quit => return true,
                Effect::Save {
                    changes,
                    kind,
                    inverse,
                } => {
                    let result = self.save(app, &changes);
                    queue.extend(app.saved(result, &changes, kind, inverse));
                }
                Effect::LoadBody { id, location } => {
                    let body = inbox::load_body(self.root, &location);
                    app.body_loaded(&id, body);
                }
                Effect::Search { query } => self.search_in_background(app, query),
                Effect::Export {
                    path,
                    format,
                    overwrite,
                } => {
                    let home = std::env::var("HOME").ok();
                    let target = ExportTarget {
                        state_path: &self.ctx.state_path,
                        home: home.as_deref(),
                    };
                    queue.extend(export_listed(app, path, format, overwrite, &target));
                }
            }
        }
        false
    }

    /// A message with the state file's full path shortened to its name, to fit the status line.
    fn short(&self, message: &str) -> String {
        let mut message = message.to_string();
        for path in [self.store.path().to_path_buf(), self.store.journal_path()] {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            message = message.replace(&path.display().to_string(), &name);
        }
        message
    }

    /// Saves through the store, lending it the app's state (no copy of it per mark: at
    /// 100,000 decisions a copy costs more than a frame). The state comes back with the
    /// result, or, on failure, goes back to the app as it was.
    fn save(&mut self, app: &mut App, changes: &[crate::state::Change]) -> Result<Saved, String> {
        let _saving = self
            .saving
            .lock()
            .map_err(|_| "internal error: save lock poisoned".to_string())?;
        std::mem::swap(&mut self.store.state, &mut app.state);
        let before = self.store.outside_changes();
        let result = self
            .store
            .apply_replacing(changes, &self.ctx.editor, self.ctx.now());
        let state = std::mem::take(&mut self.store.state);
        match result {
            Ok(applied) => Ok(Saved {
                state,
                skipped: applied.skipped,
                outside: self.store.outside_changes() != before,
                replaced: applied.replaced,
            }),
            Err(e) => {
                app.state = state;
                Err(self.short(&e.to_string()))
            }
        }
    }
}

/// Ids of the articles whose id, title or text contains `query` (case-insensitive), in the
/// order given. Bodies are read in parallel, only for articles whose id and title do not match.
pub fn search<'a>(
    articles: impl ParallelIterator<Item = &'a Article>,
    root: &Path,
    query: &str,
) -> Vec<String> {
    let needle = query.to_lowercase();
    articles
        .filter(|a| {
            a.id.to_lowercase().contains(&needle)
                || a.title.to_lowercase().contains(&needle)
                || inbox::load_body(root, &a.location)
                    .is_ok_and(|b| b.text.to_lowercase().contains(&needle))
        })
        .map(|a| a.id.to_string())
        .collect()
}

/// What the status line says of a state file that cannot be read: the problem, without the
/// command line's reassurance that it was left untouched (nothing is written while it lasts).
fn problem_of(e: &StateError) -> String {
    let StateError::Corrupt {
        path,
        line,
        message,
    } = e
    else {
        return e.to_string();
    };
    let what = if path.to_string_lossy().ends_with(".journal.toml") {
        "state journal"
    } else {
        "state file"
    };
    match line {
        Some(line) => format!("{what} '{}', line {line}: {message}", path.display()),
        None => format!("{what} '{}': {message}", path.display()),
    }
}

/// `~` or `~/...` typed in the export prompt, with the home folder the shell would put there;
/// any other path as typed.
fn expand_home(path: &str, home: Option<&str>) -> String {
    match (path.strip_prefix('~'), home.filter(|h| !h.is_empty())) {
        (Some(""), Some(home)) => home.to_string(),
        (Some(rest), Some(home)) if rest.starts_with('/') => format!("{home}{rest}"),
        _ => path.to_string(),
    }
}

/// Where the screen's exports may not go, and what `~` means there.
struct ExportTarget<'a> {
    state_path: &'a Path,
    home: Option<&'a str>,
}

/// Writes the listed articles to `path` (`~` being `home`, a relative path being in the
/// export folder the prompt offered), or, when a file is there and `overwrite` was not
/// answered yet, asks first. A folder is refused at once.
fn export_listed(
    app: &mut App,
    path: String,
    format: ExportFormat,
    overwrite: bool,
    to: &ExportTarget<'_>,
) -> Vec<Effect> {
    let expanded = expand_home(&path, to.home);
    let target = Path::new(&app.options.export_dir)
        .join(&expanded)
        .display()
        .to_string();
    if Path::new(&target).is_dir() {
        app.exported(Err(format!("{target} is a folder: give a file name")));
        return Vec::new();
    }
    if let Err(e) = crate::export::check_target(Path::new(&target), to.state_path) {
        app.exported(Err(format!("{e:#}")));
        return Vec::new();
    }
    if !overwrite && fs::symlink_metadata(&target).is_ok() {
        return app.export_exists(path, format);
    }
    let rows: Vec<Row> = app.visible().map(|a| Row::new(a, &app.state)).collect();
    let replace = if overwrite { Replace::Yes } else { Replace::No };
    let result = export(&rows, format, &target, replace).map(|()| (target, rows.len()));
    app.exported(result);
    Vec::new()
}

fn export(rows: &[Row], format: ExportFormat, path: &str, replace: Replace) -> Result<(), String> {
    let mut bytes = Vec::new();
    crate::export::export_rows(format, rows, &mut bytes).map_err(|e: io::Error| e.to_string())?;
    crate::export::save_to(Path::new(path), &bytes, replace).map_err(|e| format!("{e:#}"))
}

#[cfg(test)]
pub(crate) mod tests;
