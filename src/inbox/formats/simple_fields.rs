//! Front matter of the plainest shape, one `key: value` or `key = value` a line, read without
//! the YAML and TOML parsers (which cost more than the rest of a list's reading of the file).
//!
//! Each reader accepts only lines whose meaning it knows exactly and gives what the parser
//! would, as `text::yaml_fields` and `text::toml_fields` turn it into strings; anything else
//! (indentation, comments, tabs, lists, tables, block or multi-line strings, unknown escapes,
//! floats, local dates, duplicate keys, control characters) gives `None`, and the caller
//! uses the parser. Tests compare both on generated blocks.

use yaml_rust2::Yaml;

use super::text::Fields;

/// Fields of a YAML block made only of `key: value` lines at the margin, each value plain,
/// `"double-quoted"` or `'single-quoted'` on its line.
pub fn yaml(block: &str) -> Option<Fields> {
    let mut fields = Vec::new();
    let mut keys: Vec<&str> = Vec::new();
    for line in lines(block)? {
        if line.bytes().all(|b| b == b' ') {
            continue;
        }
        let (key, value) = line.split_once(':')?;
        if !is_yaml_key(key) {
            return None;
        }
        // `key:value` is one plain scalar, not a pair.
        if !(value.is_empty() || value.starts_with(' ')) || keys.contains(&key) {
            return None;
        }
        keys.push(key);
        let value = value.trim_matches(' ');
        let text = match value.as_bytes().first() {
            None => continue, // null: no field
            Some(b'"') => double_quoted(value, yaml_escape)?,
            Some(b'\'') => yaml_single_quoted(value)?,
            Some(_) => match yaml_plain(value)? {
                Some(text) => text,
                None => continue,
            },
        };
        fields.push((key.to_string(), text));
    }
    (!keys.is_empty()).then_some(fields)
}

/// Fields of a TOML block made only of `key = value` lines with bare keys, each value a
/// one-line string, `true`/`false`, a decimal integer or an offset date-time with seconds.
pub fn toml(block: &str) -> Option<Fields> {
    let mut fields: Fields = Vec::new();
    for line in lines(block)? {
        if line.bytes().all(|b| b == b' ') {
            continue;
        }
        let (key, value) = line.split_once('=')?;
        let key = key.trim_end_matches(' ');
        let bare = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        if key.is_empty() || !key.bytes().all(bare) || fields.iter().any(|(k, _)| k == key) {
            return None;
        }
        let value = value.trim_matches(' ');
        let text = match value.as_bytes().first()? {
            b'"' if !value.starts_with("\"\"\"") => double_quoted(value, toml_escape)?,
            b'\'' if !value.starts_with("'''") => toml_literal(value)?,
            b't' | b'f' => matches!(value, "true" | "false").then(|| value.to_string())?,
            b'0'..=b'9' | b'+' | b'-' => toml_integer(value).or_else(|| toml_datetime(value))?,
            _ => return None,
        };
        fields.push((key.to_string(), text));
    }
    // An empty table is a valid block: it gives no fields, as the parser's would.
    Some(fields)
}

/// The block's lines without their `\r\n` or `\n`; `None` when any holds a character either
/// reader leaves to its parser: tabs, other control characters, a lone `\r`, line or paragraph
/// separators, the byte order mark, non-characters.
fn lines(block: &str) -> Option<impl Iterator<Item = &str>> {
    let suspicious = |c: char| {
        (c.is_control() && c != '\n' && c != '\r')
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
    };
    if block.chars().any(suspicious) {
        return None;
    }
    let lines = block
        .strip_suffix('\n')
        .unwrap_or(block)
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l));
    // A `\r` not ending a line.
    if lines.clone().any(|l| l.contains('\r')) {
        return None;
    }
    Some(lines)
}

