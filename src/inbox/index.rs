//! The index of an inbox: what every file gave, keyed by its path, size and modification time.
//!
//! A refresh walks the folder (stat-ing files in parallel), keeps what it already knows of every
//! file whose stamp did not change, reads the others in parallel, and drops the files that went
//! away. The first refresh reads everything; with the cache on disk ([`super::cache`]) a re-open
//! reads only what changed since the last run.

use std::collections::{BTreeMap, HashMap};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::cache::{self, Header, Miss};
use super::{Article, Depth, Inbox, InboxError, Problem, ScanOptions, walk};

/// Files read per batch: the screen shows each batch as it comes.
const BATCH: usize = 1024;

/// What identifies one version of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    size: u64,
    /// Seconds and nanoseconds since the epoch.
    mtime: Option<(i64, u32)>,
    /// Inode and change time ([`walk::Entry::identity`]).
    identity: u64,
}

impl Stamp {
    fn of(entry: &walk::Entry) -> Self {
        let mtime = entry.mtime.map(|t| match t.duration_since(UNIX_EPOCH) {
            Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => (
                -(e.duration().as_secs() as i64),
                e.duration().subsec_nanos(),
            ),
        });
        Self {
            size: entry.size,
            mtime,
            identity: entry.identity,
        }
    }

    /// The modification time as the walk saw it.
    fn system_time(&self) -> Option<std::time::SystemTime> {
        let (secs, nanos) = self.mtime?;
        let since = std::time::Duration::new(secs.unsigned_abs(), nanos);
        if secs >= 0 {
            UNIX_EPOCH.checked_add(since)
        } else {
            UNIX_EPOCH.checked_sub(since)
        }
    }
}

/// What one file gave: its articles (before ids are made unique across the inbox) and its
/// problem, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    stamp: Stamp,
    /// Shared with the screen's list, so that the index and the list hold one copy.
    articles: Vec<Arc<Article>>,
    /// Boxed: most files have none, and the index holds one entry per file.
    problem: Option<Box<Problem>>,
}

impl FileEntry {
    /// True while the file's articles still wait for language detection.
    fn pending(&self) -> bool {
        self.articles.iter().any(|a| a.pending)
    }
}

/// How far a refresh has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Files read so far in this refresh.
    pub done: usize,
    /// Files this refresh has to read.
    pub total: usize,
    /// What the refresh is doing.
    pub phase: Phase,
}

/// The two passes of a large first index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Phase {
    /// Reading files for the list ([`Depth::Listing`], or everything at once when few).
    #[default]
    Reading,
    /// Detecting languages and signals of articles already listed ([`FileIndex::complete`]).
    Detecting,
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Refresh {
    /// Files read because they were new or changed.
    pub read: usize,
    /// Files whose cached result was kept.
    pub kept: usize,
    /// Files that went away.
    pub removed: usize,
    /// Files read for the list only before, now read in full ([`FileIndex::complete`]).
    pub completed: usize,
}

impl Refresh {
    /// True when the index changed (and the cache is worth saving).
    pub fn changed(&self) -> bool {
        self.read > 0 || self.removed > 0 || self.completed > 0
    }
}

/// Every file of an inbox and what it gave.
#[derive(Debug, Clone)]
pub struct FileIndex {
    root: PathBuf,
    options: ScanOptions,
    /// By path bytes (not `Path`, whose component-wise comparison costs more than the stat).
    files: BTreeMap<Vec<u8>, FileEntry>,
    /// What the last walk could not enter or open.
    skipped: Vec<Problem>,
    /// Why the cache was not used or saved, when that is worth telling.
    pub cache_note: Option<String>,
    /// True when the index was loaded from the cache.
    pub from_cache: bool,
    /// The articles as last finished (see [`FileIndex::articles`]), while no file changed:
    /// an unchanged re-open shows them without finishing again.
    finished: Option<Vec<Arc<Article>>>,
    /// What the last walk listed of each folder: the next walk lists only the folders that
    /// changed since.
    tree: Option<walk::Tree>,
    /// Files already known that the refreshes since [`FileIndex::take_changed`] read again.
    changed: Vec<PathBuf>,
}

impl FileIndex {
    /// An empty index of `root`.
    pub fn new(root: &Path, options: ScanOptions) -> Self {
        Self {
            root: root.to_path_buf(),
            options,
            files: BTreeMap::new(),
            skipped: Vec::new(),
            cache_note: None,
            from_cache: false,
            finished: None,
            tree: None,
            changed: Vec::new(),
        }
    }

    /// The files already known that were read again because their stamp changed, since the
    /// last call (a live screen marks those of their articles that differ as new).
    pub fn take_changed(&mut self) -> Vec<PathBuf> {
        std::mem::take(&mut self.changed)
    }

    /// The index as the cache at `cache_file` left it (empty when there is none or it does not
    /// fit). Nothing is read from the inbox yet: call [`FileIndex::refresh`].
    pub fn open(root: &Path, options: ScanOptions, cache_file: Option<&Path>) -> Self {
        let mut tree = None;
        let mut index = Self::open_handing_tree(root, options, cache_file, |t| tree = Some(t));
        index.tree = tree;
        index
    }

