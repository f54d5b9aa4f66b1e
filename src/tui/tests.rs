//! Key-sequence tests: keys go through the real keymap into `update`; effects are carried out
//! in memory (saves into a `State`, bodies from the sample inbox).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, FixedOffset, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Effect, Level, Options, PromptKind, Saved};
use super::keymap::Keymap;
use crate::cli::ExportFormat;
use crate::inbox::{self, Article, Inbox, ScanOptions};
use crate::state::{Change, NoteChange, State, Status};
use crate::time::Zone;

/// Articles as the screen holds them: shared with the index.
pub(crate) fn shared(articles: &[Article]) -> Vec<Arc<Article>> {
    articles.iter().cloned().map(Arc::new).collect()
}

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
    let zone = Zone::Fixed(FixedOffset::east_opt(7 * 3600).expect("offset"));
    Options::new(
        "ayu",
        zone,
        NaiveDate::from_ymd_opt(2026, 11, 27).expect("day"),
    )
}

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-27T10:00:00+07:00").expect("time")
}

/// An app over the sample inbox with an empty state, bodies loaded.
pub(crate) fn app() -> App {
    let keymap = Keymap::new(&BTreeMap::new()).expect("keymap");
    let mut app = App::new(
        shared(&sample().articles),
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
pub(crate) fn run(app: &mut App, effects: Vec<Effect>) {
    run_with_outside(app, effects, None);
}

/// [`run`], with another editor's change (and who made it) landing in the store just before
/// the first save applies: the store then reports that it read others' changes first.
fn run_with_outside(app: &mut App, mut effects: Vec<Effect>, mut outside: Option<(&Change, &str)>) {
    while let Some(effect) = effects.pop() {
        match effect {
            Effect::Save {
                changes,
                kind,
                inverse,
            } => {
                // Lent to the store as the event loop does: the app holds none meanwhile.
                let mut state = std::mem::take(&mut app.state);
                let read_first = outside.take();
                if let Some((theirs, who)) = read_first {
                    state.apply(theirs, who, now());
                }
                let (mut skipped, mut replaced) = (Vec::new(), Vec::new());
                for c in &changes {
                    let before = state.articles.get(&c.id).cloned();
                    match state.apply(c, "ayu", now()) {
                        true => replaced.push((c.id.clone(), before)),
                        false => skipped.push(c.id.clone()),
                    }
                }
                let saved = Saved {
                    state,
                    skipped,
                    outside: read_first.is_some(),
                    replaced,
                };
                effects.extend(app.saved(Ok(saved), &changes, kind, inverse));
            }
            Effect::LoadBody { id, location } => {
                app.body_loaded(&id, inbox::load_body(&sample_root(), &location))
            }
            Effect::Search { query } => {
                let visible: Vec<_> = app.visible().collect();
                let ids = super::search(
                    rayon::iter::IntoParallelIterator::into_par_iter(visible),
                    &sample_root(),
                    &query,
                );
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
pub(crate) fn press(app: &mut App, keys: &str) {
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

/// Another editor's change, saved and read in by this screen as the event loop's reload does.
fn others_save(app: &mut App, change: &Change, who: &str, at: DateTime<FixedOffset>) {
    let mut theirs = app.state.clone();
    theirs.apply(change, who, at);
    let effects = app.state_reloaded(theirs);
    run(app, effects);
}

/// The y/n question the screen is asking, if any.
fn question(app: &App) -> Option<&str> {
    match &app.prompt.as_ref()?.kind {
        PromptKind::Confirm { question, .. } => Some(question),
        _ => None,
    }
}

fn id_at(app: &App, pos: usize) -> String {
    app.articles[app.view[pos]].id.to_string()
}

#[test]
fn j_j_v_marks_the_third_article_and_moves_to_the_next_untriaged() {
    let mut app = app();
    let third = sample().articles[2].id.to_string();
    press(&mut app, "j j v");
    assert_eq!(app.state.status_of(&third), Status::Verified);
    assert_eq!(app.state.articles[&third].editor, "ayu");
    assert_eq!(app.cursor, 3);
    assert_eq!(app.counts()[1], (Status::Verified, 1));
    assert_eq!(app.reader.id.as_deref(), Some(id_at(&app, 3).as_str()));
}

/// Presses `k`, whose save then fails with `why`: the event loop's store gave up.
fn press_and_fail_save(app: &mut App, k: &str, why: &str) -> Vec<Change> {
    let effects = app.handle_key(key(k));
    let Some(Effect::Save {
        changes,
        kind,
        inverse,
    }) = effects.into_iter().next()
    else {
        panic!("no save")
    };
    let more = app.saved(Err(why.into()), &changes, kind, inverse);
    assert!(more.is_empty());
    changes
}

/// helper 34: a note whose save failed (a lock held past the wait, a full disk) was lost.
#[test]
fn a_note_whose_save_failed_comes_back_in_the_next_note_prompt() {
    let mut app = app();
    let first = id_at(&app, 0);
    press(&mut app, "a");
    type_text(&mut app, "quotes checked against the original");
    press_and_fail_save(&mut app, "Enter", "disk full");
    assert_eq!(
        app.save_failed,
        Some(format!(
            "NOT SAVED: note on {first} (a on it brings the note back): disk full"
        ))
    );
    // helper 36: it came back on whichever article the cursor was on, and was saved there.
    press(&mut app, "j a");
    let typed = app.prompt.as_ref().map(|p| p.input.text().to_string());
    assert_eq!(typed.as_deref(), Some(""));
    press(&mut app, "Esc k a");
    let typed = app.prompt.as_ref().map(|p| p.input.text().to_string());
    assert_eq!(
        typed.as_deref(),
        Some("quotes checked against the original")
    );
}

/// h37: the prompt opened with the article's note, so the note kept from a failed save
/// already held it, and came back doubled ("old / old, new").
#[test]
fn a_failed_edit_of_a_note_comes_back_once() {
    let mut app = app();
    press(&mut app, "a");
    type_text(&mut app, "first");
    press(&mut app, "Enter k a");
    type_text(&mut app, ", then more");
    press_and_fail_save(&mut app, "Enter", "disk full");
    press(&mut app, "a");
    let typed = app.prompt.as_ref().map(|p| p.input.text().to_string());
    assert_eq!(typed.as_deref(), Some("first, then more"));
}

#[test]
fn a_failed_save_shows_nothing_as_done() {
    let mut app = app();
    let changes = press_and_fail_save(&mut app, "v", "permission denied");
    assert_eq!(app.state.status_of(&changes[0].id), Status::Untriaged);
    assert_eq!(app.cursor, 0);
    assert_eq!(
        app.save_failed,
        Some(format!(
            "NOT SAVED: {} verified: permission denied",
            changes[0].id
        ))
    );
}

/// The status line: the screen's last row.
fn status_row(app: &App) -> String {
    let screen = screen_text(app, 240, 24);
    screen
        .lines()
        .last()
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

#[test]
fn a_failed_save_stays_on_the_status_line_until_esc_or_a_save_that_succeeds() {
    let mut app = app();
    let lock = "state file 'state.toml' is locked by another editor's save for more than 10 s";
    let not_saved = format!("NOT SAVED: {} verified: {lock}", id_at(&app, 0));
    press_and_fail_save(&mut app, "v", lock);
    // The editor looked away: the keys they press on return still work, and do not wipe it.
    press(&mut app, "j j k u");
    assert_eq!(app.cursor, 1);
    assert_eq!(app.save_failed.as_deref(), Some(not_saved.as_str()));
    let status = status_row(&app);
    assert!(status.starts_with(&not_saved), "{status}");
    assert!(status.ends_with("nothing to undo"), "{status}");
    // Esc says it was seen, and still does its own work.
    press(&mut app, "Space Esc");
    assert!(app.selection.is_empty());
    assert_eq!(app.save_failed, None);
    assert!(!status_row(&app).contains("NOT SAVED"));
    // helper 36: a save of another article that works does not hide the failure.
    let failed = press_and_fail_save(&mut app, "v", lock);
    press(&mut app, "j v");
    assert!(status_row(&app).contains("NOT SAVED"));
    // Saving the same article again, and it works: the failure is over.
    press(&mut app, "k k");
    assert_eq!(id_at(&app, app.cursor), failed[0].id);
    press(&mut app, "v");
    assert_eq!(app.save_failed, None);
    assert!(!status_row(&app).contains("NOT SAVED"));
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
    let said = app.message.clone().expect("a message").0;
    assert_eq!(said, format!("undone: {a} back to untriaged"));
    press(&mut app, "U");
    assert_eq!(app.state.status_of(&a), Status::TranslationSuspect);
    let said = app.message.clone().expect("a message").0;
    assert_eq!(said, format!("redone: {a} translation-suspect"));
    assert_eq!(
        app.state.articles[&a].history.len(),
        2,
        "undo keeps the history"
    );
}

#[test]
fn undo_and_redo_bring_the_cursor_back_to_the_article_they_change() {
    let mut app = app();
    let marked = id_at(&app, 2);
    press(&mut app, "j j v");
    let moved_on = app.current().map(|a| a.id.to_string());
    assert_ne!(
        moved_on.as_deref(),
        Some(marked.as_str()),
        "the mark moves on"
    );
    press(&mut app, "j u");
    assert_eq!(
        app.current().map(|a| a.id.to_string()),
        Some(marked.clone())
    );
    press(&mut app, "g U");
    assert_eq!(app.current().map(|a| a.id.to_string()), Some(marked));
}

#[test]
fn bulk_marks_ask_first_and_touch_only_visible_selected_rows() {
    let mut app = app();
    let (a, b) = (id_at(&app, 0), id_at(&app, 1));
    press(&mut app, "Space Space v");
    assert_eq!(question(&app), Some("Mark 2 articles verified? (y/n)"));
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
    while app.filter.lang.as_deref().is_none_or(|l| *l == *lang) {
        press(&mut app, "l");
    }
    assert!(!app.view.iter().any(|&i| *app.articles[i].id == *hidden));
    assert!(app.selection.is_empty());
    let current = id_at(&app, app.cursor);
    press(&mut app, "r");
    assert!(app.prompt.is_none(), "one article: no confirmation");
    assert_eq!(app.state.status_of(&current), Status::NeedsReview);
    assert_eq!(app.state.status_of(&hidden), hidden_status);
}

#[test]
fn a_confirmed_batch_mark_leaves_out_what_changed_while_it_was_asked() {
    let mut app = app();
    let (a, b, c) = (id_at(&app, 0), id_at(&app, 1), id_at(&app, 2));
    press(&mut app, "Space Space Space v");
    // Meanwhile another editor decides the second, and the third's file goes away.
    let change = crate::state::Change::new(b.clone(), Status::TranslationSuspect, NoteChange::Keep);
    others_save(&mut app, &change, "bob", now());
    let articles: Vec<_> = app
        .articles
        .iter()
        .filter(|x| *x.id != *c)
        .cloned()
        .collect();
    let effects = app.inbox_loaded(articles, Some(&[]));
    run(&mut app, effects);
    // The question is still on the status line, whatever came in since.
    assert_eq!(question(&app), Some("Mark 3 articles verified? (y/n)"));
    let status_line = screen_text(&app, 200, 30);
    assert!(
        status_line.contains("Mark 3 articles verified? (y/n)"),
        "{status_line}"
    );

    press(&mut app, "y");
    assert_eq!(app.state.status_of(&a), Status::Verified);
    assert_eq!(
        app.state.status_of(&b),
        Status::TranslationSuspect,
        "bob's stands"
    );
    assert_eq!(app.state.articles[&b].editor, "bob");
    assert!(
        !app.state.articles.contains_key(&c),
        "gone: nothing recorded"
    );
    let said = app
        .message
        .as_ref()
        .map(|m| m.0.as_str())
        .unwrap_or_default();
    assert!(
        said.contains(&format!(
            "not marked: {c} (gone), {b} (decided by bob meanwhile)"
        )),
        "{said}"
    );
}

/// Another editor's decision on undecided copy that lands just before the save (after the
/// screen last read the state) is not overwritten either: the store checks it.
#[test]
fn a_batch_mark_on_undecided_copy_does_not_overwrite_a_decision_made_just_before_the_save() {
    let mut app = app();
    let (a, b) = (id_at(&app, 0), id_at(&app, 1));
    press(&mut app, "Space Space v");
    let theirs = Change::new(b.clone(), Status::TranslationSuspect, NoteChange::Keep);
    let effects = app.handle_key(key("y"));
    run_with_outside(&mut app, effects, Some((&theirs, "bob")));
    assert_eq!(app.state.status_of(&a), Status::Verified);
    assert_eq!(
        app.state.articles[&b].editor, "bob",
        "bob's decision stands"
    );
    assert_eq!(app.state.status_of(&b), Status::TranslationSuspect);
    let said = app.message.clone().expect("message").0;
    assert!(
        said.contains(&format!("not marked: {b} (decided by bob meanwhile)")),
        "{said}"
    );
}

#[test]
fn a_partly_refused_undo_says_what_it_undid_too() {
    let mut app = app();
    let (a, b) = (id_at(&app, 0), id_at(&app, 1));
    press(&mut app, "Space Space t y");
    others_save(
        &mut app,
        &Change::new(b.clone(), Status::Verified, NoteChange::Keep),
        "marc",
        now(),
    );
    press(&mut app, "u");
    assert_eq!(app.state.status_of(&a), Status::Untriaged);
    assert_eq!(app.state.status_of(&b), Status::Verified);
    let said = app.message.clone().expect("message").0;
    assert!(
        said.starts_with("undone: ")
            && said.contains(&format!("not undone: {b} was changed by marc since")),
        "{said}"
    );
}

#[test]
fn a_note_on_copy_that_went_away_while_it_was_typed_is_shown_back_not_saved() {
    let mut app = app();
    let a = id_at(&app, 0);
    press(&mut app, "a");
    type_text(&mut app, "call the desk");
    let articles: Vec<_> = app
        .articles
        .iter()
        .filter(|x| *x.id != *a)
        .cloned()
        .collect();
    let effects = app.inbox_loaded(articles, Some(&[]));
    run(&mut app, effects);
    press(&mut app, "Enter");
    assert!(!app.state.articles.contains_key(&a));
    let said = app.message.clone().expect("message").0;
    assert_eq!(
        said,
        format!("note not saved: {a} is no longer in the inbox; a on an article brings it back")
    );
    // The next note prompt opens with it, whole.
    press(&mut app, "a");
    let typed = app.prompt.as_ref().map(|p| p.input.split().0.to_string());
    assert_eq!(typed.as_deref(), Some("call the desk"));
}

#[test]
fn export_asks_for_a_path_and_writes_the_filtered_view() {
    let mut app = app();
    press(&mut app, "s e");
    let prompt = app.prompt.clone().expect("export prompt");
    let input = prompt.input.text();
    assert!(
        input.starts_with("./copydesk-") && input.ends_with(".csv"),
        "{input}"
    );
    for _ in 0..input.chars().count() {
        press(&mut app, "BSpace");
    }
    type_text(&mut app, "/tmp/out.md");
    let effects = app.handle_key(key("Enter"));
    assert_eq!(
        effects,
        vec![Effect::Export {
            path: "/tmp/out.md".into(),
            format: ExportFormat::Markdown,
            overwrite: false,
        }]
    );
}

#[test]
fn export_refuses_an_unknown_extension() {
    let export_to = |path: &str| {
        let mut app = app();
        press(&mut app, "e");
        app.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        type_text(&mut app, path);
        let effects = app.handle_key(key("Enter"));
        (effects, app.message.clone())
    };
    let (effects, message) = export_to("/tmp/out.docx");
    assert_eq!(effects, Vec::new());
    let (text, level) = message.expect("a message");
    assert!(text.contains("unknown extension '.docx'"), "{text}");
    assert_eq!(level, Level::Error);
    let (effects, _) = export_to("~/triage.json");
    assert_eq!(
        effects,
        vec![Effect::Export {
            path: "~/triage.json".into(),
            format: ExportFormat::Json,
            overwrite: false,
        }]
    );
}

#[test]
fn an_export_over_an_existing_file_asks_first() -> Result<(), Box<dyn std::error::Error>> {
    let home = tempfile::tempdir()?;
    let target = home.path().join("triage.csv");
    std::fs::write(&target, "someone's list\n")?;
    let home = home.path().to_str();
    let mut app = app();
    // As the event loop runs the effect that Enter in the export prompt gives.
    let to = super::ExportTarget {
        state_path: Path::new("/nowhere/state.toml"),
        home,
    };
    let export = |app: &mut App, overwrite: bool| {
        super::export_listed(
            app,
            "~/triage.csv".into(),
            ExportFormat::Csv,
            overwrite,
            &to,
        )
    };
    assert_eq!(export(&mut app, false), Vec::new());
    assert_eq!(question(&app), Some("overwrite triage.csv? (y/n)"));
    assert_eq!(std::fs::read_to_string(&target)?, "someone's list\n");
    assert_eq!(app.handle_key(key("n")), Vec::new());
    assert!(app.prompt.is_none());
    assert_eq!(app.message.clone().expect("a message").0, "cancelled");
    assert_eq!(std::fs::read_to_string(&target)?, "someone's list\n");

    export(&mut app, false);
    let yes = app.handle_key(key("y"));
    assert_eq!(
        yes,
        vec![Effect::Export {
            path: "~/triage.csv".into(),
            format: ExportFormat::Csv,
            overwrite: true,
        }]
    );
    assert_eq!(export(&mut app, true), Vec::new());
    assert!(std::fs::read_to_string(&target)?.starts_with("id,date,lang,status"));
    Ok(())
}

#[test]
fn no_export_while_the_state_file_cannot_be_read() {
    let mut app = app();
    app.state_unreadable("state file 'state.toml', line 2: unclosed table".into());
    assert_eq!(app.handle_key(key("e")), Vec::new());
    assert!(app.prompt.is_none());
    let (text, level) = app.message.clone().expect("a message");
    assert!(
        text.starts_with("not exported: the state file cannot be read"),
        "{text}"
    );
    assert_eq!(level, Level::Error);
    assert_eq!(app.handle_key(key("v")), Vec::new());
    let (text, _) = app.message.clone().expect("a message");
    assert!(
        text.starts_with("not saved: state file 'state.toml'"),
        "{text}"
    );
    app.state_readable();
    press(&mut app, "e");
    assert!(app.prompt.is_some(), "exports again once it can be read");
}

#[test]
fn an_export_path_under_tilde_is_in_the_home_folder() {
    let home = Some("/home/ed");
    assert_eq!(super::expand_home("~/x.csv", home), "/home/ed/x.csv");
    assert_eq!(super::expand_home("~", home), "/home/ed");
    assert_eq!(super::expand_home("~bob/x.csv", home), "~bob/x.csv");
    assert_eq!(super::expand_home("/tmp/~/x.csv", home), "/tmp/~/x.csv");
    assert_eq!(super::expand_home("~/x.csv", None), "~/x.csv");
}

#[test]
fn filters_combine_and_clear() {
    let mut app = app();
    let total = app.view.len();
    press(&mut app, "l");
    let lang = app.filter.lang.clone().expect("a language");
    assert!(app.view.iter().all(|&i| *app.articles[i].lang == *lang));
    press(&mut app, "f");
    assert!(
        app.view
            .iter()
            .all(|&i| !app.articles[i].signals().is_empty() && *app.articles[i].lang == *lang)
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
    assert_eq!(app.state.articles[&first].note(), Some("check quotes"));
    assert_eq!(app.state.status_of(&first), Status::Untriaged);
    assert_eq!(app.cursor, 0, "a note does not move the cursor");
    // The reader names the note's author, not a decision nobody made.
    let screen = screen_text(&app, 200, 30);
    assert!(
        screen.contains("untriaged — note by ayu at 2026-11-27 10:00: check quotes"),
        "{screen}"
    );
    assert!(!screen.contains("untriaged by ayu"), "{screen}");
}

#[test]
fn search_finds_ids_titles_and_bodies() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "Kaligawe");
    press(&mut app, "Enter");
    let (query, ids) = app.search.clone().expect("searched");
    assert_eq!(query, "Kaligawe");
    // A district named in the bodies of the id, en and fr versions only (not in a title).
    let mut found = ids.clone();
    found.sort();
    assert_eq!(
        found,
        [
            "mt/banjir-semarang.en",
            "mt/banjir-semarang.fr",
            "mt/banjir-semarang.id"
        ],
    );
    assert!(ids.contains(&id_at(&app, app.cursor)));
    let first = app.cursor;
    press(&mut app, "n");
    assert_ne!(app.cursor, first);
    // An id, as the command line and the report print them.
    press(&mut app, "/");
    type_text(&mut app, "semarang.ZH");
    press(&mut app, "Enter");
    let (_, ids) = app.search.clone().expect("searched");
    assert_eq!(ids, ["mt/banjir-semarang.zh"]);
    assert_eq!(id_at(&app, app.cursor), "mt/banjir-semarang.zh");
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
    let later = DateTime::parse_from_rfc3339("2026-11-27T10:05:00+07:00").expect("time");
    others_save(
        &mut app,
        &crate::state::Change::new(a.clone(), Status::Verified, crate::state::NoteChange::Keep),
        "bob",
        later,
    );
    press(&mut app, "u");
    assert_eq!(app.state.status_of(&a), Status::Verified);
    assert_eq!(app.state.articles[&a].editor, "bob");
    let message = app.message.clone().expect("message").0;
    assert_eq!(message, format!("not undone: {a} was changed by bob since"));
}

#[test]
fn a_paste_is_text_for_the_prompt_never_keys() {
    let mut app = app();
    let first = id_at(&app, 0);
    // Outside a prompt a paste does nothing: its `v` verifies nothing.
    let effects = app.handle_paste("v\nj");
    assert!(effects.is_empty());
    assert_eq!(
        (app.cursor, app.state.status_of(&first)),
        (0, Status::Untriaged)
    );
    press(&mut app, "a");
    let effects = app.handle_paste("Quote checked.\nr and verify tomorrow");
    assert!(effects.is_empty(), "a line break in a paste is not Enter");
    press(&mut app, "Enter");
    let entry = &app.state.articles[&first];
    assert_eq!(entry.note(), Some("Quote checked. r and verify tomorrow"));
    // Too long a paste is cut, and the prompt says so while it is open.
    press(&mut app, "j a");
    app.handle_paste(&"long ".repeat(1000));
    assert!(screen_text(&app, 80, 24).contains("(paste cut at 2000 characters) Note: "));
    assert_eq!(app.state.status_of(&first), Status::Untriaged);
    assert_eq!(app.state.articles.len(), 1, "nothing else was marked");
}

#[test]
fn a_note_does_not_take_over_the_decision() {
    let mut app = app();
    let a = id_at(&app, 0);
    others_save(
        &mut app,
        &crate::state::Change::new(
            a.clone(),
            Status::NeedsReview,
            crate::state::NoteChange::Keep,
        ),
        "bob",
        now(),
    );
    press(&mut app, "g a");
    type_text(&mut app, "quotes checked");
    press(&mut app, "Enter");
    let entry = &app.state.articles[&a];
    assert_eq!(
        (entry.status, entry.editor.as_str()),
        (Status::NeedsReview, "bob")
    );
    assert_eq!(
        (entry.note(), entry.note_by()),
        (Some("quotes checked"), Some("ayu"))
    );
    assert!(entry.history.is_empty(), "a note is not a decision");
}

#[test]
fn a_decision_made_on_another_file_is_not_this_articles() {
    let mut app = app();
    let a = id_at(&app, 0);
    let change =
        crate::state::Change::new(a.clone(), Status::Verified, crate::state::NoteChange::Keep);
    others_save(&mut app, &change.on_file("gone/old-copy.md"), "bob", now());
    assert_eq!(
        app.counts()[1],
        (Status::Verified, 0),
        "counted as verified"
    );
    let screen = screen_text(&app, 200, 30);
    assert!(
        screen.contains(
            "untriaged — the decision under this id (verified by bob at 2026-11-27 10:00)"
        ) && screen.contains("gone/old-copy.md"),
        "{screen}"
    );
    // Untriaging it here would undo a decision made on the other file: refused, with why.
    press(&mut app, "x");
    assert_eq!(app.state.articles[&a].status, Status::Verified);
    let said = app
        .message
        .as_ref()
        .map(|m| m.0.as_str())
        .unwrap_or_default();
    assert!(
        said.contains("its id holds a decision made on gone/old-copy.md"),
        "{said}"
    );
    // Deciding it here makes it this file's, the other decision kept in the history.
    let here = app
        .current()
        .map(|a| a.location.rel_path.to_string_lossy().into_owned());
    press(&mut app, "r");
    let entry = &app.state.articles[&a];
    assert_eq!(entry.file.as_deref(), here.as_deref());
    assert_eq!(entry.status, Status::NeedsReview);
    assert_eq!(entry.history.len(), 1);
    assert_eq!(app.counts()[2], (Status::NeedsReview, 1));
}

/// The inbox of a temporary folder holding these `(file, title)` articles, all declaring the
/// id `dup`.
fn twins_inbox(dir: &Path, files: &[(&str, &str)]) -> Result<Inbox, Box<dyn std::error::Error>> {
    for (file, title) in files {
        let text = format!("---\nid: dup\ntitle: {title}\n---\n{title} body\n");
        std::fs::write(dir.join(file), text)?;
    }
    Ok(Inbox::scan(dir, ScanOptions::default())?)
}

/// Bravo alone, after Alpha went: listed as `dup` (it was `dup~2` beside Alpha).
fn bravo_alone(dir: &Path) -> Result<Inbox, Box<dyn std::error::Error>> {
    let both = twins_inbox(dir, &[("a.md", "Alpha"), ("b.md", "Bravo")])?;
    assert_eq!(both.get("dup~2").map(|a| &*a.title), Some("Bravo"));
    std::fs::remove_file(dir.join("a.md"))?;
    twins_inbox(dir, &[])
}

/// A screen on these articles, with no decisions.
fn twins_app(inbox: &Inbox) -> App {
    let keymap = Keymap::new(&BTreeMap::new()).expect("keymap");
    App::new(
        shared(&inbox.articles),
        State::default(),
        keymap,
        options(),
        (80, 24),
    )
}

#[test]
fn a_twin_decided_on_another_screen_takes_the_id_it_was_decided_under()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let alone = bravo_alone(dir.path())?;
    let mut app = twins_app(&alone);
    assert_eq!(id_at(&app, 0), "dup");

    // Bob's screen still listed a.md, so Bravo was `dup~2` there.
    let bobs = Change::decision("dup~2", Status::Verified, NoteChange::Keep).on_file("b.md");
    others_save(&mut app, &bobs, "bob", now());
    assert_eq!(id_at(&app, 0), "dup~2");
    assert_eq!(
        app.current().map(|a| app.state.status_for(a)),
        Some(Status::Verified)
    );
    assert_eq!(app.counts()[1], (Status::Verified, 1));

    // A live update from the index, which alone would make Bravo `dup` again.
    let effects = app.inbox_loaded(shared(&alone.articles), Some(&[]));
    run(&mut app, effects);
    assert_eq!(id_at(&app, 0), "dup~2");
    assert_eq!(app.counts()[1], (Status::Verified, 1));
    Ok(())
}

/// helper 36: undecided twins were given their ids again from scratch when a file arrived,
/// so the cursor, a note being typed and the new-article mark moved to another file.
#[test]
fn a_twin_arriving_leaves_the_others_their_ids_and_the_cursor_its_file()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let both = twins_inbox(dir.path(), &[("x.md", "Xray"), ("y.md", "Yankee")])?;
    let mut app = twins_app(&both);
    while app.current().is_some_and(|a| &*a.title != "Yankee") {
        press(&mut app, "j");
    }
    assert_eq!(app.current().map(|a| &*a.id), Some("dup~2"));
    press(&mut app, "a");
    type_text(&mut app, "meant for Yankee");

    let three = twins_inbox(dir.path(), &[("0.md", "Zero")])?;
    let effects = app.inbox_loaded(shared(&three.articles), Some(&[PathBuf::from("0.md")]));
    run(&mut app, effects);
    let title_of = |id: &str| app.article(id).map(|a| a.title.to_string());
    assert_eq!(title_of("dup").as_deref(), Some("Xray"));
    assert_eq!(title_of("dup~2").as_deref(), Some("Yankee"));
    assert_eq!(title_of("dup~3").as_deref(), Some("Zero"));
    assert!(app.is_fresh("dup~3") && !app.is_fresh("dup~2"));
    press(&mut app, "Enter");
    let noted = app.state.articles.get("dup~2").and_then(|e| e.note());
    assert_eq!(noted, Some("meant for Yankee"));
    assert_eq!(app.current().map(|a| &*a.title), Some("Yankee"));
    Ok(())
}

/// h36 #8: a decided file moved to another folder showed untriaged, and the next mark put
/// its decision and note in the history; now the decision follows it, and the save says so.
#[test]
fn a_decision_follows_its_file_into_another_folder_and_the_save_records_the_move()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    std::fs::create_dir_all(dir.path().join("archive"))?;
    twins_inbox(&dir.path().join("archive"), &[("a.md", "Alpha")])?;
    let inbox = twins_inbox(dir.path(), &[])?;
    let state = State::parse(
        "version = 2\n[articles.dup]\nstatus = \"verified\"\neditor = \"ayu\"\n\
         marked_at = 2026-11-27T09:00:00+07:00\nfile = \"a.md\"\nnote = \"call back\"\n",
    )
    .map_err(|e| format!("{e:?}"))?;
    let keymap = Keymap::new(&BTreeMap::new())?;
    let mut app = App::new(shared(&inbox.articles), state, keymap, options(), (80, 24));
    assert_eq!(app.counts()[1], (Status::Verified, 1));
    let effects = app.handle_key(key("r"));
    let Some(Effect::Save { changes, .. }) = effects.first() else {
        panic!("no save: {effects:?}")
    };
    assert_eq!(changes[0].file.as_deref(), Some("archive/a.md"));
    assert_eq!(changes[0].moved_from.as_deref(), Some("a.md"));
    Ok(())
}

/// h37: a twin renamed by another editor's decision left the open note prompt (and the
/// selection, undo, ...) on its old id.
#[test]
fn a_note_being_typed_follows_its_article_through_a_rename()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let mut app = twins_app(&bravo_alone(dir.path())?);
    press(&mut app, "Space a");
    type_text(&mut app, "for Bravo");
    let bobs = Change::decision("dup~2", Status::Verified, NoteChange::Keep).on_file("b.md");
    others_save(&mut app, &bobs, "bob", now());
    assert!(app.selection.contains("dup~2"), "{:?}", app.selection);
    press(&mut app, "Enter");
    let entry = app.state.articles.get("dup~2");
    assert_eq!(entry.and_then(|e| e.note()), Some("for Bravo"));
    assert_eq!(entry.map(|e| e.status), Some(Status::Verified));
    Ok(())
}

#[test]
fn undoing_a_mark_or_a_note_leaves_no_note_record_behind() {
    let mut app = app();
    let a = id_at(&app, 0);
    // Verified, verified again, undone: a decision, with no note anywhere.
    press(&mut app, "v k v u");
    let entry = &app.state.articles[&a];
    assert_eq!(entry.status, Status::Verified);
    assert_eq!(
        (entry.note(), entry.note_by(), entry.note_at()),
        (None, None, None)
    );
    // A note, undone: gone, and said so.
    press(&mut app, "g a");
    type_text(&mut app, "check quotes");
    press(&mut app, "Enter u");
    let entry = &app.state.articles[&a];
    assert_eq!(
        (entry.note(), entry.note_by(), entry.note_at()),
        (None, None, None)
    );
    assert_eq!(entry.status, Status::Verified);
    let message = app.message.clone().expect("message").0;
    assert_eq!(message, format!("undone: note on {a}"));
}

#[test]
fn undoing_a_note_keeps_one_written_since_by_someone_else() {
    let mut app = app();
    let a = id_at(&app, 0);
    press(&mut app, "a");
    type_text(&mut app, "mine");
    press(&mut app, "Enter");
    let note = crate::state::NoteChange::Set("marc wrote".into());
    others_save(
        &mut app,
        &crate::state::Change::note(a.clone(), Status::Untriaged, note),
        "marc",
        now(),
    );
    press(&mut app, "u");
    assert_eq!(app.state.articles[&a].note(), Some("marc wrote"));
    // The one who changed it since is the note's author, not the one undoing.
    let said = app.message.clone().expect("message").0;
    assert_eq!(said, format!("not undone: {a} was changed by marc since"));
}

/// helper 32: my note merged with bob's, then bob replaced it: undoing mine put bob's old
/// words back beside his new ones, as mine.
#[test]
fn undoing_a_merged_note_after_it_was_replaced_is_refused() {
    let mut app = app();
    let a = id_at(&app, 0);
    press(&mut app, "a");
    type_text(&mut app, "call the club");
    let bobs =
        |text: &str| Change::note(a.clone(), Status::Untriaged, NoteChange::Set(text.into()));
    others_save(&mut app, &bobs("photo needed"), "bob", now());
    press(&mut app, "Enter");
    assert_eq!(
        app.state.articles[&a].note(),
        Some("[bob] photo needed / [ayu] call the club")
    );
    others_save(&mut app, &bobs("photo ok"), "bob", now());
    press(&mut app, "u");
    let entry = &app.state.articles[&a];
    assert_eq!(
        (entry.note(), entry.note_by()),
        (Some("photo ok"), Some("bob"))
    );
    let said = app.message.clone().expect("message").0;
    assert_eq!(said, format!("not undone: {a} was changed by bob since"));
}

/// Undoing my note over bob's puts his back as his, with his time, not as mine.
#[test]
fn undoing_a_note_puts_the_one_before_back_under_its_author() {
    let mut app = app();
    let a = id_at(&app, 0);
    let written = now() - chrono::Duration::hours(2);
    let note = NoteChange::Set("bob's note".into());
    others_save(
        &mut app,
        &Change::note(a.clone(), Status::Untriaged, note),
        "bob",
        written,
    );
    press(&mut app, "a");
    for _ in 0.."bob's note".len() {
        press(&mut app, "BSpace");
    }
    type_text(&mut app, "mine");
    press(&mut app, "Enter");
    let entry = &app.state.articles[&a];
    assert_eq!(entry.note(), Some("mine"));
    press(&mut app, "u");
    let entry = &app.state.articles[&a];
    assert_eq!(entry.note(), Some("bob's note"));
    assert_eq!(entry.note_author(), ("bob", written));
}

#[test]
fn a_decision_read_in_that_filters_the_cursor_away_asks_for_the_next_body() {
    let mut app = app();
    press(&mut app, "s");
    assert_eq!(app.filter.status, Some(Status::Untriaged));
    let here = id_at(&app, app.cursor);
    assert_eq!(app.reader.id.as_deref(), Some(here.as_str()));
    let mut theirs = app.state.clone();
    let change = Change::new(here.clone(), Status::Verified, NoteChange::Keep);
    theirs.apply(&change, "marc", now());
    let effects = app.state_reloaded(theirs);
    let next = app
        .current()
        .map(|a| a.id.to_string())
        .expect("another untriaged article");
    assert_ne!(next, here);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadBody { id, .. } if *id == next)),
        "{effects:?}"
    );
    run(&mut app, effects);
    assert_eq!(app.reader.id.as_deref(), Some(next.as_str()));
}

