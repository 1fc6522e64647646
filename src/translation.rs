//! Translations: whether a translation has the source's sections, and which translated sections
//! are stale (their source section changed after they were last updated).
//!
//! **How staleness is tracked.** A history is a list of [`Snapshot`]s, oldest first, each holding
//! the source and the translation as they stood then. Within each language, consecutive versions
//! are aligned with [`crate::diff::diff`] (by id, then title, then content), so a section keeps its
//! history when it is renamed, moved, renumbered or even given a new id. A section *changes* in a
//! snapshot when its content key (the editorial key of its title and of each of its own blocks)
//! differs from its counterpart's in the previous snapshot, or when it has no counterpart there.
//! A translated section is stale when the source section with its id changed in a later snapshot
//! than the translated section did. A move or renumbering changes no key; a rename of the source
//! title is a change the translation must follow.
//!
//! **Where the history comes from** ([`history`]): the git history of the two files (first
//! parent from `HEAD`, every commit that changed either, then the working tree), which sees a
//! translation updated one commit after its source; without git, or on a shallow clone, the
//! released versions in `archive/<document>/` (each holds every language of the version) and then
//! the working tree.

use crate::consent::LanguageStatus;
use crate::diff::diff;
use crate::document::{Document, PREAMBLE_ID, Section, parse_lenient};
use crate::error::{Error, Result};
use crate::normalize::editorial_key;
use crate::repo::{DocumentConfig, PolicyRepo};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// The source and one translation of a document at one point of its history.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Where it comes from: a version (`1.2.0`), a short commit id, or `working tree`.
    pub label: String,
    /// The source-language document, if the file existed then.
    pub source: Option<Document>,
    /// The translation, if the file existed then.
    pub translation: Option<Document>,
}

/// A translated section whose source section changed after it was last updated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleSection {
    /// The section id.
    pub id: String,
    /// 1-based line of its heading in the translation.
    pub line: usize,
    /// 1-based line of its heading in the source.
    pub source_line: usize,
    /// The snapshot in which the source section last changed.
    pub source_changed: String,
    /// The snapshot in which the translated section last changed.
    pub translation_changed: String,
}

/// How a translation's section ids differ from the source's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IdMismatch {
    /// Ids in the source that the translation lacks, with their line in the source.
    pub missing: Vec<(String, usize)>,
    /// Ids in the translation that the source lacks, with their line in the translation.
    pub extra: Vec<(String, usize)>,
}

impl IdMismatch {
    /// Whether the two documents have the same section ids.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty()
    }
}

/// Compares the section ids of `source` and `translation` (the preamble aside).
pub fn compare_ids(source: &Document, translation: &Document) -> IdMismatch {
    let ids = |d: &Document| -> BTreeSet<String> {
        d.sections.iter().skip(1).map(|s| s.id.clone()).collect()
    };
    let (a, b) = (ids(source), ids(translation));
    let line = |d: &Document, id: &str| d.section(id).map_or(1, |s| s.line);
    let mut missing: Vec<(String, usize)> =
        a.difference(&b).map(|id| (id.clone(), line(source, id))).collect();
    let mut extra: Vec<(String, usize)> =
        b.difference(&a).map(|id| (id.clone(), line(translation, id))).collect();
    missing.sort_by_key(|(_, l)| *l);
    extra.sort_by_key(|(_, l)| *l);
    IdMismatch { missing, extra }
}

/// The content key of a section: its title and its own blocks (not its subsections), each
/// editorially normalised. Numbers are not part of it, so renumbering is not a change.
pub fn section_key(section: &Section) -> String {
    let mut key = editorial_key(&section.title);
    for b in &section.blocks {
        key.push('\u{1f}');
        key.push_str(b.key());
    }
    key
}

