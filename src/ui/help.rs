//! The help overlay, generated from the key table that drives the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::theme::Theme;
use crate::listing::{pad, truncate};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Ctx;

/// Widest key column; longer key lists are cut.
const KEY_WIDTH: usize = 16;

/// Narrowest column of keys and descriptions: a terminal narrower than two of them gets one
/// column, scrolled, rather than columns too narrow to read.
const MIN_COLUMN_WIDTH: usize = 36;

/// One row of the help: a heading, or keys and what they do.
enum Row {
    Heading(&'static str),
    Keys(String, String),
}

/// The help laid out for an area: key rows in columns, the signal legend below them, and how
/// many of those lines the popup shows at once.
struct Sheet {
    entries: Vec<Row>,
    columns: usize,
    /// Key rows per column.
    rows: usize,
    legend: Vec<String>,
    /// Lines of the sheet the popup shows; fewer than [`Sheet::lines`] when it scrolls.
    visible: usize,
}

impl Sheet {
    /// As many columns as the height needs and the width allows.
    fn new(app: &App, area: Rect) -> Self {
        let entries = rows(app);
        let inner_width = usize::from(area.width.saturating_sub(2));
        let inner_height = usize::from(area.height.saturating_sub(2)).max(1);
        let legend = signal_legend(inner_width, app.options.ascii);
        let rows_free = inner_height.saturating_sub(legend.len()).max(1);
        let widest = (inner_width / MIN_COLUMN_WIDTH).max(1);
        let columns = entries.len().div_ceil(rows_free).clamp(1, widest);
        let rows = entries.len().div_ceil(columns);
        let visible = (rows + legend.len()).min(inner_height);
        Self {
            entries,
            columns,
            rows,
            legend,
            visible,
        }
    }

    fn lines(&self) -> usize {
        self.rows + self.legend.len()
    }

