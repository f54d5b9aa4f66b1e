//! Where a first index spends its CPU, stage by stage (a profiling aid for issue 6):
//! `cargo run --release --example ingest_phases -- DIR`. Each stage runs over every file on
//! all cores and reports its wall time, so the stages can be compared in one run.

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use copydesk::inbox::{decode, formats, walk};
use copydesk::language;

/// The allocator the `copydesk` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let Some(root) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: ingest_phases DIR");
        std::process::exit(2);
    };
    let t = Instant::now();
    let (entries, _) = walk::walk(&root);
    println!(
        "walk + stat      {:>9.1?} ({} files)",
        t.elapsed(),
        entries.len()
    );

    let t = Instant::now();
    let bytes: Vec<Vec<u8>> = entries
        .par_iter()
        .filter_map(|e| walk::read_capped(&root.join(&e.rel_path)).ok())
        .map(|(b, _)| b)
        .collect();
    println!("read             {:>9.1?}", t.elapsed());

    let t = Instant::now();
    let texts: Vec<String> = bytes.par_iter().map(|b| decode::decode(b).text).collect();
    println!("decode           {:>9.1?}", t.elapsed());

    let t = Instant::now();
    let exts: Vec<String> = entries
        .iter()
        .map(|e| {
            e.rel_path
                .extension()
                .map(|x| x.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    let bodies: Vec<String> = texts
        .par_iter()
        .zip(exts.par_iter())
        .filter_map(|(text, ext)| formats::parse(text, ext).ok())
        .flat_map_iter(|p| p.items.into_iter().map(|i| i.body))
        .collect();
    println!(
        "parse            {:>9.1?} ({} items)",
        t.elapsed(),
        bodies.len()
    );

    // One thread, per extension: which reader costs what.
    let mut per_ext: std::collections::BTreeMap<&str, (usize, std::time::Duration)> =
        Default::default();
    for (text, ext) in texts.iter().zip(&exts) {
        let t = Instant::now();
        let _ = std::hint::black_box(formats::parse(text, ext));
        let e = per_ext.entry(ext.as_str()).or_default();
        e.0 += 1;
        e.1 += t.elapsed();
    }
    for (ext, (n, took)) in &per_ext {
        println!(
            "  parse .{ext:<5} {n:>6} files, {:>6.1} µs each (one thread)",
            took.as_secs_f64() * 1e6 / *n as f64
        );
    }

    let t = Instant::now();
    let cleaned: Vec<String> = bodies.par_iter().map(|b| language::clean(b).text).collect();
    println!("clean            {:>9.1?}", t.elapsed());

    let t = Instant::now();
    let langs: Vec<String> = cleaned
        .par_iter()
        .map(|c| language::detect(c).lang)
        .collect();
    println!("detect           {:>9.1?}", t.elapsed());

    let t = Instant::now();
    let foreign = cleaned
        .par_iter()
        .zip(langs.par_iter())
        .filter(|(c, l)| language::foreign_paragraph(c, l).is_some())
        .count();
    println!("mixed-language   {:>9.1?} ({foreign} found)", t.elapsed());
}
