//! The policy repository: `policy/policy.toml` (documents, languages, time zone, notice days),
//! found by walking up from a directory, and the paths of its sources, criteria and archive.

use crate::error::{Error, Result};
use crate::rules::Criteria;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The configuration schema this crate reads.
pub const POLICY_SCHEMA: &str = "redline.policy/1";

/// `policy/policy.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// `redline.policy/1` (optional).
    #[serde(default)]
    pub schema: Option<String>,
    /// IANA time zone of effective dates (`Asia/Shanghai`); `UTC` when unset.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// Days between release and effective date for major and re-consent releases (default 7).
    #[serde(default = "default_notice_days")]
    pub notice_days: u32,
    /// The criteria file, relative to `policy/` (default `criteria.toml`; the built-in profile
    /// when that file does not exist).
    #[serde(default)]
    pub criteria: Option<String>,
    /// The documents, in order; the first is the default for `--document`.
    #[serde(default, rename = "documents")]
    pub documents: Vec<DocumentConfig>,
}

fn default_timezone() -> String {
    "UTC".to_string()
}

fn default_notice_days() -> u32 {
    7
}

/// One document of the policy set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentConfig {
    /// Stable id (`privacy`); also the file stem and the archive folder name.
    pub id: String,
    /// Display title.
    #[serde(default)]
    pub title: Option<String>,
    /// The language the document is written in (`zh-CN`).
    pub source_language: String,
    /// Translations (`["en"]`), released together with the source.
    #[serde(default)]
    pub translations: Vec<String>,
    /// File extension of the sources (default `md`).
    #[serde(default)]
    pub extension: Option<String>,
    /// Ids of documents this one links to (an SDK list, children's rules).
    #[serde(default)]
    pub links: Vec<String>,
}

impl DocumentConfig {
    /// Every language, the source first.
    pub fn languages(&self) -> Vec<&str> {
        std::iter::once(self.source_language.as_str())
            .chain(self.translations.iter().map(String::as_str))
            .collect()
    }

    /// The source file name for `lang` (`privacy.zh-CN.md`).
    pub fn file_name(&self, lang: &str) -> String {
        format!("{}.{lang}.{}", self.id, self.extension.as_deref().unwrap_or("md"))
    }
}

/// A policy repository: the folder holding `policy/policy.toml`.
#[derive(Debug, Clone)]
pub struct PolicyRepo {
    /// The repository root (the parent of `policy/`).
    pub root: PathBuf,
    /// The parsed `policy/policy.toml`.
    pub config: PolicyConfig,
}

impl PolicyRepo {
    /// Finds `policy/policy.toml` in `start` or one of its ancestors.
    ///
    /// Returns `Ok(None)` when there is none; errors when one exists but is invalid.
    pub fn discover(start: &Path) -> Result<Option<PolicyRepo>> {
        let start = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
        for dir in start.ancestors() {
            let candidate = dir.join("policy").join("policy.toml");
            if candidate.is_file() {
                return PolicyRepo::open(dir).map(Some);
            }
        }
        Ok(None)
    }

    /// Opens the repository rooted at `root`.
    ///
    /// Errors: `policy/policy.toml` unreadable or invalid (naming its line), no document listed,
    /// or an unknown time zone.
    pub fn open(root: &Path) -> Result<PolicyRepo> {
        let path = root.join("policy").join("policy.toml");
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, &e))?;
        let label = "policy/policy.toml";
        let text = crate::text::decode(label, &bytes)?;
        let config: PolicyConfig =
            toml::from_str(&text).map_err(|e| Error::toml(label, &text, &e))?;
        if config.documents.is_empty() {
            return Err(Error::Config {
                path: label.to_string(),
                message: "no [[documents]] listed; add one with id and source_language".to_string(),
            });
        }
        Ok(PolicyRepo { root: root.to_path_buf(), config })
    }

    /// The document with `id`, or the first one when `id` is `None`.
    ///
    /// Errors: no document with that id (the message lists the known ones).
    pub fn document(&self, id: Option<&str>) -> Result<&DocumentConfig> {
        match id {
            None => Ok(&self.config.documents[0]),
            Some(id) => self.config.documents.iter().find(|d| d.id == id).ok_or_else(|| {
                let known: Vec<&str> =
                    self.config.documents.iter().map(|d| d.id.as_str()).collect();
                Error::Refused(format!(
                    "unknown document `{id}`; policy/policy.toml lists {}",
                    known.join(", ")
                ))
            }),
        }
    }

    /// Repository-relative path of a document's source in `lang` (`policy/privacy.zh-CN.md`).
    pub fn source_rel(&self, doc: &DocumentConfig, lang: &str) -> String {
        format!("policy/{}", doc.file_name(lang))
    }

    /// The criteria: the configured file, `policy/criteria.toml` when present, else built-in.
    pub fn criteria(&self) -> Result<Criteria> {
        let rel = self.config.criteria.as_deref().unwrap_or("criteria.toml");
        let path = self.root.join("policy").join(rel);
        if path.is_file() || self.config.criteria.is_some() {
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, &e))?;
            let label = format!("policy/{rel}");
            let text = crate::text::decode(&label, &bytes)?;
            Criteria::from_str(&label, &text)
        } else {
            Ok(Criteria::builtin())
        }
    }

    /// The archive folder (`archive/`).
    pub fn archive_dir(&self) -> PathBuf {
        self.root.join("archive")
    }

    /// The policy's time zone (looked up on first use: commands that never need a date, such as
    /// `diff` and `check`, do not pay for loading the time-zone database).
    ///
    /// Errors: `timezone` in policy/policy.toml is not an IANA time-zone name.
    pub fn timezone(&self) -> Result<jiff::tz::TimeZone> {
        jiff::tz::TimeZone::get(&self.config.timezone).map_err(|_| Error::Config {
            path: "policy/policy.toml".to_string(),
            message: format!(
                "unknown time zone `{}`; use an IANA name such as Asia/Shanghai",
                self.config.timezone
            ),
        })
    }
}
