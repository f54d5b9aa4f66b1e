//! The prompts' one-line text field (note, search, export path): the text, where the cursor is,
//! and the editing keys an editor's fingers expect from a shell (readline/Emacs chords).
//! Control and Alt chords edit or are ignored; they never type their letter.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_segmentation::UnicodeSegmentation;

/// Longest text a prompt takes, in characters.
pub const MAX_CHARS: usize = 2000;

/// A line of text with a cursor (a byte offset on a character boundary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    text: String,
    cursor: usize,
    /// The whole text is a suggestion, shown selected: typing replaces it, a deleting key
    /// clears it, a moving key keeps it to edit.
    suggested: bool,
    /// A paste did not fit: the prompt says so while it is open.
    cut: bool,
}

impl LineEdit {
    /// `text`, with the cursor at its end.
    pub fn new(text: String) -> Self {
        let cursor = text.len();
        Self {
            text,
            cursor,
            suggested: false,
            cut: false,
        }
    }

    /// `text` as a suggestion (an export's default name): Enter takes it, typing replaces it.
    pub fn suggested(text: String) -> Self {
        Self {
            suggested: !text.is_empty(),
            ..Self::new(text)
        }
    }

    /// Whether a paste was cut to fit [`MAX_CHARS`].
    pub fn was_cut(&self) -> bool {
        self.cut
    }

