//! Measures the mixed-language paragraph check on real third-party text.
//!
//! ```text
//! cargo run --release --example paragraph_eval -- CORPUS_DIR... [--tsv=FILE]
//! ```
//!
//! Each CORPUS_DIR holds `<lang>/*.txt`, one passage per file, the directory name being the
//! passage's ISO 639-1 code (`benches/fetch_langeval.sh` builds one). Every passage is set, as
//! it is, into an article of each language copydesk detects, and `language::foreign_paragraph` is asked
//! whether the article holds a paragraph in another language:
//! - set into an article of its own language (Indonesian and Malay count as one), any answer
//!   is a false alarm;
//! - set into an article of another language, the answer should name the passage's language:
//!   `found` when it does, `wrong` when it names a third one, `missed` when there is none.
//!
//! Tables go to stdout as Markdown, with the mean time of a check (one thread). `--tsv=FILE`
//! writes every answer (passage language, article language, answer, path), so that two builds
//! can be compared line by line.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use copydesk::language::foreign_paragraph;

/// The article languages every passage is set into: every language copydesk detects.
const ARTICLE_LANGS: &[&str] = copydesk::language::DETECTABLE;

const USAGE: &str = "usage: paragraph_eval CORPUS_DIR... [--tsv=FILE]";

#[derive(Default)]
struct Counts {
    own: usize,
    false_alarm: usize,
    foreign: usize,
    found: usize,
    wrong: usize,
    own_time: Duration,
    foreign_time: Duration,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.own += other.own;
        self.false_alarm += other.false_alarm;
        self.foreign += other.foreign;
        self.found += other.found;
        self.wrong += other.wrong;
        self.own_time += other.own_time;
        self.foreign_time += other.foreign_time;
    }

    /// The table row of `label` (a language, or all) over `passages` passages.
    fn row(&self, label: &str, passages: usize) -> String {
        format!(
            "| {label} | {passages} | {} / {} | {} / {} | {} | {} | {} |",
            self.false_alarm,
            self.own,
            self.found,
            self.foreign,
            self.wrong,
            micros(self.own_time, self.own),
            micros(self.foreign_time, self.foreign)
        )
    }
}

/// Mean time per check, in µs.
fn micros(spent: Duration, checks: usize) -> String {
    format!("{:.1}", spent.as_secs_f64() * 1e6 / checks.max(1) as f64)
}

fn family(lang: &str) -> &str {
    if lang == "ms" { "id" } else { lang }
}

fn passages(corpus: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out = Vec::new();
    let dirs = std::fs::read_dir(corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    for dir in dirs.flatten().filter(|d| d.path().is_dir()) {
        let lang = dir.file_name().to_string_lossy().into_owned();
        let files = std::fs::read_dir(dir.path()).map_err(|e| format!("{lang}: {e}"))?;
        out.extend(
            files
                .flatten()
                .map(|f| f.path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .map(|p| (lang.clone(), p)),
        );
    }
    out.sort();
    Ok(out)
}

fn main() -> ExitCode {
    let mut corpora = Vec::new();
    let mut tsv_path = None;
    for arg in std::env::args().skip(1) {
        match arg.strip_prefix("--tsv=") {
            Some(p) => tsv_path = Some(PathBuf::from(p)),
            None if arg.starts_with('-') => {
                eprintln!("paragraph_eval: unknown option {arg}\n{USAGE}");
                return ExitCode::from(2);
            }
            None => corpora.push(PathBuf::from(arg)),
        }
    }
    if corpora.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let mut all = Vec::new();
    for corpus in &corpora {
        match passages(corpus) {
            Ok(p) => all.extend(p),
            Err(e) => {
                eprintln!("paragraph_eval: cannot read corpus {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let mut by_lang: BTreeMap<String, Counts> = BTreeMap::new();
    let mut tsv = String::new();
    for (lang, path) in &all {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let counts = by_lang.entry(lang.clone()).or_default();
        for article in ARTICLE_LANGS {
            let t = Instant::now();
            let answer = foreign_paragraph(&text, article);
            let took = t.elapsed();
            let said = answer.as_ref().map_or("-", |f| f.lang.as_str());
            let _ = writeln!(tsv, "{lang}\t{article}\t{said}\t{}", path.display());
            if family(article) == family(lang) {
                counts.own_time += took;
                counts.own += 1;
                counts.false_alarm += usize::from(answer.is_some());
            } else {
                counts.foreign_time += took;
                counts.foreign += 1;
                match &answer {
                    Some(f) if family(&f.lang) == family(lang) => counts.found += 1,
                    Some(_) => counts.wrong += 1,
                    None => {}
                }
            }
        }
    }
    println!(
        "| passage lang | passages | false alarms / own-language checks | found / foreign checks | wrong language | µs per own check | µs per foreign check |"
    );
    println!("| --- | --: | --: | --: | --: | --: | --: |");
    let mut total = Counts::default();
    for (lang, c) in &by_lang {
        let passages = all.iter().filter(|(l, _)| l == lang).count();
        println!("{}", c.row(lang, passages));
        total.add(c);
    }
    println!("{}", total.row("all", all.len()));
    if let Some(p) = tsv_path
        && let Err(e) = std::fs::write(&p, tsv)
    {
        eprintln!("paragraph_eval: cannot write {}: {e}", p.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
