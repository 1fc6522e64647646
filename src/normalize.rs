//! Normalisation before judging: `editorial` needs positive evidence. Two views of a text:
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
    is_alphanumeric(c) && !is_cjk(c)
}

/// A web address written out in the text (`https://…`, `www.…`), up to a space, a closing
/// bracket or CJK punctuation.
pub(crate) static URL: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?i)https?://[^\s)）\]」》<>，。；]+|www\.[a-z0-9\-]+(?:\.[a-z0-9\-]+)+[^\s)）\]」》<>，。；]*").unwrap()
});

/// A web address without scheme, `www.` and trailing slash or dot, lower case.
pub(crate) fn url_key(url: &str) -> String {
    let u = url.to_lowercase();
    let u = u.strip_prefix("https://").or_else(|| u.strip_prefix("http://")).unwrap_or(&u);
    let u = u.strip_prefix("www.").unwrap_or(u);
    u.trim_end_matches(['/', '.', ',']).to_string()
}

static HTML_COMMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").unwrap());
// The full engine: tags are searched for in whole documents, where regex-lite is slow.
static HTML_TAG: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"</?[A-Za-z][A-Za-z0-9-]*(?:[ \t\n\x{a0}\x{3000}][^<>]*)?/?>").unwrap()
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
/// Removes HTML comments (`<!-- … -->`), which never reach a reader.
pub fn strip_html_comments(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("<!--") { HTML_COMMENT.replace_all(text, "") } else { text.into() }
}

/// Rewrites template variables to one spelling: `{% data a.b %}` and `{{ site.data.a.b }}`
/// both become `{{a.b}}`.
pub fn canonical_templates(text: &str) -> std::borrow::Cow<'_, str> {
    if !(text.contains("{%") || text.contains("{{")) {
        return text.into();
    }
    TEMPLATE.replace_all(text, |c: &regex_lite::Captures<'_>| {
        let name = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
        format!("{{{{{name}}}}}")
    })
}

/// Whether `text` holds a template variable (`{% data a.b %}`, `{{ site.data.a.b }}`), filled in
/// when the policy is published: what it gives cannot be read from the source.
pub fn has_template(text: &str) -> bool {
    (text.contains("{%") || text.contains("{{")) && TEMPLATE.is_match(text)
}

/// Drops a leading list enumerator (`1、`, `(1）`, `2.`, `a)`, `·`) so renumbered items compare
/// equal.
pub fn strip_enumerator(text: &str) -> &str {
    // Every enumerator starts, after spaces, with a bracket, a digit, a Latin letter, a Chinese
    // numeral or a bullet: text starting otherwise (most clauses) needs no pattern run.
    let first = text.chars().find(|c| !matches!(c, ' ' | '\t' | '\n' | '\u{a0}' | '\u{3000}'));
    let may_start = first
        .is_some_and(|c| c.is_ascii_alphanumeric() || "(（一二三四五六七八九十·•●▪■◆".contains(c));
    if !may_start {
        return text;
    }
    // The pattern is anchored; looking at the first characters is enough.
    let head_end = text.char_indices().nth(24).map_or(text.len(), |(i, _)| i);
    match ENUMERATOR.find(&text[..head_end]) {
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

/// Every duration in `text`, in days (a working day counts 7/5 days, a week 7, a month 30, a
/// year 365). Dates (`2023年10月12日`, `January 26, 2017`) are not durations.
pub fn durations(text: &str) -> Vec<f64> {
    let text = text.to_lowercase();
    quantities(&text)
        .into_iter()
        .filter(|q| !is_age(&text[..q.start], &text[q.end..]))
        .filter_map(|q| match q.kind {
            Quantity::Duration(days) => Some(days),
            Quantity::Date(..) => None,
        })
        .collect()
}

/// The periods of inactivity named in `text` (`if you do not sign in for 24 months`, `after
/// two years of inactivity`, `连续24个月未登录`, `nach 24 Monaten Inaktivität`), in days: a
/// deletion that such a period triggers limits how long information is kept.
pub fn inactivity_periods(text: &str) -> Vec<f64> {
    const BEFORE: [&str; 9] = [
        "not sign",
        "not log",
        "n't sign",
        "n't log",
        "not use",
        "n't use",
        "inactiv",
        "未登录",
        "未使用",
    ];
    const AFTER: [&str; 7] =
        ["of inactivity", "without", "inactiv", "未登录", "未使用", "不活跃", "sans activité"];
    let text = text.to_lowercase();
    quantities(&text)
        .into_iter()
        .filter(|q| {
            let before: String = text[..q.start]
                .chars()
                .rev()
                .take(30)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after: String = text[q.end..].chars().take(20).collect();
            BEFORE.iter().any(|w| before.contains(w)) || AFTER.iter().any(|w| after.contains(w))
        })
        .filter_map(|q| match q.kind {
            Quantity::Duration(days) => Some(days),
            Quantity::Date(..) => None,
        })
        .collect()
}

/// An age limit in words (`under 16`, `aged 16 or over`, `unter 16 Jahren`, `ab 10 Jahren`,
/// `moins de 15 ans`, `不满14周岁`, `未满十八岁`), in lower case.
static AGE_LIMIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\b(?:under|below|younger than|over|at least|aged|age of|ages?|unter|ab|über|mindestens|moins de|plus de|âgée?s? de)\s+(?:the\s+age\s+of\s+)?(\d{1,2})\b)|(?:(?:不满|未满|年满|满|小于|低于|以下|以上)?(\d{1,2}|十[二三四五六七八九]|十|二十)(?:周岁|岁))",
    )
    .unwrap()
});

