//! Colours and symbols. Status is always shown by a symbol too, never by colour alone; with
//! `NO_COLOR` only bold and reverse video remain.

use ratatui::style::{Color, Modifier, Style};

use crate::state::Status;

/// The styles of one screen.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// A status symbol's style (16-colour palette only).
    pub fn status(self, s: Status) -> Style {
        match s {
            Status::Untriaged => Style::new(),
            Status::Verified => self.fg(Color::Green),
            Status::NeedsReview => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Status::TranslationSuspect => self.fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }

    pub fn cursor(self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    /// Text selected in a prompt (a suggestion that typing replaces): reverse video, with or
    /// without colour.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    pub fn signal(self) -> Style {
        self.fg(Color::Magenta)
    }

    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    pub fn border(self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan)
        } else {
            Style::new()
        }
    }
}
