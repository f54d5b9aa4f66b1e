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
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\t' => out.push_str("    "),
            '\r' => {}
            c if is_plain(c) => out.push(c),
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

fn is_plain(c: char) -> bool {
    !(c.is_control() || is_invisible_format(c))
}

/// Bidi controls and zero-width characters.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' |
        '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}' | '\u{00AD}')
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
    if ascii {
        format!("<{name}>")
    } else {
        format!("‹{name}›")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
