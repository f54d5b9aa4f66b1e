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
const HOSTILE_LANG: &str = "<!doctype html><html lang=\"e\u{1b}[2Jx\"><head><title>Hostile lang</title></head><body><article><p>The council met on Monday evening and voted the budget through after a long debate about roads.</p></article></body></html>";
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
        crate::tui::tests::shared(&inbox.articles),
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
        "┌ 4 of 4 · times +07:00 ───────────────────────────────────────────────────────┐",
        "│ · 11-26 08:00 fr        Grève au port de Sète                                │",
        "│ · 11-25 07:00 ja        港の新しい灯台が完成                                 │",
        "│ · 11-24 14:00 ar        يرحب فحتم حاتتفا                                     │",
        "│ · 11-18 18:06 en     S  Breaking ␛]0;pwned␇ news ␛[2J today                  │",
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
        .position(|&i| &*app.articles[i].id == "hostile")
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
        .position(|&i| &*app.articles[i].lang == "ja")
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
        .position(|&i| &*app.articles[i].lang == "ar")
        .expect("ar");
    let on = text_of(&render(&mut app, dir.path(), 80, 24)).join("\n");
    assert!(on.contains("يرحب فحتم حاتتفا"), "{on}");
    options.bidi = false;
    let mut app = app_over(&inbox, options);
    app.cursor = app
        .view
        .iter()
        .position(|&i| &*app.articles[i].lang == "ar")
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
    assert!(
        lines[0].starts_with("+ 4 of 4 - times +07:00 ---"),
        "{}",
        lines[0]
    );
    assert!(lines[23].starts_with(".4 v0 ?0 !0"), "{}", lines[23]);
    // The reader's own labels too: its signal line about a plain-ASCII "Share:".
    crate::tui::tests::go_to(&mut app, "hostile");
    let lines = text_of(&render(&mut app, dir.path(), 80, 24));
    let signal = lines
        .iter()
        .find(|l| l.contains("share-residue"))
        .expect("the signal line");
    assert!(signal.is_ascii(), "{signal}");
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

/// The sample inbox's translations, with their originals, as the pair view finds them.
const PAIRS: &[(&str, &str)] = &[
    ("mt/banjir-semarang.zh", "mt/banjir-semarang.id"),
    ("mt/banjir-semarang.ja", "mt/banjir-semarang.id"),
    ("mt/banjir-semarang.ar", "mt/banjir-semarang.id"),
    ("mt/banjir-semarang.fr", "mt/banjir-semarang.id"),
    ("mt/panen-padi-demak.en", "panen-demak-2026"),
    ("mt/banjir-kelantan.en", "mt/banjir-kelantan.ms"),
];

/// The sample inbox at `w`x`h` with the pair of `translation` open, and its screen.
fn pair_screen(
    translation: &str,
    w: u16,
    h: u16,
    options: crate::tui::app::Options,
) -> (App, Buffer) {
    use crate::tui::tests::{app, go_to, press};
    let mut app = app();
    app.options = options;
    app.resize(w, h);
    go_to(&mut app, translation);
    press(&mut app, "p");
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal.draw(|f| super::draw(f, &app)).expect("draw");
    let buffer = terminal.backend().buffer().clone();
    (app, buffer)
}

/// Row `y` of the buffer between columns `x0` (included) and `x1` (excluded), wide characters once.
fn cells(buffer: &Buffer, y: u16, x0: u16, x1: u16) -> String {
    let mut out = String::new();
    let mut x = x0;
    while x < x1 {
        let symbol = buffer[(x, y)].symbol();
        out.push_str(symbol);
        x += (unicode_width::UnicodeWidthStr::width(symbol) as u16).max(1);
    }
    out
}

