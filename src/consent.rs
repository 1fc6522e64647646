//! The consent decision and the consent manifest (`redline.consent/2`): for a user who accepted
//! version X of a document, what the app must show before the latest released version applies.
//!
//! Decisions aim at the latest released version, which may still be upcoming: a user is asked to
//! accept the version that will apply, ahead of its effective date. `decisions[X]` comes from the
//! level of the **direct** difference between X and the latest version (source language), judged
//! with the criteria stored with the latest release (the current criteria when it stores none):
//! the user read X and is about to be bound by the latest, so what matters is what changed
//! between those two texts. Two minor edits that together add a data type are caught, and a
//! change that was later undone (A → B → A) asks nothing of a user who accepted A. The level
//! maps to a decision: reconsent → `reconsent`, major → `notice`, lower → `none`.
//! `chain_level[X]`, the highest level of the releases after X, stays as information.

use crate::archive::{self, Release, Status, Version};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::model::{Decision, Level};
use crate::repo::{DocumentConfig, PolicyRepo};
use crate::report::{Input, Side, compare_documents};
use crate::rules::Criteria;
use jiff::civil::Date;
use serde::Serialize;
use serde::ser::SerializeMap;
use std::collections::BTreeMap;

/// The consent manifest schema.
pub const CONSENT_SCHEMA: &str = "redline.consent/2";

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

/// `redline.consent/2`: every document of the repository.
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
    /// The same page's absolute address (`https://example.com/policy/privacy/2.0.0/`), from
    /// the site's base URL; `null` when the manifest was made without one.
    pub href: Option<String>,
    /// sha256 (lower-case hex) of its source-language file's bytes.
    pub sha256: String,
}

/// A release note as the manifest gives it in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteEntry {
    /// The text a person wrote.
    pub text: String,
    /// The language it is written in: the source language's when this language has no note of
    /// its own (a fallback).
    pub lang: String,
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
    /// The earliest earlier version whose source text is byte for byte the same (a change that
    /// was undone), or `null`.
    pub same_as: Option<String>,
    /// The release note written by people, for each of the document's languages (source
    /// first), each falling back to the source language's; `null` when the release has none.
    pub note: Option<OrderedMap<NoteEntry>>,
}

/// The status of one language of a document.
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LanguageEntry {
    /// Its status.
    pub status: LanguageStatus,
    /// The ids of its stale sections, in the translation's order (their source section changed
    /// in a later release than they did); empty unless `status` is `stale`. Added in place
    /// (no schema change): readers of `redline.consent/2` may ignore it.
    pub stale_sections: Vec<String>,
    /// The document's page in this language, relative to the site root: `privacy/` for the
    /// source language, `privacy/<lang>/` for a translation.
    pub url: String,
    /// Its absolute address, or `null` when the manifest was made without a base URL.
    pub href: Option<String>,
}

impl ConsentManifest {
    /// Fills every `href` from the site's public address `base` (`https://example.com/policy/`)
    /// and the `url` beside it.
    pub fn set_base_url(&mut self, base: &str) {
        let abs = |url: &str| format!("{}/{}", base.trim_end_matches('/'), url);
        for d in self.documents.values_mut() {
            for r in d.current.iter_mut().chain(d.latest.iter_mut()) {
                r.href = Some(abs(&r.url));
            }
            for (_, l) in d.languages.0.iter_mut() {
                l.href = Some(abs(&l.url));
            }
        }
    }
}

/// The consent state of one document.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentConsent {
    /// The version in force at `as_of`; `null` when none has taken effect yet.
    pub current: Option<VersionRef>,
    /// The newest released version (it may be upcoming); `null` before the first release.
    pub latest: Option<VersionRef>,
    /// Accepted version → decision, oldest first (the latest maps to `none`): from the level of
    /// the direct difference between that version and `latest`.
    pub decisions: OrderedMap<Decision>,
    /// Accepted version → the level of the direct difference between it and `latest`.
    pub levels: OrderedMap<Level>,
    /// Accepted version → the highest level of the releases after it (information: a change
    /// undone later still counts here, not in `decisions`).
    pub chain_level: OrderedMap<Level>,
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
    /// The level behind the decision: of the direct difference between `accepted` and `latest`.
    pub level: Level,
    /// The highest level of the releases after `accepted` (information).
    pub chain_level: Level,
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
    language_entry(document, lang, release).status
}

/// [`language_status`] with the ids of the stale sections and the language's page (`href`
/// left `null`: [`ConsentManifest::set_base_url`] fills it).
pub fn language_entry(
    document: &DocumentConfig,
    lang: &str,
    release: Option<&Release>,
) -> LanguageEntry {
    let url = if lang == document.source_language {
        format!("{}/", document.id)
    } else {
        format!("{}/{lang}/", document.id)
    };
    let status =
        |status| LanguageEntry { status, stale_sections: Vec::new(), url: url.clone(), href: None };
    if lang == document.source_language {
        return status(LanguageStatus::Source);
    }
    let Some(release) =
        release.filter(|r| r.record.sources.contains_key(&document.file_name(lang)))
    else {
        return status(LanguageStatus::Missing);
    };
    // The release folder is archive/<document>/<version>/.
    let archive_dir = release.dir.parent().and_then(std::path::Path::parent);
    let history = archive_dir.and_then(|dir| {
        crate::translation::archive_history_until(dir, document, lang, Some(release.version)).ok()
    });
    match history {
        Some(h) if !h.is_empty() => LanguageEntry {
            status: crate::translation::translation_status(&h),
            stale_sections: crate::translation::stale_sections(&h)
                .into_iter()
                .map(|s| s.id)
                .collect(),
            url,
            href: None,
        },
        _ => status(LanguageStatus::Current),
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
        href: None,
        sha256: r
            .record
            .sources
            .get(&doc.file_name(&doc.source_language))
            .cloned()
            .unwrap_or_default(),
    }
}

