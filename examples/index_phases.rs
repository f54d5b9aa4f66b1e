//! Where an index spends its time (a profiling aid for issue 6):
//! `cargo run --release --example index_phases -- DIR CACHE_FILE` for a cached re-open, or
//! `cargo run --release --example index_phases -- --listing DIR` for the screen's first pass.

use std::path::{Path, PathBuf};
use std::time::Instant;

use copydesk::inbox::index::FileIndex;
use copydesk::inbox::{ScanOptions, walk};

/// The allocator the `copydesk` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    match args.as_slice() {
        [flag, root] if flag.as_os_str() == "--listing" => listing(root),
        [root, cache] => reopen(root, cache),
        _ => {
            eprintln!("usage: index_phases DIR CACHE_FILE | index_phases --listing DIR");
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
