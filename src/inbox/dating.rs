//! Dates found outside the metadata: in the file name, or in a dateline at the top of the text.

use chrono::NaiveDate;

/// An ISO date (`2026-11-23` or `20261123`) in a file name.
pub fn date_in_filename(name: &str) -> Option<NaiveDate> {
    let bytes = name.as_bytes();
    (0..bytes.len()).find_map(|i| iso_at(bytes, i))
}

fn iso_at(b: &[u8], i: usize) -> Option<NaiveDate> {
    if i > 0 && b[i - 1].is_ascii_digit() {
        return None;
    }
    let digits = |from: usize, n: usize| -> Option<u32> {
        let s = b.get(from..from + n)?;
        s.iter()
            .all(u8::is_ascii_digit)
            .then(|| std::str::from_utf8(s).ok()?.parse().ok())?
    };
    let year = digits(i, 4)? as i32;
    let (month, day, end) = if matches!(b.get(i + 4), Some(b'-' | b'_' | b'.')) {
        (digits(i + 5, 2)?, digits(i + 8, 2)?, i + 10)
    } else {
        (digits(i + 4, 2)?, digits(i + 6, 2)?, i + 8)
    };
    if b.get(end).is_some_and(u8::is_ascii_digit) || !(1990..=2100).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A date in a dateline near the start of the body: `SEMARANG, 24 November 2026 —`,
/// `JAKARTA (25/11/2026) -`, `November 24, 2026`, `2026年11月24日`, `2026-11-24`.
pub fn date_in_dateline(body: &str) -> Option<NaiveDate> {
    let head: String = body.chars().take(240).collect();
    numeric_dmy(&head)
        .or_else(|| cjk_date(&head))
        .or_else(|| worded_date(&head))
        .or_else(|| date_in_filename(&head))
}

fn numeric_dmy(head: &str) -> Option<NaiveDate> {
    head.split(|c: char| !(c.is_ascii_digit() || c == '/'))
        .filter(|t| t.matches('/').count() == 2)
        .find_map(|t| {
            let mut p = t.split('/').map(str::parse::<u32>);
            let (d, m, y) = (p.next()?.ok()?, p.next()?.ok()?, p.next()?.ok()?);
            let y = if y < 100 { 2000 + y } else { y };
            NaiveDate::from_ymd_opt(y as i32, m, d)
        })
}

fn cjk_date(head: &str) -> Option<NaiveDate> {
    let year_at = head.find('年')?;
    let year: i32 = head[..year_at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .chars()
        .rev()
        .collect::<String>()
        .parse()
        .ok()?;
    let rest = &head[year_at + '年'.len_utf8()..];
    let (month, rest) = rest.split_once('月')?;
    let (day, _) = rest.split_once('日')?;
    NaiveDate::from_ymd_opt(year, month.trim().parse().ok()?, day.trim().parse().ok()?)
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("janvier", 1),
    ("januari", 1),
    ("enero", 1),
    ("janeiro", 1),
    ("januar", 1),
    ("february", 2),
    ("février", 2),
    ("fevrier", 2),
    ("februari", 2),
    ("febrero", 2),
    ("fevereiro", 2),
    ("februar", 2),
    ("march", 3),
    ("mars", 3),
    ("maret", 3),
    ("mac", 3),
    ("marzo", 3),
    ("março", 3),
    ("märz", 3),
    ("april", 4),
    ("avril", 4),
    ("abril", 4),
    ("may", 5),
    ("mai", 5),
    ("mei", 5),
    ("mayo", 5),
    ("maio", 5),
    ("june", 6),
    ("juin", 6),
    ("juni", 6),
    ("jun", 6),
    ("junio", 6),
    ("junho", 6),
    ("july", 7),
    ("juillet", 7),
    ("juli", 7),
    ("julai", 7),
    ("julio", 7),
    ("julho", 7),
    ("august", 8),
    ("août", 8),
    ("aout", 8),
    ("agustus", 8),
    ("ogos", 8),
    ("agosto", 8),
    ("september", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setembro", 9),
    ("october", 10),
    ("octobre", 10),
    ("oktober", 10),
    ("octubre", 10),
    ("outubro", 10),
    ("november", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("december", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("desember", 12),
    ("disember", 12),
    ("diciembre", 12),
    ("dezembro", 12),
    ("dezember", 12),
];

fn month_named(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(name, _)| *name == w).map(|(_, m)| *m)
}

fn worded_date(head: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = head
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '—' | '–'))
        .filter(|w| !w.is_empty() && *w != "de")
        .collect();
    words.windows(3).find_map(|w| {
        let num = |s: &str| s.trim_end_matches(['.', 'º']).parse::<u32>().ok();
        // "24 November 2026" or "November 24 2026"
        let (day, month, year) = match (num(w[0]), month_named(w[1]), num(w[2])) {
            (Some(d), Some(m), Some(y)) => (d, m, y),
            _ => (num(w[1])?, month_named(w[0])?, num(w[2])?),
        };
        (1990..=2100).contains(&year).then_some(())?;
        NaiveDate::from_ymd_opt(year as i32, month, day)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn filename_dates() {
        assert_eq!(
            date_in_filename("2026-11-23_pelabuhan-mogok.txt"),
            day(2026, 11, 23)
        );
        assert_eq!(
            date_in_filename("wire-20261124-0930.txt"),
            day(2026, 11, 24)
        );
        assert_eq!(date_in_filename("000_4a26a90d7def03b4"), None);
        assert_eq!(date_in_filename("2026-13-45.txt"), None);
    }

    #[test]
    fn datelines() {
        assert_eq!(
            date_in_dateline("SEMARANG, 24 November 2026 — Banjir"),
            day(2026, 11, 24)
        );
        assert_eq!(
            date_in_dateline("JAKARTA (25/11/2026) - Warga"),
            day(2026, 11, 25)
        );
        assert_eq!(
            date_in_dateline("PARIS, le 3 décembre 2026 — Les"),
            day(2026, 12, 3)
        );
        assert_eq!(
            date_in_dateline("WASHINGTON, November 21, 2026 — The"),
            day(2026, 11, 21)
        );
        assert_eq!(
            date_in_dateline("【新华社2026年11月22日电】"),
            day(2026, 11, 22)
        );
        assert_eq!(
            date_in_dateline("Jakarta - La Russie et la Chine doivent"),
            None
        );
    }
}
