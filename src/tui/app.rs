//! The screen's state and `update`: actions in, state changes and effects out. No terminal, no
//! files: everything here is testable without either.

mod pair;

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

mod live;

use super::action::Action;
use super::index::Index;
use super::keymap::{Ctx, Keymap};
use super::line_edit::LineEdit;
use crate::cli::ExportFormat;
use crate::config::AfterMark;
use crate::inbox::{Article, Body, Location};
use crate::state::twins;
use crate::state::{Change, ChangeKind, Entry, Expect, NoteChange, State, Status};
use crate::time::Zone;
use crate::ui::layout::{self, Panes};
use crate::ui::reader::{self, ReaderLine};

pub use self::pair::Pair;

/// Which pane has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Reader,
}

/// The date part of the screen filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayFilter {
    All,
    Day(NaiveDate),
}

/// What the list shows: combinable status, language, day and signal filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenFilter {
    pub status: Option<Status>,
    pub lang: Option<String>,
    pub day: DayFilter,
    pub signals_only: bool,
}

impl Default for ScreenFilter {
    fn default() -> Self {
        Self {
            status: None,
            lang: None,
            day: DayFilter::All,
            signals_only: false,
        }
    }
}

/// List order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Date,
    /// Suspects first: more and stronger signals first, then newest.
    Signals,
    Lang,
    Status,
}

/// A line being typed at the bottom of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    Note {
        ids: Vec<String>,
        /// Each article's note when the prompt opened ("" for none).
        seen: Vec<String>,
    },
    Search,
    Export,
    /// A y/n question, shown in the status line until it is answered.
    Confirm {
        question: String,
        on_yes: Confirmed,
    },
}

/// What a "y" to a confirmation does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    /// Marks several articles at once, each with the decision it had when the question was
    /// asked: a "y" leaves out those decided since, or gone from the inbox.
    Marks(Vec<(Change, Option<Expect>)>),
    /// Writes the export over a file that exists.
    Overwrite { path: String, format: ExportFormat },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: LineEdit,
}

/// How loud a status-line message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// The state of an article before a change, to undo it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prior {
    pub id: String,
    pub status: Status,
    /// The note to put back: `Keep` when the change left the note alone (an undo of a mark
    /// must not read as a note).
    pub note: NoteChange,
    /// The note the save left ("" for none): a note found instead when undoing was written
    /// since by someone else, and is kept.
    pub note_written: Option<String>,
    /// The file of the article changed: the undo is made on it.
    pub file: Option<String>,
    /// The change was a note alone: so is its undo, which never touches the decision.
    pub note_only: bool,
    /// The decision the change being undone made: undo only while it is still the current one.
    pub after: Option<Expect>,
    /// Who wrote the note put back, and when: it stays theirs.
    pub note_author: Option<(String, DateTime<FixedOffset>)>,
}

/// A save's result: the state after it, the changes that did not apply, and whether the
/// store took in other editors' changes first (then the whole state is looked at again).
#[derive(Debug, Clone)]
pub struct Saved {
    pub state: State,
    pub skipped: Vec<String>,
    pub outside: bool,
    /// What each applied change replaced, as the store had it: with `outside`, what an undo
    /// puts back (the screen had not seen the others' changes when it asked for the save).
    pub replaced: Vec<(String, Option<Entry>)>,
}

/// Why a save was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveKind {
    Mark,
    Undo,
    Redo,
}

/// Work for the event loop: everything that touches files.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Save changes durably, then report back with `saved`.
    Save {
        changes: Vec<Change>,
        kind: SaveKind,
        inverse: Vec<Prior>,
    },
    /// Read an article's body, then report back with `body_loaded`.
    LoadBody {
        id: String,
        location: Location,
    },
    /// Search titles and bodies, then report back with `search_done`.
    Search {
        query: String,
    },
    /// Write the filtered list, then report back with `exported`. Unless `overwrite`, a
    /// file already at `path` is left alone and reported back with `export_exists`.
    Export {
        path: String,
        format: ExportFormat,
        overwrite: bool,
    },
    Quit,
}

/// The reader pane.
#[derive(Debug, Clone, Default)]
pub struct Reader {
    pub id: Option<String>,
    pub body: Option<Result<Body, String>>,
    pub lines: Vec<ReaderLine>,
    pub scroll: usize,
}

/// Display options fixed at start.
#[derive(Debug, Clone)]
pub struct Options {
    pub editor: String,
    pub zone: Zone,
    pub today: NaiveDate,
    pub ascii: bool,
    pub bidi: bool,
    pub color: bool,
    pub after_mark: AfterMark,
    pub export_format: ExportFormat,
    pub export_dir: String,
}

impl Options {
    /// Options for `editor` in `zone` on `today`, everything else at its default: Unicode,
    /// bidi, colour, the default after-mark move, CSV exports into the current folder.
    pub fn new(editor: &str, zone: Zone, today: NaiveDate) -> Self {
        Self {
            editor: editor.to_string(),
            zone,
            today,
            ascii: false,
            bidi: true,
            color: true,
            after_mark: AfterMark::default(),
            export_format: ExportFormat::Csv,
            export_dir: ".".into(),
        }
    }
}

/// A note typed but not saved.
#[derive(Debug, Clone, PartialEq)]
struct UnsavedNote {
    text: String,
    /// The articles it was written for; `None` when they went away (any article takes it).
    ids: Option<Vec<String>>,
}

/// The whole screen.
pub struct App {
    /// Shared with the scanner's index: one copy of each article in memory.
    pub articles: Vec<Arc<Article>>,
    pub state: State,
    /// Indices into `articles`, filtered and sorted.
    pub view: Vec<usize>,
    /// Position in `view`.
    pub cursor: usize,
    /// First visible row of the list.
    pub offset: usize,
    pub focus: Focus,
    pub zoom: bool,
    pub filter: ScreenFilter,
    pub sort: SortKey,
    pub selection: BTreeSet<String>,
    pub search: Option<(String, Vec<String>)>,
    pub prompt: Option<Prompt>,
    /// The help overlay, when open, and how far it is scrolled.
    pub help: Option<usize>,
    pub message: Option<(String, Level)>,
    /// What the last failed save was and why. Unlike `message` it outlasts the next key: an
    /// editor who looked away must still learn that a mark was not kept. Esc ends it, or a
    /// later save of the same articles.
    pub save_failed: Option<String>,
    /// The articles of the failed save.
    failed_ids: Vec<String>,
    /// A problem that lasts until it is solved (the inbox cannot be read), always shown.
    pub alert: Option<String>,
    /// Files in the inbox that gave no article (`copydesk check` lists them).
    pub unreadable: usize,
    /// Why the state file cannot be read: until it can, the screen is read-only and says why.
    pub state_problem: Option<String>,
    /// Why this editor cannot save (no write permission on the state): the screen stays
    /// usable for reading, and says so instead of failing on every key.
    pub read_only: Option<String>,
    pub reader: Reader,
    /// The side-by-side view of an original and a translation, when open.
    pub pair: Option<Pair>,
    pub size: (u16, u16),
    pub keymap: Keymap,
    pub options: Options,
    index: Index,
    undo: Vec<Vec<Prior>>,
    redo: Vec<Vec<Prior>>,
    /// Set by a successful mark: where the cursor goes once the save is confirmed.
    pending_advance: bool,
    /// What a confirmed batch mark left out (gone, or decided since it was asked), told after
    /// its save.
    left_out: Option<String>,
    /// A note typed but not saved: the next note prompt opens with it (on any article when
    /// its own went away, else on the articles it was written for).
    unsaved_note: Option<UnsavedNote>,
    /// The first index, while it runs.
    pub scan: Option<crate::inbox::index::Progress>,
    /// Articles that arrived while the screen was open, until looked at.
    fresh: HashSet<String>,
}

