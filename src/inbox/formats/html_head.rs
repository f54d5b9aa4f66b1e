//! What [`super::html::parse_page`] gives a list (title, dates, language, links), found by
//! a scan of the page's tags instead of building the document, for pages of a common shape.
//!
//! The scan follows the HTML tokenizer: tags and their attributes, comments, raw text
//! (`script`, `style`, `title`, ...) and character references. It gives up (`None`: the page
//! is then parsed) wherever the tree the parser builds could differ from the order of the
//! tags: tables, `select`, `template`, SVG and MathML, frames, `noscript`, `plaintext`,
//! plug-ins, a second `<html>`, script text with comment escapes, comments that end early,
//! character references other than the common ones, more tags than the nesting cap.
//!
//! The body text is not read, except its first words: enough to know it is not empty. For
//! that the page's root (its first `<article>`, else its first `<main>`) must open with an
//! `<h1>` of plain text followed by a `<p>` that starts with text, neither of them of a class
//! that hides its text (`share`, `sr-only`, ...), and no formatting element
//! (`<b>`, `<a>`, ...) may be left open before it (the parser would re-open it around the
//! text, where a class could hide it).

use std::borrow::Cow;

use super::html::{MAX_NESTING, hides_text, without_preamble};
use super::{Parsed, collapse_spaces, meta};
use crate::inbox::article::{Format, RawItem};

/// Elements after which the tree can differ from the order of the tags (moved, dropped or
/// re-parented content, foreign content, raw text the scan does not follow).
const UNTRACKED: &[&str] = &[
    "table",
    "caption",
    "colgroup",
    "col",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
    "select",
    "option",
    "optgroup",
    "template",
    "svg",
    "math",
    "frameset",
    "frame",
    "noscript",
    "plaintext",
    "applet",
    "object",
    "marquee",
];

/// Elements whose content is text up to their end tag (RAWTEXT and RCDATA; `script` apart).
const TEXT_ONLY: &[&str] = &[
    "style", "xmp", "iframe", "noembed", "noframes", "title", "textarea",
];

/// Formatting elements: the parser re-opens those left open around later text.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// The references decoded here; a page with any other is parsed.
const NAMED: &[(&str, char)] = &[
    ("amp;", '&'),
    ("lt;", '<'),
    ("gt;", '>'),
    ("quot;", '"'),
    ("apos;", '\''),
    ("nbsp;", '\u{a0}'),
];

/// The first element a selector of `parse_page` finds: `None` when there is none, else the
/// attribute it reads (`None` when the element lacks it).
type First = Option<Option<String>>;

/// What the scan found, first of each kind.
#[derive(Default)]
struct Found {
    html_tags: usize,
    lang: First,
    og_title: First,
    published: First,
    date: First,
    dc_date: First,
    time: First,
    canonical: First,
    og_url: First,
    site_name: First,
    author: First,
    /// The first `<article>`, and how it opens when that is of the shape.
    article: Option<Option<Opening>>,
    main: Option<Option<Opening>>,
}

/// How the root opens: its `<h1>` and the first words of the `<p>` after it, both as the
/// parser's text (references decoded, spaces collapsed).
#[derive(Debug, Clone)]
struct Opening {
    h1: String,
    first_words: String,
}

/// [`super::html::parse_page`] read from the tags alone, the body only its first words; `None`
/// when the page is not of the shape this scan knows exactly.
pub fn page_head(text: &str) -> Option<Parsed> {
    let text = without_preamble(text);
    // Fewer tags than the cap cannot nest deeper than it (`parse_page` strips deeper pages).
    if text.bytes().filter(|&b| b == b'<').count() > MAX_NESTING || text.contains('\0') {
        return None;
    }
    let found = scan(text)?;
    let opening = match (&found.article, &found.main) {
        (Some(article), _) => article.as_ref()?,
        (None, Some(main)) => main.as_ref()?,
        (None, None) => return None,
    };
    let title = value(&found.og_title).unwrap_or_else(|| opening.h1.clone());
    // The body's first paragraph is the h1's text, dropped when it repeats the title.
    let body = if opening.h1.trim() == title.trim() {
        opening.first_words.clone()
    } else {
        opening.h1.clone()
    };
    let raw_date = value(&found.published)
        .or_else(|| value(&found.date))
        .or_else(|| value(&found.dc_date))
        .or_else(|| value(&found.time));
    let mut item = RawItem {
        title: Some(title),
        body,
        declared_lang: value(&found.lang).and_then(|l| meta::normalize_lang(&l)),
        url: value(&found.canonical).or_else(|| value(&found.og_url)),
        source: value(&found.site_name),
        author: value(&found.author),
        ..RawItem::default()
    };
    meta::set_date(&mut item, raw_date.as_deref());
    Some(Parsed::one(Format::Html, item))
}

