//! The floors every index is measured against: listing the folders and then stat-ing, or
//! reading, every file in parallel (shared by `benches/index.rs` and `examples/index_phases.rs`).

#![allow(dead_code)] // each user takes the floors it needs

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// Every regular file below `root`, listed by one thread (what any tool must do first).
pub fn list_files(root: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(root).expect("read_dir").flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => list_files(&path, out),
            Ok(_) => out.push(path),
            Err(_) => {}
        }
    }
}

/// Floor: list the folders, then stat every file in parallel.
pub fn floor_stat(root: &Path) -> usize {
    let mut files = Vec::new();
    list_files(root, &mut files);
    files
        .par_iter()
        .filter(|p| fs::metadata(p).is_ok_and(|m| m.is_file()))
        .count()
}

/// Floor: list the folders, then read every file in parallel.
pub fn floor_read(root: &Path) -> usize {
    let mut files = Vec::new();
    list_files(root, &mut files);
    files
        .par_iter()
        .map(|p| fs::read(p).map_or(0, |b| b.len()))
        .sum()
}
