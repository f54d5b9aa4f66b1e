//! Language: boilerplate stripping (share residue, machine-translation disclaimers) and detection.
//!
//! Detection is two-stage. whatlang (trigram + script, fast) names the language; when it
//! says Indonesian or Malay — which whatlang cannot tell apart, it has no Malay — or is unsure,
//! lingua restricted to the candidates decides. The figures behind this choice are in the README.

use std::sync::OnceLock;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

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
    fn undetermined() -> Self {
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
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
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
    match whatlang_detect(prefix(sample, WHATLANG_PREFIX_CHARS)) {
        Some(d) if d.lang == "id" || d.lang == "ms" || d.lang == "jv" || d.lang == "tl" => {
            malay_or_indonesian(sample)
        }
        Some(d) if d.confidence >= MIN_CONFIDENCE && DETECTABLE.contains(&d.lang.as_str()) => d,
        _ => lingua_detect(full_lingua(), sample),
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
];
const MALAY_MARKERS: &[&str] = &[
    "kerana",
    "bahawa",
    "wang",
    "sahaja",
    "mahu",
    "iaitu",
    "boleh",
    "pejabat",
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
];

/// Indonesian or Malay. The spelling decides when it is clear (words such as karena/kerana,
/// bahwa/bahawa differ between the standards); otherwise lingua, restricted to the two and
/// Tagalog, decides. Lingua alone calls 2–3% of Indonesian prose Malay, and it costs about ten
/// times what whatlang does, so the spelling goes first.
fn malay_or_indonesian(sample: &str) -> Detection {
    if let Some(lexical) = spelling_verdict(sample) {
        return lexical;
    }
    lingua_detect(malay_lingua(), sample)
}

/// "id" or "ms" when the sample's spelling clearly says which.
fn spelling_verdict(sample: &str) -> Option<Detection> {
    let lower = sample.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    let count = |markers: &[&str]| {
        markers
            .iter()
            .map(|m| match m.split_once(' ') {
                Some((a, b)) => words.windows(2).filter(|w| w[0] == a && w[1] == b).count(),
                None => words.iter().filter(|w| *w == m).count(),
            })
            .sum::<usize>()
    };
    let (id, ms) = (count(INDONESIAN_MARKERS), count(MALAY_MARKERS));
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

/// At most `max` characters, cut at a word boundary.
fn prefix(text: &str, max: usize) -> &str {
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
    DETECTOR.get_or_init(|| LanguageDetectorBuilder::from_languages(LINGUA_LANGUAGES).build())
}

fn malay_lingua() -> &'static LanguageDetector {
    static DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        LanguageDetectorBuilder::from_languages(&[
            Language::Indonesian,
            Language::Malay,
            Language::Tagalog,
        ])
        .build()
    })
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
pub fn effective(declared: Option<&str>, detected: &Detection) -> String {
    match declared {
        Some(d) if detected.confidence < MIN_CONFIDENCE || detected.lang == "und" => d.to_string(),
        _ => detected.lang.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Boilerplate

/// Share buttons, navigation and widget words as scraped into article text.
const RESIDUE_WORDS: &[&str] = &[
    "partager",
    "share",
    "share this",
    "share this article",
    "bagikan",
    "kongsi",
    "compartir",
    "teilen",
    "compartilhar",
    "partilhar",
    "поделиться",
    "分享",
    "シェア",
    "مشاركة",
    "شارك",
    "tweet",
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "telegram",
    "linkedin",
    "email",
    "e-mail",
    "print",
    "imprimer",
    "cetak",
    "copy link",
    "copier le lien",
    "salin tautan",
    "salin pautan",
    "follow us",
    "suivez-nous",
    "ikuti kami",
    "advertisement",
    "publicité",
    "iklan",
    "pub",
    "menu",
    "home",
    "accueil",
    "beranda",
    "laman utama",
    "top",
    "line",
    "weibo",
    "wechat",
    "微信",
    "微博",
    "ツイート",
    "いいね",
    "ブックマーク",
    "تويتر",
    "فيسبوك",
    "واتساب",
];

/// Line openers that introduce a link to another story.
const RESIDUE_OPENERS: &[&str] = &[
    "baca juga:",
    "baca juga :",
    "lire aussi:",
    "lire aussi :",
    "read more:",
    "read also:",
    "see also:",
    "lihat juga:",
    "leia também:",
    "lea también:",
    "siehe auch:",
    "相关阅读",
    "関連記事",
    "اقرأ أيضا",
    "اقرأ أيضًا",
];

/// Whether a line is share, navigation or widget residue rather than article text.
pub fn is_share_residue(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    if l.is_empty() || l.chars().count() > 80 {
        return false;
    }
    if RESIDUE_OPENERS.iter().any(|o| l.starts_with(o)) {
        return true;
    }
    let bare = l.trim_end_matches([':', '：', '.', ' ']);
    if RESIDUE_WORDS.contains(&bare) {
        return true;
    }
    // "Facebook | Twitter | WhatsApp", "Share: Facebook Twitter"
    let words: Vec<&str> = bare
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '·' | '•' | '/' | ',' | ':' | '：'))
        .filter(|w| !w.is_empty())
        .collect();
    words.len() >= 2 && words.iter().all(|w| RESIDUE_WORDS.contains(w))
}

