//! One table of key, action, context and description drives the keys, the config overlay and
//! the help screen, so that help never drifts from what the keys do.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ctx {
    List,
    Reader,
    /// Both the list and the reader.
    Any,
}

/// A key as written in the config and shown in help: `j`, `G`, `Enter`, `C-d`, `PageDown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCodeOrd,
    pub ctrl: bool,
}

/// The subset of key codes copydesk binds, ordered for stable help output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    Char(char),
    Enter,
    Tab,
    BackTab,
    Esc,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Backspace,
    Delete,
    F(u8),
}

impl Key {
    /// Reads a key name from the config.
    pub fn parse(s: &str) -> Result<Self, String> {
        let (ctrl, name) = match s.strip_prefix("C-").or_else(|| s.strip_prefix("Ctrl-")) {
            Some(rest) if !rest.is_empty() => (true, rest),
            _ => (false, s),
        };
        let code = match name {
            "Enter" | "Return" => KeyCodeOrd::Enter,
            "Tab" => KeyCodeOrd::Tab,
            "BackTab" | "S-Tab" => KeyCodeOrd::BackTab,
            "Esc" | "Escape" => KeyCodeOrd::Esc,
            "Up" => KeyCodeOrd::Up,
            "Down" => KeyCodeOrd::Down,
            "Left" => KeyCodeOrd::Left,
            "Right" => KeyCodeOrd::Right,
            "PageUp" | "PgUp" => KeyCodeOrd::PageUp,
            "PageDown" | "PgDn" => KeyCodeOrd::PageDown,
            "Home" => KeyCodeOrd::Home,
            "End" => KeyCodeOrd::End,
            "Backspace" => KeyCodeOrd::Backspace,
            "Delete" | "Del" => KeyCodeOrd::Delete,
            "Space" => KeyCodeOrd::Char(' '),
            f if f.len() >= 2
                && f.starts_with('F')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCodeOrd::F(f[1..].parse().unwrap_or(1))
            }
            one if one.chars().count() == 1 => KeyCodeOrd::Char(one.chars().next().unwrap_or(' ')),
            _ => {
                return Err(format!(
                    "'{}' is not a key (examples: j, G, Enter, Space, C-d, PageDown, F2)",
                    crate::sanitize::echo(s)
                ));
            }
        };
        Ok(Self { code, ctrl })
    }

    /// The key of a terminal event, if copydesk can bind it.
    pub fn from_event(e: &KeyEvent) -> Option<Self> {
        let ctrl = e.modifiers.contains(KeyModifiers::CONTROL);
        let code = match e.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            KeyCode::Enter => KeyCodeOrd::Enter,
            KeyCode::Tab => KeyCodeOrd::Tab,
            KeyCode::BackTab => KeyCodeOrd::BackTab,
            KeyCode::Esc => KeyCodeOrd::Esc,
            KeyCode::Up => KeyCodeOrd::Up,
            KeyCode::Down => KeyCodeOrd::Down,
            KeyCode::Left => KeyCodeOrd::Left,
            KeyCode::Right => KeyCodeOrd::Right,
            KeyCode::PageUp => KeyCodeOrd::PageUp,
            KeyCode::PageDown => KeyCodeOrd::PageDown,
            KeyCode::Home => KeyCodeOrd::Home,
            KeyCode::End => KeyCodeOrd::End,
            KeyCode::Backspace => KeyCodeOrd::Backspace,
            KeyCode::Delete => KeyCodeOrd::Delete,
            KeyCode::F(n) => KeyCodeOrd::F(n),
            _ => return None,
        };
        Some(Self { code, ctrl })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("C-")?;
        }
        match self.code {
            KeyCodeOrd::Char(' ') => f.write_str("Space"),
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// A binding in the default table.
pub struct Binding {
    pub action: Action,
    pub keys: &'static [&'static str],
    pub ctx: Ctx,
    pub description: &'static str,
}

