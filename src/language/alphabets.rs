//! Languages that their alphabet names: Russian, Ukrainian and Arabic, among the languages
//! copydesk detects, each write with letters the others in their script do not use.
//!
//! - Russian has ы, э, ё; Ukrainian has і, ї, є, ґ instead. Bulgarian writes with
//!   Russian letters but without ы, э and ё; Belarusian, Serbian, Macedonian, Kazakh and the
//!   other Cyrillic languages have letters of their own (ў, ј, љ, ә, ...).
//! - Arabic writes with the letters of U+0621–U+064A (its 28, their hamza forms, ة and ى)
//!   and often ة. Persian and Urdu write ی and ک for ي and ك, and add پ, چ, گ, ٹ, ے, ...; Pashto, Kurdish, Uyghur, Sindhi and Jawi add
//!   letters of their own too.
//!
//! - Japanese writes kana (hiragana, katakana) among its kanji, a tenth of the letters and
//!   usually far more; Chinese writes Han characters alone. Korean writes Hangul, Thai the
//!   Thai script: no other language copydesk meets writes them.
//!
//! So a text written wholly in Russian (or Ukrainian, or Arabic) letters, with the letters
//! only that language has, is in that language, and so is a text wholly in one of the East
//! Asian scripts; anything else, or a text too short or mixed in script, is for the
//! detectors. whatlang costs 30–40 µs on such a text; this, one pass.

/// Fewer letters than this, and the alphabet is not trusted.
const MIN_ALPHABET_LETTERS: usize = 40;

/// Share of the letters that must be in the script (names in Latin letters may remain).
const MIN_SCRIPT_SHARE: f64 = 0.9;

/// The same for Han and kana, a word in one or two characters where a Latin name spends
/// five or ten letters: half the letters make the script the text's own.
const MIN_CJK_SHARE: f64 = 0.5;

/// The confidence given: the letters leave no doubt, but copy may quote another language.
const CONFIDENCE: f64 = 0.95;

/// What the letters of a text are.
#[derive(Default)]
struct Letters {
    all: usize,
    /// In the Russian or Ukrainian alphabet.
    cyrillic: usize,
    /// ы, э, ё: Russian alone (Bulgarian has ъ too).
    russian_only: usize,
    /// і, ї, є, ґ: Ukrainian alone.
    ukrainian_only: usize,
    /// Letters of the Arabic alphabet.
    arabic: usize,
    /// ة, which Arabic writes often and Persian and Urdu seldom.
    taa_marbuta: usize,
    /// Letters of these scripts that none of the three languages uses.
    foreign_in_script: usize,
    /// Han characters (kanji, hanzi).
    han: usize,
    /// Hiragana and katakana.
    kana: usize,
    hangul: usize,
    thai: usize,
}