#[test]
fn pairs_align_paragraphs_and_fit_their_columns_at_80x24_and_200x50() {
    for (w, h) in [(80, 24), (200, 50)] {
        for &(translation, original) in PAIRS {
            let (app, buffer) = pair_screen(translation, w, h, crate::tui::tests::options());
            let pair = app.pair.as_ref().expect("pair");
            assert_eq!(
                (pair.original.as_str(), pair.translation.as_str()),
                (original, translation)
            );
            let panes = app.pair_panes();
            assert_eq!(panes.stacked, w < 120);
            let screen = text_of(&buffer).join("\n");
            for (rows, rect, label, id) in [
                (&pair.rows.left, panes.original, "original", original),
                (
                    &pair.rows.right,
                    panes.translation,
                    "translation",
                    translation,
                ),
            ] {
                let lang = app.article(id).expect("article").lang.clone();
                let title = cells(&buffer, rect.y, rect.x, rect.right());
                assert!(
                    title.contains(label)
                        && title.contains(&format!(" · {lang} · untriaged · {id} ")),
                    "{w}x{h}: '{title}'"
                );
                let inner = usize::from(rect.width - 2);
                for (k, row) in rows.iter().take(usize::from(rect.height - 2)).enumerate() {
                    let y = rect.y + 1 + k as u16;
                    // Borders intact and the whole line drawn: nothing cut, nothing spilled.
                    assert_eq!(buffer[(rect.x, y)].symbol(), "│", "{w}x{h} {id}\n{screen}");
                    assert_eq!(
                        buffer[(rect.right() - 1, y)].symbol(),
                        "│",
                        "{w}x{h} {id}\n{screen}"
                    );
                    let drawn = cells(&buffer, y, rect.x + 1, rect.right() - 1);
                    assert_eq!(
                        drawn.trim(),
                        row.line.text.trim(),
                        "{w}x{h} {id} row {k}\n{screen}"
                    );
                    assert!(crate::listing::width_of(&row.line.text) <= inner);
                }
            }
            // Paragraph N starts on the same row of both panes (same screen row side by side,
            // same offset stacked), with text on both sides.
            let visible = usize::from(panes.original.height.min(panes.translation.height) - 2);
            let mut checked = 0;
            let paragraphs = &pair.rows.starts[1..=pair.rows.paragraphs];
            assert!(paragraphs.len() >= 5, "{translation}: {paragraphs:?}");
            for &start in paragraphs.iter().filter(|&&s| s < visible) {
                let left = cells(
                    &buffer,
                    panes.original.y + 1 + start as u16,
                    panes.original.x + 1,
                    panes.original.right() - 1,
                );
                let right = cells(
                    &buffer,
                    panes.translation.y + 1 + start as u16,
                    panes.translation.x + 1,
                    panes.translation.right() - 1,
                );
                let prev = |r: &crate::tui::app::Pair, s: usize| {
                    r.rows.left[s - 1].line.text.is_empty()
                        && r.rows.right[s - 1].line.text.is_empty()
                };
                assert!(
                    !left.trim().is_empty() && !right.trim().is_empty(),
                    "{w}x{h} {translation} row {start}\n{screen}"
                );
                assert!(
                    prev(pair, start),
                    "a blank row before each paragraph on both sides"
                );
                checked += 1;
            }
            assert!(
                checked >= 1,
                "{w}x{h} {translation}: no paragraph start visible\n{screen}"
            );
        }
    }
}

#[test]
fn the_first_paragraphs_face_each_other_in_the_real_text() {
    let (app, buffer) = pair_screen(
        "mt/banjir-semarang.ar",
        200,
        50,
        crate::tui::tests::options(),
    );
    let lines = text_of(&buffer);
    let y = lines
        .iter()
        .position(|l| l.starts_with("│SEMARANG - Hujan deras"))
        .expect("the original's first paragraph");
    // Right to left, reordered, right-aligned, brackets facing the date.
    assert!(
        lines[y].trim_end().ends_with("- (24/11/2026) غناراميس│"),
        "{}",
        lines[y]
    );
    let (app_ja, buffer_ja) = pair_screen(
        "mt/banjir-semarang.ja",
        200,
        50,
        crate::tui::tests::options(),
    );
    let lines_ja = text_of(&buffer_ja);
    assert!(lines_ja[y].starts_with("│SEMARANG - Hujan deras"));
    assert!(
        lines_ja[y].contains("││スマラン、2026年11月24日"),
        "{}",
        lines_ja[y]
    );
    let stacked = pair_screen(
        "mt/banjir-semarang.ja",
        80,
        24,
        crate::tui::tests::options(),
    )
    .0;
    let panes = stacked.pair_panes();
    assert!(panes.stacked && panes.original.bottom() <= panes.translation.y);
    drop((app, app_ja));
}