/// The default key table. Order is the help screen's order.
pub const DEFAULTS: &[Binding] = &[
    Binding {
        action: Action::MoveDown,
        keys: &["j", "Down"],
        ctx: Ctx::List,
        description: "next article",
    },
    Binding {
        action: Action::MoveUp,
        keys: &["k", "Up"],
        ctx: Ctx::List,
        description: "previous article",
    },
    Binding {
        action: Action::PageDown,
        keys: &["PageDown", "C-d"],
        ctx: Ctx::Any,
        description: "page down",
    },
    Binding {
        action: Action::PageUp,
        keys: &["PageUp", "C-u"],
        ctx: Ctx::Any,
        description: "page up",
    },
    Binding {
        action: Action::First,
        keys: &["g", "Home"],
        ctx: Ctx::Any,
        description: "first article / top",
    },
    Binding {
        action: Action::Last,
        keys: &["G", "End"],
        ctx: Ctx::Any,
        description: "last article / end",
    },
    Binding {
        action: Action::OpenReader,
        keys: &["Enter", "Tab"],
        ctx: Ctx::List,
        description: "read the article",
    },
    Binding {
        action: Action::BackToList,
        keys: &["Esc", "Tab", "q"],
        ctx: Ctx::Reader,
        description: "back to the list",
    },
    Binding {
        action: Action::ScrollDown,
        keys: &["j", "Down", "Space"],
        ctx: Ctx::Reader,
        description: "scroll down",
    },
    Binding {
        action: Action::ScrollUp,
        keys: &["k", "Up", "b"],
        ctx: Ctx::Reader,
        description: "scroll up",
    },
    Binding {
        action: Action::ToggleZoom,
        keys: &["z"],
        ctx: Ctx::Any,
        description: "full-screen reader",
    },
    Binding {
        action: Action::Verified,
        keys: &["v"],
        ctx: Ctx::Any,
        description: "mark verified",
    },
    Binding {
        action: Action::NeedsReview,
        keys: &["r"],
        ctx: Ctx::Any,
        description: "mark needs-review",
    },
    Binding {
        action: Action::TranslationSuspect,
        keys: &["t"],
        ctx: Ctx::Any,
        description: "mark translation-suspect",
    },
    Binding {
        action: Action::Untriaged,
        keys: &["x"],
        ctx: Ctx::Any,
        description: "back to untriaged",
    },
    Binding {
        action: Action::EditNote,
        keys: &["a"],
        ctx: Ctx::Any,
        description: "write or edit the note",
    },
    Binding {
        action: Action::Undo,
        keys: &["u"],
        ctx: Ctx::Any,
        description: "undo the last change",
    },
    Binding {
        action: Action::Redo,
        keys: &["U", "C-r"],
        ctx: Ctx::Any,
        description: "redo",
    },
    Binding {
        action: Action::Search,
        keys: &["/"],
        ctx: Ctx::Any,
        description: "search id, title, text",
    },
    Binding {
        action: Action::NextMatch,
        keys: &["n"],
        ctx: Ctx::Any,
        description: "next match",
    },
    Binding {
        action: Action::PrevMatch,
        keys: &["N"],
        ctx: Ctx::Any,
        description: "previous match",
    },
    Binding {
        action: Action::ToggleSelect,
        keys: &["Space"],
        ctx: Ctx::List,
        description: "select / unselect",
    },
    Binding {
        action: Action::ClearSelection,
        keys: &["Esc"],
        ctx: Ctx::List,
        description: "clear the selection",
    },
    Binding {
        action: Action::CycleStatusFilter,
        keys: &["s"],
        ctx: Ctx::Any,
        description: "filter: next status",
    },
    Binding {
        action: Action::CycleLangFilter,
        keys: &["l"],
        ctx: Ctx::Any,
        description: "filter: next language",
    },
    Binding {
        action: Action::CycleDateFilter,
        keys: &["d"],
        ctx: Ctx::Any,
        description: "filter: all/today/a day",
    },
    Binding {
        action: Action::PrevDay,
        keys: &["["],
        ctx: Ctx::Any,
        description: "filter: day before",
    },
    Binding {
        action: Action::NextDay,
        keys: &["]"],
        ctx: Ctx::Any,
        description: "filter: day after",
    },
    Binding {
        action: Action::ToggleSignalFilter,
        keys: &["f"],
        ctx: Ctx::Any,
        description: "filter: with signals",
    },
    Binding {
        action: Action::ClearFilters,
        keys: &["c"],
        ctx: Ctx::Any,
        description: "clear filters",
    },
    Binding {
        action: Action::CycleSort,
        keys: &["o"],
        ctx: Ctx::Any,
        description: "cycle the sort order",
    },
    Binding {
        action: Action::PairView,
        keys: &["p"],
        ctx: Ctx::Any,
        description: "compare side by side",
    },
    Binding {
        action: Action::Export,
        keys: &["e"],
        ctx: Ctx::Any,
        description: "export filtered list",
    },
    Binding {
        action: Action::Help,
        keys: &["?"],
        ctx: Ctx::Any,
        description: "this help",
    },
    Binding {
        action: Action::Quit,
        keys: &["q"],
        ctx: Ctx::List,
        description: "quit (also C-c)",
    },
];

/// Key → action per context, after the user's overlay.
#[derive(Debug, Clone)]
pub struct Keymap {
    list: BTreeMap<Key, Action>,
    reader: BTreeMap<Key, Action>,
    /// Keys per action, for help.
    keys: BTreeMap<Action, Vec<Key>>,
}

