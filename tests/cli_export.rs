//! `copydesk export` run as a binary on a temp copy of the sample inbox.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use chrono::DateTime;
use common::{Desk, NOTE, NOTE_DEMAK, REVIEW, SUSPECTS, mark_sample};
use serde_json::Value;

const HEADER: [&str; 11] = [
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

/// The CSV export's columns: the others, then whether the date has a time.
fn csv_header() -> Vec<&'static str> {
    HEADER.into_iter().chain(["date_precision"]).collect()
}

/// A decision as every format must give it back, times to the minute as people read them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Mark {
    id: String,
    status: String,
    editor: String,
    marked_at: String,
    note: String,
    /// Who wrote the note and when, where that was not the decision.
    note_by: String,
    note_at: String,
}

/// A machine date as Markdown and text exports show it; "" stays "" (no decision).
fn minute(rfc3339: &str) -> String {
    if rfc3339.is_empty() {
        return String::new();
    }
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("RFC 3339 date")
        .format("%Y-%m-%d %H:%M %:z")
        .to_string()
}

fn sorted(mut marks: Vec<Mark>) -> Vec<Mark> {
    marks.sort();
    marks
}

/// The export cells of a `list --format json` row.
fn cells_of(row: &Value) -> Vec<String> {
    cells_named(row, &HEADER)
}

/// The values of a `list --format json` row under these names, as text.
fn cells_named(row: &Value, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|k| match &row[*k] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        })
        .collect()
}

/// A decision from the export cells, whose times are for machines.
fn mark_of_cells(c: &[String]) -> Mark {
    Mark {
        marked_at: minute(&c[5]),
        note_at: minute(&c[10]),
        ..mark_of_shown(c, "")
    }
}

/// A decision from the columns of a Markdown or text line, whose times are for people.
fn mark_of_shown(c: &[String], line: &str) -> Mark {
    assert_eq!(c.len(), HEADER.len(), "{line}");
    Mark {
        id: c[0].clone(),
        status: c[3].clone(),
        editor: c[4].clone(),
        marked_at: c[5].clone(),
        note: c[8].clone(),
        note_by: c[9].clone(),
        note_at: c[10].clone(),
    }
}

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("CSV record").iter().map(str::to_string).collect())
        .collect()
}

/// Rows as Python's csv module reads them, or None (with a message) without python3.
fn python_csv(path: &Path) -> Option<Vec<Vec<String>>> {
    let script = "import csv, json, sys\n\
                  with open(sys.argv[1], newline='', encoding='utf-8') as f:\n\
                  \x20   json.dump(list(csv.reader(f)), sys.stdout)\n";
    match Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
    {
        Ok(out) if out.status.success() => {
            Some(serde_json::from_slice(&out.stdout).expect("python JSON"))
        }
        Ok(out) => panic!(
            "python3 could not read the CSV: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => {
            println!("skipping the Python csv check: python3 not runnable ({e})");
            None
        }
    }
}

/// Splits a GFM table row on unescaped pipes and undoes the backslash escapes.
fn markdown_cells(line: &str) -> Vec<String> {
    let inner = line
        .trim()
        .strip_prefix('|')
        .and_then(|l| l.strip_suffix('|'))
        .expect("table row");
    split_on_bars(inner)
        .iter()
        .map(|c| unescape(c.trim().trim_matches('`')))
        .collect()
}

/// Splits a text export line on its " | " separators and undoes the backslash escapes; `-` is
/// an empty field (and `\-` a dash).
fn text_cells(line: &str) -> Vec<String> {
    split_on_bars(line)
        .iter()
        .map(|c| {
            let c = c.strip_prefix(' ').unwrap_or(c);
            match c.strip_suffix(' ').unwrap_or(c) {
                "-" => String::new(),
                c => unescape(c),
            }
        })
        .collect()
}

/// Splits on the `|` not escaped with `\`, escapes kept (Markdown and text exports).
fn split_on_bars(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        let cell = cells.last_mut().expect("cell");
        match c {
            '\\' => {
                cell.push(c);
                cell.extend(chars.next());
            }
            '|' => cells.push(String::new()),
            c => cell.push(c),
        }
    }
    cells
}

