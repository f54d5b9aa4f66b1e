//! The state file on disk: load, lock, read–merge–write, durable save.
//!
//! Every change is applied to what is on disk *now*, under an advisory lock, so that several
//! editors on one server never overwrite each other. The lock is a `flock` on
//! `state.toml.lock`: the kernel releases it when a process dies, so a killed copydesk never
//! blocks the next editor.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, FixedOffset};

use super::{Change, ParseProblem, State};

/// How long a save waits for another editor's lock before giving up.
const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the state could not be read or saved. Messages name the file and the cause.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("state file '{path}'{}: {message} (the file was left untouched)", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Corrupt {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    #[error("state file '{0}': {1}")]
    Io(PathBuf, String),
    #[error("state file '{0}' is locked by another editor for more than {1} s")]
    LockTimeout(PathBuf, u64),
}

/// What identifies a version of the file on disk, to notice other editors' saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    mtime: Option<SystemTime>,
    size: u64,
    inode: u64,
}

/// The state file and what was last read from it.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    pub state: State,
    stamp: Option<Stamp>,
}

fn io_error(path: &Path, what: &str, e: &std::io::Error) -> StateError {
    StateError::Io(
        path.to_path_buf(),
        format!("cannot {what}: {}", crate::inbox::walk::io_reason(e)),
    )
}

fn stamp(path: &Path) -> Option<Stamp> {
    let m = fs::metadata(path).ok()?;
    Some(Stamp {
        mtime: m.modified().ok(),
        size: m.len(),
        inode: m.ino(),
    })
}

fn read_state(path: &Path) -> Result<State, StateError> {
    match fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|e| StateError::Corrupt {
                path: path.to_path_buf(),
                line: None,
                message: format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
            })?;
            State::parse(&text).map_err(|ParseProblem { line, message }| StateError::Corrupt {
                path: path.to_path_buf(),
                line,
                message,
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
        Err(e) => Err(io_error(path, "read it", &e)),
    }
}

impl Store {
    /// Opens the state file; a missing file is an empty state (created on the first mark).
    pub fn open(path: &Path) -> Result<Self, StateError> {
        let stamp = stamp(path);
        let state = read_state(path)?;
        Ok(Self {
            path: path.to_path_buf(),
            state,
            stamp,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reloads when another editor saved since the last read. Returns whether it did.
    pub fn reload_if_changed(&mut self) -> Result<bool, StateError> {
        let now = stamp(&self.path);
        if now == self.stamp {
            return Ok(false);
        }
        self.state = read_state(&self.path)?;
        self.stamp = now;
        Ok(true)
    }

    /// Records changes durably: lock, re-read the file, apply, write a temp file, fsync,
    /// rename over the state file, fsync the folder. Returns once the changes are on disk, with
    /// the ids of the changes that did not apply (see [`State::apply`]); when none applied,
    /// nothing is written.
    pub fn apply(
        &mut self,
        changes: &[Change],
        editor: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Vec<String>, StateError> {
        let _lock = self.lock()?;
        let mut fresh = read_state(&self.path)?;
        let skipped: Vec<String> = changes
            .iter()
            .filter(|c| !fresh.apply(c, editor, at))
            .map(|c| c.id.clone())
            .collect();
        if skipped.len() < changes.len() {
            self.write(&fresh)?;
        }
        self.state = fresh;
        self.stamp = stamp(&self.path);
        Ok(skipped)
    }

    /// Checks that this editor can save: the folder exists or can be made, and the lock file
    /// can be opened for writing. The error names the file and the missing permission.
    pub fn check_writable(&self) -> Result<(), StateError> {
        self.lock().map(drop)
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
        fs::create_dir_all(dir).map_err(|e| io_error(dir, "create its folder", &e))?;
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
        let path = self.lock_path();
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_error(&path, "open the lock file", &e))?;
        share_with_folder_group(&file, &path);
        let deadline = Instant::now() + LOCK_TIMEOUT;
        loop {
            match file.try_lock() {
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

    fn write(&self, state: &State) -> Result<(), StateError> {
        let dir = self
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        let tmp = dir.join(format!(".{name}.tmp.{}", std::process::id()));
        let result = write_durably(&tmp, &self.path, state.to_toml().as_bytes());
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result.map_err(|(what, e)| io_error(&self.path, what, &e))?;
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io_error(dir, "sync its folder", &e))
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

/// Writes `bytes` to `tmp`, syncs it, gives it the permissions and group of the file it
/// replaces, and renames it over `target`.
pub fn write_durably(
    tmp: &Path,
    target: &Path,
    bytes: &[u8],
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
    fs::rename(tmp, target).map_err(|e| ("replace it", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{NoteChange, Status};

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-27T09:00:00+07:00").expect("time")
    }

    fn change(id: &str, status: Status) -> Change {
        Change {
            expect: None,
            id: id.into(),
            status,
            note: NoteChange::Keep,
        }
    }

    #[test]
    fn two_stores_on_one_file_keep_both_marks() -> Result<(), StateError> {
        let dir = tempfile::tempdir().map_err(|e| io_error(Path::new("tmp"), "make", &e))?;
        let path = dir.path().join(".copydesk/state.toml");
        let mut ayu = Store::open(&path)?;
        let mut marc = Store::open(&path)?;
        ayu.apply(&[change("a", Status::Verified)], "ayu", now())?;
        marc.apply(&[change("b", Status::NeedsReview)], "marc", now())?;
        assert_eq!(marc.state.status_of("a"), Status::Verified);
        assert!(ayu.reload_if_changed()?);
        assert_eq!(ayu.state.status_of("b"), Status::NeedsReview);
        assert!(!ayu.reload_if_changed()?);
        Ok(())
    }

    #[test]
    fn new_files_in_a_group_writable_folder_are_group_writable()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o2775))?;
        let path = dir.path().join("state.toml");
        let mut store = Store::open(&path)?;
        store.apply(&[change("a", Status::Verified)], "e", now())?;
        for file in [path.clone(), dir.path().join("state.toml.lock")] {
            let mode = fs::metadata(&file)?.mode() & 0o777;
            assert_eq!(mode & 0o060, 0o060, "{} is {mode:o}", file.display());
            assert_eq!(mode & 0o002, 0, "{} is world-writable", file.display());
        }
        Ok(())
    }

    #[test]
    fn a_corrupt_file_is_reported_and_never_overwritten() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("state.toml");
        let corrupt = "version = 1\n[articles.a]\nstatus = \"verified\"\nthis is not toml\n";
        fs::write(&path, corrupt)?;
        let err = Store::open(&path).unwrap_err().to_string();
        assert!(err.contains("state.toml', line 4:"), "{err}");
        let mut store = Store {
            path: path.clone(),
            state: State::default(),
            stamp: None,
        };
        assert!(
            store
                .apply(&[change("b", Status::Verified)], "e", now())
                .is_err()
        );
        assert_eq!(fs::read_to_string(&path)?, corrupt);
        Ok(())
    }
}
