//! Keystroke to finished frame, in memory (issue 3: under 2 ms at 10,000 articles).
//!
//! `cargo bench --bench frame` builds N synthetic articles (1,000, 10,000, 100,000), a state with
//! 10 % of them marked, the default keymap and the app's options, then for each N and terminal
//! size times `App::handle_key` + carrying out the effects in memory + `terminal.draw` on a
//! ratatui `TestBackend`. No disk I/O anywhere:
//!
//! - `Save` is done as the event loop does it: the app's state is moved out (lent to the store),
//!   `State::apply`, then `App::saved(Ok((state, skipped)), ..)`; only the fsync'd write is
//!   left out (`cargo bench --bench state` measures that);
//! - `LoadBody` is answered with `App::body_loaded(id, Ok(body))` where `body` is one synthetic
//!   text of six paragraphs (Latin, Arabic and CJK; its size is printed) cloned from memory, so
//!   the reader pane is wrapped and drawn as it would be once the file is read (the read itself is
//!   left out).
//!
//! `s` and `o` cycle (five status-filter states, four sorts), so their rows mix those states;
//! each `G` is preceded by an untimed `g` (and its frame) so that it really jumps.
//!
//! Environment: `FRAME_BENCH_ITERS` (default 200), `FRAME_BENCH_WARMUP` (default 20),
//! `FRAME_BENCH_N` (comma-separated article counts, default `1000,10000,100000`),
//! `FRAME_BENCH_KEYS` (only the actions whose key is in this string, e.g. `jv`),
//! `FRAME_BENCH_SIZES` (e.g. `200x60`; default `80x24,200x60`),
//! `FRAME_BENCH_MARKED` (percent of articles with a decision, default 10),
//! `FRAME_BENCH_PIECES=0` (skip the breakdown tables), `FRAME_BENCH_PAIR=0` (skip the
//! side-by-side view table: the newest article is made a translation of the second newest, then
//! `p` opens the pair after an untimed `Esc`, `j` and `G` scroll it after an untimed `g`).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use copydesk::inbox::{Article, Body, DateSource, Format, Location, Rare};
use copydesk::signals::{Signal, SignalKind};
use copydesk::state::{Change, NoteChange, State, Status};
use copydesk::time::Zone;
use copydesk::tui::app::{App, Effect, Options, Saved, SortKey};
use copydesk::tui::keymap::Keymap;
use copydesk::ui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];
const TARGET: Duration = Duration::from_millis(2);

// ---------------------------------------------------------------------------------------------
// Synthetic inbox

/// SplitMix64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const LATIN: &[&str] = &[
    "Flood",
    "waters",
    "recede",
    "in",
    "Semarang",
    "as",
    "officials",
    "count",
    "the",
    "cost",
    "of",
    "repairs",
    "Banjir",
    "surut",
    "di",
    "pelabuhan",
    "warga",
    "kembali",
    "ke",
    "rumah",
    "après",
    "les",
    "inondations,",
    "le",
    "gouvernement",
    "annonce",
    "un",
    "plan",
    "d'aide",
    "Regierung",
    "kündigt",
    "neue",
    "Hilfen",
    "für",
    "Landwirte",
    "an",
    "elecciones:",
    "el",
    "presidente",
    "firma",
    "acuerdo",
    "comercial",
    "com",
    "São",
    "Paulo",
    "central",
    "bank",
    "holds",
    "rates",
    "steady",
    "—",
    "ministers",
    "say",
    "talks",
    "will",
    "resume",
    "on",
    "Monday",
    "Kerajaan",
    "umum",
    "bantuan",
    "kepada",
    "nelayan",
];

const CJK: &[&str] = &[
    "洪水退去後",
    "港湾で復旧作業が続く",
    "中国央行宣布",
    "下调存款准备金率",
    "以支持经济增长",
    "東京株式市場は続落した",
    "政府は新たな支援策を発表",
    "台风登陆浙江沿海",
    "当局发布暴雨红色预警",
    "、",
    "。",
    "記者会見で",
    "外交部发言人表示",
];

const ARABIC: &[&str] = &[
    "الحكومة",
    "تعلن",
    "خطة",
    "جديدة",
    "لدعم",
    "المزارعين",
    "بعد",
    "الفيضانات",
    "انخفاض",
    "أسعار",
    "النفط",
    "في",
    "الأسواق",
    "العالمية",
    "وزير",
    "الخارجية",
    "يلتقي",
    "نظيره",
    "القاهرة",
    "اليوم",
];