/// The age limits a clause about children or minors names (`StrideFit is not intended for
/// children under 16` → 16; `不满14周岁的未成年人` → 14), in years; none when the clause speaks of
/// no child, minor, age or parent.
pub fn age_limits(text: &str) -> Vec<u32> {
    let t = text.to_lowercase();
    const WORDS: [&str; 14] = [
        "child",
        "minor",
        "kid",
        "teen",
        "age",
        "parent",
        "kinder",
        "jugendlich",
        "alter",
        "enfant",
        "mineur",
        "儿童",
        "未成年",
        "岁",
    ];
    if !WORDS.iter().any(|w| t.contains(w)) {
        return Vec::new();
    }
    AGE_LIMIT
        .captures_iter(&t)
        .filter_map(|c| {
            if let Some(d) = c.get(1) {
                return d.as_str().parse().ok();
            }
            let n = c.get(2)?.as_str();
            n.parse().ok().or_else(|| {
                let ones = |c: char| {
                    "一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32 + 1)
                };
                match n {
                    "十" => Some(10),
                    "二十" => Some(20),
                    _ => n.chars().nth(1).and_then(ones).map(|o| 10 + o),
                }
            })
        })
        .filter(|a| (5..=21).contains(a))
        .collect()
}

/// Whether a period is an age (`children under 13 years of age`, `Kinder unter 16 Jahren`,
/// `enfants de moins de 15 ans`, `不满14周岁`): a word for a child, a minor or an age in the
/// four words before it, or `old`, `of age`, `alt`, `d'âge` right after it.
fn is_age(before: &str, after: &str) -> bool {
    const PEOPLE: [&str; 13] = [
        "child",
        "minor",
        "kid",
        "teen",
        "enfant",
        "mineur",
        "kinder",
        "kindes",
        "jugendlich",
        "âg",
        "age",
        "alter",
        "young",
    ];
    let near = before
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .rev()
        .take(4)
        .any(|w| PEOPLE.iter().any(|p| w.starts_with(p)) && !w.starts_with("agen"));
    let after = after.trim_start();
    near || ["old", "of age", "alt", "d'âge", "周岁", "岁"].iter().any(|a| after.starts_with(a))
}

/// A date or a duration found in text by [`quantities`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantity {
    /// A calendar date (`2023年10月12日`, `2023-10-12`, `january 26, 2017`, `26 january 2017`),
    /// as written: (year, month, day), the day absent for `2023年10月`. Not validated.
    Date(u16, u8, Option<u8>),
    /// A period, in days.
    Duration(f64),
}

/// A [`Quantity`] and its byte range in the scanned text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    /// Byte offset where it starts.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// What it is.
    pub kind: Quantity,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Month names in the languages policies are published in (lower case, after NFKC), with their
/// number: English, French, German, Spanish, Italian, Dutch and Portuguese.
const MONTH_NAMES: [(&str, u16); 72] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("januar", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("dezembro", 12),
];

/// Whether `word` (lower case) is a month's name in a language policies are published in, or
/// an English abbreviation (`dec`, `sept`), with or without a dot.
pub(crate) fn is_month(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    month_at(word, 0).is_some_and(|(_, len)| len == word.len()) || word == "sept"
}

/// The month whose name (or, for English, three-letter abbreviation, optionally with a dot)
/// starts at byte `i`, and the length of the name as written; never inside a longer word.
fn month_at(text: &str, i: usize) -> Option<(u16, usize)> {
    let rest = &text[i..];
    let whole = |len: usize| !rest[len..].chars().next().is_some_and(char::is_alphabetic);
    let mut best: Option<(u16, usize)> = None;
    for &(name, month) in &MONTH_NAMES {
        if rest.starts_with(name) && whole(name.len()) && best.is_none_or(|b| name.len() > b.1) {
            best = Some((month, name.len()));
        }
    }
    if best.is_some() {
        return best;
    }
    MONTHS.iter().enumerate().find_map(|(index, month)| {
        let abbr = &month[..3];
        (month.len() > 3 && rest.starts_with(abbr) && whole(3)).then(|| {
            let dot = usize::from(rest.as_bytes().get(3) == Some(&b'.'));
            (index as u16 + 1, 3 + dot)
        })
    })
}

const UNITS: [(&str, f64); 16] = [
    ("工作日", 1.4),
    ("自然日", 1.0),
    ("星期", 7.0),
    ("business days", 1.4),
    ("business day", 1.4),
    ("working days", 1.4),
    ("working day", 1.4),
    ("calendar days", 1.0),
    ("calendar day", 1.0),
    ("天", 1.0),
    ("日", 1.0),
    ("周", 7.0),
    ("月", 30.0),
    ("年", 365.0),
    ("day", 1.0),
    ("week", 7.0),
];

/// French and German units (lower case; longer forms first, a plural `s` is read after any
/// Latin unit): `conservées pendant 12 mois`, `für 6 Monate gespeichert`. The German singular
/// `Tag` is left out: `2 tags` is English.
const EUROPEAN_UNITS: [(&str, f64); 22] = [
    ("jours ouvrés", 1.4),
    ("jours ouvrables", 1.4),
    ("jour", 1.0),
    ("semaine", 7.0),
    ("mois", 30.0),
    ("années", 365.0),
    ("année", 365.0),
    ("an", 365.0),
    ("werktagen", 1.4),
    ("werktage", 1.4),
    ("arbeitstagen", 1.4),
    ("arbeitstage", 1.4),
    ("tagen", 1.0),
    ("tage", 1.0),
    ("wochen", 7.0),
    ("woche", 7.0),
    ("monaten", 30.0),
    ("monate", 30.0),
    ("monat", 30.0),
    ("jahren", 365.0),
    ("jahre", 365.0),
    ("jahr", 365.0),
];

