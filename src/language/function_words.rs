//! Function words: the short, frequent words that give a language away ("the", "de", "yang").
//!
//! The paragraph checks use them to settle a paragraph in the article's language without a
//! detector; [`verdict`] uses them to name the language of a whole article that shows it
//! plainly, so that whatlang, which compares every text with some 30 Latin-script profiles,
//! runs only on the articles that need it.

use std::collections::HashMap;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::DETECTABLE;
use super::chars::{first_letter, is_cyrillic, is_latin, is_letter_or_digit, lowercase};

/// The function words of a language as a set, built once; empty for languages without a list.
pub(super) fn function_words(lang: &str) -> &'static FunctionWords {
    static SETS: OnceLock<HashMap<&'static str, FunctionWords>> = OnceLock::new();
    static EMPTY: OnceLock<FunctionWords> = OnceLock::new();
    let sets = SETS.get_or_init(|| {
        DETECTABLE
            .iter()
            .map(|l| (*l, function_word_list(l).iter().copied().collect()))
            .collect()
    });
    sets.get(lang)
        .unwrap_or_else(|| EMPTY.get_or_init(FunctionWords::default))
}

/// One language's list, sorted: a binary search over a few dozen keys, for the fragment
/// checks; the verdicts look words up in all the lists at once, by hash ([`WordFamilies`]).
#[derive(Default)]
pub(super) struct FunctionWords(Vec<Key>);

impl FromIterator<&'static str> for FunctionWords {
    fn from_iter<I: IntoIterator<Item = &'static str>>(iter: I) -> Self {
        let mut words: Vec<Key> = iter.into_iter().filter_map(key).collect();
        words.sort_unstable();
        words.dedup();
        Self(words)
    }
}

impl FunctionWords {
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn find(&self, word: Key) -> Option<()> {
        self.0.binary_search(&word).ok().map(|_| ())
    }
}

/// A word of at most [`KEY_BYTES`] bytes as one number, zero-padded, so that a look-up compares
/// integers instead of calling memcmp (it was 8 % of a first index).
type Key = u128;
const KEY_BYTES: usize = 16;

fn key(word: &str) -> Option<Key> {
    key_of(word.as_bytes(), |b| b)
}

/// The key of `bytes`, each passed through `byte` first.
fn key_of(bytes: &[u8], byte: impl Fn(u8) -> u8) -> Option<Key> {
    let mut padded = [0u8; KEY_BYTES];
    for (to, &from) in padded.get_mut(..bytes.len())?.iter_mut().zip(bytes) {
        *to = byte(from);
    }
    Some(Key::from_be_bytes(padded))
}

/// The key of `word` lowercased; an ASCII word is lowercased into the key, without a copy.
fn lowercase_key(word: &str) -> Option<Key> {
    if word.len() > KEY_BYTES {
        None
    } else if word.is_ascii() {
        key_of(word.as_bytes(), |b| b.to_ascii_lowercase())
    } else {
        key(&lowercase(word))
    }
}

/// Finds `word` lowercased, and failing that its elided head ("l'usine", "d’eau": the elided
/// article counts).
fn look_up<T>(word: &str, find: impl Fn(Key) -> Option<T>) -> Option<T> {
    lowercase_key(word)
        .and_then(&find)
        .or_else(|| match word.find(['\'', '’']) {
            Some(cut) => lowercase_key(&word[..cut]).and_then(&find),
            None => None,
        })
}

