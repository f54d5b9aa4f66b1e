//! Walking the inbox folder: hidden entries skipped, special files never opened, links not looped.
//!
//! A walk can record what it listed of each folder ([`Tree`]); the next walk given that record
//! lists again only the folders that changed since, and stats the files of the others from their
//! recorded names. Creating, removing or renaming an entry changes its folder's modification and
//! change times, so a folder whose times are the same still has the same entries. Files are
//! stat-ed either way: their contents change without touching their folder.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Most bytes read from one file; the rest is ignored with a warning.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Folders deeper than this are not entered.
const MAX_DEPTH: usize = 32;

/// A regular file found in the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the inbox root.
    pub rel_path: PathBuf,
    pub size: u64,
    pub mtime: Option<SystemTime>,
    /// The file's inode and change time, folded into one number: a file put in another's
    /// place with the same size and modification time (`cp -p`, `rsync -a`) differs here.
    pub identity: u64,
}

/// The [`Entry::identity`] of an inode number and a change time.
pub fn identity(ino: u64, ctime: i64, ctime_nsec: i64) -> u64 {
    let mut bytes = [0u8; 24];
    bytes[..8].copy_from_slice(&ino.to_le_bytes());
    bytes[8..16].copy_from_slice(&ctime.to_le_bytes());
    bytes[16..].copy_from_slice(&ctime_nsec.to_le_bytes());
    super::fnv1a(&bytes)
}

/// Something in the folder that could not be walked or read, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub rel_path: PathBuf,
    pub reason: String,
}

/// Every regular, non-hidden file below `root`, sorted by path, and what was skipped.
///
/// Folders are listed on this thread; their files are stat-ed in parallel, in batches, each
/// relative to its open folder (no path to resolve again per file): a re-open of a large inbox
/// costs about as much as stat-ing every file.
pub fn walk(root: &Path) -> (Vec<Entry>, Vec<Skipped>) {
    walk_below(root, Path::new(""))
}

/// Like [`walk`], for the folder `rel` below `root` only (paths stay relative to `root`).
pub fn walk_below(root: &Path, rel: &Path) -> (Vec<Entry>, Vec<Skipped>) {
    let walked = Walked::default().run(root, rel);
    (walked.entries, walked.skipped)
}

/// What [`walk_again`] found: the same entries and skips as [`walk`], and the record for the
/// next walk.
#[derive(Debug)]
pub struct Walk {
    pub entries: Vec<Entry>,
    pub skipped: Vec<Skipped>,
    pub tree: Tree,
    /// Folders listed (the others were unchanged, their files stat-ed by name).
    pub listed: usize,
}

/// Like [`walk`], with the same result, but the folders that did not change since `known` was
/// recorded are not listed again: their files are stat-ed by their recorded names. Returns the
/// record for the next walk too.
pub fn walk_again(root: &Path, known: Option<Tree>) -> Walk {
    // On a network or FUSE mount a folder's times may stay put while its entries change (or
    // be cached by the client): every folder is listed there, as by `walk`.
    walk_with_record(root, known.filter(|_| folder_times_are_kept(root)))
}

/// [`walk_again`] trusting `known` wherever its times match, whatever the filesystem.
fn walk_with_record(root: &Path, known: Option<Tree>) -> Walk {
    let started = SystemTime::now();
    let walked = Walked {
        known: known.map(|t| t.folders),
        tree: Some(Tree::default()),
        started,
        ..Walked::default()
    }
    .run(root, Path::new(""));
    Walk {
        entries: walked.entries,
        skipped: walked.skipped,
        tree: walked.tree.unwrap_or_default(),
        listed: walked.listed,
    }
}

/// Whether `root` is on a local filesystem known to update a folder's times whenever an
/// entry is created, removed or renamed in it (ext2/3/4, XFS, Btrfs, F2FS, ZFS, tmpfs,
/// overlayfs). NFS, SMB, FUSE mounts and anything unknown are not trusted.
fn folder_times_are_kept(root: &Path) -> bool {
    rustix::fs::statfs(root).is_ok_and(|fs| trusted_filesystem(fs.f_type as u64))
}

