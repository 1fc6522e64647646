//! Aligning two versions of a document and listing their differences as [`Change`]s.
//!
//! 1. **Sections** are paired by id, then by title, then by content similarity (renamed, moved,
//!    split). A paired section can be renumbered, renamed or moved; unpaired ones are added or
//!    removed.
//! 2. **Blocks** inside paired sections are aligned as a sequence on their editorial keys; edited
//!    blocks are paired by similarity. **Table rows** are paired by their first cell (then by
//!    content when the key changed), so a reorder is one `rows_reordered` change.
//! 3. **Moves**: a block removed in one place and added, with the same editorial key, in another
//!    is one `block_moved` change.
//! 4. **Inline redline**: edited text is diffed character by character in CJK runs and word by
//!    word in Latin text. The work is bounded deterministically by input size (characters, then
//!    sentences, then the whole block): no clock is read, so a loaded machine never changes a
//!    redline.

use crate::document::{Block, BlockKind, Document, Section};
use crate::model::ChangeKind;
use crate::normalize::{editorial_key, is_cjk};
use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::collections::{HashMap, HashSet};

/// Above this many tokens (old + new) an inline redline falls back to sentence granularity, and
/// above it again to the whole block.
pub const MAX_INLINE_TOKENS: usize = 20_000;

/// Two blocks whose token similarity is at least this are one edited block, not a removal and
/// an addition.
pub const PAIR_THRESHOLD: f64 = 0.5;

/// The similarity above which a lone block replaced by a lone block in the same place is an
/// edit of it.
pub const PAIR_THRESHOLD_IN_PLACE: f64 = 0.25;

/// Positive evidence that a change is editorial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Equal after normalisation (whitespace, width, case, punctuation, enumerators, units).
    Normalized,
    /// Text moved, wording unchanged.
    Moved,
    /// A section's number changed.
    Renumbered,
    /// Table rows reordered.
    Reordered,
    /// Emphasis added or removed, text unchanged.
    Emphasis,
    /// Link targets changed, text unchanged.
    LinkTargets,
    /// Front matter only, or a date line (`Last updated: …`) added or removed.
    Metadata,
    /// Bytes differ, parsed content identical.
    Formatting,
}

impl Evidence {
    /// The spelling used in reports and criteria files (`link_targets`).
    pub fn as_str(self) -> &'static str {
        match self {
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
}

/// One piece of an inline redline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// `equal`, `insert` or `delete`.
    pub op: SegmentOp,
    /// The text of this piece.
    pub text: String,
}

/// What a [`Segment`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentOp {
    /// In both versions.
    Equal,
    /// Only in the new version (`<ins>`).
    Insert,
    /// Only in the old version (`<del>`).
    Delete,
}

/// One aligned difference between two versions.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// Index of the section in the old document, if the change has an old side.
    pub old_section: Option<usize>,
    /// Index of the section in the new document, if the change has a new side.
    pub new_section: Option<usize>,
    /// Index of the block inside the old section.
    pub old_block: Option<usize>,
    /// Index of the block inside the new section.
    pub new_block: Option<usize>,
    /// The old text (a row's cells joined with ` | `; a heading as written).
    pub old: Option<String>,
    /// The new text.
    pub new: Option<String>,
    /// 1-based line in the old file.
    pub old_line: Option<usize>,
    /// 1-based line in the new file.
    pub new_line: Option<usize>,
    /// The inline redline of `old` → `new` for edits.
    pub inline: Vec<Segment>,
    /// Per-cell redlines for `row_modified`.
    pub cells: Vec<Vec<Segment>>,
    /// Why this change is editorial, when it is.
    pub evidence: Option<Evidence>,
    /// Token similarity of old and new text (1 for moves, 0 for additions and removals).
    pub similarity: f64,
}

impl Change {
    fn new(kind: ChangeKind) -> Change {
        Change {
            kind,
            old_section: None,
            new_section: None,
            old_block: None,
            new_block: None,
            old: None,
            new: None,
            old_line: None,
            new_line: None,
            inline: Vec::new(),
            cells: Vec::new(),
            evidence: None,
            similarity: 0.0,
        }
    }

    fn with_old(mut self, doc: &Document, section: usize, block: Option<usize>) -> Change {
        let (text, line) = located_text(doc, section, block);
        (self.old_section, self.old_block) = (Some(section), block);
        (self.old, self.old_line) = (Some(text), Some(line));
        self
    }

    fn with_new(mut self, doc: &Document, section: usize, block: Option<usize>) -> Change {
        let (text, line) = located_text(doc, section, block);
        (self.new_section, self.new_block) = (Some(section), block);
        (self.new, self.new_line) = (Some(text), Some(line));
        self
    }
}

/// The text and 1-based line of a block, or of the section's heading when `block` is `None`.
fn located_text(doc: &Document, section: usize, block: Option<usize>) -> (String, usize) {
    let s = &doc.sections[section];
    match block {
        Some(b) => (s.blocks[b].text.clone(), s.blocks[b].line),
        None => (s.heading.clone(), s.line),
    }
}

/// The alignment of two documents and their differences.
#[derive(Debug, Clone)]
pub struct DocumentDiff {
    /// The differences in document order.
    pub changes: Vec<Change>,
    /// For each old section, the new section it was paired with.
    pub old_to_new: Vec<Option<usize>>,
    /// For each new section, the old section it was paired with.
    pub new_to_old: Vec<Option<usize>>,
    /// Whether the two texts are identical once decoded (line endings aside).
    pub identical: bool,
    /// Share (0–1, by characters) of the old text that found no counterpart in the new one.
    pub unaligned: f64,
}

