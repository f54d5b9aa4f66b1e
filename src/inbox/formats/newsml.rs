//! IPTC NewsML-G2 `newsItem` XML (alone, or several in a `newsMessage`).
//!
//! Read with quick-xml's event reader: entities declared in a DTD are never expanded, so entity
//! bombs and external entities come to nothing.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{ParseError, Parsed, meta};
use crate::inbox::article::{Format, RawItem};
use crate::inbox::decode::strip_xml_declaration;

/// Elements inside the body that end a paragraph.
const BLOCKS: &[&str] = &["p", "h1", "h2", "h3", "h4", "li", "div", "blockquote", "br"];

#[derive(Default)]
struct ItemBuilder {
    item: RawItem,
    version_created: Option<String>,
    content_created: Option<String>,
    body: Vec<String>,
    paragraph: String,
}

impl ItemBuilder {
    fn flush_paragraph(&mut self) {
        let p = super::collapse_spaces(&self.paragraph);
        if !p.is_empty() {
            self.body.push(p);
        }
        self.paragraph.clear();
    }

    fn finish(mut self) -> RawItem {
        self.flush_paragraph();
        self.item.body = self.body.join("\n\n");
        for slot in [
            &mut self.item.title,
            &mut self.item.source,
            &mut self.item.author,
        ] {
            *slot = slot
                .take()
                .map(|s| super::collapse_spaces(&s))
                .filter(|s| !s.is_empty());
        }
        let date = self.content_created.or(self.version_created);
        meta::set_date(&mut self.item, date.as_deref());
        self.item
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_or_else(|_| a.value.to_string(), |v| v.into_owned())
        })
}

/// Reads every `newsItem` in the document.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let mut reader = Reader::from_str(strip_xml_declaration(text));
    reader.config_mut().trim_text(false);
    let mut path = Open::default();
    let mut current: Option<ItemBuilder> = None;
    let mut items = Vec::new();
    let mut warnings = Vec::new();
    loop {
        let event = reader.read_event().map_err(|e| {
            ParseError(format!(
                "malformed XML at byte {}: {e}",
                reader.error_position()
            ))
        })?;
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                on_start(&e, &name, &path.names, &mut current);
                if let Some(b) = current.as_mut().filter(|_| BLOCKS.contains(&name.as_str())) {
                    b.flush_paragraph();
                }
                path.push(name);
            }
            Event::Empty(e) => {
                let name = e.local_name().as_ref().to_string();
                on_start(&e, &name, &path.names, &mut current);
                if let Some(b) = current.as_mut().filter(|_| BLOCKS.contains(&name.as_str())) {
                    b.flush_paragraph();
                }
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                if name == "newsItem" {
                    items.extend(current.take().map(ItemBuilder::finish));
                } else if let Some(b) = current.as_mut().filter(|_| BLOCKS.contains(&name.as_str()))
                {
                    b.flush_paragraph();
                }
            }
            Event::Text(t) => on_text(&t.xml10_content(), &path, &mut current),
            Event::CData(t) => on_text(&t.xml10_content(), &path, &mut current),
            Event::GeneralRef(r) => {
                let resolved = r
                    .resolve_char_ref()
                    .ok()
                    .flatten()
                    .map(String::from)
                    .or_else(|| predefined(&r));
                match resolved {
                    Some(s) => on_text(&s, &path, &mut current),
                    None => note_once(&mut warnings, format!("entity '&{};' is not expanded", &*r)),
                }
            }
            Event::DocType(d) if d.contains("<!ENTITY") => {
                note_once(&mut warnings, "DTD entities are not expanded".to_string());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if items.is_empty() {
        return Err(ParseError("NewsML-G2: no complete newsItem".into()));
    }
    Ok(Parsed {
        format: Format::NewsMl,
        items,
        warnings,
    })
}

fn predefined(r: &str) -> Option<String> {
    let c = match r {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    };
    Some(c.to_string())
}

fn note_once(warnings: &mut Vec<String>, note: String) {
    if !warnings.contains(&note) {
        warnings.push(note);
    }
}

fn on_start(e: &BytesStart<'_>, name: &str, path: &[String], current: &mut Option<ItemBuilder>) {
    if name == "newsItem" {
        let mut b = ItemBuilder::default();
        b.item.item_key = attr(e, "guid");
        b.item.declared_lang = attr(e, "xml:lang").and_then(|l| meta::normalize_lang(&l));
        *current = Some(b);
        return;
    }
    let Some(b) = current.as_mut() else { return };
    let parent = path.last().map(String::as_str);
    match (parent, name) {
        (Some("contentMeta"), "language") if b.item.declared_lang.is_none() => {
            b.item.declared_lang = attr(e, "tag").and_then(|l| meta::normalize_lang(&l));
        }
        (Some("itemMeta"), "provider") => b.item.source = attr(e, "literal").or(attr(e, "qcode")),
        (Some("itemMeta"), "link") if b.item.url.is_none() => b.item.url = attr(e, "href"),
        _ => {}
    }
}

