//! Language: boilerplate stripping (share residue, machine-translation disclaimers) and detection.
//!
//! Detection is staged, cheapest first. Russian, Ukrainian and Arabic text is named by its
//! letters (`alphabets`); text whose function words plainly name one language ("the", "yang",
//! "der": see `function_words`) is settled there; otherwise whatlang (trigram +
//! script) names the language; when it says Indonesian or Malay — which whatlang cannot tell
//! apart, it has no Malay — or is unsure, lingua restricted to the candidates decides. The
//! figures behind this choice are in the README.

use std::sync::OnceLock;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};
use rustc_hash::FxHashMap;

use function_words::Verdict;

mod alphabets;
mod boilerplate;
mod chars;
mod function_words;
mod paragraphs;

pub use boilerplate::{
    Cleaned, Disclaimer, clean, is_disclaimer, is_related_link, is_share_residue,
    reference_language,
};
pub use paragraphs::{
    ForeignParagraph, Fragment, MAX_SCAN_CHARS, foreign_paragraph, untranslated_fragment,
};

/// Codes copydesk can detect (ISO 639-1).
pub const DETECTABLE: &[&str] = &[
    "ar", "de", "en", "es", "fa", "fr", "hi", "id", "it", "ja", "ko", "ms", "nl", "pl", "pt", "ru",
    "sw", "th", "tl", "tr", "uk", "ur", "vi", "zh",
];

/// Detection works on at most this many characters of cleaned text: enough for article-length
/// accuracy, bounded so that a huge file costs no more than a normal one.
pub const DETECTION_PREFIX_CHARS: usize = 2000;

/// What whatlang reads of that sample (see `hybrid`).
const WHATLANG_PREFIX_CHARS: usize = 1000;
/// What it reads of text in another script (see `whatlang_chars`).
const WHATLANG_OTHER_SCRIPT_CHARS: usize = 400;

/// Confidence below which the declared language is trusted over the detected one.
pub const MIN_CONFIDENCE: f64 = 0.5;

/// Fewer letters than this and no detection is attempted.
const MIN_LETTERS: usize = 12;

/// Whether `code` is a language code copydesk knows (detectable or commonly declared).
pub fn is_known(code: &str) -> bool {
    DETECTABLE.contains(&code)
        || matches!(
            code,
            "ca" | "cs"
                | "da"
                | "el"
                | "fi"
                | "he"
                | "hu"
                | "jv"
                | "nb"
                | "no"
                | "ro"
                | "sv"
                | "bn"
                | "ta"
        )
}

/// A detection result.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// ISO 639-1 code, or `und`.
    pub lang: String,
    /// 0.0 to 1.0.
    pub confidence: f64,
}

impl Detection {
    /// No language found (too little text, or not looked at yet).
    pub fn undetermined() -> Self {
        Self {
            lang: "und".into(),
            confidence: 0.0,
        }
    }
}

/// Which detector to use; `Hybrid` is the default, the others exist for measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Backend {
    #[default]
    Hybrid,
    Whatlang,
    Lingua,
}

/// Detects the language of cleaned text with the default backend.
pub fn detect(text: &str) -> Detection {
    detect_with(Backend::Hybrid, text)
}

/// Detects the language of cleaned text on a bounded prefix.
pub fn detect_with(backend: Backend, text: &str) -> Detection {
    let sample = prefix(text, DETECTION_PREFIX_CHARS);
    if sample
        .chars()
        .filter(|c| chars::is_letter(*c))
        .nth(MIN_LETTERS - 1)
        .is_none()
    {
        return Detection::undetermined();
    }
    match backend {
        Backend::Whatlang => whatlang_detect(sample).unwrap_or_else(Detection::undetermined),
        Backend::Lingua => lingua_detect(full_lingua(), sample),
        Backend::Hybrid => hybrid(sample),
    }
}

