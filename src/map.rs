//! `redline map`: which data practices each section and block of a policy describes.
//!
//! The categories are the practice categories of the criteria (`[[categories]]` with
//! `practice = true`: the eleven of CAPP-130 plus `cross_border`), and the knowledge is the one
//! the classifier uses: the same heading and term lexicons ([`heading_categories`],
//! [`text_categories`]) and the same `[sections]` pins. `lint`'s completeness checks read this map.
//!
//! How a block gets its categories:
//!
//! 1. **Section context.** Walking from the block's section up to the top, the first section
//!    that is pinned in `[sections]` gives its pins; otherwise the first whose title names a
//!    category (heading lexicons, `yields_to` applied) gives those. The innermost heading wins:
//!    `3.7 设备权限调用` under `三、我们如何收集和使用` is about permissions, unless an ancestor's
//!    category `covers` it: `为您提供安全保障` under the collection chapter names a purpose, not
//!    a practice, and `相机权限` under `您的权利` is a right.
//! 2. **Table header.** A table row adds the categories its table's first header cell names
//!    (`接入第三方SDK` → sharing).
//! 3. **Sentences.** The block is split into sentences ([`sentences`]). Each sentence takes the
//!    context, less a category its own terms displace (`displaced_by`: a sentence naming a
//!    permission and no collection inside a collection chapter is about the permission), plus
//!    the `terms_add` categories its terms signal (a purpose named inside a collection clause);
//!    in a block that no heading categorises, a sentence takes every category its terms signal.
//! 4. **Share.** The block keeps the categories more than a third of its sentences have
//!    ([`MIN_SHARE`]), so one passing mention does not label a whole paragraph.
//!
//! The map reports both: each block's categories after the vote, and each of its sentences with
//! the categories it has before it ([`MappedSentence`]), so a reader sees which sentence of a
//! paragraph is about sharing and which about storage.
//!
//! In a Chinese document the eleven practice categories of CAPP-130 come from the learned model
//! instead ([`crate::learned`]), outside pinned sections: each sentence of a block and the block
//! read whole vote, and the block keeps the categories with a majority of the votes (see
//! [`LINE_VOTE`]); the lexicons keep the other categories (cross-border transfer) and a table
//! row keeps what its header names. A sentence's categories are then the model's reading of it
//! (with its headings, neighbouring sentences and position, as the model was trained), the
//! lexicons' other categories for it, and its table header's.
//!
//! Plain text has no headings to read, so [`outline`] infers them: short lines numbered in one
//! of the usual styles (`一、`, `（一）`, `1.`, `1.1`, `(1)`, `1)`, `a.`, `第一条`, `•`, `【…】`)
//! that do not end like a sentence are headings, nested by the order in which the styles first
//! appear (dotted numbers by their depth); a numbered line right after a list item of the same
//! style is a list item too. A short unnumbered question standing alone (`我们会收集哪些个人信息？`)
//! is a heading as well, and a table of contents ends where its numbering starts again. Every
//! non-empty line stays a block, heading lines included.

use crate::classify::{heading_categories, text_categories};
use crate::document::{Block, BlockKind, Document, Format, PREAMBLE_ID, Section, slugify};
use crate::learned::{CATEGORIES, Model, block_units, document_units};
use crate::rules::Criteria;
use regex::Regex;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

/// The map schema this crate writes.
pub const MAP_SCHEMA: &str = "redline.map/2";

/// A heading line longer than this (in chars) is never inferred as a heading in plain text.
pub const MAX_HEADING_CHARS: usize = 40;

/// The practice map of one document (`redline map --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct PracticeMap {
    /// Always [`MAP_SCHEMA`].
    pub schema: &'static str,
    /// The file the document was read from.
    pub path: String,
    /// `markdown` or `plain_text`.
    pub format: Format,
    /// The sections in document order (the preamble first, when it has blocks).
    pub sections: Vec<MappedSection>,
}

/// One section and the practices it describes.
#[derive(Debug, Clone, Serialize)]
pub struct MappedSection {
    /// The section id (explicit, derived from the title, or `_preamble`).
    pub id: String,
    /// The title without its number (empty for the preamble).
    pub title: String,
    /// The display number as written, if any.
    pub number: Option<String>,
    /// Heading level 1–6 (0 for the preamble; inferred levels in plain text).
    pub level: u8,
    /// 1-based line of the heading.
    pub line: usize,
    /// Its context categories (pins or headings), or the union of its blocks' when it has none.
    pub categories: BTreeSet<String>,
    /// Its blocks.
    pub blocks: Vec<MappedBlock>,
}

/// One block and the practices it describes.
#[derive(Debug, Clone, Serialize)]
pub struct MappedBlock {
    /// The block's plain text (table cells joined with ` | `).
    pub text: String,
    /// 1-based first line.
    pub line: usize,
    /// Its categories: what its sentences say by vote (see the module documentation).
    pub categories: BTreeSet<String>,
    /// Its sentences ([`sentences`]), in order, each with the categories it has before the vote.
    pub sentences: Vec<MappedSentence>,
}

