//! Status lists for the CMS, mail, chat and spreadsheets.
//!
//! Renderers are pure (rows in, bytes out); `run` and `save_to` are the thin file wrappers. Text
//! from articles is untrusted: every format but JSON (which escapes by itself) passes it through
//! `crate::sanitize`, so no escape sequence reaches a terminal that shows the export.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::cli::{ExportArgs, ExportFormat};
use crate::commands::{self, Context, shown};
use crate::inbox::walk::io_reason;
use crate::listing::{self, Row};
use crate::sanitize;
use crate::state::store::{Replace, write_durably};

/// The export columns of DESIGN.md, in order, then who wrote the note and when (named as in
/// JSON and `list`), last so that no column moves.
pub const COLUMNS: [&str; 11] = [
    "id",
    "date",
    "lang",
    "status",
    "editor",
    "marked_at",
    "title",
    "source",
    "note",
    "note_by",
    "note_at",
];

/// The column CSV adds after [`COLUMNS`] (last, so that no column moves): `time`, or `day`
/// for a day without a time, whose `date` is that day's midnight in the configured zone.
/// Markdown and text need none: they write such a date as the day alone.
const PRECISION_COLUMN: &str = "date_precision";

/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR first) is
/// prefixed with a quote so it stays text.
pub fn spreadsheet_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Writes the export: filters as in `list`, then stdout or an atomically replaced file.
pub fn run(ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let filter = args
        .filters
        .with_editor(ctx.editor_filter.clone())
        .build(ctx.today())
        .map_err(|e| anyhow!(e))?;
    // A bad output path fails before the (slower) scan, and never touches the state file.
    if let Some(path) = args.output.as_ref().filter(|p| !is_stdout(p)) {
        check_target(path, &ctx.state_path)?;
    }
    let format = resolve_format(ctx, args)?;
    let mut store = ctx.store()?;
    let inbox = ctx.scan_for(&mut store.state)?;
    let rows = commands::filtered_rows(&inbox, &store, &filter, ctx.zone);
    // `-o /dev/stdout` is standard output itself (reopening it would lose a `>>`'s append,
    // and renaming over it would replace /dev/stdout).
    let output = args.output.as_ref().filter(|p| !is_stdout(p));
    match output {
        None => export_rows(format, &rows, out)?,
        Some(path) => {
            let mut bytes = Vec::new();
            export_rows(format, &rows, &mut bytes)?;
            save_to(path, &bytes, Replace::Yes)?;
            writeln!(
                out,
                "exported {} article{} to '{}'",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" },
                shown(path)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether `path` names this process's standard output (`-` too, as for most tools).
fn is_stdout(path: &Path) -> bool {
    ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]
        .iter()
        .any(|alias| path == Path::new(alias))
}

/// `--format`, else the extension of `-o`, else the config's `export_format`, else CSV.
fn resolve_format(ctx: &Context, args: &ExportArgs) -> Result<ExportFormat> {
    let by_path = args.output.as_deref().and_then(ExportFormat::of_path);
    match (args.format, by_path) {
        (Some(asked), Some(named)) if asked != named => Err(anyhow!(
            "--format {} does not match the output file '{}'",
            asked.extension(),
            shown(args.output.as_deref().unwrap_or(Path::new("")))
        )),
        (Some(asked), _) => Ok(asked),
        (None, Some(named)) => Ok(named),
        // `-o list.xls`: CSV under that name would mislead whoever opens it.
        (None, None) if let Some(ext) = args.output.as_deref().and_then(Path::extension) => {
            Err(anyhow!(
                "output file '{}': no export format has the extension '.{}' (use .csv .json .md .toml .txt, or --format)",
                shown(args.output.as_deref().unwrap_or(Path::new(""))),
                crate::sanitize::echo(&ext.to_string_lossy())
            ))
        }
        (None, None) => Ok(ctx
            .config
            .export_format
            .as_deref()
            .and_then(ExportFormat::from_name)
            .unwrap_or_default()),
    }
}

/// Writes rows in one export format.
pub fn export_rows(format: ExportFormat, rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    match format {
        ExportFormat::Csv => write_csv(rows, out),
        ExportFormat::Json => listing::write_json(rows, out),
        ExportFormat::Markdown => write_markdown(rows, out),
        ExportFormat::Toml => write_toml(rows, out),
        ExportFormat::Text => write_text(rows, out),
    }
}

/// Replaces `path` with `bytes` atomically: a temp file in the same folder, fsync, rename,
/// fsync the folder. With [`Replace::No`] a file found at `path` is an error and stays as it
/// is, even one created a moment ago. On any error the target is left as it was and the temp
/// file removed.
///
/// A device or a named pipe (`-o /dev/stdout`, also through a link) is written to as it is:
/// renaming a file over it would put a plain file in its place. A link to a file is replaced
/// itself, as `mv` would, never the file it names (a link someone planted in a shared folder
/// must not redirect an export onto their choice of file).
pub fn save_to(path: &Path, bytes: &[u8], replace: Replace) -> Result<()> {
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
        && !meta.is_dir()
    {
        return write_through(path, bytes);
    }
    let dir = target_folder(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Hidden, so that an export into the inbox is never read as an article meanwhile.
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.tmp.{}.{seq}", std::process::id()));
    let result = write_durably(&tmp, path, bytes, replace);
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|(what, e)| {
        anyhow!(
            "cannot write '{}': cannot {what}: {}",
            shown(path),
            io_reason(&e)
        )
    })?;
    File::open(&dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| anyhow!("cannot sync folder '{}': {}", shown(&dir), io_reason(&e)))
}

/// Writes to a device or a named pipe as it is. A pipe nobody reads is refused at once rather
/// than waited on.
fn write_through(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let fail = |e: std::io::Error| {
        let why = match e.raw_os_error() {
            Some(libc::ENXIO) => "nothing is reading from it".to_string(),
            _ => io_reason(&e),
        };
        anyhow!("cannot write '{}': {why}", shown(path))
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(fail)?;
    rustix::fs::fcntl_setfl(&file, rustix::fs::OFlags::empty()).map_err(|e| fail(e.into()))?;
    file.write_all(bytes).map_err(fail)
}

/// The folder an output file goes into, which must exist.
fn target_folder(path: &Path) -> Result<PathBuf> {
    if path.file_name().is_none() || path.as_os_str().to_string_lossy().ends_with('/') {
        bail!("cannot write '{}': not a file name", shown(path));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => Ok(dir),
        Ok(_) => bail!(
            "cannot write '{}': '{}' is not a folder",
            shown(path),
            shown(&dir)
        ),
        Err(e) => bail!(
            "cannot write '{}': folder '{}': {}",
            shown(path),
            shown(&dir),
            io_reason(&e)
        ),
    }
}

/// Refuses an output path that cannot be written, is a folder, or is the state file, its lock
/// or its journal.
pub(crate) fn check_target(path: &Path, state_path: &Path) -> Result<()> {
    let dir = target_folder(path)?;
    if path.is_dir() {
        bail!("cannot write '{}': it is a folder", shown(path));
    }
    let resolved = |p: &Path, d: &Path| {
        d.canonicalize()
            .ok()
            .zip(p.file_name())
            .map(|(d, n)| d.join(n))
    };
    let Some(target) = resolved(path, &dir) else {
        return Ok(());
    };
    // The state file as named, and where a link there points (the store writes there).
    let linked = crate::state::store::through_link(state_path);
    for state_path in [state_path, linked.as_path()] {
        refuse_state_files(path, &target, state_path, resolved)?;
    }
    Ok(())
}

/// Refuses an export whose `target` is the state file, its lock or its journal.
fn refuse_state_files(
    path: &Path,
    target: &Path,
    state_path: &Path,
    resolved: impl Fn(&Path, &Path) -> Option<PathBuf>,
) -> Result<()> {
    let state_dir = match state_path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut lock = state_path.as_os_str().to_os_string();
    lock.push(".lock");
    let journal = crate::state::store::journal_path(state_path);
    // Replacing the lock file would give two editors two different files to lock.
    for (own, what) in [
        (state_path, "the state file"),
        (Path::new(&lock), "the state file's lock"),
        (journal.as_path(), "the state journal"),
    ] {
        if resolved(own, &state_dir).as_deref() == Some(target) {
            bail!(
                "cannot write '{}': it is {what}; choose another output",
                shown(path)
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Renderers

/// One cell of any format, without control characters; newlines kept only when asked.
fn clean(text: &str, keep_newlines: bool) -> String {
    if keep_newlines {
        sanitize::for_terminal(text, false, true).into_owned()
    } else {
        sanitize::line(text, false)
    }
}

/// A date for people: `2026-11-27 09:14 +07:00`, in the zone it came with.
pub(crate) fn human_date(d: &DateTime<FixedOffset>) -> String {
    d.format("%Y-%m-%d %H:%M %:z").to_string()
}

/// An article's date for people: [`human_date`], or the day alone (`2026-11-22`) when its time
/// is not known, as the list and `show` write it.
pub(crate) fn human_article_date(d: &DateTime<FixedOffset>, time_known: bool) -> String {
    match time_known {
        true => human_date(d),
        false => d.format("%Y-%m-%d").to_string(),
    }
}

/// A machine date (`marked_at`, `note_at`) for people; "" when there is none.
fn human_time(raw: Option<&str>) -> String {
    raw.map(|raw| {
        DateTime::parse_from_rfc3339(raw).map_or_else(|_| raw.to_string(), |d| human_date(&d))
    })
    .unwrap_or_default()
}

/// The export cells of a row, raw (dates in machine form).
fn cells(r: &Row) -> [Cow<'_, str>; COLUMNS.len()] {
    let opt = |o: &Option<String>| Cow::Owned(o.clone().unwrap_or_default());
    [
        Cow::Borrowed(&*r.id),
        Cow::Owned(crate::time::rfc3339(&r.date)),
        Cow::Borrowed(&*r.lang),
        Cow::Borrowed(r.status.as_str()),
        opt(&r.editor),
        opt(&r.marked_at),
        Cow::Borrowed(&*r.title),
        opt(&r.source),
        opt(&r.note),
        opt(&r.note_by),
        opt(&r.note_at),
    ]
}

/// The cells for people: one line each, short dates.
fn human_cells(r: &Row) -> [String; COLUMNS.len()] {
    let mut c = cells(r).map(|c| clean(&c, false));
    c[1] = human_article_date(&r.date, r.time_known);
    c[5] = human_time(r.marked_at.as_deref());
    c[10] = human_time(r.note_at.as_deref());
    c
}

/// Keeps the `io::Error` inside a CSV error, so that a closed pipe stays a closed pipe
/// (`csv`'s own `From` impl turns it into `ErrorKind::Other`).
pub(crate) fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        kind => io::Error::other(format!("CSV: {kind:?}")),
    }
}

/// A CSV cell: sanitised and kept from turning into a spreadsheet formula.
pub(crate) fn csv_cell(text: &str) -> String {
    spreadsheet_safe(&clean(text, true))
}

/// RFC 4180 CSV with a header; every cell sanitised and kept from turning into a formula.
pub fn write_csv(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let header = COLUMNS.iter().chain([&PRECISION_COLUMN]);
    w.write_record(header).map_err(csv_io)?;
    for r in rows {
        let cells = cells(r).map(|c| csv_cell(&c));
        let precision = crate::time::precision(r.time_known).to_string();
        let record = cells.into_iter().chain([precision]);
        w.write_record(record).map_err(csv_io)?;
    }
    w.flush()
}

/// Escapes what Markdown (CommonMark, GFM tables) would read as markup.
pub(crate) fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A code span for ids: a fence longer than any backtick run inside, `|` escaped for tables.
pub(crate) fn md_code(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
}

/// A GFM table (GitHub, GitLab, Mattermost...), one article per row.
pub fn write_markdown(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "| {} |", COLUMNS.join(" | "))?;
    writeln!(out, "|{}", " --- |".repeat(COLUMNS.len()))?;
    for r in rows {
        let c = human_cells(r);
        let cells: Vec<String> = c
            .iter()
            .enumerate()
            .map(|(i, cell)| match i {
                0 => md_code(cell),
                _ => md_escape(cell),
            })
            .collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

/// One line per article for mail: the columns joined by ` | `, `-` when empty.
pub fn write_text(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    for r in rows {
        let c = human_cells(r).map(|s| text_cell(&s));
        writeln!(out, "{}", c.join(" | "))?;
    }
    Ok(())
}

/// A field of the text export: `-` when empty; a `|` or `\` inside is escaped with `\` (and a
/// field that is `-` itself is `\-`), so that " | " only ever separates fields.
fn text_cell(cell: &str) -> String {
    match cell {
        "" => "-".to_string(),
        "-" => "\\-".to_string(),
        _ => cell.replace('\\', "\\\\").replace('|', "\\|"),
    }
}

/// A date as a TOML date-time when it is one, else as a string.
#[derive(Serialize)]
#[serde(untagged)]
enum TomlDate {
    Datetime(toml::value::Datetime),
    Text(String),
}

impl TomlDate {
    fn new(rfc3339: &str) -> Self {
        rfc3339
            .parse()
            .map_or_else(|_| Self::Text(rfc3339.to_string()), Self::Datetime)
    }
}

#[derive(Serialize)]
struct TomlArticle {
    id: String,
    date: TomlDate,
    date_precision: &'static str,
    lang: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    editor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    marked_at: Option<TomlDate>,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note_at: Option<TomlDate>,
}

#[derive(Serialize)]
struct TomlExport {
    article: Vec<TomlArticle>,
}

/// An array of tables `[[article]]`; TOML has no null, so missing values are left out.
pub fn write_toml(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    let text = |s: &str| clean(s, true);
    let article = rows
        .iter()
        .map(|r| TomlArticle {
            id: text(&r.id),
            date: TomlDate::new(&crate::time::rfc3339(&r.date)),
            date_precision: crate::time::precision(r.time_known),
            lang: text(&r.lang),
            status: r.status.as_str(),
            editor: r.editor.as_deref().map(text),
            marked_at: r.marked_at.as_deref().map(TomlDate::new),
            title: text(&r.title),
            source: r.source.as_deref().map(text),
            note: r.note.as_deref().map(text),
            note_by: r.note_by.as_deref().map(text),
            note_at: r.note_at.as_deref().map(TomlDate::new),
        })
        .collect();
    let doc = toml::to_string(&TomlExport { article }).map_err(io::Error::other)?;
    out.write_all(doc.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Status;

    #[test]
    fn an_export_that_must_not_replace_leaves_a_file_found_there() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("suspects.csv");
        save_to(&path, b"first\n", Replace::No)?;
        assert_eq!(std::fs::read(&path)?, b"first\n");
        // Someone else's file, created after the editor was asked: kept, and said so.
        let err = save_to(&path, b"second\n", Replace::No).expect_err("replaced");
        assert!(
            format!("{err:#}").contains("a file of that name is there"),
            "{err:#}"
        );
        assert_eq!(std::fs::read(&path)?, b"first\n");
        save_to(&path, b"third\n", Replace::Yes)?;
        assert_eq!(std::fs::read(&path)?, b"third\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())?
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["suspects.csv"], "no temporary file left");
        Ok(())
    }

    #[test]
    fn formulas_stay_text() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("-5 dead"), "'-5 dead");
        assert_eq!(spreadsheet_safe("Banjir"), "Banjir");
    }

    fn row(id: &str, title: &str, date: &str) -> Row {
        Row {
            id: id.into(),
            title: title.into(),
            date: DateTime::parse_from_rfc3339(date).expect("date"),
            date_source: "metadata",
            time_known: true,
            lang: "fr".into(),
            declared_lang: Some("fr".into()),
            detected_lang: "fr".into(),
            lang_confidence: 1.0,
            status: Status::Untriaged,
            format: "markdown",
            source: None,
            signals: vec![],
            editor: None,
            marked_at: None,
            note: None,
            note_by: None,
            note_at: None,
            warnings: vec![],
        }
    }

    /// A suspect with a hostile note by another editor (whose name holds the text export's
    /// separator and escape), an untriaged formula title with an escape sequence, and an
    /// article dated by a day without a time (taken at midnight).
    fn rows() -> Vec<Row> {
        let mut suspect = row(
            "mt/banjir.fr",
            "Inondations | Semarang",
            "2026-11-24T06:45:00+07:00",
        );
        suspect.status = Status::TranslationSuspect;
        suspect.editor = Some("ayu".into());
        suspect.marked_at = Some("2026-11-27T09:14:03+07:00".into());
        suspect.source = Some("Kabar *Jateng*".into());
        suspect.note = Some("MT, \"check\" quotes\nsecond line".into());
        suspect.note_by = Some("marc | desk\\2".into());
        suspect.note_at = Some("2026-11-27T11:02:05+07:00".into());
        let mut formula = row("wire/x", "=SUM(A1)\u{1b}[2J end", "2026-11-27T01:30:00Z");
        formula.lang = "en".into();
        let mut day = row("mt/panen.en", "Harvest", "2026-11-22T00:00:00+07:00");
        day.time_known = false;
        vec![suspect, formula, day]
    }

    fn render(format: ExportFormat) -> String {
        let mut out = Vec::new();
        export_rows(format, &rows(), &mut out).expect("render");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn csv_is_rfc4180_sanitised_and_formula_safe() {
        assert_eq!(
            render(ExportFormat::Csv),
            "id,date,lang,status,editor,marked_at,title,source,note,note_by,note_at,\
             date_precision\n\
             mt/banjir.fr,2026-11-24T06:45:00+07:00,fr,translation-suspect,ayu,\
             2026-11-27T09:14:03+07:00,Inondations | Semarang,Kabar *Jateng*,\
             \"MT, \"\"check\"\" quotes\nsecond line\",marc | desk\\2,2026-11-27T11:02:05+07:00,\
             time\n\
             wire/x,2026-11-27T01:30:00Z,en,untriaged,,,'=SUM(A1)␛[2J end,,,,,time\n\
             mt/panen.en,2026-11-22T00:00:00+07:00,fr,untriaged,,,Harvest,,,,,day\n"
        );
    }

    #[test]
    fn markdown_is_one_escaped_table() {
        assert_eq!(
            render(ExportFormat::Markdown),
            "| id | date | lang | status | editor | marked_at | title | source | note | note_by \
             | note_at |\n\
             | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n\
             | `mt/banjir.fr` | 2026-11-24 06:45 +07:00 | fr | translation-suspect | ayu | \
             2026-11-27 09:14 +07:00 | Inondations \\| Semarang | Kabar \\*Jateng\\* | \
             MT, \"check\" quotes second line | marc \\| desk\\\\2 | 2026-11-27 11:02 +07:00 |\n\
             | `wire/x` | 2026-11-27 01:30 +00:00 | en | untriaged |  |  | =SUM(A1)␛\\[2J end \
             |  |  |  |  |\n\
             | `mt/panen.en` | 2026-11-22 | fr | untriaged |  |  | Harvest |  |  |  |  |\n"
        );
    }

    #[test]
    fn text_is_one_line_per_article() {
        assert_eq!(
            render(ExportFormat::Text),
            "mt/banjir.fr | 2026-11-24 06:45 +07:00 | fr | translation-suspect | ayu | \
             2026-11-27 09:14 +07:00 | Inondations \\| Semarang | Kabar *Jateng* | \
             MT, \"check\" quotes second line | marc \\| desk\\\\2 | 2026-11-27 11:02 +07:00\n\
             wire/x | 2026-11-27 01:30 +00:00 | en | untriaged | - | - | =SUM(A1)␛[2J end | - | - \
             | - | -\n\
             mt/panen.en | 2026-11-22 | fr | untriaged | - | - | Harvest | - | - | - | -\n"
        );
    }

    #[test]
    fn text_fields_never_hold_a_bare_separator() {
        assert_eq!(text_cell(""), "-");
        assert_eq!(text_cell("-"), "\\-");
        assert_eq!(text_cell("a | b \\ c"), "a \\| b \\\\ c");
        assert_eq!(text_cell("plain"), "plain");
    }

    #[test]
    fn toml_is_an_array_of_tables() {
        assert_eq!(
            render(ExportFormat::Toml),
            "[[article]]\nid = \"mt/banjir.fr\"\ndate = 2026-11-24T06:45:00+07:00\n\
             date_precision = \"time\"\nlang = \"fr\"\n\
             status = \"translation-suspect\"\neditor = \"ayu\"\nmarked_at = 2026-11-27T09:14:03+07:00\n\
             title = \"Inondations | Semarang\"\nsource = \"Kabar *Jateng*\"\n\
             note = \"\"\"\nMT, \"check\" quotes\nsecond line\"\"\"\n\
             note_by = 'marc | desk\\2'\nnote_at = 2026-11-27T11:02:05+07:00\n\n\
             [[article]]\nid = \"wire/x\"\ndate = 2026-11-27T01:30:00Z\n\
             date_precision = \"time\"\nlang = \"en\"\n\
             status = \"untriaged\"\ntitle = \"=SUM(A1)␛[2J end\"\n\n\
             [[article]]\nid = \"mt/panen.en\"\ndate = 2026-11-22T00:00:00+07:00\n\
             date_precision = \"day\"\nlang = \"fr\"\nstatus = \"untriaged\"\n\
             title = \"Harvest\"\n"
        );
        let back: toml::Table = render(ExportFormat::Toml).parse().expect("toml");
        let articles = back["article"].as_array().expect("array");
        assert_eq!(
            articles[0]["note"].as_str(),
            Some("MT, \"check\" quotes\nsecond line")
        );
    }

    #[test]
    fn json_keeps_the_design_field_names() {
        let json: serde_json::Value =
            serde_json::from_str(&render(ExportFormat::Json)).expect("json");
        assert_eq!(json[0]["marked_at"], "2026-11-27T09:14:03+07:00");
        assert_eq!(json[1]["title"], "=SUM(A1)\u{1b}[2J end");
        assert_eq!(json[1]["note"], serde_json::Value::Null);
        assert_eq!(json[0]["note_by"], "marc | desk\\2");
        assert_eq!(json[0]["note_at"], "2026-11-27T11:02:05+07:00");
        assert_eq!(json[1]["note_at"], serde_json::Value::Null);
        // A day without a time keeps its RFC 3339 midnight, and says it is a day.
        assert_eq!(json[1]["date"], "2026-11-27T01:30:00Z");
        assert_eq!(json[1]["date_precision"], "time");
        assert_eq!(json[2]["date"], "2026-11-22T00:00:00+07:00");
        assert_eq!(json[2]["date_precision"], "day");
    }

    #[test]
    fn no_rows_still_give_valid_documents() {
        let empty = |f| {
            let mut out = Vec::new();
            export_rows(f, &[], &mut out).expect("render");
            String::from_utf8(out).expect("utf-8")
        };
        assert_eq!(empty(ExportFormat::Csv).lines().count(), 1);
        assert_eq!(empty(ExportFormat::Markdown).lines().count(), 2);
        assert_eq!(empty(ExportFormat::Text), "");
        assert!(empty(ExportFormat::Toml).parse::<toml::Table>().is_ok());
        assert_eq!(empty(ExportFormat::Json).trim(), "[]");
    }

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(md_code("a_b"), "`a_b`");
        assert_eq!(md_code("a`b|c"), "``a`b\\|c``");
        assert_eq!(md_code("`x"), "`` `x ``");
        assert_eq!(md_escape("<b>&amp; 1|2"), "\\<b\\>\\&amp; 1\\|2");
    }
}