/// For each document of one language's history, the snapshot index in which each of its
/// sections last changed (`None` where the file is absent).
fn change_indices(docs: &[Option<&Document>]) -> Vec<Option<Vec<usize>>> {
    let mut out: Vec<Option<Vec<usize>>> = Vec::with_capacity(docs.len());
    for (k, doc) in docs.iter().enumerate() {
        let Some(doc) = doc else {
            out.push(None);
            continue;
        };
        let previous = k.checked_sub(1).and_then(|p| Some((docs[p]?, out[p].as_ref()?)));
        let changed = match previous {
            None => vec![k; doc.sections.len()],
            Some((old, old_changed)) if old.text == doc.text => old_changed.clone(),
            Some((old, old_changed)) => {
                let d = diff(old, doc);
                doc.sections
                    .iter()
                    .enumerate()
                    .map(|(j, s)| match d.new_to_old[j] {
                        Some(i) if section_key(&old.sections[i]) == section_key(s) => {
                            old_changed[i]
                        }
                        _ => k,
                    })
                    .collect()
            }
        };
        out.push(Some(changed));
    }
    out
}

/// The stale sections of the translation in the last snapshot of `history` (oldest first).
/// Sections whose id is not in both documents are not stale; [`compare_ids`] reports them.
pub fn stale_sections(history: &[Snapshot]) -> Vec<StaleSection> {
    stale_sections_each(history).pop().unwrap_or_default()
}

/// The stale sections of the translation in every snapshot of `history` (oldest first), each as
/// [`stale_sections`] would give it for the history up to that snapshot; empty where either file
/// is absent. Each language's history is aligned once, so this costs what [`stale_sections`] does.
pub fn stale_sections_each(history: &[Snapshot]) -> Vec<Vec<StaleSection>> {
    let sources: Vec<Option<&Document>> = history.iter().map(|s| s.source.as_ref()).collect();
    let translations: Vec<Option<&Document>> =
        history.iter().map(|s| s.translation.as_ref()).collect();
    let src_changed = change_indices(&sources);
    let tr_changed = change_indices(&translations);
    (0..history.len())
        .map(|k| {
            let (Some(source), Some(translation), Some(src), Some(tr)) =
                (&history[k].source, &history[k].translation, &src_changed[k], &tr_changed[k])
            else {
                return Vec::new();
            };
            stale_in(history, source, translation, src, tr)
        })
        .collect()
}

/// The stale sections of `translation` against `source`, given the snapshot in which each of
/// their sections last changed.
fn stale_in(
    history: &[Snapshot],
    source: &Document,
    translation: &Document,
    src_changed: &[usize],
    tr_changed: &[usize],
) -> Vec<StaleSection> {
    let by_id: HashMap<&str, usize> =
        source.sections.iter().enumerate().skip(1).map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut out = Vec::new();
    for (t, section) in translation.sections.iter().enumerate() {
        if section.id == PREAMBLE_ID {
            continue;
        }
        let Some(&s) = by_id.get(section.id.as_str()) else { continue };
        let (a, b) = (src_changed[s], tr_changed[t]);
        if a > b {
            out.push(StaleSection {
                id: section.id.clone(),
                line: section.line,
                source_line: source.sections[s].line,
                source_changed: history[a].label.clone(),
                translation_changed: history[b].label.clone(),
            });
        }
    }
    out
}

/// The status of a translation given its history (oldest first; the last snapshot is the one
/// judged).
pub fn translation_status(history: &[Snapshot]) -> LanguageStatus {
    let Some(last) = history.last() else { return LanguageStatus::Missing };
    match (&last.source, &last.translation) {
        (_, None) => LanguageStatus::Missing,
        (None, Some(_)) => LanguageStatus::Current,
        (Some(s), Some(t)) => {
            if !compare_ids(s, t).is_empty() || !stale_sections(history).is_empty() {
                LanguageStatus::Stale
            } else {
                LanguageStatus::Current
            }
        }
    }
}

fn parse_bytes(label: &str, bytes: &[u8]) -> Option<Document> {
    let text = crate::text::decode(label, bytes).ok()?;
    Some(parse_lenient(label, &text).0)
}

