//! Measures copydesk's language detection on real third-party text.
//!
//! ```text
//! cargo run --release --example langeval -- [CORPUS_DIR] [--show-errors[=N]] [--errors-at=LEN] [--only=BACKEND] [--tsv=FILE]
//! ```
//!
//! CORPUS_DIR (default `/work/langeval`, built by `benches/fetch_langeval.sh`) holds
//! `<lang>/*.txt`, one passage per file, the directory name being the expected ISO 639-1 code.
//! Every passage is run through each backend as is (the corpus is already clean prose, so
//! `language::clean` is not applied), then again cut to 1000 and 300 characters at a word
//! boundary. `full` means the whole passage, of which `detect_with` reads at most
//! `DETECTION_PREFIX_CHARS` characters.
//!
//! Timing is single-threaded, one `Instant` per call, after a warm-up pass over every input
//! (all lengths) so that lingua's lazy model loading is not counted; the warm-up is reported
//! on its own. lingua keeps its models in process-wide maps shared by every detector, so a
//! backend run later finds the models an earlier one loaded: backends run in the order
//! whatlang, hybrid, lingua, and `--only=BACKEND` measures one backend in a cold process.
//!
//! Tables go to stdout as Markdown. `--show-errors[=N]` prints up to N (default 5) misdetected
//! passages per backend to stderr, at the length chosen by `--errors-at=300|1000|full`
//! (default `full`), preferring one per confusion pair. `--tsv=FILE` writes every detection
//! (backend, length, expected, detected, confidence, µs, path) for further analysis.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use copydesk::language::{Backend, DETECTION_PREFIX_CHARS, Detection, detect_with};

const DEFAULT_CORPUS: &str = "/work/langeval";
const USAGE: &str = "usage: langeval [CORPUS_DIR] [--show-errors[=N]] [--errors-at=300|1000|full] [--only=hybrid|whatlang|lingua] [--tsv=FILE]";

/// Backends in display order.
const BACKENDS: [(Backend, &str); 3] = [
    (Backend::Hybrid, "hybrid"),
    (Backend::Whatlang, "whatlang"),
    (Backend::Lingua, "lingua"),
];

/// Backends in run order: whatlang loads no lingua model, so hybrid's warm-up shows what the
/// default backend loads, and lingua's shows what is left.
const RUN_ORDER: [Backend; 3] = [Backend::Whatlang, Backend::Hybrid, Backend::Lingua];

/// Passage lengths measured, shortest first; `None` is the whole passage.
const LENGTHS: [Option<usize>; 3] = [Some(300), Some(1000), None];

struct Passage {
    lang: String,
    path: PathBuf,
    text: String,
    chars: usize,
}

struct Options {
    corpus: PathBuf,
    show_errors: Option<usize>,
    errors_at: Option<usize>,
    only: Option<Backend>,
    tsv: Option<PathBuf>,
}

/// One backend at one length.
struct Run {
    detections: Vec<Detection>,
    micros: Vec<f64>,
}

struct Warmup {
    first_call: Duration,
    slowest_call: Duration,
    pass: Duration,
    calls: usize,
}

struct Measured {
    backend: Backend,
    name: &'static str,
    warmup: Warmup,
    /// Parallel to `LENGTHS`.
    runs: Vec<Run>,
}

fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("langeval: {msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let passages = match load_corpus(&opts.corpus) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("langeval: {msg}");
            return ExitCode::from(2);
        }
    };

    let mut measured: Vec<Measured> = RUN_ORDER
        .iter()
        .filter(|b| opts.only.is_none_or(|o| o == **b))
        .map(|&b| measure(b, &passages))
        .collect();
    measured.sort_by_key(|m| BACKENDS.iter().position(|(b, _)| *b == m.backend));

    print!("{}", report(&opts.corpus, &passages, &measured));

    if let Some(path) = &opts.tsv
        && let Err(e) = std::fs::write(path, tsv(&passages, &measured))
    {
        eprintln!("langeval: cannot write {}: {e}", path.display());
        return ExitCode::from(2);
    }

    if let Some(limit) = opts.show_errors {
        let at = LENGTHS
            .iter()
            .position(|l| *l == opts.errors_at)
            .expect("--errors-at is validated against LENGTHS");
        for m in &measured {
            show_errors(m, at, &passages, limit);
        }
    }
    ExitCode::SUCCESS
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut opts = Options {
        corpus: PathBuf::from(DEFAULT_CORPUS),
        show_errors: None,
        errors_at: None,
        only: None,
        tsv: None,
    };
    let mut corpus_given = false;
    for arg in args {
        if arg == "-h" || arg == "--help" {
            return Err("language-detection evaluation".into());
        } else if arg == "--show-errors" {
            opts.show_errors = Some(5);
        } else if let Some(n) = arg.strip_prefix("--show-errors=") {
            let n = n
                .parse()
                .map_err(|_| format!("bad --show-errors value `{n}`"))?;
            opts.show_errors = Some(n);
        } else if let Some(l) = arg.strip_prefix("--errors-at=") {
            opts.errors_at = match l {
                "full" => None,
                n => Some(
                    n.parse()
                        .map_err(|_| format!("bad --errors-at value `{n}`"))?,
                ),
            };
            if !LENGTHS.contains(&opts.errors_at) {
                return Err(format!("--errors-at must be 300, 1000 or full, not `{l}`"));
            }
        } else if let Some(b) = arg.strip_prefix("--only=") {
            let backend = BACKENDS.iter().find(|(_, name)| *name == b);
            opts.only = Some(backend.ok_or_else(|| format!("unknown backend `{b}`"))?.0);
        } else if let Some(f) = arg.strip_prefix("--tsv=") {
            opts.tsv = Some(PathBuf::from(f));
        } else if arg.starts_with('-') {
            return Err(format!("unknown option `{arg}`"));
        } else if corpus_given {
            return Err(format!("unexpected argument `{arg}`"));
        } else {
            opts.corpus = PathBuf::from(arg);
            corpus_given = true;
        }
    }
    Ok(opts)
}

