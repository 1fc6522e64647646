//! The git history of one document: the commits that changed its source file, each classified
//! against its first parent, so a release manager sees which commit brought which finding.
//!
//! libgit2 has no path-limited revwalk: every commit reachable from `HEAD` (minus `--since`) is
//! visited and the blob id at the path compared with each parent's (equal ids mean identical
//! content). A commit is listed when its blob differs from every parent's, as `git log PATH`
//! does: a merge that took one side's file unchanged is not listed; the commit on that side is.
//! Renames are not followed. A shallow clone is refused up front with a hint, instead of
//! libgit2's "object not found" at the history's cut.

use crate::document::{Document, parse_lenient};
use crate::error::{Error, Result};
use crate::model::{Bump, Level, Qualifier};
use crate::report::{Side, compare_documents};
use crate::rules::Criteria;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;

/// The message of a refusal on a shallow clone (history needs every commit).
pub const SHALLOW_MESSAGE: &str = "this is a shallow clone: the history of the policy is cut off; fetch full history with `git fetch --unshallow` (in CI: `fetch-depth: 0` for actions/checkout) and run again";

/// What a commit did to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    /// The file appears (no first parent had it).
    Added,
    /// The file changed.
    Modified,
    /// The file was deleted.
    Removed,
}

/// One commit that changed the file.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    /// Full commit id.
    pub commit: String,
    /// Parent commit ids, first parent first.
    pub parents: Vec<String>,
    /// Author date (`YYYY-MM-DD`) in the policy's time zone.
    pub date: String,
    /// Author name.
    pub author: String,
    /// First line of the commit message.
    pub subject: String,
    /// What it did to the file.
    pub kind: HistoryKind,
    /// Level of its change against the first parent (`none` for additions and removals).
    pub level: Level,
    /// The bump that level requires.
    pub bump: Bump,
    /// Qualifiers of its findings.
    pub qualifiers: BTreeSet<Qualifier>,
    /// Summary lines (one per finding, as in release records).
    pub summary: Vec<String>,
    /// Why the change could not be classified (the file is not UTF-8 at one side), or `null`.
    pub error: Option<String>,
}

/// The blob id of `path` in `commit`, if the path is a file there.
fn blob_at(commit: &git2::Commit<'_>, path: &str) -> Result<Option<git2::Oid>> {
    let tree = commit.tree().map_err(|e| {
        Error::Git(format!("cannot read the tree of commit {}: {}", commit.id(), e.message()))
    })?;
    Ok(match tree.get_path(Path::new(path)) {
        Ok(entry) if entry.kind() == Some(git2::ObjectType::Blob) => Some(entry.id()),
        _ => None,
    })
}

/// Refuses on a shallow clone ([`SHALLOW_MESSAGE`]).
pub fn require_full_history(git: &git2::Repository) -> Result<()> {
    if git.is_shallow() { Err(Error::Refused(SHALLOW_MESSAGE.to_string())) } else { Ok(()) }
}

/// Resolves `rev` to a commit.
///
/// Errors: [`Error::UnknownRevision`].
pub fn commit_of<'r>(git: &'r git2::Repository, rev: &str) -> Result<git2::Commit<'r>> {
    git.revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|_| crate::git::unknown_revision(git, rev))
}

fn date_in(time: git2::Time, tz: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_second(time.seconds())
        .map(|t| t.to_zoned_datetime(tz.clone()).date().to_string())
        .unwrap_or_default()
}

/// The commits reachable from `HEAD` (not from `since`) that changed repository-relative
/// `path`, newest first (topological, then time), each classified against its first parent
/// under `criteria`, with dates in `tz`.
///
/// Errors: a shallow clone ([`SHALLOW_MESSAGE`]), an unknown `since`, a repository without
/// commits, or any error while walking (never swallowed).
pub fn history(
    git: &git2::Repository,
    path: &str,
    document: &str,
    criteria: &Criteria,
    since: Option<&str>,
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<HistoryEntry>> {
    require_full_history(git)?;
    let walk_err = |e: git2::Error| Error::Git(format!("walking the history: {}", e.message()));
    let head = git
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(|_| Error::Refused("the repository has no commit yet".to_string()))?;
    let mut walk = git.revwalk().map_err(walk_err)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME).map_err(walk_err)?;
    walk.push(head.id()).map_err(walk_err)?;
    if let Some(rev) = since {
        walk.hide(commit_of(git, rev)?.id()).map_err(walk_err)?;
    }
    let mut out = Vec::new();
    for oid in walk {
        let oid = oid.map_err(walk_err)?;
        let commit = git.find_commit(oid).map_err(walk_err)?;
        let blob = blob_at(&commit, path)?;
        let parents: Vec<git2::Commit<'_>> = commit.parents().collect();
        let parent_blobs: Vec<Option<git2::Oid>> =
            parents.iter().map(|p| blob_at(p, path)).collect::<Result<_>>()?;
        let touched = if parent_blobs.is_empty() {
            blob.is_some()
        } else {
            parent_blobs.iter().all(|p| *p != blob)
        };
        if !touched {
            continue;
        }
        let base = parent_blobs.first().copied().flatten();
        let kind = match (base, blob) {
            (None, _) => HistoryKind::Added,
            (Some(_), None) => HistoryKind::Removed,
            (Some(_), Some(_)) => HistoryKind::Modified,
        };
        let author = commit.author();
        let mut entry = HistoryEntry {
            commit: oid.to_string(),
            parents: parents.iter().map(|p| p.id().to_string()).collect(),
            date: date_in(author.when(), tz),
            author: author.name().unwrap_or("").to_string(),
            subject: commit.summary().ok().flatten().unwrap_or("").to_string(),
            kind,
            level: Level::None,
            bump: Bump::None,
            qualifiers: BTreeSet::new(),
            summary: Vec::new(),
            error: None,
        };
        if let (Some(old), Some(new)) = (base, blob) {
            let parent = parents[0].id().to_string();
            match classify_blobs(git, path, document, criteria, (&parent, old), (oid, new)) {
                Ok(c) => {
                    entry.level = c.report.level;
                    entry.bump = c.report.bump;
                    entry.qualifiers = c.report.qualifiers.clone();
                    entry.summary = crate::release::comparison_summary(&c);
                }
                Err(e) => entry.error = Some(e.to_string()),
            }
        }
        out.push(entry);
    }
    Ok(out)
}

fn classify_blobs(
    git: &git2::Repository,
    path: &str,
    document: &str,
    criteria: &Criteria,
    old: (&str, git2::Oid),
    new: (git2::Oid, git2::Oid),
) -> Result<crate::report::Comparison> {
    let read = |rev: &str, blob: git2::Oid| -> Result<(Side, Document)> {
        let short = &rev[..rev.len().min(10)];
        let side = Side {
            label: short.to_string(),
            version: None,
            rev: Some(short.to_string()),
            path: path.to_string(),
        };
        let blob = git
            .find_blob(blob)
            .map_err(|e| Error::Git(format!("{}: {}", side.display(), e.message())))?;
        let text = crate::text::decode(&side.display(), blob.content())?;
        // Historical commits may hold problems (duplicate ids) that lint reports today; the
        // lenient parse still classifies them.
        let (doc, _) = parse_lenient(&side.display(), &text);
        Ok((side, doc))
    };
    let (old_side, old_doc) = read(old.0, old.1)?;
    let (new_side, new_doc) = read(&new.0.to_string(), new.1)?;
    Ok(compare_documents(document, old_side, new_side, old_doc, new_doc, criteria))
}
