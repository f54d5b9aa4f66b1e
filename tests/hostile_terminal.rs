//! Nothing from the hostile corpus reaches the terminal: every article of tests/fixtures/hostile/
//! rendered in the screen (list and reader, ratatui `TestBackend`, wide and ASCII), and printed
//! by `show`, `list`, `export` and `report`. Escape sequences, bidi overrides and zero-width
//! characters are shown visibly, "Trojan Source" style.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{FixedOffset, NaiveDate};
use copydesk::cli::ExportFormat;
use copydesk::config::AfterMark;
use copydesk::inbox::{self, Inbox, ScanOptions};
use copydesk::state::State;
use copydesk::time::Zone;
use copydesk::tui::app::{App, Effect, Options};
use copydesk::tui::keymap::Keymap;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use common::Desk;

fn hostile_desk() -> Desk {
    let desk = Desk::empty();
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile"),
        &desk.inbox,
    );
    desk
}

/// What may not reach a terminal: C0 (but newline), DEL, C1, bidi embeddings, overrides and
/// isolates, zero-width characters.
fn unsafe_chars(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c,
                    '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' |
                    '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}')
        })
        .collect()
}

fn options(ascii: bool) -> Options {
    Options {
        editor: "ayu".into(),
        zone: Zone::Fixed(FixedOffset::east_opt(7 * 3600).expect("offset")),
        today: NaiveDate::from_ymd_opt(2026, 11, 27).expect("day"),
        ascii,
        bidi: true,
        color: true,
        after_mark: AfterMark::NextUntriaged,
        export_format: ExportFormat::Csv,
        export_dir: ".".into(),
    }
}

fn screen(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Every article in turn under the cursor with its body loaded in the reader: the screens.
fn every_screen(root: &Path, inbox: &Inbox, ascii: bool, size: (u16, u16)) -> Vec<String> {
    let mut app = App::new(
        inbox
            .articles
            .iter()
            .cloned()
            .map(std::sync::Arc::new)
            .collect(),
        State::default(),
        Keymap::new(&BTreeMap::new()).expect("keys"),
        options(ascii),
        size,
    );
    app.resize(size.0, size.1);
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).expect("terminal");
    let mut effects = app.start();
    let mut screens = Vec::new();
    for _ in 0..inbox.articles.len() {
        for effect in effects.drain(..) {
            if let Effect::LoadBody { id, location } = effect {
                app.body_loaded(&id, inbox::load_body(root, &location));
            }
        }
        terminal
            .draw(|f| copydesk::ui::draw(f, &app))
            .expect("draw");
        screens.push(screen(terminal.backend().buffer()));
        effects = app.handle_key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
    }
    screens
}

#[test]
fn no_hostile_article_reaches_the_screen_and_tricks_are_shown_visibly() {
    let desk = hostile_desk();
    let zone = Zone::Fixed(FixedOffset::east_opt(7 * 3600).expect("offset"));
    let inbox = Inbox::scan(&desk.inbox, ScanOptions { zone }).expect("scan");
    assert!(inbox.articles.len() > 30, "{}", inbox.articles.len());
    for (ascii, size) in [(false, (140, 40)), (true, (80, 24))] {
        let screens = every_screen(&desk.inbox, &inbox, ascii, size);
        for s in &screens {
            let bad = unsafe_chars(s);
            assert!(bad.is_empty(), "ascii={ascii}: {bad:?} on screen:\n{s}");
        }
        let all = screens.concat();
        let (esc, rlo, zwsp, bel) = if ascii {
            ("^[]0;pwned", "<RLO>dengiser<PDF>", "<ZWSP>", "^G")
        } else {
            ("␛]0;pwned", "‹RLO›dengiser‹PDF›", "‹ZWSP›", "␇")
        };
        for shown in [esc, rlo, zwsp, bel] {
            assert!(all.contains(shown), "ascii={ascii}: '{shown}' is not shown");
        }
    }
}

#[test]
fn show_list_export_and_report_print_hostile_articles_visibly_and_safely() {
    let desk = hostile_desk();
    let rows = desk.list_json(&[]);
    let mut printed = Vec::new();
    for r in &rows {
        let id = r["id"].as_str().expect("id");
        let run = desk.run(&["show", id]);
        assert_eq!(run.code, Some(0), "show {id}: {}", run.stderr);
        printed.push((format!("show {id}"), run.stdout));
    }
    for args in [
        &["list"][..],
        &["list", "--ascii"],
        &["export", "--format", "text"],
        &["export", "--format", "markdown"],
        &["report", "--date", "today"],
        &["report", "--date", "today", "--format", "json"],
        &["list", "--format", "json"],
        &["export", "--format", "json"],
        &["check"],
    ] {
        printed.push((format!("{args:?}"), desk.ok(args)));
    }
    for (what, out) in &printed {
        let bad = unsafe_chars(out);
        assert!(bad.is_empty(), "{what} printed {bad:?}:\n{out}");
    }
    let shown = |id: &str| {
        printed
            .iter()
            .find(|(w, _)| w == &format!("show {id}"))
            .map(|(_, o)| o.as_str())
            .unwrap_or_else(|| panic!("{id} not shown"))
    };
    let bidi = shown("bidi-trojan");
    assert!(bidi.contains("‹RLO›dengiser‹PDF›"), "{bidi}");
    assert!(bidi.contains("‹ZWSP›") && bidi.contains("‹ZWJ›"), "{bidi}");
    assert!(bidi.contains("‹LRI›") || bidi.contains("‹RLI›"), "{bidi}");
    assert!(shown("escape-osc-title").contains("␛]0;pwned␇"));
    assert!(shown("escape-osc52-clipboard").contains("␛]52;c;"));
    assert!(shown("escape-csi").contains("␛[2J"));
    assert!(shown("escape-dcs").contains("␛P"));
    assert!(shown("c1-controls").contains("<U+009B>"));
    assert!(shown("escape-front-matter").contains("Night bus ␛]0;pwned␇"));
}
