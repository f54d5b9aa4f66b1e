//! The triage state: per-article status, editor, time, note and history, kept in TOML.

mod cache;
mod fast;
mod journal;
pub mod store;
pub mod twins;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, SubsecRound};
use serde::Serialize;
use toml::{Table, Value};

pub use store::{DiskStamp, FoldPolicy, StateError, Store};

/// The state file format this version writes.
/// 2: decisions record their `file`, journal records `file` and `note_seen`. A build of version 1
/// keeps those keys but does not follow them, and says the file is newer than it knows.
pub const VERSION: i64 = 2;

/// The file a decision on `a` records (see [`Entry::file`]): none when its id names its file,
/// unless the entry under the id already records one (then the two must be compared).
pub fn file_to_record(a: &crate::inbox::Article, entry: Option<&Entry>) -> Option<String> {
    let needed = !a.id_names_its_file() || entry.is_some_and(|e| e.file.is_some());
    needed.then(|| a.location.rel_path.to_string_lossy().into_owned())
}

/// The top-level key naming the last journal record folded into the file.
const FOLDED_KEY: &str = "journal_folded";

/// The top-level key with the CRC-32 of the state file a fold started from.
const ONTO_KEY: &str = "journal_onto";

/// An editor's decision on an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Untriaged,
    Verified,
    NeedsReview,
    TranslationSuspect,
}

impl Status {
    /// Every status, in display order.
    pub const ALL: [Self; 4] = [
        Self::Untriaged,
        Self::Verified,
        Self::NeedsReview,
        Self::TranslationSuspect,
    ];

    /// The name used in files, on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Untriaged => "untriaged",
            Self::Verified => "verified",
            Self::NeedsReview => "needs-review",
            Self::TranslationSuspect => "translation-suspect",
        }
    }

    /// The one-character marker shown beside colour, so status never depends on colour alone.
    pub fn marker(self, ascii: bool) -> char {
        match (self, ascii) {
            (Self::Untriaged, false) => '·',
            (Self::Untriaged, true) => '.',
            (Self::Verified, false) => '✓',
            (Self::Verified, true) => 'v',
            (Self::NeedsReview, _) => '?',
            (Self::TranslationSuspect, _) => '!',
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|st| st.as_str() == s.trim()).ok_or_else(|| {
            let s = crate::sanitize::echo(s);
            format!("'{s}' is not a status (one of: untriaged, verified, needs-review, translation-suspect)")
        })
    }
}

/// Keys of an entry written by a newer copydesk. Almost every entry has none, so the table is
/// boxed and absent then: 100,000 entries would otherwise carry 7 MB of empty tables.
#[derive(Debug, Clone, Default)]
pub struct Extra(Option<Box<Table>>);

static NO_KEYS: std::sync::LazyLock<Table> = std::sync::LazyLock::new(Table::new);

impl std::ops::Deref for Extra {
    type Target = Table;

    fn deref(&self) -> &Table {
        self.0.as_deref().unwrap_or(&NO_KEYS)
    }
}

impl std::ops::DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Table {
        self.0.get_or_insert_with(Box::default)
    }
}

impl From<Table> for Extra {
    fn from(t: Table) -> Self {
        Self((!t.is_empty()).then(|| Box::new(t)))
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a Value);
    type IntoIter = <&'a Table as IntoIterator>::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        (**self).iter()
    }
}

/// A past decision, kept when a newer one replaces it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub status: Status,
    pub editor: String,
    pub at: DateTime<FixedOffset>,
    pub note: Option<String>,
    /// Who wrote the note, when not the one who decided (`note_by` in the file).
    pub note_by: Option<String>,
    /// Keys written by a newer copydesk, kept as they are.
    pub extra: Extra,
}

/// The current decision on one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub status: Status,
    pub editor: String,
    pub marked_at: DateTime<FixedOffset>,
    /// The file (relative to the inbox) of the article decided on. Ids need not be unique
    /// across files (a declared id used twice is `id~2`): when the id later names an article
    /// in another file, this decision is not that article's. `None` in files from before.
    pub file: Option<Box<str>>,
    /// The note and who last edited it; boxed, as most decisions have none (a 100,000-entry
    /// state holds one `Entry` per article).
    pub annotation: Option<Box<Annotation>>,
    pub history: Vec<HistoryEntry>,
    /// Keys written by a newer copydesk, kept as they are.
    pub extra: Extra,
}

/// A decision's note, and who last edited it and when, when that was not the decision itself
/// (a note cleared by another editor leaves only `by` and `at`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotation {
    pub note: Option<String>,
    pub by: Option<String>,
    pub at: Option<DateTime<FixedOffset>>,
}

impl Annotation {
    /// `None` when there is neither a note nor an edit of it to keep.
    pub fn boxed(
        note: Option<String>,
        by: Option<String>,
        at: Option<DateTime<FixedOffset>>,
    ) -> Option<Box<Self>> {
        (note.is_some() || by.is_some() || at.is_some()).then(|| Box::new(Self { note, by, at }))
    }
}

impl Entry {
    /// Whether this decision was made on this article: same file, or a file not recorded.
    pub fn applies_to(&self, a: &crate::inbox::Article) -> bool {
        self.file
            .as_deref()
            .is_none_or(|f| a.location.rel_path.to_string_lossy() == f)
    }

    /// When the article's file was written after this decision (`modified`, its mtime, a
    /// second or more later): the copy decided on may not be the copy there now.
    pub fn file_written_since(
        &self,
        modified: Option<std::time::SystemTime>,
    ) -> Option<DateTime<chrono::Utc>> {
        let modified: DateTime<chrono::Utc> = modified?.into();
        let decided_at = self.marked_at.with_timezone(&chrono::Utc);
        (self.decided() && modified >= decided_at + chrono::Duration::seconds(1))
            .then_some(modified)
    }

    /// False for an entry that only holds a note on an article nobody has decided: a note on
    /// its own is not a decision, and is not counted as one.
    pub fn decided(&self) -> bool {
        self.status != Status::Untriaged || !self.history.is_empty()
    }

    pub fn note(&self) -> Option<&str> {
        self.annotation.as_ref()?.note.as_deref()
    }

    /// Who wrote the note and when, on an entry that is not a decision (see
    /// [`Entry::decided`]): its last editor, else the one who made the entry.
    pub fn note_author(&self) -> (&str, DateTime<FixedOffset>) {
        match (self.note_by(), self.note_at()) {
            (Some(by), Some(at)) => (by, at),
            _ => (&self.editor, self.marked_at),
        }
    }

    /// Who last edited the note, when that was not the decision itself.
    pub fn note_by(&self) -> Option<&str> {
        self.annotation.as_ref()?.by.as_deref()
    }

    /// When the note was last edited, when that was not the decision itself.
    pub fn note_at(&self) -> Option<DateTime<FixedOffset>> {
        self.annotation.as_ref()?.at
    }
}

