//! Which natural language a policy text is written in, by a simple, deterministic test: the share
//! of CJK characters (and kana / Hangul among them), else counts of common function words.
//!
//! Used to tell when two versions are in different languages (a history that switches from German
//! to French, say): a redline across languages would mark every word, so the comparison page says
//! so instead of computing one.

use crate::normalize::is_cjk;

/// Function words per language: frequent, short and rarely shared between the languages listed.
const STOP_WORDS: [(&str, &[&str]); 7] = [
    ("en", &["the", "and", "of", "to", "you", "your", "we", "is", "that", "with", "for", "our"]),
    (
        "de",
        &["der", "die", "und", "das", "sie", "ihre", "wir", "nicht", "mit", "von", "ist", "für"],
    ),
    (
        "fr",
        &["les", "des", "et", "vous", "vos", "nous", "est", "pour", "dans", "une", "aux", "sur"],
    ),
    ("es", &["los", "las", "y", "usted", "sus", "nosotros", "para", "con", "una", "del", "que"]),
    ("it", &["il", "gli", "della", "delle", "e", "che", "per", "sono", "una", "dei", "noi"]),
    ("nl", &["het", "een", "en", "van", "wij", "uw", "jij", "zijn", "voor", "niet", "deze"]),
    ("pt", &["os", "as", "e", "você", "seus", "nós", "para", "com", "uma", "não", "dos"]),
];

/// Minimum number of function-word hits before a Latin-script text is given a language.
const MIN_HITS: usize = 8;

/// The language of `text` as a primary tag (`zh`, `ja`, `ko`, `en`, `de`, `fr`, `es`, `it`, `nl`,
/// `pt`), or `None` when the text is too short or too mixed to tell.
///
/// CJK text (at least 30 % of the letters are CJK) is `ja` when kana make up at least 5 % of it,
/// `ko` when Hangul dominates, else `zh`. Latin text is the language whose function words occur
/// most often, when that count is at least [`MIN_HITS`] and 1.5 times the runner-up's.
pub fn detect(text: &str) -> Option<&'static str> {
    let (mut letters, mut cjk, mut kana, mut hangul) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if is_cjk(c) {
            cjk += 1;
            match c as u32 {
                0x3040..=0x30FF => kana += 1,
                0xAC00..=0xD7AF => hangul += 1,
                _ => {}
            }
        }
    }
    if letters == 0 {
        return None;
    }
    if cjk * 10 >= letters * 3 {
        return Some(if kana * 20 >= cjk {
            "ja"
        } else if hangul * 2 > cjk {
            "ko"
        } else {
            "zh"
        });
    }
    let mut hits = [0usize; STOP_WORDS.len()];
    for word in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty() && w.len() < 10) {
        let lower = word.to_lowercase();
        for (k, (_, words)) in STOP_WORDS.iter().enumerate() {
            if words.contains(&lower.as_str()) {
                hits[k] += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by(|&a, &b| hits[b].cmp(&hits[a]).then(a.cmp(&b)));
    let (best, second) = (hits[order[0]], hits[order[1]]);
    (best >= MIN_HITS && best * 2 >= second * 3).then_some(STOP_WORDS[order[0]].0)
}

/// The primary subtag of a BCP 47 tag, lower case (`zh-CN` → `zh`).
pub(crate) fn primary(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or(tag).to_ascii_lowercase()
}

/// The name of a language in that language, for the language switcher (`zh-CN` → `中文（简体）`);
/// the tag itself when unknown.
pub(crate) fn endonym(tag: &str) -> String {
    let name = match tag {
        "zh-CN" | "zh-Hans" => "中文（简体）",
        "zh-TW" | "zh-HK" | "zh-Hant" => "中文（繁體）",
        _ => match primary(tag).as_str() {
            "zh" => "中文",
            "en" => "English",
            "de" => "Deutsch",
            "fr" => "Français",
            "es" => "Español",
            "it" => "Italiano",
            "nl" => "Nederlands",
            "pt" => "Português",
            "ja" => "日本語",
            "ko" => "한국어",
            _ => return tag.to_string(),
        },
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_scripts_and_function_words() {
        assert_eq!(detect("我们如何收集和使用您的个人信息，以及您的权利。"), Some("zh"));
        let en = "We collect your data and we share it with the partners of our group to provide the service that you use.";
        assert_eq!(detect(en), Some("en"));
        let de = "Wir erheben Ihre Daten und die Daten, die Sie uns geben, und wir geben sie nicht an Dritte, die mit uns nicht verbunden sind, und das ist für Sie wichtig.";
        assert_eq!(detect(de), Some("de"));
        let fr = "Nous collectons vos données et les données des utilisateurs pour vous fournir les services dans une mesure nécessaire et nous les conservons pour une durée limitée sur nos serveurs.";
        assert_eq!(detect(fr), Some("fr"));
        assert_eq!(detect("Yahoo! Mail"), None);
        assert_eq!(detect(""), None);
    }

    #[test]
    fn names_and_primary_tags() {
        assert_eq!(primary("zh-CN"), "zh");
        assert_eq!(endonym("zh-CN"), "中文（简体）");
        assert_eq!(endonym("en"), "English");
        assert_eq!(endonym("x-klingon"), "x-klingon");
    }
}
