//! Views: they read the `App` and draw; no file I/O, no detection, no sorting here.

pub mod help;
pub mod layout;
pub mod list;
pub mod pair;
pub mod reader;
pub mod status;
pub mod text;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::symbols::border;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use self::reader::LineKind;
use self::theme::Theme;
use crate::tui::app::{App, Focus};

/// ASCII borders for terminals without line-drawing characters.
const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// A pane's frame.
/// An article's date in `zone` for the reader: the day and time, or the day alone when the
/// time is not known (a date from a file name or dateline does not pose as midnight).
pub(crate) fn day_and_time(a: &crate::inbox::Article, zone: crate::time::Zone) -> String {
    let shown = zone.convert(&a.date);
    match a.time_known() {
        true => shown.format("%Y-%m-%d %H:%M").to_string(),
        false => shown.format("%Y-%m-%d").to_string(),
    }
}

pub fn block<'a>(title: &str, focused: bool, ascii: bool, theme: Theme) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .border_set(if ascii { ASCII_BORDER } else { border::PLAIN })
        .border_style(theme.border(focused))
        .title(title.to_string())
}

/// What a terminal too small for the screen shows; keys other than `q` do nothing there.
pub const TOO_SMALL: &str = "terminal too small: enlarge it, or q to quit";

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let theme = Theme {
        color: app.options.color,
    };
    let area = frame.area();
    if let Some(pair) = &app.pair {
        pair::draw(frame, app, pair, area, theme);
        if let Some(scroll) = app.help {
            help::draw(frame, app, scroll, area, theme);
        }
        return;
    }
    let panes = layout::panes(area, app.zoom);
    if panes.too_small {
        let msg = Paragraph::new(TOO_SMALL)
            .alignment(Alignment::Center)
            .wrap(ratatui::widgets::Wrap { trim: true });
        frame.render_widget(msg, area);
        return;
    }
    if let Some(list_area) = panes.list {
        list::draw(frame, app, list_area, theme);
    }
    if let Some(reader_area) = panes.reader {
        draw_reader(frame, app, reader_area, theme);
    }
    status::draw(frame, app, panes.status, theme);
    if let Some(scroll) = app.help {
        help::draw(frame, app, scroll, area, theme);
    }
}

fn draw_reader(frame: &mut Frame<'_>, app: &App, area: Rect, theme: Theme) {
    let focused = app.focus == Focus::Reader;
    let total = app.reader.lines.len();
    let title = if total > 0 {
        format!(" reader {}/{} ", (app.reader.scroll + 1).min(total), total)
    } else {
        " reader ".to_string()
    };
    let block = block(&title, focused, app.options.ascii, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines: Vec<Line<'_>> = app
        .reader
        .lines
        .iter()
        .skip(app.reader.scroll)
        .take(usize::from(inner.height))
        .map(|l| styled(l, theme))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests;

/// One line of article text, styled by its kind; right-to-left lines are right-aligned.
pub(crate) fn styled<'a>(l: &reader::ReaderLine, theme: Theme) -> Line<'a> {
    let style = match l.kind {
        LineKind::Title | LineKind::Status => theme.title(),
        LineKind::Meta | LineKind::Folded => theme.dim(),
        LineKind::Signal => theme.signal(),
        LineKind::Body => Style::new(),
    };
    let line = Line::styled(l.line.text.clone(), style);
    if l.line.rtl {
        line.alignment(Alignment::Right)
    } else {
        line
    }
}
