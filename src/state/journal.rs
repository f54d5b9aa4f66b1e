//! The journal of marks: `state.journal.toml` beside the state file.
//!
//! Rewriting a 100,000-entry state file on every mark costs a third of a second, so at scale a
//! mark is appended here instead (a few hundred bytes, one fsync) and the journal is folded into
//! the state file now and then. Each change is one `[[mark]]` table of human-readable TOML:
//!
//! ```toml
//! [[mark]]
//! seq = 18
//! id = "wire/kazan-tram.ru"
//! status = "verified"
//! editor = "ayu"
//! at = 2026-11-27T09:14:03+07:00
//! note = "check quotes"
//! check = "5d1a9f0c"
//! ```
//!
//! `seq` numbers the records across the life of the state (the state file says up to which one it
//! holds: `journal_folded`), so a record is never applied twice nor skipped. The changes of one
//! save share a batch: every record but the last says `batch_end`, and a batch counts only when
//! complete. `check` is the CRC-32 of the record's lines above it: a record cut short by a crash
//! is told from one damaged in the middle of the file.

use chrono::{DateTime, FixedOffset};
use toml::{Table, Value};

use super::{Change, ChangeKind, Expect, NoteChange, Status, datetime_value, quote, take_str};

/// The first line of a new journal file.
pub const HEADER: &str = "# copydesk journal: marks not yet folded into the state file. Written by copydesk; do not edit.\n";

const START: &str = "[[mark]]";
const CHECK: &str = "check = \"";

/// One journalled change, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub seq: u64,
    pub change: Change,
    pub editor: String,
    pub at: DateTime<FixedOffset>,
    /// Keys this copydesk does not know, written by a newer one: a journal holding any is not
    /// folded here, so that they are not lost (see [`newer_keys`]).
    pub unknown: Vec<String>,
}

/// The complete batches of a stretch of journal text.
#[derive(Debug, Default)]
pub struct Read {
    /// Complete batches, in order; each record's `seq` follows the previous one.
    pub records: Vec<Record>,
    /// Records of complete batches left out because they are at or below `after_seq`.
    pub skipped: usize,
    /// Bytes of the text that hold complete batches (and the comments between them).
    pub consumed: usize,
    /// Lines in those bytes.
    pub lines: usize,
    /// The line where an incomplete last batch starts (a save cut short, never acknowledged).
    pub torn_at: Option<usize>,
}

/// A record damaged before the end of the journal: its line and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrupt {
    pub line: usize,
    pub message: String,
}

/// The text of one save's records, numbered from `first_seq`.
pub fn encode(
    first_seq: u64,
    changes: &[&Change],
    editor: &str,
    at: DateTime<FixedOffset>,
) -> String {
    let last = first_seq + changes.len().saturating_sub(1) as u64;
    let mut out = String::new();
    for (n, change) in changes.iter().enumerate() {
        let seq = first_seq + n as u64;
        let start = out.len();
        out.push_str(START);
        out.push('\n');
        out.push_str(&format!("seq = {seq}\n"));
        if seq != last {
            out.push_str(&format!("batch_end = {last}\n"));
        }
        push_record_body(&mut out, change, editor, at);
        let sum = crc32fast::hash(&out.as_bytes()[start..]);
        out.push_str(&format!("{CHECK}{sum:08x}\"\n"));
    }
    out
}

