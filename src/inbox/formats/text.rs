//! Plain text shaped like the seed, and Markdown/text with TOML (`+++`) or YAML (`---`) front matter.

use super::{ParseError, Parsed, meta, simple_fields};
use crate::inbox::article::{Format, RawItem};
use crate::language::is_share_residue;

/// Longest line taken whole as a title; a longer first line is a lede, shortened.
const MAX_TITLE_CHARS: usize = 140;

/// Plain text: the title is the first meaningful line, after share/navigation residue.
pub fn parse_plain(text: &str) -> Result<Parsed, ParseError> {
    let (title, body) = split_title(text);
    if title.is_none() && body.trim().is_empty() {
        return Err(ParseError("no text in file".into()));
    }
    Ok(Parsed::one(
        Format::Text,
        RawItem {
            title,
            body,
            ..RawItem::default()
        },
    ))
}

/// Markdown without front matter: the first heading (or line) is the title.
pub fn parse_markdown(text: &str) -> Parsed {
    let body = markdown_to_text(text);
    let (title, body) = split_title(&body);
    Parsed::one(
        Format::Markdown,
        RawItem {
            title,
            body,
            ..RawItem::default()
        },
    )
}

/// A front matter block, then Markdown or plain text.
pub fn parse_front_matter(text: &str) -> Result<Parsed, ParseError> {
    let (fence, block, rest) = front_matter_parts(text)?;
    let fields = if fence == "+++" {
        toml_fields(block)?
    } else {
        yaml_fields(block)?
    };
    let mut item = item_from_fields(&fields);
    let body = markdown_to_text(rest);
    if item.title.is_some() {
        item.body = body.trim().to_string();
    } else {
        (item.title, item.body) = split_title(&body);
    }
    Ok(Parsed::one(Format::Markdown, item))
}

/// [`parse_front_matter`] without converting the body: the fields, read by the quick readers,
/// and the body's first line. `None` when the block is not of the plainest shape or gives no
/// title (the title is then the body's first line, found by the full reader).
pub fn front_matter_head(text: &str) -> Option<Parsed> {
    let (fence, block, rest) = front_matter_parts(text).ok()?;
    let fields = if fence == "+++" {
        simple_fields::toml(block)?
    } else {
        simple_fields::yaml(block)?
    };
    let mut item = item_from_fields(&fields);
    item.title.as_ref()?;
    item.body = first_body_line(rest);
    Some(Parsed::one(Format::Markdown, item))
}

/// The first line of [`markdown_to_text`] that is not blank, trimmed: the start of the text it
/// gives, and empty exactly when that text is blank.
fn first_body_line(md: &str) -> String {
    let mut line = String::new();
    for l in md.trim().lines() {
        line.clear();
        markdown_line(l, &mut line);
        if !line.trim().is_empty() {
            return line.trim().to_string();
        }
    }
    String::new()
}

/// A front matter block's fence, its text, and the text after it.
fn front_matter_parts(text: &str) -> Result<(&str, &str, &str), ParseError> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let fence = t
        .get(..3)
        .filter(|f| *f == "---" || *f == "+++")
        .ok_or_else(|| ParseError("front matter: no '---' or '+++' fence".into()))?;
    let after_open = t[3..].trim_start_matches([' ', '\t']);
    let after_open = after_open
        .strip_prefix("\r\n")
        .or_else(|| after_open.strip_prefix('\n'))
        .ok_or_else(|| {
            ParseError(format!(
                "front matter: '{fence}' must be alone on the first line"
            ))
        })?;
    let (block, rest) = split_at_fence(after_open, fence)
        .ok_or_else(|| ParseError(format!("front matter: the closing '{fence}' is missing")))?;
    Ok((fence, block, rest))
}

/// An item from front matter fields, its body still to be set.
fn item_from_fields(fields: &Fields) -> RawItem {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let mut item = RawItem {
        id: get("id"),
        title: get("title").or_else(|| get("headline")),
        declared_lang: get("lang")
            .or_else(|| get("language"))
            .and_then(|l| meta::normalize_lang(&l)),
        source: get("source"),
        url: get("url"),
        translation_of: get("translation_of"),
        author: get("author"),
        ..RawItem::default()
    };
    meta::set_date(
        &mut item,
        get("date").or_else(|| get("published")).as_deref(),
    );
    item
}