/// Undoes the backslash escapes of a Markdown or text cell.
fn unescape(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

#[test]
fn suspects_come_back_identically_in_every_format() {
    let desk = Desk::new();
    mark_sample(&desk);
    let export = |format: &str| {
        desk.ok(&[
            "export",
            "--status",
            "translation-suspect",
            "--format",
            format,
        ])
    };

    // JSON: the rows of `list`, field names and all.
    let listed = desk.list_json(&["--status", "translation-suspect"]);
    let json: Vec<Value> = serde_json::from_str(&export("json")).expect("export JSON");
    assert_eq!(json, listed);
    let mut ids: Vec<&str> = json.iter().map(|r| r["id"].as_str().expect("id")).collect();
    ids.sort_unstable();
    let mut want = SUSPECTS.to_vec();
    want.sort_unstable();
    assert_eq!(ids, want, "exactly the marked articles");
    let expected_rows: Vec<Vec<String>> = json.iter().map(cells_of).collect();
    let expected = sorted(expected_rows.iter().map(|c| mark_of_cells(c)).collect());
    let notes: Vec<&str> = expected.iter().map(|m| m.note.as_str()).collect();
    assert_eq!(notes, [NOTE, NOTE, NOTE_DEMAK]);

    // CSV, written with -o, read by the csv crate and by Python.
    let out = desk.root.join("suspects.csv");
    let said = desk.ok(&[
        "export",
        "--status",
        "translation-suspect",
        "-o",
        out.to_str().expect("path"),
    ]);
    assert!(said.contains("exported 3 articles"), "{said}");
    let csv_text = fs::read_to_string(&out).expect("CSV file");
    assert_eq!(csv_text, export("csv"), "-o writes what stdout shows");
    let rows = parse_csv(&csv_text);
    assert_eq!(rows[0], csv_header());
    let expected_csv: Vec<Vec<String>> =
        json.iter().map(|r| cells_named(r, &csv_header())).collect();
    assert_eq!(rows[1..], expected_csv[..], "CSV cells are the JSON values");
    if let Some(py) = python_csv(&out) {
        assert_eq!(py, rows, "Python reads the same rows");
    }

    // TOML dates and titles are the JSON ones.
    let doc: toml::Table = export("toml").parse().expect("TOML");
    let articles = doc["article"].as_array().expect("[[article]]");
    for (a, row) in articles.iter().zip(&json) {
        let date = a["date"].as_datetime().expect("date").to_string();
        let want = row["date"].as_str().expect("date");
        assert_eq!(
            DateTime::parse_from_rfc3339(&date).expect("date"),
            DateTime::parse_from_rfc3339(want).expect("date")
        );
        assert_eq!(a["title"].as_str(), row["title"].as_str());
    }

    // Markdown: a header, a delimiter row, one row per article.
    let md = export("markdown");
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(markdown_cells(lines[0]), HEADER);
    assert!(lines[1].starts_with("| --- |"), "{md}");

    // Every format gives the decisions back as JSON has them.
    for format in FORMATS {
        assert_eq!(marks_of(format, &export(format)), expected, "{format}");
    }
}

/// Every export format, by its `--format` name.
const FORMATS: [&str; 5] = ["json", "csv", "toml", "markdown", "text"];

/// The marks of an export, read back as each format's readers would, sorted.
fn marks_of(format: &str, text: &str) -> Vec<Mark> {
    let marks = match format {
        "json" => {
            let rows: Vec<Value> = serde_json::from_str(text).expect("JSON");
            rows.iter().map(|r| mark_of_cells(&cells_of(r))).collect()
        }
        // `date_precision`, last, says nothing of the decision.
        "csv" => parse_csv(text)[1..]
            .iter()
            .map(|c| mark_of_cells(&c[..HEADER.len()]))
            .collect(),
        "toml" => {
            let doc: toml::Table = text.parse().expect("TOML");
            let articles = doc["article"].as_array().expect("[[article]]");
            articles.iter().map(mark_of_toml).collect()
        }
        // A header and a delimiter row, then one row per article.
        "markdown" => text
            .lines()
            .skip(2)
            .map(|l| mark_of_shown(&markdown_cells(l), l))
            .collect(),
        // One line per article, the columns joined by " | ", a `|` or `\` inside a field
        // escaped with `\`.
        "text" => text
            .lines()
            .map(|l| mark_of_shown(&text_cells(l), l))
            .collect(),
        other => panic!("no export format '{other}'"),
    };
    sorted(marks)
}

/// A decision from a TOML `[[article]]` table, where missing values are left out.
fn mark_of_toml(a: &toml::Value) -> Mark {
    let s = |k: &str| {
        a.get(k)
            .map(|v| v.as_str().expect(k).to_string())
            .unwrap_or_default()
    };
    let time = |k: &str| {
        a.get(k)
            .map(|v| minute(&v.as_datetime().expect(k).to_string()))
            .unwrap_or_default()
    };
    Mark {
        id: s("id"),
        status: s("status"),
        editor: s("editor"),
        marked_at: time("marked_at"),
        note: s("note"),
        note_by: s("note_by"),
        note_at: time("note_at"),
    }
}

/// Who wrote a note on undecided copy: a name with the text export's separator and escape.
const NIGHT_DESK: &str = "night | desk\\2";

#[test]
fn every_format_names_who_wrote_the_note_and_when() {
    let desk = Desk::new();
    // root decides with a note, marc replaces the note; a night editor notes copy nobody has
    // decided.
    let suspect = SUSPECTS[0];
    desk.mark_at(
        "2026-11-27T09:00:00+07:00",
        "root",
        &[suspect],
        "translation-suspect",
        Some("check quotes"),
    );
    desk.mark_at(
        "2026-11-27T09:30:00+07:00",
        "marc",
        &[suspect],
        "",
        Some("quotes checked"),
    );
    desk.mark_at(
        "2026-11-27T09:45:00+07:00",
        NIGHT_DESK,
        &[REVIEW],
        "",
        Some("ask the Kazan desk"),
    );
    let mark = |id: &str, status: &str, editor: &str, marked_at: &str, by: &str, at: &str, note| {
        let s = |s: &str| s.to_string();
        Mark {
            id: s(id),
            status: s(status),
            editor: s(editor),
            marked_at: s(marked_at),
            note: s(note),
            note_by: s(by),
            note_at: s(at),
        }
    };
    let expected = sorted(vec![
        mark(
            suspect,
            "translation-suspect",
            "root",
            "2026-11-27 09:00 +07:00",
            "marc",
            "2026-11-27 09:30 +07:00",
            "quotes checked",
        ),
        mark(
            REVIEW,
            "untriaged",
            "",
            "",
            NIGHT_DESK,
            "2026-11-27 09:45 +07:00",
            "ask the Kazan desk",
        ),
    ]);
    for format in FORMATS {
        let out = desk.ok(&["export", "--format", format]);
        let noted: Vec<Mark> = marks_of(format, &out)
            .into_iter()
            .filter(|m| m.id == suspect || m.id == REVIEW)
            .collect();
        assert_eq!(noted, expected, "{format}:\n{out}");
    }

    // `list --format csv` names the note's author and time as export does, with the same values.
    let export = parse_csv(&desk.ok(&["export", "--format", "csv"]));
    let list = parse_csv(&desk.ok(&["list", "--format", "csv"]));
    let column = |rows: &[Vec<String>], name: &str, id: &str| {
        let at = rows[0].iter().position(|c| c == name).expect(name);
        let row = rows.iter().find(|r| r[0] == id).expect(id);
        row[at].clone()
    };
    for name in ["note_by", "note_at"] {
        for id in [suspect, REVIEW] {
            assert_eq!(column(&export, name, id), column(&list, name, id), "{name}");
        }
    }
}

/// The sample's article dated by a day alone (`date = 2026-11-22` in its front matter).
const DAY_ONLY: &str = "mt/panen-padi-demak.en";

/// Column `name` of every row of a CSV with a header, by id (the first column).
fn csv_column(text: &str, name: &str) -> Vec<(String, String)> {
    let rows = parse_csv(text);
    let at = rows[0].iter().position(|c| c == name).expect(name);
    rows[1..]
        .iter()
        .map(|r| (r[0].clone(), r[at].clone()))
        .collect()
}

#[test]
fn a_day_without_a_time_stays_a_day_in_every_format() {
    let desk = Desk::new();
    let json: Vec<Value> =
        serde_json::from_str(&desk.ok(&["export", "--format", "json"])).expect("export JSON");
    let field = |r: &Value, k: &str| r[k].as_str().expect(k).to_string();
    let day = json.iter().find(|r| r["id"] == DAY_ONLY).expect(DAY_ONLY);
    // Machines: `date` keeps its RFC 3339 shape (midnight in the zone), `date_precision` says
    // it is a day.
    assert_eq!(day["date"], "2026-11-22T00:00:00+07:00");
    assert_eq!(day["date_precision"], "day");
    assert_eq!(day["date_source"], "metadata");
    // The days are the dates the list shows without a time (`--:--`), and only those.
    let list = desk.ok(&["list"]);
    let mut days_listed: Vec<String> = list
        .lines()
        .skip(1)
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            (w[2] == "--:--").then(|| w[4].to_string())
        })
        .collect();
    let mut days: Vec<String> = json
        .iter()
        .filter(|r| field(r, "date_precision") == "day")
        .map(|r| field(r, "id"))
        .collect();
    days_listed.sort();
    days.sort();
    assert!(
        days.len() > 1 && days.contains(&DAY_ONLY.to_string()),
        "{days:?}"
    );
    assert_eq!(days, days_listed, "{list}");
    assert!(
        json.iter()
            .all(|r| ["day", "time"].contains(&field(r, "date_precision").as_str())),
        "{json:?}"
    );
    // CSV (export and list) and TOML say the same of every article.
    let precision: Vec<(String, String)> = json
        .iter()
        .map(|r| (field(r, "id"), field(r, "date_precision")))
        .collect();
    for args in [["export", "--format", "csv"], ["list", "--format", "csv"]] {
        let csv = desk.ok(&args);
        assert_eq!(csv_column(&csv, "date_precision"), precision, "{args:?}");
    }
    let doc: toml::Table = desk
        .ok(&["export", "--format", "toml"])
        .parse()
        .expect("TOML");
    let toml_precision: Vec<(String, String)> = doc["article"]
        .as_array()
        .expect("[[article]]")
        .iter()
        .map(|a| {
            let s = |k: &str| a[k].as_str().expect(k).to_string();
            (s("id"), s("date_precision"))
        })
        .collect();
    assert_eq!(toml_precision, precision);
    // People: the day alone, as the list and `show` write it; a time where there is one.
    let shown_dates: Vec<(String, String)> = json
        .iter()
        .map(|r| {
            let date = field(r, "date");
            let shown = match field(r, "date_precision").as_str() {
                "day" => date[..10].to_string(),
                _ => minute(&date),
            };
            (field(r, "id"), shown)
        })
        .collect();
    let md = desk.ok(&["export", "--format", "markdown"]);
    let md_dates: Vec<(String, String)> = md
        .lines()
        .skip(2)
        .map(|l| {
            let c = markdown_cells(l);
            (c[0].clone(), c[1].clone())
        })
        .collect();
    assert_eq!(md_dates, shown_dates, "{md}");
    let text = desk.ok(&["export", "--format", "text"]);
    let text_dates: Vec<(String, String)> = text
        .lines()
        .map(|l| {
            let c = text_cells(l);
            (c[0].clone(), c[1].clone())
        })
        .collect();
    assert_eq!(text_dates, shown_dates, "{text}");
    assert!(
        md.contains(&format!("| `{DAY_ONLY}` | 2026-11-22 | en |")),
        "{md}"
    );
    assert!(!md.contains("2026-11-22 00:00") && !text.contains("2026-11-22 00:00"));
    // Filters read the day as before: in on the 22nd, out from the 23rd.
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["export", "--format", "json"];
        all.extend(args);
        let rows: Vec<Value> = serde_json::from_str(&desk.ok(&all)).expect("JSON");
        rows.iter().map(|r| field(r, "id")).collect()
    };
    let has = |args: &[&str]| ids(args).contains(&DAY_ONLY.to_string());
    assert!(has(&["--since", "2026-11-22", "--until", "2026-11-22"]));
    assert!(!has(&["--since", "2026-11-23"]));
    assert!(!has(&["--until", "2026-11-21"]));
}