/// A title of `target` characters (60–120), in one script or mixed.
fn title(rng: &mut Rng) -> (String, &'static str) {
    let target = 60 + rng.below(61) as usize;
    let roll = rng.below(100);
    let lang = match roll {
        0..55 => *rng.pick(&["en", "fr", "id", "ms", "es", "de", "pt"]),
        55..75 => *rng.pick(&["zh", "ja"]),
        75..90 => "ar",
        // Mixed: a Latin headline quoting a CJK or Arabic name.
        _ => "en",
    };
    let mut s = String::new();
    let mixed = roll >= 90;
    while s.chars().count() < target {
        let (piece, sep) = match (lang, mixed) {
            (_, true) if rng.below(4) == 0 => {
                if rng.below(2) == 0 {
                    (*rng.pick(CJK), " ")
                } else {
                    (*rng.pick(ARABIC), " ")
                }
            }
            ("zh" | "ja", _) => (*rng.pick(CJK), ""),
            ("ar", _) => (*rng.pick(ARABIC), " "),
            _ => (*rng.pick(LATIN), " "),
        };
        if !s.is_empty() {
            s.push_str(sep);
        }
        s.push_str(piece);
    }
    let s: String = s.chars().take(target).collect();
    (s.trim_end().to_string(), lang)
}

const OFFSETS_H: &[i32] = &[7, 0, 1, 8, 9, 3, -5, 2];
const SOURCES: &[&str] = &[
    "antara",
    "afp",
    "reuters",
    "xinhua",
    "kyodo",
    "aljazeera",
    "efe",
];

/// `n` articles, newest first then by id (the order `Inbox::scan` gives).
fn articles(n: usize) -> Vec<Article> {
    let mut rng = Rng(0x00C0_FFEE ^ n as u64);
    // A week: 2026-11-21 00:00 to 2026-11-28 00:00 at +07:00 (today is 2026-11-27).
    let start = Utc
        .with_ymd_and_hms(2026, 11, 20, 17, 0, 0)
        .single()
        .expect("start of the week");
    let week_secs = 7 * 24 * 3600;
    let mut out: Vec<Article> = (0..n)
        .map(|seq| {
            let offset = FixedOffset::east_opt(*rng.pick(OFFSETS_H) * 3600).expect("offset");
            let at = start + chrono::Duration::seconds(rng.below(week_secs) as i64);
            let date = at.with_timezone(&offset);
            let (title, lang) = title(&mut rng);
            let source = *rng.pick(SOURCES);
            let (id, format, date_source) = match rng.below(10) {
                0..7 => (
                    format!("wire/{}/item-{seq:05}", date.format("%Y-%m-%d")),
                    Format::Ninjs,
                    DateSource::Metadata,
                ),
                7..9 => (
                    format!("feeds/{source}.xml#{:08x}", rng.next_u64() as u32),
                    Format::Rss,
                    DateSource::Metadata,
                ),
                _ => (
                    format!("mt/{source}-{seq}.{lang}"),
                    Format::Text,
                    *rng.pick(&[DateSource::Text, DateSource::Filename, DateSource::Mtime]),
                ),
            };
            // 5 % declared in another language than the text is in.
            let declared = if rng.below(20) == 0 { "fr" } else { lang };
            let signals = match rng.below(100) {
                0..6 => vec![Signal::new(
                    SignalKind::MtDisclaimer,
                    "reference language 'id'",
                    "This article was translated by an AI tool; the original is in Indonesian.",
                )],
                6..9 => vec![
                    Signal::new(
                        SignalKind::ShareResidue,
                        "",
                        "Partager: Facebook Twitter WhatsApp",
                    ),
                    Signal::new(SignalKind::LangMismatch, "declared 'fr', text is 'en'", ""),
                ],
                9..10 => vec![Signal::new(
                    SignalKind::UntranslatedFragment,
                    "in 'id'",
                    "kata Gubernur, \"kami akan terus memantau\"",
                )],
                _ => Vec::new(),
            };
            Article {
                location: Location {
                    rel_path: PathBuf::from(format!("{id}.json")).into(),
                    index: 0,
                },
                id: id.into(),
                title: title.into(),
                date,
                date_source,
                lang: lang.into(),
                declared_lang: Some(declared.into()),
                detected_lang: lang.into(),
                lang_percent: 60 + rng.below(40) as u8,
                body_crc: 0,
                format,
                source: Some(source.into()),
                url: Some(format!("https://{source}.example/{lang}/{seq}").into()),
                rare: Rare {
                    signals,
                    ..Rare::default()
                }
                .boxed(),
                pending: false,
            }
        })
        .collect();
    out.sort_by(|a, b| Reverse(a.date).cmp(&Reverse(b.date)).then(a.id.cmp(&b.id)));
    out
}

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-27T10:00:00+07:00").expect("now")
}