/// What to do with the note when marking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteChange {
    Keep,
    Set(String),
    Clear,
}

/// The decision a conditional change expects to find (an undo undoes only its own mark).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    pub editor: String,
    pub marked_at: DateTime<FixedOffset>,
}

impl Expect {
    /// The decision `entry` holds.
    pub fn of(entry: &Entry) -> Self {
        Self {
            editor: entry.editor.clone(),
            marked_at: entry.marked_at,
        }
    }

    /// Whether `entry` still holds this decision.
    pub fn holds_in(&self, entry: Option<&Entry>) -> bool {
        entry.is_some_and(|e| e.editor == self.editor && e.marked_at == self.marked_at)
    }
}

/// One decision to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: String,
    pub status: Status,
    pub note: NoteChange,
    /// When set, the change applies only if the article's current decision is this one.
    pub expect: Option<Expect>,
    /// When set, the change applies only if the article has no decision (none, a note alone,
    /// or one made on another file): a batch mark asked about undecided copy.
    pub expect_undecided: bool,
    /// Who wrote the note this change puts back, and when (an undo of a note): it stays
    /// theirs, not the undoer's.
    pub note_author: Option<(String, DateTime<FixedOffset>)>,
    /// How the status and the note are taken.
    pub kind: ChangeKind,
    /// The file of the article decided on (see [`Entry::file`]); `None` keeps the entry's.
    pub file: Option<String>,
    /// The file the decision under this id was recorded on, when that file went away and the
    /// article now lives in `file` (see [`State::moved`]): the decision is this article's, and
    /// now records `file`.
    pub moved_from: Option<String>,
    /// The note the editor saw when they began writing theirs ("" for none): a different note
    /// found when the change applies was written by someone else meanwhile, and is kept.
    /// `None` where the writer means to replace whatever is there (`mark --note`).
    pub note_seen: Option<String>,
}

/// How a [`Change`] is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChangeKind {
    /// The status is set; with a note and the status the article already has, it is a note
    /// on that decision, which stays its editor's (an undo of a note).
    #[default]
    Plain,
    /// A decision even when the status stays and a note comes with it (`mark --as verified
    /// --note ...` on a verified article): recorded again, by this editor.
    Decision,
    /// A note alone: whatever the status is when it is written (another editor may have
    /// decided since the note was begun) stays, and so does its editor.
    Note,
}

impl Change {
    /// An unconditional change.
    pub fn new(id: impl Into<String>, status: Status, note: NoteChange) -> Self {
        Self {
            id: id.into(),
            status,
            note,
            expect: None,
            expect_undecided: false,
            note_author: None,
            kind: ChangeKind::Plain,
            note_seen: None,
            file: None,
            moved_from: None,
        }
    }

    /// An unconditional decision, with or without a note.
    pub fn decision(id: impl Into<String>, status: Status, note: NoteChange) -> Self {
        Self {
            kind: ChangeKind::Decision,
            ..Self::new(id, status, note)
        }
    }

    /// A note alone, on whatever decision the article has when it is written (`status` is
    /// the one seen, used only where the article has no entry yet).
    pub fn note(id: impl Into<String>, status: Status, note: NoteChange) -> Self {
        Self {
            kind: ChangeKind::Note,
            ..Self::new(id, status, note)
        }
    }

    /// This change, made on the article of `file` (see [`Entry::file`]).
    pub fn on_file(self, file: impl Into<String>) -> Self {
        Self {
            file: Some(file.into()),
            ..self
        }
    }

    /// This change, on an article whose decision followed it from the file `from`, which is
    /// gone (see [`Change::moved_from`]).
    pub fn moved_from(self, from: Option<&str>) -> Self {
        Self {
            moved_from: from.map(str::to_string),
            ..self
        }
    }

    /// Whether `entry` is the decision this change's article brought from the file it left.
    fn follows(&self, entry: &Entry) -> bool {
        self.file.is_some()
            && self
                .moved_from
                .as_deref()
                .is_some_and(|from| entry.file.as_deref() == Some(from))
    }

    /// This note, written over `seen` (what the editor saw): see [`Change::note_seen`].
    pub fn over(self, seen: impl Into<String>) -> Self {
        Self {
            note_seen: Some(seen.into()),
            ..self
        }
    }
}

/// The note a change leaves, given the one there now: when someone else wrote `current` after
/// the editor saw `seen`, theirs is kept, before this one ("theirs / mine"), and a clear
/// clears nothing the editor did not see. `writers` wrote `current` and the change.
fn note_after(
    current: Option<&str>,
    seen: Option<&str>,
    change: &NoteChange,
    writers: (&str, &str),
) -> Option<String> {
    let current = current.unwrap_or_default();
    let written_meanwhile = seen.is_some_and(|seen| seen != current) && !current.is_empty();
    match change {
        NoteChange::Set(n) if written_meanwhile && n != current => {
            Some(both_notes(current, n, writers))
        }
        NoteChange::Set(n) => Some(n.clone()),
        NoteChange::Clear if written_meanwhile => Some(current.to_string()),
        NoteChange::Keep | NoteChange::Clear => None,
    }
}

/// Two notes kept in one. A note has one author (the last writer), so when two editors wrote
/// them each part names its own: "[ayu] call the club / [marc] photo needed". A part named
/// already (an earlier merge, or the editor's edit of one) keeps its names.
fn both_notes(theirs: &str, mine: &str, (their_editor, my_editor): (&str, &str)) -> String {
    if their_editor == my_editor {
        return format!("{theirs} / {mine}");
    }
    // Named already: the result of an earlier merge ("[bob] x / [ayu] y"), not a note that
    // happens to begin with a bracket ("[TK] add the title").
    let named = |part: &str, editor: &str| match part.starts_with('[') && part.contains(" / [") {
        true => part.to_string(),
        false => format!("[{editor}] {part}"),
    };
    format!(
        "{} / {}",
        named(theirs, their_editor),
        named(mine, my_editor)
    )
}

/// The whole state file.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub version: i64,
    /// The journal's records up to this sequence number are already in this state
    /// (`journal_folded` in the file; 0 when nothing was ever journalled).
    pub folded: u64,
    /// The CRC-32 of the state file this one was folded from (`journal_onto`): an editor
    /// holding that file and the folded marks already has this one, and need not read it.
    pub folded_onto: Option<u32>,
    pub articles: BTreeMap<String, Entry>,
    /// Top-level keys written by a newer copydesk.
    pub extra: Table,
    /// Decisions that followed their article to another file, by id: the file each was
    /// recorded on, which is gone (see [`twins::follow_moved_files`]). Not written to the
    /// file: the next change on the article records the move ([`Change::moved_from`]).
    pub moved: BTreeMap<String, Box<str>>,
}

