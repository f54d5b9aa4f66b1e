//! The daily review report: counts per status × language, the decisions of the period and by
//! whom, the open suspects and reviews with their notes, and the untriaged backlog.
//!
//! `Review::build` is pure (rows, state and a scope in, a review out); the renderers write it
//! as Markdown for mail and chat, or as JSON for scripts.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::cli::{ReportArgs, ReportFormat};
use crate::commands::{self, Context};
use crate::export::{human_article_date, human_date, md_code, md_escape};
use crate::filter::FilterArgs;
use crate::listing::Row;
use crate::sanitize;
use crate::state::{State, Status};
use crate::time::{DayArg, Zone};

/// Writes the daily review.
pub fn run(ctx: &Context, args: &ReportArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let today = ctx.today();
    let period = Period::from_args(args, today).map_err(|e| anyhow!(e))?;
    // The same filter as `list --editor`, so that the counts agree with `list`.
    let filter = FilterArgs {
        editor: ctx.editor_filter.clone(),
        ..FilterArgs::default()
    }
    .build(today)
    .map_err(|e| anyhow!(e))?;
    let mut store = ctx.store()?;
    let inbox = ctx.scan_for(&mut store.state)?;
    let rows = commands::filtered_rows(&inbox, &store, &filter, ctx.zone);
    // A decision under an id made on another file is not about the article there now.
    let titles: HashMap<&str, &str> = inbox
        .articles
        .iter()
        .filter(|a| {
            store
                .state
                .articles
                .get(&*a.id)
                .is_none_or(|e| e.applies_to(a))
        })
        .map(|a| (&*a.id, &*a.title))
        .collect();
    let scope = Scope {
        period,
        zone: ctx.zone,
        editor: ctx.editor_filter.as_deref(),
        now: ctx.now(),
    };
    let review = Review::build(&rows, &store.state, &titles, &scope);
    match args.format {
        ReportFormat::Markdown => review.write_markdown(out)?,
        ReportFormat::Json => {
            crate::sanitize::write_json(&review, &mut *out)?;
            writeln!(out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The days under review, inclusive, in the configured zone. No start: everything up to `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub since: Option<NaiveDate>,
    pub until: NaiveDate,
}

impl Period {
    /// `--date DATE` (default today), or `--since`/`--until`: until defaults to today, and
    /// `--until` alone covers everything up to that day.
    pub fn from_args(args: &ReportArgs, today: NaiveDate) -> Result<Self, String> {
        let day = |raw: &str| DayArg::parse(raw, today).map(|d| d.0);
        if args.date.is_some() || (args.since.is_none() && args.until.is_none()) {
            let d = day(args.date.as_deref().unwrap_or("today"))?;
            return Ok(Self {
                since: Some(d),
                until: d,
            });
        }
        let since = args.since.as_deref().map(day).transpose()?;
        let until = args.until.as_deref().map(day).transpose()?.unwrap_or(today);
        if let Some(s) = since {
            let raw_since = args.since.as_deref().unwrap_or_default();
            let raw_until = args.until.as_deref().unwrap_or("today");
            crate::filter::days_in_order((raw_since, s), (raw_until, until))?;
        }
        Ok(Self { since, until })
    }

    /// Whether a day falls in the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.since.is_none_or(|s| day >= s) && day <= self.until
    }

    /// `2026-11-27`, `2026-11-20 to 2026-11-27` or `up to 2026-11-27`.
    pub fn label(&self) -> String {
        match self.since {
            Some(s) if s == self.until => s.to_string(),
            Some(s) => format!("{s} to {}", self.until),
            None => format!("up to {}", self.until),
        }
    }
}

/// What the review looks at besides the rows.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub period: Period,
    /// Where days begin.
    pub zone: Zone,
    /// Only decisions by this editor (the global `--editor`).
    pub editor: Option<&'a str>,
    pub now: DateTime<FixedOffset>,
}

/// Articles per status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub untriaged: usize,
    pub verified: usize,
    #[serde(rename = "needs-review")]
    pub needs_review: usize,
    #[serde(rename = "translation-suspect")]
    pub translation_suspect: usize,
    pub total: usize,
}

impl Counts {
    fn add(&mut self, status: Status) {
        *self.get_mut(status) += 1;
        self.total += 1;
    }

    fn get_mut(&mut self, status: Status) -> &mut usize {
        match status {
            Status::Untriaged => &mut self.untriaged,
            Status::Verified => &mut self.verified,
            Status::NeedsReview => &mut self.needs_review,
            Status::TranslationSuspect => &mut self.translation_suspect,
        }
    }

    fn get(&self, status: Status) -> usize {
        match status {
            Status::Untriaged => self.untriaged,
            Status::Verified => self.verified,
            Status::NeedsReview => self.needs_review,
            Status::TranslationSuspect => self.translation_suspect,
        }
    }
}

/// One language's line of the status table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LangCounts {
    pub lang: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// One decision made in the period (a current entry or a history entry).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// When, in the configured zone.
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    pub at: DateTime<FixedOffset>,
    pub editor: String,
    pub id: String,
    /// None when the article is no longer in the inbox.
    pub title: Option<String>,
    pub status: Status,
    pub note: Option<String>,
    /// Who wrote the note, when not the decision's editor (another editor's note on the
    /// current decision).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note_by: Option<String>,
    /// Whether it is still the article's current decision.
    pub current: bool,
}

/// A note written in the period on copy nobody has decided: not a decision, but its
/// author's work all the same.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Noted {
    /// When, in the configured zone.
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    pub note_at: DateTime<FixedOffset>,
    pub note_by: String,
    pub id: String,
    /// None when the article is no longer in the inbox.
    pub title: Option<String>,
    pub note: String,
}

/// How many decisions one editor made, per status chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditorCounts {
    pub editor: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// An article whose current status asks for more work.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Open {
    pub id: String,
    pub title: String,
    /// Its date, in the configured zone.
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    pub date: DateTime<FixedOffset>,
    /// Whether `date` has a time of day: `date_precision`, `time` or `day`, as in `list`.
    #[serde(
        rename = "date_precision",
        serialize_with = "crate::time::serialize_precision"
    )]
    pub time_known: bool,
    pub lang: String,
    pub source: Option<String>,
    pub editor: Option<String>,
    /// When it was decided, in the configured zone.
    #[serde(serialize_with = "crate::time::serialize_rfc3339_opt")]
    pub marked_at: Option<DateTime<FixedOffset>>,
    pub note: Option<String>,
    /// Who wrote the note, when not the decision's editor.
    pub note_by: Option<String>,
}

/// The untriaged articles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backlog {
    pub untriaged: usize,
    /// Of which dated in the period.
    pub in_period: usize,
    /// In the configured zone.
    #[serde(serialize_with = "crate::time::serialize_rfc3339_opt")]
    pub oldest_date: Option<DateTime<FixedOffset>>,
    /// Whether `oldest_date` has a time of day: `oldest_date_precision`, `time` or `day`.
    #[serde(
        rename = "oldest_date_precision",
        serialize_with = "crate::time::serialize_precision_opt"
    )]
    pub oldest_time_known: Option<bool>,
    pub oldest_id: Option<String>,
    pub oldest_title: Option<String>,
}

/// The whole review, as the JSON report shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub since: Option<NaiveDate>,
    pub until: NaiveDate,
    /// The zone in which days begin.
    pub zone: String,
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    pub generated_at: DateTime<FixedOffset>,
    /// The editor filter, when given.
    pub editor: Option<String>,
    /// Articles dated in the period.
    pub dated_in_period: usize,
    /// Current status per language, over every article (as `list` shows them).
    pub counts: Vec<LangCounts>,
    pub totals: Counts,
    pub marked: Vec<Decision>,
    pub by_editor: Vec<EditorCounts>,
    pub noted: Vec<Noted>,
    pub translation_suspect: Vec<Open>,
    pub needs_review: Vec<Open>,
    pub backlog: Backlog,
}

impl Review {
    /// The review of `rows` (already filtered as `list` would) under `state`. Every time in it
    /// is in the scope's zone, whatever zone it was recorded in: one report never mixes zones.
    pub fn build(
        rows: &[Row],
        state: &State,
        titles: &HashMap<&str, &str>,
        scope: &Scope<'_>,
    ) -> Self {
        let in_period = |d: &DateTime<FixedOffset>| scope.period.contains(scope.zone.day_of(d));
        let mut by_lang: BTreeMap<&str, Counts> = BTreeMap::new();
        let mut totals = Counts::default();
        for r in rows {
            by_lang.entry(&r.lang).or_default().add(r.status);
            totals.add(r.status);
        }
        let marked = decisions(state, titles, scope);
        let mut per_editor: BTreeMap<&str, Counts> = BTreeMap::new();
        for d in &marked {
            per_editor.entry(&d.editor).or_default().add(d.status);
        }
        let untriaged: Vec<&Row> = rows
            .iter()
            .filter(|r| r.status == Status::Untriaged)
            .collect();
        let oldest = untriaged.iter().min_by(|a, b| a.date.cmp(&b.date));
        Self {
            since: scope.period.since,
            until: scope.period.until,
            zone: scope.zone.to_string(),
            generated_at: chrono::SubsecRound::trunc_subsecs(scope.zone.convert(&scope.now), 0),
            editor: scope.editor.map(str::to_string),
            dated_in_period: rows.iter().filter(|r| in_period(&r.date)).count(),
            counts: by_lang
                .into_iter()
                .map(|(lang, counts)| LangCounts {
                    lang: lang.to_string(),
                    counts,
                })
                .collect(),
            totals,
            by_editor: per_editor
                .into_iter()
                .map(|(editor, counts)| EditorCounts {
                    editor: editor.to_string(),
                    counts,
                })
                .collect(),
            marked,
            noted: notes_on_undecided(state, titles, scope),
            translation_suspect: open(rows, state, Status::TranslationSuspect, scope.zone),
            needs_review: open(rows, state, Status::NeedsReview, scope.zone),
            backlog: Backlog {
                untriaged: untriaged.len(),
                in_period: untriaged.iter().filter(|r| in_period(&r.date)).count(),
                oldest_date: oldest.map(|r| scope.zone.convert(&r.date)),
                oldest_time_known: oldest.map(|r| r.time_known),
                oldest_id: oldest.map(|r| r.id.clone()),
                oldest_title: oldest.map(|r| r.title.clone()),
            },
        }
    }
}

/// Every decision, current or in a history, made in the period, oldest first.
fn decisions(state: &State, titles: &HashMap<&str, &str>, scope: &Scope<'_>) -> Vec<Decision> {
    let wanted = |editor: &str, at: &DateTime<FixedOffset>| {
        scope.editor.is_none_or(|e| e == editor) && scope.period.contains(scope.zone.day_of(at))
    };
    let mut out = Vec::new();
    for (id, entry) in &state.articles {
        let title = titles.get(id.as_str()).map(|t| (*t).to_string());
        // History first: at equal times (a script marking twice in a second) it came first.
        let past = entry.history.iter().map(|h| {
            let note_by = h.note_by.as_deref();
            (
                h.status,
                &h.editor,
                &h.at,
                h.note.as_deref(),
                note_by,
                false,
            )
        });
        let current = std::iter::once((
            entry.status,
            &entry.editor,
            &entry.marked_at,
            entry.note(),
            entry.note_by().filter(|by| *by != entry.editor),
            true,
        ));
        // An article's first record left untriaged is a note on copy nobody had decided.
        let records = past.chain(current).enumerate();
        for (n, (status, editor, at, note, note_by, current)) in records {
            let note_only = n == 0 && status == Status::Untriaged;
            if !note_only && wanted(editor, at) {
                out.push(Decision {
                    at: scope.zone.convert(at),
                    editor: editor.clone(),
                    id: id.clone(),
                    title: title.clone(),
                    status,
                    note: note.map(String::from),
                    note_by: note_by.map(String::from),
                    current,
                });
            }
        }
    }
    // Stable, so each article's decisions keep their recorded order.
    out.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    out
}

/// Every note on copy nobody has decided, written in the period, oldest first.
fn notes_on_undecided(
    state: &State,
    titles: &HashMap<&str, &str>,
    scope: &Scope<'_>,
) -> Vec<Noted> {
    let mut out: Vec<Noted> = state
        .articles
        .iter()
        .filter(|(_, e)| !e.decided())
        .filter_map(|(id, e)| {
            let note = e.note()?;
            let (by, at) = e.note_author();
            let wanted = scope.editor.is_none_or(|ed| ed == by)
                && scope.period.contains(scope.zone.day_of(&at));
            wanted.then(|| Noted {
                note_at: scope.zone.convert(&at),
                note_by: by.to_string(),
                id: id.clone(),
                title: titles.get(id.as_str()).map(|t| (*t).to_string()),
                note: note.to_string(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.note_at.cmp(&b.note_at).then_with(|| a.id.cmp(&b.id)));
    out
}

/// The rows with one status, most recently decided first, their times in `zone`.
fn open(rows: &[Row], state: &State, status: Status, zone: Zone) -> Vec<Open> {
    let mut out: Vec<(Option<DateTime<FixedOffset>>, Open)> = rows
        .iter()
        .filter(|r| r.status == status)
        .map(|r| {
            let at = state.articles.get(&r.id).map(|e| e.marked_at);
            let o = Open {
                id: r.id.clone(),
                title: r.title.clone(),
                date: zone.convert(&r.date),
                time_known: r.time_known,
                lang: r.lang.clone(),
                source: r.source.clone(),
                editor: r.editor.clone(),
                marked_at: r
                    .marked_at
                    .as_deref()
                    .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
                    .map(|at| zone.convert(&at)),
                note: r.note.clone(),
                note_by: r.note_by.clone(),
            };
            (at, o)
        })
        .collect();
    out.sort_by(|(a, x), (b, y)| b.cmp(a).then_with(|| x.id.cmp(&y.id)));
    out.into_iter().map(|(_, o)| o).collect()
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// Untrusted text for one Markdown line.
fn md(text: &str) -> String {
    md_escape(&sanitize::line(text, false))
}

fn md_id(id: &str) -> String {
    md_code(&sanitize::line(id, false))
}

impl Review {
    /// The review as Markdown that reads well pasted into mail or chat.
    pub fn write_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        let period = Period {
            since: self.since,
            until: self.until,
        };
        writeln!(out, "# Daily review: {}", period.label())?;
        writeln!(out)?;
        let filter = self
            .editor
            .as_deref()
            .map(|e| format!(", decisions and notes by {} only", md(e)))
            .unwrap_or_default();
        let zone = match self.zone.as_str() {
            "local" => "local time".to_string(),
            offset => format!("UTC{offset}"),
        };
        writeln!(
            out,
            "Days are counted in {zone}; generated {}{filter}.",
            human_date(&self.generated_at)
        )?;
        self.write_counts(out)?;
        self.write_marked(out)?;
        self.write_noted(out)?;
        write_open(out, "Translation suspects", &self.translation_suspect)?;
        write_open(out, "Needs review", &self.needs_review)?;
        self.write_backlog(out)
    }

    fn write_counts(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "\n## Status by language\n")?;
        let whose = match &self.editor {
            Some(e) => format!("decided by {}", md(e)),
            None => "in the inbox".into(),
        };
        writeln!(
            out,
            "{} article{} {whose} (current status), {} dated in the period.\n",
            self.totals.total,
            plural(self.totals.total),
            self.dated_in_period
        )?;
        let statuses = Status::ALL.map(Status::as_str).join(" | ");
        writeln!(out, "| lang | {statuses} | total |")?;
        writeln!(out, "| --- |{} ---: |", " ---: |".repeat(Status::ALL.len()))?;
        let line = |label: String, c: &Counts| {
            let n: Vec<String> = Status::ALL.iter().map(|s| c.get(*s).to_string()).collect();
            format!("| {label} | {} | {} |", n.join(" | "), c.total)
        };
        for l in &self.counts {
            writeln!(out, "{}", line(md(&l.lang), &l.counts))?;
        }
        writeln!(out, "{}", line("**all**".into(), &self.totals))
    }

    fn write_marked(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "\n## Marked in the period: {}\n", self.marked.len())?;
        if self.marked.is_empty() {
            return writeln!(out, "Nothing was marked.");
        }
        let who: Vec<String> = self
            .by_editor
            .iter()
            .map(|e| {
                let per: Vec<String> = Status::ALL
                    .iter()
                    .filter(|s| e.counts.get(**s) > 0)
                    .map(|s| format!("{} {s}", e.counts.get(*s)))
                    .collect();
                format!("{} {} ({})", md(&e.editor), e.counts.total, per.join(", "))
            })
            .collect();
        writeln!(out, "By editor: {}.\n", who.join("; "))?;
        for d in &self.marked {
            let title = title_or_gone(d.title.as_deref());
            let note = match (d.note.as_deref(), d.note_by.as_deref()) {
                (None, _) => String::new(),
                (Some(n), None) => format!(" Note: {}", md(n)),
                (Some(n), Some(by)) => format!(" Note by {}: {}", md(by), md(n)),
            };
            let replaced = if d.current { "" } else { " (since changed)" };
            writeln!(
                out,
                "- {} {} marked {} {}{replaced}: {title}.{note}",
                d.at.format("%Y-%m-%d %H:%M"),
                md(&d.editor),
                md_id(&d.id),
                d.status
            )?;
        }
        Ok(())
    }

    fn write_noted(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "\n## Notes on undecided copy: {}\n", self.noted.len())?;
        if self.noted.is_empty() {
            return writeln!(out, "None.");
        }
        for n in &self.noted {
            writeln!(
                out,
                "- {} {} noted {}: {}. Note: {}",
                n.note_at.format("%Y-%m-%d %H:%M"),
                md(&n.note_by),
                md_id(&n.id),
                title_or_gone(n.title.as_deref()),
                md(&n.note)
            )?;
        }
        Ok(())
    }

    fn write_backlog(&self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(e) = &self.editor {
            writeln!(out, "\n## Untriaged backlog\n")?;
            return writeln!(
                out,
                "Not counted: this review covers decisions and notes by {} only.",
                md(e)
            );
        }
        let b = &self.backlog;
        writeln!(out, "\n## Untriaged backlog: {}\n", b.untriaged)?;
        let oldest = (
            b.oldest_date,
            b.oldest_time_known,
            &b.oldest_id,
            &b.oldest_title,
        );
        match oldest {
            (Some(date), Some(time_known), Some(id), Some(title)) => writeln!(
                out,
                "Oldest dated {}: {} {}. {} dated in the period.",
                human_article_date(&date, time_known),
                md_id(id),
                md(title),
                b.in_period
            ),
            _ => writeln!(out, "Nothing is waiting."),
        }
    }
}

fn write_open(out: &mut dyn Write, heading: &str, items: &[Open]) -> io::Result<()> {
    writeln!(out, "\n## {heading}: {}\n", items.len())?;
    if items.is_empty() {
        return writeln!(out, "None.");
    }
    for o in items {
        let by = match (&o.editor, &o.marked_at) {
            (Some(e), Some(at)) => format!(" Marked by {} at {}.", md(e), human_date(at)),
            _ => String::new(),
        };
        let source = o
            .source
            .as_deref()
            .map(|s| format!(", {}", md(s)))
            .unwrap_or_default();
        let note = match (o.note.as_deref(), o.note_by.as_deref()) {
            (None, _) => " No note.".to_string(),
            (Some(n), None) => format!(" Note: {}", md(n)),
            (Some(n), Some(by)) => format!(" Note by {}: {}", md(by), md(n)),
        };
        writeln!(
            out,
            "- {} {} ({}, {}{source}).{by}{note}",
            md_id(&o.id),
            md(&o.title),
            md(&o.lang),
            o.date.format("%Y-%m-%d"),
        )?;
    }
    Ok(())
}

/// An article's title for one Markdown line, or why there is none.
fn title_or_gone(title: Option<&str>) -> String {
    title.map_or_else(|| "(no longer in the inbox)".to_string(), md)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Change, NoteChange};

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("time")
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day")
    }

    fn zone() -> Zone {
        "+07:00".parse().expect("zone")
    }

    fn row(id: &str, lang: &str, date: &str, state: &State) -> Row {
        let entry = state.articles.get(id);
        Row {
            id: id.into(),
            title: format!("Title of {id}"),
            date: at(date),
            date_source: "metadata",
            time_known: true,
            lang: lang.into(),
            declared_lang: None,
            detected_lang: lang.into(),
            lang_confidence: 1.0,
            status: state.status_of(id),
            format: "markdown",
            source: None,
            signals: vec![],
            editor: entry.map(|e| e.editor.clone()),
            marked_at: entry.map(|e| crate::time::rfc3339(&e.marked_at)),
            note: entry.and_then(|e| e.note().map(String::from)),
            note_by: None,
            note_at: None,
            warnings: vec![],
        }
    }

    /// Four articles: `a` reviewed then suspected today, `b` verified yesterday (UTC evening,
    /// which is today in +07:00), `c` untriaged with lin's note of today, `gone` marked but no
    /// longer in the inbox.
    /// The review of 2026-11-27, asked at 10:00 (+07:00).
    fn the_27th(editor: Option<&str>) -> Scope<'_> {
        Scope {
            period: Period {
                since: Some(day("2026-11-27")),
                until: day("2026-11-27"),
            },
            zone: zone(),
            editor,
            now: at("2026-11-27T10:00:00+07:00"),
        }
    }

    fn fixture() -> (State, Vec<Row>) {
        let mut s = State::default();
        let mut mark = |id: &str, status, note: Option<&str>, editor: &str, when: &str| {
            let note = note.map_or(NoteChange::Keep, |n| NoteChange::Set(n.into()));
            s.apply(&Change::new(id, status, note), editor, at(when));
        };
        mark(
            "a",
            Status::NeedsReview,
            None,
            "marc",
            "2026-11-27T08:50:00+07:00",
        );
        mark(
            "a",
            Status::TranslationSuspect,
            Some("MT | from *id*"),
            "ayu",
            "2026-11-27T09:14:00+07:00",
        );
        mark("b", Status::Verified, None, "ayu", "2026-11-26T18:30:00Z");
        mark(
            "c",
            Status::Untriaged,
            Some("ask | the *desk*"),
            "lin",
            "2026-11-27T09:30:00+07:00",
        );
        mark(
            "gone",
            Status::Verified,
            None,
            "ayu",
            "2026-11-20T09:00:00+07:00",
        );
        let rows = vec![
            row("a", "fr", "2026-11-27T06:00:00+07:00", &s),
            row("b", "en", "2026-11-26T06:00:00+07:00", &s),
            row("c", "fr", "2026-11-21T00:30:00+07:00", &s),
        ];
        (s, rows)
    }

    fn review(editor: Option<&str>) -> Review {
        let (state, rows) = fixture();
        let titles = HashMap::from([
            ("a", "Title of a"),
            ("b", "Title of b"),
            ("c", "Title of c"),
        ]);
        let scope = the_27th(editor);
        Review::build(&rows, &state, &titles, &scope)
    }

    #[test]
    fn counts_decisions_and_backlog() {
        let r = review(None);
        assert_eq!(r.totals.total, 3);
        assert_eq!(r.counts[1].lang, "fr");
        assert_eq!(r.counts[1].counts.translation_suspect, 1);
        assert_eq!(r.counts[1].counts.untriaged, 1);
        let marked: Vec<(&str, Status, bool)> = r
            .marked
            .iter()
            .map(|d| (d.id.as_str(), d.status, d.current))
            .collect();
        assert_eq!(
            marked,
            vec![
                ("b", Status::Verified, true),
                ("a", Status::NeedsReview, false),
                ("a", Status::TranslationSuspect, true),
            ]
        );
        assert_eq!(r.backlog.oldest_id.as_deref(), Some("c"));
        assert_eq!(r.dated_in_period, 1);
    }

    #[test]
    fn the_editor_filter_keeps_only_their_decisions_and_notes() {
        let r = review(Some("marc"));
        assert_eq!(r.marked.len(), 1);
        assert_eq!(r.by_editor[0].editor, "marc");
        assert_eq!(r.by_editor[0].counts.needs_review, 1);
        assert_eq!(r.noted, []);
        // A note alone is lin's work of the day, though not a decision.
        let r = review(Some("lin"));
        assert_eq!((r.marked.len(), r.by_editor.len()), (0, 0));
        let noted: Vec<(&str, &str, &str)> = r
            .noted
            .iter()
            .map(|n| (n.id.as_str(), n.note_by.as_str(), n.note.as_str()))
            .collect();
        assert_eq!(noted, [("c", "lin", "ask | the *desk*")]);
    }

    #[test]
    fn a_note_on_undecided_copy_counts_in_its_day_only() {
        let (state, rows) = fixture();
        let scope = |day_: &str| Scope {
            period: Period {
                since: Some(day(day_)),
                until: day(day_),
            },
            zone: zone(),
            editor: None,
            now: at("2026-11-28T10:00:00+07:00"),
        };
        let titles = HashMap::new();
        let noted = |d: &str| Review::build(&rows, &state, &titles, &scope(d)).noted;
        assert_eq!(noted("2026-11-26"), []);
        assert_eq!(noted("2026-11-28"), []);
        let today = noted("2026-11-27");
        assert_eq!(today.len(), 1);
        assert_eq!(today[0].note_at, at("2026-11-27T09:30:00+07:00"));
        assert_eq!(today[0].title, None);
    }

    #[test]
    fn markdown_is_pasteable() {
        let mut out = Vec::new();
        review(None).write_markdown(&mut out).expect("render");
        let text = String::from_utf8(out).expect("utf-8");
        assert_eq!(
            text,
            "# Daily review: 2026-11-27\n\
             \n\
             Days are counted in UTC+07:00; generated 2026-11-27 10:00 +07:00.\n\
             \n\
             ## Status by language\n\
             \n\
             3 articles in the inbox (current status), 1 dated in the period.\n\
             \n\
             | lang | untriaged | verified | needs-review | translation-suspect | total |\n\
             | --- | ---: | ---: | ---: | ---: | ---: |\n\
             | en | 0 | 1 | 0 | 0 | 1 |\n\
             | fr | 1 | 0 | 0 | 1 | 2 |\n\
             | **all** | 1 | 1 | 0 | 1 | 3 |\n\
             \n\
             ## Marked in the period: 3\n\
             \n\
             By editor: ayu 2 (1 verified, 1 translation-suspect); marc 1 (1 needs-review).\n\
             \n\
             - 2026-11-27 01:30 ayu marked `b` verified: Title of b.\n\
             - 2026-11-27 08:50 marc marked `a` needs-review (since changed): Title of a.\n\
             - 2026-11-27 09:14 ayu marked `a` translation-suspect: Title of a. \
             Note: MT \\| from \\*id\\*\n\
             \n\
             ## Notes on undecided copy: 1\n\
             \n\
             - 2026-11-27 09:30 lin noted `c`: Title of c. Note: ask \\| the \\*desk\\*\n\
             \n\
             ## Translation suspects: 1\n\
             \n\
             - `a` Title of a (fr, 2026-11-27). Marked by ayu at 2026-11-27 09:14 +07:00. \
             Note: MT \\| from \\*id\\*\n\
             \n\
             ## Needs review: 0\n\
             \n\
             None.\n\
             \n\
             ## Untriaged backlog: 1\n\
             \n\
             Oldest dated 2026-11-21 00:30 +07:00: `c` Title of c. 0 dated in the period.\n"
        );
    }

    #[test]
    fn another_editors_note_on_a_decision_is_credited_to_them() {
        let mut s = State::default();
        let when = at("2026-11-27T09:00:00+07:00");
        s.apply(
            &Change::new("b", Status::Verified, NoteChange::Keep),
            "ayu",
            when,
        );
        let note = NoteChange::Set("do not run".into());
        s.apply(&Change::note("b", Status::Verified, note), "marc", when);
        let rows = vec![row("b", "en", "2026-11-27T06:00:00+07:00", &s)];
        let titles = HashMap::from([("b", "Title of b")]);
        let scope = the_27th(None);
        let r = Review::build(&rows, &s, &titles, &scope);
        let mut out = Vec::new();
        r.write_markdown(&mut out).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            text.contains("ayu marked `b` verified: Title of b. Note by marc: do not run"),
            "{text}"
        );
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["marked"][0]["note_by"], "marc");
    }

    #[test]
    fn json_names_the_period_and_statuses() {
        let json = serde_json::to_value(review(None)).expect("json");
        assert_eq!(json["since"], "2026-11-27");
        assert_eq!(json["totals"]["translation-suspect"], 1);
        assert_eq!(json["marked"][2]["note"], "MT | from *id*");
        assert_eq!(json["translation_suspect"][0]["id"], "a");
        assert_eq!(json["noted"][0]["note_by"], "lin");
        assert_eq!(json["noted"][0]["note_at"], "2026-11-27T09:30:00+07:00");
        assert_eq!(json["noted"][0]["note"], "ask | the *desk*");
        assert_eq!(json["backlog"]["oldest_date"], "2026-11-21T00:30:00+07:00");
        assert_eq!(json["backlog"]["oldest_date_precision"], "time");
        assert_eq!(json["translation_suspect"][0]["date_precision"], "time");
    }

    #[test]
    fn a_day_without_a_time_is_a_day_in_the_review() {
        let (state, mut rows) = fixture();
        // `a` (the suspect) and `c` (the oldest untriaged) dated by a day alone, at midnight.
        for r in rows.iter_mut().filter(|r| r.id != "b") {
            r.date = at(&format!("{}T00:00:00+07:00", r.date.date_naive()));
            r.time_known = false;
        }
        let scope = the_27th(None);
        let r = Review::build(&rows, &state, &HashMap::new(), &scope);
        let mut out = Vec::new();
        r.write_markdown(&mut out).expect("render");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains("\nOldest dated 2026-11-21: `c` "), "{text}");
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["backlog"]["oldest_date"], "2026-11-21T00:00:00+07:00");
        assert_eq!(json["backlog"]["oldest_date_precision"], "day");
        assert_eq!(
            json["translation_suspect"][0]["date"],
            "2026-11-27T00:00:00+07:00"
        );
        assert_eq!(json["translation_suspect"][0]["date_precision"], "day");
    }

    #[test]
    fn periods() {
        let today = day("2026-11-27");
        let args = |date: Option<&str>, since: Option<&str>, until: Option<&str>| ReportArgs {
            date: date.map(Into::into),
            since: since.map(Into::into),
            until: until.map(Into::into),
            format: ReportFormat::Markdown,
        };
        let p = Period::from_args(&args(None, None, None), today).expect("period");
        assert_eq!(p.label(), "2026-11-27");
        let p = Period::from_args(&args(None, Some("7d"), None), today).expect("period");
        assert_eq!(p.label(), "2026-11-20 to 2026-11-27");
        let p = Period::from_args(&args(None, None, Some("yesterday")), today).expect("period");
        assert_eq!(p.label(), "up to 2026-11-26");
        assert!(
            Period::from_args(&args(Some("soon"), None, None), today)
                .unwrap_err()
                .contains("'soon'")
        );
        assert!(
            Period::from_args(&args(None, Some("today"), Some("yesterday")), today)
                .unwrap_err()
                .contains("'today'")
        );
    }
}