/// An attribute as `parse_page` reads it: trimmed, and absent when blank.
fn value(first: &First) -> Option<String> {
    first
        .as_ref()?
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

fn is(name: &str, list: &[&str]) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Every tag of the page, in order, as the tokenizer reads them.
fn scan(s: &str) -> Option<Found> {
    let b = s.as_bytes();
    let mut found = Found::default();
    let mut formatting = [0usize; FORMATTING.len()];
    let mut attrs = Vec::new();
    let mut pos = 0;
    while let Some(lt) = s[pos..].find('<').map(|i| pos + i) {
        let at = lt + 1;
        pos = match b.get(at) {
            Some(b'!') if s[at..].starts_with("!--") => comment_end(s, at + 3)?,
            Some(b'!' | b'?') => past(s, at, '>'),
            Some(b'/') => match b.get(at + 1) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let Some(tag) = read_tag(s, at + 1, &mut attrs) else {
                        break;
                    };
                    if is(tag.name, UNTRACKED) {
                        return None;
                    }
                    if let Some(i) = FORMATTING
                        .iter()
                        .position(|n| n.eq_ignore_ascii_case(tag.name))
                    {
                        formatting[i] = formatting[i].saturating_sub(1);
                    }
                    tag.end
                }
                Some(b'>') => at + 2,
                Some(_) => past(s, at, '>'),
                None => break,
            },
            Some(c) if c.is_ascii_alphabetic() => {
                // The end of the text inside a tag drops the tag: nothing follows.
                let Some(tag) = read_tag(s, at, &mut attrs) else {
                    break;
                };
                start_tag(s, &tag, &attrs, &mut found, &mut formatting)?
            }
            _ => at,
        };
    }
    Some(found)
}

/// Takes in a start tag; returns where the scan goes on.
fn start_tag(
    s: &str,
    tag: &Tag<'_>,
    attrs: &[(&str, &str)],
    found: &mut Found,
    formatting: &mut [usize],
) -> Option<usize> {
    let name = tag.name;
    if is(name, UNTRACKED) {
        return None;
    }
    if name.eq_ignore_ascii_case("script") {
        let end = text_end(s, tag.end, "script");
        // Comment-like text in a script changes where it ends.
        return (!s[tag.end..end].contains("<!--")).then_some(end);
    }
    if is(name, TEXT_ONLY) {
        return Some(text_end(s, tag.end, name));
    }
    if let Some(i) = FORMATTING.iter().position(|n| n.eq_ignore_ascii_case(name)) {
        formatting[i] += 1;
    }
    let named = |n: &str| name.eq_ignore_ascii_case(n);
    if named("html") {
        found.html_tags += 1;
        if found.html_tags > 1 {
            return None; // a second <html> adds its attributes to the first
        }
        found.lang = Some(owned(decoded(attr(attrs, "lang"))?));
    } else if named("meta") {
        meta_tag(attrs, found)?;
    } else if named("link") {
        let rel = decoded(attr(attrs, "rel"))?;
        if matches(rel.as_deref(), "canonical")? && found.canonical.is_none() {
            found.canonical = Some(owned(decoded(attr(attrs, "href"))?));
        }
    } else if named("time") {
        if found.time.is_none() && attr(attrs, "datetime").is_some() {
            found.time = Some(owned(decoded(attr(attrs, "datetime"))?));
        }
    } else if named("article") || named("main") {
        let slot = if named("article") {
            &mut found.article
        } else {
            &mut found.main
        };
        if slot.is_none() {
            let clear = formatting.iter().all(|&n| n == 0);
            *slot = Some(opening(s, tag.end).filter(|_| clear));
        }
    }
    Some(tag.end)
}

