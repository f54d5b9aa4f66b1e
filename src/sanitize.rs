//! Article text is untrusted: nothing it contains may act on the editor's terminal.
//!
//! Control characters (C0, DEL, C1, so every escape sequence's introducer) become visible
//! placeholders; bidi controls and zero-width characters are shown as named marks, so that a
//! "Trojan Source" reordering cannot hide text from the editor.

use std::borrow::Cow;

/// The dash and quotation marks copydesk writes around its own words and quotations: ASCII
/// ones in ASCII mode.
pub fn punctuation(ascii: bool) -> (&'static str, &'static str, &'static str) {
    if ascii {
        ("-", "\"", "\"")
    } else {
        ("—", "“", "”")
    }
}

/// How many characters of a value an error message repeats.
pub const ECHO_CHARS: usize = 80;

/// A value the user gave (an id, a name, a date, a path), as an error message repeats it: at
/// most [`ECHO_CHARS`] characters, then `…`, so that a 100 KB id gives a one-line error, not a
/// 100 KB one. Every message that quotes such a value goes through here.
pub fn echo(value: &str) -> Cow<'_, str> {
    match value.char_indices().nth(ECHO_CHARS) {
        Some((cut, _)) => Cow::Owned(format!("{}…", &value[..cut])),
        None => Cow::Borrowed(value),
    }
}

/// A path, as [`echo`] repeats a value, but cut in the middle: its end names the file.
pub fn echo_path(path: &std::path::Path) -> String {
    let shown = path.display().to_string();
    let count = shown.chars().count();
    if count <= ECHO_CHARS {
        return shown;
    }
    let head: String = shown.chars().take(ECHO_CHARS / 3).collect();
    let tail: String = shown
        .chars()
        .skip(count - (ECHO_CHARS - ECHO_CHARS / 3))
        .collect();
    format!("{head}…{tail}")
}

/// Replaces everything that could act on a terminal or hide text. Newlines are kept when
/// `keep_newlines`, tabs become spaces.
pub fn for_terminal(text: &str, ascii: bool, keep_newlines: bool) -> Cow<'_, str> {
    if text
        .chars()
        .all(|c| is_plain(c) || (keep_newlines && c == '\n'))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\t' => out.push_str("    "),
            '\r' => {}
            c if is_plain(c) => out.push(c),
            c if regional_letter(c).is_some() => {
                // A flag is two regional indicators: its country code, in one mark.
                let mut code: String = regional_letter(c).into_iter().collect();
                code.extend(
                    chars
                        .next_if(|n| regional_letter(*n).is_some())
                        .and_then(regional_letter),
                );
                out.push_str(&mark(&code, ascii));
            }
            c => out.push_str(&placeholder(c, ascii)),
        }
    }
    Cow::Owned(out)
}

/// One line of text for a list cell or a title: newlines and tabs become spaces.
pub fn line(text: &str, ascii: bool) -> String {
    let flat: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    for_terminal(&flat, ascii, false).into_owned()
}

/// Writes `value` as pretty JSON in which nothing can act on a terminal or hide text: besides
/// the C0 controls JSON escapes anyway, DEL, the C1 controls (U+009B is an escape sequence's
/// introducer), bidi controls and zero-width characters are written as `\uXXXX` escapes,
/// which read back as the same text.
pub fn write_json<T: serde::Serialize + ?Sized>(
    value: &T,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(
        out,
        InertJson(serde_json::ser::PrettyFormatter::new()),
    );
    value
        .serialize(&mut serializer)
        .map_err(std::io::Error::from)
}

/// serde_json's pretty layout, with string contents escaped as [`write_json`] says.
struct InertJson<'a>(serde_json::ser::PrettyFormatter<'a>);