impl App {
    /// A screen over the inbox's articles and the state.
    pub fn new(
        articles: Vec<Arc<Article>>,
        state: State,
        keymap: Keymap,
        options: Options,
        size: (u16, u16),
    ) -> Self {
        let mut app = Self {
            articles,
            state,
            view: Vec::new(),
            cursor: 0,
            offset: 0,
            focus: Focus::List,
            zoom: false,
            filter: ScreenFilter::default(),
            sort: SortKey::Date,
            selection: BTreeSet::new(),
            search: None,
            prompt: None,
            help: None,
            message: None,
            save_failed: None,
            failed_ids: Vec::new(),
            alert: None,
            state_problem: None,
            unreadable: 0,
            read_only: None,
            reader: Reader::default(),
            pair: None,
            size,
            index: Index::default(),
            keymap,
            options,
            undo: Vec::new(),
            redo: Vec::new(),
            pending_advance: false,
            left_out: None,
            unsaved_note: None,
            scan: None,
            fresh: HashSet::new(),
        };
        twins::settle_twins(&mut app.articles, &mut app.state, &[]);
        app.index = Index::new(&app.articles, &app.state);
        app.recompute_view(None);
        app
    }

    /// The effects to run at start (load the first body).
    pub fn start(&mut self) -> Vec<Effect> {
        self.load_current()
    }

    /// The article under the cursor.
    pub fn current(&self) -> Option<&Article> {
        self.view.get(self.cursor).map(|&i| &*self.articles[i])
    }

