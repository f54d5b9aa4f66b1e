//! The state file through the real binary: corrupt files are never overwritten, a killed
//! process never blocks the next editor, unknown keys survive, several editors keep their marks.

mod common;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::sync::Barrier;
use std::time::{Duration, Instant};

use common::Desk;

const CORRUPT: &str = "# copydesk triage state\nversion = 1\n\n[articles.\"wire/kazan-tram.ru\"]\nstatus = \"verified\"\neditor = \"ayu\"\nmarked_at = 2026-11-27T09:00:00+07:00\nnote = \"unterminated\n";

#[test]
fn a_corrupt_state_file_is_named_with_its_line_and_never_overwritten() {
    let desk = Desk::new();
    std::fs::create_dir_all(desk.state_path().parent().expect("folder")).expect("mkdir");
    std::fs::write(desk.state_path(), CORRUPT).expect("write");
    // The screen opens read-only instead: tests/e2e_tmux.rs.
    for args in [
        &["list"][..],
        &["mark", "wire/kazan-tram.ru", "--as", "needs-review"],
    ] {
        let run = desk.run(args);
        assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(
            first.contains("state.toml', line 8:"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            first.contains("the file was left untouched"),
            "{}",
            run.stderr
        );
        assert_eq!(
            std::fs::read_to_string(desk.state_path()).expect("state"),
            CORRUPT
        );
    }
}

#[test]
fn keys_from_a_newer_version_survive_a_mark() {
    let desk = Desk::new();
    std::fs::create_dir_all(desk.state_path().parent().expect("folder")).expect("mkdir");
    let newer = "version = 2\nsync = \"cms\"\n\n[articles.\"wire/kazan-tram.ru\"]\nstatus = \"verified\"\neditor = \"ayu\"\nmarked_at = 2026-11-27T09:00:00+07:00\npriority = 3\n";
    std::fs::write(desk.state_path(), newer).expect("write");
    desk.mark("marc", &["wire/kazan-tram.ru"], "needs-review", None);
    let after: toml::Table = std::fs::read_to_string(desk.state_path())
        .expect("state")
        .parse()
        .expect("parses");
    assert_eq!(after["version"].as_integer(), Some(2));
    assert_eq!(after["sync"].as_str(), Some("cms"));
    let entry = &after["articles"]["wire/kazan-tram.ru"];
    assert_eq!(entry["priority"].as_integer(), Some(3));
    assert_eq!(entry["status"].as_str(), Some("needs-review"));
    assert_eq!(entry["history"][0]["editor"].as_str(), Some("ayu"));
}

#[test]
fn a_killed_lock_holder_does_not_block_the_next_editor() {
    let desk = Desk::new();
    desk.mark("ayu", &["wire/kazan-tram.ru"], "verified", None);
    let lock = desk.inbox.join(".copydesk/state.toml.lock");
    let Ok(mut holder) = Command::new("flock")
        .args(["-x", "-o"])
        .arg(&lock)
        .args(["sleep", "60"])
        .stdout(Stdio::null())
        .spawn()
    else {
        eprintln!("flock(1) is not installed: skipping");
        return;
    };
    // Wait until the holder really has the lock: a non-blocking attempt must fail.
    let start = Instant::now();
    while Command::new("flock")
        .args(["-n", "-x"])
        .arg(&lock)
        .arg("true")
        .status()
        .is_ok_and(|s| s.success())
    {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the holder never took the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    holder.kill().expect("SIGKILL the holder");
    holder.wait().expect("reap");
    let start = Instant::now();
    desk.mark("marc", &["web/musee-soie-lyon"], "verified", None);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "the next editor waited {:?}",
        start.elapsed()
    );
    let state = std::fs::read_to_string(desk.state_path()).expect("state");
    assert!(
        state.contains("[articles.\"wire/kazan-tram.ru\"]")
            && state.contains("[articles.\"web/musee-soie-lyon\"]"),
        "{state}"
    );
}

/// The clock `step` seconds after `common::NOW`.
fn at_step(step: usize) -> String {
    let base: chrono::DateTime<chrono::FixedOffset> = common::NOW.parse().expect("NOW");
    (base + chrono::Duration::seconds(step as i64)).to_rfc3339()
}

/// Every decision of today (current and history) per article, oldest first, as
/// `report --format json` gives them: (editor, status, note).
fn decisions(desk: &Desk, now: &str) -> BTreeMap<String, Vec<(String, String, Option<String>)>> {
    let run = desk.run_at(now, &["report", "--format", "json", "--date", "today"]);
    assert_eq!(run.code, Some(0), "report: {}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("report JSON");
    let mut out: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for d in report["marked"].as_array().expect("marked") {
        out.entry(d["id"].as_str().expect("id").to_string())
            .or_default()
            .push((
                d["editor"].as_str().expect("editor").to_string(),
                d["status"].as_str().expect("status").to_string(),
                d["note"].as_str().map(str::to_string),
            ));
    }
    out
}

/// One `copydesk mark`: (editor, id, status, note, clock step).
type Mark = (String, String, String, Option<String>, usize);

/// Runs `marks` one after another in a thread per editor, all threads released at once.
fn race(desk: &Desk, editors: Vec<Vec<Mark>>) {
    let start = Barrier::new(editors.len());
    std::thread::scope(|scope| {
        for marks in &editors {
            let start = &start;
            scope.spawn(move || {
                start.wait();
                for (editor, id, status, note, step) in marks {
                    desk.mark_at(&at_step(*step), editor, &[id], status, note.as_deref());
                }
            });
        }
    });
}

#[test]
fn eight_editors_marking_at_once_keep_every_mark_and_every_history() {
    let desk = Desk::new();
    let rows = desk.list_json(&[]);
    let ids: Vec<String> = rows
        .iter()
        .take(8)
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect();
    // Eight editors, each marking its own article three times, all at once: 24 writes to one
    // state file racing each other.
    let sequence = ["translation-suspect", "verified", "needs-review"];
    let plans = ids
        .iter()
        .enumerate()
        .map(|(n, id)| {
            sequence
                .iter()
                .enumerate()
                .map(|(k, status)| {
                    let note = format!("editor{n} pass {k}");
                    (
                        format!("editor{n}"),
                        id.clone(),
                        status.to_string(),
                        Some(note),
                        k,
                    )
                })
                .collect()
        })
        .collect();
    race(&desk, plans);
    let history = decisions(&desk, &at_step(10));
    let listed = desk.list_json(&[]);
    for (n, id) in ids.iter().enumerate() {
        let want: Vec<_> = sequence
            .iter()
            .enumerate()
            .map(|(k, s)| {
                (
                    format!("editor{n}"),
                    s.to_string(),
                    Some(format!("editor{n} pass {k}")),
                )
            })
            .collect();
        assert_eq!(history.get(id), Some(&want), "{id}: its history");
        let row = listed
            .iter()
            .find(|r| r["id"] == id.as_str())
            .expect("listed");
        assert_eq!(row["status"], "needs-review", "{id}");
        assert_eq!(row["editor"], format!("editor{n}").as_str(), "{id}");
    }
    assert_eq!(
        history.len(),
        8,
        "no other article was touched: {history:?}"
    );
}

#[test]
fn a_process_marking_while_another_rewrites_notes_overwrites_nothing() {
    let desk = Desk::new();
    let rows = desk.list_json(&[]);
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect();
    let (marked, noted) = (&ids[..5], &ids[5..10]);
    // The articles whose notes are rewritten belong to the lead.
    let noted_ids: Vec<&str> = noted.iter().map(String::as_str).collect();
    desk.mark("lead", &noted_ids, "needs-review", Some("first look"));
    let statuses = ["verified", "translation-suspect", "needs-review"];
    let marker: Vec<_> = statuses
        .iter()
        .enumerate()
        .flat_map(|(k, status)| {
            marked.iter().map(move |id| {
                (
                    "ayu".to_string(),
                    id.clone(),
                    status.to_string(),
                    None,
                    k + 1,
                )
            })
        })
        .collect();
    let rewriter: Vec<_> = (1..=3)
        .flat_map(|k| {
            noted.iter().map(move |id| {
                let note = format!("rewrite {k}: check the figures");
                // `mark ID --note TEXT`, no `--as`: a note on the lead's decision.
                ("marc".to_string(), id.clone(), String::new(), Some(note), k)
            })
        })
        .collect();
    race(&desk, vec![marker, rewriter]);
    let history = decisions(&desk, &at_step(10));
    let listed = desk.list_json(&[]);
    let row = |id: &str| {
        listed
            .iter()
            .find(|r| r["id"] == id)
            .expect("listed")
            .clone()
    };
    for id in marked {
        let got: Vec<&str> = history[id].iter().map(|(_, s, _)| s.as_str()).collect();
        assert_eq!(got, statuses, "{id}: every mark of the marker, in order");
        assert_eq!(row(id)["status"], "needs-review");
        assert_eq!(row(id)["editor"], "ayu");
    }
    for id in noted {
        let r = row(id);
        assert_eq!(
            r["note"], "rewrite 3: check the figures",
            "{id}: the last note"
        );
        assert_eq!(r["status"], "needs-review", "{id}");
        assert_eq!(
            r["editor"], "lead",
            "{id}: a note does not take the decision"
        );
        assert_eq!(history[id].len(), 1, "{id}: notes are not decisions");
    }
}

#[test]
fn mark_checks_every_id_before_writing_anything() {
    let desk = Desk::new();
    let stderr = desk.refused(
        &[
            "mark",
            "wire/kazan-tram.ru",
            "no/such-story",
            "--as",
            "verified",
        ],
        "'no/such-story'",
    );
    assert!(
        stderr.starts_with("copydesk: no article with id 'no/such-story'"),
        "{stderr}"
    );
    assert_eq!(desk.state_bytes(), None, "nothing was written");
}

#[test]
fn mark_asks_for_a_status_or_a_note_and_takes_a_note_that_begins_with_a_dash() {
    let desk = Desk::new();
    let stderr = desk.refused(&["mark", "wire/kazan-tram.ru"], "--note <TEXT>");
    assert!(stderr.contains("--as <STATUS>"), "{stderr}");
    assert_eq!(desk.state_bytes(), None, "nothing was written");
    desk.ok(&["mark", "wire/kazan-tram.ru", "--note", "-2 in the headline"]);
    let rows = desk.list_json(&[]);
    assert_eq!(
        row(&rows, "wire/kazan-tram.ru")["note"],
        "-2 in the headline"
    );
}

/// A decision on copy whose file was written again afterwards says so in `show`.
#[test]
fn show_says_when_a_decided_articles_file_was_written_after_the_decision() {
    let desk = Desk::new();
    let file = desk.inbox.join("wire/kazan-tram.ru.md");
    let set_mtime = |rfc3339: &str| {
        let at = chrono::DateTime::parse_from_rfc3339(rfc3339).expect("time");
        let f = std::fs::File::options()
            .write(true)
            .open(&file)
            .expect("open");
        f.set_modified(at.into()).expect("set mtime");
    };
    set_mtime("2026-11-27T02:00:00Z");
    // NOW is 2026-11-27T10:00:00+07:00, 03:00 UTC.
    desk.ok(&["mark", "wire/kazan-tram.ru", "--as", "verified"]);
    let shown = desk.ok(&["show", "wire/kazan-tram.ru"]);
    assert!(!shown.contains("changed:"), "{shown}");
    set_mtime("2026-11-27T05:00:00Z");
    let shown = desk.ok(&["show", "wire/kazan-tram.ru"]);
    assert!(
        shown.contains(
            "changed:  its file was written again at 2026-11-27T05:00:00Z, after this decision"
        ),
        "{shown}"
    );
}

/// A state file past the size where marks go to the journal (256 KiB): 3,000 old decisions.
fn large_state(desk: &Desk) -> Vec<u8> {
    let mut text = String::from("# copydesk triage state\nversion = 1\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "\n[articles.\"archive/2026-10/story-{i:05}\"]\nstatus = \"verified\"\neditor = \"ayu\"\nmarked_at = 2026-10-20T09:00:00+07:00\n"
        ));
    }
    std::fs::create_dir_all(desk.state_path().parent().expect("folder")).expect("mkdir");
    std::fs::write(desk.state_path(), &text).expect("write");
    text.into_bytes()
}

fn journal_path(desk: &Desk) -> std::path::PathBuf {
    desk.inbox.join(".copydesk/state.journal.toml")
}

fn row<'a>(rows: &'a [serde_json::Value], id: &str) -> &'a serde_json::Value {
    rows.iter().find(|r| r["id"] == id).expect("listed")
}

