//! Classification: every change of a [`DocumentDiff`] against the rules of a [`Criteria`],
//! combined by criteria.md 4.2: the maximum level wins (rule 1), qualifiers are unioned
//! (rule 2), direction decides inside a category (rule 3), a broadening that touches sensitive
//! data escalates (rule 4), negation and consent flips escalate with `review` (rule 5), and a
//! wholesale rewrite is at least `major` + `review` (rule 7, Decision 8).
//!
//! `editorial` needs positive evidence (Decision 6); a wording change no rule matches is `minor`
//! under the built-in rule [`OTHER_WORDING`].

use crate::diff::{Change, DocumentDiff, Evidence};
use crate::document::{BlockKind, Document, PREAMBLE_ID};
use crate::model::{ChangeKind, Direction, Level, Qualifier};
use crate::normalize::{durations, editorial_key, match_text};
use crate::rules::{
    Criteria, DurationChange, LevelSpec, OTHER_WORDING, Rule, TermSet, WHOLESALE_REWRITE,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

/// Which file and line a finding points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file (the new file, or the old one for removed text).
    pub path: String,
    /// 1-based line.
    pub line: Option<usize>,
    /// `old` for removed text (line in the old file), `new` otherwise.
    pub side: &'static str,
}

/// One change that triggered one rule, with the reason and the place.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The rule that decided the change's level.
    pub rule: String,
    /// The change's level.
    pub level: Level,
    /// Qualifiers, in contract order.
    pub qualifiers: BTreeSet<Qualifier>,
    /// The clause or law behind the rule.
    pub reference: String,
    /// The section id.
    pub section: String,
    /// Headings as written, from the top level down to the section.
    pub section_path: Vec<String>,
    /// The change kind.
    pub change: ChangeKind,
    /// Whether the change widens or narrows the disclosure.
    pub direction: Direction,
    /// The old text, if any.
    pub old: Option<String>,
    /// The new text, if any.
    pub new: Option<String>,
    /// Why the rule fired.
    pub reason: String,
    /// Where.
    pub location: Location,
    /// Other rules that also matched the change (lower or equal level).
    pub also: Vec<String>,
}

/// The verdict on one change.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeVerdict {
    /// The change's level.
    pub level: Level,
    /// Its direction.
    pub direction: Direction,
    /// Index into [`Classification::findings`], for changes at `minor` or above or matched by a
    /// rule.
    pub finding: Option<usize>,
}

/// The classification of a whole diff.
#[derive(Debug, Clone, Serialize)]
pub struct Classification {
    /// The release level: the maximum over changes (and the wholesale-rewrite check).
    pub level: Level,
    /// Union of the findings' qualifiers.
    pub qualifiers: BTreeSet<Qualifier>,
    /// Findings in document order.
    pub findings: Vec<Finding>,
    /// One verdict per change of the diff, same order.
    pub verdicts: Vec<ChangeVerdict>,
    /// Observations that are not changes: dates not bumped, notice lead time too short.
    pub notices: Vec<String>,
}

/// Section categories per side, computed once.
struct Sides<'a> {
    old: &'a Document,
    new: &'a Document,
    criteria: &'a Criteria,
    old_cats: Vec<OnceLock<BTreeSet<String>>>,
    new_cats: Vec<OnceLock<BTreeSet<String>>>,
    old_text: OnceLock<String>,
    new_text: OnceLock<String>,
}

impl Sides<'_> {
    /// The old document's text, normalised for matching (computed on first use).
    fn old_text(&self) -> &str {
        self.old_text.get_or_init(|| match_text(&self.old.text))
    }

    /// The new document's text, normalised for matching (computed on first use).
    fn new_text(&self) -> &str {
        self.new_text.get_or_init(|| match_text(&self.new.text))
    }

    /// Categories of old section `i` (computed on first use).
    fn old_categories(&self, i: usize) -> &BTreeSet<String> {
        self.old_cats[i].get_or_init(|| section_categories(self.old, i, self.criteria))
    }

    /// Categories of new section `j` (computed on first use).
    fn new_categories(&self, j: usize) -> &BTreeSet<String> {
        self.new_cats[j].get_or_init(|| section_categories(self.new, j, self.criteria))
    }
}

