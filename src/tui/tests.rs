//! Key-sequence tests: keys go through the real keymap into `update`; effects are carried out
//! in memory (saves into a `State`, bodies from the sample inbox).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Effect, Options, PromptKind};
use super::keymap::Keymap;
use crate::cli::ExportFormat;
use crate::config::AfterMark;
use crate::inbox::{self, Inbox, ScanOptions};
use crate::state::{State, Status};
use crate::time::Zone;

fn sample_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample")
}

fn sample() -> &'static Inbox {
    static INBOX: OnceLock<Inbox> = OnceLock::new();
    INBOX.get_or_init(|| {
        let zone = Zone::Fixed(FixedOffset::east_opt(7 * 3600).expect("offset"));
        Inbox::scan(&sample_root(), ScanOptions { zone }).expect("sample inbox")
    })
}

pub fn options() -> Options {
    Options {
        editor: "ayu".into(),
        zone: Zone::Fixed(FixedOffset::east_opt(7 * 3600).expect("offset")),
        today: NaiveDate::from_ymd_opt(2026, 11, 27).expect("day"),
        ascii: false,
        bidi: true,
        color: true,
        after_mark: AfterMark::NextUntriaged,
        export_format: ExportFormat::Csv,
        export_dir: ".".into(),
    }
}

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-27T10:00:00+07:00").expect("time")
}

/// An app over the sample inbox with an empty state, bodies loaded.
fn app() -> App {
    let keymap = Keymap::new(&BTreeMap::new()).expect("keymap");
    let mut app = App::new(
        sample().articles.clone(),
        State::default(),
        keymap,
        options(),
        (80, 24),
    );
    let effects = app.start();
    run(&mut app, effects);
    app
}

/// Carries out effects in memory, like the event loop does with files.
fn run(app: &mut App, mut effects: Vec<Effect>) {
    while let Some(effect) = effects.pop() {
        match effect {
            Effect::Save {
                changes,
                kind,
                inverse,
            } => {
                let mut state = app.state.clone();
                let skipped = changes
                    .iter()
                    .filter(|c| !state.apply(c, "ayu", now()))
                    .map(|c| c.id.clone())
                    .collect();
                effects.extend(app.saved(Ok((state, skipped)), &changes, kind, inverse));
            }
            Effect::LoadBody { id, location } => {
                app.body_loaded(&id, inbox::load_body(&sample_root(), &location))
            }
            Effect::Search { query } => {
                let ids = super::search(app.visible(), &sample_root(), &query);
                effects.extend(app.search_done(query, ids));
            }
            Effect::Export { .. } | Effect::Quit => {}
        }
    }
}

fn key(name: &str) -> KeyEvent {
    let code = match name {
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Space" => KeyCode::Char(' '),
        "Tab" => KeyCode::Tab,
        "BSpace" => KeyCode::Backspace,
        s => KeyCode::Char(s.chars().next().expect("key")),
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Types space-separated key names.
fn press(app: &mut App, keys: &str) {
    for k in keys.split(' ').filter(|k| !k.is_empty()) {
        let effects = app.handle_key(key(k));
        run(app, effects);
    }
}

/// Types text into a prompt, character by character.
fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        let effects = app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        run(app, effects);
    }
}

fn id_at(app: &App, pos: usize) -> String {
    app.articles[app.view[pos]].id.clone()
}

#[test]
fn j_j_v_marks_the_third_article_and_moves_to_the_next_untriaged() {
    let mut app = app();
    let third = sample().articles[2].id.clone();
    press(&mut app, "j j v");
    assert_eq!(app.state.status_of(&third), Status::Verified);
    assert_eq!(app.state.articles[&third].editor, "ayu");
    assert_eq!(app.cursor, 3);
    assert_eq!(app.counts()[1], (Status::Verified, 1));
    assert_eq!(app.reader.id.as_deref(), Some(id_at(&app, 3).as_str()));
}

