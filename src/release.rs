//! Releasing a version: classify the working document (every language) against the last
//! released version, propose the bump, check every precondition, and append
//! `archive/<document>/<version>/` with the exact source bytes and `release.toml`
//! (README "Releases, the archive and consent"). Every refusal is an [`Error::Refused`] raised before anything
//! is written.
//!
//! **The source language governs.** The source-language file is the binding text (README:
//! `consent.json`'s sha256 is of it; a translation is a reference), so a release's level, bump
//! and qualifiers — and with them the consent decisions, the notice and the effective date —
//! come from the source language's diff alone ([`release_level`]). Each translation's own level
//! is still computed and shown, as information; a release in which only translations changed is
//! `editorial` (a corrected translation is a patch release).

use crate::archive::{self, LinkedText, RELEASE_SCHEMA, Release, ReleaseRecord, Trigger, Version};
use crate::classify::Finding;
use crate::diff::SegmentOp;
use crate::error::{Error, Result};
use crate::model::{ChangeKind, Level, Qualifier};
use crate::repo::{DocumentConfig, PolicyRepo};
use crate::report::{Comparison, Input, Side, compare};
use crate::rules::Criteria;
use crate::translation::StaleSection;
use jiff::ToSpan;
use jiff::civil::Date;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What the command line asked for.
#[derive(Debug, Clone, Default)]
pub struct ReleaseOptions {
    /// `--effective`: the effective date (policy time zone); default: see [`plan`].
    pub effective: Option<Date>,
    /// `--version`: at least the proposed version.
    pub version: Option<Version>,
    /// `--as-of`: the release date; default today in the policy's time zone.
    pub as_of: Option<Date>,
    /// `--allow-dirty`: release with uncommitted changes under `policy/` (`dirty = true`).
    pub allow_dirty: bool,
    /// `--tag`: also create the git tag `<document>-v<version>` at `HEAD`.
    pub tag: bool,
    /// `--trigger`: facts the texts cannot show ([`Trigger`]), each raising the level to its
    /// floor; recorded in `triggers`.
    pub triggers: Vec<Trigger>,
    /// `--notes`: the notes file `(path, label)` instead of `policy/<document>.notes.toml`.
    pub notes: Option<(PathBuf, String)>,
}

/// How one language of the working document compares with the same language of the last
/// release.
#[derive(Debug, Clone)]
pub struct LanguageChange {
    /// The language (`zh-CN`).
    pub lang: String,
    /// Its file name (`privacy.zh-CN.md`).
    pub file: String,
    /// Its own level (`none` when identical; `editorial` for a translation the last release did
    /// not have). Only the source language's decides the release's ([`release_level`]).
    pub level: Level,
    /// The comparison with the last release; `None` for a first release or a new translation.
    pub comparison: Option<Comparison>,
}

/// Everything a release would write, computed without writing anything.
#[derive(Debug, Clone)]
pub struct ReleasePlan {
    /// The record to write (`released_at` included).
    pub record: ReleaseRecord,
    /// The source files, (file name, raw bytes), in language order (source first).
    pub files: Vec<(String, Vec<u8>)>,
    /// The release date (policy time zone).
    pub release_date: Date,
    /// Per-language results, in language order.
    pub languages: Vec<LanguageChange>,
    /// Translations with stale sections (the source changed after them), in language order;
    /// the release goes ahead, the source governs.
    pub stale: Vec<StaleTranslation>,
    /// The tag to create, when asked for.
    pub tag: Option<String>,
    /// The folder that will be written.
    pub dir: PathBuf,
    /// The bytes of [`archive::CRITERIA_FILE`]: the criteria it was judged with.
    pub criteria_file: Vec<u8>,
}

