//! The redline page's content: a [`Comparison`] turned into sections of items whose text is a list
//! of [`Segment`]s (`equal` / `insert` / `delete`). The templates write `<ins>` and `<del>` around
//! the segments, so policy text stays autoescaped.
//!
//! Every section of the new version is shown in order with its full text (the reader sees each
//! change in context); removed sections appear where they were, after the nearest section that
//! still exists. Tables stay tables: added rows are inserted, removed rows deleted, edited rows
//! redlined cell by cell, and a reorder is noted on the table. Moved blocks are shown where they
//! now stand, labelled with the section they came from. Each change carries its level and, when a
//! rule decided it, the number of its finding, listed beside the section and in the summary.

use crate::classify::ChangeVerdict;
use crate::diff::{Change, DocumentDiff, Segment, SegmentOp, inline_diff};
use crate::document::{Block, BlockKind, Document};
use crate::model::{Bump, ChangeKind, Level, Qualifier};
use crate::report::{ByLevel, Comparison};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The whole redline of one comparison.
#[derive(Debug, Clone, Serialize)]
pub struct RedlineView {
    /// The release level of the change (the maximum over changes).
    pub level: Level,
    /// The version bump it requires.
    pub bump: Bump,
    /// Union of the findings' qualifiers, in contract order.
    pub qualifiers: Vec<Qualifier>,
    /// Level is `reconsent`.
    pub reconsent_required: bool,
    /// Level is `major` or `reconsent`.
    pub notice_required: bool,
    /// Some finding carries `review`.
    pub review_required: bool,
    /// Number of changes per level.
    pub by_level: ByLevel,
    /// Number of changes.
    pub changes: usize,
    /// The two texts are identical.
    pub identical: bool,
    /// Every finding, numbered from 1 (anchor `finding-N`).
    pub findings: Vec<FindingView>,
    /// Changes to the whole file: front matter, formatting.
    pub document_notes: Vec<Note>,
    /// Sections in reading order.
    pub sections: Vec<SectionView>,
    /// Observations that are not changes (dates not bumped, short notice).
    pub notices: Vec<String>,
    /// The redline of a translation: its text's changes with the source text's findings.
    pub translated: bool,
    /// What a page shows, in reading order ([`for_page`]): changed sections, and each run of
    /// unchanged ones as one line. Empty until then.
    pub parts: Vec<Part>,
}

/// A piece of a redline page.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Part {
    /// A section with something to show (a change, a note or a finding).
    Section {
        /// The section.
        section: SectionView,
    },
    /// A run of consecutive unchanged sections, collapsed to one line.
    Unchanged {
        /// How many sections.
        count: usize,
    },
}

/// One finding as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    /// 1-based number.
    pub n: usize,
    /// The change's level.
    pub level: Level,
    /// Qualifiers in contract order.
    pub qualifiers: Vec<Qualifier>,
    /// The rule id.
    pub rule: String,
    /// Why it fired.
    pub reason: String,
    /// The language of `reason` when a page must mark it with `lang` (a reason in English on
    /// a Chinese page); `None` when it is the page's.
    pub reason_lang: Option<String>,
    /// The clause or law behind the rule.
    pub reference: String,
    /// The reason by language tag (`zh-CN`, `en`), for pages in other languages than the
    /// document's.
    pub reasons: BTreeMap<String, String>,
    /// The reference by language tag.
    pub references: BTreeMap<String, String>,
    /// How many changes of the section this finding stands for (identical findings of one
    /// section are merged on a page: a new section of N paragraphs is one finding).
    pub count: usize,
    /// The section id (the anchor on the page).
    pub section: String,
    /// The section's heading as written (empty for text before the first heading).
    pub section_title: String,
    /// The change kind.
    pub change: ChangeKind,
    /// The finding's key, by which a publisher's annotation names it.
    pub key: String,
    /// The keys of every finding this one stands for: its own first, then those merged into it
    /// on a page (an annotation of any of them is shown beside it).
    pub keys: Vec<String>,
}

/// The level (and finding) of one change, shown beside its text.
#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    /// The change kind.
    pub kind: ChangeKind,
    /// Its level; `None` on a translation's redline, where only the source text is judged.
    pub level: Option<Level>,
    /// Its finding's number, when a rule decided it.
    pub finding: Option<usize>,
}

/// A change that is not text of a block: a section moved, renumbered or renamed, rows
/// reordered, front matter or formatting.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    /// The change kind.
    pub kind: ChangeKind,
    /// Its level (`None` on a translation's redline).
    pub level: Option<Level>,
    /// Its finding's number.
    pub finding: Option<usize>,
    /// Before (old position, number, row order), as text.
    pub old: String,
    /// After.
    pub new: String,
}

/// What happened to a block or row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Unchanged.
    Same,
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// Edited.
    Modified,
    /// Moved here from elsewhere (label: where from).
    Moved,
    /// Moved away from here (label: where to); its text is shown at its new place.
    MovedOut,
}

