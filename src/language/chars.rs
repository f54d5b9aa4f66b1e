//! Letter tests for the hot loops of detection: `char::is_alphabetic` and `is_alphanumeric`,
//! with the main blocks of the scripts copydesk reads answered by a range check instead of the
//! Unicode tables (a table look-up per character was the first entry of a first index's
//! profile, 12 % of its CPU on the bench inbox).

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

#[cfg(test)]
mod tests {
    use super::*;

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