/// The elements open at a point of the document, with counts of those that decide where text
/// goes: asking the whole path at each piece of text made a deeply nested body quadratic.
#[derive(Default)]
struct Open {
    names: Vec<String>,
    /// Open `inlineXML`/`inlineData`: text is the body's.
    body: usize,
    /// Open `head`/`script`/`style`: text in a body is not article text (the XHTML head's
    /// `<title>` repeats the headline).
    hidden: usize,
}

impl Open {
    fn push(&mut self, name: String) {
        if let Some(n) = self.counter(&name) {
            *n += 1;
        }
        self.names.push(name);
    }

    fn pop(&mut self) -> Option<String> {
        let name = self.names.pop()?;
        if let Some(n) = self.counter(&name) {
            *n = n.saturating_sub(1);
        }
        Some(name)
    }

    fn counter(&mut self, name: &str) -> Option<&mut usize> {
        match name {
            "inlineXML" | "inlineData" => Some(&mut self.body),
            "head" | "script" | "style" => Some(&mut self.hidden),
            _ => None,
        }
    }
}

fn on_text(text: &str, path: &Open, current: &mut Option<ItemBuilder>) {
    let Some(b) = current.as_mut() else { return };
    let in_body = path.body > 0;
    if in_body && path.hidden > 0 {
        return;
    }
    let field = |slot: &mut Option<String>| slot.get_or_insert_with(String::new).push_str(text);
    match path.names.last().map(String::as_str) {
        _ if in_body => b.paragraph.push_str(text),
        Some("headline") => field(&mut b.item.title),
        Some("versionCreated") => field(&mut b.version_created),
        Some("contentCreated") => field(&mut b.content_created),
        Some("creditline") if b.item.source.is_none() => field(&mut b.item.source),
        Some("by") => field(&mut b.item.author),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:x.test:2026:1" xml:lang="en">
  <itemMeta><versionCreated>2026-11-25T07:00:00Z</versionCreated><provider literal="Desk Wire"/></itemMeta>
  <contentMeta><headline>Harbour &amp; rail strike ends</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml">
    <html xmlns="http://www.w3.org/1999/xhtml"><head><title>Harbour</title></head><body><p>First &#8220;para&#8221;.</p><p>Second
    para.</p></body></html></inlineXML></contentSet>
</newsItem>"#;

    #[test]
    fn news_item_fields() {
        let p = parse(ITEM).expect("parsed");
        let item = &p.items[0];
        assert_eq!(item.title.as_deref(), Some("Harbour & rail strike ends"));
        assert_eq!(item.declared_lang.as_deref(), Some("en"));
        assert_eq!(item.body, "First \u{201c}para\u{201d}.\n\nSecond para.");
        assert_eq!(item.date_raw.as_deref(), Some("2026-11-25T07:00:00Z"));
        assert_eq!(item.source.as_deref(), Some("Desk Wire"));
        assert_eq!(item.item_key.as_deref(), Some("urn:newsml:x.test:2026:1"));
    }

    #[test]
    fn a_deeply_nested_body_is_read_whole() {
        let n = 20_000;
        let doc = format!(
            "<newsItem guid=\"g\"><contentMeta><headline>Q</headline></contentMeta><contentSet>\
             <inlineXML><html><head><title>Q</title></head><body>{}{}</body></html></inlineXML>\
             </contentSet></newsItem>",
            "<b>a".repeat(n),
            "</b>".repeat(n)
        );
        let item = &parse(&doc).expect("parsed").items[0];
        assert_eq!(item.title.as_deref(), Some("Q"));
        assert_eq!(
            item.body,
            "a".repeat(n),
            "the head's title is not body text"
        );
    }

    #[test]
    fn entity_bomb_is_not_expanded() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE n [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<newsItem guid="g"><contentMeta><headline>Bomb &b;</headline></contentMeta></newsItem>"#;
        let p = parse(bomb).expect("parsed");
        assert_eq!(p.items[0].title.as_deref(), Some("Bomb"));
        assert!(
            p.warnings
                .contains(&"DTD entities are not expanded".to_string()),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn mismatched_tags_are_an_error() {
        let err = parse("<newsItem><contentMeta><headline>x</contentMeta></newsItem>").unwrap_err();
        assert!(err.0.starts_with("malformed XML"), "{err}");
    }
}