/// The `<meta>` selectors of `parse_page`, each taking the first element it matches.
fn meta_tag(attrs: &[(&str, &str)], found: &mut Found) -> Option<()> {
    let property = decoded(attr(attrs, "property"))?;
    let name = decoded(attr(attrs, "name"))?;
    let content = decoded(attr(attrs, "content"))?;
    let slots = [
        (&property, "og:title", &mut found.og_title),
        (&property, "article:published_time", &mut found.published),
        (&property, "og:url", &mut found.og_url),
        (&property, "og:site_name", &mut found.site_name),
        (&name, "date", &mut found.date),
        (&name, "dc.date", &mut found.dc_date),
        (&name, "author", &mut found.author),
    ];
    for (value, wanted, slot) in slots {
        if matches(value.as_deref(), wanted)? && slot.is_none() {
            *slot = Some(owned(content.clone()));
        }
    }
    Some(())
}

/// Whether an attribute value is `wanted`; `None` (give up) when it is only in another case,
/// which a selector may or may not match.
fn matches(value: Option<&str>, wanted: &str) -> Option<bool> {
    match value {
        Some(v) if v == wanted => Some(true),
        Some(v) if v.eq_ignore_ascii_case(wanted) => None,
        _ => Some(false),
    }
}

/// How the root element opens, when it opens with `<h1>` plain text `</h1>` then `<p>` text.
fn opening(s: &str, from: usize) -> Option<Opening> {
    let mut attrs = Vec::new();
    let h1 = child_tag(s, from, "h1", &mut attrs)?;
    let h1_end = h1.end + s[h1.end..].find('<')?;
    let close = h1_end + 2;
    if !s[h1_end..].starts_with("</") || !tag_named(s, close, "h1") {
        return None;
    }
    let h1_text = collapse_spaces(&decoded_text(&s[h1.end..h1_end])?);
    let after_h1 = read_tag(s, close, &mut attrs)?.end;
    let p = child_tag(s, after_h1, "p", &mut attrs)?;
    let run_end = s[p.end..].find('<').map_or(s.len(), |i| p.end + i);
    let first_words = collapse_spaces(&decoded_text(&s[p.end..run_end])?);
    // Words that show: a paragraph of only U+3000 would still be blank to `trim`.
    let shows = first_words.chars().any(|c| !c.is_whitespace());
    (!h1_text.is_empty() && shows).then_some(Opening {
        h1: h1_text,
        first_words,
    })
}

/// The start tag `name` after only whitespace from `from`, when its class and id do not hide
/// its text from the body.
fn child_tag<'a>(
    s: &'a str,
    from: usize,
    name: &str,
    attrs: &mut Vec<(&'a str, &'a str)>,
) -> Option<Tag<'a>> {
    let at = from + s[from..].bytes().take_while(|&b| is_space(b)).count();
    if s.as_bytes().get(at) != Some(&b'<') || !tag_named(s, at + 1, name) {
        return None;
    }
    let tag = read_tag(s, at + 1, attrs)?;
    let class = decoded(attr(attrs, "class"))?;
    let id = decoded(attr(attrs, "id"))?;
    (!hides_text(name, class.as_deref(), id.as_deref())).then_some(tag)
}

/// Whether a tag name starting at `at` is `name`, any case.
fn tag_named(s: &str, at: usize, name: &str) -> bool {
    let b = s.as_bytes();
    b.get(at..at + name.len())
        .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
        && b.get(at + name.len())
            .is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
}

/// A tag: its name as written, and where it ends (after its `>`).
struct Tag<'a> {
    name: &'a str,
    end: usize,
}