/// Numbers written as words before a unit, in English, German and French (`for one year`,
/// `twenty-four months`, `zwölf Monate`, `treize mois`); longer words first where one starts
/// another.
const NUMBER_WORDS: [(&str, f64); 59] = [
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fifteen", 15.0),
    ("eighteen", 18.0),
    ("twenty-four", 24.0),
    ("twenty", 20.0),
    ("thirty-six", 36.0),
    ("thirty", 30.0),
    ("sixty", 60.0),
    ("ninety", 90.0),
    // German.
    ("einem", 1.0),
    ("einen", 1.0),
    ("eine", 1.0),
    ("ein", 1.0),
    ("zwei", 2.0),
    ("drei", 3.0),
    ("vier", 4.0),
    ("fünf", 5.0),
    ("sechs", 6.0),
    ("sieben", 7.0),
    ("acht", 8.0),
    ("neun", 9.0),
    ("zehn", 10.0),
    ("elf", 11.0),
    ("zwölf", 12.0),
    ("dreizehn", 13.0),
    ("achtzehn", 18.0),
    ("vierundzwanzig", 24.0),
    ("dreißig", 30.0),
    // French.
    ("une", 1.0),
    ("un", 1.0),
    ("deux", 2.0),
    ("trois", 3.0),
    ("quatre", 4.0),
    ("cinq", 5.0),
    ("sept", 7.0),
    ("huit", 8.0),
    ("neuf", 9.0),
    ("dix-huit", 18.0),
    ("dix", 10.0),
    ("onze", 11.0),
    ("douze", 12.0),
    ("treize", 13.0),
    ("quinze", 15.0),
    ("vingt-quatre", 24.0),
    ("vingt", 20.0),
    ("trente", 30.0),
    ("soixante", 60.0),
];

/// Whether `text` holds a number written as a word (`five`, `Zwölf`, `treize`) that
/// [`durations`] reads before a unit: a whole word, in any case.
pub fn names_number_word(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .any(|w| NUMBER_WORDS.iter().any(|(n, _)| n.eq_ignore_ascii_case(w)))
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{a0}' | '\u{3000}')
}

fn skip_spaces(text: &str, mut i: usize) -> usize {
    while let Some(c) = text[i..].chars().next().filter(|&c| is_space(c)) {
        i += c.len_utf8();
    }
    i
}

fn digits_at(text: &str, i: usize) -> usize {
    text[i..].bytes().take_while(u8::is_ascii_digit).count()
}

fn is_cjk_numeral(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
    )
}

/// [`char::is_alphanumeric`], answering the common CJK ideographs without the table lookup.
fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        matches!(c as u32, 0x4E00..=0x9FFF) || c.is_alphanumeric()
    }
}

/// Scans lower-case `text` for dates and durations (a number, optional spaces and `个`, then a
/// unit such as 天, 个月, 工作日, days, months). A hand-written scanner: it runs on every block of
/// every document, so it must be linear and allocation-free in the common case.
pub fn quantities(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        // A date or duration starts at a digit, a Chinese numeral or a Latin letter (a month).
        if !(c.is_ascii_alphanumeric() || is_cjk_numeral(c)) {
            i += c.len_utf8();
            continue;
        }
        let word_start =
            i == 0 || !text[..i].chars().next_back().is_some_and(|p| p.is_ascii_alphanumeric());
        if let Some(found) = date_at(text, i, word_start) {
            i = found.end;
            out.push(found);
            continue;
        }
        let (number, after) = if c.is_ascii_digit() && word_start {
            let n = digits_at(text, i);
            let mut end = i + n;
            if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
                end += 1 + digits_at(text, end + 1);
            }
            (text[i..end].parse::<f64>().ok(), end)
        } else if c.is_ascii_alphabetic()
            && word_start
            && let Some(&(word, n)) = NUMBER_WORDS.iter().find(|(w, _)| {
                text[i..].starts_with(w)
                    && !text[i + w.len()..]
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_ascii_alphanumeric())
            })
        {
            (Some(n), i + word.len())
        } else if is_cjk_numeral(c) {
            let end = i + text[i..]
                .chars()
                .take_while(|&c| is_cjk_numeral(c))
                .map(char::len_utf8)
                .sum::<usize>();
            (chinese_number(&text[i..end]), end)
        } else {
            (None, i + c.len_utf8())
        };
        let Some(number) = number else {
            i = after.max(i + c.len_utf8());
            continue;
        };
        let mut j = skip_spaces(text, after);
        if text[j..].starts_with('个') {
            j = skip_spaces(text, j + '个'.len_utf8());
        }
        let unit = UNITS
            .iter()
            .chain(&[("month", 30.0), ("year", 365.0)])
            .chain(&EUROPEAN_UNITS)
            .find(|(u, _)| text[j..].starts_with(u));
        match unit {
            Some(&(u, days)) => {
                let mut end = j + u.len();
                if u.is_ascii() && text[end..].starts_with('s') {
                    end += 1;
                }
                let latin_ok = !u.is_ascii()
                    || !text[end..].chars().next().is_some_and(|n| n.is_ascii_alphanumeric());
                if latin_ok {
                    out.push(Found { start: i, end, kind: Quantity::Duration(number * days) });
                    i = end;
                } else {
                    i = after;
                }
            }
            None => i = after,
        }
    }
    out
}