#[test]
fn the_pair_view_in_ascii_and_without_colour() {
    let mut options = crate::tui::tests::options();
    options.ascii = true;
    options.color = false;
    let (_app, buffer) = pair_screen("mt/banjir-semarang.zh", 80, 24, options);
    let lines = text_of(&buffer);
    assert!(
        lines[0].starts_with("+ original | id | untriaged | mt/banjir-semarang.id ---"),
        "{}",
        lines[0]
    );
    assert!(
        lines[23].is_ascii() && lines[23].contains("p next | Esc back"),
        "{}",
        lines[23]
    );
    let coloured = buffer
        .content
        .iter()
        .any(|c| c.fg != ratatui::style::Color::Reset || c.bg != ratatui::style::Color::Reset);
    assert!(!coloured);
}

#[test]
fn a_hostile_declared_language_is_shown_not_sent() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.html"), HOSTILE_LANG).expect("write");
    let inbox = Inbox::scan(
        dir.path(),
        ScanOptions {
            zone: crate::tui::tests::options().zone,
        },
    )
    .expect("scan");
    // The readers now normalise declared languages; a reader that one day lets a raw value
    // through must still not reach the terminal, so put the raw value back.
    let mut inbox = inbox;
    if !inbox.articles[0].lang_label().contains('\u{1b}') {
        inbox.articles[0].declared_lang = Some("e\u{1b}[2Jx".into());
    }
    assert!(
        inbox.articles[0].lang_label().contains('\u{1b}'),
        "the case this test is about"
    );
    let mut app = app_over(&inbox, crate::tui::tests::options());
    let all = text_of(&render(&mut app, dir.path(), 80, 24)).join("\n");
    assert!(!all.contains('\u{1b}'), "{all}");
    assert!(all.contains("en≠e␛[2Jx"), "{all}");
}

#[test]
fn the_help_fits_its_keys_in_80_columns_grouped_by_place() {
    let (dir, inbox) = inbox();
    let mut app = app_over(&inbox, crate::tui::tests::options());
    app.help = Some(0);
    let screen = text_of(&render(&mut app, dir.path(), 80, 24)).join("\n");
    for words in [
        "mark verified",
        "mark needs-review",
        "mark translation-suspect",
        "back to untriaged",
        "write or edit the note",
        "search id, title, text",
        "filter: with signals",
        "cycle the sort order",
        "quit (also C-c)",
        "anywhere",
        "in the list",
        "in the reader",
    ] {
        assert!(screen.contains(words), "{words:?} missing:\n{screen}");
    }
    // Under tmux's status line the terminal is a row shorter: the legend must still be whole.
    let short = text_of(&render(&mut app, dir.path(), 80, 23)).join("\n");
    for kind in crate::signals::SignalKind::ALL {
        let legend = format!("{} {}", kind.marker(), kind.as_str());
        for screen in [&screen, &short] {
            assert!(
                screen.contains(&legend),
                "{legend:?} missing or cut:\n{screen}"
            );
        }
    }
}

#[test]
fn files_that_could_not_be_read_are_counted_in_the_status_line() {
    let (dir, inbox) = inbox();
    let mut app = app_over(&inbox, crate::tui::tests::options());
    let status = |app: &mut App| {
        let screen = text_of(&render(app, dir.path(), 80, 24));
        screen[23].clone()
    };
    assert!(!status(&mut app).contains("unreadable"));
    app.unreadable = 3;
    let line = status(&mut app);
    assert!(line.contains(" 3 unreadable "), "{line}");
}

