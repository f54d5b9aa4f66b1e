//! View tests with ratatui's `TestBackend`: whole screens at 80x24, and the hard cases (CJK
//! width, Arabic order, escape sequences, wide terminals, no colour).

use std::collections::BTreeMap;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::inbox::{self, Inbox, ScanOptions};
use crate::state::State;
use crate::tui::app::App;
use crate::tui::keymap::Keymap;

const FR: &str = "---\ntitle: Grève au port de Sète\ndate: 2026-11-26T08:00:00+07:00\nlang: fr\nsource: Dépêche Sud\n---\nLes dockers du port de Sète ont cessé le travail mardi matin pour protester contre la réorganisation des horaires de nuit, a annoncé le syndicat.\n";
const JA: &str = "---\ntitle: 港の新しい灯台が完成\ndate: 2026-11-25T09:00:00+09:00\nlang: ja\n---\n北浜港の新しい灯台が完成し、式典には多くの市民が集まった。市は観光客の増加を期待している。\n";
const AR: &str = "---\ntitle: افتتاح متحف بحري\ndate: 2026-11-24T10:00:00+03:00\nlang: ar\n---\nافتتح المجلس البلدي متحفا جديدا للتراث البحري في الميناء القديم، ويضم المتحف قوارب صيد تقليدية وأدوات الملاحة.\n";
const HOSTILE: &str = "Share:\n\nBreaking \u{1b}]0;pwned\u{7} news \u{1b}[2J today\n\nThe council met on Monday evening and voted \u{1b}[31mred\u{1b}[0m budget lines through after a long debate.\n";

fn inbox() -> (tempfile::TempDir, Inbox) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in [
        ("greve.md", FR),
        ("toudai.md", JA),
        ("mathaf.md", AR),
        ("hostile.txt", HOSTILE),
    ] {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let when = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_795_000_000);
    let file = std::fs::File::options()
        .write(true)
        .open(dir.path().join("hostile.txt"))
        .expect("open");
    file.set_modified(when).expect("mtime");
    let inbox = Inbox::scan(
        dir.path(),
        ScanOptions {
            zone: crate::tui::tests::options().zone,
        },
    )
    .expect("scan");
    (dir, inbox)
}

fn render(app: &mut App, root: &std::path::Path, w: u16, h: u16) -> Buffer {
    app.resize(w, h);
    for effect in app.start() {
        if let crate::tui::app::Effect::LoadBody { id, location } = effect {
            app.body_loaded(&id, inbox::load_body(root, &location));
        }
    }
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal.draw(|f| super::draw(f, app)).expect("draw");
    terminal.backend().buffer().clone()
}

fn app_over(inbox: &Inbox, options: crate::tui::app::Options) -> App {
    App::new(
        inbox.articles.clone(),
        State::default(),
        Keymap::new(&BTreeMap::new()).expect("keys"),
        options,
        (80, 24),
    )
}

/// The screen as text, wide characters once (their continuation cell skipped).
fn text_of(buffer: &Buffer) -> Vec<String> {
    (0..buffer.area.height)
        .map(|y| {
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..buffer.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let symbol = buffer[(x, y)].symbol();
                line.push_str(symbol);
                skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            }
            line
        })
        .collect()
}

#[test]
fn the_whole_screen_at_80x24() {
    let (dir, inbox) = inbox();
    let mut app = app_over(&inbox, crate::tui::tests::options());
    let buffer = render(&mut app, dir.path(), 80, 24);
    let lines = text_of(&buffer);
    let expected = [
        "┌ 4 of 4 ──────────────────────────────────────────────────────────────────────┐",
        "│ · 11-26 08:00 fr       Grève au port de Sète                                 │",
        "│ · 11-25 07:00 ja       港の新しい灯台が完成                                  │",
        "│ · 11-24 14:00 ar       يرحب فحتم حاتتفا                                      │",
        "│ · 11-18 18:06 en    S  Breaking ␛]0;pwned␇ news ␛[2J today                   │",
        "│                                                                              │",
        "│                                                                              │",
        "│                                                                              │",
        "└──────────────────────────────────────────────────────────────────────────────┘",
        "┌ reader 1/7 ──────────────────────────────────────────────────────────────────┐",
        "│Grève au port de Sète                                                         │",
        "│2026-11-26 08:00 (metadata) · markdown · Dépêche Sud                          │",
        "│language fr: declared fr, detected fr (100%)                                  │",
        "│· untriaged                                                                   │",
        "│                                                                              │",
        "│Les dockers du port de Sète ont cessé le travail mardi matin pour protester   │",
        "│contre la réorganisation des horaires de nuit, a annoncé le syndicat.         │",
        "│                                                                              │",
        "│                                                                              │",
        "│                                                                              │",
        "│                                                                              │",
        "│                                                                              │",
        "└──────────────────────────────────────────────────────────────────────────────┘",
        "·4 ✓0 ?0 !0 1/4 ? help                                                          ",
    ];
    let expected = Buffer::with_lines(expected);
    assert_eq!(lines, text_of(&expected), "\n{}", lines.join("\n"));
}