#[test]
fn at_scale_marks_go_to_a_toml_journal_that_every_command_reads() {
    let desk = Desk::new();
    let state = large_state(&desk);
    desk.mark("ayu", &["wire/kazan-tram.ru"], "verified", None);
    desk.mark(
        "marc",
        &["wire/kazan-tram.ru"],
        "translation-suspect",
        Some("check \"quotes\"\nand dates"),
    );
    assert_eq!(
        desk.state_bytes(),
        Some(state),
        "the state file is not rewritten"
    );
    let journal = std::fs::read_to_string(journal_path(&desk)).expect("journal");
    let table: toml::Table = journal.parse().expect("the journal is TOML");
    let marks = table["mark"].as_array().expect("[[mark]] tables");
    assert_eq!(marks.len(), 2, "{journal}");
    assert_eq!(marks[1]["editor"].as_str(), Some("marc"));
    assert_eq!(
        marks[1]["note"].as_str(),
        Some("check \"quotes\"\nand dates")
    );
    let rows = desk.list_json(&[]);
    let kazan = row(&rows, "wire/kazan-tram.ru");
    assert_eq!(kazan["status"], "translation-suspect");
    assert_eq!(kazan["editor"], "marc");
    assert_eq!(kazan["note"], "check \"quotes\"\nand dates");
}