#[test]
fn a_note_written_meanwhile_by_someone_else_is_kept_beside_mine() {
    let mut app = app();
    let a = id_at(&app, 0);
    let note = |text: &str| crate::state::NoteChange::Set(text.into());
    press(&mut app, "g a");
    // While ayu types, bob's note on the same article is saved and read in.
    others_save(
        &mut app,
        &crate::state::Change::note(a.clone(), Status::Untriaged, note("names checked")),
        "bob",
        now(),
    );
    type_text(&mut app, "quotes checked");
    press(&mut app, "Enter");
    let entry = &app.state.articles[&a];
    assert_eq!(
        entry.note(),
        Some("[bob] names checked / [ayu] quotes checked"),
        "each part names its writer: the note has one author"
    );
    let (message, level) = app.message.clone().expect("message");
    assert_eq!(
        message,
        format!("{a}: a note was written meanwhile: both kept, theirs first")
    );
    assert_eq!(level, Level::Error);
    // Edited again, having seen both: the editor's text is the note.
    press(&mut app, "a");
    let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
    let effects = app.handle_key(ctrl_u);
    run(&mut app, effects);
    type_text(&mut app, "all checked");
    press(&mut app, "Enter");
    assert_eq!(app.state.articles[&a].note(), Some("all checked"));
    assert_eq!(app.message.clone().expect("message").1, Level::Info);
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
    assert_eq!(app.cursor, 0, "nothing changed: the cursor stays");
    // Several rows: the message counts the others.
    press(&mut app, "Space j Space x y");
    let message = app.message.clone().expect("message").0;
    assert!(
        message.ends_with("nothing to change (and 1 more)"),
        "{message}"
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
            .is_some_and(|m| m.0.starts_with("not saved: state file")),
        "{:?}",
        app.message
    );
    press(&mut app, "a");
    assert!(app.prompt.is_none());
    press(&mut app, "j");
    assert_eq!(app.cursor, 1, "reading still works");
}