#[test]
fn a_help_taller_than_the_screen_scrolls_and_any_other_key_closes_it() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let (dir, inbox) = inbox();
    let mut app = app_over(&inbox, crate::tui::tests::options());
    let press = |app: &mut App, code: KeyCode| {
        app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    };
    // At 80x24 it fits: the first key closes it, whatever it is.
    render(&mut app, dir.path(), 80, 24);
    press(&mut app, KeyCode::Char('?'));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.help, None);
    // At 40x12 one readable column, scrolled.
    render(&mut app, dir.path(), 40, 12);
    press(&mut app, KeyCode::Char('?'));
    let top = text_of(&render(&mut app, dir.path(), 40, 12)).join("\n");
    assert!(top.contains(" keys 1-10/"), "{top}");
    assert!(top.contains(" j k scroll "), "{top}");
    assert!(top.contains("anywhere"), "{top}");
    assert!(top.contains("v            mark verified"), "{top}");
    assert!(!top.contains("orphan-translation"), "{top}");
    press(&mut app, KeyCode::Char('j'));
    let one_down = text_of(&render(&mut app, dir.path(), 40, 12)).join("\n");
    assert!(!one_down.contains("anywhere"), "{one_down}");
    assert!(one_down.contains("PageDown C-d"), "{one_down}");
    press(&mut app, KeyCode::Char('G'));
    let end = text_of(&render(&mut app, dir.path(), 40, 12)).join("\n");
    assert!(end.contains("O orphan-translation"), "{end}");
    assert!(end.contains("in the reader"), "{end}");
    // Past the end it stays at the end: one step up shows one line more of the top.
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('k'));
    let back = text_of(&render(&mut app, dir.path(), 40, 12)).join("\n");
    assert!(!back.contains("O orphan-translation"), "{back}");
    press(&mut app, KeyCode::Char('v'));
    assert_eq!(app.help, None);
    assert!(
        app.state.status_of(&app.articles[app.view[0]].id) == crate::state::Status::Untriaged,
        "the key that closes the help does nothing else"
    );
}