impl Default for State {
    /// An empty state, of the version this copydesk writes (what a missing file reads as).
    fn default() -> Self {
        Self {
            version: VERSION,
            folded: 0,
            folded_onto: None,
            articles: BTreeMap::new(),
            extra: Table::new(),
            moved: BTreeMap::new(),
        }
    }
}

impl State {
    /// The decision on this article, if one was made on it (see [`Entry::file`]).
    pub fn entry_for(&self, a: &crate::inbox::Article) -> Option<&Entry> {
        self.articles.get(&*a.id).filter(|e| e.applies_to(a))
    }

    /// The file a decision under this article's id was made on, when that is another file
    /// (the article then shows untriaged, and only a decision on it replaces that one).
    pub fn decided_elsewhere(&self, a: &crate::inbox::Article) -> Option<&str> {
        let entry = self.articles.get(&*a.id)?;
        match entry.applies_to(a) {
            true => None,
            false => entry.file.as_deref(),
        }
    }

    /// This article's status: `untriaged` without a decision made on it.
    pub fn status_for(&self, a: &crate::inbox::Article) -> Status {
        self.entry_for(a).map_or(Status::Untriaged, |e| e.status)
    }

    /// The status recorded under an id (`untriaged` when it has no entry), whichever file
    /// it was decided on: [`State::status_for`] for an article.
    pub fn status_of(&self, id: &str) -> Status {
        self.articles
            .get(id)
            .map_or(Status::Untriaged, |e| e.status)
    }

    /// Records a decision, moving the previous one into the history. Returns false when the
    /// change does not apply: its expectation no longer holds (another editor decided since),
    /// or it would only create an empty "untriaged" entry.
    pub fn apply(&mut self, change: &Change, editor: &str, at: DateTime<FixedOffset>) -> bool {
        // Whole seconds, as the file keeps them: a decision held in memory must equal the one
        // read back, or an undo's expectation never holds ("changed by ayu since").
        let at = at.trunc_subsecs(0);
        let current = self.articles.get(&*change.id);
        // A decision under this id made on another file is not this article's, which is
        // untriaged: only a decision replaces it (the other goes to the history, without its
        // note); a note or an 'untriaged' changes nothing here.
        let moved = current.is_some_and(|e| change.follows(e));
        let elsewhere = current.is_some_and(|e| {
            let (made_on, here) = (e.file.as_deref(), change.file.as_deref());
            made_on
                .zip(here)
                .is_some_and(|(made_on, here)| made_on != here)
                && !moved
        });
        if change.expect.as_ref().is_some_and(|x| !x.holds_in(current)) {
            return false;
        }
        if change.expect_undecided && current.is_some_and(|e| e.decided()) && !elsewhere {
            return false;
        }
        let nothing_to_do = match (elsewhere, change.kind) {
            (true, ChangeKind::Note) => true,
            (true, _) => change.status == Status::Untriaged,
            (false, ChangeKind::Note) => false,
            // Untriaged copy marked untriaged (a note alone is not a decision).
            (false, _) => {
                change.status == Status::Untriaged
                    && change.note == NoteChange::Keep
                    && current.is_some_and(|e| !e.decided())
            }
        };
        if nothing_to_do {
            return false;
        }
        match self.articles.get_mut(&change.id) {
            Some(entry)
                if !elsewhere
                    && (change.kind == ChangeKind::Note
                        || (change.kind == ChangeKind::Plain
                            && entry.status == change.status
                            && change.note != NoteChange::Keep)) =>
            {
                // A note on its own does not take over the decision: who decided stays.
                let writers = (entry.note_author().0, editor);
                let seen = change.note_seen.as_deref();
                // An undo puts back a note only over the one its save left: over a note
                // written since it would keep theirs beside words put back as the undoer's.
                let since = seen.is_some_and(|seen| seen != entry.note().unwrap_or_default());
                if change.note_author.is_some() && since {
                    return false;
                }
                let note = note_after(entry.note(), seen, &change.note, writers);
                if note.as_deref() == entry.note() {
                    return false;
                }
                // A note put back as it was is its author's; who cleared a note is worth
                // keeping only when it was not the decider.
                let restored = match (&change.note, &change.note_author) {
                    (NoteChange::Set(n), Some(author)) if note.as_deref() == Some(n) => {
                        Some(author)
                    }
                    _ => None,
                };
                entry.annotation = match (note, restored) {
                    (note, Some((by, _))) if *by == entry.editor => {
                        Annotation::boxed(note, None, None)
                    }
                    (note, Some((by, when))) => {
                        Annotation::boxed(note, Some(by.clone()), Some(*when))
                    }
                    (None, None) if entry.editor == editor => None,
                    (note, None) => Annotation::boxed(note, Some(editor.to_string()), Some(at)),
                };
                if moved {
                    entry
                        .file
                        .clone_from(&change.file.as_deref().map(Into::into));
                }
                // A note holder whose note is gone holds nothing.
                if !entry.decided() && entry.note().is_none() {
                    self.articles.remove(&*change.id);
                }
            }
            Some(entry) => {
                let old = entry.annotation.take();
                let old_note = old.as_ref().and_then(|a| a.note.clone());
                let annotation = match &change.note {
                    // Another file's note is not this article's.
                    NoteChange::Keep if elsewhere => None,
                    // The note stays its author's, named when that is not the new decider.
                    NoteChange::Keep => {
                        let (by, when) = match old.as_deref() {
                            Some(Annotation {
                                by: Some(by), at, ..
                            }) => (by.clone(), *at),
                            _ => (entry.editor.clone(), Some(entry.marked_at)),
                        };
                        let by = (old_note.is_some() && by != editor).then_some(by);
                        let when = when.filter(|_| by.is_some());
                        Annotation::boxed(old_note.clone(), by, when)
                    }
                    NoteChange::Set(n) => Annotation::boxed(Some(n.clone()), None, None),
                    NoteChange::Clear => None,
                };
                // The note goes with the decision it was on, still its writer's.
                let old_note_by = old
                    .as_ref()
                    .and_then(|a| a.by.clone())
                    .filter(|by| old_note.is_some() && *by != entry.editor);
                entry.history.push(HistoryEntry {
                    status: entry.status,
                    editor: std::mem::take(&mut entry.editor),
                    at: entry.marked_at,
                    note: old_note,
                    note_by: old_note_by,
                    extra: Extra::default(),
                });
                entry.status = change.status;
                entry.editor = editor.to_string();
                entry.marked_at = at;
                entry.annotation = annotation;
                if let Some(file) = &change.file {
                    entry.file = Some(file.as_str().into());
                }
            }
            None => {
                let note = match &change.note {
                    NoteChange::Set(n) => Some(n.clone()),
                    NoteChange::Keep | NoteChange::Clear => None,
                };
                if change.status == Status::Untriaged && note.is_none() {
                    return false;
                }
                let entry = Entry {
                    status: change.status,
                    editor: editor.to_string(),
                    marked_at: at,
                    file: change.file.as_deref().map(Into::into),
                    annotation: Annotation::boxed(note, None, None),
                    history: Vec::new(),
                    extra: Extra::default(),
                };
                self.articles.insert(change.id.clone(), entry);
            }
        }
        // The move is in the change's record now.
        if change.moved_from.is_some() {
            self.moved.remove(&change.id);
        }
        true
    }