    /// The article with this id.
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.index
            .position(id)
            .and_then(|i| self.articles.get(i))
            .map(|a| &**a)
    }

    fn current_id(&self) -> Option<String> {
        self.current().map(|a| a.id.to_string())
    }

    /// The panes for the current size.
    pub fn panes(&self) -> Panes {
        layout::panes(
            ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1),
            self.zoom,
        )
    }

    /// The terminal is too small to show anything but that it is.
    pub fn too_small(&self) -> bool {
        if self.pair.is_some() {
            self.pair_panes().too_small
        } else {
            self.panes().too_small
        }
    }

    fn list_rows(&self) -> usize {
        self.panes()
            .list
            .map_or(1, |r| usize::from(r.height.saturating_sub(2)).max(1))
    }

    fn reader_rows(&self) -> usize {
        self.panes()
            .reader
            .map_or(1, |r| usize::from(r.height.saturating_sub(2)).max(1))
    }

    // -----------------------------------------------------------------------------------------
    // Input

    /// A key press: to the prompt if one is open, else through the keymap.
    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return vec![Effect::Quit];
        }
        if self.too_small() {
            // Nothing is on screen to see what a key would do: only quitting works.
            return match self.keymap.action(Ctx::List, &key) {
                Some(Action::Quit) => vec![Effect::Quit],
                _ => Vec::new(),
            };
        }
        if self.prompt.is_some() {
            return self.prompt_key(key);
        }
        if let Some(scroll) = self.help {
            self.help = self.help_scrolled(scroll, &key);
            return Vec::new();
        }
        if key.code == KeyCode::Esc {
            // The editor has seen the failed save; Esc still does what it does here.
            self.save_failed = None;
        }
        let ctx = if self.focus == Focus::Reader || self.pair.is_some() {
            Ctx::Reader
        } else {
            Ctx::List
        };
        match self.keymap.action(ctx, &key) {
            Some(action) => self.update(action),
            None => Vec::new(),
        }
    }

    /// Pasted text (the terminal's bracketed paste): text for an open note, search or export
    /// prompt, never keys. Outside a prompt it is ignored, so a stray paste marks nothing.
    pub fn handle_paste(&mut self, text: &str) -> Vec<Effect> {
        match self.prompt.as_mut() {
            Some(prompt) if !matches!(prompt.kind, PromptKind::Confirm { .. }) => {
                prompt.input.paste(text);
            }
            _ => {
                self.message = Some((
                    "pasted text ignored: paste into a note, search or export prompt".into(),
                    Level::Info,
                ));
            }
        }
        Vec::new()
    }

    /// A key in the help: a scrolling key moves a help taller than the screen; any other
    /// key, or any key at all when the help fits, closes it.
    fn help_scrolled(&self, scroll: usize, key: &KeyEvent) -> Option<usize> {
        let max = crate::ui::help::max_scroll(self, self.size);
        let page = usize::from(self.size.1.saturating_sub(3)).max(1);
        let step: isize = match self.keymap.action(Ctx::Reader, key)? {
            _ if max == 0 => return None,
            Action::ScrollDown | Action::MoveDown => 1,
            Action::ScrollUp | Action::MoveUp => -1,
            Action::PageDown => page as isize,
            Action::PageUp => -(page as isize),
            Action::First => isize::MIN / 2,
            Action::Last => isize::MAX / 2,
            _ => return None,
        };
        Some(scroll.saturating_add_signed(step).min(max))
    }

    /// A new terminal size.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        self.keep_cursor_visible();
        self.rebuild_reader();
        self.rebuild_pair();
    }

    /// Carries out one action.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        self.message = None;
        if let Some(effects) = self.pair_update(action) {
            return effects;
        }
        match action {
            Action::MoveDown => self.move_by(1),
            Action::MoveUp => self.move_by(-1),
            Action::PageDown if self.focus == Focus::Reader => {
                self.scroll_by(self.reader_rows() as isize)
            }
            Action::PageUp if self.focus == Focus::Reader => {
                self.scroll_by(-(self.reader_rows() as isize))
            }
            Action::PageDown => self.move_by(self.list_rows() as isize),
            Action::PageUp => self.move_by(-(self.list_rows() as isize)),
            Action::First if self.focus == Focus::Reader => self.scroll_by(isize::MIN / 2),
            Action::Last if self.focus == Focus::Reader => self.scroll_by(isize::MAX / 2),
            Action::First => self.move_to(0),
            Action::Last => self.move_to(self.view.len().saturating_sub(1)),
            Action::ScrollDown => self.scroll_by(1),
            Action::ScrollUp => self.scroll_by(-1),
            Action::OpenReader => {
                self.focus = Focus::Reader;
                Vec::new()
            }
            Action::BackToList => {
                self.focus = Focus::List;
                self.zoom = false;
                self.rebuild_reader();
                Vec::new()
            }
            Action::ToggleZoom => {
                self.zoom = !self.zoom;
                self.focus = if self.zoom { Focus::Reader } else { self.focus };
                self.rebuild_reader();
                self.keep_cursor_visible();
                Vec::new()
            }
            Action::Verified => self.mark(Status::Verified),
            Action::NeedsReview => self.mark(Status::NeedsReview),
            Action::TranslationSuspect => self.mark(Status::TranslationSuspect),
            Action::Untriaged => self.mark(Status::Untriaged),
            Action::EditNote => self.open_note(),
            Action::Undo => self.undo_redo(SaveKind::Undo),
            Action::Redo => self.undo_redo(SaveKind::Redo),
            Action::Search => self.open_prompt(PromptKind::Search, String::new()),
            Action::NextMatch => self.jump_match(true),
            Action::PrevMatch => self.jump_match(false),
            Action::ToggleSelect => self.toggle_select(),
            Action::ClearSelection => {
                self.selection.clear();
                Vec::new()
            }
            Action::CycleStatusFilter => self.set_filter(|f, _| f.status = next_status(f.status)),
            Action::CycleLangFilter => {
                let langs = self.languages();
                self.set_filter(move |f, _| f.lang = next_in(&langs, f.lang.as_ref()))
            }
            Action::CycleDateFilter => self.set_filter(|f, today| {
                f.day = match f.day {
                    DayFilter::All => DayFilter::Day(today),
                    DayFilter::Day(d) if d == today => {
                        DayFilter::Day(today.pred_opt().unwrap_or(today))
                    }
                    DayFilter::Day(_) => DayFilter::All,
                }
            }),
            Action::PrevDay => self.shift_day(-1),
            Action::NextDay => self.shift_day(1),
            Action::ToggleSignalFilter => self.set_filter(|f, _| f.signals_only = !f.signals_only),
            Action::ClearFilters => self.set_filter(|f, _| *f = ScreenFilter::default()),
            Action::CycleSort => {
                self.sort = match self.sort {
                    SortKey::Date => SortKey::Signals,
                    SortKey::Signals => SortKey::Lang,
                    SortKey::Lang => SortKey::Status,
                    SortKey::Status => SortKey::Date,
                };
                let id = self.current_id();
                self.recompute_view(id.as_deref());
                if self.sort == SortKey::Signals {
                    // The point of this order is the top of the list: go there.
                    return self.move_to(0);
                }
                Vec::new()
            }
            Action::PairView => self.open_pair(),
            Action::Export if self.state_problem.is_some() => {
                // Every status would be written as untriaged: a wrong list is worse than none.
                self.message = Some((
                    "not exported: the state file cannot be read, so no status is known".into(),
                    Level::Error,
                ));
                Vec::new()
            }
            Action::Export => {
                let ext = self.options.export_format.extension();
                // In the zone the desk works in, as every date on the screen.
                let stamp = self.options.zone.convert(&chrono::Utc::now());
                let stamp = stamp.format("%Y%m%d-%H%M");
                let dir = self.options.export_dir.trim_end_matches('/');
                self.prompt = Some(Prompt {
                    kind: PromptKind::Export,
                    input: LineEdit::suggested(format!("{dir}/copydesk-{stamp}.{ext}")),
                });
                Vec::new()
            }
            Action::Help => {
                self.help = Some(0);
                Vec::new()
            }
            Action::Quit => vec![Effect::Quit],
        }
    }

    // -----------------------------------------------------------------------------------------
    // Moving

    fn move_by(&mut self, delta: isize) -> Vec<Effect> {
        if self.view.is_empty() {
            return Vec::new();
        }
        let target = (self.cursor as isize + delta).clamp(0, self.view.len() as isize - 1) as usize;
        self.move_to(target)
    }

    fn move_to(&mut self, index: usize) -> Vec<Effect> {
        if self.view.is_empty() {
            return Vec::new();
        }
        let index = index.min(self.view.len() - 1);
        let changed =
            index != self.cursor || self.reader.id.as_deref() != self.current().map(|a| &*a.id);
        self.cursor = index;
        self.keep_cursor_visible();
        if changed {
            self.load_current()
        } else {
            Vec::new()
        }
    }

    fn keep_cursor_visible(&mut self) {
        let rows = self.list_rows();
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + rows {
            self.offset = self.cursor + 1 - rows;
        }
        self.offset = self.offset.min(self.view.len().saturating_sub(rows));
    }

    fn scroll_by(&mut self, delta: isize) -> Vec<Effect> {
        let max = self.reader.lines.len().saturating_sub(self.reader_rows());
        self.reader.scroll = (self.reader.scroll as isize)
            .saturating_add(delta)
            .clamp(0, max as isize) as usize;
        Vec::new()
    }

    fn load_current(&mut self) -> Vec<Effect> {
        let Some(a) = self.current() else {
            self.reader = Reader::default();
            return Vec::new();
        };
        let (id, location) = (a.id.to_string(), a.location.clone());
        self.seen(&id);
        self.reader = Reader {
            id: Some(id.clone()),
            body: None,
            lines: Vec::new(),
            scroll: 0,
        };
        self.rebuild_reader();
        vec![Effect::LoadBody { id, location }]
    }

    /// The body of an article arrived.
    pub fn body_loaded(&mut self, id: &str, body: Result<Body, String>) {
        self.pair_body_loaded(id, &body);
        if self.reader.id.as_deref() == Some(id) {
            self.reader.body = Some(body);
            self.rebuild_reader();
        }
    }

    fn rebuild_reader(&mut self) {
        let width = self.panes().reader.map_or(0, |r| r.width.saturating_sub(2));
        let lines = match self
            .current()
            .filter(|a| Some(&*a.id) == self.reader.id.as_deref())
        {
            Some(a) => reader::build_lines(
                a,
                self.state.articles.get(&*a.id),
                self.reader.body.as_ref(),
                usize::from(width),
                &self.options,
            ),
            None => Vec::new(),
        };
        self.reader.lines = lines;
        let max = self.reader.lines.len().saturating_sub(self.reader_rows());
        self.reader.scroll = self.reader.scroll.min(max);
    }

    // -----------------------------------------------------------------------------------------
    // Filters and sort

    fn set_filter(&mut self, change: impl FnOnce(&mut ScreenFilter, NaiveDate)) -> Vec<Effect> {
        let id = self.current_id();
        change(&mut self.filter, self.options.today);
        self.recompute_view(id.as_deref());
        self.load_if_moved()
    }

    fn shift_day(&mut self, days: i64) -> Vec<Effect> {
        self.set_filter(|f, today| {
            let base = match f.day {
                DayFilter::All => today,
                DayFilter::Day(d) => d,
            };
            f.day = DayFilter::Day(base + chrono::Duration::days(days));
        })
    }

    fn load_if_moved(&mut self) -> Vec<Effect> {
        if self.current_id() == self.reader.id {
            Vec::new()
        } else {
            self.load_current()
        }
    }

    fn languages(&self) -> Vec<String> {
        self.index.langs.clone()
    }

    fn passes(&self, i: usize, lang_rank: Option<u32>) -> bool {
        let (f, a) = (&self.filter, &self.articles[i]);
        f.status.is_none_or(|s| self.index.status(i) == s)
            && (f.lang.is_none() || lang_rank == Some(self.index.lang_rank(i)))
            && match f.day {
                DayFilter::All => true,
                DayFilter::Day(d) => self.options.zone.day_of(&a.date) == d,
            }
            && (!f.signals_only || !a.signals().is_empty())
    }

    /// Rebuilds the visible rows, keeping the cursor on `keep` when it is still visible.
    pub fn recompute_view(&mut self, keep: Option<&str>) {
        let old_cursor = self.cursor;
        let lang_rank = self
            .filter
            .lang
            .as_deref()
            .and_then(|l| self.index.rank_of(l));
        let mut view: Vec<usize> = (0..self.articles.len())
            .filter(|&i| self.passes(i, lang_rank))
            .collect();
        match self.sort {
            // `articles` is kept newest first, so the date order is the natural one.
            SortKey::Date => {}
            SortKey::Signals => view.sort_by_key(|&i| Reverse(self.index.suspicion(i))),
            SortKey::Lang => view.sort_by_key(|&i| self.index.lang_rank(i)),
            SortKey::Status => view.sort_by_key(|&i| self.index.status(i)),
        }
        self.view = view;
        if !self.selection.is_empty() {
            let mut visible = vec![false; self.articles.len()];
            for &i in &self.view {
                visible[i] = true;
            }
            let index = &self.index;
            self.selection
                .retain(|id| index.position(id).is_some_and(|i| visible[i]));
        }
        self.cursor = keep
            .and_then(|id| self.index.position(id))
            .and_then(|k| self.view.iter().position(|&i| i == k))
            .unwrap_or(old_cursor.min(self.view.len().saturating_sub(1)));
        self.keep_cursor_visible();
    }

    // -----------------------------------------------------------------------------------------
    // Marking

    fn toggle_select(&mut self) -> Vec<Effect> {
        if let Some(id) = self.current_id()
            && !self.selection.remove(&id)
        {
            self.selection.insert(id);
        }
        self.move_by(1)
    }

    /// The ids a mark applies to: the translation of an open pair, else the visible selection,
    /// else the current article.
    fn targets(&self) -> Vec<String> {
        if let Some(pair) = &self.pair {
            return vec![pair.translation.clone()];
        }
        if self.selection.is_empty() {
            return self.current_id().into_iter().collect();
        }
        self.view
            .iter()
            .map(|&i| self.articles[i].id.to_string())
            .filter(|id| self.selection.contains(id))
            .collect()
    }

    /// What undoing `change` puts back; `None` when it cannot be put back: the id holds a
    /// decision made on another file, which an undo would not restore as it was.
    fn prior(&self, change: &Change) -> Option<Prior> {
        self.prior_given(change, self.state.articles.get(&change.id))
    }

    /// What undoing `change` puts back when `entry` is what it replaced.
    fn prior_given(&self, change: &Change, entry: Option<&Entry>) -> Option<Prior> {
        let article = self.article(&change.id);
        if entry.is_some_and(|e| article.is_some_and(|a| !e.applies_to(a))) {
            return None;
        }
        let note = match change.note {
            NoteChange::Keep => NoteChange::Keep,
            _ => entry
                .and_then(|e| e.note())
                .map_or(NoteChange::Clear, |n| NoteChange::Set(n.to_string())),
        };
        let note_written = match &change.note {
            NoteChange::Keep => None,
            NoteChange::Set(n) => Some(n.clone()),
            NoteChange::Clear => Some(String::new()),
        };
        Some(Prior {
            id: change.id.clone(),
            status: entry.map_or(Status::Untriaged, |e| e.status),
            note,
            note_written,
            after: None,
            file: change.file.clone(),
            note_only: change.kind == ChangeKind::Note,
            // The note put back stays its author's.
            note_author: match change.note {
                NoteChange::Keep => None,
                _ => entry
                    .filter(|e| e.note().is_some())
                    .map(|e| e.note_author())
                    .map(|(by, at)| (by.to_string(), at)),
            },
        })
    }

    /// What undoing each applied change puts back, from the entries the store replaced.
    fn priors_replaced(
        &self,
        changes: &[Change],
        replaced: &[(String, Option<Entry>)],
    ) -> Vec<Prior> {
        replaced
            .iter()
            .filter_map(|(id, entry)| {
                let change = changes.iter().find(|c| c.id == *id)?;
                self.prior_given(change, entry.as_ref())
            })
            .collect()
    }

    /// Refuses a change when the screen is read-only; true when refused.
    fn refuse_if_read_only(&mut self) -> bool {
        let why = match (&self.read_only, &self.state_problem) {
            // The status line says READ-ONLY before it: the message says what was refused.
            (Some(why), _) => format!("not saved: {why}"),
            (None, Some(problem)) => format!("not saved: {problem}"),
            (None, None) => return false,
        };
        self.message = Some((why, Level::Error));
        true
    }

    fn mark(&mut self, status: Status) -> Vec<Effect> {
        if self.refuse_if_read_only() {
            return Vec::new();
        }
        // Each mark expects the decision the editor saw (or was asked about): the store then
        // refuses one over a decision another editor made meanwhile, not yet on this screen.
        let mut marks: Vec<(Change, Option<Expect>)> = self
            .targets()
            .into_iter()
            .map(|id| {
                let seen = self.decision_on(&id);
                let change = Change {
                    expect: seen.clone(),
                    expect_undecided: seen.is_none(),
                    ..Change::new(id, status, NoteChange::Keep)
                };
                (change, seen)
            })
            .collect();
        match marks.len() {
            0 => Vec::new(),
            1 => {
                let changes = marks.drain(..).map(|(change, _)| change).collect();
                self.save(changes, SaveKind::Mark)
            }
            n => self.confirm(
                format!("Mark {n} articles {status}? (y/n)"),
                Confirmed::Marks(marks),
            ),
        }
    }

    /// Who made the decision on this article, and when (`None` while it has none).
    fn decision_on(&self, id: &str) -> Option<Expect> {
        let entry = self.state.entry_for(self.article(id)?)?;
        entry.decided().then(|| Expect::of(entry))
    }

    /// The marks of a confirmed question that still hold: each article still in the inbox
    /// and decided as it was when asked. What was left out goes to the status line after the
    /// save.
    fn marks_still_asked(&mut self, marks: Vec<(Change, Option<Expect>)>) -> Vec<Change> {
        let (mut gone, mut decided) = (Vec::new(), Vec::new());
        let changes = marks
            .into_iter()
            .filter_map(|(change, seen)| {
                if self.article(&change.id).is_none() {
                    gone.push(change.id);
                    None
                } else if self.decision_on(&change.id) != seen {
                    decided.push(change.id);
                    None
                } else {
                    Some(change)
                }
            })
            .collect();
        self.left_out = left_out_message(&gone, &decided, &self.state);
        changes
    }

    fn save(&mut self, changes: Vec<Change>, kind: SaveKind) -> Vec<Effect> {
        // Each decision names the file of the article it is made on, when its id does not.
        let changes: Vec<Change> = changes
            .into_iter()
            .map(|c| match self.article(&c.id) {
                Some(a) if c.file.is_none() => {
                    let entry = self.state.articles.get(&c.id);
                    match crate::state::file_to_record(a, entry) {
                        Some(file) => c.on_file(file),
                        None => c,
                    }
                }
                _ => c,
            })
            .map(|c| {
                let from = self.state.moved.get(&c.id).map(|f| &**f);
                c.moved_from(from)
            })
            .collect();
        let inverse = changes.iter().filter_map(|c| self.prior(c)).collect();
        // In the pair view the list is hidden: moving its cursor would only surprise on return.
        self.pending_advance = kind == SaveKind::Mark
            && self.pair.is_none()
            && changes.iter().any(|c| c.note == NoteChange::Keep);
        vec![Effect::Save {
            changes,
            kind,
            inverse,
        }]
    }

    fn undo_redo(&mut self, kind: SaveKind) -> Vec<Effect> {
        if self.refuse_if_read_only() {
            return Vec::new();
        }
        let stack = if kind == SaveKind::Undo {
            &mut self.undo
        } else {
            &mut self.redo
        };
        let Some(priors) = stack.pop() else {
            let what = if kind == SaveKind::Undo {
                "nothing to undo"
            } else {
                "nothing to redo"
            };
            self.message = Some((what.into(), Level::Info));
            return Vec::new();
        };
        let changes = priors
            .into_iter()
            .map(|p| {
                let change = match p.note_only {
                    true => Change::note(p.id, p.status, p.note),
                    false => Change::new(p.id, p.status, p.note),
                };
                Change {
                    expect: p.after,
                    note_seen: p.note_written,
                    file: p.file,
                    note_author: p.note_author,
                    ..change
                }
            })
            .collect();
        self.save(changes, kind)
    }

    /// The outcome of a save. Only now does the screen show the change.
    pub fn saved(
        &mut self,
        result: Result<Saved, String>,
        changes: &[Change],
        kind: SaveKind,
        inverse: Vec<Prior>,
    ) -> Vec<Effect> {
        let advance = std::mem::take(&mut self.pending_advance);
        let Saved {
            state,
            skipped,
            outside,
            replaced,
        } = match result {
            Ok(done) => done,
            Err(e) => {
                self.left_out = None;
                // Not a message: the next key would wipe it before the editor looks back.
                self.message = None;
                let kept = self.keep_unsaved_note(changes, kind);
                let what = saved_message(changes, kind);
                let what = what.split_once(": ").map_or(what.as_str(), |(_, w)| w);
                let again = if kept {
                    " (a on it brings the note back)"
                } else {
                    ""
                };
                self.save_failed = Some(format!("NOT SAVED: {what}{again}: {e}"));
                self.failed_ids = changes.iter().map(|c| c.id.clone()).collect();
                if kind == SaveKind::Undo {
                    self.undo.push(inverse_of(changes));
                } else if kind == SaveKind::Redo {
                    self.redo.push(inverse_of(changes));
                }
                return Vec::new();
            }
        };
        if self
            .failed_ids
            .iter()
            .all(|id| changes.iter().any(|c| c.id == *id))
        {
            self.save_failed = None;
        }
        // A save that changed nothing ('x' on untriaged copy) leaves the cursor where it is.
        let advance = advance && skipped.len() < changes.len();
        // What this save did, with the decision it made, so that undoing it can check that
        // nobody has decided since. Taken before the save from this screen's state, unless
        // other editors' changes were read in first: then from what the save replaced.
        let inverse = match outside {
            true => self.priors_replaced(changes, &replaced),
            false => inverse,
        };
        let inverse: Vec<Prior> = inverse
            .into_iter()
            .filter(|p| !skipped.contains(&p.id))
            .map(|mut p| {
                let after = state.articles.get(&*p.id);
                p.after = after.map(Expect::of);
                // The note as saved (a merge may have kept another editor's beside it).
                if p.note_written.is_some() {
                    let saved = after.and_then(|e| e.note()).unwrap_or_default();
                    p.note_written = Some(saved.to_string());
                }
                p
            })
            .collect();
        if !inverse.is_empty() {
            match kind {
                SaveKind::Mark => {
                    self.undo.push(inverse);
                    self.redo.clear();
                }
                SaveKind::Undo => self.redo.push(inverse),
                SaveKind::Redo => self.undo.push(inverse),
            }
        }
        // The state came back with the result (it was lent to the store): the next untriaged
        // article is known only now.
        self.state = state;
        let target = match kind {
            _ if advance => self.next_after_mark(),
            // An undo or redo shows the article it changed back.
            SaveKind::Undo | SaveKind::Redo => changes
                .first()
                .map(|c| c.id.clone())
                .or_else(|| self.current_id()),
            SaveKind::Mark => self.current_id(),
        };
        let target = if outside {
            self.reindex_all(target)
        } else {
            // Only this save's own changes: no need to look at every decision again.
            for c in changes {
                if let Some(i) = self.index.position(&c.id) {
                    let status = self.articles.get(i).map(|a| self.state.status_for(a));
                    self.index.set_status(i, status.unwrap_or_default());
                }
            }
            target
        };
        // A mark in the pair view did not use the selection: keep it for the list.
        if self.pair.is_none() {
            self.selection.clear();
        }
        self.recompute_view(target.as_deref());
        let skipped_here = skipped.first().and_then(|id| self.article(id));
        let kept = notes_kept(changes, &self.state);
        let mut message = match skipped_message(&self.state, &skipped, kind, changes, skipped_here)
        {
            // Some applied: say so before what did not ("undone: 1 article; not undone: ...").
            Some(m) if skipped.len() < changes.len() => {
                let applied: Vec<Change> = changes
                    .iter()
                    .filter(|c| !skipped.contains(&c.id))
                    .cloned()
                    .collect();
                (
                    format!("{}; {m}", saved_message(&applied, kind)),
                    Level::Error,
                )
            }
            Some(m) => (m, Level::Error),
            None if kept > 0 => {
                let kept = match changes {
                    [one] => format!("{}: a note was written meanwhile", one.id),
                    _ => format!("{kept} notes were written meanwhile"),
                };
                (format!("{kept}: both kept, theirs first"), Level::Error)
            }
            None => (saved_message(changes, kind), Level::Info),
        };
        if let Some(left_out) = self.left_out.take() {
            message = (
                format!("{}; not marked: {left_out}", message.0),
                Level::Error,
            );
        }
        self.message = Some(message);
        self.rebuild_reader();
        self.load_if_moved()
    }

    /// The id the cursor should land on after a mark.
    fn next_after_mark(&self) -> Option<String> {
        let ids = |from: usize| self.view.iter().skip(from).map(|&i| &self.articles[i]);
        match self.options.after_mark {
            AfterMark::Stay => self.current_id(),
            AfterMark::Next => ids(self.cursor + 1)
                .next()
                .map(|a| a.id.to_string())
                .or_else(|| self.current_id()),
            AfterMark::NextUntriaged => ids(self.cursor + 1)
                .find(|a| self.state.status_for(a) == Status::Untriaged)
                .map(|a| a.id.to_string())
                .or_else(|| ids(self.cursor + 1).next().map(|a| a.id.to_string()))
                .or_else(|| self.current_id()),
        }
    }

    /// The state file cannot be read: marks are refused until it can.
    pub fn state_unreadable(&mut self, problem: String) {
        self.state_problem = Some(problem);
    }

    /// This editor cannot save (`why` names the file and the missing permission): marks are
    /// refused, and the status line says READ-ONLY, then why, until the next key.
    pub fn opened_read_only(&mut self, why: String) {
        self.note_error(why.clone());
        self.read_only = Some(why);
    }

    /// The inbox cannot be read: said until the screen ends.
    pub fn scan_failed(&mut self, problem: String) {
        self.alert = Some(problem);
    }

    /// The state file that could not be read is gone (set aside): its decisions with it.
    pub fn state_readable(&mut self) {
        self.state_problem = None;
        self.message = Some(("the state file can be saved again".into(), Level::Info));
    }

    /// Another editor's save was read from disk.
    ///
    /// A filter may take the cursor's article away: the reader then asks for the body of the
    /// article the cursor lands on.
    pub fn state_reloaded(&mut self, state: State) -> Vec<Effect> {
        self.state_problem = None;
        let id = self.current_id();
        self.state = state;
        let id = self.reindex_all(id);
        self.recompute_view(id.as_deref());
        self.rebuild_reader();
        self.message = Some(("other editors' marks loaded".into(), Level::Info));
        self.load_if_moved()
    }

    /// Keeps the note a failed save was writing, for the next note prompt: the editor's words
    /// are not lost to a lock held too long or a full disk. Returns whether there was one.
    fn keep_unsaved_note(&mut self, changes: &[Change], kind: SaveKind) -> bool {
        let written = changes.iter().find_map(|c| match &c.note {
            NoteChange::Set(text) => Some(text.clone()),
            _ => None,
        });
        // An undo or redo puts back a note that is already kept in the state.
        let Some(text) = written.filter(|_| kind == SaveKind::Mark) else {
            return false;
        };
        let ids = changes.iter().map(|c| c.id.clone()).collect();
        self.unsaved_note = Some(UnsavedNote {
            text,
            ids: Some(ids),
        });
        true
    }

    /// Looks at every article's decision again, after a state that may hold other editors'
    /// decisions came in: twins first take the ids their files were decided under (another
    /// editor's screen may have listed them under other ids). Returns `id` as it is now.
    fn reindex_all(&mut self, id: Option<String>) -> Option<String> {
        let renamed = twins::settle_twins(&mut self.articles, &mut self.state, &[]);
        if renamed.is_empty() {
            self.index.refresh(self.articles.len(), &self.state);
            return id;
        }
        self.index = Index::new(&self.articles, &self.state);
        let renamed: std::collections::HashMap<String, String> = renamed.into_iter().collect();
        self.follow_renames(&renamed);
        id.map(|id| renamed.get(&id).cloned().unwrap_or(id))
    }

    /// Every id the screen holds besides the cursor's (selection, an open note or question,
    /// the pair view, undo and redo, what is new, a kept note or failure), after twins took
    /// other ids: each still names the file it named (h37).
    fn follow_renames(&mut self, renamed: &std::collections::HashMap<String, String>) {
        let now = |id: &mut String| {
            if let Some(new) = renamed.get(id.as_str()) {
                id.clone_from(new);
            }
        };
        let renamed_id = |id: String| renamed.get(&id).cloned().unwrap_or(id);
        self.selection = std::mem::take(&mut self.selection)
            .into_iter()
            .map(renamed_id)
            .collect();
        self.fresh = std::mem::take(&mut self.fresh)
            .into_iter()
            .map(renamed_id)
            .collect();
        match self.prompt.as_mut().map(|p| &mut p.kind) {
            Some(PromptKind::Note { ids, .. }) => ids.iter_mut().for_each(now),
            Some(PromptKind::Confirm {
                on_yes: Confirmed::Marks(marks),
                ..
            }) => marks.iter_mut().for_each(|(c, _)| now(&mut c.id)),
            _ => {}
        }
        if let Some(pair) = &mut self.pair {
            now(&mut pair.original);
            now(&mut pair.translation);
        }
        for priors in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            priors.iter_mut().for_each(|p| now(&mut p.id));
        }
        if let Some(ids) = self.unsaved_note.as_mut().and_then(|k| k.ids.as_mut()) {
            ids.iter_mut().for_each(now);
        }
        self.failed_ids.iter_mut().for_each(now);
        if let Some((_, found)) = &mut self.search {
            found.iter_mut().for_each(now);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Prompts: note, search, export, confirm

    fn open_prompt(&mut self, kind: PromptKind, input: String) -> Vec<Effect> {
        self.prompt = Some(Prompt {
            kind,
            input: LineEdit::new(input),
        });
        Vec::new()
    }

    fn open_note(&mut self) -> Vec<Effect> {
        if self.refuse_if_read_only() {
            return Vec::new();
        }
        let ids = self.targets();
        let Some(first) = ids.first() else {
            return Vec::new();
        };
        let note_of = |id: &String| {
            let entry = self.article(id).and_then(|a| self.state.entry_for(a));
            entry.and_then(|e| e.note()).unwrap_or_default().to_string()
        };
        let existing = note_of(first);
        let seen = ids.iter().map(note_of).collect();
        // A note that could not be saved comes back here, after this article's own note: on
        // the articles it was written for, or on any when those went away.
        let gone = |for_ids: &Vec<String>| for_ids.iter().any(|id| self.article(id).is_none());
        let comes_back = self.unsaved_note.as_ref().is_some_and(|k| {
            k.ids
                .as_ref()
                .is_none_or(|for_ids| *for_ids == ids || gone(for_ids))
        });
        let kept = self.unsaved_note.take_if(|_| comes_back);
        let text = match kept {
            // Typed in a prompt that opened with this note: it holds it already (h37).
            Some(kept) if kept.ids.as_ref() == Some(&ids) => kept.text,
            Some(kept) if existing.is_empty() => kept.text,
            Some(kept) => format!("{existing} / {}", kept.text),
            None => existing,
        };
        self.open_prompt(PromptKind::Note { ids, seen }, text)
    }

    /// Asks a y/n question in the status line.
    fn confirm(&mut self, question: String, on_yes: Confirmed) -> Vec<Effect> {
        self.prompt = Some(Prompt {
            kind: PromptKind::Confirm { question, on_yes },
            input: LineEdit::default(),
        });
        Vec::new()
    }

    /// The answer to a y/n question: `y` does it, any other key cancels.
    fn answer(&mut self, on_yes: Confirmed, key: KeyEvent) -> Vec<Effect> {
        if !matches!(key.code, KeyCode::Char('y' | 'Y')) {
            self.message = Some(("cancelled".into(), Level::Info));
            return Vec::new();
        }
        match on_yes {
            Confirmed::Marks(marks) => {
                let changes = self.marks_still_asked(marks);
                if changes.is_empty() {
                    let why = self.left_out.take().unwrap_or_default();
                    self.message = Some((format!("nothing marked: {why}"), Level::Error));
                    return Vec::new();
                }
                self.save(changes, SaveKind::Mark)
            }
            Confirmed::Overwrite { path, format } => vec![Effect::Export {
                path,
                format,
                overwrite: true,
            }],
        }
    }

    fn prompt_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if let Some(Prompt {
            kind: PromptKind::Confirm { on_yes, .. },
            ..
        }) = self
            .prompt
            .take_if(|p| matches!(p.kind, PromptKind::Confirm { .. }))
        {
            return self.answer(on_yes, key);
        }
        let Some(prompt) = self.prompt.as_mut() else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Esc => {
                self.prompt = None;
                self.message = Some(("cancelled".into(), Level::Info));
            }
            KeyCode::Enter => return self.submit_prompt(),
            _ => prompt.input.key(key),
        }
        Vec::new()
    }

    fn submit_prompt(&mut self) -> Vec<Effect> {
        let Some(Prompt { kind, input }) = self.prompt.take() else {
            return Vec::new();
        };
        let input = input.into_text();
        match kind {
            PromptKind::Note { ids, seen } => {
                let note = if input.trim().is_empty() {
                    NoteChange::Clear
                } else {
                    NoteChange::Set(input.trim().to_string())
                };
                // Copy that went away while the note was typed gets none: the note is shown
                // back, to be written where it belongs.
                let gone: Vec<String> = ids
                    .iter()
                    .filter(|id| self.article(id).is_none())
                    .cloned()
                    .collect();
                if let Some(first) = gone.first() {
                    let what = match gone.len() {
                        1 => format!("{first} is no longer in the inbox"),
                        n => format!("{n} of the articles are no longer in the inbox"),
                    };
                    self.message = Some((
                        format!("note not saved: {what}; a on an article brings it back"),
                        Level::Error,
                    ));
                    self.unsaved_note = Some(UnsavedNote {
                        text: input.trim().to_string(),
                        ids: None,
                    });
                    return Vec::new();
                }
                let changes = ids
                    .into_iter()
                    .zip(seen)
                    .map(|(id, seen)| {
                        let article = self.article(&id);
                        let status =
                            article.map_or(Status::Untriaged, |a| self.state.status_for(a));
                        Change::note(id, status, note.clone()).over(seen)
                    })
                    .collect();
                self.save(changes, SaveKind::Mark)
            }
            PromptKind::Search if input.trim().is_empty() => {
                self.search = None;
                Vec::new()
            }
            PromptKind::Search => vec![Effect::Search {
                query: input.trim().to_string(),
            }],
            PromptKind::Export => {
                let path = input.trim().to_string();
                let format = match std::path::Path::new(&path).extension() {
                    None => self.options.export_format,
                    Some(ext) => match ExportFormat::of_path(std::path::Path::new(&path)) {
                        Some(format) => format,
                        None => {
                            let ext = ext.to_string_lossy();
                            let message = format!(
                                "not exported: unknown extension '.{ext}' (use .csv .json .md .toml .txt)"
                            );
                            self.message = Some((message, Level::Error));
                            return Vec::new();
                        }
                    },
                };
                vec![Effect::Export {
                    path,
                    format,
                    overwrite: false,
                }]
            }
            PromptKind::Confirm { .. } => Vec::new(),
        }
    }

    /// Search results arrived: ids in list order.
    pub fn search_done(&mut self, query: String, ids: Vec<String>) -> Vec<Effect> {
        let n = ids.len();
        self.search = Some((query.clone(), ids));
        if n == 0 {
            self.message = Some((format!("no match for '{query}'"), Level::Info));
            return Vec::new();
        }
        self.jump_match(true)
    }

    fn jump_match(&mut self, forward: bool) -> Vec<Effect> {
        let Some((query, ids)) = &self.search else {
            self.message = Some(("no search yet: press /".into(), Level::Info));
            return Vec::new();
        };
        let matching: HashSet<&str> = ids.iter().map(String::as_str).collect();
        let positions: Vec<usize> = self
            .view
            .iter()
            .enumerate()
            .filter(|(_, i)| matching.contains(&*self.articles[**i].id))
            .map(|(p, _)| p)
            .collect();
        let target = if forward {
            positions
                .iter()
                .find(|&&p| p > self.cursor)
                .or(positions.first())
        } else {
            positions
                .iter()
                .rev()
                .find(|&&p| p < self.cursor)
                .or(positions.last())
        };
        let Some(&target) = target else {
            self.message = Some((format!("no visible match for '{query}'"), Level::Info));
            return Vec::new();
        };
        let n = positions
            .iter()
            .position(|&p| p == target)
            .map_or(0, |i| i + 1);
        let message = format!("match {n}/{} for '{query}'", positions.len());
        let effects = self.move_to(target);
        self.message = Some((message, Level::Info));
        effects
    }

    /// The export finished.
    pub fn exported(&mut self, result: Result<(String, usize), String>) {
        self.message = Some(match result {
            Ok((path, rows)) => {
                let plural = if rows == 1 { "" } else { "s" };
                (
                    format!("exported {rows} article{plural} to {path}"),
                    Level::Info,
                )
            }
            Err(e) => (format!("export failed: {e}"), Level::Error),
        });
    }

    /// The export's file exists already: ask before writing over it.
    pub fn export_exists(&mut self, path: String, format: ExportFormat) -> Vec<Effect> {
        // The question first: on a narrow screen a long path would push it out of sight.
        let name = std::path::Path::new(&path)
            .file_name()
            .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
        self.confirm(
            format!("overwrite {name}? (y/n)"),
            Confirmed::Overwrite { path, format },
        )
    }

    /// The articles currently listed, in order (what an export writes).
    pub fn visible(&self) -> impl Iterator<Item = &Article> {
        self.view.iter().map(|&i| &*self.articles[i])
    }

    /// Counts per status over every article.
    pub fn counts(&self) -> [(Status, usize); 4] {
        self.index.counts()
    }
}