fn trusted_filesystem(magic: u64) -> bool {
    const EXT: u64 = 0xEF53;
    const XFS: u64 = 0x5846_5342;
    const BTRFS: u64 = 0x9123_683E;
    const F2FS: u64 = 0xF2F5_2010;
    const ZFS: u64 = 0x2FC1_2FC1;
    const TMPFS: u64 = 0x0102_1994;
    const OVERLAYFS: u64 = 0x794C_7630;
    matches!(magic, EXT | XFS | BTRFS | F2FS | ZFS | TMPFS | OVERLAYFS)
}

/// What a walk listed of each folder whose times it could trust, by the folder's path relative
/// to the root (see [`walk_again`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tree {
    folders: HashMap<Vec<u8>, Folder>,
}

impl Tree {
    /// Number of folders recorded.
    pub fn len(&self) -> usize {
        self.folders.len()
    }

    /// True when no folder is recorded.
    pub fn is_empty(&self) -> bool {
        self.folders.is_empty()
    }
}

/// One folder as listed: its times then, and its non-hidden entries in the order listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Folder {
    stamp: FolderStamp,
    /// Each entry as its kind ([`Listed::byte`]), its name and a 0 byte (never part of a name):
    /// one allocation per folder, not one per file.
    names: Vec<u8>,
}

impl Folder {
    /// The entries as recorded: kind and name.
    fn entries(&self) -> impl Iterator<Item = (Listed, &OsStr)> {
        self.names.split(|b| *b == 0).filter_map(|item| {
            let (kind, name) = item.split_first()?;
            Some((Listed::from_byte(*kind)?, OsStr::from_bytes(name)))
        })
    }
}

/// Records one entry in a folder's packed names (see [`Folder::names`]).
fn push_name(names: &mut Vec<u8>, kind: Listed, name: &OsStr) {
    names.push(kind.byte());
    names.extend_from_slice(name.as_bytes());
    names.push(0);
}

/// What identifies one state of a folder's entries: any entry created, removed or renamed
/// changes its modification and change times (the change time cannot be set back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct FolderStamp {
    dev: u64,
    ino: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

/// A folder changed less than this before a walk began may change again within the same tick
/// of its clock and keep its times (git's "racy" timestamps): it is listed again next time.
const SETTLED: Duration = Duration::from_secs(2);

impl FolderStamp {
    fn of(meta: &fs::Metadata) -> Self {
        Self {
            dev: meta.dev(),
            ino: meta.ino(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// True when the folder's last change is clearly older than `started`, so that a change
    /// after its listing cannot have kept the same times.
    fn settled_before(&self, started: SystemTime) -> bool {
        let Some(limit) = started
            .checked_sub(SETTLED)
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        else {
            return false;
        };
        let limit = (limit.as_secs() as i64, i64::from(limit.subsec_nanos()));
        self.mtime.max(self.ctime) < limit
    }
}

/// What a folder listing says an entry is, as far as the walk cares (no stat needed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listed {
    /// A file or special file: stat-ed, never followed.
    File,
    /// A symbolic link: followed to a file, never to a folder.
    Link,
    /// A folder: walked.
    Folder,
}

impl Listed {
    fn of(kind: fs::FileType) -> Self {
        if kind.is_dir() {
            Listed::Folder
        } else if kind.is_symlink() {
            Listed::Link
        } else {
            Listed::File
        }
    }

    fn byte(self) -> u8 {
        match self {
            Listed::File => b'f',
            Listed::Link => b'l',
            Listed::Folder => b'd',
        }
    }

    fn from_byte(byte: u8) -> Option<Self> {
        match byte {
            b'f' => Some(Listed::File),
            b'l' => Some(Listed::Link),
            b'd' => Some(Listed::Folder),
            _ => None,
        }
    }
}

/// Files listed and not yet stat-ed past this many are stat-ed at once.
const BATCH_FILES: usize = 4096;
/// At most this many folders are kept open by the files waiting to be stat-ed.
const BATCH_FOLDERS: usize = 64;

/// What the walk found so far, and the files listed but not yet stat-ed.
struct Walked {
    entries: Vec<Entry>,
    skipped: Vec<Skipped>,
    /// Each file with its open folder (kept open until the file is stat-ed) and whether it is a
    /// link.
    batch: Vec<(Opened, PathBuf, bool)>,
    open_folders: usize,
    /// The previous walk's record, taken from as its folders are found unchanged.
    known: Option<HashMap<Vec<u8>, Folder>>,
    /// The record this walk makes, when it makes one.
    tree: Option<Tree>,
    /// When this walk began.
    started: SystemTime,
    /// Folders listed so far.
    listed: usize,
}

impl Default for Walked {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            skipped: Vec::new(),
            batch: Vec::new(),
            open_folders: 0,
            known: None,
            tree: None,
            started: UNIX_EPOCH,
            listed: 0,
        }
    }
}

