//! HTML article pages, and HTML fragments found inside feeds and ninjs.

use scraper::{ElementRef, Html, Node, Selector};

use super::{Parsed, meta};
use crate::inbox::article::{Format, RawItem};

/// Elements whose text is never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "button", "svg",
    "template", "iframe", "select", "menu", "figure", "head", "title",
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

fn selector(css: &str) -> Selector {
    // The selectors are constants of this file; a failure is a bug caught by the tests.
    Selector::parse(css).expect("valid built-in selector")
}

/// Reads an HTML page: title, `html lang`, published date and the main text.
pub fn parse_page(text: &str) -> Parsed {
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

/// The text of an HTML fragment (feed content, ninjs `body_html`), paragraphs kept.
pub fn fragment_to_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return html.trim().to_string();
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

fn walk(element: ElementRef<'_>, current: &mut String, paragraphs: &mut Vec<String>) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => current.push_str(text),
            Node::Element(e) => {
                let name = e.name();
                if SKIPPED.contains(&name) || is_share_widget(e) {
                    continue;
                }
                let Some(child_el) = ElementRef::wrap(child) else {
                    continue;
                };
                let block = BLOCKS.contains(&name);
                if block {
                    flush(current, paragraphs);
                }
                walk(child_el, current, paragraphs);
                if block {
                    flush(current, paragraphs);
                }
            }
            _ => {}
        }
    }
}

fn is_share_widget(e: &scraper::node::Element) -> bool {
    e.attr("class").or(e.attr("id")).is_some_and(|c| {
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
    fn fragments_keep_paragraphs() {
        assert_eq!(
            fragment_to_text("<p>One &amp; two.</p><p>Three</p>"),
            "One & two.\n\nThree"
        );
        assert_eq!(fragment_to_text("plain words"), "plain words");
    }
}