/// Frequent short words, chosen to be rare in the other listed languages. Lowercase.
fn function_word_list(lang: &str) -> &'static [&'static str] {
    match lang {
        "en" => &[
            "the", "of", "and", "to", "is", "that", "for", "was", "with", "are", "this", "from",
            "have", "has", "were", "which", "would", "will", "their", "been", "not", "but", "they",
            "said", "it", "its", "by", "at", "be", "or", "who", "after", "than", "about", "he",
            "she", "we", "you", "had", "there", "what", "when", "can", "into",
        ],
        "fr" => &[
            "le", "la", "les", "de", "des", "du", "et", "est", "une", "que", "qui", "dans", "pour",
            "pas", "sur", "au", "aux", "par", "ce", "il", "elle", "sont", "avec", "plus", "ont",
            "été", "cette", "mais", "leur", "sa", "son", "ses", "ne", "nous", "vous", "d", "l",
            "qu", "n", "s", "c", "j", "y", "où", "aussi", "comme",
        ],
        "de" => &[
            "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "von", "mit",
            "sich", "des", "auf", "für", "im", "dem", "auch", "es", "werden", "wird", "oder",
            "bei", "als", "nach", "wie", "sie", "hat", "sind", "wurde", "einen", "einer", "noch",
            "ich", "wir", "aus", "um", "über", "vor", "dass", "kann", "zum", "zur",
        ],
        "es" => &[
            "el", "los", "las", "del", "y", "que", "en", "un", "una", "es", "por", "para", "con",
            "se", "su", "al", "lo", "como", "más", "pero", "sus", "fue", "está", "han", "ha",
            "este", "esta", "sobre", "entre", "también", "la", "de", "no", "le", "ya", "muy",
        ],
        "pt" => &[
            "o", "os", "do", "da", "dos", "das", "e", "em", "um", "uma", "é", "com", "não", "ao",
            "na", "no", "mais", "pelo", "pela", "foi", "são", "está", "como", "seu", "sua",
            "também", "ou", "que", "para", "de", "se", "nos", "nas", "já", "ainda",
        ],
        "it" => &[
            "il", "di", "che", "e", "la", "per", "un", "una", "non", "è", "del", "della", "con",
            "sono", "nel", "nella", "alla", "gli", "le", "anche", "come", "più", "ha", "dei",
            "delle", "questo", "essere", "stato", "si", "da", "al", "ma",
        ],
        "nl" => &[
            "de", "het", "een", "van", "en", "is", "dat", "niet", "op", "te", "met", "voor",
            "zijn", "er", "aan", "ook", "als", "door", "maar", "om", "bij", "naar", "worden",
            "werd", "heeft", "hij", "zij", "wordt", "die", "dit", "nog",
        ],
        "id" => &[
            "yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "dalam", "tidak", "akan",
            "pada", "adalah", "ke", "atau", "juga", "oleh", "sudah", "telah", "karena", "bahwa",
            "masih", "bisa", "ada", "para", "mereka", "kami", "saat", "sebagai", "tersebut",
            "kata", "ujar", "agar", "hingga", "lebih", "sejak", "namun", "kepada", "semua",
            "termasuk", "bagi", "antara", "serta", "tetapi", "daripada", "sebelum", "menurut",
            "setiap", "secara", "seperti", "sebuah", "seorang", "hanya", "jika", "setelah",
            "yaitu",
        ],
        "ms" => &[
            "yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "dalam", "tidak", "akan",
            "pada", "adalah", "ke", "atau", "juga", "oleh", "sudah", "telah", "kerana", "bahawa",
            "masih", "boleh", "ada", "para", "mereka", "kami", "ketika", "sebagai", "tersebut",
            "katanya", "agar", "hingga", "lebih", "sejak", "namun", "beliau", "kepada", "semua",
            "termasuk", "bagi", "antara", "serta", "tetapi", "daripada", "sebelum", "menurut",
            "setiap", "secara", "seperti", "sebuah", "seorang", "hanya", "jika", "selepas",
            "iaitu", "manakala",
        ],
        "ru" => &[
            "и",
            "в",
            "не",
            "на",
            "что",
            "с",
            "по",
            "как",
            "это",
            "он",
            "она",
            "они",
            "из",
            "за",
            "от",
            "для",
            "же",
            "так",
            "но",
            "к",
            "у",
            "о",
            "мы",
            "вы",
            "бы",
            "был",
            "была",
            "были",
            "его",
            "их",
            "который",
            "которые",
            "также",
            "уже",
            "при",
            "которая",
            "которой",
            "которую",
            "которых",
            "котором",
            "которого",
            "после",
            "или",
            "если",
            "только",
            "ещё",
            "еще",
            "этом",
            "этого",
            "этой",
            "эти",
            "будет",
            "может",
            "между",
            "чем",
            "где",
            "со",
            "во",
            "под",
            "около",
            "чтобы",
            "однако",
            "более",
        ],
        "uk" => &[
            "і",
            "й",
            "в",
            "не",
            "на",
            "що",
            "з",
            "по",
            "як",
            "це",
            "він",
            "вона",
            "вони",
            "із",
            "за",
            "від",
            "для",
            "же",
            "так",
            "але",
            "до",
            "у",
            "про",
            "ми",
            "ви",
            "був",
            "була",
            "були",
            "його",
            "їх",
            "який",
            "які",
            "також",
            "вже",
            "при",
            "та",
            "яка",
            "якої",
            "яку",
            "яких",
            "якому",
            "якого",
            "після",
            "або",
            "якщо",
            "тільки",
            "ще",
            "цьому",
            "цього",
            "цій",
            "ці",
            "буде",
            "може",
            "між",
            "ніж",
            "де",
            "зі",
            "під",
            "близько",
            "щоб",
            "однак",
            "більш",
        ],
        _ => &[],
    }
}

