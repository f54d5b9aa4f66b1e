//! Deep nesting in every format, not only JSON: a recursive parser must not overflow its stack
//! on 100,000 nested elements. Created at run time (a few hundred KB each), next to a good
//! article that must still be listed.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Desk;

const DEPTH: usize = 100_000;

fn nested(open: &str, close: &str) -> (String, String) {
    (open.repeat(DEPTH), close.repeat(DEPTH))
}

fn deep_inbox() -> Desk {
    let desk = Desk::empty();
    let (o, c) = nested("<div>", "</div>");
    desk.add(
        "deep.html",
        &format!("<!doctype html><html lang=\"en\"><head><title>Deep page</title></head><body>{o}The council met on Monday.{c}</body></html>"),
    );
    let (o, c) = nested("<p>", "</p>");
    desk.add(
        "deep-newsml.xml",
        &format!("<?xml version=\"1.0\"?><newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\" guid=\"urn:deep\"><contentMeta><headline>Deep wire</headline></contentMeta><contentSet><inlineXML contenttype=\"application/xhtml+xml\"><html><body>{o}text{c}</body></html></inlineXML></contentSet></newsItem>"),
    );
    let (o, c) = nested("<b>", "</b>");
    desk.add(
        "deep-feed.xml",
        &format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Deep</title><item><title>Deep item</title><guid>urn:deep:1</guid><description>{o}x{c}</description></item></channel></rss>"),
    );
    let (o, c) = nested("<x>", "</x>");
    desk.add(
        "deep-atom.xml",
        &format!("<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Deep</title><entry><title>Deep entry</title><id>urn:deep:2</id>{o}{c}</entry></feed>"),
    );
    let (o, c) = nested("[", "]");
    desk.add(
        "deep-yaml.md",
        &format!("---\ntitle: Deep YAML\ntags: {o}{c}\n---\nThe council met on Monday.\n"),
    );
    desk.add(
        "deep-toml.md",
        &format!("+++\ntitle = \"Deep TOML\"\ntags = {o}{c}\n+++\nThe council met on Monday.\n"),
    );
    let (o, c) = nested("{a: ", "}");
    desk.add(
        "deep-yaml-map.md",
        &format!("---\ntitle: Deep map\nx: {o}1{c}\n---\nThe council met on Monday.\n"),
    );
    let (o, c) = nested("> ", "");
    desk.add(
        "deep-quote.md",
        &format!("# Deep quote\n\n{o}The council met on Monday.{c}\n"),
    );
    let (o, c) = nested("[", "]");
    desk.add(
        "deep-jsonfeed.json",
        &format!("{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"Deep\",\"items\":[{{\"id\":\"1\",\"title\":\"Deep JSON item\",\"content_text\":\"x\",\"x\":{o}{c}}}]}}"),
    );
    desk.add(
        "good-en.txt",
        "Riverside library to open on Sundays from January\n\nThe riverside library will open on Sundays from January, the council said on Tuesday.\n",
    );
    desk
}

/// Runs with a deadline; the exit code (None when killed by a signal) and stdout.
fn run(desk: &Desk, args: &[&str]) -> (Option<i32>, String, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .arg("--inbox")
        .arg(&desk.inbox)
        .arg("--config")
        .arg(&desk.config)
        .args(args)
        .env("COPYDESK_NOW", common::NOW)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    let pid = child.id();
    let waiter = std::thread::spawn(move || child.wait_with_output().expect("output"));
    while !waiter.is_finished() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("{args:?} did not finish in 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = waiter.join().expect("join");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn deep_nesting_in_any_format_neither_crashes_nor_hides_the_good_article() {
    let desk = deep_inbox();
    let (code, json, err) = run(&desk, &["list", "--format", "json"]);
    assert_eq!(code, Some(0), "list died: {err}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json");
    assert!(
        rows.iter()
            .any(|r| r["title"] == "Riverside library to open on Sundays from January"),
        "{json}"
    );
    let (code, check, err) = run(&desk, &["check"]);
    assert_eq!(code, Some(0), "check died: {err}");
    for r in &rows {
        let id = r["id"].as_str().expect("id");
        let (code, _, err) = run(&desk, &["show", id]);
        assert_eq!(code, Some(0), "show {id} died: {err}");
    }
    eprintln!("{check}");
}