/// Diffs `old` against `new`.
pub fn diff(old: &Document, new: &Document) -> DocumentDiff {
    let (old_to_new, new_to_old) = align_sections(old, new);
    let mut out = DocumentDiff {
        changes: Vec::new(),
        old_to_new,
        new_to_old,
        identical: old.text == new.text,
        unaligned: 0.0,
    };
    if out.identical {
        return out;
    }
    let mut changes = Vec::new();
    let old_fm = old.front_matter.as_ref().map(|f| f.raw.as_str());
    let new_fm = new.front_matter.as_ref().map(|f| f.raw.as_str());
    if old_fm != new_fm {
        let mut c = Change::new(ChangeKind::MetadataModified);
        c.old = old_fm.map(str::to_string);
        c.new = new_fm.map(str::to_string);
        c.old_line = old_fm.map(|_| 1);
        c.new_line = new_fm.map(|_| 1);
        c.old_section = Some(0);
        c.new_section = Some(0);
        c.evidence = Some(Evidence::Metadata);
        c.inline = inline_diff(old_fm.unwrap_or(""), new_fm.unwrap_or(""));
        changes.push(c);
    }
    let moved = moved_sections(old, new, &out.old_to_new, &out.new_to_old);
    for (j, &i) in out.new_to_old.iter().enumerate() {
        match i {
            Some(i) => {
                section_changes(old, new, i, j, moved.contains(&j), &mut changes);
            }
            None => {
                changes.push(Change::new(ChangeKind::SectionAdded).with_new(new, j, None));
                for (b, block) in new.sections[j].blocks.iter().enumerate() {
                    changes.push(Change::new(added_kind(block)).with_new(new, j, Some(b)));
                }
            }
        }
    }
    for (i, &j) in out.old_to_new.iter().enumerate() {
        if j.is_none() {
            changes.push(Change::new(ChangeKind::SectionRemoved).with_old(old, i, None));
            for (b, block) in old.sections[i].blocks.iter().enumerate() {
                changes.push(Change::new(removed_kind(block)).with_old(old, i, Some(b)));
            }
        }
    }
    detect_moves(old, new, &mut changes);
    mark_structural_sections(old, new, &mut changes);
    if changes.is_empty() {
        let mut c = Change::new(ChangeKind::FormattingModified);
        c.old_section = Some(0);
        c.new_section = Some(0);
        c.old_line = Some(1);
        c.new_line = Some(1);
        c.evidence = Some(Evidence::Formatting);
        changes.push(c);
    }
    // A date line added or removed (`Last update: August 3, 2021`) says when, not what.
    // The blocks' editorial keys are already computed by the alignment.
    for c in &mut changes {
        let block = match c.kind {
            ChangeKind::BlockAdded => {
                c.new_section.zip(c.new_block).map(|(s, b)| &new.sections[s].blocks[b])
            }
            ChangeKind::BlockRemoved => {
                c.old_section.zip(c.old_block).map(|(s, b)| &old.sections[s].blocks[b])
            }
            _ => None,
        };
        if c.evidence.is_none() && block.is_some_and(|b| b.key() == crate::normalize::DATE_LINE_KEY)
        {
            c.evidence = Some(Evidence::Metadata);
        }
        // A block with no words once its markup is gone (`<p><img src="…/piwik.php" …/></p>`,
        // a tracking pixel; a lone `.`) says nothing a reader sees.
        if c.evidence.is_none()
            && block
                .is_some_and(|b| b.key().is_empty() && b.links.is_empty() && bare_markup(&b.text))
        {
            c.evidence = Some(Evidence::Formatting);
        }
    }
    out.unaligned = unaligned_share(old, &changes);
    sort_changes(&mut changes, &out.old_to_new, new);
    out.changes = changes;
    out
}

fn added_kind(block: &Block) -> ChangeKind {
    if block.kind == BlockKind::TableRow { ChangeKind::RowAdded } else { ChangeKind::BlockAdded }
}

fn removed_kind(block: &Block) -> ChangeKind {
    if block.kind == BlockKind::TableRow {
        ChangeKind::RowRemoved
    } else {
        ChangeKind::BlockRemoved
    }
}

