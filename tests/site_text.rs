//! The Chinese pages speak Chinese: the visible text of every Chinese page of a published site
//! and of its preview, outside the policy text itself, has no Latin letters but those of an
//! allowlist (version numbers have none; SDK and company names, law abbreviations, the product's
//! name, file names, "English" in the language switcher) and no half-width colon or parenthesis
//! (`版本：`, `（…）`). Text a page quotes (“…”, 《…》, 「…」) is the policy's own words and is
//! exempt.
//!
//! Pages are read with html5ever's tokenizer (the HTML parser ammonia already uses), so entities,
//! attributes and text come out as a browser reads them, not as a regular expression guesses.

mod site_fixture;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use site_fixture::{Fixture, tree};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// Latin words a Chinese page may show outside the policy text, and why.
const ALLOWED: &[&str] = &[
    // The language switcher and the downloads list name each language in itself.
    "English",
    // The product that generates the site (footer), the feed format, the manifest's file name.
    "redline",
    "Atom",
    "consent.json",
    // The policy's time zone, as the as-of page states it (an IANA name).
    "Asia/Shanghai",
    // The raw source files offered for download.
    "privacy.zh-CN.md",
    "privacy.en.md",
    // SDK and company names and identifiers the findings and notes name.
    "SDK",
    "OAID",
    "IDFA",
    "APP",
    "App",
    "app",
    // Law abbreviations a finding may cite.
    "PIPL",
    "GDPR",
];

/// Elements whose text is the policy's (or no text at all): skipped whole. `in_sec`: the
/// element is a child of a redline page's `<section class="sec">`.
fn skipped(name: &str, class: &str, in_sec: bool) -> bool {
    let classes: Vec<&str> = class.split_whitespace().collect();
    match name {
        "head" | "script" | "style" => true,
        // The policy on a version page.
        "article" => classes.contains(&"policy"),
        // The policy's words on a redline page: block text, table cells (not the change
        // column), section headings.
        "p" => classes.contains(&"text"),
        "td" | "th" => !classes.contains(&"mk"),
        "h2" | "h3" | "h4" | "h5" | "h6" => in_sec,
        _ => false,
    }
}

/// A link to a section of the policy (`#s-…`: the table of contents, a finding's section)
/// carries the section's heading, the policy's words.
fn names_a_section(name: &str, href: &str) -> bool {
    name == "a" && href.starts_with("#s-")
}

/// Collects a page's `lang`, its visible text outside the skipped elements (one string per run
/// of characters) and the `aria-label` and `alt` a screen reader reads.
#[derive(Default)]
struct Text {
    lang: Option<String>,
    texts: Vec<String>,
    /// The element being skipped and how deep inside elements of its name we are.
    skipping: Option<(String, usize)>,
    /// For each open `<section>`: whether it is a redline section (`class="sec"`).
    sections: Vec<bool>,
    /// The last token was text (the next run continues the same string).
    in_text: bool,
}

struct Sink(RefCell<Text>);

fn attr(tag: &html5ever::tokenizer::Tag, name: &str) -> String {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| a.value.to_string())
        .unwrap_or_default()
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut t = self.0.borrow_mut();
        let text = matches!(token, Token::CharacterTokens(_));
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                let start = tag.kind == TagKind::StartTag;
                if let Some((skip, depth)) = &mut t.skipping {
                    if *skip == name && !tag.self_closing {
                        if start {
                            *depth += 1;
                        } else {
                            *depth -= 1;
                        }
                    }
                    if *depth == 0 {
                        t.skipping = None;
                    }
                    return TokenSinkResult::Continue;
                }
                if !start {
                    if name == "section" {
                        t.sections.pop();
                    }
                    return TokenSinkResult::Continue;
                }
                if name == "html" {
                    t.lang = Some(attr(&tag, "lang"));
                }
                let class = attr(&tag, "class");
                let in_sec = t.sections.last() == Some(&true);
                if skipped(&name, &class, in_sec) || names_a_section(&name, &attr(&tag, "href")) {
                    t.skipping = Some((name, 1));
                    return TokenSinkResult::Continue;
                }
                for a in ["aria-label", "alt"] {
                    let v = attr(&tag, a);
                    if !v.is_empty() {
                        t.texts.push(v);
                    }
                }
                if name == "section" {
                    t.sections.push(class.split_whitespace().any(|c| c == "sec"));
                }
            }
            Token::CharacterTokens(chars) if t.skipping.is_none() => match t.in_text {
                true => t.texts.last_mut().unwrap().push_str(&chars),
                false => t.texts.push(chars.to_string()),
            },
            _ => {}
        }
        t.in_text = text && t.skipping.is_none();
        TokenSinkResult::Continue
    }
}

