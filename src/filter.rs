//! Filters shared by `list`, `export`, `report` and the screen.

use chrono::NaiveDate;

use crate::inbox::Article;
use crate::sanitize::echo;
use crate::signals::SignalKind;
use crate::state::{State, Status};
use crate::time::{DayArg, Zone};

/// Which articles to keep. Empty lists keep everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub statuses: Vec<Status>,
    pub langs: Vec<String>,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Only articles whose current decision was made by this editor.
    pub editor: Option<String>,
    pub signals: Vec<SignalKind>,
}

/// Raw filter arguments as typed on the command line.
#[derive(Debug, Clone, Default)]
pub struct FilterArgs {
    pub status: Option<String>,
    pub lang: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub editor: Option<String>,
    pub signal: Option<String>,
}

fn split(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// Every ISO 639-1 code.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// Checks a language code typed by a user: ISO 639-1, or `und`.
pub fn parse_lang(code: &str) -> Result<String, String> {
    let c = code.trim().to_ascii_lowercase();
    if c == "und" || (c.len() == 2 && ISO_639_1.split(' ').any(|known| known == c)) {
        Ok(c)
    } else {
        Err(format!(
            "'{}' is not a language code (use ISO 639-1, like fr, en, id, ms, or und)",
            echo(code)
        ))
    }
}

impl FilterArgs {
    /// Validates every value; the first bad one is named in the error.
    pub fn build(&self, today: NaiveDate) -> Result<Filter, String> {
        let mut f = Filter::default();
        // An empty list would filter nothing: a script's empty variable, not a wish.
        let listed = |flag: &str, list: &str| -> Result<(), String> {
            match split(list).next() {
                Some(_) => Ok(()),
                None => Err(format!(
                    "{flag} '{}' names nothing: give one or more, comma-separated",
                    echo(list)
                )),
            }
        };
        if let Some(s) = &self.status {
            listed("--status", s)?;
            f.statuses = split(s).map(str::parse).collect::<Result<_, _>>()?;
        }
        if let Some(l) = &self.lang {
            listed("--lang", l)?;
            f.langs = split(l).map(parse_lang).collect::<Result<_, _>>()?;
        }
        if let Some(s) = &self.signal {
            listed("--signal", s)?;
            f.signals = split(s).map(str::parse).collect::<Result<_, _>>()?;
        }
        f.since = self
            .since
            .as_deref()
            .map(|d| DayArg::parse(d, today).map(|d| d.0))
            .transpose()?;
        f.until = self
            .until
            .as_deref()
            .map(|d| DayArg::parse(d, today).map(|d| d.0))
            .transpose()?;
        if let (Some(since), Some(until)) = (f.since, f.until) {
            let raw = |r: &Option<String>| r.clone().unwrap_or_default();
            days_in_order((&raw(&self.since), since), (&raw(&self.until), until))?;
        }
        f.editor = self.editor.clone();
        Ok(f)
    }
}

/// `--since` and `--until` as given and as days: an error when no day is in between, worded
/// the same by every command.
pub fn days_in_order(
    (since_raw, since): (&str, NaiveDate),
    (until_raw, until): (&str, NaiveDate),
) -> Result<(), String> {
    if since <= until {
        return Ok(());
    }
    Err(format!(
        "--since '{}' ({since}) is after --until '{}' ({until}): no day is in between",
        echo(since_raw),
        echo(until_raw)
    ))
}

impl Filter {
    /// Whether an article passes every part of the filter.
    pub fn matches(&self, a: &Article, state: &State, zone: Zone) -> bool {
        let entry = state.entry_for(a);
        let status = entry.map_or(Status::Untriaged, |e| e.status);
        let day = zone.day_of(&a.date);
        (self.statuses.is_empty() || self.statuses.contains(&status))
            && (self.langs.is_empty() || self.langs.iter().any(|l| **l == *a.lang))
            && self.since.is_none_or(|s| day >= s)
            && self.until.is_none_or(|u| day <= u)
            && self
                .editor
                .as_ref()
                .is_none_or(|ed| entry.is_some_and(|e| e.decided() && &e.editor == ed))
            && (self.signals.is_empty()
                || a.signals().iter().any(|s| self.signals.contains(&s.kind)))
    }

    /// Whether any part is set.
    pub fn is_active(&self) -> bool {
        *self != Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_are_named() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("day");
        let bad = |args: FilterArgs| args.build(today).unwrap_err();
        assert!(
            bad(FilterArgs {
                status: Some("verified,approved".into()),
                ..Default::default()
            })
            .contains("'approved'")
        );
        assert!(
            bad(FilterArgs {
                lang: Some("french".into()),
                ..Default::default()
            })
            .contains("'french'")
        );
        assert!(
            bad(FilterArgs {
                lang: Some("fr,xx".into()),
                ..Default::default()
            })
            .contains("'xx'")
        );
        assert!(
            bad(FilterArgs {
                since: Some("soon".into()),
                ..Default::default()
            })
            .contains("'soon'")
        );
        assert!(
            bad(FilterArgs {
                signal: Some("vibes".into()),
                ..Default::default()
            })
            .contains("'vibes'")
        );
        assert!(
            bad(FilterArgs {
                since: Some("today".into()),
                until: Some("yesterday".into()),
                ..Default::default()
            })
            .contains("is after --until")
        );
        let ok = FilterArgs {
            status: Some("untriaged, needs-review".into()),
            since: Some("7d".into()),
            ..Default::default()
        };
        let f = ok.build(today).expect("filter");
        assert_eq!(f.statuses, vec![Status::Untriaged, Status::NeedsReview]);
        assert_eq!(f.since, NaiveDate::from_ymd_opt(2026, 11, 20));
    }
}