const FORMULA: &str = "=HYPERLINK(\"http://evil.example/\",\"Click here\")";
const BODY: &str = "The city council approved the new harbour budget on Thursday after a long \
                    debate about dredging costs, ferry subsidies and the repair of the old \
                    breakwater near the fish market.\n";

#[test]
fn formula_titles_and_escape_sequences_stay_text() {
    let desk = Desk::new();
    desk.add(
        "wire/formula.md",
        &format!(
            "---\ntitle: '{FORMULA}'\ndate: 2026-11-27T08:00:00+07:00\nlang: en\n\
             source: \"@wire\"\n---\n\n{BODY}"
        ),
    );
    desk.add(
        "wire/escape.txt",
        &format!("Council \x1b]0;pwned\x07approves \x1b[31mbudget\x1b[0m\u{202E}\n\n{BODY}"),
    );
    let export = |format: &str| desk.ok(&["export", "--format", format]);

    // Without filters: every article, untriaged ones included, in `list` order.
    let listed = desk.list_json(&[]);
    let json: Vec<Value> = serde_json::from_str(&export("json")).expect("JSON");
    assert_eq!(json, listed);
    assert!(json.len() > 40 && json.iter().all(|r| r["status"] == "untriaged"));
    let escape = json
        .iter()
        .find(|r| r["id"] == "wire/escape")
        .expect("escape article");
    assert!(escape["title"].as_str().expect("title").contains('\x1b'));
    assert!(
        !serde_json::to_string(&json).expect("json").contains('\x1b'),
        "JSON escapes control characters"
    );

    let csv_text = export("csv");
    let rows = parse_csv(&csv_text);
    assert_eq!(rows.len(), json.len() + 1);
    let formula = rows
        .iter()
        .find(|r| r[0] == "wire/formula")
        .expect("formula row");
    assert_eq!(formula[6], format!("'{FORMULA}"), "title neutralised");
    assert_eq!(formula[7], "'@wire", "source neutralised");
    let path = desk.root.join("all.csv");
    fs::write(&path, &csv_text).expect("write CSV");
    if let Some(py) = python_csv(&path) {
        assert_eq!(py, rows);
    }

    let text = export("text");
    let line = text
        .lines()
        .find(|l| l.starts_with("wire/formula | "))
        .expect("formula line");
    assert!(
        line.contains(&format!(" | {FORMULA} | @wire | -")),
        "{line}"
    );
    let md = export("markdown");
    assert!(md.contains(&format!("| {FORMULA} | @wire |")), "{md}");
    let doc: toml::Table = export("toml").parse().expect("TOML");
    let titles: Vec<&str> = doc["article"]
        .as_array()
        .expect("articles")
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(titles.contains(&FORMULA));

    for (format, out) in [("csv", &csv_text), ("text", &text), ("markdown", &md)] {
        assert_no_controls(format, out);
    }
    assert_no_controls("toml", &export("toml"));
    assert!(text.contains("Council ␛]0;pwned␇approves ␛[31mbudget␛[0m‹RLO›"));
}

