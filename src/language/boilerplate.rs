//! Boilerplate: share, navigation and widget residue, and machine-translation disclaimers.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::chars::lowercase;

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

/// Whether a residue line is a publisher's link to a related story ("Baca juga: …",
/// "Read more: …"). Human-written news online carries them in nearly every article (most
/// Indonesian portals put one after every few paragraphs): they are dropped from the text like
/// other residue, but they are no sign of suspect copy.
pub fn is_related_link(line: &str) -> bool {
    let l = lowercase(line.trim());
    RESIDUE_OPENERS.iter().any(|o| l.starts_with(o))
}

/// Whether a line is share, navigation or widget residue rather than article text.
pub fn is_share_residue(line: &str) -> bool {
    // Length first: most lines are prose, and lowercasing them all cost more than the rest.
    let trimmed = line.trim();
    if trimmed.is_empty() || !at_most_chars(trimmed, 80) {
        return false;
    }
    let l = lowercase(trimmed);
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

/// Whether `text` has at most `max` characters, without counting them when the bytes decide.
fn at_most_chars(text: &str, max: usize) -> bool {
    text.len() <= max || (text.len() <= 4 * max && text.chars().count() <= max)
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
    "translated by ai",
    "automated translation",
    "translated automatically",
    // fr
    "traduit automatiquement",
    "traduits automatiquement",
    "traduite automatiquement",
    "traduites automatiquement",
    "traduction automatique",
    "traduit par l'ia",
    "traduit par l’ia",
    // id / ms
    "diterjemahkan secara otomatis",
    "diterjemahkan otomatis",
    "terjemahan otomatis",
    "terjemahan mesin",
    "diterjemahkan oleh ai",
    "diterjemah secara automatik",
    "terjemahan automatik",
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
    "機械翻訳",
    "自動翻訳",
    "aiによる翻訳",
    "ai翻訳",
    // ar
    "ترجمة آلية",
    "الترجمة الآلية",
    "مترجم آليا",
    "مترجمة آليا",
    "ترجمت آليا",
];

/// Phrases that say text was produced automatically or by AI, lowercase. Alone they are common
/// in ordinary writing ("certificates generated automatically", Arabic آلياً "automatically"),
/// so they mark a disclaimer only beside a translation cue or a language name in the same
/// sentence.
const GENERATION_PHRASES: &[&str] = &[
    "automatically generated",
    "generated by ai",
    "generated by the ai",
    "by the ai",
    "ai-generated",
    "ai generated",
    "générées automatiquement",
    "générée automatiquement",
    "générés automatiquement",
    "généré automatiquement",
    "par intelligence artificielle",
    "dihasilkan secara otomatis",
    "dijana secara automatik",
    "人工智能自动生成",
    "由ai",
    "自動生成",
    "آلياً",
    "آليًا",
    "بالذكاء الاصطناعي",
];

/// Words that tie a generation phrase to translation: "translating", "versions", ...
const TRANSLATION_CUES: &[&str] = &[
    "translat",
    "tradu",
    "terjemah",
    "ترجم",
    "翻译",
    "翻訳",
    "翻譯",
    "перев",
    "übersetz",
    "version",
    "versi",
    "النسخ",
    "版本",
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
    if !at_most_chars(paragraph, 600) {
        return false;
    }
    static DISCLAIMER: Phrases = Phrases::new();
    static GENERATION: Phrases = Phrases::new();
    static CUES: Phrases = Phrases::new();
    static NAMES: Phrases = Phrases::new();
    let disclaimer = |t: &str| DISCLAIMER.in_text(t, || DISCLAIMER_PHRASES.to_vec());
    let generation = |t: &str| GENERATION.in_text(t, || GENERATION_PHRASES.to_vec());
    let cue = |t: &str| CUES.in_text(t, || TRANSLATION_CUES.to_vec());
    let name = |t: &str| NAMES.in_text(t, || LANGUAGE_NAMES.iter().map(|(n, _)| *n).collect());
    let p = lowercase(paragraph);
    // A sentence can hold a generation phrase only if the paragraph does: most paragraphs
    // stop at that first search.
    disclaimer(&p)
        || (generation(&p)
            && p.split(['.', '。', '!', '?', ';', '؛', '،', '、'])
                .any(|sentence| generation(sentence) && (cue(sentence) || name(sentence))))
}

/// A list of lowercase phrases searched for all at once (Aho-Corasick), built on first use: a
/// search per phrase, over three paragraphs of every article, was 6 % of a first index.
struct Phrases(OnceLock<(Vec<&'static str>, Option<AhoCorasick>)>);

impl Phrases {
    const fn new() -> Self {
        Self(OnceLock::new())
    }

    /// Whether `text` holds one of the phrases `list` gives (called once, on first use).
    fn in_text(&self, text: &str, list: impl FnOnce() -> Vec<&'static str>) -> bool {
        let (phrases, matcher) = self.0.get_or_init(|| {
            let phrases = list();
            let matcher = AhoCorasick::new(&phrases).ok();
            (phrases, matcher)
        });
        match matcher {
            Some(matcher) => matcher.is_match(text),
            // Not expected (the lists are small); searched one by one then.
            None => phrases.iter().any(|p| text.contains(p)),
        }
    }
}

/// The language a disclaimer names as the reference: the one in a sentence with a reference
/// marker, else the last one it names.
pub fn reference_language(disclaimer: &str) -> Option<String> {
    let lower = lowercase(disclaimer);
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
    fn automatic_generation_alone_is_no_disclaimer() {
        for text in [
            "Ces certificats auto-signés, générés automatiquement, ne valent rien pour authentifier un serveur.",
            "Sertifikat yang ditandatangani sendiri yang dihasilkan secara otomatis tidak memiliki nilai.",
            "تحمّل النواة معظم التعاريف عند اكتشاف العتاد؛ بعدها تحمل التعاريف الإضافية آلياً.",
        ] {
            assert!(!is_disclaimer(text), "{text}");
        }
        assert!(is_disclaimer(
            "Versi bahasa Inggris artikel ini dihasilkan secara otomatis."
        ));
    }

    #[test]
    fn related_links_are_residue_of_their_own_kind() {
        assert!(is_share_residue("Baca juga: Banjir di Demak"));
        assert!(is_related_link("Baca juga: Banjir di Demak"));
        assert!(is_related_link("READ MORE: Riot is considering changes"));
        assert!(!is_related_link("Partager:"));
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
}