/// One section in reading order.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// The section id (anchor).
    pub id: String,
    /// The heading as a redline (empty for the text before the first heading).
    pub heading: Vec<Segment>,
    /// HTML heading level, 2–6.
    pub level: u8,
    /// `same`, `added`, `removed` or `modified` (something inside changed).
    pub status: Status,
    /// Section-level changes.
    pub notes: Vec<Note>,
    /// The findings of changes shown in this section (also listed in the summary).
    pub findings: Vec<FindingView>,
    /// Paragraphs, list items and tables; empty for an unchanged section (its text is on the
    /// version pages).
    pub items: Vec<Item>,
}

/// A paragraph-like block or a table.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Item {
    /// A paragraph, list item, code or HTML block.
    Block {
        /// What kind of block.
        kind: BlockKind,
        /// What happened to it.
        status: Status,
        /// Its text as a redline.
        segments: Vec<Segment>,
        /// The change, if any.
        mark: Option<Mark>,
        /// For moved blocks: the heading of the other place.
        moved: Option<String>,
    },
    /// A table with its header and rows.
    Table {
        /// Header cells as redlines.
        header: Vec<Vec<Segment>>,
        /// Body rows.
        rows: Vec<Row>,
    },
    /// A run of unchanged blocks far from any change, collapsed to one line.
    Unchanged {
        /// How many blocks.
        count: usize,
    },
}

/// A table row.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// What happened to it.
    pub status: Status,
    /// Cells as redlines.
    pub cells: Vec<Vec<Segment>>,
    /// The change, if any.
    pub mark: Option<Mark>,
    /// For moved rows: the heading of the other place.
    pub moved: Option<String>,
    /// For a run of unchanged rows far from any change, collapsed to one row: how many (then
    /// `cells` is empty); 0 for a real row.
    pub collapsed: usize,
}

fn equal(text: &str) -> Vec<Segment> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Segment { op: SegmentOp::Equal, text: text.to_string() }]
    }
}

fn whole(op: SegmentOp, text: &str) -> Vec<Segment> {
    if text.is_empty() { Vec::new() } else { vec![Segment { op, text: text.to_string() }] }
}

/// A block on one side of the comparison.
#[derive(Clone, Copy)]
enum Entry {
    New(usize),
    Old(usize),
}

struct Builder<'a> {
    old: &'a Document,
    new: &'a Document,
    diff: &'a DocumentDiff,
    /// The verdict of each change; `None` for a translation (the source text is judged).
    verdicts: Option<&'a [ChangeVerdict]>,
    /// (new section, new block) → change index.
    by_new_block: HashMap<(usize, usize), usize>,
    /// (old section, old block) → change index.
    by_old_block: HashMap<(usize, usize), usize>,
    shift: i8,
}