    /// Parses a state file's text. Errors name the line and the problem.
    pub fn parse(text: &str) -> Result<Self, ParseProblem> {
        match fast::parse(text) {
            Some(state) => Ok(state),
            None => Self::parse_with_toml_crate(text),
        }
    }

    /// The file's text: a comment, then sorted, stable TOML.
    ///
    /// Written line by line (a 100,000-entry state is folded in a fraction of the time the
    /// generic serializer takes); entries with keys from a newer version, and top-level keys,
    /// go through the toml crate so that they come out exactly as it writes them.
    pub fn to_toml(&self) -> String {
        if !self.extra.is_empty() || self.articles.is_empty() {
            return self.to_toml_generic();
        }
        let mut out = String::with_capacity(self.articles.len() * 160 + 64);
        out.push_str("# copydesk triage state\n");
        out.push_str(&format!("version = {}\n", self.version.max(VERSION)));
        if self.folded > 0 {
            out.push_str(&format!("{FOLDED_KEY} = {}\n", self.folded));
        }
        if let Some(crc) = self.folded_onto {
            out.push_str(&format!("{ONTO_KEY} = \"{crc:08x}\"\n"));
        }
        for (id, entry) in &self.articles {
            let plain = entry.extra.is_empty() && entry.history.iter().all(|h| h.extra.is_empty());
            if plain {
                write_entry(&mut out, id, entry);
            } else {
                let mut articles = Table::new();
                articles.insert(id.clone(), Value::Table(entry_table(entry)));
                let mut doc = Table::new();
                doc.insert("articles".into(), Value::Table(articles));
                out.push('\n');
                out.push_str(
                    toml::to_string(&doc)
                        .unwrap_or_default()
                        .trim_start_matches('\n'),
                );
            }
        }
        out
    }

    /// Parses through the toml crate only (what every parse did before the line reader);
    /// for comparisons in benchmarks.
    #[doc(hidden)]
    pub fn parse_with_toml_crate(text: &str) -> Result<Self, ParseProblem> {
        let table: Table = text.parse().map_err(|e: toml::de::Error| ParseProblem {
            line: e.span().map(|s| line_of(text, s.start)),
            message: e.message().split_whitespace().collect::<Vec<_>>().join(" "),
        })?;
        from_table(table, text)
    }

    /// The file's text through the toml crate's serializer (what every save did before the
    /// line writer; used for entries with unknown keys).
    #[doc(hidden)]
    pub fn to_toml_generic(&self) -> String {
        let mut root = self.extra.clone();
        root.remove("articles");
        root.remove("version");
        root.remove(FOLDED_KEY);
        root.remove(ONTO_KEY);
        let mut out = Table::new();
        out.insert("version".into(), Value::Integer(self.version.max(VERSION)));
        if self.folded > 0 {
            let folded = i64::try_from(self.folded).unwrap_or(i64::MAX);
            out.insert(FOLDED_KEY.into(), Value::Integer(folded));
        }
        if let Some(crc) = self.folded_onto {
            out.insert(ONTO_KEY.into(), Value::String(format!("{crc:08x}")));
        }
        out.extend(root);
        let mut articles = Table::new();
        for (id, entry) in &self.articles {
            articles.insert(id.clone(), Value::Table(entry_table(entry)));
        }
        out.insert("articles".into(), Value::Table(articles));
        let body = toml::to_string(&out).unwrap_or_default();
        format!("# copydesk triage state\n{body}")
    }
}

/// Where and why a state file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseProblem {
    pub line: Option<usize>,
    pub message: String,
}

/// A CRC-32 written as 8 hex digits.
fn crc_of_text(s: &str) -> Option<u32> {
    (s.len() == 8)
        .then(|| u32::from_str_radix(s, 16).ok())
        .flatten()
}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn datetime_value(d: &DateTime<FixedOffset>) -> Value {
    // Whole seconds unless the file had a fraction (written by hand or another tool).
    let text = d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
    text.parse::<toml::value::Datetime>()
        .map_or(Value::String(text), Value::Datetime)
}

/// A key as the toml crate writes it: bare when it can be; else a literal string when a basic
/// one would need escapes and a literal one can hold it; else a basic string on one line. Never
/// a multi-line string, which TOML does not allow as a key (a `Value`'s text may be one).
fn key_text(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let literal =
        key.contains(['"', '\\']) && !key.contains('\'') && !key.chars().any(char::is_control);
    match (bare, literal) {
        (true, _) => key.to_string(),
        (false, true) => format!("'{key}'"),
        (false, false) => quote(key),
    }
}

/// A TOML basic string on one line: keys may not span lines, and the journal's framing is
/// line-based, so no value there may span lines or look like a record's first line.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn push_string(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(" = ");
    out.push_str(&Value::String(value.into()).to_string());
    out.push('\n');
}

fn push_time(out: &mut String, key: &str, value: &DateTime<FixedOffset>) {
    out.push_str(key);
    out.push_str(" = ");
    out.push_str(&datetime_value(value).to_string());
    out.push('\n');
}

/// One entry without unknown keys, as the toml crate would write it.
fn write_entry(out: &mut String, id: &str, e: &Entry) {
    let key = key_text(id);
    out.push_str(&format!("\n[articles.{key}]\n"));
    push_string(out, "status", e.status.as_str());
    push_string(out, "editor", &e.editor);
    push_time(out, "marked_at", &e.marked_at);
    if let Some(f) = &e.file {
        push_string(out, "file", f);
    }
    if let Some(n) = e.note() {
        push_string(out, "note", n);
    }
    if let Some(by) = e.note_by() {
        push_string(out, "note_by", by);
    }
    if let Some(at) = &e.note_at() {
        push_time(out, "note_at", at);
    }
    for h in &e.history {
        out.push_str(&format!("\n[[articles.{key}.history]]\n"));
        push_string(out, "status", h.status.as_str());
        push_string(out, "editor", &h.editor);
        push_time(out, "at", &h.at);
        if let Some(n) = &h.note {
            push_string(out, "note", n);
        }
        if let Some(by) = &h.note_by {
            push_string(out, "note_by", by);
        }
    }
}

