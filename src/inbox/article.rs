//! The article model: what copydesk knows about one piece of incoming copy.

use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Where an article's date came from, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// Front matter, feed, ninjs, NewsML-G2 or HTML meta.
    Metadata,
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
            Self::Metadata => "metadata",
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
    pub rel_path: PathBuf,
    /// Index of the item within its file (0 for single-article files).
    pub index: usize,
}

/// One article as listed: metadata only, the body stays on disk until opened.
/// (Serialised only into the index cache; JSON output goes through `listing::Row`.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub date: DateTime<FixedOffset>,
    pub date_source: DateSource,
    /// The language the text is really in.
    pub lang: String,
    pub declared_lang: Option<String>,
    pub detected_lang: String,
    pub lang_confidence: f64,
    pub format: Format,
    pub source: Option<String>,
    pub url: Option<String>,
    pub translation_of: Option<String>,
    pub author: Option<String>,
    /// Translation-suspect signals, with the evidence that triggered them.
    pub signals: Vec<crate::signals::Signal>,
    /// The language a machine-translation disclaimer names as the reference.
    pub reference_lang: Option<String>,
    /// True while the text is still to be looked at (the screen's quick first pass over a large
    /// inbox): `lang` is then the declared language or `und`, and there are no signals yet.
    pub pending: bool,
    pub warnings: Vec<String>,
    pub location: Location,
}

impl Article {
    /// The language as shown in lists: `en≠fr` when detected and declared differ.
    pub fn lang_label(&self) -> String {
        if self.pending {
            return format!("{}…", self.declared_lang.as_deref().unwrap_or(""));
        }
        match &self.declared_lang {
            Some(declared) if *declared != self.lang => format!("{}≠{}", self.lang, declared),
            _ => self.lang.clone(),
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
        self.signals.iter().map(|s| s.kind.as_str()).collect()
    }
}
