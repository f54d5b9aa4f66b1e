//! Paragraph-level checks on cleaned text: a paragraph in another language than the article's
//! (`mixed-language`), and a run of source-language words left inside a translation
//! (`untranslated-fragment`).
//!
//! Cost is bounded so that ingest stays fast at 100,000 articles: only the first
//! [`MAX_SCAN_CHARS`] of a body are read; short paragraphs are skipped; a paragraph full of the
//! article language's function words is settled without any detector; whatlang looks at the
//! others, and lingua is asked only to confirm what whatlang calls foreign.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

use super::chars::{is_letter, is_letter_or_digit};
use super::function_words::{Lead, function_words, is_function_word, reads_as};
use super::{
    DETECTABLE, LINGUA_LANGUAGES, MIN_CONFIDENCE, full_lingua, iso1_of_whatlang,
    malay_or_indonesian,
};

/// The paragraph checks read at most this many characters of cleaned text.
pub const MAX_SCAN_CHARS: usize = 12_000;

/// A paragraph is detected on at most this many characters of its lowercase words.
const PARAGRAPH_SAMPLE_CHARS: usize = 400;

/// "Real length" for a paragraph of a cased script: this many words that do not start with a
/// capital. Capitalised words (names, titles, German nouns) are left out of the count and of the
/// detected sample, so that a paragraph of names is not taken for another language.
const MIN_PARAGRAPH_WORDS: usize = 15;

/// "Real length" for scripts without case (Chinese, Japanese, Arabic, Thai, ...): letters.
const MIN_PARAGRAPH_LETTERS: usize = 60;

/// A paragraph whose words are at least this share of the article language's function words
/// (and whose words of that language alone lead: see `function_words::reads_as`) is in that
/// language: no detector needed. Native prose is mostly at 25–45 %, dense news leads lower (the
/// Russian, Ukrainian, Indonesian and Malay lists were lengthened for them); another language
/// at 0–6 %.
const SAME_LANGUAGE_SHARE: f64 = 0.12;

/// lingua, the slow confirmer, reads at most this many characters of a paragraph.
const CONFIRM_SAMPLE_CHARS: usize = 300;

/// lingua's confidence (relative over its 24 languages) needed to confirm a foreign paragraph.
const PARAGRAPH_CONFIRM: f64 = 0.7;

/// A run needs this many lowercase words to count as an untranslated fragment.
const MIN_FRAGMENT_WORDS: usize = 4;

/// Share of the source language among {source, article language, English} that lingua must give
/// a run before it is called an untranslated fragment.
const FRAGMENT_CONFIRM: f64 = 0.9;

/// A paragraph in another language than the article's.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignParagraph {
    pub lang: String,
    pub text: String,
}

/// A run of source-language words inside a translation.
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    pub lang: String,
    pub words: String,
}

/// Indonesian and Malay are one family here: whatlang has no Malay model, and telling them
/// apart paragraph by paragraph is not reliable.
fn same_family(a: &str, b: &str) -> bool {
    fn family(l: &str) -> &str {
        if l == "ms" { "id" } else { l }
    }
    family(a) == family(b)
}

/// The first paragraph of real length that is confidently in another language than
/// `article_lang`, if any.
pub fn foreign_paragraph(text: &str, article_lang: &str) -> Option<ForeignParagraph> {
    if !DETECTABLE.contains(&article_lang) {
        return None;
    }
    paragraphs(scan_prefix(text)).find_map(|p| {
        let lang = paragraph_language(p, article_lang)?;
        Some(ForeignParagraph {
            lang,
            text: p.to_string(),
        })
    })
}

/// The body's paragraphs: blocks between blank lines; a long block of long lines (text without
/// blank lines between paragraphs) is split at its line ends.
fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.split("\n\n").flat_map(|block| {
        let lines: Vec<&str> = block.lines().collect();
        let by_line = block.len() > 1500 && lines.iter().all(|l| l.len() >= 200);
        if by_line { lines } else { vec![block] }
    })
}

fn scan_prefix(text: &str) -> &str {
    if text.len() <= MAX_SCAN_CHARS {
        return text;
    }
    match text.char_indices().nth(MAX_SCAN_CHARS) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
}