/// Practice categories of section `index`: those pinned to it or an ancestor in `[sections]`,
/// and those whose heading terms occur in its or an ancestor's title.
pub fn section_categories(doc: &Document, index: usize, criteria: &Criteria) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for a in doc.ancestry(index) {
        let s = &doc.sections[a];
        if let Some(pinned) = criteria.sections.get(&s.id) {
            out.extend(pinned.iter().cloned());
            continue;
        }
        if a == 0 {
            continue;
        }
        out.extend(heading_categories(&s.title, criteria));
    }
    out
}

/// Practice categories a heading (or a table's first header cell) names: those whose heading
/// terms occur in it, less those that give way to another one it also names (`yields_to`).
/// Shared by the classifier ([`section_categories`]) and `redline map`.
pub fn heading_categories(title: &str, criteria: &Criteria) -> BTreeSet<String> {
    let title = match_text(title);
    let named: BTreeSet<&str> = criteria
        .categories
        .iter()
        .filter(|c| c.headings.any(&title))
        .map(|c| c.id.as_str())
        .collect();
    criteria
        .categories
        .iter()
        .filter(|c| named.contains(c.id.as_str()))
        .filter(|c| !c.yields_to.iter().any(|y| named.contains(y.as_str())))
        .map(|c| c.id.clone())
        .collect()
}

/// Practice categories a text signals by its terms (used by `map` and for text outside any
/// categorised section).
pub fn text_categories(text: &str, criteria: &Criteria) -> BTreeSet<String> {
    let t = match_text(text);
    criteria.categories.iter().filter(|c| c.terms.any(&t)).map(|c| c.id.clone()).collect()
}

/// What the rules look at for one change.
struct Ctx<'a> {
    change: &'a Change,
    old_text: String,
    new_text: String,
    categories: BTreeSet<String>,
    ancestors: BTreeSet<&'a str>,
    header: Option<String>,
    changed_columns: Vec<String>,
    is_row: bool,
    direction: Direction,
    duration: Option<DurationChange>,
    old_path: String,
    new_path: String,
    emphasis_removed: Vec<String>,
}

fn evidence_name(e: Evidence) -> &'static str {
    match e {
        Evidence::Normalized => "normalized",
        Evidence::Moved => "moved",
        Evidence::Renumbered => "renumbered",
        Evidence::Reordered => "reordered",
        Evidence::Emphasis => "emphasis",
        Evidence::LinkTargets => "link_targets",
        Evidence::Metadata => "metadata",
        Evidence::Formatting => "formatting",
    }
}

fn duration_change(old: &str, new: &str) -> Option<DurationChange> {
    let (a, b) = (durations(old), durations(new));
    let max = |v: &[f64]| v.iter().copied().fold(0.0_f64, f64::max);
    match (a.is_empty(), b.is_empty()) {
        (true, true) => None,
        (true, false) => Some(DurationChange::Shorter),
        (false, true) => Some(DurationChange::Removed),
        (false, false) => {
            let (ma, mb) = (max(&a), max(&b));
            if mb > ma * 1.02 {
                Some(DurationChange::Longer)
            } else if mb < ma / 1.02 {
                Some(DurationChange::Shorter)
            } else {
                let mut sa = a.clone();
                let mut sb = b.clone();
                sa.sort_by(f64::total_cmp);
                sb.sort_by(f64::total_cmp);
                let longer = sa.iter().zip(&sb).any(|(x, y)| *y > x * 1.02);
                let shorter = sa.iter().zip(&sb).any(|(x, y)| *y < x / 1.02);
                match (longer, shorter) {
                    (true, _) => Some(DurationChange::Longer),
                    (false, true) => Some(DurationChange::Shorter),
                    _ => None,
                }
            }
        }
    }
}