/// One sentence of a block and the practices it describes on its own, read in its context (the
/// block's headings and table header; for the learned path also its neighbours and position).
#[derive(Debug, Clone, Serialize)]
pub struct MappedSentence {
    /// The sentence, trimmed.
    pub text: String,
    /// Its categories (what it contributes to its block's vote).
    pub categories: BTreeSet<String>,
}

impl PracticeMap {
    /// The map as pretty JSON (with a trailing newline).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a map serialises");
        s.push('\n');
        s
    }

    /// A readable listing: each section with its categories, then each block's line and
    /// categories, its text shortened to `width` chars, and under a block each of its sentences
    /// whose own categories differ from the block's (marked `·`, shortened likewise).
    pub fn to_text(&self, width: usize) -> String {
        let mut out = String::new();
        for s in &self.sections {
            let head = if s.id == PREAMBLE_ID {
                "(preamble)".to_string()
            } else {
                let number = s.number.as_deref().map(|n| format!("{n} ")).unwrap_or_default();
                format!("{number}{} {{#{}}}", s.title, s.id)
            };
            out.push_str(&format!("{:>5}  {head}  [{}]\n", s.line, join(&s.categories)));
            for b in &s.blocks {
                out.push_str(&format!(
                    "{:>5}    [{}] {}\n",
                    b.line,
                    join(&b.categories),
                    shorten(&b.text, width)
                ));
                for sentence in b.sentences.iter().filter(|x| x.categories != b.categories) {
                    out.push_str(&format!(
                        "{:>5}      · [{}] {}\n",
                        "",
                        join(&sentence.categories),
                        shorten(&sentence.text, width)
                    ));
                }
            }
        }
        out
    }

    /// The sections whose categories include `category`.
    pub fn sections_in<'a>(
        &'a self,
        category: &'a str,
    ) -> impl Iterator<Item = &'a MappedSection> + 'a {
        self.sections.iter().filter(move |s| s.categories.contains(category))
    }

    /// Every block (with its section) whose categories include `category`.
    pub fn blocks_in<'a>(
        &'a self,
        category: &'a str,
    ) -> impl Iterator<Item = (&'a MappedSection, &'a MappedBlock)> + 'a {
        self.sections.iter().flat_map(move |s| {
            s.blocks.iter().filter(move |b| b.categories.contains(category)).map(move |b| (s, b))
        })
    }
}

/// `text` on one line (line breaks as spaces), cut to `width` chars with `…` when longer.
fn shorten(text: &str, width: usize) -> String {
    let text = text.replace('\n', " ");
    let mut short: String = text.chars().take(width).collect();
    if text.chars().count() > width {
        short.push('…');
    }
    short
}