/// Pairs sections: the preamble with the preamble, then by id, by title, by content.
fn align_sections(old: &Document, new: &Document) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut o2n = vec![None; old.sections.len()];
    let mut n2o = vec![None; new.sections.len()];
    let pair = |i: usize, j: usize, o2n: &mut Vec<Option<usize>>, n2o: &mut Vec<Option<usize>>| {
        o2n[i] = Some(j);
        n2o[j] = Some(i);
    };
    pair(0, 0, &mut o2n, &mut n2o);
    // 1. Explicit ids written on both sides: the strongest identity.
    let explicit: HashMap<&str, usize> = new
        .sections
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, s)| s.explicit_id)
        .map(|(j, s)| (s.id.as_str(), j))
        .collect();
    for (i, s) in old.sections.iter().enumerate().skip(1).filter(|(_, s)| s.explicit_id) {
        if let Some(&j) = explicit.get(s.id.as_str())
            && n2o[j].is_none()
        {
            pair(i, j, &mut o2n, &mut n2o);
        }
    }
    // 2. The same heading path (titles without numbers from the top down): derived ids shift when
    //    a duplicate title appears earlier, paths do not.
    let path_key = |doc: &Document, k: usize| -> String {
        let mut keys: Vec<String> = doc
            .ancestry(k)
            .into_iter()
            .filter(|&a| a != 0)
            .map(|a| editorial_key(&doc.sections[a].title))
            .collect();
        keys.reverse();
        keys.join("/")
    };
    let mut by_path: HashMap<String, Vec<usize>> = HashMap::new();
    for j in (1..new.sections.len()).filter(|&j| n2o[j].is_none()) {
        by_path.entry(path_key(new, j)).or_default().push(j);
    }
    for i in 1..old.sections.len() {
        if o2n[i].is_some() {
            continue;
        }
        if let Some(candidates) = by_path.get_mut(&path_key(old, i))
            && let Some(pos) = candidates.iter().position(|&j| n2o[j].is_none())
        {
            let j = candidates.remove(pos);
            pair(i, j, &mut o2n, &mut n2o);
        }
    }
    // 3. The same id (explicit on one side, derived on the other, or derived on both).
    let by_id: HashMap<&str, usize> = new
        .sections
        .iter()
        .enumerate()
        .skip(1)
        .filter(|&(j, _)| n2o[j].is_none())
        .map(|(j, s)| (s.id.as_str(), j))
        .collect();
    for (i, s) in old.sections.iter().enumerate().skip(1) {
        if let Some(&j) = by_id.get(s.id.as_str())
            && o2n[i].is_none()
            && n2o[j].is_none()
        {
            pair(i, j, &mut o2n, &mut n2o);
        }
    }
    // 4. The same title anywhere.
    let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
    for (j, s) in new.sections.iter().enumerate().skip(1) {
        if n2o[j].is_none() {
            by_title.entry(editorial_key(&s.title)).or_default().push(j);
        }
    }
    for (i, s) in old.sections.iter().enumerate().skip(1) {
        if o2n[i].is_some() {
            continue;
        }
        if let Some(candidates) = by_title.get_mut(&editorial_key(&s.title))
            && let Some(pos) = candidates.iter().position(|&j| n2o[j].is_none())
        {
            let j = candidates.remove(pos);
            pair(i, j, &mut o2n, &mut n2o);
        }
    }
    // Content similarity for what is left (renamed and split sections).
    let old_left: Vec<usize> = (1..old.sections.len()).filter(|&i| o2n[i].is_none()).collect();
    let new_left: Vec<usize> = (1..new.sections.len()).filter(|&j| n2o[j].is_none()).collect();
    if !old_left.is_empty() && !new_left.is_empty() && old_left.len() * new_left.len() <= 250_000 {
        let old_bags: Vec<Bag> = old_left.iter().map(|&i| section_bag(&old.sections[i])).collect();
        let new_bags: Vec<Bag> = new_left.iter().map(|&j| section_bag(&new.sections[j])).collect();
        let mut scored = Vec::new();
        for (a, ob) in old_bags.iter().enumerate() {
            for (b, nb) in new_bags.iter().enumerate() {
                let score = ob.dice(nb);
                if score >= PAIR_THRESHOLD {
                    scored.push((score, a, b));
                }
            }
        }
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        for (_, a, b) in scored {
            let (i, j) = (old_left[a], new_left[b]);
            if o2n[i].is_none() && n2o[j].is_none() {
                pair(i, j, &mut o2n, &mut n2o);
            }
        }
    }
    (o2n, n2o)
}

/// New-section indices whose section moved: its parent is not the counterpart of its old parent,
/// or it left the longest common order of paired sections.
fn moved_sections(
    old: &Document,
    new: &Document,
    o2n: &[Option<usize>],
    n2o: &[Option<usize>],
) -> HashSet<usize> {
    let mut moved = HashSet::new();
    for (j, &i) in n2o.iter().enumerate().skip(1) {
        let Some(i) = i else { continue };
        let old_parent = old.sections[i].parent.unwrap_or(0);
        let new_parent = new.sections[j].parent.unwrap_or(0);
        if o2n[old_parent] != Some(new_parent) {
            moved.insert(j);
        }
    }
    let old_order: Vec<usize> = (1..old.sections.len()).filter_map(|i| o2n[i]).collect();
    let new_order: Vec<usize> = (1..new.sections.len()).filter(|&j| n2o[j].is_some()).collect();
    for op in capture_diff_slices(Algorithm::Patience, &old_order, &new_order) {
        if let DiffOp::Insert { new_index, new_len, .. }
        | DiffOp::Replace { new_index, new_len, .. } = op
        {
            moved.extend(new_order[new_index..new_index + new_len].iter().copied());
        }
    }
    moved
}

fn number_key(section: &Section) -> String {
    section.number.as_deref().map(editorial_key).unwrap_or_default()
}