    /// Like [`FileIndex::open`], but the folders as the cache recorded them go to `on_tree` as
    /// soon as they are read (before the files), not into the index.
    fn open_handing_tree(
        root: &Path,
        options: ScanOptions,
        cache_file: Option<&Path>,
        on_tree: impl FnOnce(walk::Tree),
    ) -> Self {
        let mut index = Self::new(root, options);
        if let Some(file) = cache_file {
            match cache::read(file, &index.header(), on_tree) {
                Ok(cached) => {
                    index.files = cached.files;
                    index.finished = cached.finished.and_then(|slots| index.resolve(slots));
                    index.from_cache = true;
                }
                Err(Miss::Stale) => {}
                Err(Miss::Unreadable(note)) => index.cache_note = Some(note),
            }
        }
        index
    }

    fn header(&self) -> Header {
        // A zone-less date read in the local zone depends on TZ too.
        let tz = std::env::var("TZ").unwrap_or_default();
        Header::new(&self.root, &format!("{} {tz}", self.options.zone))
    }

    /// Writes the index to the cache file, with the finished list.
    pub fn save(&mut self, cache_file: &Path) -> Result<(), String> {
        self.finish();
        let slots = self.slots();
        let tree = self.tree.take().unwrap_or_default();
        let written = cache::write(cache_file, &self.header(), &tree, &self.files, &slots);
        self.tree = Some(tree);
        written
    }

    /// The finished list as the cache keeps it: positions of the articles finishing kept as
    /// they were, and the few it changed (ids made unique, translations linked) in full.
    fn slots(&self) -> Vec<cache::Slot> {
        let Some(finished) = &self.finished else {
            return Vec::new();
        };
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let mut positions: HashMap<*const Article, (u32, u32)> =
            HashMap::with_capacity(finished.len());
        for (file, entry) in self.files.values().enumerate() {
            for (item, a) in entry.articles.iter().enumerate() {
                positions.insert(Arc::as_ptr(a), (at(file), at(item)));
            }
        }
        finished
            .iter()
            .map(|a| match positions.get(&Arc::as_ptr(a)) {
                Some(&(file, item)) => cache::Slot::Kept { file, item },
                None => cache::Slot::Changed(Box::new(Article::clone(a))),
            })
            .collect()
    }

    /// The finished list from the cache's slots; `None` when they do not fit the files (one
    /// slot per article, no article twice): the list is then finished again.
    fn resolve(&self, slots: Vec<cache::Slot>) -> Option<Vec<Arc<Article>>> {
        let files: Vec<&FileEntry> = self.files.values().collect();
        let total: usize = files.iter().map(|f| f.articles.len()).sum();
        if slots.len() != total {
            return None;
        }
        let mut taken: Vec<Vec<bool>> = files
            .iter()
            .map(|f| vec![false; f.articles.len()])
            .collect();
        slots
            .into_iter()
            .map(|slot| match slot {
                cache::Slot::Kept { file, item } => {
                    let (file, item) = (usize::try_from(file).ok()?, usize::try_from(item).ok()?);
                    let seen = taken.get_mut(file)?.get_mut(item)?;
                    if std::mem::replace(seen, true) {
                        return None;
                    }
                    files[file].articles.get(item).cloned()
                }
                cache::Slot::Changed(a) => Some(Arc::new(*a)),
            })
            .collect()
    }

    /// Makes ids unique, links translations and sorts, unless that is done already.
    fn finish(&mut self) {
        if self.finished.is_none() {
            let articles = self
                .files
                .values()
                .flat_map(|f| f.articles.iter().cloned())
                .collect();
            self.finished = Some(super::finish_shared(&self.root, articles));
        }
    }

    /// The inbox folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Number of files indexed.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// Opens the cache and walks the folder at the same time, then brings the index up to date
    /// (see [`FileIndex::refresh`]). This is the fast way to open an inbox from the command line.
    pub fn open_refreshed(
        root: &Path,
        options: ScanOptions,
        cache_file: Option<&Path>,
        mut on_batch: impl FnMut(Progress, &[Arc<Article>]),
    ) -> Result<(Self, Refresh), InboxError> {
        check_folder(root)?;
        let (index, walked) = std::thread::scope(|s| {
            // The folders come first in the cache: the walk starts as soon as they are read,
            // while the files are decoded (or at once without them).
            let (tree_tx, tree_rx) = std::sync::mpsc::sync_channel(1);
            let loader = s.spawn(move || {
                Self::open_handing_tree(root, options, cache_file, |tree| {
                    let _ = tree_tx.send(tree);
                })
            });
            let walked = walk::walk_again(root, tree_rx.recv().ok());
            let index = loader.join().unwrap_or_else(|_| Self::new(root, options));
            (index, walked)
        });
        let mut index = index;
        let mut refresh = index.apply_walk(walked, Depth::Full, &mut on_batch);
        refresh.completed = index.complete(|p| on_batch(p, &[]));
        Ok((index, refresh))
    }

