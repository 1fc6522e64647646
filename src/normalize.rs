//! Normalisation before judging (criteria.md Decision 6). Two views of a text:
//!
//! * [`editorial_key`]: what must stay equal for a change to be *editorial*: Unicode NFKC
//!   (full/half width, NBSP), letter case, whitespace and wrapping, CJK–Latin spacing, all
//!   punctuation, list enumerators (`1、`, `(1）`, `a.`), HTML comments and tags, template syntax
//!   (`{% data x %}` ≡ `{{ site.data.x }}`), durations in other units (`180天` ≡ `6个月`) and dates.
//! * [`match_text`]: what lexicon terms are matched against: NFKC, lower case, whitespace
//!   collapsed, punctuation kept (so `不会` and `will not` stay visible).

use regex_lite::Regex;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// Whether `c` is written without spaces between words: Han, kana, Hangul, CJK punctuation and
/// full-width forms. Such text is diffed and matched character by character.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF
        | 0x3000..=0x303F
        | 0x3040..=0x30FF
        | 0x3100..=0x312F
        | 0x31A0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF
        | 0x20000..=0x2FA1F)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

static HTML_COMMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").unwrap());
static HTML_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"</?[A-Za-z][A-Za-z0-9-]*(?:[ \t\n\x{a0}\x{3000}][^<>]*)?/?>").unwrap()
});
static TEMPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{%-?[ \t\n\x{a0}\x{3000}]*data[ \t\n\x{a0}\x{3000}]+([A-Za-z0-9_.\-]+)[ \t\n\x{a0}\x{3000}]*-?%\}|\{\{-?[ \t\n\x{a0}\x{3000}]*(?:site\.data\.)?([A-Za-z0-9_.\-]+)[ \t\n\x{a0}\x{3000}]*-?\}\}")
        .unwrap()
});
static ENUMERATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[ \t\n\x{a0}\x{3000}]*(?:[(（][ \t\n\x{a0}\x{3000}]*(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3}|[a-zA-Z])[ \t\n\x{a0}\x{3000}]*[)）]|(?:[0-9]{1,3}|[a-zA-Z])[ \t\n\x{a0}\x{3000}]*[)）]|[0-9]{1,3}(?:\.[0-9]{1,3})*[ \t\n\x{a0}\x{3000}]*[、.．]|[0-9]{1,3}(?:\.[0-9]{1,3})+[ \t\n\x{a0}\x{3000}]|[一二三四五六七八九十]{1,3}[ \t\n\x{a0}\x{3000}]*[、.．]|[·•●▪■◆])[ \t\n\x{a0}\x{3000}]*",
    )
    .unwrap()
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[0-9]{4}[ \t\n\x{a0}\x{3000}]*年[ \t\n\x{a0}\x{3000}]*[0-9]{1,2}[ \t\n\x{a0}\x{3000}]*月(?:[ \t\n\x{a0}\x{3000}]*[0-9]{1,2}[ \t\n\x{a0}\x{3000}]*日)?|[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?[ \t\n\x{a0}\x{3000}]+[0-9]{1,2}(?:st|nd|rd|th)?,?[ \t\n\x{a0}\x{3000}]+[0-9]{4}|[0-9]{1,2}[ \t\n\x{a0}\x{3000}]+(?:january|february|march|april|may|june|july|august|september|october|november|december)[ \t\n\x{a0}\x{3000}]+[0-9]{4}",
    )
    .unwrap()
});
static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百]+)[ \t\n\x{a0}\x{3000}]*(?:个)?[ \t\n\x{a0}\x{3000}]*(工作日|自然日|天|日|周|星期|月|年|(?:business|working)[ \t\n\x{a0}\x{3000}]+days?|calendar[ \t\n\x{a0}\x{3000}]+days?|days?|weeks?|months?|years?)",
    )
    .unwrap()
});

/// Removes HTML comments (`<!-- … -->`), which never reach a reader.
pub fn strip_html_comments(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("<!--") { HTML_COMMENT.replace_all(text, "") } else { text.into() }
}

/// Rewrites template variables to one spelling: `{% data a.b %}` and `{{ site.data.a.b }}`
/// both become `{{a.b}}`.
pub fn canonical_templates(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('{') {
        return text.into();
    }
    TEMPLATE.replace_all(text, |c: &regex_lite::Captures<'_>| {
        let name = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
        format!("{{{{{name}}}}}")
    })
}

/// Drops a leading list enumerator (`1、`, `(1）`, `2.`, `a)`, `·`) so renumbered items compare
/// equal.
pub fn strip_enumerator(text: &str) -> &str {
    match ENUMERATOR.find(text) {
        Some(m) if m.end() < text.len() => &text[m.end()..],
        _ => text,
    }
}

/// Parses a Chinese numeral up to the hundreds (`十五` = 15, `一百八十` = 180).
pub fn chinese_number(s: &str) -> Option<f64> {
    let digit = |c: char| "零〇一二三四五六七八九".find(c).map(|_| ());
    let value = |c: char| match c {
        '零' | '〇' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    };
    let _ = digit;
    let (mut total, mut current) = (0u32, 0u32);
    let mut seen = false;
    for c in s.chars() {
        seen = true;
        match c {
            '十' => {
                total += current.max(1) * 10;
                current = 0;
            }
            '百' => {
                total += current.max(1) * 100;
                current = 0;
            }
            _ => current = value(c)?,
        }
    }
    seen.then_some(f64::from(total + current))
}

/// Every duration in `text`, in days (a working day counts 7/5 days, a month 30, a year 365).
/// Dates (`2023年10月12日`, `January 26, 2017`) are not durations.
pub fn durations(text: &str) -> Vec<f64> {
    let text = text.to_lowercase();
    let text = DATE.replace_all(&text, " ");
    DURATION
        .captures_iter(&text)
        .filter_map(|c| {
            let number = &c[1];
            let n = number.parse::<f64>().ok().or_else(|| chinese_number(number))?;
            Some(n * unit_days(&c[2]))
        })
        .collect()
}