fn join(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// Maps `doc`'s sections and blocks to practice categories under `criteria` (plain text is
/// outlined first, see [`outline`]).
pub fn map_document(doc: &Document, criteria: &Criteria) -> PracticeMap {
    map_with(doc, criteria, Some(Model::embedded()))
}

/// Maps `doc` like [`map_document`], with `model` in place of the embedded one for a Chinese
/// document (how a model trained without some policies is measured on them through the whole
/// map).
pub fn map_document_with_model(doc: &Document, criteria: &Criteria, model: &Model) -> PracticeMap {
    map_with(doc, criteria, Some(model))
}

/// Maps `doc` like [`map_document`] but with the lexicons only, whatever its language (how an
/// English document is always mapped).
pub fn map_document_lexicons(doc: &Document, criteria: &Criteria) -> PracticeMap {
    map_with(doc, criteria, None)
}

fn map_with(doc: &Document, criteria: &Criteria, model: Option<&Model>) -> PracticeMap {
    let outlined;
    let doc = if doc.format == Format::PlainText {
        outlined = outline(doc);
        &outlined
    } else {
        doc
    };
    let practice: HashSet<&str> =
        criteria.categories.iter().filter(|c| c.practice).map(|c| c.id.as_str()).collect();
    let keep = |set: BTreeSet<String>| -> BTreeSet<String> {
        set.into_iter().filter(|c| practice.contains(c.as_str())).collect()
    };
    // Sections the criteria pin (or one under them) keep their pins: the model skips them.
    let pinned_sections: HashSet<usize> = (0..doc.sections.len())
        .filter(|&i| {
            doc.ancestry(i).iter().any(|&a| criteria.sections.contains_key(&doc.sections[a].id))
        })
        .collect();
    let learned =
        model.filter(|_| is_chinese(doc)).map(|m| learned_blocks(doc, &pinned_sections, m));
    let mut sections = Vec::new();
    for (index, section) in doc.sections.iter().enumerate() {
        if index == 0 && section.blocks.is_empty() {
            continue;
        }
        // A section pinned or titled as something other than a practice (definitions) is still
        // categorised: its blocks do not fall back to their terms.
        let named = context_categories(doc, index, criteria);
        let pinned = pinned_sections.contains(&index);
        let categorised = !named.is_empty();
        let context = keep(named);
        let mut blocks = Vec::new();
        for (b, block) in section.blocks.iter().enumerate() {
            let mut cats = context.clone();
            let mut header = BTreeSet::new();
            if let Some(t) = block.table
                && matches!(block.kind, BlockKind::TableRow)
                && let Some(first) = section.tables[t].header.first()
            {
                header = keep(heading_categories(first, criteria));
                cats.extend(header.iter().cloned());
            }
            let read = sentence_categories(&block.text, &cats, categorised, criteria);
            let mut categories = share_vote(read.iter().map(|(_, c)| c));
            let mut sentences: Vec<MappedSentence> = read
                .into_iter()
                .map(|(text, categories)| MappedSentence { text: text.to_string(), categories })
                .collect();
            if let Some(learned) = learned.as_ref().filter(|_| !pinned) {
                // The model decides the eleven practice categories; the lexicons keep the others
                // (cross-border transfer), and a table row keeps what its header names (the
                // model never saw a table: the corpus flattens them). So for each sentence.
                let read = learned.get(&(index, b));
                let learned_set = |bits: u16| -> BTreeSet<String> { keep(bit_names(bits)) };
                categories.retain(|c| !CATEGORIES.contains(&c.as_str()));
                categories.extend(learned_set(read.map_or(0, |r| r.block)));
                categories.extend(header.iter().cloned());
                for (k, sentence) in sentences.iter_mut().enumerate() {
                    let bits = read.and_then(|r| r.sentences.get(k)).copied().unwrap_or(0);
                    sentence.categories.retain(|c| !CATEGORIES.contains(&c.as_str()));
                    sentence.categories.extend(learned_set(bits));
                    sentence.categories.extend(header.iter().cloned());
                }
            }
            blocks.push(MappedBlock {
                text: block.text.clone(),
                line: block.line,
                categories,
                sentences,
            });
        }
        let categories = if context.is_empty() {
            blocks.iter().flat_map(|b| b.categories.iter().cloned()).collect()
        } else {
            context
        };
        sections.push(MappedSection {
            id: section.id.clone(),
            title: section.title.clone(),
            number: section.number.clone(),
            level: section.level,
            line: section.line,
            categories,
            blocks,
        });
    }
    PracticeMap { schema: MAP_SCHEMA, path: doc.path.clone(), format: doc.format, sections }
}

/// Whether a document is Chinese: its front matter's `lang` starts with `zh`, or, without one,
/// Han characters make up at least 30 % of its letters.
pub fn is_chinese(doc: &Document) -> bool {
    if let Some(lang) = doc.field("lang") {
        return lang.to_ascii_lowercase().starts_with("zh");
    }
    let (mut han, mut letters) = (0usize, 0usize);
    for c in doc.text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF) {
            han += 1;
        }
    }
    letters > 0 && han * 10 >= letters * 3
}

/// What the model says of one block: its categories after the vote and each sentence's before
/// it (bit sets over [`CATEGORIES`]).
#[derive(Debug, Clone, Default)]
struct LearnedBlock {
    /// The block's categories.
    block: u16,
    /// Each sentence's categories, in the order of [`sentences`].
    sentences: Vec<u16>,
}

/// The names of the categories of a bit set over [`CATEGORIES`].
fn bit_names(bits: u16) -> BTreeSet<String> {
    (0..CATEGORIES.len())
        .filter(|k| bits & (1 << k) != 0)
        .map(|k| CATEGORIES[k].to_string())
        .collect()
}