/// The language of a paragraph when it is of real length and confidently not `article_lang`.
fn paragraph_language(paragraph: &str, article_lang: &str) -> Option<String> {
    if paragraph.len() < 40
        || opens_in_language(paragraph, article_lang)
        || in_own_script(paragraph, article_lang)
    {
        return None;
    }
    let sample_words = real_length_sample(paragraph)?;
    let sample = bounded_join(&sample_words, PARAGRAPH_SAMPLE_CHARS);
    let guess = whatlang_guess(&sample, article_lang)?;
    // Function words that agree with whatlang confirm it as well as lingua does, at a
    // hundredth of the cost.
    if let Guess::Lang(lang) = guess
        && reads_as(&sample, lang, SAME_LANGUAGE_SHARE, Lead::Ahead, usize::MAX)
    {
        return name_of(lang, &sample, article_lang);
    }
    lingua_confirms(&sample_words, guess, article_lang)
}

/// The words a paragraph is detected on (those that do not start with a capital), when it is
/// of real length: [`MIN_PARAGRAPH_WORDS`] of them, or [`MIN_PARAGRAPH_LETTERS`] letters in
/// scripts without case.
fn real_length_sample(paragraph: &str) -> Option<Vec<&str>> {
    let words = words(paragraph);
    let caseless_letters: usize = words
        .iter()
        .filter(|w| !has_case(w))
        .map(|w| w.chars().count())
        .sum();
    let sample_words: Vec<&str> = words.iter().copied().filter(|w| !starts_upper(w)).collect();
    let lower_cased = sample_words.iter().filter(|w| has_case(w)).count();
    (lower_cased >= MIN_PARAGRAPH_WORDS || caseless_letters >= MIN_PARAGRAPH_LETTERS)
        .then_some(sample_words)
}

/// What whatlang makes of a paragraph that may be foreign.
#[derive(Debug, Clone, Copy)]
enum Guess {
    /// Confidently this language, not the article's.
    Lang(&'static str),
    /// A language whatlang has no model for (Swahili, which it calls Shona or Zulu): lingua
    /// alone decides.
    LinguaAlone,
}

/// whatlang's guess at `sample`; `None` when it is unsure, names the article's own language,
/// or names one copydesk cannot.
fn whatlang_guess(sample: &str, article_lang: &str) -> Option<Guess> {
    let info = whatlang::detect(sample)?;
    let lang = match info.lang() {
        // Shona or Zulu, unsure, is whatlang's Swahili; in a Swahili article it is Swahili.
        whatlang::Lang::Sna | whatlang::Lang::Zul if article_lang == "sw" => return None,
        whatlang::Lang::Sna | whatlang::Lang::Zul => return Some(Guess::LinguaAlone),
        _ if info.confidence() < MIN_CONFIDENCE => return None,
        lang => iso1_of_whatlang(lang)?,
    };
    (!same_family(lang, article_lang)).then_some(Guess::Lang(lang))
}

/// The name of a paragraph found in `lang`: Indonesian or Malay, which whatlang and the word
/// lists do not tell apart, by the spelling or lingua restricted to the two (and Tagalog);
/// `None` when that makes it the article's own language.
fn name_of(lang: &str, sample: &str, article_lang: &str) -> Option<String> {
    if lang != "id" {
        return Some(lang.to_string());
    }
    match malay_or_indonesian(sample).lang {
        named if same_family(&named, article_lang) => None,
        named if named == "id" || named == "ms" => Some(named),
        _ => Some(lang.to_string()),
    }
}

/// The paragraph's language when lingua, over its 24 languages, confirms `guess` (or, for
/// [`Guess::LinguaAlone`], names a language) other than the article's, with
/// [`PARAGRAPH_CONFIRM`] or more.
fn lingua_confirms(sample_words: &[&str], guess: Guess, article_lang: &str) -> Option<String> {
    let confirm_sample = bounded_join(sample_words, CONFIRM_SAMPLE_CHARS);
    let values = full_lingua().compute_language_confidence_values(confirm_sample.as_str());
    let (top, confidence) = values.first()?;
    let top = top.iso_code_639_1().to_string();
    let agrees = match guess {
        Guess::Lang(lang) => same_family(&top, lang),
        Guess::LinguaAlone => true,
    };
    (agrees && !same_family(&top, article_lang) && *confidence >= PARAGRAPH_CONFIRM).then_some(top)
}

/// Whether a paragraph of a language with a script of its own (Arabic, Han with or without kana,
/// Hangul, Thai, Devanagari) is written almost wholly in that script: then it is in that language, and no
/// detector is needed. Arabic-script Persian or Urdu in an Arabic article is not told apart.
fn in_own_script(paragraph: &str, lang: &str) -> bool {
    let own: fn(char) -> bool = match lang {
        "ar" => {
            |c| matches!(c as u32, 0x600..=0x6FF | 0x750..=0x77F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
        }
        "ja" | "zh" => |c| matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF),
        "ko" => |c| matches!(c as u32, 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F),
        "th" => |c| matches!(c as u32, 0xE00..=0xE7F),
        "hi" => |c| matches!(c as u32, 0x900..=0x97F),
        _ => return false,
    };
    let (mut letters, mut inside, mut kana) = (0usize, 0usize, 0usize);
    for c in paragraph.chars().filter(|c| is_letter(*c)) {
        letters += 1;
        inside += usize::from(own(c));
        kana += usize::from(matches!(c as u32, 0x3040..=0x30FF));
    }
    // Japanese needs kana: a paragraph of Han characters alone may be Chinese; Chinese has none.
    let kana_ok = match lang {
        "ja" => kana * 10 >= letters,
        "zh" => kana == 0,
        _ => true,
    };
    letters > 0 && inside * 10 >= letters * 9 && kana_ok
}

/// Words: runs of letters, digits, apostrophes and inner hyphens.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(is_letter_or_digit(c) || c == '\'' || c == '’' || c == '-'))
        .map(|w| w.trim_matches(|c: char| !is_letter_or_digit(c)))
        .filter(|w| w.chars().any(is_letter))
        .collect()
}

