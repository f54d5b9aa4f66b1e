//! Walking the inbox folder: hidden entries skipped, special files never opened, links not looped.

use std::fs;
use std::io::Read;
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
/// Folders are listed on one thread; the files found are stat-ed in parallel, which is what
/// makes a re-open of a large inbox cost about as much as stat-ing every file.
pub fn walk(root: &Path) -> (Vec<Entry>, Vec<Skipped>) {
    walk_below(root, Path::new(""))
}

/// Like [`walk`], for the folder `rel` below `root` only (paths stay relative to `root`).
pub fn walk_below(root: &Path, rel: &Path) -> (Vec<Entry>, Vec<Skipped>) {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    let depth = rel.components().count();
    visit(root, rel, depth, &mut found, &mut skipped);
    let stated: Vec<Result<Entry, Skipped>> = found
        .into_par_iter()
        .map(|(rel_path, is_link)| stat_entry(root, rel_path, is_link))
        .collect();
    let mut entries = Vec::with_capacity(stated.len());
    for result in stated {
        match result {
            Ok(entry) => entries.push(entry),
            Err(skip) => skipped.push(skip),
        }
    }
    // By bytes: `Path`'s component-wise order costs more than all the stats at 100,000 files.
    entries.sort_by(|a, b| a.rel_path.as_os_str().cmp(b.rel_path.as_os_str()));
    (entries, skipped)
}

/// Lists folders depth first; every other entry is returned with whether it is a link.
fn visit(
    root: &Path,
    rel: &Path,
    depth: usize,
    found: &mut Vec<(PathBuf, bool)>,
    skipped: &mut Vec<Skipped>,
) {
    let dir = root.join(rel);
    let listing = match fs::read_dir(&dir) {
        Ok(l) => l,
        Err(e) => {
            skipped.push(Skipped {
                rel_path: rel.to_path_buf(),
                reason: format!("folder not readable: {}", io_reason(&e)),
            });
            return;
        }
    };
    for item in listing.flatten() {
        let name = item.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let rel_path = rel.join(&name);
        let Ok(kind) = item.file_type() else { continue };
        if kind.is_dir() {
            if depth < MAX_DEPTH {
                visit(root, &rel_path, depth + 1, found, skipped);
            } else {
                skipped.push(Skipped {
                    rel_path,
                    reason: format!("folder nested deeper than {MAX_DEPTH} levels"),
                });
            }
            continue;
        }
        found.push((rel_path, kind.is_symlink()));
    }
}

/// Follows a link to a file; never to a folder, so that link loops cannot trap the walk.
pub fn stat_entry(root: &Path, rel_path: PathBuf, is_link: bool) -> Result<Entry, Skipped> {
    let meta = match fs::metadata(root.join(&rel_path)) {
        Ok(m) => m,
        Err(e) => {
            let reason = if is_link {
                format!("broken or looping symbolic link ({})", io_reason(&e))
            } else {
                io_reason(&e)
            };
            return Err(Skipped { rel_path, reason });
        }
    };
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
