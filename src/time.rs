//! Dates: the configured zone, flexible parsing of metadata dates, filter dates and the clock.

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Duration, FixedOffset, Local, LocalResult, NaiveDate, NaiveDateTime, NaiveTime,
    TimeZone, Utc,
};

/// A date for machines, the same in every output: RFC 3339, `Z` for UTC, a fraction of a
/// second only when the source had one.
pub fn rfc3339(d: &DateTime<FixedOffset>) -> String {
    d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// [`rfc3339`] for serde.
pub fn serialize_rfc3339<S: serde::Serializer>(
    d: &DateTime<FixedOffset>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&rfc3339(d))
}

/// [`rfc3339`] for serde, of a date that may be missing.
pub fn serialize_rfc3339_opt<S: serde::Serializer>(
    d: &Option<DateTime<FixedOffset>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => serializer.serialize_str(&rfc3339(d)),
        None => serializer.serialize_none(),
    }
}

/// How much of an article's date is known, as JSON, CSV and TOML name it (`date_precision`):
/// `time`, or `day` for a day without a time (`Article::time_known` says which), whose date
/// is that day's midnight in the configured zone.
pub fn precision(time_known: bool) -> &'static str {
    if time_known { "time" } else { "day" }
}

/// [`precision`] for serde.
pub fn serialize_precision<S: serde::Serializer>(
    time_known: &bool,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(precision(*time_known))
}

/// [`precision`] for serde, of a date that may be missing.
pub fn serialize_precision_opt<S: serde::Serializer>(
    time_known: &Option<bool>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match time_known {
        Some(known) => serialize_precision(known, serializer),
        None => serializer.serialize_none(),
    }
}

/// The zone in which dates without an offset are read and days begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    /// The machine's local zone.
    #[default]
    Local,
    /// A fixed offset such as `+07:00` or `UTC`.
    Fixed(FixedOffset),
}

impl FromStr for Zone {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        match t.to_ascii_lowercase().as_str() {
            "local" | "" => return Ok(Self::Local),
            "utc" | "z" | "gmt" => return Ok(Self::Fixed(utc_offset())),
            _ => {}
        }
        let parsed =
            DateTime::parse_from_rfc3339(&format!("2000-01-01T00:00:00{t}")).map_err(|_| {
                let s = crate::sanitize::echo(s);
                format!("'{s}' is not a time zone (use 'local', 'UTC' or an offset like '+07:00')")
            })?;
        Ok(Self::Fixed(*parsed.offset()))
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Local => f.write_str("local"),
            Self::Fixed(o) => write!(f, "{o}"),
        }
    }
}

fn utc_offset() -> FixedOffset {
    chrono::Offset::fix(&Utc)
}

impl Zone {
    /// The zone times are shown in, as a reader would name it: `UTC`, `+07:00`, or
    /// `local (now +01:00)`: the machine's zone may change its offset with the season, and
    /// each time is shown with the offset of its own date.
    pub fn label(self) -> String {
        let name = |offset: FixedOffset| match offset.local_minus_utc() {
            0 => "UTC".to_string(),
            _ => offset.to_string(),
        };
        match self {
            Self::Fixed(offset) => name(offset),
            Self::Local => format!("local (now {})", name(*Local::now().offset())),
        }
    }

    /// Reads a wall-clock time in this zone (the earlier instant when ambiguous).
    pub fn localize(self, naive: NaiveDateTime) -> DateTime<FixedOffset> {
        match self {
            Self::Fixed(offset) => match offset.from_local_datetime(&naive) {
                LocalResult::Single(d) | LocalResult::Ambiguous(d, _) => d,
                LocalResult::None => Utc.from_utc_datetime(&naive).fixed_offset(),
            },
            Self::Local => match Local.from_local_datetime(&naive) {
                LocalResult::Single(d) | LocalResult::Ambiguous(d, _) => d.fixed_offset(),
                // A wall time skipped by a DST jump: read it one hour later.
                LocalResult::None => self.localize(naive + Duration::hours(1)),
            },
        }
    }

    /// An instant as seen in this zone.
    pub fn convert<T: TimeZone>(self, at: &DateTime<T>) -> DateTime<FixedOffset> {
        match self {
            Self::Fixed(offset) => at.with_timezone(&offset),
            Self::Local => at.with_timezone(&Local).fixed_offset(),
        }
    }

    /// The calendar day of an instant in this zone.
    pub fn day_of<T: TimeZone>(self, at: &DateTime<T>) -> NaiveDate {
        self.convert(at).date_naive()
    }

    /// The first instant of a day in this zone.
    pub fn start_of(self, day: NaiveDate) -> DateTime<FixedOffset> {
        self.localize(day.and_time(NaiveTime::MIN))
    }
}

/// Parses a date as found in metadata: RFC 3339, RFC 2822, `YYYY-MM-DD[ HH:MM[:SS]]`.
pub fn parse_meta_date(raw: &str, zone: Zone) -> Option<DateTime<FixedOffset>> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M%z",
        "%Y%m%dT%H%M%S%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y%m%dT%H%M%S",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(zone.localize(n));
        }
    }
    meta_day(s).map(|day| zone.start_of(day))
}

