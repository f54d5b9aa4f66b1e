//! Translation-suspect signals: evidence-backed hints for the editor. They suggest; they never mark.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The kinds of signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignalKind {
    MtDisclaimer,
    LangMismatch,
    MixedLanguage,
    ShareResidue,
    UntranslatedFragment,
    OrphanTranslation,
}

impl SignalKind {
    /// Every kind, in display order.
    pub const ALL: [Self; 6] = [
        Self::MtDisclaimer,
        Self::LangMismatch,
        Self::MixedLanguage,
        Self::ShareResidue,
        Self::UntranslatedFragment,
        Self::OrphanTranslation,
    ];

    /// The name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MtDisclaimer => "mt-disclaimer",
            Self::LangMismatch => "lang-mismatch",
            Self::MixedLanguage => "mixed-language",
            Self::ShareResidue => "share-residue",
            Self::UntranslatedFragment => "untranslated-fragment",
            Self::OrphanTranslation => "orphan-translation",
        }
    }

    /// A one-letter marker for the list.
    pub fn marker(self) -> char {
        match self {
            Self::MtDisclaimer => 'M',
            Self::LangMismatch => 'L',
            Self::MixedLanguage => 'X',
            Self::ShareResidue => 'S',
            Self::UntranslatedFragment => 'U',
            Self::OrphanTranslation => 'O',
        }
    }

    /// What the signal means, for the reader pane.
    pub fn describe(self) -> &'static str {
        match self {
            Self::MtDisclaimer => "says it is a machine translation",
            Self::LangMismatch => "declared language differs from the text",
            Self::MixedLanguage => "paragraphs in more than one language",
            Self::ShareResidue => "share or navigation residue in the text",
            Self::UntranslatedFragment => "words left in the source language",
            Self::OrphanTranslation => "a translation whose original is not in the inbox",
        }
    }
}

impl fmt::Display for SignalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SignalKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|k| k.as_str()).collect();
                format!("'{s}' is not a signal (one of: {})", names.join(", "))
            })
    }
}

/// One signal with the text that triggered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    pub kind: SignalKind,
    pub evidence: String,
}

impl Signal {
    /// A signal with its evidence, shortened to a readable length.
    pub fn new(kind: SignalKind, evidence: &str) -> Self {
        let mut e: String = evidence.split_whitespace().collect::<Vec<_>>().join(" ");
        if e.chars().count() > 160 {
            e = e.chars().take(159).collect::<String>() + "…";
        }
        Self { kind, evidence: e }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in SignalKind::ALL {
            assert_eq!(kind.as_str().parse::<SignalKind>(), Ok(kind));
        }
        assert!(
            "vibes"
                .parse::<SignalKind>()
                .unwrap_err()
                .contains("'vibes'")
        );
    }
}
