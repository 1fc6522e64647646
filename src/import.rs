//! Backfilling an empty archive from an existing history (issue 3, item 7): a folder of dated
//! versions (`NNN_YYYY-MM-DD.md|mdx|txt`, as archives of public policies keep them) or the commits that
//! changed a file in git. Each version becomes a release of the document's source language, in
//! order, its date the effective date; its level is computed against the version before and the
//! numbers follow from the bumps, starting at `1.0.0`.
//!
//! History predates the notice rule, so that check is skipped; equal dates are fine, a date
//! earlier than the previous one is kept and reported as a warning, and a version identical to
//! the one before (once decoded) is skipped with a warning (it would have no number of its own).
//!
//! Real histories rarely lint clean, so an import does not lint; it checks only what would
//! corrupt the archive ([`check_candidate`]): front matter naming another document or
//! language, and section ids that are not well-formed (`../../..`, `a/b`), which become part of
//! the archive's pages and links. Each release stores the criteria it was judged with and the
//! engine that judged it, like any release, so `verify` can judge it again.

use crate::archive::{self, RELEASE_SCHEMA, ReleaseRecord, Version};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::model::{Bump, Level};
use crate::release::JudgedCriteria;
use crate::repo::{DocumentConfig, PolicyRepo};
use crate::report::{Input, Side, compare};
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// One version found in the history to import.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// How messages name it: the file path, or `REV:PATH` with the short commit id.
    pub label: String,
    /// Its date: the file name's date, or the commit date in the policy's time zone.
    pub date: Date,
    /// The raw bytes.
    pub bytes: Vec<u8>,
    /// The commit it came from, for git imports.
    pub commit: Option<String>,
    /// Whether it is plain text (`.txt`) rather than Markdown.
    pub plain_text: bool,
}

/// The versions of a folder of `NNN_YYYY-MM-DD.{md,mdx,txt}` files, in file order (by `NNN`,
/// then name), and the names of the files that do not match that pattern (ignored).
///
/// Errors: the folder cannot be read, a matching name holds an impossible date, or a file
/// cannot be read.
pub fn from_dir(dir: &Path, label: &str) -> Result<(Vec<Candidate>, Vec<String>)> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(label, &e))?;
    let mut found = Vec::new();
    let mut ignored = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(label, &e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        match parse_name(&name) {
            Some((n, date, ext)) if entry.path().is_file() => {
                let file_label = format!("{}/{name}", label.trim_end_matches('/'));
                let date = crate::time::parse_date(&file_label, date)?;
                found.push((n, name.clone(), date, ext == "txt", file_label, entry.path()));
            }
            _ => ignored.push(name),
        }
    }
    found.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    ignored.sort();
    let mut out = Vec::with_capacity(found.len());
    for (_, _, date, plain_text, file_label, path) in found {
        let bytes = crate::fsutil::read_regular(&path, &file_label)?;
        out.push(Candidate { label: file_label, date, bytes, commit: None, plain_text });
    }
    Ok((out, ignored))
}

/// Splits `NNN_YYYY-MM-DD.ext` into the number, the date text and the extension (`md`, `mdx`
/// or `txt`).
fn parse_name(name: &str) -> Option<(u64, &str, &str)> {
    let (stem, ext) = name.rsplit_once('.')?;
    if !matches!(ext, "md" | "mdx" | "txt") {
        return None;
    }
    let (n, date) = stem.split_once('_')?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || date.len() != 10 {
        return None;
    }
    let shape = date.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        _ => b.is_ascii_digit(),
    });
    if !shape {
        return None;
    }
    Some((n.parse().ok()?, date, ext))
}