/// A machine-translation disclaimer found in an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Disclaimer {
    pub text: String,
    /// The language the disclaimer names as the reference, if any.
    pub reference_lang: Option<String>,
}

/// Article text with boilerplate set apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cleaned {
    /// The body without residue lines and disclaimer: what the editor reads and what is detected.
    pub text: String,
    /// Residue lines that were dropped.
    pub residue: Vec<String>,
    pub disclaimer: Option<Disclaimer>,
}

/// Phrases that mark a machine/AI-translation disclaimer, lowercase.
const DISCLAIMER_PHRASES: &[&str] = &[
    // en
    "machine translat",
    "machine-translat",
    "automatically translated",
    "automatically generated",
    "generated by ai",
    "generated by the ai",
    "by the ai",
    "ai-generated",
    "ai generated",
    "translated by ai",
    "automated translation",
    "translated automatically",
    // fr
    "traduit automatiquement",
    "traduits automatiquement",
    "traduite automatiquement",
    "traduites automatiquement",
    "traduction automatique",
    "générées automatiquement",
    "générée automatiquement",
    "générés automatiquement",
    "généré automatiquement",
    "traduit par l'ia",
    "traduit par l’ia",
    "par intelligence artificielle",
    // id / ms
    "diterjemahkan secara otomatis",
    "diterjemahkan otomatis",
    "terjemahan otomatis",
    "terjemahan mesin",
    "dihasilkan secara otomatis",
    "diterjemahkan oleh ai",
    "diterjemah secara automatik",
    "terjemahan automatik",
    "dijana secara automatik",
    // es / pt / de / ru
    "traducción automática",
    "traducido automáticamente",
    "tradução automática",
    "traduzido automaticamente",
    "maschinell übersetzt",
    "automatisch übersetzt",
    "maschinelle übersetzung",
    "машинный перевод",
    "машинного перевода",
    "автоматически переведен",
    // zh / ja
    "机器翻译",
    "机器自动翻译",
    "自动翻译",
    "人工智能翻译",
    "人工智能自动生成",
    "由ai",
    "機械翻訳",
    "自動翻訳",
    "aiによる翻訳",
    "ai翻訳",
    "自動生成",
    // ar
    "ترجمة آلية",
    "الترجمة الآلية",
    "مترجم آليا",
    "مترجمة آليا",
    "ترجمت آليا",
    "آلياً",
    "آليًا",
    "بالذكاء الاصطناعي",
];

/// Names of languages as disclaimers write them, lowercase, with their code.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("indonesian", "id"),
    ("indonésien", "id"),
    ("bahasa indonesia", "id"),
    ("indonesio", "id"),
    ("indonesisch", "id"),
    ("indonésio", "id"),
    ("индонезийск", "id"),
    ("印尼语", "id"),
    ("印度尼西亚语", "id"),
    ("印度尼西亚文", "id"),
    ("印尼文", "id"),
    ("インドネシア語", "id"),
    ("الإندونيسي", "id"),
    ("malay", "ms"),
    ("bahasa melayu", "ms"),
    ("malais", "ms"),
    ("马来语", "ms"),
    ("马来文", "ms"),
    ("マレー語", "ms"),
    ("الملايو", "ms"),
    ("english", "en"),
    ("anglais", "en"),
    ("bahasa inggris", "en"),
    ("bahasa inggeris", "en"),
    ("inglés", "en"),
    ("englisch", "en"),
    ("inglês", "en"),
    ("английск", "en"),
    ("英语", "en"),
    ("英文", "en"),
    ("英語", "en"),
    ("الإنجليزي", "en"),
    ("french", "fr"),
    ("français", "fr"),
    ("française", "fr"),
    ("bahasa prancis", "fr"),
    ("francés", "fr"),
    ("französisch", "fr"),
    ("法语", "fr"),
    ("法文", "fr"),
    ("フランス語", "fr"),
    ("الفرنسي", "fr"),
    ("chinese", "zh"),
    ("chinois", "zh"),
    ("mandarin", "zh"),
    ("中文", "zh"),
    ("汉语", "zh"),
    ("中国語", "zh"),
    ("الصينية", "zh"),
    ("japanese", "ja"),
    ("japonais", "ja"),
    ("bahasa jepang", "ja"),
    ("日语", "ja"),
    ("日文", "ja"),
    ("日本語", "ja"),
    ("اليابانية", "ja"),
    ("arabic", "ar"),
    ("arabe", "ar"),
    ("bahasa arab", "ar"),
    ("阿拉伯语", "ar"),
    ("アラビア語", "ar"),
    ("العربية", "ar"),
];

/// Words that mark the sentence naming the reference (original) language.
const REFERENCE_MARKERS: &[&str] = &[
    "main language",
    "reference",
    "original",
    "authoritative",
    "référence",
    "originale",
    "fait foi",
    "bahasa utama",
    "acuan",
    "rujukan",
    "asli",
    "原文",
    "为准",
    "為準",
    "基準",
    "正本",
    "原本",
    "المرجع",
    "الأصل",
    "الأصلية",
    "الأساسية",
];