fn hybrid(sample: &str) -> Detection {
    // whatlang's cost grows with the text and it is as sure at 1,000 characters; the finer
    // Indonesian/Malay decision below still reads the whole sample.
    let latin = chars::first_letter(sample).is_some_and(chars::is_latin);
    let head = prefix(sample, whatlang_chars(latin));
    // Russian, Ukrainian and Arabic copy is named by its letters in one pass.
    if !latin && let Some((lang, confidence)) = alphabets::by_alphabet(head) {
        return Detection {
            lang: lang.to_string(),
            confidence,
        };
    }
    // Most copy says its language plainly in its function words, twenty times faster than
    // whatlang can.
    match function_words::verdict(head) {
        Some(Verdict::Lang(lang, confidence)) => {
            return Detection {
                lang: lang.to_string(),
                confidence,
            };
        }
        Some(Verdict::MalayOrIndonesian) => return malay_or_indonesian(sample),
        None => {}
    }
    match whatlang_detect(head) {
        Some(d) if d.lang == "id" || d.lang == "ms" || d.lang == "jv" || d.lang == "tl" => {
            malay_or_indonesian(sample)
        }
        Some(d) if d.confidence >= MIN_CONFIDENCE && DETECTABLE.contains(&d.lang.as_str()) => d,
        // Greek, Hebrew, Bengali, Tamil: a script no detectable language uses; lingua knows
        // none of them, and the script says enough.
        Some(d) if d.confidence >= MIN_CONFIDENCE && in_a_script_of_its_own(&d.lang) => d,
        _ => lingua_detect(full_lingua(), sample),
    }
}

/// How much of the sample whatlang reads. In the Latin script its cost is mostly comparing
/// the text with some 30 language profiles, whatever the length; in Arabic or Cyrillic script
/// there are a handful of profiles and the cost follows the length, while 400 characters are
/// as conclusive.
fn whatlang_chars(latin: bool) -> usize {
    if latin {
        WHATLANG_PREFIX_CHARS
    } else {
        WHATLANG_OTHER_SCRIPT_CHARS
    }
}

/// Spellings and words that differ between standard Indonesian and Malaysian Malay.
const INDONESIAN_MARKERS: &[&str] = &[
    "karena",
    "bahwa",
    "uang",
    "saja",
    "mau",
    "yaitu",
    "bisa",
    "kantor",
    "pemerintah",
    "polisi",
    "telepon",
    "berkas",
    "surel",
    "perangkat",
    "kualitas",
    "aktivitas",
    "universitas",
    "fasilitas",
    "komunitas",
    "rumah sakit",
    "mobil",
    "sepeda",
    "setelah",
    "otomatis",
    "penerjemah",
    "persen",
    "rp",
    "rupiah",
    "maret",
    "agustus",
    "desember",
    "jumat",
    "kamis",
    "berbagai",
    "maupun",
    "berbeda",
    "gratis",
    "miliar",
    "provinsi",
    "kabupaten",
    "kendaraan",
    "berhasil",
    "dinas",
    "pabrik",
];
const MALAY_MARKERS: &[&str] = &[
    "kerana",
    "bahawa",
    "wang",
    "sahaja",
    "mahu",
    "iaitu",
    "boleh",
    "kerajaan",
    "polis",
    "telefon",
    "fail",
    "perisian",
    "kualiti",
    "aktiviti",
    "universiti",
    "kemudahan",
    "komuniti",
    "hospital",
    "basikal",
    "selepas",
    "automatik",
    "penterjemah",
    "peratus",
    "ringgit",
    "ogos",
    "disember",
    "jumaat",
    "khamis",
    "pelbagai",
    "mahupun",
    "berbeza",
    "bilion",
    "kenderaan",
    "berjaya",
    "syarikat",
    "berbanding",
    "pengerusi",
    "encik",
];