impl Builder<'_> {
    fn change(&self, k: usize) -> &Change {
        &self.diff.changes[k]
    }

    fn mark(&self, k: usize) -> Mark {
        let v = self.verdicts.map(|v| &v[k]);
        Mark {
            kind: self.change(k).kind,
            level: v.map(|v| v.level),
            finding: v.and_then(|v| v.finding).map(|f| f + 1),
        }
    }

    fn note(&self, k: usize) -> Note {
        let c = self.change(k);
        let m = self.mark(k);
        let (old, new) = match c.kind {
            ChangeKind::SectionMoved => (
                c.old_section.map(|i| self.old.section_path(i).join(" › ")).unwrap_or_default(),
                c.new_section.map(|j| self.new.section_path(j).join(" › ")).unwrap_or_default(),
            ),
            ChangeKind::SectionRenumbered => (
                c.old_section.and_then(|i| self.old.sections[i].number.clone()).unwrap_or_default(),
                c.new_section.and_then(|j| self.new.sections[j].number.clone()).unwrap_or_default(),
            ),
            _ => (c.old.clone().unwrap_or_default(), c.new.clone().unwrap_or_default()),
        };
        Note { kind: c.kind, level: m.level, finding: m.finding, old, new }
    }

    fn level(&self, doc_level: u8) -> u8 {
        (doc_level as i8 + self.shift).clamp(2, 6) as u8
    }

    /// The new block in section `j` that old block `a` of section `i` became, if it stayed there
    /// (by its change, else by identical text).
    fn counterpart(
        &self,
        i: usize,
        a: usize,
        j: usize,
        by_text: &HashMap<&str, usize>,
    ) -> Option<usize> {
        match self.by_old_block.get(&(i, a)) {
            Some(&k) => {
                let c = self.change(k);
                (c.new_section == Some(j)).then_some(c.new_block).flatten()
            }
            None => by_text.get(self.old.sections[i].blocks[a].text.as_str()).copied(),
        }
    }

    /// Whether old block `a` of section `i` is shown on the old side in new section `j`:
    /// removed, or moved to another section.
    fn shown_from_old(&self, i: usize, a: usize, j: Option<usize>) -> bool {
        self.by_old_block.get(&(i, a)).is_some_and(|&k| {
            let c = self.change(k);
            c.new_block.is_none() || c.new_section != j
        })
    }

    fn entries(&self, old_i: Option<usize>, new_j: Option<usize>) -> Vec<Entry> {
        let mut out = Vec::new();
        let Some(j) = new_j else {
            let i = old_i.unwrap_or(0);
            return (0..self.old.sections[i].blocks.len()).map(Entry::Old).collect();
        };
        let ns = &self.new.sections[j];
        let mut anchored: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
        if let Some(i) = old_i {
            let mut by_text: HashMap<&str, usize> = HashMap::new();
            for (b, block) in ns.blocks.iter().enumerate().rev() {
                if !self.by_new_block.contains_key(&(j, b)) {
                    by_text.insert(block.text.as_str(), b);
                }
            }
            for a in 0..self.old.sections[i].blocks.len() {
                if !self.shown_from_old(i, a, Some(j)) {
                    continue;
                }
                let anchor = (0..a).rev().find_map(|p| self.counterpart(i, p, j, &by_text));
                anchored.entry(anchor).or_default().push(a);
            }
        }
        out.extend(anchored.remove(&None).unwrap_or_default().into_iter().map(Entry::Old));
        for b in 0..ns.blocks.len() {
            out.push(Entry::New(b));
            out.extend(anchored.remove(&Some(b)).unwrap_or_default().into_iter().map(Entry::Old));
        }
        out
    }

    /// The heading of `section` for a "moved from/to" label; `None` for the text before the
    /// first heading (the template names it).
    fn heading_of(&self, doc: &Document, section: Option<usize>) -> Option<String> {
        section.map(|s| doc.sections[s].heading.clone()).filter(|h| !h.is_empty())
    }

    /// Status, segments (whole text), per-cell segments, mark and moved label of one entry.
    fn describe(&self, entry: Entry, section_i: Option<usize>, section_j: Option<usize>) -> Shown {
        match entry {
            Entry::New(b) => {
                let j = section_j.unwrap_or(0);
                let block = &self.new.sections[j].blocks[b];
                let Some(&k) = self.by_new_block.get(&(j, b)) else {
                    return Shown::same(block);
                };
                let c = self.change(k);
                let mark = Some(self.mark(k));
                let old_block =
                    c.old_section.zip(c.old_block).map(|(s, x)| &self.old.sections[s].blocks[x]);
                let (status, segments) = match c.kind {
                    ChangeKind::BlockAdded | ChangeKind::RowAdded => {
                        (Status::Added, whole(SegmentOp::Insert, &block.text))
                    }
                    ChangeKind::BlockMoved => (
                        Status::Moved,
                        if c.inline.is_empty() { equal(&block.text) } else { c.inline.clone() },
                    ),
                    _ => (
                        Status::Modified,
                        if c.inline.is_empty() { equal(&block.text) } else { c.inline.clone() },
                    ),
                };
                let cells = match (status, old_block) {
                    (Status::Added, _) => {
                        block.cells.iter().map(|t| whole(SegmentOp::Insert, t)).collect()
                    }
                    _ if !c.cells.is_empty() => c.cells.clone(),
                    (_, Some(ob)) => cell_diffs(&ob.cells, &block.cells),
                    _ => block.cells.iter().map(|t| equal(t)).collect(),
                };
                let moved = (c.kind == ChangeKind::BlockMoved
                    && c.old_section != Some(section_i.unwrap_or(usize::MAX)))
                .then(|| self.heading_of(self.old, c.old_section))
                .flatten();
                Shown { kind: block.kind, status, segments, cells, mark, moved }
            }
            Entry::Old(a) => {
                let i = section_i.unwrap_or(0);
                let block = &self.old.sections[i].blocks[a];
                let k = self.by_old_block.get(&(i, a)).copied();
                let mark = k.map(|k| self.mark(k));
                match k.map(|k| self.change(k)) {
                    Some(c) if c.kind == ChangeKind::BlockMoved => Shown {
                        kind: block.kind,
                        status: Status::MovedOut,
                        segments: equal(&block.text),
                        cells: block.cells.iter().map(|t| equal(t)).collect(),
                        mark,
                        moved: self.heading_of(self.new, c.new_section),
                    },
                    _ => Shown {
                        kind: block.kind,
                        status: Status::Removed,
                        segments: whole(SegmentOp::Delete, &block.text),
                        cells: block.cells.iter().map(|t| whole(SegmentOp::Delete, t)).collect(),
                        mark,
                        moved: None,
                    },
                }
            }
        }
    }

    fn items(&self, old_i: Option<usize>, new_j: Option<usize>) -> Vec<Item> {
        let mut items = Vec::new();
        let mut table: Option<(Vec<Vec<Segment>>, Vec<Row>)> = None;
        let flush = |table: &mut Option<(Vec<Vec<Segment>>, Vec<Row>)>, items: &mut Vec<Item>| {
            if let Some((header, rows)) = table.take() {
                items.push(Item::Table { header, rows });
            }
        };
        for entry in self.entries(old_i, new_j) {
            let shown = self.describe(entry, old_i, new_j);
            match shown.kind {
                BlockKind::TableHeader => {
                    flush(&mut table, &mut items);
                    table = Some((shown.cells, Vec::new()));
                }
                BlockKind::TableRow => {
                    let row = Row {
                        status: shown.status,
                        cells: shown.cells,
                        mark: shown.mark,
                        moved: shown.moved,
                        collapsed: 0,
                    };
                    table.get_or_insert_with(|| (Vec::new(), Vec::new())).1.push(row);
                }
                kind => {
                    flush(&mut table, &mut items);
                    items.push(Item::Block {
                        kind,
                        status: shown.status,
                        segments: shown.segments,
                        mark: shown.mark,
                        moved: shown.moved,
                    });
                }
            }
        }
        flush(&mut table, &mut items);
        items
    }
}