    /// Whether the text is still the suggestion, untouched.
    pub fn is_suggested(&self) -> bool {
        self.suggested
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_text(self) -> String {
        self.text
    }

    /// The text before the cursor and the text from it on.
    pub fn split(&self) -> (&str, &str) {
        self.text.split_at(self.cursor)
    }

    /// Applies an editing key; other keys (and unknown chords) leave the line as it is.
    pub fn key(&mut self, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        if self.suggested {
            match suggestion_key(key) {
                // Ignored keys leave the suggestion as it is.
                SuggestionKey::Ignored => return,
                SuggestionKey::Keeps => self.suggested = false,
                SuggestionKey::Replaces => {
                    self.suggested = false;
                    self.text.clear();
                    self.cursor = 0;
                    if matches!(key.code, KeyCode::Char(_)) && !ctrl {
                        self.key(key);
                    }
                    return;
                }
            }
        }
        match key.code {
            KeyCode::Char(c) if ctrl => self.control(c),
            KeyCode::Char('b') if alt => self.cursor = self.word_start(),
            KeyCode::Char('f') if alt => self.cursor = self.word_end(),
            KeyCode::Char(c) if !alt => self.insert(c),
            KeyCode::Backspace if alt => self.delete_to(self.word_start()),
            KeyCode::Backspace => self.delete_to(self.prev(self.cursor)),
            KeyCode::Delete => self.delete_to(self.next(self.cursor)),
            KeyCode::Left if ctrl || alt => self.cursor = self.word_start(),
            KeyCode::Right if ctrl || alt => self.cursor = self.word_end(),
            KeyCode::Left => self.cursor = self.prev(self.cursor),
            KeyCode::Right => self.cursor = self.next(self.cursor),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.text.len(),
            _ => {}
        }
    }

    /// Pasted text, as text: each line break (and the blank lines around it) becomes one
    /// space, a tab a space, and other control characters go; what does not fit is left out.
    /// Returns whether some was left out.
    pub fn paste(&mut self, text: &str) -> bool {
        if self.suggested {
            self.suggested = false;
            self.text.clear();
            self.cursor = 0;
        }
        let one_line = text
            .split(['\r', '\n'])
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let room = MAX_CHARS.saturating_sub(self.text.chars().count());
        let mut kept = one_line
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .filter(|c| !c.is_control());
        let pasted: String = kept.by_ref().take(room).collect();
        self.text.insert_str(self.cursor, &pasted);
        self.cursor += pasted.len();
        let cut = kept.next().is_some();
        self.cut |= cut;
        cut
    }

    fn control(&mut self, c: char) {
        match c.to_ascii_lowercase() {
            'a' => self.cursor = 0,
            'e' => self.cursor = self.text.len(),
            'b' => self.cursor = self.prev(self.cursor),
            'f' => self.cursor = self.next(self.cursor),
            'h' => self.delete_to(self.prev(self.cursor)),
            'd' => self.delete_to(self.next(self.cursor)),
            'u' => self.delete_to(0),
            'k' => self.delete_to(self.text.len()),
            'w' => self.delete_to(self.word_start()),
            _ => {}
        }
    }

    fn insert(&mut self, c: char) {
        if c.is_control() || self.text.chars().count() >= MAX_CHARS {
            return;
        }
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    /// Deletes between the cursor and `to` (either side), leaving the cursor at the start.
    fn delete_to(&mut self, to: usize) {
        let (from, to) = (self.cursor.min(to), self.cursor.max(to));
        self.text.replace_range(from..to, "");
        self.cursor = from;
    }

    /// The start of the character before `at`, as the reader sees characters: a flag, an
    /// emoji with its skin tone or a letter with its accents goes as one.
    fn prev(&self, at: usize) -> usize {
        self.text[..at]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next(&self, at: usize) -> usize {
        self.text[at..]
            .graphemes(true)
            .next()
            .map_or(at, |g| at + g.len())
    }

    /// The start of the word before the cursor (spaces before it skipped first).
    fn word_start(&self) -> usize {
        let before = self.text[..self.cursor].trim_end();
        before
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8())
    }

    /// The end of the word after the cursor (spaces before it skipped first).
    fn word_end(&self) -> usize {
        let after = &self.text[self.cursor..];
        let skipped = after.len() - after.trim_start().len();
        let word = &after[skipped..];
        let len = word.find(char::is_whitespace).unwrap_or(word.len());
        self.cursor + skipped + len
    }
}

/// What a key does to a suggestion.
enum SuggestionKey {
    /// Typing or deleting: the suggestion goes.
    Replaces,
    /// Moving: the suggestion stays, to edit.
    Keeps,
    /// A key the line ignores.
    Ignored,
}

fn suggestion_key(key: KeyEvent) -> SuggestionKey {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(c) if ctrl => match c.to_ascii_lowercase() {
            'h' | 'd' | 'u' | 'k' | 'w' => SuggestionKey::Replaces,
            'a' | 'e' | 'b' | 'f' => SuggestionKey::Keeps,
            _ => SuggestionKey::Ignored,
        },
        KeyCode::Char('b' | 'f') if alt => SuggestionKey::Keeps,
        KeyCode::Char(_) if alt => SuggestionKey::Ignored,
        KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete => SuggestionKey::Replaces,
        KeyCode::Left | KeyCode::Right | KeyCode::Home | KeyCode::End => SuggestionKey::Keeps,
        _ => SuggestionKey::Ignored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(line: &mut LineEdit, keys: &[(KeyCode, KeyModifiers)]) {
        for (code, modifiers) in keys {
            line.key(KeyEvent::new(*code, *modifiers));
        }
    }

    const NONE: KeyModifiers = KeyModifiers::NONE;
    const CTRL: KeyModifiers = KeyModifiers::CONTROL;
    const ALT: KeyModifiers = KeyModifiers::ALT;

    fn typed(text: &str) -> Vec<(KeyCode, KeyModifiers)> {
        text.chars().map(|c| (KeyCode::Char(c), NONE)).collect()
    }

    #[test]
    fn a_suggestion_is_replaced_by_typing_and_kept_by_moving() {
        let default = || LineEdit::suggested("/home/ayu/copydesk-20261127-0914.csv".into());
        let mut line = default();
        assert!(line.is_suggested());
        press(&mut line, &typed("out.json"));
        assert_eq!(line.split(), ("out.json", ""));
        assert!(!line.is_suggested());
        for deleting in [(KeyCode::Backspace, NONE), (KeyCode::Char('u'), CTRL)] {
            let mut line = default();
            press(&mut line, &[deleting]);
            assert_eq!(line.text(), "", "{deleting:?}");
        }
        // Moving first keeps the name to edit: here, the extension.
        let mut line = default();
        press(&mut line, &[(KeyCode::End, NONE)]);
        press(&mut line, &[(KeyCode::Backspace, NONE); 3]);
        press(&mut line, &typed("md"));
        assert_eq!(line.text(), "/home/ayu/copydesk-20261127-0914.md");
        // Keys the line ignores leave it selected.
        let mut line = default();
        press(
            &mut line,
            &[
                (KeyCode::Char('x'), CTRL),
                (KeyCode::Up, NONE),
                (KeyCode::F(5), NONE),
            ],
        );
        assert!(line.is_suggested());
        press(&mut line, &typed("a.md"));
        assert_eq!(line.text(), "a.md");
        // Enter on it takes it as it is.
        assert_eq!(
            default().into_text(),
            "/home/ayu/copydesk-20261127-0914.csv"
        );
    }

    #[test]
    fn the_cursor_moves_and_text_goes_in_where_it_is() {
        let mut line = LineEdit::new("check quotes".into());
        press(&mut line, &[(KeyCode::Left, NONE); 6]);
        press(&mut line, &typed("the "));
        assert_eq!(line.text(), "check the quotes");
        press(
            &mut line,
            &[
                (KeyCode::Home, NONE),
                (KeyCode::Char('X'), KeyModifiers::SHIFT),
            ],
        );
        assert_eq!(line.split(), ("X", "check the quotes"));
        press(
            &mut line,
            &[(KeyCode::Char('e'), CTRL), (KeyCode::Char('!'), NONE)],
        );
        assert_eq!(line.text(), "Xcheck the quotes!");
        press(
            &mut line,
            &[(KeyCode::Char('a'), CTRL), (KeyCode::Delete, NONE)],
        );
        assert_eq!(line.text(), "check the quotes!");
    }

    #[test]
    fn control_and_alt_chords_edit_and_never_type_their_letter() {
        let mut line = LineEdit::new("check quotes".into());
        press(&mut line, &[(KeyCode::Char('w'), CTRL)]);
        assert_eq!(line.text(), "check ");
        press(&mut line, &[(KeyCode::Char('h'), CTRL)]);
        assert_eq!(line.text(), "check");
        press(&mut line, &[(KeyCode::Char('u'), CTRL)]);
        assert_eq!(line.text(), "");
        let mut line = LineEdit::new("one two three".into());
        press(
            &mut line,
            &[(KeyCode::Char('b'), ALT), (KeyCode::Char('k'), CTRL)],
        );
        assert_eq!(line.text(), "one two ");
        press(&mut line, &[(KeyCode::Backspace, ALT)]);
        assert_eq!(line.text(), "one ");
        for c in ['x', 'q', 'z', 'l'] {
            press(
                &mut line,
                &[(KeyCode::Char(c), CTRL), (KeyCode::Char(c), ALT)],
            );
        }
        assert_eq!(line.text(), "one ");
    }

    #[test]
    fn words_and_characters_outside_ascii() {
        let mut line = LineEdit::new("三宝垄 洪水 مدينة".into());
        press(
            &mut line,
            &[(KeyCode::Left, CTRL), (KeyCode::Backspace, NONE)],
        );
        assert_eq!(line.text(), "三宝垄 洪水مدينة");
        press(&mut line, &[(KeyCode::Char('w'), CTRL)]);
        assert_eq!(line.split(), ("三宝垄 ", "مدينة"));
        press(&mut line, &[(KeyCode::Right, CTRL), (KeyCode::Right, NONE)]);
        assert_eq!(line.split(), ("三宝垄 مدينة", ""));
        press(&mut line, &typed("\u{1b}\u{7}"));
        assert_eq!(line.text(), "三宝垄 مدينة");
    }

    #[test]
    fn a_flag_or_a_toned_emoji_is_deleted_and_crossed_as_one() {
        let mut line = LineEdit::new("ok 👍🏽 🇫🇷 é".into());
        press(&mut line, &[(KeyCode::Left, NONE), (KeyCode::Left, NONE)]);
        assert_eq!(line.split(), ("ok 👍🏽 🇫🇷", " é"));
        press(&mut line, &[(KeyCode::Backspace, NONE)]);
        assert_eq!(line.text(), "ok 👍🏽  é");
        let left = (KeyCode::Left, NONE);
        press(&mut line, &[left, left, (KeyCode::Delete, NONE)]);
        assert_eq!(line.text(), "ok   é");
    }

    #[test]
    fn pasted_lines_become_one_line_of_text() {
        let mut line = LineEdit::new("Note: ".into());
        line.paste("Quote checked.\r\n\r\nTranslation\tfine, \u{1b}[31mverify\u{7}\nr");
        assert_eq!(
            line.text(),
            "Note: Quote checked. Translation fine, [31mverify r"
        );
        press(&mut line, &[(KeyCode::Home, NONE)]);
        line.paste("x\n");
        assert_eq!(
            line.split(),
            ("x", "Note: Quote checked. Translation fine, [31mverify r")
        );
        let mut suggested = LineEdit::suggested("copydesk.csv".into());
        suggested.paste("/tmp/out.json");
        assert_eq!(suggested.text(), "/tmp/out.json");
        let mut full = LineEdit::new("a".repeat(MAX_CHARS - 2));
        assert!(full.paste(&"b".repeat(1_000_000)), "said when cut");
        assert_eq!(full.text().chars().count(), MAX_CHARS);
        assert!(!line.paste("fits"));
    }

    #[test]
    fn the_line_has_a_length_limit() {
        let mut line = LineEdit::new("a".repeat(MAX_CHARS));
        press(&mut line, &typed("b"));
        assert_eq!(line.text().chars().count(), MAX_CHARS);
    }
}
