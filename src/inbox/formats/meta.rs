//! Metadata fields shared by front matter, ninjs and the other readers.

use crate::inbox::article::RawItem;

/// Records a metadata date as written; ingest reads it in the configured zone.
pub fn set_date(item: &mut RawItem, raw: Option<&str>) {
    if let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) {
        item.date_raw = Some(raw.to_string());
    }
}

/// A language code as metadata gives it (`fr`, `fr-FR`, `FR`, `zh_Hans`) as ISO 639-1 where possible.
pub fn normalize_lang(raw: &str) -> Option<String> {
    let primary = raw.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let code = match primary.as_str() {
        "" => return None,
        "fre" | "fra" => "fr",
        "eng" => "en",
        "ind" | "in" => "id",
        "msa" | "may" | "zsm" => "ms",
        "zho" | "chi" | "cmn" => "zh",
        "jpn" => "ja",
        "ara" => "ar",
        "spa" => "es",
        "deu" | "ger" => "de",
        "por" => "pt",
        "rus" => "ru",
        other if other.len() == 2 && other.chars().all(|c| c.is_ascii_lowercase()) => other,
        _ => return None,
    };
    Some(code.to_string())
}

/// A language segment in a URL path: `https://x.test/fr/...` gives `fr`.
pub fn lang_in_url(url: &str) -> Option<String> {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    path.split('/')
        .take(3)
        .find(|seg| {
            seg.len() == 2
                && seg.chars().all(|c| c.is_ascii_lowercase())
                && crate::language::is_known(seg)
        })
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_normalise() {
        assert_eq!(normalize_lang("fr-FR").as_deref(), Some("fr"));
        assert_eq!(normalize_lang("zh_Hans").as_deref(), Some("zh"));
        assert_eq!(normalize_lang("ind").as_deref(), Some("id"));
        assert_eq!(normalize_lang("klingon"), None);
    }

    #[test]
    fn url_language_segment() {
        assert_eq!(
            lang_in_url("https://berita.test/fr/monde/x").as_deref(),
            Some("fr")
        );
        assert_eq!(lang_in_url("https://berita.test/news/2026/x"), None);
    }
}