/// Heading changes and block changes of one paired section.
fn section_changes(
    old: &Document,
    new: &Document,
    i: usize,
    j: usize,
    moved: bool,
    out: &mut Vec<Change>,
) {
    let (os, ns) = (&old.sections[i], &new.sections[j]);
    if i != 0 {
        let heading = |kind, evidence| {
            let mut c = Change::new(kind).with_old(old, i, None).with_new(new, j, None);
            c.evidence = evidence;
            c.similarity = 1.0;
            c
        };
        let title_changed = editorial_key(&os.title) != editorial_key(&ns.title);
        if moved {
            out.push(heading(ChangeKind::SectionMoved, Some(Evidence::Moved)));
        }
        if number_key(os) != number_key(ns) {
            out.push(heading(ChangeKind::SectionRenumbered, Some(Evidence::Renumbered)));
        }
        if title_changed {
            let mut c = heading(ChangeKind::SectionRenamed, None);
            c.inline = inline_diff(&os.title, &ns.title);
            c.similarity = similarity(&os.title, &ns.title);
            out.push(c);
        } else if os.title != ns.title {
            let mut c = heading(ChangeKind::SectionModified, Some(Evidence::Normalized));
            c.inline = inline_diff(&os.heading, &ns.heading);
            out.push(c);
        }
    }
    let start = out.len();
    let old_seq: Vec<usize> =
        (0..os.blocks.len()).filter(|&b| os.blocks[b].kind != BlockKind::TableRow).collect();
    let new_seq: Vec<usize> =
        (0..ns.blocks.len()).filter(|&b| ns.blocks[b].kind != BlockKind::TableRow).collect();
    // First by exact text (cheap), then, inside the runs that differ, by editorial key.
    let old_texts: Vec<&str> = old_seq.iter().map(|&b| os.blocks[b].text.as_str()).collect();
    let new_texts: Vec<&str> = new_seq.iter().map(|&b| ns.blocks[b].text.as_str()).collect();
    for op in capture_diff_slices(Algorithm::Patience, &old_texts, &new_texts) {
        let (a_run, b_run) = match op {
            DiffOp::Equal { old_index, new_index, len } => {
                for k in 0..len {
                    let (a, b) = (old_seq[old_index + k], new_seq[new_index + k]);
                    if let Some(c) = fine_change(old, new, (i, a), (j, b)) {
                        out.push(c);
                    }
                }
                continue;
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                (&old_seq[old_index..old_index + old_len], &new_seq[0..0])
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                (&old_seq[0..0], &new_seq[new_index..new_index + new_len])
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                (&old_seq[old_index..old_index + old_len], &new_seq[new_index..new_index + new_len])
            }
        };
        key_changes(old, new, (i, a_run), (j, b_run), out);
    }
    table_changes(old, new, i, j, out);
    // Paragraphs merged or split by re-wrapping: the section's words are unchanged.
    let block_changes = &out[start..];
    // Only a merge or a split of paragraphs adds or removes blocks without new words.
    let reflowed = block_changes
        .iter()
        .any(|c| matches!(c.kind, ChangeKind::BlockAdded | ChangeKind::BlockRemoved));
    if reflowed && block_changes.iter().any(|c| c.evidence.is_none()) {
        let joined = |s: &Section| {
            s.blocks
                .iter()
                .filter(|b| b.kind != BlockKind::TableRow)
                .map(|b| b.key())
                .collect::<Vec<_>>()
                .join(" ")
        };
        if joined(os) == joined(ns)
            && block_changes.iter().all(|c| {
                !matches!(
                    c.kind,
                    ChangeKind::RowAdded
                        | ChangeKind::RowRemoved
                        | ChangeKind::RowModified
                        | ChangeKind::RowsReordered
                )
            })
        {
            out.truncate(start);
            let mut c = Change::new(ChangeKind::FormattingModified);
            c.old_section = Some(i);
            c.new_section = Some(j);
            c.old_line = Some(os.line);
            c.new_line = Some(ns.line);
            c.evidence = Some(Evidence::Formatting);
            out.push(c);
        }
    }
}

/// Changes between two runs of blocks whose texts differ: aligned on editorial keys, so blocks
/// equal after normalisation are editorial edits and the rest are paired by similarity.
fn key_changes(
    old: &Document,
    new: &Document,
    (i, a_run): (usize, &[usize]),
    (j, b_run): (usize, &[usize]),
    out: &mut Vec<Change>,
) {
    let (os, ns) = (&old.sections[i], &new.sections[j]);
    let old_keys: Vec<&str> = a_run.iter().map(|&b| os.blocks[b].key()).collect();
    let new_keys: Vec<&str> = b_run.iter().map(|&b| ns.blocks[b].key()).collect();
    for op in capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys) {
        match op {
            DiffOp::Equal { old_index, new_index, len } => {
                for k in 0..len {
                    let (a, b) = (a_run[old_index + k], b_run[new_index + k]);
                    if let Some(c) = fine_change(old, new, (i, a), (j, b)) {
                        out.push(c);
                    }
                }
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                for &a in &a_run[old_index..old_index + old_len] {
                    out.push(Change::new(removed_kind(&os.blocks[a])).with_old(old, i, Some(a)));
                }
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                for &b in &b_run[new_index..new_index + new_len] {
                    out.push(Change::new(added_kind(&ns.blocks[b])).with_new(new, j, Some(b)));
                }
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                let a = &a_run[old_index..old_index + old_len];
                let b = &b_run[new_index..new_index + new_len];
                pair_runs(old, new, (i, a), (j, b), out);
            }
        }
    }
}

/// For two blocks with equal editorial keys: an editorial change when their text, emphasis or
/// link targets differ.
fn fine_change(
    old: &Document,
    new: &Document,
    (i, a): (usize, usize),
    (j, b): (usize, usize),
) -> Option<Change> {
    let (ob, nb) = (&old.sections[i].blocks[a], &new.sections[j].blocks[b]);
    let evidence = if ob.text != nb.text {
        Evidence::Normalized
    } else if ob.emphasis != nb.emphasis {
        Evidence::Emphasis
    } else if ob.links != nb.links {
        Evidence::LinkTargets
    } else {
        return None;
    };
    let kind = if ob.kind == BlockKind::TableRow {
        ChangeKind::RowModified
    } else {
        ChangeKind::BlockModified
    };
    let mut c = Change::new(kind).with_old(old, i, Some(a)).with_new(new, j, Some(b));
    c.evidence = Some(evidence);
    c.similarity = 1.0;
    c.inline = inline_diff(&ob.text, &nb.text);
    if kind == ChangeKind::RowModified {
        c.cells = cell_diffs(ob, nb);
    }
    Some(c)
}

/// Longest link text (in chars) whose change still counts as a link change, not a rewording.
const MAX_LINK_TEXT: usize = 80;

/// Editorial evidence for two blocks that differ only in their links: the same number of links,
/// equal text once link texts are removed, and every changed link text short (a title, a URL,
/// a generated `AUTOTITLE`).
fn links_only(old: &Block, new: &Block) -> Option<Evidence> {
    let same_shape = !old.links.is_empty() && old.links.len() == new.links.len();
    let shown =
        |(text, url): &(String, String)| text.chars().count() <= MAX_LINK_TEXT || text == url;
    let short = old.links.iter().zip(&new.links).all(|(a, b)| a.0 == b.0 || (shown(a) && shown(b)));
    (same_shape && short && old.link_key() == new.link_key())
        .then_some(Evidence::LinkTargets)
        .or_else(|| addresses_only(old, new))
}