fn assert_no_controls(format: &str, out: &str) {
    let bad: Vec<char> = out
        .chars()
        .filter(|c| {
            (c.is_control() && *c != '\n')
                || ('\u{202A}'..='\u{202E}').contains(c)
                || ('\u{2066}'..='\u{2069}').contains(c)
        })
        .collect();
    assert!(bad.is_empty(), "{format} export holds {bad:?}");
}

#[test]
fn the_editor_filter_and_output_files() {
    let desk = Desk::new();
    desk.mark(
        "marc",
        &["wire/kazan-tram.ru", "web/musee-soie-lyon"],
        "needs-review",
        None,
    );
    desk.mark("ayu", &["web/musee-soie-lyon"], "verified", None);
    let mine = desk.ok(&["--editor", "marc", "export", "--format", "text"]);
    assert_eq!(mine.lines().count(), 1, "{mine}");
    assert!(mine.starts_with("wire/kazan-tram.ru | "), "{mine}");

    // An existing file is replaced whole, with no temp file left beside it.
    let out = desk.root.join("exports").join("review.md");
    fs::create_dir_all(out.parent().expect("parent")).expect("folder");
    fs::write(
        &out,
        "old content that is much longer than the new export ".repeat(200),
    )
    .expect("old file");
    let o = out.to_str().expect("path");
    let said = desk.ok(&["--editor", "ayu", "export", "--format", "markdown", "-o", o]);
    assert_eq!(said, format!("exported 1 article to '{o}'\n"));
    let written = fs::read_to_string(&out).expect("export");
    assert_eq!(written.lines().count(), 3, "{written}");
    assert!(written.contains("| `web/musee-soie-lyon` |"), "{written}");
    let names: Vec<_> = fs::read_dir(out.parent().expect("parent"))
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["review.md"]);
}