fn inverse_of(changes: &[Change]) -> Vec<Prior> {
    changes
        .iter()
        .map(|c| Prior {
            id: c.id.clone(),
            status: c.status,
            note: c.note.clone(),
            note_written: c.note_seen.clone(),
            after: c.expect.clone(),
            file: c.file.clone(),
            note_only: c.kind == ChangeKind::Note,
            note_author: None,
        })
        .collect()
}

/// Why some changes of a save did not apply.
fn skipped_message(
    state: &State,
    skipped: &[String],
    kind: SaveKind,
    changes: &[Change],
    article: Option<&Article>,
) -> Option<String> {
    let first = skipped.first()?;
    let more = if skipped.len() > 1 {
        format!(" (and {} more)", skipped.len() - 1)
    } else {
        String::new()
    };
    let elsewhere = article.and_then(|a| state.decided_elsewhere(a));
    if let (Some(made_on), SaveKind::Mark) = (elsewhere, kind) {
        return Some(format!(
            "{first}: its id holds a decision made on {made_on}: decide this article first{more}"
        ));
    }
    let entry = state.articles.get(first);
    // A change that expected a decision found another one, or (an undo of a note) the same
    // decision with a note someone else wrote since.
    let change = changes.iter().find(|c| c.id == *first);
    let expected = change.and_then(|c| c.expect.as_ref());
    let decided_since = expected.is_some_and(|x| !x.holds_in(entry))
        || (change.is_some_and(|c| c.expect_undecided) && entry.is_some_and(|e| e.decided()));
    let by = match entry {
        Some(e) if decided_since || e.note_by().is_none() => e.editor.as_str(),
        Some(e) => e.note_by().unwrap_or(&e.editor),
        None => "someone",
    };
    Some(match kind {
        SaveKind::Mark if decided_since => {
            format!("not marked: {first} (decided by {by} meanwhile){more}")
        }
        SaveKind::Mark => format!("{first}: nothing to change{more}"),
        SaveKind::Undo | SaveKind::Redo => {
            let what = if kind == SaveKind::Undo {
                "not undone"
            } else {
                "not redone"
            };
            format!("{what}: {first} was changed by {by} since{more}")
        }
    })
}