/// What one block looks like on the page.
struct Shown {
    kind: BlockKind,
    status: Status,
    segments: Vec<Segment>,
    cells: Vec<Vec<Segment>>,
    mark: Option<Mark>,
    moved: Option<String>,
}

impl Shown {
    fn same(block: &Block) -> Shown {
        Shown {
            kind: block.kind,
            status: Status::Same,
            segments: equal(&block.text),
            cells: block.cells.iter().map(|t| equal(t)).collect(),
            mark: None,
            moved: None,
        }
    }
}

/// Per-cell redlines of two rows, padded to the wider one.
fn cell_diffs(old: &[String], new: &[String]) -> Vec<Vec<Segment>> {
    (0..old.len().max(new.len()))
        .map(|k| {
            inline_diff(
                old.get(k).map_or("", String::as_str),
                new.get(k).map_or("", String::as_str),
            )
        })
        .collect()
}

/// `Some("en")` when fewer than 10 % of the letters of `text` are CJK.
fn latin_english(text: &str) -> Option<&'static str> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let cjk = text.chars().filter(|&c| crate::normalize::is_cjk(c)).count();
    (letters > 0 && cjk * 10 < letters).then_some("en")
}

/// The status a section has by its pairing alone: added, removed, or (for now) the same.
fn status_of(old_i: Option<usize>, new_j: Option<usize>) -> Status {
    match (old_i, new_j) {
        (None, Some(_)) => Status::Added,
        (Some(_), None) => Status::Removed,
        _ => Status::Same,
    }
}

/// Builds the redline of `cmp`; `shift` moves the documents' heading levels (see
/// [`super::html::level_shift`]).
pub fn view(cmp: &Comparison, shift: i8) -> RedlineView {
    let cls = &cmp.classification;
    let all_findings: Vec<FindingView> = cls
        .findings
        .iter()
        .enumerate()
        .map(|(k, f)| FindingView {
            n: k + 1,
            level: f.level,
            qualifiers: f.qualifiers.iter().copied().collect(),
            rule: f.rule.clone(),
            reason: f.reason.clone(),
            reason_lang: latin_english(&f.reason).map(str::to_string),
            reference: f.reference.clone(),
            reasons: f.reasons.clone(),
            references: f.references.clone(),
            count: 1,
            section: f.section.clone(),
            section_title: f.section_path.last().cloned().unwrap_or_default(),
            change: f.change,
            key: f.key.clone(),
            keys: vec![f.key.clone()],
        })
        .collect();
    let (sections, document_notes) =
        sections(&cmp.old, &cmp.new, &cmp.diff, Some(&cls.verdicts), &all_findings, shift);
    let r = &cmp.report;
    RedlineView {
        level: r.level,
        bump: r.bump,
        qualifiers: r.qualifiers.iter().copied().collect(),
        reconsent_required: r.reconsent_required,
        notice_required: r.notice_required,
        review_required: r.review_required,
        by_level: r.stats.by_level.clone(),
        changes: r.stats.changes,
        identical: cmp.diff.identical,
        findings: all_findings,
        document_notes,
        sections,
        notices: r.notices.clone(),
        translated: false,
        parts: Vec::new(),
    }
}

/// The redline of a translation between two versions, `old` → `new`: the translation's own
/// changes, with the level, findings and notices of the source text's redline `source` (the
/// source text is binding and alone decides a release's level; a translation is never judged on
/// its own). Each section lists the source findings of the section with its id; its changes
/// carry their kind but no level.
pub(super) fn translated_view(
    source: &RedlineView,
    old: &Document,
    new: &Document,
    shift: i8,
) -> RedlineView {
    let diff = crate::diff::diff(old, new);
    let (mut sections, document_notes) = sections(old, new, &diff, None, &[], shift);
    for s in &mut sections {
        s.findings = source.findings.iter().filter(|f| f.section == s.id).cloned().collect();
    }
    RedlineView {
        identical: diff.identical,
        document_notes,
        sections,
        translated: true,
        parts: Vec::new(),
        ..source.clone()
    }
}

