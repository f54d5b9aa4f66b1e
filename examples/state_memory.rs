//! Peak memory of opening a 100,000-entry state (issue 6, item 7).
//!
//! `cargo run --release --example state_memory [N]` writes a synthetic state of N entries
//! (default 100,000) to a temporary folder, then runs itself three times to open it: a cold
//! TOML parse, the cache, and the cache plus a journal about to be folded. Each child reports
//! its own peak resident memory (VmHWM); a first child parses with the toml crate, as before.
//! The children can be run under `/usr/bin/time -v` too: `state_memory open STATE_FILE [CACHE_DIR]`.

#[path = "../benches/common/state_fixture.rs"]
mod fixture;
#[path = "../benches/common/memory.rs"]
mod memory;

use std::path::Path;
use std::process::Command;

use copydesk::state::{FoldPolicy, Store};
use memory::status_mb;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("open") => open(&args[1..]),
        Some("open-toml") => open_toml(&args[1]),
        _ => run(args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000)),
    }
}

/// Opens the state and prints its peak memory.
fn open(args: &[String]) {
    let path = Path::new(&args[0]);
    let cache = args.get(1).map(Path::new);
    let start = std::time::Instant::now();
    let store = Store::open_with_cache(path, cache).expect("open the state");
    let took = start.elapsed();
    println!(
        "{} entries in {:.0} ms, peak {}",
        store.state.articles.len(),
        took.as_secs_f64() * 1e3,
        peak_mb()
    );
}

/// Parses with the toml crate, as every open did before the line reader, for comparison.
fn open_toml(path: &str) {
    let start = std::time::Instant::now();
    let text = std::fs::read_to_string(path).expect("read");
    let state = copydesk::state::State::parse_with_toml_crate(&text).expect("parse");
    let took = start.elapsed();
    println!(
        "{} entries in {:.0} ms, peak {}",
        state.articles.len(),
        took.as_secs_f64() * 1e3,
        peak_mb()
    );
}

fn peak_mb() -> String {
    format!(
        "{} MB, resident after {} MB",
        status_mb("VmHWM:"),
        status_mb("VmRSS:")
    )
}

fn run(n: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("state.toml");
    let cache = dir.path().join("cache");
    std::fs::write(&path, fixture::state(n).to_toml()).expect("write the state");
    let me = std::env::current_exe().expect("this program");
    let child = |label: &str, cache: Option<&Path>| {
        let mut cmd = Command::new(&me);
        cmd.arg(if label.starts_with("before") {
            "open-toml"
        } else {
            "open"
        })
        .arg(&path);
        if let Some(c) = cache {
            cmd.arg(c);
        }
        let out = cmd.output().expect("run the child");
        print!("{label}: {}", String::from_utf8_lossy(&out.stdout));
    };
    println!("state: {n} entries, {:.1} MB", file_mb(&path));
    child("before: toml crate parse     ", None);
    child("no cache: line reader        ", None);
    child("first open, writing the cache", Some(&cache));
    child("cached                       ", Some(&cache));
    let mut store = Store::open_with_cache(&path, Some(&cache)).expect("open");
    store.set_fold_policy(FoldPolicy {
        fold_from: u64::MAX,
        ..FoldPolicy::default()
    });
    let due = (file_mb(&path) * 1e6 / 32.0) as u64;
    let mut i = 0;
    while std::fs::metadata(store.journal_path()).map_or(0, |m| m.len()) < due {
        let change = copydesk::state::Change::new(
            fixture::id(i * 13 % n.max(1)),
            copydesk::state::Status::Verified,
            copydesk::state::NoteChange::Keep,
        );
        store
            .apply(&[change], "bench", fixture::mark_time(i))
            .expect("mark");
        i += 1;
    }
    drop(store);
    child(&format!("cached + journal ({i} records) "), Some(&cache));
}

fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6)
}