fn has_case(word: &str) -> bool {
    word.chars().any(|c| c.is_lowercase() || c.is_uppercase())
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether the paragraph reads as `lang` from its function words: at least
/// [`SAME_LANGUAGE_SHARE`] of its words, and no other language with more words of its own
/// (see `function_words::reads_as`); judged as soon as 20 words show it (a paragraph in the
/// article's language shows it at once, so most paragraphs cost a few dozen look-ups).
fn opens_in_language(paragraph: &str, lang: &str) -> bool {
    const JUDGE_AFTER: usize = 20;
    reads_as(
        paragraph,
        lang,
        SAME_LANGUAGE_SHARE,
        Lead::Level,
        JUDGE_AFTER,
    )
}

fn bounded_join(words: &[&str], max: usize) -> String {
    let mut out = String::new();
    for w in words {
        if out.len() + w.len() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Untranslated fragments

/// Writing systems, as far as fragment runs need them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Arabic,
    Han,
    Other,
}

fn script_of_lang(lang: &str) -> Script {
    match lang {
        "ru" | "uk" => Script::Cyrillic,
        "ar" | "fa" | "ur" => Script::Arabic,
        "zh" | "ja" => Script::Han,
        "hi" | "ko" | "th" => Script::Other,
        _ => Script::Latin,
    }
}

fn script_of_word(word: &str) -> Script {
    let Some(c) = word.chars().find(|c| c.is_alphabetic()) else {
        return Script::Other;
    };
    match c as u32 {
        0x41..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
        0x400..=0x52F => Script::Cyrillic,
        0x600..=0x6FF | 0x750..=0x77F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Script::Arabic,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => Script::Han,
        _ => Script::Other,
    }
}

/// The first run of words in `source_lang` left inside a text in `article_lang`, if any.
///
/// A run is a stretch of one sentence in the source language's script that holds none of the
/// article language's function words, at least [`MIN_FRAGMENT_WORDS`] lowercase words, and —
/// when a list exists — at least one of the source language's function words. lingua must then
/// prefer the source language over the article's and English (names and brands are often
/// English). Capitalised words (names of people and institutions, which translations keep) do
/// not count towards the length.
pub fn untranslated_fragment(
    text: &str,
    article_lang: &str,
    source_lang: &str,
) -> Option<Fragment> {
    if same_family(article_lang, source_lang)
        || !DETECTABLE.contains(&article_lang)
        || !DETECTABLE.contains(&source_lang)
    {
        return None;
    }
    let source_script = script_of_lang(source_lang);
    if source_script == Script::Other
        || (source_script == script_of_lang(article_lang)
            && function_words(article_lang).is_empty())
    {
        return None;
    }
    let text = scan_prefix(text);
    sentences(text).find_map(|s| {
        runs(s, article_lang, source_script)
            .into_iter()
            .find_map(|run| confirm_run(&run, article_lang, source_lang))
    })
}

fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split([
        '.', '!', '?', '\n', '。', '！', '？', '«', '»', '"', '“', '”', '(', ')',
    ])
    .filter(|s| !s.trim().is_empty())
}

/// Candidate runs of one sentence: maximal stretches of source-script words without any of the
/// article language's function words.
fn runs<'a>(sentence: &'a str, article_lang: &str, source_script: Script) -> Vec<Vec<&'a str>> {
    let target_list = function_words(article_lang);
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for w in words(sentence) {
        let in_run = script_of_word(w) == source_script && !is_function_word(w, target_list);
        if in_run {
            current.push(w);
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn confirm_run(run: &[&str], article_lang: &str, source_lang: &str) -> Option<Fragment> {
    let source_list = function_words(source_lang);
    let lowercase: Vec<&str> = run.iter().copied().filter(|w| !starts_upper(w)).collect();
    let long_enough = if script_of_lang(source_lang) == Script::Han {
        lowercase.iter().map(|w| w.chars().count()).sum::<usize>() >= 2 * MIN_FRAGMENT_WORDS
    } else {
        lowercase.len() >= MIN_FRAGMENT_WORDS
    };
    if !long_enough {
        return None;
    }
    if !source_list.is_empty() && !lowercase.iter().any(|w| is_function_word(w, source_list)) {
        return None;
    }
    if source_lang == "ja" && !run.iter().any(|w| w.chars().any(is_kana)) {
        return None;
    }
    let share = source_share(
        &lowercase.join(" "),
        article_lang,
        source_lang,
        Accuracy::High,
    );
    if share < FRAGMENT_CONFIRM {
        return None;
    }
    let words = trim_run(run, article_lang, source_lang);
    Some(Fragment {
        lang: source_lang.to_string(),
        words: words.join(" "),
    })
}

fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF)
}