fn push_record_body(out: &mut String, change: &Change, editor: &str, at: DateTime<FixedOffset>) {
    out.push_str(&format!("id = {}\n", quote(&change.id)));
    out.push_str(&format!("status = \"{}\"\n", change.status.as_str()));
    out.push_str(&format!("editor = {}\n", quote(editor)));
    out.push_str(&format!("at = {}\n", datetime_value(&at)));
    match &change.note {
        NoteChange::Keep => {}
        NoteChange::Set(note) => out.push_str(&format!("note = {}\n", quote(note))),
        NoteChange::Clear => out.push_str("note_cleared = true\n"),
    }
    match change.kind {
        ChangeKind::Plain => {}
        ChangeKind::Decision => out.push_str("decision = true\n"),
        ChangeKind::Note => out.push_str("note_only = true\n"),
    }
    if let Some(file) = &change.file {
        out.push_str(&format!("file = {}\n", quote(file)));
    }
    if let Some(from) = &change.moved_from {
        out.push_str(&format!("moved_from = {}\n", quote(from)));
    }
    if let Some(seen) = &change.note_seen {
        out.push_str(&format!("note_seen = {}\n", quote(seen)));
    }
    if change.expect_undecided {
        out.push_str("expect_undecided = true\n");
    }
    if let Some((by, when)) = &change.note_author {
        out.push_str(&format!("note_by = {}\n", quote(by)));
        out.push_str(&format!("note_at = {}\n", datetime_value(when)));
    }
    if let Some(expect) = &change.expect {
        out.push_str(&format!("expect_editor = {}\n", quote(&expect.editor)));
        out.push_str(&format!(
            "expect_marked_at = {}\n",
            datetime_value(&expect.marked_at)
        ));
    }
}

/// A line of the text: its bytes without the newline, where it starts, and whether it ended.
struct Line<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    complete: bool,
}

impl Raw<'_> {
    /// A record begun at `line` (number `number`) whose check line has not been seen.
    fn unfinished(number: usize, line: &Line<'_>) -> Self {
        Raw {
            line: number,
            start: line.start,
            end: line.end,
            body: "",
            check: None,
            complete: false,
        }
    }
}

fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let rest = &text[pos..];
        let (len, complete) = rest.find('\n').map_or((rest.len(), false), |i| (i, true));
        let line = Line {
            text: &rest[..len],
            start: pos,
            end: pos + len + usize::from(complete),
            complete,
        };
        pos = line.end;
        Some(line)
    })
}

/// A record's lines as found, before its fields are read.
struct Raw<'a> {
    line: usize,
    start: usize,
    end: usize,
    body: &'a str,
    check: Option<&'a str>,
    complete: bool,
}

/// Reads journal text that starts at line `first_line` of the file, after the record numbered
/// `after_seq`. Complete batches are returned; an incomplete tail is left unconsumed; damage
/// anywhere else is an error naming the line.
pub fn read(text: &str, first_line: usize, after_seq: u64) -> Result<Read, Corrupt> {
    let raws = split(text, first_line)?;
    let mut out = Read::default();
    let mut batch: Vec<Record> = Vec::new();
    let mut batch_end = 0;
    let mut batch_line = first_line;
    let mut next_seq = None::<u64>;
    let count = raws.len();
    for (n, raw) in raws.into_iter().enumerate() {
        let last = n + 1 == count;
        let intact = raw.complete
            && raw
                .check
                .is_some_and(|c| c == format!("{:08x}", crc32fast::hash(raw.body.as_bytes())));
        if !intact {
            // Only a record whose check line is not all there is a save cut short; a complete
            // one that does not match was damaged, and is refused like any other.
            // A crash can also leave a block of zeros where the end of a save was never
            // written, before a check line that was.
            let cut_short = !raw.complete || raw.check.is_none() || raw.body.contains('\0');
            if last && raw.end == text.len() && cut_short {
                out.torn_at = Some(if batch.is_empty() {
                    raw.line
                } else {
                    batch_line
                });
                return Ok(out);
            }
            return Err(Corrupt {
                line: raw.line,
                message: "damaged record (its check does not match its contents)".into(),
            });
        }
        let (record, end) = parse_record(&raw)?;
        if let Some(expected) = next_seq.filter(|e| *e != record.seq) {
            return Err(Corrupt {
                line: raw.line,
                message: format!("record {} follows record {}", record.seq, expected - 1),
            });
        }
        if batch.is_empty() {
            batch_line = raw.line;
            batch_end = end.unwrap_or(record.seq);
        }
        next_seq = Some(record.seq + 1);
        let done = record.seq >= batch_end;
        batch.push(record);
        if done {
            let before = out.records.len() + batch.len();
            out.records
                .extend(batch.drain(..).filter(|r| r.seq > after_seq));
            out.skipped += before - out.records.len();
            out.lines += count_lines(&text[out.consumed..raw.end]);
            out.consumed = raw.end;
        }
    }
    if !batch.is_empty() {
        out.torn_at = Some(batch_line);
    } else {
        // Comments and blank lines after the last batch are read too.
        let end = trailing_comments_end(text, out.consumed);
        out.lines += count_lines(&text[out.consumed..end]);
        out.consumed = end;
    }
    Ok(out)
}