#[test]
fn a_failed_save_shows_nothing_as_done() {
    let mut app = app();
    let effects = app.handle_key(key("v"));
    let Some(Effect::Save {
        changes,
        kind,
        inverse,
    }) = effects.into_iter().next()
    else {
        panic!("no save")
    };
    let more = app.saved(Err("permission denied".into()), &changes, kind, inverse);
    assert!(more.is_empty());
    assert_eq!(app.state.status_of(&changes[0].id), Status::Untriaged);
    assert_eq!(app.cursor, 0);
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.0.starts_with("NOT SAVED"))
    );
}

#[test]
fn undo_and_redo_several_levels() {
    let mut app = app();
    let (a, b) = (id_at(&app, 0), id_at(&app, 1));
    press(&mut app, "t r");
    assert_eq!(
        (app.state.status_of(&a), app.state.status_of(&b)),
        (Status::TranslationSuspect, Status::NeedsReview)
    );
    press(&mut app, "u u");
    assert_eq!(
        (app.state.status_of(&a), app.state.status_of(&b)),
        (Status::Untriaged, Status::Untriaged)
    );
    press(&mut app, "U");
    assert_eq!(app.state.status_of(&a), Status::TranslationSuspect);
    assert_eq!(
        app.state.articles[&a].history.len(),
        2,
        "undo keeps the history"
    );
}

#[test]
fn bulk_marks_ask_first_and_touch_only_visible_selected_rows() {
    let mut app = app();
    let (a, b) = (id_at(&app, 0), id_at(&app, 1));
    press(&mut app, "Space Space v");
    assert!(matches!(&app.prompt, Some(p) if matches!(p.kind, PromptKind::Confirm { .. })));
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.0 == "Mark 2 articles verified? (y/n)")
    );
    press(&mut app, "y");
    assert_eq!(
        (app.state.status_of(&a), app.state.status_of(&b)),
        (Status::Verified, Status::Verified)
    );
    assert!(app.selection.is_empty());
    // A selected row hidden by a filter is dropped from the selection, so never marked.
    press(&mut app, "g Space");
    let hidden = id_at(&app, 0);
    let hidden_status = app.state.status_of(&hidden);
    let lang = app.articles[app.view[0]].lang.clone();
    while app.filter.lang.as_deref().is_none_or(|l| l == lang) {
        press(&mut app, "l");
    }
    assert!(!app.view.iter().any(|&i| app.articles[i].id == hidden));
    assert!(app.selection.is_empty());
    let current = id_at(&app, app.cursor);
    press(&mut app, "r");
    assert!(app.prompt.is_none(), "one article: no confirmation");
    assert_eq!(app.state.status_of(&current), Status::NeedsReview);
    assert_eq!(app.state.status_of(&hidden), hidden_status);
}

#[test]
fn export_asks_for_a_path_and_writes_the_filtered_view() {
    let mut app = app();
    press(&mut app, "s e");
    let prompt = app.prompt.clone().expect("export prompt");
    assert!(
        prompt.input.starts_with("./copydesk-") && prompt.input.ends_with(".csv"),
        "{}",
        prompt.input
    );
    for _ in 0..prompt.input.chars().count() {
        press(&mut app, "BSpace");
    }
    type_text(&mut app, "/tmp/out.md");
    let effects = app.handle_key(key("Enter"));
    assert_eq!(
        effects,
        vec![Effect::Export {
            path: "/tmp/out.md".into(),
            format: ExportFormat::Markdown
        }]
    );
}

#[test]
fn filters_combine_and_clear() {
    let mut app = app();
    let total = app.view.len();
    press(&mut app, "l");
    let lang = app.filter.lang.clone().expect("a language");
    assert!(app.view.iter().all(|&i| app.articles[i].lang == lang));
    press(&mut app, "f");
    assert!(
        app.view
            .iter()
            .all(|&i| !app.articles[i].signals.is_empty() && app.articles[i].lang == lang)
    );
    press(&mut app, "c");
    assert_eq!(app.view.len(), total);
    press(&mut app, "d");
    let today = options().today;
    assert!(
        app.view
            .iter()
            .all(|&i| options().zone.day_of(&app.articles[i].date) == today)
    );
}

#[test]
fn notes_are_written_from_a_prompt() {
    let mut app = app();
    let first = id_at(&app, 0);
    press(&mut app, "a");
    type_text(&mut app, "check quotes");
    press(&mut app, "Enter");
    assert_eq!(
        app.state.articles[&first].note.as_deref(),
        Some("check quotes")
    );
    assert_eq!(app.state.status_of(&first), Status::Untriaged);
    assert_eq!(app.cursor, 0, "a note does not move the cursor");
}