/// Moves the cursor onto the article with this id, through the keys.
pub(crate) fn go_to(app: &mut App, id: &str) {
    press(app, "g");
    while id_at(app, app.cursor) != id {
        let before = app.cursor;
        press(app, "j");
        assert_ne!(app.cursor, before, "'{id}' is not in the list");
    }
}

fn pair_ids(app: &App) -> (String, String) {
    let pair = app.pair.as_ref().expect("a pair is open");
    (pair.original.clone(), pair.translation.clone())
}

#[test]
fn p_on_a_translation_opens_it_beside_its_original_with_both_bodies() {
    let mut app = app();
    go_to(&mut app, "mt/banjir-semarang.fr");
    press(&mut app, "p");
    assert_eq!(
        pair_ids(&app),
        (
            "mt/banjir-semarang.id".into(),
            "mt/banjir-semarang.fr".into()
        )
    );
    let pair = app.pair.as_ref().expect("pair");
    assert!(pair.bodies.iter().all(|b| matches!(b, Some(Ok(_)))));
    assert_eq!(pair.rows.left.len(), pair.rows.right.len());
    // Header, six paragraphs, the folded disclaimer: every block starts on the same row on both
    // sides, and both sides have text there — but the original has no disclaimer.
    assert_eq!(pair.rows.starts.len(), 8, "{:?}", pair.rows.starts);
    for &row in &pair.rows.starts[..7] {
        assert!(!pair.rows.left[row].line.text.is_empty(), "left row {row}");
        assert!(
            !pair.rows.right[row].line.text.is_empty(),
            "right row {row}"
        );
    }
    let tail = pair.rows.starts[7];
    assert!(pair.rows.left[tail].line.text.is_empty());
    assert!(
        pair.rows.right[tail]
            .line
            .text
            .contains("disclaimer folded")
    );
    assert!(
        pair.rows.left[pair.rows.starts[1]]
            .line
            .text
            .starts_with("SEMARANG - Hujan")
    );
    assert!(
        pair.rows.right[pair.rows.starts[1]]
            .line
            .text
            .starts_with("SEMARANG (24/11/2026) - Les fortes")
    );
    // Frontmatter link, not only the stem: the Demak French version names its original by id.
    press(&mut app, "Esc");
    go_to(&mut app, "mt/panen-padi-demak.fr");
    press(&mut app, "p");
    assert_eq!(pair_ids(&app).0, "panen-demak-2026");
}