/// The learned categories of every block of `doc` (plain text already outlined) outside the
/// sections in `skip`, keyed by `(section index, block index)`, from `model`
/// ([`crate::learned`]), which reads each sentence of a block ([`document_units`]) and the
/// block as a whole ([`block_units`]). Each sentence's categories are the model's reading of it
/// in context ([`Model::decide`]: none for a sentence the `practice` output rejects).
///
/// A category gets a vote from each practice sentence that has it ([`LINE_VOTE`] weighs
/// them) and from the whole block, and the block keeps it when its votes reach the majority:
/// with `n` practice sentences, `have` of them with the category and the whole block naming
/// it or not (`whole` 1 or 0), when `(D − V)·have + V·n·whole > D·n/2` for `LINE_VOTE` = V/D.
/// So a category the whole block names needs a third of the sentences, any other two thirds.
/// When none passes, a block that describes a practice (the `practice` output passes for one of
/// its sentences or for the whole block) keeps those with the most votes; when no sentence has a
/// category, such a block keeps what the whole block names. A block that describes no practice
/// (a date line, a note to the reader) keeps only what a majority gives it.
fn learned_blocks(
    doc: &Document,
    skip: &HashSet<usize>,
    model: &Model,
) -> HashMap<(usize, usize), LearnedBlock> {
    // Per block: each sentence's categories, and whether any sentence describes a practice.
    let mut per_block: HashMap<(usize, usize), (Vec<u16>, bool)> = HashMap::new();
    for (at, unit) in document_units(doc).iter().filter(|(at, _)| !skip.contains(&at.0)) {
        let p = model.probabilities(unit);
        let entry = per_block.entry(*at).or_default();
        entry.0.push(model.decide(&p, false));
        entry.1 |= model.practice(&p);
    }
    let (v, d) = LINE_VOTE;
    block_units(doc)
        .into_iter()
        .filter(|(at, _)| !skip.contains(&at.0))
        .map(|(at, unit)| {
            let p = model.probabilities(&unit);
            let whole = model.decide(&p, false);
            let (sets, sentence_practice) = per_block.remove(&at).unwrap_or_default();
            // Only a block that describes a practice falls back on its likeliest category.
            let practice = sentence_practice || model.practice(&p);
            let voters: Vec<u16> = sets.iter().copied().filter(|s| *s != 0).collect();
            let n = voters.len();
            // Twice the votes, against the whole D·n.
            let votes: Vec<usize> = (0..CATEGORIES.len())
                .map(|k| {
                    let have = voters.iter().filter(|s| *s & (1 << k) != 0).count();
                    let named = usize::from(whole & (1 << k) != 0);
                    2 * ((d - v) * have + v * n * named)
                })
                .collect();
            let most = votes.iter().copied().max().unwrap_or(0);
            let block = (0..CATEGORIES.len())
                .filter(|&k| {
                    if n == 0 {
                        return practice && whole & (1 << k) != 0;
                    }
                    votes[k] > d * n || (practice && most <= d * n && most > 0 && votes[k] == most)
                })
                .fold(0u16, |set, k| set | 1 << k);
            (at, LearnedBlock { block, sentences: sets })
        })
        .collect()
}

/// The weight (numerator, denominator) of the whole block's vote in [`learned_blocks`]
/// against its sentences': a quarter, chosen on CAPP-130's development part, each policy mapped
/// by a model trained without its fold (no vote, a sixth, a quarter, a third and a half tried:
/// 0.780, 0.782, 0.783, 0.782 and 0.782 macro-F1).
pub const LINE_VOTE: (usize, usize) = (1, 4);

/// The categories of one block, decided sentence by sentence ([`sentence_categories`]): the
/// block keeps the categories more than a third of its sentences have ([`MIN_SHARE`]), so a line
/// that names a permission in one of five sentences is not about permissions.
pub fn block_categories(
    text: &str,
    context: &BTreeSet<String>,
    categorised: bool,
    criteria: &Criteria,
) -> BTreeSet<String> {
    share_vote(sentence_categories(text, context, categorised, criteria).iter().map(|(_, c)| c))
}

/// Each sentence of a block ([`sentences`]) with the categories the lexicons give it.
///
/// A sentence takes the block's `context` (its section's categories and its table's), less
/// a category one of whose `displaced_by` categories the sentence's own terms signal while they
/// do not signal it, plus the `terms_add` categories its terms signal; a sentence of a block
/// that nothing categorises (`categorised` false and no context) takes every practice category
/// its terms signal.
pub fn sentence_categories<'t>(
    text: &'t str,
    context: &BTreeSet<String>,
    categorised: bool,
    criteria: &Criteria,
) -> Vec<(&'t str, BTreeSet<String>)> {
    let category = |id: &str| criteria.category(id);
    let practice = |id: &str| category(id).is_some_and(|c| c.practice);
    sentences(text)
        .into_iter()
        .map(|sentence| {
            let signalled: BTreeSet<String> =
                text_categories(sentence, criteria).into_iter().filter(|c| practice(c)).collect();
            if context.is_empty() && !categorised {
                return (sentence, signalled);
            }
            let mut cats: BTreeSet<String> = context
                .iter()
                .filter(|c| {
                    signalled.contains(*c)
                        || !category(c)
                            .is_some_and(|c| c.displaced_by.iter().any(|d| signalled.contains(d)))
                })
                .cloned()
                .collect();
            cats.extend(signalled.into_iter().filter(|c| category(c).is_some_and(|c| c.terms_add)));
            (sentence, cats)
        })
        .collect()
}

