//! The state file on disk: load, lock, read–merge–write, durable save.
//!
//! Every change is applied to what is on disk *now*, under an advisory lock, so that several
//! editors on one server never overwrite each other. The lock is a `flock` on
//! `state.toml.lock`: the kernel releases it when a process dies, so a killed copydesk never
//! blocks the next editor.

use std::fs::{self, File, OpenOptions};
use std::io::{Read as _, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, FixedOffset, Timelike};

use super::{Change, Entry, ParseProblem, State, cache, journal};
use crate::sanitize::echo_path;

/// How long a save waits for another editor's lock before giving up.
const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// How often a full read starts again because a fold happened while it read.
const READ_ATTEMPTS: usize = 8;

/// Why the state could not be read or saved. Messages name the file and the cause.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("state file '{}'{}: {message} (the file was left untouched)", echo_path(path), line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Corrupt {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    #[error("state file '{}': {}", echo_path(.0), .1)]
    Io(PathBuf, String),
    #[error(
        "state file '{}' is locked by another editor's save for more than {} s; try again \
         (the lock ends with the process holding it: removing the lock file does not help)",
        echo_path(.0),
        .1
    )]
    LockTimeout(PathBuf, u64),
}

/// When marks go to the journal, and when the journal is folded into the state file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoldPolicy {
    /// While the state file is smaller than this and there is no journal, a mark rewrites the
    /// state file directly (cheap at that size, and the file stays the whole truth).
    pub journal_from: u64,
    /// The journal is folded once it holds this many bytes, or 1/32 of the state file's size
    /// when that is more: a fold costs about as much as the file is big, so it is paid rarely.
    pub fold_from: u64,
}

impl Default for FoldPolicy {
    fn default() -> Self {
        Self {
            journal_from: 256 * 1024,
            fold_from: 64 * 1024,
        }
    }
}

impl FoldPolicy {
    fn fold_due(self, state_len: u64, journal_len: u64) -> bool {
        journal_len >= self.fold_from.max(state_len / 32)
    }
}

/// The versions of the state file and its journal on disk: while it stays the same, reading
/// them again gives what the last read gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskStamp(Option<Stamp>, Option<Stamp>);

/// What identifies a version of a file on disk, to notice other editors' saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    mtime: Option<SystemTime>,
    mtime_ns: i128,
    size: u64,
    inode: u64,
    dev: u64,
}

impl Stamp {
    fn of(m: &fs::Metadata) -> Self {
        Self {
            mtime: m.modified().ok(),
            mtime_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
            size: m.len(),
            inode: m.ino(),
            dev: m.dev(),
        }
    }

    fn cache_key(self) -> cache::Key {
        cache::Key {
            size: self.size,
            mtime_ns: self.mtime_ns,
            inode: self.inode,
            dev: self.dev,
        }
    }
}

/// How far the journal has been read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tail {
    inode: u64,
    dev: u64,
    /// Bytes read: the end of the last complete batch.
    offset: u64,
    /// Lines in those bytes, to name lines of what comes next.
    lines: usize,
    /// The modification time seen: the same size with another time means an edit in place.
    mtime_ns: i128,
    /// Whether every record in it was already folded (left by a crash after a fold).
    stale: bool,
}

impl Tail {
    /// Nothing read yet of the journal file described by `meta`.
    fn start_of(meta: &fs::Metadata) -> Self {
        Self {
            inode: meta.ino(),
            dev: meta.dev(),
            offset: 0,
            lines: 0,
            mtime_ns: 0,
            stale: false,
        }
    }
}

/// What a save did: the changes that did not apply, and for each applied change the entry it
/// replaced (`None`: there was none).
#[derive(Debug, Clone, Default)]
pub struct Applied {
    pub skipped: Vec<String>,
    pub replaced: Vec<(String, Option<Entry>)>,
}

/// The state file, its journal, and what was last read from them.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    pub state: State,
    cache_dir: Option<PathBuf>,
    policy: FoldPolicy,
    base: Option<Stamp>,
    /// The CRC-32 of the state file as read or written, to recognise a fold made from it.
    base_crc: Option<u32>,
    /// How many times the whole state was read (for tests of what is read when).
    loads: u32,
    /// How many saves found other editors' changes to take in first.
    outside: u64,
    tail: Option<Tail>,
    /// The last journal record applied to `state` (or the state file's `journal_folded`).
    last_seq: u64,
    /// The line of an incomplete last batch seen in the journal, if any.
    torn_at: Option<usize>,
    /// The journal (its inode) that holds keys of a newer copydesk: it is not folded here.
    newer_journal: Option<u64>,
    warnings: Vec<String>,
}

fn io_error(path: &Path, what: &str, e: &std::io::Error) -> StateError {
    StateError::Io(
        path.to_path_buf(),
        format!("cannot {what}: {}", crate::inbox::walk::io_reason(e)),
    )
}

