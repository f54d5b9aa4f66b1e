//! Letter tests for the hot loops of detection: `char::is_alphabetic` and `is_alphanumeric`,
//! with the main blocks of the scripts copydesk reads answered by a range check instead of the
//! Unicode tables (a table look-up per character was the first entry of a first index's
//! profile, 12 % of its CPU on the bench inbox), and a lowercase that spares those tables too.

use std::borrow::Cow;

/// Whether `c` is in a block of which every code point is a letter: accented Latin, Cyrillic,
/// Arabic, kana, CJK ideographs and Hangul syllables (checked against the tables in the tests).
fn in_letter_block(c: char) -> bool {
    matches!(
        c as u32,
        0x00C0..=0x00D6
            | 0x00D8..=0x00F6
            | 0x00F8..=0x024F
            | 0x0400..=0x0481
            | 0x048A..=0x052F
            | 0x0621..=0x064A
            | 0x3041..=0x3096
            | 0x30A1..=0x30FA
            | 0x4E00..=0x9FFF
            | 0xAC00..=0xD7A3
    )
}

/// `c.is_alphabetic()`, faster on the common scripts.
pub(super) fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        in_letter_block(c) || c.is_alphabetic()
    }
}

/// `c.is_alphanumeric()`, faster on the common scripts.
pub(super) fn is_letter_or_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        in_letter_block(c) || c.is_alphanumeric()
    }
}

/// The first letter of `text`, if any.
pub(super) fn first_letter(text: &str) -> Option<char> {
    text.chars().find(|c| is_letter(*c))
}

/// Latin letters (Basic Latin to Latin Extended-B).
pub(super) fn is_latin(c: char) -> bool {
    (c as u32) < 0x250
}

/// Cyrillic letters (Cyrillic and Cyrillic Supplement).
pub(super) fn is_cyrillic(c: char) -> bool {
    matches!(c as u32, 0x400..=0x52F)
}

/// `text.to_lowercase()`, borrowed when nothing changes, and without the Unicode tables when
/// the text is in ASCII, Latin-1 (French, Spanish, German, Portuguese accents), the Russian
/// alphabet or a script without case (Arabic, kana, CJK, Hangul, Thai, Devanagari); other
/// letters (ґ, ł, ğ, ...) send the whole text to the tables. Lowercasing every paragraph and
/// word looked at was 4 % of a first index.
pub(super) fn lowercase(text: &str) -> Cow<'_, str> {
    let Some(start) = (text.bytes()).position(|b| b.is_ascii_uppercase() || !b.is_ascii()) else {
        return Cow::Borrowed(text);
    };
    if text.is_ascii() {
        return Cow::Owned(text.to_ascii_lowercase());
    }
    let mut changed: Option<String> = None;
    for (at, c) in text[start..].char_indices().map(|(i, c)| (start + i, c)) {
        let Some(lower) = lowercase_char(c) else {
            return Cow::Owned(text.to_lowercase());
        };
        if let Some(out) = &mut changed {
            out.push(lower);
        } else if lower != c {
            let mut out = String::with_capacity(text.len());
            out.push_str(&text[..at]);
            out.push(lower);
            changed = Some(out);
        }
    }
    changed.map_or(Cow::Borrowed(text), Cow::Owned)
}

/// The lowercase of `c` when it is one character found without the tables; `None` elsewhere
/// (the tables decide, and Greek final sigma needs its context).
fn lowercase_char(c: char) -> Option<char> {
    let code = c as u32;
    match code {
        0x41..=0x5A => Some(c.to_ascii_lowercase()),
        0x00..=0x7F => Some(c),
        0xC0..=0xD6 | 0xD8..=0xDE => char::from_u32(code + 0x20),
        0x80..=0xBF | 0xD7 | 0xDF..=0xFF => Some(c),
        0x410..=0x42F => char::from_u32(code + 0x20),
        0x400..=0x40F => char::from_u32(code + 0x50),
        0x430..=0x45F
        | 0x600..=0x6FF
        | 0x900..=0x97F
        | 0xE00..=0xE7F
        | 0x3000..=0x30FF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7A3 => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_is_the_standard_lowercase() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if let Some(lower) = lowercase_char(c) {
                assert_eq!(
                    c.to_lowercase().collect::<String>(),
                    lower.to_string(),
                    "{:#x}",
                    c as u32
                );
            }
        }
        for text in [
            "Partager:",
            "ДУМА Казани",
            "تم إنشاء",
            "ΟΔΟΣ Σ",
            "Ünïcode ÉTÉ",
            "東京 カナ",
            "",
        ] {
            assert_eq!(lowercase(text), text.to_lowercase());
        }
        assert!(matches!(lowercase("already lower, дума"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_same_answers_as_the_unicode_tables_for_every_char() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{:#x}", c as u32);
            assert_eq!(
                is_letter_or_digit(c),
                c.is_alphanumeric(),
                "{:#x}",
                c as u32
            );
            if in_letter_block(c) {
                assert!(c.is_alphabetic(), "{:#x} is no letter", c as u32);
            }
        }
    }
}