pub(super) fn is_function_word(word: &str, list: &FunctionWords) -> bool {
    !list.is_empty() && look_up(word, |k| list.find(k)).is_some()
}

/// Languages with a list, grouped in families that the words alone may decide between:
/// Indonesian and Malay share most of theirs, and only their spelling tells them apart.
const FAMILIES: &[&[&str]] = &[
    &["en"],
    &["fr"],
    &["de"],
    &["es"],
    &["pt"],
    &["it"],
    &["nl"],
    &["id", "ms"],
    &["ru"],
    &["uk"],
];

/// The verdict reads at most this many words.
const VERDICT_WORDS: usize = 250;
/// ... and needs at least this many, ...
const VERDICT_MIN_WORDS: usize = 30;
/// ... this many function words found in one family's lists only, ...
const VERDICT_MIN_OWN: usize = 10;
/// ... at least this many of them different words (Swahili's "ya" alone is not Spanish), ...
const VERDICT_MIN_DISTINCT: usize = 5;
/// ... this many times as many as any other family has of its own, ...
const VERDICT_MARGIN: usize = 4;
/// ... and this share of all the words read among that family's function words. Native prose
/// was at 13–45 % (Russian lowest) with the first, shorter lists; texts in the 24 languages copydesk detects, and in their
/// lingua test sentences, reached 7 % at most for a family other than their own once the
/// other conditions held.
const VERDICT_MIN_SHARE: f64 = 0.12;

/// What the function words say of a text's language.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Verdict {
    /// Plainly this language (ISO 639-1), with the share of the evidence that points to it.
    Lang(&'static str, f64),
    /// Plainly Indonesian or Malay; which one is for the spelling or a detector to say.
    MalayOrIndonesian,
}

/// The language `text` plainly reads as from its function words, or `None` when the words
/// do not say it clearly enough (too short, mixed, close languages, or a language without a
/// list): a detector decides then.
pub(super) fn verdict(text: &str) -> Option<Verdict> {
    if !in_a_listed_script(text) {
        return None;
    }
    Tally::of(text).verdict()
}

/// Room in [`Tally`]'s set of words met: the table of listed words must fit (a test checks).
const TABLE_CAPACITY: usize = 16 * 64;

/// What the first [`VERDICT_WORDS`] words of a text hold of each family's function words.
struct Tally {
    /// Words read.
    seen: usize,
    /// Function words of each family's lists (a word on several lists counts for each).
    any: [usize; FAMILIES.len()],
    /// Function words on that family's lists only.
    own: [usize; FAMILIES.len()],
    /// Different words among `own`.
    distinct: [usize; FAMILIES.len()],
}

impl Tally {
    fn of(text: &str) -> Self {
        Self::until(text, |_| false)
    }

    /// The tally of the first [`VERDICT_WORDS`] words, or of fewer when `enough` says so
    /// after a word.
    fn until(text: &str, enough: impl Fn(&Self) -> bool) -> Self {
        let families = word_families();
        let mut tally = Self {
            seen: 0,
            any: [0; FAMILIES.len()],
            own: [0; FAMILIES.len()],
            distinct: [0; FAMILIES.len()],
        };
        let mut met = [0u64; TABLE_CAPACITY / 64];
        let words = text
            .split(|c: char| !(is_letter_or_digit(c) || c == '\'' || c == '’'))
            .filter(|w| !w.is_empty())
            .take(VERDICT_WORDS);
        for word in words {
            if enough(&tally) {
                break;
            }
            tally.seen += 1;
            let Some((at, mask)) = families.find(word) else {
                continue;
            };
            for (f, count) in tally.any.iter_mut().enumerate() {
                *count += usize::from(mask & (1 << f) != 0);
            }
            if mask.count_ones() == 1 {
                let f = mask.trailing_zeros() as usize;
                tally.own[f] += 1;
                let (slot, bit) = (at / 64, 1u64 << (at % 64));
                if let Some(word_set) = met.get_mut(slot)
                    && *word_set & bit == 0
                {
                    *word_set |= bit;
                    tally.distinct[f] += 1;
                }
            }
        }
        tally
    }

