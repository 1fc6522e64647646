//! Classification: every change of a [`DocumentDiff`] against the rules of a [`Criteria`].
//!
//! * **Guards first**: when the two versions are in different languages, or the new one is an
//!   error page or a fragment of the old, one finding says so and no other is made (a diff of two
//!   languages, or of a captured error page, says nothing about the policy).
//! * **Statements, not words**: each change's effect on what the policy says is computed by
//!   [`crate::statements::compare`] (new data, recipients, purposes; removed promises, consent
//!   conditions, controls; replaced contact channels), and rules match those deltas as well as
//!   the change's kind, place and text.
//! * **Combining**: the highest level among the rules that match a change wins; the qualifiers of
//!   the rules at that level are unioned (`review` and `block` from any matching rule are kept); a
//!   rule marked `escalate_sensitive` becomes `reconsent` + `separate` when the change broadens a
//!   practice on sensitive data; a rule with a `cap` limits the level.
//! * `editorial` needs positive evidence (equal after normalisation, a move, a renumbering, …); a
//!   change that no rule matches falls to the fallback rule (`other-wording`, minor); a rewrite
//!   that leaves much of the old text without counterpart meets the `wholesale-rewrite` rule.

use crate::diff::{Change, DocumentDiff};
use crate::document::{BlockKind, Document, PREAMBLE_ID};
use crate::model::{ChangeKind, Direction, Level, Qualifier};
use crate::normalize::{durations, editorial_key, inactivity_periods, match_text};
use crate::rules::{Condition, Criteria, DurationChange, LevelSpec, Rule, StatementMatch, TermSet};
use crate::statements::compare::{self, Delta, Index};
use crate::statements::{self, DocumentStatements, without_examples};
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
    /// The clause or law behind the rule, in the document's language.
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
    /// Why the rule fired, in the document's language.
    pub reason: String,
    /// Where.
    pub location: Location,
    /// Other rules that also matched the change (lower or equal level).
    pub also: Vec<String>,
    /// The clause the finding is about, quoted as written (`null` when the rule is not about one
    /// statement).
    pub statement: Option<String>,
    /// The reason in Chinese (`zh-CN`) and English (`en`).
    pub reasons: BTreeMap<String, String>,
    /// The reference in Chinese (`zh-CN`) and English (`en`).
    pub references: BTreeMap<String, String>,
    /// The key a publisher's annotation names it by ([`crate::notes::finding_key`]: rule,
    /// section and a hash of the changed text).
    pub key: String,
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
    /// The release level: the maximum over changes (and the whole-comparison rules).
    pub level: Level,
    /// Union of the findings' qualifiers.
    pub qualifiers: BTreeSet<Qualifier>,
    /// Findings in document order (a guard's finding alone).
    pub findings: Vec<Finding>,
    /// One verdict per change of the diff, same order.
    pub verdicts: Vec<ChangeVerdict>,
    /// Observations that are not changes: dates not bumped, notice lead time too short.
    pub notices: Vec<String>,
}

/// Both versions, their statements, and section categories computed once.
struct Sides<'a> {
    old: &'a Document,
    new: &'a Document,
    criteria: &'a Criteria,
    statements: compare::Sides<'a>,
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
    /// Whether both sides state practices and none changed (a rewording of the same
    /// statements): the direction is then neutral whatever words moved.
    statement_neutral: bool,
    /// What the change does to the statements.
    deltas: Vec<Delta>,
    /// Why the change is editorial, when it is (none when it changes a contact channel).
    evidence: Option<crate::diff::Evidence>,
    /// The old and new texts without their example lists, for terms that must have been promised
    /// (see [`moved_terms`]); read on first use.
    promised: OnceLock<(String, String)>,
}

impl Ctx<'_> {
    /// The old and new texts without their example lists (`such as encryption`, `例如…`).
    fn promised(&self) -> (&str, &str) {
        let (old, new) = self.promised.get_or_init(|| {
            (
                without_examples(&self.old_text).into_owned(),
                without_examples(&self.new_text).into_owned(),
            )
        });
        (old, new)
    }
}