impl Walked {
    /// Walks the folder `rel` below `root`; the entries come out sorted by path.
    fn run(mut self, root: &Path, rel: &Path) -> Self {
        visit(root, rel, rel.components().count(), &mut self);
        self.stat_batch(root);
        // By bytes: `Path`'s component-wise order costs more than all the stats at 100,000 files.
        self.entries
            .sort_unstable_by(|a, b| a.rel_path.as_os_str().cmp(b.rel_path.as_os_str()));
        self
    }

    /// Stats the waiting files in parallel, each relative to its open folder (links followed,
    /// by their path), and closes their folders.
    fn stat_batch(&mut self, root: &Path) {
        let stated: Vec<Result<Entry, Skipped>> = std::mem::take(&mut self.batch)
            .into_par_iter()
            .map(|(opened, rel_path, is_link)| match (opened, is_link) {
                (_, true) => stat_entry(root, rel_path, true),
                (Opened::Listed(item), false) => match item.metadata() {
                    Ok(meta) => entry_of(rel_path, &meta),
                    Err(e) => Err(io_skip(rel_path, &e)),
                },
                (Opened::Known(folder), false) => stat_in(&folder, rel_path),
            })
            .collect();
        self.open_folders = 0;
        self.entries.reserve(stated.len());
        for result in stated {
            match result {
                Ok(entry) => self.entries.push(entry),
                Err(skip) => self.skipped.push(skip),
            }
        }
    }
}

/// Lists the folder `rel` (or takes its entries from the previous walk's record when it did not
/// change), queues its files for stat-ing, and goes down into its sub-folders.
fn visit(root: &Path, rel: &Path, depth: usize, walked: &mut Walked) {
    let key = rel.as_os_str().as_bytes();
    // Opened and stat-ed before it is listed: a change during the listing shows next time.
    let opened = match walked.tree {
        Some(_) => open_folder(&root.join(rel)).and_then(|dir| {
            let stamp = FolderStamp::of(&dir.metadata().ok()?);
            Some((dir, stamp))
        }),
        None => None,
    };
    let stamp = opened.as_ref().map(|(_, stamp)| *stamp);
    let unchanged = opened.and_then(|(dir, stamp)| {
        let known = walked.known.as_mut()?;
        let same = known.get(key).is_some_and(|f| f.stamp == stamp);
        let folder = if same { known.remove(key) } else { None }?;
        Some((Arc::new(dir), folder))
    });
    let mut folders = Vec::new();
    let queued = walked.batch.len();
    let folder = match unchanged {
        Some((dir, folder)) => {
            for (kind, name) in folder.entries() {
                let opened = Opened::Known(Arc::clone(&dir));
                walked.queue(rel.join(name), kind, opened, depth, &mut folders);
            }
            Some(folder)
        }
        None => list(root, rel, depth, walked, &mut folders).and_then(|names| {
            let stamp = stamp.filter(|s| s.settled_before(walked.started))?;
            Some(Folder { stamp, names })
        }),
    };
    if let (Some(tree), Some(folder)) = (walked.tree.as_mut(), folder) {
        tree.folders.insert(key.to_vec(), folder);
    }
    walked.open_folders += usize::from(walked.batch.len() > queued);
    if walked.batch.len() >= BATCH_FILES || walked.open_folders >= BATCH_FOLDERS {
        walked.stat_batch(root);
    }
    for folder in folders {
        visit(root, &folder, depth + 1, walked);
    }
}

/// Opens a folder to stat its files relative to it; never anything else, so never a FIFO that
/// took its place (which could block).
fn open_folder(path: &Path) -> Option<fs::File> {
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NONBLOCK)
        .open(path)
        .ok()
}

