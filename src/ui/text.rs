//! Wrapping and bidi for display: CJK wraps per character, words elsewhere, right-to-left
//! lines reordered by the Unicode bidi algorithm when the terminal does not do it.

use unicode_bidi::{BidiInfo, Level};
use unicode_width::UnicodeWidthChar;

/// One display line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisualLine {
    pub text: String,
    /// The paragraph runs right to left: align right.
    pub rtl: bool,
}

/// Wraps already-sanitised text to `width` columns. Paragraph breaks are kept as empty lines.
pub fn wrap(text: &str, width: usize, bidi: bool) -> Vec<VisualLine> {
    let width = width.max(1);
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let rtl = bidi && is_rtl(paragraph);
        let lines = wrap_paragraph(paragraph, width);
        if lines.is_empty() {
            out.push(VisualLine {
                text: String::new(),
                rtl: false,
            });
        }
        for line in lines {
            let text = if bidi && has_rtl(&line) {
                reorder(&line, rtl)
            } else {
                line
            };
            out.push(VisualLine { text, rtl });
        }
    }
    out
}

/// One line in display order (reordered when it holds right-to-left text and `bidi` is on).
pub fn for_display(line: &str, bidi: bool) -> String {
    if bidi && has_rtl(line) {
        reorder(line, is_rtl(line))
    } else {
        line.to_string()
    }
}

fn is_wide_breakable(c: char) -> bool {
    c.width() == Some(2)
}