fn increased(old: &BTreeMap<String, usize>, new: &BTreeMap<String, usize>) -> Vec<String> {
    new.iter()
        .filter(|(t, n)| **n > old.get(*t).copied().unwrap_or(0))
        .map(|(t, _)| t.clone())
        .collect()
}

impl<'a> Sides<'a> {
    fn ctx(&self, change: &'a Change, criteria: &Criteria) -> Ctx<'a> {
        let old_text = match_text(change.old.as_deref().unwrap_or(""));
        let new_text = match_text(change.new.as_deref().unwrap_or(""));
        let mut categories = BTreeSet::new();
        let mut ancestors = BTreeSet::new();
        if let Some(s) = change.old_section {
            categories.extend(self.old_categories(s).iter().cloned());
            ancestors
                .extend(self.old.ancestry(s).into_iter().map(|a| self.old.sections[a].id.as_str()));
        }
        if let Some(s) = change.new_section {
            categories.extend(self.new_categories(s).iter().cloned());
            ancestors
                .extend(self.new.ancestry(s).into_iter().map(|a| self.new.sections[a].id.as_str()));
        }
        if categories.is_empty() {
            let text = format!(
                "{} {}",
                change.old.as_deref().unwrap_or(""),
                change.new.as_deref().unwrap_or("")
            );
            categories = text_categories(&text, criteria);
        }
        let block = |doc: &'a Document, s: Option<usize>, b: Option<usize>| {
            Some(&doc.sections[s?].blocks[b?])
        };
        let old_block = block(self.old, change.old_section, change.old_block);
        let new_block = block(self.new, change.new_section, change.new_block);
        let is_row =
            [old_block, new_block].into_iter().flatten().any(|b| b.kind == BlockKind::TableRow);
        let header = match (new_block.or(old_block), change.new_block.is_some()) {
            (Some(b), new_side) => b.table.map(|t| {
                let (doc, s) = if new_side {
                    (self.new, change.new_section.unwrap_or(0))
                } else {
                    (self.old, change.old_section.unwrap_or(0))
                };
                match_text(&doc.sections[s].tables[t].header.join(" | "))
            }),
            (None, _) => None,
        };
        let mut changed_columns = Vec::new();
        if let (Some(ob), Some(nb)) = (old_block, new_block)
            && change.kind == ChangeKind::RowModified
            && let Some(t) = nb.table
        {
            let headers = &self.new.sections[change.new_section.unwrap_or(0)].tables[t].header;
            for k in 0..ob.cells.len().max(nb.cells.len()) {
                let a = ob.cells.get(k).map_or("", String::as_str);
                let b = nb.cells.get(k).map_or("", String::as_str);
                if editorial_key(a) != editorial_key(b) || a != b {
                    changed_columns.push(match_text(headers.get(k).map_or("", String::as_str)));
                }
            }
        }
        let emphasis_removed = match (old_block, new_block) {
            (Some(ob), Some(nb)) => {
                let kept: BTreeSet<String> = nb.emphasis.iter().map(|e| editorial_key(e)).collect();
                ob.emphasis
                    .iter()
                    .filter(|e| !kept.contains(&editorial_key(e)))
                    .map(|e| match_text(e))
                    .collect()
            }
            _ => Vec::new(),
        };
        let path = |doc: &Document, s: Option<usize>| {
            s.map(|s| match_text(&doc.section_path(s).join(" / "))).unwrap_or_default()
        };
        let duration = if change.evidence.is_some() {
            None
        } else {
            duration_change(
                change.old.as_deref().unwrap_or(""),
                change.new.as_deref().unwrap_or(""),
            )
        };
        let mut ctx = Ctx {
            change,
            old_text,
            new_text,
            categories,
            ancestors,
            header,
            changed_columns,
            is_row,
            direction: Direction::Neutral,
            duration,
            old_path: path(self.old, change.old_section),
            new_path: path(self.new, change.new_section),
            emphasis_removed,
        };
        ctx.direction = direction(&ctx, criteria);
        ctx
    }
}