fn unit_days(unit: &str) -> f64 {
    let unit = unit.to_lowercase();
    if unit.contains("工作日") || unit.starts_with("business") || unit.starts_with("working") {
        1.4
    } else if unit.starts_with('周') || unit.starts_with("星期") || unit.starts_with("week") {
        7.0
    } else if unit.starts_with('月') || unit.starts_with("month") {
        30.0
    } else if unit.starts_with('年') || unit.starts_with("year") {
        365.0
    } else {
        1.0
    }
}

/// The text lexicon terms are matched against: NFKC, lower case, whitespace runs collapsed to
/// one space, no space next to a CJK character. Punctuation is kept.
pub fn match_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in nfkc_lower(text) {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            let prev = out.chars().next_back().unwrap_or(' ');
            if !is_cjk(prev) && !is_cjk(c) {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// NFKC then lower case, one character at a time. ASCII and CJK ideographs (both stable under
/// NFKC) skip the normaliser; that covers nearly all policy text and keeps this cheap. Text with
/// combining marks is normalised per character, which is what matching and comparing need.
pub fn nfkc_lower(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().flat_map(|c| {
        let fast = c.is_ascii() || matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF);
        let chars: smallchars::Chars = if fast {
            smallchars::Chars::one(c.to_ascii_lowercase())
        } else {
            smallchars::Chars::many(std::iter::once(c).nfkc().flat_map(char::to_lowercase))
        };
        chars
    })
}

mod smallchars {
    /// Up to a few characters without allocating in the common single-character case.
    pub(super) enum Chars {
        One(Option<char>),
        Many(std::vec::IntoIter<char>),
    }

    impl Chars {
        pub(super) fn one(c: char) -> Chars {
            Chars::One(Some(c))
        }

        pub(super) fn many(iter: impl Iterator<Item = char>) -> Chars {
            Chars::Many(iter.collect::<Vec<_>>().into_iter())
        }
    }

    impl Iterator for Chars {
        type Item = char;

        fn next(&mut self) -> Option<char> {
            match self {
                Chars::One(c) => c.take(),
                Chars::Many(it) => it.next(),
            }
        }
    }
}

/// The key two texts must share for their difference to be editorial (module docs list what it
/// ignores). Empty for text that holds no words.
pub fn editorial_key(text: &str) -> String {
    let text = strip_html_comments(text);
    let text = canonical_templates(&text);
    let text = HTML_TAG.replace_all(&text, " ");
    let text: String = nfkc_lower(&text).collect();
    let text = strip_enumerator(&text);
    let text = DATE.replace_all(text, " date ");
    let text = DURATION.replace_all(&text, |c: &regex_lite::Captures<'_>| {
        let number = &c[1];
        match number.parse::<f64>().ok().or_else(|| chinese_number(number)) {
            Some(n) => format!(" {}d ", (n * unit_days(&c[2]) / 5.0).round() * 5.0),
            None => c[0].to_string(),
        }
    });
    let mut out = String::with_capacity(text.len());
    let mut separated = false;
    let mut prev: Option<char> = None;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_alphanumeric() {
            if separated && prev.is_some_and(is_word) && is_word(c) {
                out.push(' ');
            }
            out.push(c);
            prev = Some(c);
            separated = false;
        } else if (c == '.' || c == ',')
            && prev.is_some_and(|p| p.is_ascii_digit())
            && !separated
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())
        {
            // A decimal point or thousands separator: `15.5` is not `155`.
            if c == '.' {
                out.push('.');
            }
        } else {
            separated = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_spacing_case_and_punctuation_are_editorial() {
        assert_eq!(editorial_key("您好，世界。"), editorial_key("您好,世界."));
        assert_eq!(editorial_key("使用\u{a0}Cookie\u{a0}和"), editorial_key("使用Cookie和"));
        assert_eq!(editorial_key("Github Data"), editorial_key("GitHub data."));
        assert_eq!(editorial_key("4.Services Usage"), editorial_key("4. Services Usage"));
        assert_ne!(editorial_key("we will share"), editorial_key("we will not share"));
        assert_ne!(editorial_key("不会共享"), editorial_key("会共享"));
    }

    #[test]
    fn enumerators_comments_and_templates_are_editorial() {
        assert_eq!(editorial_key("3、与关联公司共享"), editorial_key("4、与关联公司共享"));
        assert_eq!(editorial_key("(1）广告"), editorial_key("（2）广告"));
        assert_eq!(editorial_key("a <!-- x --> b"), editorial_key("a b"));
        assert_eq!(
            editorial_key("Use {% data variables.product.github %} now"),
            editorial_key("Use {{ site.data.variables.product.github }} now")
        );
    }

    #[test]
    fn durations_compare_in_days() {
        assert_eq!(editorial_key("保存180天"), editorial_key("保存6个月"));
        assert_ne!(editorial_key("30日内"), editorial_key("30个工作日内"));
        assert_eq!(durations("15个工作日内"), vec![21.0]);
        assert_eq!(durations("十五天"), vec![15.0]);
        assert_eq!(durations("更新日期：2023年10月12日"), Vec::<f64>::new());
        assert_eq!(chinese_number("一百八十"), Some(180.0));
    }

    #[test]
    fn decimals_survive() {
        assert_ne!(editorial_key("15.5"), editorial_key("155"));
    }

    #[test]
    fn match_text_keeps_punctuation_and_joins_cjk() {
        assert_eq!(match_text("我们 不会\n 共享，Will  Not"), "我们不会共享,will not");
    }
}
