//! `copydesk report` run as a binary on a temp copy of the sample inbox.

mod common;

use std::collections::BTreeMap;

use common::{Desk, NOTE_DEMAK, REVIEW, SUSPECTS, VERIFIED, counts_of, mark_sample};
use serde_json::Value;

const STATUSES: [&str; 4] = [
    "untriaged",
    "verified",
    "needs-review",
    "translation-suspect",
];

/// Counts per (status, lang) as the JSON report gives them, without zeros.
fn report_counts(report: &Value) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    for line in report["counts"].as_array().expect("counts") {
        let lang = line["lang"].as_str().expect("lang");
        for s in STATUSES {
            let n = line[s].as_u64().expect("count");
            if n > 0 {
                out.insert((s.to_string(), lang.to_string()), n as usize);
            }
        }
    }
    out
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("report JSON")
}

fn ids(items: &Value) -> Vec<&str> {
    let mut ids: Vec<&str> = items
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["id"].as_str().expect("id"))
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn the_report_names_suspects_and_agrees_with_list() {
    let desk = Desk::new();
    mark_sample(&desk);

    let report = json(&desk.ok(&["report", "--date", "today", "--format", "json"]));
    let listed = desk.list_json(&[]);
    assert_eq!(report_counts(&report), counts_of(&listed));
    assert_eq!(
        report["totals"]["total"].as_u64(),
        Some(listed.len() as u64)
    );
    let mut suspects = SUSPECTS.to_vec();
    suspects.sort_unstable();
    assert_eq!(ids(&report["translation_suspect"]), suspects);
    assert_eq!(ids(&report["needs_review"]), [REVIEW]);
    let demak = report["translation_suspect"]
        .as_array()
        .expect("suspects")
        .iter()
        .find(|s| s["id"] == SUSPECTS[2])
        .expect("demak");
    assert_eq!(demak["note"], NOTE_DEMAK);
    // Six decisions today: three suspects, two reviews, and the review replaced by a check.
    let marked = report["marked"].as_array().expect("marked");
    assert_eq!(marked.len(), 6);
    let by: Vec<(&str, u64)> = report["by_editor"]
        .as_array()
        .expect("by editor")
        .iter()
        .map(|e| {
            (
                e["editor"].as_str().expect("editor"),
                e["total"].as_u64().expect("n"),
            )
        })
        .collect();
    assert_eq!(by, [("ayu", 4), ("marc", 2)]);
    let untriaged = listed.iter().filter(|r| r["status"] == "untriaged").count();
    assert_eq!(
        report["backlog"]["untriaged"].as_u64(),
        Some(untriaged as u64)
    );
    assert_eq!(report["backlog"]["oldest_id"], "web/niigata-shinmai.ja");

    let md = desk.ok(&["report", "--date", "today"]);
    assert!(md.starts_with("# Daily review: 2026-11-27\n"), "{md}");
    assert!(md.contains("\n## Translation suspects: 3\n"), "{md}");
    for id in SUSPECTS {
        let line = md
            .lines()
            .find(|l| l.starts_with(&format!("- `{id}` ")))
            .unwrap_or_else(|| panic!("{id} not listed:\n{md}"));
        assert!(
            line.contains("Marked by ayu at 2026-11-27 10:00 +07:00. Note: "),
            "{line}"
        );
    }
    assert!(md.contains(&format!("Note: {NOTE_DEMAK}\n")), "{md}");
    assert!(
        md.contains(
            "Note: footer says \"MT from Indonesian\", check quotes \\| names \\& \\*dates\\*\n"
        ),
        "{md}"
    );
    let totals: Vec<String> = STATUSES
        .iter()
        .map(|s| report["totals"][s].to_string())
        .collect();
    let all = format!("| **all** | {} | {} |", totals.join(" | "), listed.len());
    assert!(md.contains(&all), "{all} not in:\n{md}");
    assert!(md.contains(
        "By editor: ayu 4 (1 verified, 3 translation-suspect); marc 2 (2 needs-review)."
    ));
    assert!(md.contains(&format!(
        "marc marked `{VERIFIED}` needs-review (since changed)"
    )));

    // With the editor filter, the report and list still agree.
    let mine = json(&desk.ok(&["--editor", "marc", "report", "--format", "json"]));
    let listed = desk.list_json(&["--editor", "marc"]);
    assert_eq!(report_counts(&mine), counts_of(&listed));
    assert_eq!(mine["marked"].as_array().expect("marked").len(), 2);
    assert_eq!(mine["backlog"]["untriaged"], 0);
    // In words, the filtered review does not pass for the inbox.
    let md = desk.ok(&["--editor", "marc", "report"]);
    assert!(
        md.contains("1 article decided by marc (current status)"),
        "{md}"
    );
    assert!(
        md.contains("Not counted: this review covers decisions and notes by marc only."),
        "{md}"
    );
    assert!(!md.contains("Nothing is waiting"), "{md}");
}

