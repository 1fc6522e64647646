//! The consent decision and the consent manifest (contracts.md "Consent manifest",
//! `redline.consent/1`): for a user who accepted version X of a document, what the app must show
//! before the latest released version applies.
//!
//! Decisions aim at the latest released version, which may still be upcoming: a user is asked to
//! accept the version that will apply, ahead of its effective date. `decisions[X]` is the higher
//! of the maximum level of the releases after X and the level of the direct diff from X to the
//! latest version (source language), so two minor edits that together add a data type do not
//! slip through; the level maps to a decision as contracts.md says (reconsent → `reconsent`,
//! major → `notice`, lower → `none`).

use crate::archive::{self, Release, Status, Version};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::model::{Decision, Level};
use crate::repo::{DocumentConfig, PolicyRepo};
use crate::report::{Input, Side, compare, compare_documents};
use crate::rules::Criteria;
use jiff::civil::Date;
use serde::Serialize;
use serde::ser::SerializeMap;
use std::collections::BTreeMap;

/// The consent manifest schema.
pub const CONSENT_SCHEMA: &str = "redline.consent/1";

/// A map serialised as a JSON object in insertion order (versions oldest first, languages source
/// first), so the manifest reads in a natural order and stays deterministic.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> OrderedMap<V> {
    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no entry.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<V: Serialize> Serialize for OrderedMap<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// `redline.consent/1`: every document of the repository.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentManifest {
    /// Always [`CONSENT_SCHEMA`].
    pub schema: &'static str,
    /// The date the manifest describes (`YYYY-MM-DD`, policy time zone).
    pub as_of: String,
    /// Document id → its consent state, sorted by id.
    pub documents: BTreeMap<String, DocumentConsent>,
}

/// A released version as the manifest points at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionRef {
    /// The version (`2.0.0`).
    pub version: String,
    /// Its effective date (`YYYY-MM-DD`, policy time zone).
    pub effective: String,
    /// Its page on the site, relative to the site root (`privacy/2.0.0/`).
    pub url: String,
    /// sha256 (lower-case hex) of its source-language file's bytes.
    pub sha256: String,
}

/// One released version in the manifest's `versions` list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionEntry {
    /// The version.
    pub version: String,
    /// Its effective date.
    pub effective: String,
    /// The level of its release (`none` for the first).
    pub level: Level,
    /// The summary lines of its release record.
    pub summary: Vec<String>,
}

/// The status of one language of a document (contracts.md "language status").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LanguageStatus {
    /// The language the document is written in.
    Source,
    /// A translation released with the version.
    Current,
    /// A translation whose ids differ from the source's, or with a section whose source changed
    /// in a later release than it did.
    Stale,
    /// A translation the version does not include.
    Missing,
}

/// `languages[lang]` of the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LanguageEntry {
    /// Its status.
    pub status: LanguageStatus,
}

/// The consent state of one document.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentConsent {
    /// The version in force at `as_of`; `null` when none has taken effect yet.
    pub current: Option<VersionRef>,
    /// The newest released version (it may be upcoming); `null` before the first release.
    pub latest: Option<VersionRef>,
    /// The newest version whose release requires re-consent, or `null`.
    pub reconsent_since: Option<String>,
    /// The newest version whose release requires notice (major or reconsent), or `null`.
    pub notice_since: Option<String>,
    /// Accepted version → decision, oldest first (the latest maps to `none`).
    pub decisions: OrderedMap<Decision>,
    /// Every released version, oldest first.
    pub versions: Vec<VersionEntry>,
    /// Language → status, source language first, for the latest version.
    pub languages: OrderedMap<LanguageEntry>,
    /// sha256 of the newest `release.toml`'s bytes, or `null` before the first release.
    pub chain_head: Option<String>,
}

/// The answer of `redline consent --accepted X`.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentAnswer {
    /// What the app must show.
    pub decision: Decision,
    /// The accepted version as given.
    pub accepted: String,
    /// The latest released version, which the decision aims at.
    pub latest: String,
    /// The level behind the decision (the higher of the releases after X and the direct diff).
    pub level: Level,
    /// Whether `accepted` is a released version (an unknown one means `reconsent`).
    pub known: bool,
    /// The latest version's effective date.
    pub effective: String,
    /// Whether the latest version is still upcoming at `as_of`.
    pub upcoming: bool,
    /// The version in force at `as_of`, or `null`.
    pub current: Option<String>,
    /// The releases after `accepted` up to the latest (every release when it is unknown).
    pub changes: Vec<VersionEntry>,
}

