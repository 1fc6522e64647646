//! Several documents: a document and the documents it links to (`links` in `policy.toml`)
//! compared as one, and sections moving between documents.
//!
//! **Linked documents.** A privacy policy that links an SDK list changes when the list changes.
//! [`compare_linked`] compares the document *and* its linked documents in one comparison: each
//! linked document becomes a top-level part of the compared text, headed by a section with id
//! `@<document>` (its title as heading), and its sections get ids `<document>/<id>`. The usual
//! diff and rules then apply to the whole: a row added to the SDK list is a `row_added` finding of
//! the policy's report (section `sdk/…`, `location.path` the SDK list's file), and the report's
//! level is the maximum over all parts.
//!
//! **Moves between documents.** Inside such a comparison a section that leaves the document for a
//! linked one (or the reverse) is paired by title or content like any move, so it is one
//! `section_moved` change (editorial when its text is unchanged) and a notice names both
//! documents. Between documents that do not link each other, [`cross_document_moves`] pairs a
//! section removed from one with a section added to another (same id, same title, or similar
//! text), so each report can say where the section went.

use crate::archive::releases;
use crate::diff::{PAIR_THRESHOLD, similarity};
use crate::document::{Document, PREAMBLE_ID, Section};
use crate::error::{Error, Result};
use crate::model::ChangeKind;
use crate::normalize::editorial_key;
use crate::repo::{DocumentConfig, PolicyRepo};
use crate::report::{Comparison, Input, Side, compare_documents};
use crate::rules::Criteria;
use serde::Serialize;

/// One document of a comparison: its id, display title and both sides (`None` where the file
/// did not exist: a linked document added since the base, or removed).
#[derive(Debug, Clone)]
pub struct Part {
    /// The document id (`sdk`).
    pub id: String,
    /// Its display title (`第三方SDK目录`), the heading of its part.
    pub title: String,
    /// The base version, if the document existed then.
    pub base: Option<Input>,
    /// The new version, if the document exists now.
    pub head: Option<Input>,
}