/// The direction of a change (criteria.md 4.2 rule 3): additions broaden, removals narrow; an
/// edit broadens when scope terms (data types, purposes, recipients, …) are added or limits
/// (negation, "only", consent conditions) removed, narrows in the opposite case, and is
/// `unknown` when both happen or a period is swapped for a criterion.
fn direction(ctx: &Ctx<'_>, criteria: &Criteria) -> Direction {
    let c = ctx.change;
    if c.evidence.is_some()
        || matches!(
            c.kind,
            ChangeKind::SectionMoved
                | ChangeKind::BlockMoved
                | ChangeKind::RowsReordered
                | ChangeKind::SectionRenumbered
        )
    {
        return Direction::Neutral;
    }
    if c.kind.is_addition() {
        return Direction::Broaden;
    }
    if c.kind.is_removal() {
        return Direction::Narrow;
    }
    let scope_old = criteria.direction_scope.counts(&ctx.old_text);
    let scope_new = criteria.direction_scope.counts(&ctx.new_text);
    let limit_old = criteria.direction_limits.counts(&ctx.old_text);
    let limit_new = criteria.direction_limits.counts(&ctx.new_text);
    let broaden = !increased(&scope_old, &scope_new).is_empty()
        || !increased(&limit_new, &limit_old).is_empty()
        || ctx.duration == Some(DurationChange::Longer);
    let narrow = !increased(&scope_new, &scope_old).is_empty()
        || !increased(&limit_old, &limit_new).is_empty()
        || ctx.duration == Some(DurationChange::Shorter);
    match (broaden, narrow) {
        (true, true) => Direction::Unknown,
        (true, false) => Direction::Broaden,
        (false, true) => Direction::Narrow,
        (false, false) if ctx.duration == Some(DurationChange::Removed) => Direction::Unknown,
        (false, false) => Direction::Neutral,
    }
}

/// Occurrences of single terms in the old and the new document, cached (for the document-level
/// conditions `added`, `removed`, `added_to_document`, `removed_from_document`).
struct DocCounts<'a> {
    sides: &'a Sides<'a>,
    cache: HashMap<(*const TermSet, String), (usize, usize)>,
}

impl DocCounts<'_> {
    /// (count in the old document, count in the new document) of `term` from `set`.
    fn term(&mut self, set: &TermSet, term: &str) -> (usize, usize) {
        let sides = self.sides;
        *self.cache.entry((set as *const TermSet, term.to_string())).or_insert_with(|| {
            (set.count_term(sides.old_text(), term), set.count_term(sides.new_text(), term))
        })
    }
}

/// Terms of `set` that occur more often (`grew`) or less often in the change's new text than in
/// its old text, kept only when the whole document moved the same way: text that merely moved
/// between blocks of a restructured section adds or removes nothing.
fn moved_terms(set: &TermSet, ctx: &Ctx<'_>, docs: &mut DocCounts<'_>, grew: bool) -> Vec<String> {
    let (from, to) =
        if grew { (&ctx.old_text, &ctx.new_text) } else { (&ctx.new_text, &ctx.old_text) };
    increased(&set.counts(from), &set.counts(to))
        .into_iter()
        .filter(|k| {
            let (old_doc, new_doc) = docs.term(set, k);
            if grew { new_doc > old_doc } else { new_doc < old_doc }
        })
        .collect()
}