/// The sections of the redline `old` → `new` in reading order, and the notes about the whole
/// file. `verdicts` give each change's level and finding (an index into `findings`, 0-based).
fn sections(
    old: &Document,
    new: &Document,
    diff: &DocumentDiff,
    verdicts: Option<&[ChangeVerdict]>,
    findings: &[FindingView],
    shift: i8,
) -> (Vec<SectionView>, Vec<Note>) {
    let mut b = Builder {
        old,
        new,
        diff,
        verdicts,
        by_new_block: HashMap::new(),
        by_old_block: HashMap::new(),
        shift,
    };
    let mut section_notes: HashMap<(bool, usize), Vec<usize>> = HashMap::new();
    let mut document_notes = Vec::new();
    for (k, c) in diff.changes.iter().enumerate() {
        if let (Some(s), Some(x)) = (c.new_section, c.new_block) {
            b.by_new_block.insert((s, x), k);
        }
        if let (Some(s), Some(x)) = (c.old_section, c.old_block) {
            b.by_old_block.insert((s, x), k);
        }
        if c.old_block.is_none() && c.new_block.is_none() {
            match c.kind {
                ChangeKind::MetadataModified | ChangeKind::FormattingModified => {
                    document_notes.push(k)
                }
                _ => match (c.new_section, c.old_section) {
                    (Some(j), _) => section_notes.entry((true, j)).or_default().push(k),
                    (None, Some(i)) => section_notes.entry((false, i)).or_default().push(k),
                    (None, None) => document_notes.push(k),
                },
            }
        }
    }
    // Removed sections go after the new counterpart of the nearest preceding paired section.
    let mut removed_after: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 1..old.sections.len() {
        if diff.old_to_new[i].is_none() {
            let anchor = (0..i).rev().find_map(|p| diff.old_to_new[p]).unwrap_or(0);
            removed_after.entry(anchor).or_default().push(i);
        }
    }
    let mut sections = Vec::new();
    let finding_of = |n: &[Mark]| n.iter().filter_map(|m| m.finding).collect::<BTreeSet<_>>();
    let mut push_section = |old_i: Option<usize>, new_j: Option<usize>| {
        let items = b.items(old_i, new_j);
        let notes: Vec<Note> = section_notes
            .get(&new_j.map_or((false, old_i.unwrap_or(0)), |j| (true, j)))
            .map(|ks| ks.iter().map(|&k| b.note(k)).collect())
            .unwrap_or_default();
        let mut marks: Vec<Mark> = Vec::new();
        let mut changed = !notes.is_empty();
        for item in &items {
            match item {
                Item::Block { mark, status, .. } => {
                    marks.extend(mark.clone());
                    changed |= *status != Status::Same;
                }
                Item::Table { rows, .. } => {
                    for r in rows {
                        marks.extend(r.mark.clone());
                        changed |= r.status != Status::Same;
                    }
                }
                Item::Unchanged { .. } => {}
            }
        }
        let mut numbers = finding_of(&marks);
        numbers.extend(notes.iter().filter_map(|n| n.finding));
        let (doc, s) = match (new_j, old_i) {
            (Some(j), _) => (new, j),
            (None, i) => (old, i.unwrap_or(0)),
        };
        let section = &doc.sections[s];
        let (heading, status) = match (old_i, new_j) {
            (_, _) if s == 0 => (Vec::new(), if changed { Status::Modified } else { Status::Same }),
            (None, Some(_)) => (whole(SegmentOp::Insert, &section.heading), Status::Added),
            (Some(_), None) => (whole(SegmentOp::Delete, &section.heading), Status::Removed),
            (Some(i), Some(_)) => {
                let oh = &old.sections[i].heading;
                let heading = if *oh == section.heading {
                    equal(&section.heading)
                } else {
                    inline_diff(oh, &section.heading)
                };
                (heading, if changed { Status::Modified } else { Status::Same })
            }
            (None, None) => (Vec::new(), Status::Same),
        };
        // Unchanged sections keep their heading (structure and anchors) but not their text: the
        // version pages have it, and a long policy with one change stays a short page.
        let unchanged = !changed && status_of(old_i, new_j) == Status::Same;
        if s == 0 && (unchanged || (items.is_empty() && notes.is_empty())) {
            return;
        }
        let items = if unchanged { Vec::new() } else { items };
        sections.push(SectionView {
            id: section.id.clone(),
            heading,
            level: b.level(section.level),
            status,
            notes,
            findings: numbers.into_iter().filter_map(|n| findings.get(n - 1).cloned()).collect(),
            items,
        });
    };
    for j in 0..new.sections.len() {
        push_section(diff.new_to_old[j], Some(j));
        for &r in removed_after.get(&j).map(Vec::as_slice).unwrap_or_default() {
            push_section(Some(r), None);
        }
    }
    let document_notes = document_notes.into_iter().map(|k| b.note(k)).collect();
    (sections, document_notes)
}