/// Indonesian or Malay. The spelling decides when it is clear (words such as karena/kerana,
/// bahwa/bahawa differ between the standards); otherwise lingua, restricted to the two and
/// Tagalog, decides. Lingua alone calls 2–3% of Indonesian prose Malay, and it costs about ten
/// times what whatlang does, so the spelling goes first.
pub(super) fn malay_or_indonesian(sample: &str) -> Detection {
    if let Some(lexical) = spelling_verdict(sample) {
        return lexical;
    }
    lingua_detect(malay_lingua(), sample)
}

/// "id" or "ms" when the sample's spelling clearly says which.
fn spelling_verdict(sample: &str) -> Option<Detection> {
    let lower = chars::lowercase(sample);
    let words: Vec<&str> = lower
        .split(|c: char| !chars::is_letter(c))
        .filter(|w| !w.is_empty())
        .collect();
    let (mut id, mut ms) = (0usize, 0usize);
    let mut tally = |standard: Standard| match standard {
        Standard::Indonesian => id += 1,
        Standard::Malay => ms += 1,
    };
    let (single, pairs) = spelling_markers();
    words
        .iter()
        .filter_map(|w| single.get(w))
        .for_each(|s| tally(*s));
    for (first, second, standard) in pairs {
        let found = words
            .windows(2)
            .filter(|w| w[0] == *first && w[1] == *second);
        found.for_each(|_| tally(*standard));
    }
    let lang = if id >= 2 && id >= 2 * ms {
        "id"
    } else if ms >= 2 && ms >= 2 * id {
        "ms"
    } else {
        return None;
    };
    Some(Detection {
        lang: lang.to_string(),
        confidence: (id.max(ms) as f64 / (id + ms) as f64).min(0.99),
    })
}

/// Which standard a spelling marker belongs to.
#[derive(Debug, Clone, Copy)]
enum Standard {
    Indonesian,
    Malay,
}

/// One-word markers by word, and the two-word ones ("rumah sakit"), with their standard: one
/// look-up per word of the sample, where comparing every word with every marker took longer
/// than the rest of detecting an Indonesian article.
type SpellingMarkers = (
    FxHashMap<&'static str, Standard>,
    Vec<(&'static str, &'static str, Standard)>,
);

fn spelling_markers() -> &'static SpellingMarkers {
    static MARKERS: OnceLock<SpellingMarkers> = OnceLock::new();
    MARKERS.get_or_init(|| {
        let id = INDONESIAN_MARKERS
            .iter()
            .map(|m| (*m, Standard::Indonesian));
        let ms = MALAY_MARKERS.iter().map(|m| (*m, Standard::Malay));
        let (mut single, mut pairs) = (FxHashMap::default(), Vec::new());
        for (marker, standard) in id.chain(ms) {
            match marker.split_once(' ') {
                Some((first, second)) => pairs.push((first, second, standard)),
                None => {
                    single.insert(marker, standard);
                }
            }
        }
        (single, pairs)
    })
}

/// At most `max` characters, cut at a word boundary.
fn prefix(text: &str, max: usize) -> &str {
    // No more characters than bytes: a short text is whole without counting.
    if text.len() <= max {
        return text;
    }
    match text.char_indices().nth(max) {
        None => text,
        Some((cut, _)) => {
            let head = &text[..cut];
            head.rfind(char::is_whitespace)
                .filter(|&i| i > cut / 2)
                .map_or(head, |i| &head[..i])
        }
    }
}

fn whatlang_detect(text: &str) -> Option<Detection> {
    let info = whatlang::detect(text)?;
    let lang = iso1_of_whatlang(info.lang())?;
    Some(Detection {
        lang: lang.to_string(),
        confidence: info.confidence(),
    })
}