/// The categories more than [`MIN_SHARE`] of `per_sentence` have.
fn share_vote<'a>(per_sentence: impl Iterator<Item = &'a BTreeSet<String>>) -> BTreeSet<String> {
    let mut n = 0;
    let mut counts: std::collections::BTreeMap<&String, usize> = std::collections::BTreeMap::new();
    for cats in per_sentence {
        n += 1;
        for c in cats {
            *counts.entry(c).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|&(_, k)| k * MIN_SHARE.1 > n * MIN_SHARE.0)
        .map(|(c, _)| c.clone())
        .collect()
}

/// A block keeps a category when more than this share (numerator, denominator) of its
/// sentences have it. One third was chosen on the development part of CAPP-130: half loses the
/// second of two topics a line often mixes, any single sentence lets a passing mention decide.
pub const MIN_SHARE: (usize, usize) = (1, 3);

/// The sentences of a block's text: split after `。！？；` and `!?;`, and after a `.` that ends a
/// word and is followed by white space (not the `.` of `1. ` or `a. `); pieces without a letter
/// or digit (a lone `）`) join the sentence before them. Returns at least one piece (the whole
/// text when it has no such mark), trimmed.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut push = |start: usize, end: usize| {
        let piece = &text[start..end];
        if piece.trim().is_empty() {
            return;
        }
        match ranges.last_mut() {
            Some(last) if !piece.chars().any(char::is_alphanumeric) => last.1 = end,
            _ => ranges.push((start, end)),
        }
    };
    let mut start = 0;
    let mut before = ['\0', '\0'];
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = i + c.len_utf8();
        let boundary = match c {
            '。' | '！' | '？' | '；' | '!' | '?' | ';' => true,
            // `word. Next`, not `1. ` or `a. ` (list numbers).
            '.' => {
                before.iter().all(|b| b.is_alphabetic())
                    && chars.peek().is_none_or(|(_, next)| next.is_whitespace())
            }
            _ => false,
        };
        before = [before[1], c];
        if boundary {
            push(start, end);
            start = end;
        }
    }
    push(start, text.len());
    if ranges.is_empty() {
        return vec![text];
    }
    ranges.into_iter().map(|(a, b)| text[a..b].trim()).collect()
}

/// The context categories of section `index`: the pins or heading categories of the innermost
/// section, walking up from `index`, that has any (empty when none has), plus the `inherited`
/// categories any ancestor's heading names. An ancestor heading whose categories `covers`
/// every practice category found so far takes over (`为您提供安全保障` under
/// `我们如何收集和使用您的个人信息` is about collection); pins are never overridden.
pub fn context_categories(doc: &Document, index: usize, criteria: &Criteria) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut pinned = false;
    let mut inherited = BTreeSet::new();
    for a in doc.ancestry(index) {
        let s = &doc.sections[a];
        if let Some(pins) = criteria.sections.get(&s.id) {
            if found.is_empty() {
                found = pins.iter().cloned().collect();
                pinned = true;
            }
            continue;
        }
        if a == 0 {
            continue;
        }
        let named = heading_categories(&s.title, criteria);
        inherited.extend(
            named.iter().filter(|c| criteria.category(c).is_some_and(|c| c.inherited)).cloned(),
        );
        if found.is_empty() || (!pinned && covers(&named, &found, criteria)) {
            found = named;
        }
    }
    found.extend(inherited);
    found
}

/// Whether the categories `outer` names cover every practice category of `inner` (and it has
/// one): each is in the `covers` list of one of `outer`'s categories.
fn covers(outer: &BTreeSet<String>, inner: &BTreeSet<String>, criteria: &Criteria) -> bool {
    let mut practices =
        inner.iter().filter(|c| criteria.category(c).is_some_and(|c| c.practice)).peekable();
    practices.peek().is_some()
        && practices.all(|c| {
            outer.iter().any(|o| criteria.category(o).is_some_and(|o| o.covers.contains(c)))
        })
}

/// A numbering style of an inferred heading.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Style {
    Chapter,
    ChineseNumber,
    ParenChinese,
    /// `1.`, `1.1`, `1.1.1`: the number of dots.
    Decimal(usize),
    /// `1、`
    Enumerated,
    ParenNumber,
    NumberParen,
    Letter,
    Bullet,
    Bracket,
    /// The title of an appended document.
    Part,
    /// An unnumbered question (`我们会收集哪些个人信息？`).
    Question,
}

static STYLES: LazyLock<Vec<(Style, Regex)>> = LazyLock::new(|| {
    let re = |s: &str| Regex::new(s).unwrap();
    vec![
        (Style::Chapter, re(r"^第[一二三四五六七八九十百零〇两\d]+[章节条部分篇]\s*")),
        (Style::ChineseNumber, re(r"^[一二三四五六七八九十百]+\s*[、.．]\s*")),
        (Style::ParenChinese, re(r"^[(（]\s*[一二三四五六七八九十百]+\s*[)）]\s*")),
        (Style::Decimal(0), re(r"^(\d{1,2}(?:[.．]\d{1,2})*)\s*([.、．]?)\s*")),
        (Style::ParenNumber, re(r"^[(（]\s*\d{1,2}\s*[)）]\s*")),
        (Style::NumberParen, re(r"^\d{1,2}\s*[)）]\s*")),
        (Style::Letter, re(r"^[a-zA-Z]\s*[.)）、]\s*")),
        (Style::Bullet, re(r"^[•●◆■▪◇□○]\s*")),
        (Style::Bracket, re(r"^【[^】]{1,30}】$")),
    ]
});

