//! The side-by-side view of an original and one of its translations: which pair to open, the
//! keys while it is open, and its two bodies. Rows are built here (on open, on a body's arrival,
//! on resize), never while drawing.

use super::{Action, App, Effect, Focus, Level};
use crate::inbox::Body;
use crate::ui::layout;
use crate::ui::pair::{self as view, PairRows, Side};

/// An open pair: original left (or above), translation right (or below).
#[derive(Debug, Clone)]
pub struct Pair {
    pub original: String,
    pub translation: String,
    /// The translation's place among the original's translations (1-based), and their number.
    pub nth: (usize, usize),
    /// Bodies of the original and the translation, as they arrive.
    pub bodies: [Option<Result<Body, String>>; 2],
    pub rows: PairRows,
    /// First visible row, the same on both sides.
    pub scroll: usize,
    /// Where the keys go back to when the pair closes.
    return_focus: Focus,
}

/// What the pair key finds for an article.
enum Found {
    Pair { original: usize, translation: usize },
    Nothing(String),
}

impl App {
    /// The pair key: opens the pair of the article under the cursor, or, when a pair is open,
    /// moves on to the original's next translation.
    pub(super) fn open_pair(&mut self) -> Vec<Effect> {
        if let Some(pair) = &self.pair {
            return self.next_translation(pair.original.clone(), pair.translation.clone());
        }
        let Some(i) = self.view.get(self.cursor).copied() else {
            return Vec::new();
        };
        match self.find_pair(i) {
            Found::Pair {
                original,
                translation,
            } => self.show_pair(original, translation, self.focus),
            Found::Nothing(why) => {
                self.message = Some((why, Level::Info));
                Vec::new()
            }
        }
    }

    /// The original and translation to show for article `i`.
    fn find_pair(&self, i: usize) -> Found {
        let a = &self.articles[i];
        if let Some(target) = a.translation_of() {
            return match self.index.position(target) {
                Some(o) if o != i => Found::Pair {
                    original: o,
                    translation: i,
                },
                _ => Found::Nothing(format!(
                    "original '{}' is not in the inbox",
                    crate::sanitize::line(target, self.options.ascii)
                )),
            };
        }
        match self.index.translations(i).first() {
            Some(&t) => Found::Pair {
                original: i,
                translation: t,
            },
            None => {
                Found::Nothing("no original or translation of this article in the inbox".into())
            }
        }
    }

    fn next_translation(&mut self, original: String, current: String) -> Vec<Effect> {
        let Some(o) = self.index.position(&original) else {
            return Vec::new();
        };
        let list = self.index.translations(o);
        let at = list
            .iter()
            .position(|&t| *self.articles[t].id == *current)
            .unwrap_or(0);
        let Some(&next) = list.get((at + 1) % list.len().max(1)) else {
            return Vec::new();
        };
        if *self.articles[next].id == *current {
            self.message = Some((format!("{original} has no other translation"), Level::Info));
            return Vec::new();
        }
        let back = self.pair.as_ref().map_or(self.focus, |p| p.return_focus);
        self.show_pair(o, next, back)
    }

    /// Opens the pair and asks for the bodies it does not have yet.
    fn show_pair(&mut self, original: usize, translation: usize, back: Focus) -> Vec<Effect> {
        let siblings = self.index.translations(original);
        let nth = (
            siblings
                .iter()
                .position(|&t| t == translation)
                .map_or(1, |k| k + 1),
            siblings.len().max(1),
        );
        let (o, t) = (&self.articles[original], &self.articles[translation]);
        let mut effects = Vec::new();
        let mut bodies = [None, None];
        for (slot, a) in bodies.iter_mut().zip([o, t]) {
            match (&self.reader.id, &self.reader.body) {
                (Some(id), Some(body)) if **id == *a.id => *slot = Some(body.clone()),
                _ => effects.push(Effect::LoadBody {
                    id: a.id.to_string(),
                    location: a.location.clone(),
                }),
            }
        }
        self.pair = Some(Pair {
            original: o.id.to_string(),
            translation: t.id.to_string(),
            nth,
            bodies,
            rows: PairRows::default(),
            scroll: 0,
            return_focus: back,
        });
        self.rebuild_pair();
        effects
    }