#[test]
fn search_finds_titles_and_bodies() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "Semarang");
    press(&mut app, "Enter");
    let (query, ids) = app.search.clone().expect("searched");
    assert_eq!(query, "Semarang");
    // The id, en and fr versions name the city in Latin letters; zh, ja and ar do not.
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(ids.contains(&id_at(&app, app.cursor)));
    let first = app.cursor;
    press(&mut app, "n");
    assert_ne!(app.cursor, first);
}

#[test]
fn reader_focus_scrolls_and_zoom_takes_the_screen() {
    let mut app = app();
    app.resize(80, 12);
    press(&mut app, "Enter j j");
    assert_eq!(app.reader.scroll, 2);
    press(&mut app, "z");
    assert!(app.zoom && app.panes().list.is_none());
    press(&mut app, "Esc");
    assert!(!app.zoom);
}

#[test]
fn tiny_terminals_do_not_panic() {
    let mut app = app();
    for (w, h) in [(10, 3), (1, 1), (0, 0), (30, 8), (80, 24)] {
        app.resize(w, h);
        press(&mut app, "j v k Enter j z");
        let backend = ratatui::backend::TestBackend::new(w.max(1), h.max(1));
        let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
        terminal.draw(|f| crate::ui::draw(f, &app)).expect("draw");
    }
}

#[test]
fn undo_never_overwrites_a_colleagues_later_decision() {
    let mut app = app();
    let a = id_at(&app, 0);
    press(&mut app, "t");
    // Bob decides on the same article; this screen reloads his save.
    let mut theirs = app.state.clone();
    let later = DateTime::parse_from_rfc3339("2026-11-27T10:05:00+07:00").expect("time");
    theirs.apply(
        &crate::state::Change::new(a.clone(), Status::Verified, crate::state::NoteChange::Keep),
        "bob",
        later,
    );
    app.state_reloaded(theirs);
    press(&mut app, "u");
    assert_eq!(app.state.status_of(&a), Status::Verified);
    assert_eq!(app.state.articles[&a].editor, "bob");
    let message = app.message.clone().expect("message").0;
    assert_eq!(message, format!("not undone: {a} was changed by bob since"));
}

#[test]
fn a_note_does_not_take_over_the_decision() {
    let mut app = app();
    let a = id_at(&app, 0);
    let mut theirs = app.state.clone();
    theirs.apply(
        &crate::state::Change::new(
            a.clone(),
            Status::NeedsReview,
            crate::state::NoteChange::Keep,
        ),
        "bob",
        now(),
    );
    app.state_reloaded(theirs);
    press(&mut app, "g a");
    type_text(&mut app, "quotes checked");
    press(&mut app, "Enter");
    let entry = &app.state.articles[&a];
    assert_eq!(
        (entry.status, entry.editor.as_str()),
        (Status::NeedsReview, "bob")
    );
    assert_eq!(
        (entry.note.as_deref(), entry.note_by.as_deref()),
        (Some("quotes checked"), Some("ayu"))
    );
    assert!(entry.history.is_empty(), "a note is not a decision");
}

#[test]
fn x_on_an_untriaged_article_writes_nothing() {
    let mut app = app();
    let a = id_at(&app, 0);
    press(&mut app, "x");
    assert!(!app.state.articles.contains_key(&a));
    assert_eq!(
        app.message.clone().expect("message").0,
        format!("{a}: nothing to change")
    );
}

#[test]
fn a_read_only_screen_reads_but_refuses_changes_with_the_reason() {
    let mut app = app();
    app.read_only =
        Some("state file 'state.toml': cannot open the lock file: permission denied".into());
    let first = id_at(&app, 0);
    press(&mut app, "v");
    assert_eq!(app.state.status_of(&first), Status::Untriaged);
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.0.starts_with("read-only: state file")),
        "{:?}",
        app.message
    );
    press(&mut app, "a");
    assert!(app.prompt.is_none());
    press(&mut app, "j");
    assert_eq!(app.cursor, 1, "reading still works");
}
