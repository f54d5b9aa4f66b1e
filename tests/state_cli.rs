//! The state file through the real binary: corrupt files are never overwritten, a killed
//! process never blocks the next editor, unknown keys survive, several editors keep their marks.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Desk;

const CORRUPT: &str = "# copydesk triage state\nversion = 1\n\n[articles.\"wire/kazan-tram.ru\"]\nstatus = \"verified\"\neditor = \"ayu\"\nmarked_at = 2026-11-27T09:00:00+07:00\nnote = \"unterminated\n";

#[test]
fn a_corrupt_state_file_is_named_with_its_line_and_never_overwritten() {
    let desk = Desk::new();
    std::fs::create_dir_all(desk.state_path().parent().expect("folder")).expect("mkdir");
    std::fs::write(desk.state_path(), CORRUPT).expect("write");
    for args in [
        &["list"][..],
        &["mark", "wire/kazan-tram.ru", "--as", "needs-review"],
        &[],
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

#[test]
fn eight_editors_marking_at_once_keep_every_mark() {
    let desk = Desk::new();
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
                .args(["--inbox"])
                .arg(&desk.inbox)
                .arg("--config")
                .arg(&desk.config)
                .args([
                    "--editor",
                    &format!("editor{n}"),
                    "mark",
                    id,
                    "--as",
                    "translation-suspect",
                ])
                .stdout(Stdio::null())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for mut c in children {
        assert!(c.wait().expect("wait").success());
    }
    let state: toml::Table = std::fs::read_to_string(desk.state_path())
        .expect("state")
        .parse()
        .expect("parses");
    let articles = state["articles"].as_table().expect("articles");
    for (n, id) in ids.iter().enumerate() {
        assert_eq!(
            articles[id.as_str()]["editor"].as_str(),
            Some(format!("editor{n}").as_str()),
            "{id}"
        );
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
            .contains("state.journal.toml', line 9: the last save there was cut short"),
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