impl ReleasePlan {
    /// The file names in the order they are written (and listed in `[sources]`).
    pub fn file_order(&self) -> Vec<String> {
        self.files.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The exact bytes of `release.toml`.
    pub fn record_toml(&self) -> String {
        self.record.to_toml(&self.file_order())
    }
}

/// A translation whose sections lag behind the source ([`crate::translation::stale_sections`],
/// the check `check` and `lint` make).
#[derive(Debug, Clone)]
pub struct StaleTranslation {
    /// The language (`en`).
    pub lang: String,
    /// Its file name (`privacy.en.md`).
    pub file: String,
    /// Its stale sections, in the translation's order.
    pub sections: Vec<StaleSection>,
}

/// The level of a release from its per-language results (source language first): the source
/// language's level; `editorial` when the source did not change but a translation did (a
/// corrected or new translation is a patch release); `none` when nothing changed. A
/// translation's own level never raises it: the source language is the binding text.
pub fn release_level(languages: &[LanguageChange]) -> Level {
    let source = languages.first().map(|l| l.level).unwrap_or(Level::None);
    if source == Level::None && languages.iter().skip(1).any(|l| l.level > Level::None) {
        Level::Editorial
    } else {
        source
    }
}

/// How the refusal of a release without any change starts (`release --all` skips such
/// documents instead of refusing).
pub const NOTHING_TO_RELEASE: &str = "nothing to release";

/// The tag name of a release: `<document>-v<version>`.
pub fn tag_name(document: &str, version: &str) -> String {
    format!("{document}-v{version}")
}

/// Plans the release of `document` (README "Releases, the archive and consent"):
///
/// * each language's working file (`policy/<id>.<lang>.<ext>`) is compared with the same
///   language in the last release under `criteria`; the release level and qualifiers are the
///   source language's ([`release_level`]: `editorial` when only translations changed), the bump
///   follows from the level (`none` for a first release, numbered `1.0.0`);
/// * translations with stale sections are listed in [`ReleasePlan::stale`] (not a refusal);
/// * `--version` may only go above the proposed version;
/// * the effective date defaults to the release date plus `notice_days` for `major` and
///   `reconsent` releases, the release date otherwise, and never earlier than the previous
///   version's effective date;
/// * `commit` is git `HEAD` (`""` outside git); `dirty` is true when files under `policy/`
///   differed from `HEAD` and `--allow-dirty` allowed it.
///
/// `released_at` is written as given (UTC, `2026-12-08T03:12:00Z`).
///
/// Errors ([`Error::Refused`] unless noted; nothing is written): a missing or malformed source
/// (its own error), a last-release source that no longer matches its recorded sha256, a dirty
/// `policy/` without `allow_dirty`, no change in any language, a finding with the `block`
/// qualifier in any language (a translation that drops a statutory right is refused too), a version not above the last or below the proposed one, an existing version
/// folder, an effective date before the release date, inside the notice period of a major or
/// reconsent release, or before the previous version's, an existing tag.
pub fn plan(
    repo: &PolicyRepo,
    criteria: &JudgedCriteria,
    document: &str,
    opts: &ReleaseOptions,
    released_at: &str,
) -> Result<ReleasePlan> {
    let doc = repo.document(Some(document))?;
    let releases = archive::releases(&repo.archive_dir(), &doc.id)?;
    let last = releases.last();
    let files = read_sources(repo, doc)?;
    let git = git_state(repo)?;
    let dirty = !git.dirty.is_empty();
    if dirty && !opts.allow_dirty {
        let mut list: Vec<&str> = git.dirty.iter().map(String::as_str).take(5).collect();
        if git.dirty.len() > 5 {
            list.push("…");
        }
        return Err(Error::Refused(format!(
            "refusing to release {}: uncommitted changes under policy/ ({}); commit them first, or pass --allow-dirty to release the working files (the record will say dirty = true)",
            doc.id,
            list.join(", ")
        )));
    }
    let (languages, linked) = compare_languages(repo, &criteria.criteria, doc, &files, last)?;
    if last.is_none()
        && let Some(t) = opts.triggers.first()
    {
        return Err(Error::Refused(format!(
            "--trigger {}: the first release of {} has no earlier version whose readers a notice could reach; release it without the trigger",
            t.as_str(),
            doc.id
        )));
    }
    let verdict = verdict(&languages, &opts.triggers, last.is_none());
    let level = verdict.level;
    if let Some(last) = last
        && release_level(&languages) == Level::None
    {
        return Err(Error::Refused(format!(
            "{NOTHING_TO_RELEASE}: no language of {} changed since {} ({} identical)",
            doc.id,
            last.version,
            languages.iter().map(|l| l.lang.as_str()).collect::<Vec<_>>().join(", ")
        )));
    }
    let blocked: Vec<&Finding> = languages
        .iter()
        .filter_map(|l| l.comparison.as_ref())
        .flat_map(|c| c.report.findings.iter())
        .filter(|f| f.qualifiers.contains(&Qualifier::Block))
        .collect();
    if let Some(f) = blocked.first() {
        return Err(Error::Refused(format!(
            "refusing to release {}: {}:{} {} (rule {}) carries the `block` qualifier: {}{}",
            doc.id,
            f.location.path,
            f.location.line.map(|l| l.to_string()).unwrap_or_default(),
            summary_line(f),
            f.rule,
            f.reason,
            if blocked.len() > 1 {
                format!(" (and {} more blocking findings)", blocked.len() - 1)
            } else {
                String::new()
            }
        )));
    }
    let bump = verdict.bump;
    let proposed = match last {
        Some(last) => last.version.bumped(bump)?,
        None => Version { major: 1, minor: 0, patch: 0 },
    };
    let version = match opts.version {
        None => proposed,
        Some(v) => {
            if let Some(last) = last
                && v <= last.version
            {
                return Err(Error::Refused(format!(
                    "--version {v} is not above the last release {} of {}",
                    last.version, doc.id
                )));
            }
            if v < proposed {
                return Err(Error::Refused(format!(
                    "--version {v} is below {proposed}: the changes are {level} (bump {bump}) and --version may only go higher"
                )));
            }
            v
        }
    };
    let dir = repo.archive_dir().join(&doc.id).join(version.to_string());
    if dir.exists() {
        return Err(Error::Refused(format!(
            "archive/{}/{version}/ already exists; a released version is never rewritten",
            doc.id
        )));
    }
    // The people's note and annotations ([`crate::notes`]): refused before anything is written.
    let notes =
        crate::notes::load(repo, doc, opts.notes.as_ref().map(|(p, l)| (p.as_path(), l.as_str())))?;
    let source_findings: &[Finding] = languages
        .first()
        .and_then(|l| l.comparison.as_ref())
        .map(|c| c.report.findings.as_slice())
        .unwrap_or_default();
    crate::notes::check_release(
        notes.as_ref(),
        &crate::notes::default_label(doc),
        doc,
        version,
        level,
        source_findings,
        last.map(|l| &l.record.notes),
    )?;
    let release_date = crate::time::today(&repo.timezone()?, opts.as_of);
    let effective = effective_date(repo, level, release_date, last, opts.effective)?;
    let tag = if opts.tag {
        let name = tag_name(&doc.id, &version.to_string());
        let Some(git_repo) = git.repo.as_ref() else {
            return Err(Error::Refused(format!(
                "--tag: {} is not inside a git repository",
                repo.root.display()
            )));
        };
        if git.commit.is_empty() {
            return Err(Error::Refused("--tag: the repository has no commit yet".to_string()));
        }
        if git_repo.find_reference(&format!("refs/tags/{name}")).is_ok() {
            return Err(Error::Refused(format!("--tag: the tag {name} already exists")));
        }
        Some(name)
    } else {
        None
    };
    let stale = stale_translations(repo, doc)?;
    let criteria_file = archive::criteria_layers_toml(&criteria.layers);
    let record = ReleaseRecord {
        schema: RELEASE_SCHEMA.to_string(),
        document: doc.id.clone(),
        version: version.to_string(),
        previous: last.map(|l| l.version.to_string()).unwrap_or_default(),
        effective: effective.to_string(),
        released_at: released_at.to_string(),
        commit: git.commit.clone(),
        dirty,
        level: level.as_str().to_string(),
        bump: bump.as_str().to_string(),
        qualifiers: verdict.qualifiers,
        summary: verdict.summary,
        previous_record: last.map(|l| l.record_sha256.clone()).unwrap_or_default(),
        engine: crate::engine::engine_id(),
        triggers: opts.triggers.iter().map(|t| t.as_str().to_string()).collect(),
        criteria_sha256: archive::sha256_hex(criteria_file.as_bytes()),
        sources: archive::source_hashes(&files),
        linked,
        origin: String::new(),
        notes: notes.as_ref().map(|n| n.text.clone()).unwrap_or_default(),
        annotations: notes.map(|n| n.annotations).unwrap_or_default(),
    };
    Ok(ReleasePlan {
        record,
        files,
        release_date,
        languages,
        stale,
        tag,
        dir,
        criteria_file: criteria_file.into_bytes(),
    })
}

/// Criteria together with the texts of their layers ([`PolicyRepo::criteria_layers`]),
/// compiled from those texts ([`Criteria::from_layers`]): what a release is judged with and
/// stores beside its sources ([`archive::CRITERIA_FILE`]).
#[derive(Debug)]
pub struct JudgedCriteria {
    /// `(label, text)` of each layer, the built-in profile first.
    pub layers: Vec<(String, String)>,
    /// The criteria compiled from them.
    pub criteria: Criteria,
}

impl JudgedCriteria {
    /// The repository's criteria, checked as [`PolicyRepo::criteria`] checks them (the same
    /// errors, naming the file and line), then compiled from their layers' texts.
    ///
    /// Errors: as [`PolicyRepo::criteria`].
    pub fn of(repo: &PolicyRepo) -> Result<JudgedCriteria> {
        repo.criteria()?;
        let layers = repo.criteria_layers()?;
        let criteria = Criteria::from_layers(&layers)?;
        Ok(JudgedCriteria { layers, criteria })
    }
}

/// A release's verdict: level, bump, qualifiers and summary, as its record spells them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The level.
    pub level: Level,
    /// The bump.
    pub bump: crate::model::Bump,
    /// The qualifiers (contract spellings, in the enumeration's order).
    pub qualifiers: Vec<String>,
    /// The summary lines.
    pub summary: Vec<String>,
}