/// The history of `doc`'s source and its translation `lang` from the released versions in
/// `archive_dir/<document>/` (oldest first, labelled by version) up to and including `until`
/// (every release when `None`), without the working tree.
///
/// Errors: an unreadable release record.
pub fn archive_history_until(
    archive_dir: &Path,
    doc: &DocumentConfig,
    lang: &str,
    until: Option<crate::archive::Version>,
) -> Result<Vec<Snapshot>> {
    let mut out = Vec::new();
    let (src_name, tr_name) = (doc.file_name(&doc.source_language), doc.file_name(lang));
    for release in crate::archive::releases(archive_dir, &doc.id)? {
        if until.is_some_and(|u| release.version > u) {
            break;
        }
        let read = |name: &str| {
            let label = format!("archive/{}/{}/{name}", doc.id, release.version);
            crate::fsutil::read_regular(&release.dir.join(name), &label)
                .ok()
                .and_then(|b| parse_bytes(&label, &b))
        };
        out.push(Snapshot {
            label: release.version.to_string(),
            source: read(&src_name),
            translation: read(&tr_name),
        });
    }
    Ok(out)
}

/// [`archive_history_until`] over every release of `repo`'s archive.
///
/// Errors: an unreadable release record.
pub fn archive_history(
    repo: &PolicyRepo,
    doc: &DocumentConfig,
    lang: &str,
) -> Result<Vec<Snapshot>> {
    archive_history_until(&repo.archive_dir(), doc, lang, None)
}

/// The history of `doc`'s source and its translation `lang` from git: every first-parent commit
/// from `HEAD` that changed either file (oldest first, labelled by short commit id). `None`
/// when the repository root is not in a git repository or the clone is shallow.
///
/// Errors: a git failure while walking the history.
pub fn git_history(
    repo: &PolicyRepo,
    doc: &DocumentConfig,
    lang: &str,
) -> Result<Option<Vec<Snapshot>>> {
    let Ok(git) = git2::Repository::discover(&repo.root) else { return Ok(None) };
    if git.is_shallow() {
        return Ok(None);
    }
    let Ok(head) = git.head().and_then(|h| h.peel_to_commit()) else { return Ok(Some(Vec::new())) };
    let rel = |file: String| -> Option<String> {
        crate::git::repo_relative(&git, &repo.root, &repo.source_rel(doc, &file))
    };
    let (Some(src_rel), Some(tr_rel)) = (rel(doc.source_language.clone()), rel(lang.to_string()))
    else {
        return Ok(None);
    };
    let gerr = |e: git2::Error| Error::Git(format!("cannot walk the git history: {}", e.message()));
    let mut walk = git.revwalk().map_err(gerr)?;
    walk.push(head.id()).map_err(gerr)?;
    walk.simplify_first_parent().map_err(gerr)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE).map_err(gerr)?;
    let mut out = Vec::new();
    let mut last_ids: (Option<git2::Oid>, Option<git2::Oid>) = (None, None);
    for oid in walk {
        let commit = git.find_commit(oid.map_err(gerr)?).map_err(gerr)?;
        let tree = commit.tree().map_err(gerr)?;
        let id = |p: &str| tree.get_path(Path::new(p)).ok().map(|e| e.id());
        let ids = (id(&src_rel), id(&tr_rel));
        if ids == last_ids || (ids.0.is_none() && ids.1.is_none()) {
            last_ids = ids;
            continue;
        }
        last_ids = ids;
        let short = commit.id().to_string()[..8].to_string();
        let read = |oid: Option<git2::Oid>, path: &str| {
            let blob = git.find_blob(oid?).ok()?;
            parse_bytes(&format!("{short}:{path}"), blob.content())
        };
        out.push(Snapshot {
            label: short.clone(),
            source: read(ids.0, &src_rel),
            translation: read(ids.1, &tr_rel),
        });
    }
    Ok(Some(out))
}

