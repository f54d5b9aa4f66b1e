//! The bottom line: counts per status, the active filter and sort, messages and prompts.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme::Theme;
use crate::inbox::index::Phase;
use crate::sanitize;
use crate::tui::app::{App, DayFilter, Level, PromptKind, SortKey};

/// Draws the status line (or the open prompt).
pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect, theme: Theme) {
    if let Some(prompt) = &app.prompt {
        let ascii = app.options.ascii;
        let label = match &prompt.kind {
            PromptKind::Note { ids, .. } if ids.len() > 1 => {
                format!("Note for {} articles: ", ids.len())
            }
            PromptKind::Note { .. } => "Note: ".to_string(),
            PromptKind::Search => "Search: ".to_string(),
            PromptKind::Export => "Export to (.csv .json .md .toml .txt): ".to_string(),
            PromptKind::Confirm { question, .. } => sanitize::line(question, ascii),
        };
        let label = match prompt.input.was_cut() {
            true => format!(
                "(paste cut at {} characters) {label}",
                crate::tui::line_edit::MAX_CHARS
            ),
            false => label,
        };
        let cursor = if ascii { "_" } else { "▏" };
        let (before, after) = prompt.input.split();
        let room = usize::from(area.width).saturating_sub(label.width() + cursor.width());
        let before = tail_within(&sanitize::line(before, ascii), room, ascii);
        // A suggestion shows selected: typing replaces it.
        let text_style = if prompt.input.is_suggested() {
            theme.selected()
        } else {
            ratatui::style::Style::default()
        };
        let line = Line::from(vec![
            Span::styled(label, theme.title()),
            Span::styled(before, text_style),
            Span::raw(cursor),
            Span::styled(sanitize::line(after, ascii), text_style),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    if let Some(alert) = &app.alert {
        let text = format!("{} ", sanitize::line(alert, app.options.ascii));
        frame.render_widget(Paragraph::new(Span::styled(text, theme.error())), area);
        return;
    }
    let ascii = app.options.ascii;
    // What is wrong, in order: the screen saves nothing, a save failed (the one that loses
    // the editor's work), then the message or, while the state file cannot be read, why.
    let mut errors = Vec::new();
    if app.read_only.is_some() || app.state_problem.is_some() {
        errors.push("READ-ONLY".to_string());
    }
    let error = match &app.message {
        Some((message, Level::Error)) => Some(message),
        _ => app.state_problem.as_ref(),
    };
    for error in [app.save_failed.as_ref(), error].into_iter().flatten() {
        errors.push(sanitize::line(error, ascii));
    }
    let error = errors.join(" ");
    let mut rest = summary(app, theme, error.is_empty());
    // Its parts end in a blank, which must not cost the last of them its place.
    trim_end(&mut rest);
    if let Some((message, Level::Info)) = &app.message {
        rest.spans.push(Span::raw(" "));
        rest.spans
            .push(Span::styled(sanitize::line(message, ascii), theme.title()));
    }
    let width = usize::from(area.width);
    let mut line = Line::default();
    if !error.is_empty() {
        let mut counts = Line::from(counts(app, theme));
        trim_end(&mut counts);
        let room = error_room(width, error.width(), counts.width(), rest.width());
        let error = Line::from(Span::styled(error, theme.error()));
        line.spans = fit(error, room, ascii).spans;
        line.spans.push(Span::raw(" "));
    }
    line.spans.extend(rest.spans);
    let line = fit(line, width, ascii);
    frame.render_widget(Paragraph::new(line), area);
}

/// The columns an error's head gets when the counts leave them: "NOT SAVED: " and what was
/// not saved, or "READ-ONLY " and which file, and most often why.
const ERROR_HEAD: usize = 40;

/// The columns an error gets on a status line `width` wide. The error comes first, then one
/// blank, then the counts (`counts` columns) and the rest of the summary and the last message
/// (`rest` columns, the counts included). An error may stand all session (a state file this
/// account cannot write) or until Esc (a failed save), so the room goes, in this order:
/// 1. to the counts, always;
/// 2. to the error's first `ERROR_HEAD` columns;
/// 3. to the rest, which `fit` cuts from its end (the message first, then the position,
///    progress, selection, sort and filter);
/// 4. to the rest of the error, which `fit` cuts with an ellipsis.
fn error_room(width: usize, error: usize, counts: usize, rest: usize) -> usize {
    let beside_counts = width.saturating_sub(counts + 1);
    let beside_rest = width.saturating_sub(rest + 1);
    error.min(beside_rest.max(ERROR_HEAD.min(beside_counts)))
}

/// Drops the blank the last span of `line` ends in.
fn trim_end(line: &mut Line<'_>) {
    if let Some(last) = line.spans.last_mut() {
        last.content = last.content.trim_end().to_string().into();
    }
}

/// The spans of `line` that fit in `width` columns; the one that does not is cut with an
/// ellipsis, so that a cut message shows that it was cut.
fn fit(line: Line<'_>, width: usize, ascii: bool) -> Line<'_> {
    let mut used = 0;
    let mut spans = Vec::new();
    for span in line.spans {
        let w = span.content.width();
        if used + w <= width {
            used += w;
            spans.push(span);
            continue;
        }
        let room = width - used;
        if room > 0 {
            let cut = crate::listing::truncate(&span.content, room, ascii);
            spans.push(Span::styled(cut, span.style));
        }
        break;
    }
    Line::from(spans).style(line.style)
}

/// The end of `text` that fits in `width` columns, with an ellipsis in front when cut: the
/// text before a prompt's cursor, which must stay on screen.
fn tail_within(text: &str, width: usize, ascii: bool) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let ellipsis = if ascii { "..." } else { "…" };
    let mut kept = Vec::new();
    let mut used = ellipsis.width();
    for c in text.chars().rev() {
        used += c.width().unwrap_or(0);
        if used > width {
            break;
        }
        kept.push(c);
    }
    let tail: String = kept.into_iter().rev().collect();
    format!("{ellipsis}{tail}")
}

/// The articles per status, and the files that could not be read: what the status line
/// keeps in view beside any error.
fn counts<'a>(app: &App, theme: Theme) -> Vec<Span<'a>> {
    let ascii = app.options.ascii;
    let mut spans = Vec::new();
    for (status, n) in app.counts() {
        spans.push(Span::styled(
            format!("{}{n} ", status.marker(ascii)),
            theme.status(status),
        ));
    }
    if app.unreadable > 0 {
        // Not in the list, so said here: `copydesk check` names them and the cause.
        spans.push(Span::styled(
            format!("{} unreadable ", app.unreadable),
            theme.error(),
        ));
    }
    spans
}

/// The counts first, then the filter, sort, selection, scan progress and position; the key
/// hint only when `hint` (not beside an error, which needs the room more).
fn summary<'a>(app: &App, theme: Theme, hint: bool) -> Line<'a> {
    let ascii = app.options.ascii;
    let mut spans = counts(app, theme);
    let mut filters = Vec::new();
    if let Some(s) = app.filter.status {
        filters.push(s.to_string());
    }
    if let Some(l) = &app.filter.lang {
        filters.push(l.clone());
    }
    if let DayFilter::Day(d) = app.filter.day {
        filters.push(if d == app.options.today {
            "today".to_string()
        } else {
            d.to_string()
        });
    }
    if app.filter.signals_only {
        filters.push("signals".to_string());
    }
    if !filters.is_empty() {
        spans.push(Span::styled(
            format!("filter:{} ", filters.join("+")),
            theme.title(),
        ));
    }
    if app.sort != SortKey::Date {
        spans.push(Span::raw(format!("sort:{:?} ", app.sort).to_lowercase()));
    }
    if !app.selection.is_empty() {
        spans.push(Span::styled(
            format!("{} selected ", app.selection.len()),
            theme.title(),
        ));
    }
    if let Some(scan) = app.scan {
        let percent = (scan.done * 100).checked_div(scan.total).unwrap_or(0);
        let doing = match scan.phase {
            Phase::Reading => "indexing",
            Phase::Detecting => "detecting languages",
        };
        spans.push(Span::styled(
            format!("{doing} {percent}% ({}/{}) ", scan.done, scan.total),
            theme.title(),
        ));
    }
    if let Some(pair) = &app.pair {
        let total = pair.rows.left.len();
        spans.push(Span::styled(
            format!("row {}/{total} ", (pair.scroll + 1).min(total)),
            theme.dim(),
        ));
        if hint && app.message.is_none() {
            let hint = if ascii {
                "p next | Esc back | ? help"
            } else {
                "p next · Esc back · ? help"
            };
            spans.push(Span::styled(hint, theme.dim()));
        }
        return Line::from(spans);
    }
    let pos = if app.view.is_empty() {
        0
    } else {
        app.cursor + 1
    };
    spans.push(Span::styled(
        format!("{pos}/{} ", app.view.len()),
        theme.dim(),
    ));
    if hint && app.message.is_none() {
        spans.push(Span::styled("? help", theme.dim()));
    }
    Line::from(spans)
}