/// Whether `rule` matches; returns the terms that made it match (for the reason).
fn matches(rule: &Rule, ctx: &Ctx<'_>, docs: &mut DocCounts<'_>) -> Option<Vec<String>> {
    let m = &rule.when;
    let c = ctx.change;
    match c.evidence {
        Some(e) if !m.evidence.iter().any(|x| x == evidence_name(e)) => return None,
        None if !m.evidence.is_empty() => return None,
        _ => {}
    }
    if !m.changes.is_empty() && !m.changes.contains(&c.kind) {
        return None;
    }
    if !m.sections.is_empty() && !m.sections.iter().any(|s| ctx.ancestors.contains(s.as_str())) {
        return None;
    }
    if !m.categories.is_empty() && !m.categories.iter().any(|x| ctx.categories.contains(x)) {
        return None;
    }
    if m.not_categories.iter().any(|x| ctx.categories.contains(x)) {
        return None;
    }
    if let Some(v) = m.in_table
        && v != ctx.is_row
    {
        return None;
    }
    if let Some(t) = &m.tables
        && !ctx.header.as_deref().is_some_and(|h| t.any(h))
    {
        return None;
    }
    if let Some(t) = &m.not_tables
        && ctx.header.as_deref().is_some_and(|h| t.any(h))
    {
        return None;
    }
    if let Some(cols) = &m.columns
        && (ctx.changed_columns.is_empty() || !ctx.changed_columns.iter().all(|h| cols.any(h)))
    {
        return None;
    }
    if !m.directions.is_empty() && !m.directions.contains(&ctx.direction) {
        return None;
    }
    if let Some(d) = m.duration
        && ctx.duration != Some(d)
    {
        return None;
    }
    if let Some(r) = m.rewritten
        && r != (c.similarity < crate::diff::PAIR_THRESHOLD)
    {
        return None;
    }
    let mut terms: Vec<String> = Vec::new();
    let primary = if c.kind.is_removal() { &ctx.old_text } else { &ctx.new_text };
    if let Some(t) = &m.text {
        let found: Vec<String> = t.counts(primary).into_keys().collect();
        if found.is_empty() {
            return None;
        }
        terms.extend(found);
    }
    if let Some(t) = &m.not_text
        && (t.any(&ctx.old_text) || t.any(&ctx.new_text))
    {
        return None;
    }
    // A term counts as added (removed) only when the document as a whole also mentions it more
    // (less) often: text that merely moved between blocks of a restructured section adds nothing.
    if let Some(t) = &m.added {
        let found = moved_terms(t, ctx, docs, true);
        if found.is_empty() {
            return None;
        }
        terms.extend(found);
    }
    if let Some(t) = &m.removed {
        let found = moved_terms(t, ctx, docs, false);
        if found.is_empty() {
            return None;
        }
        terms.extend(found);
    }
    if let Some(t) = &m.added_to_document {
        let here = t.counts(&ctx.new_text);
        let found: Vec<String> = here.into_keys().filter(|k| docs.term(t, k).0 == 0).collect();
        if found.is_empty() {
            return None;
        }
        terms.extend(found);
    }
    if let Some(t) = &m.removed_from_document {
        let here = t.counts(&ctx.old_text);
        let found: Vec<String> = here.into_keys().filter(|k| docs.term(t, k).1 == 0).collect();
        if found.is_empty() {
            return None;
        }
        terms.extend(found);
    }
    if let Some(t) = &m.path_added {
        let found = increased(&t.counts(&ctx.old_path), &t.counts(&ctx.new_path));
        if found.is_empty() {
            return None;
        }
        terms.extend(found);
    }
    if let Some(t) = &m.emphasis_removed {
        let found: Vec<String> =
            ctx.emphasis_removed.iter().flat_map(|e| t.counts(e).into_keys()).collect();
        if found.is_empty() {
            return None;
        }
        terms.extend(found);
    }
    terms.sort();
    terms.dedup();
    Some(terms)
}

