//! The article model: what copydesk knows about one piece of incoming copy.

use std::fmt;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Where an article's date came from, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// Front matter, feed, ninjs, NewsML-G2 or HTML meta.
    Metadata,
    /// A day alone in the metadata (`date = 2026-11-22`): no time of day. Named `metadata`
    /// in JSON and CSV, as before it was told apart.
    MetadataDay,
    /// An ISO date in the file name.
    Filename,
    /// A dated dateline in the text.
    Text,
    /// The file's modification time (arrival).
    Mtime,
}

impl DateSource {
    /// The name used in JSON, CSV and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Metadata | Self::MetadataDay => "metadata",
            Self::Filename => "filename",
            Self::Text => "text",
            Self::Mtime => "mtime",
        }
    }
}

impl fmt::Display for DateSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The shape a file came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    Rss,
    Atom,
    JsonFeed,
    Ninjs,
    NewsMl,
    Html,
}

impl Format {
    /// The name used in JSON, CSV and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Markdown => "markdown",
            Self::Rss => "rss",
            Self::Atom => "atom",
            Self::JsonFeed => "jsonfeed",
            Self::Ninjs => "ninjs",
            Self::NewsMl => "newsml",
            Self::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one format reader found for one article, before ids, dates and languages are settled.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawItem {
    /// An explicit `id` from the metadata.
    pub id: Option<String>,
    /// A key that identifies the item inside a multi-item file (feed guid, link, ...).
    pub item_key: Option<String>,
    pub title: Option<String>,
    /// The body as plain text, paragraphs separated by blank lines.
    pub body: String,
    /// A date already read with its zone (feeds).
    pub date: Option<DateTime<FixedOffset>>,
    /// Whether `date` was written as a day alone (`2026-11-22`): it then holds the day's UTC
    /// midnight, which the item's key has always been made of, and the day is read in the
    /// configured zone at ingest.
    pub date_is_day: bool,
    /// A metadata date as written; read in the configured zone at ingest.
    pub date_raw: Option<String>,
    pub declared_lang: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub translation_of: Option<String>,
    pub author: Option<String>,
}

/// Where an article lives, so its body can be read again when it is opened.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Path relative to the inbox.
    #[serde(with = "crate::inbox::cache::path_bytes")]
    pub rel_path: Box<Path>,
    /// Index of the item within its file (0 for single-article files).
    pub index: u32,
}

/// One article as listed: metadata only, the body stays on disk until opened.
/// (Serialised only into the index cache; JSON output goes through `listing::Row`.)
///
/// Compact on purpose: a 100,000-article inbox holds one per article. Strings are boxed (no
/// spare capacity), and what few articles have (signals, warnings, a translation link, an
/// author) lives in one optional box, [`Rare`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: Box<str>,
    pub title: Box<str>,
    #[serde(with = "crate::inbox::cache::time_parts")]
    pub date: DateTime<FixedOffset>,
    pub date_source: DateSource,
    pub format: Format,
    /// True while the text is still to be looked at (the screen's quick first pass over a large
    /// inbox): `lang` is then the declared language or `und`, and there are no signals yet.
    pub pending: bool,
    /// How sure the detector was, in percent.
    pub lang_percent: u8,
    /// CRC-32 of the body as read: an edit that leaves every listed field alone (a kill
    /// notice added under the same title) still makes the article another one.
    pub body_crc: u32,
    /// The language the text is really in.
    pub lang: Box<str>,
    pub declared_lang: Option<Box<str>>,
    pub detected_lang: Box<str>,
    pub source: Option<Box<str>>,
    pub url: Option<Box<str>>,
    /// `None` when the article has none of these.
    pub rare: Option<Box<Rare>>,
    pub location: Location,
}

/// What few articles have, kept out of [`Article`] so that the others do not pay for it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rare {
    pub translation_of: Option<Box<str>>,
    pub author: Option<Box<str>>,
    /// Translation-suspect signals, with the evidence that triggered them.
    pub signals: Vec<crate::signals::Signal>,
    /// The language a machine-translation disclaimer names as the reference.
    pub reference_lang: Option<Box<str>>,
    pub warnings: Vec<String>,
}

