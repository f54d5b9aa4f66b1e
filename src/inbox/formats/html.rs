//! HTML article pages, and HTML fragments found inside feeds and ninjs.

use std::collections::HashMap;

use scraper::{ElementRef, Html, Node, Selector};

use super::{Parsed, meta};
use crate::inbox::article::{Format, RawItem};

/// Elements whose text is never article text. Media and plug-in elements hold only the
/// fallback a browser shows when it cannot play them ("update your browser ...").
const SKIPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "button", "svg",
    "template", "iframe", "select", "menu", "figure", "head", "title", "video", "audio", "object",
    "embed", "noembed", "applet", "canvas",
];

/// Class names of text kept for screen readers only (Bootstrap, WordPress, Drupal and common
/// CSS conventions): labels such as "This content is imported from Instagram" or "Opens in a
/// new window", never shown to a reader of the page.
const SCREEN_READER_ONLY: &[&str] = &[
    "sr-only",
    "screen-reader-only",
    "screen-reader-text",
    "visually-hidden",
    "visuallyhidden",
    "element-invisible",
    "a11y-hidden",
];

/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "br",
    "tr",
    "table",
    "pre",
    "dd",
    "dt",
];

/// Deepest element nesting read as HTML. Article pages nest a few dozen levels; far deeper, the
/// HTML parser turns quadratic (40,000 nested `<div>` took 12 s) and the tree walk below would
/// exhaust the stack. Such a page is read with its tags stripped, and says so.
pub const MAX_NESTING: usize = 512;

/// Elements that hold no others, or that the parser closes when a sibling opens.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "option", "td", "th", "tr",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// The elements the parser's end tags do not reach across (HTML's "special" category): an end
/// tag for another element, met with one of these open above it, is ignored.
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "article",
    "aside",
    "blockquote",
    "body",
    "button",
    "caption",
    "center",
    "colgroup",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "html",
    "listing",
    "main",
    "marquee",
    "menu",
    "nav",
    "noscript",
    "object",
    "ol",
    "pre",
    "search",
    "section",
    "select",
    "summary",
    "table",
    "tbody",
    "template",
    "tfoot",
    "thead",
    "ul",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
    "foreignobject",
    "desc",
];

/// Whether the elements of `html` nest deeper than [`MAX_NESTING`], estimated in one linear
/// pass the way the parser pairs tags: a stray end tag closes nothing, an end tag closes the
/// elements opened after its start tag, but one for an element that is not special does not
/// reach across a special one (`<span><div></span>` nests). Inside MathML or SVG, `<xmp>` and
/// the like hold elements, not text. Where the parser differs, the estimate errs deep: a page
/// it calls too deep is read with its tags stripped, with a warning.
fn too_deep(html: &str) -> bool {
    let mut open = OpenTags::default();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let closing = rest.starts_with('/');
        let tag = &rest[usize::from(closing)..];
        let len = tag
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len());
        if len == 0 {
            continue;
        }
        let name = tag[..len].to_ascii_lowercase();
        // The tag's end, looked for nearby only, so that "<a<a<a..." stays linear.
        let end = tag.bytes().take(4096).position(|b| b == b'>');
        let self_closing = end.is_some_and(|e| tag[..e].ends_with('/'));
        if closing {
            open.close(&name);
        } else if let Some(end) =
            end.filter(|_| RAW_TEXT.contains(&name.as_str()) && !open.foreign())
        {
            match end_tag(&tag[end..], &name) {
                Some(i) => rest = &tag[end + i..],
                None => return false,
            }
        } else if !self_closing && !NOT_NESTING.contains(&name.as_str()) {
            open.push(name);
            if open.names.len() > MAX_NESTING {
                return true;
            }
        }
    }
    false
}

/// The elements [`too_deep`] has open, with where each name and each special element stands,
/// so that an end tag is paired in constant time.
#[derive(Default)]
struct OpenTags {
    names: Vec<String>,
    /// Positions in `names` of each open name.
    at: HashMap<String, Vec<usize>>,
    /// Positions in `names` of the open special elements.
    specials: Vec<usize>,
}

