//! Per-article lookups the screen needs on every key: position by id, status, language rank
//! and the counts per status — kept up to date when the state changes, so that no keystroke
//! walks the state map once per article.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::inbox::Article;
use crate::signals::SignalKind;
use crate::state::{State, Status};

/// Lookups over the articles of one screen.
#[derive(Debug, Clone, Default)]
pub struct Index {
    position: HashMap<String, usize>,
    /// The languages present, sorted.
    pub langs: Vec<String>,
    lang_rank: Vec<u32>,
    statuses: Vec<Status>,
    counts: [(Status, usize); 4],
    /// Per article, the weight of its signals (see `strength`): the suspects-first order.
    suspicion: Vec<u32>,
    /// Per original, its translations (articles whose `translation_of` names it), by id.
    translations: HashMap<usize, Vec<usize>>,
}

impl Index {
    /// Builds the lookups for `articles` under `state`.
    pub fn new(articles: &[Arc<Article>], state: &State) -> Self {
        let position = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        let langs: Vec<String> = articles
            .iter()
            .map(|a| a.lang.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(str::to_string)
            .collect();
        let lang_rank = articles
            .iter()
            .map(|a| {
                langs
                    .binary_search(&a.lang)
                    .map_or(u32::MAX, |r| u32::try_from(r).unwrap_or(u32::MAX))
            })
            .collect();
        let suspicion = articles
            .iter()
            .map(|a| a.signals.iter().map(|s| strength(s.kind)).sum())
            .collect();
        let translations = translations(articles, &position);
        let mut index = Self {
            position,
            langs,
            lang_rank,
            statuses: Vec::new(),
            counts: Status::ALL.map(|s| (s, 0)),
            suspicion,
            translations,
        };
        index.refresh(articles.len(), state);
        index
    }

    /// Re-reads every article's status from the state (walks the entries, not the articles).
    pub fn refresh(&mut self, len: usize, state: &State) {
        self.statuses = vec![Status::Untriaged; len];
        for (id, entry) in &state.articles {
            if let Some(&i) = self.position.get(id) {
                self.statuses[i] = entry.status;
            }
        }
        self.counts = Status::ALL.map(|s| (s, 0));
        for s in &self.statuses {
            if let Some(c) = self.counts.iter_mut().find(|(st, _)| st == s) {
                c.1 += 1;
            }
        }
    }

    /// One article's status changed (a save of this editor's own changes): the counts follow.
    pub fn set_status(&mut self, i: usize, status: Status) {
        let Some(old) = self.statuses.get_mut(i) else {
            return;
        };
        let was = std::mem::replace(old, status);
        for (s, n) in &mut self.counts {
            if *s == was {
                *n = n.saturating_sub(1);
            }
            if *s == status {
                *n += 1;
            }
        }
    }

    /// The index of the article with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.position.get(id).copied()
    }

    /// The status of article `i`.
    pub fn status(&self, i: usize) -> Status {
        self.statuses.get(i).copied().unwrap_or_default()
    }

    /// The rank of article `i`'s language among the languages present.
    pub fn lang_rank(&self, i: usize) -> u32 {
        self.lang_rank.get(i).copied().unwrap_or(u32::MAX)
    }

    /// The rank of a language, if any article has it.
    pub fn rank_of(&self, lang: &str) -> Option<u32> {
        self.langs
            .binary_search_by(|l| l.as_str().cmp(lang))
            .ok()
            .and_then(|r| u32::try_from(r).ok())
    }

    /// Counts per status.
    pub fn counts(&self) -> [(Status, usize); 4] {
        self.counts
    }

    /// How suspect article `i` looks: the summed strength of its signals (0: none).
    pub fn suspicion(&self, i: usize) -> u32 {
        self.suspicion.get(i).copied().unwrap_or(0)
    }

    /// The translations of article `i` in the inbox, ordered by id.
    pub fn translations(&self, i: usize) -> &[usize] {
        self.translations.get(&i).map_or(&[], Vec::as_slice)
    }
}

/// How strongly a signal points at a bad translation. An explicit mistake (wrong language,
/// words left untranslated) outranks an admission of machine translation, which outranks
/// scraping residue (which, with any kind added later, counts as the weakest).
fn strength(kind: SignalKind) -> u32 {
    match kind {
        SignalKind::LangMismatch | SignalKind::UntranslatedFragment => 5,
        SignalKind::MixedLanguage => 4,
        SignalKind::MtDisclaimer => 3,
        SignalKind::OrphanTranslation => 2,
        _ => 1,
    }
}

/// Original position → translation positions, each list ordered by id.
fn translations(
    articles: &[Arc<Article>],
    position: &HashMap<String, usize>,
) -> HashMap<usize, Vec<usize>> {
    let mut out: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        if let Some(&o) = a.translation_of.as_ref().and_then(|t| position.get(t))
            && o != i
        {
            out.entry(o).or_default().push(i);
        }
    }
    for list in out.values_mut() {
        list.sort_by(|&a, &b| articles[a].id.cmp(&articles[b].id));
    }
    out
}
