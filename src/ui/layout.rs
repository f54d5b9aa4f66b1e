//! Where each pane goes, as a pure function of the terminal size — shared by `update` (for page
//! sizes and wrap widths) and `draw`.

use ratatui::layout::Rect;

/// Terminals narrower than this stack the reader under the list.
pub const SIDE_BY_SIDE_MIN_WIDTH: u16 = 120;

/// Below this the screen only says it is too small.
pub const MIN_WIDTH: u16 = 30;
pub const MIN_HEIGHT: u16 = 8;

/// The screen's panes. `None` where a pane is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub list: Option<Rect>,
    pub reader: Option<Rect>,
    pub status: Rect,
    pub too_small: bool,
}

/// Lays out the screen.
pub fn panes(area: Rect, zoom: bool) -> Panes {
    let status = Rect {
        y: area.bottom().saturating_sub(1),
        height: area.height.min(1),
        ..area
    };
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return Panes {
            list: None,
            reader: None,
            status,
            too_small: true,
        };
    }
    let body = Rect {
        height: area.height - 1,
        ..area
    };
    if zoom {
        return Panes {
            list: None,
            reader: Some(body),
            status,
            too_small: false,
        };
    }
    let (list, reader) = if area.width >= SIDE_BY_SIDE_MIN_WIDTH {
        let list_w = body.width * 11 / 20;
        (
            Rect {
                width: list_w,
                ..body
            },
            Rect {
                x: body.x + list_w,
                width: body.width - list_w,
                ..body
            },
        )
    } else {
        let list_h = (body.height * 2 / 5).max(5).min(body.height);
        (
            Rect {
                height: list_h,
                ..body
            },
            Rect {
                y: body.y + list_h,
                height: body.height - list_h,
                ..body
            },
        )
    };
    Panes {
        list: Some(list),
        reader: Some(reader),
        status,
        too_small: false,
    }
}

/// The side-by-side view's panes: original and translation beside each other on wide
/// terminals, the original above the translation below that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairPanes {
    pub original: Rect,
    pub translation: Rect,
    pub status: Rect,
    pub stacked: bool,
    pub too_small: bool,
}

/// Lays out the side-by-side view over the whole screen.
pub fn pair_panes(area: Rect) -> PairPanes {
    let base = panes(area, true);
    let Some(body) = base.reader else {
        return PairPanes {
            original: Rect::default(),
            translation: Rect::default(),
            status: base.status,
            stacked: true,
            too_small: true,
        };
    };
    let stacked = area.width < SIDE_BY_SIDE_MIN_WIDTH;
    let (original, translation) = if stacked {
        let top = body.height / 2;
        (
            Rect {
                height: top,
                ..body
            },
            Rect {
                y: body.y + top,
                height: body.height - top,
                ..body
            },
        )
    } else {
        let left = body.width / 2;
        (
            Rect {
                width: left,
                ..body
            },
            Rect {
                x: body.x + left,
                width: body.width - left,
                ..body
            },
        )
    };
    PairPanes {
        original,
        translation,
        status: base.status,
        stacked,
        too_small: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacked_when_narrow_side_by_side_when_wide() {
        let p = panes(Rect::new(0, 0, 80, 24), false);
        assert_eq!(p.list, Some(Rect::new(0, 0, 80, 9)));
        assert_eq!(p.reader, Some(Rect::new(0, 9, 80, 14)));
        assert_eq!(p.status, Rect::new(0, 23, 80, 1));
        let p = panes(Rect::new(0, 0, 200, 50), false);
        assert_eq!(p.list, Some(Rect::new(0, 0, 110, 49)));
        assert_eq!(p.reader, Some(Rect::new(110, 0, 90, 49)));
        let p = panes(Rect::new(0, 0, 10, 3), false);
        assert!(p.too_small);
        assert_eq!(
            panes(Rect::new(0, 0, 80, 24), true).reader,
            Some(Rect::new(0, 0, 80, 23))
        );
    }

    #[test]
    fn pairs_stack_when_narrow_and_stand_side_by_side_when_wide() {
        let p = pair_panes(Rect::new(0, 0, 80, 24));
        assert!(p.stacked && !p.too_small);
        assert_eq!(p.original, Rect::new(0, 0, 80, 11));
        assert_eq!(p.translation, Rect::new(0, 11, 80, 12));
        let p = pair_panes(Rect::new(0, 0, 200, 50));
        assert!(!p.stacked);
        assert_eq!(p.original, Rect::new(0, 0, 100, 49));
        assert_eq!(p.translation, Rect::new(100, 0, 100, 49));
        assert_eq!(p.status, Rect::new(0, 49, 200, 1));
        assert!(pair_panes(Rect::new(0, 0, 20, 5)).too_small);
    }
}
