//! The reader pane's content: a header (title, date, languages, format, source, status, signals)
//! then the cleaned body, wrapped. Built when the body arrives, the state changes or the
//! terminal resizes — never while drawing.

use crate::inbox::{Article, Body};
use crate::sanitize;
use crate::state::Entry;
use crate::tui::app::Options;
use crate::ui::text::{self, VisualLine};

/// What a reader line is, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Title,
    Meta,
    Status,
    Signal,
    Body,
    Folded,
}

/// One line of the reader pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderLine {
    pub kind: LineKind,
    pub line: VisualLine,
}

/// Appends `s`, sanitised and wrapped to `width`, as lines of one kind.
pub(crate) fn push(
    out: &mut Vec<ReaderLine>,
    kind: LineKind,
    s: &str,
    width: usize,
    opts: &Options,
) {
    let clean = sanitize::line(s, opts.ascii);
    for line in text::wrap(&clean, width, opts.bidi) {
        out.push(ReaderLine { kind, line });
    }
}

/// The decision as the reader shows it: "✓ verified by ayu at … — note: …". A note on copy
/// nobody has decided names who wrote it, not a decision; a decision under the id made on
/// another file is named as such.
fn status_line(a: &Article, entry: Option<&Entry>, opts: &Options) -> String {
    let untriaged = crate::state::Status::Untriaged.marker(opts.ascii);
    let Some(e) = entry else {
        return format!("{untriaged} untriaged");
    };
    let at = opts.zone.convert(&e.marked_at).format("%Y-%m-%d %H:%M");
    let dash = sanitize::punctuation(opts.ascii).0;
    if !e.applies_to(a) {
        let made_on = e.file.as_deref().unwrap_or_default();
        return format!(
            "{untriaged} untriaged {dash} the decision under this id ({} by {} at {at}) was made on another file, {made_on}",
            e.status, e.editor
        );
    }
    match (e.decided(), e.note()) {
        (false, None) => format!("{untriaged} untriaged"),
        (false, Some(n)) => {
            let (by, at) = e.note_author();
            let at = opts.zone.convert(&at).format("%Y-%m-%d %H:%M");
            format!("{untriaged} untriaged {dash} note by {by} at {at}: {n}")
        }
        (true, note) => {
            let mut s = format!(
                "{} {} by {} at {at}",
                e.status.marker(opts.ascii),
                e.status,
                e.editor
            );
            match (note, e.note_by().filter(|by| *by != e.editor)) {
                (Some(n), Some(by)) => s.push_str(&format!(" {dash} note by {by}: {n}")),
                (Some(n), None) => s.push_str(&format!(" {dash} note: {n}")),
                (None, _) => {}
            }
            s
        }
    }
}

/// The reader's lines for an article at a given width.
pub fn build_lines(
    a: &Article,
    entry: Option<&Entry>,
    body: Option<&Result<Body, String>>,
    width: usize,
    opts: &Options,
) -> Vec<ReaderLine> {
    let mut out = Vec::new();
    if width == 0 {
        return out;
    }
    let dot = if opts.ascii { " | " } else { " · " };
    push(&mut out, LineKind::Title, &a.title, width, opts);
    let day_only = if a.time_known() { "" } else { ": the day only" };
    let date = super::day_and_time(a, opts.zone);
    let mut meta = format!("{date} ({}{day_only}){dot}{}", a.date_source, a.format);
    if let Some(s) = &a.source {
        meta.push_str(&format!("{dot}{s}"));
    }
    push(&mut out, LineKind::Meta, &meta, width, opts);
    let declared = a.declared_lang.as_deref().unwrap_or("none");
    let langs = if a.pending {
        format!("language: declared {declared}, detection still running")
    } else {
        format!(
            "language {}: declared {declared}, detected {} ({}%)",
            a.lang, a.detected_lang, a.lang_percent
        )
    };
    push(&mut out, LineKind::Meta, &langs, width, opts);
    if let Some(t) = a.translation_of() {
        push(
            &mut out,
            LineKind::Meta,
            &format!("translation of {t}"),
            width,
            opts,
        );
    }
    let status = status_line(a, entry, opts);
    push(&mut out, LineKind::Status, &status, width, opts);
    let modified = body.and_then(|b| b.as_ref().ok()).and_then(|b| b.modified);
    if let Some(when) = entry
        .filter(|e| e.applies_to(a))
        .and_then(|e| e.file_written_since(modified))
    {
        let when = opts
            .zone
            .convert(&when.fixed_offset())
            .format("%Y-%m-%d %H:%M");
        let line = format!("! its file was written again at {when}, after this decision");
        push(&mut out, LineKind::Signal, &line, width, opts);
    }
    for s in a.signals() {
        let line = format!("{} {}: {}", s.kind.marker(), s.kind, s.explain(opts.ascii));
        push(&mut out, LineKind::Signal, &line, width, opts);
    }
    for w in a.warnings() {
        push(
            &mut out,
            LineKind::Meta,
            &format!("warning: {w}"),
            width,
            opts,
        );
    }
    out.push(ReaderLine {
        kind: LineKind::Meta,
        line: VisualLine {
            text: String::new(),
            rtl: false,
        },
    });
    match body {
        None => push(&mut out, LineKind::Meta, "loading…", width, opts),
        Some(Err(e)) => push(
            &mut out,
            LineKind::Signal,
            &format!("cannot read the text: {e}"),
            width,
            opts,
        ),
        Some(Ok(b)) => {
            let clean = sanitize::for_terminal(&b.text, opts.ascii, true);
            for line in text::wrap(&clean, width, opts.bidi) {
                out.push(ReaderLine {
                    kind: LineKind::Body,
                    line,
                });
            }
            if let Some(d) = &b.cleaned.disclaimer {
                out.push(ReaderLine {
                    kind: LineKind::Folded,
                    line: VisualLine {
                        text: String::new(),
                        rtl: false,
                    },
                });
                let reference = d
                    .reference_lang
                    .as_deref()
                    .map(|r| format!(", reference language {r}"))
                    .unwrap_or_default();
                push(
                    &mut out,
                    LineKind::Folded,
                    &format!("[machine-translation disclaimer folded{reference}]"),
                    width,
                    opts,
                );
            }
        }
    }
    out
}