impl OpenTags {
    fn push(&mut self, name: String) {
        let position = self.names.len();
        if SPECIAL.contains(&name.as_str()) {
            self.specials.push(position);
        }
        self.at.entry(name.clone()).or_default().push(position);
        self.names.push(name);
    }

    /// An end tag: closes the elements opened after its element's start, unless none is open
    /// or (for an element that is not special) a special element stands above it.
    fn close(&mut self, name: &str) {
        let Some(&position) = self.at.get(name).and_then(|p| p.last()) else {
            return;
        };
        let crossed = self.specials.last().is_some_and(|&s| s > position);
        if crossed && !SPECIAL.contains(&name) {
            return;
        }
        while let Some(top) = self.names.pop() {
            if let Some(p) = self.at.get_mut(&top) {
                p.pop();
            }
            if self.specials.last() == Some(&self.names.len()) {
                self.specials.pop();
            }
            if top == name {
                break;
            }
        }
    }

    /// Inside MathML or SVG, where `<xmp>` and the like hold elements, not text.
    fn foreign(&self) -> bool {
        ["math", "svg"]
            .iter()
            .any(|f| self.at.get(*f).is_some_and(|p| !p.is_empty()))
    }
}

/// Where `</name` first starts in `text`, any case.
fn end_tag(text: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("</") {
        let at = from + i;
        let candidate = text.as_bytes().get(at + 2..at + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name.as_bytes()) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// The text of over-nested HTML: tags dropped, spaces collapsed.
fn stripped(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    super::collapse_spaces(&out)
}

fn too_deep_warning() -> String {
    format!("HTML nested deeper than {MAX_NESTING} elements: read with its tags stripped")
}

fn selector(css: &str) -> Selector {
    // The selectors are constants of this file; a failure is a bug caught by the tests.
    Selector::parse(css).expect("valid built-in selector")
}

/// Reads an HTML page: title, `html lang`, published date and the main text.
pub fn parse_page(text: &str) -> Parsed {
    let text = without_preamble(text);
    if too_deep(text) {
        let item = RawItem {
            body: stripped(text),
            ..RawItem::default()
        };
        let mut parsed = Parsed::one(Format::Html, item);
        parsed.warnings.push(too_deep_warning());
        return parsed;
    }
    let doc = Html::parse_document(text);
    let first = |css: &str| doc.select(&selector(css)).next();
    let attr = |css: &str, name: &str| {
        first(css)
            .and_then(|e| e.value().attr(name))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let root = first("article")
        .or_else(|| first("main"))
        .or_else(|| first("body"));
    let body = root.map(block_text).unwrap_or_default();
    let headline = root
        .and_then(|r| r.select(&selector("h1")).next())
        .map(|h| inline_text(h.text()))
        .filter(|s| !s.is_empty());
    let title = attr("meta[property='og:title']", "content")
        .or(headline)
        .or_else(|| {
            first("title")
                .map(|t| inline_text(t.text()))
                .filter(|s| !s.is_empty())
        });
    let raw_date = attr("meta[property='article:published_time']", "content")
        .or_else(|| attr("meta[name='date']", "content"))
        .or_else(|| attr("meta[name='dc.date']", "content"))
        .or_else(|| attr("time[datetime]", "datetime"));
    let mut item = RawItem {
        title,
        body: strip_leading_title(&body, None),
        declared_lang: attr("html", "lang").and_then(|l| meta::normalize_lang(&l)),
        url: attr("link[rel='canonical']", "href")
            .or_else(|| attr("meta[property='og:url']", "content")),
        source: attr("meta[property='og:site_name']", "content"),
        author: attr("meta[name='author']", "content"),
        ..RawItem::default()
    };
    item.body = strip_leading_title(&item.body, item.title.as_deref());
    meta::set_date(&mut item, raw_date.as_deref());
    Parsed::one(Format::Html, item)
}

/// The page from its `<!doctype>` or `<html>` on. What a server prints before the document
/// starts (PHP warnings, debug output) is no part of it, but a parser puts it at the top of the
/// body, where it would read as the article's first paragraph.
pub(super) fn without_preamble(text: &str) -> &str {
    let start = ["<!doctype", "<html"]
        .iter()
        .filter_map(|tag| find_ascii_case_insensitive(text, tag))
        .min();
    match start {
        Some(at) if !text[..at].trim().is_empty() => &text[at..],
        _ => text,
    }
}

/// Where `needle` (lowercase ASCII) first occurs in `haystack`, any case.
fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The text of an HTML fragment (feed content, ninjs `body_html`), paragraphs kept.
pub fn fragment_to_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return html.trim().to_string();
    }
    if too_deep(html) {
        return stripped(html);
    }
    let frag = Html::parse_fragment(html);
    block_text(frag.root_element())
}

/// Drops a first paragraph that repeats the title.
fn strip_leading_title(body: &str, title: Option<&str>) -> String {
    match (title, body.split_once("\n\n")) {
        (Some(t), Some((first, rest))) if first.trim() == t.trim() => rest.to_string(),
        (Some(t), None) if body.trim() == t.trim() => String::new(),
        _ => body.to_string(),
    }
}

fn inline_text<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    super::collapse_spaces(&parts.collect::<String>())
}