/// The first complete record of a journal's text holding keys this copydesk does not know,
/// as "line N: key, key".
pub fn newer_keys(text: &str) -> Option<String> {
    let raws = split(text, 1).ok()?;
    raws.iter().filter(|raw| raw.complete).find_map(|raw| {
        let (record, _) = parse_record(raw).ok()?;
        let keys = record.unknown.join(", ");
        (!keys.is_empty()).then(|| format!("line {}: {keys}", raw.line))
    })
}

fn count_lines(text: &str) -> usize {
    text.bytes().filter(|b| *b == b'\n').count()
}

fn trailing_comments_end(text: &str, from: usize) -> usize {
    let mut end = from;
    for line in lines(&text[from..]) {
        if !line.complete || !is_filler(line.text) {
            break;
        }
        end = from + line.end;
    }
    end
}

fn is_filler(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// Cuts the text into records by their first line and their `check` line.
fn split(text: &str, first_line: usize) -> Result<Vec<Raw<'_>>, Corrupt> {
    let mut raws: Vec<Raw<'_>> = Vec::new();
    let mut open: Option<Raw<'_>> = None;
    for (n, line) in lines(text).enumerate() {
        let number = first_line + n;
        if line.text == START {
            if let Some(unfinished) = open.take() {
                raws.push(unfinished);
            }
            open = Some(Raw::unfinished(number, &line));
            continue;
        }
        match open.as_mut() {
            Some(raw) => {
                raw.end = line.end;
                if let Some(sum) = line
                    .text
                    .strip_prefix(CHECK)
                    .and_then(|r| r.strip_suffix('"'))
                {
                    raw.body = &text[raw.start..line.start];
                    raw.check = Some(sum);
                    raw.complete = line.complete;
                    raws.extend(open.take());
                }
            }
            None if is_filler(line.text) => {}
            None if line.end == text.len() && !line.complete => {
                // A first line cut short.
                raws.push(Raw::unfinished(number, &line));
            }
            None => {
                return Err(Corrupt {
                    line: number,
                    message: format!("expected '{START}', found '{}'", shorten(line.text)),
                });
            }
        }
    }
    raws.extend(open);
    Ok(raws)
}

fn shorten(s: &str) -> String {
    s.chars().take(40).collect()
}

fn parse_record(raw: &Raw<'_>) -> Result<(Record, Option<u64>), Corrupt> {
    let fields = raw.body.strip_prefix(START).unwrap_or(raw.body);
    match fast_record(fields) {
        Some(record) => Ok(record),
        None => parse_record_with_toml(raw.line, fields),
    }
}