#[test]
fn bad_requests_exit_2_and_change_nothing() {
    let desk = Desk::new();
    desk.mark("ayu", &[SUSPECTS[0]], "translation-suspect", Some("MT"));
    let old = desk.root.join("old.csv");
    fs::write(&old, "kept\n").expect("old export");
    let o = old.to_str().expect("path");
    for (args, value) in [
        (vec!["--status", "approved"], "'approved'"),
        (vec!["--status", "verified,Verified"], "'Verified'"),
        (vec!["--lang", "french"], "'french'"),
        (vec!["--signal", "vibes"], "'vibes'"),
        (vec!["--since", "soon"], "'soon'"),
        (vec!["--until", "2026-13-01"], "'2026-13-01'"),
        (vec!["--format", "xlsx"], "'xlsx'"),
        (vec!["--status", ""], "--status '' names nothing"),
        (vec!["--lang", " , "], "--lang ' , ' names nothing"),
    ] {
        let mut full = vec!["export"];
        full.extend(&args);
        desk.refused(&full, value);
        full.extend(["-o", o]);
        desk.refused(&full, value);
        assert_eq!(fs::read_to_string(&old).expect("old"), "kept\n", "{full:?}");
    }

    let missing = desk.root.join("no-such-folder").join("out.csv");
    let not_a_folder = old.join("out.csv");
    let state = desk.state_path();
    let lock = desk.inbox.join(".copydesk").join("state.toml.lock");
    let journal = desk.inbox.join(".copydesk").join("state.journal.toml");
    for target in [&missing, &not_a_folder, &state, &lock, &journal, &desk.root] {
        let t = target.to_str().expect("path");
        let err = desk.refused(&["export", "-o", t], &format!("'{t}'"));
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(!missing.exists() && !not_a_folder.exists());
    }
    #[cfg(target_os = "linux")]
    {
        let err = desk.refused(&["export", "-o", "/proc/copydesk-export.csv"], "'/proc/");
        assert_eq!(err.lines().count(), 1, "{err}");
    }

    // A folder without write permission (root writes anyway: then there is nothing to test).
    let locked = desk.root.join("locked");
    fs::create_dir(&locked).expect("folder");
    let mut perms = fs::metadata(&locked).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o555);
    fs::set_permissions(&locked, perms).expect("chmod");
    if fs::write(locked.join("probe"), "x").is_ok() {
        println!("skipping the permission check: this user writes into read-only folders");
    } else {
        let target = locked.join("out.csv");
        let t = target.to_str().expect("path");
        let err = desk.refused(&["export", "-o", t], &format!("'{t}'"));
        assert!(err.contains("permission denied"), "{err}");
        assert_eq!(
            fs::read_dir(&locked).expect("list").count(),
            0,
            "no partial file"
        );
    }
}