#[test]
fn p_on_an_original_opens_its_first_translation_and_p_again_cycles() {
    let mut app = app();
    go_to(&mut app, "mt/banjir-semarang.id");
    let cursor = app.cursor;
    let mut seen = Vec::new();
    for _ in 0..6 {
        press(&mut app, "p");
        let pair = app.pair.as_ref().expect("pair");
        assert_eq!(pair.original, "mt/banjir-semarang.id");
        seen.push((pair.translation.clone(), pair.nth));
    }
    let langs: Vec<&str> = seen.iter().map(|(t, _)| &t[t.len() - 2..]).collect();
    assert_eq!(langs, ["ar", "en", "fr", "ja", "zh", "ar"]);
    assert_eq!(seen[1].1, (2, 5));
    assert_eq!(app.cursor, cursor, "the list cursor stays put");
    // One translation only: p says so and keeps the pair.
    press(&mut app, "Esc");
    go_to(&mut app, "mt/banjir-kelantan.ms");
    press(&mut app, "p p");
    assert_eq!(pair_ids(&app).1, "mt/banjir-kelantan.en");
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.0.contains("no other translation")),
        "{:?}",
        app.message
    );
}

#[test]
fn keys_scroll_both_sides_together_and_esc_or_q_return() {
    let mut app = app();
    go_to(&mut app, "mt/banjir-semarang.ja");
    press(&mut app, "Enter");
    press(&mut app, "p j j");
    let page = {
        let panes = app.pair_panes();
        usize::from(panes.original.height.min(panes.translation.height) - 2)
    };
    let scroll = |app: &App| app.pair.as_ref().expect("pair").scroll;
    assert_eq!(scroll(&app), 2);
    press(&mut app, "k");
    assert_eq!(scroll(&app), 1);
    let effects = app.handle_key(KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE));
    run(&mut app, effects);
    assert_eq!(scroll(&app), 1 + page);
    press(&mut app, "G");
    let rows = app.pair.as_ref().expect("pair").rows.left.len();
    assert_eq!(scroll(&app), rows - page);
    press(&mut app, "g");
    assert_eq!(scroll(&app), 0);
    // Filters are not for this view; it says how to leave.
    press(&mut app, "s");
    assert!(app.filter.status.is_none());
    assert!(app.message.as_ref().is_some_and(|m| m.0.contains("Esc")));
    press(&mut app, "Esc");
    assert!(app.pair.is_none());
    assert_eq!(
        app.focus,
        super::app::Focus::Reader,
        "back where p was pressed"
    );
    press(&mut app, "Esc p");
    assert!(app.pair.is_some());
    assert!(
        app.handle_key(key("q")).is_empty(),
        "q closes the pair, not the screen"
    );
    assert!(app.pair.is_none() && app.focus == super::app::Focus::List);
}