fn duration_change(old: &str, new: &str) -> Option<DurationChange> {
    let (a, mut b) = (durations(old), durations(new));
    // A deletion after a period of inactivity where the old text named none (`If you do not
    // sign in for 24 months, we delete your account`) sets a limit: what is kept is kept no
    // longer than before, whatever the number.
    if inactivity_periods(old).is_empty() {
        let limits = inactivity_periods(new);
        if !limits.is_empty() {
            b.retain(|d| !limits.contains(d));
            if a == b {
                return Some(DurationChange::Shorter);
            }
        }
    }
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
    /// Whether the change's block states a practice on every side it has.
    fn states_practices(&self, change: &Change) -> bool {
        let practice = |st: &DocumentStatements, s: Option<usize>, b: Option<usize>| match (s, b) {
            (Some(s), Some(b)) => st.of_block(s, b).iter().any(|c| c.statement.is_practice()),
            _ => false,
        };
        // An added or removed block that states practices, none of them new or lost, restates
        // what the other version says elsewhere.
        match (change.old_block.is_some(), change.new_block.is_some()) {
            (true, true) => {
                practice(self.statements.old, change.old_section, change.old_block)
                    && practice(self.statements.new, change.new_section, change.new_block)
            }
            (false, true) => practice(self.statements.new, change.new_section, change.new_block),
            (true, false) => practice(self.statements.old, change.old_section, change.old_block),
            (false, false) => false,
        }
    }

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
            old_path: old_path(self.old, self.new, change),
            new_path: path(self.new, change.new_section),
            emphasis_removed,
            statement_neutral: false,
            deltas: compare::deltas(change, &self.statements),
            evidence: change.evidence,
            promised: OnceLock::new(),
        };
        // A `mailto:` or `tel:` target, or a link in a contact clause, is contact data: a change
        // of it is not editorial.
        if ctx.deltas.iter().any(|d| d.kind.is_channel()) {
            ctx.evidence = None;
        }
        ctx.statement_neutral = ctx.deltas.is_empty() && self.states_practices(change);
        ctx.direction = direction(&ctx, criteria);
        ctx
    }
}

/// The heading path a change's text had in the old version, as the rules compare it with the
/// new one. A heading of the new version that the old version wrote as a paragraph of its own
/// (a document that gained its heading structure) counts as part of the old path too: text that
/// sat under the line "Disclosures of Your Information" and now sits under that heading has not
/// moved into a section about disclosure.
fn old_path(old: &Document, new: &Document, change: &Change) -> String {
    let Some(os) = change.old_section else { return String::new() };
    let mut path = old.section_path(os);
    if let Some(ns) = change.new_section {
        let written_as_paragraph = |heading: &String| {
            let key = editorial_key(heading);
            old.sections.iter().flat_map(|s| &s.blocks).any(|b| b.key() == key)
        };
        path.extend(new.section_path(ns).into_iter().filter(written_as_paragraph));
    }
    match_text(&path.join(" / "))
}