/// A record's fields read line by line, as [`encode`] writes them; `None` for anything else,
/// which the toml crate then reads (and names the problem of).
fn fast_record(fields: &str) -> Option<(Record, Option<u64>)> {
    fn once<T>(slot: &mut Option<T>, value: Option<T>) -> Option<()> {
        match slot {
            Some(_) => None,
            None => {
                *slot = Some(value?);
                Some(())
            }
        }
    }
    let (mut seq, mut batch_end, mut id, mut status, mut editor, mut at) =
        (None, None, None, None, None, None);
    let (mut note, mut expect_editor, mut expect_at, mut kind) = (None, None, None, None);
    let (mut note_seen, mut file, mut undecided, mut moved_from) = (None, None, None, None);
    let (mut note_by, mut note_at) = (None, None);
    for line in fields.split('\n').filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(" = ")?;
        match name {
            "seq" => once(&mut seq, toml_count(value))?,
            "batch_end" => once(&mut batch_end, toml_count(value))?,
            "id" => once(&mut id, super::fast::string(value))?,
            "status" => once(
                &mut status,
                super::fast::string(value)?.parse::<Status>().ok(),
            )?,
            "editor" => once(&mut editor, super::fast::string(value))?,
            "at" => once(&mut at, super::fast::time(value))?,
            "note" => once(&mut note, super::fast::string(value).map(NoteChange::Set))?,
            "note_cleared" if value == "true" => once(&mut note, Some(NoteChange::Clear))?,
            "decision" if value == "true" => once(&mut kind, Some(ChangeKind::Decision))?,
            "note_only" if value == "true" => once(&mut kind, Some(ChangeKind::Note))?,
            "expect_editor" => once(&mut expect_editor, super::fast::string(value))?,
            "expect_marked_at" => once(&mut expect_at, super::fast::time(value))?,
            "note_seen" => once(&mut note_seen, super::fast::string(value))?,
            "expect_undecided" if value == "true" => once(&mut undecided, Some(true))?,
            "note_by" => once(&mut note_by, super::fast::string(value))?,
            "note_at" => once(&mut note_at, super::fast::time(value))?,
            "file" => once(&mut file, super::fast::string(value))?,
            "moved_from" => once(&mut moved_from, super::fast::string(value))?,
            _ => return None,
        }
    }
    let expect = match (expect_editor, expect_at) {
        (Some(editor), Some(marked_at)) => Some(Expect { editor, marked_at }),
        (None, None) => None,
        _ => return None,
    };
    let change = Change {
        id: id?,
        status: status?,
        note: note.unwrap_or(NoteChange::Keep),
        expect,
        expect_undecided: undecided.unwrap_or(false),
        note_author: match (note_by, note_at) {
            (Some(by), Some(at)) => Some((by, at)),
            (None, None) => None,
            _ => return None,
        },
        kind: kind.unwrap_or_default(),
        note_seen,
        file,
        moved_from,
    };
    let record = Record {
        seq: seq?,
        change,
        editor: editor.unwrap_or_default(),
        at: at?,
        unknown: Vec::new(),
    };
    Some((record, batch_end))
}

fn parse_record_with_toml(line: usize, fields: &str) -> Result<(Record, Option<u64>), Corrupt> {
    let corrupt = |message: String| Corrupt { line, message };
    let mut t: Table = fields.parse().map_err(|e: toml::de::Error| Corrupt {
        line: line + e.span().map_or(0, |s| count_lines(&fields[..s.start])),
        message: e.message().split_whitespace().collect::<Vec<_>>().join(" "),
    })?;
    let seq = take_u64(&mut t, "seq")
        .map_err(&corrupt)?
        .ok_or_else(|| corrupt("'seq' is missing".into()))?;
    let batch_end = take_u64(&mut t, "batch_end").map_err(&corrupt)?;
    let id = take_str(&mut t, "id")
        .map_err(&corrupt)?
        .ok_or_else(|| corrupt("'id' is missing".into()))?;
    let status: Status = take_str(&mut t, "status")
        .map_err(&corrupt)?
        .ok_or_else(|| corrupt("'status' is missing".into()))?
        .parse()
        .map_err(&corrupt)?;
    let editor = take_str(&mut t, "editor")
        .map_err(&corrupt)?
        .unwrap_or_default();
    let at = take_time(&mut t, "at")
        .map_err(&corrupt)?
        .ok_or_else(|| corrupt("'at' is missing".into()))?;
    let note = match (
        take_str(&mut t, "note").map_err(&corrupt)?,
        t.remove("note_cleared"),
    ) {
        (Some(n), _) => NoteChange::Set(n),
        (None, Some(Value::Boolean(true))) => NoteChange::Clear,
        (None, _) => NoteChange::Keep,
    };
    let expect = match (
        take_str(&mut t, "expect_editor").map_err(&corrupt)?,
        take_time(&mut t, "expect_marked_at").map_err(&corrupt)?,
    ) {
        (Some(editor), Some(marked_at)) => Some(Expect { editor, marked_at }),
        _ => None,
    };
    let kind = match (t.remove("decision"), t.remove("note_only")) {
        (Some(Value::Boolean(true)), _) => ChangeKind::Decision,
        (_, Some(Value::Boolean(true))) => ChangeKind::Note,
        _ => ChangeKind::Plain,
    };
    let note_seen = take_str(&mut t, "note_seen").map_err(&corrupt)?;
    let file = take_str(&mut t, "file").map_err(&corrupt)?;
    let moved_from = take_str(&mut t, "moved_from").map_err(&corrupt)?;
    let expect_undecided = matches!(t.remove("expect_undecided"), Some(Value::Boolean(true)));
    let note_author = match (
        take_str(&mut t, "note_by").map_err(&corrupt)?,
        take_time(&mut t, "note_at").map_err(&corrupt)?,
    ) {
        (Some(by), Some(at)) => Some((by, at)),
        _ => None,
    };
    let change = Change {
        id,
        status,
        note,
        expect,
        expect_undecided,
        note_author,
        kind,
        note_seen,
        file,
        moved_from,
    };
    Ok((
        Record {
            seq,
            change,
            editor,
            at,
            unknown: t.keys().cloned().collect(),
        },
        batch_end,
    ))
}