/// The source language's share of lingua's confidence among source, article language and
/// English, from a detector restricted to those (lingua's models are shared, so building one
/// is cheap, and three candidates cost an eighth of twenty-four).
fn source_share(text: &str, article_lang: &str, source_lang: &str, accuracy: Accuracy) -> f64 {
    let (Some(source), Some(article)) =
        (lingua_language(source_lang), lingua_language(article_lang))
    else {
        return 0.0;
    };
    let mut candidates = vec![source, article];
    if !candidates.contains(&Language::English) {
        candidates.push(Language::English);
    }
    restricted_detector(&candidates, accuracy).compute_language_confidence(text, source)
}

/// lingua's high-accuracy mode reads every n-gram length; the low one only trigrams — about a
/// fifth of the work, enough to tell which side of a confirmed run a single word belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Accuracy {
    High,
    Low,
}

/// A lingua detector for these candidates, built once per set and shared by all threads.
fn restricted_detector(candidates: &[Language], accuracy: Accuracy) -> Arc<LanguageDetector> {
    type Cache = HashMap<(Vec<Language>, Accuracy), Arc<LanguageDetector>>;
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    let build = || {
        let mut builder = LanguageDetectorBuilder::from_languages(candidates);
        if accuracy == Accuracy::Low {
            builder.with_low_accuracy_mode();
        }
        Arc::new(builder.build())
    };
    let key = (candidates.to_vec(), accuracy);
    if let Ok(map) = cache.lock()
        && let Some(detector) = map.get(&key)
    {
        return Arc::clone(detector);
    }
    // Built without the lock held: lingua builds with rayon, and a rayon thread blocked on this
    // lock, or one that steals a task wanting it while it builds, would hang the index (see
    // `language::built_once`). Two threads may both build; the first one stored is kept.
    let built = build();
    match cache.lock() {
        Ok(mut map) => Arc::clone(map.entry(key).or_insert(built)),
        // A thread panicked while holding the lock: do without the cache.
        Err(_) => built,
    }
}

fn lingua_language(code: &str) -> Option<Language> {
    LINGUA_LANGUAGES
        .iter()
        .copied()
        .find(|l| l.iso_code_639_1().to_string() == code)
}

