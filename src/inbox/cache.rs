//! The index cache on disk: what every file of an inbox gave last time, so that a re-open only
//! stats the files and reads the ones that changed.
//!
//! One file per inbox and user, in `$COPYDESK_CACHE_DIR`, else `$XDG_CACHE_HOME/copydesk`, else
//! `~/.cache/copydesk`, named after the inbox folder and a hash of its full path. It is a cache:
//! a file that is missing, corrupt, from another build of copydesk or for another zone is ignored
//! and rebuilt, and one that cannot be written is skipped; none of that is ever fatal.
//!
//! Format: length-prefixed postcard frames (a compact serde format) — a header, what the last
//! walk listed of each folder ([`super::walk::Tree`]), the number of files, one frame per file
//! with its stamp and articles, then the finished list (what a re-open of an unchanged inbox
//! shows without making ids unique, linking and sorting again). The header is read first, so a
//! cache from another build costs one small read; the folders come next, so that a re-open can
//! walk the inbox while the files' frames are decoded.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufReader, BufWriter, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::Article;
use super::index::FileEntry;
use super::walk::Tree;

/// Bumped whenever what is cached changes shape or meaning.
const FORMAT: u32 = 12;
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

/// One article of the finished list (ids unique, translations linked, newest first): the
/// article a file gave, when finishing left it as it was, or the article finishing made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Slot {
    /// The `item`th article of the `file`th file, in path order.
    Kept {
        file: u32,
        item: u32,
    },
    Changed(Box<Article>),
}

/// What the cache holds: every file's articles, and the finished list when it was saved.
#[derive(Debug, Default)]
pub struct Cached {
    pub files: BTreeMap<Vec<u8>, FileEntry>,
    pub finished: Option<Vec<Slot>>,
}

/// Reads the cache at `path` if its header is `expected`. Frames are read one at a time, so
/// memory holds the decoded index and one frame, never the whole file besides. `on_tree` gets
/// the folders as the last walk listed them as soon as they are read, before the files.
pub fn read(path: &Path, expected: &Header, on_tree: impl FnOnce(Tree)) -> Result<Cached, Miss> {
    let file = match fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Miss::Stale),
        Err(e) => return Err(unreadable(path, &super::walk::io_reason(&e))),
    };
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let header: Header = next_frame(&mut reader)
        .map_err(|e| unreadable(path, &e))?
        .ok_or_else(|| unreadable(path, "empty"))?;
    if header != *expected {
        return Err(Miss::Stale);
    }
    let tree = next_frame(&mut reader)
        .map_err(|e| unreadable(path, &e))?
        .ok_or_else(|| unreadable(path, "cut short"))
        .and_then(|checked| tree_of(checked).map_err(|e| unreadable(path, e)))?;
    on_tree(tree);
    let count: u64 = next_frame(&mut reader)
        .map_err(|e| unreadable(path, &e))?
        .ok_or_else(|| unreadable(path, "cut short"))?;
    // Frames are decoded in parallel, a chunk at a time: decoding is most of a re-open.
    let count = usize::try_from(count).map_err(|_| unreadable(path, "too many files"))?;
    let mut files = Vec::with_capacity(count.min(1 << 22));
    let mut chunk: Vec<Vec<u8>> = Vec::with_capacity(CHUNK);
    while files.len() < count {
        let wanted = CHUNK.min(count - files.len());
        while chunk.len() < wanted {
            let frame = next_raw(&mut reader).map_err(|e| unreadable(path, &e))?;
            chunk.push(frame.ok_or_else(|| unreadable(path, "cut short"))?);
        }
        let decoded: Result<Vec<(Vec<u8>, FileEntry)>, postcard::Error> =
            chunk.par_iter().map(|b| postcard::from_bytes(b)).collect();
        files.extend(decoded.map_err(|e| unreadable(path, &e.to_string()))?);
        chunk.clear();
    }
    let finished: Vec<Slot> = next_frame(&mut reader)
        .map_err(|e| unreadable(path, &e))?
        .ok_or_else(|| unreadable(path, "cut short"))?;
    Ok(Cached {
        // Built at once, the map's nodes are full (inserted in order, half empty).
        files: files.into_iter().collect(),
        finished: Some(finished).filter(|f| !f.is_empty()),
    })
}

/// Frames decoded together.
const CHUNK: usize = 4096;

/// Longest frame accepted: one file's articles (a feed of 10,000 items fits easily).
const MAX_FRAME: usize = 256 << 20;

/// The next length-prefixed postcard frame, or `None` at a clean end of file.
fn next_frame<T: serde::de::DeserializeOwned>(reader: &mut impl Read) -> Result<Option<T>, String> {
    let Some(bytes) = next_raw(reader)? else {
        return Ok(None);
    };
    postcard::from_bytes(&bytes)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// The bytes of the next frame, or `None` at a clean end of file.
fn next_raw(reader: &mut impl Read) -> Result<Option<Vec<u8>>, String> {
    let mut len = [0u8; 4];
    match reader.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e.to_string()),
    }
    let len = u32::from_le_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(format!("a frame of {len} bytes"));
    }
    let mut frame = vec![0; len];
    reader
        .read_exact(&mut frame)
        .map_err(|_| "cut short".to_string())?;
    Ok(Some(frame))
}