/// Text of an element with paragraph breaks at block boundaries, skipping non-article elements.
fn block_text(root: ElementRef<'_>) -> String {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    walk(root, &mut current, &mut paragraphs);
    flush(&mut current, &mut paragraphs);
    paragraphs.join("\n\n")
}

/// One step of [`walk`]: a node to enter, or the end of a block element.
enum Step<N> {
    Enter(N),
    EndBlock,
}

/// The text of the nodes below `element`, in order, with paragraph breaks around blocks. With
/// a stack of its own rather than recursion: the parser can build trees far deeper than the
/// [`too_deep`] estimate (end tags it ignores, MathML), and a deep enough one would overflow
/// a thread's stack.
fn walk(element: ElementRef<'_>, current: &mut String, paragraphs: &mut Vec<String>) {
    let mut todo: Vec<Step<_>> = element.children().rev().map(Step::Enter).collect();
    while let Some(step) = todo.pop() {
        let node = match step {
            Step::Enter(node) => node,
            Step::EndBlock => {
                flush(current, paragraphs);
                continue;
            }
        };
        match node.value() {
            Node::Text(text) => current.push_str(text),
            Node::Element(e) => {
                let name = e.name();
                if hides_text(name, e.attr("class"), e.attr("id")) {
                    continue;
                }
                if BLOCKS.contains(&name) {
                    flush(current, paragraphs);
                    todo.push(Step::EndBlock);
                }
                todo.extend(node.children().rev().map(Step::Enter));
            }
            _ => {}
        }
    }
}

/// Whether the body leaves out the text of an element of this name, class and id: a part of
/// the page that is not the article, a share widget, a media player, text for screen readers.
pub(super) fn hides_text(name: &str, class: Option<&str>, id: Option<&str>) -> bool {
    SKIPPED.contains(&name)
        || is_share_widget(class, id)
        || is_media_player(name, class, id)
        || is_screen_reader_only(class)
}

fn is_share_widget(class: Option<&str>, id: Option<&str>) -> bool {
    class.or(id).is_some_and(|c| {
        let c = c.to_ascii_lowercase();
        [
            "share",
            "social",
            "navigation",
            "breadcrumb",
            "related",
            "newsletter",
            "cookie",
        ]
        .iter()
        .any(|w| c.contains(w))
    })
}

