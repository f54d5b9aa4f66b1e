//! RSS 2.0, RSS 1.0, Atom and JSON Feed, through feed-rs: every item is an article.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, Utc};
use feed_rs::model::{Entry, Feed, FeedType};

use super::{ParseError, Parsed, html, meta};
use crate::inbox::article::{Format, RawItem};
use crate::inbox::decode::strip_xml_declaration;
use crate::time::{Zone, meta_day, parse_meta_date};

/// How a feed wrote one instant: with its own offset, and as a day alone or with a time.
#[derive(Debug, Clone, Copy)]
struct Written {
    offset: FixedOffset,
    day_alone: bool,
}

/// Reads a feed from decoded text (the XML declaration's encoding no longer applies).
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let body = without_xml_declarations(strip_xml_declaration(text));
    let body = body.as_ref();
    // feed-rs gives dates in UTC; the parser hook remembers each date's own offset, so that
    // an item published at 07:40+08:00 stays on its own day, and whether it was a day alone,
    // which feed-rs can only give as UTC midnight.
    let written: Arc<Mutex<HashMap<i64, Written>>> = Arc::default();
    let seen = Arc::clone(&written);
    let parser = feed_rs::parser::Builder::new()
        .timestamp_parser(move |raw| {
            let date = parse_meta_date(raw, Zone::Fixed(FixedOffset::east_opt(0)?))?;
            let now = Written {
                offset: *date.offset(),
                day_alone: meta_day(raw).is_some(),
            };
            if let Ok(mut map) = seen.lock() {
                map.entry(date.timestamp())
                    // The same instant also written with a time keeps its time.
                    .and_modify(|before| {
                        before.offset = now.offset;
                        before.day_alone &= now.day_alone;
                    })
                    .or_insert(now);
            }
            Some(date.with_timezone(&Utc))
        })
        // An item with neither guid nor link gets no id here: feed-rs would make a random one
        // on every read, and the decisions saved under it would be lost with the index cache
        // (helper 35). Its key is then made of its title and date (see `item_key`).
        .id_generator(|links, title, uri| match links {
            [] => String::new(),
            _ => feed_rs::parser::generate_id(links, title, uri),
        })
        .build();
    let mut warnings = Vec::new();
    // feed-rs builds every item before copydesk keeps the first ones: a feed far over the cap
    // is cut after the last kept item first, and read whole only if the cut one does not parse.
    let cut = cut_after_items(body, super::MAX_ITEMS_PER_FILE);
    let parsed = match cut {
        Some((shorter, total)) => parser.parse(shorter.as_bytes()).ok().inspect(|_| {
            warnings.push(format!(
                "{total} items, only the first {} are read",
                super::MAX_ITEMS_PER_FILE
            ))
        }),
        None => None,
    };
    let feed = match parsed {
        Some(feed) => feed,
        None => parser
            .parse(body.as_bytes())
            .map_err(|e| ParseError(format!("not a readable feed: {e}")))?,
    };
    let written = written.lock().map(|m| m.clone()).unwrap_or_default();
    let format = match feed.feed_type {
        FeedType::Atom => Format::Atom,
        FeedType::JSON => Format::JsonFeed,
        FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2 => Format::Rss,
    };
    if body.contains("<!ENTITY") {
        warnings.push("DTD entities are not expanded".to_string());
    }
    if feed.entries.is_empty() {
        warnings.push("feed has no items".to_string());
    }
    let items = feed
        .entries
        .iter()
        .map(|e| item(&feed, e, &written))
        .collect();
    Ok(Parsed {
        format,
        items,
        warnings,
    })
}