/// The direction of a change: from its statement deltas when it has any (a new practice
/// broadens, a new promise narrows); otherwise additions broaden, removals narrow, and an edit
/// broadens when scope terms (data types, purposes, recipients) are added or limits (negation,
/// "only", consent conditions) removed, narrows in the opposite case, and is `unknown` when both
/// happen or a period is swapped for a criterion.
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
    if let Some(d) = compare::direction(&ctx.deltas) {
        return d;
    }
    if ctx.statement_neutral {
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
/// between blocks of a restructured section adds or removes nothing. With `net` (the conditions
/// `gained` and `lost`), none unless the terms together moved that way too: one term swapped
/// for another of the list is no change.
fn moved_terms(
    set: &TermSet,
    ctx: &Ctx<'_>,
    docs: &mut DocCounts<'_>,
    grew: bool,
    net: bool,
) -> Vec<String> {
    // A term named only as an example (`supplementary measures such as encryption`) was never
    // promised on its own: it is not counted as removed when the example goes.
    let (from, to) = if grew {
        (ctx.old_text.as_str(), ctx.new_text.as_str())
    } else {
        let (old, new) = ctx.promised();
        (new, old)
    };
    let (before, after) = (set.counts(from), set.counts(to));
    if net && after.values().sum::<usize>() <= before.values().sum::<usize>() {
        return Vec::new();
    }
    // A term that only gained or lost a comma (`GitHub Inc.` → `GitHub, Inc.`, a company name
    // matched by pattern) is the same term.
    // The pattern takes one word before the comma and up to four words without it
    // (`github, inc.`, `thanks for entrusting github inc.`): one ending in the other is read
    // as the same name (so `Example Labs, Inc.` → `New Example Labs Inc.` is missed).
    let bare = |t: &str| t.replace(',', "");
    let same = |a: &str, b: &str| {
        if a.contains(',') == b.contains(',') {
            return false;
        }
        let (a, b) = (bare(a), bare(b));
        let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        long.strip_suffix(short.as_str()).is_some_and(|rest| rest.is_empty() || rest.ends_with(' '))
    };
    increased(&before, &after)
        .into_iter()
        .filter(|k| !before.keys().any(|b| b != k && same(b, k)))
        .filter(|k| {
            let (old_doc, new_doc) = docs.term(set, k);
            if grew { new_doc > old_doc } else { new_doc < old_doc }
        })
        .collect()
}

/// What a condition found: the terms behind it and the statement delta it rests on.
#[derive(Debug, Default)]
struct Found {
    terms: Vec<String>,
    delta: Option<usize>,
}

/// Whether delta `d` fits a rule's statement condition.
fn delta_fits(m: &StatementMatch, d: &Delta) -> bool {
    let any = |filter: &[String],
               values: &BTreeSet<String>,
               special: &dyn Fn(&str, &str) -> bool| {
        filter.is_empty() || filter.iter().any(|f| values.iter().any(|v| v == f || special(f, v)))
    };
    m.kinds.contains(&d.kind)
        && any(&m.actions, &d.actions, &|_, _| false)
        && any(&m.data, &d.data, &|f, v| f == "sensitive" && statements::is_sensitive(v))
        && any(&m.recipients, &d.recipients, &|f, v| {
            f == "named" && (v.starts_with("org:") || v.starts_with("sdk:"))
        })
        && any(&m.purposes, &d.purposes, &|_, _| false)
}

impl Condition {
    /// Evaluates the condition on one change; `None` when it does not hold, else what it found.
    /// Conditions on the whole comparison hold for no single change.
    fn eval(&self, ctx: &Ctx<'_>, docs: &mut DocCounts<'_>) -> Option<Found> {
        let c = ctx.change;
        let holds = |b: bool| b.then(Found::default);
        let terms =
            |found: Vec<String>| (!found.is_empty()).then_some(Found { terms: found, delta: None });
        let primary = if c.kind.is_removal() { &ctx.old_text } else { &ctx.new_text };
        match self {
            Condition::Changes(kinds) => holds(kinds.contains(&c.kind)),
            Condition::Sections(ids) => {
                holds(ids.iter().any(|s| ctx.ancestors.contains(s.as_str())))
            }
            Condition::Categories(cats) => holds(cats.iter().any(|x| ctx.categories.contains(x))),
            Condition::NotCategories(cats) => {
                holds(!cats.iter().any(|x| ctx.categories.contains(x)))
            }
            Condition::InTable(v) => holds(*v == ctx.is_row),
            Condition::Tables(t) => holds(ctx.header.as_deref().is_some_and(|h| t.any(h))),
            Condition::NotTables(t) => holds(!ctx.header.as_deref().is_some_and(|h| t.any(h))),
            Condition::Columns(cols) => holds(
                !ctx.changed_columns.is_empty() && ctx.changed_columns.iter().all(|h| cols.any(h)),
            ),
            Condition::Directions(d) => holds(d.contains(&ctx.direction)),
            Condition::Evidence(e) => holds(ctx.evidence.is_some_and(|x| e.contains(&x))),
            Condition::Duration(d) => holds(ctx.duration == Some(*d)),
            Condition::Rewritten(r) => holds(*r == (c.similarity < crate::diff::PAIR_THRESHOLD)),
            Condition::Text(t) => terms(t.counts(primary).into_keys().collect()),
            Condition::NotText(t) => holds(!t.any(&ctx.old_text) && !t.any(&ctx.new_text)),
            Condition::Added(t) => terms(moved_terms(t, ctx, docs, true, false)),
            Condition::Removed(t) => terms(moved_terms(t, ctx, docs, false, false)),
            Condition::Lost(t) => terms(moved_terms(t, ctx, docs, false, true)),
            Condition::Gained(t) => terms(moved_terms(t, ctx, docs, true, true)),
            Condition::AddedToDocument(t) => {
                let here = t.counts(&ctx.new_text);
                terms(here.into_keys().filter(|k| docs.term(t, k).0 == 0).collect())
            }
            Condition::RemovedFromDocument(t) => {
                let here = t.counts(&ctx.old_text);
                terms(here.into_keys().filter(|k| docs.term(t, k).1 == 0).collect())
            }
            Condition::PathAdded(t) => {
                terms(increased(&t.counts(&ctx.old_path), &t.counts(&ctx.new_path)))
            }
            Condition::EmphasisRemoved(t) => {
                terms(ctx.emphasis_removed.iter().flat_map(|e| t.counts(e).into_keys()).collect())
            }
            Condition::Statement(m) => {
                let k = ctx.deltas.iter().position(|d| delta_fits(m, d))?;
                Some(Found { terms: ctx.deltas[k].words.clone(), delta: Some(k) })
            }
            // Decided by `classify` itself (the fallback) or on the whole comparison.
            Condition::Unmatched
            | Condition::Wholesale
            | Condition::LanguageChanged
            | Condition::Degenerate => None,
        }
    }
}

/// Whether `rule` matches the change; what its conditions found. A rule that does not look at
/// editorial evidence never matches an editorial change.
fn matches(rule: &Rule, ctx: &Ctx<'_>, docs: &mut DocCounts<'_>) -> Option<Found> {
    if ctx.evidence.is_some() && rule.evidence().is_empty() {
        return None;
    }
    if rule.is_fallback() || rule.is_document_level() {
        return None;
    }
    let mut found = Found::default();
    for condition in &rule.when {
        let f = condition.eval(ctx, docs)?;
        found.terms.extend(f.terms);
        found.delta = found.delta.or(f.delta);
    }
    found.terms.sort();
    found.terms.dedup();
    Some(found)
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

/// The two languages reasons are written in.
const REASON_LANGUAGES: [&str; 2] = ["zh-CN", "en"];

/// The language a document's reasons are given in: its front matter's `lang`, else Chinese for a
/// text mostly in CJK characters, else English.
pub fn document_language(doc: &Document) -> &'static str {
    let lang = doc.field("lang").unwrap_or("");
    if lang.to_ascii_lowercase().starts_with("zh") {
        return "zh-CN";
    }
    if !lang.is_empty() {
        return "en";
    }
    let sample: String = doc.text.chars().take(4000).collect();
    if statements::clauses::is_chinese(&sample) { "zh-CN" } else { "en" }
}

/// A clause shortened for quoting.
fn quote(text: &str, lang: &str) -> String {
    let mut t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > 90 {
        t = t.chars().take(88).collect::<String>() + "…";
    }
    if lang.starts_with("zh") { format!("「{t}」") } else { format!("“{t}”") }
}

/// The reason of `rule` in `lang`: `{terms}` replaced by what matched (as the text words it),
/// `{term1}` … `{term9}` by one term each, `{statement}` by the clause quoted.
fn format_reason(
    rule: &Rule,
    lang: &str,
    terms: &[String],
    statement: Option<&str>,
    ctx: Option<&Ctx<'_>>,
) -> String {
    let written: Vec<String> = terms
        .iter()
        .map(|t| match ctx {
            Some(ctx) => as_written(t, ctx),
            None => t.clone(),
        })
        .collect();
    let mut shown: Vec<String> = Vec::new();
    for w in &written {
        if !shown.contains(w) {
            shown.push(w.clone());
        }
    }
    let sep = if lang.starts_with("zh") { "、" } else { ", " };
    let list = shown.iter().take(6).cloned().collect::<Vec<_>>().join(sep);
    let mut reason = rule.reason.get(lang).replace("{terms}", &list);
    // `{term1}`, `{term2}`, …: one matched term each, for reasons that place them apart.
    for (i, t) in written.iter().enumerate().take(9) {
        reason = reason.replace(&format!("{{term{}}}", i + 1), t);
    }
    if reason.contains("{statement}") {
        reason =
            reason.replace("{statement}", &statement.map(|s| quote(s, lang)).unwrap_or_default());
    } else if let Some(s) = statement {
        let q = quote(s, lang);
        if lang.starts_with("zh") {
            reason.push_str(&format!("：{q}"));
        } else {
            reason.push_str(&format!(": {q}"));
        }
    }
    reason
}

/// The language a text is written in (ISO 639-3), when the detector is confident.
fn detected_language(doc: &Document) -> Option<&'static str> {
    // A sample of the body from a few places: cheap, and enough for a confident guess.
    let body: String = doc
        .sections
        .iter()
        .flat_map(|s| {
            s.blocks.iter().filter(|b| b.kind != BlockKind::Code).map(|b| b.text.as_str())
        })
        .collect::<Vec<_>>()
        .join("\n");
    if body.chars().count() < 200 {
        return None;
    }
    let chars: Vec<char> = body.chars().collect();
    let mut sample = String::new();
    for k in 0..4 {
        let start = chars.len() * k / 4;
        sample.extend(chars[start..(start + 1200).min(chars.len())].iter());
        sample.push('\n');
    }
    let info = whatlang::detect(&sample)?;
    (info.confidence() >= 0.5).then(|| info.lang().code())
}