/// A date starting at byte `i`, if any.
fn date_at(text: &str, i: usize, word_start: bool) -> Option<Found> {
    let bytes = text.as_bytes();
    let number = |at: usize, len: usize| text[at..at + len].parse::<u16>().unwrap_or(0);
    let found = |end, y: u16, m: u16, d: Option<u16>| {
        let kind = Quantity::Date(y, m as u8, d.map(|d| d as u8));
        Some(Found { start: i, end, kind })
    };
    if word_start && digits_at(text, i) == 4 {
        let year = number(i, 4);
        // 2023年10月12日 / 2023年10月
        let j = skip_spaces(text, i + 4);
        if text[j..].starts_with('年') {
            let k = skip_spaces(text, j + '年'.len_utf8());
            let m = digits_at(text, k);
            if (1..=2).contains(&m) {
                let l = skip_spaces(text, k + m);
                if text[l..].starts_with('月') {
                    let end = l + '月'.len_utf8();
                    let d0 = skip_spaces(text, end);
                    let d = digits_at(text, d0);
                    if (1..=2).contains(&d) {
                        let e = skip_spaces(text, d0 + d);
                        if text[e..].starts_with('日') {
                            return found(
                                e + '日'.len_utf8(),
                                year,
                                number(k, m),
                                Some(number(d0, d)),
                            );
                        }
                    }
                    return found(end, year, number(k, m), None);
                }
            }
        }
        // 2023-10-12, 2023/10/12, 2023.10.12
        if let Some(&sep) = bytes.get(i + 4).filter(|b| matches!(b, b'-' | b'/' | b'.')) {
            let m = digits_at(text, i + 5);
            if (1..=2).contains(&m) && bytes.get(i + 5 + m) == Some(&sep) {
                let d = digits_at(text, i + 6 + m);
                if (1..=2).contains(&d) {
                    return found(
                        i + 6 + m + d,
                        year,
                        number(i + 5, m),
                        Some(number(i + 6 + m, d)),
                    );
                }
            }
        }
    }
    if !word_start {
        return None;
    }
    // dd/mm/yyyy, mm/dd/yyyy, dd.mm.yyyy, dd-mm-yyyy (the day first when it cannot be a month)
    let a = digits_at(text, i);
    if (1..=2).contains(&a)
        && let Some(&sep) = bytes.get(i + a).filter(|b| matches!(b, b'/' | b'.' | b'-'))
    {
        let b = digits_at(text, i + a + 1);
        if (1..=2).contains(&b) && bytes.get(i + a + 1 + b) == Some(&sep) {
            let y0 = i + a + 2 + b;
            if digits_at(text, y0) == 4 {
                let (x, z) = (number(i, a), number(i + a + 1, b));
                let (m, d) = if x > 12 || sep == b'.' { (z, x) } else { (x, z) };
                return found(y0 + 4, number(y0, 4), m, Some(d));
            }
        }
    }
    // january 26, 2017 / jan. 26 2017 / januar 2024
    if let Some((month, name)) = bytes[i].is_ascii_alphabetic().then(|| month_at(text, i)).flatten()
    {
        let j = skip_spaces(text, i + name);
        if j > i + name || bytes.get(i + name - 1) == Some(&b'.') {
            let d = digits_at(text, j);
            if (1..=2).contains(&d) {
                let mut k = j + d;
                for suffix in ["st", "nd", "rd", "th"] {
                    if text[k..].starts_with(suffix) {
                        k += 2;
                    }
                }
                if bytes.get(k) == Some(&b',') {
                    k += 1;
                }
                let y0 = skip_spaces(text, k);
                if (y0 > k || bytes.get(k - 1) == Some(&b',')) && digits_at(text, y0) == 4 {
                    return found(y0 + 4, number(y0, 4), month, Some(number(j, d)));
                }
            } else if digits_at(text, j) == 4 && j > i + name {
                return found(j + 4, number(j, 4), month, None);
            }
        }
    }
    // 26 january 2017 / 1er novembre 2024 / 1. Januar 2024 / 1 de enero de 2024 / 1º de maio de 2024
    let d = digits_at(text, i);
    if (1..=2).contains(&d) {
        let mut j = i + d;
        for suffix in [".", "er", "º", "ª"] {
            if text[j..].starts_with(suffix) {
                j += suffix.len();
                break;
            }
        }
        let mut k = skip_spaces(text, j);
        if k > j && text[k..].starts_with("de ") {
            k = skip_spaces(text, k + 3);
        }
        if k > j
            && let Some((month, name)) = month_at(text, k)
        {
            let mut y0 = skip_spaces(text, k + name);
            if y0 > k + name && text[y0..].starts_with("de ") {
                y0 = skip_spaces(text, y0 + 3);
            }
            if bytes.get(y0) == Some(&b',') {
                y0 = skip_spaces(text, y0 + 1);
            }
            if y0 > k + name && digits_at(text, y0) == 4 {
                return found(y0 + 4, number(y0, 4), month, Some(number(i, d)));
            }
        }
    }
    None
}

/// The text lexicon terms are matched against: [`canonical_lower`], whitespace runs collapsed to
/// one space, no space next to a CJK character. Punctuation is kept.
pub fn match_text(text: &str) -> String {
    collapse_spaces(&canonical_lower(text))
}

/// The rest of [`match_text`], from the [`canonical_lower`] form.
fn collapse_spaces(canonical: &str) -> String {
    let mut out = String::with_capacity(canonical.len());
    let mut pending_space = false;
    for c in canonical.chars() {
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

/// The canonical spelling both views start from: Unicode NFKC over the whole string (so text in
/// decomposed form, `e` + U+0301, equals its composed form), lower case, the typographic
/// apostrophe as `'`, English contractions written out (`don't` = `do not`, `won't` = `will not`,
/// `can't` = `can not` = `cannot`), and the familiar 你 / 妳 written as the polite 您 (the same
/// pronoun; a policy switching between them says the same thing).
pub fn canonical_lower(text: &str) -> String {
    let mut out: String = if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        // Text made only of characters NFKC maps one to one and never composes: the same result
        // as the general path below, without decomposing and recomposing every character.
        plainly_lowered(text).unwrap_or_else(|| {
            let mut out = String::with_capacity(text.len());
            out.extend(text.nfkc().flat_map(char::to_lowercase));
            out
        })
    };
    if out.contains('\u{2019}') {
        out = out.replace('\u{2019}', "'");
    }
    if out.contains('\'') || out.contains("can not") {
        out = expand_contractions(&out);
    }
    if out.contains(['你', '妳']) {
        out = out.replace(['你', '妳'], "您");
    }
    out
}

/// [`plain_lower`] of every character of `text`, in one pass and one allocation; `None` when
/// one of them needs the general path.
fn plainly_lowered(text: &str) -> Option<String> {
    // No character grows: ASCII and CJK stay as long, full-width forms shrink.
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        out.push(plain_lower(c)?);
    }
    Some(out)
}