/// The numbering style of a line and its text after the number, if it is numbered.
fn number_style(line: &str) -> Option<(Style, String, String)> {
    for (style, re) in STYLES.iter() {
        let Some(c) = re.captures(line) else { continue };
        let m = c.get(0).expect("whole match");
        let rest = line[m.end()..].trim().to_string();
        let number = line[..m.end()].trim().to_string();
        return match style {
            Style::Decimal(_) => {
                let digits = c.get(1).map_or("", |g| g.as_str());
                let sep = c.get(2).map_or("", |g| g.as_str());
                // `1.5倍` or `2022年`: digits followed straight by text are not a number.
                if sep.is_empty() && !line[digits.len()..].starts_with(char::is_whitespace) {
                    let dotted = digits.contains(['.', '．']);
                    if !dotted {
                        return None;
                    }
                }
                let style = if sep == "、" {
                    Style::Enumerated
                } else {
                    Style::Decimal(digits.matches(['.', '．']).count())
                };
                Some((style, number, rest))
            }
            Style::Bracket => Some((
                Style::Bracket,
                String::new(),
                line.trim_start_matches('【').trim_end_matches('】').to_string(),
            )),
            other => Some((other.clone(), number, rest)),
        };
    }
    None
}

static APPENDED_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:附[件录]?[一二三四五六七八九十\d]*[:：、.．]?\s*)?《?[^\s，。；;：:、,]{2,28}(?:政策|指引|规则|须知|声明|协议|条款)》?$").unwrap()
});

/// Whether a line is the title of an appended document (`儿童个人信息保护规则及监护人须知`).
fn is_appended_title(line: &str) -> bool {
    line.chars().count() <= 32 && APPENDED_TITLE.is_match(line)
}

/// Whether a line is a short question standing alone (`您的个人信息会被提供给谁？`): at most
/// [`MAX_HEADING_CHARS`] chars, ending in a question mark, with no other sentence mark.
fn is_question_heading(line: &str) -> bool {
    let Some(body) = line.strip_suffix(['？', '?']) else { return false };
    line.chars().count() <= MAX_HEADING_CHARS
        && !body.is_empty()
        && !body.contains(['。', '；', ';', '！', '!', '，', ','])
}

/// Whether a line ends like a sentence or a list item (so it is not a heading).
fn ends_like_sentence(line: &str) -> bool {
    line.chars().last().is_some_and(|c| "。；;，,".contains(c))
}

/// Lines of a table of contents: runs of at least [`TOC_RUN`] consecutive heading-like lines of
/// one numbering style with no text between them, at least half of which come again later. They stay blocks, so the text after the last
/// entry does not fall under it.
fn table_of_contents(blocks: &[Block]) -> HashSet<usize> {
    let styles: Vec<Option<(Style, String)>> = blocks
        .iter()
        .map(|b| {
            let line = b.text.trim();
            number_style(line)
                .filter(|(_, _, title)| {
                    !title.is_empty()
                        && !ends_like_sentence(line)
                        && line.chars().count() <= MAX_HEADING_CHARS
                })
                .map(|(style, number, _)| (style, number_key(&number)))
        })
        .collect();
    let mut toc = HashSet::new();
    let mut k = 0;
    while k < styles.len() {
        let Some((style, first)) = &styles[k] else {
            k += 1;
            continue;
        };
        // The run ends where the numbering starts again: `一、` right after the last entry of
        // the table of contents is the first heading of the body.
        let mut end = k;
        while end + 1 < styles.len()
            && styles[end + 1]
                .as_ref()
                .is_some_and(|(s, n)| s == style && (n.is_empty() || n != first))
        {
            end += 1;
        }
        // A table of contents repeats headings that come later.
        let repeated = (k..=end)
            .filter(|&i| {
                let key = blocks[i].key();
                blocks[end + 1..].iter().any(|b| b.key() == key)
            })
            .count();
        if end + 1 - k >= TOC_RUN && repeated * 2 >= end + 1 - k {
            toc.extend(k..=end);
        }
        k = end + 1;
    }
    toc
}

