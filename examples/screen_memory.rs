//! Where the screen's memory goes on a large inbox (a profiling aid for issue 6):
//! `COPYDESK_CACHE_DIR=DIR cargo run --release --example screen_memory -- INBOX`.
//!
//! Opens the state and the inbox the way `tui::run` does (state from its cache, the inbox
//! from the index cache on the scanner thread), builds the screen's `App`, and prints the
//! resident memory after each step. Run it on an inbox whose index cache is up to date.

use std::path::{Path, PathBuf};

#[path = "../benches/common/memory.rs"]
mod memory;

use copydesk::inbox::ScanOptions;
use copydesk::inbox::cache::file_for;
use copydesk::state::Store;
use copydesk::tui::app::{App, Options};
use copydesk::tui::keymap::Keymap;
use copydesk::tui::scanner::{self, ScanEvent};
use memory::status_mb;

/// mimalloc, counting the bytes in use: what the program holds, beside what the kernel counts
/// as resident (which also keeps what the allocator has not returned).
#[global_allocator]
static GLOBAL: cap::Cap<mimalloc::MiMalloc> = cap::Cap::new(mimalloc::MiMalloc, usize::MAX);

fn main() {
    let Some(root) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: screen_memory INBOX");
        std::process::exit(2);
    };
    sizes();
    report("start");
    let cache = file_for(&root, "index");
    let cache_dir = cache.as_deref().and_then(Path::parent);
    let mut store =
        Store::open_with_cache(&root.join(".copydesk/state.toml"), cache_dir).expect("state");
    let state = std::mem::take(&mut store.state);
    report(&format!("state open ({} entries)", state.articles.len()));

    let scanner = scanner::start(&root, ScanOptions::default(), cache);
    let articles = loop {
        match scanner.events.recv().expect("scanner") {
            ScanEvent::Inbox { articles, .. } => break articles,
            ScanEvent::Failed(e) => panic!("{e}"),
            ScanEvent::Batch(p, _) if p.done % 16384 < 1024 => {
                report(&format!("  listing {}/{}", p.done, p.total));
            }
            _ => {}
        }
    };
    report(&format!("cached inbox ({} articles)", articles.len()));

    let keymap = Keymap::new(&Default::default()).expect("keymap");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
    let options = Options::new("bench", copydesk::time::Zone::default(), today);
    let mut app = App::new(Vec::new(), state, keymap, options, (200, 60));
    app.scan_started();
    let _ = app.inbox_loaded(articles, None);
    report("screen built");
    // The refresh that follows (stat every file, compare) on the scanner thread; without a
    // cache there is none, and the scanner goes on watching the folder.
    loop {
        match scanner
            .events
            .recv_timeout(std::time::Duration::from_secs(10))
        {
            Ok(ScanEvent::Unchanged { .. }) | Err(_) => break,
            Ok(ScanEvent::Inbox {
                articles, changed, ..
            }) => {
                let _ = app.inbox_loaded(articles, changed.as_deref());
                break;
            }
            Ok(ScanEvent::Progress(p)) if p.done % 16384 < 1024 => {
                report(&format!("  {:?} {}/{}", p.phase, p.done, p.total));
            }
            Ok(_) => {}
        }
    }
    report("refreshed");
}

/// Prints the memory after `step`, and the time since the previous step.
fn report(step: &str) {
    static LAST: std::sync::Mutex<Option<std::time::Instant>> = std::sync::Mutex::new(None);
    let mut last = LAST
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let took = last.map_or(0.0, |t| t.elapsed().as_secs_f64() * 1e3);
    *last = Some(std::time::Instant::now());
    println!(
        "{step:<32} {took:>6.1} ms; resident {:>4} MB, peak {:>4} MB; in use {:>4} MB, peak in use {:>4} MB",
        status_mb("VmRSS:"),
        status_mb("VmHWM:"),
        GLOBAL.allocated() >> 20,
        GLOBAL.max_allocated() >> 20,
    );
}

/// The sizes of the structs held per article and per decision.
fn sizes() {
    println!(
        "Article {} Entry {} History {}",
        std::mem::size_of::<copydesk::inbox::Article>(),
        std::mem::size_of::<copydesk::state::Entry>(),
        std::mem::size_of::<copydesk::state::HistoryEntry>()
    );
}
