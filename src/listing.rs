//! Rows of `list` (and the base of `export`): the JSON field names of DESIGN.md.

use std::io::{self, Write};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use unicode_width::UnicodeWidthChar;

use crate::inbox::Article;
use crate::sanitize;
use crate::state::{Entry, State, Status};
use crate::time::Zone;

/// One article with its triage state, as scripts see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Row {
    pub id: String,
    pub title: String,
    /// Publication date (or arrival), in the zone it came with.
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    pub date: DateTime<FixedOffset>,
    /// Whether `date` has a known time of day (`Article::time_known`): `date_precision` in
    /// JSON and CSV, `time` or `day`.
    #[serde(
        rename = "date_precision",
        serialize_with = "crate::time::serialize_precision"
    )]
    pub time_known: bool,
    pub date_source: &'static str,
    pub lang: String,
    pub declared_lang: Option<String>,
    pub detected_lang: String,
    pub lang_confidence: f64,
    pub status: Status,
    pub format: &'static str,
    pub source: Option<String>,
    pub signals: Vec<&'static str>,
    pub editor: Option<String>,
    pub marked_at: Option<String>,
    pub note: Option<String>,
    /// Who wrote the note, when not the decision's editor (or when nobody has decided).
    pub note_by: Option<String>,
    /// When the note was written, when not with the decision (at `marked_at`).
    pub note_at: Option<String>,
    pub warnings: Vec<String>,
}

impl Row {
    /// The row of an article under the current state.
    pub fn new(a: &Article, state: &State) -> Self {
        let entry = state.entry_for(a);
        // A note on copy nobody has decided is not a decision: its author is the note's.
        let decision = entry.filter(|e| e.decided());
        let (note_by, note_at) = entry.map_or((None, None), note_credit);
        Self {
            id: a.id.to_string(),
            title: a.title.to_string(),
            date: a.date,
            date_source: a.date_source.as_str(),
            time_known: a.time_known(),
            lang: a.lang.to_string(),
            declared_lang: a.declared_lang.as_deref().map(String::from),
            detected_lang: a.detected_lang.to_string(),
            lang_confidence: a.lang_confidence(),
            status: decision.map_or(Status::Untriaged, |e| e.status),
            format: a.format.as_str(),
            source: a.source.as_deref().map(String::from),
            signals: a.signal_names(),
            editor: decision.map(|e| e.editor.clone()),
            marked_at: decision.map(|e| crate::time::rfc3339(&e.marked_at)),
            note: entry.and_then(|e| e.note().map(String::from)),
            note_by: note_by.map(String::from),
            note_at: note_at.map(|at| crate::time::rfc3339(&at)),
            warnings: a.warnings().to_vec(),
        }
    }
}

/// Who wrote an entry's note and when, where that was not the decision itself: the author
/// when not the decision's editor, the time of a note written after the decision (by anyone,
/// its editor too). A note on copy nobody has decided is no decision: both are its author's.
fn note_credit(e: &Entry) -> (Option<&str>, Option<DateTime<FixedOffset>>) {
    if e.note().is_none() {
        return (None, None);
    }
    if !e.decided() {
        let (by, at) = e.note_author();
        return (Some(by), Some(at));
    }
    let by = e.note_by().filter(|by| *by != e.editor);
    (by, e.note_at())
}

/// Writes rows as a JSON array.
pub fn write_json(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    crate::sanitize::write_json(rows, &mut *out)?;
    writeln!(out)
}

/// Writes rows as CSV with every JSON field, lists joined by `;`.
pub fn write_csv(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    use crate::export::{csv_cell, csv_io};
    // `note_at` and `date_precision` came after the others: last, so that no column moves.
    const HEADER: [&str; 19] = [
        "id",
        "title",
        "date",
        "date_source",
        "lang",
        "declared_lang",
        "detected_lang",
        "lang_confidence",
        "status",
        "format",
        "source",
        "signals",
        "editor",
        "marked_at",
        "note",
        "note_by",
        "warnings",
        "note_at",
        "date_precision",
    ];
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER).map_err(csv_io)?;
    for r in rows {
        let record = [
            r.id.clone(),
            r.title.clone(),
            crate::time::rfc3339(&r.date),
            r.date_source.to_string(),
            r.lang.clone(),
            r.declared_lang.clone().unwrap_or_default(),
            r.detected_lang.clone(),
            r.lang_confidence.to_string(),
            r.status.to_string(),
            r.format.to_string(),
            r.source.clone().unwrap_or_default(),
            r.signals.join(";"),
            r.editor.clone().unwrap_or_default(),
            r.marked_at.clone().unwrap_or_default(),
            r.note.clone().unwrap_or_default(),
            r.note_by.clone().unwrap_or_default(),
            r.warnings.join("; "),
            r.note_at.clone().unwrap_or_default(),
            crate::time::precision(r.time_known).to_string(),
        ];
        w.write_record(record.iter().map(|c| csv_cell(c)))
            .map_err(csv_io)?;
    }
    w.flush()
}

