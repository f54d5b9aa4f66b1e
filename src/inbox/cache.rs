//! The index cache on disk: what every file of an inbox gave last time, so that a re-open only
//! stats the files and reads the ones that changed.
//!
//! One file per inbox and user, in `$COPYDESK_CACHE_DIR`, else `$XDG_CACHE_HOME/copydesk`, else
//! `~/.cache/copydesk`, named after the inbox folder and a hash of its full path. It is a cache:
//! a file that is missing, corrupt, from another build of copydesk or for another zone is ignored
//! and rebuilt, and one that cannot be written is skipped; none of that is ever fatal.
//!
//! Format: postcard (a compact serde format) — a header, then every file's stamp and articles.
//! The header is read first, so a cache from another build costs one small read.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::index::FileEntry;

/// Bumped whenever what is cached changes shape or meaning.
const FORMAT: u32 = 1;
const MAGIC: &str = "copydesk index cache";

/// What a cache must match to be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    magic: String,
    format: u32,
    /// The copydesk build that wrote it: a new build may read files differently.
    build: String,
    root: Vec<u8>,
    /// The zone dates without one were read in.
    zone: String,
}

impl Header {
    /// The header this build expects for `root` read in `zone`.
    pub fn new(root: &Path, zone: &str) -> Self {
        Self {
            magic: MAGIC.into(),
            format: FORMAT,
            build: build_id().to_string(),
            root: root.as_os_str().as_bytes().to_vec(),
            zone: zone.into(),
        }
    }
}

/// This build of copydesk: its version, and the size and time of its executable, so that a
/// rebuilt binary never trusts what an older one indexed.
fn build_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let exe = std::env::current_exe()
            .and_then(fs::metadata)
            .map(|m| format!("{}.{}.{}", m.len(), m.mtime(), m.mtime_nsec()))
            .unwrap_or_default();
        format!("{} {exe}", env!("CARGO_PKG_VERSION"))
    })
}

/// The cache folder: `$COPYDESK_CACHE_DIR`, else `$XDG_CACHE_HOME/copydesk`, else
/// `~/.cache/copydesk`; `None` when none of them can be named.
pub fn folder() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("COPYDESK_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = var("XDG_CACHE_HOME").filter(|d| Path::new(d).is_absolute()) {
        return Some(PathBuf::from(dir).join("copydesk"));
    }
    var("HOME").map(|home| PathBuf::from(home).join(".cache").join("copydesk"))
}

/// The cache file of kind `kind` ("index", ...) for the inbox at `root`:
/// `<folder>/<inbox name>-<hash of its full path>.<kind>`.
pub fn file_for(root: &Path, kind: &str) -> Option<PathBuf> {
    let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let name: String = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "root".into())
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .take(40)
        .collect();
    let hash = super::fnv1a(root.as_os_str().as_bytes());
    Some(folder()?.join(format!("{name}-{hash:016x}.{kind}")))
}

/// Why a cache was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    /// No cache yet, or one written by another build or for another zone: rebuilt silently.
    Stale,
    /// A cache that could not be read: rebuilt, and worth a note.
    Unreadable(String),
}

/// Reads the cache at `path` if its header is `expected`.
pub fn read(path: &Path, expected: &Header) -> Result<BTreeMap<Vec<u8>, FileEntry>, Miss> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Miss::Stale),
        Err(e) => return Err(unreadable(path, &super::walk::io_reason(&e))),
    };
    let (header, rest): (Header, &[u8]) =
        postcard::take_from_bytes(&bytes).map_err(|e| unreadable(path, &e.to_string()))?;
    if header != *expected {
        return Err(Miss::Stale);
    }
    let files: Vec<(Vec<u8>, FileEntry)> =
        postcard::from_bytes(rest).map_err(|e| unreadable(path, &e.to_string()))?;
    Ok(files.into_iter().collect())
}

fn unreadable(path: &Path, why: &str) -> Miss {
    Miss::Unreadable(format!(
        "index cache '{}' ignored ({why}); rebuilt",
        path.display()
    ))
}

/// Writes the cache: a temporary file beside it, renamed over it. Private to the user.
pub fn write(
    path: &Path,
    header: &Header,
    files: &BTreeMap<Vec<u8>, FileEntry>,
) -> Result<(), String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        format!("index cache '{}': cannot {what}: {e}", path.display())
    };
    if let Some(dir) = path.parent() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| fail("create its folder", &e))?;
    }
    let mut bytes = postcard::to_stdvec(header).map_err(|e| fail("encode it", &e))?;
    let listed: Vec<(&Vec<u8>, &FileEntry)> = files.iter().collect();
    bytes.extend(postcard::to_stdvec(&listed).map_err(|e| fail("encode it", &e))?);
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    let written = fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(&bytes))
        .and_then(|()| fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(fail("write it", &e));
    }
    Ok(())
}

/// Serde for paths as raw bytes: file names need not be UTF-8.
pub mod path_bytes {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    use std::path::{Path, PathBuf};

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
        path.as_os_str().as_bytes().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        let bytes = Vec::<u8>::deserialize(d)?;
        Ok(PathBuf::from(OsStr::from_bytes(&bytes)))
    }
}