impl Letters {
    fn of(text: &str) -> Self {
        let mut l = Self::default();
        for c in text.chars().filter(|c| super::chars::is_letter(*c)) {
            // Vowel signs, the dagger alif and the tatweel (a stretch, no sound) count as
            // letters in Unicode, and are written in any Arabic-script text: not counted.
            if matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}') {
                continue;
            }
            l.all += 1;
            match c {
                'ы' | 'Ы' | 'э' | 'Э' | 'ё' | 'Ё' => {
                    l.cyrillic += 1;
                    l.russian_only += 1;
                }
                'і' | 'І' | 'ї' | 'Ї' | 'є' | 'Є' | 'ґ' | 'Ґ' => {
                    l.cyrillic += 1;
                    l.ukrainian_only += 1;
                }
                'А'..='я' => l.cyrillic += 1,
                'ة' => {
                    l.arabic += 1;
                    l.taa_marbuta += 1;
                }
                '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => l.arabic += 1,
                '\u{0400}'..='\u{052F}' | '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' => {
                    l.foreign_in_script += 1;
                }
                // Presentation forms: legacy encodings, which the detectors read better.
                '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' => l.foreign_in_script += 1,
                '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{3005}' => l.han += 1,
                '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}' => {
                    l.kana += 1;
                }
                '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' => {
                    l.hangul += 1;
                }
                '\u{0E01}'..='\u{0E5B}' => l.thai += 1,
                _ => {}
            }
        }
        l
    }

    fn mostly(&self, in_script: usize) -> bool {
        self.at_least(in_script, MIN_SCRIPT_SHARE)
    }

    fn at_least(&self, in_script: usize, share: f64) -> bool {
        self.all >= MIN_ALPHABET_LETTERS
            && in_script as f64 >= share * self.all as f64
            && self.foreign_in_script == 0
    }

    fn language(&self) -> Option<&'static str> {
        if self.mostly(self.cyrillic) {
            match (self.russian_only, self.ukrainian_only) {
                (r, 0) if r >= 2 => Some("ru"),
                (0, u) if u >= 2 => Some("uk"),
                _ => None,
            }
        } else if self.mostly(self.arabic) && self.taa_marbuta >= 2 {
            Some("ar")
        } else if self.at_least(self.han + self.kana, MIN_CJK_SHARE) {
            // Kana in a tenth of the characters is Japanese; none at all is Chinese. Between
            // (a Chinese text quoting a Japanese name, a Japanese one nearly all kanji), the
            // detectors decide.
            match self.kana {
                0 => Some("zh"),
                k if k * 10 >= self.han + self.kana => Some("ja"),
                _ => None,
            }
        } else if self.mostly(self.hangul) {
            Some("ko")
        } else if self.mostly(self.thai) {
            Some("th")
        } else {
            None
        }
    }
}