#[test]
fn a_note_alone_on_untriaged_copy_is_not_a_decision() {
    let desk = Desk::new();
    // lin notes an article nobody has decided, then decides another one.
    desk.mark("lin", &[REVIEW], "", Some("ask the Kazan desk"));
    desk.mark("lin", &[VERIFIED], "verified", None);

    let report = json(&desk.ok(&["--editor", "lin", "report", "--format", "json"]));
    let marked: Vec<&str> = report["marked"]
        .as_array()
        .expect("marked")
        .iter()
        .map(|d| d["id"].as_str().expect("id"))
        .collect();
    assert_eq!(marked, [VERIFIED]);
    assert_eq!(
        ids(&Value::from(desk.list_json(&["--editor", "lin"]))),
        [VERIFIED]
    );
    let rows = desk.list_json(&[]);
    let noted = rows.iter().find(|r| r["id"] == REVIEW).expect("listed");
    assert_eq!(
        (&noted["status"], &noted["editor"], &noted["note_by"]),
        (&Value::from("untriaged"), &Value::Null, &Value::from("lin"))
    );

    // The note is kept, and once lin decides, that decision counts alone.
    let shown = desk.ok(&["show", REVIEW]);
    assert!(shown.contains("status:   untriaged\n"), "{shown}");
    assert!(
        shown.contains("note:     ask the Kazan desk (by lin at 2026-11-27T"),
        "{shown}"
    );
    // A note on someone else's decision names its author too.
    desk.mark("marc", &[VERIFIED], "", Some("photo credit missing"));
    let shown = desk.ok(&["show", VERIFIED]);
    assert!(shown.contains("status:   verified by lin at "), "{shown}");
    assert!(
        shown.contains("note:     photo credit missing (by marc at "),
        "{shown}"
    );
    let rows = desk.list_json(&[]);
    let verified = rows.iter().find(|r| r["id"] == VERIFIED).expect("listed");
    assert_eq!(
        (&verified["editor"], &verified["note_by"]),
        (&Value::from("lin"), &Value::from("marc"))
    );
    let csv = desk.ok(&["list", "--format", "csv"]);
    let header = csv.lines().next().unwrap_or_default();
    assert!(header.contains(",note,note_by,"), "{header}");
    desk.mark("lin", &[VERIFIED], "needs-review", None);
    let md = desk.ok(&["report"]);
    assert!(md.contains("Note by marc: photo credit missing"), "{md}");
    desk.mark("lin", &[REVIEW], "needs-review", None);
    let report = json(&desk.ok(&["--editor", "lin", "report", "--format", "json"]));
    let statuses: Vec<(&str, &str)> = report["marked"]
        .as_array()
        .expect("marked")
        .iter()
        .map(|d| {
            (
                d["id"].as_str().expect("id"),
                d["status"].as_str().expect("status"),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            (VERIFIED, "verified"),
            (VERIFIED, "needs-review"),
            (REVIEW, "needs-review")
        ]
    );
}

#[test]
fn days_begin_in_the_configured_zone() {
    let desk = Desk::new();
    // 23:30 on the 26th in +07:00, then 01:30 on the 27th; and one a week earlier.
    desk.mark_at(
        "2026-11-26T16:30:00Z",
        "marc",
        &[REVIEW],
        "needs-review",
        Some("length?"),
    );
    desk.mark_at(
        "2026-11-26T18:30:00Z",
        "ayu",
        &[REVIEW],
        "translation-suspect",
        None,
    );
    desk.mark_at(
        "2026-11-19T09:00:00+07:00",
        "ayu",
        &[VERIFIED],
        "verified",
        None,
    );
    let marked = |args: &[&str]| {
        let mut full = vec!["report", "--format", "json"];
        full.extend(args);
        let report = json(&desk.ok(&full));
        report["marked"]
            .as_array()
            .expect("marked")
            .iter()
            .map(|d| {
                format!(
                    "{} {} {}",
                    d["at"].as_str().expect("at"),
                    d["editor"].as_str().expect("editor"),
                    d["status"].as_str().expect("status")
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        marked(&[]),
        ["2026-11-27T01:30:00+07:00 ayu translation-suspect"]
    );
    assert_eq!(
        marked(&["--date", "yesterday"]),
        ["2026-11-26T23:30:00+07:00 marc needs-review"]
    );
    assert_eq!(marked(&["--since", "7d"]).len(), 2);
    assert_eq!(
        marked(&["--since", "2026-11-19", "--until", "2026-11-19"]).len(),
        1
    );
    assert_eq!(marked(&["--until", "yesterday"]).len(), 2);
}

#[test]
fn bad_requests_exit_2_and_change_nothing() {
    let desk = Desk::new();
    desk.mark("ayu", &[SUSPECTS[0]], "translation-suspect", Some("MT"));
    for (args, value) in [
        (vec!["--date", "soon"], "'soon'"),
        (vec!["--date", "2026-02-30"], "'2026-02-30'"),
        (vec!["--since", "lastweek"], "'lastweek'"),
        (vec!["--since", "today", "--until", "yesterday"], "'today'"),
        (vec!["--format", "html"], "'html'"),
        (vec!["--date", "today", "--since", "7d"], "'--date <DATE>'"),
    ] {
        let mut full = vec!["report"];
        full.extend(&args);
        desk.refused(&full, value);
    }
    // Days out of order: the same words from report, list and export.
    let order = ["--since", "today", "--until", "yesterday"];
    let said: Vec<String> = ["report", "list", "export"]
        .iter()
        .map(|command| {
            let mut full = vec![*command];
            full.extend(order);
            desk.refused(&full, "no day is in between")
        })
        .collect();
    assert!(said.iter().all(|s| *s == said[0]), "{said:?}");
}

#[test]
fn the_report_shows_a_note_on_undecided_copy_as_its_authors() {
    let desk = Desk::new();
    let id = "mt/banjir-semarang.ar";
    desk.mark_at(
        "2026-11-27T09:40:00+07:00",
        "marc",
        &[id],
        "",
        Some("note only, no decision"),
    );
    let line = format!("- 2026-11-27 09:40 marc noted `{id}`: ");

    let md = desk.ok(&["report"]);
    assert!(md.contains("\n## Notes on undecided copy: 1\n"), "{md}");
    let shown = md
        .lines()
        .find(|l| l.starts_with(&line))
        .unwrap_or_else(|| panic!("no '{line}' in:\n{md}"));
    assert!(shown.ends_with(". Note: note only, no decision"), "{shown}");
    assert!(
        md.contains("\n## Marked in the period: 0\n"),
        "not a decision: {md}"
    );
    let report = json(&desk.ok(&["report", "--format", "json"]));
    let noted = report["noted"].as_array().expect("noted");
    assert_eq!(noted.len(), 1, "{report}");
    assert_eq!(
        (&noted[0]["id"], &noted[0]["note_by"], &noted[0]["note_at"]),
        (
            &Value::from(id),
            &Value::from("marc"),
            &Value::from("2026-11-27T09:40:00+07:00")
        )
    );
    assert_eq!(noted[0]["note"], "note only, no decision");

    // Counted for its author, and for nobody else.
    let mine = desk.ok(&["--editor", "marc", "report"]);
    assert!(mine.contains("\n## Notes on undecided copy: 1\n"), "{mine}");
    assert!(mine.contains(&line), "{mine}");
    let mine = json(&desk.ok(&["--editor", "marc", "report", "--format", "json"]));
    assert_eq!(mine["noted"].as_array().map(Vec::len), Some(1));
    let theirs = desk.ok(&["--editor", "ayu", "report"]);
    assert!(
        theirs.contains("\n## Notes on undecided copy: 0\n\nNone.\n"),
        "{theirs}"
    );
    // Written today: not in yesterday's review.
    let yesterday = json(&desk.ok(&["report", "--date", "yesterday", "--format", "json"]));
    assert_eq!(yesterday["noted"], Value::Array(vec![]));

    // Once someone decides, it is that decision's note, and no longer a note alone.
    desk.mark("ayu", &[id], "needs-review", None);
    let md = desk.ok(&["report"]);
    assert!(md.contains("\n## Notes on undecided copy: 0\n"), "{md}");
    assert!(
        md.contains(&format!("ayu marked `{id}` needs-review")),
        "{md}"
    );
}

/// Every offset written in a Markdown report (`+07:00`).
fn offsets(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(6)
        .filter(|w| {
            matches!(w[0], '+' | '-')
                && w[1..3].iter().all(char::is_ascii_digit)
                && w[3] == ':'
                && w[4..].iter().all(char::is_ascii_digit)
        })
        .map(|w| w.iter().collect())
        .collect()
}

/// Every RFC 3339 date-time in a JSON document.
fn date_times(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) if chrono::DateTime::parse_from_rfc3339(s).is_ok() => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(date_times).collect(),
        Value::Object(fields) => fields.values().flat_map(date_times).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn every_time_in_a_report_is_in_its_zone() {
    let desk = Desk::new();
    // Decided in +07:00; the article dates come in +07:00 (the suspect, 06:45 on the 24th) and
    // +09:00 (the oldest of the backlog).
    let suspect_id = "mt/banjir-semarang.id";
    desk.mark("marc", &[suspect_id], "translation-suspect", Some("MT"));
    desk.mark("ayu", &[REVIEW], "needs-review", None);
    std::fs::write(&desk.config, "timezone = \"UTC\"\n").expect("config");

    let md = desk.ok(&["report", "--date", "today"]);
    assert!(md.contains("Days are counted in UTC+00:00;"), "{md}");
    assert_eq!(
        offsets(&md).into_iter().find(|o| o != "+00:00"),
        None,
        "{md}"
    );
    let suspect = md
        .lines()
        .find(|l| l.starts_with(&format!("- `{suspect_id}` ")))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(
        suspect.contains("(id, 2026-11-23, Kabar Jateng)."),
        "{suspect}"
    );
    assert!(
        suspect.contains("Marked by marc at 2026-11-27 03:00 +00:00."),
        "{suspect}"
    );
    assert!(
        md.contains("Oldest dated 2026-11-20 00:00 +00:00: `web/niigata-shinmai.ja`"),
        "{md}"
    );

    let report = json(&desk.ok(&["report", "--date", "today", "--format", "json"]));
    assert_eq!(report["zone"], "+00:00");
    let times = date_times(&report);
    assert!(times.len() > 5, "{times:?}");
    assert!(
        times.iter().all(|t| t.ends_with('Z')),
        "UTC is Z: {times:?}"
    );
    assert_eq!(
        report["translation_suspect"][0]["marked_at"],
        "2026-11-27T03:00:00Z"
    );
    assert_eq!(
        report["needs_review"][0]["date"]
            .as_str()
            .map(|d| d.ends_with('Z')),
        Some(true)
    );
    assert_eq!(report["backlog"]["oldest_date"], "2026-11-20T00:00:00Z");
}

#[test]
fn a_day_without_a_time_stays_a_day_in_the_report() {
    let desk = Desk::new();
    // The oldest untriaged copy, dated by a day alone; and the sample's day-only article
    // (`date = 2026-11-22`) marked as a suspect.
    desk.add(
        "wire/old-day.md",
        "---\ntitle: Ferry timetable for the winter\ndate: 2026-11-02\nlang: en\n---\n\n\
         The ferry company published its winter timetable on Monday, with fewer crossings on \
         weekdays and an extra evening boat on Fridays for the market crowd.\n",
    );
    let day_only = "mt/panen-padi-demak.en";
    desk.mark("ayu", &[day_only], "translation-suspect", None);

    let report = json(&desk.ok(&["report", "--date", "today", "--format", "json"]));
    let backlog = &report["backlog"];
    assert_eq!(backlog["oldest_id"], "wire/old-day");
    assert_eq!(backlog["oldest_date"], "2026-11-02T00:00:00+07:00");
    assert_eq!(backlog["oldest_date_precision"], "day");
    // Each suspect says what `list` says of its date.
    let listed = desk.list_json(&[]);
    for s in report["translation_suspect"].as_array().expect("suspects") {
        let row = listed.iter().find(|r| r["id"] == s["id"]).expect("listed");
        assert_eq!(s["date_precision"], row["date_precision"], "{s}");
    }
    assert_eq!(report["translation_suspect"][0]["id"], day_only);
    assert_eq!(report["translation_suspect"][0]["date_precision"], "day");

    let md = desk.ok(&["report", "--date", "today"]);
    assert!(
        md.contains("\nOldest dated 2026-11-02: `wire/old-day` Ferry timetable"),
        "{md}"
    );
    assert!(md.contains(&format!("- `{day_only}` ")), "{md}");
    assert!(
        !md.contains("2026-11-02 00:00"),
        "no invented midnight:\n{md}"
    );
}