#[test]
fn the_prompt_draws_its_cursor_where_it_is_and_keeps_it_on_screen() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let (dir, inbox) = inbox();
    let mut app = app_over(&inbox, crate::tui::tests::options());
    render(&mut app, dir.path(), 80, 24);
    let press = |app: &mut App, code: KeyCode, modifiers: KeyModifiers| {
        app.handle_key(KeyEvent::new(code, modifiers));
    };
    press(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
    for c in "check quotes".chars() {
        press(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
    }
    for _ in 0.."quotes".len() {
        press(&mut app, KeyCode::Left, KeyModifiers::NONE);
    }
    press(&mut app, KeyCode::Char('w'), KeyModifiers::CONTROL);
    let screen = text_of(&render(&mut app, dir.path(), 80, 24));
    assert_eq!(screen[23].trim_end(), "Note: ▏quotes");
    // A note longer than the line: its end, where the cursor is, stays in view.
    press(&mut app, KeyCode::End, KeyModifiers::NONE);
    for c in " and the dateline of the second paragraph, which the wire got wrong".chars() {
        press(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
    }
    let screen = text_of(&render(&mut app, dir.path(), 40, 12));
    let last = screen[11].trim_end();
    assert!(
        last.starts_with("Note: …") && last.ends_with("the wire got wrong▏"),
        "{last:?}"
    );
}

#[test]
fn the_help_draws_in_a_terminal_of_any_size_over_any_view() {
    let (mut app, _) = pair_screen(PAIRS[0].0, 80, 24, crate::tui::tests::options());
    app.help = Some(0);
    for (w, h) in [(70, 2), (70, 1), (1, 1), (20, 5), (200, 3)] {
        for pair in [true, false] {
            if !pair {
                app.pair = None;
            }
            app.resize(w, h);
            let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            terminal.draw(|f| super::draw(f, &app)).expect("draw");
        }
    }
}

#[test]
fn a_language_mismatch_keeps_its_row_in_line_in_ascii_too() {
    let (dir, mut inbox) = inbox();
    // The French article declared German: `fr≠de`, in ASCII `fr!=de`.
    let fr = inbox
        .articles
        .iter()
        .position(|a| &*a.lang == "fr")
        .expect("the French article");
    inbox.articles[fr].declared_lang = Some("de".into());
    for ascii in [false, true] {
        let options = crate::tui::app::Options {
            ascii,
            ..crate::tui::tests::options()
        };
        let mut app = app_over(&inbox, options);
        let lines = text_of(&render(&mut app, dir.path(), 80, 24));
        let mismatch = if ascii { "fr!=de" } else { "fr≠de" };
        let row = lines
            .iter()
            .find(|l| l.contains(mismatch))
            .unwrap_or_else(|| panic!("{mismatch} missing:\n{}", lines.join("\n")));
        let other = lines
            .iter()
            .find(|l| l.contains("Breaking"))
            .expect("the English row");
        let column = |line: &str, text: &str| line.find(text).map(|b| line[..b].chars().count());
        assert_eq!(
            column(row, "Grève"),
            column(other, "Breaking"),
            "titles out of line:\n{row}\n{other}"
        );
    }
}

#[test]
fn a_message_too_long_for_the_status_line_ends_in_an_ellipsis() {
    let (dir, inbox) = inbox();
    let mut app = app_over(&inbox, crate::tui::tests::options());
    app.message = Some((
        "export failed: /home/ayu/exports/copydesk-20261127-0915.csv: No space left on device (os error 28)".into(),
        crate::tui::app::Level::Error,
    ));
    let screen = text_of(&render(&mut app, dir.path(), 80, 24));
    let status = screen[23].trim_end();
    assert!(status.starts_with("export failed: /home/ayu"), "{status}");
    // Cut with a sign, before the counts, which stay in view.
    assert!(status.ends_with("… ·4 ✓0 ?0 !0 1/4"), "{status:?}");
    // A message that fits is not touched, and the counts follow it.
    app.message = Some(("cancelled".into(), crate::tui::app::Level::Info));
    let screen = text_of(&render(&mut app, dir.path(), 80, 24));
    assert!(
        screen[23].trim_end().ends_with("cancelled"),
        "{}",
        screen[23]
    );
}

#[test]
fn the_reader_says_when_a_decided_articles_file_was_written_after_the_decision() {
    use crate::state::{Change, NoteChange, Status};
    let (dir, inbox) = inbox();
    let a = inbox
        .articles
        .iter()
        .find(|a| a.title.starts_with("Grève"))
        .expect("the French article");
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-27T09:00:00+07:00").expect("time");
    let mut state = State::default();
    let change = Change::new(a.id.to_string(), Status::Verified, NoteChange::Keep);
    state.apply(&change, "ayu", at);
    let written = |rfc3339: &str| {
        let when = chrono::DateTime::parse_from_rfc3339(rfc3339).expect("time");
        let file = std::fs::File::options()
            .write(true)
            .open(dir.path().join("greve.md"))
            .expect("open");
        file.set_modified(when.into()).expect("mtime");
    };
    let screen = |state: &State| {
        let mut app = App::new(
            crate::tui::tests::shared(&inbox.articles),
            state.clone(),
            Keymap::new(&BTreeMap::new()).expect("keys"),
            crate::tui::tests::options(),
            (200, 30),
        );
        text_of(&render(&mut app, dir.path(), 200, 30)).join("\n")
    };
    written("2026-11-27T01:00:00Z");
    assert!(!screen(&state).contains("written again"));
    written("2026-11-27T03:00:00Z");
    let shown = screen(&state);
    assert!(
        shown.contains("! its file was written again at 2026-11-27 10:00, after this decision"),
        "{shown}"
    );
}

/// The status line at this width, without its trailing blanks.
fn status_at(app: &mut App, root: &std::path::Path, width: u16) -> String {
    let screen = text_of(&render(app, root, width, 24));
    screen[23].trim_end().to_string()
}

const COUNTS: &str = "·4 ✓0 ?0 !0 1/4";

/// The status line begins with the error `head` and ends with the counts, the error cut.
fn assert_error_beside_counts(status: &str, head: &str, width: u16) {
    assert!(status.starts_with(head), "{width}: {status}");
    assert!(
        status.ends_with(&format!("… {COUNTS}")),
        "{width}: {status}"
    );
}

/// h39: the reason came first and filled the line, so the counts were cut off for as long as
/// the screen could not save, and it read "READ-ONLY read-only: ...".
#[test]
fn a_read_only_screen_keeps_its_counts_beside_the_reason_and_says_so_once() {
    let (dir, inbox) = inbox();
    let why = "state file 'state.toml': cannot write files beside it: permission denied";
    let once = |status: &str| status.to_lowercase().matches("read-only").count() == 1;
    for width in [80, 60] {
        let mut app = app_over(&inbox, crate::tui::tests::options());
        app.opened_read_only(why.into());
        let status = status_at(&mut app, dir.path(), width);
        assert_error_beside_counts(
            &status,
            "READ-ONLY state file 'state.toml': cannot w",
            width,
        );
        assert!(once(&status), "{width}: {status}");
        // A refused mark says what was refused, once, and the counts stay.
        crate::tui::tests::press(&mut app, "v");
        let status = status_at(&mut app, dir.path(), width);
        assert_error_beside_counts(
            &status,
            "READ-ONLY not saved: state file 'state.toml",
            width,
        );
        assert!(once(&status), "{width}: {status}");
        // A state file that cannot be read says so all session, beside the counts too.
        let mut app = app_over(&inbox, crate::tui::tests::options());
        app.state_unreadable(
            "state file 'state.toml', line 2: unclosed table, expected `]` (the file was left untouched)"
                .into(),
        );
        let status = status_at(&mut app, dir.path(), width);
        assert_error_beside_counts(
            &status,
            "READ-ONLY state file 'state.toml', line 2: ",
            width,
        );
    }
}

/// h39: a failed save stays until Esc or a save that works, and it hid the counts meanwhile.
#[test]
fn a_failed_save_leaves_the_counts_on_the_status_line() {
    let (dir, inbox) = inbox();
    let failed = "NOT SAVED: wire/pasar-malam-ipoh verified: state file 'state.toml' is locked by \
                  another editor's save for more than 10 s; try again (the lock ends with the \
                  process holding it: removing the lock file does not help)";
    for width in [80, 60] {
        let mut app = app_over(&inbox, crate::tui::tests::options());
        app.save_failed = Some(failed.into());
        let status = status_at(&mut app, dir.path(), width);
        assert_error_beside_counts(
            &status,
            "NOT SAVED: wire/pasar-malam-ipoh verified: ",
            width,
        );
        // A long rest (filter, sort, selection) still leaves the error its first 40 columns,
        // beside the counts.
        app.filter.lang = Some("fr".into());
        app.sort = crate::tui::app::SortKey::Signals;
        app.selection = app.articles.iter().map(|a| a.id.to_string()).collect();
        let status = status_at(&mut app, dir.path(), width);
        assert!(
            status.starts_with("NOT SAVED: wire/pasar-malam-ipoh verif"),
            "{width}: {status}"
        );
        assert!(status.contains("… ·4 ✓0 ?0 !0 "), "{width}: {status}");
        assert!(
            width < 80 || status.contains(" filter:fr "),
            "{width}: {status}"
        );
    }
}