/// The `lang` of `html` and its visible text outside the policy's (see [`skipped`]).
fn visible_text(html: &str) -> (Option<String>, Vec<String>) {
    let tokenizer = Tokenizer::new(Sink(RefCell::new(Text::default())), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let t = tokenizer.sink.0.into_inner();
    (t.lang, t.texts)
}

/// `text` without what it quotes: “…”, 《…》, 「…」.
fn unquoted(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '“' | '《' | '「' => depth += 1,
            '”' | '》' | '」' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The problems of one piece of a Chinese page's text: Latin words not allowed, half-width
/// colons and parentheses (a colon between digits, as in 00:00, is a time).
fn problems(text: &str) -> Vec<String> {
    let text = unquoted(text);
    let mut out = Vec::new();
    let word = regex::Regex::new(r"[A-Za-z][A-Za-z0-9._/-]*[A-Za-z0-9]|[A-Za-z]").unwrap();
    for m in word.find_iter(&text) {
        if !ALLOWED.contains(&m.as_str()) {
            out.push(format!("Latin “{}” in “{}”", m.as_str(), text.trim()));
        }
    }
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let time = c == ':'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if matches!(c, ':' | '(' | ')') && !time {
            out.push(format!("half-width “{c}” in “{}”", text.trim()));
        }
    }
    out
}

/// Every Chinese page of `dir`: (path, problems).
fn chinese_pages(dir: &std::path::Path) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for (path, bytes) in tree(dir) {
        if !path.ends_with(".html") {
            continue;
        }
        let (lang, texts) = visible_text(&String::from_utf8(bytes).unwrap());
        if lang.as_deref() != Some("zh-CN") {
            continue;
        }
        let mut found: Vec<String> = texts.iter().flat_map(|t| problems(t)).collect();
        found.dedup();
        out.insert(path, found);
    }
    out
}

#[test]
fn the_checker_sees_what_it_must() {
    assert!(problems("版本：2.0.1（2027年1月15日）").is_empty());
    assert!(problems("自生效日 00:00 起；查看 English 版本").is_empty());
    assert!(problems("删除了“We collect your location”一句").is_empty(), "quoted");
    assert_eq!(problems("版本: 2.0.1").len(), 1);
    assert_eq!(problems("（2027-01-15)").len(), 1);
    assert_eq!(problems("Draft 草稿").len(), 1);
    assert_eq!(problems("criteria Decision 3").len(), 2);
    // The policy's own text is skipped, the page's is not.
    let page = "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>Privacy</title></head><body>\
        <p>版本 Draft</p><article class=\"policy\"><p>Policy text</p></article>\
        <section class=\"sec\"><h3>Heading</h3><p class=\"text\">Block</p><table><tr><td>Cell</td>\
        <td class=\"mk\">row added</td></tr></table></section></body></html>";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), page).unwrap();
    let found = &chinese_pages(dir.path())["index.html"];
    let words: Vec<&str> =
        found.iter().map(|p| p.split('“').nth(1).unwrap().split('”').next().unwrap()).collect();
    assert_eq!(words, ["Draft", "row", "added"], "{found:?}");
}

#[test]
fn chinese_pages_have_no_latin_ui_text() {
    let f = Fixture::published_site();
    f.build_published_and_preview();
    let mut checked = 0;
    let mut report = String::new();
    for dir in ["site", "preview"] {
        for (path, found) in chinese_pages(&f.root().join(dir)) {
            checked += 1;
            for p in found {
                report.push_str(&format!("{dir}/{path}: {p}\n"));
            }
        }
    }
    // Every page type, in both sites: index, versions, redlines, history, as-of, comparisons,
    // changes-since, the draft and its redline.
    assert!(checked >= 40, "{checked} Chinese pages");
    assert!(report.is_empty(), "Chinese pages with Latin or half-width UI text:\n{report}");
}
