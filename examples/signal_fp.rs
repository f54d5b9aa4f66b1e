//! False positives of the signals on real news text we did not write.
//!
//!   bash benches/fetch_newscorpus.sh /work/newscorpus
//!   cargo run --release --example signal_fp -- /work/newscorpus [--stress] [--quiet]
//!
//! Runs the real ingest (`Inbox::scan`) over the folder and prints, per language and per signal,
//! how many articles get any signal, then every flagged article with its evidence so that each
//! false positive can be looked at. None of these articles says it is a translation, so
//! `untranslated-fragment` has nothing to check at ingest; `--stress` therefore also pretends
//! that every article is a translation from each of en, fr, de, es, id and counts the articles
//! in which a "fragment" of that pretended source would be reported.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use copydesk::inbox::{Inbox, ScanOptions};
use copydesk::language;
use copydesk::signals::SignalKind;

const PRETENDED_SOURCES: [&str; 5] = ["en", "fr", "de", "es", "id"];

/// Written by benches/fetch_newscorpus.sh beside the articles.
const SOURCES_FILE: &str = "SOURCES.md";

#[derive(Default)]
struct Row {
    articles: usize,
    flagged: usize,
    per_kind: BTreeMap<SignalKind, usize>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stress = args.iter().any(|a| a == "--stress");
    let quiet = args.iter().any(|a| a == "--quiet");
    let root = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or_else(|| PathBuf::from("/work/newscorpus"), PathBuf::from);

    let start = Instant::now();
    let mut inbox = match Inbox::scan(&root, ScanOptions::default()) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{e} (build it with benches/fetch_newscorpus.sh)");
            std::process::exit(2);
        }
    };
    let scan = start.elapsed();
    // The corpus's own list of sources is our writing, not an article.
    inbox
        .articles
        .retain(|a| *a.location.rel_path != *std::path::Path::new(SOURCES_FILE));
    let n = inbox.articles.len().max(1);
    println!(
        "scanned {} articles in {:.1} ms ({:.0} µs per article, {} threads)",
        inbox.articles.len(),
        scan.as_secs_f64() * 1e3,
        scan.as_secs_f64() * 1e6 / n as f64,
        rayon::current_num_threads(),
    );

    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    for a in &inbox.articles {
        for key in [a.lang.to_string(), "all".to_string()] {
            let row = rows.entry(key).or_default();
            row.articles += 1;
            row.flagged += usize::from(!a.signals().is_empty());
            for s in a.signals() {
                *row.per_kind.entry(s.kind).or_default() += 1;
            }
        }
    }
    print_table(&rows);

    if !quiet {
        println!("\nflagged articles:");
        for a in inbox.articles.iter().filter(|a| !a.signals().is_empty()) {
            println!("- {} [{}]", a.id, a.lang);
            for s in a.signals() {
                println!("    {}: {}", s.kind, s.explain(false));
            }
        }
    }
    if stress {
        stress_fragments(&inbox, quiet);
    }
    time_paragraph_checks(&inbox);
}

fn print_table(rows: &BTreeMap<String, Row>) {
    let kinds = SignalKind::ALL;
    print!("\n| lang | articles | any signal |");
    for k in kinds {
        print!(" {k} |");
    }
    print!("\n| --- | --: | --: |");
    for _ in kinds {
        print!(" --: |");
    }
    println!();
    for (lang, row) in rows {
        print!(
            "| {lang} | {} | {} ({:.1} %) |",
            row.articles,
            row.flagged,
            100.0 * row.flagged as f64 / row.articles.max(1) as f64
        );
        for k in kinds {
            print!(" {} |", row.per_kind.get(&k).copied().unwrap_or(0));
        }
        println!();
    }
}

/// Every article as if it were a translation from each pretended source language.
fn stress_fragments(inbox: &Inbox, quiet: bool) {
    let mut checked = 0usize;
    let mut flagged = 0usize;
    let mut lines = Vec::new();
    for a in &inbox.articles {
        let Ok(body) = inbox.load_body(a) else {
            continue;
        };
        for source in PRETENDED_SOURCES.into_iter().filter(|s| **s != *a.lang) {
            checked += 1;
            if let Some(f) = language::untranslated_fragment(&body.text, &a.lang, source) {
                flagged += 1;
                lines.push(format!(
                    "- {} [{} from {source}]: {}",
                    a.id, a.lang, f.words
                ));
            }
        }
    }
    println!(
        "\nstress: {flagged} of {checked} (article, pretended source) pairs report a fragment ({:.1} %)",
        100.0 * flagged as f64 / checked.max(1) as f64
    );
    if !quiet {
        for l in lines {
            println!("{l}");
        }
    }
}

/// The cost of the paragraph-level checks alone, on the bodies as ingest sees them.
fn time_paragraph_checks(inbox: &Inbox) {
    let bodies: Vec<(String, String)> = inbox
        .articles
        .iter()
        .filter_map(|a| Some((inbox.load_body(a).ok()?.text, a.lang.to_string())))
        .collect();
    // The machine is shared: each figure is the fastest of several rounds.
    let rounds = 9;
    let per_article = |f: &dyn Fn(&str, &str)| {
        let mut best = f64::INFINITY;
        for _ in 0..rounds {
            let start = Instant::now();
            for (text, lang) in &bodies {
                f(text, lang);
            }
            best = best.min(start.elapsed().as_secs_f64());
        }
        best * 1e6 / bodies.len().max(1) as f64
    };
    let mixed = per_article(&|t, l| {
        std::hint::black_box(language::foreign_paragraph(t, l));
    });
    let fragment = per_article(&|t, l| {
        std::hint::black_box(language::untranslated_fragment(t, l, "id"));
    });
    let detect = per_article(&|t, _| {
        std::hint::black_box(language::detect(t));
    });
    println!(
        "\none thread, {} bodies, fastest of {rounds} rounds, µs per article: mixed-language {mixed:.0}, \
         untranslated-fragment (pretended source 'id') {fragment:.0}, whole-article detection {detect:.0}",
        bodies.len()
    );
}