/// The tag whose name starts at `at` (after `<` or `</`), its attributes (names and raw values)
/// into `attrs`; `None` when the text ends inside it.
fn read_tag<'a>(s: &'a str, at: usize, attrs: &mut Vec<(&'a str, &'a str)>) -> Option<Tag<'a>> {
    attrs.clear();
    let b = s.as_bytes();
    let until = |mut i: usize, stop: &dyn Fn(u8) -> bool| {
        while i < b.len() && !stop(b[i]) {
            i += 1;
        }
        i
    };
    let mut i = until(at, &|c| is_space(c) || c == b'/' || c == b'>');
    let name = &s[at..i];
    loop {
        i = until(i, &|c| !is_space(c));
        match *b.get(i)? {
            b'>' => return Some(Tag { name, end: i + 1 }),
            b'/' => {
                // `/>`; a `/` elsewhere is dropped.
                i += 1;
                continue;
            }
            _ => {}
        }
        // The first character belongs to the name, even `=`.
        let start = i;
        i = until(i + 1, &|c| is_space(c) || matches!(c, b'/' | b'>' | b'='));
        let attr_name = &s[start..i];
        i = until(i, &|c| !is_space(c));
        if b.get(i) != Some(&b'=') {
            attrs.push((attr_name, ""));
            continue;
        }
        i = until(i + 1, &|c| !is_space(c));
        let value = match *b.get(i)? {
            q @ (b'"' | b'\'') => {
                let close = i + 1 + s[i + 1..].find(char::from(q))?;
                let v = &s[i + 1..close];
                i = close + 1;
                v
            }
            b'>' => "",
            _ => {
                let start = i;
                i = until(i, &|c| is_space(c) || c == b'>');
                &s[start..i]
            }
        };
        attrs.push((attr_name, value));
    }
}

/// The first attribute of that name (the tokenizer drops repeated ones).
fn attr<'a>(attrs: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// Where a comment whose text starts at `from` ends; `None` for the comments that end
/// early (`<!-->`, `<!--->`, `--!>`).
fn comment_end(s: &str, from: usize) -> Option<usize> {
    let rest = &s[from..];
    if rest.starts_with('>') || rest.starts_with("->") {
        return None;
    }
    match (rest.find("-->"), rest.find("--!>")) {
        (Some(end), Some(early)) if early < end => None,
        (None, Some(_)) => None,
        (Some(end), _) => Some(from + end + 3),
        // Never closed: the rest of the page is the comment.
        (None, None) => Some(s.len()),
    }
}

/// Just after the first `c` from `from`, or the end.
fn past(s: &str, from: usize, c: char) -> usize {
    s[from..].find(c).map_or(s.len(), |i| from + i + 1)
}

/// Where the text of a raw text element ends: at its end tag (`</name` then a space, `/` or
/// `>`), or the end of the page.
fn text_end(s: &str, from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(i) = s[at..].find("</") {
        let lt = at + i;
        // The name must be followed by something: `</script` at the very end is text.
        if tag_named(s, lt + 2, name) && s.len() > lt + 2 + name.len() {
            return lt;
        }
        at = lt + 2;
    }
    s.len()
}

/// An attribute's value decoded; `Some(None)` when there is none, `None` when it cannot be.
fn decoded(raw: Option<&str>) -> Option<Option<Cow<'_, str>>> {
    match raw {
        None => Some(None),
        Some(raw) => decoded_text(raw).map(Some),
    }
}

fn owned(value: Option<Cow<'_, str>>) -> Option<String> {
    value.map(Cow::into_owned)
}