/// What a confirmed batch mark left out: articles gone from the inbox, and articles another
/// editor decided after the question was asked.
fn left_out_message(gone: &[String], decided: &[String], state: &State) -> Option<String> {
    // Short: it follows "saved: ..." on one status line.
    let gone = match gone {
        [] => None,
        [one] => Some(format!("{one} (gone)")),
        many => Some(format!("{} gone", many.len())),
    };
    let decided = match decided {
        [] => None,
        [one] => {
            let by = state.articles.get(one).map_or("someone", |e| &e.editor);
            Some(format!("{one} (decided by {by} meanwhile)"))
        }
        many => Some(format!("{} decided by others meanwhile", many.len())),
    };
    let told: Vec<String> = gone.into_iter().chain(decided).collect();
    (!told.is_empty()).then(|| told.join(", "))
}

/// How many of these notes found another editor's note, written since the prompt opened, and
/// kept it beside theirs.
fn notes_kept(changes: &[Change], state: &State) -> usize {
    let kept = |c: &Change| {
        let now = state.articles.get(&c.id).and_then(|e| e.note());
        match &c.note {
            NoteChange::Set(n) => now != Some(n.as_str()),
            NoteChange::Clear => now.is_some(),
            NoteChange::Keep => false,
        }
    };
    changes
        .iter()
        .filter(|c| c.note_seen.is_some() && kept(c))
        .count()
}