/// The state file a link at `path` names, so that its journal and lock go beside it and a
/// save replaces it, not the link: editors who open it by either path then share one state
/// (helper 29: the first mark replaced the link with a file of its own). A link to a file
/// not made yet names where the first save makes it.
pub(crate) fn through_link(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| dangling_target(path))
        }
        _ => path.to_path_buf(),
    }
}

/// Where a link to a file that does not exist yet points: the first save creates it there.
fn dangling_target(link: &Path) -> PathBuf {
    match fs::read_link(link) {
        Ok(target) => link.parent().unwrap_or(Path::new("")).join(target),
        Err(_) => link.to_path_buf(),
    }
}

/// Whether `file` is the file now at `path`.
fn same_file(file: &File, path: &Path) -> bool {
    match (file.metadata(), fs::metadata(path)) {
        (Ok(held), Ok(there)) => held.ino() == there.ino() && held.dev() == there.dev(),
        _ => false,
    }
}

fn stamp(path: &Path) -> Option<Stamp> {
    fs::metadata(path).ok().map(|m| Stamp::of(&m))
}

fn corrupt(path: &Path, line: Option<usize>, message: String) -> StateError {
    StateError::Corrupt {
        path: path.to_path_buf(),
        line,
        message,
    }
}

fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, StateError> {
    String::from_utf8(bytes).map_err(|e| {
        corrupt(
            path,
            None,
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        )
    })
}

/// The journal beside a state file: `state.toml` → `state.journal.toml`.
pub fn journal_path(state_path: &Path) -> PathBuf {
    let name = state_path.file_name().unwrap_or_default().to_string_lossy();
    let stem = name.strip_suffix(".toml").unwrap_or(&name);
    state_path.with_file_name(format!("{stem}.journal.toml"))
}

/// Opens one of the state's files, which must be a regular file: a named pipe there (the
/// inbox folder is shared) would block every editor's open, and a device would be read
/// without end.
fn open_regular(path: &Path, options: &mut OpenOptions) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = match options.custom_flags(libc::O_NONBLOCK).open(path) {
        // What opening a named pipe nobody reads for writing says.
        Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
            return Err(std::io::Error::other("not a regular file"));
        }
        // A lease held elsewhere (an NFS delegation, a Samba oplock): a blocking open waits
        // for it to be given back, as any open would. Pipes never answer this.
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
            options.custom_flags(0).open(path)?
        }
        opened => opened?,
    };
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(file)
}

/// [`open_regular`] for reading.
fn open_to_read(path: &Path) -> std::io::Result<File> {
    open_regular(path, OpenOptions::new().read(true))
}

/// Reads the state file as it is: from the cache when it matches, else by parsing (and then
/// the cache is rewritten). A missing file is an empty state.
/// The largest state file read: 100,000 decisions take some 11 MB. A larger file (a sparse
/// file, a disk image put there by mistake) would be read whole into memory, and could end
/// the process where memory is limited (helper 29: a 3 GB file under a 2 GB limit).
const MAX_STATE_BYTES: u64 = 256 << 20;

fn read_base(path: &Path, cache_dir: Option<&Path>) -> Result<Base, StateError> {
    let mut file = match open_to_read(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((State::default(), None, None));
        }
        Err(e) => return Err(io_error(path, "read it", &e)),
    };
    let meta = file.metadata().map_err(|e| io_error(path, "read it", &e))?;
    if meta.len() > MAX_STATE_BYTES {
        return Err(corrupt(
            path,
            None,
            format!(
                "it is {} MiB, more than a state file holds (at most {} MiB, some two million \
                 decisions): is it the right file?",
                meta.len() >> 20,
                MAX_STATE_BYTES >> 20
            ),
        ));
    }
    let stamp = Stamp::of(&meta);
    if let Some((state, crc)) = cache_dir.and_then(|d| cache::load(d, path, stamp.cache_key()))
        && crc_of_file(&mut file).is_ok_and(|on_disk| on_disk == crc)
    {
        return Ok((state, Some(stamp), Some(crc)));
    }
    file.rewind().map_err(|e| io_error(path, "read it", &e))?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)
        .map_err(|e| io_error(path, "read it", &e))?;
    let crc = crc32fast::hash(&bytes);
    let text = utf8(path, bytes)?;
    let state = State::parse(&text)
        .map_err(|ParseProblem { line, message }| corrupt(path, line, message))?;
    drop(text);
    if let Some(dir) = cache_dir {
        cache::store(dir, path, stamp.cache_key(), crc, &state);
    }
    Ok((state, Some(stamp), Some(crc)))
}

