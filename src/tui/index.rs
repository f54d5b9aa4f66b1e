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
    /// The articles indexed (shared with the screen's list).
    articles: Vec<Arc<Article>>,
    /// Positions ordered by id: lookups by binary search, without a copy of every id.
    by_id: Vec<u32>,
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
        let mut by_id: Vec<u32> = (0..articles.len())
            .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
            .collect();
        by_id.sort_unstable_by(|&a, &b| articles[a as usize].id.cmp(&articles[b as usize].id));
        let langs: Vec<String> = articles
            .iter()
            .map(|a| &*a.lang)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(str::to_string)
            .collect();
        let lang_rank = articles
            .iter()
            .map(|a| {
                langs
                    .binary_search_by(|l| l.as_str().cmp(&a.lang))
                    .map_or(u32::MAX, |r| u32::try_from(r).unwrap_or(u32::MAX))
            })
            .collect();
        let suspicion = articles
            .iter()
            .map(|a| a.signals().iter().map(|s| strength(s.kind)).sum())
            .collect();
        let mut index = Self {
            articles: articles.to_vec(),
            by_id,
            langs,
            lang_rank,
            statuses: Vec::new(),
            counts: Status::ALL.map(|s| (s, 0)),
            suspicion,
            translations: HashMap::new(),
        };
        index.translations = translations(articles, |id| index.position(id));
        index.refresh(articles.len(), state);
        index
    }

    /// Re-reads every article's status from the state (walks the entries, not the articles).
    pub fn refresh(&mut self, len: usize, state: &State) {
        self.statuses = vec![Status::Untriaged; len];
        // Both in id order: one merge, no lookups.
        let mut entries = state.articles.iter().peekable();
        for &p in &self.by_id {
            let id = &*self.articles[p as usize].id;
            while let Some((key, entry)) = entries.peek() {
                match key.as_str().cmp(id) {
                    std::cmp::Ordering::Less => {
                        entries.next();
                    }
                    std::cmp::Ordering::Equal => {
                        let made_here = entry.applies_to(&self.articles[p as usize]);
                        if let Some(s) = self.statuses.get_mut(p as usize).filter(|_| made_here) {
                            *s = entry.status;
                        }
                        break;
                    }
                    std::cmp::Ordering::Greater => break,
                }
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
        let found = self
            .by_id
            .binary_search_by(|&p| (*self.articles[p as usize].id).cmp(id))
            .ok()?;
        Some(self.by_id[found] as usize)
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
    position: impl Fn(&str) -> Option<usize>,
) -> HashMap<usize, Vec<usize>> {
    let mut out: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        if let Some(o) = a.translation_of().and_then(&position)
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