#[test]
fn marks_in_the_pair_view_go_to_the_translation() {
    let mut app = app();
    go_to(&mut app, "mt/banjir-semarang.id");
    press(&mut app, "Space k");
    let cursor = app.cursor;
    press(&mut app, "p p t");
    assert_eq!(
        app.selection.iter().collect::<Vec<_>>(),
        ["mt/banjir-semarang.id"],
        "the list's selection is neither used nor lost"
    );
    assert_eq!(
        app.state.status_of("mt/banjir-semarang.en"),
        Status::TranslationSuspect
    );
    assert_eq!(
        app.state.status_of("mt/banjir-semarang.id"),
        Status::Untriaged
    );
    assert_eq!(app.cursor, cursor, "no jump to the next untriaged row");
    assert_eq!(
        pair_ids(&app).1,
        "mt/banjir-semarang.en",
        "the pair stays open"
    );
    press(&mut app, "a");
    type_text(&mut app, "quotes differ");
    press(&mut app, "Enter");
    assert_eq!(
        app.state.articles["mt/banjir-semarang.en"].note(),
        Some("quotes differ")
    );
    press(&mut app, "u");
    assert!(app.state.articles["mt/banjir-semarang.en"].note().is_none());
}

#[test]
fn articles_without_a_pair_say_so() {
    let mut app = app();
    go_to(&mut app, "web/musee-soie-lyon");
    let effects = app.handle_key(key("p"));
    assert!(effects.is_empty() && app.pair.is_none());
    assert_eq!(
        app.message.as_ref().map(|m| m.0.as_str()),
        Some("no original or translation of this article in the inbox")
    );
    go_to(&mut app, "mt/festival-kopi-toraja.en");
    press(&mut app, "p");
    assert!(app.pair.is_none());
    let message = app.message.clone().expect("message").0;
    assert!(
        message.starts_with("original '") && message.ends_with("' is not in the inbox"),
        "{message}"
    );
}