impl Verdict {
    /// The verdict a record states.
    pub fn of_record(r: &ReleaseRecord) -> (String, String, Vec<String>, Vec<String>) {
        (r.level.clone(), r.bump.clone(), r.qualifiers.clone(), r.summary.clone())
    }

    /// The same four values as [`Verdict::of_record`] gives, for comparing.
    pub fn spelled(&self) -> (String, String, Vec<String>, Vec<String>) {
        (
            self.level.as_str().to_string(),
            self.bump.as_str().to_string(),
            self.qualifiers.clone(),
            self.summary.clone(),
        )
    }
}

/// The verdict of a release from its per-language results (source language first) and its
/// triggers: the level of [`release_level`], raised to each trigger's floor; the bump that
/// level implies (`none` for a `first` release); the source language's qualifiers; the
/// [`summary`] lines, then one line per trigger.
pub fn verdict(languages: &[LanguageChange], triggers: &[Trigger], first: bool) -> Verdict {
    let mut level = release_level(languages);
    let mut lines = summary(languages);
    for t in triggers {
        level = level.max(t.floor());
        lines.push(t.summary_line());
    }
    let qualifiers: BTreeSet<Qualifier> = languages
        .first()
        .and_then(|l| l.comparison.as_ref())
        .map(|c| c.report.qualifiers.iter().copied().collect())
        .unwrap_or_default();
    Verdict {
        level,
        bump: if first { crate::model::Bump::None } else { level.bump() },
        qualifiers: qualifiers.iter().map(|q| q.as_str().to_string()).collect(),
        summary: lines,
    }
}