/// The history used to judge `doc`'s translation `lang` now: [`git_history`] when git is usable,
/// else [`archive_history`]; then the working tree when it differs from the last snapshot.
///
/// Errors: a git failure, an unreadable release record.
pub fn history(repo: &PolicyRepo, doc: &DocumentConfig, lang: &str) -> Result<Vec<Snapshot>> {
    let mut out = match git_history(repo, doc, lang)? {
        Some(h) => h,
        None => archive_history(repo, doc, lang)?,
    };
    let read = |l: &str| {
        let rel = repo.source_rel(doc, l);
        crate::fsutil::read_regular(&repo.root.join(&rel), &rel)
            .ok()
            .and_then(|b| parse_bytes(&rel, &b))
    };
    let working = Snapshot {
        label: "working tree".to_string(),
        source: read(&doc.source_language),
        translation: read(lang),
    };
    let same = |a: &Option<Document>, b: &Option<Document>| match (a, b) {
        (Some(a), Some(b)) => a.text == b.text,
        (None, None) => true,
        _ => false,
    };
    let unchanged = out.last().is_some_and(|l| {
        same(&l.source, &working.source) && same(&l.translation, &working.translation)
    });
    if !unchanged {
        out.push(working);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;

    fn snap(label: &str, source: &str, translation: &str) -> Snapshot {
        Snapshot {
            label: label.to_string(),
            source: Some(parse("p.zh-CN.md", source).unwrap()),
            translation: Some(parse("p.en.md", translation).unwrap()),
        }
    }

    const ZH1: &str =
        "## 一、收集 {#collect}\n\n我们收集手机号。\n\n## 二、联系 {#contact}\n\n邮箱 a@b.cn\n";
    const EN1: &str = "## 1. Collection {#collect}\n\nWe collect phone numbers.\n\n## 2. Contact {#contact}\n\nEmail a@b.cn\n";

    #[test]
    fn a_source_edit_makes_the_section_stale_until_it_is_translated() {
        let zh2 = ZH1.replace("手机号", "手机号和邮箱");
        let h = vec![snap("v1", ZH1, EN1), snap("v2", &zh2, EN1)];
        let stale = stale_sections(&h);
        assert_eq!(stale.len(), 1);
        assert_eq!((stale[0].id.as_str(), stale[0].line), ("collect", 1));
        assert_eq!(
            (stale[0].source_changed.as_str(), stale[0].translation_changed.as_str()),
            ("v2", "v1")
        );
        let en2 = EN1.replace("phone numbers", "phone numbers and email addresses");
        let mut h2 = h.clone();
        h2.push(snap("v3", &zh2, &en2));
        assert!(stale_sections(&h2).is_empty());
        assert_eq!(translation_status(&h2), LanguageStatus::Current);
        assert_eq!(translation_status(&h), LanguageStatus::Stale);
        // Per snapshot: nothing stale at v1, `collect` at v2, nothing once translated at v3.
        let each: Vec<Vec<String>> = stale_sections_each(&h2)
            .into_iter()
            .map(|s| s.into_iter().map(|x| x.id).collect())
            .collect();
        assert_eq!(each, vec![vec![], vec!["collect".to_string()], vec![]]);
    }

    #[test]
    fn moves_and_renumbering_are_not_changes() {
        // The source swaps the two sections and renumbers them; the translation follows later.
        let zh2 =
            "## 一、联系 {#contact}\n\n邮箱 a@b.cn\n\n## 二、收集 {#collect}\n\n我们收集手机号。\n";
        let h = vec![snap("v1", ZH1, EN1), snap("v2", zh2, EN1)];
        assert!(stale_sections(&h).is_empty());
    }

    #[test]
    fn ids_are_compared_both_ways() {
        let en = EN1.replace("{#contact}", "{#contact-us}");
        let m = compare_ids(&parse("a.md", ZH1).unwrap(), &parse("b.md", &en).unwrap());
        assert_eq!(m.missing, vec![("contact".to_string(), 5)]);
        assert_eq!(m.extra, vec![("contact-us".to_string(), 5)]);
    }
}