/// Drops words at either end of a confirmed run that lingua gives to the article language
/// (a run ends where the translation picks up again, "… sungai afin de …").
fn trim_run<'a>(run: &[&'a str], article_lang: &str, source_lang: &str) -> Vec<&'a str> {
    let mut run = run.to_vec();
    let foreign = |w: &str| {
        starts_upper(w) || source_share(w, article_lang, source_lang, Accuracy::Low) >= 0.5
    };
    while run.len() > MIN_FRAGMENT_WORDS && run.last().is_some_and(|w| !foreign(w)) {
        run.pop();
    }
    while run.len() > MIN_FRAGMENT_WORDS && run.first().is_some_and(|w| !foreign(w)) {
        run.remove(0);
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRENCH: &str = "Le directeur du musée a rappelé que deux tisserands à la retraite assureront chaque samedi des démonstrations sur les métiers en état de marche, et qu'un atelier permettra aussi aux enfants de réaliser leur propre motif.";
    const ENGLISH: &str = "We are proud to have played a small part in bringing these looms back to life, and we hope that schoolchildren from both sides of the Channel will come here and watch the shuttles move.";

    #[test]
    fn detectors_are_built_without_hanging_rayon_threads() {
        use rayon::prelude::*;
        // A candidate set no other test uses, so that this test builds it: from plain threads
        // and from rayon's own threads at once, as the index and the tests do.
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let candidates = [Language::Swahili, Language::Thai, Language::Vietnamese];
            std::thread::scope(|s| {
                for _ in 0..4 {
                    s.spawn(|| restricted_detector(&candidates, Accuracy::Low));
                }
                (0..32).into_par_iter().for_each(|_| {
                    restricted_detector(&candidates, Accuracy::Low);
                });
            });
            let _ = done.send(());
        });
        let waited = finished.recv_timeout(std::time::Duration::from_secs(60));
        assert!(waited.is_ok(), "building a detector hung");
    }

    #[test]
    fn an_english_paragraph_in_a_french_article_is_foreign() {
        let text = format!("{FRENCH}\n\n{ENGLISH}\n\n{FRENCH}");
        let found = foreign_paragraph(&text, "fr").expect("foreign paragraph");
        assert_eq!(found.lang, "en");
        assert!(found.text.starts_with("We are proud"));
        assert_eq!(
            foreign_paragraph(&text, "en").map(|f| f.lang),
            Some("fr".into())
        );
    }

    #[test]
    fn a_paragraph_in_a_close_language_is_foreign() {
        // Both paragraphs hold over 12 % of the article language's function words, shared
        // ones ("de", "la", "que"; "в", "на", "не"): the words each language has alone decide.
        let french = "La mairie a annoncé que les travaux de la place centrale commenceront en mars et que la circulation sera fermée pendant deux mois. Les commerçants du quartier craignent de perdre une partie de leur clientèle, mais la mairie promet de les aider.";
        let spanish = "El ayuntamiento aprobó el jueves el presupuesto para la nueva línea de tranvía, que según los técnicos estará lista en primavera, y los vecinos piden que se respete el horario nocturno.";
        let text = format!("{spanish}\n\n{french}");
        let found = foreign_paragraph(&text, "es").expect("French in a Spanish article");
        assert_eq!((found.lang.as_str(), found.text.as_str()), ("fr", french));
        let russian = "В понедельник власти сообщили, что ремонт моста на улице Пушкина закончится не раньше весны. По словам чиновников, подрядчик не успел из-за дождей, и движение по мосту будет закрыто на три месяца. Жители соседних домов жалуются на шум и пыль, которые не прекращаются даже по выходным.";
        let ukrainian = "Міська рада ухвалила рішення про ремонт мосту, який з'єднує два райони міста. Роботи почнуться навесні, і мешканці вже зараз просять подбати про об'їзди та тишу вночі.";
        let text = format!("{ukrainian}\n\n{russian}");
        let found = foreign_paragraph(&text, "uk").expect("Russian in a Ukrainian article");
        assert_eq!(found.lang, "ru");
        assert_eq!(foreign_paragraph(russian, "ru"), None);
    }

    #[test]
    fn function_words_confirm_what_lingua_leaves_split() {
        // lingua spreads this Indonesian paragraph over Indonesian and Malay, below the 0.7
        // it needs to confirm; its function words confirm whatlang's Indonesian.
        let indonesian = "Versi bahasa Inggris, Mandarin, Jepang, Arab, dan Prancis dari halaman ini dihasilkan secara otomatis oleh mesin penerjemah sehingga masih mungkin terdapat kekeliruan. Teks berbahasa Indonesia merupakan acuan utama.";
        let text = format!("{ENGLISH}\n\n{indonesian}");
        let found = foreign_paragraph(&text, "en").map(|f| f.lang);
        assert_eq!(found.as_deref(), Some("id"));
    }

    #[test]
    fn paragraphs_whatlang_cannot_name_are_named_by_lingua_or_the_spelling() {
        // whatlang has no Swahili (it says Shona, unsure) and no Malay (it says Indonesian).
        let swahili = "Serikali ya kaunti imetangaza kwamba barabara kuu ya mji itafungwa kwa wiki mbili ili kuruhusu ukarabati wa daraja la zamani. Wakazi wameombwa kutumia njia mbadala na kuwa na subira wakati kazi inaendelea.";
        let malay = "Kerajaan negeri berkata bahawa wang bantuan sebanyak lima ratus ringgit akan diberikan kepada setiap keluarga yang terjejas, kerana ramai penduduk masih belum boleh pulang ke rumah mereka selepas banjir surut.";
        for (paragraph, lang) in [(swahili, "sw"), (malay, "ms")] {
            let text = format!("{ENGLISH}\n\n{paragraph}");
            let found = foreign_paragraph(&text, "en").map(|f| f.lang);
            assert_eq!(found.as_deref(), Some(lang));
        }
    }

    #[test]
    fn short_quotes_names_and_same_language_paragraphs_are_not_foreign() {
        let quote = "« C'est magnifique », a dit la ministre, avant de lancer en anglais : \"What a wonderful day for the city\".";
        let names = "Avec Jean-Pierre Martin, Sarah Johnson, Michael O'Brien, Emily Watson, Robert Smith, Linda Carter, James Wilson, Patricia Brown, David Taylor, Jennifer Moore, Thomas Anderson.";
        let text = format!("{FRENCH}\n\n{quote}\n\n{names}\n\n{FRENCH}");
        assert_eq!(foreign_paragraph(&text, "fr"), None);
        assert_eq!(foreign_paragraph(FRENCH, "fr"), None);
        // Malay in an Indonesian article is the same family, not a mix.
        let malay = "Kerajaan negeri meluluskan peruntukan yang lebih besar untuk membaiki sekolah, walaupun pihak pembangkang mengkritik hutang yang semakin meningkat kerana kadar faedah yang tinggi tahun ini.";
        assert_eq!(foreign_paragraph(malay, "id"), None);
    }

    #[test]
    fn an_indonesian_run_in_a_french_translation_is_a_fragment() {
        let text = "La responsable a indiqué que l'eau a commencé à monter vers 21 heures. Selon elle, petugas masih menyisir rumah di bantaran sungai afin de s'assurer qu'aucun enfant n'a été laissé sur place.";
        let f = untranslated_fragment(text, "fr", "id").expect("fragment");
        assert_eq!(f.lang, "id");
        assert_eq!(f.words, "petugas masih menyisir rumah di bantaran sungai");
        // The same text is clean when its source is English.
        assert_eq!(untranslated_fragment(text, "fr", "en"), None);
    }

    #[test]
    fn names_of_institutions_kept_in_the_source_language_are_not_fragments() {
        let text = "Le chef de l'Agence régionale de gestion des catastrophes, Badan Penanggulangan Bencana Daerah Kota Semarang, a parlé aux habitants de Genuk et de Pedurungan.";
        assert_eq!(untranslated_fragment(text, "fr", "id"), None);
    }

    #[test]
    fn fragments_in_another_script() {
        let text = "三宝垄市政府在三个地点设立了公共厨房。warga masih menunggu bantuan di posko pengungsian。居民们仍在等待。";
        let f = untranslated_fragment(text, "zh", "id").expect("fragment");
        assert_eq!(f.words, "warga masih menunggu bantuan di posko pengungsian");
    }

    #[test]
    fn scans_are_bounded() {
        let long = format!("{FRENCH}\n\n").repeat(200) + ENGLISH;
        assert!(long.chars().count() > MAX_SCAN_CHARS);
        assert_eq!(foreign_paragraph(&long, "fr"), None);
    }
}
