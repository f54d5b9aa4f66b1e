//! Letter tests for the hot loops of detection: `char::is_alphabetic` and `is_alphanumeric`,
//! with the main blocks of the scripts copydesk reads answered by range checks instead of the
//! Unicode tables (a table look-up per character was the first entry of a first index's
//! profile, 12 % of its CPU on the bench inbox), and a lowercase that spares those tables too.

use std::borrow::Cow;

/// Whether `c` is a letter, answered from the layout of the blocks that copydesk's text is
/// mostly made of (Latin-1 and accented Latin, Cyrillic, Arabic, Devanagari, Thai, general
/// punctuation, CJK punctuation and kana, ideographs, Hangul syllables, full-width forms);
/// `None` elsewhere. The tests check every code point against the Unicode tables.
fn letter_by_block(c: char) -> Option<bool> {
    let u = c as u32;
    let letter = match u {
        0x0080..=0x00BF => matches!(u, 0x00AA | 0x00B5 | 0x00BA),
        0x00C0..=0x024F => !matches!(u, 0x00D7 | 0x00F7),
        0x0400..=0x052F => !matches!(u, 0x0482..=0x0489),
        0x0600..=0x06FF => matches!(
            u,
            0x0610..=0x061A
                | 0x0620..=0x0657
                | 0x0659..=0x065F
                | 0x066E..=0x06D3
                | 0x06D5..=0x06DC
                | 0x06E1..=0x06E8
                | 0x06ED..=0x06EF
                | 0x06FA..=0x06FC
                | 0x06FF
        ),
        0x0900..=0x097F => matches!(
            u,
            0x0900..=0x093B | 0x093D..=0x094C | 0x094E..=0x0950 | 0x0955..=0x0963 | 0x0971..=0x097F
        ),
        // Thai: the tone marks and the digits are no letters.
        0x0E00..=0x0E7F => matches!(u, 0x0E01..=0x0E3A | 0x0E40..=0x0E46 | 0x0E4D),
        0x2000..=0x206F => false,
        0x3000..=0x30FF => matches!(
            u,
            0x3005..=0x3007
                | 0x3021..=0x3029
                | 0x3031..=0x3035
                | 0x3038..=0x303C
                | 0x3041..=0x3096
                | 0x309D..=0x309F
                | 0x30A1..=0x30FA
                | 0x30FC..=0x30FF
        ),
        0x4E00..=0x9FFF | 0xAC00..=0xD7A3 => true,
        0xFF00..=0xFFEF => matches!(
            u,
            0xFF21..=0xFF3A
                | 0xFF41..=0xFF5A
                | 0xFF66..=0xFFBE
                | 0xFFC2..=0xFFC7
                | 0xFFCA..=0xFFCF
                | 0xFFD2..=0xFFD7
                | 0xFFDA..=0xFFDC
        ),
        _ => return None,
    };
    Some(letter)
}

/// The numbers of the blocks [`letter_by_block`] answers for: digits, superscripts and
/// fractions (none of them a letter).
fn number_in_block(c: char) -> bool {
    matches!(
        c as u32,
        0x00B2..=0x00B3
            | 0x00B9
            | 0x00BC..=0x00BE
            | 0x0660..=0x0669
            | 0x06F0..=0x06F9
            | 0x0966..=0x096F
            | 0x0E50..=0x0E59
            | 0xFF10..=0xFF19
    )
}

/// `c.is_alphabetic()`, faster on the common scripts.
pub(super) fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        letter_by_block(c).unwrap_or_else(|| c.is_alphabetic())
    }
}

/// `c.is_alphanumeric()`, faster on the common scripts.
pub(super) fn is_letter_or_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        match letter_by_block(c) {
            Some(letter) => letter || number_in_block(c),
            None => c.is_alphanumeric(),
        }
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
        }
    }
}
