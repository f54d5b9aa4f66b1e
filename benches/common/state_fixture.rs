//! A synthetic triage state of any size, shared by `benches/state.rs` and
//! `examples/state_memory.rs`: ids shaped like the inbox's, six editors, a note on one entry in
//! seven and a history on one in three.

use chrono::{DateTime, Duration, FixedOffset};
use copydesk::state::{Change, NoteChange, State, Status};

/// A state with `n` entries.
pub fn state(n: usize) -> State {
    let editors = ["ayu", "marc", "lina", "tomasz", "yuki", "omar"];
    let statuses = [
        Status::Verified,
        Status::NeedsReview,
        Status::TranslationSuspect,
    ];
    let start = DateTime::parse_from_rfc3339("2026-11-01T08:00:00+07:00").unwrap_or_default();
    let mut s = State {
        version: 1,
        ..State::default()
    };
    for i in 0..n {
        let at = start + Duration::seconds(i as i64 * 7);
        let note = match i % 7 {
            0 => NoteChange::Set("check the quotes against the original before it runs".into()),
            _ => NoteChange::Keep,
        };
        let change = Change::new(id(i), statuses[i % 3], note);
        s.apply(&change, editors[i % editors.len()], at);
        if i % 3 == 0 {
            let again = Change::new(id(i), statuses[(i + 1) % 3], NoteChange::Keep);
            s.apply(
                &again,
                editors[(i + 1) % editors.len()],
                at + Duration::minutes(40),
            );
        }
    }
    s
}

/// The id of the i-th article.
pub fn id(i: usize) -> String {
    match i % 4 {
        0 => format!("wire/2026-11/afp-{i:06}.fr"),
        1 => format!(
            "feeds/antara.xml#{:08x}",
            (i as u64).wrapping_mul(2_654_435_761) as u32
        ),
        2 => format!("mt/story-{i:06}.id"),
        _ => format!(
            "web/{i:06}_{:016x}",
            (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ),
    }
}

/// The time of the n-th mark in a benchmark.
pub fn mark_time(n: usize) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-28T08:00:00+07:00").unwrap_or_default()
        + Duration::seconds(n as i64)
}