fn write_frame<T: Serialize>(out: &mut impl Write, value: &T) -> std::io::Result<()> {
    let bytes = postcard::to_stdvec(value).map_err(std::io::Error::other)?;
    let len = u32::try_from(bytes.len()).map_err(std::io::Error::other)?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(&bytes)
}

/// The folder record with a checksum: a record that decodes but is damaged would have the
/// walk trust a wrong list of names, and miss files until their folder changes.
type CheckedTree = (u32, Vec<u8>);

fn checked_tree(tree: &Tree) -> std::io::Result<CheckedTree> {
    let bytes = postcard::to_stdvec(tree).map_err(std::io::Error::other)?;
    Ok((crc32fast::hash(&bytes), bytes))
}

fn tree_of((crc, bytes): CheckedTree) -> Result<Tree, &'static str> {
    if crc32fast::hash(&bytes) != crc {
        return Err("folder record damaged");
    }
    postcard::from_bytes(&bytes).map_err(|_| "folder record unreadable")
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
    tree: &Tree,
    files: &BTreeMap<Vec<u8>, FileEntry>,
    finished: &[Slot],
) -> Result<(), String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        format!("index cache '{}': cannot {what}: {e}", path.display())
    };
    if let Some(dir) = path.parent() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| fail("create its folder", &super::walk::io_reason(&e)))?;
    }
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    let written = fs::File::create(&tmp).and_then(|f| {
        let mut out = BufWriter::with_capacity(1 << 16, f);
        write_frame(&mut out, header)?;
        write_frame(&mut out, &checked_tree(tree)?)?;
        write_frame(&mut out, &(files.len() as u64))?;
        for entry in files {
            write_frame(&mut out, &entry)?;
        }
        write_frame(&mut out, &finished)?;
        out.into_inner().map_err(|e| e.into_error())?;
        fs::rename(&tmp, path)
    });
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(fail("write it", &super::walk::io_reason(&e)));
    }
    Ok(())
}

/// Serde for a date as seconds, nanoseconds and zone offset: a tenth of the time of parsing
/// RFC 3339 text per article, and fewer bytes.
pub mod time_parts {
    use chrono::{DateTime, FixedOffset, TimeZone};
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        let parts = (
            t.timestamp(),
            t.timestamp_subsec_nanos(),
            t.offset().local_minus_utc(),
        );
        parts.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        let (secs, nanos, offset) = <(i64, u32, i32)>::deserialize(d)?;
        FixedOffset::east_opt(offset)
            .and_then(|zone| zone.timestamp_opt(secs, nanos).single())
            .ok_or_else(|| D::Error::custom("a date out of range"))
    }
}

/// Serde for paths as raw bytes: file names need not be UTF-8.
pub mod path_bytes {
    use std::ffi::OsString;
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    use std::path::{Path, PathBuf};

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
        path.as_os_str().as_bytes().serialize(s)
    }

    /// Into a `PathBuf` or a `Box<Path>`, without copying the bytes read.
    pub fn deserialize<'de, D: Deserializer<'de>, P: From<PathBuf>>(d: D) -> Result<P, D::Error> {
        let bytes = Vec::<u8>::deserialize(d)?;
        Ok(PathBuf::from(OsString::from_vec(bytes)).into())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Serialize};

    use super::{checked_tree, tree_of};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Dated(#[serde(with = "super::time_parts")] DateTime<FixedOffset>);

    #[test]
    fn dates_keep_their_instant_and_zone_through_the_cache() {
        for text in [
            "2026-11-27T09:14:03.250+07:00",
            "1969-07-20T20:17:40-05:00",
            "2026-03-29T01:30:00+00:00",
        ] {
            let date = Dated(DateTime::parse_from_rfc3339(text).expect("date"));
            let bytes = postcard::to_stdvec(&date).expect("encode");
            let back: Dated = postcard::from_bytes(&bytes).expect("decode");
            assert_eq!(back, date);
            assert_eq!(back.0.offset(), date.0.offset(), "{text}");
        }
    }

    #[test]
    fn a_damaged_folder_record_is_refused() -> Result<(), Box<dyn std::error::Error>> {
        let root = tempfile::tempdir()?;
        std::fs::create_dir(root.path().join("wire"))?;
        std::fs::write(root.path().join("wire/a.txt"), "A\n\nBody.\n")?;
        let tree = crate::inbox::walk::walk_again(root.path(), None).tree;
        let checked = checked_tree(&tree)?;
        assert_eq!(tree_of(checked.clone()), Ok(tree));
        for at in 0..checked.1.len() {
            let mut damaged = checked.clone();
            damaged.1[at] ^= 0x20;
            assert!(tree_of(damaged).is_err(), "byte {at} flipped and accepted");
        }
        Ok(())
    }

    #[test]
    fn an_impossible_zone_in_a_cache_is_an_error_not_a_panic() {
        let bytes = postcard::to_stdvec(&(0i64, 0u32, 100_000i32)).expect("encode");
        assert!(postcard::from_bytes::<Dated>(&bytes).is_err());
    }
}