/// Judges an archived release again from what the archive holds: its texts and the previous
/// version's (every language, in the order its record lists them, the source first), the
/// linked documents' texts it names (found among their releases by sha256), its stored
/// criteria and its triggers. `criteria` caches compiled criteria by the sha256 of their file.
///
/// Errors: a text, the criteria or a linked text that cannot be read, does not match its
/// hash, or is not in the archive (a linked document's text that was never released); criteria
/// that no longer compile; a text that no longer parses.
pub fn rejudge(
    repo: &PolicyRepo,
    release: &Release,
    previous: Option<&Release>,
    criteria: &mut std::collections::HashMap<String, std::sync::Arc<Criteria>>,
) -> Result<Verdict> {
    let record = &release.record;
    let Some(previous) = previous else {
        return Ok(verdict(&[], &[], true));
    };
    let compiled = match criteria.get(&record.criteria_sha256) {
        Some(c) => c.clone(),
        None => {
            let layers = release.criteria_layers()?.ok_or_else(|| {
                Error::Refused(format!(
                    "archive/{}/{}: its record stores no criteria",
                    record.document, record.version
                ))
            })?;
            let c = std::sync::Arc::new(Criteria::from_layers(&layers)?);
            criteria.insert(record.criteria_sha256.clone(), c.clone());
            c
        }
    };
    let triggers: Vec<Trigger> = record.triggers.iter().filter_map(|t| Trigger::parse(t)).collect();
    let mut languages = Vec::new();
    for (i, file) in release.source_order.iter().enumerate() {
        let lang = lang_of(&record.document, file);
        if !previous.record.sources.contains_key(file) {
            languages.push(LanguageChange {
                lang,
                file: file.clone(),
                level: Level::Editorial,
                comparison: None,
            });
            continue;
        }
        let side = |r: &Release| Side {
            label: r.version.to_string(),
            version: Some(r.version.to_string()),
            rev: None,
            path: format!("archive/{}/{}/{file}", r.record.document, r.version),
        };
        let base = Input { side: side(previous), bytes: previous.source(file)? };
        let head = Input { side: side(release), bytes: release.source(file)? };
        let comparison = if i == 0 && !record.linked.is_empty() {
            let parts = record
                .linked
                .iter()
                .map(|l| linked_part(repo, record, l))
                .collect::<Result<Vec<_>>>()?;
            let main = crate::linked::Part {
                id: record.document.clone(),
                title: repo
                    .document(Some(&record.document))
                    .map(|d| d.display_title().to_string())
                    .unwrap_or_else(|_| record.document.clone()),
                base: Some(base),
                head: Some(head),
            };
            crate::linked::compare_linked(&main, &parts, &compiled)?
        } else {
            compare(&record.document, &base, &head, &compiled)?
        };
        languages.push(LanguageChange {
            lang,
            file: file.clone(),
            level: comparison.report.level,
            comparison: Some(comparison),
        });
    }
    Ok(verdict(&languages, &triggers, false))
}

/// The language of a source file name (`privacy.zh-CN.md` of `privacy` → `zh-CN`).
fn lang_of(document: &str, file: &str) -> String {
    let rest = file.strip_prefix(&format!("{document}.")).unwrap_or(file);
    rest.rsplit_once('.').map_or(rest, |(lang, _)| lang).to_string()
}

/// The part of a linked document in a release's comparison, from the archive: its base the
/// version the record names, its head the released text with the sha256 the record names.
fn linked_part(
    repo: &PolicyRepo,
    record: &ReleaseRecord,
    l: &LinkedText,
) -> Result<crate::linked::Part> {
    let releases = archive::releases(&repo.archive_dir(), &l.document)?;
    let base = if l.base.is_empty() {
        None
    } else {
        let r = releases.iter().find(|r| r.version.to_string() == l.base).ok_or_else(|| {
            Error::Refused(format!(
                "{} {} was compared with {} {}, which the archive does not hold",
                record.document, record.version, l.document, l.base
            ))
        })?;
        Some(Input {
            side: Side {
                label: l.base.clone(),
                version: Some(l.base.clone()),
                rev: None,
                path: format!("archive/{}/{}/{}", l.document, l.base, l.file),
            },
            bytes: r.source(&l.file)?,
        })
    };
    let head = if l.head.is_empty() {
        None
    } else {
        let r = releases
            .iter()
            .rev()
            .find(|r| r.record.sources.get(&l.file) == Some(&l.head))
            .ok_or_else(|| {
                Error::Refused(format!(
                    "the text of {} it was compared with (sha256 {}) was never released, so it cannot be compared again",
                    l.file, l.head
                ))
            })?;
        Some(Input {
            side: Side {
                label: "working tree".to_string(),
                version: None,
                rev: None,
                path: format!("policy/{}", l.file),
            },
            bytes: r.source(&l.file)?,
        })
    };
    Ok(crate::linked::Part { id: l.document.clone(), title: l.title.clone(), base, head })
}