/// NFKC then lower case of `c`, for the characters most policies are written in, when that is
/// one character and `c` takes no part in composition: ASCII, CJK unified ideographs, the common
/// CJK punctuation (`、。《》「」【】`, curly quotes), the ideographic and no-break spaces and full-width forms
/// (`，` → `,`, `Ａ` → `a`). `None` for any other character (the caller then normalises the whole
/// text). None of these characters is a combining mark or the second half of a composition, so a
/// text made only of them normalises character by character.
fn plain_lower(c: char) -> Option<char> {
    match c as u32 {
        0..=0x7F => Some(c.to_ascii_lowercase()),
        0x4E00..=0x9FFF
        | 0x3001..=0x3002
        | 0x3008..=0x3011
        | 0x3014..=0x301B
        | 0x2018..=0x2019
        | 0x201C..=0x201D
        | 0x2014
        | 0x00B7 => Some(c),
        0x3000 | 0xA0 => Some(' '),
        // Full-width ASCII: NFKC gives the ASCII character.
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).map(|a| a.to_ascii_lowercase()),
        _ => None,
    }
}

/// English contractions and their full forms (lower case).
const CONTRACTIONS: [(&str, &str); 40] = [
    ("don't", "do not"),
    ("doesn't", "does not"),
    ("didn't", "did not"),
    ("won't", "will not"),
    ("wouldn't", "would not"),
    ("can't", "cannot"),
    ("couldn't", "could not"),
    ("shouldn't", "should not"),
    ("isn't", "is not"),
    ("aren't", "are not"),
    ("wasn't", "was not"),
    ("weren't", "were not"),
    ("haven't", "have not"),
    ("hasn't", "has not"),
    ("hadn't", "had not"),
    ("mustn't", "must not"),
    ("needn't", "need not"),
    ("mightn't", "might not"),
    ("we'll", "we will"),
    ("you'll", "you will"),
    ("they'll", "they will"),
    ("it'll", "it will"),
    ("i'll", "i will"),
    ("we're", "we are"),
    ("you're", "you are"),
    ("they're", "they are"),
    ("we've", "we have"),
    ("you've", "you have"),
    ("they've", "they have"),
    ("i've", "i have"),
    ("i'm", "i am"),
    ("it's", "it is"),
    ("that's", "that is"),
    ("there's", "there is"),
    ("we'd", "we would"),
    ("you'd", "you would"),
    ("they'd", "they would"),
    ("let's", "let us"),
    ("here's", "here is"),
    ("what's", "what is"),
];

static CONTRACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[a-z]+n't|(?:we|you|they|it|i|that|there|let|here|what)'(?:ll|re|ve|m|s|d)|can not)\b")
        .unwrap()
});

/// Writes out the contractions of [`CONTRACTIONS`] in lower-case `text`; `can not` becomes
/// `cannot`.
fn expand_contractions(text: &str) -> String {
    CONTRACTION
        .replace_all(text, |c: &regex_lite::Captures<'_>| {
            let found = &c[0];
            if found == "can not" {
                return "cannot".to_string();
            }
            CONTRACTIONS
                .iter()
                .find(|(short, _)| *short == found)
                .map_or_else(|| found.to_string(), |(_, long)| (*long).to_string())
        })
        .into_owned()
}

/// The key two texts must share for their difference to be editorial (module docs list what it
/// ignores). Empty for text that holds no words.
pub fn editorial_key(text: &str) -> String {
    key_of_lower(&canonical_lower(&without_markup(text)))
}

/// [`editorial_key`] and [`match_text`] of one text: the text is lower-cased once when it holds
/// no markup (the common case).
pub fn key_and_match_text(text: &str) -> (String, String) {
    let canonical = canonical_lower(text);
    let key = match without_markup(text) {
        std::borrow::Cow::Borrowed(_) => key_of_lower(&canonical),
        std::borrow::Cow::Owned(plain) => key_of_lower(&canonical_lower(&plain)),
    };
    (key, collapse_spaces(&canonical))
}

/// `text` without HTML comments and tags, its template variables in one spelling (borrowed when
/// it has none of them).
fn without_markup(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let text = strip_html_comments(text);
    let templated = match canonical_templates(&text) {
        Cow::Owned(t) => Some(t),
        Cow::Borrowed(_) => None,
    };
    let text = templated.map_or(text, Cow::Owned);
    if !text.contains('<') {
        return text;
    }
    let untagged = match HTML_TAG.replace_all(&text, " ") {
        Cow::Owned(t) => Some(t),
        Cow::Borrowed(_) => None,
    };
    untagged.map_or(text, Cow::Owned)
}

/// Labels of a date line (`Last updated: …`, `Effective January 1, 2021`, `更新日期：…`), in
/// the form [`key_of_lower`] gives them without spaces: a block that is only such a label and a
/// date is the date line, whatever its label says, and its key is [`DATE_LINE_KEY`].
const DATE_LINE_LABELS: [&str; 36] = [
    "",
    "revised",
    "lastrevised",
    "updated",
    "lastupdated",
    "lastupdate",
    "lastmodified",
    "modified",
    "effective",
    "effectivedate",
    "effectiveasof",
    "effectivefrom",
    "effectiveon",
    "dateoflastrevision",
    "datelastupdated",
    "version",
    "versiondate",
    "published",
    "dernièremiseàjour",
    "miseàjour",
    "misàjourle",
    "envigueur",
    "envigueurle",
    "dated'entréeenvigueur",
    "stand",
    "zuletztaktualisiert",
    "gültigab",
    "更新日期",
    "更新时间",
    "生效日期",
    "生效时间",
    "发布日期",
    "最近更新",
    "最后更新",
    "最近更新日期",
    "版本更新日期",
];

/// The editorial key of every date line (see [`DATE_LINE_LABELS`]).
pub const DATE_LINE_KEY: &str = "date";

/// A block that only says from when the policy applies, in the key's words (`This Privacy Policy
/// applies from December 19, 2022. The previous version of this Privacy Policy applies until
/// then.`): the effective date written as a sentence, a date line like `Effective: …`.
static EFFECTIVE_DATE_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    let document = r"(?:this|the|our) (?:[a-z]+ )?(?:privacy )?(?:policy|notice|statement)";
    Regex::new(&format!(
        "^{document} (?:applies|is effective|takes effect|becomes effective|will apply|will take \
         effect|will become effective|comes into effect|enters into force|is in effect) (?:from \
         |on |as of |as from |starting )?date(?: the previous version of {document}(?: available \
         here)? (?:applies|will apply|remains in effect|will remain in effect|continues to \
         apply|will continue to apply) until (?:then|date))?$"
    ))
    .unwrap()
});