/// A state where every tenth article (spread over the list) has a decision.
fn state(articles: &[Article]) -> State {
    let mut state = State::default();
    let mut rng = Rng(42);
    // FRAME_BENCH_MARKED: the share of articles with a decision, in percent (default 10).
    let marked = env_usize("FRAME_BENCH_MARKED", 10).min(100) as u64;
    for a in articles {
        if rng.below(100) >= marked {
            continue;
        }
        let status = *rng.pick(&[
            Status::Verified,
            Status::NeedsReview,
            Status::TranslationSuspect,
        ]);
        let note = if rng.below(3) == 0 {
            NoteChange::Set("check quotes against the original".into())
        } else {
            NoteChange::Keep
        };
        state.apply(&Change::new(a.id.clone(), status, note), "marc", now());
    }
    state
}

/// Options as `src/tui/tests.rs` builds them (the app's own come from the config).
fn options() -> Options {
    let zone = Zone::Fixed(FixedOffset::east_opt(7 * 3600).expect("offset"));
    Options::new(
        "ayu",
        zone,
        NaiveDate::from_ymd_opt(2026, 11, 27).expect("day"),
    )
}

/// The text every `LoadBody` gets: six paragraphs in three scripts.
fn body() -> Body {
    let latin = "SEMARANG, 24 November 2026 — Flood waters receded on Tuesday across the \
        northern districts of the city, leaving behind mud, broken roads and a long list of \
        repairs. Officials said the port would reopen within days, while residents returned to \
        count the damage to their homes and shops. ";
    let arabic = "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين المتضررين من الفيضانات، وقال وزير \
        الزراعة إن المساعدات ستصل إلى القرى خلال أسبوع. ";
    let cjk = "洪水退去後、港湾では復旧作業が続いている。当局は道路の修復を急ぐとともに、住民に対して\
        引き続き注意を呼びかけた。";
    let text = [latin, latin, arabic, cjk, latin, arabic]
        .map(|p| p.repeat(2))
        .join("\n\n");
    Body {
        text,
        ..Body::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Driving the app

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

/// A save without the file: the new state (a clone, as the event loop hands the store's state
/// over) and the ids whose change was skipped because their decision had moved on.
/// As the event loop does it: the app lends its state to the store (no copy), the store applies
/// the changes and hands it back; only the fsync'd write is left out.
fn save_in_memory(state: &mut State, changes: &[Change]) -> Saved {
    let mut state = std::mem::take(state);
    let skipped = changes
        .iter()
        .filter(|c| !state.apply(c, "ayu", now()))
        .map(|c| c.id.clone())
        .collect();
    Saved {
        state,
        skipped,
        outside: false,
        replaced: Vec::new(),
    }
}

/// Carries out effects in memory, as the event loop does with files.
fn run(app: &mut App, effects: Vec<Effect>, body: &Body) {
    let mut queue = effects;
    while let Some(effect) = queue.pop() {
        match effect {
            Effect::Save {
                changes,
                kind,
                inverse,
            } => {
                let done = save_in_memory(&mut app.state, &changes);
                queue.extend(app.saved(Ok(done), &changes, kind, inverse));
            }
            Effect::LoadBody { id, .. } => app.body_loaded(&id, Ok(body.clone())),
            Effect::Search { .. } | Effect::Export { .. } | Effect::Quit => {}
        }
    }
}

struct Screen {
    app: App,
    terminal: Terminal<TestBackend>,
    body: Body,
}

impl Screen {
    fn new(articles: &[Article], state: &State, size: (u16, u16)) -> Self {
        let keymap = Keymap::new(&BTreeMap::new()).expect("default keymap");
        let shared = articles.iter().cloned().map(std::sync::Arc::new).collect();
        let mut app = App::new(shared, state.clone(), keymap, options(), size);
        let body = body();
        let effects = app.start();
        run(&mut app, effects, &body);
        let terminal = Terminal::new(TestBackend::new(size.0, size.1)).expect("test terminal");
        let mut screen = Self {
            app,
            terminal,
            body,
        };
        screen.draw();
        screen
    }

    fn draw(&mut self) {
        let app = &self.app;
        let frame = self
            .terminal
            .draw(|f| copydesk::ui::draw(f, app))
            .expect("draw on the test backend");
        black_box(frame.area);
    }

    /// One keystroke to the finished frame.
    fn press(&mut self, c: char) {
        self.press_code(KeyCode::Char(c));
    }

    fn press_code(&mut self, code: KeyCode) {
        let effects = self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
        run(&mut self.app, effects, &self.body);
        self.draw();
    }
}

// ---------------------------------------------------------------------------------------------
// Measuring

struct Stats {
    median: Duration,
    p95: Duration,
    max: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let n = samples.len();
    let median = if n.is_multiple_of(2) {
        (samples[n / 2 - 1] + samples[n / 2]) / 2
    } else {
        samples[n / 2]
    };
    let p95 = samples[(n * 95).div_ceil(100).max(1) - 1];
    Stats {
        median,
        p95,
        max: samples[n - 1],
    }
}

fn us(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 100.0 {
        format!("{us:.0}")
    } else {
        format!("{us:.1}")
    }
}

/// Runs `setup` (untimed) then `timed`, `warmup + iters` times; returns the timed samples.
fn measure<S>(
    warmup: usize,
    iters: usize,
    screen: &mut S,
    mut setup: impl FnMut(&mut S),
    mut timed: impl FnMut(&mut S),
) -> Vec<Duration> {
    let mut samples = Vec::with_capacity(iters);
    for i in 0..warmup + iters {
        setup(screen);
        let t = Instant::now();
        timed(screen);
        let d = t.elapsed();
        if i >= warmup {
            samples.push(d);
        }
    }
    samples
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn row(cells: &[String]) {
    println!("| {} |", cells.join(" | "));
}

/// The keys measured: name in the table, key, untimed set-up before each press.
#[derive(Clone, Copy)]
enum Setup {
    None,
    /// `g` first (and draw), so that every `G` really jumps from the top.
    Top,
}

const ACTIONS: &[(&str, char, Setup)] = &[
    ("j (next)", 'j', Setup::None),
    ("G (jump to end)", 'G', Setup::Top),
    ("s (status filter)", 's', Setup::None),
    ("l (language filter)", 'l', Setup::None),
    ("o (sort)", 'o', Setup::None),
    ("v (mark + save)", 'v', Setup::None),
];

fn main() {
    let warmup = env_usize("FRAME_BENCH_WARMUP", 20);
    let iters = env_usize("FRAME_BENCH_ITERS", 200).max(1);
    let counts: Vec<usize> = std::env::var("FRAME_BENCH_N")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    let sizes: Vec<(u16, u16)> = std::env::var("FRAME_BENCH_SIZES")
        .ok()
        .map(|v| {
            v.split(',')
                .filter_map(|s| {
                    let (w, h) = s.trim().split_once('x')?;
                    Some((w.parse().ok()?, h.parse().ok()?))
                })
                .collect()
        })
        .unwrap_or_else(|| SIZES.to_vec());
    let keys: String =
        std::env::var("FRAME_BENCH_KEYS").unwrap_or_else(|_| ACTIONS.iter().map(|a| a.1).collect());

    println!("# copydesk: keystroke → finished frame (in memory, TestBackend)\n");
    println!(
        "{iters} timed iterations after {warmup} warm-up per row; LoadBody answered with a \
         synthetic {:.1} KB body from memory; Save = state clone + apply + `App::saved`. \
         Target: median < {} µs at 10,000 articles.\n",
        body().text.len() as f64 / 1024.0,
        TARGET.as_micros()
    );

    let inboxes: Vec<(usize, Vec<Article>, State)> = counts
        .iter()
        .map(|&n| {
            let a = articles(n);
            let s = state(&a);
            (n, a, s)
        })
        .collect();

    // App::new: the initial view build.
    println!("## App::new (initial view)\n");
    row(&[
        "N".into(),
        "median µs".into(),
        "p95 µs".into(),
        "max µs".into(),
    ]);
    row(&["--:".into(), "--:".into(), "--:".into(), "--:".into()]);
    for (n, articles, state) in &inboxes {
        let keymap = Keymap::new(&BTreeMap::new()).expect("default keymap");
        let runs = if *n >= 100_000 { 20 } else { 50 };
        let mut samples = Vec::new();
        for _ in 0..runs + 3 {
            let a = articles.iter().cloned().map(std::sync::Arc::new).collect();
            let (s, k, o) = (state.clone(), keymap.clone(), options());
            let t = Instant::now();
            let app = App::new(a, s, k, o, (80, 24));
            let d = t.elapsed();
            black_box(&app.view);
            drop(app);
            samples.push(d);
        }
        let st = stats(samples.split_off(3));
        row(&[n.to_string(), us(st.median), us(st.p95), us(st.max)]);
    }

    println!("\n## Keystroke → finished frame\n");
    keystroke_table_header();
    for (n, articles, state) in &inboxes {
        for &size in &sizes {
            for &(name, c, setup) in ACTIONS.iter().filter(|a| keys.contains(a.1)) {
                let mut screen = Screen::new(articles, state, size);
                let samples = measure(
                    warmup,
                    iters,
                    &mut screen,
                    |s| match setup {
                        Setup::None => {}
                        Setup::Top => s.press('g'),
                    },
                    |s| s.press(c),
                );
                keystroke_row(*n, size, name, samples);
            }
        }
    }

    if std::env::var("FRAME_BENCH_PAIR").as_deref() != Ok("0") {
        pair_view(&inboxes, &sizes, warmup, iters);
    }
    if std::env::var("FRAME_BENCH_PIECES").as_deref() != Ok("0") {
        pieces(&inboxes, &sizes, warmup, iters);
    }
}

/// The side-by-side view: opening it (two bodies wrapped and aligned) and scrolling it.
/// One row of a keystroke → frame table.
fn keystroke_row(n: usize, size: (u16, u16), name: &str, samples: Vec<Duration>) {
    let st = stats(samples);
    row(&[
        n.to_string(),
        format!("{}x{}", size.0, size.1),
        name.into(),
        us(st.median),
        us(st.p95),
        us(st.max),
        if st.median < TARGET { "yes" } else { "NO" }.into(),
    ]);
}

/// The header of a keystroke → frame table.
fn keystroke_table_header() {
    row(&[
        "N".into(),
        "size".into(),
        "action".into(),
        "median µs".into(),
        "p95 µs".into(),
        "max µs".into(),
        "< 2 ms".into(),
    ]);
    row(&[
        "--:".into(),
        "---".into(),
        "---".into(),
        "--:".into(),
        "--:".into(),
        "--:".into(),
        ":-:".into(),
    ]);
}

fn pair_view(
    inboxes: &[(usize, Vec<Article>, State)],
    sizes: &[(u16, u16)],
    warmup: usize,
    iters: usize,
) {
    println!("\n## Side-by-side view: keystroke → finished frame\n");
    keystroke_table_header();
    let cases: [(&str, char, char); 3] = [
        ("p (open the pair)", 'p', '\u{1b}'),
        ("j (scroll both)", 'j', 'g'),
        ("G (end of both)", 'G', 'g'),
    ];
    for (n, articles, state) in inboxes {
        let mut articles = articles.clone();
        if articles.len() >= 2 {
            articles[0].rare_mut().translation_of = Some(articles[1].id.clone());
        }
        for &size in sizes {
            for (name, timed, before) in cases {
                let mut screen = Screen::new(&articles, state, size);
                screen.press('p');
                assert!(screen.app.pair.is_some(), "the pair opens");
                let samples = measure(
                    warmup,
                    iters,
                    &mut screen,
                    |s| {
                        if before == '\u{1b}' {
                            s.press_code(KeyCode::Esc);
                        } else {
                            s.press(before);
                        }
                    },
                    |s| s.press(timed),
                );
                keystroke_row(*n, size, name, samples);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Where the time goes

/// Times the parts of a keystroke separately, per terminal size.
fn pieces(
    inboxes: &[(usize, Vec<Article>, State)],
    sizes: &[(u16, u16)],
    warmup: usize,
    iters: usize,
) {
    let names = [
        "draw only, no key (ui::draw + TestBackend)",
        "ui::list::draw",
        "ui::status::draw (calls App::counts)",
        "App::counts",
        "reader::build_lines, body loaded",
        "j: handle_key + body_loaded, no draw",
        "recompute_view, sort date, no filter",
        "recompute_view, sort lang",
        "recompute_view, sort status",
        "recompute_view, sort signals",
        "- filter pass with a status filter (replica)",
        "- visible-id BTreeSet (replica)",
        "languages() (replica)",
        "State::clone (Save)",
        "v: handle_key + clone + apply + saved, no draw",
    ];
    let iters = iters.min(100);
    for &size in sizes {
        println!("\n## Pieces at {}x{} (median µs)\n", size.0, size.1);
        let mut header = vec!["piece".to_string()];
        header.extend(inboxes.iter().map(|(n, ..)| format!("N={n}")));
        row(&header);
        let mut align = vec!["---".to_string()];
        align.extend(inboxes.iter().map(|_| "--:".to_string()));
        row(&align);
        let mut table: Vec<Vec<String>> = names.iter().map(|n| vec![(*n).to_string()]).collect();
        for (_, articles, state) in inboxes {
            for (line, d) in table
                .iter_mut()
                .zip(pieces_of(articles, state, size, warmup, iters))
            {
                line.push(us(d));
            }
        }
        for line in &table {
            row(line);
        }
    }
}

fn pieces_of(
    articles: &[Article],
    state: &State,
    size: (u16, u16),
    warmup: usize,
    iters: usize,
) -> Vec<Duration> {
    let mut s = Screen::new(articles, state, size);
    let theme = Theme { color: true };
    let panes = s.app.panes();
    let list_area = panes.list.expect("a list pane");
    let reader_width = usize::from(panes.reader.expect("a reader pane").width - 2);
    let status_area = panes.status;
    let loaded: Result<Body, String> = Ok(body());
    let mut results: Vec<Duration> = Vec::new();
    let mut m = |s: &mut Screen, f: &mut dyn FnMut(&mut Screen)| {
        let samples = measure(warmup, iters, s, |_| {}, f);
        results.push(stats(samples).median);
    };
    m(&mut s, &mut |s| s.draw());
    m(&mut s, &mut |s| {
        let app = &s.app;
        s.terminal
            .draw(|f| copydesk::ui::list::draw(f, app, list_area, theme))
            .expect("draw");
    });
    m(&mut s, &mut |s| {
        let app = &s.app;
        s.terminal
            .draw(|f| copydesk::ui::status::draw(f, app, status_area, theme))
            .expect("draw");
    });
    m(&mut s, &mut |s| {
        black_box(s.app.counts());
    });
    m(&mut s, &mut |s| {
        let app = &s.app;
        let a = app.current().expect("an article under the cursor");
        black_box(copydesk::ui::reader::build_lines(
            a,
            app.state.articles.get(&*a.id),
            Some(&loaded),
            reader_width,
            &app.options,
        ));
    });
    m(&mut s, &mut |s| {
        let effects = s.app.handle_key(key('j'));
        run(&mut s.app, effects, &s.body);
    });
    for sort in [
        SortKey::Date,
        SortKey::Lang,
        SortKey::Status,
        SortKey::Signals,
    ] {
        s.app.sort = sort;
        m(&mut s, &mut |s| {
            let id = s.app.current().map(|a| a.id.clone());
            s.app.recompute_view(id.as_deref());
        });
    }
    s.app.sort = SortKey::Date;
    s.app.recompute_view(None);
    // What `passes` does per article once a status filter is set: one state lookup.
    m(&mut s, &mut |s| {
        let app = &s.app;
        let v: Vec<usize> = (0..app.articles.len())
            .filter(|&i| app.state.status_of(&app.articles[i].id) == Status::Untriaged)
            .collect();
        black_box(v);
    });
    m(&mut s, &mut |s| {
        let app = &s.app;
        let visible: BTreeSet<&str> = app.view.iter().map(|&i| &*app.articles[i].id).collect();
        black_box(visible.len());
    });
    m(&mut s, &mut |s| {
        let set: BTreeSet<&str> = s.app.articles.iter().map(|a| &*a.lang).collect();
        let langs: Vec<String> = set.into_iter().map(str::to_string).collect();
        black_box(langs);
    });
    m(&mut s, &mut |s| {
        black_box(s.app.state.clone());
    });
    m(&mut s, &mut |s| {
        let effects = s.app.handle_key(key('v'));
        for e in effects {
            if let Effect::Save {
                changes,
                kind,
                inverse,
            } = e
            {
                let done = save_in_memory(&mut s.app.state, &changes);
                black_box(s.app.saved(Ok(done), &changes, kind, inverse));
            }
        }
    });
    results
}