/// What the documents a document links to are compared with.
#[derive(Debug, Clone, Copy)]
pub enum LinkedBase<'a> {
    /// Their files at this git revision (`check --base REV`).
    Revision(&'a str),
    /// Their versions as the readers of this release of the linking document saw them: each
    /// one's newest release published no later than it (`released_at`, UTC, to the second) and,
    /// when both records name a commit, at that commit or an ancestor of it; none (all of it is
    /// new) when it had no release by then.
    AsOfRelease(&'a crate::archive::ReleaseRecord),
    /// Their files at `HEAD` (before the linking document's first release); the working copy
    /// outside git.
    Head,
}

fn input(
    label: &str,
    version: Option<String>,
    rev: Option<&str>,
    path: String,
    bytes: Vec<u8>,
) -> Input {
    Input {
        side: Side { label: label.to_string(), version, rev: rev.map(str::to_string), path },
        bytes,
    }
}

/// The documents `doc` links to as [`Part`]s for [`compare_linked`]: each in `lang` when it
/// has that language (else its source language), its working file as the new side (`None` when
/// it does not exist) and `base` deciding the old side.
///
/// Errors: an unreadable release record or archived file, an unknown revision, a git failure.
pub fn linked_parts(
    repo: &PolicyRepo,
    doc: &DocumentConfig,
    lang: &str,
    base: LinkedBase<'_>,
) -> Result<Vec<Part>> {
    let mut parts = Vec::new();
    for k in repo.linked(doc) {
        let l = if k.languages().contains(&lang) { lang } else { k.source_language.as_str() };
        let rel = repo.source_rel(k, l);
        let file = k.file_name(l);
        let head_path = repo.root.join(&rel);
        let head = if crate::fsutil::is_present(&head_path) {
            let bytes = crate::fsutil::read_regular(&head_path, &rel)?;
            Some(input("working tree", None, None, rel.clone(), bytes))
        } else {
            None
        };
        let old = match base {
            LinkedBase::Revision(rev) => {
                let git = crate::git::open(&repo.root)?;
                let path = crate::git::tree_path(&git, &repo.root, &rel)?;
                match crate::git::read_at(&git, rev, &path) {
                    Ok(bytes) => Some(input(rev, None, Some(rev), path, bytes)),
                    Err(Error::MissingAtRevision { .. }) => None,
                    Err(e) => return Err(e),
                }
            }
            LinkedBase::AsOfRelease(main) => {
                let git = crate::git::open(&repo.root).ok();
                let ancestor = |commit: &str| -> bool {
                    if commit.is_empty() || main.commit.is_empty() || commit == main.commit {
                        return true;
                    }
                    let (Some(git), Ok(a), Ok(b)) =
                        (&git, git2::Oid::from_str(commit), git2::Oid::from_str(&main.commit))
                    else {
                        return true;
                    };
                    git.graph_descendant_of(b, a).unwrap_or(true)
                };
                let before = |r: &crate::archive::ReleaseRecord| {
                    r.released_at <= main.released_at && ancestor(&r.commit)
                };
                let found = releases(&repo.archive_dir(), &k.id)?
                    .into_iter()
                    .rev()
                    .find(|r| before(&r.record) && r.record.sources.contains_key(&file));
                match found {
                    Some(r) => {
                        let version = r.version.to_string();
                        let path = format!("archive/{}/{version}/{file}", k.id);
                        let bytes = crate::fsutil::read_regular(&r.dir.join(&file), &path)?;
                        Some(input(&version, Some(version.clone()), None, path, bytes))
                    }
                    None => None,
                }
            }
            LinkedBase::Head => match crate::git::open(&repo.root) {
                Ok(git) => crate::git::tree_path(&git, &repo.root, &rel)
                    .and_then(|path| {
                        crate::git::read_at(&git, "HEAD", &path)
                            .map(|bytes| input("HEAD", None, Some("HEAD"), path, bytes))
                    })
                    .ok(),
                Err(_) => head.clone(),
            },
        };
        parts.push(Part {
            id: k.id.clone(),
            title: k.display_title().to_string(),
            base: old,
            head,
        });
    }
    Ok(parts)
}

/// The separator between a linked document's id and a section id (`sdk/umeng`).
pub const LINK_SEPARATOR: char = '/';

/// The id of the section heading a linked document's part (`@sdk`).
pub fn part_id(document: &str) -> String {
    format!("@{document}")
}

/// Which document a section id of a linked comparison belongs to: `Some("sdk")` for
/// `sdk/umeng` or `@sdk`, `None` for the main document's own sections.
pub fn document_of_section(id: &str) -> Option<&str> {
    if let Some(doc) = id.strip_prefix('@') {
        return Some(doc);
    }
    id.split_once(LINK_SEPARATOR).map(|(doc, _)| doc)
}

fn parse(input: &Option<Input>, fallback_path: &str) -> Result<Document> {
    match input {
        Some(i) => Document::from_bytes(&i.side.display(), &i.bytes),
        None => crate::document::parse(fallback_path, ""),
    }
}

/// Appends `part` (already parsed) to `merged` under a heading section `@<id>`.
fn append(merged: &mut Document, id: &str, title: &str, part: &Document) {
    let head = merged.sections.len();
    let preamble = &part.sections[0];
    merged.sections.push(Section {
        id: part_id(id),
        explicit_id: true,
        heading: title.to_string(),
        number: None,
        title: title.to_string(),
        level: 1,
        parent: None,
        blocks: preamble.blocks.clone(),
        tables: preamble.tables.clone(),
        line: preamble.line,
        end_line: preamble.end_line,
    });
    for s in part.sections.iter().skip(1) {
        let mut s = s.clone();
        s.id = format!("{id}{LINK_SEPARATOR}{}", s.id);
        s.parent = Some(s.parent.filter(|&p| p != 0).map_or(head, |p| p + head));
        s.level = s.level.saturating_add(1).min(7);
        merged.sections.push(s);
    }
    merged.text.push('\n');
    merged.text.push_str(&part.text);
}

/// Compares `main` together with the documents it links to (module documentation). The
/// report's `document`, `base` and `head` are `main`'s; findings in a linked document carry
/// its section ids (`sdk/…`) and its file in `location.path`; moves between the documents are
/// `section_moved` changes and each adds a notice.
///
/// Errors: bad input in any file (invalid UTF-8, malformed front matter, duplicate ids).
pub fn compare_linked(main: &Part, linked: &[Part], criteria: &Criteria) -> Result<Comparison> {
    let side = |i: &Option<Input>, label: &str| {
        i.as_ref().map(|i| i.side.clone()).unwrap_or_else(|| Side::file(label))
    };
    let mut old = parse(&main.base, &format!("{}.md", main.id))?;
    let mut new = parse(&main.head, &format!("{}.md", main.id))?;
    let mut paths: Vec<(String, String, String)> = Vec::new();
    for p in linked {
        let (o, n) = (parse(&p.base, &p.id)?, parse(&p.head, &p.id)?);
        paths.push((p.id.clone(), o.path.clone(), n.path.clone()));
        append(&mut old, &p.id, &p.title, &o);
        append(&mut new, &p.id, &p.title, &n);
    }
    let base = side(&main.base, &format!("{}.md", main.id));
    let head = side(&main.head, &format!("{}.md", main.id));
    let mut comparison = compare_documents(&main.id, base, head, old, new, criteria);
    let path_of = |section: &str, old_side: bool| -> Option<String> {
        let doc = document_of_section(section)?;
        let (_, o, n) = paths.iter().find(|(id, _, _)| id == doc)?;
        Some(if old_side { o.clone() } else { n.clone() })
    };
    for f in &mut comparison.report.findings {
        if let Some(p) = path_of(&f.section, f.location.side == "old") {
            f.location.path = p;
        }
    }
    let mut notices = Vec::new();
    for c in &comparison.diff.changes {
        if c.kind != ChangeKind::SectionMoved {
            continue;
        }
        let (Some(i), Some(j)) = (c.old_section, c.new_section) else { continue };
        let from_id = &comparison.old.sections[i].id;
        let to_id = &comparison.new.sections[j].id;
        let (from, to) = (document_of_section(from_id), document_of_section(to_id));
        if from != to {
            notices.push(format!(
                "section `{}` moved from document `{}` to document `{}`{}",
                to_id.rsplit(LINK_SEPARATOR).next().unwrap_or(to_id),
                from.unwrap_or(&main.id),
                to.unwrap_or(&main.id),
                if editorial_key(&section_text(&comparison.old.sections[i]))
                    == editorial_key(&section_text(&comparison.new.sections[j]))
                {
                    " (text unchanged)"
                } else {
                    ""
                }
            ));
        }
    }
    comparison.report.notices.extend(notices);
    Ok(comparison)
}

fn section_text(s: &Section) -> String {
    let mut t = s.title.clone();
    for b in &s.blocks {
        t.push('\n');
        t.push_str(&b.text);
    }
    t
}

/// A section that left one document and arrived in another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossMove {
    /// The section id in the document it left.
    pub from_section: String,
    /// The document it left.
    pub from_document: String,
    /// Its line in the old version of that document.
    pub from_line: usize,
    /// The section id in the document it arrived in.
    pub to_section: String,
    /// The document it arrived in.
    pub to_document: String,
    /// Its line in the new version of that document.
    pub to_line: usize,
    /// Token similarity of its old and new text (1 when unchanged).
    pub similarity: f64,
    /// Whether the document it left links the one it arrived in (its own report already shows
    /// the move as `section_moved`).
    pub via_link: bool,
}