/// A TOML integer of 0 or more (a TOML integer is an i64: no record number can wrap).
fn toml_count(value: &str) -> Option<u64> {
    u64::try_from(value.parse::<i64>().ok()?).ok()
}

fn take_u64(t: &mut Table, key: &str) -> Result<Option<u64>, String> {
    match t.remove(key) {
        None => Ok(None),
        Some(Value::Integer(n)) if n >= 0 => Ok(Some(n.unsigned_abs())),
        Some(_) => Err(format!("'{key}' should be a number of 0 or more")),
    }
}

fn take_time(t: &mut Table, key: &str) -> Result<Option<DateTime<FixedOffset>>, String> {
    let text = match t.remove(key) {
        None => return Ok(None),
        Some(Value::Datetime(d)) => d.to_string(),
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(format!(
                "'{key}' should be a date-time, found {}",
                other.type_str()
            ));
        }
    };
    DateTime::parse_from_rfc3339(&text)
        .map(Some)
        .map_err(|_| format!("'{key}' = '{text}' is not a date-time with a zone"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("time")
    }

    fn changes() -> Vec<Change> {
        vec![
            Change::decision(
                "a",
                Status::Verified,
                NoteChange::Set("line\n[[mark]]\n\"q\"".into()),
            )
            .on_file("wire/a \"quoted\".md"),
            Change {
                expect: Some(Expect {
                    editor: "marc".into(),
                    marked_at: at("2026-11-27T08:00:00+07:00"),
                }),
                ..Change::note("b", Status::Untriaged, NoteChange::Clear)
                    .over("theirs, \"seen\"\nthen")
            },
        ]
    }

    fn journal() -> String {
        let c = changes();
        let refs: Vec<&Change> = c.iter().collect();
        let mut text = HEADER.to_string();
        text.push_str(&encode(5, &refs, "ayu", at("2026-11-27T09:00:00+07:00")));
        text.push_str(&encode(
            7,
            &refs[..1],
            "marc",
            at("2026-11-27T09:01:00+07:00"),
        ));
        text
    }

    #[test]
    fn records_round_trip_and_are_toml() {
        let text = journal();
        let table: Table = text.parse().expect("the journal is TOML");
        assert_eq!(table["mark"].as_array().map(Vec::len), Some(3));
        let read = read(&text, 1, 0).expect("reads");
        assert_eq!(read.consumed, text.len());
        assert_eq!(read.torn_at, None);
        let seqs: Vec<u64> = read.records.iter().map(|r| r.seq).collect();
        assert_eq!(seqs, [5, 6, 7]);
        assert_eq!(read.records[0].change, changes()[0]);
        assert_eq!(read.records[0].change.kind, ChangeKind::Decision);
        assert_eq!(read.records[1].change, changes()[1]);
        assert_eq!(read.records[1].change.kind, ChangeKind::Note);
        assert_eq!(read.records[2].editor, "marc");
    }

    #[test]
    fn an_expectation_of_undecided_copy_and_a_move_round_trip_both_ways() {
        let change = Change {
            expect_undecided: true,
            moved_from: Some("mt/old \"name\".md".into()),
            note_author: Some(("marc".into(), at("2026-11-27T08:00:00+07:00"))),
            ..Change::new("c", Status::NeedsReview, NoteChange::Keep)
        };
        let text = format!(
            "{HEADER}{}",
            encode(1, &[&change], "ayu", at("2026-11-27T09:00:00+07:00"))
        );
        let read = read(&text, 1, 0).expect("reads");
        assert_eq!(read.records[0].change, change);
        let raw = &split(&text, 1).expect("split")[0];
        let fields = raw.body.strip_prefix(START).expect("record");
        let (slow, _) = parse_record_with_toml(raw.line, fields).expect("toml");
        assert_eq!(slow.change, change);
    }

    #[test]
    fn the_line_reader_reads_records_as_the_toml_crate_does() {
        let text = journal();
        let raws = split(&text, 1).expect("split");
        assert_eq!(raws.len(), 3);
        for raw in &raws {
            let fields = raw.body.strip_prefix(START).expect("record");
            let fast = fast_record(fields).expect("the line reader takes it");
            assert_eq!(Ok(fast), parse_record_with_toml(raw.line, fields));
        }
        // Anything unusual goes to the toml crate, which gives the same or names the problem.
        let odd = "\nseq = 1\nid = \"a\"\nstatus = \"verified\"\nat = 2026-11-27T09:00:00Z\nnote_cleared = false\n";
        assert_eq!(fast_record(odd), None);
        let (r, _) = parse_record_with_toml(1, odd).expect("toml");
        assert_eq!(r.change.note, NoteChange::Keep);
        assert_eq!(fast_record("\nseq = 1\nid = \"a\"\n"), None);
        assert!(parse_record_with_toml(1, "\nseq = 1\nid = \"a\"\n").is_err());
    }

    #[test]
    fn records_up_to_a_sequence_number_are_skipped() {
        let read = read(&journal(), 1, 6).expect("reads");
        let seqs: Vec<u64> = read.records.iter().map(|r| r.seq).collect();
        assert_eq!(seqs, [7]);
    }

    #[test]
    fn a_cut_last_batch_is_torn_at_any_byte() {
        let text = journal();
        let second_batch = text.rfind("\n[[mark]]\n").expect("start") + 1;
        let first_batch_line = 2;
        for cut in 0..text.len() {
            let read = read(&text[..cut], 1, 0).expect("a torn tail is not an error");
            let n = read.records.len();
            if cut < second_batch {
                // Half a batch is never applied: both records or none.
                assert_eq!(n, 0, "cut at {cut}");
                if cut > HEADER.len() {
                    assert_eq!(read.torn_at, Some(first_batch_line), "cut at {cut}");
                }
            } else {
                assert_eq!(n, 2, "cut at {cut}");
                assert_eq!(read.consumed, second_batch, "cut at {cut}");
            }
        }
    }

    #[test]
    fn damage_in_the_middle_names_its_line() {
        let text = journal().replacen("status = \"verified\"", "status = \"verifiet\"", 1);
        let err = read(&text, 1, 0).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("check does not match"), "{err:?}");
        let text = journal().replacen("[[mark]]", "[[mork]]", 1);
        let err = read(&text, 1, 0).unwrap_err();
        assert_eq!(err.line, 2, "{err:?}");
    }

    #[test]
    fn a_gap_in_the_numbers_is_damage() {
        let c = changes();
        let mut text = encode(1, &[&c[0]], "e", at("2026-11-27T09:00:00Z"));
        // Read from line 10: the second record begins on the line after the first's.
        let second = 10 + text.lines().count();
        text.push_str(&encode(3, &[&c[0]], "e", at("2026-11-27T09:00:00Z")));
        let err = read(&text, 10, 0).unwrap_err();
        assert_eq!(err.line, second, "{err:?}");
    }
}