/// The translations of `doc` with stale sections in the working tree
/// ([`crate::translation::history`], [`crate::translation::stale_sections`]).
///
/// Errors: a git error reading the history.
fn stale_translations(repo: &PolicyRepo, doc: &DocumentConfig) -> Result<Vec<StaleTranslation>> {
    let mut out = Vec::new();
    for lang in &doc.translations {
        let sections =
            crate::translation::stale_sections(&crate::translation::history(repo, doc, lang)?);
        if !sections.is_empty() {
            out.push(StaleTranslation { lang: lang.clone(), file: doc.file_name(lang), sections });
        }
    }
    Ok(out)
}

/// Writes a planned release (atomically, see [`archive::write_release`]) and creates its tag
/// when the plan has one. Returns the version folder.
///
/// Errors: the folder appeared since planning, an I/O error, or a git error creating the tag.
pub fn publish(repo: &PolicyRepo, plan: &ReleasePlan) -> Result<PathBuf> {
    let dir = archive::stage_release(
        &repo.archive_dir(),
        &plan.record,
        &plan.files,
        Some(&plan.criteria_file),
    )?
    .commit()?;
    create_tag(repo, plan)?;
    Ok(dir)
}

/// Releases planned together (`release --all`): a document that another one links to (an SDK
/// list linked from the privacy policy) takes effect no earlier than a `major` or `reconsent`
/// release of the document that links it, so the list does not go live before the notice
/// period of the policy that brings it in (十一: major changes get prominent notice before they
/// apply). Moves effective dates only later, never earlier; returns one line per date moved
/// (`sdk 1.0.0 takes effect on 2026-12-06 with privacy 2.0.0, which links it`).
///
/// # Errors
/// An unknown document id in a plan (which `plan` never produces).
pub fn align_linked_effective_dates(
    repo: &PolicyRepo,
    plans: &mut [ReleasePlan],
) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    for i in 0..plans.len() {
        let linker = &plans[i].record;
        if !matches!(linker.level.as_str(), "major" | "reconsent") {
            continue;
        }
        let links = repo.document(Some(&linker.document))?.links.clone();
        let (doc, version, effective) =
            (linker.document.clone(), linker.version.clone(), linker.effective.clone());
        for plan in plans.iter_mut() {
            // ISO dates (YYYY-MM-DD) order as strings.
            if links.contains(&plan.record.document) && plan.record.effective < effective {
                plan.record.effective = effective.clone();
                notes.push(format!(
                    "{} {} takes effect on {effective} with {doc} {version}, which links it",
                    plan.record.document, plan.record.version
                ));
            }
        }
    }
    Ok(notes)
}

/// Writes every planned release or none ([`archive::stage_release`] for each, then every staged
/// folder renamed into place) and then creates their tags. Returns the version folders, in plan
/// order.
///
/// Errors: as [`publish`]. A failure while staging writes nothing (a document folder created
/// for it is removed again when empty); a failure while renaming removes the versions this call
/// already renamed into place (they were created by it a moment before and never committed).
pub fn publish_all(repo: &PolicyRepo, plans: &[ReleasePlan]) -> Result<Vec<PathBuf>> {
    let archive_dir = repo.archive_dir();
    let new_doc_dirs: Vec<PathBuf> = plans
        .iter()
        .map(|p| archive_dir.join(&p.record.document))
        .filter(|d| !d.exists())
        .collect();
    let remove_new_doc_dirs = || {
        for d in &new_doc_dirs {
            let _ = std::fs::remove_dir(d); // only when empty
        }
    };
    let mut staged = Vec::new();
    for plan in plans {
        match archive::stage_release(
            &archive_dir,
            &plan.record,
            &plan.files,
            Some(&plan.criteria_file),
        ) {
            Ok(s) => staged.push(s),
            Err(e) => {
                drop(staged);
                remove_new_doc_dirs();
                return Err(e);
            }
        }
    }
    let mut written: Vec<PathBuf> = Vec::new();
    let mut staged = staged.into_iter();
    while let Some(s) = staged.next() {
        match s.commit() {
            Ok(dir) => written.push(dir),
            Err(e) => {
                drop(staged);
                for dir in &written {
                    let _ = std::fs::remove_dir_all(dir);
                }
                remove_new_doc_dirs();
                return Err(e);
            }
        }
    }
    for plan in plans {
        create_tag(repo, plan)?;
    }
    Ok(written)
}