/// The rest of [`editorial_key`], from the [`canonical_lower`] form.
fn key_of_lower(text: &str) -> String {
    let key = key_of_lower_words(text);
    if EFFECTIVE_DATE_SENTENCE.is_match(key.trim()) {
        return DATE_LINE_KEY.to_string();
    }
    match key.trim_end().strip_suffix(DATE_LINE_KEY) {
        Some(label)
            if {
                let label: String = label.chars().filter(|c| !c.is_whitespace()).collect();
                DATE_LINE_LABELS.contains(&label.as_str())
            } =>
        {
            DATE_LINE_KEY.to_string()
        }
        _ => key,
    }
}

/// [`key_of_lower`] before date lines are recognised.
fn key_of_lower_words(text: &str) -> String {
    let text = strip_enumerator(text);
    // Dates become one token; durations their length in days, to the nearest 5 (180天 ≡ 6个月).
    let mut rewritten = String::with_capacity(text.len());
    let mut last = 0;
    for q in quantities(text) {
        rewritten.push_str(&text[last..q.start]);
        match q.kind {
            Quantity::Date(..) => rewritten.push_str(" date "),
            Quantity::Duration(days) => {
                rewritten.push_str(&format!(" {}d ", (days / 5.0).round() * 5.0))
            }
        }
        last = q.end;
    }
    rewritten.push_str(&text[last..]);
    let text = rewritten;
    let mut out = String::with_capacity(text.len());
    let mut separated = false;
    let mut prev: Option<char> = None;
    let chars: Vec<char> = text.chars().collect();
    let joined = initialism_points(&chars);
    for (i, &c) in chars.iter().enumerate() {
        if is_alphanumeric(c) {
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
        } else if joined.get(i) == Some(&true) {
            // The points of an abbreviation and the spaces after them (`U.S.`, `e.g.`,
            // `z. B.`): `U.S. mail` is `US mail`, `z. B.` is `z.B.` is `zB`.
        } else {
            separated = true;
        }
    }
    out
}

