//! What each fuzz target asserts about one input. Shared by the libFuzzer targets (fuzz/) and
//! the stable replay test (tests/fuzz_regressions.rs), so a committed regression input is
//! checked in CI exactly as the fuzzer checked it.
//!
//! Only copydesk's public API is used: the inbox readers through `formats::parse(text, ext)`,
//! `decode::decode`, `State::parse`/`to_toml`, the sanitiser and text layout that guard the
//! terminal, and language detection with the signals' text checks.

use copydesk::inbox::decode;
use copydesk::inbox::formats::{self, MAX_ITEMS_PER_FILE, Parsed};
use copydesk::language;
use copydesk::sanitize;
use copydesk::state::{State, VERSION};
use copydesk::ui::text;

/// What a target checks about one input; it panics when a property does not hold.
pub type Check = fn(&[u8]);

/// Every target, by the name of its folder under `fuzz/regressions/` and `fuzz/corpus/`.
pub const TARGETS: [(&str, Check); 11] = [
    ("parse_text", parse_text),
    ("parse_front_matter", parse_front_matter),
    ("parse_feed", parse_feed),
    ("parse_json", parse_json),
    ("parse_newsml", parse_newsml),
    ("parse_html", parse_html),
    ("parse_head", parse_head),
    ("decode", decode),
    ("state", state),
    ("sanitize", sanitize),
    ("language", language),
];

/// Plain text (scraped pages, share residue, datelines).
pub fn parse_text(data: &[u8]) {
    reader(data, "txt");
}

/// Markdown with TOML (`+++`) or YAML (`---`) front matter.
pub fn parse_front_matter(data: &[u8]) {
    reader(data, "md");
}

/// RSS 2.0 / RSS 1.0 / Atom (an `.xml` file is read as a feed unless its content says otherwise).
pub fn parse_feed(data: &[u8]) {
    reader(data, "xml");
}

/// JSON Feed and IPTC ninjs.
pub fn parse_json(data: &[u8]) {
    reader(data, "json");
}

/// NewsML-G2: through `parse` (the sniffer sends `<newsItem` here) and the reader itself, so
/// inputs that lost the root element still reach it.
pub fn parse_newsml(data: &[u8]) {
    reader(data, "xml");
    let text = String::from_utf8_lossy(data);
    if let Ok(parsed) = formats::newsml::parse(&text) {
        check_parsed(&parsed);
    }
}

/// HTML article pages.
pub fn parse_html(data: &[u8]) {
    reader(data, "html");
}

/// The first listing's header-only reading of front matter and HTML pages agrees with the full
/// reader wherever the listing takes it (a title and a date of its own): the same format,
/// warnings and items but for the body, which is the full body's start.
pub fn parse_head(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let zone = copydesk::time::Zone::default();
    for ext in ["md", "html"] {
        let Some(head) = formats::parse_head(&text, ext) else {
            continue;
        };
        if !head
            .items
            .iter()
            .all(|i| copydesk::inbox::header_titles_and_dates(i, zone))
        {
            continue;
        }
        let full = formats::parse(&text, ext)
            .unwrap_or_else(|e| panic!("listed from its header, unreadable in full: {e:?}"));
        if let Some(why) = formats::head_disagrees(&head, &full) {
            panic!("{ext}: {why}");
        }
    }
}

/// Raw bytes (gzip, BOMs, declared and guessed encodings) to text, then read as the extension
/// the first byte picks.
pub fn decode(data: &[u8]) {
    let decoded = decode::decode(data);
    let ext =
        ["txt", "md", "xml", "json", "html"][usize::from(data.first().copied().unwrap_or(0)) % 5];
    if let Ok(parsed) = formats::parse(&decoded.text, ext) {
        check_parsed(&parsed);
    }
}

/// A state file that parses is written back to text that parses to the same state (the
/// version is never lowered below the current one).
pub fn state(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(first) = State::parse(text) else {
        return;
    };
    let written = first.to_toml();
    let second = State::parse(&written)
        .unwrap_or_else(|e| panic!("the state copydesk wrote does not parse: {e:?}\n{written}"));
    let mut expected = first;
    expected.version = expected.version.max(VERSION);
    assert_eq!(
        expected, second,
        "the state changed on a rewrite:\n{written}"
    );
    assert_eq!(written, second.to_toml(), "writing is not stable");
}