/// Creates the plan's tag at HEAD, when it has one.
fn create_tag(repo: &PolicyRepo, plan: &ReleasePlan) -> Result<()> {
    let Some(name) = &plan.tag else { return Ok(()) };
    let git = crate::git::open(&repo.root)?;
    let head = git
        .head()
        .and_then(|h| h.peel(git2::ObjectType::Commit))
        .map_err(|e| Error::Git(format!("--tag: cannot read HEAD: {}", e.message())))?;
    git.tag_lightweight(name, &head, false).map_err(|e| {
        Error::Git(format!(
            "archive/{}/{}/ was written, but the tag {name} was not: {}",
            plan.record.document,
            plan.record.version,
            e.message()
        ))
    })?;
    Ok(())
}

/// The bytes of every language of `doc` in the working tree, source first.
///
/// Errors: a missing or unreadable file (naming it), or one that does not parse.
fn read_sources(repo: &PolicyRepo, doc: &DocumentConfig) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for lang in doc.languages() {
        let rel = repo.source_rel(doc, lang);
        let path = repo.root.join(&rel);
        if lang != doc.source_language && !crate::fsutil::is_present(&path) {
            return Err(Error::Io {
                path: rel.clone(),
                message: format!(
                    "no such file; every language listed in policy/policy.toml is released together (remove `{lang}` from translations to release without it)"
                ),
            });
        }
        let bytes = crate::fsutil::read_regular(&path, &rel)?;
        crate::document::Document::from_bytes(&rel, &bytes)?;
        out.push((doc.file_name(lang), bytes));
    }
    Ok(out)
}

/// Each language of the working document compared with the last release, and the linked
/// documents' texts the source language was compared together with.
fn compare_languages(
    repo: &PolicyRepo,
    criteria: &Criteria,
    doc: &DocumentConfig,
    files: &[(String, Vec<u8>)],
    last: Option<&Release>,
) -> Result<(Vec<LanguageChange>, Vec<LinkedText>)> {
    let mut out = Vec::new();
    let mut linked_texts = Vec::new();
    for (lang, (file, bytes)) in doc.languages().into_iter().zip(files) {
        let Some(last) = last else {
            out.push(LanguageChange {
                lang: lang.to_string(),
                file: file.clone(),
                level: Level::None,
                comparison: None,
            });
            continue;
        };
        if !last.record.sources.contains_key(file) {
            out.push(LanguageChange {
                lang: lang.to_string(),
                file: file.clone(),
                level: Level::Editorial,
                comparison: None,
            });
            continue;
        }
        let base_rel = format!("archive/{}/{}/{file}", doc.id, last.version);
        let base_bytes = last.source(file)?;
        let base = Input {
            side: Side {
                label: last.version.to_string(),
                version: Some(last.version.to_string()),
                rev: None,
                path: base_rel,
            },
            bytes: base_bytes,
        };
        let head = Input {
            side: Side {
                label: "working tree".to_string(),
                version: None,
                rev: None,
                path: repo.source_rel(doc, lang),
            },
            bytes: bytes.clone(),
        };
        // The documents it links to (an SDK list) are part of what its readers agreed to: their
        // changes since this document's last release count in its level (once, with the
        // source language).
        let linked = if lang == doc.source_language {
            crate::linked::linked_parts(
                repo,
                doc,
                lang,
                crate::linked::LinkedBase::AsOfRelease(&last.record),
            )?
        } else {
            Vec::new()
        };
        for part in &linked {
            let k = repo.document(Some(&part.id))?;
            let l = if k.languages().contains(&lang) { lang } else { k.source_language.as_str() };
            linked_texts.push(LinkedText {
                document: part.id.clone(),
                title: part.title.clone(),
                file: k.file_name(l),
                base: part.base.as_ref().and_then(|b| b.side.version.clone()).unwrap_or_default(),
                head: part.head.as_ref().map(|h| archive::sha256_hex(&h.bytes)).unwrap_or_default(),
            });
        }
        let comparison = if linked.is_empty() {
            compare(&doc.id, &base, &head, criteria)?
        } else {
            let main = crate::linked::Part {
                id: doc.id.clone(),
                title: doc.display_title().to_string(),
                base: Some(base),
                head: Some(head),
            };
            crate::linked::compare_linked(&main, &linked, criteria)?
        };
        out.push(LanguageChange {
            lang: lang.to_string(),
            file: file.clone(),
            level: comparison.report.level,
            comparison: Some(comparison),
        });
    }
    Ok((out, linked_texts))
}