    /// Keys while the pair is open. `None`: the action is carried out as usual (marks, note,
    /// undo, help), and applies to the translation.
    pub(super) fn pair_update(&mut self, action: Action) -> Option<Vec<Effect>> {
        let pair = self.pair.as_ref()?;
        let page = self.pair_page() as isize;
        match action {
            Action::ScrollDown | Action::MoveDown => self.scroll_pair(1),
            Action::ScrollUp | Action::MoveUp => self.scroll_pair(-1),
            Action::PageDown => self.scroll_pair(page),
            Action::PageUp => self.scroll_pair(-page),
            Action::First => self.scroll_pair(isize::MIN / 2),
            Action::Last => self.scroll_pair(isize::MAX / 2),
            Action::BackToList | Action::Quit | Action::ClearSelection => {
                self.focus = pair.return_focus;
                self.pair = None;
            }
            // What is typed next is a search or a file name: back to the list for the prompt,
            // or the typing would run as keys here.
            Action::Search | Action::Export => {
                self.focus = pair.return_focus;
                self.pair = None;
                return None;
            }
            Action::PairView
            | Action::Verified
            | Action::NeedsReview
            | Action::TranslationSuspect
            | Action::Untriaged
            | Action::EditNote
            | Action::Undo
            | Action::Redo
            | Action::Help => return None,
            _ => {
                self.message = Some((
                    "not in the side-by-side view: Esc returns to the list".into(),
                    Level::Info,
                ));
            }
        }
        Some(Vec::new())
    }

    fn scroll_pair(&mut self, delta: isize) {
        let page = self.pair_page();
        if let Some(pair) = self.pair.as_mut() {
            let max = pair.rows.left.len().saturating_sub(page);
            pair.scroll = (pair.scroll as isize)
                .saturating_add(delta)
                .clamp(0, max as isize) as usize;
        }
    }

    /// Rows visible at once (the shorter side when stacked).
    fn pair_page(&self) -> usize {
        let panes = self.pair_panes();
        let inner = |r: ratatui::layout::Rect| usize::from(r.height.saturating_sub(2));
        inner(panes.original).min(inner(panes.translation)).max(1)
    }

    /// The pair view's panes for the current size.
    pub fn pair_panes(&self) -> layout::PairPanes {
        layout::pair_panes(ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1))
    }

    /// A body arrived: keep it if the open pair shows that article.
    pub(super) fn pair_body_loaded(&mut self, id: &str, body: &Result<Body, String>) {
        let Some(pair) = self.pair.as_mut() else {
            return;
        };
        let mut changed = false;
        for (side_id, slot) in [&pair.original, &pair.translation]
            .into_iter()
            .zip(pair.bodies.iter_mut())
        {
            if side_id == id {
                *slot = Some(body.clone());
                changed = true;
            }
        }
        if changed {
            self.rebuild_pair();
        }
    }

    /// Re-wraps and re-aligns both sides (after a body arrives or the terminal resizes).
    pub(super) fn rebuild_pair(&mut self) {
        let Some(pair) = &self.pair else {
            return;
        };
        let panes = self.pair_panes();
        let width = |r: ratatui::layout::Rect| usize::from(r.width.saturating_sub(2));
        let rows = match (
            self.article(&pair.original),
            self.article(&pair.translation),
        ) {
            (Some(o), Some(t)) => view::build_rows(
                Side {
                    article: o,
                    body: pair.bodies[0].as_ref(),
                    width: width(panes.original),
                },
                Side {
                    article: t,
                    body: pair.bodies[1].as_ref(),
                    width: width(panes.translation),
                },
                &self.options,
            ),
            _ => PairRows::default(),
        };
        let page = self.pair_page();
        if let Some(pair) = self.pair.as_mut() {
            pair.scroll = pair.scroll.min(rows.left.len().saturating_sub(page));
            pair.rows = rows;
        }
    }
}