/// The characters that join the single letters of an abbreviation (`u.s.`, `e.g.`, `i.e`,
/// `z. b.`, `u. s. a.`): each point after a letter standing alone, with the spaces after it,
/// when a letter follows that ends a word or meets another point (after spaces: only one that
/// meets another point). Not a sentence end (`plan a. b is`) nor a host name (`t.co`). Empty
/// when the text has none (most texts: nothing is allocated for them).
fn initialism_points(chars: &[char]) -> Vec<bool> {
    let mut joined = Vec::new();
    if !chars.contains(&'.') {
        return joined;
    }
    let letter = |k: usize| chars.get(k).is_some_and(char::is_ascii_alphabetic);
    // After a point, what may follow in an abbreviation: nothing that continues a word, or one
    // more letter standing alone (`u.s.a.`); not a host name's next label (`a.b.example.com`).
    let after_point = |j: usize| match chars.get(j) {
        None => true,
        Some(&c) if !is_alphanumeric(c) => c != '@',
        Some(_) => letter(j) && chars.get(j + 1).is_none_or(|&c| c == '.' || !is_alphanumeric(c)),
    };
    for i in 1..chars.len() {
        if chars[i] != '.'
            || !letter(i - 1)
            || (i >= 2 && (is_alphanumeric(chars[i - 2]) || matches!(chars[i - 2], '/' | '@')))
        {
            continue;
        }
        let mut k = i + 1;
        while chars.get(k).is_some_and(|&c| c == ' ') {
            k += 1;
        }
        let next = chars.get(k + 1).copied();
        let ends = if k == i + 1 {
            next.is_none_or(|c| c != '@' && (c == '.' && after_point(k + 2) || !is_alphanumeric(c)))
        } else {
            next == Some('.') && after_point(k + 2)
        };
        if letter(k) && ends {
            joined.resize(chars.len(), false);
            joined[i..k].iter_mut().for_each(|j| *j = true);
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviation_points_are_editorial() {
        assert_eq!(editorial_key("by U.S. mail"), editorial_key("by US mail"));
        assert_eq!(editorial_key("data, e.g. your name"), editorial_key("data, eg your name"));
        assert_eq!(editorial_key("Example U.K. Ltd"), editorial_key("Example UK Ltd"));
        assert_eq!(editorial_key("Daten, z.B. Ihre IP"), editorial_key("Daten, z. B. Ihre IP"));
        assert_eq!(
            editorial_key("data (e.g. IP address)"),
            editorial_key("data (e. g. IP address)")
        );
        assert_eq!(editorial_key("in the U.S.A."), editorial_key("in the U. S. A."));
        // A sentence end and a host name keep their points.
        assert_ne!(editorial_key("Plan a. B is next"), editorial_key("Plan ab is next"));
        assert_ne!(editorial_key("see t.co for links"), editorial_key("see tco for links"));
        // Nor host names and e-mail addresses.
        assert_ne!(
            editorial_key("at https://a.b.example.com/x"),
            editorial_key("at https://ab.example.com/x")
        );
        assert_ne!(
            editorial_key("write to a.b@example.com"),
            editorial_key("write to ab@example.com")
        );
    }

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
    fn month_names_and_abbreviations_are_months() {
        for m in ["may", "dec", "dec.", "sept", "décembre", "märz", "januar"] {
            assert!(is_month(m), "{m}");
        }
        for w in ["treublaan", "mayor", "decent", "version", "de"] {
            assert!(!is_month(w), "{w}");
        }
    }

    #[test]
    fn a_date_line_is_the_date_line_whatever_its_label() {
        let key = editorial_key("Revised September 29, 2020");
        assert_eq!(key, DATE_LINE_KEY);
        assert_eq!(editorial_key("_Effective January 1, 2021_"), key);
        assert_eq!(editorial_key("*   Last update: August 3, 2021"), key);
        assert_eq!(editorial_key("更新日期：2023年10月12日"), key);
        assert_eq!(editorial_key("Dernière mise à jour : 01 novembre 2024"), key);
        // A sentence with a date is no date line.
        assert_ne!(editorial_key("We delete your data on January 1, 2021"), key);
        assert_ne!(editorial_key("Revised terms apply from January 1, 2021"), key);
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
    fn the_quick_alphanumeric_test_is_the_standard_one() {
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn key_and_match_text_are_the_two_views() {
        for text in [
            "我们会收集您的设备信息（IMEI、OAID），保存180天。",
            "3、We don't share it <!-- draft --> with <b>advertisers</b> before 2024-01-05.",
            "Use {% data variables.product.github %} <br/> now",
            "a < b and c > d, but <not a tag",
            "",
        ] {
            assert_eq!(key_and_match_text(text), (editorial_key(text), match_text(text)), "{text}");
        }
    }

    #[test]
    fn the_plain_path_normalises_like_nfkc() {
        // Every character the plain path accepts maps as NFKC and lower-casing would map it.
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            if let Some(fast) = plain_lower(c) {
                let slow: String = c.to_string().nfkc().flat_map(char::to_lowercase).collect();
                assert_eq!(fast.to_string(), slow, "U+{:04X}", c as u32);
            }
        }
        let mixed =
            "我们（ＡＢＣ公司）收集您的Ｅ-mail、“位置”信息：180天。\u{3000}Done — “OK”·【注】";
        let slow: String = mixed.nfkc().flat_map(char::to_lowercase).collect();
        assert_eq!(canonical_lower(mixed), slow);
        // A combining mark after a plain letter takes the general path and composes.
        assert_eq!(canonical_lower("Cafe\u{301}，"), "caf\u{e9},");
    }

    #[test]
    fn durations_compare_in_days() {
        assert_eq!(editorial_key("保存180天"), editorial_key("保存6个月"));
        assert_ne!(editorial_key("30日内"), editorial_key("30个工作日内"));
        assert_eq!(durations("15个工作日内"), vec![21.0]);
        assert_eq!(durations("十五天"), vec![15.0]);
        assert_eq!(durations("更新日期：2023年10月12日"), Vec::<f64>::new());
        assert_eq!(chinese_number("一百八十"), Some(180.0));
        assert_eq!(durations("conservées pendant 12 mois, puis 3 ans"), vec![360.0, 1095.0]);
        assert_eq!(
            durations("für 6 Monate, höchstens 2 Jahre oder 30 Tage"),
            vec![180.0, 730.0, 30.0]
        );
        assert_eq!(durations("1 an"), vec![365.0]);
        // Numbers written as words, in three languages.
        assert_eq!(durations("for up to five years"), vec![1825.0]);
        assert_eq!(durations("noch zwölf monate lang"), vec![360.0]);
        assert_eq!(durations("est de treize mois"), vec![390.0]);
        assert_eq!(durations("un analyste"), Vec::<f64>::new());
        assert!(names_number_word("für Zwölf Monate"));
        assert!(!names_number_word("under until fund account"));
        assert_eq!(durations("10 answers in 2 tags"), Vec::<f64>::new());
        // Ages are no periods.
        assert_eq!(durations("Kinder unter 13 Jahren; gespeichert 30 Tage"), vec![30.0]);
        assert_eq!(durations("enfants de moins de 15 ans"), Vec::<f64>::new());
        assert_eq!(durations("children under 13 years of age"), Vec::<f64>::new());
        assert_eq!(durations("we keep it for 2 years"), vec![730.0]);
        assert_eq!(durations("we keep your personal data for 2 years"), vec![730.0]);
        assert_eq!(durations("不满14周岁的儿童"), Vec::<f64>::new());
        assert_eq!(durations("网络日志留存不少于6个月"), vec![180.0]);
        assert_eq!(durations("注销满30天后删除"), vec![30.0]);
    }

    #[test]
    fn dates_and_durations_are_scanned() {
        let q = |t: &str| {
            quantities(t)
                .into_iter()
                .map(|f| (t[f.start..f.end].to_string(), f.kind))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            q("更新日期：2023年10月12日"),
            vec![("2023年10月12日".into(), Quantity::Date(2023, 10, Some(12)))]
        );
        assert_eq!(
            q("effective january 26, 2017."),
            vec![("january 26, 2017".into(), Quantity::Date(2017, 1, Some(26)))]
        );
        assert_eq!(
            q("on 26 january 2017"),
            vec![("26 january 2017".into(), Quantity::Date(2017, 1, Some(26)))]
        );
        assert_eq!(q("2024-01-03"), vec![("2024-01-03".into(), Quantity::Date(2024, 1, Some(3)))]);
        assert_eq!(q("2024年1月"), vec![("2024年1月".into(), Quantity::Date(2024, 1, None))]);
        assert_eq!(
            q("在15\u{a0}个工作日内"),
            vec![("15\u{a0}个工作日".into(), Quantity::Duration(21.0))]
        );
        assert_eq!(q("保留6个月"), vec![("6个月".into(), Quantity::Duration(180.0))]);
        assert_eq!(
            q("for 30 days or 2 years"),
            vec![
                ("30 days".into(), Quantity::Duration(30.0)),
                ("2 years".into(), Quantity::Duration(730.0))
            ]
        );
        assert_eq!(q("section 3 daily, 4 dayz, v2 days"), vec![]);
    }

    #[test]
    fn composed_and_decomposed_forms_are_one_text() {
        let composed = "Dernière mise à jour : données collectées";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(composed, decomposed);
        assert_eq!(editorial_key(composed), editorial_key(&decomposed));
        assert_eq!(match_text(composed), match_text(&decomposed));
    }

    #[test]
    fn contractions_and_pronouns_are_the_same_words() {
        assert_eq!(editorial_key("We don't sell data"), editorial_key("We do not sell data"));
        assert_eq!(editorial_key("we won’t share it"), editorial_key("We will not share it"));
        assert_eq!(editorial_key("You can't opt out"), editorial_key("You cannot opt out"));
        assert_eq!(match_text("It doesn't; we'll"), "it does not; we will");
        assert_eq!(match_text("you can not"), "you cannot");
        // A possessive is not a contraction.
        assert_eq!(match_text("the user's data"), "the user's data");
        assert_eq!(editorial_key("你可以联系我们"), editorial_key("您可以联系我们"));
        assert_ne!(editorial_key("we do share"), editorial_key("we don't share"));
    }

    #[test]
    fn dates_in_other_formats_and_languages() {
        let date = |t: &str| {
            quantities(t)
                .into_iter()
                .map(|f| (t[f.start..f.end].to_string(), f.kind))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            date("last updated: 11/26/2020"),
            vec![("11/26/2020".into(), Quantity::Date(2020, 11, Some(26)))]
        );
        assert_eq!(
            date("stand: 15.03.2025"),
            vec![("15.03.2025".into(), Quantity::Date(2025, 3, Some(15)))]
        );
        assert_eq!(
            date("dernière mise à jour : 01 novembre 2024"),
            vec![("01 novembre 2024".into(), Quantity::Date(2024, 11, Some(1)))]
        );
        assert_eq!(
            date("stand: 1. januar 2024"),
            vec![("1. januar 2024".into(), Quantity::Date(2024, 1, Some(1)))]
        );
        assert_eq!(
            date("15. märz 2025"),
            vec![("15. märz 2025".into(), Quantity::Date(2025, 3, Some(15)))]
        );
        assert_eq!(
            date("1er décembre 2025"),
            vec![("1er décembre 2025".into(), Quantity::Date(2025, 12, Some(1)))]
        );
        assert_eq!(
            date("1 de enero de 2024"),
            vec![("1 de enero de 2024".into(), Quantity::Date(2024, 1, Some(1)))]
        );
        assert_eq!(
            date("stand: januar 2024"),
            vec![("januar 2024".into(), Quantity::Date(2024, 1, None))]
        );
        assert_eq!(
            editorial_key("Dernière mise à jour : 01 novembre 2024"),
            editorial_key("Dernière mise à jour : 03 décembre 2025")
        );
        assert_eq!(editorial_key("Stand: 1. Januar 2024"), editorial_key("Stand: 15. März 2025"));
        assert_eq!(
            editorial_key("Last updated: 11/26/2020"),
            editorial_key("Last updated: 11/03/2022")
        );
        // The effective date written as a sentence is a date line; a sentence that says more
        // is not.
        assert_eq!(
            editorial_key(
                "This Privacy Policy applies from January 17, 2022. The previous version of this \
                 Privacy Policy, available here, will apply until then."
            ),
            DATE_LINE_KEY
        );
        assert_eq!(
            editorial_key("This Privacy Policy applies from December 19, 2022."),
            DATE_LINE_KEY
        );
        assert_ne!(
            editorial_key(
                "This Privacy Policy applies from December 19, 2022 to all users in Europe."
            ),
            DATE_LINE_KEY
        );
        // Numbers written as words.
        assert_eq!(
            editorial_key("We keep support messages for one year."),
            editorial_key("We keep support messages for 1 year.")
        );
        assert_ne!(
            editorial_key("We keep support messages for one year."),
            editorial_key("We keep support messages for three years.")
        );
        assert_eq!(editorial_key("someone"), "someone");
        // Not dates: a section number, a version, a sum.
        assert_eq!(date("see 1.1. and 2.1 and version 3.2.1"), vec![]);
        assert_eq!(date("we may 2 times"), vec![]);
    }

    #[test]
    fn decimals_survive() {
        assert_ne!(editorial_key("15.5"), editorial_key("155"));
    }

    #[test]
    fn enumerators_are_looked_for_only_where_one_can_start() {
        // The first-character test must never skip a text the pattern strips.
        let cases = [
            ("1、我们收集", "我们收集"),
            ("（一）个人信息", "个人信息"),
            ("(a) we collect", "we collect"),
            ("  2、第三方", "第三方"),
            ("3.1 第三方", "1 第三方"),
            ("十、联系我们", "联系我们"),
            ("\u{3000}● 设备信息", "设备信息"),
            ("◆ 广告", "广告"),
            ("我们收集 1、2", "我们收集 1、2"),
            ("百、不是序号", "百、不是序号"),
            ("“1、”", "“1、”"),
            ("", ""),
        ];
        for (text, stripped) in cases {
            assert_eq!(strip_enumerator(text), stripped, "{text:?}");
            let by_pattern = match ENUMERATOR.find(text) {
                Some(m) if m.end() < text.len() => &text[m.end()..],
                _ => text,
            };
            assert_eq!(strip_enumerator(text), by_pattern, "{text:?}");
        }
    }

    #[test]
    fn match_text_keeps_punctuation_and_joins_cjk() {
        assert_eq!(match_text("我们 不会\n 共享，Will  Not"), "我们不会共享,will not");
    }

    #[test]
    fn age_limits_are_read_in_four_languages_and_only_about_children() {
        assert_eq!(age_limits("StrideFit is not intended for children under 16."), vec![16]);
        assert_eq!(age_limits("Unsere App richtet sich auch an Kinder ab 10 Jahren."), vec![10]);
        assert_eq!(age_limits("不满十四周岁的未成年人"), vec![14]);
        assert_eq!(
            age_limits("Nous ne collectons pas les données des enfants de moins de 15 ans."),
            vec![15]
        );
        assert!(age_limits("We keep logs for under 30 days.").is_empty());
    }

    #[test]
    fn a_period_of_inactivity_is_told_from_a_retention_period() {
        assert_eq!(
            inactivity_periods("If you do not sign in for 24 months, we delete your account."),
            vec![720.0]
        );
        assert!(inactivity_periods("We keep your data for 24 months.").is_empty());
    }
}