#[test]
fn a_resize_rewraps_both_sides_to_their_columns() {
    let mut app = app();
    go_to(&mut app, "mt/banjir-semarang.zh");
    press(&mut app, "p");
    for (w, h) in [(200, 50), (80, 24), (121, 30)] {
        app.resize(w, h);
        let panes = app.pair_panes();
        let pair = app.pair.as_ref().expect("pair");
        for (rows, rect) in [
            (&pair.rows.left, panes.original),
            (&pair.rows.right, panes.translation),
        ] {
            let inner = usize::from(rect.width - 2);
            let widest = rows
                .iter()
                .map(|l| crate::listing::width_of(&l.line.text))
                .max()
                .unwrap_or(0);
            assert!(
                widest <= inner && widest + 2 >= inner,
                "{w}x{h}: {widest} in {inner}"
            );
        }
    }
}

#[test]
fn o_puts_suspects_first_strongest_then_newest() {
    let mut app = app();
    press(&mut app, "j j o");
    assert_eq!(app.sort, super::app::SortKey::Signals);
    assert_eq!(app.cursor, 0, "on the most suspect article");
    assert_eq!(app.reader.id, Some(id_at(&app, 0)));
    let listed: Vec<&crate::inbox::Article> = app.visible().collect();
    let with_signals = listed
        .iter()
        .take_while(|a| !a.signals().is_empty())
        .count();
    assert_eq!(
        with_signals,
        app.articles
            .iter()
            .filter(|a| !a.signals().is_empty())
            .count(),
        "every article with a signal comes before every article without"
    );
    // The French Semarang translation leads (mt-disclaimer 3 + untranslated-fragment 5 +
    // share-residue 1), then the Kelantan one (3 + 5), then the strongest single signals
    // (lang-mismatch, untranslated-fragment: 5); articles with two signals come before
    // articles with a single weak one.
    let top: Vec<&str> = listed[..4].iter().map(|a| &*a.id).collect();
    assert_eq!(top[..2], ["mt/banjir-semarang.fr", "mt/banjir-kelantan.en"]);
    let mut fives = top[2..].to_vec();
    fives.sort();
    assert_eq!(
        fives,
        ["mt/panen-padi-demak.en", "web/startup-irigasi-bandung"]
    );
    let two = |a: &&&crate::inbox::Article| a.signals().len() == 2;
    let last_two = listed.iter().rposition(|a| two(&a)).expect("two signals");
    let first_share_only = listed
        .iter()
        .position(|a| a.signal_names() == ["share-residue"])
        .expect("share only");
    assert!(last_two < first_share_only);
    // Ties keep the date order: newest first.
    for pair in listed[..with_signals].windows(2) {
        if pair[0].signals() == pair[1].signals() {
            assert!(
                pair[0].date >= pair[1].date,
                "{} / {}",
                pair[0].id,
                pair[1].id
            );
        }
    }
    press(&mut app, "o o o");
    assert_eq!(app.sort, super::app::SortKey::Date);
}

#[test]
fn the_pair_view_survives_tiny_terminals() {
    let mut app = app();
    go_to(&mut app, "mt/banjir-semarang.ar");
    press(&mut app, "p");
    for (w, h) in [(10, 3), (1, 1), (0, 0), (30, 8), (119, 30), (120, 30)] {
        app.resize(w, h);
        press(&mut app, "j G k p");
        assert!(app.pair.is_some());
        let backend = ratatui::backend::TestBackend::new(w.max(1), h.max(1));
        let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
        terminal.draw(|f| crate::ui::draw(f, &app)).expect("draw");
    }
    assert!(!app.pair_panes().stacked, "120 columns: side by side");
}

#[test]
fn the_pair_asks_for_the_bodies_it_lacks_and_shows_a_read_error_on_its_side() {
    let mut app = app();
    go_to(&mut app, "mt/banjir-semarang.fr");
    let effects = app.handle_key(key("p"));
    // The translation's body is already in the reader: only the original is read.
    let loads: Vec<&str> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadBody { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(loads, ["mt/banjir-semarang.id"]);
    let text = |rows: &[crate::ui::reader::ReaderLine]| {
        rows.iter()
            .map(|l| l.line.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let pair = app.pair.as_ref().expect("pair");
    assert!(text(&pair.rows.left).contains("loading…"));
    assert!(text(&pair.rows.right).contains("SEMARANG (24/11/2026)"));
    app.body_loaded("mt/banjir-semarang.id", Err("file vanished".into()));
    let pair = app.pair.as_ref().expect("pair");
    assert!(text(&pair.rows.left).contains("cannot read the text: file vanished"));
    assert_eq!(pair.rows.left.len(), pair.rows.right.len());
    // A late body for an article no longer shown changes nothing.
    let before = pair.rows.clone();
    app.body_loaded("mt/banjir-semarang.en", Err("late".into()));
    assert_eq!(app.pair.as_ref().expect("pair").rows, before);
}

#[test]
fn live_arrivals_are_new_until_looked_at_and_the_cursor_keeps_its_article_and_row() {
    let mut app = app();
    for _ in 0..5 {
        let effects = app.update(crate::tui::action::Action::MoveDown);
        run(&mut app, effects);
    }
    let reading = app.current().map(|a| a.id.clone());
    let row = app.cursor - app.offset;
    // Two arrivals newer than everything: both land above the cursor.
    let mut articles = shared(&sample().articles);
    let mut newest = (*articles[0]).clone();
    newest.date += chrono::Duration::hours(1);
    let mut second = newest.clone();
    newest.id = "wire/arrival-1".into();
    second.id = "wire/arrival-2".into();
    articles.insert(0, Arc::new(second));
    articles.insert(0, Arc::new(newest));
    let effects = app.inbox_loaded(articles.clone(), Some(&[]));
    run(&mut app, effects);
    assert_eq!(app.current().map(|a| a.id.clone()), reading);
    assert_eq!(
        app.cursor - app.offset,
        row,
        "the cursor stays on its screen row"
    );
    assert!(app.is_fresh("wire/arrival-1") && app.is_fresh("wire/arrival-2"));
    assert!(!app.is_fresh(reading.as_deref().unwrap_or_default()));
    assert_eq!(
        app.message.as_ref().map(|m| m.0.as_str()),
        Some("2 new articles")
    );

    // Looking at one clears its mark; the other stays new.
    let effects = app.update(crate::tui::action::Action::First);
    run(&mut app, effects);
    assert_eq!(app.current().map(|a| &*a.id), Some("wire/arrival-1"));
    assert!(!app.is_fresh("wire/arrival-1"));
    assert!(app.is_fresh("wire/arrival-2"));

    // A file that went away takes its article with it, and its new mark, and says so.
    articles.remove(1);
    let effects = app.inbox_loaded(articles, Some(&[]));
    run(&mut app, effects);
    assert!(!app.is_fresh("wire/arrival-2"));
    assert_eq!(app.articles.len(), sample().articles.len() + 1);
    assert_eq!(
        app.message.as_ref().map(|m| m.0.as_str()),
        Some("1 article removed")
    );
}

/// helper 27: the article being read went away and the reader slid to another one, without
/// a word: the next `v` would have verified copy nobody read.
#[test]
fn the_article_being_read_going_away_closes_the_reader_and_says_so() {
    let mut app = app();
    press(&mut app, "j j Enter");
    assert_eq!(app.focus, super::app::Focus::Reader);
    let reading = app.current().cloned().expect("an article");
    let articles: Vec<Arc<Article>> = app
        .articles
        .iter()
        .filter(|a| a.id != reading.id)
        .cloned()
        .collect();
    let effects = app.inbox_loaded(articles, Some(&[]));
    run(&mut app, effects);
    assert_eq!(app.focus, super::app::Focus::List);
    assert_eq!(
        app.message.clone().map(|m| m.0),
        Some(format!(
            "{} is no longer in the inbox: its file went away or no longer holds it",
            reading.id
        ))
    );
    // Not read, not marked: the same key now works on the list's row, as it says.
    assert!(app.state.articles.is_empty());
}

/// helper 32: the side-by-side view stayed open, blank, when either side's file went, and
/// `v` then saved a decision for copy no longer there.
#[test]
fn either_side_of_the_pair_going_away_closes_it_and_says_so() {
    for gone in ["mt/banjir-semarang.fr", "mt/banjir-semarang.id"] {
        let mut app = app();
        go_to(&mut app, "mt/banjir-semarang.fr");
        press(&mut app, "p");
        assert!(app.pair.is_some());
        let articles: Vec<Arc<Article>> = app
            .articles
            .iter()
            .filter(|a| &*a.id != gone)
            .cloned()
            .collect();
        let effects = app.inbox_loaded(articles, Some(&[]));
        run(&mut app, effects);
        assert!(app.pair.is_none(), "{gone}");
        assert_eq!(app.focus, super::app::Focus::List);
        let said = app.message.clone().map(|m| m.0).unwrap_or_default();
        assert!(
            said.starts_with(&format!("{gone} is no longer in the inbox")),
            "{said}"
        );
        press(&mut app, "v");
        assert!(
            !app.state.articles.contains_key(gone),
            "nothing is decided on copy that went"
        );
    }
}

#[test]
fn a_live_update_says_what_arrived_changed_and_went() {
    let mut app = app();
    let mut articles = app.articles.clone();
    let gone = articles.pop().expect("an article");
    let mut edited = (*articles[1]).clone();
    edited.body_crc ^= 1;
    articles[1] = Arc::new(edited);
    let mut new = (*articles[0]).clone();
    new.id = "wire/arrival".into();
    articles.push(Arc::new(new));
    let changed = [articles[1].location.rel_path.to_path_buf()];
    let effects = app.inbox_loaded(articles, Some(&changed));
    run(&mut app, effects);
    assert_eq!(
        app.message.clone().map(|m| m.0),
        Some("1 new article, 1 changed, 1 removed".into()),
        "{} went",
        gone.id
    );
}

#[test]
fn a_changed_file_marks_its_article_new_and_the_reader_reads_it_again() {
    let mut app = app();
    let effects = app.update(crate::tui::action::Action::MoveDown);
    run(&mut app, effects);
    let reading = app.current().cloned().expect("an article");
    let other = app.articles[app.view[3]].clone();
    let touched = app.articles[app.view[5]].clone();
    // Three files read again: two edited in their bodies only (nothing the list shows), one
    // only touched (the same article).
    let edited = |a: &Arc<Article>| {
        let mut a = (**a).clone();
        a.body_crc ^= 1;
        Arc::new(a)
    };
    let articles: Vec<Arc<Article>> = app
        .articles
        .iter()
        .map(|a| match &*a.id {
            id if id == &*reading.id || id == &*other.id => edited(a),
            _ => a.clone(),
        })
        .collect();
    let changed = [&reading, &other, &touched].map(|a| a.location.rel_path.to_path_buf());
    let effects = app.inbox_loaded(articles, Some(&changed));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadBody { id, .. } if **id == *reading.id)),
        "the body of the article being read is read again: {effects:?}"
    );
    run(&mut app, effects);
    assert!(app.is_fresh(&other.id), "changed since looked at");
    assert!(!app.is_fresh(&reading.id), "being read: seen");
    assert!(!app.is_fresh(&touched.id), "read again, but the same");
    assert_eq!(
        app.message.as_ref().map(|m| m.0.as_str()),
        Some("2 articles changed")
    );
}