#[test]
fn the_output_name_chooses_the_format_and_a_clash_is_refused() {
    let desk = Desk::new();
    let out = desk.root.join("suspects.json");
    desk.ok(&["export", "-o", out.to_str().expect("path")]);
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("JSON");
    assert_eq!(rows.len(), desk.list_json(&[]).len());
    let clash = desk.root.join("x.json");
    let stderr = desk.refused(
        &[
            "export",
            "--format",
            "csv",
            "-o",
            clash.to_str().expect("path"),
        ],
        "--format csv",
    );
    assert!(stderr.contains("x.json"), "{stderr}");
    assert!(!clash.exists());
    // A name no format has: refused, rather than CSV under a spreadsheet's name.
    let xls = desk.root.join("x.xls");
    desk.refused(&["export", "-o", xls.to_str().expect("path")], "'.xls'");
    assert!(!xls.exists());
}

#[test]
fn every_output_writes_a_date_one_way_in_whole_seconds_and_z_for_utc() {
    let desk = Desk::empty();
    fs::write(&desk.config, "timezone = \"UTC\"\n").expect("config");
    desk.add(
        "budget.txt",
        "Council passes the harbour budget\n\nThe council met on Monday evening and voted the budget through after a long debate about roads.\n",
    );
    // An arrival time with nanoseconds, as every file system gives it.
    let arrived = std::time::UNIX_EPOCH + std::time::Duration::new(1_795_000_000, 123_456_789);
    fs::File::options()
        .write(true)
        .open(desk.inbox.join("budget.txt"))
        .and_then(|f| f.set_modified(arrived))
        .expect("mtime");
    desk.mark_at(
        "2026-11-27T09:14:03+00:00",
        "ayu",
        &["budget"],
        "verified",
        None,
    );
    for format in ["csv", "json", "toml"] {
        let out = desk.ok(&["export", "--format", format]);
        assert!(out.contains("2026-11-18T11:06:40Z"), "{format}: {out}");
        assert!(out.contains("2026-11-27T09:14:03Z"), "{format}: {out}");
        assert!(
            !out.contains("+00:00") && !out.contains(".123"),
            "{format}: {out}"
        );
    }
    let report = desk.run_at(
        "2026-11-27T10:00:00.25+00:00",
        &["report", "--format", "json", "--date", "2026-11-27"],
    );
    assert_eq!(report.code, Some(0), "{}", report.stderr);
    assert!(
        report
            .stdout
            .contains("\"generated_at\": \"2026-11-27T10:00:00Z\""),
        "{}",
        report.stdout
    );
    assert!(
        report.stdout.contains("2026-11-27T09:14:03Z"),
        "{}",
        report.stdout
    );
    let shown = desk.ok(&["show", "budget"]);
    assert!(
        shown.contains("date:     2026-11-18T11:06:40Z (mtime)"),
        "{shown}"
    );
    assert!(shown.contains("at 2026-11-27T09:14:03Z"), "{shown}");
}