/// Editorial evidence for two blocks that differ only in how web addresses written out in their
/// text are spelled (`http://www.example.com/sdk` → `https://example.com/sdk/`,
/// `…/01g6qm` → `…/01g6qm#sdk-privacy`): as many addresses on each side, pairwise the same host,
/// path and query once the scheme, `www.`, a trailing slash and an anchor are set aside, the
/// links unchanged, and equal text once the addresses are removed. An address ends at the first
/// character a web address cannot hold unescaped (`https://example.com/account查询` ends
/// before `查`).
fn addresses_only(old: &Block, new: &Block) -> Option<Evidence> {
    use crate::normalize::{URL, editorial_key, url_key};
    if old.links != new.links || !(old.text.contains("http") || old.text.contains("www.")) {
        return None;
    }
    /// Each address of `text`: its byte range.
    fn addresses(text: &str) -> Vec<std::ops::Range<usize>> {
        let legal = |c: char| c.is_ascii_alphanumeric() || "-._~:/?#@!$&'*+,;=%".contains(c);
        URL.find_iter(text)
            .map(|m| {
                let len = m.as_str().find(|c: char| !legal(c)).unwrap_or(m.len());
                m.start()..m.start() + len
            })
            .collect()
    }
    let place = |url: &str| {
        // A fragment that is a route (`#/settings/privacy`, `#!/account`) is another page.
        let url = match url.split_once('#') {
            Some((page, fragment)) if !fragment.starts_with(['/', '!']) => page,
            _ => url,
        };
        url_key(url).trim_end_matches(['/', '.', ',', ';', ':']).to_string()
    };
    let without = |text: &str, at: &[std::ops::Range<usize>]| {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for r in at {
            out.push_str(&text[last..r.start]);
            out.push(' ');
            last = r.end;
        }
        out.push_str(&text[last..]);
        editorial_key(&out)
    };
    let (before, after) = (addresses(&old.text), addresses(&new.text));
    let same_places = !before.is_empty()
        && before.len() == after.len()
        && before
            .iter()
            .zip(&after)
            .all(|(a, b)| place(&old.text[a.clone()]) == place(&new.text[b.clone()]));
    (same_places && without(&old.text, &before) == without(&new.text, &after))
        .then_some(Evidence::LinkTargets)
}

/// Pairs the blocks of a replaced run by similarity, in order; the rest are removed or added.
fn pair_runs(
    old: &Document,
    new: &Document,
    (i, a_run): (usize, &[usize]),
    (j, b_run): (usize, &[usize]),
    out: &mut Vec<Change>,
) {
    let (os, ns) = (&old.sections[i], &new.sections[j]);
    let a_bags: Vec<Bag> = a_run.iter().map(|&a| Bag::of(os.blocks[a].key())).collect();
    let b_bags: Vec<Bag> = b_run.iter().map(|&b| Bag::of(ns.blocks[b].key())).collect();
    let window = 50usize;
    // One block replaced by one block in the same place is an edit of that clause even when
    // most of its words changed; longer runs need the usual similarity.
    let threshold =
        if a_run.len() == 1 && b_run.len() == 1 { PAIR_THRESHOLD_IN_PLACE } else { PAIR_THRESHOLD };
    let mut next_b = 0;
    let mut emitted_b = 0;
    for (x, &a) in a_run.iter().enumerate() {
        let centre = x * b_run.len() / a_run.len().max(1);
        let lo = next_b.max(centre.saturating_sub(window));
        let hi = b_run.len().min(centre + window + 1).max(lo);
        let best = (lo..hi)
            .map(|y| (a_bags[x].dice(&b_bags[y]), y))
            .filter(|&(s, _)| s >= threshold)
            .max_by(|p, q| p.0.total_cmp(&q.0).then(q.1.cmp(&p.1)));
        match best {
            Some((score, y)) => {
                for &b in &b_run[emitted_b..y] {
                    out.push(Change::new(added_kind(&ns.blocks[b])).with_new(new, j, Some(b)));
                }
                let b = b_run[y];
                let mut c = Change::new(ChangeKind::BlockModified)
                    .with_old(old, i, Some(a))
                    .with_new(new, j, Some(b));
                c.similarity = score;
                c.inline = inline_diff(&os.blocks[a].text, &ns.blocks[b].text);
                c.evidence = links_only(&os.blocks[a], &ns.blocks[b]);
                out.push(c);
                next_b = y + 1;
                emitted_b = y + 1;
            }
            None => out.push(Change::new(removed_kind(&os.blocks[a])).with_old(old, i, Some(a))),
        }
    }
    for &b in &b_run[emitted_b..] {
        out.push(Change::new(added_kind(&ns.blocks[b])).with_new(new, j, Some(b)));
    }
}

