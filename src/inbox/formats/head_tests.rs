//! The header-only reading against the full one, file by file, as the list gets them: over
//! the sample inbox, an inbox generated here in the bench's shapes and edge cases around
//! them, and (where python3 runs) one made by `benches/gen_inbox.py`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::inbox::{Depth, read_file_with, walk};
use crate::time::Zone;

fn zones() -> [Zone; 2] {
    [Zone::default(), "+07:00".parse().expect("a fixed zone")]
}

/// Reads every file of `root` for a list with and without the header path; checks they list
/// the same and returns the files read from their header.
fn compare_listings(root: &Path) -> Vec<PathBuf> {
    let (entries, _) = walk::walk(root);
    assert!(!entries.is_empty(), "no files in {}", root.display());
    let mut header_only = Vec::new();
    for zone in zones() {
        header_only.clear();
        for entry in &entries {
            let quick = read_file_with(root, entry, zone, Depth::Listing, true);
            let full = read_file_with(root, entry, zone, Depth::Listing, false);
            let what = entry.rel_path.display();
            assert!(!full.header_only, "{what}");
            assert_eq!(quick.articles, full.articles, "{what}");
            assert_eq!(quick.problem, full.problem, "{what}");
            if quick.header_only {
                header_only.push(entry.rel_path.clone());
            }
        }
    }
    header_only
}

#[test]
fn the_sample_lists_the_same_from_headers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
    let quick = compare_listings(&root);
    // Every Markdown file of the sample has simple front matter with a title; of the pages,
    // one opens its article with the h1 and a paragraph (the others with a share bar).
    let (entries, _) = walk::walk(&root);
    for entry in entries {
        let name = entry.rel_path.to_string_lossy();
        let expected = name.ends_with(".md") || name == "web/riverside-fc-promotion.html";
        assert_eq!(quick.contains(&entry.rel_path), expected, "{name}");
    }
}

/// Paragraphs of the sample's text and Markdown files (which we wrote), front matter dropped.
fn sample_paragraphs() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
    let (entries, _) = walk::walk(&root);
    let mut paragraphs = Vec::new();
    for entry in entries {
        let path = root.join(&entry.rel_path);
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("txt" | "md")
        ) {
            continue;
        }
        let text = fs::read_to_string(&path).expect("sample text");
        let body = match text.get(..3) {
            Some(fence @ ("---" | "+++")) => text[3..]
                .split_once(&format!("\n{fence}"))
                .map_or("", |(_, rest)| rest),
            _ => &text,
        };
        paragraphs.extend(
            body.split("\n\n")
                .map(str::trim)
                .filter(|p| p.chars().count() > 80)
                .map(str::to_string),
        );
    }
    assert!(paragraphs.len() > 20, "{} paragraphs", paragraphs.len());
    paragraphs
}

