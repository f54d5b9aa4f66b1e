//! One reader per inbox format, behind [`parse`]: content first, extension second.

pub mod feed;
#[cfg(test)]
mod head_tests;
pub mod html;
mod html_head;
pub mod meta;
pub mod newsml;
pub mod ninjs;
mod simple_fields;
pub mod text;

use crate::inbox::article::{Format, RawItem};

/// Most items read from one feed or multi-item file.
pub const MAX_ITEMS_PER_FILE: usize = 10_000;

/// What a reader made of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub format: Format,
    pub items: Vec<RawItem>,
    /// Problems that did not stop the reading, in plain words.
    pub warnings: Vec<String>,
}

impl Parsed {
    /// A single-article result.
    pub fn one(format: Format, item: RawItem) -> Self {
        Self {
            format,
            items: vec![item],
            warnings: Vec::new(),
        }
    }

    /// Keeps at most [`MAX_ITEMS_PER_FILE`] items, saying so.
    fn capped(mut self) -> Self {
        if self.items.len() > MAX_ITEMS_PER_FILE {
            self.warnings.push(format!(
                "{} items, only the first {MAX_ITEMS_PER_FILE} are read",
                self.items.len()
            ));
            self.items.truncate(MAX_ITEMS_PER_FILE);
        }
        self
    }
}

/// Collapses runs of whitespace to one space, keeping the ideographic space (U+3000) that CJK
/// headlines use as a separator.
pub fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_whitespace() && c != '\u{3000}')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Why a file gave no article at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

/// The kind of content, sniffed from the first bytes, then the extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Feed,
    NewsMl,
    Html,
    Json,
    FrontMatter,
    Markdown,
    Text,
}

/// The start of `s` up to `n` characters, without decoding them.
pub(crate) fn char_prefix(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    // Every character has exactly one byte that is not a UTF-8 continuation byte.
    let end = s
        .bytes()
        .enumerate()
        .filter(|&(_, b)| (b as i8) >= -0x40)
        .nth(n)
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

pub fn sniff(text: &str, extension: &str) -> Sniffed {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t.starts_with('<') {
        // Only markup is sniffed by its first 4,096 characters, lowercased in one go.
        let head = char_prefix(t, 4096).to_ascii_lowercase();
        if head.contains("<newsitem") || head.contains("<newsmessage") {
            return Sniffed::NewsMl;
        }
        if head.contains("<rss") || head.contains("<feed") || head.contains("rdf:rdf") {
            return Sniffed::Feed;
        }
        if head.contains("<html") || head.starts_with("<!doctype html") {
            return Sniffed::Html;
        }
    }
    if t.starts_with('{') || t.starts_with('[') {
        return Sniffed::Json;
    }
    if t.starts_with("---") || t.starts_with("+++") {
        return Sniffed::FrontMatter;
    }
    match extension {
        "xml" | "rss" | "atom" | "rdf" => Sniffed::Feed,
        "html" | "htm" | "xhtml" => Sniffed::Html,
        "json" => Sniffed::Json,
        "md" | "markdown" => Sniffed::Markdown,
        _ => Sniffed::Text,
    }
}

/// Reads every article in one file's decoded text. `extension` is lowercase, without the dot.
pub fn parse(text: &str, extension: &str) -> Result<Parsed, ParseError> {
    parse_as(text, sniff(text, extension))
}

/// [`parse`] of a text already sniffed.
pub fn parse_as(text: &str, sniffed: Sniffed) -> Result<Parsed, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError("empty file".into()));
    }
    let parsed = match sniffed {
        Sniffed::Feed => feed::parse(text)?,
        Sniffed::NewsMl => newsml::parse(text)?,
        Sniffed::Html => html::parse_page(text),
        Sniffed::Json => parse_json(text)?,
        Sniffed::FrontMatter => text::parse_front_matter(text).unwrap_or_else(|e| {
            // A broken metadata block must not lose the article: read the rest as Markdown.
            let mut p = text::parse_markdown(text::after_front_matter(text));
            p.warnings.push(format!("{e}; read as plain Markdown"));
            p
        }),
        Sniffed::Markdown => text::parse_markdown(text),
        Sniffed::Text => text::parse_plain(text)?,
    };
    Ok(parsed.capped())
}