    /// Brings the index up to date with the folder. `on_batch` sees the articles of each batch
    /// of files read (as read, before ids are made unique) and the progress so far; files a
    /// screen left listed only are then read in full, with their progress and no articles.
    pub fn refresh(
        &mut self,
        mut on_batch: impl FnMut(Progress, &[Arc<Article>]),
    ) -> Result<Refresh, InboxError> {
        check_folder(&self.root)?;
        let walked = walk::walk_again(&self.root, self.tree.take());
        let mut refresh = self.apply_walk(walked, Depth::Full, &mut on_batch);
        refresh.completed = self.complete(|p| on_batch(p, &[]));
        Ok(refresh)
    }

    /// Like [`FileIndex::refresh`], but when more than `quick_above` files are to be read they
    /// are read for the list only ([`Depth::Listing`]): ids, titles, dates and declared
    /// languages, several times faster. [`FileIndex::complete`] then does the rest. This is how
    /// the screen shows a large new inbox without waiting for language detection.
    pub fn refresh_listing(
        &mut self,
        quick_above: usize,
        on_batch: impl FnMut(Progress, &[Arc<Article>]),
    ) -> Result<Refresh, InboxError> {
        check_folder(&self.root)?;
        let walked = walk::walk_again(&self.root, self.tree.take());
        let to_read = walked.entries.len().saturating_sub(self.files.len());
        let depth = if to_read > quick_above {
            Depth::Listing
        } else {
            Depth::Full
        };
        Ok(self.apply_walk(walked, depth, on_batch))
    }

    /// Files whose articles still wait for language detection.
    pub fn pending_files(&self) -> usize {
        self.files.values().filter(|f| f.pending()).count()
    }

    /// Reads again, in full, every file read for the list only: detected languages and
    /// signals. Returns how many files it read. `on_progress` sees each batch's progress.
    pub fn complete(&mut self, mut on_progress: impl FnMut(Progress)) -> usize {
        let pending: Vec<(walk::Entry, Stamp)> = self
            .files
            .iter()
            .filter(|(_, f)| f.pending())
            .map(|(key, f)| {
                let entry = walk::Entry {
                    rel_path: PathBuf::from(std::ffi::OsStr::from_bytes(key)),
                    size: f.stamp.size,
                    mtime: f.stamp.system_time(),
                    identity: f.stamp.identity,
                };
                (entry, f.stamp)
            })
            .collect();
        if pending.is_empty() {
            return 0;
        }
        let refresh = self.read_entries(pending, Depth::Full, |mut progress, _| {
            progress.phase = Phase::Detecting;
            on_progress(progress);
        });
        self.forget_finished_if(refresh);
        refresh.read
    }

    fn apply_walk(
        &mut self,
        walked: walk::Walk,
        depth: Depth,
        on_batch: impl FnMut(Progress, &[Arc<Article>]),
    ) -> Refresh {
        let walk::Walk {
            entries,
            skipped,
            tree,
            ..
        } = walked;
        self.tree = Some(tree);
        self.skipped = skipped.into_iter().map(skipped_problem).collect();
        // Compared in place: an unchanged inbox (the usual re-open) leaves the map as it is,
        // with no copy of it and no allocation per file.
        let mut present = 0;
        let (mut to_read, mut changed) = (Vec::new(), Vec::new());
        for (entry, known) in self.pair_with_known(&entries) {
            let stamp = Stamp::of(entry);
            match known {
                Some(known) => {
                    present += 1;
                    if known.stamp != stamp {
                        changed.push(entry.rel_path.clone());
                        to_read.push((entry.clone(), stamp));
                    }
                }
                None => to_read.push((entry.clone(), stamp)),
            }
        }
        self.changed.extend(changed);
        // Known files the walk did not find: gone.
        let removed = self.files.len() - present;
        if removed > 0 {
            let walked: std::collections::HashSet<&[u8]> = entries
                .iter()
                .map(|e| e.rel_path.as_os_str().as_bytes())
                .collect();
            self.files.retain(|key, _| walked.contains(key.as_slice()));
        }
        let mut refresh = self.read_entries(to_read, depth, on_batch);
        refresh.kept = self.files.len() - refresh.read;
        refresh.removed = removed;
        self.forget_finished_if(refresh);
        refresh
    }