/// The versions of repository-relative `path` along the first-parent history of `range`
/// (`REV` for everything reachable from it, `A..B` for what B has and A has not), oldest first:
/// every commit whose blob differs from its first parent's (commits that delete the file are
/// skipped). Dates are committer dates in `tz`.
///
/// Errors: a shallow clone, an unknown revision, a range where the path never exists, or a
/// git failure while walking.
pub fn from_git(
    git: &git2::Repository,
    range: &str,
    path: &str,
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<Candidate>> {
    crate::history::require_full_history(git)?;
    let walk_err = |e: git2::Error| Error::Git(format!("walking the history: {}", e.message()));
    let mut walk = git.revwalk().map_err(walk_err)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE).map_err(walk_err)?;
    walk.simplify_first_parent().map_err(walk_err)?;
    match range.split_once("..") {
        Some((from, to)) => {
            let to = if to.is_empty() { "HEAD" } else { to };
            walk.push(crate::history::commit_of(git, to)?.id()).map_err(walk_err)?;
            walk.hide(crate::history::commit_of(git, from)?.id()).map_err(walk_err)?;
        }
        None => walk.push(crate::history::commit_of(git, range)?.id()).map_err(walk_err)?,
    }
    let blob_at = |c: &git2::Commit<'_>| -> Result<Option<git2::Oid>> {
        let tree = c.tree().map_err(walk_err)?;
        Ok(match tree.get_path(Path::new(path)) {
            Ok(e) if e.kind() == Some(git2::ObjectType::Blob) => Some(e.id()),
            _ => None,
        })
    };
    let mut out = Vec::new();
    let mut seen = false;
    for oid in walk {
        let oid = oid.map_err(walk_err)?;
        let commit = git.find_commit(oid).map_err(walk_err)?;
        let Some(blob) = blob_at(&commit)? else { continue };
        seen = true;
        let parent = match commit.parents().next() {
            Some(p) => blob_at(&p)?,
            None => None,
        };
        if parent == Some(blob) {
            continue;
        }
        let bytes = git.find_blob(blob).map_err(walk_err)?.content().to_vec();
        let short = &oid.to_string()[..10];
        let date = jiff::Timestamp::from_second(commit.time().seconds())
            .map(|t| t.to_zoned_datetime(tz.clone()).date())
            .map_err(|e| Error::Git(format!("commit {short} has an impossible date: {e}")))?;
        out.push(Candidate {
            label: format!("{short}:{path}"),
            date,
            bytes,
            commit: Some(oid.to_string()),
            plain_text: path.to_ascii_lowercase().ends_with(".txt"),
        });
    }
    if out.is_empty() {
        return Err(Error::Refused(if seen {
            format!(
                "`{path}` does not change in any commit of `{range}` (A..B leaves out A itself); start the range earlier, or import its whole history with `{}:{path}`",
                range.split_once("..").map_or(range, |(_, to)| if to.is_empty() {
                    "HEAD"
                } else {
                    to
                })
            )
        } else {
            format!("`{path}` does not exist in any commit of `{range}`")
        }));
    }
    Ok(out)
}

/// One release of an import.
#[derive(Debug, Clone)]
pub struct ImportedRelease {
    /// Where it came from (file path or `REV:PATH`).
    pub label: String,
    /// Its record.
    pub record: ReleaseRecord,
    /// Its one source file (the document's source language).
    pub files: Vec<(String, Vec<u8>)>,
    /// The bytes of [`archive::CRITERIA_FILE`].
    pub criteria_file: Vec<u8>,
}