/// An XML feed of more than `keep` items (RSS `<item>`, Atom `<entry>`) as the document up to
/// its `keep`th item and its own closing tags after its last item, with the number of items it
/// had; `None` when it has no more, or no close tag after its last item to borrow. A cut that
/// lands wrong (an item tag inside CDATA or a comment) makes a document that does not parse,
/// and the whole one is read instead.
fn cut_after_items(text: &str, keep: usize) -> Option<(String, usize)> {
    let (open, close) = [("<item", "</item>"), ("<entry", "</entry>")]
        .into_iter()
        .find(|(open, _)| text.contains(open))?;
    let starts: Vec<usize> = text
        .match_indices(open)
        .map(|(at, _)| at)
        .filter(|&at| {
            text.as_bytes()
                .get(at + open.len())
                .is_some_and(|b| *b == b'>' || b.is_ascii_whitespace())
        })
        .collect();
    let first_dropped = *starts.get(keep)?;
    let tail = text.rfind(close)? + close.len();
    (tail > first_dropped).then(|| {
        let mut shorter = String::with_capacity(first_dropped + text.len() - tail);
        shorter.push_str(&text[..first_dropped]);
        shorter.push_str(&text[tail..]);
        (shorter, starts.len())
    })
}

/// The text without any further XML declaration: the text is already decoded, and a second
/// `<?xml ... encoding="..."?>` made quick-xml (under feed-rs) panic mid-document (found by
/// fuzzing) or re-decode UTF-8 as a legacy encoding. A declaration is only valid first anyway.
fn without_xml_declarations(text: &str) -> Cow<'_, str> {
    let is_decl = |at: usize| {
        text.as_bytes()
            .get(at..at + 6)
            .is_some_and(|b| b[..5].eq_ignore_ascii_case(b"<?xml") && b[5].is_ascii_whitespace())
    };
    let mut found = text
        .match_indices("<?")
        .map(|(i, _)| i)
        .filter(|&i| is_decl(i))
        .peekable();
    if found.peek().is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for at in found {
        if at < from {
            continue;
        }
        out.push_str(&text[from..at]);
        from = text[at..].find("?>").map_or(text.len(), |end| at + end + 2);
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

fn item(feed: &Feed, entry: &Entry, written: &HashMap<i64, Written>) -> RawItem {
    let content = entry.content.as_ref().and_then(|c| c.body.as_deref());
    let summary = entry.summary.as_ref().map(|t| t.content.as_str());
    let body = content
        .or(summary)
        .map(html::fragment_to_text)
        .unwrap_or_default();
    let url = entry.links.first().map(|l| l.href.clone());
    let lang = entry
        .language
        .as_deref()
        .or(feed.language.as_deref())
        .and_then(meta::normalize_lang);
    let date: Option<DateTime<Utc>> = entry.published.or(entry.updated);
    let how = date.and_then(|d| written.get(&d.timestamp()));
    RawItem {
        item_key: Some(entry.id.clone())
            .filter(|s| !s.is_empty())
            .or_else(|| url.clone()),
        title: entry
            .title
            .as_ref()
            .map(|t| html::fragment_to_text(&t.content))
            .filter(|t| !t.is_empty()),
        body,
        date: date.map(|d| match how {
            Some(how) => d.with_timezone(&how.offset),
            None => d.fixed_offset(),
        }),
        date_is_day: how.is_some_and(|how| how.day_alone),
        declared_lang: lang,
        source: feed
            .title
            .as_ref()
            .map(|t| t.content.clone())
            .filter(|s| !s.is_empty()),
        url,
        author: entry.authors.first().and_then(|a| a.name.clone()),
        ..RawItem::default()
    }
}

/// One feed of each kind, with items dated by a day alone (`Day ...`) and items with a time
/// (`At ...`, titled with the date they must keep).
#[cfg(test)]
pub(crate) const DAY_FEEDS: [(&str, &str); 3] = [
    (
        "days.rss",
        "<?xml version=\"1.0\"?><rss version=\"2.0\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>Wire</title>\
         <item><title>Day pubDate</title><guid>r1</guid><pubDate>2026-11-22</pubDate>\
         <description>Ships came in.</description></item>\
         <item><title>Day dc:date</title><guid>r2</guid><dc:date>2026-11-22</dc:date>\
         <description>Ships went out.</description></item>\
         <item><title>At 2026-11-22T09:30:00+07:00</title><guid>r3</guid>\
         <pubDate>Sun, 22 Nov 2026 09:30:00 +0700</pubDate><description>Tide.</description></item>\
         <item><title>At 2026-11-23T00:00:00+00:00</title><guid>r4</guid>\
         <dc:date>2026-11-23T00:00:00Z</dc:date><description>Tide.</description></item>\
         </channel></rss>",
    ),
    (
        "days.atom",
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atoms</title>\
         <entry><title>Day updated</title><id>a1</id><updated>2026-11-22</updated>\
         <summary>Rain over the city.</summary></entry>\
         <entry><title>Day published</title><id>a2</id><published>2026-11-22</published>\
         <summary>Rain over the hills.</summary></entry>\
         <entry><title>At 2026-11-22T09:30:00+07:00</title><id>a3</id>\
         <updated>2026-11-22T09:30:00+07:00</updated><summary>Rain.</summary></entry>\
         <entry><title>At 2026-11-23T00:00:00+00:00</title><id>a4</id>\
         <updated>2026-11-23T00:00:00Z</updated><summary>Rain.</summary></entry></feed>",
    ),
    (
        "days.json",
        r#"{"version": "https://jsonfeed.org/version/1.1", "title": "Jays", "items": [
            {"id": "j1", "title": "Day date_published", "date_published": "2026-11-22",
             "content_text": "Wind in the hills."},
            {"id": "j2", "title": "At 2026-11-22T09:30:00+07:00",
             "date_published": "2026-11-22T09:30:00+07:00", "content_text": "Wind."},
            {"id": "j3", "title": "At 2026-11-23T00:00:00+00:00",
             "date_published": "2026-11-23T00:00:00Z", "content_text": "Wind."}]}"#,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// helper 35: feed-rs gives a day alone (`2026-11-22`) as UTC midnight, a time the feed
    /// never wrote; the item says it is a day, and keeps that midnight for its key.
    #[test]
    fn a_day_alone_is_told_from_a_time() {
        for ((file, feed), format) in
            DAY_FEEDS
                .into_iter()
                .zip([Format::Rss, Format::Atom, Format::JsonFeed])
        {
            let parsed = parse(feed).expect(file);
            assert_eq!(parsed.format, format);
            assert!(parsed.warnings.is_empty(), "{file}: {:?}", parsed.warnings);
            for item in &parsed.items {
                let title = item.title.as_deref().unwrap_or_default();
                let date = item.date.map(|d| d.to_rfc3339()).unwrap_or_default();
                match title.strip_prefix("At ") {
                    Some(at) => assert_eq!(
                        (date.as_str(), item.date_is_day),
                        (at, false),
                        "{file}: {title}"
                    ),
                    None => assert_eq!(
                        (date.as_str(), item.date_is_day),
                        ("2026-11-22T00:00:00+00:00", true),
                        "{file}: {title}"
                    ),
                }
            }
        }
    }

    /// feed-rs gives an item its instant only: one that a feed writes both as a day alone and
    /// with a time (midnight UTC) cannot be told apart, and keeps its time, as before.
    #[test]
    fn an_instant_also_written_with_a_time_keeps_its_time() {
        let day = "<item><title>a</title><guid>1</guid><pubDate>2026-11-22</pubDate></item>";
        let time = "<item><title>b</title><guid>2</guid>\
                    <pubDate>Sun, 22 Nov 2026 00:00:00 +0000</pubDate></item>";
        for items in [[day, time], [time, day]] {
            let rss = format!(
                "<rss version=\"2.0\"><channel><title>W</title>{}</channel></rss>",
                items.concat()
            );
            let parsed = parse(&rss).expect("feed");
            assert_eq!(parsed.items.len(), 2);
            for item in &parsed.items {
                assert!(item.date.is_some() && !item.date_is_day, "{item:?}");
            }
        }
    }

    #[test]
    fn a_second_xml_declaration_is_dropped_not_a_panic() {
        // Found by fuzzing (fuzz/regressions/parse_feed/second-declaration.xml): quick-xml
        // panicked "set_encoding() called after prefix buffer was drained".
        let rss = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>T</title><item><title>Harbour news</title><description>x</description></item><?xml version=\"1.0\" encoding=\"KOI8-R\"?></channel></rss>\n";
        let parsed = parse(rss).expect("reads");
        assert_eq!(parsed.items[0].title.as_deref(), Some("Harbour news"));
        assert_eq!(
            without_xml_declarations("a<?XML encoding='x'?>b<?xml-stylesheet href='s'?><?xml "),
            "ab<?xml-stylesheet href='s'?>"
        );
    }

    #[test]
    fn rss_items_are_articles() {
        let rss = r#"<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0"><channel><title>Wire</title><language>es-ES</language>
<item><title>Uno</title><guid>g-1</guid><pubDate>Tue, 24 Nov 2026 10:00:00 +0100</pubDate>
<description>&lt;p&gt;Primer párrafo.&lt;/p&gt;&lt;p&gt;Segundo.&lt;/p&gt;</description></item>
<item><title>Dos</title><link>https://x.test/2</link><description>Texto.</description></item>
</channel></rss>"#;
        let p = parse(rss).expect("feed");
        assert_eq!(p.format, Format::Rss);
        assert_eq!(p.items.len(), 2);
        let first = &p.items[0];
        assert_eq!(first.title.as_deref(), Some("Uno"));
        assert_eq!(first.body, "Primer párrafo.\n\nSegundo.");
        assert_eq!(first.declared_lang.as_deref(), Some("es"));
        assert_eq!(first.item_key.as_deref(), Some("g-1"));
        assert_eq!(first.source.as_deref(), Some("Wire"));
        assert_eq!(
            first.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-11-24T10:00:00+01:00")
        );
    }

    fn rss_of(items: usize) -> String {
        let mut rss = String::from(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>\n",
        );
        for n in 0..items {
            rss.push_str(&format!(
                "<item><title>Story {n}</title><guid>urn:s:{n}</guid><description>Body {n}.</description></item>\n"
            ));
        }
        rss.push_str("</channel></rss>\n");
        rss
    }

    #[test]
    fn a_feed_over_the_cap_is_cut_before_it_is_built() {
        let keep = super::super::MAX_ITEMS_PER_FILE;
        let Some((shorter, total)) = cut_after_items(&rss_of(keep + 50), keep) else {
            panic!("not cut");
        };
        assert_eq!(total, keep + 50);
        assert!(
            shorter.ends_with("</channel></rss>\n"),
            "{}",
            &shorter[shorter.len() - 80..]
        );
        assert_eq!(shorter.matches("<item>").count(), keep);
        let parsed = parse(&rss_of(keep + 50)).expect("parsed");
        assert_eq!(parsed.items.len(), keep);
        assert_eq!(
            parsed.items[keep - 1].title,
            Some(format!("Story {}", keep - 1))
        );
        let said = format!("{} items, only the first {keep} are read", keep + 50);
        assert!(parsed.warnings.contains(&said), "{:?}", parsed.warnings);
        // At or under the cap, and Atom too.
        assert!(cut_after_items(&rss_of(3), 3).is_none());
        let atom = "<feed><entry><title>a</title></entry><entry><title>b</title></entry></feed>";
        let (cut, total) = cut_after_items(atom, 1).expect("cut");
        assert_eq!(
            (cut.as_str(), total),
            ("<feed><entry><title>a</title></entry></feed>", 2)
        );
    }

    #[test]
    fn a_cut_that_lands_wrong_falls_back_to_the_whole_feed() {
        // An item tag inside the last item's CDATA: counted, so the cut lands inside it.
        let rss = "<rss version=\"2.0\"><channel><item><title>a</title></item><item><title>b</title>\
                   <description><![CDATA[<item> in text]]></description></item></channel></rss>";
        let (cut, _) = cut_after_items(rss, 2).expect("cut");
        assert!(feed_rs::parser::parse(cut.as_bytes()).is_err(), "{cut}");
        let parsed = parse(rss).expect("the whole feed");
        assert_eq!(parsed.items.len(), 2);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }

    #[test]
    fn truncated_feed_is_an_error() {
        let err = parse("<rss><channel><item><title>cut").unwrap_err();
        assert!(err.0.starts_with("not a readable feed"), "{err}");
    }
}