fn rule_level(rule: &Rule, ctx: &Ctx<'_>, criteria: &Criteria) -> Level {
    match rule.level {
        LevelSpec::Fixed(l) => l,
        LevelSpec::Category => ctx
            .categories
            .iter()
            .filter_map(|c| criteria.category(c).and_then(|c| c.broaden))
            .max()
            .unwrap_or(Level::Major),
    }
}

/// A matched lexicon term as the reader saw it: a Latin stem (`advertis`) is completed to the
/// word of the change's text it matched (`advertising`); other terms are shown as they are.
fn as_written(term: &str, ctx: &Ctx<'_>) -> String {
    if term.is_empty() || !term.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-')
    {
        return term.to_string();
    }
    let needle = term.to_ascii_lowercase();
    // The change's texts are already lower case (`normalize::match_text`), like the terms.
    for text in [&ctx.new_text, &ctx.old_text] {
        if let Some(at) = text.find(&needle) {
            let tail = &text[at + needle.len()..];
            let more =
                tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(tail.len());
            return text[at..at + needle.len() + more].to_string();
        }
    }
    term.to_string()
}

fn format_reason(rule: &Rule, terms: &[String], ctx: &Ctx<'_>) -> String {
    let mut shown: Vec<String> = Vec::new();
    for t in terms {
        let w = as_written(t, ctx);
        if !shown.contains(&w) {
            shown.push(w);
        }
    }
    let list = shown.iter().take(6).cloned().collect::<Vec<_>>().join("、");
    if rule.reason.contains("{terms}") {
        rule.reason.replace("{terms}", &list)
    } else {
        rule.reason.clone()
    }
}