/// Reads a named pipe to its end without ever blocking on it: nothing is read when no writer
/// came within ten seconds (a copydesk that put a plain file in the pipe's place).
fn read_pipe(path: std::path::PathBuf) -> std::thread::JoinHandle<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    std::thread::spawn(move || {
        let mut pipe = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&path)
            .expect("open the pipe");
        let (start, mut got, mut buf) = (std::time::Instant::now(), Vec::new(), [0u8; 4096]);
        while start.elapsed() < std::time::Duration::from_secs(10) {
            match pipe.read(&mut buf) {
                Ok(0) if !got.is_empty() => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() != std::io::ErrorKind::WouldBlock => break,
                Err(_) => {}
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        got
    })
}

#[test]
fn export_writes_through_a_pipe_or_a_link_and_never_replaces_them() {
    let desk = Desk::new();
    // What an export to `target` wrote into the pipe `fifo` someone reads.
    let through_pipe = |target: &Path, fifo: &Path| {
        let reader = read_pipe(fifo.to_path_buf());
        std::thread::sleep(std::time::Duration::from_millis(50));
        let target = target.to_str().expect("path");
        desk.ok(&["export", "--format", "csv", "-o", target]);
        String::from_utf8(reader.join().expect("reader")).expect("UTF-8")
    };
    // A named pipe someone reads: written to, and still a pipe.
    let fifo = desk.root.join("feed.csv");
    common::mkfifo(&fifo);
    let got = through_pipe(&fifo, &fifo);
    assert!(got.starts_with("id,date,lang,status,"), "{got:?}");
    assert!(common::is_fifo(&fifo), "the pipe was replaced");
    // One nobody reads: refused at once, and left as it is.
    let lonely = desk.root.join("lonely.csv");
    common::mkfifo(&lonely);
    desk.refused(
        &["export", "-o", lonely.to_str().expect("path")],
        "nothing is reading from it",
    );
    assert!(common::is_fifo(&lonely));
    // A link to a file is replaced itself, as mv would: the file it names is left alone (a
    // link planted in a shared folder cannot aim an export at someone's file).
    let real = desk.root.join("real.csv");
    fs::write(&real, "someone's file\n").expect("write");
    let link = desk.root.join("link.csv");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    desk.ok(&["export", "-o", link.to_str().expect("path")]);
    assert_eq!(fs::read_to_string(&real).expect("read"), "someone's file\n");
    let written = fs::read_to_string(&link).expect("read");
    assert!(written.starts_with("id,date,"), "{written:?}");
    // A link to a pipe (what /dev/stdout is in a pipeline) is written through.
    let fifo_link = desk.root.join("stdout-like");
    let fifo2 = desk.root.join("feed2.csv");
    common::mkfifo(&fifo2);
    std::os::unix::fs::symlink(&fifo2, &fifo_link).expect("symlink");
    let got = through_pipe(&fifo_link, &fifo2);
    assert!(got.starts_with("id,date,"), "{got:?}");
    assert!(common::is_fifo(&fifo2));
    // -o /dev/stdout is standard output: the list, and nothing else, goes there.
    for stdout in ["/dev/stdout", "-"] {
        let out = desk.ok(&["export", "--format", "csv", "-o", stdout]);
        assert!(
            out.starts_with("id,date,") && !out.contains("exported"),
            "{out}"
        );
    }
    assert!(!desk.root.join("-").exists());
}