/// A YAML key of ASCII letters, digits, `_` and `-`, starting with a letter or `_`, that the
/// loader reads as a string (`true`, `null`, `nan` are not).
fn is_yaml_key(key: &str) -> bool {
    let b = key.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        && matches!(Yaml::from_str(key), Yaml::String(_))
}

/// A YAML plain scalar on one line, as the loader types it: `Some(None)` for null.
fn yaml_plain(value: &str) -> Option<Option<String>> {
    // Indicators that start something other than a plain scalar (or need a closer look).
    if value.starts_with(|c| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        || value.contains(": ")
        || value.contains(" #")
        || value.ends_with(':')
    {
        return None;
    }
    match Yaml::from_str(value) {
        Yaml::String(s) | Yaml::Real(s) => Some(Some(s)),
        Yaml::Integer(i) => Some(Some(i.to_string())),
        Yaml::Boolean(b) => Some(Some(b.to_string())),
        Yaml::Null => Some(None),
        _ => None,
    }
}

/// A `'...'` string closed at the end of `value`, every quote inside doubled.
fn yaml_single_quoted(value: &str) -> Option<String> {
    let inner = value.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\'' && chars.next()? != '\'' {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

fn toml_literal(value: &str) -> Option<String> {
    let inner = value.strip_prefix('\'')?.strip_suffix('\'')?;
    (!inner.contains('\'')).then(|| inner.to_string())
}

/// A `"..."` string closed at the end of `value`, escapes read by `escape`.
fn double_quoted(value: &str, escape: fn(char) -> Option<char>) -> Option<String> {
    let inner = value.strip_prefix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return chars.as_str().is_empty().then_some(out),
            '\\' => match chars.next()? {
                'u' => out.push(hex_char(&mut chars, 4)?),
                e => out.push(escape(e)?),
            },
            c => out.push(c),
        }
    }
    None
}

/// The escapes both YAML and JSON have (what `json.dumps` writes), and `\/`.
fn yaml_escape(e: char) -> Option<char> {
    match e {
        '/' => Some('/'),
        _ => toml_escape(e),
    }
}

/// TOML's one-character escapes (`\u` is read apart; `\U`, `\e` and `\x` are left to the parser).
fn toml_escape(e: char) -> Option<char> {
    Some(match e {
        '"' => '"',
        '\\' => '\\',
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'b' => '\u{8}',
        'f' => '\u{c}',
        _ => return None,
    })
}

/// `n` hex digits naming a character (not a surrogate).
fn hex_char(chars: &mut std::str::Chars<'_>, n: usize) -> Option<char> {
    let digits: String = chars.by_ref().take(n).collect();
    if digits.len() != n || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    char::from_u32(u32::from_str_radix(&digits, 16).ok()?)
}

/// A decimal TOML integer (`0`, `42`, `-7`, `+3`: no leading zeros, no underscores), as the
/// parser's `i64` prints.
fn toml_integer(value: &str) -> Option<String> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    plain.then(|| value.parse::<i64>().ok().map(|i| i.to_string()))?
}