/// The text after a front matter block, or after its opening line when it is never closed.
pub fn after_front_matter(text: &str) -> &str {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let fence = t.get(..3).unwrap_or("");
    let after_open = t.split_once('\n').map_or("", |(_, rest)| rest);
    split_at_fence(after_open, fence).map_or(after_open, |(_, rest)| rest)
}

fn split_at_fence<'a>(text: &'a str, fence: &str) -> Option<(&'a str, &'a str)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == fence {
            return Some((&text[..offset], &text[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// Front matter fields with a scalar value, as text.
pub(super) type Fields = Vec<(String, String)>;

pub(super) fn toml_fields(block: &str) -> Result<Fields, ParseError> {
    let table: toml::Table = block.parse().map_err(|e: toml::de::Error| {
        ParseError(format!(
            "front matter: invalid TOML: {}",
            one_line(e.message())
        ))
    })?;
    Ok(table
        .into_iter()
        .filter_map(|(k, v)| scalar_toml(&v).map(|s| (k, s)))
        .collect())
}

fn scalar_toml(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        toml::Value::Array(_) | toml::Value::Table(_) => None,
    }
}

pub(super) fn yaml_fields(block: &str) -> Result<Fields, ParseError> {
    use yaml_rust2::{Yaml, YamlLoader};
    // The loader copies an alias's value wherever it is used: nine lines of aliases make
    // billions of nodes. Front matter needs none (only plain values are kept).
    if block.contains('&') && block.contains('*') && uses_aliases(block) {
        return Err(ParseError(
            "front matter: YAML aliases (*name) are not read".into(),
        ));
    }
    let docs = YamlLoader::load_from_str(block).map_err(|e| {
        ParseError(format!(
            "front matter: invalid YAML: {}",
            one_line(&e.to_string())
        ))
    })?;
    let Some(Yaml::Hash(hash)) = docs.into_iter().next() else {
        return Err(ParseError(
            "front matter: YAML is not a set of 'key: value' lines".into(),
        ));
    };
    Ok(hash
        .into_iter()
        .filter_map(|(k, v)| {
            let key = k.as_str()?.to_string();
            let value = match v {
                Yaml::String(s) | Yaml::Real(s) => s,
                Yaml::Integer(i) => i.to_string(),
                Yaml::Boolean(b) => b.to_string(),
                _ => return None,
            };
            Some((key, value))
        })
        .collect())
}

/// Whether the YAML uses an alias before any syntax error (which the loader reports).
fn uses_aliases(block: &str) -> bool {
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(block);
    loop {
        match parser.next_token() {
            Ok((Event::Alias(_), _)) => return true,
            Ok((Event::StreamEnd, _)) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits off the title: the first meaningful line after share residue.
///
/// A first line too long for a headline is a lede: the title is its first sentence, shortened,
/// and the line stays in the body.
pub fn split_title(text: &str) -> (Option<String>, String) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() || is_share_residue(trimmed) {
            offset += line.len();
            continue;
        }
        let rest = &text[offset + line.len()..];
        if trimmed.chars().count() <= MAX_TITLE_CHARS {
            // Keep residue lines above the title in the body, so cleaning can see and report them.
            let residue = text[..offset].trim();
            let rest = rest.trim_start_matches(['\n', '\r']);
            let body = if residue.is_empty() {
                rest.to_string()
            } else {
                format!("{residue}\n\n{rest}")
            };
            return (Some(trimmed.to_string()), body);
        }
        return (Some(headline_from_lede(trimmed)), text.to_string());
    }
    (None, text.to_string())
}

fn headline_from_lede(line: &str) -> String {
    let sentence_end = line
        .char_indices()
        .find(|&(i, c)| matches!(c, '.' | '!' | '?' | '。' | '！' | '？') && i > 20)
        .map_or(line.len(), |(i, c)| i + c.len_utf8());
    let sentence = &line[..sentence_end];
    if sentence.chars().count() <= MAX_TITLE_CHARS {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(MAX_TITLE_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// Markdown to readable text: heading marks, emphasis, links and images dropped.
fn markdown_to_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for (i, line) in md.trim().lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        markdown_line(line, &mut out);
    }
    out.trim().to_string()
}

/// One line of Markdown as text, pushed onto `out`: each line is converted on its own.
fn markdown_line(line: &str, out: &mut String) {
    let l = line.trim_start();
    let l = if l.starts_with('#') {
        l.trim_start_matches('#').trim_start()
    } else {
        line
    };
    if l.contains(['*', '_']) {
        let mut plain = String::new();
        strip_links(l, &mut plain);
        out.push_str(&plain.replace("**", "").replace("__", ""));
    } else {
        strip_links(l, out);
    }
}

/// `line` with Markdown links reduced to their text and images dropped, pushed onto `out`.
fn strip_links(line: &str, out: &mut String) {
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|c| open + c) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|e| close + e) else {
            break;
        };
        let is_image = rest[..open].ends_with('!');
        out.push_str(&rest[..if is_image { open - 1 } else { open }]);
        if !is_image {
            out.push_str(&rest[open + 1..close]);
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_shaped_text_skips_share_residue() {
        let p = parse_plain("Partager:\n\nBanjir di Semarang\n\nPara warga.\n").expect("parsed");
        assert_eq!(p.items[0].title.as_deref(), Some("Banjir di Semarang"));
        assert_eq!(p.items[0].body, "Partager:\n\nPara warga.\n");
    }

    #[test]
    fn a_lede_gives_a_shortened_headline_and_stays_in_the_body() {
        let lede = "Jakarta - La Russie et la Chine doivent rester fermes en rejetant l'ingérence occidentale, ont convenu mercredi les présidents lors d'un long appel vidéo. Suite.";
        let (title, body) = split_title(lede);
        let title = title.expect("title");
        assert!(title.starts_with("Jakarta - La Russie"), "{title}");
        assert!(title.chars().count() <= MAX_TITLE_CHARS + 1, "{title}");
        assert_eq!(body, lede);
    }

    #[test]
    fn yaml_front_matter() {
        let doc = "---\ntitle: \"Banjir\"\ndate: 2026-11-24T08:30:00+07:00\nlang: id\ntranslation_of: mt/x.id\n---\n# Ignored heading\n\nTeks [tautan](https://x.test) di sini.\n";
        let item = &parse_front_matter(doc).expect("parsed").items[0];
        assert_eq!(item.title.as_deref(), Some("Banjir"));
        assert_eq!(item.declared_lang.as_deref(), Some("id"));
        assert_eq!(item.date_raw.as_deref(), Some("2026-11-24T08:30:00+07:00"));
        assert_eq!(item.translation_of.as_deref(), Some("mt/x.id"));
        assert_eq!(item.body, "Ignored heading\n\nTeks tautan di sini.");
    }

    #[test]
    fn yaml_aliases_are_refused_before_they_multiply() {
        let mut block = String::from("a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i", "j"]
            .iter()
            .zip("abcdefghi".chars())
        {
            let refs = vec![format!("*{prev}"); 9].join(", ");
            block.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        block.push_str("title: *j\n");
        let refused = yaml_fields(&block).expect_err("refused");
        assert!(refused.0.contains("aliases"), "{}", refused.0);
        // Anchors and stars that are not aliases are fine.
        let fields = yaml_fields("title: \"R&D at *the* lab\"\n").expect("read");
        assert_eq!(
            fields.first().map(|f| f.1.as_str()),
            Some("R&D at *the* lab")
        );
    }

    #[test]
    fn toml_front_matter_with_native_date() {
        let doc = "+++\nid = \"wire-77\"\ntitle = \"Grève au port\"\ndate = 2026-11-23T10:00:00+01:00\nlanguage = \"fr-FR\"\n+++\nCorps.\n";
        let item = &parse_front_matter(doc).expect("parsed").items[0];
        assert_eq!(item.id.as_deref(), Some("wire-77"));
        assert_eq!(item.declared_lang.as_deref(), Some("fr"));
        assert_eq!(item.date_raw.as_deref(), Some("2026-11-23T10:00:00+01:00"));
    }

    #[test]
    fn broken_front_matter_says_why() {
        let unclosed = parse_front_matter("---\ntitle: x\nbody without end").unwrap_err();
        assert_eq!(unclosed.0, "front matter: the closing '---' is missing");
        let bad_yaml = parse_front_matter("---\ntitle: \"open\n  - : :\n---\nx").unwrap_err();
        assert!(
            bad_yaml.0.starts_with("front matter: invalid YAML"),
            "{bad_yaml}"
        );
        let bad_toml = parse_front_matter("+++\ntitle = \n+++\nx").unwrap_err();
        assert!(
            bad_toml.0.starts_with("front matter: invalid TOML"),
            "{bad_toml}"
        );
    }
}
