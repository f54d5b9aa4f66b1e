//! End to end: the real binary in a real terminal (tmux), keys typed, the screen and the state
//! file read back. Skips with a message where tmux is not installed.

mod common;

use common::tmux::Tmux;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_copydesk");

/// The screen on `inbox` in a private tmux server; `None` without tmux.
fn start(inbox: &Path, config: &Path, size: (u16, u16)) -> Option<Tmux> {
    let socket = format!(
        "copydesk-e2e-{}-{}",
        std::process::id(),
        inbox.file_name()?.to_string_lossy()
    );
    // The index cache goes beside the inbox, never into the tester's home.
    let cache = inbox.with_file_name("cache");
    let cmd = format!(
        "env LANG=C.UTF-8 TERM=xterm-256color COPYDESK_CACHE_DIR={} {BIN} {} --editor ayu --config {}",
        cache.display(),
        inbox.display(),
        config.display()
    );
    Tmux::start(socket, &cmd, size)
}

fn setup(name: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let inbox = dir.path().join(name);
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample"),
        &inbox,
    );
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "timezone = \"+07:00\"\n").expect("config");
    (dir, inbox, config)
}

fn copydesk(inbox: &Path, config: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .arg("--inbox")
        .arg(inbox)
        .arg("--config")
        .arg(config)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn nth_id(inbox: &Path, config: &Path, n: usize) -> String {
    let json: serde_json::Value =
        serde_json::from_str(&copydesk(inbox, config, &["list", "--format", "json"]))
            .expect("json");
    json[n]["id"].as_str().expect("id").to_string()
}

fn wait_for_file(path: &Path, what: &str, limit: Duration) -> String {
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.contains(what) || start.elapsed() > limit {
            return text;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn j_j_v_marks_the_third_article_and_another_editor_shows_up() {
    let (_dir, inbox, config) = setup("inbox");
    let Some(tmux) = start(&inbox, &config, (80, 24)) else {
        return;
    };
    tmux.wait_for("articles indexed", Duration::from_secs(20))
        .expect("the screen comes up");
    tmux.wait_for("reader 1/", Duration::from_secs(5))
        .expect("the first article is in the reader without a key");
    tmux.keys(&["j", "j", "v"]);
    let state_path = inbox.join(".copydesk/state.toml");
    let state = wait_for_file(&state_path, "verified", Duration::from_secs(10));
    let third = nth_id(&inbox, &config, 2);
    let parsed: toml::Table = state.parse().expect("state parses");
    let entry = &parsed["articles"][third.as_str()];
    assert_eq!(entry["status"].as_str(), Some("verified"), "{state}");
    assert_eq!(entry["editor"].as_str(), Some("ayu"));
    assert!(entry.get("marked_at").is_some());
    tmux.wait_for("✓1", Duration::from_secs(5))
        .expect("the counts change");

    // A second editor marks from a script: the screen shows it within two seconds.
    let other = nth_id(&inbox, &config, 5);
    copydesk(
        &inbox,
        &config,
        &["mark", &other, "--as", "needs-review", "--editor", "marc"],
    );
    let seen = tmux
        .wait_for("?1", Duration::from_secs(5))
        .expect("the other editor's mark shows");
    eprintln!("the other editor's mark showed after {seen:?}");
    assert!(seen < Duration::from_secs(2), "took {seen:?}");

    // Killing the terminal (SIGHUP) loses nothing.
    drop(tmux);
    let after: toml::Table = std::fs::read_to_string(&state_path)
        .expect("state")
        .parse()
        .expect("parses");
    assert_eq!(
        after["articles"][third.as_str()]["status"].as_str(),
        Some("verified")
    );
    assert_eq!(
        after["articles"][other.as_str()]["status"].as_str(),
        Some("needs-review")
    );
}

#[test]
fn escape_sequences_in_an_article_change_nothing_in_the_terminal() {
    let (_dir, inbox, config) = setup("hostile");
    let hostile = "Share:\n\nEvil \u{1b}]0;pwned\u{7}\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J\u{1b}[31mheadline\n\nThe council met on Monday evening and voted the budget through after a long debate.\n";
    std::fs::write(inbox.join("zz-hostile.txt"), hostile).expect("write");
    let Some(tmux) = start(&inbox, &config, (100, 30)) else {
        return;
    };
    tmux.wait_for("articles indexed", Duration::from_secs(20))
        .expect("the screen comes up");
    tmux.keys(&["/", "E", "v", "i", "l", "Enter"]);
    tmux.wait_for("␛]0;pwned␇", Duration::from_secs(5))
        .expect("the sequence is shown as text");
    let title = tmux.run(&["display-message", "-p", "-t", "s", "#{pane_title}"]);
    assert!(
        !String::from_utf8_lossy(&title.stdout).contains("pwned"),
        "the window title changed"
    );
    let buffers = tmux.run(&["list-buffers"]);
    assert!(
        !String::from_utf8_lossy(&buffers.stdout).contains("pwned"),
        "the clipboard was written"
    );
    tmux.wait_for("match 1/1 for 'Evil'", Duration::from_secs(5))
        .expect("the search landed");
    let screen = tmux.screen();
    assert!(
        screen.starts_with("┌ 43 of 43"),
        "the screen was cleared:\n{screen}"
    );
}

#[test]
fn resizing_to_a_tiny_window_and_back_does_not_crash() {
    let (_dir, inbox, config) = setup("resize");
    let Some(tmux) = start(&inbox, &config, (80, 24)) else {
        return;
    };
    tmux.wait_for("articles indexed", Duration::from_secs(20))
        .expect("the screen comes up");
    tmux.run(&["resize-window", "-t", "s", "-x", "20", "-y", "5"]);
    tmux.wait_for("too small", Duration::from_secs(5))
        .expect("says it is too small");
    // Unseen, keys do nothing (but q).
    tmux.keys(&["j", "v"]);
    tmux.run(&["resize-window", "-t", "s", "-x", "80", "-y", "24"]);
    tmux.wait_for("1/42", Duration::from_secs(5))
        .expect("still running after the resize, on the same row");
    tmux.keys(&["z"]);
    tmux.wait_for("? help", Duration::from_secs(5))
        .expect("keys work again");
    assert!(
        !inbox.join(".copydesk/state.toml").exists(),
        "nothing was marked while the screen was too small"
    );
}

/// Once the screen is up, `v` on the first article; the state file, once it holds the mark.
fn mark_the_first(tmux: &Tmux, inbox: &Path) -> PathBuf {
    tmux.wait_for("articles indexed", Duration::from_secs(20))
        .expect("the screen comes up");
    tmux.keys(&["v"]);
    let state_path = inbox.join(".copydesk/state.toml");
    wait_for_file(&state_path, "verified", Duration::from_secs(10));
    state_path
}

/// Waits for process `pid` to end (gone, or a zombie), `limit` at most: `why` otherwise.
fn wait_for_exit(pid: &str, limit: Duration, why: &str) {
    let start = Instant::now();
    while std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| !s.contains(") Z ") && !s.contains(") X "))
    {
        assert!(start.elapsed() < limit, "{pid}: {why}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigterm_restores_the_terminal_and_ends_the_screen() {
    let (_dir, inbox, config) = setup("sigterm");
    let Some(tmux) = start(&inbox, &config, (80, 24)) else {
        return;
    };
    let state_path = mark_the_first(&tmux, &inbox);
    let shell = tmux.signal_copydesk("-TERM");
    wait_for_exit(
        &shell,
        Duration::from_secs(5),
        "still running after SIGTERM",
    );
    let state: toml::Table = std::fs::read_to_string(&state_path)
        .expect("state")
        .parse()
        .expect("parses");
    assert_eq!(state["articles"].as_table().map(toml::Table::len), Some(1));
}

/// A terminal gone without a SIGHUP for copydesk (started in a session of its own, as
/// `setsid` or `runuser` do): the screen ended within seconds instead of spinning a core at
/// end-of-file for good, as it did (crossterm issue 793).
#[test]
fn the_screen_ends_when_its_terminal_goes_away_without_a_sighup() {
    if Command::new("setsid").arg("--version").output().is_err() {
        eprintln!("setsid is not installed: skipping");
        return;
    }
    let (_dir, inbox, config) = setup("hangup");
    let cmd = format!(
        "sh -c 'setsid -w env LANG=C.UTF-8 TERM=xterm-256color COPYDESK_CACHE_DIR={} {BIN} {} --editor ayu --config {}'",
        inbox.with_file_name("cache").display(),
        inbox.display(),
        config.display()
    );
    let socket = format!("copydesk-e2e-{}-hangup", std::process::id());
    let Some(tmux) = common::tmux::Tmux::start(socket, &cmd, (80, 24)) else {
        return;
    };
    let state_path = mark_the_first(&tmux, &inbox);
    let out = tmux.run(&["list-panes", "-t", "s", "-F", "#{pane_pid}"]);
    let shell = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
        .expect("the shell's children");
    let pid = children
        .split_whitespace()
        .next()
        .expect("copydesk")
        .to_string();
    assert_eq!(
        std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .map(|c| c.trim().to_string())
            .ok(),
        Some("copydesk".to_string())
    );
    drop(tmux);
    wait_for_exit(
        &pid,
        Duration::from_secs(10),
        "still runs 10 s after its terminal went away",
    );
    let state = std::fs::read_to_string(&state_path).expect("state");
    assert!(state.contains("verified"), "{state}");
}

#[test]
fn the_pair_view_opens_cycles_marks_the_translation_and_follows_a_resize() {
    let (_dir, inbox, config) = setup("pair");
    let Some(tmux) = start(&inbox, &config, (80, 24)) else {
        return;
    };
    tmux.wait_for("articles indexed", Duration::from_secs(20))
        .expect("the screen comes up");
    let mut keys = vec!["/"];
    keys.extend("Kecamatan".split("").filter(|k| !k.is_empty()));
    keys.push("Enter");
    tmux.keys(&keys);
    // The first match, newest first, is the Indonesian original (checked by the title below).
    tmux.wait_for("match 1/", Duration::from_secs(5))
        .expect("the search landed");
    tmux.keys(&["p"]);
    let screen = tmux.wait_for(
        "translation 1/5 · ar · untriaged · mt/banjir-semarang.ar",
        Duration::from_secs(5),
    );
    assert!(screen.is_ok(), "{screen:?}");
    let screen = tmux.screen();
    assert!(
        screen.starts_with("┌ original · id · untriaged · mt/banjir-semarang.id "),
        "{screen}"
    );
    tmux.keys(&["p", "t"]);
    tmux.wait_for(
        "translation 2/5 · en · translation-suspect · mt/banjir-semarang.en",
        Duration::from_secs(5),
    )
    .expect("the mark shows on the translation's title");
    let state = wait_for_file(
        &inbox.join(".copydesk/state.toml"),
        "translation-suspect",
        Duration::from_secs(5),
    );
    let parsed: toml::Table = state.parse().expect("state parses");
    assert_eq!(
        parsed["articles"]["mt/banjir-semarang.en"]["status"].as_str(),
        Some("translation-suspect"),
        "{state}"
    );
    assert!(parsed["articles"].get("mt/banjir-semarang.id").is_none());
    // Wide: the two sides stand next to each other.
    tmux.run(&["resize-window", "-t", "s", "-x", "200", "-y", "50"]);
    tmux.wait_for("─┐┌ translation 2/5 · en", Duration::from_secs(5))
        .expect("side by side at 200 columns");
    tmux.keys(&["Escape"]);
    tmux.wait_for("? help", Duration::from_secs(5))
        .expect("Esc returns to the list");
    assert!(tmux.screen().starts_with("┌ 42 of 42"), "{}", tmux.screen());
}

#[test]
fn copy_landing_in_the_open_inbox_shows_up_marked_new_without_moving_the_cursor() {
    let (_dir, inbox, config) = setup("live");
    let Some(tmux) = start(&inbox, &config, (100, 30)) else {
        return;
    };
    tmux.wait_for("articles indexed", Duration::from_secs(20))
        .expect("the screen comes up");
    tmux.keys(&["j", "j"]);
    tmux.wait_for("3/42", Duration::from_secs(5))
        .expect("the cursor is on the third article");
    let third = nth_id(&inbox, &config, 2);
    let reading = reader_headline(&tmux.screen());
    let arrival = inbox.join("wire/2026-11-27_wonogiri-dam-gates.txt");
    std::fs::write(
        &arrival,
        "Dam gates opened at Wonogiri reservoir after a week of rain\n\n\
         WONOGIRI - Operators opened two spillway gates on Friday morning as the reservoir \
         reached its highest level of the season, and villages downstream were told to keep \
         boats ready along the river banks.\n",
    )
    .expect("write the new article");
    let took = tmux
        .wait_for("Dam gates opened at Wonogiri", Duration::from_secs(2))
        .expect("a new file shows up within two seconds");
    let screen = tmux.screen();
    assert!(screen.contains("1 new article"), "{screen}");
    assert!(
        screen
            .lines()
            .any(|l| l.starts_with("│+") && l.contains("Dam gates opened")),
        "the arrival is marked new:\n{screen}"
    );
    // The same article under the cursor and in the reader.
    assert!(screen.contains("3/43"), "{screen}");
    assert_eq!(reader_headline(&screen), reading, "{screen}");
    eprintln!("the arrival showed after {took:?}");

    tmux.keys(&["v"]);
    let state = wait_for_file(
        &inbox.join(".copydesk/state.toml"),
        "verified",
        Duration::from_secs(10),
    );
    let parsed: toml::Table = state.parse().expect("state parses");
    assert!(parsed["articles"].get(third.as_str()).is_some(), "{state}");

    std::fs::remove_file(&arrival).expect("remove the article");
    tmux.wait_for("of 42", Duration::from_secs(2))
        .expect("a removed file goes away within two seconds");
    assert!(!tmux.screen().contains("Dam gates opened"));
}

/// The first line of text in the reader pane.
fn reader_headline(screen: &str) -> String {
    let mut lines = screen.lines().skip_while(|l| !l.starts_with("┌ reader"));
    lines.nth(1).unwrap_or_default().to_string()
}

#[test]
fn a_broken_state_file_leaves_the_copy_readable_and_is_taken_in_once_mended() {
    let (_dir, inbox, config) = setup("broken");
    let second = nth_id(&inbox, &config, 1);
    let state_path = inbox.join(".copydesk/state.toml");
    std::fs::create_dir_all(state_path.parent().expect("folder")).expect("folder");
    let broken = "version = 1\n[articles.\"x\"\nstatus = \n";
    std::fs::write(&state_path, broken).expect("write");
    let Some(tmux) = start(&inbox, &config, (120, 30)) else {
        return;
    };
    tmux.wait_for(
        "READ-ONLY state file 'state.toml', line 2",
        Duration::from_secs(20),
    )
    .expect("the screen opens and says why it saves nothing");
    tmux.wait_for("articles indexed", Duration::from_secs(20))
        .expect("the copy is listed");
    tmux.keys(&["j", "Enter"]);
    tmux.wait_for("reader 1/", Duration::from_secs(5))
        .expect("the reader works");
    tmux.keys(&["v"]);
    tmux.wait_for("not saved: state file", Duration::from_secs(5))
        .expect("the mark is refused");
    assert_eq!(
        std::fs::read_to_string(&state_path).expect("state"),
        broken,
        "never written while it cannot be read"
    );

    // Someone mends the file: the screen takes it in and saves again.
    let mended = format!(
        "version = 1\n\n[articles.\"{second}\"]\nstatus = \"needs-review\"\neditor = \"marc\"\nmarked_at = 2026-11-27T09:00:00+07:00\n"
    );
    std::fs::write(&state_path, mended).expect("mend");
    tmux.wait_for("?1", Duration::from_secs(5))
        .expect("the mended file's decisions show");
    assert!(!tmux.screen().contains("READ-ONLY"), "{}", tmux.screen());
    tmux.keys(&["v"]);
    let state = wait_for_file(&state_path, "verified", Duration::from_secs(10));
    let parsed: toml::Table = state.parse().expect("state parses");
    assert_eq!(
        parsed["articles"][second.as_str()]["status"].as_str(),
        Some("verified"),
        "{state}"
    );
}

#[test]
fn a_broken_state_file_set_aside_lets_the_screen_save_again() {
    let (_dir, inbox, config) = setup("aside");
    let first = nth_id(&inbox, &config, 0);
    let state_path = inbox.join(".copydesk/state.toml");
    std::fs::create_dir_all(state_path.parent().expect("folder")).expect("folder");
    std::fs::write(&state_path, "version = 1\n[articles.\"x\"\n").expect("write");
    let Some(tmux) = start(&inbox, &config, (120, 30)) else {
        return;
    };
    tmux.wait_for("READ-ONLY", Duration::from_secs(20))
        .expect("read-only");
    // The list in its final order before any key (a debug build indexes slowly).
    tmux.wait_for("articles indexed", Duration::from_secs(20))
        .expect("the copy is listed");
    tmux.keys(&["e"]);
    tmux.wait_for(
        "not exported: the state file cannot be read",
        Duration::from_secs(5),
    )
    .expect("no export of statuses nobody can know");
    std::fs::rename(&state_path, state_path.with_extension("toml.bad")).expect("set aside");
    tmux.wait_for("the state file can be saved again", Duration::from_secs(5))
        .expect("the screen notices");
    tmux.keys(&["v"]);
    let state = wait_for_file(&state_path, "verified", Duration::from_secs(10));
    let parsed: toml::Table = state.parse().expect("state parses");
    assert_eq!(
        parsed["articles"][first.as_str()]["status"].as_str(),
        Some("verified"),
        "{state}"
    );
}

#[test]
fn a_pasted_note_with_line_breaks_is_one_note_and_no_keys() {
    let (_dir, inbox, config) = setup("paste");
    let Some(tmux) = start(&inbox, &config, (100, 30)) else {
        return;
    };
    tmux.wait_for("articles indexed", Duration::from_secs(20))
        .expect("the screen comes up");
    tmux.keys(&["a"]);
    tmux.wait_for("Note:", Duration::from_secs(5))
        .expect("the note prompt opens");
    // tmux pastes as the terminal would: bracketed when the program asked for it.
    tmux.run(&["set-buffer", "Quote checked.\nr and verify tomorrow"]);
    tmux.run(&["paste-buffer", "-p", "-t", "s"]);
    tmux.wait_for("verify tomorrow", Duration::from_secs(5))
        .expect("the paste is in the prompt");
    tmux.keys(&["Enter"]);
    let state_path = inbox.join(".copydesk/state.toml");
    let state = wait_for_file(&state_path, "note", Duration::from_secs(10));
    let parsed: toml::Table = state.parse().expect("state parses");
    let first = nth_id(&inbox, &config, 0);
    let notes: Vec<(&String, Option<&str>)> = parsed["articles"]
        .as_table()
        .expect("articles")
        .iter()
        .map(|(id, e)| (id, e.get("note").and_then(|n| n.as_str())))
        .collect();
    assert_eq!(
        notes,
        [(&first, Some("Quote checked. r and verify tomorrow"))],
        "{state}"
    );
    assert!(!state.contains("needs-review"), "{state}");
}

/// helper 29: a save waiting for another process's lock froze the screen for up to 10 s
/// without a word. It says so first, then saves when the lock is free.
#[test]
fn a_save_waiting_for_another_editors_lock_says_so() {
    let (_dir, inbox, config) = setup("locked");
    let has_flock = Command::new("flock").arg("--version").output().is_ok();
    let Some(tmux) = start(&inbox, &config, (100, 30)).filter(|_| has_flock) else {
        eprintln!("tmux or flock missing: skipping");
        return;
    };
    tmux.wait_for("articles indexed", Duration::from_secs(20))
        .expect("the screen comes up");
    copydesk(
        &inbox,
        &config,
        &["mark", &nth_id(&inbox, &config, 0), "--as", "verified"],
    );
    let lock = inbox.join(".copydesk/state.toml.lock");
    let mut holder = Command::new("flock")
        .arg(&lock)
        .args(["sleep", "3"])
        .spawn()
        .expect("flock");
    std::thread::sleep(Duration::from_millis(300));
    tmux.keys(&["j", "v"]);
    tmux.wait_for("waiting for another editor's save", Duration::from_secs(2))
        .expect("the wait is said");
    tmux.wait_for("saved:", Duration::from_secs(8))
        .expect("saved once the lock is free");
    let _ = holder.wait();
}