impl Keymap {
    /// The defaults, with the user's `[keys]` replacing the keys of the actions it names.
    pub fn new(overrides: &BTreeMap<String, Vec<String>>) -> Result<Self, String> {
        let mut keys: BTreeMap<Action, Vec<Key>> = BTreeMap::new();
        for b in DEFAULTS {
            let parsed = b
                .keys
                .iter()
                .map(|k| Key::parse(k))
                .collect::<Result<Vec<_>, _>>()?;
            keys.insert(b.action, parsed);
        }
        for (name, list) in overrides {
            let action: Action = toml::Value::String(name.clone()).try_into().map_err(|_| {
                let name = crate::sanitize::echo(name);
                format!("[keys]: '{name}' is not an action (see the help screen, '?')")
            })?;
            let parsed = list
                .iter()
                .map(|k| Key::parse(k))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("[keys] {}: {e}", crate::sanitize::echo(name)))?;
            keys.insert(action, parsed);
        }
        check_conflicts(&keys)?;
        let mut map = Self {
            list: BTreeMap::new(),
            reader: BTreeMap::new(),
            keys,
        };
        for b in DEFAULTS {
            for key in map.keys.get(&b.action).cloned().unwrap_or_default() {
                if matches!(b.ctx, Ctx::List | Ctx::Any) {
                    map.list.entry(key).or_insert(b.action);
                }
                if matches!(b.ctx, Ctx::Reader | Ctx::Any) {
                    map.reader.entry(key).or_insert(b.action);
                }
            }
        }
        Ok(map)
    }

    /// The action bound to a key in a context.
    pub fn action(&self, ctx: Ctx, key: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(key)?;
        match ctx {
            Ctx::Reader => self.reader.get(&key).copied(),
            Ctx::List | Ctx::Any => self.list.get(&key).copied(),
        }
    }

    /// The first key bound to an action, as help writes it.
    pub fn first_key(&self, action: Action) -> Option<String> {
        self.keys.get(&action)?.first().map(Key::to_string)
    }

    /// Help rows: keys, description, context — from the same table that binds the keys.
    pub fn help_rows(&self) -> Vec<(String, &'static str, Ctx)> {
        DEFAULTS
            .iter()
            .map(|b| {
                let keys = self
                    .keys
                    .get(&b.action)
                    .map(|k| k.iter().map(Key::to_string).collect::<Vec<_>>().join(" "))
                    .unwrap_or_default();
                (keys, b.description, b.ctx)
            })
            .collect()
    }
}

/// Two actions on one key in the same pane is a config mistake: say which.
fn check_conflicts(keys: &BTreeMap<Action, Vec<Key>>) -> Result<(), String> {
    for pane in [Ctx::List, Ctx::Reader] {
        let mut seen: BTreeMap<Key, Action> = BTreeMap::new();
        for b in DEFAULTS
            .iter()
            .filter(|b| b.ctx == pane || b.ctx == Ctx::Any)
        {
            for key in keys.get(&b.action).into_iter().flatten() {
                if let Some(other) = seen.insert(*key, b.action)
                    && other != b.action
                {
                    return Err(format!(
                        "[keys]: '{key}' is bound to both {} and {}",
                        other.name(),
                        b.action.name()
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn defaults_bind_per_context() {
        let map = Keymap::new(&BTreeMap::new()).expect("defaults");
        assert_eq!(map.action(Ctx::List, &press('j')), Some(Action::MoveDown));
        assert_eq!(
            map.action(Ctx::Reader, &press('j')),
            Some(Action::ScrollDown)
        );
        assert_eq!(
            map.action(Ctx::List, &press(' ')),
            Some(Action::ToggleSelect)
        );
        assert_eq!(
            map.action(Ctx::Reader, &press(' ')),
            Some(Action::ScrollDown)
        );
        assert_eq!(map.action(Ctx::Reader, &press('v')), Some(Action::Verified));
        // `q` leaves the reader as it leaves the side-by-side view; only the list quits.
        assert_eq!(map.action(Ctx::List, &press('q')), Some(Action::Quit));
        assert_eq!(
            map.action(Ctx::Reader, &press('q')),
            Some(Action::BackToList)
        );
        let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert_eq!(map.action(Ctx::List, &ctrl_d), Some(Action::PageDown));
    }

    #[test]
    fn user_keys_replace_defaults_and_help_follows() {
        let mut user = BTreeMap::new();
        user.insert(
            "verified".to_string(),
            vec!["V".to_string(), "F2".to_string()],
        );
        let map = Keymap::new(&user).expect("overlay");
        assert_eq!(map.action(Ctx::List, &press('V')), Some(Action::Verified));
        assert_eq!(map.action(Ctx::List, &press('v')), None);
        let help = map.help_rows();
        assert!(
            help.iter()
                .any(|(k, d, _)| k == "V F2" && *d == "mark verified"),
            "{help:?}"
        );
    }

    #[test]
    fn bad_user_keys_are_named() {
        let mut user = BTreeMap::new();
        user.insert("teleport".to_string(), vec!["T".to_string()]);
        assert!(Keymap::new(&user).unwrap_err().contains("'teleport'"));
        let mut user = BTreeMap::new();
        user.insert("verified".to_string(), vec!["q".to_string()]);
        assert_eq!(
            Keymap::new(&user).unwrap_err(),
            "[keys]: 'q' is bound to both verified and quit"
        );
        let mut user = BTreeMap::new();
        user.insert("verified".to_string(), vec!["Hyper-X".to_string()]);
        assert!(Keymap::new(&user).unwrap_err().contains("'Hyper-X'"));
    }
}