/// A date `YYYY-MM-DD`, optionally with a time `THH:MM:SS`, optionally then with `Z` or
/// `+HH:MM`, as the parser prints it.
fn toml_datetime(value: &str) -> Option<String> {
    let fits = |pattern: &[u8], bytes: &[u8]| {
        pattern.len() == bytes.len()
            && pattern.iter().zip(bytes).all(|(p, c)| match p {
                b'd' => c.is_ascii_digit(),
                p => p == c,
            })
    };
    let b = value.as_bytes();
    let (date, rest) = b.split_at_checked(10)?;
    let offset = match rest.split_at_checked(9) {
        _ if rest.is_empty() => &[][..],
        Some((time, offset)) if fits(b"Tdd:dd:dd", time) => offset,
        _ => return None,
    };
    let offset_ok = offset.is_empty()
        || offset == b"Z"
        || (offset.len() == 6 && matches!(offset[0], b'+' | b'-') && fits(b"dd:dd", &offset[1..]));
    if !fits(b"dddd-dd-dd", date) || !offset_ok {
        return None;
    }
    value
        .parse::<toml::value::Datetime>()
        .ok()
        .map(|d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::text::{toml_fields, yaml_fields};
    use super::*;

    #[test]
    fn plain_yaml_lines() {
        let block = "title: \"Banjir \\\"besar\\\" \\u00e0 Semarang\"\ndate: 2026-11-24T08:30:00+07:00\nlang: id\nsource: Desk 5\nurl: https://x.test/id/a?b=c#d\nempty:\ncount: 0x1F\nflag: True\nquote: 'it''s'\n\n";
        let fields = yaml(block).expect("simple");
        assert_eq!(Some(fields.clone()), yaml_fields(block).ok());
        assert!(
            fields.contains(&("count".into(), "31".into())),
            "{fields:?}"
        );
        assert!(
            fields.contains(&("flag".into(), "true".into())),
            "{fields:?}"
        );
        assert!(
            fields.contains(&("quote".into(), "it's".into())),
            "{fields:?}"
        );
        assert!(!fields.iter().any(|(k, _)| k == "empty"));
    }

    #[test]
    fn plain_toml_lines() {
        let block = "id = \"wire-77\"\r\ntitle = \"Grève \\\"au\\\" port\"\r\ndate = 2026-11-23T10:00:00+01:00\r\nn = +42\r\nok = false\r\npath = 'C:\\x'\r\n";
        let fields = toml(block).expect("simple");
        assert_eq!(Some(fields.clone()), toml_fields(block).ok());
        assert!(fields.contains(&("n".into(), "42".into())), "{fields:?}");
    }

    #[test]
    fn anything_else_is_left_to_the_parsers() {
        for block in [
            "title: x\n  more: y\n",
            "# comment\ntitle: x\n",
            "title:\tx\n",
            "title: a: b\n",
            "title: x\ntitle: y\n",
            "tags: [a, b]\n",
            "title: |\n  x\n",
            "title: \"open\n",
            "title: \"x\" y\n",
            "title: \"\\x41\"\n",
            "- a\n- b\n",
            "title: x #note\n",
            "null: x\n",
            "title: x\ry\n",
            "",
        ] {
            assert_eq!(yaml(block), None, "{block:?}");
        }
        for block in [
            "[table]\nx = 1\n",
            "x = 1.5\n",
            "x = 1_000\n",
            "x = 007\n",
            "x = 2026-11-23 10:00:00Z\n",
            "x = 2026-11-23T10:00:00.5Z\n",
            "x = 2026-02-30T10:00:00Z\n",
            "x = \"\"\"a\"\"\"\n",
            "x = [1]\n",
            "a.b = 1\n",
            "\"a\" = 1\n",
            "x = 1\nx = 2\n",
            "x = \"a\" # c\n",
            "  x = 1\n",
            "x = \"\\e\"\n",
        ] {
            assert_eq!(toml(block), None, "{block:?}");
        }
    }

    /// Random blocks from pieces of lines, simple and not: where the quick reader answers,
    /// it must answer as the parser does.
    #[test]
    fn the_quick_readers_agree_with_the_parsers() {
        let yaml_keys = [
            "title", "date", "lang", "x_1", "true", "Title", "a-b", "9a", "_k",
        ];
        let yaml_values = [
            "",
            " plain words",
            " \"dq \\\" \\\\ \\/ \\n \\t \\u00e9 \\ud800\"",
            " 'sq ''x'''",
            " 'bad ' quote'",
            " 2026-11-24T08:30:00+07:00",
            " 12",
            " +12",
            " -3",
            " 0x1f",
            " 0o17",
            " 007",
            " 1.5e3",
            " .inf",
            " .NaN",
            " nan",
            " ~",
            " null",
            " Null",
            " true",
            " FALSE",
            " yes",
            " http://x.test/a#b",
            " a:b",
            " a :b",
            " 北浜市議会",
            " Ünïcödé  ",
            "  spaced  ",
            "\"tight\"",
            " \"x\"   ",
            " -",
            " - a",
            " ?x",
            " @x",
            " `x",
            " %x",
            " a # b",
            " a#b",
            " \"\\a\"",
            " 'x",
            " \"x",
            " é\u{a0}é",
            " \u{85}",
            " a\u{3000}b",
            " x\u{a0}",
            " \u{a0}x",
            " \u{3000}",
            " ''",
            " \"\"",
            " x\u{2003}",
            " x #",
            " x#",
            " x:",
            " x::y",
        ];
        let toml_keys = ["title", "date", "x-1", "9", "_", "a b", "Ü", "t"];
        let toml_values = [
            " \"dq \\\" \\\\ \\n \\u00e9 \\uD800 \\U0001F600\"",
            " 'lit \\n'",
            " true",
            " false",
            " True",
            " 0",
            " -0",
            " +7",
            " 007",
            " 9223372036854775807",
            " 9223372036854775808",
            " 1_0",
            " 1.5",
            " inf",
            " 2026-11-23T10:00:00+01:00",
            " 2026-11-23T10:00:00-00:00",
            " 2026-11-23T10:00:00Z",
            " 2026-11-23T24:00:00Z",
            " 2026-13-01T10:00:00Z",
            " 2024-02-29T10:00:00Z",
            " 2026-11-23t10:00:00z",
            " 2026-11-23T10:00Z",
            " 2026-11-23T10:00:60Z",
            " 2026-11-23T10:00:00+24:00",
            " \"a\" ",
            "\"b\"",
            " \"x\"\u{a0}",
            " ''",
            " \"\"",
            " \"\u{7f}\"",
            " \"a\u{a0}\"",
            " ",
            " 'a' 'b'",
            " \"\\/\"",
            " [1, 2]",
            " {a = 1}",
            " 北浜",
            " \"x\"#c",
        ];
        // Every line alone ...
        for key in yaml_keys {
            for value in yaml_values {
                let block = format!("{key}:{value}\n");
                if let Some(quick) = yaml(&block) {
                    assert_eq!(Ok(quick), yaml_fields(&block), "{block:?}");
                }
            }
        }
        for key in toml_keys {
            for value in toml_values {
                let block = format!("{key} ={value}\n");
                if let Some(quick) = toml(&block) {
                    assert_eq!(Ok(quick), toml_fields(&block), "{block:?}");
                }
            }
        }
        // ... and in blocks of several.
        let mut seed = 11u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize % n
        };
        let (mut yaml_quick, mut toml_quick) = (0, 0);
        // One to five lines of `key` `between` `value`, with assorted line ends.
        let mut block_of = |keys: &[&str], between: &str, values: &[&str]| {
            let mut block = String::new();
            for _ in 0..1 + next(5) {
                let (key, value) = (keys[next(keys.len())], values[next(values.len())]);
                block.push_str(&format!("{key}{between}{value}"));
                block.push_str(["\n", "\r\n", "\n\n"][next(3)]);
            }
            block
        };
        for _ in 0..20_000 {
            let block = block_of(&yaml_keys, ":", &yaml_values);
            if let Some(quick) = yaml(&block) {
                yaml_quick += 1;
                assert_eq!(Ok(quick), yaml_fields(&block), "{block:?}");
            }
            let block = block_of(&toml_keys, " =", &toml_values);
            if let Some(quick) = toml(&block) {
                toml_quick += 1;
                assert_eq!(Ok(quick), toml_fields(&block), "{block:?}");
            }
        }
        // Both readers answered often enough for the comparison to mean something.
        assert!(
            yaml_quick > 1_000 && toml_quick > 1_000,
            "{yaml_quick} {toml_quick}"
        );
    }
}
