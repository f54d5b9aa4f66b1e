//! The inbox on a background thread, so that the screen never waits for it: the cached index
//! first, then a refresh (articles appear batch by batch when there is no cache), then live
//! updates whenever files arrive, change or disappear (inotify through the notify crate).

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::inbox::index::{FileIndex, Progress};
use crate::inbox::{Article, ScanOptions};

/// Changes are gathered this long before the folder is looked at again.
const SETTLE: Duration = Duration::from_millis(300);
/// How often a waiting scanner checks whether the screen is still there.
const WAKE: Duration = Duration::from_millis(500);
/// More changed paths than this at once: the whole folder is walked instead.
const MANY: usize = 2000;
/// A first index of more files than this lists them before detecting their languages.
const QUICK_ABOVE: usize = 1024;
/// Without inotify, the folder is looked at this often.
const POLL: Duration = Duration::from_secs(2);

/// What the scanner tells the screen.
#[derive(Debug)]
pub enum ScanEvent {
    /// Articles read during the first index, before ids are final.
    Batch(Progress, Vec<Arc<Article>>),
    /// A refresh is reading changed files.
    Progress(Progress),
    /// The whole inbox, final. After the first index, `changed` holds the files already
    /// known that were read again (their articles show as new). `unreadable` files gave no
    /// article.
    Inbox {
        articles: Vec<Arc<Article>>,
        changed: Option<Vec<PathBuf>>,
        unreadable: usize,
    },
    /// The first refresh found the cached inbox up to date; `unreadable` files gave no
    /// article (the walk's own findings are not cached).
    Unchanged { unreadable: usize },
    /// Something the editor should know (a cache that could not be used, no live updates).
    Note(String),
    /// The inbox cannot be read any more.
    Failed(String),
}

/// The scanner thread's side of the screen. Dropping it ends the thread within a second.
pub struct Scanner {
    pub events: Receiver<ScanEvent>,
    stop: Arc<AtomicBool>,
}

impl Drop for Scanner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Starts indexing `root` on a thread. The folder watch is set up on that thread too, after the
/// first index: with inotify it costs a walk of its own.
pub fn start(root: &Path, options: ScanOptions, cache_file: Option<PathBuf>) -> Scanner {
    let (tx, events) = mpsc::channel();
    let root = root.to_path_buf();
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::clone(&stop);
    std::thread::spawn(move || {
        let mut job = Job {
            index: FileIndex::open(&root, options, cache_file.as_deref()),
            cache_file,
            tx,
            stop: stopped,
        };
        if job.first().is_err() {
            return;
        }
        let (fs_tx, fs_rx) = mpsc::channel::<PathBuf>();
        let watcher = watch(&root, fs_tx);
        if let Err(e) = &watcher {
            let note = format!(
                "no live updates from the folder ({e}); looking every {} s",
                POLL.as_secs()
            );
            if job.send(ScanEvent::Note(note)).is_err() {
                return;
            }
        }
        // Whatever arrived while the watch was being set up.
        if job.update().is_ok() {
            job.follow(&fs_rx, watcher.is_err());
        }
    });
    Scanner { events, stop }
}

/// Watches `root` recursively; sends the paths of changes outside hidden folders.
fn watch(root: &Path, tx: Sender<PathBuf>) -> notify::Result<RecommendedWatcher> {
    let base = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        match event {
            // The kernel dropped events: look at everything.
            Ok(event) if event.need_rescan() => {
                let _ = tx.send(base.clone());
            }
            Ok(event) => {
                for path in event.paths {
                    if !is_hidden(&base, &path) {
                        let _ = tx.send(path);
                    }
                }
            }
            Err(_) => {
                let _ = tx.send(base.clone());
            }
        }
    })?;
    watcher.watch(root, RecursiveMode::Recursive)?;
    Ok(watcher)
}

/// True for paths copydesk never lists: below a folder or file whose name starts with a dot
/// (the state folder `.copydesk/`, editors' swap files).
fn is_hidden(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().any(|c| match c {
        Component::Normal(name) => name.to_string_lossy().starts_with('.'),
        _ => false,
    })
}

