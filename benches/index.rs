//! Indexing an inbox, beside the floors of the machine, measured side by side in one run
//! (issue 6): first listing (what the screen shows first), first index (languages and signals
//! too) and cached re-open at 1k / 10k / 100k articles, against reading every
//! file and stat-ing every file; then the screen's first frame and the first full list.
//!
//! `cargo bench --bench index` uses the inboxes under `$INDEX_BENCH_DIR` (default
//! `target/copydesk-bench`), making the missing ones with `benches/gen_inbox.py` (the same N always
//! gives the same files). Every measurement runs `INDEX_BENCH_RUNS` times (default 5; 3 for the
//! first index at 100k, which takes seconds), rounds interleaved, and the median is quoted.
//! The page cache is warm for all of them (each round reads the same files).
//!
//! Environment: `INDEX_BENCH_N` (comma-separated counts, default `1000,10000,100000`),
//! `INDEX_BENCH_RUNS`, `INDEX_BENCH_DIR`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use copydesk::inbox::ScanOptions;
use copydesk::inbox::index::FileIndex;
use copydesk::state::State;
use copydesk::tui::app::{App, Options};
use copydesk::tui::keymap::Keymap;
use copydesk::tui::scanner::{self, ScanEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "common/floors.rs"]
mod floors;
use floors::{floor_read, floor_stat};

/// The allocator the `copydesk` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(name)
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// The inbox of `n` generated articles, made if missing.
fn inbox(base: &Path, n: usize) -> PathBuf {
    let dir = base.join(format!("inbox-{n}"));
    let done = dir.join(".complete");
    if !done.exists() {
        let _ = fs::remove_dir_all(&dir);
        eprintln!("generating {n} articles in {} ...", dir.display());
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_inbox.py");
        let status = Command::new("python3")
            .arg(script)
            .arg(n.to_string())
            .arg(&dir)
            .status()
            .expect("python3 runs benches/gen_inbox.py");
        assert!(status.success(), "gen_inbox.py failed");
        fs::write(&done, "").expect("mark the inbox complete");
    }
    dir
}

fn first_index(root: &Path, cache: &Path) -> usize {
    let mut index = FileIndex::new(root, ScanOptions::default());
    index.refresh(|_, _| {}).expect("index");
    index.save(cache).expect("save the cache");
    index.into_inbox().articles.len()
}

/// As the screen's first index shows a large inbox: every file read for the list (ids, titles,
/// dates, declared languages); detection follows on the scanner thread.
fn first_listing(root: &Path) -> usize {
    let mut index = FileIndex::new(root, ScanOptions::default());
    index.refresh_listing(0, |_, _| {}).expect("index");
    index.articles().len()
}

/// As the command line re-opens an inbox: the cache read while the folder is walked.
fn cached_reopen(root: &Path, cache: &Path) -> usize {
    let (index, refresh) =
        FileIndex::open_refreshed(root, ScanOptions::default(), Some(cache), |_, _| {})
            .expect("refresh");
    assert!(index.from_cache, "the cache was not used");
    assert!(!refresh.changed());
    index.into_inbox().articles.len()
}

fn options() -> Options {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
    Options::new("bench", copydesk::time::Zone::default(), today)
}

/// The screen's start as `tui::run` does it, on a TestBackend: first frame (empty list, scan
/// running), then the frame with the cached inbox. Returns both times from the start.
fn screen_start(root: &Path, cache: &Path) -> (Duration, Duration) {
    let start = Instant::now();
    let scanner = scanner::start(root, ScanOptions::default(), Some(cache.to_path_buf()));
    let keymap = Keymap::new(&Default::default()).expect("keymap");
    let mut app = App::new(Vec::new(), State::default(), keymap, options(), (200, 60));
    app.scan_started();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    terminal
        .draw(|f| copydesk::ui::draw(f, &app))
        .expect("draw");
    let first = start.elapsed();
    loop {
        match scanner.events.recv().expect("scanner event") {
            ScanEvent::Inbox { articles, .. } => {
                app.inbox_loaded(articles, None);
                break;
            }
            ScanEvent::Batch(p, a) => {
                app.scan_batch(p, a);
            }
            _ => {}
        }
    }
    terminal
        .draw(|f| copydesk::ui::draw(f, &app))
        .expect("draw");
    (first, start.elapsed())
}

fn main() {
    let counts = env_list("INDEX_BENCH_N", &[1_000, 10_000, 100_000]);
    let runs = env_list("INDEX_BENCH_RUNS", &[5])[0].max(1);
    let base = PathBuf::from(
        std::env::var("INDEX_BENCH_DIR").unwrap_or_else(|_| "target/copydesk-bench".into()),
    );
    fs::create_dir_all(&base).expect("bench folder");
    println!("# copydesk: indexing beside the floors (medians, ms; warm page cache)\n");
    println!(
        "{} threads. first = no cache (every file read, parsed, language detected); \
         reopen = with the index cache (stat every file, read none).\n",
        rayon::current_num_threads()
    );
    println!(
        "| articles | read floor | stat floor | first listing | listing / read | first index | first / read | reopen | reopen / stat | screen: first frame | screen: list shown (cached) |"
    );
    println!("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for n in counts {
        let root = inbox(&base, n);
        let cache = base.join(format!("cache-{n}.index"));
        let first_runs = if n >= 100_000 { runs.min(3) } else { runs };
        let (mut read, mut stat, mut listing, mut first, mut reopen, mut frame, mut shown) =
            (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
        for round in 0..runs {
            let t = Instant::now();
            std::hint::black_box(floor_read(&root));
            read.push(t.elapsed());
            let t = Instant::now();
            let files = floor_stat(&root);
            stat.push(t.elapsed());
            let t = Instant::now();
            let listed = first_listing(&root);
            listing.push(t.elapsed());
            assert!(listed >= files, "{listed} articles from {files} files");
            if round < first_runs {
                let t = Instant::now();
                let listed = first_index(&root, &cache);
                first.push(t.elapsed());
                assert!(listed >= files, "{listed} articles from {files} files");
            }
            let t = Instant::now();
            std::hint::black_box(cached_reopen(&root, &cache));
            reopen.push(t.elapsed());
            let (f, s) = screen_start(&root, &cache);
            frame.push(f);
            shown.push(s);
        }
        let (read, stat, listing, first, reopen) = (
            median(read),
            median(stat),
            median(listing),
            median(first),
            median(reopen),
        );
        println!(
            "| {n} | {} | {} | {} | {:.1}× | {} | {:.1}× | {} | {:.2}× | {} | {} |",
            ms(read),
            ms(stat),
            ms(listing),
            listing.as_secs_f64() / read.as_secs_f64(),
            ms(first),
            first.as_secs_f64() / read.as_secs_f64(),
            ms(reopen),
            reopen.as_secs_f64() / stat.as_secs_f64(),
            ms(median(frame)),
            ms(median(shown)),
        );
    }
}