/// Row changes of the tables of a paired section: tables paired by header, rows by key.
fn table_changes(old: &Document, new: &Document, i: usize, j: usize, out: &mut Vec<Change>) {
    let (os, ns) = (&old.sections[i], &new.sections[j]);
    let header_key = |s: &Section, t: usize| editorial_key(&s.tables[t].header.join(" "));
    let mut table_pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut new_used = vec![false; ns.tables.len()];
    for t in 0..os.tables.len() {
        let key = header_key(os, t);
        let found = (0..ns.tables.len())
            .find(|&u| !new_used[u] && header_key(ns, u) == key)
            .or_else(|| (t < ns.tables.len() && !new_used[t]).then_some(t));
        if let Some(u) = found {
            new_used[u] = true;
        }
        table_pairs.push((Some(t), found));
    }
    table_pairs.extend((0..ns.tables.len()).filter(|&u| !new_used[u]).map(|u| (None, Some(u))));
    let rows_of = |s: &Section, t: Option<usize>| -> Vec<usize> {
        match t {
            Some(t) => (0..s.blocks.len())
                .filter(|&b| {
                    s.blocks[b].kind == BlockKind::TableRow && s.blocks[b].table == Some(t)
                })
                .collect(),
            None => Vec::new(),
        }
    };
    for (ot, nt) in table_pairs {
        let old_rows = rows_of(os, ot);
        let new_rows = rows_of(ns, nt);
        let mut n_by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for &b in &new_rows {
            n_by_key.entry(ns.blocks[b].row_key().unwrap_or_default()).or_default().push(b);
        }
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut old_left = Vec::new();
        let mut new_taken: HashSet<usize> = HashSet::new();
        for &a in &old_rows {
            let key = os.blocks[a].row_key().unwrap_or_default();
            match n_by_key.get_mut(&key).and_then(|v| (!v.is_empty()).then(|| v.remove(0))) {
                Some(b) if !key.is_empty() => {
                    pairs.push((a, b));
                    new_taken.insert(b);
                }
                _ => old_left.push(a),
            }
        }
        // Rows whose key changed: pair by content.
        let mut still_left = Vec::new();
        for a in old_left {
            let bag = Bag::of(os.blocks[a].key());
            let best = new_rows
                .iter()
                .filter(|b| !new_taken.contains(b))
                .map(|&b| (bag.dice(&Bag::of(ns.blocks[b].key())), b))
                .filter(|&(s, _)| s >= PAIR_THRESHOLD)
                .max_by(|p, q| p.0.total_cmp(&q.0).then(q.1.cmp(&p.1)));
            match best {
                Some((_, b)) => {
                    pairs.push((a, b));
                    new_taken.insert(b);
                }
                None => still_left.push(a),
            }
        }
        for &(a, b) in &pairs {
            let (ob, nb) = (&os.blocks[a], &ns.blocks[b]);
            if ob.key() != nb.key() {
                let mut c = Change::new(ChangeKind::RowModified)
                    .with_old(old, i, Some(a))
                    .with_new(new, j, Some(b));
                c.similarity = similarity(ob.key(), nb.key());
                c.inline = inline_diff(&ob.text, &nb.text);
                c.cells = cell_diffs(ob, nb);
                c.evidence = links_only(ob, nb);
                out.push(c);
            } else if let Some(c) = fine_change(old, new, (i, a), (j, b)) {
                out.push(c);
            }
        }
        for a in still_left {
            out.push(Change::new(ChangeKind::RowRemoved).with_old(old, i, Some(a)));
        }
        for &b in new_rows.iter().filter(|b| !new_taken.contains(b)) {
            out.push(Change::new(ChangeKind::RowAdded).with_new(new, j, Some(b)));
        }
        // Reordered: paired rows are not in the same relative order.
        let mut by_old = pairs.clone();
        by_old.sort_unstable();
        let new_positions: Vec<usize> = by_old.iter().map(|&(_, b)| b).collect();
        if new_positions.windows(2).any(|w| w[0] > w[1])
            && let (Some(ot), Some(nt)) = (ot, nt)
        {
            let mut c = Change::new(ChangeKind::RowsReordered);
            c.old_section = Some(i);
            c.new_section = Some(j);
            let keys = |s: &Section, rows: &[usize]| {
                rows.iter()
                    .map(|&b| s.blocks[b].cells.first().cloned().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            c.old = Some(keys(os, &old_rows));
            c.new = Some(keys(ns, &new_rows));
            c.old_line = Some(os.tables[ot].line);
            c.new_line = Some(ns.tables[nt].line);
            c.evidence = Some(Evidence::Reordered);
            c.similarity = 1.0;
            out.push(c);
        }
    }
}

/// Per-cell redlines of two rows, padded to the wider row.
fn cell_diffs(old: &Block, new: &Block) -> Vec<Vec<Segment>> {
    let width = old.cells.len().max(new.cells.len());
    (0..width)
        .map(|k| {
            let a = old.cells.get(k).map_or("", String::as_str);
            let b = new.cells.get(k).map_or("", String::as_str);
            inline_diff(a, b)
        })
        .collect()
}

/// An image attribute that describes it in words: a non-empty `alt`, `title` or `aria-label`
/// (`alt = "Data Protection Officer: …"`; `data-alt=""` is no `alt`).
static DESCRIBED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r#"(?:^|\s)(?:alt|title|aria-label)\s*=\s*(?:"\s*[^"\s]|'\s*[^'\s]|[^\s"'>/])"#,
    )
    .expect("a valid pattern")
});

/// Whether the only HTML in `text` is markup a reader cannot act on: paragraph, line-break,
/// rule and span tags, comments, and images with no alternative text (a tracking pixel). A
/// link, a frame, a form, a script or a described image can be a channel, an opt-out or a
/// statement, so a block holding one is judged as text.
fn bare_markup(text: &str) -> bool {
    let text = crate::normalize::strip_html_comments(text);
    let mut rest = text.as_ref();
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else { return true };
        let tag = rest[open + 1..open + close].trim_start_matches('/').to_ascii_lowercase();
        let name: String = tag.chars().take_while(char::is_ascii_alphanumeric).collect();
        let ok = match name.as_str() {
            "p" | "br" | "hr" | "span" => true,
            "img" => !DESCRIBED.is_match(&tag),
            _ => false,
        };
        if !ok {
            return false;
        }
        rest = &rest[open + close + 1..];
    }
    true
}