/// Refuses a version whose text would corrupt the archive: front matter whose `id` is not the
/// document's or whose `lang` is not its source language (the site and `consent.json` would
/// file it under another document or language), or an explicit section id that is not
/// well-formed ([`crate::lint::is_well_formed_id`]; ids name anchors and pages). Everything
/// else a real history holds (no front matter, missing ids, broken links) is kept as it was.
///
/// Errors: [`Error::Refused`] naming the version (its file or `REV:PATH`) and line.
pub fn check_candidate(doc: &DocumentConfig, label: &str, parsed: &Document) -> Result<()> {
    if let Some(fm) = &parsed.front_matter {
        for (field, expected) in [("id", doc.id.as_str()), ("lang", doc.source_language.as_str())] {
            let Some(found) = fm.fields.get(field) else { continue };
            if found != expected {
                let line = fm
                    .raw
                    .lines()
                    .position(|l| {
                        let l = l.trim_start();
                        l.strip_prefix(field)
                            .is_some_and(|r| r.trim_start().starts_with(['=', ':']))
                    })
                    .map_or(1, |i| i + 2);
                return Err(Error::Refused(format!(
                    "{label}:{line}: the front matter says {field} = `{found}`, but it is imported as {} `{expected}`; fix that line (or import into the right document) first",
                    if field == "id" { "document" } else { "language" }
                )));
            }
        }
    }
    if let Some(s) = parsed
        .sections
        .iter()
        .skip(1)
        .find(|s| s.explicit_id && !crate::lint::is_well_formed_id(&s.id))
    {
        return Err(Error::Refused(format!(
            "{label}:{}: section id `{}` is not well-formed (lower-case ASCII letters and digits joined by `-` or `_`); it would name pages and links of the archive, so fix it before importing",
            s.line, s.id
        )));
    }
    Ok(())
}

/// What an import writes.
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    /// The releases, oldest first.
    pub releases: Vec<ImportedRelease>,
    /// Dates going backwards, versions skipped as identical.
    pub warnings: Vec<String>,
}

/// Plans the import of `candidates` (oldest first) as releases of `document`'s source language,
/// judged with `criteria` (stored with each release). `commit` is the candidate's commit, else
/// `head_commit`; `released_at` is written as given.
///
/// Errors: the archive already has a version of the document, there is no candidate, a
/// candidate's format (plain text or Markdown) differs from the document's extension, or a
/// candidate does not decode or parse, or fails [`check_candidate`] (naming it).
pub fn plan(
    repo: &PolicyRepo,
    criteria: &JudgedCriteria,
    document: &str,
    candidates: Vec<Candidate>,
    head_commit: &str,
    released_at: &str,
) -> Result<ImportPlan> {
    let doc = repo.document(Some(document))?;
    refuse_nonempty(repo, doc)?;
    if candidates.is_empty() {
        return Err(Error::Refused(
            "nothing to import: no version found (files must be named NNN_YYYY-MM-DD.md, .mdx or .txt)"
                .to_string(),
        ));
    }
    let file = doc.file_name(&doc.source_language);
    let doc_plain = file.to_ascii_lowercase().ends_with(".txt");
    let criteria_file = archive::criteria_layers_toml(&criteria.layers);
    let criteria_sha256 = archive::sha256_hex(criteria_file.as_bytes());
    let engine = crate::engine::engine_id();
    let mut out = ImportPlan::default();
    // (candidate, version, record sha256 as written)
    let mut previous: Option<(Input, Version, String, Date)> = None;
    for c in candidates {
        if c.plain_text != doc_plain {
            return Err(Error::Refused(format!(
                "{} is {} but the sources of `{}` are {} ({file}); set `extension` for it in policy/policy.toml to match",
                c.label,
                if c.plain_text { "plain text (.txt)" } else { "Markdown" },
                doc.id,
                if doc_plain { "plain text" } else { "Markdown" }
            )));
        }
        let input = Input {
            side: Side { label: c.label.clone(), version: None, rev: None, path: c.label.clone() },
            bytes: c.bytes.clone(),
        };
        check_candidate(doc, &c.label, &Document::from_bytes(&c.label, &c.bytes)?)?;
        let (version, level, qualifiers, summary, previous_version, previous_record) =
            match &previous {
                None => (
                    Version { major: 1, minor: 0, patch: 0 },
                    Level::None,
                    Vec::new(),
                    Vec::new(),
                    String::new(),
                    String::new(),
                ),
                Some((prev_input, prev_version, prev_hash, prev_date)) => {
                    let comparison = compare(&doc.id, prev_input, &input, &criteria.criteria)?;
                    let level = comparison.report.level;
                    if level == Level::None {
                        out.warnings.push(format!(
                            "{}: identical to {} once decoded; skipped",
                            c.label, prev_input.side.label
                        ));
                        continue;
                    }
                    if c.date < *prev_date {
                        out.warnings.push(format!(
                            "{}: its date {} is earlier than the previous version's {prev_date}; kept as is",
                            c.label, c.date
                        ));
                    }
                    (
                        prev_version.bumped(level.bump())?,
                        level,
                        comparison
                            .report
                            .qualifiers
                            .iter()
                            .map(|q| q.as_str().to_string())
                            .collect(),
                        crate::release::comparison_summary(&comparison),
                        prev_version.to_string(),
                        prev_hash.clone(),
                    )
                }
            };
        let files = vec![(file.clone(), c.bytes.clone())];
        let bump = if previous.is_some() { level.bump() } else { Bump::None };
        let record = ReleaseRecord {
            schema: RELEASE_SCHEMA.to_string(),
            document: doc.id.clone(),
            version: version.to_string(),
            previous: previous_version,
            effective: c.date.to_string(),
            released_at: released_at.to_string(),
            commit: c.commit.clone().unwrap_or_else(|| head_commit.to_string()),
            dirty: false,
            level: level.as_str().to_string(),
            bump: bump.as_str().to_string(),
            qualifiers,
            summary,
            previous_record,
            engine: engine.clone(),
            triggers: Vec::new(),
            criteria_sha256: criteria_sha256.clone(),
            sources: archive::source_hashes(&files),
            linked: Vec::new(),
            origin: archive::ORIGIN_IMPORTED.to_string(),
            notes: Default::default(),
            annotations: Vec::new(),
        };
        let hash = archive::sha256_hex(record.to_toml(std::slice::from_ref(&file)).as_bytes());
        previous = Some((input, version, hash, c.date));
        out.releases.push(ImportedRelease {
            label: c.label,
            record,
            files,
            criteria_file: criteria_file.as_bytes().to_vec(),
        });
    }
    Ok(out)
}