/// Lists the folder `rel` and queues its entries; returns them as a [`Folder`] records them
/// when the walk makes a record, or `None` (nothing recorded, or the folder not readable).
fn list(
    root: &Path,
    rel: &Path,
    depth: usize,
    walked: &mut Walked,
    folders: &mut Vec<PathBuf>,
) -> Option<Vec<u8>> {
    let listing = match fs::read_dir(root.join(rel)) {
        Ok(l) => l,
        Err(e) => {
            walked.skipped.push(Skipped {
                rel_path: rel.to_path_buf(),
                reason: format!("folder not readable: {}", io_reason(&e)),
            });
            return None;
        }
    };
    walked.listed += 1;
    let mut names = walked.tree.as_ref().map(|_| Vec::new());
    for item in listing.flatten() {
        let name = item.file_name();
        if name.as_bytes().first() == Some(&b'.') {
            continue;
        }
        let Ok(kind) = item.file_type() else { continue };
        let kind = Listed::of(kind);
        if let Some(names) = names.as_mut() {
            push_name(names, kind, &name);
        }
        walked.queue(rel.join(&name), kind, Opened::Listed(item), depth, folders);
    }
    names
}
impl Walked {
    /// One entry of the folder at `depth`: a file waits to be stat-ed, a folder to be walked
    /// (unless it is too deep).
    fn queue(
        &mut self,
        rel_path: PathBuf,
        kind: Listed,
        opened: Opened,
        depth: usize,
        folders: &mut Vec<PathBuf>,
    ) {
        match kind {
            Listed::File | Listed::Link => {
                self.batch.push((opened, rel_path, kind == Listed::Link))
            }
            Listed::Folder if depth < MAX_DEPTH => folders.push(rel_path),
            Listed::Folder => self.skipped.push(Skipped {
                rel_path,
                reason: format!("folder nested deeper than {MAX_DEPTH} levels"),
            }),
        }
    }
}

/// Follows a link to a file; never to a folder, so that link loops cannot trap the walk.
pub fn stat_entry(root: &Path, rel_path: PathBuf, is_link: bool) -> Result<Entry, Skipped> {
    match fs::metadata(root.join(&rel_path)) {
        Ok(meta) => entry_of(rel_path, &meta),
        Err(e) => {
            let reason = if is_link {
                format!("broken or looping symbolic link ({})", io_reason(&e))
            } else {
                io_reason(&e)
            };
            Err(Skipped { rel_path, reason })
        }
    }
}

/// The folder a file waiting to be stat-ed is in, kept open.
enum Opened {
    /// Listed by this walk: the entry keeps its folder open.
    Listed(fs::DirEntry),
    /// Unchanged since the last walk: its files are known by name.
    Known(Arc<fs::File>),
}

/// A file by its name in its open folder, as [`fs::DirEntry::metadata`] stats it (links not
/// followed).
fn stat_in(folder: &fs::File, rel_path: PathBuf) -> Result<Entry, Skipped> {
    let name = rel_path.file_name().unwrap_or_default();
    match rustix::fs::statat(folder, name, rustix::fs::AtFlags::SYMLINK_NOFOLLOW) {
        Ok(stat) => {
            let what = Stated::of_mode(stat.st_mode);
            entry_or_skip(rel_path, what, || stat_size_and_mtime(&stat))
        }
        Err(e) => Err(io_skip(rel_path, &e.into())),
    }
}

/// Size, modification time and identity from a raw stat, as [`fs::Metadata`] gives them.
// The fields' integer types differ between platforms.
#[allow(clippy::useless_conversion)]
fn stat_size_and_mtime(stat: &rustix::fs::Stat) -> (u64, Option<SystemTime>, u64) {
    let size = u64::try_from(stat.st_size).unwrap_or(0);
    let secs = i64::try_from(stat.st_mtime).ok();
    let nanos = u32::try_from(stat.st_mtime_nsec).ok();
    let mtime = secs.zip(nanos).and_then(|(secs, nanos)| {
        let whole = Duration::from_secs(secs.unsigned_abs());
        let at = if secs >= 0 {
            UNIX_EPOCH.checked_add(whole)
        } else {
            UNIX_EPOCH.checked_sub(whole)
        };
        at?.checked_add(Duration::from_nanos(u64::from(nanos)))
    });
    let id = identity(
        u64::from(stat.st_ino),
        i64::from(stat.st_ctime),
        i64::try_from(stat.st_ctime_nsec).unwrap_or(0),
    );
    (size, mtime, id)
}

fn io_skip(rel_path: PathBuf, e: &std::io::Error) -> Skipped {
    Skipped {
        rel_path,
        reason: io_reason(e),
    }
}