#[test]
fn escape_sequences_are_shown_not_sent() {
    let (dir, inbox) = inbox();
    let mut app = app_over(&inbox, crate::tui::tests::options());
    app.cursor = app
        .view
        .iter()
        .position(|&i| app.articles[i].id == "hostile")
        .expect("hostile");
    let buffer = render(&mut app, dir.path(), 80, 24);
    let all = text_of(&buffer).join("\n");
    assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "{all}");
    assert!(all.contains("voted ␛[31mred␛[0m budget"), "{all}");
}

#[test]
fn cjk_fills_double_width_cells_without_overflow() {
    let (dir, inbox) = inbox();
    let mut app = app_over(&inbox, crate::tui::tests::options());
    app.cursor = app
        .view
        .iter()
        .position(|&i| app.articles[i].lang == "ja")
        .expect("ja");
    let buffer = render(&mut app, dir.path(), 40, 24);
    let lines = text_of(&buffer);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("北浜港の新しい灯台が完成し")),
        "{}",
        lines.join("\n")
    );
    // Every line keeps its right border: nothing spilled past the pane.
    assert!(
        lines[..23]
            .iter()
            .all(|l| l.ends_with('│') || l.ends_with('┐') || l.ends_with('┘')),
        "{}",
        lines.join("\n")
    );
}

#[test]
fn arabic_is_reordered_unless_bidi_is_off() {
    let (dir, inbox) = inbox();
    let mut options = crate::tui::tests::options();
    let mut app = app_over(&inbox, options.clone());
    app.cursor = app
        .view
        .iter()
        .position(|&i| app.articles[i].lang == "ar")
        .expect("ar");
    let on = text_of(&render(&mut app, dir.path(), 80, 24)).join("\n");
    assert!(on.contains("يرحب فحتم حاتتفا"), "{on}");
    options.bidi = false;
    let mut app = app_over(&inbox, options);
    app.cursor = app
        .view
        .iter()
        .position(|&i| app.articles[i].lang == "ar")
        .expect("ar");
    let off = text_of(&render(&mut app, dir.path(), 80, 24)).join("\n");
    assert!(off.contains("افتتاح متحف بحري"), "{off}");
}

#[test]
fn wide_terminals_put_the_reader_beside_the_list() {
    let (dir, inbox) = inbox();
    let mut app = app_over(&inbox, crate::tui::tests::options());
    let lines = text_of(&render(&mut app, dir.path(), 200, 50));
    assert!(lines[0].starts_with("┌ 4 of 4 "), "{}", lines[0]);
    assert!(lines[0].contains("┐┌ reader"), "{}", lines[0]);
    assert!(
        lines[1].contains("Grève au port de Sète") && lines[1].matches("Grève").count() == 2,
        "{}",
        lines[1]
    );
}

#[test]
fn ascii_mode_draws_only_ascii() {
    let (dir, inbox) = inbox();
    let mut options = crate::tui::tests::options();
    options.ascii = true;
    let mut app = app_over(&inbox, options);
    let lines = text_of(&render(&mut app, dir.path(), 80, 24));
    let frame: String = lines
        .iter()
        .flat_map(|l| l.chars().take(1).chain(l.chars().last()))
        .collect();
    assert!(frame.is_ascii(), "{frame}");
    assert!(lines[0].starts_with("+ 4 of 4 ---"), "{}", lines[0]);
    assert!(lines[23].starts_with(".4 v0 ?0 !0"), "{}", lines[23]);
}

#[test]
fn no_color_leaves_only_reverse_and_bold() {
    let (dir, inbox) = inbox();
    let mut options = crate::tui::tests::options();
    options.color = false;
    let mut app = app_over(&inbox, options);
    let buffer = render(&mut app, dir.path(), 80, 24);
    let coloured = buffer
        .content
        .iter()
        .any(|c| c.fg != ratatui::style::Color::Reset || c.bg != ratatui::style::Color::Reset);
    assert!(!coloured);
    assert!(
        buffer[(3, 1)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED),
        "the cursor row is reversed"
    );
}

#[test]
fn list_table_fits_the_terminal_width() {
    let (_dir, inbox) = inbox();
    let state = State::default();
    let rows: Vec<crate::listing::Row> = inbox
        .articles
        .iter()
        .map(|a| crate::listing::Row::new(a, &state))
        .collect();
    let zone = crate::tui::tests::options().zone;
    for width in [40, 80] {
        let mut out = Vec::new();
        crate::listing::write_table(&rows, zone, Some(width), false, &mut out).expect("table");
        let text = String::from_utf8(out).expect("utf-8");
        assert_eq!(text.lines().count(), rows.len() + 1);
        for line in text.lines() {
            assert!(
                crate::listing::width_of(line) <= width,
                "{width}: '{line}' is {} wide",
                crate::listing::width_of(line)
            );
        }
    }
}