    /// Whether family `f`'s words are at least `min_share` of the words read, and its own
    /// words `lead` the other families'.
    fn leans_to(&self, f: usize, min_share: f64, lead: Lead) -> bool {
        let others = self.most_own_besides(f);
        let ahead = match lead {
            Lead::Level => self.own[f] >= others,
            Lead::Ahead => self.own[f] > others,
        };
        self.seen > 0 && self.any[f] as f64 >= min_share * self.seen as f64 && ahead
    }

    /// Whether family `f` leans the text's way so clearly that reading on cannot change it:
    /// its share reached, two words of its own or more, twice any other family's own. A
    /// single own word proves little ("en" is on the Spanish list alone, and French writes it
    /// often).
    fn plainly_leans_to(&self, f: usize, min_share: f64) -> bool {
        let own = self.own[f];
        self.leans_to(f, min_share, Lead::Ahead) && own >= 2 && own >= 2 * self.most_own_besides(f)
    }

    /// The most words of its own any family but `f` has.
    fn most_own_besides(&self, f: usize) -> usize {
        (self.own.iter().enumerate())
            .filter(|&(g, _)| g != f)
            .map(|(_, &n)| n)
            .max()
            .unwrap_or(0)
    }

    /// The family with the most words of its own, when it clears every threshold.
    fn verdict(&self) -> Option<Verdict> {
        let (best, &best_own) = self.own.iter().enumerate().max_by_key(|&(_, n)| *n)?;
        let runner_up = self.most_own_besides(best);
        let plain = self.seen >= VERDICT_MIN_WORDS
            && best_own >= VERDICT_MIN_OWN
            && self.distinct[best] >= VERDICT_MIN_DISTINCT
            && best_own >= VERDICT_MARGIN * runner_up
            && self.any[best] as f64 >= VERDICT_MIN_SHARE * self.seen as f64;
        if !plain {
            return None;
        }
        Some(match FAMILIES[best] {
            [lang] => {
                let all_own: usize = self.own.iter().sum();
                Verdict::Lang(lang, (best_own as f64 / all_own as f64).min(0.99))
            }
            _ => Verdict::MalayOrIndonesian,
        })
    }
}

/// How the words a family has alone must compare with any other family's in [`reads_as`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lead {
    /// As many or more: shared words alone may do ("de", "que", "no" are Spanish and
    /// Portuguese alike).
    Level,
    /// More: some word of the family's own is needed.
    Ahead,
}

/// Whether `text` reads as `lang` by its function words: at least `min_share` of its words
/// on `lang`'s family's lists, and the words that family has alone in `lead` of any other
/// family's. Russian and Ukrainian share many short words ("в", "на", "по"), as Spanish,
/// Portuguese and Italian do; the words each has alone tell them apart. Judged as soon as
/// `judge_after` words show the family's own words plainly ahead, else on the first
/// [`VERDICT_WORDS`] (shared words never settle it early: the first 20 words of a French
/// paragraph may hold "la", "de", "que", an "en" of the Spanish list, and no French word yet).
pub(super) fn reads_as(
    text: &str,
    lang: &str,
    min_share: f64,
    lead: Lead,
    judge_after: usize,
) -> bool {
    let Some(f) = FAMILIES.iter().position(|family| family.contains(&lang)) else {
        return false;
    };
    let early = |t: &Tally| t.seen >= judge_after && t.plainly_leans_to(f, min_share);
    Tally::until(text, early).leans_to(f, min_share, lead)
}

/// Whether the text opens in the Latin or Cyrillic script, the only ones with lists: Arabic,
/// Chinese or Japanese copy is not split into words for nothing.
fn in_a_listed_script(text: &str) -> bool {
    first_letter(text).is_some_and(|c| is_latin(c) || is_cyrillic(c))
}

/// Every listed word with its place in the table (for the set of words met) and the families
/// whose lists hold it (bit `f` for `FAMILIES[f]`). A hash look-up: the binary search it
/// replaced was 8 % of a first index's profile.
struct WordFamilies(FxHashMap<Key, (usize, u16)>);

impl WordFamilies {
    /// Where `word` is in the table and the families whose lists hold it.
    fn find(&self, word: &str) -> Option<(usize, u16)> {
        look_up(word, |k| self.0.get(&k).copied())
    }
}