/// Phrases of pages that are not a policy: an error, a block, a page that moved.
const ERROR_PAGE: [&str; 24] = [
    "page not found",
    "not available in your country",
    "not available in your region",
    "access denied",
    "404",
    "403 forbidden",
    "this page isn't available",
    "this content is not available",
    "has been removed",
    "we can't find",
    "we couldn't find",
    "temporarily unavailable",
    "service unavailable",
    "enable javascript",
    "javascript is disabled",
    "please enable cookies",
    "are you a robot",
    "captcha",
    "页面不存在",
    "找不到页面",
    "无法访问",
    "访问被拒绝",
    "页面已删除",
    "该页面暂时无法访问",
];

/// Whether the new version is not a policy but an error page or a fragment of the old one:
/// under 40 % of the old text's length (normalised), or under 2,000 characters and worded like an
/// error page. A rewrite of normal length is never degenerate.
fn degenerate(old: &Document, new: &Document, wholes: &Wholes) -> bool {
    let (o, n) = (wholes.key_chars(0, old), wholes.key_chars(1, new));
    if o >= 500 && n * 10 < o * 4 {
        return true;
    }
    n < 2000 && o > n && {
        let text = match_text(&new.text);
        ERROR_PAGE.iter().any(|p| text.contains(p))
    }
}

