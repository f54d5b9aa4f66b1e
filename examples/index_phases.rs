//! Where a cached re-open spends its time (a profiling aid for issue 6):
//! `cargo run --release --example index_phases -- DIR CACHE_FILE`.

use std::path::PathBuf;
use std::time::Instant;

use copydesk::inbox::index::FileIndex;
use copydesk::inbox::{ScanOptions, walk};

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [root, cache] = args.as_slice() else {
        eprintln!("usage: index_phases DIR CACHE_FILE");
        std::process::exit(2);
    };
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
