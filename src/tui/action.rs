//! Everything an editor can ask of the triage screen, by name (the names a config's `[keys]` uses).

use serde::Deserialize;

/// One user intention. Keys map to actions through the keymap; `App::update` carries them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    MoveDown,
    MoveUp,
    PageDown,
    PageUp,
    First,
    Last,
    OpenReader,
    BackToList,
    ScrollDown,
    ScrollUp,
    ToggleZoom,
    Verified,
    NeedsReview,
    TranslationSuspect,
    Untriaged,
    EditNote,
    Undo,
    Redo,
    Search,
    NextMatch,
    PrevMatch,
    ToggleSelect,
    ClearSelection,
    CycleStatusFilter,
    CycleLangFilter,
    CycleDateFilter,
    PrevDay,
    NextDay,
    ToggleSignalFilter,
    ClearFilters,
    CycleSort,
    /// Original and translation side by side; again: the next translation.
    PairView,
    Export,
    Help,
    Quit,
}

impl Action {
    /// The config name of the action (as in `[keys]`).
    pub fn name(self) -> String {
        let debug = format!("{self:?}");
        let mut out = String::new();
        for (i, c) in debug.chars().enumerate() {
            if c.is_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_config_spelling() {
        assert_eq!(Action::TranslationSuspect.name(), "translation_suspect");
        let parsed: Action = toml::Value::String("next_match".into())
            .try_into()
            .expect("action");
        assert_eq!(parsed, Action::NextMatch);
    }
}