/// The manifest entry of `releases[index]`, with the earlier version its source text equals.
fn version_entry(doc: &DocumentConfig, releases: &[Release], index: usize) -> Result<VersionEntry> {
    let r = &releases[index];
    let file = doc.file_name(&doc.source_language);
    let hash = r.record.sources.get(&file);
    let same_as = releases[..index]
        .iter()
        .find(|e| hash.is_some() && e.record.sources.get(&file) == hash)
        .map(|e| e.version.to_string());
    Ok(VersionEntry {
        version: r.version.to_string(),
        effective: r.record.effective.clone(),
        level: r.level()?,
        summary: r.record.summary.clone(),
        same_as,
        note: (!r.record.notes.is_empty()).then(|| {
            OrderedMap(
                doc.languages()
                    .into_iter()
                    .filter_map(|l| {
                        let (text, lang) =
                            crate::notes::note_in(&r.record.notes, l, &doc.source_language)?;
                        Some((
                            l.to_string(),
                            NoteEntry { text: text.to_string(), lang: lang.to_string() },
                        ))
                    })
                    .collect(),
            )
        }),
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
    let direct = direct_levels(criteria, doc, &releases)?;
    let chain = chain_levels(&releases)?;
    Ok(DocumentConsent {
        current,
        latest: latest.map(|r| version_ref(doc, r)),
        decisions: OrderedMap(direct.iter().map(|(v, l)| (v.to_string(), l.decision())).collect()),
        levels: OrderedMap(direct.iter().map(|(v, l)| (v.to_string(), *l)).collect()),
        chain_level: OrderedMap(chain.iter().map(|(v, l)| (v.to_string(), *l)).collect()),
        versions: (0..releases.len())
            .map(|i| version_entry(doc, &releases, i))
            .collect::<Result<_>>()?,
        languages: OrderedMap(
            doc.languages()
                .into_iter()
                .map(|l| (l.to_string(), language_entry(doc, l, latest)))
                .collect(),
        ),
        chain_head: latest.map(|r| r.record_sha256.clone()),
    })
}

/// The criteria the latest release was judged with, when its version folder stores them.
fn latest_criteria(releases: &[Release]) -> Result<Option<Criteria>> {
    match releases.last().map(Release::criteria_layers).transpose()?.flatten() {
        Some(layers) => Ok(Some(Criteria::from_layers(&layers)?)),
        None => Ok(None),
    }
}

/// For every released version X (oldest first), the level of the direct difference between X
/// and the latest release (source language), judged with the latest release's criteria; `none`
/// for the latest itself and for a version whose source text is the same.
fn direct_levels(
    criteria: &Criteria,
    doc: &DocumentConfig,
    releases: &[Release],
) -> Result<Vec<(Version, Level)>> {
    let Some(latest) = releases.last() else { return Ok(Vec::new()) };
    let stored = latest_criteria(releases)?;
    let criteria = stored.as_ref().unwrap_or(criteria);
    let file = doc.file_name(&doc.source_language);
    let head = archived_input(doc, latest, &file)?;
    let head_doc = Document::from_bytes(&head.side.display(), &head.bytes)?;
    let latest_hash = latest.record.sources.get(&file);
    let mut out = Vec::with_capacity(releases.len());
    for r in releases {
        let level = if r.version == latest.version
            || (latest_hash.is_some() && r.record.sources.get(&file) == latest_hash)
        {
            Level::None
        } else {
            let base = archived_input(doc, r, &file)?;
            let base_doc = Document::from_bytes(&base.side.display(), &base.bytes)?;
            compare_documents(
                &doc.id,
                base.side,
                head.side.clone(),
                base_doc,
                head_doc.clone(),
                criteria,
            )
            .report
            .level
        };
        out.push((r.version, level));
    }
    Ok(out)
}

/// For every released version X (oldest first), the highest level of the releases after it.
fn chain_levels(releases: &[Release]) -> Result<Vec<(Version, Level)>> {
    let mut after = Level::None;
    let mut out = Vec::with_capacity(releases.len());
    for r in releases.iter().rev() {
        out.push((r.version, after));
        after = after.max(r.level()?);
    }
    out.reverse();
    Ok(out)
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
    let entries = |from: usize| {
        (from..releases.len()).map(|i| version_entry(doc, &releases, i)).collect::<Result<Vec<_>>>()
    };
    let (level, chain_level, changes) = match index {
        Some(i) => {
            let direct = direct_levels(criteria, doc, &releases)?;
            let chain = chain_levels(&releases)?;
            (direct[i].1, chain[i].1, entries(i + 1)?)
        }
        None => (Level::Reconsent, Level::Reconsent, entries(0)?),
    };
    Ok(ConsentAnswer {
        decision: level.decision(),
        accepted: accepted.to_string(),
        latest: latest.version.to_string(),
        level,
        chain_level,
        known: index.is_some(),
        effective: latest.record.effective.clone(),
        upcoming,
        current,
        changes,
    })
}
