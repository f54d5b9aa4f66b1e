//! Where an index spends its time (a profiling aid for issue 6):
//! `cargo run --release --example index_phases -- DIR CACHE_FILE` for a cached re-open, or
//! `cargo run --release --example index_phases -- --listing DIR` for the screen's first pass, or
//! `cargo run --release --example index_phases -- --walk DIR` for the walk beside the stat floor.

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
        [root, cache] => reopen(root, cache),
        _ => {
            eprintln!("usage: index_phases DIR CACHE_FILE | index_phases --listing|--walk DIR");
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

/// The walk and the stat floor, alternately, eleven times each: medians in ms.
fn walk_beside_floor(root: &Path) {
    let (mut floor, mut walked) = (Vec::new(), Vec::new());
    for _ in 0..11 {
        let t = Instant::now();
        let n = floors::floor_stat(root);
        floor.push(t.elapsed());
        let t = Instant::now();
        let (entries, _) = walk::walk(root);
        walked.push(t.elapsed());
        assert_eq!(entries.len(), n, "the walk and the floor disagree");
    }
    floor.sort();
    walked.sort();
    let (f, w) = (floor[5], walked[5]);
    println!(
        "stat floor {:.1} ms, walk {:.1} ms: {:.2}x",
        f.as_secs_f64() * 1e3,
        w.as_secs_f64() * 1e3,
        w.as_secs_f64() / f.as_secs_f64()
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
