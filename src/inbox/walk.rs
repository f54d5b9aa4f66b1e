//! Walking the inbox folder: hidden entries skipped, special files never opened, links not looped.

use std::fs;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

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
    let mut walked = Walked::default();
    visit(root, rel, rel.components().count(), &mut walked);
    walked.stat_batch(root);
    // By bytes: `Path`'s component-wise order costs more than all the stats at 100,000 files.
    let mut entries = walked.entries;
    entries.sort_unstable_by(|a, b| a.rel_path.as_os_str().cmp(b.rel_path.as_os_str()));
    (entries, walked.skipped)
}

/// Files listed and not yet stat-ed past this many are stat-ed at once.
const BATCH_FILES: usize = 4096;
/// At most this many folders are kept open by the files waiting to be stat-ed.
const BATCH_FOLDERS: usize = 64;

/// What the walk found so far, and the files listed but not yet stat-ed.
#[derive(Default)]
struct Walked {
    entries: Vec<Entry>,
    skipped: Vec<Skipped>,
    /// Each `DirEntry` keeps its folder open until it is stat-ed.
    batch: Vec<(fs::DirEntry, PathBuf, bool)>,
    open_folders: usize,
}

impl Walked {
    /// Stats the waiting files in parallel, each relative to its folder (links followed), and
    /// closes their folders.
    fn stat_batch(&mut self, root: &Path) {
        let stated: Vec<Result<Entry, Skipped>> = std::mem::take(&mut self.batch)
            .into_par_iter()
            .map(|(item, rel_path, is_link)| match is_link {
                true => stat_entry(root, rel_path, true),
                false => match item.metadata() {
                    Ok(meta) => entry_of(rel_path, &meta),
                    Err(e) => Err(Skipped {
                        rel_path,
                        reason: io_reason(&e),
                    }),
                },
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

/// Lists the folder `rel`, queues its files for stat-ing, and goes down into its sub-folders.
fn visit(root: &Path, rel: &Path, depth: usize, walked: &mut Walked) {
    let listing = match fs::read_dir(root.join(rel)) {
        Ok(l) => l,
        Err(e) => {
            walked.skipped.push(Skipped {
                rel_path: rel.to_path_buf(),
                reason: format!("folder not readable: {}", io_reason(&e)),
            });
            return;
        }
    };
    let mut folders = Vec::new();
    let queued = walked.batch.len();
    for item in listing.flatten() {
        let name = item.file_name();
        if name.as_bytes().first() == Some(&b'.') {
            continue;
        }
        let rel_path = rel.join(&name);
        let Ok(kind) = item.file_type() else { continue };
        if !kind.is_dir() {
            walked.batch.push((item, rel_path, kind.is_symlink()));
        } else if depth < MAX_DEPTH {
            folders.push(rel_path);
        } else {
            walked.skipped.push(Skipped {
                rel_path,
                reason: format!("folder nested deeper than {MAX_DEPTH} levels"),
            });
        }
    }
    walked.open_folders += usize::from(walked.batch.len() > queued);
    if walked.batch.len() >= BATCH_FILES || walked.open_folders >= BATCH_FOLDERS {
        walked.stat_batch(root);
    }
    for folder in folders {
        visit(root, &folder, depth + 1, walked);
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

/// A regular file becomes an entry; anything else is skipped, saying what it is.
fn entry_of(rel_path: PathBuf, meta: &fs::Metadata) -> Result<Entry, Skipped> {
    let ft = meta.file_type();
    if ft.is_file() {
        return Ok(Entry {
            rel_path,
            size: meta.len(),
            mtime: meta.modified().ok(),
        });
    }
    let what = if ft.is_dir() {
        "symbolic link to a folder, not followed"
    } else if ft.is_fifo() {
        "a FIFO (named pipe), not a file: not read"
    } else if ft.is_socket() {
        "a socket, not a file: not read"
    } else {
        "a device or special file, not read"
    };
    Err(Skipped {
        rel_path,
        reason: what.to_string(),
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