/// One generated file: its name, its text, and whether its header settles the list.
struct Generated {
    name: String,
    text: String,
    header_only: bool,
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn json(s: &str) -> String {
    serde_json::to_string(s).expect("a JSON string")
}

/// File `n` of the generated inbox: the shapes of `benches/gen_inbox.py`, then variants of
/// them that must read the same whichever way (header quirks, shapes that need the body).
fn generate(n: usize, paragraphs: &[String]) -> Generated {
    let pick = |k: usize| paragraphs[(n * 7 + k * 13) % paragraphs.len()].as_str();
    let body = [pick(1), pick(2), pick(3)].join("\n\n");
    let words: Vec<&str> = pick(0).split_whitespace().take(8).collect();
    let title = format!("{} {n}", words.join(" "));
    let date = format!(
        "2026-11-{:02}T{:02}:{:02}:00+07:00",
        1 + n % 28,
        n % 24,
        n % 60
    );
    let day = &date[..10];
    let (name, text, header_only) = match n % 16 {
        0 => (
            format!("story-{n}.md"),
            format!(
                "+++\ntitle = {}\ndate = {date}\nlang = \"fr\"\nurl = \"https://news-{}.test/fr/story-{n}\"\n+++\n\n{body}\n",
                json(&title),
                n % 37
            ),
            true,
        ),
        1 => (
            format!("story-{n}.md"),
            format!(
                "---\ntitle: {}\ndate: {date}\nlang: id\nsource: Desk {}\n---\n\n{body}\n",
                json(&title),
                n % 23
            ),
            true,
        ),
        2 => (
            format!("{day}_story-{n}.txt"),
            format!("{title}\n\n{body}\n"),
            false,
        ),
        3 => (format!("story-{n}.html"), page(&title, &date, "", &body), true),
        4 => (
            format!("story-{n}.json"),
            serde_json::json!({
                "uri": format!("urn:newsml:gen.test:{n}"), "type": "text", "language": "ms",
                "versioncreated": date, "headline": title, "body_text": body,
            })
            .to_string(),
            false,
        ),
        // No title: the body's first line is, which only the full reading finds.
        5 => (
            format!("story-{n}.md"),
            format!("---\ndate: {date}\nlang: en\n---\n\n{body}\n"),
            false,
        ),
        // Quotes, backslashes and CRLF.
        6 => (
            format!("story-{n}.md"),
            format!(
                "+++\r\ntitle = {}\r\nnote = \"\\u00e9\\t\"\r\ndate = {date}\r\nauthor = 'R. \"Kid\" Ode'\r\n+++\r\n\r\n{}\r\n",
                json(&format!("«{title}» \"q\" \\")),
                body.replace('\n', "\r\n")
            ),
            true,
        ),
        // A byte order mark, a heading and links to open the body.
        7 => (
            format!("story-{n}.md"),
            format!(
                "\u{feff}---\ntitle: '{}: it''s'\ndate: {date}\nlang: fr-FR\ntranslation_of: mt/x.id\n---\n## **{}** [lien](https://x.test/a_b) ![img](a.png)\n\n{body}\n",
                title.replace('\'', "''"),
                words.join(" ")
            ),
            true,
        ),
        // A date not understood: the file name's date, and a warning, either way.
        8 => (
            format!("{day}-story-{n}.md"),
            format!("---\ntitle: {}\ndate: yesterday\n---\n{body}\n", json(&title)),
            true,
        ),
        // Not understood and no date in the name: the dateline is in the body.
        9 => (
            format!("story-{n}.md"),
            format!("---\ntitle: {}\ndate: soon\n---\nJAKARTA, 24 November 2026 - {body}\n", json(&title)),
            false,
        ),
        10 => (
            format!("story-{n}.html"),
            page(
                &title,
                &date,
                &format!("<meta property=\"og:title\" content=\"{} (og)\"><meta property=\"og:site_name\" content=\"Gen &amp; Co\"><link rel=\"canonical\" href=\"https://gen.test/ja/{n}\">", escape_html(&title)),
                &body,
            )
            .replace("<meta property=\"article:published_time\"", "<meta name=\"dc.date\""),
            true,
        ),
        // The h1 inside a header: the full reading decides the body.
        11 => (
            format!("story-{n}.html"),
            page(&title, &date, "", &body).replace("<article><h1>", "<article><header><h1>"),
            false,
        ),
        // Empty bodies: nothing, or only an image.
        12 => (
            format!("story-{n}.md"),
            format!("+++\ntitle = {}\ndate = {date}\n+++\n\n", json(&title)),
            true,
        ),
        13 => (
            format!("story-{n}.md"),
            format!("---\ntitle: {}\ndate: {date}\n---\n\n![](a.png)\n\n", json(&title)),
            true,
        ),
        // Front matter the quick readers leave to the parsers.
        14 => (
            format!("story-{n}.md"),
            format!("+++\ntitle = {}\ndate = {date}\ntags = [\"a\", \"b\"]\n+++\n{body}\n", json(&title)),
            false,
        ),
        _ => (
            format!("story-{n}.md"),
            format!("---\ntitle: {}\ndate: {date}\n# note\n---\n{body}\n", json(&title)),
            false,
        ),
    };
    Generated {
        name,
        text,
        header_only,
    }
}

/// An HTML page in the shape `benches/gen_inbox.py` writes.
fn page(title: &str, date: &str, head: &str, body: &str) -> String {
    let paragraphs: Vec<String> = body
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", escape_html(p)))
        .collect();
    format!(
        "<!doctype html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>{t}</title>{head}\
         <meta property=\"article:published_time\" content=\"{date}\"></head><body>\
         <nav>Home | World | Business</nav><article><h1>{t}</h1>\n{}\n</article></body></html>\n",
        paragraphs.join("\n"),
        t = escape_html(title),
    )
}

#[test]
fn a_generated_inbox_lists_the_same_from_headers() {
    let paragraphs = sample_paragraphs();
    let dir = tempfile::tempdir().expect("tempdir");
    let files: Vec<Generated> = (0..320).map(|n| generate(n, &paragraphs)).collect();
    for f in &files {
        fs::write(dir.path().join(&f.name), &f.text).expect("write");
    }
    let quick = compare_listings(dir.path());
    for f in &files {
        let taken = quick.contains(&PathBuf::from(&f.name));
        assert_eq!(taken, f.header_only, "{}:\n{}", f.name, f.text);
    }
}

/// The bench's own inbox, when python3 is there to make it.
#[test]
fn an_inbox_of_gen_inbox_py_lists_the_same_from_headers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_inbox.py");
    let made = std::process::Command::new("python3")
        .arg(script)
        .arg("300")
        .arg(dir.path())
        .output();
    match made {
        Ok(out) if out.status.success() => {}
        other => {
            eprintln!("skipped: benches/gen_inbox.py did not run ({other:?})");
            return;
        }
    }
    let quick = compare_listings(dir.path());
    let (entries, _) = walk::walk(dir.path());
    for entry in entries {
        let name = entry.rel_path.to_string_lossy();
        let expected = name.ends_with(".md") || name.ends_with(".html");
        assert_eq!(quick.contains(&entry.rel_path), expected, "{name}");
    }
}

#[test]
fn a_header_reading_that_differs_is_told_apart() {
    let text =
        "---\ntitle: Tram line approved\ndate: 2026-11-27\nlang: en\n---\n\nThe council voted.\n";
    let (Some(head), Ok(full)) = (super::parse_head(text, "md"), super::parse(text, "md")) else {
        panic!("no reading");
    };
    assert_eq!(super::head_disagrees(&head, &full), None);
    let mut retitled = head.clone();
    retitled.items[0].title = Some("Another title".into());
    assert!(super::head_disagrees(&retitled, &full).is_some());
    let mut longer = head.clone();
    longer.items[0].body = "Not the start of the body".into();
    assert!(super::head_disagrees(&longer, &full).is_some());
    let mut warned = head;
    warned
        .warnings
        .push("a warning the full reading lacks".into());
    assert!(super::head_disagrees(&warned, &full).is_some());
}
