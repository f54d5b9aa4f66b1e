//! IPTC ninjs 1.x–2.x JSON: one item, or an array of items.

use serde_json::Value;

use super::{ParseError, Parsed, html, meta};
use crate::inbox::article::{Format, RawItem};

/// Reads ninjs from parsed JSON.
pub fn parse(value: &Value) -> Result<Parsed, ParseError> {
    let objects: Vec<&Value> = match value {
        Value::Array(items) => items.iter().filter(|v| v.is_object()).collect(),
        Value::Object(_) => vec![value],
        _ => {
            return Err(ParseError(
                "JSON is neither a JSON Feed nor a ninjs item".into(),
            ));
        }
    };
    let mut warnings = Vec::new();
    let items: Vec<RawItem> = objects
        .into_iter()
        .filter_map(|o| read_item(o, &mut warnings))
        .collect();
    if items.is_empty() {
        let why = warnings
            .first()
            .cloned()
            .unwrap_or_else(|| "no ninjs item with a headline or body".into());
        return Err(ParseError(format!(
            "JSON is neither a JSON Feed nor a ninjs item: {why}"
        )));
    }
    Ok(Parsed {
        format: Format::Ninjs,
        items,
        warnings,
    })
}

fn read_item(o: &Value, warnings: &mut Vec<String>) -> Option<RawItem> {
    let title = text_field(o, "headline", warnings).or_else(|| first_of(o, "headlines"));
    let body = text_field(o, "body_text", warnings)
        .or_else(|| text_field(o, "body_html", warnings).map(|h| html::fragment_to_text(&h)))
        .or_else(|| first_of(o, "bodies").map(|b| html::fragment_to_text(&b)))
        .unwrap_or_default();
    if title.is_none() && body.trim().is_empty() {
        return None;
    }
    let mut item = RawItem {
        item_key: text_field(o, "uri", warnings).or_else(|| text_field(o, "guid", warnings)),
        title,
        body,
        declared_lang: text_field(o, "language", warnings).and_then(|l| meta::normalize_lang(&l)),
        url: text_field(o, "uri", warnings).filter(|u| u.starts_with("http")),
        author: o.get("byline").and_then(Value::as_str).map(str::to_string),
        source: o
            .get("copyrightholder")
            .or_else(|| o.get("provider"))
            .and_then(|p| p.as_str().map(str::to_string).or_else(|| first_name(p))),
        ..RawItem::default()
    };
    let date = text_field(o, "versioncreated", warnings)
        .or_else(|| text_field(o, "firstcreated", warnings));
    meta::set_date(&mut item, date.as_deref());
    Some(item)
}

/// A string field; a field of the wrong type is a warning, not a failure.
fn text_field(o: &Value, key: &str, warnings: &mut Vec<String>) -> Option<String> {
    match o.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::String(_) | Value::Null => None,
        other => {
            let note = format!(
                "ninjs field '{key}' should be a string, found {}",
                kind(other)
            );
            if !warnings.contains(&note) {
                warnings.push(note);
            }
            None
        }
    }
}

/// ninjs 2.x `headlines`/`bodies`: `[{"value": "...", "role": "main"}, ...]`.
fn first_of(o: &Value, key: &str) -> Option<String> {
    let list = o.get(key)?.as_array()?;
    let main = list
        .iter()
        .find(|h| h.get("role").and_then(Value::as_str) == Some("main"));
    main.or(list.first())?
        .get("value")?
        .as_str()
        .map(str::to_string)
}

fn first_name(v: &Value) -> Option<String> {
    v.get("name").and_then(Value::as_str).map(str::to_string)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ninjs_1() {
        let v: Value = serde_json::from_str(r#"{"uri":"urn:x:1","headline":"Port strike","body_text":"Dockers stopped.","language":"en-GB","versioncreated":"2026-11-23T10:00:00Z"}"#).expect("json");
        let item = &parse(&v).expect("parsed").items[0];
        assert_eq!(item.title.as_deref(), Some("Port strike"));
        assert_eq!(item.declared_lang.as_deref(), Some("en"));
        assert_eq!(item.date_raw.as_deref(), Some("2026-11-23T10:00:00Z"));
        assert_eq!(item.item_key.as_deref(), Some("urn:x:1"));
    }

    #[test]
    fn ninjs_2_headlines_and_bodies() {
        let v: Value = serde_json::from_str(r#"{"guid":"g","headlines":[{"role":"main","value":"Titre"}],"bodies":[{"value":"<p>Un.</p><p>Deux.</p>"}],"language":"fr"}"#).expect("json");
        let item = &parse(&v).expect("parsed").items[0];
        assert_eq!(item.title.as_deref(), Some("Titre"));
        assert_eq!(item.body, "Un.\n\nDeux.");
    }

    #[test]
    fn wrong_types_are_warnings_or_errors() {
        let v: Value =
            serde_json::from_str(r#"{"headline": 42, "body_text": ["a"]}"#).expect("json");
        let err = parse(&v).unwrap_err();
        assert!(
            err.0
                .contains("'headline' should be a string, found a number"),
            "{err}"
        );
    }
}
