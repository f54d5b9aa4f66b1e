//! The article list: only the visible rows are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Borders, Paragraph};

use super::theme::Theme;
use crate::listing::{pad, truncate};
use crate::sanitize;
use crate::tui::app::{App, Focus};

/// The language column: `en≠und` and the ASCII `en!=fr` are six wide; every row keeps its
/// markers and title in line.
const LANG_WIDTH: usize = 6;

/// Draws the list into `area`.
pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect, theme: Theme) {
    let focused = app.focus == Focus::List;
    // Times are shown in one zone, named here: a wire dated +07:00 shows in the desk's.
    let title = format!(
        " {} of {} {} times {} ",
        app.view.len(),
        app.articles.len(),
        if app.options.ascii { "-" } else { "·" },
        app.options.zone.label()
    );
    let block = super::block(&title, focused, app.options.ascii, theme).borders(Borders::ALL);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = usize::from(inner.height);
    let width = usize::from(inner.width);
    let lines: Vec<Line<'_>> = app
        .view
        .iter()
        .enumerate()
        .skip(app.offset)
        .take(rows)
        .map(|(pos, &i)| row(app, pos, &app.articles[i], width, theme))
        .collect();
    if lines.is_empty() {
        let empty = if app.scan.is_some() {
            "reading the inbox..."
        } else if app.articles.is_empty() {
            "the inbox is empty"
        } else {
            "nothing matches the filter (c clears it)"
        };
        frame.render_widget(Paragraph::new(empty).style(theme.dim()), inner);
        return;
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn row<'a>(
    app: &App,
    pos: usize,
    a: &crate::inbox::Article,
    width: usize,
    theme: Theme,
) -> Line<'a> {
    let ascii = app.options.ascii;
    let status = app.state.status_for(a);
    let selected = app.selection.contains(&*a.id);
    // Selection first; else whether the article arrived while the screen was open.
    let fresh = app.is_fresh(&a.id);
    let sel = match (selected, ascii, fresh) {
        (true, false, _) => "●",
        (true, true, _) => "*",
        (false, _, true) => "+",
        (false, _, false) => " ",
    };
    // A day without a time (from a file name or dateline) does not pose as midnight.
    let date = app
        .options
        .zone
        .convert(&a.date)
        .format(if a.time_known() {
            "%m-%d %H:%M"
        } else {
            "%m-%d --:--"
        })
        .to_string();
    // A declared language comes from the article (an HTML `lang` attribute is taken as is).
    let lang = sanitize::line(&a.lang_label_in(ascii), ascii);
    let signals: String = a.signals().iter().map(|s| s.kind.marker()).collect();
    let fixed = format!(
        "{sel}{} {date} {} {} ",
        status.marker(ascii),
        pad(&lang, LANG_WIDTH),
        pad(&signals, 2)
    );
    let title_width = width.saturating_sub(crate::listing::width_of(&fixed));
    let title = truncate(&sanitize::line(&a.title, ascii), title_width, ascii);
    let title = super::text::for_display(&title, app.options.bidi);
    let spans = vec![
        Span::raw(sel.to_string()),
        Span::styled(status.marker(ascii).to_string(), theme.status(status)),
        Span::styled(format!(" {date} "), theme.dim()),
        Span::raw(format!("{} ", pad(&lang, LANG_WIDTH))),
        Span::styled(format!("{} ", pad(&signals, 2)), theme.signal()),
        if fresh {
            Span::styled(pad(&title, title_width), theme.title())
        } else {
            Span::raw(pad(&title, title_width))
        },
    ];
    let line = Line::from(spans);
    if pos == app.cursor {
        line.style(theme.cursor(app.focus == Focus::List))
    } else {
        line
    }
}