/// Refuses when `archive/<document>/` already holds a version folder (naming the lowest).
///
/// Errors: [`Error::Refused`].
pub fn refuse_nonempty(repo: &PolicyRepo, doc: &DocumentConfig) -> Result<()> {
    let dir = repo.archive_dir().join(&doc.id);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(()) };
    let lowest =
        entries.flatten().filter_map(|e| Version::parse(&e.file_name().to_string_lossy())).min();
    match lowest {
        Some(v) => Err(Error::Refused(format!(
            "archive/{}/ already has version {v}; import only backfills an empty archive",
            doc.id
        ))),
        None => Ok(()),
    }
}

/// Writes the releases of `plan`, oldest first, each atomically
/// ([`archive::write_release`]). Returns the folders written.
///
/// Errors: the first failure; the versions before it stay written (each is complete, and the
/// chain up to it intact) and the message names the last one written.
pub fn write(repo: &PolicyRepo, plan: &ImportPlan) -> Result<Vec<PathBuf>> {
    let mut written: Vec<PathBuf> = Vec::new();
    for r in &plan.releases {
        let result = archive::stage_release(
            &repo.archive_dir(),
            &r.record,
            &r.files,
            Some(&r.criteria_file),
        )
        .and_then(archive::StagedRelease::commit);
        match result {
            Ok(dir) => written.push(dir),
            Err(e) => {
                let done = match written.len() {
                    0 => "nothing was written".to_string(),
                    n => format!(
                        "{n} versions were written, up to {}",
                        plan.releases[n - 1].record.version
                    ),
                };
                return Err(Error::Refused(format!("{e} ({done})")));
            }
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_file_names() {
        assert_eq!(parse_name("001_2024-02-20.md"), Some((1, "2024-02-20", "md")));
        assert_eq!(parse_name("162_2025-01-01.txt"), Some((162, "2025-01-01", "txt")));
        assert_eq!(parse_name("007_2024-11-05.mdx"), Some((7, "2024-11-05", "mdx")));
        for bad in ["SOURCE.md", "versions.toml", "001_2024-2-20.md", "x_2024-02-20.md", "001.md"] {
            assert_eq!(parse_name(bad), None, "{bad}");
        }
    }
}