/// A heading number without its punctuation and spacing (`1．` and `1.` are the same number).
fn number_key(number: &str) -> String {
    number.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// How many consecutive headings of one style without text between them make a table of
/// contents.
pub const TOC_RUN: usize = 3;

/// Infers the headings of a plain-text document (see the module documentation) and returns a
/// copy with those sections. Markdown documents are returned unchanged.
pub fn outline(doc: &Document) -> Document {
    if doc.format != Format::PlainText {
        return doc.clone();
    }
    let mut out = doc.clone();
    let preamble = doc.sections[0].clone();
    out.sections = vec![Section { blocks: Vec::new(), ..preamble.clone() }];
    let mut stack: Vec<(Style, usize)> = Vec::new();
    let mut previous_list: Option<Style> = None;
    let mut used: HashSet<String> = [PREAMBLE_ID.to_string()].into();
    let toc = table_of_contents(&preamble.blocks);
    for (k, block) in preamble.blocks.iter().enumerate() {
        let line = block.text.trim();
        let mut heading = None;
        let mut list = None;
        if let Some((style, number, title)) = number_style(line).filter(|_| !toc.contains(&k)) {
            let too_long = line.chars().count() > MAX_HEADING_CHARS;
            if too_long
                || ends_like_sentence(line)
                || title.is_empty()
                || previous_list.as_ref() == Some(&style)
            {
                list = Some(style);
            } else {
                heading = Some((style, number, title));
            }
        }
        let listed = list.is_some();
        previous_list = list;
        // The title of a document appended after the main one (a children's policy) starts a
        // new top-level part.
        if heading.is_none() && !listed && !stack.is_empty() && is_appended_title(line) {
            stack.clear();
            heading =
                Some((Style::Part, String::new(), line.trim_matches(['《', '》']).to_string()));
        }
        // Some policies title their parts with unnumbered questions.
        if heading.is_none() && !listed && !toc.contains(&k) && is_question_heading(line) {
            heading = Some((Style::Question, String::new(), line.to_string()));
        }
        let Some((style, number, title)) = heading else {
            out.sections.last_mut().expect("the preamble").blocks.push(block.clone());
            continue;
        };
        if let Some(pos) = stack.iter().position(|(s, _)| *s == style) {
            stack.truncate(pos);
        } else if let Style::Decimal(depth) = style {
            while stack.last().is_some_and(|(s, _)| matches!(s, Style::Decimal(d) if *d >= depth)) {
                stack.pop();
            }
        }
        let parent = stack.last().map(|&(_, i)| i);
        let base = slugify(&title);
        let mut id = base.clone();
        let mut n = 1;
        while used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        used.insert(id.clone());
        let index = out.sections.len();
        out.sections.push(Section {
            id,
            explicit_id: false,
            heading: line.to_string(),
            number: (!number.is_empty()).then_some(number),
            title,
            level: u8::try_from(stack.len() + 1).unwrap_or(u8::MAX).min(6),
            parent,
            blocks: vec![block.clone()],
            tables: Vec::new(),
            line: block.line,
            end_line: block.end_line,
        });
        stack.push((style, index));
    }
    let last = doc.sections[0].end_line;
    let lines: Vec<usize> = out.sections.iter().map(|s| s.line).collect();
    for (i, s) in out.sections.iter_mut().enumerate() {
        s.end_line = lines.get(i + 1).map_or(last, |&n| n.saturating_sub(1).max(s.line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;

    fn cats(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plain_text_outline_nests_styles_and_skips_list_items() {
        let text = "隐私政策\n一、我们如何收集您的个人信息\n（一）注册\n我们会收集您的手机号。\n1. 与国家安全有关的；\n2. 与公共安全有关的\n二、如何联系我们\n邮箱：a@b.cn\n";
        let doc = parse("p.txt", text).unwrap();
        let o = outline(&doc);
        let titles: Vec<(&str, u8, Option<usize>)> =
            o.sections.iter().skip(1).map(|s| (s.title.as_str(), s.level, s.parent)).collect();
        assert_eq!(
            titles,
            vec![
                ("我们如何收集您的个人信息", 1, None),
                ("注册", 2, Some(1)),
                ("如何联系我们", 1, None)
            ]
        );
        // The list items stay blocks of 注册; every non-empty line is a block.
        assert_eq!(o.sections[2].blocks.len(), 4);
        let blocks: usize = o.sections.iter().map(|s| s.blocks.len()).sum();
        assert_eq!(blocks, 8);
    }

    #[test]
    fn sentences_split_at_sentence_marks_not_at_list_numbers() {
        assert_eq!(
            sentences("1. 我们收集手机号。用于注册；（见下文） Contact us. a. item"),
            vec!["1. 我们收集手机号。", "用于注册；", "（见下文） Contact us.", "a. item"]
        );
        // A piece without letters or digits joins the sentence before it.
        assert_eq!(sentences("我们不会共享。”）"), vec!["我们不会共享。”）"]);
        assert_eq!(sentences("无标点"), vec!["无标点"]);
    }

    #[test]
    fn chapters_cover_their_subheadings_and_sentences_displace_context() {
        let text = "## 一、我们如何收集和使用您的个人信息 {#c}\n\n### 为您提供安全保障 {#s}\n\n我们会收集您的设备信息。\n\n相机权限：用于扫码。\n\n我们会收集您的位置。我们会收集您的订单。我们不会开启相机权限。\n\n## 您的权利 {#r}\n\n### 相机权限 {#p}\n\n您可以在系统设置中关闭。\n";
        let doc = parse("p.md", text).unwrap();
        let map = map_document_lexicons(&doc, &Criteria::builtin());
        let by_id = |id: &str| map.sections.iter().find(|s| s.id == id).unwrap();
        // A purpose named in a collection chapter's subheading stays collection.
        assert_eq!(by_id("s").categories, cats(&["collection", "use"]));
        let blocks: Vec<&BTreeSet<String>> =
            by_id("s").blocks.iter().map(|b| &b.categories).collect();
        assert_eq!(blocks[0], &cats(&["collection", "use"]));
        // A permission listed there is about the permission (and its purpose).
        assert_eq!(blocks[1], &cats(&["permissions", "use"]));
        // One sentence of three names a permission: the line is not about permissions, but
        // that sentence is, and the map says so.
        assert_eq!(blocks[2], &cats(&["collection", "use"]));
        let said: Vec<(&str, &BTreeSet<String>)> = by_id("s").blocks[2]
            .sentences
            .iter()
            .map(|x| (x.text.as_str(), &x.categories))
            .collect();
        assert_eq!(
            said,
            vec![
                ("我们会收集您的位置。", &cats(&["collection", "use"])),
                ("我们会收集您的订单。", &cats(&["collection", "use"])),
                ("我们不会开启相机权限。", &cats(&["permissions"])),
            ]
        );
        // The listing shows only the sentence that differs from its block.
        let text = map.to_text(60);
        assert!(text.contains("\n           · [permissions] 我们不会开启相机权限。\n"), "{text}");
        assert_eq!(text.matches('·').count(), 1, "{text}");
        // A right's subheading names a permission: still a right.
        assert_eq!(by_id("p").categories, cats(&["user_rights"]));
    }

    #[test]
    fn unnumbered_questions_are_headings() {
        let text = "隐私政策\n我们是谁？\n我们是一家游戏公司。\n我们会收集哪些个人信息？\n（1）账号注册\n我们会收集您的电话号码。\n您的个人信息会被提供给谁？\n我们不会提供给第三方，除非您同意？我们会告知您。\n";
        let doc = parse("p.txt", text).unwrap();
        let o = outline(&doc);
        let titles: Vec<(&str, u8)> =
            o.sections.iter().skip(1).map(|s| (s.title.as_str(), s.level)).collect();
        assert_eq!(
            titles,
            vec![
                ("我们是谁？", 1),
                ("我们会收集哪些个人信息？", 1),
                ("账号注册", 2),
                ("您的个人信息会被提供给谁？", 1)
            ]
        );
    }

    #[test]
    fn table_of_contents_ends_where_the_numbering_starts_again() {
        let text = "隐私政策\n本政策包括：\n一、我们如何收集信息\n二、我们如何共享信息\n三、如何联系我们\n一、我们如何收集信息\n我们收集您的手机号。\n二、我们如何共享信息\n我们不会共享。\n三、如何联系我们\n邮箱：a@b.cn\n";
        let doc = parse("p.txt", text).unwrap();
        let o = outline(&doc);
        let headings: Vec<(usize, &str)> =
            o.sections.iter().skip(1).map(|s| (s.line, s.title.as_str())).collect();
        assert_eq!(
            headings,
            vec![(6, "我们如何收集信息"), (8, "我们如何共享信息"), (10, "如何联系我们")]
        );
        // The table of contents stays in the preamble.
        assert_eq!(o.sections[0].blocks.len(), 5);
    }

    #[test]
    fn innermost_heading_and_table_header_decide() {
        let text = "## 二、我们可能收集的个人信息 {#c}\n\n我们收集您的手机号，用于注册。\n\n### 3.7 设备权限调用 {#p}\n\n相机权限。\n\n| 接入第三方SDK | 目的 |\n| --- | --- |\n| 友盟 | 统计 |\n\n## 十二、如何联系我们 {#contact}\n\n邮箱 a@b.cn\n";
        let doc = parse("p.md", text).unwrap();
        let map = map_document_lexicons(&doc, &Criteria::builtin());
        let by_id = |id: &str| map.sections.iter().find(|s| s.id == id).unwrap();
        assert_eq!(by_id("c").categories, cats(&["collection"]));
        // "用于" adds use (terms_add) to the collection clause.
        assert_eq!(by_id("c").blocks[0].categories, cats(&["collection", "use"]));
        assert_eq!(by_id("p").categories, cats(&["permissions"]));
        let row = by_id("p").blocks.iter().find(|b| b.text.starts_with("友盟")).unwrap();
        assert_eq!(row.categories, cats(&["permissions", "sharing"]));
        assert_eq!(by_id("contact").categories, cats(&["contact"]));
    }
}