    /// Brings the index up to date for these paths only (files or folders that inotify said
    /// changed; absolute or relative to the root): a few stats instead of a walk of the whole
    /// inbox. A path that no longer exists takes everything below it away.
    pub fn refresh_paths(&mut self, paths: &[PathBuf]) -> Refresh {
        let mut rels: Vec<PathBuf> = paths
            .iter()
            .map(|p| p.strip_prefix(&self.root).unwrap_or(p).to_path_buf())
            .filter(|p| p.is_relative() && !p.as_os_str().is_empty())
            .collect();
        rels.sort();
        rels.dedup();
        let mut to_read = Vec::new();
        let mut removed = 0;
        for rel in rels {
            let key = rel.as_os_str().as_bytes().to_vec();
            self.skipped.retain(|s| s.path != rel);
            let found = match std::fs::symlink_metadata(self.root.join(&rel)) {
                Err(_) => {
                    removed += self.remove_below(&key);
                    continue;
                }
                Ok(meta) if meta.is_dir() => {
                    let (entries, skipped) = walk::walk_below(&self.root, &rel);
                    let present: std::collections::HashSet<&[u8]> = entries
                        .iter()
                        .map(|e| e.rel_path.as_os_str().as_bytes())
                        .collect();
                    let gone: Vec<Vec<u8>> = self
                        .keys_below(&key)
                        .filter(|k| !present.contains(k.as_slice()))
                        .collect();
                    removed += gone
                        .iter()
                        .filter(|k| self.files.remove(*k).is_some())
                        .count();
                    self.skipped
                        .extend(skipped.into_iter().map(skipped_problem));
                    entries
                }
                Ok(meta) => {
                    match walk::stat_entry(&self.root, rel, meta.file_type().is_symlink()) {
                        Ok(entry) => vec![entry],
                        Err(skip) => {
                            removed += usize::from(self.files.remove(&key).is_some());
                            self.skipped.push(skipped_problem(skip));
                            continue;
                        }
                    }
                }
            };
            for entry in found {
                let stamp = Stamp::of(&entry);
                let key = entry.rel_path.as_os_str().as_bytes();
                match self.files.get(key).map(|f| f.stamp) {
                    Some(known) if known == stamp => {}
                    Some(_) => {
                        self.changed.push(entry.rel_path.clone());
                        to_read.push((entry, stamp));
                    }
                    None => to_read.push((entry, stamp)),
                }
            }
        }
        let mut refresh = self.read_entries(to_read, Depth::Full, |_, _| {});
        refresh.kept = self.files.len() - refresh.read;
        refresh.removed = removed;
        self.forget_finished_if(refresh);
        refresh
    }

    /// A change to any file makes the finished list stale.
    fn forget_finished_if(&mut self, refresh: Refresh) {
        if refresh.changed() {
            self.finished = None;
        }
    }

    /// Each walked entry with the file the index knows at its path. The walk comes sorted by
    /// path bytes, as the map is: one pass over both, not a tree search per file (100,000
    /// searches of some 17 path comparisons each were most of a re-open's compare).
    fn pair_with_known<'a>(
        &'a self,
        entries: &'a [walk::Entry],
    ) -> Box<dyn Iterator<Item = (&'a walk::Entry, Option<&'a FileEntry>)> + 'a> {
        let key = |e: &'a walk::Entry| e.rel_path.as_os_str().as_bytes();
        if !entries.is_sorted_by(|a, b| key(a) < key(b)) {
            return Box::new(entries.iter().map(move |e| (e, self.files.get(key(e)))));
        }
        let mut known = self.files.iter().peekable();
        Box::new(entries.iter().map(move |entry| {
            while known.next_if(|(k, _)| k.as_slice() < key(entry)).is_some() {}
            let file = known.next_if(|(k, _)| k.as_slice() == key(entry));
            (entry, file.map(|(_, f)| f))
        }))
    }

    /// Keys of the files below the folder `key`.
    fn keys_below<'a>(&'a self, key: &[u8]) -> impl Iterator<Item = Vec<u8>> + 'a {
        let mut prefix = key.to_vec();
        prefix.push(b'/');
        self.files
            .range(prefix.clone()..)
            .map(|(k, _)| k)
            .take_while(move |k| k.starts_with(&prefix))
            .cloned()
    }

    /// Forgets the file `key`, or every file below the folder `key`; returns how many.
    fn remove_below(&mut self, key: &[u8]) -> usize {
        let below: Vec<Vec<u8>> = self.keys_below(key).collect();
        let mut n = usize::from(self.files.remove(key).is_some());
        for k in below {
            n += usize::from(self.files.remove(&k).is_some());
        }
        n
    }

    /// Reads these files in parallel, in batches, into the index.
    fn read_entries(
        &mut self,
        to_read: Vec<(walk::Entry, Stamp)>,
        depth: Depth,
        mut on_batch: impl FnMut(Progress, &[Arc<Article>]),
    ) -> Refresh {
        let refresh = Refresh {
            read: to_read.len(),
            ..Refresh::default()
        };
        let mut progress = Progress {
            done: 0,
            total: to_read.len(),
            phase: Phase::Reading,
        };
        for chunk in to_read.chunks(BATCH) {
            let read: Vec<(Vec<u8>, FileEntry)> = chunk
                .par_iter()
                .map(|(entry, stamp)| {
                    let result = super::read_file(&self.root, entry, self.options.zone, depth);
                    let file = FileEntry {
                        stamp: *stamp,
                        articles: shared(result.articles),
                        problem: result.problem.map(Box::new),
                    };
                    (entry.rel_path.as_os_str().as_bytes().to_vec(), file)
                })
                .collect();
            progress.done += chunk.len();
            let batch: Vec<Arc<Article>> = read
                .iter()
                .flat_map(|(_, f)| f.articles.iter().cloned())
                .collect();
            self.files.extend(read);
            on_batch(progress, &batch);
        }
        if refresh.read > BATCH {
            // Many inserts in order leave the map's nodes half empty: rebuilt at once, full.
            self.files = std::mem::take(&mut self.files).into_iter().collect();
        }
        refresh
    }

    /// The articles as indexed, ids made unique, translations linked, newest first; shared
    /// with the index (an `Arc` clone each), for the screen.
    pub fn articles(&self) -> Vec<Arc<Article>> {
        match &self.finished {
            Some(finished) => finished.clone(),
            None => {
                let articles = self
                    .files
                    .values()
                    .flat_map(|f| f.articles.iter().cloned())
                    .collect();
                super::finish_shared(&self.root, articles)
            }
        }
    }

    /// The inbox as indexed: ids made unique, translations linked, newest first.
    pub fn inbox(&self) -> Inbox {
        super::inbox_of(&self.root, self.articles(), self.problems())
    }

    /// Like [`FileIndex::inbox`], without keeping the index.
    pub fn into_inbox(mut self) -> Inbox {
        self.finish();
        let finished = self.finished.take().unwrap_or_default();
        let problems = self.problems();
        // The index's references go first, so that the articles are taken without a copy.
        drop(std::mem::take(&mut self.files));
        super::inbox_of(&self.root, finished, problems)
    }

    /// How many files gave no article at all (`copydesk check` says why).
    pub fn unreadable(&self) -> usize {
        self.skipped.iter().filter(|p| p.unreadable).count()
            + self
                .files
                .values()
                .filter(|f| f.problem.as_deref().is_some_and(|p| p.unreadable))
                .count()
    }

    fn problems(&self) -> Vec<Problem> {
        let mut problems = self.skipped.clone();
        problems.extend(
            self.files
                .values()
                .filter_map(|f| f.problem.as_deref().cloned()),
        );
        problems
    }
}