/// An empty screen at 80x24 whose first index has just started.
fn scanning_app() -> App {
    let keymap = Keymap::new(&BTreeMap::new()).expect("keymap");
    let mut app = App::new(Vec::new(), State::default(), keymap, options(), (80, 24));
    app.scan_started();
    app
}

#[test]
fn the_first_index_fills_the_list_batch_by_batch() {
    let mut app = scanning_app();
    let all = shared(&sample().articles);
    let (older, newer) = all.split_at(all.len() / 2);
    let progress = crate::inbox::index::Progress {
        done: 1,
        total: 2,
        ..Default::default()
    };
    // The older half is read first, as the screen's first batch: it opens the reader.
    let effects = app.scan_batch(progress, older.to_vec());
    run(&mut app, effects);
    assert_eq!(app.view.len(), older.len());
    assert_eq!(app.reader.id.as_deref(), app.current().map(|a| &*a.id));
    // Newer articles come in above: the reader shows what the cursor's row holds now.
    let effects = app.scan_batch(progress, newer.to_vec());
    run(&mut app, effects);
    assert_eq!(app.reader.id.as_deref(), app.current().map(|a| &*a.id));
    assert!(app.reader.body.is_some(), "its body loaded");
    // Newest first whatever the order the files were read in.
    assert_eq!(app.articles, all);
    assert!(app.scan.is_some());
    let effects = app.inbox_loaded(all.clone(), None);
    run(&mut app, effects);
    assert_eq!(app.reader.id.as_deref(), app.current().map(|a| &*a.id));
    assert!(app.scan.is_none());
    assert!(
        !app.is_fresh(&all[0].id),
        "the first index marks nothing new"
    );
}

/// helper 27: a date read from a dateline or a file name is a day; it showed as midnight,
/// so a translation dated "(24/11/2026)" looked newer than its 06:45 original. helper 34: so
/// did a day alone in the front matter (`date = 2026-11-22`).
#[test]
fn a_day_without_a_time_does_not_pose_as_midnight() {
    let by_dateline = sample()
        .articles
        .iter()
        .find(|a| a.date_source == crate::inbox::DateSource::Text)
        .expect("a sample article dated by its dateline");
    let by_front_matter = sample()
        .articles
        .iter()
        .find(|a| &*a.id == "mt/panen-padi-demak.en")
        .expect("the sample article with a bare TOML date");
    for (day_only, source) in [(by_dateline, "text"), (by_front_matter, "metadata")] {
        let mut app = app();
        go_to(&mut app, &day_only.id);
        let screen = screen_text(&app, 100, 40);
        let day = options().zone.convert(&day_only.date);
        let title_start: String = day_only.title.chars().take(20).collect();
        let row = format!("{} --:--", day.format("%m-%d"));
        assert!(
            screen
                .lines()
                .any(|l| l.contains(&row) && l.contains(&title_start)),
            "{screen}"
        );
        let said = format!("{} ({source}: the day only)", day.format("%Y-%m-%d"));
        assert!(screen.contains(&said), "{screen}");
        assert!(screen.contains(" times +07:00 "), "the list names the zone");
    }
}

/// The screen drawn on a TestBackend, as text.
fn screen_text(app: &App, w: u16, h: u16) -> String {
    let backend = ratatui::backend::TestBackend::new(w, h);
    let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
    terminal.draw(|f| crate::ui::draw(f, app)).expect("draw");
    let buffer = terminal.backend().buffer();
    buffer
        .content()
        .chunks(usize::from(w))
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_listed_inbox_says_its_languages_are_still_being_detected() {
    let mut app = scanning_app();
    let detected = shared(&sample().articles);
    let listed: Vec<Arc<Article>> = detected
        .iter()
        .map(|a| {
            let mut a = Article::clone(a);
            a.pending = true;
            a.lang = a.declared_lang.clone().unwrap_or_else(|| "und".into());
            a.rare = None;
            Arc::new(a)
        })
        .collect();
    let effects = app.inbox_loaded(listed, None);
    run(&mut app, effects);
    assert!(app.message.is_none(), "{:?}", app.message);
    app.scan_progress(crate::inbox::index::Progress {
        done: 3,
        total: 42,
        phase: crate::inbox::index::Phase::Detecting,
    });
    let screen = screen_text(&app, 80, 24);
    assert!(screen.contains("detecting languages 7%"), "{screen}");
    assert!(
        screen.contains("…"),
        "pending languages are marked: {screen}"
    );

    let effects = app.inbox_loaded(detected.clone(), None);
    run(&mut app, effects);
    let screen = screen_text(&app, 80, 24);
    assert!(screen.contains("articles indexed"), "{screen}");
    assert!(!screen.contains("detecting"), "{screen}");
    assert!(
        !app.is_fresh(&detected[0].id),
        "detection marks nothing new"
    );
}

#[test]
fn counts_kept_up_by_each_save_match_a_full_recount() {
    let mut app = app();
    for key in ["v", "v", "r", "t", "k", "x", "u", "j", "j", "t"] {
        let code = KeyCode::Char(key.chars().next().expect("key"));
        let effects = app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
        run(&mut app, effects);
        let full = super::index::Index::new(&app.articles, &app.state).counts();
        assert_eq!(app.counts(), full, "after {key}");
    }
    assert!(app.state.articles.len() >= 3, "the keys did mark");
}

#[test]
fn keys_do_nothing_unseen_in_a_terminal_too_small_to_show_them() {
    let mut app = app();
    app.resize(20, 5);
    assert!(app.too_small());
    press(&mut app, "j j j v a");
    assert_eq!(app.cursor, 0);
    assert!(app.state.articles.is_empty(), "nothing marked blind");
    assert!(app.prompt.is_none());
    assert_eq!(app.handle_key(key("q")), vec![Effect::Quit]);
    app.resize(80, 24);
    press(&mut app, "j");
    assert_eq!(app.cursor, 1, "keys work again once it is big enough");
}

#[test]
fn search_or_export_from_the_pair_view_opens_its_prompt_over_the_list() {
    for (key_name, kind) in [("/", PromptKind::Search), ("e", PromptKind::Export)] {
        let mut app = app();
        go_to(&mut app, "mt/banjir-semarang.fr");
        press(&mut app, "p");
        assert!(app.pair.is_some());
        press(&mut app, key_name);
        assert!(app.pair.is_none(), "{key_name}");
        assert_eq!(app.prompt.as_ref().map(|p| p.kind.clone()), Some(kind));
        // What follows is typed into the prompt, not run as keys (t would mark).
        type_text(&mut app, "kota");
        assert!(app.state.articles.is_empty());
    }
}

#[test]
fn after_a_mark_the_cursor_skips_articles_already_decided() {
    let mut app = app();
    press(&mut app, "j r");
    let decided = id_at(&app, 1);
    assert_eq!(app.state.status_of(&decided), Status::NeedsReview);
    press(&mut app, "g v");
    assert_eq!(
        app.cursor, 2,
        "row 2 is decided: the next untriaged is row 3"
    );
}

#[test]
fn an_export_name_alone_goes_to_the_export_folder_and_a_folder_is_refused()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let mut app = app();
    app.options.export_dir = dir.path().display().to_string();
    let state_path = dir.path().join("state.toml");
    let to = super::ExportTarget {
        state_path: &state_path,
        home: None,
    };
    super::export_listed(&mut app, "out.csv".into(), ExportFormat::Csv, false, &to);
    let written = dir.path().join("out.csv");
    assert!(std::fs::read_to_string(&written)?.starts_with("id,date"));
    let (message, _) = app.message.clone().expect("a message");
    assert!(
        message.ends_with(&format!("to {}", written.display())),
        "{message}"
    );
    let folder = dir.path().display().to_string();
    let effects = super::export_listed(&mut app, folder, ExportFormat::Csv, false, &to);
    assert_eq!(effects, Vec::new());
    assert!(
        app.prompt.is_none(),
        "no question about overwriting a folder"
    );
    let (message, level) = app.message.clone().expect("a message");
    assert!(message.contains("is a folder"), "{message}");
    assert_eq!(level, Level::Error);
    // The state's own files are refused, even when the editor would say yes.
    for (name, what) in [
        ("state.journal.toml", "the state journal"),
        ("state.toml", "the state file"),
    ] {
        std::fs::write(dir.path().join(name), "marks\n")?;
        let effects = super::export_listed(&mut app, name.into(), ExportFormat::Csv, true, &to);
        assert_eq!(effects, Vec::new());
        let (message, level) = app.message.clone().expect("a message");
        assert!(message.contains(what), "{message}");
        assert_eq!(level, Level::Error);
        assert_eq!(std::fs::read_to_string(dir.path().join(name))?, "marks\n");
    }
    Ok(())
}