/// Classifies every change of `diff` (from `old` to `new`) under `criteria`.
pub fn classify(
    old: &Document,
    new: &Document,
    diff: &DocumentDiff,
    criteria: &Criteria,
) -> Classification {
    let sides = Sides {
        old,
        new,
        criteria,
        old_cats: (0..old.sections.len()).map(|_| OnceLock::new()).collect(),
        new_cats: (0..new.sections.len()).map(|_| OnceLock::new()).collect(),
        old_text: OnceLock::new(),
        new_text: OnceLock::new(),
    };
    let mut docs = DocCounts { sides: &sides, cache: HashMap::new() };
    let sensitive = criteria.lexicons.get("sensitive");
    let children = criteria.lexicons.get("children");
    let mut findings = Vec::new();
    let mut verdicts = Vec::new();
    let mut level = if diff.identical { Level::None } else { Level::Editorial };
    let mut qualifiers = BTreeSet::new();
    for change in &diff.changes {
        let ctx = sides.ctx(change, criteria);
        let mut matched: Vec<(usize, Level, Vec<String>)> = Vec::new();
        for (k, rule) in criteria.rules.iter().enumerate() {
            if let Some(terms) = matches(rule, &ctx, &mut docs) {
                matched.push((k, rule_level(rule, &ctx, criteria), terms));
            }
        }
        let base = if change.evidence.is_some() { Level::Editorial } else { Level::Minor };
        let mut change_level = matched.iter().map(|m| m.1).max().unwrap_or(base).max(base);
        let mut quals: BTreeSet<Qualifier> = BTreeSet::new();
        for (k, l, _) in &matched {
            let rule = &criteria.rules[*k];
            for q in &rule.qualifiers {
                if *l == change_level || matches!(q, Qualifier::Review | Qualifier::Block) {
                    quals.insert(*q);
                }
            }
        }
        // Sensitivity escalation (criteria.md 4.2 rule 4).
        let escalates = matched.iter().any(|(k, _, _)| criteria.rules[*k].escalate_sensitive)
            && matches!(
                ctx.direction,
                Direction::Broaden | Direction::Unknown | Direction::Neutral
            );
        let mut escalation_terms = Vec::new();
        if escalates {
            if let Some(s) = sensitive {
                let found: Vec<String> = s.counts(&ctx.new_text).into_keys().collect();
                if !found.is_empty() {
                    change_level = Level::Reconsent;
                    quals.insert(Qualifier::Separate);
                    escalation_terms = found;
                }
            }
            if let Some(c) = children
                && c.any(&ctx.new_text)
            {
                change_level = Level::Reconsent;
                quals.insert(Qualifier::Guardian);
            }
        }
        if let Some(cap) = matched.iter().filter_map(|(k, _, _)| criteria.rules[*k].cap).min()
            && change_level > cap
        {
            change_level = cap;
            quals.retain(|q| matches!(q, Qualifier::Review | Qualifier::Block));
        }
        // The deciding rule: at the final level, the one whose qualifiers cover most of the
        // final ones (the most specific), first in file order on ties.
        let deciding = matched
            .iter()
            .filter(|(_, l, _)| *l == change_level)
            .max_by_key(|(k, _, _)| {
                let covered =
                    criteria.rules[*k].qualifiers.iter().filter(|q| quals.contains(q)).count();
                (covered, std::cmp::Reverse(*k))
            })
            .or_else(|| {
                matched.iter().find(|(k, _, _)| escalates && criteria.rules[*k].escalate_sensitive)
            })
            .or_else(|| matched.iter().max_by_key(|m| m.1));
        let finding = if change_level >= Level::Minor || !matched.is_empty() {
            let (rule_id, reference, reason) = match deciding {
                Some((k, _, terms)) => {
                    let rule = &criteria.rules[*k];
                    let mut reason = format_reason(rule, terms, &ctx);
                    if !escalation_terms.is_empty()
                        && rule_level(rule, &ctx, criteria) < Level::Reconsent
                    {
                        reason.push_str(&format!(
                            "; it touches sensitive personal information ({}), which needs separate consent",
                            escalation_terms
                                .iter()
                                .take(4)
                                .map(|t| as_written(t, &ctx))
                                .collect::<Vec<_>>()
                                .join("、")
                        ));
                    }
                    (rule.id.clone(), rule.reference.clone(), reason)
                }
                None => (
                    OTHER_WORDING.to_string(),
                    "criteria.md Decision 6; PIPL art. 17(2)".to_string(),
                    "a wording change that no other rule matches".to_string(),
                ),
            };
            let also = matched
                .iter()
                .map(|(k, _, _)| criteria.rules[*k].id.clone())
                .filter(|id| *id != rule_id)
                .collect();
            let (section_doc, section_index) = match change.new_section {
                Some(s) => (new, s),
                None => (old, change.old_section.unwrap_or(0)),
            };
            let removed = change.new_line.is_none();
            findings.push(Finding {
                rule: rule_id,
                level: change_level,
                qualifiers: quals.clone(),
                reference,
                section: section_doc.sections[section_index].id.clone(),
                section_path: section_doc.section_path(section_index),
                change: change.kind,
                direction: ctx.direction,
                old: change.old.clone(),
                new: change.new.clone(),
                reason,
                location: Location {
                    path: if removed { old.path.clone() } else { new.path.clone() },
                    line: if removed { change.old_line } else { change.new_line },
                    side: if removed { "old" } else { "new" },
                },
                also,
            });
            Some(findings.len() - 1)
        } else {
            None
        };
        level = level.max(change_level);
        qualifiers.extend(quals.iter().copied());
        verdicts.push(ChangeVerdict { level: change_level, direction: ctx.direction, finding });
    }
    if diff.unaligned > criteria.wholesale_threshold && !diff.identical {
        let l = Level::Major;
        level = level.max(l);
        qualifiers.insert(Qualifier::Review);
        findings.push(Finding {
            rule: WHOLESALE_REWRITE.to_string(),
            level: l,
            qualifiers: [Qualifier::Review].into(),
            reference: "criteria.md Decision 8; 4.2 rule 7".to_string(),
            section: PREAMBLE_ID.to_string(),
            section_path: Vec::new(),
            change: ChangeKind::SectionModified,
            direction: Direction::Unknown,
            old: None,
            new: None,
            reason: format!(
                "{:.0}% of the old text found no counterpart in the new one (threshold {:.0}%): a wholesale rewrite needs a person to check that every commitment survived",
                diff.unaligned * 100.0,
                criteria.wholesale_threshold * 100.0
            ),
            location: Location { path: new.path.clone(), line: Some(1), side: "new" },
            also: Vec::new(),
        });
    }
    let notices = date_notices(old, new, diff, level, criteria);
    Classification { level, qualifiers, findings, verdicts, notices }
}