fn entry_table(e: &Entry) -> Table {
    let mut t = Table::new();
    t.insert("status".into(), Value::String(e.status.as_str().into()));
    t.insert("editor".into(), Value::String(e.editor.clone()));
    t.insert("marked_at".into(), datetime_value(&e.marked_at));
    if let Some(f) = &e.file {
        t.insert("file".into(), Value::String(f.to_string()));
    }
    if let Some(n) = e.note() {
        t.insert("note".into(), Value::String(n.into()));
    }
    if let Some(by) = e.note_by() {
        t.insert("note_by".into(), Value::String(by.into()));
    }
    if let Some(at) = &e.note_at() {
        t.insert("note_at".into(), datetime_value(at));
    }
    for (k, v) in &e.extra {
        t.entry(k.clone()).or_insert_with(|| v.clone());
    }
    if !e.history.is_empty() {
        let history = e
            .history
            .iter()
            .map(|h| Value::Table(history_table(h)))
            .collect();
        t.insert("history".into(), Value::Array(history));
    }
    t
}

fn history_table(h: &HistoryEntry) -> Table {
    let mut t = Table::new();
    t.insert("status".into(), Value::String(h.status.as_str().into()));
    t.insert("editor".into(), Value::String(h.editor.clone()));
    t.insert("at".into(), datetime_value(&h.at));
    if let Some(n) = &h.note {
        t.insert("note".into(), Value::String(n.clone()));
    }
    if let Some(by) = &h.note_by {
        t.insert("note_by".into(), Value::String(by.clone()));
    }
    for (k, v) in &h.extra {
        t.entry(k.clone()).or_insert_with(|| v.clone());
    }
    t
}

// ---------------------------------------------------------------------------------------------
// Reading

fn from_table(mut table: Table, text: &str) -> Result<State, ParseProblem> {
    let problem = |key: &str, message: String| ParseProblem {
        line: find_line(text, key),
        message,
    };
    let version = match table.remove("version") {
        None => VERSION,
        Some(Value::Integer(v)) => v,
        Some(other) => {
            return Err(problem(
                "version",
                format!("'version' should be a number, found {}", other.type_str()),
            ));
        }
    };
    let folded = match table.remove(FOLDED_KEY) {
        None => 0,
        Some(Value::Integer(n)) if n >= 0 => n.unsigned_abs(),
        Some(_) => {
            return Err(problem(
                FOLDED_KEY,
                format!("'{FOLDED_KEY}' should be a number of 0 or more"),
            ));
        }
    };
    // Only a hint: anything but 8 hex digits is no hint.
    let folded_onto = match table.remove(ONTO_KEY) {
        Some(Value::String(s)) => crc_of_text(&s),
        _ => None,
    };
    let articles = match table.remove("articles") {
        None => Table::new(),
        Some(Value::Table(t)) => t,
        Some(other) => {
            return Err(problem(
                "articles",
                format!("'articles' should be a table, found {}", other.type_str()),
            ));
        }
    };
    // Collected, not inserted one by one: a map built from a list packs its nodes full.
    let mut entries = Vec::with_capacity(articles.len());
    for (id, value) in articles {
        let Value::Table(t) = value else {
            return Err(problem(&id, format!("article '{id}' should be a table")));
        };
        let entry = read_entry(&id, t).map_err(|m| ParseProblem {
            line: entry_line(text, &id, &m),
            message: m,
        })?;
        entries.push((id, entry));
    }
    let out: BTreeMap<String, Entry> = entries.into_iter().collect();
    Ok(State {
        version,
        folded,
        folded_onto,
        articles: out,
        extra: table,
        moved: BTreeMap::new(),
    })
}

fn find_line(text: &str, key: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(key)).map(|i| i + 1)
}

/// The line of an article's problem: the first line after the article's header that sets the
/// key or holds the value the message quotes (`'status' should be a string`, `'approved' is
/// not a status`), else the header's line.
fn entry_line(text: &str, id: &str, message: &str) -> Option<usize> {
    let header = find_line(text, id)?;
    let rest = message.split_once("': ").map_or(message, |(_, r)| r);
    let quoted = rest.strip_prefix('\'')?.split('\'').next()?;
    let found = text.lines().skip(header).position(|l| {
        let l = l.trim_start();
        l.strip_prefix(quoted)
            .is_some_and(|r| r.trim_start().starts_with('='))
            || l.contains(&format!("\"{quoted}\""))
    });
    Some(found.map_or(header, |i| header + i + 1))
}

fn take_status(t: &mut Table, id: &str) -> Result<Status, String> {
    match t.remove("status") {
        Some(Value::String(s)) => s.parse().map_err(|e| format!("article '{id}': {e}")),
        Some(other) => Err(format!(
            "article '{id}': 'status' should be a string, found {}",
            other.type_str()
        )),
        None => Err(format!("article '{id}': 'status' is missing")),
    }
}

fn take_string(t: &mut Table, key: &str, id: &str) -> Result<Option<String>, String> {
    take_str(t, key).map_err(|e| format!("article '{id}': {e}"))
}

/// The string at `key`, taken out of the table; an error naming the key for another type.
fn take_str(t: &mut Table, key: &str) -> Result<Option<String>, String> {
    match t.remove(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!(
            "'{key}' should be a string, found {}",
            other.type_str()
        )),
    }
}

fn take_time(t: &mut Table, key: &str, id: &str) -> Result<DateTime<FixedOffset>, String> {
    let text = match t.remove(key) {
        Some(Value::Datetime(d)) => d.to_string(),
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(format!(
                "article '{id}': '{key}' should be a date-time, found {}",
                other.type_str()
            ));
        }
        None => return Err(format!("article '{id}': '{key}' is missing")),
    };
    DateTime::parse_from_rfc3339(&text)
        .map_err(|_| format!("article '{id}': '{key}' = '{text}' is not a date-time with a zone"))
}

fn read_entry(id: &str, mut t: Table) -> Result<Entry, String> {
    let status = take_status(&mut t, id)?;
    let editor = take_string(&mut t, "editor", id)?.unwrap_or_default();
    let marked_at = take_time(&mut t, "marked_at", id)?;
    let file = take_string(&mut t, "file", id)?.map(Into::into);
    let note = take_string(&mut t, "note", id)?;
    let note_by = take_string(&mut t, "note_by", id)?;
    let note_at = match t.contains_key("note_at") {
        true => Some(take_time(&mut t, "note_at", id)?),
        false => None,
    };
    let history = match t.remove("history") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::Table(h) => read_history(id, h),
                _ => Err(format!("article '{id}': 'history' should hold tables")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(format!(
                "article '{id}': 'history' should be an array of tables"
            ));
        }
    };
    Ok(Entry {
        status,
        editor,
        marked_at,
        file,
        annotation: Annotation::boxed(note, note_by, note_at),
        history,
        extra: t.into(),
    })
}