/// The status of `lang` for `document` in `release` (the latest released version, or `None`
/// before the first release): `source` for the source language; `missing` when the release
/// folder lacks that language's file; `stale` when its section ids differ from the source's or
/// a source section changed in a later release than the translated section
/// ([`crate::translation`], over the releases in the archive up to `release`); `current`
/// otherwise.
pub fn language_status(
    document: &DocumentConfig,
    lang: &str,
    release: Option<&Release>,
) -> LanguageStatus {
    if lang == document.source_language {
        return LanguageStatus::Source;
    }
    let Some(release) =
        release.filter(|r| r.record.sources.contains_key(&document.file_name(lang)))
    else {
        return LanguageStatus::Missing;
    };
    // The release folder is archive/<document>/<version>/.
    let archive_dir = release.dir.parent().and_then(std::path::Path::parent);
    let history = archive_dir.and_then(|dir| {
        crate::translation::archive_history_until(dir, document, lang, Some(release.version)).ok()
    });
    match history {
        Some(h) if !h.is_empty() => crate::translation::translation_status(&h),
        _ => LanguageStatus::Current,
    }
}

/// The consent manifest of every document of `repo` on `as_of` (a date in the policy's time
/// zone), direct diffs classified under `criteria`.
///
/// Errors: an unreadable or invalid release record, a record whose `effective` or `level` is
/// invalid, or an archived source file that is missing or does not parse.
pub fn manifest(repo: &PolicyRepo, criteria: &Criteria, as_of: Date) -> Result<ConsentManifest> {
    let mut documents = BTreeMap::new();
    for doc in &repo.config.documents {
        documents.insert(doc.id.clone(), document_consent(repo, criteria, doc, as_of)?);
    }
    Ok(ConsentManifest { schema: CONSENT_SCHEMA, as_of: as_of.to_string(), documents })
}

fn version_ref(doc: &DocumentConfig, r: &Release) -> VersionRef {
    VersionRef {
        version: r.version.to_string(),
        effective: r.record.effective.clone(),
        url: format!("{}/{}/", doc.id, r.version),
        sha256: r
            .record
            .sources
            .get(&doc.file_name(&doc.source_language))
            .cloned()
            .unwrap_or_default(),
    }
}

fn version_entry(r: &Release) -> Result<VersionEntry> {
    Ok(VersionEntry {
        version: r.version.to_string(),
        effective: r.record.effective.clone(),
        level: r.level()?,
        summary: r.record.summary.clone(),
    })
}

fn document_consent(
    repo: &PolicyRepo,
    criteria: &Criteria,
    doc: &DocumentConfig,
    as_of: Date,
) -> Result<DocumentConsent> {
    let releases = archive::releases(&repo.archive_dir(), &doc.id)?;
    let statuses = archive::statuses(&releases, as_of)?;
    let current = releases
        .iter()
        .zip(&statuses)
        .find(|(_, s)| **s == Status::InForce)
        .map(|(r, _)| version_ref(doc, r));
    let latest = releases.last();
    let levels: Vec<Level> = releases.iter().map(Release::level).collect::<Result<_>>()?;
    let newest_at = |min: Level| {
        releases.iter().zip(&levels).rev().find(|(_, l)| **l >= min).map(|(r, _)| r.version)
    };
    let decisions = combined_levels(criteria, doc, &releases)?
        .into_iter()
        .map(|(v, l)| (v.to_string(), l.decision()))
        .collect();
    Ok(DocumentConsent {
        current,
        latest: latest.map(|r| version_ref(doc, r)),
        reconsent_since: newest_at(Level::Reconsent).map(|v| v.to_string()),
        notice_since: newest_at(Level::Major).map(|v| v.to_string()),
        decisions: OrderedMap(decisions),
        versions: releases.iter().map(version_entry).collect::<Result<_>>()?,
        languages: OrderedMap(
            doc.languages()
                .into_iter()
                .map(|l| (l.to_string(), LanguageEntry { status: language_status(doc, l, latest) }))
                .collect(),
        ),
        chain_head: latest.map(|r| r.record_sha256.clone()),
    })
}