/// Tokens: runs of spaces, runs of narrow non-space characters, single wide characters.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut last: Option<u8> = None;
    for (i, c) in s.char_indices() {
        let kind = if c == ' ' {
            0
        } else if is_wide_breakable(c) {
            2
        } else {
            1
        };
        if i > start && (Some(kind) != last || kind == 2) {
            out.push(&s[start..i]);
            start = i;
        }
        last = Some(kind);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

fn wrap_paragraph(p: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for token in tokens(p) {
        let w = crate::listing::width_of(token);
        if token.starts_with(' ') {
            if used + w <= width && used > 0 {
                line.push_str(token);
                used += w;
            }
            continue;
        }
        if used + w > width && used > 0 {
            let carry = kinsoku_carry(&mut line, token, width.saturating_sub(w));
            lines.push(line.trim_end().to_string());
            used = crate::listing::width_of(&carry);
            line = carry;
        }
        if w > width {
            for c in token.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > width && used > 0 {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        } else {
            line.push_str(token);
            used += w;
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// CJK punctuation that must not start a line (closing marks, commas, stops).
const NO_LINE_START: &str =
    "、。，．・：；？！）」』】〕〉》｝］〗〙ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々";
/// CJK punctuation that must not end a line (opening marks).
const NO_LINE_END: &str = "（「『【〔〈《｛［〖〘";

/// Line breaking for Chinese and Japanese (kinsoku): when the next line would begin with a
/// closing mark, the last wide character moves down with it; an opening mark never ends a line.
/// Returns what moves (empty when nothing does).
fn kinsoku_carry(line: &mut String, next: &str, room: usize) -> String {
    let mut carry = String::new();
    if next
        .chars()
        .next()
        .is_some_and(|c| NO_LINE_START.contains(c))
    {
        move_last_wide(line, &mut carry);
    }
    while line.chars().last().is_some_and(|c| NO_LINE_END.contains(c)) {
        if !move_last_wide(line, &mut carry) {
            break;
        }
    }
    // On a very narrow pane what moves might not fit beside `next`: then nothing moves.
    if crate::listing::width_of(&carry) > room || line.is_empty() {
        line.push_str(&std::mem::take(&mut carry));
    }
    carry
}

/// Moves the last character of `line` to the front of `carry` when it is wide and not alone.
fn move_last_wide(line: &mut String, carry: &mut String) -> bool {
    let movable = line.chars().count() > 1 && line.chars().last().is_some_and(is_wide_breakable);
    if movable && let Some(c) = line.pop() {
        carry.insert(0, c);
    }
    movable
}

fn has_rtl(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}'))
}

/// Whether a paragraph's base direction is right to left (first strong character).
fn is_rtl(paragraph: &str) -> bool {
    let info = BidiInfo::new(paragraph, None);
    info.paragraphs.first().is_some_and(|p| p.level.is_rtl())
}

/// Reorders one line from logical to visual order, mirroring brackets inside right-to-left
/// runs (rule L4, which unicode-bidi leaves to the caller): `(24/11)` stays `(24/11)`.
fn reorder(line: &str, rtl: bool) -> String {
    let level = if rtl { Level::rtl() } else { Level::ltr() };
    let info = BidiInfo::new(line, Some(level));
    let Some(para) = info.paragraphs.first() else {
        return line.to_string();
    };
    let (levels, runs) = info.visual_runs(para, para.range.clone());
    let mut out = String::with_capacity(line.len());
    for run in runs {
        let piece = &line[run.clone()];
        if levels.get(run.start).is_some_and(|l| l.is_rtl()) {
            out.extend(piece.chars().rev().map(mirror));
        } else {
            out.push_str(piece);
        }
    }
    out
}

/// The mirrored glyph of the paired punctuation news copy uses (a subset of Unicode's
/// BidiMirroring.txt: brackets, angle brackets, guillemets).
fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[VisualLine]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn words_wrap_and_long_words_break() {
        assert_eq!(
            texts(&wrap("alpha beta gamma", 11, false)),
            ["alpha beta", "gamma"]
        );
        assert_eq!(texts(&wrap("abcdefghij", 4, false)), ["abcd", "efgh", "ij"]);
        assert_eq!(texts(&wrap("a\n\nb", 5, false)), ["a", "", "b"]);
    }

    #[test]
    fn cjk_wraps_per_character_by_display_width() {
        let lines = wrap("市議会は木曜日の夜", 8, false);
        assert_eq!(texts(&lines), ["市議会は", "木曜日の", "夜"]);
        assert!(lines.iter().all(|l| crate::listing::width_of(&l.text) <= 8));
    }

    #[test]
    fn cjk_lines_never_start_with_a_closing_mark_nor_end_with_an_opening_one() {
        assert_eq!(
            texts(&wrap("あいう、えお", 6, false)),
            ["あい", "う、え", "お"]
        );
        assert_eq!(
            texts(&wrap("あい「うえ」", 6, false)),
            ["あい", "「う", "え」"]
        );
        // Too narrow to move anything: plain per-character breaking, still within the width.
        assert_eq!(texts(&wrap("あ、い", 2, false)), ["あ", "、", "い"]);
        let text = "「ゴムボート6隻を投入しました。」と、（BPBD）は語った。三宝垄（24/11/2026）。";
        for width in 2..40 {
            let lines = wrap(text, width, false);
            let joined: String = lines.iter().map(|l| l.text.as_str()).collect();
            assert_eq!(joined, text, "width {width}: nothing lost");
            assert!(
                lines
                    .iter()
                    .all(|l| crate::listing::width_of(&l.text) <= width),
                "width {width}: {lines:?}"
            );
        }
        // Latin text is left alone.
        assert_eq!(texts(&wrap("abc, def", 4, false)), ["abc,", "def"]);
    }

    #[test]
    fn arabic_is_reordered_and_right_aligned() {
        let lines = wrap("مرحبا بالعالم", 40, true);
        assert!(lines[0].rtl);
        assert_eq!(lines[0].text, "ملاعلاب ابحرم");
        let plain = wrap("مرحبا بالعالم", 40, false);
        assert_eq!(plain[0].text, "مرحبا بالعالم");
    }

    #[test]
    fn brackets_in_right_to_left_text_are_mirrored() {
        // Logical "سيمارانغ (24/11/2026) - أدت": the date keeps its order, the brackets
        // still open towards it once the line is reversed.
        let lines = wrap("سيمارانغ (24/11/2026) - أدت", 40, true);
        assert_eq!(lines[0].text, "تدأ - (24/11/2026) غناراميس");
        let latin = wrap("a (b) c", 40, true);
        assert_eq!(latin[0].text, "a (b) c");
    }
}