/// Turns a removal and an addition with the same editorial key into one `block_moved`.
fn detect_moves(old: &Document, new: &Document, changes: &mut Vec<Change>) {
    let mut removed: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, c) in changes.iter().enumerate() {
        if matches!(c.kind, ChangeKind::BlockRemoved | ChangeKind::RowRemoved)
            && let (Some(s), Some(b)) = (c.old_section, c.old_block)
        {
            let key = old.sections[s].blocks[b].key();
            if !key.is_empty() {
                removed.entry(key).or_default().push(k);
            }
        }
    }
    if removed.is_empty() {
        return;
    }
    let mut drop = vec![false; changes.len()];
    let mut updates = Vec::new();
    for (k, c) in changes.iter().enumerate() {
        if matches!(c.kind, ChangeKind::BlockAdded | ChangeKind::RowAdded)
            && let (Some(s), Some(b)) = (c.new_section, c.new_block)
        {
            let key = new.sections[s].blocks[b].key();
            if let Some(list) = removed.get_mut(key)
                && !list.is_empty()
            {
                let r = list.remove(0);
                drop[r] = true;
                updates.push((k, r));
            }
        }
    }
    for (k, r) in updates {
        let (os, ob, ol, otext) = {
            let rc = &changes[r];
            (rc.old_section, rc.old_block, rc.old_line, rc.old.clone())
        };
        let c = &mut changes[k];
        c.kind = ChangeKind::BlockMoved;
        c.old_section = os;
        c.old_block = ob;
        c.old_line = ol;
        c.old = otext;
        c.evidence = Some(Evidence::Moved);
        c.similarity = 1.0;
        if c.old != c.new {
            c.inline = inline_diff(c.old.as_deref().unwrap_or(""), c.new.as_deref().unwrap_or(""));
        }
    }
    let mut k = 0;
    changes.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// A section added or removed whose content all moved elsewhere is structure, not new text.
fn mark_structural_sections(old: &Document, new: &Document, changes: &mut [Change]) {
    let mut content: HashSet<(bool, usize)> = HashSet::new();
    for c in changes.iter() {
        match c.kind {
            ChangeKind::BlockAdded | ChangeKind::RowAdded => {
                content.insert((true, c.new_section.unwrap_or(0)));
            }
            ChangeKind::BlockRemoved | ChangeKind::RowRemoved => {
                content.insert((false, c.old_section.unwrap_or(0)));
            }
            _ => {}
        }
    }
    for c in changes.iter_mut() {
        let (key, blocks) = match (c.kind, c.new_section, c.old_section) {
            (ChangeKind::SectionAdded, Some(j), _) => ((true, j), new.sections[j].blocks.len()),
            (ChangeKind::SectionRemoved, _, Some(i)) => ((false, i), old.sections[i].blocks.len()),
            _ => continue,
        };
        if blocks > 0 && !content.contains(&key) {
            c.evidence = Some(Evidence::Moved);
        }
    }
}

/// Share of old characters in removed blocks and in edits that kept less than half their tokens.
fn unaligned_share(old: &Document, changes: &[Change]) -> f64 {
    let total: usize =
        old.sections.iter().flat_map(|s| &s.blocks).map(|b| b.text.chars().count()).sum();
    if total == 0 {
        return 0.0;
    }
    let lost: usize = changes
        .iter()
        .filter(|c| {
            c.kind.is_removal() && c.old_block.is_some() && c.evidence.is_none()
                || matches!(c.kind, ChangeKind::BlockModified | ChangeKind::RowModified)
                    && c.evidence.is_none()
                    && c.similarity < PAIR_THRESHOLD
        })
        .filter_map(|c| {
            Some(old.sections[c.old_section?].blocks[c.old_block?].text.chars().count())
        })
        .sum();
    lost as f64 / total as f64
}

/// Orders changes by their place in the new document; removals sit after the new position of
/// what preceded them.
fn sort_changes(changes: &mut [Change], o2n: &[Option<usize>], new: &Document) {
    let anchor = |c: &Change| -> (usize, usize) {
        if let Some(line) = c.new_line {
            return (line, 0);
        }
        let old_line = c.old_line.unwrap_or(0);
        let section = c.old_section.unwrap_or(0);
        // The new line of the nearest paired section at or before the old one.
        let base = (0..=section).rev().find_map(|s| o2n[s]).map_or(0, |j| new.sections[j].line);
        (base, old_line)
    };
    changes.sort_by_key(|c| {
        let (a, b) = anchor(c);
        (a, b, c.kind)
    });
}

/// A multiset of tokens (CJK characters, Latin words) for fast similarity.
struct Bag {
    counts: HashMap<String, u32>,
    total: u32,
}

impl Bag {
    fn of(key: &str) -> Bag {
        let mut counts: HashMap<String, u32> = HashMap::new();
        let mut total = 0;
        for token in tokens(key) {
            if token.chars().all(char::is_whitespace) {
                continue;
            }
            *counts.entry(token.to_string()).or_default() += 1;
            total += 1;
        }
        Bag { counts, total }
    }

    /// Dice coefficient of the two multisets (0–1).
    fn dice(&self, other: &Bag) -> f64 {
        if self.total + other.total == 0 {
            return 1.0;
        }
        let (small, large) =
            if self.counts.len() <= other.counts.len() { (self, other) } else { (other, self) };
        let common: u32 = small
            .counts
            .iter()
            .map(|(t, &n)| n.min(large.counts.get(t).copied().unwrap_or(0)))
            .sum();
        2.0 * f64::from(common) / f64::from(self.total + other.total)
    }
}