/// For every released version X (oldest first), its [`combined_level`]. The latest version is
/// parsed once; a version followed by a `reconsent` release needs no direct diff (nothing is
/// higher).
fn combined_levels(
    criteria: &Criteria,
    doc: &DocumentConfig,
    releases: &[Release],
) -> Result<Vec<(Version, Level)>> {
    let Some(latest) = releases.last() else { return Ok(Vec::new()) };
    let file = doc.file_name(&doc.source_language);
    let head = archived_input(doc, latest, &file)?;
    let head_doc = Document::from_bytes(&head.side.display(), &head.bytes)?;
    let mut after = Level::None;
    let mut out = Vec::with_capacity(releases.len());
    for (i, r) in releases.iter().enumerate().rev() {
        let mut level = after;
        if i + 1 < releases.len() && level < Level::Reconsent {
            let base = archived_input(doc, r, &file)?;
            let base_doc = Document::from_bytes(&base.side.display(), &base.bytes)?;
            let c = compare_documents(
                &doc.id,
                base.side,
                head.side.clone(),
                base_doc,
                head_doc.clone(),
                criteria,
            );
            level = level.max(c.report.level);
        }
        out.push((r.version, level));
        after = after.max(r.level()?);
    }
    out.reverse();
    Ok(out)
}

/// The level a user who accepted `releases[index]` faces: the higher of the maximum level of the
/// releases after it and the level of the direct diff (source language) from it to the latest.
fn combined_level(
    criteria: &Criteria,
    doc: &DocumentConfig,
    releases: &[Release],
    index: usize,
) -> Result<Level> {
    let mut level = Level::None;
    for later in &releases[index + 1..] {
        level = level.max(later.level()?);
    }
    if let Some(latest) = releases.last()
        && index + 1 < releases.len()
        && level < Level::Reconsent
    {
        let file = doc.file_name(&doc.source_language);
        let base = archived_input(doc, &releases[index], &file)?;
        let head = archived_input(doc, latest, &file)?;
        level = level.max(compare(&doc.id, &base, &head, criteria)?.report.level);
    }
    Ok(level)
}

fn archived_input(doc: &DocumentConfig, r: &Release, file: &str) -> Result<Input> {
    let path = format!("archive/{}/{}/{file}", doc.id, r.version);
    let bytes = std::fs::read(r.file(file)).map_err(|e| Error::io(&path, &e))?;
    Ok(Input {
        side: Side {
            label: r.version.to_string(),
            version: Some(r.version.to_string()),
            rev: None,
            path,
        },
        bytes,
    })
}

/// The decision for a user of `document` who accepted version `accepted`, on `as_of` (policy
/// time zone), aimed at the latest released version. A well-formed version that was never
/// released means `reconsent`.
///
/// Errors: `accepted` is not `X.Y.Z` ([`Error::Refused`]), the document is unknown or has no
/// release, or the archive cannot be read (as [`manifest`]).
pub fn decide(
    repo: &PolicyRepo,
    criteria: &Criteria,
    document: &str,
    accepted: &str,
    as_of: Date,
) -> Result<ConsentAnswer> {
    let version = Version::parse(accepted).ok_or_else(|| {
        Error::Refused(format!(
            "--accepted: `{accepted}` is not a version; write it as MAJOR.MINOR.PATCH (e.g. 1.0.0)"
        ))
    })?;
    let doc = repo.document(Some(document))?;
    let releases = archive::releases(&repo.archive_dir(), &doc.id)?;
    let Some(latest) = releases.last() else {
        return Err(Error::Refused(format!(
            "archive/{}/ has no released version yet; run `redline release` first",
            doc.id
        )));
    };
    let statuses = archive::statuses(&releases, as_of)?;
    let current = releases
        .iter()
        .zip(&statuses)
        .find(|(_, s)| **s == Status::InForce)
        .map(|(r, _)| r.version.to_string());
    let upcoming = statuses.last() == Some(&Status::Upcoming);
    let index = releases.iter().position(|r| r.version == version);
    let (level, changes) = match index {
        Some(i) => (
            combined_level(criteria, doc, &releases, i)?,
            releases[i + 1..].iter().map(version_entry).collect::<Result<Vec<_>>>()?,
        ),
        None => (Level::Reconsent, releases.iter().map(version_entry).collect::<Result<_>>()?),
    };
    Ok(ConsentAnswer {
        decision: level.decision(),
        accepted: accepted.to_string(),
        latest: latest.version.to_string(),
        level,
        known: index.is_some(),
        effective: latest.record.effective.clone(),
        upcoming,
        current,
        changes,
    })
}
