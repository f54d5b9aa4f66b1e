//! The help overlay, generated from the key table that drives the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::theme::Theme;
use crate::tui::app::App;
use crate::tui::keymap::Ctx;

/// Draws the help over the middle of the screen.
pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect, theme: Theme) {
    let rows = app.keymap.help_rows();
    let key_width = rows
        .iter()
        .map(|(k, _, _)| k.len())
        .max()
        .unwrap_or(4)
        .min(18);
    let lines: Vec<Line<'_>> = rows
        .iter()
        .map(|(keys, desc, ctx)| {
            let where_ = match ctx {
                Ctx::List => " (list)",
                Ctx::Reader => " (reader)",
                Ctx::Any => "",
            };
            Line::from(vec![
                Span::styled(format!("{keys:<key_width$}  "), theme.title()),
                Span::raw(format!("{desc}{where_}")),
            ])
        })
        .collect();
    let width = (key_width as u16 + 48).min(area.width);
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let block = super::block(" keys — any key closes ", true, app.options.ascii, theme);
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