/// What a stat says a path is, as far as the walk cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stated {
    File,
    Folder,
    Fifo,
    Socket,
    Other,
}

impl Stated {
    fn of(ft: fs::FileType) -> Self {
        if ft.is_file() {
            Stated::File
        } else if ft.is_dir() {
            Stated::Folder
        } else if ft.is_fifo() {
            Stated::Fifo
        } else if ft.is_socket() {
            Stated::Socket
        } else {
            Stated::Other
        }
    }

    fn of_mode(mode: rustix::fs::RawMode) -> Self {
        use rustix::fs::FileType as T;
        match T::from_raw_mode(mode) {
            T::RegularFile => Stated::File,
            T::Directory => Stated::Folder,
            T::Fifo => Stated::Fifo,
            T::Socket => Stated::Socket,
            _ => Stated::Other,
        }
    }
}

/// A regular file becomes an entry; anything else is skipped, saying what it is.
fn entry_of(rel_path: PathBuf, meta: &fs::Metadata) -> Result<Entry, Skipped> {
    use std::os::unix::fs::MetadataExt;
    entry_or_skip(rel_path, Stated::of(meta.file_type()), || {
        let id = identity(meta.ino(), meta.ctime(), meta.ctime_nsec());
        (meta.len(), meta.modified().ok(), id)
    })
}

/// A regular file becomes an entry with its size and modification time; anything else is
/// skipped, saying what it is.
fn entry_or_skip(
    rel_path: PathBuf,
    what: Stated,
    size_and_mtime: impl FnOnce() -> (u64, Option<SystemTime>, u64),
) -> Result<Entry, Skipped> {
    let reason = match what {
        Stated::File => {
            let (size, mtime, identity) = size_and_mtime();
            return Ok(Entry {
                rel_path,
                size,
                mtime,
                identity,
            });
        }
        Stated::Folder => "symbolic link to a folder, not followed",
        Stated::Fifo => "a FIFO (named pipe), not a file: not read",
        Stated::Socket => "a socket, not a file: not read",
        Stated::Other => "a device or special file, not read",
    };
    Err(Skipped {
        rel_path,
        reason: reason.to_string(),
    })
}

/// Reads at most [`MAX_FILE_BYTES`] of a file without ever blocking on a FIFO or device.
/// Returns the bytes and whether the file was cut.
pub fn read_capped(path: &Path) -> Result<(Vec<u8>, bool), String> {
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| io_reason(&e))?;
    let meta = file.metadata().map_err(|e| io_reason(&e))?;
    if !meta.is_file() {
        return Err("not a regular file: not read".into());
    }
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_FILE_BYTES) as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    let cut = bytes.len() as u64 > MAX_FILE_BYTES;
    bytes.truncate(MAX_FILE_BYTES as usize);
    Ok((bytes, cut))
}