/// The CRC-32 of a file's bytes, read in blocks: a cached state is used only when the file
/// still has the bytes it was decoded from, as a hand edit may keep size and time (a few
/// milliseconds for a 100,000-entry file, against a parse of most of a second).
fn crc_of_file(file: &mut File) -> std::io::Result<u32> {
    let mut hasher = crc32fast::Hasher::new();
    let mut block = vec![0u8; 1 << 16];
    loop {
        match file.read(&mut block) {
            Ok(0) => return Ok(hasher.finalize()),
            Ok(n) => hasher.update(&block[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// A state file as read: the state, its stamp and its CRC-32 (none when there is no file).
type Base = (State, Option<Stamp>, Option<u32>);

/// `journal_folded` and `journal_onto` from the top of a state file's text.
fn fold_header(bytes: &[u8]) -> (Option<u64>, Option<u32>) {
    let mut folded = None;
    let mut onto = None;
    for line in bytes.split(|b| *b == b'\n').take(8) {
        let line = std::str::from_utf8(line).unwrap_or_default();
        if let Some(n) = line.strip_prefix("journal_folded = ") {
            folded = n.parse::<i64>().ok().and_then(|n| u64::try_from(n).ok());
        } else if let Some(c) = line.strip_prefix("journal_onto = \"") {
            onto = c.strip_suffix('"').and_then(super::crc_of_text);
        } else if line.starts_with('[') {
            break;
        }
    }
    (folded, onto)
}

/// What reading the journal gave.
enum JournalRead {
    /// Records applied up to this sequence number, read this far.
    Read {
        last_seq: u64,
        tail: Option<Tail>,
        torn_at: Option<usize>,
    },
    /// Its records do not follow the state file's: a fold happened while reading.
    Gap,
}

/// Reads the journal from `from` (all of it for `None`), applies its records after `last_seq`.
fn read_journal(
    path: &Path,
    from: Option<Tail>,
    state: &mut State,
    last_seq: u64,
) -> Result<JournalRead, StateError> {
    let mut file = match open_to_read(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(match from {
                None => JournalRead::Read {
                    last_seq,
                    tail: None,
                    torn_at: None,
                },
                Some(_) => JournalRead::Gap,
            });
        }
        Err(e) => return Err(io_error(path, "read it", &e)),
    };
    let meta = file.metadata().map_err(|e| io_error(path, "read it", &e))?;
    let start = match from {
        Some(t) if t.inode != meta.ino() || t.dev != meta.dev() || t.offset > meta.len() => {
            return Ok(JournalRead::Gap);
        }
        Some(t) => t,
        None => Tail::start_of(&meta),
    };
    let mtime_ns = Stamp::of(&meta).mtime_ns;
    file.seek(SeekFrom::Start(start.offset))
        .map_err(|e| io_error(path, "read it", &e))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| io_error(path, "read it", &e))?;
    let text = utf8(path, bytes)?;
    let read = journal::read(&text, start.lines + 1, last_seq)
        .map_err(|c| corrupt(path, Some(c.line), c.message))?;
    if read.records.first().is_some_and(|r| r.seq != last_seq + 1) {
        return Ok(JournalRead::Gap);
    }
    let mut last = last_seq;
    for r in &read.records {
        state.apply(&r.change, &r.editor, r.at);
        last = r.seq;
    }
    let folded_only = read.records.is_empty() && read.skipped > 0;
    Ok(JournalRead::Read {
        last_seq: last,
        tail: Some(Tail {
            offset: start.offset + read.consumed as u64,
            lines: start.lines + read.lines,
            stale: if last > last_seq {
                false
            } else {
                start.stale || folded_only
            },
            mtime_ns,
            ..start
        }),
        torn_at: read.torn_at,
    })
}

impl Store {
    /// Opens the state file and its journal; a missing file is an empty state (created on the
    /// first mark).
    pub fn open(path: &Path) -> Result<Self, StateError> {
        Self::open_with_cache(path, None)
    }

    /// Opens like [`Store::open`], keeping a compact copy of the state file in `cache_dir`
    /// so that the next open does not parse it. The cache is never required.
    pub fn open_with_cache(path: &Path, cache_dir: Option<&Path>) -> Result<Self, StateError> {
        let mut store = Self::unread(path, cache_dir);
        store.load()?;
        if let Some(line) = store.torn_at.filter(|_| store.nobody_is_saving()) {
            let warning = store.torn_warning(line);
            store.warnings.push(warning);
        }
        if store.state.version > super::VERSION {
            let warning = format!(
                "state file '{}' is format version {}, newer than this copydesk's {}: \
                 what it does not know is kept as it is",
                store.path.display(),
                store.state.version,
                super::VERSION
            );
            store.warnings.push(warning);
        }
        Ok(store)
    }

    /// A store that has read nothing yet: an empty state, as though the file were missing.
    /// Where [`Store::open_with_cache`] failed, it lets the screen open to read the copy: every
    /// save and [`Store::reload_if_changed`] reads the file first, so they fail as the open did
    /// and write nothing, until the file is mended and read.
    pub fn unread(path: &Path, cache_dir: Option<&Path>) -> Self {
        Self {
            path: through_link(path),
            state: State::default(),
            cache_dir: cache_dir.map(Path::to_path_buf),
            policy: FoldPolicy::default(),
            base: None,
            base_crc: None,
            loads: 0,
            outside: 0,
            tail: None,
            last_seq: 0,
            torn_at: None,
            newer_journal: None,
            warnings: Vec::new(),
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The versions of the files on disk now.
    pub fn disk_stamp(&self) -> DiskStamp {
        DiskStamp(stamp(&self.path), stamp(&self.journal_path()))
    }

    /// The journal's path (it exists only while marks wait to be folded).
    pub fn journal_path(&self) -> PathBuf {
        journal_path(&self.path)
    }

    /// Changes when marks go to the journal and when it is folded.
    pub fn set_fold_policy(&mut self, policy: FoldPolicy) {
        self.policy = policy;
    }

    /// Problems that were worked around (a save cut short by a crash), to show the user once.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// How many saves so far found other editors' changes on disk and took them in before
    /// applying their own. When a save leaves it unchanged, the state after the save differs
    /// from the state before only by that save's own changes.
    pub fn outside_changes(&self) -> u64 {
        self.outside
    }

    /// Reloads when another editor saved since the last read: only the new end of the journal
    /// is read, unless the state file itself changed. Returns whether anything was read.
    pub fn reload_if_changed(&mut self) -> Result<bool, StateError> {
        self.catch_up()
    }

    /// Reads the state file (or its cache) and the whole journal, again until both agree.
    fn load(&mut self) -> Result<(), StateError> {
        self.load_with(|| {})
    }

    /// [`Store::load`], with `between` run after each read of the state file, before its
    /// journal is read (where a test puts another editor's fold).
    fn load_with(&mut self, mut between: impl FnMut()) -> Result<(), StateError> {
        let journal = self.journal_path();
        let mut steady_gaps = 0;
        for _ in 0..READ_ATTEMPTS {
            let (mut state, base, crc) = read_base(&self.path, self.cache_dir.as_deref())?;
            between();
            let folded = state.folded;
            let read = read_journal(&journal, None, &mut state, folded)?;
            // A journal that does not follow a state file nobody is changing will not follow
            // it on the next read either: say so rather than "try again".
            if matches!(read, JournalRead::Gap) && stamp(&self.path) == base {
                steady_gaps += 1;
                if steady_gaps == 2 {
                    return Err(corrupt(
                        &journal,
                        None,
                        format!(
                            "its records do not follow the state file's journal_folded = \
                             {folded} (was the state file restored from a copy?); move the \
                             journal aside to open the state file as it is"
                        ),
                    ));
                }
            }
            // No journal: maybe a fold renamed a new state file in and removed the journal it
            // folded while these were read, its records in the new file, not in this state.
            // (A journal begun after such a fold does not follow this state: that is a gap.)
            let journal_gone = matches!(read, JournalRead::Read { tail: None, .. });
            if journal_gone && stamp(&self.path) != base {
                continue;
            }

            if let JournalRead::Read {
                last_seq,
                tail,
                torn_at,
            } = read
            {
                self.state = state;
                self.base = base;
                self.base_crc = crc;
                self.loads += 1;
                self.tail = tail;
                self.last_seq = last_seq;
                self.torn_at = torn_at;
                return Ok(());
            }
        }
        Err(StateError::Io(
            self.path.clone(),
            "changed too often while being read; try again".into(),
        ))
    }

    /// Brings `state` up to what is on disk. Returns whether anything was read.
    fn catch_up(&mut self) -> Result<bool, StateError> {
        self.catch_up_checking(false)
    }

    /// [`Store::catch_up`]; `locked`: under the lock, before a save, where a large file on a
    /// whole-second filesystem is checked by its bytes too (not at every reload: 11 MB four
    /// times a second).
    fn catch_up_checking(&mut self, locked: bool) -> Result<bool, StateError> {
        if stamp(&self.path) != self.base || self.base_bytes_changed(locked) {
            if !self.adopt_fold()? {
                self.load()?;
            }
            return Ok(true);
        }
        let journal = self.journal_path();
        let now = fs::metadata(&journal).ok();
        match (self.tail, now) {
            (None, None) => return Ok(false),
            (Some(t), Some(m))
                if t.inode == m.ino()
                    && t.offset == m.len()
                    && t.mtime_ns == Stamp::of(&m).mtime_ns =>
            {
                self.torn_at = None;
                return Ok(false);
            }
            (Some(t), Some(m)) if t.inode == m.ino() && t.offset == m.len() => {
                // Edited in place: read everything again.
                self.load()?;
                return Ok(true);
            }
            _ => {}
        }
        let before = self.last_seq;
        match read_journal(&journal, self.tail, &mut self.state, self.last_seq)? {
            JournalRead::Read {
                last_seq,
                tail,
                torn_at,
            } => {
                self.last_seq = last_seq;
                self.tail = tail;
                self.torn_at = torn_at;
                Ok(last_seq != before)
            }
            JournalRead::Gap => {
                self.load()?;
                Ok(true)
            }
        }
    }

    /// Whether the state file's bytes changed where its stamp cannot tell. A filesystem that
    /// keeps whole seconds hands a renamed-in file the inode just freed: another editor's
    /// rewrite of the same size within the second keeps every field of the stamp, and a save
    /// from the copy held would undo it (helper 29 lost confirmed notes so). A file small
    /// enough to be rewritten on each mark, or with a whole-second time, is checked by its
    /// bytes (a read and a CRC: well under a millisecond below the journal threshold).
    fn base_bytes_changed(&self, locked: bool) -> bool {
        let (Some(base), Some(held)) = (self.base, self.base_crc) else {
            return false;
        };
        let whole_second = base.mtime_ns % 1_000_000_000 == 0;
        if base.size >= self.policy.journal_from && !(whole_second && locked) {
            return false;
        }
        match open_to_read(&self.path) {
            Ok(mut file) => crc_of_file(&mut file).map_or(true, |crc| crc != held),
            Err(_) => true,
        }
    }

    /// When the new state file is another editor's fold of exactly what this store holds (the
    /// file it was folded from, and every record it folded), takes it without reading it:
    /// only its stamp and checksum change. Returns false when it must be read.
    fn adopt_fold(&mut self) -> Result<bool, StateError> {
        let Some(held) = self.base_crc else {
            return Ok(false);
        };
        let Ok(mut file) = open_to_read(&self.path) else {
            return Ok(false);
        };
        let Ok(meta) = file.metadata() else {
            return Ok(false);
        };
        // Too large a file is read by nobody: `load` refuses it (helper 33: a screen's reload
        // came here first, and allocated it whole).
        if meta.len() > MAX_STATE_BYTES {
            return Ok(false);
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        if file.read_to_end(&mut bytes).is_err() {
            return Ok(false);
        }
        let (folded, onto) = fold_header(&bytes);
        if onto != Some(held) || folded != Some(self.last_seq) {
            return Ok(false);
        }
        let crc = crc32fast::hash(&bytes);
        drop(bytes);
        let mut state = std::mem::take(&mut self.state);
        state.folded = self.last_seq;
        state.folded_onto = onto;
        // As the file says: a missing file's state had no version yet.
        state.version = state.version.max(super::VERSION);
        // The journal it folded is gone (or, mid-fold, holds only folded records).
        match read_journal(&self.journal_path(), None, &mut state, self.last_seq)? {
            JournalRead::Read {
                last_seq,
                tail,
                torn_at,
            } => {
                self.state = state;
                self.base = Some(Stamp::of(&meta));
                self.base_crc = Some(crc);
                self.last_seq = last_seq;
                self.tail = tail;
                self.torn_at = torn_at;
                Ok(true)
            }
            JournalRead::Gap => {
                self.state = state;
                Ok(false)
            }
        }
    }

    /// Records changes durably and returns once they are on disk, with the ids of the changes
    /// that did not apply (see [`State::apply`]); when none applied, nothing is written.
    ///
    /// Under the lock, the store first reads what other editors saved since (the end of the
    /// journal, or the whole state when it was folded), so conditions are checked against the
    /// latest state. A small state file is rewritten (temp file, fsync, rename, fsync of the
    /// folder); at scale the changes are appended to the journal and fsynced, and the journal
    /// is folded into the state file once it is large.
    pub fn apply(
        &mut self,
        changes: &[Change],
        editor: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Vec<String>, StateError> {
        self.apply_replacing(changes, editor, at)
            .map(|applied| applied.skipped)
    }

    /// [`Store::apply`], saying also what each applied change replaced: with other editors'
    /// changes read in first, that is what an undo must put back.
    pub fn apply_replacing(
        &mut self,
        changes: &[Change],
        editor: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Applied, StateError> {
        // Files keep whole seconds: the state in memory must be what a reader will rebuild,
        // or a later condition on this decision (an undo) would not match.
        let at = at.with_nanosecond(0).unwrap_or(at);
        let lock = self.lock()?;
        if self.catch_up_checking(true)? {
            self.outside += 1;
        }
        self.cut_torn_tail()?;
        let mut undo: Vec<(String, Option<Entry>)> = Vec::new();
        let mut applied: Vec<&Change> = Vec::new();
        let mut skipped = Vec::new();
        for c in changes {
            let before = self.state.articles.get(&*c.id).cloned();
            if self.state.apply(c, editor, at) {
                undo.push((c.id.clone(), before));
                applied.push(c);
            } else {
                skipped.push(c.id.clone());
            }
        }
        if applied.is_empty() {
            return Ok(Applied {
                skipped,
                replaced: undo,
            });
        }
        let small =
            self.tail.is_none() && self.base.map_or(0, |b| b.size) < self.policy.journal_from;
        let saved = self.still_locked(&lock).and_then(|()| match small {
            true => self.rewrite(),
            false => self.append(&applied, editor, at),
        });
        if let Err(e) = saved {
            for (id, before) in undo.into_iter().rev() {
                match before {
                    Some(entry) => self.state.articles.insert(id, entry),
                    None => self.state.articles.remove(&id),
                };
            }
            return Err(e);
        }
        if self.fold_due()
            && let Err(e) = self.still_locked(&lock).and_then(|()| self.fold_locked())
        {
            // The marks are safe in the journal; the next save tries the fold again.
            self.warnings.push(e.to_string());
        }
        Ok(Applied {
            skipped,
            replaced: undo,
        })
    }

    /// Folds the journal into the state file now (under the lock). Returns whether there was
    /// anything to fold.
    pub fn fold(&mut self) -> Result<bool, StateError> {
        let lock = self.lock()?;
        self.catch_up_checking(true)?;
        if self.tail.is_none() {
            return Ok(false);
        }
        self.still_locked(&lock)?;
        self.fold_locked()?;
        Ok(true)
    }

    fn fold_due(&self) -> bool {
        let state_len = self.base.map_or(0, |b| b.size);
        self.tail.is_some_and(|t| {
            self.policy.fold_due(state_len, t.offset) && self.newer_journal != Some(t.inode)
        })
    }

    /// Refuses to fold a journal holding keys this copydesk does not know (a newer one wrote
    /// them): the state file could not keep them, so the marks stay in the journal, where
    /// every copydesk reads them, until a copydesk that knows the keys folds it.
    fn refuse_newer_journal(&mut self) -> Result<(), StateError> {
        let journal = self.journal_path();
        let text = match fs::read_to_string(&journal) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io_error(&journal, "read it", &e)),
        };
        let Some(newer) = journal::newer_keys(&text) else {
            return Ok(());
        };
        self.newer_journal = self.tail.map(|t| t.inode);
        Err(StateError::Io(
            journal,
            format!(
                "not folded: it holds keys this copydesk does not know ({newer}), written by a \
                 newer copydesk; the marks stay in the journal, which is read as before"
            ),
        ))
    }

    /// Checks that this editor can save: the folder exists or can be made, and the lock file
    /// can be opened for writing. The error names the file and the missing permission. Another
    /// editor's save in progress is no reason: this does not wait for the lock (helper 36: a
    /// screen opened during one stayed blank for 10 s, then read-only for good).
    pub fn check_writable(&self) -> Result<(), StateError> {
        self.ensure_folder()?;
        self.refuse_write_protected()?;
        self.open_lock_file().map(drop)
    }

    fn torn_warning(&self, line: usize) -> String {
        format!(
            "journal '{}', line {line}: the last save there was cut short (never confirmed) and is ignored",
            self.journal_path().display()
        )
    }

    /// True when another process holds the lock now (a save or a fold in progress): a save
    /// started now waits for it, up to the lock timeout.
    pub fn someone_is_saving(&self) -> bool {
        open_to_read(&self.lock_path())
            .is_ok_and(|f| matches!(f.try_lock_shared(), Err(std::fs::TryLockError::WouldBlock)))
    }

    /// True when no save is in progress (the lock is free), so an incomplete end of the
    /// journal is a crash's leftover and not a save being written right now.
    fn nobody_is_saving(&self) -> bool {
        open_to_read(&self.lock_path()).is_ok_and(|f| f.try_lock_shared().is_ok())
    }

    /// Under the lock: an incomplete last batch is a crash's leftover; cut it off so the next
    /// records follow complete ones.
    fn cut_torn_tail(&mut self) -> Result<(), StateError> {
        let (Some(line), Some(tail)) = (self.torn_at, self.tail) else {
            return Ok(());
        };
        let path = self.journal_path();
        let file = open_regular(&path, OpenOptions::new().write(true))
            .map_err(|e| io_error(&path, "open it", &e))?;
        file.set_len(tail.offset)
            .and_then(|()| file.sync_all())
            .map_err(|e| io_error(&path, "cut its incomplete end", &e))?;
        let warning = self.torn_warning(line);
        self.warnings.push(warning);
        self.torn_at = None;
        Ok(())
    }

    /// Rewrites the whole state file (small states).
    fn rewrite(&mut self) -> Result<(), StateError> {
        self.state.folded_onto = None;
        let text = self.state.to_toml();
        self.write(&text)?;
        self.base = stamp(&self.path);
        self.base_crc = Some(crc32fast::hash(text.as_bytes()));
        Ok(())
    }

    /// Appends the changes as one batch to the journal and syncs it.
    fn append(
        &mut self,
        changes: &[&Change],
        editor: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<(), StateError> {
        let path = self.journal_path();
        if self.tail.is_some_and(|t| t.stale) {
            // Every record there is in the state file already (a crash after a fold): start anew.
            fs::remove_file(&path).map_err(|e| io_error(&path, "remove it", &e))?;
            self.sync_folder()?;
            self.tail = None;
        }
        let text = journal::encode(self.last_seq + 1, changes, editor, at);
        let (mut file, created) =
            match open_regular(&path, OpenOptions::new().append(true).create_new(true)) {
                Ok(f) => {
                    share_with_folder_group(&f, &path);
                    (f, true)
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => (
                    open_regular(&path, OpenOptions::new().append(true))
                        .map_err(|e| io_error(&path, "open it", &e))?,
                    false,
                ),
                Err(e) => return Err(io_error(&path, "create it", &e)),
            };
        let meta = file
            .metadata()
            .map_err(|e| io_error(&path, "read it", &e))?;
        let old_len = meta.len();
        let bytes = match old_len {
            0 => format!("{}{text}", journal::HEADER),
            _ => text,
        };
        let written = file
            .write_all(bytes.as_bytes())
            .map_err(|e| ("write", e))
            .and_then(|()| file.sync_data().map_err(|e| ("sync", e)));
        if let Err((what, e)) = written {
            // Nothing half-written is left for the next editor to trip on.
            let _ = file.set_len(old_len);
            return Err(io_error(&path, what, &e));
        }
        if created {
            self.sync_folder()?;
        }
        let base = self.tail.unwrap_or_else(|| Tail::start_of(&meta));
        let after = file
            .metadata()
            .map_err(|e| io_error(&path, "read it", &e))?;
        self.tail = Some(Tail {
            mtime_ns: Stamp::of(&after).mtime_ns,
            offset: old_len + bytes.len() as u64,
            lines: base.lines + bytes.matches('\n').count(),
            ..base
        });
        self.last_seq += changes.len() as u64;
        Ok(())
    }

    /// Under the lock, with `state` up to date: writes the state file with everything through
    /// `last_seq`, then removes the journal. A crash between the two leaves a journal whose
    /// records are all at or below the state file's `journal_folded`: they are skipped.
    fn fold_locked(&mut self) -> Result<(), StateError> {
        self.refuse_newer_journal()?;
        let previous = (self.state.folded, self.state.folded_onto);
        self.state.folded = self.last_seq;
        self.state.folded_onto = self.base_crc;
        let text = self.state.to_toml();
        if let Err(e) = self.write(&text) {
            (self.state.folded, self.state.folded_onto) = previous;
            return Err(e);
        }
        let crc = crc32fast::hash(text.as_bytes());
        drop(text);
        self.base = stamp(&self.path);
        self.base_crc = Some(crc);
        let journal = self.journal_path();
        match fs::remove_file(&journal) {
            Ok(()) => self.sync_folder()?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&journal, "remove it after folding", &e)),
        }
        self.tail = None;
        if let (Some(dir), Some(base)) = (&self.cache_dir, self.base) {
            cache::store(dir, &self.path, base.cache_key(), crc, &self.state);
        }
        Ok(())
    }

    fn folder(&self) -> &Path {
        self.path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }

    fn sync_folder(&self) -> Result<(), StateError> {
        let dir = self.folder();
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io_error(dir, "sync its folder", &e))
    }

    fn lock_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        self.path.with_file_name(name)
    }

    fn ensure_folder(&self) -> Result<(), StateError> {
        let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) else {
            return Ok(());
        };
        if dir.is_dir() {
            return Ok(());
        }
        // One level only (the inbox's `.copydesk/`): a mistyped `--state /no/dir/state.toml`
        // must fail, not keep marks where no other editor looks.
        match fs::create_dir(dir) {
            Ok(()) => {}
            // Another editor's first save made it a moment ago (CI saw eight at once).
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => {
                return Ok(());
            }
            Err(e) => return Err(io_error(&self.path, "create its folder", &e)),
        }
        // The folder inherits the group and group-write of the inbox above it.
        if let Some(parent) = dir.parent().and_then(|p| fs::metadata(p).ok()) {
            let mode = 0o755 | (parent.mode() & 0o2070);
            let _ = fs::set_permissions(dir, fs::Permissions::from_mode(mode));
            let _ = std::os::unix::fs::chown(dir, None, Some(parent.gid()));
        }
        Ok(())
    }

    fn lock(&self) -> Result<File, StateError> {
        self.ensure_folder()?;
        self.refuse_write_protected()?;
        let path = self.lock_path();
        let deadline = Instant::now() + LOCK_TIMEOUT;
        let mut file = self.open_lock_file()?;
        loop {
            match file.try_lock() {
                // A lock file removed or replaced meanwhile (by hand, after a timeout) locks
                // nothing another editor sees: lock the one at the path instead.
                Ok(()) if !same_file(&file, &path) => file = self.open_lock_file()?,
                Ok(()) => return Ok(file),
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(StateError::LockTimeout(
                        self.path.clone(),
                        LOCK_TIMEOUT.as_secs(),
                    ));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(io_error(&path, "lock", &e)),
            }
        }
    }

    /// Whether `lock` is still the lock file at its path: one removed by hand while this save
    /// waited (a stopped process, a slow disk) no longer keeps another editor's save out, and
    /// writing now could replace theirs (helper 29).
    fn still_locked(&self, lock: &File) -> Result<(), StateError> {
        let path = self.lock_path();
        match same_file(lock, &path) {
            true => Ok(()),
            false => Err(StateError::Io(
                path,
                "was removed or replaced during this save: nothing saved; try again".into(),
            )),
        }
    }

    fn open_lock_file(&self) -> Result<File, StateError> {
        let path = self.lock_path();
        let file = open_regular(
            &path,
            OpenOptions::new().create(true).truncate(false).write(true),
        )
        .map_err(|e| io_error(&path, "open the lock file", &e))?;
        share_with_folder_group(&file, &path);
        Ok(file)
    }

    /// A write-protected state file or journal (`chmod a-w`: no write permission for anyone)
    /// is not replaced: a save renames a new file in, which the folder's permission alone
    /// would allow. A file only its owner may write is still replaced by the desk's group,
    /// as a restore from a backup by an administrator leaves it.
    fn refuse_write_protected(&self) -> Result<(), StateError> {
        // The folder too: a save writes a temporary file there and renames it in.
        let folder = self.folder().to_path_buf();
        if let Err(e) = rustix::fs::access(&folder, rustix::fs::Access::WRITE_OK) {
            return Err(io_error(&self.path, "write files beside it", &e.into()));
        }
        for path in [self.path.clone(), self.journal_path()] {
            let protected = fs::metadata(&path).is_ok_and(|m| m.mode() & 0o222 == 0);
            if protected {
                return Err(StateError::Io(
                    path,
                    "cannot write it: it is write-protected (chmod a-w); nothing saved".into(),
                ));
            }
        }
        Ok(())
    }

    /// Writes the state file. Called under the lock only, so any other temporary file of
    /// this state is the remains of a save killed before its rename: it goes first.
    fn write(&self, text: &str) -> Result<(), StateError> {
        let dir = self.folder();
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        remove_stale_temporaries(dir, &format!(".{name}.tmp."));
        let tmp = dir.join(format!(".{name}.tmp.{}", std::process::id()));
        let result = write_durably(&tmp, &self.path, text.as_bytes(), Replace::Yes);
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result.map_err(|(what, e)| io_error(&self.path, what, &e))?;
        self.sync_folder()
    }
}

/// Removes the files in `dir` whose name starts with `prefix` (best effort).
fn remove_stale_temporaries(dir: &Path, prefix: &str) {
    let Ok(listing) = fs::read_dir(dir) else {
        return;
    };
    for entry in listing.flatten() {
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A file copydesk creates in a group-writable folder (a shared inbox) is made group-writable
/// too, whatever the editor's umask, so that the next editor of the group can replace it.
/// Nothing is made world-writable. Best effort: on failure the file keeps the umask's mode.
fn share_with_folder_group(file: &File, path: &Path) {
    let Some(folder) = path.parent().and_then(|d| {
        fs::metadata(if d.as_os_str().is_empty() {
            Path::new(".")
        } else {
            d
        })
        .ok()
    }) else {
        return;
    };
    let Ok(meta) = file.metadata() else { return };
    if folder.mode() & 0o020 != 0 && meta.mode() & 0o020 == 0 {
        let _ = file.set_permissions(fs::Permissions::from_mode((meta.mode() | 0o060) & 0o775));
    }
}

/// Whether [`write_durably`] may replace a file already at its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    Yes,
    /// Only where nothing is: a file that appeared since anyone looked is left as it is.
    No,
}

/// Writes `bytes` to `tmp`, syncs it, gives it the permissions and group of the file it
/// replaces, and renames it over `target` (or, with [`Replace::No`], into a free name only).
pub fn write_durably(
    tmp: &Path,
    target: &Path,
    bytes: &[u8],
    replace: Replace,
) -> Result<(), (&'static str, std::io::Error)> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp)
        .or_else(|_| {
            let _ = fs::remove_file(tmp);
            OpenOptions::new().write(true).create_new(true).open(tmp)
        })
        .map_err(|e| ("write a temporary file beside it", e))?;
    match fs::metadata(target) {
        Ok(old) => {
            let _ = file.set_permissions(fs::Permissions::from_mode(old.mode() & 0o7777));
            let _ = std::os::unix::fs::fchown(&file, None, Some(old.gid()));
        }
        Err(_) => share_with_folder_group(&file, target),
    }
    file.write_all(bytes).map_err(|e| ("write", e))?;
    file.sync_all().map_err(|e| ("sync", e))?;
    match replace {
        Replace::Yes => fs::rename(tmp, target).map_err(|e| ("replace it", e)),
        Replace::No => rename_into_free_name(tmp, target).map_err(|e| ("create it", e)),
    }
}

/// Renames `tmp` to `target` only if no file is there, atomically: `RENAME_NOREPLACE`, or a
/// hard link where the file system lacks it. Either fails with `AlreadyExists`.
fn rename_into_free_name(tmp: &Path, target: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, tmp, CWD, target, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
            fs::hard_link(tmp, target)?;
            let _ = fs::remove_file(tmp);
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests;