/// A finding about the whole comparison (a guard or the wholesale rule).
fn document_finding(rule: &Rule, new: &Document, lang: &str, terms: &[String]) -> Finding {
    let level = match rule.level {
        LevelSpec::Fixed(l) => l,
        LevelSpec::Category => Level::Major,
    };
    Finding {
        rule: rule.id.clone(),
        level,
        qualifiers: rule.qualifiers.iter().copied().collect(),
        reference: rule.reference.get(lang).to_string(),
        section: PREAMBLE_ID.to_string(),
        section_path: Vec::new(),
        change: ChangeKind::SectionModified,
        direction: Direction::Unknown,
        old: None,
        new: None,
        reason: format_reason(rule, lang, terms, None, None),
        location: Location { path: new.path.clone(), line: Some(1), side: "new" },
        also: Vec::new(),
        statement: None,
        reasons: REASON_LANGUAGES
            .iter()
            .map(|l| (l.to_string(), format_reason(rule, l, terms, None, None)))
            .collect(),
        references: REASON_LANGUAGES
            .iter()
            .map(|l| (l.to_string(), rule.reference.get(l).to_string()))
            .collect(),
        key: crate::notes::finding_key(&rule.id, PREAMBLE_ID, None, None),
    }
}

/// The guard that holds for this comparison, with what it found: the two languages, or that the
/// new version is degenerate.
fn guard(rule: &Rule, old: &Document, new: &Document, wholes: &Wholes) -> Option<Vec<String>> {
    let mut found = Vec::new();
    for c in &rule.when {
        match c {
            Condition::LanguageChanged => {
                let (a, b) = (wholes.language(0, old)?, wholes.language(1, new)?);
                if a == b {
                    return None;
                }
                found.push(language_name(a).to_string());
                found.push(language_name(b).to_string());
            }
            Condition::Degenerate => {
                if !degenerate(old, new, wholes) {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(found)
}

/// An ISO 639-3 code as a readable name.
fn language_name(code: &str) -> &str {
    match code {
        "eng" => "English",
        "cmn" => "Chinese",
        "deu" => "German",
        "fra" => "French",
        "spa" => "Spanish",
        "ita" => "Italian",
        "nld" => "Dutch",
        "por" => "Portuguese",
        "rus" => "Russian",
        "jpn" => "Japanese",
        "kor" => "Korean",
        "ara" => "Arabic",
        "tur" => "Turkish",
        "pol" => "Polish",
        other => other,
    }
}

/// Classifies every change of `diff` (from `old` to `new`) under `criteria`.
pub fn classify(
    old: &Document,
    new: &Document,
    diff: &DocumentDiff,
    criteria: &Criteria,
) -> Classification {
    let wholes = Wholes::default();
    if let Some(c) = guarded(old, new, diff, criteria, &wholes) {
        return c;
    }
    let level = if diff.identical { Level::None } else { Level::Editorial };
    let read = Statements::read(old, new, diff);
    judge(old, new, diff, criteria, &read, &wholes, document_language(new), level)
}

/// The classification when a guard holds: its one finding, nothing else.
fn guarded(
    old: &Document,
    new: &Document,
    diff: &DocumentDiff,
    criteria: &Criteria,
    wholes: &Wholes,
) -> Option<Classification> {
    if diff.identical {
        return None;
    }
    let lang = document_language(new);
    for rule in criteria.rules.iter().filter(|r| r.is_guard()) {
        if let Some(terms) = guard(rule, old, new, wholes) {
            let finding = document_finding(rule, new, lang, &terms);
            let verdicts = diff
                .changes
                .iter()
                .map(|_| ChangeVerdict {
                    level: Level::Editorial,
                    direction: Direction::Unknown,
                    finding: None,
                })
                .collect();
            return Some(Classification {
                level: finding.level,
                qualifiers: finding.qualifiers.clone(),
                findings: vec![finding],
                verdicts,
                notices: Vec::new(),
            });
        }
    }
    None
}

/// The statements of both versions of a comparison and their indexes: what [`classify`] compares
/// besides the words. Reading them needs no criteria, so it may run while they load.
#[derive(Debug, Default)]
pub struct Statements {
    old: DocumentStatements,
    new: DocumentStatements,
    old_index: Index,
    new_index: Index,
    wholes: Wholes,
}

/// What the guards and the date notices read from each version as a whole, computed on first
/// use: its length as an editorial key (in characters), its detected language and its stated
/// dates. Index 0 is the old version, 1 the new one.
#[derive(Debug, Default)]
struct Wholes {
    key_chars: [OnceLock<usize>; 2],
    language: [OnceLock<Option<&'static str>>; 2],
    dates: [OnceLock<(Option<StatedDate>, Option<StatedDate>)>; 2],
}

impl Wholes {
    /// The number of characters of `doc`'s whole text as an editorial key.
    fn key_chars(&self, side: usize, doc: &Document) -> usize {
        *self.key_chars[side].get_or_init(|| editorial_key(&doc.text).chars().count())
    }

    /// `doc`'s language when the detector is confident ([`detected_language`]).
    fn language(&self, side: usize, doc: &Document) -> Option<&'static str> {
        *self.language[side].get_or_init(|| detected_language(doc))
    }

    /// The dates `doc` states about itself ([`stated_dates`]).
    fn dates(&self, side: usize, doc: &Document) -> (Option<StatedDate>, Option<StatedDate>) {
        *self.dates[side].get_or_init(|| stated_dates(doc))
    }

    /// Computes all of them for both versions now, one after the other, until `stop` holds
    /// (asked before each); the answers are those computed on first use. Returns whether all
    /// are computed.
    fn fill_until(&self, old: &Document, new: &Document, stop: impl Fn() -> bool) -> bool {
        for (side, doc) in [(0, old), (1, new)] {
            let steps: [&dyn Fn(); 3] =
                [&|| _ = self.key_chars(side, doc), &|| _ = self.language(side, doc), &|| {
                    _ = self.dates(side, doc)
                }];
            for step in steps {
                if stop() {
                    return false;
                }
                step();
            }
        }
        true
    }
}

impl Statements {
    /// Reads the statements of `old` and `new`, diffed as `diff` (none when the texts are
    /// identical). The new version's unchanged sections take the old version's statements.
    pub fn read(old: &Document, new: &Document, diff: &DocumentDiff) -> Statements {
        if diff.identical {
            return Statements::default();
        }
        Statements::read_statements(old, new, diff)
    }

    /// [`Statements::read`], and what the guards and the date notices need from each whole
    /// version (its editorial-key length, language and stated dates): the comparison judged
    /// from them later has nothing left to read. Reading statements needs the statement lexicon;
    /// while another thread still compiles it ([`statements::prepare`]), this one works out the
    /// whole-version facts, and a second thread works out those left once it is compiled.
    pub fn read_all(old: &Document, new: &Document, diff: &DocumentDiff) -> Statements {
        if diff.identical {
            return Statements::default();
        }
        let wholes = Wholes::default();
        let mut read = if wholes.fill_until(old, new, statements::prepared) {
            Statements::read_statements(old, new, diff)
        } else {
            std::thread::scope(|scope| {
                scope.spawn(|| wholes.fill_until(old, new, || false));
                Statements::read_statements(old, new, diff)
            })
        };
        read.wholes = wholes;
        read
    }

    /// The statements and indexes of two versions that differ.
    fn read_statements(old: &Document, new: &Document, diff: &DocumentDiff) -> Statements {
        let old_statements = statements::extract_indexed(old);
        let new_statements =
            statements::extract_reusing(new, old, &old_statements, &diff.new_to_old);
        let (old_index, new_index) = Index::of_both(&old_statements, &new_statements);
        Statements {
            old: old_statements,
            new: new_statements,
            old_index,
            new_index,
            wholes: Wholes::default(),
        }
    }
}

/// [`classify`], with the statements already read ([`Statements::read`] on the same three).
pub fn classify_read(
    old: &Document,
    new: &Document,
    diff: &DocumentDiff,
    criteria: &Criteria,
    read: &Statements,
) -> Classification {
    match guarded(old, new, diff, criteria, &read.wholes) {
        Some(c) => c,
        None => {
            let level = if diff.identical { Level::None } else { Level::Editorial };
            judge(old, new, diff, criteria, read, &read.wholes, document_language(new), level)
        }
    }
}

/// Judges every change once no guard holds.
#[allow(clippy::too_many_arguments)]
fn judge(
    old: &Document,
    new: &Document,
    diff: &DocumentDiff,
    criteria: &Criteria,
    read: &Statements,
    wholes: &Wholes,
    lang: &str,
    mut level: Level,
) -> Classification {
    let sides = Sides {
        old,
        new,
        criteria,
        statements: compare::Sides {
            old: &read.old,
            new: &read.new,
            old_index: &read.old_index,
            new_index: &read.new_index,
            old_to_new: &diff.old_to_new,
        },
        old_cats: (0..old.sections.len()).map(|_| OnceLock::new()).collect(),
        new_cats: (0..new.sections.len()).map(|_| OnceLock::new()).collect(),
        old_text: OnceLock::new(),
        new_text: OnceLock::new(),
    };
    let mut docs = DocCounts { sides: &sides, cache: HashMap::new() };
    let sensitive = criteria.lexicons.get("sensitive");
    let children = criteria.lexicons.get("children");
    let fallback = criteria.rules.iter().find(|r| r.is_fallback());
    let mut findings = Vec::new();
    let mut verdicts = Vec::new();
    let mut qualifiers = BTreeSet::new();
    for change in &diff.changes {
        let ctx = sides.ctx(change, criteria);
        let mut matched: Vec<(usize, Level, Found)> = Vec::new();
        for (k, rule) in criteria.rules.iter().enumerate() {
            if let Some(found) = matches(rule, &ctx, &mut docs) {
                matched.push((k, rule_level(rule, &ctx, criteria), found));
            }
        }
        if matched.is_empty()
            && ctx.evidence.is_none()
            && let Some(rule) = fallback
            && let Some(k) = criteria.rules.iter().position(|r| r.id == rule.id)
        {
            matched.push((k, rule_level(rule, &ctx, criteria), Found::default()));
        }
        let base = if ctx.evidence.is_some() { Level::Editorial } else { Level::Minor };
        let mut change_level = matched.iter().map(|m| m.1).max().unwrap_or(base);
        let mut quals: BTreeSet<Qualifier> = BTreeSet::new();
        for (k, l, _) in &matched {
            let rule = &criteria.rules[*k];
            for q in &rule.qualifiers {
                if *l == change_level || matches!(q, Qualifier::Review | Qualifier::Block) {
                    quals.insert(*q);
                }
            }
        }
        // Sensitivity escalation: a broadening practice on sensitive data needs separate
        // consent (PIPL art. 29), children's data a guardian's (art. 31).
        let escalates = matched.iter().any(|(k, _, _)| criteria.rules[*k].escalate_sensitive)
            && matches!(
                ctx.direction,
                Direction::Broaden | Direction::Unknown | Direction::Neutral
            );
        let mut escalation_terms = Vec::new();
        if escalates {
            let broadening: Vec<&Delta> = ctx.deltas.iter().filter(|d| d.kind.broadens()).collect();
            if !broadening.is_empty() {
                for d in &broadening {
                    for x in d.data.iter().filter(|x| statements::is_sensitive(x)) {
                        let word = d.written(x).to_string();
                        if !escalation_terms.contains(&word) {
                            escalation_terms.push(word);
                        }
                    }
                }
                if broadening.iter().any(|d| d.data.contains("children")) {
                    quals.insert(Qualifier::Guardian);
                    change_level = Level::Reconsent;
                }
            } else {
                if let Some(s) = sensitive {
                    escalation_terms = s.counts(&ctx.new_text).into_keys().collect();
                }
                if let Some(c) = children
                    && c.any(&ctx.new_text)
                {
                    change_level = Level::Reconsent;
                    quals.insert(Qualifier::Guardian);
                }
            }
            if !escalation_terms.is_empty() {
                change_level = Level::Reconsent;
                quals.insert(Qualifier::Separate);
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
        let finding = match deciding {
            Some((k, _, found)) if change_level >= Level::Minor || !matched.is_empty() => {
                let rule = &criteria.rules[*k];
                let statement = found
                    .delta
                    .map(|d| ctx.deltas[d].clause.clone())
                    .or_else(|| single_statement(&ctx, &sides));
                let reason_in = |l: &str| {
                    let mut reason =
                        format_reason(rule, l, &found.terms, statement.as_deref(), Some(&ctx));
                    if !escalation_terms.is_empty()
                        && rule_level(rule, &ctx, criteria) < Level::Reconsent
                    {
                        let words: Vec<String> =
                            escalation_terms.iter().take(4).map(|t| as_written(t, &ctx)).collect();
                        if l.starts_with("zh") {
                            reason.push_str(&format!("；涉及敏感个人信息（{}），须取得单独同意（《个人信息保护法》第二十九条）", words.join("、")));
                        } else {
                            reason.push_str(&format!("; it touches sensitive personal information ({}), which needs separate consent (PIPL art. 29)", words.join(", ")));
                        }
                    }
                    reason
                };
                let also = matched
                    .iter()
                    .map(|(k, _, _)| criteria.rules[*k].id.clone())
                    .filter(|id| *id != rule.id)
                    .collect();
                let (section_doc, section_index) = match change.new_section {
                    Some(s) => (new, s),
                    None => (old, change.old_section.unwrap_or(0)),
                };
                let removed = change.new_line.is_none();
                let reasons =
                    REASON_LANGUAGES.iter().map(|l| (l.to_string(), reason_in(l))).collect();
                let reason = reason_in(lang);
                findings.push(Finding {
                    rule: rule.id.clone(),
                    level: change_level,
                    qualifiers: quals.clone(),
                    reference: rule.reference.get(lang).to_string(),
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
                    statement,
                    reasons,
                    references: REASON_LANGUAGES
                        .iter()
                        .map(|l| (l.to_string(), rule.reference.get(l).to_string()))
                        .collect(),
                    key: crate::notes::finding_key(
                        &rule.id,
                        &section_doc.sections[section_index].id,
                        change.old.as_deref(),
                        change.new.as_deref(),
                    ),
                });
                Some(findings.len() - 1)
            }
            _ => None,
        };
        level = level.max(change_level);
        qualifiers.extend(quals.iter().copied());
        verdicts.push(ChangeVerdict { level: change_level, direction: ctx.direction, finding });
    }
    if !diff.identical {
        for rule in criteria
            .rules
            .iter()
            .filter(|r| r.when.iter().any(|c| matches!(c, Condition::Wholesale)))
        {
            if diff.unaligned > criteria.wholesale_threshold {
                let terms = vec![
                    format!("{:.0}%", diff.unaligned * 100.0),
                    format!("{:.0}%", criteria.wholesale_threshold * 100.0),
                ];
                let finding = document_finding(rule, new, lang, &terms);
                level = level.max(finding.level);
                qualifiers.extend(finding.qualifiers.iter().copied());
                findings.push(finding);
            }
        }
    }
    let notices = date_notices(old, new, diff, level, criteria, wholes);
    Classification { level, qualifiers, findings, verdicts, notices }
}

/// The clause a change is about when it has exactly one changed clause with a statement (for
/// quoting in findings whose rule is not about a delta).
fn single_statement(ctx: &Ctx<'_>, sides: &Sides<'_>) -> Option<String> {
    let c = ctx.change;
    let (st, s, b) = match (c.new_section, c.new_block) {
        (Some(s), Some(b)) => (sides.statements.new, s, b),
        _ => (sides.statements.old, c.old_section?, c.old_block?),
    };
    let clauses = st.of_block(s, b);
    (clauses.len() == 1).then(|| clauses[0].text.clone())
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
            // The first of each is kept: nothing later changes the answer.
            if updated.is_some() && effective.is_some() {
                return (updated, effective);
            }
            // The label words, Latin ones in any case (no other letter lower-cases to theirs),
            // looked for before the block is lower-cased.
            let bytes = block.text.as_bytes();
            let latin = |w: &[u8]| bytes.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w));
            if !(["日期", "时间", "更新"].iter().any(|k| block.text.contains(k))
                || latin(b"updated")
                || latin(b"modified")
                || latin(b"effective"))
            {
                continue;
            }
            let lower = block.text.to_lowercase();
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

/// Content changed without a date bump; a notice lead time
/// shorter than configured on a major release.
fn date_notices(
    old: &Document,
    new: &Document,
    diff: &DocumentDiff,
    level: Level,
    criteria: &Criteria,
    wholes: &Wholes,
) -> Vec<String> {
    let mut notices = Vec::new();
    let (old_updated, old_effective) = wholes.dates(0, old);
    let (new_updated, new_effective) = wholes.dates(1, new);
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