/// The language of the reason a page in `lang` shows from `texts` (by language tag): the page's
/// own, else one with its primary subtag (`zh-TW` → `zh-CN`), else English, else the first.
fn pick<'m>(texts: &'m BTreeMap<String, String>, lang: &str) -> Option<(&'m str, &'m str)> {
    let primary = super::lang::primary(lang);
    texts
        .get_key_value(lang)
        .or_else(|| texts.iter().find(|(k, _)| super::lang::primary(k) == primary))
        .or_else(|| texts.get_key_value("en"))
        .or_else(|| texts.iter().next())
        .map(|(k, v)| (k.as_str(), v.as_str()))
}

/// Blocks or rows kept around each change as context; a longer run of unchanged ones between
/// changes is collapsed to one line.
const CONTEXT: usize = 1;

/// Which of `n` items to collapse: an unchanged one (`changed(i)` false) more than [`CONTEXT`]
/// items away from every changed one, in runs of at least two (one line for one item saves
/// nothing). Returns, per item, the length of the collapsed run it starts (0: shown, or inside
/// a run).
fn collapse_runs(n: usize, changed: impl Fn(usize) -> bool) -> Vec<Option<usize>> {
    let changed: Vec<bool> = (0..n).map(changed).collect();
    let near = |i: usize| {
        (i.saturating_sub(CONTEXT)..=(i + CONTEXT).min(n.saturating_sub(1))).any(|j| changed[j])
    };
    let hidden: Vec<bool> = (0..n).map(|i| !near(i)).collect();
    // None: shown; Some(len): first of a collapsed run of len; Some(0): inside a run.
    let mut out = vec![None; n];
    let mut i = 0;
    while i < n {
        if !hidden[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && hidden[i] {
            i += 1;
        }
        if i - start >= 2 {
            out[start] = Some(i - start);
            for slot in &mut out[start + 1..i] {
                *slot = Some(0);
            }
        }
    }
    out
}

/// The items of a changed section with unchanged blocks and table rows far from a change
/// collapsed (see [`collapse_runs`]).
fn collapse_items(items: Vec<Item>) -> Vec<Item> {
    let changed = |it: &Item| match it {
        Item::Block { status, .. } => *status != Status::Same,
        Item::Table { rows, .. } => rows.iter().any(|r| r.status != Status::Same),
        Item::Unchanged { .. } => false,
    };
    let plan = collapse_runs(items.len(), |i| changed(&items[i]));
    let mut out = Vec::new();
    for (item, slot) in items.into_iter().zip(plan) {
        match (slot, item) {
            (Some(0), _) => {}
            (Some(count), _) => out.push(Item::Unchanged { count }),
            (None, Item::Table { header, rows }) => {
                let plan = collapse_runs(rows.len(), |i| rows[i].status != Status::Same);
                let mut kept = Vec::new();
                for (row, slot) in rows.into_iter().zip(plan) {
                    match slot {
                        Some(0) => {}
                        Some(count) => kept.push(Row {
                            status: Status::Same,
                            cells: Vec::new(),
                            mark: None,
                            moved: None,
                            collapsed: count,
                        }),
                        None => kept.push(row),
                    }
                }
                out.push(Item::Table { header, rows: kept });
            }
            (None, item) => out.push(item),
        }
    }
    out
}

/// `view` as a page in `lang` shows it.
///
/// * Reasons and references in the page's language (from the findings' `reasons` and
///   `references`); `reason_lang` names the language when none matches.
/// * Identical findings of one section (same rule, level, qualifiers and reason) are merged into
///   one with their `count`, and findings are sorted by level, highest first (document order
///   within a level), numbered from 1 again; marks and notes follow the new numbers.
/// * Unless `audit`: the qualifiers for the legal team (`review`, `block`) are dropped and
///   `review_required` is false (templates also show rule ids only for `audit`).
/// * `parts`: changed sections with a line of context around each change, each run of unchanged
///   sections as one line.
pub(super) fn for_page(view: &RedlineView, lang: &str, audit: bool) -> RedlineView {
    let internal = |q: &Qualifier| matches!(q, Qualifier::Review | Qualifier::Block);
    let page_primary = super::lang::primary(lang);
    let localise = |f: &FindingView| {
        let mut f = f.clone();
        if let Some((tag, reason)) = pick(&f.reasons, lang) {
            f.reason = reason.to_string();
            f.reason_lang = (super::lang::primary(tag) != page_primary).then(|| tag.to_string());
        }
        if let Some((_, reference)) = pick(&f.references, lang) {
            f.reference = reference.to_string();
        }
        if !audit {
            f.qualifiers.retain(|q| !internal(q));
        }
        f
    };
    // Merge, then sort by level (stable: document order within a level).
    let mut merged: Vec<FindingView> = Vec::new();
    let mut renumber: HashMap<usize, usize> = HashMap::new();
    for f in view.findings.iter().map(localise) {
        let same = merged.iter().position(|m| {
            (&m.section, &m.rule, m.level, &m.qualifiers, &m.reason)
                == (&f.section, &f.rule, f.level, &f.qualifiers, &f.reason)
        });
        match same {
            Some(at) => {
                merged[at].count += f.count;
                merged[at].keys.extend(f.keys);
                renumber.insert(f.n, at);
            }
            None => {
                renumber.insert(f.n, merged.len());
                merged.push(f);
            }
        }
    }
    let mut order: Vec<usize> = (0..merged.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(merged[k].level));
    let mut new_number = vec![0; merged.len()];
    for (rank, &k) in order.iter().enumerate() {
        new_number[k] = rank + 1;
    }
    let number = |n: usize| renumber.get(&n).map(|&k| new_number[k]);
    let findings: Vec<FindingView> =
        order.iter().map(|&k| FindingView { n: new_number[k], ..merged[k].clone() }).collect();
    let by_number: HashMap<usize, &FindingView> = findings.iter().map(|f| (f.n, f)).collect();
    let remark =
        |m: &Option<Mark>| m.clone().map(|m| Mark { finding: m.finding.and_then(number), ..m });
    let renote = |n: &Note| Note { finding: n.finding.and_then(number), ..n.clone() };
    let mut out = view.clone();
    out.findings = findings.clone();
    out.document_notes = view.document_notes.iter().map(renote).collect();
    if !audit {
        out.qualifiers.retain(|q| !internal(q));
        out.review_required = false;
    }
    let mut sections = Vec::with_capacity(view.sections.len());
    for s in &view.sections {
        let mut s = s.clone();
        s.notes = s.notes.iter().map(renote).collect();
        // Findings listed by number; a translation's sections list source findings by section.
        let mut numbers: BTreeSet<usize> = s.findings.iter().filter_map(|f| number(f.n)).collect();
        if view.translated {
            numbers = findings.iter().filter(|f| f.section == s.id).map(|f| f.n).collect();
        }
        s.findings =
            numbers.iter().filter_map(|n| by_number.get(n).map(|f| (*f).clone())).collect();
        for item in &mut s.items {
            match item {
                Item::Block { mark, .. } => *mark = remark(mark),
                Item::Table { rows, .. } => {
                    for r in rows {
                        r.mark = remark(&r.mark);
                    }
                }
                Item::Unchanged { .. } => {}
            }
        }
        s.items = collapse_items(std::mem::take(&mut s.items));
        sections.push(s);
    }
    // The sections move into `parts` (a page renders those only). An unchanged section whose
    // subsection is shown keeps its heading, for context and an unbroken heading outline.
    let quiet: Vec<bool> = sections
        .iter()
        .map(|s| s.status == Status::Same && s.notes.is_empty() && s.findings.is_empty())
        .collect();
    let mut heading_only = vec![false; sections.len()];
    for i in (0..sections.len()).filter(|&i| !quiet[i]) {
        let mut level = sections[i].level;
        for j in (0..i).rev() {
            if sections[j].level < level {
                heading_only[j] = true;
                level = sections[j].level;
            }
        }
    }
    let mut parts = Vec::new();
    for (s, k) in sections.into_iter().zip(0..) {
        let quiet = quiet[k] && !heading_only[k];
        match parts.last_mut() {
            Some(Part::Unchanged { count }) if quiet => *count += 1,
            _ if quiet => parts.push(Part::Unchanged { count: 1 }),
            _ => parts.push(Part::Section { section: s }),
        }
    }
    out.sections = Vec::new();
    out.parts = parts;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;
    use crate::report::{Side, compare_documents};
    use crate::rules::Criteria;

    fn view_of(old: &str, new: &str) -> RedlineView {
        let cmp = compare_documents(
            "t",
            Side::file("old.md"),
            Side::file("new.md"),
            parse("old.md", old).unwrap(),
            parse("new.md", new).unwrap(),
            &Criteria::builtin(),
        );
        view(&cmp, 1)
    }

    fn section<'a>(v: &'a RedlineView, id: &str) -> &'a SectionView {
        v.sections.iter().find(|s| s.id == id).unwrap_or_else(|| panic!("no section {id}"))
    }

    fn text(segs: &[Segment], op: SegmentOp) -> String {
        segs.iter().filter(|s| s.op == op).map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn tables_are_redlined_cell_by_cell_with_moves_and_reorders() {
        let old = "## Intro {#intro}\n\nWe keep it short.\n\nThis paragraph goes away.\n\n## SDKs {#sdks}\n\n| SDK | Purpose |\n| --- | --- |\n| Alpha | crash reports |\n| Beta | push messages |\n| Gamma | maps |\n\n## Other {#other}\n\nUnchanged text here.\n";
        let new = "## Intro {#intro}\n\nWe keep it short.\n\n## SDKs {#sdks}\n\n| SDK | Purpose |\n| --- | --- |\n| Beta | push messages |\n| Alpha | crash and usage reports |\n| Gamma | maps |\n| Delta | advertising |\n\n## Other {#other}\n\nUnchanged text here.\n";
        let v = view_of(old, new);
        let intro = section(&v, "intro");
        let removed = intro.items.iter().find_map(|it| match it {
            Item::Block { status: Status::Removed, segments, .. } => {
                Some(text(segments, SegmentOp::Delete))
            }
            _ => None,
        });
        assert_eq!(removed.as_deref(), Some("This paragraph goes away."));
        let sdks = section(&v, "sdks");
        assert!(sdks.notes.iter().any(|n| n.kind == ChangeKind::RowsReordered), "{:?}", sdks.notes);
        let Some(Item::Table { header, rows }) = sdks.items.first() else {
            panic!("{:?}", sdks.items)
        };
        assert_eq!(text(&header[0], SegmentOp::Equal), "SDK");
        let row = |key: &str| {
            rows.iter().find(|r| r.cells[0].iter().any(|s| s.text.contains(key))).unwrap()
        };
        let alpha = row("Alpha");
        assert_eq!(alpha.status, Status::Modified);
        assert_eq!(text(&alpha.cells[1], SegmentOp::Insert).trim(), "and usage");
        let delta = row("Delta");
        assert_eq!(
            (delta.status, text(&delta.cells[1], SegmentOp::Insert)),
            (Status::Added, "advertising".to_string())
        );
        assert!(delta.mark.as_ref().is_some_and(|m| m.level >= Some(Level::Minor)));
        assert_eq!(row("Gamma").status, Status::Same);
        // Findings beside their section, numbered as in the summary.
        assert!(!sdks.findings.is_empty() && sdks.findings.iter().all(|f| f.section == "sdks"));
        assert!(v.findings.iter().any(|f| f.n == sdks.findings[0].n));
        // An unchanged section keeps its heading but not its text.
        let other = section(&v, "other");
        assert_eq!((other.status, other.items.len()), (Status::Same, 0));
    }

    #[test]
    fn moved_and_removed_sections_stay_in_reading_order() {
        let old =
            "## A {#a}\n\nAlpha text.\n\n## B {#b}\n\nBeta text.\n\n## C {#c}\n\nGamma text.\n";
        let new = "## C {#c}\n\nGamma text.\n\n## A {#a}\n\nAlpha text.\n";
        let v = view_of(old, new);
        let ids: Vec<&str> = v.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "b"], "b follows a, where it was");
        assert_eq!(section(&v, "b").status, Status::Removed);
        assert_eq!(text(&section(&v, "b").heading, SegmentOp::Delete), "B");
        let moved: Vec<_> = v
            .sections
            .iter()
            .flat_map(|s| &s.notes)
            .filter(|n| n.kind == ChangeKind::SectionMoved)
            .collect();
        assert!(!moved.is_empty(), "a move is shown as a move");
    }

    #[test]
    fn unchanged_runs_far_from_changes_collapse() {
        // Changes at 3 and 9 of 12: 0–1 collapse, 2 and 4 are context, 5–7 collapse, 8 and 10
        // context, 11 alone stays (one line would save nothing).
        let plan = collapse_runs(12, |i| i == 3 || i == 9);
        assert_eq!(
            plan,
            vec![
                Some(2),
                Some(0),
                None,
                None,
                None,
                Some(3),
                Some(0),
                Some(0),
                None,
                None,
                None,
                None
            ]
        );
        assert_eq!(collapse_runs(3, |_| false), vec![Some(3), Some(0), Some(0)]);
    }

    #[test]
    fn a_page_merges_identical_findings_and_sorts_them_by_level() {
        let old = "## A {#a}\n\nWe keep this.\n\n## B {#b}\n\nPlain text.\n";
        let new = "## A {#a}\n\nWe keep this.\n\n## B {#b}\n\nPlain text, reworded.\n\n## C {#c}\n\nWe collect your precise location.\n\nWe collect your contacts.\n\nWe collect your photos.\n";
        let v = view_of(old, new);
        let page = for_page(&v, "en", false);
        let levels: Vec<Level> = page.findings.iter().map(|f| f.level).collect();
        assert!(levels.windows(2).all(|w| w[0] >= w[1]), "{levels:?}");
        assert_eq!(
            page.findings.iter().map(|f| f.n).collect::<Vec<_>>(),
            (1..=levels.len()).collect::<Vec<_>>()
        );
        let keys: BTreeSet<(&str, &str, &str)> = page
            .findings
            .iter()
            .map(|f| (f.section.as_str(), f.rule.as_str(), f.reason.as_str()))
            .collect();
        assert_eq!(keys.len(), page.findings.len(), "no two identical findings");
        let total: usize = page.findings.iter().map(|f| f.count).sum();
        assert_eq!(total, v.findings.len(), "merged findings keep their count");
        assert!(page.findings.iter().all(|f| !f.qualifiers.contains(&Qualifier::Review)));
        // Marks point at the new numbers.
        for part in &page.parts {
            if let Part::Section { section } = part {
                for f in &section.findings {
                    assert_eq!(page.findings[f.n - 1].reason, f.reason);
                }
            }
        }
    }
}