/// An I/O error in plain words.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "no such file or folder".into(),
        K::PermissionDenied => "permission denied".into(),
        K::AlreadyExists => "a file of that name is there".into(),
        _ if e.raw_os_error() == Some(libc::ELOOP) => "too many levels of symbolic links".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_special_and_looping_entries_are_skipped() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        fs::create_dir_all(root.join("wire/deep"))?;
        fs::create_dir_all(root.join(".copydesk"))?;
        fs::write(root.join("a.txt"), "A")?;
        fs::write(root.join("wire/deep/b.txt"), "B")?;
        fs::write(root.join(".copydesk/state.toml"), "x")?;
        fs::write(root.join(".hidden.txt"), "x")?;
        std::os::unix::fs::symlink("loop2", root.join("loop1"))?;
        std::os::unix::fs::symlink("loop1", root.join("loop2"))?;
        std::os::unix::fs::symlink(".", root.join("self"))?;
        let status = std::process::Command::new("mkfifo")
            .arg(root.join("pipe"))
            .status()?;
        assert!(status.success());
        let (entries, skipped) = walk(root);
        let names: Vec<_> = entries
            .iter()
            .map(|e| e.rel_path.to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.txt", "wire/deep/b.txt"]);
        let mut reasons: Vec<_> = skipped
            .iter()
            .map(|s| format!("{}: {}", s.rel_path.display(), s.reason))
            .collect();
        reasons.sort();
        assert_eq!(reasons.len(), 4, "{reasons:?}");
        assert!(
            reasons[0].starts_with("loop1: broken or looping symbolic link"),
            "{reasons:?}"
        );
        assert!(reasons[2].starts_with("pipe: a FIFO"), "{reasons:?}");
        assert!(
            reasons[3].starts_with("self: symbolic link to a folder"),
            "{reasons:?}"
        );
        Ok(())
    }

    #[test]
    fn files_in_more_folders_than_one_batch_keeps_open_are_all_found_in_order()
    -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let folders = BATCH_FOLDERS + 6;
        for f in (0..folders).rev() {
            fs::create_dir_all(dir.path().join(format!("d{f:03}")))?;
            fs::write(dir.path().join(format!("d{f:03}/x.txt")), "x")?;
        }
        let (entries, skipped) = walk(dir.path());
        assert!(skipped.is_empty(), "{skipped:?}");
        let names: Vec<String> = entries
            .iter()
            .map(|e| e.rel_path.to_string_lossy().into_owned())
            .collect();
        let want: Vec<String> = (0..folders).map(|f| format!("d{f:03}/x.txt")).collect();
        assert_eq!(names, want);
        Ok(())
    }

    /// Files and folders for [`a_walk_again_finds_what_a_fresh_walk_finds`]: one folder per
    /// kind of change, and some that do not change.
    fn before_changes(root: &Path) -> std::io::Result<()> {
        for folder in [
            "a", "b", "c", "d", "e", "f/old", "g/s1", "h", "i", "j", "k", "m",
        ] {
            fs::create_dir_all(root.join(folder))?;
            fs::write(root.join(folder).join("x.txt"), "x")?;
        }
        fs::write(root.join("b/gone.txt"), "gone")?;
        fs::write(root.join("c/before.txt"), "renamed")?;
        fs::write(root.join("k/target.txt"), "target")?;
        std::os::unix::fs::symlink("../k/target.txt", root.join("j/link.txt"))?;
        std::os::unix::fs::symlink("../k/missing.txt", root.join("j/broken.txt"))?;
        let status = std::process::Command::new("mkfifo")
            .arg(root.join("m/pipe"))
            .status()?;
        assert!(status.success());
        let mut deep = root.join("deep");
        for level in 0..MAX_DEPTH + 2 {
            deep.push(format!("{level}"));
        }
        fs::create_dir_all(&deep)?;
        fs::write(deep.join("too-deep.txt"), "x")
    }

    /// Every kind of change, each in its own folder; returns how many folders changed.
    fn change(root: &Path) -> std::io::Result<usize> {
        fs::write(root.join("a/added.txt"), "added")?;
        fs::remove_file(root.join("b/gone.txt"))?;
        fs::rename(root.join("c/before.txt"), root.join("c/after.txt"))?;
        // Same size, another time: only the file changes, not its folder.
        fs::write(root.join("d/x.txt"), "y")?;
        let file = fs::File::options().write(true).open(root.join("d/x.txt"))?;
        file.set_modified(UNIX_EPOCH + Duration::from_secs(1_700_000_000))?;
        fs::create_dir_all(root.join("e/new/newer"))?;
        fs::write(root.join("e/new/newer/n.txt"), "n")?;
        fs::remove_dir_all(root.join("f/old"))?;
        fs::rename(root.join("g/s1"), root.join("g/s2"))?;
        fs::write(root.join("h/.hidden.txt"), "hidden")?;
        std::os::unix::fs::symlink("../k/target.txt", root.join("i/link.txt"))?;
        std::os::unix::fs::symlink("../k", root.join("i/to-folder"))?;
        // The link's folder does not change, its target does.
        fs::write(root.join("k/target.txt"), "a longer target")?;
        // a, b, c, e, e/new, e/new/newer, f, g, g/s2, h, i
        Ok(11)
    }

    /// Sets every recorded folder's times to what they are now, as a clock too coarse to tell a
    /// change from the listing before it would.
    fn restamp(tree: &mut Tree, root: &Path) -> std::io::Result<()> {
        for (rel, folder) in tree.folders.iter_mut() {
            let meta = fs::metadata(root.join(OsStr::from_bytes(rel)))?;
            folder.stamp = FolderStamp::of(&meta);
        }
        Ok(())
    }

    fn assert_same_as_fresh(root: &Path, again: &Walk) {
        let (entries, skipped) = walk(root);
        assert_eq!(again.entries, entries);
        assert_eq!(again.skipped, skipped);
    }

    #[test]
    fn folder_times_are_trusted_on_local_filesystems_only() {
        // ext4, XFS, Btrfs, tmpfs, overlayfs: trusted.
        for magic in [0xEF53, 0x5846_5342, 0x9123_683E, 0x0102_1994, 0x794C_7630] {
            assert!(trusted_filesystem(magic), "{magic:#x}");
        }
        // NFS, SMB2, CIFS, FUSE, 9p, and an unknown one: every folder listed.
        for magic in [
            0x6969,
            0xFE53_4D42,
            0xFF53_4D42,
            0x6573_5546,
            0x0102_1997,
            0x1234,
        ] {
            assert!(!trusted_filesystem(magic), "{magic:#x}");
        }
    }

    #[test]
    fn a_walk_again_finds_what_a_fresh_walk_finds() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        before_changes(root)?;
        // Just made: every folder changed too recently for its times to be trusted.
        let first = walk_with_record(root, None);
        assert!(first.tree.is_empty(), "{:?}", first.tree);
        assert_same_as_fresh(root, &first);
        std::thread::sleep(SETTLED + Duration::from_millis(100));
        let settled = walk_with_record(root, None);
        assert_same_as_fresh(root, &settled);
        let folders = settled.listed;
        assert_eq!(settled.tree.len(), folders);
        // Nothing changed: no folder is listed.
        let unchanged = walk_with_record(root, Some(settled.tree));
        assert_same_as_fresh(root, &unchanged);
        assert_eq!(unchanged.listed, 0);
        assert_eq!(unchanged.tree.len(), folders);

        let changed = change(root)?;
        let again = walk_with_record(root, Some(unchanged.tree));
        assert_same_as_fresh(root, &again);
        assert_eq!(again.listed, changed);
        // The folders just changed are not recorded (8 of them were, 3 are new), nor the two
        // that went away.
        assert_eq!(again.tree.len(), folders - 8 - 2);

        // A folder changed again in the same tick of the clock as its listing: its times look
        // the same, but as it had changed just before the walk it was never recorded.
        let mut racy = again.tree;
        fs::write(root.join("a/racy.txt"), "racy")?;
        restamp(&mut racy, root)?;
        let after = walk_with_record(root, Some(racy));
        assert_same_as_fresh(root, &after);
        assert!(
            after
                .entries
                .iter()
                .any(|e| e.rel_path.ends_with("a/racy.txt"))
        );
        Ok(())
    }

    #[test]
    fn an_unchanged_record_is_trusted_and_a_stale_one_is_not() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        fs::create_dir(root.join("wire"))?;
        fs::write(root.join("wire/a.txt"), "a")?;
        let file = fs::File::open(root.join("wire"))?;
        let stamp = FolderStamp::of(&file.metadata()?);
        let mut names = Vec::new();
        push_name(&mut names, Listed::File, OsStr::new("a.txt"));
        // What a record of the folder would say if "b.txt" had been there: with the folder's
        // times, it is trusted (no listing), so the walk reports it (and that it is gone).
        let mut forged = names.clone();
        push_name(&mut forged, Listed::File, OsStr::new("b.txt"));
        let tree = |names: Vec<u8>, stamp| Tree {
            folders: HashMap::from([(b"wire".to_vec(), Folder { stamp, names })]),
        };
        let trusted = walk_with_record(root, Some(tree(forged.clone(), stamp)));
        assert_eq!(trusted.listed, 1, "only the root is listed");
        assert_eq!(trusted.skipped.len(), 1, "{:?}", trusted.skipped);
        // Other times: listed again.
        let other = FolderStamp {
            ctime: (stamp.ctime.0 - 10, 0),
            ..stamp
        };
        let listed = walk_with_record(root, Some(tree(forged, other)));
        assert_eq!(listed.listed, 2);
        assert_same_as_fresh(root, &listed);
        Ok(())
    }

    #[test]
    fn reading_a_fifo_never_blocks() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let pipe = dir.path().join("pipe");
        std::process::Command::new("mkfifo").arg(&pipe).status()?;
        assert_eq!(
            read_capped(&pipe),
            Err("not a regular file: not read".to_string())
        );
        Ok(())
    }
}
