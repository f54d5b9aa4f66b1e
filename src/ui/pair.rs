//! The side-by-side view: an original and its translation, paragraph N of each starting on the
//! same row. Rows are built (sanitised, wrapped, bidi-reordered like the reader) when a body
//! arrives or the terminal resizes; drawing only slices the visible rows.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::reader::{LineKind, ReaderLine, push};
use super::text::VisualLine;
use super::theme::Theme;
use crate::inbox::{Article, Body};
use crate::listing::truncate;
use crate::sanitize;
use crate::tui::app::{App, Options, Pair};

/// One side as the row builder needs it.
pub struct Side<'a> {
    pub article: &'a Article,
    pub body: Option<&'a Result<Body, String>>,
    /// Columns inside the pane's border.
    pub width: usize,
}

/// Both sides, row for row (`left` and `right` always have the same length).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairRows {
    pub left: Vec<ReaderLine>,
    pub right: Vec<ReaderLine>,
    /// The row where each aligned block starts: the header, then paragraph 1, 2, ..., then the
    /// tail (folded disclaimer, loading, error) when either side has one.
    pub starts: Vec<usize>,
    /// How many paragraph blocks: `starts[1..=paragraphs]`.
    pub paragraphs: usize,
}

/// A side cut into the blocks that are aligned with the other side's.
struct Blocks {
    header: Vec<ReaderLine>,
    paragraphs: Vec<Vec<ReaderLine>>,
    tail: Vec<ReaderLine>,
}

/// Aligns the two sides: each block starts on the same row on both, the shorter padded.
pub fn build_rows(left: Side<'_>, right: Side<'_>, opts: &Options) -> PairRows {
    let (l, r) = (blocks(&left, opts), blocks(&right, opts));
    let mut rows = PairRows::default();
    align(&mut rows, &l.header, &r.header);
    rows.paragraphs = l.paragraphs.len().max(r.paragraphs.len());
    for i in 0..rows.paragraphs {
        let get = |b: &Blocks| b.paragraphs.get(i).cloned().unwrap_or_default();
        align(&mut rows, &get(&l), &get(&r));
    }
    if !l.tail.is_empty() || !r.tail.is_empty() {
        align(&mut rows, &l.tail, &r.tail);
    }
    rows
}

/// Appends one block of each side, padded to the taller, then a blank row.
fn align(rows: &mut PairRows, left: &[ReaderLine], right: &[ReaderLine]) {
    if !rows.left.is_empty() {
        rows.left.push(blank());
        rows.right.push(blank());
    }
    rows.starts.push(rows.left.len());
    let height = left.len().max(right.len());
    for (out, side) in [(&mut rows.left, left), (&mut rows.right, right)] {
        out.extend_from_slice(side);
        out.extend(std::iter::repeat_n(blank(), height - side.len()));
    }
}

fn blank() -> ReaderLine {
    ReaderLine {
        kind: LineKind::Body,
        line: VisualLine {
            text: String::new(),
            rtl: false,
        },
    }
}

fn blocks(side: &Side<'_>, opts: &Options) -> Blocks {
    let (a, width) = (side.article, side.width.max(1));
    let dot = if opts.ascii { " | " } else { " · " };
    let mut header = Vec::new();
    push(&mut header, LineKind::Title, &a.title, width, opts);
    let date = super::day_and_time(a, opts.zone);
    let mut meta = format!("{date}{dot}{}", a.lang_label_in(opts.ascii));
    if let Some(s) = &a.source {
        meta.push_str(&format!("{dot}{s}"));
    }
    push(&mut header, LineKind::Meta, &meta, width, opts);
    // Names only: the evidence is in the reader, and here the room is for the text.
    if !a.signals().is_empty() {
        let names: Vec<String> = a
            .signals()
            .iter()
            .map(|s| format!("{} {}", s.kind.marker(), s.kind))
            .collect();
        let line = format!("signals: {}", names.join(", "));
        push(&mut header, LineKind::Signal, &line, width, opts);
    }
    let mut paragraphs = Vec::new();
    let mut tail = Vec::new();
    match side.body {
        None => push(&mut tail, LineKind::Meta, "loading…", width, opts),
        Some(Err(e)) => push(
            &mut tail,
            LineKind::Signal,
            &format!("cannot read the text: {e}"),
            width,
            opts,
        ),
        Some(Ok(b)) => {
            let clean = sanitize::for_terminal(&b.text, opts.ascii, true);
            for p in clean.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
                let lines = super::text::wrap(p, width, opts.bidi)
                    .into_iter()
                    .map(|line| ReaderLine {
                        kind: LineKind::Body,
                        line,
                    })
                    .collect();
                paragraphs.push(lines);
            }
            if let Some(d) = &b.cleaned.disclaimer {
                let reference = d
                    .reference_lang
                    .as_deref()
                    .map(|r| format!(", reference language {r}"))
                    .unwrap_or_default();
                let text = format!("[machine-translation disclaimer folded{reference}]");
                push(&mut tail, LineKind::Folded, &text, width, opts);
            }
        }
    }
    Blocks {
        header,
        paragraphs,
        tail,
    }
}

/// Draws the open pair over the whole screen, with the status line.
pub fn draw(frame: &mut Frame<'_>, app: &App, pair: &Pair, area: Rect, theme: Theme) {
    let panes = super::layout::pair_panes(area);
    if panes.too_small {
        let msg = Paragraph::new(super::TOO_SMALL)
            .alignment(Alignment::Center)
            .wrap(ratatui::widgets::Wrap { trim: true });
        frame.render_widget(msg, area);
        return;
    }
    let translation_label = format!("translation {}/{}", pair.nth.0, pair.nth.1);
    let sides = [
        (
            "original",
            &pair.original,
            &pair.rows.left,
            panes.original,
            false,
        ),
        (
            translation_label.as_str(),
            &pair.translation,
            &pair.rows.right,
            panes.translation,
            true,
        ),
    ];
    for (label, id, rows, rect, marked) in sides {
        let title = side_title(app, label, id, usize::from(rect.width.saturating_sub(2)));
        let block = super::block(&title, marked, app.options.ascii, theme);
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let lines: Vec<Line<'_>> = rows
            .iter()
            .skip(pair.scroll)
            .take(usize::from(inner.height))
            .map(|l| super::styled(l, theme))
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
    super::status::draw(frame, app, panes.status, theme);
}

/// ` original · id · untriaged · mt/banjir-semarang.id `, cut to the pane.
fn side_title(app: &App, label: &str, id: &str, width: usize) -> String {
    let ascii = app.options.ascii;
    let dot = if ascii { " | " } else { " · " };
    let lang = app
        .article(id)
        .map_or_else(|| "?".to_string(), |a| a.lang_label_in(ascii));
    let lang = sanitize::line(&lang, ascii);
    let status = app
        .article(id)
        .map_or(crate::state::Status::Untriaged, |a| app.state.status_for(a));
    // The id last: on a narrow pane it is what gets cut, not the status.
    let text = format!(
        " {label}{dot}{lang}{dot}{status}{dot}{} ",
        sanitize::line(id, ascii)
    );
    truncate(&text, width, ascii)
}
