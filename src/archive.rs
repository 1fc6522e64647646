//! The append-only archive: `archive/<document>/<version>/` holds the exact source bytes of every
//! language of a released version and its `release.toml` (contracts.md "Release record").

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The release record schema.
pub const RELEASE_SCHEMA: &str = "redline.release/1";

/// A `MAJOR.MINOR.PATCH` version number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major component.
    pub major: u64,
    /// Minor component.
    pub minor: u64,
    /// Patch component.
    pub patch: u64,
}

impl Version {
    /// Parses `1.2.3` (no pre-release or build suffixes).
    pub fn parse(s: &str) -> Option<Version> {
        let mut parts = s.split('.');
        let mut next = || -> Option<u64> {
            let p = parts.next()?;
            if p.is_empty()
                || (p.len() > 1 && p.starts_with('0'))
                || !p.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            p.parse().ok()
        };
        let v = Version { major: next()?, minor: next()?, patch: next()? };
        parts.next().is_none().then_some(v)
    }

    /// The version after this one for a bump.
    pub fn bumped(self, bump: crate::model::Bump) -> Version {
        use crate::model::Bump;
        match bump {
            Bump::None => self,
            Bump::Patch => Version { patch: self.patch + 1, ..self },
            Bump::Minor => Version { minor: self.minor + 1, patch: 0, ..self },
            Bump::Major => Version { major: self.major + 1, minor: 0, patch: 0 },
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// `release.toml` of one version (contracts.md).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRecord {
    /// `redline.release/1`.
    pub schema: String,
    /// Document id.
    pub document: String,
    /// This version.
    pub version: String,
    /// The previous version, `""` for the first release.
    pub previous: String,
    /// Effective date (`YYYY-MM-DD`) in the policy's time zone.
    pub effective: String,
    /// When it was released, UTC (`2026-12-08T03:12:00Z`).
    pub released_at: String,
    /// git HEAD at release; `""` outside git.
    pub commit: String,
    /// Released with uncommitted policy changes (`--allow-dirty`).
    pub dirty: bool,
    /// The release's level (`none` for the first).
    pub level: String,
    /// The bump (`none` for the first).
    pub bump: String,
    /// Qualifiers of the release's findings.
    pub qualifiers: Vec<String>,
    /// One line per finding.
    pub summary: Vec<String>,
    /// sha256 of the previous `release.toml`'s bytes; `""` for the first.
    pub previous_record: String,
    /// File name → sha256 of its raw bytes, for every source file in the folder.
    pub sources: BTreeMap<String, String>,
}

/// A released version found in the archive.
#[derive(Debug, Clone)]
pub struct Release {
    /// Its version number.
    pub version: Version,
    /// Its folder.
    pub dir: PathBuf,
    /// Its record.
    pub record: ReleaseRecord,
}

/// The released versions of `document` in `archive_dir`, oldest first.
///
/// Errors: a folder named like a version whose `release.toml` is unreadable or invalid.
pub fn releases(archive_dir: &Path, document: &str) -> Result<Vec<Release>> {
    let dir = archive_dir.join(document);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(&dir, &e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(version) = Version::parse(&name) else { continue };
        let record_path = entry.path().join("release.toml");
        let label = format!("archive/{document}/{name}/release.toml");
        let bytes = std::fs::read(&record_path).map_err(|e| Error::io(&label, &e))?;
        let text = crate::text::decode(&label, &bytes)?;
        let record: ReleaseRecord =
            toml::from_str(&text).map_err(|e| Error::toml(&label, &text, &e))?;
        out.push(Release { version, dir: entry.path(), record });
    }
    out.sort_by_key(|r| r.version);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Bump;

    #[test]
    fn versions_parse_order_and_bump() {
        let v = Version::parse("1.2.3").unwrap();
        assert_eq!(v.to_string(), "1.2.3");
        assert!(Version::parse("1.2").is_none() && Version::parse("01.2.3").is_none());
        assert!(Version::parse("1.10.0").unwrap() > Version::parse("1.9.9").unwrap());
        assert_eq!(v.bumped(Bump::Minor).to_string(), "1.3.0");
        assert_eq!(v.bumped(Bump::Major).to_string(), "2.0.0");
        assert_eq!(v.bumped(Bump::Patch).to_string(), "1.2.4");
    }
}