#[test]
fn eight_editors_marking_at_scale_keep_every_mark() {
    let desk = Desk::new();
    large_state(&desk);
    let rows = desk.list_json(&[]);
    let ids: Vec<String> = rows
        .iter()
        .take(8)
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect();
    let children: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| {
            Command::new(env!("CARGO_BIN_EXE_copydesk"))
                .arg("--inbox")
                .arg(&desk.inbox)
                .arg("--config")
                .arg(&desk.config)
                .args([
                    "--editor",
                    &format!("editor{n}"),
                    "mark",
                    id,
                    "--as",
                    "needs-review",
                ])
                .stdout(Stdio::null())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for mut c in children {
        assert!(c.wait().expect("wait").success());
    }
    let journal = std::fs::read_to_string(journal_path(&desk)).expect("journal");
    for n in 1..=8 {
        assert!(journal.contains(&format!("\nseq = {n}\n")), "{journal}");
    }
    let rows = desk.list_json(&[]);
    for (n, id) in ids.iter().enumerate() {
        assert_eq!(row(&rows, id)["editor"], format!("editor{n}"), "{id}");
    }
}

#[test]
fn a_save_cut_short_in_the_journal_is_ignored_with_a_warning() {
    use std::io::Write as _;
    let desk = Desk::new();
    large_state(&desk);
    desk.mark("ayu", &["wire/kazan-tram.ru"], "verified", None);
    let torn = "[[mark]]\nseq = 2\nid = \"web/musee-soie-lyon\"\nstatus = \"ver";
    std::fs::OpenOptions::new()
        .append(true)
        .open(journal_path(&desk))
        .expect("open")
        .write_all(torn.as_bytes())
        .expect("append");
    let run = desk.run(&["list", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stderr
            .contains("state.journal.toml', line 10: the last save there was cut short"),
        "{}",
        run.stderr
    );
    let rows: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(row(&rows, "web/musee-soie-lyon")["status"], "untriaged");
    assert_eq!(row(&rows, "wire/kazan-tram.ru")["status"], "verified");
    desk.mark("marc", &["web/musee-soie-lyon"], "needs-review", None);
    let journal = std::fs::read_to_string(journal_path(&desk)).expect("journal");
    assert!(
        !journal.contains("\"ver\n") && !journal.ends_with("\"ver"),
        "{journal}"
    );
    let run = desk.run(&["list", "--format", "json"]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(row(&rows, "web/musee-soie-lyon")["status"], "needs-review");
}

#[test]
fn damage_inside_the_journal_is_named_with_its_line_and_never_overwritten() {
    let desk = Desk::new();
    let state = large_state(&desk);
    desk.mark("ayu", &["wire/kazan-tram.ru"], "verified", None);
    desk.mark("ayu", &["web/musee-soie-lyon"], "verified", None);
    let journal = std::fs::read_to_string(journal_path(&desk)).expect("journal");
    let damaged = journal.replacen("\"ayu\"", "\"bob\"", 1);
    std::fs::write(journal_path(&desk), &damaged).expect("write");
    for args in [
        &["list"][..],
        &["mark", "wire/kazan-tram.ru", "--as", "needs-review"],
    ] {
        let run = desk.run(args);
        assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(
            first.contains("state.journal.toml', line 2: damaged record")
                && first.contains("the file was left untouched"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(
        std::fs::read_to_string(journal_path(&desk)).expect("journal"),
        damaged
    );
    assert_eq!(desk.state_bytes(), Some(state));
}

#[test]
fn a_second_editor_marking_the_same_status_with_a_note_takes_the_decision() {
    let desk = Desk::new();
    desk.mark("ayu", &["wire/kazan-tram.ru"], "verified", None);
    desk.mark(
        "marc",
        &["wire/kazan-tram.ru"],
        "verified",
        Some("checked against the wire"),
    );
    let shown = desk.ok(&["show", "wire/kazan-tram.ru"]);
    assert!(shown.contains("status:   verified by marc"), "{shown}");
    assert!(
        shown.contains("note:     checked against the wire"),
        "{shown}"
    );
    let state: toml::Table = std::fs::read_to_string(desk.state_path())
        .expect("state")
        .parse()
        .expect("parses");
    let entry = &state["articles"]["wire/kazan-tram.ru"];
    assert_eq!(entry["editor"].as_str(), Some("marc"));
    assert!(entry.get("note_by").is_none(), "{entry}");
    assert_eq!(entry["history"][0]["editor"].as_str(), Some("ayu"));
}

#[test]
fn a_state_file_in_a_folder_that_does_not_exist_is_refused() {
    let desk = Desk::new();
    let state = desk.root.join("no/such/state.toml");
    let state = state.to_str().expect("utf-8 path");
    let run = desk.run(&[
        "--state",
        state,
        "mark",
        "wire/kazan-tram.ru",
        "--as",
        "verified",
    ]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("no/such"), "{}", run.stderr);
    assert!(!desk.root.join("no").exists(), "no folder made for a typo");
}

/// A Markdown story declaring the id `same`, as an agency files it.
fn port_strike(agency: &str) -> String {
    format!(
        "---\nid: same\ntitle: Port strike, {agency}\ndate: 2026-11-27T08:00:00+07:00\n---\n\nThe port workers stopped work at dawn.\n"
    )
}

/// An inbox of two files declaring the same id: `dup1.md` (AFP) is `same`, `dup2.md`
/// (Reuters) `same~2`.
fn twin_desk() -> Desk {
    let desk = Desk::empty();
    desk.add("dup1.md", &port_strike("AFP"));
    desk.add("dup2.md", &port_strike("Reuters"));
    desk
}

#[test]
fn a_decision_stays_with_the_file_it_was_made_on_when_ids_move() {
    let desk = twin_desk();
    let checked = desk.ok(&["check"]);
    assert!(
        checked.contains("dup2.md: id 'same' is used twice; this one is 'same~2'"),
        "{checked}"
    );
    desk.mark("ayu", &["same"], "verified", Some("AFP checked"));
    desk.mark("ayu", &["same~2"], "translation-suspect", None);
    let state = std::fs::read_to_string(desk.state_path()).expect("state");
    assert!(state.contains("file = \"dup1.md\""), "{state}");

    // The first file goes: the Reuters story keeps the id it was decided under, and the
    // decision with it; nothing lists as 'same'.
    std::fs::remove_file(desk.inbox.join("dup1.md")).expect("remove");
    let rows = desk.list_json(&[]);
    let reuters = row(&rows, "same~2");
    assert_eq!(reuters["title"], "Port strike, Reuters");
    assert_eq!(reuters["status"], "translation-suspect", "{reuters}");
    assert!(rows.iter().all(|r| r["id"] != "same"), "{rows:?}");
    let shown = desk.ok(&["show", "same~2"]);
    assert!(shown.contains("status:   translation-suspect"), "{shown}");

    // A new file taking the id back is not verified: AFP's decision is not its.
    desk.add("dup0.md", &port_strike("AP"));
    let rows = desk.list_json(&[]);
    assert_eq!(row(&rows, "same")["title"], "Port strike, AP");
    assert_eq!(row(&rows, "same")["status"], "untriaged");
    assert_eq!(row(&rows, "same")["note"], serde_json::Value::Null);
    assert_eq!(row(&rows, "same~2")["status"], "translation-suspect");
    let shown = desk.ok(&["show", "same"]);
    assert!(shown.contains("status:   untriaged"), "{shown}");
    assert!(
        shown.contains(
            "elsewhere: verified by ayu at 2026-11-27T10:00:00+07:00, made on dup1.md (not this file)"
        ),
        "{shown}"
    );
    // A note cannot go on the other file's decision: refused, and why.
    let said = desk.ok(&["--editor", "ayu", "mark", "same", "--note", "beta note"]);
    assert!(
        said.contains("same: its id holds a decision made on dup1.md, not on this article"),
        "{said}"
    );
    assert_eq!(
        row(&desk.list_json(&[]), "same")["note"],
        serde_json::Value::Null
    );
    let checked = desk.ok(&["check"]);
    assert!(
        checked.contains("dup0.md: 'same' shows untriaged: the decision under its id (verified by ayu) was made on dup1.md"),
        "{checked}"
    );

    // Deciding it records its file.
    desk.mark("marc", &["same"], "needs-review", None);
    let rows = desk.list_json(&[]);
    assert_eq!(row(&rows, "same")["status"], "needs-review");
    let state = std::fs::read_to_string(desk.state_path()).expect("state");
    assert!(state.contains("file = \"dup0.md\""), "{state}");
}

#[test]
fn a_twin_keeps_its_decision_when_the_first_file_goes_and_check_says_why() {
    let desk = twin_desk();
    desk.mark("ayu", &["same~2"], "verified", None);
    std::fs::remove_file(desk.inbox.join("dup1.md")).expect("remove");
    assert_eq!(row(&desk.list_json(&[]), "same~2")["status"], "verified");
    let checked = desk.ok(&["check"]);
    assert!(
        checked.contains("dup2.md: id 'same' shows as 'same~2', the id it was decided under while another file was 'same'"),
        "{checked}"
    );

    // A file declaring 'same~2' itself does not take it from the Reuters story (helper 36).
    desk.add(
        "dup3.md",
        &port_strike("AP").replace("id: same", "id: same~2"),
    );
    let rows = desk.list_json(&[]);
    assert_eq!(row(&rows, "same~2")["title"], "Port strike, Reuters");
    assert_eq!(row(&rows, "same~2")["status"], "verified");
    assert_eq!(row(&rows, "same")["title"], "Port strike, AP");
    let checked = desk.ok(&["check"]);
    assert!(
        checked.contains(
            "dup3.md: id 'same~2' is used twice: another file holds it; this one is 'same'"
        ),
        "{checked}"
    );
}

/// An editor files a decided story away in another folder: its decision goes with it (h36 #8:
/// it showed untriaged, and the next mark put the decision and its note in the history).
#[test]
fn a_decision_follows_its_file_moved_to_another_folder() {
    let desk = Desk::empty();
    // At scale, as in a newsroom: the marks go to the journal, replayed by every command.
    large_state(&desk);
    desk.add("mt/strike.md", &port_strike("AFP"));
    desk.mark("ayu", &["same"], "verified", Some("AFP checked"));
    std::fs::create_dir_all(desk.inbox.join("archive")).expect("folder");
    std::fs::rename(
        desk.inbox.join("mt/strike.md"),
        desk.inbox.join("archive/strike.md"),
    )
    .expect("move");
    let rows = desk.list_json(&[]);
    assert_eq!(row(&rows, "same")["status"], "verified", "{rows:?}");
    assert_eq!(row(&rows, "same")["note"], "AFP checked");
    let checked = desk.ok(&["check"]);
    assert!(
        checked.contains("archive/strike.md: the decision under 'same' (verified by ayu) was made on mt/strike.md, which is gone: it follows its id here"),
        "{checked}"
    );
    // The next change records the move, with the decision and its note as they were.
    desk.ok(&["--editor", "marc", "mark", "same", "--note", "photo needed"]);
    let journal = std::fs::read_to_string(journal_path(&desk)).expect("journal");
    assert!(
        journal.contains("file = \"archive/strike.md\"\nmoved_from = \"mt/strike.md\"\n"),
        "{journal}"
    );
    let shown = desk.ok(&["show", "same"]);
    assert!(shown.contains("status:   verified by ayu"), "{shown}");
    assert!(shown.contains("note:     photo needed"), "{shown}");
    assert!(!desk.ok(&["check"]).contains("which is gone"));

    // Renamed as well as moved, it is not taken for the file decided on.
    std::fs::rename(
        desk.inbox.join("archive/strike.md"),
        desk.inbox.join("strike-afp.md"),
    )
    .expect("rename");
    assert_eq!(row(&desk.list_json(&[]), "same")["status"], "untriaged");
}

/// Who marks: `--editor`, else `$COPYDESK_EDITOR`, else the config's `editor`, else `$USER`;
/// an empty `COPYDESK_EDITOR=` is unset. The variable is no editor filter for `list`.
#[test]
fn the_editor_is_the_flag_then_copydesk_editor_then_the_config_then_user() {
    let desk = Desk::new();
    let id = "wire/kazan-tram.ru";
    let marked_by = |env: &[(&str, &str)], flag: Option<&str>, status: &str| {
        let mut args = Vec::from_iter(flag.map(|f| ["--editor", f]).into_iter().flatten());
        args.extend(["mark", id, "--as", status]);
        let run = desk.run_env(env, &args);
        assert_eq!(run.code, Some(0), "{env:?} {flag:?}: {run:?}");
        run.stdout
    };
    let env = [("COPYDESK_EDITOR", "ayu")];
    assert_eq!(
        marked_by(&env, None, "verified"),
        "marked 1 article verified as ayu\n"
    );
    assert_eq!(
        marked_by(&env, Some("marc"), "needs-review"),
        "marked 1 article needs-review as marc\n"
    );
    assert_eq!(
        marked_by(&[("COPYDESK_EDITOR", "")], None, "verified"),
        "marked 1 article verified as desk-test\n"
    );
    std::fs::write(&desk.config, "timezone = \"+07:00\"\neditor = \"lead\"\n").expect("config");
    assert_eq!(
        marked_by(&env, None, "needs-review"),
        "marked 1 article needs-review as ayu\n"
    );
    assert_eq!(
        marked_by(&[], None, "verified"),
        "marked 1 article verified as lead\n"
    );
    // Everyone's decisions are listed, not only ayu's.
    let run = desk.run_env(&env, &["list", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("list JSON");
    assert_eq!(rows.len(), desk.list_json(&[]).len());
    // A bad name says where it came from.
    let run = desk.run_env(&[("COPYDESK_EDITOR", "ro\u{1b}bot")], &["list"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("(from $COPYDESK_EDITOR)"),
        "{}",
        run.stderr
    );
}

/// `COPYDESK_INBOX=` and `COPYDESK_NOW=` (a script's empty variables) count as unset.
#[test]
fn empty_copydesk_variables_count_as_unset() {
    let desk = Desk::new();
    let out = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .arg("--config")
        .arg(&desk.config)
        .args(["list", "--format", "json"])
        .current_dir(&desk.inbox)
        .env("COPYDESK_INBOX", "")
        .env("COPYDESK_NOW", "")
        .env("HOME", &desk.root)
        .env("LC_ALL", "C.UTF-8")
        .output()
        .expect("run copydesk");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("list JSON");
    assert_eq!(rows.len(), desk.list_json(&[]).len());
}

/// helper 33: the store writes where a linked state file points, so an export there would
/// replace the live decisions.
#[test]
fn an_export_over_the_state_file_behind_a_link_is_refused() {
    let desk = Desk::new();
    let shared = desk.root.join("shared");
    std::fs::create_dir_all(&shared).expect("folder");
    std::fs::create_dir_all(desk.inbox.join(".copydesk")).expect("folder");
    let real = shared.join("state.toml");
    std::os::unix::fs::symlink(&real, desk.state_path()).expect("link");
    desk.mark("ayu", &["wire/kazan-tram.ru"], "verified", None);
    let before = std::fs::read(&real).expect("the linked state file was written");
    for target in [real.clone(), shared.join("state.toml.lock")] {
        let target = target.to_string_lossy().into_owned();
        let run = desk.run(&["export", "-o", &target]);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(
            run.stderr.contains("choose another output"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(std::fs::read(&real).expect("state"), before);
}