fn iso1_of_whatlang(lang: whatlang::Lang) -> Option<&'static str> {
    use whatlang::Lang as L;
    Some(match lang {
        L::Eng => "en",
        L::Fra => "fr",
        L::Deu => "de",
        L::Spa => "es",
        L::Por => "pt",
        L::Ita => "it",
        L::Rus => "ru",
        L::Ukr => "uk",
        L::Ind => "id",
        L::Jav => "jv",
        L::Tgl => "tl",
        L::Cmn => "zh",
        L::Jpn => "ja",
        L::Kor => "ko",
        L::Ara => "ar",
        L::Pes => "fa",
        L::Urd => "ur",
        L::Hin => "hi",
        L::Tur => "tr",
        L::Vie => "vi",
        L::Tha => "th",
        L::Nld => "nl",
        L::Pol => "pl",
        L::Ces => "cs",
        L::Swe => "sv",
        L::Dan => "da",
        L::Nob => "nb",
        L::Fin => "fi",
        L::Ell => "el",
        L::Heb => "he",
        L::Hun => "hu",
        L::Ron => "ro",
        L::Cat => "ca",
        L::Ben => "bn",
        L::Tam => "ta",
        _ => return None,
    })
}

const LINGUA_LANGUAGES: &[Language] = &[
    Language::Arabic,
    Language::Chinese,
    Language::Dutch,
    Language::English,
    Language::French,
    Language::German,
    Language::Hindi,
    Language::Indonesian,
    Language::Italian,
    Language::Japanese,
    Language::Korean,
    Language::Malay,
    Language::Persian,
    Language::Polish,
    Language::Portuguese,
    Language::Russian,
    Language::Spanish,
    Language::Swahili,
    Language::Tagalog,
    Language::Thai,
    Language::Turkish,
    Language::Ukrainian,
    Language::Urdu,
    Language::Vietnamese,
];

fn full_lingua() -> &'static LanguageDetector {
    static DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();
    built_once(&DETECTOR, || {
        LanguageDetectorBuilder::from_languages(LINGUA_LANGUAGES).build()
    })
}

fn malay_lingua() -> &'static LanguageDetector {
    static DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();
    built_once(&DETECTOR, || {
        LanguageDetectorBuilder::from_languages(&[
            Language::Indonesian,
            Language::Malay,
            Language::Tagalog,
        ])
        .build()
    })
}

/// The detector in `cell`, built on first use without blocking other threads meanwhile.
///
/// lingua builds its detectors with rayon. Were the build run inside `OnceLock::get_or_init`,
/// rayon threads waiting for the cell could no longer run the build's own tasks, and a rayon
/// thread building could steal a task that wants the same cell: either way the index hangs
/// (seen in CI). Two threads may now both build; the first one stored is kept.
fn built_once<T>(cell: &OnceLock<T>, build: impl Fn() -> T) -> &T {
    if cell.get().is_none() {
        let _ = cell.set(build());
    }
    // Set by now (here or by another thread): the closure never runs.
    cell.get_or_init(build)
}

fn lingua_detect(detector: &LanguageDetector, text: &str) -> Detection {
    let values = detector.compute_language_confidence_values(text);
    match values.first() {
        Some((lang, confidence)) if *confidence > 0.0 => Detection {
            lang: lang.iso_code_639_1().to_string(),
            confidence: *confidence,
        },
        _ => Detection::undetermined(),
    }
}

/// Chooses the effective language: the detected one when confident, else the declared one.
///
/// A declared language that copydesk cannot detect (Romanian, Albanian, Czech, ...) is kept
/// unless the text is in another script: the detectors name one of their own languages for any
/// text, so Romanian comes out as confident Tagalog and Albanian as French, and only a change
/// of script shows that the declaration is wrong.
pub fn effective(declared: Option<&str>, detected: &Detection) -> String {
    match declared {
        Some(d) if detected.confidence < MIN_CONFIDENCE || detected.lang == "und" => d.to_string(),
        Some(d)
            if !DETECTABLE.contains(&d)
                && script_of(d).is_some_and(|s| script_of(&detected.lang) == Some(s)) =>
        {
            d.to_string()
        }
        _ => detected.lang.clone(),
    }
}