/// A date stated in a policy and the line stating it.
pub type StatedDate = (jiff::civil::Date, usize);

/// The dates a policy states about itself: (update date, effective date), each with its line.
pub fn stated_dates(doc: &Document) -> (Option<StatedDate>, Option<StatedDate>) {
    use regex_lite::Regex;
    use std::sync::LazyLock;
    static LINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(更新日期|更新时间|最近更新|最后更新|发布日期|发布时间|版本日期|生效日期|生效时间|last[ \t\n]+updated|last[ \t\n]+modified|effective[ \t\n]+date|effective[ \t\n]+as[ \t\n]+of|effective)").unwrap()
    });
    let (mut updated, mut effective) = (None, None);
    for section in &doc.sections {
        for block in &section.blocks {
            let lower = block.text.to_lowercase();
            if !["日期", "时间", "更新", "updated", "modified", "effective"]
                .iter()
                .any(|k| lower.contains(k))
            {
                continue;
            }
            for line_text in lower.split('\n') {
                let Some(label) = LINE.find(line_text) else { continue };
                let rest = &line_text[label.end()..];
                let first_date =
                    crate::normalize::quantities(rest).into_iter().find_map(|q| match q.kind {
                        crate::normalize::Quantity::Date(y, m, Some(d)) => Some((y, m, d)),
                        _ => None,
                    });
                let Some((y, m, d)) = first_date else { continue };
                let date = jiff::civil::Date::new(y as i16, m as i8, d as i8);
                let Ok(date) = date else { continue };
                let label = label.as_str().to_lowercase();
                if label.contains("生效") || label.contains("effective") {
                    effective.get_or_insert((date, block.line));
                } else {
                    updated.get_or_insert((date, block.line));
                }
            }
        }
    }
    (updated, effective)
}

/// Edge cases 14 and 15 of criteria.md: content changed without a date bump; a notice lead time
/// shorter than configured on a major release.
fn date_notices(
    old: &Document,
    new: &Document,
    diff: &DocumentDiff,
    level: Level,
    criteria: &Criteria,
) -> Vec<String> {
    let mut notices = Vec::new();
    let (old_updated, old_effective) = stated_dates(old);
    let (new_updated, new_effective) = stated_dates(new);
    let dates = |u: &Option<StatedDate>, e: &Option<StatedDate>| (u.map(|x| x.0), e.map(|x| x.0));
    if level >= Level::Minor
        && (new_updated.is_some() || new_effective.is_some())
        && dates(&old_updated, &old_effective) == dates(&new_updated, &new_effective)
        && !diff.identical
    {
        let line = new_updated.or(new_effective).map_or(0, |x| x.1);
        notices.push(format!(
            "{}:{line}: the text changed at level {level} but its stated dates did not; update the date line",
            new.path
        ));
    }
    if level >= Level::Major
        && let (Some((u, _)), Some((e, line))) = (new_updated, new_effective)
    {
        let days = (e - u).get_days();
        if let Ok(span) = u.until(e)
            && (i64::from(span.get_days()) < i64::from(criteria.notice_lead_days))
        {
            let _ = days;
            notices.push(format!(
                "{}:{line}: effective date {e} is {} days after the update date {u}; a {level} change needs at least {} days' notice",
                new.path,
                span.get_days(),
                criteria.notice_lead_days
            ));
        }
    }
    notices
}