impl CrossMove {
    /// One line for a report's notices.
    pub fn notice(&self) -> String {
        format!(
            "section `{}` moved from document `{}` (line {}) to document `{}` as `{}` (line {}){}",
            self.from_section,
            self.from_document,
            self.from_line,
            self.to_document,
            self.to_section,
            self.to_line,
            if self.similarity >= 0.999 { ", text unchanged" } else { "" }
        )
    }
}

/// Pairs sections removed from one document with sections added to another (same id, same
/// title, or text at least [`PAIR_THRESHOLD`] similar), over `comparisons` of different
/// documents: `(document id, comparison)`.
pub fn cross_document_moves(comparisons: &[(&str, &Comparison)]) -> Vec<CrossMove> {
    // Sections that left a document: removed, or moved into a part it links to (that report
    // already shows the move; the arriving document's report may not).
    let removed = |c: &Comparison| -> Vec<(usize, bool)> {
        c.diff
            .changes
            .iter()
            .filter_map(|x| match (x.kind, x.old_section, x.new_section) {
                (ChangeKind::SectionRemoved, Some(i), _) => Some((i, false)),
                (ChangeKind::SectionMoved, Some(i), Some(j))
                    if document_of_section(&c.new.sections[j].id).is_some() =>
                {
                    Some((i, true))
                }
                _ => None,
            })
            .filter(|&(i, _)| {
                c.old.sections[i].id != PREAMBLE_ID
                    && document_of_section(&c.old.sections[i].id).is_none()
            })
            .collect()
    };
    let added = |c: &Comparison| -> Vec<usize> {
        c.diff
            .changes
            .iter()
            .filter(|x| x.kind == ChangeKind::SectionAdded)
            .filter_map(|x| x.new_section)
            .filter(|&j| document_of_section(&c.new.sections[j].id).is_none())
            .collect()
    };
    let mut out = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for (a, (from_doc, from)) in comparisons.iter().enumerate() {
        for (i, via_link) in removed(from) {
            let old = &from.old.sections[i];
            let old_text = section_text(old);
            let mut best: Option<(f64, usize, usize)> = None;
            for (b, (_, to)) in comparisons.iter().enumerate() {
                if a == b {
                    continue;
                }
                for j in added(to) {
                    if taken.contains(&(b, j)) {
                        continue;
                    }
                    let new = &to.new.sections[j];
                    let sim = similarity(&old_text, &section_text(new));
                    let same =
                        new.id == old.id || editorial_key(&new.title) == editorial_key(&old.title);
                    let score = if same { sim.max(PAIR_THRESHOLD) + 1.0 } else { sim };
                    if (same || sim >= PAIR_THRESHOLD) && best.is_none_or(|(s, _, _)| score > s) {
                        best = Some((score, b, j));
                    }
                }
            }
            if let Some((_, b, j)) = best {
                taken.push((b, j));
                let (to_doc, to) = comparisons[b];
                let new = &to.new.sections[j];
                out.push(CrossMove {
                    from_section: old.id.clone(),
                    from_document: from_doc.to_string(),
                    from_line: old.line,
                    to_section: new.id.clone(),
                    to_document: to_doc.to_string(),
                    to_line: new.line,
                    similarity: similarity(&old_text, &section_text(new)),
                    via_link,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level;

    fn input(path: &str, text: &str) -> Option<Input> {
        Some(Input { side: Side::file(path), bytes: text.as_bytes().to_vec() })
    }

    const PRIVACY: &str = "## 一、收集 {#collect}\n\n我们收集手机号。\n\n## 二、第三方 {#third-parties}\n\n见第三方SDK目录。\n";
    const SDK: &str = "## 第三方SDK目录 {#sdks}\n\n| 第三方SDK | 目的 | 收集的信息 |\n| --- | --- | --- |\n| 推送SDK | 推送 | 设备标识符 |\n";

    #[test]
    fn a_linked_documents_change_is_a_change_of_the_linking_one() {
        let sdk2 = SDK.replace(
            "| 推送SDK | 推送 | 设备标识符 |\n",
            "| 推送SDK | 推送 | 设备标识符 |\n| 广告SDK | 个性化广告 | 设备标识符 |\n",
        );
        let main = Part {
            id: "privacy".into(),
            title: "隐私政策".into(),
            base: input("privacy.md", PRIVACY),
            head: input("privacy.md", PRIVACY),
        };
        let sdk = Part {
            id: "sdk".into(),
            title: "第三方SDK目录".into(),
            base: input("old/sdk.md", SDK),
            head: input("sdk.md", &sdk2),
        };
        let c = compare_linked(&main, &[sdk], &Criteria::builtin()).unwrap();
        assert_eq!(c.report.level, Level::Reconsent);
        let f = c.report.findings.iter().find(|f| f.change == ChangeKind::RowAdded).unwrap();
        assert_eq!(f.section, "sdk/sdks");
        assert_eq!(f.location.path, "sdk.md");
        assert_eq!(f.location.line, Some(6));
    }

    #[test]
    fn a_section_moving_into_a_linked_document_is_a_move() {
        let privacy2 = "## 一、收集 {#collect}\n\n我们收集手机号。\n";
        let sdk2 = format!("{SDK}\n## 二、第三方 {{#third-parties}}\n\n见第三方SDK目录。\n");
        let main = Part {
            id: "privacy".into(),
            title: "隐私政策".into(),
            base: input("privacy.md", PRIVACY),
            head: input("privacy.md", privacy2),
        };
        let sdk = Part {
            id: "sdk".into(),
            title: "第三方SDK目录".into(),
            base: input("sdk.md", SDK),
            head: input("sdk.md", &sdk2),
        };
        let c = compare_linked(&main, &[sdk], &Criteria::builtin()).unwrap();
        let kinds: Vec<ChangeKind> = c.report.changes.iter().map(|x| x.kind).collect();
        assert_eq!(kinds, vec![ChangeKind::SectionMoved], "{:?}", c.report.changes);
        assert_eq!(c.report.level, Level::Editorial);
        assert_eq!(
            c.report.notices,
            vec!["section `third-parties` moved from document `privacy` to document `sdk` (text unchanged)".to_string()]
        );
    }
}