fn read_history(id: &str, mut h: Table) -> Result<HistoryEntry, String> {
    Ok(HistoryEntry {
        status: take_status(&mut h, id)?,
        editor: take_string(&mut h, "editor", id)?.unwrap_or_default(),
        at: take_time(&mut h, "at", id)?,
        note: take_string(&mut h, "note", id)?,
        note_by: take_string(&mut h, "note_by", id)?,
        extra: h.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 100,000-entry state holds one `Entry` per article (it was 144 bytes with the note's
    /// three fields inline; the file decided on added 16).
    #[test]
    fn an_entry_keeps_its_note_out_of_line() {
        assert!(std::mem::size_of::<Entry>() <= 104);
        assert_eq!(Annotation::boxed(None, None, None), None);
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("time")
    }

    fn mark(id: &str, status: Status, note: NoteChange) -> Change {
        Change::new(id, status, note)
    }

    #[test]
    fn marks_keep_history_and_round_trip() {
        let mut s = State::default();
        s.apply(
            &mark("000_seed", Status::NeedsReview, NoteChange::Keep),
            "marc",
            at("2026-11-27T08:50:11+07:00"),
        );
        s.apply(
            &mark(
                "000_seed",
                Status::TranslationSuspect,
                NoteChange::Set("footer says MT".into()),
            ),
            "ayu",
            at("2026-11-27T09:14:03+07:00"),
        );
        let text = s.to_toml();
        assert_eq!(
            text,
            "# copydesk triage state\nversion = 2\n\n[articles.000_seed]\nstatus = \"translation-suspect\"\neditor = \"ayu\"\nmarked_at = 2026-11-27T09:14:03+07:00\nnote = \"footer says MT\"\n\n[[articles.000_seed.history]]\nstatus = \"needs-review\"\neditor = \"marc\"\nat = 2026-11-27T08:50:11+07:00\n"
        );
        let back = State::parse(&text).expect("parse");
        assert_eq!(
            back,
            State {
                version: VERSION,
                ..s
            }
        );
    }

    #[test]
    fn a_change_that_brings_its_decision_from_a_gone_file_keeps_it_and_records_the_move() {
        let state = State::parse(
            "version = 2\n[articles.x]\nstatus = \"verified\"\neditor = \"ayu\"\n\
             marked_at = 2026-11-27T09:00:00+07:00\nfile = \"mt/x.md\"\nnote = \"call back\"\n",
        )
        .expect("parse");
        let at = DateTime::parse_from_rfc3339("2026-11-27T10:00:00+07:00").expect("time");
        let decision =
            Change::decision("x", Status::NeedsReview, NoteChange::Keep).on_file("archive/x.md");

        // Moved: the decision is this article's; its note stays, the file is the new one.
        let mut moved = state.clone();
        moved.moved.insert("x".into(), "mt/x.md".into());
        assert!(moved.apply(&decision.clone().moved_from(Some("mt/x.md")), "marc", at));
        let e = &moved.articles["x"];
        assert_eq!(e.file.as_deref(), Some("archive/x.md"));
        assert_eq!(e.note(), Some("call back"));
        assert_eq!(e.history[0].status, Status::Verified);
        assert!(moved.moved.is_empty(), "the move is recorded now");

        // Without the move it is another file's decision: its note does not come along.
        let mut other = state.clone();
        assert!(other.apply(&decision, "marc", at));
        assert_eq!(other.articles["x"].note(), None);

        // A note alone on the moved article is on that decision, and records the move.
        let mut noted = state.clone();
        let note = Change::note("x", Status::Verified, NoteChange::Set("done".into()))
            .on_file("archive/x.md")
            .moved_from(Some("mt/x.md"));
        assert!(noted.apply(&note, "marc", at));
        let e = &noted.articles["x"];
        assert_eq!((e.status, e.note()), (Status::Verified, Some("done")));
        assert_eq!(e.file.as_deref(), Some("archive/x.md"));
        let mut refused = state;
        assert!(!refused.apply(
            &Change {
                moved_from: None,
                ..note
            },
            "marc",
            at
        ));
    }

    #[test]
    fn a_note_leaves_the_decision_its_editors_and_a_decision_with_a_note_takes_it() {
        let mut s = State::default();
        let verified = |note: &str| NoteChange::Set(note.into());
        s.apply(
            &mark("a", Status::Verified, NoteChange::Keep),
            "ayu",
            at("2026-11-27T08:00:00+07:00"),
        );
        // The note prompt: a note on ayu's decision.
        s.apply(
            &mark("a", Status::Verified, verified("quotes checked")),
            "marc",
            at("2026-11-27T08:10:00+07:00"),
        );
        let e = &s.articles["a"];
        assert_eq!((e.editor.as_str(), e.note_by()), ("ayu", Some("marc")));
        assert!(e.history.is_empty());
        // `mark --as verified --note ...`: marc decides it again, and says so.
        s.apply(
            &Change::decision("a", Status::Verified, verified("checked against the wire")),
            "marc",
            at("2026-11-27T08:20:00+07:00"),
        );
        let e = &s.articles["a"];
        assert_eq!((e.editor.as_str(), e.note_by()), ("marc", None));
        assert_eq!(e.note(), Some("checked against the wire"));
        assert_eq!(e.marked_at, at("2026-11-27T08:20:00+07:00"));
        assert_eq!(e.history.len(), 1);
        assert_eq!(e.history[0].editor, "ayu");
        // A note begun when the article read needs-review, written after lead verified it:
        // the note lands on lead's decision and changes nothing of it.
        s.apply(
            &Change::new("b", Status::NeedsReview, NoteChange::Keep),
            "ayu",
            at("2026-11-27T08:00:00+07:00"),
        );
        let seen = s.status_of("b");
        s.apply(
            &Change::new("b", Status::Verified, NoteChange::Keep),
            "lead",
            at("2026-11-27T08:30:00+07:00"),
        );
        s.apply(
            &Change::note("b", seen, verified("second source found")),
            "marc",
            at("2026-11-27T08:31:00+07:00"),
        );
        let e = &s.articles["b"];
        assert_eq!(e.status, Status::Verified);
        assert_eq!((e.editor.as_str(), e.note_by()), ("lead", Some("marc")));
        assert_eq!(e.note(), Some("second source found"));
    }

    #[test]
    fn unknown_keys_survive_a_rewrite() {
        let text = "version = 2\nfuture = \"yes\"\n[articles.a]\nstatus = \"verified\"\neditor = \"e\"\nmarked_at = 2026-11-27T09:00:00Z\nconfidence = 0.5\n[articles.a.review]\nby = \"x\"\n";
        let mut s = State::parse(text).expect("parse");
        s.apply(
            &mark("a", Status::NeedsReview, NoteChange::Keep),
            "f",
            at("2026-11-27T10:00:00Z"),
        );
        let again = State::parse(&s.to_toml()).expect("reparse");
        assert_eq!(again.version, 2);
        assert_eq!(
            again.extra.get("future"),
            Some(&Value::String("yes".into()))
        );
        let a = &again.articles["a"];
        assert_eq!(a.extra.get("confidence"), Some(&Value::Float(0.5)));
        assert!(a.extra.get("review").is_some());
        assert_eq!(a.history.len(), 1);
    }

    #[test]
    fn a_decision_in_memory_equals_the_one_read_back() {
        // The real clock has nanoseconds: undo compared them with the file's whole seconds and
        // was always refused in the screen.
        let mut s = State::default();
        let precise =
            DateTime::parse_from_rfc3339("2026-11-27T09:14:03.123456789+07:00").expect("time");
        s.apply(&mark("a", Status::Verified, NoteChange::Keep), "e", precise);
        assert_eq!(
            State::parse(&s.to_toml()).expect("parses").articles,
            s.articles
        );
        assert!(
            s.to_toml()
                .contains("marked_at = 2026-11-27T09:14:03+07:00")
        );
        // A fraction written by hand survives a rewrite (found by the state fuzz property).
        let text = "[articles.a]\nstatus = \"verified\"\neditor = \"e\"\nmarked_at = 2026-11-27T09:00:00.5+07:00\n";
        let read = State::parse(text).expect("parses");
        assert_eq!(State::parse(&read.to_toml()).expect("parses"), read);
    }

    #[test]
    fn bad_files_name_line_and_problem() {
        let err = State::parse("version = 1\n[articles.a]\nstatus = \n").unwrap_err();
        assert_eq!(err.line, Some(3));
        let err = State::parse("[articles.a]\nstatus = \"approved\"\neditor = \"e\"\nmarked_at = 2026-11-27T09:00:00Z\n").unwrap_err();
        assert!(
            err.message.contains("'approved' is not a status"),
            "{err:?}"
        );
        let err = State::parse("[articles.a]\nstatus = 42\n").unwrap_err();
        assert!(
            err.message
                .contains("'status' should be a string, found integer"),
            "{err:?}"
        );
        assert_eq!(
            err.line,
            Some(2),
            "the line of the bad value, not of the header"
        );
        let err =
            State::parse("[articles.a]\neditor = \"e\"\nstatus = \"approved\"\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err:?}");
        let err = State::parse("[articles.a]\nstatus = \"verified\"\n").unwrap_err();
        assert_eq!(err.line, Some(1), "a missing key: the header's line");
    }

    #[test]
    fn a_note_over_one_written_meanwhile_keeps_both() {
        let seen = |s: &'static str| Some(s);
        let set = |s: &str| NoteChange::Set(s.into());
        let one = ("ayu", "ayu");
        // Nobody wrote meanwhile: the editor's note, or nothing.
        assert_eq!(
            note_after(Some("a"), seen("a"), &set("b"), one),
            Some("b".into())
        );
        assert_eq!(note_after(None, seen(""), &set("b"), one), Some("b".into()));
        assert_eq!(
            note_after(Some("a"), seen("a"), &NoteChange::Clear, one),
            None
        );
        // `mark --note`: whatever is there is replaced.
        assert_eq!(
            note_after(Some("x"), None, &set("b"), one),
            Some("b".into())
        );
        // Someone wrote "x" after the editor saw "a" (or nothing): both kept, theirs first;
        // a clear clears nothing the editor did not see.
        assert_eq!(
            note_after(Some("x"), seen("a"), &set("b"), one),
            Some("x / b".into())
        );
        assert_eq!(
            note_after(Some("x"), seen(""), &set("b"), one),
            Some("x / b".into())
        );
        assert_eq!(
            note_after(Some("b"), seen("a"), &set("b"), one),
            Some("b".into())
        );
        assert_eq!(
            note_after(Some("x"), seen("a"), &NoteChange::Clear, one),
            Some("x".into())
        );
        // Another editor's note kept beside this one: each part names its writer.
        let two = ("bob", "ayu");
        assert_eq!(
            note_after(Some("x"), seen(""), &set("b"), two),
            Some("[bob] x / [ayu] b".into())
        );
        assert_eq!(
            note_after(
                Some("[bob] x / [ayu] b"),
                seen("x"),
                &set("c"),
                ("ayu", "marc")
            ),
            Some("[bob] x / [ayu] b / [marc] c".into())
        );
        // The editor's own text holding names (an edit of a merged note) keeps them.
        let edited = set("[bob] x / [ayu] b, done");
        assert_eq!(
            note_after(Some("y"), seen("[bob] x / [ayu] b"), &edited, two),
            Some("[bob] y / [bob] x / [ayu] b, done".into())
        );
        // A note that begins with a bracket is not a merge: it is named like any other.
        assert_eq!(
            note_after(
                Some("[TK] add the title"),
                seen(""),
                &set("[URGENT] call"),
                two
            ),
            Some("[bob] [TK] add the title / [ayu] [URGENT] call".into())
        );
        // Someone cleared it meanwhile: the editor's note stands.
        assert_eq!(
            note_after(None, seen("a"), &set("b"), one),
            Some("b".into())
        );

        let mut s = State::default();
        let t = at("2026-11-27T09:00:00+07:00");
        s.apply(&mark("a", Status::Verified, NoteChange::Keep), "ayu", t);
        s.apply(&Change::note("a", Status::Verified, set("x")), "bob", t);
        s.apply(
            &Change::note("a", Status::Verified, set("b")).over(""),
            "ayu",
            t,
        );
        let e = &s.articles["a"];
        assert_eq!(
            (e.note(), e.note_by()),
            (Some("[bob] x / [ayu] b"), Some("ayu"))
        );
        assert_eq!((e.status, e.editor.as_str()), (Status::Verified, "ayu"));
    }

    #[test]
    fn a_decision_made_on_another_file_yields_only_to_a_decision() {
        let mut s = State::default();
        let t = at("2026-11-27T09:00:00+07:00");
        let on = |c: Change, f: &str| c.on_file(f);
        let alpha = NoteChange::Set("alpha ok".into());
        s.apply(
            &on(mark("same", Status::Verified, alpha), "dup/a.md"),
            "ayu",
            t,
        );
        // On dup/b.md the id's decision is not this article's: it is untriaged there.
        let note = Change::note("same", Status::Untriaged, NoteChange::Set("x".into()));
        assert!(!s.apply(&on(note, "dup/b.md"), "ayu", t));
        let untriaged = mark("same", Status::Untriaged, NoteChange::Keep);
        assert!(!s.apply(&on(untriaged, "dup/b.md"), "ayu", t));
        assert_eq!(s.articles["same"].file.as_deref(), Some("dup/a.md"));
        // A decision there takes the id, without the other file's note.
        let beta = mark("same", Status::NeedsReview, NoteChange::Keep);
        assert!(s.apply(&on(beta, "dup/b.md"), "marc", t));
        let e = &s.articles["same"];
        assert_eq!(
            (e.status, e.file.as_deref()),
            (Status::NeedsReview, Some("dup/b.md"))
        );
        assert_eq!((e.note(), e.note_by()), (None, None));
        assert_eq!(e.history.len(), 1);
        assert_eq!(e.history[0].note.as_deref(), Some("alpha ok"));
    }

    #[test]
    fn clearing_a_note_written_meanwhile_changes_nothing() {
        let mut s = State::default();
        let t = at("2026-11-27T09:00:00+07:00");
        s.apply(&mark("a", Status::Verified, NoteChange::Keep), "marc", t);
        let bobs = Change::note("a", Status::Verified, NoteChange::Set("bob's".into())).over("");
        assert!(s.apply(&bobs, "bob", t));
        let clear = Change::note("a", Status::Verified, NoteChange::Clear).over("");
        assert!(!s.apply(&clear, "ayu", at("2026-11-27T10:00:00+07:00")));
        let e = &s.articles["a"];
        assert_eq!((e.note(), e.note_by()), (Some("bob's"), Some("bob")));
    }

    #[test]
    fn marking_a_noted_undecided_article_untriaged_changes_nothing() {
        let mut s = State::default();
        let t = at("2026-11-27T09:00:00+07:00");
        let note = Change::note("a", Status::Untriaged, NoteChange::Set("call".into()));
        assert!(s.apply(&note, "ayu", t));
        assert!(!s.apply(&mark("a", Status::Untriaged, NoteChange::Keep), "ayu", t));
        assert!(s.articles["a"].history.is_empty());
    }

    #[test]
    fn a_note_kept_by_a_new_decision_stays_its_authors() {
        let mut s = State::default();
        let t = |m: u32| at(&format!("2026-11-27T09:{m:02}:00+07:00"));
        let n1 = NoteChange::Set("check quotes".into());
        s.apply(&mark("a", Status::Verified, n1), "ayu", t(1));
        s.apply(
            &mark("a", Status::NeedsReview, NoteChange::Keep),
            "marc",
            t(2),
        );
        let e = &s.articles["a"];
        assert_eq!(e.note(), Some("check quotes"));
        assert_eq!((e.note_by(), e.note_at()), (Some("ayu"), Some(t(1))));
        // Bob's note on marc's decision, then ayu decides: still bob's.
        let n2 = NoteChange::Set("names ok".into());
        s.apply(&Change::note("a", Status::NeedsReview, n2), "bob", t(3));
        s.apply(&mark("a", Status::Verified, NoteChange::Keep), "ayu", t(4));
        let e = &s.articles["a"];
        assert_eq!((e.note_by(), e.note_at()), (Some("bob"), Some(t(3))));
        // Decided by the note's author: the decision's own note again.
        s.apply(
            &mark("a", Status::NeedsReview, NoteChange::Keep),
            "bob",
            t(5),
        );
        let e = &s.articles["a"];
        assert_eq!(
            (e.note(), e.note_by(), e.note_at()),
            (Some("names ok"), None, None)
        );
    }

    #[test]
    fn the_fast_writer_writes_what_the_toml_crate_writes() {
        let mut s = State {
            version: VERSION,
            folded: 12,
            folded_onto: Some(0x0a0b_0c0d),
            ..State::default()
        };
        let odd = [
            "plain",
            "wire/kazan-tram.ru",
            "feeds/x.xml#0a1b2c3d",
            "quote\"and\\back",
            "ünï cödé 東京",
            "tab\there",
            "",
            "Minister's \"plan\"",
            "it's \\ here",
            "two\nlines",
            "a'b\"c\\d",
            "esc\u{1b}[2J and del\u{7f}",
            "'",
        ];
        let notes = [
            "simple",
            "with \"quotes\" and 'apostrophes'",
            "back\\slash",
            "two\nlines",
            "ctrl \u{1b}[2J \u{7f}",
            "tab\tand ``` triple",
            "日本語のメモ",
        ];
        for (n, id) in odd.iter().enumerate() {
            let note = NoteChange::Set(notes[n % notes.len()].into());
            s.apply(
                &mark(id, Status::NeedsReview, note),
                odd[(n + 1) % odd.len()],
                at("2026-11-27T08:50:11+07:00"),
            );
            s.apply(
                &mark(id, Status::Verified, NoteChange::Keep).on_file(format!("wire/{id}.md")),
                "marc",
                at("2026-11-27T09:14:03Z"),
            );
            s.apply(
                &mark(id, Status::Verified, NoteChange::Set("n".into())),
                "ayu",
                at("2026-11-27T09:15:03-05:00"),
            );
        }
        let text = s.to_toml();
        assert_eq!(text, s.to_toml_generic());
        assert_eq!(State::parse(&text).expect("parse"), s);
        // An entry with keys from a newer version goes through the crate, in its place.
        let mut newer = State::parse(&text).expect("parse");
        let e = newer.articles.get_mut("plain").expect("entry");
        e.extra.insert("priority".into(), Value::Integer(3));
        let mut sub = Table::new();
        sub.insert("by".into(), Value::String("x".into()));
        e.extra.insert("review".into(), Value::Table(sub));
        e.history[0]
            .extra
            .insert("why".into(), Value::String("?".into()));
        assert_eq!(newer.to_toml(), newer.to_toml_generic());
    }

    /// helpers 29 and 32: a note by bob on ayu's decision went into the history as ayu's
    /// when carol decided, and the report printed it under ayu's name.
    #[test]
    fn a_note_in_the_history_stays_its_writers() {
        let mut s = State::default();
        let t = at("2026-11-27T09:00:00+07:00");
        s.apply(&mark("a", Status::Verified, NoteChange::Keep), "ayu", t);
        let bobs = NoteChange::Set("check the tram line".into());
        s.apply(&Change::note("a", Status::Verified, bobs), "bob", t);
        s.apply(
            &mark("a", Status::NeedsReview, NoteChange::Keep),
            "carol",
            t,
        );
        let past = &s.articles["a"].history[0];
        assert_eq!(
            (
                past.editor.as_str(),
                past.note.as_deref(),
                past.note_by.as_deref()
            ),
            ("ayu", Some("check the tram line"), Some("bob"))
        );
        for text in [s.to_toml(), s.to_toml_generic()] {
            assert!(text.contains("note_by = \"bob\""), "{text}");
            assert_eq!(
                State::parse(&text).map(|r| r.articles),
                Ok(s.articles.clone())
            );
        }
        // The decider's own note names nobody else.
        s.apply(
            &mark("b", Status::Verified, NoteChange::Set("mine".into())),
            "ayu",
            t,
        );
        s.apply(
            &mark("b", Status::NeedsReview, NoteChange::Keep),
            "carol",
            t,
        );
        assert_eq!(s.articles["b"].history[0].note_by, None);
    }

    #[test]
    fn marking_back_to_untriaged_keeps_history() {
        let mut s = State::default();
        s.apply(
            &mark("a", Status::Verified, NoteChange::Keep),
            "e",
            at("2026-11-27T09:00:00Z"),
        );
        s.apply(
            &mark("a", Status::Untriaged, NoteChange::Keep),
            "e",
            at("2026-11-27T09:01:00Z"),
        );
        assert_eq!(s.status_of("a"), Status::Untriaged);
        assert_eq!(s.articles["a"].history.len(), 1);
    }
}