/// The width of a table on a terminal: what the terminal reports, else (a terminal that says
/// it has 0 columns, or will not say) `$COLUMNS`, else 80. Never 0, which would cut every
/// line to nothing.
pub fn terminal_width(reported: Option<u16>, columns: Option<&str>) -> usize {
    reported
        .filter(|w| *w > 0)
        .map(usize::from)
        .or_else(|| columns.and_then(|c| c.trim().parse::<usize>().ok()))
        .filter(|w| *w > 0)
        .unwrap_or(80)
}

/// Writes a readable table. In a terminal (`width` given) every line fits: the date is
/// shortened, a long id is cut in the middle (`…`) and the title takes the rest.
pub fn write_table(
    rows: &[Row],
    zone: Zone,
    width: Option<usize>,
    ascii: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let date_format = if width.is_some() {
        "%m-%d %H:%M"
    } else {
        "%Y-%m-%d %H:%M"
    };
    let date_width = if width.is_some() { 11 } else { 16 };
    // Measured as shown: an invisible character is shown as a visible mark.
    let longest_id = rows
        .iter()
        .map(|r| width_of(&sanitize::line(&r.id, ascii)))
        .max()
        .unwrap_or(2)
        .max(2);
    let id_width = match width {
        Some(w) => longest_id.min((w * 2 / 5).max(12)),
        None => longest_id,
    };
    let lang_width = rows
        .iter()
        .map(|r| width_of(&lang_label(r, ascii)))
        .max()
        .unwrap_or(4)
        .max(4);
    let header = format!(
        "S  {}  {}  {}  TITLE",
        pad("DATE", date_width),
        pad("LANG", lang_width),
        pad("ID", id_width)
    );
    writeln!(
        out,
        "{}",
        width.map_or(header.clone(), |w| truncate(&header, w, ascii))
    )?;
    // A day alone (from a file name, a dateline or the metadata) has no time: shown as such,
    // not as midnight.
    let day_format = date_format.replace("%H:%M", "--:--");
    for r in rows {
        let format = if r.time_known {
            date_format
        } else {
            &day_format
        };
        let date = zone.convert(&r.date).format(format).to_string();
        let id = cut_middle(&sanitize::line(&r.id, ascii), id_width, ascii);
        let prefix = format!(
            "{}  {}  {}  {}  ",
            r.status.marker(ascii),
            pad(&date, date_width),
            pad(&lang_label(r, ascii), lang_width),
            pad(&id, id_width)
        );
        let title = sanitize::line(&r.title, ascii);
        let line = format!("{prefix}{title}");
        let line = match width {
            Some(w) => truncate(&line, w, ascii),
            None => line,
        };
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn lang_label(r: &Row, ascii: bool) -> String {
    match &r.declared_lang {
        Some(d) if *d != r.lang => format!("{}{}{}", r.lang, if ascii { "!=" } else { "≠" }, d),
        _ => r.lang.clone(),
    }
}

/// Display width in terminal cells, summed per character: a terminal draws the Arabic lam-alef
/// pair in two cells even where a string-level width calls it one.
pub fn width_of(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Pads to a display width (CJK counts double).
pub fn pad(s: &str, width: usize) -> String {
    let w = width_of(s);
    if w >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - w))
    }
}

/// Cuts to a display width, marking the cut with an ellipsis.
pub fn truncate(s: &str, width: usize, ascii: bool) -> String {
    if width_of(s) <= width {
        return s.to_string();
    }
    let ellipsis = if ascii { "~" } else { "…" };
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw + 1 > width {
            break;
        }
        out.push(c);
        used += cw;
    }
    if width == 0 { out } else { out + ellipsis }
}

/// Cuts the middle out of a long id, keeping its start and its distinctive end.
fn cut_middle(s: &str, width: usize, ascii: bool) -> String {
    let chars: Vec<char> = s.chars().collect();
    if width_of(s) <= width || width < 5 || !s.is_ascii() {
        return truncate(s, width, ascii);
    }
    let keep = width - 1;
    let tail = keep / 2;
    let head = keep - tail;
    let ellipsis = if ascii { "~" } else { "…" };
    format!(
        "{}{ellipsis}{}",
        chars[..head].iter().collect::<String>(),
        chars[chars.len() - tail..].iter().collect::<String>()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_of_no_width_takes_columns_else_80() {
        assert_eq!(terminal_width(Some(120), Some("100")), 120);
        assert_eq!(terminal_width(Some(0), Some("100")), 100);
        assert_eq!(terminal_width(None, Some(" 100 ")), 100);
        assert_eq!(terminal_width(Some(0), None), 80);
        assert_eq!(terminal_width(Some(0), Some("0")), 80);
        assert_eq!(terminal_width(Some(0), Some("wide")), 80);
    }

    #[test]
    fn truncation_respects_double_width() {
        assert_eq!(truncate("港の新しい灯台", 7, false), "港の新…");
        assert_eq!(truncate("short", 10, false), "short");
        assert_eq!(pad("港", 4), "港  ");
        assert_eq!(width_of("لا"), 2, "lam-alef takes two cells");
        assert_eq!(
            cut_middle("feeds/jornal-da-ribeira.atom#68647cf7", 20, false),
            "feeds/jorn…#68647cf7"
        );
    }
}