fn section_bag(section: &Section) -> Bag {
    let text: Vec<&str> = section.blocks.iter().map(|b| b.key()).collect();
    let mut bag = Bag::of(&text.join(" "));
    if bag.total == 0 {
        bag = Bag::of(&editorial_key(&section.title));
    }
    bag
}

/// Token similarity (Dice, 0–1) of two texts, on CJK characters and Latin words.
pub fn similarity(a: &str, b: &str) -> f64 {
    Bag::of(&editorial_key(a)).dice(&Bag::of(&editorial_key(b)))
}

/// Splits text into redline tokens: each CJK character, each run of letters and digits, each run
/// of whitespace, and each other character.
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None::<(usize, u8)>;
    let class = |c: char| -> u8 {
        if is_cjk(c) {
            0
        } else if c.is_alphanumeric() || c == '_' {
            1
        } else if c.is_whitespace() {
            2
        } else {
            3
        }
    };
    for (i, c) in text.char_indices() {
        let k = class(c);
        match start {
            Some((s, sk)) if sk == k && (k == 1 || k == 2) => {
                let _ = s;
            }
            Some((s, _)) => {
                out.push(&text[s..i]);
                start = Some((i, k));
            }
            None => start = Some((i, k)),
        }
    }
    if let Some((s, _)) = start {
        out.push(&text[s..]);
    }
    out
}

/// Sentence-sized tokens for long texts: split after CJK and Latin sentence punctuation.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let end = i + c.len_utf8();
        let boundary = matches!(c, '。' | '；' | '！' | '？' | '\n')
            || (matches!(c, '.' | ';' | '!' | '?')
                && iter.peek().is_none_or(|&(_, n)| n.is_whitespace()));
        if boundary {
            out.push(&text[start..end]);
            start = end;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Readability cleanup: an equal piece of at most two characters between two edits is folded
/// into them (`[-2706417145-]{+privacy+}@[-qq-]{+huiyunyu+}` reads as one replacement).
fn merge_short_equals(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    let (mut del, mut ins) = (String::new(), String::new());
    let flush = |out: &mut Vec<Segment>, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            out.push(Segment { op: SegmentOp::Delete, text: std::mem::take(del) });
        }
        if !ins.is_empty() {
            out.push(Segment { op: SegmentOp::Insert, text: std::mem::take(ins) });
        }
    };
    for (k, s) in segments.iter().enumerate() {
        match s.op {
            SegmentOp::Delete => del.push_str(&s.text),
            SegmentOp::Insert => ins.push_str(&s.text),
            SegmentOp::Equal => {
                let pending = !del.is_empty() || !ins.is_empty();
                let edit_follows = segments.get(k + 1).is_some_and(|n| n.op != SegmentOp::Equal);
                let short = s.text.chars().count() <= 2 && !s.text.contains('\n');
                if pending && edit_follows && short {
                    del.push_str(&s.text);
                    ins.push_str(&s.text);
                } else {
                    flush(&mut out, &mut del, &mut ins);
                    out.push(s.clone());
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

/// The inline redline of `old` → `new`: characters in CJK runs, words in Latin text; sentences
/// above [`MAX_INLINE_TOKENS`]; the whole text above that again. Deterministic: no deadline.
pub fn inline_diff(old: &str, new: &str) -> Vec<Segment> {
    if old == new {
        return if old.is_empty() {
            Vec::new()
        } else {
            vec![Segment { op: SegmentOp::Equal, text: old.to_string() }]
        };
    }
    let (mut a, mut b) = (tokens(old), tokens(new));
    if a.len() + b.len() > MAX_INLINE_TOKENS {
        a = sentences(old);
        b = sentences(new);
        if a.len() + b.len() > MAX_INLINE_TOKENS {
            a = vec![old];
            b = vec![new];
        }
    }
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |op: SegmentOp, parts: &[&str]| {
        let text: String = parts.concat();
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(&text),
            _ => out.push(Segment { op, text }),
        }
    };
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                push(SegmentOp::Equal, &a[old_index..old_index + len])
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                push(SegmentOp::Delete, &a[old_index..old_index + old_len])
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                push(SegmentOp::Insert, &b[new_index..new_index + new_len])
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                push(SegmentOp::Delete, &a[old_index..old_index + old_len]);
                push(SegmentOp::Insert, &b[new_index..new_index + new_len]);
            }
        }
    }
    merge_short_equals(out)
}

#[cfg(test)]
mod tests {
    use super::bare_markup;

    #[test]
    fn only_markup_a_reader_cannot_act_on_is_bare() {
        for text in [
            r#"<p><img src="//analytics.example.com/piwik.php?idsite=10" style="border:0;" alt="" /></p>."#,
            "<p><br/></p>",
            "<img src='pixel.gif'>",
            "<!-- <a href=\"mailto:x@example.com\">x</a> --><hr>",
        ] {
            assert!(bare_markup(text), "{text}");
        }
        for text in [
            r#"<p><a href="mailto:dpo@example.com"><img src="mail.png" alt="" /></a></p>"#,
            r#"<img src="/dpo.png" alt="Data Protection Officer: dpo@example.com">"#,
            r#"<iframe src="https://example.com/index.php?module=CoreAdminHome&action=optOut"></iframe>"#,
            r#"<div id="matomo-opt-out"></div>"#,
            "<script src=\"https://connect.facebook.net/en_US/fbevents.js\"></script>",
            r#"<img src="dpo.png" alt = "Data Protection Officer: dpo@example.com">"#,
            r#"<img src="dpo.png" data-alt="" alt="Data Protection Officer: dpo@example.com">"#,
            r#"<img src="dpo.png" alt="" title="Email our Data Protection Officer">"#,
            "<img src=x.png alt=Opt-out-of-sale>",
        ] {
            assert!(!bare_markup(text), "{text}");
        }
    }
}