fn word_families() -> &'static WordFamilies {
    static TABLE: OnceLock<WordFamilies> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut masks: FxHashMap<Key, u16> = FxHashMap::default();
        for (f, langs) in FAMILIES.iter().enumerate() {
            for word in langs.iter().flat_map(|l| function_word_list(l)) {
                if let Some(k) = key(word) {
                    *masks.entry(k).or_default() |= 1 << f;
                }
            }
        }
        let mut words: Vec<(Key, u16)> = masks.into_iter().collect();
        words.sort_unstable();
        let table = words
            .into_iter()
            .enumerate()
            .map(|(at, (k, mask))| (k, (at, mask)));
        WordFamilies(table.collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENGLISH: &str = "The council said on Thursday that the new tram line would open in the spring, after two years of work that have cost the city more than it had planned. Residents who live along the route have complained about the noise, and the mayor has promised that the trams will not run at night. It is the first line to be built in the city since the war, and officials said they expect it to carry twenty thousand people a day by the end of its first year.";
    const SPANISH: &str = "El ayuntamiento aprobó el jueves el presupuesto para la nueva línea de tranvía, que según los técnicos estará lista en primavera. Los vecinos del barrio se quejan del ruido de las obras y piden que se respete el horario nocturno, pero el alcalde ha dicho que no habrá más retrasos. La línea tendrá doce paradas y une el centro con el hospital, y se espera que la usen más de veinte mil personas al día durante el primer año.";
    const PORTUGUESE: &str = "A câmara municipal aprovou na quinta-feira o orçamento para a nova linha de elétrico, que segundo os técnicos estará pronta na primavera. Os moradores do bairro queixam-se do barulho das obras e pedem que seja respeitado o horário noturno, mas o presidente da câmara disse que não haverá mais atrasos. A linha terá doze paragens e liga o centro ao hospital, e espera-se que seja usada por mais de vinte mil pessoas por dia durante o primeiro ano.";
    const INDONESIAN: &str = "Pemerintah kota mengatakan bahwa jalur trem yang baru akan dibuka pada bulan depan, setelah dua tahun pembangunan yang menelan biaya lebih besar dari rencana. Warga yang tinggal di sepanjang jalur itu mengeluhkan kebisingan, dan wali kota berjanji bahwa trem tidak akan beroperasi pada malam hari. Ini adalah jalur pertama yang dibangun di kota tersebut dalam dua puluh tahun terakhir, dan para pejabat berharap jalur ini akan digunakan oleh dua puluh ribu orang setiap hari.";
    const SWAHILI: &str = "Serikali ya kaunti imetangaza kwamba barabara kuu ya mji itafungwa kwa wiki mbili ili kuruhusu ukarabati wa daraja la zamani. Wakazi wameombwa kutumia njia mbadala na kuwa na subira wakati kazi inaendelea. Mkuu wa idara ya ujenzi alisema kwamba mradi huo ulicheleweshwa na mvua kubwa za mwezi uliopita, na kwamba wafanyakazi wataongezwa ili kumaliza kazi mapema.";

    fn lang_of(text: &str) -> Option<&'static str> {
        match verdict(text)? {
            Verdict::Lang(lang, _) => Some(lang),
            Verdict::MalayOrIndonesian => Some("id/ms"),
        }
    }

    #[test]
    fn plain_prose_is_named_by_its_function_words() {
        assert_eq!(lang_of(ENGLISH), Some("en"));
        assert_eq!(lang_of(SPANISH), Some("es"));
        assert_eq!(lang_of(PORTUGUESE), Some("pt"));
        assert_eq!(lang_of(INDONESIAN), Some("id/ms"));
        let Some(Verdict::Lang(_, confidence)) = verdict(ENGLISH) else {
            panic!("no verdict on English prose");
        };
        assert!((0.5..=0.99).contains(&confidence), "{confidence}");
    }

    #[test]
    fn a_language_without_a_list_is_left_to_the_detectors() {
        assert_eq!(verdict(SWAHILI), None);
    }

    #[test]
    fn text_in_another_script_is_not_read() {
        assert!(in_a_listed_script("Когда это было"));
        assert!(in_a_listed_script("«Éte» the"));
        assert!(!in_a_listed_script("المجلس البلدي"));
        assert!(!in_a_listed_script("市议会周四批准"));
        assert!(!in_a_listed_script("1234 ..."));
    }

    #[test]
    fn too_few_words_say_nothing() {
        let short: String = ENGLISH
            .split_whitespace()
            .take(25)
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(verdict(&short), None);
    }

    #[test]
    fn one_word_repeated_is_not_a_language() {
        // Swahili's "ya" is on the Spanish list only: many of it, and no other, is not Spanish.
        let text = "ya kazi ya mji ya watu ya njia ".repeat(8);
        assert_eq!(verdict(&text), None);
    }

    #[test]
    fn two_languages_mixed_evenly_are_left_to_the_detectors() {
        let english: Vec<&str> = ENGLISH.split_whitespace().collect();
        let spanish: Vec<&str> = SPANISH.split_whitespace().collect();
        let mixed: Vec<&str> = english
            .chunks(8)
            .zip(spanish.chunks(8))
            .flat_map(|(a, b)| a.iter().chain(b))
            .copied()
            .collect();
        assert_eq!(verdict(&mixed.join(" ")), None);
    }

    #[test]
    fn every_listed_word_is_found_long_ones_too() {
        for lang in DETECTABLE {
            let list = function_words(lang);
            for word in function_word_list(lang) {
                assert!(is_function_word(word, list), "{lang} {word}");
                assert!(
                    word_families().find(word).is_some()
                        || !FAMILIES.iter().any(|f| f.contains(lang)),
                    "{lang} {word}"
                );
            }
        }
        // 14 bytes: cut by an earlier 12-byte limit.
        assert!(is_function_word("Который", function_words("ru")));
        assert!(!is_function_word("которыйй", function_words("ru")));
        // The verdict's set of words met has room for the whole table.
        assert!(word_families().0.len() <= TABLE_CAPACITY);
    }

    #[test]
    fn elided_articles_count() {
        let french = "l'usine d'eau qu'il n'a c'est l'hôpital d'une ville ".repeat(4)
            + "le maire a dit que la ville et les habitants ont été prévenus par la mairie";
        assert_eq!(lang_of(&french), Some("fr"));
        // The elided article counts before a word too long to be listed.
        assert!(is_function_word("d'investissements", function_words("fr")));
        assert!(is_function_word("L’Administration", function_words("fr")));
    }

    #[test]
    fn dense_news_prose_reads_as_its_language() {
        // A Russian lead of names and nouns: "с" alone of the first lists, 1 word in 17.
        let lead = "Городская дума одобрила проект новой линии метро длиной около двенадцати километров, которая свяжет аэропорт с центром города.";
        assert!(reads_as(lead, "ru", 0.12, Lead::Level, 20));
        let malay = "Jalan utama ke pekan akan ditutup kepada semua kenderaan termasuk motosikal selama dua minggu bagi kerja membaiki jambatan.";
        assert!(reads_as(malay, "ms", 0.12, Lead::Level, 20));
    }

    #[test]
    fn close_languages_are_told_apart_by_the_words_each_has_alone() {
        // Russian with many words Ukrainian spells alike ("в", "на", "не", "по"): over 12 % of
        // its words are on the Ukrainian list, but its own words ("и", "из", "что") say Russian.
        let russian = "В понедельник власти сообщили, что ремонт моста на улице Пушкина закончится не раньше весны. По словам чиновников, подрядчик не успел из-за дождей, и движение по мосту будет закрыто на три месяца.";
        assert!(reads_as(russian, "ru", 0.12, Lead::Level, 20));
        assert!(!reads_as(russian, "uk", 0.12, Lead::Level, 20));
        // Words Spanish and Portuguese share, and none either has alone: level, not ahead.
        let shared = "puede mostrar como numero limitado de caracteres para que no sea de otro programa que se de como para que no";
        assert!(reads_as(shared, "pt", 0.12, Lead::Level, usize::MAX));
        assert!(!reads_as(shared, "pt", 0.12, Lead::Ahead, usize::MAX));
        assert!(reads_as(SPANISH, "es", 0.12, Lead::Ahead, usize::MAX));
        assert!(!reads_as(SPANISH, "pt", 0.12, Lead::Level, usize::MAX));
    }

    #[test]
    fn words_shared_at_the_start_do_not_settle_a_paragraph_early() {
        // The first 20 words: seven on the Spanish list too, "en" on it alone, none on the
        // French list alone; read on, the paragraph is plainly French.
        let french = "La mairie de Lyon a confirmé mardi que la rénovation complète de la gare Part-Dieu commencera en septembre prochain. Les travaux dureront deux ans et les commerçants du quartier craignent une baisse de leur chiffre d'affaires pendant toute la durée du chantier.";
        assert!(!reads_as(french, "es", 0.12, Lead::Level, 20));
        assert!(reads_as(french, "fr", 0.12, Lead::Level, 20));
        assert!(reads_as(SPANISH, "es", 0.12, Lead::Level, 20));
    }
}
