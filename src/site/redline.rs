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

use crate::classify::Classification;
use crate::diff::{Change, DocumentDiff, Segment, SegmentOp, inline_diff};
use crate::document::{Block, BlockKind, Document};
use crate::model::{Bump, ChangeKind, Level, Qualifier};
use crate::report::{ByLevel, Comparison};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

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
    /// `en` when the reason is written in Latin script (the criteria files are written in
    /// English), so a Chinese page can mark it with `lang`; `None` for CJK text.
    pub reason_lang: Option<&'static str>,
    /// The clause or law behind the rule.
    pub reference: String,
    /// The section id (the anchor on the page).
    pub section: String,
    /// The section's heading as written (empty for text before the first heading).
    pub section_title: String,
    /// The change kind.
    pub change: ChangeKind,
    /// The finding's key, by which a publisher's annotation names it.
    pub key: String,
}

/// The level (and finding) of one change, shown beside its text.
#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    /// The change kind.
    pub kind: ChangeKind,
    /// Its level.
    pub level: Level,
    /// Its finding's number, when a rule decided it.
    pub finding: Option<usize>,
}

/// A change that is not text of a block: a section moved, renumbered or renamed, rows
/// reordered, front matter or formatting.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    /// The change kind.
    pub kind: ChangeKind,
    /// Its level.
    pub level: Level,
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
    cls: &'a Classification,
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
        let v = &self.cls.verdicts[k];
        Mark { kind: self.change(k).kind, level: v.level, finding: v.finding.map(|f| f + 1) }
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
    let (old, new, diff, cls) = (&cmp.old, &cmp.new, &cmp.diff, &cmp.classification);
    let mut b = Builder {
        old,
        new,
        diff,
        cls,
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
            reason_lang: latin_english(&f.reason),
            reference: f.reference.clone(),
            section: f.section.clone(),
            section_title: f.section_path.last().cloned().unwrap_or_default(),
            change: f.change,
            key: f.key.clone(),
        })
        .collect();
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
            findings: numbers.into_iter().map(|n| all_findings[n - 1].clone()).collect(),
            items,
        });
    };
    for j in 0..new.sections.len() {
        push_section(diff.new_to_old[j], Some(j));
        for &r in removed_after.get(&j).map(Vec::as_slice).unwrap_or_default() {
            push_section(Some(r), None);
        }
    }
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
        identical: diff.identical,
        findings: all_findings,
        document_notes: document_notes.into_iter().map(|k| b.note(k)).collect(),
        sections,
        notices: r.notices.clone(),
    }
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
        assert!(delta.mark.as_ref().is_some_and(|m| m.level >= Level::Minor));
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
}