/// Text with its character references decoded and its line breaks normalised (`\r\n` and `\r`
/// to `\n`), as the parser reads it; `None` for a reference not in [`NAMED`] or a numeric one
/// to an unusual character.
fn decoded_text(raw: &str) -> Option<Cow<'_, str>> {
    if !raw.contains(['&', '\r']) {
        return Some(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '\r']) {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if rest.as_bytes()[i] == b'\r' {
            out.push('\n');
            rest = after.strip_prefix('\n').unwrap_or(after);
            continue;
        }
        rest = match after.as_bytes().first() {
            Some(c) if c.is_ascii_alphanumeric() => {
                let (name, c) = NAMED.iter().find(|(n, _)| after.starts_with(n))?;
                out.push(*c);
                &after[name.len()..]
            }
            Some(b'#') => {
                let (c, len) = numeric_reference(&after[1..])?;
                out.push(c);
                &after[1 + len..]
            }
            // Not a reference: the `&` stays.
            _ => {
                out.push('&');
                after
            }
        };
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

/// `123;` or `x1F;` (after `&#`): the character and the length read, for characters the
/// parser keeps as they are.
fn numeric_reference(s: &str) -> Option<(char, usize)> {
    let (skip, radix) = if s.starts_with(['x', 'X']) {
        (1, 16)
    } else {
        (0, 10)
    };
    let digits = s[skip..]
        .bytes()
        .take_while(|b| char::from(*b).is_digit(radix))
        .count();
    if digits == 0 || digits > 7 || s.as_bytes().get(skip + digits) != Some(&b';') {
        return None;
    }
    let n = u32::from_str_radix(&s[skip..skip + digits], radix).ok()?;
    let ordinary = matches!(n, 0x09 | 0x0a | 0x0c | 0x20..=0x7e | 0xa0..=0xfdcf | 0xfdf0..)
        && n & 0xfffe != 0xfffe;
    let c = char::from_u32(n).filter(|_| ordinary)?;
    Some((c, skip + digits + 1))
}

#[cfg(test)]
mod tests {
    use super::super::html::parse_page;
    use super::*;

    /// The head of `page`, checked against the full reader.
    fn head(page: &str) -> Option<Parsed> {
        let head = page_head(page)?;
        super::super::assert_head_agrees(&head, &parse_page(page), page);
        Some(head)
    }

    fn page(head: &str, body: &str) -> String {
        format!(
            "<!doctype html>\n<html lang=\"fr\"><head>{head}</head><body>{body}</body></html>\n"
        )
    }

    const ARTICLE: &str = "<nav>Accueil | Monde</nav><article><h1>Le port rouvre</h1>\n<p>Les dockers ont repris le travail lundi.</p><p>Suite.</p></article>";

    #[test]
    fn a_common_page_is_read_from_its_tags() {
        let p = page(
            "<meta charset=\"utf-8\"><title>Site | Le port</title>\
             <meta property=\"article:published_time\" content=\" 2026-11-24T09:00:00+01:00 \">\
             <link rel=canonical href='https://x.test/fr/port'><meta name=author content=\"A. B.\">",
            ARTICLE,
        );
        let item = &head(&p).expect("of the shape").items[0];
        assert_eq!(item.title.as_deref(), Some("Le port rouvre"));
        assert_eq!(item.body, "Les dockers ont repris le travail lundi.");
        assert_eq!(item.date_raw.as_deref(), Some("2026-11-24T09:00:00+01:00"));
        assert_eq!(item.declared_lang.as_deref(), Some("fr"));
        assert_eq!(item.url.as_deref(), Some("https://x.test/fr/port"));
        assert_eq!(item.author.as_deref(), Some("A. B."));
    }

    #[test]
    fn classes_that_hide_nothing_are_fine() {
        let p = page(
            "",
            "<article><h1 class=\"headline\" id=\"top\">T</h1><p class=\"byline\">Par A.</p></article>",
        );
        assert_eq!(head(&p).expect("shape").items[0].body, "Par A.");
    }

    #[test]
    fn the_title_only_in_the_h1_or_only_in_og_title() {
        let only_h1 = head(&page("<title>Autre titre</title>", ARTICLE)).expect("shape");
        assert_eq!(only_h1.items[0].title.as_deref(), Some("Le port rouvre"));
        let og = head(&page(
            "<meta property=\"og:title\" content=\"Réouverture du port\">",
            ARTICLE,
        ))
        .expect("shape");
        assert_eq!(og.items[0].title.as_deref(), Some("Réouverture du port"));
        // The h1 no longer repeats the title: it opens the body.
        assert_eq!(og.items[0].body, "Le port rouvre");
        // A blank og:title is no title.
        let blank = head(&page(
            "<meta property=\"og:title\" content=\"  \">",
            ARTICLE,
        ));
        assert_eq!(
            blank.expect("shape").items[0].title.as_deref(),
            Some("Le port rouvre")
        );
    }

    #[test]
    fn dates_found_anywhere_in_the_order_of_the_full_reader() {
        let none = head(&page("", ARTICLE)).expect("shape");
        assert_eq!(none.items[0].date_raw, None);
        let in_body =
            format!("{ARTICLE}<footer><time datetime=\"2026-11-20\">20 nov.</time></footer>");
        let time = head(&page("", &in_body)).expect("shape");
        assert_eq!(time.items[0].date_raw.as_deref(), Some("2026-11-20"));
        let late_meta = format!("{in_body}<meta name=\"dc.date\" content=\"2026-11-21\">");
        let dc = head(&page("<meta name=date content=''>", &late_meta)).expect("shape");
        assert_eq!(dc.items[0].date_raw.as_deref(), Some("2026-11-21"));
        let og_late = format!("{ARTICLE}<meta property=\"og:title\" content=\"Tard\">");
        assert_eq!(
            head(&page("", &og_late)).expect("shape").items[0]
                .title
                .as_deref(),
            Some("Tard")
        );
    }

    #[test]
    fn the_language_is_the_html_elements_only() {
        let p = "<html><head></head><body lang=\"de\"><article lang=\"it\"><h1>T</h1><p>Text.</p></article></body></html>";
        assert_eq!(head(p).expect("shape").items[0].declared_lang, None);
        let late = "<p>x</p><html lang=\"pt\"><article><h1>T</h1><p>Texto.</p></article>";
        assert_eq!(
            head(late).expect("shape").items[0].declared_lang.as_deref(),
            Some("pt")
        );
    }

    #[test]
    fn head_ends_and_tags_inside_comments_scripts_and_titles_are_text() {
        let tricky = "<!-- </head><meta property=\"og:title\" content=\"no\"><article> -->\
            <script>var s = \"</head><meta name='date' content='2001-01-01'><article>\";</script>\
            <title><meta name=date content=1999-09-09></title>\
            <style>/* <article><h1>no</h1> */</style><textarea><main></textarea>\
            <meta name=\"date\" content=\"2026-11-22\">";
        let item = &head(&page(tricky, ARTICLE)).expect("shape").items[0];
        assert_eq!(item.title.as_deref(), Some("Le port rouvre"));
        assert_eq!(item.date_raw.as_deref(), Some("2026-11-22"));
    }

    #[test]
    fn crlf_bom_references_and_attribute_quirks() {
        let p = "\u{feff}<!DOCTYPE html>\r\n<HTML LANG='ja-JP'>\r\n<HEAD>\r\n<META PROPERTY=og:title CONTENT=\"A &amp; B&#8217;s &lt;day&gt;\r\nout\">\r\n\
            <meta name=author content=x=y/ >\r\n</HEAD>\r\n<BODY>\r\n<ARTICLE>\r\n  <H1>A&nbsp;&amp; B</H1>\r\n  <P>Ligne &#x263A; une.</P>\r\n</ARTICLE></BODY></HTML>";
        let item = &head(p).expect("shape").items[0];
        assert_eq!(item.title.as_deref(), Some("A & B’s <day>\nout"));
        assert_eq!(item.declared_lang.as_deref(), Some("ja"));
        assert_eq!(item.author.as_deref(), Some("x=y/"));
        assert_eq!(item.body, "A & B");
    }

    #[test]
    fn pages_of_other_shapes_are_left_to_the_parser() {
        let body_of = |article: &str| page("", article);
        for p in [
            // Root openings not of the shape.
            body_of("<article><header><h1>T</h1></header><p>x</p></article>"),
            body_of("<article><h1 class=\"share\">T</h1><p>x</p></article>"),
            body_of("<article><h1>T <b>x</b></h1><p>x</p></article>"),
            body_of("<article><h1>T</h1><div>x</div></article>"),
            body_of("<article><h1>T</h1><p class=\"social\">x</p></article>"),
            body_of("<article><h1 id=\"x-player\">T</h1><p>x</p></article>"),
            body_of("<article><h1>T</h1><p class=\"a SR-ONLY\">x</p></article>"),
            body_of("<article><h1>T</h1><p><b>x</b></p></article>"),
            body_of("<article><h1>T</h1><p>\u{3000}</p></article>"),
            body_of("<article><h1> </h1><p>x</p></article>"),
            body_of("<div><h1>T</h1><p>x</p></div>"),
            // Structures the scan does not follow.
            body_of("<table><tr><td><article><h1>T</h1><p>x</p></article></td></tr></table>"),
            body_of("<svg><title>x</title></svg><article><h1>T</h1><p>x</p></article>"),
            body_of(
                "<noscript><meta name=date content=x></noscript><article><h1>T</h1><p>x</p></article>",
            ),
            body_of("<b><article><h1>T</h1><p>x</p></article>"),
            body_of("<p><a class=share>x</p><article><h1>T</h1><p>x</p></article>"),
            body_of("<template><p>x</template><article><h1>T</h1><p>x</p></article>"),
            body_of(
                "<script><!--<script></script>--></script><article><h1>T</h1><p>x</p></article>",
            ),
            body_of("<!--> <article><h1>T</h1><p>x</p></article>"),
            body_of("<html lang=en><article><h1>T</h1><p>x</p></article>"),
            // References beyond the common ones.
            body_of("<article><h1>&eacute;t&eacute;</h1><p>x</p></article>"),
            body_of("<article><h1>T&#128;</h1><p>x</p></article>"),
            page("<meta property=og:title content=\"&copy\">", ARTICLE),
            // A case the selectors may read either way.
            page("<meta property=\"OG:TITLE\" content=\"x\">", ARTICLE),
            // Nested past the cap.
            body_of(&format!("{}{ARTICLE}", "<div>".repeat(MAX_NESTING))),
        ] {
            assert!(page_head(&p).is_none(), "{p}");
        }
    }

    /// Pages put together from pieces, ordinary and tricky: where the scan answers, it must
    /// answer as the parser does.
    #[test]
    fn the_scan_agrees_with_the_parser_on_generated_pages() {
        let head_pieces = [
            "<meta charset=utf-8>",
            "<title>Titre &amp; co</title>",
            "<meta property=\"og:title\" content=\"OG titre\">",
            "<meta property='og:title' content=''>",
            "<meta property=og:title>",
            "<meta property=\"article:published_time\" content=\"2026-11-24T09:00:00+01:00\">",
            "<meta name=\"date\" content=\"2026-11-23\">",
            "<meta name=dc.date content=\"24/11/2026\">",
            "<meta name=\"author\" content=\"Ana\" name=\"date\">",
            "<meta property=\"og:url\" content=\"https://x.test/pt/a\">",
            "<meta property=\"og:site_name\" content=\"Diário\">",
            "<link rel=\"canonical\" href=\"https://x.test/a\">",
            "<link rel=canonical>",
            "<!-- <meta name=date content=1999-01-01> -->",
            "<script>if (a < b) { x = '</head>'; }</script>",
            "<style>h1 { }</style>",
            "<noscript><meta name=date content=x></noscript>",
        ];
        let body_pieces = [
            "<nav>Home | <a href=/>World</a></nav>",
            "<time datetime=\"2026-11-20T10:00:00Z\">hier</time>",
            "<time>no attribute</time>",
            "<main><h1>Main title</h1>\n<p>Main text.</p></main>",
            "<article><h1>Le titre</h1>\n<p>Le texte &amp; la suite.</p><p>Deux.</p></article>",
            "<article><h1>OG titre</h1><p>Texte</p></article>",
            "<article>\n  <h1 lang=fr>Titre  \n long</h1>\n  <p>  Premier<b>mot</b></p></article>",
            "<article><h2>x</h2></article>",
            "<article><h1 class=byline>Le titre</h1><p class=\"share-x\">Texte</p><p>Deux</p></article>",
            "<article><h1 id=video-player>Le titre</h1><p class=lead>Texte</p></article>",
            "<h1>Outside</h1><p>Para</p>",
            "<b>open",
            "</b>",
            "<p><a class=\"share-link\">Share</p>",
            "<p>Text <i>it</i></p>",
            "<meta property=\"og:title\" content=\"Late\">",
            "<div class=\"share\">Share</div>",
            "<table><tr><td>x</td></tr></table>",
            "<!-- comment -->",
            "<html lang=\"es\">",
            "<footer>© 2026</footer>",
        ];
        let mut seed = 3u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize % n
        };
        let mut answered = 0;
        for _ in 0..5_000 {
            let mut h = String::new();
            for _ in 0..next(5) {
                h.push_str(head_pieces[next(head_pieces.len())]);
            }
            let mut b = String::new();
            for _ in 0..1 + next(5) {
                b.push_str(body_pieces[next(body_pieces.len())]);
            }
            let p = match next(3) {
                0 => page(&h, &b),
                1 => format!("<html><head>{h}</head>{b}"),
                _ => format!("{h}{b}"),
            };
            answered += usize::from(head(&p).is_some());
        }
        assert!(answered > 500, "{answered} of 5,000 answered");
    }
}