fn effective_date(
    repo: &PolicyRepo,
    level: Level,
    release_date: Date,
    last: Option<&Release>,
    given: Option<Date>,
) -> Result<Date> {
    let days = repo.config.notice_days;
    let notice = level >= Level::Major;
    let earliest_notice = if notice {
        release_date
            .checked_add(i64::from(days).days())
            .map_err(|_| {
                Error::Refused(format!(
                    "the release date {release_date} (--as-of, or today) plus notice_days = {days} (policy/policy.toml) is after 9999-12-31, the last date redline handles"
                ))
            })?
    } else {
        release_date
    };
    let previous = match last {
        Some(l) => Some((l.version, l.effective()?)),
        None => None,
    };
    let Some(date) = given else {
        return Ok(match previous {
            Some((_, p)) => earliest_notice.max(p),
            None => earliest_notice,
        });
    };
    if date < release_date {
        return Err(Error::Refused(format!(
            "--effective {date} is before the release date {release_date}; a version cannot take effect before it is published"
        )));
    }
    if date < earliest_notice {
        return Err(Error::Refused(format!(
            "--effective {date} is inside the notice period: a {level} release takes effect at least {days} days after it is released ({release_date} + {days} = {earliest_notice}); pass --effective {earliest_notice} or later"
        )));
    }
    if let Some((v, p)) = previous
        && date < p
    {
        return Err(Error::Refused(format!(
            "--effective {date} is before {p}, the effective date of the previous version {v}"
        )));
    }
    Ok(date)
}

/// The release's summary: one line per finding of the source language ([`summary_line`]); a
/// translation adds its own findings (prefixed `[lang]`) only when its level is above the
/// source's, and a translation new in this release adds `[lang] translation added`. An
/// editorial release without findings lists its changes (`section: kind (editorial)`). A
/// translation's line whose level is above the release's says so:
/// `[en] …: row added Ocean Engine… (reconsent in the translation; the source governs)`.
/// Duplicate lines are dropped, order kept.
pub fn summary(languages: &[LanguageChange]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let source_level = languages.first().map(|l| l.level).unwrap_or(Level::None);
    let release = release_level(languages);
    for (i, lang) in languages.iter().enumerate() {
        let prefix = if i == 0 { String::new() } else { format!("[{}] ", lang.lang) };
        let Some(c) = &lang.comparison else {
            if i > 0 && lang.level == Level::Editorial {
                out.push(format!("{prefix}translation added (editorial)"));
            }
            continue;
        };
        if i > 0 && lang.level <= source_level {
            continue;
        }
        let above = lang.level > release;
        out.extend(comparison_summary(c).into_iter().map(|l| {
            match l.strip_suffix(')').and_then(|h| h.rsplit_once(" (")) {
                Some((text, level)) if above => {
                    format!("{prefix}{text} ({level} in the translation; the source governs)")
                }
                _ => format!("{prefix}{l}"),
            }
        }));
    }
    let mut seen = BTreeSet::new();
    out.retain(|l| seen.insert(l.clone()));
    out
}

/// The summary lines of one comparison: one [`summary_line`] per finding, or, when there is no
/// finding (an editorial change), one `section: kind (level)` line per change. Duplicate lines
/// are dropped, order kept.
pub fn comparison_summary(c: &Comparison) -> Vec<String> {
    let mut out: Vec<String> = if c.report.findings.is_empty() {
        c.report
            .changes
            .iter()
            .map(|ch| format!("{}: {} ({})", ch.section, kind_words(ch.kind), ch.level))
            .collect()
    } else {
        c.report.findings.iter().map(summary_line).collect()
    };
    let mut seen = BTreeSet::new();
    out.retain(|l| seen.insert(l.clone()));
    out
}

/// A change kind in words (`row added`).
pub fn kind_words(kind: ChangeKind) -> String {
    kind.as_str().replace('_', " ")
}

/// One summary line for a finding: section id, the change in words, a short text and the level,
/// e.g. `device-permissions: row added 穿山甲广告SDK (reconsent)`. The short text is a table
/// row's first cell (its key); for a modified paragraph, the first inserted words (`+…`), or the
/// first deleted ones (`-…`) when nothing was inserted; otherwise the start of the (new, else
/// old) text. At most 24 characters, then `…`.
pub fn summary_line(f: &Finding) -> String {
    let raw = f.new.as_deref().or(f.old.as_deref()).unwrap_or("");
    let is_row =
        matches!(f.change, ChangeKind::RowAdded | ChangeKind::RowRemoved | ChangeKind::RowModified);
    let text = if is_row {
        short(raw.split(" | ").next().unwrap_or(raw), 24)
    } else if let (ChangeKind::BlockModified, Some(old), Some(new)) =
        (f.change, f.old.as_deref(), f.new.as_deref())
    {
        let segments = crate::diff::inline_diff(old, new);
        let first = |op| segments.iter().find(|s| s.op == op && !s.text.trim().is_empty());
        match (first(SegmentOp::Insert), first(SegmentOp::Delete)) {
            (Some(s), _) => format!("+{}", short(&s.text, 24)),
            (None, Some(s)) => format!("-{}", short(&s.text, 24)),
            (None, None) => short(raw, 24),
        }
    } else {
        short(raw, 24)
    };
    if text.is_empty() {
        format!("{}: {} ({})", f.section, kind_words(f.change), f.level)
    } else {
        format!("{}: {} {} ({})", f.section, kind_words(f.change), text, f.level)
    }
}