/// The receiving screen has gone away.
struct Gone;

struct Job {
    index: FileIndex,
    cache_file: Option<PathBuf>,
    tx: Sender<ScanEvent>,
    stop: Arc<AtomicBool>,
}

impl Job {
    fn send(&self, event: ScanEvent) -> Result<(), Gone> {
        self.tx.send(event).map_err(|_| Gone)
    }

    /// The cached inbox at once, then the refreshed one. When many files are new (a first
    /// index), they are listed first and their languages and signals follow.
    fn first(&mut self) -> Result<(), Gone> {
        if let Some(note) = self.index.cache_note.take() {
            self.send(ScanEvent::Note(note))?;
        }
        let cached = self.index.from_cache;
        if cached {
            self.send_inbox(false)?;
        }
        let tx = self.tx.clone();
        let refresh = self.index.refresh_listing(QUICK_ABOVE, |progress, batch| {
            let event = if cached {
                ScanEvent::Progress(progress)
            } else {
                ScanEvent::Batch(progress, batch.to_vec())
            };
            let _ = tx.send(event);
        });
        let refresh = match refresh {
            Ok(r) => r,
            Err(e) => return self.send(ScanEvent::Failed(e.to_string())),
        };
        let listed = refresh.changed() || !cached;
        if listed {
            self.save();
            self.send_inbox(false)?;
        }
        if self.index.pending_files() == 0 {
            return if listed {
                Ok(())
            } else {
                self.send(ScanEvent::Unchanged {
                    unreadable: self.index.unreadable(),
                })
            };
        }
        self.index.complete(|progress| {
            let _ = tx.send(ScanEvent::Progress(progress));
        });
        self.save();
        self.send_inbox(false)
    }

    fn send_inbox(&mut self, live: bool) -> Result<(), Gone> {
        let articles = self.index.articles();
        let changed = self.index.take_changed();
        self.send(ScanEvent::Inbox {
            articles,
            changed: live.then_some(changed),
            unreadable: self.index.unreadable(),
        })
    }