/// Reads `<dir>/<lang>/*.txt`, sorted by language then file name.
fn load_corpus(dir: &Path) -> Result<Vec<Passage>, String> {
    let hint = "build it with benches/fetch_langeval.sh";
    if !dir.is_dir() {
        return Err(format!(
            "corpus directory {} not found ({hint})",
            dir.display()
        ));
    }
    let list = |d: &Path| -> Result<Vec<PathBuf>, String> {
        let entries =
            std::fs::read_dir(d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        let mut paths = entries
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        paths.sort();
        Ok(paths)
    };
    let mut passages = Vec::new();
    for lang_dir in list(dir)?.into_iter().filter(|p| p.is_dir()) {
        let Some(lang) = lang_dir
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        for path in list(&lang_dir)? {
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let raw = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let text = raw.trim().to_string();
            let chars = text.chars().count();
            passages.push(Passage {
                lang: lang.clone(),
                path,
                text,
                chars,
            });
        }
    }
    if passages.is_empty() {
        return Err(format!(
            "no <lang>/*.txt passages in {} ({hint})",
            dir.display()
        ));
    }
    Ok(passages)
}

/// At most `max` characters, cut at the last whitespace when it falls in the second half
/// (the rule `language::prefix` uses), else hard (Chinese and Japanese have no spaces).
fn cut(text: &str, max: Option<usize>) -> &str {
    let Some(max) = max else { return text };
    match text.char_indices().nth(max) {
        None => text,
        Some((at, _)) => {
            let head = &text[..at];
            head.rfind(char::is_whitespace)
                .filter(|&i| i > at / 2)
                .map_or(head, |i| head[..i].trim_end())
        }
    }
}

fn measure(backend: Backend, passages: &[Passage]) -> Measured {
    let name = BACKENDS
        .iter()
        .find(|(b, _)| *b == backend)
        .map_or("?", |(_, n)| *n);
    eprintln!(
        "langeval: measuring {name} on {} passages ...",
        passages.len()
    );

    // Warm-up: every input once, so that whatever lingua loads lazily is loaded.
    let started = Instant::now();
    let mut first_call = None;
    let mut slowest_call = Duration::ZERO;
    let mut calls = 0;
    for len in LENGTHS {
        for p in passages {
            let t = Instant::now();
            std::hint::black_box(detect_with(backend, cut(&p.text, len)));
            let took = t.elapsed();
            first_call.get_or_insert(took);
            slowest_call = slowest_call.max(took);
            calls += 1;
        }
    }
    let warmup = Warmup {
        first_call: first_call.unwrap_or_default(),
        slowest_call,
        pass: started.elapsed(),
        calls,
    };

    let runs = LENGTHS
        .iter()
        .map(|&len| {
            let mut detections = Vec::with_capacity(passages.len());
            let mut micros = Vec::with_capacity(passages.len());
            for p in passages {
                let input = cut(&p.text, len);
                let t = Instant::now();
                let d = detect_with(backend, std::hint::black_box(input));
                micros.push(t.elapsed().as_secs_f64() * 1e6);
                detections.push(d);
            }
            Run { detections, micros }
        })
        .collect();
    Measured {
        backend,
        name,
        warmup,
        runs,
    }
}

fn length_label(len: Option<usize>) -> String {
    len.map_or_else(|| "full".to_string(), |n| n.to_string())
}

/// Percentage with one decimal that never rounds an imperfect score up to 100.0.
fn pct(correct: usize, n: usize) -> String {
    if n == 0 {
        return "–".into();
    }
    let p = 100.0 * correct as f64 / n as f64;
    let p = if correct < n { p.min(99.9) } else { p };
    format!("{p:.1}")
}

/// A percentage cell, bold below 99 %.
fn pct_cell(correct: usize, n: usize) -> String {
    let p = pct(correct, n);
    if n > 0 && correct * 100 < n * 99 {
        format!("**{p}**")
    } else {
        p
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    // Nearest rank.
    let rank = (q * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

fn languages(passages: &[Passage]) -> Vec<&str> {
    let mut langs: Vec<&str> = passages.iter().map(|p| p.lang.as_str()).collect();
    langs.dedup();
    langs
}

/// (correct, n) for one language, or for all when `lang` is `None`.
fn score(run: &Run, passages: &[Passage], lang: Option<&str>) -> (usize, usize) {
    passages
        .iter()
        .zip(&run.detections)
        .filter(|(p, _)| lang.is_none_or(|l| p.lang == l))
        .fold((0, 0), |(c, n), (p, d)| {
            (c + usize::from(d.lang == p.lang), n + 1)
        })
}

/// Misdetections as (expected, detected) → count, most frequent first.
fn confusions(run: &Run, passages: &[Passage]) -> Vec<((String, String), usize)> {
    let mut pairs: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (p, d) in passages.iter().zip(&run.detections) {
        if d.lang != p.lang {
            *pairs.entry((p.lang.clone(), d.lang.clone())).or_default() += 1;
        }
    }
    let mut pairs: Vec<_> = pairs.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    pairs
}

fn report(corpus: &Path, passages: &[Passage], measured: &[Measured]) -> String {
    let mut out = String::new();
    let langs = languages(passages);
    let full = LENGTHS.len() - 1;
    let median_chars = |lang: &str| {
        let mut c: Vec<f64> = passages
            .iter()
            .filter(|p| p.lang == lang)
            .map(|p| p.chars as f64)
            .collect();
        c.sort_by(f64::total_cmp);
        quantile(&c, 0.5) as usize
    };
    // Writing to a String cannot fail.
    let mut w = |s: String| out.push_str(&s);

    w(format!(
        "### Language detection on {} ({} passages, {} languages)\n\n",
        corpus.display(),
        passages.len(),
        langs.len()
    ));
    w(format!(
        "Whole passages (detection reads at most {DETECTION_PREFIX_CHARS} chars). Correct (%); bold: below 99 %.\n\n"
    ));
    let mut head = "| lang | n | median chars |".to_string();
    let mut rule = "|---|--:|--:|".to_string();
    for m in measured {
        let _ = write!(head, " {} |", m.name);
        rule.push_str("--:|");
    }
    w(format!("{head}\n{rule}\n"));
    for lang in &langs {
        let n = passages.iter().filter(|p| p.lang == *lang).count();
        let mut row = format!("| {lang} | {n} | {} |", median_chars(lang));
        for m in measured {
            let (c, n) = score(&m.runs[full], passages, Some(lang));
            let _ = write!(row, " {c} ({}) |", pct_cell(c, n));
        }
        w(row + "\n");
    }
    let mut row = format!("| **all** | {} | |", passages.len());
    for m in measured {
        let (c, n) = score(&m.runs[full], passages, None);
        let _ = write!(row, " {c} ({}) |", pct_cell(c, n));
    }
    w(row + "\n\n");

    w("Accuracy (%) by passage length (cut at a word boundary; bold: below 99 %).\n\n".into());
    let mut head = "| lang |".to_string();
    let mut rule = "|---|".to_string();
    for m in measured {
        for len in LENGTHS {
            let _ = write!(head, " {} {} |", m.name, length_label(len));
            rule.push_str("--:|");
        }
    }
    w(format!("{head}\n{rule}\n"));
    for lang in langs.iter().map(|l| Some(*l)).chain([None]) {
        let mut row = format!("| {} |", lang.unwrap_or("**all**"));
        for m in measured {
            for run in &m.runs {
                let (c, n) = score(run, passages, lang);
                let _ = write!(row, " {} |", pct_cell(c, n));
            }
        }
        w(row + "\n");
    }
    w("\n".into());

    w("Confusions (expected→detected count).\n\n| backend | length | errors | confusions |\n|---|--:|--:|---|\n".into());
    for m in measured {
        for (len, run) in LENGTHS.iter().zip(&m.runs) {
            let pairs = confusions(run, passages);
            let errors: usize = pairs.iter().map(|(_, n)| n).sum();
            let shown: Vec<String> = pairs
                .iter()
                .take(10)
                .map(|((e, d), n)| format!("{e}→{d} {n}"))
                .collect();
            let mut cell = if shown.is_empty() {
                "–".to_string()
            } else {
                shown.join(", ")
            };
            if pairs.len() > 10 {
                let rest: usize = pairs[10..].iter().map(|(_, n)| n).sum();
                let _ = write!(cell, ", +{} pairs ({rest})", pairs.len() - 10);
            }
            w(format!(
                "| {} | {} | {errors} | {cell} |\n",
                m.name,
                length_label(*len)
            ));
        }
    }
    w("\n".into());

    w("Speed, µs per passage (single thread, after warm-up).\n\n| backend | length | median | p95 | max |\n|---|--:|--:|--:|--:|\n".into());
    for m in measured {
        for (len, run) in LENGTHS.iter().zip(&m.runs) {
            let mut t = run.micros.clone();
            t.sort_by(f64::total_cmp);
            w(format!(
                "| {} | {} | {:.0} | {:.0} | {:.0} |\n",
                m.name,
                length_label(*len),
                quantile(&t, 0.5),
                quantile(&t, 0.95),
                t.last().copied().unwrap_or(0.0)
            ));
        }
    }
    w("\n".into());

    w("Warm-up pass (includes lazy model loading), ms, over the same inputs as the timed passes. Run order whatlang, hybrid, lingua; lingua's models are shared process-wide, so a later backend does not reload what an earlier one loaded (`--only=BACKEND` for a cold figure).\n\n| backend | calls | first call | slowest call | warm-up pass | timed passes |\n|---|--:|--:|--:|--:|--:|\n".into());
    for m in measured {
        let timed: f64 = m.runs.iter().flat_map(|r| &r.micros).sum::<f64>() / 1e3;
        w(format!(
            "| {} | {} | {:.2} | {:.2} | {:.0} | {timed:.0} |\n",
            m.name,
            m.warmup.calls,
            m.warmup.first_call.as_secs_f64() * 1e3,
            m.warmup.slowest_call.as_secs_f64() * 1e3,
            m.warmup.pass.as_secs_f64() * 1e3,
        ));
    }
    out
}

/// Every detection, one line each.
fn tsv(passages: &[Passage], measured: &[Measured]) -> String {
    let mut out = "backend\tlength\texpected\tdetected\tconfidence\tmicros\tpath\n".to_string();
    for m in measured {
        for (len, run) in LENGTHS.iter().zip(&m.runs) {
            for ((p, d), us) in passages.iter().zip(&run.detections).zip(&run.micros) {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{:.4}\t{us:.1}\t{}",
                    m.name,
                    length_label(*len),
                    p.lang,
                    d.lang,
                    d.confidence,
                    p.path.display()
                );
            }
        }
    }
    out
}

/// Up to `limit` misdetections at length index `at`, one per confusion pair first.
fn show_errors(m: &Measured, at: usize, passages: &[Passage], limit: usize) {
    let run = &m.runs[at];
    let wrong: Vec<(&Passage, &Detection)> = passages
        .iter()
        .zip(&run.detections)
        .filter(|(p, d)| d.lang != p.lang)
        .collect();
    eprintln!(
        "\n== {} @ {}: {} misdetected{}",
        m.name,
        length_label(LENGTHS[at]),
        wrong.len(),
        if wrong.len() > limit {
            format!(", showing {limit}")
        } else {
            String::new()
        }
    );
    let mut picked: Vec<usize> = Vec::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (i, (p, d)) in wrong.iter().enumerate() {
        let pair = (p.lang.as_str(), d.lang.as_str());
        if picked.len() < limit && !seen.contains(&pair) {
            seen.push(pair);
            picked.push(i);
        }
    }
    for i in 0..wrong.len() {
        if picked.len() >= limit {
            break;
        }
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    picked.sort_unstable();
    for i in picked {
        let (p, d) = wrong[i];
        let head: String = cut(&p.text, LENGTHS[at])
            .chars()
            .take(120)
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        eprintln!(
            "{}→{} ({:.2}) {}: {head}",
            p.lang,
            d.lang,
            d.confidence,
            p.path.display()
        );
    }
}