/// A file's articles, each shared. Collected into a new vector: collecting in place would keep
/// the articles' own allocation (168 bytes each) under an 8-byte pointer each, for as long as
/// the index holds the file.
fn shared(articles: Vec<Article>) -> Vec<Arc<Article>> {
    let mut shared = Vec::with_capacity(articles.len());
    shared.extend(articles.into_iter().map(Arc::new));
    shared
}

fn skipped_problem(s: walk::Skipped) -> Problem {
    Problem {
        path: s.rel_path,
        message: s.reason,
        unreadable: true,
    }
}

/// The inbox folder exists and is a folder.
pub fn check_folder(root: &Path) -> Result<(), InboxError> {
    let meta = std::fs::metadata(root)
        .map_err(|e| InboxError::Unreadable(root.to_path_buf(), walk::io_reason(&e)))?;
    if meta.is_dir() {
        Ok(())
    } else {
        Err(InboxError::NotAFolder(root.to_path_buf()))
    }
}

/// When a file was last seen changed, for tests.
#[cfg(test)]
fn touch(path: &Path, secs: u64) -> std::io::Result<()> {
    let file = std::fs::File::options().write(true).open(path)?;
    file.set_modified(UNIX_EPOCH + std::time::Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn article_ids(index: &FileIndex) -> Vec<String> {
        let mut ids: Vec<String> = index
            .inbox()
            .articles
            .into_iter()
            .map(|a| a.id.into())
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn walked_entries_are_paired_with_known_files_in_one_pass_or_by_lookup()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        for name in ["b.txt", "d.txt", "f.txt"] {
            fs::write(root.join(name), "Title\n\nBody.\n")?;
        }
        let mut index = FileIndex::new(root, ScanOptions::default());
        index.refresh(|_, _| {})?;
        let entry = |name: &str| walk::Entry {
            rel_path: PathBuf::from(name),
            size: 0,
            mtime: None,
            identity: 0,
        };
        let known_of = |entries: &[walk::Entry]| -> Vec<(String, bool)> {
            index
                .pair_with_known(entries)
                .map(|(e, f)| (e.rel_path.display().to_string(), f.is_some()))
                .collect()
        };
        // Sorted, with files gone (b, f) and new (a, c, e, g) around the known d.
        let sorted: Vec<walk::Entry> = ["a.txt", "c.txt", "d.txt", "e.txt", "g.txt"]
            .into_iter()
            .map(entry)
            .collect();
        let expected = |names: &[&str]| -> Vec<(String, bool)> {
            names
                .iter()
                .map(|n| (n.to_string(), *n == "d.txt"))
                .collect()
        };
        assert_eq!(
            known_of(&sorted),
            expected(&["a.txt", "c.txt", "d.txt", "e.txt", "g.txt"])
        );
        // Out of order: looked up one by one, same answers.
        let unsorted: Vec<walk::Entry> =
            ["g.txt", "d.txt", "a.txt"].into_iter().map(entry).collect();
        assert_eq!(known_of(&unsorted), expected(&["g.txt", "d.txt", "a.txt"]));
        Ok(())
    }

    #[test]
    fn a_refresh_reads_only_new_and_changed_files() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        fs::write(root.join("a.txt"), "Alpha\n\nThe first story.\n")?;
        fs::write(root.join("b.txt"), "Beta\n\nThe second story.\n")?;
        let mut index = FileIndex::new(root, ScanOptions::default());
        let first = index.refresh(|_, _| {})?;
        assert_eq!((first.read, first.kept, first.removed), (2, 0, 0));
        assert!(
            index.take_changed().is_empty(),
            "new files are not changed ones"
        );
        assert_eq!(article_ids(&index), ["a", "b"]);

        let again = index.refresh(|_, _| {})?;
        assert_eq!((again.read, again.kept, again.removed), (0, 2, 0));
        assert!(!again.changed());

        fs::write(
            root.join("a.txt"),
            "Alpha, updated\n\nThe first story, longer now.\n",
        )?;
        touch(&root.join("a.txt"), 1_800_000_000)?;
        fs::remove_file(root.join("b.txt"))?;
        fs::write(root.join("c.txt"), "Gamma\n\nA third story.\n")?;
        let mut seen = Vec::new();
        let third =
            index.refresh(|_, batch| seen.extend(batch.iter().map(|a| a.id.to_string())))?;
        assert_eq!((third.read, third.kept, third.removed), (2, 0, 1));
        seen.sort();
        assert_eq!(seen, ["a", "c"]);
        // Of the files read, only a.txt was known before: it changed (c.txt is new).
        assert_eq!(index.take_changed(), [PathBuf::from("a.txt")]);
        assert!(index.take_changed().is_empty());
        let inbox = index.inbox();
        assert_eq!(article_ids(&index), ["a", "c"]);
        assert_eq!(inbox.get("a").map(|a| &*a.title), Some("Alpha, updated"));
        Ok(())
    }

    /// `cp -p` or `rsync -a` put a corrected file in place with the old one's size and time.
    #[test]
    fn a_file_replaced_with_the_same_size_and_time_is_read_again()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        fs::write(root.join("a.txt"), "Fire kills 12 in Lyon\n\nbody\n")?;
        touch(&root.join("a.txt"), 1_800_000_000)?;
        let mut index = FileIndex::new(root, ScanOptions::default());
        index.refresh(|_, _| {})?;
        let staged = dir.path().join(".a.new");
        fs::write(&staged, "Fire kills 13 in Lyon\n\nbody\n")?;
        touch(&staged, 1_800_000_000)?;
        fs::rename(&staged, root.join("a.txt"))?;
        let again = index.refresh(|_, _| {})?;
        assert_eq!((again.read, again.kept), (1, 0));
        assert_eq!(index.take_changed(), [PathBuf::from("a.txt")], "read again");
        let inbox = index.inbox();
        assert_eq!(
            inbox.get("a").map(|a| &*a.title),
            Some("Fire kills 13 in Lyon")
        );
        Ok(())
    }

    #[test]
    fn files_that_give_no_article_are_counted_until_mended()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        fs::write(root.join("a.txt"), "Alpha\n\nThe first story.\n")?;
        fs::write(root.join("broken.json"), "{\"headline\": \"x\", ")?;
        fs::write(root.join("feed.rss"), "<rss><channel><item><title>x")?;
        let mut index = FileIndex::new(root, ScanOptions::default());
        index.refresh(|_, _| {})?;
        assert_eq!(index.unreadable(), 2);
        fs::write(
            root.join("broken.json"),
            "{\"headline\": \"Mended\", \"body_text\": \"Now it reads.\"}",
        )?;
        touch(&root.join("broken.json"), 1_800_000_000)?;
        index.refresh(|_, _| {})?;
        assert_eq!(index.unreadable(), 1);
        Ok(())
    }

    #[test]
    fn a_refresh_of_named_paths_sees_new_changed_and_removed_files_and_folders()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        fs::create_dir_all(root.join("wire/day1"))?;
        fs::write(root.join("a.txt"), "Alpha\n\nThe first story.\n")?;
        fs::write(root.join("wire/day1/b.txt"), "Beta\n\nThe second story.\n")?;
        fs::write(root.join("wire/day1/c.txt"), "Gamma\n\nThe third story.\n")?;
        let mut index = FileIndex::new(root, ScanOptions::default());
        index.refresh(|_, _| {})?;

        // A new file, by absolute path as inotify gives it; an unchanged one is not read again.
        fs::write(root.join("d.txt"), "Delta\n\nA fourth story.\n")?;
        let r = index.refresh_paths(&[root.join("d.txt"), root.join("a.txt")]);
        assert_eq!((r.read, r.removed), (1, 0));
        assert_eq!(
            article_ids(&index),
            ["a", "d", "wire/day1/b", "wire/day1/c"]
        );

        // A folder that arrived whole (moved in), and one that went away.
        fs::create_dir_all(root.join("wire/day2"))?;
        fs::write(root.join("wire/day2/e.txt"), "Epsilon\n\nA fifth story.\n")?;
        fs::remove_dir_all(root.join("wire/day1"))?;
        let r = index.refresh_paths(&[root.join("wire/day2"), root.join("wire/day1")]);
        assert_eq!((r.read, r.removed), (1, 2));
        assert_eq!(article_ids(&index), ["a", "d", "wire/day2/e"]);

        // A file that became a FIFO is dropped and reported.
        fs::remove_file(root.join("d.txt"))?;
        std::process::Command::new("mkfifo")
            .arg(root.join("d.txt"))
            .status()?;
        let r = index.refresh_paths(&[PathBuf::from("d.txt")]);
        assert_eq!(r.removed, 1);
        let problems = index.inbox().problems;
        assert!(
            problems
                .iter()
                .any(|p| p.path == Path::new("d.txt") && p.message.contains("FIFO")),
            "{problems:?}"
        );
        // The same answer as a full walk.
        let mut full = FileIndex::new(root, ScanOptions::default());
        full.refresh(|_, _| {})?;
        assert_eq!(full.inbox().articles, index.inbox().articles);
        Ok(())
    }

    /// Copies the shipped sample inbox, which has translations to link, into `dir`.
    fn sample_copy(dir: &Path) -> std::io::Result<PathBuf> {
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
        let root = dir.join("inbox");
        let (entries, _) = walk::walk(&sample);
        for e in entries {
            let to = root.join(&e.rel_path);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::copy(sample.join(&e.rel_path), to)?;
        }
        Ok(root)
    }

    #[test]
    fn a_files_articles_hold_no_spare_room() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = sample_copy(dir.path())?;
        let mut index = FileIndex::new(&root, ScanOptions::default());
        index.refresh_listing(0, |_, _| {})?;
        index.complete(|_| {});
        for (path, file) in &index.files {
            let name = String::from_utf8_lossy(path);
            assert_eq!(file.articles.capacity(), file.articles.len(), "{name}");
        }
        Ok(())
    }

    #[test]
    fn an_unchanged_reopen_shows_the_finished_list_from_the_cache()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = sample_copy(dir.path())?;
        // Two files with one id: finishing renames one, so the cache keeps a changed article.
        fs::write(root.join("twin.txt"), "Twin\n\nThe first of two.\n")?;
        fs::write(root.join("twin.md"), "# Twin\n\nThe second of two.\n")?;
        let cache_file = dir.path().join("inbox.index");
        let mut first = FileIndex::new(&root, ScanOptions::default());
        first.refresh(|_, _| {})?;
        first.save(&cache_file)?;
        let fresh = first.articles();
        assert!(fresh.iter().any(|a| a.id.ends_with("~2")));
        assert!(fresh.iter().any(|a| a.translation_of().is_some()));

        let slots = first.slots();
        assert!(slots.iter().any(|s| matches!(s, cache::Slot::Changed(_))));
        assert!(slots.iter().any(|s| matches!(s, cache::Slot::Kept { .. })));

        let (reopened, refresh) =
            FileIndex::open_refreshed(&root, ScanOptions::default(), Some(&cache_file), |_, _| {})?;
        assert!(!refresh.changed());
        assert!(
            reopened.finished.is_some(),
            "the finished list was not cached"
        );
        assert_eq!(reopened.articles(), fresh);
        assert_eq!(reopened.inbox().articles, first.inbox().articles);

        // A changed file makes it stale: finished again, as a fresh index would.
        fs::write(
            root.join("twin.md"),
            "# Twin\n\nThe second of two, longer now.\n",
        )?;
        let mut changed = FileIndex::open(&root, ScanOptions::default(), Some(&cache_file));
        assert!(changed.refresh(|_, _| {})?.changed());
        assert!(changed.finished.is_none());
        let mut again = FileIndex::new(&root, ScanOptions::default());
        again.refresh(|_, _| {})?;
        assert_eq!(changed.articles(), again.articles());
        Ok(())
    }

    #[test]
    fn a_finished_list_that_does_not_fit_the_files_is_finished_again()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        fs::write(dir.path().join("a.txt"), "Alpha\n\nThe first story.\n")?;
        fs::write(dir.path().join("b.txt"), "Beta\n\nThe second story.\n")?;
        let mut index = FileIndex::new(dir.path(), ScanOptions::default());
        index.refresh(|_, _| {})?;
        let kept = |file| cache::Slot::Kept { file, item: 0 };
        assert!(index.resolve(vec![kept(1), kept(0)]).is_some());
        // Out of range, one article twice (and so one missing), or one slot short.
        assert_eq!(index.resolve(vec![kept(0), kept(3)]), None);
        assert_eq!(index.resolve(vec![kept(0), kept(0)]), None);
        assert_eq!(index.resolve(vec![kept(0)]), None);
        Ok(())
    }

    #[test]
    fn listing_first_then_completing_gives_what_a_full_index_gives()
    -> Result<(), Box<dyn std::error::Error>> {
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
        let mut full = FileIndex::new(&sample, ScanOptions::default());
        full.refresh(|_, _| {})?;
        let full = full.inbox();

        let mut quick = FileIndex::new(&sample, ScanOptions::default());
        let mut phases = Vec::new();
        quick.refresh_listing(0, |p, _| phases.push(p.phase))?;
        assert_eq!(quick.pending_files(), quick.file_count());
        let listed = quick.inbox();
        assert_eq!(listed.articles.len(), full.articles.len());
        for (l, f) in listed.articles.iter().zip(&full.articles) {
            // Only what linking tells (an original missing) comes before the text is read.
            let linking_only = l
                .signals()
                .iter()
                .all(|s| s.kind == crate::signals::SignalKind::OrphanTranslation);
            assert!(l.pending && linking_only, "{}: {:?}", l.id, l.signals());
            let want = f.declared_lang.as_deref().unwrap_or("und");
            assert_eq!((&*l.id, &*l.lang), (&*f.id, want));
        }
        // Dates do not wait for detection: a dateline is found in the uncleaned text too.
        let dates = |inbox: &Inbox| -> Vec<_> {
            let mut d: Vec<_> = inbox
                .articles
                .iter()
                .map(|a| (a.id.clone(), a.date))
                .collect();
            d.sort();
            d
        };
        assert_eq!(dates(&listed), dates(&full));

        quick.complete(|p| phases.push(p.phase));
        assert_eq!(quick.pending_files(), 0);
        assert_eq!(quick.inbox().articles, full.articles);
        assert_eq!(phases.first(), Some(&Phase::Reading));
        assert_eq!(phases.last(), Some(&Phase::Detecting));
        assert_eq!(quick.complete(|_| {}), 0, "nothing left to complete");
        Ok(())
    }

    #[test]
    fn a_cached_listing_is_completed_on_the_next_open() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = dir.path().join("inbox");
        fs::create_dir(&root)?;
        fs::write(
            root.join("a.txt"),
            "Alpha\n\nThe council voted on Thursday evening for a larger budget to renovate schools.\n",
        )?;
        let cache_file = dir.path().join("inbox.index");
        let mut index = FileIndex::new(&root, ScanOptions::default());
        index.refresh_listing(0, |_, _| {})?;
        index.save(&cache_file)?;

        let mut phases = Vec::new();
        let (reopened, refresh) =
            FileIndex::open_refreshed(&root, ScanOptions::default(), Some(&cache_file), |p, _| {
                phases.push(p.phase)
            })?;
        assert_eq!((refresh.read, refresh.kept, refresh.completed), (0, 1, 1));
        // The command line saves the cache when the index changed: completing it is a change,
        // or every command would detect the whole inbox again.
        assert!(refresh.changed());
        assert_eq!(phases, [Phase::Detecting]);
        let a = reopened.inbox().articles.remove(0);
        assert!(!a.pending);
        assert_eq!(&*a.lang, "en");
        Ok(())
    }

    #[test]
    fn the_cache_round_trips_and_a_corrupt_one_is_ignored() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        let root = dir.path().join("inbox");
        fs::create_dir(&root)?;
        fs::write(root.join("a.txt"), "Alpha\n\nThe first story.\n")?;
        let cache_file = dir.path().join("cache/inbox.index");
        let mut index = FileIndex::open(&root, ScanOptions::default(), Some(&cache_file));
        assert_eq!(index.file_count(), 0);
        index.refresh(|_, _| {})?;
        index.save(&cache_file)?;

        let mut reopened = FileIndex::open(&root, ScanOptions::default(), Some(&cache_file));
        assert_eq!(reopened.file_count(), 1);
        assert_eq!(reopened.cache_note, None);
        let refresh = reopened.refresh(|_, _| {})?;
        assert_eq!((refresh.read, refresh.kept), (0, 1));
        assert_eq!(reopened.inbox().articles, index.inbox().articles);

        // Another zone: the cache does not fit and is ignored without a word.
        let zone = "+07:00".parse().map_err(|e: String| e)?;
        let other = FileIndex::open(&root, ScanOptions { zone }, Some(&cache_file));
        assert_eq!((other.file_count(), other.cache_note.as_deref()), (0, None));

        let mut bytes = fs::read(&cache_file)?;
        let cut = bytes.len() - 5;
        bytes.truncate(cut);
        fs::write(&cache_file, &bytes)?;
        let broken = FileIndex::open(&root, ScanOptions::default(), Some(&cache_file));
        assert_eq!(broken.file_count(), 0);
        let note = broken.cache_note.unwrap_or_default();
        assert!(note.contains("inbox.index' ignored"), "{note}");

        fs::write(&cache_file, b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff")?;
        let garbage = FileIndex::open(&root, ScanOptions::default(), Some(&cache_file));
        assert_eq!(garbage.file_count(), 0);
        Ok(())
    }
}