/// The day of a metadata date written as a day alone (`2026-11-22`): [`parse_meta_date`]
/// takes it at midnight, which it does not say.
pub fn meta_day(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// A boundary for `--since` / `--until`: `YYYY-MM-DD`, `today`, `yesterday` or `Nd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayArg(pub NaiveDate);

impl DayArg {
    /// Reads a DATE argument relative to `today`.
    pub fn parse(raw: &str, today: NaiveDate) -> Result<Self, String> {
        let s = raw.trim().to_ascii_lowercase();
        let day = match s.as_str() {
            "today" => Some(today),
            "yesterday" => today.pred_opt(),
            _ => match s.strip_suffix('d').map(str::parse::<u32>) {
                Some(Ok(n)) if n <= 36_500 => {
                    today.checked_sub_days(chrono::Days::new(u64::from(n)))
                }
                _ => NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok(),
            },
        };
        day.map(Self).ok_or_else(|| not_a_date(raw))
    }
}

/// Why a DATE argument is refused, and how to write one.
fn not_a_date(raw: &str) -> String {
    let s = raw.trim();
    // `-1d` for yesterday: Nd already counts back.
    let back = match s.strip_prefix('-') {
        Some(rest) if rest.strip_suffix(['d', 'D']).is_some_and(is_number) => format!(
            ": Nd counts back from today, so write {}",
            crate::sanitize::echo(rest)
        ),
        _ => String::new(),
    };
    let raw = crate::sanitize::echo(raw);
    format!("'{raw}' is not a date{back} (use YYYY-MM-DD, today, yesterday or 7d)")
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Where "now" comes from, so that tests can fix it.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant, for tests and for `COPYDESK_NOW`.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plus7() -> Zone {
        "+07:00".parse().expect("zone")
    }

    #[test]
    fn zones_parse() {
        assert_eq!("UTC".parse::<Zone>(), Ok(Zone::Fixed(utc_offset())));
        assert_eq!("local".parse::<Zone>(), Ok(Zone::Local));
        assert!(
            "Mars/Olympus"
                .parse::<Zone>()
                .unwrap_err()
                .contains("'Mars/Olympus'")
        );
    }

    #[test]
    fn a_zone_is_named_as_its_times_show() {
        assert_eq!(plus7().label(), "+07:00");
        assert_eq!(Zone::Fixed(utc_offset()).label(), "UTC");
        // The machine's zone names its offset now only: summer times show another.
        assert!(Zone::Local.label().starts_with("local (now "));
    }

    #[test]
    fn meta_dates_keep_their_zone() {
        let d = parse_meta_date("2026-11-24T08:30:00+07:00", Zone::Local).expect("date");
        assert_eq!(d.to_rfc3339(), "2026-11-24T08:30:00+07:00");
        let d = parse_meta_date("Tue, 24 Nov 2026 10:00:00 +0100", Zone::Local).expect("date");
        assert_eq!(d.to_rfc3339(), "2026-11-24T10:00:00+01:00");
    }

    #[test]
    fn dates_without_zone_use_the_configured_zone() {
        let d = parse_meta_date("2026-11-25 14:10", plus7()).expect("date");
        assert_eq!(d.to_rfc3339(), "2026-11-25T14:10:00+07:00");
        let d = parse_meta_date("2026-11-22", plus7()).expect("date");
        assert_eq!(d.to_rfc3339(), "2026-11-22T00:00:00+07:00");
        assert_eq!(parse_meta_date("next Tuesday-ish", plus7()), None);
    }

    #[test]
    fn a_meta_date_is_a_day_alone_only_without_a_time() {
        assert_eq!(
            meta_day(" 2026-11-22 "),
            NaiveDate::from_ymd_opt(2026, 11, 22)
        );
        for timed in [
            "2026-11-22T00:00:00+07:00",
            "2026-11-22 00:00",
            "2026-11-22T00:00",
            "Sun, 22 Nov 2026 00:00:00 +0000",
            "20261122T000000",
            "next Tuesday",
        ] {
            assert_eq!(meta_day(timed), None, "{timed}");
        }
    }

    #[test]
    fn day_args() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("day");
        let day = |s| DayArg::parse(s, today).map(|d| d.0.to_string());
        assert_eq!(day("today").as_deref(), Ok("2026-11-27"));
        assert_eq!(day("yesterday").as_deref(), Ok("2026-11-26"));
        assert_eq!(day("7d").as_deref(), Ok("2026-11-20"));
        assert_eq!(day("2026-01-02").as_deref(), Ok("2026-01-02"));
        assert!(day("tomorrowish").unwrap_err().contains("'tomorrowish'"));
        assert_eq!(
            day("-1d"),
            Err(
                "'-1d' is not a date: Nd counts back from today, so write 1d \
                 (use YYYY-MM-DD, today, yesterday or 7d)"
                    .into()
            )
        );
    }
}