/// The language `text` is written in when its alphabet names it, with the confidence given.
pub(super) fn by_alphabet(text: &str) -> Option<(&'static str, f64)> {
    Letters::of(text).language().map(|lang| (lang, CONFIDENCE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_ukrainian_and_arabic_are_named_by_their_letters() {
        let russian = "Городская дума одобрила проект новой линии метро, которая свяжет аэропорт с центром. Первые поезда выйдут на маршрут через три года.";
        let ukrainian = "Міська рада ухвалила рішення про ремонт мосту, який з'єднує два райони міста. Роботи почнуться навесні, і мешканці вже просять подбати про об'їзди.";
        let arabic = "أعلنت بلدية المدينة أن أعمال صيانة الجسر الرئيسي ستبدأ الأسبوع المقبل وتستمر ثلاثة أشهر، ودعت السكان إلى استخدام الطرق البديلة.";
        assert_eq!(by_alphabet(russian), Some(("ru", CONFIDENCE)));
        assert_eq!(by_alphabet(ukrainian), Some(("uk", CONFIDENCE)));
        assert_eq!(by_alphabet(arabic), Some(("ar", CONFIDENCE)));
    }

    #[test]
    fn east_asian_scripts_and_thai_are_named_by_their_letters() {
        let chinese = "市议会周四批准了一条新的有轨电车线路，将把市中心与河流左岸的住宅区连接起来，工程预计三年内完成。";
        let japanese = "市議会は木曜日、市の中心部と川の左岸の住宅地を結ぶ新しい路面電車の路線を承認した。工事は三年以内に終わる見込みだ。";
        let korean = "시의회는 목요일 도심과 강 왼쪽 기슭의 주거 지역을 잇는 새로운 노면전차 노선을 승인했으며 공사는 삼 년 안에 끝날 예정이다.";
        let thai =
            "สภาเมืองอนุมัติโครงการรถรางสายใหม่เมื่อวันพฤหัสบดี ซึ่งจะเชื่อมใจกลางเมืองกับย่านที่อยู่อาศัยริมฝั่งแม่น้ำ";
        assert_eq!(by_alphabet(chinese), Some(("zh", CONFIDENCE)));
        assert_eq!(by_alphabet(japanese), Some(("ja", CONFIDENCE)));
        assert_eq!(by_alphabet(korean), Some(("ko", CONFIDENCE)));
        assert_eq!(by_alphabet(thai), Some(("th", CONFIDENCE)));
        // Latin names take many letters for few words: still Japanese.
        let with_names = "東京電力ホールディングスとNHK Worldによると、福島第一原子力発電所の点検はTEPCOの技術者が来週から始める予定だという。";
        assert_eq!(by_alphabet(with_names), Some(("ja", CONFIDENCE)));
        // A Chinese text naming a Japanese brand in katakana: neither rule, the detectors.
        let quoting = "市议会周四批准了一条新的有轨电车线路，车辆由ヤマト公司提供，将把市中心与河流左岸的住宅区连接起来。";
        assert_eq!(by_alphabet(quoting), None);
    }

    #[test]
    fn other_languages_of_the_same_scripts_are_left_to_the_detectors() {
        // Bulgarian: Russian letters, no ы or э.
        let bulgarian = "Общинският съвет одобри проекта за нова трамвайна линия, която ще свърже центъра на града с жилищните квартали до три години.";
        // Belarusian: ы and і, and ў.
        let belarusian = "Гарадскі савет ухваліў праект новай трамвайнай лініі, якая злучыць цэнтр горада з жылымі кварталамі на левым беразе ракі.";
        // Serbian: ј.
        let serbian = "Градско веће је усвојило пројекат нове трамвајске линије која ће повезати центар града са стамбеним насељима на левој обали.";
        // Persian: ی, ک, پ, گ.
        let persian = "شورای شهر روز پنجشنبه طرح ساخت یک خط جدید تراموا را تصویب کرد که مرکز شهر را به محله‌های مسکونی در کرانه چپ رودخانه وصل می‌کند.";
        // Urdu: ے, ی, ک, ٹ.
        let urdu = "شہر کی کونسل نے جمعرات کو ایک نئی ٹرام لائن کے منصوبے کی منظوری دی جو شہر کے مرکز کو دریا کے بائیں کنارے کے رہائشی علاقوں سے ملائے گی۔";
        for text in [bulgarian, belarusian, serbian, persian, urdu] {
            assert_eq!(by_alphabet(text), None, "{text}");
        }
    }

    #[test]
    fn each_rule_keeps_its_texts_from_being_named() {
        // Each text breaks one rule only.
        let cases = [
            // Fewer than 40 letters, two ы.
            ("short", "Мы вышли из дома и пошли в лес."),
            // Most letters Latin.
            (
                "mixed script",
                "Мы были в Moscow International Business Center, где выставку открыли Apple и Google.",
            ),
            // Russian letters, and one Kazakh ә in a name: not Russian alone.
            (
                "a letter of another language",
                "Президент Казахстана прибыл в Астану, где на площади у монумента Бәйтерек собрались тысячи жителей города.",
            ),
            // Russian and Ukrainian letters both.
            (
                "both alphabets",
                "Мы были рады. Міська рада ухвалила рішення про ремонт мосту, і мешканці вже просять подбати про об'їзди.",
            ),
            // Persian typed with Arabic ي and ك, no ة.
            (
                "no ة",
                "شوراي شهر تهران امروز طرح جديد حمل و نقل عمومي را تصويب كرد و قرار است اين طرح از سال آينده اجرا شود",
            ),
        ];
        for (rule, text) in cases {
            assert_eq!(by_alphabet(text), None, "{rule}");
        }
    }

    #[test]
    fn vowel_signs_do_not_count_against_arabic() {
        let vocalised = "أَعْلَنَتْ بَلَدِيَّةُ الْمَدِينَةِ أَنَّ أَعْمَالَ صِيَانَةِ الْجِسْرِ الرَّئِيسِيِّ سَتَبْدَأُ الْأُسْبُوعَ الْمُقْبِلَ وَتَسْتَمِرُّ ثَلَاثَةَ أَشْهُرٍ.";
        assert_eq!(by_alphabet(vocalised), Some(("ar", CONFIDENCE)));
    }
}