    /// Live updates until the screen closes. What inotify names is looked at path by path;
    /// a burst of more than [`MANY`] paths, a change to the root, or polling looks at the
    /// whole folder.
    fn follow(&mut self, changes: &Receiver<PathBuf>, polling: bool) {
        let mut waited = Duration::ZERO;
        loop {
            let first = match changes.recv_timeout(WAKE) {
                Ok(path) => Some(path),
                Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) if self.stop.load(Ordering::Relaxed) => return,
                Err(RecvTimeoutError::Timeout) => {
                    waited += WAKE;
                    if !polling || waited < POLL {
                        continue;
                    }
                    None
                }
            };
            waited = Duration::ZERO;
            // Let a burst of arrivals settle, then look once.
            std::thread::sleep(SETTLE);
            let mut paths: Vec<PathBuf> = first.into_iter().collect();
            paths.extend(changes.try_iter());
            let whole = polling || paths.len() > MANY || paths.iter().any(|p| *p == self.root());
            let result = if whole {
                self.update()
            } else {
                self.update_paths(&paths)
            };
            if result.is_err() {
                return;
            }
        }
    }

    fn root(&self) -> PathBuf {
        self.index.root().to_path_buf()
    }

    /// Looks at these paths again and sends the inbox if it changed.
    fn update_paths(&mut self, paths: &[PathBuf]) -> Result<(), Gone> {
        if self.index.refresh_paths(paths).changed() {
            self.save();
            return self.send_inbox(true);
        }
        Ok(())
    }

    /// Looks at the folder again and sends the inbox if it changed.
    fn update(&mut self) -> Result<(), Gone> {
        match self.index.refresh(|_, _| {}) {
            Ok(r) if r.changed() => {
                self.save();
                self.send_inbox(true)
            }
            Ok(_) => Ok(()),
            Err(e) => self.send(ScanEvent::Failed(e.to_string())),
        }
    }

    fn save(&mut self) {
        if let Some(file) = &self.cache_file
            && let Err(e) = self.index.save(file)
        {
            let _ = self.tx.send(ScanEvent::Note(e));
            // Said once: do not try again this session.
            self.cache_file = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inbox::index::Phase;

    #[test]
    fn a_large_first_index_is_listed_before_its_languages_are_detected()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        for i in 0..QUICK_ABOVE + 10 {
            std::fs::write(
                dir.path().join(format!("story-{i:04}.txt")),
                format!(
                    "Story {i}\n\nThe council voted on Thursday evening for a larger budget to \
                     renovate the schools of the district, despite criticism.\n"
                ),
            )?;
        }
        let scanner = start(dir.path(), ScanOptions::default(), None);
        let (mut batches, mut detecting) = (0, 0);
        let mut inboxes: Vec<Vec<Arc<Article>>> = Vec::new();
        while inboxes.last().is_none_or(|a| a.iter().any(|a| a.pending)) {
            match scanner.events.recv_timeout(Duration::from_secs(60))? {
                ScanEvent::Batch(..) => batches += 1,
                ScanEvent::Progress(p) if p.phase == Phase::Detecting => detecting += 1,
                ScanEvent::Inbox {
                    articles, changed, ..
                } => {
                    assert!(changed.is_none());
                    inboxes.push(articles);
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(batches >= 2, "{batches} batches");
        assert!(detecting >= 1);
        let [listed, detected] = inboxes.as_slice() else {
            panic!("{} inboxes sent", inboxes.len());
        };
        assert!(listed.iter().all(|a| a.pending && &*a.lang == "und"));
        assert_eq!(listed.len(), QUICK_ABOVE + 10);
        assert!(detected.iter().all(|a| &*a.lang == "en"));
        Ok(())
    }

    #[test]
    fn files_that_give_no_article_are_counted_again_on_an_unchanged_reopen()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let inbox = dir.path().join("inbox");
        std::fs::create_dir(&inbox)?;
        std::fs::write(
            inbox.join("story.txt"),
            "Story\n\nThe council voted on Thursday evening for a larger budget.\n",
        )?;
        std::fs::write(inbox.join("broken.json"), "{\"headline\": ")?;
        // A link to nothing: the walk skips it, and the cache does not keep what the walk said.
        std::os::unix::fs::symlink("nowhere.txt", inbox.join("gone.txt"))?;
        let cache = dir.path().join("index.cache");
        // What the screen is told, up to the end of the first index (or the word that the
        // cached one is up to date).
        let unreadable_counts = || -> Result<Vec<usize>, Box<dyn std::error::Error>> {
            let cached = cache.exists();
            let scanner = start(&inbox, ScanOptions::default(), Some(cache.clone()));
            let mut counts = Vec::new();
            loop {
                match scanner.events.recv_timeout(Duration::from_secs(60))? {
                    ScanEvent::Inbox {
                        articles,
                        unreadable,
                        ..
                    } => {
                        counts.push(unreadable);
                        if !cached && articles.iter().all(|a| !a.pending) {
                            return Ok(counts);
                        }
                    }
                    ScanEvent::Unchanged { unreadable } => {
                        counts.push(unreadable);
                        return Ok(counts);
                    }
                    _ => {}
                }
            }
        };
        assert_eq!(unreadable_counts()?.last(), Some(&2), "first open");
        let again = unreadable_counts()?;
        assert_eq!(again.last(), Some(&2), "from the cache: {again:?}");
        Ok(())
    }

    #[test]
    fn hidden_paths_are_never_watched() {
        let root = Path::new("/news/inbox");
        assert!(is_hidden(
            root,
            Path::new("/news/inbox/.copydesk/state.toml")
        ));
        assert!(is_hidden(
            root,
            Path::new("/news/inbox/wire/.story.txt.swp")
        ));
        assert!(!is_hidden(root, Path::new("/news/inbox/wire/story.txt")));
        assert!(!is_hidden(
            Path::new("/home/.me/inbox"),
            Path::new("/home/.me/inbox/a.txt")
        ));
    }
}
