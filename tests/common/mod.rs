//! Runs the built `copydesk` on a temp copy of `sample/`, with a fixed clock, a +07:00 config
//! and nothing from the user's environment.

// Each test binary uses its own part of the helpers.
#![allow(dead_code)]

pub mod tmux;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The clock of every run unless a test says otherwise.
pub const NOW: &str = "2026-11-27T10:00:00+07:00";

/// A temp inbox (a copy of the sample) with its config file.
pub struct Desk {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    pub inbox: PathBuf,
    pub config: PathBuf,
}

/// Copies a folder recursively, without hidden entries: a `.copydesk/` state left in `sample/`
/// by someone who ran the screen on it (the README's first command) must not leak into tests.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read sample") {
        let entry = entry.expect("entry");
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// What one run printed.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Self {
            code: o.status.code(),
            stdout: String::from_utf8(o.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(o.stderr).expect("stderr is UTF-8"),
        }
    }
}

impl Desk {
    /// A fresh copy of the sample inbox.
    pub fn new() -> Self {
        let desk = Self::empty();
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample"),
            &desk.inbox,
        );
        desk
    }

    /// An empty inbox with a +07:00 config.
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_path_buf();
        let inbox = root.join("inbox");
        fs::create_dir_all(&inbox).expect("inbox");
        let config = root.join("config.toml");
        fs::write(&config, "timezone = \"+07:00\"\n").expect("config");
        Self {
            _dir: dir,
            root,
            inbox,
            config,
        }
    }

    /// Runs copydesk at `now` with these arguments.
    pub fn run_at(&self, now: &str, args: &[&str]) -> Run {
        self.run_env_at(now, &[], args)
    }

    /// Runs copydesk at `NOW` with these environment variables too.
    pub fn run_env(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        self.run_env_at(NOW, env, args)
    }

    fn run_env_at(&self, now: &str, env: &[(&str, &str)], args: &[&str]) -> Run {
        Command::new(env!("CARGO_BIN_EXE_copydesk"))
            .arg("--inbox")
            .arg(&self.inbox)
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .current_dir(&self.root)
            .env("COPYDESK_NOW", now)
            .env("HOME", &self.root)
            .env("USER", "desk-test")
            .env("LC_ALL", "C.UTF-8")
            .env_remove("COPYDESK_INBOX")
            .env_remove("COPYDESK_EDITOR")
            .env_remove("XDG_CONFIG_HOME")
            .envs(env.iter().copied())
            .output()
            .expect("run copydesk")
            .into()
    }

    /// Runs copydesk at `NOW`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_at(NOW, args)
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(run.code, Some(0), "{args:?} failed: {}", run.stderr);
        run.stdout
    }

    /// Runs a bad request: exit 2, nothing on stdout, the state file untouched, and an error
    /// that names `value` on the first line of stderr. Returns stderr.
    pub fn refused(&self, args: &[&str], value: &str) -> String {
        let before = self.state_bytes();
        let run = self.run(args);
        assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
        assert_eq!(run.stdout, "", "{args:?} printed to stdout");
        assert_eq!(
            run.stderr.lines().count(),
            1,
            "{args:?}: not one line: {}",
            run.stderr
        );
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(
            first.contains(value),
            "{args:?}: '{value}' not named in: {}",
            run.stderr
        );
        assert_eq!(
            self.state_bytes(),
            before,
            "{args:?} changed the state file"
        );
        run.stderr
    }

    /// Marks articles as `editor`.
    pub fn mark_at(&self, now: &str, editor: &str, ids: &[&str], status: &str, note: Option<&str>) {
        let mut args = vec!["--editor", editor, "mark"];
        args.extend(ids);
        // No status: a note alone.
        if !status.is_empty() {
            args.extend(["--as", status]);
        }
        if let Some(n) = note {
            args.extend(["--note", n]);
        }
        let run = self.run_at(now, &args);
        assert_eq!(run.code, Some(0), "mark failed: {}", run.stderr);
    }

    /// Marks articles as `editor` at `NOW`.
    pub fn mark(&self, editor: &str, ids: &[&str], status: &str, note: Option<&str>) {
        self.mark_at(NOW, editor, ids, status, note);
    }

    pub fn state_path(&self) -> PathBuf {
        self.inbox.join(".copydesk").join("state.toml")
    }

    /// The state file's bytes, None when it does not exist.
    pub fn state_bytes(&self) -> Option<Vec<u8>> {
        fs::read(self.state_path()).ok()
    }

    /// Adds a file to the inbox.
    pub fn add(&self, rel: &str, text: &str) {
        let path = self.inbox.join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        fs::write(path, text).expect("write article");
    }

    /// `list --format json` with extra arguments.
    pub fn list_json(&self, extra: &[&str]) -> Vec<serde_json::Value> {
        let mut args = vec!["list", "--format", "json"];
        args.extend(extra);
        serde_json::from_str(&self.ok(&args)).expect("list JSON")
    }
}

/// Counts per (status, lang) of a `list --format json` output.
pub fn counts_of(rows: &[serde_json::Value]) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    for r in rows {
        let key = (
            r["status"].as_str().expect("status").to_string(),
            r["lang"].as_str().expect("lang").to_string(),
        );
        *out.entry(key).or_default() += 1;
    }
    out
}

/// The marks the tests make: three suspects (two sharing a note full of CSV and Markdown
/// specials), one article reviewed then suspected, one verified.
pub const SUSPECTS: [&str; 3] = [
    "mt/banjir-semarang.fr",
    "mt/banjir-semarang.en",
    "mt/panen-padi-demak.fr",
];
pub const NOTE: &str = "footer says \"MT from Indonesian\", check quotes | names & *dates*";
pub const NOTE_DEMAK: &str = "traduit de l'indonésien — vérifier « gabah » et les chiffres";
pub const REVIEW: &str = "wire/kazan-tram.ru";
pub const VERIFIED: &str = "web/musee-soie-lyon";

/// Makes the marks above.
pub fn mark_sample(desk: &Desk) {
    desk.mark("ayu", &SUSPECTS[..2], "translation-suspect", Some(NOTE));
    desk.mark(
        "ayu",
        &SUSPECTS[2..],
        "translation-suspect",
        Some(NOTE_DEMAK),
    );
    desk.mark(
        "marc",
        &[REVIEW, VERIFIED],
        "needs-review",
        Some("tram line length?"),
    );
    desk.mark("ayu", &[VERIFIED], "verified", Some(""));
}

/// Makes a named pipe at `path`.
pub fn mkfifo(path: &Path) {
    use rustix::fs::{CWD, FileType, Mode, mknodat};
    mknodat(CWD, path, FileType::Fifo, Mode::from_raw_mode(0o644), 0).expect("mkfifo");
}

/// Whether `path` is (still) a named pipe.
pub fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

/// Opens the named pipe at `path` from both ends now and then once `after` has passed, until
/// `done`: a copydesk blocked opening it then goes on (and the test fails on what it did)
/// rather than hanging the test run.
pub fn unblock_after(
    path: std::path::PathBuf,
    after: std::time::Duration,
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<()> {
    use std::os::unix::fs::OpenOptionsExt;
    use std::sync::atomic::Ordering;
    std::thread::spawn(move || {
        let start = std::time::Instant::now();
        while !done.load(Ordering::Relaxed) {
            std::thread::sleep(std::time::Duration::from_millis(50));
            if start.elapsed() > after {
                let both = fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .custom_flags(libc::O_NONBLOCK)
                    .open(&path);
                std::thread::sleep(std::time::Duration::from_millis(100));
                drop(both);
            }
        }
    })
}