/// A media player's container (`jp-jplayer`, `video-player`, `widget_audio_player`, `jwplayer`):
/// its text is controls, durations and the notice shown when the media cannot play. A class or
/// id word that ends in "player" names one; inline elements (a sports page's `<span
/// class="player">`) are left alone.
fn is_media_player(name: &str, class: Option<&str>, id: Option<&str>) -> bool {
    if INLINE.contains(&name) {
        return false;
    }
    [class, id]
        .into_iter()
        .flatten()
        .flat_map(|v| v.split(|c: char| !c.is_ascii_alphanumeric()))
        .any(|w| w.to_ascii_lowercase().ends_with("player"))
}

/// Inline elements, which hold words of a paragraph rather than page parts.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "cite", "code", "em", "i", "mark", "q", "s", "small", "span", "strong",
    "sub", "sup", "time", "u",
];

fn is_screen_reader_only(class: Option<&str>) -> bool {
    class.is_some_and(|c| {
        c.split_ascii_whitespace()
            .any(|w| SCREEN_READER_ONLY.iter().any(|s| w.eq_ignore_ascii_case(s)))
    })
}

fn flush(current: &mut String, paragraphs: &mut Vec<String>) {
    let p = super::collapse_spaces(current);
    if !p.is_empty() {
        paragraphs.push(p);
    }
    current.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_main_text_without_navigation_scripts_and_styles() {
        let page = r#"<!doctype html><html lang="ja"><head><title>Site | 見出し</title>
            <meta property="article:published_time" content="2026-11-24T09:00:00+09:00">
            <style>p{color:red}</style><script>var x = "<p>no</p>";</script></head>
            <body><nav><a>ホーム</a></nav><div class="share-buttons">シェア</div>
            <article><h1>港の新しい灯台</h1><p>第一段落です。</p><p>第二 <b>段落</b>です。</p></article>
            <footer>© 2026</footer></body></html>"#;
        let parsed = parse_page(page);
        let item = &parsed.items[0];
        assert_eq!(item.title.as_deref(), Some("港の新しい灯台"));
        assert_eq!(item.declared_lang.as_deref(), Some("ja"));
        assert_eq!(item.body, "第一段落です。\n\n第二 段落です。");
        assert_eq!(item.date_raw.as_deref(), Some("2026-11-24T09:00:00+09:00"));
    }

    #[test]
    fn media_player_fallbacks_and_screen_reader_labels_are_not_article_text() {
        let page = r#"<html lang="de"><body><article><h1>Hafenfest</h1>
            <p>Der Hafen feiert am Sonntag sein hundertstes Fest.</p>
            <video src="fest.mp4">Your browser does not support the video tag.</video>
            <audio controls><source src="a.ogg">Please upgrade your browser to play audio.</audio>
            <object data="clip.swf">Install the Flash plugin to watch this clip.</object>
            <div class="podcast widget_audio_player"><ul><li>01:41</li></ul>
              <div class="notice"><span>Update needed</span> To play the media, update your browser.</div></div>
            <div id="main-videoplayer"><div>Loading the player …</div></div>
            <div class="sr-only">This content is imported from a social network.</div>
            <p>Die <span class="player">Kapelle</span> spielt bis Mitternacht.</p>
            </article></body></html>"#;
        let parsed = parse_page(page);
        assert_eq!(
            parsed.items[0].body,
            "Der Hafen feiert am Sonntag sein hundertstes Fest.\n\nDie Kapelle spielt bis Mitternacht."
        );
    }

    #[test]
    fn server_output_before_the_document_is_not_article_text() {
        let page = "<br />\n<b>Warning</b>: Undefined constant in <b>/srv/site/lang.php</b> on line <b>9</b><br />\n\
            <!DOCTYPE html><html lang=\"de\"><head><title>Bericht</title></head>\
            <body><p>Der Rat tagt am Montag.</p></body></html>";
        let item = &parse_page(page).items[0];
        assert_eq!(item.body, "Der Rat tagt am Montag.");
        assert_eq!(item.declared_lang.as_deref(), Some("de"));
        // A page without <html> keeps everything.
        assert_eq!(
            parse_page("<p>Erster Absatz.</p><p>Zweiter.</p>").items[0].body,
            "Erster Absatz.\n\nZweiter."
        );
    }

    #[test]
    fn fragments_keep_paragraphs() {
        assert_eq!(
            fragment_to_text("<p>One &amp; two.</p><p>Three</p>"),
            "One & two.\n\nThree"
        );
        assert_eq!(fragment_to_text("plain words"), "plain words");
    }

    #[test]
    fn deep_nesting_is_read_stripped_fast_and_without_a_stack_overflow() {
        // 40,000 nested <div> overflowed the stack (and took 12 s to parse) before the cap.
        let deep = format!(
            "<html><body>{}Council met.{}</body></html>",
            "<div>".repeat(40_000),
            "</div>".repeat(40_000)
        );
        let parsed = parse_page(&deep);
        assert_eq!(parsed.items[0].body, "Council met.");
        assert!(
            parsed.warnings[0].contains("nested deeper than 512"),
            "{parsed:?}"
        );
        let escaped = format!("{}x{}", "<b>".repeat(40_000), "</b>".repeat(40_000));
        assert_eq!(fragment_to_text(&escaped), "x");
    }

    /// Trees the estimate cannot see are deep (end tags the parser ignores inside a block,
    /// MathML text elements): their text is still read, on a thread's small stack.
    #[test]
    fn trees_deeper_than_the_estimate_sees_are_read_without_recursion() {
        let pages = [
            format!(
                "<html><body><article><h1>Deep page</h1>{}bottom</article></body></html>",
                "<span><div></span>".repeat(30_000)
            ),
            format!(
                "<html><body><article><h1>Deep page</h1><math><xmp>{}bottom</xmp></math></article></body></html>",
                "<mrow>".repeat(30_000)
            ),
        ];
        for page in pages {
            let body = std::thread::Builder::new()
                .stack_size(256 << 10)
                .spawn(move || parse_page(&page).items[0].body.clone())
                .expect("thread")
                .join()
                .expect("no stack overflow");
            assert!(body.ends_with("bottom"), "{body:?}");
        }
        // And the walk over a deep tree needs no stack for its depth.
        let text = std::thread::Builder::new()
            .stack_size(128 << 10)
            .spawn(|| {
                let deep = format!("{}bottom", "<span><div></span>".repeat(5_000));
                block_text(Html::parse_fragment(&deep).root_element())
            })
            .expect("thread")
            .join()
            .expect("no stack overflow");
        assert_eq!(text, "bottom");
        // The estimate sees them, so that the parser (slow on deep trees) is not run on them.
        assert!(too_deep(&"<span><div></span>".repeat(MAX_NESTING)));
        assert!(too_deep(&format!(
            "<math><xmp>{}</xmp></math>",
            "<mrow>".repeat(MAX_NESTING + 1)
        )));
    }

    #[test]
    fn the_nesting_estimate_pairs_tags_like_the_parser() {
        let nested =
            |open: &str, close: &str, n: usize| format!("{}{}", open.repeat(n), close.repeat(n));
        assert!(!too_deep(&nested("<div>", "</div>", MAX_NESTING)));
        assert!(too_deep(&nested("<div>", "</div>", MAX_NESTING + 1)));
        // Siblings, void and self-closed elements, implied ends do not nest.
        assert!(!too_deep(
            &"<div><p>a<br><img src=x><li>b</div>".repeat(10_000)
        ));
        assert!(!too_deep(&"<span/>".repeat(10_000)));
        // Stray end tags close nothing; end tags inside a script are text.
        assert!(too_deep(&"<div></span>".repeat(MAX_NESTING + 1)));
        assert!(too_deep(
            &"<div><script></div></script>".repeat(MAX_NESTING + 1)
        ));
        // A closed outer element closes everything opened inside it.
        assert!(!too_deep(&"<section><b><i></section>".repeat(10_000)));
    }
}