/// Forwards each layout call to the pretty formatter.
macro_rules! pretty {
    ($($name:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {$(
        fn $name<W: ?Sized + std::io::Write>(&mut self, w: &mut W $(, $arg: $ty)*) -> std::io::Result<()> {
            self.0.$name(w $(, $arg)*)
        }
    )*};
}

impl serde_json::ser::Formatter for InertJson<'_> {
    pretty!(
        begin_array(),
        end_array(),
        begin_array_value(first: bool),
        end_array_value(),
        begin_object(),
        end_object(),
        begin_object_key(first: bool),
        end_object_key(),
        begin_object_value(),
        end_object_value(),
    );

    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if fragment.chars().all(is_inert) {
            return w.write_all(fragment.as_bytes());
        }
        for c in fragment.chars() {
            if is_inert(c) {
                let mut buf = [0u8; 4];
                w.write_all(c.encode_utf8(&mut buf).as_bytes())?;
            } else {
                // As UTF-16 code units: a surrogate pair beyond the Basic Multilingual Plane.
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(w, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }
}

/// Shown as itself on a terminal.
fn is_plain(c: char) -> bool {
    is_inert(c) && regional_letter(c).is_none()
}

/// Neither a control nor an invisible format character: what JSON may carry as itself.
fn is_inert(c: char) -> bool {
    !(c.is_control() || is_invisible_format(c))
}

/// The letter of a regional indicator symbol (two make a flag, 🇫🇷). Terminals disagree on
/// whether a flag takes one cell or two, and a wrong guess leaves stale cells on the screen,
/// so a flag is shown as its letters.
fn regional_letter(c: char) -> Option<char> {
    let offset = u32::from(c).checked_sub(0x1F1E6).filter(|o| *o < 26)?;
    char::from_u32(u32::from('A') + offset)
}

/// A named mark: ‹RLO›, or <RLO> in ASCII.
fn mark(name: &str, ascii: bool) -> String {
    if ascii {
        format!("<{name}>")
    } else {
        format!("‹{name}›")
    }
}

/// Bidi controls, zero-width and other invisible format characters, line and paragraph
/// separators, and the blank fillers that show as nothing.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' |
        '\u{2066}'..='\u{206F}' | '\u{061C}' | '\u{FEFF}' | '\u{00AD}' |
        '\u{2028}' | '\u{2029}' | '\u{180E}' | '\u{FFF9}'..='\u{FFFB}' |
        '\u{E0001}' | '\u{E0020}'..='\u{E007F}' |
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
}

fn placeholder(c: char, ascii: bool) -> String {
    let name = match c {
        '\u{1b}' => return if ascii { "^[".into() } else { "␛".into() },
        '\u{7f}' => return if ascii { "^?".into() } else { "␡".into() },
        '\u{0}'..='\u{1f}' => {
            return if ascii {
                format!("^{}", char::from(b'@' + c as u8))
            } else {
                char::from_u32(0x2400 + c as u32).map_or_else(|| "?".into(), String::from)
            };
        }
        '\u{200B}' => "ZWSP",
        '\u{200C}' => "ZWNJ",
        '\u{200D}' => "ZWJ",
        '\u{200E}' => "LRM",
        '\u{200F}' => "RLM",
        '\u{202A}' => "LRE",
        '\u{202B}' => "RLE",
        '\u{202C}' => "PDF",
        '\u{202D}' => "LRO",
        '\u{202E}' => "RLO",
        '\u{2066}' => "LRI",
        '\u{2067}' => "RLI",
        '\u{2068}' => "FSI",
        '\u{2069}' => "PDI",
        '\u{061C}' => "ALM",
        '\u{FEFF}' => "BOM",
        '\u{00AD}' => return "-".into(),
        _ => return format!("<U+{:04X}>", c as u32),
    };
    mark(name, ascii)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_values_are_cut_at_80_characters() {
        assert_eq!(echo("short"), "short");
        let exact = "é".repeat(ECHO_CHARS);
        assert_eq!(echo(&exact), exact);
        let long = "港".repeat(ECHO_CHARS + 1);
        assert_eq!(echo(&long), format!("{}…", "港".repeat(ECHO_CHARS)));
        // A path keeps its end, which names the file.
        let deep = format!("/srv/{}/.copydesk/state.journal.toml", "desk/".repeat(40));
        let shown = echo_path(std::path::Path::new(&deep));
        assert!(shown.ends_with("/.copydesk/state.journal.toml"), "{shown}");
        assert!(
            shown.starts_with("/srv/desk/") && shown.contains('…'),
            "{shown}"
        );
        assert_eq!(shown.chars().count(), ECHO_CHARS + 1);
    }

    #[test]
    fn flags_show_as_their_country_codes() {
        assert_eq!(
            for_terminal("Paris 🇫🇷 news", false, false),
            "Paris ‹FR› news"
        );
        assert_eq!(for_terminal("🇫🇷🇩🇪", true, false), "<FR><DE>");
        assert_eq!(for_terminal("lone 🇫 x", false, false), "lone ‹F› x");
        assert_eq!(for_terminal("🇦🇿🇿", false, false), "‹AZ›‹Z›");
    }

    #[test]
    fn json_carries_hostile_text_inert_and_intact() {
        let hostile = "Invoice \u{202e}exe.fdp\u{202c} \u{9b}31m \u{1b}[2J \u{7f} \u{200b}\u{feff} \u{2028} \u{e0041}\u{3164} ok é 東京 🇫🇷";
        let mut out = Vec::new();
        write_json(
            &serde_json::json!({ "title": hostile, "n": [1, 2] }),
            &mut out,
        )
        .expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.chars().all(|c| c == '\n' || is_inert(c)), "{text:?}");
        assert!(
            text.contains("\\u202e") && text.contains("\\u009b"),
            "{text}"
        );
        assert!(text.contains("ok é 東京 🇫🇷"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back["title"], hostile);
        // The layout is serde_json's pretty one.
        let pretty =
            serde_json::to_string_pretty(&serde_json::json!({ "n": [1, 2] })).expect("json");
        let mut ours = Vec::new();
        write_json(&serde_json::json!({ "n": [1, 2] }), &mut ours).expect("write");
        assert_eq!(String::from_utf8(ours).expect("utf-8"), pretty);
    }

    #[test]
    fn escape_sequences_never_survive() {
        let hostile = "Title\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}P+q\u{1b}\\\u{9b}31m end";
        let shown = for_terminal(hostile, false, false);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert_eq!(shown, "Title␛]0;pwned␇␛[2J␛P+q␛\\<U+009B>31m end");
        let ascii = for_terminal(hostile, true, false);
        assert!(ascii.is_ascii(), "{ascii}");
    }

    #[test]
    fn trojan_source_is_made_visible() {
        assert_eq!(
            for_terminal("Mayor \u{202E}dengiser\u{202C}", false, false),
            "Mayor ‹RLO›dengiser‹PDF›"
        );
        assert_eq!(for_terminal("a\u{200B}b", true, false), "a<ZWSP>b");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            for_terminal("港の灯台 — ok", false, false),
            Cow::Borrowed(_)
        ));
        assert_eq!(for_terminal("a\nb\tc\r", false, true), "a\nb    c");
        assert_eq!(line("a\nb", false), "a b");
    }
}