fn saved_message(changes: &[Change], kind: SaveKind) -> String {
    let what = match kind {
        SaveKind::Mark => "saved",
        SaveKind::Undo => "undone",
        SaveKind::Redo => "redone",
    };
    match changes {
        [one] if one.note != NoteChange::Keep && kind == SaveKind::Mark => {
            let done = match one.note {
                NoteChange::Clear => "note cleared on",
                _ => "note on",
            };
            format!("{what}: {done} {}", one.id)
        }
        // Undoing or redoing a note puts a note back, not a decision.
        [one] if one.note != NoteChange::Keep => {
            format!("{what}: note on {}", one.id)
        }
        // An undo restores: say what the article is again, not what was undone.
        [one] if kind != SaveKind::Undo => format!("{what}: {} {}", one.id, one.status),
        [one] => format!("{what}: {} back to {}", one.id, one.status),
        many => format!("{what}: {} articles", many.len()),
    }
}

fn next_status(s: Option<Status>) -> Option<Status> {
    match s {
        None => Some(Status::Untriaged),
        Some(Status::Untriaged) => Some(Status::Verified),
        Some(Status::Verified) => Some(Status::NeedsReview),
        Some(Status::NeedsReview) => Some(Status::TranslationSuspect),
        Some(Status::TranslationSuspect) => None,
    }
}

fn next_in(list: &[String], current: Option<&String>) -> Option<String> {
    match current {
        None => list.first().cloned(),
        Some(c) => list
            .iter()
            .position(|l| l == c)
            .and_then(|i| list.get(i + 1))
            .cloned(),
    }
}