impl Rare {
    /// `None` when there is nothing rare to keep.
    pub fn boxed(self) -> Option<Box<Rare>> {
        (self != Rare::default()).then(|| Box::new(self))
    }
}

impl Article {
    /// Whether the id is made from this article's own file path (`wire/story` for
    /// `wire/story.txt`, `feeds/x#1a2b3c4d` for an item of `feeds/x.xml`), not declared by the
    /// article nor given a twin's `~2`: such an id names its file, which a decision need not
    /// record (a state of 100,000 decisions then holds no file names).
    pub fn id_names_its_file(&self) -> bool {
        let fid = super::file_id(&self.location.rel_path);
        let rest = self.id.strip_prefix(fid.as_str());
        rest.is_some_and(|r| r.is_empty() || (r.starts_with('#') && !r.contains('~')))
    }

    /// Whether the article's time of day is known: a date from its file name or dateline, or
    /// a metadata date written without a time, is a day only (taken at midnight), and is shown
    /// without a time.
    pub fn time_known(&self) -> bool {
        !matches!(
            self.date_source,
            DateSource::MetadataDay | DateSource::Filename | DateSource::Text
        )
    }

    /// How sure the detector was, from 0 to 1.
    pub fn lang_confidence(&self) -> f64 {
        f64::from(self.lang_percent) / 100.0
    }

    /// The id of the original this article says it translates.
    pub fn translation_of(&self) -> Option<&str> {
        self.rare.as_ref()?.translation_of.as_deref()
    }

    pub fn author(&self) -> Option<&str> {
        self.rare.as_ref()?.author.as_deref()
    }

    /// Translation-suspect signals, with the evidence that triggered them.
    pub fn signals(&self) -> &[crate::signals::Signal] {
        self.rare.as_ref().map_or(&[], |r| &r.signals)
    }

    /// The language a machine-translation disclaimer names as the reference.
    pub fn reference_lang(&self) -> Option<&str> {
        self.rare.as_ref()?.reference_lang.as_deref()
    }

    /// What was odd about the file or the article.
    pub fn warnings(&self) -> &[String] {
        self.rare.as_ref().map_or(&[], |r| &r.warnings)
    }

    /// The rare fields, to change them (boxed on first use).
    pub fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// The language as shown in lists: `en≠fr` when detected and declared differ.
    pub fn lang_label(&self) -> String {
        if self.pending {
            return format!("{}…", self.declared_lang.as_deref().unwrap_or(""));
        }
        match &self.declared_lang {
            Some(declared) if *declared != self.lang => format!("{}≠{}", self.lang, declared),
            _ => self.lang.to_string(),
        }
    }

    /// [`Article::lang_label`] in plain ASCII when `ascii` is set (`en!=fr`, `fr...`).
    pub fn lang_label_in(&self, ascii: bool) -> String {
        let label = self.lang_label();
        if ascii {
            label.replace('≠', "!=").replace('…', "...")
        } else {
            label
        }
    }

    /// Names of the signals, in order.
    pub fn signal_names(&self) -> Vec<&'static str> {
        self.signals().iter().map(|s| s.kind.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 100,000-article inbox holds one `Arc<Article>` per article: with its two counters it
    /// must stay within mimalloc's 192-byte size class (it took 384 before `Rare`).
    #[test]
    fn an_article_fits_a_192_byte_allocation_with_its_arc() {
        let size = std::mem::size_of::<Article>() + 2 * std::mem::size_of::<usize>();
        assert!(size <= 192, "Arc<Article> is {size} bytes");
    }

    #[test]
    fn rare_fields_are_boxed_only_when_present() {
        assert_eq!(Rare::default().boxed(), None);
        let rare = Rare {
            author: Some("Ayu".into()),
            ..Rare::default()
        };
        assert_eq!(rare.clone().boxed(), Some(Box::new(rare)));
    }
}