/// Separates share residue and a machine-translation disclaimer from the article text.
pub fn clean(body: &str) -> Cleaned {
    let mut residue = Vec::new();
    let mut kept = Vec::new();
    for line in body.lines() {
        if is_share_residue(line) {
            residue.push(line.trim().to_string());
        } else {
            kept.push(line);
        }
    }
    let text = kept.join("\n");
    let mut paragraphs: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let disclaimer = take_disclaimer(&mut paragraphs);
    Cleaned {
        text: paragraphs.join("\n\n"),
        residue,
        disclaimer,
    }
}

fn take_disclaimer(paragraphs: &mut Vec<&str>) -> Option<Disclaimer> {
    let n = paragraphs.len();
    // Disclaimers stand at the end (a footer) or, less often, at the very top.
    let candidates = [n.checked_sub(1), n.checked_sub(2), (n > 2).then_some(0)];
    let at = candidates
        .into_iter()
        .flatten()
        .find(|&i| is_disclaimer(paragraphs[i]))?;
    let text = paragraphs.remove(at).to_string();
    Some(Disclaimer {
        reference_lang: reference_language(&text),
        text,
    })
}

/// Whether a paragraph is a machine-translation disclaimer.
pub fn is_disclaimer(paragraph: &str) -> bool {
    let p = paragraph.to_lowercase();
    p.chars().count() <= 600 && DISCLAIMER_PHRASES.iter().any(|phrase| p.contains(phrase))
}

/// The language a disclaimer names as the reference: the one in a sentence with a reference
/// marker, else the last one it names.
pub fn reference_language(disclaimer: &str) -> Option<String> {
    let lower = disclaimer.to_lowercase();
    let sentences = lower
        .split(['.', '。', '!', ';', '؛', '('])
        .filter(|s| !s.trim().is_empty());
    let named = |s: &str| -> Option<(usize, &'static str)> {
        LANGUAGE_NAMES
            .iter()
            .filter_map(|(name, code)| s.rfind(name).map(|at| (at, *code)))
            .max()
    };
    sentences
        .clone()
        .filter(|s| REFERENCE_MARKERS.iter().any(|m| s.contains(m)))
        .find_map(named)
        .or_else(|| named(&lower))
        .map(|(_, code)| code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_FOOTER: &str = "The English, Chinese, Japanese, Arabic, and French versions are automatically generated by the AI. So there may still be inaccuracies in translating, please always see Indonesian as our main language. (system supported by DigitalSiber.id)";

    #[test]
    fn residue_lines() {
        for line in [
            "Partager:",
            "Share:",
            "Bagikan",
            "分享：",
            "Facebook | Twitter | WhatsApp",
            "Baca juga: Banjir di Demak",
        ] {
            assert!(is_share_residue(line), "{line}");
        }
        for line in [
            "Jakarta - La Russie et la Chine",
            "Share prices fell sharply on Monday.",
            "Print",
        ] {
            assert_eq!(is_share_residue(line), line == "Print", "{line}");
        }
    }

    #[test]
    fn seed_footer_is_a_disclaimer_naming_indonesian() {
        assert!(is_disclaimer(SEED_FOOTER));
        assert_eq!(reference_language(SEED_FOOTER).as_deref(), Some("id"));
    }

    #[test]
    fn disclaimers_in_other_languages() {
        let cases = [
            (
                "Cet article a été traduit automatiquement de l'indonésien ; la version indonésienne fait foi.",
                None,
            ),
            ("本文由人工智能自动翻译，内容以印尼语原文为准。", Some("id")),
            (
                "この記事は機械翻訳です。原文はインドネシア語です。",
                Some("id"),
            ),
            (
                "تمت ترجمة هذا المقال آلياً، والنص الإندونيسي هو المرجع.",
                None,
            ),
            (
                "Artikel ini diterjemahkan secara otomatis; bahasa Indonesia adalah acuan.",
                Some("id"),
            ),
        ];
        for (text, reference) in cases {
            assert!(is_disclaimer(text), "{text}");
            if let Some(r) = reference {
                assert_eq!(reference_language(text).as_deref(), Some(r), "{text}");
            }
        }
    }

    #[test]
    fn clean_sets_residue_and_footer_apart() {
        let body =
            format!("Partager:\n\nPremier paragraphe.\n\nSecond paragraphe.\n\n\n{SEED_FOOTER}");
        let c = clean(&body);
        assert_eq!(c.text, "Premier paragraphe.\n\nSecond paragraphe.");
        assert_eq!(c.residue, vec!["Partager:"]);
        assert_eq!(
            c.disclaimer.and_then(|d| d.reference_lang).as_deref(),
            Some("id")
        );
    }

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
    fn prefix_cuts_at_a_word_boundary() {
        assert_eq!(prefix("alpha beta gamma", 12), "alpha beta");
        assert_eq!(prefix("short", 12), "short");
    }
}