/// What [`parse`] gives a list, read from the file's header without converting its body, for
/// the shapes whose header settles it: Markdown with simple front matter and a title, HTML
/// pages of a common shape. The items are [`parse`]'s but for their bodies, which hold only
/// the body's start (its first line or words): empty exactly when the whole body is blank.
/// `None` for every other file, which [`parse`] then reads.
pub fn parse_head(text: &str, extension: &str) -> Option<Parsed> {
    parse_head_as(text, sniff(text, extension))
}

/// [`parse_head`] of a text already sniffed.
pub fn parse_head_as(text: &str, sniffed: Sniffed) -> Option<Parsed> {
    if text.trim().is_empty() {
        return None;
    }
    match sniffed {
        Sniffed::FrontMatter => text::front_matter_head(text),
        Sniffed::Html => html_head::page_head(text),
        _ => None,
    }
}

/// How a header-only reading differs from the full one, if it does: it must be the same but
/// for the body, which is the full body's start and blank exactly when it is. Used by the
/// tests and the `parse_head` fuzz target.
pub fn head_disagrees(head: &Parsed, full: &Parsed) -> Option<String> {
    if (head.format, &head.warnings, head.items.len())
        != (full.format, &full.warnings, full.items.len())
    {
        return Some(format!(
            "format, warnings or item count: {:?} {:?} {} / {:?} {:?} {}",
            head.format,
            head.warnings,
            head.items.len(),
            full.format,
            full.warnings,
            full.items.len()
        ));
    }
    head.items.iter().zip(&full.items).find_map(|(h, f)| {
        let with_full_body = RawItem {
            body: f.body.clone(),
            ..h.clone()
        };
        if with_full_body != *f {
            Some(format!("item {h:?} / {f:?}"))
        } else if !f.body.starts_with(&h.body)
            || h.body.trim().is_empty() != f.body.trim().is_empty()
        {
            Some(format!("body {:?} / {:?}", h.body, f.body))
        } else {
            None
        }
    })
}

/// Panics when a header-only reading differs from the full one (see [`head_disagrees`]).
#[cfg(test)]
pub(crate) fn assert_head_agrees(head: &Parsed, full: &Parsed, what: &str) {
    if let Some(why) = head_disagrees(head, full) {
        panic!("{what}: {why}");
    }
}

fn parse_json(text: &str) -> Result<Parsed, ParseError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ParseError(format!("malformed JSON: {e}")))?;
    let is_json_feed = value
        .get("version")
        .and_then(|v| v.as_str())
        .is_some_and(|v| v.contains("jsonfeed.org"));
    if is_json_feed {
        feed::parse(text)
    } else {
        ninjs::parse(&value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_wins_over_extension() {
        assert_eq!(sniff("  <?xml version='1.0'?><rss>", "txt"), Sniffed::Feed);
        assert_eq!(
            sniff(
                "<newsItem xmlns='http://iptc.org/std/nar/2006-10-01/'>",
                "xml"
            ),
            Sniffed::NewsMl
        );
        assert_eq!(
            sniff("---\ntitle: x\n---\nbody", "txt"),
            Sniffed::FrontMatter
        );
        assert_eq!(sniff("Partager:\n\nJakarta", "txt"), Sniffed::Text);
        assert_eq!(sniff("plain words", "rss"), Sniffed::Feed);
    }

    #[test]
    fn char_prefixes_count_characters_not_bytes() {
        assert_eq!(char_prefix("abc", 5), "abc");
        assert_eq!(char_prefix("abcdef", 3), "abc");
        assert_eq!(char_prefix("日本語のテキスト", 3), "日本語");
        assert_eq!(char_prefix("aé日😀b", 4), "aé日😀");
        assert_eq!(char_prefix("日本", 2), "日本");
        assert_eq!(char_prefix("", 0), "");
        let long = "é".repeat(5000);
        assert_eq!(char_prefix(&long, 4096).chars().count(), 4096);
    }

    #[test]
    fn empty_and_broken_files_say_why() {
        assert_eq!(parse("  \n", "txt"), Err(ParseError("empty file".into())));
        let err = parse("{\"headline\": ", "json").unwrap_err();
        assert!(err.0.starts_with("malformed JSON"), "{err}");
    }

    #[test]
    fn deeply_nested_json_is_refused_not_overflowed() {
        let deep = "[".repeat(100_000);
        let err = parse(&deep, "json").unwrap_err();
        assert!(err.0.contains("recursion limit"), "{err}");
    }
}
