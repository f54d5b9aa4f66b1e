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
