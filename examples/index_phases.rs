//! Where an index spends its time (a profiling aid for issue 6):
//! `cargo run --release --example index_phases -- DIR CACHE_FILE` for a cached re-open, or
//! `cargo run --release --example index_phases -- --listing DIR` for the screen's first pass, or
//! `cargo run --release --example index_phases -- --reopen DIR CACHE_FILE` for the command line's
//! cached re-open beside the stat floor, or
//! `cargo run --release --example index_phases -- --walk DIR` for the walk, and the walk again
//! with the first one's record of the folders (what a cached re-open does), beside the stat floor.

use std::path::{Path, PathBuf};
use std::time::Instant;

use copydesk::inbox::index::FileIndex;
use copydesk::inbox::{ScanOptions, walk};

#[path = "../benches/common/floors.rs"]
mod floors;

/// The allocator the `copydesk` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    match args.as_slice() {
        [flag, root] if flag.as_os_str() == "--listing" => listing(root),
        [flag, root] if flag.as_os_str() == "--walk" => walk_beside_floor(root),
        [flag, root, cache] if flag.as_os_str() == "--reopen" => reopen_beside_floor(root, cache),
        [root, cache] => reopen(root, cache),
        _ => {
            eprintln!(
                "usage: index_phases [--reopen] DIR CACHE_FILE | index_phases --listing|--walk DIR"
            );
            std::process::exit(2);
        }
    }
}

fn listing(root: &Path) {
    for _ in 0..5 {
        let t = Instant::now();
        let mut index = FileIndex::new(root, ScanOptions::default());
        index.refresh_listing(0, |_, _| {}).expect("refresh");
        let read = t.elapsed();
        let t = Instant::now();
        let n = index.articles().len();
        println!(
            "listing: read {read:?}, finish {:?} ({n} articles)",
            t.elapsed()
        );
    }
}

/// The walk, the walk again with a record of the folders, and the stat floor, alternately,
/// eleven times each: medians in ms.
fn walk_beside_floor(root: &Path) {
    let (mut floor, mut walked, mut again) = (Vec::new(), Vec::new(), Vec::new());
    let mut tree = Some(walk::walk_again(root, None).tree);
    for _ in 0..11 {
        let t = Instant::now();
        let n = floors::floor_stat(root);
        floor.push(t.elapsed());
        let t = Instant::now();
        let (entries, _) = walk::walk(root);
        walked.push(t.elapsed());
        assert_eq!(entries.len(), n, "the walk and the floor disagree");
        let t = Instant::now();
        let next = walk::walk_again(root, tree.take());
        again.push(t.elapsed());
        assert_eq!(next.entries, entries, "the walks disagree");
        tree = Some(next.tree);
    }
    let median = |mut v: Vec<std::time::Duration>| {
        v.sort();
        v[5].as_secs_f64() * 1e3
    };
    let (f, w, a) = (median(floor), median(walked), median(again));
    println!(
        "stat floor {f:.1} ms, walk {w:.1} ms: {:.2}x, walk again ({} folders recorded) {a:.1} ms: {:.2}x",
        w / f,
        tree.map_or(0, |t| t.len()),
        a / f
    );
}

/// The command line's re-open (`FileIndex::open_refreshed`, then the inbox) and the stat floor,
/// alternately, eleven times each: medians in ms.
fn reopen_beside_floor(root: &Path, cache: &Path) {
    let open = || {
        let (index, refresh) =
            FileIndex::open_refreshed(root, ScanOptions::default(), Some(cache), |_, _| {})
                .expect("re-open");
        (index, refresh)
    };
    let (mut index, refresh) = open();
    if refresh.changed() || !index.from_cache {
        index.save(cache).expect("save");
    }
    let (mut floor, mut reopened) = (Vec::new(), Vec::new());
    for _ in 0..11 {
        let t = Instant::now();
        std::hint::black_box(floors::floor_stat(root));
        floor.push(t.elapsed());
        let t = Instant::now();
        let (index, refresh) = open();
        let n = index.into_inbox().articles.len();
        reopened.push(t.elapsed());
        assert!(!refresh.changed() && n > 0, "the inbox changed");
    }
    floor.sort();
    reopened.sort();
    let (f, r) = (floor[5], reopened[5]);
    println!(
        "stat floor {:.1} ms, re-open {:.1} ms: {:.2}x",
        f.as_secs_f64() * 1e3,
        r.as_secs_f64() * 1e3,
        r.as_secs_f64() / f.as_secs_f64()
    );
}

fn reopen(root: &Path, cache: &Path) {
    let t = Instant::now();
    let mut index = FileIndex::open(root, ScanOptions::default(), Some(cache));
    println!(
        "cache read: {:?} ({} files)",
        t.elapsed(),
        index.file_count()
    );
    let t = Instant::now();
    let (entries, _) = walk::walk(root);
    println!("walk + stat: {:?} ({} files)", t.elapsed(), entries.len());
    let t = Instant::now();
    let r = index.refresh(|_, _| {}).expect("refresh");
    println!("refresh (walk again + compare): {:?} {r:?}", t.elapsed());
    if r.changed() {
        index.save(cache).expect("save");
    }
    let t = Instant::now();
    let inbox = index.into_inbox();
    println!(
        "finish: {:?} ({} articles)",
        t.elapsed(),
        inbox.articles.len()
    );
}