    fn max_scroll(&self) -> usize {
        self.lines() - self.visible
    }
}

/// How far the help can scroll in a terminal of `size`: 0 when it fits.
pub fn max_scroll(app: &App, size: (u16, u16)) -> usize {
    Sheet::new(app, Rect::new(0, 0, size.0, size.1)).max_scroll()
}

/// Draws the help over the screen, in as many columns as the height needs: keys grouped by
/// where they work, each column's key field as wide as its own keys. What does not fit
/// scrolls from `scroll`, and the title says how.
pub fn draw(frame: &mut Frame<'_>, app: &App, scroll: usize, area: Rect, theme: Theme) {
    let ascii = app.options.ascii;
    let sheet = Sheet::new(app, area);
    let column_width = usize::from(area.width.saturating_sub(2)) / sheet.columns;
    let chunks: Vec<&[Row]> = sheet.entries.chunks(sheet.rows).collect();
    let key_widths: Vec<usize> = chunks.iter().map(|c| key_width(c)).collect();
    let gap = if sheet.columns > 1 { 2 } else { 0 };
    let mut lines: Vec<Line<'_>> = (0..sheet.rows)
        .map(|row| {
            let mut spans = Vec::new();
            for (chunk, &key_width) in chunks.iter().zip(&key_widths) {
                let desc_width = column_width.saturating_sub(key_width + 1 + gap);
                match chunk.get(row) {
                    Some(Row::Heading(h)) => spans.push(Span::styled(
                        pad(&truncate(h, key_width + desc_width, ascii), column_width),
                        theme.dim(),
                    )),
                    Some(Row::Keys(keys, desc)) => {
                        spans.push(Span::styled(
                            pad(&truncate(keys, key_width, ascii), key_width + 1),
                            theme.title(),
                        ));
                        spans.push(Span::raw(pad(
                            &truncate(desc, desc_width, ascii),
                            desc_width + gap,
                        )));
                    }
                    None => {}
                }
            }
            Line::from(spans)
        })
        .collect();
    let width = if sheet.columns == 1 {
        let widest = sheet.entries.iter().map(|r| match r {
            Row::Heading(h) => h.len(),
            Row::Keys(_, d) => d.chars().count().min(44),
        });
        let widest_legend = sheet.legend.iter().map(|l| l.chars().count());
        (key_widths[0] + widest.max().unwrap_or(0) + 5).max(widest_legend.max().unwrap_or(0) + 2)
            as u16
    } else {
        area.width
    };
    lines.extend(
        sheet
            .legend
            .iter()
            .map(|l| Line::styled(l.clone(), theme.dim())),
    );
    let scroll = scroll.min(sheet.max_scroll());
    let popup = centered(
        area,
        width.min(area.width),
        (sheet.visible as u16 + 2).min(area.height),
    );
    let block = super::block(&title(app, &sheet, scroll), true, ascii, theme);
    split_wide_cells_at(frame, popup);
    frame.render_widget(Clear, popup);
    let shown: Vec<Line<'_>> = lines.into_iter().skip(scroll).take(sheet.visible).collect();
    frame.render_widget(Paragraph::new(shown).block(block), popup);
}

/// "any key closes", or, when the help scrolls, which of its lines show and the keys that
/// scroll it (any other closes it).
fn title(app: &App, sheet: &Sheet, scroll: usize) -> String {
    let dash = if app.options.ascii { "-" } else { "—" };
    if sheet.max_scroll() == 0 {
        return format!(" keys {dash} any key closes ");
    }
    let key = |action| app.keymap.first_key(action).unwrap_or_default();
    format!(
        " keys {}-{}/{} {dash} {} {} scroll ",
        scroll + 1,
        scroll + sheet.visible,
        sheet.lines(),
        key(Action::ScrollDown),
        key(Action::ScrollUp)
    )
}

/// The key table, grouped under the place each key works.
fn rows(app: &App) -> Vec<Row> {
    let keys = app.keymap.help_rows();
    let mut out = Vec::new();
    for (ctx, heading) in [
        (Ctx::Any, "anywhere"),
        (Ctx::List, "in the list"),
        (Ctx::Reader, "in the reader"),
    ] {
        out.push(Row::Heading(heading));
        out.extend(
            keys.iter()
                .filter(|(_, _, c)| *c == ctx)
                .map(|(k, d, _)| Row::Keys(k.clone(), (*d).to_string())),
        );
    }
    out
}

/// The widest keys in a column, up to [`KEY_WIDTH`].
fn key_width(rows: &[Row]) -> usize {
    rows.iter()
        .filter_map(|r| match r {
            Row::Keys(k, _) => Some(k.chars().count()),
            Row::Heading(_) => None,
        })
        .max()
        .unwrap_or(4)
        .min(KEY_WIDTH)
}

/// A double-width character just left of the popup would be drawn over its border: blank it.
fn split_wide_cells_at(frame: &mut Frame<'_>, popup: Rect) {
    if popup.x == 0 {
        return;
    }
    let buffer = frame.buffer_mut();
    for y in popup.y..popup.bottom() {
        let cell = &mut buffer[(popup.x - 1, y)];
        if unicode_width::UnicodeWidthStr::width(cell.symbol()) > 1 {
            cell.set_symbol(" ");
        }
    }
}

/// The one-letter signal markers of the list, spelled out below the key columns across the
/// whole width, on as many lines as `width` needs (on one column row they were cut at 80).
fn signal_legend(width: usize, ascii: bool) -> Vec<String> {
    const LABEL: &str = "signals: ";
    let separator = if ascii { " / " } else { " · " };
    let items = crate::signals::SignalKind::ALL
        .iter()
        .map(|kind| format!("{} {}", kind.marker(), kind.as_str()));
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::from(LABEL);
    for (n, item) in items.enumerate() {
        let fits = line.chars().count() + separator.chars().count() + item.chars().count() <= width;
        if n == 0 {
            line.push_str(&item);
        } else if fits {
            line.push_str(separator);
            line.push_str(&item);
        } else {
            lines.push(std::mem::replace(
                &mut line,
                " ".repeat(LABEL.len()) + &item,
            ));
        }
    }
    lines.push(line);
    lines
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    Rect {
        x: area.x + area.width.saturating_sub(width) / 2,
        y: area.y + area.height.saturating_sub(height) / 2,
        width,
        height,
    }
}