/// Nothing the sanitiser lets through can act on a terminal or hide text, on its own or after
/// the reader's wrapping and bidi reordering.
pub fn sanitize(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let flags = data.first().copied().unwrap_or(0);
    let ascii = flags & 1 == 1;
    let keep_newlines = flags & 2 == 2;
    let bidi = flags & 4 == 4;
    let shown = sanitize::for_terminal(&text, ascii, keep_newlines);
    assert_safe(&shown, keep_newlines);
    let line = sanitize::line(&text, ascii);
    assert_safe(&line, false);
    let width = usize::from(flags >> 3);
    for visual in text::wrap(&shown, width, bidi) {
        assert_safe(&visual.text, false);
    }
    assert_safe(&text::for_display(&line, bidi), false);
}

/// Article languages the paragraph checks are asked about: listed, by letters, by script, by
/// lingua alone, Indonesian/Malay, and one copydesk does not detect.
const ARTICLE_LANGS: [&str; 11] = [
    "en", "fr", "es", "ru", "uk", "id", "ms", "ar", "zh", "sw", "ro",
];

/// Language detection and the signals' text checks on any text (article text is untrusted):
/// no panic, and every answer within its domain.
pub fn language(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let cleaned = language::clean(&text);
    assert!(
        cleaned.text.len() <= text.len(),
        "cleaning made the text longer"
    );
    if let Some(d) = &cleaned.disclaimer
        && let Some(code) = &d.reference_lang
    {
        assert!(language::is_known(code), "reference language {code}");
    }
    let detected = language::detect(&cleaned.text);
    assert!(
        detected.lang == "und" || language::is_known(&detected.lang),
        "detected {}",
        detected.lang
    );
    assert!(
        (0.0..=1.0).contains(&detected.confidence),
        "confidence {}",
        detected.confidence
    );
    for lang in ARTICLE_LANGS {
        if let Some(p) = language::foreign_paragraph(&cleaned.text, lang) {
            assert!(
                language::DETECTABLE.contains(&p.lang.as_str()),
                "paragraph in {}",
                p.lang
            );
            assert_ne!(p.lang, lang, "a paragraph foreign to its own language");
            assert!(
                cleaned.text.contains(p.text.as_str()),
                "a paragraph not in the text"
            );
        }
        if let Some(f) = language::untranslated_fragment(&cleaned.text, lang, "id") {
            assert!(!f.words.is_empty(), "an empty fragment");
        }
    }
}

fn reader(data: &[u8], ext: &str) {
    let text = String::from_utf8_lossy(data);
    match formats::parse(&text, ext) {
        Ok(parsed) => check_parsed(&parsed),
        Err(e) => assert!(!e.0.is_empty(), "an error without a cause"),
    }
}

/// A reader's result respects the item cap, and its text is safe once sanitised.
fn check_parsed(parsed: &Parsed) {
    assert!(
        parsed.items.len() <= MAX_ITEMS_PER_FILE,
        "{} items",
        parsed.items.len()
    );
    for item in &parsed.items {
        if let Some(title) = &item.title {
            assert_safe(&sanitize::line(title, false), false);
        }
        assert_safe(&sanitize::for_terminal(&item.body, false, true), true);
    }
    for w in &parsed.warnings {
        assert_safe(&sanitize::line(w, true), false);
    }
}

/// Whether `c` can act on a terminal or reorder/hide text: C0, DEL, C1 (so ESC and every
/// escape-sequence introducer), bidi embeddings, overrides and isolates, and zero-width marks.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' |
            '\u{061C}' | '\u{FEFF}')
}

fn assert_safe(shown: &str, newlines_allowed: bool) {
    if let Some(c) = shown
        .chars()
        .find(|&c| is_unsafe(c) && !(newlines_allowed && c == '\n'))
    {
        panic!("U+{:04X} reached the terminal in {shown:?}", u32::from(c));
    }
}
