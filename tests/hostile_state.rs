//! The state files of tests/fixtures/state/ (see MANIFEST.md) through the real binary, on a copy
//! of the hostile inbox: corrupt files are named with their line and cause and never
//! overwritten, ids that look like paths or carry escapes stay keys, keys from a newer version
//! survive a mark.

mod common;

use std::path::{Path, PathBuf};

use common::Desk;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The hostile inbox (without the run-time files) and a copy of one state fixture.
fn desk_with_state(fixture: &str) -> (Desk, PathBuf) {
    let desk = Desk::empty();
    common::copy_tree(&fixtures().join("hostile"), &desk.inbox);
    let dir = desk.root.join("state");
    std::fs::create_dir_all(&dir).expect("state folder");
    let state = dir.join("state.toml");
    std::fs::copy(fixtures().join("state").join(fixture), &state).expect("copy state");
    (desk, state)
}

fn with_state<'a>(state: &'a Path, args: &[&'a str]) -> Vec<&'a str> {
    let mut out = vec!["--state", state.to_str().expect("UTF-8 path")];
    out.extend(args);
    out
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let e = e.expect("entry");
            let p = e.path();
            if e.file_type().expect("type").is_dir() {
                stack.push(p.clone());
            }
            out.push(
                p.strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    out.sort();
    out
}

fn terminal_safe(what: &str, out: &str) {
    let bad: Vec<char> = out
        .chars()
        .filter(|c| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(bad.is_empty(), "{what} printed {bad:?}:\n{out}");
}

#[test]
fn every_corrupt_state_fixture_is_named_with_its_line_and_cause_and_never_overwritten() {
    for (fixture, line, cause) in [
        ("corrupt-syntax.toml", 11, "invalid"),
        ("wrong-types.toml", 10, "'status' should be a string"),
        ("unknown-status.toml", 10, "approved"),
        ("truncated.toml", 23, "string"),
    ] {
        let (desk, state) = desk_with_state(fixture);
        let before = std::fs::read(&state).expect("state");
        for args in [
            &["list"][..],
            &["list", "--format", "json"],
            &["mark", "good-en", "--as", "needs-review"],
            &["report"],
        ] {
            let run = desk.run(&with_state(&state, args));
            assert_eq!(run.code, Some(2), "{fixture} {args:?}: {run:?}");
            assert_eq!(run.stdout, "", "{fixture} {args:?}");
            let first = run.stderr.lines().next().unwrap_or_default();
            let named = format!("state.toml', line {line}: ");
            assert!(
                first.contains(&named) && first.contains(cause),
                "{fixture} {args:?}: want '{named}' and '{cause}' in: {}",
                run.stderr
            );
            assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
            assert_eq!(
                std::fs::read(&state).expect("state"),
                before,
                "{fixture} {args:?} changed the state file"
            );
        }
        // `check` reads the inbox anyway and names the state problem among the others.
        let run = desk.run(&with_state(&state, &["check", "--strict"]));
        assert_eq!(run.code, Some(1), "{fixture}: {run:?}");
        assert!(
            run.stdout.contains(&format!("state.toml', line {line}: ")),
            "{fixture}: {}",
            run.stdout
        );
        assert_eq!(std::fs::read(&state).expect("state"), before);
    }
}

#[test]
fn a_state_error_quoting_escapes_reaches_the_terminal_inert() {
    let (desk, state) = desk_with_state("empty.toml");
    let hostile = "[articles.\"x\\u001b]2;PWNED\\u0007\\u009b31m\\u202e\"]\nstatus = \"bogus\"\neditor = \"e\"\nmarked_at = 2026-11-27T09:00:00Z\n";
    std::fs::write(&state, hostile).expect("state");
    for args in [&["list"][..], &["report"], &["show", "good-en"]] {
        let run = desk.run(&with_state(&state, args));
        assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
        assert!(run.stderr.contains("bogus"), "{args:?}: {}", run.stderr);
        terminal_safe(&format!("{args:?}"), &run.stderr);
    }
    let run = desk.run(&with_state(&state, &["check"]));
    assert!(run.stdout.contains("bogus"), "{}", run.stdout);
    terminal_safe("check", &run.stdout);
}

#[test]
fn an_empty_state_file_is_an_empty_state_and_takes_the_first_mark() {
    let (desk, state) = desk_with_state("empty.toml");
    let rows = desk.list_json(&["--state", state.to_str().expect("path")]);
    assert!(rows.iter().all(|r| r["status"] == "untriaged"));
    desk.ok(&with_state(
        &state,
        &["mark", "good-en", "--as", "verified"],
    ));
    let rows = desk.list_json(&["--state", state.to_str().expect("path")]);
    let good = rows.iter().find(|r| r["id"] == "good-en").expect("good-en");
    assert_eq!(good["status"], "verified");
}

#[test]
fn ids_that_look_like_paths_or_carry_escapes_stay_keys() {
    let (desk, state) = desk_with_state("path-like-id.toml");
    let before = tree(&desk.root);
    let s = state.to_str().expect("path");
    let rows = desk.list_json(&["--state", s]);
    let good = rows.iter().find(|r| r["id"] == "good-en").expect("good-en");
    assert_eq!(good["status"], "verified");
    // Not articles of the inbox: refused by name, escaped, nothing written.
    for id in ["../../etc/passwd", "title\u{1b}]0;pwned\u{7}"] {
        let run = desk.run(&with_state(&state, &["mark", id, "--as", "verified"]));
        assert_eq!(run.code, Some(2), "{id}: {run:?}");
        assert!(run.stderr.contains("no article with id"), "{}", run.stderr);
        terminal_safe("mark's error", &run.stderr);
    }
    desk.ok(&with_state(
        &state,
        &["mark", "good-fr", "--as", "needs-review"],
    ));
    // The odd entries survive the rewrite: the review still lists their decisions (made at
    // 10:00 in the configured +07:00 zone, the day of the test clock), escaped in Markdown.
    let run = desk.run(&with_state(
        &state,
        &["report", "--format", "json", "--date", "today"],
    ));
    assert_eq!(run.code, Some(0), "{run:?}");
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let ids: Vec<&str> = report["marked"]
        .as_array()
        .expect("marked")
        .iter()
        .filter_map(|d| d["id"].as_str())
        .collect();
    for id in [
        "../../etc/passwd",
        "evil\u{0}id",
        "title\u{1b}]0;pwned\u{7}",
        "good-fr",
    ] {
        assert!(ids.contains(&id), "{id:?} lost: {ids:?}");
    }
    let markdown = desk.ok(&with_state(&state, &["report", "--date", "today"]));
    terminal_safe("report", &markdown);
    assert!(markdown.contains("../../etc/passwd"), "{markdown}");
    // Nothing was created from an id: the only new files are the state's own.
    let after: Vec<String> = tree(&desk.root)
        .into_iter()
        .filter(|p| !before.contains(p))
        .filter(|p| !p.starts_with("state/"))
        // The index and state caches in $HOME/.cache/copydesk, named by hashes of paths.
        .filter(|p| !p.starts_with(".cache"))
        .collect();
    assert!(
        after.is_empty(),
        "created outside the state folder: {after:?}"
    );
    assert!(!desk.root.join("etc").exists() && !desk.inbox.join("etc").exists());
}

#[test]
fn every_key_of_a_newer_version_survives_a_mark() {
    let (desk, state) = desk_with_state("newer-version.toml");
    let s = state.to_str().expect("path");
    let rows = desk.list_json(&["--state", s]);
    let status = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .map(|r| r["status"].as_str().expect("status").to_string())
    };
    assert_eq!(status("good-en").as_deref(), Some("verified"));
    assert_eq!(status("good-fr").as_deref(), Some("translation-suspect"));
    assert_eq!(status("escape-osc-title").as_deref(), Some("needs-review"));
    let original: toml::Table = std::fs::read_to_string(&state)
        .expect("state")
        .parse()
        .expect("fixture parses");
    desk.ok(&with_state(
        &state,
        &["mark", "good-en", "--as", "needs-review"],
    ));
    desk.ok(&with_state(
        &state,
        &[
            "mark",
            "escape-osc-title",
            "--as",
            "verified",
            "--note",
            "ok",
        ],
    ));
    let after: toml::Table = std::fs::read_to_string(&state)
        .expect("state")
        .parse()
        .expect("state parses");
    assert_eq!(after["version"].as_integer(), Some(2), "version lowered");
    for key in ["generator", "default_view", "sync"] {
        assert_eq!(after.get(key), original.get(key), "top-level '{key}'");
    }
    let (old, new) = (&original["articles"], &after["articles"]);
    for key in ["priority", "tags", "review"] {
        assert_eq!(
            new["good-en"].get(key),
            old["good-en"].get(key),
            "good-en '{key}'"
        );
    }
    assert_eq!(
        new["escape-osc-title"].get("confidence"),
        old["escape-osc-title"].get("confidence")
    );
    // The old decision moved into the history; the entry written by the newer version, with
    // its unknown 'via', is still there.
    let history = new["good-en"]["history"].as_array().expect("history");
    assert!(
        history
            .iter()
            .any(|h| h.get("via").and_then(toml::Value::as_str) == Some("mobile")),
        "{history:?}"
    );
    for (k, v) in old["good-fr"].as_table().expect("good-fr") {
        assert_eq!(new["good-fr"].get(k), Some(v), "good-fr '{k}'");
    }
}

/// A named pipe where a state file, its journal or its lock should be (the inbox folder is
/// shared: anyone who can write there can make one) is refused with its name, not waited on.
#[test]
fn a_named_pipe_in_place_of_a_state_file_is_refused_not_waited_on() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    for name in ["state.toml", "state.journal.toml", "state.toml.lock"] {
        let desk = Desk::new();
        let dir = desk.inbox.join(".copydesk");
        std::fs::create_dir_all(&dir).expect("state folder");
        let fifo = dir.join(name);
        common::mkfifo(&fifo);
        let done = Arc::new(AtomicBool::new(false));
        let rescuer = common::unblock_after(
            fifo.clone(),
            std::time::Duration::from_secs(10),
            done.clone(),
        );
        let run = desk.run(&["mark", "wire/kazan-tram.ru", "--as", "verified"]);
        done.store(true, Ordering::Relaxed);
        rescuer.join().expect("rescuer");
        assert_eq!(run.code, Some(2), "{name}: {run:?}");
        assert!(
            run.stderr.contains(name) && run.stderr.contains("not a regular file"),
            "{name}: {}",
            run.stderr
        );
        assert!(common::is_fifo(&fifo), "{name} was replaced");
    }
}