/// `text` with runs of whitespace collapsed, cut to `max` chars with an ellipsis.
fn short(text: &str, max: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = collapsed.chars().take(max).collect();
    if collapsed.chars().count() > max {
        out.push('…');
    }
    out
}

/// git `HEAD`'s commit id for the repository holding `repo`, `""` outside git or before the
/// first commit.
pub fn head_commit(repo: &PolicyRepo) -> String {
    git2::Repository::discover(&repo.root)
        .ok()
        .and_then(|g| g.head().and_then(|h| h.peel_to_commit()).ok().map(|c| c.id().to_string()))
        .unwrap_or_default()
}

/// git facts a release records.
struct GitState {
    repo: Option<git2::Repository>,
    /// `HEAD`'s commit id, `""` outside git or before the first commit.
    commit: String,
    /// Repository-relative paths under `policy/` that differ from `HEAD` (modified, staged,
    /// untracked, deleted).
    dirty: Vec<String>,
}

fn git_state(repo: &PolicyRepo) -> Result<GitState> {
    let Ok(git) = git2::Repository::discover(&repo.root) else {
        return Ok(GitState { repo: None, commit: String::new(), dirty: Vec::new() });
    };
    let commit = match git.head().and_then(|h| h.peel_to_commit()) {
        Ok(c) => c.id().to_string(),
        Err(_) => String::new(),
    };
    let policy = repo.root.join("policy");
    let pathspec = match (git.workdir().map(|w| w.canonicalize()), policy.canonicalize()) {
        (Some(Ok(w)), Ok(p)) => p
            .strip_prefix(&w)
            .ok()
            .map(|r| {
                r.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_else(|| "policy".to_string()),
        _ => "policy".to_string(),
    };
    let mut opts = git2::StatusOptions::new();
    opts.pathspec(&pathspec)
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .disable_pathspec_match(false);
    let dirty = {
        let statuses = git
            .statuses(Some(&mut opts))
            .map_err(|e| Error::Git(format!("cannot read git status: {}", e.message())))?;
        // A notes file is a draft the record stores verbatim, not released source text.
        let notes: Vec<String> =
            repo.config.documents.iter().map(|d| format!("/{}.notes.toml", d.id)).collect();
        statuses
            .iter()
            .filter(|s| s.status() != git2::Status::CURRENT)
            .map(|s| String::from_utf8_lossy(s.path_bytes()).into_owned())
            .filter(|p| !notes.iter().any(|n| p.ends_with(n.as_str())))
            .collect()
    };
    Ok(GitState { repo: Some(git), commit, dirty })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Location;
    use crate::model::Direction;

    fn finding(change: ChangeKind, new: Option<&str>, old: Option<&str>, level: Level) -> Finding {
        Finding {
            rule: "r".into(),
            level,
            qualifiers: BTreeSet::new(),
            reference: String::new(),
            section: "device-permissions".into(),
            section_path: vec![],
            change,
            direction: Direction::Broaden,
            old: old.map(str::to_string),
            new: new.map(str::to_string),
            reason: String::new(),
            location: Location { path: "p".into(), line: Some(1), side: "new" },
            also: vec![],
            statement: None,
            reasons: Default::default(),
            references: Default::default(),
            key: String::new(),
        }
    }

    #[test]
    fn summary_lines_name_section_change_text_and_level() {
        let f = finding(
            ChangeKind::RowAdded,
            Some("穿山甲广告SDK | 用于向您展示个性化广告 | 设备信息"),
            None,
            Level::Reconsent,
        );
        assert_eq!(summary_line(&f), "device-permissions: row added 穿山甲广告SDK (reconsent)");
        let f = finding(
            ChangeKind::BlockModified,
            Some("我们会保存您的个人信息三十天。"),
            Some("我们会保存您的个人信息。"),
            Level::Major,
        );
        assert_eq!(summary_line(&f), "device-permissions: block modified +三十天 (major)");
        let f = finding(
            ChangeKind::BlockModified,
            Some("We keep your data."),
            Some("We keep your data safely."),
            Level::Minor,
        );
        assert_eq!(summary_line(&f), "device-permissions: block modified -safely (minor)");
        let f = finding(
            ChangeKind::BlockRemoved,
            None,
            Some("We keep your data for   thirty days after you close the account."),
            Level::Major,
        );
        assert_eq!(
            summary_line(&f),
            "device-permissions: block removed We keep your data for th… (major)"
        );
        let f = finding(ChangeKind::MetadataModified, None, None, Level::Editorial);
        assert_eq!(summary_line(&f), "device-permissions: metadata modified (editorial)");
    }

    #[test]
    fn tag_names_follow_the_issue() {
        assert_eq!(tag_name("privacy", "2.0.0"), "privacy-v2.0.0");
    }
}