/// Whether `code` is written in a script that none of the [`DETECTABLE`] languages uses.
fn in_a_script_of_its_own(code: &str) -> bool {
    script_of(code).is_some_and(|script| {
        DETECTABLE
            .iter()
            .all(|detectable| script_of(detectable) != Some(script))
    })
}

/// The script a language is written in, for the languages copydesk detects and those commonly
/// declared; `None` for codes it does not know.
fn script_of(code: &str) -> Option<&'static str> {
    Some(match code {
        "ar" | "fa" | "ur" | "ps" | "ug" | "ckb" => "Arabic",
        "ru" | "uk" | "be" | "bg" | "mk" | "kk" | "ky" | "mn" | "tg" => "Cyrillic",
        "zh" => "Han",
        "ja" => "Japanese",
        "ko" => "Hangul",
        "th" => "Thai",
        "hi" | "mr" | "ne" => "Devanagari",
        "bn" | "as" => "Bengali",
        "ta" => "Tamil",
        "el" => "Greek",
        "he" | "yi" => "Hebrew",
        "hy" => "Armenian",
        "ka" => "Georgian",
        "en" | "fr" | "de" | "es" | "pt" | "it" | "nl" | "pl" | "tr" | "vi" | "id" | "ms"
        | "sw" | "tl" | "jv" | "ca" | "cs" | "sk" | "sl" | "hr" | "bs" | "sq" | "ro" | "hu"
        | "da" | "sv" | "nb" | "nn" | "no" | "fi" | "et" | "lv" | "lt" | "is" | "ga" | "cy"
        | "mt" | "eu" | "gl" | "af" | "az" | "uz" | "tk" | "lb" | "fy" | "ha" | "yo" | "zu"
        | "so" => "Latin",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_article_languages() {
        let cases = [
            (
                "fr",
                "Le conseil municipal a voté jeudi soir un budget en hausse pour la rénovation des écoles, malgré les critiques de l'opposition qui dénonce une dette trop lourde.",
            ),
            (
                "en",
                "The city council voted on Thursday evening for a larger budget to renovate schools, despite criticism from the opposition about the growing debt.",
            ),
            (
                "id",
                "Pemerintah kota menyetujui anggaran yang lebih besar untuk memperbaiki sekolah, meskipun pihak oposisi mengkritik utang yang semakin besar karena bunga yang tinggi.",
            ),
            (
                "ms",
                "Kerajaan negeri meluluskan peruntukan yang lebih besar untuk membaiki sekolah, walaupun pihak pembangkang mengkritik hutang yang semakin meningkat kerana kadar faedah yang tinggi.",
            ),
            (
                "zh",
                "市议会周四晚上投票通过了更大规模的学校翻修预算，尽管反对派批评债务不断增加。",
            ),
            (
                "ja",
                "市議会は木曜日の夜、学校の改修に向けた予算の増額を可決したが、野党は債務の増加を批判している。",
            ),
            (
                "ar",
                "صوّت المجلس البلدي مساء الخميس على ميزانية أكبر لتجديد المدارس، رغم انتقادات المعارضة للديون المتزايدة.",
            ),
        ];
        for (want, text) in cases {
            assert_eq!(detect(text).lang, want, "{text}");
        }
        assert_eq!(detect("12 34 !!").lang, "und");
    }

    #[test]
    fn a_shared_detector_is_built_without_hanging_rayon_threads() {
        use rayon::prelude::*;
        static CELL: OnceLock<u64> = OnceLock::new();
        // Like lingua's build: work on rayon's threads.
        let build = || (0..100_000u64).into_par_iter().map(|n| n % 7).sum::<u64>();
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            std::thread::scope(|s| {
                for _ in 0..4 {
                    s.spawn(|| *built_once(&CELL, build));
                }
                (0..32).into_par_iter().for_each(|_| {
                    built_once(&CELL, build);
                });
            });
            let _ = done.send(*built_once(&CELL, build));
        });
        let waited = finished.recv_timeout(std::time::Duration::from_secs(60));
        assert_eq!(
            waited.ok(),
            Some(build()),
            "building hung or gave another value"
        );
    }

    #[test]
    fn news_words_spelt_apart_tell_malay_from_indonesian() {
        // Money, shares and companies, as news writes them; none of the older markers.
        let malay = "Syarikat itu mencatat keuntungan RM12 juta, naik 8 peratus berbanding tahun lalu, dan merancang membuka kilang baharu di Johor.";
        let indonesian = "Perusahaan itu mencatat laba Rp12 miliar, naik 8 persen dari tahun lalu, dan berencana membuka pabrik baru di Jawa Timur.";
        assert_eq!(spelling_verdict(malay).map(|d| d.lang), Some("ms".into()));
        assert_eq!(
            spelling_verdict(indonesian).map(|d| d.lang),
            Some("id".into())
        );
    }

    #[test]
    fn words_both_standards_use_do_not_decide() {
        // "di hadapan", "masa jabatan", Puan Maharani: everyday Indonesian, Malay words too.
        let indonesian = "Ketua DPR Puan Maharani menegaskan di hadapan wartawan bahwa masa jabatan anggota dewan tidak akan diperpanjang, dan pejabat kilang minyak itu membantahnya.";
        assert_ne!(
            spelling_verdict(indonesian).map(|d| d.lang),
            Some("ms".into())
        );
    }

    #[test]
    fn effective_language_prefers_confident_detection() {
        let confident = Detection {
            lang: "en".into(),
            confidence: 0.9,
        };
        let unsure = Detection {
            lang: "en".into(),
            confidence: 0.2,
        };
        assert_eq!(effective(Some("fr"), &confident), "en");
        assert_eq!(effective(Some("fr"), &unsure), "fr");
        assert_eq!(effective(None, &unsure), "en");
    }

    #[test]
    fn greek_and_hebrew_are_named_by_their_script() {
        let greek = "Το δημοτικό συμβούλιο ενέκρινε την Πέμπτη τον προϋπολογισμό για τη νέα γραμμή του τραμ, η οποία θα είναι έτοιμη την άνοιξη.";
        let hebrew = "מועצת העיר אישרה ביום חמישי את התקציב לקו הרכבת הקלה החדש, שלדברי המהנדסים יהיה מוכן באביב.";
        for (text, lang) in [(greek, "el"), (hebrew, "he")] {
            let detected = detect(text);
            assert_eq!(detected.lang, lang, "{text}");
            // Declared right: kept; declared wrong: the text's language wins (and is flagged).
            assert_eq!(effective(Some(lang), &detected), lang);
            assert_eq!(effective(Some("en"), &detected), lang);
        }
        assert!(!in_a_script_of_its_own("ru"));
        assert!(!in_a_script_of_its_own("ro"));
    }

    #[test]
    fn a_declared_language_without_a_detector_is_kept_within_its_script() {
        let confident = |lang: &str| Detection {
            lang: lang.into(),
            confidence: 1.0,
        };
        // Real Romanian and Albanian pages came out as Tagalog and French.
        assert_eq!(effective(Some("ro"), &confident("tl")), "ro");
        assert_eq!(effective(Some("sq"), &confident("fr")), "sq");
        // Another script shows the declaration wrong; an unknown code proves nothing.
        assert_eq!(effective(Some("el"), &confident("en")), "en");
        assert_eq!(effective(Some("bg"), &confident("zh")), "zh");
        assert_eq!(effective(Some("xx"), &confident("de")), "de");
        // Detectable declared languages are checked as before.
        assert_eq!(effective(Some("de"), &confident("en")), "en");
    }

    #[test]
    fn prefix_cuts_at_a_word_boundary() {
        assert_eq!(prefix("alpha beta gamma", 12), "alpha beta");
        assert_eq!(prefix("short", 12), "short");
    }
}
