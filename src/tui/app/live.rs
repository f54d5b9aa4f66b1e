//! The inbox arriving while the screen is open: the first index in batches, then live updates
//! from the folder. The cursor stays on its article and on its screen row, and the filter,
//! sort and selection are kept; articles that arrive after the first index are marked new until
//! the editor has looked at them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{App, Effect, Focus, Level};
use crate::inbox::Article;
use crate::inbox::index::Progress;
use crate::state::twins;
use crate::tui::index::Index;

impl App {
    /// The first index has started: the list fills as files are read.
    pub fn scan_started(&mut self) {
        self.scan = Some(Progress::default());
    }

    /// A batch of articles read during the first index (ids not yet final). The reader opens
    /// on the first batch's top article, then follows the article the cursor's row holds as
    /// newer ones come in above it.
    pub fn scan_batch(&mut self, progress: Progress, batch: Vec<Arc<Article>>) -> Vec<Effect> {
        self.scan = Some(progress);
        if batch.is_empty() {
            return Vec::new();
        }
        let place = self.place();
        let mut articles = std::mem::take(&mut self.articles);
        self.view.clear();
        articles.extend(batch);
        articles.sort_by(|a, b| crate::inbox::list_order(a, b));
        self.put_articles(articles, place);
        self.load_if_moved()
    }

    /// Progress of a refresh that reads files without showing them yet.
    pub fn scan_progress(&mut self, progress: Progress) {
        self.scan = Some(progress);
    }

    /// The whole inbox, final. `changed` is set for updates after the first index, with the
    /// files read again because they changed: articles not seen before, and those of changed
    /// files, are then marked new.
    pub fn inbox_loaded(
        &mut self,
        mut articles: Vec<Arc<Article>>,
        changed: Option<&[PathBuf]>,
    ) -> Vec<Effect> {
        // The first index's batches hold ids not yet made unique: no ids to keep (h37).
        let before: &[Arc<Article>] = match self.scan {
            Some(_) => &[],
            None => &self.articles,
        };
        twins::settle_twins(&mut articles, &mut self.state, before);
        // The inbox can be read again.
        self.alert = None;
        let first_done = self.scan.take().is_some();
        let current = self.current().cloned();
        let changed: Option<HashSet<&Path>> =
            changed.map(|c| c.iter().map(PathBuf::as_path).collect());
        if let Some(changed) = &changed {
            let before: HashMap<&str, &Arc<Article>> =
                self.articles.iter().map(|a| (&*a.id, a)).collect();
            let (mut arrived, mut edited) = (Vec::new(), Vec::new());
            let now: HashSet<&str> = articles.iter().map(|a| &*a.id).collect();
            let removed = before.keys().filter(|id| !now.contains(*id)).count();
            for a in &articles {
                match before.get(&*a.id) {
                    None => arrived.push(a.id.to_string()),
                    // Read again and not the same (a touch or a chmod gives the same article;
                    // an edit of one item of a feed changes that item only).
                    Some(old) if changed.contains(&*a.location.rel_path) && ***old != **a => {
                        edited.push(a.id.to_string());
                    }
                    Some(_) => {}
                }
            }
            if let Some(told) = arrivals_message(arrived.len(), edited.len(), removed) {
                self.message = Some((told, Level::Info));
            }
            self.fresh.extend(arrived.into_iter().chain(edited));
        } else if first_done && self.message.is_none() && !articles.iter().any(|a| a.pending) {
            self.message = Some((format!("{} articles indexed", articles.len()), Level::Info));
        }
        let place = self.place();
        self.put_articles(articles, place);
        self.fresh.retain(|id| self.index.position(id).is_some());
        // The article being read went away: the reader does not slide to another one, and the
        // side-by-side view does not stay open on nothing, which the next key would mark.
        let gone = |id: &str| self.index.position(id).is_none();
        let read_and_gone = match &self.pair {
            Some(pair) => [&pair.translation, &pair.original]
                .into_iter()
                .find(|id| gone(id))
                .cloned(),
            None => current
                .as_ref()
                .filter(|old| self.focus == Focus::Reader && gone(&old.id))
                .map(|old| old.id.to_string()),
        };
        if let Some(id) = read_and_gone {
            self.pair = None;
            self.focus = Focus::List;
            self.zoom = false;
            self.message = Some((
                format!("{id} is no longer in the inbox: its file went away or no longer holds it"),
                Level::Error,
            ));
        }
        // The article being read changed on disk (its body too: see `Article::body_crc`), or
        // its file went away: read it again.
        match (current, self.current()) {
            (Some(old), Some(new)) if old.id == new.id && old != *new => self.load_current(),
            // Another article under the cursor (the final order of a first index), or none.
            _ => self.load_if_moved(),
        }
    }

    /// The article under the cursor and its row on the screen.
    fn place(&self) -> (Option<String>, usize) {
        let id = self.current().map(|a| a.id.to_string());
        (id, self.cursor.saturating_sub(self.offset))
    }

    /// New articles, keeping the cursor on its article and on its row of the screen.
    fn put_articles(&mut self, articles: Vec<Arc<Article>>, (id, row): (Option<String>, usize)) {
        self.articles = articles;
        self.view.clear();
        self.index = Index::new(&self.articles, &self.state);
        self.recompute_view(id.as_deref());
        if id.is_some() && self.current().map(|a| &*a.id) == id.as_deref() {
            let rows = self.list_rows();
            self.offset = self
                .cursor
                .saturating_sub(row)
                .min(self.view.len().saturating_sub(rows));
        }
    }

    /// The visible articles, shared (for work on another thread).
    pub fn visible_shared(&self) -> impl Iterator<Item = Arc<Article>> + '_ {
        self.view.iter().map(|&i| Arc::clone(&self.articles[i]))
    }

    /// A note from the scanner, for the status line.
    pub fn note(&mut self, note: String) {
        self.message = Some((note, Level::Info));
    }

    /// A problem for the status line, shown before everything else on it.
    pub fn note_error(&mut self, problem: String) {
        self.message = Some((problem, Level::Error));
    }

    /// The editor has seen this article: it is no longer new.
    pub(super) fn seen(&mut self, id: &str) {
        self.fresh.remove(id);
    }

    /// True when the article arrived while the screen was open and has not been looked at.
    pub fn is_fresh(&self, id: &str) -> bool {
        self.fresh.contains(id)
    }
}

/// What a live update brought: "2 new articles, 1 changed, 1 removed".
fn arrivals_message(arrived: usize, edited: usize, removed: usize) -> Option<String> {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let mut parts: Vec<String> = Vec::new();
    for (n, what) in [(arrived, "new"), (edited, "changed"), (removed, "removed")] {
        let said = match (n, parts.is_empty(), what) {
            (0, _, _) => continue,
            (n, true, "new") => format!("{n} new article{}", s(n)),
            (n, true, what) => format!("{n} article{} {what}", s(n)),
            (n, false, what) => format!("{n} {what}"),
        };
        parts.push(said);
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}
