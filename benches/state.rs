//! Saving and loading a 100,000-entry state (issue 6, item 7).
//!
//! `cargo bench --bench state` (or `-- 20000` for another size) builds a synthetic state in a
//! temporary folder and prints medians, measured in the same run:
//! - mark → durable: the old way (lock, parse the whole file, apply, rewrite, fsync, rename)
//!   beside a rewrite without the parse and the journal append (one fsynced batch);
//! - 2,000 marks in a row with the default policy, folds included;
//! - open: a cold parse, the cache, the cache plus a journal about to be folded;
//! - another editor's mark and fold seen by `reload_if_changed`, and a clone of the state.

#[path = "common/state_fixture.rs"]
mod fixture;

use std::fs::{self, File, OpenOptions};
use std::path::Path;
use std::time::{Duration, Instant};

use copydesk::state::store::{Replace, write_durably};
use copydesk::state::{Change, FoldPolicy, NoteChange, State, Status, Store};

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("state.toml");
    let cache = dir.path().join("cache");
    let state = fixture::state(n);
    let text = state.to_toml();
    fs::write(&path, &text).expect("write the state");
    println!(
        "state: {n} entries, {:.1} MB, {} history entries",
        text.len() as f64 / 1e6,
        state
            .articles
            .values()
            .map(|e| e.history.len())
            .sum::<usize>()
    );
    drop(text);
    let original = fs::read(&path).expect("read");

    println!("\nmark -> durable (Store::apply of one change)");
    let old = time_n(5, |i| old_apply(&path, &change(i)));
    report(
        "before: lock, parse (toml crate), apply, rewrite (toml crate) + fsync + rename",
        &old,
    );
    fs::write(&path, &original).expect("restore");
    let mut rewrite = Store::open(&path).expect("open");
    rewrite.set_fold_policy(FoldPolicy {
        journal_from: u64::MAX,
        fold_from: u64::MAX,
    });
    let times = time_n(5, |i| apply(&mut rewrite, i));
    report(
        "rewrite only (state kept in memory, line writer) = one fold",
        &times,
    );
    drop(rewrite);
    fs::write(&path, &original).expect("restore");
    let mut journal = Store::open(&path).expect("open");
    journal.set_fold_policy(FoldPolicy {
        fold_from: u64::MAX,
        ..FoldPolicy::default()
    });
    let times = time_n(300, |i| apply(&mut journal, i));
    report("journal: append one batch + fdatasync", &times);
    drop(journal);
    let _ = fs::remove_file(journal_file(&path));

    println!(
        "\n4,000 marks in a row, default policy (folds when the journal reaches 1/32 of the state)"
    );
    fs::write(&path, &original).expect("restore");
    let mut store = Store::open_with_cache(&path, Some(&cache)).expect("open");
    let mut folds = 0;
    let times = time_n(4000, |i| {
        apply(&mut store, 10_000 + i);
        if !store.journal_path().exists() {
            folds += 1;
        }
    });
    report(&format!("mark, {folds} fold(s) included"), &times);

    println!("\nopen (Store::open, the state file only)");
    let _ = fs::remove_file(journal_file(&path));
    fs::write(&path, &original).expect("restore");
    let times = time_n(3, |_| {
        drop(
            State::parse_with_toml_crate(&fs::read_to_string(&path).expect("read")).expect("parse"),
        )
    });
    report("before: read + parse with the toml crate", &times);
    let times = time_n(5, |_| drop(Store::open(&path).expect("open")));
    report("no cache: line reader", &times);
    drop(Store::open_with_cache(&path, Some(&cache)).expect("open"));
    let times = time_n(20, |_| {
        drop(Store::open_with_cache(&path, Some(&cache)).expect("open"))
    });
    report("cached", &times);
    let mut filler = Store::open_with_cache(&path, Some(&cache)).expect("open");
    filler.set_fold_policy(FoldPolicy {
        fold_from: u64::MAX,
        ..FoldPolicy::default()
    });
    let due = (original.len() as u64 / 32).max(FoldPolicy::default().fold_from);
    let mut i = 20_000;
    while fs::metadata(journal_file(&path)).map_or(0, |m| m.len()) < due {
        apply(&mut filler, i);
        i += 1;
    }
    let records = i - 20_000;
    let times = time_n(10, |_| {
        drop(Store::open_with_cache(&path, Some(&cache)).expect("open"))
    });
    report(
        &format!("cached + a journal about to be folded ({records} records)"),
        &times,
    );

    println!("\nother editors");
    let mut watcher = Store::open_with_cache(&path, Some(&cache)).expect("open");
    let times = time_n(100, |k| {
        filler
            .apply(&[change(30_000 + k)], "marc", fixture::mark_time(k))
            .expect("mark");
        let start = Instant::now();
        assert!(watcher.reload_if_changed().expect("reload"));
        start.elapsed()
    });
    report(
        "reload_if_changed after another store's mark (not timed: the mark)",
        &times,
    );
    let times = time_n(3, |k| {
        filler
            .apply(&[change(40_000 + k)], "marc", fixture::mark_time(k))
            .expect("mark");
        watcher.reload_if_changed().expect("reload");
        filler.fold().expect("fold");
        let start = Instant::now();
        assert!(watcher.reload_if_changed().expect("reload"));
        start.elapsed()
    });
    report(
        "reload_if_changed after another store's fold (not timed: the fold)",
        &times,
    );
    let times = time_n(10, |_| drop(watcher.state.clone()));
    report(
        "State::clone (what the screen does after each reload and save)",
        &times,
    );
}

/// Something to time: a closure returning nothing is timed whole; one returning a Duration
/// reports its own.
trait Timed {
    fn duration(self, whole: Duration) -> Duration;
}

impl Timed for () {
    fn duration(self, whole: Duration) -> Duration {
        whole
    }
}

impl Timed for Duration {
    fn duration(self, _whole: Duration) -> Duration {
        self
    }
}

fn time_n<T: Timed>(n: usize, mut f: impl FnMut(usize) -> T) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..n)
        .map(|i| {
            let start = Instant::now();
            let out = f(i);
            let whole = start.elapsed();
            out.duration(whole)
        })
        .collect();
    times.sort();
    times
}

fn report(what: &str, sorted: &[Duration]) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    println!(
        "  {what}: median {:.2} ms, p99 {:.2} ms, max {:.2} ms (n = {})",
        ms(p(0.5)),
        ms(p(0.99)),
        ms(sorted[sorted.len() - 1]),
        sorted.len()
    );
}

fn change(i: usize) -> Change {
    let status = [Status::NeedsReview, Status::Verified][i % 2];
    Change::new(fixture::id(i * 13 % 100_000), status, NoteChange::Keep)
}

fn apply(store: &mut Store, i: usize) {
    store
        .apply(&[change(i)], "bench", fixture::mark_time(i))
        .expect("mark");
}

fn journal_file(path: &Path) -> std::path::PathBuf {
    copydesk::state::store::journal_path(path)
}

/// What `Store::apply` did before the journal: the whole file parsed and rewritten per mark.
fn old_apply(path: &Path, change: &Change) {
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path.with_extension("toml.lock"))
        .expect("lock file");
    lock.lock().expect("lock");
    let text = fs::read_to_string(path).expect("read");
    let mut state = State::parse_with_toml_crate(&text).expect("parse");
    state.apply(change, "bench", fixture::mark_time(0));
    let tmp = path.with_extension("toml.tmp");
    write_durably(&tmp, path, state.to_toml_generic().as_bytes(), Replace::Yes).expect("write");
    File::open(path.parent().expect("folder"))
        .and_then(|d| d.sync_all())
        .expect("sync folder");
}