#[test]
fn undoing_a_merged_note_puts_back_the_one_seen_before() {
    let mut app = app();
    let a = id_at(&app, 0);
    press(&mut app, "g a");
    let names = NoteChange::Set("names checked".into());
    others_save(
        &mut app,
        &Change::note(a.clone(), Status::Untriaged, names),
        "bob",
        now(),
    );
    type_text(&mut app, "quotes checked");
    press(&mut app, "Enter");
    let note = app.state.articles[&a].note();
    assert_eq!(note, Some("[bob] names checked / [ayu] quotes checked"));
    press(&mut app, "u");
    assert_eq!(app.state.articles[&a].note(), Some("names checked"));
}

#[test]
fn a_save_that_read_others_changes_first_undoes_only_its_own() {
    for theirs in [
        Change::note(
            String::new(),
            Status::Untriaged,
            NoteChange::Set("theirs".into()),
        ),
        Change::decision(String::new(), Status::Verified, NoteChange::Keep),
    ] {
        let mut app = app();
        let a = id_at(&app, 0);
        press(&mut app, "g a");
        type_text(&mut app, "mine");
        let effects = app.handle_key(key("Enter"));
        let theirs = Change {
            id: a.clone(),
            ..theirs
        };
        let mut theirs_only = app.state.clone();
        theirs_only.apply(&theirs, "bob", now());
        run_with_outside(&mut app, effects, Some((&theirs, "bob")));
        assert_ne!(app.state.articles.get(&a), theirs_only.articles.get(&a));
        press(&mut app, "u");
        let seen = |s: &State| {
            let e = &s.articles[&a];
            (
                e.status,
                e.editor.clone(),
                e.marked_at,
                e.note().map(str::to_string),
            )
        };
        assert_eq!(seen(&app.state), seen(&theirs_only), "{theirs:?}");
        if theirs_only.articles[&a].note().is_some() {
            let by = |s: &State| s.articles[&a].note_by().map(str::to_string);
            assert_eq!(by(&app.state), by(&theirs_only), "their note stays theirs");
        }
        assert_eq!(
            app.message.clone().expect("message").0,
            format!("undone: note on {a}")
        );
    }
}

/// helper 27: a save that read another editor's mark of another article first left no undo,
/// and `u` undid an older change instead of the last one.
#[test]
fn the_last_mark_is_undone_even_when_its_save_read_others_marks_first() {
    let mut app = app();
    let (a, b, c) = (id_at(&app, 0), id_at(&app, 1), id_at(&app, 2));
    press(&mut app, "g v");
    assert_eq!(app.state.status_of(&a), Status::Verified);
    let theirs = Change::new(c.clone(), Status::Verified, NoteChange::Keep);
    press(&mut app, "g j");
    let effects = app.handle_key(key("r"));
    run_with_outside(&mut app, effects, Some((&theirs, "bob")));
    assert_eq!(app.state.status_of(&b), Status::NeedsReview);
    press(&mut app, "u");
    assert_eq!(
        [&a, &b, &c].map(|id| app.state.status_of(id)),
        [Status::Verified, Status::Untriaged, Status::Verified]
    );
    assert_eq!(app.state.articles[&c].editor, "bob");
    assert_eq!(id_at(&app, app.cursor), b);
}

/// helper 27: one key over a decision this screen had not shown yet replaced it silently.
#[test]
fn one_key_does_not_overwrite_a_decision_the_screen_had_not_shown() {
    for seen in [None, Some(Status::NeedsReview)] {
        let mut app = app();
        let a = id_at(&app, 0);
        if let Some(status) = seen {
            press(&mut app, &format!("g {}", status_key(status)));
        }
        let theirs = Change::new(a.clone(), Status::TranslationSuspect, NoteChange::Keep);
        press(&mut app, "g");
        let effects = app.handle_key(key("v"));
        run_with_outside(&mut app, effects, Some((&theirs, "bob")));
        let entry = &app.state.articles[&a];
        assert_eq!(
            (entry.status, entry.editor.as_str()),
            (Status::TranslationSuspect, "bob")
        );
        assert_eq!(
            app.message.clone().expect("message").0,
            format!("not marked: {a} (decided by bob meanwhile)")
        );
        // Now shown: the same key decides.
        press(&mut app, "g v");
        assert_eq!(app.state.status_of(&a), Status::Verified);
    }
}

fn status_key(status: Status) -> &'static str {
    match status {
        Status::Verified => "v",
        Status::NeedsReview => "r",
        Status::TranslationSuspect => "t",
        Status::Untriaged => "x",
    }
}

#[test]
fn a_decision_over_another_files_decision_is_not_undone_into_untriaged() {
    let mut app = app();
    let a = id_at(&app, 0);
    let change = Change::decision(
        a.clone(),
        Status::Verified,
        NoteChange::Set("marc's".into()),
    );
    others_save(&mut app, &change.on_file("gone/old-copy.md"), "marc", now());
    press(&mut app, "g r u");
    let e = &app.state.articles[&a];
    assert_eq!((e.status, e.editor.as_str()), (Status::NeedsReview, "ayu"));
    assert_eq!(e.history.len(), 1, "marc's decision kept in the history");
    assert_eq!(e.history[0].note.as_deref(), Some("marc's"));
    assert_eq!(app.message.clone().expect("message").0, "nothing to undo");
}

#[test]
fn only_a_decision_whose_id_does_not_name_its_file_records_the_file() {
    let named = |id: &str| {
        let a = sample().get(id).expect("sample article");
        a.id_names_its_file()
    };
    assert!(named("wire/kazan-tram.ru"));
    assert!(named("feeds/jornal-da-ribeira.atom#68647cf7"));
    assert!(!named("panen-demak-2026"), "declared in the front matter");
    let mut app = app();
    for id in ["wire/kazan-tram.ru", "panen-demak-2026"] {
        press(&mut app, "/");
        type_text(&mut app, id);
        press(&mut app, "Enter v");
    }
    assert_eq!(app.state.articles["wire/kazan-tram.ru"].file, None);
    let declared = app.state.articles["panen-demak-2026"].file.as_deref();
    assert_eq!(declared, Some("mt/panen-padi-demak.id.md"));
}
